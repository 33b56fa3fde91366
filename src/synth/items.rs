//! The item-level example (issue #23): ALSFRS-R items 1–12 (5a, or 5b after a gastrostomy) every
//! 3 months, with the baseline columns of the TRICALS risk profile (diagnosis date, age at onset,
//! site of onset, El Escorial, FTD), a treatment start, and deaths. For the stage timeline, the
//! ΔFS classes and the risk profile; synthetic, like every design.
//!
//! Each item declines linearly from a start time that depends on the site of onset (bulbar onset:
//! items 1–3 first; spinal: the arms or the legs first; breathing last), so scores never rise
//! and the plausibility checks stay quiet. A patient whose swallowing (item 3) falls to 1 has a
//! gastrostomy: item 5 is answered as 5b from then on. One visit of one patient lacks item 12 (an
//! undetermined stage), and one patient lacks the El Escorial category (no risk profile, with
//! the input named).

use super::{date, Rng, MD};
use crate::data::date::days_from_civil;
use std::fmt::Write;

/// Item declines: (first month of decline after onset, points per month) for items 1–12 (item 5
/// is 5a/5b).
fn item_course(rng: &mut Rng, bulbar: bool, arms_first: bool, speed: f64) -> [(f64, f64); 12] {
    let mut c = [(0.0, 0.0); 12];
    for (i, slot) in c.iter_mut().enumerate() {
        let region_first = match i {
            0..=2 => bulbar,
            3..=5 => !bulbar && arms_first,
            6..=8 => !bulbar && !arms_first,
            _ => false,
        };
        let start = if region_first {
            rng.range(0.0, 4.0)
        } else if i >= 9 {
            rng.range(20.0, 40.0)
        } else {
            rng.range(5.0, 20.0)
        };
        *slot = (start, speed * rng.range(0.08, 0.2));
    }
    c
}

pub(super) fn items(out: &mut String, rng: &mut Rng, n: usize) {
    out.push_str(
        "patient,visit_date,onset_date,diagnosis_date,age_at_onset,site_of_onset,el_escorial,ftd,\
         fvc,q1,q2,q3,q4,q5a,q5b,q6,q7,q8,q9,q10,q11,q12,event,death_date\n",
    );
    let base = days_from_civil(2018, 2, 5).unwrap_or(0) as f64;
    let width = (n as f64).log10().ceil().max(2.0) as usize + 1;
    for i in 0..n {
        let id = format!("SYN-{:0width$}", i + 1);
        let day0 = base + (i as f64 * 11.0) % 400.0;
        let months_since_onset = rng.range(6.0, 30.0);
        let onset = day0 - (months_since_onset * MD).round();
        let diagnosis = onset + (rng.range(0.5, 0.9) * months_since_onset * MD).round();
        let bulbar = i % 3 == 1;
        let arms_first = rng.unif() < 0.5;
        // Speeds from slow to fast; the first three cover the ΔFS classes.
        let speed = match i {
            0 => 0.3,
            1 => 0.7,
            2 => 1.6,
            _ => rng.range(0.3, 1.8),
        };
        let course = item_course(rng, bulbar, arms_first, speed);
        let age = rng.range(42.0, 78.0).round();
        let site = if bulbar { "bulbar" } else { "spinal" };
        let el = if i == 4 {
            ""
        } else {
            ["definite", "probable", "possible", "probable"][rng.int(0, 3) as usize]
        };
        let ftd = if rng.unif() < 0.12 { "yes" } else { "no" };
        let fvc0 = rng.range(70.0, 105.0);
        let fvc_rate = speed * rng.range(0.4, 0.9);
        let mut gastrostomy = false;
        let mut death = None;
        for k in 0..8 {
            let t = k as f64 * 3.0; // months from the first visit
            let since = months_since_onset + t;
            let q: Vec<u8> = course
                .iter()
                .map(|&(start, rate)| {
                    (4.0 - rate * (since - start).max(0.0))
                        .round()
                        .clamp(0.0, 4.0) as u8
                })
                .collect();
            if q[2] <= 1 {
                gastrostomy = true;
            }
            let total: u32 = q.iter().map(|&x| u32::from(x)).sum();
            let day = day0 + (t * MD).round() + if k == 0 { 0.0 } else { rng.int(-4, 4) as f64 };
            // Death when the total falls low: recorded on this visit's row, a month on.
            if total < 14 && k > 0 {
                death = Some(day + 30.0);
            }
            let cell = |j: usize| q[j].to_string();
            let (q5a, q5b) = if gastrostomy {
                (String::new(), cell(4))
            } else {
                (cell(4), String::new())
            };
            let q12 = if i == 5 && k == 2 {
                String::new()
            } else {
                cell(11)
            };
            let fvc = (fvc0 - fvc_rate * t + 2.0 * rng.normal())
                .clamp(10.0, 130.0)
                .round();
            let first = k == 0;
            let b = |s: String| if first { s } else { String::new() };
            let ev = if k == 2 { "treatment start" } else { "" };
            let _ = writeln!(
                out,
                "{id},{},{},{},{},{},{},{},{fvc},{},{},{},{},{q5a},{q5b},{},{},{},{},{},{},{q12},{ev},{}",
                date(day),
                b(date(onset)),
                b(date(diagnosis)),
                b(age.to_string()),
                b(site.to_string()),
                b(el.to_string()),
                b(ftd.to_string()),
                cell(0),
                cell(1),
                cell(2),
                cell(3),
                cell(5),
                cell(6),
                cell(7),
                cell(8),
                cell(9),
                cell(10),
                death.map(date).unwrap_or_default()
            );
            if death.is_some() {
                break;
            }
        }
    }
}
