"""S3 Batch Operations jobs (R14), which moto lacks: S3 Control's CreateJob, DescribeJob, ListJobs
and UpdateJobStatus, jobs that read (or generate) their manifest and copy objects as the job's role,
and the completion report; each of those S3 requests meets the bucket's policy (R27)."""

import csv
import hashlib
import io
import json
import re
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import policy
from core import CONFIG, AwsError, _xml
from iam import find_role, identity_policies
from kms import find_key, parse_key_ref
from s3 import MAX_COPY_BYTES, archived, bucket_key_on, s3_find, s3_key_use
from s3_access import role_decision


# ---------------------------------------------------------------------------------------------
# S3 Batch Operations jobs (R14): S3 Control's CreateJob, DescribeJob, ListJobs, UpdateJobStatus

S3CONTROL_NS = "http://awss3control.amazonaws.com/doc/2018-08-20/"
BATCH_PRINCIPAL = "batchoperations.s3.amazonaws.com"
JOBS = {}  # job id -> Job
JOB_TOKENS = {}  # (account, region, ClientRequestToken) -> (job id, request fingerprint)
JOBS_LOCK = threading.Lock()
TERMINAL = ("Complete", "Failed", "Cancelled")
OMIT = {}  # R14 harness: account -> how many objects its next generated manifest leaves out


def set_omit(data):
    """R14 harness (POST /_localaws/s3control/omit {"account", "count"}): the next job created in the
    account with a manifest generator leaves out the first `count` objects (in key order) it would
    otherwise list, once; they stand for objects a generated manifest does not include (an object a
    lifecycle rule moved to another storage class between cmek's scan and the job, say). The job
    has that many fewer tasks and those objects are untouched. count 0 clears it."""
    account, count = str(data["account"]), int(data.get("count", 0))
    with JOBS_LOCK:
        if count > 0:
            OMIT[account] = count
        else:
            OMIT.pop(account, None)
    return {"account": account, "count": max(count, 0)}


def s3control_operation(method, path):
    parts = [p for p in path.split("/") if p]
    if parts[1:2] == ["jobs"]:
        if len(parts) == 2:
            return "CreateJob" if method == "POST" else "ListJobs"
        if len(parts) == 3:
            return "DescribeJob"
        if parts[3:] == ["status"]:
            return "UpdateJobStatus"
        if parts[3:] == ["priority"]:
            return "UpdateJobPriority"
        if parts[3:] == ["tagging"]:
            return {"GET": "GetJobTagging", "PUT": "PutJobTagging", "DELETE": "DeleteJobTagging"}.get(method, "")
    verb = {"GET": "Get", "PUT": "Put", "POST": "Create", "DELETE": "Delete"}.get(method, method.title())
    return verb + "".join(p[:1].upper() + p[1:] for p in parts[1:2])


def _iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def _strip_ns(root):
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


def _text(el, path, default=None):
    found = el.find(path) if el is not None else None
    return found.text if found is not None and found.text is not None else default


def _fragment(body, name):
    """The request's own XML for one element, echoed back by DescribeJob as the SDK sent it."""
    m = re.search(rf"<{name}>.*?</{name}>", body, re.S)
    return m.group(0) if m else ""


def _bucket_of(arn):
    m = re.match(r"^arn:[\w-]+:s3:::([^/]+)$", arn or "")
    return m.group(1) if m else None


class ServiceCall:
    """A request an AWS service makes for a principal (S3 Batch Operations as the job's role), in
    the shape authorize()/request_context() read."""

    def __init__(self, account, region, principal_arn):
        self.account, self.region, self.caller_arn = account, region, principal_arn
        self.json, self.operation = {}, ""


