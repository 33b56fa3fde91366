//! t-tests: R's `t.test(x, y, paired = TRUE)` and `t.test(x, y)` (Welch).

use super::descriptive::{mean_var_unscaled, scale_for};
use super::dist::t_two_sided;
use super::{check_p, differences, finite, StatError, TestResult};

/// R: `t.test(x, y, paired = TRUE)` (two-sided, mu = 0).
///
/// Uses the finite pairs; statistic t = mean(d) / (sd(d)/√n), df = n − 1,
/// estimate = mean of the differences x − y.
pub fn paired_t(x: &[f64], y: &[f64]) -> Result<TestResult, StatError> {
    let d = differences(x, y)?;
    let n = d.len();
    if n < 2 {
        return Err(StatError::new("fewer than 2 pairs"));
    }
    // t is scale invariant: work on exactly rescaled data to avoid overflow
    let k = scale_for(&d);
    let ds: Vec<f64> = d.iter().map(|v| v * k).collect();
    let (m, v) = mean_var_unscaled(&ds);
    let nf = n as f64;
    let stderr = (v / nf).sqrt();
    if !(stderr > 0.0) || stderr < 10.0 * f64::EPSILON * m.abs() {
        return Err(StatError::new(
            "standard deviation of the differences is zero (data are essentially constant)",
        ));
    }
    let t = m / stderr;
    let df = nf - 1.0;
    let estimate = m / k;
    if !t.is_finite() || !estimate.is_finite() {
        return Err(StatError::new("t statistic could not be computed"));
    }
    Ok(TestResult {
        statistic: t,
        p_value: check_p(t_two_sided(t, df))?,
        method: "Paired t-test".to_string(),
        exact: false,
        n,
        estimate: Some(estimate),
        df: Some(df),
        note: None,
    })
}

