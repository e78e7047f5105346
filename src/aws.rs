//! The one place AWS configuration is built: profile (SSO included), region, endpoint override,
//! role to assume, retries and timeouts. Nothing else in cmek reads the environment for AWS.
//!
//! Retries: the SDK's adaptive mode, 4 attempts, backoff from 200 ms up to 5 s, so a throttled or
//! flapping call is retried for a few seconds and an endpoint that is down is reported within
//! about two seconds instead of twenty. Adaptive adds a client-side rate that engages after the
//! first throttling answer (another tool in the account spending the same quota); cmek's own
//! pacing within AWS's documented quotas is `shared/quota.rs`, so a fleet run is not throttled to
//! begin with. Timeouts: 3 s to connect, 20 s per attempt, 60 s per call.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::error::{AwsError, Error};

/// Where and as whom to call AWS. Filled from the global options by the binary.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// Shared-config profile.
    pub profile: Option<String>,
    /// Region; else the profile's or the environment's.
    pub region: Option<String>,
    /// Send every call here (a local emulator).
    pub endpoint_url: Option<String>,
    /// Role in the CMEK environment account to assume first.
    pub role_arn: Option<String>,
}

/// The AWS clients cmek uses, built from one configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    /// KMS.
    pub kms: aws_sdk_kms::Client,
    /// S3 (path-style addressing when an endpoint override is set).
    pub s3: aws_sdk_s3::Client,
    /// STS.
    pub sts: aws_sdk_sts::Client,
    /// Firehose.
    pub firehose: aws_sdk_firehose::Client,
    /// RDS.
    pub rds: aws_sdk_rds::Client,
    /// IAM (the Firehose delivery role, the Batch Operations role).
    pub iam: aws_sdk_iam::Client,
    /// S3 Control (Batch Operations jobs). Its host name carries the account id.
    pub s3control: aws_sdk_s3control::Client,
    /// CloudWatch (revoke-check's Firehose evidence).
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    /// SQS (the tenant's queues).
    pub sqs: aws_sdk_sqs::Client,
    /// SNS (the tenant's topics).
    pub sns: aws_sdk_sns::Client,
    /// The Resource Groups Tagging API (what is tagged for a tenant).
    pub tagging: aws_sdk_resourcegroupstagging::Client,
    /// The endpoint override, for messages.
    pub endpoint: Option<String>,
    /// The account every S3 request names as the bucket owner (`owned_by`), once known.
    pub bucket_owner: Option<String>,
    /// The region every client uses.
    pub region: String,
}

/// Retry policy (see the module docs).
pub fn retry_config() -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(5))
}

/// Timeout policy (see the module docs).
pub fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(20))
        .operation_timeout(Duration::from_secs(60))
        .build()
}

