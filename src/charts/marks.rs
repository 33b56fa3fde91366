//! Marks: what the charts draw in data coordinates: markers (stacked where they share a pixel),
//! lines (clipped, solid or dashed), notes, and label text made safe and short (labels are
//! placed by `labels`).

use super::context::Ctx;
use super::coords::{around, clip_polyline, Chart};
use super::palette::{self, Shape};
use super::surface::{px_of, Res, Surface};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Longest patient id / group / event label drawn on a chart (characters).
pub const MAX_LABEL: usize = 24;

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

/// Centered note in the plotting area ("No data …").
pub fn note<DB: DrawingBackend>(c: &Ctx, chart: &Chart<DB>, text: &str) -> Res<()> {
    let (x0, y0, x1, y1) = chart.rect;
    let style = c
        .font(super::context::AXIS)
        .color(palette::GREY.to_rgba())
        .pos(HPos::Center, VPos::Center);
    chart
        .root
        .text(text, ((x0 + x1) / 2, (y0 + y1) / 2), &style)
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
    // The distinct pixels, in the order first met, with their counts: sorted by pixel (stable:
    // by first appearance within one), counted, then back in first-met order (a sort, not a
    // hash map of pixels: one less map's code in the page's wasm).
    let mut at: Vec<((i32, i32), u32)> = pts
        .iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .enumerate()
        .map(|(i, p)| (chart.backend_coord(p), i as u32))
        .collect();
    crate::sort::sort_by(&mut at, |a, b| a.0.cmp(&b.0));
    let mut uniq: Vec<((i32, i32), u32, u32)> = at
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| (run[0].0, run.len() as u32, run[0].1))
        .collect();
    crate::sort::sort_by(&mut uniq, |a, b| a.2.cmp(&b.2));
    // By count, so that markers of one opacity are drawn together (a style set once); in order
    // of position within a count (a stable sort of the first-seen order).
    crate::sort::sort_by(&mut uniq, |a, b| a.1.cmp(&b.1));
    let RGBAColor(r, g, b, a) = style.color;
    for run in uniq.chunk_by(|x, y| x.1 == y.1) {
        let k = run[0].1;
        let a = 1.0 - (1.0 - a.clamp(0.0, 1.0)).powi(k.min(10_000) as i32);
        let st = ShapeStyle {
            color: RGBAColor(r, g, b, a),
            ..style
        };
        for &(q, _, _) in run {
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
pub(super) fn marker<DB: DrawingBackend>(
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
#[inline(never)]
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
            dashed_path(chart.root, &px, c.px(6.0).max(2), c.px(4.0).max(2), &style)?;
        } else {
            chart.root.path(&px, &style)?;
        }
    }
    Ok(())
}

/// Dashed polyline: `size` pixels drawn, `gap` skipped, the pattern running on over corners.
pub fn dashed_path<DB: DrawingBackend>(
    root: &Surface<DB>,
    pts: &[(i32, i32)],
    size: i32,
    gap: i32,
    style: &ShapeStyle,
) -> Res<()> {
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
                root.path(&dash, style)?;
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
        root.path(&dash, style)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
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
                ink: Vec::new(),
                taken: Default::default(),
                legend: None,
            };
            draw(&chart);
            root.present().unwrap();
        }
        out
    }

    fn svg_of(shape: Shape, pts: &[(f64, f64)], style: ShapeStyle) -> String {
        svg_with(|chart| markers(chart, shape, pts, 3, style).unwrap())
    }

    /// A dashed line of 100 px with 6 px dashes and 4 px gaps: 10 dashes, the pattern carried
    /// over the corner (the sixth dash runs 50 → 53 along x, then 3 px down).
    #[test]
    fn dashes_follow_the_pattern_over_corners() {
        let svg = svg_with(|chart| {
            dashed_path(
                chart.root,
                &[(0, 0), (53, 0), (53, 47)],
                6,
                4,
                &BLACK.stroke_width(1),
            )
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
