"""IAM policy evaluation for KMS key policies, as AWS does it for the cases cmek meets.

Statements match on Principal (account root, account id, role/user ARN, or "*"), Action/NotAction
(with wildcards) and Condition. A Deny that matches wins; otherwise an Allow must match. Condition
operators: String*, Arn*, Bool, Null, with IfExists and ForAnyValue/ForAllValues; a key missing from
the request context makes positive operators false and negated operators true (IAM's rule).
Only what a request really carries is in the context: a direct call never has kms:ViaService.
"""

import fnmatch
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
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in _list(patterns))


def _string_op(op, value, wanted):
    if op in ("StringEquals", "ArnEquals", "StringEqualsIgnoreCase"):
        if op == "StringEqualsIgnoreCase":
            return value.lower() == wanted.lower()
        return value == wanted
    if op in ("StringLike", "ArnLike"):
        return fnmatch.fnmatchcase(value, wanted)
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
