//! A patient's baseline (issue #23): the ΔFS progression class and the inputs of the TRICALS
//! risk profile, read from the data (the rules are `crate::staging::{progression, tricals}`).
//!
//! - **ΔFS class**: ΔFS = (48 − ALSFRS-R) / months from onset at the first visit with an
//!   ALSFRS-R total (the analysis's `delta_fs`), classified with `Settings::delta_fs_cutoffs`.
//! - **TRICALS baseline = the patient's first visit**: its ALSFRS-R total and FVC % predicted
//!   (missing there = missing; no later visit stands in), months from onset to it.
//! - Age at onset: `age_at_onset`, else (birth date → onset date) in years of 365.25 days.
//! - Diagnostic delay: months from the onset date to the diagnosis date (the analysis's month
//!   length).
//! - Bulbar: site of onset `bulbar` (1) or any other site (0). Definite: El Escorial `definite`
//!   (1) or any other category (0). FTD: yes/no.
//! - The profile is computed only when the data has at least one baseline column (diagnosis,
//!   birth, age at onset, site of onset, El Escorial, FTD): otherwise `tricals_missing` is null,
//!   not a list of eight missing inputs per patient.

use crate::data::{ElEscorial, Measure, Patient, SiteOfOnset};
use crate::settings::Settings;
use crate::staging::progression::ProgressionClass;
use crate::staging::tricals::{tricals, InvalidInput, TricalsInput, TricalsInputs, TricalsProfile};

/// Days in a year (age from birth and onset dates).
const YEAR_DAYS: f64 = 365.25;

/// ΔFS at the first visit with an ALSFRS-R total: (48 − score) / months from onset; None
/// without onset, without a total, or with onset not before that visit. One implementation:
/// the analysis's `delta_fs` of ALSFRS-R is this.
pub fn delta_fs(p: &Patient, m: Measure, month_days: f64) -> Option<f64> {
    let on = p.onset?;
    let v = p
        .visits
        .iter()
        .find(|v| v.scores.get(m.index()).is_some())?;
    let months = (v.day - on) / month_days;
    (months > 0.0).then(|| m.loss(v.scores.get(m.index()).unwrap_or(f64::NAN)) / months)
}

/// The patient's ΔFS class (from ALSFRS-R), with the settings' cut-offs.
pub fn delta_fs_class(p: &Patient, s: &Settings) -> Option<ProgressionClass> {
    delta_fs(p, Measure::AlsfrsR, s.month_len()).and_then(|d| s.delta_fs_cutoffs.classify(d))
}

/// The group name of a ΔFS class (`Settings::group_by` = `delta_fs_class`).
pub fn class_group(c: Option<ProgressionClass>) -> &'static str {
    match c {
        Some(ProgressionClass::Slow) => "slow",
        Some(ProgressionClass::Intermediate) => "intermediate",
        Some(ProgressionClass::Fast) => "fast",
        None => "unclassified",
    }
}

/// Whether any patient has a baseline column the profile reads beyond onset and visits.
pub fn has_baseline_columns(patients: &[Patient]) -> bool {
    patients.iter().any(|p| {
        p.clinical.as_ref().is_some_and(|c| {
            c.diagnosis.is_some()
                || c.birth.is_some()
                || c.age_at_onset.is_some()
                || c.site_of_onset.is_some()
                || c.el_escorial.is_some()
                || c.ftd.is_some()
        })
    })
}

/// The profile's inputs for one patient, from its first visit and clinical data.
pub fn tricals_inputs(p: &Patient, month_days: f64) -> TricalsInputs {
    let c = p.clinical.as_deref();
    let first = p.visits.first();
    let onset = p.onset;
    TricalsInputs {
        age_at_onset: c.and_then(|c| {
            c.age_at_onset.or_else(|| {
                let (b, o) = (c.birth?, onset?);
                Some((o - b.day) / YEAR_DAYS)
            })
        }),
        diagnostic_delay: c
            .and_then(|c| c.diagnosis)
            .zip(onset)
            .map(|(d, o)| (d.day - o) / month_days),
        alsfrs_r: first.and_then(|v| v.scores.get(Measure::AlsfrsR.index())),
        months_onset_to_baseline: first.zip(onset).map(|(v, o)| (v.day - o) / month_days),
        fvc_percent: first.and_then(|v| v.scores.get(Measure::Fvc.index())),
        bulbar_onset: c
            .and_then(|c| c.site_of_onset)
            .map(|s| s == SiteOfOnset::Bulbar),
        el_escorial_definite: c
            .and_then(|c| c.el_escorial)
            .map(|e| e == ElEscorial::Definite),
        ftd: c.and_then(|c| c.ftd),
    }
}

/// The input an invalid value belongs to.
fn input_of(i: &InvalidInput) -> TricalsInput {
    match *i {
        InvalidInput::NotFinite { input, .. } => input,
        InvalidInput::AgeNotPositive { .. } => TricalsInput::AgeAtOnset,
        InvalidInput::DelayNotPositive { .. } => TricalsInput::DiagnosticDelay,
        InvalidInput::FvcNotPositive { .. } => TricalsInput::FvcPercent,
        InvalidInput::MonthsNotPositive { .. } => TricalsInput::MonthsOnsetToBaseline,
        InvalidInput::AlsfrsOutOfRange { .. } => TricalsInput::AlsfrsR,
        InvalidInput::Extreme { input, .. } => input,
    }
}

/// The profile, or the inputs missing or unusable and a note saying why.
pub fn profile(p: &Patient, s: &Settings) -> Result<TricalsProfile, (Vec<TricalsInput>, String)> {
    tricals(&tricals_inputs(p, s.month_len()), &s.tricals_window).map_err(|e| {
        let mut list = e.missing.clone();
        list.extend(e.invalid.iter().map(input_of));
        (list, e.to_string())
    })
}
