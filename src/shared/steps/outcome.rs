//! What applying a plan comes to: each step's and each change's outcome, the progress callbacks,
//! wait limits, step errors, and the context every service's apply gets.

use std::time::Duration;

use serde::Serialize;

use super::{Action, Change, Step};
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::Tenancy;

/// What became of a change or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Done.
    Applied,
    /// Not attempted (nothing to do, or an earlier step failed).
    Skipped,
    /// Tried and failed (or its answer was lost: it may have happened; running again resumes).
    Failed,
    /// Dry run: what would be done.
    Planned,
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepResult {
    /// The step.
    pub step: Step,
    /// What became of it.
    pub outcome: Outcome,
    /// What happened, when there is more to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The AWS error code, when it failed on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
}

impl StepResult {
    /// A step with this outcome and nothing more to say.
    pub fn bare(step: Step, outcome: Outcome) -> Self {
        Self {
            step,
            outcome,
            message: None,
            aws_error: None,
        }
    }

    /// What a step's work came to.
    pub fn of(step: Step, r: StepOutput) -> Self {
        match r {
            Ok(message) => Self {
                step,
                outcome: Outcome::Applied,
                message,
                aws_error: None,
            },
            Err(e) => Self {
                step,
                outcome: Outcome::Failed,
                message: Some(e.message),
                aws_error: e.code,
            },
        }
    }
}

/// One change with what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeResult {
    /// The planned change.
    #[serde(flatten)]
    pub change: Change,
    /// What became of it as a whole.
    pub outcome: Outcome,
    /// Each step.
    pub results: Vec<StepResult>,
}

impl ChangeResult {
    /// A change as planned (dry run) or skipped.
    pub fn unapplied(change: &Change, outcome: Outcome) -> Self {
        let outcome = if change.action == Action::None {
            Outcome::Skipped
        } else {
            outcome
        };
        Self {
            change: change.clone(),
            outcome,
            results: change
                .steps
                .iter()
                .map(|s| StepResult::bare(*s, outcome))
                .collect(),
        }
    }
}

/// Progress callbacks (the binary draws them; the library never prints).
pub trait Progress: Send + Sync {
    /// A step starts.
    fn step(&self, change: &Change, step: Step);
    /// A step ended.
    fn step_done(&self, change: &Change, result: &StepResult);
    /// Waiting on AWS: what, its current status, time waited so far.
    fn waiting(&self, resource: &str, status: &str, waited: Duration);
    /// Objects re-encrypted so far, of total.
    fn objects(&self, done: u64, total: u64);
}

/// Progress that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _: &Change, _: Step) {}
    fn step_done(&self, _: &Change, _: &StepResult) {}
    fn waiting(&self, _: &str, _: &str, _: Duration) {}
    fn objects(&self, _: u64, _: u64) {}
}

/// The longest each kind of wait may take before the step fails (running enable again resumes
/// the wait).
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    /// The longest a Firehose wait (stream ACTIVE, encryption ENABLED) may take before its step
    /// fails.
    pub stream: Duration,
    /// The longest an RDS wait (instance or snapshot available) may take before its step fails.
    pub database: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Self {
            stream: Duration::from_secs(15 * 60),
            database: Duration::from_secs(90 * 60),
        }
    }
}

/// What a step failed with.
#[derive(Debug, Clone)]
pub struct StepError {
    /// One sentence.
    pub message: String,
    /// The AWS error code.
    pub code: Option<String>,
}

impl From<AwsError> for StepError {
    fn from(e: AwsError) -> Self {
        let lost = e.http_status.is_none() || e.is_server_error();
        let mut message = e.to_string();
        if lost {
            message.push_str(
                "; the change may or may not have happened: running enable again finishes it",
            );
        }
        Self {
            message,
            code: e.code.clone(),
        }
    }
}

/// A step failure that is not an AWS error.
pub fn fail(message: impl Into<String>) -> StepError {
    StepError {
        message: message.into(),
        code: None,
    }
}

/// What a step's work comes to: done (with something to say, or not), or failed.
pub type StepOutput = Result<Option<String>, StepError>;

/// What every service's apply gets.
#[derive(Clone, Copy)]
pub struct ApplyCtx<'a> {
    /// The clients.
    pub c: &'a Clients,
    /// The tenant.
    pub t: &'a Tenancy,
    /// Where progress goes.
    pub progress: &'a dyn Progress,
    /// How long waits may take.
    pub waits: Waits,
}

impl ApplyCtx<'_> {
    /// The endpoint override, for error messages.
    pub fn ep(&self) -> Option<&str> {
        self.t.ep()
    }
}
