//! `verify`: prove the customer's key is usable for a tenant, changing nothing on the key.
//!
//! Critical path after STS: one wave of independent calls (DescribeKey, GetKeyRotationStatus,
//! GenerateDataKey, a DryRun CreateGrant, and the S3 probe's PutObject), then Decrypt (and the
//! probe's GetObject, DeleteObject). Every KMS answer becomes a check with a stable id
//! (docs/checks.md); only failures on our own side (network, our credentials, our IAM,
//! throttling past retries) become an `Err` (exit 3).

use aws_sdk_kms::Client as Kms;
use aws_sdk_s3::Client as S3;
use serde::Serialize;

use crate::error::Error;
pub use crate::services::kms::VerifyRequest;
use crate::services::kms::{
    describe_checks, describe_key, dry_run_grant, grant_check, rotation_check, rotation_status,
    round_trip, round_trip_check, via_service_skips,
};
use crate::services::s3::s3_probe;
use crate::shared::ids::CheckId;
use crate::shared::report::{summarize, Check, Summary, SCHEMA_VERSION};

/// verify's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerifyVerdict {
    /// No check failed.
    Pass,
    /// A check failed.
    Fail,
}

impl VerifyVerdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyVerdict::Pass => "pass",
            VerifyVerdict::Fail => "fail",
        }
    }
}

/// The result of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `verify`.
    pub command: &'static str,
    /// `pass` or `fail`.
    pub verdict: VerifyVerdict,
    /// The tenant.
    pub tenant: String,
    /// The customer's key ARN.
    pub key_arn: String,
    /// Speedscale's CMEK environment account.
    pub account: String,
    /// The environment's region.
    pub region: String,
    /// Every check, in a stable order.
    pub checks: Vec<Check>,
    /// Counts by status.
    pub summary: Summary,
}

impl VerifyReport {
    /// Builds the report; the verdict is `fail` when any check failed.
    pub fn new(
        tenant: &str,
        key_arn: &str,
        account: &str,
        region: &str,
        checks: Vec<Check>,
    ) -> Self {
        let summary = summarize(&checks);
        Self {
            schema_version: SCHEMA_VERSION,
            command: "verify",
            verdict: if summary.fail > 0 {
                VerifyVerdict::Fail
            } else {
                VerifyVerdict::Pass
            },
            tenant: tenant.into(),
            key_arn: key_arn.into(),
            account: account.into(),
            region: region.into(),
            checks,
            summary,
        }
    }

    /// Whether the answer is yes.
    pub fn passed(&self) -> bool {
        self.verdict == VerifyVerdict::Pass
    }

    /// The check with this id.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// Runs every check. `Err` only for failures on our own side.
pub async fn verify(kms: &Kms, s3: &S3, req: &VerifyRequest) -> Result<VerifyReport, Error> {
    let arn = req.key.as_str();
    let (describe, rotation, round_trip, grant, probe) = tokio::join!(
        describe_key(kms, req),
        rotation_status(kms, req),
        round_trip(kms, req),
        dry_run_grant(kms, req),
        s3_probe(s3, req)
    );

    // Our own side failing makes the whole answer unknowable: exit 3, whichever call saw it first.
    for err in [
        describe.as_ref().err(),
        rotation.as_ref().err(),
        round_trip.as_ref().err(),
        grant.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        if err.is_our_side() {
            return Err(err.clone().into());
        }
    }
    let probe = probe?;

    let mut checks = Vec::new();
    checks.extend(describe_checks(
        describe.as_ref().map(|o| o.key_metadata()),
        req,
    ));
    checks.push(rotation_check(
        rotation.as_ref().map(|o| Some(o.key_rotation_enabled())),
        req,
    ));
    checks.push(round_trip_check(&round_trip, req));
    checks.push(grant_check(&grant, req));
    checks.push(probe);
    checks.extend(via_service_skips(req));
    Ok(VerifyReport::new(
        req.tenant.as_str(),
        arn,
        &req.account,
        &req.region,
        checks,
    ))
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
