//! Text with quotes: records read as the csv crate reads them (RFC 4180, flexible: a quote opens a
//! field only at its start, `""` inside is a quote, a quote elsewhere is a character; CR, LF and
//! CR LF end a record; blank lines are skipped), one record at a time, so that a **stray quote**
//! can be found and read again as a character.
//!
//! Why not the csv crate here: it does not say where a quoted field began or whether it ended,
//! and cannot be told to take one quote literally. `tests::quoted_reader_reads_as_the_csv_crate`
//! holds this reader to the csv crate's records on every input where it kept every quote.
//!
//! A quote that opens a field which runs over a line break is taken literally (and the record
//! read again from its start) when:
//! 1. the field is still open at the end of the input (no closing quote), or
//! 2. the record has the wrong number of cells: fewer than the header's names or more than its
//!    cells (a data row; the header has no such count), or
//! 3. of the lines it spans after its own, read with the quote taken literally, one is a whole
//!    row (as many cells as the header), or all are (the last may open a quoted field of its own,
//!    judged in turn): the quote swallowed rows. (The quote's own line may be anything: the stray
//!    quote may be another one, such as a closing quote doubled into `""`, even on a later line
//!    of a quoted note.) Unless the quote's own line, with the quote taken literally, is a row
//!    with too few cells and the field ends as a quoted cell does (its closing quote followed by
//!    a delimiter or a line end): a cell over two lines (`"line` / `break",A,2020-01-01,40`) in a
//!    record with the header's cells is kept even when its second line has as many cells as a
//!    row, but not `"note""` / `"B1",B,…` (the `"` before `B1` closes the field, and `B1"`
//!    follows it).
//!
//! A quoted note that spans lines in a row with the right number of cells is kept. Each quote
//! taken literally is a [`DiagKind::StrayQuote`] warning naming its line and column.

use crate::diag::{DiagKind, Diagnostic, Severity};

/// What one record read gives: where it is, how many fields, and its line-spanning quote.
struct Rec {
    /// First byte of the record, and the byte after its line end (or the end of the input).
    start: usize,
    end: usize,
    /// 1-based lines of `start` and of `end`.
    line: usize,
    end_line: usize,
    n: usize,
    /// The quote (byte, field index) opening the first field that holds a line break.
    spanning: Option<(usize, usize)>,
    /// That field's closing quote is followed by more of the field (`"a\nb"c,`), not by a
    /// delimiter or a line end: not how a quoted cell ends.
    ragged: bool,
    /// The quote (byte, field index) of a field that holds a line break and is still open at
    /// the end of the input.
    open_at_end: Option<(usize, usize)>,
}

/// Reads records of `b` with delimiter `d`; quotes at the bytes in `literal` (sorted) are
/// characters.
struct Reader<'a> {
    b: &'a [u8],
    d: u8,
    literal: Vec<usize>,
}

