//! Golden outputs: the JSON, CSV and text the tool writes for each design data set
//! (tests/data/design-*.csv) and for tests/data/edge-cases.csv (every kind of note and diagnostic
//! the analysis writes), and the SVG of every chart for two designs, byte for byte as committed in
//! tests/data/golden/. They guard refactoring: a change of structure must not change
//! one byte of what the tool writes. (The numbers themselves are checked against R elsewhere:
//! tests/designs.rs and the modules' tests.)
//!
//! When an output is meant to change, regenerate the files and review the diff before committing:
//!
//! ```text
//! ALS_BLESS=1 cargo test --test golden
//! git diff tests/data/golden/
//! ```

use als_progression::charts::{render_svg, ChartKind, ChartOptions};
use als_progression::output::{survival_csv, to_csv, to_json, to_text};
use als_progression::pipeline;
use als_progression::settings::Settings;
use std::path::PathBuf;

const DESIGNS: [&str; 5] = ["lead-in", "controls", "repeated", "two-arm", "deaths"];

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn design_text(design: &str) -> String {
    std::fs::read_to_string(data(&format!("design-{design}.csv"))).unwrap()
}

/// Compares `actual` with the golden file `name` (or writes it with `ALS_BLESS=1`); the name of
/// a file that differs, with the first differing line.
fn check(name: &str, actual: &str) -> Option<String> {
    let path = data("golden").join(name);
    if std::env::var_os("ALS_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (ALS_BLESS=1 writes it)", path.display()));
    if expected == actual {
        return None;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{name} differs from line {}:\n  golden: {:?}\n  now:    {:?}",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>")
    ))
}

fn assert_all(failures: Vec<String>) {
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `analyze --format json|csv|text` with default settings, as the CLI writes them.
#[test]
fn json_csv_and_text_of_every_design_are_unchanged() {
    let mut failures = Vec::new();
    for design in DESIGNS.into_iter().chain(["edge-cases"]) {
        let text = match design {
            "edge-cases" => std::fs::read_to_string(data("edge-cases.csv")).unwrap(),
            _ => design_text(design),
        };
        let a = pipeline::run(&text, &Settings::default()).unwrap();
        failures.extend(check(&format!("{design}.json"), &(to_json(&a) + "\n")));
        failures.extend(check(&format!("{design}.csv"), &to_csv(&a)));
        failures.extend(check(&format!("{design}.txt"), &to_text(&a)));
        if design == "deaths" {
            failures.extend(check("deaths.survival.csv", &survival_csv(&a)));
        }
    }
    assert_all(failures);
}

/// With `--include-series` (two designs), and with `--ml` (mixed models by ML) for one.
#[test]
fn json_with_series_and_by_ml_is_unchanged() {
    let mut failures = Vec::new();
    let series = Settings {
        include_series: true,
        ..Default::default()
    };
    for design in ["lead-in", "two-arm"] {
        let a = pipeline::run(&design_text(design), &series).unwrap();
        failures.extend(check(
            &format!("{design}.series.json"),
            &(to_json(&a) + "\n"),
        ));
    }
    let ml = Settings {
        reml: false,
        ..Default::default()
    };
    let a = pipeline::run(&design_text("two-arm"), &ml).unwrap();
    failures.extend(check("two-arm.ml.json", &(to_json(&a) + "\n")));
    assert_all(failures);
}

/// Every chart of two designs as SVG (the patient chart of the first patient, model overlays on),
/// and the survival charts of the deaths example.
#[test]
fn charts_are_unchanged() {
    let mut failures = Vec::new();
    let settings = Settings {
        include_series: true,
        ..Default::default()
    };
    for design in ["lead-in", "two-arm"] {
        let a = pipeline::run(&design_text(design), &settings).unwrap();
        let opts = ChartOptions {
            selected: a.patients.first().map(|p| p.id.to_string()),
            show_models: true,
            ..Default::default()
        };
        for kind in ChartKind::ALL {
            let svg = render_svg(kind, &a, &opts).unwrap();
            failures.extend(check(&format!("{design}.{}.svg", kind.name()), &svg));
        }
    }
    // The survival charts of the deaths example (the Kaplan–Meier chart with its CI band).
    let a = pipeline::run(&design_text("deaths"), &settings).unwrap();
    for kind in [ChartKind::Survival, ChartKind::Cafs] {
        let opts = ChartOptions {
            selected: a.patients.first().map(|p| p.id.to_string()),
            ci_band: true,
            ..Default::default()
        };
        let svg = render_svg(kind, &a, &opts).unwrap();
        failures.extend(check(&format!("deaths.{}.svg", kind.name()), &svg));
    }
    assert_all(failures);
}

/// The command-line tool writes exactly the golden JSON and text (it goes through the same
/// pipeline; this checks the wiring).
#[test]
fn the_cli_writes_the_golden_files() {
    let bin = env!("CARGO_BIN_EXE_als-progression");
    let mut failures = Vec::new();
    for (args, golden) in [
        (vec!["--format", "json"], "lead-in.json"),
        (vec!["--format", "text"], "lead-in.txt"),
        (
            vec!["--format", "json", "--include-series"],
            "lead-in.series.json",
        ),
        (vec!["--format", "json", "--ml"], "two-arm.ml.json"),
        (vec!["--format", "survival-csv"], "deaths.survival.csv"),
    ] {
        let design = golden.split('.').next().unwrap();
        let input = data(&format!("design-{design}.csv"));
        let out = std::process::Command::new(bin)
            .arg("analyze")
            .arg(&input)
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        if std::env::var_os("ALS_BLESS").is_some_and(|v| v == "1") {
            continue; // the library tests above write the files
        }
        failures.extend(check(golden, &String::from_utf8(out.stdout).unwrap()));
    }
    assert_all(failures);
}

/// The item-level example (issue #23: stages, ΔFS classes, the TRICALS profile, `synth --design
/// items`): JSON, CSV, text and the stages CSV; and the committed data set is the page's example.
#[test]
fn the_item_level_example_is_unchanged() {
    let text = design_text("items");
    assert_eq!(
        Some(text.clone()),
        als_progression::synth::example_text("items"),
        "tests/data/design-items.csv is `synth --design items --patients 16 --seed 2015`"
    );
    let a = pipeline::run(&text, &Settings::default()).unwrap();
    assert!(!a.stages.is_empty());
    let mut failures = Vec::new();
    failures.extend(check("items.json", &(to_json(&a) + "\n")));
    failures.extend(check("items.csv", &to_csv(&a)));
    failures.extend(check("items.txt", &to_text(&a)));
    failures.extend(check(
        "items.stages.csv",
        &als_progression::output::staging::stages_csv(&a),
    ));
    let opts = ChartOptions {
        selected: a.patients.first().map(|p| p.id.to_string()),
        ..Default::default()
    };
    let svg = render_svg(ChartKind::Swimmer, &a, &opts).unwrap();
    failures.extend(check("items.swimmer.svg", &svg));
    assert_all(failures);
}
