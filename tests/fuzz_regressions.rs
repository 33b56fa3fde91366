//! Fuzzing regressions: every input kept under `fuzz/corpus/` (minimised, small) and every crash
//! reproducer found by `cargo fuzz` (see fuzz/README.md) goes through the same path as the fuzz
//! target, so a fixed crash stays fixed without nightly or libFuzzer.

use als_progression::charts::{render_svg, ChartKind, ChartOptions};
use als_progression::output::{to_csv, to_text};
use als_progression::parse::dates::{decide_order, parse_raw, resolve};
use als_progression::pipeline::parse;
use als_progression::pipeline::run;
use als_progression::settings::{DateOrder, Layout, PreSource, Settings, TimeOrigin};
use std::path::Path;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The `parse` target: default settings and the layout forced wide.
fn parse_path(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = parse(&text, &Settings::default());
    let _ = parse(
        &text,
        &Settings {
            layout: Layout::Wide,
            ..Settings::default()
        },
    );
}

/// The `dates` target.
fn dates_path(s: &str) {
    if let Some(raw) = parse_raw(s) {
        for order in [DateOrder::Dmy, DateOrder::Mdy] {
            if let Some(d) = resolve(raw, order) {
                assert!(d.is_finite(), "{s:?} resolved to {d}");
            }
        }
    }
    let _ = decide_order(std::iter::once(s));
    let _ = decide_order(s.lines());
}

fn finite_everywhere(a: &als_progression::analysis::Analysis) {
    let ok = |x: Option<f64>| x.is_none_or(f64::is_finite);
    for p in &a.patients {
        assert!(
            ok(p.pre_rate)
                && ok(p.post_rate)
                && ok(p.change)
                && ok(p.improvement_pct)
                && ok(p.delta_fs),
            "{p:?}"
        );
        assert!(
            ok(p.first_event) && p.period_improvement_pct.iter().all(|x| ok(*x)),
            "{p:?}"
        );
        for pd in &p.periods {
            assert!(pd.start.is_finite() && pd.end.is_finite(), "{pd:?}");
            assert!(
                ok(pd.slope) && ok(pd.slope_se) && ok(pd.intercept) && ok(pd.rate),
                "{pd:?}"
            );
            assert!(ok(pd.slope_ci_low) && ok(pd.slope_ci_high), "{pd:?}");
        }
    }
    for t in &a.tests {
        assert!(ok(t.statistic) && ok(t.p_value) && ok(t.estimate), "{t:?}");
    }
    for s in &a.summaries {
        assert!(
            ok(s.mean) && ok(s.sd) && ok(s.median) && ok(s.q1) && ok(s.q3),
            "{s:?}"
        );
    }
    for m in &a.mixed_models {
        assert!(
            ok(m.sd_intercept)
                && ok(m.sd_slope)
                && ok(m.corr)
                && ok(m.sd_residual)
                && ok(m.reml_criterion),
            "{m:?}"
        );
        for fe in &m.fixed {
            assert!(
                fe.estimate.is_finite() && fe.se.is_finite() && fe.t_value.is_finite(),
                "{fe:?}"
            );
            assert!(
                ok(fe.df) && ok(fe.p_value) && ok(fe.ci_low) && ok(fe.ci_high),
                "{fe:?}"
            );
        }
    }
    for d in &a.d50 {
        assert!(ok(d.d50()) && ok(d.dx()) && ok(d.rmse()), "{d:?}");
    }
    for s in &a.series {
        assert!(
            ok(s.onset) && s.events.iter().all(|e| e.t.is_finite()),
            "{s:?}"
        );
        assert!(
            s.visits
                .iter()
                .all(|v| v.t.is_finite() && v.scores.iter().all(|(_, x)| x.is_finite())),
            "{s:?}"
        );
    }
}

/// The `analysis` target's checks, for given settings and text.
fn analysis_path(text: &str, s: &Settings, charts: bool) {
    let Ok(a) = run(text, s) else { return };
    finite_everywhere(&a);
    let _ = to_csv(&a);
    let _ = to_text(&a);
    if charts {
        let opts = ChartOptions {
            selected: a.patients.first().map(|p| p.id.to_string()),
            width: 400,
            height: 300,
            show_models: true,
            ..Default::default()
        };
        for kind in ChartKind::ALL {
            let _ = render_svg(kind, &a, &opts);
        }
    }
}

