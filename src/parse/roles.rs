//! Column roles of one table: the settings' overrides first, then recognition by name (for the
//! long or the wide layout), then what the values say where a name cannot (litres under an FVC
//! heading, ALSFRS-R totals under an ALSFRS one, dates or days in `alsfrsdt`), and one column
//! per role (two that claim one are reported). Also the table's one day/month order for slash
//! dates, decided from all its date columns together.

use super::cells::parse_number;
use super::columns::{self, Role};
use super::dates::{self, OrderEvidence};
use super::tokenizer::Table;
use super::vocab;
use crate::data::Measure;
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::settings::{DateOrder, Settings};

/// The roles of a header by name, and which of them the settings gave.
pub(crate) fn assign_roles(
    header: &[String],
    settings: &Settings,
    wide: bool,
) -> (Vec<Role>, Vec<bool>) {
    let normalized: Vec<String> = header.iter().map(|h| columns::normalize(h)).collect();
    let bare_items = bare_items_are_items(&normalized);
    let mut over = vec![false; header.len()];
    let roles = header
        .iter()
        .zip(&normalized)
        .enumerate()
        .map(|(i, (h, n))| {
            if let Some(r) = override_of(h, settings) {
                over[i] = true;
                return r;
            }
            let units = columns::units(h);
            let by_name = match columns::guess(n, &units) {
                Some(Role::EventTime(_)) => Some(Role::EventTime(h.trim().to_string())),
                // `alsfrs_3` is item 3 beside items 1 and 2, a visit month in a wide file.
                Some(r) if r.is_item() && vocab::is_bare_item(n) && !bare_items => None,
                r => r,
            };
            if wide {
                if by_name.as_ref().is_some_and(|r| r.is_item()) {
                    return by_name.unwrap_or(Role::Ignore);
                }
                if let Some(r) = columns::visit_column(n) {
                    return r;
                }
                if columns::event_column(n) {
                    return Role::EventTime(h.trim().to_string());
                }
                match by_name {
                    Some(Role::Event) => Role::EventTime(h.trim().to_string()),
                    Some(r) => r,
                    None => Role::Ignore,
                }
            } else {
                by_name.unwrap_or(Role::Ignore)
            }
        })
        .collect();
    (roles, over)
}

/// A column's role from the settings' overrides (header as written, case-insensitive).
fn override_of(h: &str, settings: &Settings) -> Option<Role> {
    settings
        .columns
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(h.trim()))
        .and_then(|(_, role)| Role::from_name(role, h))
}

/// Bare numbered columns (`alsfrs_1`, `alsfrs_2`, …) are items when they include 1, 2 and 3 and
/// the table has no `<measure>_<n>` column that cannot be an item (0, negative, above 12): else
/// they are months of a wide file.
fn bare_items_are_items(normalized: &[String]) -> bool {
    let mut seen = [false; 13];
    for n in normalized {
        if vocab::is_bare_item(n) {
            if let Some((Role::Item(k), _)) = vocab::item(n) {
                seen[usize::from(k)] = true;
            }
        } else if let Some(Role::Visit {
            measure: Some(_),
            month,
        }) = columns::visit_column(n)
        {
            if !(1.0..=12.0).contains(&month) || month.fract() != 0.0 {
                return false;
            }
        }
    }
    seen[1] && seen[2] && seen[3]
}

