//! `enable`: verify, observe, plan; then (after the binary's confirmation) lock, apply, record,
//! audit and unlock. The binary decides about confirmation; the library never prompts or prints.

use serde::Serialize;

use crate::apply::{self, ChangeResult, Outcome, Progress, Waits};
use crate::aws::Clients;
use crate::error::Error;
use crate::plan::{self, Plan, PlanOptions};
use crate::registry::{self, LockRefusal, Record, Registry, Resources};
use crate::report::{Check, Status, Summary, VerifyReport, SCHEMA_VERSION};
use crate::state::{observe, ObjectScan, Observed, Tenancy};
use crate::verify::{verify, VerifyRequest};

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

/// Verifies the key, reads every tenant resource and computes the plan. Read-only (verify's S3
/// probe object in the registry aside).
pub async fn prepare(c: &Clients, t: &Tenancy, opts: PlanOptions) -> Result<Prepared, Error> {
    let registry = Registry::new(t);
    let req = VerifyRequest {
        tenant: t.tenant.clone(),
        key: t.key.clone(),
        account: t.account.clone(),
        region: t.region.clone(),
        // No probe object: enable makes no change before confirmation; the canary, written under
        // the key after it, proves S3's use of the key instead.
        probe: None,
        endpoint: t.endpoint.clone(),
    };
    let (report, observed, record) = tokio::join!(
        verify(&c.kms, &c.s3, &req),
        observe(c, t, ObjectScan::Sample(PLAN_SAMPLE)),
        registry.read_record(c, t.tenant.as_str())
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
    let observed = observed?;
    let record = record?;
    let plan = plan::plan(t, &observed, record.as_ref(), opts);
    Ok(Prepared {
        verify: report,
        observed: Some(observed),
        record,
        plan,
    })
}

/// The verify part of enable's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifySummary {
    /// pass or fail.
    pub verdict: &'static str,
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
    pub verdict: &'static str,
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
    fn new(t: &Tenancy, prepared: &Prepared, verdict: &'static str, dry_run: bool) -> Self {
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
            "failed"
        } else if !prepared.plan.blocked().is_empty() {
            "blocked"
        } else if prepared.plan.is_empty() {
            "no-changes"
        } else {
            "planned"
        };
        let mut r = Self::new(t, prepared, verdict, dry_run);
        r.changes = prepared
            .plan
            .changes
            .iter()
            .map(|c| {
                ChangeResult::unapplied(
                    c,
                    if verdict == "planned" {
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
        matches!(self.verdict, "applied" | "no-changes" | "planned")
    }
}

fn next_steps(plan: &Plan, verdict: &str) -> Vec<String> {
    let mut next = vec![];
    match verdict {
        "failed" => next.push(
            "hand the failing checks' remedies to the customer, then run enable again".into(),
        ),
        "blocked" => {
            for c in plan.blocked() {
                next.push(c.reason.clone());
            }
        }
        "planned" => next.push("run the same command without --dry-run to apply".into()),
        "partial" => next.push(
            "fix what failed (see the failed step), then run enable again: it resumes and changes only what is left"
                .into(),
        ),
        _ => {}
    }
    for c in &plan.changes {
        for n in &c.notes {
            if n.id == "rds-migration-cutover" && verdict != "blocked" {
                next.push(n.message.clone());
            }
        }
    }
    next.push("run `cmek revoke-check` to prove that disabling the key cuts Speedscale off".into());
    next.dedup();
    next
}

/// Why enable stopped before applying anything on our side.
#[derive(Debug)]
pub enum Refused {
    /// Another run holds the tenant's lock.
    Locked(LockRefusal),
    /// An AWS or local error before the first change.
    Error(Error),
}

/// Who runs the apply, and how.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The STS caller ARN (lock holder, record, audit).
    pub caller_arn: &'a str,
    /// `--break-lock RUN_ID`.
    pub break_lock: Option<&'a str>,
    /// How long waits may take.
    pub waits: Waits,
}

/// Takes the lock, applies the plan, writes the record and an audit event, releases the lock.
/// `interrupt` resolving stops the apply (Ctrl-C): the lock is still released and the audit event
/// written, and the report says what was applied.
pub async fn apply_locked(
    c: &Clients,
    t: &Tenancy,
    prepared: &Prepared,
    run: RunOptions<'_>,
    progress: &dyn Progress,
    interrupt: impl std::future::Future<Output = ()>,
) -> Result<(EnableReport, bool), Refused> {
    let RunOptions {
        caller_arn,
        break_lock,
        waits,
    } = run;
    let registry = Registry::new(t);
    let run = registry::run_id();
    registry
        .ensure(c)
        .await
        .map_err(|e| Refused::Error(e.into()))?;
    let lock = match registry
        .acquire(c, t.tenant.as_str(), caller_arn, &run, break_lock)
        .await
    {
        Ok(Ok(lock)) => lock,
        Ok(Err(refusal)) => return Err(Refused::Locked(refusal)),
        Err(e) => return Err(Refused::Error(e.into())),
    };
    let observed = prepared.observed.clone().unwrap_or_else(|| Observed {
        buckets: vec![],
        streams: vec![],
        database: None,
        migrated: None,
        role: None,
    });
    let opts = PlanOptions {
        reencrypt_objects: prepared.plan.changes.iter().any(|c| {
            c.steps.contains(&plan::Step::ReencryptObjects)
                || c.steps.contains(&plan::Step::WriteBatchJob)
        }),
        batch_operations: prepared
            .plan
            .changes
            .iter()
            .any(|c| c.steps.contains(&plan::Step::WriteBatchJob)),
        migrate_database: prepared
            .plan
            .changes
            .iter()
            .any(|c| c.steps.contains(&plan::Step::RestoreDatabase)),
    };
    let resources = Resources::of(t, &observed, opts);
    let record = build_record(t, prepared.record.as_ref(), resources, caller_arn);
    let write_record = registry.write_record(c, &record);
    let recorder = Recorder {
        inner: progress,
        seen: std::sync::Mutex::new(vec![]),
    };
    let work = apply::apply(
        c,
        t,
        &prepared.plan,
        &observed,
        &recorder,
        waits,
        write_record,
    );
    // Long applies (a database migration can take hours) keep the lock alive; a lock someone
    // broke stops the run like Ctrl-C does.
    let held = tokio::sync::Mutex::new(lock);
    let heartbeat = async {
        loop {
            tokio::time::sleep(registry::LOCK_TTL / 4).await;
            let mut lock = held.lock().await;
            match registry.renew(c, &mut lock).await {
                Ok(true) => {}
                Ok(false) => return "the tenant's lock was broken by another run: stopped",
                Err(e) => tracing::warn!("could not renew the tenant's lock: {e}"),
            }
        }
    };
    tokio::pin!(work);
    tokio::pin!(interrupt);
    tokio::pin!(heartbeat);
    let (results, stopped): (Vec<ChangeResult>, Option<&str>) = tokio::select! {
        r = &mut work => (r, None),
        _ = &mut interrupt => (vec![], Some("interrupted: the step in flight may or may not have happened; running enable again resumes")),
        why = &mut heartbeat => (vec![], Some(why)),
    };
    let interrupted = stopped.is_some();
    let mut report = EnableReport::new(t, prepared, "applied", false);
    report.run_id = Some(run.clone());
    if let Some(why) = stopped {
        report.verdict = "partial";
        let (changes, applied) = recorder.so_far(&prepared.plan);
        report.changes = changes;
        report.applied = applied;
        report.warnings.push(why.to_string());
    } else {
        report.applied = results
            .iter()
            .flat_map(|r| {
                r.results
                    .iter()
                    .filter(|s| s.outcome == Outcome::Applied)
                    .map(move |s| format!("{} {}", r.change.id, s.step.name()))
            })
            .collect();
        if results.iter().any(|r| r.outcome == Outcome::Failed) {
            report.verdict = "partial";
        }
        report.changes = results;
    }
    report.next = next_steps(&prepared.plan, report.verdict);
    let event = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "event": "enable",
        "run_id": run,
        "tenant": t.tenant.as_str(),
        "key_arn": t.key.as_str(),
        "caller": caller_arn,
        "time": registry::rfc3339(registry::now()),
        "cmek_version": env!("CARGO_PKG_VERSION"),
        "verdict": report.verdict,
        "applied": report.applied,
        "failed": report.changes.iter().flat_map(|c| c.results.iter().filter(|s| s.outcome == Outcome::Failed).map(move |s| format!("{} {}", c.change.id, s.step.name()))).collect::<Vec<_>>(),
    });
    match registry.audit(c, t.tenant.as_str(), &run, &event).await {
        Ok(at) => report.audit = Some(at),
        Err(e) => report
            .warnings
            .push(format!("the audit event could not be written: {e}")),
    }
    let lock = held.lock().await.clone();
    if let Err(e) = registry.release(c, &lock).await {
        report.warnings.push(format!(
            "the lock could not be released ({e}); it expires at {}, or the next run can pass --break-lock {run}",
            registry::rfc3339(lock.expires)
        ));
    }
    Ok((report, interrupted))
}

