//! Result types of an analysis. These are the JSON contract (see docs/schema.json): field names
//! here are relied upon by scripts, the page and the charts.

use crate::data::date::IsoDate;
use crate::data::{Measure, Name};
use crate::diag::Diagnostic;
use crate::input::InputInfo;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One period between events, for one patient and measure. Times are months from the
/// patient's time origin (see `Settings::time_origin`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub index: usize,
    pub start: f64,
    pub end: f64,
    pub start_date: Option<IsoDate>,
    pub end_date: Option<IsoDate>,
    pub n_visits: usize,
    /// Score units per month (OLS); null with < 2 distinct times.
    pub slope: Option<f64>,
    pub slope_se: Option<f64>,
    pub slope_ci_low: Option<f64>,
    pub slope_ci_high: Option<f64>,
    /// OLS intercept at time 0 of the patient's axis (for drawing the fitted segment).
    pub intercept: Option<f64>,
    /// Decline per month (−slope, or +slope for the Appel score).
    pub rate: Option<f64>,
    /// Label of the event that opens this period (null for period 0).
    pub event: Option<Name>,
    pub warning: Option<Cow<'static, str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatientResult {
    pub id: Name,
    pub group: Name,
    pub measure: Measure,
    pub n_visits: usize,
    /// ΔFS at the first visit: (best − first score) / months since onset.
    pub delta_fs: Option<f64>,
    pub periods: Vec<Period>,
    pub pre_rate: Option<f64>,
    /// "lead-in" or "onset" (borrowed: no allocation per result).
    pub pre_source: Option<std::borrow::Cow<'static, str>>,
    pub post_rate: Option<f64>,
    /// pre_rate − post_rate (positive = slower decline after).
    pub change: Option<f64>,
    pub improvement_pct: Option<f64>,
    /// One per period after the first: that period's % improvement against the pre-rate.
    pub period_improvement_pct: Vec<Option<f64>>,
    pub responder: Option<bool>,
    /// Months of the first event on the patient's axis (null without events).
    pub first_event: Option<f64>,
    /// Why something is null: no event, no post data (death/dropout), zero pre-rate…
    pub notes: Vec<Cow<'static, str>>,
    pub warnings: Vec<Cow<'static, str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestEntry {
    /// wilcoxon_signed_rank, paired_t, mann_whitney, welch_t, spearman
    pub kind: String,
    pub measure: Measure,
    /// Group name, or "A vs B" between groups.
    pub group: String,
    /// What was compared: "pre_vs_post", "post_rate", "change", "improvement_vs_interval".
    pub variable: String,
    pub n: usize,
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    /// As R names it, plus whether exact or approximate.
    pub method: String,
    /// Mean difference (t-tests) or ρ (Spearman); null otherwise.
    pub estimate: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub measure: Measure,
    pub group: String,
    /// pre_rate, post_rate, change, improvement_pct
    pub variable: String,
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponderCount {
    pub measure: Measure,
    pub group: String,
    /// Patients with a defined % improvement.
    pub n_evaluable: usize,
    pub responders: usize,
    pub proportion: Option<f64>,
    pub threshold_pct: f64,
    pub threshold_abs: Option<f64>,
}

/// Visits and events of one patient on its time axis (months), for charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub id: Name,
    pub group: Name,
    /// What t = 0 is for this patient: "first_event", "first_visit" or "onset".
    pub origin: String,
    pub onset: Option<f64>,
    pub events: Vec<SeriesEvent>,
    pub visits: Vec<SeriesVisit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesEvent {
    pub t: f64,
    pub label: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesVisit {
    pub t: f64,
    pub line: usize,
    /// measure → score
    pub scores: crate::data::Scores,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub settings: Settings,
    pub input: InputInfo,
    /// Measures analysed, in order.
    pub measures: Vec<Measure>,
    pub groups: Vec<String>,
    pub patients: Vec<PatientResult>,
    pub summaries: Vec<Summary>,
    pub responders: Vec<ResponderCount>,
    pub tests: Vec<TestEntry>,
    pub mixed_models: Vec<crate::models::MixedModelEntry>,
    pub d50: Vec<crate::models::D50Entry>,
    pub diagnostics: Vec<Diagnostic>,
    /// Present when `include_series` is set.
    pub series: Vec<Series>,
}
