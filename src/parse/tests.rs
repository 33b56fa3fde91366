use super::cells::{check_score, parse_number, score_cell, simple_decimal};
use super::tokenizer::{read_table_with, trim, Table, TEST_PIECE_BYTES};
use super::*;
use crate::data::Measure;
use crate::diag::DiagKind;
use crate::pipeline::run;
use crate::settings::DateOrder;
use crate::settings::Settings;

fn p(text: &str) -> Parsed {
    parse(text, &Settings::default()).unwrap()
}

fn kinds(x: &Parsed) -> Vec<(DiagKind, Option<usize>)> {
    x.diagnostics.iter().map(|d| (d.kind, d.line)).collect()
}

fn has(x: &Parsed, k: DiagKind, line: usize) -> bool {
    x.diagnostics
        .iter()
        .any(|d| d.kind == k && d.line == Some(line))
}

fn score(x: &Parsed, id: &str, m: Measure) -> Vec<f64> {
    let pt = x.dataset.patients.iter().find(|p| &*p.id == id).unwrap();
    pt.visits
        .iter()
        .filter_map(|v| v.scores.get(m.index()))
        .collect()
}

#[test]
fn tab_separated_paste_from_excel_with_crlf_bom_blank_lines_and_unsorted_rows() {
    let t = "\u{feff}Patient\tVisit date\tALSFRS-R\r\n\r\nP1\t2015-03-01\t40\r\nP1\t2015-01-01\t42\r\n\r\nP2\t2015-01-05\t38\t\r\n";
    let x = p(t);
    assert_eq!(x.info.delimiter, "tab");
    assert_eq!(x.dataset.patients.len(), 2);
    assert_eq!(score(&x, "P1", Measure::AlsfrsR), vec![42.0, 40.0]);
    assert_eq!(x.dataset.patients[0].visits[0].line, 4);
    assert!(
        x.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:?}",
        x.diagnostics
    );
}

#[test]
fn semicolon_with_decimal_comma_and_quotes() {
    let t = "id;date;fvc;\"group\"\n\"P 1\";01.02.2015;\"85,5\";A\nP2;02.02.2015;70;B\n";
    let x = p(t);
    assert_eq!(x.info.delimiter, "semicolon");
    assert_eq!(score(&x, "P 1", Measure::Fvc), vec![85.5]);
    assert_eq!(&*x.dataset.patients[1].group, "B");
    assert_eq!(x.info.date_format.as_deref(), Some("dd.mm.yyyy"));
}

#[test]
fn comma_csv_with_trailing_separators() {
    let x = p("id,month,alsfrs_r,,\nP1,0,40,,\nP1,3,37,,\n");
    assert_eq!(score(&x, "P1", Measure::AlsfrsR), vec![40.0, 37.0]);
    assert_eq!(x.dataset.time_axis, crate::data::TimeAxis::Relative);
}

#[test]
fn month_week_day_time_columns() {
    let md = crate::settings::MONTH_DAYS;
    for (h, scale) in [("months", md), ("weeks", 7.0), ("day", 1.0)] {
        let x = p(&format!("subject,{h},alsfrs\nS,2,30\n"));
        assert_eq!(x.dataset.patients[0].visits[0].day, 2.0 * scale);
    }
}

#[test]
fn items_give_total_and_domains() {
    let x = p(
        "id,date,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12\nP,2015-01-01,4,4,3,3,2,2,4,4,4,3,2,1\n",
    );
    let v = &x.dataset.patients[0].visits[0].scores;
    assert_eq!(v.get(Measure::AlsfrsR.index()), Some(36.0));
    assert_eq!(v.get(Measure::AlsfrsRBulbar.index()), Some(11.0));
    assert_eq!(v.get(Measure::AlsfrsRFineMotor.index()), Some(7.0));
    assert_eq!(v.get(Measure::AlsfrsRGrossMotor.index()), Some(12.0));
    assert_eq!(v.get(Measure::AlsfrsRRespiratory.index()), Some(6.0));
}

