//! Carrying out a plan, step by step, each step by the service that owns it. Every step is
//! idempotent (a create that finds its resource already there counts as done), so a run that
//! stopped part-way is finished by running again. The database chain runs beside the
//! role/bucket/stream chain: RDS takes minutes.

use super::Observed;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::services::kms::sign::create_signing_key;
use crate::services::registry::Registry;
use crate::services::{firehose, iam, rds, s3, s3control, sns, sqs};
use crate::shared::steps::{
    Action, ApplyCtx, Change, ChangeResult, Kind, Outcome, Plan, Progress, RecordStep, S3Step,
    Step, StepError, StepOutput, StepResult, Waits,
};
use crate::shared::tenancy::Tenancy;

/// Applies a plan. The key's claim comes first: when it cannot be written (another run claimed the
/// key at the same moment), nothing else is applied. Then changes are applied in order within two
/// chains (role, buckets, streams; and the database) that run side by side; a chain stops at its
/// first failure. The record is written last, only when everything else is done.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    c: &Clients,
    t: &Tenancy,
    plan: &Plan,
    observed: &Observed,
    progress: &dyn Progress,
    waits: Waits,
    claim: impl std::future::Future<Output = Result<(), StepError>>,
    record: impl std::future::Future<Output = Result<(), AwsError>>,
) -> Vec<ChangeResult> {
    let x = ApplyCtx {
        c,
        t,
        progress,
        waits,
    };
    let mut claimed = vec![];
    if let Some(key) = plan.changes.iter().find(|ch| ch.kind == Kind::KeyClaim) {
        if key.action == Action::None {
            claimed.push(ChangeResult::unapplied(key, Outcome::Skipped));
        } else {
            let step = Step::Record(RecordStep::ClaimKey);
            progress.step(key, step);
            let r = StepResult::of(step, claim.await.map(|()| None));
            progress.step_done(key, &r);
            let result = ChangeResult {
                change: key.clone(),
                outcome: r.outcome,
                results: vec![r],
            };
            if result.outcome == Outcome::Failed {
                // Not this tenant's key after all: nothing else is applied.
                return plan
                    .changes
                    .iter()
                    .map(|ch| match ch.id == key.id {
                        true => result.clone(),
                        false => ChangeResult::unapplied(ch, Outcome::Skipped),
                    })
                    .collect();
            }
            claimed.push(result);
        }
    }
    let (main, db): (Vec<&Change>, Vec<&Change>) = plan
        .changes
        .iter()
        .filter(|ch| ch.kind != Kind::RegistryRecord && ch.kind != Kind::KeyClaim)
        .partition(|ch| !matches!(ch.kind, Kind::RdsInstance | Kind::RdsCluster));
    let (main, db) = tokio::join!(chain(x, observed, main), chain(x, observed, db));
    let mut results: Vec<ChangeResult> = claimed.into_iter().chain(main).chain(db).collect();
    let all_ok = results.iter().all(|r| r.outcome != Outcome::Failed);
    if let Some(rec) = plan
        .changes
        .iter()
        .find(|ch| ch.kind == Kind::RegistryRecord)
    {
        if rec.action == Action::None || !all_ok {
            results.push(ChangeResult::unapplied(rec, Outcome::Skipped));
        } else {
            let step = Step::Record(RecordStep::WriteRecord);
            progress.step(rec, step);
            let r = StepResult::of(step, record.await.map(|()| None).map_err(StepError::from));
            progress.step_done(rec, &r);
            results.push(ChangeResult {
                change: rec.clone(),
                outcome: r.outcome,
                results: vec![r],
            });
        }
    }
    // Keep the plan's order in the report.
    results.sort_by_key(|r| {
        plan.changes
            .iter()
            .position(|c| c.id == r.change.id)
            .unwrap_or(usize::MAX)
    });
    results
}

async fn chain(x: ApplyCtx<'_>, observed: &Observed, changes: Vec<&Change>) -> Vec<ChangeResult> {
    let mut out = vec![];
    let mut stopped = false;
    for ch in changes {
        if ch.action == Action::None || stopped {
            out.push(ChangeResult::unapplied(ch, Outcome::Skipped));
            continue;
        }
        let mut results = vec![];
        let mut failed = false;
        for &step in &ch.steps {
            if failed {
                results.push(StepResult::bare(step, Outcome::Skipped));
                continue;
            }
            x.progress.step(ch, step);
            let r = StepResult::of(step, run_step(x, observed, ch, step).await);
            failed = r.outcome == Outcome::Failed;
            x.progress.step_done(ch, &r);
            results.push(r);
        }
        stopped |= failed;
        out.push(ChangeResult {
            change: ch.clone(),
            outcome: if failed {
                Outcome::Failed
            } else {
                Outcome::Applied
            },
            results,
        });
    }
    out
}

/// One step, by the service that owns it.
async fn run_step(x: ApplyCtx<'_>, observed: &Observed, ch: &Change, step: Step) -> StepOutput {
    match step {
        Step::Iam(s) => {
            iam::apply(
                x,
                s,
                ch,
                super::plan::producer_old_key(x.t, observed, ch).as_deref(),
            )
            .await
        }
        Step::S3(S3Step::RunBatchJobs) => {
            s3control::run_batch_jobs(x.c, x.t, &ch.resource, x.progress).await
        }
        Step::S3(S3Step::FollowBatchJobs) => {
            s3control::follow_batch_jobs(x.c, x.t, &ch.resource, x.progress).await
        }
        Step::S3(s) => s3::apply(x, &observed.buckets, ch, s).await,
        Step::Firehose(s) => firehose::apply(x, ch, s).await,
        Step::Rds(s) => rds::apply(x, &observed.databases(), ch, s).await,
        Step::Cluster(s) => rds::apply_cluster(x, &observed.databases(), ch, s).await,
        Step::Sqs(s) => sqs::apply(x, &observed.queues, ch, s).await,
        Step::Sns(s) => sns::apply(x, &observed.topics, ch, s).await,
        // The record is written by `apply` itself, last; the key's claim first.
        Step::Record(RecordStep::WriteRecord | RecordStep::ClaimKey) => Ok(None),
        Step::Record(RecordStep::ProtectRegistry) => {
            let done = Registry::new(x.t).protect(x.c, &x.t.env).await?;
            Ok((!done.is_empty()).then(|| done.join("; ")))
        }
        Step::Record(RecordStep::CreateSigningKey) => {
            let arn = create_signing_key(x.c, &x.t.env.name).await?;
            Ok(Some(format!("evidence signing key {arn}")))
        }
    }
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
