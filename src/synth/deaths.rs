//! The deaths design (`synth --design deaths`, the page's fifth example): a placebo-controlled
//! two-arm trial where patients die or go on permanent ventilation during follow-up, for the
//! survival endpoints (issue #22). Lead-in visits 6 and 3 months before the first dose, then a visit every
//! 3 months to month 18; deaths by a `death_date` column, tracheostomies and PAV as event rows.
//! Faster decliners die sooner (the hazard grows with the decline rate), and the active arm
//! declines more slowly, so the survival curves and CAFS separate.

use super::{clamp_round, date, Course, Rng, MD};
use crate::data::date::days_from_civil;
use std::fmt::Write;

pub(super) fn deaths(out: &mut String, rng: &mut Rng, n: usize) {
    out.push_str("patient,arm,visit_date,alsfrs_r,event,death_date\n");
    let base = days_from_civil(2021, 3, 1).unwrap_or(0) as f64;
    let width = (n as f64).log10().ceil().max(2.0) as usize + 1;
    let visits = [-6.0, -3.0, 0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 18.0];
    for i in 0..n {
        let id = format!("SYN-{:0width$}", i + 1);
        let active = i % 2 == 1;
        let arm = if active { "Active" } else { "Placebo" };
        let day0 = base + (i as f64 * 11.0) % 365.0 + rng.int(0, 6) as f64;
        let pre = rng.range(0.5, 1.6);
        let post = pre
            * if active {
                0.7 + 0.15 * rng.normal()
            } else {
                1.0 + 0.1 * rng.normal()
            };
        let als = Course {
            start: rng.range(32.0, 44.0),
            pre_slope: -pre,
            post_slope: -post.max(0.05),
        };
        // Exponential time to death (months) with the rate growing with the decline: a median
        // of ~20 months at 1 point/month.
        let hazard = 0.035 * post.max(0.05).powf(1.5);
        let death = -rng.unif().max(1e-12).ln() / hazard;
        // About one in three gets permanent ventilation some months before death.
        let vent = (rng.unif() < 0.35).then(|| death - rng.range(2.0, 6.0));
        // Some stop coming after month 12 (censored at their last visit).
        let dropout = if rng.unif() < 0.15 { 12.0 } else { 18.0 };
        let mut first = true;
        for &t in &visits {
            if t > dropout || t >= death {
                break;
            }
            let day = day0 + t * MD + if t == 0.0 { 0.0 } else { rng.int(-5, 5) as f64 };
            if day >= day0 + death * MD {
                break;
            }
            let score = clamp_round(als.at(t) + 0.8 * rng.normal(), 0.0, 48.0);
            let event = if t == 0.0 { "first dose" } else { "" };
            let died = if first && death <= 18.0 && death <= dropout {
                date(day0 + death * MD)
            } else {
                String::new()
            };
            first = false;
            let _ = writeln!(out, "{id},{arm},{},{score},{event},{died}", date(day));
        }
        if let Some(v) = vent.filter(|&v| v > 0.0 && v <= dropout.min(18.0)) {
            let label = if rng.unif() < 0.5 {
                "tracheostomy"
            } else {
                "PAV"
            };
            let _ = writeln!(out, "{id},{arm},{},,{label},", date(day0 + v * MD));
        }
    }
}
