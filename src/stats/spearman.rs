//! Spearman's rank correlation test, R: `cor.test(x, y, method = "spearman")`.

use super::descriptive::ksum;
use super::dist::{pnorm, pt};
use super::ranks::average_ranks;
use super::{check_p, finite_pairs, StatError, TestResult};

/// R's `prho.c` uses exact enumeration up to this n.
const N_SMALL: usize = 9;
/// R's `cor.test` uses `prho` (exact / Edgeworth) only for n <= 1290.
const N_PRHO_MAX: usize = 1290;

/// R: `cor.test(x, y, method = "spearman")` (two-sided, exact = NULL).
///
/// rho = Pearson correlation of the average ranks of the finite pairs.
/// With S = (n³ − n)(1 − rho)/6, R computes the two-sided p as
/// `p <- if (S > (n^3 - n)/6) pspearman(S, n, lower.tail = FALSE) else pspearman(S, n, lower.tail = TRUE); min(2p, 1)`
/// where, without ties and for n ≤ 1290, `pspearman` calls `prho` (AS 89) with
/// `round(S) + 2*lower.tail`: exact enumeration of all permutations for
/// n ≤ 9, an Edgeworth series otherwise; with ties (or n > 1290) it uses
/// `pt(r / sqrt((1 - r^2)/(n - 2)), n - 2, lower.tail = !lower.tail)`.
///
/// `statistic` and `estimate` are rho; S is given in `note`.
pub fn spearman(x: &[f64], y: &[f64]) -> Result<TestResult, StatError> {
    let (x, y) = finite_pairs(x, y)?;
    let n = x.len();
    if n < 2 {
        return Err(StatError::new("fewer than 2 pairs"));
    }
    let (rx, gx) = average_ranks(&x);
    let (ry, gy) = average_ranks(&y);
    if gx.len() == 1 || gy.len() == 1 {
        return Err(StatError::new(
            "standard deviation is zero (x or y is constant)",
        ));
    }
    let ties = gx.len() < n || gy.len() < n;
    let rho = pearson(&rx, &ry);
    if !rho.is_finite() {
        return Err(StatError::new("correlation could not be computed"));
    }
    let nf = n as f64;
    let n3n = nf * nf * nf - nf;
    let s = n3n * (1.0 - rho) / 6.0;
    let lower = !(s > n3n / 6.0);

    let (p, how, exact) = if !ties && n <= N_PRHO_MAX {
        let is = s.round_ties_even() + if lower { 2.0 } else { 0.0 };
        let p = prho(n, is, lower);
        if n <= N_SMALL {
            (p, "exact", true)
        } else {
            (p, "Edgeworth series approximation", false)
        }
    } else {
        let den = n3n / 6.0;
        let r = (1.0 - s / den).clamp(-1.0, 1.0);
        let df = nf - 2.0;
        if !(df > 0.0) {
            return Err(StatError::new("fewer than 3 pairs"));
        }
        let one_m_r2 = 1.0 - r * r;
        let t = if one_m_r2 > 0.0 {
            r / (one_m_r2 / df).sqrt()
        } else if r > 0.0 {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        };
        // pt(t, df, lower.tail = !lower)
        let p = if lower { pt(-t, df) } else { pt(t, df) };
        (p, "asymptotic t approximation", false)
    };
    let p = (2.0 * p).min(1.0);
    let mut note = format!("S = {s}");
    if ties {
        note.push_str("; ties: asymptotic t approximation");
    }
    Ok(TestResult {
        statistic: rho,
        p_value: check_p(p)?,
        method: format!("Spearman's rank correlation rho ({how})"),
        exact,
        n,
        estimate: Some(rho),
        df: None,
        note: Some(note),
    })
}

/// Pearson correlation (two-pass, centred), clamped to [-1, 1] as R's `cor`.
fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = ksum(x.iter().copied()) / n;
    let my = ksum(y.iter().copied()) / n;
    let sxy = ksum(x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)));
    let sxx = ksum(x.iter().map(|a| (a - mx) * (a - mx)));
    let syy = ksum(y.iter().map(|b| (b - my) * (b - my)));
    (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
}

