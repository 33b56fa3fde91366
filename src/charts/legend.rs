//! Legends: a boxed column inside the plotting area, in the first corner where it covers none of
//! the data's ink; else, when every corner would (or the box does not fit), entries in rows below
//! the plot, as many to a row as the chart's width holds. The breakpoint is the measured width of
//! the entries, whatever the chart's size.

use super::context::{Ctx, TEXT};
use super::coords::Chart;
use super::labels::{is_free, Rect};
use super::marks::{self, truncate, MAX_LABEL};
use super::palette::{self, Shape};
use super::surface::{Res, Surface};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

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
    #[inline(never)]
    pub fn new(label: impl AsRef<str>, mark: Mark) -> Self {
        LegendItem {
            label: truncate(label.as_ref(), 48),
            mark,
        }
    }
}

/// Where a legend goes: its box inside the plotting area, or the area below the plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    Inside(Rect),
    Below(Rect),
}

/// A legend's entries measured: their labels (cut to the chart's width where wider), the labels'
/// widths and the sizes of an entry.
pub struct Measured {
    text: Vec<String>,
    text_w: Vec<i32>,
    line_h: i32,
    /// The mark's width, the padding.
    sw: i32,
    pad: i32,
}

/// The entries measured for a chart `width` pixels wide (None without entries).
pub fn measure<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    items: &[LegendItem],
    width: i32,
) -> Res<Option<Measured>> {
    if items.is_empty() {
        return Ok(None);
    }
    let font = c.font(TEXT);
    let (sw, pad) = (c.px(22.0), c.px(6.0));
    let room = width - 2 * c.px(8.0) - sw - 3 * pad;
    let mut text = Vec::with_capacity(items.len());
    let mut text_w = Vec::with_capacity(items.len());
    let mut th = 0;
    for it in items {
        let (mut w, h) = root.text_size(&it.label, &font)?;
        let mut t = it.label.clone();
        if w > room {
            t = super::axes::ellipsis(root, &t, &font, room, "…")?;
            w = root.text_size(&t, &font)?.0;
        }
        text.push(t);
        text_w.push(w);
        th = th.max(h);
    }
    Ok(Some(Measured {
        text,
        text_w,
        line_h: (th + th / 3).max(c.px(14.0)),
        sw,
        pad,
    }))
}

impl Measured {
    /// The width of an entry in a row (mark, label, space to the next).
    fn entry_w(&self, i: usize) -> i32 {
        self.sw + self.pad + self.text_w[i] + 2 * self.pad
    }
    /// The rows of entries in `width`: each row's first entry.
    fn rows(&self, width: i32) -> Vec<usize> {
        let mut starts = vec![0];
        let mut x = 0;
        for i in 0..self.text_w.len() {
            let ew = self.entry_w(i);
            if x > 0 && x + ew - self.pad > width {
                starts.push(i);
                x = 0;
            }
            x += ew;
        }
        starts
    }
    /// The height of the entries in rows across `width`.
    pub fn rows_height(&self, width: i32) -> i32 {
        self.rows(width).len() as i32 * self.line_h
    }
    /// The box of the legend inside the chart's plotting area, in the first corner (top right,
    /// top left, bottom right, bottom left) where it is clear of the data's ink; None when there
    /// is none.
    pub fn inside<DB: DrawingBackend>(&self, c: &Ctx, chart: &Chart<DB>) -> Option<Place> {
        let text_w = self.text_w.iter().copied().max().unwrap_or(0);
        let w = self.pad * 3 + self.sw + text_w;
        let h = self.pad * 2 + self.line_h * self.text_w.len() as i32;
        let (px0, py0, px1, py1) = chart.rect;
        let m = c.px(6.0);
        let corners = [
            (px1 - m - w, py0 + m),
            (px0 + m, py0 + m),
            (px1 - m - w, py1 - m - h),
            (px0 + m, py1 - m - h),
        ];
        let bounds = chart.plot_rect();
        corners.iter().find_map(|&(x, y)| {
            let r = Rect::new((x, y), (x + w, y + h));
            is_free(&r, &bounds, &chart.ink, &[]).then_some(Place::Inside(r))
        })
    }
}

/// Draws a legend at its place.
pub fn draw<DB: DrawingBackend>(
    c: &Ctx,
    chart: &Chart<DB>,
    items: &[LegendItem],
    place: &Place,
) -> Res<()> {
    let root = chart.root;
    let Some(m) = measure(root, c, items, root.dim_in_pixel().0 as i32)? else {
        return Ok(());
    };
    let mut at = Vec::with_capacity(items.len());
    match *place {
        Place::Inside(r) => {
            root.rect((r.x0, r.y0), (r.x1, r.y1), &WHITE.mix(0.88).filled())?;
            root.rect(
                (r.x0, r.y0),
                (r.x1, r.y1),
                &palette::GREY.mix(0.6).stroke_width(c.stroke(1.0)),
            )?;
            for i in 0..items.len() {
                at.push((
                    r.x0 + m.pad,
                    r.y0 + m.pad + m.line_h * i as i32 + m.line_h / 2,
                ));
            }
        }
        Place::Below(r) => {
            let starts = m.rows(r.x1 - r.x0);
            for (row, &first) in starts.iter().enumerate() {
                let end = starts.get(row + 1).copied().unwrap_or(items.len());
                let cy = r.y0 + m.line_h * row as i32 + m.line_h / 2;
                let mut x = r.x0;
                for i in first..end {
                    at.push((x, cy));
                    x += m.entry_w(i);
                }
            }
        }
    }
    let text_style = c.font(TEXT).pos(HPos::Left, VPos::Center);
    for ((it, text), &(x0, cy)) in items.iter().zip(&m.text).zip(&at) {
        let sw = m.sw;
        match &it.mark {
            Mark::Line {
                color,
                width,
                dashed,
            } => {
                let st = color.stroke_width(c.stroke(*width));
                let pts = [(x0, cy), (x0 + sw, cy)];
                if *dashed {
                    marks::dashed_path(root, &pts, c.px(5.0).max(2), c.px(3.0).max(2), &st)?;
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
                marks::marker(root, *shape, at, r, &color.filled())?;
                if *shape != Shape::Cross {
                    marks::marker(root, *shape, at, r, &outline.stroke_width(c.stroke(1.0)))?;
                }
            }
        }
        root.text(text, (x0 + sw + m.pad, cy), &text_style)?;
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
