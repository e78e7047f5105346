"""S3 probes (R7, R10, R13, R15, R21, R27, R28): buckets in the vendor (Speedscale) account, objects under
the customer's key used through S3, a bucket policy, Object Lock on existing buckets."""

import concurrent.futures
import json
import time
import xml.etree.ElementTree as ET

from . import NotObserved, probe
from .run import allow, fake_key_arn, outcome, via

WRONG_ETAG = '"0123456789abcdef0123456789abcdef"'


def s3_key(run, suffix):
    """A customer key the vendor may use through S3 (as a tenant's bucket does)."""
    return run.create_key(run.customer, suffix, [
        allow(run.vendor.id, ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"], via("s3", run.region))])


def kms_put(run, bucket, key_name, key, bucket_key=False, body=b"cmek-conformance"):
    return run.vendor.s3.put_object(Bucket=bucket, Key=key_name, Body=body, ServerSideEncryption="aws:kms",
                                    SSEKMSKeyId=key, BucketKeyEnabled=bucket_key)


@probe("s3-bucket-key-cache", cost="minutes")
def bucket_key_cache(run):
    """Two objects under one key, one with a Bucket Key and one without, are read; the key is
    disabled; both are read until S3 refuses each: how much longer S3 goes on using its bucket-level
    key than KMS takes to refuse a direct use (the object without a Bucket Key)."""
    key = s3_key(run, "r7-cache")
    bucket = run.create_bucket(run.vendor, "r7-cache")
    kms_put(run, bucket, "with-bucket-key", key, bucket_key=True)
    kms_put(run, bucket, "without", key)
    for name in ("with-bucket-key", "without"):
        run.vendor.s3.get_object(Bucket=bucket, Key=name)["Body"].read()
    run.customer.kms.disable_key(KeyId=key)
    t0 = time.monotonic()
    refused = {}

    def both():
        for name in ("with-bucket-key", "without"):
            if name not in refused:
                c, _ = outcome(run.vendor.s3.get_object, Bucket=bucket, Key=name)
                if c:
                    refused[name] = (time.monotonic() - t0, c)
        return len(refused) == 2 or None
    try:
        run.wait_for(both, "both objects refused after DisableKey")
    except NotObserved:
        if "without" not in refused:
            raise
        return "cached", (f"the object without a Bucket Key was refused after {refused['without'][0]:.1f} s; the one "
                          f"with a Bucket Key still read after {run.max_wait:g} s")
    (tb, cb), (tw, cw) = refused["with-bucket-key"], refused["without"]
    detail = f"refused after DisableKey: with a Bucket Key {tb:.1f} s ({cb}), without {tw:.1f} s ({cw})"
    return ("no-cache" if tb <= tw + 1.0 else "cached"), detail


@probe("s3-head-object-disabled-key")
def head_object_disabled(run):
    key = s3_key(run, "r7-head")
    bucket = run.create_bucket(run.vendor, "r7-head")
    kms_put(run, bucket, "o", key)
    run.customer.kms.disable_key(KeyId=key)
    # Wait until KMS refuses S3 (GetObject), so HeadObject's answer is about a disabled key.
    run.wait_for(lambda: outcome(run.vendor.s3.get_object, Bucket=bucket, Key="o")[0],
                 "GetObject refused after DisableKey")
    c, _ = outcome(run.vendor.s3.head_object, Bucket=bucket, Key="o")
    return ("succeeds", "HeadObject succeeded while GetObject was refused") if c is None else \
        (f"refused:{c}", f"HeadObject: {c}")


@probe("s3-kms-refusal-codes", cost="minutes")
def kms_refusal_codes(run):
    """S3's error codes when KMS refuses: a key policy that does not allow the vendor, a disabled
    key, a key pending deletion, a key that does not exist."""
    layer = {"policy": "AccessDenied", "disabled": "KMS.DisabledException",
             "pending-deletion": "KMS.KMSInvalidStateException", "missing": "KMS.NotFoundException"}
    key = s3_key(run, "r7-codes")
    denied = run.create_key(run.customer, "r7-codes-denied", [allow(run.vendor.id, "kms:DescribeKey")])
    bucket = run.create_bucket(run.vendor, "r7-codes")
    kms_put(run, bucket, "o", key)
    got = {}
    got["policy"], _ = outcome(kms_put, run, bucket, "p", denied)
    got["missing"], _ = outcome(kms_put, run, bucket, "m", fake_key_arn(run.region, run.customer.id))
    run.customer.kms.disable_key(KeyId=key)
    got["disabled"] = run.wait_for(lambda: outcome(run.vendor.s3.get_object, Bucket=bucket, Key="o")[0],
                                   "GetObject refused after DisableKey")
    run.customer.kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    try:
        got["pending-deletion"] = run.wait_for(
            lambda: (lambda c: c if c and c != got["disabled"] else None)(
                outcome(run.vendor.s3.get_object, Bucket=bucket, Key="o")[0]),
            "a different refusal once the key is pending deletion")
    except NotObserved:
        got["pending-deletion"] = outcome(run.vendor.s3.get_object, Bucket=bucket, Key="o")[0] or "succeeded"
    detail = "; ".join(f"{k}: {got[k]}" for k in layer)
    if got == layer:
        return "layer-codes", detail
    return "codes:" + ",".join(f"{k}={got[k]}" for k in layer), detail


@probe("s3-get-bucket-versioning-never")
def versioning_never(run):
    bucket = run.create_bucket(run.vendor, "r10-versioning")
    raw = {}

    def keep(http_response=None, **_):
        raw["body"] = http_response.content
    s3 = run.vendor.s3
    s3.meta.events.register("after-call.s3.GetBucketVersioning", keep, unique_id="conformance-versioning")
    try:
        resp = s3.get_bucket_versioning(Bucket=bucket)
    finally:
        s3.meta.events.unregister("after-call.s3.GetBucketVersioning", unique_id="conformance-versioning")
    root = ET.fromstring(raw["body"]).tag.split("}")[-1] if raw.get("body") else "(empty)"
    status = resp.get("Status")
    detail = f"root element {root}, Status {status!r}"
    if root == "VersioningConfiguration" and status is None:
        return "no-status", detail
    return (f"root:{root}" if root != "VersioningConfiguration" else f"status:{status}"), detail


@probe("s3-bucket-read-quota")
def bucket_read_quota(run):
    """60 GetBucketEncryption calls at once (10 at a time, no retries): does S3 throttle them?"""
    bucket = run.create_bucket(run.vendor, "r13-reads")
    s3 = run.vendor.client("s3", retries=False)

    def one(_):
        return outcome(s3.get_bucket_encryption, Bucket=bucket)[0]
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(one, range(60)))
    throttled = [c for c in codes if c in ("SlowDown", "503", "Throttling", "ThrottlingException", "RequestLimitExceeded")]
    other = sorted({c for c in codes if c and c not in throttled})
    detail = f"{len(codes)} calls: {len(throttled)} throttled" + (f"; other errors {other}" if other else "")
    return ("no-quota" if not throttled else "throttled"), detail


def multipart_source(run, suffix, **kw):
    bucket = run.create_bucket(run.vendor, suffix)
    s3 = run.vendor.s3
    s3.put_object(Bucket=bucket, Key="src", Body=b"0123456789", **kw)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    return bucket, upload


@probe("upload-part-copy-if-match")
def part_copy_if_match(run):
    bucket, upload = multipart_source(run, "r15-ifmatch")
    c, _ = outcome(run.vendor.s3.upload_part_copy, Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                   CopySource={"Bucket": bucket, "Key": "src"}, CopySourceIfMatch=WRONG_ETAG)
    run.vendor.s3.abort_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload)
    if c is None:
        return "copied", "UploadPartCopy with a differing x-amz-copy-source-if-match copied the part"
    if c in ("PreconditionFailed", "412"):
        return "refused", f"UploadPartCopy with a differing x-amz-copy-source-if-match: {c}"
    return c, f"UploadPartCopy: {c}"


@probe("upload-part-copy-range-error")
def part_copy_range(run):
    """A range past the source's end; a source in GLACIER (not restored)."""
    bucket, upload = multipart_source(run, "r15-range")
    s3 = run.vendor.s3
    s3.put_object(Bucket=bucket, Key="cold", Body=b"0123456789", StorageClass="GLACIER")
    rng, _ = outcome(s3.upload_part_copy, Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                     CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-99")
    cold, _ = outcome(s3.upload_part_copy, Bucket=bucket, Key="dst", UploadId=upload, PartNumber=2,
                      CopySource={"Bucket": bucket, "Key": "cold"})
    s3.abort_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload)
    rng, cold = rng or "succeeded", cold or "succeeded"
    detail = f"range past the end: {rng}; archived source: {cold}"
    if rng == "InvalidArgument" and cold == "InvalidObjectState":
        return "InvalidArgument", detail
    return f"range={rng};archived={cold}", detail


@probe("complete-multipart-decrypt")
def complete_needs_decrypt(run):
    """An upload under a key the vendor may GenerateDataKey with but not Decrypt; and If-Match on
    completing an upload to a key with no object."""
    key = run.create_key(run.vendor, "r15-complete", [
        allow(run.vendor.id, ["kms:GenerateDataKey", "kms:Encrypt"], sid="no-decrypt")], admin="manage")
    bucket = run.create_bucket(run.vendor, "r15-complete")
    s3 = run.vendor.s3
    up = s3.create_multipart_upload(Bucket=bucket, Key="k", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)["UploadId"]
    part_c, part = outcome(s3.upload_part, Bucket=bucket, Key="k", UploadId=up, PartNumber=1, Body=b"part")
    if part_c:
        decrypt = f"upload-part:{part_c}"
    else:
        c, _ = outcome(s3.complete_multipart_upload, Bucket=bucket, Key="k", UploadId=up,
                       MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        decrypt = "checks-decrypt" if c in ("AccessDenied", "KMS.AccessDeniedException") else (c or "no-decrypt")
    outcome(s3.abort_multipart_upload, Bucket=bucket, Key="k", UploadId=up)
    up2 = s3.create_multipart_upload(Bucket=bucket, Key="nothing-here")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="nothing-here", UploadId=up2, PartNumber=1, Body=b"part")["ETag"]
    if_match, _ = outcome(s3.complete_multipart_upload, Bucket=bucket, Key="nothing-here", UploadId=up2,
                          IfMatch=WRONG_ETAG, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    outcome(s3.abort_multipart_upload, Bucket=bucket, Key="nothing-here", UploadId=up2)
    if_match = if_match or "succeeded"
    detail = f"completion without kms:Decrypt: {decrypt}; If-Match on a key with no object: {if_match}"
    if decrypt == "checks-decrypt" and if_match == "NoSuchKey":
        return "checks-decrypt", detail
    return f"decrypt={decrypt};if-match={if_match}", detail


@probe("s3-upload-keeps-creation-encryption")
def upload_keeps_creation_encryption(run):
    """A bucket whose default is SSE-KMS under key 1; an upload is started without encryption
    headers; the default becomes key 2; the upload is completed: which key has the object?"""
    k1 = run.create_key(run.vendor, "r21-default-1", [])
    k2 = run.create_key(run.vendor, "r21-default-2", [])
    bucket = run.create_bucket(run.vendor, "r21-mpu", key=k1)
    s3 = run.vendor.s3
    up = s3.create_multipart_upload(Bucket=bucket, Key="o")["UploadId"]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": k2}}]})
    part = s3.upload_part(Bucket=bucket, Key="o", UploadId=up, PartNumber=1, Body=b"cmek-conformance")
    s3.complete_multipart_upload(Bucket=bucket, Key="o", UploadId=up,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    got = s3.head_object(Bucket=bucket, Key="o").get("SSEKMSKeyId")
    detail = f"started under key 1, completed after the default became key 2: the object has {got}"
    return {k1: "creation-encryption", k2: "completion-default"}.get(got, f"other:{got}"), detail


# ---------------------------------------------------------------------------------------------
# R27: bucket policies; R28: Object Lock on an existing bucket (GOVERNANCE only: the run's cleanup
# bypasses it; a COMPLIANCE version could not be deleted for its whole retention period)


def status_of(err):
    return err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") if err is not None else None


@probe("s3-access-denied-message")
def access_denied_message(run):
    """The vendor's own bucket denies everyone s3:GetObject under denied/: the message of the vendor's
    refused GetObject (AWS documents extra context for same-account refusals)."""
    bucket = run.create_bucket(run.vendor, "r27-message")
    s3 = run.vendor.s3
    s3.put_object(Bucket=bucket, Key="denied/o", Body=b"cmek-conformance")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyRead", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/denied/*"}]}))
    c, err = run.wait_for(lambda: (lambda r: r if r[0] else None)(outcome(s3.get_object, Bucket=bucket, Key="denied/o")),
                          "GetObject refused by the new bucket policy")
    message = err.response.get("Error", {}).get("Message", "") if err is not None else ""
    detail = f"{c} {status_of(err)}: {message!r}"
    if c == "AccessDenied" and message == "Access Denied":
        return "generic", detail
    return ("enhanced" if c == "AccessDenied" else f"code:{c}"), detail


