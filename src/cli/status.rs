//! `cmek status --tenant ID | --all`: what every tenant resource is encrypted with, right now.

use clap::Args;
use cmek::commands::exit::{Exit, ExitStatus};
use cmek::commands::fleet::{fleet_status, FleetOptions, FleetPlan, FleetProgress};
use cmek::commands::status::tenant_status;
use cmek::commands::tenancy::resolve;
use cmek::{KeyArn, TenantId};

use super::args::{parse_duration, parse_key_arn, parse_tenant};
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
    /// With --all: serve tenants observed within DURATION (90s, 15m, 1h, 7d) from the registry's
    /// snapshot and observe the rest, oldest first; the key's state is always read live
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "tenant")]
    pub max_age: Option<std::time::Duration>,
}

/// The progress bar of `status --all`: done, total, and an ETA from the quota floor.
struct FleetBar(indicatif::ProgressBar);

impl FleetProgress for FleetBar {
    fn planned(&self, plan: &FleetPlan) {
        self.0.set_length(plan.total as u64);
        let floor = plan.floor_seconds.ceil() as u64;
        let mut msg = format!("reading {} tenants", plan.to_observe);
        if plan.from_snapshot > 0 {
            msg.push_str(&format!(" ({} from the snapshot)", plan.from_snapshot));
        }
        if floor > 0 {
            msg.push_str(&format!(
                ", at least {}m{:02}s within Firehose's 5 calls a second",
                floor / 60,
                floor % 60
            ));
        }
        self.0.set_message(msg);
    }
    fn done(&self, done: usize) {
        self.0.set_position(done as u64);
    }
}

pub async fn run(
    g: &GlobalArgs,
    args: StatusArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let env = session::environment(g)?;
    let s = session::connect(g, env, args.key_arn.as_ref()).await?;
    let Some(tenant) = args.tenant else {
        let bar = FleetBar(printer.bar("listing tenants"));
        let opts = FleetOptions {
            max_age: args.max_age,
        };
        let cancel = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let report = fleet_status(&s.clients, s.scope(), opts, &bar, cancel).await;
        bar.0.finish_and_clear();
        let report = report?;
        printer.render(&report);
        if report.interrupted {
            printer.error(
                "interrupted: what was observed is kept; `status --all --max-age` resumes from it",
            );
        }
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
