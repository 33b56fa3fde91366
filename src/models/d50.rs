//! Per-patient D50 model of the Jena ALS group:
//!
//!   ALSFRS-R(t) = 48 / (1 + exp((t − D50) / dx)),  t = months since symptom onset.
//!
//! Sources we could check (abstracts): Stubendorff B, Grehl T, Neuwirth C, …, Prell T, Witte OW,
//! Weber M, Grosskreutz J, "The time of the ALSFRS-R to decrease to 50% (D50) in a sigmoidal
//! decay model sufficiently describes the complete disease course of amyotrophic lateral
//! sclerosis", ENCALS 2017 abstract P48 (a sigmoid "between two states, full health to maximum
//! disease"; D50 = the time for the ALSFRS-R to drop to 24; dx its steepness; phases I early
//! semi-stable, II early progressive, III late progressive, IV late semi-stable; fitted with
//! Excel's Solver from presets); Steinbach R, Batyrbekova M, Gaur N, Voss A, Stubendorff B,
//! Mayer TE, Gaser C, Witte OW, Prell T, Grosskreutz J, "Applying the D50 disease progression
//! model to gray and white matter pathology in amyotrophic lateral sclerosis", NeuroImage:
//! Clinical 25 (2020) 102094, doi:10.1016/j.nicl.2019.102094 (D50 as the time to halved
//! functionality; the individual disease covered in phases; calculated functional state cFS and
//! loss cFL). Neither abstract gives the rD50 formula or says whether symptom onset enters the fit
//! as a data point; the full texts were not available to us.
//!
//! D50 = months until the modelled ALSFRS-R has halved (24 points); dx = months for the curve to
//! pass from 48/(1+e^−1) to 48/(1+e) around D50 (steepness). Fitted by least squares: one
//! Levenberg–Marquardt run on (log D50, log dx) (so D50 > 0 and dx > 0) from the logit-linear fit
//! (ln(48/y − 1) = (t − D50)/dx is linear in t), and, only when that gives no acceptable optimum,
//! the best of three runs from a log-spaced grid of start values. The optimum is the one R's
//! `nls(y ~ 48/(1+exp((t-d50)/dx)))` finds (src/models/tests.rs). A fit is kept only when the data
//! determine it (not flat at every visit, not a step, D50 and dx within 100 × the data's span).
//!
//! **Conventions of this tool** (not the authors' published rule, as far as we could check; the
//! analysis carries [`CONVENTIONS`] as a note so that the page and the report show it):
//!
//! 1. Symptom onset is not a data point: the fit uses the visits' scores only. The setting
//!    `d50_onset_point` adds 48 points at t = 0 as one more point of the fit (the curve's premise
//!    of full function at onset, as a datum); its RMSE then counts that point too.
//! 2. rD50 (the disease covered) is read as the fraction of function lost on the fitted curve,
//!
//!      rD50(t) = 1 − cFS(t)/48 = 1 / (1 + exp(−(t − D50)/dx)),
//!
//!    0.5 at D50, and the phases are cut at rD50 = 0.25, 0.5 and 0.75: phase I: rD50 < 0.25
//!    ((t − D50)/dx < −ln 3, cFS > 36), II: 0.25 ≤ rD50 < 0.5 (36 ≥ cFS > 24), III:
//!    0.5 ≤ rD50 < 0.75 (24 ≥ cFS > 12), IV: rD50 ≥ 0.75 (cFS ≤ 12). If the papers' rD50 is a
//!    ratio of times instead, only [`phase_of`] changes.

use super::{D50Curve, D50Entry, D50Phase};
use crate::data::{Dataset, Measure};

/// Result of one least-squares fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct D50Fit {
    pub d50: f64,
    pub dx: f64,
    /// sqrt(mean squared residual).
    pub rmse: f64,
    pub sse: f64,
    pub iterations: usize,
}

fn model(t: f64, d50: f64, dx: f64) -> f64 {
    let z = (t - d50) / dx;
    if z > 0.0 {
        let e = (-z).exp();
        48.0 * e / (1.0 + e)
    } else {
        48.0 / (1.0 + z.exp())
    }
}

fn sse(t: &[f64], y: &[f64], d50: f64, dx: f64) -> f64 {
    t.iter()
        .zip(y)
        .map(|(&ti, &yi)| (yi - model(ti, d50, dx)).powi(2))
        .sum()
}

/// Fraction of function lost on the fitted curve (the rD50 used for phases, see module docs).
pub fn rd50(t: f64, d50: f64, dx: f64) -> f64 {
    1.0 - model(t, d50, dx) / 48.0
}

