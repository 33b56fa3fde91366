//! Fitting the mixed models of an analysis, group by group and measure by measure.

use super::*;
use crate::data::{Dataset, Measure};

/// One observation of one measure: patient index, months since the patient's first event
/// (first visit without events), months after the first event (0 throughout without an event),
/// score.
struct Obs {
    /// The patient's index in the dataset (a u32: 32 bytes an observation, not 40; the input is
    /// at most 2 GB, so fewer than 2^32 patients).
    patient: u32,
    t: f64,
    t_after: f64,
    y: f64,
}

/// Observations of `measure`, patient by patient in dataset order; t = (day − first event day) /
/// month_days, or from the first visit when the patient has no event; t_after = max(0, t), and 0
/// at every visit of a patient without an event (never treated, or died before treatment: all of
/// their follow-up is before treatment).
fn observations(ds: &Dataset, month_days: f64, measure: Measure) -> Vec<Obs> {
    // One list, in patient order (not a list per patient: 1M one-visit patients held ~180 MB).
    ds.patients
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| patient_observations(pi, p, month_days, measure))
        .collect()
}

/// One patient's observations of `measure` (see [`observations`]).
fn patient_observations(
    pi: usize,
    p: &crate::data::Patient,
    md: f64,
    measure: Measure,
) -> impl Iterator<Item = Obs> + '_ {
    let event = p.events.first().map(|e| e.day);
    let untreated = event.is_none();
    let origin = event.or_else(|| p.visits.first().map(|v| v.day));
    let origin = origin.filter(|o| o.is_finite());
    let visits = if origin.is_some() { &p.visits[..] } else { &[] };
    let origin = origin.unwrap_or(0.0);
    visits.iter().filter_map(move |v| {
        let y = v.scores.get(measure.index())?;
        let t = (v.day - origin) / md;
        let t_after = if untreated { 0.0 } else { t.max(0.0) };
        (y.is_finite() && t.is_finite()).then_some(Obs {
            patient: pi as u32,
            t,
            t_after,
            y,
        })
    })
}

/// What lme4's count check and a refused model's entry need, of one group or a pair:
/// observations, patients with one, and among them those without an event.
#[derive(Clone, Copy, Default)]
struct Counts {
    n_obs: usize,
    n_patients: usize,
    n_untreated: usize,
}

impl Counts {
    /// Each group's counts, without the observations' list.
    fn of_groups(ds: &Dataset, md: f64, measure: Measure, gidx: &[usize], n: usize) -> Vec<Counts> {
        let mut c = vec![Counts::default(); n];
        for (pi, p) in ds.patients.iter().enumerate() {
            let k = patient_observations(pi, p, md, measure).count();
            if k > 0 {
                let g = &mut c[gidx[pi]];
                g.n_obs += k;
                g.n_patients += 1;
                g.n_untreated += usize::from(p.events.is_empty());
            }
        }
        c
    }

    fn plus(self, o: Counts) -> Counts {
        Counts {
            n_obs: self.n_obs + o.n_obs,
            n_patients: self.n_patients + o.n_patients,
            n_untreated: self.n_untreated + o.n_untreated,
        }
    }

    /// lme4's count check (`fit_lmm` makes it too): observations ≤ random effects (a random
    /// intercept and slope per patient) refuse the model.
    fn refused(self) -> bool {
        self.n_patients >= 2 && self.n_obs <= 2 * self.n_patients
    }

    /// The entry of a model the count check refuses.
    fn refused_entry(
        self,
        label: String,
        measure: Measure,
        formula: &str,
        reml: bool,
    ) -> MixedModelEntry {
        let e = crate::models::lmm::LmmError::TooFewObservations {
            n_obs: self.n_obs,
            n_random: 2 * self.n_patients,
        };
        empty_entry(
            label,
            measure,
            formula,
            reml,
            self.n_obs,
            self.n_patients,
            self.n_untreated,
            format!("model not fitted: {e}"),
        )
    }
}

/// The note on patients without an event, when a model has any.
fn untreated_note(n_untreated: usize, n_patients: usize) -> Option<String> {
    (n_untreated > 0).then(|| {
        format!(
            "{n_untreated} of {n_patients} patients {} no event (never treated, or died or left \
             before treatment): all their visits count as before (t_after = 0)",
            if n_untreated == 1 { "has" } else { "have" }
        )
    })
}

