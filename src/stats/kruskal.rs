// `!(a > b)` comparisons are deliberate: they are true for NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
//! Kruskal–Wallis rank sum test, R: `kruskal.test(x, g)`.

use super::ranks::{average_ranks, tie_sum};
use super::{check_p, finite, StatError, TestResult};

/// R: `kruskal.test(x, g)` with `x` the values of all samples and `g` the sample each belongs to
/// (a factor: samples without values are not groups, as `factor(g)` drops unused levels).
///
/// Non-finite values are dropped. With N values in k non-empty samples, R_i the sum of the
/// average ranks of sample i among all N (ties by the crate's tie rule, `stats::ranks`):
///
///   H = (12 / (N (N + 1)) · Σ R_i² / n_i − 3 (N + 1)) / (1 − Σ (t³ − t) / (N³ − N)),
///
/// p = `pchisq(H, k − 1, lower.tail = FALSE)`. `statistic` is H (R's "Kruskal-Wallis
/// chi-squared"), `df` is k − 1, `n` is N.
pub fn kruskal_wallis(samples: &[Vec<f64>]) -> Result<TestResult, StatError> {
    let samples: Vec<Vec<f64>> = samples
        .iter()
        .map(|s| finite(s))
        .filter(|s| !s.is_empty())
        .collect();
    let k = samples.len();
    if k < 2 {
        return Err(StatError::new("all observations are in the same group"));
    }
    let pooled: Vec<f64> = samples.iter().flatten().copied().collect();
    let n = pooled.len();
    let (r, groups) = average_ranks(&pooled);
    let nf = n as f64;
    let mut at = 0;
    let mut sum = 0.0;
    for s in &samples {
        let ri: f64 = r[at..at + s.len()].iter().sum();
        sum += ri * ri / s.len() as f64;
        at += s.len();
    }
    let denom = 1.0 - tie_sum(&groups) / (nf * nf * nf - nf);
    if !(denom > 0.0) {
        return Err(StatError::new("all observations are tied"));
    }
    let h = (12.0 * sum / (nf * (nf + 1.0)) - 3.0 * (nf + 1.0)) / denom;
    let df = (k - 1) as f64;
    let p = chisq_upper(h, df);
    Ok(TestResult {
        statistic: h,
        p_value: check_p(p)?,
        method: "Kruskal-Wallis rank sum test".to_string(),
        exact: false,
        n,
        estimate: None,
        df: Some(df),
        note: None,
    })
}

