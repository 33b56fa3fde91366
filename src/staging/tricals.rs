//! The TRICALS risk profile: the linear predictor of the ENCALS survival model.
//!
//! Source: Westeneng H-J, Debray TPA, Visser AE, et al. Prognosis for patients with amyotrophic
//! lateral sclerosis: development and validation of a personalised prediction model. Lancet
//! Neurol 2018;17:423–433 (the ENCALS model). TRICALS screens trial candidates with the model's
//! linear predictor without the C9orf72 term; the transformations and coefficients below are as
//! issue #23 states them from that publication:
//!
//! | term | transformation | coefficient |
//! |---|---|---|
//! | ALSFRS-R slope | SLOPE = (ALSFRS-R − 48) / months from onset; tSLOPE = (−SLOPE + 0.1)^−0.5 | −1.839 |
//! | diagnostic delay | tDXDELAY = (delay/10)^−0.5 + ln(delay/10), delay in months onset → diagnosis | −2.376 |
//! | age at onset | tAGE = (age/100)^−2, age in years | −0.264 |
//! | FVC % predicted | tFVC = (FVC/100)^−1 + (FVC/100)^−0.5 | 0.474 |
//! | bulbar onset | 1 / 0 | 0.271 |
//! | El Escorial definite | 1 / 0 | 0.238 |
//! | FTD | 1 / 0 | 0.415 |
//!
//! LP = the sum of coefficient × term. A higher LP is a worse prognosis. The profile is flagged
//! against a trial-eligibility window ([`EligibilityWindow`], a setting: −6.0 to −2.0 by
//! default, both ends included, a value within 1e-9 of an end counting as on it). The LP is not
//! rounded.
//!
//! Not implemented: the full ENCALS model (with C9orf72) and its predicted survival. That needs
//! the model's baseline survival function, which is not available to reproduce from the
//! publication here; no survival time is estimated. The profile is for research and trial
//! screening, not for an individual's prognosis without clinical judgement.
//!
//! Missing inputs give no LP and the list of what is missing; invalid inputs give no LP and the
//! reason: age ≤ 0, delay ≤ 0, FVC ≤ 0 (their transformations are undefined), months from onset
//! to baseline ≤ 0 (no slope), ALSFRS-R outside 0–48, or any value not finite. With ALSFRS-R ≤ 48
//! and months > 0, SLOPE ≤ 0, so −SLOPE + 0.1 ≥ 0.1 and tSLOPE is always defined (the
//! transformation's pole, SLOPE = 0.1, would need a score above 48).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Values this close to a window end count as on it.
const TOLERANCE: f64 = 1e-9;

/// The coefficients of the TRICALS risk profile (Westeneng et al. 2018, model without C9orf72).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coefficients {
    pub t_slope: f64,
    pub t_dxdelay: f64,
    pub t_age: f64,
    pub t_fvc: f64,
    pub bulbar_onset: f64,
    pub el_escorial_definite: f64,
    pub ftd: f64,
}

/// The TRICALS coefficients.
pub const TRICALS: Coefficients = Coefficients {
    t_slope: -1.839,
    t_dxdelay: -2.376,
    t_age: -0.264,
    t_fvc: 0.474,
    bulbar_onset: 0.271,
    el_escorial_definite: 0.238,
    ftd: 0.415,
};

/// One patient's inputs; `None` = not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct TricalsInputs {
    /// Age at symptom onset, years.
    pub age_at_onset: Option<f64>,
    /// Months from symptom onset to diagnosis.
    pub diagnostic_delay: Option<f64>,
    /// ALSFRS-R total at the baseline visit, 0–48.
    pub alsfrs_r: Option<f64>,
    /// Months from symptom onset to the baseline visit.
    pub months_onset_to_baseline: Option<f64>,
    /// FVC, % of predicted, at the baseline visit.
    pub fvc_percent: Option<f64>,
    /// Bulbar site of onset.
    pub bulbar_onset: Option<bool>,
    /// El Escorial category "definite".
    pub el_escorial_definite: Option<bool>,
    /// Frontotemporal dementia.
    pub ftd: Option<bool>,
}

/// An input of the profile. Serialised snake_case (`"age_at_onset"`, …, `"alsfrs_r"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TricalsInput {
    AgeAtOnset,
    DiagnosticDelay,
    AlsfrsR,
    MonthsOnsetToBaseline,
    FvcPercent,
    BulbarOnset,
    ElEscorialDefinite,
    Ftd,
}

impl fmt::Display for TricalsInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TricalsInput::AgeAtOnset => "age at onset",
            TricalsInput::DiagnosticDelay => "diagnostic delay",
            TricalsInput::AlsfrsR => "baseline ALSFRS-R",
            TricalsInput::MonthsOnsetToBaseline => "months from onset to baseline",
            TricalsInput::FvcPercent => "FVC % predicted",
            TricalsInput::BulbarOnset => "site of onset",
            TricalsInput::ElEscorialDefinite => "El Escorial category",
            TricalsInput::Ftd => "FTD",
        })
    }
}

