//! What the engineer sees in a terminal: tables that take the width they are given and wrap
//! identifiers between their parts, `--help` with the shared options under their own heading, and
//! credential problems named in one line.

use crate::common::*;

/// Every identifier of a tenant's status, as the table would show it.
fn identifiers(report: &serde_json::Value) -> Vec<String> {
    let mut out = vec![report["key_arn"].as_str().unwrap_or_default().to_string()];
    for r in report["resources"].as_array().into_iter().flatten() {
        for field in ["resource", "actual_key"] {
            if let Some(s) = r[field].as_str() {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// The cells of a drawn table, column by column, each the text of its lines joined.
fn columns(table: &str) -> Vec<Vec<String>> {
    let mut cols: Vec<Vec<String>> = vec![];
    for line in table.lines().filter(|l| l.starts_with('│')) {
        let inner = line.trim_start_matches('│').trim_end_matches('│');
        for (i, cell) in inner.split('┆').enumerate() {
            if cols.len() <= i {
                cols.push(vec![]);
            }
            cols[i].push(cell.trim().to_string());
        }
    }
    cols
}

#[tokio::test]
async fn tables_take_the_width_they_are_given_and_never_break_an_identifier_mid_word() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = cmek(
        &a.speedscale,
        &["--output", "json", "status", "--tenant", "acme"],
    );
    let ids = identifiers(&json_out(&json));
    for columns_env in ["100", "160", "220"] {
        let out = cmek_with(
            &a.speedscale,
            &["status", "--tenant", "acme"],
            &[("COLUMNS", columns_env)],
        );
        let text = stdout(&out);
        let limit: usize = columns_env.parse().unwrap();
        let widest = text
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            widest <= limit,
            "COLUMNS={columns_env}: {widest} wide\n{text}"
        );
        if limit == 160 {
            assert!(
                widest > 100,
                "COLUMNS=160 drew only {widest} columns\n{text}"
            );
        }
        // A cell that wraps breaks only after a separator or a space: no line of a cell ends
        // inside a word of an identifier.
        for col in columns(&text) {
            for pair in col.windows(2) {
                let (line, next) = (&pair[0], &pair[1]);
                if line.is_empty() || next.is_empty() {
                    continue;
                }
                // The last word of a line and the first of the next, glued: if an identifier
                // contains that and the line did not end at a separator, it was cut mid-word.
                let tail = line.rsplit(' ').next().unwrap_or_default();
                let head = next.split(' ').next().unwrap_or_default();
                let glued = format!("{tail}{head}");
                let broken = tail.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && ids.iter().any(|id| id.contains(glued.as_str()));
                assert!(
                    !broken,
                    "COLUMNS={columns_env}: {line:?} / {next:?} breaks an identifier\n{text}"
                );
            }
        }
    }
}

#[test]
fn every_subcommand_shows_the_shared_options_under_global_options() {
    let a = accounts();
    for sub in ["verify", "enable", "status", "revoke-check", "template"] {
        let out = cmek(&a.speedscale, &[sub, "--help"]);
        let help = stdout(&out);
        let (own, global) = help
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{sub} --help has no Global options heading:\n{help}"));
        for shared in [
            "--profile",
            "--region",
            "--endpoint-url",
            "--output",
            "--verbose",
        ] {
            assert!(
                global.contains(shared),
                "{sub}: {shared} not under Global options"
            );
            assert!(
                !own.contains(shared),
                "{sub}: {shared} among the command's own options"
            );
        }
    }
}

/// stderr's lines, asserting there is exactly one.
fn one_line(o: &std::process::Output) -> String {
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr:\n{err}");
    lines[0].to_string()
}

#[test]
fn a_profile_that_does_not_exist_is_named_with_the_files_that_were_read() {
    let a = accounts();
    let out = cmek_with(
        &a.speedscale,
        &["status", "--tenant", "acme"],
        &[("AWS_PROFILE", "nope")],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let line = one_line(&out);
    assert!(line.contains("profile nope not found"), "{line}");
    assert!(line.contains("/nonexistent/cmek-test-config"), "{line}");
    assert!(!line.to_lowercase().contains("imds"), "{line}");
    assert_no_mutations(&a.speedscale);
}

/// A HOME with an SSO profile never logged in, and a profile whose role is assumed from another.
fn profiles_home() -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("cmek-profiles-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile dev]\nsso_session = s\nsso_account_id = 222222222222\nsso_role_name = Engineer\nregion = us-east-1\n\n\
         [sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    home
}

#[test]
fn an_sso_session_never_logged_in_or_expired_says_aws_sso_login() {
    let a = accounts();
    let home = profiles_home();
    let config = home.join(".aws/config");
    let out = cmek_with(
        &a.speedscale,
        &["status", "--tenant", "acme"],
        &[
            ("HOME", home.to_str().unwrap()),
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_PROFILE", "dev"),
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let line = one_line(&out);
    assert!(line.contains("`aws sso login --profile dev`"), "{line}");
}

#[test]
fn a_role_that_cannot_be_assumed_is_named_with_aws_reason() {
    let a = accounts();
    let role = format!("arn:aws:iam::{}:role/cmek-operator", a.speedscale);
    fault(serde_json::json!({
        "match": {"service": "sts", "operation": "AssumeRole", "account": a.speedscale},
        "kind": "error", "status": 403, "code": "AccessDenied",
        "message": format!("User: arn:aws:iam::{}:user/engineer is not authorized to perform: sts:AssumeRole on resource: {role}", a.speedscale),
        "times": 10
    }));
    let out = cmek(
        &a.speedscale,
        &["--role-arn", &role, "status", "--tenant", "acme"],
    );
    clear_faults(&a.speedscale);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let line = one_line(&out);
    assert!(
        line.contains(&format!("cannot assume role {role}")),
        "{line}"
    );
    assert!(
        line.contains("not authorized to perform: sts:AssumeRole"),
        "{line}"
    );
}
