//! The whole run, on top of the crate: parse → analysis → models, as the settings ask. What the
//! command-line tool, the page's bindings (`web`), the benchmarks, the fuzz targets and the tests
//! call. Each step is also callable on its own: the page keeps the [`Parsed`] data of its first
//! pass and fits the models later without parsing again.

use crate::analysis::{self, Analysis};
use crate::diag::InputError;
use crate::input::Parsed;
use crate::settings::Settings;

#[cfg(feature = "models")]
use crate::data::Measure;
#[cfg(feature = "models")]
use crate::models::{self, ModelFits};

/// Parse and analyse text (CSV, TSV or pasted spreadsheet cells), with the model fits the
/// settings ask for: [`parse`], then [`analyze`].
pub fn run(text: &str, settings: &Settings) -> Result<Analysis, InputError> {
    Ok(analyze(&parse(text, settings)?, settings))
}

/// Read text into patients, visits and events, with line-numbered diagnostics; an error only for
/// input that cannot be analysed at all. The text may hold several tables (`#table: NAME` lines,
/// or tables pasted one after another), joined on the patient id.
pub fn parse(text: &str, settings: &Settings) -> Result<Parsed, InputError> {
    crate::parse::parse(text, settings)
}

/// Read several named texts (files) together, joined on the patient id, e.g. PRO-ACT's
/// `ALSFRS.csv`, `AlsHistory.csv`, `Treatment.csv`, `DeathData.csv` and `FVC.csv`: relative
/// days of every table share the enrolment origin; diagnostics name the file and its line.
pub fn parse_tables(named: &[(&str, &str)], settings: &Settings) -> Result<Parsed, InputError> {
    crate::parse::parse_tables(named, settings)
}

/// [`parse_tables`], then [`analyze`].
pub fn run_tables(named: &[(&str, &str)], settings: &Settings) -> Result<Analysis, InputError> {
    Ok(analyze(&parse_tables(named, settings)?, settings))
}

/// Analyse parsed data: periods, rates, responders, group statistics, and the mixed models and
/// D50 fits when the settings ask for them (`mixed_models`, `d50`) and this build fits models
/// (the `models` feature; without it, a diagnostic says they were not fitted).
pub fn analyze(parsed: &Parsed, settings: &Settings) -> Analysis {
    let mut a = analysis::analyze(parsed, settings);
    // The analysis' diagnostics name lines counted over all tables: their table's own lines.
    crate::parse::locate_diagnostics(&mut a.diagnostics, &parsed.info);
    #[cfg(feature = "models")]
    {
        let fits = fit_models(parsed, settings, &a.measures);
        (a.mixed_models, a.d50, a.model_notes) = (fits.mixed_models, fits.d50, fits.notes);
    }
    #[cfg(not(feature = "models"))]
    if settings.mixed_models || settings.d50 {
        use crate::diag::{DiagKind, Diagnostic, Severity};
        // Where a stable sort by (line, severity) puts it: after the other infos without a line.
        let at = a.diagnostics.partition_point(|d| {
            (d.line.unwrap_or(0), d.severity as u8) <= (0, Severity::Info as u8)
        });
        a.diagnostics.insert(
            at,
            Diagnostic::new(
                Severity::Info,
                DiagKind::Layout,
                "mixed models and D50 curves are not fitted by this build (the page fits them \
                 with its models module, on demand)",
            ),
        );
    }
    a
}

/// The model fits the settings ask for, of the analysed `measures` (`Analysis::measures`): the
/// linear mixed models (`mixed_models`) and, when the data have ALSFRS-R scores, the D50 fits
/// (`d50`, with the note on the model's conventions).
#[cfg(feature = "models")]
pub fn fit_models(parsed: &Parsed, settings: &Settings, measures: &[Measure]) -> ModelFits {
    // The groups the settings ask for (`group_by`), as the analysis used them.
    let ds = &*analysis::grouped(&parsed.dataset, settings);
    let month_days = settings.month_len();
    let mut notes = Vec::new();
    let mixed = if settings.mixed_models {
        let n_groups = crate::analysis::groups_of(ds).len();
        notes.extend(models::pairwise_bound_note(
            n_groups,
            settings.max_pairwise_groups,
        ));
        models::fit_mixed_models_bounded(
            ds,
            month_days,
            settings.reml,
            measures,
            settings.max_pairwise_groups,
        )
    } else {
        Vec::new()
    };
    let d50 = if settings.d50 && ds.measures.contains(&Measure::AlsfrsR) {
        notes.push(models::d50::conventions(settings.d50_onset_point));
        models::fit_d50(ds, month_days, settings.d50_onset_point)
    } else {
        Vec::new()
    };
    ModelFits {
        mixed_models: mixed,
        d50,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostics stay in (line, severity) order, the models' diagnostic included when this
    /// build does not fit them; the fits are there when it does.
    #[test]
    fn analyze_keeps_the_diagnostics_in_order() {
        let text =
            "id,date,alsfrs_r,event\nA,2020-01-01,40,\nA,2020-02-01,39,inj\nA,2020-03-01,x,\n\
                    B,2020-01-01,41,\nB,2020-02-01,40,\nB,2020-03-01,39,\n";
        let a = run(text, &Settings::default()).unwrap();
        let keys: Vec<_> = a
            .diagnostics
            .iter()
            .map(|d| (d.line.unwrap_or(0), d.severity as u8))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
        let not_fitted = a
            .diagnostics
            .iter()
            .filter(|d| {
                d.message
                    .starts_with("mixed models and D50 curves are not fitted")
            })
            .count();
        assert_eq!(not_fitted, usize::from(cfg!(not(feature = "models"))));
        assert_eq!(a.mixed_models.is_empty(), cfg!(not(feature = "models")));
    }
}
