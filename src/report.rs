//! One report type for every command: checks and findings with stable ids, rendered by the binary
//! as a table or as the JSON of CONTRACT.md.

use serde::Serialize;

/// The JSON schema version of every command's output.
pub const SCHEMA_VERSION: u32 = 1;

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Passed.
    Pass,
    /// Passed with something the engineer or customer should know.
    Warn,
    /// Failed: the command's answer is no.
    Fail,
    /// Not run, or not provable here (the message says why).
    Skip,
}

impl Status {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// One check or finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable kebab-case id, documented in docs/checks.md.
    pub id: &'static str,
    /// Outcome.
    pub status: Status,
    /// What it is about: a key ARN, `s3://bucket/key`, a stream or database name.
    pub resource: String,
    /// What was found, in one sentence.
    pub message: String,
    /// What the customer (or engineer) must change, when something must change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
    /// The AWS error code behind this outcome, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
}

impl Check {
    /// A check with no remedy.
    pub fn new(
        id: &'static str,
        status: Status,
        resource: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            id,
            status,
            resource: resource.into(),
            message: message.into(),
            remedy: None,
            aws_error: None,
        }
    }

    /// Adds the remedy.
    pub fn remedy(mut self, remedy: impl Into<String>) -> Self {
        self.remedy = Some(remedy.into());
        self
    }

    /// Records the AWS error code behind the outcome.
    pub fn aws_error(mut self, code: &str) -> Self {
        if !code.is_empty() {
            self.aws_error = Some(code.to_string());
        }
        self
    }
}

/// Counts of each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Passed checks.
    pub pass: usize,
    /// Warnings.
    pub warn: usize,
    /// Failures.
    pub fail: usize,
    /// Skipped checks.
    pub skip: usize,
}

/// The result of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `verify`.
    pub command: &'static str,
    /// `pass` or `fail`.
    pub verdict: &'static str,
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
            verdict: if summary.fail > 0 { "fail" } else { "pass" },
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
        self.verdict == "pass"
    }

    /// The check with this id.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// Counts the statuses.
pub fn summarize(checks: &[Check]) -> Summary {
    let mut s = Summary::default();
    for c in checks {
        match c.status {
            Status::Pass => s.pass += 1,
            Status::Warn => s.warn += 1,
            Status::Fail => s.fail += 1,
            Status::Skip => s.skip += 1,
        }
    }
    s
}
