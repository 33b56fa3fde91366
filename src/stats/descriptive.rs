//! Descriptive statistics: R's `mean`, `sd`, `quantile(type = 7)`.

/// Count, mean, sd and quartiles of the finite values of a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Number of finite values.
    pub n: usize,
    /// R: `mean(x)`; None when n = 0.
    pub mean: Option<f64>,
    /// R: `sd(x)` (denominator n − 1); None when n < 2.
    pub sd: Option<f64>,
    /// R: `median(x)` (= `quantile(x, 0.5)`); None when n = 0.
    pub median: Option<f64>,
    /// R: `quantile(x, 0.25, type = 7)`; None when n = 0.
    pub q1: Option<f64>,
    /// R: `quantile(x, 0.75, type = 7)`; None when n = 0.
    pub q3: Option<f64>,
}

/// Neumaier-compensated sum.
pub(crate) fn ksum(it: impl Iterator<Item = f64>) -> f64 {
    let mut k = Ksum::default();
    for v in it {
        k.add(v);
    }
    k.total()
}

/// The compensated sum of [`ksum`] as an accumulator, so that several sums can share one pass
/// over the data.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ksum {
    s: f64,
    c: f64,
}

impl Ksum {
    #[inline]
    pub fn add(&mut self, v: f64) {
        let t = self.s + v;
        if self.s.abs() >= v.abs() {
            self.c += (self.s - t) + v;
        } else {
            self.c += (v - t) + self.s;
        }
        self.s = t;
    }
    #[inline]
    pub fn total(self) -> f64 {
        self.s + self.c
    }
}

/// [`scale_for`] of the largest |value| `m`.
pub(crate) fn scale_for_max(m: f64) -> f64 {
    if m > 2f64.powi(400) || (m > 0.0 && m < 2f64.powi(-400)) {
        // 2^-(exponent of m)
        let e = m.log2().floor() as i32;
        let e = e.clamp(-1000, 1000);
        2f64.powi(-e)
    } else {
        1.0
    }
}

/// Power of two 2^k that brings the largest |value| near 1, when the values
/// are so large (or small) that sums of squares would overflow (underflow).
/// Scaling by a power of two is exact, so results are unchanged otherwise.
pub(crate) fn scale_for(x: &[f64]) -> f64 {
    scale_for_max(x.iter().fold(0.0f64, |a, v| a.max(v.abs())))
}

/// Mean and variance (denominator n − 1; 0 when n = 1) of finite values
/// that are already scaled to a safe range; n must be > 0.
pub(crate) fn mean_var_unscaled(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m0 = ksum(x.iter().copied()) / n;
    let m = m0 + ksum(x.iter().map(|v| v - m0)) / n;
    if x.len() < 2 {
        return (m, 0.0);
    }
    let ss = ksum(x.iter().map(|v| (v - m) * (v - m)));
    (m, ss / (n - 1.0))
}

/// Mean of finite values (R's two-pass `mean`); values must be finite.
fn mean_finite(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let k = scale_for(x);
    let n = x.len() as f64;
    let m0 = ksum(x.iter().map(|v| v * k)) / n;
    let m = m0 + ksum(x.iter().map(|v| v * k - m0)) / n;
    let m = m / k;
    m.is_finite().then_some(m)
}

/// Sample standard deviation (denominator n − 1) of finite values.
fn sd_finite(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let k = scale_for(x);
    let n = x.len() as f64;
    let m0 = ksum(x.iter().map(|v| v * k)) / n;
    let m = m0 + ksum(x.iter().map(|v| v * k - m0)) / n;
    let ss = ksum(x.iter().map(|v| {
        let d = v * k - m;
        d * d
    }));
    let s = (ss / (n - 1.0)).sqrt() / k;
    s.is_finite().then_some(s)
}

/// R: `mean(x[is.finite(x)])`; None when there is no finite value
/// (or the mean overflows).
pub fn mean(x: &[f64]) -> Option<f64> {
    mean_finite(&super::finite(x))
}

/// R: `sd(x[is.finite(x)])`; None when fewer than 2 finite values.
pub fn sd(x: &[f64]) -> Option<f64> {
    sd_finite(&super::finite(x))
}

/// R: `quantile(x, p, type = 7, names = FALSE)` for a sorted slice.
///
/// Non-finite values are ignored; if the finite values are not sorted a
/// sorted copy is used. None when there is no finite value or `p` is not in
/// [0, 1].
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&p) {
        return None;
    }
    let mut v = super::finite(sorted);
    if v.is_empty() {
        return None;
    }
    if v.windows(2).any(|w| w[0] > w[1]) {
        crate::sort::sort_f64(&mut v);
    }
    Some(quantile7(&v, p))
}

