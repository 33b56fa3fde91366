use super::*;
use crate::analysis::*;
use crate::data::Scores;
use crate::input::InputInfo;
use crate::models::{D50Entry, FixedEffect, MixedModelEntry};
use crate::settings::*;

const XSS: &str = "<img src=x onerror=alert(1)>";

struct Spec<'a> {
    id: &'a str,
    group: &'a str,
    pre: f64,
    post: f64,
    wobble: f64,
}

fn fixed(term: &str, estimate: f64) -> FixedEffect {
    FixedEffect {
        term: term.into(),
        estimate,
        se: 0.1,
        df: Some(10.0),
        t_value: 1.0,
        p_value: Some(0.5),
        ci_low: None,
        ci_high: None,
    }
}

fn period(
    index: usize,
    start: f64,
    end: f64,
    intercept: f64,
    slope: f64,
    event: Option<&str>,
) -> Period {
    Period {
        index,
        name: "".into(),
        shorter_than_schedule: false,
        start,
        end,
        start_date: None,
        end_date: None,
        n_visits: 4,
        slope: Some(slope),
        slope_se: Some(0.05),
        slope_ci_low: None,
        slope_ci_high: None,
        intercept: Some(intercept),
        rate: Some(-slope),
        event: event.map(Into::into),
        warning: None,
    }
}

/// Visits monthly from −6 to 12, event at 0 ("Injection 1") and 4 ("Injection 2"):
/// slope `pre` before 0, `post` after.
fn build(specs: &[Spec]) -> Analysis {
    let m = Measure::AlsfrsR;
    let mut patients = Vec::new();
    let mut series = Vec::new();
    for (k, s) in specs.iter().enumerate() {
        let base = 40.0 - k as f64;
        let score = |t: f64| {
            if t <= 0.0 {
                base + s.pre * t
            } else {
                base + s.post * t
            }
        };
        let visits = (-6..=12)
            .filter(|t| t % 2 == 0 || k % 2 == 0)
            .map(|t| {
                let t = t as f64 + 0.1 * s.wobble * ((t as f64) * 1.7).sin();
                let mut scores = Scores::NONE;
                scores.set(m.index(), score(t) + s.wobble * (t * 2.3).cos());
                scores.set(Measure::Fvc.index(), 90.0 + 2.0 * s.pre * t);
                SeriesVisit { t, line: 2, scores }
            })
            .collect();
        series.push(Series {
            id: s.id.into(),
            group: s.group.into(),
            origin: "first_event".into(),
            onset: Some(-20.0 - k as f64),
            events: vec![
                SeriesEvent {
                    t: 0.0,
                    label: "Injection 1".into(),
                },
                SeriesEvent {
                    t: 4.0,
                    label: "Injection 2".into(),
                },
            ],
            visits,
        });
        let pre_rate = -s.pre;
        let post_rate = -s.post;
        let imp = if pre_rate != 0.0 {
            Some((pre_rate - post_rate) / pre_rate * 100.0)
        } else {
            None
        };
        patients.push(PatientResult {
            id: s.id.into(),
            group: s.group.into(),
            measure: m,
            n_visits: 19,
            delta_fs: Some(0.5),
            periods: vec![
                period(0, -6.0, 0.0, base, s.pre, None),
                period(1, 0.0, 4.0, base, s.post, Some("Injection 1")),
                period(
                    2,
                    4.0,
                    12.0 + k as f64,
                    base,
                    s.post * 1.1,
                    Some("Injection 2"),
                ),
            ],
            course_rate: None,
            course_rate_se: None,
            course_rate_ci_low: None,
            course_rate_ci_high: None,
            pre_rate: Some(pre_rate),
            pre_source: Some("lead-in".into()),
            post_rate: Some(post_rate),
            change: Some(pre_rate - post_rate),
            improvement_pct: imp,
            improvement_unreliable: false,
            period_improvement_pct: vec![imp, imp.map(|v| v * 0.8)],
            responder: imp.map(|v| v > 25.0),
            first_event: Some(0.0),
            notes: vec![],
            warnings: vec![],
            lost_data: false,
        });
    }
    let mut groups: Vec<String> = Vec::new();
    for s in specs {
        if !groups.iter().any(|g| g == s.group) {
            groups.push(s.group.into());
        }
    }
    Analysis {
        settings: Settings::default(),
        input: InputInfo {
            layout: "long".into(),
            delimiter: "comma".into(),
            n_rows: 0,
            columns: vec![],
            time_axis: "relative".into(),
            date_format: None,
            measures_present: vec![m, Measure::Fvc],
        },
        measures: vec![m, Measure::Fvc],
        groups,
        patients,
        summaries: vec![],
        responders: vec![],
        tests: vec![TestEntry {
            kind: TestKind::Spearman,
            measure: m,
            group: "all".into(),
            variable: TestVariable::ImprovementVsInterval,
            n: 8,
            statistic: Some(12.0),
            p_value: Some(0.042),
            method: "Spearman's rank correlation rho (exact)".into(),
            estimate: Some(-0.43),
            note: None,
            title: String::new(),
            direction: None,
            power_note: None,
        }],
        mixed_models: vec![MixedModelEntry {
            group: "Treated".into(),
            measure: m,
            formula: "score ~ 1 + t + t_after + (1 + t | patient)".into(),
            method: "REML".into(),
            n_obs: 40,
            n_patients: 3,
            n_patients_without_event: 0,
            fixed: vec![
                fixed("(Intercept)", 39.0),
                fixed("t", -1.0),
                fixed("t_after", 0.6),
            ],
            sd_intercept: Some(1.0),
            sd_slope: Some(0.2),
            corr: Some(0.1),
            sd_residual: Some(0.5),
            reml_criterion: Some(100.0),
            converged: true,
            singular: false,
            note: None,
        }],
        d50: vec![D50Entry {
            id: "P01".into(),
            group: "Treated".into(),
            n_visits: 19,
            d50: Some(40.0),
            dx: Some(12.0),
            rmse: Some(0.8),
            phases: vec![],
            note: None,
        }],
        model_notes: vec![],
        counts: Default::default(),
        diagnostics: vec![],
        series,
    }
}

