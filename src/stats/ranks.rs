//! Average ranks (R's `rank(x, ties.method = "average")`) and tie counts.

/// Ranks 1..=n of `x` (finite values expected), ties get the average rank.
/// Also returns the sizes of the tie groups (groups of size 1 included).
pub(crate) fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let n = x.len();
    // (value, index) sorted by value; the order within a tie does not matter (equal values,
    // -0 and +0 included, are next to each other and share one average rank).
    let mut idx: Vec<(f64, usize)> = x.iter().copied().zip(0..n).collect();
    crate::sort::sort_by(&mut idx, |a, b| a.0.total_cmp(&b.0));
    let mut ranks = vec![0.0; n];
    let mut groups = Vec::new();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && idx[j].0 == idx[i].0 {
            j += 1;
        }
        // positions i..j (0-based) share ranks i+1..=j, average (i+1+j)/2
        let r = (i + 1 + j) as f64 / 2.0;
        for &(_, k) in &idx[i..j] {
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
}
