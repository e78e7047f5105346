//! The layering of `src/` (ARCHITECTURE.md), read from the source: every module imports only from
//! its own layer or the ones below, components import each other without cycles, and no source
//! file is much over 400 lines (tests aside). Test code counts like any other code: a test-only
//! import that points up a layer fails here too.
//!
//! Layers, top to bottom:
//!   4 cli        src/main.rs, src/cli/
//!   3 commands   src/commands/   (verify, enable, status, fleet, revoke, tenancy, exit, template)
//!   2 services   src/services/   (kms, s3, firehose, rds, iam, registry)
//!   1 shared     src/shared/     (tenancy, steps, record, report, ids, resource, poll, clock, policy)
//!   0 foundation src/aws.rs, src/error.rs, src/input.rs, src/environment/

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first.
const LAYERS: &[&str] = &["foundation", "shared", "services", "commands", "cli"];

/// Lines a source file may have before its tests (a little over 400).
const MAX_LINES: usize = 420;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`, with its module path (`["services", "s3", "apply"]`).
fn sources(dir: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), module_path(dir, &path)));
            }
        }
    }
    out.sort();
    out
}

/// `src/services/s3/mod.rs` → services::s3; `src/commands/enable/plan_tests.rs` →
/// commands::enable::plan::tests (a `#[path]` test module of `plan.rs`); `src/main.rs` → cli.
fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    let last = parts.pop().unwrap();
    match last.as_str() {
        "mod" | "lib" => {}
        "main" => parts.push("cli".into()),
        l if l.ends_with("_tests") => {
            parts.push(l.trim_end_matches("_tests").into());
            parts.push("tests".into());
        }
        l => parts.push(l.into()),
    }
    parts
}

/// The layer of a module path.
fn layer(path: &[String]) -> Option<usize> {
    let first = path.first()?.as_str();
    match first {
        "cli" => Some(4),
        "commands" => Some(3),
        "services" => Some(2),
        "shared" => Some(1),
        "aws" | "error" | "input" | "environment" => Some(0),
        _ => None,
    }
}

/// The component a module belongs to, for cycles: `services::s3`, `commands::enable`,
/// `shared::steps`, `environment`, `cli`.
fn component(path: &[String]) -> Option<String> {
    match layer(path)? {
        4 => Some("cli".into()),
        0 => Some(path[0].clone()),
        _ => path.get(1).map(|c| format!("{}::{c}", path[0])),
    }
}

/// The module paths a file refers to: `crate::a::b`, `cmek::a::b` (the binary), `super::a`
/// (resolved against the file's own module), and each item of a `use` group (`crate::{a::b, c}`,
/// across lines too). Comments are skipped.
fn references(code: &str, own: &[String]) -> Vec<(usize, Vec<String>)> {
    let text: String = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = text.as_bytes();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut out = vec![];
    for start in ["crate::", "cmek::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':')
            {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            let head: String = text[at..].chars().take_while(|c| ident(*c)).collect();
            let after = &text[at + head.len()..];
            // `prefix::{a::b, c::{d, e}}`: each item's own path after the prefix.
            let items: Vec<String> = if after.starts_with('{') {
                let mut depth = 0;
                let mut item = String::new();
                let mut items = vec![];
                for c in after.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            if depth > 1 {
                                item.push(c);
                            }
                        }
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                items.push(item.clone());
                                break;
                            }
                            item.push(c);
                        }
                        ',' if depth == 1 => {
                            items.push(std::mem::take(&mut item));
                        }
                        c => item.push(c),
                    }
                }
                items
                    .iter()
                    .map(|i| {
                        let path: String = i.trim().chars().take_while(|c| ident(*c)).collect();
                        format!("{head}{path}")
                    })
                    .collect()
            } else {
                vec![head]
            };
            for item in items {
                let segs: Vec<&str> = item.split("::").filter(|s| !s.is_empty()).collect();
                let path = if segs.first() == Some(&"super") {
                    // `super` of a file module is its parent; each further `super` goes up one.
                    let mut base = own.to_vec();
                    let mut i = 0;
                    while segs.get(i) == Some(&"super") {
                        base.pop();
                        i += 1;
                    }
                    base.extend(segs[i..].iter().map(|s| s.to_string()));
                    base
                } else {
                    segs.iter().skip(1).map(|s| s.to_string()).collect()
                };
                out.push((line, path));
            }
        }
    }
    out
}

struct Found {
    upward: Vec<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
    /// File to file (module paths), tests and references to a module's own ancestors (a
    /// `mod.rs` re-exporting its files) left out: two files that name each other form a cycle.
    files: BTreeMap<String, BTreeSet<String>>,
}

