#![no_main]
//! Arbitrary text → `dates::parse_raw`, `resolve` in both orders, `decide_order` over the lines.

use als_progression::parse::dates::{decide_order, parse_raw, resolve, RawDate};
use als_progression::settings::DateOrder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Some(raw) = parse_raw(s) {
        for order in [DateOrder::Dmy, DateOrder::Mdy] {
            if let Some(d) = resolve(raw, order) {
                assert!(d.is_finite(), "{s:?} resolved to {d}");
            }
        }
        if let RawDate::Days(d) = raw {
            assert!(d.is_finite(), "{s:?} parsed to {d}");
        }
    }
    let _ = decide_order(std::iter::once(s));
    let _ = decide_order(s.lines());
    for line in s.lines() {
        if let Some(raw) = parse_raw(line) {
            let _ = resolve(raw, DateOrder::Dmy);
            let _ = resolve(raw, DateOrder::Mdy);
        }
    }
});
