"""A local AWS for cmek: moto server behind a fidelity layer that makes it behave as AWS documents.

Run: python localaws.py [--port 0]   (binds 127.0.0.1 only; prints "localaws listening on URL")
It exits when its standard input closes, so a test process that dies takes it along.

Moto speaks the wire protocols but (AWS-FACTS.md) resolves every key ARN in the caller's account,
ignores key-policy Allows, ignores DryRun, lets disabled keys encrypt, and never calls KMS from S3.
Each rule below fixes one of those, citing the AWS behaviour it models:

  R1 caller account: from the access key (AKIA<12-digit account>..., or an STS assumed role), sent
     to moto as x-moto-account-id. (IAM: every request is signed by a principal of one account.)
  R2 KMS calls naming a key ARN go to the ARN's account. (KMS API "Cross-account use": DescribeKey,
     Encrypt, Decrypt, GenerateDataKey*, ReEncrypt*, CreateGrant, GetKeyRotationStatus... accept a
     key ARN of another account; other operations do not.)
  R3 key policy: the key's policy must Allow the caller's account/principal for kms:<Action> with its
     conditions holding for this request; an explicit Deny wins. Otherwise AccessDeniedException with
     AWS's message ("...because no resource-based policy allows the kms:X action").
     (KMS developer guide, "Key policies", "Allowing users in other accounts to use a KMS key".)
  R4 key state: Disabled -> DisabledException, PendingDeletion/PendingImport ->
     KMSInvalidStateException on cryptographic operations (KMS developer guide, key-state.html).
  R5 DryRun: after R3/R4, DryRunOperationException and no side effect (KMS "Testing your
     permissions"); a refused DryRun gets the refusal.
  R6 key spec: GenerateDataKey* need a SYMMETRIC_DEFAULT key (InvalidKeyUsageException);
     GetKeyRotationStatus on an asymmetric or HMAC key is UnsupportedOperationException.
  R7 S3 SSE-KMS uses the key through S3: PutObject/CopyObject/GetObject of an aws:kms object check R3
     with kms:ViaService=s3.<region>.amazonaws.com and R4; failures come back as S3 errors
     (AccessDenied, KMS.DisabledException, KMS.KMSInvalidStateException, KMS.NotFoundException).
     HeadObject does not call KMS. (S3 "Using server-side encryption with AWS KMS keys".)
  R8 faults: latency, throttling, HTTP 5xx, dropped connections and our-IAM denials, by rule, before
     the call reaches moto or after (the call happened but the answer was lost).
  R9 a log of every call (service, operation, caller account, mutating or not) for tests.
  R10 S3 default encryption: since January 2023 every bucket without a configuration encrypts new
     objects with SSE-S3, and GetBucketEncryption says so (S3 "default encryption FAQ").
  R11 Firehose takes time and uses the key through Firehose: a new stream is CREATING before ACTIVE;
     StartDeliveryStreamEncryption goes ENABLING -> ENABLED, or ENABLING_FAILED with a
     FailureDescription when Firehose may not use the key (CreateGrant for an AWS resource through
     firehose.<region>); CreateDeliveryStream with an unusable key is InvalidKMSResourceException;
     a key disabled later shows as a FailureDescription (Firehose API, DeliveryStreamEncryptionConfiguration).
  R12 RDS takes time and uses the key through RDS: new instances and snapshots are `creating` before
     `available`; creating, restoring or copying under a key RDS may not use (DescribeKey and
     CreateGrant through rds.<region>, or a disabled key) is KMSKeyNotAccessibleFault; an instance
     whose key is disabled or pending deletion becomes `inaccessible-encryption-credentials-recoverable`
     after a delay and stays so until StartDBInstance after the key is enabled again (RDS user guide,
     "Encrypting Amazon RDS resources", key states).
  Timings (seconds) are set with POST /_localaws/config: firehose_create, firehose_enabling,
  rds_create, rds_snapshot, rds_inaccessible.

Control API (JSON, same port): POST /_localaws/config, POST /_localaws/faults, DELETE /_localaws/faults[?account=],
GET /_localaws/calls[?account=&mutating=1], DELETE /_localaws/calls[?account=], GET /_localaws/health.
"""

