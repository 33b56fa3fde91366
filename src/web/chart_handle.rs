//! The page's chart handle (feature `charts`: the extras module): an analysis read once from its
//! binary copy, which draws the charts on the page's canvases, answers for one patient's series
//! and full result, and (feature `exports`) makes the exports. Part of the binding layer
//! (`src/web.rs`): thin, stateless exports over `crate::charts` and `crate::output`.

use super::from_json;
use crate::analysis::Analysis;
use wasm_bindgen::prelude::*;

fn chart_options(options_json: &str) -> Result<crate::charts::ChartOptions, JsError> {
    from_json(options_json).map_err(|e| JsError::new(&format!("Chart options not understood: {e}")))
}

fn chart_kind(name: &str) -> Result<crate::charts::ChartKind, JsError> {
    crate::charts::ChartKind::from_name(name)
        .ok_or_else(|| JsError::new(&format!("Unknown chart \"{name}\".")))
}

/// An analysis held by the page for drawing and exports: read once (from the binary copy of
/// [`super::PageAnalysis::bytes`]), not once per chart. The page owns the handle (no state lives in the
/// module); `free()` releases it. There is deliberately no constructor from analysis JSON: the
/// page never needs one, and reading the whole `Analysis` from JSON would add ~75 KB of wasm.
#[wasm_bindgen]
pub struct ChartData {
    analysis: Analysis,
}

#[wasm_bindgen]
impl ChartData {
    /// A handle from [`super::PageAnalysis::bytes`] (made by another copy of the engine).
    pub fn from_bytes(bytes: &[u8]) -> Result<ChartData, JsError> {
        Ok(ChartData {
            analysis: crate::output::from_bytes(bytes).map_err(|e| JsError::new(&e))?,
        })
    }

    /// Add the model fits of a later pass: the `bytes()` of [`super::fit_models`] (binary, so that
    /// this module needs no code to read the fits from JSON: ~8 KB of gzipped wasm).
    pub fn set_models(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        crate::output::add_models_from_bytes(&mut self.analysis, bytes)
            .map_err(|e| JsError::new(&e))
    }

    /// Add what [`super::second_pass`] computed (binary): the survival outcomes and the stages, for the
    /// survival charts and the stage timeline.
    pub fn set_second_pass(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        crate::output::add_second_pass_from_bytes(&mut self.analysis, bytes)
            .map_err(|e| JsError::new(&e))
    }

    /// Draw a chart on a canvas already sized by the page (CSS size × devicePixelRatio). Returns
    /// its hit targets and text alternative (see [`Drawn`]).
    pub fn draw(
        &self,
        canvas: web_sys::HtmlCanvasElement,
        name: &str,
        options_json: &str,
    ) -> Result<Drawn, JsError> {
        draw_on(canvas, &self.analysis, name, options_json)
    }

    /// One patient's visits and events (JSON of `Series`, or `null`): the page keeps the series
    /// only here, not in its own copy of the results.
    pub fn patient_series(&self, id: &str) -> String {
        let s = self.analysis.series.iter().find(|s| &*s.id == id);
        crate::output::to_json_compact(&s).unwrap_or_else(|_| "null".into())
    }

    /// One patient's full result for a measure (JSON of `PatientResult`, or `null`).
    pub fn patient_result(&self, id: &str, measure: &str) -> String {
        let r = self
            .analysis
            .patients
            .iter()
            .find(|p| &*p.id == id && p.measure.name() == measure);
        crate::output::to_json_compact(&r).unwrap_or_else(|_| "null".into())
    }
}

/// The exports, in the page's extras module only (with the model fits; see `has_extras`): the page
/// makes a handle there from the same binary copy when the user exports.
#[cfg(feature = "exports")]
#[wasm_bindgen]
impl ChartData {
    /// The whole analysis as JSON (with the model fits once `set_models` has added them): the
    /// same document, laid out the same, as the command-line tool's
    /// `analyze --format json --include-series`.
    pub fn json(&self) -> String {
        crate::output::to_json(&self.analysis)
    }

    /// A chart as SVG text (at a fixed size in millimetres with `width_mm`, `height_mm`,
    /// `font_pt` in the options: see `charts::ChartOptions`).
    pub fn svg(&self, name: &str, options_json: &str) -> Result<String, JsError> {
        let kind = chart_kind(name)?;
        let options = chart_options(options_json)?;
        let mut buf = String::new();
        let out = {
            // The page's backend (as for the canvas: one copy of each chart in the wasm).
            let backend = crate::web_backend::PageBackend::svg(
                &mut buf,
                crate::charts::canvas_size(&options),
            )
            .ok_or_else(|| JsError::new("No document to measure the chart's text in."))?;
            crate::charts::draw(backend, kind, &self.analysis, &options)
                .map_err(|e| JsError::new(&e.to_string()))?
        };
        // Its size in mm at a fixed size, a title, a description, hover titles.
        crate::charts::finish_svg(&mut buf, kind, &options, &out);
        Ok(buf)
    }

    /// Formula-injection-safe CSV (one row per patient and measure).
    pub fn csv(&self) -> String {
        crate::output::to_csv(&self.analysis)
    }
}

/// What drawing a chart gives the page: the text alternative, and the hit targets (a point per
/// patient and visit or rate) in arrays rather than JSON objects — a 10,000-patient chart has
/// 20,000 of them, and formatting, decoding and parsing them as JSON took longer than drawing.
/// Hit `i` is at (`xy[2i]`, `xy[2i + 1]`) CSS pixels and names `ids[which[i]]`; `ids` is the
/// distinct ids, one after another, `id_lengths` their lengths in UTF-16 units (a JS string's).
#[wasm_bindgen]
pub struct Drawn {
    description: String,
    ids: String,
    id_lengths: Vec<u32>,
    which: Vec<u32>,
    xy: Vec<f64>,
}

#[wasm_bindgen]
impl Drawn {
    pub fn description(&mut self) -> String {
        std::mem::take(&mut self.description)
    }
    pub fn ids(&mut self) -> String {
        std::mem::take(&mut self.ids)
    }
    pub fn id_lengths(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.id_lengths)
    }
    pub fn which(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.which)
    }
    pub fn xy(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.xy)
    }
}

impl Drawn {
    fn new(out: crate::charts::ChartOutput, dpr: f64) -> Drawn {
        let mut d = Drawn {
            description: out.description,
            ids: String::new(),
            id_lengths: Vec::new(),
            which: Vec::with_capacity(out.hits.len()),
            xy: Vec::with_capacity(2 * out.hits.len()),
        };
        // A chart's hits come in runs of one id; ids repeat across runs only in a few charts.
        let mut index: rustc_hash::FxHashMap<&str, u32> = Default::default();
        for h in &out.hits {
            let k = *index.entry(&h.id).or_insert_with(|| {
                d.ids.push_str(&h.id);
                d.id_lengths.push(h.id.encode_utf16().count() as u32);
                d.id_lengths.len() as u32 - 1
            });
            d.which.push(k);
            d.xy.push(h.x / dpr);
            d.xy.push(h.y / dpr);
        }
        d
    }
}

fn draw_on(
    canvas: web_sys::HtmlCanvasElement,
    analysis: &Analysis,
    name: &str,
    options_json: &str,
) -> Result<Drawn, JsError> {
    let kind = chart_kind(name)?;
    let options = chart_options(options_json)?;
    let backend = crate::web_backend::PageBackend::canvas(canvas)
        .ok_or_else(|| JsError::new("This canvas has no 2D context."))?;
    let out = crate::charts::draw(backend, kind, analysis, &options)
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(Drawn::new(out, crate::charts::effective_dpr(&options)))
}
