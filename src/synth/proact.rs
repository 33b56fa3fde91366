//! A synthetic cohort shaped like a PRO-ACT extract: the tables `ALSFRS.csv`, `FVC.csv`,
//! `AlsHistory.csv`, `Treatment.csv`, `DeathData.csv` and `Demographics.csv` with PRO-ACT's
//! headers, joined on `subject_id`; times are days from enrolment (`*_Delta`), onset and
//! diagnosis negative. Most patients are scored on the ALSFRS-R (items 1–9, R1–R3), some on the
//! original ALSFRS (item 10 respiratory); some answer item 5b (gastrostomy) from a visit on;
//! about a third die during follow-up. For the benchmarks and `synth --design proact`.

use super::Rng;
use std::fmt::Write;

/// The cohort's tables as (file name, CSV text), in the order `analyze` would be given them.
pub fn proact_tables(patients: usize, seed: u64) -> Vec<(&'static str, String)> {
    let mut rng = Rng(seed ^ 0x9E0A_C700);
    let mut alsfrs = String::with_capacity(patients * 900);
    let mut fvc = String::with_capacity(patients * 500);
    let mut history = String::with_capacity(patients * 40);
    let mut treatment = String::with_capacity(patients * 30);
    let mut death = String::with_capacity(patients * 20);
    let mut demo = String::with_capacity(patients * 40);
    let note = format!(
        "# SYNTHETIC DATA, not real patients: als-progression synth --design proact --patients {patients} --seed {seed}\n"
    );
    for t in [
        &mut alsfrs,
        &mut fvc,
        &mut history,
        &mut treatment,
        &mut death,
        &mut demo,
    ] {
        t.push_str(&note);
    }
    alsfrs.push_str("subject_id,Q1_Speech,Q2_Salivation,Q3_Swallowing,Q4_Handwriting,Q5a_Cutting_without_Gastrostomy,Q5b_Cutting_with_Gastrostomy,Q6_Dressing_and_Hygiene,Q7_Turning_in_Bed,Q8_Walking,Q9_Climbing_Stairs,Q10_Respiratory,ALSFRS_Delta,ALSFRS_Total,ALSFRS_R_Total,R_1_Dyspnea,R_2_Orthopnea,R_3_Respiratory_Insufficiency,Mode_of_Administration,ALSFRS_Responded_By\n");
    fvc.push_str("subject_id,Subject_Liters_Trial_1,pct_of_Normal_Trial_1,Subject_Liters_Trial_2,pct_of_Normal_Trial_2,Subject_Liters_Trial_3,pct_of_Normal_Trial_3,Forced_Vital_Capacity_Delta,Forced_Vital_Capacity_Units\n");
    history.push_str("subject_id,Site_of_Onset,Onset_Delta,Diagnosis_Delta\n");
    treatment.push_str("subject_id,Study_Arm,Treatment_Group_Delta\n");
    death.push_str("subject_id,Subject_Died,Death_Days\n");
    demo.push_str("subject_id,Demographics_Delta,Age,Date_of_Birth,Sex\n");
    for i in 0..patients {
        let id = 100_000 + i;
        let revised = rng.unif() < 0.9;
        let n_visits = rng.int(4, 12) as usize;
        // Points lost per month, and the items that lose them (bulbar or limb first).
        let rate = (0.3 + 1.2 * rng.unif()).min(2.0);
        let bulbar = rng.unif() < 0.3;
        let mut q = [4i64; 12];
        let lost0 = rng.int(2, 10);
        let lose = |q: &mut [i64; 12], n: i64, rng: &mut Rng| {
            for _ in 0..n {
                let k = if bulbar && rng.unif() < 0.6 {
                    rng.int(0, 2)
                } else {
                    rng.int(0, 11)
                } as usize;
                if q[k] > 0 {
                    q[k] -= 1;
                }
            }
        };
        lose(&mut q, lost0, &mut rng);
        let gastro_from = if rng.unif() < 0.2 {
            rng.int(1, n_visits as i64) as usize
        } else {
            usize::MAX
        };
        let mut day = 0i64;
        let mut owed = 0.0;
        for v in 0..n_visits {
            if v > 0 {
                let gap = rng.int(28, 100);
                day += gap;
                owed += rate * gap as f64 / super::MD;
                let n = owed.floor();
                owed -= n;
                lose(&mut q, n as i64, &mut rng);
            }
            let g = v >= gastro_from;
            let q5 = q[4];
            let (a5, b5) = if g {
                (String::new(), q5.to_string())
            } else {
                (q5.to_string(), String::new())
            };
            let first9: i64 = q[..9].iter().sum();
            if revised {
                let total = first9 + q[9] + q[10] + q[11];
                let _ = writeln!(
                    alsfrs,
                    "{id},{},{},{},{},{a5},{b5},{},{},{},{},,{day},,{total},{},{},{},Paper,Patient",
                    q[0], q[1], q[2], q[3], q[5], q[6], q[7], q[8], q[9], q[10], q[11]
                );
            } else {
                let resp = q[9].min(q[11]);
                let total = first9 + resp;
                let _ = writeln!(
                    alsfrs,
                    "{id},{},{},{},{},{a5},{b5},{},{},{},{},{resp},{day},{total},,,,,Phone,Caregiver",
                    q[0], q[1], q[2], q[3], q[5], q[6], q[7], q[8]
                );
            }
            if v % 2 == 0 || rng.unif() < 0.5 {
                let pct = (100.0 - 3.0 * (48 - q.iter().sum::<i64>()) as f64 + 8.0 * rng.normal())
                    .round()
                    .clamp(15.0, 130.0);
                let t2 = (pct + rng.range(-4.0, 4.0)).round();
                let _ = writeln!(
                    fvc,
                    "{id},{:.2},{pct},{:.2},{t2},,,{day},L",
                    pct * 0.042,
                    t2 * 0.042
                );
            }
        }
        let onset = -rng.int(120, 900);
        let diagnosis = onset + rng.int(60, (-onset).max(61));
        let site = if bulbar {
            "Onset: Bulbar"
        } else {
            "Onset: Limb"
        };
        let _ = writeln!(history, "{id},{site},{onset},{diagnosis}");
        let arm = if i % 2 == 0 { "Active" } else { "Placebo" };
        let _ = writeln!(treatment, "{id},{arm},0");
        if rng.unif() < 0.33 {
            let _ = writeln!(death, "{id},Yes,{}", day + rng.int(10, 200));
        } else {
            let _ = writeln!(death, "{id},No,");
        }
        let age = rng.int(35, 80);
        let sex = if rng.unif() < 0.6 { "Male" } else { "Female" };
        let _ = writeln!(
            demo,
            "{id},0,{age},{},{sex}",
            -(age * 365 + rng.int(0, 364))
        );
    }
    vec![
        ("ALSFRS.csv", alsfrs),
        ("AlsHistory.csv", history),
        ("Treatment.csv", treatment),
        ("DeathData.csv", death),
        ("FVC.csv", fvc),
        ("Demographics.csv", demo),
    ]
}
