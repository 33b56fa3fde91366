//! The JSON (and binary) form of a patient entry: [`PatientResult`] with its boxed staging part
//! written flat, every field of docs/schema.json's patient entry at the top level, in this order.
//! `PatientResult` is written through a borrowed [`PatientEntryRef`] (no copy) and read through
//! [`PatientEntry`] (`#[serde(from)]`).

use super::types::{PatientResult, PatientStaging, Period};
use crate::data::{Measure, Name};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A patient entry as read: the fields of [`PatientResult`], then those of [`PatientStaging`].
#[derive(Deserialize)]
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

/// A patient entry as written, borrowed from the result (no copy of it).
#[derive(Serialize)]
struct PatientEntryRef<'a> {
    id: &'a Name,
    group: &'a Name,
    measure: &'a Measure,
    n_visits: &'a usize,
    delta_fs: &'a Option<f64>,
    periods: &'a Vec<Period>,
    course_rate: &'a Option<f64>,
    course_rate_se: &'a Option<f64>,
    course_rate_ci_low: &'a Option<f64>,
    course_rate_ci_high: &'a Option<f64>,
    pre_rate: &'a Option<f64>,
    pre_source: &'a Option<crate::settings::PreSource>,
    post_rate: &'a Option<f64>,
    change: &'a Option<f64>,
    improvement_pct: &'a Option<f64>,
    improvement_unreliable: &'a bool,
    period_improvement_pct: &'a [Option<f64>],
    responder: &'a Option<bool>,
    first_event: &'a Option<f64>,
    notes: &'a Vec<Cow<'static, str>>,
    warnings: &'a Vec<Cow<'static, str>>,
    lost_data: &'a bool,
    delta_fs_class: &'a Option<crate::staging::progression::ProgressionClass>,
    tricals_lp: &'a Option<f64>,
    tricals_eligible: &'a Option<bool>,
    tricals_missing: &'a Option<Box<[crate::staging::tricals::TricalsInput]>>,
    latest_kings: &'a Option<crate::staging::kings::KingsStage>,
    latest_kings_reason: &'a Option<Box<str>>,
    latest_mitos: &'a Option<crate::staging::mitos::MitosStage>,
    latest_mitos_reason: &'a Option<Box<str>>,
    latest_stage_t: &'a Option<f64>,
    death_t: &'a Option<f64>,
}

impl Serialize for PatientResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.staging();
        PatientEntryRef {
            id: &self.id,
            group: &self.group,
            measure: &self.measure,
            n_visits: &self.n_visits,
            delta_fs: &self.delta_fs,
            periods: &self.periods,
            course_rate: &self.course_rate,
            course_rate_se: &self.course_rate_se,
            course_rate_ci_low: &self.course_rate_ci_low,
            course_rate_ci_high: &self.course_rate_ci_high,
            pre_rate: &self.pre_rate,
            pre_source: &self.pre_source,
            post_rate: &self.post_rate,
            change: &self.change,
            improvement_pct: &self.improvement_pct,
            improvement_unreliable: &self.improvement_unreliable,
            period_improvement_pct: &self.period_improvement_pct,
            responder: &self.responder,
            first_event: &self.first_event,
            notes: &self.notes,
            warnings: &self.warnings,
            lost_data: &self.lost_data,
            delta_fs_class: &s.delta_fs_class,
            tricals_lp: &s.tricals_lp,
            tricals_eligible: &s.tricals_eligible,
            tricals_missing: &s.tricals_missing,
            latest_kings: &s.latest_kings,
            latest_kings_reason: &s.latest_kings_reason,
            latest_mitos: &s.latest_mitos,
            latest_mitos_reason: &s.latest_mitos_reason,
            latest_stage_t: &s.latest_stage_t,
            death_t: &s.death_t,
        }
        .serialize(serializer)
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
