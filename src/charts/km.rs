//! The Kaplan–Meier chart (issue #22): each group's survival curve for one endpoint as steps,
//! censoring ticks, the 95% CI as a band on request (`ChartOptions::ci_band`), and the number at
//! risk under the time axis, a row per group at each tick. The curves are the analysis's
//! (`Analysis::survival`, R's `survfit`); the title gives the log-rank p of two groups.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, TEXT};
use super::coords::{finite, range, ticks, Chart};
use super::labels::polyline;
use super::legend::{group_items, present_groups};
use super::marks::{line, note, truncate, MAX_LABEL};
use super::surface::{Res, Surface};
use super::{ChartOptions, Hit};
use crate::analysis::{Endpoint, SurvivalEntry};
use crate::format::{chart_number, chart_p};
use crate::survival::TestKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many groups get a row of numbers at risk.
const MAX_RISK_ROWS: usize = 6;

/// The endpoint shown: the option's, else the first the analysis has.
pub fn endpoint(c: &Ctx, opts: &ChartOptions) -> Option<Endpoint> {
    let has = |e: Endpoint| c.a.survival.iter().any(|s| s.endpoint == e);
    opts.endpoint
        .filter(|&e| has(e))
        .or_else(|| c.a.survival.first().map(|s| s.endpoint))
}

fn curves<'a>(c: &Ctx<'a>, e: Option<Endpoint>) -> Vec<&'a SurvivalEntry> {
    c.a.survival
        .iter()
        .filter(|s| Some(s.endpoint) == e)
        .collect()
}

/// The step curve from (0, 1): across to each time, then down to its survival.
fn steps(s: &SurvivalEntry, value: impl Fn(usize) -> Option<f64>) -> Vec<(f64, f64)> {
    let mut pts = vec![(0.0, 1.0)];
    let mut last = 1.0;
    for (i, p) in s.curve.iter().enumerate() {
        let Some(v) = value(i) else { break };
        pts.push((p.t, last));
        pts.push((p.t, v));
        last = v;
    }
    pts
}

/// The number at risk at time t: those whose time is ≥ t.
fn at_risk(s: &SurvivalEntry, t: f64) -> usize {
    s.curve
        .iter()
        .find(|p| p.t >= t)
        .map(|p| p.n_risk)
        .unwrap_or(0)
}

fn y_title(e: Option<Endpoint>) -> &'static str {
    match e {
        Some(Endpoint::DeathOrVentilation) => "Free of death or ventilation",
        _ => "Survival probability",
    }
}

fn log_rank_p(c: &Ctx, e: Option<Endpoint>, groups: usize) -> Option<String> {
    if groups != 2 {
        return None;
    }
    let t =
        c.a.survival_tests
            .iter()
            .find(|t| Some(t.endpoint) == e && t.kind == TestKind::LogRank)?;
    t.p_value
        .map(|p| format!("log-rank p {}", chart_p(Some(p))))
}

/// The chart and its description.
pub fn render<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    opts: &ChartOptions,
) -> Res<(Vec<Hit>, String)> {
    let e = endpoint(c, opts);
    let cs = curves(c, e);
    draw_with(root, c, e, &cs, opts.ci_band)?;
    Ok((Vec::new(), describe_with(c, e, &cs)))
}

