"""SNS as AWS documents it (R24): a topic's customer key used through sns.<region> for the publisher of
Publish and PublishBatch, the data key reused per topic and publisher for up to five minutes, SNS's
KMS errors (KMSAccessDenied, KMSDisabled, KMSInvalidState, KMSNotFound), and SNS's deliveries into
SQS queues (moto's in-process Subscription.publish) made as the service principal sns.amazonaws.com:
the queue policy must allow sqs:SendMessage and the queue's customer key must allow
kms:GenerateDataKey* and kms:Decrypt to that principal, or the message does not arrive (the publisher
is not told; AWS/SNS NumberOfNotificationsFailed counts it). The data key cache and the caller's key
check are SQS's (sqs.py, R23)."""

import re
import time

import policy
from cloudwatch import put_metric
from core import AwsError
from kms import find_key, parse_key_ref
from sqs import (
    KMS_CODES, aws_managed, cache, cached, caller_key_problem, key_state_problem, log_kms, requester, sqs_backend,
)


SNS_CODES = {"AccessDenied": "KMSAccessDenied", "Disabled": "KMSDisabled", "InvalidState": "KMSInvalidState",
             "NotFound": "KMSNotFound", "InvalidKeyUsage": "KMSInvalidState"}
REUSE_SECONDS = 300  # R24: "Amazon SNS reuses a data key for up to 5 minutes"
SNS_PRINCIPAL = "sns.amazonaws.com"
DELIVERIES = []  # R24 harness: [{"topic", "queue", "message_id", "delivered", "reason"}] of SNS -> SQS deliveries


def sns_backend(account, region):
    from moto.sns.models import sns_backends
    return sns_backends[account][region]


def topic_of(arn):
    m = re.match(r"^arn:[\w-]+:sns:([\w-]+):(\d{12}):([^:]+)$", arn or "")
    return sns_backend(m.group(2), m.group(1)).topics.get(arn) if m else None


# ---------------------------------------------------------------------------------------------
# Publish (R24): the publisher uses the topic's key through SNS


def sns_before(call):
    """R24 before moto answers: Publish and PublishBatch to a topic with a KmsMasterKeyId need the
    publisher's kms:GenerateDataKey and kms:Decrypt through sns.<region>, unless the publisher's data
    key for the topic and key is less than five minutes old. CreateTopic and SetTopicAttributes take
    any KmsMasterKeyId (unconfirmed: SNS documents no KMS error for them)."""
    if call.operation not in ("Publish", "PublishBatch"):
        return call.body
    topic = topic_of(call.form.get("TopicArn") or call.form.get("TargetArn"))
    key_ref = getattr(topic, "kms_master_key_id", "") if topic is not None else ""
    if not key_ref or (aws_managed(key_ref, "sns") and topic.account_id == call.account):
        return call.body
    who = requester(call.caller_arn)
    if cached("pub", topic.arn, who, key_ref):
        return call.body
    region = topic.arn.split(":")[3]
    problem = caller_key_problem(call, key_ref, topic.account_id, ("GenerateDataKey", "Decrypt"),
                                 f"sns.{region}.amazonaws.com", SNS_PRINCIPAL)
    if problem:
        raise AwsError(400, SNS_CODES[problem[0]], problem[1])
    cache("pub", topic.arn, who, key_ref, REUSE_SECONDS)
    return call.body


# ---------------------------------------------------------------------------------------------
# Deliveries into SQS queues (R24): SNS's own principal, the queue policy and the queue's key


def delivery_context(topic, queue):
    """R24: the request context of SNS's delivery: aws:SourceArn the topic, aws:SourceAccount its
    owner (SNS's documented confused-deputy conditions); KMS calls also carry kms:ViaService
    sqs.<region>.amazonaws.com (unconfirmed)."""
    return {"aws:SourceArn": topic.arn, "aws:SourceAccount": topic.account_id,
            "kms:ViaService": f"sqs.{queue.region}.amazonaws.com"}


