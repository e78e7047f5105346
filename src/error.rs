//! The library's errors. AWS errors keep their error code, message and request id, so that an
//! AccessDenied, a NotFound, a disabled key and throttling stay distinguishable all the way up to
//! the exit code, which is decided once, in the binary.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

use crate::input::InputError;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: exit 2, nothing changed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An AWS call failed in a way that is our own side's problem (exit 3).
    #[error(transparent)]
    Aws(Box<AwsError>),
    /// Something on our side that is not an AWS call (exit 3).
    #[error("{0}")]
    Local(String),
}

impl From<AwsError> for Error {
    fn from(e: AwsError) -> Self {
        Error::Aws(Box::new(e))
    }
}

/// Who refused an AWS call, read from the AccessDeniedException message KMS (and S3 relaying KMS)
/// gives: "no resource-based policy allows" is the customer's key policy, "no identity-based policy
/// allows" is Speedscale's own IAM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The customer's key policy (a finding about the key, never exit 3).
    KeyPolicy,
    /// Speedscale's own IAM (identity-based policy, SCP, session policy, permissions boundary).
    OurIam,
    /// AccessDenied with a message that names neither.
    Unattributed,
}

/// How an AWS call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// AWS answered with a modelled or unmodelled service error (see `code`).
    Service,
    /// No connection could be made, or it broke (endpoint down, DNS, TLS).
    Unreachable,
    /// The call timed out.
    Timeout,
    /// No usable credentials (missing, expired, SSO session over).
    Credentials,
    /// The response could not be read.
    Response,
    /// The request could not be built.
    Request,
    /// S3 refused a request under the bucket owner condition: the bucket is another account's
    /// (`services/s3/owner.rs` tells this apart from any other 403).
    NotOurBucket,
}

/// One failed AWS call, with what AWS said about it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.describe())]
pub struct AwsError {
    /// e.g. `kms`.
    pub service: &'static str,
    /// e.g. `GenerateDataKey`.
    pub operation: &'static str,
    /// How it failed.
    pub kind: FailureKind,
    /// The AWS error code, e.g. `AccessDeniedException`, `DisabledException`, `ThrottlingException`.
    pub code: Option<String>,
    /// The AWS error message.
    pub message: Option<String>,
    /// The AWS request id, for support cases.
    pub request_id: Option<String>,
    /// Where the call was sent, when an endpoint override is in use.
    pub endpoint: Option<String>,
    /// The HTTP status of the answer, when there was one.
    pub http_status: Option<u16>,
}

const THROTTLING: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

const SERVER_ERRORS: &[&str] = &[
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "KMSInternalException",
    "DependencyTimeoutException",
];

const ACCESS_DENIED: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "AccessDeniedFault",
    "UnauthorizedOperation",
    "AuthorizationError",
];

const CREDENTIALS: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "MissingAuthenticationToken",
];

impl AwsError {
    /// Turns an SDK error into an [`AwsError`], keeping code, message and request id.
    pub fn from_sdk<E>(
        service: &'static str,
        operation: &'static str,
        err: &SdkError<E, HttpResponse>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let mut out = Self {
            service,
            operation,
            kind: FailureKind::Service,
            code: None,
            message: None,
            request_id: None,
            endpoint: None,
            http_status: err.raw_response().map(|r| r.status().as_u16()),
        };
        match err {
            SdkError::ServiceError(se) => {
                let e = se.err();
                // Modelled errors carry their code in the metadata AWS's deserializer fills; fall
                // back to the modelled error's name.
                out.code = e.code().map(str::to_string).or_else(|| {
                    let shown = e.to_string();
                    let name = shown.split([':', ' ', '[']).next().unwrap_or_default();
                    (name.ends_with("Exception") || name.ends_with("Fault"))
                        .then(|| name.to_string())
                });
                out.message = e.message().map(str::to_string);
                out.request_id = e.meta().request_id().map(str::to_string);
                if out
                    .code
                    .as_deref()
                    .is_some_and(|c| CREDENTIALS.contains(&c))
                {
                    out.kind = FailureKind::Credentials;
                }
            }
            SdkError::TimeoutError(_) => out.kind = FailureKind::Timeout,
            SdkError::DispatchFailure(df) => {
                out.kind = if df.is_timeout() {
                    FailureKind::Timeout
                } else {
                    FailureKind::Unreachable
                };
                let chain = error_chain(err);
                // The whole chain for -v; the one-line error keeps its last cause.
                tracing::debug!("{service} {operation}: dispatch failure: {chain}");
                if chain.contains("credential") || chain.contains("token") && chain.contains("sso")
                {
                    out.kind = FailureKind::Credentials;
                }
                out.message = Some(chain);
            }
            SdkError::ResponseError(_) => {
                out.kind = FailureKind::Response;
                out.message = Some(error_chain(err));
            }
            SdkError::ConstructionFailure(_) => {
                let chain = error_chain(err);
                out.kind = if chain.contains("credential") {
                    FailureKind::Credentials
                } else {
                    FailureKind::Request
                };
                out.message = Some(chain);
            }
            _ => {
                out.kind = FailureKind::Request;
                out.message = Some(error_chain(err));
            }
        }
        out
    }

    /// A service error with this code and message (used by tests and by code that models AWS).
    pub fn service(
        service: &'static str,
        operation: &'static str,
        code: &str,
        message: &str,
    ) -> Self {
        Self {
            service,
            operation,
            kind: FailureKind::Service,
            code: Some(code.into()),
            message: Some(message.into()),
            request_id: None,
            endpoint: None,
            http_status: None,
        }
    }

    /// Records where the call went (shown in "cannot reach" messages).
    pub fn at(mut self, endpoint: Option<&str>) -> Self {
        self.endpoint = endpoint.map(str::to_string);
        self
    }

