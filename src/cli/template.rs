//! `cmek template --vendor-account ACCOUNT_ID [--format yaml|json]`: the CloudFormation template
//! the customer runs. No AWS call.

use clap::{Args, ValueEnum};

use cmek::commands::exit::ExitStatus;

use super::Printer;

/// Template format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Commented YAML, for people to inspect.
    Yaml,
    /// JSON.
    Json,
}

/// Arguments of `template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Speedscale's AWS account id (12 digits): the account the key policy lets use the key
    #[arg(long, value_name = "ACCOUNT_ID", value_parser = parse_account)]
    pub vendor_account: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
}

fn parse_account(s: &str) -> Result<String, String> {
    if cmek::input::is_account_id(s) {
        Ok(s.to_string())
    } else {
        Err("an AWS account id is 12 digits".into())
    }
}

pub fn run(args: TemplateArgs, printer: &Printer) -> Result<ExitStatus, cmek::Error> {
    let t = cmek::commands::template::template(&args.vendor_account);
    let text = match args.format {
        Format::Yaml => cmek::commands::template::to_yaml(&t),
        Format::Json => super::render::json_line(&t),
    };
    printer.stdout(&text);
    Ok(ExitStatus::Yes)
}
