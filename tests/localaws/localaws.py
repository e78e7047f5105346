"""A local AWS for cmek: moto server behind a fidelity layer that makes it behave as AWS documents.

Run: python localaws.py [--port 0]   (binds 127.0.0.1 only; prints "localaws listening on URL")
It exits when its standard input closes, so a test process that dies takes it along.

Moto speaks the wire protocols but (AWS-FACTS.md) resolves every key ARN in the caller's account,
ignores key-policy Allows, ignores DryRun, lets disabled keys encrypt, and never calls KMS from S3;
it has no S3 Batch Operations jobs, no IAM policy simulator, no Performance Insights and no CloudWatch
over Smithy RPC v2 CBOR.
Each rule of this layer fixes one of those. RULES (rules.py) is the list: for every rule R1..R31, and
the moto bugs M1-M6 fixed at the source, what it models, the AWS documentation page and the sentence
it relies on ("cites", each with the date it was last checked against AWS's text), and what AWS does
not document ("unconfirmed", each with a probe id, and with the CONFIG switch that gives the other answer
where there is one). Comments in the code name the rule they implement (# R7 ...); test_citations.py
checks that every rule named is in RULES, that every rule cites AWS, and that docs/local-aws.md shows the
same table.

  R1 caller account          R5 DryRun                    R9 call log
  R2 cross-account routing   R6 key spec and usage        R10 S3 default encryption
  R3 key policy              R7 S3 uses the key via S3    R11 Firehose: time, key via Firehose
  R4 key state               R8 faults                    R12 RDS: time, key via RDS
  R14 S3 Batch Operations    R15 multipart copy, sizes    R13 request quotas
  R16 IAM SimulatePrincipalPolicy  R17 RDS settings beside storage  R18 CloudWatch, Firehose metrics
  R19 Firehose: the caller's own KMS permission (streams from 2026-04-20; all from 2027-02-28)
  R20 RDS automated backups, and snapshots once the instance is gone
  R21 S3 multipart uploads in progress (listing, encryption)   R22 S3 replication configuration
  R23 SQS: SSE-SQS by default, one SSE type at a time, the key via SQS for producers and consumers,
      data keys reused per queue and requester (KmsDataKeyReusePeriodSeconds)
  R24 SNS: the key via SNS for publishers (data keys reused up to 5 minutes), deliveries into queues as
      sns.amazonaws.com (queue policy and queue key, or the message does not arrive)
  R25 Aurora DB clusters: time, key via RDS, inaccessible with the key, its instances with it
  R29 KMS asymmetric signing keys: Sign (a DIGEST signed as given), Verify, GetPublicKey
  R30 Resource Groups Tagging API GetResources (JSON and RPC v2 CBOR; the caller's Region only, pages)
  R26 S3 bucket owner condition (x-amz-expected-bucket-owner); other accounts need the bucket policy's Allow
  R27 S3 bucket policies: explicit Deny for every request on a bucket, the owner's and S3 Batch Operations' too
  R28 S3 Object Lock on an existing bucket: default retention, integrity header, governance bypass
  R31 RDS for PostgreSQL DB parameter groups (rds.force_ssl's engine default, families, pending-reboot),
      CloudWatch Logs exports, the engine's default version (DescribeDBEngineVersions)
  M1-M6 moto bugs fixed in patch_moto()

Layout (one module per AWS service, all in this directory; each module's docstring names its rules):
  localaws.py      this entry point: the Fidelity WSGI app (dispatch, control API) and main()
  rules.py         RULES, the citation table (a pure literal)
  core.py          errors in each protocol, settings (CONFIG, ACCOUNT_CONFIG), pending transitions
                   (PENDING), faults (R8) and the call log (R9): the shared state, held once
  request.py       what a request is: service, operation, body, caller (R1)
  kms.py           R2-R6, keys used through a service (R11, R12), and Sign, Verify, GetPublicKey (R29)
  s3.py            R7, R10, R15 (multipart copy, reported sizes), R21 (uploads in progress), R22 (replication)
  s3control.py     R14 (S3 Batch Operations jobs), R27 for the requests a job makes as its role
  s3_access.py     R26 (bucket owner condition, other accounts), R27 (bucket policies), before any S3 answer
  s3_lock.py       R28 (Object Lock configuration, retention, the integrity header, governance bypass)
  firehose.py      R11, R19 (and the Firehose metrics of R18)
  rds.py           R12 (and RDS's KMS grant), R17, R20 (automated backups, snapshots after deletion); its hooks
                   call rds_cluster.py for cluster operations
  rds_cluster.py   R25 (Aurora DB clusters, their instances and cluster snapshots)
  rds_params.py    R31 (DB parameter groups, DescribeDBParameters, ParameterApplyStatus, RebootDBInstance, log
                   exports, DescribeDBEngineVersions and the default version), called from rds.py's hooks
  sqs.py           R23 (SQS encryption attributes, the key used through SQS, the data key cache)
  sns.py           R24 (the key used through SNS, SNS's deliveries into SQS queues)
  cloudwatch.py    R18 (GetMetricData)
  tagging.py       R30 (the Resource Groups Tagging API's GetResources)
  iam.py           R16 (SimulatePrincipalPolicy), and the identity policies R14 and R19 read
  quotas.py        R13
  moto_patches.py  M1-M6: patch_moto(), called once when this module is imported
  policy.py        IAM policy evaluation (key, identity and trust policies)

  Timings (seconds) are set with POST /_localaws/config: firehose_create, firehose_enabling,
  rds_create, rds_snapshot, rds_inaccessible (stands for AWS's "2 hours after detection"), rds_modify (also
  how long RebootDBInstance is "rebooting", R31),
  rds_terminal and rds_stop_restart (default 604800: AWS's seven days in ...-recoverable, and before a
  stopped instance starts again), rds_backup_delete (a deleted automated backup stays "deleting"),
  batch_new, batch_prepare; and batch_tasks_per_second (default 400).
  Switches (each is the "switch" of a probed entry of RULES; its "answers" say which value stands for
  which answer), set for all accounts or, with "account" in the body, for one (the first two are read
  for all accounts only):
    batch_kms_csv_manifest          0 (default): a CSV manifest under SSE-KMS fails the job, as AWS's
                                    user guide says; 1: it is read as the role
    upload_part_copy_if_match       1 (default): a differing x-amz-copy-source-if-match is refused with
                                    412; 0: the part is copied anyway
    firehose_cross_account_key      1 (default): a stream's own encryption takes a key from another
                                    account; 0: refused
    firehose_caller_kms_permission  1 (default): R19, a stream under the caller rule needs the caller's
                                    own kms:GenerateDataKey and kms:Decrypt; 0: no caller check
    restore_settings                0 (default): a restored instance has neither the managed secret nor
                                    Performance Insights; 1: both, from the source, under its keys
    secret_grant_via_secretsmanager 1 (default): the master password secret key's CreateGrant goes
                                    through secretsmanager.<region>; 0: through rds.<region>
    secret_grant_encryption_context 0 (default): that CreateGrant carries no encryption context; 1: it
                                    carries SecretARN = the secret's ARN (kms:EncryptionContext:SecretARN)
    pi_cross_account_key            1 (default): PerformanceInsightsKMSKeyId may name another account's
                                    key; 0: KMSKeyNotAccessibleFault, nothing created or changed
    rds_grant_revoked_inaccessible  1 (default, of the DB's account): an instance whose RDS grant was
                                    revoked becomes ...-recoverable as for a disabled key; 0: no effect
    rds_retained_snapshots_listed   0 (default): a retained automated backup's system snapshots are listed
                                    by DescribeDBSnapshots only when it names their DbiResourceId (or a
                                    snapshot identifier); 1: like any automated snapshot
    cluster_copy_unencrypted_with_key  1 (default): R25, CopyDBClusterSnapshot with KmsKeyId of an
                                    unencrypted cluster snapshot makes an encrypted copy; 0:
                                    InvalidParameterCombination
    cluster_restore_secret          0 (default): R25, a restored cluster has no managed master password
                                    secret; 1: the source's, under its key
    cluster_grant_revoked_inaccessible  1 (default, of the cluster's account): R25, a cluster whose RDS
                                    grant was revoked becomes ...-recoverable as for a disabled key; 0: no effect
    batch_report_sse_header         1 (default): R27, the completion report's writes as the job's role carry
                                    x-amz-server-side-encryption: AES256 for the bucket policy; 0: no such header
    sqs_sse_type_replaced           1 (default, of the queue's account): R23, SetQueueAttributes turning
                                    one SSE type on (KmsMasterKeyId, or SqsManagedSseEnabled true) on a queue
                                    of the other type switches the queue to it; 0: InvalidAttributeName,
                                    nothing changed, unless the other type is turned off in the same call
    tagging_last_page_token         1 (default, of the caller's account): R30, GetResources' last page
                                    carries PaginationToken ""; 0: no PaginationToken
    rds_force_ssl_source_system     1 (default, of the caller's account): R31, DescribeDBParameters gives
                                    rds.force_ssl at its engine default with Source system; 0: engine-default
  Settings that are strings (kept as given; for all accounts or, with "account", the caller's):
    rds_default_postgres_version    "17.4" (default): R31, the version CreateDBInstance (postgres) without
                                    EngineVersion uses and DescribeDBEngineVersions gives with DefaultOnly, a
                                    stand-in for AWS's current default (e.g. "14.12" for an older one)
    rds_default_aurora_postgresql_version  "16.6" (default): R31, the same for CreateDBCluster (aurora-postgresql)
  CMEK_LOCALAWS_ANSWERS=<file> at startup: a conformance report {"probes": [{"id", "rule", "answer",
  "switch", "switch_value"}, ...]}; each probe with a switch, a switch_value and an answer other than
  "not-observed" sets CONFIG[switch] = switch_value (one stderr line each).

Control API (JSON, same port): POST /_localaws/config, POST /_localaws/faults, DELETE /_localaws/faults[?account=],
GET /_localaws/calls[?account=&mutating=1], DELETE /_localaws/calls[?account=], GET /_localaws/health,
POST /_localaws/quotas {"account": ID, "enabled": bool, "burst": "strict"|"one-second"},
GET /_localaws/quotas?account=ID (R13: whether on, and how many calls were throttled),
POST /_localaws/s3/size {"account","bucket","key","size"}, POST /_localaws/s3/overwrite-on-copy
{"account","bucket","key"}, POST /_localaws/s3/archive-status {"account","bucket","key","status"} (R15),
GET /_localaws/jobs[?account=] (R14: every Batch Operations job and its counts),
POST /_localaws/s3control/omit {"account": ID, "count": N} (R14, a test fault: the next Batch Operations
job created in the account with a manifest generator leaves out the first N objects, in key order, it
would otherwise list, once; they stand for objects a generated manifest does not include, e.g. one a
lifecycle rule moved to another storage class between cmek's scan and the job; the job completes with
N fewer tasks and those objects are untouched; count 0 clears it; answers {"account", "count"}),
POST /_localaws/firehose/created {"account", "region" (default us-east-1), "name", "created": Unix
seconds} (R19: the stream's creation time, DescribeDeliveryStream's CreateTimestamp, which decides
whether the caller rule applies; answers the time and whether it does).
POST /_localaws/data-keys/expire {"resource"?: queue or topic ARN, "account"?} (R23, R24: the data key reuse
period of the cached data keys has passed, of one queue or topic, of one account's, or all; answers
{"expired": N}), GET /_localaws/sns/deliveries[?topic=ARN] (R24: every SNS delivery into an SQS queue, with
"delivered" and, for a failed one, "reason").
POST /_localaws/tagging/short-pages {"account": ID, "pages": N} (R30, a test harness: the next N GetResources
pages of the account that have resources left hold none, with a PaginationToken that resumes there; 0 clears it;
answers {"account", "pages"}).
Request header x-localaws-insecure-transport: 1 (R27 harness, S3): the request stands for one sent without TLS
(aws:SecureTransport "false" for the bucket policy; "true" otherwise: the local AWS is plain HTTP in place of AWS's
HTTPS endpoints).
LOCALAWS_ACCESS_LOG=1 keeps the HTTP access log on stderr (off otherwise: the call log has it).
"""

