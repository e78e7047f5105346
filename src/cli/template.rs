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
    /// The key policy alone, concrete (needs --customer-account, and a region).
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
fn check_options(args: &TemplateArgs) -> Result<(), InputError> {
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
        _ => Ok(()),
    }
}

/// The bare policy's region: `--region` (or AWS_REGION), else the environment file's; the two
/// must agree, as for every other command.
fn policy_region(
    g: &super::GlobalArgs,
    env: &cmek::environment::Environment,
) -> Result<String, InputError> {
    match (&g.region, &env.region) {
        (Some(opt), Some(file)) if opt != file => Err(InputError::new(
            "--region",
            opt,
            format!("the environment file is for region {file}"),
        )),
        (Some(r), _) | (None, Some(r)) => Ok(r.clone()),
        (None, None) => Err(InputError::new(
            "--format",
            "policy",
            "the bare key policy names the key's region (kms:ViaService): give --region (or AWS_REGION, or region in --config)",
        )),
    }
}

/// Writes the module's files into `dir`, refusing to overwrite anything (a file, a link, even a
/// dangling one: checked before the first is written); a failed write removes what this run wrote.
fn write_module(
    dir: &PathBuf,
    module: &cmek::commands::terraform::Module,
) -> Result<(), cmek::Error> {
    let refuse = |rule: String| -> cmek::Error {
        InputError::new("--out", dir.display().to_string(), rule).into()
    };
    if dir.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
        return Err(refuse("it exists and is not a directory".into()));
    }
    for (name, _) in module.files() {
        let path = dir.join(name);
        if path.symlink_metadata().is_ok() {
            return Err(refuse(format!(
                "{} exists: cmek never overwrites a file (remove it, or choose another directory)",
                path.display()
            )));
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| cmek::Error::Local(format!("cannot create {}: {e}", dir.display())))?;
    let mut written = vec![];
    for (name, text) in module.files() {
        let path = dir.join(name);
        let result = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| {
                written.push(path.clone());
                std::io::Write::write_all(&mut f, text.as_bytes())
            });
        if let Err(e) = result {
            for w in &written {
                let _ = std::fs::remove_file(w);
            }
            return Err(cmek::Error::Local(format!(
                "cannot write {}: {e} (nothing was left in {})",
                path.display(),
                dir.display()
            )));
        }
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
    check_options(&args)?;
    let env = super::session::environment(g)?;
    let region = match args.format {
        Format::Policy => Some(policy_region(g, &env)?),
        _ => None,
    };
    let scope = |region: &str| {
        args.tenant
            .as_ref()
            .map(|tenant| tenant_scope(&env, tenant, &args.vendor_account, region))
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
            let region = region.as_deref().unwrap_or_default();
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