class Job:
    def __init__(self, account, region, job_id, req, body):
        self.account, self.region, self.id = account, region, job_id
        self.arn = f"arn:aws:s3:{region}:{account}:job/{job_id}"
        self.status = "New"
        self.created = time.time()
        self.terminated = None
        self.active_since = None
        self.active_seconds = 0.0
        self.total = self.succeeded = self.failed = 0
        self.failures = []  # [(code, reason)]
        self.results = []  # [(bucket, key as in the manifest, version, status, code, http, message)]
        self.cancel = False
        self.omit = 0  # R14 harness: objects the generated manifest leaves out (set_omit)
        self.ready = threading.Event()
        self.status_reason = None
        self.token = _text(req, "ClientRequestToken")
        self.confirmation = (_text(req, "ConfirmationRequired", "false") or "").lower() == "true"
        self.description = _text(req, "Description")
        self.priority = _text(req, "Priority", "0")
        self.role_arn = _text(req, "RoleArn")
        self.manifest_xml = _fragment(body, "Manifest")
        self.operation_xml = _fragment(body, "Operation")
        self.report_xml = _fragment(body, "Report")
        self.fields = [f.text for f in req.findall("Manifest/Spec/Fields/member")]
        self.manifest_arn = _text(req, "Manifest/Location/ObjectArn")
        self.manifest_etag = (_text(req, "Manifest/Location/ETag") or "").strip('"')
        self.generator = parse_generator(req.find("ManifestGenerator/S3JobManifestGenerator"))
        copy = req.find("Operation/S3PutObjectCopy")
        self.copy = None
        if copy is not None:
            self.copy = {
                "target": _bucket_of(_text(copy, "TargetResource")),
                "storage_class": _text(copy, "StorageClass"),
                "kms_key": _text(copy, "SSEAwsKmsKeyId"),
                "bucket_key": (_text(copy, "BucketKeyEnabled", "false") or "").lower() == "true",
                "metadata_directive": _text(copy, "MetadataDirective", "COPY"),
                "metadata": copy.find("NewObjectMetadata"),
                "tagging": (None if copy.find("NewObjectTagging") is None else
                            {_text(t, "Key"): _text(t, "Value", "") for t in copy.findall("NewObjectTagging/member")}),
                "checksum": _text(copy, "ChecksumAlgorithm"),
            }
        report = req.find("Report")
        self.report = {"enabled": (_text(report, "Enabled", "false") or "").lower() == "true",
                       "bucket": _bucket_of(_text(report, "Bucket")),
                       "prefix": (_text(report, "Prefix") or "").strip("/"),
                       "scope": _text(report, "ReportScope", "AllTasks")}

    def set_status(self, status):
        now = time.time()
        if self.status == "Active" and self.active_since is not None:
            self.active_seconds += now - self.active_since
            self.active_since = None
        if status == "Active":
            self.active_since = now
        if status in TERMINAL:
            self.terminated = now
        self.status = status

    def elapsed_active(self):
        extra = time.time() - self.active_since if self.active_since is not None else 0.0
        return int(self.active_seconds + extra)

    def describe_xml(self):
        failures = "".join(f"<member><FailureCode>{_xml(c)}</FailureCode><FailureReason>{_xml(r)}</FailureReason>"
                           "</member>" for c, r in self.failures)
        return ("<Job>"
                f"<JobId>{self.id}</JobId>"
                f"<ConfirmationRequired>{str(self.confirmation).lower()}</ConfirmationRequired>"
                + (f"<Description>{_xml(self.description)}</Description>" if self.description else "")
                + f"<JobArn>{self.arn}</JobArn><Status>{self.status}</Status>"
                + self.manifest_xml + self.operation_xml
                + f"<Priority>{_xml(self.priority)}</Priority>" + self.progress_xml()
                + (f"<StatusUpdateReason>{_xml(self.status_reason)}</StatusUpdateReason>" if self.status_reason else "")
                + (f"<FailureReasons>{failures}</FailureReasons>" if failures else "")
                + self.report_xml
                + f"<CreationTime>{_iso(self.created)}</CreationTime>"
                + (f"<TerminationDate>{_iso(self.terminated)}</TerminationDate>" if self.terminated else "")
                + f"<RoleArn>{_xml(self.role_arn)}</RoleArn></Job>")

    def progress_xml(self):
        return (f"<ProgressSummary><TotalNumberOfTasks>{self.total}</TotalNumberOfTasks>"
                f"<NumberOfTasksSucceeded>{self.succeeded}</NumberOfTasksSucceeded>"
                f"<NumberOfTasksFailed>{self.failed}</NumberOfTasksFailed>"
                f"<Timers><ElapsedTimeInActiveSeconds>{self.elapsed_active()}</ElapsedTimeInActiveSeconds></Timers>"
                "</ProgressSummary>")

    def list_xml(self):
        op = "S3PutObjectCopy" if self.copy is not None else ""
        return ("<member>"
                f"<JobId>{self.id}</JobId>"
                + (f"<Description>{_xml(self.description)}</Description>" if self.description else "")
                + f"<Operation>{op}</Operation><Priority>{_xml(self.priority)}</Priority><Status>{self.status}</Status>"
                f"<CreationTime>{_iso(self.created)}</CreationTime>"
                + (f"<TerminationDate>{_iso(self.terminated)}</TerminationDate>" if self.terminated else "")
                + self.progress_xml() + "</member>")


