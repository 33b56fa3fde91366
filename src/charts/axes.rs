//! The frame of a chart, laid out for the size it is drawn at: the title (wrapped onto a second
//! line rather than cut), the plotting area, axes with as many ticks as their labels leave room
//! for, the axis titles (the y title turned along the axis when it fits the plot's height, else
//! written level above it), a light grid, and the legend's place: inside the plotting area in a
//! corner where it covers none of the data, else below the plot, in rows as wide as the chart.
//! Every breakpoint comes from measured text, not from a width in pixels.

use super::context::{Ctx, AXIS, TEXT, TITLE};
use super::coords::{ticks, Chart};
use super::labels::{Cover, Rect};
use super::legend::{self, LegendItem, Place};
use super::surface::{Font, Res, Surface};
use crate::format::chart_number as fmt;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::cell::RefCell;

/// What is written under the x axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XAxis {
    /// Numbers at ticks.
    Numbers,
    /// Nothing (the chart's x positions are not numbers: the waterfall's patients).
    Blank,
    /// Category labels that the chart writes itself, in this many lines (the slopegraph's).
    Categories(u8),
}

/// A chart's frame: what it shows and what its data covers.
pub struct Frame<'a> {
    pub title: String,
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_desc: String,
    pub y_desc: String,
    pub x_axis: XAxis,
    /// The legend's entries (drawn by [`Chart::finish`]).
    pub legend: &'a [LegendItem],
    /// What the data covers, for the legend's place and the labels'.
    pub cover: &'a [Cover],
}

/// `text` in at most three lines of at most `width` pixels, broken at spaces (a line that still
/// does not fit, the last or a single word, ends in "…").
pub fn wrap<DB: DrawingBackend>(
    root: &Surface<DB>,
    text: &str,
    style: &Font,
    width: i32,
) -> Res<Vec<String>> {
    let fits = |s: &str| -> Res<bool> { Ok(root.text_size(s, style)?.0 <= width) };
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if fits(rest)? || lines.len() == 2 {
            lines.push(rest.to_string());
            break;
        }
        // The longest start that ends at a space and fits.
        let mut cut = None;
        for (k, _) in rest.match_indices(' ') {
            if !fits(&rest[..k])? {
                break;
            }
            cut = Some(k);
        }
        let Some(k) = cut else {
            lines.push(rest.to_string());
            break;
        };
        lines.push(rest[..k].to_string());
        rest = rest[k + 1..].trim_start();
    }
    for l in lines.iter_mut() {
        if !fits(l)? {
            *l = ellipsis(root, l, style, width, "…")?;
        }
    }
    Ok(lines)
}

/// The longest start of `s` (one character at least) that fits `width` with `end` appended.
pub(super) fn ellipsis<DB: DrawingBackend>(
    root: &Surface<DB>,
    s: &str,
    style: &Font,
    width: i32,
    end: &str,
) -> Res<String> {
    let chars: Vec<char> = s.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    // Binary search on the number of characters kept.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let mut t: String = chars[..mid].iter().collect();
        t.push_str(end);
        if root.text_size(&t, style)?.0 <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let keep = lo.max(1).min(chars.len());
    let mut head: String = chars[..keep].iter().collect();
    head.push_str(end);
    Ok(head)
}

/// The widest of the tick labels, in pixels.
fn widest<DB: DrawingBackend>(
    root: &Surface<DB>,
    (vals, dec): &(Vec<f64>, usize),
    style: &Font,
) -> Res<i32> {
    let mut w = 0;
    for v in vals {
        w = w.max(root.text_size(&fmt(Some(*v), *dec), style)?.0);
    }
    Ok(w)
}

