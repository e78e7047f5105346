"""Aurora DB clusters as AWS documents them (R25), called from rds.py's hooks: clusters, their
instances and cluster snapshots take time; a cluster's storage key is checked through rds.<region>,
held by RDS's grant and reported as the key ARN (moto_patches: moto keeps what it was given); the master password
secret is Secrets Manager's use of its key, as for instances (R12); a cluster whose key is disabled
(or whose grant is revoked) becomes inaccessible, and its instances with it; its key never
changes, a restore or a snapshot copy may name another."""

import re
import time
import urllib.parse

from core import CONFIG, PENDING, AwsError, setting
from kms import find_key, key_unusable, parse_key_ref, service_key_check

CLUSTER_OPS = {"CreateDBCluster", "RestoreDBClusterFromSnapshot", "ModifyDBCluster", "StartDBCluster",
               "CreateDBClusterSnapshot", "CopyDBClusterSnapshot", "DescribeDBClusters",
               "DescribeDBClusterSnapshots", "DescribeDBClusterSnapshotAttributes", "DeleteDBCluster"}
RECOVERABLE, TERMINAL = "inaccessible-encryption-credentials-recoverable", "inaccessible-encryption-credentials"
SEEN = {}  # R25: (account, region, cluster id) -> when the layer first saw its key unusable (or grant gone)
RECOVERABLE_SINCE = {}  # R25: (account, region, cluster id) -> when it became ...-recoverable
RESTORED = set()  # R25: (account, region, cluster id) of clusters made by RestoreDBClusterFromSnapshot


def _backend(account, region):
    from rds import rds_backend
    return rds_backend(account, region)


def key_fault(ref, problem):
    """R25 (as R12): RDS's answer to a key it may not use."""
    hint = "" if ref.startswith("arn:") else " To use a KMS key in a different AWS account, specify the key ARN or alias ARN."
    return AwsError(400, "KMSKeyNotAccessibleFault",
                    f"The specified KMS key [{ref}] does not exist, is not enabled or you do not have permissions to "
                    f"access it. ({problem[0]}: {problem[1]}){hint}")


def key_arn(ref, account, region):
    """The ARN of the key a KmsKeyId names (a key id or alias name in the caller's account)."""
    owner, kregion, kref = parse_key_ref(ref, account, region)
    key = find_key(owner, kregion, kref)
    return key.arn if key is not None else ref


def without(body, *names):
    """A Query body without the named parameters."""
    pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
    return urllib.parse.urlencode([(k, v) for k, v in pairs if k not in names]).encode()


def snapshot_of(backend, ident):
    if ident and ident.startswith("arn:"):
        ident = ident.split(":", 6)[-1]
    return backend.cluster_snapshots.get((ident or "").lower())


def secret_plan(call, cluster):
    """R25 (as R12): the master password secret a call creates, named before moto sees it (a harness
    name after AWS's example rds!cluster-<uuid>), or the cluster's existing secret."""
    from rds import secret_plan as instance_plan
    existing = getattr(cluster, "master_user_secret", None) if cluster is not None else None
    if existing is not None:
        return {"arn": existing.secret_arn, "version": existing.secret.default_version_id}
    if call.form.get("ManageMasterUserPassword") != "true":
        return None
    plan = instance_plan(call)
    plan["name"] = plan["name"].replace("rds!db-", "rds!cluster-", 1)
    plan["arn"] = f"arn:aws:secretsmanager:{call.region}:{call.account}:secret:{plan['name']}-{plan['suffix']}"
    return plan


def check_keys(call, plan):
    """R25: the storage key through rds.<region> (DescribeKey, CreateGrant), the secret's key as
    Secrets Manager's own use plus CreateGrant (R12's checks, switches included)."""
    from rds import secret_grant_context, secret_key_uses
    form = call.form
    grant_via = "secretsmanager" if setting("secret_grant_via_secretsmanager", call.account) else "rds"
    uses = [("KmsKeyId", "rds", ("DescribeKey", "CreateGrant"), None)]
    if form.get("ManageMasterUserPassword") == "true":
        uses += [("MasterUserSecretKmsKeyId", "secretsmanager", actions, context)
                 for actions, context in secret_key_uses(call, plan)]
        uses += [("MasterUserSecretKmsKeyId", grant_via, ("CreateGrant",), secret_grant_context(call, plan))]
    for field, service, actions, context in uses:
        ref = form.get(field)
        if ref:
            problem = service_key_check(call, ref, service, actions, encryption_context=context)
            if problem:
                raise key_fault(ref, problem)


