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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub index: usize,
    pub header: String,
    /// Role name (e.g. "patient", "group", "date", "month", "alsfrs_r", "q1", "event", "onset",
    /// "visit:-3" for a wide visit column, "event_month" / "event_date" in wide layout), or "ignored".
    pub role: String,
}
