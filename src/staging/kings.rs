//! King's clinical stage estimated from one visit's ALSFRS-R items.
//!
//! Source: Balendra R, Jones A, Jivraj N, et al. Estimating clinical stage of amyotrophic lateral
//! sclerosis from the ALS Functional Rating Scale. Amyotroph Lateral Scler Frontotemporal Degener
//! 2014;15:279–284 — the item mapping of the King's staging system (Roche et al. 2012, Brain
//! 135:847–852). The rule, as issue #23 states it:
//!
//! - regions involved: **bulbar** — any of items 1–3 < 4; **upper limb** — item 4 < 4 or item
//!   5a < 4; **lower limb** — item 8 < 4;
//! - stage 1, 2, 3 = the number of regions involved;
//! - **4A** (nutritional failure) = gastrostomy, read from item 5b being answered instead of 5a;
//! - **4B** (respiratory failure) = item 10 = 0 or item 12 < 4; 4B wins over 4A when both hold;
//! - **5** = death;
//! - a visit with no region involved and neither 4A nor 4B is stage **0**, reported as such (not
//!   recoded to 1).
//!
//! Missing items: every condition is evaluated three-valued (true / false / unknown). The stage
//! is given when death, 4B, or (4B ruled out) 4A decides it, or when 4A and 4B are ruled out and
//! every region's involvement is known — the stage is then the count, which any unknown region
//! could change. Otherwise the stage is `None` and the reason lists exactly the missing items
//! the stage depends on: those that change the stage for some value of the other missing items.
//! E.g. item 12 = 2 gives 4B whatever items 1–3 are; with 5b answered and items 10 and 12
//! missing, the stage is 4A or 4B and depends on items 10 and 12 only.

use super::{Finding, Stage, Vital};
use crate::items::{AlsfrsItems, Item, ItemSet, Q5Form};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A King's stage. Serialised as `"0"`, `"1"`, `"2"`, `"3"`, `"4A"`, `"4B"`, `"5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KingsStage {
    /// No region involved, no gastrostomy, no respiratory failure.
    #[serde(rename = "0")]
    S0,
    #[serde(rename = "1")]
    S1,
    #[serde(rename = "2")]
    S2,
    #[serde(rename = "3")]
    S3,
    /// Gastrostomy (nutritional failure).
    #[serde(rename = "4A")]
    S4A,
    /// Respiratory failure (non-invasive ventilation).
    #[serde(rename = "4B")]
    S4B,
    /// Death.
    #[serde(rename = "5")]
    S5,
}

impl Stage for KingsStage {
    const ALL: &'static [KingsStage] = &[
        KingsStage::S0,
        KingsStage::S1,
        KingsStage::S2,
        KingsStage::S3,
        KingsStage::S4A,
        KingsStage::S4B,
        KingsStage::S5,
    ];

    fn level(self) -> u8 {
        match self {
            KingsStage::S0 => 0,
            KingsStage::S1 => 1,
            KingsStage::S2 => 2,
            KingsStage::S3 => 3,
            KingsStage::S4A | KingsStage::S4B => 4,
            KingsStage::S5 => 5,
        }
    }

    fn label(self) -> &'static str {
        match self {
            KingsStage::S0 => "0",
            KingsStage::S1 => "1",
            KingsStage::S2 => "2",
            KingsStage::S3 => "3",
            KingsStage::S4A => "4A",
            KingsStage::S4B => "4B",
            KingsStage::S5 => "5",
        }
    }
}

impl fmt::Display for KingsStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The rule that decided a visit's King's stage, or why none could be decided. Serialised with
/// a `"rule"` tag: `{"rule": "respiratory_failure", "q10": null, "q12": 2}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum KingsReason {
    /// 5: the patient had died.
    Death,
    /// 4B: item 10 = 0 or item 12 < 4. Each field holds the item's score when that criterion
    /// fired (`q10` is then `Some(0)`), `None` when it did not fire or the item is missing.
    RespiratoryFailure { q10: Option<u8>, q12: Option<u8> },
    /// 4A: item 5b answered (gastrostomy), with 4B ruled out by item 10 > 0 and item 12 = 4.
    Gastrostomy { q10: u8, q12: u8 },
    /// 0–3: the count of regions involved, 4A and 4B ruled out (5a answered, item 10 > 0,
    /// item 12 = 4). Each region holds the lowest-numbered item that shows it involved (item 5
    /// here is 5a), `None` when it is not involved (all its items = 4).
    Regions {
        bulbar: Option<Finding>,
        upper_limb: Option<Finding>,
        lower_limb: Option<Finding>,
    },
    /// No stage: it depends on these missing items.
    Undetermined { missing: ItemSet },
}

/// One visit's King's stage (`None` when undetermined) and the rule that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Kings {
    pub stage: Option<KingsStage>,
    pub reason: KingsReason,
}

/// Whether a region is involved, three-valued, with the item that shows it.
enum Region {
    Involved(Finding),
    NotInvolved,
    Unknown,
}

/// A region is involved when any of its items is < 4; not involved when all are known and = 4;
/// unknown otherwise (its missing items are added to `missing`).
fn region(items: &[(Item, Option<u8>)], missing: &mut ItemSet) -> Region {
    if let Some(&(item, Some(value))) = items.iter().find(|(_, v)| matches!(v, Some(v) if *v < 4)) {
        return Region::Involved(Finding { item, value });
    }
    let mut unknown = false;
    for &(item, v) in items {
        if v.is_none() {
            missing.insert(item);
            unknown = true;
        }
    }
    if unknown {
        Region::Unknown
    } else {
        Region::NotInvolved
    }
}

