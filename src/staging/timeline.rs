//! Stages over time: when each stage was first reached by a patient, and the stage mix of a group
//! at scheduled visits. Pure functions over `(t, stage)` lists, for King's or MiToS ([`Stage`]).
//!
//! Times are in months on whatever axis the caller chooses (from onset, or from the first
//! event): call with times on that axis. Non-finite times are ignored.
//!
//! - **First reached** ([`first_reached`]): for each level k = 0–5, the earliest time of a visit
//!   with a stage of level ≥ k. Stages are milestones: a patient seen at stage 1 and next at
//!   stage 3 reached stage 2 by then at the latest, and one who dies (level 5) has passed every
//!   level — the usual reading of "time to stage k" (King's 4A and 4B are both level 4;
//!   [`first_seen`] gives the first time of one exact stage). Undetermined visits are skipped;
//!   improvement at a later visit does not undo a level reached.
//! - **Proportions** ([`proportions_at`]): at each scheduled time s, each patient counts with the
//!   stage of their visit nearest to s within ±`window` months (the earlier on a tie). Death is
//!   absorbing: a patient whose death (a level-5 entry) is at or before s counts as stage 5 at s,
//!   and a death after s is not used for s. A patient whose nearest visit has no stage counts as
//!   undetermined; one with no visit in the window (and not dead by s) as not seen. Proportions
//!   are over the patients with a stage at s.

use super::Stage;
use serde::Serialize;

/// One staged visit (or a death) at time `t` (months); `stage` None = undetermined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StagedVisit<S> {
    pub t: f64,
    pub stage: Option<S>,
}

/// The earliest time at which each level 0–5 (index) was reached: the first visit with a stage
/// of that level or above. None = never reached (or no staged visit).
pub fn first_reached<S: Stage>(visits: &[StagedVisit<S>]) -> [Option<f64>; 6] {
    let mut out: [Option<f64>; 6] = [None; 6];
    for v in visits {
        let Some(s) = v.stage else { continue };
        if !v.t.is_finite() {
            continue;
        }
        for slot in out.iter_mut().take(usize::from(s.level().min(5)) + 1) {
            if slot.is_none_or(|t| v.t < t) {
                *slot = Some(v.t);
            }
        }
    }
    out
}

/// The earliest time of a visit at exactly `stage`.
pub fn first_seen<S: Stage>(visits: &[StagedVisit<S>], stage: S) -> Option<f64> {
    visits
        .iter()
        .filter(|v| v.stage == Some(stage) && v.t.is_finite())
        .map(|v| v.t)
        .min_by(f64::total_cmp)
}

/// A group's stages at one scheduled time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageMix<S> {
    /// The scheduled time, months.
    pub t: f64,
    /// Patients with a stage at `t`: the denominator of the proportions.
    pub n: usize,
    /// Patients whose nearest visit has no stage (missing items it depends on).
    pub undetermined: usize,
    /// Patients with no visit within the window (and not dead by `t`).
    pub not_seen: usize,
    /// Every stage of the system, in order, with its count.
    pub counts: Vec<(S, usize)>,
}

impl<S: Stage> StageMix<S> {
    /// The share of the `n` staged patients at `stage`; None when n = 0.
    pub fn proportion(&self, stage: S) -> Option<f64> {
        let c = self.counts.iter().find(|(s, _)| *s == stage)?.1;
        (self.n > 0).then(|| c as f64 / self.n as f64)
    }
}

/// What one patient counts as at scheduled time `s`.
enum AtTime<S> {
    Staged(S),
    Undetermined,
    NotSeen,
}

fn at_time<S: Stage>(visits: &[StagedVisit<S>], s: f64, window: f64) -> AtTime<S> {
    let dead_by = visits.iter().find_map(|v| match v.stage {
        Some(st) if st.level() >= 5 && v.t.is_finite() && v.t <= s => Some(st),
        _ => None,
    });
    if let Some(st) = dead_by {
        return AtTime::Staged(st);
    }
    let mut best: Option<&StagedVisit<S>> = None;
    for v in visits {
        let is_death = v.stage.is_some_and(|st| st.level() >= 5);
        if is_death || !v.t.is_finite() || (v.t - s).abs() > window {
            continue;
        }
        let closer = best.is_none_or(|b| {
            let (d, db) = ((v.t - s).abs(), (b.t - s).abs());
            d < db || (d == db && v.t < b.t)
        });
        if closer {
            best = Some(v);
        }
    }
    match best {
        Some(StagedVisit {
            stage: Some(st), ..
        }) => AtTime::Staged(*st),
        Some(_) => AtTime::Undetermined,
        None => AtTime::NotSeen,
    }
}

