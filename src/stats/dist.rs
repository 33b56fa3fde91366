//! Distribution helpers: normal / Student t tails (statrs) and exact
//! null distributions of the signed-rank and rank-sum statistics.

use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};

/// Standard normal lower tail Φ(z) (R: `pnorm(z)`).
pub(crate) fn pnorm(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    if z == f64::INFINITY {
        return 1.0;
    }
    if z == f64::NEG_INFINITY {
        return 0.0;
    }
    Normal::standard().cdf(z)
}

/// R: `2 * min(pnorm(z), pnorm(z, lower.tail = FALSE))`, computed as 2Φ(−|z|).
pub(crate) fn norm_two_sided(z: f64) -> f64 {
    (2.0 * pnorm(-z.abs())).min(1.0)
}

/// Student t lower tail (R: `pt(t, df)`), df > 0.
pub(crate) fn pt(t: f64, df: f64) -> f64 {
    if t.is_nan() || !(df > 0.0) {
        return f64::NAN;
    }
    if t == f64::INFINITY {
        return 1.0;
    }
    if t == f64::NEG_INFINITY {
        return 0.0;
    }
    match StudentsT::new(0.0, 1.0, df) {
        // statrs returns the incomplete-beta tail directly for t <= 0, so
        // small lower tails are accurate; upper tails go through symmetry.
        Ok(d) => {
            if t <= 0.0 {
                d.cdf(t)
            } else {
                1.0 - d.cdf(-t)
            }
        }
        Err(_) => f64::NAN,
    }
}

/// R: `2 * pt(-abs(t), df)`.
pub(crate) fn t_two_sided(t: f64, df: f64) -> f64 {
    (2.0 * pt(-t.abs(), df)).min(1.0)
}

/// `qt(0.975, df)` for integer df, cached: OLS confidence intervals need it once per period,
/// tens of thousands of times for a large cohort, always for small integer df.
pub(crate) fn qt975_int(df: usize) -> f64 {
    use std::sync::OnceLock;
    const N: usize = 256;
    static TABLE: OnceLock<Vec<OnceLock<f64>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| (0..N).map(|_| OnceLock::new()).collect());
    match table.get(df) {
        Some(cell) => *cell.get_or_init(|| qt(0.975, df as f64)),
        None => qt(0.975, df as f64),
    }
}

/// Student t quantile (R: `qt(p, df)`), 0 < p < 1, refined by Newton steps
/// on statrs' CDF so that it is accurate to the CDF's precision.
pub(crate) fn qt(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    let d = match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => d,
        Err(_) => return f64::NAN,
    };
    // work on the lower half for accuracy, mirror at the end
    let (pl, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    if pl == 0.5 {
        return 0.0;
    }
    let mut x = d.inverse_cdf(pl);
    if !x.is_finite() {
        return f64::NAN;
    }
    for _ in 0..8 {
        let f = d.cdf(x) - pl;
        let dens = d.pdf(x);
        if !(dens > 0.0) {
            break;
        }
        let step = f / dens;
        x -= step;
        if step.abs() <= 1e-15 * x.abs().max(1e-300) {
            break;
        }
    }
    sign * x.abs()
}

/// Counts c[k] = #{subsets of {1..n} with sum k}, k = 0..=n(n+1)/2
/// (R's `csignrank`). Exact in u64 for n < 64.
pub(crate) fn signrank_counts(n: usize) -> Vec<u64> {
    let max = n * (n + 1) / 2;
    let mut c = vec![0u64; max + 1];
    c[0] = 1;
    for i in 1..=n {
        let top = i * (i + 1) / 2;
        for k in (i..=top).rev() {
            c[k] += c[k - i];
        }
    }
    c
}

/// Two-sided exact p of the signed-rank statistic V, as R computes it:
/// `p <- if (V > n(n+1)/4) psignrank(V - 1, n, lower.tail = FALSE) else psignrank(V, n); min(2p, 1)`.
pub(crate) fn signrank_two_sided(v: f64, n: usize) -> f64 {
    let c = signrank_counts(n);
    let total = 2f64.powi(n as i32);
    let vi = v.round() as usize;
    let p = if v > (n * (n + 1)) as f64 / 4.0 {
        c[vi.min(c.len())..].iter().map(|&k| k as f64).sum::<f64>() / total
    } else {
        c[..=vi.min(c.len() - 1)]
            .iter()
            .map(|&k| k as f64)
            .sum::<f64>()
            / total
    };
    (2.0 * p).min(1.0)
}

/// Counts c[u] = #{arrangements with Mann-Whitney U = u}, u = 0..=m·n
/// (R's `cwilcox`), via the Gaussian binomial coefficient
/// [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), exact in i128
/// (coefficients are at most C(98, 49) < 2^95 for m, n < 50; larger sizes
/// are never asked for exact p values).
pub(crate) fn wilcox_counts(m: usize, n: usize) -> Vec<i128> {
    let max = m * n;
    let mut c = vec![0i128; max + 1];
    c[0] = 1;
    let mut deg = 0usize;
    for i in 1..=m {
        // multiply by (1 - q^{n+i})
        let s = n + i;
        let new_deg = deg + s;
        for k in (s..=new_deg.min(max)).rev() {
            c[k] -= c[k - s];
        }
        // divide by (1 - q^i): c[k] += c[k - i]
        let final_deg = deg + n; // degree of [n+i choose i]_q is i*n
        for k in i..=final_deg.min(max) {
            c[k] += c[k - i];
        }
        for v in c.iter_mut().skip(final_deg + 1) {
            *v = 0;
        }
        deg = final_deg;
    }
    c
}

