//! Hostile text through the core: patient ids, group names and event labels made of markup,
//! script, spreadsheet formulas, bidi overrides, control characters and very long strings.
//! They must go through the analysis, the CSV and text reports and every chart without a
//! panic, without formula injection in the CSV and without live markup in the SVG.

use als_progression::analysis::Analysis;
use als_progression::charts::{render_svg, ChartKind, ChartOptions};
use als_progression::output::{to_csv, to_text};
use als_progression::pipeline::run;
use als_progression::settings::Settings;

fn hostile() -> Vec<String> {
    let mut v: Vec<String> = [
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "</script><script>alert(1)</script>",
        "</text></svg><svg onload=alert(1)>",
        "javascript:alert(1)",
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "-1+1",
        "@SUM(A1)",
        "=1+1",
        "\u{FF1D}1+1",
        "\u{202E}gnp.exe",
        "a\u{0}b",
        "ctl\u{1}\u{7}\u{1b}[31m\u{7f}\u{85}x",
        "😀👩\u{200d}⚕️🇪🇺",
        "\"quoted, with comma\"",
        "semi;colon\ttab",
        "line\nbreak",
        "cr\rreturn",
        "&amp;&lt;&#x3c;",
        "]]><!--",
        "' onmouseover='alert(1)",
        "\" onmouseover=\"alert(1)",
        "<![CDATA[<script>x</script>]]>",
        "${7*7}{{7*7}}%s%n",
        "\u{FEFF}bom",
        "\u{FFFE}\u{FFFF}nonchar",
        "<a href=\"javascript:alert(1)\">x</a>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(10_000));
    v.push("<".repeat(300));
    v
}

fn groups() -> Vec<String> {
    [
        "<img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://x\",\"y\")",
        "\u{202E}A",
        "-B",
        "\t@grp",
        "\u{FFFF}\u{202E}\u{1}<g>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Long layout with one patient per hostile id; lead-in, a hostile event label, follow-up.
fn input() -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record([
        "id",
        "group",
        "visit_date",
        "alsfrs_r",
        "fvc",
        "event",
        "<script>alert(1)</script>",
    ])
    .unwrap();
    let gs = groups();
    for (i, id) in hostile().iter().enumerate() {
        let g = &gs[i % gs.len()];
        let d = (i % 3) as u32;
        let rows = [
            ("2020-01-01", 44, ""),
            ("2020-02-01", 43 - d, ""),
            ("2020-03-01", 41 - d, "<svg onload=alert(1)>\u{FFFE}\u{1}&"),
            ("2020-04-01", 41 - d, ""),
            ("2020-06-01", 40 - d, ""),
        ];
        for (date, y, ev) in rows {
            let ev = if ev.is_empty() {
                String::new()
            } else {
                format!("{ev}{i}")
            };
            w.write_record([
                id.as_str(),
                g,
                date,
                &y.to_string(),
                &(y + 50).to_string(),
                &ev,
                "=cmd",
            ])
            .unwrap();
        }
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn analysis() -> Analysis {
    let s = Settings {
        include_series: true,
        ..Settings::default()
    };
    run(&input(), &s).expect("hostile input is still analysable")
}

#[test]
fn hostile_ids_and_groups_survive_the_analysis() {
    let a = analysis();
    let ids: std::collections::BTreeSet<&str> = a.patients.iter().map(|p| p.id.as_ref()).collect();
    // Ids are kept as written (trimmed of surrounding whitespace only).
    for h in hostile() {
        let h = h.trim();
        assert!(
            ids.contains(h),
            "id {:?} lost; ids: {:?}",
            &h.chars().take(40).collect::<String>(),
            ids.len()
        );
    }
    assert!(a
        .patients
        .iter()
        .all(|p| p.pre_rate.is_some() && p.post_rate.is_some()));
}

fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(|x| x.is_finite())
}

#[test]
fn csv_has_no_formula_cells() {
    let a = analysis();
    let out = to_csv(&a);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(out.as_bytes());
    let mut n = 0;
    let mut seen_ids = std::collections::BTreeSet::new();
    for rec in r.records() {
        let rec = rec.expect("the CSV parses back");
        n += 1;
        for cell in rec.iter() {
            if let Some(c) = cell.chars().next() {
                let risky = matches!(
                    c,
                    '=' | '+'
                        | '-'
                        | '@'
                        | '\t'
                        | '\r'
                        | '\u{FF1D}'
                        | '\u{FF0B}'
                        | '\u{FF0D}'
                        | '\u{FF20}'
                );
                assert!(
                    !risky || is_number(cell),
                    "formula-like cell {:?}",
                    cell.chars().take(60).collect::<String>()
                );
            }
        }
        seen_ids.insert(rec[0].trim_start_matches('\'').to_string());
    }
    assert_eq!(n, a.patients.len());
    // Every id is still recognisable (possibly behind the neutralising quote).
    for p in &a.patients {
        assert!(
            seen_ids.contains(p.id.as_ref()) || seen_ids.contains(p.id.trim_start_matches('\'')),
            "{:?}",
            p.id
        );
    }
}

#[test]
fn text_report_handles_hostile_text() {
    let a = analysis();
    let t = to_text(&a);
    assert!(t.contains("== ALSFRS-R"));
    // No terminal escapes, carriage returns or bidi overrides from the input reach the report.
    for c in t.chars() {
        assert!(
            !(c.is_control() && c != '\n')
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
            "U+{:04X} in the text report",
            c as u32
        );
    }
}

/// Checks an SVG document: a single <svg> root, only drawing elements, no event-handler or
/// script-bearing attributes, no raw `<` or bare `&` in text, no characters XML forbids, and
/// balanced tags. Returns what is wrong.
fn svg_problems(svg: &str) -> Vec<String> {
    const TAGS: &[&str] = &[
        "svg", "g", "rect", "line", "polyline", "polygon", "circle", "ellipse", "path", "text",
        "tspan", "defs", "clipPath", "title", "desc",
    ];
    let mut bad = Vec::new();
    for c in svg.chars() {
        let ok =
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
        if !ok {
            bad.push(format!(
                "character U+{:04X} is not allowed in XML",
                c as u32
            ));
        }
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            bad.push(format!(
                "bidi control U+{:04X} can disguise a label",
                c as u32
            ));
        }
    }
    for needle in [
        "<img",
        "<script",
        "<a ",
        "<a>",
        "<foreignObject",
        "<iframe",
        "<![CDATA",
        "<!--",
    ] {
        if svg.contains(needle) {
            bad.push(format!("raw {needle}"));
        }
    }
    if svg.matches("<svg").count() != 1 {
        bad.push(format!("{} <svg elements", svg.matches("<svg").count()));
    }
    let b = svg.as_bytes();
    let mut i = 0;
    let mut stack: Vec<String> = Vec::new();
    let check_text = |t: &str, bad: &mut Vec<String>| {
        // Every & must start an entity.
        let mut rest = t;
        while let Some(k) = rest.find('&') {
            let after = &rest[k + 1..];
            let ok = ["lt;", "gt;", "amp;", "quot;", "apos;"]
                .iter()
                .any(|e| after.starts_with(e))
                || (after.starts_with('#') && after.find(';').is_some_and(|j| j > 1 && j < 10));
            if !ok {
                bad.push(format!(
                    "bare & in {:?}",
                    &t.chars().take(60).collect::<String>()
                ));
            }
            rest = after;
        }
        if t.contains('>') {
            // Allowed in XML, but plotters escapes it: a raw one means something was not escaped.
            bad.push(format!(
                "raw > in text {:?}",
                &t.chars().take(60).collect::<String>()
            ));
        }
    };
    while i < b.len() {
        if b[i] == b'<' {
            let end = match svg[i..].find('>') {
                Some(e) => i + e,
                None => {
                    bad.push("unterminated tag".into());
                    break;
                }
            };
            let tag = &svg[i + 1..end];
            i = end + 1;
            if tag.starts_with('?') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name.trim() => {}
                    other => bad.push(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name: String = tag.chars().take_while(|c| !c.is_whitespace()).collect();
            if !TAGS.contains(&name.as_str()) {
                bad.push(format!("element <{name}>"));
            }
            // Attributes: name="value" pairs, values free of < and of script URLs.
            let mut rest = tag[name.len()..].trim_start();
            while !rest.is_empty() {
                let Some(eq) = rest.find("=\"") else {
                    bad.push(format!(
                        "malformed attributes in <{name}>: {:?}",
                        rest.chars().take(60).collect::<String>()
                    ));
                    break;
                };
                let an = rest[..eq].trim();
                let after = &rest[eq + 2..];
                let Some(close) = after.find('"') else {
                    bad.push(format!("unterminated attribute {an}"));
                    break;
                };
                let val = &after[..close];
                if an.to_ascii_lowercase().starts_with("on")
                    || an.contains(':') && an != "xmlns:xlink"
                    || an == "href"
                {
                    bad.push(format!("attribute {an} on <{name}>"));
                }
                if val.contains('<') || val.to_ascii_lowercase().contains("javascript:") {
                    bad.push(format!("attribute value {val:?}"));
                }
                check_text(val, &mut bad);
                rest = after[close + 1..].trim_start();
            }
            if !self_closing {
                stack.push(name);
            }
        } else {
            let end = svg[i..].find('<').map(|e| i + e).unwrap_or(b.len());
            check_text(&svg[i..end], &mut bad);
            i = end;
        }
    }
    if !stack.is_empty() {
        bad.push(format!("unclosed {stack:?}"));
    }
    bad
}

#[test]
fn svg_checker_catches_live_markup() {
    // The checker itself must notice what it is meant to catch.
    let good =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text x=\"1\">&lt;img&gt; &amp;</text></svg>";
    assert!(svg_problems(good).is_empty(), "{:?}", svg_problems(good));
    for bad in [
        "<svg><text><img src=x onerror=alert(1)></text></svg>",
        "<svg><text>a & b</text></svg>",
        "<svg><text>a</text><svg onload=\"x\"></svg></svg>",
        "<svg><rect onclick=\"x\"/></svg>",
        "<svg><text>\u{1}</text></svg>",
        "<svg><text>a</svg>",
    ] {
        assert!(!svg_problems(bad).is_empty(), "{bad}");
    }
}

#[test]
fn every_chart_with_each_hostile_patient_selected_is_inert_svg() {
    let a = analysis();
    let mut ids: Vec<String> = a.patients.iter().map(|p| p.id.to_string()).collect();
    ids.dedup();
    for m in a.measures.clone() {
        for id in &ids {
            let opts = ChartOptions {
                measure: Some(m),
                selected: Some(id.clone()),
                width: 480,
                height: 320,
                show_models: true,
                ..Default::default()
            };
            for kind in ChartKind::ALL {
                let svg = render_svg(kind, &a, &opts)
                    .unwrap_or_else(|e| panic!("{} failed for {id:?}: {e}", kind.name()));
                let problems = svg_problems(&svg);
                assert!(
                    problems.is_empty(),
                    "{} chart, patient {:?}: {problems:#?}",
                    kind.name(),
                    id.chars().take(40).collect::<String>()
                );
            }
        }
    }
}

#[test]
fn charts_without_a_selection_are_inert_svg() {
    let a = analysis();
    for kind in ChartKind::ALL {
        let svg = render_svg(kind, &a, &ChartOptions::default()).unwrap();
        let problems = svg_problems(&svg);
        assert!(problems.is_empty(), "{}: {problems:#?}", kind.name());
    }
}

#[test]
fn hostile_text_in_wide_layout_and_headers_is_analysable() {
    let mut text = String::from("id,\"<svg onload=alert(1)>\",-3,0,3,6,\"=cmd|' /C calc'!A0\"\n");
    for (i, id) in hostile().iter().enumerate() {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record([
            id.as_str(),
            "=1",
            "44",
            &(43 - i % 3).to_string(),
            "40",
            "39",
            "@x",
        ])
        .unwrap();
        text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    }
    let a = run(
        &text,
        &Settings {
            include_series: true,
            ..Settings::default()
        },
    )
    .unwrap();
    let _ = to_text(&a);
    let out = to_csv(&a);
    let mut r = csv::ReaderBuilder::new().from_reader(out.as_bytes());
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            if let Some(c) = cell.chars().next() {
                assert!(
                    !matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') || is_number(cell),
                    "{cell:?}"
                );
            }
        }
    }
}
