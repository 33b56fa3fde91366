//! als-progression: ALS progression rates, slope changes after treatment, responders and group
//! statistics from longitudinal trial data. The core modules know nothing of the browser;
//! `web` (wasm32 only) is the one binding layer.

pub mod analysis;
pub mod charts;
pub mod data;
pub mod diag;
pub mod models;
pub mod output;
pub mod par;
pub mod parse;
pub mod stats;
pub mod synth;

#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(target_arch = "wasm32")]
mod web_backend;
