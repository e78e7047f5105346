"""IAM SimulatePrincipalPolicy probes (R16), on roles of the vendor account."""

import json

from . import probe
from .run import outcome


def sim_role(run, suffix, statements):
    return run.create_role(run.vendor, suffix, "ec2.amazonaws.com", statements)


def simulate(run, **kw):
    """SimulatePrincipalPolicy, retried while IAM does not yet know the role (eventual consistency)."""
    return run.retry_principal(lambda: run.vendor.iam.simulate_principal_policy(**kw), codes=("NoSuchEntity",))


def get_object_on(bucket):
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}


@probe("simulate-assumed-role-source")
def assumed_role_source(run):
    role = sim_role(run, "r16-assumed", [get_object_on("cmek-conformance-x")])
    name = role.rsplit("/", 1)[1]
    arn = f"arn:aws:sts::{run.vendor.id}:assumed-role/{name}/cmek-conformance"
    simulate(run, PolicySourceArn=role, ActionNames=["s3:GetObject"])  # the role is known to IAM by now
    c, _ = outcome(run.vendor.iam.simulate_principal_policy, PolicySourceArn=arn, ActionNames=["s3:GetObject"])
    return c or "succeeded", f"PolicySourceArn {arn}: {c or 'succeeded'}"


@probe("simulate-eval-resource-name")
def eval_resource_name(run):
    bucket = run.name("r16-bucket")
    role = sim_role(run, "r16-resource", [get_object_on(bucket)])
    plain = simulate(run, PolicySourceArn=role, ActionNames=["s3:GetObject"])["EvaluationResults"][0]
    with_arn = simulate(run, PolicySourceArn=role, ActionNames=["s3:GetObject"],
                        ResourceArns=[f"arn:aws:s3:::{bucket}/o"])["EvaluationResults"][0]
    got = {"name": plain.get("EvalResourceName"), "rsr-without": bool(plain.get("ResourceSpecificResults")),
           "rsr-with": bool(with_arn.get("ResourceSpecificResults")), "star-decision": plain.get("EvalDecision")}
    detail = ", ".join(f"{k} {v}" for k, v in got.items())
    if got == {"name": "*", "rsr-without": False, "rsr-with": True, "star-decision": "allowed"}:
        return "star", detail
    return ";".join(f"{k}={v}" for k, v in got.items()), detail


@probe("simulate-missing-context")
def missing_context(run):
    bucket = run.name("r16-ctx")
    cond = {"StringEquals": {"aws:PrincipalTag/team": "cmek"}}
    role = sim_role(run, "r16-context", [dict(get_object_on(bucket), Condition=cond)])
    managed = run.create_policy(run.vendor, "r16-managed", [{"Effect": "Allow", "Action": "s3:PutObject",
                                                             "Resource": f"arn:aws:s3:::{bucket}/*"}])
    run.vendor.iam.attach_role_policy(RoleName=role.rsplit("/", 1)[1], PolicyArn=managed)
    got = {}
    r = simulate(run, PolicySourceArn=role, ActionNames=["s3:GetObject"])["EvaluationResults"][0]
    got["missing"] = sorted(r.get("MissingContextValues", []))
    ctx = [{"ContextKeyName": "aws:PrincipalTag/team", "ContextKeyValues": ["cmek"], "ContextKeyType": "string"}]
    r = simulate(run, PolicySourceArn=role, ActionNames=["s3:GetObject"], ContextEntries=ctx)["EvaluationResults"][0]
    inline = r.get("MatchedStatements", [])
    got["inline-id"] = inline[0].get("SourcePolicyId") if inline else None
    got["positions"] = any("StartPosition" in s or "EndPosition" in s for s in inline)

    def managed_ids():
        m = simulate(run, PolicySourceArn=role, ActionNames=["s3:PutObject"])["EvaluationResults"][0]
        return [s.get("SourcePolicyId") for s in m.get("MatchedStatements", [])] or None
    try:
        got["managed-id"] = run.wait_for(managed_ids, "the attached policy in the simulation")[0]
    except Exception:  # noqa: BLE001
        got["managed-id"] = None
    numeric = json.dumps({"Version": "2012-10-17", "Statement": [dict(get_object_on(bucket), Condition={
        "NumericLessThan": {"s3:max-keys": "10"}})]})
    c, _ = outcome(run.vendor.iam.simulate_principal_policy, PolicySourceArn=role, ActionNames=["s3:GetObject"],
                   PolicyInputList=[numeric], ContextEntries=[
                       {"ContextKeyName": "s3:max-keys", "ContextKeyValues": ["5"], "ContextKeyType": "numeric"}])
    got["numeric"] = c or "evaluated"
    layer = {"missing": ["aws:PrincipalTag/team"], "inline-id": "probe", "positions": False,
             "managed-id": managed, "numeric": "PolicyEvaluation"}
    detail = "; ".join(f"{k}: {got[k]}" for k in layer)
    if got == layer:
        return "layer-fields", detail
    return "differs:" + ",".join(k for k in layer if got[k] != layer[k]), detail
