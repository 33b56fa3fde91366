//! Benchmark (not a test): the peak resident memory of one whole analysis (parse + analyse +
//! tests, as the CLI runs it: the input text is dropped once parsed) for
//! - 1,000,000 one-visit patients (`patient,date,alsfrs_r`, ~30 MB of text), issue #27's case:
//!   memory must grow linearly with the number of patients, with a small constant (target ≤ 1 GB);
//! - 100,000 one-visit patients, to show the growth is linear (the per-patient figure is the
//!   difference divided by 900,000);
//! - the same 1,000,000 with the default settings (the mixed models and D50 fits on, as the CLI
//!   runs by default; the models are refused by lme4's count check, the D50 fits by the missing
//!   onsets, but each patient has a D50 entry);
//! - the 10,000-patient cohort of the pipeline bench (`synth --design lead-in --patients 10000
//!   --seed 42 --monthly-follow-up 11`).
//!
//! Each case runs in a process of its own (the peak, `VmHWM`, only ever grows in a process).
//! Run: `cargo bench --bench memory`. Prints the figures.

use als_progression::pipeline::{analyze, parse};
use als_progression::settings::Settings;
use als_progression::synth::{generate_with, Design};
use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

/// The CLI's allocator (src/bin/als-progression.rs), so that these are the CLI's figures.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TARGET_MB: f64 = 1024.0;

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// `n` patients seen once each: an id, an ISO date, an ALSFRS-R total.
fn one_visit(n: usize) -> String {
    let mut t = String::with_capacity(n * 32);
    t.push_str("patient,date,alsfrs_r\n");
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let _ = writeln!(t, "P{i:07},2020-{month:02}-{day:02},{}", 20 + i % 29);
    }
    t
}

fn case(name: &str) {
    let text = match name {
        "one-visit-1m" | "one-visit-1m-defaults" => one_visit(1_000_000),
        "one-visit-100k" => one_visit(100_000),
        "cohort" => generate_with(Design::LeadIn, 10_000, 42, Some(11)),
        other => panic!("unknown case {other}"),
    };
    let input_mb = text.len() as f64 / 1e6;
    let before = peak_rss_mb();
    let settings = if name == "one-visit-1m-defaults" {
        Settings::default()
    } else {
        Settings {
            mixed_models: false,
            d50: false,
            ..Settings::default()
        }
    };
    let start = Instant::now();
    // As the CLI: the text dropped once parsed.
    let parsed = parse(&text, &settings).expect("the text parses");
    drop(text);
    let analysis = analyze(&parsed, &settings);
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let peak = peak_rss_mb();
    println!(
        "{name}: {} patients analysed from {input_mb:.1} MB of text in {ms:.0} ms; \
         peak resident memory {peak:.1} MB ({before:.1} MB with the text alone)",
        analysis.patients.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--case") {
        case(&args[i + 1]);
        return;
    }
    let exe = std::env::current_exe().expect("the bench's own path");
    let mut peaks = Vec::new();
    for name in [
        "one-visit-100k",
        "one-visit-1m",
        "cohort",
        "one-visit-1m-defaults",
    ] {
        let out = Command::new(&exe)
            .args(["--case", name])
            .output()
            .expect("the bench runs a case");
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() {
            println!(
                "{name}: failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        }
        println!("{line}");
        let peak = line
            .split("peak resident memory ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(f64::NAN);
        peaks.push(peak);
    }
    if let [p100k, p1m, _, p1m_defaults] = peaks[..] {
        let ok = |p: f64| if p <= TARGET_MB { "ok" } else { "OVER" };
        println!(
            "growth: {:.0} bytes per one-visit patient between 100,000 and 1,000,000; \
             1M peak {p1m:.0} MB, target ≤ {TARGET_MB:.0} MB: {}; with the default settings \
             (model fits on) {p1m_defaults:.0} MB: {}",
            (p1m - p100k) * 1024.0 * 1024.0 / 900_000.0,
            ok(p1m),
            ok(p1m_defaults)
        );
    }
}
