//! Average ranks (R's `rank(x, ties.method = "average")`) and tie counts, with one tie rule for
//! every rank test of the crate.
//!
//! **Tie tolerance.** Two values are tied when they differ by at most 1e-9 ([`TIE_TOLERANCE`]) times
//! the largest magnitude among the values ranked together (the sample's scale). Per-patient slopes
//! from integer scores are often equal in exact arithmetic (the same score pattern at the same
//! intervals) but come out of floating-point least squares a few units in the last place apart,
//! or not, depending on the dates; R's `rank` (exact equality) then sees a tie or not by chance,
//! which changes W, V, S, the exact-or-normal method and the p-value. Quantities made from such
//! slopes inherit the noise on the scale of the slopes, not of themselves: a change pre − post
//! that is 0 in exact arithmetic comes out as ±1e-16, a % improvement as ±1e-14. A tolerance
//! relative to the sample's scale ties all of these, and no two values that differ in a digit a
//! person could have entered (the data's values differ by far more than 1e-9 of their largest).
//! The signed-rank test also counts a paired difference as zero when it is within the tolerance
//! of the pairs' scale (`wilcoxon`). Where no two values are that close, the ranks are R's exactly.
//!
//! A tie group is the run of sorted values within the tolerance of the run's smallest value (a
//! chain of values each within the tolerance of the next is one group only if all are within it
//! of the first). Integer data (CAFS scores, `survival::cafs`) use exact equality through
//! [`average_ranks_by`], the same implementation.

use std::cmp::Ordering;

/// Values closer than this times the sample's largest magnitude are tied in the rank tests (see
/// the module docs).
pub const TIE_TOLERANCE: f64 = 1e-9;

/// The absolute tie tolerance of a sample: [`TIE_TOLERANCE`] × its largest finite magnitude.
pub fn tolerance(values: impl IntoIterator<Item = f64>) -> f64 {
    let scale = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    TIE_TOLERANCE * scale
}

/// Ranks 1..=n of `x` (finite values expected), values tied within [`tolerance`]`(x)` get their
/// average rank. Also returns the sizes of the tie groups, in increasing order of value (groups of
/// size 1 included).
pub(crate) fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    average_ranks_within(x, tolerance(x.iter().copied()))
}

/// [`average_ranks`] with the absolute tolerance `tol` (values within `tol` of a tie group's
/// smallest value belong to it).
pub(crate) fn average_ranks_within(x: &[f64], tol: f64) -> (Vec<f64>, Vec<usize>) {
    // -0 and +0 are next to each other in this order and tied.
    average_ranks_by(x, |a, b| a.total_cmp(b), |a, b| *b - *a <= tol || a == b)
}

/// Average ranks of `x` in the order `cmp`, where `same(first, v)` says whether `v` belongs to the
/// tie group that starts at the value `first` (runs of the sorted values); and the sizes of the
/// tie groups. The one implementation of ranks in the crate: [`average_ranks`] (with the tie
/// tolerance) and the CAFS scores (integers, exact ties) call it.
pub(crate) fn average_ranks_by<T>(
    x: &[T],
    cmp: impl Fn(&T, &T) -> Ordering,
    same: impl Fn(&T, &T) -> bool,
) -> (Vec<f64>, Vec<usize>) {
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    crate::sort::sort_by(&mut idx, |&a, &b| cmp(&x[a], &x[b]));
    let mut ranks = vec![0.0; n];
    let mut groups = Vec::new();
    let mut i = 0;
    while i < n {
        let first = &x[idx[i]];
        let mut j = i + 1;
        while j < n && same(first, &x[idx[j]]) {
            j += 1;
        }
        // positions i..j (0-based) share ranks i+1..=j, average (i+1+j)/2
        let r = (i + 1 + j) as f64 / 2.0;
        for &k in &idx[i..j] {
            ranks[k] = r;
        }
        groups.push(j - i);
        i = j;
    }
    (ranks, groups)
}

/// Σ (t³ − t) over tie groups, as R's `sum(NTIES^3 - NTIES)`.
pub(crate) fn tie_sum(groups: &[usize]) -> f64 {
    groups
        .iter()
        .map(|&t| {
            let t = t as f64;
            t * t * t - t
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_with_ties() {
        // R: rank(c(3, 1, 3, 2, 3)) -> 4 1 4 2 4
        let (r, g) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(tie_sum(&g), 24.0);
    }

    #[test]
    fn noise_is_a_tie_and_a_digit_is_not() {
        // 0.1 + 0.2 and 0.3 differ in the last place: one tie group, as R's rank of c(0.3, 0.3, 1)
        // (1.5 1.5 3).
        let (r, g) = average_ranks(&[0.1 + 0.2, 0.3, 1.0]);
        assert_ne!(0.1 + 0.2, 0.3);
        assert_eq!(r, vec![1.5, 1.5, 3.0]);
        assert_eq!(g, vec![2, 1]);
        // A difference of 1e-8 of the scale is data: R's rank(c(1, 1 + 1e-8)) -> 1 2.
        let (r, _) = average_ranks(&[1.0, 1.0 + 1e-8]);
        assert_eq!(r, vec![1.0, 2.0]);
        // Noise around zero on the scale of the sample (a change pre − post that is 0 in exact
        // arithmetic): tied with 0, as R's rank(c(0, 0, 0.7, -1.2)) -> 2.5 2.5 4 1.
        let (r, _) = average_ranks(&[1.1e-16, -0.0, 0.7, -1.2]);
        assert_eq!(r, vec![2.5, 2.5, 4.0, 1.0]);
        // -0 and +0 tie even in a sample of zeros (tolerance 0).
        let (r, _) = average_ranks(&[0.0, -0.0]);
        assert_eq!(r, vec![1.5, 1.5]);
        // Values a few ulps apart tie at any magnitude; 1e-8 apart do not.
        for x in [1e-300f64, 1e-5, 3.7, 1e12, -42.0] {
            let y = f64::from_bits(x.to_bits() + 3);
            assert_eq!(average_ranks(&[x, y]).1, vec![2], "{x} {y}");
            assert_eq!(average_ranks(&[x, x * (1.0 + 1e-8)]).1, vec![1, 1], "{x}");
        }
        assert_eq!(tolerance([1.0, -3.0, f64::NAN]), TIE_TOLERANCE * 3.0);
    }

    #[test]
    fn a_group_is_tied_to_its_first_value() {
        // 1, 1 + 0.6e-9, 1 + 1.2e-9: the third is within the tolerance of the second, not of the
        // first: two groups.
        let (r, g) = average_ranks(&[1.0, 1.0 + 0.6e-9, 1.0 + 1.2e-9]);
        assert_eq!(g, vec![2, 1]);
        assert_eq!(r, vec![1.5, 1.5, 3.0]);
    }

    #[test]
    fn exact_ranks_by_any_order() {
        // R: rank(c(2, -1, 2, 0, -1)) -> 4.5 1.5 4.5 3.0 1.5
        let (r, g) = average_ranks_by(&[2i64, -1, 2, 0, -1], |a, b| a.cmp(b), |a, b| a == b);
        assert_eq!(r, vec![4.5, 1.5, 4.5, 3.0, 1.5]);
        assert_eq!(g, vec![2, 1, 2]);
    }
}
