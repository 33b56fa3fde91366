//! The crate's sorts, each compiled once in the page's wasm.
//!
//! The standard library's sorts are generic: every element type and comparison gets its own copy
//! of the algorithm, kilobytes of wasm each, and the crate's dozen sorts made dozens of them (the
//! figures: docs/performance.md). In wasm, `sort_by` therefore runs one copy of the stable sort,
//! over indices, with the comparison behind a `dyn`, and then moves the elements into place. Its
//! indirect comparisons make it slower: a hot sort of many elements keeps the standard
//! one behind a function of its own (`charts::group_mean`'s bins), and the model fits (in the
//! page's on-demand module) use the standard sorts. Natively, where size does not matter, these
//! are the standard sorts. Floats have their own sort and selection by `total_cmp` (the
//! statistics' hot paths): one copy each.

use std::cmp::Ordering;

/// Stable sort by a comparison (as `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    indirect_sort_by(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// `sort_by` through [`sorted_order`], the one instance of the algorithm (used in wasm; tested on
/// every target).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn indirect_sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Stable sort by a key (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sort (as `slice::sort`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Floats in `total_cmp` order (-NaN < -inf < … < -0 < +0 < … < inf < NaN).
pub fn sort_f64(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

/// As `select_nth_unstable_by(k, f64::total_cmp)`: `v[k]` is what `v` sorted has at `k`, with no
/// larger value before it and no smaller one after. Returns (before, at k, after).
pub fn select_f64(v: &mut [f64], k: usize) -> (&mut [f64], &mut f64, &mut [f64]) {
    v.select_nth_unstable_by(k, f64::total_cmp)
}

/// The indices 0..n in the stable order of `cmp`: the one instance of the sort algorithm.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn sorted_order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Puts `v[order[i]]` at `i`, for every `i` (`order` a permutation of the indices), by following
/// each cycle of the permutation with swaps.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..v.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            // `v[at]` holds the cycle's first element until its place comes; `v[from]` is
            // still the original.
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The standard library's `sort_by` is the reference for ours.
        #[allow(clippy::unnecessary_sort_by)]
        #[test]
        fn sorts_are_std_stable_sorts(v in prop::collection::vec((0u8..6, any::<u16>()), 0..300)) {
            // Keys with many ties: the payload shows that equal keys keep their order.
            let mut ours = v.clone();
            indirect_sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by(|a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&ours, &std);
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut std = v.clone();
            std.sort_by(|a, b| b.0.cmp(&a.0));
            prop_assert_eq!(&ours, &std);
            let mut by_key = v.clone();
            sort_by_key(&mut by_key, |p| std::cmp::Reverse(p.0));
            let mut std = v.clone();
            std.sort_by_key(|p| std::cmp::Reverse(p.0));
            prop_assert_eq!(by_key, std);
            let mut all = v.clone();
            sort(&mut all);
            let mut std = v;
            std.sort();
            prop_assert_eq!(all, std);
        }

        #[test]
        fn select_f64_is_the_sorted_value(v in prop::collection::vec(-20i32..20, 1..200), k in 0usize..200) {
            let mut v: Vec<f64> = v.into_iter().map(|x| x as f64 / 2.0).collect();
            let k = k % v.len();
            let mut sorted = v.clone();
            sort_f64(&mut sorted);
            let (before, at, after) = select_f64(&mut v, k);
            let at = *at;
            prop_assert_eq!(at, sorted[k]);
            prop_assert!(before.iter().all(|x| *x <= at) && after.iter().all(|x| *x >= at));
        }
    }

    #[test]
    fn sorts_strings_and_floats() {
        let mut ids = vec!["P10", "P2", "P1", "P2"];
        sort(&mut ids);
        assert_eq!(ids, ["P1", "P10", "P2", "P2"]);
        let mut x = [3.0, f64::NAN, -0.0, 0.0, f64::NEG_INFINITY, 1.5];
        sort_f64(&mut x);
        assert_eq!(format!("{x:?}"), "[-inf, -0.0, 0.0, 1.5, 3.0, NaN]");
    }
}
