"""RDS probes (R12, R17, R20, R31): PostgreSQL instances of the smallest class (db.t4g.micro, 20 GB, no
backups) in the vendor (Speedscale) account, under customer keys, deleted without a final snapshot.
Two instances are shared: "main" (storage and master password secret under a customer key,
Performance Insights under a vendor key only usable through RDS) and "b" (storage only)."""

import json
import secrets
import time

from . import NotObserved, probe
from .run import FOR_AWS_RESOURCE, allow, outcome, via

RDS_USE = ["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*"]
INACCESSIBLE = "inaccessible-encryption-credentials-recoverable"


def rds_key(run, suffix):
    """A customer key the vendor may use (any service) and grant for AWS resources."""
    return run.create_key(run.customer, suffix, [allow(run.vendor.id, RDS_USE, sid="use"),
                                                 allow(run.vendor.id, "kms:CreateGrant", FOR_AWS_RESOURCE, sid="grant")])


def create_db(run, suffix, **kw):
    """CreateDBInstance (journaled first). Returns (id, error code or None)."""
    ident = run.name(suffix)[:63]
    params = dict(DBInstanceIdentifier=ident, Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20,
                  MasterUsername="cmekprobe", BackupRetentionPeriod=0, MultiAZ=False, PubliclyAccessible=False,
                  DeletionProtection=False, Tags=run.tags())
    if not kw.get("ManageMasterUserPassword"):
        params["MasterUserPassword"] = secrets.token_hex(12)
    params.update(kw)
    res = run.intend("rds-instance", run.vendor, ident)
    c, _ = outcome(run.vendor.rds.create_db_instance, **params)
    if not c:
        run.created(res)
    return ident, c


def describe_db(run, ident):
    return run.vendor.rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]


def wait_db(run, ident, statuses=("available",), what=None):
    return run.wait_for(lambda: (lambda d: d if d["DBInstanceStatus"] in statuses else None)(describe_db(run, ident)),
                        what or f"{ident} {' or '.join(statuses)}")


def snapshot(run, ident, suffix):
    sid = run.name(suffix)[:255]
    res = run.intend("rds-snapshot", run.vendor, sid)
    run.vendor.rds.create_db_snapshot(DBInstanceIdentifier=ident, DBSnapshotIdentifier=sid, Tags=run.tags())
    run.created(res)
    run.wait_for(lambda: (lambda s: s if s["Status"] in ("available", "failed") else None)(
        run.vendor.rds.describe_db_snapshots(DBSnapshotIdentifier=sid)["DBSnapshots"][0]), f"snapshot {sid} available")
    return sid


def main_db(run):
    def build():
        k1 = rds_key(run, "rds-main")
        kp = run.create_key(run.vendor, "rds-pi", [
            allow(run.vendor.id, ["kms:CreateGrant"] + RDS_USE, via("rds", run.region), sid="only-through-rds")],
            admin="manage")
        # Backups on (one day): an instance without backups stays available when its key goes
        # (rds-backups-disabled-detach), and the key probes need one that does not.
        base = dict(StorageEncrypted=True, KmsKeyId=k1, ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=k1,
                    BackupRetentionPeriod=1)
        ident, c = create_db(run, "rds-main", EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=kp, **base)
        pi_error = c
        if c:
            ident, c = create_db(run, "rds-main", **base)
            if c:
                raise RuntimeError(f"CreateDBInstance (storage and secret under a customer key): {c}")
        wait_db(run, ident)
        return {"id": ident, "k1": k1, "kp": kp, "pi_error": pi_error}
    return run.fixture("rds-main", build)


def b_db(run):
    def build():
        k2 = rds_key(run, "rds-b")
        ident, c = create_db(run, "rds-b", StorageEncrypted=True, KmsKeyId=k2, BackupRetentionPeriod=1)
        if c:
            raise RuntimeError(f"CreateDBInstance (storage under a customer key): {c}")
        wait_db(run, ident)
        return {"id": ident, "k2": k2}
    return run.fixture("rds-b", build)


def main_snapshot(run):
    return run.fixture("rds-main-snapshot", lambda: snapshot(run, main_db(run)["id"], "rds-main-snap"))


@probe("rds-secret-key-refusal-error", cost="minutes")
def secret_key_refusal(run):
    """A master password secret under a key the vendor may use only through RDS (so Secrets Manager
    may not)."""
    key = run.create_key(run.customer, "r12-secret", [
        allow(run.vendor.id, RDS_USE, via("rds", run.region), sid="rds-only"),
        allow(run.vendor.id, "kms:CreateGrant", FOR_AWS_RESOURCE, sid="grant")])
    ident, c = create_db(run, "r12-secret", ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=key)
    if c is None:
        return "accepted", "CreateDBInstance accepted a secret key Secrets Manager may not use (instance deleted)"
    return c, f"CreateDBInstance: {c}"