#[test]
fn diag_items_incomplete() {
    let x = p("id,date,q1,q2,q3,q4\nP,2015-01-01,4,4,3,3\n");
    assert!(has(&x, DiagKind::ItemsIncomplete, 2));
    let v = &x.dataset.patients[0].visits[0].scores;
    assert_eq!(v.get(Measure::AlsfrsR.index()), None);
    assert_eq!(v.get(Measure::AlsfrsRBulbar.index()), Some(11.0));
}

#[test]
fn diag_out_of_range_per_scale() {
    let x = p(
        "id,date,alsfrs_r,alsfrs,aals,fvc\nP,2015-01-01,49,41,29,250\nP,2015-02-01,48,40,30,90\n",
    );
    for col in ["alsfrs_r", "alsfrs", "aals", "fvc"] {
        assert!(
            x.diagnostics.iter().any(|d| d.kind == DiagKind::OutOfRange
                && d.line == Some(2)
                && d.column.as_deref() == Some(col)),
            "{col}: {:?}",
            x.diagnostics
        );
    }
    // The row's valid neighbours and the next row are kept.
    assert_eq!(score(&x, "P", Measure::AlsfrsR), vec![48.0]);
    assert_eq!(score(&x, "P", Measure::Aals), vec![30.0]);
}

#[test]
fn diag_bad_number_and_bad_date() {
    let x = p("id,date,alsfrs_r\nP,2015-01-01,4O\nP,2015-13-45,40\nP,2015-03-01,39\n");
    assert!(has(&x, DiagKind::BadNumber, 2));
    assert!(has(&x, DiagKind::BadDate, 3));
    assert_eq!(score(&x, "P", Measure::AlsfrsR), vec![39.0]);
}

/// Words and sentinel numbers in a score column are missing-value codes: listed once per
/// column and code (with their count and first lines), not once per cell; a sentinel within
/// the scale is a score.
#[test]
fn missing_value_codes_are_listed_once_per_column() {
    let x = p(
        "id,date,alsfrs_r,fvc\nP,2015-01-01,NR,999\nP,2015-02-01,NR,80\nP,2015-03-01,forty,-99\n\
               P,2015-04-01,NR,99\nP,2015-05-01,38,NA\n",
    );
    let codes: Vec<(Option<usize>, &str)> = x
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::MissingCode)
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(codes.len(), 5, "{codes:?}");
    assert!(codes.contains(&(
        Some(2),
        "column \"alsfrs_r\": \"NR\" in 3 cells (lines 2, 3, 5) read as missing"
    )));
    assert!(codes.contains(&(
        Some(4),
        "column \"alsfrs_r\": \"forty\" in 1 cell (line 4) is not a number; read as missing"
    )));
    assert!(codes.contains(&(Some(2), "column \"fvc\": 999 in 1 cell (line 2) is outside the fvc range 0–200; read as a missing-value code")));
    assert!(codes.iter().any(|c| c.1.contains("-99")));
    assert!(codes.iter().any(|c| c.1.contains("\"NA\"")));
    // 99 is within the FVC range: a score.
    assert_eq!(score(&x, "P", Measure::Fvc), vec![80.0, 99.0]);
    assert_eq!(score(&x, "P", Measure::AlsfrsR), vec![38.0]);
    assert!(!x.diagnostics.iter().any(|d| d.severity == Severity::Error));
}

#[test]
fn diag_missing_id_and_missing_time() {
    let x = p("id,date,alsfrs_r\n,2015-01-01,40\nP,,40\nP,2015-01-01,41\n");
    assert!(has(&x, DiagKind::MissingId, 2));
    assert!(has(&x, DiagKind::MissingTime, 3));
    assert_eq!(score(&x, "P", Measure::AlsfrsR), vec![41.0]);
}

