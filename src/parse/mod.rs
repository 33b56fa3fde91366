//! Input parsing: pasted spreadsheet text or CSV (tab, comma or semicolon), long or wide layout,
//! into a [`Dataset`] plus line-numbered [`Diagnostic`]s. Free of I/O: text in, data out.
//!
//! Every bad cell or row is reported and skipped; everything else is kept. Only input that cannot
//! be analysed at all (empty, header only, no recognisable columns) is an [`InputError`].

pub mod columns;
pub mod dates;
mod long;
mod wide;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use crate::data::{Dataset, Event, Measure, Patient, TimeAxis, Visit, ALL_MEASURES};
use crate::diag::{DiagKind, Diagnostic, InputError, Severity};
use crate::input::{ColumnInfo, InputInfo, Parsed};
use crate::settings::{DateOrder, Layout, Settings};
use columns::Role;
use dates::OrderEvidence;

/// One data record with its 1-based input line: a view into the [`Table`]'s storage.
#[derive(Clone, Copy)]
pub(crate) struct Record<'a> {
    pub line: usize,
    src: &'a str,
    fields: &'a [(u32, u32)],
}

impl<'a> Record<'a> {
    /// Field `i`, trimmed; "" when the row is shorter.
    #[inline]
    pub fn get(&self, i: usize) -> &'a str {
        match self.fields.get(i) {
            Some(&(a, b)) => trim(&self.src[a as usize..b as usize]),
            None => "",
        }
    }
    pub fn len(&self) -> usize {
        self.fields.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let src = self.src;
        self.fields
            .iter()
            .map(move |&(a, b)| &src[a as usize..b as usize])
    }
}

/// Rows of a [`Table`] read together: every field's (start, end) in the table's string, and
/// each row as (line, index of its first field, number of fields).
#[derive(Default)]
struct Part {
    spans: Vec<(u32, u32)>,
    rows: Vec<(u32, u32, u32)>,
}

/// The header and every data row. Fields are byte spans of one string: the input itself when it
/// has no quotes (nothing is copied), else the unquoted fields as the csv reader gave them, one
/// after another. A 150,000-row paste costs a few allocations, not 300,000.
pub(crate) struct Table<'t> {
    pub delimiter: u8,
    pub header: Vec<String>,
    pub header_line: usize,
    src: std::borrow::Cow<'t, str>,
    /// The rows in order, in one part per piece of the input read on its own.
    parts: Vec<Part>,
}

impl<'t> Table<'t> {
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        self.parts.iter().flat_map(move |p| self.part_records(p))
    }
    /// The records of one part, in order.
    fn part_records<'s>(&'s self, p: &'s Part) -> impl Iterator<Item = Record<'s>> + 's {
        let src: &str = &self.src;
        p.rows.iter().map(move |&(line, first, n)| Record {
            line: line as usize,
            src,
            fields: &p.spans[first as usize..(first + n) as usize],
        })
    }
    /// Rows `rg` of part `k`, in order.
    pub fn block_records(
        &self,
        k: usize,
        rg: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = Record<'_>> + '_ {
        let src: &str = &self.src;
        let p = &self.parts[k];
        p.rows[rg].iter().map(move |&(line, first, n)| Record {
            line: line as usize,
            src,
            fields: &p.spans[first as usize..(first + n) as usize],
        })
    }
    pub fn n_records(&self) -> usize {
        self.parts.iter().map(|p| p.rows.len()).sum()
    }
}

const EXPECTED: &str = "Expected a header row and one row per visit: a patient column (id, patient, subject), \
a time column (date, visit_date, month, week or day) and at least one score column (alsfrs_r, alsfrs, fvc, aals, \
or items q1…q12); or a wide layout with one row per patient and one column per visit month (-3, 0, M1, month 12…).";

fn detect_delimiter(line: &str) -> u8 {
    let (mut tabs, mut semis, mut commas, mut quoted) = (0, 0, 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '\t' if !quoted => tabs += 1,
            ';' if !quoted => semis += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if tabs > 0 {
        b'\t'
    } else if semis > 0 && semis >= commas {
        b';'
    } else {
        b','
    }
}

pub(crate) fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => "semicolon",
        _ => "comma",
    }
}