@probe("secret-create-grant-via", cost="hours")
def secret_grant_via(run):
    """Two secret keys whose CreateGrant is allowed only through secretsmanager.<region>, resp. only
    through rds.<region>: which one does CreateDBInstance accept?"""
    got = {}
    for service in ("secretsmanager", "rds"):
        cond = dict(FOR_AWS_RESOURCE, **via(service, run.region))
        key = run.create_key(run.customer, f"r12-grant-{service[:3]}", [
            allow(run.vendor.id, RDS_USE, sid="use"), allow(run.vendor.id, "kms:CreateGrant", cond, sid="grant")])
        _, got[service] = create_db(run, f"r12-grant-{service[:3]}", ManageMasterUserPassword=True,
                                    MasterUserSecretKmsKeyId=key)
    detail = "; ".join(f"CreateGrant only via {s}: {c or 'accepted'}" for s, c in got.items())
    accepted = [s for s, c in got.items() if c is None]
    return (accepted[0] if len(accepted) == 1 else "both" if accepted else "neither"), detail


@probe("secret-grant-encryption-context", cost="hours")
def secret_grant_context(run):
    """A secret key whose CreateGrant (for AWS resources, through either service) is allowed only with
    kms:EncryptionContext:SecretARN like the vendor's rds!db-* secrets: does CreateDBInstance accept it?"""
    pattern = f"arn:aws:secretsmanager:{run.region}:{run.vendor.id}:secret:rds!db-*"
    cond = dict(FOR_AWS_RESOURCE, StringEquals={"kms:ViaService": [f"secretsmanager.{run.region}.amazonaws.com",
                                                                   f"rds.{run.region}.amazonaws.com"]},
                StringLike={"kms:EncryptionContext:SecretARN": pattern})
    key = run.create_key(run.customer, "r12-grant-ctx", [
        allow(run.vendor.id, RDS_USE, sid="use"), allow(run.vendor.id, "kms:CreateGrant", cond, sid="grant")])
    _, c = create_db(run, "r12-grant-ctx", ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=key)
    detail = f"CreateGrant allowed only with SecretARN like {pattern}: CreateDBInstance {c or 'accepted'}"
    if c is None:
        return "secret-arn", detail
    return ("none" if c == "KMSKeyNotAccessibleFault" else c), detail


@probe("pi-via-service-rds", cost="hours")
def pi_via_rds(run):
    m = main_db(run)
    if m["pi_error"] == "KMSKeyNotAccessibleFault":
        return "not-rds-via-service", \
            f"CreateDBInstance with a Performance Insights key usable only through RDS: {m['pi_error']}"
    if m["pi_error"]:
        raise NotObserved(f"Performance Insights could not be turned on at all ({m['pi_error']}: not offered for "
                          "this engine and instance class?)")
    d = describe_db(run, m["id"])
    detail = f"PerformanceInsightsEnabled {d.get('PerformanceInsightsEnabled')}, key {d.get('PerformanceInsightsKMSKeyId')}"
    if d.get("PerformanceInsightsEnabled") and d.get("PerformanceInsightsKMSKeyId") == m["kp"]:
        return "rds-via-service", detail
    return "not-enabled", detail


@probe("pi-key-change", cost="hours")
def pi_key_change(run):
    m = main_db(run)
    rds = run.vendor.rds
    d = describe_db(run, m["id"])
    current = d.get("PerformanceInsightsKMSKeyId") if d.get("PerformanceInsightsEnabled") else None
    if not current:
        c, _ = outcome(rds.modify_db_instance, DBInstanceIdentifier=m["id"], EnablePerformanceInsights=True,
                       PerformanceInsightsKMSKeyId=m["k1"], ApplyImmediately=True)
        if c:
            raise RuntimeError(f"ModifyDBInstance turning Performance Insights on: {c}")
        time.sleep(0.5 if run.endpoint else 10)
        wait_db(run, m["id"])
        current = m["k1"]
    other = m["kp"] if current != m["kp"] else m["k1"]
    c, _ = outcome(rds.modify_db_instance, DBInstanceIdentifier=m["id"], EnablePerformanceInsights=True,
                   PerformanceInsightsKMSKeyId=other, ApplyImmediately=True)
    if c is None:
        time.sleep(0.5 if run.endpoint else 10)
        wait_db(run, m["id"])
        return "accepted", f"ModifyDBInstance changed the Performance Insights key to {other}"
    return c, f"ModifyDBInstance to another Performance Insights key: {c}"


@probe("restore-other-engine-managed-password", cost="hours")
def restore_managed_password(run):
    sid = main_snapshot(run)
    ident = run.name("r17-restore-mmup")[:63]
    res = run.intend("rds-instance", run.vendor, ident)
    c, _ = outcome(run.vendor.rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier=ident,
                   DBSnapshotIdentifier=sid, DBInstanceClass="db.t4g.micro", ManageMasterUserPassword=True,
                   Tags=run.tags())
    if c is None:
        run.created(res)
        return "accepted", "a PostgreSQL restore with ManageMasterUserPassword was accepted (instance deleted)"
    return c, f"RestoreDBInstanceFromDBSnapshot of PostgreSQL with ManageMasterUserPassword: {c}"


