"""Conformance probes: each settles one "unconfirmed" entry of the local AWS's RULES
(tests/localaws/rules.py) by real API calls. PROBES maps a probe id to its Probe; the service
modules register theirs with @probe when imported (see load())."""

PROBES = {}


class Probe:
    def __init__(self, pid, cost, fn):
        self.id, self.cost, self.fn = pid, cost, fn


def probe(pid, cost="seconds"):
    """Registers fn(run) -> (answer, detail) as the probe `pid` of cost class seconds|minutes|hours."""
    assert cost in ("seconds", "minutes", "hours"), cost

    def register(fn):
        assert pid not in PROBES, pid
        PROBES[pid] = Probe(pid, cost, fn)
        return fn
    return register


class NotObserved(Exception):
    """AWS did not react within --max-wait: the probe answers not-observed."""


class Unobservable(Exception):
    """The sandbox cannot show this behaviour (the probe is skipped, with why)."""


def load():
    import importlib
    for name in ("kms", "s3", "s3control", "firehose", "rds", "rds_cluster", "iam", "cloudwatch", "sqs", "sns", "tagging"):
        importlib.import_module(f"{__name__}.{name}")  # each registers its probes
    return PROBES