fn scan(root: &Path) -> Found {
    let mut upward = vec![];
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let all = sources(root);
    let modules: BTreeSet<Vec<String>> = all.iter().map(|(_, m)| m.clone()).collect();
    for (file, own) in all {
        let (Some(from_layer), Some(from)) = (layer(&own), component(&own)) else {
            continue; // lib.rs only declares the layers
        };
        let code = std::fs::read_to_string(&file).unwrap();
        for (line, target) in references(&code, &own) {
            let (Some(to_layer), Some(to)) = (layer(&target), component(&target)) else {
                continue;
            };
            if to_layer > from_layer {
                upward.push(format!(
                    "{}:{line}: {} ({}) imports {} ({})",
                    file.strip_prefix(root).unwrap().display(),
                    own.join("::"),
                    LAYERS[from_layer],
                    target.join("::"),
                    LAYERS[to_layer]
                ));
            }
            if to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
            // The file the reference lands in: the longest module path it starts with.
            let landing = (1..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|m| modules.contains(m));
            let is_test = own.last().is_some_and(|l| l == "tests");
            if let Some(m) = landing.filter(|m| !is_test && *m != own && !own.starts_with(m)) {
                files
                    .entry(own.join("::"))
                    .or_default()
                    .insert(m.join("::"));
            }
        }
    }
    Found {
        upward,
        edges,
        files,
    }
}

/// Every cycle's components (strongly connected components of more than one).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges
        .keys()
        .chain(edges.values().flat_map(|v| v.iter()))
        .collect();
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    stack.push(m.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = vec![];
    for n in &nodes {
        if !reaches[n].contains(*n) || out.iter().any(|c| c.contains(n)) {
            continue;
        }
        let scc: Vec<String> = nodes
            .iter()
            .filter(|m| reaches[n].contains(**m) && reaches[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        out.push(scc);
    }
    out
}

#[test]
fn no_module_imports_one_above_its_layer() {
    let found = scan(&src());
    assert!(
        found.upward.is_empty(),
        "imports that point up a layer (cli → commands → services → shared → foundation):\n{}",
        found.upward.join("\n")
    );
}

#[test]
fn components_import_each_other_without_cycles() {
    let found = scan(&src());
    let cycles = cycles(&found.edges);
    assert!(cycles.is_empty(), "import cycles: {cycles:?}");
}

#[test]
fn no_two_files_import_each_other() {
    let found = scan(&src());
    let cycles = cycles(&found.files);
    assert!(
        cycles.is_empty(),
        "files in an import cycle (move what they share where both can use it): {cycles:?}"
    );
}

#[test]
fn commands_and_the_cli_make_no_aws_call_themselves() {
    // Every AWS call (an SDK request ends in `.send()`) belongs to a service (or to aws.rs).
    for (file, own) in sources(&src()) {
        if !matches!(layer(&own), Some(3 | 4)) {
            continue;
        }
        let code = std::fs::read_to_string(&file).unwrap();
        assert!(
            !code.contains(".send()"),
            "{} calls AWS itself: move the call into its service",
            file.display()
        );
    }
}

#[test]
fn every_source_file_is_in_a_layer() {
    for (file, own) in sources(&src()) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            layer(&own).is_some() || name == "lib.rs",
            "{} is in no layer: add it to ARCHITECTURE.md and to this test",
            file.display()
        );
    }
}

#[test]
fn no_source_file_is_much_over_400_lines_tests_aside() {
    let mut long = vec![];
    for (file, _) in sources(&src()) {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with("tests.rs") {
            continue;
        }
        let code = std::fs::read_to_string(&file).unwrap();
        let lines = code
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .count();
        if lines > MAX_LINES {
            long.push(format!("{} ({lines} lines)", file.display()));
        }
    }
    assert!(long.is_empty(), "split these: {long:?}");
}

/// The checker itself: an upward import added only for a test, and a cycle, are both caught.
#[test]
fn the_checker_catches_a_test_only_upward_import_and_a_cycle() {
    let dir = std::env::temp_dir().join(format!("cmek-arch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, code) in [
        (
            "shared/report.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::commands::verify::VerifyReport;\n}\n",
        ),
        (
            "services/s3/mod.rs",
            "use crate::services::rds::DatabaseState;\n",
        ),
        ("services/rds/mod.rs", "pub use super::s3::BucketState;\n"),
        (
            "commands/status.rs",
            "use super::tenancy::KeySource;\nuse crate::services::s3;\n",
        ),
        ("services/kms/a.rs", "use super::b::Thing;\n"),
        (
            "services/kms/b.rs",
            "use super::a::Other;\nuse super::Shared;\n",
        ),
        ("services/kms/mod.rs", "mod a;\nmod b;\npub use a::Other;\n"),
    ] {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, code).unwrap();
    }
    let found = scan(&dir);
    assert_eq!(found.upward.len(), 1, "{:?}", found.upward);
    assert!(found.upward[0]
        .contains("shared::report (shared) imports commands::verify::VerifyReport (commands)"));
    assert_eq!(
        cycles(&found.edges),
        [vec![
            "services::rds".to_string(),
            "services::s3".to_string()
        ]]
    );
    assert!(found.edges["commands::status"].contains("commands::tenancy"));
    // Two files of one component that name each other (the mod.rs re-export is no edge), and the
    // two mod.rs files above.
    assert_eq!(
        cycles(&found.files),
        [
            vec![
                "services::kms::a".to_string(),
                "services::kms::b".to_string()
            ],
            vec!["services::rds".to_string(), "services::s3".to_string()]
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
