//! Tests of the item-level ALSFRS-R record.

use super::*;

fn all(v: u8, form: Q5Form) -> AlsfrsItems {
    AlsfrsItems::from_scores([Some(v); 12], form).unwrap()
}

#[test]
fn items_scores_accept_0_to_4_only() {
    // ALSFRS-R (Cedarbaum 1999): every item is scored 0, 1, 2, 3 or 4.
    for v in 0..=4 {
        assert_eq!(Score::new(v).unwrap().get(), v);
        assert_eq!(Score::from_f64(f64::from(v)).unwrap().get(), v);
    }
    assert_eq!(Score::new(5), Err(InvalidScore { value: 5.0 }));
    for v in [-1.0, 4.5, 5.0, 2.5, -0.0001, f64::NAN, f64::INFINITY] {
        assert!(Score::from_f64(v).is_err(), "{v}");
    }
    // -0.0 is 0
    assert_eq!(Score::from_f64(-0.0).unwrap().get(), 0);
    let e = AlsfrsItems::from_scores(
        [
            Some(4),
            Some(4),
            Some(9),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        Q5Form::A,
    )
    .unwrap_err();
    assert_eq!(
        e,
        ItemsError::InvalidScore {
            item: Item::Q3,
            form: None,
            value: 9.0
        }
    );
    assert_eq!(
        e.to_string(),
        "item 3 (swallowing): 9 is not a score (an integer 0–4)"
    );
    let mut q = [None; 12];
    q[4] = Some(7);
    let e = AlsfrsItems::from_scores(q, Q5Form::B).unwrap_err();
    assert_eq!(
        e.to_string(),
        "item 5b (cutting food and handling utensils): 7 is not a score (an integer 0–4)"
    );
}

#[test]
fn items_total_and_domains() {
    // ALSFRS-R total = sum of 12 items (0–48); domains of three items each.
    let a = AlsfrsItems::from_scores(
        [
            Some(4),
            Some(3),
            Some(2),
            Some(1),
            Some(0),
            Some(4),
            Some(3),
            Some(2),
            Some(1),
            Some(0),
            Some(4),
            Some(3),
        ],
        Q5Form::A,
    )
    .unwrap();
    assert_eq!(a.bulbar(), Some(9));
    assert_eq!(a.fine_motor(), Some(5));
    assert_eq!(a.gross_motor(), Some(6));
    assert_eq!(a.respiratory(), Some(7));
    assert_eq!(a.total(), Some(27));
    assert_eq!(all(4, Q5Form::A).total(), Some(48));
    assert_eq!(all(0, Q5Form::B).total(), Some(0));
    // item 5b counts in the total like 5a
    assert_eq!(all(4, Q5Form::B).total(), Some(48));
    // one missing item: no total, no subscore of its domain, the others kept
    let b = AlsfrsItems { q11: None, ..a };
    assert_eq!(b.total(), None);
    assert_eq!(b.respiratory(), None);
    assert_eq!(b.bulbar(), Some(9));
    assert_eq!(b.missing(), ItemSet::from_iter([Item::Q11]));
    let c = AlsfrsItems { q5: None, ..a };
    assert_eq!(c.fine_motor(), None);
    assert_eq!(c.total(), None);
    assert_eq!(AlsfrsItems::EMPTY.total(), None);
    assert_eq!(AlsfrsItems::EMPTY.missing().len(), 12);
}

#[test]
fn items_gastrostomy_from_5b() {
    // ALSFRS-R: 5a is answered without gastrostomy, 5b with gastrostomy.
    let a = all(3, Q5Form::A);
    assert_eq!(a.gastrostomy(), Some(false));
    assert_eq!((a.q5a(), a.q5b()), (Some(3), None));
    let b = all(3, Q5Form::B);
    assert_eq!(b.gastrostomy(), Some(true));
    assert_eq!((b.q5a(), b.q5b()), (None, Some(3)));
    assert_eq!(b.get(Item::Q5), Some(3));
    let none = AlsfrsItems { q5: None, ..a };
    assert_eq!(none.gastrostomy(), None);
}

#[test]
fn items_from_f64_reads_5a_5b_columns() {
    let mut q = [Some(4.0); 12];
    q[4] = Some(99.0); // ignored: item 5 comes from the 5a/5b columns
    let a = AlsfrsItems::from_f64(q, None, Some(2.0)).unwrap();
    assert_eq!(a.q5, Some((Q5Form::B, Score::new(2).unwrap())));
    assert_eq!(a.total(), Some(46));
    assert_eq!(
        AlsfrsItems::from_f64(q, Some(1.0), Some(2.0)),
        Err(ItemsError::BothQ5Forms)
    );
    assert_eq!(
        AlsfrsItems::from_f64(q, Some(3.5), None),
        Err(ItemsError::InvalidScore {
            item: Item::Q5,
            form: Some(Q5Form::A),
            value: 3.5
        })
    );
    q[0] = Some(-1.0);
    assert!(matches!(
        AlsfrsItems::from_f64(q, None, None),
        Err(ItemsError::InvalidScore { item: Item::Q1, .. })
    ));
}

#[test]
fn items_serde_flat_and_validated() {
    let mut q = [Some(4); 12];
    q[2] = None;
    q[4] = Some(1);
    let a = AlsfrsItems::from_scores(q, Q5Form::B).unwrap();
    let j = serde_json::to_string(&a).unwrap();
    assert_eq!(
        j,
        r#"{"q1":4,"q2":4,"q3":null,"q4":4,"q5a":null,"q5b":1,"q6":4,"q7":4,"q8":4,"q9":4,"q10":4,"q11":4,"q12":4}"#
    );
    let back: AlsfrsItems = serde_json::from_str(&j).unwrap();
    assert_eq!(back, a);
    assert!(serde_json::from_str::<AlsfrsItems>(&j.replace(r#""q1":4"#, r#""q1":5"#)).is_err());
    assert!(
        serde_json::from_str::<AlsfrsItems>(&j.replace(r#""q5a":null"#, r#""q5a":2"#)).is_err()
    );
    let s: ItemSet = [Item::Q12, Item::Q3].into_iter().collect();
    assert_eq!(serde_json::to_string(&s).unwrap(), r#"["q3","q12"]"#);
    assert_eq!(
        s.to_string(),
        "item 3 (swallowing), item 12 (respiratory insufficiency)"
    );
    assert_eq!(
        serde_json::from_str::<ItemSet>(r#"["q12","q3"]"#).unwrap(),
        s
    );
}

#[test]
fn items_numbers() {
    for (k, i) in Item::ALL.into_iter().enumerate() {
        assert_eq!(usize::from(i.number()), k + 1);
        assert_eq!(Item::from_number(i.number()), Some(i));
    }
    assert_eq!(Item::from_number(0), None);
    assert_eq!(Item::from_number(13), None);
}
