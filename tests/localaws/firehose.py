"""Firehose as AWS documents it (R11): a stream takes time to become ACTIVE and to enable its
encryption, and uses its customer key through firehose.<region>; records put to a stream whose key
became unusable are refused and counted in its AWS/Firehose metrics (R18)."""

import json
import time

from cloudwatch import put_metric
from core import CONFIG, PENDING, AwsError, setting
from kms import find_key, parse_key_ref, service_key_check


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
    metric. Only the key's state matters: Firehose uses its own grant, which a key policy change
    leaves in force (R12)."""
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
        return
    put_metric(call.account, call.region, "AWS/Firehose", metric, {"DeliveryStreamName": name}, 1.0)
    raise AwsError(400, "InvalidKMSResourceException", f"{exception}: {enc.get('KeyARN')} cannot be used.")


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
