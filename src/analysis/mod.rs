//! Analysis: periods and rates per patient and measure, pre vs post, responders and group
//! statistics. Pure: parsed data in, results out. The model fits (`models`) are added by
//! `pipeline`, which runs parse → analysis → models.

mod groups;
mod patient;
pub mod survival;
mod types;

pub use patient::{analyze_patient, origin, NoPostRate, ZERO_RATE};
pub use survival::{
    CafsEntry, CafsPatientEntry, Endpoint, SlopeSensitivity, SurvivalEntry, SurvivalTestEntry,
};
pub use types::*;

use crate::data::{Dataset, Measure};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::input::Parsed;
use crate::settings::Settings;

/// Groups in order of first appearance.
pub fn groups_of(ds: &Dataset) -> Vec<String> {
    let mut gs: Vec<String> = Vec::new();
    for p in &ds.patients {
        if !gs.iter().any(|g| **g == *p.group) {
            gs.push(p.group.to_string());
        }
    }
    gs
}

/// Analyse parsed data: everything but the model fits (`mixed_models` and `d50` are empty;
/// `pipeline::analyze` adds them).
pub fn analyze(parsed: &Parsed, settings: &Settings) -> Analysis {
    let ds = &parsed.dataset;
    let mut diagnostics = parsed.diagnostics.clone();
    let mut measures: Vec<Measure> = if settings.measures.is_empty() {
        let n = if settings.first_measure_only {
            1
        } else {
            ds.measures.len()
        };
        ds.measures.iter().copied().take(n).collect()
    } else {
        settings
            .measures
            .iter()
            .copied()
            .filter(|m| ds.measures.contains(m))
            .collect()
    };
    for m in &settings.measures {
        if !ds.measures.contains(m) {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                DiagKind::Layout,
                format!(
                    "measure {} was asked for but the data has no {} scores",
                    m.name(),
                    m.name()
                ),
            ));
        }
    }
    // None of the measures asked for is in the data: analyse the first one that is (each
    // result names its measure), rather than nothing.
    if measures.is_empty() && !settings.measures.is_empty() {
        if let Some(&first) = ds.measures.first() {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                DiagKind::Layout,
                format!(
                    "analysed {} instead, the first measure the data has",
                    first.name()
                ),
            ));
            measures.push(first);
        }
    }
    let groups = groups_of(ds);

    // On all cores, a range of patients each, every measure in one go (one start and join of
    // the threads, not one per measure); buffers reused from one patient to the next. Each
    // thread's results are moved once, into the list, in (measure, patient) order.
    let parts = crate::par::chunked(ds.patients.len(), 500, |rg| {
        let mut scratch = patient::Scratch::default();
        measures
            .iter()
            .map(|&m| {
                // The results, and for those without a post-rate why (for the diagnostics), by
                // position among them.
                let mut out = Vec::with_capacity(rg.len());
                let mut why = Vec::new();
                for p in &ds.patients[rg.clone()] {
                    let r =
                        patient::analyze_patient_with(p, m, ds.time_axis, settings, &mut scratch);
                    if let Some((r, w)) = r {
                        if let Some(w) = w {
                            why.push((out.len(), w));
                        }
                        out.push(r);
                    }
                }
                (out, why)
            })
            .collect::<Vec<_>>()
    });
    let mut patients = Vec::with_capacity(ds.patients.len() * measures.len());
    // (index in `patients`, why it has no post-rate), by index.
    let mut no_post_rate: Vec<(usize, NoPostRate)> = Vec::new();
    let mut parts: Vec<_> = parts.into_iter().map(Vec::into_iter).collect();
    for _ in &measures {
        for part in &mut parts {
            let (out, why) = part.next().unwrap_or_default();
            let at = patients.len();
            no_post_rate.extend(why.into_iter().map(|(i, w)| (at + i, w)));
            patients.extend(out);
        }
    }
    // Patient-level diagnostics for the first (primary) measure only, to keep the list readable.
    if let Some(&m0) = measures.first() {
        let primary = patients.iter().enumerate().filter(|(_, r)| r.measure == m0);
        for ((i, r), p) in primary.zip(
            ds.patients
                .iter()
                .filter(|p| p.visits.iter().any(|v| v.scores.get(m0.index()).is_some())),
        ) {
            let d =
                |kind, sev, msg: String| Diagnostic::new(sev, kind, msg).at(p.line).patient(&*p.id);
            if p.events.is_empty() {
                diagnostics.push(d(
                    DiagKind::NoEvent,
                    Severity::Info,
                    format!(
                        "patient {} has no event (injection/treatment/index date): no pre vs post",
                        p.id
                    ),
                ));
            } else if r.post_rate.is_none() {
                let why = no_post_rate
                    .binary_search_by_key(&i, |&(j, _)| j)
                    .map(|k| no_post_rate[k].1.note())
                    .unwrap_or_default();
                diagnostics.push(d(
                    DiagKind::NoPostData,
                    Severity::Warning,
                    format!("patient {}: {why}", p.id),
                ));
            }
            if r.pre_rate.is_some_and(|x| x.abs() < ZERO_RATE) {
                diagnostics.push(d(
                    DiagKind::ZeroPreRate,
                    Severity::Warning,
                    format!(
                        "patient {}: pre-rate is zero, % improvement undefined",
                        p.id
                    ),
                ));
            }
        }
        let few = patients
            .iter()
            .filter(|r| {
                r.measure == m0
                    && r.periods
                        .iter()
                        .any(|pd| pd.n_visits > 0 && pd.n_visits < 3)
            })
            .count();
        if few > 0 {
            diagnostics.push(Diagnostic::new(
                Severity::Info,
                DiagKind::FewVisits,
                format!(
                    "{few} patient(s) have a period with fewer than 3 visits ({}); their warnings say which",
                    m0.name()
                ),
            ));
        }
    }

    let mut summaries = Vec::new();
    let mut responders = Vec::new();
    let mut tests = Vec::new();
    // Per measure: summaries and responder counts, tests within groups, tests between groups.
    // Independent tasks of uneven cost, on all cores; results in the measures' order.
    let tasks: Vec<(Measure, groups::Part)> = measures
        .iter()
        .flat_map(|&m| groups::Part::ALL.map(|part| (m, part)))
        .collect();
    let done = crate::par::map_each(&tasks, |&(m, part)| {
        groups::group_stats(m, part, &groups, &patients, settings)
    });
    for (s, r, t) in done {
        summaries.extend(s);
        responders.extend(r);
        tests.extend(t);
    }
    let series = if settings.include_series {
        series_of(ds, settings, &measures)
    } else {
        Vec::new()
    };
    // Survival endpoints (#22): in the builds with the `survival` feature (the CLI, the page's
    // extras module); without it the lists stay empty.
    #[cfg(feature = "survival")]
    let outcomes = {
        let mut o = survival::outcomes(ds, settings, &groups, &patients, measures.first().copied());
        diagnostics.append(&mut o.diagnostics);
        o
    };
    #[cfg(not(feature = "survival"))]
    let outcomes = survival::Outcomes::default();
    crate::sort::sort_by_key(&mut diagnostics, |d| {
        (d.line.unwrap_or(0), d.severity as u8)
    });
    let mut info = parsed.info.clone();
    info.measures_present = ds.measures.clone();
    Analysis {
        settings: settings.clone(),
        input: info,
        measures,
        groups,
        patients,
        summaries,
        responders,
        tests,
        mixed_models: Vec::new(),
        d50: Vec::new(),
        survival: outcomes.survival,
        survival_tests: outcomes.survival_tests,
        cafs: outcomes.cafs,
        slope_sensitivity: outcomes.slope_sensitivity,
        diagnostics,
        series,
    }
}

/// Visits with the scores of the analysed measures only.
fn series_of(ds: &Dataset, s: &Settings, measures: &[Measure]) -> Vec<Series> {
    let md = patient::month_days(s);
    ds.patients
        .iter()
        .map(|p| {
            let (t0, name) = origin(p, s);
            let t = |d: f64| (d - t0) / md;
            Series {
                id: p.id.clone(),
                group: p.group.clone(),
                origin: name.into(),
                onset: p.onset.map(t),
                events: p
                    .events
                    .iter()
                    .map(|e| SeriesEvent {
                        t: t(e.day),
                        label: e.label.clone(),
                    })
                    .collect(),
                visits: p
                    .visits
                    .iter()
                    .map(|v| SeriesVisit {
                        t: t(v.day),
                        line: v.line as usize,
                        scores: measures
                            .iter()
                            .filter_map(|m| v.scores.get(m.index()).map(|x| (*m, x)))
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
