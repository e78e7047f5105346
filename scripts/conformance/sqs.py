"""SQS probes (R23): queues of the vendor (Speedscale) account, on keys of the customer account
named by ARN, as cmek sets them."""

import concurrent.futures

from . import probe
from .run import TAG, allow, fake_key_arn, outcome, via

PRODUCER = ["kms:GenerateDataKey", "kms:Decrypt"]


def producer(run, condition=None):
    """The vendor may use the key through SQS (as a producer and a consumer)."""
    return allow(run.vendor.id, PRODUCER, condition or via("sqs", run.region))


def sqs_key(run):
    """A customer key the vendor may use through SQS, shared by the probes that only set it."""
    return run.fixture("sqs-key", lambda: run.create_key(run.customer, "r23-key", [producer(run)]))


def create_queue(run, suffix, **attributes):
    """A vendor queue (tagged, journaled): (url, None), or (None, the error code) when SQS refused it."""
    name = run.name(suffix)[:80]
    res = run.intend("sqs-queue", run.vendor, None, name=name)
    c, out = outcome(run.vendor.sqs.create_queue, QueueName=name, tags={TAG: run.id},
                     Attributes={k: str(v) for k, v in attributes.items()})
    if c:
        return None, c
    run.created(res, id=out["QueueUrl"])
    return out["QueueUrl"], None


def queue(run, suffix, **attributes):
    url, c = create_queue(run, suffix, **attributes)
    if c:
        raise RuntimeError(f"CreateQueue {suffix}: {c}")
    return url


def attrs(run, url):
    return run.vendor.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes", {})


def send(run, url):
    return outcome(run.vendor.sqs.send_message, QueueUrl=url, MessageBody="cmek-conformance")


def status_of(e):
    return e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") if e is not None else None


@probe("sqs-sse-type-replaced")
def sse_type_replaced(run):
    """A new queue (SSE-SQS by default) is given a KmsMasterKeyId alone."""
    url = queue(run, "r23-type")
    before = attrs(run, url).get("SqsManagedSseEnabled")
    key = sqs_key(run)
    c, _ = outcome(run.vendor.sqs.set_queue_attributes, QueueUrl=url, Attributes={"KmsMasterKeyId": key})
    if c == "InvalidAttributeName":
        return "refused", f"new queue SqsManagedSseEnabled={before}; SetQueueAttributes KmsMasterKeyId: {c}"
    if c:
        return c, f"SetQueueAttributes KmsMasterKeyId: {c}"
    a = attrs(run, url)
    detail = f"new queue SqsManagedSseEnabled={before}; then KmsMasterKeyId={a.get('KmsMasterKeyId')}, " \
             f"SqsManagedSseEnabled={a.get('SqsManagedSseEnabled')}"
    if a.get("KmsMasterKeyId") == key and a.get("SqsManagedSseEnabled") == "false":
        return "replaced", detail
    return f"key={'set' if a.get('KmsMasterKeyId') else 'unset'};sse-sqs={a.get('SqsManagedSseEnabled')}", detail


@probe("sqs-sse-both-in-one-call")
def sse_both(run):
    url, c = create_queue(run, "r23-both", KmsMasterKeyId=sqs_key(run), SqsManagedSseEnabled="true")
    if c:
        return c, f"CreateQueue with KmsMasterKeyId and SqsManagedSseEnabled true: {c}"
    a = attrs(run, url)
    return "accepted", f"created: SqsManagedSseEnabled={a.get('SqsManagedSseEnabled')}, key {'set' if a.get('KmsMasterKeyId') else 'unset'}"


@probe("sqs-reuse-period-out-of-bounds")
def reuse_bounds(run):
    url = queue(run, "r23-bounds")
    a, _ = outcome(run.vendor.sqs.set_queue_attributes, QueueUrl=url, Attributes={"KmsDataKeyReusePeriodSeconds": "59"})
    b, _ = outcome(run.vendor.sqs.set_queue_attributes, QueueUrl=url,
                   Attributes={"KmsDataKeyReusePeriodSeconds": "86401"})
    a, b = a or "accepted", b or "accepted"
    return (a if a == b else f"59={a};86401={b}"), f"KmsDataKeyReusePeriodSeconds 59: {a}; 86401: {b}"


