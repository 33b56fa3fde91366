//! Tests of MiToS staging (Chiò et al. 2015), one domain rule per test, each item at every score
//! 0–4.

use super::*;
use crate::items::Q5Form;

fn healthy() -> AlsfrsItems {
    AlsfrsItems::from_scores([Some(4); 12], Q5Form::A).unwrap()
}

/// `a` with item `i` set to `v` (None = missing); item 5 keeps its form.
fn set(a: AlsfrsItems, i: Item, v: Option<u8>) -> AlsfrsItems {
    let form = a.q5.map_or(Q5Form::A, |(f, _)| f);
    let mut q: [Option<u8>; 12] = Item::ALL.map(|i| a.get(i));
    q[usize::from(i.number() - 1)] = v;
    AlsfrsItems::from_scores(q, form).unwrap()
}

fn stage(a: &AlsfrsItems) -> Option<u8> {
    mitos(a, Vital::Alive).stage.map(u8::from)
}

fn missing(a: &AlsfrsItems) -> Vec<u8> {
    match mitos(a, Vital::Alive).reason {
        MitosReason::Undetermined { missing } => missing.iter().map(Item::number).collect(),
        r => panic!("not undetermined: {r:?}"),
    }
}

#[test]
fn mitos_stage_0_healthy() {
    // Chiò 2015: stage 0 = no domain lost.
    let m = mitos(&healthy(), Vital::Alive);
    assert_eq!(m.stage, Some(MitosStage::S0));
    assert_eq!(m.reason.sentence(), "0: no domain lost");
}

#[test]
fn mitos_walking_self_care_item_8_or_item_6_at_most_1() {
    // Chiò 2015: walking/self-care lost when item 8 ≤ 1 OR item 6 ≤ 1.
    for item in [Item::Q8, Item::Q6] {
        for v in 0..=4 {
            let want = u8::from(v <= 1);
            assert_eq!(
                stage(&set(healthy(), item, Some(v))),
                Some(want),
                "{item} = {v}"
            );
        }
    }
    // both lost is still one domain
    let a = set(set(healthy(), Item::Q8, Some(0)), Item::Q6, Some(1));
    assert_eq!(stage(&a), Some(1));
    let m = mitos(&a, Vital::Alive);
    assert_eq!(
        m.reason.sentence(),
        "1: 1 domain lost: walking/self-care (item 8 (walking) = 0 ≤ 1)"
    );
}

#[test]
fn mitos_swallowing_item_3_at_most_1() {
    // Chiò 2015: swallowing lost when item 3 ≤ 1.
    for v in 0..=4 {
        let want = u8::from(v <= 1);
        assert_eq!(
            stage(&set(healthy(), Item::Q3, Some(v))),
            Some(want),
            "q3 = {v}"
        );
    }
}

#[test]
fn mitos_communicating_needs_item_1_and_item_4_at_most_1() {
    // Chiò 2015: communicating lost when item 1 ≤ 1 AND item 4 ≤ 1 (not OR).
    for q1 in 0..=4 {
        for q4 in 0..=4 {
            let a = set(set(healthy(), Item::Q1, Some(q1)), Item::Q4, Some(q4));
            let want = u8::from(q1 <= 1 && q4 <= 1);
            assert_eq!(stage(&a), Some(want), "q1 = {q1}, q4 = {q4}");
        }
    }
    // anarthria with intact writing keeps the domain
    assert_eq!(stage(&set(healthy(), Item::Q1, Some(0))), Some(0));
    let a = set(set(healthy(), Item::Q1, Some(0)), Item::Q4, Some(1));
    assert_eq!(
        mitos(&a, Vital::Alive).reason.sentence(),
        "1: 1 domain lost: communicating (item 1 (speech) = 0 ≤ 1 and \
         item 4 (handwriting) = 1 ≤ 1)"
    );
}

#[test]
fn mitos_breathing_item_10_at_most_1_or_item_12_at_most_2() {
    // Chiò 2015: breathing lost when item 10 ≤ 1 OR item 12 ≤ 2.
    for v in 0..=4 {
        let want = u8::from(v <= 1);
        assert_eq!(
            stage(&set(healthy(), Item::Q10, Some(v))),
            Some(want),
            "q10 = {v}"
        );
    }
    for v in 0..=4 {
        let want = u8::from(v <= 2);
        assert_eq!(
            stage(&set(healthy(), Item::Q12, Some(v))),
            Some(want),
            "q12 = {v}"
        );
    }
    let m = mitos(&set(healthy(), Item::Q12, Some(2)), Vital::Alive);
    assert_eq!(
        m.reason,
        MitosReason::Domains {
            walking_self_care: None,
            swallowing: None,
            communicating: None,
            breathing: Some(Finding {
                item: Item::Q12,
                value: 2
            })
        }
    );
    assert_eq!(
        m.reason.sentence(),
        "1: 1 domain lost: breathing (item 12 (respiratory insufficiency) = 2 ≤ 2)"
    );
}

