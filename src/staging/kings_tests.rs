//! Tests of King's staging from items (Balendra et al. 2014), one rule per test, each item at
//! every score 0–4.

use super::*;
use crate::items::Score;

/// All 12 items = `v`, item 5 in `form`.
fn all(v: u8, form: Q5Form) -> AlsfrsItems {
    AlsfrsItems::from_scores([Some(v); 12], form).unwrap()
}

fn healthy() -> AlsfrsItems {
    all(4, Q5Form::A)
}

/// `a` with item `i` set to `v` (None = missing); item 5 keeps its form.
fn set(a: AlsfrsItems, i: Item, v: Option<u8>) -> AlsfrsItems {
    let form = a.q5.map_or(Q5Form::A, |(f, _)| f);
    let mut q: [Option<u8>; 12] = Item::ALL.map(|i| a.get(i));
    q[usize::from(i.number() - 1)] = v;
    AlsfrsItems::from_scores(q, form).unwrap()
}

fn stage(a: &AlsfrsItems) -> Option<KingsStage> {
    kings(a, Vital::Alive).stage
}

fn missing(a: &AlsfrsItems) -> Vec<u8> {
    match kings(a, Vital::Alive).reason {
        KingsReason::Undetermined { missing } => missing.iter().map(Item::number).collect(),
        r => panic!("not undetermined: {r:?}"),
    }
}

#[test]
fn kings_stage_0_when_nothing_involved() {
    // Balendra 2014 / issue #23: no region involved and no 4A/4B → stage 0, not recoded.
    let k = kings(&healthy(), Vital::Alive);
    assert_eq!(k.stage, Some(KingsStage::S0));
    assert_eq!(
        k.reason,
        KingsReason::Regions {
            bulbar: None,
            upper_limb: None,
            lower_limb: None
        }
    );
    assert_eq!(
        k.reason.sentence(),
        "0: no region involved (items 1–4, 5a and 8 all = 4); \
         no gastrostomy (5a answered), no respiratory failure"
    );
}

#[test]
fn kings_bulbar_region_any_of_items_1_to_3_below_4() {
    // Balendra 2014: bulbar region involved when any of items 1–3 < 4.
    for item in [Item::Q1, Item::Q2, Item::Q3] {
        for v in 0..=4 {
            let k = kings(&set(healthy(), item, Some(v)), Vital::Alive);
            if v < 4 {
                assert_eq!(k.stage, Some(KingsStage::S1), "{item} = {v}");
                assert_eq!(
                    k.reason,
                    KingsReason::Regions {
                        bulbar: Some(Finding { item, value: v }),
                        upper_limb: None,
                        lower_limb: None
                    }
                );
            } else {
                assert_eq!(k.stage, Some(KingsStage::S0), "{item} = {v}");
            }
        }
    }
    // all three items < 4 is still one region
    let a = set(
        set(set(healthy(), Item::Q1, Some(0)), Item::Q2, Some(1)),
        Item::Q3,
        Some(2),
    );
    assert_eq!(stage(&a), Some(KingsStage::S1));
}

#[test]
fn kings_upper_limb_region_item_4_or_5a_below_4() {
    // Balendra 2014: upper limb involved when item 4 < 4 or item 5a < 4.
    for item in [Item::Q4, Item::Q5] {
        for v in 0..=4 {
            let k = kings(&set(healthy(), item, Some(v)), Vital::Alive);
            let want = if v < 4 {
                KingsStage::S1
            } else {
                KingsStage::S0
            };
            assert_eq!(k.stage, Some(want), "{item} = {v}");
            if v < 4 {
                assert_eq!(
                    k.reason,
                    KingsReason::Regions {
                        bulbar: None,
                        upper_limb: Some(Finding { item, value: v }),
                        lower_limb: None
                    }
                );
            }
        }
    }
    let k = kings(&set(healthy(), Item::Q5, Some(2)), Vital::Alive);
    assert_eq!(
        k.reason.sentence(),
        "1: 1 region involved: upper limb (item 5a (cutting food and handling utensils) = 2 < 4); \
         not involved: bulbar, lower limb; no gastrostomy (5a answered), no respiratory failure"
    );
}

