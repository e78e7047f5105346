//! Applying an Aurora cluster's steps; each is idempotent (a cluster, instance or snapshot that
//! already exists counts as made). Creation puts the cluster's storage and its AWS-managed master
//! password secret under the key; its instances share the cluster's storage, and Performance
//! Insights (per instance) is under the key where the environment turns it on.

use super::cluster::{describe_cluster, instance_ids};
use super::keyed::{key_not_accessible, rds_tags, refused_key, source_database, stuck};
use super::{quotas, DatabaseState};
use crate::shared::poll::{self, Probe};
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, Change, ClusterStep, StepError, StepOutput};
use crate::shared::tenancy::{err, Encryption};

/// Carries out one step on the cluster `ch.resource`; `observed` is what was read before planning.
pub async fn apply_cluster(
    x: ApplyCtx<'_>,
    observed: &[&DatabaseState],
    ch: &Change,
    step: ClusterStep,
) -> StepOutput {
    let name = ch.resource.as_str();
    match step {
        ClusterStep::CreateCluster => create_cluster(x, name).await,
        ClusterStep::CreateClusterInstances => create_instances(x, name).await,
        ClusterStep::WaitCluster => wait_cluster(x, name, true).await,
        ClusterStep::TagCluster => {
            let Some(db) = observed.iter().find(|d| d.identifier == name && d.exists) else {
                return Err(fail(format!("{name} was not observed")));
            };
            pace(&quotas::RDS_API).await;
            x.c.rds
                .add_tags_to_resource()
                .resource_name(&db.arn)
                .set_tags(Some(rds_tags(x)))
                .send()
                .await
                .map_err(err("rds", "AddTagsToResource", x.ep()))?;
            Ok(None)
        }
        ClusterStep::SnapshotCluster => snapshot(x).await,
        ClusterStep::RestoreCluster => restore(x, name).await,
        ClusterStep::ManageClusterSecret => manage_secret(x, name).await,
    }
}

fn already(e: &crate::error::AwsError, what: &str) -> bool {
    e.is(&format!("{what}AlreadyExistsFault")) || e.is(&format!("{what}AlreadyExists"))
}

async fn create_cluster(x: ApplyCtx<'_>, identifier: &str) -> StepOutput {
    let Some(spec) = &x.t.env.database else {
        return Err(fail("the environment has no database"));
    };
    let key = x.t.key.as_str();
    pace(&quotas::RDS_API).await;
    let mut req =
        x.c.rds
            .create_db_cluster()
            .db_cluster_identifier(identifier)
            .engine(&spec.engine)
            .set_engine_version(spec.engine_version.clone())
            .storage_encrypted(true)
            .kms_key_id(key)
            .master_username(&spec.master_username)
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(key)
            .backup_retention_period(spec.backup_retention_days)
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .set_db_subnet_group_name(spec.subnet_group.clone())
            .set_tags(Some(rds_tags(x)));
    if !spec.security_groups.is_empty() {
        req = req.set_vpc_security_group_ids(Some(spec.security_groups.clone()));
    }
    match req.send().await {
        Ok(_) => Ok(None),
        Err(e) => {
            let e = err("rds", "CreateDBCluster", x.ep())(e);
            if already(&e, "DBCluster") {
                Ok(Some("already existed".into()))
            } else if refused_key(x, &e) {
                Err(key_not_accessible(x, &e))
            } else {
                Err(e.into())
            }
        }
    }
}

/// The instances the environment asks for that the cluster lacks, once the cluster is available.
async fn create_instances(x: ApplyCtx<'_>, cluster: &str) -> StepOutput {
    let Some(spec) = &x.t.env.database else {
        return Err(fail("the environment has no database"));
    };
    wait_cluster(x, cluster, false).await?;
    let db = describe_cluster(x.c, x.ep(), cluster).await?;
    let mut made = vec![];
    for id in instance_ids(x.t, cluster) {
        if db.members.contains(&id) {
            continue;
        }
        pace(&quotas::RDS_API).await;
        let mut req =
            x.c.rds
                .create_db_instance()
                .db_instance_identifier(&id)
                .db_cluster_identifier(cluster)
                .engine(&spec.engine)
                .db_instance_class(spec.instance_class())
                .publicly_accessible(false)
                .enable_performance_insights(spec.performance_insights)
                .set_tags(Some(rds_tags(x)));
        if spec.performance_insights {
            req = req.performance_insights_kms_key_id(x.t.key.as_str());
        }
        match req.send().await {
            Ok(_) => made.push(id),
            Err(e) => {
                let e = err("rds", "CreateDBInstance", x.ep())(e);
                if !already(&e, "DBInstance") {
                    return Err(if refused_key(x, &e) {
                        key_not_accessible(x, &e)
                    } else {
                        e.into()
                    });
                }
            }
        }
    }
    Ok((!made.is_empty()).then(|| format!("created {}", made.join(", "))))
}

