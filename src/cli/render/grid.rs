//! Text that fits the width: the width itself, cells that wrap at spaces and long identifiers at
//! their separators, tables whose columns are as wide as their words (or one block per row when
//! they cannot be), and lines filled under their indent.

use comfy_table::{presets, Cell, ContentArrangement, Table};

#[cfg(test)]
thread_local! {
    /// The width the renderers see in unit tests (100 but where a test sets another).
    pub(super) static WIDTH_NOW: std::cell::Cell<u16> = const { std::cell::Cell::new(WIDTH) };
}

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
    return WIDTH_NOW.with(|w| w.get());
    #[allow(unreachable_code)]
    *CHOSEN.get_or_init(|| {
        let terminal = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0);
        choose_width(std::env::var("COLUMNS").ok().as_deref(), terminal)
    })
}

/// [`width`]'s rule, without the environment.
pub(super) fn choose_width(columns: Option<&str>, terminal: Option<u16>) -> u16 {
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
pub(super) const BREAK: char = '\u{200B}';

/// The longest word a table keeps whole: columns are at least this wide where their words are.
const WORD: usize = 20;

/// Text that came from AWS or an endpoint (a resource name, an error message, an object key), made
/// safe to print on a terminal: every control character but a line feed (C0, DEL and C1: an escape
/// sequence could recolour the screen, move the cursor, retitle the window or hide what follows; a
/// carriage return could overwrite a line) becomes a space, and the bidirectional overrides that
/// reorder what a reader sees are dropped. cmek's own colours are added after this, by the table.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let control = |c: char| c.is_control() && c != '\n';
    if !s.chars().any(|c| control(c) || bidi(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .filter(|c| !bidi(*c))
            .map(|c| if control(c) { ' ' } else { c })
            .collect(),
    )
}

/// A cell whose text wraps at spaces, and long words at their separators (see [`BREAK`]); its
/// text [`clean`]ed first.
pub(super) fn text(s: impl AsRef<str>) -> Cell {
    raw_text(&clean(s.as_ref()))
}

/// [`text`] of a line that is already a table's (it may hold the table's own colours).
pub(super) fn raw_text(s: &str) -> Cell {
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
pub(super) struct Grid(Table);

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
}

impl std::fmt::Display for Grid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use comfy_table::{ColumnConstraint, Width};
        let mut t = self.0.clone();
        let cells = self.cells();
        let columns = t.column_count();
        let header = self.header();
        // A column's texts: its header and every row's cell.
        let column = |i: usize| {
            cells
                .iter()
                .filter_map(move |r| r.get(i))
                .chain(header.get(i))
        };
        let least: Vec<u16> = (0..columns)
            .map(|i| column(i).map(|c| least_width(c)).max().unwrap_or(1))
            .collect();
        // Each column's borders and padding: 3 characters, and one for the table's edge.
        let overhead = 3 * columns + 1;
        let width = usize::from(t.width().unwrap_or(width()));
        let needed: usize = least.iter().map(|w| usize::from(*w)).sum::<usize>() + overhead;
        if needed > width {
            return f.write_str(&blocks(&header, &cells, width).replace(BREAK, ""));
        }
        // Every column as wide as its words, then the room left one character at a time to the
        // column narrowest against its longest line: comfy-table then draws exactly these widths.
        let longest: Vec<usize> = (0..columns)
            .map(|i| {
                column(i)
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

/// One block per row: its first cells on a line, the others as `HEADER: value`, wrapped.
fn blocks(header: &[String], cells: &[Vec<String>], width: usize) -> String {
    let mut out = String::new();
    for row in cells {
        let row: Vec<String> = row.iter().map(|c| c.replace('\n', " ")).collect();
        let lead: Vec<&str> = row.iter().take(2).map(String::as_str).collect();
        out.push_str(&fill(&format!("- {}", lead.join(", ")), width, "    "));
        for (h, c) in header.iter().zip(&row).skip(2) {
            if !c.trim().is_empty() {
                out.push_str(&fill(&format!("    {h}: {c}"), width, "      "));
            }
        }
    }
    out
}

/// Fills lines of at most `width` characters from `text`: words move whole to the next line
/// (indented by `rest`); a long word breaks at its [`BREAK`] marks, and only a part longer than a
/// line breaks inside. Ends with a newline.
pub(super) fn fill(text: &str, width: usize, rest: &str) -> String {
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

/// A table of at most [`width`] columns with this header.
pub(super) fn table<T: Into<comfy_table::Row>>(header: T) -> Grid {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width())
        .set_header(header);
    Grid(t)
}

/// A report's opening lines, `Label    value`, each wrapped to [`width`] (an ARN at its
/// separators) under its value.
pub(super) fn head_lines(lines: &[(&str, String)]) -> String {
    let w = usize::from(width());
    lines
        .iter()
        .map(|(label, value)| {
            let cell = text(value).content();
            fill_from(&format!("{label:<9}"), &cell, w, "         ")
        })
        .collect()
}
