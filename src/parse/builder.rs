//! The patient builder: rows gathered per patient (in order of first appearance), then sorted,
//! same-day visits merged, events deduplicated, and conflicting values reported.

use crate::data::{Dataset, Event, Patient, TimeAxis, Visit, ALL_MEASURES};
use crate::diag::{DiagKind, Diagnostic, Severity};

/// Accumulates one patient's rows.
#[derive(Default)]
pub(crate) struct PatientBuilder {
    pub id: crate::data::Name,
    pub group: Option<crate::data::Name>,
    pub onset: Option<(f64, usize)>,
    pub events: Vec<Event>,
    pub visits: Vec<Visit>,
    pub line: usize,
}

/// Patients in order of first appearance.
#[derive(Default)]
pub(crate) struct Builder {
    pub index: rustc_hash::FxHashMap<crate::data::Name, usize>,
    pub patients: Vec<PatientBuilder>,
}

impl Builder {
    /// The patient's index, added (first seen on `line`) when new.
    pub fn index_of(&mut self, id: &str, line: usize) -> usize {
        // Rows of one patient usually come together: check the last patient before hashing.
        if let Some(last) = self.patients.len().checked_sub(1) {
            if *self.patients[last].id == *id {
                return last;
            }
        }
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let n = self.patients.len();
        let id: crate::data::Name = id.into();
        self.index.insert(id.clone(), n);
        self.patients.push(PatientBuilder {
            id,
            line,
            ..Default::default()
        });
        n
    }

    /// Patient `i`'s group: the first non-empty one; a different one later is reported.
    pub fn set_group(
        &mut self,
        i: usize,
        line: usize,
        group: &str,
        col: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        if group.is_empty() {
            return;
        }
        let p = &mut self.patients[i];
        match &p.group {
            None => p.group = Some(group.into()),
            Some(g) if **g == *group => {}
            Some(g) => diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::ConflictingValue,
                    format!("patient {} is in group \"{g}\" on an earlier row; \"{group}\" here is ignored", p.id),
                )
                .at(line)
                .col(col)
                .patient(&*p.id),
            ),
        }
    }

    /// Patient `i`'s onset day: the first one; a different one later is reported.
    pub fn set_onset(
        &mut self,
        i: usize,
        line: usize,
        onset: f64,
        col: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let p = &mut self.patients[i];
        match p.onset {
            None => p.onset = Some((onset, line)),
            Some((o, _)) if (o - onset).abs() < 1e-9 => {}
            Some((_, l)) => diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::ConflictingValue,
                    format!(
                        "patient {} has a different onset on line {l}; this one is ignored",
                        p.id
                    ),
                )
                .at(line)
                .col(col)
                .patient(&*p.id),
            ),
        }
    }

    /// Sort, merge same-day visits and events, report conflicts; the dataset.
    pub fn finish(self, time_axis: TimeAxis, diags: &mut Vec<Diagnostic>) -> Dataset {
        let mut patients = Vec::with_capacity(self.patients.len());
        let mut present = [false; 8];
        for mut p in self.patients {
            let before = |a: &Visit, b: &Visit| a.day.total_cmp(&b.day).then(a.line.cmp(&b.line));
            if !p.visits.is_sorted_by(|a, b| before(a, b).is_le()) {
                crate::sort::sort_by(&mut p.visits, before);
            }
            // Same-day visits are merged (into a new list); the usual case has none.
            let mut visits = if p.visits.windows(2).any(|w| w[0].day == w[1].day) {
                merge_same_day(&p.id, p.visits, diags)
            } else {
                p.visits
            };
            visits.retain(|v| !v.scores.is_empty());
            for v in &visits {
                for (m, _) in v.scores.iter() {
                    present[m.index()] = true;
                }
            }
            crate::sort::sort_by(&mut p.events, |a, b| a.day.total_cmp(&b.day));
            p.events.dedup_by(|b, a| a.day == b.day);
            patients.push(Patient {
                id: p.id,
                group: p.group.unwrap_or_else(|| crate::data::DEFAULT_GROUP.into()),
                onset: p.onset.map(|o| o.0),
                events: p.events,
                visits,
                line: p.line,
                clinical: None,
            });
        }
        let measures = ALL_MEASURES
            .iter()
            .copied()
            .filter(|m| present[m.index()])
            .collect();
        Dataset {
            patients,
            time_axis,
            measures,
        }
    }
}

/// Sorted visits with same-day ones merged: a score missing on the first is taken from the
/// next; different scores are reported (the first kept), and so is a repeat of the same values.
fn merge_same_day(id: &str, sorted: Vec<Visit>, diags: &mut Vec<Diagnostic>) -> Vec<Visit> {
    let mut visits: Vec<Visit> = Vec::with_capacity(sorted.len());
    let p_id = id;
    {
        for v in sorted {
            match visits.last_mut() {
                Some(last) if last.day == v.day => {
                    let before = last.scores;
                    for m in ALL_MEASURES {
                        let i = m.index();
                        match (last.scores.get(i), v.scores.get(i)) {
                                (Some(a), Some(b)) if a != b => diags.push(
                                    Diagnostic::new(
                                        Severity::Error,
                                        DiagKind::ConflictingValue,
                                        format!(
                                            "duplicate visit of patient {} on the date of line {} with a different {} ({b} here, {a} there); this value is skipped",
                                            p_id, last.line, m.name()
                                        ),
                                    )
                                    .at(v.line as usize)
                                    .col(m.name())
                                    .patient(p_id),
                                ),
                                (None, Some(b)) => last.scores.set(i, b),
                                _ => {}
                            }
                    }
                    if v.scores == before && !v.scores.is_empty() {
                        diags.push(
                            Diagnostic::new(
                                Severity::Warning,
                                DiagKind::DuplicateVisit,
                                format!(
                                    "visit repeats line {} with the same values; counted once",
                                    last.line
                                ),
                            )
                            .at(v.line as usize)
                            .patient(p_id),
                        );
                    }
                }
                _ => visits.push(v),
            }
        }
    }
    visits
}
