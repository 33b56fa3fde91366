//! Shared chart machinery: options sanitising, scaling by dpr, axis frames, legends, markers,
//! clipping and number formatting. Every chart module builds on these.

use super::palette::{self, Shape};
use super::{ChartOptions, Hit};
use crate::analysis::{Analysis, PatientResult, Series, TimeOrigin};
use crate::data::Measure;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
pub type Res<T> = Result<T, String>;

/// Longest patient id / group / event label drawn on a chart (characters).
pub const MAX_LABEL: usize = 24;

pub fn err<E: std::fmt::Display>(e: E) -> String {
    format!("chart drawing failed: {e}")
}

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

/// Label-safe text: control characters, bidi overrides and the non-characters XML forbids
/// (U+FFFE, U+FFFF) become spaces; at most `max` characters (ellipsis).
pub fn truncate(s: &str, max: usize) -> String {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    let mut out: String = s
        .chars()
        .take(max + 1)
        .map(|c| if unsafe_char(c) { ' ' } else { c })
        .collect();
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
    }
    out
}

/// Number with `dec` decimals and a typographic minus; "—" when missing.
pub fn fmt(v: Option<f64>, dec: usize) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = format!("{:.*}", dec, x);
            let zero = s
                .trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.');
            if zero {
                s.trim_start_matches('-').to_string()
            } else {
                s.replace('-', "−")
            }
        }
        _ => "—".to_string(),
    }
}

pub fn fmt_p(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_finite() && p < 0.001 => "< 0.001".to_string(),
        Some(p) if p.is_finite() => format!("= {}", fmt(Some(p), 3)),
        _ => "= —".to_string(),
    }
}

pub fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

pub fn median(v: &[f64]) -> Option<f64> {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if s.is_empty() {
        return None;
    }
    // The middle one(s) without sorting the rest.
    let n = s.len();
    let (below, mid, _) = crate::sort::select_f64(&mut s, n / 2);
    let mid = *mid;
    Some(if n % 2 == 1 {
        mid
    } else {
        let lower = below
            .iter()
            .copied()
            .max_by(|a, b| a.total_cmp(b))
            .unwrap_or(mid);
        (lower + mid) / 2.0
    })
}

/// Padded, never degenerate axis range over the finite values (plus `always`, e.g. 0).
pub fn range(vals: impl IntoIterator<Item = f64>, always: &[f64], pad: f64) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in vals.into_iter().chain(always.iter().copied()) {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if !span.is_finite() || span <= 1e-9 * lo.abs().max(hi.abs()) {
        let d = (lo.abs() * 0.1).max(1.0);
        return (lo - d, hi + d);
    }
    (lo - span * pad, hi + span * pad)
}

