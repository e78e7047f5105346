"""Firehose probes (R11, R13, R18, R19): DirectPut streams in the vendor (Speedscale) account, to an S3
bucket of the vendor account, encrypted with keys of either account."""

import json
import threading
import time

from botocore.exceptions import ClientError

from . import NotObserved, Unobservable, probe
from .run import FOR_AWS_RESOURCE, allow, code_of, outcome

FIREHOSE_USE = ["kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKey*", "kms:Decrypt", "kms:Encrypt",
                "kms:ReEncrypt*"]


def destination(run):
    """A bucket and a role Firehose may assume to write to it (vendor account), shared by the run."""
    def build():
        bucket = run.create_bucket(run.vendor, "fh-dest")
        role = run.create_role(run.vendor, "fh-role", "firehose.amazonaws.com", [
            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
                                           "s3:AbortMultipartUpload", "s3:ListBucketMultipartUploads"],
             "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}])
        return {"BucketARN": f"arn:aws:s3:::{bucket}", "RoleARN": role}
    return run.fixture("firehose-destination", build)


def create_stream(run, suffix, key=None, key_type="CUSTOMER_MANAGED_CMK"):
    """Creates a DirectPut stream (with its own encryption under `key` when given). Returns (name,
    error code or None). Retries while IAM has not yet propagated the new role."""
    dest = destination(run)
    name = run.name(suffix)[:64]
    kw = {"DeliveryStreamName": name, "DeliveryStreamType": "DirectPut", "Tags": run.tags(),
          "ExtendedS3DestinationConfiguration": dict(dest, BufferingHints={"SizeInMBs": 1, "IntervalInSeconds": 60})}
    if key or key_type != "CUSTOMER_MANAGED_CMK":
        kw["DeliveryStreamEncryptionConfigurationInput"] = {"KeyType": key_type, **({"KeyARN": key} if key else {})}
    res = run.intend("firehose-stream", run.vendor, name)
    deadline = time.monotonic() + min(run.max_wait, 60)
    while True:
        try:
            run.vendor.firehose.create_delivery_stream(**kw)
            run.created(res)
            return name, None
        except ClientError as e:
            msg = str(e).lower()
            if code_of(e) == "InvalidArgumentException" and "role" in msg and time.monotonic() < deadline:
                time.sleep(3)  # "Firehose is unable to assume role": IAM is eventually consistent
                continue
            return name, code_of(e)


def describe(run, name):
    return run.vendor.firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]


def wait_settled(run, name, what="stream no longer CREATING"):
    return run.wait_for(lambda: (lambda d: d if d["DeliveryStreamStatus"] != "CREATING" else None)(describe(run, name)),
                        what)


def wait_encrypted(run, name):
    """Waits for ACTIVE and an encryption status that is not ENABLING; the description."""
    def ready():
        d = describe(run, name)
        enc = (d.get("DeliveryStreamEncryptionConfiguration") or {}).get("Status")
        return d if d["DeliveryStreamStatus"] != "CREATING" and enc not in ("ENABLING", "DISABLING") else None
    return run.wait_for(ready, "stream ACTIVE with its encryption settled")


def put(run, name, client=None):
    fh = client or run.vendor.firehose
    return outcome(fh.put_record, DeliveryStreamName=name, Record={"Data": b'{"cmek-conformance":1}\n'})[0]


@probe("firehose-cross-account-key", cost="minutes")
def cross_account_key(run):
    """A stream of the vendor account encrypted with a customer key whose policy allows the vendor
    what Firehose needs."""
    key = run.create_key(run.customer, "r11-xacct", [allow(run.vendor.id, FIREHOSE_USE)])
    name, c = create_stream(run, "r11-xacct", key)
    if c:
        return "refused", f"CreateDeliveryStream: {c}"
    d = wait_encrypted(run, name)
    enc = d.get("DeliveryStreamEncryptionConfiguration") or {}
    detail = f"stream {d['DeliveryStreamStatus']}, encryption {enc.get('Status')}"
    if d["DeliveryStreamStatus"] == "ACTIVE" and enc.get("Status") == "ENABLED":
        return "accepted", detail
    return "refused", detail + f", {enc.get('FailureDescription') or d.get('FailureDescription')}"


