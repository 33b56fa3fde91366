//! The wasm binding layer for the page (wasm32 only): thin and stateless. JSON strings in and
//! out; every failure is a `JsError` with a message for a person. No statistics here.

use crate::analysis::Analysis;
use crate::data::Measure;
use crate::input::Parsed;
use crate::settings::Settings;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// The chart handle (`ChartData`, `Drawn`): the extras module's, in a file of its own.
#[cfg(feature = "charts")]
mod chart_handle;
#[cfg(feature = "charts")]
pub use chart_handle::{ChartData, Drawn};

/// Talc instead of the default dlmalloc: the analysis and the chart handle make many small
/// allocations (strings and lists per patient).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

thread_local! {
    static PANIC_CALLBACK: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Route panic messages to `callback(message)`. A panic still traps the call (the page then
/// re-instantiates the module or restarts its worker).
#[wasm_bindgen]
pub fn set_panic_hook(callback: js_sys::Function) {
    PANIC_CALLBACK.with(|c| *c.borrow_mut() = Some(callback));
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        PANIC_CALLBACK.with(|c| {
            if let Some(f) = c.borrow().as_ref() {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&message));
            }
        });
    }));
}

/// A JSON text from the page read into `T`: parsed by the browser (`JSON.parse`), then read by
/// serde-wasm-bindgen. Not by serde_json: its error messages write floats with serde_json's float
/// writer, whose 17 KB table this module then leaves out (it writes JSON with
/// `output::to_json_compact`). Missing keys take their defaults where `T` says so.
fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    from_value(parse_json(json)?)
}

/// `JSON.parse` of a text from the page (empty: `{}`).
fn parse_json(json: &str) -> Result<JsValue, String> {
    let json = if json.trim().is_empty() { "{}" } else { json };
    js_sys::JSON::parse(json).map_err(|e| {
        e.dyn_into::<js_sys::Error>()
            .map(|e| format!("not valid JSON ({})", String::from(e.message())))
            .unwrap_or_else(|_| "not valid JSON".to_string())
    })
}

fn from_value<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// JSON text of a result for the page (see `output::to_json_compact`).
fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, JsError> {
    crate::output::to_json_compact(value).map_err(|e| JsError::new(&e.to_string()))
}

fn parse_settings(settings_json: &str) -> Result<Settings, JsError> {
    let not_understood = |e: String| JsError::new(&format!("Settings not understood: {e}"));
    let value = parse_json(settings_json).map_err(not_understood)?;
    // The parser's plausible dates end with next year: the browser knows this one.
    crate::data::date::set_current_year(js_sys::Date::new_0().get_full_year() as i32);
    // Test hook for the page's panic recovery (tests/e2e): `"debug_panic": true` panics on
    // purpose. Read from the parsed object rather than as a field of the settings (a
    // deserializer of its own cost ~1 KB of the page's wasm).
    if js_sys::Reflect::get(&value, &JsValue::from_str("debug_panic"))
        .is_ok_and(|v| v.as_bool() == Some(true))
    {
        panic!("debug panic requested by the settings (test of the page's recovery)");
    }
    let settings = from_value::<Settings>(value)
        .map_err(not_understood)?
        .normalized();
    // A value the analysis would not use as given is refused, as on the command line.
    crate::parse::check_settings(&settings).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(settings)
}

/// The first setting of `settings_json` (settings from a link or the session) that an analysis
/// could not use: `null`, or the JSON array `[KEY, MESSAGE]` (KEY `columns.HEADER` for a column
/// override; empty when the settings as a whole are not understood, as with a value of the wrong
/// kind: the page then asks about each key alone), so that the page can drop that setting and
/// say so.
#[wasm_bindgen]
pub fn check_settings(settings_json: &str) -> String {
    let problem = from_json::<Settings>(settings_json)
        .map_err(|message| crate::settings::SettingError {
            setting: String::new(),
            message,
        })
        .and_then(|s| crate::parse::check_settings(&s));
    match problem {
        Ok(()) => "null".into(),
        Err(e) => to_json(&(e.setting, e.message)).unwrap_or_else(|_| "null".into()),
    }
}

