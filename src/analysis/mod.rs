//! Analysis: periods and rates per patient and measure, pre vs post, responders and group
//! statistics. Pure: parsed data in, results out. The model fits (`models`) are added by
//! `pipeline`, which runs parse → analysis → models.

mod entry;
mod groups;
mod patient;
mod period_name;
pub mod survival;
mod types;
// Issue #23: staging, baseline (ΔFS class, TRICALS) and plausibility checks.
pub mod baseline;
mod checks;
pub mod staging;
pub use staging::{StageCount, StageEntry, StageMixEntry, StageTimes, StagingSystem};

pub use groups::ALL_GROUPS;
pub use patient::{analyze_patient, origin, NoPostRate, SHORTER_THAN_SCHEDULE, ZERO_RATE};
pub use period_name::period_name;
pub use survival::{
    CafsEntry, CafsPatientEntry, Endpoint, SlopeSensitivity, SurvivalEntry, SurvivalTestEntry,
};
pub use types::*;

use crate::data::{Dataset, Measure};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::input::Parsed;
use crate::settings::{GroupBy, Settings};
use std::borrow::Cow;

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

/// The dataset with the groups the settings ask for (`Settings::group_by`): as read, or each
/// patient in its ΔFS class (`slow`, `intermediate`, `fast`, `unclassified`).
pub fn grouped<'a>(ds: &'a Dataset, settings: &Settings) -> Cow<'a, Dataset> {
    match settings.group_by {
        GroupBy::Group => Cow::Borrowed(ds),
        GroupBy::DeltaFsClass => {
            let mut out = ds.clone();
            for p in &mut out.patients {
                p.group = baseline::class_group(baseline::delta_fs_class(p, settings)).into();
            }
            // Classes in order of speed, not of first appearance.
            let rank = |g: &str| {
                ["slow", "intermediate", "fast", "unclassified"]
                    .iter()
                    .position(|c| *c == g)
            };
            crate::sort::sort_by_key(&mut out.patients, |p| rank(&p.group));
            Cow::Owned(out)
        }
    }
}

