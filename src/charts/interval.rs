//! % improvement of each period after the first against the period's length, per group, with
//! the Spearman correlation from the analysis' tests.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, TEXT};
use super::coords::{finite, hit, range};
use super::labels::{around, place, points, polyline, Cover};
use super::legend::{group_items, present_groups, LegendItem, Mark};
use super::marks::{line, markers, note, outlined_markers, truncate, MAX_LABEL};
use super::palette::{GREY, INK};
use super::surface::{Res, Surface};
use super::waterfall::{threshold_label, CLIP};
use super::Hit;
use crate::analysis::{TestEntry, TestKind, TestVariable};
use crate::format::{chart_number, chart_p};
use crate::stats::median;
use plotters::prelude::*;

struct Pt<'a> {
    id: &'a str,
    group: &'a str,
    /// Period length (months).
    len: f64,
    pct: f64,
}

fn prepare<'a>(c: &Ctx<'a>) -> Vec<Pt<'a>> {
    let mut out = Vec::new();
    for p in c.patients() {
        for (i, pct) in p.period_improvement_pct.iter().enumerate() {
            let (Some(pct), Some(per)) = (finite(*pct), p.periods.get(i + 1)) else {
                continue;
            };
            let len = per.end - per.start;
            if len.is_finite() && len >= 0.0 {
                out.push(Pt {
                    id: &p.id,
                    group: &p.group,
                    len,
                    pct,
                });
            }
        }
    }
    out
}

fn spearman<'a>(c: &Ctx<'a>) -> Vec<&'a TestEntry> {
    c.a.tests
        .iter()
        .filter(|t| {
            t.kind == TestKind::Spearman
                && t.variable == TestVariable::ImprovementVsInterval
                && t.measure == c.measure
        })
        .collect()
}

fn rho_text(t: &TestEntry) -> String {
    format!(
        "ρ = {}, p {}, n = {}",
        chart_number(t.estimate, 2),
        chart_p(t.p_value),
        t.n
    )
}

/// The chart and its description, from one preparation of its data.
pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let pts = prepare(c);
    Ok((draw_with(root, c, &pts)?, describe_with(c, &pts)))
}