/// Type-7 quantile of a sorted, finite, non-empty slice, exactly as R:
/// `index <- 1 + (n - 1) * p; lo <- floor(index); hi <- ceiling(index);
/// qs <- x[lo]; h <- index - lo; (1 - h) * qs + h * x[hi]`.
fn quantile7(v: &[f64], p: f64) -> f64 {
    let n = v.len();
    let index = 1.0 + (n - 1) as f64 * p;
    let lo = index.floor();
    let hi = index.ceil();
    let (lo_i, hi_i) = ((lo as usize - 1).min(n - 1), (hi as usize - 1).min(n - 1));
    let qs = v[lo_i];
    if index > lo && v[hi_i] != qs {
        let h = index - lo;
        let r = (1.0 - h) * qs + h * v[hi_i];
        // guard against rounding past the bracket (and overflow near f64::MAX)
        r.clamp(qs.min(v[hi_i]), qs.max(v[hi_i]))
    } else {
        qs
    }
}

/// R: `median(x)` of the finite values (the type-7 quantile 0.5, as in [`summarize`]), found by
/// selecting the one or two middle values rather than a sort; None when there is none.
pub fn median(x: &[f64]) -> Option<f64> {
    let mut v = super::finite(x);
    let n = v.len();
    if n == 0 {
        return None;
    }
    // The order statistics quantile7 reads for p = 0.5: floor and ceil of (n − 1) / 2.
    let ks = if n % 2 == 1 {
        vec![n / 2]
    } else {
        vec![n / 2 - 1, n / 2]
    };
    select_order_statistics(&mut v, &ks);
    Some(quantile7(&v, 0.5))
}

/// Summary of the finite values of `x`. Mean and SD are summed in the data's order; the
/// quartiles come from the order statistics they need, found by selection rather than a sort
/// (a sort of each group's values was most of the group statistics' time).
pub fn summarize(x: &[f64]) -> Summary {
    let mut v = super::finite(x);
    let (mean, sd) = (mean_finite(&v), sd_finite(&v));
    const PS: [f64; 3] = [0.25, 0.5, 0.75];
    let n = v.len();
    let mut ks: Vec<usize> = Vec::with_capacity(2 * PS.len());
    if n > 0 {
        for p in PS {
            let index = 1.0 + (n - 1) as f64 * p;
            ks.push((index.floor() as usize - 1).min(n - 1));
            ks.push((index.ceil() as usize - 1).min(n - 1));
        }
    }
    crate::sort::sort(&mut ks);
    ks.dedup();
    select_order_statistics(&mut v, &ks);
    // `v` holds the sorted order's value at every index in `ks`: the indices quantile7 reads.
    let q = |p: f64| (n > 0).then(|| quantile7(&v, p));
    Summary {
        n,
        mean,
        sd,
        median: q(0.5),
        q1: q(0.25),
        q3: q(0.75),
    }
}

