//! Cox proportional hazards model of the group, R: `coxph(Surv(time, status) ~ group,
//! ties = "efron")`, k ≥ 2 groups as treatment contrasts (k − 1 indicators, group 0 the
//! reference).
//!
//! The fit follows R's `coxfit6` step by step, so that its iterates (and thus its answer when
//! it stops) are R's: covariates centred and scaled, Newton–Raphson from β = 0, Efron's
//! approximation for tied event times, convergence when |1 − loglik_old / loglik_new| ≤ 1e-9
//! (`coxph.control(eps = 1e-9, iter.max = 20)`), step halving (β_new ← (β_new + h·β)/(h + 1),
//! h = 1, 2, …) while the likelihood does not increase, and the generalized Cholesky
//! decomposition (`cholesky2`, tolerance ε^0.75) that sets aside a coefficient that cannot be
//! estimated (R: `NA`, here `None`; e.g. a group whose patients were all censored before the
//! first event).
//!
//! Monotone likelihood: when a group has no events (or all events are in one group), the
//! likelihood increases forever as β → ±∞; R stops when the log-likelihood has converged and
//! warns "Loglik converged before variable i; coefficient may be infinite" (for variable i whose
//! remaining Newton step |u'V|_i exceeds both 1e-9 and √1e-9·|β_i|). The terms keep R's numbers
//! with [`CoxTerm::possibly_infinite`] set; [`Cox::to_test`] reports no hazard ratio and no Wald
//! test then (β ≈ −20 with SE ≈ 10⁴ would print as HR 1e-9, p ≈ 1: meaningless), with a note
//! that points to the log-rank test, which stays valid.
//!
//! One deliberate difference: if the fit runs out of iterations, R inverts the information
//! matrix without factoring it first (`chinv2` straight after `coxfit6_iter`); here it is
//! factored. [`Cox::converged`] is false then, and `to_test` reports no test.

use super::cholesky::{chinv2, cholesky2, chsolve2, toler_chol};
use super::{
    checked_groups, chisq_upper, norm_two_sided, Obs, SurvError, SurvivalTest, TestKind, Z_975,
};
use serde::{Deserialize, Serialize};

const EPS: f64 = 1e-9;
const ITER_MAX: usize = 20;

/// One coefficient: group `group` vs group 0 (R's row `group<level>` of `summary(fit)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxTerm {
    /// The group compared with group 0.
    pub group: usize,
    /// β, log hazard ratio (R: `coef`); `None` where R gives `NA` (not estimable).
    pub coef: Option<f64>,
    /// R: `se(coef)`.
    pub se: Option<f64>,
    /// Wald z = β / SE and its two-sided p (R: `z`, `Pr(>|z|)`).
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// exp(β) and exp(β ∓ 1.96·SE) (R: `exp(coef)`, `lower .95`, `upper .95`); `None` where
    /// not finite.
    pub hazard_ratio: Option<f64>,
    pub hr_ci_low: Option<f64>,
    pub hr_ci_high: Option<f64>,
    /// R warned "coefficient may be infinite" for this term.
    pub possibly_infinite: bool,
}

/// `coxph`'s fit and tests (`summary(fit)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cox {
    pub n: usize,
    pub events: usize,
    /// Groups 1..k vs group 0.
    pub terms: Vec<CoxTerm>,
    /// Wald test of all estimable terms (R: `fit$wald.test`, `summary(fit)$waldtest`).
    pub wald_statistic: f64,
    pub wald_df: usize,
    pub wald_p: f64,
    /// Likelihood ratio test (R: `summary(fit)$logtest`).
    pub lr_statistic: f64,
    pub lr_p: f64,
    /// Score (log-rank) test at β = 0 (R: `summary(fit)$sctest`).
    pub score_statistic: f64,
    pub score_p: f64,
    /// Log partial likelihood at β = 0 and at the estimate (R: `fit$loglik`).
    pub loglik: [f64; 2],
    /// Newton–Raphson iterations (R: `fit$iter`; 21 when the 20 iterations ran out, as R).
    pub iterations: usize,
    /// False when the 20 iterations ran out (R: "Ran out of iterations and did not converge").
    pub converged: bool,
}

