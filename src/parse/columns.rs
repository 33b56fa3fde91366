//! Column roles ([`Role`]): what a column holds, its stable name (shown on the page, accepted by
//! `--column HEADER=ROLE`), and the header normalisation names are matched after. The names
//! themselves, every export's conventions, are in `vocab`.

use super::vocab;
use crate::data::{Measure, ALL_MEASURES};

/// A fact kept per patient (`data::Clinical`), from a column of any of the patient's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// Day of death (a date, or a day relative to the time axis).
    Death,
    /// Vital status: yes/no, or a date of death.
    Died,
    Tracheostomy,
    /// Permanent assisted ventilation (NIV ≥ 22 h/day).
    Ventilation,
    GastrostomyDate,
    LastContact,
    Diagnosis,
    Birth,
    AgeAtOnset,
    Age,
    SiteOfOnset,
    /// Bulbar onset yes/no.
    BulbarOnset,
    ElEscorial,
    Ftd,
    C9orf72,
}

impl Fact {
    pub const ALL: [Fact; 15] = [
        Fact::Death,
        Fact::Died,
        Fact::Tracheostomy,
        Fact::Ventilation,
        Fact::GastrostomyDate,
        Fact::LastContact,
        Fact::Diagnosis,
        Fact::Birth,
        Fact::AgeAtOnset,
        Fact::Age,
        Fact::SiteOfOnset,
        Fact::BulbarOnset,
        Fact::ElEscorial,
        Fact::Ftd,
        Fact::C9orf72,
    ];

