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

/// One JSON object and a newline.
pub fn json_line<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn checks_table(checks: &[Check], key_arn: &str) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(["STATUS", "CHECK", "RESOURCE", "MESSAGE"]);
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
