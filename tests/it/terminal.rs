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