@probe("firehose-create-unusable-key", cost="minutes")
def create_unusable_key(run):
    """CreateDeliveryStream with a disabled key of the vendor's own account."""
    key = run.create_key(run.vendor, "r11-unusable", [])
    run.vendor.kms.disable_key(KeyId=key)
    name, c = create_stream(run, "r11-unusable", key)
    if c:
        return ("refused-synchronously" if c == "InvalidKMSResourceException" else f"refused:{c}"), \
            f"CreateDeliveryStream: {c}"
    d = wait_settled(run, name)
    detail = f"created, then {d['DeliveryStreamStatus']}: {d.get('FailureDescription')}"
    return ("creating-failed" if d["DeliveryStreamStatus"] == "CREATING_FAILED" else "accepted"), detail


@probe("firehose-describe-key-check", cost="minutes")
def describe_key_check(run):
    """A vendor key whose policy denies kms:DescribeKey to everyone (CreateGrant and the rest allowed):
    does Firehose need DescribeKey to create a stream under it?"""
    key = run.create_key(run.vendor, "r11-nodescribe", [
        {"Sid": "no-describe", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "kms:DescribeKey",
         "Resource": "*"}])
    try:
        name, c = create_stream(run, "r11-nodescribe", key)
        if c:
            return "describe-and-grant", f"CreateDeliveryStream without DescribeKey: {c}"
        d = wait_encrypted(run, name)
    finally:  # lets the cleanup describe the key again
        run.vendor.kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Sid": "owner", "Effect": "Allow", "Principal": {
                "AWS": f"arn:aws:iam::{run.vendor.id}:root"}, "Action": "kms:*", "Resource": "*"}]}))
    enc = d.get("DeliveryStreamEncryptionConfiguration") or {}
    if d["DeliveryStreamStatus"] == "ACTIVE" and enc.get("Status") == "ENABLED":
        return "grant-only", "the stream became ACTIVE and ENABLED without DescribeKey"
    return "describe-and-grant", f"stream {d['DeliveryStreamStatus']}, encryption {enc}"


@probe("firehose-encryption-not-active", cost="minutes")
def not_active(run):
    """StartDeliveryStreamEncryption and UpdateDestination on a stream still CREATING."""
    name, c = create_stream(run, "r11-creating")
    if c:
        raise RuntimeError(f"CreateDeliveryStream: {c}")
    d = describe(run, name)
    if d["DeliveryStreamStatus"] != "CREATING":
        raise NotObserved(f"the stream was {d['DeliveryStreamStatus']} at once: no CREATING window to call in")
    start, _ = outcome(run.vendor.firehose.start_delivery_stream_encryption, DeliveryStreamName=name,
                       DeliveryStreamEncryptionConfigurationInput={"KeyType": "AWS_OWNED_CMK"})
    update, _ = outcome(run.vendor.firehose.update_destination, DeliveryStreamName=name,
                        CurrentDeliveryStreamVersionId=d["VersionId"],
                        DestinationId=d["Destinations"][0]["DestinationId"],
                        ExtendedS3DestinationUpdate={"BufferingHints": {"SizeInMBs": 2, "IntervalInSeconds": 60}})
    after = describe(run, name)["DeliveryStreamStatus"]
    start, update = start or "succeeded", update or "succeeded"
    detail = (f"while CREATING: StartDeliveryStreamEncryption {start}, UpdateDestination {update} (then {after}); "
              "the non-DirectPut case (a Kinesis source) is not probed")
    if start == update:
        return start, detail
    return f"start={start};update={update}", detail


@probe("firehose-cmk-status-enabled", cost="minutes")
def cmk_status(run):
    key = run.create_key(run.vendor, "r11-status", [])
    name, c = create_stream(run, "r11-status", key)
    if c:
        raise RuntimeError(f"CreateDeliveryStream with a usable key of the same account: {c}")
    d = wait_encrypted(run, name)
    status = (d.get("DeliveryStreamEncryptionConfiguration") or {}).get("Status")
    return (status or "no-status"), f"stream {d['DeliveryStreamStatus']}, encryption Status {status!r}"