def s3control_response(root, inner):
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{S3CONTROL_NS}">{inner}</{root}>'.encode()
    return 200, [("Content-Type", "application/xml"), ("x-amz-request-id", str(uuid.uuid4())),
                 ("Content-Length", str(len(body)))], body


def s3control_handle(call):
    """R14: S3 Control's job API, answered by the layer (moto has none). Other S3 Control paths go
    to moto. Returns a WSGI triple, or None to forward."""
    if call.operation not in ("CreateJob", "DescribeJob", "ListJobs", "UpdateJobStatus"):
        return None
    account = call.environ.get("HTTP_X_AMZ_ACCOUNT_ID", "")
    if account != call.account:
        raise AwsError(403, "AccessDenied", "Access Denied")
    parts = [p for p in call.path.split("/") if p]
    if call.operation == "CreateJob":
        return create_job(call)
    if call.operation == "ListJobs":
        wanted = call.query.get("jobStatuses") or []
        with JOBS_LOCK:
            jobs = [j for j in JOBS.values() if j.account == call.account and j.region == call.region
                    and (not wanted or j.status in wanted)]
        jobs.sort(key=lambda j: j.created, reverse=True)
        return s3control_response("ListJobsResult", "<Jobs>" + "".join(j.list_xml() for j in jobs) + "</Jobs>")
    job = JOBS.get(parts[2])
    if job is None or job.account != call.account or job.region != call.region:
        raise AwsError(404, "NoSuchJobException", "The specified job does not exist")
    if call.operation == "DescribeJob":
        return s3control_response("DescribeJobResult", job.describe_xml())
    requested = call.query.get("requestedJobStatus", [""])[0]
    reason = call.query.get("statusUpdateReason", [None])[0]
    if requested == "Ready" and job.status == "Suspended":
        job.status_reason = reason
        job.set_status("Ready")
        job.ready.set()
    elif requested == "Cancelled" and job.status not in TERMINAL + ("Cancelling", "Failing", "Completing"):
        job.status_reason = reason
        job.cancel = True
        job.set_status("Cancelling")
        job.ready.set()
    else:
        raise AwsError(400, "JobStatusException",
                       f"Job {job.id} is {job.status}: it cannot move to {requested or 'that status'}")
    return s3control_response("UpdateJobStatusResult",
                              f"<JobId>{job.id}</JobId><Status>{job.status}</Status>"
                              + (f"<StatusUpdateReason>{_xml(reason)}</StatusUpdateReason>" if reason else ""))


