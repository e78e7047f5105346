"""S3 as AWS documents it: S3 uses the KMS key on the caller's behalf, through s3.<region> (R7); a
bucket without a configuration encrypts with SSE-S3 (R10); multipart copy, and objects that
report a size over 5 GB (R15); multipart uploads in progress: their listing, and the encryption
they were started with (R21); replication configurations as they were put (R22); ListBuckets' Prefix (R26)."""

import itertools
import re
import time
import urllib.parse
import uuid

from core import CONFIG, AwsError, _xml
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
        if call.operation == "CreateMultipartUpload" and sse:
            # R21: the parts' encryption "is set to the default encryption configuration of the
            # destination bucket" when the upload starts: the upload carries it (moto would take the
            # default of the moment the upload completes).
            call.environ["HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION"] = sse
            if key_ref:
                call.environ["HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID"] = key_ref
            if bucket_key:
                call.environ["HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED"] = "true"
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
        bucket_key = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED", "").lower() == "true"
        if multipart is not None and bucket_key:
            multipart._localaws_bucket_key = True
            headers = headers + [("x-amz-server-side-encryption-bucket-key-enabled", "true")]
        if multipart is not None:
            # R21: when and by whom it was started (ListMultipartUploads), the encryption it keeps to
            # its completion, and an upload ID that sorts as the uploads of a key are listed.
            multipart._localaws_initiated = time.time()
            multipart._localaws_initiator = call.caller_arn
            multipart._localaws_encryption = (call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION"),
                                              call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID"),
                                              bucket_key)
            old_id = multipart.id
            multipart.id = f"{next(UPLOAD_SEQ):012d}{old_id}"
            bucket.multiparts[multipart.id] = bucket.multiparts.pop(old_id)
            out = out.replace(f"<UploadId>{old_id}</UploadId>".encode(), f"<UploadId>{multipart.id}</UploadId>".encode())
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(out)))]
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
            encryption = getattr(multipart, "_localaws_encryption", None)
            if encryption is not None and encryption[0]:
                # R21: the object has the encryption the upload was started with, whatever the bucket's
                # default encryption is now (moto fills in today's default key and bucket key).
                sse, key_ref, bucket_key = encryption
                obj.encryption = sse
                obj.kms_key_id = key_ref if sse.startswith("aws:kms") else None
                obj.bucket_key_enabled = True if bucket_key else None
                headers = [(k, v) for k, v in headers if not k.lower().startswith("x-amz-server-side-encryption")]
                headers.append(("x-amz-server-side-encryption", sse))
                if obj.kms_key_id:
                    headers.append(("x-amz-server-side-encryption-aws-kms-key-id", obj.kms_key_id))
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
    if call.operation == "GetBucketReplication" and status == 200:
        return replication_answer(call, headers, out)
    if call.operation == "ListBuckets" and status == 200 and call.query.get("prefix") \
            and b"</ListAllMyBucketsResult>" in out and b"<Prefix>" not in out:
        # R26: "If Prefix was sent with the request, it is included in the response" (moto filters by it
        # but leaves it out).
        out = out.replace(b"</ListAllMyBucketsResult>",
                          f"<Prefix>{_xml(call.query['prefix'][0])}</Prefix></ListAllMyBucketsResult>".encode())
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return status, headers + [("Content-Length", str(len(out)))], out
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


# ---------------------------------------------------------------------------------------------
# Multipart uploads in progress (R21): ListMultipartUploads, answered by the layer (moto lists every
# upload at once, unsorted, with a fixed Initiated date, and ignores max-uploads and the markers)

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
UPLOAD_SEQ = itertools.count(1)  # R21 harness: upload IDs of later uploads sort after earlier ones


