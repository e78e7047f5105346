//! Rendering a report as a table (at most 100 columns) or as one JSON object.

use cmek::report::{Check, Status, VerifyReport};
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

use super::{OutputFormat, Printer};

/// The widest a table may be.
pub const WIDTH: u16 = 100;

fn status_cell(s: Status) -> Cell {
    let c = Cell::new(s.as_str().to_uppercase());
    match s {
        Status::Pass => c.fg(Color::Green),
        Status::Warn => c.fg(Color::Yellow),
        Status::Fail => c.fg(Color::Red).add_attribute(Attribute::Bold),
        Status::Skip => c.fg(Color::DarkGrey),
    }
}

/// Renders `verify`'s report.
pub fn verify(printer: &Printer, report: &VerifyReport) {
    if printer.format == OutputFormat::Json {
        printer.stdout(&json_line(report));
        return;
    }
    let mut out = String::new();
    out.push_str(&format!(
        "Tenant   {}\nKey      {}\nAccount  {} ({})\n",
        report.tenant, report.key_arn, report.account, report.region
    ));
    out.push_str(&checks_table(&report.checks, &report.key_arn));
    out.push_str(&remedies(&report.checks));
    let s = report.summary;
    out.push_str(&format!(
        "\nverify: {} ({} pass, {} warn, {} fail, {} skip)\n",
        report.verdict, s.pass, s.warn, s.fail, s.skip
    ));
    printer.stdout(&out);
}

/// A table of at most [`WIDTH`] columns with this header.
fn table<T: Into<comfy_table::Row>>(header: T) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(header);
    t
}

/// One JSON object and a newline.
pub fn json_line<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn checks_table(checks: &[Check], key_arn: &str) -> String {
    let mut t = table(["STATUS", "CHECK", "RESOURCE", "MESSAGE"]);
    for c in checks {
        let resource = if c.resource == key_arn {
            "key".to_string()
        } else {
            c.resource.clone()
        };
        t.add_row(vec![
            status_cell(c.status),
            Cell::new(c.id),
            Cell::new(resource),
            Cell::new(&c.message),
        ]);
    }
    format!("{t}\n")
}

/// Remedies, grouped where several checks need the same change; key-policy statements are
/// pretty-printed so they fit the width and can be pasted.
fn remedies(checks: &[Check]) -> String {
    let mut groups: Vec<(Vec<&str>, &str)> = vec![];
    for c in checks.iter().filter(|c| c.status != Status::Pass) {
        let Some(r) = c.remedy.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(_, g)| *g == r) {
            Some((ids, _)) => ids.push(c.id),
            None => groups.push((vec![c.id], r)),
        }
    }
    if groups.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nWhat to change:\n");
    for (ids, remedy) in groups {
        let (text, statement) = match remedy.find('{') {
            Some(i) => match serde_json::from_str::<serde_json::Value>(&remedy[i..]) {
                Ok(v) => (
                    remedy[..i].trim_end(),
                    serde_json::to_string_pretty(&v).ok(),
                ),
                Err(_) => (remedy, None),
            },
            None => (remedy, None),
        };
        out.push_str(&wrap(&format!("{}: {text}", ids.join(", ")), "  ", "    "));
        if let Some(st) = statement {
            for line in st.lines() {
                out.push_str(&format!("      {line}\n"));
            }
        }
    }
    out
}

fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > WIDTH as usize && !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
        }
        line.push_str(word);
        line.push(' ');
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The plan (and, after apply, what became of it) as text.
pub fn plan_text(report: &cmek::enable::EnableReport) -> String {
    use cmek::apply::Outcome;
    use cmek::plan::Action;
    let applied = report.changes.iter().any(|c| c.outcome != Outcome::Planned);
    let mut t = table(if applied {
        ["ACTION", "RESOURCE", "STEPS", "OUTCOME"]
    } else {
        ["ACTION", "RESOURCE", "STEPS", "WHY"]
    });
    for c in &report.changes {
        let action = match c.change.action {
            Action::Create => Cell::new("create").fg(Color::Green),
            Action::Update => Cell::new("update").fg(Color::Yellow),
            Action::None => Cell::new("none").fg(Color::DarkGrey),
            Action::Blocked => Cell::new("BLOCKED")
                .fg(Color::Red)
                .add_attribute(Attribute::Bold),
        };
        let steps = c
            .results
            .iter()
            .map(|r| {
                let mark = match r.outcome {
                    Outcome::Applied => "✓ ",
                    Outcome::Failed => "✗ ",
                    Outcome::Skipped if applied && c.change.action != Action::None => "· ",
                    _ => "",
                };
                format!("{mark}{}", r.step.name())
            })
            .collect::<Vec<_>>()
            .join("\n");
        let last = if applied {
            let failed = c
                .results
                .iter()
                .find(|r| r.outcome == Outcome::Failed)
                .and_then(|r| r.message.clone());
            let word = match c.outcome {
                Outcome::Applied => "applied",
                Outcome::Failed => "FAILED",
                Outcome::Skipped => "skipped",
                Outcome::Planned => "planned",
            };
            match failed {
                Some(m) => format!("{word}: {m}"),
                None => word.to_string(),
            }
        } else {
            c.change.reason.clone()
        };
        t.add_row(vec![
            action,
            Cell::new(format!("{}\n{}", c.change.id, c.change.resource)),
            Cell::new(if steps.is_empty() { "-".into() } else { steps }),
            Cell::new(last),
        ]);
    }
    let mut out = format!(
        "Tenant   {}\nKey      {}\nAccount  {} ({})\n{t}\n",
        report.tenant, report.key_arn, report.account, report.region
    );
    let notes: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.change.action != Action::None || applied)
        .flat_map(|c| {
            c.change
                .notes
                .iter()
                .map(move |n| format!("{} ({}): {}", n.id, c.change.resource, n.message))
        })
        .collect();
    if !notes.is_empty() {
        out.push_str("\nBefore you go on:\n");
        for n in notes {
            out.push_str(&wrap(&n, "  ! ", "    "));
        }
    }
    out
}

/// Renders `enable`'s report.
pub fn enable(
    printer: &Printer,
    report: &cmek::enable::EnableReport,
    verify_report: &VerifyReport,
) {
    if printer.format == OutputFormat::Json {
        printer.stdout(&json_line(report));
        return;
    }
    let mut out = String::new();
    if report.verdict == "failed" {
        out.push_str("verify failed: nothing was changed.\n");
        out.push_str(&checks_table(&verify_report.checks, &verify_report.key_arn));
        out.push_str(&remedies(&verify_report.checks));
    } else if report.verdict == "no-changes" {
        out.push_str(&format!(
            "Tenant {}: every resource is already encrypted with {}: no changes.\n",
            report.tenant, report.key_arn
        ));
    } else {
        out.push_str(&plan_text(report));
    }
    if !report.next.is_empty() && report.verdict != "no-changes" {
        out.push_str("\nNext:\n");
        for n in &report.next {
            out.push_str(&wrap(n, "  - ", "    "));
        }
    }
    let what = match report.verdict {
        "applied" => format!("{} steps applied", report.applied.len()),
        "partial" => format!(
            "stopped part-way: {} steps applied; run again to resume",
            report.applied.len()
        ),
        "planned" => "dry run: nothing changed".into(),
        "blocked" => "nothing changed".into(),
        "failed" => "nothing changed".into(),
        _ => "nothing to change".into(),
    };
    out.push_str(&format!("\nenable: {} ({what})\n", report.verdict));
    printer.stdout(&out);
}

fn state_cell(state: &str) -> Cell {
    let c = Cell::new(state);
    match state {
        "ok" | "ready" | "revoked" => c.fg(Color::Green),
        "drift" | "exposed" | "partial" => c.fg(Color::Yellow).add_attribute(Attribute::Bold),
        _ => c.fg(Color::Red).add_attribute(Attribute::Bold),
    }
}

