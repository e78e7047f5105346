"""What one request is: its service, operation and body, and the caller's account and principal
as the access key says (R1); S3 and S3 Control operations named from their REST paths (R14, R15, R27, R28)."""

import json
import re
import urllib.parse

import cbor2  # R18: CloudWatch's Smithy RPC v2 CBOR

from kms import KMS_READ_ONLY
from s3control import s3control_operation


DEFAULT_ACCOUNT = "123456789012"


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
        self.cbor = {}
        if self.service in ("monitoring", "tagging") and self.path.startswith("/service/"):
            # R18: Smithy RPC v2 CBOR, POST /service/<service>/operation/<operation>; R30: the Tagging API too.
            self.operation = self.path.rsplit("/", 1)[-1]
            try:
                self.cbor = cbor2.loads(body) if body else {}
            except Exception:
                self.cbor = {}
        elif self.service == "s3" and self.path.startswith("/v20180820/"):
            # R14: S3 Control signs as "s3" too; its REST paths all start with the API version.
            self.service = "s3control"
            self.operation = s3control_operation(self.method, self.path)
        elif target:
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
        self.replayed = False  # R14: a CreateJob answered from its idempotency token changes nothing

    def _service_from_host(self):
        host = self.environ.get("HTTP_HOST", "")
        return host.split(".")[0] if "." in host else "unknown"

    def _s3_operation(self):
        sub = next((k for k in ("encryption", "tagging", "versioning", "publicAccessBlock", "ownershipControls",
                                 "policy", "acl", "uploads", "uploadId", "versions", "list-type", "location",
                                 "delete", "lifecycle", "logging", "replication", "object-lock", "retention",
                                 "legal-hold", "cors", "policyStatus") if k in self.query), None)
        parts = [p for p in self.path.split("/") if p]
        has_key = len(parts) > 1
        verb = {"GET": "Get", "HEAD": "Head", "PUT": "Put", "POST": "Post", "DELETE": "Delete"}[self.method]
        # R27, R28: the Object Lock operations by their API names (their IAM actions differ from the
        # names the pattern below would give).
        named = {"object-lock": "ObjectLockConfiguration", "retention": "ObjectRetention",
                 "legal-hold": "ObjectLegalHold", "policyStatus": "BucketPolicyStatus"}.get(sub)
        if named:
            return f"{verb}{named}"
        if has_key and "uploadId" in self.query:  # R15: the multipart upload calls by their names
            if self.method == "PUT":
                return "UploadPartCopy" if "HTTP_X_AMZ_COPY_SOURCE" in self.environ else "UploadPart"
            return {"POST": "CompleteMultipartUpload", "DELETE": "AbortMultipartUpload"}.get(self.method, "ListParts")
        if "uploads" in self.query:
            return "CreateMultipartUpload" if has_key else "ListMultipartUploads"
        if has_key and self.method == "GET" and "attributes" in self.query:
            return "GetObjectAttributes"
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
        if self.service == "sts" or self.replayed:
            return False
        if self.service == "kms":
            return self.operation not in KMS_READ_ONLY and not self.json.get("DryRun")
        if self.service == "s3":
            return self.method in ("PUT", "POST", "DELETE")
        return not re.match(r"(Describe|Get|List|Head|Lookup|Check|Query|Scan|Simulate)", self.operation)


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
