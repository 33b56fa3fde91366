//! The data model: patients, visits (scores, and ALSFRS-R items when given), events, what is
//! known of each patient beyond the visits ([`clinical`]: endpoints and baseline covariates),
//! and calendar dates ([`date`]). Pure data; parsing lives in `parse`, analysis in `analysis`.

pub mod clinical;
pub mod date;

pub use clinical::{Clinical, Dated, ElEscorial, SiteOfOnset};

use crate::items::{AlsfrsItems, PackedItems};
use serde::{Deserialize, Serialize};

/// A clinical measure the tool knows. Higher is better for all but the Appel ALS score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    AlsfrsR,
    Alsfrs,
    Fvc,
    Aals,
    AlsfrsRBulbar,
    AlsfrsRFineMotor,
    AlsfrsRGrossMotor,
    AlsfrsRRespiratory,
}

pub const ALL_MEASURES: [Measure; 8] = [
    Measure::AlsfrsR,
    Measure::Alsfrs,
    Measure::Fvc,
    Measure::Aals,
    Measure::AlsfrsRBulbar,
    Measure::AlsfrsRFineMotor,
    Measure::AlsfrsRGrossMotor,
    Measure::AlsfrsRRespiratory,
];

impl Measure {
    pub fn index(self) -> usize {
        self as usize
    }
    /// Stable machine name used in JSON, CSV and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Measure::AlsfrsR => "alsfrs_r",
            Measure::Alsfrs => "alsfrs",
            Measure::Fvc => "fvc",
            Measure::Aals => "aals",
            Measure::AlsfrsRBulbar => "alsfrs_r_bulbar",
            Measure::AlsfrsRFineMotor => "alsfrs_r_fine_motor",
            Measure::AlsfrsRGrossMotor => "alsfrs_r_gross_motor",
            Measure::AlsfrsRRespiratory => "alsfrs_r_respiratory",
        }
    }
    pub fn from_name(s: &str) -> Option<Measure> {
        ALL_MEASURES.iter().copied().find(|m| m.name() == s)
    }
    /// Human label with units, for charts and text.
    pub fn label(self) -> &'static str {
        match self {
            Measure::AlsfrsR => "ALSFRS-R (0–48)",
            Measure::Alsfrs => "ALSFRS (0–40)",
            Measure::Fvc => "FVC (% predicted)",
            Measure::Aals => "Appel ALS score (30–164)",
            Measure::AlsfrsRBulbar => "ALSFRS-R bulbar (0–12)",
            Measure::AlsfrsRFineMotor => "ALSFRS-R fine motor (0–12)",
            Measure::AlsfrsRGrossMotor => "ALSFRS-R gross motor (0–12)",
            Measure::AlsfrsRRespiratory => "ALSFRS-R respiratory (0–12)",
        }
    }
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Fvc => "% predicted",
            _ => "points",
        }
    }
    /// Valid range of a score.
    pub fn range(self) -> (f64, f64) {
        match self {
            Measure::AlsfrsR => (0.0, 48.0),
            Measure::Alsfrs => (0.0, 40.0),
            Measure::Fvc => (0.0, 200.0),
            Measure::Aals => (30.0, 164.0),
            _ => (0.0, 12.0),
        }
    }
    /// The best possible score (the healthy end of the scale): the reference for ΔFS and
    /// the onset-based pre-rate.
    pub fn best(self) -> f64 {
        match self {
            Measure::AlsfrsR => 48.0,
            Measure::Alsfrs => 40.0,
            Measure::Fvc => 100.0,
            Measure::Aals => 30.0,
            _ => 12.0,
        }
    }
    /// True when a higher score means worse disease (Appel ALS score).
    pub fn higher_is_worse(self) -> bool {
        matches!(self, Measure::Aals)
    }
    /// Progression rate (decline per month) from an OLS slope (score units per month).
    pub fn rate_from_slope(self, slope: f64) -> f64 {
        // `+ 0.0` turns a negative zero into zero.
        if self.higher_is_worse() {
            slope + 0.0
        } else {
            -slope + 0.0
        }
    }
    /// Distance of a score from the healthy end of the scale (≥ 0 for valid scores).
    pub fn loss(self, score: f64) -> f64 {
        if self.higher_is_worse() {
            score - self.best()
        } else {
            self.best() - score
        }
    }
    /// ΔFS is defined for the total functional rating scales only.
    pub fn has_delta_fs(self) -> bool {
        matches!(self, Measure::AlsfrsR | Measure::Alsfrs)
    }
}

/// One visit of one patient. `day` is days on the dataset's time axis (see [`TimeAxis`]).
///
/// 80 bytes (the parser holds one per input row; a cohort of 1M patients holds millions): the
/// line is a u32 (the parser reads at most 2 GiB of text) and the items are packed in 4 bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub day: f64,
    /// 1-based line of the input this visit came from (in inputs of several tables, counted
    /// over the tables in order: [`crate::input::InputInfo::locate`] gives the table's own line).
    pub line: u32,
    /// Score per measure.
    pub scores: Scores,
    /// The visit's item-level ALSFRS-R when the data has item columns (at least one item
    /// answered), packed; [`Visit::items`] unpacks it. Item 5's form (5a or 5b) tells whether
    /// the patient had a gastrostomy at this visit.
    pub items: Option<PackedItems>,
}

impl Visit {
    /// A visit with scores and no items.
    pub fn new(day: f64, line: usize, scores: Scores) -> Visit {
        Visit {
            day,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            scores,
            items: None,
        }
    }

