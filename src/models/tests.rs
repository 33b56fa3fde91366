//! Tests of the models module against R. Every reference number was produced by
//! `Rscript tests/r/lmm_reference.R` (R 4.2, lme4 1.1-31, lmerTest 3.1-3, numDeriv 2016.8-1.1),
//! which writes them to tests/data/r/lmm_fits.csv (mixed models) and tests/data/r/d50_nls.csv
//! (D50 curves), each value with the R call that produced it; a failing comparison names it.
//!
//! lme4's default optimiser (nloptwrap/BOBYQA, xtol_abs = ftol_abs = 1e-8) stops ~1e-5 short of
//! the optimum, so each model was also refitted with
//! `tight <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-13, ftol_abs = 1e-15,
//! xtol_rel = 0, ftol_rel = 0, maxeval = 1e5))`. We match the tight fits to 1e-6 relative and the
//! default fits to 1e-4 relative.

use super::d50::*;
use super::lmm::*;
use super::*;
use crate::data::{Dataset, Event, Measure, Patient, TimeAxis, Visit};
use crate::settings::{Settings, MONTH_DAYS};
use std::collections::BTreeMap;

/// One model's reference values (a `model` of tests/data/r/lmm_fits.csv).
struct Ref {
    terms: Vec<String>,
    estimate: Vec<f64>,
    se: Vec<f64>,
    df: Vec<f64>,
    t: Vec<f64>,
    p: Vec<f64>,
    ci_low: Vec<f64>,
    ci_high: Vec<f64>,
    theta: [f64; 3],
    /// sd(intercept), sd(slope), corr, sigma
    sd: [f64; 4],
    crit: f64,
    log_lik: f64,
    singular: bool,
    nobs: usize,
    ngrps: usize,
    /// The R call of each quantity.
    calls: BTreeMap<String, String>,
}

impl Ref {
    /// " (R: …)": the call that produced `quantity` ("log p" is "p"'s).
    fn r(&self, quantity: &str) -> String {
        let q = quantity.trim_start_matches("log ");
        format!(" (R: {})", self.calls.get(q).map_or("?", String::as_str))
    }
}

/// The reference values of `model`, as tests/r/lmm_reference.R labels it (e.g. "sleepstudy REML
/// tight").
fn reference(model: &str) -> Ref {
    let data = include_str!("../../tests/data/r/lmm_fits.csv");
    let mut values: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut calls = BTreeMap::new();
    for row in csv::Reader::from_reader(data.as_bytes()).records() {
        let row = row.unwrap();
        if &row[0] != model {
            continue;
        }
        let (quantity, term, value, call) = (&row[1], &row[2], &row[3], &row[4]);
        values
            .entry(quantity.to_string())
            .or_default()
            .push((term.to_string(), value.to_string()));
        calls.insert(quantity.to_string(), call.to_string());
    }
    assert!(!values.is_empty(), "no reference values for {model}");
    let strings = |q: &str| -> Vec<(String, String)> {
        values
            .get(q)
            .unwrap_or_else(|| panic!("{model}: no {q}"))
            .clone()
    };
    let nums = |q: &str| -> Vec<f64> {
        strings(q)
            .iter()
            .map(|(_, v)| v.parse().unwrap_or_else(|_| panic!("{model} {q}: {v}")))
            .collect()
    };
    let one = |q: &str| nums(q)[0];
    Ref {
        terms: strings("estimate").into_iter().map(|(t, _)| t).collect(),
        estimate: nums("estimate"),
        se: nums("se"),
        df: nums("df"),
        t: nums("t"),
        p: nums("p"),
        ci_low: nums("ci_low"),
        ci_high: nums("ci_high"),
        theta: nums("theta").try_into().unwrap(),
        sd: [
            one("sd_intercept"),
            one("sd_slope"),
            one("corr"),
            one("sigma"),
        ],
        crit: one("criterion"),
        log_lik: one("log_lik"),
        singular: strings("singular")[0].1 == "TRUE",
        nobs: one("nobs") as usize,
        ngrps: one("ngrps") as usize,
        calls,
    }
}

fn close(what: &str, got: f64, want: f64, rel: f64, floor: f64) {
    let tol = rel * want.abs().max(floor);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.15e}, R {want:.15e} (|Δ| = {:.3e} > {tol:.3e})",
        (got - want).abs()
    );
}

