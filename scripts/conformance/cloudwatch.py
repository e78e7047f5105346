"""CloudWatch probes (R18): GetMetricData over Firehose's KMS metrics in the vendor account."""

import time

from . import probe
from .firehose import disabled_key_stream, metric_sum


@probe("cloudwatch-empty-query")
def empty_query(run):
    """A query for a stream that never existed."""
    now = time.time()
    r = metric_sum(run, run.name("no-such-stream"), "KMSKeyDisabled", now - 3600, now)
    detail = f"Timestamps {len(r['Timestamps'])}, Values {len(r['Values'])}, StatusCode {r.get('StatusCode')}"
    if not r["Timestamps"] and not r["Values"] and r.get("StatusCode") == "Complete":
        return "empty-complete", detail
    return f"status:{r.get('StatusCode')}" if not r["Values"] else "not-empty", detail


@probe("cloudwatch-period-alignment", cost="minutes")
def period_alignment(run):
    """KMSKeyDisabled of a stream whose key was disabled, queried with a StartTime 17 s past a
    minute and Period 60: are the periods aligned to the epoch or to StartTime?"""
    s = disabled_key_stream(run)
    start = (int(s["t0"]) // 60) * 60 - 600 + 17

    def points():
        r = metric_sum(run, s["name"], "KMSKeyDisabled", start, time.time() + 120)
        return r["Timestamps"] or None
    stamps = [t.timestamp() for t in run.wait_for(points, "a KMSKeyDisabled data point")]
    detail = f"StartTime {start} (epoch), Timestamps {sorted(int(t) for t in stamps)}"
    if all(int(t) % 60 == 0 for t in stamps):
        return "epoch-aligned", detail
    if all(int(t - start) % 60 == 0 for t in stamps):
        return "start-aligned", detail
    return "unaligned", detail