import argparse
import logging
import io
import json
import os
import socket
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

from cloudwatch import cloudwatch_handle  # noqa: E402
from core import (  # noqa: E402  (CONFIG and STATE re-exported: test_rules.py reads localaws.CONFIG, .STATE)
    ACCOUNT_CONFIG, CONFIG, STATE, AwsError, apply_answers, apply_fault, config_value, error_response,
)
from firehose import firehose_after, firehose_before, set_created  # noqa: E402
from iam import simulate_principal_policy  # noqa: E402
from kms import SIGNING_OPS, kms_rules, kms_signing  # noqa: E402
from moto_patches import patch_moto  # noqa: E402
from quotas import QUOTA, THROTTLE_CODES  # noqa: E402  (re-exported: test_rules.py reads localaws.QUOTA)
from rds import rds_after, rds_before, rds_handle  # noqa: E402
from request import Call  # noqa: E402
from rules import RULES  # noqa: E402,F401  (re-exported)
from s3 import (  # noqa: E402
    OVERWRITE_ON_COPY, list_multipart_uploads, s3_after, s3_rules, set_archive_status, set_reported_size,
)
from s3control import JOBS, s3control_handle, set_omit  # noqa: E402
from s3_access import s3_access  # noqa: E402
from s3_lock import lock_before, lock_handle  # noqa: E402
from sns import deliveries, sns_before  # noqa: E402
from sqs import expire_data_keys, sqs_after, sqs_before  # noqa: E402
from tagging import set_short_pages, tagging_handle  # noqa: E402


