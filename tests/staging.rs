//! Issue #23 wired to the data: stages per visit from input text (5a vs 5b, death, missing
//! items), the TRICALS risk profile from input text (the arithmetic shown), the ΔFS classes and
//! the grouping by class, the plausibility checks (each naming its line), and the JSON fields.
//! The rules themselves are unit-tested in `src/staging/`.

use als_progression::analysis::{Analysis, PatientResult, StagingSystem};
use als_progression::data::Measure;
use als_progression::diag::{DiagKind, Diagnostic};
use als_progression::pipeline;
use als_progression::settings::{GroupBy, Settings};
use als_progression::staging::progression::{DeltaFsCutoffs, ProgressionClass};
use als_progression::staging::tricals::TricalsInput;

fn settings() -> Settings {
    Settings {
        mixed_models: false,
        d50: false,
        ..Settings::default()
    }
}

fn run(text: &str) -> Analysis {
    pipeline::run(text, &settings()).unwrap()
}

fn patient<'a>(a: &'a Analysis, id: &str) -> &'a PatientResult {
    a.patients
        .iter()
        .find(|p| &*p.id == id && p.measure == Measure::AlsfrsR)
        .unwrap_or_else(|| panic!("no ALSFRS-R result of {id}"))
}

fn implausible(a: &Analysis) -> Vec<&Diagnostic> {
    a.diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::Implausible)
        .collect()
}

const ITEMS: &str = "q1,q2,q3,q4,q5a,q5b,q6,q7,q8,q9,q10,q11,q12";

/// King's and MiToS of each visit, as written in JSON (`kings` "0"…"5"/null, `mitos` 0–5/null).
fn stages_of(a: &Analysis, id: &str) -> Vec<(Option<String>, Option<u8>)> {
    a.stages
        .iter()
        .filter(|s| &*s.id == id)
        .map(|s| (s.kings.map(|k| k.to_string()), s.mitos.map(u8::from)))
        .collect()
}

/// One patient through the King's stages: all items 4 (stage 0, not recoded to 1), bulbar
/// involvement (1), gastrostomy read from item 5b answered instead of 5a (4A), item 12 = 2 with
/// 5b (4B wins over 4A; MiToS breathing lost at item 12 ≤ 2), then a visit after the death date
/// (5 in both systems, Balendra 2014 / Chiò 2015: death is stage 5).
#[test]
fn stages_per_visit_from_text_5a_5b_and_death() {
    let text = format!(
        "id,date,onset_date,death_date,{ITEMS}\n\
         S1,2020-01-01,2019-06-01,,4,4,4,4,4,,4,4,4,4,4,4,4\n\
         S1,2020-04-01,,,3,4,4,4,4,,4,4,4,4,4,4,4\n\
         S1,2020-07-01,,,3,4,4,3,,2,4,4,3,4,4,4,4\n\
         S1,2020-10-01,,,3,3,3,3,,1,3,3,2,3,3,3,2\n\
         S1,2021-01-01,,2020-12-01,2,2,2,2,,1,2,2,1,2,2,2,1\n"
    );
    let a = run(&text);
    let s = |k: &str, m: u8| (Some(k.to_string()), Some(m));
    assert_eq!(
        stages_of(&a, "S1"),
        [s("0", 0), s("1", 0), s("4A", 0), s("4B", 1), s("5", 5)]
    );
    let rows: Vec<_> = a.stages.iter().collect();
    assert!(
        rows[0].kings_reason.starts_with("0: no region involved"),
        "{}",
        rows[0].kings_reason
    );
    assert!(
        rows[2]
            .kings_reason
            .starts_with("4A (gastrostomy): item 5b answered"),
        "{}",
        rows[2].kings_reason
    );
    assert!(
        rows[3].kings_reason.starts_with("4B (respiratory failure)"),
        "{}",
        rows[3].kings_reason
    );
    assert!(
        rows[3].mitos_reason.contains("breathing"),
        "{}",
        rows[3].mitos_reason
    );
    assert_eq!(rows[4].kings_reason, "5: death");
    // Dates and times on the analysis's axis (no event: origin = first visit).
    assert_eq!(rows[1].date.unwrap().iso(), "2020-04-01");
    assert!(
        (rows[1].t - 91.0 / (365.25 / 12.0)).abs() < 1e-12,
        "{}",
        rows[1].t
    );
    // The parser reports the visit after death (not repeated by the checks).
    assert!(a
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::Endpoint && d.line == Some(6)));
    assert!(implausible(&a).is_empty(), "{:?}", implausible(&a));
    // Times to each King's level from onset (2019-06-01): level 0 and 1 at the first visits, 2
    // and 3 reached by the 4A visit at the latest (milestones), 4 there, 5 at the death day.
    let kt = a
        .stage_times
        .iter()
        .find(|t| &*t.id == "S1" && t.system == StagingSystem::Kings)
        .unwrap();
    let m = |days: f64| Some(days / (365.25 / 12.0));
    assert_eq!(
        kt.from_onset,
        [m(214.0), m(305.0), m(396.0), m(396.0), m(396.0), m(549.0)]
    );
    assert_eq!(kt.from_first_event, [None; 6], "no event");
}

