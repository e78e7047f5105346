//! `cmek verify --tenant ID --key-arn ARN`: prove the key is usable for this tenant, change nothing.

use clap::Args;
use cmek::commands::exit::{Exit, ExitStatus};
use cmek::commands::verify::{verify_tenant, VerifyRequest};
use cmek::shared::tenancy::Tenancy;
use cmek::{KeyArn, TenantId};

use super::args::{parse_key_arn, parse_tenant};
use super::{session, GlobalArgs, Printer};

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --
    #[arg(long, value_name = "ID", value_parser = parse_tenant, allow_hyphen_values = true)]
    pub tenant: TenantId,
    /// The customer's full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)
    #[arg(long, value_name = "ARN", value_parser = parse_key_arn, allow_hyphen_values = true)]
    pub key_arn: KeyArn,
}

pub async fn run(
    g: &GlobalArgs,
    args: VerifyArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let env = session::environment(g)?;
    let s = session::connect(g, env, Some(&args.key_arn)).await?;
    tracing::debug!(caller = %s.caller_arn, tenant = %args.tenant, key = %args.key_arn, "verify");
    let probe = Some(s.env.probe_location(&s.account, &s.region));
    let t = Tenancy::new(
        args.tenant,
        args.key_arn,
        &s.account,
        &s.region,
        s.env.clone(),
        s.clients.endpoint.clone(),
    );
    t.check_names()?;
    let req = VerifyRequest {
        probe,
        ..VerifyRequest::without_probe(&t)
    };
    let spinner = printer.spinner(&format!("verifying {} for tenant {}", req.key, req.tenant));
    let report = verify_tenant(&s.clients, &t, &req).await;
    spinner.finish_and_clear();
    let report = report?;
    printer.render(&report);
    Ok(report.exit_status())
}
