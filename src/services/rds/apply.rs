//! Applying the database's steps; each is idempotent (a database that already exists counts as
//! created). Creation puts storage, the AWS-managed master password secret and Performance
//! Insights under the key.

use super::keyed::{key_not_accessible, rds_tags, refused_key, wait_database};
use super::quotas;
use super::{migrate, observe_database, tls, DatabaseState};
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, Change, RdsStep, StepOutput};
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
        RdsStep::CreateDatabase => {
            create_database(x, name, version_to_create(x, observed, name)).await
        }
        RdsStep::WaitDatabase => wait_database(x, name).await,
        RdsStep::TagDatabase => tag_database(x, observed, name).await,
        RdsStep::SnapshotDatabase => migrate::snapshot_database(x).await,
        RdsStep::CopySnapshot => migrate::copy_snapshot(x).await,
        RdsStep::RestoreDatabase => migrate::restore_database(x, name).await,
        RdsStep::ManageSecret => migrate::manage_secret(x, name).await,
        RdsStep::EnableInsights => migrate::enable_insights(x, name).await,
        RdsStep::CreateTlsParameterGroup => match version_to_create(x, observed, name) {
            Some(v) => tls::create_group(x, name, &v).await,
            None => Err(fail("the version to create is not known")),
        },
        RdsStep::UseTlsParameterGroup => match observed.iter().find(|d| d.identifier == name) {
            Some(db) => tls::use_group(x, db).await,
            None => Err(fail("the database was not observed before planning")),
        },
        RdsStep::ExportLogs => {
            let logs = match (
                &x.t.env.database,
                observed.iter().find(|d| d.identifier == name),
            ) {
                (Some(spec), Some(db)) => tls::lacks(spec, db).1,
                _ => vec![],
            };
            tls::export_logs(x, name, logs).await
        }
    }
}

/// The engine version the plan decided on for a new instance: the environment's, else the default
/// observed before planning (`tls::version_to_create`).
fn version_to_create(x: ApplyCtx<'_>, observed: &[&DatabaseState], name: &str) -> Option<String> {
    let spec = x.t.env.database.as_ref()?;
    spec.engine_version.clone().or_else(|| {
        observed
            .iter()
            .find(|d| d.identifier == name && !d.exists)
            .and_then(|d| d.engine_version.clone())
    })
}

async fn create_database(x: ApplyCtx<'_>, identifier: &str, version: Option<String>) -> StepOutput {
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
            .set_engine_version(version.clone())
            .db_instance_class(spec.instance_class())
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
    if let Some(m) = tls::needs_group(&spec.engine, version.as_deref()) {
        req = req.db_parameter_group_name(tls::group_name(identifier, m));
    }
    if !spec.log_exports.is_empty() {
        req = req.set_enable_cloudwatch_logs_exports(Some(spec.log_exports.clone()));
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
