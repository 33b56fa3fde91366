//! The quoted reader against the csv crate, stray quotes, rows with more cells than the header,
//! and the text limit.

use crate::diag::{DiagKind, Severity};
use crate::parse::tokenizer::{read_table_limited, read_table_with, Table};
use crate::settings::Settings;

/// A table as (header, header line, rows as (line, fields)).
type View = (Vec<String>, usize, Vec<(usize, Vec<String>)>);

fn view(t: &Table) -> View {
    (
        t.header.clone(),
        t.header_line,
        t.records()
            .map(|r| (r.line, r.iter().map(str::to_string).collect()))
            .collect(),
    )
}

/// What the tokenizer gave before it had a reader of its own: the csv crate (flexible, quoting
/// on, no headers) from the header line, the header trimmed and its trailing empty names
/// dropped, blank records dropped, lines counted as people count them.
fn csv_view(text: &str) -> View {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty()
            || t.starts_with('#')
            || t.chars().all(|c| c == ',' || c == ';' || c == '\t')
        {
            offset += line.len();
            continue;
        }
        break;
    }
    let d = read_table_with(text, false).unwrap().delimiter;
    let bytes = text.as_bytes();
    let line_of = |mut byte: usize| {
        while byte < bytes.len() && (bytes[byte] == b'\n' || bytes[byte] == b'\r') {
            byte += 1;
        }
        1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count()
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(d)
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[offset..]);
    let mut header = None;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let line = line_of(offset + rec.position().unwrap().byte() as usize);
        if header.is_none() {
            let mut h: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
            while h.last().is_some_and(|s| s.is_empty()) {
                h.pop();
            }
            header = Some((h, line));
            continue;
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, rec.iter().map(str::to_string).collect()));
    }
    let (h, l) = header.unwrap_or_default();
    (h, l, rows)
}

#[test]
fn quoted_reader_reads_well_formed_quotes_as_the_csv_crate() {
    let texts = [
        "id,month,x\n\"a,b\",1,2\n",
        "id,month,x\r1,2,3\r4,5,6",
        "id,month,note\nP1,0,\"fell,\nthen rose\"\nP1,1,\"said \"\"hi\"\"\"\r\n\r\nP2,0,x\"y\n",
        "\u{feff}# c\n\nid;month;\"a;b\"\nP;0;\"1\";\"\"\n;;\nQ;\"2\"x;3",
        "id\tmonth\nP\t\"\"\"\"\t\n\"P\"\t1",
        "id,month\nP,1,",
        "id,month\nP,\"1\"",
        "id,month\n\"\"",
    ];
    for t in texts {
        let table = read_table_with(t, false).unwrap();
        assert!(table.diags.is_empty(), "{t:?}: {:?}", table.diags);
        assert_eq!(view(&table), csv_view(t), "{t:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// On any text the reader gives the csv crate's records, unless it took a quote literally
    /// (and says so).
    #[test]
    fn quoted_reader_reads_as_the_csv_crate(
        body in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("\"".to_string()),
                proptest::strategy::Just("\"\"".to_string()),
                proptest::strategy::Just("\n".to_string()),
                proptest::strategy::Just("\r\n".to_string()),
                proptest::strategy::Just("\r".to_string()),
                proptest::strategy::Just(",".to_string()),
                proptest::strategy::Just("\t".to_string()),
                proptest::strategy::Just(" ".to_string()),
                "[a-z0-9é]{1,3}",
            ],
            0..40,
        ),
        delim in proptest::sample::select(vec![",", "\t"]),
    ) {
        let text = format!("id{delim}month{delim}x\n{}", body.concat());
        let table = read_table_with(&text, false).unwrap();
        if table.diags.is_empty() {
            proptest::prop_assert_eq!(view(&table), csv_view(&text));
        } else {
            proptest::prop_assert!(table.diags.iter().all(|d| d.kind == DiagKind::StrayQuote));
        }
    }
}

