//! Survival endpoints of a dataset (issue #22): per group and endpoint the Kaplan–Meier curve,
//! log-rank and Cox tests and CAFS between pairs of groups, and the slope-sensitivity counts.
//! The statistics are `crate::survival`'s; this file turns patients into their (time, event)
//! observations and CAFS inputs:
//!
//! * **time origin**: the analysis's (`Settings::time_origin`, [`origin`]); times in months
//!   (`Settings::month_len`);
//! * **endpoint day**: `death` — the death date; `death_or_ventilation` — the earliest of the
//!   death, tracheostomy and permanent-ventilation dates;
//! * **censoring day** (no endpoint): last known alive, the later of `last_contact` and the last
//!   visit;
//! * a patient is left out of an endpoint (counted in a diagnostic) when the time cannot be known:
//!   died without a date, no visit and no last contact, or a time before the origin.
//!
//! An endpoint is reported when some patient reaches it: `death` when a patient has a death
//! date, `death_or_ventilation` when a patient has a tracheostomy or ventilation date (without
//! those it would repeat `death`). A data set without endpoints gives empty lists.
//!
//! CAFS uses the death endpoint and ALSFRS-R (ALSFRS when the data has no ALSFRS-R); a patient's
//! change is from the baseline: the last visit on or before the time origin, else the first
//! visit. Patients without a score of that measure are left out of CAFS.

use super::{origin, PatientResult};
use crate::data::{Clinical, Dataset, Measure, Patient};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::settings::Settings;
use crate::survival::{
    self as surv, CafsPatient, KmPoint, Obs, SurvError, TestKind as SurvTestKind, Visit,
};
use serde::{Deserialize, Serialize};

/// At most this many groups are compared pairwise (45 pairs); more are listed in a diagnostic.
pub const MAX_PAIR_GROUPS: usize = 10;

/// A time-to-event endpoint; in JSON its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Death,
    /// Death, tracheostomy or permanent assisted ventilation, whichever comes first.
    DeathOrVentilation,
}

impl Endpoint {
    pub const ALL: [Endpoint; 2] = [Endpoint::Death, Endpoint::DeathOrVentilation];
    /// The name in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Death => "death",
            Endpoint::DeathOrVentilation => "death_or_ventilation",
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Endpoint::Death => "death",
            Endpoint::DeathOrVentilation => "death or permanent ventilation",
        }
    }
    /// The day this endpoint was reached, if it was and the day is known.
    fn day(self, c: &Clinical) -> Option<f64> {
        let d = c.death.map(|d| d.day);
        match self {
            Endpoint::Death => d,
            Endpoint::DeathOrVentilation => [
                d,
                c.tracheostomy.map(|x| x.day),
                c.ventilation.map(|x| x.day),
            ]
            .into_iter()
            .flatten()
            .reduce(f64::min),
        }
    }
}

/// One group's Kaplan–Meier estimate for one endpoint (R: `survfit(Surv(time, status) ~ group)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalEntry {
    pub group: String,
    pub endpoint: Endpoint,
    pub n: usize,
    pub events: usize,
    /// Median survival (months) and its 95% CI; null when not reached.
    pub median_months: Option<f64>,
    pub median_ci_low: Option<f64>,
    pub median_ci_high: Option<f64>,
    /// One row at each event or censoring time.
    pub curve: Vec<KmPoint>,
}

/// A log-rank test (`survdiff`) or a Cox model of the group (`coxph`, Efron ties) between two
/// groups, for one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalTestEntry {
    pub kind: SurvTestKind,
    pub endpoint: Endpoint,
    /// "A vs B": B's hazard relative to A's.
    pub groups: String,
    pub n: usize,
    pub statistic: Option<f64>,
    pub df: usize,
    pub p_value: Option<f64>,
    pub hazard_ratio: Option<f64>,
    pub hr_ci_low: Option<f64>,
    pub hr_ci_high: Option<f64>,
    pub note: Option<String>,
}

/// One patient's CAFS score and rank (1 = worst, ties averaged) within a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CafsPatientEntry {
    pub id: crate::data::Name,
    pub group: crate::data::Name,
    pub score: i64,
    pub rank: f64,
}

/// CAFS between two groups: scores, the groups' means, and `wilcox.test` of the scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CafsEntry {
    /// "A vs B": `mean_score_a` is A's.
    pub groups: String,
    /// The function measure (ALSFRS-R, or ALSFRS).
    pub measure: Measure,
    pub n: usize,
    pub mean_score_a: f64,
    pub mean_score_b: f64,
    /// Mann-Whitney W of A's scores vs B's, and its two-sided p.
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    /// How the scores and the test were made.
    pub method: String,
    pub note: Option<String>,
    pub patients: Vec<CafsPatientEntry>,
}

