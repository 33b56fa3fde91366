//! Issue #23 in the outputs: the stages of every visit as CSV (`stages_csv`), and the text
//! report's section on stages, ΔFS classes and the TRICALS risk profile (`text`). The patient
//! CSV's columns `delta_fs_class`, `tricals_lp`, `tricals_eligible`, `tricals_missing`, the
//! latest stages (`latest_kings`, `latest_kings_reason`, `latest_mitos`, `latest_mitos_reason`,
//! `latest_stage_t`) and `death_t` are written by `to_csv` from [`patient_cells`].

use super::safe_cell;
use crate::analysis::{Analysis, PatientResult, StagingSystem};
use crate::data::Measure;
use crate::format::{csv_number, number};
use std::fmt::Write;

/// The patient CSV's header cells of the ΔFS class, the risk profile, the latest stages and the
/// death.
pub const PATIENT_COLUMNS: [&str; 10] = [
    "delta_fs_class",
    "tricals_lp",
    "tricals_eligible",
    "tricals_missing",
    "latest_kings",
    "latest_kings_reason",
    "latest_mitos",
    "latest_mitos_reason",
    "latest_stage_t",
    "death_t",
];

/// A patient row's cells under [`PATIENT_COLUMNS`] (missing inputs joined by spaces).
pub fn patient_cells(p: &PatientResult) -> [String; 10] {
    let s = p.staging();
    [
        s.delta_fs_class.map(|c| c.to_string()).unwrap_or_default(),
        csv_number(s.tricals_lp),
        s.tricals_eligible
            .map(|e| if e { "yes" } else { "no" }.to_string())
            .unwrap_or_default(),
        s.tricals_missing
            .as_ref()
            .map(|m| {
                m.iter()
                    .map(|i| input_name(*i))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
        s.latest_kings.map(|k| k.to_string()).unwrap_or_default(),
        s.latest_kings_reason
            .as_deref()
            .unwrap_or_default()
            .to_string(),
        s.latest_mitos.map(|m| m.to_string()).unwrap_or_default(),
        s.latest_mitos_reason
            .as_deref()
            .unwrap_or_default()
            .to_string(),
        csv_number(s.latest_stage_t),
        csv_number(s.death_t),
    ]
}

/// The JSON name of an input (`fvc_percent`).
fn input_name(i: crate::staging::tricals::TricalsInput) -> String {
    serde_json::to_value(i)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One row per visit with items: `id,date,t,kings,kings_reason,mitos,mitos_reason` (the JSON's
/// `stages`; empty stage = undetermined, the reason says on which items it depends).
pub fn stages_csv(a: &Analysis) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "date",
        "t",
        "kings",
        "kings_reason",
        "mitos",
        "mitos_reason",
    ]);
    for s in &a.stages {
        let _ = w.write_record([
            safe_cell(&s.id),
            s.date.map(|d| d.iso()).unwrap_or_default(),
            csv_number(Some(s.t)),
            s.kings.map(|k| k.to_string()).unwrap_or_default(),
            s.kings_reason.clone(),
            s.mitos.map(|m| m.to_string()).unwrap_or_default(),
            s.mitos_reason.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The text report's section: per patient the King's and MiToS stages visit by visit, the ΔFS
/// class and the risk profile; per group the ΔFS class counts. Empty when there is nothing of
/// these (no items, no onset, no baseline columns).
pub fn text(a: &Analysis) -> String {
    let mut o = String::new();
    // One entry per patient: the first measure's (the class and profile are the same on each).
    let m0 = a.measures.first().copied().unwrap_or(Measure::AlsfrsR);
    // (a plain table's million patients have none of these: no list of them is made)
    let any_class = a
        .patients
        .iter()
        .any(|p| p.measure == m0 && p.staging().delta_fs_class.is_some());
    let any_profile = a.patients.iter().any(|p| {
        let s = p.staging();
        p.measure == m0 && (s.tricals_lp.is_some() || s.tricals_missing.is_some())
    });
    if a.stages.is_empty() && !any_class && !any_profile {
        return o;
    }
    let firsts: Vec<&PatientResult> = a.patients.iter().filter(|p| p.measure == m0).collect();
    let _ = writeln!(
        o,
        "\n== Stages (King's, MiToS), ΔFS class, TRICALS risk profile =="
    );
    let _ = writeln!(
        o,
        "ΔFS cut-offs: slow < {}, fast > {} points/month; TRICALS eligibility window {} to {} \
         (research and trial screening, not individual prognosis)",
        a.settings.delta_fs_cutoffs.slow_below(),
        a.settings.delta_fs_cutoffs.fast_above(),
        a.settings.tricals_window.lower(),
        a.settings.tricals_window.upper()
    );
    for p in &firsts {
        let st = p.staging();
        let seq = |sys: StagingSystem| {
            a.stages
                .iter()
                .filter(|s| s.id == p.id)
                .map(|s| match sys {
                    StagingSystem::Kings => s.kings.map_or("?".into(), |k| k.to_string()),
                    StagingSystem::Mitos => s.mitos.map_or("?".into(), |k| k.to_string()),
                })
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let k = seq(StagingSystem::Kings);
        let mut line = format!("{:<14}", p.id.chars().take(14).collect::<String>());
        if !k.is_empty() {
            line += &format!(" King's {k}; MiToS {};", seq(StagingSystem::Mitos));
        }
        // The latest stages when they are the death's (the sequences are of the visits).
        if let (Some(t), Some(d)) = (st.latest_stage_t, st.death_t) {
            if t == d {
                line += &format!(
                    " King's and MiToS 5 (death) at month {};",
                    number(Some(d), 1)
                );
            }
        }
        line += &format!(
            " ΔFS class {}",
            st.delta_fs_class.map_or("–".into(), |c| c.to_string())
        );
        if let Some(lp) = st.tricals_lp {
            line += &format!(
                "; TRICALS LP {}{}",
                number(Some(lp), 3),
                if st.tricals_eligible == Some(true) {
                    " (in window)"
                } else {
                    " (outside window)"
                }
            );
        } else if let Some(m) = &st.tricals_missing {
            let names: Vec<String> = m.iter().map(|i| i.to_string()).collect();
            line += &format!("; no TRICALS LP (missing {})", names.join(", "));
        }
        let _ = writeln!(o, "{line}");
    }
    for g in &a.groups {
        let count = |c: &str| {
            firsts
                .iter()
                .filter(|p| *p.group == **g)
                .filter(|p| {
                    p.staging()
                        .delta_fs_class
                        .map_or("unclassified".into(), |x| x.to_string())
                        == c
                })
                .count()
        };
        let _ = writeln!(
            o,
            "{g}: ΔFS classes slow {}, intermediate {}, fast {}, unclassified {}",
            count("slow"),
            count("intermediate"),
            count("fast"),
            count("unclassified")
        );
    }
    o
}
