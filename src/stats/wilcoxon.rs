//! Wilcoxon signed rank test, R: `wilcox.test(x, y, paired = TRUE)`.

use super::dist::{norm_two_sided, signrank_two_sided};
use super::ranks::{average_ranks_within, tie_sum, tolerance};
use super::{check_p, differences, finite_pairs, StatError, TestResult};

/// R: `wilcox.test(x, y, paired = TRUE)` (two-sided, mu = 0, exact = NULL,
/// correct = TRUE).
///
/// d = x − y over finite pairs; zero differences are dropped; V is the sum
/// of the ranks of |d| for positive d. The p value is exact (counting the
/// null distribution of V, like `psignrank`) iff the remaining n < 50 and
/// there are neither ties nor zeros; otherwise the normal approximation with
/// continuity correction and tie-corrected variance.
/// `n` in the result is the number of finite pairs (zeros included).
///
/// Ties and zeros by the crate's tie rule (`stats::ranks`): with s the largest |x_i| or |y_i|, a
/// difference within 1e-9·s of zero is a zero, and |d| values within 1e-9·s of each other are
/// tied. Where no values are that close, this is R's test exactly.
pub fn wilcoxon_signed_rank(x: &[f64], y: &[f64]) -> Result<TestResult, StatError> {
    let (a, b) = finite_pairs(x, y)?;
    let d = differences(&a, &b)?;
    let n_pairs = d.len();
    if n_pairs == 0 {
        return Err(StatError::new("no finite pairs"));
    }
    // One tolerance for zeros and ties: on the scale of the pairs (`stats::ranks`).
    let tol = tolerance(a.iter().chain(&b).copied());
    let nz: Vec<f64> = d.iter().copied().filter(|v| v.abs() > tol).collect();
    let zeros = n_pairs - nz.len();
    if nz.is_empty() {
        return Err(StatError::new("all differences are zero"));
    }
    let n = nz.len();
    let abs: Vec<f64> = nz.iter().map(|v| v.abs()).collect();
    let (r, groups) = average_ranks_within(&abs, tol);
    let v: f64 = r
        .iter()
        .zip(&nz)
        .filter(|(_, &d)| d > 0.0)
        .map(|(r, _)| r)
        .sum::<f64>()
        + 0.0; // an empty sum is -0

    let ties = groups.len() != n;
    let nf = n as f64;

    let mut notes = Vec::new();
    if zeros > 0 {
        notes.push(format!(
            "{zeros} zero difference{} dropped",
            if zeros == 1 { "" } else { "s" }
        ));
    }
    let exact = n < 50 && !ties && zeros == 0;
    let (p, method) = if exact {
        (signrank_two_sided(v, n), "Wilcoxon signed rank exact test")
    } else {
        if n < 50 {
            notes.push(
                if ties && zeros > 0 {
                    "ties and zeros: normal approximation"
                } else if ties {
                    "ties: normal approximation"
                } else {
                    "zeros: normal approximation"
                }
                .to_string(),
            );
        }
        let z = v - nf * (nf + 1.0) / 4.0;
        let sigma2 = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_sum(&groups) / 48.0;
        if !(sigma2 > 0.0) {
            return Err(StatError::new("variance of the statistic is zero"));
        }
        let z = super::dist::continuity_z(z, sigma2);
        (
            norm_two_sided(z),
            "Wilcoxon signed rank test with continuity correction",
        )
    };
    Ok(TestResult {
        statistic: v,
        p_value: check_p(p)?,
        method: method.to_string(),
        exact,
        n: n_pairs,
        estimate: None,
        df: None,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14 is data, not pi
mod tests {
    use super::*;
    use crate::stats::test_util::*;
    use proptest::prelude::*;

    #[test]
    fn small_exact_n3() {
        // R: wilcox.test(c(1.83,0.50,1.62), c(0.878,0.647,0.598), paired = TRUE)
        //   -> V = 5, p-value = 0.5 (Wilcoxon signed rank exact test)
        let r = wilcoxon_signed_rank(&[1.83, 0.50, 1.62], &[0.878, 0.647, 0.598]).unwrap();
        close(r.statistic, 5.0, 1e-12);
        close(r.p_value, 0.5, 1e-10);
        assert!(r.exact);
        assert_eq!(r.method, "Wilcoxon signed rank exact test");
        assert_eq!(r.n, 3);
    }

    #[test]
    fn exact_n9() {
        // R: wilcox.test(c(1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30),
        //                c(0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29), paired = TRUE)
        //   -> V = 40, p-value = 0.0390625
        let x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        let y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        let r = wilcoxon_signed_rank(&x, &y).unwrap();
        close(r.statistic, 40.0, 1e-12);
        close(r.p_value, 0.0390625, 1e-10);
        assert!(r.exact);
        // swapped: V' = 45 - 40 = 5, same p
        let s = wilcoxon_signed_rank(&y, &x).unwrap();
        close(s.statistic, 5.0, 1e-12);
        close(s.p_value, 0.0390625, 1e-10);
    }

    #[test]
    fn ties_normal_approx() {
        // R: wilcox.test(c(1,2,3,4,5,6), c(0,0,1,2,3,3), paired = TRUE)
        //   -> V = 21, p-value = 0.0310325195001449 (with continuity correction; warning: ties)
        let r = wilcoxon_signed_rank(&[1., 2., 3., 4., 5., 6.], &[0., 0., 1., 2., 3., 3.]).unwrap();
        close(r.statistic, 21.0, 1e-12);
        close(r.p_value, 0.0310325195001449, 1e-10);
        assert!(!r.exact);
        assert_eq!(
            r.method,
            "Wilcoxon signed rank test with continuity correction"
        );
        assert_eq!(r.note.as_deref(), Some("ties: normal approximation"));
    }

    #[test]
    fn zeros_and_ties() {
        // R: wilcox.test(c(5,3,8,6,7,4,9,2), c(5,1,6,6,4,5,3,1), paired = TRUE)
        //   -> V = 19.5, p-value = 0.0731397996589089 (warnings: ties, zeroes)
        let r = wilcoxon_signed_rank(
            &[5., 3., 8., 6., 7., 4., 9., 2.],
            &[5., 1., 6., 6., 4., 5., 3., 1.],
        )
        .unwrap();
        close(r.statistic, 19.5, 1e-12);
        close(r.p_value, 0.0731397996589089, 1e-10);
        assert!(!r.exact);
        assert_eq!(r.n, 8);
        assert!(r.note.unwrap().starts_with("2 zero differences dropped"));
    }

    #[test]
    fn sleep_zero_and_ties() {
        // R: wilcox.test(sleep1, sleep2, paired = TRUE)
        //   -> V = 0, p-value = 0.00909069801592506
        let r = wilcoxon_signed_rank(&SLEEP1, &SLEEP2).unwrap();
        close(r.statistic, 0.0, 1e-12);
        close(r.p_value, 0.00909069801592506, 1e-10);
    }

    #[test]
    fn exact_n49() {
        // R: wilcox.test(g49, rep(26.3, 49), paired = TRUE)
        //   -> V = 646, p-value = 0.744902481126058 (exact)
        let r = wilcoxon_signed_rank(&g49(), &[26.3; 49]).unwrap();
        close(r.statistic, 646.0, 1e-12);
        close(r.p_value, 0.744902481126058, 1e-10);
        assert!(r.exact);
    }

    #[test]
    fn normal_n60() {
        // R: wilcox.test(g60, rep(30.3, 60), paired = TRUE)
        //   -> V = 930, p-value = 0.914992675197531 (with continuity correction, no ties)
        let r = wilcoxon_signed_rank(&g60(), &[30.3; 60]).unwrap();
        close(r.statistic, 930.0, 1e-12);
        close(r.p_value, 0.914992675197531, 1e-10);
        assert!(!r.exact);
        assert_eq!(r.note, None);
    }

    #[test]
    fn errors_and_non_finite() {
        assert!(wilcoxon_signed_rank(&[], &[]).is_err());
        assert!(wilcoxon_signed_rank(&[1.0, 2.0], &[1.0]).is_err());
        assert_eq!(
            wilcoxon_signed_rank(&[1.0, 2.0], &[1.0, 2.0])
                .unwrap_err()
                .0,
            "all differences are zero"
        );
        assert!(wilcoxon_signed_rank(&[f64::NAN, f64::INFINITY], &[1.0, 2.0]).is_err());
        assert!(wilcoxon_signed_rank(&[f64::MAX, 1.0], &[-f64::MAX, 2.0]).is_err());
        // non-finite pairs are ignored: same as the n = 3 case
        let r = wilcoxon_signed_rank(
            &[1.83, f64::NAN, 0.50, 1.62, 7.0],
            &[0.878, 1.0, 0.647, 0.598, f64::NEG_INFINITY],
        )
        .unwrap();
        close(r.p_value, 0.5, 1e-12);
        assert_eq!(r.n, 3);
    }

    fn pairs() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
        (1usize..70).prop_flat_map(|n| {
            (
                prop::collection::vec(-1e3f64..1e3, n),
                prop::collection::vec(-1e3f64..1e3, n),
            )
        })
    }

    proptest! {
        #[test]
        fn swap_symmetry((x, y) in pairs()) {
            if let Ok(a) = wilcoxon_signed_rank(&x, &y) {
                let b = wilcoxon_signed_rank(&y, &x).unwrap();
                let tol = tolerance(x.iter().chain(&y).copied());
                let nz = x.iter().zip(&y).filter(|(p, q)| (*p - *q).abs() > tol).count() as f64;
                prop_assert!((a.statistic + b.statistic - nz * (nz + 1.0) / 2.0).abs() < 1e-9);
                prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
                prop_assert!((0.0..=1.0).contains(&a.p_value));
            }
        }

        #[test]
        fn shift_invariance(x in prop::collection::vec(-100i32..100, 1..60),
                            y in prop::collection::vec(-100i32..100, 1..60),
                            c in -1000i32..1000) {
            // integer-valued data so that adding c is exact
            let n = x.len().min(y.len());
            let x: Vec<f64> = x[..n].iter().map(|&v| v as f64).collect();
            let y: Vec<f64> = y[..n].iter().map(|&v| v as f64).collect();
            let xs: Vec<f64> = x.iter().map(|v| v + c as f64).collect();
            let ys: Vec<f64> = y.iter().map(|v| v + c as f64).collect();
            prop_assert_eq!(wilcoxon_signed_rank(&x, &y), wilcoxon_signed_rank(&xs, &ys));
        }

        #[test]
        fn no_panic(x in prop::collection::vec(any::<f64>(), 0..40),
                    y in prop::collection::vec(any::<f64>(), 0..40)) {
            if let Ok(r) = wilcoxon_signed_rank(&x, &y) {
                prop_assert!(r.statistic.is_finite());
                prop_assert!((0.0..=1.0).contains(&r.p_value));
            }
        }
    }
}
