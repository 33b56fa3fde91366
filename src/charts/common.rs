//! Shared chart machinery: options sanitising, scaling by dpr, axis frames, legends, markers,
//! clipping and number formatting. Every chart module builds on these.

use super::palette::{self, Shape};
use super::{ChartOptions, Hit};
use crate::analysis::{Analysis, PatientResult, Series};
use crate::data::Measure;
use crate::settings::TimeOrigin;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

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

/// The backend a chart draws on, called directly: no plotters elements or chart context between
/// the charts and `DrawingBackend` (each element type and coordinate system is its own copy of
/// plotters' drawing code in the page's wasm; the charts need six primitives in pixels).
pub struct Surface<DB: DrawingBackend> {
    db: RefCell<DB>,
}

/// Backend pixel of a point already in pixels (rounded; a non-finite value goes to 0).
fn px_of(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

impl<DB: DrawingBackend> Surface<DB> {
    pub fn new(db: DB) -> Self {
        Surface {
            db: RefCell::new(db),
        }
    }
    /// Prepares the backend (SVG: its header) and fills it white.
    pub fn begin(&self) -> Res<()> {
        let mut db = self.db.borrow_mut();
        db.ensure_prepared().map_err(err)?;
        let (w, h) = db.get_size();
        db.draw_rect((0, 0), (w as i32, h as i32), &WHITE, true)
            .map_err(err)
    }
    pub fn present(&self) -> Res<()> {
        self.db.borrow_mut().present().map_err(err)
    }
    pub fn dim_in_pixel(&self) -> (u32, u32) {
        self.db.borrow().get_size()
    }
    /// Polyline (stroked).
    pub fn path(&self, pts: &[(i32, i32)], style: &ShapeStyle) -> Res<()> {
        if pts.len() < 2 {
            return Ok(());
        }
        let mut db = self.db.borrow_mut();
        db.draw_path(pts.iter().copied(), style).map_err(err)
    }
    /// Dashed polyline: `size` pixels drawn, `gap` skipped, the pattern running on over corners.
    pub fn dashed(&self, pts: &[(i32, i32)], size: i32, gap: i32, style: &ShapeStyle) -> Res<()> {
        let (size, gap) = (size.max(1) as f64, gap.max(1) as f64);
        let mut on = true;
        let mut left = size;
        let mut dash: Vec<(i32, i32)> = Vec::new();
        for w in pts.windows(2) {
            let (a, b) = (
                (w[0].0 as f64, w[0].1 as f64),
                (w[1].0 as f64, w[1].1 as f64),
            );
            let len = (b.0 - a.0).hypot(b.1 - a.1);
            let mut at = 0.0;
            if on && dash.is_empty() {
                dash.push(w[0]);
            }
            while len - at > left {
                at += left;
                let q = px_of((a.0 + (b.0 - a.0) * at / len, a.1 + (b.1 - a.1) * at / len));
                if on {
                    dash.push(q);
                    self.path(&dash, style)?;
                    dash.clear();
                } else {
                    dash.push(q);
                }
                on = !on;
                left = if on { size } else { gap };
            }
            left -= len - at;
            if on {
                dash.push(w[1]);
            }
        }
        if on {
            self.path(&dash, style)?;
        }
        Ok(())
    }
    /// Rectangle between two corners, filled or stroked as the style says.
    pub fn rect(&self, a: (i32, i32), b: (i32, i32), style: &ShapeStyle) -> Res<()> {
        let ul = (a.0.min(b.0), a.1.min(b.1));
        let br = (a.0.max(b.0), a.1.max(b.1));
        let mut db = self.db.borrow_mut();
        db.draw_rect(ul, br, style, style.filled).map_err(err)
    }
    pub fn circle(&self, at: (i32, i32), r: i32, style: &ShapeStyle) -> Res<()> {
        let mut db = self.db.borrow_mut();
        db.draw_circle(at, r.max(0) as u32, style, style.filled)
            .map_err(err)
    }
    /// Filled polygon.
    pub fn polygon(&self, pts: &[(i32, i32)], style: &ShapeStyle) -> Res<()> {
        let mut db = self.db.borrow_mut();
        db.fill_polygon(pts.iter().copied(), style).map_err(err)
    }
    /// Text anchored at `at` as the style's position says.
    pub fn text(&self, s: &str, at: (i32, i32), style: &TextStyle) -> Res<()> {
        if s.is_empty() {
            return Ok(());
        }
        let mut db = self.db.borrow_mut();
        db.draw_text(s, style, at).map_err(err)
    }
    pub fn text_size(&self, s: &str, style: &TextStyle) -> Res<(i32, i32)> {
        let db = self.db.borrow();
        let (w, h) = db.estimate_text_size(s, style).map_err(err)?;
        Ok((w as i32, h as i32))
    }
}

/// A chart's plotting area: data coordinates mapped onto a pixel rectangle of its surface.
pub struct Chart<'a, DB: DrawingBackend> {
    pub root: &'a Surface<DB>,
    /// Plotting rectangle (x0, y0, x1, y1), backend pixels.
    rect: (i32, i32, i32, i32),
    x: (f64, f64),
    y: (f64, f64),
}

