"""Resource Groups Tagging API probes (R30): GetResources in the vendor (Speedscale) account over SQS
queues the run tags (cmek-conformance=<run id> and cmek-conformance-probe=<probe>), as cmek lists a
tenant's resources by tag."""

import concurrent.futures
import time

from . import NotObserved, probe
from .cleanup_messaging import DELETED
from .run import TAG, outcome

PROBE_TAG = "cmek-conformance-probe"


def queue(run, suffix, value):
    """A vendor queue tagged with the run and the probe's value: (url, ARN)."""
    name = run.name(suffix)[:80]
    res = run.intend("sqs-queue", run.vendor, None, name=name)
    url = run.vendor.sqs.create_queue(QueueName=name, tags={TAG: run.id, PROBE_TAG: value})["QueueUrl"]
    run.created(res, id=url)
    arn = run.vendor.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def filters(run, value):
    return {"TagFilters": [{"Key": TAG, "Values": [run.id]}, {"Key": PROBE_TAG, "Values": [value]}],
            "ResourceTypeFilters": ["sqs"]}


def pages(run, kw, limit=100):
    """Every page of one query, until the token is empty or absent."""
    out, token = [], None
    while len(out) < limit:
        page = run.vendor.resourcegroupstaggingapi.get_resources(**kw, **({"PaginationToken": token} if token else {}))
        out.append(page)
        token = page.get("PaginationToken")
        if not token:
            return out
    raise RuntimeError(f"GetResources: no last page after {limit} pages")


def arns(pgs):
    return [m["ResourceARN"] for p in pgs for m in p.get("ResourceTagMappingList", [])]


def listed(run, value, want):
    """Waits until the query of `value` lists exactly the ARNs `want`; seconds it took."""
    start = time.monotonic()
    run.wait_for(lambda: sorted(arns(pages(run, dict(filters(run, value), ResourcesPerPage=100)))) == sorted(want),
                 f"GetResources listing {len(want)} queue(s) tagged {value}")
    return time.monotonic() - start


def pair(run):
    """Two tagged queues, listed (shared by the token probes)."""
    def build():
        got = [queue(run, f"r30-pair-{i}", "pair") for i in range(2)]
        listed(run, "pair", [a for _, a in got])
        return got
    return run.fixture("tagging-pair", build)


@probe("tagging-last-page-token")
def last_page_token(run):
    """Two tagged queues, one page each: what the last page says of PaginationToken."""
    pair(run)
    got = pages(run, dict(filters(run, "pair"), ResourcesPerPage=1))
    last = got[-1]
    detail = f"{len(got)} pages; the last: PaginationToken {last['PaginationToken']!r}" if "PaginationToken" in last \
        else f"{len(got)} pages; the last has no PaginationToken"
    if last.get("PaginationToken") == "":
        return "empty-string", detail
    if "PaginationToken" not in last:
        return "omitted", detail
    return "other", detail


@probe("tagging-previously-tagged")
def previously_tagged(run):
    """A tagged queue, listed; all its tags removed; GetResources of sqs without TagFilters."""
    url, arn = queue(run, "r30-untagged", "untagged")
    listed(run, "untagged", [arn])
    run.vendor.sqs.untag_queue(QueueUrl=url, TagKeys=[TAG, PROBE_TAG])

    def settled():
        found = [m for p in pages(run, {"ResourceTypeFilters": ["sqs"], "ResourcesPerPage": 100})
                 for m in p.get("ResourceTagMappingList", []) if m["ResourceARN"] == arn]
        if not found:
            return "not-listed"
        if not found[0].get("Tags"):
            return "listed-without-tags"
        return None  # still listed with its old tags: not settled yet
    answer = run.wait_for(settled, "the untagged queue listed without tags or not at all")
    return answer, f"a queue whose tags were all removed, GetResources of sqs without TagFilters: {answer}"


@probe("tagging-visibility-lag")
def visibility_lag(run):
    """A queue created with tags: listed at the first GetResources? Then deleted: gone at the first?"""
    url, arn = queue(run, "r30-lag", "lag")
    first = arns(pages(run, filters(run, "lag")))
    seen_at = 0.0 if first == [arn] else listed(run, "lag", [arn])
    run.vendor.sqs.delete_queue(QueueUrl=url)
    DELETED.add(url)
    after = arns(pages(run, filters(run, "lag")))
    gone_at = 0.0 if after == [] else listed(run, "lag", [])
    detail = f"listed after {seen_at:.1f} s (first call: {'yes' if first else 'no'}); after DeleteQueue, " \
             f"gone after {gone_at:.1f} s (first call: {'yes' if not after else 'no'})"
    return ("immediate" if first == [arn] and after == [] else "delayed"), detail


