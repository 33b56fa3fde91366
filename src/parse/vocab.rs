//! The header vocabulary: the column names real ALS exports use, and the role each names.
//! Sources: this tool's own layout; PRO-ACT (`ALSFRS.csv`, `FVC.csv`, `AlsHistory.csv`,
//! `DeathData.csv`, `Treatment.csv`, `Demographics.csv`); Answer ALS (`alsfrs1…`, `alsfrsdt`);
//! registries and clinic databases (LORIS `ALSFRS_1_Speech`, `PSCID`; NEALS `subjid`, `visdy`,
//! `p1…p10`, `x1r…x3r`; REDCap `record_id`, `redcap_event_name`; MOVR `FACPATID`, `encntdt`);
//! item headers such as `1. Speech`; units in parentheses (`FVC (L)`, `(% pred.)`, `(0-48)`).
//! Names are matched after `columns::normalize` (lower case, separators `_`, parentheses out);
//! the parentheses' text comes as `units` (`columns::units`).

use super::columns::{Fact, Role};
use crate::data::Measure;

/// A header's role from its normalised name and units; None when not recognised.
pub(super) fn guess(n: &str, units: &str) -> Option<Role> {
    if let Some(r) = fvc(n, units) {
        return Some(r);
    }
    if let Some(r) = named(n) {
        return Some(match r {
            // A stated scale decides between the two ALSFRS totals.
            Role::Measure(Measure::Alsfrs | Measure::AlsfrsR) | Role::Total => {
                scale_from_units(units).unwrap_or(r)
            }
            r => r,
        });
    }
    if let Some(m) = Measure::from_name(n) {
        return Some(Role::Measure(m));
    }
    item(n).map(|(r, _)| r)
}

/// `(0-48)` → ALSFRS-R, `(0-40)` → ALSFRS.
fn scale_from_units(units: &str) -> Option<Role> {
    match units {
        "0-48" | "max_48" | "48" => Some(Role::Measure(Measure::AlsfrsR)),
        "0-40" | "max_40" | "40" => Some(Role::Measure(Measure::Alsfrs)),
        _ => None,
    }
}

/// FVC columns: % predicted or litres, by name and units. None for anything else.
fn fvc(n: &str, units: &str) -> Option<Role> {
    let litres_unit = matches!(
        units,
        "l" | "liters" | "litres" | "liter" | "litre" | "lit" | "ml" | "l_btps" | "litres_btps"
    );
    let percent_unit = units.contains('%') || units.contains("pred") || units.contains("percent");
    let base = matches!(
        n,
        "fvc" | "forced_vital_capacity" | "fvc_value" | "fvc_result" | "fvc_sitting"
    );
    if base {
        return Some(if litres_unit && !percent_unit {
            Role::FvcLitres
        } else {
            Role::Measure(Measure::Fvc)
        });
    }
    if let Some(k) = trial(n, "pct_of_normal_trial_") {
        return Some(Role::FvcTrial(k));
    }
    if trial(n, "subject_liters_trial_").is_some() {
        return Some(Role::FvcLitres);
    }
    match n {
        "fvc_l"
        | "fvc_liters"
        | "fvc_litres"
        | "fvc_liter"
        | "fvc_litre"
        | "fvc_lit"
        | "fvc_ml"
        | "fvcl"
        | "fvc_volume"
        | "fvc_absolute"
        | "fvc_abs"
        | "forced_vital_capacity_l"
        | "forced_vital_capacity_liters" => Some(Role::FvcLitres),
        "fvc_pct"
        | "fvc_percent"
        | "fvc_predicted"
        | "fvc_pred"
        | "fvc_percent_predicted"
        | "fvc_pct_predicted"
        | "fvc_pp"
        | "fvc_percent_pred"
        | "fvc_pct_pred"
        | "fvc_pred_pct"
        | "fvcpp"
        | "fvc_perc"
        | "fvc_percentage"
        | "percent_predicted_fvc"
        | "fvcpct"
        | "fvc_percent_of_predicted"
        | "ppfvc"
        | "pfvc"
        | "fvcp"
        | "fvc_pct_of_normal"
        | "fvc_percent_normal"
        | "fvc_pctpred"
        | "fvc_predicted_percent"
        | "fvc_of_predicted"
        | "fvc_percentpredicted"
        | "pct_of_normal" => Some(Role::Measure(Measure::Fvc)),
        _ => None,
    }
}

/// `prefix` followed by a trial number 1–9.
fn trial(n: &str, prefix: &str) -> Option<u8> {
    let k: u8 = n.strip_prefix(prefix)?.parse().ok()?;
    (1..=9).contains(&k).then_some(k)
}

