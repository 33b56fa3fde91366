//! MiToS stage of one visit's ALSFRS-R items.
//!
//! Source: Chiò A, Hammond ER, Mora G, Bonito V, Filippini G. Development and evaluation of a
//! clinical staging system for amyotrophic lateral sclerosis. J Neurol Neurosurg Psychiatry
//! 2015;86:38–44. The rule, as issue #23 states it — functional domains lost:
//!
//! - **walking/self-care**: item 8 (walking) ≤ 1 **or** item 6 (dressing and hygiene) ≤ 1;
//! - **swallowing**: item 3 ≤ 1;
//! - **communicating**: item 1 (speech) ≤ 1 **and** item 4 (handwriting) ≤ 1;
//! - **breathing**: item 10 (dyspnoea) ≤ 1 **or** item 12 (respiratory insufficiency) ≤ 2;
//!
//! stage = the number of domains lost (0–4); **5** = death. (Public scripts have used OR for
//! communicating; the rule is AND: losing speech alone still leaves writing.)
//!
//! Missing items: each domain is three-valued (lost / not lost / unknown): an OR with one true
//! operand is true even if the other item is missing, an AND with one false operand is false.
//! Since the stage is the count of domains lost, any unknown domain could change it, so the stage
//! is given only when every domain is known (or the patient had died); otherwise it is `None` and
//! the reason lists the missing items of the unknown domains — exactly the missing items the
//! stage depends on.

use super::{Finding, Stage, Vital};
use crate::items::{AlsfrsItems, Item, ItemSet};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A MiToS stage 0–5. Serialised as the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum MitosStage {
    S0,
    S1,
    S2,
    S3,
    S4,
    /// Death.
    S5,
}

impl Stage for MitosStage {
    const ALL: &'static [MitosStage] = &[
        MitosStage::S0,
        MitosStage::S1,
        MitosStage::S2,
        MitosStage::S3,
        MitosStage::S4,
        MitosStage::S5,
    ];

    fn level(self) -> u8 {
        self as u8
    }

    fn label(self) -> &'static str {
        ["0", "1", "2", "3", "4", "5"][self as usize]
    }
}

impl From<MitosStage> for u8 {
    fn from(s: MitosStage) -> u8 {
        s as u8
    }
}

impl TryFrom<u8> for MitosStage {
    type Error = String;
    fn try_from(v: u8) -> Result<MitosStage, String> {
        MitosStage::ALL
            .get(usize::from(v))
            .copied()
            .ok_or_else(|| format!("{v} is not a MiToS stage (0–5)"))
    }
}

impl fmt::Display for MitosStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The rule that decided a visit's MiToS stage, or why none could be. Serialised with a
/// `"rule"` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum MitosReason {
    /// 5: the patient had died.
    Death,
    /// 0–4: the count of domains lost, every domain known. A lost domain holds the item score
    /// that shows it (for an OR, the first that fired: item 8 before 6, item 10 before 12; for
    /// communicating, items 1 and 4); `None` = not lost.
    Domains {
        walking_self_care: Option<Finding>,
        swallowing: Option<Finding>,
        communicating: Option<[Finding; 2]>,
        breathing: Option<Finding>,
    },
    /// No stage: it depends on these missing items.
    Undetermined { missing: ItemSet },
}

/// One visit's MiToS stage (`None` when undetermined) and the rule that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mitos {
    pub stage: Option<MitosStage>,
    pub reason: MitosReason,
}

/// A domain's state: lost (with its evidence), kept, or unknown.
enum Domain<E> {
    Lost(E),
    Kept,
    Unknown,
}

/// `item ≤ max`, three-valued (None when the item is missing), with the score read.
fn at_most(a: &AlsfrsItems, item: Item, max: u8) -> (Option<bool>, Option<Finding>) {
    match a.get(item) {
        Some(value) => (Some(value <= max), Some(Finding { item, value })),
        None => (None, None),
    }
}

/// One condition.
fn one(a: &AlsfrsItems, (item, max): (Item, u8), missing: &mut ItemSet) -> Domain<Finding> {
    match at_most(a, item, max) {
        (Some(true), Some(f)) => Domain::Lost(f),
        (Some(false), _) => Domain::Kept,
        _ => {
            missing.insert(item);
            Domain::Unknown
        }
    }
}

