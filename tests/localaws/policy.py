"""IAM policy evaluation for KMS key policies (and, below, identity, trust and S3 bucket policies), as
AWS does it for the cases cmek meets.

Statements match on Principal (account root, account id, role/user ARN, or "*"), Action/NotAction
(with wildcards) and Condition. A Deny that matches wins; otherwise an Allow must match. Condition
operators: String*, Arn*, Bool, Null, with IfExists and ForAnyValue/ForAllValues; a key missing from
the request context makes positive operators false and negated operators true (IAM's rule), except
under ForAllValues, which holds. Condition key names match case-insensitively; values as the
operator says (StringLike: * and ? only; Arn*: component by component).
Only what a request really carries is in the context: a direct call never has kms:ViaService.
"""

import json
import re


def _list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def _principal_matches(spec, caller_account, caller_arn):
    if spec == "*":
        return True
    if not isinstance(spec, dict):
        return False
    for p in _list(spec.get("AWS")):
        if p == "*":
            return True
        if p == caller_account or p == f"arn:aws:iam::{caller_account}:root":
            return True
        if p == caller_arn:
            return True
        # arn:aws:iam::A:role/R matches the assumed-role session arn:aws:sts::A:assumed-role/R/s
        m = re.match(r"arn:[\w-]+:iam::(\d{12}):role/(?:.*/)?([^/]+)$", p)
        n = re.match(r"arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/", caller_arn or "")
        if m and n and m.groups() == n.groups():
            return True
    return False  # Service and Federated principals never match a caller's direct request


def _action_matches(patterns, action):
    return any(_like(action.lower(), p.lower()) for p in _list(patterns))


