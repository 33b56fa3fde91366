//! Per-patient analysis of one measure: periods split by events, OLS slope per period,
//! pre- and post-event rates, ΔFS, % improvement and responder status.

use super::{PatientResult, Period};
use crate::data::date::IsoDate;
use crate::data::{Measure, Patient, TimeAxis};
use crate::settings::{PreSource, Settings, TimeOrigin};
use crate::stats;
use std::borrow::Cow;

/// A pre-rate closer to zero than this (units/month) makes % improvement undefined.
pub const ZERO_RATE: f64 = 1e-9;

/// Why a result has no post-rate: the reason its note gives, as a value (the analysis reports it
/// in a diagnostic without reading the note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPostRate {
    /// No visit after the first event (death or dropout).
    NoVisitsAfter,
    /// This many visits on or after the first event, on fewer than 2 dates.
    FewDates(usize),
}

impl NoPostRate {
    /// The note that says so (also the diagnostic's reason).
    pub fn note(self) -> Cow<'static, str> {
        match self {
            NoPostRate::NoVisitsAfter => {
                "no visits after the first event (death or dropout): no post-rate".into()
            }
            NoPostRate::FewDates(n) => {
                format!("{n} visit(s) after the first event on fewer than 2 dates: no post-rate")
                    .into()
            }
        }
    }
}

/// The day that is t = 0 for this patient, and its name.
pub fn origin(p: &Patient, s: &Settings) -> (f64, &'static str) {
    let first_visit = p.visits.first().map(|v| v.day).unwrap_or(0.0);
    match s.time_origin {
        TimeOrigin::FirstEvent => match p.events.first() {
            Some(e) => (e.day, "first_event"),
            None => (first_visit, "first_visit"),
        },
        TimeOrigin::FirstVisit => (first_visit, "first_visit"),
        TimeOrigin::Onset => match p.onset {
            Some(o) => (o, "onset"),
            None => (first_visit, "first_visit"),
        },
    }
}

pub(super) fn month_days(s: &Settings) -> f64 {
    s.month_len()
}

fn distinct_times(xs: &[f64]) -> usize {
    let mut n = 0;
    let mut last = f64::NAN;
    for &x in xs {
        if x != last {
            n += 1;
            last = x;
        }
    }
    n
}

/// OLS of (t, y) → (slope, se, ci, intercept); None below 2 distinct times.
fn fit(t: &[f64], y: &[f64]) -> Option<stats::Ols> {
    if distinct_times(t) < 2 {
        return None;
    }
    stats::ols(t, y).filter(|o| o.slope.is_finite() && o.intercept.is_finite())
}

/// `format!("{before}{n}")` followed by `after`, without the formatting machinery.
fn message(before: &str, n: usize, after: &[&str]) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut v = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let len = before.len() + (digits.len() - at) + after.iter().map(|a| a.len()).sum::<usize>();
    let mut s = String::with_capacity(len);
    s.push_str(before);
    // ASCII digits
    s.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
    for a in after {
        s.push_str(a);
    }
    s
}

const NO_VISITS: &str = "no visits in this period";
macro_rules! two_visits {
    () => {
        "only 2 visits: slope from 2 points"
    };
}
macro_rules! one_visit {
    () => {
        "1 visit(s) on fewer than 2 dates: no slope"
    };
}
const TWO_VISITS: &str = two_visits!();
const ONE_VISIT: &str = one_visit!();
/// A period's warning with the period's name, for the names and reasons that are constants: not
/// a string per patient (every one-visit patient has one).
const NAMED_WARNINGS: [(&str, &str, &str); 6] = [
    (
        "whole course",
        ONE_VISIT,
        concat!("whole course: ", one_visit!()),
    ),
    (
        "whole course",
        TWO_VISITS,
        concat!("whole course: ", two_visits!()),
    ),
    (
        "before treatment",
        ONE_VISIT,
        concat!("before treatment: ", one_visit!()),
    ),
    (
        "before treatment",
        TWO_VISITS,
        concat!("before treatment: ", two_visits!()),
    ),
    (
        "before the index date",
        ONE_VISIT,
        concat!("before the index date: ", one_visit!()),
    ),
    (
        "before the index date",
        TWO_VISITS,
        concat!("before the index date: ", two_visits!()),
    ),
];
/// The reason of a period between two events that is shorter than the patient's visit schedule
/// and has no visits of its own (`Period::shorter_than_schedule`): expected, not a warning.
pub const SHORTER_THAN_SCHEDULE: &str =
    "shorter than the visit schedule, no visits of its own: no slope (expected)";

