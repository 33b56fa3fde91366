//! Waterfall: % improvement in decline rate per patient, sorted, with the responder threshold.
//! One group: bars coloured by responder status. Several: coloured by group, with the group's
//! marker under each bar's base (for readers who do not tell the colours apart), responder
//! status as the fill (solid, light, outline). Bars beyond ±300% are clipped and marked. Each
//! bar is a hit target and, in an SVG, has its patient, group and value as a hover title.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, SMALL, TEXT};
use super::coords::{finite, hit, range};
use super::labels::{place, polyline, spot, Cover, Rect, Spot};
use super::legend::{group_items, LegendItem, Mark};
use super::marks::{line, marker, note, truncate, MAX_LABEL};
use super::palette::{Shape, INK, NON_RESPONDER, NOT_EVALUABLE, RESPONDER};
use super::surface::{Res, Surface};
use super::Hit;
use crate::format::chart_number;
use crate::stats::median;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Bars are clipped to ±CLIP %.
pub const CLIP: f64 = 300.0;
/// Values of clipped bars are written out up to this many clipped bars.
const MAX_CLIP_LABELS: usize = 30;

struct Bar<'a> {
    id: &'a str,
    group: &'a str,
    value: f64,
    responder: Option<bool>,
}

fn prepare<'a>(c: &Ctx<'a>) -> Vec<Bar<'a>> {
    let mut bars: Vec<Bar<'a>> = c
        .patients()
        .filter_map(|p| {
            Some(Bar {
                id: &p.id,
                group: &p.group,
                value: finite(p.improvement_pct)?,
                responder: p.responder,
            })
        })
        .collect();
    crate::sort::sort_by(&mut bars, |a, b| b.value.total_cmp(&a.value));
    bars
}

/// The groups among the bars, in display order.
fn groups_of(c: &Ctx, bars: &[Bar]) -> Vec<String> {
    super::legend::present_groups(c, |g| bars.iter().any(|b| b.group == g))
}

fn status_color(r: Option<bool>) -> RGBColor {
    match r {
        Some(true) => RESPONDER,
        Some(false) => NON_RESPONDER,
        None => NOT_EVALUABLE,
    }
}

/// A bar's fill: by responder status (one group), or the group's colour, light for a
/// non-responder, none (an outline) when not classified.
fn bar_style(c: &Ctx, b: &Bar, by_group: bool) -> ShapeStyle {
    if !by_group {
        return status_color(b.responder).filled();
    }
    let col = c.groups.color(b.group);
    match b.responder {
        Some(true) => col.filled(),
        Some(false) => col.mix(0.45).filled(),
        None => col.stroke_width(c.stroke(1.5)),
    }
}

fn threshold(c: &Ctx) -> f64 {
    finite(Some(c.a.settings.responder_pct)).unwrap_or(25.0)
}

/// The chart and its description, from one preparation of its data; the bars' areas (one per
/// hit) in `areas`.
pub fn render<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    areas: &mut Vec<(i32, i32, i32, i32)>,
) -> Res<(Vec<Hit>, String)> {
    let bars = prepare(c);
    Ok((draw_with(root, c, &bars, areas)?, describe_with(c, &bars)))
}

