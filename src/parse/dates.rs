//! Date recognition: ISO, yyyy/mm/dd, dd.mm.yyyy, dd/mm/yyyy or mm/dd/yyyy (decided per table,
//! from all its date columns together), dates with a month name (`12-Mar-2013`, `12 Mar 2013`,
//! `Mar 12, 2013`, SAS `12MAR2013`), Excel serial numbers, and any of these followed by a time
//! part. Two-digit years follow Excel's rule: 00–29 are 2000–2029, 30–99 are 1930–1999.
//! Dates before 1900 or after next year are not plausible for ALS data ([`plausible`]): the
//! parser reports them instead of analysing them.

use crate::data::date::days_from_civil;
use crate::settings::DateOrder;

/// The shape of a date cell, before the column's day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawDate {
    /// Fully determined (ISO, yyyy/mm/dd, dd.mm.yyyy, Excel serial): days since 1970.
    Days(f64),
    /// a/b/yyyy with a and b ≤ 31: needs the column's order.
    Slash { a: u32, b: u32, y: i32, frac: f64 },
}

/// Fraction of a day from a time part such as "14:30" or "14:30:15" (ignored when malformed).
fn time_fraction(rest: &str) -> Option<f64> {
    let rest = rest.trim().trim_start_matches('T').trim();
    if rest.is_empty() {
        return Some(0.0);
    }
    // Drop a trailing zone or fractional seconds; keep hh:mm[:ss].
    let core: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let parts: Vec<&str> = core.split(':').collect();
    if parts.len() < 2 {
        return None;
    }
    let h: f64 = parts[0].parse().ok()?;
    let m: f64 = parts[1].parse().ok()?;
    let s: f64 = parts.get(2).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    if h >= 24.0 || m >= 60.0 || s >= 61.0 {
        return None;
    }
    Some((h * 3600.0 + m * 60.0 + s) / 86400.0)
}

fn split_date_time(s: &str) -> (&str, &str) {
    match s.find(['T', ' ']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

fn nums(s: &str, sep: char) -> Option<(u32, u32, u32, usize, usize, usize)> {
    let mut it = s.split(sep);
    let a = it.next()?;
    let b = it.next()?;
    let c = it.next()?;
    if it.next().is_some() {
        return None;
    }
    let all_digits =
        |x: &str| !x.is_empty() && x.len() <= 4 && x.bytes().all(|c| c.is_ascii_digit());
    if !(all_digits(a) && all_digits(b) && all_digits(c)) {
        return None;
    }
    Some((
        a.parse().ok()?,
        b.parse().ok()?,
        c.parse().ok()?,
        a.len(),
        b.len(),
        c.len(),
    ))
}

/// The last two-digit year read as 20yy (Excel's pivot): `29` is 2029, `30` is 1930.
pub const TWO_DIGIT_PIVOT: u32 = 29;

fn year4(y: u32, len: usize) -> Option<i32> {
    match len {
        4 => Some(y as i32),
        2 => Some(if y <= TWO_DIGIT_PIVOT {
            2000 + y as i32
        } else {
            1900 + y as i32
        }),
        _ => None,
    }
}

/// Month names (English, three letters or more; `sept` too) → 1–12.
fn month_number(w: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w.len() < 3 || !w.is_ascii() {
        return None;
    }
    let w = w.to_ascii_lowercase();
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|n| n.starts_with(w.as_str()))
        .map(|i| i as u32 + 1)
}

/// Three letters in a row: a month name, not an ISO `T` or a zone `Z`.
fn has_word(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w.iter().all(u8::is_ascii_alphabetic))
}

/// A date with a month name: `12-Mar-2013`, `12 Mar 2013`, `12/Mar/13`, `Mar 12, 2013`,
/// `March 12 2013`, `2013-Mar-12`, SAS `12MAR2013`, each optionally followed by a time.
fn month_name_date(s: &str) -> Option<RawDate> {
    // The time part: from the last space before the first ':'.
    let (date, time) = match s.find(':') {
        Some(i) => {
            let ws = s[..i].rfind([' ', 'T'])?;
            (&s[..ws], &s[ws..])
        }
        None => (s, ""),
    };
    let frac = time_fraction(time)?;
    // Tokens: runs of letters or of digits.
    let mut toks: Vec<&str> = Vec::with_capacity(3);
    let b = date.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let alpha = c.is_ascii_alphabetic();
            let j = b[i..]
                .iter()
                .position(|c| !c.is_ascii_alphanumeric() || c.is_ascii_alphabetic() != alpha)
                .map_or(b.len(), |k| i + k);
            toks.push(&date[i..j]);
            if toks.len() > 3 {
                return None;
            }
            i = j;
        } else if matches!(c, b' ' | b'-' | b'/' | b'.' | b',') {
            i += 1;
        } else {
            return None;
        }
    }
    if toks.len() != 3 {
        return None;
    }
    let at = toks
        .iter()
        .position(|t| t.bytes().all(|c| c.is_ascii_alphabetic()))?;
    let m = month_number(toks[at])?;
    let num = |t: &str| -> Option<(u32, usize)> {
        if t.is_empty() || t.len() > 4 || !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some((t.parse().ok()?, t.len()))
    };
    let (d, y) = match at {
        // Mon D Y
        0 => (num(toks[1])?, num(toks[2])?),
        // D Mon Y, or Y Mon D
        1 => {
            let (a, c) = (num(toks[0])?, num(toks[2])?);
            if a.1 == 4 {
                (c, a)
            } else {
                (a, c)
            }
        }
        _ => return None,
    };
    if d.1 > 2 {
        return None;
    }
    let y = year4(y.0, y.1)?;
    days_from_civil(y, m, d.0).map(|x| RawDate::Days(x as f64 + frac))
}

