// `!(a > b)` comparisons are deliberate: they are true for NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
//! Survival endpoints beside the slopes: Kaplan–Meier, log-rank, Cox and CAFS.
//!
//! Pure functions over plain inputs (times in months, an event flag, groups as slices): this
//! module knows nothing of the data model. Each function mirrors one R call of the `survival`
//! package (3.5.3, R 4.2.2) with its default arguments, and the tests compare with the values
//! `tests/r/survival_reference.R` wrote to `tests/data/r/survival-reference.json`.
//!
//! | Rust                         | R                                                          |
//! |------------------------------|------------------------------------------------------------|
//! | [`kaplan_meier_groups`]      | `survfit(Surv(time, status) ~ group)`, `print(fit)`        |
//! | [`kaplan_meier`]             | `survfit(Surv(time, status) ~ 1)`                          |
//! | [`log_rank`]                 | `survdiff(Surv(time, status) ~ group)`                     |
//! | [`cox_efron`]                | `coxph(Surv(time, status) ~ group, ties = "efron")`        |
//! | [`cafs()`], [`cafs_scores`]  | CAFS (Berry et al. 2013) scores, then `wilcox.test(a, b)`  |
//!
//! Common rules:
//! * a time must be finite and ≥ 0, else [`SurvError::InvalidTime`] (never a panic);
//! * groups are indices into the slice of groups; group 0 is the Cox reference level (R's first
//!   factor level, treatment contrasts);
//! * as R (`timefix = TRUE`, `aeqSurv`), times that differ by at most √ε (absolutely, or
//!   relative to the mean of the distinct times of all groups) are one time;
//! * where R gives `NA` (an undefined confidence limit, a median never reached, a coefficient
//!   that cannot be estimated), the value is `None`.

pub mod cafs;
mod cholesky;
pub mod cox;
pub mod km;
pub mod logrank;

pub use cafs::{cafs, cafs_scores, CafsPatient, CafsPatientScore, CafsResult, Visit};
pub use cox::{cox_efron, Cox, CoxTerm};
pub use km::{kaplan_meier, kaplan_meier_groups, KmCurve, KmPoint};
pub use logrank::{log_rank, LogRank};

use serde::{Deserialize, Serialize};
use std::fmt;

/// One patient's survival observation: time from the origin (months) and whether the endpoint
/// was reached then (`event`), else the patient was censored (last known alive) at `time`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Obs {
    pub time: f64,
    pub event: bool,
}

impl Obs {
    pub fn new(time: f64, event: bool) -> Self {
        Obs { time, event }
    }
}

/// Which test a [`SurvivalTest`] row reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// `survdiff` (rho = 0): chi-square on k − 1 df.
    LogRank,
    /// `coxph` (Efron ties): Wald chi-square of the group term(s).
    Cox,
}

/// One row of the `survival_tests` output: a log-rank test or a Cox model of the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalTest {
    pub kind: TestKind,
    /// Log-rank chi-square, or the Cox model's Wald chi-square; `None` when it is not valid (a
    /// coefficient may be infinite, see `note`).
    pub statistic: Option<f64>,
    pub df: usize,
    pub p_value: Option<f64>,
    /// Cox with two groups: the hazard ratio of group 1 vs group 0 and its 95% CI.
    pub hazard_ratio: Option<f64>,
    pub hr_ci_low: Option<f64>,
    pub hr_ci_high: Option<f64>,
    /// Why a value is missing or should be read with care.
    pub note: Option<String>,
}

/// Why a survival statistic cannot be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum SurvError {
    /// `groups[group][index]` has a time that is not finite or negative.
    InvalidTime { group: usize, index: usize },
    /// CAFS patient `patient` has a time that is not finite or negative.
    InvalidPatientTime { patient: usize },
    /// A group has no patients.
    EmptyGroup { group: usize },
    /// A test needs at least two groups.
    TooFewGroups { found: usize },
    /// No events at all: nothing to test.
    NoEvents,
    /// Fewer than two groups have patients at risk at an event time (R: df ≤ 0).
    NoComparison,
    /// The log-rank variance matrix is singular (R's `solve` stops).
    Singular,
    /// CAFS: visit `visit` of patient `patient` has a time or a change that is not finite.
    InvalidVisit { patient: usize, visit: usize },
    /// CAFS: visit `visit` of patient `patient` is after the patient's time (death or last
    /// follow-up).
    VisitAfterEnd { patient: usize, visit: usize },
    /// CAFS: visit `visit` of patient `patient` is at the time of an earlier visit.
    DuplicateVisit { patient: usize, visit: usize },
    /// CAFS: patient `patient` is in a group other than 0 or 1.
    InvalidGroup { patient: usize, group: usize },
}

