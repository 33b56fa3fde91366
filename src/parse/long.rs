//! Long layout: one row per visit (or per event).

use super::builder::Builder;
use super::cells::{is_missing_marker, missing_id, parse_number, score_cell};
use super::columns::Role;
use super::dates::{self, format_name};
use super::no_columns_error;
use super::roles::column_date_order;
use super::tokenizer::{Record, Table};
use crate::data::{Dataset, Event, Measure, Scores, TimeAxis, Visit};
use crate::diag::{DiagKind, Diagnostic, InputError, Severity};
use crate::settings::{DateOrder, Settings};

/// ALSFRS-R domains: bulbar q1–3, fine motor q4–6, gross motor q7–9, respiratory q10–12.
const DOMAINS: [(Measure, [usize; 3]); 4] = [
    (Measure::AlsfrsRBulbar, [1, 2, 3]),
    (Measure::AlsfrsRFineMotor, [4, 5, 6]),
    (Measure::AlsfrsRGrossMotor, [7, 8, 9]),
    (Measure::AlsfrsRRespiratory, [10, 11, 12]),
];

enum TimeCol {
    Date(usize, DateOrder),
    Scaled(usize, f64),
}

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
    let event_col = find(&Role::Event);
    let measure_cols: Vec<(usize, Measure)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            if let Role::Measure(m) = r {
                Some((i, *m))
            } else {
                None
            }
        })
        .collect();
    let mut item_cols: [Option<usize>; 13] = [None; 13];
    for (i, r) in roles.iter().enumerate() {
        if let Role::Item(k) = r {
            item_cols[*k as usize].get_or_insert(i);
        }
    }
    let has_items = item_cols.iter().any(|c| c.is_some());
    let md = settings.month_len();
    let time = if let Some(c) = find(&Role::Date) {
        Some(TimeCol::Date(
            c,
            column_date_order(table, c, settings, diags),
        ))
    } else if let Some(c) = find(&Role::Months) {
        Some(TimeCol::Scaled(c, md))
    } else if let Some(c) = find(&Role::Weeks) {
        Some(TimeCol::Scaled(c, 7.0))
    } else {
        find(&Role::Days).map(|c| TimeCol::Scaled(c, 1.0))
    };

    let mut missing = Vec::new();
    if patient_col.is_none() {
        missing.push("a patient id column");
    }
    if time.is_none() {
        missing.push("a time column");
    }
    if measure_cols.is_empty() && !has_items {
        missing.push("a score column");
    }
    if !missing.is_empty() {
        return Err(no_columns_error(&format!(
            "Could not find {} in the header ({}).",
            missing.join(", "),
            table
                .header
                .iter()
                .map(|h| format!("\"{h}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let patient_col = patient_col.unwrap_or(0);
    let time = time.expect("checked above");
    let onset_order = onset_col.map(|c| column_date_order(table, c, settings, diags));
    let d = table.delimiter;
    let header = &table.header;

    // Phase 1, on the other cores: each row's cells read and checked, with the row's own
    // diagnostics, a block of rows at a time. Phase 2, on this thread as the blocks come in, in
    // row order: patients, groups, onsets, events and visits gathered, and the diagnostics
    // emitted in exactly the order a single pass gives.
    let ctx = RowCtx {
        table,
        header,
        patient_col,
        group_col,
        onset_col: onset_col.zip(onset_order),
        event_col,
        measure_cols: &measure_cols,
        item_cols: has_items.then_some(&item_cols),
        time: &time,
        d,
    };
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
        read_rows(&ctx, table.block_records(k, rg), buf)
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
    let mut g = Gather {
        b: Builder::default(),
        date_sample: None,
        group_col,
        onset_col,
        header,
    };
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
    let (b, date_sample) = (g.b, g.date_sample);
    let axis = if matches!(time, TimeCol::Date(..)) {
        TimeAxis::Dates
    } else {
        TimeAxis::Relative
    };
    let fmt = date_sample.map(|(s, o)| format_name(&s, o).to_string());
    Ok((b.finish(axis, diags), fmt))
}

/// Phase 2 of reading the long layout: rows read into patients, in row order.
struct Gather<'h> {
    b: Builder,
    date_sample: Option<(String, DateOrder)>,
    group_col: Option<usize>,
    onset_col: Option<usize>,
    header: &'h [String],
}

impl Gather<'_> {
    /// The next chunk of rows, with its diagnostics (into `diags`, in row order); gives back its
    /// list of rows, emptied, for reuse.
    fn take<'a>(&mut self, chunk: Chunk<'a>, diags: &mut Vec<Diagnostic>) -> Vec<RowOut<'a>> {
        let (b, header) = (&mut self.b, self.header);
        if self.date_sample.is_none() {
            self.date_sample = chunk.date_sample;
        }
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
                if row.has_scores {
                    p.visits.push(Visit {
                        day,
                        line,
                        scores: row.scores,
                    });
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
    table: &'c Table<'c>,
    header: &'c [String],
    patient_col: usize,
    group_col: Option<usize>,
    onset_col: Option<(usize, DateOrder)>,
    event_col: Option<usize>,
    measure_cols: &'c [(usize, Measure)],
    item_cols: Option<&'c [Option<usize>; 13]>,
    time: &'c TimeCol,
    d: u8,
}

/// One row, read: None id when the row has none (it is skipped); `day` None when the row adds
/// no visit or event. `pre_diags` of the chunk's diagnostics come before the row's group and
/// onset are recorded, `post_diags` after.
struct RowOut<'a> {
    line: usize,
    id: Option<&'a str>,
    group: &'a str,
    onset: Option<f64>,
    scores: Scores,
    has_scores: bool,
    event: Option<&'a str>,
    day: Option<f64>,
    pre_diags: u32,
    post_diags: u32,
}

#[derive(Default)]
struct Chunk<'a> {
    rows: Vec<RowOut<'a>>,
    diags: Vec<Diagnostic>,
    date_sample: Option<(String, DateOrder)>,
    /// The last onset cell read and its value.
    last_onset: Option<(&'a str, Option<f64>)>,
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
    let line = r.line;
    let diags = &mut out.diags;
    let n0 = diags.len();
    let id = r.get(ctx.patient_col);
    let mut row = RowOut {
        line,
        id: None,
        group: "",
        onset: None,
        scores: Scores::NONE,
        has_scores: false,
        event: None,
        day: None,
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
    if let Some((c, order)) = ctx.onset_col {
        let s = r.get(c);
        if !s.is_empty() {
            // With relative time (months/weeks/days) onset is an offset in the same unit;
            // with dates it is a date.
            // A patient's rows usually repeat its onset: the last cell read is reused.
            let v = match out.last_onset {
                Some((last, v)) if last == s => v,
                _ => {
                    let v = match *ctx.time {
                        TimeCol::Scaled(_, scale) => relative_day(s, d, scale),
                        TimeCol::Date(..) => {
                            dates::parse_raw(s).and_then(|raw| dates::resolve(raw, order))
                        }
                    };
                    out.last_onset = Some((s, v));
                    v
                }
            };
            let what = match ctx.time {
                TimeCol::Scaled(..) => "a time offset in the unit of the time column (visit times are relative, not dates)",
                TimeCol::Date(..) => "a date",
            };
            match v {
                Some(day) => row.onset = Some(day),
                None => diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagKind::BadDate,
                        format!("onset \"{s}\" is not {what}; ignored"),
                    )
                    .at(line)
                    .col(&header[c])
                    .patient(id),
                ),
            }
        }
    }
    row.day = read_time(
        ctx,
        r,
        id,
        &mut row.scores,
        &mut row.event,
        &mut out.date_sample,
        diags,
    );
    row.has_scores = !row.scores.is_empty();
    row.post_diags = (diags.len() - n1) as u32;
    out.rows.push(row);
}

/// Scores, event and time of a row with an id: the day, or None when the row adds nothing
/// (no scores and no event, or a bad or missing time, which is reported).
fn read_time<'a>(
    ctx: &RowCtx<'_>,
    r: &Record<'a>,
    id: &str,
    scores: &mut Scores,
    event_out: &mut Option<&'a str>,
    date_sample: &mut Option<(String, DateOrder)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let (header, d, line) = (ctx.header, ctx.d, r.line);
    for &(c, m) in ctx.measure_cols {
        // Two columns of one measure: the last one's cell counts, as written.
        match score_cell(r.get(c), m, d, line, &header[c], id, diags) {
            Some(v) => scores.set(m.index(), v),
            None => scores.clear(m.index()),
        }
    }
    if let Some(item_cols) = ctx.item_cols {
        items_to_scores(r, item_cols, header, id, d, scores, diags);
    }
    let event = ctx.event_col.map(|c| r.get(c)).filter(|s| !s.is_empty());
    *event_out = event;
    let has_scores = !scores.is_empty();
    if !has_scores && event.is_none() {
        return None;
    }
    let tcol = match *ctx.time {
        TimeCol::Date(c, _) | TimeCol::Scaled(c, _) => c,
    };
    let ts = r.get(tcol);
    let day = match *ctx.time {
        TimeCol::Date(c, order) => {
            let v = dates::parse_raw(ts).and_then(|raw| dates::resolve(raw, order));
            if v.is_some() && date_sample.is_none() && !ts.is_empty() {
                *date_sample = Some((ts.to_string(), order));
            }
            if v.is_none() && !ts.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagKind::BadDate,
                        format!(
                            "\"{ts}\" is not a date{}; row skipped",
                            order_hint(ts, order)
                        ),
                    )
                    .at(line)
                    .col(&header[c])
                    .patient(id),
                );
                return None;
            }
            v
        }
        TimeCol::Scaled(c, scale) => {
            let v = relative_day(ts, d, scale);
            if v.is_none() && !ts.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagKind::BadNumber,
                        format!("time \"{ts}\" is not a number within ±10,000 years; row skipped"),
                    )
                    .at(line)
                    .col(&header[c])
                    .patient(id),
                );
                return None;
            }
            v
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