@probe("sqs-key-not-checked-when-set")
def key_not_checked(run):
    missing = fake_key_arn(run.region, run.customer.id)
    url, a = create_queue(run, "r23-unchecked", KmsMasterKeyId=missing)
    plain = queue(run, "r23-unchecked-set")
    b, _ = outcome(run.vendor.sqs.set_queue_attributes, QueueUrl=plain, Attributes={"KmsMasterKeyId": missing})
    detail = f"CreateQueue with a key that does not exist: {a or 'ok'}; SetQueueAttributes: {b or 'ok'}"
    if not a and not b:
        return "not-checked", detail
    return f"checked:{a or b}", detail


@probe("sqs-kms-error-wire-codes")
def wire_codes(run):
    """SendMessage to queues under a disabled key, a key the vendor may not use, a key pending
    deletion and a key that does not exist: the error codes and HTTP statuses."""
    disabled = run.create_key(run.customer, "r23-disabled", [producer(run)])
    run.customer.kms.disable_key(KeyId=disabled)
    denied = run.create_key(run.customer, "r23-denied", [allow(run.vendor.id, "kms:DescribeKey")])
    pending = run.create_key(run.customer, "r23-pending", [producer(run)])
    run.customer.kms.schedule_key_deletion(KeyId=pending, PendingWindowInDays=7)
    want = {"disabled": (disabled, "KMS.DisabledException"), "denied": (denied, "KMS.AccessDeniedException"),
            "pending": (pending, "KMS.InvalidStateException"),
            "missing": (fake_key_arn(run.region, run.customer.id), "KMS.NotFoundException")}
    got = {}
    for what, (key, _) in want.items():
        c, e = send(run, queue(run, f"r23-codes-{what}", KmsMasterKeyId=key))
        got[what] = (c or "ok", status_of(e) if c else 200)
    detail = "; ".join(f"{w}: {c} {s}" for w, (c, s) in got.items())
    if all(got[w] == (code, 400) for w, (_, code) in want.items()):
        return "KMS-codes-400", detail
    return ";".join(f"{w}={c}-{s}" for w, (c, s) in got.items()), detail


@probe("sqs-kms-request-context")
def request_context(run):
    """A key allowing the vendor only with kms:ViaService sqs.<region>, kms:CallerAccount the vendor
    and no encryption context (Null kms:EncryptionContextKeys true)."""
    strict = run.create_key(run.customer, "r23-context", [producer(run, {
        "StringEquals": {"kms:ViaService": f"sqs.{run.region}.amazonaws.com", "kms:CallerAccount": run.vendor.id},
        "Null": {"kms:EncryptionContextKeys": "true"}})])
    c, _ = send(run, queue(run, "r23-context", KmsMasterKeyId=strict))
    if not c:
        return "via-sqs-no-context", "SendMessage allowed under ViaService sqs, CallerAccount the vendor, no context"
    loose = run.create_key(run.customer, "r23-context-loose", [producer(run)])
    d, _ = send(run, queue(run, "r23-context-loose", KmsMasterKeyId=loose))
    if not d:
        return "carries-encryption-context", f"refused with the Null condition ({c}), allowed without it"
    return f"refused:{c}", f"with the conditions: {c}; with ViaService alone: {d}"


