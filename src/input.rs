//! What parsing produces: the data ([`Parsed::dataset`]), how the input was read ([`InputInfo`],
//! part of the JSON contract) and what was wrong with it. Below `parse` (which fills it) and
//! `analysis` (which reads it), so the analysis needs nothing of the parser.

use crate::data::{Dataset, Measure};
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};

/// The result of parsing: the data, how it was read, and what was wrong with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parsed {
    pub dataset: Dataset,
    pub info: InputInfo,
    pub diagnostics: Vec<Diagnostic>,
}

/// How the input was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    /// "long" or "wide".
    pub layout: String,
    /// "tab", "comma" or "semicolon".
    pub delimiter: String,
    pub n_rows: usize,
    pub columns: Vec<ColumnInfo>,
    /// "dates" or "relative".
    pub time_axis: String,
    /// Date format detected, e.g. "dd/mm/yyyy".
    pub date_format: Option<String>,
    /// Every measure the data has scores for (the analysis may cover fewer: `measures`).
    #[serde(default)]
    pub measures_present: Vec<Measure>,
    /// The tables read, in input order: one for a single CSV, paste or sheet; several for several
    /// files, workbook sheets or pasted tables, joined on the patient id. `layout`, `delimiter`,
    /// `time_axis` and `date_format` above are those of the first table with visits.
    #[serde(default)]
    pub tables: Vec<TableInfo>,
}

impl InputInfo {
    /// The table a line counted over all tables (`Visit::line`, `Dated::line`) is in, and its
    /// line in that table: (index into `tables`, line). One table: (0, line).
    pub fn locate(&self, line: usize) -> (usize, usize) {
        let k = self
            .tables
            .partition_point(|t| t.line_offset < line)
            .saturating_sub(1);
        let off = self.tables.get(k).map_or(0, |t| t.line_offset);
        (k, line - off.min(line))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub index: usize,
    pub header: String,
    /// Role name (e.g. "patient", "group", "date", "month", "alsfrs_r", "q1", "event", "onset",
    /// "visit:-3" for a wide visit column, "event_month" / "event_date" in wide layout), or "ignored".
    pub role: String,
    /// The table the column is in (index into `InputInfo::tables`).
    #[serde(default)]
    pub table: usize,
}

/// What a table gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableUse {
    /// Visits (a time column and scores), possibly with events and patient facts.
    Visits,
    /// Facts per patient (death, onset, group, covariates) or events, without visits.
    Patients,
    /// Not used (no patient column, e.g. a cover sheet; or left out by the `sheet` setting);
    /// `note` says why.
    Skipped,
}

/// How one table was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    /// File or sheet name; None for a single pasted table.
    pub name: Option<String>,
    pub used: TableUse,
    /// Why the table was skipped, or how its header was found when not on its first line.
    pub note: Option<String>,
    /// 1-based line of the header in the table (the upper row of a two-row header); 0 when
    /// none was found.
    pub header_row: usize,
    /// Rows the header spans: 1, or 2 for a two-row header (names joined per column).
    pub header_rows: usize,
    /// Data rows.
    pub n_rows: usize,
    /// "long" or "wide".
    pub layout: String,
    /// "tab", "comma" or "semicolon".
    pub delimiter: String,
    /// Date format detected in this table, e.g. "dd/mm/yyyy".
    pub date_format: Option<String>,
    /// Lines of the tables before this one: a line counted over all tables (`Visit::line`) minus
    /// this is the line in this table.
    pub line_offset: usize,
}
