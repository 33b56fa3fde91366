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