/// King's stage of one visit (Balendra et al. 2014; see the module doc for the rule).
pub fn kings(items: &AlsfrsItems, vital: Vital) -> Kings {
    if vital == Vital::Dead {
        return Kings {
            stage: Some(KingsStage::S5),
            reason: KingsReason::Death,
        };
    }
    let q10 = items.get(Item::Q10);
    let q12 = items.get(Item::Q12);
    // 4B: item 10 = 0 or item 12 < 4.
    let q10_fired = q10.filter(|&v| v == 0);
    let q12_fired = q12.filter(|&v| v < 4);
    if q10_fired.is_some() || q12_fired.is_some() {
        return Kings {
            stage: Some(KingsStage::S4B),
            reason: KingsReason::RespiratoryFailure {
                q10: q10_fired,
                q12: q12_fired,
            },
        };
    }
    // 4B is ruled out only when both items are known (and neither fired).
    let mut missing = ItemSet::EMPTY;
    if q10.is_none() {
        missing.insert(Item::Q10);
    }
    if q12.is_none() {
        missing.insert(Item::Q12);
    }
    let undetermined = |missing| Kings {
        stage: None,
        reason: KingsReason::Undetermined { missing },
    };
    // 4A: item 5b answered.
    match items.gastrostomy() {
        Some(true) => {
            return match (q10, q12) {
                (Some(q10), Some(q12)) => Kings {
                    stage: Some(KingsStage::S4A),
                    reason: KingsReason::Gastrostomy { q10, q12 },
                },
                // 4A or 4B: the regions do not matter.
                _ => undetermined(missing),
            };
        }
        Some(false) => {}
        None => missing.insert(Item::Q5),
    }
    // Regions, counted when 4A and 4B are both ruled out.
    let g = |i| (i, items.get(i));
    let bulbar = region(&[g(Item::Q1), g(Item::Q2), g(Item::Q3)], &mut missing);
    let q5a = (Item::Q5, items.q5a());
    let upper = region(&[g(Item::Q4), q5a], &mut missing);
    let lower = region(&[g(Item::Q8)], &mut missing);
    if !missing.is_empty() {
        return undetermined(missing);
    }
    let f = |r| match r {
        Region::Involved(f) => Some(f),
        _ => None,
    };
    let (bulbar, upper_limb, lower_limb) = (f(bulbar), f(upper), f(lower));
    let n = [bulbar, upper_limb, lower_limb]
        .iter()
        .filter(|r| r.is_some())
        .count();
    let stage = [
        KingsStage::S0,
        KingsStage::S1,
        KingsStage::S2,
        KingsStage::S3,
    ][n];
    Kings {
        stage: Some(stage),
        reason: KingsReason::Regions {
            bulbar,
            upper_limb,
            lower_limb,
        },
    }
}

/// `item 5a (cutting food and handling utensils) = 3`: item 5 in King's regions is always 5a.
fn region_finding(f: Finding) -> String {
    if f.item == Item::Q5 {
        format!("item {} ({}) = {}", Q5Form::A, f.item.name(), f.value)
    } else {
        f.to_string()
    }
}

impl KingsReason {
    /// The rule that fired, as a sentence starting with the stage:
    /// `4B (respiratory failure): item 12 (respiratory insufficiency) = 2 < 4`.
    pub fn sentence(&self) -> String {
        match *self {
            KingsReason::Death => "5: death".to_string(),
            KingsReason::RespiratoryFailure { q10, q12 } => {
                let mut parts = Vec::new();
                if let Some(v) = q10 {
                    parts.push(format!("{} = {v}", Item::Q10));
                }
                if let Some(v) = q12 {
                    parts.push(format!("{} = {v} < 4", Item::Q12));
                }
                format!("4B (respiratory failure): {}", parts.join(" and "))
            }
            KingsReason::Gastrostomy { q10, q12 } => format!(
                "4A (gastrostomy): item 5b answered instead of 5a; \
                 no respiratory failure (item 10 = {q10} > 0, item 12 = {q12})"
            ),
            KingsReason::Regions {
                bulbar,
                upper_limb,
                lower_limb,
            } => {
                let named = [
                    ("bulbar", bulbar),
                    ("upper limb", upper_limb),
                    ("lower limb", lower_limb),
                ];
                let involved: Vec<String> = named
                    .iter()
                    .filter_map(|(name, f)| {
                        f.map(|f| format!("{name} ({} < 4)", region_finding(f)))
                    })
                    .collect();
                let not: Vec<&str> = named
                    .iter()
                    .filter(|(_, f)| f.is_none())
                    .map(|(name, _)| *name)
                    .collect();
                let n = involved.len();
                let mut s = if n == 0 {
                    "0: no region involved (items 1–4, 5a and 8 all = 4)".to_string()
                } else {
                    format!(
                        "{n}: {n} region{} involved: {}",
                        if n == 1 { "" } else { "s" },
                        involved.join(", ")
                    )
                };
                if n > 0 && !not.is_empty() {
                    s += &format!("; not involved: {}", not.join(", "));
                }
                s + "; no gastrostomy (5a answered), no respiratory failure"
            }
            KingsReason::Undetermined { missing } => {
                format!("undetermined: depends on missing {missing}")
            }
        }
    }
}

impl fmt::Display for KingsReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())
    }
}

#[cfg(test)]
#[path = "kings_tests.rs"]
mod tests;
