//! The staging rules (`crate::staging`) wired to the data (issue #23): King's and MiToS stage of
//! every visit with ALSFRS-R items, each patient's time from onset and from the first event to
//! each stage reached, and each group's stage mix at scheduled visits.
//!
//! - A visit is staged with the patient's vital status at its day: a visit on or after a known
//!   death day is stage 5 (the parser reports such visits). A death without a date (`died` yes)
//!   cannot be placed in time and stages nothing.
//! - The death day is a stage-5 entry of the timelines and the stage mix (absorbing), not a row
//!   of `stages` (one row per visit with items).
//! - Each staged patient's latest stages ([`LatestStage`], the patient entries' `latest_kings`,
//!   …): those of the last visit with items, or stage 5 at a dated death after it.
//! - `t` of a row is months from the analysis's origin (`Settings::time_origin`), like every
//!   time of the patient's results.
//! - Scheduled visits of the stage mix: months 0, k, 2k, … from each patient's first visit
//!   (k = `Settings::stage_schedule_months`, 3 by default) up to the group's longest follow-up;
//!   each patient is staged by the visit nearest to the scheduled time within ±k/2 months.

use super::patient::origin;
use crate::data::date::IsoDate;
use crate::data::{Dataset, Name, Patient, TimeAxis};
use crate::settings::Settings;
use crate::staging::kings::{kings, KingsStage};
use crate::staging::mitos::{mitos, MitosStage};
use crate::staging::timeline::{first_reached, proportions_at, StageMix, StagedVisit};
use crate::staging::{Stage, Vital};
use serde::{Deserialize, Serialize};

/// One visit's stages (JSON top-level `stages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageEntry {
    pub id: Name,
    /// The visit's date (null on a relative time axis).
    pub date: Option<IsoDate>,
    /// Months from the patient's origin (`Settings::time_origin`).
    pub t: f64,
    /// `"0"`…`"3"`, `"4A"`, `"4B"`, `"5"`; null when undetermined (missing items it depends on).
    pub kings: Option<KingsStage>,
    /// The rule that fired, or the missing items the stage depends on.
    pub kings_reason: String,
    /// 0–5; null when undetermined.
    pub mitos: Option<MitosStage>,
    pub mitos_reason: String,
}

/// A staging system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StagingSystem {
    Kings,
    Mitos,
}

/// When a patient first reached each level 0–5 of a staging system (index = level; King's 4A
/// and 4B are both level 4), in months from onset and from the first event (null: not reached,
/// or no onset / no event). A level counts as reached at the first visit at it or above
/// (`staging::timeline::first_reached`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTimes {
    pub id: Name,
    pub group: Name,
    pub system: StagingSystem,
    pub from_onset: [Option<f64>; 6],
    pub from_first_event: [Option<f64>; 6],
}

/// A group's stage mix at one scheduled visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageMixEntry {
    pub group: String,
    pub system: StagingSystem,
    /// Scheduled time, months from each patient's first visit.
    pub t: f64,
    /// Patients with a stage at `t`: the denominator of the proportions.
    pub n: usize,
    /// Patients whose nearest visit has no stage (missing items).
    pub undetermined: usize,
    /// Patients with no visit within the window (and not dead by then).
    pub not_seen: usize,
    /// Every stage of the system in order, with its count and proportion of `n`.
    pub stages: Vec<StageCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    /// The stage as written (`"4A"`, `"2"`, …).
    pub stage: String,
    pub n: usize,
    pub proportion: Option<f64>,
}

/// A patient's latest stages (the patient entries' `latest_kings`, …): at the dated death when
/// it is after the last visit with items (stage 5, "5: death"), else at that visit. Only for a
/// patient with a visit with items.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestStage {
    pub id: Name,
    /// Months from the patient's origin (as `StageEntry::t`).
    pub t: f64,
    pub kings: Option<KingsStage>,
    pub kings_reason: String,
    pub mitos: Option<MitosStage>,
    pub mitos_reason: String,
}

/// Everything staged from one dataset.
#[derive(Debug, Default)]
pub struct Staged {
    pub stages: Vec<StageEntry>,
    pub times: Vec<StageTimes>,
    pub mix: Vec<StageMixEntry>,
    /// One per patient with a visit with items, in the dataset's order.
    pub latest: Vec<LatestStage>,
}

/// One patient's staged visits on the day axis (days), King's and MiToS, the death day last;
/// the latest stages (None without a visit with items).
struct PatientStages {
    kings: Vec<(f64, Option<KingsStage>)>,
    mitos: Vec<(f64, Option<MitosStage>)>,
    latest: Option<LatestStage>,
}