/// Phase "I".."IV" from rD50 (boundaries 0.25, 0.5, 0.75).
pub fn phase_of(rd50: f64) -> &'static str {
    if rd50 < 0.25 {
        "I"
    } else if rd50 < 0.5 {
        "II"
    } else if rd50 < 0.75 {
        "III"
    } else {
        "IV"
    }
}

/// Levenberg–Marquardt on (log D50, log dx) from a start point. `None` when it does not converge
/// or runs away: D50 or dx beyond 1,000 times what [`determined`] accepts (100 × the data's
/// time span, at least 12 months), or dx below 1e-6 months (a step). Such a run would be rejected
/// anyway; stopping it early saves the hundreds of iterations it takes to creep along the flat
/// valley of a course without decline.
fn levenberg_marquardt(t: &[f64], y: &[f64], d0: f64, s0: f64) -> Option<D50Fit> {
    let far = (1e5 * t.iter().fold(12.0f64, |m, v| m.max(v.abs()))).ln();
    let step = 1e-6f64.ln();
    let (mut u, mut v) = (d0.ln(), s0.ln());
    let mut f = sse(t, y, d0, s0);
    let mut lambda = 1e-3;
    for it in 0..1000 {
        let iterations = it + 1;
        let (d, s) = (u.exp(), v.exp());
        // J columns: ∂f/∂log D50, ∂f/∂log dx; r = y − f
        let (mut a11, mut a12, mut a22, mut g1, mut g2) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&ti, &yi) in t.iter().zip(y) {
            let z = (ti - d) / s;
            // One exponential for the Jacobian and the model (`model`'s value, bit for bit).
            let e = (-z.abs()).exp();
            let sg = 1.0 / (1.0 + e);
            let w = sg * (1.0 - sg); // e^z/(1+e^z)², symmetric in z
            let j1 = 48.0 * w * d / s;
            let j2 = 48.0 * w * z;
            let fitted = if z > 0.0 {
                48.0 * e / (1.0 + e)
            } else {
                48.0 / (1.0 + e)
            };
            let r = yi - fitted;
            a11 += j1 * j1;
            a12 += j1 * j2;
            a22 += j2 * j2;
            g1 += j1 * r;
            g2 += j2 * r;
        }
        let mut accepted = false;
        for _ in 0..60 {
            let (b11, b22) = (a11 * (1.0 + lambda), a22 * (1.0 + lambda));
            let det = b11 * b22 - a12 * a12;
            if !(det > 0.0) || !det.is_finite() {
                lambda *= 10.0;
                continue;
            }
            let du = (b22 * g1 - a12 * g2) / det;
            let dv = (b11 * g2 - a12 * g1) / det;
            let (un, vn) = (u + du, v + dv);
            let fnew = sse(t, y, un.exp(), vn.exp());
            if fnew.is_finite() && fnew <= f {
                let small = du.abs() < 1e-12 && dv.abs() < 1e-12;
                let rel = (f - fnew) / f.max(1e-300);
                u = un;
                v = vn;
                f = fnew;
                lambda = (lambda / 10.0).max(1e-12);
                accepted = true;
                if small || (rel < 1e-16 && du.abs() < 1e-9 && dv.abs() < 1e-9) {
                    let n = t.len() as f64;
                    return Some(D50Fit {
                        d50: u.exp(),
                        dx: v.exp(),
                        rmse: (f / n).sqrt(),
                        sse: f,
                        iterations,
                    });
                }
                break;
            }
            lambda *= 10.0;
            if lambda > 1e16 {
                break;
            }
        }
        if !accepted {
            // no further decrease possible: converged to the noise floor if the gradient is tiny
            let gnorm = (g1 * g1 + g2 * g2).sqrt();
            if gnorm <= 1e-6 * (1.0 + f) {
                let n = t.len() as f64;
                return Some(D50Fit {
                    d50: u.exp(),
                    dx: v.exp(),
                    rmse: (f / n).sqrt(),
                    sse: f,
                    iterations,
                });
            }
            return None;
        }
        if !(u.is_finite() && v.is_finite())
            || u.abs() > 50.0
            || v.abs() > 50.0
            || u > far
            || v > far
            || v < step
        {
            return None;
        }
    }
    None
}

/// Least-squares D50 fit of `y` (ALSFRS-R) on `t` (months since onset). `None` when no finite
/// interior optimum is found (e.g. no decline: D50 runs off to infinity).
///
/// One Levenberg–Marquardt run from the logit-linear fit ([`logit_start`]: the model is linear in
/// t on the logit scale, ln(48/y − 1) = (t − D50)/dx); only when that start gives no acceptable
/// optimum, the best of three runs from a log-spaced grid of start values ([`grid_fit`]).
pub fn fit_d50_curve(t: &[f64], y: &[f64]) -> Option<D50Fit> {
    if t.len() < 3 || t.len() != y.len() || t.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    logit_start(t, y)
        .and_then(|(d, s)| levenberg_marquardt(t, y, d, s))
        .filter(|f| determined(t, f))
        .or_else(|| grid_fit(t, y).filter(|f| determined(t, f)))
}