/// Compare an entry's fixed effects, variance components and criterion with an R reference.
/// `rel`: tolerance for estimates, SEs, df, CIs, SDs, criterion; p-values get 10×.
fn check_fixed(label: &str, fixed: &[FixedEffect], r: &Ref, rel: f64) {
    assert_eq!(
        fixed.iter().map(|f| f.term.as_str()).collect::<Vec<_>>(),
        r.terms,
        "{label}: terms"
    );
    for (i, f) in fixed.iter().enumerate() {
        let w = |s: &str| format!("{label} {} {s}{}", f.term, r.r(s));
        close(&w("estimate"), f.estimate, r.estimate[i], rel, r.se[i]);
        close(&w("se"), f.se, r.se[i], rel, 0.0);
        close(&w("df"), f.df.unwrap(), r.df[i], rel, 0.0);
        close(&w("t"), f.t_value, r.t[i], rel, 1.0);
        // p-values far in the tail amplify differences in t and df (d log p ≈ df·dt/t + log(1+t²/df)·ddf/2):
        // relative 10·rel, or 10·rel·|log p| on the log scale below 1e-10.
        let (pg, pr) = (f.p_value.unwrap(), r.p[i]);
        if pr >= 1e-10 {
            close(&w("p"), pg, pr, 10.0 * rel, 0.0);
        } else {
            close(&w("log p"), pg.ln(), pr.ln(), 10.0 * rel, 1.0);
        }
        close(&w("ci_low"), f.ci_low.unwrap(), r.ci_low[i], rel, r.se[i]);
        close(
            &w("ci_high"),
            f.ci_high.unwrap(),
            r.ci_high[i],
            rel,
            r.se[i],
        );
    }
}

fn check_fit(label: &str, f: &LmmFit, r: &Ref, rel: f64) {
    check_fixed(label, &f.fixed, r, rel);
    for k in 0..3 {
        close(
            &format!("{label} theta[{k}]{}", r.r("theta")),
            f.theta[k],
            r.theta[k],
            rel,
            r.theta[0],
        );
    }
    close(
        &format!("{label} sd_intercept{}", r.r("sd_intercept")),
        f.sd_intercept,
        r.sd[0],
        rel,
        0.0,
    );
    close(
        &format!("{label} sd_slope{}", r.r("sd_slope")),
        f.sd_slope,
        r.sd[1],
        rel,
        0.0,
    );
    close(
        &format!("{label} corr{}", r.r("corr")),
        f.corr.unwrap(),
        r.sd[2],
        rel,
        1.0,
    );
    close(
        &format!("{label} sigma{}", r.r("sigma")),
        f.sigma,
        r.sd[3],
        rel,
        0.0,
    );
    close(
        &format!("{label} criterion{}", r.r("criterion")),
        f.criterion,
        r.crit,
        rel.min(1e-8),
        0.0,
    );
    assert_eq!(
        f.singular,
        r.singular,
        "{label}: singular{}",
        r.r("singular")
    );
    assert_eq!(
        (f.n_obs, f.n_groups),
        (r.nobs, r.ngrps),
        "{label}: nobs/ngrps{}",
        r.r("nobs")
    );
    assert!(f.converged, "{label}: converged");
}

fn check_entry(label: &str, e: &MixedModelEntry, r: &Ref, rel: f64) {
    check_fixed(label, &e.fixed, r, rel);
    close(
        &format!("{label} sd_intercept{}", r.r("sd_intercept")),
        e.sd_intercept.unwrap(),
        r.sd[0],
        rel,
        0.0,
    );
    close(
        &format!("{label} sd_slope{}", r.r("sd_slope")),
        e.sd_slope.unwrap(),
        r.sd[1],
        rel,
        0.0,
    );
    close(
        &format!("{label} corr{}", r.r("corr")),
        e.corr.unwrap(),
        r.sd[2],
        rel,
        1.0,
    );
    close(
        &format!("{label} sigma{}", r.r("sigma")),
        e.sd_residual.unwrap(),
        r.sd[3],
        rel,
        0.0,
    );
    close(
        &format!("{label} criterion{}", r.r("criterion")),
        e.reml_criterion.unwrap(),
        r.crit,
        rel.min(1e-8),
        0.0,
    );
    assert_eq!(
        e.singular,
        r.singular,
        "{label}: singular{}",
        r.r("singular")
    );
    assert_eq!(
        (e.n_obs, e.n_patients),
        (r.nobs, r.ngrps),
        "{label}: nobs/ngrps{}",
        r.r("nobs")
    );
    assert!(e.converged, "{label}: converged");
}

// ---- data ---------------------------------------------------------------------------------------

/// tests/data/sleepstudy.csv: `write.csv(sleepstudy[, c("Subject", "Days", "Reaction")], ...)`.
fn sleepstudy() -> (Vec<f64>, Vec<Vec<f64>>, Vec<f64>, Vec<usize>) {
    let csv = include_str!("../../tests/data/sleepstudy.csv");
    let (mut y, mut x, mut t, mut g) = (vec![], vec![], vec![], vec![]);
    let mut ids: Vec<String> = vec![];
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let gi = match ids.iter().position(|s| s == f[0]) {
            Some(i) => i,
            None => {
                ids.push(f[0].to_string());
                ids.len() - 1
            }
        };
        let d: f64 = f[1].parse().unwrap();
        y.push(f[2].parse().unwrap());
        x.push(vec![1.0, d]);
        t.push(d);
        g.push(gi);
    }
    (y, x, t, g)
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn visit(day: f64, line: usize, score: f64) -> Visit {
    let mut scores = crate::data::Scores::NONE;
    scores.set(Measure::AlsfrsR.index(), score);
    Visit::new(day, line, scores)
}

