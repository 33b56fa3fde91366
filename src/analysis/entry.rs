//! The JSON (and binary) form of a patient entry: [`PatientResult`] with its boxed staging part
//! written flat, every field of docs/schema.json's patient entry at the top level, in this order.
//! `PatientResult` is (de)serialized through [`PatientEntry`] (`#[serde(into, from)]`).

use super::types::{PatientResult, PatientStaging, Period};
use crate::data::{Measure, Name};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A patient entry as written: the fields of [`PatientResult`], then those of [`PatientStaging`].
#[derive(Serialize, Deserialize)]
pub struct PatientEntry {
    id: Name,
    group: Name,
    measure: Measure,
    n_visits: usize,
    delta_fs: Option<f64>,
    periods: Vec<Period>,
    course_rate: Option<f64>,
    course_rate_se: Option<f64>,
    course_rate_ci_low: Option<f64>,
    course_rate_ci_high: Option<f64>,
    pre_rate: Option<f64>,
    pre_source: Option<crate::settings::PreSource>,
    post_rate: Option<f64>,
    change: Option<f64>,
    improvement_pct: Option<f64>,
    improvement_unreliable: bool,
    period_improvement_pct: Box<[Option<f64>]>,
    responder: Option<bool>,
    first_event: Option<f64>,
    notes: Vec<Cow<'static, str>>,
    warnings: Vec<Cow<'static, str>>,
    lost_data: bool,
    delta_fs_class: Option<crate::staging::progression::ProgressionClass>,
    tricals_lp: Option<f64>,
    tricals_eligible: Option<bool>,
    tricals_missing: Option<Box<[crate::staging::tricals::TricalsInput]>>,
    latest_kings: Option<crate::staging::kings::KingsStage>,
    latest_kings_reason: Option<Box<str>>,
    latest_mitos: Option<crate::staging::mitos::MitosStage>,
    latest_mitos_reason: Option<Box<str>>,
    latest_stage_t: Option<f64>,
    death_t: Option<f64>,
}

impl From<PatientResult> for PatientEntry {
    fn from(r: PatientResult) -> PatientEntry {
        let s = r.staging.map(|b| *b).unwrap_or_default();
        PatientEntry {
            id: r.id,
            group: r.group,
            measure: r.measure,
            n_visits: r.n_visits,
            delta_fs: r.delta_fs,
            periods: r.periods,
            course_rate: r.course_rate,
            course_rate_se: r.course_rate_se,
            course_rate_ci_low: r.course_rate_ci_low,
            course_rate_ci_high: r.course_rate_ci_high,
            pre_rate: r.pre_rate,
            pre_source: r.pre_source,
            post_rate: r.post_rate,
            change: r.change,
            improvement_pct: r.improvement_pct,
            improvement_unreliable: r.improvement_unreliable,
            period_improvement_pct: r.period_improvement_pct,
            responder: r.responder,
            first_event: r.first_event,
            notes: r.notes,
            warnings: r.warnings,
            lost_data: r.lost_data,
            delta_fs_class: s.delta_fs_class,
            tricals_lp: s.tricals_lp,
            tricals_eligible: s.tricals_eligible,
            tricals_missing: s.tricals_missing,
            latest_kings: s.latest_kings,
            latest_kings_reason: s.latest_kings_reason,
            latest_mitos: s.latest_mitos,
            latest_mitos_reason: s.latest_mitos_reason,
            latest_stage_t: s.latest_stage_t,
            death_t: s.death_t,
        }
    }
}

impl From<PatientEntry> for PatientResult {
    fn from(e: PatientEntry) -> PatientResult {
        let s = PatientStaging {
            delta_fs_class: e.delta_fs_class,
            tricals_lp: e.tricals_lp,
            tricals_eligible: e.tricals_eligible,
            tricals_missing: e.tricals_missing,
            latest_kings: e.latest_kings,
            latest_kings_reason: e.latest_kings_reason,
            latest_mitos: e.latest_mitos,
            latest_mitos_reason: e.latest_mitos_reason,
            latest_stage_t: e.latest_stage_t,
            death_t: e.death_t,
        };
        PatientResult {
            id: e.id,
            group: e.group,
            measure: e.measure,
            n_visits: e.n_visits,
            delta_fs: e.delta_fs,
            periods: e.periods,
            course_rate: e.course_rate,
            course_rate_se: e.course_rate_se,
            course_rate_ci_low: e.course_rate_ci_low,
            course_rate_ci_high: e.course_rate_ci_high,
            pre_rate: e.pre_rate,
            pre_source: e.pre_source,
            post_rate: e.post_rate,
            change: e.change,
            improvement_pct: e.improvement_pct,
            improvement_unreliable: e.improvement_unreliable,
            period_improvement_pct: e.period_improvement_pct,
            responder: e.responder,
            first_event: e.first_event,
            notes: e.notes,
            warnings: e.warnings,
            lost_data: e.lost_data,
            staging: (!s.is_none()).then(|| Box::new(s)),
        }
    }
}