/// R: `coxph(Surv(time, status) ~ group, ties = "efron")` over k ≥ 2 groups.
pub fn cox_efron(groups: &[&[Obs]]) -> Result<Cox, SurvError> {
    if groups.len() < 2 {
        return Err(SurvError::TooFewGroups {
            found: groups.len(),
        });
    }
    let fixed = checked_groups(groups)?;
    let mut rows: Vec<(f64, bool, usize)> = fixed
        .iter()
        .enumerate()
        .flat_map(|(g, obs)| obs.iter().map(move |o| (o.time, o.event, g)))
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| a.0.total_cmp(&b.0));
    let events = rows.iter().filter(|r| r.1).count();
    if events == 0 {
        return Err(SurvError::NoEvents);
    }
    let n = rows.len();
    let p = fixed.len() - 1;
    let data = Data {
        time: rows.iter().map(|r| r.0).collect(),
        status: rows.iter().map(|r| r.1).collect(),
        // x[v][person]: indicator of group v + 1, centred and scaled below
        x: (0..p)
            .map(|v| {
                rows.iter()
                    .map(|r| f64::from(u8::from(r.2 == v + 1)))
                    .collect()
            })
            .collect(),
    };
    let fit = fit(data);

    let which_sing: Vec<bool> = (0..p)
        .map(|v| fit.flag < p as i32 && fit.var[v][v] == 0.0)
        .collect();
    let infinite = possibly_infinite(&fit, p);
    let terms: Vec<CoxTerm> = (0..p)
        .map(|v| {
            let finite = |x: f64| x.is_finite().then_some(x);
            if which_sing[v] {
                return CoxTerm {
                    group: v + 1,
                    coef: None,
                    se: None,
                    z: None,
                    p_value: None,
                    hazard_ratio: None,
                    hr_ci_low: None,
                    hr_ci_high: None,
                    possibly_infinite: false,
                };
            }
            let (b, se) = (fit.beta[v], fit.var[v][v].sqrt());
            let z = b / se;
            CoxTerm {
                group: v + 1,
                coef: Some(b),
                se: Some(se),
                z: finite(z),
                p_value: z.is_finite().then(|| norm_two_sided(z)),
                hazard_ratio: finite(b.exp()),
                hr_ci_low: finite((b - Z_975 * se).exp()),
                hr_ci_high: finite((b + Z_975 * se).exp()),
                possibly_infinite: infinite[v],
            }
        })
        .collect();

    // R: coxph.wtest(var[nabeta, nabeta], coef[nabeta], toler.chol)
    let keep: Vec<usize> = (0..p).filter(|&v| !which_sing[v]).collect();
    if keep.is_empty() {
        return Err(SurvError::NoComparison);
    }
    let mut vsub: Vec<Vec<f64>> = keep
        .iter()
        .map(|&a| keep.iter().map(|&b| fit.var[a][b]).collect())
        .collect();
    let bsub: Vec<f64> = keep.iter().map(|&v| fit.beta[v]).collect();
    cholesky2(&mut vsub, toler_chol());
    let mut sol = bsub.clone();
    chsolve2(&vsub, &mut sol);
    let wald: f64 = bsub.iter().zip(&sol).map(|(a, b)| a * b).sum();
    let df = keep.len();
    let lr = -2.0 * (fit.loglik[0] - fit.loglik[1]);
    Ok(Cox {
        n,
        events,
        terms,
        wald_statistic: wald,
        wald_df: df,
        wald_p: chisq_upper(wald, df),
        lr_statistic: lr,
        lr_p: chisq_upper(lr, df),
        score_statistic: fit.sctest,
        score_p: chisq_upper(fit.sctest, df),
        loglik: fit.loglik,
        iterations: fit.iter,
        converged: fit.converged,
    })
}

