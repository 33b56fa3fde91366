//! Patient facts from cells (death, tracheostomy, ventilation, gastrostomy, last contact,
//! diagnosis, birth, ages, site of onset, El Escorial, FTD, C9orf72), and the event labels that
//! name an endpoint (`death`, `tracheostomy`, `PAV`, …), which are kept as the patient's
//! endpoints, never as treatment events.

use super::builder::FactValue;
use super::cells::{is_code_word, parse_number, CodeKind, Codes};
use super::columns::{normalize, Fact};
use super::values::{el_escorial, site_of_onset, yes_no};
use super::when::When;
use crate::data::SiteOfOnset;
use crate::diag::{DiagKind, Diagnostic, Severity};

/// A fact column of a table and how its time cells are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FactCol {
    pub col: usize,
    pub fact: Fact,
    pub when: When,
}

/// What a fact column's values are, for the message that lists values not understood.
pub(crate) fn what(fact: Fact) -> &'static str {
    match fact {
        Fact::SiteOfOnset => "a site of onset (bulbar, spinal/limb, respiratory, other)",
        Fact::ElEscorial => "an El Escorial category (definite, probable, probable laboratory-supported, possible, suspected)",
        Fact::AgeAtOnset | Fact::Age => "an age in years",
        Fact::Died => "yes/no or a date",
        f if f.is_day() => "a date or time",
        _ => "yes/no",
    }
}

/// One fact cell: its value, or None (empty; a code or a value not understood counted in
/// `codes`; a bad date or number reported).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_fact<'a>(
    fc: &FactCol,
    s: &'a str,
    d: u8,
    line: usize,
    header: &[String],
    id: &str,
    diags: &mut Vec<Diagnostic>,
    codes: &mut Codes<'a>,
) -> Option<FactValue> {
    if s.is_empty() {
        return None;
    }
    let not_category = |codes: &mut Codes<'a>| {
        codes.add(
            fc.col,
            s,
            line,
            if super::cells::is_missing_marker(s) {
                CodeKind::Marker
            } else {
                CodeKind::NotCategory
            },
        );
        None
    };
    let bad = |kind, msg: String, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::new(Severity::Error, kind, msg)
                .at(line)
                .col(&header[fc.col])
                .patient(id),
        );
        None
    };
    match fc.fact {
        Fact::Died => {
            if let Some(f) = yes_no(s) {
                return Some(FactValue::Flag(f));
            }
            day(fc, s, d, line, header, id, diags, codes)
        }
        f if f.is_day() => day(fc, s, d, line, header, id, diags, codes),
        Fact::AgeAtOnset | Fact::Age => match parse_number(s, d) {
            Some(v) if (0.0..=120.0).contains(&v) => Some(FactValue::Number(v)),
            Some(v) => bad(
                DiagKind::OutOfRange,
                format!("age {v} is outside 0–120 years; ignored"),
                diags,
            ),
            None if is_code_word(s) => not_category(codes),
            None => bad(
                DiagKind::BadNumber,
                format!("age \"{s}\" is not a number; ignored"),
                diags,
            ),
        },
        Fact::SiteOfOnset => match site_of_onset(s) {
            Some(v) => Some(FactValue::Site(v)),
            None => not_category(codes),
        },
        Fact::BulbarOnset => match yes_no(s) {
            Some(true) => Some(FactValue::Site(SiteOfOnset::Bulbar)),
            Some(false) => Some(FactValue::Site(SiteOfOnset::Other)),
            None => not_category(codes),
        },
        Fact::ElEscorial => match el_escorial(s) {
            Some(v) => Some(FactValue::Escorial(v)),
            None => not_category(codes),
        },
        _ => match yes_no(s) {
            Some(v) => Some(FactValue::Flag(v)),
            None => not_category(codes),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn day<'a>(
    fc: &FactCol,
    s: &'a str,
    d: u8,
    line: usize,
    header: &[String],
    id: &str,
    diags: &mut Vec<Diagnostic>,
    codes: &mut Codes<'a>,
) -> Option<FactValue> {
    match fc.when.day(s, d) {
        Ok(v) => v.map(FactValue::Day),
        Err(_) if is_code_word(s) && super::dates::parse_raw(s).is_none() => {
            codes.add(fc.col, s, line, CodeKind::of_word(s));
            None
        }
        Err(e) => {
            let kind = if matches!(e, super::when::TimeError::Implausible(_)) {
                DiagKind::ImplausibleDate
            } else {
                DiagKind::BadDate
            };
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    kind,
                    format!(
                        "{} \"{s}\" {}; ignored",
                        fc.fact.name().replace('_', " "),
                        fc.when.explain(&e)
                    ),
                )
                .at(line)
                .col(&header[fc.col])
                .patient(id),
            );
            None
        }
    }
}

/// The endpoint an event label names: `death`, `died`, `deceased` → death; `tracheostomy`,
/// `tracheotomy`, `TIV` → tracheostomy; `PAV`, `permanent ventilation`, `NIV ≥ 22 h` →
/// permanent ventilation. None for any other label (a treatment event).
pub(crate) fn endpoint_of(label: &str) -> Option<Fact> {
    let n = normalize(label);
    match n.as_str() {
        "death" | "died" | "deceased" | "dead" | "death_date" | "date_of_death" | "exitus" => {
            Some(Fact::Death)
        }
        "tracheostomy"
        | "tracheotomy"
        | "trach"
        | "tiv"
        | "tracheostomy_ventilation"
        | "invasive_ventilation" => Some(Fact::Tracheostomy),
        "pav"
        | "permanent_ventilation"
        | "permanent_assisted_ventilation"
        | "niv_22h"
        | "niv_22_h"
        | "niv_22h_day"
        | "niv_22_h_day"
        | "niv_24h"
        | "niv_24_h"
        | "permanent_niv" => Some(Fact::Ventilation),
        _ => {
            // "NIV ≥ 22 h/day", "NIV >22h": non-invasive ventilation of at least 22 hours a day.
            let l = label.to_ascii_lowercase();
            (l.starts_with("niv") && (l.contains("22") || l.contains("24")) && l.contains('h'))
                .then_some(Fact::Ventilation)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_labels() {
        for (l, f) in [
            ("death", Fact::Death),
            ("Died", Fact::Death),
            ("DECEASED", Fact::Death),
            ("tracheostomy", Fact::Tracheostomy),
            ("PAV", Fact::Ventilation),
            ("permanent ventilation", Fact::Ventilation),
            ("NIV ≥ 22 h/day", Fact::Ventilation),
            ("NIV >22h", Fact::Ventilation),
        ] {
            assert_eq!(endpoint_of(l), Some(f), "{l}");
        }
        for l in [
            "injection",
            "riluzole",
            "NIV",
            "death adjudication pending review",
            "PEG",
        ] {
            assert_eq!(endpoint_of(l), None, "{l}");
        }
    }
}
