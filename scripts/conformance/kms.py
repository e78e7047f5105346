"""KMS probes (R2-R6, M2): keys in the customer account, used by the vendor (Speedscale) account."""

import json

from . import Unobservable, probe
from .run import allow, outcome, root


def other_region(region):
    return "us-west-2" if region != "us-west-2" else "us-east-1"


@probe("kms-non-cross-account-op-error")
def non_cross_account_op(run):
    """The vendor may do everything on the customer's key, and names it by ARN in operations that
    are not cross-account (GetKeyPolicy, DisableKey)."""
    key = run.create_key(run.customer, "r2-ops", [allow(run.vendor.id, "kms:*")])
    a, _ = outcome(run.vendor.kms.get_key_policy, KeyId=key, PolicyName="default")
    b, _ = outcome(run.vendor.kms.disable_key, KeyId=key)
    a, b = a or "succeeded", b or "succeeded"
    answer = a if a == b else f"GetKeyPolicy={a};DisableKey={b}"
    return answer, f"GetKeyPolicy: {a}; DisableKey: {b}"


@probe("kms-other-region-key-arn")
def other_region_arn(run):
    """The key's owner names its key by an ARN of another Region, calling this Region."""
    key = run.create_key(run.customer, "r2-region", [])
    parts = key.split(":")
    parts[3] = other_region(run.region)
    c, _ = outcome(run.customer.kms.describe_key, KeyId=":".join(parts))
    return c or "succeeded", f"DescribeKey of {parts[3]} ARN in {run.region}: {c or 'succeeded'}"


@probe("kms-direct-call-no-via-service")
def direct_call_via_service(run):
    """The key allows the vendor GenerateDataKey only when kms:ViaService is present (Null false);
    the vendor calls KMS directly."""
    key = run.create_key(run.customer, "r3-via", [
        allow(run.vendor.id, ["kms:GenerateDataKey", "kms:DescribeKey"], {"Null": {"kms:ViaService": "false"}})])
    c, _ = outcome(run.vendor.kms.generate_data_key, KeyId=key, KeySpec="AES_256")
    if c == "AccessDeniedException":
        return "no-via-service", "a direct GenerateDataKey does not satisfy Null kms:ViaService=false"
    if c is None:
        return "carries-via-service", "a direct GenerateDataKey satisfied Null kms:ViaService=false"
    return c, f"GenerateDataKey: {c}"


@probe("kms-create-grant-disabled-key")
def create_grant_disabled(run):
    key = run.create_key(run.customer, "r4-grant", [])
    run.customer.kms.disable_key(KeyId=key)
    c, _ = outcome(run.create_grant, run.customer, key, "r4-disabled", root(run.customer.id), ["Decrypt"])
    if c is None:
        return "accepted", "CreateGrant on a Disabled key made a grant"
    return c, f"CreateGrant on a Disabled key: {c}"


@probe("kms-pending-deletion-error")
def pending_deletion(run):
    key = run.create_key(run.customer, "r4-pending", [])
    run.customer.kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    a, _ = outcome(run.customer.kms.encrypt, KeyId=key, Plaintext=b"x")
    b, _ = outcome(run.create_grant, run.customer, key, "r4-pending", root(run.customer.id), ["Decrypt"])
    a, b = a or "succeeded", b or "succeeded"
    return (a if a == b else f"encrypt={a};create-grant={b}"), f"Encrypt: {a}; CreateGrant: {b}"


@probe("kms-unavailable-key-error")
def unavailable_key(run):
    """Needs a key in a custom key store that is disconnected (Unavailable): this script creates
    none (a CloudHSM cluster or an external key store proxy); it uses one the customer account has."""
    kms = run.customer.kms
    seen = 0
    for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"MaxItems": 200}):
        for k in page["Keys"]:
            seen += 1
            c, meta = outcome(kms.describe_key, KeyId=k["KeyId"])
            if c is None and meta["KeyMetadata"].get("KeyState") == "Unavailable":
                c, _ = outcome(kms.encrypt, KeyId=k["KeyArn"], Plaintext=b"x")
                return c or "succeeded", f"Encrypt with Unavailable key {k['KeyArn']}: {c or 'succeeded'}"
    raise Unobservable(f"no Unavailable key (a disconnected custom key store's) among the customer account's "
                       f"first {seen} keys; this script does not create custom key stores")