/// Each patient entry carries its latest stages with the rule that fired (the page's patient
/// table): stage 5 at a dated death after the last visit (Balendra 2014 / Chiò 2015: death is
/// stage 5), else the last visit's stages (a visit after the death is itself stage 5), or that
/// visit's missing items when it is undetermined; `death_t` on the analysis's axis, with or
/// without items. Origin = first visit (no events); a month is 365.25 / 12 days.
#[test]
fn latest_stages_and_death_on_each_patient_entry() {
    let text = format!(
        "id,date,death_date,alsfrs_r,{ITEMS}\n\
         D1,2020-01-01,,,4,4,4,4,4,,4,4,4,4,4,4,4\n\
         D1,2020-04-01,2020-06-01,,3,4,4,4,4,,4,4,4,4,4,4,4\n\
         V1,2020-01-01,2020-03-01,,3,4,4,4,4,,4,4,4,4,4,4,4\n\
         V1,2020-04-01,,,3,4,4,4,4,,4,4,4,4,4,4,4\n\
         A1,2020-01-01,,,4,4,4,3,4,,4,4,4,4,4,4,4\n\
         A1,2020-03-01,,,4,4,4,4,4,,4,4,4,4,4,4,\n\
         N1,2020-01-01,2020-05-01,40,,,,,,,,,,,,,\n\
         N1,2020-03-01,,38,,,,,,,,,,,,,\n"
    );
    let a = run(&text);
    let month = 365.25 / 12.0;
    // D1: died 61 days after its last visit (stage 1): King's and MiToS 5 at the death.
    let d1 = patient(&a, "D1");
    assert_eq!(
        d1.staging().latest_kings.map(|k| k.to_string()).as_deref(),
        Some("5")
    );
    assert_eq!(d1.staging().latest_mitos.map(u8::from), Some(5));
    assert_eq!(
        d1.staging().latest_kings_reason.as_deref(),
        Some("5: death")
    );
    assert_eq!(
        d1.staging().latest_mitos_reason.as_deref(),
        Some("5: death")
    );
    let death = (91.0 + 61.0) / month;
    assert!(
        (d1.staging().death_t.unwrap() - death).abs() < 1e-12,
        "{:?}",
        d1.staging().death_t
    );
    assert_eq!(d1.staging().latest_stage_t, d1.staging().death_t);
    // V1: a visit after the death (2020-03-01) is staged 5 itself; the latest is that visit.
    let v1 = patient(&a, "V1");
    assert_eq!(
        v1.staging().latest_kings.map(|k| k.to_string()).as_deref(),
        Some("5")
    );
    assert!((v1.staging().latest_stage_t.unwrap() - 91.0 / month).abs() < 1e-12);
    assert!((v1.staging().death_t.unwrap() - 60.0 / month).abs() < 1e-12);
    // A1: alive; its last visit misses item 12, on which King's depends (all else 4): null with
    // the missing item named, not the earlier visit's stage 1.
    let a1 = patient(&a, "A1");
    assert_eq!(a1.staging().latest_kings, None);
    assert!(
        a1.staging()
            .latest_kings_reason
            .as_deref()
            .unwrap()
            .contains("item 12"),
        "{:?}",
        a1.staging().latest_kings_reason
    );
    assert!((a1.staging().latest_stage_t.unwrap() - 60.0 / month).abs() < 1e-12);
    assert_eq!(a1.staging().death_t, None);
    // N1: no items, so no stages; its death still has its time.
    let n1 = patient(&a, "N1");
    assert_eq!(
        (n1.staging().latest_kings, n1.staging().latest_mitos),
        (None, None)
    );
    assert_eq!(
        (
            n1.staging().latest_kings_reason.as_deref(),
            n1.staging().latest_stage_t
        ),
        (None, None)
    );
    assert!((n1.staging().death_t.unwrap() - 121.0 / month).abs() < 1e-12);
    // The CSV carries the same (one row per patient and measure).
    let csv = als_progression::output::to_csv(&a);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for col in [
        "latest_kings",
        "latest_kings_reason",
        "latest_mitos",
        "latest_mitos_reason",
        "latest_stage_t",
        "death_t",
    ] {
        assert!(header.contains(&col), "{col} in {header:?}");
    }
    let row = csv.lines().find(|l| l.starts_with("D1,")).unwrap();
    assert!(row.contains(",5,5: death,5,5: death,"), "{row}");
}

