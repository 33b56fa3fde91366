//! Periods in words, as people name them: "before treatment", "after injection 1", "after
//! injection 2"; for a control's index date "before the index date" / "after the index date";
//! "whole course" for a patient without events. The one naming for warnings, notes, the page's
//! table and explain panel and the charts' captions (`Period::name`, or [`period_name`]).

use std::borrow::Cow;

const AFTER_INJECTION: [&str; 9] = [
    "after injection 1",
    "after injection 2",
    "after injection 3",
    "after injection 4",
    "after injection 5",
    "after injection 6",
    "after injection 7",
    "after injection 8",
    "after injection 9",
];

/// The label contains "index" in any case (without a lowercased copy: called for every period).
fn is_index(label: &str) -> bool {
    label
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"index"))
}

/// The name of period `index` (0 = before the first event) of a patient whose events have the
/// labels `labels`, in order. After an event: "after {label} {k}" with k its number among the
/// patient's events of that label ("after injection 2"), or "after {label}" when the label ends
/// in a digit ("after MSC2"); an event labelled as an index date (its label contains "index")
/// gives "after the index date", and as the first event "before the index date" for period 0
/// (else "before treatment"). An empty label is "event".
pub fn period_name(index: usize, labels: &[&str]) -> Cow<'static, str> {
    if labels.is_empty() {
        return "whole course".into();
    }
    if index == 0 {
        return if is_index(labels[0]) {
            "before the index date".into()
        } else {
            "before treatment".into()
        };
    }
    let Some(&label) = labels.get(index - 1) else {
        return "after the last event".into();
    };
    let label = label.trim();
    if is_index(label) {
        return "after the index date".into();
    }
    let k = labels[..index]
        .iter()
        .filter(|l| l.trim().eq_ignore_ascii_case(label))
        .count();
    if label == "injection" && k <= AFTER_INJECTION.len() {
        return AFTER_INJECTION[k - 1].into();
    }
    let label = if label.is_empty() { "event" } else { label };
    let mut s = String::with_capacity(label.len() + 12);
    s.push_str("after ");
    s.push_str(label);
    if !label.ends_with(|c: char| c.is_ascii_digit()) {
        s.push(' ');
        s.push_str(&k.to_string());
    }
    s.into()
}

#[cfg(test)]
mod tests {
    use super::period_name as name;

    #[test]
    fn periods_are_named_in_words() {
        let inj = ["injection", "injection"];
        assert_eq!(name(0, &inj), "before treatment");
        assert_eq!(name(1, &inj), "after injection 1");
        assert_eq!(name(2, &inj), "after injection 2");
        assert_eq!(name(0, &["index date"]), "before the index date");
        assert_eq!(name(1, &["Index"]), "after the index date");
        assert_eq!(name(1, &["MSC1", "MSC2"]), "after MSC1");
        assert_eq!(name(2, &["MSC1", "MSC2"]), "after MSC2");
        assert_eq!(name(2, &["infusion", "Infusion"]), "after Infusion 2");
        assert_eq!(name(1, &[""]), "after event 1");
        assert_eq!(name(0, &[]), "whole course");
        for k in 1..=12 {
            let labels = vec!["injection"; 12];
            assert_eq!(name(k, &labels), format!("after injection {k}"));
        }
    }

    /// "index" in any ASCII case, anywhere, as a lowercased copy would find it.
    #[test]
    fn index_labels_in_any_case() {
        for l in [
            "index",
            "INDEX date",
            "the IndeX",
            "Índex",
            "indéx",
            "inde",
            "",
            "xindexx",
            "ınDex",
        ] {
            assert_eq!(
                super::is_index(l),
                l.to_ascii_lowercase().contains("index"),
                "{l}"
            );
        }
    }
}
