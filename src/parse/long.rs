//! Long layout: one row per visit (or per event), or, in a table of patient facts without a
//! time column, per patient. Rows are read on the other cores a block at a time, and gathered
//! into patients on this thread in row order (the diagnostics come out as one pass gives them).

use super::builder::Builder;
use super::cells::Codes;
use super::columns::{Fact, Role};
use super::dates::{self, format_name};
use super::facts::{what, FactCol};
use super::item_cells::ItemCols;
use super::long_row::{read_rows, Chunk, Extra, RowCtx, RowOut};
use super::roles::table_date_order;
use super::tokenizer::Table;
use super::when::When;
use super::TableRead;
use crate::data::{Event, Measure, TimeAxis, Visit};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::settings::DateOrder;

#[derive(Debug, Clone, Copy)]
pub(super) enum TimeCol {
    Date(usize, DateOrder),
    Scaled(usize, f64),
    /// Visit names that tell a time (`Month 3`).
    Names(usize),
}

impl TimeCol {
    pub(super) fn col(&self) -> usize {
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
        table,
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
                // A patient's first run at its length (one visit: room for one, not four).
                let visits = &mut b.patients[pi].visits;
                if visits.is_empty() {
                    visits.reserve_exact(run);
                } else {
                    visits.reserve(run);
                }
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