@probe("restore-carries-secret", cost="hours")
def restore_carries(run):
    m = main_db(run)
    sid = main_snapshot(run)
    ident = run.name("r17-restored")[:63]
    res = run.intend("rds-instance", run.vendor, ident)
    run.vendor.rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier=ident, DBSnapshotIdentifier=sid,
                                                        DBInstanceClass="db.t4g.micro", Tags=run.tags())
    run.created(res)
    d = wait_db(run, ident)
    secret = bool(d.get("MasterUserSecret"))
    pi = bool(d.get("PerformanceInsightsEnabled"))
    source_pi = not m["pi_error"]
    detail = (f"restored: MasterUserSecret {d.get('MasterUserSecret', {}).get('KmsKeyId') if secret else None}, "
              f"PerformanceInsightsEnabled {pi} (source had Performance Insights: {source_pi})")
    if secret and (pi or not source_pi):
        return "carried", detail
    if not secret and not pi:
        return "not-carried", detail
    return ("secret-only" if secret else "pi-only"), detail


@probe("grants-outlive-key-policy", cost="hours")
def grants_outlive(run):
    """Instance b's key policy stops allowing the vendor; once KMS refuses the vendor, a snapshot of
    b (which RDS makes with its grant) is taken and b is watched."""
    b = b_db(run)
    kms = run.customer.kms
    original = kms.get_key_policy(KeyId=b["k2"], PolicyName="default")["Policy"]
    pol = json.loads(original)
    pol["Statement"] = [s for s in pol["Statement"] if s.get("Sid") not in ("use", "grant")]
    kms.put_key_policy(KeyId=b["k2"], PolicyName="default", Policy=json.dumps(pol))
    try:
        run.wait_for(lambda: outcome(run.vendor.kms.describe_key, KeyId=b["k2"])[0] == "AccessDeniedException",
                     "KMS refusing the vendor after the key policy change")
        sid = snapshot(run, b["id"], "r12-outlive-snap")
        snap = run.vendor.rds.describe_db_snapshots(DBSnapshotIdentifier=sid)["DBSnapshots"][0]["Status"]
        status = describe_db(run, b["id"])["DBInstanceStatus"]
    finally:
        kms.put_key_policy(KeyId=b["k2"], PolicyName="default", Policy=original)
    detail = f"after the policy change: snapshot {snap}, instance {status}"
    if snap == "available" and status == "available":
        return "grants-keep-working", detail
    return "grants-stop", detail


@probe("rds-disabled-key-detection-delay", cost="hours")
def detection_delay(run):
    m = main_db(run)
    run.customer.kms.disable_key(KeyId=m["k1"])
    t0 = time.monotonic()
    run.fixtures["rds-main-disabled"] = t0
    try:
        wait_db(run, m["id"], (INACCESSIBLE,), "the instance inaccessible after DisableKey")
    except NotObserved:
        run.fixtures["rds-main-inaccessible"] = False  # the next probes do not wait again
        raise
    secs = time.monotonic() - t0
    run.fixtures["rds-main-inaccessible"] = True
    return "rds_inaccessible-seconds", f"{INACCESSIBLE} {secs:.1f} s after DisableKey"


def main_inaccessible(run, m):
    """The main instance's key disabled (once) and the instance inaccessible (NotObserved at once when
    an earlier probe already waited in vain)."""
    if "rds-main-disabled" not in run.fixtures:
        run.customer.kms.disable_key(KeyId=m["k1"])
        run.fixtures["rds-main-disabled"] = time.monotonic()
    if run.fixtures.get("rds-main-inaccessible") is False:
        raise NotObserved(f"the main instance did not become {INACCESSIBLE} (rds-disabled-key-detection-delay)")
    try:
        wait_db(run, m["id"], (INACCESSIBLE,), "the instance inaccessible after DisableKey")
    except NotObserved:
        run.fixtures["rds-main-inaccessible"] = False
        raise
    run.fixtures["rds-main-inaccessible"] = True


@probe("rds-recoverable-seven-days-start", cost="hours")
def seven_days_start(run):
    """Cannot wait seven days: reports the transition to the recoverable state and the RDS events
    around it (which one is the clock's start)."""
    m = main_db(run)
    main_inaccessible(run, m)
    events = run.vendor.rds.describe_events(SourceIdentifier=m["id"], SourceType="db-instance",
                                            Duration=120).get("Events", [])
    kms_events = [f"{e.get('SourceArn', '').split(':')[-1]} {e['Date'].isoformat() if hasattr(e['Date'], 'isoformat') else e['Date']}: "
                  f"{e['Message'][:120]}" for e in events
                  if any(w in e.get("Message", "").lower() for w in ("kms", "inaccessible", "encryption", "key"))]
    return "from-recoverable", (f"{INACCESSIBLE} observed; {len(events)} event(s), about the key: "
                                f"{kms_events[:3] or 'none'} (the seven days themselves are not waited for)")


