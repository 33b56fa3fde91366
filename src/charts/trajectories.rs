//! Spaghetti plot: every patient's score over time, fitted OLS segments, events, and optionally
//! the mixed-model population line per group.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, TEXT};
use super::coords::{finite, hit, range, Chart};
use super::labels::{around, place, points, polyline};
use super::legend::{group_items, present_groups, LegendItem, Mark};
use super::marks::{line, markers, note, outlined_markers, truncate, MAX_LABEL};
use super::palette::{Shape, INK};
use super::surface::{Res, Surface};
use super::Hit;
use crate::analysis::PatientResult;
use crate::format::chart_number;
use crate::models::MixedModelEntry;
use plotters::prelude::*;
use rustc_hash::FxHashMap;

/// Hits beyond this many visit points are subsampled per patient.
const MAX_HITS: usize = 20_000;
/// Above this many patients the per-patient fits and point markers are left out (clutter).
const MAX_FITTED: usize = 300;
const MAX_MARKED_POINTS: usize = 3_000;

struct Line<'a> {
    id: &'a str,
    group: &'a str,
    pts: Vec<(f64, f64)>,
    /// (t, score on the line at t)
    events: Vec<(f64, f64)>,
    result: Option<&'a PatientResult>,
}

fn prepare<'a>(c: &Ctx<'a>) -> Vec<Line<'a>> {
    // Ids to results (a map of the type `Groups` has: one copy of its code).
    let all: Vec<&PatientResult> = c.patients().collect();
    let mut results: FxHashMap<&str, u32> = FxHashMap::default();
    for (i, p) in all.iter().enumerate() {
        results.insert(&p.id, i as u32);
    }
    c.a.series
        .iter()
        .filter_map(|s| {
            let pts = c.points(s);
            if pts.is_empty() {
                return None;
            }
            let events = s
                .events
                .iter()
                .filter(|e| e.t.is_finite())
                .map(|e| (e.t, interpolate(&pts, e.t)))
                .collect();
            Some(Line {
                id: &s.id,
                group: &s.group,
                pts,
                events,
                result: results.get(s.id.as_ref()).map(|&i| all[i as usize]),
            })
        })
        .collect()
}

/// Score on the patient's polyline at t (nearest end outside the visits).
pub(super) fn interpolate(pts: &[(f64, f64)], t: f64) -> f64 {
    let first = pts[0];
    let last = pts[pts.len() - 1];
    if t <= first.0 {
        return first.1;
    }
    if t >= last.0 {
        return last.1;
    }
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if t >= a.0 && t <= b.0 {
            let span = b.0 - a.0;
            return if span > 0.0 {
                a.1 + (b.1 - a.1) * (t - a.0) / span
            } else {
                b.1
            };
        }
    }
    last.1
}

/// Fitted segments of a patient's periods, (start, end) points.
pub(super) fn fitted_segments(r: &PatientResult) -> Vec<[(f64, f64); 2]> {
    r.periods
        .iter()
        .filter_map(|p| {
            let (b0, b1) = (finite(p.intercept)?, finite(p.slope)?);
            if !(p.start.is_finite() && p.end.is_finite()) || p.end < p.start {
                return None;
            }
            Some([(p.start, b0 + b1 * p.start), (p.end, b0 + b1 * p.end)])
        })
        .filter(|s| s.iter().all(|q| q.1.is_finite()))
        .collect()
}

fn fixed(m: &MixedModelEntry, term: &str) -> Option<f64> {
    m.fixed
        .iter()
        .find(|f| f.term == term)
        .map(|f| f.estimate)
        .filter(|v| v.is_finite())
}

/// Population line of a group's mixed model: (β0, βt, βafter).
fn model_for(c: &Ctx, group: &str) -> Option<(f64, f64, f64)> {
    let m =
        c.a.mixed_models
            .iter()
            .find(|m| m.group == group && m.measure == c.measure)?;
    Some((
        fixed(m, "(Intercept)")?,
        fixed(m, "t")?,
        fixed(m, "t_after").unwrap_or(0.0),
    ))
}

/// The chart and its description, from one preparation of its data.
pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let lines = prepare(c);
    Ok((draw_with(root, c, &lines)?, describe_with(c, &lines)))
}