impl fmt::Display for SurvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurvError::InvalidTime { group, index } => write!(
                f,
                "group {group}, patient {index}: the time is not a finite number ≥ 0"
            ),
            SurvError::InvalidPatientTime { patient } => write!(
                f,
                "patient {patient}: the time is not a finite number ≥ 0"
            ),
            SurvError::EmptyGroup { group } => write!(f, "group {group} has no patients"),
            SurvError::TooFewGroups { found } => {
                write!(f, "a comparison needs at least 2 groups ({found} given)")
            }
            SurvError::NoEvents => f.write_str("no events: nothing to compare"),
            SurvError::NoComparison => {
                f.write_str("fewer than two groups have patients at risk at an event time")
            }
            SurvError::Singular => f.write_str("the log-rank variance matrix is singular"),
            SurvError::InvalidVisit { patient, visit } => write!(
                f,
                "patient {patient}, visit {visit}: time or change is not a finite number"
            ),
            SurvError::VisitAfterEnd { patient, visit } => write!(
                f,
                "patient {patient}, visit {visit}: the visit is after the patient's death or last follow-up"
            ),
            SurvError::DuplicateVisit { patient, visit } => write!(
                f,
                "patient {patient}, visit {visit}: two visits at the same time"
            ),
            SurvError::InvalidGroup { patient, group } => write!(
                f,
                "patient {patient}: group {group} (CAFS compares groups 0 and 1)"
            ),
        }
    }
}

impl std::error::Error for SurvError {}

/// R's `qnorm(0.975)`, the 95% normal quantile (`survfit`'s `conf.int = 0.95`, `coxph`'s CI).
pub(crate) const Z_975: f64 = 1.959_963_984_540_053_6;

/// √ε: R's `sqrt(.Machine$double.eps)`, the tolerance of `aeqSurv` and `survmean`.
pub(crate) const SQRT_EPS: f64 = 1.490_116_119_384_765_6e-8;

/// The groups' times and events, checked, with near-ties merged as R's `aeqSurv` does over the
/// pooled data. Errors on an empty group or an invalid time.
pub(crate) fn checked_groups(groups: &[&[Obs]]) -> Result<Vec<Vec<Obs>>, SurvError> {
    for (g, obs) in groups.iter().enumerate() {
        if obs.is_empty() {
            return Err(SurvError::EmptyGroup { group: g });
        }
        for (i, o) in obs.iter().enumerate() {
            if !(o.time.is_finite() && o.time >= 0.0) {
                return Err(SurvError::InvalidTime { group: g, index: i });
            }
        }
    }
    let mut out: Vec<Vec<Obs>> = groups.iter().map(|g| g.to_vec()).collect();
    let mut all: Vec<f64> = out.iter().flatten().map(|o| o.time).collect();
    let cuts = aeq_cuts(&mut all);
    if let Some(cuts) = cuts {
        for o in out.iter_mut().flatten() {
            // the largest cut ≤ time (R: cuts[findInterval(time, cuts)]); cuts[0] is the minimum
            let k = cuts.partition_point(|&c| c <= o.time);
            o.time = cuts[k - 1];
        }
    }
    Ok(out)
}

/// R's `aeqSurv`: the distinct times y (sorted); a gap dy ≤ √ε, or dy / mean(|y|) ≤ √ε, is a
/// tie. Returns the cut points (the first time of each run of tied times), or `None` when no
/// two distinct times are tied. `times` is sorted in place.
fn aeq_cuts(times: &mut Vec<f64>) -> Option<Vec<f64>> {
    crate::sort::sort_f64(times);
    times.dedup();
    if times.len() < 2 {
        return None;
    }
    let mean = times.iter().map(|t| t.abs()).sum::<f64>() / times.len() as f64;
    let tied: Vec<bool> = times
        .windows(2)
        .map(|w| {
            let dy = w[1] - w[0];
            dy <= SQRT_EPS || dy / mean <= SQRT_EPS
        })
        .collect();
    if !tied.iter().any(|&t| t) {
        return None;
    }
    let mut cuts = vec![times[0]];
    cuts.extend(
        times[1..]
            .iter()
            .zip(&tied)
            .filter(|(_, &t)| !t)
            .map(|(y, _)| *y),
    );
    Some(cuts)
}

/// R: `pchisq(x, df, lower.tail = FALSE)` for df ≥ 1, by statrs' regularized upper incomplete
/// gamma Q(df/2, x/2) (accurate to ~1e-15 relative, also far in the tail; statrs' `erfc`, and
/// so its normal CDF, is only good to ~1e-10).
pub(crate) fn chisq_upper(x: f64, df: usize) -> f64 {
    if !(x > 0.0) {
        return 1.0;
    }
    statrs::function::gamma::gamma_ur(df as f64 / 2.0, x / 2.0)
}

/// R: `2 * pnorm(-abs(z))` = P(χ²₁ > z²).
pub(crate) fn norm_two_sided(z: f64) -> f64 {
    chisq_upper(z * z, 1)
}

