//! Rendering: one path for every report. A report implements [`Render`] (its table); the printer
//! prints either that table or the report as one JSON object (`Printer::render`). Tables are as
//! wide as [`width`] allows, and wrap identifiers at their separators.

mod doctor;
mod enable;
mod evidence;
mod grid;
mod revoke;
mod status;
mod verify;

use cmek::commands::tenancy::TenantHead;
use cmek::shared::report::{Check, Remedy, Status};
use comfy_table::{Attribute, Cell, Color};

pub use enable::{plan_text, EnableView};
pub use grid::clean;
#[cfg(test)]
use grid::WIDTH;
use grid::{fill, head_lines, raw_text, table, text, width};

/// A report as a person reads it. Its JSON is its `Serialize`.
pub trait Render: serde::Serialize {
    /// The report as text for a terminal (tables, notes, the closing line).
    fn table(&self) -> String;

    /// [`Render::table`] as drawn: any line wider than [`width`] (a closing line, a note) wrapped
    /// at its words under its own indent.
    fn drawn(&self) -> String {
        let w = usize::from(width());
        let mut out = String::new();
        for line in self.table().lines() {
            if line.chars().count() <= w {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            out.push_str(&fill(&raw_text(line).content(), w, &" ".repeat(indent + 2)));
        }
        out
    }
}

fn status_cell(s: Status) -> Cell {
    let c = text(s.as_str().to_uppercase());
    match s {
        Status::Pass => c.fg(Color::Green),
        Status::Warn => c.fg(Color::Yellow),
        Status::Fail => c.fg(Color::Red).add_attribute(Attribute::Bold),
        Status::Skip => c.fg(Color::DarkGrey),
    }
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
            text(c.id.as_str()),
            text(resource),
            text(&c.message),
        ]);
    }
    format!("{t}\n")
}

/// Remedies of the checks that failed or warned, grouped where several need the same change;
/// key-policy statements are pretty-printed so they fit the width and can be pasted. A skipped
/// check (proven at enable, say) asks nothing of anyone: its message says what will prove it.
fn remedies(checks: &[Check]) -> String {
    let mut groups: Vec<(Vec<&str>, &Remedy)> = vec![];
    for c in checks
        .iter()
        .filter(|c| matches!(c.status, Status::Fail | Status::Warn))
    {
        let Some(r) = c.remedy.as_ref() else {
            continue;
        };
        match groups.iter_mut().find(|(_, g)| *g == r) {
            Some((ids, _)) => ids.push(c.id.as_str()),
            None => groups.push((vec![c.id.as_str()], r)),
        }
    }
    if groups.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nWhat to change:\n");
    for (ids, remedy) in groups {
        out.push_str(&wrap(
            &format!("{}: {}", ids.join(", "), remedy.text),
            "  ",
            "    ",
        ));
        if let Some(st) = remedy
            .statement
            .as_ref()
            .and_then(|s| serde_json::to_string_pretty(s).ok())
        {
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
    for word in clean(text).split_whitespace() {
        if line.len() + word.len() + 1 > width() as usize && !line.trim().is_empty() {
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

/// A verdict or state, coloured: green for yes, yellow for a gap, red otherwise.
fn state_cell(state: &str, good: bool, gap: bool) -> Cell {
    let c = text(state);
    if good {
        c.fg(Color::Green)
    } else if gap {
        c.fg(Color::Yellow).add_attribute(Attribute::Bold)
    } else {
        c.fg(Color::Red).add_attribute(Attribute::Bold)
    }
}

/// The lines that open a tenant's report: tenant, key and its state, account and region.
fn tenant_lines<V>(h: &TenantHead<V>) -> String {
    let k = &h.key;
    let rotation = match k.rotation {
        Some(true) => ", automatic rotation ON",
        Some(false) => ", rotation off",
        None => "",
    };
    head_lines(&[
        ("Tenant", h.tenant.clone()),
        ("Key", k.arn.clone()),
        ("State", format!("{}{rotation}", k.message)),
        ("Account", format!("{} ({})", h.account, h.region)),
    ])
}

#[cfg(test)]
mod tests;
