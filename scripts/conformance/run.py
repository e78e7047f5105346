"""One conformance run: the two accounts, their clients (every call recorded as evidence), the
journal, the resources the run creates (named cmek-conformance-<run id>-..., tagged
cmek-conformance=<run id>) and bounded waits."""

import json
import os
import threading
import time
import uuid

import boto3
import botocore.config
from botocore.exceptions import ClientError

from . import NotObserved

TAG = "cmek-conformance"
IAM_PATH = "/cmek-conformance/"


def root(account):
    return f"arn:aws:iam::{account}:root"


def code_of(e):
    return e.response.get("Error", {}).get("Code") or str(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))


_PROTOCOL_LOCK = threading.Lock()


def cbor_first(make):
    """Creates a client preferring Smithy RPC v2 CBOR (CloudWatch as cmek's Rust SDK speaks it;
    boto3 alone would pick JSON). The protocol is resolved once, when the client is made."""
    import botocore.model
    with _PROTOCOL_LOCK:
        saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",) + tuple(
            p for p in saved if p != "smithy-rpc-v2-cbor")
        try:
            c = make()
            assert c.meta.service_model.resolved_protocol
            return c
        finally:
            botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved


class Account:
    """One side (customer or vendor): a boto3 session of its profile, its account id, its clients."""

    def __init__(self, run, role, profile):
        self.run, self.role, self.profile = run, role, profile
        self.session = boto3.Session(profile_name=profile)
        self.id = None
        self._clients = {}
        self._lock = threading.Lock()

    def client(self, service, retries=True, checksums=True):
        """A client of the run's region (and endpoint); every call it makes is recorded as evidence.
        retries=False: one attempt (quota probes count throttling themselves); checksums=False: no
        request checksum unless the operation requires one (R28's probes send none, or their own)."""
        key = (service, retries, checksums)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._make(service, retries, checksums)
            return self._clients[key]

    def _make(self, service, retries, checksums=True):
        run = self.run
        cfg = botocore.config.Config(
            region_name=run.region, connect_timeout=10, read_timeout=70,
            retries={"mode": "standard", "max_attempts": 5 if retries else 1},
            s3={"addressing_style": "path"} if run.endpoint else None,
            request_checksum_calculation="when_supported" if checksums else "when_required")
        c = self.session.client(service, endpoint_url=run.endpoint, config=cfg) if service != "cloudwatch" else \
            cbor_first(lambda: self.session.client(service, endpoint_url=run.endpoint, config=cfg))
        acct = self

        def record(http_response=None, parsed=None, model=None, **_):
            parsed = parsed or {}
            meta = parsed.get("ResponseMetadata") or {}
            err = parsed.get("Error") or {}
            rid = meta.get("RequestId") or (meta.get("HTTPHeaders") or {}).get("x-amz-request-id")
            status = meta.get("HTTPStatusCode") or (http_response.status_code if http_response is not None else 0)
            outcome = "ok" if status and status < 300 else (err.get("Code") or str(status))
            run.record({"operation": f"{model.service_model.service_name}:{model.name}", "request_id": rid,
                        "account": acct.id, "outcome": outcome})
        c.meta.events.register("after-call", record)
        if service == "s3control" and run.endpoint:
            # S3 Control puts the account id in the host name (<account>.<endpoint host>); against a
            # local endpoint the connection goes to the endpoint itself, the Host header keeps the name.
            endpoint_host = run.endpoint.split("/")[2]

            def to_endpoint(request, **_):
                host = request.url.split("/")[2]
                if host != endpoint_host:
                    request.headers["Host"] = host
                    request.url = request.url.replace(host, endpoint_host, 1)
            c.meta.events.register("before-send.s3-control.*", to_endpoint)
        return c

    def __getattr__(self, service):
        # run.customer.kms, run.vendor.s3, ...
        if service.startswith("_"):
            raise AttributeError(service)
        return self.client(service.replace("_", "-"))