/// R's `prho(n, is, &pv, ifault, lower_tail)` (AS 89): P(S >= is), or
/// P(S < is) when `lower_tail`.
fn prho(n: usize, is: f64, lower_tail: bool) -> f64 {
    let mut pv = if lower_tail { 0.0 } else { 1.0 };
    if n <= 1 || is <= 0.0 {
        return pv;
    }
    let y0 = n as f64;
    let n3 = y0 * (y0 * y0 - 1.0) / 3.0; // (n^3 - n)/3, the maximal S
    if is > n3 {
        return 1.0 - pv;
    }
    if n <= N_SMALL {
        let counts = s_counts(n);
        let nfac: u64 = counts.iter().sum();
        // R: ifr = #{permutations with S >= is} (ifr = 1 when is == n3)
        let ifr: u64 = counts
            .iter()
            .enumerate()
            .filter(|(s, _)| is <= *s as f64)
            .map(|(_, c)| c)
            .sum();
        pv = (if lower_tail { nfac - ifr } else { ifr }) as f64 / nfac as f64;
    } else {
        const C: [f64; 12] = [
            0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131,
            4.6e-4,
        ];
        let (c1, c2, c3, c4, c5, c6) = (C[0], C[1], C[2], C[3], C[4], C[5]);
        let (c7, c8, c9, c10, c11, c12) = (C[6], C[7], C[8], C[9], C[10], C[11]);
        let yn = y0;
        let b = 1.0 / yn;
        let x = (6.0 * (is - 1.0) * b / (yn * yn - 1.0) - 1.0) * (yn - 1.0).sqrt();
        let y = x * x;
        let u = x
            * b
            * (c1
                + b * (c2 + c3 * b)
                + y * (-c4 + b * (c5 + c6 * b)
                    - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))));
        let y = u / (y / 2.0).exp();
        let tail = if lower_tail { pnorm(x) } else { pnorm(-x) };
        pv = (if lower_tail { -y } else { y }) + tail;
        pv = pv.clamp(0.0, 1.0);
    }
    pv
}

