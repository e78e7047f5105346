"""SNS probes (R24): topics of the vendor (Speedscale) account on keys of the customer account, and
their deliveries into vendor queues under customer keys."""

import concurrent.futures
import json
import time

from . import NotObserved, probe
from .run import allow, fake_key_arn, outcome, root, via
from .sqs import producer, queue

SNS_USE = ["kms:GenerateDataKey*", "kms:Decrypt"]


def create_topic(run, suffix, **attributes):
    """A vendor topic (tagged, journaled): (arn, None), or (None, the error code)."""
    name = run.name(suffix)[:256]
    res = run.intend("sns-topic", run.vendor, None, name=name)
    c, out = outcome(run.vendor.sns.create_topic, Name=name, Attributes=attributes, Tags=run.tags())
    if c:
        return None, c
    run.created(res, id=out["TopicArn"])
    return out["TopicArn"], None


def topic(run, suffix, **attributes):
    arn, c = create_topic(run, suffix, **attributes)
    if c:
        raise RuntimeError(f"CreateTopic {suffix}: {c}")
    return arn


def publisher(run):
    return allow(run.vendor.id, ["kms:GenerateDataKey", "kms:Decrypt"], via("sns", run.region))


def publish(run, arn, acct=None):
    return outcome((acct or run.vendor).sns.publish, TopicArn=arn, Message="cmek-conformance")[0]


def for_sns(condition=None):
    st = {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": SNS_USE, "Resource": "*"}
    if condition:
        st["Condition"] = condition
    return st


def subscribed_queue(run, suffix, topic_arn, statements):
    """A vendor queue under a new customer key with `statements` (and the vendor's own use), whose
    policy lets the topic send to it, subscribed to the topic."""
    key = run.create_key(run.customer, suffix, [producer(run)] + list(statements))
    name = run.name(suffix)[:80]
    arn = f"arn:aws:sqs:{run.region}:{run.vendor.id}:{name}"
    pol = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    url = queue(run, suffix, KmsMasterKeyId=key, Policy=json.dumps(pol))
    run.vendor.sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)
    return url, key


def arrived(run, url, within):
    """Messages received from the queue within `within` seconds (0 when none)."""
    try:
        return run.wait_for(lambda: len(run.vendor.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                                       WaitTimeSeconds=1).get("Messages", [])),
                            "a delivery", timeout=within)
    except NotObserved:
        return 0


@probe("sns-key-not-checked-when-set")
def key_not_checked(run):
    missing = fake_key_arn(run.region, run.customer.id)
    _, a = create_topic(run, "r24-unchecked", KmsMasterKeyId=missing)
    plain = topic(run, "r24-unchecked-set")
    b, _ = outcome(run.vendor.sns.set_topic_attributes, TopicArn=plain, AttributeName="KmsMasterKeyId",
                   AttributeValue=missing)
    detail = f"CreateTopic with a key that does not exist: {a or 'ok'}; SetTopicAttributes: {b or 'ok'}"
    return ("not-checked" if not a and not b else f"checked:{a or b}"), detail


@probe("sns-data-key-reuse-scope", cost="minutes")
def reuse_scope(run):
    """The vendor publishes, the key is disabled; the vendor again, then the customer (another
    publisher, allowed by the topic policy); with --max-wait of at least 330 s the vendor publishes
    until refused, which times the reuse period."""
    key = run.create_key(run.customer, "r24-reuse", [publisher(run)])
    arn = topic(run, "r24-reuse", KmsMasterKeyId=key)
    run.vendor.sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": root(run.customer.id)},
                                                "Action": "sns:Publish", "Resource": arn}]}))
    c = publish(run, arn)
    if c:
        return f"publish:{c}", f"the first Publish: {c}"
    run.customer.kms.disable_key(KeyId=key)
    started = time.monotonic()
    a, b = publish(run, arn), publish(run, arn, run.customer)
    detail = f"after DisableKey: the same publisher {a or 'ok'}, another publisher {b or 'ok'}"
    if a or b != "KMSDisabled":
        return f"same-publisher={a or 'ok'};other-publisher={b or 'ok'}", detail
    if run.max_wait < 330:
        return "topic-requester-key-300s", detail + f"; the period not timed (--max-wait {run.max_wait:g} < 330)"
    run.wait_for(lambda: publish(run, arn) == "KMSDisabled", "the publisher refused", timeout=run.max_wait)
    took = time.monotonic() - started
    detail += f"; the publisher refused {took:.0f} s after DisableKey"
    return ("topic-requester-key-300s" if took <= 330 else "longer-than-300s"), detail