fn draw_with<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    bars: &[Bar<'_>],
    areas: &mut Vec<(i32, i32, i32, i32)>,
) -> Res<Vec<Hit>> {
    let thr = threshold(c);
    let n = bars.len();
    let x = (-0.7, (n.max(1) as f64) - 0.3);
    let clipped_range = range(
        bars.iter().map(|b| b.value.clamp(-CLIP, CLIP)),
        &[0.0, thr.clamp(-CLIP, CLIP)],
        0.1,
    );
    let mut y = (
        clipped_range.0.max(-CLIP * 1.12),
        clipped_range.1.min(CLIP * 1.12),
    );
    let selected = bars.iter().enumerate().find(|(_, b)| c.is_selected(b.id));
    // Room for the selected patient's label beyond its bar's end.
    if let Some((_, b)) = selected {
        let room = 0.15 * (y.1 - y.0);
        if b.value >= 0.0 && b.value.min(CLIP) > y.1 - room {
            y.1 = b.value.min(CLIP) + room;
        } else if b.value < 0.0 && b.value.max(-CLIP) < y.0 + room {
            y.0 = b.value.max(-CLIP) - room;
        }
    }
    let groups = groups_of(c, bars);
    let by_group = groups.len() > 1;
    let half = if n > 300 { 0.5 } else { 0.4 };
    let top = |b: &Bar| b.value.clamp(-CLIP, CLIP);

    // What the bars, lines and arrowheads cover; the legend.
    let mut cover: Vec<Cover> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| Cover::Area((i as f64 - half, 0.0), (i as f64 + half, top(b))))
        .collect();
    polyline(&mut cover, &[(x.0, 0.0), (x.1, 0.0)]);
    polyline(&mut cover, &[(x.0, thr), (x.1, thr)]);
    for (i, b) in bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.value.abs() > CLIP)
    {
        cover.push(Cover::Point((i as f64, top(b)), 9.0));
    }
    if by_group {
        // The group markers around the bars' bases.
        cover.extend((0..n).map(|i| Cover::Point((i as f64, 0.0), 11.0)));
    }
    let mut items = Vec::new();
    let has = |r: Option<bool>| bars.iter().any(|b| b.responder == r);
    let thr_text = chart_number(Some(thr), 0);
    if by_group {
        items = group_items(c, &groups, true);
        let status = [
            (Some(true), format!("Solid: responder (> {thr_text}%)")),
            (Some(false), "Light: non-responder".to_string()),
            (None, "Outline: not classified".to_string()),
        ];
        for (r, label) in status {
            if has(r) {
                let mark = match r {
                    Some(true) => Mark::Swatch(INK.mix(0.75)),
                    Some(false) => Mark::Swatch(INK.mix(0.3)),
                    None => Mark::Marker {
                        shape: Shape::Square,
                        color: WHITE.to_rgba(),
                        outline: INK.to_rgba(),
                    },
                };
                items.push(LegendItem::new(label, mark));
            }
        }
    } else {
        for (r, label) in [
            (Some(true), format!("Responder (> {thr_text}%)")),
            (Some(false), "Non-responder".to_string()),
            (None, "Not classified".to_string()),
        ] {
            if has(r) {
                items.push(LegendItem::new(
                    label,
                    Mark::Swatch(status_color(r).to_rgba()),
                ));
            }
        }
    }
    if let Some((_, b)) = selected {
        items.push(LegendItem::new(
            format!("Selected: {}", truncate(b.id, MAX_LABEL)),
            Mark::Line {
                color: INK.to_rgba(),
                width: 2.0,
                dashed: false,
            },
        ));
    }
    let frame = Frame {
        title: format!(
            "{}: {}",
            super::ChartKind::Waterfall.title(),
            c.measure_name()
        ),
        x,
        y,
        x_desc: format!("Patients by improvement (n = {n})"),
        y_desc: "Improvement in decline rate (%)".to_string(),
        x_axis: XAxis::Blank,
        legend: &items,
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    if bars.is_empty() {
        note(c, &chart, "No patient with a % improvement")?;
        chart.finish(c)?;
        return Ok(Vec::new());
    }
    for (i, b) in bars.iter().enumerate() {
        let x = i as f64;
        chart.rect(
            (x - half, 0.0),
            (x + half, top(b)),
            bar_style(c, b, by_group),
        )?;
    }
    line(
        &chart,
        c,
        &[(x.0, 0.0), (x.1, 0.0)],
        INK.stroke_width(c.stroke(1.0)),
        false,
    )?;
    // Several groups: each bar's group marker under its base, on the side away from the bar,
    // when the bars are wide enough to tell them apart.
    let bar_px = {
        let (a, _) = chart.backend_coord(&(0.0, 0.0));
        let (b, _) = chart.backend_coord(&(2.0 * half, 0.0));
        b - a
    };
    if by_group && bar_px >= c.px(5.0) {
        let r = (bar_px / 2).min(c.px(4.0)).max(1);
        for (i, b) in bars.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64, 0.0));
            let dy = r + c.px(3.0);
            let at = (px, if b.value >= 0.0 { py + dy } else { py - dy });
            let col = c.groups.color(b.group);
            let shape = c.groups.shape(b.group);
            marker(root, shape, at, r, &col.filled())?;
            if shape != Shape::Cross {
                marker(
                    root,
                    shape,
                    at,
                    r,
                    &INK.mix(0.7).stroke_width(c.stroke(1.0)),
                )?;
            }
        }
    }

    // Clipped bars: an arrowhead past the end.
    let clipped: Vec<(usize, &Bar)> = bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.value.abs() > CLIP)
        .collect();
    let r = c.px(4.0).max(2);
    for (i, b) in &clipped {
        let tip = if b.value > 0.0 { -2 * r } else { 2 * r };
        let at = (*i as f64, CLIP.copysign(b.value));
        chart.polygon_at(at, &[(-r, 0), (r, 0), (0, tip)], INK.filled())?;
    }

    // Labels, most important first: the selected patient, the threshold, clipped values.
    if let Some((i, b)) = selected {
        let xi = i as f64;
        let t = top(b);
        chart.rect(
            (xi - half, 0.0),
            (xi + half, t),
            INK.stroke_width(c.stroke(2.0)),
        )?;
        let up = t >= 0.0;
        let (v, d) = if up {
            (VPos::Bottom, -1.0)
        } else {
            (VPos::Top, 1.0)
        };
        let off = if b.value.abs() > CLIP { 14.0 } else { 4.0 };
        let spots = [
            spot(0.0, d * off, HPos::Center, v),
            spot(6.0, d * off, HPos::Left, v),
            spot(-6.0, d * off, HPos::Right, v),
            spot(0.0, d * (off + 16.0), HPos::Center, v),
            spot(8.0, 0.0, HPos::Left, VPos::Center),
            spot(-8.0, 0.0, HPos::Right, VPos::Center),
        ];
        place(
            &chart,
            c,
            &format!(
                "{} ({}%)",
                truncate(b.id, MAX_LABEL),
                chart_number(Some(b.value), 0)
            ),
            &c.font(TEXT),
            (xi, t),
            &spots,
        )?;
    }
    if thr >= y.0 && thr <= y.1 {
        line(
            &chart,
            c,
            &[(x.0, thr), (x.1, thr)],
            INK.stroke_width(c.stroke(1.5)),
            true,
        )?;
        threshold_label(&chart, c, thr, x)?;
    }
    if clipped.len() <= MAX_CLIP_LABELS {
        for (i, b) in &clipped {
            let up = b.value > 0.0;
            let v = if up { VPos::Bottom } else { VPos::Top };
            let d = if up { -1.0 } else { 1.0 };
            let spots = [
                spot(0.0, d * 12.0, HPos::Center, v),
                spot(6.0, d * 4.0, HPos::Left, v),
                spot(-6.0, d * 4.0, HPos::Right, v),
            ];
            place(
                &chart,
                c,
                &format!("{}%", chart_number(Some(b.value), 0)),
                &c.font(SMALL),
                (*i as f64, CLIP.copysign(b.value)),
                &spots,
            )?;
        }
    }

    let mut hits = Vec::with_capacity(n);
    areas.reserve(n);
    for (i, b) in bars.iter().enumerate() {
        let xi = i as f64;
        hits.push(hit(&chart, b.id, (xi, top(b))));
        let r = Rect::new(
            chart.backend_coord(&(xi - half, 0.0)),
            chart.backend_coord(&(xi + half, top(b))),
        );
        areas.push((r.x0, r.y0, r.x1, r.y1));
    }
    chart.finish(c)?;
    Ok(hits)
}

