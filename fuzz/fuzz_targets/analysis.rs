#![no_main]
//! Random settings plus text → `pipeline::run`; then every number in the result is finite, the
//! CSV and text reports do not panic, and (for small inputs) every chart renders without a panic.

use als_progression::analysis;
use als_progression::charts::{self, ChartKind, ChartOptions};
use als_progression::data::ALL_MEASURES;
use als_progression::output;
use als_progression::pipeline;
use als_progression::settings::{DateOrder, Layout, PreSource, Settings, TimeOrigin};
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

/// A finite number that is sometimes ordinary, sometimes extreme.
#[derive(Debug)]
struct Num(f64);

impl<'a> Arbitrary<'a> for Num {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let v = match u.int_in_range(0u8..=7)? {
            0 => 1e-300,
            1 => 1e300,
            2 => 0.0,
            3 => -(u.int_in_range(0u32..=1000)? as f64),
            4 => f64::MIN_POSITIVE,
            5 => f64::MAX,
            6 => u.int_in_range(0u32..=100_000)? as f64 / 100.0,
            _ => {
                let x = f64::arbitrary(u)?;
                if x.is_finite() {
                    x
                } else {
                    30.4375
                }
            }
        };
        Ok(Num(v))
    }
}

const HEADERS: &[&str] = &[
    "id",
    "patient",
    "group",
    "arm",
    "date",
    "visit_date",
    "month",
    "week",
    "day",
    "onset",
    "event",
    "alsfrs_r",
    "alsfrs",
    "fvc",
    "aals",
    "q1",
    "q12",
    "M0",
    "-3",
    "0",
    "3",
    "baseline",
];
const ROLES: &[&str] = &[
    "patient",
    "group",
    "date",
    "month",
    "week",
    "day",
    "onset",
    "event",
    "alsfrs_r",
    "alsfrs",
    "fvc",
    "aals",
    "q1",
    "q5",
    "q12",
    "visit:0",
    "visit:-3",
    "visit:fvc:6",
    "visit:1e308",
    "event_time",
    "ignore",
    "",
];

#[derive(Debug)]
struct Input {
    settings: Settings,
    charts: bool,
    text: String,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut s = Settings::default();
        if bool::arbitrary(u)? {
            let md = Num::arbitrary(u)?.0;
            // Known issue (see fuzz/README.md): a month shorter than ~1e-302 days overflows
            // times to infinity. Kept out so the fuzzer can look for other bugs.
            s.month_days = if md > 0.0 && md < 1e-300 { 1e-300 } else { md };
        }
        s.pre_source = *u.choose(&[PreSource::Auto, PreSource::LeadIn, PreSource::Onset])?;
        if bool::arbitrary(u)? {
            s.responder_pct = Num::arbitrary(u)?.0;
        }
        if bool::arbitrary(u)? {
            s.responder_abs = Some(Num::arbitrary(u)?.0);
        }
        s.layout = *u.choose(&[Layout::Auto, Layout::Long, Layout::Wide])?;
        s.date_order = *u.choose(&[None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)])?;
        s.ambiguous_date_order = *u.choose(&[DateOrder::Dmy, DateOrder::Mdy])?;
        s.time_origin = *u.choose(&[
            TimeOrigin::FirstEvent,
            TimeOrigin::FirstVisit,
            TimeOrigin::Onset,
        ])?;
        for _ in 0..u.int_in_range(0u8..=2)? {
            let h = if bool::arbitrary(u)? {
                u.choose(HEADERS)?.to_string()
            } else {
                String::arbitrary(u)?
            };
            let r = if bool::arbitrary(u)? {
                u.choose(ROLES)?.to_string()
            } else {
                String::arbitrary(u)?
            };
            s.columns.insert(h, r);
        }
        for _ in 0..u.int_in_range(0u8..=2)? {
            s.measures.push(*u.choose(&ALL_MEASURES)?);
        }
        s.mixed_models = bool::arbitrary(u)?;
        s.reml = bool::arbitrary(u)?;
        s.d50 = bool::arbitrary(u)?;
        s.include_series = true;
        let charts = bool::arbitrary(u)?;
        let rest = u.bytes(u.len())?;
        let text = String::from_utf8_lossy(rest).into_owned();
        Ok(Input {
            settings: s,
            charts,
            text,
        })
    }
}

