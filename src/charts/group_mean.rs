//! Group mean ± SD (or SE) over time. Visit times are binned to the schedule: the bin width is
//! the median interval between a patient's visits, rounded to half a month (0.5–6 months).

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, SMALL, TEXT};
use super::coords::{hit, range};
use super::labels::{around, place, points, polyline, spot, Cover};
use super::legend::{group_items, LegendItem, Mark};
use super::marks::{line, note, outlined_markers, truncate, MAX_LABEL};
use super::palette::{GREY, INK};
use super::surface::{Res, Surface};
use super::Hit;
use crate::format::chart_number;
use crate::stats::median;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Point labels "n = …" are drawn up to this many points.
const MAX_N_LABELS: usize = 16;

struct Point {
    t: f64,
    n: usize,
    mean: f64,
    /// SD or SE; None with n < 2.
    err: Option<f64>,
}

struct Line {
    group: String,
    points: Vec<Point>,
}

/// Median within-patient interval between visits, rounded to 0.5 month, in [0.5, 6].
fn bin_width(c: &Ctx) -> f64 {
    let mut gaps: Vec<f64> = Vec::new();
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for s in &c.a.series {
        pts.clear();
        pts.extend(c.points_iter(s));
        gaps.extend(
            pts.windows(2)
                .map(|w| w[1].0 - w[0].0)
                .filter(|d| *d > 1e-9 && d.is_finite()),
        );
    }
    let d = median(&gaps).unwrap_or(1.0);
    ((d * 2.0).round() / 2.0).clamp(0.5, 6.0)
}

/// Stable sort of (bin, value) pairs by bin: a counting sort when the bins span a range of the
/// order of their number (always, for visit times: a 10,000-patient cohort has ~120,000 pairs in
/// a few dozen bins), else `crate::sort`. Not the standard library's stable sort: its copy for
/// these pairs was ~7 KB of the page's wasm; this is faster than it, and than `crate::sort`'s
/// indirect comparisons.
fn sort_bins(v: &mut [(i64, f64)]) {
    let (Some(lo), Some(hi)) = (v.iter().map(|p| p.0).min(), v.iter().map(|p| p.0).max()) else {
        return;
    };
    let span = hi.abs_diff(lo) as usize;
    if span > 4 * v.len() + 1024 {
        crate::sort::sort_by(v, |a, b| a.0.cmp(&b.0));
        return;
    }
    let mut start = vec![0usize; span + 2];
    for p in v.iter() {
        start[(p.0 - lo) as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut out = vec![(0i64, 0.0); v.len()];
    for p in v.iter() {
        let k = (p.0 - lo) as usize;
        out[start[k]] = *p;
        start[k] += 1;
    }
    v.copy_from_slice(&out);
}

fn prepare(c: &Ctx) -> (f64, Vec<Line>) {
    let w = bin_width(c);
    let key = |t: f64| (t / w).round().clamp(-1e9, 1e9) as i64;
    let mut lines = Vec::new();
    // One patient's (bin, score) pairs (reused).
    let mut own: Vec<(i64, f64)> = Vec::new();
    for g in &c.groups.names {
        // (bin, a patient's mean in that bin): patients in series order, each one's bins ascending.
        let mut means: Vec<(i64, f64)> = Vec::new();
        let mut n_patients = 0;
        for s in c.a.series.iter().filter(|s| *s.group == **g) {
            n_patients += 1;
            own.clear();
            own.extend(c.points_iter(s).map(|(t, y)| (key(t), y)));
            // Visits come in time order, so their bins do; else a stable sort (a bin's scores
            // still add in visit order).
            if !own.is_sorted_by_key(|p| p.0) {
                sort_bins(&mut own);
            }
            for run in own.chunk_by(|a, b| a.0 == b.0) {
                let mut sum = 0.0;
                for p in run {
                    sum += p.1;
                }
                means.push((run[0].0, sum / run.len() as f64));
            }
        }
        // Stable: within a bin the patients stay in series order.
        sort_bins(&mut means);
        let min_n = n_patients.clamp(1, 2);
        let points: Vec<Point> = means
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() >= min_n)
            .map(|run| {
                let k = run[0].0;
                let v = run.iter().map(|p| p.1);
                let n = run.len();
                let mean = v.clone().sum::<f64>() / n as f64;
                let err = (n >= 2).then(|| {
                    let sd = (v.map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
                    if c.se {
                        sd / (n as f64).sqrt()
                    } else {
                        sd
                    }
                });
                Point {
                    t: k as f64 * w,
                    n,
                    mean,
                    err: err.filter(|e| e.is_finite()),
                }
            })
            .filter(|p| p.mean.is_finite() && p.t.is_finite())
            .collect();
        if !points.is_empty() {
            lines.push(Line {
                group: g.clone(),
                points,
            });
        }
    }
    (w, lines)
}

fn err_name(c: &Ctx) -> &'static str {
    if c.se {
        "SE"
    } else {
        "SD"
    }
}

/// The chart and its description, from one preparation of its data.
pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let (w, lines) = prepare(c);
    Ok((draw_with(root, c, w, &lines)?, describe_with(c, w, &lines)))
}

