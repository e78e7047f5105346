//! `cmek revoke-check --tenant ID`: would (or did) disabling the key cut Speedscale off?

use clap::Args;
use cmek::revoke::{revoke_check, DEFAULT_SCAN_LIMIT};
use cmek::state::Tenancy;
use cmek::status::expected_key;
use cmek::{KeyArn, TenantId};

use super::verify::{parse_key_arn, parse_tenant};
use super::{render, session, ExitStatus, GlobalArgs, Printer};

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
    let (key, record, source) = expected_key(
        &s.clients,
        &s.env,
        &args.tenant,
        &s.account,
        &s.region,
        args.key_arn.as_ref(),
        s.clients.endpoint.as_deref(),
    )
    .await?;
    let key = session::tenant_key(&args.tenant, key, &s)?;
    let t = Tenancy::new(
        args.tenant,
        key,
        &s.account,
        &s.region,
        s.env.clone(),
        s.clients.endpoint.clone(),
    );
    let spinner = printer.spinner(&format!(
        "probing every data path of tenant {} (objects: up to {} per bucket)",
        t.tenant, args.scan_limit
    ));
    let progress = |bucket: &str, examined: u64| {
        spinner.println(format!("examined {examined} objects in {bucket}"));
    };
    let report = revoke_check(
        &s.clients,
        &t,
        record.as_ref(),
        source,
        args.scan_limit,
        &progress,
    )
    .await;
    spinner.finish_and_clear();
    let report = report?;
    render::revoke(printer, &report);
    Ok(if report.is_yes() {
        ExitStatus::Yes
    } else {
        ExitStatus::No
    })
}
