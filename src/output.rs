//! Output formats: JSON (the documented contract), CSV (one row per patient and measure, safe to
//! open in a spreadsheet) and plain text for a person.

use crate::analysis::{Analysis, PatientResult, TestEntry};
use crate::data::Measure;
use crate::diag::Severity;
use crate::format::{csv_number, escape_line as esc, number as report_number, p_value as report_p};
use crate::input::Parsed;
use crate::models::ModelFits;
use crate::settings::Settings;
use std::fmt::Write;

// Issue #23: stages, ΔFS classes and the TRICALS risk profile in the CSV and text.
pub mod staging;
pub mod survival;
pub use survival::{add_survival_from_bytes, summary_sentences, survival_csv, survival_to_bytes};

/// The analysis as pretty JSON. Non-finite numbers never occur (they are `None` → null).
pub fn to_json(a: &Analysis) -> String {
    serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The analysis as pretty JSON (as [`to_json`], and a line end) written to `w` as it is made:
/// the command line's output, without the whole text in memory (1M patients: ~2 GB less).
pub fn write_json<W: std::io::Write>(a: &Analysis, mut w: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, a)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Compact JSON of `value`, as `serde_json::to_string` writes it except for the floats: those are
/// written by the standard library's formatting, the shortest text that reads back as the same
/// number (`0.1`, `1`, `-2.5`; `1.5e-7` and `1e16` outside 1e-5..1e16), where serde_json's own
/// float writer needs a 17 KB table. The page's wasm writes every JSON it gives the page with this
/// (and reads none with serde_json), and so leaves that table out; a reader gets the same numbers.
pub fn to_json_compact<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<String, serde_json::Error> {
    struct StdFloats;
    impl serde_json::ser::Formatter for StdFloats {
        // serde_json writes non-finite floats as null without calling these.
        fn write_f64<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            v: f64,
        ) -> std::io::Result<()> {
            write_float(w, v, v.abs())
        }
        fn write_f32<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            v: f32,
        ) -> std::io::Result<()> {
            write_float(w, v, f64::from(v.abs()))
        }
    }
    /// The shortest text that reads back as `v`; exponent notation outside 1e-5..1e16.
    fn write_float<W: ?Sized + std::io::Write, F: std::fmt::Display + std::fmt::LowerExp>(
        w: &mut W,
        v: F,
        magnitude: f64,
    ) -> std::io::Result<()> {
        if magnitude != 0.0 && !(1e-5..1e16).contains(&magnitude) {
            write!(w, "{v:e}")
        } else {
            write!(w, "{v}")
        }
    }
    let mut out = Vec::with_capacity(256);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, StdFloats,
    ))?;
    String::from_utf8(out).map_err(serde::ser::Error::custom)
}

/// The analysis in a compact binary form (postcard), for handing it between two copies of the
/// engine (the page's worker and main thread) far faster than JSON. Not a file format: only
/// [`from_bytes`] of the same build reads it.
pub fn to_bytes(a: &Analysis) -> Vec<u8> {
    // Serialising plain structs into a Vec cannot fail.
    postcard::to_allocvec(a).unwrap_or_default()
}

/// Read what [`to_bytes`] wrote.
pub fn from_bytes(bytes: &[u8]) -> Result<Analysis, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("binary analysis not understood: {e}"))
}

/// Model fits (mixed models, D50 fits, their notes) in the same binary form, for adding them to
/// another copy's analysis: the page fits them in a later pass, in its extras module.
pub fn models_to_bytes(fits: &ModelFits) -> Vec<u8> {
    postcard::to_allocvec(fits).unwrap_or_default()
}

/// Parsed data with the settings and measures it was analysed with, in the same binary form:
/// the page keeps it after an analysis and fits the models from it, in another copy of the
/// engine, without parsing the text again.
pub fn parsed_to_bytes(parsed: &Parsed, settings: &Settings, measures: &[Measure]) -> Vec<u8> {
    postcard::to_allocvec(&(parsed, settings, measures)).unwrap_or_default()
}

