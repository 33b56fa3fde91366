//! Legends: boxed, inside the plotting area, in the corner that covers the fewest data points.

use super::context::Ctx;
use super::coords::Chart;
use super::marks::{self, truncate, MAX_LABEL};
use super::palette::{self, Shape};
use super::surface::Res;
use super::Hit;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