/// "25% threshold" by the threshold line: at its right end above it, else below, else at its
/// left end; left out when all are taken.
pub(super) fn threshold_label<DB: DrawingBackend>(
    chart: &super::coords::Chart<DB>,
    c: &Ctx,
    thr: f64,
    x: (f64, f64),
) -> Res<bool> {
    let text = format!("{}% threshold", chart_number(Some(thr), 0));
    let style = c.font(SMALL);
    let spots: [(f64, Spot); 4] = [
        (x.1, spot(-4.0, -3.0, HPos::Right, VPos::Bottom)),
        (x.1, spot(-4.0, 3.0, HPos::Right, VPos::Top)),
        (x.0, spot(4.0, -3.0, HPos::Left, VPos::Bottom)),
        (x.0, spot(4.0, 3.0, HPos::Left, VPos::Top)),
    ];
    for (at, s) in spots {
        if place(chart, c, &text, &style, (at, thr), &[s])? {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn describe(c: &Ctx) -> String {
    describe_with(c, &prepare(c))
}

fn describe_with(c: &Ctx, bars: &[Bar<'_>]) -> String {
    let thr = threshold(c);
    let name = c.measure_name();
    if bars.is_empty() {
        return format!(
            "Waterfall of % improvement in {name} decline rate: no patient has a % improvement."
        );
    }
    let vals: Vec<f64> = bars.iter().map(|b| b.value).collect();
    let responders = bars.iter().filter(|b| b.responder == Some(true)).count();
    let non = bars.iter().filter(|b| b.responder == Some(false)).count();
    let above = bars.iter().filter(|b| b.value > thr).count();
    let mut s = format!(
        "Waterfall of % improvement in {name} decline rate for {} patients; {above} above the {}% threshold (dashed line); {responders} responders, {non} non-responders. Median improvement {}% (range {}% to {}%).",
        bars.len(),
        chart_number(Some(thr), 0),
        chart_number(median(&vals), 1),
        chart_number(vals.last().copied(), 1),
        chart_number(vals.first().copied(), 1),
    );
    let groups = groups_of(c, bars);
    if groups.len() > 1 {
        let per: Vec<String> = groups
            .iter()
            .map(|g| {
                let v: Vec<f64> = bars
                    .iter()
                    .filter(|b| b.group == g)
                    .map(|b| b.value)
                    .collect();
                format!(
                    "{} {} patients, median {}%",
                    truncate(g, MAX_LABEL),
                    v.len(),
                    chart_number(median(&v), 1)
                )
            })
            .collect();
        s.push_str(&format!(
            " Bars coloured and marked by group: {}.",
            per.join("; ")
        ));
    }
    let clipped: Vec<&Bar> = bars.iter().filter(|b| b.value.abs() > CLIP).collect();
    if !clipped.is_empty() {
        s.push_str(&format!(" {} bars clipped at ±{}%", clipped.len(), CLIP));
        if clipped.len() <= MAX_CLIP_LABELS {
            let v: Vec<String> = clipped
                .iter()
                .map(|b| {
                    format!(
                        "{} {}%",
                        truncate(b.id, MAX_LABEL),
                        chart_number(Some(b.value), 0)
                    )
                })
                .collect();
            s.push_str(&format!(": {}", v.join(", ")));
        }
        s.push('.');
    }
    if let Some((i, b)) = bars.iter().enumerate().find(|(_, b)| c.is_selected(b.id)) {
        s.push_str(&format!(
            " Highlighted: {} at {}% (rank {} of {}).",
            truncate(b.id, MAX_LABEL),
            chart_number(Some(b.value), 1),
            i + 1,
            bars.len()
        ));
    }
    s
}
