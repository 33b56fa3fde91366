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
//!
//! [`fit_lmm`] runs the steps lme4 names `lFormula → mkLmerDevfun → optimizeLmer → checkConv`,
//! then lmerTest's `as_lmerModLT`:
//!
//! 1. `design`: check the data, number the patients, drop rank-deficient columns, centre y,
//!    and reduce the data to cross-products (the deviance function's data, `deviance`);
//! 2. `optimize`: minimise the profiled deviance over θ (Nelder–Mead with restarts, Newton
//!    polish, the boundaries tried), and whether it converged;
//! 3. `estimates`: β, σ, the fixed effects' covariance and the variance components at θ̂;
//! 4. `satterthwaite`: the Hessian of the deviance in (θ, σ) and the Jacobian of Cov(β̂); then
//!    `fixed_effect`: each fixed effect's df, p-value and 95% CI.
//!
//! Helpers, a file each: `deviance` (the deviance function), `optim` (the optimisers),
//! `numderiv` (numDeriv's Hessian and Jacobian), `linalg` (small dense matrices).

mod deviance;
mod linalg;
mod numderiv;
mod optim;

use super::FixedEffect;
use crate::stats::dist::{qt, t_two_sided};
use deviance::{canonical, Problem};
use linalg::{chol_inverse, sym_eigen};
use numderiv::{numderiv_hessian, numderiv_jacobian};
use optim::{nelder_mead, polish, Polished};

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

/// Why a mixed model cannot be fitted. The messages are for people (a model entry's note quotes
/// them after "model not fitted: ").
#[derive(Debug, Clone, PartialEq)]
pub enum LmmError {
    /// `y`, `x`, `t` and `groups` differ in length.
    LengthMismatch,
    NoObservations,
    /// A row of `x` without one value per term, or no terms.
    BadDesign,
    NonFiniteData,
    /// One patient: between-patient variation cannot be estimated.
    TooFewPatients,
    /// Observations ≤ random effects (2 per patient), which lme4 refuses.
    TooFewObservations {
        n_obs: usize,
        n_random: usize,
    },
    /// Observations ≤ fixed effects (after dropping rank-deficient columns).
    TooFewForFixed {
        n_obs: usize,
        n_fixed: usize,
    },
    /// The deviance is nowhere finite.
    DevianceUndefined,
    /// The optimiser ended on a non-finite deviance.
    NoFiniteOptimum,
    /// The model at the optimum is degenerate.
    DegenerateFit,
    /// A fixed effect's estimate, SE or t is not finite (the term's name).
    NonFiniteEstimate(String),
}

impl std::fmt::Display for LmmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LmmError::LengthMismatch => f.write_str("y, x, t and groups must have the same length"),
            LmmError::NoObservations => f.write_str("no observations"),
            LmmError::BadDesign => f.write_str("every row of x must have one value per term"),
            LmmError::NonFiniteData => f.write_str("non-finite value in the data"),
            LmmError::TooFewPatients => f.write_str(
                "fewer than 2 patients: between-patient variation cannot be estimated",
            ),
            LmmError::TooFewObservations { n_obs, n_random } => write!(
                f,
                "number of observations ({n_obs}) ≤ number of random effects ({n_random}): too few repeated visits for a random intercept and slope per patient (lme4 refuses this model)"
            ),
            LmmError::TooFewForFixed { n_obs, n_fixed } => {
                write!(f, "{n_obs} observations for {n_fixed} fixed effects")
            }
            LmmError::DevianceUndefined => {
                f.write_str("the deviance could not be evaluated (degenerate data)")
            }
            LmmError::NoFiniteOptimum => {
                f.write_str("the optimiser did not reach a finite deviance")
            }
            LmmError::DegenerateFit => f.write_str("the fitted model is degenerate"),
            LmmError::NonFiniteEstimate(term) => write!(f, "non-finite estimate for {term}"),
        }
    }
}

impl std::error::Error for LmmError {}

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
) -> Result<LmmFit, LmmError> {
    let d = design(y, x, x_names, t, groups)?;
    let opt = optimize(&d.prob, reml)?;
    let est = estimates(&d, &opt.theta, reml)?;
    let sat = satterthwaite(&d.prob, reml, &est);
    let mut fixed = Vec::with_capacity(d.prob.p);
    for (j, &col) in d.keep.iter().enumerate() {
        fixed.push(fixed_effect(&x_names[col], j, &est, &sat)?);
    }
    Ok(LmmFit {
        terms: d.keep.iter().map(|&j| x_names[j].clone()).collect(),
        dropped: d.dropped,
        fixed,
        vcov: est.vcov,
        theta: opt.theta,
        sigma: est.sigma,
        sd_intercept: est.sd_intercept,
        sd_slope: est.sd_slope,
        corr: est.corr,
        criterion: opt.crit,
        log_lik: -opt.crit / 2.0,
        reml,
        n_obs: d.prob.n,
        n_groups: d.m,
        converged: opt.converged,
        singular: est.singular,
        evaluations: d.prob.evals.get(),
        warnings: sat.warnings,
    })
}