/// A missing item leaves a stage empty only when the stage depends on it: with item 12 = 2 the
/// King's stage is 4B whatever items 1–3 are, while MiToS (swallowing, item 3) is undetermined;
/// with item 12 missing and everything else 4, King's depends on item 12 (null, reason names it).
#[test]
fn missing_items_leave_a_stage_empty_only_when_it_depends_on_them() {
    let text = format!(
        "id,date,{ITEMS}\n\
         M1,2020-01-01,4,4,4,4,4,,4,4,4,4,4,4,\n\
         M1,2020-03-01,,,,4,4,,4,4,4,4,4,4,2\n"
    );
    let a = run(&text);
    assert_eq!(
        stages_of(&a, "M1"),
        [(None, None), (Some("4B".into()), None)]
    );
    assert!(
        a.stages[0].kings_reason.contains("item 12"),
        "{}",
        a.stages[0].kings_reason
    );
    assert!(
        a.stages[0].mitos_reason.contains("item 12"),
        "{}",
        a.stages[0].mitos_reason
    );
    assert!(
        a.stages[1].mitos_reason.contains("item 3"),
        "{}",
        a.stages[1].mitos_reason
    );
    assert!(!a.stages[1].mitos_reason.contains("item 12"));
}

/// Data without items has no stages at all (no empty rows, no stage mix).
#[test]
fn no_items_no_stages() {
    let a = run("id,date,alsfrs_r\nA,2020-01-01,40\nA,2020-03-01,38\n");
    assert!(a.stages.is_empty() && a.stage_times.is_empty() && a.stage_mix.is_empty());
}