    /// Stable name (the role's name).
    pub fn name(self) -> &'static str {
        match self {
            Fact::Death => "death_date",
            Fact::Died => "died",
            Fact::Tracheostomy => "tracheostomy_date",
            Fact::Ventilation => "ventilation_date",
            Fact::GastrostomyDate => "gastrostomy_date",
            Fact::LastContact => "last_contact",
            Fact::Diagnosis => "diagnosis_date",
            Fact::Birth => "birth_date",
            Fact::AgeAtOnset => "age_at_onset",
            Fact::Age => "age",
            Fact::SiteOfOnset => "site_of_onset",
            Fact::BulbarOnset => "bulbar_onset",
            Fact::ElEscorial => "el_escorial",
            Fact::Ftd => "ftd",
            Fact::C9orf72 => "c9orf72",
        }
    }

    /// A day on the time axis (a date, or a relative day), as opposed to a number, a category
    /// or a yes/no.
    pub fn is_day(self) -> bool {
        matches!(
            self,
            Fact::Death
                | Fact::Tracheostomy
                | Fact::Ventilation
                | Fact::GastrostomyDate
                | Fact::LastContact
                | Fact::Diagnosis
                | Fact::Birth
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    Patient,
    Group,
    Date,
    Months,
    Weeks,
    Days,
    /// A time column whose values decide between dates and days since baseline (Answer ALS and
    /// MOVR `alsfrsdt`): resolved to [`Role::Date`] or [`Role::Days`] before reading.
    DateOrDays,
    /// Visit names (`Baseline`, `Month 3`, REDCap `month_3_arm_1`): the time of a row when the
    /// table has no other time column.
    VisitName,
    Onset,
    Event,
    Measure(Measure),
    /// ALSFRS-R item 1..=12; item 5 in the form a gastrostomy column tells, else 5a.
    Item(u8),
    /// ALSFRS-R item 5a (cutting food, without gastrostomy).
    Item5a,
    /// ALSFRS-R item 5b (cutting food, with gastrostomy).
    Item5b,
    /// Item 10 of the original ALSFRS (respiratory), which the ALSFRS-R replaced by items
    /// 10–12: with items 1–9 it gives an ALSFRS (0–40) total.
    AlsfrsQ10,
    /// Per visit: whether the patient has a gastrostomy (yes/no); a date in it is the
    /// gastrostomy date.
    Gastrostomy,
    /// FVC in litres: recognised so that it is never analysed as % predicted.
    FvcLitres,
    /// FVC % predicted of trial k of several (PRO-ACT `pct_of_Normal_Trial_k`): the best trial
    /// is the visit's FVC.
    FvcTrial(u8),
    /// A total named only "total" (`Total Score`): ALSFRS-R or ALSFRS as the item columns
    /// beside it tell; resolved before reading.
    Total,
    /// A fact per patient.
    Clinical(Fact),
    /// Wide layout: a scheduled visit at a month offset, optionally for a named measure.
    Visit {
        measure: Option<Measure>,
        month: f64,
    },
    /// An event column holding its time (a month offset, a relative day or a date); the label
    /// is the header.
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
            Role::DateOrDays => "date_or_day".into(),
            Role::VisitName => "visit_name".into(),
            Role::Onset => "onset".into(),
            Role::Event => "event".into(),
            Role::Measure(m) => m.name().into(),
            Role::Item(i) => format!("q{i}"),
            Role::Item5a => "q5a".into(),
            Role::Item5b => "q5b".into(),
            Role::AlsfrsQ10 => "alsfrs_q10".into(),
            Role::Gastrostomy => "gastrostomy".into(),
            Role::FvcLitres => "fvc_litres".into(),
            Role::FvcTrial(k) => format!("fvc_trial_{k}"),
            Role::Total => "total".into(),
            Role::Clinical(f) => f.name().into(),
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

    /// Every role a person can give a column (the page's role picker, `--column`), in the
    /// order the picker lists them; "ignore" is the picker's own.
    pub fn assignable() -> Vec<Role> {
        let mut v = vec![
            Role::Patient,
            Role::Group,
            Role::Date,
            Role::Months,
            Role::Weeks,
            Role::Days,
            Role::DateOrDays,
            Role::VisitName,
            Role::Onset,
            Role::Event,
            Role::EventTime(String::new()),
        ];
        v.extend(ALL_MEASURES.map(Role::Measure));
        v.push(Role::Total);
        v.extend((1..=12).map(Role::Item));
        v.extend([
            Role::Item5a,
            Role::Item5b,
            Role::AlsfrsQ10,
            Role::Gastrostomy,
            Role::FvcLitres,
        ]);
        v.extend((1..=3).map(Role::FvcTrial));
        v.extend(Fact::ALL.map(Role::Clinical));
        v
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
        if let Some(r) = Role::assignable().into_iter().find(|r| r.name() == n) {
            return Some(match r {
                Role::EventTime(_) => Role::EventTime(header.trim().to_string()),
                r => r,
            });
        }
        guess(&n, "")
    }

    /// A role of which a table has at most one column (the others are reported and ignored).
    pub fn is_unique(&self) -> bool {
        !matches!(self, Role::EventTime(_) | Role::Ignore | Role::FvcLitres)
    }

    /// A time column of the long layout.
    pub fn is_time(&self) -> bool {
        matches!(
            self,
            Role::Date
                | Role::Months
                | Role::Weeks
                | Role::Days
                | Role::DateOrDays
                | Role::VisitName
        )
    }

    /// A column of item scores.
    pub fn is_item(&self) -> bool {
        matches!(
            self,
            Role::Item(_) | Role::Item5a | Role::Item5b | Role::AlsfrsQ10
        )
    }

    /// What a person calls it, for messages: "ALSFRS-R (0–48)", "item q3", "death date".
    pub fn describe(&self) -> String {
        match self {
            Role::Measure(m) => m.label().into(),
            Role::Item(_) | Role::Item5a | Role::Item5b => format!("ALSFRS-R item {}", self.name()),
            Role::Clinical(f) => f.name().replace('_', " "),
            r => r.name().replace('_', " "),
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Lower-case; drop parenthesised parts (their units are read by [`units`]); separators become
/// `_`; a `-` before a digit is kept as a sign (so `M-3` stays `m-3`, `ALSFRS-R` becomes
/// `alsfrs_r`).
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

/// The parenthesised or bracketed parts of a header, lower-case, joined by `_`: `FVC (L)` →
/// `l`, `FVC (% pred.)` → `%_pred`, `Total (0-48)` → `0-48`. `%` and `-` are kept.
pub fn units(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => {}
            c if c.is_alphanumeric() || c == '%' || c == '-' => out.push(c.to_ascii_lowercase()),
            _ => {
                if !out.is_empty() && !out.ends_with('_') {
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

/// A header's role by name for the long layout (wide visit columns are recognised separately
/// by [`visit_column`]), from its normalised name and units (see [`normalize`], [`units`]).
pub fn guess(n: &str, units: &str) -> Option<Role> {
    vocab::guess(n, units)
}

/// The role of a header as written (normalised here).
pub fn guess_header(h: &str) -> Option<Role> {
    guess(&normalize(h), &units(h))
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
    fn reads_units() {
        assert_eq!(units("FVC (L)"), "l");
        assert_eq!(units("FVC (% pred.)"), "%_pred");
        assert_eq!(units("ALSFRS-R total score (0-48)"), "0-48");
        assert_eq!(units("FVC [litres]"), "litres");
        assert_eq!(units("FVC"), "");
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

    /// Every assignable role's name reads back as that role (the page's picker and `--column`
    /// offer exactly these), and the names are distinct.
    #[test]
    fn role_names_roundtrip() {
        let mut all = Role::assignable();
        all.push(Role::Visit {
            measure: Some(Measure::Fvc),
            month: -3.0,
        });
        let mut names = std::collections::BTreeSet::new();
        for r in all {
            assert!(names.insert(r.name()), "{} twice", r.name());
            let back = Role::from_name(&r.name(), "");
            assert_eq!(back, Some(r.clone()), "{}", r.name());
        }
        assert_eq!(
            Role::from_name("event_time", " Riluzole start "),
            Some(Role::EventTime("Riluzole start".into()))
        );
        assert_eq!(Role::from_name("ignore", "x"), Some(Role::Ignore));
    }
}