/// Analyse pasted text with settings (JSON of `Settings`; missing keys take defaults).
/// Returns the JSON of the `Analysis`. In the extras module (feature `exports`); the page's
/// analysis is [`analyze_for_page`].
#[cfg(feature = "exports")]
#[wasm_bindgen]
pub fn analyze(text: &str, settings_json: &str) -> Result<String, JsError> {
    let settings = parse_settings(settings_json)?;
    let analysis = crate::pipeline::run(text, &settings).map_err(|e| JsError::new(&e.message))?;
    to_json(&analysis)
}

/// Above this many input rows the page's own copy of a result leaves out visit series and
/// per-period details (see [`analyze_for_page`]).
const PAGE_VIEW_ROWS: usize = 10_000;

/// The result of [`analyze_for_page`] (or of [`fit_models`]); the caller reads each field once
/// (reading hands it over without a copy: a 10,000-patient result is several MB) and frees it.
#[wasm_bindgen]
pub struct PageAnalysis {
    view: String,
    bytes: Vec<u8>,
    texts: String,
    data: Option<ParsedData>,
}

#[wasm_bindgen]
impl PageAnalysis {
    /// JSON of the `Analysis` for the page's own use (table, tests, explain panel). For more than
    /// 10,000 input rows, without visit series and per-period details: [`ChartData`] answers for
    /// one patient's (`patient_series`, `patient_result`), and `json()` gives the whole.
    pub fn view(&mut self) -> String {
        std::mem::take(&mut self.view)
    }

    /// The whole `Analysis` in binary, for [`ChartData::from_bytes`] in another copy of the
    /// engine (the worker's result reaches the main thread without JSON).
    pub fn bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// What the page shows of the result in the engine's words (JSON): `{"tests": [...]}`, each
    /// test of the analysis in a sentence (`output::test_sentence`, in the order of `tests`), and
    /// `"month_days"`, the month length the analysis used (`Settings::month_len`: the setting, or
    /// the default when it is out of range), `"endpoints"`, `"items"`: whether the data has
    /// survival endpoints, ALSFRS-R items (then the page asks for the [`second_pass`] unless
    /// `"second_pass_done"`: this module's analysis has them, with the summary's `"survival"`
    /// sentences). Empty for the result of [`fit_models`].
    pub fn texts(&mut self) -> String {
        std::mem::take(&mut self.texts)
    }

    /// The parsed data the analysis was made from, for the model pass (see [`ParsedData`]);
    /// `undefined` after the first call, and for the result of [`fit_models`].
    pub fn data(&mut self) -> Option<ParsedData> {
        self.data.take()
    }
}

/// The page's analysis pass (run in its worker): see [`PageAnalysis`].
#[wasm_bindgen]
pub fn analyze_for_page(text: &str, settings_json: &str) -> Result<PageAnalysis, JsError> {
    let settings = parse_settings(settings_json)?;
    let parsed = crate::pipeline::parse(text, &settings).map_err(|e| JsError::new(&e.message))?;
    let mut a = crate::pipeline::analyze(&parsed, &settings);
    let bytes = crate::output::to_bytes(&a);
    let data = ParsedData {
        parsed,
        settings,
        measures: a.measures.clone(),
    };
    if a.input.n_rows > PAGE_VIEW_ROWS {
        a.series = Vec::new();
        for p in &mut a.patients {
            p.periods = Vec::new();
        }
    }
    let view = to_json(&a)?;
    Ok(PageAnalysis {
        view,
        bytes,
        texts: texts_of(&a, &data.parsed)?,
        data: Some(data),
    })
}

/// See [`PageAnalysis::texts`].
fn texts_of(a: &Analysis, parsed: &Parsed) -> Result<String, JsError> {
    #[derive(serde::Serialize)]
    struct Texts {
        tests: Vec<String>,
        month_days: f64,
        /// The data has endpoints: the page asks the extras module for [`second_pass`].
        endpoints: bool,
        /// The data has ALSFRS-R items (stages to compute): likewise.
        items: bool,
        /// This module has the survival outcomes and stages in its analysis already (the extras
        /// module, which the page's worker uses once loaded): no second pass.
        second_pass_done: bool,
        /// The summary's survival sentences (as [`second_pass`] gives them), when done.
        #[cfg(feature = "survival")]
        survival: Vec<String>,
    }
    to_json(&Texts {
        tests: a.tests.iter().map(crate::output::test_sentence).collect(),
        month_days: a.settings.month_len(),
        endpoints: crate::analysis::survival::has_endpoints(&parsed.dataset),
        items: crate::analysis::staging::has_items(&parsed.dataset),
        second_pass_done: cfg!(all(feature = "survival", feature = "staging")),
        #[cfg(feature = "survival")]
        survival: crate::output::summary_sentences(a),
    })
}

