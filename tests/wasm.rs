//! The core compiled to WebAssembly, run in headless Chromium by wasm-bindgen-test-runner
//! (`npm test` runs these). Same numbers as native; the page's canvas drawing matches plotters-canvas.
#![cfg(target_arch = "wasm32")]

use als_progression::charts::{render_svg, ChartKind, ChartOptions};
use als_progression::pipeline::run;
use als_progression::settings::Settings;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn examples_analyse_in_wasm_like_native() {
    for name in ["lead-in", "controls", "repeated", "two-arm"] {
        let text = als_progression::synth::example_text(name).unwrap();
        let a = run(&text, &Settings::default()).unwrap();
        assert!(!a.patients.is_empty(), "{name}");
        assert!(a.tests.iter().any(|t| t.p_value.is_some()), "{name}");
        // The model fits (the page's extras module): run with `--features models,survival,staging,charts` by npm test.
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
        // 55: out of range (99, 999 and the like are missing-value codes since #21: a warning).
        "id,date,alsfrs_r\nP,2015-01-01,55\nP,2015-02-01,40\n",
        &Settings::default(),
    )
    .unwrap();
    assert!(a
        .diagnostics
        .iter()
        .any(|d| d.line == Some(2) && d.kind == als_progression::diag::DiagKind::OutOfRange));
    assert_eq!(a.patients[0].n_visits, 1);
}

/// plotters-canvas's backend, text measured as the page's backend measures it (measureText's
/// font bounding box; plotters' own measure is a DOM span's line height): the reference that
/// the page's canvas drawing (src/web_backend.rs, which sets the context's state only when it
/// changes) must match pixel for pixel.
struct Reference {
    canvas: plotters_canvas::CanvasBackend,
    ctx: web_sys::CanvasRenderingContext2d,
}

impl DrawingBackend for Reference {
    type ErrorType = <plotters_canvas::CanvasBackend as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.canvas.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.present()
    }
    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        v: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.fill_polygon(v, s)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        s: &T,
        p: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.canvas.draw_text(text, s, p)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        if text.is_empty() {
            return Ok((0, 0));
        }
        self.ctx.set_font(&format!(
            "{} {}px {}",
            s.style().as_str(),
            s.size(),
            s.family().as_str()
        ));
        let m = self.ctx.measure_text(text).unwrap();
        let h = (m.font_bounding_box_ascent() + m.font_bounding_box_descent()).ceil();
        Ok((m.width().round().max(0.0) as u32, h.max(0.0) as u32))
    }
}

fn new_canvas(w: u32, h: u32) -> web_sys::HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: web_sys::HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

fn pixels(c: &web_sys::HtmlCanvasElement) -> Vec<u8> {
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.get_image_data(0.0, 0.0, c.width().into(), c.height().into())
        .unwrap()
        .data()
        .0
}

// The chart handle is the extras module's (feature `charts`).
#[cfg(feature = "charts")]
#[wasm_bindgen_test]
fn canvas_charts_are_plotters_canvas_pixel_for_pixel() {
    for example in ["lead-in", "two-arm"] {
        let text = als_progression::synth::example_text(example).unwrap();
        let settings = r#"{"include_series":true}"#;
        let mut page = als_progression::web::analyze_for_page(&text, settings).unwrap();
        let data = als_progression::web::ChartData::from_bytes(&page.bytes()).unwrap();
        let a = run(
            &text,
            &Settings {
                include_series: true,
                ..Default::default()
            },
        )
        .unwrap();
        for kind in ChartKind::ALL {
            let (w, h, dpr) = (420, 260, 2.0);
            let selected = a.patients[1].id.to_string();
            let opts = ChartOptions {
                width: w,
                height: h,
                dpr,
                selected: Some(selected.clone()),
                ..Default::default()
            };
            let (pw, ph) = ((f64::from(w) * dpr) as u32, (f64::from(h) * dpr) as u32);
            let page_canvas = new_canvas(pw, ph);
            let json = serde_json::to_string(&opts).unwrap();
            data.draw(page_canvas.clone(), kind.name(), &json)
                .unwrap_or_else(|_| panic!("{example} {}: page drawing failed", kind.name()));
            let ref_canvas = new_canvas(pw, ph);
            let ctx = ref_canvas
                .get_context("2d")
                .unwrap()
                .unwrap()
                .dyn_into()
                .unwrap();
            let reference = Reference {
                canvas: plotters_canvas::CanvasBackend::with_canvas_object(ref_canvas.clone())
                    .unwrap(),
                ctx,
            };
            als_progression::charts::draw(reference, kind, &a, &opts).unwrap();
            let (p, r) = (pixels(&page_canvas), pixels(&ref_canvas));
            assert!(
                p.iter().any(|&b| b != 255),
                "{example} {}: blank",
                kind.name()
            );
            let differ = p.iter().zip(&r).filter(|(x, y)| x != y).count();
            assert_eq!(
                differ,
                0,
                "{example} {}: {differ} bytes differ",
                kind.name()
            );
        }
    }
}