@probe("tagging-get-resources-quota")
def get_resources_quota(run):
    """40 GetResources at once (20 at a time, no retries): whether any is throttled, and with which code."""
    rg = run.vendor.client("resourcegroupstaggingapi", retries=False)

    def one(_):
        c, _ = outcome(rg.get_resources, ResourcesPerPage=1, **filters(run, "quota"))
        return c
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        got = list(pool.map(one, range(40)))
    refused = sorted({c for c in got if c})
    detail = f"{len(got)} calls: {sum(1 for c in got if c)} refused {refused}"
    if not refused:
        return "not-throttled", detail
    return ";".join(refused), detail


@probe("tagging-pagination-snapshot")
def pagination_snapshot(run):
    """Three tagged queues, listed; page 1 (one resource); the other two untagged until a fresh query
    shows only the first; then the rest of the first query's pages."""
    got = [queue(run, f"r30-snap-{i}", "snapshot") for i in range(3)]
    listed(run, "snapshot", [a for _, a in got])
    kw = dict(filters(run, "snapshot"), ResourcesPerPage=1)
    first = run.vendor.resourcegroupstaggingapi.get_resources(**kw)
    shown = arns([first])
    if len(shown) != 1 or not first.get("PaginationToken"):
        return "other", f"page 1 held {len(shown)} resources, token {first.get('PaginationToken')!r}"
    rest = [(u, a) for u, a in got if a not in shown]
    for u, _ in rest:
        run.vendor.sqs.untag_queue(QueueUrl=u, TagKeys=[PROBE_TAG])
    listed(run, "snapshot", shown)
    later, token = [], first["PaginationToken"]
    while token:
        page = run.vendor.resourcegroupstaggingapi.get_resources(**kw, PaginationToken=token)
        later += arns([page])
        token = page.get("PaginationToken")
    detail = f"after untagging {len(rest)} queues, the first query's later pages listed {len(later)} of them"
    if sorted(later) == sorted(a for _, a in rest):
        return "snapshot", detail
    return ("live" if not later else "partial"), detail


@probe("tagging-unknown-token")
def unknown_token(run):
    """A token never issued; the vendor's token used again; the vendor's token sent by the customer."""
    pair(run)
    kw = dict(filters(run, "pair"), ResourcesPerPage=1)
    a, _ = outcome(run.vendor.resourcegroupstaggingapi.get_resources, PaginationToken="cmek-conformance-never-issued")
    token = run.vendor.resourcegroupstaggingapi.get_resources(**kw)["PaginationToken"]
    r1, p1 = outcome(run.vendor.resourcegroupstaggingapi.get_resources, PaginationToken=token, **kw)
    r2, p2 = outcome(run.vendor.resourcegroupstaggingapi.get_resources, PaginationToken=token, **kw)
    b, _ = outcome(run.customer.resourcegroupstaggingapi.get_resources, PaginationToken=token, **kw)
    same = r1 is None and r2 is None and arns([p1]) == arns([p2])
    a, b = a or "succeeded", b or "succeeded"
    twice = "same page" if same else f"{r1 or 'ok'}, then {r2 or 'ok'}"
    detail = f"never issued: {a}; used twice: {twice}; by the other account: {b}"
    answer = a if a == b else f"never-issued={a};other-account={b}"
    return (answer if same else f"{answer};reuse={r2 or 'other-page'}"), detail


@probe("tagging-default-page-size", cost="minutes")
def default_page_size(run):
    """51 tagged queues, listed; GetResources without ResourcesPerPage: the first page's size."""
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        got = list(pool.map(lambda i: queue(run, f"r30-size-{i:02d}", "page-size"), range(51)))
    listed(run, "page-size", [a for _, a in got])
    first = run.vendor.resourcegroupstaggingapi.get_resources(**filters(run, "page-size"))
    n = len(first.get("ResourceTagMappingList", []))
    if n == 0 and first.get("PaginationToken"):
        raise NotObserved("the first page held no resources (a short page); run the probe again")
    return str(n), f"51 queues; the first page without ResourcesPerPage held {n}, token {'set' if first.get('PaginationToken') else 'empty'}"