@probe("dry-run-after-authorization")
def dry_run_order(run):
    """DryRun Encrypt by the vendor (a) with a key policy that does not allow it, (b) on a disabled
    key whose policy allows it."""
    denied = run.create_key(run.customer, "r5-denied", [allow(run.vendor.id, "kms:DescribeKey")])
    disabled = run.create_key(run.customer, "r5-disabled", [allow(run.vendor.id, ["kms:Encrypt", "kms:DescribeKey"])])
    run.customer.kms.disable_key(KeyId=disabled)
    a, _ = outcome(run.vendor.kms.encrypt, KeyId=denied, Plaintext=b"x", DryRun=True)
    b, _ = outcome(run.vendor.kms.encrypt, KeyId=disabled, Plaintext=b"x", DryRun=True)
    detail = f"policy refusal: {a}; disabled key: {b}"
    if a == "AccessDeniedException" and b == "DisabledException":
        return "refusal-first", detail
    if a == b == "DryRunOperationException":
        return "dry-run-first", detail
    return f"policy={a};state={b}", detail


@probe("rotation-status-asymmetric-key")
def rotation_asymmetric(run):
    rsa = run.create_key(run.customer, "r6-rsa", [], KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    hmac = run.create_key(run.customer, "r6-hmac", [], KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    a, _ = outcome(run.customer.kms.get_key_rotation_status, KeyId=rsa)
    b, _ = outcome(run.customer.kms.get_key_rotation_status, KeyId=hmac)
    a, b = a or "succeeded", b or "succeeded"
    return (a if a == b else f"asymmetric={a};hmac={b}"), f"RSA_2048: {a}; HMAC_256: {b}"


@probe("kms-create-key-json-policy", cost="minutes")
def cfn_key_policy_object(run):
    """A CloudFormation AWS::KMS::Key whose KeyPolicy is a JSON object and whose Tags are Key/Value."""
    cfn = run.customer.cloudformation
    name = run.name("m2-stack")
    key_policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "owner", "Effect": "Allow", "Principal": {"AWS": root(run.customer.id)}, "Action": "kms:*",
         "Resource": "*"}]}
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Key": {
        "Type": "AWS::KMS::Key", "Properties": {
            "Description": run.name("m2-key"), "KeyPolicy": key_policy, "PendingWindowInDays": 7,
            "Tags": [{"Key": "cmek-conformance", "Value": run.id}]}}},
        "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}}}}
    res = run.intend("cfn-stack", run.customer, name)
    c, _ = outcome(cfn.create_stack, StackName=name, TemplateBody=json.dumps(template), Tags=run.tags())
    if c:
        return "refused", f"CreateStack: {c}"
    run.created(res)

    def done():
        s = cfn.describe_stacks(StackName=name)["Stacks"][0]
        return s if not s["StackStatus"].endswith("IN_PROGRESS") else None
    stack = run.wait_for(done, "stack CREATE_COMPLETE")
    if stack["StackStatus"] != "CREATE_COMPLETE":
        return "refused", f"stack {stack['StackStatus']}: {stack.get('StackStatusReason', '')}"
    arn = next(o["OutputValue"] for o in stack.get("Outputs", []) if o["OutputKey"] == "Arn")
    pol = json.loads(cfn_policy(run, arn))
    tags = run.customer.kms.list_resource_tags(KeyId=arn).get("Tags", [])
    stmt_ok = any(s.get("Sid") == "owner" for s in pol.get("Statement", []))
    tag_ok = {"TagKey": "cmek-conformance", "TagValue": run.id} in tags
    if stmt_ok and tag_ok:
        return "accepted", "the key has the object policy and the Key/Value tag"
    return "lost", f"policy kept: {stmt_ok}; tag kept: {tag_ok}"


def cfn_policy(run, arn):
    return run.customer.kms.get_key_policy(KeyId=arn, PolicyName="default")["Policy"]