    /// The AWS error code, or "".
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// The AWS error message, or "".
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or("")
    }

    /// Whether S3 refused a conditional request (If-Match, If-None-Match,
    /// x-amz-copy-source-if-match): 412 PreconditionFailed.
    pub fn is_precondition_failed(&self) -> bool {
        self.http_status == Some(412) || self.is("PreconditionFailed")
    }

    /// Whether AWS answered with this error code (S3 prefixes KMS codes with `KMS.`).
    pub fn is(&self, code: &str) -> bool {
        let c = self.code();
        c == code || c.strip_prefix("KMS.") == Some(code)
    }

    /// Throttled (after the SDK's own retries).
    pub fn is_throttling(&self) -> bool {
        THROTTLING.contains(&self.code())
    }

    /// AWS itself failed (HTTP 5xx or an internal error code) after the SDK's retries.
    pub fn is_server_error(&self) -> bool {
        self.http_status.is_some_and(|s| s >= 500) || SERVER_ERRORS.contains(&self.code())
    }

    /// An access refusal, and by whom.
    pub fn refusal(&self) -> Option<Refusal> {
        if !ACCESS_DENIED.contains(&self.code()) && !self.is("KMS.AccessDeniedException") {
            return None;
        }
        let m = self.message();
        Some(if m.contains("resource-based policy") {
            Refusal::KeyPolicy
        } else if m.contains("identity-based policy")
            || m.contains("service control policy")
            || m.contains("session policy")
            || m.contains("permissions boundary")
        {
            Refusal::OurIam
        } else {
            Refusal::Unattributed
        })
    }

    /// Whether this failure is about our side (network, credentials, our IAM, throttling), as
    /// opposed to an answer about the customer's key.
    pub fn is_our_side(&self) -> bool {
        self.kind != FailureKind::Service
            || self.is_throttling()
            || self.is_server_error()
            || self.refusal() == Some(Refusal::OurIam)
    }

    fn describe(&self) -> String {
        let call = format!("{} {}", self.service, self.operation);
        let rid = self
            .request_id
            .as_deref()
            .map(|r| format!(" (request id {r})"))
            .unwrap_or_default();
        match self.kind {
            FailureKind::Unreachable | FailureKind::Timeout => {
                let what = if self.kind == FailureKind::Timeout {
                    "timed out reaching"
                } else {
                    "cannot reach"
                };
                let (at, check) = match &self.endpoint {
                    Some(e) => (
                        format!("the endpoint {e}"),
                        "check that it is up and that --endpoint-url is right",
                    ),
                    None => (
                        format!("AWS {}", self.service),
                        "check the network, the proxy and DNS",
                    ),
                };
                // The SDK's chain of causes ends with the one that says what happened (`-v` logs
                // the whole of it).
                let message = self.message();
                let cause = message.rsplit(": ").next().unwrap_or(message);
                format!("unreachable: {what} {at} ({call}): {cause}; {check}")
            }
            FailureKind::Credentials => format!(
                "no usable AWS credentials ({call}): {} {}",
                self.code(),
                self.message()
            )
            .trim_end()
            .to_string(),
            FailureKind::NotOurBucket => self.message().to_string(),
            FailureKind::Service | FailureKind::Response | FailureKind::Request => {
                if self.is_server_error() {
                    format!(
                        "AWS failed to answer ({call}) past retries: {} {}{rid}",
                        self.code(),
                        self.message()
                    )
                } else if self.is_throttling() {
                    format!(
                        "throttled by AWS past retries ({call}): {}{rid}",
                        self.code()
                    )
                } else if self.refusal() == Some(Refusal::OurIam) {
                    format!(
                        "Speedscale's own IAM denies {call}: {}{rid}",
                        self.message()
                    )
                } else {
                    format!("{call} failed: {} {}{rid}", self.code(), self.message())
                }
            }
        }
    }
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![];
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = assume_role_answer(e).unwrap_or_else(|| e.to_string());
        if !parts.contains(&s) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// STS's answer inside a credentials error (a role assumed for `--role-arn` or a profile): its
/// Display says only "unhandled error (AccessDenied)"; the reason AWS gave is in its metadata.
fn assume_role_answer(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    use aws_sdk_sts::operation::assume_role::AssumeRoleError;
    let sdk = e.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>()?;
    let se = sdk.as_service_error()?;
    Some(format!(
        "STS AssumeRole: {}: {}",
        se.code().unwrap_or("error"),
        se.message().unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_attributed_by_message() {
        let key = AwsError::service("kms", "Decrypt", "AccessDeniedException",
            "User: arn:aws:iam::222222222222:root is not authorized to perform: kms:Decrypt on this resource because no resource-based policy allows the kms:Decrypt action");
        assert_eq!(key.refusal(), Some(Refusal::KeyPolicy));
        assert!(!key.is_our_side());
        let ours = AwsError::service("kms", "Decrypt", "AccessDeniedException",
            "User: arn:aws:sts::222222222222:assumed-role/x/y is not authorized to perform: kms:Decrypt because no identity-based policy allows the kms:Decrypt action");
        assert_eq!(ours.refusal(), Some(Refusal::OurIam));
        assert!(ours.is_our_side());
        let s3 = AwsError::service("s3", "PutObject", "KMS.AccessDeniedException", "denied");
        assert_eq!(s3.refusal(), Some(Refusal::Unattributed));
        assert!(
            AwsError::service("kms", "DescribeKey", "ThrottlingException", "Rate exceeded")
                .is_our_side()
        );
        assert!(!AwsError::service("kms", "Decrypt", "DisabledException", "x").is_our_side());
        assert!(
            AwsError::service("s3", "GetObject", "KMS.DisabledException", "x")
                .is("DisabledException")
        );
    }
}