impl Cox {
    /// The `survival_tests` row: the Wald test of the group (df = estimable terms) and, with
    /// two groups, the hazard ratio of group 1 vs group 0. No test and no hazard ratio when a
    /// coefficient may be infinite or the fit did not converge (see the module docs).
    pub fn to_test(&self) -> SurvivalTest {
        let mut notes = Vec::new();
        let inf: Vec<String> = self
            .terms
            .iter()
            .filter(|t| t.possibly_infinite)
            .map(|t| t.group.to_string())
            .collect();
        if !inf.is_empty() {
            notes.push(format!(
                "the hazard ratio of group {} vs group 0 may be infinite (monotone likelihood: \
                 a group without events, or all events in one group; R: \"coefficient may be \
                 infinite\"): no hazard ratio or Wald test, see the log-rank test",
                inf.join(", ")
            ));
        }
        if !self.converged {
            notes.push(format!(
                "the Cox model did not converge in {ITER_MAX} iterations: no hazard ratio or Wald test"
            ));
        }
        let na: Vec<String> = self
            .terms
            .iter()
            .filter(|t| t.coef.is_none())
            .map(|t| t.group.to_string())
            .collect();
        if !na.is_empty() {
            notes.push(format!(
                "group {} has no patient at risk at any event time: no coefficient (R: NA)",
                na.join(", ")
            ));
        }
        let valid = inf.is_empty() && self.converged;
        let single = match self.terms.as_slice() {
            [t] if valid => Some(t),
            _ => None,
        };
        SurvivalTest {
            kind: TestKind::Cox,
            statistic: valid.then_some(self.wald_statistic),
            df: self.wald_df,
            p_value: valid.then_some(self.wald_p),
            hazard_ratio: single.and_then(|t| t.hazard_ratio),
            hr_ci_low: single.and_then(|t| t.hr_ci_low),
            hr_ci_high: single.and_then(|t| t.hr_ci_high),
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        }
    }
}

/// Sorted by time (ascending): time, status, covariates x[var][person].
struct Data {
    time: Vec<f64>,
    status: Vec<bool>,
    x: Vec<Vec<f64>>,
}

/// What `coxfit6` returns, on the original scale.
struct Fit {
    beta: Vec<f64>,
    means: Vec<f64>,
    x: Vec<Vec<f64>>,
    u: Vec<f64>,
    var: Vec<Vec<f64>>,
    loglik: [f64; 2],
    sctest: f64,
    flag: i32,
    iter: usize,
    converged: bool,
}

