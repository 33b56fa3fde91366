//! Cells that hold a time: a calendar date (days since 1970, checked for plausibility) on a
//! dataset of dates, or a relative time in a column's unit (days, weeks or months) on a dataset
//! of times since baseline. Used for visit times, onset, events and patient facts (death,
//! diagnosis, …) alike.

use super::cells::parse_number;
use super::columns::normalize;
use super::dates;
use crate::data::TimeAxis;
use crate::settings::DateOrder;

/// Longest relative time accepted, in days (±10,000 years, like the date range): beyond it,
/// times in months would overflow to infinity.
pub(crate) const MAX_RELATIVE_DAYS: f64 = 3_652_500.0;

/// How a column's time cells are read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    /// Calendar dates, with the table's day/month order and the plausible range.
    Date(DateOrder, (f64, f64)),
    /// Relative times: `scale` days per unit.
    Relative(f64),
}

/// Why a time cell was not read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TimeError {
    /// Not a date (of a dataset of dates) or not a number (of relative times).
    NotATime,
    /// A date on a dataset of relative times.
    DateNotRelative,
    /// A date outside the plausible range (its ISO form).
    Implausible(String),
    /// A relative time beyond ±10,000 years.
    TooFar,
}

impl When {
    /// The column's time reader: dates on a dataset of dates; on relative times, the unit its
    /// name states (`_days`, `_delta`, `_weeks`, `_months`), else `scale`.
    pub(crate) fn for_column(
        header: &str,
        axis: TimeAxis,
        order: DateOrder,
        scale: f64,
        month_days: f64,
    ) -> When {
        match axis {
            TimeAxis::Dates => When::Date(order, dates::plausible_range()),
            TimeAxis::Relative => When::Relative(unit_of(header, month_days).unwrap_or(scale)),
        }
    }

    /// A cell's day on the time axis; Ok(None) for an empty cell.
    pub(crate) fn day(&self, s: &str, delimiter: u8) -> Result<Option<f64>, TimeError> {
        if s.is_empty() {
            return Ok(None);
        }
        match *self {
            When::Date(order, range) => {
                let d = dates::parse_raw(s)
                    .and_then(|raw| dates::resolve(raw, order))
                    .ok_or(TimeError::NotATime)?;
                if !dates::plausible(d, range) {
                    return Err(TimeError::Implausible(
                        crate::data::date::iso_from_days(d).unwrap_or_else(|| s.to_string()),
                    ));
                }
                Ok(Some(d))
            }
            When::Relative(scale) => match parse_number(s, delimiter) {
                Some(x) => {
                    let d = x * scale;
                    if d.abs() <= MAX_RELATIVE_DAYS {
                        Ok(Some(d))
                    } else {
                        Err(TimeError::TooFar)
                    }
                }
                None if dates::parse_raw(s).is_some() => Err(TimeError::DateNotRelative),
                None => Err(TimeError::NotATime),
            },
        }
    }

    /// The error in words, for "`\"{cell}\"` {words}".
    pub(crate) fn explain(&self, e: &TimeError) -> String {
        match e {
            TimeError::NotATime => match self {
                When::Date(..) => "is not a date".into(),
                When::Relative(_) => "is not a number (the times are relative, not dates)".into(),
            },
            TimeError::DateNotRelative => {
                "is a date, but the data's times are relative (days or months since baseline), not dates".into()
            }
            TimeError::Implausible(iso) => {
                let (lo, hi) = dates::plausible_range();
                let y = |d: f64| crate::data::date::iso_from_days(d).map(|s| s[..4].to_string()).unwrap_or_default();
                format!(
                    "is {iso}, outside the plausible dates ({} to {})",
                    y(lo),
                    y(hi - 1.0)
                )
            }
            TimeError::TooFar => "is not a time within ±10,000 years".into(),
        }
    }
}

/// The unit a column's name states, as days per unit: `death_days`, `Onset_Delta` (PRO-ACT's
/// deltas are days) → 1; `_weeks` → 7; `_months` → a month.
pub(crate) fn unit_of(header: &str, month_days: f64) -> Option<f64> {
    let n = normalize(header);
    let last = n.rsplit('_').next().unwrap_or("");
    match last {
        "days" | "day" | "delta" | "dy" => Some(1.0),
        "weeks" | "week" | "wk" => Some(7.0),
        "months" | "month" | "mo" => Some(month_days),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_and_relative_times() {
        let md = 30.4375;
        let w = When::for_column("Death_Days", TimeAxis::Relative, DateOrder::Dmy, md, md);
        assert_eq!(w.day("-30", b','), Ok(Some(-30.0)));
        assert_eq!(w.day("", b','), Ok(None));
        assert_eq!(w.day("2020-01-01", b','), Err(TimeError::DateNotRelative));
        let w = When::for_column("death", TimeAxis::Relative, DateOrder::Dmy, md, md);
        assert_eq!(w.day("2", b','), Ok(Some(2.0 * md)));
        let w = When::for_column("death_date", TimeAxis::Dates, DateOrder::Dmy, 1.0, md);
        assert_eq!(w.day("1970-01-02", b','), Ok(Some(1.0)));
        assert!(matches!(
            w.day("0001-01-01", b','),
            Err(TimeError::Implausible(_))
        ));
        assert!(matches!(
            w.day("2999-01-01", b','),
            Err(TimeError::Implausible(_))
        ));
        assert_eq!(w.day("x", b','), Err(TimeError::NotATime));
    }
}
