//! Spreadsheets read within limits: XLSX (and ODS) sheets into tab-separated text, one line per
//! sheet row (so that line numbers are the sheet's row numbers), which then goes through the same
//! parser as pasted text.
//!
//! Nothing is allocated from what the file declares. First the archive is looked at within the
//! [`Limits`] (`xlsx_scan`: inflated bytes counted, cells counted, every cell reference checked
//! against XFD1048576, ODS grids sized); only then does calamine read it, XLSX sheets through
//! its streaming cell reader (never the dense grid of `worksheet_range`, which a single cell at
//! XFD1048576 makes 17 billion cells), and the cells are kept sparse until written as text,
//! whose size is capped too. Every refusal is a [`SheetError`] with a message for people.
//!
//! Not read: XLS (Excel 97–2003; calamine builds every sheet's whole grid when it opens one, which
//! a file of a few KB can make gigabytes) and XLSB (binary parts cannot be looked at first).

use super::xlsx_scan::{check_archive, thousands, MAX_COL, MAX_ROW};
use calamine::{DataRef, Reader};
use std::io::Cursor;

/// How much of a spreadsheet is read. A file beyond any of them is refused with a
/// [`SheetError::TooLarge`], before calamine allocates anything for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Bytes of the archive's parts once inflated, all parts together (a zip bomb stops here).
    pub max_inflated: u64,
    /// Cells of all sheets together (for ODS: of the grids calamine builds), and shared strings.
    pub max_cells: usize,
    /// Bytes of the sheets' text, all sheets together.
    pub max_text: usize,
}

impl Limits {
    /// The command line's: 1 GiB inflated, 10 million cells, 512 MiB of text (as `--max-input`).
    pub const CLI: Limits = Limits {
        max_inflated: 1 << 30,
        max_cells: 10_000_000,
        max_text: 512 << 20,
    };
    /// The page's (its XLSX module in a tab): 512 MiB inflated, 4 million cells, 64 MiB of text
    /// (the page analyses up to 16 MB and offers larger data as a file for the command line).
    pub const PAGE: Limits = Limits {
        max_inflated: 512 << 20,
        max_cells: 4_000_000,
        max_text: 64 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::CLI
    }
}

/// Why a spreadsheet was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetError {
    /// A format this reader does not read (XLS, XLSB), with what to do instead.
    Unsupported(String),
    /// Not a spreadsheet, or a damaged one: what went wrong.
    Unreadable(String),
    /// Beyond a [`Limits`]: which one.
    TooLarge(String),
    /// A cell reference beyond the last cell of a sheet (XFD1048576), as written.
    BadReference(String),
    /// No worksheet in the workbook.
    NoSheet,
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SheetError::Unsupported(m) => write!(f, "{m}"),
            SheetError::Unreadable(m) => write!(f, "could not read the spreadsheet: {m}"),
            SheetError::TooLarge(m) => write!(
                f,
                "the spreadsheet is too large to read: {m}. Save the sheet as CSV (the command-line tool reads up to its --max-input)"
            ),
            SheetError::BadReference(r) => write!(
                f,
                "the spreadsheet is damaged or crafted: it has a cell reference \"{r}\" beyond the last cell of a sheet (XFD1048576)"
            ),
            SheetError::NoSheet => write!(f, "the spreadsheet has no worksheet with cells"),
        }
    }
}

impl std::error::Error for SheetError {}

/// One worksheet: its name, and its cells as text, a line per sheet row from row 1 (rows above
/// the first cell are blank lines), cells separated by tabs from the first column that holds
/// anything. Tabs and line breaks inside cells are spaces; dates are ISO dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub text: String,
}

impl Sheet {
    /// The rows of text cells (row `k` of the iterator is sheet row `k + 1`).
    pub fn rows(&self) -> impl Iterator<Item = Vec<&str>> + '_ {
        self.text.lines().map(|l| l.split('\t').collect())
    }
}