/// Analyse parsed data: everything but the model fits (`mixed_models` and `d50` are empty;
/// `pipeline::analyze` adds them).
pub fn analyze(parsed: &Parsed, settings: &Settings) -> Analysis {
    let ds = grouped(&parsed.dataset, settings);
    let ds = &*ds;
    let mut diagnostics = parsed.diagnostics.clone();
    for p in &ds.patients {
        checks::check_patient(p, &parsed.info, settings, &mut diagnostics);
    }
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
    // result is written in place, into its slot of one list in (measure, patient) order, and the
    // empty slots (a patient without scores of that measure) are dropped in place: the results
    // are never held twice (1M one-visit patients: ~370 MB less at the peak).
    let n = ds.patients.len();
    let attempt = baseline::has_baseline_columns(&ds.patients);
    let mut slots: Vec<Option<PatientResult>> = Vec::new();
    slots.resize_with(n * measures.len(), || None);
    // Why a patient of the primary measure has an event but no post-rate (for the
    // diagnostics), by the patient's index.
    let no_post_rate: Vec<(usize, NoPostRate)> = {
        let chunk = crate::par::chunk_len(n, 500);
        let mut by_measure: Vec<_> = slots
            .chunks_mut(n.max(1))
            .map(|s| s.chunks_mut(chunk))
            .collect();
        let tasks: Vec<(usize, Vec<&mut [Option<PatientResult>]>)> = (0..n.div_ceil(chunk))
            .map(|k| {
                (
                    k * chunk,
                    by_measure.iter_mut().filter_map(Iterator::next).collect(),
                )
            })
            .collect();
        let whys = crate::par::each(tasks, |(start, parts)| {
            let mut scratch = patient::Scratch::default();
            let mut why = Vec::new();
            for (&m, part) in measures.iter().zip(parts) {
                for (k, slot) in part.iter_mut().enumerate() {
                    let p = &ds.patients[start + k];
                    let r =
                        patient::analyze_patient_with(p, m, ds.time_axis, settings, &mut scratch);
                    if let Some((mut r, w)) = r {
                        if let Some(w) = w.filter(|_| m == measures[0]) {
                            why.push((start + k, w));
                        }
                        // The patient's ΔFS class and TRICALS profile, on each of its entries.
                        with_baseline(&mut r, p, settings, attempt);
                        *slot = Some(r);
                    }
                }
            }
            why
        });
        whys.into_iter().flatten().collect()
    };
    // In place (the same allocation): `Option<PatientResult>` is the size of a result.
    let mut patients: Vec<PatientResult> = crate::par::in_place_some(slots);
    // Patient-level diagnostics for the first (primary) measure only, to keep the list readable.
    if let Some(&m0) = measures.first() {
        let primary = patients.iter().filter(|r| r.measure == m0);
        let mut no_event: Vec<&crate::data::Patient> = Vec::new();
        for (r, (i, p)) in primary.zip(
            ds.patients
                .iter()
                .enumerate()
                .filter(|(_, p)| p.visits.iter().any(|v| v.scores.get(m0.index()).is_some())),
        ) {
            let d =
                |kind, sev, msg: String| Diagnostic::new(sev, kind, msg).at(p.line).patient(&*p.id);
            if p.events.is_empty() {
                no_event.push(p);
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
        diagnostics.extend(no_event_diagnostic(&no_event));
        let few = patients
            .iter()
            .filter(|r| {
                r.measure == m0
                    && r.periods
                        .iter()
                        .any(|pd| pd.n_visits > 0 && pd.n_visits < 3 && !pd.shorter_than_schedule)
            })
            .count();
        // Intervals between events shorter than the visit schedule: one line, not a warning per
        // patient. Their lengths in days.
        let mut short: Vec<f64> = Vec::new();
        let mut n_short = 0;
        for r in patients.iter().filter(|r| r.measure == m0) {
            let before = short.len();
            short.extend(
                r.periods
                    .iter()
                    .filter(|pd| pd.shorter_than_schedule)
                    .map(|pd| ((pd.end - pd.start) * patient::month_days(settings)).round()),
            );
            n_short += usize::from(short.len() > before);
        }
        if n_short > 0 {
            let lo = short.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = short.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let what = if lo == hi {
                format!("the {lo}-day interval between events has no visits of its own")
            } else {
                format!("intervals of {lo}–{hi} days between events have no visits of their own")
            };
            diagnostics.push(Diagnostic::new(
                Severity::Info,
                DiagKind::ShortInterval,
                format!(
                    "{what} in {} ({}): no slope there, as expected when events are closer together than the visits",
                    crate::format::count(n_short, "patient", "patients"),
                    m0.name()
                ),
            ));
        }
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
    // Per-visit stages (#23): in the builds with the `staging` feature (the CLI, the page's extras
    // module, in its second pass); without it the lists stay empty (the page's start module).
    #[cfg(feature = "staging")]
    let staged = staging::stage(ds, &groups, settings);
    #[cfg(not(feature = "staging"))]
    let staged = staging::Staged::default();
    // Each staged patient's latest stages, on each of its entries.
    let latest: std::collections::HashMap<&str, &staging::LatestStage> =
        staged.latest.iter().map(|l| (&*l.id, l)).collect();
    for r in patients.iter_mut().filter(|_| !latest.is_empty()) {
        if let Some(l) = latest.get(&*r.id) {
            let s = r.staging_mut();
            s.latest_kings = l.kings;
            s.latest_kings_reason = Some(l.kings_reason.as_str().into());
            s.latest_mitos = l.mitos;
            s.latest_mitos_reason = Some(l.mitos_reason.as_str().into());
            s.latest_stage_t = Some(l.t);
        }
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
    let counts = counts(&mut patients, ds, &measures, &diagnostics, info.n_rows);
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
        model_notes: Vec::new(),
        survival: outcomes.survival,
        survival_tests: outcomes.survival_tests,
        cafs: outcomes.cafs,
        slope_sensitivity: outcomes.slope_sensitivity,
        diagnostics,
        counts,
        series,
        stages: staged.stages,
        stage_times: staged.times,
        stage_mix: staged.mix,
    }
}

/// The patient's ΔFS class, months to a dated death (#23) and (when the data has baseline
/// columns: `attempt`) TRICALS profile, on one of its results; why there is no profile is one of
/// its notes.
fn with_baseline(
    r: &mut PatientResult,
    p: &crate::data::Patient,
    settings: &Settings,
    attempt: bool,
) {
    let mut s = PatientStaging {
        delta_fs_class: baseline::delta_fs_class(p, settings),
        death_t: p
            .clinical
            .as_ref()
            .and_then(|c| c.death)
            .map(|d| (d.day - patient::origin(p, settings).0) / settings.month_len())
            .filter(|t| t.is_finite()),
        ..PatientStaging::default()
    };
    if attempt {
        match baseline::profile(p, settings) {
            Ok(t) => {
                s.tricals_lp = Some(t.lp);
                s.tricals_eligible = Some(t.eligible);
            }
            Err((missing, why)) => {
                s.tricals_missing = Some(missing.into());
                r.notes.push(why.into());
            }
        }
    }
    // Boxed only when there is something (most patients of a plain table have nothing).
    r.staging = (!s.is_none()).then(|| Box::new(s));
}

/// How many ids a summary diagnostic names.
const IDS_NAMED: usize = 5;

/// The patients without an event (no pre vs post): one diagnostic, not one per patient (natural
/// history data has no events at all). One patient: at its line, naming it, as before; more:
/// their number and the first few ids.
fn no_event_diagnostic(no_event: &[&crate::data::Patient]) -> Option<Diagnostic> {
    const WHAT: &str = "no event (injection/treatment/index date): no pre vs post";
    match no_event {
        [] => None,
        [p] => Some(
            Diagnostic::new(
                Severity::Info,
                DiagKind::NoEvent,
                format!("patient {} has {WHAT}", p.id),
            )
            .at(p.line)
            .patient(&*p.id),
        ),
        ps => {
            let mut ids = String::new();
            for (k, p) in ps.iter().take(IDS_NAMED).enumerate() {
                if k > 0 {
                    ids.push_str(", ");
                }
                ids.push_str(&p.id);
            }
            if ps.len() > IDS_NAMED {
                ids.push_str(", …");
            }
            Some(Diagnostic::new(
                Severity::Info,
                DiagKind::NoEvent,
                format!("{} patients have {WHAT} ({ids})", ps.len()),
            ))
        }
    }
}

/// Sets each patient's `lost_data` from the error diagnostics, and counts for the status line.
/// Sorted vectors, not hash sets: the page's wasm has no `std` hash set (its code size). The
/// patients analysed are those of `ds` with a score of one of the `measures` (each has a result).
fn counts(
    patients: &mut [PatientResult],
    ds: &Dataset,
    measures: &[Measure],
    diagnostics: &[Diagnostic],
    n_rows: usize,
) -> Counts {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error);
    let mut lost: Vec<&str> = errors
        .clone()
        .filter_map(|d| d.patient.as_deref())
        .collect();
    crate::sort::sort(&mut lost);
    lost.dedup();
    let mut lines: Vec<usize> = errors.filter_map(|d| d.line).collect();
    crate::sort::sort(&mut lines);
    lines.dedup();
    for p in patients.iter_mut() {
        p.lost_data = lost.binary_search(&&*p.id).is_ok();
    }
    let analysed = ds.patients.iter().filter(|p| {
        p.visits
            .iter()
            .any(|v| measures.iter().any(|m| v.scores.get(m.index()).is_some()))
    });
    let (mut n_patients, mut n_lost) = (0, 0);
    for p in analysed {
        n_patients += 1;
        n_lost += usize::from(lost.binary_search(&&*p.id).is_ok());
    }
    let n = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    Counts {
        n_patients,
        n_rows,
        n_rows_with_errors: lines.len(),
        n_patients_with_lost_data: n_lost,
        n_errors: n(Severity::Error),
        n_warnings: n(Severity::Warning),
        n_info: n(Severity::Info),
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
