//! `cmek evidence verify FILE`: does a signed evidence file say what was signed? Offline by
//! default (the file's public key, or the one given with --public-key); with --online, KMS's
//! Verify too.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use cmek::commands::evidence::{check, check_online, EvidenceVerdict};
use cmek::commands::exit::ExitStatus;
use cmek::shared::signed::public_key_der;
use cmek::InputError;

use super::{session, GlobalArgs, Printer};

/// Arguments of `evidence`.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    pub command: EvidenceCommand,
}

/// What to do with an evidence file.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches,
    /// 1 naming what does not; no AWS call unless --online
    Verify(VerifyEvidenceArgs),
}

/// Arguments of `evidence verify`.
#[derive(Debug, Args)]
pub struct VerifyEvidenceArgs {
    /// The evidence file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The signing key's public key (PEM, as `aws kms get-public-key` gives it once decoded), to
    /// check the file against a key you obtained yourself rather than the one the file carries
    #[arg(long, value_name = "PEM")]
    pub public_key: Option<PathBuf>,
    /// Also ask KMS (kms:Verify with the key the file names): needs credentials for Speedscale's
    /// account
    #[arg(long)]
    pub online: bool,
}

pub async fn run(
    g: &GlobalArgs,
    args: EvidenceArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    let EvidenceCommand::Verify(args) = args.command;
    let shown = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| InputError::new("FILE", &shown, format!("cannot read the file: {e}")))?;
    let key = match &args.public_key {
        None => None,
        Some(p) => {
            let pem = std::fs::read_to_string(p).map_err(|e| {
                InputError::new(
                    "--public-key",
                    p.display().to_string(),
                    format!("cannot read the file: {e}"),
                )
            })?;
            Some(
                public_key_der(&pem)
                    .map_err(|e| InputError::new("--public-key", p.display().to_string(), e))?,
            )
        }
    };
    let report = if args.online {
        let env = session::environment(g)?;
        let s = session::connect(g, env, None).await?;
        check_online(&s.clients, &shown, &text, key.as_deref()).await?
    } else {
        check(&shown, &text, key.as_deref())
    };
    printer.render(&report);
    Ok(match report.verdict {
        EvidenceVerdict::Valid => ExitStatus::Yes,
        EvidenceVerdict::Invalid => ExitStatus::No,
    })
}
