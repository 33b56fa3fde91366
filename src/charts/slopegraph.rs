//! Paired decline rates before treatment and after: one line per patient, groups side by side,
//! medians bold.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, TEXT};
use super::coords::{finite, hit, range};
use super::labels::{around, place, points, polyline};
use super::legend::{group_items, LegendItem, Mark};
use super::marks::{line, markers, note, outlined_markers, truncate, MAX_LABEL};
use super::palette::{Shape, GREY, INK};
use super::surface::{Font, Res, Surface};
use super::Hit;
use crate::format::chart_number;
use crate::stats::median;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

struct Pair<'a> {
    id: &'a str,
    pre: f64,
    post: f64,
}

struct Panel<'a> {
    group: String,
    /// x of "Pre"; "Post" is at x + 1.
    x: f64,
    pairs: Vec<Pair<'a>>,
}

impl Panel<'_> {
    fn medians(&self) -> (Option<f64>, Option<f64>) {
        let pre: Vec<f64> = self.pairs.iter().map(|p| p.pre).collect();
        let post: Vec<f64> = self.pairs.iter().map(|p| p.post).collect();
        (median(&pre), median(&post))
    }
}

fn prepare<'a>(c: &Ctx<'a>) -> Vec<Panel<'a>> {
    let mut panels: Vec<Panel<'a>> = Vec::new();
    for g in &c.groups.names {
        let pairs: Vec<Pair<'a>> = c
            .patients()
            .filter(|p| *p.group == **g)
            .filter_map(|p| {
                Some(Pair {
                    id: &p.id,
                    pre: finite(p.pre_rate)?,
                    post: finite(p.post_rate)?,
                })
            })
            .collect();
        if !pairs.is_empty() {
            let x = 3.0 * panels.len() as f64;
            panels.push(Panel {
                group: g.clone(),
                x,
                pairs,
            });
        }
    }
    panels
}

/// The chart and its description, from one preparation of its data.
pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let panels = prepare(c);
    Ok((draw_with(root, c, &panels)?, describe_with(c, &panels)))
}

