//! Spreadsheets read within limits (src/parse/xlsx.rs): fixtures built here — a workbook of two
//! sheets, a 2 KB file with a cell at XFD1048576, references beyond the last cell
//! (ZZZZZZ4294967295), zip bombs (declared and hidden), too many shared strings, a text run
//! longer than a cell holds, an ODS grid repeated to 17 billion cells, an XLS header — each
//! read or refused with a clear error, never a panic or an allocation from what the file says.

use als_progression::parse::xlsx::{read_sheets, xlsx_to_text, Limits, SheetError};
use std::io::Write;

const CT: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WB: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Cover" sheetId="1" r:id="rId1"/><sheet name="Data" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#;

/// A sheet's XML from (reference, value) cells; strings inline, numbers as numbers.
fn sheet(dimension: &str, cells: &[(&str, &str)]) -> String {
    let mut rows: Vec<(u32, String)> = Vec::new();
    for (r, v) in cells {
        let row: u32 = r
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap_or(1);
        let c = if v.parse::<f64>().is_ok() {
            format!(r#"<c r="{r}"><v>{v}</v></c>"#)
        } else {
            format!(r#"<c r="{r}" t="inlineStr"><is><t>{v}</t></is></c>"#)
        };
        match rows.last_mut() {
            Some((n, s)) if *n == row => s.push_str(&c),
            _ => rows.push((row, c)),
        }
    }
    let data: String = rows
        .iter()
        .map(|(n, s)| format!(r#"<row r="{n}">{s}</row>"#))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{data}</sheetData></worksheet>"#
    )
}

/// A zip of (name, bytes) parts, deflated.
fn zip(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(*name, o).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn xlsx(sheet1: String, sheet2: String) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CT.into()),
        ("_rels/.rels", RELS.into()),
        ("xl/workbook.xml", WB.into()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.into()),
        ("xl/worksheets/sheet1.xml", sheet1.into_bytes()),
        ("xl/worksheets/sheet2.xml", sheet2.into_bytes()),
    ])
}

fn cover() -> String {
    sheet("A1", &[("A1", "ALS clinic export")])
}

#[test]
fn every_sheet_is_read_with_its_name_and_rows() {
    let data = sheet(
        "B2:D4",
        &[
            ("B2", "id"),
            ("C2", "month"),
            ("D2", "alsfrs_r"),
            ("B3", "P1"),
            ("C3", "0"),
            ("D3", "40"),
            ("B4", "P1"),
            ("D4", "38"),
            ("C4", "3"),
        ],
    );
    let bytes = xlsx(cover(), data);
    let sheets = read_sheets(&bytes, &Limits::CLI).unwrap();
    assert_eq!(sheets.len(), 2);
    assert_eq!(sheets[0].name, "Cover");
    assert_eq!(sheets[0].text, "ALS clinic export\n");
    assert_eq!(sheets[1].name, "Data");
    // Row 1 is blank; cells from column B (the first that holds anything); C4 written after D4
    // comes out in its column.
    assert_eq!(
        sheets[1].text,
        "\nid\tmonth\talsfrs_r\nP1\t0\t40\nP1\t3\t38\n"
    );
    let rows: Vec<Vec<&str>> = sheets[1].rows().collect();
    assert_eq!(rows[2], ["P1", "0", "40"]);
    // As the command line and the page read it: every sheet with cells, each after its
    // `#table:` line (the parser then reads the sheets that hold data).
    assert_eq!(
        xlsx_to_text(&bytes).unwrap(),
        "#table: Cover\nALS clinic export\n#table: Data\n\nid\tmonth\talsfrs_r\nP1\t0\t40\nP1\t3\t38\n"
    );
}

#[test]
fn a_cell_at_xfd1048576_in_a_2_kb_file_is_read_sparsely() {
    // Dense, this sheet is 17 billion cells (calamine's worksheet_range: 512 GiB).
    let s = sheet(
        "A1:XFD1048576",
        &[("A1", "id"), ("B1", "month"), ("XFD1048576", "far")],
    );
    let bytes = xlsx(cover(), s);
    assert!(bytes.len() < 2048, "{} bytes", bytes.len());
    let sheets = read_sheets(&bytes, &Limits::CLI).unwrap();
    let t = &sheets[1].text;
    assert_eq!(t.lines().count(), 1_048_576);
    assert!(t.starts_with("id\tmonth\n\n"));
    let last = t.lines().last().unwrap();
    assert_eq!(last.len(), 16_383 + 3);
    assert!(last.ends_with("\tfar"));
    // Within a small text limit it is refused, before the text is written.
    let small = Limits {
        max_text: 100_000,
        ..Limits::CLI
    };
    let e = read_sheets(&bytes, &small).unwrap_err();
    assert!(matches!(e, SheetError::TooLarge(_)), "{e}");
}

