//! TEMPORARY stub — replaced by the real statistics module (in progress).
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult { pub statistic: f64, pub p_value: f64, pub method: String, pub exact: bool, pub n: usize, pub estimate: Option<f64>, pub df: Option<f64>, pub note: Option<String> }
#[derive(Debug, Clone, PartialEq)]
pub struct StatError(pub String);
impl std::fmt::Display for StatError { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) } }
pub fn wilcoxon_signed_rank(_x: &[f64], _y: &[f64]) -> Result<TestResult, StatError> { Err(StatError("stub".into())) }
pub fn mann_whitney(_x: &[f64], _y: &[f64]) -> Result<TestResult, StatError> { Err(StatError("stub".into())) }
pub fn paired_t(_x: &[f64], _y: &[f64]) -> Result<TestResult, StatError> { Err(StatError("stub".into())) }
pub fn welch_t(_x: &[f64], _y: &[f64]) -> Result<TestResult, StatError> { Err(StatError("stub".into())) }
pub fn spearman(_x: &[f64], _y: &[f64]) -> Result<TestResult, StatError> { Err(StatError("stub".into())) }
pub struct Ols { pub intercept: f64, pub slope: f64, pub slope_se: Option<f64>, pub slope_ci: Option<(f64, f64)>, pub df: usize, pub residual_se: Option<f64> }
pub fn ols(x: &[f64], y: &[f64]) -> Option<Ols> {
    let n = x.len() as f64; if x.len() < 2 { return None; }
    let mx = x.iter().sum::<f64>() / n; let my = y.iter().sum::<f64>() / n;
    let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum(); if sxx == 0.0 { return None; }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let slope = sxy / sxx; Some(Ols { intercept: my - slope * mx, slope, slope_se: None, slope_ci: None, df: x.len() - 2, residual_se: None })
}
pub struct Summary { pub n: usize, pub mean: Option<f64>, pub sd: Option<f64>, pub median: Option<f64>, pub q1: Option<f64>, pub q3: Option<f64> }
pub fn summarize(x: &[f64]) -> Summary { Summary { n: x.len(), mean: None, sd: None, median: None, q1: None, q3: None } }
