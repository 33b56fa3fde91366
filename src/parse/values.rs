//! Cells that are not scores: yes/no answers, sites of onset, El Escorial categories, item
//! scores written as REDCap answer labels (`4 - Normal speech processes`), and visit names that
//! tell a time (`Baseline`, `Month 3`, REDCap `month_3_arm_1`).

use crate::data::{ElEscorial, SiteOfOnset};

/// The leading code of a REDCap label export's answer (`4 - Normal speech processes`,
/// `1, Yes`, `0=No`): the number before a separator and a word. None for anything else.
pub(crate) fn label_code(s: &str) -> Option<f64> {
    let s = s.trim();
    let end = s.bytes().take_while(u8::is_ascii_digit).count();
    if end == 0 || end > 3 {
        return None;
    }
    let rest = s[end..].trim_start();
    let rest = rest
        .strip_prefix(['-', ':', '=', ')', '.', ','])
        .or_else(|| rest.strip_prefix('–'))?
        .trim_start();
    rest.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic())
        .then(|| s[..end].parse().ok())?
}

/// Yes/no in the ways exports write it (`yes`, `y`, `true`, `1`, `positive`, `present`,
/// `expanded`, `dead`; `no`, `n`, `false`, `0`, `negative`, `absent`, `normal`, `alive`), with
/// REDCap labels (`1, Yes`). None for anything else.
pub(crate) fn yes_no(s: &str) -> Option<bool> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.trim_end_matches('.');
    match t {
        "yes" | "y" | "true" | "t" | "1" | "positive" | "pos" | "+" | "present" | "detected"
        | "expanded" | "expansion" | "repeat expansion" | "carrier" | "affected" | "dead"
        | "died" | "deceased" | "ja" | "oui" | "si" => Some(true),
        "no" | "n" | "false" | "f" | "0" | "negative" | "neg" | "absent" | "not detected"
        | "normal" | "wild type" | "wildtype" | "wt" | "non-carrier" | "noncarrier"
        | "not expanded" | "unaffected" | "alive" | "living" | "nein" | "non" => Some(false),
        _ => match label_code(t) {
            Some(v) if v == 1.0 => Some(true),
            Some(v) if v == 0.0 => Some(false),
            _ => None,
        },
    }
}

/// A site of onset (see [`SiteOfOnset`]); PRO-ACT writes `Onset: Limb`, `Onset: Bulbar`,
/// `Onset: Limb and Bulbar`.
pub(crate) fn site_of_onset(s: &str) -> Option<SiteOfOnset> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix("onset:").unwrap_or(&t).trim();
    let has = |w: &str| t.contains(w);
    let spinal = [
        "limb",
        "spinal",
        "spine",
        "arm",
        "leg",
        "cervical",
        "thoracic",
        "lumbar",
        "lumbosacral",
        "trunk",
        "truncal",
        "axial",
        "hand",
        "foot",
        "upper",
        "lower",
    ]
    .iter()
    .any(|w| has(w));
    if has("bulbar") {
        return Some(if spinal || has(" and ") || has("+") || has("/") {
            SiteOfOnset::Other
        } else {
            SiteOfOnset::Bulbar
        });
    }
    if has("respir") || has("breath") {
        return Some(SiteOfOnset::Respiratory);
    }
    if spinal {
        return Some(SiteOfOnset::Spinal);
    }
    if has("other") || has("general") || has("mixed") || has("cognitive") || has("both") {
        return Some(SiteOfOnset::Other);
    }
    None
}

/// An El Escorial category: `definite`, `clinically probable`, `probable laboratory-supported`
/// (`lab supported`), `possible`, `suspected`.
pub(crate) fn el_escorial(s: &str) -> Option<ElEscorial> {
    let t = s.trim().to_ascii_lowercase();
    let has = |w: &str| t.contains(w);
    if has("lab") {
        return Some(ElEscorial::ProbableLaboratorySupported);
    }
    if has("definite") {
        return Some(ElEscorial::Definite);
    }
    if has("probable") {
        return Some(ElEscorial::Probable);
    }
    if has("possible") {
        return Some(ElEscorial::Possible);
    }
    if has("suspect") {
        return Some(ElEscorial::Suspected);
    }
    None
}

/// The time a visit name tells, in months after baseline: `Baseline`, `Screening`, `Enrolment`
/// → 0; `Month 3`, `M3`, `3 months`, `month_3_arm_1` → 3; `Week 12` → 12/(365.25/12/7)… as
/// days: the result is (value, days per unit): (3, month) or (12, 7) or (30, 1).
pub(crate) enum VisitTime {
    Baseline,
    Months(f64),
    Weeks(f64),
    Days(f64),
}