/// tests/data/piecewise.csv (id, group, day, event_day, score) as a Dataset: ALSFRS-R scores,
/// one event per patient (none where event_day is empty).
fn piecewise() -> Dataset {
    let csv = include_str!("../../tests/data/piecewise.csv");
    let mut patients: Vec<Patient> = Vec::new();
    for (ln, line) in csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let day: f64 = f[2].parse().unwrap();
        let score: f64 = f[4].parse().unwrap();
        if patients.last().map_or(true, |p| *p.id != *f[0]) {
            let events = if f[3].is_empty() {
                vec![]
            } else {
                vec![Event {
                    day: f[3].parse().unwrap(),
                    label: "event".into(),
                    line: ln + 1,
                }]
            };
            patients.push(Patient {
                id: f[0].into(),
                group: f[1].into(),
                onset: None,
                events,
                visits: vec![],
                line: ln + 1,
                clinical: None,
            });
        }
        patients
            .last_mut()
            .unwrap()
            .visits
            .push(visit(day, ln + 1, score));
    }
    Dataset {
        patients,
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    }
}

/// tests/data/singular.csv (id, t, y).
fn singular_data() -> (Vec<f64>, Vec<Vec<f64>>, Vec<f64>, Vec<usize>) {
    let csv = include_str!("../../tests/data/singular.csv");
    let (mut y, mut x, mut t, mut g) = (vec![], vec![], vec![], vec![]);
    let mut ids: Vec<String> = vec![];
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if !ids.iter().any(|s| s == f[0]) {
            ids.push(f[0].to_string());
        }
        let tt: f64 = f[1].parse().unwrap();
        y.push(f[2].parse().unwrap());
        x.push(vec![1.0, tt]);
        t.push(tt);
        g.push(ids.len() - 1);
    }
    (y, x, t, g)
}

// ---- lmm: sleepstudy ----------------------------------------------------------------------------

#[test]
fn sleepstudy_reml_matches_lmer() {
    let (y, x, t, g) = sleepstudy();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "Days"]), &t, &g, true).unwrap();
    check_fit(
        "sleepstudy REML vs tight",
        &f,
        &reference("sleepstudy REML tight"),
        1e-6,
    );
    check_fit(
        "sleepstudy REML vs default",
        &f,
        &reference("sleepstudy REML default"),
        1e-4,
    );
    let tight = reference("sleepstudy REML tight");
    close(
        &format!("logLik{}", tight.r("log_lik")),
        f.log_lik,
        tight.log_lik,
        1e-9,
        0.0,
    );
    assert!(f.warnings.is_empty() && f.dropped.is_empty());
}

#[test]
fn sleepstudy_ml_matches_lmer() {
    let (y, x, t, g) = sleepstudy();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "Days"]), &t, &g, false).unwrap();
    check_fit(
        "sleepstudy ML vs tight",
        &f,
        &reference("sleepstudy ML tight"),
        1e-6,
    );
    check_fit(
        "sleepstudy ML vs default",
        &f,
        &reference("sleepstudy ML default"),
        1e-4,
    );
    let tight = reference("sleepstudy ML tight");
    close(
        &format!("logLik{}", tight.r("log_lik")),
        f.log_lik,
        tight.log_lik,
        1e-9,
        0.0,
    );
}

#[test]
fn vcov_matches_lme4() {
    // R: vcov(lmer(Reaction ~ Days + (Days | Subject), ss, control = tight)) = se² on the diagonal;
    // off-diagonal from cov2cor: the correlation of fixed effects printed by summary() is -0.138.
    let (y, x, t, g) = sleepstudy();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "Days"]), &t, &g, true).unwrap();
    let r = reference("sleepstudy REML tight");
    for i in 0..2 {
        close(
            &format!("vcov[{i}][{i}] = se²{}", r.r("se")),
            f.vcov[i][i],
            r.se[i].powi(2),
            1e-6,
            0.0,
        );
    }
    let r = f.vcov[0][1] / (f.vcov[0][0] * f.vcov[1][1]).sqrt();
    assert!((r - -0.138).abs() < 5e-4, "corr of fixed effects {r}");
}

// ---- lmm: piecewise model through the application layer -----------------------------------------

