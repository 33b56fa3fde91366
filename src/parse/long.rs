//! Long layout: one row per visit (or per event), or, in a table of patient facts without a
//! time column, per patient. Rows are read on the other cores a block at a time, and gathered
//! into patients on this thread in row order (the diagnostics come out as one pass gives them).

use super::builder::{Builder, FactValue};
use super::cells::{missing_id, score_cell, CodeKind, Codes};
use super::columns::{Fact, Role};
use super::dates::{self, format_name};
use super::facts::{endpoint_of, read_fact, what, FactCol};
use super::item_cells::{read_items, ItemCols};
use super::roles::table_date_order;
use super::tokenizer::{Record, Table};
use super::values::{visit_time, yes_no, VisitTime};
use super::when::{TimeError, When};
use super::TableRead;
use crate::data::{Event, Measure, Scores, TimeAxis, Visit};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::items::PackedItems;
use crate::settings::DateOrder;

#[derive(Debug, Clone, Copy)]
enum TimeCol {
    Date(usize, DateOrder),
    Scaled(usize, f64),
    /// Visit names that tell a time (`Month 3`).
    Names(usize),
}

impl TimeCol {
    fn col(&self) -> usize {
        match *self {
            TimeCol::Date(c, _) | TimeCol::Scaled(c, _) | TimeCol::Names(c) => c,
        }
    }
}

