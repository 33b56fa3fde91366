//! The settings of an analysis: what to analyse and how (measures, month length, pre-rate
//! source, responder rule, layout and date reading, time origin, model fits). The ground floor of
//! the crate: parsing, the analysis, the models and the page all read them; this module imports
//! only the data model. Part of the JSON contract (the `settings` object of a result, see
//! docs/schema.json).

use crate::data::Measure;
use crate::staging::progression::DeltaFsCutoffs;
use crate::staging::tricals::EligibilityWindow;
use serde::{Deserialize, Serialize};
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
    /// Of an input of several tables (files, workbook sheets, pasted tables), read only the one
    /// with this name (case-insensitive); None: every table that holds data.
    pub sheet: Option<String>,
    /// The header's line (1-based) in the table read; None: found from the names (below title
    /// rows). For an input of several tables, with `sheet`.
    pub header_row: Option<usize>,
    // Staging, progression classes, risk profile and plausibility checks (issue #23).
    /// ΔFS cut-offs of the progression classes.
    pub delta_fs_cutoffs: DeltaFsCutoffs,
    /// The TRICALS risk profile's trial-eligibility window (LP, ends included).
    pub tricals_window: EligibilityWindow,
    /// What splits the patients into groups for the rates, tests, models and charts.
    pub group_by: GroupBy,
    /// Scheduled visits of the stage mix: every this many months from each patient's first
    /// visit (each patient staged by the nearest visit within half of it).
    pub stage_schedule_months: f64,
    /// Plausibility check: an ALSFRS-R total rising by at least this many points between
    /// consecutive visits.
    pub check_total_rise: f64,
    /// Plausibility check: FVC % predicted changing by more than this many points between
    /// consecutive visits.
    pub check_fvc_jump: f64,
}

/// What splits the patients into groups (a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The data's group column (one group "all" without one).
    #[default]
    Group,
    /// The ΔFS progression class at the first visit: slow, intermediate, fast, unclassified.
    DeltaFsClass,
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
            sheet: None,
            header_row: None,
            delta_fs_cutoffs: DeltaFsCutoffs::default(),
            tricals_window: EligibilityWindow::default(),
            group_by: GroupBy::Group,
            stage_schedule_months: 3.0,
            check_total_rise: 4.0,
            check_fvc_jump: 30.0,
        }
    }
}