#[test]
fn diag_duplicate_and_conflicting_visits() {
    let x = p("id,date,alsfrs_r,fvc\nP,2015-01-01,40,80\nP,2015-01-01,40,80\nP,2015-01-01,38,\nQ,2015-01-01,30,\nQ,2015-01-01,,70\n");
    assert!(has(&x, DiagKind::DuplicateVisit, 3), "{:?}", kinds(&x));
    let c = x
        .diagnostics
        .iter()
        .find(|d| d.kind == DiagKind::ConflictingValue)
        .unwrap();
    assert_eq!(c.line, Some(4));
    assert_eq!(c.column.as_deref(), Some("alsfrs_r"));
    assert_eq!(score(&x, "P", Measure::AlsfrsR), vec![40.0]);
    // Complementary rows on one date merge silently.
    assert_eq!(score(&x, "Q", Measure::Fvc), vec![70.0]);
    assert_eq!(score(&x, "Q", Measure::AlsfrsR), vec![30.0]);
    assert!(!x
        .diagnostics
        .iter()
        .any(|d| d.patient.as_deref() == Some("Q")));
}

#[test]
fn diag_conflicting_group_and_onset() {
    let x = p("id,group,date,alsfrs_r,onset\nP,A,2015-01-01,40,2014-01-01\nP,B,2015-02-01,39,2013-01-01\n");
    let c: Vec<_> = x
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::ConflictingValue)
        .collect();
    assert_eq!(c.len(), 2);
    assert_eq!(&*x.dataset.patients[0].group, "A");
}

/// The onset of a row is read again whenever its cell differs from the row before (a repeated
/// onset is reused): each bad onset is reported on its own row; a change is a conflict.
#[test]
fn repeated_and_changing_onsets() {
    let x = p("id,date,alsfrs_r,onset\n\
               P,2015-01-01,40,soon\nP,2015-02-01,39,soon\nP,2015-03-01,38,2014-01-01\n\
               P,2015-04-01,37,2014-01-01\nP,2015-05-01,36,2013-01-01\nQ,2015-01-01,40,2013-01-01\n");
    let lines = |kind: DiagKind| -> Vec<_> {
        x.diagnostics
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.line)
            .collect()
    };
    assert_eq!(lines(DiagKind::BadDate), [Some(2), Some(3)]);
    assert_eq!(lines(DiagKind::ConflictingValue), [Some(6)]);
    let day = |s: &str| dates::parse_raw(s).and_then(|r| dates::resolve(r, DateOrder::Dmy));
    assert_eq!(x.dataset.patients[0].onset, day("2014-01-01"));
    assert_eq!(x.dataset.patients[1].onset, day("2013-01-01"));
}

#[test]
fn diag_ambiguous_dates_take_the_setting_and_say_so() {
    let t = "id,date,alsfrs_r\nP,01/02/2015,40\nP,03/04/2015,38\n";
    let x = p(t);
    assert!(x
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::AmbiguousDates && d.severity == Severity::Info));
    let d0 = crate::data::date::days_from_civil(2015, 2, 1).unwrap() as f64;
    assert_eq!(x.dataset.patients[0].visits[0].day, d0);
    let s = Settings {
        ambiguous_date_order: DateOrder::Mdy,
        ..Default::default()
    };
    let y = parse(t, &s).unwrap();
    let d1 = crate::data::date::days_from_civil(2015, 1, 2).unwrap() as f64;
    assert_eq!(y.dataset.patients[0].visits[0].day, d1);
}

/// Issue #21: `3/12/13` (m/d/yy) visit dates beside an onset column that only m/d reads: one
/// order for the whole file, decided from all its date columns together (the visit dates alone
/// would read either way).
#[test]
fn slash_dates_decided_per_table_from_all_date_columns() {
    let x = p("id,date,alsfrs_r,onset\nP,3/12/13,40,11/25/12\nP,4/2/13,38,\nP,5/1/13,37,\n");
    assert_eq!(x.info.date_format.as_deref(), Some("mm/dd/yyyy"));
    let pt = &x.dataset.patients[0];
    let day = |y, m, d| crate::data::date::days_from_civil(y, m, d).unwrap() as f64;
    let days: Vec<f64> = pt.visits.iter().map(|v| v.day).collect();
    assert_eq!(days, [day(2013, 3, 12), day(2013, 4, 2), day(2013, 5, 1)]);
    assert_eq!(pt.onset, Some(day(2012, 11, 25)));
    assert!(!x
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::AmbiguousDates));
    // Columns that need different orders: one order (the majority), with a warning naming them.
    let x = p("id,date,alsfrs_r,onset\nP,02/13/2015,40,25/12/2013\nP,03/14/2015,38,\n");
    let w = x
        .diagnostics
        .iter()
        .find(|d| d.kind == DiagKind::AmbiguousDates)
        .unwrap();
    assert_eq!(w.severity, Severity::Warning);
    assert!(
        w.message.contains("\"date\"") && w.message.contains("\"onset\""),
        "{}",
        w.message
    );
    assert_eq!(x.info.date_format.as_deref(), Some("mm/dd/yyyy"));
    assert!(has(&x, DiagKind::BadDate, 2));
}