impl<DB: DrawingBackend> Chart<'_, DB> {
    /// Data point → backend pixel (y up).
    pub fn backend_coord(&self, p: &(f64, f64)) -> (i32, i32) {
        let (x0, y0, x1, y1) = self.rect;
        let fx = (p.0 - self.x.0) / (self.x.1 - self.x.0);
        let fy = (p.1 - self.y.0) / (self.y.1 - self.y.0);
        px_of((
            x0 as f64 + fx * (x1 - x0) as f64,
            y1 as f64 - fy * (y1 - y0) as f64,
        ))
    }
    fn to_px(&self, pts: &[(f64, f64)]) -> Vec<(i32, i32)> {
        pts.iter().map(|p| self.backend_coord(p)).collect()
    }
    /// Polyline through data points (not clipped: see [`line`]).
    pub fn path(&self, pts: &[(f64, f64)], style: ShapeStyle) -> Res<()> {
        self.root.path(&self.to_px(pts), &style)
    }
    /// Rectangle between two data points.
    pub fn rect(&self, a: (f64, f64), b: (f64, f64), style: ShapeStyle) -> Res<()> {
        self.root
            .rect(self.backend_coord(&a), self.backend_coord(&b), &style)
    }
    /// Filled polygon of pixel offsets from a data point.
    pub fn polygon_at(&self, at: (f64, f64), offsets: &[(i32, i32)], style: ShapeStyle) -> Res<()> {
        self.root
            .polygon(&around(self.backend_coord(&at), offsets), &style)
    }
    /// Polyline of pixel offsets from a data point.
    pub fn path_at(&self, at: (f64, f64), offsets: &[(i32, i32)], style: ShapeStyle) -> Res<()> {
        self.root
            .path(&around(self.backend_coord(&at), offsets), &style)
    }
}

/// Pixel offsets placed around a pixel.
fn around(at: (i32, i32), offsets: &[(i32, i32)]) -> Vec<(i32, i32)> {
    offsets.iter().map(|o| (at.0 + o.0, at.1 + o.1)).collect()
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

/// Tick positions over `r`: multiples of 1, 2 or 5 × 10ᵏ, at most `max` of them; and the decimals
/// their labels need.
pub fn ticks(r: (f64, f64), max: usize) -> (Vec<f64>, usize) {
    let span = r.1 - r.0;
    if !(span.is_finite() && span > 0.0) {
        return (Vec::new(), 0);
    }
    let raw = span / max.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| ((span / s).floor() as usize) < max)
        .unwrap_or(10.0 * mag);
    let dec = if step >= 1.0 {
        0
    } else {
        ((-step.log10() - 1e-9).ceil() as usize).min(8)
    };
    let first = (r.0 / step).ceil() as i64;
    let last = (r.1 / step).floor() as i64;
    let vals = (first..=last.min(first + 100))
        .map(|k| k as f64 * step)
        .collect();
    (vals, dec)
}

