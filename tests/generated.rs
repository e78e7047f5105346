//! Generated and documented things stay in step with the code: committed completions match
//! `cmek completions SHELL` exactly, and every check id verify can emit is documented.
//! Regenerate with `CMEK_BLESS=1 cargo test --test generated`.

use std::path::PathBuf;
use std::process::Command;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "cmek.bash"),
    ("zsh", "_cmek"),
    ("fish", "cmek.fish"),
    ("powershell", "_cmek.ps1"),
    ("elvish", "cmek.elv"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_completions_are_current() {
    let bless = std::env::var_os("CMEK_BLESS").is_some();
    for (shell, file) in SHELLS {
        let out = Command::new(env!("CARGO_BIN_EXE_cmek"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let path = root().join("completions").join(file);
        if bless {
            std::fs::write(&path, &out.stdout).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "{} is stale: run CMEK_BLESS=1 cargo test --test generated",
            path.display()
        );
    }
    let bash = std::fs::read_to_string(root().join("completions/cmek.bash")).unwrap();
    assert!(
        bash.contains("verify") && bash.contains("completions"),
        "bash completion offers the subcommands"
    );
}

#[test]
fn every_check_id_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/checks.md")).unwrap();
    for id in cmek::verify::CHECK_IDS
        .iter()
        .chain(cmek::plan::NOTE_IDS)
        .chain(cmek::revoke::REVOKE_CHECK_IDS)
    {
        assert!(
            doc.contains(&format!("### `{id}`")),
            "docs/checks.md has no heading for {id}"
        );
    }
}
