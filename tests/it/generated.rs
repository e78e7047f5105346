//! Generated and documented things stay in step with the code: committed completions match
//! `cmek completions SHELL` exactly, the man page matches `cmek man`, and every check, note and
//! revoke-check id the code can emit is documented.
//! Regenerate with `CMEK_BLESS=1 cargo test --test it generated`.

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
            "{} is stale: run CMEK_BLESS=1 cargo test --test it generated",
            path.display()
        );
    }
    let bash = std::fs::read_to_string(root().join("completions/cmek.bash")).unwrap();
    assert!(
        [
            "verify",
            "enable",
            "status",
            "revoke-check",
            "template",
            "completions"
        ]
        .iter()
        .all(|c| bash.contains(c)),
        "bash completion offers the subcommands"
    );
}

#[test]
fn bash_completion_offers_the_subcommands_after_cmek_tab() {
    // What bash does on `cmek <TAB>`: call the completion function with the words so far.
    let script = format!(
        "source {}; COMP_WORDS=(cmek ''); COMP_CWORD=1; COMP_LINE='cmek '; COMP_POINT=5; \
         _cmek cmek '' cmek; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        root().join("completions/cmek.bash").display()
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let offered = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = offered.lines().collect();
    for sub in [
        "verify",
        "enable",
        "status",
        "revoke-check",
        "template",
        "completions",
    ] {
        assert!(words.contains(&sub), "cmek <TAB> offers {sub}: {words:?}");
    }
}

/// Every `cmek-<subcommand>(1)` the main page names is committed in docs/ and current.
#[test]
fn every_subcommand_page_the_man_page_names_exists_and_is_current() {
    let main = std::fs::read_to_string(root().join("docs/cmek.1")).unwrap();
    let named: Vec<String> = main
        .split("cmek\\-")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("(1)")
                .map(|(name, _)| name.replace("\\-", "-"))
        })
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .collect();
    assert!(named.iter().any(|n| n == "verify"), "{named:?}");
    for name in named {
        let out = Command::new(env!("CARGO_BIN_EXE_cmek"))
            .args(["man", &name])
            .output()
            .unwrap();
        assert!(out.status.success(), "cmek man {name}");
        let path = root().join(format!("docs/cmek-{name}.1"));
        if std::env::var_os("CMEK_BLESS").is_some() {
            std::fs::write(&path, &out.stdout).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "docs/cmek-{name}.1 is missing or stale: run CMEK_BLESS=1 cargo test --test it generated"
        );
        let text = String::from_utf8_lossy(&committed);
        assert!(
            text.contains(&format!("cmek\\-{}", name.replace('-', "\\-"))),
            "{name}"
        );
    }
}

#[test]
fn committed_man_page_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_cmek"))
        .arg("man")
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = root().join("docs/cmek.1");
    if std::env::var_os("CMEK_BLESS").is_some() {
        std::fs::write(&path, &out.stdout).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == out.stdout,
        "docs/cmek.1 is stale: run CMEK_BLESS=1 cargo test --test it generated"
    );
    let text = String::from_utf8_lossy(&committed);
    for sub in [
        "verify",
        "enable",
        "status",
        "revoke\\-check",
        "template",
        "completions",
    ] {
        assert!(text.contains(sub), "the man page lists {sub}");
    }
}

#[test]
fn every_check_id_is_documented() {
    use strum::IntoEnumIterator;
    let doc = std::fs::read_to_string(root().join("docs/checks.md")).unwrap();
    let ids: Vec<&str> = cmek::shared::ids::CheckId::iter()
        .map(|c| c.as_str())
        .chain(cmek::shared::ids::NoteId::iter().map(|n| n.as_str()))
        .collect();
    for id in &ids {
        assert!(
            doc.contains(&format!("### `{id}`")),
            "docs/checks.md has no heading for {id}"
        );
    }
    // And the doc documents nothing the code cannot emit.
    for line in doc.lines() {
        if let Some(id) = line
            .strip_prefix("### `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            assert!(
                ids.contains(&id),
                "docs/checks.md documents {id}, which no enum has"
            );
        }
    }
}

#[test]
fn the_quota_doc_is_generated_from_the_services_declarations() {
    let path = root().join("docs/quotas.md");
    let doc = cmek::services::quotas_doc();
    if std::env::var_os("CMEK_BLESS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == doc,
        "docs/quotas.md is stale: run CMEK_BLESS=1 cargo test --test it generated"
    );
    for op in [
        "DescribeDeliveryStream",
        "DescribeKey",
        "DescribeDBInstances",
        "GetBucketEncryption",
    ] {
        assert!(doc.contains(op), "docs/quotas.md names {op}");
    }
}
