//! What every AWS-facing command starts with: the environment, the region, the clients and who we
//! are. Bad input found here is exit 2 before any AWS call; STS GetCallerIdentity is the only call
//! made before the key itself is checked.

use cmek::aws::{self, AwsOptions, Clients};
use cmek::environment::Environment;
use cmek::{Error, InputError, KeyArn};

use super::GlobalArgs;

/// A connected session.
pub struct Session {
    pub env: Environment,
    pub clients: Clients,
    /// Speedscale's CMEK environment account.
    pub account: String,
    /// The caller's ARN (for the record and messages).
    pub caller_arn: String,
    pub region: String,
}

/// Loads the environment file (or the default); exit 2 on a bad file.
pub fn environment(g: &GlobalArgs) -> Result<Environment, Error> {
    match &g.config {
        Some(path) => Ok(Environment::from_file(path)?),
        None => Ok(Environment::default()),
    }
}

/// Resolves the region, checks it against the key, builds the clients and asks STS who we are.
pub async fn connect(
    g: &GlobalArgs,
    env: Environment,
    key: Option<&KeyArn>,
) -> Result<Session, Error> {
    if let (Some(opt), Some(file)) = (&g.region, &env.region) {
        if opt != file {
            return Err(InputError::new(
                "--region",
                opt,
                format!("the environment file is for region {file}"),
            )
            .into());
        }
    }
    let opts = AwsOptions {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
        role_arn: g.role_arn.clone(),
    };
    let config = aws::load(&opts, env.region.as_deref()).await?;
    let clients = Clients::new(&config, g.endpoint_url.as_deref());
    let region = clients.region.clone();
    if let Some(key) = key {
        if key.region() != region {
            return Err(InputError::new(
                "--key-arn",
                key.as_str(),
                format!("the key is in {}, the environment in {region}: keys are regional and S3, Firehose and RDS can only use a key in their own region", key.region()),
            )
            .into());
        }
    }
    let (account, caller_arn) = clients.whoami().await.map_err(|e| match e {
        Error::Aws(a) if a.kind == cmek::error::FailureKind::Credentials => {
            let chain = format!("{} {}", a.code(), a.message()).trim().to_string();
            tracing::debug!(chain = %chain, "credential providers tried");
            Error::Local(aws::explain_credentials(
                g.profile.as_deref(),
                g.role_arn.as_deref(),
                &chain,
            ))
        }
        other => other,
    })?;
    if let Some(expected) = &env.account {
        if *expected != account {
            return Err(Error::Local(format!(
                "the credentials are for account {account}, but the environment is account {expected}: use the CMEK environment's profile or role"
            )));
        }
    }
    if let Some(key) = key {
        if key.account() == account {
            return Err(InputError::new(
                "--key-arn",
                key.as_str(),
                format!("the key is in Speedscale's own account {account}; a customer managed key lives in the customer's account"),
            )
            .into());
        }
    }
    tracing::debug!(%account, %caller_arn, %region, "connected");
    // Every bucket cmek touches is the environment account's: S3 refuses any other (aws.rs).
    let clients = clients.owned_by(&account);
    Ok(Session {
        env,
        clients,
        account,
        caller_arn,
        region,
    })
}

impl Session {
    /// Where tenants are resolved: this environment, account and region.
    pub fn scope(&self) -> cmek::commands::tenancy::Scope<'_> {
        cmek::commands::tenancy::Scope {
            env: &self.env,
            account: &self.account,
            region: &self.region,
            endpoint: self.clients.endpoint.as_deref(),
        }
    }
}