/// The patient's visit schedule: the median gap between consecutive visit dates (days); None
/// with fewer than 2 dates.
fn schedule(days: &[f64]) -> Option<f64> {
    let gaps: Vec<f64> = days
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|g| *g > 0.0)
        .collect();
    stats::median(&gaps)
}

fn pct(pre: f64, rate: f64) -> Option<f64> {
    if pre.abs() < ZERO_RATE {
        None
    } else {
        let v = (pre - rate) / pre.abs() * 100.0;
        v.is_finite().then_some(v)
    }
}

/// Buffers reused from one patient to the next (one per thread).
#[derive(Default)]
pub(super) struct Scratch {
    buf: Vec<f64>,
    fits: Vec<(std::ops::Range<usize>, Option<stats::Ols>)>,
    /// A result's notes and warnings as they are written (copied out at their length).
    notes: Vec<Cow<'static, str>>,
    warnings: Vec<Cow<'static, str>>,
}

pub fn analyze_patient(
    p: &Patient,
    m: Measure,
    axis: TimeAxis,
    s: &Settings,
) -> Option<PatientResult> {
    analyze_patient_with(p, m, axis, s, &mut Scratch::default()).map(|(r, _)| r)
}

/// [`analyze_patient`], with buffers kept for the next patient; and why there is no post-rate,
/// when there is an event but no post-rate.
pub(super) fn analyze_patient_with(
    p: &Patient,
    m: Measure,
    axis: TimeAxis,
    s: &Settings,
    scratch: &mut Scratch,
) -> Option<(PatientResult, Option<NoPostRate>)> {
    let (mut r, why) = analyze(p, m, axis, s, scratch)?;
    // The notes and warnings at their length (a list grows to 4 places at its first push): a
    // million one-visit patients hold ~100 MB less. The buffers go back to the scratch.
    let exact = |buf: &mut Vec<Cow<'static, str>>| {
        let mut v = Vec::with_capacity(buf.len());
        v.append(buf);
        std::mem::replace(buf, v)
    };
    scratch.notes = exact(&mut r.notes);
    scratch.warnings = exact(&mut r.warnings);
    Some((r, why))
}