fn check(path: &str, v: Option<f64>) {
    if let Some(x) = v {
        assert!(x.is_finite(), "{path} = {x}");
    }
}

fn check_all(a: &analysis::Analysis) {
    for p in &a.patients {
        for (n, v) in [
            ("delta_fs", p.delta_fs),
            ("pre_rate", p.pre_rate),
            ("post_rate", p.post_rate),
            ("change", p.change),
            ("improvement_pct", p.improvement_pct),
            ("first_event", p.first_event),
        ] {
            check(&format!("patient {:?} {n}", p.id), v);
        }
        for v in &p.period_improvement_pct {
            check("period_improvement_pct", *v);
        }
        for pd in &p.periods {
            check("period.start", Some(pd.start));
            check("period.end", Some(pd.end));
            for v in [
                pd.slope,
                pd.slope_se,
                pd.slope_ci_low,
                pd.slope_ci_high,
                pd.intercept,
                pd.rate,
            ] {
                check("period", v);
            }
        }
    }
    for s in &a.summaries {
        for v in [s.mean, s.sd, s.median, s.q1, s.q3] {
            check("summary", v);
        }
    }
    for r in &a.responders {
        check("responders.proportion", r.proportion);
    }
    for t in &a.tests {
        for v in [t.statistic, t.p_value, t.estimate] {
            check(&format!("test {}", t.kind), v);
        }
    }
    for m in &a.mixed_models {
        for v in [
            m.sd_intercept,
            m.sd_slope,
            m.corr,
            m.sd_residual,
            m.reml_criterion,
        ] {
            check("mixed_model", v);
        }
        for fe in &m.fixed {
            for v in [
                Some(fe.estimate),
                Some(fe.se),
                fe.df,
                Some(fe.t_value),
                fe.p_value,
                fe.ci_low,
                fe.ci_high,
            ] {
                check(&format!("mixed_model fixed {}", fe.term), v);
            }
        }
    }
    for d in &a.d50 {
        for v in [d.d50, d.dx, d.rmse] {
            check("d50", v);
        }
        for ph in &d.phases {
            check("d50 phase t", Some(ph.t));
        }
    }
    for s in &a.series {
        check("series.onset", s.onset);
        for e in &s.events {
            check("series.event", Some(e.t));
        }
        for v in &s.visits {
            check("series.visit.t", Some(v.t));
            for (_, x) in v.scores.iter() {
                check("series.visit.score", Some(x));
            }
        }
    }
}

/// Belt and braces: the JSON holds no float that did not come from a finite value (serde_json
/// writes NaN as null, so the structs are checked above; this catches fields added later).
fn check_json(v: &serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                assert!(f.is_finite());
            }
        }
        serde_json::Value::Array(xs) => xs.iter().for_each(check_json),
        serde_json::Value::Object(m) => m.values().for_each(check_json),
        _ => {}
    }
}

fuzz_target!(|input: Input| {
    let Ok(a) = pipeline::run(&input.text, &input.settings) else {
        return;
    };
    check_all(&a);
    check_json(&serde_json::to_value(&a).expect("analysis serialises"));
    let _ = output::to_csv(&a);
    let _ = output::to_text(&a);
    // Charts are slow; draw them only for small inputs.
    if input.charts && input.text.len() <= 2048 && a.patients.len() <= 40 {
        let selected = a.patients.first().map(|p| p.id.to_string());
        for m in a.measures.iter().take(2) {
            let opts = ChartOptions {
                measure: Some(*m),
                selected: selected.clone(),
                width: 400,
                height: 300,
                show_models: true,
                ..Default::default()
            };
            for kind in ChartKind::ALL {
                let _ = charts::render_svg(kind, &a, &opts);
            }
        }
    }
});
