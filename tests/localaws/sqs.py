"""SQS as AWS documents it (R23): server-side encryption attributes (SSE-SQS by default, one type at a
time, the data key reuse period's bounds, SetQueueAttributes changing only what it names), a queue's
customer key used through sqs.<region> for the caller of SendMessage, SendMessageBatch and
ReceiveMessage, with the data key reused per queue and requester, and errors in AWS JSON 1.0 with
the query-compatible code (x-amzn-query-error) the SDKs match on. SNS (R24) uses the key check and the
data key cache of this module for its own publishers and for its deliveries into queues."""

import json
import re
import threading
import time
import urllib.parse

import policy
from core import STATE, AwsError, setting
from iam import assumed_role, identity_policies
from kms import find_key, parse_key_ref, request_context


# ---------------------------------------------------------------------------------------------
# Errors (R23): AWS JSON 1.0, __type the shape, x-amzn-query-error the code the SDKs match on

SHAPES = {"KMS.AccessDeniedException": "KmsAccessDenied", "KMS.DisabledException": "KmsDisabled",
          "KMS.InvalidStateException": "KmsInvalidState", "KMS.NotFoundException": "KmsNotFound",
          "KMS.InvalidKeyUsageException": "KmsInvalidKeyUsage", "AWS.SimpleQueueService.NonExistentQueue":
          "QueueDoesNotExist", "QueueAlreadyExists": "QueueNameExists"}
KMS_CODES = {"AccessDenied": "KMS.AccessDeniedException", "Disabled": "KMS.DisabledException",
             "InvalidState": "KMS.InvalidStateException", "NotFound": "KMS.NotFoundException",
             "InvalidKeyUsage": "KMS.InvalidKeyUsageException"}
SSE_CONFLICT = ("You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE "
                "or SQS SSE.")


def sqs_error_body(err, rid):
    """R23: (body, headers) of an SQS error as the AWS JSON 1.0 protocol with awsQueryCompatible has it."""
    shape = SHAPES.get(err.code, err.code)
    body = json.dumps({"__type": f"com.amazonaws.sqs#{shape}", "message": err.message}).encode()
    return body, [("Content-Type", "application/x-amz-json-1.0"),
                  ("x-amzn-query-error", f"{err.code};{'Sender' if err.sender else 'Receiver'}"),
                  ("x-amzn-RequestId", rid)]


# ---------------------------------------------------------------------------------------------
# Data keys (R23, R24): reused per resource, requester and key for the reuse period

DATA_KEYS = {}  # (use, resource ARN, requester, key ARN) -> until (layer clock)
DATA_KEYS_LOCK = threading.Lock()
MESSAGE_KEYS = {}  # message id -> the queue's KmsMasterKeyId when the message was sent (R23)


def layer_clock():
    """R23, R24: the layer's clock (a test may replace this function to pass a reuse period)."""
    return time.time()


def requester(arn):
    """R23: who a data key is cached for: the principal, with an assumed role's sessions as one
    requester (SQS: varying only RoleSessionName does not make distinct requesters)."""
    m = re.match(r"^arn:([\w-]+):sts::(\d{12}):assumed-role/([^/]+)/", arn or "")
    return f"arn:{m.group(1)}:iam::{m.group(2)}:role/{m.group(3)}" if m else arn


def cached(use, resource, who, key_arn):
    """Whether a data key of this use, resource, requester and key is within its reuse period (an
    older one is forgotten)."""
    with DATA_KEYS_LOCK:
        if DATA_KEYS.get((use, resource, who, key_arn), 0) > layer_clock():
            return True
        DATA_KEYS.pop((use, resource, who, key_arn), None)
        return False


def cache(use, resource, who, key_arn, seconds):
    with DATA_KEYS_LOCK:
        DATA_KEYS[(use, resource, who, key_arn)] = layer_clock() + seconds


def expire_data_keys(data):
    """R23, R24 harness (POST /_localaws/data-keys/expire {"resource"?, "account"?}): the reuse period of
    the cached data keys (of one queue or topic ARN, or of the resources of one account) has passed."""
    resource, account = (data or {}).get("resource"), (data or {}).get("account")
    with DATA_KEYS_LOCK:
        gone = [k for k in DATA_KEYS if (not resource or k[1] == resource)
                and (not account or k[1].split(":")[4:5] == [str(account)])]
        for k in gone:
            del DATA_KEYS[k]
    return {"expired": len(gone)}


