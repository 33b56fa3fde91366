//! Plausibility checks on every paste (issue #23): warnings that name the lines, never a
//! change to the data. Each is a `DiagKind::Implausible` warning at the later line, naming the
//! earlier one in its message:
//!
//! - an ALSFRS-R total rising by at least `Settings::check_total_rise` points (default 4)
//!   between consecutive visits with a total;
//! - an item rising from 0 to 4 between consecutive visits that answered it (item 5 only in
//!   the same form: 5a and 5b are different scales);
//! - FVC % predicted changing by more than `Settings::check_fvc_jump` points (default 30)
//!   between consecutive visits with an FVC;
//! - an event (treatment, injection, endpoint row) after the death;
//! - an event before the onset of symptoms;
//! - onset after the diagnosis.
//!
//! Not here, because the parser reports them already: visits after death, death before onset or
//! before the first visit, the same visit date twice with different scores or items.

use crate::data::{Measure, Patient};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::input::InputInfo;
use crate::items::Item;
use crate::settings::Settings;

/// "line 12", or "line 12 of a.csv" in an input of several tables.
fn line_name(info: &InputInfo, line: usize) -> String {
    let (k, l) = info.locate(line);
    match info.tables.get(k) {
        Some(t) if info.tables.len() > 1 => match &t.name {
            Some(n) => format!("line {l} of {n}"),
            None => format!("line {l} of table {}", k + 1),
        },
        _ => format!("line {l}"),
    }
}

/// The plausibility warnings of one patient.
pub fn check_patient(p: &Patient, info: &InputInfo, s: &Settings, out: &mut Vec<Diagnostic>) {
    let id = &*p.id;
    let warn = |line: usize, msg: String| {
        Diagnostic::new(Severity::Warning, DiagKind::Implausible, msg)
            .at(line)
            .patient(id)
    };
    // Consecutive visits with a score of measure m (no list made: every paste is checked).
    let pairs = |m: Measure| {
        let mut with = p
            .visits
            .iter()
            .filter_map(move |v| v.scores.get(m.index()).map(|x| (v.line as usize, x)));
        let mut prev = with.next();
        with.map(move |b| {
            let a = prev.replace(b);
            (a.unwrap_or(b), b)
        })
    };
    let rise = s.check_total_rise;
    if rise.is_finite() && rise > 0.0 {
        for ((l0, a), (l1, b)) in pairs(Measure::AlsfrsR) {
            if b - a >= rise {
                out.push(warn(
                    l1,
                    format!(
                        "the ALSFRS-R total of patient {id} rises by {} points, from {a} ({}) to {b} here (a rise of {rise} or more is implausible in ALS); check the scores",
                        b - a,
                        line_name(info, l0)
                    ),
                ));
            }
        }
    }
    let jump = s.check_fvc_jump;
    if jump.is_finite() && jump >= 0.0 {
        for ((l0, a), (l1, b)) in pairs(Measure::Fvc) {
            if (b - a).abs() > jump {
                out.push(warn(
                    l1,
                    format!(
                        "the FVC of patient {id} changes by {} points, from {a} ({}) to {b} here (more than {jump}); check the values",
                        b - a,
                        line_name(info, l0)
                    ),
                ));
            }
        }
    }
    // The items, when any visit has them.
    let items = p.visits.iter().any(|v| v.items.is_some());
    for item in Item::ALL.into_iter().filter(|_| items) {
        let with: Vec<_> = p
            .visits
            .iter()
            .filter_map(|v| {
                let it = v.items()?;
                let form = (item == Item::Q5).then(|| it.q5.map(|(f, _)| f)).flatten();
                it.get(item).map(|x| (v.line as usize, x, form))
            })
            .collect();
        for w in with.windows(2) {
            let ((l0, a, f0), (l1, b, f1)) = (w[0], w[1]);
            if a == 0 && b == 4 && f0 == f1 {
                out.push(warn(
                    l1,
                    format!(
                        "{item} of patient {id} rises from 0 ({}) to 4 here; check the scores",
                        line_name(info, l0)
                    ),
                ));
            }
        }
    }
    let death = p.clinical.as_ref().and_then(|c| c.death);
    for e in &p.events {
        if let Some(d) = death.filter(|d| e.day > d.day) {
            out.push(warn(
                e.line,
                format!(
                    "event \"{}\" of patient {id} is after the death ({}); check the dates",
                    e.label,
                    line_name(info, d.line)
                ),
            ));
        }
        if p.onset.is_some_and(|o| e.day < o) {
            out.push(warn(
                e.line,
                format!(
                    "event \"{}\" of patient {id} is before the onset of symptoms; check the dates",
                    e.label
                ),
            ));
        }
    }
    if let (Some(o), Some(dx)) = (p.onset, p.clinical.as_ref().and_then(|c| c.diagnosis)) {
        if o > dx.day {
            out.push(warn(
                dx.line,
                format!(
                    "the onset of symptoms of patient {id} is after the diagnosis here; check the dates"
                ),
            ));
        }
    }
}
