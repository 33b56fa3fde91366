//! Command-line tool over the same core as the page.

use als_progression::data::Measure;
use als_progression::pipeline;
use als_progression::settings::{DateOrder, Layout, PreSource, Settings, TimeOrigin};
use als_progression::{output, synth};
use std::io::{Read, Write};
use std::process::ExitCode;

/// mimalloc: the analysis makes many small allocations per patient (benches/pipeline.rs uses
/// the same allocator, so that its figures are the CLI's).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
als-progression — ALS progression rates, slope changes after treatment, responders and group tests

USAGE:
  als-progression analyze FILE|- [FILE…] [--format json|csv|survival-csv|text] [SETTINGS]
                        (survival-csv: Kaplan–Meier curves, log-rank/Cox tests, CAFS, one row each)
  als-progression chart NAME FILE|- --out FILE.svg [--measure M] [--selected ID] [--width W] [--height H] [SETTINGS]
  als-progression synth --design lead-in|controls|repeated|two-arm|deaths|proact [--patients N] [--seed S] [--out FILE]
                        [--monthly-follow-up M]  (lead-in, controls: a visit every month for M months)
                        (proact: a PRO-ACT extract's six tables in one text, each after a #table: NAME line)
  als-progression synth --design template  (a CSV template of the columns the tool reads)

FILE is CSV, TSV or pasted spreadsheet text (long or wide layout), or .xlsx/.xls/.ods; - reads stdin.
Several FILEs are tables joined on the patient id (e.g. PRO-ACT: analyze ALSFRS.csv AlsHistory.csv
Treatment.csv DeathData.csv FVC.csv); diagnostics name the file and its line.
Chart NAME: trajectories, patient, slopegraph, waterfall, group_mean, interval, survival, cafs.
  survival: Kaplan–Meier curves with the numbers at risk; --endpoint death|death_or_ventilation,
  --ci-band for the 95% CI. cafs: CAFS scores per group.

EXIT STATUS (analyze):
  0  at least one patient was analysed
  1  the input was read but no patient could be analysed (the output says why)
  2  an error: the input could not be read or analysed at all, or a bad option

SETTINGS:
  --measure M              analyse only M (repeatable): alsfrs_r, alsfrs, fvc, aals, alsfrs_r_bulbar, …
  --month-days X           days per month (default 30.4375 = 365.25/12)
  --pre-source S           auto (default) | lead-in | onset
  --responder-pct X        responder: % improvement above X (default 25)
  --responder-abs X        and absolute improvement of at least X units/month
  --layout L               auto (default) | long | wide
  --date-order O           force dmy | mdy for slash dates (default: decide per column)
  --ambiguous-date-order O dmy (default) | mdy when a column cannot decide
  --time-origin O          first_event (default) | first_visit | onset
  --column HEADER=ROLE     override a column's role (e.g. --column \"Pt\"=patient, --column notes=ignore)
  --no-mixed-models        skip the linear mixed models
  --ml                     fit mixed models by ML instead of REML
  --no-d50                 skip the D50 fits
  --include-series         include every patient's visits in the JSON (for charts)
  --sheet NAME             of several tables (files, workbook sheets), read only NAME
  --header-row N           the header is on line N of the table (default: found by its names)
  --settings FILE.json     read settings from JSON (the `settings` object of a previous result)
";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `analyze`'s exit status: 1 when no patient could be analysed.
fn analysed_status(a: &als_progression::analysis::Analysis) -> ExitCode {
    if a.patients.is_empty() {
        eprintln!("no patient could be analysed (see the diagnostics)");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_enum<T: serde::de::DeserializeOwned>(flag: &str, v: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(v.to_string()))
        .map_err(|_| format!("{flag}: unknown value \"{v}\""))
}

fn num(flag: &str, v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{flag}: \"{v}\" is not a number"))
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("reading stdin: {e}"))?;
        return Ok(s);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("reading {path}: {e}"))?;
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".xlsx")
        || lower.ends_with(".xls")
        || lower.ends_with(".ods")
        || lower.ends_with(".xlsm")
    {
        return als_progression::parse::xlsx::xlsx_to_text(&bytes);
    }
    // Tolerate Latin-1 / Windows-1252 exports: invalid UTF-8 bytes are mapped one-to-one.
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    })
}