fn draw_with<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx, pts: &[Pt<'_>]) -> Res<Vec<Hit>> {
    let tests = spearman(c);
    let thr = finite(Some(c.a.settings.responder_pct)).unwrap_or(25.0);
    let x = range(pts.iter().map(|p| p.len), &[0.0], 0.06);
    let y = range(pts.iter().map(|p| p.pct.clamp(-CLIP, CLIP)), &[0.0], 0.08);
    let groups = present_groups(c, |g| pts.iter().any(|p| p.group == g));
    let overall: Vec<&TestEntry> = tests
        .iter()
        .copied()
        .filter(|t| !groups.contains(&t.group))
        .collect();
    let mut title = format!(
        "{}: {}",
        super::ChartKind::Interval.title(),
        c.measure_name()
    );
    if let Some(t) = overall.first() {
        title.push_str(&format!(" — Spearman {}", rho_text(t)));
    }
    let xy = |p: &Pt| (p.len, p.pct.clamp(-CLIP, CLIP));
    let sel: Vec<(f64, f64)> = pts.iter().filter(|p| c.is_selected(p.id)).map(xy).collect();
    let mut sel_path = sel.clone();
    crate::sort::sort_by(&mut sel_path, |a, b| a.0.total_cmp(&b.0));
    let mut cover: Vec<Cover> = pts.iter().map(|p| Cover::Point(xy(p), 5.0)).collect();
    points(&mut cover, &sel, 7.0, 1);
    if sel_path.len() > 1 {
        polyline(&mut cover, &sel_path);
    }
    polyline(&mut cover, &[(x.0, 0.0), (x.1, 0.0)]);
    polyline(&mut cover, &[(x.0, thr), (x.1, thr)]);

    let mut items = group_items(c, &groups, true);
    for it in items.iter_mut() {
        if let Some(t) = tests
            .iter()
            .find(|t| truncate(&t.group, MAX_LABEL) == it.label)
        {
            it.label = truncate(&format!("{} ({})", it.label, rho_text(t)), 60);
        }
    }
    if pts.iter().any(|p| p.pct.abs() > CLIP) {
        items.push(LegendItem::new(
            format!("Open marker: beyond ±{}%", CLIP),
            Mark::Marker {
                shape: super::palette::Shape::Circle,
                color: WHITE.to_rgba(),
                outline: INK.to_rgba(),
            },
        ));
    }
    let selected = pts.iter().find(|p| c.is_selected(p.id));
    if let Some(p) = selected {
        items.push(LegendItem::new(
            format!("Selected: {}", truncate(p.id, MAX_LABEL)),
            Mark::Marker {
                shape: c.groups.shape(p.group),
                color: c.groups.color(p.group).to_rgba(),
                outline: INK.to_rgba(),
            },
        ));
    }
    let frame = Frame {
        title,
        x,
        y,
        x_desc: "Period length after each event (months)".to_string(),
        y_desc: "Improvement in decline rate (%)".to_string(),
        x_axis: XAxis::Numbers,
        legend: if pts.is_empty() { &[] } else { &items },
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    if y.0 < 0.0 && y.1 > 0.0 {
        line(
            &chart,
            c,
            &[(x.0, 0.0), (x.1, 0.0)],
            GREY.stroke_width(c.stroke(1.0)),
            false,
        )?;
    }
    let thr_shown = thr > y.0 && thr < y.1;
    if thr_shown {
        line(
            &chart,
            c,
            &[(x.0, thr), (x.1, thr)],
            INK.mix(0.7).stroke_width(c.stroke(1.0)),
            true,
        )?;
    }
    if pts.is_empty() {
        if thr_shown {
            threshold_label(&chart, c, thr, x)?;
        }
        note(c, &chart, "No later periods with a % improvement")?;
        return Ok(Vec::new());
    }
    let alpha = if pts.len() > 500 { 0.45 } else { 0.85 };
    for g in &groups {
        let col = c.groups.color(g);
        let shape = c.groups.shape(g);
        let (inside, clipped): (Vec<&Pt>, Vec<&Pt>) = pts
            .iter()
            .filter(|p| p.group == g)
            .partition(|p| p.pct.abs() <= CLIP);
        let xys = |v: &[&Pt]| v.iter().map(|p| xy(p)).collect::<Vec<_>>();
        outlined_markers(
            &chart,
            c,
            shape,
            &xys(&inside),
            4.0,
            col.mix(alpha),
            INK.mix(0.5),
            0.8,
        )?;
        markers(
            &chart,
            shape,
            &xys(&clipped),
            c.px(4.0),
            col.stroke_width(c.stroke(1.5)),
        )?;
    }
    let hits: Vec<Hit> = pts.iter().map(|p| hit(&chart, p.id, xy(p))).collect();
    if let Some(p) = selected {
        let col = c.groups.color(p.group);
        if sel_path.len() > 1 {
            line(&chart, c, &sel_path, INK.stroke_width(c.stroke(1.0)), true)?;
        }
        outlined_markers(
            &chart,
            c,
            c.groups.shape(p.group),
            &sel,
            6.0,
            col.to_rgba(),
            INK.to_rgba(),
            2.0,
        )?;
        place(
            &chart,
            c,
            &truncate(p.id, MAX_LABEL),
            &c.font(TEXT),
            sel[0],
            &around(10.0),
        )?;
    }
    if thr_shown {
        threshold_label(&chart, c, thr, x)?;
    }
    chart.finish(c)?;
    Ok(hits)
}

pub fn describe(c: &Ctx) -> String {
    describe_with(c, &prepare(c))
}

fn describe_with(c: &Ctx, pts: &[Pt<'_>]) -> String {
    let name = c.measure_name();
    let mut s = if pts.is_empty() {
        format!("Improvement vs interval length ({name}): no later periods with a % improvement.")
    } else {
        let n_pat = {
            let mut ids: Vec<&str> = pts.iter().map(|p| p.id).collect();
            crate::sort::sort(&mut ids);
            ids.dedup();
            ids.len()
        };
        let lens: Vec<f64> = pts.iter().map(|p| p.len).collect();
        let pcts: Vec<f64> = pts.iter().map(|p| p.pct).collect();
        format!(
            "% improvement in {name} decline rate of {} later periods ({} patients) against period length; median length {} months, median improvement {}%.",
            pts.len(),
            n_pat,
            chart_number(median(&lens), 1),
            chart_number(median(&pcts), 1)
        )
    };
    for t in spearman(c) {
        s.push_str(&format!(
            " Spearman ({}): {}.",
            truncate(&t.group, MAX_LABEL),
            rho_text(t)
        ));
    }
    let thr = finite(Some(c.a.settings.responder_pct)).unwrap_or(25.0);
    s.push_str(&format!(
        " The dashed line is the {}% responder threshold.",
        chart_number(Some(thr), 0)
    ));
    let clipped = pts.iter().filter(|p| p.pct.abs() > CLIP).count();
    if clipped > 0 {
        s.push_str(&format!(
            " {clipped} points beyond ±{CLIP}% are drawn at the limit as open markers."
        ));
    }
    s
}