fn build_record(
    t: &Tenancy,
    previous: Option<&Record>,
    resources: Resources,
    caller: &str,
) -> Record {
    let now = registry::rfc3339(registry::now());
    Record {
        schema_version: 1,
        tenant: t.tenant.to_string(),
        key_arn: t.key.to_string(),
        environment: t.env.name.clone(),
        account: t.account.clone(),
        region: t.region.clone(),
        resources,
        enabled_by: previous
            .map(|p| p.enabled_by.clone())
            .unwrap_or_else(|| caller.to_string()),
        enabled_at: previous
            .map(|p| p.enabled_at.clone())
            .unwrap_or_else(|| now.clone()),
        updated_by: caller.to_string(),
        updated_at: now,
        cmek_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Keeps what each step came to as it happens, so an interrupted run can still say what it applied.
struct Recorder<'a> {
    inner: &'a dyn Progress,
    /// (change id, step, result; None while in flight).
    seen: std::sync::Mutex<Vec<(String, plan::Step, Option<apply::StepResult>)>>,
}

impl Progress for Recorder<'_> {
    fn step(&self, change: &plan::Change, step: plan::Step) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((change.id.clone(), step, None));
        }
        self.inner.step(change, step);
    }
    fn step_done(&self, change: &plan::Change, result: &apply::StepResult) {
        if let Ok(mut seen) = self.seen.lock() {
            if let Some(slot) = seen
                .iter_mut()
                .rev()
                .find(|(id, s, r)| *id == change.id && *s == result.step && r.is_none())
            {
                slot.2 = Some(result.clone());
            }
        }
        self.inner.step_done(change, result);
    }
    fn waiting(&self, resource: &str, status: &str, waited: std::time::Duration) {
        self.inner.waiting(resource, status, waited);
    }
    fn objects(&self, done: u64, total: u64) {
        self.inner.objects(done, total);
    }
}