import argparse
import base64
import io
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

import policy  # noqa: E402

DEFAULT_ACCOUNT = "123456789012"

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
JSON_SERVICES = {"kms": "TrentService", "firehose": "Firehose_20150804"}


# ---------------------------------------------------------------------------------------------
# Requests


class Call:
    """What the fidelity layer knows about one request."""

    def __init__(self, environ, body):
        self.environ = environ
        self.body = body
        auth = environ.get("HTTP_AUTHORIZATION", "")
        m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/", auth)
        self.access_key = m.group(1) if m else ""
        self.region = m.group(2) if m else "us-east-1"
        self.service = m.group(3) if m else self._service_from_host()
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.path = environ.get("PATH_INFO", "/")
        self.query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self.json = {}
        self.form = {}
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target:
            self.operation = target.split(".")[-1]
            try:
                self.json = json.loads(body or b"{}")
            except ValueError:
                self.json = {}
        elif self.service in ("s3",):
            self.operation = self._s3_operation()
        else:
            self.form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items()}
            self.operation = self.form.get("Action") or self.query.get("Action", [""])[0]
        self.account, self.caller_arn = caller_identity(self.access_key, environ)

    def _service_from_host(self):
        host = self.environ.get("HTTP_HOST", "")
        return host.split(".")[0] if "." in host else "unknown"

    def _s3_operation(self):
        sub = next((k for k in ("encryption", "tagging", "versioning", "publicAccessBlock", "ownershipControls",
                                 "policy", "acl", "uploads", "uploadId", "versions", "list-type", "location",
                                 "delete", "lifecycle", "logging") if k in self.query), None)
        parts = [p for p in self.path.split("/") if p]
        has_key = len(parts) > 1
        verb = {"GET": "Get", "HEAD": "Head", "PUT": "Put", "POST": "Post", "DELETE": "Delete"}[self.method]
        if self.method == "PUT" and has_key and "HTTP_X_AMZ_COPY_SOURCE" in self.environ:
            return "CopyObject"
        if sub == "list-type":
            return "ListObjectsV2"
        if sub:
            return f"{verb}{'Object' if has_key else 'Bucket'}{sub[0].upper()}{sub[1:]}"
        if not parts:
            return "ListBuckets"
        if not has_key:
            return {"GET": "ListObjects", "PUT": "CreateBucket", "DELETE": "DeleteBucket",
                    "HEAD": "HeadBucket", "POST": "PostBucket"}[self.method]
        return f"{verb}Object"

    @property
    def mutating(self):
        if self.service == "sts":
            return False
        if self.service == "kms":
            return self.operation not in KMS_READ_ONLY and not self.json.get("DryRun")
        if self.service == "s3":
            return self.method in ("PUT", "POST", "DELETE")
        return not re.match(r"(Describe|Get|List|Head|Lookup|Check|Query|Scan)", self.operation)


def caller_identity(access_key, environ):
    """R1: the caller's account and principal ARN."""
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    m = re.match(r"^AKIA(\d{12})", access_key)
    if header:
        account = header
    elif m:
        account = m.group(1)
    else:
        from moto.iam.models import get_account_id_from
        account = get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT
    arn = f"arn:aws:iam::{account}:root"
    try:
        from moto.sts.models import sts_backends
        for backend in sts_backends[account].values():
            role = backend.get_assumed_role_from_access_key(access_key)
            if role:
                arn = role.arn
    except Exception:  # an account moto has not seen yet
        pass
    return account, arn


# ---------------------------------------------------------------------------------------------
# Errors in each protocol


class AwsError(Exception):
    def __init__(self, status, code, message, sender=True):
        super().__init__(message)
        self.status, self.code, self.message, self.sender = status, code, message, sender


