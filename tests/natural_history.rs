//! Natural history (issue #21): data without any event. Each patient's whole-course rate (± SE,
//! 95% CI), the groups' summaries of it and the between-group tests on it, against R.
//! Expected values: tests/data/natural-history.expected.csv, written with the data by
//! tests/r/natural_history_reference.R (R 4.2: lm, confint, quantile, wilcox.test, t.test); each
//! row carries the R call that produced it.

use als_progression::analysis::{SummaryVariable, TestKind, TestVariable};
use als_progression::data::Measure;
use als_progression::pipeline::run;
use als_progression::settings::Settings;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn whole_course_rates_summaries_and_tests_match_r() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{dir}/tests/data/natural-history.csv")).unwrap();
    let s = Settings {
        mixed_models: false,
        d50: false,
        ..Settings::default()
    };
    let a = run(&text, &s).unwrap();
    let mut r = csv::Reader::from_path(format!("{dir}/tests/data/natural-history.expected.csv"))
        .expect("run tests/r/natural_history_reference.R");
    let mut failures = Vec::new();
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        let (key, id, var, call) = (&rec[0], &rec[1], &rec[2], &rec[4]);
        let want: Option<f64> = rec[3].parse().ok();
        let got = match key {
            "patient" => {
                let p = a
                    .patients
                    .iter()
                    .find(|p| &*p.id == id && p.measure == Measure::AlsfrsR)
                    .unwrap();
                match var {
                    "course_rate" => p.course_rate,
                    "course_rate_se" => p.course_rate_se,
                    "course_rate_ci_low" => p.course_rate_ci_low,
                    "course_rate_ci_high" => p.course_rate_ci_high,
                    v => panic!("{v}"),
                }
            }
            "summary" => {
                let s = a
                    .summaries
                    .iter()
                    .find(|s| s.group == id && s.variable == SummaryVariable::CourseRate)
                    .unwrap();
                match var {
                    "mean" => s.mean,
                    "sd" => s.sd,
                    "median" => s.median,
                    "q1" => s.q1,
                    "q3" => s.q3,
                    v => panic!("{v}"),
                }
            }
            "test" => {
                let (kind, what) = var.split_once(':').unwrap();
                let kind = match kind {
                    "mann_whitney" => TestKind::MannWhitney,
                    _ => TestKind::WelchT,
                };
                let t = a
                    .tests
                    .iter()
                    .find(|t| t.group == id && t.kind == kind)
                    .unwrap();
                assert_eq!(t.variable, TestVariable::CourseRate);
                match what {
                    "statistic" => t.statistic,
                    "p_value" => t.p_value,
                    "estimate" => t.estimate,
                    v => panic!("{v}"),
                }
            }
            k => panic!("{k}"),
        };
        n += 1;
        let ok = match (got, want) {
            (Some(g), Some(w)) => close(g, w),
            (None, None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{key} {id} {var}: got {got:?}, R gave {want:?}\n    R: {call}"
            ));
        }
    }
    assert!(n > 60, "{n}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Between groups only the whole-course rate: no post-rate or change tests without events.
    assert!(a
        .tests
        .iter()
        .filter(|t| t.group.contains(" vs "))
        .all(|t| t.variable == TestVariable::CourseRate));
    // The tests say what they compare and which way, in words.
    let mw = a
        .tests
        .iter()
        .find(|t| t.kind == TestKind::MannWhitney)
        .unwrap();
    assert_eq!(
        mw.title,
        "Whole-course rate, Slow vs Fast — Mann-Whitney test"
    );
    assert_eq!(
        mw.direction.as_deref(),
        Some("Slow declines slower than Fast (medians)")
    );
    assert_eq!(mw.power_note, None);
    // Each patient's rate and CI are in the text and CSV outputs.
    let text = als_progression::output::to_text(&a);
    let p = &a.patients[0];
    let shown = als_progression::format::number(p.course_rate, 3);
    assert!(
        text.lines()
            .any(|l| l.starts_with(&*p.id) && l.contains(&shown)),
        "{text}"
    );
    let csv = als_progression::output::to_csv(&a);
    assert!(
        csv.starts_with("id,group,measure,n_visits,delta_fs,rate_unit,course_rate,course_rate_se")
    );
    assert!(csv.contains(&als_progression::format::csv_number(p.course_rate_ci_low)));
}
