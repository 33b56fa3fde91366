//! Survival endpoints wired from parsed input (issue #22): the times, origin and endpoint choice
//! the analysis makes from `tests/data/survival-wiring.csv` give the numbers R gives for the
//! times written in `tests/r/survival_wiring.R` (its output: `tests/data/r/survival-wiring.json`,
//! each entry naming its R call). The statistics themselves are tested in `src/survival`.

use als_progression::analysis::{Analysis, Endpoint};
use als_progression::pipeline;
use als_progression::settings::{Settings, TimeOrigin};
use als_progression::survival::TestKind;
use serde_json::Value;

fn settings() -> Settings {
    Settings {
        mixed_models: false,
        d50: false,
        ..Settings::default()
    }
}

fn run(text: &str, s: &Settings) -> Analysis {
    pipeline::run(text, s).unwrap()
}

fn wiring() -> Analysis {
    let text = std::fs::read_to_string("tests/data/survival-wiring.csv").unwrap();
    run(&text, &settings())
}

fn close(a: Option<f64>, b: &Value, what: &str) {
    match (a, b.as_f64()) {
        (None, None) => {}
        (Some(x), Some(y)) => assert!(
            (x - y).abs() <= 1e-9 * y.abs().max(1.0),
            "{what}: {x} vs R {y}"
        ),
        _ => panic!("{what}: {a:?} vs R {b}"),
    }
}

fn endpoint(name: &str) -> Endpoint {
    match name {
        "death" => Endpoint::Death,
        "death_or_ventilation" => Endpoint::DeathOrVentilation,
        _ => panic!("{name}"),
    }
}

#[test]
fn kaplan_meier_log_rank_and_cox_equal_r() {
    let a = wiring();
    // 4 groups × 2 endpoints; 6 pairs × 2 endpoints
    assert_eq!(
        equal_r(&a, "tests/data/r/survival-wiring.json"),
        (8, 12, 12)
    );
    assert_eq!(a.survival.len(), 8);
    assert_eq!(a.survival_tests.len(), 24);
}

/// The deaths example: R computes the times from the dates (`tests/r/survival_wiring.R`).
#[test]
fn deaths_example_equals_r() {
    let text = std::fs::read_to_string("tests/data/design-deaths.csv").unwrap();
    assert_eq!(
        text,
        als_progression::synth::example_text("deaths").unwrap(),
        "tests/data/design-deaths.csv is the page's example (synth --design deaths --patients 40 --seed 2015)"
    );
    let a = run(&text, &settings());
    assert_eq!(equal_r(&a, "tests/data/r/survival-deaths.json"), (4, 2, 2));
    assert_eq!(a.survival_tests.len(), 4);
}

/// Compares the analysis with R's values in `path`; the number of (curves, log-rank, Cox)
/// compared.
fn equal_r(a: &Analysis, path: &str) -> (usize, usize, usize) {
    let reference: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut km, mut lr, mut cox) = (0, 0, 0);
    for r in &reference {
        let e = endpoint(r["endpoint"].as_str().unwrap());
        let call = r["call"].as_str().unwrap();
        match r["kind"].as_str().unwrap() {
            "km" => {
                km += 1;
                let g = r["group"].as_str().unwrap();
                let s = a
                    .survival
                    .iter()
                    .find(|s| s.group == g && s.endpoint == e)
                    .unwrap_or_else(|| panic!("{g} {e:?}"));
                let what = format!("{call}, {g}, {}", e.name());
                assert_eq!(s.n as f64, r["n"].as_f64().unwrap(), "{what}");
                assert_eq!(s.events as f64, r["events"].as_f64().unwrap(), "{what}");
                close(s.median_months, &r["median"], &what);
                close(s.median_ci_low, &r["median_ci_low"], &what);
                close(s.median_ci_high, &r["median_ci_high"], &what);
                let times = r["time"].as_array().unwrap();
                assert_eq!(s.curve.len(), times.len(), "{what}");
                for (k, p) in s.curve.iter().enumerate() {
                    close(Some(p.t), &times[k], &what);
                    assert_eq!(p.n_risk as f64, r["n_risk"][k].as_f64().unwrap(), "{what}");
                    assert_eq!(
                        p.n_event as f64,
                        r["n_event"][k].as_f64().unwrap(),
                        "{what}"
                    );
                    assert_eq!(
                        p.n_censor as f64,
                        r["n_censor"][k].as_f64().unwrap(),
                        "{what}"
                    );
                    close(Some(p.surv), &r["surv"][k], &what);
                    close(p.lower, &r["lower"][k], &what);
                    close(p.upper, &r["upper"][k], &what);
                }
            }
            kind => {
                let groups = r["groups"].as_str().unwrap();
                let k = if kind == "cox" {
                    TestKind::Cox
                } else {
                    TestKind::LogRank
                };
                let t = a
                    .survival_tests
                    .iter()
                    .find(|t| t.groups == groups && t.endpoint == e && t.kind == k)
                    .unwrap_or_else(|| panic!("{groups} {e:?} {k:?}"));
                let what = format!("{call}, {}", e.name());
                assert_eq!(t.df, 1, "{what}");
                if k == TestKind::Cox && !r["warning"].is_null() {
                    // R warns that the coefficient may be infinite or did not converge: the tool
                    // reports no hazard ratio or Wald test, and says why.
                    cox += 1;
                    assert_eq!(
                        (t.hazard_ratio, t.statistic, t.p_value),
                        (None, None, None),
                        "{what}"
                    );
                    assert!(t.note.is_some(), "{what}");
                    continue;
                }
                close(t.statistic, &r["statistic"], &what);
                close(t.p_value, &r["p_value"], &what);
                if k == TestKind::Cox {
                    cox += 1;
                    close(t.hazard_ratio, &r["hazard_ratio"], &what);
                    close(t.hr_ci_low, &r["hr_ci_low"], &what);
                    close(t.hr_ci_high, &r["hr_ci_high"], &what);
                } else {
                    lr += 1;
                    assert_eq!(t.hazard_ratio, None);
                }
            }
        }
    }
    (km, lr, cox)
}

