//! The CAFS panel (issue #22): each patient's CAFS score (Berry et al. 2013) as a dot in its
//! group's strip, spread sideways by rank so that equal scores stay visible, the group's mean
//! score as a bar, and the Mann-Whitney p of the comparison in the title. The first comparison
//! of the analysis (`Analysis::cafs`), or the one holding the selected patient.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, TEXT};
use super::coords::{hit, range};
use super::labels::{around, place, points};
use super::legend::{LegendItem, Mark};
use super::marks::{line, note, outlined_markers, truncate, MAX_LABEL};
use super::palette::INK;
use super::surface::{Res, Surface};
use super::Hit;
use crate::analysis::CafsEntry;
use crate::format::{chart_number, chart_p};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

fn entry<'a>(c: &Ctx<'a>) -> Option<&'a CafsEntry> {
    let sel = c.selected;
    c.a.cafs
        .iter()
        .find(|e| sel.is_some_and(|id| e.patients.iter().any(|p| *p.id == *id)))
        .or(c.a.cafs.first())
}

/// The two groups of a comparison "A vs B".
fn sides(e: &CafsEntry) -> [String; 2] {
    let mut seen: Vec<String> = Vec::new();
    for p in &e.patients {
        if !seen.iter().any(|g| **g == *p.group) {
            seen.push(p.group.to_string());
        }
    }
    seen.resize(2, String::new());
    [seen[0].clone(), seen[1].clone()]
}

/// Each patient's place: x = its group's strip (0 or 1) spread by its place among equal scores,
/// y = score.
fn layout(e: &CafsEntry, groups: &[String; 2]) -> Vec<(usize, (f64, f64))> {
    let mut out = Vec::with_capacity(e.patients.len());
    for (gi, g) in groups.iter().enumerate() {
        let mut idx: Vec<usize> = (0..e.patients.len())
            .filter(|&i| *e.patients[i].group == **g)
            .collect();
        crate::sort::sort_by_key(&mut idx, |&i| e.patients[i].score);
        let mut k = 0;
        while k < idx.len() {
            let same = idx[k..]
                .iter()
                .take_while(|&&i| e.patients[i].score == e.patients[idx[k]].score)
                .count();
            for j in 0..same {
                // equal scores side by side, centred on the strip, within ±0.3
                let step = if same > 1 {
                    (0.6 / (same - 1) as f64).min(0.06)
                } else {
                    0.0
                };
                let off = (j as f64 - (same - 1) as f64 / 2.0) * step;
                let i = idx[k + j];
                out.push((i, (gi as f64 + off, e.patients[i].score as f64)));
            }
            k += same;
        }
    }
    out
}

pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let e = entry(c);
    let hits = draw_with(root, c, e)?;
    Ok((hits, describe_with(e)))
}

fn draw_with<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    e: Option<&CafsEntry>,
) -> Res<Vec<Hit>> {
    let groups = e.map(sides).unwrap_or_default();
    let pts = e.map(|e| layout(e, &groups)).unwrap_or_default();
    let title = match e {
        Some(e) => format!(
            "CAFS: {} — Mann-Whitney p {}",
            truncate(&e.groups, 2 * MAX_LABEL),
            chart_p(e.p_value)
        ),
        None => "CAFS (function and survival)".to_string(),
    };
    let y = range(pts.iter().map(|p| p.1 .1), &[0.0], 0.08);
    let x = (-0.6, 1.6);
    let mut cover = Vec::new();
    let xy: Vec<(f64, f64)> = pts.iter().map(|p| p.1).collect();
    points(&mut cover, &xy, 5.0, 1);
    let items = [LegendItem::new(
        "Bar: group mean score",
        Mark::Line {
            color: INK.to_rgba(),
            width: 2.0,
            dashed: false,
        },
    )];
    let frame = Frame {
        title,
        x,
        y,
        x_desc: String::new(),
        y_desc: "CAFS score (higher = better)".to_string(),
        x_axis: XAxis::Categories(2),
        legend: if e.is_some() { &items[..] } else { &[] },
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    let Some(e) = e else {
        note(c, &chart, "No CAFS")?;
        return Ok(Vec::new());
    };
    let font = c.font(TEXT).pos(HPos::Center, VPos::Top);
    let (x0, _, x1, y1) = chart.rect;
    let lh = root.text_size("0", &font)?.1;
    let means = [e.mean_score_a, e.mean_score_b];
    for (gi, g) in groups.iter().enumerate() {
        let col = c.groups.color(g);
        let mine: Vec<(f64, f64)> = pts
            .iter()
            .filter(|p| *e.patients[p.0].group == **g)
            .map(|p| p.1)
            .collect();
        outlined_markers(
            &chart,
            c,
            c.groups.shape(g),
            &mine,
            4.0,
            col.mix(0.8),
            INK.mix(0.5),
            0.8,
        )?;
        let m = means[gi];
        let gx = gi as f64;
        line(
            &chart,
            c,
            &[(gx - 0.4, m), (gx + 0.4, m)],
            INK.stroke_width(c.stroke(2.0)),
            false,
        )?;
        let (px, _) = chart.backend_coord(&(gx, 0.0));
        // Each strip's labels within its half of the plot.
        let room = (x1 - x0) / 2 - c.px(8.0);
        let name = super::km::fit(root, g, &font, room)?;
        root.text(&name, (px, y1 + c.px(6.0)), &font.color(col.to_rgba()))?;
        let mean = super::km::fit(
            root,
            &format!("mean {}", chart_number(Some(m), 1)),
            &font,
            room,
        )?;
        root.text(&mean, (px, y1 + c.px(6.0) + lh + lh / 3), &font)?;
    }
    let hits = pts
        .iter()
        .map(|p| hit(&chart, &e.patients[p.0].id, p.1))
        .collect();
    if let Some(sel) = pts.iter().find(|p| c.is_selected(&e.patients[p.0].id)) {
        let g = &e.patients[sel.0].group;
        outlined_markers(
            &chart,
            c,
            c.groups.shape(g),
            &[sel.1],
            6.0,
            c.groups.color(g).to_rgba(),
            INK.to_rgba(),
            2.0,
        )?;
        place(
            &chart,
            c,
            &truncate(&e.patients[sel.0].id, MAX_LABEL),
            &c.font(TEXT),
            sel.1,
            &around(10.0),
        )?;
    }
    chart.finish(c)?;
    Ok(hits)
}

pub fn describe(c: &Ctx) -> String {
    describe_with(entry(c))
}

fn describe_with(e: Option<&CafsEntry>) -> String {
    let Some(e) = e else {
        return "CAFS: no comparison (it needs deaths and ALSFRS-R scores in two groups)."
            .to_string();
    };
    let [a, b] = sides(e);
    format!(
        "CAFS scores of {} patients, {}: mean score {} {} vs {} {}; Mann-Whitney W = {}, p {}. \
         Each dot is a patient (higher = better: longer survival, then less decline in {}); \
         bars are the group means.",
        e.n,
        truncate(&e.groups, 2 * MAX_LABEL),
        truncate(&a, MAX_LABEL),
        chart_number(Some(e.mean_score_a), 2),
        truncate(&b, MAX_LABEL),
        chart_number(Some(e.mean_score_b), 2),
        chart_number(e.statistic, 1),
        chart_p(e.p_value),
        e.measure.label().split(" (").next().unwrap_or("ALSFRS-R")
    )
}
