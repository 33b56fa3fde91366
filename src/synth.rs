//! Synthetic cohorts shaped like the trials the tool was made for — for demos, teaching, tests
//! and benchmarks. Every file says it is synthetic (a leading `#` comment line and `SYN-` ids).
//! Deterministic: the same design, size and seed give the same text on every platform.
//! [`proact_tables`]: a cohort as a PRO-ACT extract's tables; [`template_csv`]: a template to
//! fill in.

use crate::data::date::{days_from_civil, iso_from_days};
use std::fmt::Write;

mod deaths;
mod items;
mod proact;
mod template;
pub use proact::proact_tables;
pub use template::template_csv;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// 3-month lead-in, then 2 injections 26 days apart; one death before treatment.
    LeadIn,
    /// Treated (lead-in + injections) vs matched controls with an index date.
    Controls,
    /// 1–4 injections at 3–6-month intervals, onset dates, no lead-in; one withdrawal.
    Repeated,
    /// IV vs intrathecal arms on the original ALSFRS (0–40) and FVC, with dropouts and a death.
    TwoArm,
    /// ALSFRS-R items (5a/5b) every 3 months with the risk profile's baseline columns (#23).
    Items,
    /// Placebo vs active arm with deaths, tracheostomies and PAV (the survival endpoints).
    Deaths,
}

impl Design {
    pub const ALL: [Design; 6] = [
        Design::LeadIn,
        Design::Controls,
        Design::Repeated,
        Design::TwoArm,
        Design::Items,
        Design::Deaths,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Design::LeadIn => "lead-in",
            Design::Controls => "controls",
            Design::Repeated => "repeated",
            Design::TwoArm => "two-arm",
            Design::Items => "items",
            Design::Deaths => "deaths",
        }
    }
    pub fn from_name(s: &str) -> Option<Design> {
        Design::ALL.into_iter().find(|d| d.name() == s)
    }
    pub fn title(self) -> &'static str {
        match self {
            Design::LeadIn => "Lead-in then 2 injections 26 days apart (synthetic)",
            Design::Controls => "Treated vs matched controls with an index date (synthetic)",
            Design::Repeated => "1–4 injections at 3–6-month intervals, onset dates (synthetic)",
            Design::TwoArm => "IV vs intrathecal arms, ALSFRS 0–40 and FVC (synthetic)",
            Design::Items => {
                "ALSFRS-R items: King's and MiToS stages, ΔFS classes, TRICALS profile (synthetic)"
            }
            Design::Deaths => "Placebo vs active arm with deaths and ventilation (synthetic)",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            Design::LeadIn => "Monthly ALSFRS-R, FVC and Appel score over a 3-month lead-in, two intrathecal injections 26 days apart, 12 months of follow-up; one patient dies before treatment. Shaped like Oh et al. 2015.",
            Design::Controls => "Treated patients (lead-in, two injections) and matched controls whose index date is marked as an event. Shaped like Kim et al. 2009.",
            Design::Repeated => "Repeated intrathecal injections (1 to 4, 3–6 months apart) with symptom-onset dates and no lead-in: the pre-rate comes from onset. One patient withdraws before the first injection. Shaped like Karussis et al. 2021.",
            Design::TwoArm => "Intravenous vs intrathecal arms scored on the original ALSFRS (0–40) and FVC at 24 h, 2, 4, 6 and 12 months, with dropouts and a death; time given in months. Shaped like the Royan Institute phase I trial.",
            Design::Items => "ALSFRS-R items 1–12 (5b after a gastrostomy) every 3 months for up to 2 years, with diagnosis date, age at onset, site of onset, El Escorial category and FTD; a treatment start at the third visit; fast progressors die. Shows King's and MiToS stages per visit, the ΔFS classes and the TRICALS risk profile.",
            Design::Deaths => "A placebo-controlled trial: ALSFRS-R 6 and 3 months before the first dose, at it and every 3 months to month 18; deaths (a death_date column), tracheostomies and permanent ventilation (event rows) during follow-up, some dropouts. For the survival curves, log-rank and Cox tests and CAFS.",
        }
    }
    /// Patients in the page's example of this design.
    pub fn example_size(self) -> usize {
        match self {
            Design::LeadIn => 12,
            Design::Controls => 20,
            Design::Repeated => 20,
            Design::TwoArm => 14,
            Design::Items => 16,
            Design::Deaths => 40,
        }
    }
}

