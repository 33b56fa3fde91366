//! The deviance function (lme4's `mkLmerDevfun`): the data reduced to per-patient
//! cross-products, and at any θ the sparse Cholesky factor Lθ (block diagonal, 2 × 2 per
//! patient), the Schur complement RXᵀRX, the conditional estimates and the penalised residual sum
//! of squares; from them the profiled deviances (REML criterion, ML deviance) and lmerTest's
//! deviance and fixed-effects covariance at (θ, σ).

use super::linalg::{chol_inverse, chol_solve, cholesky};
use std::cell::Cell;

/// Cross-product summary of the data; all a deviance evaluation needs.
pub(super) struct Problem {
    pub n: usize,
    pub p: usize,
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
    /// Deviance evaluations so far (reported as `LmmFit::evaluations`).
    pub evals: Cell<usize>,
}

/// The model at one θ: what the deviances and the estimates are made of.
pub(super) struct Eval {
    /// log|Lθ|²
    ld_l2: f64,
    /// log|RX|² = log det(XᵀX − RZXᵀRZX)
    ld_rx2: f64,
    /// Penalised residual sum of squares r²(θ).
    pub pwrss: f64,
    /// Lower Cholesky factor of RXᵀRX (p × p row-major).
    pub achol: Vec<f64>,
    pub beta: Vec<f64>,
}

impl Problem {
    /// One pass over the data: per-patient cross-products of the random-effects design
    /// Zᵢ = [1, t], the kept fixed-effect columns `keep` of `x` and y − `shift`; `patient[r]` is
    /// observation r's patient, numbered 0..`m`.
    pub fn new(
        y: &[f64],
        x: &[Vec<f64>],
        keep: &[usize],
        t: &[f64],
        patient: impl Fn(usize) -> usize,
        m: usize,
        shift: f64,
    ) -> Problem {
        let (n, p) = (y.len(), keep.len());
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
            let i = patient(r);
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
        prob
    }

    /// The model at θ (lme4's θ = (θ11, θ21, θ22)); None where it is degenerate.
    pub fn eval(&self, th: &[f64]) -> Option<Eval> {
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
    pub fn objective(&self, th: &[f64], reml: bool) -> f64 {
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
    pub fn devfun_vp(&self, vp: &[f64], reml: bool) -> f64 {
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
    pub fn covbeta(&self, vp: &[f64]) -> Vec<f64> {
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
pub(super) fn canonical(x: &[f64]) -> [f64; 3] {
    let (mut a, mut b, c) = (x[0], x[1], x[2]);
    if a < 0.0 {
        a = -a;
        b = -b;
    }
    [a, b, c.abs()]
}
