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
    /// The period in words: "before treatment", "after injection 1", "before the index date",
    /// "whole course" (see `analysis::period_name`). Warnings and notes use it.
    pub name: Cow<'static, str>,
    /// Between two events, without a slope, and shorter than the patient's visit schedule (the
    /// median gap between visits): expected (two injections 26 days apart with monthly visits),
    /// so not a warning of the patient; one diagnostic counts these patients.
    pub shorter_than_schedule: bool,
    pub start: f64,
    pub end: f64,
    pub start_date: Option<IsoDate>,
    pub end_date: Option<IsoDate>,
    /// A u32 (beside `shorter_than_schedule`): the period is 224 bytes, not 232 (which the
    /// allocator rounds to 256); every result has at least one.
    pub n_visits: u32,
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

/// One patient's results for one measure: an entry of the JSON's `patients`. In JSON (and in the
/// page's binary form) every field is flat, as docs/schema.json lists them (written and read in
/// `analysis/entry.rs`); in memory the staging fields are one boxed part, absent for most
/// patients (no items, no onset, no baseline, no death), so that a million results stay small.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "super::entry::PatientEntry")]
pub struct PatientResult {
    pub id: Name,
    pub group: Name,
    pub measure: Measure,
    pub n_visits: usize,
    /// ΔFS at the first visit: (best − first score) / months since onset.
    pub delta_fs: Option<f64>,
    pub periods: Vec<Period>,
    /// Decline per month over the whole course (OLS of every visit of this measure, events or
    /// not; as R's `-coef(lm(score ~ t))["t"]`, +slope for the Appel score); null below 2 dates.
    /// The patient's rate in natural-history data (no events).
    pub course_rate: Option<f64>,
    /// Its standard error and 95% CI (R: `confint(lm(score ~ t))`, sign turned for a decline).
    pub course_rate_se: Option<f64>,
    pub course_rate_ci_low: Option<f64>,
    pub course_rate_ci_high: Option<f64>,
    pub pre_rate: Option<f64>,
    /// "lead-in" or "onset" (never "auto").
    pub pre_source: Option<crate::settings::PreSource>,
    pub post_rate: Option<f64>,
    /// pre_rate − post_rate (positive = slower decline after).
    pub change: Option<f64>,
    pub improvement_pct: Option<f64>,
    /// The pre-rate is closer to zero than `Settings::improvement_floor`: `improvement_pct` (and
    /// each period's) is still given but unreliable, and `responder` is null (neither responder
    /// nor non-responder; counted in `ResponderCount::n_unreliable`).
    pub improvement_unreliable: bool,
    /// One per period after the first: that period's % improvement against the pre-rate.
    pub period_improvement_pct: Box<[Option<f64>]>,
    pub responder: Option<bool>,
    /// Months of the first event on the patient's axis (null without events).
    pub first_event: Option<f64>,
    /// Why something is null: no event, no post data (death/dropout), zero pre-rate…
    pub notes: Vec<Cow<'static, str>>,
    pub warnings: Vec<Cow<'static, str>>,
    /// Some of this patient's input was skipped: an error diagnostic names the patient (a bad
    /// cell or row of theirs was left out), so the table can say so.
    pub lost_data: bool,
    /// Issue #23: the patient's ΔFS class, TRICALS profile, latest stages and death (the same on
    /// each of the patient's entries); None when all of them are null.
    pub staging: Option<Box<PatientStaging>>,
}

impl PatientResult {
    /// The staging fields (all null when there are none).
    pub fn staging(&self) -> &PatientStaging {
        static NONE: PatientStaging = PatientStaging::NONE;
        self.staging.as_deref().unwrap_or(&NONE)
    }

    /// The staging fields, to set one.
    pub fn staging_mut(&mut self) -> &mut PatientStaging {
        self.staging.get_or_insert_with(Box::default)
    }
}

