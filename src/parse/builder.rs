//! The patient builder: rows of every table gathered per patient (in order of first appearance;
//! tables are joined on the patient id), then sorted, same-day visits merged, events
//! deduplicated, conflicting values reported, and the endpoints checked against the visits.

use super::columns::Fact;
use crate::data::{
    Clinical, Dataset, Dated, ElEscorial, Event, Patient, SiteOfOnset, TimeAxis, Visit,
    ALL_MEASURES,
};
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
    pub clinical: Option<Box<Clinical>>,
}

/// A value of a patient fact, as read from a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FactValue {
    Day(f64),
    Flag(bool),
    Number(f64),
    Site(SiteOfOnset),
    Escorial(ElEscorial),
}

/// Patients in order of first appearance.
#[derive(Default)]
pub(crate) struct Builder {
    pub index: rustc_hash::FxHashMap<crate::data::Name, usize>,
    pub patients: Vec<PatientBuilder>,
    /// The tables' names and line offsets, when the input has several (for messages that name
    /// another line).
    pub tables: Vec<(String, usize)>,
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
        let here = self.tables.len() > 1;
        let p = &mut self.patients[i];
        match p.onset {
            None => p.onset = Some((onset, line)),
            Some((o, _)) if (o - onset).abs() < 1e-9 => {}
            Some((_, l)) => {
                let at = if here {
                    where_is(&self.tables, l)
                } else {
                    format!("line {l}")
                };
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        DiagKind::ConflictingValue,
                        format!(
                            "patient {} has a different onset on {at}; this one is ignored",
                            p.id
                        ),
                    )
                    .at(line)
                    .col(col)
                    .patient(&*p.id),
                )
            }
        }
    }

    /// A fact of patient `i`: the first value; a different one later is reported (two different
    /// death dates as an endpoint diagnostic).
    pub fn set_fact(
        &mut self,
        i: usize,
        line: usize,
        fact: Fact,
        value: FactValue,
        col: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let tables = &self.tables;
        let p = &mut self.patients[i];
        let c = p.clinical.get_or_insert_with(Default::default);
        let day = |v: FactValue| match v {
            FactValue::Day(d) => Some(Dated { day: d, line }),
            _ => None,
        };
        // (slot, new value): a conflict is reported with the earlier line.
        let mut conflict: Option<(String, Option<usize>)> = None;
        let mut dated = |slot: &mut Option<Dated>, what: &str| {
            if let Some(new) = day(value) {
                match slot {
                    None => *slot = Some(new),
                    Some(old) if (old.day - new.day).abs() < 1e-9 => {}
                    Some(old) => conflict = Some((what.to_string(), Some(old.line))),
                }
            }
        };
        match (fact, value) {
            (Fact::Death, _) | (Fact::Died, FactValue::Day(_)) => {
                dated(&mut c.death, "death date");
                if conflict.is_none() {
                    if c.died == Some(false) {
                        conflict = Some(("vital status (alive)".into(), None));
                    }
                    c.died = Some(true);
                }
            }
            (Fact::Died, FactValue::Flag(f)) => match c.died {
                None => c.died = Some(f),
                Some(d) if d == f => {}
                Some(_) => conflict = Some(("vital status".into(), None)),
            },
            (Fact::Tracheostomy, _) => dated(&mut c.tracheostomy, "tracheostomy date"),
            (Fact::Ventilation, _) => dated(&mut c.ventilation, "permanent ventilation date"),
            (Fact::GastrostomyDate, _) => dated(&mut c.gastrostomy, "gastrostomy date"),
            (Fact::LastContact, _) => dated(&mut c.last_contact, "last contact"),
            (Fact::Diagnosis, _) => dated(&mut c.diagnosis, "diagnosis date"),
            (Fact::Birth, _) => dated(&mut c.birth, "birth date"),
            (Fact::AgeAtOnset, FactValue::Number(v)) => {
                set_once(&mut c.age_at_onset, v, "age at onset", &mut conflict)
            }
            (Fact::Age, FactValue::Number(v)) => set_once(&mut c.age, v, "age", &mut conflict),
            (Fact::SiteOfOnset | Fact::BulbarOnset, FactValue::Site(s)) => {
                set_once(&mut c.site_of_onset, s, "site of onset", &mut conflict)
            }
            (Fact::ElEscorial, FactValue::Escorial(e)) => {
                set_once(&mut c.el_escorial, e, "El Escorial category", &mut conflict)
            }
            (Fact::Ftd, FactValue::Flag(f)) => set_once(&mut c.ftd, f, "FTD", &mut conflict),
            (Fact::C9orf72, FactValue::Flag(f)) => {
                set_once(&mut c.c9orf72, f, "C9orf72", &mut conflict)
            }
            _ => {}
        }
        if let Some((what, earlier)) = conflict {
            let kind = if fact == Fact::Death || fact == Fact::Died {
                DiagKind::Endpoint
            } else {
                DiagKind::ConflictingValue
            };
            let at = earlier.map_or_else(|| "an earlier row".to_string(), |l| where_is(tables, l));
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    kind,
                    format!(
                        "patient {} has a different {what} on {at}; this one is ignored",
                        p.id
                    ),
                )
                .at(line)
                .col(col)
                .patient(&*p.id),
            );
        }
    }

    /// Sort, merge same-day visits and events, report conflicts and endpoints that contradict
    /// the visits; the dataset.
    pub fn finish(self, time_axis: TimeAxis, diags: &mut Vec<Diagnostic>) -> Dataset {
        let mut present = [false; 8];
        let tables = self.tables;
        // The index is not needed any more: its memory back before the patients are made.
        drop(self.index);
        // One name shared by every patient without a group, not a copy each.
        let default_group: crate::data::Name = crate::data::DEFAULT_GROUP.into();
        // Collected in place: each patient is written over its builder (a patient is no larger),
        // so a million patients do not need both lists at once.
        let patients: Vec<Patient> = self
            .patients
            .into_iter()
            .map(|mut p| {
                let before =
                    |a: &Visit, b: &Visit| a.day.total_cmp(&b.day).then(a.line.cmp(&b.line));
                if !p.visits.is_sorted_by(|a, b| before(a, b).is_le()) {
                    crate::sort::sort_by(&mut p.visits, before);
                }
                // Same-day visits are merged (into a new list); the usual case has none.
                let mut visits = if p.visits.windows(2).any(|w| w[0].day == w[1].day) {
                    merge_same_day(&p.id, p.visits, &tables, diags)
                } else {
                    p.visits
                };
                visits.retain(|v| !v.scores.is_empty() || v.items.is_some());
                for v in &visits {
                    for (m, _) in v.scores.iter() {
                        present[m.index()] = true;
                    }
                }
                crate::sort::sort_by(&mut p.events, |a, b| a.day.total_cmp(&b.day));
                p.events.dedup_by(|b, a| a.day == b.day);
                let clinical = p.clinical.filter(|c| !c.is_empty());
                if let Some(c) = &clinical {
                    check_endpoints(&p.id, c, p.onset, &visits, &tables, diags);
                }
                Patient {
                    id: p.id,
                    group: p.group.unwrap_or_else(|| default_group.clone()),
                    onset: p.onset.map(|o| o.0),
                    events: p.events,
                    visits,
                    line: p.line,
                    clinical,
                }
            })
            .collect();
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

fn set_once<T: PartialEq + Copy>(
    slot: &mut Option<T>,
    v: T,
    what: &str,
    conflict: &mut Option<(String, Option<usize>)>,
) {
    match slot {
        None => *slot = Some(v),
        Some(old) if *old == v => {}
        Some(_) => *conflict = Some((what.to_string(), None)),
    }
}

/// "line 4", or "line 4 of NAME" when there are several tables.
fn where_is(tables: &[(String, usize)], line: usize) -> String {
    if tables.len() < 2 {
        return format!("line {line}");
    }
    let k = tables.partition_point(|t| t.1 < line).saturating_sub(1);
    let (name, off) = &tables[k];
    format!("line {} of {name}", line - off.min(&line))
}

/// A death before onset or before the first visit, and visits after death: each reported
/// with its line; nothing is dropped.
fn check_endpoints(
    id: &str,
    c: &Clinical,
    onset: Option<(f64, usize)>,
    visits: &[Visit],
    tables: &[(String, usize)],
    diags: &mut Vec<Diagnostic>,
) {
    let Some(death) = c.death else { return };
    let d = |line: usize, msg: String| {
        Diagnostic::new(Severity::Warning, DiagKind::Endpoint, msg)
            .at(line)
            .patient(id)
    };
    if let Some((o, _)) = onset {
        if death.day < o {
            diags.push(d(
                death.line,
                format!("the death date of patient {id} is before the onset of symptoms; check the dates"),
            ));
        }
    }
    if let Some(first) = visits.first() {
        if death.day < first.day {
            diags.push(d(
                death.line,
                format!(
                    "the death date of patient {id} is before the first visit ({}); check the dates",
                    where_is(tables, first.line as usize)
                ),
            ));
            return;
        }
    }
    for v in visits.iter().filter(|v| v.day > death.day) {
        diags.push(d(
            v.line as usize,
            format!(
                "a visit of patient {id} after the death ({}): kept, but check the dates",
                where_is(tables, death.line)
            ),
        ));
    }
}

/// Sorted visits with same-day ones merged: a score missing on the first is taken from the
/// next; different scores are reported (the first kept), and so is a repeat of the same values.
fn merge_same_day(
    id: &str,
    sorted: Vec<Visit>,
    tables: &[(String, usize)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Visit> {
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
                                            "duplicate visit of patient {} on the date of {} with a different {} ({b} here, {a} there); this value is skipped",
                                            p_id, where_is(tables, last.line as usize), m.name()
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
                    match (last.items, v.items) {
                        (None, Some(b)) => last.items = Some(b),
                        (Some(a), Some(b)) if a != b => diags.push(
                            Diagnostic::new(
                                Severity::Error,
                                DiagKind::ConflictingValue,
                                format!(
                                    "duplicate visit of patient {p_id} on the date of {} with different ALSFRS-R items; this row's items are skipped",
                                    where_is(tables, last.line as usize)
                                ),
                            )
                            .at(v.line as usize)
                            .patient(p_id),
                        ),
                        _ => {}
                    }
                    if v.scores == before && !v.scores.is_empty() {
                        diags.push(
                            Diagnostic::new(
                                Severity::Warning,
                                DiagKind::DuplicateVisit,
                                format!(
                                    "visit repeats {} with the same values; counted once",
                                    where_is(tables, last.line as usize)
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
