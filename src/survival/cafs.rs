//! Combined Assessment of Function and Survival (CAFS; Berry et al. 2013, Amyotroph Lateral
//! Scler Frontotemporal Degener 14:162–8): every patient is compared with every other, on
//! survival first and function second; a patient's score is Σ (+1 better, −1 worse, 0 tie) over
//! all the others, and the two groups' scores are compared by the Wilcoxon rank sum test
//! (R: `wilcox.test(score[group == 0], score[group == 1])`, [`crate::stats::mann_whitney()`]).
//!
//! # The pairwise rule
//! Each patient has `time` (months from the origin): the time of death if `died`, else the last
//! follow-up; and visits (t, change of ALSFRS-R from baseline). For patients i and j:
//! * **both died**: the one who died later is better; deaths at the same time tie;
//! * **one died** (at t_d), the other alive with follow-up T: if T ≥ t_d (followed at least as
//!   long as the other lived, *including T = t_d*) the survivor is better; else function decides,
//!   at time T;
//! * **neither died**: function decides, at c = min(T_i, T_j), the latest time both were
//!   observed.
//!
//! "Function at c" is the change of the patient's last visit with t ≤ c; a patient with no visit
//! on or before c has change 0 (the baseline, by definition of a change from baseline; so does a
//! patient without visits). The larger change (less decline) is better; equal changes tie
//! (exact comparison, as R's `>`/`==`). Times are compared exactly too (no `timefix`). The rule
//! is antisymmetric, so the scores sum to 0. (Issue #22 states that on a common visit schedule
//! this is the pairwise rule of the `cafs` R package; that package is not available here, so the
//! tests check the rule as stated, by hand-worked cases, a direct n² implementation in Rust and
//! one in R, `tests/r/survival_reference.R`.)
//!
//! Invalid input is an error, never a panic: a time that is not finite or negative, a visit
//! whose time or change is not finite, a visit after the patient's time (a visit after death,
//! or after the last follow-up, which should be at least the last visit), two visits at one time.
//!
//! # Computation: O((n + V) log n), not n² pairs
//! The survival part is counted from the sorted death and follow-up times. The function part is a
//! sweep over time: every comparison "function at c" has c = T_i for an alive patient i (the
//! earlier end of the pair), against every patient still observed after c (alive with T > c, or
//! died after c), and among alive patients with the same T. The sweep keeps the current changes
//! of the patients still observed in a Fenwick tree (counting, for patient i, those below and
//! above its change); for their own side, each kept patient counts the queries made while it
//! held a value, from the difference of a second Fenwick tree of the queries' changes between
//! when the value started and when it ended. V is the number of visits.

use super::SurvError;
use crate::stats::mann_whitney;
use serde::{Deserialize, Serialize};

/// A visit: time (months from the origin) and the change of ALSFRS-R from baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub t: f64,
    pub change: f64,
}

/// One patient of a CAFS comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CafsPatient {
    /// 0 (group A) or 1 (group B).
    pub group: usize,
    /// The endpoint (death) was reached at `time`.
    pub died: bool,
    /// Time of death, or of the last follow-up (months from the origin).
    pub time: f64,
    /// Visits in any order, none after `time`.
    pub visits: Vec<Visit>,
}

/// A patient's CAFS score and its rank among all patients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CafsPatientScore {
    /// Position in the input.
    pub index: usize,
    pub group: usize,
    /// Σ over the other patients of +1 (better), −1 (worse), 0 (tie).
    pub score: i64,
    /// Rank of the score among all patients, 1 = the lowest (worst), ties averaged (R: `rank`).
    pub rank: f64,
}

/// CAFS between groups 0 (A) and 1 (B).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CafsResult {
    pub n: usize,
    pub n_a: usize,
    pub n_b: usize,
    pub mean_score_a: f64,
    pub mean_score_b: f64,
    /// R: `wilcox.test(score_a, score_b)`: W, two-sided p and R's method string; `None` (with
    /// `note`) when the test cannot be computed (all scores equal).
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub method: Option<String>,
    pub note: Option<String>,
    pub patients: Vec<CafsPatientScore>,
}

/// Every patient's CAFS score against all the others (any number of groups).
pub fn cafs_scores(patients: &[CafsPatient]) -> Result<Vec<i64>, SurvError> {
    let clean = checked(patients)?;
    Ok(scores(&clean))
}

