//! Numbers and p-values as text for people: the one place the crate turns them into text (the
//! text report in `output`, the charts' labels and descriptions, the page through `web`'s
//! `format_number`, `format_numbers`, `format_p`). Plain functions, no state.
//!
//! One rule set for every display:
//!
//! | what | rule | examples |
//! |---|---|---|
//! | a number | fixed decimals (rounded to the nearest, ties to even); a value that rounds to zero has no sign | `-1.235`, `0.00` (never `-0.00`) |
//! | a statistic (V, W, S, t, ρ, χ²) | a whole or half number as it is, else fixed decimals | `8`, `85.5`, `2.131` (never `7.999999999999999` or `8.000`) |
//! | a p-value | three decimals; below 0.001 the bound | `0.042`, `< 0.001` |
//! | a p-value with its letter | `p = 0.042`, `p < 0.001` (never `p = < 0.001`) | |
//! | a negative operand in a formula | in parentheses | `1.314 − (−0.156)` |
//! | missing or not finite | an en dash | `–` |
//!
//! The text report and the page write the minus as ASCII `-` (a number copied into a spreadsheet
//! stays a number); the charts write the typographic `−` ([`chart_number`]). JSON and CSV keep
//! full precision: CSV cells are rounded to 10 decimals only ([`csv_number`]).

/// What stands for a missing or non-finite number.
pub const MISSING: &str = "–";

/// A number in a CSV cell: rounded to 10 decimals, in the shortest form that reads back as that
/// (`0.1`, `-2.5`, `3`); empty when missing or not finite.
pub fn csv_number(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{}", (v * 1e10).round() / 1e10 + 0.0),
        _ => String::new(),
    }
}

/// A number for people: `decimals` fixed decimals, ASCII minus, no sign on a value that rounds
/// to zero; [`MISSING`] when missing or not finite.
pub fn number(x: Option<f64>, decimals: usize) -> String {
    let mut out = String::new();
    write_number(&mut out, x, decimals);
    out
}

/// [`number`], appended to `out` (a column of numbers in one string, without a string per
/// number).
pub fn write_number(out: &mut String, x: Option<f64>, decimals: usize) {
    use std::fmt::Write;
    match x {
        Some(v) if v.is_finite() => {
            let at = out.len();
            let _ = write!(out, "{v:.decimals$}");
            // "-0.000" → "0.000"
            if out[at..].starts_with('-') && out[at + 1..].bytes().all(|b| b == b'0' || b == b'.') {
                out.remove(at);
            }
        }
        _ => out.push_str(MISSING),
    }
}

/// A number on a chart: [`number`] with the typographic minus ("−1.5").
pub fn chart_number(v: Option<f64>, decimals: usize) -> String {
    number(v, decimals).replace('-', "−")
}

/// A test statistic: a whole or half number (within 1e-9 relative, the noise of sums of ranks)
/// as it is ("8", "85.5", "-3"), anything else with `decimals` fixed decimals; [`MISSING`] when
/// missing or not finite.
pub fn statistic(x: Option<f64>, decimals: usize) -> String {
    match x {
        Some(v) if v.is_finite() => {
            let halves = (2.0 * v).round();
            if (2.0 * v - halves).abs() <= 1e-9 * v.abs().max(1.0) && halves.abs() < 1e15 {
                let h = halves / 2.0 + 0.0;
                format!("{h}")
            } else {
                number(Some(v), decimals)
            }
        }
        _ => MISSING.to_string(),
    }
}

/// A p-value for people, without its letter: three decimals, or "< 0.001"; [`MISSING`] when
/// missing or not a number. After "p" it is written by [`p_text`], never as "p = " + this.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_finite() && p < 0.001 => "< 0.001".to_string(),
        Some(p) if p.is_finite() => number(Some(p), 3),
        _ => MISSING.to_string(),
    }
}

/// The relation that follows "p": "= 0.042" or "< 0.001" ("= –" when missing).
pub fn p_relation(p: Option<f64>) -> String {
    let v = p_value(p);
    if v.starts_with('<') {
        v
    } else {
        format!("= {v}")
    }
}

/// A p-value with its letter: "p = 0.042", "p < 0.001" ("p = –" when missing).
pub fn p_text(p: Option<f64>) -> String {
    format!("p {}", p_relation(p))
}

/// A p-value on a chart, as the relation that follows "p" ([`p_relation`], typographic minus
/// never occurs).
pub fn chart_p(p: Option<f64>) -> String {
    p_relation(p)
}

/// A number as an operand in a written formula: [`number`], in parentheses when negative
/// ("(−0.156)" is written "(-0.156)"), so that "a − b" never reads "1.314 − -0.156".
pub fn operand(x: Option<f64>, decimals: usize) -> String {
    let s = number(x, decimals);
    if s.starts_with('-') {
        format!("({s})")
    } else {
        s
    }
}