/// Split text into header and records. Leading `#` comment lines and blank lines are skipped.
pub(crate) fn read_table(text: &str) -> Result<Table<'_>, InputError> {
    read_table_with(text, true)
}

/// [`read_table`]; `fast: false` always uses the csv reader (tests compare the two paths).
pub(crate) fn read_table_with(text: &str, fast: bool) -> Result<Table<'_>, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Find the header: the first line that is neither blank nor a comment.
    let mut offset = 0usize;
    let mut header_text = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty()
            || t.starts_with('#')
            || t.chars().all(|c| c == ',' || c == ';' || c == '\t')
        {
            offset += line.len();
            continue;
        }
        header_text = Some(line);
        break;
    }
    let Some(header_line_text) = header_text else {
        return Err(InputError {
            message: format!("The input is empty. {EXPECTED}"),
        });
    };
    let delimiter = detect_delimiter(header_line_text);
    if text.len() - offset >= u32::MAX as usize {
        return Err(InputError {
            message: "The input is larger than 4 GB; split it into smaller files.".into(),
        });
    }
    if fast {
        if let Some(t) = split_unquoted(text, offset, delimiter) {
            return Ok(t);
        }
    }
    // 1-based line of a byte offset (CR LF, LF and blank lines all counted as a person sees them).
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let bytes = text.as_bytes();
    let line_of = |mut byte: usize| {
        // csv may report a record as starting on the previous line's terminator (CR LF).
        while byte < bytes.len() && (bytes[byte] == b'\n' || bytes[byte] == b'\r') {
            byte += 1;
        }
        newlines.partition_point(|&n| n < byte) + 1
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .quoting(true)
        .from_reader(text[offset..].as_bytes());
    let mut fields = String::with_capacity(text.len() - offset);
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(newlines.len() * 8 + 8);
    let mut rows: Vec<(u32, u32, u32)> = Vec::with_capacity(newlines.len() + 1);
    let mut header: Option<(Vec<String>, usize)> = None;
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Invalid UTF-8 cannot happen from &str; other errors end the input.
                let line = e
                    .position()
                    .map(|p| line_of(offset + p.byte() as usize))
                    .unwrap_or(0);
                return Err(InputError {
                    message: format!("Could not read the input near line {line}: {e}"),
                });
            }
        }
        let line = rec
            .position()
            .map(|p| line_of(offset + p.byte() as usize))
            .unwrap_or(0);
        if header.is_none() {
            let mut h: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
            while h.last().is_some_and(|s| s.is_empty()) {
                h.pop();
            }
            header = Some((h, line));
            continue;
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line as u32, spans.len() as u32, rec.len() as u32));
        for f in rec.iter() {
            let start = fields.len() as u32;
            fields.push_str(f);
            spans.push((start, fields.len() as u32));
        }
    }
    let (header, header_line) = header.unwrap_or_default();
    Ok(Table {
        delimiter,
        header,
        header_line,
        src: std::borrow::Cow::Owned(fields),
        parts: vec![Part { spans, rows }],
    })
}

/// Tests: bytes per piece of the input split in parallel (0: one piece per core and MB).
#[cfg(test)]
pub(crate) static TEST_PIECE_BYTES: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// The first byte after the line end at or after `at` (or the end).
fn all_after(b: &[u8], at: usize) -> usize {
    b[at..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |i| at + i + 1)
}

