//! What a chart is drawn for: the options (sanitised: size, device-pixel ratio, text scale), the
//! analysis, its measure and selection, and the groups' display order, colours and shapes.

use super::palette::{self, Shape};
use super::surface::Font;
use super::ChartOptions;
use crate::analysis::{Analysis, PatientResult, Period, Series};
use crate::data::Measure;
use crate::settings::TimeOrigin;
use plotters::prelude::*;
use rustc_hash::FxHashMap;

/// CSS pixels per millimetre (96 per inch).
pub const PX_PER_MM: f64 = 96.0 / 25.4;
/// CSS pixels per point (1/72 inch).
pub const PX_PER_PT: f64 = 96.0 / 72.0;

/// Text sizes (CSS px before the text scale): the title, axis titles, tick labels, legend and
/// labels, small labels and notes. The smallest, `SMALL`, is what `font_pt` sets.
pub const TITLE: f64 = 14.0;
pub const AXIS: f64 = 12.0;
pub const TEXT: f64 = 11.0;
pub const SMALL: f64 = 10.0;

/// The size a chart is laid out for: CSS pixels and the text scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
    /// Text sizes are multiplied by this (1 on screen; at a fixed size, what makes the smallest
    /// text `font_pt`).
    pub text: f64,
    /// The fixed size asked for, in millimetres (width, height).
    pub mm: Option<(f64, f64)>,
}

/// The options' size, sanitised: a fixed size (`width_mm`) in millimetres at 96 CSS px per inch
/// with its smallest text at `font_pt` (default 9 pt), else `width` × `height` CSS px with the
/// screen's text sizes (or, with `font_pt`, that text size).
pub fn size(opts: &ChartOptions) -> Size {
    let ok = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0);
    let mm = ok(opts.width_mm).map(|w| {
        let h = ok(opts.height_mm).unwrap_or(w * 0.7);
        // As the pixel size is bounded.
        let lim = |v: f64| v.clamp(160.0 / PX_PER_MM, 8000.0 / PX_PER_MM);
        (lim(w), lim(h))
    });
    let (width, height) = match mm {
        Some((w, h)) => ((w * PX_PER_MM).round(), (h * PX_PER_MM).round()),
        None => (opts.width as f64, opts.height as f64),
    };
    let pt = ok(opts.font_pt).or(mm.map(|_| 9.0));
    Size {
        width: (width.clamp(160.0, 8000.0)) as u32,
        height: (height.clamp(120.0, 8000.0)) as u32,
        text: pt.map_or(1.0, |pt| (pt * PX_PER_PT / SMALL).clamp(0.5, 4.0)),
        mm,
    }
}

/// Backend size in device pixels: CSS size × dpr (both sanitised).
pub fn canvas_size(opts: &ChartOptions) -> (u32, u32) {
    let d = dpr(opts);
    let s = size(opts);
    let w = (s.width as f64 * d).round() as u32;
    let h = (s.height as f64 * d).round() as u32;
    (w.max(1), h.max(1))
}

pub fn dpr(opts: &ChartOptions) -> f64 {
    if opts.dpr.is_finite() && opts.dpr > 0.0 {
        opts.dpr.clamp(0.25, 8.0)
    } else {
        1.0
    }
}

/// Groups in display order (analysis order, then any others met in the data) and their styles.
pub struct Groups<'a> {
    pub names: Vec<String>,
    /// A map of the same type as the page's bindings' (`web::Drawn`): one copy of its code in
    /// the page's wasm.
    index: FxHashMap<&'a str, u32>,
}

impl<'a> Groups<'a> {
    fn new(a: &'a Analysis) -> Self {
        let mut g = Groups {
            names: Vec::new(),
            index: FxHashMap::default(),
        };
        let extra = a
            .patients
            .iter()
            .map(|p| &*p.group)
            .chain(a.series.iter().map(|s| &*s.group));
        for name in a.groups.iter().map(String::as_str).chain(extra) {
            let names = &mut g.names;
            g.index.entry(name).or_insert_with(|| {
                names.push(name.to_string());
                names.len() as u32 - 1
            });
        }
        g
    }
    pub fn idx(&self, name: &str) -> usize {
        self.index.get(name).map_or(0, |&i| i as usize)
    }
    pub fn color(&self, name: &str) -> RGBColor {
        palette::group_color(self.idx(name))
    }
    pub fn shape(&self, name: &str) -> Shape {
        palette::group_shape(self.idx(name))
    }
}

/// Everything a chart needs besides the data: measure, selection, scale and group styles.
pub struct Ctx<'a> {
    pub a: &'a Analysis,
    pub measure: Measure,
    pub selected: Option<&'a str>,
    pub dpr: f64,
    /// Text scale (see [`Size::text`]), which scales the rest of the drawing with it.
    pub text: f64,
    pub groups: Groups<'a>,
    pub se: bool,
    pub show_models: bool,
}