fn key_line(k: &cmek::status::KeyView) -> String {
    let rotation = match k.rotation {
        Some(true) => ", automatic rotation ON",
        Some(false) => ", rotation off",
        None => "",
    };
    format!("Key      {}\nState    {}{rotation}\n", k.arn, k.message)
}

/// Renders `status --tenant`.
pub fn status(printer: &Printer, r: &cmek::status::StatusReport) {
    if printer.format == OutputFormat::Json {
        printer.stdout(&json_line(r));
        return;
    }
    let mut t = table(["STATE", "KIND", "RESOURCE", "KEY IN USE", "DETAIL"]);
    for x in &r.resources {
        let actual = if x.state == "ok" {
            "the key".to_string()
        } else {
            x.actual_key.clone()
        };
        let detail = match &x.status {
            Some(s) => format!("{s}: {}", x.message),
            None => x.message.clone(),
        };
        t.add_row(vec![
            state_cell(x.state),
            Cell::new(x.kind),
            Cell::new(&x.resource),
            Cell::new(actual),
            Cell::new(detail),
        ]);
    }
    let mut out = format!(
        "Tenant   {}\n{}Account  {} ({})\n{t}\n",
        r.head.tenant,
        key_line(&r.head.key),
        r.head.account,
        r.head.region
    );
    for n in &r.next {
        out.push_str(&wrap(n, "  - ", "    "));
    }
    let s = r.summary;
    out.push_str(&format!(
        "\nstatus: {} ({} ok, {} drift, {} unencrypted, {} missing; expected key from {})\n",
        r.head.verdict, s.ok, s.drift, s.unencrypted, s.missing, r.head.key_source
    ));
    printer.stdout(&out);
}

/// Renders `status --all`.
pub fn fleet(printer: &Printer, r: &cmek::status::FleetReport) {
    if printer.format == OutputFormat::Json {
        printer.stdout(&json_line(r));
        return;
    }
    let mut t = table(["TENANT", "STATE", "KEY", "OK/DRIFT/NONE/MISSING", "DETAIL"]);
    for x in &r.tenants {
        let s = x.summary;
        t.add_row(vec![
            Cell::new(&x.tenant),
            state_cell(x.verdict),
            Cell::new(x.key_state.as_deref().unwrap_or("-")),
            Cell::new(format!(
                "{}/{}/{}/{}",
                s.ok, s.drift, s.unencrypted, s.missing
            )),
            Cell::new(x.message.as_deref().unwrap_or("")),
        ]);
    }
    let c = r.counts;
    printer.stdout(&format!(
        "{t}\nstatus --all: {} ({} tenants: {} ok, {} drift, {} unreachable)\n",
        r.verdict,
        r.tenants.len(),
        c.ok,
        c.drift,
        c.unreachable
    ));
}

/// Renders `revoke-check`.
pub fn revoke(printer: &Printer, r: &cmek::revoke::RevokeReport) {
    if printer.format == OutputFormat::Json {
        printer.stdout(&json_line(r));
        return;
    }
    let mut out = format!(
        "Tenant   {}\n{}Account  {} ({})\n",
        r.head.tenant,
        key_line(&r.head.key),
        r.head.account,
        r.head.region
    );
    out.push_str(&checks_table(&r.checks, &r.head.key_arn));
    out.push_str(&remedies(&r.checks));
    if !r.next.is_empty() {
        out.push('\n');
        for n in &r.next {
            out.push_str(&wrap(n, "  - ", "    "));
        }
    }
    let meaning = match r.head.verdict {
        "ready" => "disabling the key would cut Speedscale off",
        "exposed" => "some data paths do not depend on the key",
        "revoked" => "Speedscale is cut off",
        _ => "the key is revoked but something is still readable or running",
    };
    let s = r.summary;
    out.push_str(&format!(
        "\nrevoke-check: {} ({meaning}; {} pass, {} warn, {} fail)\n",
        r.head.verdict, s.pass, s.warn, s.fail
    ));
    printer.stdout(&out);
}