#[test]
fn slope_sensitivity_counts_deaths_before_a_post_slope() {
    let a = wiring();
    let counts: Vec<(&str, usize, usize, usize)> = a
        .slope_sensitivity
        .iter()
        .map(|s| (s.group.as_str(), s.n, s.died, s.died_before_post_slope))
        .collect();
    // D1 dies at month 2 with one visit (month 0) after riluzole: no post-rate.
    assert_eq!(
        counts,
        [
            ("A", 6, 4, 0),
            ("B", 3, 0, 0),
            ("C", 1, 1, 0),
            ("D", 5, 3, 1)
        ]
    );
}

/// CAFS from input text, worked by hand. Origin = the first event (month 0 for all); ALSFRS-R
/// change from baseline (the visit at month 0, or for Q the last visit before it, month −1).
///   P: dies at 5.                         Q: alive, last visit 4, change 30 − 40 = −10.
///   R: alive, last visit 8, change at 4: 38 − 40 = −2, at 8: −6.   S (group B): dies at 9.
/// Pairs (better +1):
///   P–Q: Q alive followed 4 < 5: function at 4: P's last visit ≤ 4 is month 3, change −1;
///        Q −10 → P better.
///   P–R: R followed 8 ≥ 5 → R better.        P–S: both died, S later → S better.
///   Q–R: neither died, c = 4: Q −10, R −2 → R better.
///   Q–S: Q followed 4 < 9: function at 4: S's change at 4 is −3 → S better.
///   R–S: R followed 8 < 9: function at 8: R −6, S (month 8) −8 → R better.
/// Scores: P = +1 −1 −1 = −1; Q = −1 −1 −1 = −3; R = +1 +1 +1 = 3; S = +1 +1 −1 = 1.
#[test]
fn cafs_hand_worked_from_text() {
    let text = "patient,group,month,alsfrs_r,event\n\
        P,A,0,40,riluzole\nP,A,3,39,\nP,A,5,,death\n\
        Q,A,-1,40,\nQ,A,0,35,riluzole\nQ,A,4,30,\n\
        R,A,0,40,riluzole\nR,A,4,38,\nR,A,8,34,\n\
        S,B,0,40,riluzole\nS,B,4,37,\nS,B,8,32,\nS,B,9,,death\n";
    let a = run(text, &settings());
    assert_eq!(a.cafs.len(), 1);
    let c = &a.cafs[0];
    assert_eq!(c.groups, "A vs B");
    let scores: Vec<(&str, i64)> = c.patients.iter().map(|p| (&*p.id, p.score)).collect();
    assert_eq!(scores, [("P", -1), ("Q", -3), ("R", 3), ("S", 1)]);
    assert_eq!(c.mean_score_a, -1.0 / 3.0);
    assert_eq!(c.mean_score_b, 1.0);
    // R: wilcox.test(c(-1, -3, 3), 1) -> W = 1, p-value = 1 (exact)
    assert_eq!(c.statistic, Some(1.0));
    assert_eq!(c.p_value, Some(1.0));
    assert!(c.method.contains("last visit on or before the time origin"));
}

