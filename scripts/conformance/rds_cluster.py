"""Aurora probes (R25): Aurora PostgreSQL clusters in the vendor (Speedscale) account under customer
keys named by ARN, as cmek makes them (one day of backups, the smallest burstable class for their
instances, db.t4g.medium), deleted without a final snapshot. One cluster is shared: "main" (storage
and master password secret under a customer key, one instance, a manual snapshot that a restore
uses); the probes that disable its key run last."""

import secrets
import time

from . import NotObserved, probe
from .rds import INACCESSIBLE, TERMINAL_STATE, rds_key
from .run import outcome

CLASS = "db.t4g.medium"


def create_cluster(run, suffix, **kw):
    """CreateDBCluster (journaled first). Returns (id, error code or None)."""
    ident = run.name(suffix)[:63]
    params = dict(DBClusterIdentifier=ident, Engine="aurora-postgresql", MasterUsername="cmekprobe",
                  BackupRetentionPeriod=1, DeletionProtection=False, Tags=run.tags())
    if not kw.get("ManageMasterUserPassword"):
        params["MasterUserPassword"] = secrets.token_hex(12)
    params.update(kw)
    res = run.intend("rds-cluster", run.vendor, ident)
    c, _ = outcome(run.vendor.rds.create_db_cluster, **params)
    if not c:
        run.created(res)
    return ident, c


def describe_cluster(run, ident):
    return run.vendor.rds.describe_db_clusters(DBClusterIdentifier=ident)["DBClusters"][0]


def wait_cluster(run, ident, statuses=("available",), what=None):
    return run.wait_for(lambda: (lambda d: d if d["Status"] in statuses else None)(describe_cluster(run, ident)),
                        what or f"{ident} {' or '.join(statuses)}")


def add_instance(run, cluster, suffix):
    """CreateDBInstance into the cluster (journaled first). Returns (id, error code or None)."""
    ident = run.name(suffix)[:63]
    res = run.intend("rds-cluster-instance", run.vendor, ident)
    c, _ = outcome(run.vendor.rds.create_db_instance, DBInstanceIdentifier=ident, DBClusterIdentifier=cluster,
                   Engine="aurora-postgresql", DBInstanceClass=CLASS, Tags=run.tags())
    if not c:
        run.created(res)
    return ident, c


def instance_status(run, ident):
    return run.vendor.rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]["DBInstanceStatus"]


def cluster_snapshot(run, cluster, suffix):
    sid = run.name(suffix)[:63]
    res = run.intend("rds-cluster-snapshot", run.vendor, sid)
    run.vendor.rds.create_db_cluster_snapshot(DBClusterIdentifier=cluster, DBClusterSnapshotIdentifier=sid,
                                              Tags=run.tags())
    run.created(res)
    wait_snapshot(run, sid)
    return sid


def wait_snapshot(run, sid):
    return run.wait_for(lambda: (lambda s: s if s["Status"] in ("available", "failed") else None)(
        run.vendor.rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=sid)["DBClusterSnapshots"][0]),
        f"cluster snapshot {sid} available")


def main_cluster(run):
    def build():
        key = rds_key(run, "r25-main")
        ident, c = create_cluster(run, "r25-main", StorageEncrypted=True, KmsKeyId=key, ManageMasterUserPassword=True,
                                  MasterUserSecretKmsKeyId=key)
        if c:
            raise RuntimeError(f"CreateDBCluster (storage and secret under a customer key): {c}")
        wait_cluster(run, ident)
        inst, c = add_instance(run, ident, "r25-main-1")
        if c:
            raise RuntimeError(f"CreateDBInstance into the cluster: {c}")
        run.wait_for(lambda: instance_status(run, inst) == "available", f"{inst} available")
        return {"id": ident, "key": key, "instance": inst}
    return run.fixture("aurora-main", build)


