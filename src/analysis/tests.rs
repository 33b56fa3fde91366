use super::*;

/// The enums are written as the strings the JSON has always had (docs/schema.json).
#[test]
fn kinds_and_variables_are_their_json_names() {
    for k in TestKind::ALL {
        assert_eq!(json(&k), format!("\"{}\"", k.name()));
        assert_eq!(k.to_string(), k.name());
    }
    for v in [
        TestVariable::PreVsPost,
        TestVariable::PostRate,
        TestVariable::Change,
        TestVariable::ImprovementVsInterval,
        TestVariable::CourseRate,
    ] {
        assert_eq!(json(&v), format!("\"{}\"", v.name()));
    }
    for v in SummaryVariable::ALL {
        assert_eq!(json(&v), format!("\"{}\"", v.name()));
    }
    assert_eq!(format!("[{:<8}]", TestKind::PairedT), "[paired_t]");
    assert_eq!(format!("[{:<10}]", SummaryVariable::Change), "[change    ]");
}

/// The reason for a missing post-rate is the note's text.
#[test]
fn no_post_rate_reasons_are_the_notes() {
    assert_eq!(
        NoPostRate::NoVisitsAfter.note(),
        "no visits after the first event (death or dropout): no post-rate"
    );
    assert_eq!(
        NoPostRate::FewDates(2).note(),
        "2 visit(s) after the first event on fewer than 2 dates: no post-rate"
    );
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

/// Patients without an event: one diagnostic however many there are (natural history data has
/// no events at all); one patient is named at its line, more by their number and the first five
/// ids. The patients' own notes still say it, each.
#[test]
fn patients_without_an_event_are_one_diagnostic() {
    let no_event = |text: &str| {
        let a = crate::pipeline::run(text, &Settings::default()).unwrap();
        let d: Vec<Diagnostic> = a
            .diagnostics
            .iter()
            .filter(|d| d.kind == DiagKind::NoEvent)
            .cloned()
            .collect();
        let with_note = a
            .patients
            .iter()
            .filter(|p| p.notes.iter().any(|n| n.starts_with("no event")))
            .count();
        (d, with_note)
    };
    let mut text = String::from("id,date,alsfrs_r,event\nT,2020-01-01,40,\nT,2020-02-01,39,inj\n");
    text.push_str("T,2020-03-01,38,\nA,2020-01-01,40,\nA,2020-02-01,39,\n");
    let (one, n) = no_event(&text);
    assert_eq!(n, 1);
    assert_eq!(one.len(), 1);
    assert_eq!(
        one[0].message,
        "patient A has no event (injection/treatment/index date): no pre vs post"
    );
    assert_eq!(
        (one[0].line, one[0].patient.as_deref()),
        (Some(5), Some("A"))
    );
    for id in ["B", "C"] {
        text.push_str(&format!("{id},2020-01-01,40,\n"));
    }
    let (three, n) = no_event(&text);
    assert_eq!(n, 3);
    assert_eq!(three.len(), 1);
    assert_eq!(
        three[0].message,
        "3 patients have no event (injection/treatment/index date): no pre vs post (A, B, C)"
    );
    assert_eq!((three[0].line, three[0].patient.as_deref()), (None, None));
    assert_eq!(three[0].severity, Severity::Info);
    for id in ["D", "E", "F", "G"] {
        text.push_str(&format!("{id},2020-01-01,40,\n"));
    }
    let (seven, n) = no_event(&text);
    assert_eq!(n, 7);
    assert_eq!(seven.len(), 1);
    assert_eq!(
        seven[0].message,
        "7 patients have no event (injection/treatment/index date): no pre vs post (A, B, C, D, E, …)"
    );
}

/// A result and a period stay small: a million one-visit patients hold one of each
/// (benches/memory.rs). 224 bytes is a size class of the allocator (232 would take 256).
/// The result grew 368 → 448 bytes with #23's latest stages and death on each entry (six
/// fields); 304 with #23's ten fields in one boxed part (`PatientResult::staging`, absent for
/// a patient without any), the pre-rate source an enum, and boxed slices for lists set once
/// (docs/performance.md).
#[test]
fn results_stay_small() {
    assert_eq!(std::mem::size_of::<Period>(), 224);
    assert_eq!(std::mem::size_of::<PatientResult>(), 304);
    // The in-place collection of the results needs `None` to fit in a result's bytes.
    assert_eq!(
        std::mem::size_of::<Option<PatientResult>>(),
        std::mem::size_of::<PatientResult>()
    );
}

/// The boxed staging part is written flat (docs/schema.json's patient entry): the same keys, in
/// the same order, with and without it; and it comes back boxed only when it has something.
#[test]
fn staging_fields_are_flat_in_json_and_round_trip() {
    let text = "id,date,alsfrs_r,onset\nA,2020-01-01,40,2019-01-01\nA,2020-03-01,38,2019-01-01\n\
                B,2020-01-01,40,\nB,2020-03-01,37,\n";
    let a = crate::pipeline::run(text, &Settings::default()).unwrap();
    let (pa, pb) = (&a.patients[0], &a.patients[1]);
    assert!(pa.staging.is_some() && pa.staging().delta_fs_class.is_some());
    assert!(pb.staging.is_none());
    let keys = |p: &PatientResult| -> Vec<String> {
        match serde_json::to_value(p).unwrap() {
            serde_json::Value::Object(m) => m.keys().cloned().collect(),
            _ => panic!("an entry is an object"),
        }
    };
    assert_eq!(keys(pa), keys(pb));
    for k in [
        "delta_fs_class",
        "tricals_lp",
        "latest_kings",
        "latest_mitos_reason",
        "death_t",
    ] {
        assert!(keys(pb).iter().any(|x| x == k), "{k}");
    }
    let v = serde_json::to_value(pb).unwrap();
    assert!(v["death_t"].is_null() && v["delta_fs_class"].is_null());
    // JSON and the page's binary form give the same result back.
    for p in [pa, pb] {
        let back: PatientResult = serde_json::from_value(serde_json::to_value(p).unwrap()).unwrap();
        assert_eq!(&back, p);
    }
    let back = crate::output::from_bytes(&crate::output::to_bytes(&a)).unwrap();
    assert_eq!(back, a);
}