/// Items q1…q12 (0–4 each) → ALSFRS-R total (when all 12 are present) and domain subscores
/// (when a domain's three items are present). An explicit total column wins over the items' sum.
fn items_to_scores(
    r: &Record<'_>,
    item_cols: &[Option<usize>; 13],
    header: &[String],
    id: &str,
    d: u8,
    scores: &mut Scores,
    diags: &mut Vec<Diagnostic>,
) {
    let mut items: [Option<f64>; 13] = [None; 13];
    let mut any = false;
    for k in 1..=12 {
        let Some(c) = item_cols[k] else { continue };
        let s = r.get(c);
        if s.is_empty() || is_missing_marker(s) {
            continue;
        }
        match parse_number(s, d) {
            None => diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagKind::BadNumber,
                    format!("item q{k} \"{s}\" is not a number; cell skipped"),
                )
                .at(r.line)
                .col(&header[c])
                .patient(id),
            ),
            Some(v) if !(0.0..=4.0).contains(&v) => diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagKind::OutOfRange,
                    format!("item q{k} = {v} is outside 0–4; cell skipped"),
                )
                .at(r.line)
                .col(&header[c])
                .patient(id),
            ),
            Some(v) => {
                items[k] = Some(v);
                any = true;
            }
        }
    }
    if !any {
        return;
    }
    let n = items.iter().filter(|i| i.is_some()).count();
    if n == 12 && scores.get(Measure::AlsfrsR.index()).is_none() {
        scores.set(Measure::AlsfrsR.index(), items.iter().flatten().sum());
    }
    for (m, ks) in DOMAINS {
        if ks.iter().all(|&k| items[k].is_some()) && scores.get(m.index()).is_none() {
            scores.set(m.index(), ks.iter().map(|&k| items[k].unwrap_or(0.0)).sum());
        }
    }
    if n < 12 {
        diags.push(
            Diagnostic::new(
                Severity::Warning,
                DiagKind::ItemsIncomplete,
                format!("{n} of 12 ALSFRS-R items present; no item total for this visit (complete domains still scored)"),
            )
            .at(r.line)
            .patient(id),
        );
    }
}

/// Longest relative time accepted, in days (±10,000 years, like the date range): beyond it,
/// times in months would overflow to infinity.
const MAX_RELATIVE_DAYS: f64 = 3_652_500.0;

/// A relative time cell in days (`scale` days per unit), or None when it is not a number or
/// lies outside ±[`MAX_RELATIVE_DAYS`].
fn relative_day(s: &str, delimiter: u8, scale: f64) -> Option<f64> {
    parse_number(s, delimiter)
        .map(|x| x * scale)
        .filter(|d| d.abs() <= MAX_RELATIVE_DAYS)
}