/// Two-sided exact p of the rank-sum statistic W, as R computes it:
/// `p <- if (W > m n / 2) pwilcox(W - 1, m, n, lower.tail = FALSE) else pwilcox(W, m, n); min(2p, 1)`.
pub(crate) fn wilcox_two_sided(w: f64, m: usize, n: usize) -> f64 {
    let c = wilcox_counts(m, n);
    let total: i128 = c.iter().sum();
    let wi = (w.round().max(0.0) as usize).min(c.len() - 1);
    let tail: i128 = if w > (m * n) as f64 / 2.0 {
        c[wi..].iter().sum()
    } else {
        c[..=wi].iter().sum()
    };
    (2.0 * (tail as f64 / total as f64)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binom(n: u32, k: u32) -> i128 {
        let mut r: i128 = 1;
        for i in 0..k {
            r = r * (n - i) as i128 / (i + 1) as i128;
        }
        r
    }

    #[test]
    fn wilcox_counts_sum_to_binomial() {
        for (m, n) in [(1, 1), (3, 4), (10, 7), (49, 49), (49, 1)] {
            let c = wilcox_counts(m, n);
            assert_eq!(c.len(), m * n + 1);
            assert!(c.iter().all(|&v| v > 0));
            assert_eq!(c.iter().sum::<i128>(), binom((m + n) as u32, m as u32));
            // symmetric
            for k in 0..=m * n {
                assert_eq!(c[k], c[m * n - k]);
            }
        }
    }

    #[test]
    fn signrank_counts_sum_to_power_of_two() {
        for n in [1usize, 5, 20, 49] {
            let c = signrank_counts(n);
            assert_eq!(c.iter().sum::<u64>(), 1u64 << n);
        }
    }

    #[test]
    fn exact_distribution_values() {
        // R: sprintf("%.15g", psignrank(10, 20))  -> 4.10079956054688e-05
        let c = signrank_counts(20);
        let p: f64 = c[..=10].iter().map(|&v| v as f64).sum::<f64>() / 2f64.powi(20);
        assert!((p / 4.10079956054688e-05 - 1.0).abs() < 1e-13);
        // R: sprintf("%.15g", pwilcox(400, 49, 49))  -> 9.59767983167794e-10
        let c = wilcox_counts(49, 49);
        let tot: i128 = c.iter().sum();
        let p = c[..=400].iter().sum::<i128>() as f64 / tot as f64;
        assert!((p / 9.59767983167794e-10 - 1.0).abs() < 1e-12, "{p}");
    }

    #[test]
    fn qt_matches_r() {
        // R: sprintf("%.15g", qt(0.975, c(1, 2, 3, 10, 1000)))
        //   -> 12.7062047361747 4.30265272974946 3.18244630528371 2.22813885198627 1.96233908082641
        let r = [
            (1.0, 12.7062047361747),
            (2.0, 4.30265272974946),
            (3.0, 3.18244630528371),
            (10.0, 2.22813885198627),
            (1000.0, 1.96233908082641),
        ];
        for (df, q) in r {
            let v = qt(0.975, df);
            assert!((v / q - 1.0).abs() < 1e-12, "df {df}: {v} vs {q}");
        }
    }

    /// The t quantile and two-sided p-value at fractional and large df, as the mixed models'
    /// Satterthwaite df need them (lmerTest's CIs and p-values).
    #[test]
    fn t_quantiles_and_p_values_match_r() {
        // R: sprintf("%.17g %.17g", qt(0.975, d), 2*pt(3.1, d, lower.tail=FALSE)) for d in
        // c(1, 2.5, 17.3, 208.593954249446, 1e6)
        let cases = [
            (1.0, 12.706204736174694, 0.19865218439823704),
            (2.5, 3.5746548420036919, 0.067788378324920323),
            (17.3, 2.1070320037534676, 0.0064021706499482311),
            (208.593954249446, 1.9714018098614083, 0.0022022939174816784),
            (1e6, 1.9599663568141066, 0.0019352601513240779),
        ];
        let close = |what: String, got: f64, want: f64, rel: f64| {
            assert!(
                (got - want).abs() <= rel * want.abs(),
                "{what}: got {got:.17e}, R {want:.17e}"
            );
        };
        for (df, q, p) in cases {
            // statrs' regularised incomplete beta loses digits for a = df/2 = 5e5
            let rel_q = if df > 1e3 { 1e-9 } else { 1e-12 };
            let rel_p = if df > 1e3 { 1e-9 } else { 1e-10 };
            close(format!("qt df={df}"), qt(0.975, df), q, rel_q);
            close(format!("p df={df}"), t_two_sided(3.1, df), p, rel_p);
        }
    }
}

/// Standardised statistic with R's continuity correction: (z − sign(z)·0.5) / σ, where z is the
/// statistic minus its null mean (as `wilcox.test(correct = TRUE)`).
pub(crate) fn continuity_z(z: f64, sigma2: f64) -> f64 {
    let correction = if z > 0.0 {
        0.5
    } else if z < 0.0 {
        -0.5
    } else {
        0.0
    };
    (z - correction) / sigma2.sqrt()
}
