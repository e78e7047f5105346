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
            // A restored database gets a new AWS-managed master password secret: put it under
            // the key too (the snapshot carries the storage key, not the secret's).
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(x.t.key.as_str())
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .multi_az(spec.multi_az)
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
            let e = err("rds", "RestoreDBInstanceFromDBSnapshot", x.ep())(e);
            if e.is("DBInstanceAlreadyExists") || e.is("DBInstanceAlreadyExistsFault") {
                Ok(Some("already existed".into()))
            } else {
                Err(e.into())
            }
        }
    }
}
