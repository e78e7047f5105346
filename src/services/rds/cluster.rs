//! The tenant database as an Aurora PostgreSQL DB cluster (`[database] engine =
//! "aurora-postgresql"`): reading it, and its change. "To use a KMS key in a different Amazon Web
//! Services account, specify the key ARN or alias ARN" (RDS API reference, CreateDBCluster,
//! `KmsKeyId`, checked 2026-12-02; cmek passes the key ARN), and "Once you have created an encrypted DB cluster, you can't change the KMS
//! key used by that DB cluster" (Aurora user guide, "Encrypting Amazon Aurora resources"). A
//! cluster on another key (or none: "you can restore an unencrypted snapshot to an encrypted
//! Aurora DB cluster. To do this, specify a KMS key when you restore from the unencrypted
//! snapshot", same page) is snapshotted and restored as a new cluster with `KmsKeyId` = the key
//! (`--migrate-database`), or the plan is blocked. Since 2026-02-18 a new cluster created without
//! a key is encrypted with an AWS owned key (same page): it reports no `KmsKeyId`, and counts as
//! an AWS managed key here.

use super::observe::DatabaseState;
use super::plan::{plan_lifecycle, Lifecycle};
use super::quotas;
use crate::error::AwsError;
use crate::shared::ids::NoteId;
use crate::shared::quota::pace;
use crate::shared::steps::{Change, ClusterStep, Kind, PlanOptions, Step};
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// The tenant's database: a DB instance, or the Aurora DB cluster when the environment's engine is
/// Aurora's.
pub async fn observe_database(
    c: &crate::aws::Clients,
    t: &Tenancy,
    identifier: &str,
) -> Result<DatabaseState, AwsError> {
    if t.env.database.as_ref().is_some_and(|d| d.is_cluster()) {
        return describe_cluster(c, t.ep(), identifier).await;
    }
    super::observe::describe_instance(c, t.ep(), identifier).await
}

/// A database of the other kind under the same identifier: a DB instance when the environment's
/// engine is Aurora's, an Aurora cluster otherwise. It holds tenant data the environment no longer
/// names (an engine changed in the environment file), so it is reported and blocks `enable`.
pub async fn other_kind(
    c: &crate::aws::Clients,
    t: &Tenancy,
    identifier: &str,
) -> Result<Option<DatabaseState>, AwsError> {
    let db = if t.env.database.as_ref().is_some_and(|d| d.is_cluster()) {
        super::observe::describe_instance(c, t.ep(), identifier).await?
    } else {
        describe_cluster(c, t.ep(), identifier).await?
    };
    Ok(db.exists.then_some(db))
}

/// The fleet view's databases: DB instances a hundred to a call, or Aurora clusters one each.
pub async fn observe_many(
    c: &crate::aws::Clients,
    ep: Option<&str>,
    ids: &[String],
    cluster: bool,
) -> std::collections::HashMap<String, Result<DatabaseState, AwsError>> {
    if cluster {
        observe_clusters(c, ep, ids).await
    } else {
        super::observe_databases(c, ep, ids).await
    }
}

/// Several Aurora clusters (the fleet view), four at a time, each call paced within RDS's quota:
/// one DescribeDBClusters per cluster.
pub async fn observe_clusters(
    c: &crate::aws::Clients,
    ep: Option<&str>,
    ids: &[String],
) -> std::collections::HashMap<String, Result<DatabaseState, AwsError>> {
    use futures_util::stream::{self, StreamExt};
    stream::iter(ids.iter().cloned())
        .map(|id| async move {
            let r = describe_cluster(c, ep, &id).await;
            (id, r)
        })
        .buffer_unordered(4)
        .collect()
        .await
}

/// DescribeDBClusters for one identifier; a cluster that is not there is missing, not an error.
pub(super) async fn describe_cluster(
    c: &crate::aws::Clients,
    ep: Option<&str>,
    identifier: &str,
) -> Result<DatabaseState, AwsError> {
    pace(&quotas::RDS_API).await;
    let out = match c
        .rds
        .describe_db_clusters()
        .db_cluster_identifier(identifier)
        .send()
        .await
    {
        Ok(o) => o,
        Err(e) => {
            let e = err("rds", "DescribeDBClusters", ep)(e);
            if e.is("DBClusterNotFoundFault") || e.is("DBClusterNotFound") {
                return Ok(missing(identifier));
            }
            return Err(e);
        }
    };
    let Some(cl) = out.db_clusters().first() else {
        return Ok(missing(identifier));
    };
    let mut members: Vec<(bool, String)> = cl
        .db_cluster_members()
        .iter()
        .filter_map(|m| {
            Some((
                m.is_cluster_writer() != Some(true),
                m.db_instance_identifier()?.to_string(),
            ))
        })
        .collect();
    members.sort();
    Ok(DatabaseState {
        identifier: cl.db_cluster_identifier().unwrap_or(identifier).to_string(),
        exists: true,
        status: cl.status().unwrap_or_default().to_string(),
        encryption: cluster_encryption(
            cl.storage_encrypted(),
            cl.kms_key_id(),
            cl.storage_encryption_type().map(|t| t.as_str()),
        ),
        secret_encryption: cl
            .master_user_secret()
            .map(|s| Encryption::kms(s.kms_key_id())),
        insights_encryption: None,
        arn: cl.db_cluster_arn().unwrap_or_default().to_string(),
        tags: cl
            .tag_list()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_string(),
                    t.value().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        cluster: true,
        members: members.into_iter().map(|(_, id)| id).collect(),
        engine_version: None,
        parameter_group: None,
        log_exports: vec![],
    })
}