fn fixture() -> Analysis {
    build(&[
        Spec {
            id: "P01",
            group: "Treated",
            pre: -1.0,
            post: -0.4,
            wobble: 0.3,
        },
        Spec {
            id: "P02",
            group: "Treated",
            pre: -0.8,
            post: -0.7,
            wobble: 0.5,
        },
        Spec {
            id: XSS,
            group: "Control",
            pre: -1.2,
            post: -1.1,
            wobble: 0.2,
        },
        Spec {
            id: "P04",
            group: "Control",
            pre: -0.5,
            post: 0.2,
            wobble: 0.4,
        },
        Spec {
            id: "P05",
            group: "Treated",
            pre: -0.2,
            post: -1.4,
            wobble: 0.1,
        },
    ])
}

fn opts(selected: Option<&str>) -> ChartOptions {
    ChartOptions {
        selected: selected.map(String::from),
        show_models: true,
        ..ChartOptions::default()
    }
}

fn svg_size(svg: &str) -> (u32, u32) {
    let head = &svg[..svg.find('>').unwrap()];
    let attr = |name: &str| -> u32 {
        let i = head.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        head[i..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("width"), attr("height"))
}

fn check(kind: ChartKind, a: &Analysis, o: &ChartOptions) -> (String, ChartOutput) {
    let (svg, out) =
        render_svg_output(kind, a, o).unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
    assert!(svg.trim_start().starts_with("<svg"), "{}", kind.name());
    assert!(svg.trim_end().ends_with("</svg>"), "{}", kind.name());
    assert!(
        !svg.contains("NaN") && !svg.contains("inf"),
        "{}: non-finite number in SVG",
        kind.name()
    );
    let (w, h) = svg_size(&svg);
    for hit in &out.hits {
        assert!(
            hit.x >= 0.0 && hit.x <= w as f64 && hit.y >= 0.0 && hit.y <= h as f64,
            "{} hit {hit:?}",
            kind.name()
        );
    }
    assert!(!out.description.is_empty());
    assert_eq!(out.description, describe(kind, a, o));
    (svg, out)
}

#[test]
fn names_round_trip() {
    for k in ChartKind::ALL {
        assert_eq!(ChartKind::from_name(k.name()), Some(k));
        assert!(!k.title().is_empty());
    }
    assert_eq!(ChartKind::from_name("pie"), None);
}

#[test]
fn options_deserialize_with_defaults() {
    let o: ChartOptions = serde_json::from_str(r#"{"measure":"fvc","dpr":2}"#).unwrap();
    assert_eq!(o.measure, Some(Measure::Fvc));
    assert_eq!((o.width, o.height, o.dpr), (800, 500, 2.0));
    assert_eq!(o.error_bars, "sd");
}

#[test]
fn every_chart_renders_with_axis_titles_and_hits() {
    let a = fixture();
    let titles: [(ChartKind, &[&str]); 6] = [
        (
            ChartKind::Trajectories,
            &["Months from first event", "ALSFRS-R (points)"],
        ),
        (
            ChartKind::Patient,
            &["Months from first event", "ALSFRS-R (points)"],
        ),
        (
            ChartKind::Slopegraph,
            &["Decline (points/month)", "Pre", "Post"],
        ),
        (
            ChartKind::Waterfall,
            &["Improvement in decline rate (%)", "25% threshold"],
        ),
        (
            ChartKind::GroupMean,
            &["Months from first event", "ALSFRS-R (points)"],
        ),
        (
            ChartKind::Interval,
            &[
                "Period length (months)",
                "Improvement in decline rate (%)",
                "ρ",
            ],
        ),
    ];
    for (kind, want) in titles {
        let (svg, out) = check(kind, &a, &opts(Some("P01")));
        for t in want {
            assert!(svg.contains(t), "{}: missing {t:?}", kind.name());
        }
        assert!(!out.hits.is_empty(), "{}: no hits", kind.name());
    }
}

#[test]
fn ids_are_escaped() {
    let a = fixture();
    for kind in ChartKind::ALL {
        let (svg, out) = check(kind, &a, &opts(Some(XSS)));
        assert!(!svg.contains("<img"), "{}: raw id in SVG", kind.name());
        if kind != ChartKind::GroupMean {
            assert!(
                svg.contains("&lt;img"),
                "{}: selected id label missing",
                kind.name()
            );
            assert!(out.hits.iter().any(|h| h.id == XSS), "{}", kind.name());
        }
    }
}

#[test]
fn dpr_doubles_the_canvas() {
    let a = fixture();
    for kind in ChartKind::ALL {
        let one = render_svg(kind, &a, &opts(None)).unwrap();
        let two = render_svg(
            kind,
            &a,
            &ChartOptions {
                dpr: 2.0,
                ..opts(None)
            },
        )
        .unwrap();
        assert_eq!(svg_size(&one), (800, 500));
        assert_eq!(svg_size(&two), (1600, 1000));
    }
}

#[test]
fn chart_specific_content() {
    let a = fixture();
    let (svg, out) = check(ChartKind::Patient, &a, &opts(Some("P01")));
    assert!(svg.contains("/mo"), "rate labels");
    assert!(svg.contains("Injection 1"), "event labels");
    assert!(svg.contains("D50"), "D50 curve legend");
    assert!(out.hits.iter().all(|h| h.id == "P01"));
    let (_, out) = check(ChartKind::Slopegraph, &a, &opts(None));
    assert_eq!(out.hits.len(), 10, "two endpoints per patient");
    let (_, out) = check(ChartKind::Waterfall, &a, &opts(None));
    assert_eq!(out.hits.len(), 5);
    assert!(
        out.description.contains("5 patients"),
        "{}",
        out.description
    );
    let (svg, _) = check(
        ChartKind::GroupMean,
        &a,
        &ChartOptions {
            error_bars: "se".into(),
            ..opts(None)
        },
    );
    assert!(svg.contains("SE"));
    let (svg, out) = check(ChartKind::Interval, &a, &opts(None));
    assert!(svg.contains("−0.43"), "Spearman rho shown");
    assert_eq!(out.hits.len(), 10);
    let (svg, _) = check(ChartKind::Trajectories, &a, &opts(None));
    assert!(svg.contains("Mixed model"));
    // other measure
    let (svg, _) = check(
        ChartKind::Trajectories,
        &a,
        &ChartOptions {
            measure: Some(Measure::Fvc),
            ..opts(None)
        },
    );
    assert!(svg.contains("FVC (% predicted)"));
}

fn empty() -> Analysis {
    build(&[])
}

#[test]
fn edge_cases_do_not_panic() {
    let mut cases: Vec<(&str, Analysis)> = vec![("empty", empty())];
    cases.push((
        "one",
        build(&[Spec {
            id: "only",
            group: "G",
            pre: -1.0,
            post: -0.5,
            wobble: 0.0,
        }]),
    ));
    // all values equal: flat scores, equal rates (improvement 0 or undefined)
    let mut flat = build(&[
        Spec {
            id: "a",
            group: "G",
            pre: 0.0,
            post: 0.0,
            wobble: 0.0,
        },
        Spec {
            id: "b",
            group: "G",
            pre: 0.0,
            post: 0.0,
            wobble: 0.0,
        },
    ]);
    for s in &mut flat.series {
        for v in &mut s.visits {
            v.scores.set(Measure::AlsfrsR.index(), 30.0);
        }
    }
    cases.push(("flat", flat));
    let long = "x".repeat(10_000);
    cases.push((
        "long id",
        build(&[Spec {
            id: &long,
            group: &long,
            pre: -1.0,
            post: -0.2,
            wobble: 0.1,
        }]),
    ));
    // NaN / infinite values everywhere
    let mut bad = fixture();
    for p in &mut bad.patients {
        p.pre_rate = Some(f64::NAN);
        p.improvement_pct = Some(f64::INFINITY);
        p.period_improvement_pct = vec![Some(f64::NAN), None];
        for per in &mut p.periods {
            per.slope = Some(f64::NAN);
            per.start = f64::NEG_INFINITY;
        }
    }
    bad.series[0].visits[0].t = f64::NAN;
    bad.series[1].visits[1]
        .scores
        .set(Measure::AlsfrsR.index(), f64::INFINITY);
    bad.series[2].events.push(SeriesEvent {
        t: f64::NAN,
        label: "bad".into(),
    });
    bad.d50[0].dx = Some(0.0);
    bad.tests[0].estimate = Some(f64::NAN);
    cases.push(("non-finite", bad));
    // extreme improvements (clipped bars)
    let mut wild = fixture();
    wild.patients[0].improvement_pct = Some(5000.0);
    wild.patients[1].improvement_pct = Some(-9000.0);
    wild.patients[0].period_improvement_pct = vec![Some(1e9), Some(-1e9)];
    cases.push(("wild", wild));
    for (name, a) in &cases {
        for kind in ChartKind::ALL {
            for o in [
                opts(None),
                opts(Some("only")),
                opts(Some(&"x".repeat(10_000))),
                ChartOptions {
                    width: 0,
                    height: 0,
                    dpr: f64::NAN,
                    ..opts(Some("a"))
                },
                ChartOptions {
                    width: 200,
                    height: 150,
                    dpr: 3.0,
                    error_bars: "se".into(),
                    ..opts(None)
                },
            ] {
                let (svg, _) = check(kind, a, &o);
                assert!(
                    !svg.contains(&"x".repeat(100)),
                    "{name}/{}: long id not truncated",
                    kind.name()
                );
            }
        }
    }
}

#[test]
fn wide_waterfall_clips_and_says_so() {
    let mut a = fixture();
    a.patients[0].improvement_pct = Some(5000.0);
    let (svg, out) = check(ChartKind::Waterfall, &a, &opts(None));
    assert!(svg.contains("5000%"), "clipped bar labelled with its value");
    assert!(out.description.contains("clipped"), "{}", out.description);
}

/// 10,000 patients × 15 visits render, with a bounded number of hit targets (the drawing time
/// is measured by `npm run bench:page`, not here).
#[test]
fn large_trajectories_render() {
    let specs: Vec<(String, String)> = (0..10_000)
        .map(|i| (format!("P{i:05}"), format!("G{}", i % 3)))
        .collect();
    let mut a = build(&[]);
    a.groups = vec!["G0".into(), "G1".into(), "G2".into()];
    for (k, (id, g)) in specs.iter().enumerate() {
        let slope = -0.3 - (k % 17) as f64 * 0.05;
        a.series.push(Series {
            id: id.as_str().into(),
            group: g.as_str().into(),
            origin: "first_event".into(),
            onset: None,
            events: vec![SeriesEvent {
                t: 0.0,
                label: "Start".into(),
            }],
            visits: (0..15)
                .map(|j| {
                    let t = j as f64 - 4.0 + (k % 7) as f64 * 0.05;
                    let mut scores = Scores::NONE;
                    scores.set(Measure::AlsfrsR.index(), 42.0 + slope * t + (k % 5) as f64);
                    SeriesVisit { t, line: 0, scores }
                })
                .collect(),
        });
    }
    let o = opts(Some("P00042"));
    let (svg, out) = render_svg_output(ChartKind::Trajectories, &a, &o).unwrap();
    assert!(svg.ends_with("</svg>\n") || svg.ends_with("</svg>"));
    assert!(
        out.hits.len() <= 20_100 && out.hits.len() > 1000,
        "{}",
        out.hits.len()
    );
    for kind in ChartKind::ALL {
        render_svg(kind, &a, &o).unwrap();
    }
}

/// Writes every chart to target/charts/*.svg for eyeballing (cargo test -- --ignored).
#[test]
#[ignore]
fn write_samples() {
    let a = fixture();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/charts");
    std::fs::create_dir_all(&dir).unwrap();
    for kind in ChartKind::ALL {
        let svg = render_svg(kind, &a, &opts(Some("P01"))).unwrap();
        std::fs::write(dir.join(format!("{}.svg", kind.name())), svg).unwrap();
    }
}