def create_job(call):
    text = call.body.decode("utf-8", "replace")
    try:
        req = _strip_ns(ET.fromstring(call.body))
    except ET.ParseError:
        raise AwsError(400, "MalformedXML", "The XML you provided was not well-formed")
    token = _text(req, "ClientRequestToken")
    role_arn = _text(req, "RoleArn")
    if not token or not role_arn or req.find("Operation") is None or req.find("Report") is None:
        raise AwsError(400, "InvalidRequest", "ClientRequestToken, Operation, Priority, Report and RoleArn are required")
    fingerprint = hashlib.sha256(call.body).hexdigest()
    with JOBS_LOCK:
        seen = JOB_TOKENS.get((call.account, call.region, token))
        if seen is not None:
            # R14: the same token never creates a second job.
            if seen[1] != fingerprint:
                raise AwsError(400, "IdempotencyException",
                               "The ClientRequestToken was already used for a different request")
            call.replayed = True
            return s3control_response("CreateJobResult", f"<JobId>{seen[0]}</JobId>")
        if req.find("Operation/S3PutObjectCopy") is None:
            raise AwsError(400, "InvalidRequest", "the local AWS models only the S3PutObjectCopy operation")
        generated = req.find("ManifestGenerator/S3JobManifestGenerator") is not None
        if not generated and _text(req, "Manifest/Spec/Format") != "S3BatchOperations_CSV_20180820":
            raise AwsError(400, "InvalidRequest", "the local AWS models S3BatchOperations_CSV_20180820 manifests "
                                                  "and S3JobManifestGenerator only")
        job = Job(call.account, call.region, str(uuid.uuid4()), req, text)
        # R14: the job's role must exist in this account and trust S3 Batch Operations.
        role = find_role(call.account, role_arn)
        context = {"aws:SourceAccount": call.account, "aws:SourceArn": job.arn}
        if role is None or not policy.trust_allows(role.assume_role_policy_document, BATCH_PRINCIPAL,
                                                   "sts:AssumeRole", context):
            raise AwsError(400, "InvalidRequest",
                           f"Unable to assume role {role_arn}: it does not exist in account {call.account} or its "
                           f"trust policy does not allow {BATCH_PRINCIPAL}")
        if job.generator is not None:
            job.omit = OMIT.pop(call.account, 0)  # R14 harness: /_localaws/s3control/omit, once
        JOBS[job.id] = job
        JOB_TOKENS[(call.account, call.region, token)] = (job.id, fingerprint)
    threading.Thread(target=run_job, args=(job,), daemon=True, name=f"batch-{job.id}").start()
    return s3control_response("CreateJobResult", f"<JobId>{job.id}</JobId>")


def role_may(job, action, resource, context=None):
    """R14: whether the job's role's own policies (inline and attached) allow the action."""
    role = find_role(job.account, job.role_arn)
    if role is None:
        return False
    ctx = {"aws:PrincipalArn": job.role_arn, "aws:PrincipalAccount": job.account}
    ctx.update(context or {})
    return policy.evaluate_identity(identity_policies(role, "role"), action, resource, ctx)[0] == "allowed"


def role_s3_may(job, action, resource, context=None):
    """R14, R27: an S3 request the job makes as its role: its identity policies allow it and the
    bucket's policy does not deny it (nor, for a bucket of another account, fail to allow it)."""
    return role_may(job, action, resource, context) and role_decision(job.account, job.role_arn, action, resource,
                                                                      context) is None


def sse_context(kms_key):
    """R27 (unconfirmed: probe batch-bucket-policy-requests): the encryption headers a write as the role
    carries: SSE-KMS and its key when the job names one, none otherwise."""
    if not kms_key:
        return {}
    return {"s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": kms_key}


def role_key_use(job, key_ref, action, context_arn):
    """R14: S3 uses a KMS key for the job's role, through s3.<region>: the role's identity policies
    and the key policy must allow it and the key must be usable. Returns None or (code, status, message)
    as S3 reports it."""
    if not key_ref:
        return None
    owner, region, ref = parse_key_ref(key_ref, job.account, job.region)
    key = find_key(owner, region, ref)
    if key is None:
        return "KMS.NotFoundException", 400, f"Invalid keyId '{key_ref}'"
    via = f"s3.{region}.amazonaws.com"
    ctx = {"kms:ViaService": via, "kms:CallerAccount": job.account,
           "kms:EncryptionContext:aws:s3:arn": context_arn, "kms:EncryptionContextKeys": ["aws:s3:arn"]}
    if not role_may(job, f"kms:{action}", key.arn, ctx):
        return "AccessDenied", 403, (f"User: {job.role_arn} is not authorized to perform: kms:{action} on resource: "
                                     f"{key.arn} because no identity-based policy allows the kms:{action} action")
    try:
        s3_key_use(ServiceCall(job.account, job.region, job.role_arn), key_ref, action, context_arn)
    except AwsError as e:
        return e.code, e.status, e.message
    return None


