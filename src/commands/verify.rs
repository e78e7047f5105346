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

use futures_util::future::try_join_all;

use crate::aws::Clients;
use crate::environment::ProducersPolicy;
use crate::error::Error;
use crate::services::iam::{
    observe_producer, producers_on_key, role_statement, ProducerState, Standing, PRODUCER_TAG,
};
pub use crate::services::kms::VerifyRequest;
use crate::services::kms::{binding_check, binding_probe};
use crate::services::kms::{
    describe_checks, describe_key, dry_run_grant, grant_check, rotation_check, rotation_status,
    round_trip, round_trip_check, via_service_skips,
};
use crate::services::registry::{KeyClaim, Registry};
use crate::services::s3::s3_probe;
use crate::shared::ids::CheckId;
use crate::shared::report::{summarize, Check, Remedy, Status, Summary, SCHEMA_VERSION};
use crate::shared::role_use::RoleUse;
use crate::shared::tenancy::Tenancy;

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

/// `verify` for a tenant in its environment: the key's checks and, beside them, which tenant the
/// key belongs to (`key-tenant-claim`, from the registry), whether the key policy binds it to this
/// tenant (`key-tenant-binding`, a negative DryRun probe), and one `producer-key-permission` check
/// per producer of a stream on the key (IAM reads only).
pub async fn verify_tenant(
    c: &Clients,
    t: &Tenancy,
    req: &VerifyRequest,
) -> Result<VerifyReport, Error> {
    let wanted = producers_on_key(t);
    let registry = Registry::new(t);
    let (report, producers, claim, binding) = tokio::join!(
        verify(&c.kms, &c.s3, req),
        try_join_all(
            wanted
                .iter()
                .map(|(u, stream, arn, mode)| observe_producer(c, t, *u, stream, arn, *mode))
        ),
        registry.read_claim(c, &t.key),
        binding_probe(&c.kms, req)
    );
    let report = report?;
    let producers = producers?;
    let claim = claim?;
    if let Err(e) = &binding {
        if e.is_our_side() {
            return Err(e.clone().into());
        }
    }
    let round_trip = report.check(CheckId::KmsRoundTrip).map(|c| c.status);
    let mut checks = report.checks;
    checks.push(claim_check(t, claim.as_ref().map(|(c, _)| c)));
    // A refusal of another tenant's round trip says something only when this tenant's passes.
    checks.push(match round_trip {
        Some(Status::Pass) => binding_check(&binding, req),
        _ => Check::new(
            CheckId::KeyTenantBinding,
            Status::Skip,
            req.key.as_str(),
            "not judged: the round trip for this tenant did not pass either",
        ),
    });
    checks.extend(producers.iter().map(|p| producer_check(t, p)));
    Ok(VerifyReport::new(
        &report.tenant,
        &report.key_arn,
        &report.account,
        &report.region,
        checks,
    ))
}

/// `key-tenant-claim`: the key is this tenant's (or shared with it), or not claimed yet; another
/// tenant's key fails, naming that tenant.
pub fn claim_check(t: &Tenancy, claim: Option<&KeyClaim>) -> Check {
    let id = CheckId::KeyTenantClaim;
    let arn = t.key.as_str();
    let tenant = t.tenant.as_str();
    match claim {
        None => Check::new(id, Status::Pass, arn, format!("no tenant has claimed the key: enable claims it for tenant {tenant}")),
        Some(c) if c.tenant == tenant => Check::new(id, Status::Pass, arn, format!("the key is tenant {tenant}'s (claimed {})", c.claimed_at)),
        Some(c) if c.allows(tenant) => Check::new(id, Status::Pass, arn, format!("the key is tenant {}'s, shared with tenant {tenant}", c.tenant)),
        Some(c) => Check::new(
            id,
            Status::Fail,
            arn,
            format!("the key is claimed by tenant {} (since {}): one key belongs to one tenant, and tenant {tenant}'s data would be under a key tenant {}'s customer controls", c.tenant, c.claimed_at, c.tenant),
        )
        .remedy(format!("ask the customer for a key of tenant {tenant}'s own, or, when both tenants belong to the same customer account, enable with --share-key-with {}", c.tenant)),
    }
}

/// What a producer's permission means for this key (the same [`Standing`] enable plans from).
/// `managed` without cmek's policy yet is a skip: enable adds it before any stream goes on the key.
pub fn producer_check(t: &Tenancy, p: &ProducerState) -> Check {
    let id = CheckId::ProducerKeyPermission;
    let who = p.role_arn.as_str();
    let u = p.role_use;
    let (svc, word, path) = (u.service_name(), u.word(), u.path());
    let statement = || {
        Remedy::statement(
            format!("the {word} role needs this statement (the customer's key policy must also allow Speedscale's account through {}.<region>, as cmek's template does)", u.service()),
            role_statement(t, u),
        )
    };
    let policy = p.policy_name(t);
    let refused = match u {
        RoleUse::StreamProducer => "Firehose would refuse every PutRecord it tried",
        RoleUse::QueueProducer => "SQS would refuse every message it sent",
        RoleUse::QueueConsumer => "it could receive no message",
        RoleUse::TopicPublisher => "SNS would refuse every message it published",
    };
    match p.standing(t) {
        Standing::Permitted => Check::new(id, Status::Pass, who, match p.mode {
            ProducersPolicy::Managed => format!("{who} may use the key through {svc} ({policy})"),
            ProducersPolicy::External => format!("{who} may use the key through {svc} (IAM's policy simulator; the platform manages the policy)"),
        }),
        Standing::NoPolicy | Standing::OtherKey(_) => Check::new(
            id,
            Status::Skip,
            who,
            format!("{who} may not use this key yet: enable writes {policy} before the {path} goes on the key"),
        ),
        Standing::Foreign => Check::new(id, Status::Fail, who, format!("{who} is not in the environment's account {}: the customer's key policy allows Speedscale's account only, and cmek cannot check another account's role", t.account)),
        Standing::Missing => Check::new(id, Status::Fail, who, format!("{who} does not exist: {refused}"))
            .remedy(format!("create the role, or remove it from the {path}'s {word}s in the environment")),
        Standing::Untagged => Check::new(id, Status::Fail, who, format!("{who} is not tagged {}={}: cmek may write {word} policies only on roles tagged so", PRODUCER_TAG.0, PRODUCER_TAG.1))
            .remedy(format!("the platform tags the role {}={} (aws iam tag-role --role-name {} --tags Key={},Value={}), or gives it the statement itself with producers_policy = \"external\"", PRODUCER_TAG.0, PRODUCER_TAG.1, p.role_name(), PRODUCER_TAG.0, PRODUCER_TAG.1)),
        Standing::Denied(denied) => Check::new(
            id,
            Status::Fail,
            who,
            format!("{who} may not use the key through {svc} ({} not allowed, by IAM's policy simulator): {refused} to a {path} under a customer key", denied.join(", ")),
        )
        .remedy(statement()),
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
