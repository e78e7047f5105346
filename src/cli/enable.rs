//! `cmek enable --tenant ID --key-arn ARN [--dry-run] [--yes]`: verify, plan, confirm, apply.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use clap::Args;
use cmek::commands::enable::{self, EnableReport, EnableVerdict, Refused};
use cmek::commands::exit::{Exit, ExitStatus};
use cmek::shared::steps::{Change, Outcome, PlanOptions, Progress, Step, StepResult, Waits};
use cmek::shared::tenancy::Tenancy;
use cmek::{InputError, KeyArn, TenantId};
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{parse_key_arn, parse_tenant};
use super::render::{plan_text, EnableView};
use super::{session, GlobalArgs, Printer};

/// Arguments of `enable`.
#[derive(Debug, Args)]
pub struct EnableArgs {
    /// Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --
    #[arg(long, value_name = "ID", value_parser = parse_tenant, allow_hyphen_values = true)]
    pub tenant: TenantId,
    /// The customer's full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)
    #[arg(long, value_name = "ARN", value_parser = parse_key_arn, allow_hyphen_values = true)]
    pub key_arn: KeyArn,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply without asking (required when there is no terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Also re-encrypt objects already in the tenant buckets, in place, under the key
    #[arg(long)]
    pub reencrypt_objects: bool,
    /// With --reencrypt-objects: re-encrypt through S3 Batch Operations jobs (one per storage
    /// class, followed to their end; for buckets too large for one machine) instead of copying
    /// from here
    #[arg(long, requires = "reencrypt_objects")]
    pub batch_operations: bool,
    /// Migrate a database on another key: snapshot, copy under the key, restore as <id>-cmek
    /// (the old database is left in place)
    #[arg(long)]
    pub migrate_database: bool,
    /// Take over the tenant's lock held by this run id (shown when a run is refused)
    #[arg(long, value_name = "RUN_ID")]
    pub break_lock: Option<String>,
    /// Use a key another tenant claimed: allowed only when both tenants belong to the same
    /// customer account (shown in the plan, kept in both records and the audit event)
    #[arg(long, value_name = "TENANT", value_parser = parse_tenant, allow_hyphen_values = true)]
    pub share_key_with: Option<TenantId>,
    /// Move an onboarded tenant to a key in another customer account than its record names
    #[arg(long)]
    pub new_customer_account: bool,
}

pub async fn run(
    g: &GlobalArgs,
    args: EnableArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.dry_run && !args.yes && !interactive {
        return Err(InputError::new(
            "--yes",
            "",
            "enable changes AWS resources and there is no terminal to confirm on: pass --yes (or --dry-run to see the plan)",
        )
        .into());
    }
    if let Some(run) = &args.break_lock {
        if run.is_empty() || !run.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(InputError::new(
                "--break-lock",
                run,
                "a run id is the hexadecimal id a refused run prints",
            )
            .into());
        }
    }
    if args.share_key_with.as_ref() == Some(&args.tenant) {
        return Err(InputError::new(
            "--share-key-with",
            args.tenant.as_str(),
            "names the tenant itself: it names the tenant that claimed the key",
        )
        .into());
    }
    let env = session::environment(g)?;
    let s = session::connect(g, env, Some(&args.key_arn)).await?;
    let t = Tenancy::new(
        args.tenant.clone(),
        args.key_arn.clone(),
        &s.account,
        &s.region,
        s.env.clone(),
        s.clients.endpoint.clone(),
    );
    t.check_names()?;
    let opts = PlanOptions {
        reencrypt_objects: args.reencrypt_objects,
        migrate_database: args.migrate_database,
        batch_operations: args.batch_operations,
    };
    let spinner = printer.spinner(&format!(
        "verifying {} and reading tenant {}",
        t.key, t.tenant
    ));
    let binding = enable::BindingOptions {
        share_key_with: args.share_key_with.as_ref().map(|t| t.to_string()),
        new_customer_account: args.new_customer_account,
    };
    let prepared = enable::prepare(&s.clients, &t, opts, binding).await;
    spinner.finish_and_clear();
    let prepared = prepared?;

    let unapplied = EnableReport::unapplied(&t, &prepared, args.dry_run);
    if args.dry_run || unapplied.verdict != EnableVerdict::Planned {
        printer.render(&EnableView {
            report: &unapplied,
            verify: &prepared.verify,
        });
        return Ok(unapplied.exit_status());
    }
    if !args.yes {
        printer.status(&plan_text(&unapplied));
        if !confirm(&format!(
            "Apply these changes to tenant {} with key {}? Type yes to apply: ",
            t.tenant, t.key
        )) {
            printer.error("not confirmed: nothing changed");
            return Ok(ExitStatus::Usage);
        }
    }
    let progress = StepProgress::new(printer);
    let result = enable::apply_locked(
        &s.clients,
        &t,
        &prepared,
        enable::RunOptions {
            caller_arn: &s.caller_arn,
            break_lock: args.break_lock.as_deref(),
            waits: Waits::default(),
        },
        &progress,
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await;
    progress.finish();
    match result {
        Ok((report, interrupted)) => {
            for w in &report.warnings {
                printer.warn(w);
            }
            printer.render(&EnableView {
                report: &report,
                verify: &prepared.verify,
            });
            Ok(if interrupted {
                printer.error("interrupted");
                ExitStatus::Interrupted
            } else {
                report.exit_status()
            })
        }
        Err(Refused::Locked(why)) => {
            printer.error(&why.to_string());
            Ok(ExitStatus::OurSide)
        }
        Err(Refused::Error(e)) => Err(e),
    }
}

fn confirm(question: &str) -> bool {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim(), "yes" | "y" | "YES" | "Yes")
}

/// A line per step and a spinner for waits on a terminal; nothing otherwise.
struct StepProgress {
    bar: ProgressBar,
    objects: Mutex<Option<ProgressBar>>,
    on: bool,
}

impl StepProgress {
    fn new(printer: &Printer) -> Self {
        let bar = printer.spinner("applying");
        Self {
            on: !bar.is_hidden(),
            bar,
            objects: Mutex::new(None),
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
        if let Ok(mut o) = self.objects.lock() {
            if let Some(b) = o.take() {
                b.finish_and_clear();
            }
        }
    }
}

impl Progress for StepProgress {
    fn step(&self, change: &Change, step: Step) {
        self.bar.set_message(format!(
            "{} {}: {}",
            change.id,
            change.resource,
            step.name()
        ));
    }

    fn step_done(&self, change: &Change, r: &StepResult) {
        if !self.on {
            return;
        }
        let mark = match r.outcome {
            Outcome::Applied => "✓",
            Outcome::Failed => "✗",
            Outcome::Skipped | Outcome::Planned => "·",
        };
        let extra = r
            .message
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        self.bar.println(format!(
            "{mark} {} {}: {}{extra}",
            change.id,
            change.resource,
            r.step.name()
        ));
    }

    fn waiting(&self, resource: &str, status: &str, waited: Duration) {
        self.bar.set_message(format!(
            "waiting for {resource}: {status} ({}s)",
            waited.as_secs()
        ));
    }

    fn objects(&self, done: u64, total: u64) {
        if !self.on {
            return;
        }
        if let Ok(mut o) = self.objects.lock() {
            let bar = o.get_or_insert_with(|| {
                let b = ProgressBar::new(total);
                b.set_style(
                    ProgressStyle::with_template(
                        "re-encrypting {bar:40} {pos}/{len} objects {elapsed}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                b
            });
            bar.set_length(total);
            bar.set_position(done);
            if done >= total {
                bar.finish_and_clear();
            }
        }
    }
}
