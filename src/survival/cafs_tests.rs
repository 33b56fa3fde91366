//! Tests of `cafs`: hand-worked cases of each rule and edge case, and the sweep against a direct
//! n² implementation of the pairwise rule on random cohorts.

use super::*;
use proptest::prelude::*;

fn pat(group: usize, died: bool, time: f64, visits: &[(f64, f64)]) -> CafsPatient {
    CafsPatient {
        group,
        died,
        time,
        visits: visits
            .iter()
            .map(|&(t, change)| Visit { t, change })
            .collect(),
    }
}

/// Function at c: the change of the last visit with t ≤ c, else 0 (the reference rule).
fn value_at(p: &CafsPatient, c: f64) -> f64 {
    p.visits
        .iter()
        .filter(|v| v.t <= c)
        .max_by(|a, b| a.t.total_cmp(&b.t))
        .map_or(0.0, |v| v.change)
}

fn sign(a: f64, b: f64) -> i64 {
    if a > b {
        1
    } else if a < b {
        -1
    } else {
        0
    }
}

/// The pairwise rule as the module docs state it: +1 if i is better than j.
fn compare(i: &CafsPatient, j: &CafsPatient) -> i64 {
    match (i.died, j.died) {
        (true, true) => sign(i.time, j.time),
        (false, true) if i.time >= j.time => 1,
        (true, false) if j.time >= i.time => -1,
        _ => {
            let c = i.time.min(j.time);
            sign(value_at(i, c), value_at(j, c))
        }
    }
}

/// The direct n² reference.
fn naive(p: &[CafsPatient]) -> Vec<i64> {
    (0..p.len())
        .map(|i| {
            (0..p.len())
                .filter(|&j| j != i)
                .map(|j| compare(&p[i], &p[j]))
                .sum()
        })
        .collect()
}

fn check(p: &[CafsPatient], expected: &[i64]) {
    assert_eq!(naive(p), expected, "the reference rule");
    assert_eq!(cafs_scores(p).unwrap(), expected, "the sweep");
}

#[test]
fn both_died_later_death_is_better_same_time_ties() {
    // A died at 5, B at 3, C at 5: A>B, A=C, C>B (function never consulted)
    let p = [
        pat(0, true, 5.0, &[(1.0, -9.0)]),
        pat(1, true, 3.0, &[(1.0, 0.0)]),
        pat(0, true, 5.0, &[]),
    ];
    check(&p, &[1, -2, 1]);
}

#[test]
fn survivor_followed_exactly_as_long_as_the_other_lived_is_better() {
    // A alive, last follow-up 4; B died at 4 with better function: survival decides
    let p = [
        pat(0, false, 4.0, &[(4.0, -20.0)]),
        pat(1, true, 4.0, &[(2.0, 0.0)]),
    ];
    check(&p, &[1, -1]);
}

#[test]
fn survivor_followed_less_than_the_other_lived_compares_function_at_its_follow_up() {
    // A alive to 3 (change −5 at 3); B died at 4 (change −2 at 2, −8 at 4):
    // at 3, B's last value is −2 > −5: B is better although it died
    let p = [
        pat(0, false, 3.0, &[(0.0, 0.0), (3.0, -5.0)]),
        pat(1, true, 4.0, &[(0.0, 0.0), (2.0, -2.0), (4.0, -8.0)]),
    ];
    check(&p, &[-1, 1]);
}

#[test]
fn neither_died_compares_at_the_earlier_follow_up() {
    // A to 6 (−1 at 3, −10 at 6), B to 4 (−3 at 2, −2 at 4): at 4, A −1 > B −2
    let p = [
        pat(0, false, 6.0, &[(3.0, -1.0), (6.0, -10.0)]),
        pat(1, false, 4.0, &[(2.0, -3.0), (4.0, -2.0)]),
    ];
    check(&p, &[1, -1]);
}

#[test]
fn a_visit_at_the_comparison_time_counts() {
    // both alive; c = 2 = A's follow-up; B's visit at exactly 2 is used (−3 < −1)
    let p = [
        pat(0, false, 2.0, &[(2.0, -1.0)]),
        pat(1, false, 5.0, &[(2.0, -3.0), (5.0, 0.0)]),
    ];
    check(&p, &[1, -1]);
}

