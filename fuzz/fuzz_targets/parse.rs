#![no_main]
//! Arbitrary bytes → UTF-8 (lossy) → `parse::parse`, with default settings and with the layout
//! forced wide. Either a parse or an `InputError`; never a panic.

use als_progression::pipeline::parse;
use als_progression::settings::{Layout, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse(&text, &Settings::default());
    let wide = Settings {
        layout: Layout::Wide,
        ..Settings::default()
    };
    let _ = parse(&text, &wide);
});
