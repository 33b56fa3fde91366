// `!(a > b)` comparisons are deliberate: they are true for NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
//! Statistics that agree with R.
//!
//! Every public function mirrors one R call (R 4.2.2, default arguments);
//! the unit tests quote the R call and the value R printed, and
//! `tests/r/stats_reference.R` (in the main crate) regenerates them all.
//!
//! | Rust                         | R                                               |
//! |------------------------------|-------------------------------------------------|
//! | [`wilcoxon_signed_rank`]     | `wilcox.test(x, y, paired = TRUE)`              |
//! | [`mann_whitney`]             | `wilcox.test(x, y)`                             |
//! | [`paired_t`]                 | `t.test(x, y, paired = TRUE)`                   |
//! | [`welch_t`]                  | `t.test(x, y)`                                  |
//! | [`spearman`]                 | `cor.test(x, y, method = "spearman")`           |
//! | [`kruskal_wallis`]           | `kruskal.test(x, g)`                            |
//! | [`ols`]                      | `summary(lm(y ~ x))`, `confint(lm(y ~ x))`      |
//! | [`summarize`]                | `length`, `mean`, `sd`, `quantile(type = 7)`    |
//! | [`mean`], [`sd`], [`quantile`] | `mean(x)`, `sd(x)`, `quantile(x, p, type = 7)` |
//!
//! Differences from R, all deliberate:
//! * non-finite values (NaN, ±Inf) are dropped (pairwise for paired tests and
//!   for `spearman`/`ols`), where R drops only `NA`/`NaN`;
//! * where R would stop with an error, return `NaN` or emit a warning, these
//!   functions return [`StatError`] / `None` (never NaN or infinity, never panic);
//! * [`TestResult::method`] is R's method string, except for Spearman where
//!   R's `"Spearman's rank correlation rho"` is followed by the way the p value
//!   was obtained: `(exact)`, `(Edgeworth series approximation)` or
//!   `(asymptotic t approximation)`;
//! * the rank tests (signed rank, rank sum, Spearman, Kruskal–Wallis) treat values equal within
//!   1e-9 relative as tied, and a paired difference within that of zero as zero ([`ranks`]: the
//!   float noise of least squares must not decide whether two slopes tie); R's `rank` uses exact
//!   equality, so the two differ only for values that close;
//! * [`TestResult::statistic`] for Spearman is rho (R's `statistic` is
//!   S = (n³ − n)(1 − rho)/6, which is reported in `note`).
//!
//! Exact null distributions (signed rank, rank sum) are computed by exact
//! integer counting, as R's `csignrank`/`cwilcox` do; Spearman's exact
//! distribution for n ≤ 9 enumerates all permutations like R's `prho.c`.

pub mod descriptive;
pub(crate) mod dist;
pub mod kruskal;
pub mod mann_whitney;
pub mod ols;
pub(crate) mod ranks;
pub mod spearman;
pub mod ttest;
pub mod wilcoxon;

pub use descriptive::{mean, median, quantile, sd, summarize, Summary};
pub use kruskal::kruskal_wallis;
pub use mann_whitney::mann_whitney;
pub use ols::{ols, Ols};
pub use spearman::spearman;
pub use ttest::{paired_t, welch_t};
pub use wilcoxon::wilcoxon_signed_rank;

use std::fmt;

/// Result of a hypothesis test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// R's statistic: V (signed rank), W (rank sum), t (t-tests), rho (Spearman).
    pub statistic: f64,
    /// Two-sided p value, in [0, 1].
    pub p_value: f64,
    /// R's method string (see module docs for Spearman).
    pub method: String,
    /// Whether the p value comes from an exact null distribution.
    pub exact: bool,
    /// Observations used: finite pairs for paired tests and Spearman,
    /// n_x + n_y for two-sample tests.
    pub n: usize,
    /// Mean of differences (paired t), difference of means (Welch), rho (Spearman).
    pub estimate: Option<f64>,
    /// Degrees of freedom (t-tests).
    pub df: Option<f64>,
    /// Extra information, e.g. dropped zero differences or why an approximation was used.
    pub note: Option<String>,
}

/// Why a statistic cannot be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct StatError(pub String);

impl fmt::Display for StatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StatError {}

impl StatError {
    pub(crate) fn new(msg: impl Into<String>) -> Self {
        StatError(msg.into())
    }
}