/// White background, caption, axes with titles and a light horizontal grid.
pub fn build<'a, DB: DrawingBackend>(
    root: &'a Surface<DB>,
    c: &Ctx,
    f: &Frame,
) -> Res<Chart<'a, DB>> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
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
    // Caption on top (as plotters' `titled`), then a margin, label areas left and below.
    let title = truncate(&f.title, max_title);
    let caption = c.font(15.0).pos(Pos::new(HPos::Center, VPos::Top));
    let (_, th) = root.text_size(&title, &caption)?;
    let pad = (th / 2).min(5);
    root.text(&title, (w / 2, pad), &caption)?;
    let m = c.px(12.0);
    let rect = (
        m + c.px(58.0),
        2 * pad + th + m,
        (w - m).max(m + c.px(58.0) + 1),
        (h - m - c.px(46.0)).max(2 * pad + th + m + 1),
    );
    let chart = Chart { root, rect, x, y };
    let (x0, y0, x1, y1) = rect;
    let tick = c.px(4.0);
    let label = c.font(11.0);
    let grid = BLACK.mix(0.08).stroke_width(c.stroke(1.0));
    let axis = BLACK.stroke_width(c.stroke(1.0));

    let (ys, ydec) = ticks(y, 9);
    let y_label = label.pos(Pos::new(HPos::Right, VPos::Center));
    for &v in &ys {
        let (_, py) = chart.backend_coord(&(x.0, v));
        root.path(&[(x0, py), (x1, py)], &grid)?;
        root.path(&[(x0 - tick, py), (x0, py)], &axis)?;
        root.text(&fmt(Some(v), ydec), (x0 - tick - c.px(4.0), py), &y_label)?;
    }
    if f.x_ticks {
        let (xs, xdec) = ticks(x, 11);
        let x_label = label.pos(Pos::new(HPos::Center, VPos::Top));
        for &v in &xs {
            let (px, _) = chart.backend_coord(&(v, y.0));
            root.path(&[(px, y1), (px, y1 + tick)], &axis)?;
            root.text(&fmt(Some(v), xdec), (px, y1 + tick + c.px(3.0)), &x_label)?;
        }
    }
    root.path(&[(x0, y0), (x0, y1), (x1, y1)], &axis)?;

    let desc = c.font(12.5);
    root.text(
        &f.x_desc,
        ((x0 + x1) / 2, h - m),
        &desc.pos(Pos::new(HPos::Center, VPos::Bottom)),
    )?;
    root.text(
        &f.y_desc,
        (m, (y0 + y1) / 2),
        &desc
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    )?;
    Ok(chart)
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

/// Centered note in the plotting area ("No data …").
pub fn note<DB: DrawingBackend>(c: &Ctx, chart: &Chart<DB>, text: &str) -> Res<()> {
    let (x0, y0, x1, y1) = chart.rect;
    let style = c
        .font(13.0)
        .color(&palette::GREY)
        .pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .root
        .text(text, ((x0 + x1) / 2, (y0 + y1) / 2), &style)
}

/// Text anchored at a data point, offset by (dx, dy) CSS pixels.
pub fn label<DB: DrawingBackend>(
    chart: &Chart<DB>,
    c: &Ctx,
    text: &str,
    at: (f64, f64),
    offset: (f64, f64),
    style: TextStyle,
) -> Res<()> {
    if !(at.0.is_finite() && at.1.is_finite()) {
        return Ok(());
    }
    let (x, y) = chart.backend_coord(&at);
    chart
        .root
        .text(text, (x + c.px(offset.0), y + c.px(offset.1)), &style)
}

