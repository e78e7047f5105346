"""Firehose as AWS documents it (R11): a stream takes time to become ACTIVE and to enable its
encryption, and uses its customer key through firehose.<region>; records put to a stream whose key
became unusable are refused and counted in its AWS/Firehose metrics (R18); records put to a stream
under the caller rule need the caller's own kms:GenerateDataKey and kms:Decrypt (R19)."""

import calendar
import datetime
import json
import time

import policy
from cloudwatch import put_metric
from core import CONFIG, PENDING, AwsError, setting
from iam import assumed_role, identity_policies
from kms import find_key, parse_key_ref, request_context, service_key_check


# ---------------------------------------------------------------------------------------------
# Firehose (R11): time, and the key used through the service


def firehose_stream(account, region, name):
    from moto.firehose.models import firehose_backends
    return firehose_backends[account][region].delivery_streams.get(name)


FIREHOSE_FAILURE = {"DisabledException": "DISABLED_KMS_KEY", "KMSInvalidStateException": "INVALID_KMS_KEY",
                    "InvalidKMSResourceException": "INVALID_KMS_KEY",
                    "NotFoundException": "KMS_KEY_NOT_FOUND", "AccessDeniedException": "KMS_ACCESS_DENIED"}


S3_DESTINATION_DEFAULTS = {"CompressionFormat": "UNCOMPRESSED",
                           "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300},
                           "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"}}


def firehose_before(call):
    """R11 before the call; returns the body for moto (AWS's S3 destination defaults filled in:
    moto leaves CompressionFormat out of a description when it was not given, and strict SDKs
    reject that)."""
    body = call.body
    if call.operation == "CreateDeliveryStream":
        req = dict(call.json)
        for field in ("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"):
            if isinstance(req.get(field), dict):
                req[field] = {**S3_DESTINATION_DEFAULTS, **req[field]}
                # R11: the S3 backup is an S3 destination configuration too: the same defaults (moto
                # describes it without CompressionFormat, which the Rust SDK requires).
                backup = req[field].get("S3BackupConfiguration")
                if isinstance(backup, dict):
                    req[field]["S3BackupConfiguration"] = {**S3_DESTINATION_DEFAULTS, **backup}
        body = json.dumps(req).encode()
    firehose_check(call)
    return body


def cross_account_refusal(call, key_ref):
    """R11, unconfirmed: whether Firehose takes a customer key from another account for the
    stream's own encryption. firehose_cross_account_key 1 (the default): it does, like any key it
    may use; 0: it refuses one, as it refuses a key it may not use (InvalidKMSResourceException on
    CreateDeliveryStream, ENABLING_FAILED after StartDeliveryStreamEncryption). cmek is tested
    under both answers."""
    owner = parse_key_ref(key_ref, call.account, call.region)[0]
    if setting("firehose_cross_account_key", call.account) or owner == call.account:
        return None
    return "InvalidKMSResourceException", f"The KMS key {key_ref} is not in account {call.account}."


def firehose_check(call):
    op = call.operation
    name = call.json.get("DeliveryStreamName")
    if name and op != "CreateDeliveryStream":
        firehose_settle(call.account, call.region, name)
    if op == "CreateDeliveryStream":
        enc = call.json.get("DeliveryStreamEncryptionConfigurationInput") or {}
        if enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
            problem = (service_key_check(call, enc.get("KeyARN"), "firehose")
                       or cross_account_refusal(call, enc.get("KeyARN")))
            if problem:
                raise AwsError(400, "InvalidKMSResourceException", f"{problem[0]}: {problem[1]}")
    elif op == "StartDeliveryStreamEncryption":
        stream = firehose_stream(call.account, call.region, name)
        if stream is not None and stream.delivery_stream_type != "DirectPut":
            raise AwsError(400, "InvalidArgumentException",
                           "Encryption is not supported for delivery streams with a Kinesis stream as source.")
        if stream is not None and stream.delivery_stream_status != "ACTIVE":
            raise AwsError(400, "ResourceInUseException", f"Firehose {name} is not in the ACTIVE state.")
    elif op == "UpdateDestination":
        stream = firehose_stream(call.account, call.region, name)
        if stream is not None and stream.delivery_stream_status != "ACTIVE":
            raise AwsError(400, "ResourceInUseException", f"Firehose {name} is not in the ACTIVE state.")
    elif op in ("PutRecord", "PutRecordBatch"):
        firehose_put_check(call, name)


