//! Column roles: what each column of the header is (settings' overrides first, then
//! recognition by name, for the long or the wide layout), and the day/month order of a date
//! column, decided from its values.

use super::columns::{self, Role};
use super::dates::{self, OrderEvidence};
use super::tokenizer::Table;
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::settings::{DateOrder, Settings};

/// Column roles: overrides from the settings first, then recognition by name.
pub(crate) fn assign_roles(header: &[String], settings: &Settings, wide: bool) -> Vec<Role> {
    header
        .iter()
        .map(|h| {
            let over = settings
                .columns
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(h.trim()))
                .and_then(|(_, role)| Role::from_name(role, h));
            if let Some(r) = over {
                return r;
            }
            let n = columns::normalize(h);
            if wide {
                if let Some(r) = columns::visit_column(&n) {
                    return r;
                }
                if columns::event_column(&n) {
                    return Role::EventTime(h.trim().to_string());
                }
                match columns::guess(&n) {
                    Some(Role::Event) => Role::EventTime(h.trim().to_string()),
                    Some(r) => r,
                    None => Role::Ignore,
                }
            } else {
                columns::guess(&n).unwrap_or(Role::Ignore)
            }
        })
        .collect()
}

pub(crate) fn is_time(r: &Role) -> bool {
    matches!(r, Role::Date | Role::Months | Role::Weeks | Role::Days)
}

/// Decide a date column's order; reports ambiguity and inconsistency.
pub(crate) fn column_date_order(
    table: &Table,
    col: usize,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> DateOrder {
    if let Some(o) = settings.date_order {
        return o;
    }
    let header = &table.header[col];
    // Each part of the table on its own core; the parts' flags combine.
    let per_part = crate::par::chunked(table.n_parts(), 1, |rg| {
        rg.map(|k| dates::order_flags(table.records_of_part(k).map(|r| r.get(col))))
            .collect::<Vec<_>>()
    });
    let flags = per_part
        .into_iter()
        .flatten()
        .fold([false; 3], |a, f| [a[0] | f[0], a[1] | f[1], a[2] | f[2]]);
    let ev = dates::evidence(flags);
    match ev {
        OrderEvidence::Decided(o) => o,
        OrderEvidence::NoSlashDates => settings.ambiguous_date_order,
        OrderEvidence::Ambiguous => {
            let o = settings.ambiguous_date_order;
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    DiagKind::AmbiguousDates,
                    format!(
                        "every date in column \"{header}\" reads both as dd/mm and mm/dd; read as {} (change the date order setting if that is wrong)",
                        if o == DateOrder::Dmy { "dd/mm/yyyy" } else { "mm/dd/yyyy" }
                    ),
                )
                .col(header),
            );
            o
        }
        OrderEvidence::Inconsistent => {
            let (mut dmy, mut mdy) = (0, 0);
            for r in table.records() {
                if let Some(dates::RawDate::Slash { a, b, .. }) = dates::parse_raw(r.get(col)) {
                    dmy += (a > 12) as usize;
                    mdy += (b > 12) as usize;
                }
            }
            let o = if dmy >= mdy {
                DateOrder::Dmy
            } else {
                DateOrder::Mdy
            };
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    DiagKind::AmbiguousDates,
                    format!(
                        "column \"{header}\" mixes dd/mm and mm/dd dates; read as {} (the majority); dates invalid in that order are skipped",
                        if o == DateOrder::Dmy { "dd/mm/yyyy" } else { "mm/dd/yyyy" }
                    ),
                )
                .col(header),
            );
            o
        }
    }
}
