//! `cmek template --vendor-account ACCOUNT_ID [--tenant ID] [--format yaml|json]`: the
//! CloudFormation template the customer runs; with `--tenant`, its key policy is scoped to that
//! tenant's names in the environment (`--config`). No AWS call.

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
    /// Scope the key policy to this tenant (its buckets and encryption context in the
    /// environment, --config): Speedscale may then use the key only for that tenant where AWS
    /// documents a condition to say so
    #[arg(long, value_name = "ID", value_parser = super::args::parse_tenant, allow_hyphen_values = true)]
    pub tenant: Option<cmek::TenantId>,
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

pub fn run(
    g: &super::GlobalArgs,
    args: TemplateArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    use cmek::commands::template::{template, tenant_scope};
    let scope = match &args.tenant {
        Some(tenant) => {
            let env = super::session::environment(g)?;
            Some(tenant_scope(&env, tenant, &args.vendor_account))
        }
        None => None,
    };
    let t = template(&args.vendor_account, scope.as_ref());
    let text = match args.format {
        Format::Yaml => cmek::commands::template::to_yaml(&t),
        Format::Json => super::render::json_line(&t),
    };
    printer.stdout(&text);
    Ok(ExitStatus::Yes)
}