/// An input whose value the profile cannot use. Serialised with a `"reason"` tag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum InvalidInput {
    /// NaN or infinite.
    NotFinite { input: TricalsInput, value: f64 },
    /// Age at onset ≤ 0 years: tAGE undefined.
    AgeNotPositive { value: f64 },
    /// Diagnostic delay ≤ 0 months: tDXDELAY undefined.
    DelayNotPositive { value: f64 },
    /// FVC ≤ 0 %: tFVC undefined.
    FvcNotPositive { value: f64 },
    /// Months from onset to baseline ≤ 0: no slope.
    MonthsNotPositive { value: f64 },
    /// ALSFRS-R outside 0–48.
    AlsfrsOutOfRange { value: f64 },
    /// A value so extreme (e.g. an age of 1e-309 years) that its term of the linear predictor is
    /// not a finite number; for the slope's term, `value` is the months from onset to baseline.
    Extreme { input: TricalsInput, value: f64 },
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidInput::NotFinite { input, value } => {
                write!(f, "{input}: {value} is not a number")
            }
            InvalidInput::AgeNotPositive { value } => {
                write!(f, "age at onset {value} is not above 0 years")
            }
            InvalidInput::DelayNotPositive { value } => write!(
                f,
                "diagnostic delay {value} is not above 0 months (diagnosis must follow onset)"
            ),
            InvalidInput::FvcNotPositive { value } => write!(f, "FVC {value} % is not above 0"),
            InvalidInput::MonthsNotPositive { value } => write!(
                f,
                "baseline {value} months from onset is not after onset: no ALSFRS-R slope"
            ),
            InvalidInput::AlsfrsOutOfRange { value } => {
                write!(f, "baseline ALSFRS-R {value} is outside 0–48")
            }
            InvalidInput::Extreme { input, value } => write!(
                f,
                "{input}: {value} is too extreme for the model (its term is not a finite number)"
            ),
        }
    }
}

/// Why a patient has no profile: the missing inputs, then the invalid ones (either may be
/// empty, not both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TricalsError {
    pub missing: Vec<TricalsInput>,
    pub invalid: Vec<InvalidInput>,
}

impl fmt::Display for TricalsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no TRICALS risk profile: ")?;
        if !self.missing.is_empty() {
            let m: Vec<String> = self.missing.iter().map(|m| m.to_string()).collect();
            write!(f, "missing {}", m.join(", "))?;
            if !self.invalid.is_empty() {
                f.write_str("; ")?;
            }
        }
        let i: Vec<String> = self.invalid.iter().map(|i| i.to_string()).collect();
        f.write_str(&i.join("; "))
    }
}

impl std::error::Error for TricalsError {}

/// The trial-eligibility window of the LP (a setting): `lower ≤ LP ≤ upper`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WindowRepr")]
pub struct EligibilityWindow {
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct WindowRepr {
    lower: f64,
    upper: f64,
}

impl TryFrom<WindowRepr> for EligibilityWindow {
    type Error = WindowError;
    fn try_from(r: WindowRepr) -> Result<EligibilityWindow, WindowError> {
        EligibilityWindow::new(r.lower, r.upper)
    }
}

/// A window whose ends are not finite or not in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowError {
    pub lower: f64,
    pub upper: f64,
}

impl fmt::Display for WindowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "eligibility window {} to {} is not two finite numbers in order",
            self.lower, self.upper
        )
    }
}

impl std::error::Error for WindowError {}

impl Default for EligibilityWindow {
    /// −6.0 to −2.0.
    fn default() -> Self {
        EligibilityWindow {
            lower: -6.0,
            upper: -2.0,
        }
    }
}

impl EligibilityWindow {
    pub fn new(lower: f64, upper: f64) -> Result<EligibilityWindow, WindowError> {
        if lower.is_finite() && upper.is_finite() && lower <= upper {
            Ok(EligibilityWindow { lower, upper })
        } else {
            Err(WindowError { lower, upper })
        }
    }

    pub fn lower(&self) -> f64 {
        self.lower
    }

    pub fn upper(&self) -> f64 {
        self.upper
    }

    /// Whether `lp` is in the window (ends included, within 1e-9).
    pub fn contains(&self, lp: f64) -> bool {
        lp >= self.lower - TOLERANCE && lp <= self.upper + TOLERANCE
    }
}

/// One patient's risk profile: the transformed terms, the LP and the eligibility flag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TricalsProfile {
    /// (ALSFRS-R − 48) / months from onset, points per month (≤ 0).
    pub slope: f64,
    /// (−SLOPE + 0.1)^−0.5.
    pub t_slope: f64,
    /// (delay/10)^−0.5 + ln(delay/10).
    pub t_dxdelay: f64,
    /// (age/100)^−2.
    pub t_age: f64,
    /// (FVC/100)^−1 + (FVC/100)^−0.5.
    pub t_fvc: f64,
    pub bulbar_onset: bool,
    pub el_escorial_definite: bool,
    pub ftd: bool,
    /// The linear predictor.
    pub lp: f64,
    /// Whether `lp` is inside the eligibility window used.
    pub eligible: bool,
}

/// tSLOPE = (−SLOPE + 0.1)^−0.5.
pub fn t_slope(slope: f64) -> f64 {
    (-slope + 0.1).powf(-0.5)
}