#[test]
fn inconsistent_slash_dates_are_reported() {
    let x = p("id,date,alsfrs_r\nP,13/01/2015,40\nP,14/02/2015,39\nP,01/13/2015,38\n");
    assert!(x
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::AmbiguousDates && d.severity == Severity::Warning));
    assert!(has(&x, DiagKind::BadDate, 4));
}

#[test]
fn excel_serials_and_time_parts() {
    let x = p("id,date,alsfrs_r\nP,42005,40\nP,2015-02-01 10:30:00,39\n");
    let d = crate::data::date::days_from_civil(2015, 1, 1).unwrap() as f64;
    assert_eq!(x.dataset.patients[0].visits[0].day, d);
    assert_eq!(x.dataset.patients[0].visits.len(), 2);
}

#[test]
fn diag_unknown_column_and_ragged_row() {
    let x = p("id,date,alsfrs_r,notes\nP,2015-01-01,40,ok,extra\n");
    assert!(x
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::UnknownColumn && d.column.as_deref() == Some("notes")));
    assert!(has(&x, DiagKind::RaggedRow, 2));
}

#[test]
fn events_on_visit_rows_and_on_rows_of_their_own() {
    let x = p("id,date,alsfrs_r,event\nP,2015-01-01,40,\nP,2015-02-01,39,injection 1\nP,2015-02-27,,injection 2\nP,2015-04-01,39,\n");
    let pt = &x.dataset.patients[0];
    assert_eq!(pt.events.len(), 2);
    assert_eq!(&*pt.events[1].label, "injection 2");
    assert_eq!(pt.visits.len(), 3);
}

#[test]
fn wide_layout_detected_with_events_and_onset() {
    let t = "Patient,Group,Onset,Injection 1,Injection 2,-3,0,M1,month 3,M6\nW1,A,-20,0,0.85,40,38,38,37,36\nW2,B,-15,0,,35,33,,30,28\n";
    let x = p(t);
    assert_eq!(x.info.layout, "wide");
    let md = crate::settings::MONTH_DAYS;
    let w1 = &x.dataset.patients[0];
    assert_eq!(w1.visits.len(), 5);
    assert_eq!(w1.visits[0].day, -3.0 * md);
    assert_eq!(w1.events.len(), 2);
    assert_eq!(w1.onset, Some(-20.0 * md));
    assert_eq!(x.dataset.patients[1].visits.len(), 4);
    assert!(x
        .info
        .columns
        .iter()
        .any(|c| c.header == "month 3" && c.role == "visit:3"));
    // Forcing the long layout makes it an error: no time column.
    let s = Settings {
        layout: Layout::Long,
        ..Default::default()
    };
    assert!(parse(t, &s).is_err());
}

#[test]
fn wide_layout_event_dates_need_a_baseline_date() {
    let x = p("id,date,injection,0,3\nW,2015-01-01,2015-01-31,40,38\nV,,2015-01-31,40,38\n");
    let w = &x.dataset.patients[0];
    assert_eq!(w.events[0].day, 30.0);
    assert!(has(&x, DiagKind::BadDate, 3));
}