/// Apply one settings flag; Ok(false) when the flag is not a settings flag.
fn settings_flag(s: &mut Settings, flag: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
    let mut val = || -> Result<String, String> {
        p.value()
            .map_err(|e| e.to_string())?
            .into_string()
            .map_err(|_| format!("{flag}: not UTF-8"))
    };
    match flag {
        "measure" => {
            let v = val()?;
            let m = Measure::from_name(&v)
                .ok_or_else(|| format!("--measure: unknown measure \"{v}\""))?;
            s.measures.push(m);
        }
        "month-days" => {
            let v = num("--month-days", &val()?)?;
            if v <= 0.0 {
                return Err("--month-days must be positive".into());
            }
            s.month_days = v;
        }
        "pre-source" => s.pre_source = parse_enum::<PreSource>("--pre-source", &val()?)?,
        "responder-pct" => s.responder_pct = num("--responder-pct", &val()?)?,
        "responder-abs" => s.responder_abs = Some(num("--responder-abs", &val()?)?),
        "layout" => s.layout = parse_enum::<Layout>("--layout", &val()?)?,
        "date-order" => s.date_order = Some(parse_enum::<DateOrder>("--date-order", &val()?)?),
        "ambiguous-date-order" => {
            s.ambiguous_date_order = parse_enum::<DateOrder>("--ambiguous-date-order", &val()?)?
        }
        "time-origin" => s.time_origin = parse_enum::<TimeOrigin>("--time-origin", &val()?)?,
        "column" => {
            let v = val()?;
            let (h, r) = v.split_once('=').ok_or("--column takes HEADER=ROLE")?;
            s.columns.insert(h.to_string(), r.to_string());
        }
        "no-mixed-models" => s.mixed_models = false,
        "ml" => s.reml = false,
        "no-d50" => s.d50 = false,
        "include-series" => s.include_series = true,
        "sheet" => s.sheet = Some(val()?),
        "header-row" => {
            let v = val()?;
            let n: usize =
                v.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                    format!("--header-row: \"{v}\" is not a line number (1, 2, …)")
                })?;
            s.header_row = Some(n);
        }
        "settings" => {
            let path = val()?;
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
            *s = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn write_out(out: Option<&str>, text: &str) -> Result<(), String> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("writing {path}: {e}")),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    }
}

