//! Log-rank test, R: `survdiff(Surv(time, status) ~ group)` (rho = 0).
//!
//! At each event time t with n patients at risk (n_g in group g) and d events:
//! E_g += d·n_g/n, and (if n > 1) V_gh += d (n − d) / (n (n − 1)) · n_g (δ_gh − n_h/n).
//! The statistic is (O − E)' V⁻ (O − E) over the groups with E > 0, V⁻ inverting V without the
//! first of those groups (a generalized inverse of the rank-(k − 1) matrix, exactly as survdiff
//! does), on k' − 1 df where k' counts the groups with E > 0 (a group whose patients were all
//! censored before the first event has E = 0 and drops out).

use super::{checked_groups, chisq_upper, Obs, SurvError, SurvivalTest, TestKind};
use serde::{Deserialize, Serialize};

/// `survdiff`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogRank {
    /// Patients per group (R: `n`).
    pub n: Vec<usize>,
    /// Events per group (R: `obs`).
    pub observed: Vec<f64>,
    /// Expected events per group under no difference (R: `exp`).
    pub expected: Vec<f64>,
    /// Variance matrix of O − E (R: `var`), row-major k × k.
    pub variance: Vec<Vec<f64>>,
    /// Chi-square (R: `chisq`).
    pub statistic: f64,
    /// Degrees of freedom: groups with expected > 0, minus 1.
    pub df: usize,
    /// R: `pchisq(chisq, df, lower.tail = FALSE)` (`pvalue`).
    pub p_value: f64,
}

/// R: `survdiff(Surv(time, status) ~ group)` over k ≥ 2 groups.
pub fn log_rank(groups: &[&[Obs]]) -> Result<LogRank, SurvError> {
    if groups.len() < 2 {
        return Err(SurvError::TooFewGroups {
            found: groups.len(),
        });
    }
    let fixed = checked_groups(groups)?;
    let k = fixed.len();
    let mut pooled: Vec<(f64, bool, usize)> = fixed
        .iter()
        .enumerate()
        .flat_map(|(g, obs)| obs.iter().map(move |o| (o.time, o.event, g)))
        .collect();
    crate::sort::sort_by(&mut pooled, |a, b| a.0.total_cmp(&b.0));

    let n: Vec<usize> = fixed.iter().map(Vec::len).collect();
    let mut risk: Vec<f64> = n.iter().map(|&m| m as f64).collect();
    let mut observed = vec![0.0; k];
    let mut expected = vec![0.0; k];
    let mut var = vec![vec![0.0; k]; k];
    let mut deaths_g = vec![0.0; k];
    let mut leaving = vec![0.0; k];
    let mut i = 0;
    while i < pooled.len() {
        let t = pooled[i].0;
        let mut j = i;
        deaths_g.iter_mut().for_each(|d| *d = 0.0);
        leaving.iter_mut().for_each(|d| *d = 0.0);
        while j < pooled.len() && pooled[j].0 == t {
            let (_, ev, g) = pooled[j];
            leaving[g] += 1.0;
            if ev {
                deaths_g[g] += 1.0;
            }
            j += 1;
        }
        let d: f64 = deaths_g.iter().sum();
        if d > 0.0 {
            let nrisk: f64 = risk.iter().sum();
            for g in 0..k {
                observed[g] += deaths_g[g];
                expected[g] += d * risk[g] / nrisk;
            }
            if nrisk > 1.0 {
                for a in 0..k {
                    let tmp = d * risk[a] * (nrisk - d) / (nrisk * (nrisk - 1.0));
                    var[a][a] += tmp;
                    for b in 0..k {
                        var[a][b] -= tmp * risk[b] / nrisk;
                    }
                }
            }
        }
        for g in 0..k {
            risk[g] -= leaving[g];
        }
        i = j;
    }

    if observed.iter().sum::<f64>() == 0.0 {
        return Err(SurvError::NoEvents);
    }
    let used: Vec<usize> = (0..k).filter(|&g| expected[g] > 0.0).collect();
    if used.len() < 2 {
        return Err(SurvError::NoComparison);
    }
    let rest = &used[1..];
    let diff: Vec<f64> = rest.iter().map(|&g| observed[g] - expected[g]).collect();
    let sub: Vec<Vec<f64>> = rest
        .iter()
        .map(|&a| rest.iter().map(|&b| var[a][b]).collect())
        .collect();
    let x = solve(sub, diff.clone()).ok_or(SurvError::Singular)?;
    let statistic: f64 = x.iter().zip(&diff).map(|(a, b)| a * b).sum();
    let df = used.len() - 1;
    Ok(LogRank {
        n,
        observed,
        expected,
        variance: var,
        statistic,
        df,
        p_value: chisq_upper(statistic, df),
    })
}