#[test]
fn column_overrides() {
    let t = "Pt,When,Score\nP,2015-01-01,40\nP,2015-02-01,39\n";
    assert!(parse(t, &Settings::default()).is_err());
    let mut s = Settings::default();
    s.columns.insert("pt".into(), "patient".into());
    s.columns.insert("When".into(), "date".into());
    s.columns.insert("Score".into(), "alsfrs_r".into());
    let x = parse(t, &s).unwrap();
    assert_eq!(score(&x, "P", Measure::AlsfrsR), vec![40.0, 39.0]);
}

#[test]
fn whole_input_errors_say_what_was_expected() {
    for t in ["", "   \n\n", "# only a comment\n"] {
        let e = parse(t, &Settings::default()).unwrap_err();
        assert!(
            e.message.contains("empty") && e.message.contains("Expected"),
            "{}",
            e.message
        );
    }
    let e = parse("id,date,alsfrs_r\n", &Settings::default()).unwrap_err();
    assert!(e.message.contains("no data rows"), "{}", e.message);
    let e = parse("foo,bar\n1,2\n", &Settings::default()).unwrap_err();
    assert!(
        e.message.contains("patient") && e.message.contains("Expected"),
        "{}",
        e.message
    );
}

#[test]
fn analysis_level_diagnostics() {
    // NoEvent, NoPostData, ZeroPreRate, FewVisits, Layout.
    let t = "id,date,alsfrs_r,event\n\
             A,2015-01-01,40,\nA,2015-02-01,40,\nA,2015-03-01,40,inj\nA,2015-04-01,38,\nA,2015-05-01,37,\n\
             B,2015-01-01,40,\nB,2015-02-01,39,\nB,2015-03-01,38,inj\n\
             C,2015-01-01,40,\nC,2015-02-01,39,\n";
    let s = Settings {
        measures: vec![Measure::AlsfrsR, Measure::Fvc],
        ..Default::default()
    };
    let a = run(t, &s).unwrap();
    let k = |kind| {
        a.diagnostics
            .iter()
            .find(|d| d.kind == kind)
            .unwrap_or_else(|| panic!("{kind:?}: {:?}", a.diagnostics))
    };
    assert_eq!(k(DiagKind::ZeroPreRate).patient.as_deref(), Some("A"));
    assert_eq!(k(DiagKind::NoPostData).patient.as_deref(), Some("B"));
    assert_eq!(k(DiagKind::NoPostData).line, Some(7));
    assert_eq!(k(DiagKind::NoEvent).patient.as_deref(), Some("C"));
    assert!(k(DiagKind::FewVisits).message.contains("fewer than 3"));
    assert!(k(DiagKind::Layout).message.contains("fvc"));
    let pa = a.patients.iter().find(|p| &*p.id == "A").unwrap();
    assert_eq!(pa.pre_rate, Some(0.0));
    assert_eq!(pa.improvement_pct, None);
    assert!(pa.notes.iter().any(|n| n.contains("zero")));
}

/// Header, header line, and each record's line and fields.
type TableView = (Vec<String>, usize, Vec<(usize, Vec<String>)>);

/// The table as plain data.
fn table_view(t: &Table) -> TableView {
    (
        t.header.clone(),
        t.header_line,
        t.records()
            .map(|r| (r.line, r.iter().map(str::to_string).collect()))
            .collect(),
    )
}

