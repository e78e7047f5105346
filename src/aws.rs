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
    /// IAM (the Firehose delivery role).
    pub iam: aws_sdk_iam::Client,
    /// The endpoint override, for messages.
    pub endpoint: Option<String>,
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

/// Loads the shared configuration. `env_region` is the environment file's region, used when
/// neither the option nor the profile names one.
pub async fn load(opts: &AwsOptions, env_region: Option<&str>) -> Result<SdkConfig, Error> {
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
            "no region: pass --region, set AWS_REGION, set region in the profile or the environment file",
        )));
    }
    let Some(role) = &opts.role_arn else {
        return Ok(base);
    };
    let provider = aws_config::sts::AssumeRoleProvider::builder(role)
        .session_name(session_name())
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
            endpoint: endpoint.map(str::to_string),
            region: config.region().map(|r| r.to_string()).unwrap_or_default(),
        }
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
