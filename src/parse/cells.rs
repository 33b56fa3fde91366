//! Cells: numbers (with a decimal comma where the delimiter allows it), scores checked against
//! their measure's range, missing-value markers, and the diagnostics for bad cells and rows.

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

/// A score cell: the valid score, or None (empty or a missing marker silently; a bad number or
/// an out-of-range score with a diagnostic naming line and column).
pub(crate) fn score_cell(
    s: &str,
    m: Measure,
    delimiter: u8,
    line: usize,
    column: &str,
    id: &str,
    diags: &mut Vec<Diagnostic>,
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
    // No missing marker starts with a digit.
    if s.is_empty() || (!s.as_bytes()[0].is_ascii_digit() && is_missing_marker(s)) {
        return None;
    }
    let (kind, message) = match parse_number(s, delimiter) {
        None => (
            DiagKind::BadNumber,
            format!("\"{s}\" is not a number; cell skipped"),
        ),
        Some(v) => match check_score(m, v) {
            Ok(v) => return Some(v),
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

/// Cells that mean "no value" in spreadsheets and R exports.
pub(crate) fn is_missing_marker(s: &str) -> bool {
    ["na", "n/a", "nan", ".", "-", "missing", "nd"]
        .iter()
        .any(|m| s.eq_ignore_ascii_case(m))
}