/// Histogram of S = Σ (i − π(i))² over all n! permutations π (n ≤ 9).
fn s_counts(n: usize) -> Vec<u64> {
    let max = (n * n * n - n) / 3;
    let mut counts = vec![0u64; max + 1];
    let mut used = vec![false; n];
    fn rec(pos: usize, n: usize, acc: usize, used: &mut [bool], counts: &mut [u64]) {
        if pos == n {
            counts[acc] += 1;
            return;
        }
        for v in 0..n {
            if !used[v] {
                used[v] = true;
                let d = pos.abs_diff(v);
                rec(pos + 1, n, acc + d * d, used, counts);
                used[v] = false;
            }
        }
    }
    rec(0, n, 0, &mut used, &mut counts);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::*;
    use proptest::prelude::*;

    fn check(x: &[f64], y: &[f64], s: f64, p: f64, rho: f64, how: &str) -> TestResult {
        let r = spearman(x, y).unwrap();
        close(r.statistic, rho, 1e-10);
        close(r.estimate.unwrap(), rho, 1e-10);
        close(r.p_value, p, 1e-8);
        let s_note: f64 = r.note.as_ref().unwrap()["S = ".len()..]
            .split(';')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        close(s_note, s, 1e-10);
        assert_eq!(r.method, format!("Spearman's rank correlation rho ({how})"));
        r
    }

    #[test]
    fn exact_small() {
        // R: cor.test(c(1,2,3,4,5), c(2,1,4,3,5), method = 'spearman')  -> S = 4, p-value = 0.133333333333333, rho = 0.8
        let r = check(
            &seq(1, 5),
            &[2., 1., 4., 3., 5.],
            4.0,
            0.133333333333333,
            0.8,
            "exact",
        );
        assert!(r.exact);
        // R: cor.test(c(1,2,3,4,5), c(5,4,3,2,1), method = 'spearman')  -> S = 40, p-value = 0.0166666666666667, rho = -1
        check(
            &seq(1, 5),
            &[5., 4., 3., 2., 1.],
            40.0,
            0.0166666666666667,
            -1.0,
            "exact",
        );
        // R: cor.test(c(1,2,3), c(1,3,2), method = 'spearman')  -> S = 2, p-value = 1, rho = 0.5
        check(&[1., 2., 3.], &[1., 3., 2.], 2.0, 1.0, 0.5, "exact");
    }

    #[test]
    fn exact_n9() {
        // R: cor.test(c(4.2,1.1,3.3,8.5,2.0,6.6,5.9,7.1,9.4), c(3.0,1.5,2.2,7.7,4.1,5.0,8.8,6.3,9.9), method = 'spearman')
        //   -> S = 18, p-value = 0.00607363315696649, rho = 0.85
        check(
            &[4.2, 1.1, 3.3, 8.5, 2.0, 6.6, 5.9, 7.1, 9.4],
            &[3.0, 1.5, 2.2, 7.7, 4.1, 5.0, 8.8, 6.3, 9.9],
            18.0,
            0.00607363315696649,
            0.85,
            "exact",
        );
    }

    #[test]
    fn edgeworth() {
        // R: cor.test(1:10, c(3,1,4,2,6,5,8,7,10,9), method = 'spearman')
        //   -> S = 16, p-value = 0.000880224994754143, rho = 0.903030303030303
        let r = check(
            &seq(1, 10),
            &[3., 1., 4., 2., 6., 5., 8., 7., 10., 9.],
            16.0,
            0.000880224994754143,
            0.903030303030303,
            "Edgeworth series approximation",
        );
        assert!(!r.exact);
        // R: cor.test(s30x, s30y, method = 'spearman')  -> S = 4650, p-value = 0.856447839203181, rho = -0.0344827586206897
        check(
            &s30x(),
            &s30y(),
            4650.0,
            0.856447839203181,
            -0.0344827586206897,
            "Edgeworth series approximation",
        );
        // R: cor.test(1:12, 1:12, method = 'spearman')  -> S = 0, p-value = 0, rho = 1
        check(
            &seq(1, 12),
            &seq(1, 12),
            0.0,
            0.0,
            1.0,
            "Edgeworth series approximation",
        );
    }

    #[test]
    fn ties_t_approx() {
        // R: cor.test(c(1,2,2,3,4,5,5,6), c(2,1,3,3,5,4,6,7), method = 'spearman')
        //   -> S = 8.14406140247612, p-value = 0.00211591611914251, rho = 0.903046888065761 (warning: ties)
        let r = check(
            &[1., 2., 2., 3., 4., 5., 5., 6.],
            &[2., 1., 3., 3., 5., 4., 6., 7.],
            8.14406140247612,
            0.00211591611914251,
            0.903046888065761,
            "asymptotic t approximation",
        );
        assert!(r.note.unwrap().contains("ties"));
        // R: cor.test(c(1,1,2,3), c(1,1,2,3), method = 'spearman')  -> S = 0, p-value = 0, rho = 1
        check(
            &[1., 1., 2., 3.],
            &[1., 1., 2., 3.],
            0.0,
            0.0,
            1.0,
            "asymptotic t approximation",
        );
    }

    #[test]
    fn large_n_t_approx() {
        // R: cor.test(1:1300, big_y, method = 'spearman')
        //   -> S = 313371870, p-value = 1.78100379632735e-07, rho = 0.144181915082608
        check(
            &seq(1, 1300),
            &big_y(),
            313371870.0,
            1.78100379632735e-07,
            0.144181915082608,
            "asymptotic t approximation",
        );
    }

    #[test]
    fn errors() {
        assert!(spearman(&[1.0], &[2.0]).is_err());
        assert!(spearman(&[1.0, 2.0], &[2.0]).is_err());
        assert!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_err());
        assert!(spearman(&[1.0, f64::NAN, 3.0], &[1.0, 2.0, f64::INFINITY]).is_err());
        // n = 2 works in R: cor.test(1:2, 2:1, method = 'spearman') -> p-value = 1
        close(
            spearman(&[1.0, 2.0], &[2.0, 1.0]).unwrap().p_value,
            1.0,
            1e-12,
        );
    }

    proptest! {
        #[test]
        fn shift_invariance(x in prop::collection::vec(-100i32..100, 2..40),
                            y in prop::collection::vec(-1e3f64..1e3, 2..40),
                            c in -1000i32..1000) {
            let n = x.len().min(y.len());
            let xa: Vec<f64> = x[..n].iter().map(|&v| v as f64).collect();
            let xb: Vec<f64> = x[..n].iter().map(|&v| (v + c) as f64).collect();
            prop_assert_eq!(spearman(&xa, &y[..n]), spearman(&xb, &y[..n]));
        }

        #[test]
        fn no_panic(x in prop::collection::vec(any::<f64>(), 0..30),
                    y in prop::collection::vec(any::<f64>(), 0..30)) {
            let n = x.len().min(y.len());
            if let Ok(r) = spearman(&x[..n], &y[..n]) {
                prop_assert!((-1.0..=1.0).contains(&r.statistic));
                prop_assert!((0.0..=1.0).contains(&r.p_value));
            }
        }

        #[test]
        fn p_in_unit_interval(x in prop::collection::vec(-10i32..10, 2..60),
                              y in prop::collection::vec(-1e3f64..1e3, 2..60)) {
            let n = x.len().min(y.len());
            let xa: Vec<f64> = x[..n].iter().map(|&v| v as f64).collect();
            if let Ok(r) = spearman(&xa, &y[..n]) {
                prop_assert!((0.0..=1.0).contains(&r.p_value));
                // swapping x and y gives the same result
                prop_assert_eq!(Ok(r), spearman(&y[..n], &xa));
            }
        }
    }
}
