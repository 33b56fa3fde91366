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

/// The test of a [`TestEntry`]; in JSON its snake_case name ("wilcoxon_signed_rank", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// R: `wilcox.test(x, y, paired = TRUE)`.
    WilcoxonSignedRank,
    /// R: `t.test(x, y, paired = TRUE)`.
    PairedT,
    /// R: `wilcox.test(x, y)`.
    MannWhitney,
    /// R: `t.test(x, y)`.
    WelchT,
    /// R: `cor.test(x, y, method = "spearman")`.
    Spearman,
}

impl TestKind {
    pub const ALL: [TestKind; 5] = [
        TestKind::WilcoxonSignedRank,
        TestKind::PairedT,
        TestKind::MannWhitney,
        TestKind::WelchT,
        TestKind::Spearman,
    ];
    /// The name in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            TestKind::WilcoxonSignedRank => "wilcoxon_signed_rank",
            TestKind::PairedT => "paired_t",
            TestKind::MannWhitney => "mann_whitney",
            TestKind::WelchT => "welch_t",
            TestKind::Spearman => "spearman",
        }
    }
    /// The test's name for people.
    pub fn label(self) -> &'static str {
        match self {
            TestKind::WilcoxonSignedRank => "Wilcoxon signed-rank",
            TestKind::PairedT => "paired t-test",
            TestKind::MannWhitney => "Mann-Whitney",
            TestKind::WelchT => "Welch t-test",
            TestKind::Spearman => "Spearman",
        }
    }
    /// The symbol of its statistic as R names it: V, t, W or ρ.
    pub fn statistic_symbol(self) -> &'static str {
        match self {
            TestKind::WilcoxonSignedRank => "V",
            TestKind::PairedT | TestKind::WelchT => "t",
            TestKind::MannWhitney => "W",
            TestKind::Spearman => "ρ",
        }
    }
}

/// What a [`TestEntry`] compares; in JSON its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestVariable {
    /// Pre-rate against post-rate, paired, within a group.
    PreVsPost,
    /// Post-rates, between groups.
    PostRate,
    /// Change (pre − post), between groups.
    Change,
    /// Each period's % improvement against its length, within a group.
    ImprovementVsInterval,
}

impl TestVariable {
    /// The name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TestVariable::PreVsPost => "pre_vs_post",
            TestVariable::PostRate => "post_rate",
            TestVariable::Change => "change",
            TestVariable::ImprovementVsInterval => "improvement_vs_interval",
        }
    }
}

/// What a [`Summary`] summarises; in JSON its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryVariable {
    PreRate,
    PostRate,
    Change,
    ImprovementPct,
}

impl SummaryVariable {
    pub const ALL: [SummaryVariable; 4] = [
        SummaryVariable::PreRate,
        SummaryVariable::PostRate,
        SummaryVariable::Change,
        SummaryVariable::ImprovementPct,
    ];
    /// The name in JSON (the patient result's field it summarises).
    pub fn name(self) -> &'static str {
        match self {
            SummaryVariable::PreRate => "pre_rate",
            SummaryVariable::PostRate => "post_rate",
            SummaryVariable::Change => "change",
            SummaryVariable::ImprovementPct => "improvement_pct",
        }
    }
}

/// The JSON names as text (padding and alignment as for `str`).
macro_rules! display_by_name {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.name())
            }
        }
    )*};
}
display_by_name!(TestKind, TestVariable, SummaryVariable);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestEntry {
    pub kind: TestKind,
    pub measure: Measure,
    /// Group name, or "A vs B" between groups.
    pub group: String,
    /// What was compared.
    pub variable: TestVariable,
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
    pub variable: SummaryVariable,
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
    /// Kaplan–Meier per group and endpoint (#22; empty without endpoints in the data).
    pub survival: Vec<super::SurvivalEntry>,
    /// Log-rank and Cox between pairs of groups, per endpoint.
    pub survival_tests: Vec<super::SurvivalTestEntry>,
    /// CAFS between pairs of groups.
    pub cafs: Vec<super::CafsEntry>,
    /// Per group: deaths, and deaths before a post-treatment slope.
    pub slope_sensitivity: Vec<super::SlopeSensitivity>,
    pub diagnostics: Vec<Diagnostic>,
    /// Present when `include_series` is set.
    pub series: Vec<Series>,
}