/// R: `pchisq(x, df, lower.tail = FALSE)`, the regularised upper incomplete gamma Q(df/2, x/2).
fn chisq_upper(x: f64, df: f64) -> f64 {
    if !(x > 0.0) {
        return 1.0;
    }
    if x == f64::INFINITY {
        return 0.0;
    }
    statrs::function::gamma::checked_gamma_ur(df / 2.0, x / 2.0).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::*;
    use proptest::prelude::*;

    #[test]
    fn hollander_wolfe_example() {
        // R: kruskal.test(list(c(2.9, 3.0, 2.5, 2.6, 3.2), c(3.8, 2.7, 4.0, 2.4),
        //                       c(2.8, 3.4, 3.7, 2.2, 2.0)))  (the example of ?kruskal.test, Hollander & Wolfe)
        //   -> Kruskal-Wallis chi-squared = 0.771428571428572, df = 2, p-value = 0.679964773578894
        let r = kruskal_wallis(&[
            vec![2.9, 3.0, 2.5, 2.6, 3.2],
            vec![3.8, 2.7, 4.0, 2.4],
            vec![2.8, 3.4, 3.7, 2.2, 2.0],
        ])
        .unwrap();
        close(r.statistic, 0.771428571428572, 1e-12);
        close(r.p_value, 0.679964773578894, 1e-10);
        assert_eq!(r.df, Some(2.0));
        assert_eq!(r.n, 14);
        assert_eq!(r.method, "Kruskal-Wallis rank sum test");
    }

    #[test]
    fn two_groups_with_ties() {
        // R: kruskal.test(list(c(1,2,2,3,4,5), c(2,3,3,6,7,8,9)))
        //   -> Kruskal-Wallis chi-squared = 3.00481540930979, df = 1, p-value = 0.0830174329605809
        let r = kruskal_wallis(&[
            vec![1., 2., 2., 3., 4., 5.],
            vec![2., 3., 3., 6., 7., 8., 9.],
        ])
        .unwrap();
        close(r.statistic, 3.00481540930979, 1e-12);
        close(r.p_value, 0.0830174329605809, 1e-10);
    }

    #[test]
    fn many_groups_small_p() {
        // R: kx <- (1:200) %% 37 + (0:199) %/% 20 * 3; kg <- (0:199) %/% 20
        //    kruskal.test(kx, kg)
        //   -> Kruskal-Wallis chi-squared = 100.178360562991, df = 9, p-value = 1.44808529757069e-17
        let mut s = vec![Vec::new(); 10];
        for i in 1..=200u64 {
            let g = (i - 1) / 20;
            s[g as usize].push((i % 37) as f64 + (g * 3) as f64);
        }
        let r = kruskal_wallis(&s).unwrap();
        close(r.statistic, 100.178360562991, 1e-12);
        close(r.p_value, 1.44808529757069e-17, 1e-9);
        assert_eq!(r.df, Some(9.0));
    }

    #[test]
    fn empty_samples_are_not_groups_and_errors() {
        // R: kruskal.test(c(1, 2, 3, 4), factor(c("a", "a", "b", "b"), levels = c("a", "b", "c")))
        //   -> Kruskal-Wallis chi-squared = 2.4, df = 1, p-value = 0.121335250358482
        let r = kruskal_wallis(&[vec![1., 2.], vec![], vec![3., 4., f64::NAN]]).unwrap();
        close(r.statistic, 2.4, 1e-12);
        close(r.p_value, 0.121335250358482, 1e-10);
        assert_eq!(r.df, Some(1.0));
        assert!(kruskal_wallis(&[vec![1., 2.], vec![]]).is_err());
        assert!(kruskal_wallis(&[vec![1., 1.], vec![1.]]).is_err());
        assert!(kruskal_wallis(&[]).is_err());
    }

    #[test]
    fn two_larger_groups() {
        // R: kruskal.test(list(a60, b45))
        //   -> Kruskal-Wallis chi-squared = 0.0456603773584447, df = 1, p-value = 0.830794355199637
        let r = kruskal_wallis(&[a60(), b45()]).unwrap();
        close(r.statistic, 0.0456603773584447, 1e-10);
        close(r.p_value, 0.830794355199637, 1e-10);
    }

    proptest! {
        #[test]
        fn order_of_groups_and_values_does_not_matter(
            a in prop::collection::vec(-50i32..50, 1..20),
            b in prop::collection::vec(-50i32..50, 1..20),
            c in prop::collection::vec(-50i32..50, 1..20)) {
            let f = |v: &Vec<i32>| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
            let (x, y, z) = (f(&a), f(&b), f(&c));
            let mut zr = z.clone();
            zr.reverse();
            let one = kruskal_wallis(&[x.clone(), y.clone(), z.clone()]);
            let two = kruskal_wallis(&[zr, x, y]);
            match (one, two) {
                (Ok(p), Ok(q)) => {
                    prop_assert!((p.statistic - q.statistic).abs() <= 1e-9 * p.statistic.abs().max(1.0));
                    prop_assert!((p.p_value - q.p_value).abs() <= 1e-12);
                    prop_assert!((0.0..=1.0).contains(&p.p_value));
                }
                (Err(_), Err(_)) => {}
                (p, q) => prop_assert!(false, "{p:?} vs {q:?}"),
            }
        }
    }
}
