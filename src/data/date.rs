//! Calendar dates: the date type of results ([`IsoDate`]) and the day arithmetic behind it
//! (days since 1970-01-01 ↔ civil dates, H. Hinnant's algorithms). Parsing date cells is
//! `parse::dates`; this is the data model's side, used by parsing, results and the generator.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days since 1970-01-01 of a calendar date, or None when it does not exist.
/// The dates that exist are chrono's (`NaiveDate::from_ymd_opt`, years within its range); the
/// day count is H. Hinnant's `days_from_civil`, without building a date
/// (`days_from_civil_is_chronos` checks both against chrono).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    if !(NaiveDate::MIN.year()..=NaiveDate::MAX.year()).contains(&y) {
        return None;
    }
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let (m, d) = (i64::from(m), i64::from(d));
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The year set by [`set_current_year`] (0: not set).
static CURRENT_YEAR: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Tell the crate today's year where the clock cannot be read (the page's wasm, whose binding
/// layer reads the browser's date); elsewhere the system clock is read.
pub fn set_current_year(year: i32) {
    CURRENT_YEAR.store(year, std::sync::atomic::Ordering::Relaxed);
}

/// Today's year: the one set by [`set_current_year`], else the system clock's (UTC), else (a
/// platform without a clock, nothing set) 2100: dates up to the end of 2101 then pass as
/// plausible.
pub fn current_year() -> i32 {
    let set = CURRENT_YEAR.load(std::sync::atomic::Ordering::Relaxed);
    if set != 0 {
        return set;
    }
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        let days = (d.as_secs() / 86_400) as f64;
        if let Some(iso) = iso_from_days(days) {
            if let Ok(y) = iso[..4].parse() {
                return y;
            }
        }
    }
    2100
}

/// ISO date (yyyy-mm-dd) of a day number (days since 1970-01-01); fractional days are floored.
pub fn iso_from_days(days: f64) -> Option<String> {
    if !days.is_finite() || days.abs() > 3.0e6 {
        return None;
    }
    // Civil from days (H. Hinnant's algorithm): no allocation but the result.
    let z = days.floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    if !(0..=9999).contains(&y) {
        return None;
    }
    let (y, m, d) = (y as u32, m as u32, d as u32);
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        m / 10,
        m % 10,
        d / 10,
        d % 10,
    ];
    let mut out = String::with_capacity(10);
    for (i, c) in digits.iter().enumerate() {
        if i == 4 || i == 6 {
            out.push('-');
        }
        out.push(char::from(b'0' + *c as u8));
    }
    Some(out)
}

/// A calendar date held as days since 1970-01-01 and written as "yyyy-mm-dd" in JSON
/// (no allocation per date: a large cohort has hundreds of thousands of period bounds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsoDate(pub i64);

impl IsoDate {
    pub fn iso(self) -> String {
        iso_from_days(self.0 as f64).unwrap_or_default()
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || serde::de::Error::custom(format!("not a yyyy-mm-dd date: {s}"));
        let mut it = s.split('-');
        let (y, m, dd) = (
            it.next().ok_or_else(bad)?,
            it.next().ok_or_else(bad)?,
            it.next().ok_or_else(bad)?,
        );
        let days = days_from_civil(
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            dd.parse().map_err(|_| bad())?,
        )
        .ok_or_else(bad)?;
        Ok(IsoDate(days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_is_chronos() {
        let chrono_days = |y: i32, m: u32, d: u32| {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            NaiveDate::from_ymd_opt(y, m, d).map(|x| (x - epoch).num_days())
        };
        let (lo, hi) = (NaiveDate::MIN.year(), NaiveDate::MAX.year());
        let years = (-1000..=3000)
            .chain([-400, -401, 1600, 1700, 1900, 2000, 2100, 2400])
            .chain([lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, i32::MIN, i32::MAX]);
        for y in years {
            for m in 0..=13 {
                for d in 0..=32 {
                    assert_eq!(
                        days_from_civil(y, m, d),
                        chrono_days(y, m, d),
                        "{y}-{m}-{d}"
                    );
                }
            }
        }
        for (m, d) in [(u32::MAX, 1), (1, u32::MAX)] {
            assert_eq!(days_from_civil(2000, m, d), None);
        }
    }

    #[test]
    fn iso_matches_chrono_everywhere() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for d in (-700_000i64..2_900_000).step_by(997) {
            let c = (epoch + chrono::Duration::days(d))
                .format("%Y-%m-%d")
                .to_string();
            assert_eq!(iso_from_days(d as f64), Some(c), "{d}");
        }
    }

    #[test]
    fn iso_roundtrip() {
        assert_eq!(iso_from_days(0.0).as_deref(), Some("1970-01-01"));
        assert_eq!(
            iso_from_days(days_from_civil(2000, 2, 29).unwrap() as f64 + 0.7).as_deref(),
            Some("2000-02-29")
        );
        assert_eq!(iso_from_days(f64::NAN), None);
    }
}