impl<'a> Ctx<'a> {
    pub fn new(a: &'a Analysis, opts: &'a ChartOptions) -> Self {
        let measure = opts
            .measure
            .or_else(|| a.measures.first().copied())
            .or_else(|| a.patients.first().map(|p| p.measure))
            .unwrap_or(Measure::AlsfrsR);
        Ctx {
            a,
            measure,
            selected: opts.selected.as_deref().filter(|s| !s.is_empty()),
            dpr: dpr(opts),
            text: size(opts).text,
            groups: Groups::new(a),
            se: opts.error_bars.eq_ignore_ascii_case("se"),
            show_models: opts.show_models,
        }
    }
    /// CSS pixels → device pixels (at a fixed size, scaled with the text: markers, lines and
    /// spacing keep their proportions to it).
    pub fn px(&self, v: f64) -> i32 {
        (v * self.dpr * self.text).round() as i32
    }
    /// Stroke width in device pixels (≥ 1).
    #[inline(never)]
    pub fn stroke(&self, v: f64) -> u32 {
        ((v * self.dpr * self.text).round() as u32).max(1)
    }
    /// Text of `size` CSS px (one of `TITLE`, `AXIS`, `TEXT`, `SMALL`), scaled.
    #[inline(never)]
    pub fn font(&self, size: f64) -> Font {
        Font::new(size * self.text * self.dpr)
    }
    pub fn is_selected(&self, id: &str) -> bool {
        self.selected == Some(id)
    }
    /// Patient results for the chart's measure.
    pub fn patients(&self) -> impl Iterator<Item = &'a PatientResult> + '_ {
        let m = self.measure;
        self.a.patients.iter().filter(move |p| p.measure == m)
    }
    pub fn result_of(&self, id: &str) -> Option<&'a PatientResult> {
        self.a
            .patients
            .iter()
            .find(|p| p.measure == self.measure && &*p.id == id)
    }
    /// Finite (t, score) pairs of a series for the chart's measure.
    pub fn points(&self, s: &Series) -> Vec<(f64, f64)> {
        self.points_iter(s).collect()
    }
    /// [`Ctx::points`] without collecting them.
    pub fn points_iter<'s>(&self, s: &'s Series) -> impl Iterator<Item = (f64, f64)> + 's {
        let m = self.measure.index();
        s.visits
            .iter()
            .filter_map(move |v| v.scores.get(m).map(|y| (v.t, y)))
            .filter(|(t, y)| t.is_finite() && y.is_finite())
    }
    pub fn time_label(&self) -> &'static str {
        match self.a.settings.time_origin {
            TimeOrigin::FirstEvent => "Months from first event",
            TimeOrigin::FirstVisit => "Months from first visit",
            TimeOrigin::Onset => "Months from symptom onset",
        }
    }
    /// Short measure name without the range, e.g. "ALSFRS-R".
    pub fn measure_name(&self) -> &'static str {
        let l = self.measure.label();
        l.split(" (").next().unwrap_or(l)
    }
    pub fn score_label(&self) -> String {
        format!("{} ({})", self.measure_name(), self.measure.unit())
    }
    /// The unit of a rate: "points per month", "% predicted per month".
    pub fn rate_unit(&self) -> String {
        format!("{} per month", self.measure.unit())
    }
    /// Progression rate axis: positive = worsening, whatever the scale's direction.
    pub fn rate_label(&self) -> String {
        format!("Decline ({})", self.rate_unit())
    }
}

/// A period in words: "before treatment" (or "before the index date" when the first event is an
/// index date), "after injection 1" (after the event that opens it, as the data names it).
///
/// The charts' own rule until the analysis names its periods (issue #24: `Period.name` from the
/// numbers' branch); then this is to call that.
pub fn period_name(periods: &[Period], i: usize) -> String {
    let event = |k: usize| periods.get(k).and_then(|p| p.event.as_deref());
    match event(i) {
        Some(e) if i > 0 => format!("after {}", event_words(e)),
        _ => match event(1) {
            Some(e) if e.to_ascii_lowercase().contains("index") => "before the index date".into(),
            _ => "before treatment".into(),
        },
    }
}

/// An event's label inside a sentence: "Injection 1" → "injection 1", "IV injection" as it is,
/// "index" or "index date" → "the index date".
fn event_words(label: &str) -> String {
    let l = super::marks::truncate(label.trim(), super::marks::MAX_LABEL);
    if l.eq_ignore_ascii_case("index") || l.eq_ignore_ascii_case("index date") {
        return "the index date".into();
    }
    // ASCII only: Unicode's case tables stay out of the page's wasm.
    let b = l.as_bytes();
    if b.len() > 1 && b[0].is_ascii_uppercase() && !b[1].is_ascii_uppercase() {
        let mut out = l;
        out[..1].make_ascii_lowercase();
        return out;
    }
    l
}