def log_kms(account, operation, key_arn, status, invoked_by, principal):
    """R9: a KMS call a service makes for a request (the call log stands in for the key owner's
    CloudTrail, which records the calls of 'other AWS services')."""
    now = time.time()
    with STATE.lock:
        STATE.seq += 1
        STATE.calls.append({"service": "kms", "operation": operation, "account": account, "method": "POST",
                            "path": "/", "mutating": False, "start": now, "end": now, "status": status,
                            "throttled": False, "seq": STATE.seq, "invoked_by": invoked_by, "principal": principal,
                            "key": key_arn})


def aws_managed(key_ref, service):
    """The AWS managed key of the service (alias/aws/sqs, alias/aws/sns), by alias name or alias ARN."""
    return bool(re.search(rf"(^|:)alias/aws/{service}$", key_ref or ""))


def key_state_problem(key):
    if key.key_state == "Disabled":
        return "Disabled", f"{key.arn} is disabled."
    if key.key_state != "Enabled":
        return "InvalidState", f"{key.arn} is {key.key_state}."
    if key.key_spec != "SYMMETRIC_DEFAULT":
        return "InvalidKeyUsage", f"{key.arn} key usage is {key.key_usage}: not a symmetric encryption key."
    return None


def denied(principal, action, key, decision, kind):
    why = (f"with an explicit deny in {'an' if kind == 'identity' else 'a'} {kind}-based policy" if decision in
           ("deny", "explicitDeny") else f"because no {kind}-based policy allows the kms:{action} action")
    return "AccessDenied", f"User: {principal} is not authorized to perform: kms:{action} on resource: {key.arn} {why}"