/// Names matched whole: a table searched in order (a `match` over these strings compiled to
/// ~18 KB of wasm code in the page's start module; the table is its strings and a role each).
fn named(n: &str) -> Option<Role> {
    use Fact::*;
    const NAMED: &[(&str, Role)] = &[
        ("id", Role::Patient),
        ("patient", Role::Patient),
        ("patient_id", Role::Patient),
        ("patientid", Role::Patient),
        ("subject", Role::Patient),
        ("subject_id", Role::Patient),
        ("subjectid", Role::Patient),
        ("pid", Role::Patient),
        ("participant", Role::Patient),
        ("participant_id", Role::Patient),
        ("participantid", Role::Patient),
        ("case", Role::Patient),
        ("case_id", Role::Patient),
        ("patient_no", Role::Patient),
        ("patient_number", Role::Patient),
        ("record_id", Role::Patient),
        ("pscid", Role::Patient),
        ("subjid", Role::Patient),
        ("facpatid", Role::Patient),
        ("usubjid", Role::Patient),
        ("guid", Role::Patient),
        ("study_id", Role::Patient),
        ("subject_no", Role::Patient),
        ("subject_number", Role::Patient),
        ("patient_code", Role::Patient),
        ("patno", Role::Patient),
        ("subj_id", Role::Patient),
        ("subject_code", Role::Patient),
        ("pt_id", Role::Patient),
        ("ptid", Role::Patient),
        ("participant_code", Role::Patient),
        ("group", Role::Group),
        ("arm", Role::Group),
        ("cohort", Role::Group),
        ("treatment_group", Role::Group),
        ("study_arm", Role::Group),
        ("group_name", Role::Group),
        ("treatment_arm", Role::Group),
        ("arm_name", Role::Group),
        ("randomization_group", Role::Group),
        ("randomisation_group", Role::Group),
        ("randomized_arm", Role::Group),
        ("randomised_arm", Role::Group),
        ("trt_group", Role::Group),
        ("allocation", Role::Group),
        ("treatment_allocation", Role::Group),
        ("date", Role::Date),
        ("visit_date", Role::Date),
        ("visitdate", Role::Date),
        ("assessment_date", Role::Date),
        ("exam_date", Role::Date),
        ("date_of_visit", Role::Date),
        ("visit_dt", Role::Date),
        ("encntdt", Role::Date),
        ("encounter_date", Role::Date),
        ("alsfrs_date", Role::Date),
        ("alsfrs_r_date", Role::Date),
        ("alsfrsr_date", Role::Date),
        ("date_of_assessment", Role::Date),
        ("assessment_dt", Role::Date),
        ("exam_dt", Role::Date),
        ("visdat", Role::Date),
        ("visit_datetime", Role::Date),
        ("fvc_date", Role::Date),
        ("test_date", Role::Date),
        ("date_of_exam", Role::Date),
        ("evaluation_date", Role::Date),
        ("clinic_date", Role::Date),
        ("consultation_date", Role::Date),
        ("date_taken", Role::Date),
        ("alsfrsdt", Role::DateOrDays),
        ("alsfrs_dt", Role::DateOrDays),
        ("alsfrsrdt", Role::DateOrDays),
        ("alsfrs_r_dt", Role::DateOrDays),
        ("fvcdt", Role::DateOrDays),
        ("fvc_dt", Role::DateOrDays),
        ("month", Role::Months),
        ("months", Role::Months),
        ("time_months", Role::Months),
        ("months_from_baseline", Role::Months),
        ("month_from_baseline", Role::Months),
        ("time_month", Role::Months),
        ("visit_month", Role::Months),
        ("month_of_visit", Role::Months),
        ("months_since_baseline", Role::Months),
        ("months_since_enrolment", Role::Months),
        ("months_since_enrollment", Role::Months),
        ("time_in_months", Role::Months),
        ("months_from_enrollment", Role::Months),
        ("months_from_enrolment", Role::Months),
        ("study_month", Role::Months),
        ("week", Role::Weeks),
        ("weeks", Role::Weeks),
        ("time_weeks", Role::Weeks),
        ("weeks_from_baseline", Role::Weeks),
        ("visit_week", Role::Weeks),
        ("study_week", Role::Weeks),
        ("weeks_since_baseline", Role::Weeks),
        ("time_in_weeks", Role::Weeks),
        ("day", Role::Days),
        ("days", Role::Days),
        ("study_day", Role::Days),
        ("time_days", Role::Days),
        ("days_from_baseline", Role::Days),
        ("visdy", Role::Days),
        ("visit_day", Role::Days),
        ("visitdy", Role::Days),
        ("days_since_baseline", Role::Days),
        ("days_since_enrolment", Role::Days),
        ("days_since_enrollment", Role::Days),
        ("days_from_enrollment", Role::Days),
        ("days_from_enrolment", Role::Days),
        ("time_in_days", Role::Days),
        ("alsfrs_delta", Role::Days),
        ("alsfrs_r_delta", Role::Days),
        ("alsfrsr_delta", Role::Days),
        ("forced_vital_capacity_delta", Role::Days),
        ("fvc_delta", Role::Days),
        ("visit_delta", Role::Days),
        ("delta", Role::Days),
        ("study_days", Role::Days),
        ("ady", Role::Days),
        ("visit", Role::VisitName),
        ("visit_name", Role::VisitName),
        ("visitname", Role::VisitName),
        ("visit_label", Role::VisitName),
        ("redcap_event_name", Role::VisitName),
        ("event_name", Role::VisitName),
        ("timepoint", Role::VisitName),
        ("time_point", Role::VisitName),
        ("visit_code", Role::VisitName),
        ("onset", Role::Onset),
        ("onset_date", Role::Onset),
        ("symptom_onset", Role::Onset),
        ("date_of_onset", Role::Onset),
        ("symptom_onset_date", Role::Onset),
        ("onset_dt", Role::Onset),
        ("symptomonset_date", Role::Onset),
        ("onset_delta", Role::Onset),
        ("date_of_symptom_onset", Role::Onset),
        ("symptom_onset_dt", Role::Onset),
        ("first_symptom_date", Role::Onset),
        ("date_of_first_symptom", Role::Onset),
        ("date_of_first_symptoms", Role::Onset),
        ("als_onset_date", Role::Onset),
        ("date_onset", Role::Onset),
        ("onsetdt", Role::Onset),
        ("symptom_onset_delta", Role::Onset),
        ("onset_days", Role::Onset),
        ("event", Role::Event),
        ("events", Role::Event),
        ("injection", Role::Event),
        ("treatment", Role::Event),
        ("intervention", Role::Event),
        ("dose", Role::Event),
        ("event_label", Role::Event),
        ("treatment_group_delta", Role::EventTime(String::new())),
        ("treatment_start", Role::EventTime(String::new())),
        ("treatment_start_date", Role::EventTime(String::new())),
        ("treatment_start_delta", Role::EventTime(String::new())),
        ("alsfrs_r", Role::Measure(Measure::AlsfrsR)),
        ("alsfrsr", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_r_total", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_r_score", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_revised", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_r_sum", Role::Measure(Measure::AlsfrsR)),
        ("frs_r", Role::Measure(Measure::AlsfrsR)),
        ("alsfrsr_total", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_r_total_score", Role::Measure(Measure::AlsfrsR)),
        ("alsfrst", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_rt", Role::Measure(Measure::AlsfrsR)),
        ("alsfrsrt", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_r_tot", Role::Measure(Measure::AlsfrsR)),
        ("alsfrsr_tot", Role::Measure(Measure::AlsfrsR)),
        ("als_frs_r", Role::Measure(Measure::AlsfrsR)),
        ("als_frs_r_total", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_revised_total", Role::Measure(Measure::AlsfrsR)),
        ("total_alsfrs_r", Role::Measure(Measure::AlsfrsR)),
        ("alsfrsr_score", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs_r_totalscore", Role::Measure(Measure::AlsfrsR)),
        ("alsfrs", Role::Measure(Measure::Alsfrs)),
        ("als_frs", Role::Measure(Measure::Alsfrs)),
        ("alsfrs_total", Role::Measure(Measure::Alsfrs)),
        ("alsfrs_score", Role::Measure(Measure::Alsfrs)),
        ("als_frs_total", Role::Measure(Measure::Alsfrs)),
        ("alsfrs_totalscore", Role::Measure(Measure::Alsfrs)),
        ("alsfrs_total_score", Role::Measure(Measure::Alsfrs)),
        ("alsfrs_tot", Role::Measure(Measure::Alsfrs)),
        ("als_frs_score", Role::Measure(Measure::Alsfrs)),
        ("total", Role::Total),
        ("total_score", Role::Total),
        ("totalscore", Role::Total),
        ("sum_score", Role::Total),
        ("score_total", Role::Total),
        ("total_points", Role::Total),
        ("aals", Role::Measure(Measure::Aals)),
        ("appel", Role::Measure(Measure::Aals)),
        ("appel_score", Role::Measure(Measure::Aals)),
        ("appel_als", Role::Measure(Measure::Aals)),
        ("appel_als_score", Role::Measure(Measure::Aals)),
        ("aals_score", Role::Measure(Measure::Aals)),
        ("aals_total", Role::Measure(Measure::Aals)),
        ("bulbar", Role::Measure(Measure::AlsfrsRBulbar)),
        ("alsfrs_r_bulbar", Role::Measure(Measure::AlsfrsRBulbar)),
        ("fine_motor", Role::Measure(Measure::AlsfrsRFineMotor)),
        (
            "alsfrs_r_fine_motor",
            Role::Measure(Measure::AlsfrsRFineMotor),
        ),
        ("finemotor", Role::Measure(Measure::AlsfrsRFineMotor)),
        ("gross_motor", Role::Measure(Measure::AlsfrsRGrossMotor)),
        (
            "alsfrs_r_gross_motor",
            Role::Measure(Measure::AlsfrsRGrossMotor),
        ),
        ("grossmotor", Role::Measure(Measure::AlsfrsRGrossMotor)),
        ("respiratory", Role::Measure(Measure::AlsfrsRRespiratory)),
        (
            "alsfrs_r_respiratory",
            Role::Measure(Measure::AlsfrsRRespiratory),
        ),
        ("gastrostomy", Role::Gastrostomy),
        ("alsfrs_gastrostomypresent", Role::Gastrostomy),
        ("gastrostomy_present", Role::Gastrostomy),
        ("gastrostomypresent", Role::Gastrostomy),
        ("peg", Role::Gastrostomy),
        ("has_gastrostomy", Role::Gastrostomy),
        ("feeding_tube", Role::Gastrostomy),
        ("alsfrs_gastrostomy", Role::Gastrostomy),
        ("gastrostomy_yn", Role::Gastrostomy),
        ("death_date", Role::Clinical(Death)),
        ("date_of_death", Role::Clinical(Death)),
        ("death_dt", Role::Clinical(Death)),
        ("dod", Role::Clinical(Death)),
        ("deathdate", Role::Clinical(Death)),
        ("date_died", Role::Clinical(Death)),
        ("died_date", Role::Clinical(Death)),
        ("death_days", Role::Clinical(Death)),
        ("death_delta", Role::Clinical(Death)),
        ("date_death", Role::Clinical(Death)),
        ("death_day", Role::Clinical(Death)),
        ("dt_death", Role::Clinical(Death)),
        ("deathdt", Role::Clinical(Death)),
        ("died", Role::Clinical(Died)),
        ("subject_died", Role::Clinical(Died)),
        ("deceased", Role::Clinical(Died)),
        ("death", Role::Clinical(Died)),
        ("dead", Role::Clinical(Died)),
        ("vital_status", Role::Clinical(Died)),
        ("death_status", Role::Clinical(Died)),
        ("death_flag", Role::Clinical(Died)),
        ("is_dead", Role::Clinical(Died)),
        ("tracheostomy_date", Role::Clinical(Tracheostomy)),
        ("date_of_tracheostomy", Role::Clinical(Tracheostomy)),
        ("tracheostomy", Role::Clinical(Tracheostomy)),
        ("trach_date", Role::Clinical(Tracheostomy)),
        ("tracheostomy_days", Role::Clinical(Tracheostomy)),
        ("tracheostomy_delta", Role::Clinical(Tracheostomy)),
        ("tracheotomy_date", Role::Clinical(Tracheostomy)),
        ("tracheostomy_dt", Role::Clinical(Tracheostomy)),
        ("date_tracheostomy", Role::Clinical(Tracheostomy)),
        ("tiv_date", Role::Clinical(Tracheostomy)),
        ("invasive_ventilation_date", Role::Clinical(Tracheostomy)),
        ("niv_date", Role::Clinical(Ventilation)),
        ("pav_date", Role::Clinical(Ventilation)),
        ("permanent_ventilation_date", Role::Clinical(Ventilation)),
        ("permanent_ventilation", Role::Clinical(Ventilation)),
        ("ventilation_date", Role::Clinical(Ventilation)),
        ("date_of_permanent_ventilation", Role::Clinical(Ventilation)),
        ("niv_22h_date", Role::Clinical(Ventilation)),
        ("pav", Role::Clinical(Ventilation)),
        ("pav_days", Role::Clinical(Ventilation)),
        ("pav_delta", Role::Clinical(Ventilation)),
        (
            "permanent_assisted_ventilation",
            Role::Clinical(Ventilation),
        ),
        (
            "permanent_assisted_ventilation_date",
            Role::Clinical(Ventilation),
        ),
        ("gastrostomy_date", Role::Clinical(GastrostomyDate)),
        ("peg_date", Role::Clinical(GastrostomyDate)),
        ("rig_date", Role::Clinical(GastrostomyDate)),
        ("date_of_gastrostomy", Role::Clinical(GastrostomyDate)),
        ("feeding_tube_date", Role::Clinical(GastrostomyDate)),
        ("gastrostomy_days", Role::Clinical(GastrostomyDate)),
        ("gastrostomy_delta", Role::Clinical(GastrostomyDate)),
        ("gastrostomy_dt", Role::Clinical(GastrostomyDate)),
        ("peg_insertion_date", Role::Clinical(GastrostomyDate)),
        ("date_of_peg", Role::Clinical(GastrostomyDate)),
        ("last_contact", Role::Clinical(LastContact)),
        ("last_contact_date", Role::Clinical(LastContact)),
        ("last_followup", Role::Clinical(LastContact)),
        ("last_follow_up", Role::Clinical(LastContact)),
        ("last_followup_date", Role::Clinical(LastContact)),
        ("last_follow_up_date", Role::Clinical(LastContact)),
        ("date_last_seen", Role::Clinical(LastContact)),
        ("last_seen", Role::Clinical(LastContact)),
        ("last_known_alive", Role::Clinical(LastContact)),
        ("last_known_alive_date", Role::Clinical(LastContact)),
        ("lkad", Role::Clinical(LastContact)),
        ("date_of_last_contact", Role::Clinical(LastContact)),
        ("censor_date", Role::Clinical(LastContact)),
        ("last_contact_days", Role::Clinical(LastContact)),
        ("last_contact_delta", Role::Clinical(LastContact)),
        ("diagnosis_date", Role::Clinical(Diagnosis)),
        ("date_of_diagnosis", Role::Clinical(Diagnosis)),
        ("dx_date", Role::Clinical(Diagnosis)),
        ("diagnosis_delta", Role::Clinical(Diagnosis)),
        ("diagnosis_dt", Role::Clinical(Diagnosis)),
        ("date_diagnosis", Role::Clinical(Diagnosis)),
        ("diagnosis_days", Role::Clinical(Diagnosis)),
        ("dxdt", Role::Clinical(Diagnosis)),
        ("als_diagnosis_date", Role::Clinical(Diagnosis)),
        ("date_of_als_diagnosis", Role::Clinical(Diagnosis)),
        ("date_of_birth", Role::Clinical(Birth)),
        ("birth_date", Role::Clinical(Birth)),
        ("dob", Role::Clinical(Birth)),
        ("birthdate", Role::Clinical(Birth)),
        ("birth_dt", Role::Clinical(Birth)),
        ("date_birth", Role::Clinical(Birth)),
        ("birth_delta", Role::Clinical(Birth)),
        ("birth_days", Role::Clinical(Birth)),
        ("brthdt", Role::Clinical(Birth)),
        ("birthdt", Role::Clinical(Birth)),
        ("age_at_onset", Role::Clinical(AgeAtOnset)),
        ("onset_age", Role::Clinical(AgeAtOnset)),
        ("age_onset", Role::Clinical(AgeAtOnset)),
        ("age_at_symptom_onset", Role::Clinical(AgeAtOnset)),
        ("ageonset", Role::Clinical(AgeAtOnset)),
        ("age_at_first_symptom", Role::Clinical(AgeAtOnset)),
        ("age", Role::Clinical(Age)),
        ("age_years", Role::Clinical(Age)),
        ("age_at_enrolment", Role::Clinical(Age)),
        ("age_at_enrollment", Role::Clinical(Age)),
        ("age_at_baseline", Role::Clinical(Age)),
        ("age_baseline", Role::Clinical(Age)),
        ("age_at_inclusion", Role::Clinical(Age)),
        ("site_of_onset", Role::Clinical(SiteOfOnset)),
        ("onset_site", Role::Clinical(SiteOfOnset)),
        ("site_onset", Role::Clinical(SiteOfOnset)),
        ("region_of_onset", Role::Clinical(SiteOfOnset)),
        ("onset_region", Role::Clinical(SiteOfOnset)),
        ("onset_location", Role::Clinical(SiteOfOnset)),
        ("site_of_symptom_onset", Role::Clinical(SiteOfOnset)),
        ("onset_type", Role::Clinical(SiteOfOnset)),
        ("symptom_onset_site", Role::Clinical(SiteOfOnset)),
        ("site_of_first_symptoms", Role::Clinical(SiteOfOnset)),
        ("first_symptom_site", Role::Clinical(SiteOfOnset)),
        ("bulbar_onset", Role::Clinical(BulbarOnset)),
        ("onset_bulbar", Role::Clinical(BulbarOnset)),
        ("is_bulbar_onset", Role::Clinical(BulbarOnset)),
        ("bulbar_onset_yn", Role::Clinical(BulbarOnset)),
        ("el_escorial", Role::Clinical(ElEscorial)),
        ("el_escorial_category", Role::Clinical(ElEscorial)),
        ("elescorial", Role::Clinical(ElEscorial)),
        ("el_escorial_criteria", Role::Clinical(ElEscorial)),
        ("el_escorial_classification", Role::Clinical(ElEscorial)),
        ("eec", Role::Clinical(ElEscorial)),
        ("eec_category", Role::Clinical(ElEscorial)),
        ("el_escorial_diagnosis", Role::Clinical(ElEscorial)),
        ("diagnostic_category", Role::Clinical(ElEscorial)),
        ("revised_el_escorial", Role::Clinical(ElEscorial)),
        ("ftd", Role::Clinical(Ftd)),
        ("ftd_diagnosis", Role::Clinical(Ftd)),
        ("frontotemporal_dementia", Role::Clinical(Ftd)),
        ("als_ftd", Role::Clinical(Ftd)),
        ("ftd_yn", Role::Clinical(Ftd)),
        ("has_ftd", Role::Clinical(Ftd)),
        ("ftd_status", Role::Clinical(Ftd)),
        ("comorbid_ftd", Role::Clinical(Ftd)),
        ("c9orf72", Role::Clinical(C9orf72)),
        ("c9", Role::Clinical(C9orf72)),
        ("c9orf72_status", Role::Clinical(C9orf72)),
        ("c9orf72_expansion", Role::Clinical(C9orf72)),
        ("c9_status", Role::Clinical(C9orf72)),
        ("c9orf72_repeat_expansion", Role::Clinical(C9orf72)),
        ("c9orf72_positive", Role::Clinical(C9orf72)),
        ("c9_expansion", Role::Clinical(C9orf72)),
        ("c9orf72_mutation", Role::Clinical(C9orf72)),
        ("c9orf72_result", Role::Clinical(C9orf72)),
        ("speech", Role::Item(1)),
        ("salivation", Role::Item(2)),
        ("swallowing", Role::Item(3)),
        ("handwriting", Role::Item(4)),
        ("cutting_food", Role::Item(5)),
        ("cutting", Role::Item(5)),
        ("dressing_and_hygiene", Role::Item(6)),
        ("dressing", Role::Item(6)),
        ("turning_in_bed", Role::Item(7)),
        ("walking", Role::Item(8)),
        ("climbing_stairs", Role::Item(9)),
        ("dyspnea", Role::Item(10)),
        ("dyspnoea", Role::Item(10)),
        ("orthopnea", Role::Item(11)),
        ("orthopnoea", Role::Item(11)),
        ("respiratory_insufficiency", Role::Item(12)),
    ];
    NAMED.iter().find(|(k, _)| *k == n).map(|(_, r)| r.clone())
}

/// Prefixes an item number may follow (longest first).
const ITEM_PREFIXES: [&str; 7] = [
    "alsfrs_r_",
    "als_frs_r_",
    "alsfrsr_",
    "als_frs_",
    "alsfrs_",
    "frs_r_",
    "frs_",
];

/// An item column: `q1`…`q12`, `q5a`/`q5b`, `item1`, `q_3`, `alsfrs_r_q3`, `ALSFRS_Q5a`,
/// `ALSFRS_1_Speech`, `alsfrs_12`, Answer ALS `alsfrs1`…`alsfrs9`, `alsfrs5a`, `alsfrsr1`–`3`,
/// PRO-ACT `Q1_Speech`, `Q5a_Cutting_without_Gastrostomy`, `Q10_Respiratory` (original ALSFRS),
/// `R_1_Dyspnea`…`R_3_Respiratory_Insufficiency`, NEALS `p1`…`p10` (p10: original ALSFRS item
/// 10), `x1r`–`x3r`, and `1. Speech`. The flag is true for a bare number after a prefix
/// (`alsfrs_3`), which a wide file may use for a visit month: the caller decides by context.
pub(super) fn item(n: &str) -> Option<(Role, bool)> {
    // Answer ALS, no separator: alsfrs1, alsfrs5a, alsfrsr1.
    if let Some(d) = n.strip_prefix("alsfrsr") {
        if let Ok(k @ 1..=3) = d.parse::<u8>() {
            return Some((Role::Item(9 + k), false));
        }
    }
    if let Some(d) = n.strip_prefix("alsfrs") {
        if let Some(r) = numbered(d) {
            return Some((r, false));
        }
    }
    let (prefixed, rest) = ITEM_PREFIXES
        .iter()
        .find_map(|p| n.strip_prefix(p).map(|r| (true, r)))
        .unwrap_or((false, n));
    // NEALS: p1…p10, x1r…x3r.
    if !prefixed {
        if let Some(d) = rest.strip_prefix('p') {
            if let Ok(k @ 1..=10) = d.parse::<u8>() {
                return Some((
                    if k == 10 {
                        Role::AlsfrsQ10
                    } else {
                        Role::Item(k)
                    },
                    false,
                ));
            }
        }
        if let Some(d) = rest.strip_prefix('x').and_then(|d| d.strip_suffix('r')) {
            if let Ok(k @ 1..=3) = d.parse::<u8>() {
                return Some((Role::Item(9 + k), false));
            }
        }
    }
    // R1…R3 (ALSFRS-R respiratory items), with or without `_` and a word.
    if let Some(d) = rest.strip_prefix('r') {
        let d = d.strip_prefix('_').unwrap_or(d);
        let (num, word) = split_number(d);
        if let (Ok(k @ 1..=3), true) = (num.parse::<u8>(), word.is_empty() || word_ok(word)) {
            return Some((Role::Item(9 + k), false));
        }
    }
    for p in ["q", "item", "question"] {
        if let Some(d) = rest.strip_prefix(p) {
            let d = d.strip_prefix('_').unwrap_or(d);
            if let Some(r) = numbered(d) {
                return Some((r, false));
            }
        }
    }
    // A bare number: after a prefix (`alsfrs_3`, `ALSFRS_1_Speech`) or before a word (`1_speech`).
    let (num, word) = split_number(rest);
    if !num.is_empty() && (prefixed || !word.is_empty()) {
        let r = numbered(rest)?;
        return Some((r, prefixed && word.is_empty()));
    }
    None
}

/// `3`, `5a`, `5b`, `10_respiratory`, `1_speech`: the item; a word after the number must start
/// with a letter. Item 10 named "respiratory" (not dyspnoea) is the original ALSFRS item.
fn numbered(d: &str) -> Option<Role> {
    let (num, word) = split_number(d);
    let k: u8 = num.parse().ok()?;
    if !(1..=12).contains(&k) || !(word.is_empty() || word_ok(word)) {
        return None;
    }
    // `5a`, `5b`, `5a_cutting…`: the form letter right after the number.
    let letter = word
        .strip_prefix(['a', 'b'])
        .filter(|w| w.is_empty() || w.starts_with('_'))
        .and(word.bytes().next());
    match (k, letter) {
        (5, Some(b'b')) => return Some(Role::Item5b),
        (5, Some(_)) => return Some(Role::Item5a),
        (_, Some(_)) => return None,
        // A lone letter other than a form (`q5c`, `q3x`) names no item.
        _ if word.len() == 1 => return None,
        _ => {}
    }
    if k == 5 && word.contains("with_gastrostomy") && !word.contains("without") {
        return Some(Role::Item5b);
    }
    if k == 5 && word.contains("without_gastrostomy") {
        return Some(Role::Item5a);
    }
    if k == 10 && word.starts_with("respiratory") && !word.contains("insufficiency") {
        return Some(Role::AlsfrsQ10);
    }
    Some(Role::Item(k))
}

/// Leading digits and what follows them, without a `_` between.
fn split_number(d: &str) -> (&str, &str) {
    let end = d.bytes().take_while(u8::is_ascii_digit).count();
    let (num, word) = d.split_at(end);
    (num, word.strip_prefix('_').unwrap_or(word))
}

/// A word after an item number starts with a letter (`speech`, `a`, `b_cutting`).
fn word_ok(w: &str) -> bool {
    w.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// A bare `<prefix>_<k>` item name (`alsfrs_3`): a wide file may mean month k by it.
pub(super) fn is_bare_item(n: &str) -> bool {
    item(n).is_some_and(|(_, bare)| bare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::columns::{guess_header, normalize};

    fn g(h: &str) -> Option<Role> {
        guess_header(h)
    }

    #[test]
    fn guesses() {
        assert_eq!(g("subject"), Some(Role::Patient));
        assert_eq!(g("arm"), Some(Role::Group));
        assert_eq!(g("visit_date"), Some(Role::Date));
        assert_eq!(g("weeks"), Some(Role::Weeks));
        assert_eq!(g("alsfrs_r"), Some(Role::Measure(Measure::AlsfrsR)));
        assert_eq!(g("alsfrs"), Some(Role::Measure(Measure::Alsfrs)));
        assert_eq!(g("q12"), Some(Role::Item(12)));
        assert_eq!(g("q13"), None);
        assert_eq!(g("notes"), None);
    }

    /// PRO-ACT's headers, exactly as its tables write them.
    #[test]
    fn pro_act() {
        let cases: &[(&str, Role)] = &[
            ("subject_id", Role::Patient),
            ("Q1_Speech", Role::Item(1)),
            ("Q2_Salivation", Role::Item(2)),
            ("Q3_Swallowing", Role::Item(3)),
            ("Q4_Handwriting", Role::Item(4)),
            ("Q5a_Cutting_without_Gastrostomy", Role::Item5a),
            ("Q5b_Cutting_with_Gastrostomy", Role::Item5b),
            ("Q6_Dressing_and_Hygiene", Role::Item(6)),
            ("Q7_Turning_in_Bed", Role::Item(7)),
            ("Q8_Walking", Role::Item(8)),
            ("Q9_Climbing_Stairs", Role::Item(9)),
            ("Q10_Respiratory", Role::AlsfrsQ10),
            ("ALSFRS_Delta", Role::Days),
            ("ALSFRS_Total", Role::Measure(Measure::Alsfrs)),
            ("ALSFRS_R_Total", Role::Measure(Measure::AlsfrsR)),
            ("R_1_Dyspnea", Role::Item(10)),
            ("R_2_Orthopnea", Role::Item(11)),
            ("R_3_Respiratory_Insufficiency", Role::Item(12)),
            ("R1_Dyspnea", Role::Item(10)),
            ("R3_Respiratory_Insufficiency", Role::Item(12)),
            ("Subject_Liters_Trial_1", Role::FvcLitres),
            ("pct_of_Normal_Trial_1", Role::FvcTrial(1)),
            ("pct_of_Normal_Trial_3", Role::FvcTrial(3)),
            ("Forced_Vital_Capacity_Delta", Role::Days),
            ("Study_Arm", Role::Group),
            ("Treatment_Group_Delta", Role::EventTime(String::new())),
            ("Subject_Died", Role::Clinical(Fact::Died)),
            ("Death_Days", Role::Clinical(Fact::Death)),
            ("Site_of_Onset", Role::Clinical(Fact::SiteOfOnset)),
            ("Onset_Delta", Role::Onset),
            ("Diagnosis_Delta", Role::Clinical(Fact::Diagnosis)),
            ("Age", Role::Clinical(Fact::Age)),
            ("Date_of_Birth", Role::Clinical(Fact::Birth)),
        ];
        for (h, r) in cases {
            assert_eq!(g(h).as_ref(), Some(r), "{h}");
        }
        for h in [
            "Mode_of_Administration",
            "ALSFRS_Responded_By",
            "Forced_Vital_Capacity_Units",
        ] {
            assert_eq!(g(h), None, "{h}");
        }
    }

    /// Answer ALS, LORIS, NEALS, REDCap, MOVR and clinic headers.
    #[test]
    fn registries_and_clinics() {
        let cases: &[(&str, Role)] = &[
            ("Participant_ID", Role::Patient),
            ("Visit_Name", Role::VisitName),
            ("Visit_Date", Role::Date),
            ("alsfrs1", Role::Item(1)),
            ("alsfrs9", Role::Item(9)),
            ("alsfrs5a", Role::Item5a),
            ("alsfrs5b", Role::Item5b),
            ("alsfrsr1", Role::Item(10)),
            ("alsfrsr3", Role::Item(12)),
            ("alsfrst", Role::Measure(Measure::AlsfrsR)),
            ("alsfrsdt", Role::DateOrDays),
            ("ALSFRS_1_Speech", Role::Item(1)),
            ("ALSFRS_12_RespiratoryInsufficiency", Role::Item(12)),
            ("ALSFRS_TotalScore", Role::Measure(Measure::Alsfrs)),
            ("ALSFRS_GastrostomyPresent", Role::Gastrostomy),
            ("SymptomOnset_Date", Role::Onset),
            ("PSCID", Role::Patient),
            ("ALSFRS_Q1", Role::Item(1)),
            ("ALSFRS_Q12", Role::Item(12)),
            ("ALSFRS_Q5a", Role::Item5a),
            ("ALSFRS_Q5b", Role::Item5b),
            ("subjid", Role::Patient),
            ("visdy", Role::Days),
            ("p1", Role::Item(1)),
            ("p9", Role::Item(9)),
            ("p10", Role::AlsfrsQ10),
            ("x1r", Role::Item(10)),
            ("x3r", Role::Item(12)),
            ("record_id", Role::Patient),
            ("redcap_event_name", Role::VisitName),
            ("FACPATID", Role::Patient),
            ("encntdt", Role::Date),
            ("alsfrsr", Role::Measure(Measure::AlsfrsR)),
            ("1. Speech", Role::Item(1)),
            ("12. Respiratory insufficiency", Role::Item(12)),
            ("Total Score", Role::Total),
            (
                "ALSFRS-R total score (0-48)",
                Role::Measure(Measure::AlsfrsR),
            ),
            ("ALSFRS total (0-40)", Role::Measure(Measure::Alsfrs)),
            ("alsfrs_1", Role::Item(1)),
            ("alsfrs_12", Role::Item(12)),
            ("FVC (% pred.)", Role::Measure(Measure::Fvc)),
            ("FVC (L)", Role::FvcLitres),
            ("FVC (litres)", Role::FvcLitres),
            ("FVC % predicted", Role::Measure(Measure::Fvc)),
            ("death_date", Role::Clinical(Fact::Death)),
            ("date_of_death", Role::Clinical(Fact::Death)),
            ("died", Role::Clinical(Fact::Died)),
            ("tracheostomy_date", Role::Clinical(Fact::Tracheostomy)),
            ("niv_date", Role::Clinical(Fact::Ventilation)),
            ("gastrostomy_date", Role::Clinical(Fact::GastrostomyDate)),
            ("last_contact", Role::Clinical(Fact::LastContact)),
            ("diagnosis_date", Role::Clinical(Fact::Diagnosis)),
            ("age_at_onset", Role::Clinical(Fact::AgeAtOnset)),
            ("bulbar_onset", Role::Clinical(Fact::BulbarOnset)),
            ("el_escorial", Role::Clinical(Fact::ElEscorial)),
            ("ftd", Role::Clinical(Fact::Ftd)),
            ("C9orf72", Role::Clinical(Fact::C9orf72)),
        ];
        for (h, r) in cases {
            assert_eq!(g(h).as_ref(), Some(r), "{h}");
        }
        // Bare numbered names are flagged (a wide file may mean a month by them); named and
        // q-forms are not.
        assert!(is_bare_item(&normalize("ALSFRS_3")));
        assert!(!is_bare_item(&normalize("ALSFRS_3_Swallowing")));
        assert!(!is_bare_item("q3"));
        assert_eq!(g("q5c"), None);
        assert_eq!(g("q3a"), None);
        assert_eq!(g("alsfrs_13"), None);
        assert_eq!(g("2_3"), None);
    }
}
