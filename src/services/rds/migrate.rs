//! Migration of a database on another key: RDS can never change a database's key, so cmek
//! snapshots it, copies the snapshot under the key and restores the copy as `<identifier>-cmek`.
//! The old database is left in place; every step resumes.

use super::apply::rds_tags;
use super::quotas;
use crate::shared::poll::{self, Probe};
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, StepError, StepOutput};
use crate::shared::tenancy::{err, Encryption};

fn source_database(x: ApplyCtx<'_>) -> Result<String, StepError> {
    x.t.names
        .database
        .clone()
        .ok_or_else(|| fail("the environment has no database"))
}

/// Waits for a snapshot to be available and returns its encryption; `None` when there is no such
/// snapshot.
async fn wait_snapshot(x: ApplyCtx<'_>, id: &str) -> Result<Option<Encryption>, StepError> {
    let waited = poll::until(
        x.waits.database,
        |status, waited| x.progress.waiting(id, status, waited),
        || async {
            pace(&quotas::RDS_API).await;
            let out = match x
                .c
                .rds
                .describe_db_snapshots()
                .db_snapshot_identifier(id)
                .send()
                .await
            {
                Ok(o) => o,
                Err(e) => {
                    let e = err("rds", "DescribeDBSnapshots", x.ep())(e);
                    if e.is("DBSnapshotNotFound") || e.is("DBSnapshotNotFoundFault") {
                        return Ok(Probe::Done(None));
                    }
                    return Err(StepError::from(e));
                }
            };
            let Some(s) = out.db_snapshots().first() else {
                return Ok(Probe::Done(None));
            };
            let status = s.status().unwrap_or_default();
            if status == "available" {
                return Ok(Probe::Done(Some(if s.encrypted() == Some(true) {
                    Encryption::kms(s.kms_key_id())
                } else {
                    Encryption::None
                })));
            }
            if status == "failed" {
                return Err(fail(format!("snapshot {id} failed")));
            }
            Ok(Probe::Pending(status.to_string()))
        },
    )
    .await?;
    waited.map_err(|t| fail(format!("snapshot {id} is still {}", t.status)))
}

pub(super) async fn snapshot_database(x: ApplyCtx<'_>) -> StepOutput {
    let source = source_database(x)?;
    let snap = format!("{source}-pre-cmek");
    if wait_snapshot(x, &snap).await?.is_none() {
        pace(&quotas::RDS_API).await;
        match x
            .c
            .rds
            .create_db_snapshot()
            .db_instance_identifier(&source)
            .db_snapshot_identifier(&snap)
            .set_tags(Some(rds_tags(x)))
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) => {
                let e = err("rds", "CreateDBSnapshot", x.ep())(e);
                if !(e.is("DBSnapshotAlreadyExists") || e.is("DBSnapshotAlreadyExistsFault")) {
                    return Err(e.into());
                }
            }
        }
        wait_snapshot(x, &snap).await?;
    }
    Ok(Some(format!("snapshot {snap} of {source}")))
}

pub(super) async fn copy_snapshot(x: ApplyCtx<'_>) -> StepOutput {
    let source = source_database(x)?;
    let from = format!("{source}-pre-cmek");
    let to = format!("{source}-pre-cmek-under-key");
    if wait_snapshot(x, &to).await?.is_none() {
        pace(&quotas::RDS_API).await;
        match x
            .c
            .rds
            .copy_db_snapshot()
            .source_db_snapshot_identifier(&from)
            .target_db_snapshot_identifier(&to)
            .kms_key_id(x.t.key.as_str())
            .set_tags(Some(rds_tags(x)))
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) => {
                let e = err("rds", "CopyDBSnapshot", x.ep())(e);
                if !(e.is("DBSnapshotAlreadyExists") || e.is("DBSnapshotAlreadyExistsFault")) {
                    return Err(e.into());
                }
            }
        }
    }
    match wait_snapshot(x, &to).await? {
        Some(e) if e.is_key(&x.t.key) => Ok(Some(format!("{to}, under the key"))),
        Some(e) => Err(fail(format!("{to} is encrypted with {}", e.shown()))),
        None => Err(fail(format!("{to} disappeared"))),
    }
}

