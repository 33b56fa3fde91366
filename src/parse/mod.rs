//! Input parsing: pasted spreadsheet text or CSV (tab, comma or semicolon), long or wide layout,
//! into a [`Parsed`]: the [`Dataset`](crate::data::Dataset) plus line-numbered [`Diagnostic`]s.
//! Free of I/O: text in, data out.
//!
//! Every bad cell or row is reported and skipped; everything else is kept. Only input that cannot
//! be analysed at all (empty, header only, no recognisable columns) is an [`InputError`].
//!
//! The steps, a file each: `tokenizer` (text → header and records with their lines), `roles`
//! (what each column is; a date column's day/month order), `long` / `wide` (records → patients'
//! rows, by layout) reading `cells` (numbers, scores) and [`dates`], and gathering the rows in
//! the `builder` (patients, merged visits, conflicts); this file runs them in order.

mod builder;
mod cells;
pub mod columns;
pub mod dates;
pub mod decode;
mod long;
mod quoted;
mod roles;
mod tokenizer;
mod wide;
#[cfg(feature = "xlsx")]
pub mod xlsx;
#[cfg(feature = "xlsx")]
mod xlsx_scan;

use crate::data::TimeAxis;
use crate::diag::{DiagKind, Diagnostic, InputError, Severity};
use crate::input::{ColumnInfo, InputInfo, Parsed};
use crate::settings::{Layout, SettingError, Settings};
use columns::Role;
use roles::{assign_roles, is_time};
use tokenizer::{delimiter_name, read_table};

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

/// Parse pasted text or a CSV file.
pub fn parse(text: &str, settings: &Settings) -> Result<Parsed, InputError> {
    let mut table = read_table(text)?;
    if table.header.is_empty() {
        return Err(InputError {
            message: format!("The input is empty. {EXPECTED}"),
        });
    }
    let long_roles = assign_roles(&table.header, settings, false);
    let wide_roles = assign_roles(&table.header, settings, true);
    let has_time = long_roles.iter().any(is_time);
    let n_visit_cols = wide_roles
        .iter()
        .filter(|r| matches!(r, Role::Visit { .. }))
        .count();
    let layout = match settings.layout {
        Layout::Long => Layout::Long,
        Layout::Wide => Layout::Wide,
        Layout::Auto => {
            // Visit-month columns make it wide; a `date` column then is the baseline date.
            let relative_time = long_roles
                .iter()
                .any(|r| matches!(r, Role::Months | Role::Weeks | Role::Days));
            if (!has_time && n_visit_cols >= 1) || (!relative_time && n_visit_cols >= 2) {
                Layout::Wide
            } else {
                Layout::Long
            }
        }
    };
    let roles = if layout == Layout::Wide {
        wide_roles
    } else {
        long_roles
    };
    let mut diags = std::mem::take(&mut table.diags);
    let (dataset, date_format) = match layout {
        Layout::Wide => wide::build(&table, &roles, settings, &mut diags)?,
        _ => long::build(&table, &roles, settings, &mut diags)?,
    };
    for (i, r) in roles.iter().enumerate() {
        if *r == Role::Ignore && !table.header[i].is_empty() {
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::UnknownColumn,
                    format!(
                        "column \"{}\" was not recognised and is ignored",
                        table.header[i]
                    ),
                )
                .at(table.header_line)
                .col(&table.header[i]),
            );
        }
    }
    if table.n_records() == 0 {
        return Err(InputError {
            message: format!("The input has a header row but no data rows. {EXPECTED}"),
        });
    }
    let info = InputInfo {
        layout: if layout == Layout::Wide {
            "wide".into()
        } else {
            "long".into()
        },
        delimiter: delimiter_name(table.delimiter).into(),
        n_rows: table.n_records(),
        columns: table
            .header
            .iter()
            .zip(&roles)
            .enumerate()
            .map(|(index, (h, r))| ColumnInfo {
                index,
                header: h.clone(),
                role: r.name(),
            })
            .collect(),
        time_axis: match dataset.time_axis {
            TimeAxis::Dates => "dates".into(),
            TimeAxis::Relative => "relative".into(),
        },
        date_format,
        measures_present: Vec::new(),
    };
    crate::sort::sort_by_key(&mut diags, |d| (d.line.unwrap_or(0), d.severity as u8));
    Ok(Parsed {
        dataset,
        info,
        diagnostics: diags,
    })
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