/// R: `t.test(x, y)` (Welch, two-sided, mu = 0).
///
/// Non-finite values are dropped from each sample; estimate = mean(x) − mean(y),
/// df = Welch–Satterthwaite.
pub fn welch_t(x: &[f64], y: &[f64]) -> Result<TestResult, StatError> {
    let x = finite(x);
    let y = finite(y);
    if x.len() < 2 {
        return Err(StatError::new("fewer than 2 x observations"));
    }
    if y.len() < 2 {
        return Err(StatError::new("fewer than 2 y observations"));
    }
    let all: Vec<f64> = x.iter().chain(&y).copied().collect();
    // halve once more so that mean(x) - mean(y) cannot overflow
    let k = scale_for(&all) * 0.5;
    let xs: Vec<f64> = x.iter().map(|v| v * k).collect();
    let ys: Vec<f64> = y.iter().map(|v| v * k).collect();
    let (mx, vx) = mean_var_unscaled(&xs);
    let (my, vy) = mean_var_unscaled(&ys);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let sx2 = vx / nx;
    let sy2 = vy / ny;
    let s2 = sx2 + sy2;
    let stderr = s2.sqrt();
    if !(stderr > 0.0) || stderr < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) {
        return Err(StatError::new(
            "standard deviation is zero in both samples (data are essentially constant)",
        ));
    }
    // R: df <- stderr^4 / (stderrx^4/(nx - 1) + stderry^4/(ny - 1)), written
    // with the variance shares to avoid under/overflow of the fourth powers
    let a = sx2 / s2;
    let b = sy2 / s2;
    let df = 1.0 / (a * a / (nx - 1.0) + b * b / (ny - 1.0));
    let t = (mx - my) / stderr;
    let estimate = (mx - my) / k;
    if !t.is_finite() || !df.is_finite() || !estimate.is_finite() {
        return Err(StatError::new("t statistic could not be computed"));
    }
    Ok(TestResult {
        statistic: t,
        p_value: check_p(t_two_sided(t, df))?,
        method: "Welch Two Sample t-test".to_string(),
        exact: false,
        n: x.len() + y.len(),
        estimate: Some(estimate),
        df: Some(df),
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::*;
    use proptest::prelude::*;

    #[test]
    fn paired_sleep() {
        // R: t.test(sleep1, sleep2, paired = TRUE)
        //   -> t = -4.06212768338204, df = 9, p-value = 0.00283289019738427, mean difference = -1.58
        let r = paired_t(&SLEEP1, &SLEEP2).unwrap();
        close(r.statistic, -4.06212768338204, 1e-10);
        close(r.p_value, 0.00283289019738427, 1e-8);
        close(r.estimate.unwrap(), -1.58, 1e-10);
        assert_eq!(r.df, Some(9.0));
        assert_eq!(r.method, "Paired t-test");
    }

    #[test]
    fn paired_dates() {
        // R: t.test(20000 + c(12.5, 30.1, 44.2, 58.0, 71.9), 20000 + c(10.0, 29.0, 40.5, 57.5, 70.0), paired = TRUE)
        //   -> t = 3.48659300024339, df = 4, p-value = 0.0252006376480467, mean difference = 1.94000000000015
        let x: Vec<f64> = [12.5, 30.1, 44.2, 58.0, 71.9]
            .iter()
            .map(|v| 20000.0 + v)
            .collect();
        let y: Vec<f64> = [10.0, 29.0, 40.5, 57.5, 70.0]
            .iter()
            .map(|v| 20000.0 + v)
            .collect();
        let r = paired_t(&x, &y).unwrap();
        close(r.statistic, 3.48659300024339, 1e-10);
        close(r.p_value, 0.0252006376480467, 1e-8);
        close(r.estimate.unwrap(), 1.94000000000015, 1e-10);
    }

    #[test]
    fn paired_tiny_p() {
        // R: t.test(t40x, t40y, paired = TRUE)
        //   -> t = 210.952616592062, df = 39, p-value = 3.01255181839892e-61, mean difference = 1.05175
        let r = paired_t(&t40x(), &t40y()).unwrap();
        close(r.statistic, 210.952616592062, 1e-10);
        close(r.p_value, 3.01255181839892e-61, 1e-8);
        close(r.estimate.unwrap(), 1.05175, 1e-10);
    }

    #[test]
    fn welch_sleep() {
        // R: t.test(sleep1, sleep2)
        //   -> t = -1.86081346748685, df = 17.7764735161785, p-value = 0.0793941401873582, means 0.75 2.33
        let r = welch_t(&SLEEP1, &SLEEP2).unwrap();
        close(r.statistic, -1.86081346748685, 1e-10);
        close(r.df.unwrap(), 17.7764735161785, 1e-10);
        close(r.p_value, 0.0793941401873582, 1e-8);
        close(r.estimate.unwrap(), 0.75 - 2.33, 1e-10);
        assert_eq!(r.method, "Welch Two Sample t-test");
        assert_eq!(r.n, 20);
    }

    #[test]
    fn welch_unequal_lengths() {
        // R: t.test(c(5.1,4.9,6.2,5.8,6.0,5.5,5.3), c(6.5,6.3,7.1,6.8,7.4))
        //   -> t = -4.75339185885777, df = 9.18645059280434, p-value = 0.000981885090404061,
        //      means 5.54285714285714 6.82
        let r = welch_t(
            &[5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3],
            &[6.5, 6.3, 7.1, 6.8, 7.4],
        )
        .unwrap();
        close(r.statistic, -4.75339185885777, 1e-10);
        close(r.df.unwrap(), 9.18645059280434, 1e-10);
        close(r.p_value, 0.000981885090404061, 1e-8);
        close(r.estimate.unwrap(), 5.54285714285714 - 6.82, 1e-10);
    }

    #[test]
    fn welch_large() {
        // R: t.test(a60, b45 + 3)
        //   -> t = -5.36777419470152, df = 93.9053271626165, p-value = 5.73590574693989e-07,
        //      means 5.11666666666667 8.25888888888889
        let y: Vec<f64> = b45().iter().map(|v| v + 3.0).collect();
        let r = welch_t(&a60(), &y).unwrap();
        close(r.statistic, -5.36777419470152, 1e-10);
        close(r.df.unwrap(), 93.9053271626165, 1e-10);
        close(r.p_value, 5.73590574693989e-07, 1e-8);
        close(
            r.estimate.unwrap(),
            5.11666666666667 - 8.25888888888889,
            1e-10,
        );
    }

    #[test]
    fn welch_one_constant_group() {
        // R: t.test(c(1,2,3), c(2,2,2))  -> t = 0, df = 2, p-value = 1
        let r = welch_t(&[1., 2., 3.], &[2., 2., 2.]).unwrap();
        close(r.statistic, 0.0, 1e-12);
        close(r.df.unwrap(), 2.0, 1e-12);
        close(r.p_value, 1.0, 1e-12);
    }

    #[test]
    fn errors() {
        assert!(paired_t(&[1.0], &[2.0]).is_err());
        assert!(paired_t(&[1.0, 2.0], &[2.0]).is_err());
        assert!(paired_t(&[1.0, 2.0, 3.0], &[0.0, 1.0, 2.0]).is_err()); // constant differences
        assert!(welch_t(&[1.0, 1.0], &[2.0, 2.0]).is_err());
        assert!(welch_t(&[1.0], &[2.0, 3.0]).is_err());
        assert!(welch_t(&[f64::NAN, 1.0, f64::INFINITY], &[2.0, 3.0]).is_err());
        // huge values: finite results thanks to exact rescaling
        let r = welch_t(&[1e300, 1.1e300, 1.3e300], &[-1e300, -1.2e300]).unwrap();
        assert!(r.statistic.is_finite() && r.estimate.unwrap().is_finite());
        assert!(welch_t(&[f64::MAX, f64::MAX * 0.9], &[-f64::MAX, -f64::MAX * 0.9]).is_err());
    }

    proptest! {
        #[test]
        fn shift_invariance(x in prop::collection::vec(-100i32..100, 2..50),
                            y in prop::collection::vec(-100i32..100, 2..50),
                            c in -1000i32..1000) {
            let f = |v: &Vec<i32>, c: i32| v.iter().map(|&a| (a + c) as f64 / 4.0).collect::<Vec<f64>>();
            if let Ok(a) = welch_t(&f(&x, 0), &f(&y, 0)) {
                let b = welch_t(&f(&x, c), &f(&y, c)).unwrap();
                prop_assert!((a.statistic - b.statistic).abs() <= 1e-9 * a.statistic.abs().max(1.0));
                prop_assert!((a.p_value - b.p_value).abs() <= 1e-9);
            }
            let n = x.len().min(y.len());
            let (x, y) = (x[..n].to_vec(), y[..n].to_vec());
            if let Ok(a) = paired_t(&f(&x, 0), &f(&y, 0)) {
                let b = paired_t(&f(&x, c), &f(&y, c)).unwrap();
                prop_assert!((a.statistic - b.statistic).abs() <= 1e-9 * a.statistic.abs().max(1.0));
                prop_assert!((a.p_value - b.p_value).abs() <= 1e-9);
            }
        }

        #[test]
        fn no_panic(x in prop::collection::vec(any::<f64>(), 0..30),
                    y in prop::collection::vec(any::<f64>(), 0..30)) {
            for r in [welch_t(&x, &y), paired_t(&x, &y)].into_iter().flatten() {
                prop_assert!(r.statistic.is_finite());
                prop_assert!(r.df.unwrap().is_finite());
                prop_assert!(r.estimate.unwrap().is_finite());
                prop_assert!((0.0..=1.0).contains(&r.p_value));
            }
        }
    }
}