fn opt(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[allow(clippy::too_many_arguments)]
fn empty_entry(
    group: String,
    measure: Measure,
    formula: &str,
    reml: bool,
    n_obs: usize,
    n_patients: usize,
    n_untreated: usize,
    note: String,
) -> MixedModelEntry {
    MixedModelEntry {
        group,
        measure,
        formula: formula.to_string(),
        method: if reml { "REML" } else { "ML" }.to_string(),
        n_obs,
        n_patients,
        n_patients_without_event: n_untreated,
        fixed: Vec::new(),
        sd_intercept: None,
        sd_slope: None,
        corr: None,
        sd_residual: None,
        reml_criterion: None,
        converged: false,
        singular: false,
        note: Some(note),
    }
}

/// Fit the model with columns built by `row(obs, in_second_group)` (the observations from
/// `second_from` on are the second group's, in a pair's model), turning the result into an entry.
/// `counts` are `data`'s, which the count check has passed.
#[allow(clippy::too_many_arguments)]
fn fit_entry(
    label: String,
    measure: Measure,
    formula: &str,
    reml: bool,
    data: &[&Obs],
    counts: Counts,
    second_from: usize,
    names: &[String],
    row: &dyn Fn(&Obs, bool) -> Vec<f64>,
) -> MixedModelEntry {
    let Counts {
        n_obs,
        n_patients,
        n_untreated,
    } = counts;
    let y: Vec<f64> = data.iter().map(|o| o.y).collect();
    let t: Vec<f64> = data.iter().map(|o| o.t).collect();
    let g: Vec<usize> = data.iter().map(|o| o.patient as usize).collect();
    let x: Vec<Vec<f64>> = data
        .iter()
        .enumerate()
        .map(|(i, o)| row(o, i >= second_from))
        .collect();
    let fit = match fit_lmm(&y, &x, names, &t, &g, reml) {
        Ok(f) => f,
        Err(e) => {
            return empty_entry(
                label,
                measure,
                formula,
                reml,
                n_obs,
                n_patients,
                n_untreated,
                format!("model not fitted: {e}"),
            )
        }
    };
    let mut notes: Vec<String> = Vec::new();
    notes.extend(untreated_note(n_untreated, n_patients));
    let mut formula = formula.to_string();
    if !fit.dropped.is_empty() {
        let t_after_zero = data.iter().all(|o| o.t_after == 0.0);
        let no_pre = data.iter().all(|o| o.t_after == o.t);
        let why = if t_after_zero && n_untreated == n_patients {
            "no patient has an event, so t_after is 0 throughout"
        } else if t_after_zero {
            "no visit after a first event, so t_after is 0 throughout"
        } else if no_pre {
            "every visit is on or after the patient's first event, so t_after equals t"
        } else {
            "its column is a linear combination of the others"
        };
        notes.push(format!(
            "{} dropped from the fixed effects: {why} (rank-deficient model matrix; lme4 drops the same column)",
            fit.dropped.join(", ")
        ));
        formula = format!("{formula} [fitted without {}]", fit.dropped.join(", "));
    }
    if fit.singular {
        notes.push(
            "boundary (singular) fit: a random-effect variance or the correlation is at its limit"
                .into(),
        );
    }
    if !fit.converged {
        notes.push("the optimiser did not fully converge".into());
    }
    if fit.fixed.iter().any(|f| f.df.is_none()) {
        notes.push("Satterthwaite df not available for some terms".into());
    }
    notes.extend(fit.warnings.iter().cloned());
    MixedModelEntry {
        group: label,
        measure,
        formula,
        method: if reml { "REML" } else { "ML" }.to_string(),
        n_obs,
        n_patients,
        n_patients_without_event: n_untreated,
        fixed: fit.fixed,
        sd_intercept: opt(fit.sd_intercept),
        sd_slope: opt(fit.sd_slope),
        corr: fit.corr.and_then(opt),
        sd_residual: opt(fit.sigma),
        reml_criterion: opt(fit.criterion),
        converged: fit.converged,
        singular: fit.singular,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// Linear mixed models per measure: one `score ~ 1 + t + t_after + (1 + t | patient)` per group,
/// and with ≥ 2 groups one `score ~ group * (t + t_after) + (1 + t | patient)` per pair of groups
/// (groups in order of first appearance; the first of the pair is the reference, terms named as
/// lmer names them: "groupB", "groupB:t", "groupB:t_after").
///
/// t is months since the patient's first event (since the first visit without events),
/// t_after = max(0, t), and 0 at every visit of a patient without an event (never treated, or
/// died before treatment: all their follow-up is before treatment; the entry counts them,
/// `n_patients_without_event`, and says so in its note). Patients with a single visit are kept. Models that cannot be fitted are
/// returned with a note and no numbers; a t_after column without information (no post-event or
/// no pre-event visits) is dropped as lme4 does, with a note.
///
/// `month_days`: days per month (`Settings::month_len`); `reml`: REML (true) or ML.
pub fn fit_mixed_models(
    ds: &Dataset,
    month_days: f64,
    reml: bool,
    measures: &[Measure],
) -> Vec<MixedModelEntry> {
    fit_mixed_models_bounded(ds, month_days, reml, measures, usize::MAX)
}

/// [`fit_mixed_models`], with the models of pairs of groups only when the data have at most
/// `max_pairwise_groups` groups (k groups make k(k − 1)/2 pairs); the per-group models always.
/// [`pairwise_bound_note`] says so when the bound applies.
pub fn fit_mixed_models_bounded(
    ds: &Dataset,
    month_days: f64,
    reml: bool,
    measures: &[Measure],
    max_pairwise_groups: usize,
) -> Vec<MixedModelEntry> {
    let mut groups: Vec<&str> = Vec::new();
    for p in &ds.patients {
        if !groups.contains(&p.group.as_ref()) {
            groups.push(p.group.as_ref());
        }
    }
    let gidx: Vec<usize> = ds
        .patients
        .iter()
        .map(|p| groups.iter().position(|g| **g == *p.group).unwrap_or(0))
        .collect();
    let base_names: Vec<String> = ["(Intercept)", "t", "t_after"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = Vec::new();
    for &measure in measures {
        // Counted first: the models lme4's count check refuses need no list of observations (a
        // million one-visit patients: none is made).
        let counts = Counts::of_groups(ds, month_days, measure, &gidx, groups.len());
        let n_pairs = if groups.len() <= max_pairwise_groups {
            groups.len()
        } else {
            0
        };
        let pair_fitted = |a: usize, b: usize| {
            let (ca, cb) = (counts[a], counts[b]);
            ca.n_obs > 0 && cb.n_obs > 0 && !ca.plus(cb).refused()
        };
        let any_fitted = counts.iter().any(|c| c.n_obs > 0 && !c.refused())
            || (0..n_pairs).any(|a| (a + 1..n_pairs).any(|b| pair_fitted(a, b)));
        let obs = if any_fitted {
            observations(ds, month_days, measure)
        } else {
            Vec::new()
        };
        // Each group's list at its length (a list grows by doubling).
        let mut per_group: Vec<Vec<&Obs>> = counts
            .iter()
            .map(|c| Vec::with_capacity(if any_fitted { c.n_obs } else { 0 }))
            .collect();
        for o in &obs {
            per_group[gidx[o.patient as usize]].push(o);
        }
        for (gi, data) in per_group.iter().enumerate() {
            let c = counts[gi];
            if c.n_obs == 0 {
                continue;
            }
            if c.refused() {
                out.push(c.refused_entry(groups[gi].to_string(), measure, GROUP_FORMULA, reml));
                continue;
            }
            out.push(fit_entry(
                groups[gi].to_string(),
                measure,
                GROUP_FORMULA,
                reml,
                data,
                c,
                data.len(),
                &base_names,
                &|o, _| vec![1.0, o.t, o.t_after],
            ));
        }
        for a in 0..n_pairs {
            for b in a + 1..n_pairs {
                if counts[a].n_obs == 0 || counts[b].n_obs == 0 {
                    continue;
                }
                let label = format!("{} vs {}", groups[a], groups[b]);
                if !pair_fitted(a, b) {
                    let c = counts[a].plus(counts[b]);
                    out.push(c.refused_entry(label, measure, ARMS_FORMULA, reml));
                    continue;
                }
                let gname = format!("group{}", groups[b]);
                let names: Vec<String> = vec![
                    "(Intercept)".into(),
                    gname.clone(),
                    "t".into(),
                    "t_after".into(),
                    format!("{gname}:t"),
                    format!("{gname}:t_after"),
                ];
                let mut data: Vec<&Obs> = per_group[a].clone();
                data.extend(per_group[b].iter().copied());
                out.push(fit_entry(
                    label,
                    measure,
                    ARMS_FORMULA,
                    reml,
                    &data,
                    counts[a].plus(counts[b]),
                    per_group[a].len(),
                    &names,
                    &|o, in_b| {
                        let d = if in_b { 1.0 } else { 0.0 };
                        vec![1.0, d, o.t, o.t_after, d * o.t, d * o.t_after]
                    },
                ));
            }
        }
    }
    out
}

/// The note when the data have more groups than `max_pairwise_groups`: no models of pairs of
/// groups (None otherwise).
pub fn pairwise_bound_note(n_groups: usize, max_pairwise_groups: usize) -> Option<String> {
    (n_groups > max_pairwise_groups).then(|| {
        format!(
            "{n_groups} groups, more than the {max_pairwise_groups} compared pairwise (setting max_pairwise_groups): mixed models per group only, none between pairs of groups"
        )
    })
}
