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

impl PreSource {
    /// The name in JSON, CSV and text (`"lead-in"`).
    pub fn as_str(self) -> &'static str {
        match self {
            PreSource::Auto => "auto",
            PreSource::LeadIn => "lead-in",
            PreSource::Onset => "onset",
        }
    }
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
    /// A pre-rate closer to zero than this (units/month, default 0.1) makes % improvement
    /// unreliable: it is still computed, but flagged (`PatientResult::improvement_unreliable`)
    /// and the patient is not classed as responder or non-responder.
    pub improvement_floor: f64,
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
    /// Add symptom onset (48 points at t = 0) to each D50 fit as a data point (default: no, the
    /// visits only; see `models::d50`).
    pub d50_onset_point: bool,
    /// Compare every pair of groups (tests, mixed models) only up to this many groups (default
    /// 10); with more, one Kruskal–Wallis test across all groups per variable and no pairwise
    /// models, with a note.
    pub max_pairwise_groups: usize,
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

/// A setting an analysis cannot use as given: which (its key in the settings' JSON; a column
/// override as `columns.HEADER`) and why. The command line and the page refuse such settings
/// rather than use something else and echo what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub setting: String,
    pub message: String,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "setting {}: {}", self.setting, self.message)
    }
}

impl std::error::Error for SettingError {}

/// The month lengths an analysis uses as given, in days (outside: [`Settings::month_len`] falls
/// back to the default, and [`Settings::check`] refuses them).
pub const MONTH_DAYS_RANGE: std::ops::RangeInclusive<f64> = 1e-3..=1e5;

impl Settings {
    /// Every number is one the analysis uses as given: `month_days` within
    /// [`MONTH_DAYS_RANGE`], the responder thresholds finite. (Column overrides' role names are
    /// checked by `parse::check_settings`, which knows them.)
    pub fn check(&self) -> Result<(), SettingError> {
        let err = |setting: &str, message: String| {
            Err(SettingError {
                setting: setting.into(),
                message,
            })
        };
        if !(self.month_days.is_finite() && MONTH_DAYS_RANGE.contains(&self.month_days)) {
            return err(
                "month_days",
                format!(
                    "must be from 0.001 to 100000 days (default 30.4375), not {}",
                    self.month_days
                ),
            );
        }
        if !self.responder_pct.is_finite() {
            return err("responder_pct", "must be a finite number".into());
        }
        if self.responder_abs.is_some_and(|x| !x.is_finite()) {
            return err("responder_abs", "must be a finite number".into());
        }
        Ok(())
    }

    /// The same settings with each measure listed once (in the order first listed): a measure
    /// asked for twice is analysed once.
    pub fn normalized(mut self) -> Self {
        let mut seen = Vec::with_capacity(self.measures.len());
        self.measures.retain(|m| {
            let new = !seen.contains(m);
            seen.push(*m);
            new
        });
        self
    }

    /// Days per month actually used: the setting when it is a finite number in
    /// [1e-3, 1e5] days, else 365.25/12 (a subnormal or absurd month length would make every
    /// time infinite).
    pub fn month_len(&self) -> f64 {
        if self.month_days.is_finite() && MONTH_DAYS_RANGE.contains(&self.month_days) {
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
            improvement_floor: 0.1,
            layout: Layout::Auto,
            date_order: None,
            ambiguous_date_order: DateOrder::Dmy,
            time_origin: TimeOrigin::FirstEvent,
            columns: BTreeMap::new(),
            mixed_models: true,
            reml: true,
            d50: true,
            d50_onset_point: false,
            max_pairwise_groups: 10,
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