/// Where the values decide a role, and where two columns claim one: the roles to read with, and
/// the diagnostics that say what was decided. `line` is the header's line.
pub(crate) fn resolve(
    table: &Table,
    roles: &mut [Role],
    overridden: &[bool],
    line: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let header = &table.header;
    let say = |sev, msg: String, col: usize| {
        Diagnostic::new(sev, DiagKind::ColumnRole, msg)
            .at(line)
            .col(&header[col])
    };
    let numbers = |col: usize| {
        table
            .records()
            .filter_map(move |r| parse_number(r.get(col), table.delimiter))
    };
    let has_revised_items = roles.iter().any(|r| matches!(r, Role::Item(10..=12)));
    let has_original_q10 = roles.contains(&Role::AlsfrsQ10);
    let has_items = roles.iter().any(Role::is_item);
    let explicit_r = |roles: &[Role]| roles.contains(&Role::Measure(Measure::AlsfrsR));
    for c in 0..roles.len() {
        if overridden[c] {
            if roles[c] == Role::DateOrDays {
                roles[c] = dates_or_days(table, c);
            }
            continue;
        }
        match roles[c] {
            Role::DateOrDays => roles[c] = dates_or_days(table, c),
            Role::Total => {
                let above_40 = numbers(c).any(|v| v > 40.0);
                let m = if has_revised_items || above_40 {
                    Some(Measure::AlsfrsR)
                } else if has_original_q10 {
                    Some(Measure::Alsfrs)
                } else {
                    None
                };
                match m {
                    Some(m) if has_items || above_40 => {
                        roles[c] = Role::Measure(m);
                        diags.push(say(
                            Severity::Info,
                            format!(
                                "column \"{}\" read as the {} total ({})",
                                header[c],
                                m.label(),
                                if has_items {
                                    "the item columns are of that scale"
                                } else {
                                    "it has totals above 40"
                                }
                            ),
                            c,
                        ));
                    }
                    _ => {
                        roles[c] = Role::Ignore;
                        diags.push(say(
                            Severity::Warning,
                            format!(
                                "column \"{0}\" is a total of a scale the data does not name; not read (if it is the ALSFRS-R total: --column \"{0}\"=alsfrs_r)",
                                header[c]
                            ),
                            c,
                        ));
                    }
                }
            }
            Role::Measure(Measure::Alsfrs) if !explicit_r(roles) => {
                let above_40 = numbers(c).find(|&v| v > 40.0 && v <= 48.0);
                if let Some(v) = above_40 {
                    roles[c] = Role::Measure(Measure::AlsfrsR);
                    diags.push(say(
                        Severity::Warning,
                        format!(
                            "column \"{0}\" is named ALSFRS (0–40) but holds totals above 40 (e.g. {v}): read as ALSFRS-R (0–48) (if it is not: --column \"{0}\"=alsfrs)",
                            header[c]
                        ),
                        c,
                    ));
                } else if has_revised_items && !has_original_q10 {
                    roles[c] = Role::Measure(Measure::AlsfrsR);
                    diags.push(say(
                        Severity::Info,
                        format!(
                            "column \"{0}\" read as the ALSFRS-R (0–48) total: the item columns are the revised scale's (if it is not: --column \"{0}\"=alsfrs)",
                            header[c]
                        ),
                        c,
                    ));
                }
            }
            Role::Measure(Measure::Fvc) => {
                let mut n = 0usize;
                let below_10 = numbers(c).all(|v| {
                    n += 1;
                    v < 10.0
                });
                if below_10 && n > 0 {
                    roles[c] = Role::FvcLitres;
                    diags.push(say(
                        Severity::Warning,
                        format!(
                            "column \"{0}\" holds values below 10 only, litres rather than % predicted: not analysed as FVC % predicted (if it is % predicted: --column \"{0}\"=fvc)",
                            header[c]
                        ),
                        c,
                    ));
                }
            }
            _ => {}
        }
    }
    let litres: Vec<String> = (0..roles.len())
        .filter(|&c| roles[c] == Role::FvcLitres)
        .map(|c| format!("\"{}\"", header[c]))
        .collect();
    if !litres.is_empty() {
        diags.push(
            Diagnostic::new(
                Severity::Info,
                DiagKind::ColumnRole,
                format!(
                    "{} {} FVC in litres: not analysed (only FVC % predicted is)",
                    litres.join(", "),
                    if litres.len() == 1 { "is" } else { "are" }
                ),
            )
            .at(line),
        );
    }
    one_time_column(table, roles, line, diags);
    one_column_per_role(header, roles, line, diags);
}

/// `alsfrsdt` and the like: dates when most filled cells are dates (with `-`, `/`, `.` or a
/// month name), else days.
fn dates_or_days(table: &Table, col: usize) -> Role {
    let (mut d, mut n) = (0usize, 0usize);
    for r in table.records().take(2000) {
        let s = r.get(col);
        if s.is_empty() {
            continue;
        }
        if parse_number(s, table.delimiter).is_some() {
            n += 1;
        } else if dates::parse_raw(s).is_some() {
            d += 1;
        }
    }
    if d > n {
        Role::Date
    } else {
        Role::Days
    }
}

/// Of several time columns, the first in the order date, month, week, day, visit name that
/// has values; the others are reported and not read.
fn one_time_column(table: &Table, roles: &mut [Role], line: usize, diags: &mut Vec<Diagnostic>) {
    let times: Vec<usize> = (0..roles.len()).filter(|&c| roles[c].is_time()).collect();
    if times.len() < 2 {
        return;
    }
    let rank = |r: &Role| match r {
        Role::Date => 0,
        Role::Months => 1,
        Role::Weeks => 2,
        Role::Days => 3,
        _ => 4,
    };
    let filled = |c: usize| table.records().any(|r| !r.get(c).is_empty());
    let mut order = times.clone();
    crate::sort::sort_by_key(&mut order, |&c| (rank(&roles[c]), c));
    let chosen = order
        .iter()
        .copied()
        .find(|&c| filled(c))
        .unwrap_or(order[0]);
    let header = &table.header;
    for &c in &times {
        if c == chosen {
            continue;
        }
        let what = roles[c].name();
        roles[c] = Role::Ignore;
        diags.push(
            Diagnostic::new(
                Severity::Info,
                DiagKind::ColumnRole,
                format!(
                    "the visits' times are read from \"{}\"; \"{}\" ({what}) is another time column and is not read (to use it instead: --column \"{}\"=ignore)",
                    header[chosen], header[c], header[chosen]
                ),
            )
            .at(line)
            .col(&header[c]),
        );
    }
}