#[test]
fn time_origin_and_last_contact() {
    // Origin first visit: A4's death is 12 months after its first visit, not 10.
    let a = run(
        &std::fs::read_to_string("tests/data/survival-wiring.csv").unwrap(),
        &Settings {
            time_origin: TimeOrigin::FirstVisit,
            ..settings()
        },
    );
    let s = a
        .survival
        .iter()
        .find(|s| s.group == "A" && s.endpoint == Endpoint::Death)
        .unwrap();
    let times: Vec<f64> = s.curve.iter().map(|p| p.t).collect();
    // A1 6, A2 8 (first visit −2), A3 6 (censored), A4 12, A5 12 (censored), A6 3
    assert_eq!(times, [3.0, 6.0, 8.0, 12.0]);
    assert_eq!(s.curve[3].n_event, 1);
    assert_eq!(s.curve[3].n_censor, 1);
}

#[test]
fn no_endpoints_no_noise() {
    let text = std::fs::read_to_string("tests/data/design-two-arm.csv").unwrap();
    let a = run(&text, &settings());
    assert!(a.survival.is_empty());
    assert!(a.survival_tests.is_empty());
    assert!(a.cafs.is_empty());
    assert!(a.slope_sensitivity.is_empty());
}

#[test]
fn json_has_the_schemas_fields() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("docs/schema.json").unwrap()).unwrap();
    let v: Value = serde_json::from_str(&als_progression::output::to_json(&wiring())).unwrap();
    for (top, def) in [
        ("survival", "survival"),
        ("survival_tests", "survival_test"),
        ("cafs", "cafs"),
        ("slope_sensitivity", "slope_sensitivity"),
    ] {
        assert!(schema["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from(top)));
        let rows = v[top].as_array().unwrap();
        assert!(!rows.is_empty(), "{top}");
        let d = &schema["$defs"][def];
        for row in rows {
            for k in d["required"].as_array().unwrap() {
                let k = k.as_str().unwrap();
                assert!(row.get(k).is_some(), "{top}.{k}");
            }
            for k in row.as_object().unwrap().keys() {
                assert!(
                    d["properties"].get(k).is_some(),
                    "{top}.{k} not in the schema"
                );
            }
        }
    }
    assert_eq!(v["survival"][0]["curve"][0]["t"], 3.0);
}

/// `chart survival` and `chart cafs` from the command line; `analyze --format survival-csv`.
#[test]
fn cli_charts_and_csv() {
    let bin = env!("CARGO_BIN_EXE_als-progression");
    let dir = std::env::temp_dir().join(format!("als-survival-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (kind, extra) in [
        (
            "survival",
            vec!["--endpoint", "death_or_ventilation", "--ci-band"],
        ),
        ("cafs", vec![]),
    ] {
        let out = dir.join(format!("{kind}.svg"));
        let st = std::process::Command::new(bin)
            .args(["chart", kind, "tests/data/design-deaths.csv", "--out"])
            .arg(&out)
            .args(&extra)
            .status()
            .unwrap();
        assert!(st.success(), "{kind}");
        let svg = std::fs::read_to_string(&out).unwrap();
        match kind {
            "survival" => {
                assert!(svg.contains("Kaplan–Meier: death or permanent ventilation"));
                assert!(svg.contains("Number at risk"));
            }
            _ => assert!(svg.contains("CAFS: Placebo vs Active")),
        }
    }
    let bad = std::process::Command::new(bin)
        .args([
            "chart",
            "survival",
            "tests/data/design-deaths.csv",
            "--endpoint",
            "x",
        ])
        .args(["--out", dir.join("x.svg").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--endpoint"));
    let csv = std::process::Command::new(bin)
        .args([
            "analyze",
            "tests/data/design-deaths.csv",
            "--format",
            "survival-csv",
        ])
        .output()
        .unwrap();
    assert!(csv.status.success());
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.starts_with("table,endpoint,group,"));
    assert!(text.contains("\ncafs,death,,Placebo vs Active,"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Deaths given only as a vital status (no date): no curves, a diagnostic, the deaths counted.
#[test]
fn deaths_without_dates_are_reported() {
    let text = "patient,group,month,alsfrs_r,event,died\n\
        P,A,0,40,riluzole,yes\nP,A,3,38,,\nQ,A,0,41,riluzole,no\nQ,A,3,40,,\nQ,A,6,39,,\n";
    let a = run(text, &settings());
    assert!(a.survival.is_empty() && a.cafs.is_empty());
    assert!(
        a.diagnostics.iter().any(|d| d
            .message
            .contains("1 patient(s) died without a date of death")),
        "{:?}",
        a.diagnostics
    );
    assert_eq!(a.slope_sensitivity[0].died, 1);
}