fn draw_with<DB: DrawingBackend>(
    root: &Surface<DB>,
    c: &Ctx,
    w: f64,
    lines: &[Line],
) -> Res<Vec<Hit>> {
    let sel = c
        .selected
        .and_then(|id| c.a.series.iter().find(|s| &*s.id == id));
    let sel_pts = sel.map(|s| c.points(s)).unwrap_or_default();
    let all = || lines.iter().flat_map(|l| l.points.iter());
    let x = range(
        all().map(|p| p.t).chain(sel_pts.iter().map(|p| p.0)),
        &[],
        0.05,
    );
    let ys = all().flat_map(|p| {
        let e = p.err.unwrap_or(0.0);
        [p.mean - e, p.mean + e]
    });
    let y = range(ys.chain(sel_pts.iter().map(|p| p.1)), &[], 0.08);
    let k = lines.len() as f64;
    let dodge = |i: usize| w * 0.06 * (i as f64 - (k - 1.0) / 2.0);
    // Each line's points, dodged so that the groups' error bars do not coincide.
    let dodged: Vec<Vec<(f64, f64)>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| l.points.iter().map(|p| (p.t + dodge(i), p.mean)).collect())
        .collect();
    let mut cover = Vec::new();
    for (l, pts) in lines.iter().zip(&dodged) {
        polyline(&mut cover, pts);
        points(&mut cover, pts, 5.0, 1);
        for (p, &(px, _)) in l.points.iter().zip(pts) {
            if let Some(e) = p.err {
                cover.push(Cover::Line((px, p.mean - e), (px, p.mean + e)));
                for yv in [p.mean - e, p.mean + e] {
                    cover.push(Cover::Point((px, yv), 4.0));
                }
            }
        }
    }
    polyline(&mut cover, &sel_pts);
    points(&mut cover, &sel_pts, 3.0, 1);

    let mut items = group_items(
        c,
        &lines.iter().map(|l| l.group.clone()).collect::<Vec<_>>(),
        true,
    );
    items.push(LegendItem::new(
        format!("Error bars: ± {}", err_name(c)),
        Mark::Line {
            color: GREY.to_rgba(),
            width: 1.5,
            dashed: false,
        },
    ));
    let sel = sel.filter(|_| !sel_pts.is_empty());
    if let Some(s) = sel {
        items.push(LegendItem::new(
            format!("Selected: {}", truncate(&s.id, MAX_LABEL)),
            Mark::Line {
                color: INK.to_rgba(),
                width: 1.5,
                dashed: true,
            },
        ));
    }
    let frame = Frame {
        title: format!(
            "{}: {} (mean ± {})",
            super::ChartKind::GroupMean.title(),
            c.measure_name(),
            err_name(c)
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
            &format!("No {} visits to average", c.measure_name()),
        )?;
        return Ok(Vec::new());
    }
    let n_points: usize = lines.iter().map(|l| l.points.len()).sum();
    let cap = c.px(4.0);
    let mut hits = Vec::new();
    for (l, pts) in lines.iter().zip(&dodged) {
        let col = c.groups.color(&l.group);
        let st = col.stroke_width(c.stroke(1.5));
        for (p, &(px, _)) in l.points.iter().zip(pts) {
            let Some(e) = p.err else { continue };
            line(&chart, c, &[(px, p.mean - e), (px, p.mean + e)], st, false)?;
            for yv in [p.mean - e, p.mean + e] {
                chart.path_at((px, yv), &[(-cap, 0), (cap, 0)], st)?;
            }
        }
        line(&chart, c, pts, col.stroke_width(c.stroke(2.0)), false)?;
        outlined_markers(
            &chart,
            c,
            c.groups.shape(&l.group),
            pts,
            4.0,
            col.to_rgba(),
            INK.mix(0.7),
            1.0,
        )?;
        hits.extend(pts.iter().map(|&q| hit(&chart, &l.group, q)));
    }
    if let Some(s) = sel {
        line(&chart, c, &sel_pts, INK.stroke_width(c.stroke(1.5)), true)?;
        outlined_markers(
            &chart,
            c,
            super::palette::Shape::Circle,
            &sel_pts,
            2.5,
            INK.to_rgba(),
            INK.to_rgba(),
            1.0,
        )?;
        place(
            &chart,
            c,
            &truncate(&s.id, MAX_LABEL),
            &c.font(TEXT),
            sel_pts[sel_pts.len() - 1],
            &around(7.0),
        )?;
        hits.extend(sel_pts.iter().map(|&q| hit(&chart, &s.id, q)));
    }
    // "n=" by each point, where it is clear of the lines, bars and other labels (the counts are
    // in the description too).
    if n_points <= MAX_N_LABELS {
        // In the group's colour when there are several (whose n is it), else grey.
        let several = lines.len() > 1;
        let spots = [
            spot(6.0, 4.0, HPos::Left, VPos::Top),
            spot(6.0, -4.0, HPos::Left, VPos::Bottom),
            spot(-6.0, 4.0, HPos::Right, VPos::Top),
            spot(-6.0, -4.0, HPos::Right, VPos::Bottom),
            spot(0.0, 8.0, HPos::Center, VPos::Top),
            spot(0.0, -8.0, HPos::Center, VPos::Bottom),
        ];
        let over = [spot(0.0, -8.0, HPos::Center, VPos::Bottom)];
        let under = [spot(0.0, 8.0, HPos::Center, VPos::Top)];
        for (l, pts) in lines.iter().zip(&dodged) {
            let col = if several {
                c.groups.color(&l.group)
            } else {
                GREY
            };
            let style = c.font(SMALL).color(col.to_rgba());
            for (p, &q) in l.points.iter().zip(pts) {
                // By the point, else over the error bar's top, else under its bottom.
                let text = format!("n={}", p.n);
                let e = p.err.unwrap_or(0.0);
                let _ = place(&chart, c, &text, &style, q, &spots)?
                    || place(&chart, c, &text, &style, (q.0, q.1 + e), &over)?
                    || place(&chart, c, &text, &style, (q.0, q.1 - e), &under)?;
            }
        }
    }
    chart.finish(c)?;
    Ok(hits)
}

