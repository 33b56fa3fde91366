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
/// ~18 KB of wasm code in the page's start module; a table of a string and a role per name was
/// ~1 KB more of the page's weight than these runs).
fn named(n: &str) -> Option<Role> {
    use Fact::*;
    // Runs of names of one role, each run one string of names separated by spaces (47 entries
    // instead of 383: a pointer, a length and a role each, in the page's wasm).
    const NAMED: &[(Role, &str)] = &[
        (
            Role::Patient,
            "id patient patient_id patientid subject subject_id subjectid pid \
             participant participant_id participantid case case_id patient_no \
             patient_number record_id pscid subjid facpatid usubjid guid study_id \
             subject_no subject_number patient_code patno subj_id subject_code pt_id \
             ptid participant_code",
        ),
        (
            Role::Group,
            "group arm cohort treatment_group study_arm group_name treatment_arm \
             arm_name randomization_group randomisation_group randomized_arm \
             randomised_arm trt_group allocation treatment_allocation",
        ),
        (
            Role::Date,
            "date visit_date visitdate assessment_date exam_date date_of_visit \
             visit_dt encntdt encounter_date alsfrs_date alsfrs_r_date alsfrsr_date \
             date_of_assessment assessment_dt exam_dt visdat visit_datetime fvc_date \
             test_date date_of_exam evaluation_date clinic_date consultation_date \
             date_taken",
        ),
        (
            Role::DateOrDays,
            "alsfrsdt alsfrs_dt alsfrsrdt alsfrs_r_dt fvcdt fvc_dt",
        ),
        (
            Role::Months,
            "month months time_months months_from_baseline month_from_baseline \
             time_month visit_month month_of_visit months_since_baseline \
             months_since_enrolment months_since_enrollment time_in_months \
             months_from_enrollment months_from_enrolment study_month",
        ),
        (
            Role::Weeks,
            "week weeks time_weeks weeks_from_baseline visit_week study_week \
             weeks_since_baseline time_in_weeks",
        ),
        (
            Role::Days,
            "day days study_day time_days days_from_baseline visdy visit_day visitdy \
             days_since_baseline days_since_enrolment days_since_enrollment \
             days_from_enrollment days_from_enrolment time_in_days alsfrs_delta \
             alsfrs_r_delta alsfrsr_delta forced_vital_capacity_delta fvc_delta \
             visit_delta delta study_days ady",
        ),
        (
            Role::VisitName,
            "visit visit_name visitname visit_label redcap_event_name event_name \
             timepoint time_point visit_code",
        ),
        (
            Role::Onset,
            "onset onset_date symptom_onset date_of_onset symptom_onset_date onset_dt \
             symptomonset_date onset_delta date_of_symptom_onset symptom_onset_dt \
             first_symptom_date date_of_first_symptom date_of_first_symptoms \
             als_onset_date date_onset onsetdt symptom_onset_delta onset_days",
        ),
        (
            Role::Event,
            "event events injection treatment intervention dose event_label",
        ),
        (
            Role::EventTime(String::new()),
            "treatment_group_delta treatment_start treatment_start_date \
             treatment_start_delta",
        ),
        (
            Role::Measure(Measure::AlsfrsR),
            "alsfrs_r alsfrsr alsfrs_r_total alsfrs_r_score alsfrs_revised \
             alsfrs_r_sum frs_r alsfrsr_total alsfrs_r_total_score alsfrst alsfrs_rt \
             alsfrsrt alsfrs_r_tot alsfrsr_tot als_frs_r als_frs_r_total \
             alsfrs_revised_total total_alsfrs_r alsfrsr_score alsfrs_r_totalscore",
        ),
        (
            Role::Measure(Measure::Alsfrs),
            "alsfrs als_frs alsfrs_total alsfrs_score als_frs_total alsfrs_totalscore \
             alsfrs_total_score alsfrs_tot als_frs_score",
        ),
        (
            Role::Total,
            "total total_score totalscore sum_score score_total total_points",
        ),
        (
            Role::Measure(Measure::Aals),
            "aals appel appel_score appel_als appel_als_score aals_score aals_total",
        ),
        (
            Role::Measure(Measure::AlsfrsRBulbar),
            "bulbar alsfrs_r_bulbar",
        ),
        (
            Role::Measure(Measure::AlsfrsRFineMotor),
            "fine_motor alsfrs_r_fine_motor finemotor",
        ),
        (
            Role::Measure(Measure::AlsfrsRGrossMotor),
            "gross_motor alsfrs_r_gross_motor grossmotor",
        ),
        (
            Role::Measure(Measure::AlsfrsRRespiratory),
            "respiratory alsfrs_r_respiratory",
        ),
        (
            Role::Gastrostomy,
            "gastrostomy alsfrs_gastrostomypresent gastrostomy_present \
             gastrostomypresent peg has_gastrostomy feeding_tube alsfrs_gastrostomy \
             gastrostomy_yn",
        ),
        (
            Role::Clinical(Death),
            "death_date date_of_death death_dt dod deathdate date_died died_date \
             death_days death_delta date_death death_day dt_death deathdt",
        ),
        (
            Role::Clinical(Died),
            "died subject_died deceased death dead vital_status death_status \
             death_flag is_dead",
        ),
        (
            Role::Clinical(Tracheostomy),
            "tracheostomy_date date_of_tracheostomy tracheostomy trach_date \
             tracheostomy_days tracheostomy_delta tracheotomy_date tracheostomy_dt \
             date_tracheostomy tiv_date invasive_ventilation_date",
        ),
        (
            Role::Clinical(Ventilation),
            "niv_date pav_date permanent_ventilation_date permanent_ventilation \
             ventilation_date date_of_permanent_ventilation niv_22h_date pav pav_days \
             pav_delta permanent_assisted_ventilation \
             permanent_assisted_ventilation_date",
        ),
        (
            Role::Clinical(GastrostomyDate),
            "gastrostomy_date peg_date rig_date date_of_gastrostomy feeding_tube_date \
             gastrostomy_days gastrostomy_delta gastrostomy_dt peg_insertion_date \
             date_of_peg",
        ),
        (
            Role::Clinical(LastContact),
            "last_contact last_contact_date last_followup last_follow_up \
             last_followup_date last_follow_up_date date_last_seen last_seen \
             last_known_alive last_known_alive_date lkad date_of_last_contact \
             censor_date last_contact_days last_contact_delta",
        ),
        (
            Role::Clinical(Diagnosis),
            "diagnosis_date date_of_diagnosis dx_date diagnosis_delta diagnosis_dt \
             date_diagnosis diagnosis_days dxdt als_diagnosis_date \
             date_of_als_diagnosis",
        ),
        (
            Role::Clinical(Birth),
            "date_of_birth birth_date dob birthdate birth_dt date_birth birth_delta \
             birth_days brthdt birthdt",
        ),
        (
            Role::Clinical(AgeAtOnset),
            "age_at_onset onset_age age_onset age_at_symptom_onset ageonset \
             age_at_first_symptom",
        ),
        (
            Role::Clinical(Age),
            "age age_years age_at_enrolment age_at_enrollment age_at_baseline \
             age_baseline age_at_inclusion",
        ),
        (
            Role::Clinical(SiteOfOnset),
            "site_of_onset onset_site site_onset region_of_onset onset_region \
             onset_location site_of_symptom_onset onset_type symptom_onset_site \
             site_of_first_symptoms first_symptom_site",
        ),
        (
            Role::Clinical(BulbarOnset),
            "bulbar_onset onset_bulbar is_bulbar_onset bulbar_onset_yn",
        ),
        (
            Role::Clinical(ElEscorial),
            "el_escorial el_escorial_category elescorial el_escorial_criteria \
             el_escorial_classification eec eec_category el_escorial_diagnosis \
             diagnostic_category revised_el_escorial",
        ),
        (
            Role::Clinical(Ftd),
            "ftd ftd_diagnosis frontotemporal_dementia als_ftd ftd_yn has_ftd \
             ftd_status comorbid_ftd",
        ),
        (
            Role::Clinical(C9orf72),
            "c9orf72 c9 c9orf72_status c9orf72_expansion c9_status \
             c9orf72_repeat_expansion c9orf72_positive c9_expansion c9orf72_mutation \
             c9orf72_result",
        ),
        (Role::Item(1), "speech"),
        (Role::Item(2), "salivation"),
        (Role::Item(3), "swallowing"),
        (Role::Item(4), "handwriting"),
        (Role::Item(5), "cutting_food cutting"),
        (Role::Item(6), "dressing_and_hygiene dressing"),
        (Role::Item(7), "turning_in_bed"),
        (Role::Item(8), "walking"),
        (Role::Item(9), "climbing_stairs"),
        (Role::Item(10), "dyspnea dyspnoea"),
        (Role::Item(11), "orthopnea orthopnoea"),
        (Role::Item(12), "respiratory_insufficiency"),
    ];
    NAMED
        .iter()
        .find(|(_, names)| names.split(' ').any(|k| k == n))
        .map(|(r, _)| r.clone())
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