/// The lines in `bytes[from..to]` (`from` at a line start): every field's span, the non-blank
/// rows as (line counted from 1 = the first line of the piece, first field, number of fields),
/// and the number of lines.
#[allow(clippy::type_complexity)]
fn split_lines(
    all: &[u8],
    from: usize,
    to: usize,
    delimiter: u8,
) -> (Vec<(u32, u32)>, Vec<(u32, u32, u32)>, usize) {
    // Room for a field every 4 bytes (a typical visit row has one every 4.5–6): one allocation.
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity((to - from) / 4 + 8);
    let mut rows: Vec<(u32, u32, u32)> = Vec::with_capacity((to - from) / 30 + 1);
    // Field ends (delimiters and line ends) are found eight bytes at a time: `ends` has bit
    // 8k+7 set when byte k of the word is one of them. Both are ASCII, so every span is on UTF-8
    // character boundaries.
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero_bytes = |x: u64| !(((x & LO7) + LO7) | x | LO7);
    let (dl, nl) = (
        u64::from(delimiter) * 0x0101_0101_0101_0101,
        0x0a0a_0a0a_0a0a_0a0a_u64,
    );
    let mut at = from;
    struct Cur {
        start: usize,
        first: usize,
        blank: bool,
        line: usize,
    }
    // Ends one field at `i` (the delimiter or line end there, or the end of the piece).
    fn end_field(
        all: &[u8],
        i: usize,
        is_line_end: bool,
        c: &mut Cur,
        spans: &mut Vec<(u32, u32)>,
        rows: &mut Vec<(u32, u32, u32)>,
    ) {
        let stop = if is_line_end && i > c.start && all[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        let f = &all[c.start..stop];
        if c.blank && !f.iter().all(|c| c.is_ascii_whitespace()) {
            c.blank = !f.iter().any(|c| c.is_ascii_graphic())
                && std::str::from_utf8(f).is_ok_and(|f| f.trim().is_empty());
        }
        spans.push((c.start as u32, stop as u32));
        c.start = i + 1;
        if is_line_end {
            c.line += 1;
            if c.blank {
                spans.truncate(c.first);
            } else {
                rows.push((
                    c.line as u32,
                    c.first as u32,
                    (spans.len() - c.first) as u32,
                ));
            }
            c.first = spans.len();
            c.blank = true;
        }
    }
    let mut c = Cur {
        start: from,
        first: 0,
        blank: true,
        line: 0,
    };
    while at + 8 <= to {
        let w = u64::from_le_bytes(all[at..at + 8].try_into().unwrap_or([0; 8]));
        let mut ends = zero_bytes(w ^ dl) | zero_bytes(w ^ nl);
        while ends != 0 {
            let k = (ends.trailing_zeros() / 8) as usize;
            ends &= ends - 1;
            let i = at + k;
            end_field(all, i, all[i] == b'\n', &mut c, &mut spans, &mut rows);
        }
        at += 8;
    }
    while at < to {
        let b = all[at];
        if b == delimiter || b == b'\n' {
            end_field(all, at, b == b'\n', &mut c, &mut spans, &mut rows);
        }
        at += 1;
    }
    // A last line without a line end.
    if c.start < to || (c.start == to && c.first != spans.len()) {
        end_field(all, to, true, &mut c, &mut spans, &mut rows);
    }
    let line = c.line;
    (spans, rows, line)
}

/// The common case, without the csv reader: no quote anywhere after the comments and no line
/// ending in a lone CR (which the csv reader also takes as a line break). Then a record is a line
/// and its fields are the delimiter-separated slices of it, exactly as the csv reader (flexible,
/// quoting on, no trimming) reads them; the fields stay in the input. None: use the csv reader.
fn split_unquoted(text: &str, offset: usize, delimiter: u8) -> Option<Table<'_>> {
    let body = &text.as_bytes()[offset..];
    if memchr::memchr(b'"', body).is_some() {
        return None;
    }
    if memchr::memchr_iter(b'\r', body).any(|at| body.get(at + 1) != Some(&b'\n')) {
        return None;
    }
    let mut line = 1 + text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    // The header: the first line from `offset`.
    let header_end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    let h = &text[offset..offset + header_end];
    let mut header: Vec<String> = h
        .strip_suffix('\r')
        .unwrap_or(h)
        .split(delimiter as char)
        .map(|s| s.trim().to_string())
        .collect();
    while header.last().is_some_and(|s| s.is_empty()) {
        header.pop();
    }
    let header_line = line;
    // The data lines, cut into one piece per core at line ends; each piece is split on its own
    // and the pieces joined in order.
    let data = (offset + header_end + 1).min(text.len());
    #[cfg(test)]
    let forced = TEST_PIECE_BYTES.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(test))]
    let forced = 0;
    let pieces = (text.len() - data)
        .checked_div(forced)
        .unwrap_or_else(|| crate::par::cores().min((text.len() - data) / (1 << 20)))
        .max(1);
    let mut cuts = vec![data];
    for k in 1..pieces {
        let at = data + (text.len() - data) * k / pieces;
        let next = all_after(text.as_bytes(), at.max(*cuts.last().unwrap_or(&data)));
        cuts.push(next);
    }
    cuts.push(text.len());
    let parts = crate::par::chunked(pieces, 1, |rg| {
        rg.map(|k| split_lines(text.as_bytes(), cuts[k], cuts[k + 1], delimiter))
            .collect::<Vec<_>>()
    });
    let mut out = Vec::with_capacity(pieces);
    for (spans, mut rows, n_lines) in parts.into_iter().flatten() {
        for r in &mut rows {
            r.0 += line as u32;
        }
        line += n_lines;
        out.push(Part { spans, rows });
    }
    Some(Table {
        delimiter,
        header,
        header_line,
        src: std::borrow::Cow::Borrowed(text),
        parts: out,
    })
}