#[test]
fn references_beyond_the_last_cell_are_refused() {
    for (dim, r) in [
        ("A1", "ZZZZZZ4294967295"),
        ("A1", "XFE1"),
        ("A1", "A1048577"),
        ("A1", "ZZZZZZZZZZ1"),
        ("A1", "A99999999999999999999"),
        ("ZZZZZZ4294967295", "A1"),
        ("B2:A1", "A1"),
        // Row 0 (found by the `xlsx` fuzz target: `row - 1` wrapped before the range check).
        ("A1", "A0"),
        ("A0", "A1"),
        ("A1:C0", "A1"),
    ] {
        let bytes = xlsx(cover(), sheet(dim, &[("A1", "id"), (r, "x")]));
        let e = read_sheets(&bytes, &Limits::CLI).unwrap_err();
        assert!(matches!(e, SheetError::BadReference(_)), "{dim} {r}: {e}");
        assert!(e.to_string().contains("XFD1048576"), "{e}");
    }
    let rows = sheet("A1", &[("A1", "id")]).replace(r#"<row r="1">"#, r#"<row r="4294967296">"#);
    let e = read_sheets(&xlsx(cover(), rows), &Limits::CLI).unwrap_err();
    assert!(matches!(e, SheetError::BadReference(_)), "{e}");
}

/// Raw deflate (fixed Huffman) of `prefix`, then `n` × 258 spaces, then `suffix`: 13 bits for
/// every 258 bytes, about 160 times smaller than what it inflates to.
fn deflate_bomb(prefix: &[u8], n: usize, suffix: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, v: u32, len: u32) {
            self.acc |= u64::from(v) << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code (written from its most significant bit).
        fn code(&mut self, code: u32, len: u32) {
            let rev = code.reverse_bits() >> (32 - len);
            self.put(rev, len);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8);
            } else {
                self.code(0x190 + u32::from(b) - 144, 9);
            }
        }
    }
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // last block
    w.put(1, 2); // fixed Huffman codes
    for &b in prefix {
        w.literal(b);
    }
    w.literal(b' ');
    for _ in 0..n {
        w.code(0xC5, 8); // length 258 (code 285)
        w.code(0, 5); // distance 1
    }
    for &b in suffix {
        w.literal(b);
    }
    w.code(0, 7); // end of block
    w.put(0, 7);
    w.out
}

