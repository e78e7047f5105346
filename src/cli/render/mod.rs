//! Rendering: one path for every report. A report implements [`Render`] (its table); the printer
//! prints either that table or the report as one JSON object (`Printer::render`). Tables are as
//! wide as [`width`] allows, and wrap identifiers at their separators.

mod doctor;
mod enable;
mod revoke;
mod status;
mod verify;

use cmek::commands::tenancy::TenantHead;
use cmek::shared::report::{Check, Remedy, Status};
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

pub use enable::{plan_text, EnableView};

/// How wide output is when neither `COLUMNS` nor a terminal says otherwise.
pub const WIDTH: u16 = 100;

/// The narrowest and widest output cmek draws, whatever `COLUMNS` says.
const WIDTH_RANGE: std::ops::RangeInclusive<u16> = 40..=1000;

/// The width tables and notes fill: `COLUMNS` when set to a number, else the terminal's width when
/// stdout is a terminal, else [`WIDTH`]. Fixed at [`WIDTH`] in unit tests, so snapshots do not
/// depend on the shell that runs them.
pub fn width() -> u16 {
    static CHOSEN: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    if cfg!(test) {
        return WIDTH;
    }
    *CHOSEN.get_or_init(|| {
        let terminal = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0);
        choose_width(std::env::var("COLUMNS").ok().as_deref(), terminal)
    })
}

/// [`width`]'s rule, without the environment.
fn choose_width(columns: Option<&str>, terminal: Option<u16>) -> u16 {
    let from_env = columns.and_then(|c| c.trim().parse::<u16>().ok());
    from_env
        .or(terminal)
        .map(|w| w.clamp(*WIDTH_RANGE.start(), *WIDTH_RANGE.end()))
        .unwrap_or(WIDTH)
}

/// Where a cell's text may wrap: a zero-width space after each space and after each separator of
/// an identifier (`-`, `/`, `:`), so that ARNs, bucket names and object keys wrap between their
/// parts instead of mid-word. It has no width, and [`Grid`]'s `Display` removes it, so copied
/// output never contains it.
const BREAK: char = '\u{200B}';

/// A cell whose text wraps at spaces and at identifier separators (see [`BREAK`]).
fn text(s: impl AsRef<str>) -> Cell {
    let s = s.as_ref();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for ch in s.chars() {
        out.push(ch);
        if matches!(ch, ' ' | '-' | '/' | ':') {
            out.push(BREAK);
        }
    }
    Cell::new(out).set_delimiter(BREAK)
}

/// A table whose text is drawn without the [`BREAK`] marks.
struct Grid(Table);

impl std::ops::Deref for Grid {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl std::ops::DerefMut for Grid {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

impl std::fmt::Display for Grid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_string().replace(BREAK, ""))
    }
}

/// A report as a person reads it. Its JSON is its `Serialize`.
pub trait Render: serde::Serialize {
    /// The report as text for a terminal (tables, notes, the closing line).
    fn table(&self) -> String;
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

/// A table of at most [`width`] columns with this header.
fn table<T: Into<comfy_table::Row>>(header: T) -> Grid {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width())
        .set_header(header);
    Grid(t)
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
    for word in text.split_whitespace() {
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
    format!(
        "Tenant   {}\nKey      {}\nState    {}{rotation}\nAccount  {} ({})\n",
        h.tenant, k.arn, k.message, h.account, h.region
    )
}

#[cfg(test)]
mod tests;
