//! Linear mixed model `y ~ X + (1 + t | patient)` fitted as lme4 does (Bates, Mächler, Bolker &
//! Walker 2015, "Fitting Linear Mixed-Effects Models Using lme4", JSS 67(1)), with the
//! Satterthwaite degrees of freedom of lmerTest 3.1 (Kuznetsova, Brockhoff & Christensen 2017).
//!
//! Formulation (lme4 §3): relative covariance factor Λθ = blockdiag(T) with T = [[θ1, 0], [θ2, θ3]]
//! lower triangular (θ1, θ3 ≥ 0), so Var(b_i) = σ² T Tᵀ. The sparse Cholesky factor Lθ of
//! ΛθᵀZᵀZΛθ + I is block diagonal with one 2×2 block per patient, and the fixed effects enter through
//! the p×p Schur complement RXᵀRX = XᵀX − RZXᵀRZX. Everything is computed from per-patient
//! cross-products (ZᵢᵀZᵢ, ZᵢᵀXᵢ, Zᵢᵀy), so one deviance evaluation costs O(m·p²) after one O(n·p²)
//! pass over the data.
//!
//! Profiled deviances (lme4 eqs. 34 and 41):
//!   ML:   log|Lθ|² + n (1 + log(2π r²(θ) / n))
//!   REML: log|Lθ|² + log|RX|² + (n − p)(1 + log(2π r²(θ) / (n − p)))
//! with r²(θ) the penalised residual sum of squares at the conditional modes.
//!
//! θ is optimised by Nelder–Mead over R³ (every Σ = TTᵀ is reachable, and the result is mapped back
//! to lme4's canonical θ1, θ3 ≥ 0), then polished by a projected Newton method with finite-difference
//! derivatives, with the boundaries θ1 = 0 / θ3 = 0 tried explicitly (singular fits).

use super::FixedEffect;
use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::beta::beta_reg;
use statrs::function::gamma::ln_gamma;
use std::cell::Cell;

/// Result of [`fit_lmm`].
#[derive(Debug, Clone, PartialEq)]
pub struct LmmFit {
    /// Terms kept in the model, in the order of `x_names` (rank-deficient columns removed).
    pub terms: Vec<String>,
    /// Terms dropped because their column was linearly dependent on earlier ones (as lme4 does,
    /// "fixed-effect model matrix is rank deficient so dropping k columns").
    pub dropped: Vec<String>,
    /// Fixed effects with lmerTest's Satterthwaite df, p-values and 95% CIs.
    pub fixed: Vec<FixedEffect>,
    /// Variance–covariance matrix of the fixed effects (lme4's `vcov()`), terms order.
    pub vcov: Vec<Vec<f64>>,
    /// lme4's θ = (θ11, θ21, θ22) (`getME(m, "theta")`).
    pub theta: [f64; 3],
    /// Residual SD (`sigma()`).
    pub sigma: f64,
    pub sd_intercept: f64,
    pub sd_slope: f64,
    /// Correlation of the random intercept and slope; `None` when either SD is 0.
    pub corr: Option<f64>,
    /// REML criterion (`REMLcrit()`) or, under ML, the deviance (`deviance()`).
    pub criterion: f64,
    pub log_lik: f64,
    pub reml: bool,
    pub n_obs: usize,
    pub n_groups: usize,
    pub converged: bool,
    /// lme4's `isSingular()`: θ11 or θ22 < 1e-4.
    pub singular: bool,
    /// Deviance evaluations used by the optimiser.
    pub evaluations: usize,
    /// Messages R would print as warnings (e.g. lmerTest's Hessian eigenvalue warnings).
    pub warnings: Vec<String>,
}

/// Cross-product summary of the data; all a deviance evaluation needs.
struct Problem {
    n: usize,
    p: usize,
    m: usize,
    /// Per patient: [Σ1, Σt, Σt²] = ZᵢᵀZᵢ.
    zz: Vec<[f64; 3]>,
    /// Per patient ZᵢᵀXᵢ (2 × p, row-major): row 0 = Σ x, row 1 = Σ t·x.
    zx: Vec<f64>,
    /// Per patient Zᵢᵀy.
    zy: Vec<[f64; 2]>,
    xtx: Vec<f64>,
    xty: Vec<f64>,
    yty: f64,
    evals: Cell<usize>,
}