/// Waits for the cluster to be available on the key and, with `instances`, for each instance the
/// environment asks for to be available too.
async fn wait_cluster(x: ApplyCtx<'_>, cluster: &str, instances: bool) -> StepOutput {
    let wanted = instance_ids(x.t, cluster);
    let waited = poll::until(
        x.waits.database,
        |status, waited| x.progress.waiting(cluster, status, waited),
        || async {
            let db = describe_cluster(x.c, x.ep(), cluster).await?;
            if !db.exists {
                return Err(fail(format!("{cluster} does not exist")));
            }
            if let Some(e) = stuck(&db.status) {
                return Err(StepError {
                    message: format!("{cluster} is {e}"),
                    code: Some(e.to_string()),
                });
            }
            if db.status != "available" {
                return Ok(Probe::Pending(db.status));
            }
            if !db.encryption.is_key(&x.t.key) {
                return Err(fail(format!(
                    "{cluster} is available but encrypted with {}",
                    db.encryption.shown()
                )));
            }
            if !instances {
                return Ok(Probe::Done("available, encrypted with the key".to_string()));
            }
            for id in &wanted {
                let i = super::observe::describe_instance(x.c, x.ep(), id).await?;
                if !i.exists {
                    return Err(fail(format!("{id} does not exist")));
                }
                if let Some(e) = stuck(&i.status) {
                    return Err(StepError {
                        message: format!("{id} is {e}"),
                        code: Some(e.to_string()),
                    });
                }
                if i.status != "available" {
                    return Ok(Probe::Pending(format!("{id} {}", i.status)));
                }
            }
            Ok(Probe::Done(format!(
                "available, encrypted with the key, with {}",
                wanted.join(", ")
            )))
        },
    )
    .await?;
    match waited {
        Ok(done) => Ok(Some(done)),
        Err(t) => Err(fail(format!(
            "{cluster} is still {} after {}s; run enable again to keep waiting",
            t.status,
            t.waited.as_secs()
        ))),
    }
}

/// Waits for a cluster snapshot to be available; its encryption, or `None` when there is none.
async fn wait_snapshot(x: ApplyCtx<'_>, id: &str) -> Result<Option<Encryption>, StepError> {
    let waited = poll::until(
        x.waits.database,
        |status, waited| x.progress.waiting(id, status, waited),
        || async {
            pace(&quotas::RDS_API).await;
            let r =
                x.c.rds
                    .describe_db_cluster_snapshots()
                    .db_cluster_snapshot_identifier(id)
                    .send()
                    .await;
            let out = match r {
                Ok(o) => o,
                Err(e) => {
                    let e = err("rds", "DescribeDBClusterSnapshots", x.ep())(e);
                    if e.is("DBClusterSnapshotNotFoundFault") {
                        return Ok(Probe::Done(None));
                    }
                    return Err(StepError::from(e));
                }
            };
            let Some(s) = out.db_cluster_snapshots().first() else {
                return Ok(Probe::Done(None));
            };
            match s.status().unwrap_or_default() {
                "available" => Ok(Probe::Done(Some(super::cluster::cluster_encryption(
                    s.storage_encrypted(),
                    s.kms_key_id(),
                    s.storage_encryption_type().map(|t| t.as_str()),
                )))),
                "failed" => Err(fail(format!("snapshot {id} failed"))),
                other => Ok(Probe::Pending(other.to_string())),
            }
        },
    )
    .await?;
    waited.map_err(|t| {
        fail(format!(
            "{id} is still {} after {}s; run enable again to keep waiting",
            t.status,
            t.waited.as_secs()
        ))
    })
}

