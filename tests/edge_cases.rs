//! Numeric edge cases through the whole pipeline: for each, the analysis succeeds, every number
//! in the result is finite (or null), and a null comes with a reason where the type has one.

use als_progression::analysis::Analysis;
use als_progression::data::Measure;
use als_progression::pipeline::run;
use als_progression::settings::Settings;
use serde_json::Value;

/// Walk the JSON of the result: no number may be non-finite. (serde_json turns NaN and ±inf
/// into null, so this mostly guards the shape; `check_structs` looks at the values themselves.)
fn walk(v: &Value, path: &str, bad: &mut Vec<String>) {
    match v {
        Value::Number(n) => {
            if n.as_f64().is_some_and(|f| !f.is_finite()) {
                bad.push(path.to_string());
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                walk(x, &format!("{path}[{i}]"), bad);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                walk(x, &format!("{path}.{k}"), bad);
            }
        }
        _ => {}
    }
}

fn fin(bad: &mut Vec<String>, path: String, v: Option<f64>) {
    if let Some(x) = v {
        if !x.is_finite() {
            bad.push(format!("{path} = {x}"));
        }
    }
}

/// Every f64 in the structs is finite (a NaN would silently become null in JSON).
fn check_structs(a: &Analysis) -> Vec<String> {
    let mut bad = Vec::new();
    let b = &mut bad;
    for p in &a.patients {
        let w = |f: &str| format!("patient {} {:?} {f}", p.id, p.measure);
        fin(b, w("delta_fs"), p.delta_fs);
        fin(b, w("pre_rate"), p.pre_rate);
        fin(b, w("post_rate"), p.post_rate);
        fin(b, w("change"), p.change);
        fin(b, w("improvement_pct"), p.improvement_pct);
        fin(b, w("first_event"), p.first_event);
        for (i, x) in p.period_improvement_pct.iter().enumerate() {
            fin(b, w(&format!("period_improvement_pct[{i}]")), *x);
        }
        for pd in &p.periods {
            let q = |f: &str| w(&format!("period {} {f}", pd.index));
            fin(b, q("start"), Some(pd.start));
            fin(b, q("end"), Some(pd.end));
            fin(b, q("slope"), pd.slope);
            fin(b, q("slope_se"), pd.slope_se);
            fin(b, q("slope_ci_low"), pd.slope_ci_low);
            fin(b, q("slope_ci_high"), pd.slope_ci_high);
            fin(b, q("intercept"), pd.intercept);
            fin(b, q("rate"), pd.rate);
        }
    }
    for s in &a.summaries {
        for (f, v) in [
            ("mean", s.mean),
            ("sd", s.sd),
            ("median", s.median),
            ("q1", s.q1),
            ("q3", s.q3),
        ] {
            fin(b, format!("summary {} {} {f}", s.group, s.variable), v);
        }
    }
    for r in &a.responders {
        fin(b, format!("responders {}", r.group), r.proportion);
    }
    for t in &a.tests {
        for (f, v) in [
            ("statistic", t.statistic),
            ("p_value", t.p_value),
            ("estimate", t.estimate),
        ] {
            fin(b, format!("test {} {} {f}", t.kind, t.group), v);
        }
    }
    for m in &a.mixed_models {
        for (f, v) in [
            ("sd_intercept", m.sd_intercept),
            ("sd_slope", m.sd_slope),
            ("corr", m.corr),
            ("sd_residual", m.sd_residual),
            ("reml_criterion", m.reml_criterion),
        ] {
            fin(b, format!("mixed model {} {f}", m.group), v);
        }
        for fe in &m.fixed {
            for (f, v) in [
                ("estimate", Some(fe.estimate)),
                ("se", Some(fe.se)),
                ("df", fe.df),
                ("t", Some(fe.t_value)),
                ("p", fe.p_value),
                ("ci_low", fe.ci_low),
                ("ci_high", fe.ci_high),
            ] {
                fin(b, format!("mixed model {} {} {f}", m.group, fe.term), v);
            }
        }
    }
    for d in &a.d50 {
        for (f, v) in [("d50", d.d50()), ("dx", d.dx()), ("rmse", d.rmse())] {
            fin(b, format!("d50 {} {f}", d.id), v);
        }
        for ph in d.phases() {
            fin(b, format!("d50 {} phase t", d.id), Some(ph.t));
        }
    }
    for s in &a.series {
        fin(b, format!("series {} onset", s.id), s.onset);
        for e in &s.events {
            fin(b, format!("series {} event", s.id), Some(e.t));
        }
        for v in &s.visits {
            fin(b, format!("series {} visit t", s.id), Some(v.t));
            for (_, x) in v.scores.iter() {
                fin(b, format!("series {} visit score", s.id), Some(x));
            }
        }
    }
    bad
}