pub fn describe(c: &Ctx) -> String {
    let (w, lines) = prepare(c);
    describe_with(c, w, &lines)
}

fn describe_with(c: &Ctx, w: f64, lines: &[Line]) -> String {
    let name = c.measure_name();
    if lines.is_empty() {
        return format!("Group mean of {name} over time: no visits to average.");
    }
    let mut s = format!(
        "Mean {name} ({}) ± {} by group over time, visits binned to {}-month intervals ({}).",
        c.measure.unit(),
        err_name(c),
        chart_number(Some(w), 1),
        c.time_label().to_ascii_lowercase()
    );
    let n_points: usize = lines.iter().map(|l| l.points.len()).sum();
    for l in lines {
        let (a, b) = (&l.points[0], &l.points[l.points.len() - 1]);
        s.push_str(&format!(
            " {}: {} time points, mean {} at {} months (n = {}) to {} at {} months (n = {})",
            truncate(&l.group, MAX_LABEL),
            l.points.len(),
            chart_number(Some(a.mean), 1),
            chart_number(Some(a.t), 1),
            a.n,
            chart_number(Some(b.mean), 1),
            chart_number(Some(b.t), 1),
            b.n
        ));
        if n_points <= MAX_N_LABELS {
            // The chart's "n=" labels, every one (a label without room is left out there).
            let ns: Vec<String> = l.points.iter().map(|p| p.n.to_string()).collect();
            s.push_str(&format!("; patients per time point: {}", ns.join(", ")));
        }
        s.push('.');
    }
    if let Some(s2) = c
        .selected
        .and_then(|id| c.a.series.iter().find(|s| &*s.id == id))
    {
        s.push_str(&format!(
            " The selected patient {} is overlaid as a dashed black line.",
            truncate(&s2.id, MAX_LABEL)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::sort_bins;

    /// Bins in order, each bin's values in their first order; a wide span goes the other way.
    #[test]
    fn bins_sort_stably() {
        let mut v = vec![(3, 1.0), (-2, 2.0), (3, 3.0), (0, 4.0), (-2, 5.0), (3, 6.0)];
        sort_bins(&mut v);
        assert_eq!(
            v,
            vec![(-2, 2.0), (-2, 5.0), (0, 4.0), (3, 1.0), (3, 3.0), (3, 6.0)]
        );
        let mut w = vec![
            (1_000_000_000, 1.0),
            (-1_000_000_000, 2.0),
            (5, 3.0),
            (5, 4.0),
        ];
        sort_bins(&mut w);
        assert_eq!(
            w,
            vec![
                (-1_000_000_000, 2.0),
                (5, 3.0),
                (5, 4.0),
                (1_000_000_000, 1.0)
            ]
        );
        let mut e: Vec<(i64, f64)> = Vec::new();
        sort_bins(&mut e);
        assert!(e.is_empty());
    }
}
