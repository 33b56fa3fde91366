#![no_main]
//! Spreadsheet structure: a workbook built from the input (1–3 sheets, each with a dimension,
//! rows and cells whose references are ordinary, at the edges of a sheet, beyond it, or any
//! text; inline, shared, numeric, boolean and error values; shared strings; stored or deflated
//! parts; sometimes a few bytes of a part changed, or the whole file any bytes) read by
//! `parse::xlsx::read_sheets` within small limits. Never a panic; a result within the limits
//! (its text no longer than the text limit), or a `SheetError`.

use als_progression::parse::xlsx::{read_sheets, Limits};
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

const LIMITS: Limits = Limits {
    max_inflated: 4 << 20,
    max_cells: 20_000,
    max_text: 1 << 20,
};

fn col_name(mut c: u64) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        c /= 26;
        if c == 0 {
            break;
        }
        c -= 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn reference(u: &mut Unstructured) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0u8..=9)? {
        0..=4 => format!(
            "{}{}",
            col_name(u.int_in_range(0u64..=30)?),
            u.int_in_range(1u32..=60)?
        ),
        5 => format!(
            "{}{}",
            col_name(u.int_in_range(0u64..=16_400)?),
            u.int_in_range(1u32..=1_048_580)?
        ),
        6 => u
            .choose(&[
                "XFD1048576",
                "XFE1",
                "A1048577",
                "ZZZZZZ4294967295",
                "ZZZZZZZZZZZZ1",
                "A0",
                "1",
                "A",
                "",
                "$A$1",
                "a1",
                "A99999999999999999999999",
                "A1:B2",
                "B2:A1",
                "A1:XFD1048576",
                "é1",
            ])?
            .to_string(),
        7 => format!("{}{}", col_name(u.arbitrary::<u64>()? % 20_000_000), u.arbitrary::<u32>()?),
        _ => String::arbitrary(u)?
            .chars()
            .filter(|c| *c != '"' && *c != '<' && *c != '&')
            .take(24)
            .collect(),
    })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

fn sheet(u: &mut Unstructured, n_strings: usize) -> arbitrary::Result<String> {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    if bool::arbitrary(u)? {
        x += &format!(r#"<dimension ref="{}"/>"#, esc(&reference(u)?));
    }
    x += "<sheetData>";
    for r in 0..u.int_in_range(0u8..=12)? {
        let row_attr = match u.int_in_range(0u8..=3)? {
            0 => String::new(),
            1 => format!(r#" r="{}""#, u.int_in_range(1u32..=1_048_600)?),
            _ => format!(r#" r="{}""#, r + 1),
        };
        x += &format!("<row{row_attr}>");
        for _ in 0..u.int_in_range(0u8..=8)? {
            let r_attr = if u.ratio(1u8, 5)? {
                String::new()
            } else {
                format!(r#" r="{}""#, esc(&reference(u)?))
            };
            x += &match u.int_in_range(0u8..=6)? {
                0 => format!(
                    r#"<c{r_attr} t="inlineStr"><is><t>{}</t></is></c>"#,
                    esc(&String::arbitrary(u)?)
                ),
                1 => format!(r#"<c{r_attr}><v>{}</v></c>"#, f64::arbitrary(u)?),
                2 => format!(
                    r#"<c{r_attr} t="s"><v>{}</v></c>"#,
                    if n_strings > 0 && bool::arbitrary(u)? {
                        u.int_in_range(0..=n_strings - 1)?
                    } else {
                        u.arbitrary::<u32>()? as usize
                    }
                ),
                3 => format!(r#"<c{r_attr} t="b"><v>{}</v></c>"#, u.int_in_range(0u8..=2)?),
                4 => format!(r#"<c{r_attr} t="e"><v>#N/A</v></c>"#),
                5 => format!(
                    r#"<c{r_attr}><f t="shared" ref="{}" si="0">A1+1</f><v>1</v></c>"#,
                    esc(&reference(u)?)
                ),
                _ => format!(r#"<c{r_attr} s="{}"/>"#, u.int_in_range(0u8..=3)?),
            };
        }
        x += "</row>";
    }
    x += "</sheetData></worksheet>";
    Ok(x)
}

#[derive(Debug)]
struct Book(Vec<u8>);

impl<'a> Arbitrary<'a> for Book {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        if u.ratio(1u8, 10)? {
            // Any bytes, as a zip.
            let mut b = b"PK\x03\x04".to_vec();
            b.extend_from_slice(u.bytes(u.len().min(4096))?);
            return Ok(Book(b));
        }
        let n_sheets = u.int_in_range(1usize..=3)?;
        let strings: Vec<String> = (0..u.int_in_range(0u8..=4)?)
            .map(|_| String::arbitrary(u))
            .collect::<arbitrary::Result<_>>()?;
        let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
        let mut ct = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        );
        let mut wb = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
        );
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for k in 1..=n_sheets {
            ct += &format!(r#"<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#);
            wb += &format!(r#"<sheet name="S{k}" sheetId="{k}" r:id="rId{k}"/>"#);
            rels += &format!(r#"<Relationship Id="rId{k}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{k}.xml"/>"#);
            parts.push((format!("xl/worksheets/sheet{k}.xml"), sheet(u, strings.len())?.into_bytes()));
        }
        if !strings.is_empty() {
            rels += r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#;
            let sst: String = strings
                .iter()
                .map(|s| format!("<si><t>{}</t></si>", esc(s)))
                .collect();
            parts.push((
                "xl/sharedStrings.xml".into(),
                format!(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>"#).into_bytes(),
            ));
        }
        ct += "</Types>";
        wb += "</sheets></workbook>";
        rels += "</Relationships>";
        parts.push(("[Content_Types].xml".into(), ct.into_bytes()));
        parts.push((
            "_rels/.rels".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ));
        parts.push(("xl/workbook.xml".into(), wb.into_bytes()));
        parts.push(("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()));
        // A few bytes of one part changed.
        if u.ratio(1u8, 4)? {
            let k = u.choose_index(parts.len())?;
            let p = &mut parts[k].1;
            for _ in 0..u.int_in_range(1u8..=4)? {
                if p.is_empty() {
                    break;
                }
                let at = u.choose_index(p.len())?;
                p[at] = u8::arbitrary(u)?;
            }
        }
        let deflate = bool::arbitrary(u)?;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default().compression_method(if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        });
        for (name, bytes) in &parts {
            w.start_file(name.as_str(), o).map_err(|_| arbitrary::Error::IncorrectFormat)?;
            w.write_all(bytes).map_err(|_| arbitrary::Error::IncorrectFormat)?;
        }
        let b = w
            .finish()
            .map_err(|_| arbitrary::Error::IncorrectFormat)?
            .into_inner();
        Ok(Book(b))
    }
}

fuzz_target!(|b: Book| {
    if let Ok(sheets) = read_sheets(&b.0, &LIMITS) {
        let text: usize = sheets.iter().map(|s| s.text.len()).sum();
        assert!(text <= LIMITS.max_text, "{text} bytes of text");
        for s in &sheets {
            assert!(s.text.is_empty() || s.text.ends_with('\n'));
        }
    }
});
