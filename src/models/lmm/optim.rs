//! Optimisers of the profiled deviance over θ ∈ R³: Nelder–Mead, and a projected Newton polish
//! with finite-difference derivatives on chosen coordinates (θ1, θ3 ≥ 0).

use super::linalg::{chol_solve, cholesky};

/// Plain Nelder–Mead (Lagarias et al. 1998 coefficients) on R³.
pub(super) fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    x0: [f64; 3],
    step: f64,
    max_eval: usize,
) -> ([f64; 3], f64) {
    const D: usize = 3;
    let mut pts: Vec<[f64; 3]> = vec![x0];
    for i in 0..D {
        let mut x = x0;
        x[i] += if x[i].abs() > 1e-3 {
            step * x[i].abs().max(0.1)
        } else {
            step
        };
        pts.push(x);
    }
    let mut fv: Vec<f64> = pts.iter().map(|x| f(x)).collect();
    let mut evals = D + 1;
    while evals < max_eval {
        let mut idx: Vec<usize> = (0..=D).collect();
        idx.sort_by(|&i, &j| {
            fv[i]
                .partial_cmp(&fv[j])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        pts = idx.iter().map(|&i| pts[i]).collect();
        fv = idx.iter().map(|&i| fv[i]).collect();
        let (fb, fw) = (fv[0], fv[D]);
        let diam = (1..=D)
            .map(|i| {
                (0..D)
                    .map(|k| (pts[i][k] - pts[0][k]).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        let scale = pts[0].iter().fold(1.0f64, |m, v| m.max(v.abs()));
        if fb.is_finite() && (fw - fb).abs() <= 1e-10 * fb.abs().max(1.0) && diam <= 1e-6 * scale {
            break;
        }
        let mut cen = [0.0; D];
        for p in &pts[..D] {
            for k in 0..D {
                cen[k] += p[k] / D as f64;
            }
        }
        let lin = |t: f64| -> [f64; 3] {
            let mut x = [0.0; D];
            for k in 0..D {
                x[k] = cen[k] + t * (pts[D][k] - cen[k]);
            }
            x
        };
        let xr = lin(-1.0);
        let fr = f(&xr);
        evals += 1;
        if fr < fv[0] {
            let xe = lin(-2.0);
            let fe = f(&xe);
            evals += 1;
            if fe < fr {
                pts[D] = xe;
                fv[D] = fe;
            } else {
                pts[D] = xr;
                fv[D] = fr;
            }
        } else if fr < fv[D - 1] {
            pts[D] = xr;
            fv[D] = fr;
        } else {
            let (xc, fc) = if fr < fv[D] {
                let x = lin(-0.5);
                let v = f(&x);
                (x, v)
            } else {
                let x = lin(0.5);
                let v = f(&x);
                (x, v)
            };
            evals += 1;
            if fc < fv[D].min(fr) {
                pts[D] = xc;
                fv[D] = fc;
            } else {
                for i in 1..=D {
                    for k in 0..D {
                        pts[i][k] = pts[0][k] + 0.5 * (pts[i][k] - pts[0][k]);
                    }
                    fv[i] = f(&pts[i]);
                }
                evals += D;
            }
        }
    }
    let mut best = 0;
    for i in 1..pts.len() {
        if fv[i] < fv[best] {
            best = i;
        }
    }
    (pts[best], fv[best])
}

pub(super) struct Polished {
    pub theta: [f64; 3],
    pub f: f64,
    /// Newton-scaled gradient (|H⁻¹g|∞) on the free coordinates at the end.
    pub scaled_grad: f64,
}

/// Projected Newton with finite-difference derivatives on the free coordinates; θ1, θ3 ≥ 0.
pub(super) fn polish(f: &dyn Fn(&[f64]) -> f64, x0: [f64; 3], free: [bool; 3]) -> Polished {
    let idx: Vec<usize> = (0..3).filter(|&i| free[i]).collect();
    let k = idx.len();
    let mut x = x0;
    let mut fx = f(&x);
    let mut scaled = if k == 0 { 0.0 } else { f64::INFINITY };
    if k == 0 || !fx.is_finite() {
        return Polished {
            theta: x,
            f: fx,
            scaled_grad: scaled,
        };
    }
    let steps =
        |x: &[f64; 3]| -> Vec<f64> { idx.iter().map(|&i| 1e-3 * x[i].abs().max(0.05)).collect() };
    let at = |x: &[f64; 3], d: &[(usize, f64)]| -> f64 {
        let mut y = *x;
        for &(i, v) in d {
            y[i] += v;
        }
        f(&y)
    };
    for _iter in 0..30 {
        let h = steps(&x);
        // gradient: 5-point stencil (O(h⁴))
        let mut g = vec![0.0; k];
        let mut fp = vec![0.0; k];
        let mut fm = vec![0.0; k];
        for (a, &i) in idx.iter().enumerate() {
            let f1 = at(&x, &[(i, h[a])]);
            let f_1 = at(&x, &[(i, -h[a])]);
            let f2 = at(&x, &[(i, 2.0 * h[a])]);
            let f_2 = at(&x, &[(i, -2.0 * h[a])]);
            g[a] = (-f2 + 8.0 * f1 - 8.0 * f_1 + f_2) / (12.0 * h[a]);
            fp[a] = f1;
            fm[a] = f_1;
        }
        // Hessian: central differences
        let mut hm = vec![0.0; k * k];
        for a in 0..k {
            hm[a * k + a] = (fp[a] - 2.0 * fx + fm[a]) / (h[a] * h[a]);
            for b in 0..a {
                let (i, j) = (idx[a], idx[b]);
                let fpp = at(&x, &[(i, h[a]), (j, h[b])]);
                let fpm = at(&x, &[(i, h[a]), (j, -h[b])]);
                let fmp = at(&x, &[(i, -h[a]), (j, h[b])]);
                let fmm = at(&x, &[(i, -h[a]), (j, -h[b])]);
                let v = (fpp - fpm - fmp + fmm) / (4.0 * h[a] * h[b]);
                hm[a * k + b] = v;
                hm[b * k + a] = v;
            }
        }
        if g.iter().chain(hm.iter()).any(|v| !v.is_finite()) {
            break;
        }
        // Newton direction, Levenberg-regularised when H is not positive definite.
        let maxd = (0..k).map(|a| hm[a * k + a].abs()).fold(1e-12, f64::max);
        let mut lambda = 0.0;
        let d = loop {
            let mut l = hm.clone();
            for a in 0..k {
                l[a * k + a] += lambda;
            }
            if cholesky(&mut l, k).is_some() {
                let neg: Vec<f64> = g.iter().map(|v| -v).collect();
                break Some(chol_solve(&l, k, &neg));
            }
            lambda = if lambda == 0.0 {
                1e-8 * maxd
            } else {
                lambda * 10.0
            };
            if lambda > 1e12 * maxd {
                break None;
            }
        };
        let Some(d) = d else { break };
        scaled = d.iter().fold(0.0, |m, v| m.max(v.abs()));
        // line search, projecting θ1, θ3 onto [0, ∞)
        // Near the optimum the predicted decrease ½|gᵀd| falls below the rounding noise of the
        // deviance (≈ 1e-13·|f|·…); there the full Newton step, driven by the (accurate)
        // finite-difference gradient, is taken as long as f does not rise beyond that noise.
        let gd: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum::<f64>().abs();
        let noise = 1e-11 * fx.abs().max(1.0);
        let mut alpha = 1.0;
        let mut accepted = None;
        for ls in 0..40 {
            let mut y = x;
            for (a, &i) in idx.iter().enumerate() {
                y[i] += alpha * d[a];
                if i != 1 && y[i] < 0.0 {
                    y[i] = 0.0;
                }
            }
            let fy = f(&y);
            if fy < fx || (ls == 0 && gd <= noise && fy <= fx + noise) {
                accepted = Some((y, fy));
                break;
            }
            alpha *= 0.5;
        }
        let Some((y, fy)) = accepted else { break };
        let moved = idx
            .iter()
            .map(|&i| (y[i] - x[i]).abs() / x[i].abs().max(1.0))
            .fold(0.0, f64::max);
        x = y;
        fx = fy;
        // Newton converges quadratically: once a step is this small the remaining error is far
        // below the rounding noise of the deviance.
        if moved < 1e-8 {
            break;
        }
    }
    Polished {
        theta: x,
        f: fx,
        scaled_grad: scaled,
    }
}