/// See [`VisitTime`]. None when the name tells no time (`V2`, `Follow-up`).
pub(crate) fn visit_time(s: &str) -> Option<VisitTime> {
    let t = s.trim().to_ascii_lowercase();
    // REDCap: `month_3_arm_1` → `month_3`
    let t = match t.find("_arm_") {
        Some(i) => &t[..i],
        None => t.as_str(),
    };
    let words: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .flat_map(split_alpha_digits)
        .collect();
    if words.is_empty() {
        return None;
    }
    if [
        "baseline",
        "screening",
        "enrolment",
        "enrollment",
        "bl",
        "randomisation",
        "randomization",
        "day0",
    ]
    .contains(&words[0])
        && words.len() == 1
    {
        return Some(VisitTime::Baseline);
    }
    let number = words.iter().find_map(|w| w.parse::<f64>().ok())?;
    let unit = words.iter().find(|w| w.parse::<f64>().is_err())?;
    match *unit {
        "month" | "months" | "m" | "mo" | "mon" => Some(VisitTime::Months(number)),
        "week" | "weeks" | "w" | "wk" | "wks" => Some(VisitTime::Weeks(number)),
        "day" | "days" | "d" => Some(VisitTime::Days(number)),
        _ => None,
    }
}

/// `m3` → [`m`, `3`]; `month12` → [`month`, `12`].
fn split_alpha_digits(w: &str) -> Vec<&str> {
    match w.find(|c: char| c.is_ascii_digit()) {
        Some(i) if i > 0 && w[i..].bytes().all(|c| c.is_ascii_digit() || c == b'.') => {
            vec![&w[..i], &w[i..]]
        }
        _ => vec![w],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_yes_no_sites_categories() {
        assert_eq!(label_code("4 - Normal speech processes"), Some(4.0));
        assert_eq!(label_code("0=No"), Some(0.0));
        assert_eq!(label_code("3, Moderate"), Some(3.0));
        assert_eq!(label_code("4.5"), None);
        assert_eq!(label_code("4"), None);
        for (s, v) in [
            ("Yes", true),
            ("no", false),
            ("1, Yes", true),
            ("Positive", true),
            ("wild type", false),
            ("Dead", true),
        ] {
            assert_eq!(yes_no(s), Some(v), "{s}");
        }
        assert_eq!(yes_no("maybe"), None);
        assert_eq!(yes_no("2"), None);
        for (s, v) in [
            ("Onset: Bulbar", SiteOfOnset::Bulbar),
            ("Onset: Limb", SiteOfOnset::Spinal),
            ("Onset: Limb and Bulbar", SiteOfOnset::Other),
            ("spinal", SiteOfOnset::Spinal),
            ("Respiratory", SiteOfOnset::Respiratory),
            ("lower limb", SiteOfOnset::Spinal),
            ("Other", SiteOfOnset::Other),
        ] {
            assert_eq!(site_of_onset(s), Some(v), "{s}");
        }
        assert_eq!(site_of_onset("1"), None);
        for (s, v) in [
            ("Definite", ElEscorial::Definite),
            ("clinically probable", ElEscorial::Probable),
            (
                "Probable laboratory-supported",
                ElEscorial::ProbableLaboratorySupported,
            ),
            ("possible", ElEscorial::Possible),
            ("Suspected", ElEscorial::Suspected),
        ] {
            assert_eq!(el_escorial(s), Some(v), "{s}");
        }
    }

    #[test]
    fn visit_names() {
        let months = |s: &str| match visit_time(s) {
            Some(VisitTime::Months(m)) => Some(m),
            Some(VisitTime::Baseline) => Some(0.0),
            _ => None,
        };
        assert_eq!(months("Baseline"), Some(0.0));
        assert_eq!(months("baseline_arm_1"), Some(0.0));
        assert_eq!(months("Month 3"), Some(3.0));
        assert_eq!(months("month_6_arm_1"), Some(6.0));
        assert_eq!(months("M12"), Some(12.0));
        assert_eq!(months("3 months"), Some(3.0));
        assert!(matches!(visit_time("Week 12"), Some(VisitTime::Weeks(w)) if w == 12.0));
        assert!(matches!(visit_time("day_30_arm_1"), Some(VisitTime::Days(d)) if d == 30.0));
        assert!(visit_time("V2").is_none());
        assert!(visit_time("Follow-up").is_none());
    }
}
