//! The frame of a chart: white background, caption, axes with ticks and titles, light grid.

use super::context::Ctx;
use super::coords::{ticks, Chart};
use super::marks::truncate;
use super::surface::{Res, Surface};
use crate::format::chart_number as fmt;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

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