def disabled_key_stream(run):
    """A stream under a vendor key that was then disabled, and the PutRecord calls it refused
    (shared by the R18 metric probes)."""
    def build():
        key = run.create_key(run.vendor, "r18-disabled", [])
        name, c = create_stream(run, "r18-disabled", key)
        if c:
            raise RuntimeError(f"CreateDeliveryStream: {c}")
        wait_encrypted(run, name)
        run.vendor.kms.disable_key(KeyId=key)
        t0 = time.time()
        calls = []

        def refused():
            calls.append(put(run, name))
            return calls[-1]
        run.wait_for(refused, "PutRecord refused after DisableKey")
        for _ in range(2):
            calls.append(put(run, name))
        return {"name": name, "key": key, "t0": t0, "calls": calls,
                "refused": sum(1 for c in calls if c), "codes": sorted({c for c in calls if c})}
    return run.fixture("firehose-disabled-key", build)


def metric_sum(run, name, metric, start, end, period=60):
    import datetime as dt
    r = run.vendor.cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "m", "MetricStat": {"Metric": {
            "Namespace": "AWS/Firehose", "MetricName": metric,
            "Dimensions": [{"Name": "DeliveryStreamName", "Value": name}]}, "Period": period, "Stat": "Sum"}}],
        StartTime=dt.datetime.fromtimestamp(start, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(end, dt.timezone.utc))["MetricDataResults"][0]
    return r


@probe("firehose-kms-metric-per-call", cost="minutes")
def metric_per_call(run):
    s = disabled_key_stream(run)
    got = {}

    def counted():
        r = metric_sum(run, s["name"], "KMSKeyDisabled", s["t0"] - 600, time.time() + 60)
        got["sum"] = sum(r["Values"])
        return got["sum"] >= s["refused"] or None
    try:
        run.wait_for(counted, "KMSKeyDisabled reaching the number of refused calls")
    except NotObserved:
        if not got.get("sum"):
            raise
    detail = f"{s['refused']} refused PutRecord call(s) ({', '.join(s['codes'])}); KMSKeyDisabled Sum {got['sum']:g}"
    return ("one-per-call" if got["sum"] == s["refused"] else f"count:{got['sum']:g}/{s['refused']}"), detail


@probe("firehose-caller-kms-permission", cost="minutes")
def caller_permission(run):
    """A vendor key its owner may manage and grant for AWS resources, but not use: PutRecord to a
    stream under it (ENABLED): does the caller need kms:GenerateDataKey/Decrypt itself?"""
    key = run.create_key(run.vendor, "r19-caller", [
        allow(run.vendor.id, ["kms:CreateGrant"], FOR_AWS_RESOURCE, sid="grants-for-firehose")], admin="manage")
    name, c = create_stream(run, "r19-caller", key)
    if c:
        raise RuntimeError(f"CreateDeliveryStream: {c} (Firehose could not use a key it may grant itself)")
    d = wait_encrypted(run, name)
    status = (d.get("DeliveryStreamEncryptionConfiguration") or {}).get("Status")
    if status != "ENABLED":
        raise RuntimeError(f"encryption {status}: {d.get('DeliveryStreamEncryptionConfiguration')}")
    c = put(run, name)
    if c == "InvalidKMSResourceException":
        return "required", "PutRecord by a caller the key policy does not allow GenerateDataKey/Decrypt: refused"
    if c is None:
        return "not-required", "PutRecord by a caller the key policy does not allow GenerateDataKey/Decrypt: accepted"
    return c, f"PutRecord: {c}"


def burst(run, n=12):
    """n ListDeliveryStreams calls released at once (no retries; the quota is 5 a second), after a
    warm-up call and 1.5 s for the bucket to fill. [(code or None, HTTP status, start, end)]."""
    fh = run.vendor.client("firehose", retries=False)
    fh.list_delivery_streams(Limit=1)
    time.sleep(1.5)
    barrier = threading.Barrier(n)
    got = [None] * n

    def one(i):
        barrier.wait()
        t = time.monotonic()
        c, e = outcome(fh.list_delivery_streams, Limit=1)
        got[i] = (c, e.response["ResponseMetadata"].get("HTTPStatusCode") if c else 200, t, time.monotonic())
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got