/// Five patients of the TRICALS risk profile from input text (Westeneng et al. 2018: LP =
/// −1.839·tSLOPE − 2.376·tDXDELAY − 0.264·tAGE + 0.474·tFVC + 0.271·bulbar + 0.238·definite
/// + 0.415·FTD), the baseline being each patient's first visit and months = days / 30.4375:
///
/// - A: onset 2019-01-01, diagnosis 2019-07-01 (181 d = 5.946612 mo), first visit 2019-10-01
///   (273 d = 8.969199 mo) ALSFRS-R 40, FVC 90; age 60; spinal, probable, no FTD.
///   SLOPE = (40 − 48)/8.969199 = −0.891941; tSLOPE = (0.891941 + 0.1)^−0.5 = 1.004054;
///   tDX = (0.594661)^−0.5 + ln 0.594661 = 1.296776 − 0.519763 = 0.777013; tAGE = 0.6^−2 =
///   2.777778; tFVC = 0.9^−1 + 0.9^−0.5 = 1.111111 + 1.054093 = 2.165204;
///   LP = −1.846455 − 1.846183 − 0.733333 + 1.026307 = −3.399665.
/// - B: born 1950-06-15, onset 2020-03-01 (25462 d = 69.711157 y), diagnosis 2020-09-01 (184 d
///   = 6.045175 mo), first visit 2020-10-01 (214 d = 7.030801 mo) ALSFRS-R 36, FVC 70; bulbar,
///   definite, FTD. SLOPE = −12/7.030801 = −1.706776; tSLOPE = 0.743957; tDX = 0.782837; tAGE =
///   0.697112^−2 = 2.057763; tFVC = 1.428571 + 1.195229 = 2.623800;
///   LP = −1.368132 − 1.860021 − 0.543250 + 1.243681 + 0.271 + 0.238 + 0.415 = −1.603726.
/// - D: onset 2021-02-10, diagnosis 2021-05-10 (89 d = 2.924025 mo), first visit 2021-08-10
///   (181 d = 5.946612 mo) ALSFRS-R 30, FVC 55; age 45; spinal, definite, no FTD.
///   SLOPE = −18/5.946612 = −3.026934; tSLOPE = 0.565510; tDX = 0.619685; tAGE = 4.938272;
///   tFVC = 1.818182 + 1.348400 = 3.166582; LP = −2.077089 (in the window −6 to −2).
/// - E: onset 2016-05-01, diagnosis 2018-05-01 (730 d = 23.983573 mo), first visit 2020-05-01
///   (1461 d = 48 mo) ALSFRS-R 44, FVC 110; age 72.5; bulbar, possible, no FTD.
///   SLOPE = −4/48 = −0.083333; tSLOPE = 0.183333^−0.5 = 2.335497; tDX = 2.398357^−0.5 + ln
///   2.398357 = 0.645718 + 0.874784 = 1.520502; tAGE = 0.725^−2 = 1.902497; tFVC = 0.909091 +
///   0.953463 = 1.862553; LP = −4.294979 − 3.612713 − 0.502259 + 0.882850 + 0.271 = −7.256101
///   (below the window).
/// - C (relative days, the transformations at their reference points): onset −608.75 d (20 mo
///   before the first visit), diagnosis −304.375 d (delay 10 mo: tDX = 1^−0.5 + ln 1 = 1),
///   ALSFRS-R 48 (SLOPE 0: tSLOPE = 0.1^−0.5 = 3.162278), age 100 (tAGE = 1), FVC 100 (tFVC =
///   1 + 1 = 2); spinal, definite, no FTD. LP = −5.815429 − 2.376 − 0.264 + 0.948 + 0.238 =
///   −7.269429.
#[test]
fn tricals_lp_from_text_for_five_patients() {
    let text = "id,date,onset_date,diagnosis_date,date_of_birth,age_at_onset,site_of_onset,el_escorial,ftd,alsfrs_r,fvc\n\
        A,2019-10-01,2019-01-01,2019-07-01,,60,spinal,probable,no,40,90\n\
        A,2020-01-01,,,,,,,,38,88\n\
        B,2020-10-01,2020-03-01,2020-09-01,1950-06-15,,bulbar,definite,yes,36,70\n\
        B,2021-01-01,,,,,,,,33,65\n\
        D,2021-08-10,2021-02-10,2021-05-10,,45,spinal,definite,no,30,55\n\
        E,2020-05-01,2016-05-01,2018-05-01,,72.5,bulbar,possible,no,44,110\n\
        F,2020-05-01,2019-05-01,,,50,spinal,,no,44,\n";
    let a = run(text);
    let expect = [
        ("A", -3.399665249070289, true),
        ("B", -1.6037260241462628, false),
        ("D", -2.0770891312519657, true),
        ("E", -7.2561009671114185, false),
    ];
    for (id, lp, eligible) in expect {
        let p = patient(&a, id);
        let got = p
            .staging()
            .tricals_lp
            .unwrap_or_else(|| panic!("{id}: {:?}", p.staging().tricals_missing));
        assert!((got - lp).abs() < 1e-9, "{id}: {got} vs {lp}");
        assert_eq!(p.staging().tricals_eligible, Some(eligible), "{id}");
        assert_eq!(p.staging().tricals_missing, None);
    }
    // Missing inputs: F has no diagnosis date, no El Escorial category and no FVC at baseline.
    let f = patient(&a, "F");
    assert_eq!(f.staging().tricals_lp, None);
    assert_eq!(
        f.staging().tricals_missing.as_deref(),
        Some(
            &[
                TricalsInput::DiagnosticDelay,
                TricalsInput::FvcPercent,
                TricalsInput::ElEscorialDefinite
            ][..]
        )
    );
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("missing diagnostic delay")),
        "{:?}",
        f.notes
    );

    let c = pipeline::run(
        "id,day,onset_days,diagnosis_days,age_at_onset,site_of_onset,el_escorial,ftd,alsfrs_r,fvc\n\
         C,0,-608.75,-304.375,100,spinal,definite,no,48,100\n\
         C,90,,,,,,,47,99\n",
        &settings(),
    )
    .unwrap();
    let lp = patient(&c, "C").staging().tricals_lp.unwrap();
    let hand = -1.839 * 0.1f64.powf(-0.5) - 2.376 * 1.0 - 0.264 * 1.0 + 0.474 * 2.0 + 0.238;
    assert!(
        (lp - hand).abs() < 1e-12 && (lp - -7.269428617049648).abs() < 1e-9,
        "{lp}"
    );
}

