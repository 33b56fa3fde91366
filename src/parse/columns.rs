//! Header recognition: what each column holds, by case-insensitive name and common synonyms.

use crate::data::{Measure, ALL_MEASURES};

#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    Patient,
    Group,
    Date,
    Months,
    Weeks,
    Days,
    Onset,
    Event,
    Measure(Measure),
    /// ALSFRS-R item 1..=12.
    Item(u8),
    /// Wide layout: a scheduled visit at a month offset, optionally for a named measure.
    Visit {
        measure: Option<Measure>,
        month: f64,
    },
    /// Wide layout: an event column holding a month offset or a date; the label is the header.
    EventTime(String),
    Ignore,
}

impl Role {
    /// Stable name, as shown on the page and accepted in column overrides.
    pub fn name(&self) -> String {
        match self {
            Role::Patient => "patient".into(),
            Role::Group => "group".into(),
            Role::Date => "date".into(),
            Role::Months => "month".into(),
            Role::Weeks => "week".into(),
            Role::Days => "day".into(),
            Role::Onset => "onset".into(),
            Role::Event => "event".into(),
            Role::Measure(m) => m.name().into(),
            Role::Item(i) => format!("q{i}"),
            Role::Visit {
                measure: None,
                month,
            } => format!("visit:{}", fmt_num(*month)),
            Role::Visit {
                measure: Some(m),
                month,
            } => format!("visit:{}:{}", m.name(), fmt_num(*month)),
            Role::EventTime(_) => "event_time".into(),
            Role::Ignore => "ignored".into(),
        }
    }

    /// Parse a role name (as produced by [`Role::name`], or a synonym) given the column header.
    pub fn from_name(name: &str, header: &str) -> Option<Role> {
        let n = normalize(name);
        match n.as_str() {
            "ignored" | "ignore" | "none" | "" => return Some(Role::Ignore),
            "event_time" => return Some(Role::EventTime(header.trim().to_string())),
            _ => {}
        }
        if let Some(rest) = n
            .strip_prefix("visit:")
            .or_else(|| name.trim().strip_prefix("visit:"))
        {
            let mut parts = rest.rsplitn(2, ':');
            let month: f64 = parts.next()?.trim().parse().ok()?;
            // Same limit as visit headers: a larger month overflows to infinite days.
            if !month.is_finite() || month.abs() > 1200.0 {
                return None;
            }
            let measure = match parts.next() {
                Some(m) => Some(Measure::from_name(&normalize(m))?),
                None => None,
            };
            return Some(Role::Visit { measure, month });
        }
        guess(&n)
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Lower-case; drop parenthesised parts; separators become `_`; a `-` before a digit is kept
/// as a sign (so `M-3` stays `m-3`, `ALSFRS-R` becomes `alsfrs_r`).
pub fn normalize(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0usize;
    let chars: Vec<char> = h.trim().trim_start_matches('\u{feff}').chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            // ASCII lower case: the names matched are ASCII (and Unicode's case tables are ~10 KB of wasm).
            c if c.is_alphanumeric() => out.push(c.to_ascii_lowercase()),
            '-' if chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) => out.push('-'),
            '.' if chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
                && i > 0
                && chars[i - 1].is_ascii_digit() =>
            {
                out.push('.')
            }
            ':' => out.push(':'),
            _ => {
                if !out.ends_with('_') && !out.is_empty() {
                    out.push('_')
                }
            }
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Guess a column's role from its normalised header, for the long layout (wide visit columns
/// are recognised separately by [`visit_column`]).
pub fn guess(n: &str) -> Option<Role> {
    let r = match n {
        "id" | "patient" | "patient_id" | "patientid" | "subject" | "subject_id" | "subjectid"
        | "pid" | "participant" | "participant_id" | "case" | "case_id" | "patient_no"
        | "patient_number" => Role::Patient,
        "group" | "arm" | "cohort" | "treatment_group" | "study_arm" | "group_name" => Role::Group,
        "date" | "visit_date" | "visitdate" | "assessment_date" | "exam_date" | "date_of_visit"
        | "visit_dt" => Role::Date,
        "month"
        | "months"
        | "time_months"
        | "months_from_baseline"
        | "month_from_baseline"
        | "time_month" => Role::Months,
        "week" | "weeks" | "time_weeks" | "weeks_from_baseline" => Role::Weeks,
        "day" | "days" | "study_day" | "time_days" | "days_from_baseline" => Role::Days,
        "onset" | "onset_date" | "symptom_onset" | "date_of_onset" | "symptom_onset_date"
        | "onset_dt" => Role::Onset,
        "event" | "events" | "injection" | "treatment" | "intervention" | "dose"
        | "event_label" => Role::Event,
        "alsfrs_r" | "alsfrsr" | "alsfrs_r_total" | "alsfrs_r_score" | "alsfrs_revised"
        | "alsfrs_r_sum" | "frs_r" => Role::Measure(Measure::AlsfrsR),
        "alsfrs" | "als_frs" | "alsfrs_total" | "alsfrs_score" | "als_frs_total" => {
            Role::Measure(Measure::Alsfrs)
        }
        "fvc"
        | "fvc_pct"
        | "fvc_percent"
        | "fvc_predicted"
        | "fvc_pred"
        | "fvc_percent_predicted"
        | "fvc_pct_predicted"
        | "fvc_pp" => Role::Measure(Measure::Fvc),
        "aals" | "appel" | "appel_score" | "appel_als" | "appel_als_score" | "aals_score"
        | "aals_total" => Role::Measure(Measure::Aals),
        "bulbar" | "alsfrs_r_bulbar" => Role::Measure(Measure::AlsfrsRBulbar),
        "fine_motor" | "alsfrs_r_fine_motor" | "finemotor" => {
            Role::Measure(Measure::AlsfrsRFineMotor)
        }
        "gross_motor" | "alsfrs_r_gross_motor" | "grossmotor" => {
            Role::Measure(Measure::AlsfrsRGrossMotor)
        }
        "respiratory" | "alsfrs_r_respiratory" => Role::Measure(Measure::AlsfrsRRespiratory),
        _ => {
            if let Some(m) = Measure::from_name(n) {
                return Some(Role::Measure(m));
            }
            return item(n);
        }
    };
    Some(r)
}

/// `q1`…`q12`, `item1`, `alsfrs_r_q3`, `q_3`.
fn item(n: &str) -> Option<Role> {
    let rest = n.strip_prefix("alsfrs_r_").unwrap_or(n);
    let rest = rest
        .strip_prefix("item")
        .or_else(|| rest.strip_prefix("q"))?
        .trim_start_matches('_');
    let k: u8 = rest.parse().ok()?;
    (1..=12).contains(&k).then_some(Role::Item(k))
}

/// Wide layout visit column: an optional measure prefix, then a month offset: `-3`, `0`, `M1`,
/// `month 12`, `m-3`, `fvc_m6`, `alsfrs_r month 3`.
pub fn visit_column(n: &str) -> Option<Role> {
    let (measure, rest) = split_measure_prefix(n);
    let rest = rest.trim_start_matches('_');
    let rest = ["months", "month", "mo", "m", "visit_m"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest)
        .trim_start_matches(['_', ':']);
    if rest.is_empty()
        || !rest
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'-' || c == b'.')
    {
        return None;
    }
    let month: f64 = rest.parse().ok()?;
    if !month.is_finite() || month.abs() > 1200.0 {
        return None;
    }
    Some(Role::Visit { measure, month })
}

fn split_measure_prefix(n: &str) -> (Option<Measure>, &str) {
    // Longest names first so that `alsfrs_r` wins over `alsfrs`.
    let mut names: Vec<(Measure, &str)> = ALL_MEASURES.iter().map(|m| (*m, m.name())).collect();
    names.extend([(Measure::Aals, "appel"), (Measure::AlsfrsR, "alsfrsr")]);
    crate::sort::sort_by_key(&mut names, |(_, s)| std::cmp::Reverse(s.len()));
    for (m, name) in names {
        if let Some(rest) = n.strip_prefix(name) {
            if rest.starts_with('_') || rest.starts_with('-') {
                return (Some(m), rest);
            }
        }
    }
    (None, n)
}

/// Wide layout event column: `event`, `injection`, `injection_2`, `inj1`, `treatment`, `index`,
/// `index_date`, `event_1`.
pub fn event_column(n: &str) -> bool {
    let base = n.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
    let base = base
        .strip_suffix("_date")
        .or_else(|| base.strip_suffix("_month"))
        .unwrap_or(base);
    matches!(
        base,
        "event"
            | "injection"
            | "inj"
            | "treatment"
            | "index"
            | "transplantation"
            | "dose"
            | "infusion"
            | "index_date"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("ALSFRS-R"), "alsfrs_r");
        assert_eq!(normalize(" FVC (% predicted) "), "fvc");
        assert_eq!(normalize("M-3"), "m-3");
        assert_eq!(normalize("-3"), "-3");
        assert_eq!(normalize("Month 12"), "month_12");
        assert_eq!(normalize("\u{feff}Patient ID"), "patient_id");
        assert_eq!(normalize("month 1.5"), "month_1.5");
    }

