//! Bounds and flags of the analysis (issues #24 item 4, #27): the improvement floor, the bound on
//! pairwise tests with many groups (Kruskal-Wallis instead), text output rows that ids and groups
//! cannot break.

use als_progression::analysis::{TestKind, TestVariable};
use als_progression::pipeline::run;
use als_progression::settings::Settings;
use std::fmt::Write;

/// One patient: 2 lead-in visits, an injection on the third, 2 visits after; scores given.
fn patient(o: &mut String, id: &str, group: &str, scores: [u32; 4]) {
    let days = ["2020-01-01", "2020-03-01", "2020-05-01", "2020-07-01"];
    for (i, (d, y)) in days.iter().zip(scores).enumerate() {
        let ev = if i == 1 { "injection" } else { "" };
        let _ = writeln!(o, "{id},{group},{d},{y},{ev}");
    }
}

const HEADER: &str = "id,group,visit_date,alsfrs_r,event\n";

fn no_models() -> Settings {
    Settings {
        mixed_models: false,
        d50: false,
        ..Settings::default()
    }
}

/// A pre-rate below the floor: % improvement still given, flagged, no responder class, counted
/// apart in the responder count and said in the text.
#[test]
fn improvement_below_the_floor_is_flagged_and_not_counted() {
    let mut t = HEADER.to_string();
    patient(&mut t, "slow", "A", [40, 40, 39, 37]); // pre-rate 0: undefined, not unreliable
                                                    // 1 point in 12 months before the injection: 0.083 points/month.
    let _ = writeln!(t, "tiny,A,2019-01-01,40,");
    let _ = writeln!(t, "tiny,A,2020-01-01,39,injection");
    let _ = writeln!(t, "tiny,A,2020-03-01,38,");
    let _ = writeln!(t, "tiny,A,2020-05-01,37,");
    patient(&mut t, "fast", "A", [44, 42, 41, 41]);
    let a = run(&t, &no_models()).unwrap();
    let p = |id: &str| a.patients.iter().find(|p| &*p.id == id).unwrap();
    let tiny = p("tiny");
    let pre = tiny.pre_rate.unwrap();
    assert!(pre > 0.0 && pre < 0.1, "{pre}");
    assert!(tiny.improvement_pct.is_some());
    assert!(tiny.improvement_unreliable);
    assert_eq!(tiny.responder, None);
    let fast = p("fast");
    assert!(!fast.improvement_unreliable);
    assert_eq!(fast.responder, Some(true));
    let slow = p("slow");
    assert!(!slow.improvement_unreliable && slow.improvement_pct.is_none());
    let r = &a.responders[0];
    assert_eq!((r.n_evaluable, r.responders, r.n_unreliable), (1, 1, 1));
    let text = als_progression::output::to_text(&a);
    assert!(
        text.contains("1 not counted (pre-rate below 0.1 points/month"),
        "{text}"
    );
    let csv = als_progression::output::to_csv(&a);
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .contains("improvement_unreliable"));
    // A floor of 0 counts everyone with a defined % improvement.
    let s = Settings {
        improvement_floor: 0.0,
        ..no_models()
    };
    let a = run(&t, &s).unwrap();
    let r = &a.responders[0];
    assert_eq!((r.n_evaluable, r.n_unreliable), (2, 0));
}

/// `k` groups of two patients each, with different declines.
fn groups(k: usize) -> String {
    let mut t = HEADER.to_string();
    for g in 0..k {
        for j in 0..2u32 {
            let d = (g as u32 + j) % 5;
            patient(
                &mut t,
                &format!("P{g}_{j}"),
                &format!("G{g}"),
                [46, 45 - j, 44 - d, 43 - 2 * d],
            );
        }
    }
    t
}