@probe("rds-start-unusable-key", cost="hours")
def start_unusable(run):
    m = main_db(run)
    main_inaccessible(run, m)  # StartDBInstance of an available instance would say nothing about the key
    status = describe_db(run, m["id"])["DBInstanceStatus"]
    c, _ = outcome(run.vendor.rds.start_db_instance, DBInstanceIdentifier=m["id"])
    return (c or "started"), f"StartDBInstance while the key is disabled (instance {status}): {c or 'accepted'}"


@probe("pi-cross-account-key", cost="hours")
def pi_cross_account(run):
    b = b_db(run)
    c, _ = outcome(run.vendor.rds.modify_db_instance, DBInstanceIdentifier=b["id"], EnablePerformanceInsights=True,
                   PerformanceInsightsKMSKeyId=b["k2"], ApplyImmediately=True)
    if c == "KMSKeyNotAccessibleFault":
        return "refused", f"ModifyDBInstance with a Performance Insights key of the customer account: {c}"
    if c == "InvalidParameterCombination" and main_db(run)["pi_error"] == c:
        raise NotObserved(f"Performance Insights is not offered here at all ({c}), whatever the key")
    if c:
        return c, f"ModifyDBInstance: {c}"
    time.sleep(0.2 if run.endpoint else 10)
    d = wait_db(run, b["id"])
    return "accepted", f"PerformanceInsightsEnabled {d.get('PerformanceInsightsEnabled')} with the customer's key"


@probe("rds-grant-revoked-inaccessible", cost="hours")
def grant_revoked(run):
    """The customer revokes RDS's grants on instance b's key (the key stays enabled)."""
    b = b_db(run)
    kms = run.customer.kms
    grants = [g for page in kms.get_paginator("list_grants").paginate(KeyId=b["k2"]) for g in page["Grants"]
              if "rds" in (g.get("GranteePrincipal") or "") and not (g.get("Name") or "").startswith(run.name(""))]
    if not grants:
        raise RuntimeError(f"no RDS grant on {b['k2']}")
    for g in grants:
        kms.revoke_grant(KeyId=b["k2"], GrantId=g["GrantId"])
    try:
        wait_db(run, b["id"], (INACCESSIBLE,), "the instance inaccessible after its grant was revoked")
        return "inaccessible", f"{len(grants)} grant(s) revoked; the instance became {INACCESSIBLE}"
    except NotObserved:
        status = describe_db(run, b["id"])["DBInstanceStatus"]
        return "no-effect", f"{len(grants)} grant(s) revoked; the instance stayed {status} for {run.max_wait:g} s"


TERMINAL_STATE = "inaccessible-encryption-credentials"


@probe("rds-replica-unusable-key", cost="hours")
def replica_unusable(run):
    """A source instance (backups on) and its read replica; the key is disabled: which state do the
    replica and the source take?"""
    key = rds_key(run, "r12-replica")
    src, c = create_db(run, "r12-rep-src", StorageEncrypted=True, KmsKeyId=key, BackupRetentionPeriod=1)
    if c:
        raise RuntimeError(f"CreateDBInstance: {c}")
    wait_db(run, src)
    rep = run.name("r12-rep")[:63]
    res = run.intend("rds-instance", run.vendor, rep)
    run.vendor.rds.create_db_instance_read_replica(DBInstanceIdentifier=rep, SourceDBInstanceIdentifier=src,
                                                   DBInstanceClass="db.t4g.micro", Tags=run.tags())
    run.created(res)
    wait_db(run, rep)
    run.customer.kms.disable_key(KeyId=key)
    gone = (TERMINAL_STATE, INACCESSIBLE)
    states = {}

    def both():
        for what, ident in (("replica", rep), ("source", src)):
            status = describe_db(run, ident)["DBInstanceStatus"]
            if status in gone:
                states[what] = status
        return len(states) == 2 or None
    try:
        run.wait_for(both, "the replica and its source leaving available")
    except NotObserved:
        for what, ident in (("replica", rep), ("source", src)):
            states.setdefault(what, describe_db(run, ident)["DBInstanceStatus"] + " (unchanged)")
    detail = f"after DisableKey: replica {states['replica']}, source with a replica {states['source']}"
    if states["replica"] == states["source"] == TERMINAL_STATE:
        return "terminal", detail
    if states["replica"] == states["source"] == INACCESSIBLE:
        return "recoverable", detail
    if "unchanged" in states["replica"] and "unchanged" in states["source"]:
        raise NotObserved(detail)
    return f"replica={states['replica']};source={states['source']}", detail


