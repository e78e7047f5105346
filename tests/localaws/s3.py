"""S3 as AWS documents it: S3 uses the KMS key on the caller's behalf, through s3.<region> (R7); a
bucket without a configuration encrypts with SSE-S3 (R10); multipart copy, and objects that
report a size over 5 GB (R15)."""

import re
import time
import urllib.parse

from core import CONFIG, AwsError
from kms import authorize, check_state, find_key, parse_key_ref


# ---------------------------------------------------------------------------------------------
# S3 through KMS (R7)


def s3_find_bucket(name):
    from moto.s3.models import s3_backends
    for account in list(s3_backends.keys()):
        for backend in s3_backends[account].values():
            if name in backend.buckets:
                return backend.buckets[name]
    return None


def s3_find(name, account=None):
    """(moto S3 backend, bucket) for a bucket name, in `account` when given; None if no such bucket."""
    from moto.s3.models import s3_backends
    for acct in ([account] if account else list(s3_backends.keys())):
        for backend in s3_backends[acct].values():
            if name in backend.buckets:
                return backend, backend.buckets[name]
    return None


def bucket_key_on(obj):
    """R7: whether an object is under an S3 Bucket Key (its context is then the bucket ARN). Moto keeps
    the request header's text, so an object written with "false" holds a truthy "false"."""
    return str(getattr(obj, "bucket_key_enabled", None)).lower() == "true"


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
    if len(parts) < 2 or call.operation not in ("PutObject", "CopyObject", "GetObject", "PostObject",
                                                "CreateMultipartUpload", "UploadPartCopy",
                                                "CompleteMultipartUpload"):
        return
    bucket_name, object_key = parts[0], urllib.parse.unquote("/".join(parts[1:]))
    bucket = s3_find_bucket(bucket_name)
    if bucket is None:
        return
    if call.operation == "GetObject":
        obj = bucket.keys.get(object_key)
        if obj is not None and getattr(obj, "encryption", None) == "aws:kms":
            arn = f"arn:aws:s3:::{bucket_name}" if bucket_key_on(obj) else f"arn:aws:s3:::{bucket_name}/{object_key}"
            s3_key_use(call, obj.kms_key_id, "Decrypt", arn)
        return
    if call.operation in ("UploadPartCopy", "CompleteMultipartUpload"):
        return multipart_rules(call, bucket, bucket_name, object_key)
    sse = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION")
    key_ref = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID")
    bucket_key = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED", "").lower() == "true"
    if sse is None and not bucket.encryption:
        # R10: a bucket without a configuration encrypts with SSE-S3 (R15: multipart uploads too).
        call.environ["HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION"] = "AES256"
        return
    if sse is None and bucket.encryption:
        rule = (bucket.encryption.get("Rule") or {})
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        sse = default.get("SSEAlgorithm")
        key_ref = default.get("KMSMasterKeyID")
        bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    if sse == "aws:kms":
        # R7; R15: CreateMultipartUpload needs kms:GenerateDataKey like PutObject. The encryption context
        # is the object written: for CopyObject (in place too) the destination, the request's path.
        arn = f"arn:aws:s3:::{bucket_name}" if bucket_key else f"arn:aws:s3:::{bucket_name}/{object_key}"
        s3_key_use(call, key_ref, "GenerateDataKey", arn)


# ---------------------------------------------------------------------------------------------
# Objects that report a size over 5 GB, and multipart copy (R15)

MAX_COPY_BYTES = 5 * 1024 ** 3  # CopyObject's and Batch Copy's limit (R14, R15)
OVERWRITE_ON_COPY = set()  # R15 harness: (bucket, key) overwritten before the next UploadPartCopy from it


def upload_encryption(bucket, multipart):
    """(SSE algorithm, key id, bucket key) the completed object of a multipart upload gets: the
    upload's own headers, else the bucket's default encryption (as moto applies it on completion)."""
    sse = getattr(multipart, "sse_encryption", None)
    key_ref = getattr(multipart, "kms_key_id", None)
    bucket_key = bool(getattr(multipart, "_localaws_bucket_key", False))
    if not sse and bucket.encryption:
        rule = bucket.encryption.get("Rule") or {}
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        sse, key_ref = default.get("SSEAlgorithm"), default.get("KMSMasterKeyID")
        bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    return sse, key_ref, bucket_key


def archived(obj):
    """An object no copy can read until restored: GLACIER or DEEP_ARCHIVE without a finished restore,
    or an Intelligent-Tiering archive tier (R14, R15)."""
    if getattr(obj, "_localaws_archive_status", None):
        return True
    restore = obj.response_dict.get("x-amz-restore", "") if obj._expiry is not None else ""
    return obj.storage_class in ("GLACIER", "DEEP_ARCHIVE") and 'ongoing-request="false"' not in restore