/// The stage mix of a group (one visit list per patient) at each scheduled time, each patient
/// staged by their nearest visit within ±`window` months (see the module doc). A non-finite or
/// negative `window` finds no visit (only deaths count).
pub fn proportions_at<S: Stage, P: AsRef<[StagedVisit<S>]>>(
    patients: &[P],
    scheduled: &[f64],
    window: f64,
) -> Vec<StageMix<S>> {
    scheduled
        .iter()
        .map(|&s| {
            let mut mix = StageMix {
                t: s,
                n: 0,
                undetermined: 0,
                not_seen: 0,
                counts: S::ALL.iter().map(|&st| (st, 0)).collect(),
            };
            for p in patients {
                match at_time(p.as_ref(), s, window) {
                    AtTime::Staged(st) => {
                        mix.n += 1;
                        if let Some(c) = mix.counts.iter_mut().find(|(x, _)| *x == st) {
                            c.1 += 1;
                        }
                    }
                    AtTime::Undetermined => mix.undetermined += 1,
                    AtTime::NotSeen => mix.not_seen += 1,
                }
            }
            mix
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staging::kings::KingsStage as K;
    use crate::staging::mitos::MitosStage as M;

    fn v<S>(t: f64, stage: Option<S>) -> StagedVisit<S> {
        StagedVisit { t, stage }
    }

    #[test]
    fn timeline_first_reached_counts_skipped_levels() {
        // Milestone reading: 1 at month 3, 3 at month 9 → level 2 reached by month 9.
        let p = [
            v(3.0, Some(K::S1)),
            v(6.0, None),
            v(9.0, Some(K::S3)),
            v(12.0, Some(K::S2)), // improvement does not undo level 3
            v(15.0, Some(K::S4A)),
        ];
        assert_eq!(
            first_reached(&p),
            [Some(3.0), Some(3.0), Some(9.0), Some(9.0), Some(15.0), None]
        );
        assert_eq!(first_seen(&p, K::S2), Some(12.0));
        assert_eq!(first_seen(&p, K::S4A), Some(15.0));
        assert_eq!(first_seen(&p, K::S4B), None);
        // order of the list does not matter
        let mut r = p;
        r.reverse();
        assert_eq!(first_reached(&r), first_reached(&p));
    }

    #[test]
    fn timeline_death_reaches_every_level() {
        // Stage 5 = death, level ≥ every k: death at 20 months after stage 1.
        let p = [v(2.0, Some(M::S1)), v(20.0, Some(M::S5))];
        assert_eq!(
            first_reached(&p),
            [
                Some(2.0),
                Some(2.0),
                Some(20.0),
                Some(20.0),
                Some(20.0),
                Some(20.0)
            ]
        );
        // nothing staged
        let none: [StagedVisit<M>; 2] = [v(1.0, None), v(f64::NAN, Some(M::S2))];
        assert_eq!(first_reached(&none), [None; 6]);
    }

    #[test]
    fn timeline_proportions_nearest_visit_in_window() {
        let a = vec![
            v(0.0, Some(K::S1)),
            v(5.5, Some(K::S2)),
            v(12.2, Some(K::S3)),
        ];
        let b = vec![
            v(0.3, Some(K::S1)),
            v(6.0, None),
            v(8.0, Some(K::S4B)),
            v(9.0, Some(K::S5)),
        ];
        let c = vec![v(-0.5, Some(K::S0))];
        let mix = proportions_at(&[a, b, c], &[0.0, 6.0, 12.0], 1.0);
        // month 0: a S1 (0.0), b S1 (0.3), c S0 (−0.5)
        assert_eq!((mix[0].n, mix[0].undetermined, mix[0].not_seen), (3, 0, 0));
        assert_eq!(mix[0].proportion(K::S1), Some(2.0 / 3.0));
        assert_eq!(mix[0].proportion(K::S0), Some(1.0 / 3.0));
        // month 6: a S2 (5.5), b's nearest is 6.0, undetermined; c not seen
        assert_eq!((mix[1].n, mix[1].undetermined, mix[1].not_seen), (1, 1, 1));
        assert_eq!(mix[1].proportion(K::S2), Some(1.0));
        // month 12: a S3 (12.2), b dead at 9 → 5; c not seen
        assert_eq!((mix[2].n, mix[2].undetermined, mix[2].not_seen), (2, 0, 1));
        assert_eq!(mix[2].proportion(K::S5), Some(0.5));
        assert_eq!(mix[2].proportion(K::S3), Some(0.5));
        assert_eq!(mix[2].counts.len(), 7);
        let total: usize = mix[2].counts.iter().map(|c| c.1).sum();
        assert_eq!(total, mix[2].n);
    }

    #[test]
    fn timeline_death_after_the_scheduled_time_is_not_used() {
        // Alive at month 6 (died at 6.5): the visit at 5.8 counts, not the death.
        let p = vec![v(5.8, Some(M::S2)), v(6.5, Some(M::S5))];
        let mix = proportions_at(std::slice::from_ref(&p), &[6.0], 1.0);
        assert_eq!(mix[0].proportion(M::S2), Some(1.0));
        // dead by 7
        let mix = proportions_at(&[p], &[7.0], 0.1);
        assert_eq!(mix[0].proportion(M::S5), Some(1.0));
    }

    #[test]
    fn timeline_ties_take_the_earlier_visit() {
        let p = vec![v(5.0, Some(M::S1)), v(7.0, Some(M::S2))];
        let mix = proportions_at(&[p], &[6.0], 1.0);
        assert_eq!(mix[0].proportion(M::S1), Some(1.0));
        let empty: Vec<Vec<StagedVisit<M>>> = vec![];
        let mix = proportions_at(&empty, &[6.0], 1.0);
        assert_eq!((mix[0].n, mix[0].proportion(M::S1)), (0, None));
    }
}