fn analyze(
    p: &Patient,
    m: Measure,
    axis: TimeAxis,
    s: &Settings,
    scratch: &mut Scratch,
) -> Option<(PatientResult, Option<NoPostRate>)> {
    let md = month_days(s);
    let (t0, _) = origin(p, s);
    let to_t = |day: f64| (day - t0) / md;
    let date = |day: f64| {
        (axis == TimeAxis::Dates && day.is_finite() && day.abs() < 3.0e6)
            .then(|| IsoDate(day.floor() as i64))
    };
    // Days, times and scores of this measure's visits, sorted by day (visits are sorted).
    let n_obs = p
        .visits
        .iter()
        .filter(|v| v.scores.get(m.index()).is_some())
        .count();
    if n_obs == 0 {
        return None;
    }
    // Days, scores and times in one buffer.
    let Scratch {
        buf,
        fits,
        notes,
        warnings,
    } = scratch;
    buf.clear();
    buf.resize(3 * n_obs, 0.0);
    let (days, rest) = buf.split_at_mut(n_obs);
    let (all_y, all_t) = rest.split_at_mut(n_obs);
    let obs = p
        .visits
        .iter()
        .filter_map(|v| v.scores.get(m.index()).map(|x| (v.day, x)));
    for (i, (day, x)) in obs.enumerate() {
        days[i] = day;
        all_y[i] = x;
        all_t[i] = to_t(day);
    }
    let (days, all_y, all_t) = (&*days, &*all_y, &*all_t);
    // Every period is a contiguous range of these.
    let range =
        |lo: f64, hi: f64| days.partition_point(|&d| d < lo)..days.partition_point(|&d| d <= hi);
    // Fits by range: the pre- and post-event fits are often a period's fit already.
    fits.clear();
    let mut fit_range = |rg: std::ops::Range<usize>| -> Option<stats::Ols> {
        if let Some((_, f)) = fits.iter().find(|(r, _)| *r == rg) {
            return f.clone();
        }
        let f = fit(&all_t[rg.clone()], &all_y[rg.clone()]);
        fits.push((rg, f.clone()));
        f
    };
    let mut r = PatientResult {
        id: p.id.clone(),
        group: p.group.clone(),
        measure: m,
        n_visits: n_obs,
        delta_fs: None,
        periods: Vec::with_capacity(p.events.len() + 1),
        course_rate: None,
        course_rate_se: None,
        course_rate_ci_low: None,
        course_rate_ci_high: None,
        pre_rate: None,
        pre_source: None,
        post_rate: None,
        change: None,
        improvement_pct: None,
        improvement_unreliable: false,
        period_improvement_pct: Box::default(),
        responder: None,
        first_event: p.events.first().map(|e| to_t(e.day)),
        notes: std::mem::take(notes),
        warnings: std::mem::take(warnings),
        lost_data: false,
        staging: None,
    };

    // ΔFS at the first visit.
    if m.has_delta_fs() {
        // One ΔFS (the staging's classes read the same): `baseline::delta_fs`.
        match p.onset {
            Some(_) => match super::baseline::delta_fs(p, m, md) {
                Some(d) => r.delta_fs = Some(d),
                None => r
                    .warnings
                    .push("onset is not before the first visit: no ΔFS".into()),
            },
            None => r.notes.push("no onset date: no ΔFS".into()),
        }
    }

    // Periods: k events make k + 1 periods; a visit on an event's day belongs to both neighbours.
    let ev = |i: usize| p.events[i].day;
    let n_ev = p.events.len();
    let labels: Vec<&str> = p.events.iter().map(|e| &*e.label).collect();
    let visit_gap = if n_ev > 1 { schedule(days) } else { None };
    let mut period0_warning = None;
    let last_day = days[n_obs - 1];
    let first_day = days[0];
    for i in 0..=n_ev {
        let lo = if i == 0 { f64::NEG_INFINITY } else { ev(i - 1) };
        let hi = if i == n_ev { f64::INFINITY } else { ev(i) };
        let rg = range(lo, hi);
        let ts = &all_t[rg.clone()];
        let start_day = if i == 0 { first_day.min(hi) } else { lo };
        let end_day = if i == n_ev { last_day.max(lo) } else { hi };
        let f = fit_range(rg);
        let name = super::period_name::period_name(i, &labels);
        // Between two events, no slope, and shorter than the gap between visits: the expected
        // gap of two injections close together; said once in the diagnostics, not per patient.
        let short = i > 0 && i < n_ev && f.is_none() && visit_gap.is_some_and(|g| hi - lo < g);
        let warning: Option<Cow<'static, str>> = if short {
            Some(Cow::Borrowed(SHORTER_THAN_SCHEDULE))
        } else if ts.is_empty() {
            Some(Cow::Borrowed(NO_VISITS))
        } else if f.is_none() && ts.len() == 1 {
            Some(Cow::Borrowed(ONE_VISIT))
        } else if f.is_none() {
            Some(Cow::Owned(message(
                "",
                ts.len(),
                &[" visit(s) on fewer than 2 dates: no slope"],
            )))
        } else if ts.len() < 3 {
            Some(Cow::Borrowed(TWO_VISITS))
        } else {
            None
        };
        if let Some(w) = &warning {
            if !ts.is_empty() && !short {
                if i == 0 {
                    period0_warning = Some(r.warnings.len());
                }
                let known = NAMED_WARNINGS
                    .iter()
                    .find(|(n, reason, _)| *n == name && *reason == w.as_ref());
                r.warnings.push(match known {
                    Some(&(_, _, both)) => Cow::Borrowed(both),
                    None => {
                        let mut s = String::with_capacity(name.len() + 2 + w.len());
                        s.push_str(&name);
                        s.push_str(": ");
                        s.push_str(w);
                        Cow::Owned(s)
                    }
                });
            }
        }
        r.periods.push(Period {
            index: i,
            name,
            shorter_than_schedule: short,
            start: to_t(start_day),
            end: to_t(end_day),
            start_date: date(start_day),
            end_date: date(end_day),
            n_visits: u32::try_from(ts.len()).unwrap_or(u32::MAX),
            slope: f.as_ref().map(|o| o.slope),
            slope_se: f.as_ref().and_then(|o| o.slope_se),
            slope_ci_low: f.as_ref().and_then(|o| o.slope_ci.map(|c| c.0)),
            slope_ci_high: f.as_ref().and_then(|o| o.slope_ci.map(|c| c.1)),
            intercept: f.as_ref().map(|o| o.intercept),
            rate: f.as_ref().map(|o| m.rate_from_slope(o.slope)),
            event: if i == 0 {
                None
            } else {
                Some(p.events[i - 1].label.clone())
            },
            warning,
        });
    }

    // The whole course (without events, period 0's fit, from the cache).
    if let Some(o) = fit_range(0..n_obs) {
        let sign = m.rate_from_slope(1.0);
        r.course_rate = Some(m.rate_from_slope(o.slope));
        r.course_rate_se = o.slope_se;
        if let Some((lo, hi)) = o.slope_ci {
            let (a, b) = (sign * lo, sign * hi);
            r.course_rate_ci_low = Some(a.min(b));
            r.course_rate_ci_high = Some(a.max(b));
        }
    }

    let Some(e1) = p.events.first().map(|e| e.day) else {
        r.notes
            .push("no event (injection/treatment/index date): no pre vs post comparison".into());
        return Some((r, None));
    };

    // Pre-rate.
    let pre_rg = range(f64::NEG_INFINITY, e1);
    let n_pre = pre_rg.len();
    let last_pre = pre_rg.clone().last().map(|i| (days[i], all_y[i]));
    let lead_in = fit_range(pre_rg).map(|o| m.rate_from_slope(o.slope));
    let onset_rate = || -> Result<f64, String> {
        let on = p.onset.ok_or("no onset date")?;
        let (day, score) = last_pre.ok_or("no visit on or before the first event")?;
        let months = (day - on) / md;
        if months <= 0.0 {
            return Err("onset is not before the last pre-event visit".into());
        }
        Ok(m.loss(score) / months)
    };
    let want = match s.pre_source {
        PreSource::Auto => {
            if lead_in.is_some() {
                PreSource::LeadIn
            } else {
                PreSource::Onset
            }
        }
        other => other,
    };
    match want {
        PreSource::LeadIn | PreSource::Auto => match lead_in {
            Some(v) => {
                r.pre_rate = Some(v);
                r.pre_source = Some(PreSource::LeadIn);
            }
            None => r.notes.push(
                format!(
                    "lead-in has {} visit(s) on fewer than 2 dates: no lead-in pre-rate",
                    n_pre
                )
                .into(),
            ),
        },
        PreSource::Onset => match onset_rate() {
            Ok(v) => {
                r.pre_rate = Some(v);
                r.pre_source = Some(PreSource::Onset);
                // Without a lead-in, period 0 having no slope is expected, not worth a warning.
                if let Some(k) = period0_warning {
                    r.warnings.remove(k);
                }
            }
            Err(e) => r.notes.push(format!("no onset-based pre-rate: {e}").into()),
        },
    }

    // Post-rate: every visit on or after the first event.
    let post_rg = range(e1, f64::INFINITY);
    let n_post = post_rg.len();
    let mut no_post_rate = None;
    match fit_range(post_rg) {
        Some(o) => r.post_rate = Some(m.rate_from_slope(o.slope)),
        None => {
            let after = days.iter().filter(|&&d| d > e1).count();
            let why = if after == 0 {
                NoPostRate::NoVisitsAfter
            } else {
                NoPostRate::FewDates(n_post)
            };
            r.notes.push(why.note());
            no_post_rate = Some(why);
        }
    }

    if let Some(pre) = r.pre_rate {
        if pre.abs() < ZERO_RATE {
            r.notes
                .push("pre-rate is zero: % improvement undefined".into());
        }
        if let Some(post) = r.post_rate {
            r.change = Some(pre - post);
            r.improvement_pct = pct(pre, post);
        }
        r.period_improvement_pct = r
            .periods
            .iter()
            .skip(1)
            .map(|pd| pd.rate.and_then(|x| pct(pre, x)))
            .collect();
        // Below the floor (and not zero, where % improvement is undefined): still computed, but a
        // small denominator makes it extreme; flagged, and no responder class.
        r.improvement_unreliable = pre.abs() >= ZERO_RATE && pre.abs() < s.improvement_floor;
        if r.improvement_unreliable {
            r.notes.push(
                "pre-rate below the improvement floor: % improvement unreliable, not classed as responder or non-responder"
                    .into(),
            );
        }
        if let Some(ip) = r.improvement_pct.filter(|_| !r.improvement_unreliable) {
            let abs_ok = s
                .responder_abs
                .is_none_or(|a| r.change.is_some_and(|c| c >= a));
            r.responder = Some(ip > s.responder_pct && abs_ok);
        }
    } else {
        r.period_improvement_pct = vec![None; r.periods.len().saturating_sub(1)].into();
    }
    Some((r, no_post_rate))
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_is_format() {
        for n in [0usize, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            assert_eq!(super::message("a ", n, &[" b"]), format!("a {n} b"));
            assert_eq!(
                super::message("a ", n, &[": ", "c d"]),
                format!("a {n}: c d")
            );
            assert_eq!(super::message("", n, &[]), n.to_string());
        }
    }
}
