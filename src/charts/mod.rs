//! Charts of an analysis, drawn with plotters on any `DrawingBackend`: SVG for the CLI and
//! tests ([`render_svg`]), an HTML canvas in the page (plotters-canvas, via [`draw`]). The charts
//! call the backend's primitives directly (`surface::Surface`), with their own axes and legends.
//!
//! One function per chart (one file each). What they share, a concern per file: `surface` (the
//! backend's primitives, the error type), `context` (options, sizes, measure, selection, groups,
//! words), `coords` (data → pixels, ranges, ticks, clipping, hit targets), `axes` (the frame laid
//! out for the chart's size: title, axes, where the legend goes), `labels` (what the data covers
//! and text placed clear of it), `marks` (markers, lines, dashes), `legend`, `palette`
//! (Okabe–Ito) and `svg` (SVG documents); numbers as text come from `crate::format`. Every chart
//! returns hit targets (in backend pixels) and a text alternative ([`describe`]), which holds
//! every number a label shows (a label with no free place is left out).
//!
//! ## Sizes
//!
//! A chart is laid out for the size it is drawn at: on screen `width` × `height` CSS px (the
//! canvas's size; `dpr` device pixels each), for print or slides a fixed size in millimetres
//! ([`ChartOptions::width_mm`] and `height_mm`, e.g. a [`SizePreset`]'s) whose smallest text is
//! `font_pt` points (9 by default): the same chart, whatever the window, for an SVG export or a
//! PNG at a chosen resolution (`dpr` = dots per inch / 96). At 96 CSS px per inch, 85 mm is 321
//! px: a one-column figure is laid out as a phone-width chart with larger text.

mod axes;
mod context;
mod coords;
mod labels;
mod legend;
mod marks;
mod surface;
mod svg;

mod group_mean;
mod interval;
// The survival endpoints (#22): Kaplan–Meier curves with the numbers at risk, the CAFS panel.
// With the `survival` feature only (the CLI, the page's extras module, which draws them): the
// page's start module has neither their data nor their code.
#[cfg(feature = "survival")]
mod cafs;
#[cfg(feature = "survival")]
mod km;

/// What a build without the survival charts says when asked for one.
#[cfg(not(feature = "survival"))]
const NO_SURVIVAL: &str = "the survival charts are drawn by the extras module";
mod palette;
mod patient;
mod slopegraph;
mod trajectories;
mod waterfall;
// Issue #23: the stage timeline.
mod swimmer;

pub use context::canvas_size;
pub use surface::ChartError;
pub use svg::{finish as finish_svg, svg_text, Svg};

/// The device-pixel ratio a chart is drawn at (the option, sanitised).
pub fn effective_dpr(opts: &ChartOptions) -> f64 {
    context::dpr(opts)
}

#[cfg(test)]
mod tests;

use crate::analysis::Analysis;
use crate::data::Measure;
use context::Ctx;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use surface::Surface;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Trajectories,
    Patient,
    Slopegraph,
    Waterfall,
    GroupMean,
    Interval,
    /// The stage timeline (issue #23): King's stage per visit, a bar per patient.
    Swimmer,
    /// Kaplan–Meier curves per group (#22).
    Survival,
    /// CAFS scores per group (#22).
    Cafs,
}

impl ChartKind {
    pub const ALL: [ChartKind; 9] = [
        ChartKind::Trajectories,
        ChartKind::Patient,
        ChartKind::Slopegraph,
        ChartKind::Waterfall,
        ChartKind::GroupMean,
        ChartKind::Interval,
        ChartKind::Swimmer,
        ChartKind::Survival,
        ChartKind::Cafs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Trajectories => "trajectories",
            ChartKind::Patient => "patient",
            ChartKind::Slopegraph => "slopegraph",
            ChartKind::Waterfall => "waterfall",
            ChartKind::GroupMean => "group_mean",
            ChartKind::Interval => "interval",
            ChartKind::Swimmer => "swimmer",
            ChartKind::Survival => "survival",
            ChartKind::Cafs => "cafs",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.name() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Trajectories => "Individual trajectories",
            ChartKind::Patient => "Patient course",
            ChartKind::Slopegraph => "Decline rate before and after",
            ChartKind::Waterfall => "Improvement in decline rate per patient",
            ChartKind::GroupMean => "Group mean over time",
            ChartKind::Interval => "Improvement vs interval length",
            ChartKind::Swimmer => "Stage timeline",
            ChartKind::Survival => "Kaplan–Meier survival",
            ChartKind::Cafs => "Combined assessment of function and survival (CAFS)",
        }
    }
}

