//! TLS forced on the tenant's PostgreSQL instance whatever its engine version, and its logs
//! exported where the environment asks.
//!
//! "The default value is 1 (on) for RDS for PostgreSQL version 15 and later. For RDS for
//! PostgreSQL version 14 and older, the default value is 0 (off)." (RDS user guide, "Using SSL with
//! a PostgreSQL DB instance", read 2026-12-02.) So an instance of 15 or later on a default
//! parameter group forces TLS; one of 14 or older gets cmek's own parameter group
//! `<identifier>-tls-pg<major>` (family `postgres<major>`) with `rds.force_ssl = 1`. A new instance
//! is created with it; an existing one on a default group is moved to it, which takes effect at
//! the instance's next reboot ("pending-reboot"): cmek never reboots a database. A custom group
//! that is not cmek's is the platform's, and cmek leaves it alone (the plan says so). Aurora
//! clusters keep their cluster parameter group (docs/environment.md).

use aws_sdk_rds::types::{ApplyMethod, CloudwatchLogsExportConfiguration, Parameter};

use super::quotas;
use super::DatabaseState;
use crate::environment::DatabaseSpec;
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, StepOutput};
use crate::shared::tenancy::err;

/// The log types RDS for PostgreSQL exports to CloudWatch Logs ("postgresql", "upgrade": RDS user
/// guide, "Publishing PostgreSQL logs to Amazon CloudWatch Logs", read 2026-12-02).
pub const LOG_TYPES: [&str; 2] = ["postgresql", "upgrade"];

