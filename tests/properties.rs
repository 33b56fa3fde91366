//! Property tests over the whole pipeline: invariants that must hold for any data.

use als_progression::analysis::Analysis;
use als_progression::data::Measure;
use als_progression::pipeline::run;
use als_progression::settings::Settings;
use proptest::prelude::*;

/// A random long-layout cohort: (patient, day, score, event label) rows with one event each.
fn cohort() -> impl Strategy<Value = Vec<(usize, i64, u8, bool)>> {
    proptest::collection::vec(
        (
            0usize..6,
            0i64..600,
            0u8..=48,
            proptest::bool::weighted(0.15),
        ),
        4..60,
    )
}

fn to_csv(rows: &[(usize, i64, u8, bool)], shift: i64, aals: bool) -> String {
    let mut s = format!(
        "id,group,day,{},event\n",
        if aals { "aals" } else { "alsfrs_r" }
    );
    for &(p, d, score, ev) in rows {
        // Appel mirror of an ALSFRS-R score: 30 + (48 − score) stays in 30..78.
        let v = if aals {
            30 + (48 - score as i64)
        } else {
            score as i64
        };
        s.push_str(&format!(
            "P{p},{},{},{v},{}\n",
            if p % 2 == 0 { "A" } else { "B" },
            d + shift,
            if ev { "inj" } else { "" }
        ));
    }
    s
}

fn rates(a: &Analysis) -> Vec<(String, Option<f64>, Option<f64>, Option<f64>)> {
    a.patients
        .iter()
        .map(|p| (p.id.to_string(), p.pre_rate, p.post_rate, p.improvement_pct))
        .collect()
}

fn same(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-7 * a.abs().max(b.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    }
}

fn all_finite(a: &Analysis) -> bool {
    // serde_json refuses NaN/inf as numbers only on output; check the values directly.
    let ok = |x: Option<f64>| x.is_none_or(f64::is_finite);
    a.patients.iter().all(|p| {
        ok(p.pre_rate)
            && ok(p.post_rate)
            && ok(p.change)
            && ok(p.improvement_pct)
            && ok(p.delta_fs)
            && p.periods
                .iter()
                .all(|pd| ok(pd.slope) && ok(pd.slope_se) && ok(pd.rate) && pd.start.is_finite())
    }) && a.tests.iter().all(|t| ok(t.statistic) && ok(t.p_value))
        && a.summaries
            .iter()
            .all(|s| ok(s.mean) && ok(s.sd) && ok(s.median))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Moving every time by the same amount changes no rate, no test.
    #[test]
    fn time_shift_invariance(rows in cohort(), shift in -400i64..400) {
        let s = Settings { mixed_models: false, ..Default::default() };
        let a = run(&to_csv(&rows, 0, false), &s).unwrap();
        let b = run(&to_csv(&rows, shift, false), &s).unwrap();
        for (x, y) in rates(&a).iter().zip(rates(&b).iter()) {
            prop_assert!(same(x.1, y.1) && same(x.2, y.2) && same(x.3, y.3), "{x:?} vs {y:?}");
        }
        for (x, y) in a.tests.iter().zip(&b.tests) {
            prop_assert!(same(x.statistic, y.statistic) && same(x.p_value, y.p_value), "{x:?} vs {y:?}");
        }
        prop_assert!(all_finite(&a));
    }

    /// The Appel score (higher = worse) mirrored from ALSFRS-R gives the same declines.
    #[test]
    fn scale_direction(rows in cohort()) {
        let s = Settings { mixed_models: false, d50: false, ..Default::default() };
        let a = run(&to_csv(&rows, 0, false), &s).unwrap();
        let b = run(&to_csv(&rows, 0, true), &s).unwrap();
        prop_assert_eq!(b.measures.clone(), vec![Measure::Aals]);
        for (x, y) in rates(&a).iter().zip(rates(&b).iter()) {
            prop_assert!(same(x.1, y.1), "{x:?} vs {y:?}");
            prop_assert!(same(x.2, y.2) && same(x.3, y.3), "{x:?} vs {y:?}");
        }
    }

    /// Any text: an analysis or one clear error, never a panic, never NaN.
    #[test]
    fn arbitrary_text_never_panics(text in "(?s)[a-z0-9,;\t\"\n\r ./:#=+-]{0,300}") {
        let mut head = String::from("id,date,alsfrs_r,fvc,event,onset\n");
        head.push_str(&text);
        for t in [text.as_str(), head.as_str()] {
            if let Ok(a) = run(t, &Settings::default()) {
                prop_assert!(all_finite(&a));
                prop_assert!(serde_json::to_string(&a).is_ok());
            }
        }
    }

    /// Random settings on a real design never panic and keep results finite.
    #[test]
    fn random_settings(month in 1.0f64..60.0, pct in -100.0f64..300.0, abs in proptest::option::of(0.0f64..5.0),
                       src in 0usize..3, origin in 0usize..3) {
        use als_progression::settings::{PreSource, TimeOrigin};
        let text = als_progression::synth::example_text("repeated").unwrap();
        let s = Settings {
            month_days: month,
            responder_pct: pct,
            responder_abs: abs,
            pre_source: [PreSource::Auto, PreSource::LeadIn, PreSource::Onset][src],
            time_origin: [TimeOrigin::FirstEvent, TimeOrigin::FirstVisit, TimeOrigin::Onset][origin],
            mixed_models: false,
            ..Default::default()
        };
        let a = run(&text, &s).unwrap();
        prop_assert!(all_finite(&a));
    }
}

#[test]
fn rates_scale_with_month_length() {
    // Halving the month length halves every rate (points per month).
    let text = als_progression::synth::example_text("lead-in").unwrap();
    let a = run(
        &text,
        &Settings {
            mixed_models: false,
            ..Default::default()
        },
    )
    .unwrap();
    let md = als_progression::settings::MONTH_DAYS;
    let b = run(
        &text,
        &Settings {
            month_days: md / 2.0,
            mixed_models: false,
            ..Default::default()
        },
    )
    .unwrap();
    for (x, y) in a.patients.iter().zip(&b.patients) {
        assert!(same(x.post_rate.map(|r| r / 2.0), y.post_rate));
        assert!(same(x.improvement_pct, y.improvement_pct));
    }
}