#[test]
fn no_visit_on_or_before_the_comparison_time_means_change_zero() {
    // A alive to 1 without visits (0); B's first visit is at 2: at 1 both are 0, a tie.
    // C alive to 1.5 with a visit at −1 (before the origin, −1): worse than both at 1 and 1.5
    let p = [
        pat(0, false, 1.0, &[]),
        pat(1, false, 5.0, &[(2.0, -4.0)]),
        pat(1, false, 1.5, &[(-1.0, -1.0)]),
    ];
    check(&p, &[1, 1, -2]);
}

#[test]
fn equal_changes_tie_and_negative_zero_is_zero() {
    let p = [
        pat(0, false, 3.0, &[(3.0, -2.0)]),
        pat(1, false, 3.0, &[(1.0, -2.0)]),
        pat(0, false, 3.0, &[(1.0, -0.0)]),
        pat(1, false, 3.0, &[]),
    ];
    check(&p, &[-2, -2, 2, 2]);
}

#[test]
fn mixed_cohort_by_hand() {
    // A: died 2; B: died 6; C: alive to 4 (−1 at 4); D: alive to 8 (−6 at 4, −7 at 8)
    // A–B: B (later death). A–C: C (4 ≥ 2). A–D: D (8 ≥ 2).
    // B–C: C followed 4 < 6: function at 4: B's last ≤ 4 is −3 (at 3), C −1: C.
    // B–D: D (8 ≥ 6). C–D: at 4, C −1 > D −6: C.
    // A −3; B +1 −1 −1 = −1; C +1 +1 +1 = 3; D +1 +1 −1 = 1
    let p = [
        pat(0, true, 2.0, &[(1.0, -1.0)]),
        pat(0, true, 6.0, &[(3.0, -3.0), (5.0, -9.0)]),
        pat(1, false, 4.0, &[(4.0, -1.0)]),
        pat(1, false, 8.0, &[(4.0, -6.0), (8.0, -7.0)]),
    ];
    check(&p, &[-3, -1, 3, 1]);
    let r = cafs(&p).unwrap();
    assert_eq!((r.n, r.n_a, r.n_b), (4, 2, 2));
    assert_eq!((r.mean_score_a, r.mean_score_b), (-2.0, 2.0));
    let ranks: Vec<f64> = r.patients.iter().map(|s| s.rank).collect();
    assert_eq!(ranks, vec![1.0, 2.0, 4.0, 3.0]);
    // R: wilcox.test(c(-3, -1), c(3, 1)) -> W = 0, p-value = 0.333333333333333 (exact)
    assert_eq!(r.statistic, Some(0.0));
    assert!((r.p_value.unwrap() - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(r.method.as_deref(), Some("Wilcoxon rank sum exact test"));
}

#[test]
fn ranks_average_ties() {
    // R: rank(c(2, -1, 2, 0, -1)) -> 4.5 1.5 4.5 3.0 1.5
    assert_eq!(
        average_ranks(&[2, -1, 2, 0, -1]),
        vec![4.5, 1.5, 4.5, 3.0, 1.5]
    );
}

#[test]
fn all_tied_scores_keep_the_scores_without_a_test() {
    let p = [pat(0, false, 2.0, &[]), pat(1, false, 2.0, &[])];
    let r = cafs(&p).unwrap();
    assert_eq!(
        r.patients.iter().map(|s| s.score).collect::<Vec<_>>(),
        [0, 0]
    );
    assert_eq!((r.statistic, r.p_value, &r.method), (None, None, &None));
    assert!(r.note.is_some());
}

#[test]
fn invalid_input_is_an_error() {
    let ok = pat(0, false, 2.0, &[(1.0, -1.0)]);
    let cases = [
        (
            pat(1, false, f64::NAN, &[]),
            SurvError::InvalidPatientTime { patient: 1 },
        ),
        (
            pat(1, true, -1.0, &[]),
            SurvError::InvalidPatientTime { patient: 1 },
        ),
        (
            pat(1, false, 2.0, &[(0.0, 0.0), (1.0, f64::INFINITY)]),
            SurvError::InvalidVisit {
                patient: 1,
                visit: 1,
            },
        ),
        (
            pat(1, true, 2.0, &[(0.0, 0.0), (2.5, -1.0)]),
            SurvError::VisitAfterEnd {
                patient: 1,
                visit: 1,
            },
        ),
        (
            pat(1, false, 2.0, &[(1.0, 0.0), (0.0, 0.0), (1.0, -1.0)]),
            SurvError::DuplicateVisit {
                patient: 1,
                visit: 2,
            },
        ),
    ];
    for (bad, err) in cases {
        assert_eq!(cafs(&[ok.clone(), bad]), Err(err));
    }
    assert_eq!(
        cafs(&[ok.clone(), pat(2, false, 1.0, &[])]),
        Err(SurvError::InvalidGroup {
            patient: 1,
            group: 2
        })
    );
    assert_eq!(
        cafs(std::slice::from_ref(&ok)),
        Err(SurvError::EmptyGroup { group: 1 })
    );
    assert_eq!(cafs_scores(&[]), Ok(vec![]));
}

/// Random cohorts on a coarse grid, so that death times, follow-ups, visit times and changes tie.
fn grid_cohort() -> impl Strategy<Value = Vec<CafsPatient>> {
    let patient = (
        0..2usize,
        any::<bool>(),
        0u8..=8,
        prop::collection::vec((any::<bool>(), -3i8..=1), 10),
    );
    prop::collection::vec(patient, 0..40).prop_map(|ps| {
        ps.into_iter()
            .map(|(group, died, ti, vis)| {
                let time = f64::from(ti) / 2.0;
                let visits = vis
                    .iter()
                    .enumerate()
                    .map(|(k, &(on, c))| (on, k as f64 / 2.0 - 0.5, f64::from(c)))
                    .filter(|&(on, t, _)| on && t <= time)
                    .map(|(_, t, change)| Visit { t, change })
                    .collect();
                CafsPatient {
                    group,
                    died,
                    time,
                    visits,
                }
            })
            .collect()
    })
}

/// Random cohorts with continuous times (few ties) and irregular visits.
fn continuous_cohort() -> impl Strategy<Value = Vec<CafsPatient>> {
    let patient = (
        0..2usize,
        any::<bool>(),
        0.0f64..12.0,
        prop::collection::vec((0.0f64..1.0, -10i8..=2), 0..6),
    );
    prop::collection::vec(patient, 0..60).prop_map(|ps| {
        ps.into_iter()
            .map(|(group, died, time, vis)| {
                let mut visits: Vec<Visit> = vis
                    .into_iter()
                    .map(|(f, c)| Visit {
                        t: f * time,
                        change: f64::from(c) / 2.0,
                    })
                    .collect();
                visits.sort_by(|a, b| a.t.total_cmp(&b.t));
                visits.dedup_by(|a, b| a.t == b.t);
                CafsPatient {
                    group,
                    died,
                    time,
                    visits,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn sweep_equals_pairs_on_grid_cohorts(p in grid_cohort()) {
        let s = cafs_scores(&p).unwrap();
        prop_assert_eq!(&s, &naive(&p));
        prop_assert_eq!(s.iter().sum::<i64>(), 0);
    }

    #[test]
    fn sweep_equals_pairs_on_continuous_cohorts(p in continuous_cohort()) {
        prop_assert_eq!(cafs_scores(&p).unwrap(), naive(&p));
    }

    #[test]
    fn arbitrary_input_never_panics(
        ps in prop::collection::vec(
            (
                0..3usize,
                any::<bool>(),
                prop_oneof![prop::num::f64::ANY, 0.0f64..4.0],
                prop::collection::vec(
                    (prop_oneof![prop::num::f64::ANY, -1.0f64..4.0], prop::num::f64::ANY),
                    0..4,
                ),
            ),
            0..12,
        )
    ) {
        let p: Vec<CafsPatient> = ps
            .iter()
            .map(|(g, d, t, v)| {
                let v: Vec<(f64, f64)> = v.clone();
                pat(*g, *d, *t, &v)
            })
            .collect();
        let _ = cafs(&p);
        let _ = cafs_scores(&p);
    }

    #[test]
    fn scores_do_not_depend_on_the_order_of_patients_or_visits(p in grid_cohort()) {
        let s = cafs_scores(&p).unwrap();
        let mut q: Vec<CafsPatient> = p.iter().rev().cloned().collect();
        q.iter_mut().for_each(|x| x.visits.reverse());
        let mut t = cafs_scores(&q).unwrap();
        t.reverse();
        prop_assert_eq!(s, t);
    }
}
