//! The survival endpoints of an `Analysis` (issue #22) as text for people and as one CSV (a row
//! per curve point, group, test, CAFS comparison and CAFS patient; the `table` column says which).

use crate::analysis::{Analysis, SurvivalEntry, SurvivalTestEntry};
use crate::format::{csv_number, number as report_number, p_value as report_p};
use crate::survival::TestKind;
use std::fmt::Write;

/// Whether the analysis has anything to say about survival.
pub fn has_survival(a: &Analysis) -> bool {
    !(a.survival.is_empty() && a.cafs.is_empty())
}

/// "median 8.0 months (95% CI 6.0–NA)" or "median not reached".
pub fn median_text(s: &SurvivalEntry) -> String {
    match s.median_months {
        Some(m) => format!(
            "median {} months (95% CI {}–{})",
            report_number(Some(m), 1),
            s.median_ci_low
                .map(|x| report_number(Some(x), 1))
                .unwrap_or_else(|| "NA".into()),
            s.median_ci_high
                .map(|x| report_number(Some(x), 1))
                .unwrap_or_else(|| "NA".into())
        ),
        None => "median not reached".into(),
    }
}

/// "log-rank χ² = 1.95 (df 1), p = 0.16" or "Cox HR 1.40 (95% CI 0.28–7.01), Wald p = 0.68".
pub fn test_text(t: &SurvivalTestEntry) -> String {
    match (t.kind, t.statistic) {
        (TestKind::LogRank, Some(x)) => format!(
            "log-rank χ² = {} (df {}), p = {}",
            report_number(Some(x), 2),
            t.df,
            report_p(t.p_value)
        ),
        (TestKind::Cox, Some(_)) => format!(
            "Cox (Efron ties) HR {} (95% CI {}–{}), Wald p = {}",
            report_number(t.hazard_ratio, 2),
            report_number(t.hr_ci_low, 2),
            report_number(t.hr_ci_high, 2),
            report_p(t.p_value)
        ),
        (k, None) => format!(
            "{}: not computed ({})",
            match k {
                TestKind::LogRank => "log-rank",
                TestKind::Cox => "Cox",
            },
            t.note.as_deref().unwrap_or_default()
        ),
    }
}

/// The survival section of the text report (nothing without endpoints).
pub fn write_text(o: &mut String, a: &Analysis) {
    if !has_survival(a) {
        return;
    }
    let _ = writeln!(o, "\n== Survival (months from the time origin) ==");
    for s in &a.survival {
        let _ = writeln!(
            o,
            "{:<10} {:<22} n={:<4} events {:<4} {}",
            s.group.chars().take(10).collect::<String>(),
            s.endpoint.name(),
            s.n,
            s.events,
            median_text(s)
        );
    }
    for t in &a.survival_tests {
        let _ = writeln!(
            o,
            "  [{} / {}] {}",
            t.groups,
            t.endpoint.name(),
            test_text(t)
        );
    }
    for c in &a.cafs {
        let _ = writeln!(
            o,
            "  [{} / CAFS] mean score {} vs {}; W = {}, p = {} ({})",
            c.groups,
            report_number(Some(c.mean_score_a), 2),
            report_number(Some(c.mean_score_b), 2),
            report_number(c.statistic, 1),
            report_p(c.p_value),
            c.method
        );
    }
    for s in a.slope_sensitivity.iter().filter(|s| s.died > 0) {
        let _ = writeln!(
            o,
            "  {}: {} of {} patients died; {} before their post-treatment period had 2 visits ({} slope missing)",
            s.group,
            s.died,
            s.n,
            s.died_before_post_slope,
            s.measure.label()
        );
    }
}

const HEADER: [&str; 30] = [
    "table",
    "endpoint",
    "group",
    "groups",
    "id",
    "t",
    "n_risk",
    "n_event",
    "n_censor",
    "surv",
    "lower",
    "upper",
    "n",
    "events",
    "median_months",
    "median_ci_low",
    "median_ci_high",
    "kind",
    "statistic",
    "df",
    "p_value",
    "hazard_ratio",
    "hr_ci_low",
    "hr_ci_high",
    "mean_score_a",
    "mean_score_b",
    "score",
    "rank",
    "died",
    "died_before_post_slope",
];