def parse_generator(gen):
    """R14: an S3JobManifestGenerator: source bucket, filters, and where the generated manifest goes."""
    if gen is None:
        return None
    out, flt = gen.find("ManifestOutputLocation"), gen.find("Filter")
    encryptions = []
    for oe in (flt.findall("MatchAnyObjectEncryption/ObjectEncryption") if flt is not None else []):
        for child in list(oe):
            encryptions.append((child.tag, _text(child, "KmsKeyArn")))
    size = lambda name: int(_text(flt, name)) if flt is not None and _text(flt, name) else None
    return {"source": _bucket_of(_text(gen, "SourceBucket")),
            "output": (out is not None and (_text(gen, "EnableManifestOutput", "false") or "").lower() == "true"),
            "output_bucket": _bucket_of(_text(out, "Bucket")) if out is not None else None,
            "output_prefix": ((_text(out, "ManifestPrefix") or "").strip("/")) if out is not None else "",
            "output_kms": _text(out, "ManifestEncryption/SSE-KMS/KeyId") if out is not None else None,
            "classes": [m.text for m in flt.findall("MatchAnyStorageClass/member")] if flt is not None else [],
            "lt": size("ObjectSizeLessThanBytes"), "gt": size("ObjectSizeGreaterThanBytes"),
            "encryptions": encryptions}


def _encryption_matches(obj, wanted):
    """R14: whether an object has one of the generator filter's server-side encryption types."""
    if not wanted:
        return True
    enc = getattr(obj, "encryption", None)
    for kind, key_arn in wanted:
        if kind == "SSE-S3" and enc == "AES256":
            return True
        if kind == "NOT-SSE" and not enc:
            return True
        if kind == "DSSE-KMS" and enc == "aws:kms:dsse":
            return True
        if kind == "SSE-KMS" and enc == "aws:kms":
            have = getattr(obj, "kms_key_id", None) or ""
            if not key_arn or have == key_arn or have.split("/")[-1] == key_arn.split("/")[-1]:
                return True
    return False


def generate_manifest(job):
    """R14: a generated manifest: the source bucket's current objects that pass the filter, listed as
    the job's role; written (when asked) under the output location's encryption, as the role.
    (tasks, None) or (None, (code, reason))."""
    gen = job.generator
    found = s3_find(gen["source"]) if gen["source"] else None
    if found is None:
        return None, ("NoSuchBucket", "The source bucket of the manifest generator does not exist")
    if not role_s3_may(job, "s3:ListBucket", f"arn:aws:s3:::{gen['source']}"):
        return None, ("AccessDenied", "Listing the source bucket is forbidden: AccessDenied")
    tasks = []
    for name in sorted(found[1].keys.keys()):
        obj = found[1].keys.get(name)
        if obj is None or getattr(obj, "is_delete_marker", False):
            continue
        size = getattr(obj, "_localaws_reported_size", None) or obj.size
        if gen["classes"] and (obj.storage_class or "STANDARD") not in gen["classes"]:
            continue
        if gen["lt"] is not None and not size < gen["lt"]:
            continue
        if gen["gt"] is not None and not size > gen["gt"]:
            continue
        if not _encryption_matches(obj, gen["encryptions"]):
            continue
        tasks.append((gen["source"], urllib.parse.quote(name, safe="/-_.~"), ""))
    tasks = tasks[job.omit:]  # R14 harness: the first objects in key order are not in this manifest
    if gen["output"] and gen["output_bucket"]:
        dest = s3_find(gen["output_bucket"])
        key = f"{gen['output_prefix']}/job-{job.id}/manifest.csv".lstrip("/")
        if dest is None or not role_s3_may(job, "s3:PutObject", f"arn:aws:s3:::{gen['output_bucket']}/{key}",
                                           sse_context(gen["output_kms"])):
            return None, ("AccessDenied", "Writing the generated manifest is forbidden: AccessDenied")
        data = "".join(f"{b},{k}\n" for b, k, _ in tasks).encode()
        if gen["output_kms"]:
            problem = role_key_use(job, gen["output_kms"], "GenerateDataKey", f"arn:aws:s3:::{gen['output_bucket']}")
            if problem:
                return None, (problem[0], f"Writing the generated manifest failed: {problem[0]}")
            obj = dest[0].put_object(gen["output_bucket"], key, data, encryption="aws:kms",
                                     kms_key_id=gen["output_kms"], bucket_key_enabled=True)
        else:
            obj = dest[0].put_object(gen["output_bucket"], key, data, encryption="AES256")
        obj.set_metadata({"Content-Type": "text/csv"})
    return tasks, None