/// Start values from the logit-linear fit: OLS of z = ln((48 − y)/y) on t (scores clamped to
/// [0.5, 47.5], where the logit is finite), slope 1/dx, intercept −D50/dx. `None` without a
/// decline (slope ≤ 0), with D50 ≤ 0 (the fit works on log D50), or without two distinct times.
fn logit_start(t: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = t.len() as f64;
    let z = |yi: f64| {
        let v = yi.clamp(0.5, 47.5);
        ((48.0 - v) / v).ln()
    };
    let tm = t.iter().sum::<f64>() / n;
    let zm = y.iter().map(|&v| z(v)).sum::<f64>() / n;
    let (mut sxx, mut sxz) = (0.0, 0.0);
    for (&ti, &yi) in t.iter().zip(y) {
        sxx += (ti - tm) * (ti - tm);
        sxz += (ti - tm) * (z(yi) - zm);
    }
    let b = sxz / sxx;
    let (dx, d50) = (1.0 / b, tm - zm / b);
    (b > 0.0 && dx.is_finite() && d50 > 0.0 && d50.is_finite()).then_some((d50, dx))
}

/// The fallback start: the best of three Levenberg–Marquardt runs from the three best points (by
/// SSE, ties in grid order) of a log-spaced grid (D50 1..~1000 months, dx 0.25..~300 months,
/// 36 × 36 points). A point's SSE stops being summed once it cannot be among the three.
fn grid_fit(t: &[f64], y: &[f64]) -> Option<D50Fit> {
    // The three best (sse, d50, dx), in increasing SSE.
    let mut top: Vec<(f64, f64, f64)> = Vec::with_capacity(4);
    for i in 0..36 {
        let d = 1.0 * 1.22f64.powi(i);
        for j in 0..36 {
            let s = 0.25 * 1.22f64.powi(j);
            let bound = if top.len() == 3 {
                top[2].0
            } else {
                f64::INFINITY
            };
            let mut e = 0.0;
            for (&ti, &yi) in t.iter().zip(y) {
                e += (yi - model(ti, d, s)).powi(2);
                if e >= bound {
                    break;
                }
            }
            // NaN or not better than the third: not among the three (a tie stays behind).
            if !(e < bound) {
                continue;
            }
            let at = top.partition_point(|p| p.0 <= e);
            top.insert(at, (e, d, s));
            top.truncate(3);
        }
    }
    let mut best: Option<D50Fit> = None;
    for &(_, d, s) in &top {
        if let Some(f) = levenberg_marquardt(t, y, d, s) {
            if best.map_or(true, |b| f.sse < b.sse) {
                best = Some(f);
            }
        }
    }
    best
}

/// Whether the data pin the fitted curve down: an optimum far outside any plausible course, a
/// curve that is flat (saturated) at every visit, or a singular information matrix means D50 and
/// dx are not determined by these scores (e.g. no loss at all: D50 → ∞, or a step: dx → 0).
fn determined(t: &[f64], f: &D50Fit) -> bool {
    let tmax = t.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let plausible = f.d50 < 100.0 * tmax.max(12.0) && f.dx < 100.0 * tmax.max(12.0) && f.dx > 1e-3;
    let (mut a11, mut a12, mut a22, mut wmax) = (0.0, 0.0, 0.0, 0.0f64);
    for &ti in t {
        let z = (ti - f.d50) / f.dx;
        let sg = 1.0 / (1.0 + (-z.abs()).exp());
        let w = sg * (1.0 - sg);
        let (j1, j2) = (48.0 * w * f.d50 / f.dx, 48.0 * w * z);
        a11 += j1 * j1;
        a12 += j1 * j2;
        a22 += j2 * j2;
        wmax = wmax.max(w);
    }
    let det = a11 * a22 - a12 * a12;
    let tr = a11 + a22;
    plausible && wmax > 1e-4 && det > 1e-10 * tr * tr
}

/// What an analysis with D50 fits says about them (a note of `Analysis::model_notes`): the
/// choices that are this tool's conventions (see the module docs), given `onset_point`
/// (`Settings::d50_onset_point`).
pub fn conventions(onset_point: bool) -> String {
    format!(
        "D50 model: two choices are conventions of this tool, not a rule published by the model's \
         authors (as far as we could check): {}; and the phases are read from rD50 as the fraction \
         of function lost on the fitted curve, 1 − cFS/48, cut at 0.25 (I/II), 0.5 (II/III, the \
         D50) and 0.75 (III/IV)",
        if onset_point {
            "symptom onset is added to each fit as one more point, 48 points at t = 0 (setting \
             d50_onset_point)"
        } else {
            "symptom onset is not a data point, the fit uses the visits' scores only (setting \
             d50_onset_point adds 48 points at onset)"
        }
    )
}