#[test]
fn piecewise_models_match_lmer() {
    let ds = piecewise();
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let groups: Vec<&str> = out.iter().map(|e| e.group.as_ref()).collect();
    assert_eq!(groups, ["A", "B", "A vs B"]);
    // P13 (group A), P26 and P39 (group B) have no event: t_after = 0 at all their visits, as in
    // tests/r/lmm_reference.R section 2.
    for (e, untreated) in out.iter().zip([1, 2, 3]) {
        assert_eq!(e.method, "REML");
        assert_eq!(e.measure, Measure::AlsfrsR);
        assert_eq!(e.n_patients_without_event, untreated, "{}", e.group);
        assert_eq!(
            e.note.as_deref(),
            Some(
                format!(
                    "{untreated} of {} patients {} no event (never treated, or died or left \
                     before treatment): all their visits count as before (t_after = 0)",
                    e.n_patients,
                    if untreated == 1 { "has" } else { "have" }
                )
                .as_str()
            ),
            "{}",
            e.group
        );
    }
    assert_eq!(out[0].formula, GROUP_FORMULA);
    assert_eq!(out[2].formula, ARMS_FORMULA);
    check_entry(
        "group A vs tight",
        &out[0],
        &reference("piecewise group A REML tight"),
        1e-6,
    );
    check_entry(
        "group A vs default",
        &out[0],
        &reference("piecewise group A REML default"),
        1e-4,
    );
    check_entry(
        "group B vs tight",
        &out[1],
        &reference("piecewise group B REML tight"),
        1e-6,
    );
    check_entry(
        "group B vs default",
        &out[1],
        &reference("piecewise group B REML default"),
        1e-4,
    );
    check_entry(
        "A vs B vs tight",
        &out[2],
        &reference("piecewise A vs B REML tight"),
        1e-6,
    );
    check_entry(
        "A vs B vs default",
        &out[2],
        &reference("piecewise A vs B REML default"),
        1e-4,
    );
}

#[test]
fn piecewise_arms_ml_matches_lmer() {
    let ds = piecewise();
    let out = fit_mixed_models(&ds, MONTH_DAYS, false, &[Measure::AlsfrsR]);
    let e = out.iter().find(|e| e.group == "A vs B").unwrap();
    assert_eq!(e.method, "ML");
    check_entry(
        "A vs B ML vs tight",
        e,
        &reference("piecewise A vs B ML tight"),
        1e-6,
    );
}

// ---- lmm: the four design data sets, parse → analysis → models ---------------------------------

/// Each design data set through the whole pipeline (default settings) against lmer fits of the
/// same model that R builds from the raw CSV: t from the first event (or the first visit), visits
/// with a score, event-only rows left out, dd/mm/yyyy dates (controls), months (two-arm, where
/// every visit is on or after the first event, so t_after and its interaction are dropped, as
/// lme4 drops them).
#[test]
fn designs_match_lmer() {
    let cases: [(&str, Measure, &[(&str, &str)]); 4] = [
        (
            "lead-in",
            Measure::AlsfrsR,
            &[("MSC", "design lead-in group MSC REML tight")],
        ),
        (
            "controls",
            Measure::AlsfrsR,
            &[
                ("MSC", "design controls group MSC REML tight"),
                ("Control", "design controls group Control REML tight"),
                (
                    "MSC vs Control",
                    "design controls MSC vs Control REML tight",
                ),
            ],
        ),
        (
            "repeated",
            Measure::AlsfrsR,
            &[("all", "design repeated group all REML tight")],
        ),
        (
            "two-arm",
            Measure::Alsfrs,
            &[
                ("IV", "design two-arm group IV REML tight"),
                ("IT", "design two-arm group IT REML tight"),
                ("IV vs IT", "design two-arm IV vs IT REML tight"),
            ],
        ),
    ];
    for (design, measure, refs) in cases {
        let path = format!(
            "{}/tests/data/design-{design}.csv",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        let a = crate::pipeline::run(&text, &Settings::default()).unwrap();
        for (group, r) in refs {
            let e = a
                .mixed_models
                .iter()
                .find(|e| e.group == *group && e.measure == measure)
                .unwrap_or_else(|| panic!("{design}: no model for {group}"));
            check_entry(&format!("{design} {group}"), e, &reference(r), 1e-6);
        }
    }
}

// ---- lmm: singular fit --------------------------------------------------------------------------

#[test]
fn singular_fit_matches_lmer() {
    let (y, x, t, g) = singular_data();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "t"]), &t, &g, true).unwrap();
    assert!(f.singular);
    assert_eq!(f.theta[2], 0.0, "θ22 on its bound");
    check_fit(
        "singular vs boundary",
        &f,
        &reference("singular REML boundary"),
        1e-6,
    );
    // the tight fit stopped at θ22 = 1.2e-8 (not exactly on the bound): same numbers to 1e-6
    check_fit(
        "singular vs tight",
        &f,
        &reference("singular REML tight"),
        1e-6,
    );
    // lmer's default stop (θ = 2.0416993501561, 0.085849903309336, 0) is 6e-5 away from the optimum in θ21, which
    // moves its Satterthwaite df for t by 1.8e-4 relative (57.4843 vs 57.4945 at the optimum): 1e-3 here.
    check_fit(
        "singular vs default",
        &f,
        &reference("singular REML default"),
        1e-3,
    );
}

// ---- lmm: cannot-fit cases, robustness ----------------------------------------------------------

