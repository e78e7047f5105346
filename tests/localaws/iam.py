"""IAM as AWS evaluates it: the identity policies of users, groups and roles (read for the S3 Batch
Operations role, R14, the caller of Firehose PutRecord, R19, and an assumed role's S3 requests to
another account's bucket, R26) and SimulatePrincipalPolicy, which moto lacks (R16)."""

import re
import uuid

import policy
from core import AwsError, _xml


# ---------------------------------------------------------------------------------------------
# IAM identities as AWS evaluates them (R14 for the Batch Operations role, R16 for the simulator)


def iam_backend(account):
    from moto.iam.models import iam_backends
    return iam_backends[account]["aws"]


def managed_document(policy_obj):
    for version in policy_obj.versions:
        if version.version_id == policy_obj.default_version_id:
            return version.document
    return policy_obj.versions[0].document if policy_obj.versions else "{}"


def identity_policies(entity, kind):
    """[(policy id, policy type, document)] of a moto IAM user, group or role: its inline policies
    (type user/group/role) and attached managed ones (aws-managed or user-managed)."""
    out = [(name, kind, doc) for name, doc in entity.policies.items()]
    for arn, managed in entity.managed_policies.items():
        out.append((arn, "aws-managed" if ":iam::aws:policy/" in arn else "user-managed", managed_document(managed)))
    return out


def assumed_role(account, session_arn):
    """The moto IAM role of an STS assumed-role session ARN (arn:aws:sts::A:assumed-role/R/s) in
    `account`, or None (R19: the caller of Firehose PutRecord)."""
    m = re.match(r"^arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/", session_arn or "")
    if not m or m.group(1) != account:
        return None
    return next((r for r in iam_backend(account).roles.values() if r.name == m.group(2)), None)


def find_role(account, role_arn):
    for role in iam_backend(account).roles.values():
        if role.arn == role_arn:
            return role
    return None


# ---------------------------------------------------------------------------------------------
# IAM SimulatePrincipalPolicy (R16): moto has none

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"


def _members(form, prefix):
    """Query-protocol lists: Prefix.member.1, Prefix.member.2, ... in order."""
    found = []
    for k, v in form.items():
        m = re.match(rf"^{re.escape(prefix)}\.member\.(\d+)$", k)
        if m:
            found.append((int(m.group(1)), v))
    return [v for _, v in sorted(found)]


def simulation_policies(account, source_arn):
    """[(policy id, type, document)] of the PolicySourceArn: a user (with its groups' policies), a
    group or a role of the caller's account. Raises InvalidInput / NoSuchEntity as IAM does."""
    m = re.match(r"^arn:[\w-]+:iam::(\d{12}):(user|group|role)/(?:.*/)?([^/]+)$", source_arn or "")
    if not m:
        raise AwsError(400, "InvalidInput", f"Invalid ARN: {source_arn}. PolicySourceArn must be the ARN of an IAM "
                                            "user, group or role")
    kind, name = m.group(2), m.group(3)
    backend = iam_backend(account) if m.group(1) == account else None
    entity = None
    if backend is not None:
        pool = backend.users.values() if kind == "user" else (
            backend.groups.values() if kind == "group" else backend.roles.values())
        entity = next((e for e in pool if e.arn == source_arn), None)
    if entity is None:
        raise AwsError(404, "NoSuchEntity", f"The {kind} with name {name} cannot be found.")
    policies = identity_policies(entity, kind)
    if kind == "user":
        for group in backend.get_groups_for_user(entity.name):
            policies += identity_policies(group, "group")
    return policies


def simulate_principal_policy(call):
    """R16: evaluates the principal's identity policies for each action on each resource."""
    form = call.form
    policies = simulation_policies(call.account, form.get("PolicySourceArn"))
    policies += [(f"PolicyInputList.{i}", "none", doc)
                 for i, doc in enumerate(_members(form, "PolicyInputList"), start=1)]
    actions = _members(form, "ActionNames")
    if not actions:
        raise AwsError(400, "InvalidInput", "ActionNames must name at least one action")
    resources = _members(form, "ResourceArns") or ["*"]
    context = {}
    n = 1
    while f"ContextEntries.member.{n}.ContextKeyName" in form:
        values = _members(form, f"ContextEntries.member.{n}.ContextKeyValues")
        context[form[f"ContextEntries.member.{n}.ContextKeyName"]] = values if len(values) != 1 else values[0]
        n += 1
    rank = {"allowed": 0, "implicitDeny": 1, "explicitDeny": 2}

    def statements_xml(matched):
        return "".join(f"<member><SourcePolicyId>{_xml(pid)}</SourcePolicyId><SourcePolicyType>{ptype}"
                       "</SourcePolicyType></member>" for pid, ptype, _ in matched)

    def missing_xml(keys):
        return "".join(f"<member>{_xml(k)}</member>" for k in sorted(keys))

    results = []
    for action in actions:
        per_resource = []
        for resource in resources:
            try:
                per_resource.append((resource,) + policy.evaluate_identity(policies, action, resource, context))
            except ValueError as e:
                raise AwsError(400, "PolicyEvaluation", str(e))
        decision = max((r[1] for r in per_resource), key=rank.get)
        matched = []
        for r in per_resource:
            if r[1] == decision:
                matched += [s for s in r[2] if s not in matched]
        missing = set().union(*(r[3] for r in per_resource))
        specific = ""
        if resources != ["*"]:
            specific = "<ResourceSpecificResults>" + "".join(
                f"<member><EvalResourceName>{_xml(res)}</EvalResourceName>"
                f"<EvalResourceDecision>{dec}</EvalResourceDecision>"
                f"<MatchedStatements>{statements_xml(st)}</MatchedStatements>"
                f"<MissingContextValues>{missing_xml(miss)}</MissingContextValues></member>"
                for res, dec, st, miss in per_resource) + "</ResourceSpecificResults>"
        results.append(f"<member><EvalActionName>{_xml(action)}</EvalActionName>"
                       "<EvalResourceName>*</EvalResourceName>"
                       f"<EvalDecision>{decision}</EvalDecision>"
                       f"<MatchedStatements>{statements_xml(matched)}</MatchedStatements>"
                       f"<MissingContextValues>{missing_xml(missing)}</MissingContextValues>"
                       f"{specific}</member>")
    body = (f'<SimulatePrincipalPolicyResponse xmlns="{IAM_NS}"><SimulatePrincipalPolicyResult>'
            f"<IsTruncated>false</IsTruncated><EvaluationResults>{''.join(results)}</EvaluationResults>"
            "</SimulatePrincipalPolicyResult>"
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            "</SimulatePrincipalPolicyResponse>").encode()
    return 200, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))], body