def caller_key_problem(call, key_ref, resource_account, actions, via, invoked_by):
    """R23, R24: may the caller use the key (the queue's or topic's, named as the resource's account
    would resolve it) through `via`, for each of `actions`? Its identity policies (an assumed role's;
    the account root: allowed) and the key policy (R3) must allow, then the key's state (R4) decides.
    Each KMS call is logged (R9). Returns None or (kind, message)."""
    owner, region, ref = parse_key_ref(key_ref, resource_account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        log_kms(call.account, actions[0], key_ref, 400, invoked_by, call.caller_arn)
        return "NotFound", f"Key '{key_ref}' does not exist"
    ctx = request_context(call, via_service=via)
    role = assumed_role(call.account, call.caller_arn) if ":assumed-role/" in call.caller_arn else None
    for action in actions:
        problem = None
        if call.caller_arn != f"arn:aws:iam::{call.account}:root":
            policies = identity_policies(role, "role") if role is not None else []
            decision = policy.evaluate_identity(policies, f"kms:{action}", key.arn, ctx)[0]
            if decision != "allowed":
                problem = denied(call.caller_arn, action, key, decision, "identity")
        if problem is None:
            decision = policy.evaluate(key.policy, call.account, call.caller_arn, f"kms:{action}", ctx)
            if decision != "allow":
                problem = denied(call.caller_arn, action, key, decision, "resource")
        problem = problem or key_state_problem(key)
        log_kms(call.account, action, key.arn, 400 if problem else 200, invoked_by, call.caller_arn)
        if problem:
            return problem
    return None


# ---------------------------------------------------------------------------------------------
# Queues (R23)


def sqs_backend(account, region):
    from moto.sqs.models import sqs_backends
    return sqs_backends[account][region]


def queue_of(call):
    """The moto queue a request names (QueueUrl: .../<account>/<name>; CreateQueue: QueueName), or None."""
    if call.operation == "CreateQueue":
        return sqs_backend(call.account, call.region).queues.get(call.json.get("QueueName") or "")
    url = call.json.get("QueueUrl") or ""
    parts = [p for p in urllib.parse.urlparse(url).path.split("/") if p] if "://" in url else [url]
    account = parts[-2] if len(parts) >= 2 and re.fullmatch(r"\d{12}", parts[-2]) else call.account
    return sqs_backend(account, call.region).queues.get(parts[-1] if parts else "")


def truthy(value):
    return None if value is None else str(value).lower() == "true"


def sse_check(call, queue):
    """R23: what CreateQueue and SetQueueAttributes may set. KmsDataKeyReusePeriodSeconds is 60..86400
    (moto takes any integer); KmsMasterKeyId and SqsManagedSseEnabled true together are refused
    (unconfirmed wording); under sqs_sse_type_replaced 0, SetQueueAttributes turning one type on while
    the queue has the other is refused too. The key itself is not checked here (unconfirmed)."""
    attrs = call.json.get("Attributes") or {}
    if "KmsDataKeyReusePeriodSeconds" in attrs:
        try:
            ok = 60 <= int(str(attrs["KmsDataKeyReusePeriodSeconds"])) <= 86400
        except ValueError:
            ok = False
        if not ok:
            raise AwsError(400, "InvalidAttributeValue", "Invalid value for the parameter KmsDataKeyReusePeriodSeconds.")
    key, sse = attrs.get("KmsMasterKeyId"), truthy(attrs.get("SqsManagedSseEnabled"))
    if key and sse:
        raise AwsError(400, "InvalidAttributeName", SSE_CONFLICT)
    if call.operation != "SetQueueAttributes" or queue is None or setting("sqs_sse_type_replaced", queue.account_id):
        return
    if (key and sse is None and queue.sqs_managed_sse_enabled is True) or \
            (sse and queue.kms_master_key_id and "KmsMasterKeyId" not in attrs):
        raise AwsError(400, "InvalidAttributeName", SSE_CONFLICT)


def kms_use(call, queue, use):
    """R23: the queue's customer key used for the caller: "enc" (SendMessage, SendMessageBatch:
    GenerateDataKey and Decrypt) or "dec" (ReceiveMessage: Decrypt, for every key a receivable message
    was sent under), unless a data key of the same queue, requester and key is still within the
    queue's KmsDataKeyReusePeriodSeconds. Raises SQS's KMS error."""
    if use == "enc":
        keys = {queue.kms_master_key_id} if queue.kms_master_key_id else set()
    else:
        keys = {MESSAGE_KEYS[m.id] for m in queue.messages if m.id in MESSAGE_KEYS}
    via = f"sqs.{queue.region}.amazonaws.com"
    who = requester(call.caller_arn)
    for key_ref in sorted(keys):
        if aws_managed(key_ref, "sqs") and call.account == queue.account_id:
            continue  # the AWS managed key's policy allows the account's principals through SQS
        if cached(use, queue.queue_arn, who, key_ref):
            continue
        actions = ("GenerateDataKey", "Decrypt") if use == "enc" else ("Decrypt",)
        problem = caller_key_problem(call, key_ref, queue.account_id, actions, via, "sqs.amazonaws.com")
        if problem:
            raise AwsError(400, KMS_CODES[problem[0]], problem[1])
        cache(use, queue.queue_arn, who, key_ref, int(queue.kms_data_key_reuse_period_seconds or 300))


KEPT = {}  # id(call) -> the queue policy a SetQueueAttributes without Policy must keep (moto drops it)


def sqs_before(call):
    """R23 before moto answers; returns the body for moto."""
    op = call.operation
    queue = queue_of(call) if op in ("CreateQueue", "SetQueueAttributes", "SendMessage", "SendMessageBatch",
                                     "ReceiveMessage") else None
    if op in ("CreateQueue", "SetQueueAttributes"):
        sse_check(call, queue)
        if op == "SetQueueAttributes" and queue is not None and "Policy" not in (call.json.get("Attributes") or {}):
            KEPT[id(call)] = queue.policy
    elif queue is not None and op in ("SendMessage", "SendMessageBatch"):
        kms_use(call, queue, "enc")
    elif queue is not None and op == "ReceiveMessage":
        kms_use(call, queue, "dec")
    return call.body


def sqs_after(call, status):
    """R23 after moto answered: one SSE type at a time, SSE-SQS reported as a bool, the policy kept."""
    kept = KEPT.pop(id(call), None)
    if status >= 300 or call.operation not in ("CreateQueue", "SetQueueAttributes"):
        return
    queue = queue_of(call)
    if queue is None:
        return
    if call.operation == "SetQueueAttributes" and kept is not None:
        queue.policy = kept
    attrs = call.json.get("Attributes") or {}
    sse = truthy(attrs.get("SqsManagedSseEnabled"))
    if attrs.get("KmsMasterKeyId"):
        queue.sqs_managed_sse_enabled = False
    elif sse:
        queue.kms_master_key_id = None
    if not isinstance(queue.sqs_managed_sse_enabled, bool):
        queue.sqs_managed_sse_enabled = truthy(queue.sqs_managed_sse_enabled) or False


def patch_sqs():
    """R23: every message moto stores (SendMessage, SendMessageBatch, SNS deliveries) remembers the
    queue's KmsMasterKeyId of the moment: a message stays under the key it was sent with."""
    from moto.sqs.models import SQSBackend
    original = SQSBackend.send_message
    if getattr(original, "localaws_r23", False):
        return

    def send_message(self, queue_name, message_body, *args, **kwargs):
        message = original(self, queue_name, message_body, *args, **kwargs)
        key = self.get_queue(queue_name).kms_master_key_id
        if key:
            MESSAGE_KEYS[message.id] = key
        return message
    send_message.localaws_r23 = True
    SQSBackend.send_message = send_message


patch_sqs()
