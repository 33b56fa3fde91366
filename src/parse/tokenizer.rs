//! The tokenizer: text into a header and records of fields, each record with its input line.
//! Delimiter detection (tab, semicolon or comma), comment and blank lines, and two readers: the
//! csv crate for input with quotes, and a plain line splitter (in parallel, fields left in the
//! input) for the common case without.

use super::EXPECTED;
use crate::diag::InputError;

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
    pub(super) src: std::borrow::Cow<'t, str>,
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

pub(crate) fn detect_delimiter(line: &str) -> u8 {
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