/// The window is a setting; its ends are included.
#[test]
fn tricals_window_is_a_setting() {
    let text = "id,date,onset_date,diagnosis_date,age_at_onset,site_of_onset,el_escorial,ftd,alsfrs_r,fvc\n\
        A,2019-10-01,2019-01-01,2019-07-01,60,spinal,probable,no,40,90\n";
    let a = run(text);
    assert_eq!(
        patient(&a, "A").staging().tricals_eligible,
        Some(true),
        "−3.40 in −6 to −2"
    );
    let s = Settings {
        tricals_window: als_progression::staging::tricals::EligibilityWindow::new(-3.0, -1.0)
            .unwrap(),
        ..settings()
    };
    let a = pipeline::run(text, &s).unwrap();
    assert_eq!(patient(&a, "A").staging().tricals_eligible, Some(false));
}

/// A diagnosis before onset makes the delay ≤ 0: no LP, the delay listed as unusable, and the
/// plausibility check names the diagnosis's line.
#[test]
fn diagnosis_before_onset_no_lp_and_a_warning() {
    let text = "id,date,onset_date,diagnosis_date,age_at_onset,site_of_onset,el_escorial,ftd,alsfrs_r,fvc\n\
        A,2019-10-01,2019-06-01,,60,spinal,probable,no,40,90\n\
        A,2020-01-01,,2019-05-01,,,,,38,88\n";
    let a = run(text);
    let p = patient(&a, "A");
    assert_eq!(
        p.staging().tricals_missing.as_deref(),
        Some(&[TricalsInput::DiagnosticDelay][..])
    );
    let w = implausible(&a);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].line, Some(3));
    assert!(w[0]
        .message
        .contains("onset of symptoms of patient A is after the diagnosis"));
}

/// Without any baseline column the profile is not attempted: null, not eight missing inputs.
#[test]
fn no_baseline_columns_no_profile_attempted() {
    let a = run("id,date,onset_date,alsfrs_r\nA,2020-01-01,2019-01-01,40\nA,2020-03-01,,38\n");
    let p = patient(&a, "A");
    assert_eq!(
        (p.staging().tricals_lp, &p.staging().tricals_missing),
        (None, &None)
    );
    // ΔFS = (48 − 40) / (365 / 30.4375) = 0.667: intermediate.
    assert_eq!(
        p.staging().delta_fs_class,
        Some(ProgressionClass::Intermediate)
    );
}

