//! Cells: numbers (with a decimal comma where the delimiter allows it), scores checked against
//! their measure's range, missing-value codes (listed once per column: [`Codes`]), and the
//! diagnostics for bad cells and rows.

use super::tokenizer::trim;
use crate::data::Measure;
use crate::diag::{DiagKind, Diagnostic, Severity};

/// Parse a number; a decimal comma is accepted when the delimiter is not a comma.
pub(crate) fn parse_number(s: &str, delimiter: u8) -> Option<f64> {
    let s = trim(s);
    if let Some(v) = simple_decimal(s) {
        return Some(v);
    }
    let v = match s.parse::<f64>() {
        Ok(v) => v,
        Err(_) if delimiter != b',' && s.matches(',').count() == 1 && !s.contains('.') => {
            s.replace(',', ".").parse::<f64>().ok()?
        }
        Err(_) => return None,
    };
    v.is_finite().then_some(v)
}

/// The commonest number cells (`34`, `-3`, `98.5`): an optional minus, at most 15 digits with
/// at most one `.` between them, converted exactly as `str::parse` does. The digits make an
/// integer m < 2^53 and the point a power 10^k with k ≤ 15, both exact in f64, so m / 10^k is
/// one correctly rounded division: the correctly rounded value of the decimal (Clinger's fast
/// path). None for anything else (the caller uses `str::parse`).
pub(super) fn simple_decimal(s: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (neg, digits) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        b => (false, b),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let (mut m, mut n, mut frac, mut point) = (0u64, 0usize, 0usize, false);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                n += 1;
                frac += usize::from(point);
            }
            // a point between digits only ("5." and ".5" go to str::parse)
            b'.' if !point && i > 0 && i + 1 < digits.len() => point = true,
            _ => return None,
        }
    }
    if n > 15 {
        return None;
    }
    let v = m as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// Validate a score against its measure's range.
pub(crate) fn check_score(m: Measure, v: f64) -> Result<f64, String> {
    let (lo, hi) = m.range();
    if v < lo || v > hi {
        Err(format!("{v} is outside the {} range {lo}–{hi}", m.name()))
    } else {
        Ok(v)
    }
}

/// A score cell: the valid score, or None: empty silently; a missing-value code (`NR`, `NA`, a
/// word, or a sentinel such as 999 or -99 outside the scale) counted in `codes`, to be listed
/// once per column; a bad number or an out-of-range score with a diagnostic naming line and
/// column.
#[allow(clippy::too_many_arguments)]
pub(crate) fn score_cell<'a>(
    s: &'a str,
    m: Measure,
    delimiter: u8,
    line: usize,
    column: &str,
    col: usize,
    id: &str,
    diags: &mut Vec<Diagnostic>,
    codes: &mut Codes<'a>,
) -> Option<f64> {
    // The commonest cell, a whole number of 1–3 digits within the scale: its value at once
    // (exact, as `parse_number` gives it); anything else takes the general path below.
    if let [a @ b'0'..=b'9', rest @ ..] = s.as_bytes() {
        if rest.len() <= 2 && rest.iter().all(u8::is_ascii_digit) {
            let v = rest
                .iter()
                .fold(u32::from(a - b'0'), |v, &c| v * 10 + u32::from(c - b'0'));
            let (lo, hi) = m.range();
            let v = f64::from(v);
            if v >= lo && v <= hi {
                return Some(v);
            }
        }
    }
    if s.is_empty() {
        return None;
    }
    let (kind, message) = match parse_number(s, delimiter) {
        None if is_code_word(s) => {
            codes.add(col, s, line, CodeKind::of_word(s));
            return None;
        }
        None => (
            DiagKind::BadNumber,
            format!("\"{s}\" is not a number; cell skipped"),
        ),
        Some(v) => match check_score(m, v) {
            Ok(v) => return Some(v),
            Err(_) if is_sentinel(v) => {
                codes.add(col, s, line, CodeKind::Sentinel);
                return None;
            }
            Err(msg) => (DiagKind::OutOfRange, format!("{msg}; cell skipped")),
        },
    };
    diags.push(
        Diagnostic::new(Severity::Error, kind, message)
            .at(line)
            .col(column)
            .patient(id),
    );
    None
}

/// A cell without a digit: a word such as `NR` or `refused`, or a marker such as `.`.
pub(crate) fn is_code_word(s: &str) -> bool {
    !s.bytes().any(|c| c.is_ascii_digit())
}

/// Numbers that stand for "missing" when outside a scale: 9, 99, 999… (and negative), 88,
/// 888… (and negative), -1.
pub(crate) fn is_sentinel(v: f64) -> bool {
    if v.fract() != 0.0 || v.abs() >= 1e9 {
        return false;
    }
    let a = v.abs() as u64;
    let digits = a.to_string();
    v == -1.0
        || digits.bytes().all(|c| c == b'9')
        || (digits.len() >= 2 && digits.bytes().all(|c| c == b'8'))
}

