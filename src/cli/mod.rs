//! Command-line layer: argument parsing, the session every command shares, rendering, exit codes.
//! Each subcommand lives in its own file and only turns arguments into library calls.

mod args;
mod completions;
mod doctor;
mod enable;
mod evidence;
mod printer;
mod render;
mod revoke_check;
mod session;
mod status;
mod template;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cmek::commands::exit::{Exit, ExitStatus};

pub use printer::Printer;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// Exactly one JSON object on stdout, for runbooks.
    Json,
}

/// Put a Speedscale tenant onto a Customer Managed Encryption Key (CMEK) in AWS.
///
/// The customer's KMS key lives in the customer's AWS account; cmek reaches it cross-account by its
/// full key ARN. Exit codes: 0 yes, 1 no, 2 bad input, 3 our own side failed, 4 enable stopped
/// part-way (run it again to resume), 130 interrupted.
#[derive(Debug, Parser)]
#[command(name = "cmek", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes, shown under their own heading in every subcommand's `--help`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// AWS shared-config profile (SSO profiles included)
    #[arg(long, env = "AWS_PROFILE", global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The CMEK environment's region
    #[arg(long, env = "AWS_REGION", global = true, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint (a local emulator)
    #[arg(long, env = "AWS_ENDPOINT_URL", global = true, value_name = "URL", value_parser = parse_endpoint)]
    pub endpoint_url: Option<String>,
    /// Role in the CMEK environment account to assume first
    #[arg(long, env = "CMEK_ROLE_ARN", global = true, value_name = "ARN", value_parser = parse_role_arn)]
    pub role_arn: Option<String>,
    /// Environment file (TOML, see docs/environment.md); without it, the built-in default environment
    #[arg(long, env = "CMEK_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format: table for people, json for runbooks
    #[arg(long, env = "CMEK_OUTPUT", global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Less output on stderr: only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// No progress bars or spinners
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose
    /// adjustable quotas were raised; `off` stops pacing (a backend with no quotas)
    #[arg(
        long,
        env = "CMEK_QUOTA_SCALE",
        global = true,
        value_name = "FACTOR",
        default_value = "1",
        allow_hyphen_values = true
    )]
    pub quota_scale: cmek::shared::quota::Pacing,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prove the customer's key is usable for this tenant; change nothing
    Verify(verify::VerifyArgs),
    /// Plan, confirm, then apply the key to every tenant resource
    Enable(enable::EnableArgs),
    /// What each tenant resource is encrypted with, right now
    Status(status::StatusArgs),
    /// Would (or did) disabling the key cut Speedscale off?
    RevokeCheck(revoke_check::RevokeCheckArgs),
    /// Check a signed evidence file from revoke-check --evidence (offline)
    Evidence(evidence::EvidenceArgs),
    /// Can these credentials do what each subcommand needs? (IAM's simulator; changes nothing)
    Doctor(doctor::DoctorArgs),
    /// Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy
    Template(template::TemplateArgs),
    /// Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)
    Man(ManArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    Completions(completions::CompletionsArgs),
}

fn parse_region(s: &str) -> Result<String, String> {
    if cmek::input::is_region(s) {
        Ok(s.to_string())
    } else {
        Err("not an AWS region name such as us-east-1".into())
    }
}

fn parse_endpoint(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace) => {
            Ok(s.to_string())
        }
        _ => Err("an endpoint URL is http:// or https:// followed by a host".into()),
    }
}

fn parse_role_arn(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "iam"
        && parts[3].is_empty()
        && cmek::input::is_account_id(parts[4])
        && parts[5]
            .strip_prefix("role/")
            .is_some_and(|n| !n.is_empty());
    if ok {
        Ok(s.to_string())
    } else {
        Err("a role ARN is arn:aws:iam::<12-digit account>:role/<name>".into())
    }
}

