//! Coordinates: a chart's plotting area (data → backend pixels), axis ranges and ticks, clipping
//! to the plotting area, and hit targets.

use super::context::Ctx;
use super::labels::{Cover, Ink, Rect};
use super::legend::{LegendItem, Place};
use super::surface::{px_of, Res, Surface};
use super::Hit;
use plotters::prelude::*;
use std::cell::RefCell;

/// A chart's plotting area: data coordinates mapped onto a pixel rectangle of its surface, what
/// the data covers there, the text placed so far, and the legend's place.
pub struct Chart<'a, DB: DrawingBackend> {
    pub root: &'a Surface<DB>,
    /// Plotting rectangle (x0, y0, x1, y1), backend pixels.
    pub(super) rect: (i32, i32, i32, i32),
    /// Data ranges shown along x and y.
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
    /// What the data covers, in pixels (labels keep clear of it).
    pub(super) ink: Vec<Ink>,
    /// Boxes of the labels placed so far and of a legend inside the plotting area.
    pub(super) taken: RefCell<Vec<Rect>>,
    /// The legend's entries and place.
    pub(super) legend: Option<(&'a [LegendItem], Place)>,
}

impl<DB: DrawingBackend> Chart<'_, DB> {
    /// The plotting area as a [`Rect`].
    pub fn plot_rect(&self) -> Rect {
        let (x0, y0, x1, y1) = self.rect;
        Rect::new((x0, y0), (x1, y1))
    }
    /// What covers cover, in pixels (a line's ends not finite: it covers nothing, as
    /// [`Ink::hits`] tells).
    #[inline(never)]
    pub fn ink_of(&self, c: &Ctx, covers: &[Cover]) -> Vec<Ink> {
        let (x0, y0, x1, y1) = self.rect;
        let (sx, sy) = (
            (x1 - x0) as f64 / (self.x.1 - self.x.0),
            (y1 - y0) as f64 / (self.y.1 - self.y.0),
        );
        let to = |p: (f64, f64)| {
            (
                x0 as f64 + (p.0 - self.x.0) * sx,
                y1 as f64 - (p.1 - self.y.0) * sy,
            )
        };
        let px = |p: (f64, f64)| px_of(to(p));
        covers
            .iter()
            .map(|cv| match *cv {
                Cover::Point(p, r) => {
                    let (q, r) = (px(p), c.px(r).max(1));
                    Ink::Box(Rect::new((q.0 - r, q.1 - r), (q.0 + r, q.1 + r)))
                }
                Cover::Line(p, q) => Ink::Line(to(p), to(q)),
                Cover::Area(a, b) => Ink::Box(Rect::new(px(a), px(b))),
            })
            .collect()
    }
    /// Draws the legend (last: a legend inside the plotting area lies over the grid).
    pub fn finish(&self, c: &Ctx) -> Res<()> {
        match &self.legend {
            Some((items, place)) => super::legend::draw(c, self, items, place),
            None => Ok(()),
        }
    }
    /// Data point → backend pixel (y up).
    #[inline(never)]
    pub fn backend_coord(&self, p: &(f64, f64)) -> (i32, i32) {
        let (x0, y0, x1, y1) = self.rect;
        let fx = (p.0 - self.x.0) / (self.x.1 - self.x.0);
        let fy = (p.1 - self.y.0) / (self.y.1 - self.y.0);
        px_of((
            x0 as f64 + fx * (x1 - x0) as f64,
            y1 as f64 - fy * (y1 - y0) as f64,
        ))
    }
    pub(super) fn to_px(&self, pts: &[(f64, f64)]) -> Vec<(i32, i32)> {
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
pub(super) fn around(at: (i32, i32), offsets: &[(i32, i32)]) -> Vec<(i32, i32)> {
    offsets.iter().map(|o| (at.0 + o.0, at.1 + o.1)).collect()
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

/// A hit target at a data point, in backend pixels.
#[inline(never)]
pub fn hit<DB: DrawingBackend>(chart: &Chart<DB>, id: &str, p: (f64, f64)) -> Hit {
    let (x, y) = chart.backend_coord(&p);
    Hit {
        id: id.to_string(),
        x: x as f64,
        y: y as f64,
    }
}

pub fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ink: Vec::new(),
            taken: Default::default(),
            legend: None,
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
}
