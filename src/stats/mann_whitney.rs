//! Wilcoxon rank sum (Mann-Whitney) test, R: `wilcox.test(x, y)`.

use super::dist::{norm_two_sided, wilcox_two_sided};
use super::ranks::{average_ranks, tie_sum};
use super::{check_p, finite, StatError, TestResult};

/// R: `wilcox.test(x, y)` (unpaired, two-sided, exact = NULL, correct = TRUE).
///
/// Non-finite values are dropped from each sample. W = (sum of the ranks of
/// x in the pooled sample) − n_x(n_x + 1)/2. The p value is exact (counting
/// the null distribution like `pwilcox`) iff n_x < 50, n_y < 50 and there
/// are no ties; otherwise the normal approximation with continuity
/// correction and tie-corrected variance.
pub fn mann_whitney(x: &[f64], y: &[f64]) -> Result<TestResult, StatError> {
    let x = finite(x);
    let y = finite(y);
    if x.is_empty() {
        return Err(StatError::new("not enough x observations"));
    }
    if y.is_empty() {
        return Err(StatError::new("not enough y observations"));
    }
    let (nx, ny) = (x.len(), y.len());
    let pooled: Vec<f64> = x.iter().chain(&y).copied().collect();
    let (r, groups) = average_ranks(&pooled);
    let (nxf, nyf) = (nx as f64, ny as f64);
    let w = r[..nx].iter().sum::<f64>() - nxf * (nxf + 1.0) / 2.0;
    let ties = groups.len() != pooled.len();
    let exact = nx < 50 && ny < 50 && !ties;
    let mut note = None;
    let (p, method) = if exact {
        (wilcox_two_sided(w, nx, ny), "Wilcoxon rank sum exact test")
    } else {
        if ties && nx < 50 && ny < 50 {
            note = Some("ties: normal approximation".to_string());
        }
        let z = w - nxf * nyf / 2.0;
        let nn = nxf + nyf;
        let sigma2 = (nxf * nyf / 12.0) * ((nn + 1.0) - tie_sum(&groups) / (nn * (nn - 1.0)));
        if !(sigma2 > 0.0) {
            return Err(StatError::new("all observations are tied"));
        }
        let z = super::dist::continuity_z(z, sigma2);
        (
            norm_two_sided(z),
            "Wilcoxon rank sum test with continuity correction",
        )
    };
    Ok(TestResult {
        statistic: w,
        p_value: check_p(p)?,
        method: method.to_string(),
        exact,
        n: nx + ny,
        estimate: None,
        df: None,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::*;
    use proptest::prelude::*;

    #[test]
    fn small_exact_unequal_lengths() {
        // R: wilcox.test(c(0.80,0.83,1.89,1.04,1.45,1.38,1.91,1.64,0.73,1.46), c(1.15,0.88,0.90,0.74,1.21))
        //   -> W = 35, p-value = 0.254412254412254 (Wilcoxon rank sum exact test)
        let x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
        let y = [1.15, 0.88, 0.90, 0.74, 1.21];
        let r = mann_whitney(&x, &y).unwrap();
        close(r.statistic, 35.0, 1e-12);
        close(r.p_value, 0.254412254412254, 1e-10);
        assert!(r.exact);
        assert_eq!(r.method, "Wilcoxon rank sum exact test");
        assert_eq!(r.n, 15);
        // swapped: W' = 50 - 35 = 15, same p
        let s = mann_whitney(&y, &x).unwrap();
        close(s.statistic, 15.0, 1e-12);
        close(s.p_value, 0.254412254412254, 1e-10);
    }

    #[test]
    fn ties_normal_approx() {
        // R: wilcox.test(c(1,2,2,3,4,5), c(2,3,3,6,7,8,9))
        //   -> W = 9, p-value = 0.0966705434067009 (with continuity correction; warning: ties)
        let r = mann_whitney(&[1., 2., 2., 3., 4., 5.], &[2., 3., 3., 6., 7., 8., 9.]).unwrap();
        close(r.statistic, 9.0, 1e-12);
        close(r.p_value, 0.0966705434067009, 1e-10);
        assert!(!r.exact);
        assert_eq!(
            r.method,
            "Wilcoxon rank sum test with continuity correction"
        );
        assert_eq!(r.note.as_deref(), Some("ties: normal approximation"));
    }

    #[test]
    fn large_unequal_normal() {
        // R: wilcox.test(a60, b45)  -> W = 1317, p-value = 0.833320163153995
        let r = mann_whitney(&a60(), &b45()).unwrap();
        close(r.statistic, 1317.0, 1e-12);
        close(r.p_value, 0.833320163153995, 1e-10);
        assert_eq!(r.n, 105);
    }

    #[test]
    fn exact_49_by_49() {
        // R: wilcox.test(x49, y49)  -> W = 1180, p-value = 0.887512401770377 (exact)
        let r = mann_whitney(&x49(), &y49()).unwrap();
        close(r.statistic, 1180.0, 1e-12);
        close(r.p_value, 0.887512401770377, 1e-10);
        assert!(r.exact);
    }

    #[test]
    fn one_vs_five_and_extreme() {
        // R: wilcox.test(3.5, c(1,2,3,4,5))  -> W = 3, p-value = 1
        let r = mann_whitney(&[3.5], &[1., 2., 3., 4., 5.]).unwrap();
        close(r.statistic, 3.0, 1e-12);
        close(r.p_value, 1.0, 1e-12);
        // R: wilcox.test(1:10, 11:20)  -> W = 0, p-value = 1.0825088224469e-05
        let r = mann_whitney(&seq(1, 10), &seq(11, 20)).unwrap();
        close(r.statistic, 0.0, 1e-12);
        close(r.p_value, 1.0825088224469e-05, 1e-10);
    }

    #[test]
    fn errors() {
        assert!(mann_whitney(&[], &[1.0]).is_err());
        assert!(mann_whitney(&[f64::NAN], &[1.0]).is_err());
        assert!(mann_whitney(&[1.0, 1.0], &[1.0]).is_err()); // all tied
        assert!(mann_whitney(&[1.0], &[2.0]).is_ok());
    }

    proptest! {
        #[test]
        fn swap_symmetry(x in prop::collection::vec(-50i32..50, 1..70),
                         y in prop::collection::vec(-1e3f64..1e3, 1..70)) {
            let x: Vec<f64> = x.iter().map(|&v| v as f64).collect();
            if let Ok(a) = mann_whitney(&x, &y) {
                let b = mann_whitney(&y, &x).unwrap();
                let nxy = (x.len() * y.len()) as f64;
                prop_assert!((a.statistic + b.statistic - nxy).abs() < 1e-9);
                prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
                prop_assert!((0.0..=1.0).contains(&a.p_value));
            }
        }

        #[test]
        fn shift_invariance(x in prop::collection::vec(-100i32..100, 1..60),
                            y in prop::collection::vec(-100i32..100, 1..60),
                            c in -1000i32..1000) {
            let f = |v: &Vec<i32>, c: i32| v.iter().map(|&a| (a + c) as f64).collect::<Vec<f64>>();
            prop_assert_eq!(mann_whitney(&f(&x, 0), &f(&y, 0)), mann_whitney(&f(&x, c), &f(&y, c)));
        }

        #[test]
        fn no_panic(x in prop::collection::vec(any::<f64>(), 0..60),
                    y in prop::collection::vec(any::<f64>(), 0..60)) {
            if let Ok(r) = mann_whitney(&x, &y) {
                prop_assert!(r.statistic.is_finite());
                prop_assert!((0.0..=1.0).contains(&r.p_value));
            }
        }
    }
}