/// Up to `max_pairwise_groups` groups, every pair; beyond, one Kruskal-Wallis test per variable,
/// the same as `stats::kruskal_wallis` (checked against R's `kruskal.test` in
/// src/stats/kruskal.rs) on the patients' post-rates and changes, with a note.
#[test]
fn many_groups_get_one_kruskal_wallis_test_instead_of_every_pair() {
    let t = groups(4);
    let a = run(&t, &no_models()).unwrap();
    let pairs = a.tests.iter().filter(|t| t.group.contains(" vs ")).count();
    assert_eq!(
        pairs,
        6 * 4,
        "6 pairs × (Mann-Whitney, Welch) × (post, change)"
    );
    let s = Settings {
        max_pairwise_groups: 3,
        ..no_models()
    };
    let a = run(&t, &s).unwrap();
    assert!(a.tests.iter().all(|t| !t.group.contains(" vs ")));
    let kw: Vec<_> = a
        .tests
        .iter()
        .filter(|t| t.kind == TestKind::KruskalWallis)
        .collect();
    assert_eq!(kw.len(), 2);
    for (e, var) in kw
        .iter()
        .zip([TestVariable::PostRate, TestVariable::Change])
    {
        assert_eq!(e.variable, var);
        assert_eq!(e.group, "all groups");
        let samples: Vec<Vec<f64>> = a
            .groups
            .iter()
            .map(|g| {
                a.patients
                    .iter()
                    .filter(|p| *p.group == **g)
                    .filter_map(|p| match var {
                        TestVariable::PostRate => p.post_rate,
                        _ => p.change,
                    })
                    .collect()
            })
            .collect();
        let want = als_progression::stats::kruskal_wallis(&samples).unwrap();
        assert_eq!(e.statistic, Some(want.statistic));
        assert_eq!(e.p_value, Some(want.p_value));
        assert_eq!(e.n, 8);
        assert_eq!(e.method, "Kruskal-Wallis rank sum test");
        assert!(e.note.as_deref().unwrap().contains("max_pairwise_groups"));
    }
}

/// 1,000 groups (a file of about 220 KB): 2 between-group tests, not 2 million; small JSON.
#[test]
fn a_thousand_groups_make_a_small_result() {
    let t = groups(1000);
    assert!(t.len() > 150_000, "{}", t.len());
    let a = run(&t, &no_models()).unwrap();
    let between = a
        .tests
        .iter()
        .filter(|t| matches!(t.variable, TestVariable::PostRate | TestVariable::Change))
        .count();
    assert_eq!(between, 2);
    // Within each group: signed-rank, paired t, Spearman.
    assert_eq!(a.tests.len(), 2 + 3 * 1000);
    let json = als_progression::output::to_json(&a);
    assert!(json.len() < 20_000_000, "{}", json.len());
}

/// The mixed models of pairs of groups are bounded the same way; the per-group ones are kept.
#[cfg(feature = "models")]
#[test]
fn mixed_models_of_pairs_are_bounded_with_a_note() {
    let t = groups(3);
    let s = Settings {
        d50: false,
        ..Settings::default()
    };
    let a = run(&t, &s).unwrap();
    assert_eq!(a.mixed_models.len(), 3 + 3);
    assert!(a.model_notes.is_empty());
    let s = Settings {
        max_pairwise_groups: 2,
        ..s
    };
    let a = run(&t, &s).unwrap();
    assert_eq!(a.mixed_models.len(), 3);
    assert!(a.mixed_models.iter().all(|m| !m.group.contains(" vs ")));
    assert!(a
        .model_notes
        .iter()
        .any(|n| n.contains("max_pairwise_groups")));
}

