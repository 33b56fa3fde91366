//! The bounded look at a spreadsheet archive before calamine reads it: every entry of the zip is
//! inflated once into nothing, counting, and its XML scanned with a small tag reader of fixed
//! memory, so that nothing is allocated from what the file declares. Refused, each with a
//! [`SheetError`]: more inflated bytes than the limit (the declared sizes first, then the real
//! ones: declarations can lie), more entries, elements or cells than the limits, a text or tag
//! longer than a cell can hold, a cell reference beyond XFD1048576 (calamine would overflow or
//! allocate from it), and for ODS a grid (rows and columns repeated) larger than the cell limit
//! (calamine builds the whole grid).

use super::xlsx::{Limits, SheetError};
use std::io::Read;

/// Excel's last row and column (XFD1048576).
pub(crate) const MAX_ROW: u32 = 1_048_576;
pub(crate) const MAX_COL: u32 = 16_384;
/// Longest text between two tags (Excel holds at most 32,767 characters in a cell; escaped
/// XML of that is at most ~200 KB) and longest tag.
const MAX_RUN: usize = 1 << 20;
const MAX_TAG: usize = 64 << 10;
/// Most entries in the archive.
const MAX_ENTRIES: usize = 10_000;

/// What kind of XML an entry holds, for the checks it gets.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// `xl/worksheets/*.xml`: cell references checked, cells counted.
    Worksheet,
    /// `xl/sharedStrings.xml`: strings counted (calamine keeps them all).
    SharedStrings,
    /// ODS `content.xml`: the grid calamine builds from repeated rows and columns.
    OdsContent,
    /// Any other XML: elements counted.
    Other,
}

/// Checks every entry of the zip archive `bytes` within `limits`.
pub(crate) fn check_archive(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(format!("it is not a readable zip archive ({e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(SheetError::TooLarge(format!(
            "it has {} parts; at most {MAX_ENTRIES} are read",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    // Cells of every sheet (the workbook's sheets are all read).
    let mut cells: u64 = 0;
    let max = limits.max_inflated;
    // The declared sizes first: a file that says what it is refused before any inflating.
    let declared: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, |a, b| a.saturating_add(b));
    if declared > max {
        return Err(inflated_error(declared, max));
    }
    for i in 0..zip.len() {
        let f = zip
            .by_index(i)
            .map_err(|e| SheetError::Unreadable(format!("a part cannot be read ({e})")))?;
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        let part = if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            Part::Worksheet
        } else if name == "xl/sharedStrings.xml" {
            Part::SharedStrings
        } else if name == "content.xml" {
            Part::OdsContent
        } else {
            Part::Other
        };
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        let mut counted = Counted {
            inner: f,
            n: 0,
            left: max - total,
        };
        let r = if xml {
            let mut scan = Scan::new(part, limits, cells);
            let r = scan.run(&mut counted, &name);
            cells = scan.cells;
            r
        } else {
            std::io::copy(&mut counted, &mut std::io::sink())
                .map(|_| ())
                .map_err(SheetError::from)
        };
        total += counted.n;
        if total > max {
            return Err(inflated_error(total, max));
        }
        r?;
    }
    Ok(())
}

fn inflated_error(n: u64, max: u64) -> SheetError {
    SheetError::TooLarge(format!(
        "it holds {}{} MB once uncompressed; at most {} MB are read",
        if n > max { "more than " } else { "" },
        max.min(n) >> 20,
        max >> 20
    ))
}

/// A reader that counts what it gives and stops one byte past `left` (so that too much is seen).
struct Counted<R> {
    inner: R,
    n: u64,
    left: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.n > self.left {
            return Ok(0);
        }
        let room = (self.left + 1 - self.n).min(buf.len() as u64) as usize;
        let k = self.inner.read(&mut buf[..room])?;
        self.n += k as u64;
        Ok(k)
    }
}

impl From<std::io::Error> for SheetError {
    fn from(e: std::io::Error) -> Self {
        SheetError::Unreadable(format!("a part cannot be inflated ({e})"))
    }
}

/// The tag reader's state over one entry.
struct Scan<'l> {
    part: Part,
    limits: &'l Limits,
    elements: u64,
    /// Cells (or shared strings, or ODS grid cells) of the workbook so far.
    cells: u64,
    /// ODS: the current table's rows so far (repeats counted), the current row's repeats,
    /// materialised width and empty cells not yet materialised, whether it has content; the
    /// table's first and last rows with content and widest such row; cells materialised.
    ods: Ods,
}

#[derive(Default)]
struct Ods {
    rows: u64,
    row_repeat: u64,
    width: u64,
    pending: u64,
    content: bool,
    first: Option<u64>,
    last: u64,
    widest: u64,
    materialised: u64,
    /// Grid cells of the tables before this one (calamine builds every sheet's).
    done: u64,
}

impl<'l> Scan<'l> {
    fn new(part: Part, limits: &'l Limits, cells: u64) -> Self {
        Scan {
            part,
            limits,
            elements: 0,
            cells,
            ods: Ods::default(),
        }
    }