/// Excel serial number (1900 date system, with Excel's fictitious 1900-02-29 accounted for)
/// to days since 1970-01-01. Plausible range: 1 (1900-01-01) .. 2958465 (9999-12-31).
pub fn excel_serial_to_days(serial: f64) -> Option<f64> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 25569 is 1970-01-01; serials below 61 are before Excel's phantom leap day.
    let adj = if serial < 61.0 { serial + 1.0 } else { serial };
    Some(adj - 25569.0)
}

/// Recognise one date cell. Returns None when it is not a date of any known shape.
pub fn parse_raw(s: &str) -> Option<RawDate> {
    let s = super::tokenizer::trim(s);
    if s.is_empty() {
        return None;
    }
    // Fast path for the commonest cell, a plain ISO date (yyyy-mm-dd).
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let digits = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
            })
        };
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return days_from_civil(y as i32, m, d).map(|x| RawDate::Days(x as f64));
        }
    }
    // Fast path for dd/mm/yyyy or mm/dd/yyyy (two-digit day and month): what the general path
    // below gives for it (`fast_slash_path_agrees` checks).
    if b.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        let digits = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
            })
        };
        if let (Some(a), Some(m), Some(y)) = (digits(0..2), digits(3..5), digits(6..10)) {
            if a == 0 || m == 0 || a > 31 || m > 31 {
                return None;
            }
            return Some(RawDate::Slash {
                a,
                b: m,
                y: y as i32,
                frac: 0.0,
            });
        }
    }
    // Excel serial number (a plain number, possibly with a fraction for the time).
    if s.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && s.bytes().filter(|&c| c == b'.').count() <= 1
    {
        let v: f64 = s.parse().ok()?;
        // A bare number is taken as a serial only in a plausible range (1910..2100).
        if (3653.0..73051.0).contains(&v) {
            return excel_serial_to_days(v).map(RawDate::Days);
        }
        return None;
    }
    if has_word(s) {
        return month_name_date(s);
    }
    let (date, time) = split_date_time(s);
    let frac = time_fraction(time)?;
    if let Some((y, m, d, ly, _, _)) = nums(date, '-') {
        if ly == 4 {
            return days_from_civil(y as i32, m, d).map(|x| RawDate::Days(x as f64 + frac));
        }
        // dd-mm-yyyy: treat like a slash date.
        let (a, b, c, _, _, lc) = nums(date, '-')?;
        return Some(RawDate::Slash {
            a,
            b,
            y: year4(c, lc)?,
            frac,
        });
    }
    if let Some((a, b, c, la, _, lc)) = nums(date, '/') {
        if la == 4 {
            return days_from_civil(a as i32, b, c).map(|x| RawDate::Days(x as f64 + frac));
        }
        if a == 0 || b == 0 || a > 31 || b > 31 {
            return None;
        }
        return Some(RawDate::Slash {
            a,
            b,
            y: year4(c, lc)?,
            frac,
        });
    }
    if let Some((d, m, y, la, _, ly)) = nums(date, '.') {
        if la == 4 {
            return days_from_civil(d as i32, m, y).map(|x| RawDate::Days(x as f64 + frac));
        }
        return days_from_civil(year4(y, ly)?, m, d).map(|x| RawDate::Days(x as f64 + frac));
    }
    None
}

/// The plausible dates of ALS data, as days since 1970: from 1900-01-01 up to the end of next
/// year (`data::date::current_year`).
pub fn plausible_range() -> (f64, f64) {
    let lo = days_from_civil(1900, 1, 1).unwrap_or(-25_567) as f64;
    let next = crate::data::date::current_year().saturating_add(2);
    let hi = days_from_civil(next, 1, 1).map_or(f64::INFINITY, |d| d as f64);
    (lo, hi)
}

