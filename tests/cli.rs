//! The command-line tool end to end: formats, settings flags, synth, chart, errors.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_als-progression");

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(BIN).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn analyze_json_keeps_the_documented_names() {
    let (code, out, err) = run(&["analyze", &data("design-lead-in.csv"), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in [
        "settings",
        "patients",
        "tests",
        "diagnostics",
        "summaries",
        "responders",
        "mixed_models",
        "d50",
        "input",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let p = &v["patients"][0];
    for k in [
        "id",
        "group",
        "measure",
        "delta_fs",
        "periods",
        "pre_rate",
        "pre_source",
        "post_rate",
        "improvement_pct",
        "period_improvement_pct",
        "responder",
    ] {
        assert!(p.get(k).is_some(), "patient missing {k}");
    }
    for k in [
        "index", "start", "end", "n_visits", "slope", "slope_se", "rate",
    ] {
        assert!(p["periods"][0].get(k).is_some(), "period missing {k}");
    }
    let t = &v["tests"][0];
    for k in [
        "kind",
        "measure",
        "group",
        "n",
        "statistic",
        "p_value",
        "method",
    ] {
        assert!(t.get(k).is_some(), "test missing {k}");
    }
    assert!(!out.contains("NaN") && !out.contains("Infinity"));
}

#[test]
fn the_json_schema_accepts_the_output() {
    // Every required top-level and patient field of docs/schema.json is present.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/docs/schema.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap(),
    )
    .unwrap();
    let (_, out, _) = run(&["analyze", &data("design-controls.csv")]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in schema["required"].as_array().unwrap() {
        assert!(v.get(k.as_str().unwrap()).is_some(), "{k}");
    }
    let preq = schema["$defs"]["patient"]["required"].as_array().unwrap();
    for p in v["patients"].as_array().unwrap() {
        for k in preq {
            assert!(p.get(k.as_str().unwrap()).is_some(), "{k}");
        }
    }
    let kinds = schema["$defs"]["test"]["properties"]["kind"]["enum"]
        .as_array()
        .unwrap();
    for t in v["tests"].as_array().unwrap() {
        assert!(kinds.contains(&t["kind"]), "{}", t["kind"]);
    }
}

#[test]
fn analyze_csv_and_text_and_stdin() {
    let (code, out, _) = run(&[
        "analyze",
        &data("design-two-arm.csv"),
        "--format",
        "csv",
        "--measure",
        "alsfrs",
    ]);
    assert_eq!(code, 0);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(&r.headers().unwrap()[0], "id");
    assert_eq!(r.records().count(), 14);
    let (code, out, _) = run(&[
        "analyze",
        &data("design-repeated.csv"),
        "--format",
        "text",
        "--responder-pct",
        "30",
        "--responder-abs",
        "0.2",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("improved by more than 30%"), "{out}");
    let mut child = Command::new(BIN)
        .args(["analyze", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"id\tmonth\talsfrs_r\nA\t0\t40\nA\t3\t37\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["patients"][0]["periods"][0]["rate"], 1.0);
}

#[test]
fn settings_flags_change_results() {
    let f = data("design-repeated.csv");
    let (_, a, _) = run(&["analyze", &f, "--no-mixed-models", "--no-d50"]);
    let (_, b, _) = run(&[
        "analyze",
        &f,
        "--no-mixed-models",
        "--no-d50",
        "--pre-source",
        "lead-in",
    ]);
    let a: serde_json::Value = serde_json::from_str(&a).unwrap();
    let b: serde_json::Value = serde_json::from_str(&b).unwrap();
    assert_eq!(a["patients"][0]["pre_source"], "onset");
    assert!(b["patients"][0]["pre_rate"].is_null());
    assert!(a["mixed_models"].as_array().unwrap().is_empty());
}

#[test]
fn synth_is_labelled_and_deterministic() {
    let (code, a, _) = run(&[
        "synth",
        "--design",
        "controls",
        "--patients",
        "30",
        "--seed",
        "9",
    ]);
    assert_eq!(code, 0);
    let (_, b, _) = run(&[
        "synth",
        "--design",
        "controls",
        "--patients",
        "30",
        "--seed",
        "9",
    ]);
    assert_eq!(a, b);
    assert!(a.starts_with("# SYNTHETIC DATA"));
    // The benchmark's cohort shape: a visit every month for 11 months after the first event.
    let (code, m, _) = run(&[
        "synth",
        "--design",
        "lead-in",
        "--patients",
        "30",
        "--monthly-follow-up",
        "11",
    ]);
    assert_eq!(code, 0);
    assert!(m
        .lines()
        .next()
        .unwrap()
        .ends_with("--monthly-follow-up 11"));
    assert!(m.lines().count() > a.lines().count());
    let (code, _, err) = run(&["synth", "--design", "repeated", "--monthly-follow-up", "11"]);
    assert_ne!(code, 0);
    assert!(err.contains("lead-in and controls"), "{err}");
}

#[test]
fn chart_writes_svg() {
    let out = std::env::temp_dir().join(format!("als-cli-chart-{}.svg", std::process::id()));
    let (code, _, err) = run(&[
        "chart",
        "waterfall",
        &data("design-lead-in.csv"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    let _ = std::fs::remove_file(out);
}

#[test]
fn errors_are_clear_and_exit_2() {
    let (code, _, err) = run(&["analyze", "/nonexistent.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("nonexistent"));
    let empty = std::env::temp_dir().join(format!("als-empty-{}.csv", std::process::id()));
    std::fs::write(&empty, "").unwrap();
    let (code, _, err) = run(&["analyze", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("empty") && err.contains("Expected"), "{err}");
    let _ = std::fs::remove_file(empty);
    let (code, _, err) = run(&[
        "analyze",
        &data("design-lead-in.csv"),
        "--pre-source",
        "magic",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--pre-source"));
}