/// Twenty patients of two visits each, comma- or tab-separated.
fn cohort(d: &str) -> String {
    let mut s = format!("id{d}group{d}date{d}alsfrs_r\n");
    for i in 1..=20 {
        for (date, y) in [("2020-01-01", 40), ("2020-04-01", 37)] {
            s += &format!("SYN-{i:03}{d}MSC{d}{date}{d}{}\n", y - i % 3);
        }
    }
    s
}

fn ids(text: &str) -> Vec<String> {
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    p.dataset
        .patients
        .iter()
        .map(|p| p.id.to_string())
        .collect()
}

fn with_quote_at_line(text: &str, line: usize, cell: usize, d: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[line - 1].split(d).map(str::to_string).collect();
    cells[cell] = format!("\"{}", cells[cell]);
    lines[line - 1] = cells.join(d);
    lines.join("\n") + "\n"
}

#[test]
fn a_stray_quote_opening_a_cell_loses_no_patient() {
    for d in [",", "\t"] {
        let text = cohort(d);
        let all = ids(&text);
        assert_eq!(all.len(), 20);
        // Line 7: SYN-003's second row; the quote opens the id, the group, the score.
        for cell in [0, 1, 3] {
            let bad = with_quote_at_line(&text, 7, cell, d);
            let p = crate::parse::parse(&bad, &Settings::default()).unwrap();
            let got: Vec<String> = p
                .dataset
                .patients
                .iter()
                .map(|p| p.id.to_string())
                .collect();
            for id in &all {
                assert!(got.contains(id), "{d:?} cell {cell}: {id} lost: {got:?}");
            }
            let stray: Vec<_> = p
                .diagnostics
                .iter()
                .filter(|x| x.kind == DiagKind::StrayQuote)
                .collect();
            assert_eq!(stray.len(), 1, "{d:?} cell {cell}: {:?}", p.diagnostics);
            assert_eq!(stray[0].line, Some(7));
            let quoted_line = bad.lines().nth(6).unwrap();
            let column = 1 + quoted_line.find('"').unwrap();
            assert!(
                stray[0].message.contains(&format!("column {column} ")),
                "{}",
                stray[0].message
            );
        }
    }
}

#[test]
fn a_stray_quote_closed_rows_later_is_found_by_the_cell_count() {
    // The quote at line 3 (SYN-001's second row) runs to a quote at line 9: the record has as
    // many cells as the header, but the rows between are whole rows without the quote.
    let mut text = cohort(",");
    text = with_quote_at_line(&text, 3, 1, ",");
    text = text.replace("SYN-004,MSC,2020-04-01", "SYN-004,\"MSC\",2020-04-01");
    let p = crate::parse::parse(&text, &Settings::default()).unwrap();
    assert_eq!(p.dataset.patients.len(), 20, "{:?}", p.diagnostics);
    let stray: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|x| x.kind == DiagKind::StrayQuote)
        .collect();
    assert_eq!(stray.len(), 1);
    assert_eq!(stray[0].line, Some(3));
    assert_eq!(stray[0].column.as_deref(), Some("group"));
    // SYN-004's quoted group is still read as MSC.
    let g = |id: &str| {
        p.dataset
            .patients
            .iter()
            .find(|p| &*p.id == id)
            .map(|p| p.group.to_string())
    };
    assert_eq!(g("SYN-004").as_deref(), Some("MSC"));
    // SYN-001's row with the quote is kept (its group "MSC, with the quote, conflicts with MSC).
    let syn1 = p
        .dataset
        .patients
        .iter()
        .find(|p| &*p.id == "SYN-001")
        .unwrap();
    assert_eq!(syn1.visits.len(), 2);
}