/// `s.trim()`, without the search when the first and last bytes are visible ASCII (most cells).
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [] => s,
        [a, .., b] | [a @ b] if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

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
fn simple_decimal(s: &str) -> Option<f64> {
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
    if s.is_empty() || (!s.as_bytes()[0].is_ascii_digit() && long::is_missing_marker(s)) {
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

/// Accumulates one patient's rows.
#[derive(Default)]
pub(crate) struct PatientBuilder {
    pub id: crate::data::Name,
    pub group: Option<crate::data::Name>,
    pub onset: Option<(f64, usize)>,
    pub events: Vec<Event>,
    pub visits: Vec<Visit>,
    pub line: usize,
}

/// Patients in order of first appearance.
#[derive(Default)]
pub(crate) struct Builder {
    pub index: rustc_hash::FxHashMap<crate::data::Name, usize>,
    pub patients: Vec<PatientBuilder>,
}

impl Builder {
    /// The patient's index, added (first seen on `line`) when new.
    pub fn index_of(&mut self, id: &str, line: usize) -> usize {
        // Rows of one patient usually come together: check the last patient before hashing.
        if let Some(last) = self.patients.len().checked_sub(1) {
            if *self.patients[last].id == *id {
                return last;
            }
        }
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let n = self.patients.len();
        let id: crate::data::Name = id.into();
        self.index.insert(id.clone(), n);
        self.patients.push(PatientBuilder {
            id,
            line,
            ..Default::default()
        });
        n
    }

    /// Patient `i`'s group: the first non-empty one; a different one later is reported.
    pub fn set_group(
        &mut self,
        i: usize,
        line: usize,
        group: &str,
        col: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        if group.is_empty() {
            return;
        }
        let p = &mut self.patients[i];
        match &p.group {
            None => p.group = Some(group.into()),
            Some(g) if **g == *group => {}
            Some(g) => diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::ConflictingValue,
                    format!("patient {} is in group \"{g}\" on an earlier row; \"{group}\" here is ignored", p.id),
                )
                .at(line)
                .col(col)
                .patient(&*p.id),
            ),
        }
    }

    /// Patient `i`'s onset day: the first one; a different one later is reported.
    pub fn set_onset(
        &mut self,
        i: usize,
        line: usize,
        onset: f64,
        col: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let p = &mut self.patients[i];
        match p.onset {
            None => p.onset = Some((onset, line)),
            Some((o, _)) if (o - onset).abs() < 1e-9 => {}
            Some((_, l)) => diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::ConflictingValue,
                    format!(
                        "patient {} has a different onset on line {l}; this one is ignored",
                        p.id
                    ),
                )
                .at(line)
                .col(col)
                .patient(&*p.id),
            ),
        }
    }

    /// Sort, merge same-day visits and events, report conflicts; the dataset.
    pub fn finish(self, time_axis: TimeAxis, diags: &mut Vec<Diagnostic>) -> Dataset {
        let mut patients = Vec::with_capacity(self.patients.len());
        let mut present = [false; 8];
        for mut p in self.patients {
            let before = |a: &Visit, b: &Visit| a.day.total_cmp(&b.day).then(a.line.cmp(&b.line));
            if !p.visits.is_sorted_by(|a, b| before(a, b).is_le()) {
                crate::sort::sort_by(&mut p.visits, before);
            }
            // Same-day visits are merged (into a new list); the usual case has none.
            let mut visits = if p.visits.windows(2).any(|w| w[0].day == w[1].day) {
                merge_same_day(&p.id, p.visits, diags)
            } else {
                p.visits
            };
            visits.retain(|v| !v.scores.is_empty());
            for v in &visits {
                for (m, _) in v.scores.iter() {
                    present[m.index()] = true;
                }
            }
            crate::sort::sort_by(&mut p.events, |a, b| a.day.total_cmp(&b.day));
            p.events.dedup_by(|b, a| a.day == b.day);
            patients.push(Patient {
                id: p.id,
                group: p.group.unwrap_or_else(|| crate::data::DEFAULT_GROUP.into()),
                onset: p.onset.map(|o| o.0),
                events: p.events,
                visits,
                line: p.line,
            });
        }
        let measures = ALL_MEASURES
            .iter()
            .copied()
            .filter(|m| present[m.index()])
            .collect();
        Dataset {
            patients,
            time_axis,
            measures,
        }
    }
}