/// A patient entry's staging fields (#23), boxed in [`PatientResult::staging`]; flat in JSON.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PatientStaging {
    /// ΔFS class at the first visit (from ALSFRS-R, `Settings::delta_fs_cutoffs`).
    pub delta_fs_class: Option<crate::staging::progression::ProgressionClass>,
    /// TRICALS risk profile, the linear predictor (Westeneng et al. 2018); null when not
    /// computable.
    pub tricals_lp: Option<f64>,
    /// Whether `tricals_lp` is in `Settings::tricals_window`.
    pub tricals_eligible: Option<bool>,
    /// The inputs missing (or unusable) when there is no LP; null when the data has no
    /// baseline column at all (the profile was not attempted).
    pub tricals_missing: Option<Box<[crate::staging::tricals::TricalsInput]>>,
    // The patient's latest stages and death (the same on each of the patient's
    // entries). The stages are null without a visit with ALSFRS-R items.
    /// King's stage at the latest staging: the last visit with items, or stage 5 at a dated death
    /// after it; null also when that visit's stage is undetermined (the reason says why).
    pub latest_kings: Option<crate::staging::kings::KingsStage>,
    /// The rule that fired (`StageEntry::kings_reason`; `5: death` at the death).
    pub latest_kings_reason: Option<Box<str>>,
    /// MiToS stage at the same time.
    pub latest_mitos: Option<crate::staging::mitos::MitosStage>,
    pub latest_mitos_reason: Option<Box<str>>,
    /// Months of the latest staging (that visit, or the death) from the patient's origin.
    pub latest_stage_t: Option<f64>,
    /// Months of the dated death from the patient's origin (null without a death date).
    pub death_t: Option<f64>,
}

impl PatientStaging {
    const NONE: PatientStaging = PatientStaging {
        delta_fs_class: None,
        tricals_lp: None,
        tricals_eligible: None,
        tricals_missing: None,
        latest_kings: None,
        latest_kings_reason: None,
        latest_mitos: None,
        latest_mitos_reason: None,
        latest_stage_t: None,
        death_t: None,
    };

    /// Every field null.
    pub fn is_none(&self) -> bool {
        *self == PatientStaging::NONE
    }
}

/// Counts for a status line such as "8 patients from 47 rows; 3 rows with errors (see
/// diagnostics)".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Distinct patients analysed (any measure).
    pub n_patients: usize,
    /// Data rows read (`input.n_rows`).
    pub n_rows: usize,
    /// Distinct input lines with an error diagnostic (a cell or the whole row skipped).
    pub n_rows_with_errors: usize,
    /// Patients with `lost_data`.
    pub n_patients_with_lost_data: usize,
    /// Diagnostics by severity.
    pub n_errors: usize,
    pub n_warnings: usize,
    pub n_info: usize,
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
    /// R: `kruskal.test(x, g)`: all groups at once, instead of the pairwise tests when there are
    /// more groups than `Settings::max_pairwise_groups`.
    KruskalWallis,
}

impl TestKind {
    pub const ALL: [TestKind; 6] = [
        TestKind::WilcoxonSignedRank,
        TestKind::PairedT,
        TestKind::MannWhitney,
        TestKind::WelchT,
        TestKind::Spearman,
        TestKind::KruskalWallis,
    ];
    /// The name in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            TestKind::WilcoxonSignedRank => "wilcoxon_signed_rank",
            TestKind::PairedT => "paired_t",
            TestKind::MannWhitney => "mann_whitney",
            TestKind::WelchT => "welch_t",
            TestKind::Spearman => "spearman",
            TestKind::KruskalWallis => "kruskal_wallis",
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
            TestKind::KruskalWallis => "Kruskal-Wallis",
        }
    }
    /// The test's name in a title: "Wilcoxon signed-rank test", "Welch t-test", …
    pub fn title(self) -> &'static str {
        match self {
            TestKind::WilcoxonSignedRank => "Wilcoxon signed-rank test",
            TestKind::PairedT => "paired t-test",
            TestKind::MannWhitney => "Mann-Whitney test",
            TestKind::WelchT => "Welch t-test",
            TestKind::Spearman => "Spearman correlation",
            TestKind::KruskalWallis => "Kruskal-Wallis test",
        }
    }
    /// The symbol of its statistic as R names it: V, t, W, ρ or H (R: "Kruskal-Wallis
    /// chi-squared").
    pub fn statistic_symbol(self) -> &'static str {
        match self {
            TestKind::WilcoxonSignedRank => "V",
            TestKind::PairedT | TestKind::WelchT => "t",
            TestKind::MannWhitney => "W",
            TestKind::Spearman => "ρ",
            TestKind::KruskalWallis => "H",
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
    /// Whole-course rates, between groups (natural history: when no patient has an event).
    CourseRate,
}