#[test]
fn a_stray_quote_that_swallows_whole_rows_with_the_right_cell_count_is_found() {
    // `"38` on line 2 runs to the quote opening line 4's last cell: the record has 4 cells, as
    // many as the header, but the lines it spans are whole rows without the quote.
    let text = "id,group,date,alsfrs_r\n\
                P1,A,2020-01-01,\"38\n\
                P2,A,2020-01-01,40\n\
                P3,A,2020-01-01,\"41\"\n\
                P1,A,2020-03-01,36\nP2,A,2020-03-01,39\nP3,A,2020-03-01,40\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    assert_eq!(p.dataset.patients.len(), 3);
    assert!(p
        .dataset
        .patients
        .iter()
        .all(|p| p.visits.len() == 2 || &*p.id == "P1"));
    let stray: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|x| x.kind == DiagKind::StrayQuote)
        .collect();
    assert_eq!(stray.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(stray[0].line, Some(2));
    assert!(
        stray[0].message.contains("whole rows"),
        "{}",
        stray[0].message
    );
}

#[test]
fn a_quoted_note_over_several_lines_is_kept() {
    let text = "id,date,alsfrs_r,note\n\
                P1,2020-01-01,40,\"fell at home;\nhospital, 2 days\"\n\
                P1,2020-03-01,38,\n\
                P2,2020-01-01,41,\"line one\nline two\nline three\"\n\
                P2,2020-03-01,40,ok\n";
    let table = read_table_with(text, true).unwrap();
    assert!(table.diags.is_empty(), "{:?}", table.diags);
    assert_eq!(view(&table), csv_view(text));
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    assert_eq!(p.dataset.patients.len(), 2);
    assert!(p.dataset.patients.iter().all(|p| p.visits.len() == 2));
}

#[test]
fn a_multi_line_header_name_is_kept_and_a_stray_quote_in_the_header_is_not() {
    let t = "id,date,\"ALSFRS-R\n(total)\"\nP1,2020-01-01,40\n";
    let table = read_table_with(t, true).unwrap();
    assert!(table.diags.is_empty());
    assert_eq!(table.header[2], "ALSFRS-R\n(total)");
    let t = "id\t\"group\tdate\talsfrs_r\nP1\tA\t2020-01-01\t40\nP1\tA\t2020-02-01\t39\n";
    let table = read_table_with(t, true).unwrap();
    assert_eq!(table.delimiter, b'\t', "the stray quote hides no tab");
    assert_eq!(table.header, ["id", "\"group", "date", "alsfrs_r"]);
    assert_eq!(table.n_records(), 2);
    assert_eq!(table.diags.len(), 1);
    assert_eq!(table.diags[0].line, Some(1));
}

#[test]
fn a_decimal_comma_in_a_comma_file_is_named_and_the_row_skipped() {
    let text =
        "id,date,alsfrs_r,event\nP1,2020-01-01,40,\nP1,2020-02-01,38,5,\nP1,2020-03-01,37,\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    let pt = &p.dataset.patients[0];
    assert!(pt.events.is_empty(), "no event labelled 5: {:?}", pt.events);
    assert_eq!(pt.visits.len(), 2);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.kind == DiagKind::RaggedRow)
        .unwrap();
    assert_eq!((d.line, d.severity), (Some(3), Severity::Error));
    assert!(
        d.message.contains("decimal comma") && d.message.contains("38.5"),
        "{}",
        d.message
    );
    assert_eq!(d.patient.as_deref(), Some("P1"));
    // Wide layout likewise.
    let text = "id,0,6,12\nP1,40,38,5,36\nP2,41,40,39\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    assert_eq!(p.dataset.patients.len(), 1);
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::RaggedRow && d.line == Some(2)));
}

#[test]
fn extra_cells_are_named_and_trailing_empty_ones_are_not() {
    let d = |text: &str| {
        crate::parse::parse(text, &Settings::default())
            .unwrap()
            .diagnostics
            .into_iter()
            .filter(|d| d.kind == DiagKind::RaggedRow)
            .map(|d| (d.line, d.severity))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        d("id,date,alsfrs_r\nP,2020-01-01,40,note\n"),
        [(Some(2), Severity::Warning)]
    );
    assert_eq!(d("id,date,alsfrs_r\nP,2020-01-01,40,,\n"), []);
    // Tab-separated: a comma is no delimiter, so 38,5 is one cell.
    assert_eq!(d("id\tdate\talsfrs_r\nP\t2020-01-01\t38,5\n"), []);
}