/// Nulls that the result types can explain must be explained.
fn check_reasons(a: &Analysis) -> Vec<String> {
    let mut bad = Vec::new();
    for p in &a.patients {
        let nulls: Vec<&str> = [
            ("pre_rate", p.pre_rate),
            ("post_rate", p.post_rate),
            ("change", p.change),
            ("improvement_pct", p.improvement_pct),
        ]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
        if !nulls.is_empty() && p.notes.is_empty() {
            bad.push(format!(
                "patient {} {:?}: {nulls:?} null without a note",
                p.id, p.measure
            ));
        }
        for pd in &p.periods {
            if pd.slope.is_none() && pd.warning.is_none() {
                bad.push(format!(
                    "patient {} period {}: no slope and no warning",
                    p.id, pd.index
                ));
            }
        }
    }
    for t in &a.tests {
        if (t.statistic.is_none() || t.p_value.is_none()) && t.note.is_none() {
            bad.push(format!(
                "test {} {} {}: null without a note",
                t.kind, t.group, t.variable
            ));
        }
    }
    for m in &a.mixed_models {
        if (m.fixed.is_empty() || m.sd_residual.is_none()) && m.note.is_none() {
            bad.push(format!(
                "mixed model {} {:?}: not fitted, no note",
                m.group, m.measure
            ));
        }
    }
    for d in &a.d50 {
        if d.curve.is_none() && d.note.is_none() {
            bad.push(format!("d50 {}: null without a note", d.id));
        }
    }
    bad
}

fn settings() -> Settings {
    Settings {
        include_series: true,
        ..Settings::default()
    }
}

/// Run, and assert: success, all numbers finite, every null explained. Returns the analysis.
fn check_with(text: &str, s: &Settings) -> Analysis {
    let a = run(text, s).unwrap_or_else(|e| panic!("analysis failed: {}\n{text}", e.message));
    let mut bad = Vec::new();
    walk(&serde_json::to_value(&a).unwrap(), "$", &mut bad);
    bad.extend(check_structs(&a));
    bad.extend(check_reasons(&a));
    assert!(bad.is_empty(), "{bad:#?}\n--- input ---\n{text}");
    // The other outputs must cope too.
    let _ = als_progression::output::to_csv(&a);
    let _ = als_progression::output::to_text(&a);
    a
}

fn check(text: &str) -> Analysis {
    check_with(text, &settings())
}

const HEADER: &str = "id,group,visit_date,alsfrs_r,fvc,event,onset\n";

/// A typical patient: 3 lead-in visits, an injection, 3 follow-up visits.
fn typical(id: &str, group: &str, start: i32, pre: [u32; 3], post: [u32; 3]) -> String {
    let mut s = String::new();
    let days = [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1)];
    let ys = [pre[0], pre[1], pre[2], post[0], post[1], post[2]];
    for (i, ((m, d), y)) in days.iter().zip(ys).enumerate() {
        let onset = if i == 0 {
            format!("{}-01-01", start - 2)
        } else {
            String::new()
        };
        let ev = if i == 3 { "injection" } else { "" };
        s.push_str(&format!(
            "{id},{group},{start}-{m:02}-{d:02},{y},{},{ev},{onset}\n",
            60 + y
        ));
    }
    s
}