fn patient(id: &str, group: &str, event: Option<f64>, visits: &[(f64, f64)]) -> Patient {
    Patient {
        id: id.into(),
        group: group.into(),
        onset: None,
        events: event
            .map(|d| {
                vec![Event {
                    day: d,
                    label: "e".into(),
                    line: 1,
                }]
            })
            .unwrap_or_default(),
        visits: visits
            .iter()
            .enumerate()
            .map(|(i, &(d, s))| visit(d, i + 2, s))
            .collect(),
        line: 1,
        clinical: None,
    }
}

/// Deterministic synthetic cohort (inline LCG): `m` patients, up to `max_visits` visits every
/// ~45 days, events at ~100 days (every 7th patient has none), piecewise decline + noise.
pub(super) fn synthetic(m: usize, max_visits: usize, seed: u64, groups: &[&str]) -> Dataset {
    let mut s = seed;
    let mut u = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let mut patients = Vec::with_capacity(m);
    for i in 0..m {
        let nv = 1 + (u() * max_visits as f64) as usize;
        let b0 = (u() - 0.5) * 8.0;
        let b1 = (u() - 0.5) * 0.8;
        let ev = if i % 7 == 3 {
            None
        } else {
            Some(60.0 + (u() * 80.0).round())
        };
        let g = groups[i % groups.len()];
        let eff = if i % groups.len() == 1 { 0.4 } else { 0.0 };
        let mut day = 0.0;
        let mut vs = Vec::with_capacity(nv);
        for _ in 0..nv {
            let t = (day - ev.unwrap_or(0.0)) / (365.25 / 12.0);
            let noise = (u() + u() + u() - 1.5) * 2.0;
            let y = 40.0 + b0 + (-0.9 + b1) * t + eff * t.max(0.0) + noise;
            vs.push((day, y.round().clamp(0.0, 48.0)));
            day += 30.0 + (u() * 30.0).round();
        }
        patients.push(patient(&format!("S{i}"), g, ev, &vs));
    }
    Dataset {
        patients,
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    }
}

#[test]
fn no_post_event_data_drops_t_after_with_note() {
    // every visit before the event: t_after ≡ 0
    let mut ds = synthetic(40, 6, 11, &["A"]);
    for p in &mut ds.patients {
        p.events = vec![Event {
            day: 10_000.0,
            label: "e".into(),
            line: 1,
        }];
    }
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    assert_eq!(out.len(), 1);
    let e = &out[0];
    assert_eq!(
        e.fixed.iter().map(|f| f.term.as_str()).collect::<Vec<_>>(),
        ["(Intercept)", "t"]
    );
    let note = e.note.as_deref().unwrap();
    assert!(
        note.contains("t_after dropped") && note.contains("no visit after a first event"),
        "{note}"
    );
    assert!(e.formula.contains("without t_after"));
}

#[test]
fn no_events_at_all_drops_t_after() {
    let mut ds = synthetic(40, 6, 12, &["A"]);
    for p in &mut ds.patients {
        p.events.clear();
    }
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let note = out[0].note.as_deref().unwrap();
    assert!(
        note.contains("t_after dropped") && note.contains("no patient has an event"),
        "{note}"
    );
    assert_eq!(out[0].fixed.len(), 2);
    assert_eq!(out[0].n_patients_without_event, 40);
}

#[test]
fn every_visit_after_the_event_drops_t_after() {
    // events before every visit: t_after = t for everyone
    let mut ds = synthetic(40, 6, 13, &["A"]);
    for p in &mut ds.patients {
        p.events = vec![Event {
            day: -1.0,
            label: "e".into(),
            line: 1,
        }];
    }
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let note = out[0].note.as_deref().unwrap();
    assert!(note.contains("t_after equals t"), "{note}");
    assert_eq!(out[0].fixed.len(), 2);
    assert_eq!(out[0].n_patients_without_event, 0);
}

/// tests/data/untreated.csv (tests/r/lmm_reference.R section 6): two arms of 14 with, in each,
/// two never-treated patients and one who died before treatment. Through the whole pipeline (the
/// CSV as a user gives it) against `lmer` with t_after = 0 for the patients without an event;
/// and not the fit with the old t_after = max(0, t) for them.
#[test]
fn untreated_patients_have_t_after_zero_as_in_lmer() {
    let text = include_str!("../../tests/data/untreated.csv");
    let a = crate::pipeline::run(text, &Settings::default()).unwrap();
    let models: Vec<&MixedModelEntry> = a
        .mixed_models
        .iter()
        .filter(|e| e.measure == Measure::AlsfrsR)
        .collect();
    let groups: Vec<&str> = models.iter().map(|e| e.group.as_str()).collect();
    assert_eq!(groups, ["T", "C", "T vs C"]);
    for (e, (r, untreated)) in models.iter().zip([
        ("untreated group T REML tight", 3),
        ("untreated group C REML tight", 3),
        ("untreated T vs C REML tight", 6),
    ]) {
        check_entry(&format!("untreated {}", e.group), e, &reference(r), 1e-6);
        assert_eq!(e.n_patients_without_event, untreated, "{}", e.group);
        assert!(
            e.note.as_deref().unwrap().starts_with(&format!(
                "{untreated} of {} patients have no event",
                e.n_patients
            )),
            "{:?}",
            e.note
        );
    }
    // The old model (t_after = t for them) is a different fit: the test can tell them apart.
    let old = reference("untreated group T REML tight, t_after = pmax(0, t) for all");
    let t = &models[0].fixed[1];
    assert!(
        (t.estimate - old.estimate[1]).abs() > 100.0 * 1e-6 * old.se[1],
        "t: {} vs the old model's {}{}",
        t.estimate,
        old.estimate[1],
        old.r("estimate")
    );
}

