//! Numbers and p-values as text for people: the one place the crate turns them into text (the
//! text report and CSV in `output`, the charts' labels and descriptions). Plain functions, no
//! state; the page can call the same rules through its bindings.
//!
//! Two display styles exist today and are kept as they are (unifying them is issue #24):
//!
//! | style                     | number                          | missing | p-value                                   |
//! |---------------------------|---------------------------------|---------|-------------------------------------------|
//! | report (text report)      | fixed decimals, ASCII minus     | "–"     | "< 0.0001"; 4 decimals below 0.001; else 3 |
//! | chart (labels, summaries) | fixed decimals, typographic "−", no "−0" | "—" | "< 0.001"; else "= " and 3 decimals |
//!
//! CSV cells are numbers for a program: rounded to 10 decimals and written in the shortest form.

/// A number in a CSV cell: rounded to 10 decimals, in the shortest form that reads back as that
/// (`0.1`, `-2.5`, `3`); empty when missing or not finite.
pub fn csv_number(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{}", (v * 1e10).round() / 1e10),
        _ => String::new(),
    }
}

/// A number in the text report: `decimals` fixed decimals, ASCII minus; "–" when missing or not
/// finite.
pub fn report_number(x: Option<f64>, decimals: usize) -> String {
    let mut out = String::new();
    write_report_number(&mut out, x, decimals);
    out
}

/// [`report_number`], appended to `out` (a column of numbers in one string, without a string
/// per number).
pub fn write_report_number(out: &mut String, x: Option<f64>, decimals: usize) {
    use std::fmt::Write;
    match x {
        Some(v) if v.is_finite() => {
            let _ = write!(out, "{v:.decimals$}");
        }
        _ => out.push('–'),
    }
}

/// A p-value in the text report: "< 0.0001", 4 decimals below 0.001, else 3 decimals; "–" when
/// missing.
pub fn report_p(p: Option<f64>) -> String {
    match p {
        None => "–".into(),
        Some(p) if p < 0.0001 => "< 0.0001".into(),
        Some(p) if p < 0.001 => format!("{p:.4}"),
        Some(p) => format!("{p:.3}"),
    }
}

/// A number on a chart: `decimals` fixed decimals with a typographic minus ("−1.5"), a value that
/// rounds to zero without a sign; "—" when missing or not finite.
pub fn chart_number(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = format!("{:.*}", decimals, x);
            let zero = s
                .trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.');
            if zero {
                s.trim_start_matches('-').to_string()
            } else {
                s.replace('-', "−")
            }
        }
        _ => "—".to_string(),
    }
}

/// A p-value on a chart, as the relation that follows "p": "< 0.001", else "= " and 3 decimals
/// ("= 0.042"); "= —" when missing or not finite.
pub fn chart_p(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_finite() && p < 0.001 => "< 0.001".to_string(),
        Some(p) if p.is_finite() => format!("= {}", chart_number(Some(p), 3)),
        _ => "= —".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_numbers_are_rounded_to_ten_decimals() {
        assert_eq!(csv_number(Some(0.1 + 0.2)), "0.3");
        assert_eq!(csv_number(Some(-2.5)), "-2.5");
        assert_eq!(csv_number(Some(3.0)), "3");
        assert_eq!(csv_number(Some(1.0 / 3.0)), "0.3333333333");
        assert_eq!(csv_number(Some(f64::NAN)), "");
        assert_eq!(csv_number(None), "");
    }

    #[test]
    fn report_style() {
        assert_eq!(report_number(Some(-1.23456), 3), "-1.235");
        assert_eq!(report_number(Some(-0.0001), 3), "-0.000");
        assert_eq!(report_number(Some(f64::INFINITY), 3), "–");
        assert_eq!(report_number(None, 1), "–");
        assert_eq!(report_p(Some(0.00005)), "< 0.0001");
        assert_eq!(report_p(Some(0.00042)), "0.0004");
        assert_eq!(report_p(Some(0.0421)), "0.042");
        assert_eq!(report_p(Some(1.0)), "1.000");
        assert_eq!(report_p(None), "–");
    }

    #[test]
    fn chart_style() {
        assert_eq!(chart_number(Some(-1.26), 1), "−1.3");
        assert_eq!(chart_number(Some(-0.0001), 2), "0.00");
        assert_eq!(chart_number(Some(12.0), 0), "12");
        assert_eq!(chart_number(Some(f64::NAN), 1), "—");
        assert_eq!(chart_number(None, 1), "—");
        assert_eq!(chart_p(Some(0.0004)), "< 0.001");
        assert_eq!(chart_p(Some(0.0421)), "= 0.042");
        assert_eq!(chart_p(None), "= —");
    }
}