#[test]
fn one_patient_gives_finite_results_and_explained_nulls() {
    let text = format!(
        "{HEADER}{}",
        typical("P1", "A", 2020, [40, 39, 38], [38, 38, 37])
    );
    let a = check(&text);
    assert_eq!(
        a.patients
            .iter()
            .filter(|p| p.measure == Measure::AlsfrsR)
            .count(),
        1
    );
    let p = &a.patients[0];
    assert!(p.pre_rate.is_some() && p.post_rate.is_some());
}

#[test]
fn two_patients_give_finite_group_statistics() {
    let text = format!(
        "{HEADER}{}{}",
        typical("P1", "A", 2020, [40, 39, 38], [38, 38, 37]),
        typical("P2", "A", 2020, [44, 42, 40], [40, 40, 40])
    );
    let a = check(&text);
    assert!(!a.summaries.is_empty());
}

#[test]
fn all_visits_on_one_date_give_no_slope_with_a_reason() {
    let text = "id,visit_date,alsfrs_r,event\n\
                P1,2020-01-01,40,injection\n\
                P1,2020-01-01,39,\n\
                P1,2020-01-01,38,\n\
                P2,2020-01-01,30,injection\n\
                P2,2020-01-01,30,\n";
    let a = check(text);
    for p in &a.patients {
        assert!(p.pre_rate.is_none() && p.post_rate.is_none(), "{p:?}");
        assert!(p.periods.iter().all(|pd| pd.slope.is_none()));
    }
}

#[test]
fn all_scores_equal_give_zero_rates_and_undefined_improvement_with_a_note() {
    let mut text = String::from(HEADER);
    for i in 0..5 {
        text.push_str(&typical(
            &format!("P{i}"),
            "A",
            2020,
            [40, 40, 40],
            [40, 40, 40],
        ));
    }
    let a = check(&text);
    for p in a.patients.iter().filter(|p| p.measure == Measure::AlsfrsR) {
        assert_eq!(p.pre_rate, Some(0.0));
        assert_eq!(p.post_rate, Some(0.0));
        assert_eq!(p.improvement_pct, None);
        assert!(p.notes.iter().any(|n| n.contains("zero")), "{:?}", p.notes);
    }
}

#[test]
fn ties_everywhere_give_finite_tests() {
    // Every patient has the same pre- and post-rate: all differences tie (and are equal).
    let mut text = String::from(HEADER);
    for i in 0..8 {
        let g = if i % 2 == 0 { "A" } else { "B" };
        text.push_str(&typical(
            &format!("P{i}"),
            g,
            2020,
            [42, 41, 40],
            [40, 39, 38],
        ));
    }
    let a = check(&text);
    assert!(!a.tests.is_empty());
}

#[test]
fn ties_in_differences_but_not_all_equal_give_finite_tests() {
    let mut text = String::from(HEADER);
    let pats: [([u32; 3], [u32; 3]); 6] = [
        ([42, 41, 40], [40, 40, 40]),
        ([42, 41, 40], [40, 40, 40]),
        ([42, 40, 38], [38, 37, 36]),
        ([42, 40, 38], [38, 37, 36]),
        ([42, 41, 40], [40, 39, 38]),
        ([42, 41, 40], [40, 39, 38]),
    ];
    for (i, (pre, post)) in pats.iter().enumerate() {
        let g = if i < 3 { "A" } else { "B" };
        text.push_str(&typical(&format!("P{i}"), g, 2020, *pre, *post));
    }
    check(&text);
}