/// A count with its noun, singular or plural: "1 patient", "3 patients".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text from the input (an id, a group, a cell quoted in a message) for one line of the text
/// report: a newline, carriage return or tab is written as `\n`, `\r`, `\t`, any other control
/// character as `\u{…}`, so a value cannot break a row (or reach the terminal as an escape
/// sequence). Borrowed when there is nothing to escape.
pub fn escape_line(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if c.is_control() => {
                use std::fmt::Write;
                let _ = write!(o, "\\u{{{:x}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_text_is_escaped_for_one_line() {
        assert_eq!(escape_line("P01"), "P01");
        assert!(matches!(escape_line("P01"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(escape_line("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(escape_line("x\u{1b}[31m"), "x\\u{1b}[31m");
        assert_eq!(escape_line("a\\nb"), "a\\nb");
        assert!(!escape_line("a\nb\u{85}c").contains(['\n', '\u{85}']));
    }

    #[test]
    fn csv_numbers_are_rounded_to_ten_decimals() {
        assert_eq!(csv_number(Some(0.1 + 0.2)), "0.3");
        assert_eq!(csv_number(Some(-2.5)), "-2.5");
        assert_eq!(csv_number(Some(3.0)), "3");
        assert_eq!(csv_number(Some(1.0 / 3.0)), "0.3333333333");
        assert_eq!(csv_number(Some(-1e-12)), "0");
        assert_eq!(csv_number(Some(f64::NAN)), "");
        assert_eq!(csv_number(None), "");
    }

    #[test]
    fn numbers() {
        assert_eq!(number(Some(-1.23456), 3), "-1.235");
        assert_eq!(number(Some(-0.0001), 3), "0.000");
        assert_eq!(number(Some(-0.0), 2), "0.00");
        assert_eq!(number(Some(-0.4), 0), "0");
        assert_eq!(number(Some(-0.6), 0), "-1");
        assert_eq!(number(Some(12.0), 0), "12");
        assert_eq!(number(Some(f64::INFINITY), 3), "–");
        assert_eq!(number(None, 1), "–");
        let mut col = String::from("x ");
        write_number(&mut col, Some(-0.0004), 2);
        assert_eq!(col, "x 0.00");
    }

    #[test]
    fn chart_numbers_are_numbers_with_the_typographic_minus() {
        assert_eq!(chart_number(Some(-1.26), 1), "−1.3");
        assert_eq!(chart_number(Some(-0.0001), 2), "0.00");
        assert_eq!(chart_number(Some(12.0), 0), "12");
        assert_eq!(chart_number(Some(f64::NAN), 1), "–");
        assert_eq!(chart_number(None, 1), "–");
    }

    #[test]
    fn statistics_whole_and_half_as_they_are() {
        assert_eq!(statistic(Some(7.999999999999999), 3), "8");
        assert_eq!(statistic(Some(85.5), 3), "85.5");
        assert_eq!(statistic(Some(86.0), 3), "86");
        assert_eq!(statistic(Some(-3.0), 3), "-3");
        assert_eq!(statistic(Some(-0.0), 3), "0");
        assert_eq!(statistic(Some(291.3190016755703), 3), "291.319");
        assert_eq!(statistic(Some(2.13149), 3), "2.131");
        assert_eq!(statistic(Some(-0.00001), 3), "0.000");
        assert_eq!(statistic(None, 3), "–");
    }

    #[test]
    fn p_values() {
        assert_eq!(p_value(Some(0.00005)), "< 0.001");
        assert_eq!(p_value(Some(0.00042)), "< 0.001");
        assert_eq!(p_value(Some(0.001)), "0.001");
        assert_eq!(p_value(Some(0.0421)), "0.042");
        assert_eq!(p_value(Some(1.0)), "1.000");
        assert_eq!(p_value(None), "–");
        assert_eq!(p_value(Some(f64::NAN)), "–");
        assert_eq!(p_text(Some(0.0004)), "p < 0.001");
        assert_eq!(p_text(Some(0.0421)), "p = 0.042");
        assert_eq!(p_text(None), "p = –");
        assert_eq!(chart_p(Some(0.0004)), "< 0.001");
        assert_eq!(chart_p(Some(0.0421)), "= 0.042");
        assert_eq!(chart_p(None), "= –");
        for p in [0.0, 1e-300, 0.0009, 0.5, 1.0] {
            assert!(!p_text(Some(p)).contains("= <"), "{p}");
        }
    }

    #[test]
    fn operands_and_counts() {
        assert_eq!(operand(Some(-0.156), 3), "(-0.156)");
        assert_eq!(operand(Some(1.314), 3), "1.314");
        assert_eq!(operand(Some(-0.0001), 3), "0.000");
        assert_eq!(count(1, "patient", "patients"), "1 patient");
        assert_eq!(count(0, "patient", "patients"), "0 patients");
    }
}
