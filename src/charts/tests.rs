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
/// King's and MiToS stages at four visits per patient (the stage timeline), one undetermined.
fn stages_of(specs: &[Spec]) -> Vec<crate::analysis::StageEntry> {
    use crate::staging::kings::KingsStage as K;
    use crate::staging::mitos::MitosStage as M;
    let mut out = Vec::new();
    for (k, s) in specs.iter().enumerate() {
        let kings = [Some(K::S1), Some(K::S2), None, Some(K::S4A)];
        let mitos = [Some(M::S0), Some(M::S1), None, Some(M::S2)];
        for (i, t) in [-6.0, 0.0, 4.0, 12.0 + (k % 4) as f64]
            .into_iter()
            .enumerate()
        {
            out.push(crate::analysis::StageEntry {
                id: s.id.into(),
                date: None,
                t,
                kings: kings[i].map(|x| if k % 2 == 1 && i == 3 { K::S4B } else { x }),
                kings_reason: String::new(),
                mitos: mitos[i],
                mitos_reason: String::new(),
            });
        }
    }
    out
}

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
            pre_source: Some(crate::settings::PreSource::LeadIn),
            post_rate: Some(post_rate),
            change: Some(pre_rate - post_rate),
            improvement_pct: imp,
            improvement_unreliable: false,
            period_improvement_pct: vec![imp, imp.map(|v| v * 0.8)].into(),
            responder: imp.map(|v| v > 25.0),
            first_event: Some(0.0),
            notes: vec![],
            warnings: vec![],
            lost_data: false,
            staging: None,
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
            tables: vec![],
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
            curve: Some(Box::new(crate::models::D50Curve {
                d50: 40.0,
                dx: 12.0,
                rmse: 0.8,
                phases: vec![],
            })),
            note: None,
        }],
        model_notes: vec![],
        counts: Default::default(),
        survival: vec![],
        survival_tests: vec![],
        cafs: vec![],
        slope_sensitivity: vec![],
        diagnostics: vec![],
        series,
        stages: stages_of(specs),
        stage_times: vec![],
        stage_mix: vec![],
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