impl Reader<'_> {
    fn is_literal(&self, at: usize) -> bool {
        self.literal.binary_search(&at).is_ok()
    }

    /// The record at or after byte `i` (on line `line`), blank line ends skipped: its fields'
    /// bytes appended to `out` and their spans in `out` to `spans`. None at the end of the input.
    fn record(
        &self,
        mut i: usize,
        mut line: usize,
        out: &mut Vec<u8>,
        spans: &mut Vec<(u32, u32)>,
    ) -> Option<Rec> {
        let (b, d) = (self.b, self.d);
        while i < b.len() && (b[i] == b'\n' || b[i] == b'\r') {
            line += usize::from(b[i] == b'\n');
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let mut r = Rec {
            start: i,
            end: i,
            line,
            end_line: line,
            n: 0,
            spanning: None,
            ragged: false,
            open_at_end: None,
        };
        loop {
            // One field from `i`.
            let field_start = out.len();
            let mut first_spanning = false;
            if i < b.len() && b[i] == b'"' && !self.is_literal(i) {
                let q = i;
                i += 1;
                let mut breaks = false;
                let mut closed = false;
                while let Some(k) = memchr::memchr(b'"', &b[i..]) {
                    let run = &b[i..i + k];
                    breaks |= run.iter().any(|&c| c == b'\n' || c == b'\r');
                    line += memchr::memchr_iter(b'\n', run).count();
                    out.extend_from_slice(run);
                    i += k + 1;
                    if b.get(i) == Some(&b'"') {
                        out.push(b'"');
                        i += 1;
                    } else {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    let run = &b[i..];
                    breaks |= run.iter().any(|&c| c == b'\n' || c == b'\r');
                    line += memchr::memchr_iter(b'\n', run).count();
                    out.extend_from_slice(run);
                    i = b.len();
                }
                if breaks {
                    first_spanning = r.spanning.is_none();
                    r.spanning.get_or_insert((q, r.n));
                    if !closed {
                        r.open_at_end = Some((q, r.n));
                    }
                }
            }
            // The rest of the field (all of it when unquoted): quotes here are characters.
            // (a plain search: memchr3 would add its own code to the page's wasm)
            let k = b[i..]
                .iter()
                .position(|&c| c == d || c == b'\n' || c == b'\r')
                .map_or(b.len(), |k| i + k);
            r.ragged |= first_spanning && k > i;
            out.extend_from_slice(&b[i..k]);
            i = k;
            // Below MAX_TEXT_BYTES (checked by the tokenizer): no byte count wraps in a u32.
            spans.push((field_start as u32, out.len() as u32));
            r.n += 1;
            if i < b.len() && b[i] == d {
                i += 1;
                continue;
            }
            // A line end (CR, LF or CR LF) or the end of the input.
            if i < b.len() {
                if b[i] == b'\n' {
                    line += 1;
                } else if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    line += 1;
                }
                i += 1;
            }
            r.end = i;
            r.end_line = line;
            return Some(r);
        }
    }
}

/// Why a quote was taken literally.
enum Why {
    /// Never closed.
    Open,
    /// The record's cells, and the header's names.
    Cells(usize, usize),
    /// The lines it spans are whole rows without it.
    Rows,
}

/// A full row: as many cells as the header has names, at most as many as it has cells.
fn full(n: usize, names: usize, cells: usize) -> bool {
    names <= n && n <= cells
}

/// The records read: every field's bytes one after another, their spans, and each row as
/// (line, first field, number of fields); the header's cells and line.
pub(super) struct Quoted {
    pub fields: String,
    pub spans: Vec<(u32, u32)>,
    pub rows: Vec<(u32, u32, u32)>,
    /// The header's cells (trimmed; trailing empty ones kept) and line; None: no record.
    pub header: Option<(Vec<String>, usize)>,
    pub diags: Vec<Diagnostic>,
}

/// Number of header names: its cells without the trailing empty ones.
fn names(header: &[String]) -> usize {
    header.len() - header.iter().rev().take_while(|s| s.is_empty()).count()
}