/// Is a calendar day (days since 1970) plausible ([`plausible_range`])?
pub fn plausible(day: f64, range: (f64, f64)) -> bool {
    day >= range.0 && day < range.1
}

/// Resolve a raw date with the column's order.
pub fn resolve(raw: RawDate, order: DateOrder) -> Option<f64> {
    match raw {
        RawDate::Days(d) => Some(d),
        RawDate::Slash { a, b, y, frac } => {
            let (d, m) = match order {
                DateOrder::Dmy => (a, b),
                DateOrder::Mdy => (b, a),
            };
            days_from_civil(y, m, d).map(|x| x as f64 + frac)
        }
    }
}

/// What a column's slash dates say about their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvidence {
    /// No slash dates at all.
    NoSlashDates,
    /// Every slash date reads both ways (day and month ≤ 12).
    Ambiguous,
    Decided(DateOrder),
    /// Some values need dd/mm and others mm/dd.
    Inconsistent,
}

/// Decide the order of a column's slash dates from its values.
pub fn decide_order<'a>(values: impl Iterator<Item = &'a str>) -> OrderEvidence {
    evidence(order_flags(values))
}

/// What the slash dates among `values` say: (any slash date, one needs dd/mm, one needs mm/dd).
/// Flags of parts of a column combine with `|`, in any order.
pub fn order_flags<'a>(values: impl Iterator<Item = &'a str>) -> [bool; 3] {
    let (mut any, mut dmy, mut mdy) = (false, false, false);
    for v in values {
        if dmy && mdy {
            break; // inconsistent: nothing further changes that
        }
        // Only cells with a '/' or '-' in the first 3 characters can be dd/mm or mm/dd dates
        // (bytes when the cell starts in ASCII, the common case; else characters).
        let b = v.as_bytes();
        let start = b
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(b.len());
        let head = if b.get(start).is_none_or(u8::is_ascii) {
            &b[start..]
        } else {
            v.trim_start().as_bytes()
        };
        if !head.iter().take(3).any(|&c| c == b'/' || c == b'-') {
            continue;
        }
        if let Some(RawDate::Slash { a, b, .. }) = parse_raw(v) {
            any = true;
            if a > 12 {
                dmy = true;
            }
            if b > 12 {
                mdy = true;
            }
        }
    }
    [any, dmy, mdy]
}

/// The order the flags of [`order_flags`] decide.
pub fn evidence([any, dmy, mdy]: [bool; 3]) -> OrderEvidence {
    match (any, dmy, mdy) {
        (false, _, _) => OrderEvidence::NoSlashDates,
        (true, true, true) => OrderEvidence::Inconsistent,
        (true, true, false) => OrderEvidence::Decided(DateOrder::Dmy),
        (true, false, true) => OrderEvidence::Decided(DateOrder::Mdy),
        (true, false, false) => OrderEvidence::Ambiguous,
    }
}

