"""KMS as AWS documents it (R2-R6): cross-account routing by key ARN (R2), the key policy (R3), key
state (R4), DryRun (R5), key spec and usage (R6); a key used by another service on the
caller's behalf (R11, R12); and asymmetric signing keys: Sign, Verify, GetPublicKey (R29)."""

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
    check_signing(call, key)  # R29: Sign, Verify and GetPublicKey, after the key policy and key state
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


# ---------------------------------------------------------------------------------------------
# Asymmetric signing keys: Sign, Verify, GetPublicKey (R29)

SIGNING_OPS = {"Sign", "Verify", "GetPublicKey"}
# R29: the hash each signing algorithm names ("Signing algorithms that end in SHA_256 use the SHA_256
# hashing algorithm", ...) and so the length of a DIGEST message.
SIGNING_HASHES = {"SHA_256": ("SHA256", 32), "SHA_384": ("SHA384", 48), "SHA_512": ("SHA512", 64)}
MESSAGE_TYPES = ("RAW", "DIGEST", "EXTERNAL_MU")


def _validation(msg):
    return AwsError(400, "ValidationException", f"1 validation error detected: {msg}")


def _message(call):
    try:
        return base64.b64decode(call.json.get("Message") or "", validate=True)
    except (ValueError, TypeError):
        raise AwsError(400, "SerializationException", "Message is not valid base64")


def _hash_of(algorithm):
    from cryptography.hazmat.primitives import hashes
    name, size = next((v for k, v in SIGNING_HASHES.items() if (algorithm or "").endswith(k)), (None, None))
    if name is None:
        return None, None
    return getattr(hashes, name)(), size


def check_message(call):
    """R29: what the request alone decides, before the key is looked at: Message 1 to 4096 bytes
    (the API reference's length constraint; ValidationException is the layer's answer:
    kms-sign-message-too-long-error), MessageType RAW, DIGEST or EXTERNAL_MU."""
    if call.operation not in ("Sign", "Verify"):
        return
    message = _message(call)
    if len(message) > 4096:
        raise _validation("Value at 'message' failed to satisfy constraint: Member must have length less than or "
                          "equal to 4096")
    if not message:
        raise _validation("Value at 'message' failed to satisfy constraint: Member must have length greater than or "
                          "equal to 1")
    mtype = call.json.get("MessageType") or "RAW"
    if mtype not in MESSAGE_TYPES:
        raise _validation(f"Value '{mtype}' at 'messageType' failed to satisfy constraint: Member must satisfy enum "
                          f"value set: [{', '.join(MESSAGE_TYPES)}]")


def check_signing(call, key):
    """R29 (after R3 and R4): GetPublicKey needs an Enabled asymmetric key; Sign and Verify a SIGN_VERIFY
    key, one of its SigningAlgorithms, and for MessageType DIGEST a message exactly as long as that
    algorithm's hash."""
    op = call.operation
    if op == "GetPublicKey":
        # R29: the key state table's GetPublicKey row: Disabled [1] DisabledException; Pending deletion
        # [2] or [3] (KMSInvalidStateException here, as R4 answers for the other cryptographic calls).
        if key.key_state == "Disabled":
            raise AwsError(400, "DisabledException", f"{key.arn} is disabled.")
        if key.key_state in ("PendingDeletion", "PendingReplicaDeletion"):
            raise AwsError(400, "KMSInvalidStateException", f"{key.arn} is pending deletion.")
        if key.key_spec == "SYMMETRIC_DEFAULT" or key.key_spec.startswith("HMAC"):
            # R29, unconfirmed (kms-get-public-key-symmetric-error): AWS lists UnsupportedOperationException
            # and InvalidKeyUsageException for GetPublicKey without saying which a symmetric key gets.
            raise AwsError(400, "UnsupportedOperationException",
                           f"{key.arn} key spec {key.key_spec} is not supported for this operation.")
        return
    if op not in ("Sign", "Verify"):
        return
    if key.key_usage != "SIGN_VERIFY":
        # R29: "For signing and verifying messages, the KeyUsage must be SIGN_VERIFY."
        raise AwsError(400, "InvalidKeyUsageException",
                       f"{key.arn} key usage is {key.key_usage} which is not valid for {op}.")
    algorithm = call.json.get("SigningAlgorithm")
    if algorithm not in (key.signing_algorithms or []):
        # R29: "The ... signing algorithm specified for the operation is incompatible with the type of key
        # material in the KMS key (KeySpec)."
        raise AwsError(400, "InvalidKeyUsageException",
                       f"Algorithm {algorithm} is incompatible with key spec {key.key_spec}.")
    mtype = call.json.get("MessageType") or "RAW"
    _, size = _hash_of(algorithm)
    if mtype == "DIGEST" and size is not None and len(_message(call)) != size:
        # R29: "the length of the Message value must match the length of hashed messages for the specified
        # signing algorithm"; the error code is the layer's (kms-sign-digest-length-error).
        raise AwsError(400, "ValidationException", f"Digest is invalid length for algorithm {algorithm}.")
    if mtype == "EXTERNAL_MU":
        # R29: the API reference gives EXTERNAL_MU to ML-DSA signing; moto has no ML-DSA keys, so every key
        # here refuses it (the code: kms-sign-digest-length-error).
        raise AwsError(400, "ValidationException", f"MessageType EXTERNAL_MU is not valid for algorithm {algorithm}.")