/// Sorted visits with same-day ones merged: a score missing on the first is taken from the
/// next; different scores are reported (the first kept), and so is a repeat of the same values.
fn merge_same_day(id: &str, sorted: Vec<Visit>, diags: &mut Vec<Diagnostic>) -> Vec<Visit> {
    let mut visits: Vec<Visit> = Vec::with_capacity(sorted.len());
    let p_id = id;
    {
        for v in sorted {
            match visits.last_mut() {
                Some(last) if last.day == v.day => {
                    let before = last.scores;
                    for m in ALL_MEASURES {
                        let i = m.index();
                        match (last.scores.get(i), v.scores.get(i)) {
                                (Some(a), Some(b)) if a != b => diags.push(
                                    Diagnostic::new(
                                        Severity::Error,
                                        DiagKind::ConflictingValue,
                                        format!(
                                            "duplicate visit of patient {} on the date of line {} with a different {} ({b} here, {a} there); this value is skipped",
                                            p_id, last.line, m.name()
                                        ),
                                    )
                                    .at(v.line)
                                    .col(m.name())
                                    .patient(p_id),
                                ),
                                (None, Some(b)) => last.scores.set(i, b),
                                _ => {}
                            }
                    }
                    if v.scores == before && !v.scores.is_empty() {
                        diags.push(
                            Diagnostic::new(
                                Severity::Warning,
                                DiagKind::DuplicateVisit,
                                format!(
                                    "visit repeats line {} with the same values; counted once",
                                    last.line
                                ),
                            )
                            .at(v.line)
                            .patient(p_id),
                        );
                    }
                }
                _ => visits.push(v),
            }
        }
    }
    visits
}

/// Column roles: overrides from the settings first, then recognition by name.
pub(crate) fn assign_roles(header: &[String], settings: &Settings, wide: bool) -> Vec<Role> {
    header
        .iter()
        .map(|h| {
            let over = settings
                .columns
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(h.trim()))
                .and_then(|(_, role)| Role::from_name(role, h));
            if let Some(r) = over {
                return r;
            }
            let n = columns::normalize(h);
            if wide {
                if let Some(r) = columns::visit_column(&n) {
                    return r;
                }
                if columns::event_column(&n) {
                    return Role::EventTime(h.trim().to_string());
                }
                match columns::guess(&n) {
                    Some(Role::Event) => Role::EventTime(h.trim().to_string()),
                    Some(r) => r,
                    None => Role::Ignore,
                }
            } else {
                columns::guess(&n).unwrap_or(Role::Ignore)
            }
        })
        .collect()
}

fn is_time(r: &Role) -> bool {
    matches!(r, Role::Date | Role::Months | Role::Weeks | Role::Days)
}