/// CAFS scores, ranks, the groups' mean scores and the Wilcoxon rank sum test of the scores of
/// group 0 vs group 1. Each group needs a patient.
pub fn cafs(patients: &[CafsPatient]) -> Result<CafsResult, SurvError> {
    if let Some((i, p)) = patients.iter().enumerate().find(|(_, p)| p.group > 1) {
        return Err(SurvError::InvalidGroup {
            patient: i,
            group: p.group,
        });
    }
    for g in 0..2 {
        if !patients.iter().any(|p| p.group == g) {
            return Err(SurvError::EmptyGroup { group: g });
        }
    }
    let score = cafs_scores(patients)?;
    let rank = average_ranks(&score);
    let pick = |g: usize| -> Vec<f64> {
        patients
            .iter()
            .zip(&score)
            .filter(|(p, _)| p.group == g)
            .map(|(_, &s)| s as f64)
            .collect()
    };
    let (a, b) = (pick(0), pick(1));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (statistic, p_value, method, note) = match mann_whitney(&a, &b) {
        Ok(t) => (Some(t.statistic), Some(t.p_value), Some(t.method), t.note),
        Err(e) => (None, None, None, Some(e.to_string())),
    };
    Ok(CafsResult {
        n: patients.len(),
        n_a: a.len(),
        n_b: b.len(),
        mean_score_a: mean(&a),
        mean_score_b: mean(&b),
        statistic,
        p_value,
        method,
        note,
        patients: patients
            .iter()
            .enumerate()
            .map(|(i, p)| CafsPatientScore {
                index: i,
                group: p.group,
                score: score[i],
                rank: rank[i],
            })
            .collect(),
    })
}

/// A checked patient: times with −0 made +0, visits sorted by time.
struct Clean {
    died: bool,
    time: f64,
    visits: Vec<Visit>,
}

fn checked(patients: &[CafsPatient]) -> Result<Vec<Clean>, SurvError> {
    patients
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if !(p.time.is_finite() && p.time >= 0.0) {
                return Err(SurvError::InvalidPatientTime { patient: i });
            }
            let mut order: Vec<(usize, Visit)> = Vec::with_capacity(p.visits.len());
            for (k, v) in p.visits.iter().enumerate() {
                if !(v.t.is_finite() && v.change.is_finite()) {
                    return Err(SurvError::InvalidVisit {
                        patient: i,
                        visit: k,
                    });
                }
                if v.t > p.time {
                    return Err(SurvError::VisitAfterEnd {
                        patient: i,
                        visit: k,
                    });
                }
                // + 0.0 turns −0 into +0, so that total_cmp agrees with ==
                order.push((
                    k,
                    Visit {
                        t: v.t + 0.0,
                        change: v.change + 0.0,
                    },
                ));
            }
            crate::sort::sort_by(&mut order, |a, b| a.1.t.total_cmp(&b.1.t));
            if let Some(w) = order.windows(2).find(|w| w[0].1.t == w[1].1.t) {
                let k = w[0].0.max(w[1].0);
                return Err(SurvError::DuplicateVisit {
                    patient: i,
                    visit: k,
                });
            }
            Ok(Clean {
                died: p.died,
                time: p.time + 0.0,
                visits: order.into_iter().map(|(_, v)| v).collect(),
            })
        })
        .collect()
}

/// Fenwick tree of counts over value ranks 0..len.
struct Fenwick {
    tree: Vec<i64>,
    total: i64,
}

impl Fenwick {
    fn new(len: usize) -> Self {
        Fenwick {
            tree: vec![0; len + 1],
            total: 0,
        }
    }
    fn add(&mut self, rank: usize, delta: i64) {
        self.total += delta;
        let mut i = rank + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & i.wrapping_neg();
        }
    }
    /// Count of ranks < `rank`.
    fn below(&self, rank: usize) -> i64 {
        let (mut i, mut s) = (rank, 0);
        while i > 0 {
            s += self.tree[i];
            i &= i - 1;
        }
        s
    }
    /// (count below `rank`, count above `rank`).
    fn below_above(&self, rank: usize) -> (i64, i64) {
        let below = self.below(rank);
        (below, self.total - self.below(rank + 1))
    }
}

#[derive(Clone, Copy)]
enum Step {
    /// A visit of `patient` changes its value to rank `value`.
    Visit { patient: u32, value: u32 },
    /// `patient`'s time: it is no longer observed after it.
    Leave { patient: u32 },
    /// Alive `patient` compares its function at its time with those still observed.
    Query { patient: u32 },
}

impl Step {
    fn order(&self) -> u8 {
        match self {
            Step::Visit { .. } => 0,
            Step::Leave { .. } => 1,
            Step::Query { .. } => 2,
        }
    }
}

