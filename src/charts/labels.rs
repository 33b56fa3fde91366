//! Text clear of the data and of other text. A chart lists what its data covers ([`Cover`], in
//! data coordinates) before it is laid out; the layout maps that to pixels ([`Ink`]) once it
//! knows the plotting area, puts the legend where it covers none of it, and every label is then
//! put at the first of its candidate places ([`Spot`]) that lies inside its bounds and clear of
//! the ink, the legend and the labels placed before it — or left out, its number being in the
//! chart's description. Shared by every chart (and meant for the ones to come: a survival curve's
//! "n at risk", a swimmer chart's stage names).

use super::context::Ctx;
use super::coords::{clip, Chart};
use super::surface::{Font, Res};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A rectangle in backend pixels, x0 ≤ x1 and y0 ≤ y1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Rect {
    /// The rectangle between two corners.
    pub fn new(a: (i32, i32), b: (i32, i32)) -> Rect {
        Rect {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
        }
    }
    /// Share more than an edge.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    pub fn within(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }
    pub fn grow(&self, d: i32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
    /// The box of a text of size `(w, h)` drawn at `at` with anchor `pos`.
    pub fn of_text(at: (i32, i32), (w, h): (i32, i32), pos: Pos) -> Rect {
        let x0 = match pos.h_pos {
            HPos::Left => at.0,
            HPos::Center => at.0 - w / 2,
            HPos::Right => at.0 - w,
        };
        let y0 = match pos.v_pos {
            VPos::Top => at.1,
            VPos::Center => at.1 - h / 2,
            VPos::Bottom => at.1 - h,
        };
        Rect::new((x0, y0), (x0 + w, y0 + h))
    }
}

/// What the data covers, in data coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cover {
    /// A marker of this radius (CSS px) at a point.
    Point((f64, f64), f64),
    /// A line between two points.
    Line((f64, f64), (f64, f64)),
    /// A rectangle between two corners (a bar).
    Area((f64, f64), (f64, f64)),
}

/// What the data covers, in backend pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ink {
    Box(Rect),
    Line((f64, f64), (f64, f64)),
}

impl Ink {
    pub fn hits(&self, r: &Rect) -> bool {
        match self {
            Ink::Box(b) => b.overlaps(r),
            Ink::Line(p, q) => clip(
                *p,
                *q,
                (r.x0 as f64, r.x1 as f64),
                (r.y0 as f64, r.y1 as f64),
            )
            .is_some(),
        }
    }
}

/// Adds the covers of a polyline's segments.
#[inline(never)]
pub fn polyline(cover: &mut Vec<Cover>, pts: &[(f64, f64)]) {
    cover.extend(pts.windows(2).map(|w| Cover::Line(w[0], w[1])));
}

/// Adds the covers of markers of radius `r` (CSS px) at every `step`-th point.
#[inline(never)]
pub fn points(cover: &mut Vec<Cover>, pts: &[(f64, f64)], r: f64, step: usize) {
    cover.extend(pts.iter().step_by(step.max(1)).map(|&p| Cover::Point(p, r)));
}

/// A candidate place for a label: its text anchored (`pos`) at an offset (CSS px) from a point.
#[derive(Clone, Copy)]
pub struct Spot {
    pub dx: f64,
    pub dy: f64,
    pub pos: Pos,
}

#[inline(never)]
pub fn spot(dx: f64, dy: f64, h: HPos, v: VPos) -> Spot {
    Spot {
        dx,
        dy,
        pos: Pos::new(h, v),
    }
}

/// Eight places around a point at distance `d` (CSS px), clockwise from the right: right,
/// below-right, below, below-left, left, above-left, above, above-right.
pub fn around(d: f64) -> [Spot; 8] {
    let e = d * 0.7;
    [
        spot(d, 0.0, HPos::Left, VPos::Center),
        spot(e, e, HPos::Left, VPos::Top),
        spot(0.0, d, HPos::Center, VPos::Top),
        spot(-e, e, HPos::Right, VPos::Top),
        spot(-d, 0.0, HPos::Right, VPos::Center),
        spot(-e, -e, HPos::Right, VPos::Bottom),
        spot(0.0, -d, HPos::Center, VPos::Bottom),
        spot(e, -e, HPos::Left, VPos::Bottom),
    ]
}

/// Whether a box is free: inside `bounds`, clear of the ink and of what is taken.
pub fn is_free(r: &Rect, bounds: &Rect, ink: &[Ink], taken: &[Rect]) -> bool {
    r.within(bounds) && !taken.iter().any(|t| t.overlaps(r)) && !ink.iter().any(|i| i.hits(r))
}

/// The first of `spots` around pixel `at` where a box of `size` is free (with a margin of
/// `gap` pixels around it): the spot, the text's anchor pixel and its box.
#[allow(clippy::too_many_arguments)]
pub fn first_free(
    at: (i32, i32),
    size: (i32, i32),
    spots: &[Spot],
    px: impl Fn(f64) -> i32,
    gap: i32,
    bounds: &Rect,
    ink: &[Ink],
    taken: &[Rect],
) -> Option<(Spot, (i32, i32), Rect)> {
    spots.iter().find_map(|s| {
        let p = (at.0 + px(s.dx), at.1 + px(s.dy));
        let r = Rect::of_text(p, size, s.pos);
        is_free(&r.grow(gap), bounds, ink, taken).then_some((*s, p, r))
    })
}

/// Puts `text` at the first free spot around pixel `at` inside the plotting area and draws it;
/// false when no spot is free (the label is left out).
pub fn place_px<DB: DrawingBackend>(
    chart: &Chart<DB>,
    c: &Ctx,
    text: &str,
    style: &Font,
    at: (i32, i32),
    spots: &[Spot],
) -> Res<bool> {
    let bounds = chart.plot_rect();
    place_within(chart, c, text, style, at, spots, &bounds)
}

