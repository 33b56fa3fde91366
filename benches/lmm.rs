//! Timing of the model fits on large synthetic cohorts (not a test):
//!
//!     cargo bench --bench lmm
//!
//! 1. The linear mixed model: 5,000 patients × ~15 visits (~75,000 observations), generated
//!    deterministically with an inline LCG; fits `score ~ 1 + t + t_after + (1 + t | patient)` by
//!    REML (with Satterthwaite df) and prints the wall time of each repetition and the median.
//! 2. D50 curves for 10,000 patients: the pipeline benchmark's cohort (`synth --design lead-in
//!    --patients 10000 --seed 42 --monthly-follow-up 11`, ALSFRS-R with onset dates), parsed once;
//!    the median wall time of `fit_d50` (on all cores, as the analysis runs it) over 7 runs, and
//!    the time of one pass on one core. Target: ≤ 100 ms (issue #24).

use als_progression::models::lmm::fit_lmm;
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
    fn normal(&mut self) -> f64 {
        // Irwin–Hall(12) − 6 ≈ N(0, 1); plenty for a benchmark
        (0..12).map(|_| self.next()).sum::<f64>() - 6.0
    }
}

fn main() {
    lmm();
    d50();
}

fn d50() {
    use als_progression::models::d50::{fit_d50, fit_d50_curve};
    use als_progression::settings::{Settings, MONTH_DAYS};
    use als_progression::synth::{generate_with, Design};
    let text = generate_with(Design::LeadIn, 10_000, 42, Some(11));
    let parsed = als_progression::pipeline::parse(&text, &Settings::default()).expect("parse");
    let ds = &parsed.dataset;
    println!("\nD50: {} patients (synth --design lead-in --patients 10000 --seed 42 --monthly-follow-up 11)", ds.patients.len());
    let mut times = Vec::new();
    let mut fitted = 0;
    for _ in 0..7 {
        let t0 = Instant::now();
        let out = fit_d50(ds, MONTH_DAYS, false);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        fitted = out.iter().filter(|e| e.curve.is_some()).count();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "fit_d50 (all cores): median {:.1} ms, min {:.1} ms over 7 runs ({fitted} of {} patients fitted)",
        times[3],
        times[0],
        ds.patients.len()
    );
    // One core: the curves alone, patient after patient.
    let mi = als_progression::data::Measure::AlsfrsR.index();
    let curves: Vec<(Vec<f64>, Vec<f64>)> = ds
        .patients
        .iter()
        .filter_map(|p| {
            let on = p.onset?;
            let (t, y) = p
                .visits
                .iter()
                .filter_map(|v| v.scores.get(mi).map(|s| ((v.day - on) / MONTH_DAYS, s)))
                .unzip();
            Some((t, y))
        })
        .collect();
    let t0 = Instant::now();
    let n = curves
        .iter()
        .filter(|(t, y)| fit_d50_curve(t, y).is_some())
        .count();
    println!(
        "fit_d50_curve, one core: {:.1} ms for {} curves ({n} fitted)",
        t0.elapsed().as_secs_f64() * 1e3,
        curves.len()
    );
}

fn lmm() {
    let m = 5_000;
    let mut r = Lcg(20240501);
    let (mut y, mut x, mut t, mut g) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..m {
        let nv = 10 + (r.next() * 11.0) as usize; // 10..=20 visits, mean 15
        let ev = 60.0 + (r.next() * 120.0).round();
        let (b0, b1) = (3.0 * r.normal(), 0.3 * r.normal());
        let mut day = 0.0;
        for _ in 0..nv {
            let ti = (day - ev) / (365.25 / 12.0);
            let ta = ti.max(0.0);
            let score = (38.0 + b0 + (-0.9 + b1) * ti + 0.3 * ta + 1.2 * r.normal())
                .round()
                .clamp(0.0, 48.0);
            y.push(score);
            x.push(vec![1.0, ti, ta]);
            t.push(ti);
            g.push(i);
            day += 30.0 + (r.next() * 30.0).round();
        }
    }
    let names: Vec<String> = ["(Intercept)", "t", "t_after"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    println!("{} patients, {} observations", m, y.len());
    let mut times = Vec::new();
    for rep in 0..7 {
        let t0 = Instant::now();
        let fit = fit_lmm(&y, &x, &names, &t, &g, true).expect("fit");
        let dt = t0.elapsed().as_secs_f64();
        times.push(dt);
        if rep == 0 {
            for f in &fit.fixed {
                println!(
                    "  {:12} {:>10.5} (SE {:.5}, df {:.1})",
                    f.term,
                    f.estimate,
                    f.se,
                    f.df.unwrap_or(f64::NAN)
                );
            }
            println!(
                "  sd_int {:.4} sd_slope {:.4} corr {:?} sigma {:.4} REMLcrit {:.4} converged {} evaluations {}",
                fit.sd_intercept, fit.sd_slope, fit.corr, fit.sigma, fit.criterion, fit.converged, fit.evaluations
            );
        }
        println!(
            "  run {rep}: {:.1} ms theta {:?} crit {:.10}",
            dt * 1e3,
            fit.theta,
            fit.criterion
        );
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("median {:.1} ms", times[times.len() / 2] * 1e3);
}
