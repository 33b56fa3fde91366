//! The long layout's reading of one row (`read_row`): its patient, time, scores, items, events
//! and facts, with the row's diagnostics; blocks of rows read on other cores (`read_rows`). The
//! gathering of rows into patients, in row order, is `long.rs`.

use super::builder::FactValue;
use super::cells::{missing_id, score_cell, CodeKind, Codes};
use super::columns::Fact;
use super::dates::{self};
use super::facts::{endpoint_of, read_fact, FactCol};
use super::item_cells::{read_items, ItemCols};
use super::long::TimeCol;
use super::tokenizer::{Record, Table};
use super::values::{visit_time, yes_no, VisitTime};
use super::when::{TimeError, When};
use crate::data::{Measure, Scores};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::items::PackedItems;
use crate::settings::DateOrder;

/// What the rows are read with.
pub(super) struct RowCtx<'c> {
    pub(super) table: &'c Table<'c>,
    pub(super) header: &'c [String],
    /// Lines of the tables before this one.
    pub(super) offset: usize,
    pub(super) patient_col: usize,
    pub(super) group_col: Option<usize>,
    pub(super) onset: Option<(usize, When)>,
    pub(super) event_col: Option<usize>,
    pub(super) gastro: Option<(usize, When)>,
    pub(super) measure_cols: &'c [(usize, Measure)],
    pub(super) fvc_trials: &'c [usize],
    pub(super) item_cols: Option<&'c ItemCols>,
    pub(super) facts: &'c [FactCol],
    pub(super) event_times: &'c [(usize, &'c str, When)],
    pub(super) time: Option<&'c TimeCol>,
    pub(super) d: u8,
    /// Days per month.
    pub(super) md: f64,
    /// The plausible dates.
    pub(super) range: (f64, f64),
}

/// A patient fact or an event of a row, beside its visit.
#[derive(Clone, Copy)]
pub(super) enum Extra {
    Fact(Fact, FactValue, u32),
    /// An event at a day, labelled by its column's header.
    Event(f64, u32),
}

/// One row, read: None id when the row has none (it is skipped); `day` None when the row adds
/// no visit or event. `pre_diags` of the chunk's diagnostics come before the row's group and
/// onset are recorded, `post_diags` after; `extras` its facts and events in the chunk's list.
pub(super) struct RowOut<'a> {
    pub(super) line: usize,
    pub(super) id: Option<&'a str>,
    pub(super) group: &'a str,
    pub(super) onset: Option<f64>,
    pub(super) scores: Scores,
    pub(super) items: Option<PackedItems>,
    pub(super) event: Option<&'a str>,
    pub(super) day: Option<f64>,
    pub(super) extras: (u32, u32),
    pub(super) pre_diags: u32,
    pub(super) post_diags: u32,
}

#[derive(Default)]
pub(super) struct Chunk<'a> {
    pub(super) rows: Vec<RowOut<'a>>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) extras: Vec<Extra>,
    pub(super) codes: Codes<'a>,
    pub(super) endpoints: usize,
    pub(super) date_sample: Option<(String, DateOrder)>,
    /// The last event label read and the endpoint it names.
    pub(super) last_event: Option<(&'a str, Option<Fact>)>,
    /// The last onset cell read and what it gave.
    pub(super) last_onset: Option<(&'a str, Result<Option<f64>, TimeError>)>,
}

/// Reads `rows` into `buf` (emptied first).
pub(super) fn read_rows<'a>(
    ctx: &RowCtx<'_>,
    rows: impl ExactSizeIterator<Item = Record<'a>>,
    mut buf: Vec<RowOut<'a>>,
) -> Chunk<'a> {
    buf.clear();
    buf.reserve(rows.len());
    let mut out = Chunk {
        rows: buf,
        ..Default::default()
    };
    for r in rows {
        read_row(ctx, &r, &mut out);
    }
    out
}