/// A zip of stored parts plus one deflated part given raw, with `declared` as its size (its
/// CRC is not checked: the reader stops before its end).
fn zip_with_raw(stored: &[(&str, &[u8])], raw_name: &str, raw: &[u8], declared: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut entries = 0u16;
    let mut add = |name: &str, data: &[u8], method: u16, size: u32, crc: u32| {
        let offset = out.len() as u32;
        let mut h = Vec::new();
        h.extend_from_slice(&0x04034b50u32.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&[0; 4]);
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(data.len() as u32).to_le_bytes());
        h.extend_from_slice(&size.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        let mut c = Vec::new();
        c.extend_from_slice(&0x02014b50u32.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&method.to_le_bytes());
        c.extend_from_slice(&[0; 4]);
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 12]);
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        central.extend_from_slice(&c);
        entries += 1;
    };
    for (name, data) in stored {
        add(name, data, 0, data.len() as u32, crc32(data));
    }
    add(raw_name, raw, 8, declared, 0);
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn bomb(n: usize, declared: Option<u32>) -> Vec<u8> {
    let prefix = br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>"#;
    let suffix = b"</sheetData></worksheet>";
    let raw = deflate_bomb(prefix, n, suffix);
    let size = prefix.len() + 1 + 258 * n + suffix.len();
    let wb = WB.replace(r#"<sheet name="Data" sheetId="2" r:id="rId2"/>"#, "");
    zip_with_raw(
        &[
            ("[Content_Types].xml", CT.as_bytes()),
            ("_rels/.rels", RELS.as_bytes()),
            ("xl/workbook.xml", wb.as_bytes()),
            ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ],
        "xl/worksheets/sheet1.xml",
        &raw,
        declared.unwrap_or(u32::try_from(size).unwrap_or(u32::MAX)),
    )
}

#[test]
fn a_zip_bomb_that_says_its_size_is_refused_before_inflating() {
    // 3.9 GB of sheet XML in 25 MB… declared: refused at once, nothing inflated.
    let b = bomb(15_000_000, None);
    let t = std::time::Instant::now();
    let e = read_sheets(&b, &Limits::CLI).unwrap_err();
    assert!(matches!(e, SheetError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("uncompressed"), "{e}");
    assert!(t.elapsed().as_secs() < 5, "inflated it?");
}

#[test]
fn a_zip_bomb_that_hides_its_size_is_refused_at_its_declared_size() {
    // 80 MB of sheet XML in 500 KB, declaring less: inflated only up to what it declares (the
    // zip reader stops there), which the limit bounds.
    let b = bomb(310_000, Some(1000));
    assert!(b.len() < 512 * 1024, "{}", b.len());
    let limits = Limits {
        max_inflated: 16 << 20,
        ..Limits::CLI
    };
    for declared in [1000, 15 << 20, 40 << 20] {
        let b = bomb(310_000, Some(declared));
        let e = read_sheets(&b, &limits).unwrap_err();
        match declared {
            // Its declared size is over the limit: refused before inflating.
            d if d > 16 << 20 => assert!(e.to_string().contains("at most 16 MB"), "{e}"),
            // Inflated to its declared size, where the zip reader stops.
            1000 => assert!(e.to_string().contains("declared"), "{e}"),
            // Stopped by the longest text a cell can hold, before the declared size.
            _ => assert!(e.to_string().contains("32,767"), "{e}"),
        }
    }
}

#[test]
fn a_text_longer_than_a_cell_holds_is_refused() {
    let long = "x".repeat(2 << 20);
    let e = read_sheets(&xlsx(cover(), sheet("A1", &[("A1", &long)])), &Limits::CLI).unwrap_err();
    assert!(matches!(e, SheetError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("32,767"), "{e}");
}

#[test]
fn cells_and_shared_strings_beyond_the_limit_are_refused() {
    let limits = Limits {
        max_cells: 50,
        ..Limits::CLI
    };
    let refs: Vec<String> = (1..=60).map(|r| format!("A{r}")).collect();
    let cells: Vec<(&str, &str)> = refs.iter().map(|r| (r.as_str(), "1")).collect();
    let e = read_sheets(&xlsx(cover(), sheet("A1:A60", &cells)), &limits).unwrap_err();
    assert!(e.to_string().contains("more than 50 cells"), "{e}");
    // 60 shared strings, none of them used.
    let sst = format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>"#,
        "<si><t>a</t></si>".repeat(60)
    );
    let bytes = zip(&[
        ("[Content_Types].xml", CT.into()),
        ("_rels/.rels", RELS.into()),
        ("xl/workbook.xml", WB.into()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.into()),
        ("xl/sharedStrings.xml", sst.into_bytes()),
        ("xl/worksheets/sheet1.xml", cover().into_bytes()),
        ("xl/worksheets/sheet2.xml", cover().into_bytes()),
    ]);
    let e = read_sheets(&bytes, &limits).unwrap_err();
    assert!(matches!(e, SheetError::TooLarge(_)), "{e}");
}

fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("content.xml", content.into_bytes()),
        ("META-INF/manifest.xml", manifest.into()),
    ])
}

fn ods_cell(v: &str, repeat: u32) -> String {
    format!(
        r#"<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
    )
}

#[test]
fn ods_is_read_and_a_repeated_grid_is_refused() {
    let table = format!(
        r#"<table:table table:name="Data"><table:table-row>{}{}</table:table-row><table:table-row>{}<table:table-cell office:value-type="float" office:value="40"><text:p>40</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#,
        ods_cell("id", 1),
        ods_cell("alsfrs_r", 1),
        ods_cell("P1", 1)
    );
    let sheets = read_sheets(&ods(&table), &Limits::CLI).unwrap();
    assert_eq!(sheets[0].name, "Data");
    assert_eq!(sheets[0].text, "id\talsfrs_r\nP1\t40\n");
    // One cell with a value, repeated over every column of every row: 17 billion cells.
    let table = format!(
        r#"<table:table table:name="Bomb"><table:table-row table:number-rows-repeated="1048576">{}</table:table-row></table:table>"#,
        ods_cell("x", 16384)
    );
    let e = read_sheets(&ods(&table), &Limits::CLI).unwrap_err();
    assert!(matches!(e, SheetError::TooLarge(_)), "{e}");
}

#[test]
fn xls_and_other_files_are_refused_with_what_to_do() {
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(2048, 0);
    let e = read_sheets(&xls, &Limits::CLI).unwrap_err();
    assert!(matches!(e, SheetError::Unsupported(_)));
    assert!(e.to_string().contains(".xlsx or as CSV"), "{e}");
    for junk in [&b""[..], b"id,month\n", b"PK\x03\x04garbage"] {
        let e = read_sheets(junk, &Limits::CLI).unwrap_err();
        assert!(matches!(e, SheetError::Unreadable(_)), "{e}");
    }
    let e = read_sheets(&zip(&[("a.txt", b"x".to_vec())]), &Limits::CLI).unwrap_err();
    assert!(e.to_string().contains("no workbook"), "{e}");
}
