//! Following a job: DescribeJob until it is Complete, Failed or Cancelled, with its task counts on
//! the progress bar.

use std::time::Duration;

use super::is_terminal;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::poll::{self, Probe};
use crate::shared::steps::{fail, Progress, StepError};
use crate::shared::tenancy::{err, Tenancy};

/// How long cmek follows one job before the step fails (running enable again resumes following).
pub const FOLLOW_LIMIT: Duration = Duration::from_secs(24 * 3600);

/// A job as DescribeJob shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobProgress {
    /// `New`, `Preparing`, `Active`, `Complete`, `Failed`, ...
    pub status: String,
    /// Tasks in the job (known once the manifest is read).
    pub total: i64,
    /// Tasks that succeeded.
    pub succeeded: i64,
    /// Tasks that failed.
    pub failed: i64,
    /// Why the job itself failed, when it did.
    pub failure_reasons: Vec<String>,
}

/// DescribeJob.
pub async fn describe(c: &Clients, t: &Tenancy, job_id: &str) -> Result<JobProgress, AwsError> {
    let out = c
        .s3control
        .describe_job()
        .account_id(&t.account)
        .job_id(job_id)
        .send()
        .await
        .map_err(err("s3control", "DescribeJob", t.ep()))?;
    let job = out.job();
    let summary = job.and_then(|j| j.progress_summary());
    Ok(JobProgress {
        status: job
            .and_then(|j| j.status())
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        total: summary.and_then(|s| s.total_number_of_tasks()).unwrap_or(0),
        succeeded: summary
            .and_then(|s| s.number_of_tasks_succeeded())
            .unwrap_or(0),
        failed: summary
            .and_then(|s| s.number_of_tasks_failed())
            .unwrap_or(0),
        failure_reasons: job
            .map(|j| j.failure_reasons())
            .unwrap_or_default()
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    f.failure_code().unwrap_or_default(),
                    f.failure_reason().unwrap_or_default()
                )
            })
            .collect(),
    })
}

/// Follows job `job_id` until it ends; returns its last description.
pub async fn follow(
    c: &Clients,
    t: &Tenancy,
    job_id: &str,
    label: &str,
    progress: &dyn Progress,
) -> Result<JobProgress, StepError> {
    let waited = poll::until(
        FOLLOW_LIMIT,
        |status, waited| progress.waiting(label, status, waited),
        || async {
            let p = describe(c, t, job_id).await?;
            progress.objects(
                (p.succeeded + p.failed).max(0) as u64,
                p.total.max(0) as u64,
            );
            if is_terminal(&p.status) {
                Ok::<_, AwsError>(Probe::Done(p))
            } else {
                Ok(Probe::Pending(format!(
                    "{}: {} succeeded, {} failed of {}",
                    p.status, p.succeeded, p.failed, p.total
                )))
            }
        },
    )
    .await?;
    waited.map_err(|e| {
        fail(format!(
            "job {job_id} was still {} after {}s; running enable again resumes following it",
            e.status,
            e.waited.as_secs()
        ))
    })
}
