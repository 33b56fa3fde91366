//! Stage timeline (swimmer chart, issue #23): one bar per patient with ALSFRS-R items, along the
//! time axis of the analysis (months, vertical), coloured by the King's stage of each visit from
//! that visit to the next; the last visit's stage is a short cap past it. A dated death
//! (`PatientResult::death_t`) is stage 5 from the death on: the bar runs to the death and ends in
//! a stage-5 cap there. An undetermined stage (missing items it depends on) is an outline. Patients in the order of the groups, then by
//! their last visit. Each bar is a hit target (at its top); the selected patient's bar is
//! outlined and labelled. Empty (a note) when the data has no items.

use super::axes::{build, Frame, XAxis};
use super::context::{Ctx, TEXT};
use super::coords::{hit, range};
use super::labels::{place, spot, Cover};
use super::legend::{LegendItem, Mark};
use super::marks::{note, truncate, MAX_LABEL};
use super::palette::{BLUE, GREY, INK, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION};
use super::surface::{Res, Surface};
use super::Hit;
use crate::analysis::StageEntry;
use crate::format::chart_number;
use crate::staging::kings::KingsStage;
use crate::staging::Stage;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Stage 0: a light grey.
const STAGE_0: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

/// The colour of a King's stage (ordered light → dark, 4A and 4B apart; 5 black).
fn color(s: KingsStage) -> RGBColor {
    match s {
        KingsStage::S0 => STAGE_0,
        KingsStage::S1 => SKY_BLUE,
        KingsStage::S2 => BLUE,
        KingsStage::S3 => REDDISH_PURPLE,
        KingsStage::S4A => ORANGE,
        KingsStage::S4B => VERMILLION,
        KingsStage::S5 => INK,
    }
}

/// One patient's bar: its visits' (t, stage) and its death's (stage 5), in time order.
struct Lane<'a> {
    id: &'a str,
    group: &'a str,
    visits: Vec<(f64, Option<KingsStage>)>,
    /// The dated death (months), one of `visits`.
    death: Option<f64>,
}

impl Lane<'_> {
    fn first(&self) -> f64 {
        self.visits.first().map_or(0.0, |v| v.0)
    }
    fn last(&self) -> f64 {
        self.visits.last().map_or(0.0, |v| v.0)
    }
}

fn prepare<'a>(c: &Ctx<'a>) -> Vec<Lane<'a>> {
    let mut lanes: Vec<Lane<'a>> = Vec::new();
    for s in &c.a.stages {
        let s: &'a StageEntry = s;
        if !s.t.is_finite() {
            continue;
        }
        match lanes.last_mut() {
            Some(l) if l.id == &*s.id => l.visits.push((s.t, s.kings)),
            _ => {
                let r = c.result_of(&s.id);
                lanes.push(Lane {
                    id: &s.id,
                    group: r.map_or("", |p| &*p.group),
                    visits: vec![(s.t, s.kings)],
                    death: r
                        .and_then(|p| p.staging().death_t)
                        .filter(|t| t.is_finite()),
                })
            }
        }
    }
    for l in &mut lanes {
        if let Some(d) = l.death {
            l.visits.push((d, Some(KingsStage::S5)));
        }
        crate::sort::sort_by(&mut l.visits, |a, b| a.0.total_cmp(&b.0));
    }
    let gi = |g: &str| c.groups.names.iter().position(|n| n == g);
    crate::sort::sort_by(&mut lanes, |a, b| {
        gi(a.group)
            .cmp(&gi(b.group))
            .then(b.last().total_cmp(&a.last()))
    });
    lanes
}

/// The chart and its description, from one preparation of its data.
pub fn render<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx) -> Res<(Vec<Hit>, String)> {
    let lanes = prepare(c);
    Ok((draw_with(root, c, &lanes)?, describe_with(c, &lanes)))
}