#[test]
fn kings_lower_limb_region_item_8_below_4() {
    // Balendra 2014: lower limb involved when item 8 (walking) < 4.
    for v in 0..=4 {
        let want = if v < 4 {
            KingsStage::S1
        } else {
            KingsStage::S0
        };
        assert_eq!(
            stage(&set(healthy(), Item::Q8, Some(v))),
            Some(want),
            "q8 = {v}"
        );
    }
}

#[test]
fn kings_other_items_do_not_stage() {
    // Balendra 2014 reads items 1–5, 8, 10 and 12 only: items 6, 7, 9, 11 at any score leave
    // stage 0 (a patient who cannot climb stairs but walks normally has no lower-limb region).
    for item in [Item::Q6, Item::Q7, Item::Q9, Item::Q11] {
        for v in 0..=4 {
            assert_eq!(stage(&set(healthy(), item, Some(v))), Some(KingsStage::S0));
        }
        // and missing, they are not needed
        assert_eq!(stage(&set(healthy(), item, None)), Some(KingsStage::S0));
    }
}

#[test]
fn kings_stages_1_to_3_count_regions() {
    // Balendra 2014: stage 1–3 = number of regions involved.
    let b = set(healthy(), Item::Q1, Some(3));
    let bu = set(b, Item::Q4, Some(3));
    let bul = set(bu, Item::Q8, Some(3));
    let ul = set(set(healthy(), Item::Q5, Some(0)), Item::Q8, Some(0));
    assert_eq!(stage(&b), Some(KingsStage::S1));
    assert_eq!(stage(&bu), Some(KingsStage::S2));
    assert_eq!(stage(&ul), Some(KingsStage::S2));
    assert_eq!(stage(&bul), Some(KingsStage::S3));
    // everything at 1 but items 10 and 12 spared: 3, not 4
    let worst = set(
        set(all(1, Q5Form::A), Item::Q10, Some(1)),
        Item::Q12,
        Some(4),
    );
    assert_eq!(stage(&worst), Some(KingsStage::S3));
    let k = kings(&bu, Vital::Alive);
    assert_eq!(
        k.reason.sentence(),
        "2: 2 regions involved: bulbar (item 1 (speech) = 3 < 4), \
         upper limb (item 4 (handwriting) = 3 < 4); not involved: lower limb; \
         no gastrostomy (5a answered), no respiratory failure"
    );
}

#[test]
fn kings_4a_gastrostomy_is_5b_answered() {
    // Balendra 2014: 4A = gastrostomy, shown by item 5b answered instead of 5a — whatever
    // 5b's score (even 4) and whatever the regions.
    for v in 0..=4 {
        let a = set(all(4, Q5Form::B), Item::Q5, Some(v));
        let k = kings(&a, Vital::Alive);
        assert_eq!(k.stage, Some(KingsStage::S4A), "5b = {v}");
        assert_eq!(k.reason, KingsReason::Gastrostomy { q10: 4, q12: 4 });
    }
    let a = set(all(1, Q5Form::B), Item::Q12, Some(4));
    assert_eq!(
        kings(&a, Vital::Alive).reason.sentence(),
        "4A (gastrostomy): item 5b answered instead of 5a; \
         no respiratory failure (item 10 = 1 > 0, item 12 = 4)"
    );
    // 5a at 0 (needs to be fed) is not a gastrostomy: upper limb only
    assert_eq!(
        stage(&set(healthy(), Item::Q5, Some(0))),
        Some(KingsStage::S1)
    );
}