def precondition_failed(condition):
    return AwsError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold "
                                               f"({condition})")


def overwrite_now(bucket_name, key_name):
    """R15 harness: a concurrent writer puts new bytes at the key, under the bucket's default
    encryption (SSE-S3 without one, R10), so its ETag changes."""
    backend, bucket = s3_find(bucket_name)
    new = backend.put_object(bucket_name, key_name, f"written again at {time.time()!r}".encode(),
                             encryption=None if bucket.encryption else "AES256")
    return new


def multipart_rules(call, bucket, bucket_name, object_key):
    """R15 before the call: UploadPartCopy's x-amz-copy-source-if-match and range (over the size the
    source reports), CompleteMultipartUpload's If-Match, and the KMS use of both (kms:Decrypt through
    s3.<region>: the parts are decrypted to be copied and to complete the upload)."""
    upload_id = call.query.get("uploadId", [""])[0]
    multipart = bucket.multiparts.get(upload_id)
    call.s3_multipart = multipart
    if multipart is None:
        return  # moto answers NoSuchUpload
    sse, key_ref, bucket_key = upload_encryption(bucket, multipart)
    context_arn = f"arn:aws:s3:::{bucket_name}" if bucket_key else f"arn:aws:s3:::{bucket_name}/{object_key}"
    if call.operation == "CompleteMultipartUpload":
        if_match = call.environ.get("HTTP_IF_MATCH")
        if if_match:
            current = bucket.keys.get(object_key)
            if current is None:
                raise AwsError(404, "NoSuchKey", "The specified key does not exist.")
            if current.etag.strip('"') != if_match.strip('"'):
                raise precondition_failed("If-Match")
        if sse == "aws:kms":
            s3_key_use(call, key_ref, "Decrypt", context_arn)
        return
    source = urllib.parse.urlparse(call.environ.get("HTTP_X_AMZ_COPY_SOURCE", ""))
    src_bucket_name, _, src_key_name = urllib.parse.unquote(source.path).lstrip("/").partition("/")
    found = s3_find(src_bucket_name)
    if found is None:
        return
    if (src_bucket_name, src_key_name) in OVERWRITE_ON_COPY:
        OVERWRITE_ON_COPY.discard((src_bucket_name, src_key_name))
        overwrite_now(src_bucket_name, src_key_name)
    src = found[1].keys.get(src_key_name)
    if src is None:
        return  # moto answers NoSuchKey
    if_match = call.environ.get("HTTP_X_AMZ_COPY_SOURCE_IF_MATCH")
    # R15 (unconfirmed): 412 on a differing if-match, or (upload_part_copy_if_match: 0) the part is
    # copied from whatever the object now is; CompleteMultipartUpload's If-Match catches that one.
    if if_match and src.etag.strip('"') != if_match.strip('"') and CONFIG["upload_part_copy_if_match"]:
        raise precondition_failed("x-amz-copy-source-If-Match")
    if archived(src):
        raise AwsError(403, "InvalidObjectState", "The operation is not valid for the object's storage class")
    m = re.match(r"^bytes=(\d+)-(\d+)$", call.environ.get("HTTP_X_AMZ_COPY_SOURCE_RANGE", ""))
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if end < start or end >= src.size:
            raise AwsError(400, "InvalidArgument", f"Range specified is not valid for source object of size: {src.size}")
        call.s3_part_size = end - start + 1
    else:
        call.s3_part_size = src.size
    call.s3_source = src
    if src.encryption == "aws:kms":  # reading the source, as GetObject
        arn = (f"arn:aws:s3:::{src_bucket_name}" if bucket_key_on(src)
               else f"arn:aws:s3:::{src_bucket_name}/{src_key_name}")
        s3_key_use(call, src.kms_key_id, "Decrypt", arn)
    if sse == "aws:kms":
        s3_key_use(call, key_ref, "Decrypt", context_arn)