/// tDXDELAY = (delay/10)^−0.5 + ln(delay/10), delay in months.
pub fn t_dxdelay(delay_months: f64) -> f64 {
    let x = delay_months / 10.0;
    x.powf(-0.5) + x.ln()
}

/// tAGE = (age/100)^−2, age in years.
pub fn t_age(age_years: f64) -> f64 {
    (age_years / 100.0).powi(-2)
}

/// tFVC = (FVC/100)^−1 + (FVC/100)^−0.5, FVC in % predicted.
pub fn t_fvc(fvc_percent: f64) -> f64 {
    let x = fvc_percent / 100.0;
    x.recip() + x.powf(-0.5)
}

/// The TRICALS risk profile of one patient (see the module doc), flagged against `window`.
pub fn tricals(
    inputs: &TricalsInputs,
    window: &EligibilityWindow,
) -> Result<TricalsProfile, TricalsError> {
    use TricalsInput as I;
    let mut missing = Vec::new();
    let mut invalid = Vec::new();
    // A numeric input: missing, not finite, or failing `ok` (then `bad` says why).
    let mut num = |v: Option<f64>, input, ok: fn(f64) -> bool, bad: fn(f64) -> InvalidInput| {
        match v {
            None => missing.push(input),
            Some(x) if !x.is_finite() => invalid.push(InvalidInput::NotFinite { input, value: x }),
            Some(x) if !ok(x) => invalid.push(bad(x)),
            Some(x) => return Some(x),
        }
        None
    };
    let age = num(
        inputs.age_at_onset,
        I::AgeAtOnset,
        |x| x > 0.0,
        |value| InvalidInput::AgeNotPositive { value },
    );
    let delay = num(
        inputs.diagnostic_delay,
        I::DiagnosticDelay,
        |x| x > 0.0,
        |value| InvalidInput::DelayNotPositive { value },
    );
    let frs = num(
        inputs.alsfrs_r,
        I::AlsfrsR,
        |x| (0.0..=48.0).contains(&x),
        |value| InvalidInput::AlsfrsOutOfRange { value },
    );
    let months = num(
        inputs.months_onset_to_baseline,
        I::MonthsOnsetToBaseline,
        |x| x > 0.0,
        |value| InvalidInput::MonthsNotPositive { value },
    );
    let fvc = num(
        inputs.fvc_percent,
        I::FvcPercent,
        |x| x > 0.0,
        |value| InvalidInput::FvcNotPositive { value },
    );
    let mut flag = |v: Option<bool>, input| {
        if v.is_none() {
            missing.push(input);
        }
        v
    };
    let bulbar = flag(inputs.bulbar_onset, I::BulbarOnset);
    let definite = flag(inputs.el_escorial_definite, I::ElEscorialDefinite);
    let ftd = flag(inputs.ftd, I::Ftd);
    let (
        Some(age),
        Some(delay),
        Some(frs),
        Some(months),
        Some(fvc),
        Some(bulbar),
        Some(definite),
        Some(ftd),
    ) = (age, delay, frs, months, fvc, bulbar, definite, ftd)
    else {
        return Err(TricalsError { missing, invalid });
    };
    let slope = (frs - 48.0) / months;
    let (ts, td, ta, tf) = (t_slope(slope), t_dxdelay(delay), t_age(age), t_fvc(fvc));
    let c = TRICALS;
    let ind = |b: bool| if b { 1.0 } else { 0.0 };
    // Each continuous term finite, and their sum (values near 0 make a transform infinite, and
    // two infinite terms of opposite signs a NaN).
    let terms = [
        (I::MonthsOnsetToBaseline, months, c.t_slope * ts),
        (I::DiagnosticDelay, delay, c.t_dxdelay * td),
        (I::AgeAtOnset, age, c.t_age * ta),
        (I::FvcPercent, fvc, c.t_fvc * tf),
    ];
    let extreme =
        |&(input, value, _): &(TricalsInput, f64, f64)| InvalidInput::Extreme { input, value };
    invalid.extend(terms.iter().filter(|t| !t.2.is_finite()).map(extreme));
    let lp = terms.iter().map(|t| t.2).sum::<f64>()
        + c.bulbar_onset * ind(bulbar)
        + c.el_escorial_definite * ind(definite)
        + c.ftd * ind(ftd);
    if invalid.is_empty() && !lp.is_finite() {
        // Finite terms whose sum overflows: the largest is named.
        let largest = terms.iter().max_by(|a, b| a.2.abs().total_cmp(&b.2.abs()));
        invalid.extend(largest.map(extreme));
    }
    if !invalid.is_empty() {
        return Err(TricalsError { missing, invalid });
    }
    Ok(TricalsProfile {
        slope,
        t_slope: ts,
        t_dxdelay: td,
        t_age: ta,
        t_fvc: tf,
        bulbar_onset: bulbar,
        el_escorial_definite: definite,
        ftd,
        lp,
        eligible: window.contains(lp),
    })
}

#[cfg(test)]
#[path = "tricals_tests.rs"]
mod tests;
