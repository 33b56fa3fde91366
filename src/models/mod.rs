//! Models over the whole course: linear mixed models (REML/ML) and per-patient D50 fits.

use serde::{Deserialize, Serialize};

// The fitting code is in the `models` feature (the page's start module leaves it out); the
// result types below are always there (an analysis carries them, the charts draw them).
#[cfg(feature = "models")]
pub mod d50;
#[cfg(feature = "models")]
pub mod lmm;
#[cfg(all(test, feature = "models"))]
mod tests;

mod d50_json;
#[cfg(feature = "models")]
mod fit;
#[cfg(feature = "models")]
pub use fit::{fit_mixed_models, fit_mixed_models_bounded, pairwise_bound_note};

#[cfg(feature = "models")]
pub use d50::fit_d50;
#[cfg(feature = "models")]
pub use lmm::{fit_lmm, LmmFit};

/// The model fits of an analysis, and what is said about them as a whole (conventions, bounds):
/// what `pipeline::fit_models` returns and the page's model pass hands over.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelFits {
    pub mixed_models: Vec<MixedModelEntry>,
    pub d50: Vec<D50Entry>,
    /// `Analysis::model_notes`.
    pub notes: Vec<String>,
}

/// One fixed effect of a mixed model, as lmerTest reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixedEffect {
    pub term: String,
    pub estimate: f64,
    pub se: f64,
    /// Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    pub t_value: f64,
    pub p_value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// `score ~ 1 + t + t_after + (1 + t | patient)` per group and measure, or the arms-compared form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixedModelEntry {
    /// Group name, or "A vs B" for the model comparing arms.
    pub group: String,
    pub measure: crate::data::Measure,
    pub formula: String,
    /// "REML" or "ML".
    pub method: String,
    pub n_obs: usize,
    pub n_patients: usize,
    /// Patients without an event (never treated, or died or left before treatment): t_after is 0
    /// at all their visits (all their follow-up counts as before treatment).
    pub n_patients_without_event: usize,
    pub fixed: Vec<FixedEffect>,
    pub sd_intercept: Option<f64>,
    pub sd_slope: Option<f64>,
    pub corr: Option<f64>,
    pub sd_residual: Option<f64>,
    /// REML criterion (−2 × restricted log-likelihood) or deviance under ML.
    pub reml_criterion: Option<f64>,
    pub converged: bool,
    pub singular: bool,
    /// Why the model could not be fitted, or anything worth saying about the fit.
    pub note: Option<String>,
}

/// Per-patient D50 sigmoid fit: ALSFRS-R(t) = 48 / (1 + exp((t − D50) / dx)), t in months since onset.
/// In JSON every field is flat (`d50`, `dx`, `rmse`, `phases`, null and empty when not fitted; see
/// `d50_json.rs`); in memory the fitted curve is one boxed part, absent for a patient not fitted
/// (a million one-visit patients hold 72 bytes each, not 136).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "d50_json::D50Json")]
pub struct D50Entry {
    /// Shared with the patient (no copy per entry).
    pub id: crate::data::Name,
    /// Shared with the patient (no copy per entry).
    pub group: crate::data::Name,
    pub n_visits: usize,
    /// The fitted curve; None when not fitted (the note says why).
    pub curve: Option<Box<D50Curve>>,
    /// Borrowed when it is a constant (no string per patient).
    pub note: Option<std::borrow::Cow<'static, str>>,
}

/// A patient's fitted D50 curve.
#[derive(Debug, Clone, PartialEq)]
pub struct D50Curve {
    pub d50: f64,
    pub dx: f64,
    /// Root mean squared error of the fit (points).
    pub rmse: f64,
    /// Disease phase at each visit ("I".."IV"), in visit order.
    pub phases: Vec<D50Phase>,
}

impl D50Entry {
    /// D50 (months since onset), when fitted.
    pub fn d50(&self) -> Option<f64> {
        self.curve.as_ref().map(|c| c.d50)
    }

    /// dx (months), when fitted.
    pub fn dx(&self) -> Option<f64> {
        self.curve.as_ref().map(|c| c.dx)
    }

    /// The fit's RMSE (points), when fitted.
    pub fn rmse(&self) -> Option<f64> {
        self.curve.as_ref().map(|c| c.rmse)
    }

    /// The phase at each visit (none when not fitted).
    pub fn phases(&self) -> &[D50Phase] {
        self.curve.as_ref().map_or(&[], |c| &c.phases)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct D50Phase {
    /// Months since onset.
    pub t: f64,
    /// "I", "II", "III" or "IV" (borrowed: no allocation per visit).
    pub phase: std::borrow::Cow<'static, str>,
}

/// Formula of the per-group model.
pub const GROUP_FORMULA: &str = "score ~ 1 + t + t_after + (1 + t | patient)";
/// Formula of the model comparing two arms (treatment contrasts, first arm = reference).
pub const ARMS_FORMULA: &str = "score ~ group * (t + t_after) + (1 + t | patient)";