#[test]
fn dates_a_century_apart_give_finite_results() {
    let text = "id,visit_date,alsfrs_r,fvc,event,onset\n\
                P1,1920-01-01,48,100,,1919-06-01\n\
                P1,1920-06-01,46,95,,\n\
                P1,1970-01-01,40,80,injection,\n\
                P1,2020-01-01,30,60,,\n\
                P1,2020-02-01,29,58,,\n\
                P2,1920-03-01,47,99,,\n\
                P2,2020-01-01,20,50,injection,\n\
                P2,2020-12-31,18,40,,\n";
    let a = check(text);
    let p = a
        .patients
        .iter()
        .find(|p| &*p.id == "P1" && p.measure == Measure::AlsfrsR)
        .unwrap();
    assert!(p.pre_rate.is_some() && p.post_rate.is_some());
}

#[test]
fn extreme_valid_scores_give_finite_results() {
    // Range ends of every scale: ALSFRS-R 0–48, FVC 0–200, Appel 30–164.
    let text = "id,visit_date,alsfrs_r,fvc,aals,event,onset\n\
                P1,2020-01-01,48,200,30,,2019-12-31\n\
                P1,2020-01-02,0,0,164,,\n\
                P1,2020-01-03,48,200,30,injection,\n\
                P1,2020-01-04,0,0,164,,\n\
                P1,2020-01-05,48,200,30,,\n\
                P2,2020-01-01,0,0,164,,2019-12-31\n\
                P2,2020-01-02,0,0,164,injection,\n\
                P2,2020-01-03,48,200,30,,\n";
    check(text);
}

#[test]
fn fractional_scores_and_times_one_second_apart_give_finite_results() {
    let text = "id,visit_date,fvc,event\n\
                P1,2020-01-01 00:00:00,99.999999,\n\
                P1,2020-01-01 00:00:01,0.000001,\n\
                P1,2020-01-01 00:00:02,199.999999,injection\n\
                P1,2020-01-01 00:00:03,0.000001,\n\
                P1,2020-01-01 00:00:04,200,\n";
    check(text);
}

fn cohort() -> String {
    let mut text = String::from(HEADER);
    for i in 0..6 {
        let g = if i % 2 == 0 { "A" } else { "B" };
        let d = i as u32 % 3;
        text.push_str(&typical(
            &format!("P{i}"),
            g,
            2020,
            [44, 43 - d, 42 - 2 * d],
            [41, 41 - d, 40],
        ));
    }
    text
}

#[test]
fn tiny_and_huge_month_days_give_finite_results() {
    let text = cohort();
    for md in [1e-300, 1e-9, 1e-3, 1e3, 1e9, 1e300, f64::MAX, 0.0, -30.0] {
        let s = Settings {
            month_days: md,
            ..settings()
        };
        check_with(&text, &s);
    }
}

/// A subnormal month length (once turned every time into ±inf) falls back to 365.25/12
/// (`Settings::month_len`, the one place every module takes the month length from).
#[test]
fn subnormal_month_days_give_finite_times() {
    let text = cohort();
    for md in [f64::MIN_POSITIVE, 1e-305] {
        let s = Settings {
            month_days: md,
            ..settings()
        };
        check_with(&text, &s);
    }
}

#[test]
fn extreme_responder_thresholds_give_finite_results() {
    let text = cohort();
    for (pct, abs) in [
        (0.0, None),
        (-1e300, Some(-1e300)),
        (1e300, Some(1e300)),
        (f64::MAX, Some(f64::MIN)),
    ] {
        let s = Settings {
            responder_pct: pct,
            responder_abs: abs,
            ..settings()
        };
        check_with(&text, &s);
    }
}

#[test]
fn pre_rate_of_exactly_zero_leaves_improvement_null_with_a_note() {
    let text = format!(
        "{HEADER}{}",
        typical("P1", "A", 2020, [40, 40, 40], [40, 38, 36])
    );
    let a = check(&text);
    let p = a
        .patients
        .iter()
        .find(|p| p.measure == Measure::AlsfrsR)
        .unwrap();
    assert_eq!(p.pre_rate, Some(0.0));
    assert!(p.post_rate.unwrap() > 0.0);
    assert_eq!(p.improvement_pct, None);
    assert_eq!(p.responder, None);
    assert!(p.change.is_some());
    assert!(
        p.notes.iter().any(|n| n.contains("pre-rate is zero")),
        "{:?}",
        p.notes
    );
    assert!(p.period_improvement_pct.iter().all(Option::is_none));
}

