//! What every report is made of: checks and findings with stable ids and a status, their remedies,
//! and counts. The binary renders them as a table or as the JSON of CONTRACT.md.

use serde::Serialize;
use serde_json::Value;

pub use super::ids::CheckId;

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

/// What must change, for the customer or the engineer: a sentence, and the key-policy statement
/// to add when the change is one. In JSON it is one string (the sentence, then the statement on
/// one line); a table prints the statement pretty, ready to paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remedy {
    /// What to do, in one sentence (ends with `:` when a statement follows).
    pub text: String,
    /// The key-policy statement to add, when there is one.
    pub statement: Option<Value>,
}

impl Remedy {
    /// A remedy that adds a key-policy statement.
    pub fn statement(text: impl Into<String>, statement: Value) -> Self {
        Self {
            text: text.into(),
            statement: Some(statement),
        }
    }

    /// Whether the remedy, as one line, contains `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

impl std::fmt::Display for Remedy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.statement {
            Some(s) => write!(f, "{} {}", self.text, super::policy::one_line(s)),
            None => f.write_str(&self.text),
        }
    }
}

impl From<String> for Remedy {
    fn from(text: String) -> Self {
        Self {
            text,
            statement: None,
        }
    }
}

impl From<&str> for Remedy {
    fn from(text: &str) -> Self {
        text.to_string().into()
    }
}

impl Serialize for Remedy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One check or finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable kebab-case id, documented in docs/checks.md.
    pub id: CheckId,
    /// Outcome.
    pub status: Status,
    /// What it is about: a key ARN, `s3://bucket/key`, a stream or database name.
    pub resource: String,
    /// What was found, in one sentence.
    pub message: String,
    /// What the customer (or engineer) must change, when something must change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
    /// The AWS error code behind this outcome, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
}

impl Check {
    /// A check with no remedy.
    pub fn new(
        id: CheckId,
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
    pub fn remedy(mut self, remedy: impl Into<Remedy>) -> Self {
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

impl std::fmt::Display for Summary {
    /// The one way every report counts its checks: "3 pass, 1 warn, 0 fail, 2 skip".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pass, {} warn, {} fail, {} skip",
            self.pass, self.warn, self.fail, self.skip
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remedy_is_one_string_in_json_with_its_statement_on_one_line() {
        let r = Remedy::statement("add to the key policy:", serde_json::json!({"Sid": "X"}));
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            "add to the key policy: {\"Sid\":\"X\"}"
        );
        assert_eq!(
            serde_json::to_value(Remedy::from("run enable")).unwrap(),
            "run enable"
        );
    }
}