@probe("rds-backups-disabled-detach", cost="hours")
def backups_disabled(run):
    """An instance without backups (BackupRetentionPeriod 0) whose key is disabled, watched for
    --max-wait seconds."""
    key = rds_key(run, "r12-nobackup")
    ident, c = create_db(run, "r12-nobackup", StorageEncrypted=True, KmsKeyId=key, BackupRetentionPeriod=0)
    if c:
        raise RuntimeError(f"CreateDBInstance: {c}")
    wait_db(run, ident)
    run.customer.kms.disable_key(KeyId=key)
    try:
        d = wait_db(run, ident, (INACCESSIBLE, TERMINAL_STATE), "the instance leaving available")
        return d["DBInstanceStatus"], f"without backups, after DisableKey: {d['DBInstanceStatus']}"
    except NotObserved:
        status = describe_db(run, ident)["DBInstanceStatus"]
        if status != "available":
            return status, f"without backups, after DisableKey: {status}"
        return "stays-available", f"without backups, still available {run.max_wait:g} s after DisableKey"


@probe("rds-throttle-shared-bucket")
def rds_shared_bucket(run):
    """DescribeDBInstances and DescribeDBSnapshots alternately, 20 at a time, no retries, until RDS
    throttles (at most 900 calls): do the two operations draw on one bucket (300, 12 a second)?"""
    import concurrent.futures
    rds = run.vendor.client("rds", retries=False)
    none = run.name("none")  # filters that match nothing keep the answers small
    filters = {"describe_db_instances": [{"Name": "db-instance-id", "Values": [none]}],
               "describe_db_snapshots": [{"Name": "db-snapshot-id", "Values": [none]}]}
    rds.describe_db_instances(Filters=filters["describe_db_instances"])  # warm the client up
    passed = {"describe_db_instances": 0, "describe_db_snapshots": 0}
    throttled, other = 0, set()
    t0 = time.monotonic()

    def one(fn):
        return fn.__name__, outcome(fn, Filters=filters[fn.__name__])[0]
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        while throttled == 0 and sum(passed.values()) < 900:
            for name, c in pool.map(one, [rds.describe_db_instances, rds.describe_db_snapshots] * 50):
                if c is None:
                    passed[name] += 1
                elif c in ("Throttling", "ThrottlingException", "RequestLimitExceeded"):
                    throttled += 1
                else:
                    other.add(c)
    elapsed = time.monotonic() - t0
    total = sum(passed.values())
    one_bucket = 300 + 12 * elapsed
    detail = (f"{total} passed in {elapsed:.1f} s ({passed}), {throttled} throttled, other errors {sorted(other)}; "
              f"one shared bucket would pass about {one_bucket:.0f}")
    if not throttled:
        return "no-throttling", detail
    if total <= one_bucket * 1.15 + 10 and min(passed.values()) > 0:
        return "one-bucket", detail
    return "more-than-one-bucket", detail


# -----------------------------------------------------------------------------------------------
# R20: automated backups and what stays of a deleted instance. One instance ("retained": backups
# on for a day, storage under a customer key) gets a manual snapshot and is deleted with a final
# snapshot and DeleteAutomatedBackups false; the probes look at what is left, the last deletes
# the retained backup.


def backups_of(run, **kw):
    return run.vendor.rds.describe_db_instance_automated_backups(**kw)["DBInstanceAutomatedBackups"]


def retained_db(run):
    def build():
        key = rds_key(run, "r20-retained")
        ident, c = create_db(run, "r20-retained", StorageEncrypted=True, KmsKeyId=key, BackupRetentionPeriod=1)
        if c:
            raise RuntimeError(f"CreateDBInstance: {c}")
        db = wait_db(run, ident)
        dbi = db["DbiResourceId"]
        run.wait_for(lambda: any(b["Status"] == "active" for b in backups_of(run, DbiResourceId=dbi)),
                     f"the automated backup of {ident} active")
        manual = snapshot(run, ident, "r20-manual")
        final = run.name("r20-final")[:255]
        snap = run.intend("rds-snapshot", run.vendor, final)
        backup = run.intend("rds-automated-backup", run.vendor, dbi, name=ident)
        run.vendor.rds.delete_db_instance(DBInstanceIdentifier=ident, FinalDBSnapshotIdentifier=final,
                                          DeleteAutomatedBackups=False)
        run.created(snap)
        run.created(backup)
        run.wait_for(lambda: outcome(run.vendor.rds.describe_db_instances, DBInstanceIdentifier=ident)[0]
                     in ("DBInstanceNotFound", "DBInstanceNotFoundFault"), f"{ident} deleted")
        run.wait_for(lambda: (lambda s: s if s["Status"] in ("available", "failed") else None)(
            run.vendor.rds.describe_db_snapshots(DBSnapshotIdentifier=final)["DBSnapshots"][0]), f"{final} available")
        run.wait_for(lambda: any(b["Status"] == "retained" for b in backups_of(run, DbiResourceId=dbi)),
                     f"the automated backup of {ident} retained")
        return {"id": ident, "dbi": dbi, "key": key, "manual": manual, "final": final}
    return run.fixture("rds-retained", build)