/// The shared config and credentials files the SDK reads (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials`).
pub fn profile_files() -> [String; 2] {
    let home = std::env::var("HOME").unwrap_or_else(|_| "~".into());
    let pick = |var: &str, default: &str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("{home}/.aws/{default}"))
    };
    [
        pick("AWS_CONFIG_FILE", "config"),
        pick("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
}

/// A named profile must exist in the files the SDK reads: otherwise the SDK's credential chain
/// falls through to instance metadata and fails with an error about IMDS, not the profile. The
/// AWS CLI names the profile instead ("The config profile (NAME) could not be found"); so does
/// cmek, with the files it read. `default` may be absent (credentials from the environment).
async fn check_profile(name: &str) -> Result<(), Error> {
    use aws_types::os_shim_internal::{Env, Fs};
    if name == "default" {
        return Ok(());
    }
    let files = aws_runtime::env_config::file::EnvConfigFiles::default();
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await;
    let [config, credentials] = profile_files();
    match set {
        Ok(set) if set.get_profile(name).is_some() => Ok(()),
        Ok(set) => {
            let known: Vec<&str> = set.profiles().collect();
            // The SDK reads a missing file as empty: say which one is missing.
            let shown = |p: &str| {
                if std::path::Path::new(p).exists() {
                    p.to_string()
                } else {
                    format!("{p} (not found)")
                }
            };
            let (config, credentials) = (shown(&config), shown(&credentials));
            Err(Error::Local(format!(
                "AWS profile {name} not found in {config} or {credentials} (profiles there: {}); check --profile or AWS_PROFILE",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            )))
        }
        Err(e) => Err(Error::Local(format!(
            "AWS profile {name}: cannot read {config} or {credentials}: {e}"
        ))),
    }
}

/// One line for a credentials failure, as the AWS CLI would explain it: an SSO session that
/// expired names `aws sso login`; a role that cannot be assumed is named with AWS's reason. `chain`
/// is the SDK's error chain (shown in full with -v).
pub fn explain_credentials(profile: Option<&str>, role_arn: Option<&str>, chain: &str) -> String {
    let lower = chain.to_ascii_lowercase();
    let profile_arg = profile
        .map(|p| format!(" --profile {p}"))
        .unwrap_or_default();
    // Only when STS itself answered (error.rs marks its answer): a role named elsewhere in the
    // chain (an SSO role, say) is not a role that could not be assumed.
    if chain.contains("STS AssumeRole: ") {
        // error.rs puts STS's own answer (code and message) in the chain after this marker.
        let reason = chain
            .split_once("STS AssumeRole: ")
            .map(|(_, answer)| answer)
            .or_else(|| chain.rsplit(": ").next())
            .unwrap_or(chain);
        let role = role_arn
            .map(str::to_string)
            .or_else(|| {
                chain
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .find(|w| w.starts_with("arn:") && w.contains(":role/"))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "the profile's role".into());
        return format!("cannot assume role {role}: {reason}");
    }
    if [
        "sso token",
        "sso session",
        "sso oidc",
        "sso-oidc",
        "sso_session",
        "session token not found or invalid",
        "/.aws/sso/cache/",
    ]
    .iter()
    .any(|phrase| lower.contains(phrase))
    {
        return format!(
            "the AWS SSO session{} has expired or is missing: run `aws sso login{profile_arg}`, then run cmek again",
            profile.map(|p| format!(" of profile {p}")).unwrap_or_default()
        );
    }
    // The SDK's whole provider chain is one very long line: kept for -v, not shown by default.
    tracing::debug!("credential provider chain: {chain}");
    if ["invalidclienttokenid", "expiredtoken", "security token"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return format!(
            "AWS refused the credentials{} as invalid or expired: refresh them (a new session, new access keys, or --profile NAME for others), then run cmek again (-v shows the SDK's answer)",
            profile
                .map(|p| format!(" of profile {p}"))
                .unwrap_or_default()
        );
    }
    format!(
        "no AWS credentials found{}: run `aws sso login{profile_arg}`, pass --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (-v shows where the SDK looked)",
        profile
            .map(|p| format!(" for profile {p}"))
            .unwrap_or_default()
    )
}

/// Loads the shared configuration. `env_region` is the environment file's region, used when
/// neither the option nor the profile names one.
pub async fn load(opts: &AwsOptions, env_region: Option<&str>) -> Result<SdkConfig, Error> {
    if let Some(p) = &opts.profile {
        check_profile(p).await?;
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config())
        .timeout_config(timeout_config());
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = opts.region.as_deref().or(env_region) {
        loader = loader.region(Region::new(r.to_string()));
    }
    if let Some(e) = &opts.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let base = loader.load().await;
    if base.region().is_none() {
        return Err(Error::Input(crate::InputError::new(
            "--region",
            "",
            "no region is set: pass --region, set AWS_REGION, set region in the profile or the environment file",
        )));
    }
    let Some(role) = &opts.role_arn else {
        return Ok(base);
    };
    // One hour, refreshed by the SDK before it ends: Firehose's CreateDeliveryStream and
    // StartDeliveryStreamEncryption "should not be called with session credentials that are more
    // than 6 hours old" (Firehose API reference, StartDeliveryStreamEncryption, read 2026-12-01), so
    // an assumed-role session of cmek's is never old enough to fail them, however long enable runs.
    let provider = aws_config::sts::AssumeRoleProvider::builder(role)
        .session_name(session_name())
        .session_length(ROLE_SESSION)
        .configure(&base)
        .build()
        .await;
    Ok(base
        .into_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(provider),
        )
        .build())
}

/// The length of the `--role-arn` session (the STS default, made explicit): under Firehose's six hours.
pub const ROLE_SESSION: Duration = Duration::from_secs(3600);

fn session_name() -> String {
    // CloudTrail shows this: say it was cmek, and which version.
    format!("cmek-{}", env!("CARGO_PKG_VERSION").replace('.', "-"))
}

impl Clients {
    /// Builds every client from one configuration.
    pub fn new(config: &SdkConfig, endpoint: Option<&str>) -> Self {
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(endpoint.is_some())
            .build();
        Self {
            kms: aws_sdk_kms::Client::new(config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sts: aws_sdk_sts::Client::new(config),
            firehose: aws_sdk_firehose::Client::new(config),
            rds: aws_sdk_rds::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            s3control: s3control_client(config, endpoint),
            cloudwatch: aws_sdk_cloudwatch::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            sns: aws_sdk_sns::Client::new(config),
            tagging: aws_sdk_resourcegroupstagging::Client::new(config),
            endpoint: endpoint.map(str::to_string),
            bucket_owner: None,
            region: config.region().map(|r| r.to_string()).unwrap_or_default(),
        }
    }

    /// The same clients, with every S3 request carrying the bucket owner condition for `account`
    /// (`x-amz-expected-bucket-owner`, and `x-amz-source-expected-bucket-owner` on a copy): every
    /// bucket cmek touches is Speedscale's (the registry, the probe bucket, the tenant's buckets), so
    /// S3 refuses the request when another account owns the bucket, before anything is read or
    /// written. "If the account ID that you provide does not match the actual owner of the bucket,
    /// the request fails with the HTTP status code `403 Forbidden` (access denied)." (S3 API
    /// reference, ExpectedBucketOwner, e.g. HeadBucket, read 2026-12-02; CreateBucket and ListBuckets
    /// have no such parameter and ignore the header.) An interceptor rather than a parameter on
    /// each call: no call, present or future, can leave it out.
    pub fn owned_by(mut self, account: &str) -> Self {
        let config = self
            .s3
            .config()
            .to_builder()
            .interceptor(ExpectedBucketOwner(account.to_string()))
            .build();
        self.s3 = aws_sdk_s3::Client::from_conf(config);
        self.bucket_owner = Some(account.to_string());
        self
    }

    /// Who we are: (account, caller ARN), from STS GetCallerIdentity.
    pub async fn whoami(&self) -> Result<(String, String), Error> {
        let out = self.sts.get_caller_identity().send().await.map_err(|e| {
            AwsError::from_sdk("sts", "GetCallerIdentity", &e).at(self.endpoint.as_deref())
        })?;
        let account = out.account().unwrap_or_default().to_string();
        let arn = out.arn().unwrap_or_default().to_string();
        if account.is_empty() {
            return Err(Error::Local(
                "STS GetCallerIdentity returned no account".into(),
            ));
        }
        Ok((account, arn))
    }
}

#[cfg(test)]
impl Clients {
    /// Clients that never reach AWS (no endpoint is ever called), for unit tests that replace the
    /// one or two they mock: `Clients { rds, ..Clients::idle() }`.
    pub(crate) fn idle() -> Self {
        let config = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-east-1"))
            .build();
        Self::new(&config, None)
    }
}

/// The S3 header of the bucket owner condition.
pub const EXPECTED_OWNER_HEADER: &str = "x-amz-expected-bucket-owner";
/// Its counterpart for the source of a copy.
pub const EXPECTED_SOURCE_OWNER_HEADER: &str = "x-amz-source-expected-bucket-owner";

/// Adds the bucket owner condition to every S3 request that does not carry one already, before
/// it is signed (so the header is signed too).
#[derive(Debug)]
struct ExpectedBucketOwner(String);

impl aws_smithy_runtime_api::client::interceptors::Intercept for ExpectedBucketOwner {
    fn name(&self) -> &'static str {
        "ExpectedBucketOwner"
    }

    fn modify_before_signing(
        &self,
        context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut<'_>,
        _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let headers = context.request_mut().headers_mut();
        if !headers.contains_key(EXPECTED_OWNER_HEADER) {
            headers.insert(EXPECTED_OWNER_HEADER, self.0.clone());
        }
        if headers.contains_key("x-amz-copy-source")
            && !headers.contains_key(EXPECTED_SOURCE_OWNER_HEADER)
        {
            headers.insert(EXPECTED_SOURCE_OWNER_HEADER, self.0.clone());
        }
        Ok(())
    }
}

/// The S3 Control client. S3 Control puts the account id in the host name: with an endpoint
/// override the SDK calls `<account>.<endpoint host>` (the endpoint rules' "custom account id with
/// custom endpoint" case). When the override is a loopback address or `localhost`, no DNS server
/// knows that name, so this client alone resolves `<12 digits>.<that host>` to the host itself.
/// The host prefix is never turned off, and no other name or endpoint resolves differently.
fn s3control_client(config: &SdkConfig, endpoint: Option<&str>) -> aws_sdk_s3control::Client {
    let mut builder = aws_sdk_s3control::config::Builder::from(config);
    if let Some(host) = endpoint.and_then(loopback_host) {
        use aws_smithy_http_client::tls;
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::AwsLc,
            ))
            .build_with_resolver(LoopbackAccountHosts { host });
        builder = builder.http_client(http);
    }
    aws_sdk_s3control::Client::from_conf(builder.build())
}