/// Every worksheet of an XLSX or ODS file, in the workbook's order, within `limits`.
pub fn read_sheets(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, SheetError> {
    read(bytes, limits, usize::MAX)
}

/// The workbook as text, within the command line's limits: see [`xlsx_to_text_with`].
pub fn xlsx_to_text(bytes: &[u8]) -> Result<String, String> {
    xlsx_to_text_with(bytes, &Limits::CLI).map_err(|e| e.to_string())
}

/// The workbook as text, within `limits`: its one sheet with cells, or each sheet with cells
/// after a `#table: NAME` line (see `parse::tables`: the parser reads the sheets that hold data
/// and says which). Sheets without cells are left out.
pub fn xlsx_to_text_with(bytes: &[u8], limits: &Limits) -> Result<String, SheetError> {
    let mut sheets = read_sheets(bytes, limits)?;
    sheets.retain(|s| !s.text.trim().is_empty());
    match &sheets[..] {
        [] => Err(SheetError::NoSheet),
        [one] => Ok(one.text.clone()),
        _ => {
            let named: Vec<(&str, &str)> = sheets
                .iter()
                .map(|s| (s.name.as_str(), s.text.as_str()))
                .collect();
            Ok(crate::parse::tables::join(&named))
        }
    }
}

/// The first `n` worksheets.
fn read(bytes: &[u8], limits: &Limits, n: usize) -> Result<Vec<Sheet>, SheetError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(OLE) {
        return Err(SheetError::Unsupported(
            "Excel 97–2003 files (.xls) are not read: save the sheet as .xlsx or as CSV".into(),
        ));
    }
    if !bytes.starts_with(ZIP) {
        return Err(SheetError::Unreadable(
            "it is not an .xlsx or .ods file (those are zip archives)".into(),
        ));
    }
    check_archive(bytes, limits)?;
    let names: Vec<String> = zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| {
            z.file_names()
                .filter_map(|n| n.ok().map(|n| n.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let has = |n: &str| names.iter().any(|x| x == n);
    let mut budget = Budget {
        text: limits.max_text,
        cells: limits.max_cells,
        max_cells: limits.max_cells,
    };
    if has("xl/workbook.xml") {
        read_xlsx(bytes, n, &mut budget)
    } else if has("xl/workbook.bin") {
        Err(SheetError::Unsupported(
            "Excel binary workbooks (.xlsb) are not read: save the sheet as .xlsx or as CSV".into(),
        ))
    } else if has("content.xml") {
        read_ods(bytes, n, &mut budget)
    } else {
        Err(SheetError::Unreadable(
            "the zip archive holds no workbook (no xl/workbook.xml or content.xml)".into(),
        ))
    }
}

/// What is left of the text and cell limits, and the cell limit.
struct Budget {
    text: usize,
    cells: usize,
    max_cells: usize,
}

fn unreadable(e: impl std::fmt::Display) -> SheetError {
    SheetError::Unreadable(e.to_string())
}

fn read_xlsx(bytes: &[u8], n: usize, budget: &mut Budget) -> Result<Vec<Sheet>, SheetError> {
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut out = Vec::new();
    for name in wb.sheet_names().into_iter().take(n) {
        let mut rd = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| SheetError::Unreadable(format!("worksheet \"{name}\": {e}")))?;
        let mut cells = Vec::new();
        while let Some(c) = rd
            .next_cell()
            .map_err(|e| SheetError::Unreadable(format!("worksheet \"{name}\": {e}")))?
        {
            let (r, col) = c.get_position();
            if r >= MAX_ROW || col >= MAX_COL {
                return Err(SheetError::BadReference(format!(
                    "row {} column {}",
                    r + 1,
                    col + 1
                )));
            }
            let t = cell_text(c.get_value());
            if !t.is_empty() {
                take(budget, t.len())?;
                cells.push((r, col, t));
            }
        }
        let text = sheet_text(cells, budget)?;
        out.push(Sheet { name, text });
    }
    Ok(out)
}

fn read_ods(bytes: &[u8], n: usize, budget: &mut Budget) -> Result<Vec<Sheet>, SheetError> {
    let mut wb: calamine::Ods<_> = calamine::Ods::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut out = Vec::new();
    for name in wb.sheet_names().into_iter().take(n) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| SheetError::Unreadable(format!("worksheet \"{name}\": {e}")))?;
        let mut cells = Vec::new();
        for (r, col, v) in range.used_cells() {
            let (r, col) = (
                range.start().map_or(0, |s| s.0) + r as u32,
                range.start().map_or(0, |s| s.1) + col as u32,
            );
            let t = data_text(v);
            if !t.is_empty() {
                take(budget, t.len())?;
                cells.push((r, col, t));
            }
        }
        let text = sheet_text(cells, budget)?;
        out.push(Sheet { name, text });
    }
    Ok(out)
}

