//! Migration of a database on another key: RDS can never change a database's key, so cmek
//! snapshots it, copies the snapshot under the key and restores the copy as `<identifier>-cmek`.
//! The old database is left in place; every step resumes.

use super::keyed::{key_not_accessible, rds_tags, refused_key, source_database, wait_database};
use super::quotas;
use crate::shared::poll::{self, Probe};
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, StepError, StepOutput};
use crate::shared::tenancy::{err, Encryption};

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
            .db_instance_class(spec.instance_class())
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
        // only.": RestoreDBInstanceFromDBSnapshot); other engines get it from manage-secret.
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

/// ModifyDBInstance on the database a migration restored, before its cut-over: RDS takes the
/// secret's key only when it starts managing the password ("If the DB instance already manages
/// the master user password in Amazon Web Services Secrets Manager, you can't change the KMS key
/// used to encrypt the secret."), so a secret already there is left as it is. Applied immediately:
/// nobody uses the restored database yet. Then waits for it.
pub(super) async fn manage_secret(x: ApplyCtx<'_>, identifier: &str) -> StepOutput {
    if !super::is_migration_target(x.t, identifier) {
        return Err(fail(format!(
            "{identifier} is not the database a migration restored: cmek never changes a live database's master password"
        )));
    }
    let db = super::observe_database(x.c, x.t, identifier).await?;
    if let Some(e) = &db.secret_encryption {
        return Ok(Some(kept("the master password secret", e, x)));
    }
    pace(&quotas::RDS_API).await;
    let r =
        x.c.rds
            .modify_db_instance()
            .db_instance_identifier(identifier)
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(x.t.key.as_str())
            .apply_immediately(true)
            .send()
            .await;
    modified(
        x,
        identifier,
        r.map(|_| ()),
        "the master password secret under the key",
    )
    .await
}

/// ModifyDBInstance: Performance Insights on, under the key. Not applied immediately, so that
/// nothing else the customer scheduled for the maintenance window is pulled forward. The RDS user
/// guide ("Turning Performance Insights on and off") says the instance "turns on Performance
/// Insights immediately" either way; unconfirmed by a second reading, so after the wait the step
/// reads the database again and says so when it is still off (a rerun asks again).
pub(super) async fn enable_insights(x: ApplyCtx<'_>, identifier: &str) -> StepOutput {
    let db = super::observe_database(x.c, x.t, identifier).await?;
    if let Some(e) = &db.insights_encryption {
        return Ok(Some(kept("Performance Insights", e, x)));
    }
    pace(&quotas::RDS_API).await;
    let r =
        x.c.rds
            .modify_db_instance()
            .db_instance_identifier(identifier)
            .enable_performance_insights(true)
            .performance_insights_kms_key_id(x.t.key.as_str())
            .send()
            .await;
    modified(
        x,
        identifier,
        r.map(|_| ()),
        "Performance Insights under the key",
    )
    .await?;
    let now = super::observe_database(x.c, x.t, identifier).await?;
    Ok(Some(match now.insights_encryption {
        Some(e) if e.is_key(&x.t.key) => "Performance Insights under the key".into(),
        Some(e) => kept("Performance Insights", &e, x),
        None => "Performance Insights asked for under the key; RDS still reports it off (it may wait for the maintenance window): status shows it, and enable asks again".into(),
    }))
}

/// What is already there (a restore may bring it): on the key, or under a key RDS cannot change.
fn kept(what: &str, e: &Encryption, x: ApplyCtx<'_>) -> String {
    if e.is_key(&x.t.key) {
        format!("{what} is already under the key")
    } else {
        format!(
            "{what} is already under {}, and RDS cannot change its key",
            e.described()
        )
    }
}

async fn modified<E>(
    x: ApplyCtx<'_>,
    identifier: &str,
    r: Result<(), aws_sdk_rds::error::SdkError<E, aws_smithy_runtime_api::http::Response>>,
    done: &str,
) -> StepOutput
where
    E: aws_sdk_rds::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Err(e) = r {
        let e = err("rds", "ModifyDBInstance", x.ep())(e);
        return Err(if refused_key(x, &e) {
            key_not_accessible(x, &e)
        } else {
            e.into()
        });
    }
    wait_database(x, identifier).await?;
    Ok(Some(done.to_string()))
}