def _s3_time(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def list_multipart_uploads(call):
    """R21: the bucket's uploads in progress, sorted by key and, within a key, by initiation time
    (upload IDs sort the same way), max-uploads (1,000 at most) at a time from after key-marker
    (and upload-id-marker), with IsTruncated, NextKeyMarker and NextUploadIdMarker; prefix,
    delimiter (CommonPrefixes) and encoding-type url. Each Upload: Key, UploadId, Initiator,
    Owner, StorageClass, Initiated (and the checksum algorithm it was started with); nothing
    about its encryption, which ListMultipartUploads does not report. DisplayName is left out: S3
    stopped returning it on 2025-11-21."""
    from moto.s3.models import OWNER
    parts = [p for p in call.path.split("/") if p]
    found = (s3_find(parts[0], call.account) or s3_find(parts[0])) if parts else None
    if found is None:
        raise AwsError(404, "NoSuchBucket", "The specified bucket does not exist")
    bucket = found[1]
    q = {k: v[0] for k, v in call.query.items()}
    prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
    key_marker, id_marker = q.get("key-marker", ""), q.get("upload-id-marker", "")
    try:
        limit = min(int(q.get("max-uploads", "1000")), 1000)
    except ValueError:
        raise AwsError(400, "InvalidArgument", "Provided max-uploads not an integer or within integer range")
    if limit < 0:
        raise AwsError(400, "InvalidArgument", "Argument max-uploads must be an integer between 0 and 2147483647")
    encode = (lambda k: urllib.parse.quote(k, safe="/")) if q.get("encoding-type") == "url" else (lambda k: k)
    uploads = sorted((m for m in list(bucket.multiparts.values()) if m.key_name.startswith(prefix)),
                     key=lambda m: (m.key_name, m.id))
    items, seen_prefixes = [], set()
    for m in uploads:
        key = m.key_name
        common = None
        if delimiter and delimiter in key[len(prefix):]:
            rest = key[len(prefix):]
            common = prefix + rest[:rest.index(delimiter) + len(delimiter)]
        if key_marker:
            if common is not None and common <= key_marker:
                continue
            if common is None and not (key > key_marker or (id_marker and key == key_marker and m.id > id_marker)):
                continue
        if common is not None:
            if common not in seen_prefixes:
                seen_prefixes.add(common)
                items.append(("prefix", common, None))
            continue
        items.append(("upload", key, m))
    page, truncated = items[:limit], len(items) > limit
    out = [f"<Bucket>{_xml(bucket.name)}</Bucket>", f"<KeyMarker>{_xml(encode(key_marker))}</KeyMarker>",
           f"<UploadIdMarker>{_xml(id_marker)}</UploadIdMarker>"]
    if truncated and page:
        last = page[-1]
        out.append(f"<NextKeyMarker>{_xml(encode(last[1]))}</NextKeyMarker>")
        out.append(f"<NextUploadIdMarker>{_xml(last[2].id if last[2] is not None else '')}</NextUploadIdMarker>")
    if delimiter:
        out.append(f"<Delimiter>{_xml(encode(delimiter))}</Delimiter>")
    if prefix:
        out.append(f"<Prefix>{_xml(encode(prefix))}</Prefix>")
    out.append(f"<MaxUploads>{limit}</MaxUploads><IsTruncated>{str(truncated).lower()}</IsTruncated>")
    for kind, key, m in page:
        if kind != "upload":
            continue
        initiator = getattr(m, "_localaws_initiator", None) or f"arn:aws:iam::{bucket.account_id}:root"
        if initiator.endswith(":root"):
            initiator = OWNER  # "If the initiator is an AWS account, this element provides the same
            #                    information as the Owner element."
        checksum = "".join(f"<{el}>{_xml(m.metadata.get(h))}</{el}>" for el, h in (
            ("ChecksumAlgorithm", "x-amz-checksum-algorithm"), ("ChecksumType", "x-amz-checksum-type"))
            if m.metadata.get(h))
        out.append(f"<Upload><Key>{_xml(encode(key))}</Key><UploadId>{_xml(m.id)}</UploadId>"
                   f"<Initiator><ID>{_xml(initiator)}</ID></Initiator><Owner><ID>{OWNER}</ID></Owner>"
                   f"<StorageClass>{_xml(m.storage or 'STANDARD')}</StorageClass>"
                   f"<Initiated>{_s3_time(getattr(m, '_localaws_initiated', None) or time.time())}</Initiated>"
                   f"{checksum}</Upload>")
    out += [f"<CommonPrefixes><Prefix>{_xml(encode(key))}</Prefix></CommonPrefixes>"
            for kind, key, _ in page if kind == "prefix"]
    if q.get("encoding-type") == "url":
        out.append("<EncodingType>url</EncodingType>")
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="{S3_NS}">'
            + "".join(out) + "</ListMultipartUploadsResult>").encode()
    return 200, [("Content-Type", "application/xml"), ("x-amz-request-id", str(uuid.uuid4())),
                 ("Content-Length", str(len(body)))], body


# ---------------------------------------------------------------------------------------------
# Replication configuration (R22): GetBucketReplication answers what PutBucketReplication stored


def replication_answer(call, headers, out):
    """R22: GetBucketReplication returns the configuration as it was put (moto keeps it whole but
    answers only ID, Priority, Status and Destination of each rule, with Filter Prefix "" and
    DeleteMarkerReplication Disabled whatever was put), with the ID and Priority moto gives a rule
    that had none."""
    import xmltodict
    parts = [p for p in call.path.split("/") if p]
    found = s3_find(parts[0]) if parts else None
    config = getattr(found[1], "replication", None) if found else None
    if not config:
        return 200, headers, out
    doc = {k: v for k, v in config.items() if not k.startswith("@")}
    doc = {"ReplicationConfiguration": {"@xmlns": S3_NS, **doc}}
    body = xmltodict.unparse(doc, full_document=True, encoding="UTF-8").encode()
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(body)))]
    return 200, headers, body
