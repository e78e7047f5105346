//! Applying the database's steps; each is idempotent (a database that already exists counts as
//! created). Creation puts storage, the AWS-managed master password secret and Performance
//! Insights under the key.

use super::quotas;
use super::{migrate, observe_database, DatabaseState};
use crate::shared::poll::{self, Probe};
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, Change, RdsStep, StepError, StepOutput};
use crate::shared::tenancy::err;

/// Carries out one step on the database `ch.resource`; `observed` is what was read before planning
/// (the instance's ARN, for tagging).
pub async fn apply(
    x: ApplyCtx<'_>,
    observed: &[&DatabaseState],
    ch: &Change,
    step: RdsStep,
) -> StepOutput {
    let name = ch.resource.as_str();
    match step {
        RdsStep::CreateDatabase => create_database(x, name).await,
        RdsStep::WaitDatabase => wait_database(x, name).await,
        RdsStep::TagDatabase => tag_database(x, observed, name).await,
        RdsStep::SnapshotDatabase => migrate::snapshot_database(x).await,
        RdsStep::CopySnapshot => migrate::copy_snapshot(x).await,
        RdsStep::RestoreDatabase => migrate::restore_database(x, name).await,
        RdsStep::ManageSecret => migrate::manage_secret(x, name).await,
        RdsStep::EnableInsights => migrate::enable_insights(x, name).await,
    }
}

pub(super) fn rds_tags(x: ApplyCtx<'_>) -> Vec<aws_sdk_rds::types::Tag> {
    x.t.tags()
        .into_iter()
        .map(|(k, v)| aws_sdk_rds::types::Tag::builder().key(k).value(v).build())
        .collect()
}

async fn create_database(x: ApplyCtx<'_>, identifier: &str) -> StepOutput {
    let Some(spec) = &x.t.env.database else {
        return Err(fail("the environment has no database"));
    };
    let key = x.t.key.as_str();
    pace(&quotas::RDS_API).await;
    let mut req =
        x.c.rds
            .create_db_instance()
            .db_instance_identifier(identifier)
            .engine(&spec.engine)
            .set_engine_version(spec.engine_version.clone())
            .db_instance_class(&spec.instance_class)
            .allocated_storage(spec.allocated_storage)
            .storage_encrypted(true)
            .kms_key_id(key)
            .master_username(&spec.master_username)
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(key)
            .enable_performance_insights(spec.performance_insights)
            .backup_retention_period(spec.backup_retention_days)
            .multi_az(spec.multi_az)
            .publicly_accessible(false)
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .set_db_subnet_group_name(spec.subnet_group.clone())
            .set_tags(Some(rds_tags(x)));
    if spec.performance_insights {
        req = req.performance_insights_kms_key_id(key);
    }
    if !spec.security_groups.is_empty() {
        req = req.set_vpc_security_group_ids(Some(spec.security_groups.clone()));
    }
    match req.send().await {
        Ok(_) => Ok(None),
        Err(e) => {
            let e = err("rds", "CreateDBInstance", x.ep())(e);
            if e.is("DBInstanceAlreadyExists") || e.is("DBInstanceAlreadyExistsFault") {
                Ok(Some("already existed".into()))
            } else if refused_key(x, &e) {
                Err(key_not_accessible(x, &e))
            } else {
                Err(e.into())
            }
        }
    }
}

/// Whether the environment asks for Performance Insights (its key is the customer's, always from
/// another account: CONTRACT.md).
fn insights_on(x: ApplyCtx<'_>) -> bool {
    x.t.env
        .database
        .as_ref()
        .is_some_and(|d| d.performance_insights)
}

/// Whether RDS's refusal is about the key: KMSKeyNotAccessibleFault, or, with Performance Insights
/// on, a parameter error naming it (what RDS answers for a Performance Insights key it does not
/// take is not documented).
pub(super) fn refused_key(x: ApplyCtx<'_>, e: &crate::error::AwsError) -> bool {
    e.is("KMSKeyNotAccessibleFault")
        || (insights_on(x)
            && (e.is("InvalidParameterValue") || e.is("InvalidParameterCombination"))
            && e.message().to_lowercase().contains("performance"))
}

/// RDS refused the key: what the key policy must allow and, when Performance Insights was asked
/// for with a key from another account, that RDS may not take one for it. AWS's API reference
/// says of `KmsKeyId` and `MasterUserSecretKmsKeyId` "To use a KMS key in a different Amazon Web
/// Services account, specify the key ARN", and nothing of the kind of `PerformanceInsightsKMSKeyId`
/// (read 2026-12-01): unconfirmed, so the message names both causes. cmek never falls back to
/// Performance Insights under another key.
pub(super) fn key_not_accessible(x: ApplyCtx<'_>, e: &crate::error::AwsError) -> StepError {
    let or_insights = if insights_on(x) {
        "; or RDS does not take a Performance Insights key from another account (AWS does not document whether PerformanceInsightsKMSKeyId does, as it does for the storage and the secret): then set performance_insights = false in the environment's [database] and run enable again, and the database is created without Performance Insights rather than with it under another key"
    } else {
        ""
    };
    StepError {
        message: format!(
            "RDS cannot use the key for Speedscale (the key policy must let Speedscale's account use it through rds.{region} and create grants for AWS resources, and use it and create grants through secretsmanager.{region} for the master password secret){or_insights}: {}",
            e.message(),
            region = x.t.region,
        ),
        code: e.code.clone(),
    }
}

pub(super) async fn wait_database(x: ApplyCtx<'_>, identifier: &str) -> StepOutput {
    let waited = poll::until(
        x.waits.database,
        |status, waited| x.progress.waiting(identifier, status, waited),
        || async {
            let db = observe_database(x.c, x.t, identifier).await?;
            if !db.exists {
                return Err(fail(format!("{identifier} does not exist")));
            }
            match db.status.as_str() {
                "available" => {
                    if !db.encryption.is_key(&x.t.key) {
                        return Err(fail(format!(
                            "{identifier} is available but encrypted with {}",
                            db.encryption.shown()
                        )));
                    }
                    Ok(Probe::Done("available, encrypted with the key".to_string()))
                }
                s if s.starts_with("inaccessible")
                    || s == "failed"
                    || s.starts_with("incompatible") =>
                {
                    Err(StepError {
                        message: format!("{identifier} is {s}"),
                        code: Some(s.to_string()),
                    })
                }
                _ => Ok(Probe::Pending(db.status)),
            }
        },
    )
    .await?;
    match waited {
        Ok(done) => Ok(Some(done)),
        Err(t) => Err(fail(format!(
            "{identifier} is still {} after {}s; run enable again to keep waiting",
            t.status,
            t.waited.as_secs()
        ))),
    }
}

async fn tag_database(
    x: ApplyCtx<'_>,
    observed: &[&DatabaseState],
    identifier: &str,
) -> StepOutput {
    // The plan tags only a database it observed: its ARN is known.
    let observed = observed
        .iter()
        .find(|d| d.exists && d.identifier == identifier);
    let arn = match observed {
        Some(d) => d.arn.clone(),
        None => observe_database(x.c, x.t, identifier).await?.arn,
    };
    pace(&quotas::RDS_API).await;
    x.c.rds
        .add_tags_to_resource()
        .resource_name(&arn)
        .set_tags(Some(rds_tags(x)))
        .send()
        .await
        .map_err(err("rds", "AddTagsToResource", x.ep()))?;
    Ok(None)
}
