"""KMS as AWS documents it (R2-R6): cross-account routing by key ARN (R2), the key policy (R3), key
state (R4), DryRun (R5), key spec and usage (R6); and a key used by another service on the
caller's behalf (R11, R12)."""

import base64
import json
import re

import policy
from core import AwsError


CROSS_ACCOUNT_OPS = {
    "DescribeKey", "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac", "VerifyMac", "Sign", "Verify", "GetPublicKey", "CreateGrant", "ListGrants",
    "RetireGrant", "RevokeGrant", "GetKeyRotationStatus", "DeriveSharedSecret",
}
CRYPTO_OPS = {
    "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac",
    "Sign", "Verify", "DeriveSharedSecret",
}
KMS_READ_ONLY = CRYPTO_OPS | {
    "DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus", "GetPublicKey", "GetParametersForImport",
    "ListAliases", "ListGrants", "ListKeyPolicies", "ListKeyRotations", "ListKeys",
    "ListResourceTags", "ListRetirableGrants", "GenerateRandom",
}
GRANT_OPS = {"CreateGrant", "ListGrants", "RevokeGrant"}


# ---------------------------------------------------------------------------------------------
# KMS fidelity (R2-R6)


def kms_backend(account, region):
    from moto.kms.models import kms_backends
    return kms_backends[account][region]


def parse_key_ref(ref, caller_account, region):
    """(owner account, region, key id or alias) for a KeyId as KMS accepts it."""
    m = re.match(r"^arn:[\w-]+:kms:([\w-]+):(\d{12}):(key/(.+)|alias/.+)$", ref or "")
    if m:
        key = m.group(4) if m.group(4) else m.group(3)
        return m.group(2), m.group(1), key
    return caller_account, region, ref


def find_key(account, region, key_ref):
    backend = kms_backend(account, region)
    try:
        return backend.keys[backend.any_id_to_key_id(key_ref)]
    except Exception:
        return None


def key_for_ciphertext(blob_b64, region):
    """Decrypt without KeyId: KMS reads the key from the ciphertext's metadata."""
    from moto.kms.models import kms_backends
    from moto.kms.utils import _deserialize_ciphertext_blob
    try:
        key_id = _deserialize_ciphertext_blob(base64.b64decode(blob_b64)).key_id
    except Exception:
        return None
    for account in list(kms_backends.keys()):
        key = kms_backends[account][region].keys.get(key_id)
        if key:
            return key
    return None


def request_context(call, via_service=None, extra_context=None):
    ctx = {"kms:CallerAccount": call.account, "aws:PrincipalAccount": call.account,
           "aws:PrincipalArn": call.caller_arn}
    enc = dict(call.json.get("EncryptionContext") or {})
    enc.update(extra_context or {})
    for k, v in enc.items():
        ctx[f"kms:EncryptionContext:{k}"] = v
    if enc:
        ctx["kms:EncryptionContextKeys"] = list(enc.keys())
    if via_service:
        ctx["kms:ViaService"] = via_service
    elif call.operation in GRANT_OPS:
        ctx["kms:GrantIsForAWSResource"] = "false"
    if call.operation == "CreateGrant":
        ctx["kms:GrantOperations"] = call.json.get("Operations") or []
    return ctx


def authorize(call, key, action, via_service=None, extra_context=None):
    """R3: the key policy decides; Deny wins. Raises AccessDeniedException as KMS words it."""
    ctx = request_context(call, via_service, extra_context)
    decision = policy.evaluate(key.policy, call.account, call.caller_arn, f"kms:{action}", ctx)
    if decision == "allow":
        return
    why = ("with an explicit deny in a resource-based policy" if decision == "deny"
           else f"because no resource-based policy allows the kms:{action} action")
    raise AwsError(400, "AccessDeniedException",
                   f"User: {call.caller_arn} is not authorized to perform: kms:{action} on this resource {why}")


