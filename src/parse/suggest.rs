//! When a table's patient, time or score column is not recognised by name: the columns that
//! likely hold them, judged by their values, with the exact `--column` mapping to give (the
//! page's column list offers the same roles).

use super::cells::parse_number;
use super::columns::Role;
use super::dates;
use super::tokenizer::Table;

/// Rows looked at.
const SAMPLE: usize = 200;

/// What a column's first values look like.
#[derive(Default)]
struct Look {
    filled: usize,
    dates: usize,
    numbers: usize,
    max: f64,
    min: f64,
    distinct: usize,
}

fn look(table: &Table, col: usize) -> Look {
    let mut l = Look {
        max: f64::NEG_INFINITY,
        min: f64::INFINITY,
        ..Default::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    for r in table.records().take(SAMPLE) {
        let s = r.get(col);
        if s.is_empty() {
            continue;
        }
        l.filled += 1;
        if let Some(v) = parse_number(s, table.delimiter) {
            l.numbers += 1;
            l.max = l.max.max(v);
            l.min = l.min.min(v);
        } else if dates::parse_raw(s).is_some() {
            l.dates += 1;
        }
        if seen.len() < 64 && !seen.contains(&s) {
            seen.push(s);
        }
    }
    l.distinct = seen.len();
    l
}

/// " Likely: …" naming the columns for what is missing, or "" when none looks right.
pub(super) fn suggestions(
    table: &Table,
    roles: &[Role],
    patient: bool,
    time: bool,
    score: bool,
) -> String {
    let free: Vec<usize> = (0..roles.len())
        .filter(|&c| roles[c] == Role::Ignore && !table.header[c].is_empty())
        .collect();
    let looks: Vec<(usize, Look)> = free.iter().map(|&c| (c, look(table, c))).collect();
    let mut taken: Vec<usize> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let map = |c: usize, role: &str| format!("--column \"{}\"={role}", table.header[c]);
    if time {
        if let Some((c, _)) = looks
            .iter()
            .find(|(_, l)| l.filled > 0 && l.dates * 2 > l.filled)
        {
            out.push(format!(
                "\"{}\" holds dates: {}",
                table.header[*c],
                map(*c, "date")
            ));
            taken.push(*c);
        } else if let Some((c, _)) = looks.iter().find(|(c, l)| {
            let h = table.header[*c].to_ascii_lowercase();
            l.filled > 0
                && l.numbers == l.filled
                && l.distinct >= 2
                && ["time", "visit", "delta", "day", "dy", "month", "week", "t"]
                    .iter()
                    .any(|w| h.contains(w))
        }) {
            out.push(format!(
                "\"{}\" holds times: {} (or =month, =week, by its unit)",
                table.header[*c],
                map(*c, "day")
            ));
            taken.push(*c);
        }
    }
    if score {
        if let Some((c, l)) = looks.iter().find(|(c, l)| {
            !taken.contains(c)
                && l.filled > 0
                && l.numbers * 10 >= l.filled * 9
                && l.min >= 0.0
                && l.max <= 200.0
                && l.distinct >= 2
        }) {
            let role = if l.max <= 40.0 {
                "alsfrs_r (or =alsfrs for the original 0–40 scale)"
            } else if l.max <= 48.0 {
                "alsfrs_r"
            } else {
                "fvc (or =aals: the scale it holds)"
            };
            out.push(format!(
                "\"{}\" holds scores: {}",
                table.header[*c],
                map(*c, role)
            ));
            taken.push(*c);
        }
    }
    if patient {
        if let Some((c, _)) = looks
            .iter()
            .find(|(c, l)| !taken.contains(c) && l.filled > 0 && l.numbers < l.filled)
            .or_else(|| looks.first())
        {
            out.push(format!(
                "\"{}\" may be the patient id: {}",
                table.header[*c],
                map(*c, "patient")
            ));
        }
    }
    if out.is_empty() {
        return " Give the columns' roles with --column HEADER=ROLE (roles: patient, date, month, week, day, alsfrs_r, alsfrs, fvc, aals, q1…q12), or pick them in the page's list of columns.".into();
    }
    format!(
        " Likely: {}. On the page, pick these roles in the list of columns.",
        out.join("; ")
    )
}