def cluster_before(call):
    """R25 before a cluster call (raise AwsError to refuse it); returns the body for moto."""
    import rds
    op, form, body = call.operation, call.form, call.body
    backend = _backend(call.account, call.region)
    cid = (form.get("DBClusterIdentifier") or "").lower()
    cluster = backend.clusters.get(cid) if cid else None
    cluster_settle(call.account, call.region)
    if op == "CreateDBCluster":
        from rds_params import with_default_version
        body = with_default_version(call, body, "aurora-postgresql")  # R31: the engine's default version
        plan = secret_plan(call, None)
        check_keys(call, plan)
        rds.NEXT_SECRET.plan = plan
    elif op == "RestoreDBClusterFromSnapshot":
        snap = snapshot_of(backend, form.get("SnapshotIdentifier"))
        if form.get("KmsKeyId"):
            check_keys(call, None)
        elif snap is not None and snap.encrypted and snap.kms_key_id:
            # R25: without KmsKeyId the restore uses the snapshot's key, through rds.<region> too.
            problem = service_key_check(call, snap.kms_key_id, "rds")
            if problem:
                raise key_fault(snap.kms_key_id, problem)
    elif op == "CopyDBClusterSnapshot":
        snap = snapshot_of(backend, form.get("SourceDBClusterSnapshotIdentifier"))
        if form.get("KmsKeyId"):
            if snap is not None and not snap.encrypted and not setting("cluster_copy_unencrypted_with_key", call.account):
                # R25, unconfirmed (cluster_copy_unencrypted_with_key 0): the API reference's "an error is returned".
                raise AwsError(400, "InvalidParameterCombination",
                               "You can't specify a KMS key when copying an unencrypted DB cluster snapshot.")
            check_keys(call, None)
    elif op == "ModifyDBCluster":
        # R25: ModifyDBCluster has no KmsKeyId (nor StorageEncrypted): the key never changes (moto would set it).
        body = without(body, "KmsKeyId", "StorageEncrypted")
        if form.get("ManageMasterUserPassword") == "true" and cluster is not None:
            secret = getattr(cluster, "master_user_secret", None)
            wanted = form.get("MasterUserSecretKmsKeyId")
            if secret is not None:
                if wanted and key_arn(wanted, call.account, call.region) != secret.kms_key_id:
                    # R25: "you can't change the KMS key that is used to encrypt the secret" (error code unconfirmed).
                    raise AwsError(400, "InvalidParameterCombination",
                                   "The DB cluster already manages the master user password in AWS Secrets Manager; "
                                   "you can't change the KMS key that is used to encrypt the secret.")
                # Already managed under that key: nothing to change (moto would make a new secret).
                body = without(body, "ManageMasterUserPassword", "MasterUserSecretKmsKeyId")
            else:
                plan = secret_plan(call, None)
                check_keys(call, plan)
                rds.NEXT_SECRET.plan = plan
                call.cluster_secret_change = True
    elif op == "StartDBCluster" and cluster is not None and cluster.status == RECOVERABLE:
        # R25: "To recover the DB cluster, enable the KMS key and restart this DB cluster."
        ident = (call.account, call.region, cid)
        if key_unusable(cluster.kms_key_id, call.account, call.region) or grant_revoked(ident):
            # R25, unconfirmed (aurora-start-unusable-key).
            raise AwsError(400, "KMSKeyNotAccessibleFault", "The DB cluster's KMS key is not accessible.")
        cluster.status = "stopped"  # moto starts a stopped cluster
        SEEN.pop(ident, None)
        RECOVERABLE_SINCE.pop(ident, None)
        for member in members(backend, cid):
            member.status = "available"
    return body


def cluster_instance_check(call):
    """R25: CreateDBInstance into a restored cluster that is not available yet is refused ("You can
    create DB instances only after the RestoreDBClusterFromSnapshot operation has completed and the DB
    cluster is available."; InvalidDBClusterStateFault is unconfirmed)."""
    cid = (call.form.get("DBClusterIdentifier") or "").lower()
    if not cid:
        return
    cluster_settle(call.account, call.region)
    cluster = _backend(call.account, call.region).clusters.get(cid)
    if cluster is not None and (call.account, call.region, cid) in RESTORED and cluster.status != "available":
        raise AwsError(400, "InvalidDBClusterStateFault",
                       f"DB cluster {cid} is {cluster.status}: instances can be created in a restored DB cluster "
                       "only once it is available.")


