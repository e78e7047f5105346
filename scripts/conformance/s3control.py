"""S3 Batch Operations probes (R14, R27): S3PutObjectCopy jobs in the vendor (Speedscale) account, as cmek
runs them, under a key of the vendor account."""

import csv
import io
import json
import time
import urllib.parse
import uuid

from botocore.exceptions import ClientError

from . import probe
from .run import code_of, outcome, via

TERMINAL = ("Complete", "Failed", "Cancelled")
LAYER_SCHEMA = "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"


def world(run):
    """A bucket with two objects (one tagged, one with a space in its key), a key of the vendor
    account, and a role Batch Operations may assume with only s3:GetObject, s3:PutObject,
    s3:ListBucket and kms:Decrypt/GenerateDataKey through S3."""
    def build():
        key = run.create_key(run.vendor, "r14-key", [])
        bucket = run.create_bucket(run.vendor, "r14-batch")
        role = run.create_role(run.vendor, "r14-role", "batchoperations.s3.amazonaws.com", [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{bucket}/*"},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key,
             "Condition": via("s3", run.region)}])
        s3 = run.vendor.s3
        s3.put_object(Bucket=bucket, Key="a b.json", Body=b"{}", Tagging="owner=ops")
        s3.put_object(Bucket=bucket, Key="c.json", Body=b"{}")
        return {"key": key, "bucket": bucket, "role": role}
    return run.fixture("batch-world", build)


def put_manifest(run, bucket, name, keys, kms_key=None):
    body = "".join(f"{bucket},{urllib.parse.quote(k)}\n" for k in keys).encode()
    extra = dict(ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key) if kms_key else {}
    return run.vendor.s3.put_object(Bucket=bucket, Key=name, Body=body, **extra)["ETag"].strip('"')


def request(run, w, suffix, manifest=None, etag=None, confirm=False, report_prefix=None, **extra):
    req = {"AccountId": run.vendor.id, "ConfirmationRequired": confirm, "Priority": 10, "RoleArn": w["role"],
           "ClientRequestToken": run.name(suffix), "Description": run.name(suffix), "Tags": run.tags(),
           "Operation": {"S3PutObjectCopy": {"TargetResource": f"arn:aws:s3:::{w['bucket']}",
                                             "MetadataDirective": "COPY", "SSEAwsKmsKeyId": w["key"]}},
           "Report": ({"Enabled": True, "Bucket": f"arn:aws:s3:::{w['bucket']}", "Prefix": report_prefix,
                       "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"}
                      if report_prefix else {"Enabled": False})}
    if manifest:
        req["Manifest"] = {"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                           "Location": {"ObjectArn": f"arn:aws:s3:::{w['bucket']}/{manifest}", "ETag": etag}}
    req.update(extra)
    return req


def create_job(run, req, retry=True):
    """CreateJob (journaled first); retried a while when `retry` and AWS does not yet know the new role.
    Returns (job id or None, error code or None)."""
    res = run.intend("batch-job", run.vendor, None, name=req["ClientRequestToken"])
    deadline = time.monotonic() + (min(30, run.max_wait) if retry else 0)
    while True:
        try:
            jid = run.vendor.s3control.create_job(**req)["JobId"]
            run.created(res, id=jid)
            return jid, None
        except ClientError as e:
            if code_of(e) in ("InvalidRequest", "AccessDenied", "BadRequestException") and time.monotonic() < deadline:
                time.sleep(3)
                continue
            return None, code_of(e)


def follow(run, jid):
    def done():
        job = run.vendor.s3control.describe_job(AccountId=run.vendor.id, JobId=jid)["Job"]
        return job if job["Status"] in TERMINAL else None
    return run.wait_for(done, f"job {jid} Complete, Failed or Cancelled")


def report_job(run):
    """One job over a CSV manifest (a tagged object, a key with a space, a key with no object), with
    an AllTasks report under rep/: shared by the report probes."""
    def build():
        w = world(run)
        etag = put_manifest(run, w["bucket"], "manifest-report.csv", ["a b.json", "c.json", "missing.json"])
        jid, c = create_job(run, request(run, w, "r14-report", "manifest-report.csv", etag, report_prefix="rep"))
        if c:
            raise RuntimeError(f"CreateJob: {c}")
        job = follow(run, jid)
        keys = [o["Key"] for page in run.vendor.s3.get_paginator("list_objects_v2").paginate(
            Bucket=w["bucket"], Prefix="rep/") for o in page.get("Contents", [])]
        return {"id": jid, "job": job, "keys": keys, "world": w}
    return run.fixture("batch-report-job", build)


def report_rows(run, rj):
    s3 = run.vendor.s3
    base = f"rep/job-{rj['id']}/manifest.json"
    if base not in rj["keys"]:
        return None, []
    manifest = json.loads(s3.get_object(Bucket=rj["world"]["bucket"], Key=base)["Body"].read())
    rows = []
    for r in manifest.get("Results", []):
        text = s3.get_object(Bucket=r["Bucket"].split(":::")[-1], Key=r["Key"])["Body"].read().decode()
        rows += [(r.get("TaskExecutionStatus"), row) for row in csv.reader(io.StringIO(text)) if row]
    return manifest, rows


@probe("batch-client-request-token", cost="minutes")
def client_request_token(run):
    w = world(run)
    etag = put_manifest(run, w["bucket"], "manifest-token.csv", ["c.json"])
    req = request(run, w, "r14-token", "manifest-token.csv", etag, confirm=True)
    first, c = create_job(run, req)
    if c:
        raise RuntimeError(f"CreateJob: {c}")
    second, c2 = create_job(run, req, retry=False)
    changed, c3 = create_job(run, dict(req, Priority=11), retry=False)
    detail = f"same request again: {second or c2}; changed request, same token: {changed or c3}"
    if second == first:
        return "same-job", detail
    return ("new-job" if second else f"refused:{c2}"), detail


@probe("batch-role-checked-at-create", cost="minutes")
def role_checked(run):
    w = world(run)
    etag = put_manifest(run, w["bucket"], "manifest-role.csv", ["c.json"])
    missing = w["role"].rsplit("/", 1)[0] + "/" + run.name("no-such-role")
    other = run.create_role(run.vendor, "r14-not-batch", "ec2.amazonaws.com", [])
    got = {}
    for what, arn in (("missing", missing), ("untrusted", other)):
        jid, c = create_job(run, dict(request(run, w, f"r14-role-{what}", "manifest-role.csv", etag), RoleArn=arn),
                            retry=False)
        if c:
            got[what] = f"refused ({c})"
        else:
            job = follow(run, jid)
            got[what] = f"job {job['Status']}: {[f.get('FailureCode') for f in job.get('FailureReasons', [])]}"
    detail = f"a role that does not exist: {got['missing']}; a role that does not trust Batch: {got['untrusted']}"
    if all(v.startswith("refused") for v in got.values()):
        return "refused", detail
    return ("job-fails" if not any(v.startswith("refused") for v in got.values()) else "mixed"), detail


@probe("csv-manifest-under-kms", cost="minutes")
def csv_manifest_kms(run):
    w = world(run)
    etag = put_manifest(run, w["bucket"], "manifest-kms.csv", ["c.json"], kms_key=w["key"])
    jid, c = create_job(run, request(run, w, "r14-kms-manifest", "manifest-kms.csv", etag))
    if c:
        return f"refused:{c}", f"CreateJob with a CSV manifest under SSE-KMS: {c}"
    job = follow(run, jid)
    reasons = [(f.get("FailureCode"), f.get("FailureReason")) for f in job.get("FailureReasons", [])]
    detail = f"job {job['Status']}, {reasons}"
    if job["Status"] == "Complete":
        return "read-as-role", detail
    if job["Status"] == "Failed" and job.get("ProgressSummary", {}).get("TotalNumberOfTasks", 0) == 0:
        return "job-fails", detail
    return f"job-{job['Status'].lower()}", detail


@probe("batch-generated-manifest-path", cost="minutes")
def generated_manifest_path(run):
    w = world(run)
    req = request(run, w, "r14-generated")
    req["ManifestGenerator"] = {"S3JobManifestGenerator": {
        "SourceBucket": f"arn:aws:s3:::{w['bucket']}", "EnableManifestOutput": True,
        "ManifestOutputLocation": {"Bucket": f"arn:aws:s3:::{w['bucket']}", "ManifestPrefix": "gen",
                                   "ManifestEncryption": {"SSES3": {}},
                                   "ManifestFormat": "S3InventoryReport_CSV_20211130"},
        "Filter": {"KeyNameConstraint": {"MatchAnyPrefix": ["c."]}}}}
    jid, c = create_job(run, req)
    if c:
        raise RuntimeError(f"CreateJob with a manifest generator: {c}")
    job = follow(run, jid)
    keys = [o["Key"] for page in run.vendor.s3.get_paginator("list_objects_v2").paginate(
        Bucket=w["bucket"], Prefix="gen/") for o in page.get("Contents", [])]
    detail = f"job {job['Status']}; under gen/: {keys[:10]}"
    if f"gen/job-{jid}/manifest.csv" in keys:
        return "job-prefix-manifest-csv", detail
    return ("no-manifest-written" if not keys else "other-path"), detail


@probe("batch-report-manifest-json", cost="minutes")
def report_manifest_json(run):
    rj = report_job(run)
    base = f"rep/job-{rj['id']}/"
    detail = f"job {rj['job']['Status']}; report objects: {rj['keys'][:10]}"
    if base + "manifest.json" in rj["keys"]:
        return "manifest-json", detail
    if base + "report.json" in rj["keys"]:
        return "report-json", detail
    return ("no-report" if not rj["keys"] else "other-path"), detail


@probe("batch-report-rows", cost="minutes")
def report_rows_probe(run):
    rj = report_job(run)
    manifest, rows = report_rows(run, rj)
    if manifest is None:
        raise RuntimeError(f"no rep/job-{rj['id']}/manifest.json among {rj['keys'][:10]}")
    failed = [r for s, r in rows if s == "failed"]
    ok = [r for s, r in rows if s == "succeeded"]
    got = {"schema": manifest.get("ReportSchema"),
           "order": ("code-then-http" if failed and len(failed[0]) >= 6 and failed[0][5].isdigit()
                     else "http-then-code" if failed and len(failed[0]) >= 5 and failed[0][4].isdigit() else "?"),
           "keys-as-manifest": any(r[1] == "a%20b.json" for _, r in rows),
           "successful": all(r[-1] == "Successful" for r in ok) if ok else None,
           "file-per-status": len({r.get("TaskExecutionStatus") for r in manifest.get("Results", [])})
           == len(manifest.get("Results", []))}
    detail = "; ".join(f"{k}: {v}" for k, v in got.items()) + f"; rows {[r for _, r in rows][:4]}"
    if got == {"schema": LAYER_SCHEMA, "order": "code-then-http", "keys-as-manifest": True, "successful": True,
               "file-per-status": True}:
        return "report-schema-order", detail
    return "differs:" + ",".join(k for k, v in got.items() if v not in (True, "code-then-http", LAYER_SCHEMA)), detail


@probe("batch-task-permissions", cost="minutes")
def task_permissions(run):
    """The report job's role has s3:GetObject/PutObject and the KMS permissions only: does the copy
    of a tagged object need tagging permissions?"""
    rj = report_job(run)
    _, rows = report_rows(run, rj)
    tagged = [(s, r) for s, r in rows if r[1] in ("a%20b.json", "a b.json")]
    if not tagged:
        raise RuntimeError(f"no report row for the tagged object: {rows[:4]}")
    status, row = tagged[0]
    tags = run.vendor.s3.get_object_tagging(Bucket=rj["world"]["bucket"], Key="a b.json")["TagSet"]
    head = run.vendor.s3.head_object(Bucket=rj["world"]["bucket"], Key="a b.json")
    detail = f"task {status} {row[4:]}; tags after: {tags}; encryption {head.get('ServerSideEncryption')}"
    if status == "succeeded":
        return "get-put-kms-only", detail
    return f"fails:{row[4] if len(row) > 4 else '?'}", detail


@probe("batch-failure-codes", cost="minutes")
def failure_codes(run):
    rj = report_job(run)
    w = rj["world"]
    s3c = run.vendor.s3control
    got = {}
    got["unknown-job"] = outcome(s3c.describe_job, AccountId=run.vendor.id, JobId=str(uuid.uuid4()))[0] or "found"
    got["bad-transition"] = outcome(s3c.update_job_status, AccountId=run.vendor.id, JobId=rj["id"],
                                    RequestedJobStatus="Ready")[0] or "accepted"
    put_manifest(run, w["bucket"], "manifest-etag.csv", ["c.json"])
    for what, manifest, etag in (("etag-mismatch", "manifest-etag.csv", "0" * 32),
                                 ("no-manifest", "manifest-none.csv", "0" * 32)):
        jid, c = create_job(run, request(run, w, f"r14-{what}", manifest, etag), retry=False)
        if c:
            got[what] = f"refused:{c}"
        else:
            job = follow(run, jid)
            got[what] = ",".join(f.get("FailureCode", "") for f in job.get("FailureReasons", [])) or job["Status"]
    layer = {"unknown-job": "NoSuchJobException", "bad-transition": "JobStatusException",
             "etag-mismatch": "ManifestETagMismatch", "no-manifest": "NoSuchKey"}
    detail = "; ".join(f"{k}: {got[k]}" for k in layer) + "; the over-5 GB task error is not probed (a 5 GB object)"
    if got == layer:
        return "layer-codes", detail
    return "codes:" + ",".join(f"{k}={got[k]}" for k in layer), detail


@probe("batch-copy-encryption-context", cost="minutes")
def copy_encryption_context(run):
    """Copies ctx.json (SSE-S3, so no source KMS use) into a second bucket under the vendor key, as two
    roles whose kms:GenerateDataKey is allowed only with kms:EncryptionContext:aws:s3:arn = the
    target's object ARNs (StringLike "<target ARN>/*"), resp. the target bucket's ARN: the first job
    without, the second with BucketKeyEnabled. Both tasks succeed if a copy task uses the
    destination's context, as CopyObject."""
    w = world(run)
    target = run.create_bucket(run.vendor, "r14-ctx-target")
    # Its own object: the world's are re-encrypted under the key by other probes' jobs.
    run.vendor.s3.put_object(Bucket=w["bucket"], Key="ctx.json", Body=b"{}", ServerSideEncryption="AES256")
    etag = put_manifest(run, w["bucket"], "manifest-ctx.csv", ["ctx.json"])
    got = {}
    for what, context, bucket_key in (("object", f"arn:aws:s3:::{target}/*", False),
                                      ("bucket", f"arn:aws:s3:::{target}", True)):
        role = run.create_role(run.vendor, f"r14-ctx-{what}", "batchoperations.s3.amazonaws.com", [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{w['bucket']}/*"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{target}/*"},
            {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": w["key"],
             "Condition": dict(via("s3", run.region),
                               StringLike={"kms:EncryptionContext:aws:s3:arn": context})}])
        req = request(run, w, f"r14-ctx-{what}", "manifest-ctx.csv", etag, RoleArn=role)
        req["Operation"] = {"S3PutObjectCopy": {"TargetResource": f"arn:aws:s3:::{target}", "MetadataDirective": "COPY",
                                                "SSEAwsKmsKeyId": w["key"], "BucketKeyEnabled": bucket_key}}
        jid, c = create_job(run, req)
        if c:
            raise RuntimeError(f"CreateJob ({what} context): {c}")
        job = follow(run, jid)
        summary = job.get("ProgressSummary", {})
        got[what] = ("succeeded" if job["Status"] == "Complete" and summary.get("NumberOfTasksSucceeded") == 1
                     else f"{job['Status']}, {summary.get('NumberOfTasksFailed', 0)} failed")
    detail = (f"GenerateDataKey allowed only for the target's object ARNs, no Bucket Key: {got['object']}; only for "
              f"the target bucket's ARN, BucketKeyEnabled: {got['bucket']}")
    if got == {"object": "succeeded", "bucket": "succeeded"}:
        return "destination-arn", detail
    return "differs:" + ",".join(k for k, v in got.items() if v != "succeeded"), detail


# ---------------------------------------------------------------------------------------------
# R27: the bucket policies S3 Batch Operations' requests as the job's role meet


def batch_role(run, suffix, bucket, key, extra):
    """A role Batch Operations may assume: read and write the world's bucket, use its key through S3,
    and `extra` statements."""
    return run.create_role(run.vendor, suffix, "batchoperations.s3.amazonaws.com", [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key,
         "Condition": via("s3", run.region)}] + extra)


@probe("batch-bucket-policy-requests", cost="minutes")
def bucket_policy_requests(run):
    """A job copies pol.json (SSE-S3) into a second bucket whose policy denies every PutObject without
    x-amz-server-side-encryption aws:kms and the vendor key's ARN as
    x-amz-server-side-encryption-aws-kms-key-id; the job names that key (SSEAwsKmsKeyId): does its copy
    meet the policy as a CopyObject with those headers would?"""
    w = world(run)
    s3 = run.vendor.s3
    target = run.create_bucket(run.vendor, "r27-pol-target")
    s3.put_object(Bucket=w["bucket"], Key="pol.json", Body=b"{}", ServerSideEncryption="AES256")
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{target}/*"}
    s3.put_bucket_policy(Bucket=target, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        dict(deny, Sid="DenyOtherEncryption",
             Condition={"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}),
        dict(deny, Sid="DenyOtherKey",
             Condition={"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": w["key"]}})]}))
    etag = put_manifest(run, w["bucket"], "manifest-pol.csv", ["pol.json"])
    role = batch_role(run, "r27-pol", w["bucket"], w["key"], [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{target}/*"}])
    req = request(run, w, "r27-pol", "manifest-pol.csv", etag, RoleArn=role)
    req["Operation"] = {"S3PutObjectCopy": {"TargetResource": f"arn:aws:s3:::{target}", "MetadataDirective": "COPY",
                                            "SSEAwsKmsKeyId": w["key"]}}
    jid, c = create_job(run, req)
    if c:
        raise RuntimeError(f"CreateJob: {c}")
    job = follow(run, jid)
    summary = job.get("ProgressSummary", {})
    detail = (f"job {job['Status']}: {summary.get('NumberOfTasksSucceeded', 0)} succeeded, "
              f"{summary.get('NumberOfTasksFailed', 0)} failed, into a bucket that denies PutObject without SSE-KMS "
              "under the job's key")
    if job["Status"] == "Complete" and summary.get("NumberOfTasksSucceeded") == 1:
        return "job-encryption-headers", detail
    return f"differs:{job['Status']},{summary.get('NumberOfTasksFailed', 0)}-failed", detail


@probe("batch-report-sse-header", cost="minutes")
def report_sse_header(run):
    """A job whose completion report goes to a bucket that denies PutObject under rep-sse/ unless
    x-amz-server-side-encryption is AES256: is the report written?"""
    w = world(run)
    s3 = run.vendor.s3
    reports = run.create_bucket(run.vendor, "r27-reports")
    s3.put_bucket_policy(Bucket=reports, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyWithoutSseS3Header", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{reports}/rep-sse/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}}]}))
    etag = put_manifest(run, w["bucket"], "manifest-sse.csv", ["c.json"])
    role = batch_role(run, "r27-report", w["bucket"], w["key"], [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{reports}/*"}])
    req = request(run, w, "r27-report", "manifest-sse.csv", etag, RoleArn=role)
    req["Report"] = {"Enabled": True, "Bucket": f"arn:aws:s3:::{reports}", "Prefix": "rep-sse",
                     "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"}
    jid, c = create_job(run, req)
    if c:
        raise RuntimeError(f"CreateJob: {c}")
    job = follow(run, jid)
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=reports, Prefix="rep-sse/")
            for o in page.get("Contents", [])]
    reasons = [(f.get("FailureCode"), f.get("FailureReason")) for f in job.get("FailureReasons", [])]
    written = f"rep-sse/job-{jid}/manifest.json" in keys
    detail = f"job {job['Status']}, report {'written' if written else 'not written'} ({len(keys)} objects), {reasons}"
    return ("sse-header" if written else "no-header"), detail
