"""Finding and removing a run's SQS queues and SNS topics (R23, R24 probes): queues by name prefix
(ListQueues), topics by name (ListTopics); a topic is deleted with its subscriptions. Idempotent, as
cleanup.py: a queue or topic already gone counts as removed, and so does a queue this process deleted
(SQS may list a deleted queue for up to 60 seconds)."""

from botocore.exceptions import ClientError

from .run import code_of

GONE = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NotFound", "NotFoundException"}
DELETED = set()  # queue URLs this process deleted


def find(run, acct, marker, add):
    """Adds the account's queues and topics whose name holds `marker`."""
    kw = {"QueueNamePrefix": marker, "MaxResults": 1000}
    while True:
        page = acct.sqs.list_queues(**kw)
        for url in page.get("QueueUrls", []):
            add("sqs-queue", url, name=url.rsplit("/", 1)[-1])
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]
    for page in acct.sns.get_paginator("list_topics").paginate():
        for t in page.get("Topics", []):
            if marker in t["TopicArn"].rsplit(":", 1)[-1]:
                add("sns-topic", t["TopicArn"], name=t["TopicArn"].rsplit(":", 1)[-1])


def _queue_url(acct, res):
    if res.get("id"):
        return res["id"]
    try:
        return acct.sqs.get_queue_url(QueueName=res["name"])["QueueUrl"]
    except ClientError as e:
        if code_of(e) in GONE:
            return None
        raise


def _rm_queue(run, res, wait):
    acct = run.account(res["account"])
    url = _queue_url(acct, res)
    if url is None:
        return
    try:
        acct.sqs.delete_queue(QueueUrl=url)
    except ClientError as e:
        if code_of(e) not in GONE:
            raise
    DELETED.add(url)


def _queue_present(run, res):
    acct = run.account(res["account"])
    url = _queue_url(acct, res)
    if url is None or url in DELETED:
        return False
    try:
        acct.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return True
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _topic_arn(run, res):
    return res.get("id") or f"arn:aws:sns:{run.region}:{res['account']}:{res['name']}"


def _rm_topic(run, res, wait):
    run.account(res["account"]).sns.delete_topic(TopicArn=_topic_arn(run, res))  # idempotent


def _topic_present(run, res):
    try:
        run.account(res["account"]).sns.get_topic_attributes(TopicArn=_topic_arn(run, res))
        return True
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


REMOVE = {"sns-topic": _rm_topic, "sqs-queue": _rm_queue}
PRESENT = {"sns-topic": _topic_present, "sqs-queue": _queue_present}