/// The SVG's size in pixels (its view box: a fixed-size SVG's width and height are in mm).
fn svg_size(svg: &str) -> (u32, u32) {
    let head = &svg[..svg.find('>').unwrap()];
    let i = head.find(" viewBox=\"0 0 ").unwrap() + 14;
    let mut v = head[i..].split('"').next().unwrap().split(' ');
    let mut n = || v.next().unwrap().parse().unwrap();
    (n(), n())
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
            &["Decline (points per month)", "Before", "After"],
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
                "Period length after each event (months)",
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
        // (the survival charts: the fixture has no endpoints; the Kaplan–Meier chart shows groups)
        if !matches!(
            kind,
            ChartKind::GroupMean | ChartKind::Survival | ChartKind::Cafs
        ) {
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
    assert!(svg.contains("points per month"), "rate labels");
    assert!(!svg.contains("points/month"), "rate labels");
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

/// Issue #23: death is stage 5 of King's (Balendra et al. 2014) and MiToS (Chiò et al. 2015). A
/// patient who died after the last visit has a bar that runs on to the death and ends in a
/// stage-5 cap there, in the chart and in its description; without a death, as before.
#[test]
fn swimmer_shows_stage_5_at_the_death() {
    let alive = fixture();
    let mut dead = fixture();
    for p in dead.patients.iter_mut().filter(|p| &*p.id == "P01") {
        p.staging_mut().death_t = Some(20.0);
    }
    let top = |out: &ChartOutput, id: &str| out.hits.iter().find(|h| h.id == id).unwrap().y;
    // P01 and P05 have their last visits at month 12 (`stages_of`).
    let (svg, out) = check(ChartKind::Swimmer, &alive, &opts(Some("P01")));
    assert_eq!(top(&out, "P01"), top(&out, "P05"));
    assert!(!svg.contains("King&apos;s 5") && !svg.contains("King's 5"));
    assert!(!out.description.contains("death"), "{}", out.description);
    let (svg, out) = check(ChartKind::Swimmer, &dead, &opts(Some("P01")));
    // The bar reaches the death (month 20 of a 0–20 range: well above month 12).
    assert!(
        top(&out, "P01") < top(&out, "P05") - 50.0,
        "{} vs {}",
        top(&out, "P01"),
        top(&out, "P05")
    );
    // Stage 5 in the legend, and drawn: a black cap (stage 5's colour) at the top of P01's bar,
    // as wide as the bar (the legend's swatch is 10 px).
    assert!(svg.contains("King&apos;s 5") || svg.contains("King's 5"));
    let attr = |l: &str, name: &str| -> f64 {
        let i = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        l[i..].split('"').next().unwrap().parse().unwrap()
    };
    let caps: Vec<(f64, f64)> = svg
        .lines()
        .filter(|l| l.contains("<rect") && l.contains(r##"fill="#000000""##))
        .map(|l| (attr(l, "y"), attr(l, "width")))
        .filter(|&(_, w)| w > 20.0)
        .collect();
    assert_eq!(caps.len(), 1, "one stage-5 cap in\n{svg}");
    assert!((caps[0].0 - top(&out, "P01")).abs() <= 2.0, "{caps:?}");
    assert!(
        out.description.contains(
            "Highlighted: P01, King's 1 → 2 → undetermined → 4A → 5 (death) (months −6.0 to 20.0)"
        ),
        "{}",
        out.description
    );
    assert!(
        out.description
            .contains("1 died: their bars run to the death, stage 5 from there")
            && out
                .description
                .contains("At the end: stage 4A: 2, stage 4B: 2, stage 5: 1"),
        "{}",
        out.description
    );
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
        p.period_improvement_pct = vec![Some(f64::NAN), None].into();
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
    bad.d50[0].curve.as_mut().unwrap().dx = 0.0;
    bad.tests[0].estimate = Some(f64::NAN);
    cases.push(("non-finite", bad));
    // extreme improvements (clipped bars)
    let mut wild = fixture();
    wild.patients[0].improvement_pct = Some(5000.0);
    wild.patients[1].improvement_pct = Some(-9000.0);
    wild.patients[0].period_improvement_pct = vec![Some(1e9), Some(-1e9)].into();
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

/// Writes every chart of the examples (the design data sets) to target/charts/ for eyeballing,
/// at 360, 800 and 1280 CSS px wide (as the page sizes them, and a taller phone size), and at the
/// fixed sizes: `cargo test --lib write_samples -- --ignored`.
#[test]
#[ignore]
fn write_samples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/charts");
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings {
        include_series: true,
        ..Default::default()
    };
    let mut sizes: Vec<(String, ChartOptions)> = [(360, 223), (360, 320), (800, 496), (1280, 794)]
        .iter()
        .map(|&(w, h)| {
            (
                format!("{w}x{h}"),
                ChartOptions {
                    width: w,
                    height: h,
                    ..ChartOptions::default()
                },
            )
        })
        .collect();
    for p in SizePreset::ALL {
        sizes.push((p.name().to_string(), ChartOptions::default().sized(p)));
    }
    for example in ["lead-in", "controls", "repeated", "two-arm"] {
        let text = crate::synth::example_text(example).unwrap();
        let a = crate::pipeline::run(&text, &settings).unwrap();
        let selected = a.patients.get(1).map(|p| p.id.to_string());
        for (name, o) in &sizes {
            for kind in ChartKind::ALL {
                let o = ChartOptions {
                    selected: selected.clone(),
                    show_models: true,
                    ..o.clone()
                };
                let svg = render_svg(kind, &a, &o).unwrap();
                std::fs::write(
                    dir.join(format!("{example}.{}.{name}.svg", kind.name())),
                    svg,
                )
                .unwrap();
            }
        }
    }
    let a = fixture();
    for kind in ChartKind::ALL {
        let svg = render_svg(kind, &a, &opts(Some("P01"))).unwrap();
        std::fs::write(dir.join(format!("fixture.{}.svg", kind.name())), svg).unwrap();
    }
}

// ---- Layout: what is written never overlaps, labels and legends keep clear of the data ----

use super::labels::trace::{self, Trace};
use super::labels::{Ink, Rect};
use super::legend::Place;

/// A segment meets a box (checked by points along it every half pixel: not the placer's own
/// test).
fn meets(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    if ![p.0, p.1, q.0, q.1].iter().all(|v| v.is_finite()) {
        return false;
    }
    let n = ((q.0 - p.0).abs().max((q.1 - p.1).abs()) * 2.0)
        .ceil()
        .min(1e6) as usize
        + 1;
    (0..=n).any(|i| {
        let f = i as f64 / n as f64;
        let (x, y) = (p.0 + (q.0 - p.0) * f, p.1 + (q.1 - p.1) * f);
        x > r.x0 as f64 && x < r.x1 as f64 && y > r.y0 as f64 && y < r.y1 as f64
    })
}

fn ink_meets(i: &Ink, r: &Rect) -> bool {
    match i {
        Ink::Box(b) => b.x0 < r.x1 && r.x0 < b.x1 && b.y0 < r.y1 && r.y0 < b.y1,
        Ink::Line(p, q) => meets(*p, *q, r),
    }
}

fn shrink(r: &Rect) -> Rect {
    r.grow(-1)
}

/// Draws a chart and checks its layout: every text inside the canvas, no two texts overlapping,
/// every label inside the plotting area and clear of the data, the legend clear of the data
/// (inside) or below the plot. The trace, for more checks.
fn check_layout(what: &str, kind: ChartKind, a: &Analysis, o: &ChartOptions) -> Trace {
    let ((_, out), t) = trace::of(|| check(kind, a, o));
    let (w, h) = canvas_size(o);
    let canvas = Rect::new((0, 0), (w as i32, h as i32));
    let what = format!("{what} {} {}×{}", kind.name(), w, h);
    for (s, r) in &t.texts {
        assert!(
            r.within(&canvas.grow(1)),
            "{what}: {s:?} {r:?} outside the canvas"
        );
    }
    if out.hits.is_empty() {
        return t; // a note in the middle of an empty chart
    }
    let legend = match t.legend {
        Some(Place::Inside(r)) | Some(Place::Below(r)) => Some(r),
        None => None,
    };
    // Texts: pairwise apart (legend entries lie in the legend's box, apart from each other).
    for (i, (s, r)) in t.texts.iter().enumerate() {
        for (s2, r2) in &t.texts[i + 1..] {
            assert!(
                !shrink(r).overlaps(&shrink(r2)),
                "{what}: {s:?} {r:?} overlaps {s2:?} {r2:?}"
            );
        }
        if let Some(l) = legend {
            assert!(
                r.within(&l.grow(1)) || !shrink(r).overlaps(&l),
                "{what}: {s:?} {r:?} under the legend {l:?}"
            );
        }
    }
    let plot = t.plot.expect("a plotting area");
    for (s, r) in &t.labels {
        assert!(
            r.within(&plot),
            "{what}: label {s:?} {r:?} outside the plot {plot:?}"
        );
        for i in &t.ink {
            assert!(
                !ink_meets(i, r),
                "{what}: label {s:?} {r:?} over the data {i:?}"
            );
        }
    }
    match t.legend {
        Some(Place::Inside(r)) => {
            assert!(r.within(&plot), "{what}: legend {r:?} outside the plot");
            for i in &t.ink {
                assert!(
                    !ink_meets(i, &r),
                    "{what}: legend {r:?} over the data {i:?}"
                );
            }
        }
        Some(Place::Below(r)) => assert!(r.y0 >= plot.y1, "{what}: legend {r:?} not below"),
        None => {}
    }
    t
}

fn design(name: &str) -> Analysis {
    let text = crate::synth::example_text(name).unwrap();
    crate::pipeline::run(
        &text,
        &Settings {
            include_series: true,
            ..Default::default()
        },
    )
    .unwrap()
}

fn sized(w: u32, h: u32, selected: Option<String>) -> ChartOptions {
    ChartOptions {
        width: w,
        height: h,
        selected,
        show_models: true,
        ..ChartOptions::default()
    }
}

/// Every chart of every design data set, each patient selected in turn (the labels at the plot's
/// edges among them), on a phone (340, 360, 400 CSS px), a tablet, a desktop and at the fixed
/// sizes: no text over another, labels and legends clear of the data.
#[test]
fn layouts_of_the_design_data_sets_keep_text_apart_and_clear_of_the_data() {
    for name in ["lead-in", "controls", "repeated", "two-arm", "deaths"] {
        let a = design(name);
        let ids: Vec<Option<String>> = std::iter::once(None)
            .chain(a.patients.iter().map(|p| Some(p.id.to_string())))
            .collect();
        let mut sizes = vec![(340, 260), (360, 223), (400, 300), (820, 508), (1280, 794)];
        sizes.dedup();
        for kind in ChartKind::ALL {
            for (i, sel) in ids.iter().enumerate() {
                // Every patient at one size, a few at every size (the test's time).
                let at: Vec<(u32, u32)> = if i % 5 == 0 {
                    sizes.clone()
                } else {
                    vec![sizes[i % sizes.len()]]
                };
                for (w, h) in at {
                    check_layout(name, kind, &a, &sized(w, h, sel.clone()));
                }
            }
            for p in SizePreset::ALL {
                check_layout(name, kind, &a, &sized(0, 0, ids[1].clone()).sized(p));
            }
        }
    }
}

/// Adversarial data: many patients, extreme values at the plot's edges, long ids, the smallest
/// canvas.
#[test]
fn layouts_of_adversarial_data_keep_text_apart_and_clear_of_the_data() {
    let mut many: Vec<(String, &str, f64, f64)> = (0..120)
        .map(|i| {
            (
                format!("P{i:03}"),
                ["A", "B", "C"][i % 3],
                -1.0 - (i % 7) as f64 * 0.1,
                -0.2 - (i % 5) as f64 * 0.3,
            )
        })
        .collect();
    many.push(("a-very-long-patient-identifier-0001".into(), "A", -3.0, 2.0));
    let specs: Vec<Spec> = many
        .iter()
        .map(|(id, g, pre, post)| Spec {
            id,
            group: g,
            pre: *pre,
            post: *post,
            wobble: 0.2,
        })
        .collect();
    let mut a = build(&specs);
    a.patients[0].improvement_pct = Some(5000.0);
    a.patients[1].improvement_pct = Some(-9000.0);
    a.patients[2].improvement_pct = Some(299.0);
    for (sel, (w, h)) in [
        (None, (160, 120)),
        (Some("P000"), (340, 260)),
        (Some("P001"), (360, 223)),
        (Some("P002"), (400, 300)),
        (Some("a-very-long-patient-identifier-0001"), (360, 320)),
        (Some("P119"), (800, 500)),
    ] {
        for kind in ChartKind::ALL {
            check_layout("many", kind, &a, &sized(w, h, sel.map(String::from)));
        }
    }
    let f = fixture();
    for kind in ChartKind::ALL {
        for w in [160, 240, 340, 800] {
            check_layout(
                "fixture",
                kind,
                &f,
                &sized(w, w * 5 / 8, Some("P01".into())),
            );
        }
    }
}

/// The labels the issue named are placed where there is room (the checks above cannot pass by
/// leaving everything out), and every label's number is in the description when it is not.
#[test]
fn labels_are_placed_where_there_is_room_and_described_where_not() {
    let a = design("lead-in");
    let sel = Some(a.patients[1].id.to_string());
    let big = sized(1280, 794, sel.clone());
    let labels = |kind| check_layout("lead-in", kind, &a, &big).labels;
    let has = |l: &Vec<(String, Rect)>, s: &str| l.iter().any(|(t, _)| t.contains(s));
    let p = labels(ChartKind::Patient);
    assert!(has(&p, "points per month"), "slope labels: {p:?}");
    assert!(has(&p, "injection 1"), "event labels: {p:?}");
    let g = labels(ChartKind::GroupMean);
    assert!(
        g.iter().filter(|(t, _)| t.starts_with("n=")).count() >= 8,
        "{g:?}"
    );
    let w = labels(ChartKind::Waterfall);
    assert!(
        has(&w, "threshold") && has(&w, sel.as_deref().unwrap()),
        "{w:?}"
    );
    assert!(has(&labels(ChartKind::Interval), "threshold"));

    // On a phone some are left out; their numbers are in the description.
    for kind in [
        ChartKind::GroupMean,
        ChartKind::Patient,
        ChartKind::Waterfall,
    ] {
        let o = sized(340, 220, sel.clone());
        let (_, out) = check(kind, &a, &o);
        let d = &out.description;
        match kind {
            ChartKind::GroupMean => {
                assert!(d.contains("patients per time point: 11, 11, 11, 12"), "{d}")
            }
            ChartKind::Patient => assert!(
                d.contains("before treatment (") && d.contains("points per month"),
                "{d}"
            ),
            _ => assert!(
                d.contains("Highlighted: ") && d.contains("25% threshold"),
                "{d}"
            ),
        }
    }
}

/// Several groups: bars in the groups' colours, each group's marker under the bars, a legend of
/// groups; every bar an area with its patient's id as an SVG hover title.
#[test]
fn a_waterfall_of_several_groups_shows_them_and_names_each_bar() {
    let a = design("two-arm");
    let (svg, out) = check(ChartKind::Waterfall, &a, &sized(800, 500, None));
    assert_eq!(out.areas.len(), out.hits.len());
    for g in ["IV", "IT"] {
        assert!(
            svg.contains(&format!(">\n{g}\n</text>")),
            "legend entry {g}"
        );
    }
    assert!(svg.contains("Solid: responder"), "status by fill");
    // Group colours (Okabe–Ito blue and vermillion) on the bars.
    assert!(svg.contains("fill=\"#0072B2\"") && svg.contains("fill=\"#D55E00\""));
    // The second group's marker (a triangle) under its bars.
    assert!(svg.matches("<polygon").count() >= a.patients.len() / 3);
    for p in a.patients.iter().filter(|p| p.improvement_pct.is_some()) {
        assert!(
            svg.contains(&format!("<title>{}</title>", p.id)),
            "hover title of {}",
            p.id
        );
    }
    assert!(out.description.contains("coloured and marked by group"));
    // One group: the responder colours, as before.
    let b = design("lead-in");
    let (svg, _) = check(ChartKind::Waterfall, &b, &sized(800, 500, None));
    assert!(svg.contains("Responder (&gt; 25%)"), "{svg}");
}

/// A fixed size: the SVG is that many millimetres whatever the window, and its smallest text is
/// `font_pt` points (9 by default; 14 on a slide).
#[test]
fn fixed_size_svg_is_in_mm_with_text_of_at_least_the_points_asked() {
    let a = design("two-arm");
    let font_sizes = |svg: &str| -> Vec<f64> {
        svg.split("font-size=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect()
    };
    for p in SizePreset::ALL {
        let (w_mm, h_mm, pt) = p.mm_pt();
        for kind in ChartKind::ALL {
            let small = sized(300, 200, a.patients.first().map(|p| p.id.to_string())).sized(p);
            let large = ChartOptions {
                width: 1900,
                height: 1200,
                ..small.clone()
            };
            let svg = render_svg(kind, &a, &small).unwrap();
            assert_eq!(
                svg,
                render_svg(kind, &a, &large).unwrap(),
                "window-independent"
            );
            let head = &svg[..svg.find('>').unwrap()];
            let mm = |v: f64| format!("{}mm", super::fmt_mm(v));
            assert!(
                head.contains(&format!("width=\"{}\" height=\"{}\"", mm(w_mm), mm(h_mm))),
                "{head}"
            );
            let (vw, _) = svg_size(&svg);
            // A CSS px of the view box, in points.
            let pt_per_px = w_mm / vw as f64 / 25.4 * 72.0;
            let sizes = font_sizes(&svg);
            assert!(!sizes.is_empty());
            let least = sizes.iter().cloned().fold(f64::INFINITY, f64::min) * pt_per_px;
            assert!(
                least >= pt - 0.01,
                "{} {}: text of {least} pt",
                p.name(),
                kind.name()
            );
            check_layout(p.name(), kind, &a, &small);
        }
    }
    // On screen, the text is its CSS size, as on the canvas (not plotters' size / 1.24).
    let svg = render_svg(ChartKind::Waterfall, &a, &sized(800, 500, None)).unwrap();
    assert!(font_sizes(&svg).iter().all(|s| *s >= 10.0 - 1e-9), "{svg}");
    assert!(svg.contains("font-size=\"14\""), "the title at 14 px");
}

/// Narrow charts: the legend goes below the plot when it would cover data; wide ones keep it
/// inside where a corner is free; long titles wrap, never cut mid-word on the first line.
#[test]
fn narrow_charts_put_the_legend_below_and_wrap_the_title() {
    let a = design("two-arm");
    let sel = a.patients.first().map(|p| p.id.to_string());
    let t = check_layout(
        "two-arm",
        ChartKind::Trajectories,
        &a,
        &sized(360, 320, sel.clone()),
    );
    assert!(
        matches!(t.legend, Some(Place::Below(_))),
        "dense data: below"
    );
    let t = check_layout(
        "two-arm",
        ChartKind::Patient,
        &a,
        &sized(1280, 794, sel.clone()),
    );
    assert!(
        matches!(t.legend, Some(Place::Inside(_))),
        "a free corner: inside"
    );
    let _ = sel;
    let f = fixture();
    let t = check_layout("fixture", ChartKind::Interval, &f, &sized(340, 300, None));
    let title: Vec<&String> = t
        .texts
        .iter()
        .filter(|(_, r)| (r.x0 + r.x1 - 340).abs() <= 2 && r.y1 <= t.plot.unwrap().y0)
        .map(|(s, _)| s)
        .collect();
    assert!(title.len() >= 2, "the title in more lines: {title:?}");
    let whole = title
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(whole.ends_with("n = 8"), "the whole title: {title:?}");
}
