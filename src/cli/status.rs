//! `cmek status --tenant ID | --all`: what every tenant resource is encrypted with, right now.

use clap::Args;
use cmek::state::Tenancy;
use cmek::status::{expected_key, fleet_status, tenant_status};
use cmek::{InputError, KeyArn, TenantId};

use super::verify::{parse_key_arn, parse_tenant};
use super::{render, session, ExitStatus, GlobalArgs, Printer};

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
        let report = fleet_status(
            &s.clients,
            &s.env,
            &s.account,
            &s.region,
            s.clients.endpoint.clone(),
            &on_done,
        )
        .await;
        bar.finish_and_clear();
        let report = report?;
        render::fleet(printer, &report);
        return Ok(match report.verdict {
            "ok" => ExitStatus::Yes,
            "drift" => ExitStatus::No,
            _ => ExitStatus::OurSide,
        });
    };
    let (key, record, source) = expected_key(
        &s.clients,
        &s.env,
        &tenant,
        &s.account,
        &s.region,
        args.key_arn.as_ref(),
        s.clients.endpoint.as_deref(),
    )
    .await?;
    let key = session::tenant_key(&tenant, key, &s)?;
    let t = Tenancy::new(
        tenant,
        key,
        &s.account,
        &s.region,
        s.env.clone(),
        s.clients.endpoint.clone(),
    );
    let spinner = printer.spinner(&format!("reading tenant {}", t.tenant));
    let report = tenant_status(&s.clients, &t, record.as_ref(), source).await;
    spinner.finish_and_clear();
    let report = report?;
    render::status(printer, &report);
    Ok(if report.head.verdict == "ok" {
        ExitStatus::Yes
    } else {
        ExitStatus::No
    })
}

/// For `--tenant` without a key: the refusal when no key can be found.
pub fn no_key(tenant: &TenantId) -> cmek::Error {
    InputError::new(
        "--key-arn",
        "",
        format!(
            "tenant {tenant} has no record in the registry and no tagged bucket: pass --key-arn"
        ),
    )
    .into()
}