/// Fixed sizes for exports: their `width_mm`, `height_mm` and `font_pt` ([`SizePreset::mm_pt`],
/// [`ChartOptions::sized`]). The page offers the same figures (docs/page.md); the options it
/// sends hold the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizePreset {
    /// One journal column: 85 × 80 mm, text ≥ 9 pt.
    Column,
    /// Two journal columns (a page's width): 175 × 110 mm, text ≥ 9 pt.
    TwoColumn,
    /// A 16:9 slide 10 inches wide: 254 × 142.9 mm, text ≥ 14 pt.
    Slide,
}

impl SizePreset {
    pub const ALL: [SizePreset; 3] = [SizePreset::Column, SizePreset::TwoColumn, SizePreset::Slide];
    /// (width mm, height mm, smallest text pt).
    pub fn mm_pt(self) -> (f64, f64, f64) {
        match self {
            SizePreset::Column => (85.0, 80.0, 9.0),
            SizePreset::TwoColumn => (175.0, 110.0, 9.0),
            SizePreset::Slide => (254.0, 142.875, 14.0),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            SizePreset::Column => "column",
            SizePreset::TwoColumn => "two_column",
            SizePreset::Slide => "slide",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ChartOptions {
    /// None = first of `analysis.measures`.
    pub measure: Option<Measure>,
    /// Patient id to highlight (and to show in the patient chart).
    pub selected: Option<String>,
    /// CSS pixels (on screen; a fixed size below takes their place).
    pub width: u32,
    pub height: u32,
    /// Device pixel ratio: the backend is width·dpr × height·dpr and everything is scaled by it.
    /// For a PNG at a fixed size: dots per inch / 96 (300 dpi: 3.125).
    pub dpr: f64,
    /// A fixed width in millimetres (96 CSS px per inch): laid out for it, not for `width`
    /// (e.g. [`SizePreset`]'s).
    pub width_mm: Option<f64>,
    /// Its height (default: 0.7 × the width).
    pub height_mm: Option<f64>,
    /// The smallest text at the fixed size, in points (default 9); the other text keeps its
    /// proportions (axis titles 1.2×, the title 1.4×).
    pub font_pt: Option<f64>,
    /// "sd" or "se" (group mean chart).
    pub error_bars: String,
    /// Overlay mixed-model population lines and D50 curves.
    pub show_models: bool,
    /// The Kaplan–Meier chart's endpoint (default: the first the analysis has, death).
    pub endpoint: Option<crate::analysis::Endpoint>,
    /// The Kaplan–Meier chart's 95% CI as a band.
    pub ci_band: bool,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            measure: None,
            selected: None,
            width: 800,
            height: 500,
            dpr: 1.0,
            width_mm: None,
            height_mm: None,
            font_pt: None,
            error_bars: "sd".to_string(),
            show_models: false,
            endpoint: None,
            ci_band: false,
        }
    }
}

impl ChartOptions {
    /// These options at a preset's fixed size.
    pub fn sized(self, p: SizePreset) -> ChartOptions {
        let (w, h, pt) = p.mm_pt();
        ChartOptions {
            width_mm: Some(w),
            height_mm: Some(h),
            font_pt: Some(pt),
            ..self
        }
    }
}

/// A hover/click target, in backend pixels. `id` is a patient id (a group name for group_mean).
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartOutput {
    pub hits: Vec<Hit>,
    pub description: String,
    /// The hits' areas (x0, y0, x1, y1), backend pixels, when they are areas, not points (the
    /// waterfall's bars); empty otherwise. An SVG export's hover titles cover them.
    pub areas: Vec<(i32, i32, i32, i32)>,
}

/// Draw a chart on a backend sized width·dpr × height·dpr ([`canvas_size`]), and present it.
pub fn draw<DB: DrawingBackend>(
    backend: DB,
    kind: ChartKind,
    a: &Analysis,
    opts: &ChartOptions,
) -> Result<ChartOutput, ChartError> {
    let c = Ctx::new(a, opts);
    let surface = Surface::new(backend);
    let root = &surface;
    root.begin()?;
    let mut areas = Vec::new();
    let (hits, description) = match kind {
        ChartKind::Trajectories => trajectories::render(root, &c)?,
        ChartKind::Patient => (patient::draw(root, &c)?, patient::describe(&c)),
        ChartKind::Slopegraph => slopegraph::render(root, &c)?,
        ChartKind::Waterfall => waterfall::render(root, &c, &mut areas)?,
        ChartKind::GroupMean => group_mean::render(root, &c)?,
        ChartKind::Interval => interval::render(root, &c)?,
        ChartKind::Swimmer => swimmer::render(root, &c)?,
        #[cfg(feature = "survival")]
        ChartKind::Survival => km::render(root, &c, opts)?,
        #[cfg(feature = "survival")]
        ChartKind::Cafs => cafs::render(root, &c)?,
        #[cfg(not(feature = "survival"))]
        ChartKind::Survival | ChartKind::Cafs => {
            return Err(ChartError::Backend(NO_SURVIVAL.into()))
        }
    };
    root.present()?;
    Ok(ChartOutput {
        hits,
        description,
        areas,
    })
}

/// Millimetres as an SVG length: 2 decimals at most, no trailing zeros.
fn fmt_mm(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The chart as an SVG document of width·dpr × height·dpr pixels (in millimetres at a fixed
/// size), with hover titles ([`finish_svg`]).
pub fn render_svg(
    kind: ChartKind,
    a: &Analysis,
    opts: &ChartOptions,
) -> Result<String, ChartError> {
    Ok(render_svg_output(kind, a, opts)?.0)
}

/// SVG document plus hits and description.
pub fn render_svg_output(
    kind: ChartKind,
    a: &Analysis,
    opts: &ChartOptions,
) -> Result<(String, ChartOutput), ChartError> {
    let mut buf = String::new();
    let out = {
        draw(
            Svg(SVGBackend::with_string(
                &mut buf,
                context::canvas_size(opts),
            )),
            kind,
            a,
            opts,
        )?
    };
    finish_svg(&mut buf, kind, opts, &out);
    Ok((buf, out))
}

/// Text alternative of a chart: what it shows and its key numbers.
pub fn describe(kind: ChartKind, a: &Analysis, opts: &ChartOptions) -> String {
    describe_ctx(kind, &Ctx::new(a, opts), opts)
}

fn describe_ctx(kind: ChartKind, c: &Ctx, opts: &ChartOptions) -> String {
    match kind {
        ChartKind::Trajectories => trajectories::describe(c),
        ChartKind::Patient => patient::describe(c),
        ChartKind::Slopegraph => slopegraph::describe(c),
        ChartKind::Waterfall => waterfall::describe(c),
        ChartKind::GroupMean => group_mean::describe(c),
        ChartKind::Interval => interval::describe(c),
        ChartKind::Swimmer => swimmer::describe(c),
        #[cfg(feature = "survival")]
        ChartKind::Survival => km::describe(c, opts),
        #[cfg(feature = "survival")]
        ChartKind::Cafs => cafs::describe(c),
        #[cfg(not(feature = "survival"))]
        ChartKind::Survival | ChartKind::Cafs => {
            let _ = opts;
            NO_SURVIVAL.to_string()
        }
    }
}
