//! Applying under the tenant's lock: take it, apply, write the record and an audit event, release
//! it. A long apply renews the lock; Ctrl-C or a broken lock stops it, and the report still says
//! what was applied.

use super::binding::{claim_to_write, KEY_CHANGE};
use super::{apply, next_steps, resources, EnableReport, EnableVerdict, Prepared};
use crate::aws::Clients;
use crate::error::Error;
use crate::services::registry::{ClaimWrite, LockRefusal, Registry, LOCK_TTL};
use crate::shared::clock;
use crate::shared::record::{Record, Resources};
use crate::shared::report::SCHEMA_VERSION;
use crate::shared::steps::{
    fail, Change, ChangeResult, ClusterStep, Outcome, Plan, PlanOptions, Progress, RdsStep, S3Step,
    SqsStep, Step, StepError, StepResult, Waits,
};
use crate::shared::tenancy::Tenancy;

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
    let run = clock::run_id();
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
    let observed = prepared.observed.clone().unwrap_or_default();
    let p = &prepared.plan;
    let opts = PlanOptions {
        reencrypt_objects: p.has_step(S3Step::ReencryptObjects) || p.has_step(S3Step::RunBatchJobs),
        batch_operations: p.has_step(S3Step::RunBatchJobs),
        migrate_database: p.has_step(RdsStep::RestoreDatabase)
            || p.has_step(ClusterStep::RestoreCluster),
    };
    let resources = resources(t, &observed, opts);
    let binding = &observed.binding;
    let claim = claim_to_write(t, binding, caller_arn, &clock::rfc3339(clock::now()));
    let mut record = build_record(t, prepared.record.as_ref(), resources, caller_arn);
    if claim.tenant != t.tenant.as_str() {
        record.shared_key_with = vec![claim.tenant.clone()];
    }
    // When the key reached the buckets and queues: stamped as the record is written, after every
    // step, so an upload started (or a message sent) before a change never counts as after it.
    let moved = record.key_since.is_none()
        || p.has_step(S3Step::SetBucketEncryption)
        || p.has_step(SqsStep::SetQueueEncryption);
    let write_record = async {
        let mut record = record.clone();
        if moved {
            record.key_since = Some(clock::rfc3339(clock::now()));
        }
        registry.write_record(c, &record).await
    };
    // The key's claim, first and conditional: if another run claimed the key since the plan was
    // read, nothing else is applied and the run is blocked.
    let write_claim = async {
        let etag = binding.claim.as_ref().map(|(_, e)| e.as_str());
        match registry.write_claim(c, &t.key, &claim, etag).await {
            Ok(ClaimWrite::Written) => Ok(()),
            Ok(ClaimWrite::Lost) => {
                // A retried write of our own also answers 412: what the claim says now decides.
                let now = registry.read_claim(c, &t.key).await.map_err(|e| match e {
                    Error::Aws(a) => StepError::from(*a),
                    other => fail(other.to_string()),
                })?;
                match now {
                    Some((now, _)) if now == claim => Ok(()),
                    Some((other, _)) => Err(StepError {
                        message: format!(
                            "the key was claimed by tenant {} while this run was planning (by {} at {}): one key belongs to one tenant, nothing else was applied",
                            other.tenant, other.claimed_by, other.claimed_at
                        ),
                        code: Some(CLAIMED.into()),
                    }),
                    None => Err(StepError {
                        message: "the key's claim changed while this run was planning: nothing else was applied; run enable again".into(),
                        code: Some(CLAIMED.into()),
                    }),
                }
            }
            Err(e) => Err(e.into()),
        }
    };
    let recorder = Recorder {
        inner: progress,
        seen: std::sync::Mutex::new(vec![]),
    };
    let work = apply(
        c,
        t,
        &prepared.plan,
        &observed,
        &recorder,
        waits,
        write_claim,
        write_record,
    );
    // Long applies (a database migration can take hours) keep the lock alive; a lock someone
    // broke stops the run like Ctrl-C does.
    let held = tokio::sync::Mutex::new(lock);
    let heartbeat = async {
        loop {
            tokio::time::sleep(LOCK_TTL / 4).await;
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
    let mut report = EnableReport::new(t, prepared, EnableVerdict::Applied, false);
    report.run_id = Some(run.clone());
    if let Some(why) = stopped {
        report.verdict = EnableVerdict::Partial;
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
        if results.iter().any(|r| {
            r.change.id == KEY_CHANGE
                && r.results
                    .iter()
                    .any(|s| s.aws_error.as_deref() == Some(CLAIMED))
        }) {
            // Another tenant's key after all: nothing was applied.
            report.verdict = EnableVerdict::Blocked;
        } else if results.iter().any(|r| r.outcome == Outcome::Failed) {
            report.verdict = EnableVerdict::Partial;
        }
        report.changes = results;
    }
    report.next = next_steps(&prepared.plan, report.verdict);
    // A shared key shows in both records: the owner's gains this tenant.
    if report.verdict == EnableVerdict::Applied && claim.tenant != t.tenant.as_str() {
        if let Err(e) = note_share(c, &registry, &claim.tenant, t.tenant.as_str()).await {
            report.warnings.push(format!(
                "tenant {}'s record could not be updated to say the key is shared with tenant {}: {e}",
                claim.tenant, t.tenant
            ));
        }
    }
    let event = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "event": "enable",
        "run_id": run,
        "tenant": t.tenant.as_str(),
        "key_arn": t.key.as_str(),
        "customer_account": t.key.account(),
        "previous_key_arn": prepared.record.as_ref().filter(|r| r.key_arn != t.key.as_str()).map(|r| r.key_arn.clone()),
        "previous_customer_account": prepared.record.as_ref().map(Record::customer_account).filter(|a| a != t.key.account()),
        "key_claim": (report.verdict != EnableVerdict::Blocked).then(|| serde_json::json!({"tenant": claim.tenant, "shared_with": claim.shared_with})),
        "share_key_with": binding.options.share_key_with,
        "new_customer_account": binding.options.new_customer_account,
        "caller": caller_arn,
        "time": clock::rfc3339(clock::now()),
        "cmek_version": env!("CARGO_PKG_VERSION"),
        "verdict": report.verdict.as_str(),
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
            clock::rfc3339(lock.expires)
        ));
    }
    Ok((report, interrupted))
}