@probe("rds-automated-backup-not-found")
def automated_backup_not_found(run):
    dbi = "db-" + secrets.token_hex(13).upper()[:26]
    c, got = outcome(run.vendor.rds.describe_db_instance_automated_backups, DbiResourceId=dbi)
    if c:
        return c, f"DescribeDBInstanceAutomatedBackups with an unknown DbiResourceId: {c}"
    return "empty-list", f"an unknown DbiResourceId: {len(got['DBInstanceAutomatedBackups'])} backup(s), no error"


@probe("rds-retained-backup-by-instance-id", cost="hours")
def retained_by_instance_id(run):
    r = retained_db(run)
    c, got = outcome(run.vendor.rds.describe_db_instance_automated_backups, DBInstanceIdentifier=r["id"])
    if c:
        return c, f"DescribeDBInstanceAutomatedBackups with the deleted instance's DBInstanceIdentifier: {c}"
    found = [(b["DbiResourceId"], b["Status"]) for b in got["DBInstanceAutomatedBackups"]]
    return ("returned" if (r["dbi"], "retained") in found else "not-returned"), f"by DBInstanceIdentifier: {found}"


@probe("rds-snapshots-of-deleted-instance", cost="hours")
def snapshots_of_deleted(run):
    r = retained_db(run)
    c, got = outcome(run.vendor.rds.describe_db_snapshots, DBInstanceIdentifier=r["id"], SnapshotType="manual")
    if c:
        return c, f"DescribeDBSnapshots with the deleted instance's DBInstanceIdentifier: {c}"
    names = sorted(s["DBSnapshotIdentifier"] for s in got["DBSnapshots"])
    detail = f"manual snapshots listed by the deleted instance's identifier: {names}"
    return ("listed" if {r["manual"], r["final"]} <= set(names) else "not-listed"), detail


@probe("rds-retained-automated-snapshots-listed", cost="hours")
def retained_snapshots_listed(run):
    r = retained_db(run)
    rds = run.vendor.rds

    def system(**kw):
        return sorted(s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="automated", **kw)[
            "DBSnapshots"] if s.get("DbiResourceId") == r["dbi"])
    by_id, by_dbi = system(DBInstanceIdentifier=r["id"]), system(DbiResourceId=r["dbi"])
    detail = f"the retained backup's system snapshots: by DBInstanceIdentifier {by_id}, by DbiResourceId {by_dbi}"
    if by_id:
        return "listed", detail
    if by_dbi:
        return "by-resource-id-only", detail
    return "not-listed", detail


@probe("rds-delete-retained-backup", cost="hours")
def delete_retained(run):
    r = retained_db(run)
    rds = run.vendor.rds
    c, got = outcome(rds.delete_db_instance_automated_backup, DbiResourceId=r["dbi"])
    if c:
        return c, f"DeleteDBInstanceAutomatedBackup of a retained backup: {c}"
    answered = got["DBInstanceAutomatedBackup"].get("Status")
    seen = []

    def gone():
        c, found = outcome(rds.describe_db_instance_automated_backups, DbiResourceId=r["dbi"])
        statuses = [] if c else [b["Status"] for b in found["DBInstanceAutomatedBackups"]]
        if statuses and statuses[0] not in seen:
            seen.append(statuses[0])
        return not statuses
    try:
        run.wait_for(gone, "the deleted automated backup gone")
    except NotObserved:
        return f"{'-'.join(seen) or 'listed'}-not-gone", f"answered Status {answered}; still listed ({seen})"
    detail = f"answered Status {answered}; listed as {seen or 'nothing'} before it was gone"
    if not seen:
        return ("gone-at-once" if answered != "deleting" else "deleting-gone-at-once"), detail
    return f"{seen[0]}-then-gone", detail


@probe("rds-share-encrypted-snapshot-all", cost="hours")
def share_encrypted_all(run):
    r = retained_db(run)
    rds = run.vendor.rds
    c, _ = outcome(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=r["final"], AttributeName="restore",
                   ValuesToAdd=["all"])
    if c is None:
        rds.modify_db_snapshot_attribute(DBSnapshotIdentifier=r["final"], AttributeName="restore", ValuesToRemove=["all"])
        return "accepted", "restore = all on an encrypted snapshot was accepted (then removed)"
    return c, f"ModifyDBSnapshotAttribute restore = all on an encrypted snapshot: {c}"


# ---------------------------------------------------------------------------------------------
# R31: DB parameter groups and log exports. The default groups are only read, or sent calls AWS
# refuses; an instance is created only if AWS accepts what the layer refuses (journaled, deleted
# with the run); the log export probe uses the shared instance "b".

FORCE_SSL_FILTER = [{"Name": "parameter-name", "Values": ["rds.force_ssl"]}]


def message_of(result):
    return getattr(result, "response", {}).get("Error", {}).get("Message", "")