/// Reads `text[offset..]` (`offset` at the start of line `line`).
pub(super) fn read(text: &str, offset: usize, line: usize, d: u8) -> Quoted {
    let b = text.as_bytes();
    let mut rd = Reader {
        b,
        d,
        literal: Vec::new(),
    };
    let mut out: Vec<u8> = Vec::with_capacity(b.len() - offset);
    let mut spans: Vec<(u32, u32)> = Vec::new();
    let mut rows: Vec<(u32, u32, u32)> = Vec::new();
    let mut header: Option<(Vec<String>, usize)> = None;
    let mut diags = Vec::new();
    let (mut i, mut line) = (offset, line);
    // Scratch for the literal re-read of check 3.
    let (mut s_out, mut s_spans) = (Vec::new(), Vec::new());
    loop {
        let mark = (out.len(), spans.len());
        let Some(r) = rd.record(i, line, &mut out, &mut spans) else {
            break;
        };
        let stray = if let Some(q) = r.open_at_end {
            Some((q, Why::Open))
        } else if let Some(q) = r.spanning {
            let counts = header.as_ref().map(|(h, _)| (names(h), h.len()));
            if counts.is_some_and(|(nm, c)| !full(r.n, nm, c)) {
                Some((q, Why::Cells(r.n, counts.map_or(0, |c| c.0))))
            } else {
                // Check 3: the same lines with the quote taken literally. The quote's own line
                // may be anything (another quote on it may be the stray one). A line after it
                // that is a whole row, or all of them whole rows (the last may open a quoted
                // field of its own), and the quote swallowed rows.
                let at = rd.literal.partition_point(|&x| x < q.0);
                rd.literal.insert(at, q.0);
                let mut cells = counts;
                let (mut j, mut l) = (r.start, r.line);
                let (mut any, mut all, mut own_short) = (false, true, false);
                while j < r.end && !any && !own_short {
                    s_out.clear();
                    s_spans.clear();
                    let Some(s) = rd.record(j, l, &mut s_out, &mut s_spans) else {
                        break;
                    };
                    let (nm, c) = cells.unwrap_or((0, usize::MAX));
                    if s.end >= r.end && s.spanning.is_some() {
                        // The last line opens a quoted field of its own (judged when it is read
                        // again): a whole row when it has the cells of one.
                        any |= j > r.start && full(s.n, nm, c);
                        j = r.end;
                        break;
                    }
                    let cell = |&(a, z): &(u32, u32)| &s_out[a as usize..z as usize];
                    if j > r.start {
                        let blank = s_spans.iter().all(|f| trims_to_empty(cell(f)));
                        let whole = s.spanning.is_none() && full(s.n, nm, c);
                        any |= whole;
                        all &= whole || blank;
                    } else if let Some((nm, _)) = cells {
                        // The quote's own line, the quote a character: a row cut short (an id
                        // over two lines whose second line has a whole row's cells) and the
                        // quote is the row's own.
                        own_short = !r.ragged && s.spanning.is_none() && s.n < nm;
                    } else {
                        // The header's line: the counts of the rows after it.
                        let h: Vec<String> = s_spans
                            .iter()
                            .map(|f| String::from_utf8_lossy(cell(f)).trim().to_string())
                            .collect();
                        cells = Some((names(&h), h.len()));
                    }
                    (j, l) = (s.end, s.end_line);
                }
                rd.literal.remove(at);
                (!own_short && (any || (all && j == r.end))).then_some((q, Why::Rows))
            }
        } else {
            None
        };
        if let Some(((q, col), why)) = stray {
            out.truncate(mark.0);
            spans.truncate(mark.1);
            let at = rd.literal.partition_point(|&x| x < q);
            rd.literal.insert(at, q);
            let q_line = r.line + memchr::memchr_iter(b'\n', &b[r.start..q]).count();
            let line_start = b[..q]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |k| k + 1);
            let column = text[line_start..q].chars().count() + 1;
            let body = b[r.start..r.end].trim_ascii_end();
            let last_line = r.line + memchr::memchr_iter(b'\n', body).count();
            let what = match why {
                Why::Open => "is never closed".into(),
                Why::Cells(n, h) => {
                    format!("runs on to line {last_line}, giving the row {n} cells, not {h}")
                }
                Why::Rows => format!("runs on to line {last_line} over whole rows"),
            };
            let mut dg = Diagnostic::new(
                Severity::Warning,
                DiagKind::StrayQuote,
                format!(
                    "a quote (\") at column {column} {what}: it is read as a character, and the lines after it as rows"
                ),
            )
            .at(q_line);
            if let Some(h) = header.as_ref().and_then(|(h, _)| h.get(col)) {
                if !h.is_empty() {
                    dg = dg.col(h);
                }
            }
            diags.push(dg);
            (i, line) = (r.start, r.line);
            continue;
        }
        (i, line) = (r.end, r.end_line);
        if header.is_none() {
            let h = spans[mark.1..]
                .iter()
                .map(|&(a, z)| {
                    String::from_utf8_lossy(&out[a as usize..z as usize])
                        .trim()
                        .to_string()
                })
                .collect();
            header = Some((h, r.line));
            out.truncate(mark.0);
            spans.truncate(mark.1);
            continue;
        }
        if spans[mark.1..]
            .iter()
            .all(|&(a, z)| trims_to_empty(&out[a as usize..z as usize]))
        {
            out.truncate(mark.0);
            spans.truncate(mark.1);
            continue;
        }
        rows.push((r.line as u32, mark.1 as u32, (spans.len() - mark.1) as u32));
    }
    // Only ASCII quotes and line ends were left out of the input's fields: still UTF-8.
    let fields = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Quoted {
        fields,
        spans,
        rows,
        header,
        diags,
    }
}

/// `str::trim` would leave nothing (Unicode white space too, as the csv path's check did).
fn trims_to_empty(f: &[u8]) -> bool {
    std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty())
}

#[cfg(test)]
#[path = "quoted_tests.rs"]
mod tests;