struct Eval {
    /// log|Lθ|²
    ld_l2: f64,
    /// log|RX|² = log det(XᵀX − RZXᵀRZX)
    ld_rx2: f64,
    /// Penalised residual sum of squares r²(θ).
    pwrss: f64,
    /// Lower Cholesky factor of RXᵀRX (p × p row-major).
    achol: Vec<f64>,
    beta: Vec<f64>,
}

/// In-place lower Cholesky of a p×p row-major SPD matrix (lower triangle used). None if not PD.
fn cholesky(a: &mut [f64], p: usize) -> Option<()> {
    for j in 0..p {
        let mut d = a[j * p + j];
        for k in 0..j {
            d -= a[j * p + k] * a[j * p + k];
        }
        if !(d > 0.0) || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * p + j] = d;
        for i in j + 1..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= a[i * p + k] * a[j * p + k];
            }
            a[i * p + j] = s / d;
        }
        for k in j + 1..p {
            a[j * p + k] = 0.0;
        }
    }
    Some(())
}

/// Solve L Lᵀ x = b given the lower Cholesky factor.
fn chol_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut z = b.to_vec();
    for i in 0..p {
        let mut s = z[i];
        for k in 0..i {
            s -= l[i * p + k] * z[k];
        }
        z[i] = s / l[i * p + i];
    }
    for i in (0..p).rev() {
        let mut s = z[i];
        for k in i + 1..p {
            s -= l[k * p + i] * z[k];
        }
        z[i] = s / l[i * p + i];
    }
    z
}

/// (L Lᵀ)⁻¹ as a full p×p row-major matrix.
fn chol_inverse(l: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    let mut e = vec![0.0; p];
    for j in 0..p {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = chol_solve(l, p, &e);
        for i in 0..p {
            inv[i * p + j] = col[i];
        }
    }
    inv
}

impl Problem {
    fn eval(&self, th: &[f64]) -> Option<Eval> {
        self.evals.set(self.evals.get() + 1);
        let (a, b, c) = (th[0], th[1], th[2]);
        let p = self.p;
        let mut s = vec![0.0; p * p];
        let mut sv = vec![0.0; p];
        let mut r0 = vec![0.0; p];
        let mut r1 = vec![0.0; p];
        let mut cu2 = 0.0;
        let mut ld = 0.0;
        let mut prod = 1.0f64;
        for i in 0..self.m {
            let [m11, m12, m22] = self.zz[i];
            // TᵀZᵢᵀZᵢT + I and its 2×2 Cholesky factor.
            let a00 = a * (m11 * a + m12 * b) + b * (m12 * a + m22 * b) + 1.0;
            let a01 = c * (a * m12 + b * m22);
            let a11 = c * c * m22 + 1.0;
            let l11 = a00.sqrt();
            let l21 = a01 / l11;
            let l22 = (a11 - l21 * l21).sqrt();
            // log|Lθ|: multiply the (≥ 1) diagonal products and take one log now and then
            prod *= l11 * l22;
            if prod > 1e250 {
                ld += prod.ln();
                prod = 1.0;
            }
            let zx = &self.zx[i * 2 * p..(i + 1) * 2 * p];
            for j in 0..p {
                let (x0, x1) = (zx[j], zx[p + j]);
                let u0 = (a * x0 + b * x1) / l11;
                r0[j] = u0;
                r1[j] = (c * x1 - l21 * u0) / l22;
            }
            let [y0, y1] = self.zy[i];
            let c0 = (a * y0 + b * y1) / l11;
            let c1 = (c * y1 - l21 * c0) / l22;
            cu2 += c0 * c0 + c1 * c1;
            for j in 0..p {
                sv[j] += r0[j] * c0 + r1[j] * c1;
                let row = &mut s[j * p..j * p + j + 1];
                for (k, v) in row.iter_mut().enumerate() {
                    *v += r0[j] * r0[k] + r1[j] * r1[k];
                }
            }
        }
        ld += prod.ln();
        let mut achol = vec![0.0; p * p];
        for j in 0..p {
            for k in 0..=j {
                achol[j * p + k] = self.xtx[j * p + k] - s[j * p + k];
            }
        }
        cholesky(&mut achol, p)?;
        let rhs: Vec<f64> = (0..p).map(|j| self.xty[j] - sv[j]).collect();
        let beta = chol_solve(&achol, p, &rhs);
        let pwrss = self.yty - cu2 - beta.iter().zip(&rhs).map(|(x, y)| x * y).sum::<f64>();
        if !(pwrss > 0.0) || !pwrss.is_finite() || !ld.is_finite() {
            return None;
        }
        let ld_rx2 = 2.0 * (0..p).map(|j| achol[j * p + j].ln()).sum::<f64>();
        Some(Eval {
            ld_l2: 2.0 * ld,
            ld_rx2,
            pwrss,
            achol,
            beta,
        })
    }