def cluster_after(call, status, out):
    """R25 after a cluster call; returns the response body."""
    import rds
    if status >= 300:
        return out
    op, form, now = call.operation, call.form, time.time()
    backend = _backend(call.account, call.region)
    cid = (form.get("DBClusterIdentifier") or "").lower()
    if op in ("CreateDBCluster", "RestoreDBClusterFromSnapshot"):
        cluster = backend.clusters.get(cid)
        if cluster is not None:
            ready = now + CONFIG["rds_create"]
            cluster.status = "creating"
            PENDING[("rds-cluster", call.account, call.region, cid)] = ready
            for name, snap in backend.cluster_snapshots.items():
                if snap.snapshot_type == "automated" and snap.db_cluster_identifier == cid:
                    snap.status = "creating"  # its first automated snapshot is there once the cluster is
                    PENDING[("rds-cluster-snap", call.account, call.region, name)] = ready
            if op == "RestoreDBClusterFromSnapshot":
                RESTORED.add((call.account, call.region, cid))
            rds.rds_grant(call, "cluster", cid, cluster.kms_key_id)
    elif op == "ModifyDBCluster" and getattr(call, "cluster_secret_change", False):
        cluster = backend.clusters.get(cid)
        if cluster is not None:
            # R25: "modifying" while the change is applied, then available.
            cluster.status = "modifying"
            PENDING[("rds-cluster", call.account, call.region, cid)] = now + CONFIG["rds_modify"]
    elif op == "DeleteDBCluster":
        RESTORED.discard((call.account, call.region, cid))
        if form.get("DeleteAutomatedBackups", "true").lower() != "false":
            # R25: "When you delete a DB cluster, all automated backups for that DB cluster are deleted" (moto
            # keeps its automated cluster snapshots).
            for name in [n for n, s in backend.cluster_snapshots.items()
                         if s.snapshot_type == "automated" and s.db_cluster_identifier == cid]:
                del backend.cluster_snapshots[name]
    elif op in ("CreateDBClusterSnapshot", "CopyDBClusterSnapshot"):
        name = (form.get("DBClusterSnapshotIdentifier") or form.get("TargetDBClusterSnapshotIdentifier") or "").lower()
        snap = backend.cluster_snapshots.get(name)
        if snap is not None:
            # R25: a snapshot is "creating", a copy "copying", then available.
            snap.status = "creating" if op == "CreateDBClusterSnapshot" else "copying"
            PENDING[("rds-cluster-snap", call.account, call.region, name)] = now + CONFIG["rds_snapshot"]
            out = re.sub(rb"<Status>available</Status>", f"<Status>{snap.status}</Status>".encode(), out, count=1)
            if op == "CopyDBClusterSnapshot":
                rds.rds_grant(call, "cluster-snapshot", name, snap.kms_key_id)
    return with_encryption_type(out)


def restored_secret(backend, cluster, snapshot_id):
    """R25, unconfirmed (cluster_restore_secret), called by moto_patches inside moto's restore: a
    restored cluster has no managed master password secret (0, the default: RestoreDBClusterFromSnapshot
    takes no ManageMasterUserPassword, and "The target DB cluster is created from the source snapshot
    with a default configuration"), or one under the source's secret key (1). Moto makes one under the
    default key, from the source's settings."""
    from moto.rds.models import MasterUserSecret
    made = getattr(cluster, "master_user_secret", None)
    if made is not None:
        made.delete_secret()
        del cluster.master_user_secret
    cluster.manage_master_user_password = False
    snap = snapshot_of(backend, snapshot_id)
    source = getattr(snap.cluster, "master_user_secret", None) if snap is not None else None
    if source is not None and setting("cluster_restore_secret", backend.account_id):
        cluster.master_user_secret = MasterUserSecret(cluster, source.kms_key_id)
        cluster.manage_master_user_password = True


def members(backend, cid):
    return [db for db in backend.databases.values() if getattr(db, "db_cluster_identifier", None) == cid]


