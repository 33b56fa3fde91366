//! Settings and result types of an analysis. These are the JSON contract (see docs/schema.json):
//! field names here are relied upon by scripts, the page and the charts.

use crate::data::{Measure, Name};
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Days in a month: 365.25 / 12.
pub const MONTH_DAYS: f64 = 365.25 / 12.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreSource {
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "lead-in")]
    LeadIn,
    #[serde(rename = "onset")]
    Onset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    Auto,
    Long,
    Wide,
}

/// Order of day and month in slash dates such as 03/04/2015.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    Dmy,
    Mdy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOrigin {
    FirstEvent,
    FirstVisit,
    Onset,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Measures to analyse; empty = every measure present in the data (or only the first of
    /// them with `first_measure_only`).
    pub measures: Vec<Measure>,
    /// With `measures` empty: analyse only the first measure present (ALSFRS-R before ALSFRS,
    /// FVC, Appel, subscores). The page uses it so a large paste is analysed once, not per measure.
    pub first_measure_only: bool,
    /// Days per month (default 365.25/12).
    pub month_days: f64,
    pub pre_source: PreSource,
    /// Responder: % improvement strictly above this.
    pub responder_pct: f64,
    /// Optional extra responder rule: absolute improvement (pre − post) ≥ this many units/month.
    pub responder_abs: Option<f64>,
    pub layout: Layout,
    /// Forced order for slash dates; `None` = decide per column from the values.
    pub date_order: Option<DateOrder>,
    /// Order used when a column's values cannot decide (every day and month ≤ 12).
    pub ambiguous_date_order: DateOrder,
    /// Zero of every time value in patient results and charts.
    pub time_origin: TimeOrigin,
    /// Column overrides: header (as written, case-insensitive) → role name, or "ignore".
    pub columns: BTreeMap<String, String>,
    /// Fit linear mixed models (per group and measure).
    pub mixed_models: bool,
    /// REML (true, default) or ML.
    pub reml: bool,
    /// Fit per-patient D50 models (needs onset dates).
    pub d50: bool,
    /// Include every patient's visits and events in the result (for charts).
    pub include_series: bool,
}

impl Settings {
    /// Days per month actually used: the setting when it is a finite number in
    /// [1e-3, 1e5] days, else 365.25/12 (a subnormal or absurd month length would make every
    /// time infinite).
    pub fn month_len(&self) -> f64 {
        if self.month_days.is_finite() && (1e-3..=1e5).contains(&self.month_days) {
            self.month_days
        } else {
            MONTH_DAYS
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            measures: Vec::new(),
            first_measure_only: false,
            month_days: MONTH_DAYS,
            pre_source: PreSource::Auto,
            responder_pct: 25.0,
            responder_abs: None,
            layout: Layout::Auto,
            date_order: None,
            ambiguous_date_order: DateOrder::Dmy,
            time_origin: TimeOrigin::FirstEvent,
            columns: BTreeMap::new(),
            mixed_models: true,
            reml: true,
            d50: true,
            include_series: false,
        }
    }
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

/// A calendar date held as days since 1970-01-01 and written as "yyyy-mm-dd" in JSON
/// (no allocation per date: a large cohort has hundreds of thousands of period bounds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsoDate(pub i64);

impl IsoDate {
    pub fn iso(self) -> String {
        crate::parse::dates::iso_from_days(self.0 as f64).unwrap_or_default()
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || serde::de::Error::custom(format!("not a yyyy-mm-dd date: {s}"));
        let mut it = s.split('-');
        let (y, m, dd) = (
            it.next().ok_or_else(bad)?,
            it.next().ok_or_else(bad)?,
            it.next().ok_or_else(bad)?,
        );
        let days = crate::parse::dates::days_from_civil(
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            dd.parse().map_err(|_| bad())?,
        )
        .ok_or_else(bad)?;
        Ok(IsoDate(days))
    }
}

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
