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
  als-progression analyze FILE|- [FILE…] [--format json|csv|text|stages-csv|survival-csv] [SETTINGS]
                        (survival-csv: Kaplan–Meier curves, log-rank/Cox tests, CAFS, one row each)
  als-progression chart NAME FILE|- --out FILE.svg [--measure M] [--selected ID] [--width W] [--height H] [SETTINGS]
  als-progression synth --design lead-in|controls|repeated|two-arm|items|deaths|proact [--patients N] [--seed S] [--out FILE]
                        [--monthly-follow-up M]  (lead-in, controls: a visit every month for M months)
                        (proact: a PRO-ACT extract's six tables in one text, each after a #table: NAME line)
  als-progression synth --design template  (a CSV template of the columns the tool reads)

FILE is CSV, TSV or pasted spreadsheet text (long or wide layout; UTF-8, UTF-16 or Windows-1252),
or an .xlsx/.ods spreadsheet (every sheet with cells); - reads stdin. Several FILEs are tables
joined on the patient id (e.g. PRO-ACT: analyze ALSFRS.csv AlsHistory.csv Treatment.csv
DeathData.csv FVC.csv); diagnostics name the file and its line. At most --max-input SIZE is read
of each (default 512M, at most 2G); binary input is refused.
Chart NAME: trajectories, patient, slopegraph, waterfall, group_mean, interval, swimmer (stage timeline), survival, cafs.
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
  --delta-fs-cutoffs C     ΔFS classes: 0.5-1.0 (default) | 0.8-1.35 | SLOW,FAST (custom cut-offs)
  --tricals-window L,U     TRICALS trial-eligibility window of the LP (default -6,-2)
  --group-by G             group (default: the data's group column) | delta_fs_class
  --check-total-rise X     warn when the ALSFRS-R total rises by X or more points (default 4)
  --check-fvc-jump X       warn when FVC changes by more than X points (default 30)
";

/// The input being read or analysed, for the panic message ("-" is standard input).
static INPUT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());
/// The first panic's message and place (a panic on another thread reaches this one as "a
/// scoped thread panicked").
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn main() -> ExitCode {
    // A panic is a bug: one line that says so, with the input's name, and exit status 3 (not a
    // backtrace and 101).
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut p) = PANIC.lock() {
            p.get_or_insert(format!("{msg}{at}"));
        }
    }));
    match std::panic::catch_unwind(run) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(_) => {
            let input = INPUT.lock().map(|s| s.clone()).unwrap_or_default();
            let what = match input.as_str() {
                "" => String::new(),
                "-" => " while reading standard input".to_string(),
                name => format!(" while reading {name}"),
            };
            let why = PANIC
                .lock()
                .ok()
                .and_then(|p| p.clone())
                .unwrap_or_default();
            let line = format!(
                "als-progression: internal error{what} ({why}). This is a bug in als-progression, not a problem with your data: please report it, with synthetic data that shows it."
            );
            eprintln!("{}", line.replace(['\n', '\r'], " "));
            ExitCode::from(3)
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

/// The most input read by default (`--max-input`), and at most (the parser's limit).
const DEFAULT_MAX_INPUT: u64 = 512 << 20;
const MAX_INPUT: u64 = als_progression::parse::MAX_TEXT_BYTES as u64;

/// `--max-input`: bytes, or with a K, M or G suffix (powers of 1024).
fn max_input(v: &str) -> Result<u64, String> {
    let t = v.trim().to_ascii_uppercase();
    let t = t.strip_suffix('B').unwrap_or(&t);
    let (num, unit) = match t.char_indices().last() {
        Some((i, 'K')) => (&t[..i], 1u64 << 10),
        Some((i, 'M')) => (&t[..i], 1 << 20),
        Some((i, 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    let n: f64 = num
        .trim()
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 1.0)
        .ok_or_else(|| format!("--max-input: \"{v}\" is not a size (such as 800M or 2G)"))?;
    let bytes = n * unit as f64;
    if bytes > MAX_INPUT as f64 {
        return Err(format!(
            "--max-input: at most {} MB can be read",
            MAX_INPUT >> 20
        ));
    }
    Ok(bytes as u64)
}

/// What was read: text, or a spreadsheet's first sheet as text.
fn read_input(path: &str, max: u64) -> Result<String, String> {
    use als_progression::parse::decode::{decode, sniff, Encoding, Sniffed, SNIFF_BYTES};
    if let Ok(mut i) = INPUT.lock() {
        *i = path.to_string();
    }
    let name = if path == "-" { "standard input" } else { path };
    let mut src: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(|e| format!("reading {path}: {e}"))?;
        // A regular file says its size: refused before anything is read.
        if let Ok(m) = f.metadata() {
            if m.is_file() && m.len() > max {
                return Err(too_large(name, m.len(), max));
            }
        }
        Box::new(f)
    };
    // The first bytes say what it is; binary input (/dev/urandom, an image) is refused before
    // more is read.
    let mut bytes = Vec::new();
    src.by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading {name}: {e}"))?;
    let kind = sniff(&bytes);
    if kind == Sniffed::Binary {
        return decode(bytes, name)
            .map(|_| String::new())
            .map_err(|e| e.message);
    }
    // At most `max` bytes (one more, to tell that there is more): /dev/zero cannot fill memory.
    src.take((max + 1).saturating_sub(bytes.len() as u64))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading {name}: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_large(name, bytes.len() as u64, max));
    }
    match kind {
        Sniffed::Zip | Sniffed::Ole => {
            use als_progression::parse::xlsx::{xlsx_to_text_with, Limits};
            let limits = Limits {
                max_text: max as usize,
                ..Limits::CLI
            };
            xlsx_to_text_with(&bytes, &limits).map_err(|e| format!("{name}: {e}"))
        }
        _ => {
            let (text, enc) = decode(bytes, name).map_err(|e| e.message)?;
            if enc != Encoding::Utf8 {
                eprintln!("note: {name} is not UTF-8; it was read as {}", enc.name());
            }
            Ok(text)
        }
    }
}

