//! Where a table's header is, on plain lines of text (CSV, pasted cells, or a sheet's text):
//! title rows above it, a header over two rows (a group row over the names, or a row of units
//! under them), and notes after the data. A spreadsheet exported as it is looks like this:
//!
//! ```text
//! ALS clinic — ALSFRS-R export 2023        ← title row: not read
//!                                           ← blank
//! Patient | Visit | ALSFRS-R |  …  | FVC    ← header, upper row
//! ID      | Date  | 1. Speech|  …  | (L)    ← header, lower row: names joined per column
//! P01     | …                               ← data
//! Notes: FVC measured sitting               ← note: not read
//! ```
//!
//! The usual table (the header on its first line, no notes) is left as it is, without a copy.
//! Otherwise the lines not read become blank lines, so that every line keeps its number.

use super::cells::parse_number;
use super::columns::{event_column, guess_header, normalize, Role};
use super::dates;
use super::tokenizer::detect_delimiter;
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::settings::Settings;
use std::borrow::Cow;

/// Lines looked at for a header below title rows.
const HEADER_SEARCH_LINES: usize = 30;

/// A table's text made ready for the tokenizer.
pub(crate) struct Prepared<'t> {
    pub text: Cow<'t, str>,
    /// 1-based line of the header (the upper row of two); None: the first line that is not
    /// blank or a comment, as the tokenizer finds it.
    pub header_row: Option<usize>,
    /// The names of a two-row header, to replace the tokenizer's (which reads the upper row).
    pub header: Option<Vec<String>>,
    pub header_rows: usize,
    /// How the header was found, when not on the first line (for `TableInfo::note`).
    pub note: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One line: its number, byte range (without the line end) and cells.
struct Line {
    number: usize,
    start: usize,
    end: usize,
    cells: Vec<String>,
}

/// A line's cells, read with the line's own delimiter (quotes understood).
fn cells(line: &str) -> Vec<String> {
    let d = detect_delimiter(line);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(d)
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(|c| c.trim().to_string()).collect(),
        _ => vec![line.trim().to_string()],
    }
}

/// The first lines that are neither blank nor comments (at most `max`).
fn first_lines(text: &str, max: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let t = line.trim();
        let s = start;
        start += raw.len();
        if t.is_empty() || t.starts_with('#') || t.chars().all(|c| matches!(c, ',' | ';' | '\t')) {
            continue;
        }
        out.push(Line {
            number: i + 1,
            start: s,
            end: s + line.len(),
            cells: cells(line.trim_start_matches('\u{feff}')),
        });
        if out.len() >= max {
            break;
        }
    }
    out
}

/// The role a header cell is given: a column override of the settings, else by name.
fn role_of(cell: &str, settings: &Settings) -> Option<Role> {
    if let Some((_, r)) = settings
        .columns
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(cell.trim()))
    {
        return Role::from_name(r, cell).filter(|r| *r != Role::Ignore);
    }
    guess_header(cell).or_else(|| event_column(&normalize(cell)).then_some(Role::Event))
}

/// (has a patient column, recognised columns) of a line read as a header.
fn score(cells: &[String], settings: &Settings) -> (bool, usize) {
    let roles: Vec<Option<Role>> = cells.iter().map(|c| role_of(c, settings)).collect();
    (
        roles.contains(&Some(Role::Patient)),
        roles.iter().filter(|r| r.is_some()).count(),
    )
}

/// A cell that is data, not a name: a number or a date.
fn is_value(c: &str) -> bool {
    parse_number(c, b'\t').is_some() || dates::parse_raw(c).is_some()
}

