//! TEMPORARY stub — the charts module is in progress and replaces this file.
#[derive(Debug, Clone, Copy)] pub enum ChartKind { Trajectories }
impl ChartKind { pub fn from_name(_s: &str) -> Option<Self> { None } }
#[derive(Debug, Clone, Default)] pub struct ChartOptions { pub measure: Option<crate::data::Measure>, pub selected: Option<String>, pub width: u32, pub height: u32 }
pub fn render_svg(_k: ChartKind, _a: &crate::analysis::Analysis, _o: &ChartOptions) -> Result<String, String> { Err("charts not built yet".into()) }