/// `cmek help --help` (or `-h`) is help about help: clap's own help subcommand takes only the names
/// of subcommands and refuses the flag, so it is answered with `cmek help help`.
fn help_for_help(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.len() == 3 && args[1] == "help" && (args[2] == "--help" || args[2] == "-h") {
        args[2] = "help".into();
    }
    args
}

/// Parses, runs and maps the outcome to the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(help_for_help(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let printer = Printer::new(&cli.global);
    printer.init_logging(cli.global.verbose);
    cmek::shared::quota::configure(cli.global.quota_scale);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            printer.error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::from(ExitStatus::OurSide.code());
        }
    };
    let status = runtime.block_on(async {
        let handles_ctrl_c = match &cli.command {
            Command::Enable(_) => true,
            // status --all keeps what it observed (see commands/fleet).
            Command::Status(a) => a.all,
            _ => false,
        };
        if handles_ctrl_c {
            // enable handles Ctrl-C itself once it holds the lock (see `run`).
            return run(cli, &printer).await;
        }
        tokio::select! {
            status = run(cli, &printer) => status,
            _ = tokio::signal::ctrl_c() => {
                printer.error("interrupted");
                ExitStatus::Interrupted
            }
        }
    });
    ExitCode::from(status.code())
}

async fn run(cli: Cli, printer: &Printer) -> ExitStatus {
    let result = match cli.command {
        Command::Verify(args) => verify::run(&cli.global, args, printer).await,
        // Until it takes the tenant's lock, Ctrl-C ends enable at once (nothing has changed);
        // from then on its own handler stops the apply, releases the lock and reports.
        Command::Enable(args) => enable::run(&cli.global, args, printer).await,
        Command::Status(args) => status::run(&cli.global, args, printer).await,
        Command::RevokeCheck(args) => revoke_check::run(&cli.global, args, printer).await,
        Command::Evidence(args) => evidence::run(&cli.global, args, printer).await,
        Command::Doctor(args) => doctor::run(&cli.global, args, printer).await,
        Command::Completions(args) => completions::run(args, printer),
        Command::Template(args) => template::run(&cli.global, args, printer),
        Command::Man(args) => man(args.subcommand.as_deref()).map(|page| {
            printer.stdout_bytes(&page);
            ExitStatus::Yes
        }),
    };
    match result {
        Ok(status) => status,
        Err(e) => {
            printer.error(&e.to_string());
            e.exit_status()
        }
    }
}

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A subcommand: its own page, cmek-SUBCOMMAND(1), with every option
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

/// The command as clap completes it (with its `help` subcommand), as the man page shows it.
fn built() -> clap::Command {
    let mut cmd = command();
    cmd.build();
    cmd
}

/// The subcommands that have a page of their own (every one the main page names).
pub fn man_subcommands() -> Vec<String> {
    built()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

/// The main page, or a subcommand's (`cmek-<name>`, as the main page's SEE ALSO names it).
fn man(subcommand: Option<&str>) -> Result<Vec<u8>, cmek::Error> {
    let cmd = match subcommand {
        None => command(),
        Some(name) => match built().find_subcommand(name) {
            Some(sub) if man_subcommands().iter().any(|s| s == name) => sub
                .clone()
                .display_name(format!("cmek-{name}"))
                .bin_name(format!("cmek {name}")),
            _ => {
                return Err(cmek::input::InputError::new(
                    "man SUBCOMMAND",
                    name,
                    format!("one of {}", man_subcommands().join(", ")),
                )
                .into())
            }
        },
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| cmek::Error::Local(format!("cannot render the man page: {e}")))?;
    Ok(out)
}

/// Clap's errors as one line naming the input and the rule (help and version print as usual).
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.render().to_string();
    let line = text
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    // An empty value says nothing in quotes: name the option instead.
    let line = match line.strip_prefix("invalid value '' for '") {
        Some(rest) => format!("empty value for '{rest}"),
        None => line.to_string(),
    };
    eprintln!("cmek: {line} (see --help)");
    ExitCode::from(ExitStatus::Usage.code())
}

/// The clap command, for completions and the man page.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