def _like(value, pattern):
    """R3: StringLike matching, case-sensitive, with IAM's only two wildcards, * (any run of characters)
    and ? (one character); every other character is literal ([ and ] too, unlike fnmatch)."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, value, re.S) is not None


def _arn_like(value, pattern):
    """R3: ArnEquals and ArnLike behave identically: each of the six colon-delimited components of the
    ARN is matched on its own (case-sensitive, * and ? wildcards), so a * never spans a colon."""
    have, want = value.split(":", 5), pattern.split(":", 5)
    return len(have) == len(want) == 6 and all(_like(h, w) for h, w in zip(have, want))


def _string_op(op, value, wanted):
    if op in ("StringEquals", "StringEqualsIgnoreCase"):
        if op == "StringEqualsIgnoreCase":
            return value.lower() == wanted.lower()
        return value == wanted
    if op == "StringLike":
        return _like(value, wanted)
    if op in ("ArnEquals", "ArnLike"):
        return _arn_like(value, wanted)
    if op == "Bool":
        return str(value).lower() == str(wanted).lower()
    raise ValueError(f"unsupported condition operator {op}")


NEGATED = {"StringNotEquals": "StringEquals", "StringNotLike": "StringLike",
           "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
           "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase"}


def _condition_holds(full_op, key, wanted, context):
    qualifier = None
    op = full_op
    if ":" in op:
        qualifier, op = op.split(":", 1)
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    # R3: condition key names are not case sensitive (kms:EncryptionContext:<context-key> included);
    # the case sensitivity of the values is the operator's (StringEquals, StringLike: case-sensitive).
    present = {k.lower(): v for k, v in context.items()}
    value = present.get(key.lower())
    wanted = [str(w).lower() if op == "Bool" else str(w) for w in _list(wanted)]
    if op == "Null":
        return (value is None) == (str(wanted[0]).lower() == "true")
    if value is None:
        if if_exists:
            return True
        if qualifier == "ForAllValues":
            return True
        return op in NEGATED
    values = _list(value)
    negated = op in NEGATED
    base = NEGATED.get(op, op)

    def one(v):
        hit = any(_string_op(base, str(v), w) for w in wanted)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(v) for v in values)
    return any(one(v) for v in values)


def _conditions_hold(conditions, context):
    for op, pairs in (conditions or {}).items():
        for key, wanted in pairs.items():
            if not _condition_holds(op, key, wanted, context):
                return False
    return True


def evaluate(policy_text, caller_account, caller_arn, action, context):
    """Returns "allow", "deny" (explicit) or "implicit" (no Allow matched)."""
    try:
        policy = json.loads(policy_text) if isinstance(policy_text, str) else policy_text
    except ValueError:
        return "implicit"
    allowed = False
    for st in _list(policy.get("Statement")):
        if "NotPrincipal" in st:
            if _principal_matches(st["NotPrincipal"], caller_account, caller_arn):
                continue
        elif not _principal_matches(st.get("Principal"), caller_account, caller_arn):
            continue
        if "NotAction" in st:
            if _action_matches(st["NotAction"], action):
                continue
        elif not _action_matches(st.get("Action"), action):
            continue
        if not _conditions_hold(st.get("Condition"), context):
            continue
        if st.get("Effect") == "Deny":
            return "deny"
        if st.get("Effect") == "Allow":
            allowed = True
    return "allow" if allowed else "implicit"


# ---------------------------------------------------------------------------------------------
# Identity-based policies (a role's or a user's own policies: no Principal, Resource matters) and
# trust policies (who may assume a role). Used for the S3 Batch Operations role (R14) and for
# IAM SimulatePrincipalPolicy (R16) in localaws.py.


def _resource_matches(patterns, resource):
    """Resource ARNs match case-sensitively, with * and ? wildcards. A simulated resource of "*"
    (SimulatePrincipalPolicy without ResourceArns) stands for every resource."""
    if resource == "*":
        return bool(_list(patterns))
    return any(p == "*" or _like(resource, p) for p in _list(patterns))


def _condition_keys(conditions):
    return {key for pairs in (conditions or {}).values() for key in pairs}


def _statements(document):
    try:
        doc = json.loads(document) if isinstance(document, str) else document
    except ValueError:
        return []
    return _list((doc or {}).get("Statement"))


def evaluate_identity(policies, action, resource, context):
    """Evaluates identity-based policies for one action on one resource.

    policies: [(policy_id, policy_type, document)]. Returns (decision, matched, missing): decision
    is "allowed", "explicitDeny" or "implicitDeny"; matched lists (policy_id, policy_type, statement
    index) of the statements that decided (the Deny statements for explicitDeny, the Allow ones for
    allowed); missing is the set of context keys that the statements matching the action and
    resource test and the request context lacks (such a condition is evaluated as IAM does without
    the key: positive operators false, negated ones true)."""
    present = {k.lower() for k in context}
    allows, denies, missing = [], [], set()
    for policy_id, policy_type, document in policies:
        for i, st in enumerate(_statements(document)):
            if "NotAction" in st:
                if _action_matches(st["NotAction"], action):
                    continue
            elif not _action_matches(st.get("Action"), action):
                continue
            if "NotResource" in st:
                if resource != "*" and _resource_matches(st["NotResource"], resource):
                    continue
            elif not _resource_matches(st.get("Resource"), resource):
                continue
            missing |= {k for k in _condition_keys(st.get("Condition")) if k.lower() not in present}
            if not _conditions_hold(st.get("Condition"), context):
                continue
            (denies if st.get("Effect") == "Deny" else allows).append((policy_id, policy_type, i))
    if denies:
        return "explicitDeny", denies, missing
    if allows:
        return "allowed", allows, missing
    return "implicitDeny", [], missing


def trust_allows(document, service, action, context):
    """Whether a role's trust policy lets the AWS service principal `service` (for example
    batchoperations.s3.amazonaws.com) perform `action` (sts:AssumeRole); Deny wins."""
    allowed = False
    for st in _statements(document):
        principal = st.get("Principal")
        services = _list(principal.get("Service")) if isinstance(principal, dict) else []
        if principal != "*" and service not in services:
            continue
        if not _action_matches(st.get("Action"), action):
            continue
        if not _conditions_hold(st.get("Condition"), context):
            continue
        if st.get("Effect") == "Deny":
            return False
        allowed = allowed or st.get("Effect") == "Allow"
    return allowed


def evaluate_service(document, service, action, resource, context):
    """A resource policy (a key policy, a queue policy) for a request an AWS service principal makes
    itself (R24: sns.amazonaws.com delivering to a queue): statements whose Principal names the service
    (or is "*" / {"AWS": "*"}), whose Action matches and whose Resource (when given) matches `resource`,
    with every condition holding. Returns "allow", "deny" (explicit) or "implicit"."""
    allowed = False
    for st in _statements(document):
        principal = st.get("Principal")
        if isinstance(principal, dict):
            named = _list(principal.get("Service")) + [p for p in _list(principal.get("AWS")) if p == "*"]
            if service not in named and "*" not in named:
                continue
        elif principal != "*":
            continue
        if "NotAction" in st:
            if _action_matches(st["NotAction"], action):
                continue
        elif not _action_matches(st.get("Action"), action):
            continue
        if "Resource" in st and not _resource_matches(st["Resource"], resource):
            continue
        if not _conditions_hold(st.get("Condition"), context):
            continue
        if st.get("Effect") == "Deny":
            return "deny"
        allowed = allowed or st.get("Effect") == "Allow"
    return "allow" if allowed else "implicit"


def evaluate_bucket(document, caller_account, caller_arn, action, resource, context):
    """R27: a bucket policy for one request: statements whose Principal (or NotPrincipal) covers the
    caller (its account, account root, ARN, or "*"), whose Action/NotAction covers `action` and whose
    Resource/NotResource covers `resource`, with every condition holding. Returns "allow", "deny"
    (an explicit Deny matched: it wins over any Allow) or "implicit" (no statement matched)."""
    allowed = False
    for st in _statements(document):
        if "NotPrincipal" in st:
            if _principal_matches(st["NotPrincipal"], caller_account, caller_arn):
                continue
        elif not _principal_matches(st.get("Principal"), caller_account, caller_arn):
            continue
        if "NotAction" in st:
            if _action_matches(st["NotAction"], action):
                continue
        elif not _action_matches(st.get("Action"), action):
            continue
        if "NotResource" in st:
            if _resource_matches(st["NotResource"], resource):
                continue
        elif "Resource" in st and not _resource_matches(st["Resource"], resource):
            continue
        if not _conditions_hold(st.get("Condition"), context):
            continue
        if st.get("Effect") == "Deny":
            return "deny"
        allowed = allowed or st.get("Effect") == "Allow"
    return "allow" if allowed else "implicit"