/// Finite pairs (x_i, y_i); error when the lengths differ.
pub(crate) fn finite_pairs(x: &[f64], y: &[f64]) -> Result<(Vec<f64>, Vec<f64>), StatError> {
    if x.len() != y.len() {
        return Err(StatError::new(format!(
            "x and y must have the same length ({} vs {})",
            x.len(),
            y.len()
        )));
    }
    Ok(x.iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .unzip())
}

/// Finite values of x.
pub(crate) fn finite(x: &[f64]) -> Vec<f64> {
    x.iter().copied().filter(|v| v.is_finite()).collect()
}

/// Paired differences x − y over finite pairs; error if a difference overflows.
pub(crate) fn differences(x: &[f64], y: &[f64]) -> Result<Vec<f64>, StatError> {
    let (a, b) = finite_pairs(x, y)?;
    let d: Vec<f64> = a.iter().zip(&b).map(|(p, q)| p - q).collect();
    if d.iter().any(|v| !v.is_finite()) {
        return Err(StatError::new("a paired difference overflows"));
    }
    Ok(d)
}

/// Clamp a probability into [0, 1]; map NaN to an error.
pub(crate) fn check_p(p: f64) -> Result<f64, StatError> {
    if p.is_nan() {
        Err(StatError::new("p value could not be computed"))
    } else {
        Ok(p.clamp(0.0, 1.0))
    }
}

/// Shared test helpers: tolerance checks and the formula-generated data sets
/// of `tests/r/stats_reference.R` (integer formulas, identical in R and Rust).
#[cfg(test)]
pub(crate) mod test_util {
    /// |a − b| <= rel·|b| (or <= rel when b == 0).
    #[track_caller]
    pub fn close(a: f64, b: f64, rel: f64) {
        let tol = if b == 0.0 { rel } else { rel * b.abs() };
        assert!(
            (a - b).abs() <= tol,
            "got {a:e}, R says {b:e} (rel tol {rel:e})"
        );
    }
    pub const SLEEP1: [f64; 10] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    pub const SLEEP2: [f64; 10] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    /// R: g49 <- ((1:49) * 17) %% 53
    pub fn g49() -> Vec<f64> {
        (1..=49u64).map(|i| ((i * 17) % 53) as f64).collect()
    }
    /// R: g60 <- ((1:60) * 17) %% 61
    pub fn g60() -> Vec<f64> {
        (1..=60u64).map(|i| ((i * 17) % 61) as f64).collect()
    }
    /// R: a60 <- ((1:60) * 37) %% 101 / 10
    pub fn a60() -> Vec<f64> {
        (1..=60u64)
            .map(|i| ((i * 37) % 101) as f64 / 10.0)
            .collect()
    }
    /// R: b45 <- ((1:45) * 53) %% 103 / 10 + 0.55
    pub fn b45() -> Vec<f64> {
        (1..=45u64)
            .map(|j| ((j * 53) % 103) as f64 / 10.0 + 0.55)
            .collect()
    }
    /// R: x49 <- ((1:49) * 7) %% 101
    pub fn x49() -> Vec<f64> {
        (1..=49u64).map(|i| ((i * 7) % 101) as f64).collect()
    }
    /// R: y49 <- ((1:49) * 11) %% 97 + 0.5
    pub fn y49() -> Vec<f64> {
        (1..=49u64).map(|j| ((j * 11) % 97) as f64 + 0.5).collect()
    }
    /// R: s30x <- ((1:30) * 7) %% 31
    pub fn s30x() -> Vec<f64> {
        (1..=30u64).map(|i| ((i * 7) % 31) as f64).collect()
    }
    /// R: s30y <- ((1:30) * 11) %% 31 + (1:30) / 100
    pub fn s30y() -> Vec<f64> {
        (1..=30u64)
            .map(|i| ((i * 11) % 31) as f64 + i as f64 / 100.0)
            .collect()
    }
    /// R: big_y <- ((1:1300) * 7) %% 1301
    pub fn big_y() -> Vec<f64> {
        (1..=1300u64).map(|i| ((i * 7) % 1301) as f64).collect()
    }
    /// R: t40x <- (1:40) + (((1:40) * 7) %% 11) / 100
    pub fn t40x() -> Vec<f64> {
        (1..=40u64)
            .map(|i| i as f64 + ((i * 7) % 11) as f64 / 100.0)
            .collect()
    }
    /// R: t40y <- (1:40) - 1
    pub fn t40y() -> Vec<f64> {
        (1..=40u64).map(|i| i as f64 - 1.0).collect()
    }
    pub fn seq(a: i64, b: i64) -> Vec<f64> {
        (a..=b).map(|i| i as f64).collect()
    }
}