fn draw_with<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx, lines: &[Line<'_>]) -> Res<Vec<Hit>> {
    let n_points: usize = lines.iter().map(|l| l.pts.len()).sum();
    let xs = lines.iter().flat_map(|l| {
        l.pts
            .iter()
            .map(|p| p.0)
            .chain(l.events.iter().map(|e| e.0))
    });
    let x = range(xs, &[], 0.03);
    let y = range(
        lines.iter().flat_map(|l| l.pts.iter().map(|p| p.1)),
        &[],
        0.06,
    );
    let with_fits = lines.len() <= MAX_FITTED;
    let with_points = n_points <= MAX_MARKED_POINTS;
    let models: Vec<(&String, Vec<(f64, f64)>)> = if c.show_models {
        c.groups
            .names
            .iter()
            .filter_map(|g| {
                let (b0, bt, ba) = model_for(c, g)?;
                let mut ts = vec![x.0];
                if x.0 < 0.0 && x.1 > 0.0 {
                    ts.push(0.0);
                }
                ts.push(x.1);
                Some((
                    g,
                    ts.iter()
                        .map(|&t| (t, b0 + bt * t + ba * t.max(0.0)))
                        .collect(),
                ))
            })
            .collect()
    } else {
        Vec::new()
    };

    // What the data covers: every line, point and fit when they are few; else a sample of the
    // points (as the hit targets), which covers every corner of a dense chart.
    let mut cover = Vec::new();
    if with_fits {
        for l in lines {
            polyline(&mut cover, &l.pts);
            points(&mut cover, &l.pts, 3.0, 1);
            points(&mut cover, &l.events, 4.0, 1);
            for seg in l.result.map(fitted_segments).unwrap_or_default() {
                polyline(&mut cover, &seg);
            }
        }
    } else {
        let stride = n_points.div_ceil(MAX_HITS).max(1);
        for l in lines {
            points(&mut cover, &l.pts, 3.0, stride);
        }
    }
    for (_, pts) in &models {
        polyline(&mut cover, pts);
    }

    let mut items = group_items(
        c,
        &present_groups(c, |g| lines.iter().any(|l| l.group == g)),
        false,
    );
    if with_fits {
        items.push(LegendItem::new(
            "OLS fit per period",
            Mark::Line {
                color: INK.mix(0.7),
                width: 1.5,
                dashed: true,
            },
        ));
    }
    if lines.iter().any(|l| !l.events.is_empty()) {
        items.push(LegendItem::new(
            "Event",
            Mark::Marker {
                shape: Shape::Triangle,
                color: INK.mix(0.6),
                outline: INK.mix(0.6),
            },
        ));
    }
    if !models.is_empty() {
        items.push(LegendItem::new(
            "Mixed model (population)",
            Mark::Line {
                color: INK.to_rgba(),
                width: 3.5,
                dashed: false,
            },
        ));
    }
    let selected = lines.iter().find(|l| c.is_selected(l.id));
    if let Some(l) = selected {
        items.push(LegendItem::new(
            format!("Selected: {}", truncate(l.id, MAX_LABEL)),
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
            super::ChartKind::Trajectories.title(),
            c.measure_name()
        ),
        x,
        y,
        x_desc: c.time_label().to_string(),
        y_desc: c.score_label(),
        x_axis: XAxis::Numbers,
        legend: if lines.is_empty() { &[] } else { &items },
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    if lines.is_empty() {
        note(
            c,
            &chart,
            &format!("No {} visits to show", c.measure_name()),
        )?;
        return Ok(Vec::new());
    }

    let alpha = (8.0 / (lines.len() as f64).sqrt()).clamp(0.12, 0.7);
    let thin = c.stroke(1.0);
    let others = || lines.iter().filter(|l| !c.is_selected(l.id));

    for l in others() {
        let col = c.groups.color(l.group);
        chart.path(&l.pts, col.mix(alpha).stroke_width(thin))?;
    }
    for l in others() {
        let col = c.groups.color(l.group);
        if with_points {
            markers(
                &chart,
                Shape::Circle,
                &l.pts,
                c.px(2.0),
                col.mix(alpha.max(0.5)).filled(),
            )?;
        }
        if with_fits {
            for seg in l.result.map(fitted_segments).unwrap_or_default() {
                line(
                    &chart,
                    c,
                    &seg,
                    col.mix(0.9).stroke_width(c.stroke(1.5)),
                    true,
                )?;
            }
        }
        if with_points || with_fits {
            markers(
                &chart,
                Shape::Triangle,
                &l.events,
                c.px(3.0),
                col.mix(alpha.max(0.6)).filled(),
            )?;
        }
    }
    if !(with_points || with_fits) {
        // Event markers only: one call per group, so that `markers` draws the many that share a
        // pixel (every first event is at t = 0) once each.
        let mut by_group: Vec<(&str, Vec<(f64, f64)>)> = Vec::new();
        for l in others() {
            match by_group.iter_mut().find(|(g, _)| *g == l.group) {
                Some((_, ev)) => ev.extend_from_slice(&l.events),
                None => by_group.push((l.group, l.events.clone())),
            }
        }
        for (g, ev) in by_group {
            let col = c.groups.color(g);
            markers(
                &chart,
                Shape::Triangle,
                &ev,
                c.px(3.0),
                col.mix(alpha.max(0.6)).filled(),
            )?;
        }
    }

    for (g, pts) in &models {
        line(
            &chart,
            c,
            pts,
            WHITE.mix(0.9).stroke_width(c.stroke(6.0)),
            false,
        )?;
        line(
            &chart,
            c,
            pts,
            c.groups.color(g).stroke_width(c.stroke(3.5)),
            false,
        )?;
    }

    if let Some(l) = selected {
        let col = c.groups.color(l.group);
        chart.path(&l.pts, INK.stroke_width(c.stroke(4.0)))?;
        chart.path(&l.pts, col.stroke_width(c.stroke(2.0)))?;
        for seg in l.result.map(fitted_segments).unwrap_or_default() {
            line(&chart, c, &seg, INK.stroke_width(c.stroke(2.0)), true)?;
        }
        outlined_markers(
            &chart,
            c,
            Shape::Circle,
            &l.pts,
            3.5,
            col.to_rgba(),
            INK.to_rgba(),
            1.2,
        )?;
        outlined_markers(
            &chart,
            c,
            Shape::Triangle,
            &l.events,
            4.0,
            INK.to_rgba(),
            INK.to_rgba(),
            1.0,
        )?;
        // Its id by its last visit, where that is clear of the other lines (a dense chart has
        // no such place: the legend names the selection).
        if with_fits {
            let last = l.pts[l.pts.len() - 1];
            place(
                &chart,
                c,
                &truncate(l.id, MAX_LABEL),
                &c.font(TEXT),
                last,
                &around(7.0),
            )?;
        }
    }

    let hits = hits(&chart, c, lines, n_points);
    chart.finish(c)?;
    Ok(hits)
}

fn hits<DB: DrawingBackend>(
    chart: &Chart<DB>,
    c: &Ctx,
    lines: &[Line],
    n_points: usize,
) -> Vec<Hit> {
    let stride = n_points.div_ceil(MAX_HITS).max(1);
    let mut out = Vec::with_capacity(n_points.min(MAX_HITS + 64));
    for l in lines {
        let step = if c.is_selected(l.id) { 1 } else { stride };
        for p in l.pts.iter().step_by(step) {
            out.push(hit(chart, l.id, *p));
        }
    }
    out
}

pub fn describe(c: &Ctx) -> String {
    describe_with(c, &prepare(c))
}

fn describe_with(c: &Ctx, lines: &[Line<'_>]) -> String {
    let name = c.measure_name();
    if lines.is_empty() {
        return format!("Trajectories of {name}: no visits with a {name} score.");
    }
    let n_points: usize = lines.iter().map(|l| l.pts.len()).sum();
    let ts = lines.iter().flat_map(|l| l.pts.iter().map(|p| p.0));
    let (t0, t1) = ts.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
        (a.min(t), b.max(t))
    });
    let per_group: Vec<String> = c
        .groups
        .names
        .iter()
        .map(|g| (g, lines.iter().filter(|l| l.group == g).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(g, n)| format!("{}: {}", truncate(g, MAX_LABEL), n))
        .collect();
    let mut s = format!(
        "Trajectories of {name} ({}) for {} patients ({}), {} visits from {} to {} months ({}).",
        c.measure.unit(),
        lines.len(),
        per_group.join(", "),
        n_points,
        chart_number(Some(t0), 1),
        chart_number(Some(t1), 1),
        c.time_label().to_ascii_lowercase(),
    );
    let n_events: usize = lines.iter().map(|l| l.events.len()).sum();
    if n_events > 0 {
        s.push_str(&format!(" {n_events} events are marked with triangles."));
    }
    if c.show_models {
        for g in &c.groups.names {
            if let Some((b0, bt, ba)) = model_for(c, g) {
                s.push_str(&format!(
                    " Mixed model {}: {} at time 0, slope {} /month before and {} /month after.",
                    truncate(g, MAX_LABEL),
                    chart_number(Some(b0), 1),
                    chart_number(Some(bt), 2),
                    chart_number(Some(bt + ba), 2)
                ));
            }
        }
    }
    if let Some(l) = lines.iter().find(|l| c.is_selected(l.id)) {
        let first = l.pts[0].1;
        let last = l.pts[l.pts.len() - 1].1;
        s.push_str(&format!(
            " Highlighted: {} ({}), {} visits, {} → {}.",
            truncate(l.id, MAX_LABEL),
            truncate(l.group, MAX_LABEL),
            l.pts.len(),
            chart_number(Some(first), 1),
            chart_number(Some(last), 1)
        ));
    }
    s
}
