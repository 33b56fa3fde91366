//! One patient's course: visits, the OLS line of every period with its slope written next to
//! it (where there is room), event lines, and optionally the D50 sigmoid.

use super::axes::{build, Frame, XAxis};
use super::context::{period_name, Ctx, SMALL, TEXT};
use super::coords::{finite, hit, range};
use super::labels::{around, place, points, polyline, spot, Spot};
use super::legend::{LegendItem, Mark};
use super::marks::{line, note, outlined_markers, truncate, MAX_LABEL};
use super::palette::{Shape, GREY, INK, MODEL};
use super::surface::{Res, Surface};
use super::trajectories::fitted_segments;
use super::Hit;
use crate::analysis::{PatientResult, Series};
use crate::data::Measure;
use crate::format::chart_number;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

struct View<'a> {
    series: Option<&'a Series>,
    result: Option<&'a PatientResult>,
    id: &'a str,
    group: &'a str,
    pts: Vec<(f64, f64)>,
    /// (onset on the time axis, D50, dx) when the D50 curve is to be drawn.
    d50: Option<(f64, f64, f64)>,
}

fn prepare<'a>(c: &Ctx<'a>) -> Option<View<'a>> {
    let known = |id: &str| {
        c.a.series.iter().any(|s| &*s.id == id) || c.a.patients.iter().any(|p| &*p.id == id)
    };
    let id: &'a str = match c.selected.filter(|s| known(s)) {
        Some(sel) => sel,
        None => {
            c.a.series
                .first()
                .map(|s| s.id.as_ref())
                .or_else(|| c.patients().next().map(|p| p.id.as_ref()))?
        }
    };
    let series = c.a.series.iter().find(|s| &*s.id == id);
    let result = c.result_of(id);
    let group = series
        .map(|s| s.group.as_ref())
        .or(result.map(|r| r.group.as_ref()))
        .unwrap_or("");
    let pts = series.map(|s| c.points(s)).unwrap_or_default();
    let d50 = if c.show_models && c.measure == Measure::AlsfrsR {
        let onset = series.and_then(|s| finite(s.onset));
        let e = c.a.d50.iter().find(|d| *d.id == *id);
        match (
            onset,
            e.and_then(|e| finite(e.d50())),
            e.and_then(|e| finite(e.dx())),
        ) {
            (Some(o), Some(d), Some(dx)) if dx.abs() > 1e-9 => Some((o, d, dx)),
            _ => None,
        }
    } else {
        None
    };
    Some(View {
        series,
        result,
        id,
        group,
        pts,
        d50,
    })
}

/// D50 model on the patient's time axis: 48 / (1 + exp((t − onset − D50) / dx)).
fn d50_curve(onset: f64, d50: f64, dx: f64, x: (f64, f64)) -> Vec<(f64, f64)> {
    (0..=120)
        .map(|i| {
            let t = x.0 + (x.1 - x.0) * i as f64 / 120.0;
            (
                t,
                48.0 / (1.0 + ((t - onset - d50) / dx).clamp(-700.0, 700.0).exp()),
            )
        })
        .filter(|p| p.1.is_finite())
        .collect()
}