/// Per group: how many patients died, and how many of those died before their post-treatment
/// period had 2 visits on different dates (no post-rate because of death).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlopeSensitivity {
    pub group: String,
    pub measure: Measure,
    /// Patients of the group with results for `measure`.
    pub n: usize,
    pub died: usize,
    pub died_before_post_slope: usize,
}

/// Everything this step adds to an `Analysis`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcomes {
    pub survival: Vec<SurvivalEntry>,
    pub survival_tests: Vec<SurvivalTestEntry>,
    pub cafs: Vec<CafsEntry>,
    pub slope_sensitivity: Vec<SlopeSensitivity>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a patient has no observation for an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    DiedWithoutDate,
    NoFollowUp,
    BeforeOrigin,
}

fn died(c: Option<&Clinical>) -> bool {
    c.is_some_and(|c| c.death.is_some() || c.died == Some(true))
}

/// Last known alive (day): the later of `last_contact` and the last visit.
fn last_alive(p: &Patient) -> Option<f64> {
    let lc = p
        .clinical
        .as_ref()
        .and_then(|c| c.last_contact)
        .map(|d| d.day);
    let lv = p.visits.iter().map(|v| v.day).reduce(f64::max);
    match (lc, lv) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// A patient's observation for an endpoint: months from the origin to the endpoint, or to the
/// last day known alive.
fn observe(p: &Patient, e: Endpoint, s: &Settings) -> Result<Obs, Skip> {
    let c = p.clinical.as_deref();
    let (day, event) = match c.and_then(|c| e.day(c)) {
        Some(d) => (d, true),
        None if c.is_some_and(|c| c.died == Some(true)) => return Err(Skip::DiedWithoutDate),
        None => (last_alive(p).ok_or(Skip::NoFollowUp)?, false),
    };
    let t = (day - origin(p, s).0) / s.month_len();
    if !t.is_finite() || t < 0.0 {
        return Err(Skip::BeforeOrigin);
    }
    Ok(Obs::new(t, event))
}

/// The survival outcomes of a dataset. `groups` in order of first appearance (`groups_of`);
/// `results` the per-patient results (for the slope-sensitivity counts of `primary`).
pub fn outcomes(
    ds: &Dataset,
    s: &Settings,
    groups: &[String],
    results: &[PatientResult],
    primary: Option<Measure>,
) -> Outcomes {
    let mut out = Outcomes::default();
    let has = |f: fn(&Clinical) -> bool| {
        ds.patients
            .iter()
            .any(|p| p.clinical.as_deref().is_some_and(f))
    };
    let endpoints: Vec<Endpoint> = Endpoint::ALL
        .into_iter()
        .filter(|e| match e {
            Endpoint::Death => has(|c| c.death.is_some()),
            Endpoint::DeathOrVentilation => {
                has(|c| c.tracheostomy.is_some() || c.ventilation.is_some())
            }
        })
        .collect();
    if endpoints.is_empty() {
        // Deaths known only as a vital status: no times, so no curves; say so.
        let undated = ds
            .patients
            .iter()
            .filter(|p| p.clinical.as_deref().is_some_and(|c| c.died == Some(true)))
            .count();
        if undated > 0 {
            out.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                DiagKind::Endpoint,
                format!(
                    "{undated} patient(s) died without a date of death: no survival analysis \
                     (it needs the dates)"
                ),
            ));
            if let Some(m) = primary {
                out.slope_sensitivity = sensitivity(ds, groups, results, m);
            }
        }
        return out;
    }
    let gi = |p: &Patient| groups.iter().position(|g| **g == *p.group);
    let paired = groups.len().min(MAX_PAIR_GROUPS);
    if groups.len() > MAX_PAIR_GROUPS {
        out.diagnostics.push(Diagnostic::new(
            Severity::Info,
            DiagKind::Endpoint,
            format!(
                "{} groups: the survival tests and CAFS compare the first {MAX_PAIR_GROUPS} pairwise",
                groups.len()
            ),
        ));
    }
    for &e in &endpoints {
        let mut obs: Vec<Vec<Obs>> = vec![Vec::new(); groups.len()];
        let mut skipped = [0usize; 3];
        for p in &ds.patients {
            match (gi(p), observe(p, e, s)) {
                (Some(g), Ok(o)) => obs[g].push(o),
                (_, Err(k)) => skipped[k as usize] += 1,
                (None, _) => {}
            }
        }
        for (k, why) in [
            "died without a date of death",
            "no visit and no last contact",
            "the endpoint or last contact before the time origin",
        ]
        .iter()
        .enumerate()
        {
            if skipped[k] > 0 {
                out.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    DiagKind::Endpoint,
                    format!(
                        "{} patient(s) left out of the survival analysis ({}): {why}",
                        skipped[k],
                        e.name()
                    ),
                ));
            }
        }
        // Kaplan–Meier over the groups with patients (near-tie merging over their pooled times,
        // as R's survfit with a group factor).
        let present: Vec<usize> = (0..groups.len()).filter(|&g| !obs[g].is_empty()).collect();
        let slices: Vec<&[Obs]> = present.iter().map(|&g| obs[g].as_slice()).collect();
        if let Ok(curves) = surv::kaplan_meier_groups(&slices) {
            for (&g, km) in present.iter().zip(curves) {
                out.survival.push(SurvivalEntry {
                    group: groups[g].clone(),
                    endpoint: e,
                    n: km.n,
                    events: km.events,
                    median_months: km.median_months,
                    median_ci_low: km.median_ci_low,
                    median_ci_high: km.median_ci_high,
                    curve: km.curve,
                });
            }
        }
        for i in 0..paired {
            for j in i + 1..paired {
                let (a, b) = (&obs[i], &obs[j]);
                if a.is_empty() || b.is_empty() {
                    continue;
                }
                let name = format!("{} vs {}", groups[i], groups[j]);
                let pair: [&[Obs]; 2] = [a, b];
                let n = a.len() + b.len();
                let row = |t: Result<surv::SurvivalTest, SurvError>, kind| match t {
                    Ok(t) => SurvivalTestEntry {
                        kind: t.kind,
                        endpoint: e,
                        groups: name.clone(),
                        n,
                        statistic: t.statistic,
                        df: t.df,
                        p_value: t.p_value,
                        hazard_ratio: t.hazard_ratio,
                        hr_ci_low: t.hr_ci_low,
                        hr_ci_high: t.hr_ci_high,
                        note: t.note,
                    },
                    Err(err) => SurvivalTestEntry {
                        kind,
                        endpoint: e,
                        groups: name.clone(),
                        n,
                        statistic: None,
                        df: 0,
                        p_value: None,
                        hazard_ratio: None,
                        hr_ci_low: None,
                        hr_ci_high: None,
                        note: Some(err.to_string()),
                    },
                };
                out.survival_tests.push(row(
                    surv::log_rank(&pair).map(|r| r.to_test()),
                    SurvTestKind::LogRank,
                ));
                out.survival_tests.push(row(
                    surv::cox_efron(&pair).map(|r| r.to_test()),
                    SurvTestKind::Cox,
                ));
            }
        }
    }
    if endpoints.contains(&Endpoint::Death) {
        out.cafs = cafs_pairs(ds, s, groups, paired, &mut out.diagnostics);
    }
    if let Some(m) = primary {
        out.slope_sensitivity = sensitivity(ds, groups, results, m);
    }
    out
}