pub(super) async fn restore_database(x: ApplyCtx<'_>, target: &str) -> StepOutput {
    let Some(spec) = &x.t.env.database else {
        return Err(fail("the environment has no database"));
    };
    let source = source_database(x)?;
    let from = format!("{source}-pre-cmek-under-key");
    pace(&quotas::RDS_API).await;
    let mut req =
        x.c.rds
            .restore_db_instance_from_db_snapshot()
            .db_instance_identifier(target)
            .db_snapshot_identifier(&from)
            .db_instance_class(&spec.instance_class)
            .publicly_accessible(false)
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .multi_az(spec.multi_az)
            .set_db_subnet_group_name(spec.subnet_group.clone())
            .set_tags(Some(rds_tags(x)));
    if !spec.security_groups.is_empty() {
        req = req.set_vpc_security_group_ids(Some(spec.security_groups.clone()));
    }
    if spec.engine.starts_with("oracle") {
        // A restore takes ManageMasterUserPassword for Oracle only ("Applies to RDS for Oracle
        // only.": RestoreDBInstanceFromDBSnapshot); other engines get it from configure-database.
        req = req
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(x.t.key.as_str());
    }
    match req.send().await {
        Ok(_) => Ok(Some(format!(
            "restored from {from}; {source} left in place"
        ))),
        Err(e) => {
            let e = err("rds", "RestoreDBInstanceFromDBSnapshot", x.ep())(e);
            if e.is("DBInstanceAlreadyExists") || e.is("DBInstanceAlreadyExistsFault") {
                Ok(Some("already existed".into()))
            } else {
                Err(e.into())
            }
        }
    }
}

/// ModifyDBInstance (applied immediately), then waits for the database: a restored database gets
/// its AWS-managed master password secret under the key (RDS takes the secret's key only when it
/// starts managing the password: "If the DB instance already manages the master user password in
/// Amazon Web Services Secrets Manager, you can't change the KMS key used to encrypt the secret."),
/// and Performance Insights goes on under the key where the environment turns it on (a restore
/// cannot set it). What is already there is left as it is.
pub(super) async fn configure_database(x: ApplyCtx<'_>, identifier: &str) -> StepOutput {
    let Some(spec) = &x.t.env.database else {
        return Err(fail("the environment has no database"));
    };
    let db = super::observe_database(x.c, x.t, identifier).await?;
    if !db.exists {
        return Err(fail(format!("{identifier} does not exist")));
    }
    let key = x.t.key.as_str();
    let restored = x.t.names.database.as_deref() != Some(identifier);
    let mut req =
        x.c.rds
            .modify_db_instance()
            .db_instance_identifier(identifier)
            .apply_immediately(true);
    let mut what = vec![];
    if restored && db.secret_encryption.is_none() {
        req = req
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(key);
        what.push("the master password secret");
    }
    if spec.performance_insights && db.insights_encryption.is_none() {
        req = req
            .enable_performance_insights(true)
            .performance_insights_kms_key_id(key);
        what.push("Performance Insights");
    }
    let kept: Vec<String> = [
        ("the master password secret", &db.secret_encryption),
        ("Performance Insights", &db.insights_encryption),
    ]
    .into_iter()
    .filter_map(|(name, e)| {
        let e = e.as_ref()?;
        (!e.is_key(&x.t.key)).then(|| {
            format!(
                "{name} came with the restore under {}, and RDS cannot change its key",
                e.described()
            )
        })
    })
    .collect();
    if what.is_empty() {
        return Ok(Some(if kept.is_empty() {
            "nothing left to change".into()
        } else {
            kept.join("; ")
        }));
    }
    pace(&quotas::RDS_API).await;
    if let Err(e) = req.send().await {
        let e = err("rds", "ModifyDBInstance", x.ep())(e);
        return Err(if e.is("KMSKeyNotAccessibleFault") {
            super::apply::key_not_accessible(x, &e)
        } else {
            e.into()
        });
    }
    super::apply::wait_database(x, identifier).await?;
    Ok(Some(format!("{} under the key", what.join(" and "))))
}
