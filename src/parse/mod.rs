//! Input parsing: pasted spreadsheet text or CSV (tab, comma or semicolon), long or wide layout,
//! one table or several joined on the patient id, into a [`Parsed`]: the
//! [`Dataset`](crate::data::Dataset) plus line-numbered [`Diagnostic`]s. Free of I/O: text in,
//! data out.
//!
//! Every bad cell or row is reported and skipped; everything else is kept. Only input that cannot
//! be analysed at all (empty, header only, no recognisable columns) is an [`InputError`].
//!
//! The steps, a file each: [`tables`] (a text → its tables: files, sheets, pasted tables),
//! `header` (title rows, two-row headers, trailing notes), `tokenizer` (text → header and
//! records with their lines), `roles` (what each column is, by name ([`columns`], `vocab`) and
//! by its values; the table's date order), `long` / `wide` (records → patients' rows, by
//! layout) reading `cells`, `item_cells`, `facts`, `values`, `when` and [`dates`], and gathering
//! the rows of every table in the `builder` (patients, merged visits, conflicts, endpoints);
//! `suggest` says which columns to map when recognition fails. This file runs them in order.

mod builder;
mod cells;
pub mod columns;
pub mod dates;
pub mod decode;
mod facts;
mod header;
mod item_cells;
mod long;
mod long_row;
mod quoted;
mod roles;
mod suggest;
pub mod tables;
mod tokenizer;
mod values;
mod vocab;
mod when;
mod wide;
#[cfg(feature = "xlsx")]
pub mod xlsx;
#[cfg(feature = "xlsx")]
mod xlsx_scan;

use crate::data::TimeAxis;
use crate::diag::{DiagKind, Diagnostic, InputError, Severity};
use crate::input::{ColumnInfo, InputInfo, Parsed, TableInfo, TableUse};
use crate::settings::{Layout, SettingError, Settings};
use builder::Builder;
use columns::Role;
use roles::{assign_roles, resolve};
use tables::Section;
use tokenizer::{delimiter_name, read_table, Table};

/// The most text the parser reads (2 GiB): every position in it fits a u32 with room to spare
/// (the tokenizer keeps fields as u32 spans). The page and the CLI read less (16 MB and
/// `--max-input`, 512 MB by default).
pub const MAX_TEXT_BYTES: usize = 1 << 31;
// Byte positions, field counts (at most one more than the bytes: every field but the last ends at
// a delimiter or a line end) and row counts of a text this long fit a u32.
const _: () = assert!(MAX_TEXT_BYTES < u32::MAX as usize);

const EXPECTED: &str = "Expected a header row and one row per visit: a patient column (id, patient, subject), \
a time column (date, visit_date, month, week or day) and at least one score column (alsfrs_r, alsfrs, fvc, aals, \
or items q1…q12); or a wide layout with one row per patient and one column per visit month (-3, 0, M1, month 12…).";

/// Parse pasted text or a CSV file: one table, or several (after `#table: NAME` lines, or
/// pasted one after another; see [`tables`]).
pub fn parse(text: &str, settings: &Settings) -> Result<Parsed, InputError> {
    parse_sections(&tables::split(text), settings)
}

/// Parse several named texts (files) together, joined on the patient id: PRO-ACT's
/// `ALSFRS.csv`, `AlsHistory.csv`, `DeathData.csv`, … Diagnostics name the file and its line.
pub fn parse_tables(named: &[(&str, &str)], settings: &Settings) -> Result<Parsed, InputError> {
    parse_sections(&tables::split_named(named), settings)
}

/// One table's reading, for `long` and `wide`.
pub(crate) struct TableRead<'a, 't> {
    pub table: &'a Table<'t>,
    pub roles: &'a [Role],
    pub settings: &'a Settings,
    /// The dataset's time axis.
    pub axis: TimeAxis,
    /// Lines of the input before this table.
    pub offset: usize,
    /// Days per unit of relative values whose column names no unit, in a table without a
    /// relative time column: the first visit table's.
    pub scale: f64,
}