/// What a code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeKind {
    /// A common "no value" marker (`NA`, `.`, `ND`, `NR`, …).
    Marker,
    /// Another word: not a number.
    Word,
    /// A number outside the scale that stands for "missing" (999, -99).
    Sentinel,
    /// A word that is not one of a column's categories (a site of onset, yes/no).
    NotCategory,
}

impl CodeKind {
    pub(crate) fn of_word(s: &str) -> CodeKind {
        if is_missing_marker(s) {
            CodeKind::Marker
        } else {
            CodeKind::Word
        }
    }
}

/// One code in one column: how often, and its first lines.
pub(crate) struct CodeHits<'a> {
    pub col: usize,
    pub code: &'a str,
    pub kind: CodeKind,
    pub count: usize,
    pub lines: [usize; 3],
}

/// The missing-value codes met in a table's cells, to be listed once per column and code
/// (not once per cell).
#[derive(Default)]
pub(crate) struct Codes<'a> {
    hits: Vec<CodeHits<'a>>,
}

impl<'a> Codes<'a> {
    pub(crate) fn add(&mut self, col: usize, code: &'a str, line: usize, kind: CodeKind) {
        if let Some(h) = self
            .hits
            .iter_mut()
            .find(|h| h.col == col && h.code == code)
        {
            if h.count < 3 {
                h.lines[h.count] = line;
            }
            h.count += 1;
            return;
        }
        self.hits.push(CodeHits {
            col,
            code,
            kind,
            count: 1,
            lines: [line, 0, 0],
        });
    }

    /// Cells counted.
    #[cfg(test)]
    pub(crate) fn cells(&self) -> usize {
        self.hits.iter().map(|h| h.count).sum()
    }

    /// Another part's codes (of later rows) added.
    pub(crate) fn merge(&mut self, other: Codes<'a>) {
        for h in other.hits {
            match self
                .hits
                .iter_mut()
                .find(|x| x.col == h.col && x.code == h.code)
            {
                Some(x) => {
                    for k in 0..h.count.min(3) {
                        if x.count + k < 3 {
                            x.lines[x.count + k] = h.lines[k];
                        }
                    }
                    x.count += h.count;
                }
                None => self.hits.push(h),
            }
        }
    }

    /// One diagnostic per column and code; `what(col)` describes the column's values for a
    /// sentinel ("the alsfrs_r range 0–48") or a category ("a site of onset").
    /// `offset`: the lines of the tables before this one (the messages name the table's own
    /// lines; the diagnostics' lines are counted over all tables, like every diagnostic's).
    pub(crate) fn report(
        self,
        header: &[String],
        offset: usize,
        what: impl Fn(usize) -> String,
        diags: &mut Vec<Diagnostic>,
    ) {
        for h in self.hits {
            let lines: Vec<String> = h.lines[..h.count.min(3)]
                .iter()
                .map(|l| (l - offset.min(*l)).to_string())
                .collect();
            let lines = format!(
                "{} {}{}",
                if h.count == 1 { "line" } else { "lines" },
                lines.join(", "),
                if h.count > 3 { ", …" } else { "" }
            );
            let cells = if h.count == 1 {
                "1 cell".to_string()
            } else {
                format!("{} cells", h.count)
            };
            let col = header.get(h.col).map(String::as_str).unwrap_or("");
            let (sev, msg) = match h.kind {
                CodeKind::Marker => (
                    Severity::Info,
                    format!("column \"{col}\": \"{}\" in {cells} ({lines}) read as missing", h.code),
                ),
                CodeKind::Word => (
                    Severity::Warning,
                    format!("column \"{col}\": \"{}\" in {cells} ({lines}) is not a number; read as missing", h.code),
                ),
                CodeKind::Sentinel => (
                    Severity::Warning,
                    format!(
                        "column \"{col}\": {} in {cells} ({lines}) is outside {}; read as a missing-value code",
                        h.code,
                        what(h.col)
                    ),
                ),
                CodeKind::NotCategory => (
                    Severity::Warning,
                    format!("column \"{col}\": \"{}\" in {cells} ({lines}) is not {}; ignored", h.code, what(h.col)),
                ),
            };
            diags.push(
                Diagnostic::new(sev, DiagKind::MissingCode, msg)
                    .at(h.lines[0])
                    .col(col),
            );
        }
    }
}

/// A row without a patient id (it is skipped).
pub(crate) fn missing_id(line: usize, column: &str) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        DiagKind::MissingId,
        "row has no patient id; skipped",
    )
    .at(line)
    .col(column)
}

/// Cells that mean "no value" in spreadsheets, R and SAS exports and clinic databases.
pub(crate) fn is_missing_marker(s: &str) -> bool {
    [
        "na",
        "n/a",
        "nan",
        ".",
        "-",
        "--",
        "missing",
        "nd",
        "nr",
        "nk",
        "unk",
        "unknown",
        "not done",
        "not recorded",
        "not known",
        "not available",
        "n.d.",
        "n.r.",
        "null",
        "none",
        "?",
    ]
    .iter()
    .any(|m| s.eq_ignore_ascii_case(m))
}
