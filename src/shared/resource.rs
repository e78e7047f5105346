//! One row of `status`: a resource, the key it should use, the key it uses, and whether that is
//! ok. Every service reports its resources as these rows; revoke-check reads its evidence off them.

use serde::Serialize;

use super::ids::{ResourceKind, ResourceState};
use super::tenancy::{key_matches, Encryption};
use crate::input::KeyArn;

/// One resource's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceStatus {
    /// `<kind>:<resource>`, e.g. `s3-bucket:speedscale-acme-data-…`.
    pub id: String,
    /// What it is.
    pub kind: ResourceKind,
    /// Its name.
    pub resource: String,
    /// The key it should use.
    pub expected_key: String,
    /// The key it uses: an ARN, `sse-s3`, `aws-managed`, `none`, or `-` when missing.
    pub actual_key: String,
    /// ok, drift, unencrypted, missing.
    pub state: ResourceState,
    /// The AWS status, when the resource has one (e.g. `available`, `ENABLED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// One sentence.
    pub message: String,
    /// A Firehose stream on a customer key: which rule lets records in (caller-permission or grant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<super::ids::StreamModel>,
    /// A copy of the tenant's data beside the live resources (a snapshot, a retained backup, an
    /// unfinished upload, a replication rule, a stream's backup): what AWS says of it, and the
    /// command that removes it (cmek itself never deletes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<DataCopy>,
    /// A queue or topic on a KMS key: how long the service may reuse a data key without calling
    /// KMS (SQS's `KmsDataKeyReusePeriodSeconds`, SNS's five minutes), the longest a revocation
    /// takes to reach it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_key_reuse_seconds: Option<i64>,
}

/// A word for a POSIX shell: as it is when it holds nothing a shell reads, else single-quoted
/// (object keys are the tenant's and may hold anything; a command cmek prints must paste safely).
pub fn sh(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=@%+-,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// What a `status` row knows of a copy of the tenant's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DataCopy {
    /// Its size as RDS gives it: the allocated storage, in GiB (S3 and Firehose give no size for
    /// these copies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocated_storage_gib: Option<u32>,
    /// When it was made or started (RFC 3339), where AWS gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Other AWS accounts it is shared with (`all`: public), where AWS reports sharing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<String>,
    /// The exact command that removes it, for the engineer to run once the copy is not needed.
    pub remove: String,
    /// Whether it sits outside the tenant's own resources (a bucket cmek does not examine).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub outside_tenant_buckets: bool,
}

impl DataCopy {
    /// What AWS says of it, for a message: " (from T, N GiB allocated, shared with A)", or "".
    pub fn facts(&self) -> String {
        let mut facts = vec![];
        if let Some(t) = &self.created {
            facts.push(format!("from {t}"));
        }
        if let Some(g) = self.allocated_storage_gib {
            facts.push(format!("{g} GiB allocated"));
        }
        if !self.shared_with.is_empty() {
            facts.push(format!("shared with {}", self.shared_with.join(", ")));
        }
        if facts.is_empty() {
            String::new()
        } else {
            format!(" ({})", facts.join(", "))
        }
    }
}

/// How an encryption compares with the key.
pub fn classify(enc: &Encryption, key: &KeyArn) -> ResourceState {
    match enc {
        Encryption::Kms(k) if key_matches(k, key) => ResourceState::Ok,
        Encryption::None => ResourceState::Unencrypted,
        Encryption::SseS3 | Encryption::SseSqs | Encryption::AwsManaged | Encryption::Kms(_) => {
            ResourceState::Drift
        }
    }
}

impl ResourceStatus {
    /// A row: `enc` is `None` when the resource is missing.
    pub fn of(
        kind: impl Into<ResourceKind>,
        resource: &str,
        key: &KeyArn,
        enc: Option<&Encryption>,
        message: impl Into<String>,
    ) -> Self {
        let kind = kind.into();
        let (actual, state) = match enc {
            None => ("-".to_string(), ResourceState::Missing),
            Some(e) => (e.shown(), classify(e, key)),
        };
        Self {
            id: format!("{}:{resource}", kind.as_str()),
            kind,
            resource: resource.into(),
            expected_key: key.to_string(),
            actual_key: actual,
            state,
            status: None,
            message: message.into(),
            model: None,
            copy: None,
            data_key_reuse_seconds: None,
        }
    }

    /// Marks the row as a copy of the tenant's data.
    pub fn copy(mut self, copy: DataCopy) -> Self {
        self.copy = Some(copy);
        self
    }

    /// Whether the row is a copy beside the live resources that is not under the key: `enable`
    /// cannot bring it back, only removing it (or keeping it knowingly) does.
    pub fn is_copy_off_key(&self) -> bool {
        self.copy.is_some() && !self.on_key()
    }

    /// Adds the AWS status (nothing when empty).
    pub fn status(mut self, s: impl Into<String>) -> Self {
        let s = s.into();
        if !s.is_empty() {
            self.status = Some(s);
        }
        self
    }

    /// Whether it is on the expected key.
    pub fn on_key(&self) -> bool {
        match self.state {
            ResourceState::Ok | ResourceState::Stopped => true,
            ResourceState::Drift | ResourceState::Unencrypted | ResourceState::Missing => false,
        }
    }
}

/// Counts by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    /// On the expected key.
    pub ok: usize,
    /// On another key (SSE-S3 and AWS managed keys included).
    pub drift: usize,
    /// Not encrypted.
    pub unencrypted: usize,
    /// Not there.
    pub missing: usize,
    /// On the key but stopped (an action to take).
    pub stopped: usize,
}

/// Counts the states.
pub fn count(resources: &[ResourceStatus]) -> StateCounts {
    let mut c = StateCounts::default();
    for r in resources {
        match r.state {
            ResourceState::Ok => c.ok += 1,
            ResourceState::Drift => c.drift += 1,
            ResourceState::Unencrypted => c.unencrypted += 1,
            ResourceState::Missing => c.missing += 1,
            ResourceState::Stopped => c.stopped += 1,
        }
    }
    c
}

impl ResourceStatus {
    /// Revocation evidence that this data path does not depend on the key: a `fail`.
    pub fn gap(&self, id: super::ids::CheckId, what: &str) -> super::report::Check {
        super::report::Check::new(
            id,
            super::report::Status::Fail,
            &self.resource,
            format!(
                "{what} is under {} and does not depend on the key",
                self.actual_key
            ),
        )
    }
}
