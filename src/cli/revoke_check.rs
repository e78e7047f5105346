//! `cmek revoke-check --tenant ID`: would (or did) disabling the key cut Speedscale off?

use clap::Args;
use cmek::commands::exit::{Exit, ExitStatus};
use cmek::commands::revoke::{revoke_check, DEFAULT_SCAN_LIMIT};
use cmek::commands::tenancy::resolve;
use cmek::{KeyArn, TenantId};

use super::args::{parse_key_arn, parse_tenant};
use super::{session, GlobalArgs, Printer};

/// Arguments of `revoke-check`.
#[derive(Debug, Args)]
pub struct RevokeCheckArgs {
    /// Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --
    #[arg(long, value_name = "ID", value_parser = parse_tenant, allow_hyphen_values = true)]
    pub tenant: TenantId,
    /// The tenant's key (default: the tenant's record, else its tags)
    #[arg(long, value_name = "ARN", value_parser = parse_key_arn, allow_hyphen_values = true)]
    pub key_arn: Option<KeyArn>,
    /// Objects examined per bucket when looking for objects not under the key
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SCAN_LIMIT, value_parser = clap::value_parser!(u64).range(1..))]
    pub scan_limit: u64,
}

pub async fn run(
    g: &GlobalArgs,
    args: RevokeCheckArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let env = session::environment(g)?;
    let s = session::connect(g, env, args.key_arn.as_ref()).await?;
    let r = resolve(&s.clients, s.scope(), &args.tenant, args.key_arn.as_ref()).await?;
    let t = &r.tenancy;
    let spinner = printer.spinner(&format!(
        "probing every data path of tenant {} (objects: up to {} per bucket)",
        t.tenant, args.scan_limit
    ));
    let progress = |bucket: &str, examined: u64| {
        spinner.println(format!("examined {examined} objects in {bucket}"));
    };
    let report = revoke_check(
        &s.clients,
        t,
        r.record.as_ref(),
        r.source,
        args.scan_limit,
        &progress,
    )
    .await;
    spinner.finish_and_clear();
    let report = report?;
    printer.render(&report);
    Ok(report.exit_status())
}