@probe("quota-burst")
def quota_burst(run):
    """How many of 12 calls released at once pass, less what the rate (5 a second) refills while the
    passing ones arrive: the burst."""
    got = burst(run)
    ok = [g for g in got if g[0] is None]
    throttled = sum(1 for g in got if g[0] in ("ThrottlingException", "LimitExceededException", "Throttling"))
    window = (max(g[3] for g in ok) - min(g[2] for g in got)) if ok else 0.0
    spent = len(ok) - 5 * window
    detail = (f"12 concurrent ListDeliveryStreams: {len(ok)} passed within {window:.2f} s, {throttled} throttled "
              f"(a burst of about {spent:.1f} beyond the rate); KMS's burst is not probed (thousands of calls)")
    if throttled == 0:
        return "no-throttling", detail
    if spent < 2.0:
        return "strict", detail
    if spent <= 8:
        return "one-second", detail
    return "larger-burst", detail


@probe("firehose-throttling-error")
def throttling_error(run):
    """The error of the calls over the quota, among 12 released at once."""
    got = burst(run)
    refused = sorted({(g[0], g[1]) for g in got if g[0]})
    if not refused:
        raise NotObserved("12 concurrent ListDeliveryStreams: none refused")
    detail = f"12 concurrent ListDeliveryStreams: refused with {refused}"
    if refused == [("ThrottlingException", 400)]:
        return "ThrottlingException", detail
    return ",".join(f"{c}/{st}" for c, st in refused), detail


@probe("firehose-caller-refusal-error", cost="minutes")
def caller_refusal_error(run):
    """PutRecord by a caller the key policy does not allow (twice), the KMSKeyAccessDenied metric, then
    the key disabled: which refusal is reported first?"""
    key = run.create_key(run.vendor, "r19-refusal", [
        allow(run.vendor.id, ["kms:CreateGrant"], FOR_AWS_RESOURCE, sid="grants-for-firehose")], admin="manage")
    name, c = create_stream(run, "r19-refusal", key)
    if c:
        raise RuntimeError(f"CreateDeliveryStream: {c}")
    wait_encrypted(run, name)
    t0 = time.time()
    refusals = []
    for _ in range(2):
        c, e = outcome(run.vendor.firehose.put_record, DeliveryStreamName=name, Record={"Data": b"{}\n"})
        refusals.append((c, str(e) if c else ""))
    if not all(c for c, _ in refusals):
        return "not-refused", f"PutRecord by a caller without kms permissions: {[c or 'accepted' for c, _ in refusals]}"
    names_access_denied = all("AccessDenied" in m for _, m in refusals)
    got = {}

    def counted():
        got["sum"] = sum(metric_sum(run, name, "KMSKeyAccessDenied", t0 - 600, time.time() + 60)["Values"])
        return got["sum"] >= 2 or None
    try:
        run.wait_for(counted, "KMSKeyAccessDenied counting the refused calls")
    except NotObserved:
        pass
    run.vendor.kms.disable_key(KeyId=key)

    def disabled_reported():
        c, e = outcome(run.vendor.firehose.put_record, DeliveryStreamName=name, Record={"Data": b"{}\n"})
        return str(e) if c and "AccessDenied" not in str(e) else None
    try:
        after = run.wait_for(disabled_reported, "a refusal naming the key's state")
        state_first = True
    except NotObserved:
        after, state_first = "still AccessDenied", False
    code = refusals[0][0]
    detail = (f"refused: {code}, message names AccessDenied: {names_access_denied}; KMSKeyAccessDenied "
              f"Sum {got.get('sum', 0):g} for 2 calls; after DisableKey: {after[-120:]}")
    if code == "InvalidKMSResourceException" and names_access_denied and got.get("sum") == 2 and state_first:
        return "InvalidKMSResourceException", detail
    return (f"code={code};message-access-denied={names_access_denied};metric={got.get('sum', 0):g};"
            f"state-first={state_first}"), detail


@probe("firehose-caller-rule-dates")
def caller_rule_dates(run):
    raise Unobservable("needs streams created just before and after 2026-04-20T00:00:00Z, or a clock at "
                       "2027-02-28T00:00:00Z; a run can only create streams now")
