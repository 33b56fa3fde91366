//! The data model: patients, visits, events and the measures they carry.
//! Pure data; parsing lives in `parse`, analysis in `analysis`.

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub day: f64,
    /// 1-based line of the input this visit came from.
    pub line: usize,
    /// Score per measure, indexed by [`Measure::index`].
    pub scores: [Option<f64>; 8],
}

/// An event (injection, treatment start, index date for a control).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub day: f64,
    pub label: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    pub id: String,
    pub group: String,
    /// Symptom onset on the same time axis as visits (days).
    pub onset: Option<f64>,
    /// Sorted by day; same-day events merged.
    pub events: Vec<Event>,
    /// Sorted by day.
    pub visits: Vec<Visit>,
    /// First input line of this patient.
    pub line: usize,
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
