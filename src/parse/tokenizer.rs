//! The tokenizer: text into a header and records of fields, each record with its input line.
//! Delimiter detection (tab, semicolon or comma), comment and blank lines, and two readers: the
//! quote-aware reader of `quoted` (RFC 4180 as the csv crate reads it, with stray quotes taken
//! literally) for input with quotes, and a plain line splitter (in parallel, fields left in the
//! input) for the common case without. Rows with more cells than the header: [`ragged_row`].

use super::EXPECTED;
use crate::diag::{DiagKind, Diagnostic, InputError, Severity};

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
/// has no quotes (nothing is copied), else the unquoted fields as the quoted reader gave them, one
/// after another. A 150,000-row paste costs a few allocations, not 300,000.
pub(crate) struct Table<'t> {
    pub delimiter: u8,
    /// The header's names (trailing empty cells left out).
    pub header: Vec<String>,
    /// The cells of a row: the header's, trailing empty ones included, or the most common
    /// number of cells in the rows when that is more (every row ending in a delimiter).
    pub width: usize,
    pub header_line: usize,
    pub(super) src: std::borrow::Cow<'t, str>,
    /// The rows in order, in one part per piece of the input read on its own.
    parts: Vec<Part>,
    /// What reading found: stray quotes taken literally.
    pub diags: Vec<Diagnostic>,
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
    /// Number of parts (pieces of the input read on their own).
    pub fn n_parts(&self) -> usize {
        self.parts.len()
    }
    /// Number of records in part `k`.
    pub fn part_len(&self, k: usize) -> usize {
        self.parts[k].rows.len()
    }
    /// The records of part `k`, in order.
    pub fn records_of_part(&self, k: usize) -> impl Iterator<Item = Record<'_>> + '_ {
        self.part_records(&self.parts[k])
    }
    pub fn n_records(&self) -> usize {
        self.parts.iter().map(|p| p.rows.len()).sum()
    }
}

impl Table<'_> {
    /// A row with more cells than the header (or than rows usually have), or with something in
    /// a cell beyond the header's names: a diagnostic (the caller adds the patient), else None. An `Error` (the caller skips the row) when two neighbouring cells of
    /// digits in a comma-separated file look like one number with a decimal comma (`38,5`: the
    /// cells after it are under the wrong columns); a `Warning` (the extra cells are ignored)
    /// when cells beyond the header hold something; nothing for empty ones (trailing commas).
    pub fn ragged_row(&self, r: &Record<'_>) -> Option<Diagnostic> {
        let (n, h) = (r.len(), self.header.len());
        // More cells than a row has, or something in a cell beyond the header's names.
        let beyond = r.iter().skip(h).any(|c| !c.trim().is_empty());
        if n <= self.width && !beyond {
            return None;
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let int = |s: &str| digits(s.strip_prefix(['-', '+']).unwrap_or(s));
        let pair = if self.delimiter == b',' {
            (0..n - 1).find(|&i| int(r.get(i)) && digits(r.get(i + 1)))
        } else {
            None
        };
        if let Some(i) = pair {
            let (a, b) = (r.get(i), r.get(i + 1));
            return Some(Diagnostic::new(
                Severity::Error,
                DiagKind::RaggedRow,
                format!(
                    "row has {n} cells, the header {h}: \"{a},{b}\" (cell {}) looks like a decimal comma in a comma-separated file; the row is skipped. Write {a}.{b}, or separate columns with ; or tabs",
                    i + 1
                ),
            )
            .at(r.line));
        }
        beyond.then(|| {
            Diagnostic::new(
                Severity::Warning,
                DiagKind::RaggedRow,
                format!("row has {n} cells but the header has {h}; extra cells ignored"),
            )
            .at(r.line)
        })
    }
}

pub(crate) fn detect_delimiter(line: &str) -> u8 {
    let (mut tabs, mut semis, mut commas, mut quoted) = (0, 0, 0, false);
    // An odd number of quotes: one of them is stray and would hide the delimiters after it.
    let balanced = line.bytes().filter(|&b| b == b'"').count() % 2 == 0;
    for c in line.chars() {
        match c {
            '"' if balanced => quoted = !quoted,
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

/// [`read_table`]; `fast: false` always uses the quoted reader (tests compare the two paths).
pub(crate) fn read_table_with(text: &str, fast: bool) -> Result<Table<'_>, InputError> {
    read_table_limited(text, fast, super::MAX_TEXT_BYTES)
}

/// [`read_table_with`], reading at most `max_text` bytes (tests: less than `MAX_TEXT_BYTES`).
pub(crate) fn read_table_limited(
    text: &str,
    fast: bool,
    max_text: usize,
) -> Result<Table<'_>, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Every byte position, field count and row count below is kept in a u32: the whole text
    // (not only what follows the comments: spans of the unquoted reader are positions in all of
    // it) must stay below MAX_TEXT_BYTES, so that none of them can wrap.
    if text.len() > max_text {
        return Err(InputError {
            message: format!(
                "The input is {} MB; at most {} MB can be read. Split it into smaller files.",
                text.len() >> 20,
                max_text >> 20
            ),
        });
    }
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
    if fast {
        if let Some(t) = split_unquoted(text, offset, delimiter) {
            return Ok(t);
        }
    }
    let line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count();
    let q = super::quoted::read(text, offset, line, delimiter);
    let (mut header, header_line) = q.header.unwrap_or_default();
    let cells = header.len();
    while header.last().is_some_and(|s| s.is_empty()) {
        header.pop();
    }
    Ok(Table {
        delimiter,
        header,
        width: usual_width(cells, q.rows.iter().map(|r| r.2)),
        header_line,
        src: std::borrow::Cow::Owned(q.fields),
        parts: vec![Part {
            spans: q.spans,
            rows: q.rows,
        }],
        diags: q.diags,
    })
}

/// The header's `cells`, or the most common number of cells of the rows (`lens`) when that is
/// more.
fn usual_width(cells: usize, lens: impl Iterator<Item = u32>) -> usize {
    let mut count = [0usize; 65];
    for n in lens {
        count[(n as usize).min(64)] += 1;
    }
    let most = (0..count.len())
        .rev()
        .max_by_key(|&n| count[n])
        .unwrap_or(0);
    cells.max(most.min(64))
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
    let cells = header.len();
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
        width: usual_width(cells, out.iter().flat_map(|p| p.rows.iter().map(|r| r.2))),
        header_line,
        src: std::borrow::Cow::Borrowed(text),
        parts: out,
        diags: Vec::new(),
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