/// Read what [`parsed_to_bytes`] wrote.
pub fn parsed_from_bytes(bytes: &[u8]) -> Result<(Parsed, Settings, Vec<Measure>), String> {
    postcard::from_bytes(bytes).map_err(|e| format!("binary parsed data not understood: {e}"))
}

/// Read what [`models_to_bytes`] wrote into `a` (replacing its model fits).
pub fn add_models_from_bytes(a: &mut Analysis, bytes: &[u8]) -> Result<(), String> {
    let fits: ModelFits = postcard::from_bytes(bytes)
        .map_err(|e| format!("binary model fits not understood: {e}"))?;
    (a.mixed_models, a.d50, a.model_notes) = (fits.mixed_models, fits.d50, fits.notes);
    Ok(())
}

/// Neutralise spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is prefixed with `'` so that no spreadsheet runs it as a formula.
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}',
        ) => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// CSV, one row per patient and measure.
pub fn to_csv(a: &Analysis) -> String {
    let max_periods = a
        .patients
        .iter()
        .map(|p| p.periods.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = [
        "id",
        "group",
        "measure",
        "n_visits",
        "delta_fs",
        "rate_unit",
        "course_rate",
        "course_rate_se",
        "course_rate_ci_low",
        "course_rate_ci_high",
        "pre_rate",
        "pre_source",
        "post_rate",
        "change",
        "improvement_pct",
        "improvement_unreliable",
        "responder",
        "lost_data",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in 0..max_periods {
        header.push(format!("period{i}_rate"));
        header.push(format!("period{i}_n_visits"));
    }
    for i in 1..max_periods {
        header.push(format!("period{i}_improvement_pct"));
    }
    header.push("notes".into());
    header.push("warnings".into());
    header.extend(staging::PATIENT_COLUMNS.map(String::from));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(&header);
    for p in &a.patients {
        let _ = w.write_record(patient_row(p, max_periods));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn patient_row(p: &PatientResult, max_periods: usize) -> Vec<String> {
    let mut row = vec![
        safe_cell(&p.id),
        safe_cell(&p.group),
        p.measure.name().to_string(),
        p.n_visits.to_string(),
        csv_number(p.delta_fs),
        p.measure.rate_unit().to_string(),
        csv_number(p.course_rate),
        csv_number(p.course_rate_se),
        csv_number(p.course_rate_ci_low),
        csv_number(p.course_rate_ci_high),
        csv_number(p.pre_rate),
        p.pre_source.as_deref().unwrap_or_default().to_string(),
        csv_number(p.post_rate),
        csv_number(p.change),
        csv_number(p.improvement_pct),
        if p.improvement_unreliable { "yes" } else { "" }.to_string(),
        p.responder
            .map(|r| if r { "yes" } else { "no" }.to_string())
            .unwrap_or_default(),
        if p.lost_data { "yes" } else { "" }.to_string(),
    ];
    for i in 0..max_periods {
        let pd = p.periods.get(i);
        row.push(csv_number(pd.and_then(|x| x.rate)));
        row.push(pd.map(|x| x.n_visits.to_string()).unwrap_or_default());
    }
    for i in 1..max_periods {
        row.push(csv_number(
            p.period_improvement_pct.get(i - 1).copied().flatten(),
        ));
    }
    row.push(safe_cell(&p.notes.join("; ")));
    row.push(safe_cell(&p.warnings.join("; ")));
    row.extend(staging::patient_cells(p));
    row
}

/// One line of a test for people: "Wilcoxon signed-rank V = 152, p = 0.004 (Wilcoxon signed rank
/// exact test)".
pub fn test_sentence(t: &TestEntry) -> String {
    let (name, sym) = (t.kind.label(), t.kind.statistic_symbol());
    match t.statistic {
        Some(s) => format!(
            "{name} {sym} = {}, {} ({})",
            crate::format::statistic(Some(s), 3),
            crate::format::p_text(t.p_value),
            t.method
        ),
        None => format!(
            "{name}: not computed ({})",
            t.note.clone().unwrap_or_default()
        ),
    }
}

/// The whole-course rate and its 95% CI for the text report: "0.812 [0.61, 1.01]".
fn course(p: &PatientResult) -> String {
    match (p.course_rate, p.course_rate_ci_low, p.course_rate_ci_high) {
        (Some(r), Some(lo), Some(hi)) => format!(
            "{} [{}, {}]",
            report_number(Some(r), 3),
            report_number(Some(lo), 2),
            report_number(Some(hi), 2)
        ),
        (r, _, _) => report_number(r, 3),
    }
}

/// A report for a person.
pub fn to_text(a: &Analysis) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Input: {} layout, {}-separated, {} rows, {} patients; time axis: {}{}",
        a.input.layout,
        a.input.delimiter,
        a.input.n_rows,
        a.patients
            .iter()
            .map(|p| &p.id)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        a.input.time_axis,
        a.input
            .date_format
            .as_ref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default()
    );
    let c = &a.counts;
    if c.n_rows_with_errors > 0 {
        let _ = writeln!(
            o,
            "{} with errors (a cell or the row skipped; see the diagnostics); {} lost data",
            crate::format::count(c.n_rows_with_errors, "row", "rows"),
            crate::format::count(c.n_patients_with_lost_data, "patient", "patients")
        );
    }
    let _ = writeln!(
        o,
        "Rates are declines per month (month = {:.4} days); pre-rate source setting: {:?}; responder: > {}%{}",
        a.settings.month_len(),
        a.settings.pre_source,
        a.settings.responder_pct,
        a.settings.responder_abs.map(|x| format!(" and ≥ {x} units/month")).unwrap_or_default()
    );
    for &m in &a.measures {
        let _ = writeln!(o, "\n== {} ==", m.label());
        let _ = writeln!(
            o,
            "Rates (course, pre, post, change) in {}; course = over the whole course (lm of every visit) [95% CI]",
            m.rate_unit()
        );
        let _ = writeln!(
            o,
            "{:<14} {:<10} {:>4} {:>21} {:>8} {:>8} {:>8} {:>9} {:>9}  {:<8} notes",
            "patient",
            "group",
            "vis",
            "course [95% CI]",
            "pre",
            "post",
            "change",
            "improv%",
            "ΔFS",
            "pre from"
        );
        for p in a.patients.iter().filter(|p| p.measure == m) {
            let id: String = esc(&p.id).chars().take(14).collect();
            let g: String = esc(&p.group).chars().take(10).collect();
            let _ = writeln!(
                o,
                "{:<14} {:<10} {:>4} {:>21} {:>8} {:>8} {:>8} {:>9} {:>9}  {:<8} {}{}",
                id,
                g,
                p.n_visits,
                course(p),
                report_number(p.pre_rate, 3),
                report_number(p.post_rate, 3),
                report_number(p.change, 3),
                report_number(p.improvement_pct, 1),
                report_number(p.delta_fs, 3),
                p.pre_source.as_deref().unwrap_or("–"),
                match (p.responder == Some(true), p.lost_data) {
                    (true, true) => "[responder] [input skipped: see diagnostics] ",
                    (true, false) => "[responder] ",
                    (false, true) => "[input skipped: see diagnostics] ",
                    (false, false) => "",
                },
                esc(&p.notes.join("; "))
            );
        }
        for r in a.responders.iter().filter(|r| r.measure == m) {
            let _ = writeln!(
                o,
                "{}: {} of {} patients ({}) improved by more than {}%{}{}",
                esc(&r.group),
                r.responders,
                r.n_evaluable,
                r.proportion
                    .map(|p| format!("{:.0}%", p * 100.0))
                    .unwrap_or_else(|| "–".into()),
                r.threshold_pct,
                r.threshold_abs
                    .map(|x| format!(" and ≥ {x}/month"))
                    .unwrap_or_default(),
                if r.n_unreliable > 0 {
                    format!(
                        "; {} not counted (pre-rate below {} {}: % improvement unreliable)",
                        r.n_unreliable,
                        a.settings.improvement_floor,
                        m.rate_unit()
                    )
                } else {
                    String::new()
                }
            );
        }
        for s in a.summaries.iter().filter(|s| s.measure == m) {
            let _ = writeln!(
                o,
                "  {:<10} {:<16} n={:<4} mean {} sd {} median {} IQR {}–{}",
                esc(&s.group),
                s.variable,
                s.n,
                report_number(s.mean, 3),
                report_number(s.sd, 3),
                report_number(s.median, 3),
                report_number(s.q1, 3),
                report_number(s.q3, 3)
            );
        }
        for t in a.tests.iter().filter(|t| t.measure == m) {
            let mut line = match t.statistic {
                Some(x) => format!(
                    "  {}: {} = {}, {} ({})",
                    esc(&t.title),
                    t.kind.statistic_symbol(),
                    crate::format::statistic(Some(x), 3),
                    crate::format::p_text(t.p_value),
                    t.method
                ),
                None => format!(
                    "  {}: not computed ({})",
                    esc(&t.title),
                    esc(t.note.as_deref().unwrap_or_default())
                ),
            };
            for extra in [&t.direction, &t.power_note].into_iter().flatten() {
                line.push_str("; ");
                line.push_str(&esc(extra));
            }
            let _ = writeln!(o, "{line}");
        }
        for mm in a.mixed_models.iter().filter(|x| x.measure == m) {
            let _ = writeln!(
                o,
                "  Mixed model ({}, {}) {}: n_obs={} patients={}{}{}",
                esc(&mm.group),
                mm.method,
                mm.formula,
                mm.n_obs,
                mm.n_patients,
                if mm.singular {
                    " [boundary (singular) fit]"
                } else {
                    ""
                },
                mm.note
                    .as_ref()
                    .map(|n| format!(" — {}", esc(n)))
                    .unwrap_or_default()
            );
            for fe in &mm.fixed {
                let _ = writeln!(
                    o,
                    "    {:<16} {:>10.4} SE {:>8.4} df {:>8} p {}",
                    esc(&fe.term),
                    fe.estimate,
                    fe.se,
                    report_number(fe.df, 1),
                    report_p(fe.p_value)
                );
            }
            let _ = writeln!(
                o,
                "    SD intercept {} SD slope {} corr {} residual SD {} REML criterion {}",
                report_number(mm.sd_intercept, 4),
                report_number(mm.sd_slope, 4),
                report_number(mm.corr, 3),
                report_number(mm.sd_residual, 4),
                report_number(mm.reml_criterion, 3)
            );
        }
    }
    if !a.d50.is_empty() {
        let _ = writeln!(o, "\n== D50 model (ALSFRS-R) ==");
        for d in &a.d50 {
            let _ = writeln!(
                o,
                "{:<14} D50 {} dx {} RMSE {} {}",
                esc(&d.id).chars().take(14).collect::<String>(),
                report_number(d.d50, 2),
                report_number(d.dx, 2),
                report_number(d.rmse, 2),
                esc(d.note.as_deref().unwrap_or_default())
            );
        }
    }
    o += &staging::text(a);
    if !a.model_notes.is_empty() {
        let _ = writeln!(o, "\n== Notes on the models ==");
        for n in &a.model_notes {
            let _ = writeln!(o, "{}", esc(n));
        }
    }
    survival::write_text(&mut o, a);
    if !a.diagnostics.is_empty() {
        let _ = writeln!(o, "\n== Diagnostics ==");
        for d in &a.diagnostics {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = writeln!(
                o,
                "{}{}: {}{}",
                match (&d.file, d.line) {
                    (Some(f), Some(l)) => format!("{f} line {l}: "),
                    (Some(f), None) => format!("{f}: "),
                    (None, Some(l)) => format!("line {l}: "),
                    (None, None) => String::new(),
                },
                sev,
                d.column
                    .as_ref()
                    .map(|c| format!("[{}] ", esc(c)))
                    .unwrap_or_default(),
                esc(&d.message)
            );
        }
    }
    // Ids, groups, headers and cells quoted in messages come from the input: their control
    // characters are escaped where they are written (`esc`); anything left, and bidi overrides,
    // are shown as spaces.
    o.chars()
        .map(|c| {
            if (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_injection_is_neutralised() {
        assert_eq!(
            safe_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("-2"), "'-2");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("P01"), "P01");
    }

    const DESIGNS: [&str; 4] = ["lead-in", "controls", "repeated", "two-arm"];

    fn design_text(design: &str) -> String {
        let path = format!(
            "{}/tests/data/design-{design}.csv",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    /// Each design data set plus a bad row, analysed with series, models, D50 fits and
    /// diagnostics.
    fn designs_with_everything() -> Vec<(&'static str, Analysis)> {
        let settings = crate::settings::Settings {
            include_series: true,
            ..Default::default()
        };
        DESIGNS
            .map(|design| {
                let text = design_text(design) + "\nbad row,,,\n";
                (design, crate::pipeline::run(&text, &settings).unwrap())
            })
            .into()
    }

    /// The binary copy is exact: every design, with series, models, D50 fits and diagnostics.
    #[test]
    fn binary_copy_round_trips_exactly() {
        for (design, a) in designs_with_everything() {
            assert!(!a.series.is_empty() && !a.diagnostics.is_empty());
            assert!(!a.mixed_models.is_empty(), "{design}: models fitted");
            let back = from_bytes(&to_bytes(&a)).unwrap();
            assert_eq!(back, a, "{design}");
            assert_eq!(to_json(&back), to_json(&a), "{design}");
        }
        assert!(from_bytes(&[1, 2, 3]).is_err());
        assert!(from_bytes(&[]).is_err());
    }

    /// Two JSON texts the same but for how numbers are written: each run of number characters is
    /// compared as the f64 the standard library reads from it (exactly; serde_json's reader is
    /// not correctly rounded without its `float_roundtrip` feature).
    fn same_but_number_text(a: &str, b: &str) -> bool {
        let num = |c: u8| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E');
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if num(a[i]) && num(b[j]) {
                let (i0, j0) = (i, j);
                while i < a.len() && num(a[i]) {
                    i += 1;
                }
                while j < b.len() && num(b[j]) {
                    j += 1;
                }
                let read = |t: &[u8]| -> Option<f64> { std::str::from_utf8(t).ok()?.parse().ok() };
                let same = match (read(&a[i0..i]), read(&b[j0..j])) {
                    (Some(x), Some(y)) => x.to_bits() == y.to_bits(),
                    _ => a[i0..i] == b[j0..j], // inside a string (e.g. "SYN-001"): as text
                };
                if !same {
                    return false;
                }
            } else if a[i] != b[j] {
                return false;
            } else {
                i += 1;
                j += 1;
            }
        }
        i == a.len() && j == b.len()
    }

    /// The page's JSON: serde_json's text except for how floats are written, and every number
    /// reads back the same (the analyses of the designs, with series, models and diagnostics; and
    /// awkward floats).
    #[test]
    fn compact_json_is_serde_json_but_for_float_text() {
        for (design, a) in designs_with_everything() {
            let ours = to_json_compact(&a).unwrap();
            let theirs = serde_json::to_string(&a).unwrap();
            assert_ne!(ours, theirs, "{design}: floats written differently");
            assert!(same_but_number_text(&ours, &theirs), "{design}");
        }
        assert!(!same_but_number_text(
            "[0.1,\"a\"]",
            "[0.10000000000000002,\"a\"]"
        ));
        assert!(!same_but_number_text("[1,\"a\"]", "[1,\"b\"]"));
        let xs = [
            0.1,
            1.0,
            -2.5,
            0.0,
            -0.0,
            1e-5,
            9.99e-6,
            123456.789,
            1e16,
            9.999e15,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            -1.0 / 3.0,
            2.0f64.sqrt(),
            30.4375,
        ];
        let text = to_json_compact(&xs[..]).unwrap();
        assert!(
            text.starts_with(
                "[0.1,1,-2.5,0,-0,0.00001,9.99e-6,123456.789,1e16,9999000000000000,5e-324,"
            ),
            "{text}"
        );
        // read back exactly (the standard library's reader; see same_but_number_text)
        let back: Vec<f64> = text[1..text.len() - 1]
            .split(',')
            .map(|t| t.parse().unwrap())
            .collect();
        assert_eq!(
            back.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            xs.map(f64::to_bits)
        );
        assert_eq!(
            to_json_compact(&[f64::NAN, f64::INFINITY]).unwrap(),
            "[null,null]"
        );
        assert_eq!(to_json_compact(&[1.5f32, 1e-7]).unwrap(), "[1.5,1e-7]");
    }

    /// The page's two passes: the fits of the model pass, added in binary to the first pass's
    /// analysis, give the analysis of one pass with everything.
    #[test]
    fn model_fits_added_in_binary_equal_one_pass() {
        let mut with_d50 = 0;
        for design in DESIGNS {
            let text = design_text(design);
            let all = crate::pipeline::run(&text, &Default::default()).unwrap();
            assert!(!all.mixed_models.is_empty(), "{design}");
            with_d50 += usize::from(!all.d50.is_empty());
            let first = crate::settings::Settings {
                mixed_models: false,
                d50: false,
                ..Default::default()
            };
            let mut a = crate::pipeline::run(&text, &first).unwrap();
            assert!(a.mixed_models.is_empty() && a.d50.is_empty(), "{design}");
            let fits = ModelFits {
                mixed_models: all.mixed_models.clone(),
                d50: all.d50.clone(),
                notes: all.model_notes.clone(),
            };
            add_models_from_bytes(&mut a, &models_to_bytes(&fits)).unwrap();
            // (the settings it echoes are the first pass's)
            (a.settings.mixed_models, a.settings.d50) = (true, true);
            assert_eq!(a, all, "{design}");
        }
        assert!(with_d50 >= 2, "D50 fits in {with_d50} designs");
        let mut a =
            crate::pipeline::run("id,date,alsfrs_r\nP1,2020-01-01,40\n", &Default::default())
                .unwrap();
        assert!(add_models_from_bytes(&mut a, &[7, 7]).is_err());
    }
}

/// The group summaries, responder counts and tests of every analysed measure as one CSV (the
/// page's second CSV export, beside [`to_csv`]'s per-patient rows): one row each, `table` says
/// which (`summary`, `responders`, `test`), `unit` the unit of that row's values (rates per
/// month in the measure's unit, % improvement in %; a Spearman test's ρ has none). Numbers as
/// in [`to_csv`] (`csv_number`); group names guarded against formulas (`safe_cell`).
pub fn summaries_csv(a: &Analysis) -> String {
    use crate::analysis::{SummaryVariable, TestKind, TestVariable};
    let rate_unit = |m: Measure| format!("{} per month", m.unit());
    let unit = |m: Measure, v: SummaryVariable| match v {
        SummaryVariable::ImprovementPct => "%".to_string(),
        _ => rate_unit(m),
    };
    let header = [
        "table",
        "measure",
        "group",
        "variable",
        "unit",
        "n",
        "mean",
        "sd",
        "median",
        "q1",
        "q3",
        "responders",
        "proportion",
        "threshold_pct",
        "threshold_abs",
        "test",
        "method",
        "statistic",
        "p_value",
        "estimate",
        "note",
    ];
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(header);
    let blank = |row: &mut Vec<String>, n: usize| row.resize(row.len() + n, String::new());
    let width = header.len();
    for s in &a.summaries {
        let mut row = vec![
            "summary".to_string(),
            s.measure.name().to_string(),
            safe_cell(&s.group),
            s.variable.name().to_string(),
            unit(s.measure, s.variable),
            s.n.to_string(),
        ];
        row.extend([s.mean, s.sd, s.median, s.q1, s.q3].map(csv_number));
        let n = width - row.len();
        blank(&mut row, n);
        let _ = w.write_record(&row);
    }
    for r in &a.responders {
        let mut row = vec![
            "responders".to_string(),
            r.measure.name().to_string(),
            safe_cell(&r.group),
            "improvement_pct".to_string(),
            "%".to_string(),
            r.n_evaluable.to_string(),
        ];
        blank(&mut row, 5);
        row.extend([
            r.responders.to_string(),
            csv_number(r.proportion),
            csv_number(Some(r.threshold_pct)),
            csv_number(r.threshold_abs),
        ]);
        let n = width - row.len();
        blank(&mut row, n);
        let _ = w.write_record(&row);
    }
    for t in &a.tests {
        // What the estimate is in: a difference of rates (t-tests) or ρ (Spearman, no unit).
        let unit = match (t.kind, t.variable) {
            (TestKind::Spearman, _) => String::new(),
            (_, TestVariable::ImprovementVsInterval) => "%".to_string(),
            _ => rate_unit(t.measure),
        };
        let mut row = vec![
            "test".to_string(),
            t.measure.name().to_string(),
            safe_cell(&t.group),
            t.variable.name().to_string(),
            unit,
            t.n.to_string(),
        ];
        blank(&mut row, 9);
        row.extend([
            t.kind.name().to_string(),
            safe_cell(&t.method),
            csv_number(t.statistic),
            csv_number(t.p_value),
            csv_number(t.estimate),
            safe_cell(t.note.as_deref().unwrap_or_default()),
        ]);
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod summaries_csv_tests {
    use super::*;

    /// Every summary, responder count and test of every measure is a row, with its unit; the rows
    /// have the header's width.
    #[test]
    fn every_summary_and_test_of_every_measure() {
        for design in crate::synth::Design::ALL {
            let text = crate::synth::example_text(design.name()).unwrap();
            let a = crate::pipeline::run(&text, &Default::default()).unwrap();
            let csv = summaries_csv(&a);
            let mut r = csv::Reader::from_reader(csv.as_bytes());
            let header = r.headers().unwrap().clone();
            let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
            let count = |t: &str| rows.iter().filter(|x| &x[0] == t).count();
            assert_eq!(count("summary"), a.summaries.len(), "{design:?}");
            assert_eq!(count("responders"), a.responders.len(), "{design:?}");
            assert_eq!(count("test"), a.tests.len(), "{design:?}");
            assert!(rows.iter().all(|x| x.len() == header.len()));
            let measures: std::collections::BTreeSet<&str> = rows.iter().map(|x| &x[1]).collect();
            assert_eq!(
                measures.len(),
                a.measures.len(),
                "{design:?}: every measure"
            );
            for x in rows.iter().filter(|x| &x[0] == "summary") {
                let m = Measure::from_name(&x[1]).unwrap();
                let want = if &x[3] == "improvement_pct" {
                    "%".to_string()
                } else {
                    format!("{} per month", m.unit())
                };
                assert_eq!(&x[4], want, "{design:?}");
            }
            // a test's p-value is the analysis' (full precision, rounded to 10 decimals)
            let t = &a.tests[0];
            let row = rows.iter().find(|x| &x[0] == "test").unwrap();
            assert_eq!(&row[18], csv_number(t.p_value));
        }
    }

    /// FVC rates are in % predicted per month, never points.
    #[test]
    fn fvc_rates_in_percent_predicted() {
        let text = crate::synth::example_text("two-arm").unwrap();
        let a = crate::pipeline::run(&text, &Default::default()).unwrap();
        let csv = summaries_csv(&a);
        assert!(
            csv.lines()
                .any(|l| l.starts_with("summary,fvc,") && l.contains("% predicted per month")),
            "{csv}"
        );
        assert!(!csv
            .lines()
            .any(|l| l.starts_with("summary,fvc,") && l.contains("points")));
    }
}