fn draw_with<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    panels: &[Panel<'_>],
) -> Res<Vec<Hit>> {
    let n_panels = panels.len().max(1) as f64;
    let x = (-0.6, 3.0 * (n_panels - 1.0) + 1.6);
    let y = range(
        panels
            .iter()
            .flat_map(|p| p.pairs.iter().flat_map(|q| [q.pre, q.post])),
        &[0.0],
        0.06,
    );
    let mut cover = Vec::new();
    let mut selected = None;
    for p in panels {
        for q in &p.pairs {
            let seg = [(p.x, q.pre), (p.x + 1.0, q.post)];
            polyline(&mut cover, &seg);
            points(&mut cover, &seg, 3.0, 1);
            if c.is_selected(q.id) {
                selected = Some((p, q));
            }
        }
        if let (Some(a), Some(b)) = p.medians() {
            points(&mut cover, &[(p.x, a), (p.x + 1.0, b)], 7.0, 1);
        }
    }
    let mut items = group_items(
        c,
        &panels.iter().map(|p| p.group.clone()).collect::<Vec<_>>(),
        false,
    );
    items.push(LegendItem::new(
        "Group median",
        Mark::Marker {
            shape: Shape::Diamond,
            color: GREY.to_rgba(),
            outline: INK.to_rgba(),
        },
    ));
    if let Some((_, q)) = selected {
        items.push(LegendItem::new(
            format!("Selected: {}", truncate(q.id, MAX_LABEL)),
            Mark::Line {
                color: INK.to_rgba(),
                width: 3.0,
                dashed: false,
            },
        ));
    }
    let frame = Frame {
        title: format!(
            "{}: {}",
            super::ChartKind::Slopegraph.title(),
            c.measure_name()
        ),
        x,
        y,
        x_desc: String::new(),
        y_desc: c.rate_label(),
        x_axis: XAxis::Categories(2),
        legend: if panels.is_empty() { &[] } else { &items },
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;

    // Category labels under the axis: "Before" / "After", the group and its n below, each cut to
    // the room it has.
    let small = c.font(TEXT).pos(HPos::Center, VPos::Top);
    let unit = {
        let (a, _) = chart.backend_coord(&(0.0, y.0));
        let (b, _) = chart.backend_coord(&(1.0, y.0));
        b - a
    };
    let lh = root.text_size("0", &small)?.1;
    for p in panels {
        for (dx, t) in [(0.0, "Before"), (1.0, "After")] {
            let (bx, by) = chart.backend_coord(&(p.x + dx, y.0));
            let t = fit(root, t, &small, unit - c.px(4.0))?;
            root.text(&t, (bx, by + c.px(6.0)), &small)?;
        }
        let (bx, by) = chart.backend_coord(&(p.x + 0.5, y.0));
        let g = format!("{} (n = {})", truncate(&p.group, MAX_LABEL), p.pairs.len());
        let g = fit(root, &g, &small, 3 * unit - c.px(6.0))?;
        root.text(&g, (bx, by + c.px(6.0) + lh + lh / 3), &small)?;
    }
    if y.0 < 0.0 && y.1 > 0.0 {
        line(
            &chart,
            c,
            &[(x.0, 0.0), (x.1, 0.0)],
            GREY.stroke_width(c.stroke(1.0)),
            true,
        )?;
    }
    if panels.is_empty() {
        note(c, &chart, "No patients with both a pre and a post rate")?;
        return Ok(Vec::new());
    }

    let n: usize = panels.iter().map(|p| p.pairs.len()).sum();
    let alpha = (6.0 / (n as f64).sqrt()).clamp(0.15, 0.75);
    let mut hits = Vec::with_capacity(2 * n);
    for p in panels {
        let col = c.groups.color(&p.group);
        let st = col.mix(alpha).stroke_width(c.stroke(1.0));
        for q in &p.pairs {
            chart.path(&[(p.x, q.pre), (p.x + 1.0, q.post)], st)?;
        }
        let ends: Vec<(f64, f64)> = p
            .pairs
            .iter()
            .flat_map(|q| [(p.x, q.pre), (p.x + 1.0, q.post)])
            .collect();
        markers(
            &chart,
            Shape::Circle,
            &ends,
            c.px(2.5),
            col.mix(alpha.max(0.5)).filled(),
        )?;
        for q in &p.pairs {
            hits.push(hit(&chart, q.id, (p.x, q.pre)));
            hits.push(hit(&chart, q.id, (p.x + 1.0, q.post)));
        }
    }
    for p in panels {
        let col = c.groups.color(&p.group);
        if let (Some(a), Some(b)) = p.medians() {
            let seg = [(p.x, a), (p.x + 1.0, b)];
            line(&chart, c, &seg, WHITE.stroke_width(c.stroke(7.0)), false)?;
            line(&chart, c, &seg, col.stroke_width(c.stroke(4.0)), false)?;
            outlined_markers(
                &chart,
                c,
                Shape::Diamond,
                &seg,
                5.0,
                col.to_rgba(),
                INK.to_rgba(),
                1.2,
            )?;
        }
    }
    if let Some((p, q)) = selected {
        let col = c.groups.color(&p.group);
        let seg = [(p.x, q.pre), (p.x + 1.0, q.post)];
        line(&chart, c, &seg, INK.stroke_width(c.stroke(4.0)), false)?;
        line(&chart, c, &seg, col.stroke_width(c.stroke(2.0)), false)?;
        outlined_markers(
            &chart,
            c,
            Shape::Circle,
            &seg,
            4.0,
            col.to_rgba(),
            INK.to_rgba(),
            1.5,
        )?;
        // Right of the "after" end, else left of the "before" end, else near either.
        let id = truncate(q.id, MAX_LABEL);
        let style = c.font(TEXT);
        let after = around(8.0);
        if !place(&chart, c, &id, &style, seg[1], &after[..1])?
            && !place(&chart, c, &id, &style, seg[0], &after[4..5])?
            && !place(&chart, c, &id, &style, seg[1], &after)?
        {
            place(&chart, c, &id, &style, seg[0], &after)?;
        }
    }
    chart.finish(c)?;
    Ok(hits)
}

/// `text` as it fits `width` pixels: whole, else cut with "…" (nothing when not even that fits).
fn fit<DB: DrawingBackend>(
    root: &Surface<DB>,
    text: &str,
    style: &Font,
    width: i32,
) -> Res<String> {
    if root.text_size(text, style)?.0 <= width {
        return Ok(text.to_string());
    }
    let cut = super::axes::ellipsis(root, text, style, width, "…")?;
    Ok(if root.text_size(&cut, style)?.0 <= width {
        cut
    } else {
        String::new()
    })
}

pub fn describe(c: &Ctx) -> String {
    describe_with(c, &prepare(c))
}

fn describe_with(c: &Ctx, panels: &[Panel<'_>]) -> String {
    let unit = c.rate_unit();
    if panels.is_empty() {
        return format!(
            "Slopegraph of {} decline rates: no patient has both a pre and a post rate.",
            c.measure_name()
        );
    }
    let n: usize = panels.iter().map(|p| p.pairs.len()).sum();
    let mut s = format!(
        "Slopegraph of {} decline rate ({unit}) before treatment and after it for {n} patients.",
        c.measure_name()
    );
    for p in panels {
        let (a, b) = p.medians();
        let slower = p.pairs.iter().filter(|q| q.post < q.pre).count();
        s.push_str(&format!(
            " {} (n = {}): median {} → {}; {} of {} declined more slowly after.",
            truncate(&p.group, MAX_LABEL),
            p.pairs.len(),
            chart_number(a, 2),
            chart_number(b, 2),
            slower,
            p.pairs.len()
        ));
    }
    if let Some((_, q)) = panels
        .iter()
        .flat_map(|p| p.pairs.iter().map(move |q| (p, q)))
        .find(|(_, q)| c.is_selected(q.id))
    {
        s.push_str(&format!(
            " Highlighted: {} ({} → {}).",
            truncate(q.id, MAX_LABEL),
            chart_number(Some(q.pre), 2),
            chart_number(Some(q.post), 2)
        ));
    }
    s
}
