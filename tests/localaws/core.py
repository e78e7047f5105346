"""What every part of the local AWS shares: errors in each protocol, the settings (CONFIG: the
timings and switches of R11, R12, R14, R15, R17, R19, R23, R25, R27, R30 and R31, and R31's default versions;
a conformance report's answers read from CMEK_LOCALAWS_ANSWERS), the transitions still pending (R11, R12),
faults (R8) and the call log (R9).

Shared mutable state lives here once (CONFIG, ACCOUNT_CONFIG, PENDING, STATE): the other modules
import these objects and mutate them; nothing rebinds them."""

import json
import os
import sys
import threading
import time
import uuid

import cbor2  # R18: CloudWatch's Smithy RPC v2 CBOR errors


JSON_SERVICES = {"kms": "TrentService", "firehose": "Firehose_20150804"}


# ---------------------------------------------------------------------------------------------
# Errors in each protocol


class AwsError(Exception):
    def __init__(self, status, code, message, sender=True):
        super().__init__(message)
        self.status, self.code, self.message, self.sender = status, code, message, sender


def error_response(call, err):
    rid = str(uuid.uuid4())
    if call.service in ("monitoring", "tagging") and call.path.startswith("/service/"):
        # R18: an RPC v2 CBOR error; awsQueryCompatible services also name the query-protocol code.
        # R30: the Tagging API over RPC v2 CBOR too.
        body = cbor2.dumps({"__type": err.code, "message": err.message})
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                   ("x-amzn-query-error", f"{err.code};{'Sender' if err.sender else 'Receiver'}"),
                   ("x-amzn-RequestId", rid)]
        if call.service == "tagging":  # R30: not awsQueryCompatible, so no query-protocol code
            headers = [h for h in headers if h[0] != "x-amzn-query-error"]
    elif call.service == "sqs" and call.environ.get("HTTP_X_AMZ_TARGET"):
        from sqs import sqs_error_body  # R23: AWS JSON 1.0 with the query-compatible code the SDKs match on
        body, headers = sqs_error_body(err, rid)
    elif call.service in JSON_SERVICES or call.environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": err.code, "message": err.message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", err.code),
                   ("x-amzn-RequestId", rid)]
    elif call.service == "s3control":  # R14: S3 Control wraps its errors (ErrorResponse)
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>{_xml(err.code)}</Code>'
                f"<Message>{_xml(err.message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", rid)]
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
# Settings (POST /_localaws/config) and pending transitions (R11, R12)


CONFIG = {"firehose_create": 0.3, "firehose_enabling": 0.5, "rds_create": 1.0, "rds_snapshot": 0.5,
          "rds_inaccessible": 1.0, "rds_modify": 0.3,
          # R12: seconds an instance stays inaccessible-encryption-credentials-recoverable before the
          # terminal inaccessible-encryption-credentials ("seven days"), and a stopped instance stays
          # stopped before it starts again ("restarts automatically after 7 days"): AWS's own figures.
          "rds_terminal": 604800.0, "rds_stop_restart": 604800.0,
          # R11: whether Firehose takes a customer key from another account for a stream's own
          # encryption (1) or refuses it (0): AWS does not say; cmek is tested under both.
          "firehose_cross_account_key": 1.0,
          # R17: whether a restored instance has the master password secret and Performance Insights
          # of its snapshot's source (1) or neither (0): AWS does not say; cmek is tested under both.
          "restore_settings": 0.0,
          # R14: seconds a job stays New, then Preparing; tasks per second; whether a CSV manifest
          # under SSE-KMS fails the job (0, the default: AWS's user guide) or is read as the role (1).
          "batch_new": 0.1, "batch_prepare": 0.2, "batch_tasks_per_second": 400.0, "batch_kms_csv_manifest": 0.0,
          # R27: whether the completion report's writes, as the job's role, carry x-amz-server-side-encryption:
          # AES256 for the bucket policy's s3:x-amz-server-side-encryption (1) or no such header (0): AWS says
          # the report is under SSE-S3, not how it is written.
          "batch_report_sse_header": 1.0,
          # R15: whether UploadPartCopy refuses a differing x-amz-copy-source-if-match (1, 412) or
          # copies the part anyway (0): AWS does not say in so many words; cmek is tested under both.
          "upload_part_copy_if_match": 1.0,
          # R19: whether PutRecord/PutRecordBatch to a stream under the caller rule need the caller's
          # own kms:GenerateDataKey and kms:Decrypt (1, AWS's notice and encryption page) or not (0).
          "firehose_caller_kms_permission": 1.0,
          # R12: which service's kms:ViaService the CreateGrant for a master password secret's key
          # carries: secretsmanager.<region> (1) or rds.<region> (0): AWS does not say.
          "secret_grant_via_secretsmanager": 1.0,
          # R12: whether that CreateGrant carries the secret's encryption context, so that a condition on
          # kms:EncryptionContext:SecretARN can hold for it (1), or none (0): AWS does not say.
          "secret_grant_encryption_context": 0.0,
          # R12: whether an instance whose RDS grant was revoked (key still enabled) becomes
          # inaccessible-encryption-credentials-recoverable (1) or carries on (0): AWS's current page
          # names only a disabled key.
          "rds_grant_revoked_inaccessible": 1.0,
          # R17: whether PerformanceInsightsKMSKeyId may name a key in another account (1) or is refused
          # (0): AWS's text for it, unlike KmsKeyId's, has no sentence on other accounts.
          "pi_cross_account_key": 1.0,
          # R20: seconds a deleted automated backup stays "deleting" before it is gone; whether
          # DescribeDBSnapshots lists the system snapshots of a retained automated backup like any
          # automated snapshot (1) or only when it names their DbiResourceId (0): AWS does not say.
          "rds_backup_delete": 0.5, "rds_retained_snapshots_listed": 0.0,
          # R25: whether CopyDBClusterSnapshot with KmsKeyId encrypts a copy of an unencrypted cluster
          # snapshot (1, the Aurora user guide) or is refused (0, the API reference); whether a restored
          # cluster has a managed master password secret under the source's key (1) or none (0); whether a
          # cluster whose RDS grant was revoked (key still enabled) becomes ...-recoverable (1) or not (0).
          "cluster_copy_unencrypted_with_key": 1.0, "cluster_restore_secret": 0.0,
          "cluster_grant_revoked_inaccessible": 1.0,
          # R23: whether SetQueueAttributes turning one SSE type on for a queue of the other type switches
          # the queue (1) or is refused with InvalidAttributeName (0): AWS says one type per queue, not which.
          "sqs_sse_type_replaced": 1.0,
          # R30: whether GetResources' last page carries PaginationToken "" (1, what AWS's SDK maintainers
          # saw) or none (0, the API reference's "null"): a client must stop on either.
          "tagging_last_page_token": 1.0,
          # R31: the Source DescribeDBParameters gives rds.force_ssl at its engine default: "system" (1, what
          # published outputs show) or "engine-default" (0): AWS does not say.
          "rds_force_ssl_source_system": 1.0,
          # R31: the engine version CreateDBInstance (postgres) and CreateDBCluster (aurora-postgresql) use
          # without EngineVersion, the one DescribeDBEngineVersions answers with DefaultOnly: stand-ins (strings,
          # kept as given) for AWS's current default, which is whatever DescribeDBEngineVersions says at the time.
          "rds_default_postgres_version": "17.4", "rds_default_aurora_postgresql_version": "16.6"}