fn scores(p: &[Clean]) -> Vec<i64> {
    let n = p.len();
    let mut score = vec![0i64; n];

    // --- survival: both died, or one died no later than the other's follow-up ---
    let mut dead: Vec<f64> = p.iter().filter(|q| q.died).map(|q| q.time).collect();
    let mut alive: Vec<f64> = p.iter().filter(|q| !q.died).map(|q| q.time).collect();
    crate::sort::sort_f64(&mut dead);
    crate::sort::sort_f64(&mut alive);
    let count_lt = |v: &[f64], t: f64| v.partition_point(|&x| x < t) as i64;
    let count_le = |v: &[f64], t: f64| v.partition_point(|&x| x <= t) as i64;
    for (q, s) in p.iter().zip(score.iter_mut()) {
        if q.died {
            let lived_less = count_lt(&dead, q.time);
            let lived_longer = dead.len() as i64 - count_le(&dead, q.time);
            let outlived_by = alive.len() as i64 - count_lt(&alive, q.time);
            *s += lived_less - lived_longer - outlived_by;
        } else {
            *s += count_le(&dead, q.time);
        }
    }

    // --- function: a sweep over time ---
    let mut values: Vec<f64> = p
        .iter()
        .flat_map(|q| q.visits.iter().map(|v| v.change))
        .chain([0.0])
        .collect();
    crate::sort::sort_f64(&mut values);
    values.dedup();
    let rank_of = |x: f64| values.partition_point(|v| v.total_cmp(&x).is_lt()) as u32;
    let zero = rank_of(0.0);

    let visits: usize = p.iter().map(|q| q.visits.len()).sum();
    let mut steps: Vec<(f64, Step)> = Vec::with_capacity(visits + 2 * n);
    for (i, q) in p.iter().enumerate() {
        let patient = i as u32;
        for v in &q.visits {
            steps.push((
                v.t,
                Step::Visit {
                    patient,
                    value: rank_of(v.change),
                },
            ));
        }
        steps.push((q.time, Step::Leave { patient }));
        if !q.died {
            steps.push((q.time, Step::Query { patient }));
        }
    }
    crate::sort::sort_by(&mut steps, |a, b| {
        a.0.total_cmp(&b.0).then(a.1.order().cmp(&b.1.order()))
    });

    let m = values.len();
    let mut observed = Fenwick::new(m); // current values of the patients still observed
    let mut queries = Fenwick::new(m); // values of the queries made so far
    let mut cur = vec![zero; n];
    // queries below / above the patient's current value when that value started
    let mut snap = vec![(0i64, 0i64); n];
    observed.add(zero as usize, n as i64);
    let close = |i: usize, cur: &[u32], snap: &[(i64, i64)], q: &Fenwick| -> i64 {
        let (below, above) = q.below_above(cur[i] as usize);
        (below - snap[i].0) - (above - snap[i].1)
    };
    let mut batch: Vec<u32> = Vec::new();
    let mut k = 0;
    while k < steps.len() {
        let t = steps[k].0;
        batch.clear();
        while k < steps.len() && steps[k].0 == t {
            match steps[k].1 {
                Step::Visit { patient, value } => {
                    let i = patient as usize;
                    score[i] += close(i, &cur, &snap, &queries);
                    observed.add(cur[i] as usize, -1);
                    cur[i] = value;
                    observed.add(value as usize, 1);
                    snap[i] = queries.below_above(value as usize);
                }
                Step::Leave { patient } => {
                    let i = patient as usize;
                    score[i] += close(i, &cur, &snap, &queries);
                    observed.add(cur[i] as usize, -1);
                }
                Step::Query { patient } => {
                    let i = patient as usize;
                    let (below, above) = observed.below_above(cur[i] as usize);
                    score[i] += below - above;
                    batch.push(patient);
                }
            }
            k += 1;
        }
        if !batch.is_empty() {
            // alive patients with the same follow-up compare with each other at it
            let mut vals: Vec<u32> = batch.iter().map(|&i| cur[i as usize]).collect();
            vals.sort_unstable();
            for &i in &batch {
                let v = cur[i as usize];
                let below = vals.partition_point(|&x| x < v) as i64;
                let above = (vals.len() - vals.partition_point(|&x| x <= v)) as i64;
                score[i as usize] += below - above;
                queries.add(v as usize, 1);
            }
        }
    }
    score
}

/// Average ranks (R: `rank(score)`, 1 = the smallest; ties share their average rank), by the
/// crate's one rank implementation (`stats::ranks`) with exact ties: the scores are integers.
fn average_ranks(x: &[i64]) -> Vec<f64> {
    crate::stats::ranks::average_ranks_by(x, |a, b| a.cmp(b), |a, b| a == b).0
}

#[cfg(test)]
#[path = "cafs_tests.rs"]
mod tests;
