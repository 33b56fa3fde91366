#![no_main]
//! Stray quotes: a well-formed file (built from the input: comma or tab, 1–8 patients of 1–5
//! visits, ids, groups, scores, event labels, some cells quoted, some quoted over two lines) with
//! one or two `"` put in at positions the input chooses. Parsing never panics, every patient the
//! quotes did not touch is read exactly as without them (same id, group, visits and events),
//! and with no quote put in nothing is reported as a stray quote.

use als_progression::diag::DiagKind;
use als_progression::pipeline::parse;
use als_progression::settings::Settings;
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[derive(Debug)]
struct Case {
    text: String,
    /// The 1-based first and last lines of each patient's rows, by patient.
    lines: Vec<(usize, usize)>,
    /// Byte offsets (into `text`) of the quotes to put in.
    at: Vec<usize>,
    d: char,
}

fn word(u: &mut Unstructured) -> arbitrary::Result<String> {
    const PARTS: &[&str] = &["SYN", "P", "pt", "é", "x y", "A", "B", "IV", "ç", "-", "0", "9"];
    let mut s = String::new();
    for _ in 0..u.int_in_range(1u8..=3)? {
        s += u.choose(PARTS)?;
    }
    Ok(s)
}

impl<'a> Arbitrary<'a> for Case {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let d = if bool::arbitrary(u)? { ',' } else { '\t' };
        let mut text = format!("id{d}group{d}date{d}alsfrs_r{d}event\n");
        let mut line = 2;
        let mut lines = Vec::new();
        let n = u.int_in_range(1u8..=8)?;
        for i in 0..n {
            let id = format!("{}{i}", word(u)?);
            let group = word(u)?;
            let quote_id = u.ratio(1u8, 6)?;
            let first = line;
            for v in 0..u.int_in_range(1u8..=5)? {
                let score = u.int_in_range(0u8..=48)?;
                let ev = match u.int_in_range(0u8..=5)? {
                    0 => format!("\"{}{d} dose\"", word(u)?),
                    1 => format!("\"{}\nsecond line\"", word(u)?),
                    2 => word(u)?,
                    _ => String::new(),
                };
                let idc = if quote_id { format!("\"{id}\"") } else { id.clone() };
                text += &format!("{idc}{d}{group}{d}2020-{:02}-01{d}{score}{d}{ev}\n", v + 1);
                line += 1 + ev.matches('\n').count();
            }
            lines.push((first, line - 1));
        }
        let mut at = Vec::new();
        for _ in 0..u.int_in_range(0u8..=2)? {
            let header_end = text.find('\n').unwrap_or(0) + 1;
            let mut p = u.int_in_range(header_end..=text.len())?;
            while !text.is_char_boundary(p) {
                p -= 1;
            }
            at.push(p);
        }
        at.sort_unstable();
        Ok(Case { text, lines, at, d })
    }
}

/// What a patient is read as: group, visits (day, line-free scores) and events.
fn patients(text: &str) -> Option<Vec<(String, String)>> {
    let p = parse(text, &Settings::default()).ok()?;
    Some(
        p.dataset
            .patients
            .iter()
            .map(|pt| {
                let visits: Vec<String> = pt
                    .visits
                    .iter()
                    .map(|v| format!("{}:{:?}", v.day, v.scores.iter().collect::<Vec<_>>()))
                    .collect();
                let events: Vec<String> = pt
                    .events
                    .iter()
                    .map(|e| format!("{}:{}", e.day, e.label))
                    .collect();
                (pt.id.to_string(), format!("{}|{visits:?}|{events:?}", pt.group))
            })
            .collect(),
    )
}

fuzz_target!(|c: Case| {
    let base = patients(&c.text).expect("the well-formed file parses");
    if c.at.is_empty() {
        let p = parse(&c.text, &Settings::default()).expect("parses");
        assert!(
            p.diagnostics.iter().all(|x| x.kind != DiagKind::StrayQuote),
            "{:?}: {:?}",
            c.text,
            p.diagnostics
        );
        return;
    }
    let mut bad = String::new();
    let mut last = 0;
    for &p in &c.at {
        bad += &c.text[last..p];
        bad.push('"');
        last = p;
    }
    bad += &c.text[last..];
    let got = patients(&bad).unwrap_or_default();
    // Lines the quotes went into (1-based; a quote after the last line end touches nothing).
    let touched: Vec<usize> = c
        .at
        .iter()
        .filter(|&&p| p < c.text.len())
        .map(|&p| 1 + c.text[..p].matches('\n').count())
        .collect();
    for (k, &(first, last_line)) in c.lines.iter().enumerate() {
        let (id, want) = &base[k];
        if touched.iter().any(|&l| l >= first && l <= last_line) {
            continue;
        }
        // Rows of another patient that a quote swallowed whole may come back under this id
        // only if that patient was touched; an untouched patient is read exactly as before.
        let mine_now: Vec<&String> = got.iter().filter(|(i, _)| i == id).map(|(_, r)| r).collect();
        assert_eq!(
            mine_now,
            vec![want],
            "patient {id} changed; quotes at {:?} (lines {touched:?}) of {:?} (delimiter {:?})",
            c.at,
            c.text,
            c.d
        );
    }
});