#[test]
fn kings_4b_item_10_zero_or_item_12_below_4() {
    // Balendra 2014: 4B = item 10 (dyspnoea) = 0 or item 12 (respiratory insufficiency) < 4.
    for v in 0..=4 {
        let want = if v == 0 {
            KingsStage::S4B
        } else {
            KingsStage::S0
        };
        assert_eq!(
            stage(&set(healthy(), Item::Q10, Some(v))),
            Some(want),
            "q10 = {v}"
        );
    }
    for v in 0..=4 {
        let want = if v < 4 {
            KingsStage::S4B
        } else {
            KingsStage::S0
        };
        assert_eq!(
            stage(&set(healthy(), Item::Q12, Some(v))),
            Some(want),
            "q12 = {v}"
        );
    }
    let k = kings(&set(healthy(), Item::Q12, Some(2)), Vital::Alive);
    assert_eq!(
        k.reason,
        KingsReason::RespiratoryFailure {
            q10: None,
            q12: Some(2)
        }
    );
    assert_eq!(
        k.reason.sentence(),
        "4B (respiratory failure): item 12 (respiratory insufficiency) = 2 < 4"
    );
    let both = set(set(healthy(), Item::Q12, Some(3)), Item::Q10, Some(0));
    assert_eq!(
        kings(&both, Vital::Alive).reason.sentence(),
        "4B (respiratory failure): item 10 (dyspnoea) = 0 and \
         item 12 (respiratory insufficiency) = 3 < 4"
    );
    // item 11 (orthopnoea) is not part of the 4B rule
    assert_eq!(
        stage(&set(healthy(), Item::Q11, Some(0))),
        Some(KingsStage::S0)
    );
}

#[test]
fn kings_4b_wins_over_4a() {
    // Balendra 2014: 4B over 4A when both apply.
    let a = set(all(4, Q5Form::B), Item::Q12, Some(3));
    assert_eq!(stage(&a), Some(KingsStage::S4B));
    let a = set(all(4, Q5Form::B), Item::Q10, Some(0));
    assert_eq!(stage(&a), Some(KingsStage::S4B));
    // and over any count of regions
    assert_eq!(
        stage(&set(all(0, Q5Form::A), Item::Q10, Some(3))),
        Some(KingsStage::S4B)
    );
}

#[test]
fn kings_5_is_death() {
    // Balendra 2014 / Roche 2012: stage 5 = death, whatever the items (even none).
    for a in [AlsfrsItems::EMPTY, healthy(), all(0, Q5Form::B)] {
        let k = kings(&a, Vital::Dead);
        assert_eq!(k.stage, Some(KingsStage::S5));
        assert_eq!(k.reason, KingsReason::Death);
        assert_eq!(k.reason.sentence(), "5: death");
    }
}

#[test]
fn kings_missing_items_that_do_not_matter() {
    // Issue #23: a missing item leaves the stage empty only when the stage depends on it.
    // item 12 = 2 gives 4B whatever the rest (all else missing)
    let a = set(AlsfrsItems::EMPTY, Item::Q12, Some(2));
    assert_eq!(stage(&a), Some(KingsStage::S4B));
    // item 10 = 0 gives 4B with item 12 missing
    let a = set(AlsfrsItems::EMPTY, Item::Q10, Some(0));
    assert_eq!(stage(&a), Some(KingsStage::S4B));
    // 5b with 4B ruled out is 4A whatever the region items
    let mut a = AlsfrsItems::EMPTY;
    a.q5 = Some((Q5Form::B, Score::new(3).unwrap()));
    a = set(set(a, Item::Q10, Some(2)), Item::Q12, Some(4));
    assert_eq!(stage(&a), Some(KingsStage::S4A));
    // a bulbar item < 4 makes the region involved whatever the other bulbar items
    let a = set(
        set(set(healthy(), Item::Q1, None), Item::Q2, None),
        Item::Q3,
        Some(3),
    );
    assert_eq!(stage(&a), Some(KingsStage::S1));
    // the items King's does not read (6, 7, 9, 11) may all be missing
    let mut a = healthy();
    for i in [Item::Q6, Item::Q7, Item::Q9, Item::Q11] {
        a = set(a, i, None);
    }
    assert_eq!(stage(&set(a, Item::Q8, Some(2))), Some(KingsStage::S1));
}