fn stage_patient(
    p: &Patient,
    axis: TimeAxis,
    s: &Settings,
    rows: &mut Vec<StageEntry>,
) -> PatientStages {
    let md = s.month_len();
    let (t0, _) = origin(p, s);
    let death = p.clinical.as_ref().and_then(|c| c.death).map(|d| d.day);
    let mut out = PatientStages {
        kings: Vec::new(),
        mitos: Vec::new(),
        latest: None,
    };
    let first_row = rows.len();
    for v in &p.visits {
        let Some(items) = v.items() else { continue };
        let vital = if death.is_some_and(|d| v.day >= d) {
            Vital::Dead
        } else {
            Vital::Alive
        };
        let k = kings(&items, vital);
        let m = mitos(&items, vital);
        out.kings.push((v.day, k.stage));
        out.mitos.push((v.day, m.stage));
        rows.push(StageEntry {
            id: p.id.clone(),
            date: (axis == TimeAxis::Dates && v.day.is_finite() && v.day.abs() < 3.0e6)
                .then(|| IsoDate(v.day.floor() as i64)),
            t: (v.day - t0) / md,
            kings: k.stage,
            kings_reason: k.reason.sentence(),
            mitos: m.stage,
            mitos_reason: m.reason.sentence(),
        });
    }
    // The death closes the timeline (only for a patient staged at least once: the timeline of a
    // patient without items is not about stages).
    if let (Some(d), false) = (death, out.kings.is_empty()) {
        out.kings.push((d, Some(KingsStage::S5)));
        out.mitos.push((d, Some(MitosStage::S5)));
    }
    // The latest stages: the patient's last visit with items (the visits are in time order), or
    // the death after it.
    let death_t = death.map(|d| (d - t0) / md).filter(|t| t.is_finite());
    out.latest = rows[first_row..].last().map(|r| match death_t {
        Some(dt) if dt > r.t => LatestStage {
            id: p.id.clone(),
            t: dt,
            kings: Some(KingsStage::S5),
            kings_reason: crate::staging::kings::KingsReason::Death.sentence(),
            mitos: Some(MitosStage::S5),
            mitos_reason: crate::staging::mitos::MitosReason::Death.sentence(),
        },
        _ => LatestStage {
            id: p.id.clone(),
            t: r.t,
            kings: r.kings,
            kings_reason: r.kings_reason.clone(),
            mitos: r.mitos,
            mitos_reason: r.mitos_reason.clone(),
        },
    });
    out
}

fn on_axis<S: Copy>(days: &[(f64, Option<S>)], zero: f64, md: f64) -> Vec<StagedVisit<S>> {
    days.iter()
        .map(|&(d, stage)| StagedVisit {
            t: (d - zero) / md,
            stage,
        })
        .collect()
}

fn times<S: Stage>(
    p: &Patient,
    system: StagingSystem,
    days: &[(f64, Option<S>)],
    md: f64,
) -> StageTimes {
    let from = |zero: Option<f64>| zero.map_or([None; 6], |z| first_reached(&on_axis(days, z, md)));
    StageTimes {
        id: p.id.clone(),
        group: p.group.clone(),
        system,
        from_onset: from(p.onset),
        from_first_event: from(p.events.first().map(|e| e.day)),
    }
}

fn mix<S: Stage>(
    groups: &[String],
    system: StagingSystem,
    per_patient: &[(&Patient, Vec<StagedVisit<S>>)],
    k: f64,
) -> Vec<StageMixEntry> {
    let mut out = Vec::new();
    for g in groups {
        let ps: Vec<&Vec<StagedVisit<S>>> = per_patient
            .iter()
            .filter(|(p, _)| *p.group == **g)
            .map(|(_, v)| v)
            .collect();
        let last = ps
            .iter()
            .flat_map(|v| v.iter().map(|x| x.t))
            .filter(|t| t.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        if ps.is_empty() || !last.is_finite() {
            continue;
        }
        // At most 200 scheduled visits (50 years at 3 months).
        let n = ((last + k / 2.0) / k).floor().clamp(0.0, 199.0) as usize;
        let scheduled: Vec<f64> = (0..=n).map(|i| i as f64 * k).collect();
        for m in proportions_at::<S, _>(&ps, &scheduled, k / 2.0) {
            out.push(mix_entry(g, system, m));
        }
    }
    out
}

fn mix_entry<S: Stage>(group: &str, system: StagingSystem, m: StageMix<S>) -> StageMixEntry {
    StageMixEntry {
        group: group.to_string(),
        system,
        t: m.t,
        n: m.n,
        undetermined: m.undetermined,
        not_seen: m.not_seen,
        stages: m
            .counts
            .iter()
            .map(|&(st, n)| StageCount {
                stage: st.label().to_string(),
                n,
                proportion: m.proportion(st),
            })
            .collect(),
    }
}

/// Whether [`stage`] has anything to stage: a visit with ALSFRS-R items (the page's first pass
/// asks its second pass for the stages only then).
pub fn has_items(ds: &Dataset) -> bool {
    ds.patients
        .iter()
        .any(|p| p.visits.iter().any(|v| v.items().is_some()))
}

/// Stage every visit with items; the times to each stage; the stage mix of each of `groups`.
/// Empty when no visit has items.
pub fn stage(ds: &Dataset, groups: &[String], s: &Settings) -> Staged {
    let md = s.month_len();
    let k = if s.stage_schedule_months.is_finite() && s.stage_schedule_months >= 0.25 {
        s.stage_schedule_months
    } else {
        3.0
    };
    let mut out = Staged::default();
    let mut kings_mix = Vec::new();
    let mut mitos_mix = Vec::new();
    for p in &ds.patients {
        let mut st = stage_patient(p, ds.time_axis, s, &mut out.stages);
        if st.kings.is_empty() {
            continue;
        }
        out.latest.extend(st.latest.take());
        out.times
            .push(times(p, StagingSystem::Kings, &st.kings, md));
        out.times
            .push(times(p, StagingSystem::Mitos, &st.mitos, md));
        if let Some(first) = p.visits.first() {
            kings_mix.push((p, on_axis(&st.kings, first.day, md)));
            mitos_mix.push((p, on_axis(&st.mitos, first.day, md)));
        }
    }
    out.mix = mix(groups, StagingSystem::Kings, &kings_mix, k);
    out.mix
        .extend(mix(groups, StagingSystem::Mitos, &mitos_mix, k));
    out
}
