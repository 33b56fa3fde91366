//! ΔFS progression classes: slow / intermediate / fast.
//!
//! ΔFS is the pre-visit rate of decline, (48 − ALSFRS-R) / months from symptom onset (Kimura F,
//! et al. Progression rate of ALSFRS-R at time of diagnosis predicts survival time in ALS.
//! Neurology 2006;66:265–267); the analysis computes it at a patient's first visit. This module
//! only classifies a ΔFS value (points per month) against two cut-offs, a setting
//! ([`DeltaFsCutoffs`]):
//!
//! - the default set, issue #23's: **slow < 0.5**, **intermediate 0.5–1.0**, **fast > 1.0**;
//! - a second common set: slow < 0.8, intermediate 0.8–1.35, fast > 1.35;
//! - or custom cut-offs.
//!
//! Boundaries: the intermediate band is closed at both ends, `slow_below ≤ ΔFS ≤ fast_above`,
//! so ΔFS = 0.5 and ΔFS = 1.0 are both intermediate under the default set ("0.5–1.0"). A value
//! within 1e-9 of a cut-off counts as on it: month arithmetic gives 1 / (4.4 − 2.4) =
//! 0.4999999999999999 for a ΔFS shown as 0.500, which must not be slow. A negative ΔFS (a first
//! score above 48 is impossible, but a value may come from elsewhere) is slow; a non-finite ΔFS
//! has no class.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Values this close to a cut-off count as on it.
const TOLERANCE: f64 = 1e-9;

/// A ΔFS progression class. Serialised as `"slow"`, `"intermediate"`, `"fast"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressionClass {
    /// ΔFS < the lower cut-off.
    Slow,
    /// lower cut-off ≤ ΔFS ≤ upper cut-off.
    Intermediate,
    /// ΔFS > the upper cut-off.
    Fast,
}

impl fmt::Display for ProgressionClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProgressionClass::Slow => "slow",
            ProgressionClass::Intermediate => "intermediate",
            ProgressionClass::Fast => "fast",
        })
    }
}

/// Custom ΔFS cut-offs: finite, `slow_below ≤ fast_above` (checked when built, and when read
/// from JSON).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CutoffsRepr")]
pub struct CustomCutoffs {
    slow_below: f64,
    fast_above: f64,
}

#[derive(Deserialize)]
struct CutoffsRepr {
    slow_below: f64,
    fast_above: f64,
}

impl TryFrom<CutoffsRepr> for CustomCutoffs {
    type Error = CutoffError;
    fn try_from(r: CutoffsRepr) -> Result<CustomCutoffs, CutoffError> {
        CustomCutoffs::new(r.slow_below, r.fast_above)
    }
}

impl CustomCutoffs {
    /// Slow below `slow_below`, fast above `fast_above`, intermediate between (both included).
    pub fn new(slow_below: f64, fast_above: f64) -> Result<CustomCutoffs, CutoffError> {
        if !slow_below.is_finite() || !fast_above.is_finite() || slow_below > fast_above {
            return Err(CutoffError {
                slow_below,
                fast_above,
            });
        }
        Ok(CustomCutoffs {
            slow_below,
            fast_above,
        })
    }
}

/// Cut-offs that are not finite or not in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CutoffError {
    pub slow_below: f64,
    pub fast_above: f64,
}

impl fmt::Display for CutoffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ΔFS cut-offs {} and {} are not two finite numbers, the first ≤ the second",
            self.slow_below, self.fast_above
        )
    }
}

impl std::error::Error for CutoffError {}

/// Which ΔFS cut-offs to classify with (a setting). Serialised as `"0.5-1.0"`, `"0.8-1.35"` or
/// `{"custom": {"slow_below": …, "fast_above": …}}`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum DeltaFsCutoffs {
    /// Slow < 0.5, intermediate 0.5–1.0, fast > 1.0 points/month (the default).
    #[default]
    #[serde(rename = "0.5-1.0")]
    Standard,
    /// Slow < 0.8, intermediate 0.8–1.35, fast > 1.35 points/month.
    #[serde(rename = "0.8-1.35")]
    Alternative,
    #[serde(rename = "custom")]
    Custom(CustomCutoffs),
}

impl DeltaFsCutoffs {
    /// The lower cut-off: below it is slow.
    pub fn slow_below(&self) -> f64 {
        match self {
            DeltaFsCutoffs::Standard => 0.5,
            DeltaFsCutoffs::Alternative => 0.8,
            DeltaFsCutoffs::Custom(c) => c.slow_below,
        }
    }