/// Clip the segment p–q to the box (Liang–Barsky); None when it lies outside or is not finite.
pub fn clip(
    p: (f64, f64),
    q: (f64, f64),
    x: (f64, f64),
    y: (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    if ![p.0, p.1, q.0, q.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (pk, qk) in [
        (-dx, p.0 - x.0),
        (dx, x.1 - p.0),
        (-dy, p.1 - y.0),
        (dy, y.1 - p.1),
    ] {
        if pk == 0.0 {
            if qk < 0.0 {
                return None;
            }
        } else {
            let r = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    Some((
        (p.0 + t0 * dx, p.1 + t0 * dy),
        (p.0 + t1 * dx, p.1 + t1 * dy),
    ))
}

/// Clip a sampled curve to the box; returns the visible runs.
pub fn clip_polyline(pts: &[(f64, f64)], x: (f64, f64), y: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for w in pts.windows(2) {
        match clip(w[0], w[1], x, y) {
            Some((a, b)) => {
                if cur.last() != Some(&a) {
                    if cur.len() > 1 {
                        runs.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push(a);
                }
                cur.push(b);
            }
            None => {
                if cur.len() > 1 {
                    runs.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() > 1 {
        runs.push(cur);
    }
    runs
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

/// Axis frame of a chart.
pub struct Frame {
    pub title: String,
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_desc: String,
    pub y_desc: String,
    /// Numeric x tick labels (off for categorical x axes drawn by the chart itself).
    pub x_ticks: bool,
}

/// Tick label formatter: decimals from the tick spacing, typographic minus.
fn tick_fmt(r: (f64, f64)) -> impl Fn(&f64) -> String {
    let step = ((r.1 - r.0).abs() / 8.0).max(1e-12);
    let dec = if step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(8)
    };
    move |v: &f64| fmt(Some(*v), dec)
}

/// White background, caption, axes with titles and a light horizontal grid.
pub fn build<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    c: &Ctx,
    f: &Frame,
) -> Res<Chart<'a, DB>> {
    let (w, _) = root.dim_in_pixel();
    let max_title = ((w as f64 / (8.0 * c.dpr)) as usize).max(12);
    let x = if f.x.0.is_finite() && f.x.1.is_finite() && f.x.1 > f.x.0 {
        f.x
    } else {
        (0.0, 1.0)
    };
    let y = if f.y.0.is_finite() && f.y.1.is_finite() && f.y.1 > f.y.0 {
        f.y
    } else {
        (0.0, 1.0)
    };
    let mut chart = ChartBuilder::on(root)
        .caption(truncate(&f.title, max_title), c.font(15.0))
        .margin(c.px(12.0))
        .x_label_area_size(c.px(46.0))
        .y_label_area_size(c.px(58.0))
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(err)?;
    let xf = tick_fmt(x);
    let yf = tick_fmt(y);
    let blank = |_: &f64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(BLACK.mix(0.08).stroke_width(c.stroke(1.0)))
        .axis_style(BLACK.stroke_width(c.stroke(1.0)))
        .label_style(c.font(11.0))
        .axis_desc_style(c.font(12.5))
        .x_desc(f.x_desc.as_str())
        .y_desc(f.y_desc.as_str())
        .x_labels(9)
        .y_labels(7)
        .set_all_tick_mark_size(c.px(4.0))
        .y_label_formatter(&yf);
    if f.x_ticks {
        mesh.x_label_formatter(&xf);
    } else {
        mesh.x_label_formatter(&blank)
            .set_tick_mark_size(LabelAreaPosition::Bottom, 0);
    }
    mesh.draw().map_err(err)?;
    Ok(chart)
}

/// Plotting rectangle (x0, y0, x1, y1) relative to `root`.
pub fn plot_rect<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<DB>,
) -> (i32, i32, i32, i32) {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (bx, by) = root.get_base_pixel();
    (xr.start - bx, yr.start - by, xr.end - bx, yr.end - by)
}

/// A hit target at a data point, in backend pixels.
pub fn hit<DB: DrawingBackend>(chart: &Chart<DB>, id: &str, p: (f64, f64)) -> Hit {
    let (x, y) = chart.backend_coord(&p);
    Hit {
        id: id.to_string(),
        x: x as f64,
        y: y as f64,
    }
}

/// Backend pixel → `root`-relative pixel.
pub fn to_root<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, x: f64, y: f64) -> (i32, i32) {
    let (bx, by) = root.get_base_pixel();
    (x as i32 - bx, y as i32 - by)
}

/// Centered note in the plotting area ("No data …").
pub fn note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Ctx,
    chart: &Chart<DB>,
    text: &str,
) -> Res<()> {
    let (x0, y0, x1, y1) = plot_rect(root, chart);
    let style = c
        .font(13.0)
        .color(&palette::GREY)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(
        text.to_string(),
        ((x0 + x1) / 2, (y0 + y1) / 2),
        style,
    ))
    .map_err(err)
}

/// Text anchored at a data point, offset by (dx, dy) CSS pixels.
pub fn label<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    c: &Ctx,
    text: &str,
    at: (f64, f64),
    offset: (f64, f64),
    style: TextStyle,
) -> Res<()> {
    if !(at.0.is_finite() && at.1.is_finite()) {
        return Ok(());
    }
    let el =
        EmptyElement::at(at) + Text::new(text.to_string(), (c.px(offset.0), c.px(offset.1)), style);
    chart.draw_series(std::iter::once(el)).map_err(err)?;
    Ok(())
}

/// Text centred above a data point (offset `dy` CSS px) on a white box, so it stays legible
/// over lines and points.
pub fn boxed_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<DB>,
    c: &Ctx,
    text: &str,
    at: (f64, f64),
    dy: f64,
) -> Res<()> {
    if !(at.0.is_finite() && at.1.is_finite()) {
        return Ok(());
    }
    let (bx, by) = chart.backend_coord(&at);
    let (x, y) = to_root(root, bx as f64, by as f64);
    let y = y + c.px(dy);
    let style = c.font(11.0).pos(Pos::new(HPos::Center, VPos::Bottom));
    let (w, h) = root.estimate_text_size(text, &style).map_err(err)?;
    let (w, h, pad) = (w as i32, h as i32, c.px(2.0));
    root.draw(&Rectangle::new(
        [(x - w / 2 - pad, y - h - pad), (x + w / 2 + pad, y + pad)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(err)?;
    root.draw(&Text::new(text.to_string(), (x, y), style))
        .map_err(err)
}

/// Markers of one shape at data points. `size` is the radius in device pixels.
///
/// Markers that land on the same pixel are drawn once, with the opacity that stacking them gives
/// (k copies of opacity a: 1 − (1 − a)^k; same colour, so the order does not matter): the same
/// picture, but for the anti-aliased edge pixels, for far fewer drawing calls. With 10,000 patients most event markers share a few
/// positions (all first events sit at t = 0 on integer scores): ~20,000 triangles become a few
/// hundred, and SVG exports shrink alike.
pub fn markers<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    shape: Shape,
    pts: &[(f64, f64)],
    size: i32,
    style: ShapeStyle,
) -> Res<()> {
    let mut at: FxHashMap<(i32, i32), usize> = FxHashMap::default();
    let mut uniq: Vec<((f64, f64), u32)> = Vec::new();
    for &p in pts {
        if !(p.0.is_finite() && p.1.is_finite()) {
            continue;
        }
        match at.entry(chart.backend_coord(&p)) {
            Entry::Occupied(e) => uniq[*e.get()].1 += 1,
            Entry::Vacant(e) => {
                e.insert(uniq.len());
                uniq.push((p, 1));
            }
        }
    }
    let mut by_count: BTreeMap<u32, Vec<(f64, f64)>> = BTreeMap::new();
    for (p, k) in uniq {
        by_count.entry(k).or_default().push(p);
    }
    for (k, pts) in by_count {
        let RGBAColor(r, g, b, a) = style.color;
        let a = 1.0 - (1.0 - a.clamp(0.0, 1.0)).powi(k.min(10_000) as i32);
        let st = ShapeStyle {
            color: RGBAColor(r, g, b, a),
            ..style
        };
        markers_at(chart, shape, &pts, size, st)?;
    }
    Ok(())
}

/// Draw one marker at each point (see [`markers`]).
fn markers_at<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    shape: Shape,
    pts: &[(f64, f64)],
    size: i32,
    style: ShapeStyle,
) -> Res<()> {
    let s = size.max(1);
    let pts = pts
        .iter()
        .copied()
        .filter(|p| p.0.is_finite() && p.1.is_finite());
    match shape {
        Shape::Circle => chart
            .draw_series(pts.map(|p| Circle::new(p, s, style)))
            .map(|_| ()),
        Shape::Triangle => {
            if style.filled {
                chart
                    .draw_series(pts.map(|p| TriangleMarker::new(p, s + 1, style)))
                    .map(|_| ())
            } else {
                let t = (s + 1) as f64;
                let v: Vec<(i32, i32)> = [-90.0f64, 30.0, 150.0, -90.0]
                    .iter()
                    .map(|d: &f64| d.to_radians())
                    .map(|r| ((r.cos() * t).round() as i32, (r.sin() * t).round() as i32))
                    .collect();
                chart
                    .draw_series(
                        pts.map(|p| EmptyElement::at(p) + PathElement::new(v.clone(), style)),
                    )
                    .map(|_| ())
            }
        }
        Shape::Square => chart
            .draw_series(
                pts.map(|p| EmptyElement::at(p) + Rectangle::new([(-s, -s), (s, s)], style)),
            )
            .map(|_| ()),
        Shape::Diamond => {
            let d = s + 1;
            let v = vec![(0, -d), (d, 0), (0, d), (-d, 0), (0, -d)];
            if style.filled {
                chart
                    .draw_series(pts.map(|p| EmptyElement::at(p) + Polygon::new(v.clone(), style)))
                    .map(|_| ())
            } else {
                chart
                    .draw_series(
                        pts.map(|p| EmptyElement::at(p) + PathElement::new(v.clone(), style)),
                    )
                    .map(|_| ())
            }
        }
        Shape::Cross => {
            let st = ShapeStyle {
                filled: false,
                stroke_width: style.stroke_width.max(2),
                ..style
            };
            chart
                .draw_series(pts.map(|p| Cross::new(p, s, st)))
                .map(|_| ())
        }
    }
    .map_err(err)
}

/// Filled markers with a thin outline (selected items: black, thicker).
#[allow(clippy::too_many_arguments)]
pub fn outlined_markers<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    c: &Ctx,
    shape: Shape,
    pts: &[(f64, f64)],
    radius_css: f64,
    fill: RGBAColor,
    outline: RGBAColor,
    outline_css: f64,
) -> Res<()> {
    let r = c.px(radius_css);
    markers(chart, shape, pts, r, fill.filled())?;
    if shape != Shape::Cross {
        markers(
            chart,
            shape,
            pts,
            r,
            outline.stroke_width(c.stroke(outline_css)),
        )?;
    }
    Ok(())
}

/// Polyline in data coordinates (clipped to the chart's ranges), solid or dashed.
pub fn line<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    c: &Ctx,
    pts: &[(f64, f64)],
    style: ShapeStyle,
    dashed: bool,
) -> Res<()> {
    let xr = chart.x_range();
    let yr = chart.y_range();
    for run in clip_polyline(pts, (xr.start, xr.end), (yr.start, yr.end)) {
        if dashed {
            let el = DashedPathElement::new(run, c.px(6.0).max(2), c.px(4.0).max(2), style);
            chart.draw_series(std::iter::once(el)).map_err(err)?;
        } else {
            chart
                .draw_series(std::iter::once(PathElement::new(run, style)))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// What a legend entry shows next to its label.
pub enum Mark {
    Line {
        color: RGBAColor,
        width: f64,
        dashed: bool,
    },
    Swatch(RGBAColor),
    Marker {
        shape: Shape,
        color: RGBAColor,
        outline: RGBAColor,
    },
}

pub struct LegendItem {
    pub label: String,
    pub mark: Mark,
}

impl LegendItem {
    pub fn new(label: impl AsRef<str>, mark: Mark) -> Self {
        LegendItem {
            label: truncate(label.as_ref(), 48),
            mark,
        }
    }
}

/// Boxed legend inside the plotting area, in the corner covering the fewest of `avoid`
/// (backend pixels, e.g. hit positions).
pub fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Ctx,
    chart: &Chart<DB>,
    items: &[LegendItem],
    avoid: &[Hit],
) -> Res<()> {
    if items.is_empty() {
        return Ok(());
    }
    let font = c.font(11.0);
    let line_h = c.px(16.0).max(1);
    let sw = c.px(22.0);
    let pad = c.px(6.0);
    let mut text_w = 0i32;
    for it in items {
        let (w, _) = root.estimate_text_size(&it.label, &font).map_err(err)?;
        text_w = text_w.max(w as i32);
    }
    let (px0, py0, px1, py1) = plot_rect(root, chart);
    let w = (pad * 3 + sw + text_w).min((px1 - px0 - 2 * pad).max(sw + 2 * pad));
    let h = pad * 2 + line_h * items.len() as i32;
    let m = c.px(8.0);
    let corners = [
        (px1 - m - w, py0 + m),
        (px0 + m, py0 + m),
        (px1 - m - w, py1 - m - h),
        (px0 + m, py1 - m - h),
    ];
    let pts: Vec<(i32, i32)> = avoid.iter().map(|h| to_root(root, h.x, h.y)).collect();
    let (lx, ly) = corners
        .iter()
        .copied()
        .min_by_key(|&(x, y)| {
            pts.iter()
                .filter(|p| p.0 >= x && p.0 <= x + w && p.1 >= y && p.1 <= y + h)
                .count()
        })
        .unwrap_or(corners[0]);
    root.draw(&Rectangle::new(
        [(lx, ly), (lx + w, ly + h)],
        WHITE.mix(0.88).filled(),
    ))
    .map_err(err)?;
    root.draw(&Rectangle::new(
        [(lx, ly), (lx + w, ly + h)],
        palette::GREY.mix(0.6).stroke_width(c.stroke(1.0)),
    ))
    .map_err(err)?;
    let text_style = font.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, it) in items.iter().enumerate() {
        let cy = ly + pad + line_h * i as i32 + line_h / 2;
        let x0 = lx + pad;
        match &it.mark {
            Mark::Line {
                color,
                width,
                dashed,
            } => {
                let st = color.stroke_width(c.stroke(*width));
                let pts = vec![(x0, cy), (x0 + sw, cy)];
                if *dashed {
                    root.draw(&DashedPathElement::new(
                        pts,
                        c.px(5.0).max(2),
                        c.px(3.0).max(2),
                        st,
                    ))
                    .map_err(err)?;
                } else {
                    root.draw(&PathElement::new(pts, st)).map_err(err)?;
                }
            }
            Mark::Swatch(color) => {
                let r = c.px(5.0);
                root.draw(&Rectangle::new(
                    [(x0 + sw / 2 - r, cy - r), (x0 + sw / 2 + r, cy + r)],
                    color.filled(),
                ))
                .map_err(err)?;
            }
            Mark::Marker {
                shape,
                color,
                outline,
            } => {
                let r = c.px(4.0);
                let at = (x0 + sw / 2, cy);
                legend_marker(root, *shape, at, r, color.filled())?;
                if *shape != Shape::Cross {
                    legend_marker(root, *shape, at, r, outline.stroke_width(c.stroke(1.0)))?;
                }
            }
        }
        root.draw(&Text::new(
            it.label.clone(),
            (x0 + sw + pad, cy),
            text_style.clone(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

fn legend_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    shape: Shape,
    at: (i32, i32),
    s: i32,
    style: ShapeStyle,
) -> Res<()> {
    let (x, y) = at;
    let s = s.max(1);
    match shape {
        Shape::Circle => root.draw(&Circle::new(at, s, style)),
        Shape::Triangle => {
            let t = (s + 1) as f64;
            let v: Vec<(i32, i32)> = [-90.0f64, 30.0, 150.0, -90.0]
                .iter()
                .map(|d| d.to_radians())
                .map(|r| {
                    (
                        x + (r.cos() * t).round() as i32,
                        y + (r.sin() * t).round() as i32,
                    )
                })
                .collect();
            if style.filled {
                root.draw(&Polygon::new(v, style))
            } else {
                root.draw(&PathElement::new(v, style))
            }
        }
        Shape::Square => root.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], style)),
        Shape::Diamond => {
            let d = s + 1;
            let v = vec![(x, y - d), (x + d, y), (x, y + d), (x - d, y), (x, y - d)];
            if style.filled {
                root.draw(&Polygon::new(v, style))
            } else {
                root.draw(&PathElement::new(v, style))
            }
        }
        Shape::Cross => {
            let st = ShapeStyle {
                filled: false,
                stroke_width: style.stroke_width.max(2),
                ..style
            };
            root.draw(&Cross::new(at, s, st))
        }
    }
    .map_err(err)
}

/// Legend entries for the groups present (at most 8, then "+ n more").
pub fn group_items(c: &Ctx, present: &[String], marker: bool) -> Vec<LegendItem> {
    let mut items = Vec::new();
    for (i, g) in present.iter().enumerate() {
        if i == 8 {
            items.push(LegendItem::new(
                format!("+ {} more groups", present.len() - 8),
                Mark::Swatch(palette::GREY.mix(0.5)),
            ));
            break;
        }
        let col = c.groups.color(g).to_rgba();
        let mark = if marker {
            Mark::Marker {
                shape: c.groups.shape(g),
                color: col,
                outline: BLACK.mix(0.6),
            }
        } else {
            Mark::Line {
                color: col,
                width: 2.0,
                dashed: false,
            }
        };
        items.push(LegendItem::new(truncate(g, MAX_LABEL), mark));
    }
    items
}

/// Groups (in display order) that pass a filter.
pub fn present_groups(c: &Ctx, mut has: impl FnMut(&str) -> bool) -> Vec<String> {
    c.groups.names.iter().filter(|g| has(g)).cloned().collect()
}

#[cfg(test)]
mod marker_tests {
    use super::*;

    /// Render markers on a bare 0..10 × 0..10 chart; the SVG text.
    fn svg_of(shape: Shape, pts: &[(f64, f64)], style: ShapeStyle) -> String {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (200, 200)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .build_cartesian_2d(0.0..10.0, 0.0..10.0)
                .unwrap();
            markers(&mut chart, shape, pts, 3, style).unwrap();
            root.present().unwrap();
        }
        out
    }

    /// Markers on one pixel are drawn once with the stacked opacity; others stay as they are.
    #[test]
    fn markers_on_one_pixel_are_drawn_once_with_stacked_opacity() {
        let style = RGBColor(10, 20, 30).mix(0.5).filled();
        let mut pts = vec![(5.0, 5.0); 3];
        pts.push((5.0 + 1e-9, 5.0)); // same pixel
        pts.push((1.0, 1.0));
        pts.push((f64::NAN, 2.0)); // skipped
        let svg = svg_of(Shape::Circle, &pts, style);
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        // 4 copies of 0.5 → 1 − 0.5⁴ = 0.9375; the lone marker keeps 0.5
        assert!(svg.contains("opacity=\"0.9375\""), "{svg}");
        assert!(svg.contains("opacity=\"0.5\""), "{svg}");

        let svg = svg_of(Shape::Triangle, &[(2.0, 2.0); 1000], style);
        assert_eq!(svg.matches("<polygon").count(), 1, "{svg}");
        assert!(svg.contains("opacity=\"1\""), "{svg}");
    }
}
