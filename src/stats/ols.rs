//! Simple linear regression, R: `lm(y ~ x)` with `summary()` and `confint()`.

use super::descriptive::{ksum, scale_for_max, Ksum};
use super::dist::qt975_int;

/// Least-squares fit of y = intercept + slope·x.
#[derive(Debug, Clone, PartialEq)]
pub struct Ols {
    /// R: `coef(fit)[1]`.
    pub intercept: f64,
    /// R: `coef(fit)[2]`.
    pub slope: f64,
    /// R: `coef(summary(fit))[2, "Std. Error"]`; None when df = 0.
    pub slope_se: Option<f64>,
    /// R: `confint(fit)[2, ]` (95 %); None when df = 0.
    pub slope_ci: Option<(f64, f64)>,
    /// Residual degrees of freedom n − 2.
    pub df: usize,
    /// R: `summary(fit)$sigma`; None when df = 0.
    pub residual_se: Option<f64>,
}

/// R: `lm(y ~ x)` on the finite pairs.
///
/// None when the lengths differ, when there are fewer than 2 distinct x
/// values, or when a result would not be finite. x and y are centred
/// before fitting (x may be dates counted in days, ~20 000).
pub fn ols(x: &[f64], y: &[f64]) -> Option<Ols> {
    if x.len() != y.len() {
        return None;
    }
    // The common case (all finite) borrows; only non-finite input pays for a filtered copy.
    // Each sum below is a compensated sum (`ksum`) in the data's order; sums over the same
    // data share one pass.
    let (mut finite, mut same, mut mxa, mut mya) = (true, true, 0.0f64, 0.0f64);
    for (&u, &v) in x.iter().zip(y) {
        finite &= u.is_finite() && v.is_finite();
        same &= u == x[0];
        mxa = mxa.max(u.abs());
        mya = mya.max(v.abs());
    }
    let owned;
    let (x, y): (&[f64], &[f64]) = if finite {
        (x, y)
    } else {
        owned = super::finite_pairs(x, y).ok()?;
        same = owned.0.iter().all(|&v| v == owned.0[0]);
        mxa = owned.0.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        mya = owned.1.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        (&owned.0, &owned.1)
    };
    let n = x.len();
    if n < 2 || same {
        return None;
    }
    // exact power-of-two rescaling guards against overflow of squares
    let kx = scale_for_max(mxa);
    let ky = scale_for_max(mya);
    let pairs = || x.iter().zip(y).map(move |(u, v)| (u * kx, v * ky));
    let nf = n as f64;
    let (mut sx, mut sy) = (Ksum::default(), Ksum::default());
    for (u, v) in pairs() {
        sx.add(u);
        sy.add(v);
    }
    let (mx0, my0) = (sx.total() / nf, sy.total() / nf);
    let (mut cx, mut cy) = (Ksum::default(), Ksum::default());
    for (u, v) in pairs() {
        cx.add(u - mx0);
        cy.add(v - my0);
    }
    let mx = mx0 + cx.total() / nf;
    let my = my0 + cy.total() / nf;
    let (mut sxx, mut sxy) = (Ksum::default(), Ksum::default());
    for (u, v) in pairs() {
        sxx.add((u - mx) * (u - mx));
        sxy.add((u - mx) * (v - my));
    }
    let (sxx, sxy) = (sxx.total(), sxy.total());
    if !(sxx > 0.0) {
        return None;
    }
    let b = sxy / sxx;
    let a = my - b * mx;
    let slope = b * kx / ky;
    let intercept = a / ky;
    if !slope.is_finite() || !intercept.is_finite() {
        return None;
    }
    let df = n - 2;
    let (slope_se, slope_ci, residual_se) = if df == 0 {
        (None, None, None)
    } else {
        let rss = ksum(pairs().map(|(u, v)| {
            let e = (v - my) - b * (u - mx);
            e * e
        }));
        let sigma_s = (rss / df as f64).sqrt();
        let se_s = sigma_s / sxx.sqrt();
        let sigma = sigma_s / ky;
        let se = se_s * kx / ky;
        let q = qt975_int(df);
        let ci = (slope - q * se, slope + q * se);
        if sigma.is_finite() && se.is_finite() && ci.0.is_finite() && ci.1.is_finite() {
            (Some(se), Some(ci), Some(sigma))
        } else {
            (None, None, None)
        }
    };
    Some(Ols {
        intercept,
        slope,
        slope_se,
        slope_ci,
        df,
        residual_se,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::*;
    use proptest::prelude::*;

    #[test]
    fn simple_line() {
        // R: fit <- lm(c(2.1,3.9,6.2,7.8,10.1) ~ c(1,2,3,4,5)); coef(fit); summary(fit); confint(fit)
        //   -> coef = 0.0500000000000026 1.99, slope se = 0.0597215762238966, sigma = 0.188856206322871,
        //      confint = 1.79993929040054 2.18006070959946
        let f = ols(&seq(1, 5), &[2.1, 3.9, 6.2, 7.8, 10.1]).unwrap();
        close(f.intercept, 0.0500000000000026, 1e-10);
        close(f.slope, 1.99, 1e-10);
        close(f.slope_se.unwrap(), 0.0597215762238966, 1e-10);
        close(f.residual_se.unwrap(), 0.188856206322871, 1e-10);
        let (lo, hi) = f.slope_ci.unwrap();
        close(lo, 1.79993929040054, 1e-10);
        close(hi, 2.18006070959946, 1e-10);
        assert_eq!(f.df, 3);
    }

    #[test]
    fn dates_as_days() {
        // R: lm(c(40,39,39,37,36,36,34) ~ I(19000 + c(0,30,61,90,122,151,180)))
        //   -> coef = 648.081717186449 -0.0319946422340508, slope se = 0.00337344649576044,
        //      sigma = 0.537466514555851, confint = -0.0406663625195436 -0.0233229219485581
        let x: Vec<f64> = [0., 30., 61., 90., 122., 151., 180.]
            .iter()
            .map(|d| 19000.0 + d)
            .collect();
        let f = ols(&x, &[40., 39., 39., 37., 36., 36., 34.]).unwrap();
        close(f.intercept, 648.081717186449, 1e-10);
        close(f.slope, -0.0319946422340508, 1e-10);
        close(f.slope_se.unwrap(), 0.00337344649576044, 1e-10);
        close(f.residual_se.unwrap(), 0.537466514555851, 1e-10);
        let (lo, hi) = f.slope_ci.unwrap();
        close(lo, -0.0406663625195436, 1e-10);
        close(hi, -0.0233229219485581, 1e-10);
    }

    #[test]
    fn larger_set() {
        // R: lm(b45 ~ a60[1:45])
        //   -> coef = 5.65523042217595 -0.0796933377923054, slope se = 0.156788279743799,
        //      sigma = 3.01909257675437, confint = -0.395887038481975 0.236500362897364
        let f = ols(&a60()[..45], &b45()).unwrap();
        close(f.intercept, 5.65523042217595, 1e-10);
        close(f.slope, -0.0796933377923054, 1e-10);
        close(f.slope_se.unwrap(), 0.156788279743799, 1e-10);
        close(f.residual_se.unwrap(), 3.01909257675437, 1e-10);
        let (lo, hi) = f.slope_ci.unwrap();
        close(lo, -0.395887038481975, 1e-10);
        close(hi, 0.236500362897364, 1e-10);
        assert_eq!(f.df, 43);
    }

    #[test]
    fn two_points_df_zero() {
        // R: lm(c(2,8) ~ c(1,3))  -> coef = -0.999999999999999 3 (df = 0: no se / CI)
        let f = ols(&[1., 3.], &[2., 8.]).unwrap();
        close(f.intercept, -0.999999999999999, 1e-10);
        close(f.slope, 3.0, 1e-12);
        assert_eq!(
            (f.df, f.slope_se, f.slope_ci, f.residual_se),
            (0, None, None, None)
        );
    }

    #[test]
    fn degenerate() {
        assert!(ols(&[], &[]).is_none());
        assert!(ols(&[1.0], &[1.0]).is_none());
        assert!(ols(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0]).is_none());
        assert!(ols(&[1.0, 2.0], &[1.0]).is_none());
        assert!(ols(&[1.0, f64::NAN, 2.0], &[1.0, 5.0, f64::INFINITY]).is_none());
        // huge and tiny magnitudes stay finite
        let f = ols(&[1e300, 2e300, 3e300], &[1e-300, 3e-300, 2e-300]).unwrap();
        assert!(f.slope.is_finite() && f.intercept.is_finite()); // true slope 5e-601 underflows
        assert!(f.slope_se.unwrap().is_finite());
        // constant y: slope 0, se 0
        let f = ols(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]).unwrap();
        assert_eq!((f.slope, f.slope_se), (0.0, Some(0.0)));
    }

    proptest! {
        #[test]
        fn shift_invariance(x in prop::collection::vec(-100i32..100, 2..40),
                            y in prop::collection::vec(-1e3f64..1e3, 2..40),
                            c in -20000i32..20000, d in -1e3f64..1e3) {
            let n = x.len().min(y.len());
            let xa: Vec<f64> = x[..n].iter().map(|&v| v as f64).collect();
            let xb: Vec<f64> = x[..n].iter().map(|&v| (v + c) as f64).collect();
            let yb: Vec<f64> = y[..n].iter().map(|v| v + d).collect();
            if let Some(a) = ols(&xa, &y[..n]) {
                let b = ols(&xb, &yb).unwrap();
                let scale = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                prop_assert!((a.slope - b.slope).abs() <= 1e-9 * scale);
                if let (Some(p), Some(q)) = (a.slope_se, b.slope_se) {
                    prop_assert!((p - q).abs() <= 1e-9 * scale);
                }
            }
        }

        #[test]
        fn no_panic(x in prop::collection::vec(any::<f64>(), 0..20),
                    y in prop::collection::vec(any::<f64>(), 0..20)) {
            if let Some(f) = ols(&x, &y) {
                prop_assert!(f.slope.is_finite() && f.intercept.is_finite());
                for v in [f.slope_se, f.residual_se].into_iter().flatten() {
                    prop_assert!(v.is_finite());
                }
            }
        }
    }
}