/// R's `coxfit6` (no strata, weights or offset; Efron), maxiter 20, eps 1e-9.
fn fit(mut d: Data) -> Fit {
    let p = d.x.len();
    let n = d.time.len() as f64;
    let original_x = d.x.clone();
    let mut means = vec![0.0; p];
    let mut scale = vec![1.0; p];
    for v in 0..p {
        let m = d.x[v].iter().sum::<f64>() / n;
        means[v] = m;
        d.x[v].iter_mut().for_each(|x| *x -= m);
        let s: f64 = d.x[v].iter().map(|x| x.abs()).sum();
        scale[v] = if s > 0.0 { n / s } else { 1.0 };
        let sc = scale[v];
        d.x[v].iter_mut().for_each(|x| *x *= sc);
    }
    let toler = toler_chol();
    let mut beta = vec![0.0; p];
    let mut st = iterate(&d, &beta);
    let mut loglik = [st.loglik, st.loglik];
    let mut a = st.u.clone();
    let mut flag = cholesky2(&mut st.imat, toler);
    chsolve2(&st.imat, &mut a);
    let sctest: f64 = st.u.iter().zip(&a).map(|(u, a)| u * a).sum();

    let mut newbeta: Vec<f64> = beta.iter().zip(&a).map(|(b, a)| b + a).collect();
    let mut halving = 0.0f64;
    let mut converged = false;
    // R's loop counter ends at ITER_MAX + 1 when the iterations run out
    let mut iter = ITER_MAX + 1;
    for it in 1..=ITER_MAX {
        st = iterate(&d, &newbeta);
        flag = cholesky2(&mut st.imat, toler);
        let notfinite = !st.loglik.is_finite()
            || st.u.iter().any(|u| !u.is_finite())
            || st.imat.iter().flatten().any(|v| !v.is_finite());
        if !notfinite && (1.0 - loglik[1] / st.loglik).abs() <= EPS {
            loglik[1] = st.loglik;
            beta = newbeta.clone();
            if halving > 0.0 {
                flag = -2;
            }
            converged = true;
            iter = it;
            break;
        }
        if notfinite || st.loglik < loglik[1] {
            halving += 1.0;
            for (nb, b) in newbeta.iter_mut().zip(&beta) {
                *nb = (*nb + halving * b) / (halving + 1.0);
            }
        } else {
            halving = 0.0;
            loglik[1] = st.loglik;
            let mut step = st.u.clone();
            chsolve2(&st.imat, &mut step);
            beta = newbeta.clone();
            for (nb, s) in newbeta.iter_mut().zip(&step) {
                *nb += s;
            }
        }
    }
    if !converged {
        // the last good β (see the module docs on R's handling of this case)
        st = iterate(&d, &beta);
        loglik[1] = st.loglik;
        flag = cholesky2(&mut st.imat, toler);
    }
    chinv2(&mut st.imat);
    let mut var = vec![vec![0.0; p]; p];
    for i in 0..p {
        for j in 0..p {
            // chinv2 leaves the inverse in the upper triangle m[min][max]
            let (lo, hi) = (i.min(j), i.max(j));
            var[i][j] = st.imat[lo][hi] * scale[i] * scale[j];
        }
    }
    Fit {
        beta: beta.iter().zip(&scale).map(|(b, s)| b * s).collect(),
        means,
        x: original_x,
        u: st.u.iter().zip(&scale).map(|(u, s)| u / s).collect(),
        var,
        loglik,
        sctest,
        flag,
        iter,
        converged,
    }
}

/// R's `coxph.fit` check after `coxfit6`: converged, variable i may be infinite if its score is
/// not finite or |(u'V)_i| > eps and > √eps·|β_i|; not converged, all are suspect if the linear
/// predictor exceeds 500 or u'V is not finite.
fn possibly_infinite(fit: &Fit, p: usize) -> Vec<bool> {
    let uv: Vec<f64> = (0..p)
        .map(|i| (0..p).map(|j| fit.u[j] * fit.var[j][i]).sum::<f64>().abs())
        .collect();
    if fit.converged {
        (0..p)
            .map(|i| {
                !fit.u[i].is_finite() || (uv[i] > EPS && uv[i] > EPS.sqrt() * fit.beta[i].abs())
            })
            .collect()
    } else {
        let offset: f64 = fit.beta.iter().zip(&fit.means).map(|(b, m)| b * m).sum();
        let n = fit.x.first().map_or(0, Vec::len);
        let max_lp = (0..n)
            .map(|r| (0..p).map(|v| fit.x[v][r] * fit.beta[v]).sum::<f64>() - offset)
            .fold(f64::NEG_INFINITY, f64::max);
        let all = max_lp > 500.0 || uv.iter().any(|v| !v.is_finite());
        vec![all; p]
    }
}

struct IterState {
    loglik: f64,
    u: Vec<f64>,
    /// Information matrix, filled in imat[j][i] for j ≤ i (as `coxfit6_iter`).
    imat: Vec<Vec<f64>>,
}

