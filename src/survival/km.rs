//! Kaplan–Meier curves, R: `survfit(Surv(time, status) ~ group)` with its defaults.
//!
//! * One curve row per distinct time with an event or a censoring (the rows of
//!   `summary(fit, censored = TRUE)`); patients censored at an event time are at risk at it.
//! * S(t) = Π (1 − d/n); Greenwood's variance of log S: Σ d / (n (n − d)).
//! * 95% CI on the log scale (`conf.type = "log"`): S·exp(∓1.96·se), the upper limit clipped at
//!   1; undefined (`None`) where S = 0, as R's `NA`.
//! * The median and its 95% CI follow `print(fit)` (`summary(fit)$table`, R's internal
//!   `survmean`): the first time the curve (resp. the upper, the lower CI curve) is ≤ 0.5 (within
//!   √ε); if the curve is flat at exactly 0.5 there and drops later, the midpoint between that
//!   time and the time of the next drop; `None` if never reached. The lower CI curve gives the
//!   lower limit of the median (it reaches 0.5 first), the upper curve the upper limit.
//!
//!   `quantile(fit, 0.5)` differs in one case only: a curve that stays at exactly 0.5 to its end.
//!   `print(fit)` reports the time it reached 0.5; `quantile` the midpoint of that time and the
//!   last follow-up. This module follows `print(fit)`, the figure R users report.

use super::{checked_groups, Obs, SurvError, SQRT_EPS, Z_975};
use serde::{Deserialize, Serialize};

/// One row of a Kaplan–Meier curve: the state just after time `t`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmPoint {
    pub t: f64,
    /// Patients at risk just before `t` (R: `n.risk`).
    pub n_risk: usize,
    /// Events at `t` (R: `n.event`).
    pub n_event: usize,
    /// Censored at `t` (R: `n.censor`).
    pub n_censor: usize,
    /// S(t) (R: `surv`).
    pub surv: f64,
    /// 95% CI (log transform; R: `lower`, `upper`); `None` where S(t) = 0.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// A group's Kaplan–Meier curve with its median survival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmCurve {
    /// Patients (R: `records`).
    pub n: usize,
    /// Events (R: `events`).
    pub events: usize,
    /// Median survival (R: `median` of `print(fit)`), `None` if the curve never reaches 0.5.
    pub median_months: Option<f64>,
    /// 95% CI of the median (R: `0.95LCL`, `0.95UCL`).
    pub median_ci_low: Option<f64>,
    pub median_ci_high: Option<f64>,
    pub curve: Vec<KmPoint>,
}

/// R: `survfit(Surv(time, status) ~ 1)` for one group of patients.
pub fn kaplan_meier(obs: &[Obs]) -> Result<KmCurve, SurvError> {
    let mut groups = kaplan_meier_groups(&[obs])?;
    Ok(groups.swap_remove(0))
}

/// R: `survfit(Surv(time, status) ~ group)`: one curve per group, in the order given. Near-tied
/// times are merged over all groups together, as R does (`timefix`).
pub fn kaplan_meier_groups(groups: &[&[Obs]]) -> Result<Vec<KmCurve>, SurvError> {
    let fixed = checked_groups(groups)?;
    Ok(fixed.iter().map(|g| km_one(g)).collect())
}

fn km_one(obs: &[Obs]) -> KmCurve {
    let mut sorted = obs.to_vec();
    crate::sort::sort_by(&mut sorted, |a, b| a.time.total_cmp(&b.time));
    let n = sorted.len();
    let mut curve = Vec::new();
    let (mut surv, mut varhaz, mut at_risk) = (1.0f64, 0.0f64, n);
    let mut i = 0;
    while i < n {
        let t = sorted[i].time;
        let mut j = i;
        let mut d = 0;
        while j < n && sorted[j].time == t {
            d += usize::from(sorted[j].event);
            j += 1;
        }
        let (nr, de) = (at_risk as f64, d as f64);
        if d > 0 {
            surv *= (nr - de) / nr;
            if at_risk > d {
                varhaz += de / (nr * (nr - de));
            }
        }
        let (lower, upper) = if surv > 0.0 {
            let se = varhaz.sqrt();
            (
                Some((surv.ln() - Z_975 * se).exp()),
                Some((surv.ln() + Z_975 * se).exp().min(1.0)),
            )
        } else {
            (None, None)
        };
        curve.push(KmPoint {
            t,
            n_risk: at_risk,
            n_event: d,
            n_censor: (j - i) - d,
            surv,
            lower,
            upper,
        });
        at_risk -= j - i;
        i = j;
    }
    let times: Vec<f64> = curve.iter().map(|p| p.t).collect();
    let median = first_below_half(&times, curve.iter().map(|p| Some(p.surv)));
    let ci_low = first_below_half(&times, curve.iter().map(|p| p.lower));
    let ci_high = first_below_half(&times, curve.iter().map(|p| p.upper));
    KmCurve {
        n,
        events: obs.iter().filter(|o| o.event).count(),
        median_months: median,
        median_ci_low: ci_low,
        median_ci_high: ci_high,
        curve,
    }
}