@probe("sqs-batch-kms-error-whole")
def batch_whole(run):
    key = run.create_key(run.customer, "r23-batch", [producer(run)])
    run.customer.kms.disable_key(KeyId=key)
    url = queue(run, "r23-batch", KmsMasterKeyId=key)
    c, out = outcome(run.vendor.sqs.send_message_batch, QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "cmek-conformance"}, {"Id": "b", "MessageBody": "cmek-conformance"}])
    if c:
        return ("whole-request" if c.startswith("KMS.") else c), f"SendMessageBatch under a disabled key: {c}"
    failed = sorted({f.get("Code") for f in out.get("Failed", [])})
    return ("per-entry" if failed else "accepted"), f"Successful {len(out.get('Successful', []))}, Failed codes {failed}"


@probe("sqs-receive-kms-check")
def receive_check(run):
    """Two queues under one key: a message sent to one; the key disabled; ReceiveMessage of the
    empty queue and of the other (no data key of the vendor's for receiving yet)."""
    key = run.create_key(run.customer, "r23-receive", [producer(run)])
    empty = queue(run, "r23-receive-empty", KmsMasterKeyId=key)
    full = queue(run, "r23-receive-full", KmsMasterKeyId=key)
    c, _ = send(run, full)
    if c:
        return f"send:{c}", f"SendMessage before the key was disabled: {c}"
    run.customer.kms.disable_key(KeyId=key)
    a, _ = outcome(run.vendor.sqs.receive_message, QueueUrl=empty)
    b, _ = outcome(run.vendor.sqs.receive_message, QueueUrl=full)
    detail = f"empty queue: {a or 'ok'}; queue with a message: {b or 'ok'}"
    if not a and b and b.startswith("KMS."):
        return "every-key-of-receivable-messages", detail
    return f"empty={a or 'ok'};with-message={b or 'ok'}", detail


@probe("sqs-data-key-reuse-change")
def reuse_change(run):
    """A send caches a data key (reuse 60 s); the key is disabled and the period changed to 120 s;
    another send at once."""
    key = run.create_key(run.customer, "r23-reuse", [producer(run)])
    url = queue(run, "r23-reuse", KmsMasterKeyId=key, KmsDataKeyReusePeriodSeconds=60)
    c, _ = send(run, url)
    if c:
        return f"send:{c}", f"the first SendMessage: {c}"
    run.customer.kms.disable_key(KeyId=key)
    run.vendor.sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsDataKeyReusePeriodSeconds": "120"})
    d, _ = send(run, url)
    if not d:
        return "kept-until-its-period", "SendMessage after DisableKey and a new reuse period: ok (the data key kept)"
    return "renewed-on-change", f"SendMessage after DisableKey and a new reuse period: {d}"


@probe("sqs-key-removed")
def key_removed(run):
    url = queue(run, "r23-removed", KmsMasterKeyId=sqs_key(run))
    run.vendor.sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": ""})
    a = attrs(run, url)
    detail = f"after KmsMasterKeyId '': {dict((k, a.get(k)) for k in ('KmsMasterKeyId', 'SqsManagedSseEnabled', 'KmsDataKeyReusePeriodSeconds'))}"
    if a.get("SqsManagedSseEnabled") == "true":
        return "sse-sqs", detail
    if not a.get("KmsMasterKeyId") and "KmsDataKeyReusePeriodSeconds" not in a:
        return "unencrypted", detail
    return "other", detail


@probe("sqs-no-quota")
def no_quota(run):
    """60 GetQueueAttributes and 30 TagQueue calls at once (10 at a time, no retries)."""
    url = queue(run, "r23-quota")
    sqs = run.vendor.client("sqs", retries=False)

    def one(i):
        if i % 3 == 2:
            return outcome(sqs.tag_queue, QueueUrl=url, Tags={TAG: run.id})[0]
        return outcome(sqs.get_queue_attributes, QueueUrl=url, AttributeNames=["QueueArn"])[0]
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(one, range(90)))
    throttled = [c for c in codes if c in ("RequestThrottled", "ThrottlingException", "Throttling", "503")]
    other = sorted({c for c in codes if c and c not in throttled})
    return ("no-quota" if not throttled else "throttled"), \
        f"{len(codes)} calls: {len(throttled)} throttled" + (f"; other errors {other}" if other else "")