/// Either condition (three-valued OR): lost when either is, kept when both are known and kept.
fn any_of(a: &AlsfrsItems, conds: [(Item, u8); 2], missing: &mut ItemSet) -> Domain<Finding> {
    let r = conds.map(|(i, max)| at_most(a, i, max));
    if let Some((_, Some(f))) = r.iter().find(|(lost, _)| *lost == Some(true)) {
        return Domain::Lost(*f);
    }
    let mut unknown = false;
    for ((item, _), (lost, _)) in conds.iter().zip(r) {
        if lost.is_none() {
            missing.insert(*item);
            unknown = true;
        }
    }
    if unknown {
        Domain::Unknown
    } else {
        Domain::Kept
    }
}

/// Both conditions (three-valued AND): kept when either is known kept, lost when both are lost.
fn all_of(a: &AlsfrsItems, conds: [(Item, u8); 2], missing: &mut ItemSet) -> Domain<[Finding; 2]> {
    let r = conds.map(|(i, max)| at_most(a, i, max));
    if r.iter().any(|(lost, _)| *lost == Some(false)) {
        return Domain::Kept;
    }
    match r {
        [(Some(true), Some(f)), (Some(true), Some(g))] => Domain::Lost([f, g]),
        _ => {
            for ((item, _), (lost, _)) in conds.iter().zip(r) {
                if lost.is_none() {
                    missing.insert(*item);
                }
            }
            Domain::Unknown
        }
    }
}

/// MiToS stage of one visit (Chiò et al. 2015; see the module doc for the rule).
pub fn mitos(items: &AlsfrsItems, vital: Vital) -> Mitos {
    if vital == Vital::Dead {
        return Mitos {
            stage: Some(MitosStage::S5),
            reason: MitosReason::Death,
        };
    }
    let mut missing = ItemSet::EMPTY;
    let walking = any_of(items, [(Item::Q8, 1), (Item::Q6, 1)], &mut missing);
    let swallowing = one(items, (Item::Q3, 1), &mut missing);
    let communicating = all_of(items, [(Item::Q1, 1), (Item::Q4, 1)], &mut missing);
    let breathing = any_of(items, [(Item::Q10, 1), (Item::Q12, 2)], &mut missing);
    if !missing.is_empty() {
        return Mitos {
            stage: None,
            reason: MitosReason::Undetermined { missing },
        };
    }
    fn lost<E>(d: Domain<E>) -> Option<E> {
        match d {
            Domain::Lost(e) => Some(e),
            Domain::Kept | Domain::Unknown => None,
        }
    }
    let (w, s, c, b) = (
        lost(walking),
        lost(swallowing),
        lost(communicating),
        lost(breathing),
    );
    let n = [w.is_some(), s.is_some(), c.is_some(), b.is_some()]
        .iter()
        .filter(|&&x| x)
        .count();
    Mitos {
        stage: Some(MitosStage::ALL[n]),
        reason: MitosReason::Domains {
            walking_self_care: w,
            swallowing: s,
            communicating: c,
            breathing: b,
        },
    }
}

/// The threshold of an item in the MiToS rule: item 12 ≤ 2, the others ≤ 1.
fn threshold(item: Item) -> u8 {
    if item == Item::Q12 {
        2
    } else {
        1
    }
}

fn finding(f: Finding) -> String {
    format!("{f} ≤ {}", threshold(f.item))
}

impl MitosReason {
    /// The rule that fired, as a sentence starting with the stage:
    /// `1: 1 domain lost: breathing (item 12 (respiratory insufficiency) = 2 ≤ 2)`.
    pub fn sentence(&self) -> String {
        match *self {
            MitosReason::Death => "5: death".to_string(),
            MitosReason::Domains {
                walking_self_care,
                swallowing,
                communicating,
                breathing,
            } => {
                let mut lost = Vec::new();
                if let Some(f) = walking_self_care {
                    lost.push(format!("walking/self-care ({})", finding(f)));
                }
                if let Some(f) = swallowing {
                    lost.push(format!("swallowing ({})", finding(f)));
                }
                if let Some([f, g]) = communicating {
                    lost.push(format!("communicating ({} and {})", finding(f), finding(g)));
                }
                if let Some(f) = breathing {
                    lost.push(format!("breathing ({})", finding(f)));
                }
                match lost.len() {
                    0 => "0: no domain lost".to_string(),
                    1 => format!("1: 1 domain lost: {}", lost[0]),
                    n => format!("{n}: {n} domains lost: {}", lost.join(", ")),
                }
            }
            MitosReason::Undetermined { missing } => {
                format!("undetermined: depends on missing {missing}")
            }
        }
    }
}

impl fmt::Display for MitosReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())
    }
}

#[cfg(test)]
#[path = "mitos_tests.rs"]
mod tests;
