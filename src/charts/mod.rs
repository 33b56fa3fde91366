//! Charts of an analysis, drawn with plotters on any `DrawingBackend`: SVG for the CLI and
//! tests ([`render_svg`]), an HTML canvas in the page (plotters-canvas, via [`draw`]). The charts
//! call the backend's primitives directly (`surface::Surface`), with their own axes and legends.
//!
//! One function per chart (one file each). What they share, a concern per file: `surface` (the
//! backend's primitives, the error type), `context` (options, measure, selection, groups),
//! `coords` (data → pixels, ranges, ticks, clipping, hit targets), `axes` (the frame), `marks`
//! (markers, lines, dashes, labels), `legend`, and `palette` (Okabe–Ito); numbers as text come from
//! `crate::format`. Every chart returns hit targets (in backend pixels) and a text alternative
//! ([`describe`]).

mod axes;
mod context;
mod coords;
mod legend;
mod marks;
mod surface;

mod group_mean;
mod interval;
mod palette;
mod patient;
mod slopegraph;
mod trajectories;
mod waterfall;

pub use context::canvas_size;
pub use surface::ChartError;

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
}

impl ChartKind {
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Trajectories,
        ChartKind::Patient,
        ChartKind::Slopegraph,
        ChartKind::Waterfall,
        ChartKind::GroupMean,
        ChartKind::Interval,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Trajectories => "trajectories",
            ChartKind::Patient => "patient",
            ChartKind::Slopegraph => "slopegraph",
            ChartKind::Waterfall => "waterfall",
            ChartKind::GroupMean => "group_mean",
            ChartKind::Interval => "interval",
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
    /// CSS pixels.
    pub width: u32,
    pub height: u32,
    /// Device pixel ratio: the backend is width·dpr × height·dpr and everything is scaled by it.
    pub dpr: f64,
    /// "sd" or "se" (group mean chart).
    pub error_bars: String,
    /// Overlay mixed-model population lines and D50 curves.
    pub show_models: bool,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            measure: None,
            selected: None,
            width: 800,
            height: 500,
            dpr: 1.0,
            error_bars: "sd".to_string(),
            show_models: false,
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
    let (hits, description) = match kind {
        ChartKind::Trajectories => trajectories::render(root, &c)?,
        ChartKind::Patient => (patient::draw(root, &c)?, patient::describe(&c)),
        ChartKind::Slopegraph => slopegraph::render(root, &c)?,
        ChartKind::Waterfall => waterfall::render(root, &c)?,
        ChartKind::GroupMean => group_mean::render(root, &c)?,
        ChartKind::Interval => interval::render(root, &c)?,
    };
    root.present()?;
    Ok(ChartOutput { hits, description })
}

/// The chart as an SVG document of width·dpr × height·dpr pixels.
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
            SVGBackend::with_string(&mut buf, context::canvas_size(opts)),
            kind,
            a,
            opts,
        )?
    };
    Ok((buf, out))
}

/// Text alternative of a chart: what it shows and its key numbers.
pub fn describe(kind: ChartKind, a: &Analysis, opts: &ChartOptions) -> String {
    describe_ctx(kind, &Ctx::new(a, opts))
}

fn describe_ctx(kind: ChartKind, c: &Ctx) -> String {
    match kind {
        ChartKind::Trajectories => trajectories::describe(c),
        ChartKind::Patient => patient::describe(c),
        ChartKind::Slopegraph => slopegraph::describe(c),
        ChartKind::Waterfall => waterfall::describe(c),
        ChartKind::GroupMean => group_mean::describe(c),
        ChartKind::Interval => interval::describe(c),
    }
}