def delivery_refusal(topic, queue):
    """R24: why SNS cannot deliver into the queue, or None. The queue policy must allow
    sns.amazonaws.com sqs:SendMessage on the queue; a queue under a customer key needs that key's
    policy to allow the principal kms:GenerateDataKey and kms:Decrypt (an AWS managed key cannot) and
    the key to be usable, unless SNS's data key for this queue, topic and key is within the queue's
    reuse period."""
    ctx = delivery_context(topic, queue)
    if policy.evaluate_service(queue.policy or "{}", SNS_PRINCIPAL, "sqs:SendMessage", queue.queue_arn, ctx) != "allow":
        return f"the queue policy of {queue.queue_arn} does not allow {SNS_PRINCIPAL} sqs:SendMessage"
    key_ref = queue.kms_master_key_id
    if not key_ref:
        return None
    if aws_managed(key_ref, "sqs"):
        return f"KMS.AccessDeniedException: {SNS_PRINCIPAL} cannot use the AWS managed key {key_ref}"
    who = f"{SNS_PRINCIPAL} {topic.arn}"
    if cached("enc", queue.queue_arn, who, key_ref):
        return None
    owner, region, ref = parse_key_ref(key_ref, queue.account_id, queue.region)
    key = find_key(owner, region, ref)
    if key is None:
        log_kms(topic.account_id, "GenerateDataKey", key_ref, 400, "sqs.amazonaws.com", SNS_PRINCIPAL)
        return f"KMS.NotFoundException: Key '{key_ref}' does not exist"
    for action in ("GenerateDataKey", "Decrypt"):
        decision = policy.evaluate_service(key.policy, SNS_PRINCIPAL, f"kms:{action}", key.arn, ctx)
        problem = None if decision == "allow" else (
            "AccessDenied", f"{SNS_PRINCIPAL} is not authorized to perform: kms:{action} on resource: {key.arn}")
        problem = problem or key_state_problem(key)
        log_kms(topic.account_id, action, key.arn, 400 if problem else 200, "sqs.amazonaws.com", SNS_PRINCIPAL)
        if problem:
            return f"{KMS_CODES[problem[0]]}: {problem[1]}"
    cache("enc", queue.queue_arn, who, key_ref, int(queue.kms_data_key_reuse_period_seconds or 300))
    return None


def deliver_or_drop(subscription, message_id):
    """R24: True when SNS may deliver the message into the subscribed queue; otherwise the delivery is
    recorded as failed (DELIVERIES, AWS/SNS NumberOfNotificationsFailed) and the message dropped."""
    m = re.match(r"^arn:[\w-]+:sqs:([\w-]+):(\d{12}):(.+)$", subscription.endpoint or "")
    queue = sqs_backend(m.group(2), m.group(1)).queues.get(m.group(3)) if m else None
    if queue is None:
        return True  # moto's own answer for a queue that is gone
    topic = subscription.topic
    reason = delivery_refusal(topic, queue)
    region = topic.arn.split(":")[3]
    metric = "NumberOfNotificationsFailed" if reason else "NumberOfNotificationsDelivered"
    put_metric(topic.account_id, region, "AWS/SNS", metric, {"TopicName": topic.name}, 1.0)
    DELIVERIES.append({"topic": topic.arn, "queue": queue.queue_arn, "message_id": message_id,
                       "delivered": reason is None, "reason": reason, "time": time.time()})
    return reason is None


def deliveries(q):
    """R24 harness (GET /_localaws/sns/deliveries[?topic=ARN]): every SNS -> SQS delivery, and why
    the failed ones failed."""
    return [d for d in DELIVERIES if not q.get("topic") or d["topic"] == q["topic"]]


def patch_sns():
    """R24: moto delivers to SQS subscriptions in-process (Subscription.publish); each delivery into a
    queue is first put to SNS's own permissions (deliver_or_drop)."""
    from moto.sns.models import Subscription
    original = Subscription.publish
    if getattr(original, "localaws_r24", False):
        return

    def publish(self, message, message_id, *args, **kwargs):
        matcher = getattr(self, "_filter_policy_matcher", None)
        filtered = matcher is not None and not matcher.matches(kwargs.get("message_attributes"), message)
        if self.protocol == "sqs" and not filtered and not deliver_or_drop(self, message_id):
            return None
        return original(self, message, message_id, *args, **kwargs)
    publish.localaws_r24 = True
    Subscription.publish = publish


patch_sns()