def grant_revoked(ident):
    """R25, unconfirmed (cluster_grant_revoked_inaccessible 1, the default, of the cluster's account):
    the cluster's RDS grant is gone while its key may still be enabled."""
    from rds import RDS_GRANTS
    account, region, cid = ident
    held = RDS_GRANTS.get((account, region, "cluster", cid))
    if held is None or not setting("cluster_grant_revoked_inaccessible", account):
        return False
    key = find_key(held[0], held[1], held[2])
    return key is not None and held[3] not in key.grants


def cluster_settle(account, region):
    """R25: pending transitions of the region's clusters and cluster snapshots, and what a lost key does."""
    backend = _backend(account, region)
    now = time.time()
    for k in [k for k in PENDING if k[0] in ("rds-cluster", "rds-cluster-snap") and k[1:3] == (account, region)]:
        if now >= PENDING[k]:
            del PENDING[k]
            target = (backend.clusters if k[0] == "rds-cluster" else backend.cluster_snapshots).get(k[3])
            if target is not None:
                target.status = "available"
    for cid, cluster in list(backend.clusters.items()):
        ident = (account, region, cid)
        if cluster.storage_encrypted and cluster.kms_key_id and cluster.status not in ("creating", TERMINAL):
            settle_key_loss(cluster, ident, now)
        if cluster.status in (RECOVERABLE, TERMINAL):
            follow(backend, cid, cluster.status)


def settle_key_loss(cluster, ident, now):
    account, region, _ = ident
    if cluster.status == RECOVERABLE:
        # R25: "If the DB cluster isn't recovered within seven days, it goes into the terminal
        # inaccessible-encryption-credentials state." (rds_terminal seconds)
        if now - RECOVERABLE_SINCE.setdefault(ident, now) >= CONFIG["rds_terminal"]:
            cluster.status = TERMINAL
            RECOVERABLE_SINCE.pop(ident, None)
    elif key_unusable(cluster.kms_key_id, account, region) or grant_revoked(ident):
        # R25: "Amazon Aurora can lose access to the KMS key for a DB cluster when you disable the KMS
        # key." (rds_inaccessible seconds stand for RDS noticing, as for instances)
        if now - SEEN.setdefault(ident, now) >= CONFIG["rds_inaccessible"]:
            cluster.status = RECOVERABLE
            RECOVERABLE_SINCE[ident] = now
            SEEN.pop(ident, None)
    else:
        SEEN.pop(ident, None)


def follow(backend, cid, status):
    """R25, unconfirmed (aurora-instances-follow-cluster): the cluster's instances take its state."""
    for member in members(backend, cid):
        member.status = status


def instances_body(call, body):
    """R25: DescribeDBInstances' db-cluster-id filter "Accepts DB cluster identifiers and DB cluster
    Amazon Resource Names (ARNs)"; moto matches identifiers only, so ARNs become identifiers."""
    if b"db-cluster-id" not in body:
        return body
    form = call.form
    names = [k[:-len(".Name")] for k, v in form.items() if k.endswith(".Name") and v == "db-cluster-id"]
    pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
    out = []
    for k, v in pairs:
        if any(k.startswith(n + ".Values.") for n in names) and v.startswith("arn:") and ":cluster:" in v:
            v = v.split(":cluster:", 1)[1]
        out.append((k, v))
    return urllib.parse.urlencode(out).encode()


BLOCK = re.compile(rb"<(DBCluster|DBClusterSnapshot|DBInstance)>(.*?)</\1>", re.S)


def with_encryption_type(out):
    """R25: StorageEncryptionType beside StorageEncrypted on every DBCluster, DBClusterSnapshot and
    cluster DBInstance: sse-kms under a KMS key, else sse-rds (every cluster the layer makes is new:
    "encrypted by default with an AWS owned key"). Moto has no such field."""
    def add(m):
        tag, inner = m.group(1), m.group(2)
        if b"<StorageEncryptionType>" in inner or (tag == b"DBInstance" and b"<DBClusterIdentifier>" not in inner):
            return m.group(0)
        inner = re.sub(rb"<StorageEncrypted>(true|false)</StorageEncrypted>",
                       lambda s: s.group(0) + b"<StorageEncryptionType>" +
                       (b"sse-kms" if s.group(1) == b"true" else b"sse-rds") + b"</StorageEncryptionType>",
                       inner, count=1)
        return b"<" + tag + b">" + inner + b"</" + tag + b">"
    return BLOCK.sub(add, out) if b"<StorageEncrypted>" in out else out