/// Whether any patient has an endpoint (a death, tracheostomy or ventilation date, or died): the
/// page computes the survival outcomes (in its extras module) only then.
pub fn has_endpoints(ds: &Dataset) -> bool {
    ds.patients.iter().any(|p| {
        p.clinical.as_deref().is_some_and(|c| {
            c.death.is_some()
                || c.tracheostomy.is_some()
                || c.ventilation.is_some()
                || c.died == Some(true)
        })
    })
}

/// The CAFS measure: ALSFRS-R, or ALSFRS when the data has no ALSFRS-R.
pub fn cafs_measure(ds: &Dataset) -> Option<Measure> {
    [Measure::AlsfrsR, Measure::Alsfrs]
        .into_iter()
        .find(|m| ds.measures.contains(m))
}

/// A patient's CAFS input (death endpoint; changes of `m` from baseline), or None when it has
/// no score of `m` or no death/follow-up time.
fn cafs_patient(p: &Patient, s: &Settings, m: Measure, group: usize) -> Option<CafsPatient> {
    let o = observe(p, Endpoint::Death, s).ok()?;
    let (t0, _) = origin(p, s);
    let md = s.month_len();
    let scored: Vec<(f64, f64)> = p
        .visits
        .iter()
        .filter_map(|v| v.scores.get(m.index()).map(|x| ((v.day - t0) / md, x)))
        .collect();
    // Baseline: the last visit on or before the origin, else the first (visits are in time order).
    let base = scored
        .iter()
        .rev()
        .find(|(t, _)| *t <= 0.0)
        .or(scored.first())?
        .1;
    let mut visits: Vec<Visit> = Vec::with_capacity(scored.len());
    for &(t, x) in &scored {
        if t > o.time {
            break; // a visit after death (the parser reported it)
        }
        let change = if m.higher_is_worse() {
            base - x
        } else {
            x - base
        };
        match visits.last_mut() {
            Some(last) if last.t == t => last.change = change,
            _ => visits.push(Visit { t, change }),
        }
    }
    Some(CafsPatient {
        group,
        died: o.event,
        time: o.time,
        visits,
    })
}