/// Find the header; blank title rows and the lower row of a two-row header; cut trailing notes.
/// `header_row`: the settings' header row when it applies to this table.
pub(crate) fn prepare<'t>(
    text: &'t str,
    settings: &Settings,
    header_row: Option<usize>,
) -> Prepared<'t> {
    let mut out = Prepared {
        text: Cow::Borrowed(text),
        header_row: None,
        header: None,
        header_rows: 1,
        note: None,
        diagnostics: Vec::new(),
    };
    // The usual table's first line is its header: two lines read, not thirty.
    let mut lines = first_lines(text, 2);
    if header_row.is_some() || lines.first().is_some_and(|l| !score(&l.cells, settings).0) {
        lines = first_lines(text, HEADER_SEARCH_LINES);
    }
    let Some(first) = lines.first() else {
        return out;
    };
    let chosen = match header_row {
        Some(n) => match lines.iter().position(|l| l.number == n) {
            Some(k) => k,
            None => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Severity::Warning,
                        DiagKind::Layout,
                        format!("the header row setting ({n}) is not a line with cells among the first {HEADER_SEARCH_LINES}; the header was looked for as usual"),
                    ),
                );
                find_header(&lines, settings)
            }
        },
        None => find_header(&lines, settings),
    };
    let header = &lines[chosen];
    if header.number != first.number {
        let title = first
            .cells
            .iter()
            .find(|c| !c.is_empty())
            .cloned()
            .unwrap_or_default();
        out.diagnostics.push(
            Diagnostic::new(
                Severity::Info,
                DiagKind::Layout,
                format!(
                    "the header is on line {}; the {} line(s) above it (\"{}\") are not read",
                    header.number,
                    lines
                        .iter()
                        .take_while(|l| l.number < header.number)
                        .count(),
                    clip(&title)
                ),
            )
            .at(header.number),
        );
        out.note = Some(format!("header on line {}", header.number));
    }
    let mut blank_lines: Vec<(usize, usize)> = Vec::new();
    if header.number != first.number {
        blank_lines.push((0, header.start));
    }
    // A second header row right below.
    if let Some(lower) = lines
        .get(chosen + 1)
        .filter(|l| l.number == header.number + 1)
    {
        if let Some(names) = two_row_names(&header.cells, &lower.cells, settings) {
            out.diagnostics.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::Layout,
                    format!(
                        "the header spans lines {} and {}; the column names are read as {}",
                        header.number,
                        lower.number,
                        names
                            .iter()
                            .filter(|n| !n.is_empty())
                            .map(|n| format!("\"{}\"", clip(n)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .at(header.number),
            );
            out.header = Some(names);
            out.header_rows = 2;
            out.note = Some(format!(
                "header on lines {} and {}",
                header.number, lower.number
            ));
            blank_lines.push((lower.start, lower.end));
        }
    }
    if out.note.is_some() || header_row.is_some() {
        out.header_row = Some(header.number);
    }
    let d = detect_delimiter(&text[header.start..header.end]);
    let cut = trailing_notes(
        text,
        header.end,
        d,
        header.cells.len(),
        &mut out.diagnostics,
    );
    if blank_lines.is_empty() {
        out.text = Cow::Borrowed(&text[..cut]);
    } else {
        out.text = Cow::Owned(blanked(&text[..cut], &blank_lines));
    }
    out
}

/// The header among the first lines: the first line when it names a patient column, else the
/// first line that names a patient column and another; else the first line.
fn find_header(lines: &[Line], settings: &Settings) -> usize {
    if score(&lines[0].cells, settings).0 {
        return 0;
    }
    lines
        .iter()
        .position(|l| {
            let (patient, n) = score(&l.cells, settings);
            patient && n >= 2
        })
        .unwrap_or(0)
}

/// The names of a header over two rows, or None when the lower row is not a header row (it
/// has values, or joining the rows names no more columns and it is not a row of units).
fn two_row_names(upper: &[String], lower: &[String], settings: &Settings) -> Option<Vec<String>> {
    let filled: Vec<&String> = lower.iter().filter(|c| !c.is_empty()).collect();
    if filled.len() < 2 && !filled.iter().all(|c| c.starts_with('(')) || filled.is_empty() {
        return None;
    }
    // A value is data, also with stray quotes in it (`2020-01-0"1`, `9"`): a data row spoilt
    // by a quote is not a header row (every patient would be lost with the score column).
    if filled
        .iter()
        .any(|c| is_value(c) || c.contains('"') && is_value(&c.replace('"', "")))
    {
        return None;
    }
    let units_row = filled
        .iter()
        .all(|c| c.starts_with('(') || c.starts_with('['));
    let n = upper.len().max(lower.len());
    let mut names = Vec::with_capacity(n);
    let mut group = String::new();
    for j in 0..n {
        let up = upper.get(j).map(String::as_str).unwrap_or("");
        let lo = lower.get(j).map(String::as_str).unwrap_or("");
        if !up.is_empty() {
            group = up.to_string();
        }
        let name = if lo.is_empty() {
            up.to_string()
        } else if up.is_empty() && group.is_empty() {
            lo.to_string()
        } else {
            let over = if up.is_empty() { group.as_str() } else { up };
            let joined = format!("{over} {lo}");
            if units_row {
                joined
            } else {
                [joined.as_str(), lo, over]
                    .into_iter()
                    .find(|c| role_of(c, settings).is_some())
                    .unwrap_or(&joined)
                    .to_string()
            }
        };
        names.push(name);
    }
    // Joined, the names are read as more columns, or as many with some read differently
    // (`FVC` + `(L)`: litres, not % predicted).
    let roles_of =
        |cs: &[String]| -> Vec<Option<Role>> { cs.iter().map(|c| role_of(c, settings)).collect() };
    let (joined, alone) = (roles_of(&names), roles_of(upper));
    let count = |rs: &[Option<Role>]| rs.iter().filter(|r| r.is_some()).count();
    // (a change counts where the joined name is the one read, not the lower cell alone)
    let changed = joined.iter().enumerate().any(|(j, r)| {
        r.is_some()
            && alone.get(j).cloned().flatten() != *r
            && names[j] != lower.get(j).map(String::as_str).unwrap_or("")
    });
    (units_row || count(&joined) > count(&alone) || (count(&joined) == count(&alone) && changed))
        .then_some(names)
}

/// Where the text ends before trailing notes (lines of one cell with words, after the last line
/// of data); the notes are reported.
fn trailing_notes(
    text: &str,
    header_end: usize,
    d: u8,
    header_len: usize,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    if header_len < 2 {
        return text.len();
    }
    let b = text.as_bytes();
    let mut end = text.len();
    let mut cut = text.len();
    let mut first_note: Option<String> = None;
    let mut n_notes = 0;
    while end > header_end {
        let start = b[..end.saturating_sub(1)]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1)
            .max(header_end);
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        if !line.trim().is_empty() {
            let cs: Vec<&str> = line
                .split(d as char)
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            // A line with a quote may end a quoted field (a note over two lines in the last
            // row): it is read with the rows, never cut off as a note after the data (counting
            // the quotes before it cannot tell, a stray quote among them).
            let note = !line.contains('"')
                && cs.len() == 1
                && (cs[0].contains(' ') || cs[0].contains(':'))
                && !is_value(cs[0]);
            if !note {
                break;
            }
            n_notes += 1;
            first_note = Some(cs[0].to_string());
            cut = start;
        }
        if start == header_end {
            break;
        }
        end = start;
    }
    if let Some(note) = first_note {
        let from = 1 + memchr::memchr_iter(b'\n', &b[..cut]).count();
        diags.push(
            Diagnostic::new(
                Severity::Info,
                DiagKind::Layout,
                format!(
                    "{} line(s) from line {from} after the data look like notes (\"{}\"); not read",
                    n_notes,
                    clip(&note)
                ),
            )
            .at(from),
        );
    }
    cut
}

