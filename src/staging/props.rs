//! Property tests of the staging rules: no panic on any input; on complete items the three-valued
//! code agrees with the rules written plainly (two-valued, as published); with missing items a
//! stage is given exactly when every completion gives that stage, and the listed missing items
//! are exactly those the stage depends on (checked by enumerating completions); stages never
//! improve when an item worsens; the risk profile moves the published way with each input.

use super::kings::{kings, KingsReason, KingsStage};
use super::mitos::{mitos, MitosReason, MitosStage};
use super::progression::DeltaFsCutoffs;
use super::timeline::{first_reached, proportions_at, StagedVisit};
use super::tricals::{tricals, EligibilityWindow, TricalsInputs};
use super::{Stage, Vital};
use crate::items::{AlsfrsItems, Item, ItemSet, Q5Form};
use proptest::prelude::*;

/// Items from 12 scores, a 5a/5b choice and the indices left missing.
fn build(q: &[u8], b: bool, missing: &[usize]) -> AlsfrsItems {
    let mut v: [Option<u8>; 12] = std::array::from_fn(|i| Some(q[i]));
    for &m in missing {
        v[m] = None;
    }
    AlsfrsItems::from_scores(v, if b { Q5Form::B } else { Q5Form::A }).unwrap()
}

/// King's as Balendra 2014 writes it, on complete items.
fn kings_plain(a: &AlsfrsItems) -> KingsStage {
    let g = |i| a.get(i).unwrap();
    if g(Item::Q10) == 0 || g(Item::Q12) < 4 {
        return KingsStage::S4B;
    }
    if a.gastrostomy().unwrap() {
        return KingsStage::S4A;
    }
    let bulbar = g(Item::Q1) < 4 || g(Item::Q2) < 4 || g(Item::Q3) < 4;
    let upper = g(Item::Q4) < 4 || a.q5a().unwrap() < 4;
    let lower = g(Item::Q8) < 4;
    match [bulbar, upper, lower].iter().filter(|&&x| x).count() {
        0 => KingsStage::S0,
        1 => KingsStage::S1,
        2 => KingsStage::S2,
        _ => KingsStage::S3,
    }
}

/// MiToS as Chiò 2015 writes it, on complete items.
fn mitos_plain(a: &AlsfrsItems) -> MitosStage {
    let g = |i| a.get(i).unwrap();
    let lost = [
        g(Item::Q8) <= 1 || g(Item::Q6) <= 1,
        g(Item::Q3) <= 1,
        g(Item::Q1) <= 1 && g(Item::Q4) <= 1,
        g(Item::Q10) <= 1 || g(Item::Q12) <= 2,
    ];
    MitosStage::ALL[lost.iter().filter(|&&x| x).count()]
}

/// The values a missing item can take: scores 0–4, and for item 5 each form too.
fn values(item: Item) -> Vec<(u8, bool)> {
    let forms: &[bool] = if item == Item::Q5 {
        &[false, true]
    } else {
        &[false]
    };
    forms
        .iter()
        .flat_map(|&b| (0..=4).map(move |v| (v, b)))
        .collect()
}

/// Every completion of the missing items of `a`.
fn completions(a: &AlsfrsItems, missing: &[Item]) -> Vec<AlsfrsItems> {
    let mut out = vec![*a];
    for &m in missing {
        out = out
            .into_iter()
            .flat_map(|c| values(m).into_iter().map(move |vb| fill(&c, m, vb)))
            .collect();
    }
    out
}

fn fill(a: &AlsfrsItems, item: Item, (v, b): (u8, bool)) -> AlsfrsItems {
    let form = a.q5.map_or(Q5Form::A, |(f, _)| f);
    let mut q: [Option<u8>; 12] = Item::ALL.map(|i| a.get(i));
    q[usize::from(item.number() - 1)] = Some(v);
    let form = if item == Item::Q5 {
        if b {
            Q5Form::B
        } else {
            Q5Form::A
        }
    } else {
        form
    };
    AlsfrsItems::from_scores(q, form).unwrap()
}