#[test]
fn the_text_limit_counts_the_whole_text() {
    // Spans of the unquoted reader are positions in the whole text, comment lines included:
    // the limit must be on all of it, not on what follows them.
    let text = format!("{}id,month,alsfrs_r\nP,0,40\nP,1,39\n", "#\n".repeat(100));
    let err = read_table_limited(&text, true, 150).err().expect("refused");
    assert!(err.message.contains("at most"), "{}", err.message);
}

#[test]
fn a_closing_quote_doubled_into_an_escape_swallows_no_row() {
    // Found by the `quotes` fuzz target: `"IV, dose""` does not close (the `""` is a quote in
    // the field), so the field ran on over whole rows to the next quote, with as many cells as
    // the header. The rows it ran over are read as rows.
    let text = "id\tgroup\tdate\talsfrs_r\tevent\n\
                P0\tA\t2020-01-01\t40\t\"IV\t dose\"\"\n\
                P1\tB\t2020-01-01\t43\t\n\
                P1\tB\t2020-02-01\t41\t\n\
                P2\tB\t2020-01-01\t43\t\"IV\nsecond line\"\n\
                P2\tB\t2020-02-01\t42\t\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    let ids: Vec<&str> = p.dataset.patients.iter().map(|p| &*p.id).collect();
    assert_eq!(ids, ["P0", "P1", "P2"], "{:?}", p.diagnostics);
    assert_eq!(p.dataset.patients[1].visits.len(), 2);
    assert_eq!(p.dataset.patients[2].visits.len(), 2);
    assert_eq!(&*p.dataset.patients[2].events[0].label, "IV\nsecond line");
    let stray: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|x| x.kind == DiagKind::StrayQuote)
        .collect();
    assert_eq!(stray.len(), 1);
    assert_eq!(stray[0].line, Some(2));
}

#[test]
fn a_doubled_quote_on_the_second_line_of_a_note_swallows_no_row() {
    // Found by the `quotes` fuzz target: the note's closing quote doubled on its second line
    // (`second line""`) ran the field on over the next row, to the next note's opening quote.
    let text = "id,group,date,alsfrs_r,event\n\
                P1,A,2020-01-01,15,\"IV\nsecond line\"\n\
                P1,A,2020-02-01,15,\"IV\nsecond line\"\"\n\
                P2,A,2020-01-01,15,\"IV\nsecond line\"\n\
                P2,A,2020-02-01,15,\"IV\nsecond line\"\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    let p2 = p
        .dataset
        .patients
        .iter()
        .find(|p| &*p.id == "P2")
        .expect("P2 kept");
    assert_eq!(p2.visits.len(), 2, "{:?}", p.diagnostics);
    assert_eq!(p2.events.len(), 2);
    assert!(p
        .diagnostics
        .iter()
        .any(|x| x.kind == DiagKind::StrayQuote && x.line == Some(4)));
}

#[test]
fn an_id_over_two_lines_whose_second_line_looks_like_a_row_is_kept() {
    // tests/hostile.rs's id "line\nbreak": its second line (`break",A,…`) has a whole row's
    // cells, but with the quote taken literally its first line (`"line`) is a row cut short.
    let text = "id,group,date,alsfrs_r\n\
                \"line\nbreak\",A,2020-01-01,40\n\
                \"line\nbreak\",A,2020-03-01,38\n\
                P2,A,2020-01-01,41\nP2,A,2020-03-01,40\n";
    let table = read_table_with(text, true).unwrap();
    assert!(table.diags.is_empty(), "{:?}", table.diags);
    assert_eq!(view(&table), csv_view(text));
    assert_eq!(ids(text), ["line\nbreak", "P2"]);
}