/// The page's second pass (the extras module), from the `to_bytes()` of a [`ParsedData`], when
/// the first pass says the data has endpoints or ALSFRS-R items: what the start module's first
/// pass leaves out for its weight — the survival outcomes (#22: Kaplan–Meier curves, log-rank and
/// Cox tests, CAFS and slope-sensitivity counts) and the per-visit King's and MiToS stages with
/// their times and mix and each patient's latest stages (#23) — of the data as it was analysed.
/// `view()` is the JSON `{"survival", "survival_tests", "cafs", "slope_sensitivity", "stages",
/// "stage_times", "stage_mix"}` (the fields of the same names of an `Analysis`) with
/// `"latest_stages"` (`[{id, latest_kings, …}]`: the fields of those names of each of the
/// patient's entries in `patients`), `bytes()` the same for
/// [`ChartData::set_second_pass`], `texts()` the summary's survival sentences (`{"survival":
/// [...]}`).
#[cfg(all(feature = "survival", feature = "staging"))]
#[wasm_bindgen]
pub fn second_pass(data: &[u8]) -> Result<PageAnalysis, JsError> {
    #[derive(serde::Serialize)]
    struct View<'a> {
        survival: &'a [crate::analysis::SurvivalEntry],
        survival_tests: &'a [crate::analysis::SurvivalTestEntry],
        cafs: &'a [crate::analysis::CafsEntry],
        slope_sensitivity: &'a [crate::analysis::SlopeSensitivity],
        stages: &'a [crate::analysis::StageEntry],
        stage_times: &'a [crate::analysis::StageTimes],
        stage_mix: &'a [crate::analysis::StageMixEntry],
        /// Each staged patient's `latest_*` fields (for each of its entries in `patients`).
        latest_stages: Vec<crate::output::LatestStages>,
    }
    #[derive(serde::Serialize)]
    struct Texts {
        survival: Vec<String>,
    }
    let (parsed, mut settings, _) =
        crate::output::parsed_from_bytes(data).map_err(|e| JsError::new(&e))?;
    settings.mixed_models = false;
    settings.d50 = false;
    let a = crate::analysis::analyze(&parsed, &settings);
    let view = to_json(&View {
        survival: &a.survival,
        survival_tests: &a.survival_tests,
        cafs: &a.cafs,
        slope_sensitivity: &a.slope_sensitivity,
        stages: &a.stages,
        stage_times: &a.stage_times,
        stage_mix: &a.stage_mix,
        latest_stages: crate::output::latest_stages(&a),
    })?;
    Ok(PageAnalysis {
        view,
        bytes: crate::output::second_pass_to_bytes(&a),
        texts: to_json(&Texts {
            survival: crate::output::summary_sentences(&a),
        })?,
        data: None,
    })
}

/// What the model pass needs of an analysis: the parsed data, and the settings and measures it
/// was analysed with. The page keeps it where the analysis ran (its worker, or the main thread),
/// so that fitting the models later reads no text again; `free()` releases it.
#[wasm_bindgen]
pub struct ParsedData {
    parsed: Parsed,
    settings: Settings,
    measures: Vec<Measure>,
}

#[wasm_bindgen]
impl ParsedData {
    /// In binary (postcard), for [`fit_models`] in another copy of the engine (the extras
    /// module). Not a file format: only the same build reads it.
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::output::parsed_to_bytes(&self.parsed, &self.settings, &self.measures)
    }
}