/// D50 fits for every patient (ALSFRS-R against months since onset). Patients without onset,
/// with fewer than 3 ALSFRS-R visits, or whose fit does not converge get a note and no numbers.
/// `month_days`: days per month (`Settings::month_len`); `onset_point`: add 48 points at t = 0 to
/// each fit (`Settings::d50_onset_point`; the phases are still those of the visits).
pub fn fit_d50(ds: &Dataset, month_days: f64, onset_point: bool) -> Vec<D50Entry> {
    let md = month_days;
    let mi = Measure::AlsfrsR.index();
    crate::par::map(&ds.patients, |p| {
        let onset = p.onset.filter(|o| o.is_finite());
        // Months since onset and scores: the onset point first when asked for.
        let mut t: Vec<f64> = Vec::with_capacity(p.visits.len() + 1);
        let mut y: Vec<f64> = Vec::with_capacity(p.visits.len() + 1);
        if onset_point {
            t.push(0.0);
            y.push(48.0);
        }
        let first = t.len();
        for v in &p.visits {
            if let Some(sc) = v.scores.get(mi) {
                let ti = (v.day - onset.unwrap_or(0.0)) / md;
                if ti.is_finite() && sc.is_finite() {
                    t.push(ti);
                    y.push(sc);
                }
            }
        }
        let n_visits = t.len() - first;
        let mut e = D50Entry {
            id: p.id.clone(),
            group: p.group.clone(),
            n_visits,
            curve: None,
            note: None,
        };
        if onset.is_none() {
            e.note = Some("no symptom onset date: D50 needs months since onset".into());
            return e;
        }
        if n_visits < 3 {
            e.note = Some(
                format!("{n_visits} ALSFRS-R visit(s): at least 3 are needed for a D50 fit").into(),
            );
            return e;
        }
        match fit_d50_curve(&t, &y) {
            Some(f) => {
                e.curve = Some(Box::new(D50Curve {
                    d50: f.d50,
                    dx: f.dx,
                    rmse: f.rmse,
                    phases: t[first..]
                        .iter()
                        .map(|&ti| D50Phase {
                            t: ti,
                            phase: phase_of(rd50(ti, f.d50, f.dx)).into(),
                        })
                        .collect(),
                }));
                if t[first..].iter().any(|&ti| ti < 0.0) {
                    e.note = Some("some visits precede the recorded onset".into());
                }
            }
            None => {
                e.note = Some("D50 fit did not converge (the scores do not determine a sigmoidal decline: e.g. no loss, or a step-like drop)".into());
            }
        }
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The logit-linear start and the grid reach the same optimum, to 1e-6, on noisy sigmoid
    /// courses of every steepness and stage (what the old code did for every patient: the grid,
    /// then three runs).
    #[test]
    fn logit_start_and_grid_reach_the_same_optimum() {
        let mut compared = 0;
        for (k, (d50, dx)) in [
            (20.0, 6.0),
            (40.0, 12.0),
            (12.0, 3.0),
            (60.0, 25.0),
            (8.0, 1.5),
        ]
        .into_iter()
        .enumerate()
        {
            for first in [1.0, 6.0, 15.0, 30.0] {
                let t: Vec<f64> = (0..9).map(|i| first + 2.5 * i as f64).collect();
                let y: Vec<f64> = t
                    .iter()
                    .enumerate()
                    .map(|(i, &ti)| {
                        let noise = 1.5 * (1.7 * (i + k) as f64).sin();
                        (model(ti, d50, dx) + noise).round().clamp(0.0, 48.0)
                    })
                    .collect();
                let fast = logit_start(&t, &y)
                    .and_then(|(d, s)| levenberg_marquardt(&t, &y, d, s))
                    .filter(|f| determined(&t, f));
                let grid = grid_fit(&t, &y).filter(|f| determined(&t, f));
                match (fast, grid) {
                    (Some(a), Some(b)) => {
                        for (p, q) in [(a.d50, b.d50), (a.dx, b.dx), (a.rmse, b.rmse)] {
                            assert!(
                                (p - q).abs() <= 1e-6 * q.abs(),
                                "{t:?} {y:?}: {a:?} vs {b:?}"
                            );
                        }
                        compared += 1;
                    }
                    (None, None) => {}
                    (a, b) => panic!("{t:?} {y:?}: {a:?} vs {b:?}"),
                }
            }
        }
        assert!(compared >= 12, "{compared} curves compared");
    }
}