/// R's `coxfit6_iter` with Efron ties: log partial likelihood, score and information at β.
fn iterate(d: &Data, beta: &[f64]) -> IterState {
    let p = beta.len();
    let mut u = vec![0.0; p];
    let mut imat = vec![vec![0.0; p]; p];
    let mut a = vec![0.0; p];
    let mut a2 = vec![0.0; p];
    let mut cmat = vec![vec![0.0; p]; p];
    let mut cmat2 = vec![vec![0.0; p]; p];
    let mut xi = vec![0.0; p];
    let mut loglik = 0.0;
    let mut denom = 0.0;
    let mut person = d.time.len();
    while person > 0 {
        let dtime = d.time[person - 1];
        let mut ndead = 0usize;
        let mut denom2 = 0.0;
        while person > 0 && d.time[person - 1] == dtime {
            let r = person - 1;
            for (v, x) in xi.iter_mut().enumerate() {
                *x = d.x[v][r];
            }
            let zbeta: f64 = beta.iter().zip(&xi).map(|(b, x)| b * x).sum();
            let risk = zbeta.exp();
            if !d.status[r] {
                denom += risk;
                for i in 0..p {
                    a[i] += risk * xi[i];
                    for j in 0..=i {
                        cmat[i][j] += risk * xi[i] * xi[j];
                    }
                }
            } else {
                ndead += 1;
                denom2 += risk;
                loglik += zbeta;
                for i in 0..p {
                    u[i] += xi[i];
                    a2[i] += risk * xi[i];
                    for j in 0..=i {
                        cmat2[i][j] += risk * xi[i] * xi[j];
                    }
                }
            }
            person -= 1;
        }
        if ndead > 0 {
            // Efron: the tied deaths leave the risk set in ndead equal steps (one death: one
            // step, the arithmetic of R's separate Breslow branch, as x / 1.0 == x)
            let nd = ndead as f64;
            for _ in 0..ndead {
                denom += denom2 / nd;
                loglik -= denom.ln();
                for i in 0..p {
                    a[i] += a2[i] / nd;
                    let temp2 = a[i] / denom;
                    u[i] -= temp2;
                    for j in 0..=i {
                        cmat[i][j] += cmat2[i][j] / nd;
                        imat[j][i] += (cmat[i][j] - temp2 * a[j]) / denom;
                    }
                }
            }
            a2.iter_mut().for_each(|v| *v = 0.0);
            cmat2.iter_mut().flatten().for_each(|v| *v = 0.0);
        }
    }
    IterState { loglik, u, imat }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likelihood_without_a_maximum_runs_out_of_iterations_as_in_r() {
        // A dies at 1 (both at risk), B censored at 2: L(β) = 1/(1 + e^β) → 1 as β → −∞, and
        // log L → 0 so that its relative change never falls below 1e-9.
        // R: f <- coxph(Surv(c(1, 2), c(1, 0)) ~ factor(c("a", "b")))
        //   -> warning "Ran out of iterations and did not converge"; f$iter = 21;
        //      coef(f) = -21.202894770746781; f$loglik = -0.69314718055994529 -6.1901306283854968e-10
        let a = [Obs::new(1.0, true)];
        let b = [Obs::new(2.0, false)];
        let c = cox_efron(&[&a, &b]).unwrap();
        assert!(!c.converged);
        assert_eq!(c.iterations, 21);
        let coef = c.terms[0].coef.unwrap();
        // 20 iterations on a flat likelihood: R's β to 2e-10 (relative)
        assert!((coef / -21.20289477074678 - 1.0).abs() < 1e-9, "{coef}");
        assert!((c.loglik[0] + std::f64::consts::LN_2).abs() < 1e-15);
        // log L = zβ_A − log(e^zβ_A + e^zβ_B) cancels to ~6e-10: both are exact to ~1e-15 only
        assert!(
            (c.loglik[1] + 6.190130628385497e-10).abs() < 1e-14,
            "{:?}",
            c.loglik
        );
        // R gives no "may be infinite" warning here (the linear predictor stays below 500)
        assert!(!c.terms[0].possibly_infinite);
        let t = c.to_test();
        assert_eq!((t.statistic, t.p_value, t.hazard_ratio), (None, None, None));
        assert!(t.note.unwrap().contains("did not converge"));
    }

    #[test]
    fn errors() {
        let a = [Obs::new(1.0, true)];
        assert_eq!(cox_efron(&[&a]), Err(SurvError::TooFewGroups { found: 1 }));
        let c = [Obs::new(1.0, false)];
        assert_eq!(cox_efron(&[&c, &c]), Err(SurvError::NoEvents));
        // B censored before the only event: its coefficient is not estimable, nothing left
        let b = [Obs::new(0.5, false)];
        assert_eq!(cox_efron(&[&a, &b]), Err(SurvError::NoComparison));
    }
}