def read_manifest(job):
    """R14: the manifest, read as the job's role; (tasks, None) or (None, (code, reason))."""
    if job.generator is not None:
        return generate_manifest(job)
    m = re.match(r"^arn:[\w-]+:s3:::([^/]+)/(.+)$", job.manifest_arn or "")
    found = s3_find(m.group(1)) if m else None
    obj = found[1].keys.get(m.group(2)) if found else None
    if obj is None:
        return None, ("NoSuchKey", "Reading the manifest failed: NoSuchKey")
    if not role_s3_may(job, "s3:GetObject", f"arn:aws:s3:::{m.group(1)}/{m.group(2)}"):
        return None, ("AccessDenied", "Reading the manifest is forbidden: AccessDenied")
    if obj.encryption == "aws:kms":
        if not CONFIG["batch_kms_csv_manifest"]:
            # What AWS's user guide says (June 2023): CSV manifests under SSE-KMS are not supported.
            return None, ("AccessDenied", "Reading the manifest is forbidden: AccessDenied")
        context_arn = f"arn:aws:s3:::{m.group(1)}" + ("" if bucket_key_on(obj) else f"/{m.group(2)}")
        problem = role_key_use(job, obj.kms_key_id, "Decrypt", context_arn)
        if problem:
            return None, (problem[0], f"Reading the manifest is forbidden: {problem[0]}")
    if obj.etag.strip('"') != job.manifest_etag:
        actual = obj.etag.strip('"')
        return None, ("ManifestETagMismatch",
                      f"The manifest ETag {job.manifest_etag} does not match the manifest object's ETag {actual}")
    tasks = []
    fields = job.fields or ["Bucket", "Key"]
    for row in csv.reader(io.StringIO(obj.value.decode("utf-8", "replace"))):
        if not row:
            continue
        cols = dict(zip(fields, row))
        if not cols.get("Bucket") or "Key" not in cols:
            return None, ("InvalidManifestContent", "Required fields are missing in the schema: Bucket, Key")
        tasks.append((cols["Bucket"], cols["Key"], cols.get("VersionId", "")))
    return tasks, None


