//! The command line's input: capped and checked before it is analysed (binary input, /dev/zero,
//! more than --max-input), UTF-16 and Windows-1252 read by one rule for files and standard
//! input, spreadsheets known by their bytes, settings refused when the analysis could not use
//! them as given, a measure asked for twice analysed once, and a panic reported as a bug in one
//! line with exit status 3.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_als-progression");

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

struct Out {
    code: i32,
    out: String,
    err: String,
}

fn run_with(args: &[&str], stdin: Option<Stdio>, env: &[(&str, &str)]) -> Out {
    let mut c = Command::new(BIN);
    c.args(args).stdin(stdin.unwrap_or(Stdio::null()));
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&o.stdout).into(),
        err: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn run(args: &[&str]) -> Out {
    run_with(args, None, &[])
}

/// `args` with `bytes` on standard input.
fn run_stdin(args: &[&str], bytes: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let o = child.wait_with_output().unwrap();
    let _ = writer.join();
    Out {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&o.stdout).into(),
        err: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn tmp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("als-cli-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into()
}

const FAST: &[&str] = &["--no-mixed-models", "--no-d50"];

fn analyze(file: &str, extra: &[&str]) -> Out {
    let mut args = vec!["analyze", file];
    args.extend_from_slice(FAST);
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn dev_zero_and_random_bytes_are_refused_at_once() {
    let t = std::time::Instant::now();
    let o = analyze("/dev/zero", &[]);
    assert_eq!(o.code, 2, "{}", o.err);
    assert!(o.err.contains("/dev/zero is not text"), "{}", o.err);
    let o = run_with(
        &["analyze", "-"],
        Some(Stdio::from(std::fs::File::open("/dev/urandom").unwrap())),
        &[],
    );
    assert_eq!(o.code, 2, "{}", o.err);
    assert!(o.err.contains("standard input is not text"), "{}", o.err);
    // Endless input is not read to its end (the limit is 512 MB; only the first 64 KB are
    // looked at).
    assert!(t.elapsed().as_secs() < 20);
    assert_eq!(o.err.lines().count(), 1);
}

#[test]
fn more_than_max_input_is_refused_for_files_and_stdin() {
    let csv = std::fs::read(data("design-lead-in.csv")).unwrap();
    assert!(csv.len() > 2048);
    let o = analyze(&data("design-lead-in.csv"), &["--max-input", "2K"]);
    assert_eq!(o.code, 2);
    assert!(o.err.contains("at most 2 KB are read"), "{}", o.err);
    let o = run_stdin(&["analyze", "-", "--max-input", "2K"], &csv);
    assert_eq!(o.code, 2);
    assert!(
        o.err.contains("standard input is more than 2 KB"),
        "{}",
        o.err
    );
    let o = run_stdin(&["analyze", "-", "--max-input", "1M", "--no-d50"], &csv);
    assert_eq!(o.code, 0, "{}", o.err);
    for bad in ["0", "-5", "lots", "3G", "1e30"] {
        let o = analyze(&data("design-lead-in.csv"), &["--max-input", bad]);
        assert_eq!(o.code, 2, "{bad}");
        assert!(o.err.contains("--max-input"), "{}", o.err);
    }
}

/// The lead-in design as a JSON result, for comparing encodings.
fn reference() -> String {
    let o = analyze(&data("design-lead-in.csv"), &["--format", "csv"]);
    assert_eq!(o.code, 0, "{}", o.err);
    o.out
}

#[test]
fn utf16_files_and_stdin_are_read() {
    let text = std::fs::read_to_string(data("design-lead-in.csv")).unwrap();
    let want = reference();
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("le.csv", le), ("be.csv", be)] {
        let o = analyze(&tmp(name, &bytes), &["--format", "csv"]);
        assert_eq!(o.code, 0, "{name}: {}", o.err);
        assert_eq!(o.out, want, "{name}");
        assert!(o.err.contains("UTF-16"), "{}", o.err);
        let mut args = vec!["analyze", "-", "--format", "csv"];
        args.extend_from_slice(FAST);
        let o = run_stdin(&args, &bytes);
        assert_eq!(o.code, 0, "{name} on stdin: {}", o.err);
        assert_eq!(o.out, want, "{name} on stdin");
    }
}

#[test]
fn invalid_utf8_is_read_by_one_rule_from_files_and_stdin() {
    // A Windows-1252 export: "é" as one byte, smart quotes around a note.
    let bytes: &[u8] = b"id,group,date,alsfrs_r,event\nP\xe9,B\x93x\x94,2020-01-01,44,\nP\xe9,B\x93x\x94,2020-03-01,42,IV\nP\xe9,B\x93x\x94,2020-05-01,41,\nP\xe9,B\x93x\x94,2020-08-01,40,\n";
    let file = analyze(&tmp("cp1252.csv", bytes), &["--format", "json"]);
    let mut args = vec!["analyze", "-", "--format", "json"];
    args.extend_from_slice(FAST);
    let stdin = run_stdin(&args, bytes);
    assert_eq!(file.code, 0, "{}", file.err);
    assert_eq!(stdin.code, 0, "{}", stdin.err);
    assert_eq!(file.out, stdin.out);
    let v: serde_json::Value = serde_json::from_str(&file.out).unwrap();
    assert_eq!(v["patients"][0]["id"], "Pé");
    assert_eq!(v["patients"][0]["group"], "B“x”");
    assert!(stdin.err.contains("Windows-1252"), "{}", stdin.err);
}

#[test]
fn a_panic_is_one_line_naming_the_input_with_exit_status_3() {
    let f = data("design-lead-in.csv");
    let o = run_with(
        &["analyze", &f],
        None,
        &[("ALS_PROGRESSION_TEST_PANIC", "1")],
    );
    assert_eq!(o.code, 3, "{}", o.err);
    assert_eq!(o.err.lines().count(), 1, "{}", o.err);
    assert!(o.err.contains(&format!("while reading {f}")), "{}", o.err);
    assert!(o.err.contains("This is a bug"), "{}", o.err);
    assert!(!o.err.contains("backtrace"), "{}", o.err);
    assert!(o.out.is_empty());
}

#[test]
fn settings_the_analysis_cannot_use_are_refused() {
    let f = data("design-lead-in.csv");
    for (json, what) in [
        (r#"{"month_days": -1}"#, "month_days"),
        (r#"{"month_days": 0}"#, "month_days"),
        (r#"{"month_days": 1e-10}"#, "month_days"),
        (r#"{"month_days": 1e300}"#, "month_days"),
        (r#"{"responder_abs": 1e999}"#, "out of range"),
        (
            r#"{"columns": {"patient_id": "bogus"}}"#,
            "columns.patient_id",
        ),
        (r#"{"columns": {"patient_id": 5}}"#, "expected a string"),
        (
            r#"{"pre_source": "sometimes"}"#,
            "unknown variant `sometimes`",
        ),
    ] {
        let s = tmp("settings.json", json.as_bytes());
        let o = analyze(&f, &["--settings", &s]);
        assert_eq!(o.code, 2, "{json}: {}", o.out);
        assert!(o.err.contains(what), "{json}: {}", o.err);
        assert!(o.out.is_empty());
    }
    for flag in [
        ["--month-days", "-1"],
        ["--month-days", "0"],
        ["--month-days", "1e9"],
    ] {
        let o = analyze(&f, &flag);
        assert_eq!(o.code, 2, "{flag:?}");
        assert!(o.err.contains("month_days"), "{}", o.err);
    }
    // What is accepted is echoed as used.
    let s = tmp(
        "ok.json",
        br#"{"month_days": 30, "measures": ["alsfrs_r", "alsfrs_r"]}"#,
    );
    let o = analyze(&f, &["--settings", &s]);
    assert_eq!(o.code, 0, "{}", o.err);
    let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
    assert_eq!(v["settings"]["month_days"], 30.0);
    assert_eq!(v["settings"]["measures"], serde_json::json!(["alsfrs_r"]));
}

#[test]
fn a_measure_asked_for_twice_is_analysed_once() {
    let f = data("design-lead-in.csv");
    let once = analyze(&f, &["--measure", "alsfrs_r", "--format", "csv"]);
    let twice = analyze(
        &f,
        &[
            "--measure",
            "alsfrs_r",
            "--measure",
            "alsfrs_r",
            "--format",
            "csv",
        ],
    );
    assert_eq!(once.code, 0, "{}", once.err);
    assert_eq!(twice.out, once.out);
    let v = analyze(&f, &["--measure", "alsfrs_r", "--measure", "alsfrs_r"]);
    let v: serde_json::Value = serde_json::from_str(&v.out).unwrap();
    assert_eq!(v["measures"], serde_json::json!(["alsfrs_r"]));
}

#[test]
fn a_stray_quote_loses_no_patient_on_the_command_line() {
    let text = std::fs::read_to_string(data("design-lead-in.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // A quote opening the first cell of a data row near the top.
    let k = lines.iter().position(|l| l.starts_with("SYN")).unwrap() + 3;
    let mut bad: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    bad[k] = format!("\"{}", bad[k]);
    let bad = bad.join("\n") + "\n";
    let ids = |out: &str| -> std::collections::BTreeSet<String> {
        let v: serde_json::Value = serde_json::from_str(out).unwrap();
        v["patients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let good = analyze(&data("design-lead-in.csv"), &[]);
    let o = analyze(&tmp("stray.csv", bad.as_bytes()), &[]);
    assert_eq!(o.code, 0, "{}", o.err);
    let (want, got) = (ids(&good.out), ids(&o.out));
    assert!(
        want.is_subset(&got),
        "lost: {:?}",
        want.difference(&got).collect::<Vec<_>>()
    );
    let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "stray_quote" && d["line"] == k + 1));
}

#[test]
fn spreadsheets_are_known_by_their_bytes() {
    // An .xls header: refused with what to do.
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4096, 0);
    let o = analyze(&tmp("old.xls", &xls), &[]);
    assert_eq!(o.code, 2);
    assert!(
        o.err.contains("save the sheet as .xlsx or as CSV"),
        "{}",
        o.err
    );
    // Text named .xlsx is read as text.
    let csv = std::fs::read(data("design-lead-in.csv")).unwrap();
    let o = analyze(&tmp("really-text.xlsx", &csv), &["--format", "csv"]);
    assert_eq!(o.code, 0, "{}", o.err);
    assert_eq!(o.out, reference());
    // A zip that is no workbook, on stdin.
    let o = run_stdin(&["analyze", "-"], b"PK\x03\x04 not really a zip");
    assert_eq!(o.code, 2);
    assert!(
        o.err.contains("could not read the spreadsheet"),
        "{}",
        o.err
    );
}