class FailedFixture:
    def __init__(self, error):
        self.error = error


class Run:
    def __init__(self, run_id, region, endpoint, customer_profile, vendor_profile, max_wait, journal_path):
        self.id, self.region, self.endpoint, self.max_wait = run_id, region, endpoint, max_wait
        self.customer = Account(self, "customer", customer_profile)
        self.vendor = Account(self, "vendor", vendor_profile)
        self.journal_path = journal_path
        self.resources = []  # [{"kind", "account", "role", "id", ...}] in creation order
        self.fixtures = {}
        self.evidence = []
        self.lock = threading.Lock()

    # -- accounts ------------------------------------------------------------------------------
    def identify(self):
        for acct in (self.customer, self.vendor):
            acct.id = acct.session.client("sts", endpoint_url=self.endpoint, region_name=self.region) \
                .get_caller_identity()["Account"]

    def account(self, role_or_id):
        for acct in (self.customer, self.vendor):
            if role_or_id in (acct.role, acct.id):
                return acct
        raise KeyError(role_or_id)

    # -- evidence ------------------------------------------------------------------------------
    def record(self, entry):
        with self.lock:
            self.evidence.append(entry)

    def take_evidence(self):
        with self.lock:
            out, self.evidence = self.evidence, []
        return out

    # -- names, tags, journal ------------------------------------------------------------------
    def name(self, suffix):
        return f"{TAG}-{self.id}-{suffix}"

    def journal(self, event):
        line = json.dumps(dict(event, t=round(time.time(), 3))) + "\n"
        with self.lock:
            with open(self.journal_path, "a") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())

    def intend(self, kind, acct, rid, **extra):
        """Journals a resource before the call that creates it (so --cleanup finds it even when
        its tag was never written), and remembers it for the end of the run."""
        res = dict(kind=kind, account=acct.id, role=acct.role, id=rid, **extra)
        self.journal(dict(res, event="create"))
        with self.lock:
            self.resources.append(res)
        return res

    def created(self, res, **extra):
        res.update(extra)
        self.journal(dict(res, event="created"))

    def fixture(self, name, build):
        """A resource set several probes share, built once (its calls are evidence of the first probe
        that needs it)."""
        if name not in self.fixtures:
            try:
                self.fixtures[name] = build()
            except Exception as e:  # noqa: BLE001  (a failed fixture is not built again: it may be costly)
                self.fixtures[name] = FailedFixture(e)
                raise
        got = self.fixtures[name]
        if isinstance(got, FailedFixture):
            raise got.error.__class__(f"(shared {name} failed earlier) {got.error}") \
                if isinstance(got.error, NotObserved) else RuntimeError(f"shared {name} failed earlier: {got.error}")
        return got

    # -- waits ---------------------------------------------------------------------------------
    def wait_for(self, fn, what, timeout=None):
        """Polls fn() until it returns something other than None/False; NotObserved after --max-wait
        (or `timeout`) seconds. Poll intervals grow from 0.05 s to 5 s."""
        limit = self.max_wait if timeout is None else timeout
        deadline = time.monotonic() + limit
        interval = 0.05
        while True:
            value = fn()
            if value not in (None, False):
                return value
            if time.monotonic() >= deadline:
                raise NotObserved(f"{what}: not seen within {limit:g} s")
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            interval = min(interval * 2, 5.0)

    def sleep(self, seconds):
        time.sleep(seconds)

    # -- creating resources ----------------------------------------------------------------------
    def tags_kms(self):
        return [{"TagKey": TAG, "TagValue": self.id}]

    def tags(self):
        return [{"Key": TAG, "Value": self.id}]

    def create_key(self, acct, suffix, statements, admin=True, **kw):
        """A KMS key in acct's account; its policy: acct's root may do everything (admin=True) or only
        manage it (admin="manage": no cryptographic use, no CreateGrant), plus `statements`."""
        name = self.name(suffix)
        res = self.intend("kms-key", acct, None, name=name)
        own = {"Sid": "owner", "Effect": "Allow", "Principal": {"AWS": root(acct.id)},
               "Action": "kms:*" if admin is True else KMS_MANAGE, "Resource": "*"}
        pol = {"Version": "2012-10-17", "Statement": [own] + list(statements)}
        arn = self.retry_principal(lambda: acct.kms.create_key(
            Policy=json.dumps(pol), Description=name, Tags=self.tags_kms(), **kw)["KeyMetadata"]["Arn"])
        self.created(res, id=arn)
        return arn

    def retry_principal(self, fn, codes=("MalformedPolicyDocumentException",), timeout=30):
        """Calls fn, retrying while AWS does not yet know a principal just created (IAM is
        eventually consistent)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return fn()
            except ClientError as e:
                if code_of(e) not in codes or time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def create_grant(self, acct, key_arn, suffix, grantee, operations):
        name = self.name(suffix)
        res = self.intend("kms-grant", acct, None, key=key_arn, name=name)
        gid = acct.kms.create_grant(KeyId=key_arn, GranteePrincipal=grantee, Operations=operations,
                                    Name=name)["GrantId"]
        self.created(res, id=gid)
        return gid

    def create_bucket(self, acct, suffix, **encryption):
        name = self.name(suffix)[:63]
        res = self.intend("s3-bucket", acct, name)
        kw = {} if self.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": self.region}}
        acct.s3.create_bucket(Bucket=name, **kw)
        acct.s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": self.tags()})
        if encryption.get("key"):
            acct.s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [{
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                       "KMSMasterKeyID": encryption["key"]},
                "BucketKeyEnabled": bool(encryption.get("bucket_key"))}]})
        self.created(res)
        return name

    def create_role(self, acct, suffix, service, policy_statements):
        """A role under /cmek-conformance/ that `service` may assume, with one inline policy."""
        name = self.name(suffix)[:64]
        res = self.intend("iam-role", acct, name)
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}
        arn = acct.iam.create_role(RoleName=name, Path=IAM_PATH, AssumeRolePolicyDocument=json.dumps(trust),
                                   Tags=self.tags())["Role"]["Arn"]
        if policy_statements:
            acct.iam.put_role_policy(RoleName=name, PolicyName="probe", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": policy_statements}))
        self.created(res, arn=arn)
        return arn

    def create_policy(self, acct, suffix, statements):
        name = self.name(suffix)[:128]
        res = self.intend("iam-policy", acct, None, name=name)
        arn = acct.iam.create_policy(PolicyName=name, Path=IAM_PATH, Tags=self.tags(), PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))["Policy"]["Arn"]
        self.created(res, id=arn)
        return arn


# A key's owner may manage it but neither use it nor grant its use (so only the other statements
# decide who may: an identity policy cannot add cryptographic use).
KMS_MANAGE = ["kms:DescribeKey", "kms:Enable*", "kms:Disable*", "kms:Put*", "kms:Get*", "kms:List*",
              "kms:Revoke*", "kms:RetireGrant", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
              "kms:TagResource", "kms:UntagResource", "kms:Update*", "kms:Delete*"]


def allow(account, actions, condition=None, sid=None):
    st = {"Effect": "Allow", "Principal": {"AWS": root(account)}, "Action": actions, "Resource": "*"}
    if condition:
        st["Condition"] = condition
    if sid:
        st["Sid"] = sid
    return st


def via(service, region):
    return {"StringEquals": {"kms:ViaService": f"{service}.{region}.amazonaws.com"}}


FOR_AWS_RESOURCE = {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def outcome(fn, *a, **kw):
    """(error code or None, result or None) of one call."""
    try:
        return None, fn(*a, **kw)
    except ClientError as e:
        return code_of(e), e


def fake_key_arn(region, account):
    return f"arn:aws:kms:{region}:{account}:key/{uuid.uuid4()}"