fn cafs_pairs(
    ds: &Dataset,
    s: &Settings,
    groups: &[String],
    paired: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<CafsEntry> {
    let Some(m) = cafs_measure(ds) else {
        diags.push(Diagnostic::new(
            Severity::Info,
            DiagKind::Endpoint,
            "no CAFS: it needs ALSFRS-R (or ALSFRS) scores".to_string(),
        ));
        return Vec::new();
    };
    // Each patient's input once, by group.
    let mut by_group: Vec<Vec<(&Patient, CafsPatient)>> = vec![Vec::new(); paired];
    for p in &ds.patients {
        if let Some(g) = groups[..paired].iter().position(|g| **g == *p.group) {
            if let Some(c) = cafs_patient(p, s, m, g) {
                by_group[g].push((p, c));
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..paired {
        for j in i + 1..paired {
            if by_group[i].is_empty() || by_group[j].is_empty() {
                continue;
            }
            let members: Vec<&(&Patient, CafsPatient)> =
                by_group[i].iter().chain(&by_group[j]).collect();
            let input: Vec<CafsPatient> = members
                .iter()
                .map(|(_, c)| CafsPatient {
                    group: usize::from(c.group == j),
                    ..c.clone()
                })
                .collect();
            let name = format!("{} vs {}", groups[i], groups[j]);
            match surv::cafs(&input) {
                Ok(r) => out.push(CafsEntry {
                    groups: name,
                    measure: m,
                    n: r.n,
                    mean_score_a: r.mean_score_a,
                    mean_score_b: r.mean_score_b,
                    statistic: r.statistic,
                    p_value: r.p_value,
                    method: format!(
                        "CAFS (Berry et al. 2013): death, then the change in {} from baseline \
                         (the last visit on or before the time origin, else the first visit); \
                         scores compared by {}",
                        m.label(),
                        r.method.as_deref().unwrap_or("the Wilcoxon rank sum test")
                    ),
                    note: r.note,
                    patients: r
                        .patients
                        .iter()
                        .map(|ps| CafsPatientEntry {
                            id: members[ps.index].0.id.clone(),
                            group: members[ps.index].0.group.clone(),
                            score: ps.score,
                            rank: ps.rank,
                        })
                        .collect(),
                }),
                Err(e) => diags.push(Diagnostic::new(
                    Severity::Warning,
                    DiagKind::Endpoint,
                    format!("no CAFS for {name}: {e}"),
                )),
            }
        }
    }
    out
}

/// Per group: deaths, and deaths of treated patients without a post-rate of `m`.
fn sensitivity(
    ds: &Dataset,
    groups: &[String],
    results: &[PatientResult],
    m: Measure,
) -> Vec<SlopeSensitivity> {
    let mut rows: Vec<SlopeSensitivity> = groups
        .iter()
        .map(|g| SlopeSensitivity {
            group: g.clone(),
            measure: m,
            n: 0,
            died: 0,
            died_before_post_slope: 0,
        })
        .collect();
    // Results of `m` are in the dataset's patient order (a patient without scores of `m` has
    // none): match them by id, walking both lists once.
    let mut rs = results.iter().filter(|r| r.measure == m).peekable();
    for p in &ds.patients {
        let Some(r) = rs.next_if(|r| r.id == p.id) else {
            continue;
        };
        let Some(row) = rows.iter_mut().find(|row| *row.group == *p.group) else {
            continue;
        };
        row.n += 1;
        if died(p.clinical.as_deref()) {
            row.died += 1;
            if r.first_event.is_some() && r.post_rate.is_none() {
                row.died_before_post_slope += 1;
            }
        }
    }
    rows
}
