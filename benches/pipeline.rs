//! Benchmark (not a test): parse + analyse + group tests on a 10,000-patient synthetic cohort of
//! ~150,000 rows (~6 MB), the size the targets are set for: `synth --design lead-in --patients
//! 10000 --seed 42 --monthly-follow-up 11` (three measures, ISO dates). A second cohort, the
//! controls design's own schedule (dd/mm/yyyy dates, two measures), follows for comparison.
//! Run: `cargo bench --bench pipeline`. Prints the figures; targets: ≤ 50 ms, ≤ 100 MB peak.
//! Last, a 10,000-patient PRO-ACT-style extract of six tables (`synth --design proact --patients
//! 10000 --seed 42`: ALSFRS.csv with items, FVC.csv with trials, AlsHistory, Treatment,
//! DeathData, Demographics), parsed and joined on the patient id (`pipeline::parse_tables`);
//! target ≤ 100 ms.

use als_progression::pipeline::{parse_tables, run, run_tables};
use als_progression::settings::Settings;
use als_progression::synth::{generate_with, proact_tables, Design};
use std::time::Instant;

/// The CLI's allocator (src/bin/als-progression.rs), so that these are the CLI's figures.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let mut before = 0.0;
    for (i, (design, monthly, cmd)) in [
        (
            Design::LeadIn,
            Some(11),
            "synth --design lead-in --patients 10000 --seed 42 --monthly-follow-up 11",
        ),
        (
            Design::Controls,
            None,
            "synth --design controls --patients 10000 --seed 42",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let text = generate_with(design, 10_000, 42, monthly);
        let rows = text.lines().count() - 2;
        println!(
            "{}input: 10,000 patients, {rows} rows, {:.1} MB ({cmd})",
            if i == 0 { "" } else { "\n" },
            text.len() as f64 / 1e6
        );
        if i == 0 {
            before = peak_rss_mb().unwrap_or(0.0);
        }
        bench(&text, before);
    }
    proact();
}

/// The PRO-ACT-style extract: parse + join, then the whole analysis (no model fits).
fn proact() {
    let tables = proact_tables(10_000, 42);
    let named: Vec<(&str, &str)> = tables.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let rows: usize = tables.iter().map(|(_, t)| t.lines().count() - 2).sum();
    let bytes: usize = tables.iter().map(|(_, t)| t.len()).sum();
    println!(
        "\ninput: 10,000 patients in 6 tables, {rows} rows, {:.1} MB (synth --design proact --patients 10000 --seed 42)",
        bytes as f64 / 1e6
    );
    let s = Settings {
        mixed_models: false,
        d50: false,
        ..Default::default()
    };
    for (label, analyse) in [
        ("parse + join (parse_tables)", false),
        ("parse + join + analyse + tests", true),
    ] {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..7 {
            let t = Instant::now();
            if analyse {
                n = run_tables(&named, &s).expect("analysis").patients.len();
            } else {
                n = parse_tables(&named, &s)
                    .expect("parse")
                    .dataset
                    .patients
                    .len();
            }
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{label}: median {:.1} ms, min {:.1} ms over 7 runs ({n} {})",
            times[3],
            times[0],
            if analyse {
                "patient-measure results"
            } else {
                "patients"
            }
        );
    }
}

fn bench(text: &str, before: f64) {
    for (label, s) in [
        (
            "parse + analyse + tests (no mixed models, no D50)",
            Settings {
                mixed_models: false,
                d50: false,
                ..Default::default()
            },
        ),
        (
            "parse + analyse + tests + mixed models + D50",
            Settings::default(),
        ),
    ] {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..7 {
            let t = Instant::now();
            let a = run(text, &s).expect("analysis");
            times.push(t.elapsed().as_secs_f64() * 1e3);
            n = a.patients.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{label}: median {:.1} ms, min {:.1} ms over 7 runs ({n} patient-measure results)",
            times[3], times[0]
        );
        if let Some(peak) = peak_rss_mb() {
            println!("  peak resident memory so far: {peak:.1} MB (of which {before:.1} MB before the first analysis, input text included)");
        }
    }
}
