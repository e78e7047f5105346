"""Removing a run's Aurora resources (R25 probes): a cluster's instances, then the cluster (without a
final snapshot, its automated backups with it), and manual cluster snapshots. Idempotent, as
cleanup.py: a resource already gone or deleting counts as removed."""

import time

from botocore.exceptions import ClientError

from .run import code_of

GONE = {"DBClusterNotFoundFault", "DBClusterSnapshotNotFoundFault", "DBInstanceNotFound", "DBInstanceNotFoundFault"}
BUSY_CLUSTER = ("InvalidDBClusterStateFault", "InvalidDBInstanceState", "InvalidDBInstanceStateFault")


def _retry(run, fn, busy, wait):
    deadline = time.monotonic() + wait
    while True:
        try:
            return fn()
        except ClientError as e:
            if code_of(e) in GONE:
                return None
            if code_of(e) not in busy or time.monotonic() > deadline:
                raise
            time.sleep(0.2 if run.endpoint else 10)


def _status(fn, key, field):
    try:
        found = fn()[key]
    except ClientError as e:
        if code_of(e) in GONE:
            return None
        raise
    return found[0][field] if found else None


def _instance_status(acct, ident):
    return _status(lambda: acct.rds.describe_db_instances(DBInstanceIdentifier=ident), "DBInstances",
                   "DBInstanceStatus")


def _rm_cluster_instance(run, res, wait):
    acct = run.account(res["account"])
    if _instance_status(acct, res["id"]) in (None, "deleting"):
        return
    _retry(run, lambda: acct.rds.delete_db_instance(DBInstanceIdentifier=res["id"]), BUSY_CLUSTER, wait)


def _cluster_instance_present(run, res):
    return _instance_status(run.account(res["account"]), res["id"]) not in (None, "deleting")


def _cluster_status(acct, ident):
    return _status(lambda: acct.rds.describe_db_clusters(DBClusterIdentifier=ident), "DBClusters", "Status")


def _rm_cluster(run, res, wait):
    """Its instances first (they may still be deleting: DeleteDBCluster waits for them)."""
    acct = run.account(res["account"])
    try:
        cluster = acct.rds.describe_db_clusters(DBClusterIdentifier=res["id"])["DBClusters"][0]
    except ClientError as e:
        if code_of(e) in GONE:
            return
        raise
    if cluster["Status"] == "deleting":
        return
    for m in cluster.get("DBClusterMembers", []):
        _rm_cluster_instance(run, dict(res, id=m["DBInstanceIdentifier"]), wait)
    if cluster.get("DeletionProtection"):
        acct.rds.modify_db_cluster(DBClusterIdentifier=res["id"], DeletionProtection=False, ApplyImmediately=True)
    _retry(run, lambda: acct.rds.delete_db_cluster(DBClusterIdentifier=res["id"], SkipFinalSnapshot=True),
           BUSY_CLUSTER, wait)


def _cluster_present(run, res):
    return _cluster_status(run.account(res["account"]), res["id"]) not in (None, "deleting")


def _snapshot_status(acct, ident):
    return _status(lambda: acct.rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=ident),
                   "DBClusterSnapshots", "Status")


def _rm_cluster_snapshot(run, res, wait):
    acct = run.account(res["account"])
    if _snapshot_status(acct, res["id"]) in (None, "deleting"):
        return
    _retry(run, lambda: acct.rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=res["id"]),
           ("InvalidDBClusterSnapshotStateFault",), wait)


def _cluster_snapshot_present(run, res):
    return _snapshot_status(run.account(res["account"]), res["id"]) not in (None, "deleting")


REMOVE = {"rds-cluster-instance": _rm_cluster_instance, "rds-cluster": _rm_cluster,
          "rds-cluster-snapshot": _rm_cluster_snapshot}
PRESENT = {"rds-cluster-instance": _cluster_instance_present, "rds-cluster": _cluster_present,
           "rds-cluster-snapshot": _cluster_snapshot_present}