    /// Profiled deviance (REML criterion or ML deviance) at θ; +∞ where undefined.
    fn objective(&self, th: &[f64], reml: bool) -> f64 {
        let Some(e) = self.eval(th) else {
            return f64::INFINITY;
        };
        let two_pi = 2.0 * std::f64::consts::PI;
        let v = if reml {
            let nmp = (self.n - self.p) as f64;
            e.ld_l2 + e.ld_rx2 + nmp * (1.0 + (two_pi * e.pwrss / nmp).ln())
        } else {
            let n = self.n as f64;
            e.ld_l2 + n * (1.0 + (two_pi * e.pwrss / n).ln())
        };
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    }

    /// lmerTest's `devfun_vp`: the (unprofiled) deviance at varpar = (θ, σ).
    fn devfun_vp(&self, vp: &[f64], reml: bool) -> f64 {
        let Some(e) = self.eval(&vp[..3]) else {
            return f64::NAN;
        };
        let sigma2 = vp[3] * vp[3];
        let two_pi = 2.0 * std::f64::consts::PI;
        let mut dev = e.ld_l2 + e.pwrss / sigma2 + self.n as f64 * (two_pi * sigma2).ln();
        if reml {
            dev += e.ld_rx2 - self.p as f64 * (two_pi * sigma2).ln();
        }
        dev
    }

    /// lmerTest's `get_covbeta`: σ² (RXᵀRX)⁻¹ at varpar = (θ, σ), flattened column-major.
    fn covbeta(&self, vp: &[f64]) -> Vec<f64> {
        let p = self.p;
        let Some(e) = self.eval(&vp[..3]) else {
            return vec![f64::NAN; p * p];
        };
        let inv = chol_inverse(&e.achol, p);
        let s2 = vp[3] * vp[3];
        // symmetric, so row-major == column-major
        inv.into_iter().map(|v| v * s2).collect()
    }
}

/// lme4's canonical θ: θ11, θ22 ≥ 0 (T and −T, or T with its second column negated, give the
/// same Σ = TTᵀ).
fn canonical(x: &[f64]) -> [f64; 3] {
    let (mut a, mut b, c) = (x[0], x[1], x[2]);
    if a < 0.0 {
        a = -a;
        b = -b;
    }
    [a, b, c.abs()]
}