class Fidelity:
    def __init__(self, app):
        self.app = app
        # A conformance report's answers (CMEK_LOCALAWS_ANSWERS names the file): each probed switch
        # takes the value real AWS answered with.
        apply_answers()

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
        record.update(status=status, end=time.time(), throttled=getattr(call, "throttled", False))
        if status >= 300 or call.replayed:
            record["mutating"] = False  # refused before it happened, or answered without a change (R14)
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
        if not QUOTA.admit(call):  # R13
            call.throttled = True
            return error_response(call, AwsError(400, THROTTLE_CODES.get(call.service, "ThrottlingException"),  # R30
                                                 "Rate exceeded"))
        for fault in STATE.match_faults(call, "before", None):
            r = apply_fault(call, fault)
            if r == "drop":
                return -1, [], b""
            if r is not None:
                return r
        try:
            answer = None
            if call.service == "s3":
                s3_access(call)  # R26, R27: the bucket owner condition, other accounts, the bucket policy
            if call.service == "s3control":
                answer = s3control_handle(call)  # R14
            elif call.service == "iam" and call.operation == "SimulatePrincipalPolicy":
                answer = simulate_principal_policy(call)  # R16
            elif call.service == "monitoring" and call.path.startswith("/service/"):
                answer = cloudwatch_handle(call)  # R18
            elif call.service == "rds":
                answer = rds_handle(call)  # R20
            elif call.service == "s3" and call.operation == "ListMultipartUploads":
                answer = list_multipart_uploads(call)  # R21
            elif call.service == "s3":
                answer = lock_handle(call)  # R28 (None: moto answers)
            elif call.service == "kms" and call.operation in SIGNING_OPS:
                answer = kms_signing(call)  # R29
            elif call.service == "tagging":
                answer = tagging_handle(call)  # R30 (None: moto answers)
        except AwsError as e:
            return error_response(call, e)
        if answer is not None:
            for fault in STATE.match_faults(call, "after", answer[0]):
                r = apply_fault(call, fault)
                if r == "drop":
                    return -1, [], b""
                if r is not None:
                    return r
            return answer
        try:
            target_account = call.account
            body = call.body
            if call.service == "kms":
                target_account, body = kms_rules(call)
            elif call.service == "s3":
                s3_rules(call)
                lock_before(call)  # R28
            elif call.service == "firehose":
                body = firehose_before(call)
            elif call.service == "rds":
                body = rds_before(call)
            elif call.service == "sqs":
                body = sqs_before(call)  # R23
            elif call.service == "sns":
                body = sns_before(call)  # R24
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
        elif call.service == "sqs":
            sqs_after(call, status)  # R23
        elif call.service == "rds":
            out = rds_after(call, status, out)
            headers = [(k, str(len(out)) if k.lower() == "content-length" else v) for k, v in headers]
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
            elif path == "/_localaws/config" and method == "POST" and (data or {}).get("account"):
                # One account's answers (tests that share the layer flip switches for their own
                # accounts only).
                mine = ACCOUNT_CONFIG.setdefault(str(data["account"]), {})
                mine.update({k: config_value(k, v) for k, v in data.items() if k in CONFIG})
                result = {**CONFIG, **mine}
            elif path == "/_localaws/config" and method == "POST":
                CONFIG.update({k: config_value(k, v) for k, v in (data or {}).items() if k in CONFIG})
                result = dict(CONFIG)
            elif path == "/_localaws/config":
                result = dict(CONFIG)
            elif path == "/_localaws/firehose/created" and method == "POST":
                result = set_created(data or {})  # R19 harness
            elif path == "/_localaws/s3/size" and method == "POST":
                result = set_reported_size(data or {})  # R15 harness
            elif path == "/_localaws/s3/archive-status" and method == "POST":
                result = set_archive_status(data or {})  # R15 harness
            elif path == "/_localaws/s3/overwrite-on-copy" and method == "POST":
                OVERWRITE_ON_COPY.add((data["bucket"], data["key"]))  # R15 harness
            elif path == "/_localaws/data-keys/expire" and method == "POST":
                result = expire_data_keys(data or {})  # R23, R24 harness
            elif path == "/_localaws/sns/deliveries":
                result = deliveries(q)  # R24 harness
            elif path == "/_localaws/s3control/omit" and method == "POST":
                result = set_omit(data or {})  # R14 harness
            elif path == "/_localaws/tagging/short-pages" and method == "POST":
                result = set_short_pages(data or {})  # R30 harness
            elif path == "/_localaws/jobs":
                result = [{"id": j.id, "account": j.account, "status": j.status, "total": j.total,
                           "succeeded": j.succeeded, "failed": j.failed} for j in JOBS.values()
                          if not q.get("account") or j.account == q["account"]]
            elif path == "/_localaws/quotas" and method == "POST":
                result = QUOTA.configure(data or {})
            elif path == "/_localaws/quotas":
                result = QUOTA.describe(q.get("account", ""))
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


patch_moto()  # M1-M4, before any request reaches moto


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = ap.parse_args()
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "false")
    app = Fidelity(DomainDispatcherApplication(create_backend_app))
    # The access log (a coloured line per request) only with LOCALAWS_ACCESS_LOG=1: the calls are in
    # GET /_localaws/calls, and a test log should show tests.
    if not os.environ.get("LOCALAWS_ACCESS_LOG"):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
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