/// A newline or other control character in an id or group does not break the text report's
/// rows: one row per patient, the newline written as `\n`.
#[test]
fn newlines_in_ids_and_groups_do_not_break_text_rows() {
    let mut t = HEADER.to_string();
    patient(&mut t, "\"P\n1\"", "\"arm\r\nA\"", [44, 42, 41, 41]);
    patient(&mut t, "\"P\t2\"", "\"arm\r\nA\"", [44, 43, 41, 40]);
    let a = run(&t, &no_models()).unwrap();
    assert!(a.patients.iter().any(|p| p.id.contains('\n')));
    let text = als_progression::output::to_text(&a);
    assert!(text.contains("P\\n1"), "{text}");
    assert!(text.contains("P\\t2"), "{text}");
    assert!(text.contains("arm\\r\\nA"), "{text}");
    // Every line of the table of patients starts with an id.
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("patient "))
        .skip(1)
        .take_while(|l| !l.is_empty() && !l.starts_with("arm"))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows.iter().all(|r| r.starts_with('P')), "{text}");
}

/// Two injections 26 days apart with monthly visits: the interval between them has no visits of
/// its own. Expected: no warning of the patient, the period flagged, one summary diagnostic; the
/// periods named in words, and the warnings use those names.
#[test]
fn a_short_interval_between_injections_is_one_diagnostic_not_a_warning_per_patient() {
    let mut t = "id,group,visit_date,alsfrs_r,event\n".to_string();
    for id in ["A", "B"] {
        for (d, y, ev) in [
            ("2020-01-01", 44, ""),
            ("2020-02-01", 43, ""),
            ("2020-03-01", 42, "injection"),
            ("2020-03-27", 42, "injection"),
            ("2020-04-27", 42, ""),
            ("2020-05-27", 41, ""),
        ] {
            if d == "2020-03-27" {
                let _ = writeln!(t, "{id},X,{d},,{ev}");
            } else {
                let _ = writeln!(t, "{id},X,{d},{y},{ev}");
            }
        }
    }
    let a = run(&t, &no_models()).unwrap();
    let p = &a.patients[0];
    let names: Vec<&str> = p.periods.iter().map(|pd| &*pd.name).collect();
    assert_eq!(
        names,
        ["before treatment", "after injection 1", "after injection 2"]
    );
    assert!(p.periods[1].shorter_than_schedule && p.periods[1].slope.is_none());
    assert!(!p.periods[0].shorter_than_schedule && !p.periods[2].shorter_than_schedule);
    // Period 2 has 3 visits (the injection-2 day has no score: 2 visits, a warning by its name).
    assert!(
        p.warnings.iter().all(|w| !w.contains("period ")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings
            .iter()
            .all(|w| !w.starts_with("after injection 1")),
        "{:?}",
        p.warnings
    );
    let d: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.kind == als_progression::diag::DiagKind::ShortInterval)
        .collect();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.starts_with(
            "the 26-day interval between events has no visits of its own in 2 patients"
        ),
        "{}",
        d[0].message
    );
}

/// A patient whose input lost a cell says so (`lost_data`), and the counts give the status line
/// "2 patients from 9 rows; 1 row with errors".
#[test]
fn patients_that_lost_input_are_flagged_and_counted() {
    let mut t = HEADER.to_string();
    patient(&mut t, "A", "X", [44, 42, 41, 41]);
    patient(&mut t, "B", "X", [44, 43, 41, 40]);
    // A date that is no date: the row is skipped (an error naming patient A). (A word in a score
    // cell, "forty", is a missing-value code listed once for its column since #21: a warning.)
    t.push_str("A,X,2020-14-45,40,\n");
    let a = run(&t, &no_models()).unwrap();
    let p = |id: &str| a.patients.iter().find(|p| &*p.id == id).unwrap();
    assert!(p("A").lost_data);
    assert!(!p("B").lost_data);
    let c = &a.counts;
    assert_eq!(
        (
            c.n_patients,
            c.n_rows,
            c.n_rows_with_errors,
            c.n_patients_with_lost_data
        ),
        (2, 9, 1, 1)
    );
    assert_eq!(c.n_errors + c.n_warnings + c.n_info, a.diagnostics.len());
    assert!(c.n_errors >= 1);
    let text = als_progression::output::to_text(&a);
    assert!(text.contains("1 row with errors"), "{text}");
    assert!(text.contains("[input skipped: see diagnostics]"), "{text}");
}