    /// Reads the entry to its end, tag by tag.
    fn run(&mut self, r: &mut impl Read, name: &str) -> Result<(), SheetError> {
        let mut buf = vec![0u8; 64 << 10];
        let mut tag: Vec<u8> = Vec::new();
        // Where we are: in text (with the length of its run), in a tag (quote char if inside an
        // attribute value), in a comment, CDATA or processing instruction (its end marker).
        let mut in_tag = false;
        let mut quote = 0u8;
        let mut skip_to: Option<&'static [u8]> = None;
        let mut run = 0usize;
        let mut tail: Vec<u8> = Vec::new();
        loop {
            let k = r.read(&mut buf)?;
            if k == 0 {
                break;
            }
            for &b in &buf[..k] {
                if let Some(end) = skip_to {
                    run += 1;
                    if run > MAX_RUN {
                        return Err(long_text(name));
                    }
                    tail.push(b);
                    if tail.len() > end.len() {
                        tail.remove(0);
                    }
                    if tail == end {
                        skip_to = None;
                        tail.clear();
                        run = 0;
                    }
                    continue;
                }
                if in_tag {
                    if quote != 0 {
                        if b == quote {
                            quote = 0;
                        }
                    } else if b == b'"' || b == b'\'' {
                        quote = b;
                    } else if b == b'>' {
                        in_tag = false;
                        self.tag(&tag)?;
                        tag.clear();
                        continue;
                    }
                    tag.push(b);
                    if tag.len() > MAX_TAG {
                        return Err(SheetError::TooLarge(format!(
                            "{name} has a tag longer than {} KB",
                            MAX_TAG >> 10
                        )));
                    }
                    // Comments, CDATA and processing instructions run to their own end marker.
                    let end: Option<&'static [u8]> = match tag.as_slice() {
                        b"!--" => Some(b"-->"),
                        b"![CDATA[" => Some(b"]]>"),
                        b"?" => Some(b"?>"),
                        _ => None,
                    };
                    if let Some(end) = end {
                        in_tag = false;
                        tag.clear();
                        skip_to = Some(end);
                        run = 0;
                    }
                } else if b == b'<' {
                    in_tag = true;
                    run = 0;
                } else {
                    run += 1;
                    if run > MAX_RUN {
                        return Err(long_text(name));
                    }
                }
            }
        }
        Ok(())
    }

    /// One tag's text (between `<` and `>`).
    fn tag(&mut self, t: &[u8]) -> Result<(), SheetError> {
        let closing = t.first() == Some(&b'/');
        let t = if closing { &t[1..] } else { t };
        let name_end = t
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(t.len());
        let qname = &t[..name_end];
        let local = qname.rsplit(|&b| b == b':').next().unwrap_or(qname);
        let empty = t.last() == Some(&b'/');
        let attrs = &t[name_end..];
        if closing {
            if self.part == Part::OdsContent {
                self.ods_end(qname)?;
            }
            return Ok(());
        }
        self.elements += 1;
        if self.elements > self.limits.max_cells.saturating_mul(4) as u64 + 10_000 {
            return Err(SheetError::TooLarge(format!(
                "it has more than {} XML elements in one part",
                self.limits.max_cells.saturating_mul(4) + 10_000
            )));
        }
        match self.part {
            Part::Worksheet => {
                match local {
                    b"c" => {
                        self.cells += 1;
                        if self.cells > self.limits.max_cells as u64 {
                            return Err(too_many_cells(self.limits));
                        }
                        if let Some(r) = attr(attrs, b"r") {
                            check_ref(r)?;
                        }
                    }
                    b"row" => {
                        if let Some(r) = attr(attrs, b"r") {
                            check_row(r)?;
                        }
                    }
                    b"dimension" | b"f" | b"mergeCell" | b"selection" | b"pane" => {
                        for key in [&b"ref"[..], b"sqref", b"topLeftCell", b"activeCell"] {
                            if let Some(v) = attr(attrs, key) {
                                for range in v.split(|&b| b == b' ') {
                                    check_range(range)?;
                                }
                            }
                        }
                    }
                    _ => {}
                }
                Ok(())
            }
            Part::SharedStrings => {
                if local == b"si" {
                    self.cells += 1;
                    if self.cells > self.limits.max_cells as u64 {
                        return Err(too_many_cells(self.limits));
                    }
                }
                Ok(())
            }
            Part::OdsContent => self.ods_start(qname, attrs, empty),
            Part::Other => Ok(()),
        }
    }

    fn ods_start(&mut self, qname: &[u8], attrs: &[u8], empty: bool) -> Result<(), SheetError> {
        let o = &mut self.ods;
        match qname {
            b"table:table" => {
                *o = Ods {
                    materialised: o.materialised,
                    done: o.done,
                    ..Ods::default()
                }
            }
            b"table:table-row" => {
                o.row_repeat = repeats(attrs, b"table:number-rows-repeated")
                    .min(MAX_ROW as u64 - o.rows.min(MAX_ROW as u64));
                o.width = 0;
                o.pending = 0;
                o.content = false;
                if empty {
                    o.rows += o.row_repeat;
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let n = repeats(attrs, b"table:number-columns-repeated");
                // A cell with a value, or with content (a start tag), is materialised with the
                // empty cells before it; empty cells at the end of a row are not.
                if attr(attrs, b"office:value-type").is_some() || !empty {
                    let room = (MAX_COL as u64).saturating_sub(o.width);
                    o.width += o.pending.min(room);
                    let room = (MAX_COL as u64).saturating_sub(o.width);
                    o.width += n.min(room);
                    o.pending = 0;
                    o.content = true;
                } else {
                    o.pending = o.pending.saturating_add(n);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn ods_end(&mut self, qname: &[u8]) -> Result<(), SheetError> {
        let o = &mut self.ods;
        match qname {
            b"table:table-row" => {
                o.materialised += o.width;
                if o.content {
                    o.first.get_or_insert(o.rows);
                    o.last = o.rows + o.row_repeat.max(1) - 1;
                    o.widest = o.widest.max(o.width);
                }
                o.rows += o.row_repeat;
                let grid = o.first.map_or(0, |f| (o.last + 1 - f) * o.widest);
                if o.materialised + o.done + grid > self.limits.max_cells as u64 {
                    return Err(too_many_cells(self.limits));
                }
            }
            b"table:table" => {
                o.done += o.first.map_or(0, |f| (o.last + 1 - f) * o.widest);
                o.first = None;
                o.widest = 0;
            }
            _ => {}
        }
        Ok(())
    }
}

fn too_many_cells(l: &Limits) -> SheetError {
    SheetError::TooLarge(format!(
        "its sheets have more than {} cells",
        thousands(l.max_cells as u64)
    ))
}

fn long_text(name: &str) -> SheetError {
    SheetError::TooLarge(format!(
        "{name} has a text longer than {} MB between two tags (a cell holds at most 32,767 characters)",
        MAX_RUN >> 20
    ))
}

pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The value of attribute `key` in a tag's attributes, if there.
fn attr<'a>(attrs: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i < attrs.len() {
        while i < attrs.len() && (attrs[i].is_ascii_whitespace() || attrs[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < attrs.len() && attrs[i] != b'=' && !attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &attrs[name_start..i];
        while i < attrs.len() && (attrs[i].is_ascii_whitespace() || attrs[i] == b'=') {
            i += 1;
        }
        let q = *attrs.get(i)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let end = attrs[i + 1..].iter().position(|&b| b == q)? + i + 1;
        if name == key {
            return Some(&attrs[i + 1..end]);
        }
        i = end + 1;
    }
    None
}

/// `table:number-…-repeated`: a count from 1 (absent or unreadable: 1; calamine refuses what it
/// cannot read).
fn repeats(attrs: &[u8], key: &[u8]) -> u64 {
    attr(attrs, key)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// A cell reference (A1 … XFD1048576, `$` allowed): Ok when within the sheet.
pub(crate) fn parse_ref(r: &[u8]) -> Option<(u32, u32)> {
    let r: Vec<u8> = r.iter().copied().filter(|&b| b != b'$').collect();
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    if letters == 0 || letters > 3 || digits.is_empty() || digits.len() > 7 {
        return None;
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = r[..letters].iter().fold(0u32, |a, &b| {
        a * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    // (`then`, not `then_some`: its argument would be computed, and `row - 1` wrap, for row 0)
    ((1..=MAX_COL).contains(&col) && (1..=MAX_ROW).contains(&row)).then(|| (row - 1, col - 1))
}

fn bad_ref(r: &[u8]) -> SheetError {
    let shown: String = String::from_utf8_lossy(r).chars().take(40).collect();
    SheetError::BadReference(shown)
}

fn check_ref(r: &[u8]) -> Result<(), SheetError> {
    parse_ref(r).map(|_| ()).ok_or_else(|| bad_ref(r))
}

fn check_row(r: &[u8]) -> Result<(), SheetError> {
    let ok = !r.is_empty()
        && r.len() <= 7
        && r.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(r)
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
            .is_some_and(|n| (1..=MAX_ROW).contains(&n));
    if ok {
        Ok(())
    } else {
        Err(bad_ref(r))
    }
}

/// `A1` or `A1:B2` (start before end), as calamine reads dimensions and shared formulas.
fn check_range(v: &[u8]) -> Result<(), SheetError> {
    if v.is_empty() {
        return Ok(());
    }
    let mut parts = v.split(|&b| b == b':');
    let a = parts.next().and_then(parse_ref).ok_or_else(|| bad_ref(v))?;
    if let Some(b) = parts.next() {
        let b = parse_ref(b).ok_or_else(|| bad_ref(v))?;
        if b.0 < a.0 || b.1 < a.1 || parts.next().is_some() {
            return Err(bad_ref(v));
        }
    }
    Ok(())
}