pub(super) fn read_row<'a>(ctx: &RowCtx<'_>, r: &Record<'a>, out: &mut Chunk<'a>) {
    let header = ctx.header;
    let d = ctx.d;
    let line = r.line + ctx.offset;
    let diags = &mut out.diags;
    let n0 = diags.len();
    let id = r.get(ctx.patient_col);
    let x0 = out.extras.len() as u32;
    let mut row = RowOut {
        line,
        id: None,
        group: "",
        onset: None,
        scores: Scores::NONE,
        items: None,
        event: None,
        day: None,
        extras: (x0, x0),
        pre_diags: 0,
        post_diags: 0,
    };
    if id.is_empty() {
        diags.push(missing_id(line, &header[ctx.patient_col]));
        row.pre_diags = (diags.len() - n0) as u32;
        out.rows.push(row);
        return;
    }
    row.id = Some(id);
    if let Some(dg) = ctx.table.ragged_row(r) {
        let skip = dg.severity == Severity::Error;
        diags.push(dg.patient(id));
        if skip {
            row.id = None;
            row.pre_diags = (diags.len() - n0) as u32;
            out.rows.push(row);
            return;
        }
    }
    row.pre_diags = (diags.len() - n0) as u32;
    let n1 = diags.len();
    if let Some(c) = ctx.group_col {
        row.group = r.get(c);
    }
    if let Some((c, when)) = ctx.onset {
        let s = r.get(c);
        if !s.is_empty() {
            // A patient's rows usually repeat its onset: the last cell read is reused.
            let v = match &out.last_onset {
                Some((last, v)) if *last == s => v.clone(),
                _ => {
                    let v = when.day(s, d);
                    out.last_onset = Some((s, v.clone()));
                    v
                }
            };
            match v {
                Ok(day) => row.onset = day,
                Err(e) => {
                    let (kind, msg) = match (&e, when) {
                        (TimeError::Implausible(_), _) => (DiagKind::ImplausibleDate, when.explain(&e)),
                        (_, When::Date(..)) => (DiagKind::BadDate, "is not a date".to_string()),
                        (_, When::Relative(_)) => (
                            DiagKind::BadDate,
                            "is not a time offset in the unit of the time column (visit times are relative, not dates)".to_string(),
                        ),
                    };
                    diags.push(
                        Diagnostic::new(
                            Severity::Error,
                            kind,
                            format!("onset \"{s}\" {msg}; ignored"),
                        )
                        .at(line)
                        .col(&header[c])
                        .patient(id),
                    )
                }
            }
        }
    }
    let codes = &mut out.codes;
    for &(c, m) in ctx.measure_cols {
        if let Some(v) = score_cell(r.get(c), m, d, line, &header[c], c, id, diags, codes) {
            row.scores.set(m.index(), v);
        }
    }
    // The best of several FVC trials.
    for &c in ctx.fvc_trials {
        let m = Measure::Fvc;
        if let Some(v) = score_cell(r.get(c), m, d, line, &header[c], c, id, diags, codes) {
            if row.scores.get(m.index()).is_none_or(|b| v > b) {
                row.scores.set(m.index(), v);
            }
        }
    }
    // A gastrostomy column: yes/no for this visit, or the date of the gastrostomy.
    let mut gastrostomy = None;
    if let Some((c, when)) = ctx.gastro {
        let s = r.get(c);
        if !s.is_empty() {
            gastrostomy = yes_no(s);
            if gastrostomy.is_none() {
                let fc = FactCol {
                    col: c,
                    fact: Fact::GastrostomyDate,
                    when,
                };
                if let Some(v) = read_fact(&fc, s, d, line, header, id, diags, codes) {
                    gastrostomy = Some(true);
                    out.extras
                        .push(Extra::Fact(Fact::GastrostomyDate, v, c as u32));
                }
            }
        }
    }
    if let Some(cols) = ctx.item_cols {
        row.items = read_items(
            cols,
            r,
            header,
            id,
            line,
            d,
            gastrostomy,
            &mut row.scores,
            diags,
            codes,
        );
    }
    for fc in ctx.facts {
        if let Some(v) = read_fact(fc, r.get(fc.col), d, line, header, id, diags, codes) {
            out.extras.push(Extra::Fact(fc.fact, v, fc.col as u32));
        }
    }
    for &(c, label, when) in ctx.event_times {
        let s = r.get(c);
        match when.day(s, d) {
            Ok(Some(day)) => out.extras.push(match endpoint_of(label) {
                Some(f) => Extra::Fact(f, FactValue::Day(day), c as u32),
                None => Extra::Event(day, c as u32),
            }),
            Ok(None) => {}
            Err(_) if super::cells::is_code_word(s) && dates::parse_raw(s).is_none() => {
                codes.add(c, s, line, CodeKind::of_word(s))
            }
            Err(e) => diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagKind::BadDate,
                    format!("event \"{s}\" {}; ignored", when.explain(&e)),
                )
                .at(line)
                .col(&header[c])
                .patient(id),
            ),
        }
    }
    let event = ctx.event_col.map(|c| r.get(c)).filter(|s| !s.is_empty());
    let has_data = !row.scores.is_empty() || row.items.is_some();
    if has_data || event.is_some() {
        row.day = read_time(ctx, r, id, line, &mut out.date_sample, diags);
    }
    if let (Some(label), Some(day)) = (event, row.day) {
        // Labels repeat ("injection 1" on many rows): the last one's answer is reused.
        let endpoint = match out.last_event {
            Some((last, f)) if last == label => f,
            _ => {
                let f = endpoint_of(label);
                out.last_event = Some((label, f));
                f
            }
        };
        match endpoint {
            Some(f) => {
                out.endpoints += 1;
                let c = ctx.event_col.unwrap_or(0) as u32;
                out.extras.push(Extra::Fact(f, FactValue::Day(day), c));
            }
            None => row.event = Some(label),
        }
    }
    row.extras.1 = out.extras.len() as u32;
    row.post_diags = (diags.len() - n1) as u32;
    out.rows.push(row);
}