/// Human name of the format used in a column, for the input summary.
pub fn format_name(sample: &str, order: DateOrder) -> &'static str {
    let t = sample.trim();
    if has_word(t) {
        return if t.bytes().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            "Mon dd, yyyy"
        } else {
            "dd-Mon-yyyy"
        };
    }
    let (date, _) = split_date_time(t);
    if date.contains('/') {
        if date.split('/').next().map(|p| p.len()) == Some(4) {
            "yyyy/mm/dd"
        } else if order == DateOrder::Dmy {
            "dd/mm/yyyy"
        } else {
            "mm/dd/yyyy"
        }
    } else if date.contains('.') {
        "dd.mm.yyyy"
    } else if date.contains('-') {
        if date.split('-').next().map(|p| p.len()) == Some(4) {
            "yyyy-mm-dd"
        } else if order == DateOrder::Dmy {
            "dd-mm-yyyy"
        } else {
            "mm-dd-yyyy"
        }
    } else {
        "Excel serial number"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, o: DateOrder) -> Option<f64> {
        parse_raw(s).and_then(|r| resolve(r, o))
    }

    #[test]
    fn order_flags_look_past_leading_spaces() {
        // ASCII spaces (bytes) and a no-break space (characters) before a slash date.
        let (dmy, mdy) = ([true, true, false], [true, false, true]);
        for (v, want) in [
            (" 13/02/2020", dmy),
            ("\t13/02/2020", dmy),
            ("\u{a0}13/02/2020", dmy),
            ("\u{a0} 02/13/2020", mdy),
        ] {
            assert_eq!(order_flags([v].into_iter()), want, "{v:?}");
        }
        assert_eq!(
            order_flags(["2020-02-13", " 2020-02-13"].into_iter()),
            [false; 3]
        );
    }

    #[test]
    fn formats() {
        let iso = days_from_civil(2015, 3, 4).unwrap() as f64;
        assert_eq!(d("2015-03-04", DateOrder::Dmy), Some(iso));
        assert_eq!(d("2015/03/04", DateOrder::Mdy), Some(iso));
        assert_eq!(d("04.03.2015", DateOrder::Mdy), Some(iso));
        assert_eq!(d("04/03/2015", DateOrder::Dmy), Some(iso));
        assert_eq!(d("03/04/2015", DateOrder::Mdy), Some(iso));
        assert_eq!(d("2015-03-04T00:00:00", DateOrder::Dmy), Some(iso));
        assert_eq!(d("2015-03-04 12:00", DateOrder::Dmy), Some(iso + 0.5));
        assert_eq!(d("04/03/15", DateOrder::Dmy), Some(iso));
        // Month names, in every order real exports write them.
        for s in [
            "04-Mar-2015",
            "4-MAR-2015",
            "04 Mar 2015",
            "04/Mar/15",
            "Mar 4, 2015",
            "March 4 2015",
            "2015-Mar-04",
            "04MAR2015",
            "4 march 2015",
        ] {
            assert_eq!(d(s, DateOrder::Mdy), Some(iso), "{s}");
        }
        assert_eq!(d("04-Mar-2015 12:00", DateOrder::Dmy), Some(iso + 0.5));
        assert_eq!(d("30-Feb-2015", DateOrder::Dmy), None);
        assert_eq!(d("04-Foo-2015", DateOrder::Dmy), None);
        assert_eq!(d("Mar 2015", DateOrder::Dmy), None);
        // Two-digit years: Excel's pivot (00–29 → 20yy, 30–99 → 19yy).
        let y = |yy: &str| d(&format!("01/01/{yy}"), DateOrder::Dmy);
        assert_eq!(y("29"), days_from_civil(2029, 1, 1).map(|x| x as f64));
        assert_eq!(y("30"), days_from_civil(1930, 1, 1).map(|x| x as f64));
        assert_eq!(y("45"), days_from_civil(1945, 1, 1).map(|x| x as f64));
        assert_eq!(format_name("12-Mar-2013", DateOrder::Dmy), "dd-Mon-yyyy");
        assert_eq!(format_name("Mar 12, 2013", DateOrder::Dmy), "Mon dd, yyyy");
        assert_eq!(d("2015-03-04T12:00:00Z", DateOrder::Dmy), Some(iso + 0.5));
        // Excel: 42067 is 2015-03-04.
        assert_eq!(d("42067", DateOrder::Dmy), Some(iso));
        assert_eq!(excel_serial_to_days(25569.0), Some(0.0));
        assert_eq!(d("2015-02-30", DateOrder::Dmy), None);
        assert_eq!(d("hello", DateOrder::Dmy), None);
        assert_eq!(d("12", DateOrder::Dmy), None);
        assert_eq!(d("", DateOrder::Dmy), None);
    }

    /// The dd/mm/yyyy fast path gives what the general path gives, for every two-digit pair
    /// (valid, zero, > 12, > 31) and years with and without leading zeros.
    #[test]
    fn fast_slash_path_agrees() {
        for a in 0..=40u32 {
            for b in [0u32, 1, 2, 9, 10, 12, 13, 28, 29, 30, 31, 32, 99] {
                for y in ["2012", "1999", "0999", "9999"] {
                    let s = format!("{a:02}/{b:02}/{y}");
                    // the general path: the same text with a time part of midnight
                    let general = parse_raw(&format!("{s} 00:00"));
                    assert_eq!(parse_raw(&s), general, "{s}");
                }
            }
        }
        assert_eq!(parse_raw("1a/02/2012"), None);
    }

    #[test]
    fn order_evidence() {
        assert_eq!(
            decide_order(["13/01/2015", "01/02/2015"].into_iter()),
            OrderEvidence::Decided(DateOrder::Dmy)
        );
        assert_eq!(
            decide_order(["01/13/2015", "01/02/2015"].into_iter()),
            OrderEvidence::Decided(DateOrder::Mdy)
        );
        assert_eq!(
            decide_order(["01/12/2015", "01/02/2015"].into_iter()),
            OrderEvidence::Ambiguous
        );
        assert_eq!(
            decide_order(["13/01/2015", "01/13/2015"].into_iter()),
            OrderEvidence::Inconsistent
        );
        assert_eq!(
            decide_order(["2015-01-13"].into_iter()),
            OrderEvidence::NoSlashDates
        );
    }
}
