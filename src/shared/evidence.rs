//! Probes as evidence for a customer's auditors: each AWS call revoke-check made, what came of it,
//! and AWS's request id, which the customer finds in their own CloudTrail for calls on their key
//! (CloudTrail logs KMS calls in the key owner's account too, for cross-account use).

use aws_types::request_id::RequestId;
use serde::Serialize;

use super::clock;
use crate::error::AwsError;

/// What one probe came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeOutcome {
    /// AWS answered the call.
    Succeeded,
    /// AWS refused it (access denied, key disabled, key pending deletion, ...).
    Refused,
    /// The resource is not there.
    NotFound,
}

/// One AWS call revoke-check made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// `kms:GenerateDataKey`, `s3:GetObject`, ...
    pub operation: String,
    /// What it was about: the key ARN, `s3://bucket/key`.
    pub resource: String,
    /// What came of it.
    pub outcome: ProbeOutcome,
    /// AWS's error code, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// AWS's request id (`x-amzn-RequestId`, `x-amz-request-id`), when AWS gave one.
    pub request_id: Option<String>,
    /// When the answer came (RFC 3339).
    pub time: String,
}

impl Probe {
    /// A call AWS answered.
    pub fn answered(
        service: &str,
        operation: &str,
        resource: impl Into<String>,
        out: &impl RequestId,
    ) -> Self {
        Self {
            operation: format!("{service}:{operation}"),
            resource: resource.into(),
            outcome: ProbeOutcome::Succeeded,
            error_code: None,
            request_id: out.request_id().map(str::to_string),
            time: clock::rfc3339(clock::now()),
        }
    }

    /// A call AWS refused, or that found nothing.
    pub fn failed(e: &AwsError, resource: impl Into<String>) -> Self {
        let not_found = e.http_status == Some(404)
            || e.is("NoSuchKey")
            || e.is("NoSuchBucket")
            || e.is("NotFoundException");
        Self {
            operation: format!("{}:{}", e.service, e.operation),
            resource: resource.into(),
            outcome: if not_found {
                ProbeOutcome::NotFound
            } else {
                ProbeOutcome::Refused
            },
            error_code: e.code.clone(),
            request_id: e.request_id.clone(),
            time: clock::rfc3339(clock::now()),
        }
    }
}
