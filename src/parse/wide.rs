//! Wide layout: one row per patient, one column per scheduled visit named by its month offset.
//! Event columns hold a month offset or (with a baseline `date` column) a date; `onset` and the
//! patient facts (death, …) likewise.

use super::builder::{Builder, FactValue};
use super::cells::{missing_id, parse_number, score_cell, Codes};
use super::columns::Role;
use super::dates;
use super::facts::{endpoint_of, read_fact, what, FactCol};
use super::roles::table_date_order;
use super::when::When;
use super::TableRead;
use crate::data::{Event, Measure, Visit};
use crate::diag::{DiagKind, Diagnostic, Severity};

pub(super) fn read(
    t: &TableRead<'_, '_>,
    b: &mut Builder,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let (table, roles, settings) = (t.table, t.roles, t.settings);
    let find = |want: &Role| roles.iter().position(|r| r == want);
    let patient_col = find(&Role::Patient).unwrap_or(0);
    let group_col = find(&Role::Group);
    let onset_col = find(&Role::Onset);
    let baseline_col = find(&Role::Date);
    let default_measure = settings
        .measures
        .first()
        .copied()
        .unwrap_or(Measure::AlsfrsR);
    let visit_cols: Vec<(usize, Measure, f64)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Role::Visit { measure, month } => Some((i, measure.unwrap_or(default_measure), *month)),
            _ => None,
        })
        .collect();
    let event_cols: Vec<(usize, &str)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Role::EventTime(l) => Some((i, l.as_str())),
            _ => None,
        })
        .collect();
    let fact_cols: Vec<usize> = (0..roles.len())
        .filter(|&i| matches!(roles[i], Role::Clinical(_)))
        .collect();
    let md = settings.month_len();
    // One date order for the table, from every column that may hold dates.
    let date_cols: Vec<usize> = (0..roles.len())
        .filter(|&i| match &roles[i] {
            Role::Date | Role::Onset | Role::EventTime(_) => true,
            Role::Clinical(f) => f.is_day(),
            _ => false,
        })
        .collect();
    let order = table_date_order(table, &date_cols, settings, diags);
    let range = dates::plausible_range();
    let d = table.delimiter;
    let header = &table.header;
    let mut codes = Codes::default();

    for r in table.records() {
        let line = r.line + t.offset;
        let id = r.get(patient_col);
        if id.is_empty() {
            diags.push(missing_id(line, &header[patient_col]));
            continue;
        }
        if b.index.contains_key(id) {
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::DuplicateVisit,
                    format!("patient {id} has more than one row; the rows are combined"),
                )
                .at(line)
                .patient(id),
            );
        }
        let pi = b.index_of(id, line);
        if let Some(c) = group_col {
            b.set_group(pi, line, r.get(c), &header[c], diags);
        }
        // Baseline date (month 0) lets onset and events be given as dates.
        let baseline = baseline_col
            .and_then(|c| dates::parse_raw(r.get(c)).and_then(|raw| dates::resolve(raw, order)));
        // A month offset or a date (relative to the baseline) → days on the relative axis.
        let time_value = |s: &str| -> Result<f64, String> {
            if let Some(v) = parse_number(s, d) {
                if v.abs() <= 1200.0 {
                    return Ok(v * md);
                }
            }
            match dates::parse_raw(s).and_then(|raw| dates::resolve(raw, order)) {
                Some(day) if !dates::plausible(day, range) => {
                    let e = super::when::TimeError::Implausible(
                        crate::data::date::iso_from_days(day).unwrap_or_default(),
                    );
                    Err(format!("\"{s}\" {}", When::Date(order, range).explain(&e)))
                }
                Some(day) => match baseline {
                    Some(b0) => Ok(day - b0),
                    None => Err(format!("\"{s}\" is a date, but the row has no baseline date column (date) to place it; give a month offset instead")),
                },
                None => Err(format!("\"{s}\" is neither a month offset nor a date")),
            }
        };
        if let Some(c) = onset_col {
            let s = r.get(c);
            if !s.is_empty() {
                match time_value(s) {
                    Ok(day) => b.set_onset(pi, line, day, &header[c], diags),
                    Err(m) => diags.push(
                        Diagnostic::new(
                            Severity::Error,
                            DiagKind::BadDate,
                            format!("onset {m}; ignored"),
                        )
                        .at(line)
                        .col(&header[c])
                        .patient(id),
                    ),
                }
            }
        }
        for &(c, label) in &event_cols {
            let s = r.get(c);
            if s.is_empty() {
                continue;
            }
            match time_value(s) {
                Ok(day) => match endpoint_of(label) {
                    Some(f) => b.set_fact(pi, line, f, FactValue::Day(day), &header[c], diags),
                    None => b.patients[pi].events.push(Event {
                        day,
                        label: label.into(),
                        line,
                    }),
                },
                Err(m) => diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagKind::BadDate,
                        format!("event {m}; ignored"),
                    )
                    .at(line)
                    .col(&header[c])
                    .patient(id),
                ),
            }
        }
        for &c in &fact_cols {
            let Role::Clinical(fact) = roles[c] else {
                continue;
            };
            let s = r.get(c);
            if fact.is_day() && !s.is_empty() {
                // Days of facts are placed like events: a month offset or a date.
                match time_value(s) {
                    Ok(day) => b.set_fact(pi, line, fact, FactValue::Day(day), &header[c], diags),
                    Err(m) => diags.push(
                        Diagnostic::new(
                            Severity::Error,
                            DiagKind::BadDate,
                            format!("{} {m}; ignored", fact.name().replace('_', " ")),
                        )
                        .at(line)
                        .col(&header[c])
                        .patient(id),
                    ),
                }
                continue;
            }
            let fc = FactCol {
                col: c,
                fact,
                when: When::Relative(md),
            };
            if let Some(v) = read_fact(&fc, s, d, line, header, id, diags, &mut codes) {
                b.set_fact(pi, line, fact, v, &header[c], diags);
            }
        }
        for &(c, m, month) in &visit_cols {
            if let Some(v) = score_cell(r.get(c), m, d, line, &header[c], c, id, diags, &mut codes)
            {
                let mut scores = crate::data::Scores::NONE;
                scores.set(m.index(), v);
                b.patients[pi]
                    .visits
                    .push(Visit::new(month * md, line, scores));
            }
        }
    }
    codes.report(
        header,
        t.offset,
        |c| match &roles[c] {
            Role::Visit { measure, .. } => {
                let m = measure.unwrap_or(default_measure);
                let (lo, hi) = m.range();
                format!("the {} range {lo}–{hi}", m.name())
            }
            Role::Clinical(f) => what(*f).to_string(),
            _ => "the column's values".to_string(),
        },
        diags,
    );
    None
}