/// Read a long table's rows into the builder; the date format of its visit times, when dates.
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
    let event_col = find(&Role::Event);
    let gastro_col = find(&Role::Gastrostomy);
    let measure_cols: Vec<(usize, Measure)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Role::Measure(m) => Some((i, *m)),
            _ => None,
        })
        .collect();
    let fvc_trials: Vec<usize> = if measure_cols.iter().any(|&(_, m)| m == Measure::Fvc) {
        Vec::new()
    } else {
        (0..roles.len())
            .filter(|&i| matches!(roles[i], Role::FvcTrial(_)))
            .collect()
    };
    let item_cols = ItemCols::of(roles);
    let md = settings.month_len();
    let time_role = roles.iter().enumerate().find(|(_, r)| r.is_time());
    // Dates: one order for the table, from all its date columns.
    let date_cols: Vec<usize> = if t.axis == TimeAxis::Dates {
        (0..roles.len())
            .filter(|&i| match &roles[i] {
                Role::Date | Role::Onset | Role::EventTime(_) | Role::Gastrostomy => true,
                Role::Clinical(f) => f.is_day() || *f == Fact::Died,
                _ => false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let order = table_date_order(table, &date_cols, settings, diags);
    let time = time_role.map(|(c, r)| match r {
        Role::Date => TimeCol::Date(c, order),
        Role::Months => TimeCol::Scaled(c, md),
        Role::Weeks => TimeCol::Scaled(c, 7.0),
        Role::VisitName => TimeCol::Names(c),
        _ => TimeCol::Scaled(c, 1.0),
    });
    // Relative values without a unit in their name are in the unit of the time column.
    let scale = match time {
        Some(TimeCol::Scaled(_, s)) => s,
        _ => t.scale,
    };
    let header = &table.header;
    let when_of = |c: usize| When::for_column(&header[c], t.axis, order, scale, md);
    let facts: Vec<FactCol> = roles
        .iter()
        .enumerate()
        .filter_map(|(col, r)| match r {
            Role::Clinical(f) => Some(FactCol {
                col,
                fact: *f,
                when: when_of(col),
            }),
            _ => None,
        })
        .collect();
    let event_times: Vec<(usize, &str, When)> = roles
        .iter()
        .enumerate()
        .filter_map(|(c, r)| match r {
            Role::EventTime(label) => Some((c, label.as_str(), when_of(c))),
            _ => None,
        })
        .collect();
    if !fvc_trials.is_empty() {
        diags.push(
            Diagnostic::new(
                Severity::Info,
                DiagKind::ColumnRole,
                format!(
                    "FVC % predicted is the best of the trials ({}) at each visit",
                    fvc_trials
                        .iter()
                        .map(|&c| format!("\"{}\"", header[c]))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .at(table.header_line + t.offset),
        );
    }
    let ctx = RowCtx {
        header,
        offset: t.offset,
        patient_col,
        group_col,
        onset: onset_col.map(|c| (c, when_of(c))),
        event_col,
        gastro: gastro_col.map(|c| (c, when_of(c))),
        measure_cols: &measure_cols,
        fvc_trials: &fvc_trials,
        item_cols: item_cols.as_ref(),
        facts: &facts,
        event_times: &event_times,
        time: time.as_ref(),
        d: table.delimiter,
        md,
        range: dates::plausible_range(),
    };
    let mut g = Gather {
        b,
        date_sample: None,
        group_col,
        onset_col,
        header,
        codes: Codes::default(),
        endpoints: 0,
    };
    gather_rows(table, &ctx, &mut g, diags);
    let (date_sample, codes, endpoints) = (g.date_sample, g.codes, g.endpoints);
    if endpoints > 0 {
        diags.push(
            Diagnostic::new(
                Severity::Info,
                DiagKind::Endpoint,
                format!(
                    "{endpoints} event row(s) name an endpoint (death, tracheostomy, permanent ventilation): kept as the patients' endpoints, not as treatment events (they do not split periods)"
                ),
            )
            .at(table.header_line + t.offset),
        );
    }
    codes.report(
        header,
        t.offset,
        |c| match &roles[c] {
            Role::Measure(m) => {
                let (lo, hi) = m.range();
                format!("the {} range {lo}–{hi}", m.name())
            }
            Role::Clinical(f) => what(*f).to_string(),
            Role::Gastrostomy => "yes/no or a date".to_string(),
            r if r.is_item() => "the item scores 0–4".to_string(),
            _ => "the column's values".to_string(),
        },
        diags,
    );
    date_sample.map(|(s, o)| format_name(&s, o).to_string())
}

/// Rows read on the other cores a block at a time, gathered here in order.
fn gather_rows<'t>(
    table: &'t Table<'_>,
    ctx: &RowCtx<'_>,
    g: &mut Gather<'_, 't>,
    diags: &mut Vec<Diagnostic>,
) {
    // Blocks of rows as (part, range of its rows): the rows themselves are not listed.
    let blocks: Vec<(usize, std::ops::Range<usize>)> = (0..table.n_parts())
        .flat_map(|k| {
            let n = table.part_len(k);
            (0..n)
                .step_by(BLOCK_ROWS)
                .map(move |a| (k, a..(a + BLOCK_ROWS).min(n)))
        })
        .collect();
    // The blocks' row lists are handed back once gathered and reused: a new list per block, freed
    // on another thread, was not reused soon enough and raised the peak memory
    // (docs/performance.md).
    let spare: std::sync::Mutex<Vec<Vec<RowOut<'_>>>> = std::sync::Mutex::new(Vec::new());
    let read = |k: usize, rg: std::ops::Range<usize>| {
        let buf = spare
            .lock()
            .ok()
            .and_then(|mut s| s.pop())
            .unwrap_or_default();
        read_rows(ctx, table.block_records(k, rg), buf)
    };
    let give_back = |buf| {
        if let Ok(mut s) = spare.lock() {
            s.push(buf);
        }
    };
    #[cfg(test)]
    let forced = TEST_CHUNK_ROWS.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(test))]
    let forced = 0;
    if forced > 0 {
        // Tests: blocks cut into chunks of `forced` rows, all read and gathered on this thread.
        for (k, rg) in blocks {
            let mut a = rg.start;
            while a < rg.end {
                let b = a.saturating_add(forced).min(rg.end);
                give_back(g.take(read(k, a..b), diags));
                a = b;
            }
        }
    } else {
        crate::par::pipeline(
            &blocks,
            1,
            |b| read(b[0].0, b[0].1.clone()),
            |chunk| give_back(g.take(chunk, diags)),
        );
    }
}

/// Phase 2 of reading the long layout: rows read into patients, in row order.
struct Gather<'g, 'a> {
    b: &'g mut Builder,
    date_sample: Option<(String, DateOrder)>,
    group_col: Option<usize>,
    onset_col: Option<usize>,
    header: &'g [String],
    codes: Codes<'a>,
    /// Event rows taken as endpoints.
    endpoints: usize,
}

impl<'a> Gather<'_, 'a> {
    /// The next chunk of rows, with its diagnostics (into `diags`, in row order); gives back its
    /// list of rows, emptied, for reuse.
    fn take(&mut self, chunk: Chunk<'a>, diags: &mut Vec<Diagnostic>) -> Vec<RowOut<'a>> {
        let (b, header) = (&mut *self.b, self.header);
        if self.date_sample.is_none() {
            self.date_sample = chunk.date_sample;
        }
        self.codes.merge(chunk.codes);
        self.endpoints += chunk.endpoints;
        let mut cd = chunk.diags.into_iter();
        let mut last_id: Option<&str> = None;
        let mut pi = 0;
        for (k, row) in chunk.rows.iter().enumerate() {
            if row.pre_diags > 0 {
                diags.extend(cd.by_ref().take(row.pre_diags as usize));
            }
            let Some(id) = row.id else { continue };
            let line = row.line;
            if last_id != Some(id) {
                last_id = Some(id);
                pi = b.index_of(id, line);
                // The rows of a patient usually come one after another: room for this run.
                let run = chunk.rows[k..]
                    .iter()
                    .take_while(|r| r.id == Some(id))
                    .count();
                b.patients[pi].visits.reserve(run);
            }
            if let Some(c) = self.group_col {
                b.set_group(pi, line, row.group, &header[c], diags);
            }
            if let (Some(c), Some(day)) = (self.onset_col, row.onset) {
                b.set_onset(pi, line, day, &header[c], diags);
            }
            if row.post_diags > 0 {
                diags.extend(cd.by_ref().take(row.post_diags as usize));
            }
            if let Some(day) = row.day {
                let p = &mut b.patients[pi];
                if let Some(label) = row.event {
                    p.events.push(Event {
                        day,
                        label: label.into(),
                        line,
                    });
                }
                if !row.scores.is_empty() || row.items.is_some() {
                    let mut v = Visit::new(day, line, row.scores);
                    v.items = row.items;
                    p.visits.push(v);
                }
            }
            for x in &chunk.extras[row.extras.0 as usize..row.extras.1 as usize] {
                match *x {
                    Extra::Fact(fact, value, col) => {
                        b.set_fact(pi, line, fact, value, &header[col as usize], diags)
                    }
                    Extra::Event(day, col) => b.patients[pi].events.push(Event {
                        day,
                        label: header[col as usize].trim().into(),
                        line,
                    }),
                }
            }
        }
        let mut rows = chunk.rows;
        rows.clear();
        rows
    }
}

/// Rows read at a time (on another core) and handed over to be gathered into patients (small in
/// unit tests, so that their inputs span several blocks).
#[cfg(not(test))]
const BLOCK_ROWS: usize = 4096;
#[cfg(test)]
const BLOCK_ROWS: usize = 300;

/// Tests: rows per chunk, each read and gathered in turn on one thread (0: blocks read on other
/// threads, as in use).
#[cfg(test)]
pub(crate) static TEST_CHUNK_ROWS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// What the rows are read with.
struct RowCtx<'c> {
    header: &'c [String],
    /// Lines of the tables before this one.
    offset: usize,
    patient_col: usize,
    group_col: Option<usize>,
    onset: Option<(usize, When)>,
    event_col: Option<usize>,
    gastro: Option<(usize, When)>,
    measure_cols: &'c [(usize, Measure)],
    fvc_trials: &'c [usize],
    item_cols: Option<&'c ItemCols>,
    facts: &'c [FactCol],
    event_times: &'c [(usize, &'c str, When)],
    time: Option<&'c TimeCol>,
    d: u8,
    /// Days per month.
    md: f64,
    /// The plausible dates.
    range: (f64, f64),
}