def refused_create(run, suffix, **kw):
    """CreateDBInstance of PostgreSQL 16 (journaled first) that the layer refuses: (error code, message), or
    (None, ...) when accepted (the instance is deleted at the end of the run)."""
    ident = run.name(suffix)[:63]
    params = dict(DBInstanceIdentifier=ident, Engine="postgres", EngineVersion="16", DBInstanceClass="db.t4g.micro",
                  AllocatedStorage=20, MasterUsername="cmekprobe", MasterUserPassword=secrets.token_hex(12),
                  BackupRetentionPeriod=0, MultiAZ=False, PubliclyAccessible=False, DeletionProtection=False,
                  Tags=run.tags(), **kw)
    res = run.intend("rds-instance", run.vendor, ident)
    c, r = outcome(run.vendor.rds.create_db_instance, **params)
    if c is None:
        run.created(res)
        return None, "accepted (the instance is deleted with the run)"
    return c, message_of(r)


@probe("rds-default-group-before-use")
def default_group_before_use(run):
    """DescribeDBParameters and DescribeDBParameterGroups of default.postgres14 and default.postgres16 (in an
    account that used them before they answer anyway: the answer "there" is then no evidence)."""
    got = {}
    for group in ("default.postgres14", "default.postgres16"):
        c1, _ = outcome(run.vendor.rds.describe_db_parameters, DBParameterGroupName=group, MaxRecords=20)
        c2, _ = outcome(run.vendor.rds.describe_db_parameter_groups, DBParameterGroupName=group)
        got[group] = (c1, c2)
    detail = "; ".join(f"{g}: DescribeDBParameters {a or 'ok'}, DescribeDBParameterGroups {b or 'ok'}"
                       for g, (a, b) in got.items())
    codes = {c for pair in got.values() for c in pair}
    if codes == {None}:
        return "there", detail
    return ("not-found" if codes == {"DBParameterGroupNotFound"} else "mixed"), detail


@probe("rds-force-ssl-default-source")
def force_ssl_default_source(run):
    """rds.force_ssl as DescribeDBParameters gives it in default.postgres14 and default.postgres16."""
    seen = {}
    for group in ("default.postgres14", "default.postgres16"):
        found = run.vendor.rds.describe_db_parameters(DBParameterGroupName=group, Filters=FORCE_SSL_FILTER)["Parameters"]
        seen[group] = found[0] if found else None
    detail = json.dumps({g: p and {k: p.get(k) for k in ("ParameterValue", "Source", "ApplyType", "DataType",
                                                          "AllowedValues", "IsModifiable", "Description",
                                                          "ApplyMethod")} for g, p in seen.items()}, sort_keys=True)
    sources = {p.get("Source") for p in seen.values() if p}
    if None in seen.values() or len(sources) != 1:
        raise NotObserved(f"rds.force_ssl not listed in both, or with two sources: {detail}")
    return sources.pop(), detail


@probe("rds-parameters-listed")
def parameters_listed(run):
    names = [p["ParameterName"] for page in run.vendor.rds.get_paginator("describe_db_parameters").paginate(
        DBParameterGroupName="default.postgres16") for p in page["Parameters"]]
    return ("force-ssl-only" if names == ["rds.force_ssl"] else "all"), f"{len(names)} parameters in default.postgres16"


@probe("rds-describe-parameters-invalid-value")
def describe_parameters_invalid(run):
    c, r = outcome(run.vendor.rds.describe_db_parameters, DBParameterGroupName="default.postgres16", MaxRecords=19)
    if c is None:
        return "accepted", f"MaxRecords 19 answered {len(r['Parameters'])} parameters"
    return c, f"DescribeDBParameters MaxRecords 19: {c} {message_of(r)}"