def copy_task(job, bucket_name, encoded_key):
    """R14: one S3PutObjectCopy task, as the job's role: CopyObject onto the target bucket, same key.
    Returns (status, error code, HTTP status, message)."""
    from moto.s3.utils import compute_checksum
    op = job.copy
    key_name = urllib.parse.unquote(encoded_key)
    found = s3_find(bucket_name)
    src = found[1].keys.get(key_name) if found else None
    if src is None:
        return "failed", "NoSuchKey", 404, "The specified key does not exist."
    dest = s3_find(op["target"]) if op["target"] else None
    if dest is None:
        return "failed", "NoSuchBucket", 404, "The specified bucket does not exist"
    backend, dest_bucket = dest
    if not role_s3_may(job, "s3:GetObject", f"arn:aws:s3:::{bucket_name}/{key_name}"):
        return "failed", "AccessDenied", 403, "Access Denied"
    if not role_s3_may(job, "s3:PutObject", f"arn:aws:s3:::{op['target']}/{key_name}", sse_context(op["kms_key"])):
        return "failed", "AccessDenied", 403, "Access Denied"
    if archived(src):
        return "failed", "InvalidObjectState", 403, "The operation is not valid for the object's storage class"
    if src.size > MAX_COPY_BYTES:
        return ("failed", "InvalidRequest", 400, "The specified copy source is larger than the maximum allowable "
                f"size for a copy source: {MAX_COPY_BYTES}")
    if src.encryption == "aws:kms":
        arn = f"arn:aws:s3:::{bucket_name}" if bucket_key_on(src) else f"arn:aws:s3:::{bucket_name}/{key_name}"
        problem = role_key_use(job, src.kms_key_id, "Decrypt", arn)
        if problem:
            return ("failed",) + problem
    encryption, kms_key, bucket_key = None, None, None
    if op["kms_key"]:
        encryption, kms_key, bucket_key = "aws:kms", op["kms_key"], op["bucket_key"]
    elif dest_bucket.encryption:
        rule = dest_bucket.encryption.get("Rule") or {}
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        encryption, kms_key = default.get("SSEAlgorithm"), default.get("KMSMasterKeyID")
        bucket_key = op["bucket_key"] or str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    else:
        encryption = "AES256"  # R10
    if encryption == "aws:kms":
        # R14, unconfirmed (batch-copy-encryption-context): the destination's encryption context, as
        # CopyObject's (R7): the target object's ARN, or the target bucket's under a Bucket Key.
        arn = f"arn:aws:s3:::{op['target']}" if bucket_key else f"arn:aws:s3:::{op['target']}/{key_name}"
        problem = role_key_use(job, kms_key, "GenerateDataKey", arn)
        if problem:
            return ("failed",) + problem
    metadata = None
    if op["metadata_directive"] == "REPLACE":
        md = op["metadata"]
        metadata = {f"x-amz-meta-{_text(e, 'key')}": _text(e, "value", "")
                    for e in (md.findall("UserMetadata/entry") if md is not None else [])}
        for field, header in (("ContentType", "Content-Type"), ("CacheControl", "Cache-Control"),
                              ("ContentDisposition", "Content-Disposition"), ("ContentEncoding", "Content-Encoding"),
                              ("ContentLanguage", "Content-Language")):
            if _text(md, field):
                metadata[header] = _text(md, field)
    reported = getattr(src, "_localaws_reported_size", None)
    archive_status = getattr(src, "_localaws_archive_status", None)
    backend.copy_object(src, op["target"], key_name, storage=op["storage_class"] or "STANDARD",
                        encryption=encryption, kms_key_id=kms_key, bucket_key_enabled=bucket_key or None,
                        mdirective=op["metadata_directive"], metadata=metadata)
    new = dest_bucket.keys.get(key_name)
    if encryption != "aws:kms":
        new.kms_key_id, new.bucket_key_enabled = None, None
    if op["tagging"] is not None:
        backend.tagger.delete_all_tags_for_resource(new.arn)
        if op["tagging"]:
            backend.put_object_tagging(new, op["tagging"])
    if op["checksum"]:
        new.checksum_algorithm = op["checksum"]
        new.checksum_value = compute_checksum(new.value, op["checksum"]).decode()
    if reported:
        new.contentsize, new._localaws_reported_size = reported, reported
    if archive_status:
        new._localaws_archive_status = archive_status
    return "succeeded", "", 200, "Successful"