ACCOUNT_CONFIG = {}  # account -> {CONFIG key: value}: one account's answers


def config_value(name, value):
    """A value for CONFIG[name] as POST /_localaws/config or a report gives it: a string for the settings
    that are strings (R31's default versions), else a number."""
    return str(value) if isinstance(CONFIG[name], str) else float(value)


def setting(name, account):
    """CONFIG[name], unless the account has its own answer."""
    return ACCOUNT_CONFIG.get(account, {}).get(name, CONFIG[name])


def apply_answers(path=None, out=None):
    """Sets CONFIG from a conformance report (CMEK_LOCALAWS_ANSWERS, or `path`): {"probes": [{"id",
    "rule", "answer", "switch", "switch_value", ...}]}. Every probe with a switch and a switch value
    whose answer is not "not-observed" sets CONFIG[switch] = float(switch_value); one line on stderr
    per switch set. Returns {switch: value} of what it set."""
    path = path if path is not None else os.environ.get("CMEK_LOCALAWS_ANSWERS")
    out = out if out is not None else sys.stderr
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    applied = {}
    for probe in report.get("probes") or []:
        switch, value = probe.get("switch"), probe.get("switch_value")
        if switch is None or value is None or probe.get("answer") == "not-observed":
            continue
        if switch not in CONFIG:
            print(f"localaws: {path}: probe {probe.get('id')} names unknown switch {switch}; ignored", file=out)
            continue
        CONFIG[switch] = config_value(switch, value)
        applied[switch] = CONFIG[switch]
        shown = CONFIG[switch] if isinstance(CONFIG[switch], str) else f"{CONFIG[switch]:g}"
        print(f"localaws: {switch} = {shown} (probe {probe.get('id')}, {probe.get('rule')}: "
              f"AWS answered {probe.get('answer')!r}; {path})", file=out)
    return applied


PENDING = {}  # (kind, account, region, name) -> ready time


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
        code = {"s3": "SlowDown", "sts": "Throttling", "rds": "Throttling", "iam": "Throttling", "monitoring": "Throttling",
                "s3control": "TooManyRequestsException",
                "sqs": "RequestThrottled",  # R23: SQS's RequestThrottled
                "tagging": "ThrottledException"}.get(call.service, "ThrottlingException")  # R30: the Tagging API's
        status = 503 if call.service == "s3" else 400
        return error_response(call, AwsError(status, code, "Rate exceeded"))
    if kind == "http5xx":
        return error_response(call, AwsError(fault.get("status", 503), fault.get("code", "ServiceUnavailable"),
                                             "Service is unavailable", sender=False))
    if kind == "iam-deny":
        prefix = {"s3control": "s3", "monitoring": "cloudwatch"}.get(call.service, call.service)
        action = f"{prefix}:{call.operation}"
        # R23: SQS answers AccessDenied; R24: SNS AuthorizationError, HTTP 403.
        return error_response(call, AwsError(403 if call.service in ("s3", "s3control", "iam", "sns") else 400,
                                             "AuthorizationError" if call.service == "sns" else
                                             "AccessDenied" if call.service in ("s3", "sts", "rds", "iam", "s3control",
                                                                                "monitoring", "sqs")
                                             else "AccessDeniedException",
                                             f"User: {call.caller_arn} is not authorized to perform: {action} "
                                             f"because no identity-based policy allows the {action} action"))
    if kind == "error":
        return error_response(call, AwsError(fault.get("status", 400), fault["code"], fault.get("message", "")))
    raise ValueError(f"unknown fault kind {kind}")