#[test]
fn patient_with_one_visit_gives_nulls_with_reasons() {
    let text = format!(
        "{HEADER}P1,A,2020-01-01,40,90,injection,2019-01-01\n{}",
        typical("P2", "A", 2020, [40, 39, 38], [38, 38, 37])
    );
    let a = check(&text);
    let p = a
        .patients
        .iter()
        .find(|p| &*p.id == "P1" && p.measure == Measure::AlsfrsR)
        .unwrap();
    assert_eq!(p.n_visits, 1);
    assert!(p.post_rate.is_none());
}

#[test]
fn event_before_every_visit_gives_no_lead_in_but_an_explained_null() {
    let text = "id,visit_date,alsfrs_r,event\n\
                P1,2019-12-01,,injection\n\
                P1,2020-01-01,40,\n\
                P1,2020-02-01,39,\n\
                P1,2020-03-01,37,\n";
    let a = check(text);
    let p = &a.patients[0];
    assert!(p.pre_rate.is_none());
    assert!(p.post_rate.is_some());
    assert!(p.periods[0].n_visits == 0);
}

#[test]
fn event_before_every_visit_with_onset_pre_source_gives_an_explained_null() {
    let text = "id,visit_date,alsfrs_r,event,onset\n\
                P1,2019-12-01,,injection,2019-01-01\n\
                P1,2020-01-01,40,,\n\
                P1,2020-02-01,39,,\n";
    let s = Settings {
        pre_source: als_progression::settings::PreSource::Onset,
        ..settings()
    };
    let a = check_with(text, &s);
    assert!(a.patients[0].pre_rate.is_none());
}

#[test]
fn event_after_every_visit_gives_no_post_rate_with_a_reason() {
    let text = "id,visit_date,alsfrs_r,event\n\
                P1,2020-01-01,40,\n\
                P1,2020-02-01,39,\n\
                P1,2020-03-01,37,\n\
                P1,2020-06-01,,injection\n";
    let a = check(text);
    let p = &a.patients[0];
    assert!(p.pre_rate.is_some());
    assert!(p.post_rate.is_none());
    assert!(
        p.notes.iter().any(|n| n.contains("no visits after")),
        "{:?}",
        p.notes
    );
}

#[test]
fn two_groups_where_one_has_a_single_patient_give_finite_comparisons() {
    let mut text = String::from(HEADER);
    for i in 0..5 {
        let d = i as u32 % 3;
        text.push_str(&typical(
            &format!("A{i}"),
            "big",
            2020,
            [44, 43 - d, 42 - d],
            [41, 40, 40 - d],
        ));
    }
    text.push_str(&typical("B0", "lonely", 2020, [44, 42, 40], [40, 39, 38]));
    let a = check(&text);
    assert_eq!(a.groups, vec!["big".to_string(), "lonely".to_string()]);
}

#[test]
fn wide_layout_with_every_edge_at_once_gives_finite_results() {
    // One visit, equal scores, no post data, a single-patient group.
    let text = "id,group,-3,0,3,6\n\
                P1,A,40,,,\n\
                P2,A,40,40,40,40\n\
                P3,B,40,38,,\n\
                P4,A,48,30,20,0\n";
    check(text);
}

#[test]
fn relative_time_axis_with_huge_offsets_gives_finite_results() {
    let text = "id,day,alsfrs_r,event\n\
                P1,-1000000,48,\n\
                P1,0,40,inj\n\
                P1,1000000,0,\n\
                P2,0,40,\n\
                P2,1,40,inj\n\
                P2,2,39,\n";
    check(text);
}
