//! What creating a database under the key and migrating one to it share: the tags, RDS's refusal
//! of the key (and what to do about it), and the wait for the database to be available.

use super::observe_database;
use crate::shared::poll::{self, Probe};
use crate::shared::steps::{fail, ApplyCtx, StepError, StepOutput};

/// The tags everything cmek manages carries, as RDS takes them.
pub(super) fn rds_tags(x: ApplyCtx<'_>) -> Vec<aws_sdk_rds::types::Tag> {
    x.t.tags()
        .into_iter()
        .map(|(k, v)| aws_sdk_rds::types::Tag::builder().key(k).value(v).build())
        .collect()
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

/// A status a wait does not outlast: the key lost, a failure, an incompatible setting.
pub(super) fn stuck(status: &str) -> Option<&str> {
    (status.starts_with("inaccessible") || status == "failed" || status.starts_with("incompatible"))
        .then_some(status)
}

/// The environment's database identifier: the one a migration snapshots.
pub(super) fn source_database(x: ApplyCtx<'_>) -> Result<String, StepError> {
    x.t.names
        .database
        .clone()
        .ok_or_else(|| fail("the environment has no database"))
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
                s if stuck(s).is_some() => Err(StepError {
                    message: format!("{identifier} is {s}"),
                    code: Some(s.to_string()),
                }),
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
