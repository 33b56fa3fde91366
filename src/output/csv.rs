//! The CSV outputs: one row per patient and measure (`to_csv`), and the group summaries,
//! responder counts and tests as a second CSV (`summaries_csv`); text cells guarded against
//! spreadsheet formulas (`safe_cell`).

use super::staging;
use crate::analysis::{Analysis, PatientResult};
use crate::data::Measure;
use crate::format::csv_number;

/// Neutralise spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is prefixed with `'` so that no spreadsheet runs it as a formula.
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}',
        ) => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// CSV, one row per patient and measure.
pub fn to_csv(a: &Analysis) -> String {
    let mut out = Vec::new();
    // Writing into a vector cannot fail; the cells are UTF-8.
    let _ = write_csv(a, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_csv`] written to `w` row by row (the command line's output, without the whole text in
/// memory).
pub fn write_csv<W: std::io::Write>(a: &Analysis, w: W) -> std::io::Result<()> {
    let max_periods = a
        .patients
        .iter()
        .map(|p| p.periods.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = [
        "id",
        "group",
        "measure",
        "n_visits",
        "delta_fs",
        "rate_unit",
        "course_rate",
        "course_rate_se",
        "course_rate_ci_low",
        "course_rate_ci_high",
        "pre_rate",
        "pre_source",
        "post_rate",
        "change",
        "improvement_pct",
        "improvement_unreliable",
        "responder",
        "lost_data",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in 0..max_periods {
        header.push(format!("period{i}_rate"));
        header.push(format!("period{i}_n_visits"));
    }
    for i in 1..max_periods {
        header.push(format!("period{i}_improvement_pct"));
    }
    header.push("notes".into());
    header.push("warnings".into());
    header.extend(staging::PATIENT_COLUMNS.map(String::from));
    let mut w = csv::WriterBuilder::new().from_writer(w);
    w.write_record(&header)?;
    for p in &a.patients {
        w.write_record(patient_row(p, max_periods))?;
    }
    w.flush()
}

fn patient_row(p: &PatientResult, max_periods: usize) -> Vec<String> {
    let mut row = vec![
        safe_cell(&p.id),
        safe_cell(&p.group),
        p.measure.name().to_string(),
        p.n_visits.to_string(),
        csv_number(p.delta_fs),
        p.measure.rate_unit().to_string(),
        csv_number(p.course_rate),
        csv_number(p.course_rate_se),
        csv_number(p.course_rate_ci_low),
        csv_number(p.course_rate_ci_high),
        csv_number(p.pre_rate),
        p.pre_source
            .map_or("", crate::settings::PreSource::as_str)
            .to_string(),
        csv_number(p.post_rate),
        csv_number(p.change),
        csv_number(p.improvement_pct),
        if p.improvement_unreliable { "yes" } else { "" }.to_string(),
        p.responder
            .map(|r| if r { "yes" } else { "no" }.to_string())
            .unwrap_or_default(),
        if p.lost_data { "yes" } else { "" }.to_string(),
    ];
    for i in 0..max_periods {
        let pd = p.periods.get(i);
        row.push(csv_number(pd.and_then(|x| x.rate)));
        row.push(pd.map(|x| x.n_visits.to_string()).unwrap_or_default());
    }
    for i in 1..max_periods {
        row.push(csv_number(
            p.period_improvement_pct.get(i - 1).copied().flatten(),
        ));
    }
    row.push(safe_cell(&p.notes.join("; ")));
    row.push(safe_cell(&p.warnings.join("; ")));
    row.extend(staging::patient_cells(p));
    row
}

/// The group summaries, responder counts and tests of every analysed measure as one CSV (the
/// page's second CSV export, beside [`to_csv`]'s per-patient rows): one row each, `table` says
/// which (`summary`, `responders`, `test`), `unit` the unit of that row's values (rates per
/// month in the measure's unit, % improvement in %; a Spearman test's ρ has none). Numbers as
/// in [`to_csv`] (`csv_number`); group names guarded against formulas (`safe_cell`).
pub fn summaries_csv(a: &Analysis) -> String {
    use crate::analysis::{SummaryVariable, TestKind, TestVariable};
    let rate_unit = |m: Measure| format!("{} per month", m.unit());
    let unit = |m: Measure, v: SummaryVariable| match v {
        SummaryVariable::ImprovementPct => "%".to_string(),
        _ => rate_unit(m),
    };
    let header = [
        "table",
        "measure",
        "group",
        "variable",
        "unit",
        "n",
        "mean",
        "sd",
        "median",
        "q1",
        "q3",
        "responders",
        "proportion",
        "threshold_pct",
        "threshold_abs",
        "test",
        "method",
        "statistic",
        "p_value",
        "estimate",
        "note",
    ];
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(header);
    let blank = |row: &mut Vec<String>, n: usize| row.resize(row.len() + n, String::new());
    let width = header.len();
    for s in &a.summaries {
        let mut row = vec![
            "summary".to_string(),
            s.measure.name().to_string(),
            safe_cell(&s.group),
            s.variable.name().to_string(),
            unit(s.measure, s.variable),
            s.n.to_string(),
        ];
        row.extend([s.mean, s.sd, s.median, s.q1, s.q3].map(csv_number));
        let n = width - row.len();
        blank(&mut row, n);
        let _ = w.write_record(&row);
    }
    for r in &a.responders {
        let mut row = vec![
            "responders".to_string(),
            r.measure.name().to_string(),
            safe_cell(&r.group),
            "improvement_pct".to_string(),
            "%".to_string(),
            r.n_evaluable.to_string(),
        ];
        blank(&mut row, 5);
        row.extend([
            r.responders.to_string(),
            csv_number(r.proportion),
            csv_number(Some(r.threshold_pct)),
            csv_number(r.threshold_abs),
        ]);
        let n = width - row.len();
        blank(&mut row, n);
        let _ = w.write_record(&row);
    }
    for t in &a.tests {
        // What the estimate is in: a difference of rates (t-tests) or ρ (Spearman, no unit).
        let unit = match (t.kind, t.variable) {
            (TestKind::Spearman, _) => String::new(),
            (_, TestVariable::ImprovementVsInterval) => "%".to_string(),
            _ => rate_unit(t.measure),
        };
        let mut row = vec![
            "test".to_string(),
            t.measure.name().to_string(),
            safe_cell(&t.group),
            t.variable.name().to_string(),
            unit,
            t.n.to_string(),
        ];
        blank(&mut row, 9);
        row.extend([
            t.kind.name().to_string(),
            safe_cell(&t.method),
            csv_number(t.statistic),
            csv_number(t.p_value),
            csv_number(t.estimate),
            safe_cell(t.note.as_deref().unwrap_or_default()),
        ]);
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod summaries_csv_tests {
    use super::*;

    /// Every summary, responder count and test of every measure is a row, with its unit; the rows
    /// have the header's width.
    #[test]
    fn every_summary_and_test_of_every_measure() {
        for design in crate::synth::Design::ALL {
            let text = crate::synth::example_text(design.name()).unwrap();
            let a = crate::pipeline::run(&text, &Default::default()).unwrap();
            let csv = summaries_csv(&a);
            let mut r = csv::Reader::from_reader(csv.as_bytes());
            let header = r.headers().unwrap().clone();
            let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
            let count = |t: &str| rows.iter().filter(|x| &x[0] == t).count();
            assert_eq!(count("summary"), a.summaries.len(), "{design:?}");
            assert_eq!(count("responders"), a.responders.len(), "{design:?}");
            assert_eq!(count("test"), a.tests.len(), "{design:?}");
            assert!(rows.iter().all(|x| x.len() == header.len()));
            let measures: std::collections::BTreeSet<&str> = rows.iter().map(|x| &x[1]).collect();
            assert_eq!(
                measures.len(),
                a.measures.len(),
                "{design:?}: every measure"
            );
            for x in rows.iter().filter(|x| &x[0] == "summary") {
                let m = Measure::from_name(&x[1]).unwrap();
                let want = if &x[3] == "improvement_pct" {
                    "%".to_string()
                } else {
                    format!("{} per month", m.unit())
                };
                assert_eq!(&x[4], want, "{design:?}");
            }
            // a test's p-value is the analysis' (full precision, rounded to 10 decimals)
            let t = &a.tests[0];
            let row = rows.iter().find(|x| &x[0] == "test").unwrap();
            assert_eq!(&row[18], csv_number(t.p_value));
        }
    }

    /// FVC rates are in % predicted per month, never points.
    #[test]
    fn fvc_rates_in_percent_predicted() {
        let text = crate::synth::example_text("two-arm").unwrap();
        let a = crate::pipeline::run(&text, &Default::default()).unwrap();
        let csv = summaries_csv(&a);
        assert!(
            csv.lines()
                .any(|l| l.starts_with("summary,fvc,") && l.contains("% predicted per month")),
            "{csv}"
        );
        assert!(!csv
            .lines()
            .any(|l| l.starts_with("summary,fvc,") && l.contains("points")));
    }
}