#[test]
fn unquoted_fast_path_reads_as_the_csv_reader() {
    let texts = [
        "id,date,alsfrs_r\nP1,2020-01-01,40\nP1,2020-02-01,39\n",
        "\u{feff}# comment\n\n,,\nid\tdate\talsfrs_r\r\nP1\t01/02/2020\t40\r\n\r\n\t\t\r\nP2\t 03/02/2020 \t39\t\t\r\nP3",
        "id;month;fvc;\n A ;0;80,5;;\n   \nB;1\n;;\nC;2;70;x;y\n",
        "id,month,alsfrs_r",
        "id,month,alsfrs_r\n",
        "id,month,alsfrs_r\n\n\n1,2,3\n,,\n4,5,6,7,8\n  ,  ,\n9",
    ];
    for t in texts {
        let slow = read_table_with(t, false).unwrap();
        // In one piece, and cut into pieces of every size (as it is on several cores).
        for piece in [0, 1, 2, 3, 5, 8, 13, 40] {
            TEST_PIECE_BYTES.store(piece, std::sync::atomic::Ordering::Relaxed);
            let fast = read_table_with(t, true).unwrap();
            TEST_PIECE_BYTES.store(0, std::sync::atomic::Ordering::Relaxed);
            assert!(matches!(fast.src, std::borrow::Cow::Borrowed(_)), "{t:?}");
            assert_eq!(
                table_view(&fast),
                table_view(&slow),
                "{t:?} in pieces of {piece} bytes"
            );
            assert_eq!(fast.delimiter, slow.delimiter);
        }
    }
    // Quotes or a lone CR: the csv reader.
    for t in ["id,month,x\n\"a,b\",1,2\n", "id,month,x\r1,2,3\r4,5,6"] {
        let t1 = read_table_with(t, true).unwrap();
        assert!(matches!(t1.src, std::borrow::Cow::Owned(_)), "{t:?}");
    }
}

proptest::proptest! {
    #[test]
    fn unquoted_fast_path_agrees_on_any_unquoted_text(
        body in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("\n".to_string()),
                proptest::strategy::Just("\r\n".to_string()),
                proptest::strategy::Just(",".to_string()),
                proptest::strategy::Just("\t".to_string()),
                proptest::strategy::Just(";".to_string()),
                proptest::strategy::Just(" ".to_string()),
                "[a-z0-9./é-]{1,6}",
            ],
            0..80,
        ),
        delim in proptest::sample::select(vec![",", "\t", ";"]),
    ) {
        let text = format!("id{delim}month{delim}alsfrs_r\n{}", body.concat());
        let slow = read_table_with(&text, false).unwrap();
        let fast = read_table_with(&text, true).unwrap();
        proptest::prop_assert_eq!(table_view(&fast), table_view(&slow));
        TEST_PIECE_BYTES.store(7, std::sync::atomic::Ordering::Relaxed);
        let pieces = read_table_with(&text, true).unwrap();
        TEST_PIECE_BYTES.store(0, std::sync::atomic::Ordering::Relaxed);
        proptest::prop_assert_eq!(table_view(&pieces), table_view(&slow));
    }
}

#[test]
fn trim_is_str_trim() {
    for s in [
        "",
        " ",
        "a",
        " a",
        "a ",
        "\ta\r",
        "ab",
        "a b",
        "\u{a0}x",
        "x\u{3000}",
        "é",
        " é ",
        "-1",
        "\u{85}",
    ] {
        assert_eq!(trim(s), s.trim(), "{s:?}");
    }
}

#[test]
fn rows_read_in_chunks_give_what_one_pass_gives() {
    // Every kind of row, repeated across chunk boundaries: the dataset and the diagnostics (in
    // their order) must not depend on how the rows are split between threads.
    let kinds = [
        "P{i}\tA\t2020-01-{d}\t40\t\t2019-01-01",
        "P{i}\tB\t2020-01-{d}\t39\t\t2019-02-01",
        "P{i}\tA\tnot a date\t38\t\t",
        "\tA\t2020-01-{d}\t37\t\t",
        "P{i}\tA\t2020-02-{d}\t99\t\tbad onset",
        "P{i}\tA\t2020-03-{d}\t36\tinjection\t\textra",
        "P{i}\tA\t2020-04-{d}\t\tinjection\t",
        "P{i}\tA\t2020-05-{d}\t\t\t",
        "P{i}\tA\t\t35\t\t",
        "P{i}\tA\t2020-01-{d}\t41\t\t",
    ];
    let mut text = String::from("id\tgroup\tdate\talsfrs_r\tevent\tonset\n");
    for k in 0..997 {
        let row = kinds[k % kinds.len()]
            .replace("{i}", &(k / 13).to_string())
            .replace("{d}", &format!("{:02}", 1 + k % 28));
        text.push_str(&row);
        text.push('\n');
    }
    let s = Settings::default();
    let show = |x: &Parsed| format!("{:?}\n{:?}", x.dataset, x.diagnostics);
    let one = {
        long::TEST_CHUNK_ROWS.store(usize::MAX, std::sync::atomic::Ordering::Relaxed);
        let r = show(&parse(&text, &s).unwrap());
        long::TEST_CHUNK_ROWS.store(0, std::sync::atomic::Ordering::Relaxed);
        r
    };
    assert!(
        one.contains("RaggedRow") && one.contains("ConflictingValue") && one.contains("MissingId")
    );
    // 0: the blocks read on other threads while this one gathers them, as in use.
    for rows in [0, 1, 7, 100, 500] {
        long::TEST_CHUNK_ROWS.store(rows, std::sync::atomic::Ordering::Relaxed);
        let got = show(&parse(&text, &s).unwrap());
        long::TEST_CHUNK_ROWS.store(0, std::sync::atomic::Ordering::Relaxed);
        assert!(got == one, "chunks of {rows} rows differ from one pass");
    }
}