/// Text centred above a data point (offset `dy` CSS px) on a white box, so it stays legible
/// over lines and points.
pub fn boxed_label<DB: DrawingBackend>(
    chart: &Chart<DB>,
    c: &Ctx,
    text: &str,
    at: (f64, f64),
    dy: f64,
) -> Res<()> {
    if !(at.0.is_finite() && at.1.is_finite()) {
        return Ok(());
    }
    let (x, y) = chart.backend_coord(&at);
    let y = y + c.px(dy);
    let style = c.font(11.0).pos(Pos::new(HPos::Center, VPos::Bottom));
    let (w, h) = chart.root.text_size(text, &style)?;
    let pad = c.px(2.0);
    chart.root.rect(
        (x - w / 2 - pad, y - h - pad),
        (x + w / 2 + pad, y + pad),
        &WHITE.mix(0.85).filled(),
    )?;
    chart.root.text(text, (x, y), &style)
}

/// Markers of one shape at data points. `size` is the radius in device pixels.
///
/// Markers that land on the same pixel are drawn once, with the opacity that stacking them gives
/// (k copies of opacity a: 1 − (1 − a)^k; same colour, so the order does not matter): the same
/// picture, but for the anti-aliased edge pixels, for far fewer drawing calls. With 10,000 patients most event markers share a few
/// positions (all first events sit at t = 0 on integer scores): ~20,000 triangles become a few
/// hundred, and SVG exports shrink alike.
pub fn markers<DB: DrawingBackend>(
    chart: &Chart<DB>,
    shape: Shape,
    pts: &[(f64, f64)],
    size: i32,
    style: ShapeStyle,
) -> Res<()> {
    let mut at: FxHashMap<(i32, i32), usize> = FxHashMap::default();
    let mut uniq: Vec<((i32, i32), u32)> = Vec::new();
    for &p in pts {
        if !(p.0.is_finite() && p.1.is_finite()) {
            continue;
        }
        let q = chart.backend_coord(&p);
        match at.entry(q) {
            Entry::Occupied(e) => uniq[*e.get()].1 += 1,
            Entry::Vacant(e) => {
                e.insert(uniq.len());
                uniq.push((q, 1));
            }
        }
    }
    let mut by_count: BTreeMap<u32, Vec<(i32, i32)>> = BTreeMap::new();
    for (q, k) in uniq {
        by_count.entry(k).or_default().push(q);
    }
    for (k, pts) in by_count {
        let RGBAColor(r, g, b, a) = style.color;
        let a = 1.0 - (1.0 - a.clamp(0.0, 1.0)).powi(k.min(10_000) as i32);
        let st = ShapeStyle {
            color: RGBAColor(r, g, b, a),
            ..style
        };
        for q in pts {
            marker(chart.root, shape, q, size, &st)?;
        }
    }
    Ok(())
}

/// Triangle vertices pointing up, circumradius `t`.
fn triangle(t: i32) -> [(i32, i32); 4] {
    // cos/sin of −90°, 30°, 150°
    let (c, s) = (0.866_025_403_784_438_6 * t as f64, 0.5 * t as f64);
    let (c, s) = (c.round() as i32, s.round() as i32);
    [(0, -t), (c, s), (-c, s), (0, -t)]
}

/// One marker centred at a pixel (radius `s`).
fn marker<DB: DrawingBackend>(
    root: &Surface<DB>,
    shape: Shape,
    at: (i32, i32),
    s: i32,
    style: &ShapeStyle,
) -> Res<()> {
    let (x, y) = at;
    let s = s.max(1);
    let outline = |v: Vec<(i32, i32)>| {
        if style.filled {
            root.polygon(&v, style)
        } else {
            root.path(&v, style)
        }
    };
    match shape {
        Shape::Circle => root.circle(at, s, style),
        Shape::Triangle => outline(around(at, &triangle(s + 1))),
        Shape::Square => root.rect((x - s, y - s), (x + s, y + s), style),
        Shape::Diamond => {
            let d = s + 1;
            outline(around(at, &[(0, -d), (d, 0), (0, d), (-d, 0), (0, -d)]))
        }
        Shape::Cross => {
            let st = ShapeStyle {
                filled: false,
                stroke_width: style.stroke_width.max(2),
                ..*style
            };
            root.path(&[(x - s, y - s), (x + s, y + s)], &st)?;
            root.path(&[(x - s, y + s), (x + s, y - s)], &st)
        }
    }
}