/// Plain Nelder–Mead (Lagarias et al. 1998 coefficients) on R³.
fn nelder_mead(
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

struct Polished {
    theta: [f64; 3],
    f: f64,
    /// Newton-scaled gradient (|H⁻¹g|∞) on the free coordinates at the end.
    scaled_grad: f64,
}

/// Projected Newton with finite-difference derivatives on the free coordinates; θ1, θ3 ≥ 0.
fn polish(f: &dyn Fn(&[f64]) -> f64, x0: [f64; 3], free: [bool; 3]) -> Polished {
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

/// numDeriv's `genD`-based `hessian()` (Richardson, d = 0.1, eps = 1e-4, r = 4, v = 2), as
/// lmerTest calls it.
fn numderiv_hessian(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<Vec<f64>> {
    let (d, eps, r) = (0.1, 1e-4, 4usize);
    let zero_tol = (f64::EPSILON / 7e-7).sqrt();
    let n = x.len();
    let f0 = f(x);
    let h0: Vec<f64> = x
        .iter()
        .map(|&v| (d * v).abs() + if v.abs() < zero_tol { eps } else { 0.0 })
        .collect();
    let mut hdiag = vec![0.0; n];
    let mut hess = vec![vec![0.0; n]; n];
    let richardson = |mut a: Vec<f64>| -> f64 {
        for m in 1..r {
            let p4 = 4f64.powi(m as i32);
            for k in 0..r - m {
                a[k] = (a[k + 1] * p4 - a[k]) / (p4 - 1.0);
            }
        }
        a[0]
    };
    for i in 0..n {
        let mut h = h0.clone();
        let mut ha = vec![0.0; r];
        for k in 0..r {
            let mut xp = x.to_vec();
            let mut xm = x.to_vec();
            xp[i] += h[i];
            xm[i] -= h[i];
            let (f1, f2) = (f(&xp), f(&xm));
            ha[k] = (f1 - 2.0 * f0 + f2) / (h[i] * h[i]);
            h.iter_mut().for_each(|v| *v /= 2.0);
        }
        hdiag[i] = richardson(ha);
        hess[i][i] = hdiag[i];
    }
    for i in 0..n {
        for j in 0..i {
            let mut h = h0.clone();
            let mut da = vec![0.0; r];
            for k in 0..r {
                let mut xp = x.to_vec();
                let mut xm = x.to_vec();
                xp[i] += h[i];
                xp[j] += h[j];
                xm[i] -= h[i];
                xm[j] -= h[j];
                let (f1, f2) = (f(&xp), f(&xm));
                da[k] = (f1 - 2.0 * f0 + f2 - hdiag[i] * h[i] * h[i] - hdiag[j] * h[j] * h[j])
                    / (2.0 * h[i] * h[j]);
                h.iter_mut().for_each(|v| *v /= 2.0);
            }
            let v = richardson(da);
            hess[i][j] = v;
            hess[j][i] = v;
        }
    }
    hess
}

/// numDeriv's `jacobian()` (Richardson, d = 1e-4, eps = 1e-4, r = 4, v = 2): column i = ∂f/∂x_i.
fn numderiv_jacobian(f: &dyn Fn(&[f64]) -> Vec<f64>, x: &[f64]) -> Vec<Vec<f64>> {
    let (d, eps, r) = (1e-4, 1e-4, 4usize);
    let zero_tol = (f64::EPSILON / 7e-7).sqrt();
    let n = x.len();
    let mut h: Vec<f64> = x
        .iter()
        .map(|&v| (d * v).abs() + if v.abs() < zero_tol { eps } else { 0.0 })
        .collect();
    // a[k][i] = vector of central differences
    let mut a: Vec<Vec<Vec<f64>>> = Vec::with_capacity(r);
    for _k in 0..r {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            let mut xp = x.to_vec();
            let mut xm = x.to_vec();
            xp[i] += h[i];
            xm[i] -= h[i];
            let (fp, fm) = (f(&xp), f(&xm));
            row.push(
                fp.iter()
                    .zip(&fm)
                    .map(|(p, m)| (p - m) / (2.0 * h[i]))
                    .collect::<Vec<f64>>(),
            );
        }
        a.push(row);
        h.iter_mut().for_each(|v| *v /= 2.0);
    }
    for m in 1..r {
        let p4 = 4f64.powi(m as i32);
        let next: Vec<Vec<Vec<f64>>> = (0..r - m)
            .map(|k| {
                (0..n)
                    .map(|i| {
                        a[k + 1][i]
                            .iter()
                            .zip(&a[k][i])
                            .map(|(hi, lo)| (hi * p4 - lo) / (p4 - 1.0))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        a = next;
    }
    a.swap_remove(0)
}

/// Eigen-decomposition of a small symmetric matrix (cyclic Jacobi). Returns (values, vectors as
/// columns: vecs[row][col]).
fn sym_eigen(m: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = m.len();
    let mut a: Vec<Vec<f64>> = m.to_vec();
    let mut v = vec![vec![0.0; n]; n];
    for i in 0..n {
        v[i][i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let tot: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum::<f64>() + off;
        if off <= 1e-30 * tot.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k][p], v[k][q]);
                    v[k][p] = c * vkp - s * vkq;
                    v[k][q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

/// Two-sided p-value of a t statistic: 2·pt(|t|, df, lower.tail = FALSE).
pub fn p_two_sided(t: f64, df: f64) -> Option<f64> {
    if !t.is_finite() || !(df > 0.0) || !df.is_finite() {
        return None;
    }
    let p = beta_reg(df / 2.0, 0.5, df / (df + t * t));
    p.is_finite().then_some(p.clamp(0.0, 1.0))
}

/// qt(prob, df) for prob in (0.5, 1): statrs' inverse, polished by Newton on the exact CDF.
pub fn qt_upper(prob: f64, df: f64) -> Option<f64> {
    if !(df > 0.0) || !df.is_finite() || !(prob > 0.5 && prob < 1.0) {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let mut t = dist.inverse_cdf(prob);
    if !t.is_finite() || t <= 0.0 {
        t = 2.0;
    }
    let lnc =
        ln_gamma((df + 1.0) / 2.0) - ln_gamma(df / 2.0) - 0.5 * (df * std::f64::consts::PI).ln();
    for _ in 0..8 {
        let cdf = 1.0 - 0.5 * beta_reg(df / 2.0, 0.5, df / (df + t * t));
        let pdf = (lnc - (df + 1.0) / 2.0 * (1.0 + t * t / df).ln()).exp();
        let step = (cdf - prob) / pdf;
        if !step.is_finite() {
            break;
        }
        t -= step;
        if step.abs() < 1e-15 * t.abs() {
            break;
        }
    }
    t.is_finite().then_some(t)
}

/// Fit `y ~ X + (1 + t | group)` by REML (`reml = true`) or ML.
///
/// `x`: n rows of p fixed-effect columns (include a column of 1s for the intercept);
/// `t`: the random-slope covariate; `groups`: patient index per observation.
/// Linearly dependent columns are dropped in order (like lme4) and listed in `dropped`.
pub fn fit_lmm(
    y: &[f64],
    x: &[Vec<f64>],
    x_names: &[String],
    t: &[f64],
    groups: &[usize],
    reml: bool,
) -> Result<LmmFit, String> {
    let n = y.len();
    if x.len() != n || t.len() != n || groups.len() != n {
        return Err("y, x, t and groups must have the same length".into());
    }
    if n == 0 {
        return Err("no observations".into());
    }
    let p_all = x_names.len();
    if p_all == 0 || x.iter().any(|r| r.len() != p_all) {
        return Err("every row of x must have one value per term".into());
    }
    if y.iter()
        .chain(t.iter())
        .chain(x.iter().flatten())
        .any(|v| !v.is_finite())
    {
        return Err("non-finite value in the data".into());
    }
    // dense patient indices
    let gmax = groups.iter().copied().max().unwrap_or(0);
    let mut map = vec![usize::MAX; gmax + 1];
    let mut m = 0;
    for &g in groups {
        if map[g] == usize::MAX {
            map[g] = m;
            m += 1;
        }
    }
    if m < 2 {
        return Err("fewer than 2 patients: between-patient variation cannot be estimated".into());
    }
    if n <= 2 * m {
        return Err(format!(
            "number of observations ({n}) ≤ number of random effects ({}): too few repeated visits for a random intercept and slope per patient (lme4 refuses this model)",
            2 * m
        ));
    }
    // full XᵀX for the rank check
    let mut xtx_all = vec![0.0; p_all * p_all];
    for r in x {
        for j in 0..p_all {
            for k in 0..=j {
                xtx_all[j * p_all + k] += r[j] * r[k];
            }
        }
    }
    let mut keep: Vec<usize> = Vec::new();
    let mut lsel: Vec<Vec<f64>> = Vec::new(); // rows of the Cholesky factor of the kept block
    for j in 0..p_all {
        let d = xtx_all[j * p_all + j];
        if !(d > 0.0) {
            continue;
        }
        let mut w = Vec::with_capacity(keep.len());
        for (a, &ka) in keep.iter().enumerate() {
            let mut s = xtx_all[j * p_all + ka];
            for b in 0..a {
                s -= lsel[a][b] * w[b];
            }
            w.push(s / lsel[a][a]);
        }
        let resid = d - w.iter().map(|v| v * v).sum::<f64>();
        if resid > 1e-10 * d {
            w.push(resid.sqrt());
            lsel.push(w);
            keep.push(j);
        }
    }
    let dropped: Vec<String> = (0..p_all)
        .filter(|j| !keep.contains(j))
        .map(|j| x_names[j].clone())
        .collect();
    let p = keep.len();
    if n <= p {
        return Err(format!("{n} observations for {p} fixed effects"));
    }
    // Centre y when there is an intercept column (improves r²(θ) = yᵀy − … numerically; only the
    // intercept moves, by the shift).
    let icol = keep.iter().position(|&j| x.iter().all(|r| r[j] == 1.0));
    let shift = if icol.is_some() {
        y.iter().sum::<f64>() / n as f64
    } else {
        0.0
    };
    let mut prob = Problem {
        n,
        p,
        m,
        zz: vec![[0.0; 3]; m],
        zx: vec![0.0; m * 2 * p],
        zy: vec![[0.0; 2]; m],
        xtx: vec![0.0; p * p],
        xty: vec![0.0; p],
        yty: 0.0,
        evals: Cell::new(0),
    };
    let mut xr = vec![0.0; p];
    for r in 0..n {
        let i = map[groups[r]];
        let (tr, yr) = (t[r], y[r] - shift);
        for (a, &j) in keep.iter().enumerate() {
            xr[a] = x[r][j];
        }
        let zz = &mut prob.zz[i];
        zz[0] += 1.0;
        zz[1] += tr;
        zz[2] += tr * tr;
        let zx = &mut prob.zx[i * 2 * p..(i + 1) * 2 * p];
        for a in 0..p {
            zx[a] += xr[a];
            zx[p + a] += tr * xr[a];
        }
        prob.zy[i][0] += yr;
        prob.zy[i][1] += tr * yr;
        for a in 0..p {
            prob.xty[a] += xr[a] * yr;
            for b in 0..=a {
                prob.xtx[a * p + b] += xr[a] * xr[b];
            }
        }
        prob.yty += yr * yr;
    }
    for a in 0..p {
        for b in a + 1..p {
            prob.xtx[a * p + b] = prob.xtx[b * p + a];
        }
    }

    // ---- optimise θ ----
    let obj = |th: &[f64]| prob.objective(th, reml);
    let obj_c = |th: &[f64]| prob.objective(&canonical(th), reml);
    let (mut xb, mut fb) = nelder_mead(&obj_c, [1.0, 0.0, 1.0], 0.5, 3000);
    for _ in 0..4 {
        let (x2, f2) = nelder_mead(&obj_c, xb, 0.05, 3000);
        let improved = f2 < fb - 1e-10 * fb.abs().max(1.0);
        if f2 < fb {
            xb = x2;
            fb = f2;
        }
        if !improved {
            break;
        }
    }
    if !fb.is_finite() {
        return Err("the deviance could not be evaluated (degenerate data)".into());
    }
    let th_nm = canonical(&xb);
    let scale = th_nm.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let mut best = polish(&obj, th_nm, [true, true, true]);
    let tie = |a: &Polished, b: &Polished| a.f <= b.f + 1e-10 * b.f.abs().max(1.0);
    let mut cands: Vec<Polished> = Vec::new();
    if th_nm[2] <= 1e-2 * scale || best.theta[2] <= 1e-2 * scale {
        cands.push(polish(
            &obj,
            [best.theta[0], best.theta[1], 0.0],
            [true, true, false],
        ));
    }
    if th_nm[0] <= 1e-2 * scale || best.theta[0] <= 1e-2 * scale {
        let c = (best.theta[1].powi(2) + best.theta[2].powi(2)).sqrt();
        cands.push(polish(&obj, [0.0, 0.0, c], [false, false, true]));
        cands.push(polish(&obj, [0.0, 0.0, 0.0], [false, false, false]));
    }
    for c in cands {
        if c.f.is_finite() && tie(&c, &best) {
            best = c;
        }
    }
    let theta = best.theta;
    let crit = best.f;
    if !crit.is_finite() {
        return Err("the optimiser did not reach a finite deviance".into());
    }
    let converged = best.scaled_grad.is_finite() && best.scaled_grad < 1e-5 * scale;

    // ---- estimates at θ̂ ----
    let e = prob.eval(&theta).ok_or("the fitted model is degenerate")?;
    let denom = if reml { (n - p) as f64 } else { n as f64 };
    let sigma = (e.pwrss / denom).sqrt();
    let mut beta = e.beta.clone();
    if let Some(ic) = icol {
        beta[ic] += shift;
    }
    let inv = chol_inverse(&e.achol, p);
    let vcov: Vec<Vec<f64>> = (0..p)
        .map(|i| (0..p).map(|j| sigma * sigma * inv[i * p + j]).collect())
        .collect();
    let [a, b, c] = theta;
    let sd_intercept = sigma * a;
    let sd_slope = sigma * (b * b + c * c).sqrt();
    let corr = if sd_intercept > 0.0 && sd_slope > 0.0 {
        Some((a * b / (a * (b * b + c * c).sqrt())).clamp(-1.0, 1.0))
    } else {
        None
    };
    let singular = a < 1e-4 || c < 1e-4;

    // ---- Satterthwaite (lmerTest::as_lmerModLT + contest1D) ----
    let mut warnings = Vec::new();
    let varpar = [a, b, c, sigma];
    let h = numderiv_hessian(&|vp: &[f64]| prob.devfun_vp(vp, reml), &varpar);
    let mut vcov_varpar: Option<Vec<Vec<f64>>> = None;
    if h.iter().flatten().all(|v| v.is_finite()) {
        let (vals, vecs) = sym_eigen(&h);
        let tol = 1e-8;
        let neg: Vec<f64> = vals.iter().copied().filter(|&v| v < -tol).collect();
        let zero: Vec<f64> = vals
            .iter()
            .copied()
            .filter(|&v| v > -tol && v < tol)
            .collect();
        if !neg.is_empty() {
            warnings.push(format!(
                "Model failed to converge with {} negative eigenvalue(s): {}",
                neg.len(),
                neg.iter()
                    .map(|v| format!("{v:.1e}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if !zero.is_empty() {
            warnings.push(format!(
                "Model may not have converged with {} eigenvalue(s) close to zero: {}",
                zero.len(),
                zero.iter()
                    .map(|v| format!("{v:.1e}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        let mut hinv = vec![vec![0.0; 4]; 4];
        for (k, &lam) in vals.iter().enumerate() {
            if lam > tol {
                for i in 0..4 {
                    for j in 0..4 {
                        hinv[i][j] += vecs[i][k] * vecs[j][k] / lam;
                    }
                }
            }
        }
        vcov_varpar = Some(
            hinv.into_iter()
                .map(|r| r.into_iter().map(|v| 2.0 * v).collect())
                .collect(),
        );
    } else {
        warnings.push("Hessian of the deviance not finite: Satterthwaite df unavailable".into());
    }
    let jac = numderiv_jacobian(&|vp: &[f64]| prob.covbeta(vp), &varpar);

    let q975 = |df: f64| qt_upper(0.975, df);
    let mut fixed = Vec::with_capacity(p);
    for j in 0..p {
        let est = beta[j];
        let var = vcov[j][j];
        let se = var.sqrt();
        let tv = est / se;
        let df = vcov_varpar.as_ref().and_then(|v| {
            // gradient of Var(β̂_j) w.r.t. varpar; Jac column k is vec(∂Cov/∂varpar_k)
            let g: Vec<f64> = (0..4).map(|k| jac[k][j * p + j]).collect();
            let den: f64 = (0..4)
                .map(|k| (0..4).map(|l| g[k] * v[k][l] * g[l]).sum::<f64>())
                .sum();
            let df = 2.0 * var * var / den;
            (df.is_finite() && df > 0.0).then_some(df)
        });
        let p_value = df.and_then(|d| p_two_sided(tv, d));
        let (ci_low, ci_high) = match df.and_then(q975) {
            Some(q) => (Some(est - q * se), Some(est + q * se)),
            None => (None, None),
        };
        if !est.is_finite() || !se.is_finite() || !tv.is_finite() {
            return Err(format!("non-finite estimate for {}", x_names[keep[j]]));
        }
        fixed.push(FixedEffect {
            term: x_names[keep[j]].clone(),
            estimate: est,
            se,
            df,
            t_value: tv,
            p_value,
            ci_low,
            ci_high,
        });
    }
    Ok(LmmFit {
        terms: keep.iter().map(|&j| x_names[j].clone()).collect(),
        dropped,
        fixed,
        vcov,
        theta,
        sigma,
        sd_intercept,
        sd_slope,
        corr,
        criterion: crit,
        log_lik: -crit / 2.0,
        reml,
        n_obs: n,
        n_groups: m,
        converged,
        singular,
        evaluations: prob.evals.get(),
        warnings,
    })
}
