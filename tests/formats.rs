//! Real ALS data formats (issue #21): one fixture per export layout in tests/data/formats/, with
//! the headers exactly as the exports write them and small synthetic values. The expected
//! visits, rates and ΔFS come from R (tests/r/formats_reference.R → tests/data/formats/
//! expected.csv, each value with the R call that produced it); the silently-wrong cases of the
//! issue's table are each checked to give the right numbers or a clear message.

use als_progression::analysis::Analysis;
use als_progression::data::{ElEscorial, Measure, SiteOfOnset};
use als_progression::diag::{DiagKind, Severity};
use als_progression::input::{Parsed, TableUse};
use als_progression::pipeline;
use als_progression::settings::Settings;
use std::collections::BTreeMap;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_als-progression");

fn path(name: &str) -> String {
    format!("{}/tests/data/formats/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(path(name)).unwrap()
}

fn settings() -> Settings {
    Settings {
        mixed_models: false,
        d50: false,
        ..Default::default()
    }
}

const PROACT: [&str; 6] = [
    "ALSFRS.csv",
    "AlsHistory.csv",
    "Treatment.csv",
    "DeathData.csv",
    "FVC.csv",
    "Demographics.csv",
];

/// The fixture's parsed data and analysis.
fn load(fixture: &str) -> (Parsed, Analysis) {
    let s = settings();
    let parsed = match fixture {
        "proact" => {
            let texts: Vec<(String, String)> = PROACT
                .iter()
                .map(|f| (f.to_string(), read(&format!("proact/{f}"))))
                .collect();
            let named: Vec<(&str, &str)> = texts
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            pipeline::parse_tables(&named, &s).unwrap()
        }
        "proact-older" => pipeline::parse(&read("proact-older-ALSFRS.csv"), &s).unwrap(),
        "clinic" => pipeline::parse(&read("clinic.tsv"), &s).unwrap(),
        f => pipeline::parse(&read(&format!("{f}.csv")), &s).unwrap(),
    };
    let a = pipeline::analyze(&parsed, &s);
    (parsed, a)
}

struct Expected {
    fixture: String,
    id: String,
    measure: String,
    variable: String,
    value: String,
    call: String,
}

fn expected() -> Vec<Expected> {
    let mut r = csv::Reader::from_path(path("expected.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            Expected {
                fixture: rec[0].into(),
                id: rec[1].into(),
                measure: rec[2].into(),
                variable: rec[3].into(),
                value: rec[4].into(),
                call: rec[5].into(),
            }
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn nums(s: &str) -> Vec<f64> {
    s.split(',').map(|x| x.parse().unwrap()).collect()
}

/// Every value R computed for every fixture: the visits (days and scores) as parsed, the
/// whole-course rate of natural-history patients, ΔFS, pre- and post-rates, death and onset days.
#[test]
fn every_layout_gives_what_r_computes() {
    let exp = expected();
    let mut cache: BTreeMap<String, (Parsed, Analysis)> = BTreeMap::new();
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for e in &exp {
        let (parsed, a) = cache
            .entry(e.fixture.clone())
            .or_insert_with(|| load(&e.fixture));
        let patient = parsed
            .dataset
            .patients
            .iter()
            .find(|p| *p.id == *e.id)
            .unwrap_or_else(|| panic!("{}: no patient {}", e.fixture, e.id));
        let m = Measure::from_name(&e.measure);
        let result = m.and_then(|m| a.patients.iter().find(|r| *r.id == *e.id && r.measure == m));
        let want: Option<f64> = e.value.parse().ok();
        let got: Option<f64> = match e.variable.as_str() {
            "days" | "values" => {
                let m = m.unwrap();
                let (days, values): (Vec<f64>, Vec<f64>) = patient
                    .visits
                    .iter()
                    .filter_map(|v| v.scores.get(m.index()).map(|s| (v.day, s)))
                    .unzip();
                let got = if e.variable == "days" { days } else { values };
                if got != nums(&e.value) {
                    failures.push(format!(
                        "{} {} {}: {} {:?}, R {}",
                        e.fixture, e.id, e.measure, e.variable, got, e.value
                    ));
                }
                *checked.entry("visits").or_default() += 1;
                continue;
            }
            // The whole course: natural history has one period.
            "course_rate" => match result {
                Some(r) if r.periods.len() == 1 => r.periods[0].rate,
                _ => continue,
            },
            "delta_fs" => result.and_then(|r| r.delta_fs),
            "pre_rate" => result.and_then(|r| r.pre_rate),
            "post_rate" => result.and_then(|r| r.post_rate),
            "death_day" => patient
                .clinical
                .as_ref()
                .and_then(|c| c.death)
                .map(|d| d.day),
            "onset_day" => patient.onset,
            v => panic!("unknown variable {v}"),
        };
        *checked.entry("values").or_default() += 1;
        let ok = match (got, want) {
            (Some(g), Some(w)) => close(g, w),
            (None, None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{} {} {} {}: got {got:?}, R {:?} ({})",
                e.fixture, e.id, e.measure, e.variable, e.value, e.call
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every fixture was read and most values are numbers (a test that cannot fail is none).
    let fixtures: std::collections::BTreeSet<&str> =
        exp.iter().map(|e| e.fixture.as_str()).collect();
    assert_eq!(fixtures.len(), 15, "{fixtures:?}");
    assert!(
        checked["visits"] >= 70 && checked["values"] >= 60,
        "{checked:?}"
    );
}

fn diag<'a>(a: &'a Analysis, kind: DiagKind, line: Option<usize>) -> Vec<&'a str> {
    a.diagnostics
        .iter()
        .filter(|d| d.kind == kind && (line.is_none() || d.line == line))
        .map(|d| d.message.as_str())
        .collect()
}

/// PRO-ACT's five tables (and Demographics) joined on `subject_id`: original-scale rows give
/// ALSFRS 0–40, revised rows ALSFRS-R; item 5 is 5a or 5b, whichever is answered (a patient fed by
/// gastrostomy from baseline keeps every total), and 5b marks the gastrostomy per visit; deltas
/// share the enrolment origin (onset negative); death and the baseline covariates are kept.
#[test]
fn pro_act_tables_are_joined() {
    let (parsed, a) = load("proact");
    let ds = &parsed.dataset;
    assert_eq!(ds.patients.len(), 4);
    let p = |id: &str| ds.patients.iter().find(|p| &*p.id == id).unwrap();
    // 203: 5b from baseline; 204: 5a then 5b.
    let gastro = |id: &str| -> Vec<Option<bool>> {
        p(id)
            .visits
            .iter()
            .filter(|v| v.scores.get(Measure::AlsfrsR.index()).is_some())
            .map(|v| v.items().and_then(|i| i.gastrostomy()))
            .collect()
    };
    assert_eq!(gastro("203"), [Some(true); 5]);
    assert_eq!(
        gastro("204"),
        [Some(false), Some(false), Some(true), Some(true), Some(true)]
    );
    assert_eq!(gastro("201"), [Some(false); 5]);
    // 202: the original scale, no ALSFRS-R.
    assert!(p("202")
        .visits
        .iter()
        .all(|v| v.scores.get(Measure::AlsfrsR.index()).is_none()));
    assert_eq!(ds.measures[..2], [Measure::AlsfrsR, Measure::Alsfrs]);
    // Groups from Treatment.csv; the treatment start is an event at day 0, death is not one.
    assert_eq!(&*p("201").group, "Active");
    assert_eq!(&*p("202").group, "Placebo");
    for id in ["201", "202", "203", "204"] {
        let ev: Vec<(f64, &str)> = p(id).events.iter().map(|e| (e.day, &*e.label)).collect();
        assert_eq!(ev, [(0.0, "Treatment_Group_Delta")], "{id}");
    }
    let c = |id: &str| p(id).clinical.as_deref().unwrap().clone();
    assert_eq!(c("201").died, Some(true));
    assert_eq!(c("202").died, Some(false));
    assert_eq!(c("202").death, None);
    assert_eq!(c("201").site_of_onset, Some(SiteOfOnset::Spinal));
    assert_eq!(c("202").site_of_onset, Some(SiteOfOnset::Bulbar));
    assert_eq!(c("203").site_of_onset, Some(SiteOfOnset::Other));
    assert_eq!(c("201").diagnosis.map(|d| d.day), Some(-120.0));
    assert_eq!(c("201").age, Some(61.0));
    assert_eq!(c("201").birth.map(|d| d.day), Some(-22300.0));
    // The death row's line is DeathData.csv's line 2.
    let death = c("201").death.unwrap();
    assert_eq!(parsed.info.locate(death.line), (3, 2));
    assert_eq!(parsed.info.tables[3].name.as_deref(), Some("DeathData.csv"));
    // Tables: two with visits, the others with patient facts.
    let used: Vec<TableUse> = parsed.info.tables.iter().map(|t| t.used).collect();
    assert_eq!(
        used,
        [
            TableUse::Visits,
            TableUse::Patients,
            TableUse::Patients,
            TableUse::Patients,
            TableUse::Visits,
            TableUse::Patients
        ]
    );
    // Litres are named, never analysed; diagnostics name their file and its line.
    let litres = a
        .diagnostics
        .iter()
        .find(|d| d.message.contains("FVC in litres"))
        .unwrap();
    assert_eq!(
        (litres.file.as_deref(), litres.line),
        (Some("FVC.csv"), Some(1))
    );
    assert!(a
        .diagnostics
        .iter()
        .all(|d| d.line.is_none() || d.file.is_some()));
    // No error: everything is read.
    assert!(
        a.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:#?}",
        a.diagnostics
    );
}

/// The CLI's `analyze` with the five PRO-ACT files gives what the pipeline gives.
#[test]
fn cli_joins_the_files_it_is_given() {
    let files: Vec<String> = PROACT
        .iter()
        .map(|f| path(&format!("proact/{f}")))
        .collect();
    let o = Command::new(BIN)
        .arg("analyze")
        .args(&files)
        .args(["--no-mixed-models", "--no-d50", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let (_, a) = load("proact");
    let cli: serde_json::Value =
        serde_json::from_str(&als_progression::output::to_json(&a)).unwrap();
    assert_eq!(v["patients"], cli["patients"]);
    assert_eq!(v["input"]["tables"].as_array().unwrap().len(), 6);
}

/// Exit status 1 when no patient could be analysed (the output is still written), 2 when the
/// input cannot be read at all.
#[test]
fn cli_exit_status_when_nothing_is_analysed() {
    let dir = std::env::temp_dir().join(format!("als-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Every date is implausible: no visit, no patient analysed.
    let f = dir.join("none.csv");
    std::fs::write(&f, "id,date,alsfrs_r\nP1,0000-01-01,40\nP1,9999-12-31,38\n").unwrap();
    let o = Command::new(BIN)
        .args(["analyze"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["patients"].as_array().unwrap().len(), 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no patient could be analysed"));
    let kinds: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "implausible_date").count(),
        2,
        "{kinds:?}"
    );
    let f = dir.join("bad.csv");
    std::fs::write(&f, "a,b\n1,2\n").unwrap();
    let o = Command::new(BIN)
        .args(["analyze"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("no patient could be analysed"));
    std::fs::remove_dir_all(&dir).ok();
}

/// A long REDCap file with items `alsfrs_1` … `alsfrs_12` is long, not wide (it was read as a
/// wide file of totals at months 1–12, every slope ≈ −0.014/month); the label export's answers
/// (`4 - Normal`) are scored by their code.
#[test]
fn redcap_items_never_make_a_file_wide() {
    for f in ["redcap", "redcap-labels"] {
        let (parsed, a) = load(f);
        assert_eq!(parsed.info.layout, "long", "{f}");
        assert!(parsed.dataset.patients.iter().all(|p| p
            .visits
            .iter()
            .all(|v| v.items().is_some_and(|i| i.total().is_some()))));
        assert!(
            a.diagnostics.iter().all(|d| d.severity != Severity::Error),
            "{f}: {:#?}",
            a.diagnostics
        );
    }
}

/// `alsfrs_total` with totals above 40 is ALSFRS-R, and says so; `FVC` holding litres is not
/// analysed as % predicted, and says so.
#[test]
fn scales_the_values_contradict_are_reported() {
    let (parsed, a) = load("alsfrs-total-r");
    assert_eq!(parsed.dataset.measures, [Measure::AlsfrsR]);
    let w = diag(&a, DiagKind::ColumnRole, Some(1));
    assert!(
        w[0].contains("holds totals above 40") && w[0].contains("ALSFRS-R (0–48)"),
        "{w:?}"
    );
    let (parsed, a) = load("fvc-litres");
    assert_eq!(parsed.dataset.measures, [Measure::AlsfrsR]);
    let w = diag(&a, DiagKind::ColumnRole, Some(1));
    assert!(
        w.iter()
            .any(|m| m.contains("litres rather than % predicted")
                && m.contains("--column \"FVC\"=fvc")),
        "{w:?}"
    );
}

/// A clinic spreadsheet saved as text: a title row, a two-row header (`FVC` over `(% pred.)` and
/// over `(L)`), dd-Mon-yyyy visit dates, a dd/mm/yy onset, missing-value codes (`NR`, `ND`, 999,
/// −99) listed once each, and notes after the data.
#[test]
fn clinic_spreadsheet_text() {
    let (parsed, a) = load("clinic");
    let t = &parsed.info.tables[0];
    assert_eq!((t.header_row, t.header_rows), (3, 2));
    assert_eq!(parsed.info.date_format.as_deref(), Some("dd-Mon-yyyy"));
    let roles: Vec<(&str, &str)> = parsed
        .info
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.role.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("Patient ID", "patient"),
            ("Visit Date", "date"),
            ("ALSFRS-R Total", "alsfrs_r"),
            ("FVC (% pred.)", "fvc"),
            ("FVC (L)", "fvc_litres"),
            ("Onset (dd/mm/yy)", "onset")
        ]
    );
    assert_eq!(diag(&a, DiagKind::MissingCode, None).len(), 4);
    assert_eq!(diag(&a, DiagKind::Layout, Some(14)).len(), 1, "the notes");
    assert_eq!(
        diag(&a, DiagKind::Layout, Some(3)).len(),
        2,
        "title row and two-row header"
    );
    assert!(
        a.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:#?}",
        a.diagnostics
    );
}

/// Death, tracheostomy and PAV as event rows or columns are endpoints, never treatment events:
/// a visit after death, a death before onset or before the first visit, and two different death
/// dates are each reported on their line; nothing else is lost.
#[test]
fn endpoints_are_kept_and_checked() {
    let (parsed, a) = load("endpoints");
    let ds = &parsed.dataset;
    let p = |id: &str| ds.patients.iter().find(|p| &*p.id == id).unwrap();
    for id in ["E1", "E2", "E3", "E4"] {
        let labels: Vec<&str> = p(id).events.iter().map(|e| &*e.label).collect();
        assert_eq!(labels, ["riluzole"], "{id}");
    }
    let day = |s: &str| {
        let (y, rest) = s.split_at(4);
        let (m, d) = rest[1..].split_at(2);
        als_progression::data::date::days_from_civil(
            y.parse().unwrap(),
            m.parse().unwrap(),
            d[1..].parse().unwrap(),
        )
        .unwrap() as f64
    };
    let c = |id: &str| p(id).clinical.as_deref().cloned().unwrap();
    assert_eq!(c("E2").ventilation.map(|d| d.day), Some(day("2019-08-05")));
    assert_eq!(c("E2").ventilation.map(|d| d.line), Some(10));
    // E2's PAV row has a score: a visit; its visit after death is kept.
    assert_eq!(p("E2").visits.len(), 5);
    assert_eq!(
        diag(&a, DiagKind::Endpoint, Some(11)).len(),
        1,
        "visit after death"
    );
    assert!(diag(&a, DiagKind::Endpoint, Some(14))[0].contains("different death date"));
    let e4 = diag(&a, DiagKind::Endpoint, Some(15));
    assert_eq!(e4.len(), 2, "{e4:?}");
    assert!(
        e4.iter().any(|m| m.contains("before the onset"))
            && e4.iter().any(|m| m.contains("before the first visit"))
    );
    assert_eq!(
        diag(&a, DiagKind::Endpoint, Some(1)).len(),
        1,
        "event rows taken as endpoints"
    );
    assert!(
        a.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:#?}",
        a.diagnostics
    );
}

/// A workbook's sheets (what the XLSX reader gives, as marked text): the cover sheet is not
/// read, the data sheet is; the `sheet` setting chooses one; `header_row` names the header line.
#[test]
fn sheets_and_header_rows() {
    let book = "#table: Cover\nALS clinic export\nPrepared by the clinic\n\
                #table: Data\nExport of 2014\n\nid\tdate\talsfrs_r\nP1\t2014-01-02\t40\nP1\t2014-04-02\t38\n\
                #table: Lists\nsites\nbulbar\nspinal\n";
    let parsed = pipeline::parse(book, &settings()).unwrap();
    let used: Vec<(Option<&str>, TableUse)> = parsed
        .info
        .tables
        .iter()
        .map(|t| (t.name.as_deref(), t.used))
        .collect();
    assert_eq!(
        used,
        [
            (Some("Cover"), TableUse::Skipped),
            (Some("Data"), TableUse::Visits),
            (Some("Lists"), TableUse::Skipped)
        ]
    );
    assert_eq!(parsed.info.tables[1].header_row, 3);
    assert_eq!(parsed.dataset.patients[0].visits.len(), 2);
    // Its visits' lines are the sheet's rows: line 4 of "Data" is line 8 of the text.
    assert_eq!(
        parsed
            .info
            .locate(parsed.dataset.patients[0].visits[0].line as usize),
        (1, 4)
    );
    let only = Settings {
        sheet: Some("data".into()),
        header_row: Some(3),
        ..settings()
    };
    let parsed = pipeline::parse(book, &only).unwrap();
    assert_eq!(parsed.info.tables[0].used, TableUse::Skipped);
    assert_eq!(
        parsed.info.tables[0].note.as_deref(),
        Some("not the chosen sheet")
    );
    assert_eq!(parsed.dataset.patients[0].visits.len(), 2);
}

/// When recognition fails, the message names the likely columns and the exact mapping.
#[test]
fn failing_recognition_names_the_mapping() {
    let e = pipeline::parse(
        "Pt,Visit on,Score\nA,2020-01-01,40\nA,2020-03-01,38\nB,2020-01-05,35\n",
        &settings(),
    )
    .unwrap_err();
    for want in [
        "--column \"Visit on\"=date",
        "--column \"Score\"=alsfrs_r",
        "--column \"Pt\"=patient",
    ] {
        assert!(e.message.contains(want), "{want}: {}", e.message);
    }
}

/// Two columns claiming one role: a diagnostic naming both and the mapping, never a silent pick.
#[test]
fn two_columns_of_one_role_are_reported() {
    let (_, a) = (
        (),
        pipeline::run(
            "id,date,FVC,FVC % predicted,alsfrs_r\nA,2020-01-01,80,81,40\nA,2020-03-01,78,79,38\n",
            &settings(),
        )
        .unwrap(),
    );
    let w = diag(&a, DiagKind::ColumnRole, Some(1));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("\"FVC\" and \"FVC % predicted\"")
            && w[0].contains("--column \"FVC\"=ignore --column \"FVC % predicted\"=fvc"),
        "{}",
        w[0]
    );
}

/// LORIS: the total named ALSFRS is ALSFRS-R (values above 40), the gastrostomy column gives
/// item 5's form; the baseline facts of a clinic export are kept.
#[test]
fn loris_gastrostomy_column_and_facts() {
    let (parsed, _) = load("loris");
    let p = &parsed.dataset.patients[0];
    let forms: Vec<Option<bool>> = p
        .visits
        .iter()
        .map(|v| v.items().and_then(|i| i.gastrostomy()))
        .collect();
    assert_eq!(forms, [Some(false), Some(false), Some(true), Some(true)]);
    let t = "id,date,alsfrs_r,El Escorial,FTD,C9orf72,age_at_onset,bulbar_onset\n\
             A,2020-01-01,40,Clinically probable - laboratory supported,no,positive,57,yes\n\
             A,2020-03-01,38,,,,,\n";
    let parsed = pipeline::parse(t, &settings()).unwrap();
    let c = parsed.dataset.patients[0].clinical.as_deref().unwrap();
    assert_eq!(c.el_escorial, Some(ElEscorial::ProbableLaboratorySupported));
    assert_eq!(
        (c.ftd, c.c9orf72, c.age_at_onset),
        (Some(false), Some(true), Some(57.0))
    );
    assert_eq!(c.site_of_onset, Some(SiteOfOnset::Bulbar));
}

/// A workbook with a cover sheet before the data sheet (tests/data/formats/clinic.xlsx, made
/// with tests/e2e/xlsx-fixture.mjs's makeWorkbook): the data sheet is read, below its title
/// row, with its two-row header; `--sheet` and `--header-row` choose.
#[test]
fn cli_reads_the_data_sheet_of_a_workbook() {
    let run = |extra: &[&str]| {
        let o = Command::new(BIN)
            .arg("analyze")
            .arg(path("clinic.xlsx"))
            .args(["--no-mixed-models", "--no-d50"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let v = run(&[]);
    let t = &v["input"]["tables"];
    assert_eq!(
        (t[0]["name"].as_str(), t[0]["used"].as_str()),
        (Some("Cover"), Some("skipped"))
    );
    assert_eq!(
        (t[1]["name"].as_str(), t[1]["used"].as_str()),
        (Some("Data"), Some("visits"))
    );
    assert_eq!(
        (t[1]["header_row"].as_u64(), t[1]["header_rows"].as_u64()),
        (Some(3), Some(2))
    );
    let ids: std::collections::BTreeSet<&str> = v["patients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["C01", "C02"]);
    // The diagnostics name the sheet.
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["file"] == "Data" && d["line"] == 3));
    let v = run(&["--sheet", "Data", "--header-row", "3"]);
    assert_eq!(v["input"]["tables"][0]["note"], "not the chosen sheet");
    assert_eq!(
        v["patients"].as_array().unwrap().len(),
        4,
        "2 patients × ALSFRS-R and FVC"
    );
}
