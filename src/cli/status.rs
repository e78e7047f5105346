//! `cmek status --tenant ID | --all`: what every tenant resource is encrypted with, right now.

use clap::Args;
use cmek::commands::exit::{Exit, ExitStatus};
use cmek::commands::fleet::fleet_status;
use cmek::commands::status::tenant_status;
use cmek::commands::tenancy::resolve;
use cmek::{KeyArn, TenantId};

use super::args::{parse_key_arn, parse_tenant};
use super::{session, GlobalArgs, Printer};

/// Arguments of `status`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["tenant", "all"])))]
pub struct StatusArgs {
    /// Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --
    #[arg(long, value_name = "ID", value_parser = parse_tenant, allow_hyphen_values = true)]
    pub tenant: Option<TenantId>,
    /// Every onboarded tenant in the environment's registry, one row each
    #[arg(long, conflicts_with = "key_arn")]
    pub all: bool,
    /// The key the tenant's resources should use (default: the tenant's record, else its tags)
    #[arg(long, value_name = "ARN", value_parser = parse_key_arn, allow_hyphen_values = true)]
    pub key_arn: Option<KeyArn>,
}

pub async fn run(
    g: &GlobalArgs,
    args: StatusArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let env = session::environment(g)?;
    let s = session::connect(g, env, args.key_arn.as_ref()).await?;
    let Some(tenant) = args.tenant else {
        let bar = printer.bar("reading tenants");
        let on_done = |done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        };
        let report = fleet_status(&s.clients, s.scope(), &on_done).await;
        bar.finish_and_clear();
        let report = report?;
        printer.render(&report);
        return Ok(report.exit_status());
    };
    let r = resolve(&s.clients, s.scope(), &tenant, args.key_arn.as_ref()).await?;
    let spinner = printer.spinner(&format!("reading tenant {}", r.tenancy.tenant));
    let report = tenant_status(&s.clients, &r.tenancy, r.record.as_ref(), r.source).await;
    spinner.finish_and_clear();
    let report = report?;
    printer.render(&report);
    Ok(report.exit_status())
}