/// Filled markers with a thin outline (selected items: black, thicker).
#[allow(clippy::too_many_arguments)]
pub fn outlined_markers<DB: DrawingBackend>(
    chart: &Chart<DB>,
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
    chart: &Chart<DB>,
    c: &Ctx,
    pts: &[(f64, f64)],
    style: ShapeStyle,
    dashed: bool,
) -> Res<()> {
    for run in clip_polyline(pts, chart.x, chart.y) {
        let px = chart.to_px(&run);
        if dashed {
            chart
                .root
                .dashed(&px, c.px(6.0).max(2), c.px(4.0).max(2), &style)?;
        } else {
            chart.root.path(&px, &style)?;
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
    c: &Ctx,
    chart: &Chart<DB>,
    items: &[LegendItem],
    avoid: &[Hit],
) -> Res<()> {
    if items.is_empty() {
        return Ok(());
    }
    let root = chart.root;
    let font = c.font(11.0);
    let line_h = c.px(16.0).max(1);
    let sw = c.px(22.0);
    let pad = c.px(6.0);
    let mut text_w = 0i32;
    for it in items {
        text_w = text_w.max(root.text_size(&it.label, &font)?.0);
    }
    let (px0, py0, px1, py1) = chart.rect;
    let w = (pad * 3 + sw + text_w).min((px1 - px0 - 2 * pad).max(sw + 2 * pad));
    let h = pad * 2 + line_h * items.len() as i32;
    let m = c.px(8.0);
    let corners = [
        (px1 - m - w, py0 + m),
        (px0 + m, py0 + m),
        (px1 - m - w, py1 - m - h),
        (px0 + m, py1 - m - h),
    ];
    let (lx, ly) = corners
        .iter()
        .copied()
        .min_by_key(|&(x, y)| {
            avoid
                .iter()
                .filter(|p| {
                    let (px, py) = (p.x as i32, p.y as i32);
                    px >= x && px <= x + w && py >= y && py <= y + h
                })
                .count()
        })
        .unwrap_or(corners[0]);
    root.rect((lx, ly), (lx + w, ly + h), &WHITE.mix(0.88).filled())?;
    root.rect(
        (lx, ly),
        (lx + w, ly + h),
        &palette::GREY.mix(0.6).stroke_width(c.stroke(1.0)),
    )?;
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
                let pts = [(x0, cy), (x0 + sw, cy)];
                if *dashed {
                    root.dashed(&pts, c.px(5.0).max(2), c.px(3.0).max(2), &st)?;
                } else {
                    root.path(&pts, &st)?;
                }
            }
            Mark::Swatch(color) => {
                let r = c.px(5.0);
                root.rect(
                    (x0 + sw / 2 - r, cy - r),
                    (x0 + sw / 2 + r, cy + r),
                    &color.filled(),
                )?;
            }
            Mark::Marker {
                shape,
                color,
                outline,
            } => {
                let r = c.px(4.0);
                let at = (x0 + sw / 2, cy);
                marker(root, *shape, at, r, &color.filled())?;
                if *shape != Shape::Cross {
                    marker(root, *shape, at, r, &outline.stroke_width(c.stroke(1.0)))?;
                }
            }
        }
        root.text(&it.label, (x0 + sw + pad, cy), &text_style)?;
    }
    Ok(())
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

    /// Draw on a bare 200 × 200 SVG surface whose plotting area maps 0..10 × 0..10 onto it; the
    /// SVG text.
    fn svg_with(draw: impl FnOnce(&Chart<SVGBackend>)) -> String {
        let mut out = String::new();
        {
            let root = Surface::new(SVGBackend::with_string(&mut out, (200, 200)));
            root.begin().unwrap();
            let chart = Chart {
                root: &root,
                rect: (0, 0, 200, 200),
                x: (0.0, 10.0),
                y: (0.0, 10.0),
            };
            draw(&chart);
            root.present().unwrap();
        }
        out
    }

    fn svg_of(shape: Shape, pts: &[(f64, f64)], style: ShapeStyle) -> String {
        svg_with(|chart| markers(chart, shape, pts, 3, style).unwrap())
    }

    /// Data → pixel: x to the right, y up, the range's ends on the rectangle's edges.
    #[test]
    fn data_points_map_onto_the_plotting_rectangle() {
        let mut out = String::new();
        let root = Surface::new(SVGBackend::with_string(&mut out, (200, 200)));
        let chart = Chart {
            root: &root,
            rect: (20, 10, 120, 60),
            x: (-1.0, 1.0),
            y: (0.0, 50.0),
        };
        assert_eq!(chart.backend_coord(&(-1.0, 0.0)), (20, 60));
        assert_eq!(chart.backend_coord(&(1.0, 50.0)), (120, 10));
        assert_eq!(chart.backend_coord(&(0.0, 25.0)), (70, 35));
    }

    /// Ticks: 1, 2 or 5 × 10ᵏ apart, inside the range, no more than asked for, with the decimals
    /// their spacing needs.
    #[test]
    fn ticks_are_round_numbers_inside_the_range() {
        assert_eq!(
            ticks((0.0, 48.0), 7),
            (vec![0.0, 10.0, 20.0, 30.0, 40.0], 0)
        );
        assert_eq!(
            ticks((-2.3, 14.1), 9),
            (vec![-2.0, 0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0], 0)
        );
        let (v, dec) = ticks((-0.31, 0.42), 7);
        assert_eq!(dec, 1);
        assert_eq!(v.len(), 4, "step 0.2 (0.1 would give 8 ticks): {v:?}");
        assert!(
            (v[0] + 0.2).abs() < 1e-12 && (v[3] - 0.4).abs() < 1e-12,
            "{v:?}"
        );
        let (v, dec) = ticks((0.0, 0.0123), 7);
        assert_eq!(dec, 3);
        assert!(v.len() <= 7 && v.len() >= 3, "{v:?}");
        for (r, max) in [((3.7, 1234.5), 9), ((-1e6, 1e6), 7), ((0.001, 0.0011), 7)] {
            let (v, _) = ticks(r, max);
            assert!(!v.is_empty() && v.len() <= max, "{r:?}: {v:?}");
            assert!(v.iter().all(|t| *t >= r.0 && *t <= r.1), "{r:?}: {v:?}");
        }
        assert_eq!(ticks((1.0, 1.0), 7).0, Vec::<f64>::new());
        assert_eq!(ticks((0.0, f64::NAN), 7).0, Vec::<f64>::new());
    }

    /// A dashed line of 100 px with 6 px dashes and 4 px gaps: 10 dashes, the pattern carried
    /// over the corner (the sixth dash runs 50 → 53 along x, then 3 px down).
    #[test]
    fn dashes_follow_the_pattern_over_corners() {
        let svg = svg_with(|chart| {
            chart
                .root
                .dashed(&[(0, 0), (53, 0), (53, 47)], 6, 4, &BLACK.stroke_width(1))
                .unwrap()
        });
        assert_eq!(svg.matches("<polyline").count(), 10, "{svg}");
        assert!(svg.contains("points=\"50,0 53,0 53,3 \""), "{svg}");
        assert!(svg.contains("points=\"53,37 53,43 \""), "{svg}");
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