/// [`place_px`] within other bounds (e.g. below the plotting area).
#[inline(never)]
pub fn place_within<DB: DrawingBackend>(
    chart: &Chart<DB>,
    c: &Ctx,
    text: &str,
    style: &Font,
    at: (i32, i32),
    spots: &[Spot],
    bounds: &Rect,
) -> Res<bool> {
    if text.is_empty() {
        return Ok(true);
    }
    let size = chart.root.text_size(text, style)?;
    let found = {
        let taken = chart.taken.borrow();
        first_free(
            at,
            size,
            spots,
            |v| c.px(v),
            c.px(1.5),
            bounds,
            &chart.ink,
            &taken,
        )
    };
    let Some((s, p, r)) = found else {
        return Ok(false);
    };
    chart.taken.borrow_mut().push(r);
    #[cfg(test)]
    trace::with(|t| t.labels.push((text.to_string(), r)));
    chart.root.text(text, p, &style.anchored(s.pos))?;
    Ok(true)
}

/// [`place_px`] around a data point (left out when the point is not finite).
#[inline(never)]
pub fn place<DB: DrawingBackend>(
    chart: &Chart<DB>,
    c: &Ctx,
    text: &str,
    style: &Font,
    at: (f64, f64),
    spots: &[Spot],
) -> Res<bool> {
    if !(at.0.is_finite() && at.1.is_finite()) {
        return Ok(false);
    }
    place_px(chart, c, text, style, chart.backend_coord(&at), spots)
}

/// What a drawing laid out, for the layout tests: every text's box, the labels placed, the
/// plotting area, the data's ink and the legend's place.
#[cfg(test)]
pub(super) mod trace {
    use super::{Ink, Rect};
    use crate::charts::legend::Place;
    use std::cell::RefCell;

    #[derive(Default, Clone)]
    pub struct Trace {
        pub texts: Vec<(String, Rect)>,
        pub labels: Vec<(String, Rect)>,
        pub plot: Option<Rect>,
        pub ink: Vec<Ink>,
        pub legend: Option<Place>,
    }

    thread_local! {
        pub static TRACE: RefCell<Trace> = RefCell::default();
    }

    pub fn with(f: impl FnOnce(&mut Trace)) {
        TRACE.with(|t| f(&mut t.borrow_mut()));
    }

    /// The trace of what `draw` does, cleared first.
    pub fn of<T>(draw: impl FnOnce() -> T) -> (T, Trace) {
        with(|t| *t = Trace::default());
        let out = draw();
        (out, TRACE.with(|t| t.borrow().clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x0: i32, y0: i32, x1: i32, y1: i32) -> Rect {
        Rect::new((x0, y0), (x1, y1))
    }

    #[test]
    fn rectangles_overlap_only_when_they_share_area() {
        assert!(r(0, 0, 10, 10).overlaps(&r(5, 5, 15, 15)));
        assert!(
            !r(0, 0, 10, 10).overlaps(&r(10, 0, 20, 10)),
            "touching edges"
        );
        assert!(!r(0, 0, 10, 10).overlaps(&r(0, 11, 10, 20)));
        assert!(r(2, 2, 4, 4).within(&r(0, 0, 10, 10)));
        assert!(!r(2, 2, 11, 4).within(&r(0, 0, 10, 10)));
        let t = Rect::of_text((50, 50), (20, 10), Pos::new(HPos::Right, VPos::Bottom));
        assert_eq!(t, r(30, 40, 50, 50));
        let t = Rect::of_text((50, 50), (20, 10), Pos::new(HPos::Center, VPos::Center));
        assert_eq!(t, r(40, 45, 60, 55));
    }

    #[test]
    fn a_line_hits_the_boxes_it_crosses() {
        let l = Ink::Line((0.0, 0.0), (100.0, 100.0));
        assert!(l.hits(&r(40, 40, 60, 60)));
        assert!(l.hits(&r(40, 30, 60, 45)), "crosses a corner");
        assert!(!l.hits(&r(60, 10, 90, 30)), "above the diagonal");
        assert!(!Ink::Line((0.0, 50.0), (100.0, 50.0)).hits(&r(0, 52, 100, 60)));
    }

    /// The placer takes the first free spot: not over ink, not over an earlier label, not
    /// outside its bounds; and none when every spot is blocked.
    #[test]
    fn the_first_free_spot_is_taken() {
        let bounds = r(0, 0, 200, 100);
        let spots = around(5.0);
        let size = (30, 10);
        // Nothing in the way: the first spot (right of the point).
        let (_, p, b) =
            first_free((100, 50), size, &spots, |v| v as i32, 1, &bounds, &[], &[]).unwrap();
        assert_eq!((p, b), ((105, 50), r(105, 45, 135, 55)));
        // Ink to the right: the next spot, below-right.
        let ink = [Ink::Box(r(104, 40, 140, 52))];
        let (_, _, b) =
            first_free((100, 50), size, &spots, |v| v as i32, 1, &bounds, &ink, &[]).unwrap();
        assert_eq!(b, r(103, 53, 133, 63));
        // At the right edge: the right-hand spots leave the bounds; the label goes left.
        let (_, _, b) =
            first_free((190, 50), size, &spots, |v| v as i32, 1, &bounds, &[], &[]).unwrap();
        assert!(b.x1 <= 190, "{b:?}");
        // Boxed in on every side: left out.
        let taken = [r(0, 0, 200, 100)];
        assert!(first_free(
            (100, 50),
            size,
            &spots,
            |v| v as i32,
            1,
            &bounds,
            &[],
            &taken
        )
        .is_none());
    }
}
