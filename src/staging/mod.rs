//! Clinical staging, progression classes and the trial risk profile, computed from what clinics
//! already record (issue #23). Pure rules: no I/O, nothing from the rest of the crate but the
//! item-level ALSFRS-R of [`crate::items`].
//!
//! - [`kings`]: King's clinical stage estimated from ALSFRS-R items (Balendra et al. 2014).
//! - [`mitos`]: MiToS stage (Chiò et al. 2015).
//! - [`progression`]: ΔFS progression classes (slow / intermediate / fast).
//! - [`tricals`]: the TRICALS risk profile, the linear predictor of the ENCALS survival model
//!   (Westeneng et al. 2018).
//! - [`timeline`]: when each stage was first reached, and the stage mix of a group at scheduled
//!   visits.
//!
//! Stages are evaluated per visit. A missing item leaves a stage undetermined (with the missing
//! items it depends on) only when the stage depends on it; a stage is never guessed.

pub mod kings;
pub mod mitos;
pub mod progression;
pub mod timeline;
pub mod tricals;

#[cfg(test)]
mod props;

use crate::items::Item;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether the patient had died at the time staged. Death is stage 5 in both King's and MiToS,
/// whatever the items say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vital {
    Alive,
    Dead,
}

/// A staging system's stages (King's, MiToS).
pub trait Stage: Copy + PartialEq + fmt::Debug + 'static {
    /// Every stage, in order of severity (King's 4A before 4B).
    const ALL: &'static [Self];
    /// The stage's level 0–5: its number, with King's 4A and 4B both level 4. Level 5 is death
    /// in both systems (absorbing: [`timeline`] carries it forward).
    fn level(self) -> u8;
    /// The stage as written: `"0"` … `"5"`, King's `"4A"`, `"4B"`.
    fn label(self) -> &'static str;
}

/// An item's score that a rule read: `item 12 (respiratory insufficiency) = 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    pub item: Item,
    pub value: u8,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.item, self.value)
    }
}