/// The survival results as one CSV (header only without endpoints). `table` is `km` (a curve
/// point), `survival` (a group's summary), `survival_tests`, `cafs` (a comparison), `cafs_patient`
/// or `slope_sensitivity`; the other columns are filled as that table has them.
pub fn survival_csv(a: &Analysis) -> String {
    use super::safe_cell;
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut head: Vec<&str> = HEADER.to_vec();
    head.push("method");
    head.push("note");
    let _ = w.write_record(&head);
    let n = head.len();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap_or(0);
    let mut put = |cells: &[(&str, String)]| {
        let mut row = vec![String::new(); n];
        for (k, v) in cells {
            row[col(k)] = v.clone();
        }
        let _ = w.write_record(&row);
    };
    let num = |x: f64| csv_number(Some(x));
    for s in &a.survival {
        put(&[
            ("table", "survival".into()),
            ("endpoint", s.endpoint.name().into()),
            ("group", safe_cell(&s.group)),
            ("n", s.n.to_string()),
            ("events", s.events.to_string()),
            ("median_months", csv_number(s.median_months)),
            ("median_ci_low", csv_number(s.median_ci_low)),
            ("median_ci_high", csv_number(s.median_ci_high)),
        ]);
        for p in &s.curve {
            put(&[
                ("table", "km".into()),
                ("endpoint", s.endpoint.name().into()),
                ("group", safe_cell(&s.group)),
                ("t", num(p.t)),
                ("n_risk", p.n_risk.to_string()),
                ("n_event", p.n_event.to_string()),
                ("n_censor", p.n_censor.to_string()),
                ("surv", num(p.surv)),
                ("lower", csv_number(p.lower)),
                ("upper", csv_number(p.upper)),
            ]);
        }
    }
    for t in &a.survival_tests {
        put(&[
            ("table", "survival_tests".into()),
            ("endpoint", t.endpoint.name().into()),
            ("groups", safe_cell(&t.groups)),
            ("n", t.n.to_string()),
            (
                "kind",
                match t.kind {
                    TestKind::LogRank => "log_rank",
                    TestKind::Cox => "cox",
                }
                .into(),
            ),
            ("statistic", csv_number(t.statistic)),
            ("df", t.df.to_string()),
            ("p_value", csv_number(t.p_value)),
            ("hazard_ratio", csv_number(t.hazard_ratio)),
            ("hr_ci_low", csv_number(t.hr_ci_low)),
            ("hr_ci_high", csv_number(t.hr_ci_high)),
            ("note", safe_cell(t.note.as_deref().unwrap_or_default())),
        ]);
    }
    for c in &a.cafs {
        put(&[
            ("table", "cafs".into()),
            ("endpoint", "death".into()),
            ("groups", safe_cell(&c.groups)),
            ("n", c.n.to_string()),
            ("mean_score_a", num(c.mean_score_a)),
            ("mean_score_b", num(c.mean_score_b)),
            ("statistic", csv_number(c.statistic)),
            ("p_value", csv_number(c.p_value)),
            ("method", safe_cell(&c.method)),
            ("note", safe_cell(c.note.as_deref().unwrap_or_default())),
        ]);
        for p in &c.patients {
            put(&[
                ("table", "cafs_patient".into()),
                ("groups", safe_cell(&c.groups)),
                ("group", safe_cell(&p.group)),
                ("id", safe_cell(&p.id)),
                ("score", p.score.to_string()),
                ("rank", num(p.rank)),
            ]);
        }
    }
    for s in &a.slope_sensitivity {
        put(&[
            ("table", "slope_sensitivity".into()),
            ("group", safe_cell(&s.group)),
            ("n", s.n.to_string()),
            ("died", s.died.to_string()),
            (
                "died_before_post_slope",
                s.died_before_post_slope.to_string(),
            ),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The results summary's sentences for people (the page's): per endpoint, each group's median
/// survival with its CI, then each pair's log-rank p and hazard ratio; each CAFS comparison's
/// mean scores and p; deaths before a post-treatment slope.
pub fn summary_sentences(a: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    for e in crate::analysis::Endpoint::ALL {
        let groups: Vec<String> = a
            .survival
            .iter()
            .filter(|s| s.endpoint == e)
            .map(|s| {
                format!(
                    "{}: {} of {} events, {}",
                    s.group,
                    s.events,
                    s.n,
                    median_text(s)
                )
            })
            .collect();
        if groups.is_empty() {
            continue;
        }
        let mut s = format!("Time to {} — {}.", e.label(), groups.join("; "));
        for t in a.survival_tests.iter().filter(|t| t.endpoint == e) {
            s.push_str(&format!(" {}: {}.", t.groups, test_text(t)));
        }
        out.push(s);
    }
    for c in &a.cafs {
        out.push(format!(
            "CAFS {}: mean score {} vs {}, Mann-Whitney p = {} (ranks patients on survival, then on the change in {}).",
            c.groups,
            report_number(Some(c.mean_score_a), 2),
            report_number(Some(c.mean_score_b), 2),
            report_p(c.p_value),
            c.measure.label()
        ));
    }
    let died: Vec<String> = a
        .slope_sensitivity
        .iter()
        .filter(|s| s.died_before_post_slope > 0)
        .map(|s| format!("{}: {}", s.group, s.died_before_post_slope))
        .collect();
    if !died.is_empty() {
        out.push(format!(
            "Patients who died before their post-treatment period had 2 visits (no post-rate) — {}.",
            died.join("; ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    fn wiring() -> Analysis {
        let text = std::fs::read_to_string("tests/data/survival-wiring.csv").unwrap();
        crate::pipeline::run(
            &text,
            &Settings {
                mixed_models: false,
                d50: false,
                ..Settings::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn csv_has_every_row_and_reads_back() {
        let a = wiring();
        let text = survival_csv(&a);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let count = |t: &str| rows.iter().filter(|r| &r[0] == t).count();
        assert_eq!(count("survival"), a.survival.len());
        assert_eq!(
            count("km"),
            a.survival.iter().map(|s| s.curve.len()).sum::<usize>()
        );
        assert_eq!(count("survival_tests"), a.survival_tests.len());
        assert_eq!(count("cafs"), a.cafs.len());
        assert_eq!(
            count("cafs_patient"),
            a.cafs.iter().map(|c| c.patients.len()).sum::<usize>()
        );
        // the first group's median (A, death: 8 months, R's survfit)
        let first = rows.iter().find(|r| &r[0] == "survival").unwrap();
        assert_eq!((&first[2], &first[14]), ("A", "8"));
    }

    #[test]
    fn binary_copy_and_sentences() {
        let a = wiring();
        let mut b = a.clone();
        (b.survival, b.survival_tests, b.cafs, b.slope_sensitivity) =
            (vec![], vec![], vec![], vec![]);
        crate::output::add_second_pass_from_bytes(&mut b, &crate::output::second_pass_to_bytes(&a))
            .unwrap();
        assert_eq!(a, b);
        let s = summary_sentences(&a);
        assert!(
            s[0].starts_with(
                "Time to death — A: 4 of 6 events, median 8.0 months (95% CI 6.0–NA);"
            ),
            "{s:?}"
        );
        assert!(s[0].contains(" A vs D: log-rank χ² = "), "{s:?}");
        assert!(
            s.iter().any(|x| x.starts_with("CAFS A vs B: mean score")),
            "{s:?}"
        );
        assert!(s.last().unwrap().contains("D: 1"), "{s:?}");
    }

    #[test]
    fn text_says_medians_tests_and_cafs() {
        let a = wiring();
        let mut o = String::new();
        write_text(&mut o, &a);
        assert!(o.contains("== Survival"), "{o}");
        assert!(o.contains("median 8.0 months (95% CI 6.0–NA)"), "{o}");
        assert!(
            o.contains("[A vs D / death] Cox (Efron ties) HR 1.40"),
            "{o}"
        );
        assert!(o.contains("CAFS] mean score"), "{o}");
        assert!(o.contains("D: 3 of 5 patients died; 1 before"), "{o}");
    }
}