@probe("rds-modify-default-parameter-group")
def modify_default_group(run):
    """ModifyDBParameterGroup of default.postgres16 setting rds.force_ssl to its own default, 1."""
    c, r = outcome(run.vendor.rds.modify_db_parameter_group, DBParameterGroupName="default.postgres16",
                   Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
    if c is None:
        return "accepted", "ModifyDBParameterGroup of a default group was accepted (rds.force_ssl 1, its default)"
    return c, f"ModifyDBParameterGroup default.postgres16: {c} {message_of(r)}"


@probe("rds-delete-default-parameter-group")
def delete_default_group(run):
    c, r = outcome(run.vendor.rds.delete_db_parameter_group, DBParameterGroupName="default.postgres16")
    if c is None:
        return "accepted", "DeleteDBParameterGroup of default.postgres16 was accepted"
    return c, f"DeleteDBParameterGroup default.postgres16: {c} {message_of(r)}"


@probe("rds-parameter-group-family-mismatch")
def family_mismatch(run):
    c, msg = refused_create(run, "r31-family", DBParameterGroupName="default.postgres14")
    if c is not None and "DBParameterGroupFamily" not in msg:
        raise NotObserved(f"CreateDBInstance refused for another reason: {c} {msg}")
    return c or "accepted", f"CreateDBInstance of PostgreSQL 16 with default.postgres14: {c or ''} {msg}".strip()


@probe("rds-log-export-invalid-type")
def log_export_invalid_type(run):
    c, msg = refused_create(run, "r31-logs", EnableCloudwatchLogsExports=["postgresql", "audit"])
    if c is not None and "log type" not in msg:
        raise NotObserved(f"CreateDBInstance refused for another reason: {c} {msg}")
    return c or "accepted", f"CreateDBInstance of PostgreSQL 16 exporting postgresql and audit: {c or ''} {msg}".strip()


@probe("rds-log-export-idempotent", cost="hours")
def log_export_idempotent(run):
    """Instance b: disable upgrade (not enabled), enable postgresql twice, then disable it again."""
    b = b_db(run)
    rds = run.vendor.rds
    steps = []

    def modify(**config):
        c, _ = outcome(rds.modify_db_instance, DBInstanceIdentifier=b["id"], CloudwatchLogsExportConfiguration=config)
        steps.append(f"{config}: {c or 'ok'}")
        time.sleep(0.5 if run.endpoint else 10)
        wait_db(run, b["id"])
        return c
    errors = [modify(DisableLogTypes=["upgrade"]), modify(EnableLogTypes=["postgresql"]),
              modify(EnableLogTypes=["postgresql"])]
    exports = describe_db(run, b["id"]).get("EnabledCloudwatchLogsExports", [])
    modify(DisableLogTypes=["postgresql"])
    detail = "; ".join(steps) + f"; EnabledCloudwatchLogsExports after the second enable: {exports}"
    refused = [c for c in errors if c]
    if refused:
        return refused[0], detail
    return ("no-op" if exports == ["postgresql"] else "listed-twice"), detail


# R31: the engine's default version and DescribeDBEngineVersions (reads only).

ENGINES = ("postgres", "aurora-postgresql")
DESCRIPTIONS = {"postgres": ("PostgreSQL", "PostgreSQL {}-R1"),
                "aurora-postgresql": ("Aurora (PostgreSQL)", "Aurora PostgreSQL (Compatible with PostgreSQL {})")}


def default_versions(run):
    """{engine: [DBEngineVersion, ...]} of DescribeDBEngineVersions DefaultOnly for each engine."""
    return {e: run.vendor.rds.describe_db_engine_versions(Engine=e, DefaultOnly=True)["DBEngineVersions"]
            for e in ENGINES}


@probe("rds-default-engine-version")
def default_engine_version(run):
    """DescribeDBEngineVersions DefaultOnly for postgres and aurora-postgresql: one version each (the detail
    names it: the value for rds_default_postgres_version and rds_default_aurora_postgresql_version)."""
    got = default_versions(run)
    detail = "; ".join(f"{e}: " + (", ".join(f"{v.get('EngineVersion')} ({v.get('DBParameterGroupFamily')})"
                                             for v in vs) or "none") for e, vs in got.items())
    if all(len(vs) == 1 and vs[0].get("Engine") == e for e, vs in got.items()):
        return "one-version", detail
    return "not-one-version", detail


@probe("rds-engine-version-fields")
def engine_version_fields(run):
    """The descriptions of each engine's default version against the layer's wording; the fields listed in
    detail."""
    got = default_versions(run)
    seen, match = {}, True
    for e, vs in got.items():
        if not vs:
            raise NotObserved(f"no default version of {e}")
        v = vs[0]
        want = (DESCRIPTIONS[e][0], DESCRIPTIONS[e][1].format(v.get("EngineVersion")))
        have = (v.get("DBEngineDescription"), v.get("DBEngineVersionDescription"))
        match = match and have == want
        seen[e] = {"descriptions": have, "MajorEngineVersion": v.get("MajorEngineVersion"),
                   "Status": v.get("Status"), "fields": sorted(v)}
    return ("descriptions-match" if match else "descriptions-differ"), json.dumps(seen, sort_keys=True)


@probe("rds-engine-version-listed")
def engine_version_listed(run):
    """DescribeDBEngineVersions of postgres 14.12 (the version cmek's tests name) without IncludeAll."""
    vs = run.vendor.rds.describe_db_engine_versions(Engine="postgres", EngineVersion="14.12")["DBEngineVersions"]
    detail = "postgres 14.12: " + (", ".join(f"{v.get('EngineVersion')} {v.get('Status')} "
                                               f"({v.get('DBParameterGroupFamily')})" for v in vs) or "not listed")
    return ("listed" if any(v.get("EngineVersion") == "14.12" for v in vs) else "not-listed"), detail


@probe("rds-describe-engine-versions-invalid-value")
def describe_engine_versions_invalid(run):
    c, r = outcome(run.vendor.rds.describe_db_engine_versions, Engine="postgres", MaxRecords=19)
    if c is None:
        return "accepted", f"MaxRecords 19 answered {len(r['DBEngineVersions'])} versions"
    return c, f"DescribeDBEngineVersions MaxRecords 19: {c} {message_of(r)}"