/// One more cell of `len` bytes of text, within the budget.
fn take(budget: &mut Budget, len: usize) -> Result<(), SheetError> {
    if budget.cells == 0 {
        return Err(SheetError::TooLarge(format!(
            "its sheets have more than {} cells",
            thousands(budget.max_cells as u64)
        )));
    }
    budget.cells -= 1;
    budget.text = budget.text.checked_sub(len).ok_or_else(too_much_text)?;
    Ok(())
}

fn too_much_text() -> SheetError {
    SheetError::TooLarge("its sheets hold more text than can be read".into())
}

/// Cells (row, column, text) as lines from row 1, tab-separated from the leftmost column that
/// holds anything; the line breaks and tabs count against the text budget too.
fn sheet_text(
    mut cells: Vec<(u32, u32, String)>,
    budget: &mut Budget,
) -> Result<String, SheetError> {
    // Sheets list their cells in order; else a stable sort keeps the later of two at one place
    // after the earlier.
    if !cells
        .windows(2)
        .all(|w| (w[0].0, w[0].1) <= (w[1].0, w[1].1))
    {
        cells.sort_by_key(|c| (c.0, c.1));
    }
    let c0 = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let mut out = String::new();
    let mut at: Option<(u32, u32)> = None;
    for (k, (r, c, t)) in cells.iter().enumerate() {
        if cells.get(k + 1).is_some_and(|n| (n.0, n.1) == (*r, *c)) {
            continue; // the later of two cells at one place is kept
        }
        let (breaks, tabs) = match at {
            Some((pr, pc)) if pr == *r => (0, c - pc),
            Some((pr, _)) => (r - pr, c - c0),
            None => (*r, c - c0),
        };
        let (breaks, tabs) = (breaks as usize, tabs as usize);
        budget.text = budget
            .text
            .checked_sub(breaks + tabs + 1)
            .ok_or_else(too_much_text)?;
        out.reserve(breaks + tabs + t.len() + 1);
        out.extend(std::iter::repeat_n('\n', breaks));
        out.extend(std::iter::repeat_n('\t', tabs));
        out.push_str(t);
        at = Some((*r, *c));
    }
    if at.is_some() {
        out.push('\n');
    }
    Ok(out)
}

/// A cell's text (ODS cells through the same conversion as XLSX's).
fn data_text(c: &calamine::Data) -> String {
    use calamine::Data;
    let r = match c {
        Data::Empty => DataRef::Empty,
        Data::String(s) => DataRef::SharedString(s),
        Data::Float(f) => DataRef::Float(*f),
        Data::Int(i) => DataRef::Int(*i),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
    };
    cell_text(&r)
}

fn cell_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.replace(['\t', '\n', '\r'], " "),
        DataRef::SharedString(s) => s.replace(['\t', '\n', '\r'], " "),
        DataRef::Float(f) => format_float(*f),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => {
            let serial = dt.as_f64();
            match crate::parse::dates::excel_serial_to_days(serial)
                .and_then(crate::data::date::iso_from_days)
            {
                Some(iso) if dt.is_datetime() => iso,
                _ => format_float(serial),
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}
