//! Output formats: JSON (the documented contract), CSV (one row per patient and measure, safe to
//! open in a spreadsheet) and plain text for a person.

use crate::analysis::Analysis;
use crate::data::Measure;
use crate::input::Parsed;
use crate::models::ModelFits;
use crate::settings::Settings;

// Issue #23: stages, ΔFS classes and the TRICALS risk profile in the CSV and text.
mod csv;
pub mod staging;
pub mod survival;
mod text;
pub use csv::{safe_cell, summaries_csv, to_csv, write_csv};
pub use survival::{summary_sentences, survival_csv};
pub use text::{test_sentence, to_text, write_text};

/// What the page's second pass (the extras module's `web::second_pass`) adds to an analysis, in
/// binary (postcard), for the page's chart handle (`ChartData::set_second_pass`): the survival
/// outcomes (#22) and the per-visit stages with their times and mix (#23), which the start
/// module's first pass leaves empty (features `survival` and `staging`). Not a file format.
pub fn second_pass_to_bytes(a: &Analysis) -> Vec<u8> {
    postcard::to_allocvec(&(
        (
            &a.survival,
            &a.survival_tests,
            &a.cafs,
            &a.slope_sensitivity,
        ),
        (&a.stages, &a.stage_times, &a.stage_mix),
        latest_stages(a),
    ))
    .unwrap_or_default()
}

/// Put the results of [`second_pass_to_bytes`] into an analysis.
pub fn add_second_pass_from_bytes(a: &mut Analysis, bytes: &[u8]) -> Result<(), String> {
    let (
        (survival, survival_tests, cafs, slope_sensitivity),
        (stages, stage_times, stage_mix),
        latest,
    ): (_, _, Vec<LatestStages>) =
        postcard::from_bytes(bytes).map_err(|e| format!("second pass not understood: {e}"))?;
    (a.survival, a.survival_tests, a.cafs, a.slope_sensitivity) =
        (survival, survival_tests, cafs, slope_sensitivity);
    (a.stages, a.stage_times, a.stage_mix) = (stages, stage_times, stage_mix);
    add_latest_stages(a, &latest);
    Ok(())
}

/// A patient's latest stages (the `latest_*` fields of each of its entries, #23), as the page's
/// second pass hands them over (the first pass, without per-visit stages, leaves them null).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LatestStages {
    pub id: crate::data::Name,
    pub latest_kings: Option<crate::staging::kings::KingsStage>,
    pub latest_kings_reason: Option<Box<str>>,
    pub latest_mitos: Option<crate::staging::mitos::MitosStage>,
    pub latest_mitos_reason: Option<Box<str>>,
    pub latest_stage_t: Option<f64>,
}

/// Each staged patient's latest stages, once per patient (from its first entry).
pub fn latest_stages(a: &Analysis) -> Vec<LatestStages> {
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    a.patients
        .iter()
        .filter(|p| p.staging().latest_kings_reason.is_some() && seen.insert(&p.id))
        .map(|p| {
            let s = p.staging();
            LatestStages {
                id: p.id.clone(),
                latest_kings: s.latest_kings,
                latest_kings_reason: s.latest_kings_reason.clone(),
                latest_mitos: s.latest_mitos,
                latest_mitos_reason: s.latest_mitos_reason.clone(),
                latest_stage_t: s.latest_stage_t,
            }
        })
        .collect()
}

/// Put [`latest_stages`] on each entry of its patient.
pub fn add_latest_stages(a: &mut Analysis, latest: &[LatestStages]) {
    let by_id: rustc_hash::FxHashMap<&str, &LatestStages> =
        latest.iter().map(|l| (&*l.id, l)).collect();
    for p in &mut a.patients {
        if let Some(l) = by_id.get(&*p.id) {
            let s = p.staging_mut();
            s.latest_kings = l.latest_kings;
            s.latest_kings_reason = l.latest_kings_reason.clone();
            s.latest_mitos = l.latest_mitos;
            s.latest_mitos_reason = l.latest_mitos_reason.clone();
            s.latest_stage_t = l.latest_stage_t;
        }
    }
}

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