/// Rearranges `v` so that `v[k]` is what `v` sorted (by `total_cmp`) has at `k`, for every `k`
/// in `ks` (sorted, distinct, each < `v.len()`).
fn select_order_statistics(v: &mut [f64], ks: &[usize]) {
    if ks.is_empty() {
        return;
    }
    let mid = ks.len() / 2;
    let k = ks[mid];
    crate::sort::select_f64(v, k);
    let (left, right) = v.split_at_mut(k);
    select_order_statistics(left, &ks[..mid]);
    let above: Vec<usize> = ks[mid + 1..].iter().map(|&j| j - k - 1).collect();
    select_order_statistics(&mut right[1..], &above);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::close;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn quartiles_by_selection_equal_sorted(x in prop::collection::vec(-50i32..50, 0..200)) {
            let x: Vec<f64> = x.into_iter().map(|v| v as f64 / 4.0).collect();
            let s = summarize(&x);
            let mut sorted = x.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            for (got, p) in [(s.q1, 0.25), (s.median, 0.5), (s.q3, 0.75)] {
                prop_assert_eq!(got, (!sorted.is_empty()).then(|| quantile7(&sorted, p)));
            }
        }

        /// `median` is the summary's median, non-finite values left out.
        #[test]
        fn median_is_the_summarys(x in prop::collection::vec(-50i32..50, 0..60), nan in any::<bool>()) {
            let mut x: Vec<f64> = x.into_iter().map(|v| v as f64 / 3.0).collect();
            if nan {
                x.push(f64::NAN);
                x.insert(0, f64::INFINITY);
            }
            prop_assert_eq!(median(&x), summarize(&x).median);
        }
    }

    #[test]
    fn summary_integers() {
        // R: v <- c(2, 4, 4, 5, 7, 9, 10); mean(v); sd(v); quantile(v, c(.25,.5,.75))
        //   -> 5.85714285714286, 2.911389784311, 4 5 8
        let s = summarize(&[2., 4., 4., 5., 7., 9., 10.]);
        assert_eq!(s.n, 7);
        close(s.mean.unwrap(), 5.85714285714286, 1e-12);
        close(s.sd.unwrap(), 2.911389784311, 1e-12);
        assert_eq!((s.q1, s.median, s.q3), (Some(4.0), Some(5.0), Some(8.0)));
    }

    #[test]
    fn summary_interpolated() {
        // R: w <- c(3.1,-2.5,8.25,0.4,12.0,5.5); mean(w); sd(w); quantile(w, c(.25,.5,.75,.1,.9))
        //   -> 4.45833333333333, 5.27393749172918, 1.075 4.3 7.5625 -1.05 10.125
        let w = [3.1, -2.5, 8.25, 0.4, 12.0, 5.5, f64::NAN, f64::INFINITY];
        let s = summarize(&w);
        assert_eq!(s.n, 6);
        close(s.mean.unwrap(), 4.45833333333333, 1e-12);
        close(s.sd.unwrap(), 5.27393749172918, 1e-12);
        close(s.q1.unwrap(), 1.075, 1e-12);
        close(s.median.unwrap(), 4.3, 1e-12);
        close(s.q3.unwrap(), 7.5625, 1e-12);
        let mut sorted = w[..6].to_vec();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        close(quantile(&sorted, 0.1).unwrap(), -1.05, 1e-12);
        close(quantile(&sorted, 0.9).unwrap(), 10.125, 1e-12);
        close(mean(&w).unwrap(), 4.45833333333333, 1e-12);
        close(sd(&w).unwrap(), 5.27393749172918, 1e-12);
    }

    #[test]
    fn dates() {
        // R: d <- 19000 + c(0.5,30.25,61,90.75,122); mean(d); sd(d)  -> 19060.9, 47.989126372544
        let d: Vec<f64> = [0.5, 30.25, 61.0, 90.75, 122.0]
            .iter()
            .map(|v| 19000.0 + v)
            .collect();
        close(mean(&d).unwrap(), 19060.9, 1e-12);
        close(sd(&d).unwrap(), 47.989126372544, 1e-12);
    }

    #[test]
    fn degenerate() {
        let s = summarize(&[]);
        assert_eq!((s.n, s.mean, s.sd, s.median), (0, None, None, None));
        let s = summarize(&[f64::NAN, 3.0]);
        assert_eq!(
            (s.n, s.mean, s.sd, s.median, s.q1),
            (1, Some(3.0), None, Some(3.0), Some(3.0))
        );
        assert_eq!(sd(&[1.0, 1.0, 1.0]), Some(0.0));
        assert_eq!(quantile(&[1.0, 2.0], 1.5), None);
        assert_eq!(quantile(&[1.0, 2.0], f64::NAN), None);
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), Some(2.0)); // unsorted input tolerated
        close(mean(&[1e308, 1e308]).unwrap(), 1e308, 1e-15);
        close(sd(&[1e300, -1e300]).unwrap(), 2f64.sqrt() * 1e300, 1e-14);
        close(sd(&[1e-320, 3e-320]).unwrap(), 2f64.sqrt() * 1e-320, 1e-2);
        assert_eq!(mean(&[f64::MAX, -f64::MAX]), Some(0.0));
        assert_eq!(sd(&[f64::MAX, -f64::MAX]), None); // overflows
    }

    proptest! {
        #[test]
        fn no_panic(x in prop::collection::vec(any::<f64>(), 0..30), p in any::<f64>()) {
            let s = summarize(&x);
            for v in [s.mean, s.sd, s.median, s.q1, s.q3].into_iter().flatten() {
                prop_assert!(v.is_finite());
            }
            if let Some(q) = quantile(&x, p) { prop_assert!(q.is_finite()); }
            if let (Some(a), Some(b)) = (s.q1, s.q3) { prop_assert!(a <= b); }
        }
    }
}