/// The missing items the stage depends on, by brute force: an item counts when, for some
/// completion of the other missing items, two of its values give different stages.
fn relevant<S: PartialEq>(a: &AlsfrsItems, stage: impl Fn(&AlsfrsItems) -> S) -> ItemSet {
    let missing: Vec<Item> = a.missing().iter().collect();
    let mut out = ItemSet::EMPTY;
    for &m in &missing {
        let others: Vec<Item> = missing.iter().copied().filter(|&o| o != m).collect();
        let matters = completions(a, &others).iter().any(|c| {
            let s: Vec<S> = values(m)
                .into_iter()
                .map(|vb| stage(&fill(c, m, vb)))
                .collect();
            s.iter().any(|x| *x != s[0])
        });
        if matters {
            out.insert(m);
        }
    }
    out
}

fn items_strategy() -> impl Strategy<Value = (Vec<u8>, bool, Vec<usize>)> {
    (
        prop::collection::vec(0u8..=4, 12),
        any::<bool>(),
        prop::sample::subsequence((0..12).collect::<Vec<usize>>(), 0..=4),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn staging_complete_items_follow_the_published_rules(
        q in prop::collection::vec(0u8..=4, 12), b in any::<bool>()
    ) {
        let a = build(&q, b, &[]);
        prop_assert_eq!(kings(&a, Vital::Alive).stage, Some(kings_plain(&a)));
        prop_assert_eq!(mitos(&a, Vital::Alive).stage, Some(mitos_plain(&a)));
        prop_assert_eq!(kings(&a, Vital::Dead).stage, Some(KingsStage::S5));
        prop_assert_eq!(mitos(&a, Vital::Dead).stage, Some(MitosStage::S5));
    }

    #[test]
    fn staging_kings_missing_items_exactly_those_that_matter((q, b, m) in items_strategy()) {
        let a = build(&q, b, &m);
        let k = kings(&a, Vital::Alive);
        let all: Vec<Item> = a.missing().iter().collect();
        let stages: Vec<KingsStage> =
            completions(&a, &all).iter().map(kings_plain).collect();
        let one = stages.iter().all(|s| *s == stages[0]);
        match k.reason {
            KingsReason::Undetermined { missing } => {
                prop_assert!(k.stage.is_none());
                prop_assert!(!one, "undetermined but every completion gives {:?}", stages[0]);
                prop_assert_eq!(missing, relevant(&a, kings_plain));
            }
            _ => {
                prop_assert!(one);
                prop_assert_eq!(k.stage, Some(stages[0]));
            }
        }
    }

    #[test]
    fn staging_mitos_missing_items_exactly_those_that_matter((q, b, m) in items_strategy()) {
        let a = build(&q, b, &m);
        let r = mitos(&a, Vital::Alive);
        let all: Vec<Item> = a.missing().iter().collect();
        let stages: Vec<MitosStage> =
            completions(&a, &all).iter().map(mitos_plain).collect();
        let one = stages.iter().all(|s| *s == stages[0]);
        match r.reason {
            MitosReason::Undetermined { missing } => {
                prop_assert!(r.stage.is_none());
                prop_assert!(!one);
                prop_assert_eq!(missing, relevant(&a, mitos_plain));
            }
            _ => {
                prop_assert!(one);
                prop_assert_eq!(r.stage, Some(stages[0]));
            }
        }
    }

    #[test]
    fn staging_never_improves_when_an_item_worsens(
        q in prop::collection::vec(0u8..=4, 12), b in any::<bool>(), i in 0usize..12
    ) {
        // Stages are milestones of loss: a lower score on any one item never lowers the level;
        // a gastrostomy (5a → 5b) never lowers King's level.
        let a = build(&q, b, &[]);
        let mut worse = q.clone();
        worse[i] = q[i].saturating_sub(1);
        let w = build(&worse, b, &[]);
        let lk = |x: &AlsfrsItems| kings(x, Vital::Alive).stage.unwrap().level();
        let lm = |x: &AlsfrsItems| mitos(x, Vital::Alive).stage.unwrap().level();
        prop_assert!(lk(&w) >= lk(&a));
        prop_assert!(lm(&w) >= lm(&a));
        prop_assert!(lk(&build(&q, true, &[])) >= lk(&build(&q, false, &[])));
        prop_assert!(lk(&a) <= 4 && lm(&a) <= 4);
    }

    #[test]
    fn staging_sentences_never_panic((q, b, m) in items_strategy(), dead in any::<bool>()) {
        let a = build(&q, b, &m);
        let vital = if dead { Vital::Dead } else { Vital::Alive };
        let k = kings(&a, vital);
        let r = mitos(&a, vital);
        let ks = k.reason.sentence();
        let ms = r.reason.sentence();
        // the sentence starts with the stage, or says it is undetermined
        match k.stage {
            Some(s) => prop_assert!(ks.starts_with(s.label()), "{}", ks),
            None => prop_assert!(ks.starts_with("undetermined")),
        }
        match r.stage {
            Some(s) => prop_assert!(ms.starts_with(s.label()), "{}", ms),
            None => prop_assert!(ms.starts_with("undetermined")),
        }
    }

    #[test]
    fn staging_tricals_any_input_no_panic(
        v in prop::collection::vec(prop::option::of(prop::num::f64::ANY), 5),
        f in prop::collection::vec(prop::option::of(any::<bool>()), 3),
    ) {
        let i = TricalsInputs {
            age_at_onset: v[0],
            diagnostic_delay: v[1],
            alsfrs_r: v[2],
            months_onset_to_baseline: v[3],
            fvc_percent: v[4],
            bulbar_onset: f[0],
            el_escorial_definite: f[1],
            ftd: f[2],
        };
        match tricals(&i, &EligibilityWindow::default()) {
            Ok(p) => prop_assert!(!p.lp.is_nan()),
            Err(e) => prop_assert!(!e.missing.is_empty() || !e.invalid.is_empty()),
        }
    }

    #[test]
    fn staging_tricals_moves_the_published_way(
        age in 20.0f64..90.0, delay in 1.0f64..60.0, frs in 0.0f64..47.0,
        months in 1.0f64..80.0, fvc in 20.0f64..130.0, d in 0.5f64..10.0,
    ) {
        // Westeneng 2018: a higher LP is a worse prognosis — a lower ALSFRS-R at the same
        // time (a steeper slope), a lower FVC and an older age at onset each raise it.
        let w = EligibilityWindow::default();
        let base = TricalsInputs {
            age_at_onset: Some(age),
            diagnostic_delay: Some(delay),
            alsfrs_r: Some(frs + 1.0),
            months_onset_to_baseline: Some(months),
            fvc_percent: Some(fvc),
            bulbar_onset: Some(false),
            el_escorial_definite: Some(false),
            ftd: Some(false),
        };
        let lp = |i: TricalsInputs| tricals(&i, &w).unwrap().lp;
        let l0 = lp(base);
        let lower_frs = lp(TricalsInputs { alsfrs_r: Some(frs), ..base });
        let lower_fvc = lp(TricalsInputs { fvc_percent: Some(fvc - d), ..base });
        let older = lp(TricalsInputs { age_at_onset: Some(age + d), ..base });
        prop_assert!(lower_frs > l0, "ALSFRS-R");
        prop_assert!(lower_fvc > l0, "FVC");
        prop_assert!(older > l0, "age");
    }

    #[test]
    fn staging_delta_fs_class_is_monotone(x in -1.0f64..5.0, y in -1.0f64..5.0) {
        for c in [DeltaFsCutoffs::Standard, DeltaFsCutoffs::Alternative] {
            let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
            prop_assert!(c.classify(lo).unwrap() <= c.classify(hi).unwrap());
        }
    }

    #[test]
    fn staging_timeline_invariants(
        pats in prop::collection::vec(
            prop::collection::vec((-5.0f64..40.0, prop::option::of(0usize..7)), 0..8), 0..12),
        sched in prop::collection::vec(-5.0f64..40.0, 1..6),
        window in 0.0f64..4.0,
    ) {
        let pats: Vec<Vec<StagedVisit<KingsStage>>> = pats
            .into_iter()
            .map(|p| p.into_iter().map(|(t, s)| StagedVisit { t, stage: s.map(|k| KingsStage::ALL[k]) }).collect())
            .collect();
        for p in &pats {
            let r = first_reached(p);
            for k in 1..6 {
                if let Some(t) = r[k] {
                    // reaching level k means level k − 1 was reached, no later
                    prop_assert!(r[k - 1].is_some_and(|u| u <= t));
                }
            }
        }
        for mix in proportions_at(&pats, &sched, window) {
            prop_assert_eq!(mix.n + mix.undetermined + mix.not_seen, pats.len());
            let sum: usize = mix.counts.iter().map(|c| c.1).sum();
            prop_assert_eq!(sum, mix.n);
            if mix.n > 0 {
                let p: f64 = KingsStage::ALL.iter().map(|&s| mix.proportion(s).unwrap()).sum();
                prop_assert!((p - 1.0).abs() < 1e-12);
            }
        }
    }
}
