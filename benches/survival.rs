//! Timing of the survival module (not a test): `cargo bench --bench survival`.
//!
//! A synthetic 10,000-patient cohort, two arms, generated deterministically with an inline LCG:
//! monthly visits (± a few days) over ~12 months, ALSFRS-R changes from baseline in whole points
//! (so changes tie, as real scores do), ~20% deaths, some early drop-outs, times in months from
//! daily dates (so follow-up and death times tie on the same day). Times:
//! * CAFS (scores by the sweep, ranks, the groups' means, the Wilcoxon rank sum test): target
//!   ≤ 50 ms;
//! * Kaplan–Meier per arm, the log-rank test and the Cox model (Efron) of the arm.
//!
//! * the analysis's survival step (`analysis::survival::outcomes`: times from parsed dates, both
//!   endpoints, pairs, CAFS) on a 10,000-patient `synth --design deaths` cohort.
//!
//! Prints each repetition and the median.

use als_progression::survival::{
    cafs, cox_efron, kaplan_meier_groups, log_rank, CafsPatient, Obs, Visit,
};
use std::time::Instant;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
}

const DAYS_PER_MONTH: f64 = 30.4375;

fn cohort(n: usize, seed: u64) -> Vec<CafsPatient> {
    let mut r = Lcg(seed);
    (0..n)
        .map(|i| {
            let group = i % 2;
            // hazard of death: ~20% die within 12 months, fewer in arm 1
            let rate = if group == 0 { 0.021 } else { 0.016 };
            let death_day = (-(1.0 - r.next()).ln() / rate * DAYS_PER_MONTH).round();
            let planned_day = if r.next() < 0.1 {
                (r.next() * 300.0).round() // drop-out
            } else {
                365.0
            };
            let died = death_day <= planned_day;
            let end_day = if died { death_day } else { planned_day };
            let slope = 0.5 + 1.5 * r.next() - 0.2 * group as f64; // points per month
            let mut visits = Vec::new();
            let mut last_day = 0.0;
            for m in 0..=12 {
                let day = (m as f64 * DAYS_PER_MONTH + (r.next() - 0.5) * 8.0)
                    .round()
                    .max(0.0);
                if day > end_day || (m > 0 && day <= last_day) {
                    break;
                }
                let change = if m == 0 {
                    0.0
                } else {
                    (-slope * day / DAYS_PER_MONTH + (r.next() - 0.5) * 3.0).round()
                };
                visits.push(Visit {
                    t: day / DAYS_PER_MONTH,
                    change,
                });
                last_day = day;
            }
            // alive: last known alive at the last visit
            let time = if died { end_day } else { last_day } / DAYS_PER_MONTH;
            CafsPatient {
                group,
                died,
                time,
                visits,
            }
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<T>(label: &str, reps: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut ms = Vec::new();
    for _ in 0..reps {
        let t0 = Instant::now();
        std::hint::black_box(f());
        ms.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let list: Vec<String> = ms.iter().map(|m| format!("{m:.1}")).collect();
    let med = median(ms);
    println!("{label}: median {med:.1} ms ({} ms)", list.join(", "));
    med
}

fn main() {
    let n = 10_000;
    let patients = cohort(n, 20260501);
    let visits: usize = patients.iter().map(|p| p.visits.len()).sum();
    let deaths = patients.iter().filter(|p| p.died).count();
    println!(
        "{n} patients, {visits} visits, {deaths} deaths ({:.0}%)",
        100.0 * deaths as f64 / n as f64
    );

    let res = cafs(&patients).expect("cafs");
    println!(
        "CAFS: mean score A {:.1}, B {:.1}, W = {}, p = {:.3e} ({})",
        res.mean_score_a,
        res.mean_score_b,
        res.statistic.unwrap_or(f64::NAN),
        res.p_value.unwrap_or(f64::NAN),
        res.method.as_deref().unwrap_or("-")
    );
    let cafs_ms = time("CAFS, 10,000 patients (target ≤ 50 ms)", 9, || {
        cafs(&patients).expect("cafs")
    });

    let mut arms: Vec<Vec<Obs>> = vec![Vec::new(), Vec::new()];
    for p in &patients {
        arms[p.group].push(Obs::new(p.time, p.died));
    }
    let groups: Vec<&[Obs]> = arms.iter().map(Vec::as_slice).collect();
    let km = kaplan_meier_groups(&groups).expect("km");
    let lr = log_rank(&groups).expect("log-rank");
    let cox = cox_efron(&groups).expect("cox");
    println!(
        "KM rows {} + {}; log-rank chi2 = {:.2} (p = {:.2e}); Cox HR = {:.3} ({} iterations)",
        km[0].curve.len(),
        km[1].curve.len(),
        lr.statistic,
        lr.p_value,
        cox.terms[0].hazard_ratio.unwrap_or(f64::NAN),
        cox.iterations
    );
    time("Kaplan–Meier, 2 arms", 9, || kaplan_meier_groups(&groups));
    time("log-rank", 9, || log_rank(&groups));
    time("Cox (Efron)", 9, || cox_efron(&groups));
    let all = time("KM + log-rank + Cox", 9, || {
        (
            kaplan_meier_groups(&groups),
            log_rank(&groups),
            cox_efron(&groups),
        )
    });
    println!("summary: CAFS {cafs_ms:.1} ms; KM + log-rank + Cox {all:.1} ms");

    // The analysis's survival step (#22) on a 10,000-patient deaths cohort from text: each
    // patient's times from the parsed dates, both endpoints' curves and tests, CAFS.
    let text = als_progression::synth::generate(als_progression::synth::Design::Deaths, n, 7);
    let settings = als_progression::settings::Settings {
        mixed_models: false,
        d50: false,
        ..Default::default()
    };
    let parsed = als_progression::pipeline::parse(&text, &settings).expect("parse");
    let a = als_progression::pipeline::analyze(&parsed, &settings);
    let groups = als_progression::analysis::groups_of(&parsed.dataset);
    let step = time(
        "analysis::survival::outcomes, 10,000-patient deaths cohort",
        9,
        || {
            als_progression::analysis::survival::outcomes(
                &parsed.dataset,
                &settings,
                &groups,
                &a.patients,
                a.measures.first().copied(),
            )
        },
    );
    println!(
        "summary: the analysis's survival step {step:.1} ms ({} curves, {} tests, CAFS n = {})",
        a.survival.len(),
        a.survival_tests.len(),
        a.cafs.first().map_or(0, |c| c.n)
    );
}
