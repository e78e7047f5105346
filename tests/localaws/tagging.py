"""The Resource Groups Tagging API's GetResources (R30), answered by the layer over AWS JSON 1.1 and
Smithy RPC v2 CBOR (the SDK service model lists both, CBOR first; moto speaks only JSON): the caller's
account and Region only (moto lists S3 buckets of every Region), TagFilters and ResourceTypeFilters as
moto matches them, ResourcesPerPage, TagsPerPage and PaginationToken; the last page's token is ""
(switch tagging_last_page_token); and a test harness that makes pages come back short."""

import threading
import time
import uuid

import cbor2  # R30: the Tagging API's Smithy RPC v2 CBOR

from core import AwsError, setting


TOKEN_LIFETIME = 900.0  # R30: "A PaginationToken is valid for a maximum of 15 minutes."
DEFAULT_PAGE = 50       # R30, unconfirmed (tagging-default-page-size): without ResourcesPerPage
TOKENS = {}             # token -> {"account", "region", "items", "offset", "expires"}
SHORT_PAGES = {}        # account -> how many more pages come back empty (the harness)
LOCK = threading.Lock()


def _invalid(msg):
    return AwsError(400, "InvalidParameterException", msg)


def _bucket_region(account, region, arn):
    """The Region of the S3 bucket an ARN names (None when moto has no such bucket)."""
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition
    try:
        bucket = s3_backends[account][get_partition(region)].buckets.get(arn.split(":::", 1)[1])
    except (KeyError, IndexError):
        return None
    return getattr(bucket, "region_name", None) if bucket is not None else None


def _matching(call, req):
    """[(ARN, {key: value})] of the caller's account and Region that match the request's filters."""
    from moto.resourcegroupstaggingapi.models import resourcegroupstaggingapi_backends
    backend = resourcegroupstaggingapi_backends[call.account][call.region]
    out = []
    for r in backend._get_resources_generator(tag_filters=req.get("TagFilters") or None,
                                              resource_type_filters=req.get("ResourceTypeFilters") or None,
                                              resource_arn_list=req.get("ResourceARNList") or None):
        if r.resource_type.startswith("s3") and _bucket_region(call.account, call.region, r.arn) != call.region:
            continue  # R30: "located in the specified Amazon Web Services Region" (moto's S3 is global)
        out.append((r.arn, dict(r.tags)))
    return out


def _validate(req):
    """R30: the documented ranges and exclusions, each an InvalidParameterException."""
    arns = req.get("ResourceARNList")
    if arns:
        for other in ("TagFilters", "ResourceTypeFilters"):
            if req.get(other):
                raise _invalid(f"You can't specify both ResourceARNList and {other} in the same request.")
        for other in ("ResourcesPerPage", "TagsPerPage", "PaginationToken"):
            if req.get(other) not in (None, ""):
                raise _invalid(f"You can't specify both ResourceARNList and {other} in the same request.")
        if len(arns) > 100:
            raise _invalid("ResourceARNList can hold at most 100 ARNs.")
    per_page = req.get("ResourcesPerPage")
    if per_page is not None and not (isinstance(per_page, int) and 1 <= per_page <= 100):
        raise _invalid("ResourcesPerPage must be between 1 and 100.")
    tags_per_page = req.get("TagsPerPage")
    if tags_per_page is not None and not (isinstance(tags_per_page, int) and 100 <= tags_per_page <= 500):
        raise _invalid("TagsPerPage must be between 100 and 500.")


def get_resources(call, req):
    """R30: one page of GetResources. The first call takes the matching resources at that moment
    (unconfirmed: tagging-pagination-snapshot); its token, valid 15 minutes, resumes there."""
    _validate(req)
    token = req.get("PaginationToken") or ""
    now = time.monotonic()
    with LOCK:
        for t in [t for t, v in TOKENS.items() if v["expires"] < now]:
            del TOKENS[t]
        if token:
            # A token answers the same page each time until it expires (a retried call gets its page again).
            state = TOKENS.get(token)
            if state is None or (state["account"], state["region"]) != (call.account, call.region):
                # R30: expired, or (unconfirmed: tagging-unknown-token) never issued to this account and Region
                raise AwsError(400, "PaginationTokenExpiredException",
                               "The request failed because the specified PaginationToken has expired.")
        else:
            state = None
    if state is None:
        state = {"account": call.account, "region": call.region, "items": _matching(call, req), "offset": 0}
    per_page = req.get("ResourcesPerPage") or DEFAULT_PAGE
    tags_per_page = req.get("TagsPerPage") or 100  # used only when the caller sets it
    page, tags, i = [], 0, state["offset"]
    with LOCK:
        short = SHORT_PAGES.get(call.account, 0)
        if short and i < len(state["items"]):
            # R30 harness: "A query can return fewer than this maximum, even if there are more results
            # still to return." This page holds none, and its token resumes where it stood.
            SHORT_PAGES[call.account] = short - 1
            per_page = 0
    while i < len(state["items"]) and len(page) < per_page:
        arn, resource_tags = state["items"][i]
        weight = max(1, len(resource_tags))  # "A resource with no tags is counted as having one tag"
        if req.get("TagsPerPage") and page and tags + weight > tags_per_page:
            break  # "GetResources does not split a resource and its associated tags across pages."
        page.append({"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in resource_tags.items()]})
        tags += weight
        i += 1
    out = {"ResourceTagMappingList": page}
    if i < len(state["items"]):
        new = str(uuid.uuid4())
        with LOCK:
            TOKENS[new] = dict(state, offset=i, expires=time.monotonic() + TOKEN_LIFETIME)
        out["PaginationToken"] = new
    elif setting("tagging_last_page_token", call.account):
        # R30, not-documented (tagging-last-page-token): the reference says the last page's token is
        # null; AWS's SDK maintainers saw "" (boto/boto3#2513).
        out["PaginationToken"] = ""
    return out


def tagging_handle(call):
    """R30: GetResources over JSON 1.1 or RPC v2 CBOR; None for the other JSON operations (moto
    answers them)."""
    cbor = call.path.startswith("/service/")
    if call.operation != "GetResources":
        if cbor:
            raise AwsError(400, "UnknownOperationException", f"The layer does not answer {call.operation} over CBOR.")
        return None
    out = get_resources(call, call.cbor if cbor else call.json)
    rid = str(uuid.uuid4())
    if cbor:
        body = cbor2.dumps(out)
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"), ("x-amzn-RequestId", rid)]
    else:
        import json
        body = json.dumps(out).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", rid)]
    return 200, headers + [("Content-Length", str(len(body)))], body


def set_short_pages(data):
    """R30 harness: the next `pages` GetResources answers of `account` that have resources left hold
    none (with a token that resumes at the same place)."""
    account = str(data.get("account") or "")
    if not account:
        raise ValueError("tagging/short-pages: name the account")
    with LOCK:
        SHORT_PAGES[account] = int(data.get("pages", 1))
        return {"account": account, "pages": SHORT_PAGES[account]}