def restored(run):
    """The main cluster's snapshot restored (no KmsKeyId), and CreateDBInstance into it at once."""
    def build():
        m = main_cluster(run)
        sid = cluster_snapshot(run, m["id"], "r25-main-snap")
        ident = run.name("r25-restored")[:63]
        res = run.intend("rds-cluster", run.vendor, ident)
        run.vendor.rds.restore_db_cluster_from_snapshot(DBClusterIdentifier=ident, SnapshotIdentifier=sid,
                                                        Engine="aurora-postgresql", Tags=run.tags())
        run.created(res)
        _, c = add_instance(run, ident, "r25-restored-1")  # at once: the cluster is still being restored
        status = describe_cluster(run, ident)["Status"]
        return {"id": ident, "status": status, "instance_code": c}
    return run.fixture("aurora-restored", build)


def main_inaccessible(run, m):
    """The main cluster's key disabled (once) and the cluster inaccessible (NotObserved at once when an
    earlier probe already waited in vain)."""
    if "aurora-main-disabled" not in run.fixtures:
        run.customer.kms.disable_key(KeyId=m["key"])
        run.fixtures["aurora-main-disabled"] = time.monotonic()
    if run.fixtures.get("aurora-main-inaccessible") is False:
        raise NotObserved(f"the main cluster did not become {INACCESSIBLE}")
    try:
        wait_cluster(run, m["id"], (INACCESSIBLE, TERMINAL_STATE), "the cluster inaccessible after DisableKey")
    except NotObserved:
        run.fixtures["aurora-main-inaccessible"] = False
        raise
    run.fixtures["aurora-main-inaccessible"] = True


@probe("aurora-kms-key-id-arn", cost="hours")
def kms_key_id_arn(run):
    """A cluster created under the customer key's alias ARN: which KmsKeyId does DescribeDBClusters report?"""
    key = rds_key(run, "r25-alias")
    kms = run.customer.kms
    alias = f"alias/{run.name('r25')}"
    kms.create_alias(AliasName=alias, TargetKeyId=key)
    try:
        alias_arn = f"arn:aws:kms:{run.region}:{run.customer.id}:{alias}"
        ident, c = create_cluster(run, "r25-alias", StorageEncrypted=True, KmsKeyId=alias_arn)
        if c:
            raise RuntimeError(f"CreateDBCluster under an alias ARN: {c}")
        got = describe_cluster(run, ident).get("KmsKeyId")
    finally:
        kms.delete_alias(AliasName=alias)
    detail = f"KmsKeyId {got} for a cluster created under {alias_arn}"
    if got == key:
        return "key-arn", detail
    return ("as-given" if got == alias_arn else "other"), detail


@probe("aurora-other-account-key-id-error", cost="minutes")
def other_account_key_id(run):
    key = rds_key(run, "r25-keyid")
    key_id = key.split("/")[-1]
    _, c = create_cluster(run, "r25-keyid", StorageEncrypted=True, KmsKeyId=key_id)
    if c is None:
        return "accepted", f"CreateDBCluster accepted the customer key's bare id {key_id} (cluster deleted)"
    return c, f"CreateDBCluster with another account's key by key id: {c}"


@probe("aurora-secret-key-change-error", cost="hours")
def secret_key_change(run):
    m = main_cluster(run)
    other = rds_key(run, "r25-other")
    c, _ = outcome(run.vendor.rds.modify_db_cluster, DBClusterIdentifier=m["id"], ManageMasterUserPassword=True,
                   MasterUserSecretKmsKeyId=other, ApplyImmediately=True)
    if c is None:
        time.sleep(0.5 if run.endpoint else 10)
        wait_cluster(run, m["id"])
        return "accepted", "ModifyDBCluster changed the managed secret's key"
    return c, f"ModifyDBCluster with another key for the managed secret: {c}"


@probe("aurora-restore-instance-before-available", cost="hours")
def restore_instance_early(run):
    r = restored(run)
    c = r["instance_code"]
    return (c or "accepted"), f"CreateDBInstance into the restored cluster (just restored; then {r['status']}): {c or 'accepted'}"


@probe("aurora-restore-managed-secret", cost="hours")
def restore_secret(run):
    r = restored(run)
    d = wait_cluster(run, r["id"])
    secret = d.get("MasterUserSecret")
    detail = f"restored from a cluster with a managed secret: MasterUserSecret {secret}"
    return ("carried" if secret else "not-carried"), detail