    /// The upper cut-off: above it is fast.
    pub fn fast_above(&self) -> f64 {
        match self {
            DeltaFsCutoffs::Standard => 1.0,
            DeltaFsCutoffs::Alternative => 1.35,
            DeltaFsCutoffs::Custom(c) => c.fast_above,
        }
    }

    /// The class of a ΔFS (points/month); None when it is not finite. See the module doc for
    /// the boundaries.
    pub fn classify(&self, delta_fs: f64) -> Option<ProgressionClass> {
        if !delta_fs.is_finite() {
            return None;
        }
        Some(if delta_fs < self.slow_below() - TOLERANCE {
            ProgressionClass::Slow
        } else if delta_fs > self.fast_above() + TOLERANCE {
            ProgressionClass::Fast
        } else {
            ProgressionClass::Intermediate
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProgressionClass::*;

    #[test]
    fn progression_default_set_boundaries() {
        // Issue #23 default: slow < 0.5, intermediate 0.5–1.0 (both ends included), fast > 1.0.
        let c = DeltaFsCutoffs::default();
        assert_eq!(c, DeltaFsCutoffs::Standard);
        let cases = [
            (-0.2, Slow),
            (0.0, Slow),
            (0.49, Slow),
            (0.5 - 1e-6, Slow),
            (0.5 - 1e-12, Intermediate), // within the tolerance: on the cut-off
            (0.5, Intermediate),
            (0.75, Intermediate),
            (1.0, Intermediate),
            (1.0 + 1e-12, Intermediate),
            (1.0 + 1e-6, Fast),
            (1.01, Fast),
            (3.0, Fast),
        ];
        for (x, want) in cases {
            assert_eq!(c.classify(x), Some(want), "ΔFS {x}");
        }
        // month arithmetic: onset at month 2.4, first visit at 4.4, 1 point lost; in floating
        // point 1 / (4.4 − 2.4) = 0.4999999999999999, shown as 0.500: intermediate, not slow
        let x = 1.0 / (4.4 - 2.4);
        assert!(x < 0.5);
        assert_eq!(c.classify(x), Some(Intermediate));
    }

    #[test]
    fn progression_second_set_boundaries() {
        // Issue #23 second set: slow < 0.8, intermediate 0.8–1.35, fast > 1.35.
        let c = DeltaFsCutoffs::Alternative;
        let cases = [
            (0.5, Slow),
            (0.79, Slow),
            (0.8, Intermediate),
            (1.0, Intermediate),
            (1.35, Intermediate),
            (1.36, Fast),
        ];
        for (x, want) in cases {
            assert_eq!(c.classify(x), Some(want), "ΔFS {x}");
        }
    }

    #[test]
    fn progression_custom_cutoffs() {
        let c = DeltaFsCutoffs::Custom(CustomCutoffs::new(0.3, 0.3).unwrap());
        assert_eq!(c.classify(0.29), Some(Slow));
        assert_eq!(c.classify(0.3), Some(Intermediate));
        assert_eq!(c.classify(0.31), Some(Fast));
        assert!(CustomCutoffs::new(1.0, 0.5).is_err());
        assert!(CustomCutoffs::new(f64::NAN, 0.5).is_err());
        assert!(CustomCutoffs::new(0.5, f64::INFINITY).is_err());
    }

    #[test]
    fn progression_non_finite_has_no_class() {
        for c in [DeltaFsCutoffs::Standard, DeltaFsCutoffs::Alternative] {
            assert_eq!(c.classify(f64::NAN), None);
            assert_eq!(c.classify(f64::INFINITY), None);
            assert_eq!(c.classify(f64::NEG_INFINITY), None);
        }
    }

    #[test]
    fn progression_serde() {
        assert_eq!(
            serde_json::to_string(&DeltaFsCutoffs::Standard).unwrap(),
            r#""0.5-1.0""#
        );
        assert_eq!(
            serde_json::from_str::<DeltaFsCutoffs>(r#""0.8-1.35""#).unwrap(),
            DeltaFsCutoffs::Alternative
        );
        let c: DeltaFsCutoffs =
            serde_json::from_str(r#"{"custom":{"slow_below":0.4,"fast_above":1.2}}"#).unwrap();
        assert_eq!((c.slow_below(), c.fast_above()), (0.4, 1.2));
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"custom":{"slow_below":0.4,"fast_above":1.2}}"#
        );
        assert!(serde_json::from_str::<DeltaFsCutoffs>(
            r#"{"custom":{"slow_below":1.4,"fast_above":1.2}}"#
        )
        .is_err());
        assert_eq!(
            serde_json::to_string(&Intermediate).unwrap(),
            r#""intermediate""#
        );
    }
}