@probe("sns-kms-error-mapping")
def error_mapping(run):
    """Publish to a topic under an RSA_2048 encryption key, and under a key pending deletion."""
    rsa = run.create_key(run.customer, "r24-rsa", [publisher(run)], KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    pending = run.create_key(run.customer, "r24-pending", [publisher(run)])
    run.customer.kms.schedule_key_deletion(KeyId=pending, PendingWindowInDays=7)
    got = {}
    for what, key in (("asymmetric", rsa), ("pending-deletion", pending)):
        arn, c = create_topic(run, f"r24-{what}", KmsMasterKeyId=key)
        got[what] = f"create:{c}" if c else (publish(run, arn) or "ok")
    detail = "; ".join(f"{w}: {c}" for w, c in got.items())
    if set(got.values()) == {"KMSInvalidState"}:
        return "KMSInvalidState", detail
    return ";".join(f"{w}={c}" for w, c in got.items()), detail


@probe("sns-sqs-kms-delivery-failure", cost="minutes")
def delivery_failure(run):
    """A topic delivering into a queue whose key does not let SNS in: a publish; the key policy
    then fixed: does the message arrive later (a retry)?"""
    arn = topic(run, "r24-drop")
    url, key = subscribed_queue(run, "r24-drop", arn, [])
    c = publish(run, arn)
    if c:
        return f"publish:{c}", f"Publish: {c}"
    first = arrived(run, url, min(run.max_wait, 10))
    if first:
        return "delivered-anyway", "the message arrived although the queue key does not allow SNS"
    pol = {"Version": "2012-10-17", "Statement": [
        {"Sid": "owner", "Effect": "Allow", "Principal": {"AWS": root(run.customer.id)}, "Action": "kms:*",
         "Resource": "*"}, producer(run), for_sns()]}
    run.customer.kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(pol))
    later = arrived(run, url, run.max_wait)
    if later:
        return "retried", "the message arrived once the key policy let SNS in"
    return "dropped-no-retry", f"Publish ok; nothing arrived, nor within {run.max_wait:g} s of the key policy fix"


@probe("sns-sqs-delivery-kms-context", cost="minutes")
def delivery_context(run):
    """Deliveries into a queue whose key lets SNS in only with aws:SourceArn the topic,
    aws:SourceAccount the vendor and kms:ViaService sqs.<region>; and into one without conditions."""
    arn = topic(run, "r24-context")
    strict, _ = subscribed_queue(run, "r24-context", arn, [for_sns({
        "ArnEquals": {"aws:SourceArn": arn},
        "StringEquals": {"aws:SourceAccount": run.vendor.id, "kms:ViaService": f"sqs.{run.region}.amazonaws.com"}})])
    loose, _ = subscribed_queue(run, "r24-context-loose", arn, [for_sns()])
    c = publish(run, arn)
    if c:
        return f"publish:{c}", f"Publish: {c}"
    a, b = arrived(run, strict, run.max_wait), arrived(run, loose, run.max_wait)
    detail = f"with the conditions: {a} message(s); without: {b}"
    if a and b:
        return "source-arn-via-sqs", detail
    return ("conditions-not-met" if b else "not-delivered"), detail


@probe("sns-aws-managed-key")
def aws_managed(run):
    arn = topic(run, "r24-managed", KmsMasterKeyId="alias/aws/sns")
    c = publish(run, arn)
    return ("usable-in-account" if not c else c), f"Publish to a topic on alias/aws/sns: {c or 'ok'}"


@probe("sns-quota-scope")
def quota_scope(run):
    """120 ListSubscriptionsByTopic at once (20 at a time, no retries): the throttling error and
    its HTTP status."""
    arn = topic(run, "r24-quota")
    sns = run.vendor.client("sns", retries=False)

    def one(_):
        c, e = outcome(sns.list_subscriptions_by_topic, TopicArn=arn)
        return c, (e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") if c else 200)
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        got = list(pool.map(one, range(120)))
    throttled = sorted({(c, s) for c, s in got if c})
    detail = f"{len(got)} calls: {sum(1 for c, _ in got if c)} refused {throttled}"
    if not throttled:
        return "not-throttled", detail
    if throttled == [("ThrottlingException", 400)]:
        return "api-reference-figures", detail
    return ";".join(f"{c}-{s}" for c, s in throttled), detail