def lock_bucket(run, suffix, rule=None):
    """A bucket made, given versioning, then Object Lock (PutObjectLockConfiguration on an existing
    bucket), with an optional default retention rule."""
    bucket = run.create_bucket(run.vendor, suffix)
    s3 = run.vendor.s3
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    conf = {"ObjectLockEnabled": "Enabled"}
    if rule:
        conf["Rule"] = {"DefaultRetention": rule}
    s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration=conf)
    return bucket


@probe("s3-object-lock-state-errors")
def lock_state_errors(run):
    """PutObjectLockConfiguration on an unversioned bucket; PutBucketVersioning Suspended on an Object
    Lock bucket; GetObjectRetention of a version without retention, and of an object in a bucket
    without Object Lock."""
    s3 = run.vendor.s3
    plain = run.create_bucket(run.vendor, "r28-plain")
    s3.put_object(Bucket=plain, Key="o", Body=b"cmek-conformance")
    c1, e1 = outcome(s3.put_object_lock_configuration, Bucket=plain,
                     ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    c4, e4 = outcome(s3.get_object_retention, Bucket=plain, Key="o")
    locked = lock_bucket(run, "r28-state")
    s3.put_object(Bucket=locked, Key="o", Body=b"cmek-conformance")
    c2, e2 = outcome(s3.put_bucket_versioning, Bucket=locked, VersioningConfiguration={"Status": "Suspended"})
    c3, e3 = outcome(s3.get_object_retention, Bucket=locked, Key="o")
    got = {"unversioned": (c1, status_of(e1)), "suspend": (c2, status_of(e2)), "no-retention": (c3, status_of(e3)),
           "no-lock": (c4, status_of(e4))}
    detail = "; ".join(f"{k}: {v[0] or 'succeeded'} {v[1] or ''}".strip() for k, v in got.items())
    if got == {"unversioned": ("InvalidBucketState", 409), "suspend": ("InvalidBucketState", 409),
               "no-retention": ("NoSuchObjectLockConfiguration", 404), "no-lock": ("InvalidRequest", 400)}:
        return "InvalidBucketState-409", detail
    return "codes:" + ",".join(f"{k}={v[0] or 'ok'}/{v[1]}" for k, v in got.items()), detail


@probe("s3-object-lock-checksum-error")
def lock_checksum_error(run):
    """A bucket with a default GOVERNANCE retention of 1 day; PutObject (an SDK that computes no
    checksum unless required) without any integrity header, with a lone x-amz-checksum-crc32, and with
    Content-MD5."""
    import base64
    import hashlib
    import zlib
    bucket = lock_bucket(run, "r28-checksum", {"Mode": "GOVERNANCE", "Days": 1})
    s3 = run.vendor.client("s3", checksums=False)
    body = b"cmek-conformance"
    crc = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    none, err = outcome(s3.put_object, Bucket=bucket, Key="none", Body=body)
    lone, _ = outcome(s3.put_object, Bucket=bucket, Key="crc32", Body=body, ChecksumCRC32=crc)
    with_md5, _ = outcome(s3.put_object, Bucket=bucket, Key="md5", Body=body, ContentMD5=md5)
    message = err.response.get("Error", {}).get("Message", "") if err is not None else ""
    detail = (f"no integrity header: {none or 'succeeded'} {status_of(err) or ''} {message!r}; lone x-amz-checksum-crc32: "
              f"{lone or 'succeeded'}; Content-MD5: {with_md5 or 'succeeded'}")
    if none == "InvalidRequest" and lone is None and with_md5 is None:
        return "InvalidRequest", detail
    return f"none={none or 'ok'};checksum={lone or 'ok'};md5={with_md5 or 'ok'}", detail


@probe("s3-object-lock-delete-error")
def lock_delete_error(run):
    """A version under a default GOVERNANCE retention of 1 day: DeleteObject with its VersionId without
    the bypass header, with it set to false, and with it set to true (the vendor may bypass)."""
    bucket = lock_bucket(run, "r28-delete", {"Mode": "GOVERNANCE", "Days": 1})
    s3 = run.vendor.s3
    version = s3.put_object(Bucket=bucket, Key="o", Body=b"cmek-conformance")["VersionId"]
    plain, e1 = outcome(s3.delete_object, Bucket=bucket, Key="o", VersionId=version)
    false, _ = outcome(s3.delete_object, Bucket=bucket, Key="o", VersionId=version, BypassGovernanceRetention=False)
    kept, _ = outcome(s3.head_object, Bucket=bucket, Key="o", VersionId=version)
    bypass, _ = outcome(s3.delete_object, Bucket=bucket, Key="o", VersionId=version, BypassGovernanceRetention=True)
    detail = (f"without the bypass: {plain or 'deleted'} {status_of(e1) or ''}; bypass false: {false or 'deleted'}; "
              f"version {'still there' if kept is None else 'gone: ' + kept}; bypass true: {bypass or 'deleted'}")
    if plain == "AccessDenied" and false == "AccessDenied" and kept is None and bypass is None:
        return "AccessDenied", detail
    return f"plain={plain or 'deleted'};false={false or 'deleted'};bypass={bypass or 'deleted'}", detail


@probe("s3-object-lock-years-period")
def lock_years_period(run):
    """A bucket with a default GOVERNANCE retention of 1 year: a new version's RetainUntilDate minus
    its LastModified, in days."""
    bucket = lock_bucket(run, "r28-years", {"Mode": "GOVERNANCE", "Years": 1})
    s3 = run.vendor.s3
    s3.put_object(Bucket=bucket, Key="o", Body=b"cmek-conformance")
    head = s3.head_object(Bucket=bucket, Key="o")
    days = (head["ObjectLockRetainUntilDate"] - head["LastModified"]).total_seconds() / 86400
    detail = f"RetainUntilDate {head['ObjectLockRetainUntilDate'].isoformat()} is {days:.3f} days after LastModified"
    if abs(days - 365) < 0.1:
        return "365-days-a-year", detail
    return f"days:{days:.2f}", detail
