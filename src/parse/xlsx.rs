//! XLSX (and XLS/ODS) reading with calamine: every worksheet becomes tab-separated text, which
//! then goes through the same parser as pasted text (so line numbers match the sheet's rows). A
//! workbook of several sheets becomes one text of several tables (`#table: SHEET` before each,
//! see `parse::tables`): the parser reads the sheets that hold data and says which.

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::Cursor;

/// The workbook as text: its one non-empty sheet, or each non-empty sheet after a
/// `#table: NAME` line. Dates become ISO dates; tabs and newlines inside cells become spaces.
pub fn xlsx_to_text(bytes: &[u8]) -> Result<String, String> {
    let sheets = xlsx_sheets(bytes)?;
    match &sheets[..] {
        [] => Err("the spreadsheet has no worksheet with cells".to_string()),
        [(_, text)] => Ok(text.clone()),
        _ => {
            let named: Vec<(&str, &str)> = sheets
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            Ok(crate::parse::tables::join(&named))
        }
    }
}

/// Every worksheet with cells, as (name, tab-separated text), in the workbook's order.
pub fn xlsx_sheets(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("could not read the spreadsheet: {e}"))?;
    let names = wb.sheet_names().to_vec();
    if names.is_empty() {
        return Err("the spreadsheet has no worksheet".to_string());
    }
    let mut out = Vec::new();
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("could not read worksheet \"{name}\": {e}"))?;
        let text = sheet_text(&range);
        if !text.trim().is_empty() {
            out.push((name, text));
        }
    }
    Ok(out)
}

fn sheet_text(range: &calamine::Range<Data>) -> String {
    let mut out = String::new();
    // Keep the sheet's row numbers: rows above the used range become blank lines.
    let (r0, _) = range.start().unwrap_or((0, 0));
    for _ in 0..r0 {
        out.push('\n');
    }
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        out.push_str(cells.join("\t").trim_end_matches('\t'));
        out.push('\n');
    }
    out
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\t', '\n', '\r'], " "),
        Data::Float(f) => format_float(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            match crate::parse::dates::excel_serial_to_days(serial)
                .and_then(crate::data::date::iso_from_days)
            {
                Some(iso) if dt.is_datetime() => iso,
                _ => format_float(serial),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}