/// The time of a row with data: the day, or None (no time column, or a bad or missing time,
/// which is reported).
pub(super) fn read_time(
    ctx: &RowCtx<'_>,
    r: &Record<'_>,
    id: &str,
    line: usize,
    date_sample: &mut Option<(String, DateOrder)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let (header, d) = (ctx.header, ctx.d);
    let time = ctx.time?;
    let tcol = time.col();
    let ts = r.get(tcol);
    let bad = |kind, msg: String, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::new(Severity::Error, kind, msg)
                .at(line)
                .col(&header[tcol])
                .patient(id),
        );
        None
    };
    let day = match *time {
        TimeCol::Date(_, order) => {
            let v = dates::parse_raw(ts).and_then(|raw| dates::resolve(raw, order));
            if let Some(v) = v {
                let range = ctx.range;
                if !dates::plausible(v, range) {
                    let w = When::Date(order, range);
                    let e = TimeError::Implausible(
                        crate::data::date::iso_from_days(v).unwrap_or_default(),
                    );
                    return bad(
                        DiagKind::ImplausibleDate,
                        format!("\"{ts}\" {}; row skipped", w.explain(&e)),
                        diags,
                    );
                }
                if date_sample.is_none() {
                    *date_sample = Some((ts.to_string(), order));
                }
            }
            if v.is_none() && !ts.is_empty() {
                return bad(
                    DiagKind::BadDate,
                    format!(
                        "\"{ts}\" is not a date{}; row skipped",
                        order_hint(ts, order)
                    ),
                    diags,
                );
            }
            v
        }
        TimeCol::Scaled(_, scale) => match When::Relative(scale).day(ts, d) {
            Ok(v) => v,
            Err(_) => {
                return bad(
                    DiagKind::BadNumber,
                    format!("time \"{ts}\" is not a number within ±10,000 years; row skipped"),
                    diags,
                )
            }
        },
        TimeCol::Names(_) => {
            if ts.is_empty() {
                None
            } else {
                match visit_time(ts) {
                    Some(VisitTime::Baseline) => Some(0.0),
                    Some(VisitTime::Months(m)) => Some(m * ctx.md),
                    Some(VisitTime::Weeks(w)) => Some(w * 7.0),
                    Some(VisitTime::Days(x)) => Some(x),
                    None => {
                        return bad(
                            DiagKind::BadDate,
                            format!("visit \"{ts}\" tells no time (Baseline, Month 3, Week 12, Day 30 do); row skipped"),
                            diags,
                        )
                    }
                }
            }
        }
    };
    if day.is_none() {
        diags.push(
            Diagnostic::new(
                Severity::Error,
                DiagKind::MissingTime,
                "row has scores but no date or time; skipped",
            )
            .at(line)
            .col(&header[tcol])
            .patient(id),
        );
    }
    day
}

pub(super) fn order_hint(s: &str, order: DateOrder) -> &'static str {
    match dates::parse_raw(s) {
        Some(dates::RawDate::Slash { .. }) => match order {
            DateOrder::Dmy => " (read as dd/mm/yyyy)",
            DateOrder::Mdy => " (read as mm/dd/yyyy)",
        },
        _ => "",
    }
}
