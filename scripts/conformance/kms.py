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



# -- R29: asymmetric signing keys --------------------------------------------------------------

def signing_key(run):
    """An ECC_NIST_P256 SIGN_VERIFY key of the customer account, as cmek's evidence key (shared)."""
    return run.fixture("r29-sign-key", lambda: run.create_key(run.customer, "r29-sign", [], KeySpec="ECC_NIST_P256",
                                                              KeyUsage="SIGN_VERIFY"))


def _sig(run, key):
    import hashlib
    return run.customer.kms.sign(KeyId=key, Message=hashlib.sha256(b"cmek-conformance").digest(), MessageType="DIGEST",
                                 SigningAlgorithm="ECDSA_SHA_256")["Signature"]


@probe("kms-sign-digest-length-error")
def sign_digest_length(run):
    """Sign of a 31-byte DIGEST, Verify of a 33-byte DIGEST (with a good signature), Sign with
    EXTERNAL_MU (64 bytes), all with ECDSA_SHA_256 on an ECC_NIST_P256 key."""
    key = signing_key(run)
    kms = run.customer.kms
    a, _ = outcome(kms.sign, KeyId=key, Message=b"\x01" * 31, MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_256")
    b, _ = outcome(kms.verify, KeyId=key, Message=b"\x01" * 33, MessageType="DIGEST", Signature=_sig(run, key),
                   SigningAlgorithm="ECDSA_SHA_256")
    c, _ = outcome(kms.sign, KeyId=key, Message=b"\x01" * 64, MessageType="EXTERNAL_MU", SigningAlgorithm="ECDSA_SHA_256")
    a, b, c = a or "succeeded", b or "succeeded", c or "succeeded"
    answer = a if a == b == c else f"sign={a};verify={b};external-mu={c}"
    return answer, f"Sign of a 31-byte digest: {a}; Verify of a 33-byte digest: {b}; Sign EXTERNAL_MU: {c}"


@probe("kms-sign-message-too-long-error")
def sign_message_too_long(run):
    """Sign and Verify of a 4097-byte RAW message; Sign of an empty one."""
    key = signing_key(run)
    kms = run.customer.kms
    a, _ = outcome(kms.sign, KeyId=key, Message=b"x" * 4097, SigningAlgorithm="ECDSA_SHA_256")
    b, _ = outcome(kms.verify, KeyId=key, Message=b"x" * 4097, Signature=_sig(run, key), SigningAlgorithm="ECDSA_SHA_256")
    c, _ = outcome(kms.sign, KeyId=key, Message=b"", SigningAlgorithm="ECDSA_SHA_256")
    a, b, c = a or "succeeded", b or "succeeded", c or "succeeded"
    answer = a if a == b == c else f"sign={a};verify={b};empty={c}"
    return answer, f"Sign of 4097 bytes: {a}; Verify of 4097 bytes: {b}; Sign of 0 bytes: {c}"


@probe("kms-get-public-key-symmetric-error")
def get_public_key_symmetric(run):
    sym = run.create_key(run.customer, "r29-sym", [])
    hmac = run.create_key(run.customer, "r29-hmac", [], KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    a, _ = outcome(run.customer.kms.get_public_key, KeyId=sym)
    b, _ = outcome(run.customer.kms.get_public_key, KeyId=hmac)
    a, b = a or "succeeded", b or "succeeded"
    return (a if a == b else f"symmetric={a};hmac={b}"), f"GetPublicKey of SYMMETRIC_DEFAULT: {a}; of HMAC_256: {b}"


@probe("kms-rsa-pss-salt-length")
def rsa_pss_salt_length(run):
    """An RSA_2048 SIGN_VERIFY key signs with RSASSA_PSS_SHA_256; its public key checks the signature
    with a 32-byte salt and with the maximum salt length."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    key = run.create_key(run.customer, "r29-rsa", [], KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    msg = b"cmek-conformance"
    sig = run.customer.kms.sign(KeyId=key, Message=msg, SigningAlgorithm="RSASSA_PSS_SHA_256")["Signature"]
    pub = load_der_public_key(run.customer.kms.get_public_key(KeyId=key)["PublicKey"])
    fits = []
    for name, salt in (("digest-length", padding.PSS.DIGEST_LENGTH), ("max-length", padding.PSS.MAX_LENGTH)):
        try:
            pub.verify(sig, msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt), hashes.SHA256())
            fits.append(name)
        except InvalidSignature:
            pass
    answer = fits[0] if len(fits) == 1 else ("neither" if not fits else "both")
    return answer, f"the RSASSA_PSS_SHA_256 signature verifies with: {', '.join(fits) or 'neither salt length'}"