#[test]
fn mitos_other_items_do_not_stage() {
    // Chiò 2015 reads items 1, 3, 4, 6, 8, 10 and 12 only.
    for item in [Item::Q2, Item::Q5, Item::Q7, Item::Q9, Item::Q11] {
        for v in 0..=4 {
            assert_eq!(
                stage(&set(healthy(), item, Some(v))),
                Some(0),
                "{item} = {v}"
            );
        }
        assert_eq!(stage(&set(healthy(), item, None)), Some(0));
    }
    // 5b (gastrostomy) is not a MiToS domain: swallowing is item 3 only
    let mut a = healthy();
    a.q5 = Some((Q5Form::B, crate::items::Score::new(4).unwrap()));
    assert_eq!(stage(&a), Some(0));
}

#[test]
fn mitos_stage_counts_domains() {
    // Chiò 2015: stage = number of domains lost, 0–4.
    let w = set(healthy(), Item::Q8, Some(1));
    let ws = set(w, Item::Q3, Some(1));
    let wsc = set(set(ws, Item::Q1, Some(1)), Item::Q4, Some(1));
    let wscb = set(wsc, Item::Q10, Some(1));
    assert_eq!(
        [&w, &ws, &wsc, &wscb].map(stage),
        [Some(1), Some(2), Some(3), Some(4)]
    );
    assert_eq!(
        stage(&AlsfrsItems::from_scores([Some(0); 12], Q5Form::B).unwrap()),
        Some(4)
    );
    assert_eq!(
        mitos(&ws, Vital::Alive).reason.sentence(),
        "2: 2 domains lost: walking/self-care (item 8 (walking) = 1 ≤ 1), \
         swallowing (item 3 (swallowing) = 1 ≤ 1)"
    );
}

#[test]
fn mitos_5_is_death() {
    // Chiò 2015: stage 5 = death, whatever the items.
    for a in [AlsfrsItems::EMPTY, healthy()] {
        let m = mitos(&a, Vital::Dead);
        assert_eq!(m.stage, Some(MitosStage::S5));
        assert_eq!(m.reason, MitosReason::Death);
    }
}

#[test]
fn mitos_missing_items_that_do_not_matter() {
    // Issue #23: three-valued domains — an OR with a true operand is true, an AND with a false
    // operand is false, whatever the missing item.
    // item 8 = 0 decides walking/self-care with item 6 missing
    let a = set(set(healthy(), Item::Q6, None), Item::Q8, Some(0));
    assert_eq!(stage(&a), Some(1));
    // item 12 = 2 decides breathing with item 10 missing
    let a = set(set(healthy(), Item::Q10, None), Item::Q12, Some(2));
    assert_eq!(stage(&a), Some(1));
    // item 1 = 3 keeps communicating with item 4 missing
    let a = set(set(healthy(), Item::Q4, None), Item::Q1, Some(3));
    assert_eq!(stage(&a), Some(0));
    // item 4 = 2 keeps communicating with item 1 missing
    let a = set(set(healthy(), Item::Q1, None), Item::Q4, Some(2));
    assert_eq!(stage(&a), Some(0));
}

#[test]
fn mitos_missing_items_that_matter() {
    // Issue #23: never a guess — an unknown domain leaves the stage empty, with its missing
    // items (and only those).
    // OR with the known operand false: the missing one decides
    assert_eq!(missing(&set(healthy(), Item::Q6, None)), [6]);
    assert_eq!(missing(&set(healthy(), Item::Q8, None)), [8]);
    assert_eq!(missing(&set(healthy(), Item::Q10, None)), [10]);
    assert_eq!(missing(&set(healthy(), Item::Q12, None)), [12]);
    assert_eq!(missing(&set(healthy(), Item::Q3, None)), [3]);
    // AND with the known operand true: the missing one decides
    let a = set(set(healthy(), Item::Q1, Some(1)), Item::Q4, None);
    assert_eq!(missing(&a), [4]);
    let a = set(set(healthy(), Item::Q4, Some(0)), Item::Q1, None);
    assert_eq!(missing(&a), [1]);
    // AND with both missing
    let a = set(set(healthy(), Item::Q4, None), Item::Q1, None);
    assert_eq!(missing(&a), [1, 4]);
    // every domain lost but one unknown: still undetermined (3 or 4)
    let a = set(
        AlsfrsItems::from_scores([Some(0); 12], Q5Form::A).unwrap(),
        Item::Q3,
        None,
    );
    assert_eq!(missing(&a), [3]);
    assert_eq!(missing(&AlsfrsItems::EMPTY), [1, 3, 4, 6, 8, 10, 12]);
    assert_eq!(
        mitos(&set(healthy(), Item::Q3, None), Vital::Alive)
            .reason
            .sentence(),
        "undetermined: depends on missing item 3 (swallowing)"
    );
}

#[test]
fn mitos_serialises_stage_as_number() {
    let m = mitos(&set(healthy(), Item::Q3, Some(0)), Vital::Alive);
    assert_eq!(
        serde_json::to_string(&m).unwrap(),
        r#"{"stage":1,"reason":{"rule":"domains","walking_self_care":null,"swallowing":{"item":"q3","value":0},"communicating":null,"breathing":null}}"#
    );
    for s in MitosStage::ALL {
        let j = serde_json::to_string(s).unwrap();
        assert_eq!(j, s.label());
        assert_eq!(serde_json::from_str::<MitosStage>(&j).unwrap(), *s);
    }
    assert!(serde_json::from_str::<MitosStage>("6").is_err());
}