/// Decide a date column's order; reports ambiguity and inconsistency.
pub(crate) fn column_date_order(
    table: &Table,
    col: usize,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> DateOrder {
    if let Some(o) = settings.date_order {
        return o;
    }
    let header = &table.header[col];
    // Each part of the table on its own core; the parts' flags combine.
    let per_part = crate::par::chunked(table.parts.len(), 1, |rg| {
        table.parts[rg]
            .iter()
            .map(|part| dates::order_flags(table.part_records(part).map(|r| r.get(col))))
            .collect::<Vec<_>>()
    });
    let flags = per_part
        .into_iter()
        .flatten()
        .fold([false; 3], |a, f| [a[0] | f[0], a[1] | f[1], a[2] | f[2]]);
    let ev = dates::evidence(flags);
    match ev {
        OrderEvidence::Decided(o) => o,
        OrderEvidence::NoSlashDates => settings.ambiguous_date_order,
        OrderEvidence::Ambiguous => {
            let o = settings.ambiguous_date_order;
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::AmbiguousDates,
                    format!(
                        "every date in column \"{header}\" reads both as dd/mm and mm/dd; read as {} (change the date order setting if that is wrong)",
                        if o == DateOrder::Dmy { "dd/mm/yyyy" } else { "mm/dd/yyyy" }
                    ),
                )
                .col(header),
            );
            o
        }
        OrderEvidence::Inconsistent => {
            let (mut dmy, mut mdy) = (0, 0);
            for r in table.records() {
                if let Some(dates::RawDate::Slash { a, b, .. }) = dates::parse_raw(r.get(col)) {
                    dmy += (a > 12) as usize;
                    mdy += (b > 12) as usize;
                }
            }
            let o = if dmy >= mdy {
                DateOrder::Dmy
            } else {
                DateOrder::Mdy
            };
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::AmbiguousDates,
                    format!(
                        "column \"{header}\" mixes dd/mm and mm/dd dates; read as {} (the majority); dates invalid in that order are skipped",
                        if o == DateOrder::Dmy { "dd/mm/yyyy" } else { "mm/dd/yyyy" }
                    ),
                )
                .col(header),
            );
            o
        }
    }
}

/// Parse pasted text or a CSV file.
pub fn parse(text: &str, settings: &Settings) -> Result<Parsed, InputError> {
    let table = read_table(text)?;
    if table.header.is_empty() {
        return Err(InputError {
            message: format!("The input is empty. {EXPECTED}"),
        });
    }
    let long_roles = assign_roles(&table.header, settings, false);
    let wide_roles = assign_roles(&table.header, settings, true);
    let has_time = long_roles.iter().any(is_time);
    let n_visit_cols = wide_roles
        .iter()
        .filter(|r| matches!(r, Role::Visit { .. }))
        .count();
    let layout = match settings.layout {
        Layout::Long => Layout::Long,
        Layout::Wide => Layout::Wide,
        Layout::Auto => {
            // Visit-month columns make it wide; a `date` column then is the baseline date.
            let relative_time = long_roles
                .iter()
                .any(|r| matches!(r, Role::Months | Role::Weeks | Role::Days));
            if (!has_time && n_visit_cols >= 1) || (!relative_time && n_visit_cols >= 2) {
                Layout::Wide
            } else {
                Layout::Long
            }
        }
    };
    let roles = if layout == Layout::Wide {
        wide_roles
    } else {
        long_roles
    };
    let mut diags = Vec::new();
    let (dataset, date_format) = match layout {
        Layout::Wide => wide::build(&table, &roles, settings, &mut diags)?,
        _ => long::build(&table, &roles, settings, &mut diags)?,
    };
    for (i, r) in roles.iter().enumerate() {
        if *r == Role::Ignore && !table.header[i].is_empty() {
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::UnknownColumn,
                    format!(
                        "column \"{}\" was not recognised and is ignored",
                        table.header[i]
                    ),
                )
                .at(table.header_line)
                .col(&table.header[i]),
            );
        }
    }
    if table.n_records() == 0 {
        return Err(InputError {
            message: format!("The input has a header row but no data rows. {EXPECTED}"),
        });
    }
    let info = InputInfo {
        layout: if layout == Layout::Wide {
            "wide".into()
        } else {
            "long".into()
        },
        delimiter: delimiter_name(table.delimiter).into(),
        n_rows: table.n_records(),
        columns: table
            .header
            .iter()
            .zip(&roles)
            .enumerate()
            .map(|(index, (h, r))| ColumnInfo {
                index,
                header: h.clone(),
                role: r.name(),
            })
            .collect(),
        time_axis: match dataset.time_axis {
            TimeAxis::Dates => "dates".into(),
            TimeAxis::Relative => "relative".into(),
        },
        date_format,
        measures_present: Vec::new(),
    };
    crate::sort::sort_by_key(&mut diags, |d| (d.line.unwrap_or(0), d.severity as u8));
    Ok(Parsed {
        dataset,
        info,
        diagnostics: diags,
    })
}

pub(crate) fn no_columns_error(what: &str) -> InputError {
    InputError {
        message: format!("{what} {EXPECTED}"),
    }
}

#[cfg(test)]
mod tests;