/// A patient fact or an event of a row, beside its visit.
#[derive(Clone, Copy)]
enum Extra {
    Fact(Fact, FactValue, u32),
    /// An event at a day, labelled by its column's header.
    Event(f64, u32),
}

/// One row, read: None id when the row has none (it is skipped); `day` None when the row adds
/// no visit or event. `pre_diags` of the chunk's diagnostics come before the row's group and
/// onset are recorded, `post_diags` after; `extras` its facts and events in the chunk's list.
struct RowOut<'a> {
    line: usize,
    id: Option<&'a str>,
    group: &'a str,
    onset: Option<f64>,
    scores: Scores,
    items: Option<PackedItems>,
    event: Option<&'a str>,
    day: Option<f64>,
    extras: (u32, u32),
    pre_diags: u32,
    post_diags: u32,
}

#[derive(Default)]
struct Chunk<'a> {
    rows: Vec<RowOut<'a>>,
    diags: Vec<Diagnostic>,
    extras: Vec<Extra>,
    codes: Codes<'a>,
    endpoints: usize,
    date_sample: Option<(String, DateOrder)>,
    /// The last onset cell read and what it gave.
    last_onset: Option<(&'a str, Result<Option<f64>, TimeError>)>,
}

/// Reads `rows` into `buf` (emptied first).
fn read_rows<'a>(
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

fn read_row<'a>(ctx: &RowCtx<'_>, r: &Record<'a>, out: &mut Chunk<'a>) {
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
    if r.len() > header.len() && r.iter().skip(header.len()).any(|c| !c.trim().is_empty()) {
        diags.push(
            Diagnostic::new(
                Severity::Warning,
                DiagKind::RaggedRow,
                format!(
                    "row has {} cells but the header has {}; extra cells ignored",
                    r.len(),
                    header.len()
                ),
            )
            .at(line)
            .patient(id),
        );
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
    match (event, row.day) {
        (Some(label), Some(day)) => match endpoint_of(label) {
            Some(f) => {
                out.endpoints += 1;
                out.extras.push(Extra::Fact(
                    f,
                    FactValue::Day(day),
                    ctx.event_col.unwrap_or(0) as u32,
                ));
            }
            None => row.event = Some(label),
        },
        _ => {}
    }
    row.extras.1 = out.extras.len() as u32;
    row.post_diags = (diags.len() - n1) as u32;
    out.rows.push(row);
}

/// The time of a row with data: the day, or None (no time column, or a bad or missing time,
/// which is reported).
fn read_time(
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

fn order_hint(s: &str, order: DateOrder) -> &'static str {
    match dates::parse_raw(s) {
        Some(dates::RawDate::Slash { .. }) => match order {
            DateOrder::Dmy => " (read as dd/mm/yyyy)",
            DateOrder::Mdy => " (read as mm/dd/yyyy)",
        },
        _ => "",
    }
}
