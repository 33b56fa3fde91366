//! What is known of a patient beyond the visits ([`Clinical`]): the endpoints ALS trials are
//! judged by (death, tracheostomy, permanent assisted ventilation), gastrostomy, the last
//! contact, and the baseline covariates of prognostic models (diagnosis, birth or age at onset,
//! site of onset, El Escorial category, FTD, C9orf72). Each is read from a column of any row of
//! the patient (or of another table joined on the patient id) or, for the endpoints, from an
//! event row whose label names one (`death`, `tracheostomy`, `PAV`, …). Days are on the
//! dataset's time axis (`TimeAxis`), like visits.

use serde::{Deserialize, Serialize};

/// A day on the dataset's time axis and the input line it was read from (counted like
/// `Visit::line`: over the tables in order when there are several).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Dated {
    pub day: f64,
    pub line: usize,
}

/// Where the first symptoms were. `site_of_onset` columns read `bulbar`; `spinal`, `limb`,
/// `arm`, `leg`, `cervical`, `thoracic`, `lumbar`; `respiratory`; anything else recognised as
/// a site (e.g. `limb and bulbar`, `generalised`) is `Other`. A yes/no `bulbar_onset` column
/// reads `yes` as `Bulbar` and `no` as `Other` (not bulbar; it does not say which other site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteOfOnset {
    Bulbar,
    /// Spinal (limb or trunk) onset.
    Spinal,
    Respiratory,
    Other,
}

/// The El Escorial (revised, Airlie House 2000) diagnostic category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElEscorial {
    Definite,
    Probable,
    /// Clinically probable, laboratory-supported.
    ProbableLaboratorySupported,
    Possible,
    Suspected,
}

/// A patient's endpoints and baseline covariates, as the data gives them (`None`: not given).
/// Conflicting values (e.g. two different death dates) keep the first and are reported by the
/// parser with both lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Clinical {
    /// Day of death (column `death_date`, `date_of_death`, PRO-ACT `Death_Days`, …, or an event
    /// row labelled `death`, `died`, `deceased`).
    pub death: Option<Dated>,
    /// Vital status as given (PRO-ACT `Subject_Died`, `died` yes/no): `Some(true)` when the
    /// patient died (with or without a date in `death`), `Some(false)` when alive at the last
    /// contact.
    pub died: Option<bool>,
    /// Day of tracheostomy (`tracheostomy_date`, or an event row `tracheostomy`).
    pub tracheostomy: Option<Dated>,
    /// Day permanent assisted ventilation began: non-invasive ventilation ≥ 22 h/day
    /// (`niv_date`, `pav_date`, `permanent_ventilation_date`, or an event row `PAV`,
    /// `permanent ventilation`).
    pub ventilation: Option<Dated>,
    /// Day of gastrostomy, when given as a column (`gastrostomy_date`, `peg_date`). Per visit,
    /// item 5b of the ALSFRS-R also tells it (`Visit::items`).
    pub gastrostomy: Option<Dated>,
    /// Day last known alive (`last_contact`); when not given, the last visit is.
    pub last_contact: Option<Dated>,
    /// Day of diagnosis (`diagnosis_date`, PRO-ACT `Diagnosis_Delta`).
    pub diagnosis: Option<Dated>,
    /// Day of birth (`date_of_birth`, `birth_date`; PRO-ACT's `Date_of_Birth` is a day
    /// relative to enrolment, negative).
    pub birth: Option<Dated>,
    /// Age at symptom onset in years (`age_at_onset`).
    pub age_at_onset: Option<f64>,
    /// Age in years as given without a stated reference (`age`, PRO-ACT Demographics: at
    /// enrolment).
    pub age: Option<f64>,
    pub site_of_onset: Option<SiteOfOnset>,
    pub el_escorial: Option<ElEscorial>,
    /// Frontotemporal dementia.
    pub ftd: Option<bool>,
    /// C9orf72 repeat expansion.
    pub c9orf72: Option<bool>,
}

impl Clinical {
    /// Nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Clinical::default()
    }
}