def error_response(call, err):
    rid = str(uuid.uuid4())
    if call.service in JSON_SERVICES or call.environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": err.code, "message": err.message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", err.code),
                   ("x-amzn-RequestId", rid)]
    elif call.service == "s3":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{_xml(err.code)}</Code>'
                f"<Message>{_xml(err.message)}</Message><RequestId>{rid}</RequestId></Error>").encode()
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", rid)]
    else:
        kind = "Sender" if err.sender else "Receiver"
        body = (f'<ErrorResponse><Error><Type>{kind}</Type><Code>{_xml(err.code)}</Code>'
                f"<Message>{_xml(err.message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)]
    return err.status, headers + [("Content-Length", str(len(body)))], body


def _xml(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
# S3 through KMS (R7)


def s3_find_bucket(name):
    from moto.s3.models import s3_backends
    for account in list(s3_backends.keys()):
        for backend in s3_backends[account].values():
            if name in backend.buckets:
                return backend.buckets[name]
    return None


def s3_key_use(call, key_ref, action, context_arn):
    """Checks S3's use of a KMS key on the caller's behalf; raises the S3 error AWS returns."""
    if not key_ref:
        return  # the AWS managed aws/s3 key: not the customer's
    owner, region, ref = parse_key_ref(key_ref, call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        raise AwsError(400, "KMS.NotFoundException", f"Invalid keyId '{key_ref}'")
    try:
        authorize(call, key, action, via_service=f"s3.{region}.amazonaws.com",
                  extra_context={"aws:s3:arn": context_arn})
        check_state(key, action)
    except AwsError as e:
        if e.code == "AccessDeniedException":
            raise AwsError(403, "AccessDenied", e.message.replace("on this resource", f"on resource: {key.arn}"))
        raise AwsError(400, f"KMS.{e.code}", e.message)


def s3_rules(call):
    parts = [p for p in call.path.split("/") if p]
    if len(parts) < 2 or call.operation not in ("PutObject", "CopyObject", "GetObject", "PostObject"):
        return
    bucket_name, object_key = parts[0], urllib.parse.unquote("/".join(parts[1:]))
    bucket = s3_find_bucket(bucket_name)
    if bucket is None:
        return
    if call.operation == "GetObject":
        obj = bucket.keys.get(object_key)
        if obj is not None and getattr(obj, "encryption", None) == "aws:kms":
            arn = f"arn:aws:s3:::{bucket_name}" if obj.bucket_key_enabled else f"arn:aws:s3:::{bucket_name}/{object_key}"
            s3_key_use(call, obj.kms_key_id, "Decrypt", arn)
        return
    sse = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION")
    key_ref = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID")
    bucket_key = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED", "").lower() == "true"
    if sse is None and not bucket.encryption:
        # R10: a bucket without a configuration encrypts with SSE-S3.
        call.environ["HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION"] = "AES256"
        return
    if sse is None and bucket.encryption:
        rule = (bucket.encryption.get("Rule") or {})
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        sse = default.get("SSEAlgorithm")
        key_ref = default.get("KMSMasterKeyID")
        bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    if sse == "aws:kms":
        arn = f"arn:aws:s3:::{bucket_name}" if bucket_key else f"arn:aws:s3:::{bucket_name}/{object_key}"
        s3_key_use(call, key_ref, "GenerateDataKey", arn)


DEFAULT_ENCRYPTION_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionConfiguration '
    'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault>'
    '<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>'
    '<BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>').encode()


def s3_after(call, status, headers, out):
    """R10: GetBucketEncryption of a bucket without a configuration answers SSE-S3. (And moto names
    GetBucketVersioning's root element GetBucketVersioningResponse, which strict SDKs reject: AWS
    answers VersioningConfiguration.)"""
    if call.operation == "GetBucketVersioning" and status == 200 and b"GetBucketVersioningResponse" in out:
        out = out.replace(b"GetBucketVersioningResponse", b"VersioningConfiguration")
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return status, headers + [("Content-Length", str(len(out)))], out
    if call.operation == "GetBucketEncryption" and status == 404 and b"ServerSideEncryptionConfigurationNotFound" in out:
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return 200, headers + [("Content-Length", str(len(DEFAULT_ENCRYPTION_XML)))], DEFAULT_ENCRYPTION_XML
    return status, headers, out


# ---------------------------------------------------------------------------------------------
# Firehose (R11) and RDS (R12): time, and the key used through the service


CONFIG = {"firehose_create": 0.3, "firehose_enabling": 0.5, "rds_create": 1.0, "rds_snapshot": 0.5,
          "rds_inaccessible": 1.0}
PENDING = {}  # (kind, account, region, name) -> ready time
DISABLED_SEEN = {}  # (account, region, db id) -> when the layer first saw its key unusable


def service_key_check(call, key_ref, service):
    """Can `service` use the key for the caller (DescribeKey and CreateGrant for an AWS resource
    through the service)? Returns None, or (error code, message) as KMS would word it."""
    owner, region, ref = parse_key_ref(key_ref, call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        return "NotFoundException", f"Key '{key_ref}' does not exist"
    via = f"{service}.{region}.amazonaws.com"
    ctx = request_context(call, via_service=via)
    for action in ("DescribeKey", "CreateGrant"):
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


def firehose_stream(account, region, name):
    from moto.firehose.models import firehose_backends
    return firehose_backends[account][region].delivery_streams.get(name)


FIREHOSE_FAILURE = {"DisabledException": "DISABLED_KMS_KEY", "KMSInvalidStateException": "INVALID_KMS_KEY",
                    "NotFoundException": "KMS_KEY_NOT_FOUND", "AccessDeniedException": "KMS_ACCESS_DENIED"}


S3_DESTINATION_DEFAULTS = {"CompressionFormat": "UNCOMPRESSED",
                           "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300},
                           "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"}}


def firehose_before(call):
    """R11 before the call; returns the body for moto (AWS's S3 destination defaults filled in:
    moto leaves CompressionFormat out of a description when it was not given, and strict SDKs
    reject that)."""
    body = call.body
    if call.operation == "CreateDeliveryStream":
        req = dict(call.json)
        for field in ("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"):
            if isinstance(req.get(field), dict):
                req[field] = {**S3_DESTINATION_DEFAULTS, **req[field]}
        body = json.dumps(req).encode()
    firehose_check(call)
    return body


def firehose_check(call):
    op = call.operation
    name = call.json.get("DeliveryStreamName")
    if name and op != "CreateDeliveryStream":
        firehose_settle(call.account, call.region, name)
    if op == "CreateDeliveryStream":
        enc = call.json.get("DeliveryStreamEncryptionConfigurationInput") or {}
        if enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
            problem = service_key_check(call, enc.get("KeyARN"), "firehose")
            if problem:
                raise AwsError(400, "InvalidKMSResourceException", f"{problem[0]}: {problem[1]}")
    elif op == "StartDeliveryStreamEncryption":
        stream = firehose_stream(call.account, call.region, name)
        if stream is not None and stream.delivery_stream_type != "DirectPut":
            raise AwsError(400, "InvalidArgumentException",
                           "Encryption is not supported for delivery streams with a Kinesis stream as source.")
        if stream is not None and stream.delivery_stream_status != "ACTIVE":
            raise AwsError(400, "ResourceInUseException", f"Firehose {name} is not in the ACTIVE state.")
    elif op == "UpdateDestination":
        stream = firehose_stream(call.account, call.region, name)
        if stream is not None and stream.delivery_stream_status != "ACTIVE":
            raise AwsError(400, "ResourceInUseException", f"Firehose {name} is not in the ACTIVE state.")


def firehose_after(call, status):
    if status >= 300:
        return
    op = call.operation
    name = call.json.get("DeliveryStreamName")
    stream = firehose_stream(call.account, call.region, name)
    if stream is None:
        return
    now = time.time()
    if op == "CreateDeliveryStream":
        stream.delivery_stream_status = "CREATING"
        PENDING[("fh-create", call.account, call.region, name)] = now + CONFIG["firehose_create"]
        enc = stream.delivery_stream_encryption_configuration
        if enc and enc.get("KeyType") and "Status" not in enc:
            enc["Status"] = "ENABLED"  # AWS reports it; moto leaves it out
    elif op == "StartDeliveryStreamEncryption":
        enc = stream.delivery_stream_encryption_configuration
        enc.pop("FailureDescription", None)
        problem = None
        if enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
            problem = service_key_check(call, enc.get("KeyARN"), "firehose")
        enc["Status"] = "ENABLING"
        PENDING[("fh-enable", call.account, call.region, name)] = (now + CONFIG["firehose_enabling"], problem)


def firehose_settle(account, region, name):
    stream = firehose_stream(account, region, name)
    if stream is None:
        return
    now = time.time()
    ready = PENDING.get(("fh-create", account, region, name))
    if ready is not None and now >= ready:
        stream.delivery_stream_status = "ACTIVE"
        del PENDING[("fh-create", account, region, name)]
    pending = PENDING.get(("fh-enable", account, region, name))
    enc = stream.delivery_stream_encryption_configuration or {}
    if pending is not None and now >= pending[0]:
        del PENDING[("fh-enable", account, region, name)]
        if pending[1]:
            enc["Status"] = "ENABLING_FAILED"
            enc["FailureDescription"] = {"Type": FIREHOSE_FAILURE.get(pending[1][0], "UNKNOWN_ERROR"),
                                         "Details": pending[1][1]}
        else:
            enc["Status"] = "ENABLED"
    if enc.get("Status") == "ENABLED" and enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
        # A key disabled after the fact: Firehose reports it on the encryption configuration.
        owner, kregion, ref = parse_key_ref(enc.get("KeyARN"), account, region)
        key = find_key(owner, kregion, ref)
        if key is None or key.key_state != "Enabled":
            state = "missing" if key is None else key.key_state
            enc["FailureDescription"] = {
                "Type": "DISABLED_KMS_KEY" if state == "Disabled" else "INVALID_KMS_KEY",
                "Details": f"The KMS key {enc.get('KeyARN')} is {state.lower()}."}
        elif enc.get("FailureDescription", {}).get("Type") in ("DISABLED_KMS_KEY", "INVALID_KMS_KEY"):
            enc.pop("FailureDescription", None)


def rds_backend(account, region):
    from moto.rds.models import rds_backends
    return rds_backends[account][region]


RDS_KEYED = {"CreateDBInstance", "RestoreDBInstanceFromDBSnapshot", "CopyDBSnapshot"}


def rds_before(call):
    op = call.operation
    form = call.form
    if op in RDS_KEYED:
        for field in ("KmsKeyId", "MasterUserSecretKmsKeyId", "PerformanceInsightsKMSKeyId"):
            ref = form.get(field)
            if ref:
                problem = service_key_check(call, ref, "rds")
                if problem:
                    raise AwsError(400, "KMSKeyNotAccessibleFault",
                                   f"The specified KMS key [{ref}] does not exist, is not enabled or you do not "
                                   f"have permissions to access it. ({problem[0]})")
    if op == "RestoreDBInstanceFromDBSnapshot":
        snap = rds_backend(call.account, call.region).database_snapshots.get(form.get("DBSnapshotIdentifier"))
        if snap is not None and snap.kms_key_id:
            problem = service_key_check(call, snap.kms_key_id, "rds")
            if problem:
                raise AwsError(400, "KMSKeyNotAccessibleFault", f"The snapshot's KMS key is not accessible ({problem[0]})")
    if op.startswith("Describe") or op in ("StartDBInstance", "ModifyDBInstance", "CreateDBSnapshot"):
        # Only the instance the call names (all of them when it names none): settling every
        # instance on every call would make a fleet's reads quadratic.
        rds_settle(call.account, call.region, form.get("DBInstanceIdentifier"),
                   form.get("DBSnapshotIdentifier"))
    if op == "StartDBInstance":
        db = rds_backend(call.account, call.region).databases.get(form.get("DBInstanceIdentifier"))
        if db is not None and db.status == "inaccessible-encryption-credentials-recoverable":
            if key_unusable(db.kms_key_id, call.account, call.region):
                raise AwsError(400, "KMSKeyNotAccessibleFault", "The DB instance's KMS key is not accessible.")
            db.status = "stopped"
            DISABLED_SEEN.pop((call.account, call.region, db.db_instance_identifier), None)


def rds_after(call, status):
    if status >= 300:
        return
    op = call.operation
    form = call.form
    backend = rds_backend(call.account, call.region)
    now = time.time()
    if op in ("CreateDBInstance", "RestoreDBInstanceFromDBSnapshot"):
        db = backend.databases.get(form.get("DBInstanceIdentifier"))
        if db is not None:
            db.status = "creating"
            PENDING[("rds-db", call.account, call.region, db.db_instance_identifier)] = now + CONFIG["rds_create"]
    elif op in ("CreateDBSnapshot", "CopyDBSnapshot"):
        name = form.get("DBSnapshotIdentifier") or form.get("TargetDBSnapshotIdentifier")
        snap = backend.database_snapshots.get(name)
        if snap is not None:
            snap.status = "creating"
            PENDING[("rds-snap", call.account, call.region, name)] = now + CONFIG["rds_snapshot"]


def rds_settle(account, region, db_id=None, snap_id=None):
    backend = rds_backend(account, region)
    now = time.time()
    if db_id or snap_id:
        keys = [("rds-db", account, region, db_id), ("rds-snap", account, region, snap_id)]
        if db_id and not snap_id:
            keys += [k for k in PENDING if k[0] == "rds-snap" and k[1] == account and k[2] == region]
    else:
        keys = [k for k in PENDING if k[0] in ("rds-db", "rds-snap") and k[1] == account and k[2] == region]
    for k in keys:
        if k in PENDING and now >= PENDING[k]:
            del PENDING[k]
            target = backend.databases.get(k[3]) if k[0] == "rds-db" else backend.database_snapshots.get(k[3])
            if target is not None:
                target.status = "available"
    dbs = [backend.databases[db_id]] if db_id and db_id in backend.databases else (
        [] if db_id else list(backend.databases.values()))
    for db in dbs:
        if not db.kms_key_id or db.status in ("creating", "inaccessible-encryption-credentials"):
            continue
        ident = (account, region, db.db_instance_identifier)
        if key_unusable(db.kms_key_id, account, region):
            first = DISABLED_SEEN.setdefault(ident, now)
            if now - first >= CONFIG["rds_inaccessible"]:
                db.status = "inaccessible-encryption-credentials-recoverable"
        else:
            DISABLED_SEEN.pop(ident, None)



# ---------------------------------------------------------------------------------------------
# Faults (R8) and the call log (R9)


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []
        self.calls = []
        self.seq = 0

    def match_faults(self, call, when, status):
        """Faults matching this call. `match.mutating` counts only calls that change something
        (after the call: only those that succeeded); a `sticky` fault, once it fires, keeps to the
        same service, operation and path, so it fails one step (and the SDK's retries of it)."""
        hits = []
        with self.lock:
            for f in self.faults:
                if f.get("when", "before") != when:
                    continue
                m = f.get("match", {})
                if any(m.get(k) not in (None, getattr(call, k)) for k in ("service", "operation", "account", "method")):
                    continue
                if m.get("path_contains") and m["path_contains"] not in call.path:
                    continue
                if m.get("path_excludes") and m["path_excludes"] in call.path:
                    continue
                if m.get("body_contains") and m["body_contains"].encode() not in call.body:
                    continue
                pinned = f.get("pinned")
                if pinned is not None:
                    if pinned != [call.service, call.operation, call.path]:
                        continue
                    f["used"] = f.get("used", 0) + 1
                    hits.append(dict(f))
                    continue
                if m.get("mutating") and not (call.mutating and (status is None or status < 300)):
                    continue
                f["seen"] = f.get("seen", 0) + 1
                if f["seen"] <= f.get("skip", 0):
                    continue
                if f.get("times") is not None and f.get("used", 0) >= f["times"]:
                    continue
                f["used"] = f.get("used", 0) + 1
                if f.get("sticky"):
                    f["pinned"] = [call.service, call.operation, call.path]
                hits.append(dict(f))
        return hits


STATE = State()


def apply_fault(call, fault):
    """Returns a WSGI response triple, "drop", or None (latency only)."""
    kind = fault["kind"]
    if kind == "latency":
        time.sleep(fault.get("ms", 0) / 1000.0)
        return None
    if kind == "drop":
        return "drop"
    if kind == "throttle":
        code = {"s3": "SlowDown", "sts": "Throttling", "rds": "Throttling"}.get(call.service, "ThrottlingException")
        status = 503 if call.service == "s3" else 400
        return error_response(call, AwsError(status, code, "Rate exceeded"))
    if kind == "http5xx":
        return error_response(call, AwsError(fault.get("status", 503), fault.get("code", "ServiceUnavailable"),
                                             "Service is unavailable", sender=False))
    if kind == "iam-deny":
        action = f"{call.service}:{call.operation}"
        return error_response(call, AwsError(403 if call.service == "s3" else 400,
                                             "AccessDenied" if call.service in ("s3", "sts", "rds") else "AccessDeniedException",
                                             f"User: {call.caller_arn} is not authorized to perform: {action} "
                                             f"because no identity-based policy allows the {action} action"))
    if kind == "error":
        return error_response(call, AwsError(fault.get("status", 400), fault["code"], fault.get("message", "")))
    raise ValueError(f"unknown fault kind {kind}")


class Fidelity:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_localaws/"):
            return self.control(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        call = Call(environ, body)
        started = time.time()
        record = {"service": call.service, "operation": call.operation, "account": call.account,
                  "method": call.method, "path": call.path, "mutating": call.mutating, "start": started}
        status, headers, out = self.handle(environ, call)
        record.update(status=status, end=time.time())
        if status >= 300:
            record["mutating"] = False  # refused before it happened
        with STATE.lock:
            STATE.seq += 1
            record["seq"] = STATE.seq
            STATE.calls.append(record)
        if status == -1:
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            start_response("500 Dropped", [("Content-Length", "0"), ("Connection", "close")])
            return [b""]
        start_response(f"{status} X", headers)
        return [out]

    def handle(self, environ, call):
        for fault in STATE.match_faults(call, "before", None):
            r = apply_fault(call, fault)
            if r == "drop":
                return -1, [], b""
            if r is not None:
                return r
        try:
            target_account = call.account
            body = call.body
            if call.service == "kms":
                target_account, body = kms_rules(call)
            elif call.service == "s3":
                s3_rules(call)
            elif call.service == "firehose":
                body = firehose_before(call)
            elif call.service == "rds":
                rds_before(call)
        except AwsError as e:
            return error_response(call, e)
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = target_account
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        status, headers, out = self.forward(environ)
        if call.service == "s3":
            status, headers, out = s3_after(call, status, headers, out)
        elif call.service == "firehose":
            firehose_after(call, status)
        elif call.service == "rds":
            rds_after(call, status)
        for fault in STATE.match_faults(call, "after", status):
            r = apply_fault(call, fault)
            if r == "drop":
                return -1, [], b""
            if r is not None:
                return r
        return status, headers, out

    def forward(self, environ):
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        chunks = self.app(environ, start_response)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return int(captured["status"].split()[0]), list(captured["headers"]), out

    def control(self, environ, start_response):
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        q = {k: v[0] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = json.loads(environ["wsgi.input"].read(length) or b"null") if length else None
        result = {"ok": True}
        with STATE.lock:
            if path == "/_localaws/health":
                result = {"ok": True, "pid": os.getpid()}
            elif path == "/_localaws/config" and method == "POST":
                CONFIG.update({k: float(v) for k, v in (data or {}).items() if k in CONFIG})
                result = dict(CONFIG)
            elif path == "/_localaws/config":
                result = dict(CONFIG)
            elif path == "/_localaws/faults" and method == "POST":
                for f in data if isinstance(data, list) else [data]:
                    STATE.faults.append(dict(f))
            elif path == "/_localaws/faults" and method == "DELETE":
                acct = q.get("account")
                STATE.faults = [f for f in STATE.faults if acct and f.get("match", {}).get("account") != acct]
            elif path == "/_localaws/faults":
                result = STATE.faults
            elif path == "/_localaws/calls" and method == "DELETE":
                acct = q.get("account")
                STATE.calls = [c for c in STATE.calls if acct and c["account"] != acct]
            elif path == "/_localaws/calls":
                result = [c for c in STATE.calls
                          if (not q.get("account") or c["account"] == q["account"])
                          and (q.get("mutating") != "1" or c["mutating"])]
            else:
                result = {"error": f"unknown control path {path}"}
        out = json.dumps(result).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]


def patch_moto():
    """Moto bugs that are not AWS behaviour at all, fixed at the source rather than modelled.

    RDS MasterUserSecret.kms_key_id looks a key ARN up in the caller's account, so a database whose
    secret is under a cross-account key cannot be described (HTTP 500). AWS reports the ARN.
    Firehose allows 50 streams per region; AWS's default quota is 5,000.
    CloudFormation's AWS::KMS::Key loses a KeyPolicy given as an object, fails on Tags and ignores
    KeySpec, KeyUsage and Enabled."""
    from moto.rds import models as rds_models

    def kms_key_id(self):
        ref = self.secret.kms_key_id
        if re.match(r"^arn:[\w-]+:kms:", ref or ""):
            return ref
        return self.kms.describe_key(ref).arn

    rds_models.MasterUserSecret.kms_key_id = property(kms_key_id)

    # CloudFormation AWS::KMS::Key: KeyPolicy is a JSON object in CloudFormation (moto stores the
    # dict, and the key then has "no policy"); Tags come as Key/Value (moto expects TagKey/TagValue
    # and answers HTTP 500); KeySpec, KeyUsage and Enabled: false are ignored.
    from moto.kms import models as kms_models
    original = kms_models.Key.create_from_cloudformation_json.__func__

    def create_key_from_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = dict(cloudformation_json.get("Properties") or {})
        if not isinstance(props.get("KeyPolicy"), str):
            props["KeyPolicy"] = json.dumps(props.get("KeyPolicy"))
        props["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props.get("Tags") or []]
        key = original(cls, resource_name, dict(cloudformation_json, Properties=props), account_id,
                       region_name, **kwargs)
        key.key_spec = props.get("KeySpec", "SYMMETRIC_DEFAULT")
        key.key_usage = props.get("KeyUsage", "ENCRYPT_DECRYPT")
        if str(props.get("Enabled", True)).lower() == "false":
            key.enabled, key.key_state = False, "Disabled"
        return key

    kms_models.Key.create_from_cloudformation_json = classmethod(create_key_from_cfn)

    # Speed, not behaviour: moto's dispatcher lists its own package directory (a listdir and ~70
    # stats) on every request to find the service; the list never changes while it runs.
    from moto import backends as moto_backends
    from moto.moto_server import werkzeug_app
    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: iter(modules)
    if hasattr(werkzeug_app, "list_of_moto_modules"):
        werkzeug_app.list_of_moto_modules = moto_backends.list_of_moto_modules

    # Firehose: AWS's default quota is 5,000 streams per region (Firehose quotas page); moto's is 50.
    from moto.firehose import models as firehose_models
    firehose_models.DeliveryStream.MAX_STREAMS_PER_REGION = 5000


patch_moto()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = ap.parse_args()
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "false")
    app = Fidelity(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"localaws listening on http://127.0.0.1:{port}", flush=True)
    try:
        while sys.stdin.read(1):  # exits when the parent closes stdin or dies
            pass
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