/// The text with the byte ranges' lines made blank (their line ends kept).
fn blanked(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(a, b) in ranges {
        let (a, b) = (a.min(text.len()), b.min(text.len()));
        out.push_str(&text[at..a]);
        out.extend(text[a..b].bytes().filter(|&c| c == b'\n').map(|_| '\n'));
        at = b;
    }
    out.push_str(&text[at..]);
    out
}

/// A text cut to 40 characters for a message.
fn clip(s: &str) -> String {
    let mut c: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        c.push('…');
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Prepared<'_> {
        prepare(text, &Settings::default(), None)
    }

    #[test]
    fn a_usual_table_is_left_as_it_is() {
        let t = "id,date,alsfrs_r\nA,2020-01-01,40\n";
        let r = p(t);
        assert!(matches!(r.text, Cow::Borrowed(s) if s == t));
        assert_eq!(r.header_row, None);
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn title_rows_become_blank_lines() {
        let t = "ALS clinic export 2023\n\nid\tdate\talsfrs_r\nA\t2020-01-01\t40\n";
        let r = p(t);
        assert_eq!(r.text, "\n\nid\tdate\talsfrs_r\nA\t2020-01-01\t40\n");
        assert_eq!(r.header_row, Some(3));
        assert_eq!(r.diagnostics[0].line, Some(3));
        assert!(r.diagnostics[0].message.contains("ALS clinic export 2023"));
    }

    #[test]
    fn two_row_headers_join_their_names() {
        let t =
            "Patient,Visit,ALSFRS-R,,FVC\nID,Date,Total,1. Speech,(L)\nP1,2020-01-01,40,4,3.1\n";
        let r = p(t);
        assert_eq!(
            r.header.as_deref(),
            Some(
                &[
                    "Patient ID",
                    "Visit Date",
                    "ALSFRS-R Total",
                    "ALSFRS-R 1. Speech",
                    "FVC (L)"
                ]
                .map(String::from)[..]
            )
        );
        assert_eq!(
            r.text,
            "Patient,Visit,ALSFRS-R,,FVC\n\nP1,2020-01-01,40,4,3.1\n"
        );
        assert_eq!(r.header_rows, 2);
        // A units row under the names.
        let r = p("id,date,FVC\n,,(% pred.)\nP1,2020-01-01,80\n");
        assert_eq!(
            r.header.as_deref(),
            Some(&["id", "date", "FVC (% pred.)"].map(String::from)[..])
        );
        // A first data row is not a header row.
        assert!(p("id,date,alsfrs_r\nP1,2020-01-01,40\n").header.is_none());
        assert!(p("id,group,alsfrs_r\nP1,placebo,NA\n").header.is_none());
    }

    #[test]
    fn trailing_notes_are_cut_and_reported() {
        let t =
            "id,date,alsfrs_r\nA,2020-01-01,40\n\nNotes: scored by the nurse\nSource: clinic db\n";
        let r = p(t);
        assert_eq!(r.text, "id,date,alsfrs_r\nA,2020-01-01,40\n\n");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, Some(4));
        // A last data row with one cell filled is data, not a note.
        let t = "id,date,alsfrs_r\nA,2020-01-01,40\nB\n";
        assert_eq!(p(t).text, t);
    }

    #[test]
    fn the_header_row_setting_wins() {
        let t = "id,x\nsubject,date,alsfrs_r\nA,2020-01-01,40\n";
        let r = prepare(t, &Settings::default(), Some(2));
        assert_eq!(r.header_row, Some(2));
        assert_eq!(r.text, "\nsubject,date,alsfrs_r\nA,2020-01-01,40\n");
    }
}
