//! `cmek revoke-check --tenant ID`: would (or did) disabling the key cut Speedscale off?

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use cmek::commands::evidence::{self, Provenance};
use cmek::commands::exit::{Exit, ExitStatus};
use cmek::commands::revoke::{revoke_check, DEFAULT_SCAN_LIMIT};
use cmek::commands::tenancy::resolve;
use cmek::{InputError, KeyArn, TenantId};

use super::args::{parse_key_arn, parse_tenant};
use super::render::json_line;
use super::{session, GlobalArgs, Printer};

/// Arguments of `revoke-check`.
#[derive(Debug, Args)]
pub struct RevokeCheckArgs {
    /// Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --
    #[arg(long, value_name = "ID", value_parser = parse_tenant, allow_hyphen_values = true)]
    pub tenant: TenantId,
    /// The tenant's key (default: the tenant's record, else its tags)
    #[arg(long, value_name = "ARN", value_parser = parse_key_arn, allow_hyphen_values = true)]
    pub key_arn: Option<KeyArn>,
    /// Objects examined per bucket when looking for objects not under the key
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SCAN_LIMIT, value_parser = clap::value_parser!(u64).range(1..))]
    pub scan_limit: u64,
    /// Also write a JSON evidence record for the customer's auditors: every probe with its AWS
    /// request id (see docs/json.md); never overwrites a file without --force
    #[arg(long, value_name = "FILE")]
    pub evidence: Option<PathBuf>,
    /// With --evidence: replace the file if it exists
    #[arg(long, requires = "evidence")]
    pub force: bool,
    /// When the key is unusable: read it every 5 s for the longest data-key reuse period of the
    /// tenant's queues and topics (SQS's KmsDataKeyReusePeriodSeconds, SNS's 5 minutes), the only
    /// way to show those paths cut off
    #[arg(long)]
    pub watch_key: bool,
}

pub async fn run(
    g: &GlobalArgs,
    args: RevokeCheckArgs,
    printer: &Printer,
) -> Result<ExitStatus, cmek::Error> {
    if let Some(path) = &args.evidence {
        if path.exists() && !args.force {
            return Err(InputError::new(
                "--evidence",
                path.display().to_string(),
                "the file exists: pass --force to replace it",
            )
            .into());
        }
    }
    let env = session::environment(g)?;
    let s = session::connect(g, env, args.key_arn.as_ref()).await?;
    let r = resolve(&s.clients, s.scope(), &args.tenant, args.key_arn.as_ref()).await?;
    let t = &r.tenancy;
    let spinner = printer.spinner(&format!(
        "probing every data path of tenant {} (objects: up to {} per bucket)",
        t.tenant, args.scan_limit
    ));
    if args.watch_key {
        printer.status("--watch-key: if the key is unusable and the tenant has queues or topics, the key is read every 5 s for their longest data-key reuse period (SNS: 5 minutes)");
    }
    let progress = |bucket: &str, examined: u64| {
        spinner.println(format!("examined {examined} objects in {bucket}"));
    };
    let report = revoke_check(
        &s.clients,
        t,
        r.record.as_ref(),
        r.source,
        args.scan_limit,
        args.watch_key,
        &progress,
    )
    .await;
    spinner.finish_and_clear();
    let report = report?;
    if let Some(path) = &args.evidence {
        let registry = cmek::services::registry::Registry::new(t);
        let version = registry
            .record_version(&s.clients, t.tenant.as_str())
            .await?;
        let provenance = Provenance {
            caller_arn: &s.caller_arn,
            endpoint: s.clients.endpoint.as_deref(),
            record_version_id: version.as_deref(),
        };
        let value = serde_json::to_value(report.evidence(provenance))
            .map_err(|e| cmek::Error::Local(format!("the evidence is not JSON: {e}")))?;
        let file = evidence::sign(&s.clients, t, value).await?;
        write_atomically(path, &json_line(&file), args.force).map_err(|e| {
            cmek::Error::Local(format!(
                "cannot write the evidence to {}: {e}",
                path.display()
            ))
        })?;
        printer.status(&format!(
            "evidence written to {}, signed by {}",
            path.display(),
            file.signature.key_arn
        ));
        let (uri, version) = evidence::keep(&s.clients, t, &file).await?;
        printer.status(&format!(
            "a copy is kept in {uri} (version {}), under the registry's Object Lock",
            version.as_deref().unwrap_or("-")
        ));
    }
    printer.render(&report);
    Ok(report.exit_status())
}

/// Writes beside the target, flushes, then renames over it: a reader sees the old file or the
/// whole new one, never a part. The temporary file is new (`create_new`), private (0600), and not
/// a symlink (`O_NOFOLLOW`); the rename replaces the name itself, never what a symlink there
/// points to. Without `force`, an existing target (a file or a symlink) is refused here too.
fn write_atomically(path: &Path, text: &str, force: bool) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "evidence".into());
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the file exists (pass --force to replace it)",
        ));
    }
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc_nofollow());
        }
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `O_NOFOLLOW` (Linux and the BSDs/macOS values), without a libc dependency.
#[cfg(unix)]
fn libc_nofollow() -> i32 {
    if cfg!(target_os = "linux") {
        0o400000
    } else {
        0x0100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_file_is_private_new_and_never_through_a_symlink() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("cmek-evidence-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("e.json");
        write_atomically(&file, "{}\n", false).unwrap();
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(
            write_atomically(&file, "{}\n", false).is_err(),
            "exists without --force"
        );
        // A symlink at the target is replaced as a name; what it points to is untouched.
        let victim = dir.join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(write_atomically(&link, "x", false).is_err());
        write_atomically(&link, "new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(!std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        // A symlink planted at the temporary name is not followed.
        let tmp = dir.join(format!(".t.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &tmp).unwrap();
        assert!(write_atomically(&dir.join("t.json"), "x", false).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