/// R's `minmin` (inside `survmean`, used by `print.survfit`): the first time where y < 0.5 + √ε
/// (undefined values skipped); when that y is 0.5 (within √ε) and the curve drops below it later,
/// the midpoint of the two times.
fn first_below_half(x: &[f64], y: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let kept: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter_map(|(&x, y)| y.filter(|&y| y < 0.5 + SQRT_EPS).map(|y| (x, y)))
        .collect();
    let &(x1, y1) = kept.first()?;
    if (y1 - 0.5).abs() < SQRT_EPS {
        if let Some(&(x2, _)) = kept.iter().find(|(_, y)| *y < y1) {
            return Some((x1 + x2) / 2.0);
        }
    }
    Some(x1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(t: &[f64], s: &[u8]) -> Vec<Obs> {
        t.iter()
            .zip(s)
            .map(|(&t, &s)| Obs::new(t, s == 1))
            .collect()
    }

    #[test]
    fn hand_worked_curve() {
        // times 1 (event), 2 (event, censor), 3 (censor), 4 (event):
        // S = 4/5 at 1, 4/5 * 3/4 at 2 (4 at risk, 1 event, 1 censored), flat at 3, 0 at 4.
        let o = obs(&[2.0, 1.0, 4.0, 2.0, 3.0], &[1, 1, 1, 0, 0]);
        let k = kaplan_meier(&o).unwrap();
        assert_eq!((k.n, k.events), (5, 3));
        let rows: Vec<(f64, usize, usize, usize)> = k
            .curve
            .iter()
            .map(|p| (p.t, p.n_risk, p.n_event, p.n_censor))
            .collect();
        assert_eq!(
            rows,
            vec![
                (1.0, 5, 1, 0),
                (2.0, 4, 1, 1),
                (3.0, 2, 0, 1),
                (4.0, 1, 1, 0)
            ]
        );
        let s: Vec<f64> = k.curve.iter().map(|p| p.surv).collect();
        assert_eq!(s, vec![0.8, 0.8 * 0.75, 0.8 * 0.75, 0.0]);
        // S = 0.6 at 2, 0 at 4: the median is 4, the first time S ≤ 0.5
        assert_eq!(k.median_months, Some(4.0));
        assert_eq!((k.curve[3].lower, k.curve[3].upper), (None, None));
        // Greenwood at 1: 1/(5·4) = 0.05; lower = 0.8·exp(−1.96·√0.05)
        let lo = (0.8f64.ln() - Z_975 * 0.05f64.sqrt()).exp();
        assert_eq!(k.curve[0].lower, Some(lo));
        assert_eq!(k.curve[0].upper, Some(1.0));
    }

    #[test]
    fn median_midpoint_and_never_reached() {
        // S = 0.5 exactly from 2 until the drop at 4: median (2 + 4) / 2 = 3
        let k = kaplan_meier(&obs(&[1.0, 2.0, 3.0, 4.0], &[1, 1, 0, 1])).unwrap();
        assert_eq!(k.median_months, Some(3.0));
        // S = 0.5 to the end: print(fit) reports the time it got there
        let k = kaplan_meier(&obs(&[1.0, 2.0, 3.0, 4.0], &[1, 1, 0, 0])).unwrap();
        assert_eq!(k.median_months, Some(2.0));
        // never at or below 0.5 (S = 2/3); the lower CI curve is: 2/3·exp(−1.96·√(1/6)) < 0.5
        let k = kaplan_meier(&obs(&[1.0, 2.0, 3.0], &[1, 0, 0])).unwrap();
        assert_eq!(
            (k.median_months, k.median_ci_low, k.median_ci_high),
            (None, Some(1.0), None)
        );
    }

    #[test]
    fn all_censored_and_errors() {
        let k = kaplan_meier(&obs(&[3.0, 1.0, 1.0], &[0, 0, 0])).unwrap();
        assert_eq!(k.events, 0);
        assert!(k
            .curve
            .iter()
            .all(|p| p.surv == 1.0 && p.lower == Some(1.0) && p.upper == Some(1.0)));
        assert_eq!(k.curve.len(), 2);
        assert_eq!(kaplan_meier(&[]), Err(SurvError::EmptyGroup { group: 0 }));
        assert_eq!(
            kaplan_meier(&obs(&[1.0, f64::NAN], &[1, 1])),
            Err(SurvError::InvalidTime { group: 0, index: 1 })
        );
    }
}
