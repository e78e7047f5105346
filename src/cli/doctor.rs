//! `cmek doctor`: can these credentials do what each subcommand needs? (IAM's policy simulator
//! against `docs/iam/*.json`; read-only.)

use clap::Args;
use cmek::commands::doctor::{doctor, DoctorVerdict};
use cmek::commands::exit::ExitStatus;
use cmek::services::registry::Registry;

use super::{session, GlobalArgs, Printer};

/// Arguments of `doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub async fn run(
    g: &GlobalArgs,
    _args: DoctorArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let env = session::environment(g)?;
    let s = session::connect(g, env, None).await?;
    let registry =
        Registry::for_environment(&s.env, &s.account, &s.region, s.clients.endpoint.clone());
    let spinner = printer.spinner("asking IAM about every action in docs/iam/");
    let report = doctor(
        &s.clients,
        &s.env,
        &registry,
        &s.account,
        &s.region,
        &s.caller_arn,
    )
    .await;
    spinner.finish_and_clear();
    let report = report?;
    printer.render(&report);
    Ok(match report.verdict {
        DoctorVerdict::Pass => ExitStatus::Yes,
        DoctorVerdict::Fail => ExitStatus::No,
    })
}
