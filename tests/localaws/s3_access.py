"""Who may use an S3 bucket, as AWS decides it (moto lets any account into any bucket): the bucket
owner condition, x-amz-expected-bucket-owner (R26); a request from another account, which needs an
Allow in the bucket policy (and, for an assumed role, its own identity policies) (R26); and the
bucket policy's explicit Deny, which wins over every Allow, the bucket owner's too (R27). S3 Batch
Operations' requests as the job's role go through the same evaluation (R27, s3control.py)."""

import threading
import urllib.parse

import policy
from core import AwsError
from iam import assumed_role, identity_policies


_LOCAL = threading.local()  # R27: the object keys of this request's DeleteObjects the policy denies

# R27: the IAM action each operation needs on its bucket ("Actions, resources, and condition keys for
# Amazon S3"); the operations are named as request.py names them.
BUCKET_ACTIONS = {
    "ListObjects": "s3:ListBucket", "ListObjectsV2": "s3:ListBucket", "HeadBucket": "s3:ListBucket",
    "GetBucketVersions": "s3:ListBucketVersions", "ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "DeleteBucket": "s3:DeleteBucket", "GetBucketLocation": "s3:GetBucketLocation",
    "GetBucketPolicy": "s3:GetBucketPolicy", "PutBucketPolicy": "s3:PutBucketPolicy",
    "DeleteBucketPolicy": "s3:DeleteBucketPolicy", "GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration", "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketVersioning": "s3:GetBucketVersioning", "PutBucketVersioning": "s3:PutBucketVersioning",
    "GetBucketTagging": "s3:GetBucketTagging", "PutBucketTagging": "s3:PutBucketTagging",
    "DeleteBucketTagging": "s3:PutBucketTagging",
    "GetBucketAcl": "s3:GetBucketAcl", "PutBucketAcl": "s3:PutBucketAcl",
    "GetBucketPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "PutBucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "DeleteBucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "GetBucketOwnershipControls": "s3:GetBucketOwnershipControls",
    "PutBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "DeleteBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "GetBucketLifecycle": "s3:GetLifecycleConfiguration", "PutBucketLifecycle": "s3:PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "GetBucketReplication": "s3:GetReplicationConfiguration", "PutBucketReplication": "s3:PutReplicationConfiguration",
    "DeleteBucketReplication": "s3:PutReplicationConfiguration",
    "GetBucketLogging": "s3:GetBucketLogging", "PutBucketLogging": "s3:PutBucketLogging",
    "GetBucketCors": "s3:GetBucketCORS", "PutBucketCors": "s3:PutBucketCORS", "DeleteBucketCors": "s3:PutBucketCORS",
    "GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
}
# R27: (action, action when the request names a versionId) on the object.
OBJECT_ACTIONS = {
    "GetObject": ("s3:GetObject", "s3:GetObjectVersion"), "HeadObject": ("s3:GetObject", "s3:GetObjectVersion"),
    "PutObject": ("s3:PutObject", None), "PostObject": ("s3:PutObject", None), "CopyObject": ("s3:PutObject", None),
    "CreateMultipartUpload": ("s3:PutObject", None), "UploadPart": ("s3:PutObject", None),
    "UploadPartCopy": ("s3:PutObject", None), "CompleteMultipartUpload": ("s3:PutObject", None),
    "AbortMultipartUpload": ("s3:AbortMultipartUpload", None), "ListParts": ("s3:ListMultipartUploadParts", None),
    "GetObjectTagging": ("s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
    "PutObjectTagging": ("s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
    "DeleteObjectTagging": ("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"),
    "GetObjectAcl": ("s3:GetObjectAcl", "s3:GetObjectVersionAcl"),
    "PutObjectAcl": ("s3:PutObjectAcl", "s3:PutObjectVersionAcl"),
    "GetObjectAttributes": ("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes"),
    "GetObjectRetention": ("s3:GetObjectRetention", None), "PutObjectRetention": ("s3:PutObjectRetention", None),
    "GetObjectLegalHold": ("s3:GetObjectLegalHold", None), "PutObjectLegalHold": ("s3:PutObjectLegalHold", None),
}
POLICY_ACTIONS = ("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy")
WRITE_CONDITIONS = ("PutObject", "CopyObject", "CompleteMultipartUpload")  # s3:if-none-match, s3:if-match


def access_denied():
    return AwsError(403, "AccessDenied", "Access Denied")


def find_bucket(name):
    """(owner account, moto bucket) of a bucket name in any account, or None."""
    from moto.s3.models import s3_backends
    where = s3_backends.bucket_accounts.get(name)
    if where is None:
        return None
    partition, account = where
    bucket = s3_backends[account][partition].buckets.get(name)
    return (account, bucket) if bucket is not None else None


def principal_arn(account, caller_arn):
    """R27: aws:PrincipalArn: an assumed role session's role ARN, else the caller's ARN."""
    role = assumed_role(account, caller_arn)
    if role is not None:
        return role.arn
    return caller_arn


def request_context(call):
    """R27: the condition keys an S3 request carries. aws:SecureTransport is "true" unless the request
    has the harness header x-localaws-insecure-transport: 1 (the local AWS is plain HTTP on 127.0.0.1
    in place of AWS's HTTPS endpoints); the s3: keys are the request's own headers, never the
    bucket's defaults."""
    env = call.environ
    ctx = {"aws:SecureTransport": "false" if env.get("HTTP_X_LOCALAWS_INSECURE_TRANSPORT") == "1" else "true",
           "aws:PrincipalAccount": call.account, "aws:PrincipalArn": principal_arn(call.account, call.caller_arn)}
    for header, key in (("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION", "s3:x-amz-server-side-encryption"),
                        ("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID",
                         "s3:x-amz-server-side-encryption-aws-kms-key-id")):
        if env.get(header) is not None:
            ctx[key] = env[header]
    if call.operation in WRITE_CONDITIONS:
        for header, key in (("HTTP_IF_NONE_MATCH", "s3:if-none-match"), ("HTTP_IF_MATCH", "s3:if-match")):
            if env.get(header) is not None:
                ctx[key] = env[header]
    for param, key in (("prefix", "s3:prefix"), ("delimiter", "s3:delimiter"), ("versionId", "s3:versionid")):
        if param in call.query:
            ctx[key] = call.query[param][0]
    return ctx


def decide(owner, bucket, caller_account, caller_arn, action, resource, ctx, identity_allows=None):
    """R26, R27: whether the bucket lets this principal do `action` on `resource`; raises the S3 error.
    An explicit Deny wins (but the owner account's root may always get, put and delete the bucket
    policy); a principal of another account needs an Allow in the bucket policy and, for a role,
    from its own identity policies; another account's permitted bucket-policy call is 405."""
    document = bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy
    try:
        decision = policy.evaluate_bucket(document, caller_account, caller_arn, action, resource, ctx) \
            if document else "implicit"
    except ValueError as e:
        raise AwsError(500, "InternalError", f"the local AWS does not model this bucket policy: {e}", sender=False)
    root = caller_arn == f"arn:aws:iam::{owner}:root"
    if decision == "deny" and not (action in POLICY_ACTIONS and root):
        raise access_denied()
    if caller_account == owner:
        return
    if decision != "allow":
        raise access_denied()
    if identity_allows is not None and not identity_allows(action, resource, ctx):
        raise access_denied()
    if action in POLICY_ACTIONS:
        raise AwsError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")


def identity_check(call):
    """R26: an assumed role's identity policies for its cross-account requests (None: a root caller)."""
    role = assumed_role(call.account, call.caller_arn)
    if role is None:
        return None
    docs = identity_policies(role, "role")
    return lambda action, resource, ctx: policy.evaluate_identity(docs, action, resource, ctx)[0] == "allowed"


def permitted(call, action, resource):
    """R27, R28: whether the caller may do `action` (s3:BypassGovernanceRetention, say) on the resource."""
    parts = [p for p in call.path.split("/") if p]
    found = find_bucket(parts[0]) if parts else None
    if found is None:
        return True
    try:
        decide(found[0], found[1], call.account, call.caller_arn, action, resource, request_context(call),
               identity_check(call))
    except AwsError:
        return False
    return True


def copy_source(call):
    """(bucket, key, versionId or None) of x-amz-copy-source, or None."""
    raw = call.environ.get("HTTP_X_AMZ_COPY_SOURCE")
    if not raw:
        return None
    source = urllib.parse.urlparse(raw)
    bucket, _, key = urllib.parse.unquote(source.path).lstrip("/").partition("/")
    version = urllib.parse.parse_qs(source.query).get("versionId", [None])[0]
    return bucket, key, version


def s3_access(call):
    """R26, R27, before the request reaches moto (or the layer's own S3 answers, R21, R28)."""
    _LOCAL.denied_resources = set()
    parts = [p for p in call.path.split("/") if p]
    if not parts or call.operation == "CreateBucket":
        # R26: "Bucket owner condition isn't available for CreateBucket, ListBuckets, ..." (ignored).
        return
    found = find_bucket(parts[0])
    if found is None:
        return  # moto answers NoSuchBucket
    owner, bucket = found
    expected = call.environ.get("HTTP_X_AMZ_EXPECTED_BUCKET_OWNER")
    if expected is not None and expected != owner:
        raise access_denied()  # R26: the bucket owner condition, before anything else
    checks = []
    key = urllib.parse.unquote("/".join(parts[1:])) if len(parts) > 1 else None
    version = call.query.get("versionId", [None])[0]
    bucket_arn = f"arn:aws:s3:::{parts[0]}"
    if call.operation == "PostBucketDelete":
        return delete_objects_access(call, owner, bucket, bucket_arn)
    if key is not None and call.operation == "DeleteObject":
        # R27: "you must always have the s3:DeleteObject permission", and s3:DeleteObjectVersion for a version.
        checks.append(("s3:DeleteObject", f"{bucket_arn}/{key}", owner, bucket))
        if version is not None:
            checks.append(("s3:DeleteObjectVersion", f"{bucket_arn}/{key}", owner, bucket))
    elif key is not None:
        plain, versioned = OBJECT_ACTIONS.get(call.operation, (f"s3:{call.operation}", None))
        checks.append((versioned if version is not None and versioned else plain, f"{bucket_arn}/{key}", owner, bucket))
    else:
        checks.append((BUCKET_ACTIONS.get(call.operation, f"s3:{call.operation}"), bucket_arn, owner, bucket))
    if call.operation in ("CopyObject", "UploadPartCopy"):
        source = copy_source(call)
        src_found = find_bucket(source[0]) if source else None
        if src_found is not None:
            expected_src = call.environ.get("HTTP_X_AMZ_SOURCE_EXPECTED_BUCKET_OWNER")
            if expected_src is not None and expected_src != src_found[0]:
                raise access_denied()  # R26: x-amz-source-expected-bucket-owner
            action = "s3:GetObjectVersion" if source[2] else "s3:GetObject"
            checks.append((action, f"arn:aws:s3:::{source[0]}/{source[1]}", src_found[0], src_found[1]))
    ctx = request_context(call)
    identity = identity_check(call)
    for action, resource, acct, bkt in checks:
        decide(acct, bkt, call.account, call.caller_arn, action, resource, ctx, identity)


def delete_objects_access(call, owner, bucket, bucket_arn):
    """R27: DeleteObjects answers AccessDenied for each key the policy does not let the caller delete
    (s3:DeleteObject, and s3:DeleteObjectVersion for a version); moto asks moto_permission per key."""
    import xmltodict
    try:
        objects = (xmltodict.parse(call.body or b"<Delete/>").get("Delete") or {}).get("Object") or []
    except Exception:
        return  # moto answers MalformedXML
    ctx = request_context(call)
    identity = identity_check(call)
    for obj in objects if isinstance(objects, list) else [objects]:
        resource = f"{bucket_arn}/{obj.get('Key')}"
        actions = ["s3:DeleteObject"] + (["s3:DeleteObjectVersion"] if obj.get("VersionId") else [])
        try:
            for action in actions:
                decide(owner, bucket, call.account, call.caller_arn, action, resource, ctx, identity)
        except AwsError:
            _LOCAL.denied_resources.add(resource)


def moto_permission(bucket, action, resource):
    """R27: replaces moto's FakeBucket.get_permission (its own bucket policy check, which denies on any
    condition it cannot evaluate and ignores AWS principals): the layer has decided already; only
    DeleteObjects' keys the layer found denied are DENIED."""
    from moto.iam.access_control import PermissionResult
    denied = getattr(_LOCAL, "denied_resources", None) or ()
    return PermissionResult.DENIED if resource in denied else PermissionResult.NEUTRAL


def role_decision(account, role_arn, action, resource, context=None):
    """R27: the bucket policy for a request S3 Batch Operations makes as the job's role (its identity
    policies are checked by the caller). Returns None, or (code, HTTP status, message)."""
    parts = resource.split(":::", 1)[-1].split("/", 1)
    found = find_bucket(parts[0])
    if found is None:
        return None
    ctx = {"aws:SecureTransport": "true", "aws:PrincipalAccount": account, "aws:PrincipalArn": role_arn}
    ctx.update(context or {})
    try:
        decide(found[0], found[1], account, role_arn, action, resource, ctx)
    except AwsError as e:
        return e.code, e.status, e.message
    return None