/// The host of an endpoint URL when it is loopback: `127.x.x.x` or `localhost`.
pub fn loopback_host(endpoint: &str) -> Option<String> {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    // IPv4 only: `<account>.[::1]` is not a host name the endpoint rules can build.
    let is_loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    is_loopback.then(|| host.to_ascii_lowercase())
}

/// Resolves `<12 digits>.<host>` (and `<host>` itself) to the loopback host; any other name the
/// usual way.
#[derive(Debug, Clone)]
struct LoopbackAccountHosts {
    host: String,
}

impl LoopbackAccountHosts {
    /// The name to look up instead of `name`.
    fn target<'a>(&'a self, name: &'a str) -> &'a str {
        let name_host = name.trim_start_matches('[').trim_end_matches(']');
        match name_host.split_once('.') {
            Some((account, rest))
                if account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit())
                    && rest.eq_ignore_ascii_case(&self.host) =>
            {
                &self.host
            }
            _ => name_host,
        }
    }
}

impl aws_smithy_runtime_api::client::dns::ResolveDns for LoopbackAccountHosts {
    fn resolve_dns<'a>(
        &'a self,
        name: &'a str,
    ) -> aws_smithy_runtime_api::client::dns::DnsFuture<'a> {
        use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDnsError};
        let target = self.target(name).to_string();
        DnsFuture::new(async move {
            if let Ok(ip) = target.parse::<std::net::IpAddr>() {
                return Ok(vec![ip]);
            }
            let addrs = tokio::net::lookup_host((target.as_str(), 0))
                .await
                .map_err(ResolveDnsError::new)?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_failures_are_explained_the_way_the_aws_cli_does() {
        let sso = explain_credentials(Some("dev"), None, "dispatch failure: other: the credential provider was not enabled: failed to load token: the SSO token has expired and cannot be refreshed");
        assert_eq!(sso, "the AWS SSO session of profile dev has expired or is missing: run `aws sso login --profile dev`, then run cmek again");
        let role = explain_credentials(None, Some("arn:aws:iam::222222222222:role/cmek"), "dispatch failure: other: an error occurred while loading credentials: failed to assume role: service error: STS AssumeRole: AccessDenied: User: arn:aws:iam::222222222222:user/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/cmek");
        assert!(
            role.starts_with("cannot assume role arn:aws:iam::222222222222:role/cmek: "),
            "{role}"
        );
        assert!(
            role.contains("not authorized to perform: sts:AssumeRole"),
            "{role}"
        );
        // A legacy SSO profile whose cached token expired: SSO's own answer.
        let legacy = explain_credentials(
            Some("old"),
            None,
            "provider error: UnauthorizedException: Session token not found or invalid",
        );
        assert!(legacy.contains("`aws sso login --profile old`"), "{legacy}");
        // An SSO role name or an invalid token id is not an SSO session, nor a role refused.
        let other = explain_credentials(
            None,
            None,
            "InvalidClientTokenId: The security token included in the request is invalid (AWSReservedSSO_Admin, assume role)",
        );
        assert!(!other.contains("aws sso login"), "{other}");
        assert!(!other.starts_with("cannot assume role"), "{other}");
    }

    #[tokio::test]
    async fn every_s3_request_carries_the_bucket_owner_condition() {
        use aws_smithy_http_client::test_util::capture_request;
        let (http, requests) = capture_request(None);
        let c = Clients::new(&config_with(http), None).owned_by("222222222222");
        let _ =
            c.s3.head_bucket()
                .bucket("speedscale-cmek-222222222222-us-east-1")
                .send()
                .await;
        let head = requests.expect_request();
        assert_eq!(
            head.headers().get(EXPECTED_OWNER_HEADER),
            Some("222222222222")
        );
        assert_eq!(head.headers().get(EXPECTED_SOURCE_OWNER_HEADER), None);
        let (http, requests) = capture_request(None);
        let c = Clients::new(&config_with(http), None).owned_by("222222222222");
        let _ =
            c.s3.copy_object()
                .bucket("b")
                .key("k")
                .copy_source("b/k")
                .send()
                .await;
        let copy = requests.expect_request();
        assert_eq!(
            copy.headers().get(EXPECTED_OWNER_HEADER),
            Some("222222222222")
        );
        assert_eq!(
            copy.headers().get(EXPECTED_SOURCE_OWNER_HEADER),
            Some("222222222222"),
            "a copy's source is the same account's bucket"
        );
        // A parameter set on the call wins: the interceptor only fills in what is missing.
        let (http, requests) = capture_request(None);
        let c = Clients::new(&config_with(http), None).owned_by("222222222222");
        let _ =
            c.s3.get_object()
                .bucket("b")
                .key("k")
                .expected_bucket_owner("333333333333")
                .send()
                .await;
        assert_eq!(
            requests
                .expect_request()
                .headers()
                .get(EXPECTED_OWNER_HEADER),
            Some("333333333333")
        );
    }

    fn config_with(http: aws_smithy_http_client::test_util::CaptureRequestHandler) -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new(
                        "AKIA222222222222",
                        "secret",
                        None,
                        None,
                        "test",
                    ),
                ),
            )
            .http_client(http)
            .build()
    }

    #[test]
    fn only_loopback_endpoints_get_the_account_host_resolver() {
        assert_eq!(
            loopback_host("http://127.0.0.1:4566").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(
            loopback_host("http://localhost:4566/").as_deref(),
            Some("localhost")
        );
        assert_eq!(
            loopback_host("http://[::1]:4566"),
            None,
            "IPv6: no account-prefixed name"
        );
        assert_eq!(
            loopback_host("https://s3-control.us-east-1.amazonaws.com"),
            None
        );
        assert_eq!(loopback_host("http://10.0.0.5:4566"), None);
        assert_eq!(loopback_host("http://127.0.0.1.example.com"), None);
    }

    #[test]
    fn account_prefixed_loopback_names_resolve_to_the_host_and_nothing_else_changes() {
        let r = LoopbackAccountHosts {
            host: "127.0.0.1".into(),
        };
        assert_eq!(r.target("222222222222.127.0.0.1"), "127.0.0.1");
        assert_eq!(r.target("127.0.0.1"), "127.0.0.1");
        assert_eq!(
            r.target("2222.127.0.0.1"),
            "2222.127.0.0.1",
            "not an account id"
        );
        assert_eq!(
            r.target("222222222222.example.com"),
            "222222222222.example.com"
        );
        let l = LoopbackAccountHosts {
            host: "localhost".into(),
        };
        assert_eq!(l.target("222222222222.localhost"), "localhost");
    }
}
