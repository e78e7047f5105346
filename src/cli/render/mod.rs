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
    #[cfg(test)]
    return tests::WIDTH_NOW.with(|w| w.get());
    #[allow(unreachable_code)]
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

/// Where a cell's text may wrap inside a word: a zero-width space after each separator (`-`, `/`,
/// `:`, `.`) of a word longer than [`WORD`], so that ARNs, bucket names and object keys wrap
/// between their parts instead of mid-word. Words of [`WORD`] characters or fewer never wrap, and
/// neither do the dashes and colons of a number (a timestamp). It has no width, and [`Grid`]'s
/// `Display` removes it, so copied output never contains it.
const BREAK: char = '\u{200B}';

/// The longest word a table keeps whole: columns are at least this wide where their words are.
const WORD: usize = 20;

/// A cell whose text wraps at spaces, and long words at their separators (see [`BREAK`]).
fn text(s: impl AsRef<str>) -> Cell {
    let s = s.as_ref();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
            out.push(BREAK);
        }
        if word.chars().count() <= WORD {
            out.push_str(word);
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        for (j, &ch) in chars.iter().enumerate() {
            out.push(ch);
            let digits = j > 0
                && chars[j - 1].is_ascii_digit()
                && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit());
            if matches!(ch, '-' | '/' | ':' | '.') && !digits && j + 1 < chars.len() {
                out.push(BREAK);
            }
        }
    }
    Cell::new(out).set_delimiter(BREAK)
}

/// The width a column needs so that none of its words of [`WORD`] characters or fewer is split.
fn least_width(content: &str) -> u16 {
    // A word keeps the space after it in comfy-table's pieces: one more character.
    content
        .split([' ', '\n', BREAK])
        .map(|w| w.chars().count().min(WORD) + 1)
        .max()
        .unwrap_or(1) as u16
}

/// A table whose text is drawn without the [`BREAK`] marks: as a table when every column can be
/// as wide as its words, else as one block per row (narrow terminals).
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

impl Grid {
    fn cells(&self) -> Vec<Vec<String>> {
        self.0
            .row_iter()
            .map(|r| r.cell_iter().map(|c| c.content()).collect())
            .collect()
    }

    fn header(&self) -> Vec<String> {
        self.0
            .header()
            .map(|h| {
                h.cell_iter()
                    .map(|c| c.content().replace(BREAK, ""))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One block per row: its first cells on a line, the others as `HEADER: value`, wrapped.
    fn blocks(&self, width: usize) -> String {
        let header = self.header();
        let mut out = String::new();
        for row in self.cells() {
            let lead: Vec<String> = row.iter().take(2).map(|c| c.replace(BREAK, "")).collect();
            let lead: Vec<&str> = lead.iter().map(|c| c.as_str()).collect();
            out.push_str(&fill(&format!("- {}", lead.join(", ")), width, "    "));
            for (h, c) in header.iter().zip(&row).skip(2) {
                if c.trim().is_empty() {
                    continue;
                }
                out.push_str(&fill(&format!("    {h}: {c}"), width, "      "));
            }
        }
        out
    }
}

impl std::fmt::Display for Grid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use comfy_table::{ColumnConstraint, Width};
        let mut t = self.0.clone();
        let cells = self.cells();
        let columns = t.column_count();
        let least: Vec<u16> = (0..columns)
            .map(|i| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .chain(self.header().get(i))
                    .map(|c| least_width(c))
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        // Each column's borders and padding: 3 characters, and one for the table's edge.
        let overhead = 3 * columns + 1;
        let width = usize::from(t.width().unwrap_or(width()));
        let needed: usize = least.iter().map(|w| usize::from(*w)).sum::<usize>() + overhead;
        if needed > width {
            return f.write_str(&self.blocks(width).replace(BREAK, ""));
        }
        // Every column as wide as its words, then the room left to the columns that would wrap
        // most, one character at a time: comfy-table then draws exactly these widths.
        let longest: Vec<usize> = (0..columns)
            .map(|i| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .chain(self.header().get(i))
                    .flat_map(|c| c.lines().map(|l| l.replace(BREAK, "").chars().count()))
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let mut widths: Vec<usize> = least.iter().map(|w| usize::from(*w)).collect();
        let mut room = width - needed;
        while room > 0 {
            let Some((i, _)) = widths
                .iter()
                .enumerate()
                .filter(|(i, w)| **w < longest[*i])
                .min_by_key(|(i, w)| **w * 1000 / longest[*i].max(1))
            else {
                break;
            };
            widths[i] += 1;
            room -= 1;
        }
        for (i, w) in widths.iter().enumerate() {
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(ColumnConstraint::Absolute(Width::Fixed(*w as u16 + 2)));
            }
        }
        f.write_str(&t.to_string().replace(BREAK, ""))
    }
}

/// Fills lines of at most `width` characters from `text`: words move whole to the next line
/// (indented by `rest`); a long word breaks at its [`BREAK`] marks, and only a part longer than a
/// line breaks inside. Ends with a newline.
fn fill(text: &str, width: usize, rest: &str) -> String {
    let lead = text.len() - text.trim_start().len();
    fill_from(&text[..lead], &text[lead..], width, rest)
}

/// [`fill`] with a first line that starts with `first`, kept as it is (a label and its padding).
fn fill_from(first: &str, text: &str, width: usize, rest: &str) -> String {
    let len = |s: &str| s.chars().count();
    let mut out = String::new();
    let mut line = first.to_string();
    let mut bare = true; // nothing on the line yet but `first` (which ends where text starts)
    let newline = |out: &mut String, line: &mut String, bare: &mut bool| {
        out.push_str(line.trim_end());
        out.push('\n');
        *line = rest.to_string();
        *bare = true;
    };
    for word in text.trim_start().split(' ').filter(|w| !w.is_empty()) {
        let clean = word.replace(BREAK, "");
        let gap = usize::from(!bare);
        if len(&line) + gap + len(&clean) <= width {
            if !bare {
                line.push(' ');
            }
            line.push_str(&clean);
            bare = false;
            continue;
        }
        if !bare && len(rest) + len(&clean) <= width {
            newline(&mut out, &mut line, &mut bare);
            line.push_str(&clean);
            bare = false;
            continue;
        }
        // Longer than a line: its parts where they fit, characters where one does not.
        for (i, part) in word.split(BREAK).filter(|p| !p.is_empty()).enumerate() {
            let gap = usize::from(i == 0 && !bare);
            if !bare && len(&line) + gap + len(part) > width {
                newline(&mut out, &mut line, &mut bare);
            } else if gap == 1 {
                line.push(' ');
            }
            for ch in part.chars() {
                if len(&line) + 1 > width && !bare {
                    newline(&mut out, &mut line, &mut bare);
                }
                line.push(ch);
                bare = false;
            }
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

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
            out.push_str(&fill(&text(line).content(), w, &" ".repeat(indent + 2)));
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
    head_lines(&[
        ("Tenant", h.tenant.clone()),
        ("Key", k.arn.clone()),
        ("State", format!("{}{rotation}", k.message)),
        ("Account", format!("{} ({})", h.account, h.region)),
    ])
}

/// A report's opening lines, `Label    value`, each wrapped to [`width`] (an ARN at its
/// separators) under its value.
fn head_lines(lines: &[(&str, String)]) -> String {
    let w = usize::from(width());
    lines
        .iter()
        .map(|(label, value)| {
            let cell = text(value).content();
            fill_from(&format!("{label:<9}"), &cell, w, "         ")
        })
        .collect()
}

#[cfg(test)]
mod tests;