    /// The visit's ALSFRS-R items, when the data has them.
    pub fn items(&self) -> Option<AlsfrsItems> {
        self.items.map(PackedItems::unpack)
    }
}

/// One visit's scores, a slot per measure (indexed by [`Measure::index`]), held inline: no
/// allocation per visit, and 64 bytes where `[Option<f64>; 8]` takes 128 (the parser holds one
/// per input row). Scores are finite (the parser rejects anything else), so NaN marks an empty
/// slot. In JSON (and serde generally) a map from measure name to score, in measure order,
/// with the empty slots left out: `{"alsfrs_r": 40, "fvc": 97}`.
#[derive(Clone, Copy)]
pub struct Scores([f64; 8]);

impl Scores {
    /// No score for any measure.
    pub const NONE: Scores = Scores([f64::NAN; 8]);

    /// The score of measure `i` ([`Measure::index`]).
    #[inline]
    pub fn get(&self, i: usize) -> Option<f64> {
        let v = self.0[i];
        (!v.is_nan()).then_some(v)
    }

    /// Set the score of measure `i` (not NaN, which would read back as no score).
    #[inline]
    pub fn set(&mut self, i: usize, v: f64) {
        debug_assert!(!v.is_nan());
        self.0[i] = v;
    }

    /// Remove the score of measure `i`.
    #[inline]
    pub fn clear(&mut self, i: usize) {
        self.0[i] = f64::NAN;
    }

    /// No measure has a score.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|v| v.is_nan())
    }

    /// The scores there are, in measure order.
    pub fn iter(&self) -> impl Iterator<Item = (Measure, f64)> + '_ {
        ALL_MEASURES
            .iter()
            .zip(&self.0)
            .filter(|(_, v)| !v.is_nan())
            .map(|(m, v)| (*m, *v))
    }
}

impl Default for Scores {
    fn default() -> Self {
        Scores::NONE
    }
}

impl FromIterator<(Measure, f64)> for Scores {
    fn from_iter<I: IntoIterator<Item = (Measure, f64)>>(it: I) -> Self {
        let mut s = Scores::NONE;
        for (m, v) in it {
            s.set(m.index(), v);
        }
        s
    }
}

/// Equal when the same measures have the same scores (empty slots compare equal).
impl PartialEq for Scores {
    fn eq(&self, other: &Self) -> bool {
        (0..8).all(|i| self.get(i) == other.get(i))
    }
}

impl std::fmt::Debug for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Scores {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // The length up front (postcard needs it).
        let mut map = s.serialize_map(Some(self.iter().count()))?;
        for (m, v) in self.iter() {
            map.serialize_entry(&m, &v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Scores {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scores;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from measure name to score")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Scores, A::Error> {
                let mut s = Scores::NONE;
                while let Some((m, v)) = map.next_entry::<Measure, f64>()? {
                    if !v.is_finite() {
                        return Err(serde::de::Error::custom("a score must be a finite number"));
                    }
                    s.set(m.index(), v);
                }
                Ok(s)
            }
        }
        d.deserialize_map(V)
    }
}

/// A name shared, not copied, between a patient and its results (ids, groups, event labels):
/// a 10,000-patient analysis would otherwise make ~100,000 copies of short strings.
pub type Name = std::sync::Arc<str>;

/// An event (injection, treatment start, index date for a control).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub day: f64,
    pub label: Name,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    pub id: Name,
    pub group: Name,
    /// Symptom onset on the same time axis as visits (days).
    pub onset: Option<f64>,
    /// Sorted by day; same-day events merged.
    pub events: Vec<Event>,
    /// Sorted by day.
    pub visits: Vec<Visit>,
    /// First input line of this patient.
    pub line: usize,
    /// Endpoints (death, tracheostomy, permanent ventilation), gastrostomy, last contact and
    /// baseline covariates, when the data gives any (boxed: most inputs have none, and a
    /// patient stays small).
    pub clinical: Option<Box<Clinical>>,
}

/// What the numbers on the time axis mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeAxis {
    /// Calendar dates: `day` is days since 1970-01-01.
    Dates,
    /// Time since baseline as given in the data (months/weeks/days converted to days).
    Relative,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub patients: Vec<Patient>,
    pub time_axis: TimeAxis,
    /// Measures that have at least one score.
    pub measures: Vec<Measure>,
}

/// Group label used when the data has no group column.
pub const DEFAULT_GROUP: &str = "all";

#[cfg(test)]
mod tests {
    use super::*;

    /// A visit keeps its size with the items (packed) and a patient grows by one pointer with
    /// its clinical data (boxed): the parser holds one visit per input row.
    #[test]
    fn visits_and_patients_stay_small() {
        assert_eq!(std::mem::size_of::<Visit>(), 80);
        assert_eq!(std::mem::size_of::<Patient>(), 112);
    }

    #[test]
    fn a_visit_gives_back_its_items() {
        use crate::items::Q5Form;
        let a = AlsfrsItems::from_scores([Some(3); 12], Q5Form::B).unwrap();
        let mut v = Visit::new(10.0, 4, Scores::NONE);
        assert_eq!(v.items(), None);
        v.items = Some(PackedItems::pack(&a));
        assert_eq!(v.items(), Some(a));
        assert_eq!(v.items().and_then(|a| a.gastrostomy()), Some(true));
    }
}