/// Lays the frame out for the surface's size and draws it: title, axes, ticks, grid, axis titles.
/// The returned chart maps data onto the plotting area, holds the data's ink and the legend's
/// place, and draws the legend in [`Chart::finish`].
pub fn build<'a, DB: DrawingBackend>(
    root: &'a Surface<DB>,
    c: &Ctx,
    f: &Frame<'a>,
) -> Res<Chart<'a, DB>> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let ok = |r: (f64, f64)| {
        if r.0.is_finite() && r.1.is_finite() && r.1 > r.0 {
            r
        } else {
            (0.0, 1.0)
        }
    };
    let (x, y) = (ok(f.x), ok(f.y));
    let m = c.px(8.0);
    let gap = c.px(4.0);
    let tick = c.px(4.0);

    // The title, in one or two lines.
    let caption = c.font(TITLE).pos(HPos::Center, VPos::Top);
    let title = super::marks::truncate(&f.title, 400);
    let lines = wrap(root, &title, &caption, w - 2 * m)?;
    let th = root.text_size("Ag", &caption)?.1;
    let line = th + th / 8;
    let mut top = m / 2 + line * lines.len() as i32 + gap;

    let axis_font = c.font(AXIS);
    let ah = root.text_size("Ag", &axis_font)?.1;
    let label = c.font(TEXT);
    let lh = root.text_size("0", &label)?.1;

    // Room below the plot: x tick labels or categories, the x title.
    let mut bottom = m;
    if !f.x_desc.is_empty() {
        bottom += ah + gap;
    }
    bottom += match f.x_axis {
        XAxis::Numbers => tick + gap + lh,
        XAxis::Blank => gap,
        XAxis::Categories(n) => c.px(6.0) + i32::from(n) * (lh + lh / 3),
    };
    let y_label_w = widest(root, &ticks(y, 9), &label)?;
    let x_label_w = if f.x_axis == XAxis::Numbers {
        widest(root, &ticks(x, 11), &label)?
    } else {
        0
    };
    let y_title_w = root.text_size(&f.y_desc, &axis_font)?.0;
    // Headroom over the plot, so that the top tick label is not cut.
    top += lh / 2;
    let rect_for = |turned: bool, below: i32| -> (i32, i32, i32, i32) {
        let x0 = m + if turned { ah + gap } else { 0 } + y_label_w + tick + gap;
        let y0 = top
            + if turned || f.y_desc.is_empty() {
                0
            } else {
                ah + gap
            };
        let x1 = (w - m - x_label_w / 2).max(x0 + 1);
        let y1 = (h - bottom - below).max(y0 + 1);
        (x0, y0, x1, y1)
    };
    // The y title turned along the axis when it fits the plot's height, else level above it.
    let turned_fits = |r: (i32, i32, i32, i32)| y_title_w <= r.3 - r.1;
    let pick = |below: i32| {
        let r = rect_for(true, below);
        if turned_fits(r) {
            (true, r)
        } else {
            (false, rect_for(false, below))
        }
    };

    let mut chart = Chart {
        root,
        rect: (0, 0, 1, 1),
        x,
        y,
        ink: Vec::new(),
        taken: RefCell::new(Vec::new()),
        legend: None,
    };
    let measured = legend::measure(root, c, f.legend, w)?;
    let (mut turned, mut rect) = pick(0);
    chart.rect = rect;
    chart.ink = chart.ink_of(c, f.cover);
    let mut place = None;
    if let Some(lm) = &measured {
        place = lm.inside(c, &chart);
        let below = lm.rows_height(w - 2 * m) + gap;
        let (t2, r2) = pick(below);
        // Below the plot, unless that leaves it too small for two tick labels (a canvas of a
        // few pixels: no legend then).
        if place.is_none() && r2.3 - r2.1 >= 3 * lh {
            (turned, rect) = (t2, r2);
            chart.rect = rect;
            chart.ink = chart.ink_of(c, f.cover);
            place = Some(Place::Below(Rect::new(
                (m, h - m - below + gap),
                (w - m, h - m),
            )));
        }
    }
    if let Some(Place::Inside(r)) = place {
        chart.taken.borrow_mut().push(r);
    }
    chart.legend = place.map(|p| (f.legend, p));
    #[cfg(test)]
    super::labels::trace::with(|t| {
        t.plot = Some(chart.plot_rect());
        t.ink = chart.ink.clone();
        t.legend = place;
    });
    let below_h = match place {
        Some(Place::Below(r)) => r.y1 - r.y0 + gap,
        _ => 0,
    };

    for (i, l) in lines.iter().enumerate() {
        root.text(l, (w / 2, m / 2 + line * i as i32), &caption)?;
    }
    let (x0, y0, x1, y1) = rect;
    let grid = BLACK.mix(0.08).stroke_width(c.stroke(1.0));
    let axis = BLACK.stroke_width(c.stroke(1.0));

    // Ticks: as many as their labels leave room for.
    let max_y = ((y1 - y0) / (2 * lh).max(1)).clamp(2, 9) as usize + 1;
    let (ys, ydec) = ticks(y, max_y);
    let y_label = label.pos(HPos::Right, VPos::Center);
    // (A label too close to the one before it, on a plot too small for two, is left out.)
    let mut last: Option<i32> = None;
    for &v in &ys {
        let (_, py) = chart.backend_coord(&(x.0, v));
        root.path(&[(x0, py), (x1, py)], &grid)?;
        root.path(&[(x0 - tick, py), (x0, py)], &axis)?;
        if last.is_none_or(|l| l - py > lh) {
            root.text(&fmt(Some(v), ydec), (x0 - tick - gap, py), &y_label)?;
            last = Some(py);
        }
    }
    if f.x_axis == XAxis::Numbers {
        let max_x = ((x1 - x0) / (x_label_w + 2 * gap).max(1)).clamp(2, 10) as usize + 1;
        let (xs, xdec) = ticks(x, max_x);
        let x_label = label.pos(HPos::Center, VPos::Top);
        let mut last: Option<i32> = None;
        for &v in &xs {
            let (px, _) = chart.backend_coord(&(v, y.0));
            root.path(&[(px, y1), (px, y1 + tick)], &axis)?;
            if last.is_none_or(|l| px - l > x_label_w + gap) {
                root.text(&fmt(Some(v), xdec), (px, y1 + tick + gap), &x_label)?;
                last = Some(px);
            }
        }
    }
    root.path(&[(x0, y0), (x0, y1), (x1, y1)], &axis)?;

    let x_desc = if root.text_size(&f.x_desc, &axis_font)?.0 <= w - 2 * m {
        f.x_desc.clone()
    } else {
        ellipsis(root, &f.x_desc, &axis_font, w - 2 * m, "…")?
    };
    // Centred under the plot, or under the chart when that is where it fits.
    let x_w = root.text_size(&x_desc, &axis_font)?.0;
    let cx = ((x0 + x1) / 2).clamp(m + x_w / 2, w - m - x_w / 2);
    root.text(
        &x_desc,
        (cx, h - m - below_h),
        &axis_font.pos(HPos::Center, VPos::Bottom),
    )?;
    if turned {
        root.text(
            &f.y_desc,
            (m, (y0 + y1) / 2),
            &axis_font.turned().pos(HPos::Center, VPos::Top),
        )?;
    } else {
        let width = w - 2 * m;
        let text = if y_title_w <= width {
            f.y_desc.clone()
        } else {
            ellipsis(root, &f.y_desc, &axis_font, width, "…")?
        };
        root.text(&text, (m, top), &axis_font.pos(HPos::Left, VPos::Top))?;
    }
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_onto_more_lines_and_end_in_an_ellipsis() {
        let mut out = String::new();
        let root = Surface::new(SVGBackend::with_string(&mut out, (200, 100)));
        let style = Font::new(14.0);
        let t = "Improvement vs interval length: ALSFRS-R — Spearman ρ = −0.43, p = 0.042, n = 8";
        let lines = wrap(&root, t, &style, 200).unwrap();
        assert_eq!(lines.len(), 3, "{lines:?}");
        for l in &lines {
            assert!(root.text_size(l, &style).unwrap().0 <= 200, "{l:?}");
        }
        assert_eq!(lines.join(" "), t, "whole, in three lines");
        assert!(lines[0].starts_with("Improvement vs"), "{lines:?}");
        let lines = wrap(&root, t, &style, 120).unwrap();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[2].ends_with('…'),
            "cut only past three lines: {lines:?}"
        );
        let short = wrap(&root, "Short", &style, 200).unwrap();
        assert_eq!(short, vec!["Short".to_string()]);
        let lines = wrap(&root, &"x".repeat(200), &style, 100).unwrap();
        assert!(lines
            .iter()
            .all(|l| root.text_size(l, &style).unwrap().0 <= 100));
    }
}