/// Step 1 (lme4's `lFormula` and the data of `mkLmerDevfun`): the checked model.
struct Design {
    /// The data as cross-products: what the deviance function needs.
    prob: Problem,
    /// Number of patients.
    m: usize,
    /// Columns of `x` kept, in order.
    keep: Vec<usize>,
    /// Names of the columns dropped as linearly dependent on earlier ones.
    dropped: Vec<String>,
    /// Position (among the kept columns) of the intercept column, if any.
    icol: Option<usize>,
    /// What was subtracted from y (its mean, when there is an intercept column).
    shift: f64,
}

/// Step 1: check the data, number the patients densely, drop linearly dependent columns (as lme4
/// does), centre y when there is an intercept, and reduce the data to cross-products.
fn design(
    y: &[f64],
    x: &[Vec<f64>],
    x_names: &[String],
    t: &[f64],
    groups: &[usize],
) -> Result<Design, LmmError> {
    let n = y.len();
    if x.len() != n || t.len() != n || groups.len() != n {
        return Err(LmmError::LengthMismatch);
    }
    if n == 0 {
        return Err(LmmError::NoObservations);
    }
    let p_all = x_names.len();
    if p_all == 0 || x.iter().any(|r| r.len() != p_all) {
        return Err(LmmError::BadDesign);
    }
    if y.iter()
        .chain(t.iter())
        .chain(x.iter().flatten())
        .any(|v| !v.is_finite())
    {
        return Err(LmmError::NonFiniteData);
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
        return Err(LmmError::TooFewPatients);
    }
    if n <= 2 * m {
        return Err(LmmError::TooFewObservations {
            n_obs: n,
            n_random: 2 * m,
        });
    }
    let keep = independent_columns(x, p_all);
    let dropped: Vec<String> = (0..p_all)
        .filter(|j| !keep.contains(j))
        .map(|j| x_names[j].clone())
        .collect();
    let p = keep.len();
    if n <= p {
        return Err(LmmError::TooFewForFixed {
            n_obs: n,
            n_fixed: p,
        });
    }
    // Centre y when there is an intercept column (improves r²(θ) = yᵀy − … numerically; only the
    // intercept moves, by the shift).
    let icol = keep.iter().position(|&j| x.iter().all(|r| r[j] == 1.0));
    let shift = if icol.is_some() {
        y.iter().sum::<f64>() / n as f64
    } else {
        0.0
    };
    let prob = Problem::new(y, x, &keep, t, |r| map[groups[r]], m, shift);
    Ok(Design {
        prob,
        m,
        keep,
        dropped,
        icol,
        shift,
    })
}

/// The columns of `x` (p_all of them) that are not linear combinations of earlier ones, by a
/// Cholesky factorisation of XᵀX that skips a column whose residual is below 1e-10 of its norm.
fn independent_columns(x: &[Vec<f64>], p_all: usize) -> Vec<usize> {
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
    keep
}

/// Step 2's result: θ̂, the criterion there, and whether the optimiser converged.
struct Optimum {
    theta: [f64; 3],
    crit: f64,
    converged: bool,
}

/// Step 2 (lme4's `optimizeLmer` and `checkConv`): minimise the profiled deviance over θ.
/// Nelder–Mead over R³ (mapped to the canonical θ), restarted with smaller steps while it
/// improves; a Newton polish; where θ22 or θ11 ends near 0, the boundary fits (θ22 = 0; θ11 =
/// θ21 = 0; θ = 0) polished too, and taken when as good. Converged: the Newton-scaled gradient at
/// the end is below 1e-5 of θ's scale.
fn optimize(prob: &Problem, reml: bool) -> Result<Optimum, LmmError> {
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
        return Err(LmmError::DevianceUndefined);
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
    if !best.f.is_finite() {
        return Err(LmmError::NoFiniteOptimum);
    }
    Ok(Optimum {
        theta: best.theta,
        crit: best.f,
        converged: best.scaled_grad.is_finite() && best.scaled_grad < 1e-5 * scale,
    })
}

/// Step 3's result: the estimates at θ̂.
struct Estimates {
    /// Fixed effects (y's shift added back to the intercept), kept columns' order.
    beta: Vec<f64>,
    /// Their covariance σ² (RXᵀRX)⁻¹.
    vcov: Vec<Vec<f64>>,
    sigma: f64,
    sd_intercept: f64,
    sd_slope: f64,
    corr: Option<f64>,
    /// lme4's `isSingular()`: θ11 or θ22 < 1e-4.
    singular: bool,
    /// (θ, σ): where lmerTest's derivatives are taken.
    varpar: [f64; 4],
}