#[test]
fn too_few_observations_gives_note_and_no_numbers() {
    // 3 patients, 5 observations ≤ 2 × 3 random effects: lme4 stops with
    // "number of observations (=5) <= number of random effects (=6)"
    let ds = Dataset {
        patients: vec![
            patient("a", "A", Some(0.0), &[(0.0, 40.0), (60.0, 39.0)]),
            patient("b", "A", Some(0.0), &[(0.0, 35.0), (60.0, 33.0)]),
            patient("c", "A", Some(0.0), &[(0.0, 30.0)]),
        ],
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    };
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    assert_eq!(out.len(), 1);
    let e = &out[0];
    assert!(
        e.fixed.is_empty() && e.sd_residual.is_none() && e.reml_criterion.is_none() && !e.converged
    );
    assert!(
        e.note
            .as_deref()
            .unwrap()
            .contains("number of observations (5)"),
        "{:?}",
        e.note
    );
    assert_eq!((e.n_obs, e.n_patients), (5, 3));
    // one patient only
    let ds1 = Dataset {
        patients: vec![ds.patients[0].clone()],
        ..ds.clone()
    };
    let e1 = &fit_mixed_models(&ds1, MONTH_DAYS, true, &[Measure::AlsfrsR])[0];
    assert!(e1
        .note
        .as_deref()
        .unwrap()
        .contains("fewer than 2 patients"));
    // a measure without data gives no entry
    assert!(fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::Fvc]).is_empty());
}

#[test]
fn single_visit_patients_are_kept() {
    let ds = synthetic(300, 5, 5, &["A"]);
    let singles = ds.patients.iter().filter(|p| p.visits.len() == 1).count();
    assert!(singles > 30);
    let e = &fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR])[0];
    assert_eq!(e.n_patients, 300);
    assert!(e.converged && e.fixed.len() == 3, "{e:?}");
}

#[test]
fn three_arms_give_pairwise_comparisons() {
    let ds = synthetic(150, 8, 9, &["placebo", "low", "high"]);
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let labels: Vec<&str> = out.iter().map(|e| e.group.as_ref()).collect();
    assert_eq!(
        labels,
        [
            "placebo",
            "low",
            "high",
            "placebo vs low",
            "placebo vs high",
            "low vs high"
        ]
    );
    let terms: Vec<&str> = out[3].fixed.iter().map(|f| f.term.as_str()).collect();
    assert_eq!(
        terms,
        [
            "(Intercept)",
            "grouplow",
            "t",
            "t_after",
            "grouplow:t",
            "grouplow:t_after"
        ]
    );
    // Every 7th patient has no event: the only note is the one that counts them.
    assert!(
        out.iter().all(|e| e.converged
            && e.n_patients_without_event > 0
            && e.note
                .as_deref()
                .is_some_and(|n| n.ends_with("(t_after = 0)"))),
        "{out:#?}"
    );
}

#[test]
fn large_cohort_converges() {
    // 10,000 patients (the release benchmark times 5,000 × ~15 visits)
    let ds = synthetic(10_000, 8, 2024, &["A"]);
    let e = &fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR])[0];
    assert!(e.converged && !e.singular, "{e:?}");
    assert_eq!(e.n_patients, 10_000);
    let slope = e.fixed[1].estimate;
    assert!((slope + 0.9).abs() < 0.05, "slope {slope}");
    assert!(e
        .fixed
        .iter()
        .all(|f| f.df.is_some() && f.p_value.is_some()));
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// Arbitrary small cohorts never panic and never produce NaN: either numbers or a note.
        #[test]
        fn never_panics_never_nan(m in 1usize..12, maxv in 1usize..6, seed in any::<u64>(), flat in any::<bool>()) {
            let mut ds = synthetic(m, maxv, seed, &["A", "B"]);
            if flat {
                for p in &mut ds.patients { for v in &mut p.visits { v.scores.set(0, 40.0); } }
            }
            let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
            for e in &out {
                prop_assert!(serde_json::to_string(e).is_ok());
                if e.fixed.is_empty() { prop_assert!(e.note.is_some()); }
                for f in &e.fixed {
                    prop_assert!(f.estimate.is_finite() && f.se.is_finite() && f.t_value.is_finite());
                    for v in [f.df, f.p_value, f.ci_low, f.ci_high].into_iter().flatten() { prop_assert!(v.is_finite()); }
                }
                for v in [e.sd_intercept, e.sd_slope, e.corr, e.sd_residual, e.reml_criterion].into_iter().flatten() {
                    prop_assert!(v.is_finite());
                }
            }
        }
    }
}