fn run() -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_env();
    let cmd = match p.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.into_string().map_err(|_| "bad command")?,
        Some(Long("help")) | Some(Short('h')) | None => {
            print!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(Long("version")) => {
            println!("als-progression {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
    };
    match cmd.as_str() {
        "analyze" | "analyse" => {
            let mut s = Settings::default();
            let (mut files, mut format, mut out) = (Vec::new(), "json".to_string(), None);
            while let Some(arg) = p.next().map_err(|e| e.to_string())? {
                match arg {
                    Value(v) => files.push(v.string().map_err(|e| e.to_string())?),
                    Short('f') | Long("format") => {
                        format = p
                            .value()
                            .map_err(|e| e.to_string())?
                            .string()
                            .map_err(|e| e.to_string())?
                    }
                    Short('o') | Long("out") => {
                        out = Some(
                            p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )
                    }
                    Long(flag) => {
                        let flag = flag.to_string();
                        if !settings_flag(&mut s, &flag, &mut p)? {
                            return Err(format!("unknown option --{flag}\n\n{USAGE}"));
                        }
                    }
                    other => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
                }
            }
            if files.is_empty() {
                return Err(format!("analyze needs FILE or -\n\n{USAGE}"));
            }
            let a = if let [file] = &files[..] {
                pipeline::run(&read_input(file)?, &s).map_err(|e| e.message)?
            } else {
                // Several files: tables joined on the patient id, each named by its file name.
                let texts = files
                    .iter()
                    .map(|f| read_input(f))
                    .collect::<Result<Vec<String>, String>>()?;
                let names: Vec<&str> = files
                    .iter()
                    .map(|f| {
                        std::path::Path::new(f)
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or(f)
                    })
                    .collect();
                let named: Vec<(&str, &str)> = names
                    .iter()
                    .zip(&texts)
                    .map(|(n, t)| (*n, t.as_str()))
                    .collect();
                pipeline::run_tables(&named, &s).map_err(|e| e.message)?
            };
            let body = match format.as_str() {
                "json" => output::to_json(&a) + "\n",
                "csv" => output::to_csv(&a),
                "survival-csv" => output::survival_csv(&a),
                "text" => output::to_text(&a),
                f => {
                    return Err(format!(
                        "--format: unknown format \"{f}\" (json, csv, survival-csv or text)"
                    ))
                }
            };
            write_out(out.as_deref(), &body)?;
            Ok(analysed_status(&a))
        }
        "chart" => {
            let mut s = Settings {
                include_series: true,
                ..Default::default()
            };
            let mut opts = als_progression::charts::ChartOptions::default();
            let (mut name, mut file, mut out) = (None, None, None);
            while let Some(arg) = p.next().map_err(|e| e.to_string())? {
                match arg {
                    Value(v) if name.is_none() => {
                        name = Some(v.string().map_err(|e| e.to_string())?)
                    }
                    Value(v) if file.is_none() => {
                        file = Some(v.string().map_err(|e| e.to_string())?)
                    }
                    Short('o') | Long("out") => {
                        out = Some(
                            p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )
                    }
                    Long("selected") => {
                        opts.selected = Some(
                            p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )
                    }
                    Long("width") => {
                        opts.width = num(
                            "--width",
                            &p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )? as u32
                    }
                    Long("height") => {
                        opts.height = num(
                            "--height",
                            &p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )? as u32
                    }
                    Long("measure") => {
                        let v = p
                            .value()
                            .map_err(|e| e.to_string())?
                            .string()
                            .map_err(|e| e.to_string())?;
                        let m = Measure::from_name(&v)
                            .ok_or_else(|| format!("--measure: unknown measure \"{v}\""))?;
                        opts.measure = Some(m);
                        s.measures.push(m);
                    }
                    Long("ci-band") => opts.ci_band = true,
                    Long("endpoint") => {
                        let v = p
                            .value()
                            .map_err(|e| e.to_string())?
                            .string()
                            .map_err(|e| e.to_string())?;
                        opts.endpoint = Some(match v.as_str() {
                            "death" => als_progression::analysis::Endpoint::Death,
                            "death_or_ventilation" => {
                                als_progression::analysis::Endpoint::DeathOrVentilation
                            }
                            _ => {
                                return Err(format!(
                                    "--endpoint: unknown endpoint \"{v}\" (death, death_or_ventilation)"
                                ))
                            }
                        });
                    }
                    Long(flag) => {
                        let flag = flag.to_string();
                        if !settings_flag(&mut s, &flag, &mut p)? {
                            return Err(format!("unknown option --{flag}\n\n{USAGE}"));
                        }
                    }
                    other => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
                }
            }
            let name = name.ok_or(format!("chart needs NAME\n\n{USAGE}"))?;
            let kind = als_progression::charts::ChartKind::from_name(&name)
                .ok_or_else(|| format!("unknown chart \"{name}\" (trajectories, patient, slopegraph, waterfall, group_mean, interval)"))?;
            let file = file.ok_or(format!("chart needs FILE or -\n\n{USAGE}"))?;
            let text = read_input(&file)?;
            s.include_series = true;
            let a = pipeline::run(&text, &s).map_err(|e| e.message)?;
            let svg = als_progression::charts::render_svg(kind, &a, &opts)?;
            write_out(out.as_deref(), &svg)?;
            Ok(ExitCode::SUCCESS)
        }
        "synth" => {
            let (mut design, mut n, mut seed, mut out) = (None, 20usize, 1u64, None);
            let mut monthly: Option<u32> = None;
            while let Some(arg) = p.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("design") => {
                        design = Some(
                            p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )
                    }
                    Long("patients") | Short('n') => {
                        n = p
                            .value()
                            .map_err(|e| e.to_string())?
                            .parse()
                            .map_err(|e| format!("--patients: {e}"))?
                    }
                    Long("seed") => {
                        seed = p
                            .value()
                            .map_err(|e| e.to_string())?
                            .parse()
                            .map_err(|e| format!("--seed: {e}"))?
                    }
                    Long("monthly-follow-up") => {
                        monthly = Some(
                            p.value()
                                .map_err(|e| e.to_string())?
                                .parse()
                                .map_err(|e| format!("--monthly-follow-up: {e}"))?,
                        )
                    }
                    Short('o') | Long("out") => {
                        out = Some(
                            p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )
                    }
                    other => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
                }
            }
            let d = design
                .ok_or("synth needs --design lead-in|controls|repeated|two-arm|proact|template")?;
            if n == 0 || n > 10_000_000 {
                return Err("--patients must be between 1 and 10,000,000".into());
            }
            match d.as_str() {
                "proact" => {
                    let tables = synth::proact_tables(n, seed);
                    let named: Vec<(&str, &str)> =
                        tables.iter().map(|(f, t)| (*f, t.as_str())).collect();
                    write_out(
                        out.as_deref(),
                        &als_progression::parse::tables::join(&named),
                    )?;
                    return Ok(ExitCode::SUCCESS);
                }
                "template" => {
                    write_out(out.as_deref(), &synth::template_csv())?;
                    return Ok(ExitCode::SUCCESS);
                }
                _ => {}
            }
            let d = synth::Design::from_name(&d).ok_or_else(|| {
                format!("--design: unknown design \"{d}\" (lead-in, controls, repeated, two-arm, deaths, proact, template)")
            })?;
            if n == 0 || n > 10_000_000 {
                return Err("--patients must be between 1 and 10,000,000".into());
            }
            if let Some(m) = monthly {
                if !matches!(d, synth::Design::LeadIn | synth::Design::Controls) {
                    return Err(
                        "--monthly-follow-up applies to the lead-in and controls designs".into(),
                    );
                }
                if m == 0 || m > 120 {
                    return Err("--monthly-follow-up must be between 1 and 120 months".into());
                }
            }
            write_out(out.as_deref(), &synth::generate_with(d, n, seed, monthly))?;
            Ok(ExitCode::SUCCESS)
        }
        "help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
    }
}