impl LogRank {
    /// The `survival_tests` row.
    pub fn to_test(&self) -> SurvivalTest {
        let left_out: Vec<String> = (0..self.expected.len())
            .filter(|&g| self.expected[g] <= 0.0)
            .map(|g| g.to_string())
            .collect();
        let note = (!left_out.is_empty()).then(|| {
            format!(
                "group {} had no patient at risk at any event time and is left out of the test",
                left_out.join(", ")
            )
        });
        SurvivalTest {
            kind: TestKind::LogRank,
            statistic: Some(self.statistic),
            df: self.df,
            p_value: Some(self.p_value),
            hazard_ratio: None,
            hr_ci_low: None,
            hr_ci_high: None,
            note,
        }
    }
}

/// Solve A x = b by Gaussian elimination with partial pivoting (R's `solve`, LAPACK's dgesv);
/// `None` when A is singular to working precision.
#[allow(clippy::needless_range_loop)] // row operations on a[r][s] and a[c][s] together
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let m = b.len();
    let scale = a.iter().flatten().fold(0.0f64, |s, v| s.max(v.abs()));
    if !(scale > 0.0) || !scale.is_finite() {
        return None;
    }
    for c in 0..m {
        let p = (c..m).max_by(|&r, &s| a[r][c].abs().total_cmp(&a[s][c].abs()))?;
        if !(a[p][c].abs() > scale * f64::EPSILON * m as f64) {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        for r in c + 1..m {
            let f = a[r][c] / a[c][c];
            for s in c..m {
                a[r][s] -= f * a[c][s];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; m];
    for r in (0..m).rev() {
        let s: f64 = (r + 1..m).map(|s| a[r][s] * x[s]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_two_groups() {
        // A: events at 1 and 3; B: event at 2, censored at 3.
        // t=1: n=4 (2,2), d=1: E_A = 1/2, V = 1·2·(4−1)/(4·3)·(1 − 2/4) = 1/4
        // t=2: n=3 (1,2), d=1: E_A += 1/3, V += 1·1·2/(3·2)·(1 − 1/3) = 2/9
        // t=3: n=2 (1,1), d=1: E_A += 1/2, V += 1·1·1/(2·1)·(1 − 1/2) = 1/4
        // O_A = 2, E_A = 4/3; chi = (O_B − E_B)² / V = (2/3)² / (13/18) = 8/13
        let a = [Obs::new(1.0, true), Obs::new(3.0, true)];
        let b = [Obs::new(2.0, true), Obs::new(3.0, false)];
        let r = log_rank(&[&a, &b]).unwrap();
        assert_eq!(r.n, vec![2, 2]);
        assert_eq!(r.observed, vec![2.0, 1.0]);
        assert!((r.expected[0] - 4.0 / 3.0).abs() < 1e-15);
        assert!((r.variance[1][1] - 13.0 / 18.0).abs() < 1e-15);
        assert!((r.statistic - 8.0 / 13.0).abs() < 1e-15);
        assert_eq!(r.df, 1);
        let t = r.to_test();
        assert_eq!(t.kind, TestKind::LogRank);
        assert_eq!(t.note, None);
    }

    #[test]
    fn errors() {
        let a = [Obs::new(1.0, true)];
        assert_eq!(log_rank(&[&a]), Err(SurvError::TooFewGroups { found: 1 }));
        let c = [Obs::new(1.0, false), Obs::new(2.0, false)];
        assert_eq!(log_rank(&[&c, &c]), Err(SurvError::NoEvents));
        // B censored before A's only event: E_B = 0, one group left
        let b = [Obs::new(0.5, false)];
        assert_eq!(log_rank(&[&a, &b]), Err(SurvError::NoComparison));
        assert_eq!(
            log_rank(&[&a, &[]]),
            Err(SurvError::EmptyGroup { group: 1 })
        );
    }

    #[test]
    fn solve_small_systems() {
        let x = solve(vec![vec![0.0, 2.0], vec![4.0, 1.0]], vec![2.0, 9.0]).unwrap();
        assert_eq!(x, vec![2.0, 1.0]);
        assert_eq!(
            solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]),
            None
        );
    }
}