/// Two columns of one role: the first is read, the others are reported and ignored.
fn one_column_per_role(
    header: &[String],
    roles: &mut [Role],
    line: usize,
    diags: &mut Vec<Diagnostic>,
) {
    for c in 0..roles.len() {
        if !roles[c].is_unique() {
            continue;
        }
        // Item 5 in any form is one item.
        let same = |a: &Role, b: &Role| {
            a == b
                || matches!(
                    (a, b),
                    (Role::Item(5), Role::Item5a) | (Role::Item5a, Role::Item(5))
                )
        };
        if let Some(first) = (0..c).find(|&k| same(&roles[k], &roles[c])) {
            let role = roles[c].name();
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::ColumnRole,
                    format!(
                        "columns \"{0}\" and \"{1}\" both read as {2}: \"{0}\" is read and \"{1}\" is not (to read \"{1}\" instead: --column \"{0}\"=ignore --column \"{1}\"={role})",
                        header[first],
                        header[c],
                        roles[c].describe()
                    ),
                )
                .at(line)
                .col(&header[c]),
            );
            roles[c] = Role::Ignore;
        }
    }
}

/// The day/month order of a table's slash dates, from all its date columns together: one
/// order per table. Reports an undecided order, and columns that disagree.
pub(crate) fn table_date_order(
    table: &Table,
    cols: &[usize],
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> DateOrder {
    if let Some(o) = settings.date_order {
        return o;
    }
    if cols.is_empty() {
        return settings.ambiguous_date_order;
    }
    let header = &table.header;
    // Each column's flags, each part of the table on its own core.
    let per_col: Vec<[bool; 3]> = cols
        .iter()
        .map(|&col| {
            crate::par::chunked(table.n_parts(), 1, |rg| {
                rg.map(|k| dates::order_flags(table.records_of_part(k).map(|r| r.get(col))))
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .fold([false; 3], |a, f| [a[0] | f[0], a[1] | f[1], a[2] | f[2]])
        })
        .collect();
    let flags = per_col
        .iter()
        .fold([false; 3], |a, f| [a[0] | f[0], a[1] | f[1], a[2] | f[2]]);
    let names = |which: &dyn Fn(&[bool; 3]) -> bool| {
        cols.iter()
            .zip(&per_col)
            .filter(|(_, f)| which(f))
            .map(|(&c, _)| format!("\"{}\"", header[c]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fmt = |o: DateOrder| {
        if o == DateOrder::Dmy {
            "dd/mm/yyyy"
        } else {
            "mm/dd/yyyy"
        }
    };
    match dates::evidence(flags) {
        OrderEvidence::Decided(o) => o,
        OrderEvidence::NoSlashDates => settings.ambiguous_date_order,
        OrderEvidence::Ambiguous => {
            let o = settings.ambiguous_date_order;
            let cols_named = names(&|f| f[0]);
            let mut d = Diagnostic::new(
                Severity::Info,
                DiagKind::AmbiguousDates,
                if cols.len() == 1 {
                    format!(
                        "every date in column {cols_named} reads both as dd/mm and mm/dd; read as {} (change the date order setting if that is wrong)",
                        fmt(o)
                    )
                } else {
                    format!(
                        "every date in columns {cols_named} reads both as dd/mm and mm/dd; read as {} (change the date order setting if that is wrong)",
                        fmt(o)
                    )
                },
            );
            if let [c] = cols {
                d = d.col(&header[*c]);
            }
            diags.push(d);
            o
        }
        OrderEvidence::Inconsistent => {
            let (mut dmy, mut mdy) = (0, 0);
            for r in table.records() {
                for &col in cols {
                    if let Some(dates::RawDate::Slash { a, b, .. }) = dates::parse_raw(r.get(col)) {
                        dmy += (a > 12) as usize;
                        mdy += (b > 12) as usize;
                    }
                }
            }
            let o = if dmy >= mdy {
                DateOrder::Dmy
            } else {
                DateOrder::Mdy
            };
            let msg = if cols.len() == 1 {
                format!(
                    "column \"{}\" mixes dd/mm and mm/dd dates; read as {} (the majority); dates invalid in that order are skipped",
                    header[cols[0]],
                    fmt(o)
                )
            } else {
                format!(
                    "the dates of this table mix dd/mm ({}) and mm/dd ({}); all are read as {} (the majority), one order per table; dates invalid in that order are skipped",
                    names(&|f| f[1]),
                    names(&|f| f[2]),
                    fmt(o)
                )
            };
            let mut d = Diagnostic::new(Severity::Warning, DiagKind::AmbiguousDates, msg);
            if let [c] = cols {
                d = d.col(&header[*c]);
            }
            diags.push(d);
            o
        }
    }
}