def firehose_put_check(call, name):
    """R18: a record put to a stream encrypted with a customer key Firehose can no longer use is
    refused (InvalidKMSResourceException), and Firehose counts the KMS exception in its AWS/Firehose
    metric. For a stream under the grant rule only the key's state matters: Firehose uses its own
    grant, which a key policy change leaves in force (R12); under the caller rule the caller's own
    permission is checked too (R19)."""
    stream = firehose_stream(call.account, call.region, name)
    enc = (stream.delivery_stream_encryption_configuration or {}) if stream is not None else {}
    if enc.get("KeyType") != "CUSTOMER_MANAGED_CMK" or enc.get("Status") != "ENABLED":
        return
    owner, region, ref = parse_key_ref(enc.get("KeyARN"), call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        metric, exception = "KMSKeyNotFound", "KMSNotFoundException"
    elif key.key_state == "Disabled":
        metric, exception = "KMSKeyDisabled", "KMSDisabledException"
    elif key.key_state != "Enabled":
        metric, exception = "KMSKeyInvalidState", "KMSInvalidStateException"
    else:
        refusal = caller_refusal(call, stream, key)
        if refusal is None:
            return
        put_metric(call.account, call.region, "AWS/Firehose", "KMSKeyAccessDenied", {"DeliveryStreamName": name}, 1.0)
        raise AwsError(400, "InvalidKMSResourceException", refusal)
    put_metric(call.account, call.region, "AWS/Firehose", metric, {"DeliveryStreamName": name}, 1.0)
    raise AwsError(400, "InvalidKMSResourceException", f"{exception}: {enc.get('KeyARN')} cannot be used.")


# ---------------------------------------------------------------------------------------------
# R19: the caller's own KMS permission for PutRecord and PutRecordBatch

NEW_STREAMS_FROM = calendar.timegm((2026, 4, 20, 0, 0, 0))   # "Starting April 20, 2026, all new delivery streams"
ALL_STREAMS_FROM = calendar.timegm((2027, 2, 28, 0, 0, 0))   # "you have until February 28, 2027"
CALLER_ACTIONS = ("GenerateDataKey", "Decrypt")


def layer_clock():
    """R19: the layer's clock (a test may replace this function to stand on another date)."""
    return time.time()


def created_at(stream):
    """The stream's creation time in Unix seconds (moto keeps a naive UTC datetime)."""
    ts = stream.create_timestamp
    return calendar.timegm(ts.utctimetuple()) if isinstance(ts, datetime.datetime) else float(ts)


def under_caller_rule(stream):
    """R19: a stream created on or after 2026-04-20 (UTC), or any stream once the layer's clock
    reaches 2027-02-28 (UTC)."""
    return created_at(stream) >= NEW_STREAMS_FROM or layer_clock() >= ALL_STREAMS_FROM


def caller_refusal(call, stream, key):
    """R19: under the caller rule (firehose_caller_kms_permission 1, the default), the caller of
    PutRecord/PutRecordBatch must be allowed kms:GenerateDataKey and kms:Decrypt on the stream's key,
    through firehose.<region> (unconfirmed), by its identity-based policies (an assumed role's inline
    and attached policies; the account root: allowed) and by the key policy (R3). Returns None, or
    the InvalidKMSResourceException message naming KMS's AccessDeniedException."""
    if not setting("firehose_caller_kms_permission", call.account) or not under_caller_rule(stream):
        return None
    ctx = request_context(call, via_service=f"firehose.{call.region}.amazonaws.com")
    role = None
    if ":assumed-role/" in call.caller_arn:
        role = assumed_role(call.account, call.caller_arn)
    for action in CALLER_ACTIONS:
        if call.caller_arn != f"arn:aws:iam::{call.account}:root":
            policies = identity_policies(role, "role") if role is not None else []
            decision = policy.evaluate_identity(policies, f"kms:{action}", key.arn, ctx)[0]
            if decision != "allowed":
                why = ("with an explicit deny in an identity-based policy" if decision == "explicitDeny"
                       else f"because no identity-based policy allows the kms:{action} action")
                return (f"AccessDeniedException: User: {call.caller_arn} is not authorized to perform: "
                        f"kms:{action} on resource: {key.arn} {why}")
        decision = policy.evaluate(key.policy, call.account, call.caller_arn, f"kms:{action}", ctx)
        if decision != "allow":
            why = ("with an explicit deny in a resource-based policy" if decision == "deny"
                   else f"because no resource-based policy allows the kms:{action} action")
            return (f"AccessDeniedException: User: {call.caller_arn} is not authorized to perform: "
                    f"kms:{action} on resource: {key.arn} {why}")
    return None


def set_created(data):
    """R19 harness (POST /_localaws/firehose/created): sets a stream's creation time, Unix seconds."""
    region = data.get("region") or "us-east-1"
    stream = firehose_stream(str(data["account"]), region, data["name"])
    if stream is None:
        return {"error": f"no Firehose stream {data['name']} in {data['account']} {region}"}
    stream.create_timestamp = datetime.datetime.fromtimestamp(float(data["created"]), datetime.timezone.utc
                                                              ).replace(tzinfo=None)
    return {"account": str(data["account"]), "region": region, "name": data["name"], "created": created_at(stream),
            "caller_rule": under_caller_rule(stream)}


def firehose_after(call, status):
    if status >= 300:
        return
    op = call.operation
    name = call.json.get("DeliveryStreamName")
    stream = firehose_stream(call.account, call.region, name)
    if stream is None:
        return
    now = time.time()
    if op == "CreateDeliveryStream":
        stream.delivery_stream_status = "CREATING"
        PENDING[("fh-create", call.account, call.region, name)] = now + CONFIG["firehose_create"]
        enc = stream.delivery_stream_encryption_configuration
        if enc and enc.get("KeyType") and "Status" not in enc:
            enc["Status"] = "ENABLED"  # R11: AWS reports it; moto leaves it out
    elif op == "UpdateDestination":
        # Moto rebuilds the plain S3 description from the update alone (losing BucketARN,
        # CompressionFormat...); AWS describes the whole destination after an update (R11, moto fix).
        s3_fields = ("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix", "BufferingHints",
                     "CompressionFormat", "EncryptionConfiguration", "CloudWatchLoggingOptions")
        for dest in stream.destinations:
            ext = dest.get("ExtendedS3")
            if isinstance(ext, dict):
                dest["ExtendedS3"] = {**S3_DESTINATION_DEFAULTS, **ext}
                if isinstance(ext.get("S3BackupDescription"), dict):  # R11: the backup's defaults too
                    dest["ExtendedS3"]["S3BackupDescription"] = {**S3_DESTINATION_DEFAULTS,
                                                                 **ext["S3BackupDescription"]}
                dest["S3"] = {k: v for k, v in dest["ExtendedS3"].items() if k in s3_fields}
    elif op == "StartDeliveryStreamEncryption":
        enc = stream.delivery_stream_encryption_configuration
        enc.pop("FailureDescription", None)
        problem = None
        if enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
            problem = (service_key_check(call, enc.get("KeyARN"), "firehose")
                       or cross_account_refusal(call, enc.get("KeyARN")))
        enc["Status"] = "ENABLING"
        PENDING[("fh-enable", call.account, call.region, name)] = (now + CONFIG["firehose_enabling"], problem)


def firehose_settle(account, region, name):
    stream = firehose_stream(account, region, name)
    if stream is None:
        return
    now = time.time()
    ready = PENDING.get(("fh-create", account, region, name))
    if ready is not None and now >= ready:
        stream.delivery_stream_status = "ACTIVE"
        del PENDING[("fh-create", account, region, name)]
    pending = PENDING.get(("fh-enable", account, region, name))
    enc = stream.delivery_stream_encryption_configuration or {}
    if pending is not None and now >= pending[0]:
        del PENDING[("fh-enable", account, region, name)]
        if pending[1]:
            enc["Status"] = "ENABLING_FAILED"
            enc["FailureDescription"] = {"Type": FIREHOSE_FAILURE.get(pending[1][0], "UNKNOWN_ERROR"),
                                         "Details": pending[1][1]}
        else:
            enc["Status"] = "ENABLED"
    # R11: a key that becomes unusable after the stream is ENABLED changes nothing on its
    # description: AWS documents FailureDescription only for failed Create/Delete/Start/Stop calls;
    # what it documents instead (CloudWatch metrics, records kept up to 24 hours) is in RULES["R11"].