// ---- D50 ----------------------------------------------------------------------------------------

/// One D50 reference set (tests/data/r/d50_nls.csv, tests/r/lmm_reference.R section 4): data,
/// R's `nls` fit, and the R call of each.
struct D50Ref {
    t: Vec<f64>,
    y: Vec<f64>,
    d50: f64,
    dx: f64,
    rmse: f64,
    calls: BTreeMap<String, String>,
}

/// The D50 sets a, b, c and "c with onset" (c's visits and 48 at t = 0) in order.
fn d50_sets() -> Vec<D50Ref> {
    let data = include_str!("../../tests/data/r/d50_nls.csv");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(data.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let mut names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    names.dedup();
    names
        .into_iter()
        .map(|set| {
            let row = |q: &str| {
                rows.iter()
                    .find(|r| &r[0] == set && &r[1] == q)
                    .unwrap_or_else(|| panic!("D50 set {set}: no {q}"))
            };
            let v = |q: &str| -> Vec<f64> {
                row(q)[2].split(' ').map(|x| x.parse().unwrap()).collect()
            };
            D50Ref {
                t: v("t"),
                y: v("y"),
                d50: v("d50")[0],
                dx: v("dx")[0],
                rmse: v("rmse")[0],
                calls: ["t", "y", "d50", "dx", "rmse"]
                    .map(|q| (q.to_string(), row(q)[3].to_string()))
                    .into(),
            }
        })
        .collect()
}

#[test]
fn d50_curve_matches_nls() {
    let sets = d50_sets();
    assert_eq!(sets.len(), 4);
    for (i, r) in sets.iter().enumerate() {
        let f = fit_d50_curve(&r.t, &r.y).unwrap();
        let what = |q: &str| format!("set {i} {q} (R: {})", r.calls[q]);
        close(&what("d50"), f.d50, r.d50, 1e-6, 0.0);
        close(&what("dx"), f.dx, r.dx, 1e-6, 0.0);
        close(&what("rmse"), f.rmse, r.rmse, 1e-6, 0.0);
    }
}

#[test]
fn d50_entries_and_phases() {
    let md = 365.25 / 12.0;
    let sets = d50_sets();
    let (t, y, d50, dx) = (&sets[2].t, &sets[2].y, sets[2].d50, sets[2].dx);
    let onset = -100.0;
    let mut with = patient(
        "c",
        "A",
        None,
        &t.iter()
            .zip(y)
            .map(|(&ti, &yi)| (onset + ti * md, yi))
            .collect::<Vec<_>>(),
    );
    with.onset = Some(onset);
    let without = patient("n", "A", None, &[(0.0, 40.0), (30.0, 39.0), (60.0, 38.0)]);
    let mut few = patient("f", "B", None, &[(0.0, 40.0), (30.0, 39.0)]);
    few.onset = Some(-300.0);
    let mut flat = patient(
        "z",
        "B",
        None,
        &[(0.0, 48.0), (30.0, 48.0), (60.0, 48.0), (90.0, 48.0)],
    );
    flat.onset = Some(-30.0);
    let ds = Dataset {
        patients: vec![with, without, few, flat],
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    };
    let out = fit_d50(&ds, MONTH_DAYS, false);
    assert_eq!(out.len(), 4);
    let e = &out[0];
    close("d50", e.d50().unwrap(), d50, 1e-6, 0.0);
    close("dx", e.dx().unwrap(), dx, 1e-6, 0.0);
    assert_eq!(e.n_visits, 10);
    // rD50 = 1/(1+exp(-(t-D50)/dx)): boundaries at D50 -/+ dx·ln3 = 8.74 and 15.23 months
    let phases: Vec<&str> = e.phases().iter().map(|p| &*p.phase).collect();
    assert_eq!(
        phases,
        ["I", "I", "I", "I", "II", "III", "IV", "IV", "IV", "IV"]
    );
    close("phase t", e.phases()[3].t, 8.0, 1e-12, 0.0);
    assert!(e.note.is_none());
    assert!(out[1].note.as_deref().unwrap().contains("no symptom onset"));
    assert!(out[2].note.as_deref().unwrap().contains("at least 3"));
    assert_eq!(out[2].n_visits, 2);
    assert!(out[3].d50().is_none() && out[3].note.as_deref().unwrap().contains("did not converge"));
}

/// `d50_onset_point`: symptom onset (48 at t = 0) as one more point of the fit, as R's `nls` on
/// c(0, t), c(48, y); the phases and n_visits are still the visits'.
#[test]
fn d50_with_the_onset_point_matches_nls() {
    let md = 365.25 / 12.0;
    let sets = d50_sets();
    let (c, with) = (&sets[2], &sets[3]);
    let onset = -100.0;
    let mut p = patient(
        "c",
        "A",
        None,
        &c.t.iter()
            .zip(&c.y)
            .map(|(&ti, &yi)| (onset + ti * md, yi))
            .collect::<Vec<_>>(),
    );
    p.onset = Some(onset);
    let ds = Dataset {
        patients: vec![p],
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    };
    let e = &fit_d50(&ds, MONTH_DAYS, true)[0];
    let what = |q: &str| format!("with onset {q} (R: {})", with.calls[q]);
    close(&what("d50"), e.d50().unwrap(), with.d50, 1e-6, 0.0);
    close(&what("dx"), e.dx().unwrap(), with.dx, 1e-6, 0.0);
    close(&what("rmse"), e.rmse().unwrap(), with.rmse, 1e-6, 0.0);
    assert_eq!((e.n_visits, e.phases().len()), (10, 10));
    // without the point: set c's own fit
    let e = &fit_d50(&ds, MONTH_DAYS, false)[0];
    close("d50 without onset", e.d50().unwrap(), c.d50, 1e-6, 0.0);
    assert!(
        (e.d50().unwrap() - with.d50).abs() > 1e-4,
        "the point changes the fit"
    );
    assert!(conventions(true).contains("is added to each fit"));
    assert!(conventions(false).contains("is not a data point"));
}

/// The fast path (one Levenberg–Marquardt run from the logit-linear fit) and the grid fallback
/// reach the same optimum on the R sets; courses without decline give no fit, quickly.
#[test]
fn d50_start_and_fallback() {
    for r in d50_sets() {
        let f = fit_d50_curve(&r.t, &r.y).unwrap();
        assert!(f.iterations < 30, "{} iterations", f.iterations);
    }
    // rising scores: no decline, no fit (the grid fallback also finds none)
    let t = [1.0, 2.0, 3.0, 4.0, 5.0];
    assert!(fit_d50_curve(&t, &[30.0, 31.0, 33.0, 32.0, 34.0]).is_none());
    // a flat course at 48: no fit
    assert!(fit_d50_curve(&t, &[48.0; 5]).is_none());
}

#[test]
fn phase_boundaries() {
    assert_eq!(
        phase_of(rd50(10.0 - 3.0f64.ln() * 2.0 - 1e-9, 10.0, 2.0)),
        "I"
    );
    assert_eq!(
        phase_of(rd50(10.0 - 3.0f64.ln() * 2.0 + 1e-9, 10.0, 2.0)),
        "II"
    );
    assert_eq!(phase_of(rd50(10.0, 10.0, 2.0)), "III");
    assert_eq!(
        phase_of(rd50(10.0 + 3.0f64.ln() * 2.0 + 1e-9, 10.0, 2.0)),
        "IV"
    );
}

#[test]
fn a_group_refused_by_the_count_check_beside_one_fitted_and_their_pair() {
    // Group A: 3 patients, 5 observations (≤ 6 random effects: refused without its list of
    // observations, as lme4 refuses it); group B: 4 patients of 4 visits (fitted); the pair A vs
    // B: 21 observations of 7 patients (fitted). The refused entry is what the fit would give.
    let mut patients = vec![
        patient("a", "A", None, &[(0.0, 40.0), (60.0, 39.0)]),
        patient("b", "A", Some(30.0), &[(0.0, 35.0), (60.0, 33.0)]),
        patient("c", "A", None, &[(0.0, 30.0)]),
    ];
    for (k, base) in [44.0, 40.0, 37.0, 30.0].into_iter().enumerate() {
        let v: Vec<(f64, f64)> = (0..4)
            .map(|j| {
                (
                    j as f64 * 60.0,
                    base - j as f64 * (1.0 + k as f64 * 0.3) + (j % 2) as f64 * 0.4,
                )
            })
            .collect();
        patients.push(patient(&format!("B{k}"), "B", Some(90.0), &v));
    }
    let ds = Dataset {
        patients,
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    };
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    assert_eq!(out.len(), 3);
    let (a, b, ab) = (&out[0], &out[1], &out[2]);
    assert_eq!(a.group, "A");
    assert!(a.fixed.is_empty() && a.reml_criterion.is_none());
    assert_eq!(
        a.note.as_deref(),
        Some("model not fitted: number of observations (5) ≤ number of random effects (6): too few repeated visits for a random intercept and slope per patient (lme4 refuses this model)")
    );
    assert_eq!(
        (a.n_obs, a.n_patients, a.n_patients_without_event),
        (5, 3, 2)
    );
    assert_eq!(b.group, "B");
    assert!(!b.fixed.is_empty() && b.reml_criterion.is_some());
    assert_eq!((b.n_obs, b.n_patients), (16, 4));
    assert_eq!(ab.group, "A vs B");
    assert_eq!(
        (ab.n_obs, ab.n_patients, ab.n_patients_without_event),
        (21, 7, 2)
    );
    assert!(!ab.fixed.is_empty(), "{:?}", ab.note);
}
