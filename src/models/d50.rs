//! Per-patient D50 model (Jena ALS group: Poesen et al. 2017; Prell et al. 2019;
//! Steinbach et al. 2020, "Applying the D50 disease progression model to gray and white matter
//! pathology in ALS", NeuroImage: Clinical):
//!
//!   ALSFRS-R(t) = 48 / (1 + exp((t − D50) / dx)),  t = months since symptom onset,
//!
//! D50 = months until the modelled ALSFRS-R has halved (24 points), dx = months for the curve to
//! pass from 48/(1+e^−1) to 48/(1+e) around D50 (steepness). Fitted by least squares
//! (Levenberg–Marquardt on log D50, log dx, so D50 > 0 and dx > 0, started from the best point of
//! a log-spaced grid); the interior optimum is the one R's `nls(y ~ 48/(1+exp((t-d50)/dx)))`
//! finds.
//!
//! Phases. The Jena papers split the course into phase I (early semi-stable), II (early
//! progressive), III (late progressive) and IV (late semi-stable) by the "reconstructed" rD50,
//! with boundaries at rD50 = 0.25, 0.5 and 0.75 (0.5 = D50). We could not retrieve the papers'
//! exact formula for rD50 (the literature search available here returned only abstracts), so we
//! use the model-based reading consistent with rD50 = 0.5 at D50 and with the phase names: rD50 is
//! the fraction of function lost on the fitted curve,
//!
//!   rD50(t) = 1 − cFS(t)/48 = 1 / (1 + exp(−(t − D50)/dx)),
//!
//! so phase I: rD50 < 0.25 ((t − D50)/dx < −ln 3, calculated ALSFRS-R > 36), phase II:
//! 0.25 ≤ rD50 < 0.5 (36 ≥ cFS > 24), phase III: 0.5 ≤ rD50 < 0.75 ((t − D50)/dx < ln 3,
//! 24 ≥ cFS > 12), phase IV: rD50 ≥ 0.75 (cFS ≤ 12). If the papers' rD50 is instead a ratio of
//! times, only `phase_of` needs to change.

use super::{D50Entry, D50Phase};
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

/// Levenberg–Marquardt on (log D50, log dx) from a start point.
fn levenberg_marquardt(t: &[f64], y: &[f64], d0: f64, s0: f64) -> Option<D50Fit> {
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
            let sg = 1.0 / (1.0 + (-z.abs()).exp());
            let w = sg * (1.0 - sg); // e^z/(1+e^z)², symmetric in z
            let j1 = 48.0 * w * d / s;
            let j2 = 48.0 * w * z;
            let r = yi - model(ti, d, s);
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
        if !(u.is_finite() && v.is_finite()) || u.abs() > 50.0 || v.abs() > 50.0 {
            return None;
        }
    }
    None
}

/// Least-squares D50 fit of `y` (ALSFRS-R) on `t` (months since onset). `None` when no finite
/// interior optimum is found (e.g. no decline: D50 runs off to infinity).
pub fn fit_d50_curve(t: &[f64], y: &[f64]) -> Option<D50Fit> {
    if t.len() < 3 || t.len() != y.len() || t.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    // grid start: D50 1..~1000 months, dx 0.25..~300 months (log spaced)
    let mut grid: Vec<(f64, f64, f64)> = Vec::new();
    for i in 0..36 {
        let d = 1.0 * 1.22f64.powi(i);
        for j in 0..36 {
            let s = 0.25 * 1.22f64.powi(j);
            grid.push((sse(t, y, d, s), d, s));
        }
    }
    grid.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut best: Option<D50Fit> = None;
    for &(_, d, s) in grid.iter().take(3) {
        if let Some(f) = levenberg_marquardt(t, y, d, s) {
            if best.map_or(true, |b| f.sse < b.sse) {
                best = Some(f);
            }
        }
    }
    let f = best?;
    // The data must pin the curve down: an optimum far outside any plausible course, a curve that
    // is flat (saturated) at every visit, or a singular information matrix means D50 and dx are
    // not determined by these scores (e.g. no loss at all: D50 → ∞, or a step: dx → 0).
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
    let determined = wmax > 1e-4 && det > 1e-10 * tr * tr;
    (plausible && determined).then_some(f)
}

/// D50 fits for every patient (ALSFRS-R against months since onset). Patients without onset,
/// with fewer than 3 ALSFRS-R visits, or whose fit does not converge get a note and no numbers.
/// `month_days`: days per month (`Settings::month_len`).
pub fn fit_d50(ds: &Dataset, month_days: f64) -> Vec<D50Entry> {
    let md = month_days;
    let mi = Measure::AlsfrsR.index();
    crate::par::map(&ds.patients, |p| {
        let visits: Vec<(f64, f64)> = p
            .visits
            .iter()
            .filter_map(|v| v.scores.get(mi).map(|s| (v.day, s)))
            .filter(|(d, s)| d.is_finite() && s.is_finite())
            .collect();
        let mut e = D50Entry {
            id: p.id.to_string(),
            group: p.group.to_string(),
            n_visits: visits.len(),
            d50: None,
            dx: None,
            rmse: None,
            phases: Vec::new(),
            note: None,
        };
        let Some(onset) = p.onset.filter(|o| o.is_finite()) else {
            e.note = Some("no symptom onset date: D50 needs months since onset".into());
            return e;
        };
        if visits.len() < 3 {
            e.note = Some(format!(
                "{} ALSFRS-R visit(s): at least 3 are needed for a D50 fit",
                visits.len()
            ));
            return e;
        }
        let t: Vec<f64> = visits.iter().map(|(d, _)| (d - onset) / md).collect();
        let y: Vec<f64> = visits.iter().map(|(_, s)| *s).collect();
        match fit_d50_curve(&t, &y) {
            Some(f) => {
                e.d50 = Some(f.d50);
                e.dx = Some(f.dx);
                e.rmse = Some(f.rmse);
                e.phases = t
                    .iter()
                    .map(|&ti| D50Phase {
                        t: ti,
                        phase: phase_of(rd50(ti, f.d50, f.dx)).to_string(),
                    })
                    .collect();
                if t.iter().any(|&ti| ti < 0.0) {
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