/// splitmix64: tiny, portable, deterministic.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unif(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unif()
    }
    fn int(&mut self, a: i64, b: i64) -> i64 {
        a + (self.next() % ((b - a + 1) as u64)) as i64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.unif().max(1e-300);
        let u2 = self.unif();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

const MD: f64 = 365.25 / 12.0;

/// A patient's course: score(t) for t in months since first event, piecewise linear.
struct Course {
    start: f64,
    pre_slope: f64,
    post_slope: f64,
}
impl Course {
    fn at(&self, t: f64) -> f64 {
        self.start + self.pre_slope * t.min(0.0) + self.post_slope * t.max(0.0)
    }
}

fn clamp_round(x: f64, lo: f64, hi: f64) -> f64 {
    x.round().clamp(lo, hi)
}

/// Generate a cohort as CSV text (long layout).
pub fn generate(design: Design, patients: usize, seed: u64) -> String {
    generate_with(design, patients, seed, None)
}

/// [`generate`], with the lead-in and controls designs' follow-up optionally replaced by a visit
/// every month for `monthly_follow_up` months after the first event (`synth
/// --monthly-follow-up M`; the other designs have their own schedules and ignore it).
pub fn generate_with(
    design: Design,
    patients: usize,
    seed: u64,
    monthly_follow_up: Option<u32>,
) -> String {
    let mut rng = Rng(seed ^ 0x5EED_0000 ^ (design as u64) << 32);
    let mut out = String::with_capacity(patients * 600);
    let monthly = match (design, monthly_follow_up) {
        (Design::LeadIn | Design::Controls, Some(m)) => Some(m),
        _ => None,
    };
    let _ = write!(
        out,
        "# SYNTHETIC DATA, not real patients: als-progression synth --design {} --patients {patients} --seed {seed}",
        design.name()
    );
    if let Some(m) = monthly {
        let _ = write!(out, " --monthly-follow-up {m}");
    }
    out.push('\n');
    match design {
        Design::LeadIn | Design::Controls => lead_in(
            &mut out,
            &mut rng,
            patients,
            design == Design::Controls,
            monthly,
        ),
        Design::Repeated => repeated(&mut out, &mut rng, patients),
        Design::TwoArm => two_arm(&mut out, &mut rng, patients),
        Design::Items => items::items(&mut out, &mut rng, patients),
        Design::Deaths => deaths::deaths(&mut out, &mut rng, patients),
    }
    out
}

fn date(day: f64) -> String {
    iso_from_days(day).unwrap_or_default()
}

fn dmy(day: f64) -> String {
    // dd/mm/yyyy, as European spreadsheets write dates.
    let iso = date(day);
    format!("{}/{}/{}", &iso[8..10], &iso[5..7], &iso[0..4])
}

fn lead_in(out: &mut String, rng: &mut Rng, n: usize, controls: bool, monthly: Option<u32>) {
    out.push_str(if controls {
        "patient,group,visit_date,alsfrs_r,fvc,event,onset\n"
    } else {
        "patient,group,visit_date,alsfrs_r,fvc,aals,event,onset\n"
    });
    let base = days_from_civil(2013, 1, 7).unwrap_or(0) as f64;
    let width = (n as f64).log10().ceil().max(2.0) as usize + 1;
    let monthly_visits: Vec<f64> = (1..=monthly.unwrap_or(0)).map(f64::from).collect();
    for i in 0..n {
        let id = format!("SYN-{:0width$}", i + 1);
        let control = controls && i % 2 == 1;
        let group = if control { "Control" } else { "MSC" };
        let day0 = base + (i as f64 * 9.0) % 700.0 + rng.int(0, 6) as f64;
        let onset = day0 - rng.range(10.0, 30.0) * MD;
        let pre = -rng.range(0.4, 1.8);
        let effect = if control {
            rng.normal() * 0.15
        } else {
            0.35 + 0.35 * rng.normal()
        };
        let als = Course {
            start: rng.range(30.0, 42.0),
            pre_slope: pre,
            post_slope: pre * (1.0 - effect),
        };
        let fpre = -rng.range(0.8, 3.0);
        let fvc = Course {
            start: rng.range(60.0, 100.0),
            pre_slope: fpre,
            post_slope: fpre * (1.0 - effect),
        };
        let apre = rng.range(1.0, 3.5);
        let aals = Course {
            start: rng.range(50.0, 90.0),
            pre_slope: apre,
            post_slope: apre * (1.0 - effect),
        };
        // One death before treatment (the third patient in the lead-in design).
        let died_before = !controls && i == 2;
        let followup: &[f64] = match monthly {
            Some(_) => &monthly_visits,
            None => &[1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0],
        };
        let mut rows: Vec<(f64, &str)> = vec![(-3.0, ""), (-2.0, ""), (-1.0, "")];
        if !died_before {
            rows.push((0.0, if control { "index" } else { "injection 1" }));
            if !control {
                rows.push((26.0 / MD, "injection 2"));
            }
            // Some drop out early.
            let last = if rng.unif() < 0.1 {
                followup.len().min(4)
            } else {
                followup.len()
            };
            rows.extend(followup[..last].iter().map(|&t| (t, "")));
        }
        for (t, ev) in rows {
            let jitter = if t == 0.0 || !ev.is_empty() {
                0.0
            } else {
                rng.int(-3, 3) as f64
            };
            let day = day0 + (t * MD).round() + jitter;
            let tt = (day - day0) / MD;
            let is_event_only = ev == "injection 2";
            let on = if t == -3.0 {
                date(onset)
            } else {
                String::new()
            };
            let d = if controls { dmy(day) } else { date(day) };
            if is_event_only {
                if controls {
                    let _ = writeln!(out, "{id},{group},{d},,,{ev},");
                } else {
                    let _ = writeln!(out, "{id},{group},{d},,,,{ev},");
                }
                continue;
            }
            let a = clamp_round(als.at(tt) + 0.7 * rng.normal(), 0.0, 48.0);
            let f = (fvc.at(tt) + 2.5 * rng.normal()).clamp(5.0, 150.0).round();
            if controls {
                let _ = writeln!(out, "{id},{group},{d},{a},{f},{ev},{on}");
            } else {
                let s = clamp_round(aals.at(tt) + 1.5 * rng.normal(), 30.0, 164.0);
                let _ = writeln!(out, "{id},{group},{d},{a},{f},{s},{ev},{on}");
            }
        }
    }
}

fn repeated(out: &mut String, rng: &mut Rng, n: usize) {
    out.push_str("patient,visit_date,alsfrs_r,fvc,event,onset\n");
    let base = days_from_civil(2014, 3, 3).unwrap_or(0) as f64;
    let width = (n as f64).log10().ceil().max(2.0) as usize + 1;
    for i in 0..n {
        let id = format!("SYN-{:0width$}", i + 1);
        let day0 = base + (i as f64 * 13.0) % 500.0;
        let months_since_onset = rng.range(8.0, 30.0);
        let onset = day0 - (months_since_onset * MD).round();
        let score0 = clamp_round(48.0 - rng.range(0.5, 1.2) * months_since_onset, 21.0, 47.0);
        let on = date(onset);
        if i == n / 2 {
            // Withdrew before the first injection: a screening visit only.
            let _ = writeln!(
                out,
                "{id},{},{score0},{},,{on}",
                date(day0 - 14.0),
                rng.int(60, 95)
            );
            continue;
        }
        let pre = (48.0 - score0) / months_since_onset;
        let n_inj = rng.int(1, 4) as usize;
        let mut t = 0.0;
        let mut injections = vec![0.0];
        for _ in 1..n_inj {
            t += rng.int(3, 6) as f64;
            injections.push(t);
        }
        let end = t + rng.int(3, 6) as f64;
        let mut score = score0;
        let mut fvc = rng.range(60.0, 100.0);
        let mut last_t = 0.0;
        let mut k = 0;
        let mut visit = 0.0;
        while visit <= end + 1e-9 {
            let is_inj = injections.iter().any(|&x| (x - visit).abs() < 1e-9);
            if is_inj {
                k += 1;
            }
            // Each injection slows decline for a while; longer intervals lose more of the effect.
            let since_inj = visit
                - injections
                    .iter()
                    .copied()
                    .filter(|&x| x <= visit)
                    .fold(0.0, f64::max);
            let effect = (0.6 * (-since_inj / 5.0).exp() + 0.2 * rng.normal()).min(1.3);
            let dt = visit - last_t;
            score -= pre * (1.0 - effect) * dt;
            fvc -= 1.5 * (1.0 - effect) * dt;
            last_t = visit;
            let s = clamp_round(score + 0.6 * rng.normal(), 0.0, 48.0);
            let f = (fvc + 2.0 * rng.normal()).clamp(5.0, 150.0).round();
            let ev = if is_inj {
                format!("injection {k}")
            } else {
                String::new()
            };
            let d = date(day0 + (visit * MD).round());
            let o = if visit == 0.0 { on.as_str() } else { "" };
            let _ = writeln!(out, "{id},{d},{s},{f},{ev},{o}");
            visit += 1.0;
        }
    }
}

fn two_arm(out: &mut String, rng: &mut Rng, n: usize) {
    out.push_str("subject,arm,month,alsfrs,fvc,event,onset\n");
    let width = (n as f64).log10().ceil().max(2.0) as usize + 1;
    let n_iv = (n * 3) / 7;
    for i in 0..n {
        let id = format!("SYN-{:0width$}", i + 1);
        let iv = i < n_iv.max(1);
        let arm = if iv { "IV" } else { "IT" };
        let months_since_onset = rng.range(10.0, 30.0);
        let start = clamp_round(40.0 - rng.range(0.3, 0.8) * months_since_onset, 12.0, 39.0);
        let pre = (40.0 - start) / months_since_onset;
        let effect = if iv {
            0.1 + 0.3 * rng.normal()
        } else {
            0.3 + 0.3 * rng.normal()
        };
        let course = Course {
            start,
            pre_slope: -pre,
            post_slope: -pre * (1.0 - effect),
        };
        let fpre = rng.range(0.8, 2.5);
        let fvc = Course {
            start: rng.range(55.0, 95.0),
            pre_slope: -fpre,
            post_slope: -fpre * (1.0 - effect),
        };
        let onset = format!("{:.1}", -months_since_onset);
        let times: &[f64] = &[0.0, 0.03, 2.0, 4.0, 6.0, 12.0];
        // Dropouts: one death after month 4, some stop after month 6.
        let last = if i == n - 1 {
            4
        } else if rng.unif() < 0.2 {
            5
        } else {
            times.len()
        };
        for (k, &t) in times[..last].iter().enumerate() {
            let a = clamp_round(course.at(t) + 0.6 * rng.normal(), 0.0, 40.0);
            let f = (fvc.at(t) + 2.0 * rng.normal()).clamp(5.0, 150.0).round();
            let ev = if t == 0.0 {
                if iv {
                    "IV injection"
                } else {
                    "IT injection"
                }
            } else {
                ""
            };
            let on = if k == 0 { onset.as_str() } else { "" };
            let _ = writeln!(out, "{id},{arm},{t},{a},{f},{ev},{on}");
        }
    }
}

/// The page's examples: (name, title, description).
pub fn examples() -> Vec<(&'static str, &'static str, &'static str)> {
    Design::ALL
        .iter()
        .map(|d| (d.name(), d.title(), d.description()))
        .collect()
}

/// The example data set of a design (fixed size and seed).
pub fn example_text(name: &str) -> Option<String> {
    let d = Design::from_name(name)?;
    Some(generate(d, d.example_size(), 2015))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_labelled() {
        for d in Design::ALL {
            let a = generate(d, 30, 7);
            assert_eq!(a, generate(d, 30, 7));
            assert_ne!(a, generate(d, 30, 8));
            assert!(a.starts_with("# SYNTHETIC DATA"));
            assert!(a.contains("SYN-"));
        }
    }

    #[test]
    fn monthly_follow_up() {
        // The option is recorded on the first line and changes only the follow-up schedule.
        let text = generate_with(Design::Controls, 40, 3, Some(11));
        assert!(text
            .lines()
            .next()
            .unwrap()
            .ends_with("--seed 3 --monthly-follow-up 11"));
        let a = crate::pipeline::run(&text, &Default::default()).unwrap();
        assert!(a
            .diagnostics
            .iter()
            .all(|d| d.severity != crate::diag::Severity::Error));
        // Each patient: 3 lead-in visits, the index/injection visit, then 11 monthly visits, or
        // 4 of them for those who drop out.
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for line in text.lines().skip(2) {
            let id = line.split(',').next().unwrap().to_string();
            *counts.entry(id).or_default() += 1;
        }
        let treated_extra = |id: &str| {
            let i: usize = id[4..].parse().unwrap();
            // Odd-numbered patients (SYN-001, SYN-003, …) are treated: a row for the 2nd injection.
            usize::from(i % 2 == 1)
        };
        for (id, n) in &counts {
            let base = 4 + treated_extra(id);
            assert!(*n == base + 11 || *n == base + 4, "{id}: {n} rows");
        }
        assert!(counts.values().filter(|&&n| n >= 15).count() > 30);
        // Other designs keep their own schedules; without the option the text is `generate`'s.
        assert_eq!(
            generate_with(Design::Repeated, 20, 3, Some(11)),
            generate(Design::Repeated, 20, 3)
        );
        assert_eq!(
            generate_with(Design::LeadIn, 20, 3, None),
            generate(Design::LeadIn, 20, 3)
        );
    }

    #[test]
    fn examples_parse_cleanly() {
        for (name, _, _) in examples() {
            let text = example_text(name).unwrap();
            let a = crate::pipeline::run(&text, &Default::default()).unwrap();
            let errors: Vec<_> = a
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::diag::Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
            assert!(!a.patients.is_empty());
        }
    }
}