/// The step error code of a claim another run won (the run is then `blocked`, exit 1).
const CLAIMED: &str = "KeyClaimedByAnotherTenant";

/// Adds `tenant` to the owner's record's `shared_key_with`, with a conditional write (the owner's
/// own run may be writing it: read again and retry, a few times).
async fn note_share(
    c: &Clients,
    registry: &Registry,
    owner: &str,
    tenant: &str,
) -> Result<(), Error> {
    for _ in 0..3 {
        let Some((mut rec, etag)) = registry.read_record_tagged(c, owner).await? else {
            return Ok(());
        };
        if rec.shared_key_with.iter().any(|x| x == tenant) {
            return Ok(());
        }
        rec.shared_key_with.push(tenant.to_string());
        if registry.write_record_if(c, &rec, &etag).await? {
            return Ok(());
        }
    }
    Err(Error::Local(format!(
        "tenant {owner}'s record kept changing while it was being updated"
    )))
}

fn build_record(
    t: &Tenancy,
    previous: Option<&Record>,
    resources: Resources,
    caller: &str,
) -> Record {
    let now = clock::rfc3339(clock::now());
    // Kept while the tenant stays on the same key; `None` for a new key, which the write stamps.
    let key_since = match previous {
        Some(p) if p.key_arn == t.key.as_str() => {
            Some(p.key_since.clone().unwrap_or_else(|| p.updated_at.clone()))
        }
        _ => None,
    };
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
        customer_account: Some(t.key.account().to_string()),
        key_since,
        shared_key_with: previous
            .map(|p| p.shared_key_with.clone())
            .unwrap_or_default(),
    }
}

/// Keeps what each step came to as it happens, so an interrupted run can still say what it applied.
struct Recorder<'a> {
    inner: &'a dyn Progress,
    /// (change id, step, result; None while in flight).
    seen: std::sync::Mutex<Vec<(String, Step, Option<StepResult>)>>,
}

impl Progress for Recorder<'_> {
    fn step(&self, change: &Change, step: Step) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((change.id.clone(), step, None));
        }
        self.inner.step(change, step);
    }
    fn step_done(&self, change: &Change, result: &StepResult) {
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
                            None => StepResult {
                                step,
                                outcome: Outcome::Failed,
                                message: Some("interrupted while in flight".into()),
                                aws_error: None,
                            },
                        })
                        .unwrap_or(StepResult::bare(step, Outcome::Skipped));
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