@probe("aurora-copy-unencrypted-with-key", cost="hours")
def copy_unencrypted(run):
    """A cluster created without StorageEncrypted (an AWS owned key, sse-rds), its snapshot copied with
    a customer key."""
    ident, c = create_cluster(run, "r25-plain")
    if c:
        raise RuntimeError(f"CreateDBCluster (no StorageEncrypted): {c}")
    wait_cluster(run, ident)
    sid = cluster_snapshot(run, ident, "r25-plain-snap")
    key = rds_key(run, "r25-copy")
    target = run.name("r25-plain-copy")[:63]
    res = run.intend("rds-cluster-snapshot", run.vendor, target)
    c, _ = outcome(run.vendor.rds.copy_db_cluster_snapshot, SourceDBClusterSnapshotIdentifier=sid,
                   TargetDBClusterSnapshotIdentifier=target, KmsKeyId=key, Tags=run.tags())
    if c:
        return c, f"CopyDBClusterSnapshot of an unencrypted cluster snapshot with KmsKeyId: {c}"
    run.created(res)
    s = wait_snapshot(run, target)
    detail = f"the copy: StorageEncrypted {s.get('StorageEncrypted')}, KmsKeyId {s.get('KmsKeyId')}"
    return ("encrypted" if s.get("StorageEncrypted") and s.get("KmsKeyId") == key else "unencrypted-copy"), detail


@probe("aurora-instance-automated-backup", cost="hours")
def instance_backup(run):
    m = main_cluster(run)
    rds = run.vendor.rds
    c, got = outcome(rds.describe_db_instance_automated_backups, DBInstanceIdentifier=m["instance"])
    listed = [] if c else [b["DbiResourceId"] for b in got["DBInstanceAutomatedBackups"]]
    snaps = [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(
        DBInstanceIdentifier=m["instance"], SnapshotType="automated")["DBSnapshots"]]
    detail = f"the cluster's instance: automated backups {c or listed}, system DB snapshots {snaps}"
    return ("none" if not listed and not snaps else "listed"), detail


@probe("aurora-grant-revoked-inaccessible", cost="hours")
def grant_revoked(run):
    """The customer revokes RDS's grants on a cluster's (enabled) key."""
    key = rds_key(run, "r25-b")
    ident, c = create_cluster(run, "r25-b", StorageEncrypted=True, KmsKeyId=key)
    if c:
        raise RuntimeError(f"CreateDBCluster: {c}")
    wait_cluster(run, ident)
    kms = run.customer.kms
    grants = [g for page in kms.get_paginator("list_grants").paginate(KeyId=key) for g in page["Grants"]
              if "rds" in (g.get("GranteePrincipal") or "") and not (g.get("Name") or "").startswith(run.name(""))]
    if not grants:
        raise RuntimeError(f"no RDS grant on {key}")
    for g in grants:
        kms.revoke_grant(KeyId=key, GrantId=g["GrantId"])
    try:
        wait_cluster(run, ident, (INACCESSIBLE,), "the cluster inaccessible after its grant was revoked")
        return "inaccessible", f"{len(grants)} grant(s) revoked; the cluster became {INACCESSIBLE}"
    except NotObserved:
        status = describe_cluster(run, ident)["Status"]
        return "no-effect", f"{len(grants)} grant(s) revoked; the cluster stayed {status} for {run.max_wait:g} s"


@probe("aurora-instances-follow-cluster", cost="hours")
def instances_follow(run):
    m = main_cluster(run)
    main_inaccessible(run, m)
    cluster = describe_cluster(run, m["id"])["Status"]
    inst = instance_status(run, m["instance"])
    detail = f"after DisableKey: cluster {cluster}, its instance {inst}"
    return ("same-as-cluster" if inst == cluster else f"instance={inst}"), detail


@probe("aurora-start-unusable-key", cost="hours")
def start_unusable(run):
    m = main_cluster(run)
    main_inaccessible(run, m)
    status = describe_cluster(run, m["id"])["Status"]
    c, _ = outcome(run.vendor.rds.start_db_cluster, DBClusterIdentifier=m["id"])
    return (c or "started"), f"StartDBCluster while the key is disabled (cluster {status}): {c or 'accepted'}"