#[test]
fn simple_decimals_parse_as_str_parse() {
    for s in [
        "0",
        "-0",
        "34",
        "-3",
        "98.5",
        "0.1",
        "0.3",
        "2.675",
        "123456789012345",
        "99999999999999.9",
        "1.00000000000001",
        "-0.00000000000001",
        "48",
        "40.25",
        "7.1",
        "1.7976",
        "3.14159265358979",
    ] {
        let want: f64 = s.parse().unwrap();
        let got = simple_decimal(s).unwrap_or_else(|| panic!("{s} takes the fast path"));
        assert_eq!(got.to_bits(), want.to_bits(), "{s}");
    }
    // Not simple: left to str::parse.
    for s in [
        "",
        "-",
        ".5",
        "5.",
        "1e3",
        "+1",
        "1.2.3",
        "1234567890123456",
        "nan",
        "inf",
        "1,5",
        " 1",
    ] {
        assert!(simple_decimal(s).is_none(), "{s:?}");
    }
}

proptest::proptest! {
    #[test]
    fn simple_decimals_agree_with_str_parse(int in 0u64..1_000_000_000_000_000, point in 0usize..17, neg: bool) {
        let digits = int.to_string();
        let s = if point > 0 && point < digits.len() {
            format!("{}{}.{}", if neg { "-" } else { "" }, &digits[..point], &digits[point..])
        } else {
            format!("{}{digits}", if neg { "-" } else { "" })
        };
        let want: f64 = s.parse().unwrap();
        if let Some(got) = simple_decimal(&s) {
            proptest::prop_assert_eq!(got.to_bits(), want.to_bits(), "{}", s);
        }
        proptest::prop_assert_eq!(parse_number(&s, b','), Some(want));
    }
}

/// `score_cell`'s fast path for whole numbers of 1–3 digits gives what the general path
/// (`parse_number`, then the scale's range check) gives, value and diagnostics (or codes) alike.
#[test]
fn score_cell_fast_path_is_the_general_path() {
    let cells: Vec<String> = (0..1000)
        .map(|v| v.to_string())
        .chain((0..100).map(|v| format!("{v:02}")))
        .chain((0..10).map(|v| format!("00{v}")))
        .chain(["0048", "1e1", " 7", "7 ", "-0", "12.0"].map(String::from))
        .collect();
    for m in crate::data::ALL_MEASURES {
        for s in &cells {
            let mut fast = Vec::new();
            let mut codes = super::cells::Codes::default();
            let got = score_cell(s, m, b',', 3, "col", 0, "P1", &mut fast, &mut codes);
            let want = match parse_number(s, b',') {
                Some(v) => check_score(m, v).ok(),
                None => None,
            };
            assert_eq!(got, want, "{s:?} {m:?}");
            // a bad cell is reported, or counted as a missing-value code (999)
            assert_eq!(
                fast.len() + codes.cells(),
                usize::from(want.is_none()),
                "{s:?} {m:?}"
            );
        }
    }
}