#[test]
fn kings_missing_items_that_matter() {
    // Issue #23: never a guess — the stage is empty and the reason lists the missing items it
    // depends on, and only those.
    // bulbar unknown: the count could be 0 or 1
    assert_eq!(missing(&set(healthy(), Item::Q1, None)), [1]);
    let a = set(set(healthy(), Item::Q1, None), Item::Q3, None);
    assert_eq!(missing(&a), [1, 3]);
    // upper limb unknown through item 4
    assert_eq!(missing(&set(healthy(), Item::Q4, None)), [4]);
    // item 5 missing: gastrostomy unknown (4A or not), and 5a unknown
    assert_eq!(missing(&set(healthy(), Item::Q5, None)), [5]);
    // item 4 < 4 settles the upper limb, but item 5 still decides 4A
    let a = set(set(healthy(), Item::Q4, Some(1)), Item::Q5, None);
    assert_eq!(missing(&a), [5]);
    // lower limb unknown
    assert_eq!(missing(&set(healthy(), Item::Q8, None)), [8]);
    // 4B unknown: item 12 missing with item 10 > 0, and item 10 missing with item 12 = 4
    assert_eq!(missing(&set(healthy(), Item::Q12, None)), [12]);
    assert_eq!(missing(&set(healthy(), Item::Q10, None)), [10]);
    // 5b and item 12 missing: 4A or 4B; the regions (also missing) do not matter
    let mut a = set(AlsfrsItems::EMPTY, Item::Q10, Some(3));
    a.q5 = Some((Q5Form::B, Score::new(2).unwrap()));
    assert_eq!(missing(&a), [12]);
    // 4B unknown and a region unknown: both listed
    let a = set(set(healthy(), Item::Q12, None), Item::Q8, None);
    assert_eq!(missing(&a), [8, 12]);
    // nothing recorded, alive
    assert_eq!(missing(&AlsfrsItems::EMPTY), [1, 2, 3, 4, 5, 8, 10, 12]);
    let k = kings(&set(healthy(), Item::Q12, None), Vital::Alive);
    assert_eq!(
        k.reason.sentence(),
        "undetermined: depends on missing item 12 (respiratory insufficiency)"
    );
}

#[test]
fn kings_serialises_labels_and_reasons() {
    let labels: Vec<String> = KingsStage::ALL
        .iter()
        .map(|s| serde_json::to_string(s).unwrap())
        .collect();
    assert_eq!(
        labels,
        [r#""0""#, r#""1""#, r#""2""#, r#""3""#, r#""4A""#, r#""4B""#, r#""5""#]
    );
    for s in KingsStage::ALL {
        assert_eq!(
            format!("\"{}\"", s.label()),
            serde_json::to_string(s).unwrap()
        );
        let back: KingsStage = serde_json::from_str(&serde_json::to_string(s).unwrap()).unwrap();
        assert_eq!(back, *s);
    }
    let k = kings(&set(healthy(), Item::Q12, Some(2)), Vital::Alive);
    assert_eq!(
        serde_json::to_string(&k).unwrap(),
        r#"{"stage":"4B","reason":{"rule":"respiratory_failure","q10":null,"q12":2}}"#
    );
    let k = kings(&set(healthy(), Item::Q12, None), Vital::Alive);
    assert_eq!(
        serde_json::to_string(&k).unwrap(),
        r#"{"stage":null,"reason":{"rule":"undetermined","missing":["q12"]}}"#
    );
    let k = kings(&set(healthy(), Item::Q8, Some(3)), Vital::Alive);
    assert_eq!(
        serde_json::to_string(&k).unwrap(),
        r#"{"stage":"1","reason":{"rule":"regions","bulbar":null,"upper_limb":null,"lower_limb":{"item":"q8","value":3}}}"#
    );
    assert_eq!(KingsStage::S4A.level(), 4);
    assert_eq!(KingsStage::S4B.level(), 4);
}
