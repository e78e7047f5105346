//! The environment's own changes, planned before the tenant's: the registry's protections
//! (`services/registry/protect.rs`) and the evidence signing key (`services/kms/sign.rs`).

use super::Observed;
use crate::services::kms::sign::SIGNING_ALIAS;
use crate::shared::steps::{Change, Kind, RecordStep};
use crate::shared::tenancy::Tenancy;

/// The registry's change, and the signing key's when the environment names none and none exists.
pub fn plan_environment(t: &Tenancy, o: &Observed) -> Vec<Change> {
    let bucket = t.env.registry_bucket(&t.account, &t.region);
    let mut registry = Change::new("registry", Kind::Registry, &bucket);
    let missing = o.registry.missing(&t.env);
    if !missing.is_empty() {
        registry.step(RecordStep::ProtectRegistry);
    }
    let mut out = vec![registry.settle(!o.registry.exists, missing)];
    if out[0].steps.is_empty() {
        out[0].reason = format!(
            "versioned, Object Lock {} days in {}, TLS-only and audit-protecting policy, private",
            t.env.registry.retention_days,
            t.env.registry.retention_mode.as_s3()
        );
    }
    if t.env.evidence.signing_key.is_none() {
        let mut key = Change::new("evidence-key", Kind::EvidenceKey, SIGNING_ALIAS);
        let why = match &o.signing_key {
            Some(_) => vec![],
            None => {
                key.step(RecordStep::CreateSigningKey);
                vec![format!(
                    "no evidence signing key yet: an ECC_NIST_P256 key for SIGN_VERIFY in account {}, named {SIGNING_ALIAS}",
                    t.account
                )]
            }
        };
        let mut key = key.settle(true, why);
        if key.steps.is_empty() {
            key.reason = "signs revoke-check's evidence".into();
        }
        out.push(key);
    }
    out
}
