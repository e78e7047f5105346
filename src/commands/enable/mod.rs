//! `enable`: verify, observe, plan; then (after the binary's confirmation) lock, apply, record,
//! audit and unlock. The binary decides about confirmation; the library never prompts or prints.
//! Each service observes, plans and applies its own resources; this module composes them.

mod apply;
pub mod binding;
mod observe;
mod plan;
mod protect;
mod run;

use serde::Serialize;

pub use apply::apply;
pub use binding::{Binding, BindingOptions};
pub use observe::{observe, Observed};
pub use plan::{plan, resources};
pub use run::{apply_locked, Refused, RunOptions};

use crate::aws::Clients;
use crate::commands::verify::{verify, VerifyReport, VerifyRequest, VerifyVerdict};
use crate::error::Error;
use crate::services::registry::Registry;
use crate::services::s3::ObjectScan;
use crate::shared::ids::NoteId;
use crate::shared::record::Record;
use crate::shared::report::{Check, Status, Summary, SCHEMA_VERSION};
use crate::shared::steps::{ChangeResult, Outcome, Plan, PlanOptions};
use crate::shared::tenancy::Tenancy;

/// Objects examined per bucket when planning (the re-encryption step scans everything).
pub const PLAN_SAMPLE: u64 = 1000;

/// Everything read before asking: verify's report, what is there, the record and the plan.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// verify's report.
    pub verify: VerifyReport,
    /// What was observed (when verify passed).
    pub observed: Option<Observed>,
    /// The tenant's record.
    pub record: Option<Record>,
    /// The plan (empty when verify failed).
    pub plan: Plan,
}

/// Verifies the key, reads every tenant resource and the key's claim, and computes the plan.
/// Read-only (verify's S3 probe object in the registry aside).
pub async fn prepare(
    c: &Clients,
    t: &Tenancy,
    opts: PlanOptions,
    binding: BindingOptions,
) -> Result<Prepared, Error> {
    let registry = Registry::new(t);
    // No probe object: enable makes no change before confirmation; the canary, written under the
    // key after it, proves S3's use of the key instead.
    let req = VerifyRequest::without_probe(t);
    let (report, observed, record, binding) = tokio::join!(
        verify(&c.kms, &c.s3, &req),
        observe(
            c,
            t,
            ObjectScan::Sample(PLAN_SAMPLE),
            opts.reencrypt_objects && opts.batch_operations
        ),
        registry.read_record(c, t.tenant.as_str()),
        binding::read_binding(c, t, binding)
    );
    let report = report?;
    if !report.passed() {
        return Ok(Prepared {
            verify: report,
            observed: None,
            record: None,
            plan: Plan { changes: vec![] },
        });
    }
    let mut observed = observed?;
    observed.binding = binding?;
    let record = record?;
    let plan = plan(t, &observed, record.as_ref(), opts);
    Ok(Prepared {
        verify: report,
        observed: Some(observed),
        record,
        plan,
    })
}

/// enable's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnableVerdict {
    /// Every planned change applied.
    Applied,
    /// Nothing to change.
    NoChanges,
    /// A dry run's plan, which can be applied.
    Planned,
    /// A resource needs an explicit option; nothing changed.
    Blocked,
    /// verify failed; nothing changed.
    Failed,
    /// Stopped part-way; running again resumes.
    Partial,
}

impl EnableVerdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EnableVerdict::Applied => "applied",
            EnableVerdict::NoChanges => "no-changes",
            EnableVerdict::Planned => "planned",
            EnableVerdict::Blocked => "blocked",
            EnableVerdict::Failed => "failed",
            EnableVerdict::Partial => "partial",
        }
    }
}

/// The verify part of enable's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifySummary {
    /// pass or fail.
    pub verdict: VerifyVerdict,
    /// Counts.
    pub summary: Summary,
    /// Checks that did not pass (all of them when it failed).
    pub checks: Vec<Check>,
}