/// The page's model pass (the extras module), from the `to_bytes()` of a [`ParsedData`]: the
/// mixed models and D50 fits of the data as it was analysed. `view()` is the JSON
/// `{"mixed_models": [...], "d50": [...], "model_notes": [...]}` (the fields of the same names
/// of an `Analysis`), `bytes()` the fits for [`ChartData::set_models`].
#[cfg(feature = "models")]
#[wasm_bindgen]
pub fn fit_models(data: &[u8]) -> Result<PageAnalysis, JsError> {
    #[derive(serde::Serialize)]
    struct Fits<'a> {
        mixed_models: &'a [crate::models::MixedModelEntry],
        d50: &'a [crate::models::D50Entry],
        model_notes: &'a [String],
    }
    let (parsed, mut settings, measures) =
        crate::output::parsed_from_bytes(data).map_err(|e| JsError::new(&e))?;
    // The first pass ran without fits; this pass is the request for them.
    settings.mixed_models = true;
    settings.d50 = true;
    let fits = crate::pipeline::fit_models(&parsed, &settings, &measures);
    let view = to_json(&Fits {
        mixed_models: &fits.mixed_models,
        d50: &fits.d50,
        model_notes: &fits.notes,
    })?;
    let bytes = crate::output::models_to_bytes(&fits);
    Ok(PageAnalysis {
        view,
        bytes,
        texts: String::new(),
        data: None,
    })
}

/// The page's first analysis pass (no model fits, even in a module that has them) on `text`,
/// `times` times over (at most 1,000), results dropped. The page's worker calls it once while
/// idle, with the examples' texts (`www/pkg/examples.js`): the browser compiles wasm in tiers
/// (baseline first, optimised once a function has run a while), so without it the user's first
/// large analysis runs mostly in baseline code.
#[wasm_bindgen]
pub fn warm_up(text: &str, times: u32) -> Result<(), JsError> {
    for _ in 0..times.min(1000) {
        analyze_for_page(
            text,
            r#"{"include_series":true,"first_measure_only":true,"mixed_models":false,"d50":false}"#,
        )?;
    }
    Ok(())
}

/// Whether this is the page's extras module (the single file's engine is too): mixed models and
/// D50 fits (feature `models`) and the SVG, CSV and JSON exports (feature `exports`), which the
/// page's start module leaves out.
#[wasm_bindgen]
pub fn has_extras() -> bool {
    cfg!(all(feature = "models", feature = "exports"))
}

/// JSON list of `{name, title, description}`. In the extras module (feature `examples`): the
/// page reads the examples from `www/pkg/examples.js`, which the build writes with it.
#[cfg(feature = "examples")]
#[wasm_bindgen]
pub fn examples() -> String {
    #[derive(serde::Serialize)]
    struct Example {
        name: &'static str,
        title: &'static str,
        description: &'static str,
    }
    let list: Vec<Example> = crate::synth::examples()
        .into_iter()
        .map(|(name, title, description)| Example {
            name,
            title,
            description,
        })
        .collect();
    crate::output::to_json_compact(&list).unwrap_or_else(|_| "[]".into())
}

/// Several files' texts as one text of several tables (`#table: NAME` before each; a workbook's
/// marked sheets kept as they are): what the page puts in its paste area when several files are
/// opened or dropped at once (`parse::tables::join`).
#[wasm_bindgen]
pub fn join_tables(names: Vec<String>, texts: Vec<String>) -> String {
    let named: Vec<(&str, &str)> = names
        .iter()
        .zip(&texts)
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    crate::parse::tables::join(&named)
}

/// The data of an example, as text (feature `examples`, as [`examples`]).
#[cfg(feature = "examples")]
#[wasm_bindgen]
pub fn example_text(name: &str) -> Result<String, JsError> {
    crate::synth::example_text(name)
        .ok_or_else(|| JsError::new(&format!("Unknown example \"{name}\".")))
}

/// The words and numbers the page shows, from the core's own definitions, read once at start
/// (JSON): `{"measures": [{"name", "label", "unit", "best", "higher_is_worse"}], "roles":
/// [{"value", "role"}]}`. `roles` are what a person can give a column: `value` the name a column
/// override takes (`Role::from_name` reads it), `role` the name the analysis reports for a column
/// of that role (`Role::name`); the two differ only for Ignore ("ignore", "ignored").
#[wasm_bindgen]
pub fn vocabulary() -> Result<String, JsError> {
    use crate::parse::columns::Role;
    #[derive(serde::Serialize)]
    struct MeasureWords {
        name: &'static str,
        label: &'static str,
        unit: &'static str,
        best: f64,
        higher_is_worse: bool,
    }
    #[derive(serde::Serialize)]
    struct RoleWords {
        value: String,
        role: String,
    }
    #[derive(serde::Serialize)]
    struct Vocabulary {
        measures: Vec<MeasureWords>,
        roles: Vec<RoleWords>,
    }
    let measures = crate::data::ALL_MEASURES.map(|m| MeasureWords {
        name: m.name(),
        label: m.label(),
        unit: m.unit(),
        best: m.best(),
        higher_is_worse: m.higher_is_worse(),
    });
    let mut roles: Vec<RoleWords> = Role::assignable()
        .iter()
        .map(|r| RoleWords {
            value: r.name(),
            role: r.name(),
        })
        .collect();
    roles.push(RoleWords {
        value: "ignore".into(),
        role: Role::Ignore.name(),
    });
    to_json(&Vocabulary {
        measures: measures.into(),
        roles,
    })
}