fn too_large(name: &str, n: u64, max: u64) -> String {
    format!(
        "{name} is {}{}; at most {} are read (--max-input SIZE reads more, up to {})",
        if n > max { "more than " } else { "" },
        size(n.min(max)),
        size(max),
        size(MAX_INPUT)
    )
}

/// A size for people: bytes, KB or MB.
fn size(n: u64) -> String {
    match n {
        0..1024 => format!("{n} bytes"),
        1024..1_048_576 => format!("{} KB", n >> 10),
        _ => format!("{} MB", n >> 20),
    }
}

/// The settings checked (every value one the analysis uses as given) and each measure once.
fn checked(s: Settings) -> Result<Settings, String> {
    let s = s.normalized();
    als_progression::parse::check_settings(&s).map_err(|e| e.to_string())?;
    Ok(s)
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
            if !s.measures.contains(&m) {
                s.measures.push(m);
            }
        }
        "month-days" => s.month_days = num("--month-days", &val()?)?,
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
        "delta-fs-cutoffs" => {
            use als_progression::staging::progression::{CustomCutoffs, DeltaFsCutoffs};
            let v = val()?;
            s.delta_fs_cutoffs = match v.as_str() {
                "0.5-1.0" => DeltaFsCutoffs::Standard,
                "0.8-1.35" => DeltaFsCutoffs::Alternative,
                _ => {
                    let (a, b) = v
                        .split_once(',')
                        .ok_or("--delta-fs-cutoffs takes 0.5-1.0, 0.8-1.35 or SLOW,FAST")?;
                    let c = CustomCutoffs::new(
                        num("--delta-fs-cutoffs", a)?,
                        num("--delta-fs-cutoffs", b)?,
                    )
                    .map_err(|e| format!("--delta-fs-cutoffs: {e}"))?;
                    DeltaFsCutoffs::Custom(c)
                }
            };
        }
        "tricals-window" => {
            let v = val()?;
            let (a, b) = v
                .split_once(',')
                .ok_or("--tricals-window takes LOWER,UPPER")?;
            s.tricals_window = als_progression::staging::tricals::EligibilityWindow::new(
                num("--tricals-window", a)?,
                num("--tricals-window", b)?,
            )
            .map_err(|e| format!("--tricals-window: {e}"))?;
        }
        "group-by" => {
            s.group_by = parse_enum::<als_progression::settings::GroupBy>("--group-by", &val()?)?
        }
        "check-total-rise" => s.check_total_rise = num("--check-total-rise", &val()?)?,
        "check-fvc-jump" => s.check_fvc_jump = num("--check-fvc-jump", &val()?)?,
        "settings" => {
            let path = val()?;
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
            *s = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            *s = checked(std::mem::take(s)).map_err(|e| format!("{path}: {e}"))?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Debug builds (the tests): `ALS_PROGRESSION_TEST_PANIC` set panics on purpose after the input
/// is read, to test the panic message. Release builds have no such switch.
fn panic_test() {
    #[cfg(debug_assertions)]
    if std::env::var_os("ALS_PROGRESSION_TEST_PANIC").is_some() {
        panic!("panic asked for by ALS_PROGRESSION_TEST_PANIC");
    }
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
            let mut max = DEFAULT_MAX_INPUT;
            while let Some(arg) = p.next().map_err(|e| e.to_string())? {
                match arg {
                    Value(v) => files.push(v.string().map_err(|e| e.to_string())?),
                    Long("max-input") => {
                        max = max_input(
                            &p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )?
                    }
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
            let s = checked(s)?;
            let a = if let [file] = &files[..] {
                let text = read_input(file, max)?;
                panic_test();
                let parsed = pipeline::parse(&text, &s).map_err(|e| e.message)?;
                // The text is not needed once read: its memory back before the analysis.
                drop(text);
                pipeline::analyze(&parsed, &s)
            } else {
                // Several files: tables joined on the patient id, each named by its file name.
                let texts = files
                    .iter()
                    .map(|f| read_input(f, max))
                    .collect::<Result<Vec<String>, String>>()?;
                panic_test();
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
                let parsed = pipeline::parse_tables(&named, &s).map_err(|e| e.message)?;
                drop(named);
                drop(texts);
                pipeline::analyze(&parsed, &s)
            };
            if matches!(format.as_str(), "json" | "csv" | "text") {
                // Written as it is made: the output of a large cohort is never one string.
                let w: Box<dyn Write> = match out.as_deref() {
                    Some(path) => Box::new(
                        std::fs::File::create(path).map_err(|e| format!("writing {path}: {e}"))?,
                    ),
                    None => Box::new(std::io::stdout().lock()),
                };
                let w = std::io::BufWriter::with_capacity(1 << 16, w);
                match format.as_str() {
                    "json" => output::write_json(&a, w),
                    "csv" => output::write_csv(&a, w),
                    _ => output::write_text(&a, w),
                }
                .map_err(|e| format!("writing the output: {e}"))?;
                return Ok(analysed_status(&a));
            }
            let body = match format.as_str() {
                "survival-csv" => output::survival_csv(&a),
                "stages-csv" => output::staging::stages_csv(&a),
                f => {
                    return Err(format!(
                        "--format: unknown format \"{f}\" (json, csv, text, stages-csv or survival-csv)"
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
            let mut max = DEFAULT_MAX_INPUT;
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
                    Long("max-input") => {
                        max = max_input(
                            &p.value()
                                .map_err(|e| e.to_string())?
                                .string()
                                .map_err(|e| e.to_string())?,
                        )?
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
                        if !s.measures.contains(&m) {
                            s.measures.push(m);
                        }
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
                .ok_or_else(|| format!("unknown chart \"{name}\" (trajectories, patient, slopegraph, waterfall, group_mean, interval, swimmer)"))?;
            let file = file.ok_or(format!("chart needs FILE or -\n\n{USAGE}"))?;
            s.include_series = true;
            let s = checked(s)?;
            let text = read_input(&file, max)?;
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
            let d = design.ok_or(
                "synth needs --design lead-in|controls|repeated|two-arm|items|proact|template",
            )?;
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
                format!("--design: unknown design \"{d}\" (lead-in, controls, repeated, two-arm, items, deaths, proact, template)")
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