/// ΔFS classes with the default cut-offs (< 0.5, 0.5–1.0, > 1.0) and the second set (0.8 /
/// 1.35); the same class on every measure's entry of a patient; and the grouping by class.
#[test]
fn delta_fs_classes_and_grouping_by_class() {
    // ΔFS = (48 − score) / months from onset; onset 365.25 days (12 months) before.
    // Slow: 44 → 4/12 = 0.33; intermediate: 38 → 10/12 = 0.83; fast: 30 → 18/12 = 1.5.
    let text = "id,day,onset_days,group,alsfrs_r,fvc,event\n\
        S,0,-365.25,T,44,90,\nS,60,,T,43,89,inj\nS,120,,T,42,88,\nS,180,,T,41,87,\n\
        I,0,-365.25,T,38,90,\nI,60,,T,36,89,inj\nI,120,,T,35,88,\nI,180,,T,34,87,\n\
        F,0,-365.25,C,30,90,\nF,60,,C,27,89,inj\nF,120,,C,25,88,\nF,180,,C,23,87,\n\
        U,0,,C,40,90,\nU,60,,C,39,89,inj\nU,120,,C,38,88,\n";
    let a = run(text);
    let class = |a: &Analysis, id: &str| patient(a, id).staging().delta_fs_class;
    assert_eq!(class(&a, "S"), Some(ProgressionClass::Slow));
    assert_eq!(class(&a, "I"), Some(ProgressionClass::Intermediate));
    assert_eq!(class(&a, "F"), Some(ProgressionClass::Fast));
    assert_eq!(class(&a, "U"), None, "no onset");
    let fvc_i = a
        .patients
        .iter()
        .find(|p| &*p.id == "I" && p.measure == Measure::Fvc)
        .unwrap();
    assert_eq!(
        fvc_i.staging().delta_fs_class,
        Some(ProgressionClass::Intermediate)
    );

    let alt = Settings {
        delta_fs_cutoffs: DeltaFsCutoffs::Alternative,
        ..settings()
    };
    let b = pipeline::run(text, &alt).unwrap();
    assert_eq!(
        class(&b, "I"),
        Some(ProgressionClass::Intermediate),
        "0.83 in 0.8–1.35"
    );
    assert_eq!(class(&b, "F"), Some(ProgressionClass::Fast), "1.5 > 1.35");

    assert_eq!(a.groups, ["T", "C"]);
    let by = Settings {
        group_by: GroupBy::DeltaFsClass,
        ..settings()
    };
    let g = pipeline::run(text, &by).unwrap();
    assert_eq!(g.groups, ["slow", "intermediate", "fast", "unclassified"]);
    assert_eq!(&*patient(&g, "I").group, "intermediate");
    assert_eq!(&*patient(&g, "U").group, "unclassified");
    assert!(g.summaries.iter().any(|s| s.group == "fast"));
}

/// Each plausibility check names the line of the later visit (and the earlier one in its text).
#[test]
fn plausibility_checks_name_the_lines() {
    let text = "id,date,onset_date,alsfrs_r,fvc,event,death_date\n\
        R1,2020-01-01,2019-01-01,40,80,,\n\
        R1,2020-03-01,,44,81,,\n\
        R1,2020-05-01,,43,50,,\n\
        R1,2020-07-01,,42,49,,\n\
        R2,2020-01-01,2019-06-01,40,,,\n\
        R2,2020-02-01,,39,,,2020-03-01\n\
        R2,2020-04-01,,,,riluzole,\n\
        R3,2018-01-01,2019-01-01,,,riluzole,\n\
        R3,2020-01-01,,40,,,\n";
    let a = run(text);
    let w: Vec<(Option<usize>, &str)> = implausible(&a)
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    let at = |line: usize, words: &str| {
        assert!(
            w.iter().any(|(l, m)| *l == Some(line) && m.contains(words)),
            "no warning at line {line} with {words:?}: {w:?}"
        )
    };
    at(
        3,
        "ALSFRS-R total of patient R1 rises by 4 points, from 40 (line 2) to 44",
    );
    at(
        4,
        "FVC of patient R1 changes by -31 points, from 81 (line 3) to 50",
    );
    at(
        8,
        "event \"riluzole\" of patient R2 is after the death (line 7)",
    );
    at(
        9,
        "event \"riluzole\" of patient R3 is before the onset of symptoms",
    );
    assert_eq!(w.len(), 4, "{w:?}");

    // The thresholds are settings: a rise of 3 with the threshold at 3, an FVC jump of 31 not
    // flagged with the threshold at 31 (more than, not at least).
    let s = Settings {
        check_total_rise: 3.0,
        check_fvc_jump: 31.0,
        ..settings()
    };
    let b = pipeline::run(
        "id,date,alsfrs_r,fvc\nA,2020-01-01,40,80\nA,2020-02-01,43,49\n",
        &s,
    )
    .unwrap();
    let w = implausible(&b);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].line, Some(3));
    assert!(w[0].message.contains("rises by 3 points"));
}

