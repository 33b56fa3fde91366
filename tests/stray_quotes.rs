//! A stray quote loses nothing: a `"` put at every position of a small file (after its header)
//! changes the result of no patient whose rows it did not touch, and every patient is still
//! analysed. The file is comma- or tab-separated, with and without well-formed quoted cells.

use als_progression::pipeline::run;
use als_progression::settings::Settings;
use std::collections::BTreeMap;

fn settings() -> Settings {
    Settings {
        mixed_models: false,
        d50: false,
        ..Settings::default()
    }
}

/// Six patients, lead-in and follow-up around an event, two groups.
fn file(d: &str, quoted_event: bool) -> String {
    let mut s = format!("id{d}group{d}date{d}alsfrs_r{d}event\n");
    let event = if quoted_event { "\"IV, dose 1\"" } else { "IV" };
    for i in 1..=6 {
        let g = if i % 2 == 0 { "A" } else { "B" };
        let k = i % 3;
        for (date, y, ev) in [
            ("2020-01-01", 44, ""),
            ("2020-03-01", 42 - k, event),
            ("2020-05-01", 41 - k, ""),
            ("2020-08-01", 40 - k, ""),
        ] {
            s += &format!("P{i}{d}{g}{d}{date}{d}{y}{d}{ev}\n");
        }
    }
    s
}

/// Each patient's results (every measure), as JSON, by id.
fn results(text: &str) -> BTreeMap<String, Vec<serde_json::Value>> {
    let a = run(text, &settings()).expect("analysable");
    let mut out: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for p in &a.patients {
        out.entry(p.id.to_string())
            .or_default()
            .push(serde_json::to_value(p).unwrap());
    }
    out
}

fn check_every_position(text: &str, d: &str) {
    let base = results(text);
    assert_eq!(base.len(), 6);
    let header_end = text.find('\n').unwrap() + 1;
    let mut checked = 0;
    for at in header_end..=text.len() {
        if !text.is_char_boundary(at) {
            continue;
        }
        let bad = format!("{}\"{}", &text[..at], &text[at..]);
        // The patient of the line the quote went into (a quote after the last line end
        // touches nobody).
        let line_start = text[..at].rfind('\n').map_or(0, |k| k + 1);
        let line = &text[line_start..];
        let touched = if at == text.len() {
            None
        } else {
            line.split(d).next().map(str::to_string)
        };
        let got = results(&bad);
        for (id, r) in &base {
            if Some(id) == touched.as_ref() {
                continue;
            }
            assert_eq!(
                got.get(id),
                Some(r),
                "quote at byte {at} (line {:?}) changed patient {id}",
                line.lines().next()
            );
        }
        checked += 1;
    }
    assert!(checked > 100);
}

#[test]
fn a_quote_anywhere_in_a_comma_file_changes_only_its_own_patient() {
    check_every_position(&file(",", false), ",");
}

#[test]
fn a_quote_anywhere_in_a_tab_file_changes_only_its_own_patient() {
    check_every_position(&file("\t", false), "\t");
}

#[test]
fn a_quote_anywhere_in_a_file_with_quoted_cells_changes_only_its_own_patient() {
    check_every_position(&file(",", true), ",");
}

#[test]
fn two_stray_quotes_anywhere_change_only_their_own_patients() {
    // Every pair of positions in different data lines, on a smaller file (three patients).
    let text: String = file(",", false)
        .lines()
        .take(1 + 3 * 4)
        .map(|l| format!("{l}\n"))
        .collect();
    let base = results(&text);
    let header_end = text.find('\n').unwrap() + 1;
    let line_of = |at: usize| text[..at].matches('\n').count();
    let id_at = |at: usize| {
        let s = text[..at].rfind('\n').map_or(0, |k| k + 1);
        text[s..].split(',').next().unwrap().to_string()
    };
    for a in (header_end..text.len()).step_by(3) {
        for b in (a + 1..text.len()).step_by(5) {
            if line_of(a) == line_of(b) {
                continue;
            }
            let bad = format!("{}\"{}\"{}", &text[..a], &text[a..b], &text[b..]);
            let got = results(&bad);
            let touched = [id_at(a), id_at(b)];
            for (id, r) in &base {
                if touched.contains(id) {
                    continue;
                }
                assert_eq!(got.get(id), Some(r), "quotes at {a} and {b} changed {id}");
            }
        }
    }
}