pub fn draw<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<Vec<Hit>> {
    let v = prepare(c);
    let title_id = v
        .as_ref()
        .map(|v| truncate(v.id, MAX_LABEL))
        .unwrap_or_else(|| "no patient".into());
    let segs = v
        .as_ref()
        .and_then(|v| v.result)
        .map(fitted_segments)
        .unwrap_or_default();
    let events: Vec<(f64, String)> = v
        .as_ref()
        .and_then(|v| v.series)
        .map(|s| {
            s.events
                .iter()
                .filter(|e| e.t.is_finite())
                .map(|e| (e.t, e.label.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let pts = v.as_ref().map(|v| v.pts.clone()).unwrap_or_default();
    let x = range(
        pts.iter()
            .map(|p| p.0)
            .chain(events.iter().map(|e| e.0))
            .chain(segs.iter().flat_map(|s| [s[0].0, s[1].0])),
        &[],
        0.05,
    );
    let curve = v
        .as_ref()
        .and_then(|v| v.d50)
        .map(|(o, d, dx)| d50_curve(o, d, dx, x))
        .unwrap_or_default();
    let y = range(
        pts.iter()
            .map(|p| p.1)
            .chain(segs.iter().flat_map(|s| [s[0].1, s[1].1]))
            .chain(curve.iter().map(|p| p.1)),
        &[],
        0.12,
    );
    let col = v.as_ref().map(|v| c.groups.color(v.group)).unwrap_or(GREY);

    let mut cover = Vec::new();
    points(&mut cover, &pts, 5.0, 1);
    polyline(&mut cover, &pts);
    for s in &segs {
        polyline(&mut cover, s);
    }
    for (t, _) in &events {
        polyline(&mut cover, &[(*t, y.0), (*t, y.1)]);
    }
    polyline(&mut cover, &curve);

    let mut items = Vec::new();
    if let Some(v) = &v {
        items.push(LegendItem::new(
            format!(
                "{} ({})",
                truncate(v.id, MAX_LABEL),
                truncate(v.group, MAX_LABEL)
            ),
            Mark::Marker {
                shape: Shape::Circle,
                color: col.to_rgba(),
                outline: INK.to_rgba(),
            },
        ));
        if !events.is_empty() {
            items.push(LegendItem::new(
                "Event",
                Mark::Line {
                    color: GREY.to_rgba(),
                    width: 1.0,
                    dashed: true,
                },
            ));
        }
        if let Some((_, d50, dx)) = v.d50 {
            items.push(LegendItem::new(
                format!(
                    "D50 model (D50 = {} mo, dx = {} mo)",
                    chart_number(Some(d50), 1),
                    chart_number(Some(dx), 1)
                ),
                Mark::Line {
                    color: MODEL.to_rgba(),
                    width: 2.0,
                    dashed: true,
                },
            ));
        }
        if v.result.is_some_and(|r| !r.periods.is_empty()) {
            items.push(LegendItem::new(
                format!("Fitted slope per period ({})", c.rate_unit()),
                Mark::Line {
                    color: col.to_rgba(),
                    width: 2.5,
                    dashed: false,
                },
            ));
        }
    }
    let frame = Frame {
        title: format!(
            "{}: {} — {}",
            super::ChartKind::Patient.title(),
            title_id,
            c.measure_name()
        ),
        x,
        y,
        x_desc: c.time_label().to_string(),
        y_desc: c.score_label(),
        x_axis: XAxis::Numbers,
        legend: &items,
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    let Some(v) = v else {
        note(c, &chart, "No patient to show")?;
        chart.finish(c)?;
        return Ok(Vec::new());
    };

    for (t, _) in &events {
        let st = GREY.stroke_width(c.stroke(1.0));
        line(&chart, c, &[(*t, y.0), (*t, y.1)], st, true)?;
    }
    if v.d50.is_some() {
        line(&chart, c, &curve, MODEL.stroke_width(c.stroke(2.0)), true)?;
    }
    if pts.len() > 1 {
        chart.path(&pts, col.mix(0.35).stroke_width(c.stroke(1.0)))?;
    }
    let periods = v.result.map(|r| r.periods.as_slice()).unwrap_or(&[]);
    let mut slope_labels = Vec::new();
    for p in periods {
        let (Some(b0), Some(b1)) = (finite(p.intercept), finite(p.slope)) else {
            continue;
        };
        if !(p.start.is_finite() && p.end.is_finite()) || p.end < p.start {
            continue;
        }
        let seg = [(p.start, b0 + b1 * p.start), (p.end, b0 + b1 * p.end)];
        line(&chart, c, &seg, WHITE.stroke_width(c.stroke(5.0)), false)?;
        line(&chart, c, &seg, col.stroke_width(c.stroke(2.5)), false)?;
        slope_labels.push((seg, b1));
    }
    let selected = c.is_selected(v.id);
    let outline = if selected {
        (INK.to_rgba(), 1.5)
    } else {
        (INK.mix(0.6), 1.0)
    };
    outlined_markers(
        &chart,
        c,
        Shape::Circle,
        &pts,
        4.0,
        col.to_rgba(),
        outline.0,
        outline.1,
    )?;
    // Each period's slope by its line (at its middle, else a quarter from either end; on either
    // side), in full ("−1.02 points per month"), else as a number "/month" (the unit is in
    // the legend); left out when no place is free (the slopes are in the description).
    let spots = around(6.0);
    let style = c.font(TEXT);
    for (seg, b1) in &slope_labels {
        let long = format!("{} {}", chart_number(Some(*b1), 2), c.rate_unit());
        let short = format!("{}/month", chart_number(Some(*b1), 2));
        let at = |f: f64| {
            (
                seg[0].0 + (seg[1].0 - seg[0].0) * f,
                seg[0].1 + (seg[1].1 - seg[0].1) * f,
            )
        };
        'placed: for text in [&long, &short] {
            for f in [0.5, 0.25, 0.75] {
                let p = at(f);
                if p.1 >= y.0 && p.1 <= y.1 && place(&chart, c, text, &style, p, &spots)? {
                    break 'placed;
                }
            }
        }
    }
    // Event names at the top of their lines: right of the line, in the first free row, else left.
    let ink = INK.mix(0.8);
    let ev_style = c.font(SMALL).color(ink);
    let rows: Vec<Spot> = (0..3)
        .map(|i| spot(3.0, 3.0 + 13.0 * i as f64, HPos::Left, VPos::Top))
        .chain((0..3).map(|i| spot(-3.0, 3.0 + 13.0 * i as f64, HPos::Right, VPos::Top)))
        .collect();
    for (t, lab) in &events {
        place(
            &chart,
            c,
            &truncate(lab, MAX_LABEL),
            &ev_style,
            (*t, y.1),
            &rows,
        )?;
    }
    if pts.is_empty() {
        note(
            c,
            &chart,
            &format!("No {} visits for this patient", c.measure_name()),
        )?;
    }
    let hits: Vec<Hit> = pts.iter().map(|p| hit(&chart, v.id, *p)).collect();
    chart.finish(c)?;
    Ok(hits)
}

pub fn describe(c: &Ctx) -> String {
    let Some(v) = prepare(c) else {
        return "Patient course: no patient to show.".to_string();
    };
    let name = c.measure_name();
    let mut s = format!(
        "Course of {} for patient {} ({}): {} visits.",
        name,
        truncate(v.id, MAX_LABEL),
        truncate(v.group, MAX_LABEL),
        v.pts.len()
    );
    if let (Some(a), Some(b)) = (v.pts.first(), v.pts.last()) {
        s.push_str(&format!(
            " Score {} at {} months, {} at {} months.",
            chart_number(Some(a.1), 1),
            chart_number(Some(a.0), 1),
            chart_number(Some(b.1), 1),
            chart_number(Some(b.0), 1)
        ));
    }
    if let Some(r) = v.result {
        let per: Vec<String> = r
            .periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let slope = finite(p.slope)?;
                Some(format!(
                    "{} ({} to {} months) {} {}",
                    period_name(&r.periods, i),
                    chart_number(Some(p.start), 1),
                    chart_number(Some(p.end), 1),
                    chart_number(Some(slope), 2),
                    c.rate_unit()
                ))
            })
            .collect();
        if !per.is_empty() {
            s.push_str(&format!(" Fitted slopes: {}.", per.join("; ")));
        }
        if let Some(imp) = finite(r.improvement_pct) {
            s.push_str(&format!(
                " Improvement in decline rate: {}%.",
                chart_number(Some(imp), 1)
            ));
        }
    }
    if let Some(series) = v.series {
        if !series.events.is_empty() {
            let ev: Vec<String> = series
                .events
                .iter()
                .filter(|e| e.t.is_finite())
                .map(|e| {
                    format!(
                        "{} at {} months",
                        truncate(&e.label, MAX_LABEL),
                        chart_number(Some(e.t), 1)
                    )
                })
                .collect();
            s.push_str(&format!(" Events: {}.", ev.join(", ")));
        }
    }
    if let Some((_, d50, dx)) = v.d50 {
        s.push_str(&format!(
            " D50 model: D50 = {} months after onset, dx = {} months.",
            chart_number(Some(d50), 1),
            chart_number(Some(dx), 1)
        ));
    }
    s
}