async fn snapshot(x: ApplyCtx<'_>) -> StepOutput {
    let source = source_database(x)?;
    let snap = format!("{source}-pre-cmek");
    if wait_snapshot(x, &snap).await?.is_none() {
        pace(&quotas::RDS_API).await;
        if let Err(e) =
            x.c.rds
                .create_db_cluster_snapshot()
                .db_cluster_identifier(&source)
                .db_cluster_snapshot_identifier(&snap)
                .set_tags(Some(rds_tags(x)))
                .send()
                .await
        {
            let e = err("rds", "CreateDBClusterSnapshot", x.ep())(e);
            if !already(&e, "DBClusterSnapshot") {
                return Err(e.into());
            }
        }
        wait_snapshot(x, &snap).await?;
    }
    Ok(Some(format!("cluster snapshot {snap} of {source}")))
}

/// RestoreDBClusterFromSnapshot of the migration's snapshot with `KmsKeyId` = the key: "The Amazon
/// Web Services KMS key identifier to use when restoring an encrypted DB cluster from a DB snapshot
/// or DB cluster snapshot ... To use a KMS key in a different Amazon Web Services account, specify
/// the key ARN" (RDS API reference, read 2026-12-02); an unencrypted snapshot is restored
/// encrypted the same way (Aurora user guide). No copy of the snapshot is made first: "If you
/// copy an unencrypted DB cluster snapshot and specify a value for the KmsKeyId parameter, an
/// error is returned" (CopyDBClusterSnapshot). The restored cluster has no instances:
/// `create-cluster-instances` follows.
async fn restore(x: ApplyCtx<'_>, target: &str) -> StepOutput {
    let Some(spec) = &x.t.env.database else {
        return Err(fail("the environment has no database"));
    };
    let source = source_database(x)?;
    let from = format!("{source}-pre-cmek");
    pace(&quotas::RDS_API).await;
    let mut req =
        x.c.rds
            .restore_db_cluster_from_snapshot()
            .db_cluster_identifier(target)
            .snapshot_identifier(&from)
            .engine(&spec.engine)
            .kms_key_id(x.t.key.as_str())
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .set_db_subnet_group_name(spec.subnet_group.clone())
            .set_tags(Some(rds_tags(x)));
    if !spec.security_groups.is_empty() {
        req = req.set_vpc_security_group_ids(Some(spec.security_groups.clone()));
    }
    match req.send().await {
        Ok(_) => Ok(Some(format!(
            "restored from {from}; {source} left in place"
        ))),
        Err(e) => {
            let e = err("rds", "RestoreDBClusterFromSnapshot", x.ep())(e);
            if already(&e, "DBCluster") {
                Ok(Some("already existed".into()))
            } else if refused_key(x, &e) {
                Err(key_not_accessible(x, &e))
            } else {
                Err(e.into())
            }
        }
    }
}

/// ModifyDBCluster on the cluster a migration restored: "RestoreDBClusterFromSnapshot" takes no
/// `ManageMasterUserPassword`, and ModifyDBCluster does ("If the DB cluster doesn't manage the
/// master user password with Amazon Web Services Secrets Manager, you can turn on this
/// management"; its key cannot change afterwards: RDS API reference, read 2026-12-02). RDS sets a
/// new master password: only before the cut-over, only on the restored cluster.
async fn manage_secret(x: ApplyCtx<'_>, cluster: &str) -> StepOutput {
    if !super::is_migration_target(x.t, cluster) {
        return Err(fail(format!(
            "{cluster} is not the cluster a migration restored: cmek never changes a live cluster's master password"
        )));
    }
    let db = describe_cluster(x.c, x.ep(), cluster).await?;
    if let Some(e) = &db.secret_encryption {
        return Ok(Some(format!(
            "the master password secret was already managed, under {}",
            e.shown()
        )));
    }
    pace(&quotas::RDS_API).await;
    x.c.rds
        .modify_db_cluster()
        .db_cluster_identifier(cluster)
        .manage_master_user_password(true)
        .master_user_secret_kms_key_id(x.t.key.as_str())
        .apply_immediately(true)
        .send()
        .await
        .map_err(|e| {
            let e = err("rds", "ModifyDBCluster", x.ep())(e);
            if refused_key(x, &e) {
                key_not_accessible(x, &e)
            } else {
                e.into()
            }
        })?;
    wait_cluster(x, cluster, false).await?;
    Ok(Some("the master password secret under the key".into()))
}