    #[test]
    fn guesses() {
        assert_eq!(guess("subject"), Some(Role::Patient));
        assert_eq!(guess("arm"), Some(Role::Group));
        assert_eq!(guess("visit_date"), Some(Role::Date));
        assert_eq!(guess("weeks"), Some(Role::Weeks));
        assert_eq!(guess("alsfrs_r"), Some(Role::Measure(Measure::AlsfrsR)));
        assert_eq!(guess("alsfrs"), Some(Role::Measure(Measure::Alsfrs)));
        assert_eq!(guess("q12"), Some(Role::Item(12)));
        assert_eq!(guess("q13"), None);
        assert_eq!(guess("notes"), None);
    }

    #[test]
    fn visits() {
        assert_eq!(
            visit_column("-3"),
            Some(Role::Visit {
                measure: None,
                month: -3.0
            })
        );
        assert_eq!(
            visit_column("m1"),
            Some(Role::Visit {
                measure: None,
                month: 1.0
            })
        );
        assert_eq!(
            visit_column("month_12"),
            Some(Role::Visit {
                measure: None,
                month: 12.0
            })
        );
        assert_eq!(
            visit_column("m-3"),
            Some(Role::Visit {
                measure: None,
                month: -3.0
            })
        );
        assert_eq!(
            visit_column("fvc_m6"),
            Some(Role::Visit {
                measure: Some(Measure::Fvc),
                month: 6.0
            })
        );
        assert_eq!(
            visit_column("alsfrs_r_month_3"),
            Some(Role::Visit {
                measure: Some(Measure::AlsfrsR),
                month: 3.0
            })
        );
        assert_eq!(visit_column("group"), None);
        assert!(event_column("injection_2"));
        assert!(event_column("index_date"));
        assert!(!event_column("group"));
    }

    #[test]
    fn role_names_roundtrip() {
        for r in [
            Role::Patient,
            Role::Months,
            Role::Item(3),
            Role::Measure(Measure::Fvc),
            Role::Visit {
                measure: Some(Measure::Fvc),
                month: -3.0,
            },
        ] {
            assert_eq!(Role::from_name(&r.name(), "x"), Some(r));
        }
    }
}