/// The major version of a PostgreSQL engine version ("14.12" → 14; "9.6.24" → 9).
pub fn major(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// The DB parameter group family of a PostgreSQL version: `postgres<major>`, and for 9.x
/// `postgres9.<minor>` (e.g. `postgres9.6`), as RDS names its families.
pub fn family(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let m: u32 = parts.next()?.parse().ok()?;
    Some(if m < 10 {
        format!("postgres{m}.{}", parts.next()?)
    } else {
        format!("postgres{m}")
    })
}

/// The version a new instance will have: the environment's, else the engine's default as
/// DescribeDBEngineVersions names it ("DefaultOnly: Specifies whether to return just the default
/// version of the database engine for the specified engine or the engine and major version
/// combination.", RDS API reference, read 2026-12-02). cmek then creates the instance with that
/// version, so the plan's TLS decision is about the instance it creates.
pub async fn version_to_create(
    c: &crate::aws::Clients,
    spec: &DatabaseSpec,
    ep: Option<&str>,
) -> Result<Option<String>, crate::error::AwsError> {
    if spec.engine_version.is_some() || spec.engine != "postgres" {
        return Ok(spec.engine_version.clone());
    }
    pace(&quotas::RDS_API).await;
    let out = c
        .rds
        .describe_db_engine_versions()
        .engine(&spec.engine)
        .default_only(true)
        .send()
        .await
        .map_err(err("rds", "DescribeDBEngineVersions", ep))?;
    Ok(out
        .db_engine_versions()
        .first()
        .and_then(|v| v.engine_version())
        .map(str::to_string))
}

/// Whether an instance of this engine and version needs cmek's group to force TLS: PostgreSQL 14
/// or older (its major version). `None` (not known) does not.
pub fn needs_group(engine: &str, version: Option<&str>) -> Option<u32> {
    if engine != "postgres" {
        return None;
    }
    version.and_then(major).filter(|m| *m < 15)
}

/// cmek's parameter group for an instance: `<identifier>-tls-pg<major>`.
pub fn group_name(identifier: &str, major: u32) -> String {
    format!("{identifier}-tls-pg{major}")
}

/// What an existing instance lacks: cmek's group (its major version, when its group is a default
/// one that leaves TLS off), and the log types the environment exports that it does not.
pub fn lacks(spec: &DatabaseSpec, db: &DatabaseState) -> (Option<u32>, Vec<String>) {
    let group = needs_group(&spec.engine, db.engine_version.as_deref()).filter(|_| {
        db.parameter_group
            .as_deref()
            .is_none_or(|g| g.starts_with("default."))
    });
    let logs = spec
        .log_exports
        .iter()
        .filter(|l| !db.log_exports.contains(l))
        .cloned()
        .collect();
    (group, logs)
}

/// Creates cmek's parameter group for `version` (if missing) with `rds.force_ssl = 1`.
pub async fn create_group(x: ApplyCtx<'_>, identifier: &str, version: &str) -> StepOutput {
    let (Some(major), Some(family)) = (major(version), family(version)) else {
        return Err(fail(format!("{version} is not a PostgreSQL version")));
    };
    let name = group_name(identifier, major);
    pace(&quotas::RDS_API).await;
    let created =
        x.c.rds
            .create_db_parameter_group()
            .db_parameter_group_name(&name)
            .db_parameter_group_family(family)
            .description(format!(
            "cmek: rds.force_ssl = 1 for {identifier} (PostgreSQL {major} leaves it off by default)"
        ))
            .send()
            .await;
    if let Err(e) = created {
        let e = err("rds", "CreateDBParameterGroup", x.ep())(e);
        if !(e.is("DBParameterGroupAlreadyExists") || e.is("DBParameterGroupAlreadyExistsFault")) {
            return Err(e.into());
        }
    }
    pace(&quotas::RDS_API).await;
    x.c.rds
        .modify_db_parameter_group()
        .db_parameter_group_name(&name)
        .parameters(
            Parameter::builder()
                .parameter_name("rds.force_ssl")
                .parameter_value("1")
                // rds.force_ssl is dynamic: "immediate" applies it without a reboot.
                .apply_method(ApplyMethod::Immediate)
                .build(),
        )
        .send()
        .await
        .map_err(err("rds", "ModifyDBParameterGroup", x.ep()))?;
    Ok(Some(format!("{name}: rds.force_ssl = 1")))
}

/// Moves an existing instance to cmek's group (takes effect at its next reboot). Not
/// `ApplyImmediately`: that would also apply whatever else is queued for the maintenance window.
pub async fn use_group(x: ApplyCtx<'_>, db: &DatabaseState) -> StepOutput {
    let Some(version) = db.engine_version.as_deref() else {
        return Err(fail("the database's engine version is not known"));
    };
    let Some(m) = major(version) else {
        return Err(fail(format!("{version} is not a PostgreSQL version")));
    };
    create_group(x, &db.identifier, version).await?;
    let name = group_name(&db.identifier, m);
    pace(&quotas::RDS_API).await;
    x.c.rds
        .modify_db_instance()
        .db_instance_identifier(&db.identifier)
        .db_parameter_group_name(&name)
        .apply_immediately(false)
        .send()
        .await
        .map_err(err("rds", "ModifyDBInstance", x.ep()))?;
    Ok(Some(format!(
        "on {name}; TLS is forced from the database's next reboot (cmek does not reboot it)"
    )))
}

/// Turns on the log exports the environment asks for that an instance lacks.
pub async fn export_logs(x: ApplyCtx<'_>, identifier: &str, logs: Vec<String>) -> StepOutput {
    if logs.is_empty() {
        return Ok(None);
    }
    pace(&quotas::RDS_API).await;
    x.c.rds
        .modify_db_instance()
        .db_instance_identifier(identifier)
        .cloudwatch_logs_export_configuration(
            CloudwatchLogsExportConfiguration::builder()
                .set_enable_log_types(Some(logs.clone()))
                .build(),
        )
        .apply_immediately(false)
        .send()
        .await
        .map_err(err("rds", "ModifyDBInstance", x.ep()))?;
    Ok(Some(format!(
        "exporting {} to CloudWatch Logs",
        logs.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_postgresql_14_and_older_needs_cmeks_group() {
        assert_eq!(needs_group("postgres", Some("14.12")), Some(14));
        assert_eq!(needs_group("postgres", Some("11")), Some(11));
        assert_eq!(needs_group("postgres", Some("15.7")), None);
        assert_eq!(needs_group("postgres", Some("17.2")), None);
        assert_eq!(
            needs_group("postgres", None),
            None,
            "the default version is 15 or later"
        );
        assert_eq!(needs_group("aurora-postgresql", Some("13.9")), None);
        assert_eq!(
            group_name("speedscale-acme", 14),
            "speedscale-acme-tls-pg14"
        );
        assert_eq!(family("14.12").as_deref(), Some("postgres14"));
        assert_eq!(family("9.6.24").as_deref(), Some("postgres9.6"));
        assert_eq!(family("17").as_deref(), Some("postgres17"));
    }
}
