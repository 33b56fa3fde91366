//! What a chart is drawn for: the options (sanitised: size, device-pixel ratio), the analysis,
//! its measure and selection, and the groups' display order, colours and shapes.

use super::palette::{self, Shape};
use super::ChartOptions;
use crate::analysis::{Analysis, PatientResult, Series};
use crate::data::Measure;
use crate::settings::TimeOrigin;
use plotters::prelude::*;
use rustc_hash::FxHashMap;

/// Backend size in device pixels: CSS size × dpr (both sanitised).
pub fn canvas_size(opts: &ChartOptions) -> (u32, u32) {
    let d = dpr(opts);
    let w = (css_width(opts) as f64 * d).round() as u32;
    let h = (css_height(opts) as f64 * d).round() as u32;
    (w.max(1), h.max(1))
}

pub fn css_width(opts: &ChartOptions) -> u32 {
    opts.width.clamp(160, 8000)
}

pub fn css_height(opts: &ChartOptions) -> u32 {
    opts.height.clamp(120, 8000)
}

pub fn dpr(opts: &ChartOptions) -> f64 {
    if opts.dpr.is_finite() && opts.dpr > 0.0 {
        opts.dpr.clamp(0.25, 8.0)
    } else {
        1.0
    }
}

/// Groups in display order (analysis order, then any others met in the data) and their styles.
pub struct Groups {
    pub names: Vec<String>,
    index: FxHashMap<String, usize>,
}

impl Groups {
    fn new(a: &Analysis) -> Self {
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
            if !g.index.contains_key(name) {
                g.index.insert(name.to_string(), g.names.len());
                g.names.push(name.to_string());
            }
        }
        g
    }
    pub fn idx(&self, name: &str) -> usize {
        self.index.get(name).copied().unwrap_or(0)
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
    pub groups: Groups,
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
            groups: Groups::new(a),
            se: opts.error_bars.eq_ignore_ascii_case("se"),
            show_models: opts.show_models,
        }
    }
    /// CSS pixels → device pixels.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.dpr).round() as i32
    }
    /// Stroke width in device pixels (≥ 1).
    pub fn stroke(&self, v: f64) -> u32 {
        ((v * self.dpr).round() as u32).max(1)
    }
    pub fn font(&self, size: f64) -> TextStyle<'static> {
        // The family as a value, not the name: plotters lower-cases a name with Unicode's tables.
        (FontFamily::SansSerif, size * self.dpr)
            .into_font()
            .color(&BLACK)
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
    /// Progression rate axis: positive = worsening, whatever the scale's direction.
    pub fn rate_label(&self) -> String {
        format!("Decline ({}/month)", self.measure.unit())
    }
}