/// Step 3: β̂, σ̂ (REML: r²/(n − p); ML: r²/n), Cov(β̂), the random effects' SDs and correlation.
fn estimates(d: &Design, theta: &[f64; 3], reml: bool) -> Result<Estimates, LmmError> {
    let prob = &d.prob;
    let (n, p) = (prob.n, prob.p);
    let e = prob.eval(theta).ok_or(LmmError::DegenerateFit)?;
    let denom = if reml { (n - p) as f64 } else { n as f64 };
    let sigma = (e.pwrss / denom).sqrt();
    let mut beta = e.beta.clone();
    if let Some(ic) = d.icol {
        beta[ic] += d.shift;
    }
    let inv = chol_inverse(&e.achol, p);
    let vcov: Vec<Vec<f64>> = (0..p)
        .map(|i| (0..p).map(|j| sigma * sigma * inv[i * p + j]).collect())
        .collect();
    let [a, b, c] = *theta;
    let sd_intercept = sigma * a;
    let sd_slope = sigma * (b * b + c * c).sqrt();
    let corr = if sd_intercept > 0.0 && sd_slope > 0.0 {
        Some((a * b / (a * (b * b + c * c).sqrt())).clamp(-1.0, 1.0))
    } else {
        None
    };
    Ok(Estimates {
        beta,
        vcov,
        sigma,
        sd_intercept,
        sd_slope,
        corr,
        singular: a < 1e-4 || c < 1e-4,
        varpar: [a, b, c, sigma],
    })
}

/// Step 4's result: what each fixed effect's Satterthwaite df needs.
struct Satterthwaite {
    /// Asymptotic covariance of (θ, σ): 2 H⁻¹ over H's positive eigenvalues; None when the
    /// Hessian is not finite.
    vcov_varpar: Option<Vec<Vec<f64>>>,
    /// Jacobian of vec(Cov(β̂)) in (θ, σ): column k = ∂ vec(Cov) / ∂ varpar_k.
    jac: Vec<Vec<f64>>,
    /// lmerTest's warnings about the Hessian's eigenvalues.
    warnings: Vec<String>,
}

/// Step 4 (lmerTest's `as_lmerModLT`): the Hessian of the deviance at (θ̂, σ̂) (numDeriv), its
/// eigenvalues checked as lmerTest does (negative: failed to converge; near zero: may not have),
/// and the Jacobian of Cov(β̂).
fn satterthwaite(prob: &Problem, reml: bool, est: &Estimates) -> Satterthwaite {
    let mut warnings = Vec::new();
    let varpar = est.varpar;
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
    Satterthwaite {
        vcov_varpar,
        jac,
        warnings,
    }
}

/// Fixed effect `j` (term `name`) with lmerTest's `contest1D`: df = 2 Var(β̂_j)² / (gᵀ A g), g
/// the gradient of Var(β̂_j) in (θ, σ) and A their covariance; p = 2·pt(−|t|, df); 95% CI
/// β̂ ± qt(0.975, df)·SE.
fn fixed_effect(
    name: &str,
    j: usize,
    est: &Estimates,
    sat: &Satterthwaite,
) -> Result<FixedEffect, LmmError> {
    let p = est.beta.len();
    let estimate = est.beta[j];
    let var = est.vcov[j][j];
    let se = var.sqrt();
    let tv = estimate / se;
    let df = sat.vcov_varpar.as_ref().and_then(|v| {
        // gradient of Var(β̂_j) w.r.t. varpar; Jac column k is vec(∂Cov/∂varpar_k)
        let g: Vec<f64> = (0..4).map(|k| sat.jac[k][j * p + j]).collect();
        let den: f64 = (0..4)
            .map(|k| (0..4).map(|l| g[k] * v[k][l] * g[l]).sum::<f64>())
            .sum();
        let df = 2.0 * var * var / den;
        (df.is_finite() && df > 0.0).then_some(df)
    });
    let p_value = df.map(|d| t_two_sided(tv, d)).filter(|p| p.is_finite());
    let q975 = df.map(|d| qt(0.975, d)).filter(|q| q.is_finite());
    let (ci_low, ci_high) = match q975 {
        Some(q) => (Some(estimate - q * se), Some(estimate + q * se)),
        None => (None, None),
    };
    if !estimate.is_finite() || !se.is_finite() || !tv.is_finite() {
        return Err(LmmError::NonFiniteEstimate(name.to_string()));
    }
    Ok(FixedEffect {
        term: name.to_string(),
        estimate,
        se,
        df,
        t_value: tv,
        p_value,
        ci_low,
        ci_high,
    })
}