def multipart_after(call, status, headers, out):
    """R15 after the call: the bucket key and the parts' reported sizes follow the upload to its
    object; an object assembled from the parts of an object that reports a size reports their sum."""
    parts = [p for p in call.path.split("/") if p]
    found = s3_find(parts[0]) if parts else None
    if found is None or status >= 300:
        return status, headers, out
    bucket = found[1]
    object_key = urllib.parse.unquote("/".join(parts[1:]))
    if call.operation == "CreateMultipartUpload":
        m = re.search(rb"<UploadId>([^<]+)</UploadId>", out)
        multipart = bucket.multiparts.get(m.group(1).decode()) if m else None
        if multipart is not None and call.environ.get(
                "HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED", "").lower() == "true":
            multipart._localaws_bucket_key = True
            headers = headers + [("x-amz-server-side-encryption-bucket-key-enabled", "true")]
    elif call.operation == "UploadPartCopy" and getattr(call, "s3_source", None) is not None:
        multipart = getattr(call, "s3_multipart", None)
        part = multipart.parts.get(int(call.query.get("partNumber", ["0"])[0])) if multipart else None
        if part is not None and getattr(call.s3_source, "_localaws_reported_size", None):
            # A part of an object that reports more than it holds reports the range's length
            # (its bytes are the real content's, if any, in that range).
            part.contentsize = call.s3_part_size
            part._localaws_reported_size = call.s3_part_size
        algorithm = (multipart.metadata.get("x-amz-checksum-algorithm") or "").upper() if multipart else ""
        element = f"Checksum{algorithm}".encode()
        if part is not None and algorithm and b"<" + element + b">" not in out and b"</CopyPartResult>" in out:
            # The part's checksum, when the upload was created with an algorithm (moto leaves it out).
            from moto.s3.utils import compute_checksum
            try:
                value = compute_checksum(part.value, algorithm)
            except Exception:
                value = None
            if value:
                out = out.replace(b"</CopyPartResult>", b"<" + element + b">" + value + b"</" + element
                                  + b"></CopyPartResult>")
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                headers.append(("Content-Length", str(len(out))))
    elif call.operation == "CompleteMultipartUpload" and getattr(call, "s3_multipart", None) is not None:
        multipart, obj = call.s3_multipart, bucket.keys.get(object_key)
        if obj is not None and obj.multipart is multipart:
            if getattr(multipart, "_localaws_bucket_key", False):
                obj.bucket_key_enabled = True
                headers = headers + [("x-amz-server-side-encryption-bucket-key-enabled", "true")]
            if any(getattr(p, "_localaws_reported_size", None) for p in multipart.parts.values()):
                numbers = [int(n) for n in re.findall(rb"<PartNumber>\s*(\d+)\s*</PartNumber>", call.body)]
                reported = sum(multipart.parts[n].contentsize for n in numbers if n in multipart.parts)
                obj.contentsize = reported
                obj._localaws_reported_size = reported
    return status, headers, out


def set_reported_size(data):
    """R15 harness (POST /_localaws/s3/size): the object's current version reports `size` bytes
    (HeadObject, ListObjects*, GetObjectAttributes, UploadPartCopy ranges) while holding and serving
    its real content."""
    found = s3_find(data["bucket"], data.get("account"))
    obj = found[1].keys.get(data["key"]) if found else None
    if obj is None:
        return {"error": f"no object {data['bucket']}/{data['key']}"}
    obj.contentsize = int(data["size"])
    obj._localaws_reported_size = int(data["size"])
    return {"ok": True, "etag": obj.etag, "size": obj.contentsize}


def set_archive_status(data):
    """R15 harness (POST /_localaws/s3/archive-status): an Intelligent-Tiering object in the
    ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS tier (HeadObject's x-amz-archive-status; copies refuse it)."""
    found = s3_find(data["bucket"], data.get("account"))
    obj = found[1].keys.get(data["key"]) if found else None
    if obj is None:
        return {"error": f"no object {data['bucket']}/{data['key']}"}
    obj._localaws_archive_status = data.get("status") or None
    return {"ok": True}


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
    if call.operation in ("CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload"):
        return multipart_after(call, status, headers, out)
    if call.operation == "GetObject" and status in (200, 206):
        # R15: an object that reports a larger size still serves (and counts) its real bytes.
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return status, headers + [("Content-Length", str(len(out)))], out
    if call.operation == "HeadObject" and status == 200:
        parts = [p for p in call.path.split("/") if p]
        found = s3_find(parts[0]) if len(parts) > 1 else None
        obj = found[1].keys.get(urllib.parse.unquote("/".join(parts[1:]))) if found else None
        if obj is not None and getattr(obj, "_localaws_archive_status", None):
            return status, headers + [("x-amz-archive-status", obj._localaws_archive_status)], out
        return status, headers, out
    if call.operation == "GetBucketEncryption" and status == 404 and b"ServerSideEncryptionConfigurationNotFound" in out:
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return 200, headers + [("Content-Length", str(len(DEFAULT_ENCRYPTION_XML)))], DEFAULT_ENCRYPTION_XML
    return status, headers, out