impl TestVariable {
    /// The name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TestVariable::PreVsPost => "pre_vs_post",
            TestVariable::PostRate => "post_rate",
            TestVariable::Change => "change",
            TestVariable::ImprovementVsInterval => "improvement_vs_interval",
            TestVariable::CourseRate => "course_rate",
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
    /// Whole-course rates (natural history: only when no patient has an event).
    CourseRate,
}

impl SummaryVariable {
    pub const ALL: [SummaryVariable; 5] = [
        SummaryVariable::PreRate,
        SummaryVariable::PostRate,
        SummaryVariable::Change,
        SummaryVariable::ImprovementPct,
        SummaryVariable::CourseRate,
    ];
    /// The name in JSON (the patient result's field it summarises).
    pub fn name(self) -> &'static str {
        match self {
            SummaryVariable::PreRate => "pre_rate",
            SummaryVariable::PostRate => "post_rate",
            SummaryVariable::Change => "change",
            SummaryVariable::ImprovementPct => "improvement_pct",
            SummaryVariable::CourseRate => "course_rate",
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
    /// Group name, "A vs B" between two groups, or "all groups" (Kruskal-Wallis).
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
    /// The test for people: "Before vs after, within MSC — Wilcoxon signed-rank test" (`method`
    /// keeps R's name).
    pub title: String,
    /// The direction of the effect in words ("slower decline after treatment", "MSC declines
    /// slower than Control after treatment"), from the medians (rank tests) or means (t-tests);
    /// null when the test was not computed or has no direction (Kruskal-Wallis).
    pub direction: Option<String>,
    /// Set when the test has little power: fewer than 6 values (pairs, or in the smaller group),
    /// a Spearman correlation on fewer than 4 points.
    pub power_note: Option<String>,
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
    /// Patients with a defined % improvement whose pre-rate is at or above the improvement floor
    /// (`Settings::improvement_floor`): responders and non-responders.
    pub n_evaluable: usize,
    /// Patients with a % improvement left out of the count because their pre-rate is below the
    /// floor (`PatientResult::improvement_unreliable`).
    pub n_unreliable: usize,
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
    /// Notes on the model fits as a whole, for the page's model section and the report: the D50
    /// model's conventions (where a choice is this tool's, not the authors' published rule), the
    /// bound on pairwise models with many groups.
    pub model_notes: Vec<String>,
    /// Kaplan–Meier per group and endpoint (#22; empty without endpoints in the data).
    pub survival: Vec<super::SurvivalEntry>,
    /// Log-rank and Cox between pairs of groups, per endpoint.
    pub survival_tests: Vec<super::SurvivalTestEntry>,
    /// CAFS between pairs of groups.
    pub cafs: Vec<super::CafsEntry>,
    /// Per group: deaths, and deaths before a post-treatment slope.
    pub slope_sensitivity: Vec<super::SlopeSensitivity>,
    /// In input order (line, then severity); `counts` has how many of each severity.
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
    /// Present when `include_series` is set.
    pub series: Vec<Series>,
    // Issue #23: staging (empty when no visit has ALSFRS-R items).
    /// King's and MiToS stage of every visit with items.
    pub stages: Vec<super::staging::StageEntry>,
    /// Per patient and staging system, months from onset and first event to each stage.
    pub stage_times: Vec<super::staging::StageTimes>,
    /// Per group and staging system, the stage mix at scheduled visits.
    pub stage_mix: Vec<super::staging::StageMixEntry>,
}