def check_state(key, operation):
    """R4 (and R6): what the key's state and spec allow."""
    if operation in CRYPTO_OPS or operation == "CreateGrant":
        # R4, not-documented: CreateGrant on a Disabled key passes here, where AWS's key state table
        # answers DisabledException (RULES["R4"]["unconfirmed"]).
        if key.key_state == "Disabled" and operation != "CreateGrant":
            raise AwsError(400, "DisabledException", f"{key.arn} is disabled.")
        if key.key_state in ("PendingDeletion", "PendingImport", "PendingReplicaDeletion"):
            raise AwsError(400, "KMSInvalidStateException", f"{key.arn} is pending {key.key_state[7:].lower()}.")
        if key.key_state == "Unavailable":
            raise AwsError(400, "KeyUnavailableException", f"{key.arn} is unavailable.")
    if operation.startswith("GenerateDataKey") and "Pair" not in operation and key.key_spec != "SYMMETRIC_DEFAULT":
        raise AwsError(400, "InvalidKeyUsageException",
                       f"{key.arn} key usage is {key.key_usage} which is not valid for {operation}.")
    if operation in ("Encrypt", "Decrypt", "ReEncrypt") and key.key_usage != "ENCRYPT_DECRYPT":
        raise AwsError(400, "InvalidKeyUsageException",
                       f"{key.arn} key usage is {key.key_usage} which is not valid for {operation}.")
    if operation == "GetKeyRotationStatus" and key.key_spec != "SYMMETRIC_DEFAULT":
        raise AwsError(400, "UnsupportedOperationException", f"{key.arn} key spec is not supported for this operation.")


def kms_rules(call):
    """R2-R6. Returns the account moto must serve the call in, and the body to send it."""
    op = call.operation
    ref = call.json.get("KeyId") or call.json.get("DestinationKeyId")
    if not ref and op == "Decrypt" and call.json.get("CiphertextBlob"):
        key = key_for_ciphertext(call.json["CiphertextBlob"], call.region)
        if key is None:
            raise AwsError(400, "InvalidCiphertextException", "")
        owner = key.account_id
    elif not ref:
        if op == "CreateKey" and not call.json.get("KeyUsage"):
            # AWS defaults KeyUsage to ENCRYPT_DECRYPT; moto stores none.
            return call.account, json.dumps(dict(call.json, KeyUsage="ENCRYPT_DECRYPT")).encode()
        return call.account, call.body  # ListKeys, ListAliases...
    else:
        owner, region, key_ref = parse_key_ref(ref, call.account, call.region)
        if region != call.region:
            raise AwsError(400, "NotFoundException", f"Invalid arn {region}")
        if owner != call.account and op not in CROSS_ACCOUNT_OPS:
            # Not a cross-account operation: KMS looks in the caller's account.
            raise AwsError(400, "NotFoundException", f"Key '{ref}' does not exist")
        key = find_key(owner, call.region, key_ref)
        if key is None:
            raise AwsError(400, "NotFoundException", f"Key '{ref}' does not exist")
    authorize(call, key, op if op != "ReEncrypt" else "ReEncryptFrom")
    check_state(key, op)
    if call.json.get("DryRun"):
        raise AwsError(412, "DryRunOperationException",
                       "The request would have succeeded, but the DryRun option is set.")
    body = call.json
    if "KeyId" in body and body["KeyId"].startswith("arn:") and ":key/" in body["KeyId"]:
        # moto answers DisableKey/EnableKey/ScheduleKeyDeletion with a key ARN by HTTP 500.
        body = dict(body, KeyId=key.id) if op not in CROSS_ACCOUNT_OPS else body
    return owner, json.dumps(body).encode()


# ---------------------------------------------------------------------------------------------
# Keys used through a service (R11, R12)


def service_key_check(call, key_ref, service, actions=("DescribeKey", "CreateGrant"), encryption_context=None):
    """R11, R12: can `service` use the key for the caller (by default DescribeKey and CreateGrant for an
    AWS resource through the service; Secrets Manager: GenerateDataKey and Decrypt through
    secretsmanager.<region>, with its encryption context)? Returns None, or (error code, message) as
    KMS would word it."""
    owner, region, ref = parse_key_ref(key_ref, call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        return "NotFoundException", f"Key '{key_ref}' does not exist"
    via = f"{service}.{region}.amazonaws.com"
    ctx = request_context(call, via_service=via, extra_context=encryption_context)
    for action in actions:
        if action == "CreateGrant":
            ctx["kms:GrantIsForAWSResource"] = "true"
        if policy.evaluate(key.policy, call.account, call.caller_arn, f"kms:{action}", ctx) != "allow":
            return "AccessDeniedException", (f"User: {call.caller_arn} is not authorized to perform: kms:{action} "
                                             f"on resource: {key.arn} because no resource-based policy allows the "
                                             f"kms:{action} action")
    if key.key_state == "Disabled":
        return "DisabledException", f"{key.arn} is disabled."
    if key.key_state != "Enabled":
        return "KMSInvalidStateException", f"{key.arn} is {key.key_state}."
    return None


def key_unusable(key_ref, account, region):
    owner, kregion, ref = parse_key_ref(key_ref, account, region)
    key = find_key(owner, kregion, ref)
    return key is None or key.key_state != "Enabled"
