//! als-progression: ALS progression rates, slope changes after treatment, responders and group
//! statistics from longitudinal trial data. The core modules know nothing of the browser;
//! `web` (wasm32 only) is the one binding layer.

pub mod analysis;
pub mod charts;
pub mod data;
pub mod diag;
pub mod format;
pub mod input;
pub mod items;
pub mod models;
pub mod output;
pub mod par;
pub mod parse;
pub mod pipeline;
pub mod settings;
pub mod sort;
pub mod staging;
pub mod stats;
pub mod survival;
pub mod synth;

/// The page's bindings (public for the browser tests in tests/wasm.rs).
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
#[cfg(feature = "charts")]
mod web_backend;