/// What a table was found to be.
struct Plan {
    roles: Vec<Role>,
    layout: Layout,
    used: TableUse,
    note: Option<String>,
    /// Of a table with visits: its time axis and days per unit of its time column.
    axis: Option<(TimeAxis, f64)>,
}

fn parse_sections(sections: &[Section<'_>], settings: &Settings) -> Result<Parsed, InputError> {
    let multi = sections.len() > 1;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let name_of = |k: usize| -> String {
        sections[k]
            .name
            .map(str::to_string)
            .unwrap_or_else(|| format!("table {}", k + 1))
    };
    // The `sheet` setting chooses one table.
    let mut chosen = vec![true; sections.len()];
    if let Some(want) = settings.sheet.as_deref().filter(|s| !s.trim().is_empty()) {
        let hits: Vec<bool> = sections
            .iter()
            .map(|s| {
                s.name
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(want.trim()))
            })
            .collect();
        if hits.iter().any(|&h| h) {
            chosen = hits;
        } else {
            diags.push(Diagnostic::new(
                Severity::Warning,
                DiagKind::Table,
                format!(
                    "no table or sheet is named \"{want}\" (the input has {}); every table is read",
                    (0..sections.len())
                        .map(|k| format!("\"{}\"", name_of(k)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let n_chosen = chosen.iter().filter(|&&c| c).count();
    let header_row = match settings.header_row {
        Some(n) if n_chosen > 1 => {
            diags.push(Diagnostic::new(
                Severity::Warning,
                DiagKind::Table,
                format!("the header row setting ({n}) applies to one table; the input has {n_chosen} (choose one with the sheet setting)"),
            ));
            None
        }
        h => h,
    };
    let prepared: Vec<header::Prepared> = sections
        .iter()
        .zip(&chosen)
        .map(|(s, &c)| header::prepare(if c { s.text } else { "" }, settings, header_row))
        .collect();
    let mut tables: Vec<Option<Table>> = Vec::with_capacity(sections.len());
    for (k, p) in prepared.iter().enumerate() {
        if !chosen[k] {
            tables.push(None);
            continue;
        }
        match read_table(&p.text) {
            Ok(mut t) => {
                if let Some(h) = &p.header {
                    t.header = h.clone();
                }
                tables.push(Some(t));
            }
            Err(e) if !multi => return Err(e),
            Err(_) => tables.push(None),
        }
    }
    // Tables pasted one after another in one unnamed text: read as the tables they are.
    if let ([section], [Some(t)], None) = (sections, &tables[..], &settings.sheet) {
        if section.name.is_none() {
            let starts = tables::pasted_starts(t);
            if !starts.is_empty() {
                return parse_sections(&tables::split_at_lines(section, &starts), settings);
            }
        }
    }
    for (k, p) in prepared.iter().enumerate() {
        diags.extend(p.diagnostics.iter().cloned().map(|mut d| {
            d.line = d.line.map(|l| l + sections[k].line_offset);
            d
        }));
    }
    // The tokenizer's own (stray quotes, ragged rows), on the input's lines.
    for (k, t) in tables.iter_mut().enumerate() {
        if let Some(t) = t {
            diags.extend(std::mem::take(&mut t.diags).into_iter().map(|mut d| {
                d.line = d.line.map(|l| l + sections[k].line_offset);
                d
            }));
        }
    }
    // Each table's roles and what it holds.
    let mut plans: Vec<Plan> = Vec::with_capacity(sections.len());
    for (k, t) in tables.iter().enumerate() {
        let skipped = |note: &str| Plan {
            roles: Vec::new(),
            layout: Layout::Long,
            used: TableUse::Skipped,
            note: Some(note.to_string()),
            axis: None,
        };
        let Some(t) = t else {
            plans.push(skipped(if chosen[k] {
                "empty"
            } else {
                "not the chosen sheet"
            }));
            continue;
        };
        if t.header.is_empty() {
            if !multi {
                return Err(InputError {
                    message: format!("The input is empty. {EXPECTED}"),
                });
            }
            plans.push(skipped("empty"));
            continue;
        }
        plans.push(plan_table(
            t,
            settings,
            sections[k].line_offset,
            multi,
            &mut diags,
        )?);
        if t.n_records() == 0 && !multi {
            return Err(InputError {
                message: format!("The input has a header row but no data rows. {EXPECTED}"),
            });
        }
    }
    // The dataset's time axis: the first table with visits decides; another with the other axis
    // cannot be placed on it.
    let first_visits = plans.iter().position(|p| p.used == TableUse::Visits);
    let Some(first_visits) = first_visits else {
        return Err(no_visits_error(sections, &tables, &plans, &name_of));
    };
    let (axis, scale) = plans[first_visits]
        .axis
        .unwrap_or((TimeAxis::Relative, 1.0));
    for (k, p) in plans.iter_mut().enumerate() {
        if let Some((a, _)) = p.axis {
            if a != axis {
                let what = |a| {
                    if a == TimeAxis::Dates {
                        "dates"
                    } else {
                        "times since baseline (days, weeks or months)"
                    }
                };
                let note = format!(
                    "its visit times are {}, but those of {} are {}: the two cannot be placed on one time axis",
                    what(a),
                    name_of(first_visits),
                    what(axis)
                );
                diags.push(Diagnostic::new(
                    Severity::Error,
                    DiagKind::Table,
                    format!("{} not read: {note}", name_of(k)),
                ));
                p.used = TableUse::Skipped;
                p.note = Some(note);
            }
        }
    }
    let mut b = Builder::default();
    if multi {
        b.tables = (0..sections.len())
            .map(|k| (name_of(k), sections[k].line_offset))
            .collect();
    }
    let mut formats: Vec<Option<String>> = vec![None; sections.len()];
    for (k, t) in tables.iter().enumerate() {
        let (Some(t), p) = (t, &plans[k]) else {
            continue;
        };
        if p.used == TableUse::Skipped {
            continue;
        }
        let read = TableRead {
            table: t,
            roles: &p.roles,
            settings,
            axis,
            offset: sections[k].line_offset,
            scale,
        };
        formats[k] = match p.layout {
            Layout::Wide => wide::read(&read, &mut b, &mut diags),
            _ => long::read(&read, &mut b, &mut diags),
        };
    }
    let dataset = b.finish(axis, &mut diags);
    crate::sort::sort_by_key(&mut diags, |d| (d.line.unwrap_or(0), d.severity as u8));
    let table_infos: Vec<TableInfo> = (0..sections.len())
        .map(|k| {
            let t = tables[k].as_ref();
            TableInfo {
                name: sections[k].name.map(str::to_string),
                used: plans[k].used,
                note: plans[k].note.clone().or_else(|| prepared[k].note.clone()),
                header_row: prepared[k]
                    .header_row
                    .or_else(|| t.map(|t| t.header_line))
                    .unwrap_or(0),
                header_rows: prepared[k].header_rows,
                n_rows: t.map_or(0, |t| t.n_records()),
                layout: layout_name(plans[k].layout).into(),
                delimiter: delimiter_name(t.map_or(b',', |t| t.delimiter)).into(),
                date_format: formats[k].clone(),
                line_offset: sections[k].line_offset,
            }
        })
        .collect();
    let first = &table_infos[first_visits];
    let info = InputInfo {
        layout: first.layout.clone(),
        delimiter: first.delimiter.clone(),
        n_rows: table_infos
            .iter()
            .filter(|t| t.used != TableUse::Skipped)
            .map(|t| t.n_rows)
            .sum(),
        columns: tables
            .iter()
            .enumerate()
            .flat_map(|(k, t)| {
                let roles = &plans[k].roles;
                t.iter().flat_map(move |t| {
                    t.header
                        .iter()
                        .enumerate()
                        .map(move |(index, h)| ColumnInfo {
                            index,
                            header: h.clone(),
                            role: roles
                                .get(index)
                                .map_or_else(|| "ignored".into(), Role::name),
                            table: k,
                        })
                })
            })
            .collect(),
        time_axis: match dataset.time_axis {
            TimeAxis::Dates => "dates".into(),
            TimeAxis::Relative => "relative".into(),
        },
        date_format: first.date_format.clone(),
        measures_present: Vec::new(),
        tables: table_infos,
    };
    Ok(Parsed {
        dataset,
        info,
        diagnostics: diags,
    })
}

fn layout_name(l: Layout) -> &'static str {
    if l == Layout::Wide {
        "wide"
    } else {
        "long"
    }
}

/// A table's roles, layout and use. Errors only for an input of one table that cannot be
/// analysed (as a single table always could not).
fn plan_table(
    table: &Table,
    settings: &Settings,
    offset: usize,
    multi: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Plan, InputError> {
    let (long_roles, long_over) = assign_roles(&table.header, settings, false);
    let (wide_roles, wide_over) = assign_roles(&table.header, settings, true);
    let has_time = long_roles.iter().any(Role::is_time);
    let n_visit_cols = wide_roles
        .iter()
        .filter(|r| matches!(r, Role::Visit { .. }))
        .count();
    let layout = match settings.layout {
        Layout::Long => Layout::Long,
        Layout::Wide => Layout::Wide,
        Layout::Auto => {
            // Visit-month columns make it wide; a `date` column then is the baseline date.
            let relative_time = long_roles.iter().any(|r| {
                matches!(
                    r,
                    Role::Months | Role::Weeks | Role::Days | Role::DateOrDays | Role::VisitName
                )
            });
            if (!has_time && n_visit_cols >= 1) || (!relative_time && n_visit_cols >= 2) {
                Layout::Wide
            } else {
                Layout::Long
            }
        }
    };
    let (mut roles, over) = if layout == Layout::Wide {
        (wide_roles, wide_over)
    } else {
        (long_roles, long_over)
    };
    // Columns not recognised by name (those set aside below say why themselves).
    let unknown: Vec<bool> = roles.iter().map(|r| *r == Role::Ignore).collect();
    let line = table.header_line + offset;
    resolve(table, &mut roles, &over, line, diags);
    let has = |f: &dyn Fn(&Role) -> bool| roles.iter().any(f);
    let has_patient = has(&|r| *r == Role::Patient);
    let has_time = has(&Role::is_time);
    let has_scores = has(&|r| matches!(r, Role::Measure(_) | Role::FvcTrial(_)) || r.is_item());
    let has_visit_cols = has(&|r| matches!(r, Role::Visit { .. }));
    if !multi {
        let mut missing = Vec::new();
        if layout == Layout::Wide {
            if !has_patient || !has_visit_cols {
                return Err(no_columns_error("Wide layout needs a patient id column and visit columns named by month (-3, 0, M1, month 12…)."));
            }
        } else {
            if !has_patient {
                missing.push("a patient id column");
            }
            if !has_time {
                missing.push("a time column");
            }
            if !has_scores {
                missing.push("a score column");
            }
        }
        if !missing.is_empty() {
            return Err(no_columns_error(&format!(
                "Could not find {} in the header ({}).{}",
                missing.join(", "),
                table
                    .header
                    .iter()
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                suggest::suggestions(table, &roles, !has_patient, !has_time, !has_scores)
            )));
        }
    }
    let md = settings.month_len();
    let (used, note, axis) = if !has_patient {
        (
            TableUse::Skipped,
            Some("no patient column".to_string()),
            None,
        )
    } else if layout == Layout::Wide && has_visit_cols {
        (TableUse::Visits, None, Some((TimeAxis::Relative, md)))
    } else if has_time && has_scores {
        let t = roles.iter().find(|r| r.is_time());
        let axis = match t {
            Some(Role::Date) => (TimeAxis::Dates, 1.0),
            Some(Role::Months | Role::VisitName) => (TimeAxis::Relative, md),
            Some(Role::Weeks) => (TimeAxis::Relative, 7.0),
            _ => (TimeAxis::Relative, 1.0),
        };
        (TableUse::Visits, None, Some(axis))
    } else if roles
        .iter()
        .any(|r| !matches!(r, Role::Patient | Role::Ignore) && !r.is_time())
    {
        if has_scores {
            // Scores without a time column cannot be placed.
            for (i, r) in roles.iter_mut().enumerate() {
                if matches!(r, Role::Measure(_) | Role::FvcTrial(_)) || r.is_item() {
                    diags.push(
                        Diagnostic::new(
                            Severity::Warning,
                            DiagKind::Table,
                            format!(
                                "column \"{}\" has scores but its table has no time column; not read",
                                table.header[i]
                            ),
                        )
                        .at(line)
                        .col(&table.header[i]),
                    );
                    *r = Role::Ignore;
                }
            }
        }
        (TableUse::Patients, None, None)
    } else {
        (
            TableUse::Skipped,
            Some("no column recognised besides the patient id".to_string()),
            None,
        )
    };
    // A table not read needs no list of the columns it does not use.
    for (i, r) in roles
        .iter()
        .enumerate()
        .filter(|_| used != TableUse::Skipped)
    {
        if *r == Role::Ignore && unknown[i] && !table.header[i].is_empty() {
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::UnknownColumn,
                    format!(
                        "column \"{}\" was not recognised and is ignored",
                        table.header[i]
                    ),
                )
                .at(line)
                .col(&table.header[i]),
            );
        }
    }
    if multi {
        if let (TableUse::Skipped, Some(n)) = (used, &note) {
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::Table,
                    format!("table not read: {n}"),
                )
                .at(line),
            );
        }
    }
    Ok(Plan {
        roles,
        layout,
        used,
        note,
        axis,
    })
}

/// No table has visits: what each table is missing.
fn no_visits_error(
    sections: &[Section<'_>],
    tables: &[Option<Table>],
    plans: &[Plan],
    name_of: &dyn Fn(usize) -> String,
) -> InputError {
    let what: Vec<String> = (0..sections.len())
        .map(|k| {
            let n = name_of(k);
            match (&tables[k], &plans[k]) {
                (Some(t), p) if p.used == TableUse::Patients => {
                    let _ = t;
                    format!("{n}: patient facts, no visits (no time column with scores)")
                }
                (_, p) => format!(
                    "{n}: {}",
                    p.note.clone().unwrap_or_else(|| "not read".into())
                ),
            }
        })
        .collect();
    no_columns_error(&format!(
        "None of the {} tables has visits (a patient column, a time column and scores): {}.",
        sections.len(),
        what.join("; ")
    ))
}

/// In an input of several tables, each diagnostic's line (counted over all tables, as parsing
/// and the analysis give them, in that order) becomes its table's name and the line in that
/// table (`pipeline::analyze` does this last). Those that name a table already are left.
pub fn locate_diagnostics(diags: &mut [Diagnostic], info: &InputInfo) {
    if info.tables.len() < 2 {
        return;
    }
    for d in diags.iter_mut().filter(|d| d.file.is_none()) {
        if let Some(line) = d.line {
            let (k, local) = info.locate(line);
            d.file = Some(
                info.tables[k]
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("table {}", k + 1)),
            );
            d.line = Some(local);
        }
    }
}

/// The settings checked before a run ([`Settings::check`]), and every column override's role a
/// role this parser knows (an unknown one would be ignored, not used).
pub fn check_settings(settings: &Settings) -> Result<(), SettingError> {
    settings.check()?;
    for (header, role) in &settings.columns {
        if Role::from_name(role, header).is_none() {
            return Err(SettingError {
                setting: format!("columns.{header}"),
                message: format!("\"{role}\" is not a column role"),
            });
        }
    }
    Ok(())
}

pub(crate) fn no_columns_error(what: &str) -> InputError {
    InputError {
        message: format!("{what} {EXPECTED}"),
    }
}

#[cfg(test)]
mod tests;