/// A cluster's (or cluster snapshot's) encryption: "If the DB cluster is encrypted with an Amazon
/// Web Services owned key, this value [StorageEncrypted] is false and StorageEncryptionType is
/// sse-rds" (RDS API reference, DBCluster, checked 2026-12-02): that is an AWS owned key, not "no
/// encryption".
pub(super) fn cluster_encryption(
    encrypted: Option<bool>,
    key: Option<&str>,
    kind: Option<&str>,
) -> Encryption {
    match (encrypted, kind) {
        (_, Some("sse-rds")) => Encryption::AwsManaged,
        (Some(true), _) => Encryption::kms(key),
        _ => Encryption::None,
    }
}

fn missing(identifier: &str) -> DatabaseState {
    DatabaseState {
        cluster: true,
        ..DatabaseState::missing(identifier)
    }
}

/// The identifiers of the DB instances the environment asks the cluster `cluster` to have:
/// `<cluster>-1` (the writer), `<cluster>-2`, ...
pub(super) fn instance_ids(t: &Tenancy, cluster: &str) -> Vec<String> {
    let n = t.env.database.as_ref().map_or(1, |d| d.instances);
    (1..=n).map(|i| format!("{cluster}-{i}")).collect()
}

const FIXED: &str = "an Aurora DB cluster's key is fixed for its lifetime: it can never be changed, only migrated to a new cluster";

/// The cluster's change: create it under the key with its instances; keep one on the key (tags,
/// missing instances); migrate (on request) or block one on another key ([`plan_lifecycle`]).
pub fn plan_cluster(
    t: &Tenancy,
    db: &DatabaseState,
    migrated: Option<&DatabaseState>,
    opts: PlanOptions,
) -> Change {
    let steps = |s: &[ClusterStep]| s.iter().map(|&s| Step::from(s)).collect();
    let l = Lifecycle {
        kind: Kind::RdsCluster,
        noun: "cluster",
        fixed: FIXED,
        create: steps(&[
            ClusterStep::CreateCluster,
            ClusterStep::CreateClusterInstances,
            ClusterStep::WaitCluster,
        ]),
        migrate: steps(&[
            ClusterStep::SnapshotCluster,
            ClusterStep::RestoreCluster,
            ClusterStep::CreateClusterInstances,
            ClusterStep::WaitCluster,
            ClusterStep::ManageClusterSecret,
        ]),
        how: "restore the snapshot under the key",
        does: "restores the snapshot under the key",
        who: "Aurora",
        existing: existing_cluster,
    };
    plan_lifecycle(t, db, migrated, opts, l)
}

/// A cluster on the key: wait for it, tag it, add the instances the environment asks for.
fn existing_cluster(t: &Tenancy, db: &DatabaseState, opts: PlanOptions) -> Change {
    let mut c = Change::new("database", Kind::RdsCluster, &db.identifier);
    let mut why = vec![];
    let missing: Vec<String> = instance_ids(t, &db.identifier)
        .into_iter()
        .filter(|i| !db.members.contains(i))
        .collect();
    if !missing.is_empty() {
        c.step(ClusterStep::CreateClusterInstances);
        why.push(format!("instances missing: {}", missing.join(", ")));
    }
    if !missing.is_empty() || matches!(db.status.as_str(), "creating" | "backing-up" | "modifying")
    {
        c.step(ClusterStep::WaitCluster);
        if missing.is_empty() {
            why.push(format!("the cluster is {}", db.status));
        }
    }
    if t.tags_missing(&db.tags) {
        c.step(ClusterStep::TagCluster);
        why.push("tags missing".into());
    }
    if db.secret_encryption.is_none() && super::is_migration_target(t, &db.identifier) {
        if opts.migrate_database {
            c.step(ClusterStep::ManageClusterSecret);
            why.push("the restored cluster has no AWS-managed master password secret".into());
        } else {
            c.note(NoteId::RdsSecretKey, super::plan::NO_SECRET);
        }
    }
    if let Some(e) = &db.secret_encryption {
        if !e.is_key(&t.key) {
            c.note(
                NoteId::RdsSecretKey,
                format!(
                    "the master password secret is under {}; RDS cannot change the key of a secret it manages",
                    e.described()
                ),
            );
        }
    }
    c.settle(false, why)
}
