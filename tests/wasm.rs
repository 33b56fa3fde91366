//! The core compiled to WebAssembly, run in headless Chromium by wasm-bindgen-test-runner
//! (`npm test` runs these). Same numbers as native; charts render through the DOM text metrics.
#![cfg(target_arch = "wasm32")]

use als_progression::analysis::{run, Settings};
use als_progression::charts::{render_svg, ChartKind, ChartOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn examples_analyse_in_wasm_like_native() {
    for name in ["lead-in", "controls", "repeated", "two-arm"] {
        let text = als_progression::synth::example_text(name).unwrap();
        let a = run(&text, &Settings::default()).unwrap();
        assert!(!a.patients.is_empty(), "{name}");
        assert!(a.tests.iter().any(|t| t.p_value.is_some()), "{name}");
        // The model fits (the page's models module): run with `--features models` by npm test.
        #[cfg(feature = "models")]
        assert!(a.mixed_models.iter().any(|m| m.converged), "{name}");
    }
    // A value checked against R natively (tests/designs.rs) is the same in wasm.
    let text = std::str::from_utf8(include_bytes!("data/design-repeated.csv")).unwrap();
    let a = run(text, &Settings::default()).unwrap();
    let p = a
        .patients
        .iter()
        .find(|p| &*p.id == "SYN-001" && p.measure.name() == "alsfrs_r")
        .unwrap();
    // R: (48 - 38) / ((16132 - 15775) / md)
    assert!((p.pre_rate.unwrap() - 0.852591036414566).abs() < 1e-12);
}

#[wasm_bindgen_test]
fn every_chart_renders_svg_in_the_browser() {
    let text = als_progression::synth::example_text("controls").unwrap();
    let a = run(
        &text,
        &Settings {
            include_series: true,
            ..Default::default()
        },
    )
    .unwrap();
    for kind in ChartKind::ALL {
        let svg = render_svg(kind, &a, &ChartOptions::default()).unwrap();
        assert!(svg.starts_with("<svg"), "{}", kind.name());
    }
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(run("", &Settings::default()).is_err());
    let a = run(
        "id,date,alsfrs_r\nP,2015-01-01,99\nP,2015-02-01,40\n",
        &Settings::default(),
    )
    .unwrap();
    assert!(a
        .diagnostics
        .iter()
        .any(|d| d.line == Some(2) && d.kind == als_progression::diag::DiagKind::OutOfRange));
    assert_eq!(a.patients[0].n_visits, 1);
}