fn draw_with<DB: DrawingBackend>(root: &Surface<DB>, c: &Ctx, lanes: &[Lane]) -> Res<Vec<Hit>> {
    let n = lanes.len();
    let x = (-0.7, (n.max(1) as f64) - 0.3);
    let y0 = range(
        lanes.iter().flat_map(|l| l.visits.iter().map(|v| v.0)),
        &[0.0],
        0.05,
    );
    // The last visit's cap: 2% of the time range.
    let cap = 0.02 * (y0.1 - y0.0);
    let mut y = (y0.0, y0.1 + cap);
    let selected = lanes.iter().enumerate().find(|(_, l)| c.is_selected(l.id));
    if selected.is_some() {
        // Room for the selected patient's label above the bars.
        y.1 += 0.12 * (y.1 - y.0);
    }
    let half = if n > 300 { 0.5 } else { 0.4 };
    let cover: Vec<Cover> = lanes
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Cover::Area(
                (i as f64 - half, l.first()),
                (i as f64 + half, l.last() + cap),
            )
        })
        .collect();
    let mut items: Vec<LegendItem> = KingsStage::ALL
        .iter()
        .filter(|s| {
            lanes
                .iter()
                .any(|l| l.visits.iter().any(|v| v.1 == Some(**s)))
        })
        .map(|s| LegendItem::new(format!("King's {}", s), Mark::Swatch(color(*s).to_rgba())))
        .collect();
    if lanes.iter().any(|l| l.visits.iter().any(|v| v.1.is_none())) {
        items.push(LegendItem::new(
            "Undetermined (missing items)",
            Mark::Marker {
                shape: super::palette::Shape::Square,
                color: WHITE.to_rgba(),
                outline: GREY.to_rgba(),
            },
        ));
    }
    let frame = Frame {
        title: format!(
            "{} (King's stage per visit)",
            super::ChartKind::Swimmer.title()
        ),
        x,
        y,
        x_desc: format!("Patients with ALSFRS-R items (n = {n})"),
        y_desc: c.time_label().to_string(),
        x_axis: XAxis::Blank,
        legend: &items,
        cover: &cover,
    };
    let chart = build(root, c, &frame)?;
    if lanes.is_empty() {
        note(c, &chart, "No ALSFRS-R items")?;
        chart.finish(c)?;
        return Ok(Vec::new());
    }
    let outline = GREY.stroke_width(c.stroke(1.0));
    for (i, l) in lanes.iter().enumerate() {
        let xi = i as f64;
        for (k, &(t, st)) in l.visits.iter().enumerate() {
            let end = l.visits.get(k + 1).map_or(t + cap, |v| v.0);
            let (a, b) = ((xi - half, t), (xi + half, end));
            match st {
                Some(s) => chart.rect(a, b, color(s).filled())?,
                None => chart.rect(a, b, outline)?,
            }
        }
    }
    if let Some((i, l)) = selected {
        let xi = i as f64;
        chart.rect(
            (xi - half, l.first()),
            (xi + half, l.last() + cap),
            INK.stroke_width(c.stroke(2.0)),
        )?;
        let spots = [
            spot(0.0, -4.0, HPos::Center, VPos::Bottom),
            spot(6.0, -4.0, HPos::Left, VPos::Bottom),
            spot(-6.0, -4.0, HPos::Right, VPos::Bottom),
        ];
        place(
            &chart,
            c,
            &truncate(l.id, MAX_LABEL),
            &c.font(TEXT),
            (xi, l.last() + cap),
            &spots,
        )?;
    }
    let hits = lanes
        .iter()
        .enumerate()
        .map(|(i, l)| hit(&chart, l.id, (i as f64, l.last() + cap)))
        .collect();
    chart.finish(c)?;
    Ok(hits)
}

pub fn describe(c: &Ctx) -> String {
    describe_with(c, &prepare(c))
}

fn sequence(l: &Lane) -> String {
    l.visits
        .iter()
        .map(|v| match v.1 {
            None => "undetermined".to_string(),
            Some(s) if l.death == Some(v.0) => format!("{s} (death)"),
            Some(s) => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn describe_with(c: &Ctx, lanes: &[Lane]) -> String {
    if lanes.is_empty() {
        return "Stage timeline: no visit with ALSFRS-R items, so no King's or MiToS stages."
            .to_string();
    }
    let at_last: Vec<String> = KingsStage::ALL
        .iter()
        .filter_map(|s| {
            let k = lanes
                .iter()
                .filter(|l| l.visits.last().and_then(|v| v.1) == Some(*s))
                .count();
            (k > 0).then(|| format!("stage {s}: {k}"))
        })
        .collect();
    let undetermined = lanes
        .iter()
        .filter(|l| l.visits.last().is_some_and(|v| v.1.is_none()))
        .count();
    let deaths = lanes.iter().filter(|l| l.death.is_some()).count();
    let mut s = format!(
        "Stage timeline of {} patients with ALSFRS-R items: one bar per patient from the first to the last visit ({}), coloured by the King's stage of each visit until the next{}. At the end: {}{}.",
        lanes.len(),
        c.time_label().to_lowercase(),
        if deaths > 0 {
            format!("; {deaths} died: their bars run to the death, stage 5 from there")
        } else {
            String::new()
        },
        at_last.join(", "),
        if undetermined > 0 {
            format!(", undetermined: {undetermined}")
        } else {
            String::new()
        }
    );
    if let Some(l) = lanes.iter().find(|l| c.is_selected(l.id)) {
        s.push_str(&format!(
            " Highlighted: {}, King's {} (months {} to {}).",
            truncate(l.id, MAX_LABEL),
            sequence(l),
            chart_number(Some(l.first()), 1),
            chart_number(Some(l.last()), 1)
        ));
    }
    s
}