#[cfg(test)]
mod reference_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_util::close;
    use proptest::prelude::*;

    #[test]
    fn aeq_merges_near_ties_only() {
        // R: aeqSurv(Surv(c(1, 1 + 1e-10, 2, 3 - 1e-9, 3), rep(1, 5)))[, 1] == c(1, 1, 2, 3 - 1e-9, 3 - 1e-9)
        //   -> all TRUE
        let a = [1.0, 1.0 + 1e-10, 2.0, 3.0 - 1e-9, 3.0].map(|t| Obs::new(t, true));
        let g = checked_groups(&[&a]).unwrap();
        let t: Vec<f64> = g[0].iter().map(|o| o.time).collect();
        assert_eq!(t, vec![1.0, 1.0, 2.0, 3.0 - 1e-9, 3.0 - 1e-9]);
        // no near ties: unchanged
        let b = [1.0, 1.5, 2.0].map(|t| Obs::new(t, false));
        let g = checked_groups(&[&b]).unwrap();
        assert_eq!(g[0], b.to_vec());
    }

    #[test]
    fn invalid_input_is_an_error() {
        let good = [Obs::new(1.0, true)];
        for bad in [f64::NAN, f64::INFINITY, -0.5] {
            let b = [Obs::new(2.0, false), Obs::new(bad, true)];
            assert_eq!(
                checked_groups(&[&good, &b]),
                Err(SurvError::InvalidTime { group: 1, index: 1 })
            );
        }
        assert_eq!(
            checked_groups(&[&good, &[]]),
            Err(SurvError::EmptyGroup { group: 1 })
        );
        let msg = SurvError::InvalidTime { group: 1, index: 1 }.to_string();
        assert!(msg.contains("group 1, patient 1"), "{msg}");
    }

    #[test]
    fn json_field_names_are_the_issues() {
        let a = [Obs::new(1.0, true), Obs::new(2.0, false)];
        let b = [Obs::new(1.5, true), Obs::new(3.0, true)];
        let km = serde_json::to_value(kaplan_meier(&a).unwrap()).unwrap();
        let keys: Vec<&str> = km.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "curve",
                "events",
                "median_ci_high",
                "median_ci_low",
                "median_months",
                "n"
            ]
        );
        let row = km["curve"][0].as_object().unwrap();
        let keys: Vec<&str> = row.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["lower", "n_censor", "n_event", "n_risk", "surv", "t", "upper"]
        );
        let t = serde_json::to_value(log_rank(&[&a, &b]).unwrap().to_test()).unwrap();
        assert_eq!(t["kind"], "log_rank");
        for k in [
            "statistic",
            "df",
            "p_value",
            "hazard_ratio",
            "hr_ci_low",
            "hr_ci_high",
        ] {
            assert!(t.get(k).is_some(), "{k}");
        }
        let t = serde_json::to_value(cox_efron(&[&a, &b]).unwrap().to_test()).unwrap();
        assert_eq!(t["kind"], "cox");
        let back: SurvivalTest = serde_json::from_value(t.clone()).unwrap();
        assert_eq!(serde_json::to_value(back).unwrap(), t);
    }

    proptest! {
        /// Any times, including NaN, infinities and negatives: a result or an error, no panic.
        #[test]
        fn arbitrary_input_never_panics(
            g in prop::collection::vec(
                prop::collection::vec(
                    (prop_oneof![
                        prop::num::f64::ANY,
                        0.0f64..5.0,
                        (0u8..4).prop_map(f64::from)
                    ], any::<bool>()),
                    0..8,
                ),
                0..4,
            )
        ) {
            let obs: Vec<Vec<Obs>> = g
                .iter()
                .map(|v| v.iter().map(|&(t, e)| Obs::new(t, e)).collect())
                .collect();
            let s: Vec<&[Obs]> = obs.iter().map(Vec::as_slice).collect();
            let _ = kaplan_meier_groups(&s);
            let _ = log_rank(&s);
            let _ = cox_efron(&s);
            if let Some(first) = s.first() {
                let _ = kaplan_meier(first);
            }
        }
    }

    #[test]
    fn constants_are_rs() {
        // R: sqrt(.Machine$double.eps)
        assert_eq!(SQRT_EPS, f64::EPSILON.sqrt());
        // R: print(pchisq(c(3.84, 100), 1, lower.tail = FALSE), digits = 17)
        //   -> 0.050043521248705224 1.5239706048321054e-23
        close(chisq_upper(3.84, 1), 0.050043521248705224, 1e-14);
        close(chisq_upper(100.0, 1), 1.5239706048321054e-23, 1e-14);
        // R: print(pchisq(c(7.5, 50), 3, lower.tail = FALSE), digits = 17)
        //   -> 0.057558451972636406 7.9891792449514704e-11
        close(chisq_upper(7.5, 3), 0.057558451972636406, 1e-14);
        close(chisq_upper(50.0, 3), 7.98917924495147e-11, 1e-14);
        // R: print(2 * pnorm(-qnorm(0.975)), digits = 17) -> 0.050000000000000065
        close(norm_two_sided(-Z_975), 0.050000000000000065, 1e-14);
    }
}