def _padding(algorithm, hash_algorithm):
    """RSA padding as moto signs (PSS with MGF1 of the same hash and the maximum salt length)."""
    from cryptography.hazmat.primitives.asymmetric import padding
    if algorithm.startswith("RSASSA_PSS"):
        return padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=padding.PSS.MAX_LENGTH)
    return padding.PKCS1v15()


def _json_answer(out):
    import uuid
    body = json.dumps(out).encode()
    return 200, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4())),
                 ("Content-Length", str(len(body)))], body


def kms_signing(call):
    """R29: Sign, Verify and GetPublicKey answered by the layer (moto hashes a DIGEST message again,
    answers SignatureValid false for a bad signature, omits KeySpec and names the key by id).
    R2-R6 first (kms_rules: routing, key policy, key state, check_signing, DryRun), then with moto's
    key pair: Sign signs the message (RAW: hashed with the algorithm's hash; DIGEST: as given, not
    hashed again) into a DER-encoded ECDSA signature (RSA: PKCS #1); Verify checks it the same way and
    answers SignatureValid true, or KMSInvalidSignatureException; GetPublicKey answers the DER
    SubjectPublicKeyInfo with KeySpec, KeyUsage and the key's algorithms."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
    check_message(call)
    owner, _ = kms_rules(call)
    key = find_key(owner, call.region, parse_key_ref(call.json.get("KeyId"), call.account, call.region)[2])
    if call.operation == "GetPublicKey":
        out = {"KeyId": key.arn, "PublicKey": base64.b64encode(key.private_key.public_key()).decode(),
               "CustomerMasterKeySpec": key.key_spec, "KeySpec": key.key_spec, "KeyUsage": key.key_usage}
        if key.key_usage == "SIGN_VERIFY":
            out["SigningAlgorithms"] = key.signing_algorithms
        elif key.key_usage == "ENCRYPT_DECRYPT":
            out["EncryptionAlgorithms"] = key.encryption_algorithms
        elif key.key_usage == "KEY_AGREEMENT":
            out["KeyAgreementAlgorithms"] = ["ECDH"]
        return _json_answer(out)
    algorithm = call.json["SigningAlgorithm"]
    message = _message(call)
    hash_algorithm, _ = _hash_of(algorithm)
    # R29: "When the value is DIGEST, KMS skips the hashing step in the signing algorithm."
    chosen = utils.Prehashed(hash_algorithm) if (call.json.get("MessageType") or "RAW") == "DIGEST" else hash_algorithm
    private = key.private_key.private_key
    if call.operation == "Sign":
        if isinstance(private, ec.EllipticCurvePrivateKey):
            signature = private.sign(message, ec.ECDSA(chosen))  # DER (ANSI X9.62, RFC 3279 2.2.3), as KMS's
        elif isinstance(private, rsa.RSAPrivateKey):
            signature = private.sign(message, _padding(algorithm, hash_algorithm), chosen)
        else:
            raise AwsError(400, "InvalidKeyUsageException", f"Algorithm {algorithm} is not supported by the layer.")
        return _json_answer({"KeyId": key.arn, "Signature": base64.b64encode(signature).decode(),
                             "SigningAlgorithm": algorithm})
    try:
        signature = base64.b64decode(call.json.get("Signature") or "", validate=True)
    except (ValueError, TypeError):
        raise AwsError(400, "SerializationException", "Signature is not valid base64")
    public = private.public_key()
    try:
        if isinstance(private, ec.EllipticCurvePrivateKey):
            public.verify(signature, message, ec.ECDSA(chosen))
        else:
            public.verify(signature, message, _padding(algorithm, hash_algorithm), chosen)
    except (InvalidSignature, ValueError):
        # R29: "If the signature verification fails, the Verify operation fails with an
        # KMSInvalidSignatureException exception."
        raise AwsError(400, "KMSInvalidSignatureException", "")
    return _json_answer({"KeyId": key.arn, "SignatureValid": True, "SigningAlgorithm": algorithm})