def write_report(job):
    """R14: the completion report, as AWS's user guide shows it: <prefix>/job-<id>/manifest.json naming
    one results CSV per task status (Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode,
    ResultMessage), always under SSE-S3 (whatever the bucket's default encryption)."""
    rep = job.report
    if not rep["enabled"] or not rep["bucket"] or not job.results:
        return
    found = s3_find(rep["bucket"])
    base = (rep["prefix"] + "/" if rep["prefix"] else "") + f"job-{job.id}"
    # R27: the report is written as the role, with x-amz-server-side-encryption: AES256 unless
    # batch_report_sse_header is 0 (unconfirmed: probe batch-report-sse-header); the bucket policy is
    # evaluated for each of its objects.
    header = {"s3:x-amz-server-side-encryption": "AES256"} if CONFIG["batch_report_sse_header"] else {}
    keys = [f"{base}/results/{hashlib.sha1((job.id + status).encode()).hexdigest()}.csv"
            for status in ("succeeded", "failed")] + [f"{base}/manifest.json"]
    if found is None or not all(role_s3_may(job, "s3:PutObject", f"arn:aws:s3:::{rep['bucket']}/{k}", header)
                                for k in keys):
        job.failures.append(("ReportNotWritten", "The job report could not be written to your report bucket. "
                                                 "Please check your permissions."))
        return
    backend = found[0]
    results = []
    for status in ("succeeded", "failed"):
        rows = [r for r in job.results if r[3] == status]
        if not rows or (status == "succeeded" and rep["scope"] == "FailedTasksOnly"):
            continue
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        data = out.getvalue().encode()
        key = f"{base}/results/{hashlib.sha1((job.id + status).encode()).hexdigest()}.csv"
        put_report_object(backend, rep["bucket"], key, data, "text/csv")
        results.append({"TaskExecutionStatus": status, "Bucket": rep["bucket"],
                        "MD5Checksum": hashlib.md5(data).hexdigest(), "Key": key})
    manifest = {"Format": "Report_CSV_20180820", "ReportCreationDate": _iso(time.time()), "Results": results,
                "ReportSchema": "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"}
    put_report_object(backend, rep["bucket"], f"{base}/manifest.json", json.dumps(manifest).encode(),
                      "application/json")


def put_report_object(backend, bucket_name, key, data, content_type):
    obj = backend.put_object(bucket_name, key, data, encryption="AES256")
    obj.kms_key_id, obj.bucket_key_enabled = None, None  # SSE-S3, not the bucket's default key
    obj.set_metadata({"Content-Type": content_type})


def run_job(job):
    """R14: New -> Preparing -> (Suspended until confirmed) -> Ready -> Active -> Complete, or
    Failed (manifest unreadable, or more than half of at least 1,000 tasks failed), or Cancelled.
    Tasks run at CONFIG["batch_tasks_per_second"]."""
    try:
        run_job_steps(job)
    except Exception as e:  # an error of the layer's own: the job fails and says why
        job.failures.append(("InternalError", f"the local AWS failed: {type(e).__name__}: {e}"))
        job.set_status("Failed")


def run_job_steps(job):
    time.sleep(CONFIG["batch_new"])
    if job.cancel:
        return finish(job, "Cancelled")
    job.set_status("Preparing")
    time.sleep(CONFIG["batch_prepare"])
    tasks, failure = read_manifest(job)
    if failure:
        job.failures.append(failure)
        return finish(job, "Failed")
    job.total = len(tasks)
    if job.confirmation and not job.cancel:
        job.set_status("Suspended")
        job.ready.wait()
    if job.cancel:
        return finish(job, "Cancelled")
    job.set_status("Ready")
    job.set_status("Active")
    next_at = time.monotonic()
    for bucket_name, key, version in tasks:
        if job.cancel:
            return finish(job, "Cancelled")
        now = time.monotonic()
        if next_at > now:
            time.sleep(next_at - now)
        next_at = max(next_at, now) + 1.0 / max(CONFIG["batch_tasks_per_second"], 0.001)
        try:
            status, code, http, message = copy_task(job, bucket_name, key)
        except Exception as e:  # an error of the layer's own: the task fails, the job goes on
            status, code, http, message = "failed", "InternalError", 500, f"{type(e).__name__}: {e}"
        job.results.append((bucket_name, key, version, status, code, http, message))
        if status == "succeeded":
            job.succeeded += 1
        else:
            job.failed += 1
        run = job.succeeded + job.failed
        if run >= 1000 and job.failed * 2 > run:
            job.failures.append(("TaskFailureThresholdExceeded",
                                 f"{job.failed} of {run} tasks failed: more than 50% after at least 1,000 tasks"))
            job.set_status("Failing")
            return finish(job, "Failed")
    job.set_status("Completing")
    finish(job, "Complete")


def finish(job, status):
    write_report(job)
    job.set_status(status)
