//! `cmek template --vendor-account ACCOUNT_ID [--tenant ID] [--format yaml|json|terraform|policy]`:
//! the customer's side. CloudFormation (YAML or JSON), a Terraform module (`--out DIR` writes its
//! three files), or the bare key policy (concrete: `--customer-account` and `--region`). With
//! `--tenant`, the key policy is scoped to that tenant's names in the environment (`--config`).
//! No AWS call.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use cmek::commands::exit::ExitStatus;
use cmek::input::InputError;

use super::Printer;

/// Template format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// CloudFormation, commented YAML, for people to inspect.
    Yaml,
    /// CloudFormation, JSON.
    Json,
    /// A Terraform module (one document, or --out DIR for main.tf, variables.tf, outputs.tf).
    Terraform,
    /// The key policy alone, concrete (needs --customer-account and --region).
    Policy,
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
    /// With --format terraform: write main.tf, variables.tf and outputs.tf into DIR (created if
    /// missing; an existing file is never overwritten)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With --format policy: the customer's AWS account id (12 digits), where the key is
    #[arg(long, value_name = "ACCOUNT_ID", value_parser = parse_account)]
    pub customer_account: Option<String>,
}

fn parse_account(s: &str) -> Result<String, String> {
    if cmek::input::is_account_id(s) {
        Ok(s.to_string())
    } else {
        Err("an AWS account id is 12 digits".into())
    }
}

/// The options that belong to one format only, checked before anything is written.
fn check_options(g: &super::GlobalArgs, args: &TemplateArgs) -> Result<(), InputError> {
    if let (Some(out), false) = (&args.out, args.format == Format::Terraform) {
        return Err(InputError::new(
            "--out",
            out.display().to_string(),
            "--out writes a Terraform module's files: it goes with --format terraform",
        ));
    }
    match (&args.customer_account, args.format) {
        (Some(a), f) if f != Format::Policy => Err(InputError::new(
            "--customer-account",
            a,
            "only the bare key policy (--format policy) names the customer's account; the templates take it from where they run",
        )),
        (None, Format::Policy) => Err(InputError::new(
            "--format",
            "policy",
            "the bare key policy is concrete: give --customer-account ACCOUNT_ID (the key's account) and --region",
        )),
        _ if args.format == Format::Policy && g.region.is_none() => Err(InputError::new(
            "--format",
            "policy",
            "the bare key policy names the key's region (kms:ViaService): give --region (or AWS_REGION)",
        )),
        _ => Ok(()),
    }
}

/// Writes the module's files into `dir`, refusing to overwrite any (checked before the first).
fn write_module(
    dir: &PathBuf,
    module: &cmek::commands::terraform::Module,
) -> Result<(), cmek::Error> {
    for (name, _) in module.files() {
        let path = dir.join(name);
        if path.exists() {
            return Err(InputError::new(
                "--out",
                dir.display().to_string(),
                format!("{} exists: cmek never overwrites a file (remove it, or choose another directory)", path.display()),
            )
            .into());
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| cmek::Error::Local(format!("cannot create {}: {e}", dir.display())))?;
    for (name, text) in module.files() {
        let path = dir.join(name);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| cmek::Error::Local(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

pub fn run(
    g: &super::GlobalArgs,
    args: TemplateArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    use cmek::commands::template::{self, template, tenant_scope};
    use cmek::commands::terraform::{self, bare_policy};
    check_options(g, &args)?;
    let env = match &args.tenant {
        Some(_) => Some(super::session::environment(g)?),
        None => None,
    };
    let scope = |region: &str| {
        env.as_ref()
            .zip(args.tenant.as_ref())
            .map(|(env, tenant)| tenant_scope(env, tenant, &args.vendor_account, region))
    };
    let text = match args.format {
        Format::Yaml => template::to_yaml(&template(
            &args.vendor_account,
            scope(template::REGION).as_ref(),
        )),
        Format::Json => super::render::json_line(&template(
            &args.vendor_account,
            scope(template::REGION).as_ref(),
        )),
        Format::Terraform => {
            let module =
                terraform::terraform(&args.vendor_account, scope(terraform::REGION).as_ref());
            match &args.out {
                Some(dir) => {
                    write_module(dir, &module)?;
                    printer.status(&format!(
                        "wrote main.tf, variables.tf and outputs.tf in {}",
                        dir.display()
                    ));
                    return Ok(ExitStatus::Yes);
                }
                None => module.document(),
            }
        }
        Format::Policy => {
            let region = g.region.as_deref().unwrap_or_default();
            let customer = args.customer_account.as_deref().unwrap_or_default();
            let policy = bare_policy(
                &args.vendor_account,
                customer,
                region,
                scope(region).as_ref(),
            );
            serde_json::to_string_pretty(&policy).unwrap_or_default() + "\n"
        }
    };
    printer.stdout(&text);
    Ok(ExitStatus::Yes)
}