/// An item rising from 0 to 4 between consecutive visits; item 5 only within one form (5a → 5b
/// is a change of scale, not a rise).
#[test]
fn item_rising_from_0_to_4_names_the_line() {
    let text = format!(
        "id,date,{ITEMS}\n\
         Q,2020-01-01,4,4,0,4,0,,4,4,4,4,4,4,4\n\
         Q,2020-02-01,4,4,4,4,,4,4,4,4,4,4,4,4\n"
    );
    let a = run(&text);
    let w = implausible(&a);
    assert!(
        w.iter().any(|d| d.line == Some(3)
            && d.message
                .starts_with("item 3 (swallowing) of patient Q rises from 0 (line 2) to 4")),
        "{w:?}"
    );
    assert!(!w.iter().any(|d| d.message.starts_with("item 5")), "{w:?}");
}

/// The JSON has the fields: top-level `stages` with `id`, `date`, `t`, `kings`,
/// `kings_reason`, `mitos`, `mitos_reason`; each patient entry `delta_fs_class`, `tricals_lp`,
/// `tricals_missing`.
#[test]
fn json_fields() {
    let text = format!(
        "id,date,onset_date,diagnosis_date,age_at_onset,{ITEMS}\n\
         J,2020-01-01,2019-01-01,2019-06-01,55,3,4,4,4,4,,4,4,4,4,4,4,4\n"
    );
    let a = run(&text);
    let v: serde_json::Value = serde_json::from_str(&als_progression::output::to_json(&a)).unwrap();
    let row = &v["stages"][0];
    let mut keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "date",
            "id",
            "kings",
            "kings_reason",
            "mitos",
            "mitos_reason",
            "t"
        ]
    );
    assert_eq!(row["kings"], "1");
    assert_eq!(row["mitos"], 0);
    assert_eq!(row["date"], "2020-01-01");
    let p = &v["patients"][0];
    assert_eq!(p["delta_fs_class"], "slow");
    assert_eq!(p["tricals_lp"], serde_json::Value::Null);
    assert_eq!(
        p["tricals_missing"],
        serde_json::json!(["fvc_percent", "bulbar_onset", "el_escorial_definite", "ftd"])
    );
    // docs/schema.json documents them.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/docs/schema.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap(),
    )
    .unwrap();
    let mut req: Vec<&str> = schema["$defs"]["stage"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    req.sort_unstable();
    assert_eq!(req, keys);
    for k in [
        "delta_fs_class",
        "tricals_lp",
        "tricals_eligible",
        "tricals_missing",
    ] {
        assert!(schema["$defs"]["patient"]["required"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(k)));
    }
    // The binary copy the page hands between threads carries them.
    let back = als_progression::output::from_bytes(&als_progression::output::to_bytes(&a)).unwrap();
    assert_eq!(back.stages, a.stages);
    assert_eq!(back.patients, a.patients);
}

/// The page's start module analyses without per-visit stages; its second pass (the extras
/// module) hands over the stages, their times and mix, and each patient's latest stages in binary
/// (`output::second_pass_to_bytes`), which put back on a first pass give the whole analysis.
#[test]
fn second_pass_puts_back_the_stages_and_latest_stages() {
    let text = als_progression::synth::example_text("items").unwrap();
    let a = run(&text);
    assert!(
        !a.stages.is_empty()
            && a.patients
                .iter()
                .any(|p| p.staging().latest_kings_reason.is_some())
    );
    let mut first = a.clone();
    (first.stages, first.stage_times, first.stage_mix) = (vec![], vec![], vec![]);
    for p in &mut first.patients {
        let s = p.staging_mut();
        (
            s.latest_kings,
            s.latest_kings_reason,
            s.latest_mitos,
            s.latest_mitos_reason,
        ) = (None, None, None, None);
        s.latest_stage_t = None;
    }
    (
        first.survival,
        first.survival_tests,
        first.cafs,
        first.slope_sensitivity,
    ) = (vec![], vec![], vec![], vec![]);
    assert_ne!(first, a);
    let bytes = als_progression::output::second_pass_to_bytes(&a);
    als_progression::output::add_second_pass_from_bytes(&mut first, &bytes).unwrap();
    assert_eq!(first, a);
}
