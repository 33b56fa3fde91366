//! Wide layout: one row per patient, one column per scheduled visit named by its month offset.
//! Event columns hold a month offset or (with a baseline `date` column) a date; `onset` likewise.

use super::builder::Builder;
use super::cells::{missing_id, parse_number, score_cell};
use super::columns::Role;
use super::dates;
use super::no_columns_error;
use super::roles::column_date_order;
use super::tokenizer::Table;
use crate::data::{Dataset, Event, Measure, TimeAxis, Visit};
use crate::diag::{DiagKind, Diagnostic, InputError, Severity};
use crate::settings::Settings;

pub(super) fn build(
    table: &Table,
    roles: &[Role],
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Dataset, Option<String>), InputError> {
    let find = |want: &Role| roles.iter().position(|r| r == want);
    let patient_col = find(&Role::Patient);
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
    let event_cols: Vec<(usize, String)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            if let Role::EventTime(l) = r {
                Some((i, l.clone()))
            } else {
                None
            }
        })
        .collect();
    if patient_col.is_none() || visit_cols.is_empty() {
        return Err(no_columns_error("Wide layout needs a patient id column and visit columns named by month (-3, 0, M1, month 12…)."));
    }
    let patient_col = patient_col.unwrap_or(0);
    let md = settings.month_len();
    let base_order = baseline_col.map(|c| column_date_order(table, c, settings, diags));
    let onset_order = onset_col.map(|c| column_date_order(table, c, settings, diags));
    let ev_orders: Vec<_> = event_cols
        .iter()
        .map(|(c, _)| column_date_order(table, *c, settings, diags))
        .collect();
    let d = table.delimiter;
    let header = &table.header;
    let mut b = Builder::default();

    for r in table.records() {
        let line = r.line;
        let id = r.get(patient_col);
        if id.is_empty() {
            diags.push(missing_id(line, &header[patient_col]));
            continue;
        }
        if let Some(dg) = table.ragged_row(&r) {
            let skip = dg.severity == Severity::Error;
            diags.push(dg.patient(id));
            if skip {
                continue;
            }
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
        let baseline = match (baseline_col, base_order) {
            (Some(c), Some(o)) => dates::parse_raw(r.get(c)).and_then(|raw| dates::resolve(raw, o)),
            _ => None,
        };
        // A month offset or a date (relative to the baseline) → days on the relative axis.
        let time_value = |s: &str, order| -> Result<f64, String> {
            if let Some(v) = parse_number(s, d) {
                if v.abs() <= 1200.0 {
                    return Ok(v * md);
                }
            }
            match dates::parse_raw(s).and_then(|raw| dates::resolve(raw, order)) {
                Some(day) => match baseline {
                    Some(b0) => Ok(day - b0),
                    None => Err(format!("\"{s}\" is a date, but the row has no baseline date column (date) to place it; give a month offset instead")),
                },
                None => Err(format!("\"{s}\" is neither a month offset nor a date")),
            }
        };
        if let (Some(c), Some(o)) = (onset_col, onset_order) {
            let s = r.get(c);
            if !s.is_empty() {
                match time_value(s, o) {
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
        for ((c, label), order) in event_cols.iter().zip(&ev_orders) {
            let s = r.get(*c);
            if s.is_empty() {
                continue;
            }
            match time_value(s, *order) {
                Ok(day) => b.patients[pi].events.push(Event {
                    day,
                    label: label.as_str().into(),
                    line,
                }),
                Err(m) => diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagKind::BadDate,
                        format!("event {m}; ignored"),
                    )
                    .at(line)
                    .col(&header[*c])
                    .patient(id),
                ),
            }
        }
        for &(c, m, month) in &visit_cols {
            if let Some(v) = score_cell(r.get(c), m, d, line, &header[c], id, diags) {
                let mut scores = crate::data::Scores::NONE;
                scores.set(m.index(), v);
                b.patients[pi].visits.push(Visit {
                    day: month * md,
                    line,
                    scores,
                });
            }
        }
    }
    Ok((b.finish(TimeAxis::Relative, diags), None))
}