impl Recorder<'_> {
    /// The changes as far as they got: steps done, the one in flight (failed: it may or may not
    /// have happened), the rest skipped.
    fn so_far(&self, plan: &Plan) -> (Vec<ChangeResult>, Vec<String>) {
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let mut applied = vec![];
        let changes = plan
            .changes
            .iter()
            .map(|c| {
                let mut results = vec![];
                for &step in &c.steps {
                    let r = seen
                        .iter()
                        .find(|(id, s, _)| *id == c.id && *s == step)
                        .map(|(_, _, r)| match r {
                            Some(r) => r.clone(),
                            None => apply::StepResult {
                                step,
                                outcome: Outcome::Failed,
                                message: Some("interrupted while in flight".into()),
                                aws_error: None,
                            },
                        })
                        .unwrap_or(apply::StepResult {
                            step,
                            outcome: Outcome::Skipped,
                            message: None,
                            aws_error: None,
                        });
                    if r.outcome == Outcome::Applied {
                        applied.push(format!("{} {}", c.id, step.name()));
                    }
                    results.push(r);
                }
                let outcome = if results.iter().any(|r| r.outcome == Outcome::Failed) {
                    Outcome::Failed
                } else if !results.is_empty()
                    && results.iter().all(|r| r.outcome == Outcome::Applied)
                {
                    Outcome::Applied
                } else {
                    Outcome::Skipped
                };
                ChangeResult {
                    change: c.clone(),
                    outcome,
                    results,
                }
            })
            .collect();
        (changes, applied)
    }
}