#[test]
fn a_doubled_quote_ending_a_note_line_before_a_quoted_id_swallows_no_row() {
    // Found by the `quotes` fuzz target: two quotes put in the second line of P0's note
    // (`"second line""`). With the note's quote taken literally, that line opens a field that
    // runs on over B1's row (its `"` closes the field before `B1"`: not how a quoted cell ends),
    // so it is taken literally too and B1's row is read as a row.
    let text = "id,group,date,alsfrs_r,event\n\
                P0,PP,2020-01-01,13,\"PB\nsecond line\"\n\
                P0,PP,2020-02-01,13,\n\
                P0,PP,2020-04-01,13,\"P\u{e9}B\n\"second line\"\"\n\
                \"B1\",B,2020-01-01,10,\"B, dose\"\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    let b1 = p.dataset.patients.iter().find(|p| &*p.id == "B1");
    let b1 = b1.unwrap_or_else(|| panic!("B1 kept: {:?}", p.diagnostics));
    assert_eq!(b1.visits.len(), 1);
    assert_eq!(&*b1.events[0].label, "B, dose");
}

#[test]
fn a_note_over_two_lines_in_the_last_row_is_not_a_note_after_the_data() {
    // Found by the `quotes` fuzz target (no quote put in: a well-formed file): the last row's
    // event note runs over two lines (`"SYN` / `second line"`); its second line, one cell with a
    // space, was taken for a note after the data and cut off before the quotes were read, which
    // left the note's quote open at the end of the input (a stray quote, the event lost).
    for d in [',', '\t'] {
        let text = format!(
            "id{d}group{d}date{d}alsfrs_r{d}event\n\
             \"\u{e9}0\"{d}IV{d}2020-01-01{d}0{d}\"SYN\nsecond line\"\n"
        );
        let p = crate::parse::parse(&text, &Settings::default()).unwrap();
        assert!(
            p.diagnostics
                .iter()
                .all(|x| x.kind != DiagKind::StrayQuote && x.kind != DiagKind::Layout),
            "{:?}",
            p.diagnostics
        );
        assert_eq!(&*p.dataset.patients[0].events[0].label, "SYN\nsecond line");
    }
    // The same with a stray quote in the row before (found next by the target): the note is
    // still the last row's.
    let text = "id\tgroup\tdate\talsfrs_r\tevent\n\
                \"SYN0\"\tSYN\t2020-01-01\t7\t\"\n\
                A1\t\u{e9}\t2020-01-01\t10\t\"IV\nsecond line\"\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    let a1 = p.dataset.patients.iter().find(|p| &*p.id == "A1").unwrap();
    assert_eq!(
        &*a1.events[0].label, "IV\nsecond line",
        "{:?}",
        p.diagnostics
    );
    // A note after the data is still one (no quote before it left open).
    let text = "id,date,alsfrs_r\nA,2020-01-01,40\nA,2020-03-01,38\nSource: clinic export\n";
    let p = crate::parse::parse(text, &Settings::default()).unwrap();
    assert!(
        p.diagnostics.iter().any(|x| x.kind == DiagKind::Layout),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn quotes_inside_the_first_data_row_do_not_make_it_a_header_row() {
    // Found by the `quotes` fuzz target (finding 8 in fuzz/README.md): two stray quotes inside
    // the first data row's date and score made that row look like a second header row
    // (`alsfrs_r` + `9"`); no score column was then found and every patient was lost.
    for d in ['\t', ','] {
        let text = format!(
            "id{d}group{d}date{d}alsfrs_r{d}event\n\
             \"SYNSYNSYN0\"{d}SYN{d}2020-01-0\"1{d}9\"{d}\n\
             \"SYN1\"{d}A{d}2020-01-01{d}1{d}\n\
             \"SYN1\"{d}A{d}2020-02-01{d}12{d}\n"
        );
        let p = crate::parse::parse(&text, &Settings::default()).unwrap();
        let syn1 = p.dataset.patients.iter().find(|p| &*p.id == "SYN1");
        let syn1 = syn1.unwrap_or_else(|| panic!("{d:?}: SYN1 lost: {:?}", p.diagnostics));
        assert_eq!(syn1.visits.len(), 2);
        assert!(
            p.diagnostics
                .iter()
                .all(|x| !x.message.contains("header spans")),
            "{:?}",
            p.diagnostics
        );
    }
}