/// The result of `enable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnableReport {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `enable`.
    pub command: &'static str,
    /// applied, no-changes, planned, blocked, failed, partial.
    pub verdict: EnableVerdict,
    /// The tenant.
    pub tenant: String,
    /// The customer key.
    pub key_arn: String,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// The verify checks enable ran first.
    pub verify: VerifySummary,
    /// Every change, with its action and outcome.
    pub changes: Vec<ChangeResult>,
    /// The steps applied, as `change-id step`.
    pub applied: Vec<String>,
    /// The run id (lock holder and audit event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Where the audit event went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<String>,
    /// What remains for a person to do.
    pub next: Vec<String>,
    /// Warnings (e.g. the audit event could not be written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl EnableReport {
    fn new(t: &Tenancy, prepared: &Prepared, verdict: EnableVerdict, dry_run: bool) -> Self {
        let v = &prepared.verify;
        let checks = v
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .cloned()
            .collect();
        Self {
            schema_version: SCHEMA_VERSION,
            command: "enable",
            verdict,
            tenant: t.tenant.to_string(),
            key_arn: t.key.to_string(),
            account: t.account.clone(),
            region: t.region.clone(),
            dry_run,
            verify: VerifySummary {
                verdict: v.verdict,
                summary: v.summary,
                checks,
            },
            changes: vec![],
            applied: vec![],
            run_id: None,
            audit: None,
            next: vec![],
            warnings: vec![],
        }
    }

    /// The report before anything is applied: failed (verify), blocked, no-changes or planned.
    pub fn unapplied(t: &Tenancy, prepared: &Prepared, dry_run: bool) -> Self {
        let verdict = if !prepared.verify.passed() {
            EnableVerdict::Failed
        } else if !prepared.plan.blocked().is_empty() {
            EnableVerdict::Blocked
        } else if prepared.plan.is_empty() {
            EnableVerdict::NoChanges
        } else {
            EnableVerdict::Planned
        };
        let mut r = Self::new(t, prepared, verdict, dry_run);
        r.changes = prepared
            .plan
            .changes
            .iter()
            .map(|c| {
                ChangeResult::unapplied(
                    c,
                    if verdict == EnableVerdict::Planned {
                        Outcome::Planned
                    } else {
                        Outcome::Skipped
                    },
                )
            })
            .collect();
        r.next = next_steps(&prepared.plan, verdict);
        r
    }

    /// Whether the answer is yes (exit 0).
    pub fn is_yes(&self) -> bool {
        match self.verdict {
            EnableVerdict::Applied | EnableVerdict::NoChanges | EnableVerdict::Planned => true,
            EnableVerdict::Blocked | EnableVerdict::Failed | EnableVerdict::Partial => false,
        }
    }
}

pub(super) fn next_steps(plan: &Plan, verdict: EnableVerdict) -> Vec<String> {
    let mut next = vec![];
    match verdict {
        EnableVerdict::Failed => next.push(
            "hand the failing checks' remedies to the customer, then run enable again".into(),
        ),
        EnableVerdict::Blocked => {
            for c in plan.blocked() {
                next.push(c.reason.clone());
            }
        }
        EnableVerdict::Planned => next.push("run the same command without --dry-run to apply".into()),
        EnableVerdict::Partial => next.push(
            "fix what failed (see the failed step), then run enable again: it resumes and changes only what is left"
                .into(),
        ),
        EnableVerdict::Applied | EnableVerdict::NoChanges => {}
    }
    for c in &plan.changes {
        for n in &c.notes {
            if n.id == NoteId::RdsMigrationCutover && verdict != EnableVerdict::Blocked {
                next.push(n.message.clone());
            }
        }
    }
    // Only once something is applied is there anything for revoke-check to prove.
    if matches!(verdict, EnableVerdict::Applied | EnableVerdict::NoChanges) {
        next.push(
            "run `cmek revoke-check` to prove that disabling the key cuts Speedscale off".into(),
        );
    }
    next.dedup();
    next
}