/// A p-value as the engine writes it for people, without its letter (`format::p_value`: "0.042",
/// "< 0.001"; "–" when missing or not a number). After "p", write [`format_p_text`]'s text, never
/// "p = " + this.
#[wasm_bindgen]
pub fn format_p(p: Option<f64>) -> String {
    crate::format::p_value(p)
}

/// A p-value with its letter (`format::p_text`): "p = 0.042", "p < 0.001".
#[wasm_bindgen]
pub fn format_p_text(p: Option<f64>) -> String {
    crate::format::p_text(p)
}

/// A number with `digits` decimals, as the engine writes it for people (`format::number`: to the
/// nearest, ties to even; no "-0.00"); "–" when missing or not finite.
#[wasm_bindgen]
pub fn format_number(x: Option<f64>, digits: usize) -> String {
    crate::format::number(x, digits)
}

/// [`format_number`] of each value (NaN: missing), one per line: the page formats a table's
/// column in one call rather than one per cell (docs/page.md: the figures).
#[wasm_bindgen]
pub fn format_numbers(values: &[f64], digits: usize) -> String {
    let mut out = String::with_capacity(values.len() * 8);
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        crate::format::write_number(&mut out, Some(v), digits);
    }
    out
}

/// First worksheet of an XLSX file as tab-separated text, within the page's limits (only in the
/// on-demand xlsx module).
#[cfg(feature = "xlsx")]
#[wasm_bindgen]
pub fn xlsx_to_text(bytes: &[u8]) -> Result<String, JsError> {
    use crate::parse::xlsx::{xlsx_to_text_with, Limits};
    xlsx_to_text_with(bytes, &Limits::PAGE).map_err(|e| JsError::new(&e.to_string()))
}

/// The page's CSV exports (the extras module), from the `to_bytes()` of a [`ParsedData`]: the
/// data analysed again for every measure it has (the page's own result has the one measure
/// shown), without model fits. `patients()`: one row per patient and measure
/// ([`crate::output::to_csv`]); `summaries()`: the group summaries, responder counts and tests
/// ([`crate::output::summaries_csv`]); `stages()`: the stages of every visit with items (the
/// CLI's `--format stages-csv`, [`crate::output::staging::stages_csv`]; its header alone when
/// there are none).
#[cfg(feature = "exports")]
#[wasm_bindgen]
pub fn export_tables(data: &[u8]) -> Result<Tables, JsError> {
    let (parsed, mut settings, _) =
        crate::output::parsed_from_bytes(data).map_err(|e| JsError::new(&e))?;
    settings.measures = Vec::new();
    settings.first_measure_only = false;
    (settings.mixed_models, settings.d50, settings.include_series) = (false, false, false);
    let a = crate::pipeline::analyze(&parsed, &settings);
    Ok(Tables {
        patients: crate::output::to_csv(&a),
        summaries: crate::output::summaries_csv(&a),
        stages: crate::output::staging::stages_csv(&a),
    })
}

/// See [`export_tables`]; each read once.
#[cfg(feature = "exports")]
#[wasm_bindgen]
pub struct Tables {
    patients: String,
    summaries: String,
    stages: String,
}

#[cfg(feature = "exports")]
#[wasm_bindgen]
impl Tables {
    pub fn patients(&mut self) -> String {
        std::mem::take(&mut self.patients)
    }
    pub fn summaries(&mut self) -> String {
        std::mem::take(&mut self.summaries)
    }
    pub fn stages(&mut self) -> String {
        std::mem::take(&mut self.stages)
    }
}
