//! Waterfall: % improvement in decline rate per patient, sorted, coloured by responder status,
//! with the responder threshold. Bars beyond ±300% are clipped and marked.

use super::axes::{build, Frame};
use super::context::Ctx;
use super::coords::{finite, hit, range};
use super::legend::{legend, LegendItem, Mark};
use super::marks::{label, line, note, truncate, MAX_LABEL};
use super::palette::{INK, NON_RESPONDER, NOT_EVALUABLE, RESPONDER};
use super::surface::{Res, Surface};
use super::Hit;
use crate::format::chart_number;
use crate::stats::median;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Bars are clipped to ±CLIP %.
pub const CLIP: f64 = 300.0;
/// Values of clipped bars are written out up to this many clipped bars.
const MAX_CLIP_LABELS: usize = 30;

struct Bar<'a> {
    id: &'a str,
    value: f64,
    responder: Option<bool>,
}

fn prepare<'a>(c: &Ctx<'a>) -> Vec<Bar<'a>> {
    let mut bars: Vec<Bar<'a>> = c
        .patients()
        .filter_map(|p| {
            Some(Bar {
                id: &p.id,
                value: finite(p.improvement_pct)?,
                responder: p.responder,
            })
        })
        .collect();
    crate::sort::sort_by(&mut bars, |a, b| b.value.total_cmp(&a.value));
    bars
}

fn color(r: Option<bool>) -> RGBColor {
    match r {
        Some(true) => RESPONDER,
        Some(false) => NON_RESPONDER,
        None => NOT_EVALUABLE,
    }
}

fn threshold(c: &Ctx) -> f64 {
    finite(Some(c.a.settings.responder_pct)).unwrap_or(25.0)
}

/// The chart and its description, from one preparation of its data.
pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let bars = prepare(c);
    Ok((draw_with(root, c, &bars)?, describe_with(c, &bars)))
}

fn draw_with<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx, bars: &[Bar<'_>]) -> Res<Vec<Hit>> {
    let thr = threshold(c);
    let n = bars.len();
    let x = (-0.7, (n.max(1) as f64) - 0.3);
    let clipped_range = range(
        bars.iter().map(|b| b.value.clamp(-CLIP, CLIP)),
        &[0.0, thr.clamp(-CLIP, CLIP)],
        0.1,
    );
    let y = (
        clipped_range.0.max(-CLIP * 1.12),
        clipped_range.1.min(CLIP * 1.12),
    );
    let frame = Frame {
        title: format!(
            "{}: {}",
            super::ChartKind::Waterfall.title(),
            c.measure_name()
        ),
        x,
        y,
        x_desc: format!("Patients, sorted by improvement (n = {n})"),
        y_desc: "Improvement in decline rate (%)".to_string(),
        x_ticks: false,
    };
    let chart = build(root, c, &frame)?;
    if bars.is_empty() {
        note(c, &chart, "No patient with a % improvement")?;
        return Ok(Vec::new());
    }
    let half = if n > 300 { 0.5 } else { 0.4 };
    for r in [Some(true), Some(false), None] {
        let col = color(r);
        for (i, b) in bars.iter().enumerate().filter(|(_, b)| b.responder == r) {
            let x = i as f64;
            chart.rect(
                (x - half, 0.0),
                (x + half, b.value.clamp(-CLIP, CLIP)),
                col.filled(),
            )?;
        }
    }
    line(
        &chart,
        c,
        &[(x.0, 0.0), (x.1, 0.0)],
        INK.stroke_width(c.stroke(1.0)),
        false,
    )?;

    // Clipped bars: an arrowhead past the end, and the true value when there are few.
    let clipped: Vec<(usize, &Bar)> = bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.value.abs() > CLIP)
        .collect();
    let r = c.px(4.0).max(2);
    for (i, b) in &clipped {
        let up = b.value > 0.0;
        let tip = if up { -2 * r } else { 2 * r };
        let at = (*i as f64, CLIP.copysign(b.value));
        chart.polygon_at(at, &[(-r, 0), (r, 0), (0, tip)], INK.filled())?;
        if clipped.len() <= MAX_CLIP_LABELS {
            let v = if up { VPos::Bottom } else { VPos::Top };
            let style = c.font(10.0).pos(Pos::new(HPos::Center, v));
            let off = if up {
                -(2.0 * 4.0 + 3.0)
            } else {
                2.0 * 4.0 + 3.0
            };
            label(
                &chart,
                c,
                &format!("{}%", chart_number(Some(b.value), 0)),
                at,
                (0.0, off),
                style,
            )?;
        }
    }

    if thr >= y.0 && thr <= y.1 {
        line(
            &chart,
            c,
            &[(x.0, thr), (x.1, thr)],
            INK.stroke_width(c.stroke(1.5)),
            true,
        )?;
        let style = c.font(10.5).pos(Pos::new(HPos::Right, VPos::Bottom));
        label(
            &chart,
            c,
            &format!("{}% threshold", chart_number(Some(thr), 0)),
            (x.1, thr),
            (-4.0, -3.0),
            style,
        )?;
    }

    let mut hits = Vec::with_capacity(n);
    for (i, b) in bars.iter().enumerate() {
        hits.push(hit(&chart, b.id, (i as f64, b.value.clamp(-CLIP, CLIP))));
    }
    let mut items = Vec::new();
    let has = |r: Option<bool>| bars.iter().any(|b| b.responder == r);
    if has(Some(true)) {
        items.push(LegendItem::new(
            format!("Responder (> {}%)", chart_number(Some(thr), 0)),
            Mark::Swatch(RESPONDER.to_rgba()),
        ));
    }
    if has(Some(false)) {
        items.push(LegendItem::new(
            "Non-responder",
            Mark::Swatch(NON_RESPONDER.to_rgba()),
        ));
    }
    if has(None) {
        items.push(LegendItem::new(
            "Not classified",
            Mark::Swatch(NOT_EVALUABLE.to_rgba()),
        ));
    }
    if let Some((i, b)) = bars.iter().enumerate().find(|(_, b)| c.is_selected(b.id)) {
        let xi = i as f64;
        let top = b.value.clamp(-CLIP, CLIP);
        chart.rect(
            (xi - half, 0.0),
            (xi + half, top),
            INK.stroke_width(c.stroke(2.0)),
        )?;
        let v = if top >= 0.0 { VPos::Bottom } else { VPos::Top };
        let off = if top >= 0.0 { -16.0 } else { 16.0 };
        let style = c.font(11.0).pos(Pos::new(HPos::Center, v));
        label(
            &chart,
            c,
            &format!(
                "{} ({}%)",
                truncate(b.id, MAX_LABEL),
                chart_number(Some(b.value), 0)
            ),
            (xi, top),
            (0.0, off),
            style,
        )?;
        items.push(LegendItem::new(
            format!("Selected: {}", truncate(b.id, MAX_LABEL)),
            Mark::Line {
                color: INK.to_rgba(),
                width: 2.0,
                dashed: false,
            },
        ));
    }
    legend(c, &chart, &items, &hits)?;
    Ok(hits)
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
        "Waterfall of % improvement in {name} decline rate for {} patients; {above} above the {}% threshold; {responders} responders, {non} non-responders. Median improvement {}% (range {}% to {}%).",
        bars.len(),
        chart_number(Some(thr), 0),
        chart_number(median(&vals), 1),
        chart_number(vals.last().copied(), 1),
        chart_number(vals.first().copied(), 1),
    );
    let clipped = bars.iter().filter(|b| b.value.abs() > CLIP).count();
    if clipped > 0 {
        s.push_str(&format!(" {clipped} bars clipped at ±{}%.", CLIP));
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