/// A few settings the fuzzer explores, applied to corpus texts (the corpus files of the
/// `analysis` target start with settings bytes; reading them as text only adds noise).
fn settings_variants() -> Vec<Settings> {
    let base = Settings {
        include_series: true,
        ..Settings::default()
    };
    vec![
        base.clone(),
        Settings {
            mixed_models: false,
            d50: false,
            layout: Layout::Wide,
            ..base.clone()
        },
        Settings {
            month_days: 1e-300,
            pre_source: PreSource::Onset,
            time_origin: TimeOrigin::Onset,
            date_order: Some(DateOrder::Mdy),
            reml: false,
            ..base.clone()
        },
        Settings {
            month_days: 1e300,
            pre_source: PreSource::LeadIn,
            time_origin: TimeOrigin::FirstVisit,
            responder_pct: -1e300,
            responder_abs: Some(0.0),
            layout: Layout::Long,
            ..base
        },
    ]
}

#[test]
fn parse_corpus_replays_without_panic() {
    for (name, data) in corpus("parse") {
        let r = std::panic::catch_unwind(|| parse_path(&data));
        assert!(r.is_ok(), "fuzz/corpus/parse/{name}");
    }
}

#[test]
fn dates_corpus_replays_without_panic() {
    for (name, data) in corpus("dates") {
        let s = String::from_utf8_lossy(&data);
        let r = std::panic::catch_unwind(|| dates_path(&s));
        assert!(r.is_ok(), "fuzz/corpus/dates/{name}");
    }
}

#[test]
fn analysis_corpus_replays_with_finite_results() {
    let variants = settings_variants();
    for (name, data) in corpus("analysis").into_iter().chain(corpus("parse")) {
        let text = String::from_utf8_lossy(&data).into_owned();
        for (i, s) in variants.iter().enumerate() {
            let r =
                std::panic::catch_unwind(|| analysis_path(&text, s, i == 0 && text.len() < 2048));
            assert!(r.is_ok(), "{name} with settings variant {i}");
        }
    }
}

/// Found by the `analysis` target (corpus replay with a tiny month): relative times of ±1e308
/// days made period ends and series times infinite (null in JSON). Relative times are now
/// limited to ±10,000 years, like dates; rows beyond are skipped with a diagnostic.
#[test]
fn huge_relative_times_are_rejected_not_infinite() {
    for text in [
        "id,day,alsfrs_r\nA,-1e308,40\nA,0,35\nA,1e308,30\n",
        "id,month,alsfrs_r,event\nA,-1e307,40,\nA,0,35,inj\nA,1e307,30,\n",
        "id,week,alsfrs_r,onset\nA,0,40,-1e308\nA,1,35,\nA,2,30,\n",
    ] {
        for s in settings_variants() {
            analysis_path(text, &s, false);
        }
        let a = run(text, &Settings::default()).unwrap();
        assert!(
            a.diagnostics
                .iter()
                .any(|d| d.message.contains("10,000 years") || d.message.contains("onset")),
            "{text}"
        );
    }
}

/// A column override `visit:1e308` (the `analysis` target picks it among role names) put a
/// visit at an infinite day. Override months are now limited like visit headers (±1200).
#[test]
fn huge_visit_month_override_is_not_infinite() {
    let text = "id,M0,M3,M6\nA,40,35,30\nB,40,38,36\n";
    let mut s = Settings {
        include_series: true,
        ..Settings::default()
    };
    s.columns.insert("M6".into(), "visit:1e308".into());
    for origin in [TimeOrigin::FirstEvent, TimeOrigin::FirstVisit] {
        analysis_path(
            text,
            &Settings {
                time_origin: origin,
                ..s.clone()
            },
            true,
        );
    }
    s.columns.insert("M6".into(), "visit:fvc:-1e300".into());
    analysis_path(text, &s, true);
}
