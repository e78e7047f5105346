"""Request quotas (R13): token buckets per account, region and quota, for the accounts a test
switched them on for."""

import threading
import time


# R13: request quotas. (service, operations sharing the bucket, rate per second, documented burst or None)
QUOTAS = [
    ("firehose", ("CreateDeliveryStream",), 5, None),
    ("firehose", ("DeleteDeliveryStream",), 5, None),
    ("firehose", ("DescribeDeliveryStream",), 5, None),
    ("firehose", ("ListDeliveryStreams",), 5, None),
    ("firehose", ("UpdateDestination",), 5, None),
    ("firehose", ("TagDeliveryStream",), 5, None),
    ("firehose", ("UntagDeliveryStream",), 5, None),
    ("firehose", ("ListTagsForDeliveryStream",), 5, None),
    ("firehose", ("StartDeliveryStreamEncryption",), 5, None),
    ("firehose", ("StopDeliveryStreamEncryption",), 5, None),
    ("rds", "*", 12, 300),
    ("kms", ("DescribeKey",), 2000, None),
    ("kms", ("GetKeyRotationStatus",), 1000, None),
    # R24: SNS, the figures its API reference gives per operation (the quota table of "Amazon SNS
    # endpoints and quotas" was not read); "tagging actions" share one bucket.
    ("sns", ("Subscribe",), 100, None),
    ("sns", ("ListSubscriptionsByTopic",), 30, None),
    ("sns", ("TagResource", "UntagResource"), 10, None),
    # R30: the Resource Groups Tagging API's GetResources, 15 a second (unconfirmed:
    # tagging-get-resources-quota); over it ThrottledException, the Tagging API's code.
    ("tagging", ("GetResources",), 15, None),
]
# R30: the throttling error code of a service whose code is not ThrottlingException.
THROTTLE_CODES = {"tagging": "ThrottledException"}


class Quotas:
    """R13: token buckets per (account, region, quota), for the accounts a test switched them on for
    (tests of one process share one local AWS, each with its own accounts)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accounts = {}  # account -> {"strict": bool}
        self.buckets = {}
        self.throttled = {}

    def configure(self, data):
        account = data.get("account")
        if not account:
            raise ValueError("quotas: name the account")
        with self.lock:
            if data.get("enabled", True):
                # refill: a factor on every rate's refill (a test that must not race the clock
                # slows it; the capacity stays).
                self.accounts[account] = {"strict": data.get("burst") == "strict",
                                          "refill": float(data.get("refill", 1.0))}
            else:
                self.accounts.pop(account, None)
            self.buckets = {k: v for k, v in self.buckets.items() if k[0] != account}
            self.throttled[account] = 0
        return self.describe(account)

    def describe(self, account):
        with self.lock:
            conf = self.accounts.get(account)
            return {"account": account, "enabled": conf is not None,
                    "burst": "strict" if conf and conf["strict"] else "one-second",
                    "throttled": self.throttled.get(account, 0)}

    def admit(self, call):
        """True when the call is within its quota (or has none)."""
        conf = self.accounts.get(call.account)
        if conf is None:
            return True
        for i, (service, ops, rate, burst) in enumerate(QUOTAS):
            if service != call.service or (ops != "*" and call.operation not in ops):
                continue
            capacity = 1.0 if conf["strict"] and burst is None else float(burst or rate)
            now = time.monotonic()
            with self.lock:
                key = (call.account, call.region, i)
                tokens, last = self.buckets.get(key, (capacity, now))
                tokens = min(capacity, tokens + (now - last) * rate * conf["refill"])
                if tokens >= 1.0:
                    self.buckets[key] = (tokens - 1.0, now)
                    return True
                self.buckets[key] = (tokens, now)
                self.throttled[call.account] = self.throttled.get(call.account, 0) + 1
                return False
        return True


QUOTA = Quotas()
