"""CloudWatch over Smithy RPC v2 CBOR (R18): the metrics the layer's services publish (Firehose's
KMS errors), and GetMetricData over them."""

import datetime
import re
import threading
import time
import uuid

import cbor2  # R18: CloudWatch's Smithy RPC v2 CBOR

from core import AwsError


# ---------------------------------------------------------------------------------------------
# CloudWatch metrics (R18): what the layer's services publish, and GetMetricData over them

METRICS = []  # (account, region, namespace, name, frozenset(dimensions), epoch seconds, value)
METRICS_LOCK = threading.Lock()


def put_metric(account, region, namespace, name, dimensions, value, when=None):
    with METRICS_LOCK:
        METRICS.append((account, region, namespace, name, frozenset(dimensions.items()),
                        when if when is not None else time.time(), float(value)))


def _epoch(v):
    if hasattr(v, "timestamp"):
        return v.timestamp()
    return float(v)


STATS = {"Sum": sum, "SampleCount": len, "Maximum": max, "Minimum": min,
         "Average": lambda v: sum(v) / len(v)}


def cloudwatch_handle(call):
    """R18: GetMetricData over the layer's metrics: each MetricStat query matches its namespace,
    name and exact set of dimensions, in [StartTime, EndTime), aggregated per Period by Stat, newest
    first unless ScanBy says otherwise; a query with no data answers empty lists, Complete."""
    if call.operation != "GetMetricData":
        raise AwsError(400, "UnknownOperationException", f"The layer does not answer {call.operation}.")
    req = call.cbor or {}
    queries = req.get("MetricDataQueries") or []
    if not queries or len(queries) > 500:
        raise AwsError(400, "InvalidParameterValue", "MetricDataQueries must hold 1 to 500 queries.")
    start, end = _epoch(req["StartTime"]), _epoch(req["EndTime"])
    ascending = req.get("ScanBy") == "TimestampAscending"
    with METRICS_LOCK:
        points = [m for m in METRICS if m[0] == call.account and m[1] == call.region]
    results = []
    for q in queries:
        qid = q.get("Id", "")
        if not re.match(r"^[a-z][a-zA-Z0-9_]*$", qid):
            raise AwsError(400, "ValidationError", f"Invalid metric data query id: {qid}")
        stat = q.get("MetricStat") or {}
        metric = stat.get("Metric") or {}
        dims = frozenset((d["Name"], d["Value"]) for d in metric.get("Dimensions") or [])
        period = int(stat.get("Period") or 60)
        fn = STATS.get(stat.get("Stat"), sum)
        buckets = {}
        for (_, _, ns, name, d, ts, value) in points:
            if ns == metric.get("Namespace") and name == metric.get("MetricName") and d == dims \
                    and start <= ts < end:
                buckets.setdefault(int(ts // period) * period, []).append(value)
        stamps = sorted(buckets, reverse=not ascending)
        results.append({
            "Id": qid, "Label": metric.get("MetricName", ""),
            "Timestamps": [datetime.datetime.fromtimestamp(t, datetime.timezone.utc) for t in stamps],
            "Values": [float(fn(buckets[t])) for t in stamps],
            "StatusCode": "Complete"})
    body = cbor2.dumps({"MetricDataResults": results, "Messages": []}, datetime_as_timestamp=True)
    return 200, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                 ("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Length", str(len(body)))], body