fn draw_with<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    e: Option<Endpoint>,
    cs: &[&SurvivalEntry],
    band: bool,
) -> Res<()> {
    let x = range(
        cs.iter().flat_map(|s| s.curve.iter().map(|p| p.t)),
        &[0.0],
        0.03,
    );
    let x = (0.0, x.1);
    let y = (0.0, 1.02);
    let groups = present_groups(c, |g| cs.iter().any(|s| s.group == g));
    let mut title = format!(
        "Kaplan–Meier: {}",
        e.map(Endpoint::label).unwrap_or("survival")
    );
    if let Some(p) = log_rank_p(c, e, groups.len()) {
        title.push_str(&format!(" — {p}"));
    }
    let mut cover = Vec::new();
    for s in cs {
        polyline(&mut cover, &steps(s, |i| Some(s.curve[i].surv)));
    }
    let items = group_items(c, &groups, false);
    let rows = groups.len().min(MAX_RISK_ROWS);
    let frame = Frame {
        title,
        x,
        y,
        x_desc: c.time_label().to_string(),
        y_desc: y_title(e).to_string(),
        // tick labels, "Number at risk", a row per group (written below)
        x_axis: XAxis::Categories(if cs.is_empty() { 1 } else { 2 + rows as u8 }),
        legend: if cs.is_empty() { &[] } else { &items },
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    risk_table(root, c, &chart, cs, &groups[..rows])?;
    if cs.is_empty() {
        note(c, &chart, "No endpoints")?;
        return Ok(());
    }
    for s in cs {
        let col = c.groups.color(&s.group);
        if band {
            let up = steps(s, |i| finite(s.curve[i].upper));
            let mut lo = steps(s, |i| finite(s.curve[i].lower));
            let n = up.len().min(lo.len());
            lo.truncate(n);
            let mut poly: Vec<(f64, f64)> = up[..n].to_vec();
            poly.extend(lo.iter().rev());
            if n > 1 {
                root.polygon(&chart.to_px(&poly), &col.mix(0.15).filled())?;
            }
        }
        let pts = steps(s, |i| Some(s.curve[i].surv));
        line(&chart, c, &pts, col.stroke_width(c.stroke(2.0)), false)?;
        let k = c.px(4.0);
        for p in s.curve.iter().filter(|p| p.n_censor > 0) {
            chart.path_at(
                (p.t, p.surv),
                &[(0, -k), (0, k)],
                col.stroke_width(c.stroke(1.5)),
            )?;
        }
    }
    chart.finish(c)?;
    Ok(())
}

/// The time ticks under the plot and, per group, the number at risk at each.
fn risk_table<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    chart: &Chart<DB>,
    cs: &[&SurvivalEntry],
    groups: &[String],
) -> Res<()> {
    let (x0, _, x1, y1) = chart.rect;
    let font = c.font(TEXT).pos(HPos::Center, VPos::Top);
    let lh = root.text_size("0", &font)?.1;
    let row = |k: i32| y1 + c.px(6.0) + k * (lh + lh / 3);
    let widest = root.text_size("000", &font)?.0;
    let n = ((x1 - x0) / (widest + c.px(12.0)).max(1)).clamp(2, 10) as usize + 1;
    let (ts, dec) = ticks(chart.x, n);
    let axis = BLACK.stroke_width(c.stroke(1.0));
    let w = root.dim_in_pixel().0 as i32;
    for &t in ts.iter().filter(|&&t| t >= chart.x.0 && t <= chart.x.1) {
        let (tx, _) = chart.backend_coord(&(t, 0.0));
        root.path(&[(tx, y1), (tx, y1 + c.px(4.0))], &axis)?;
        // Centred under the tick, kept inside the canvas (the plot reaches its right margin).
        let half = widest / 2 + 1;
        let px = tx.clamp(half, (w - half).max(half));
        root.text(&chart_number(Some(t), dec), (px, row(0)), &font)?;
        if cs.is_empty() {
            continue;
        }
        for (k, g) in groups.iter().enumerate() {
            let Some(s) = cs.iter().find(|s| s.group == *g) else {
                continue;
            };
            let f = font.color(c.groups.color(g).to_rgba());
            root.text(&at_risk(s, t).to_string(), (px, row(2 + k as i32)), &f)?;
        }
    }
    if cs.is_empty() {
        return Ok(());
    }
    let left = font.pos(HPos::Left, VPos::Top);
    root.text("Number at risk", (c.px(8.0), row(1)), &left)?;
    // Each row's group, right-aligned left of the plot, cut to the room there.
    let room = x0 - c.px(8.0) - widest / 2 - c.px(4.0);
    let right = font.pos(HPos::Right, VPos::Top);
    for (k, g) in groups.iter().enumerate() {
        let name = fit(root, g, &right, room)?;
        if !name.is_empty() {
            let f = right.color(c.groups.color(g).to_rgba());
            root.text(&name, (x0 - widest / 2 - c.px(4.0), row(2 + k as i32)), &f)?;
        }
    }
    Ok(())
}

/// `text` (at most `MAX_LABEL` characters) cut to `room` pixels, ending in "…" when cut; empty
/// when not even one character fits.
pub(super) fn fit<DB: DrawingBackend>(
    root: &Surface<DB>,
    text: &str,
    font: &super::surface::Font,
    room: i32,
) -> Res<String> {
    let mut name = truncate(text, MAX_LABEL);
    while !name.is_empty() && root.text_size(&name, font)?.0 > room {
        let keep = name.chars().count().saturating_sub(2);
        name = name.chars().take(keep).collect::<String>();
        if !name.is_empty() {
            name.push('…');
        }
    }
    Ok(name)
}

pub fn describe(c: &Ctx, opts: &ChartOptions) -> String {
    let e = endpoint(c, opts);
    describe_with(c, e, &curves(c, e))
}

fn describe_with(c: &Ctx, e: Option<Endpoint>, cs: &[&SurvivalEntry]) -> String {
    if cs.is_empty() {
        return "Kaplan–Meier: no endpoints (death, tracheostomy, ventilation) in the data."
            .to_string();
    }
    let mut s = format!(
        "Kaplan–Meier curves of time to {} ({}), by group:",
        e.map(Endpoint::label).unwrap_or("the endpoint"),
        c.time_label().to_lowercase()
    );
    for k in cs {
        s.push_str(&format!(
            " {}: {} patients, {} events, {};",
            truncate(&k.group, MAX_LABEL),
            k.n,
            k.events,
            match k.median_months {
                Some(m) => {
                    // an undefined limit as R prints it
                    let ci = |x: Option<f64>| match x {
                        Some(_) => chart_number(x, 1),
                        None => "NA".to_string(),
                    };
                    format!(
                        "median {} months (95% CI {}–{})",
                        chart_number(Some(m), 1),
                        ci(k.median_ci_low),
                        ci(k.median_ci_high)
                    )
                }
                None => "median not reached".into(),
            }
        ));
    }
    s.pop();
    s.push('.');
    let groups = cs.len();
    if let Some(p) = log_rank_p(c, e, groups) {
        s.push_str(&format!(" {}.", p.replacen("log-rank", "Log-rank", 1)));
    }
    s.push_str(" Ticks mark censored patients; the numbers under the axis are those at risk.");
    s
}
