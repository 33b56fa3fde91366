//! Group statistics per measure: summaries, responder counts, within-group pre vs post tests,
//! between-group tests and the interval correlation.

use super::{
    PatientResult, ResponderCount, Summary, SummaryVariable, TestEntry, TestKind, TestVariable,
};
use crate::data::Measure;
use crate::settings::Settings;
use crate::stats::{self, StatError, TestResult};

fn entry(
    kind: TestKind,
    m: Measure,
    group: &str,
    variable: TestVariable,
    n_fallback: usize,
    r: Result<TestResult, StatError>,
) -> TestEntry {
    match r {
        Ok(t) => TestEntry {
            kind,
            measure: m,
            group: group.into(),
            variable,
            n: t.n,
            statistic: t.statistic.is_finite().then_some(t.statistic),
            p_value: t.p_value.is_finite().then_some(t.p_value),
            method: t.method,
            estimate: t.estimate.filter(|e| e.is_finite()),
            note: t.note,
            title: String::new(),
            direction: None,
            power_note: None,
        },
        Err(e) => TestEntry {
            kind,
            measure: m,
            group: group.into(),
            variable,
            n: n_fallback,
            statistic: None,
            p_value: None,
            method: "not computed".into(),
            estimate: None,
            note: Some(e.0),
            title: String::new(),
            direction: None,
            power_note: None,
        },
    }
}

/// What a test compares, in words, for its title.
fn subject(variable: TestVariable, group: &str) -> String {
    match variable {
        TestVariable::PreVsPost => format!("Before vs after, within {group}"),
        TestVariable::PostRate => format!("Rate after treatment, {group}"),
        TestVariable::Change => format!("Change in rate (before − after), {group}"),
        TestVariable::ImprovementVsInterval => {
            format!("% improvement vs interval length, within {group}")
        }
        TestVariable::CourseRate => format!("Whole-course rate, {group}"),
    }
}

/// The centre the direction is read from: the median for rank tests, the mean for t-tests.
fn centre(kind: TestKind, x: &[f64]) -> Option<f64> {
    match kind {
        TestKind::PairedT | TestKind::WelchT => stats::mean(x),
        _ => stats::median(x),
    }
}

/// The direction of an effect `d` (> 0, < 0 or 0) in words.
fn words(d: f64, pos: String, neg: String, zero: &str) -> String {
    if d > 0.0 {
        pos
    } else if d < 0.0 {
        neg
    } else {
        zero.to_string()
    }
}

/// Sets the title, the direction in words and the low-power note of a test. `samples`: the values
/// tested (pre − post differences for a paired test; the two groups' values, named, for a
/// two-sample test; for Spearman the estimate ρ gives the direction).
fn describe(mut t: TestEntry, samples: Samples) -> TestEntry {
    t.title = format!("{} — {}", subject(t.variable, &t.group), t.kind.title());
    let computed = t.statistic.is_some();
    let (direction, small) = match samples {
        Samples::Paired(d) => {
            let dir = centre(t.kind, d).map(|c| {
                words(
                    c,
                    "slower decline after treatment".into(),
                    "faster decline after treatment".into(),
                    "no change in the rate",
                )
            });
            (dir, d.len())
        }
        Samples::Two((a, x), (b, y)) => {
            let dir = centre(t.kind, x)
                .zip(centre(t.kind, y))
                .map(|(cx, cy)| match t.variable {
                    TestVariable::Change => words(
                        cx - cy,
                        format!("{a}'s decline slowed more than {b}'s"),
                        format!("{b}'s decline slowed more than {a}'s"),
                        "no difference",
                    ),
                    TestVariable::PostRate => words(
                        cx - cy,
                        format!("{a} declines faster than {b} after treatment"),
                        format!("{a} declines slower than {b} after treatment"),
                        "no difference",
                    ),
                    _ => words(
                        cx - cy,
                        format!("{a} declines faster than {b}"),
                        format!("{a} declines slower than {b}"),
                        "no difference",
                    ),
                });
            (dir, x.len().min(y.len()))
        }
        Samples::Correlation(n) => {
            let dir = t.estimate.map(|r| {
                words(
                    r,
                    "longer intervals go with larger % improvement".into(),
                    "longer intervals go with smaller % improvement".into(),
                    "no association",
                )
            });
            (dir, n)
        }
        Samples::Many => (None, usize::MAX),
    };
    // What the words were read from: rank tests and t-tests can disagree (medians vs means).
    let basis = match (t.kind, samples) {
        (TestKind::PairedT, _) => " (mean of before − after)",
        (TestKind::WilcoxonSignedRank, _) => " (median of before − after)",
        (TestKind::WelchT, _) => " (means)",
        (TestKind::MannWhitney, _) => " (medians)",
        _ => "",
    };
    t.direction = direction.filter(|_| computed).map(|mut d| {
        d.push_str(basis);
        d
    });
    t.power_note = if matches!(samples, Samples::Correlation(_)) && small < 4 {
        Some(format!(
            "only {}: a correlation on fewer than 4 points says little",
            crate::format::count(small, "point", "points")
        ))
    } else if small < 6 {
        Some(format!(
            "n = {small}{}: a test on fewer than 6 values has little power",
            if matches!(samples, Samples::Two(..)) {
                " in the smaller group"
            } else {
                ""
            }
        ))
    } else {
        None
    };
    t
}

/// The values behind a test, for [`describe`].
#[derive(Clone, Copy)]
enum Samples<'a> {
    Paired(&'a [f64]),
    Two((&'a str, &'a [f64]), (&'a str, &'a [f64])),
    Correlation(usize),
    Many,
}

fn summary(m: Measure, group: &str, variable: SummaryVariable, xs: &[f64]) -> Summary {
    let s = stats::summarize(xs);
    Summary {
        measure: m,
        group: group.into(),
        variable,
        n: s.n,
        mean: s.mean,
        sd: s.sd,
        median: s.median,
        q1: s.q1,
        q3: s.q3,
    }
}

fn values(ps: &[&PatientResult], f: impl Fn(&PatientResult) -> Option<f64>) -> Vec<f64> {
    ps.iter()
        .filter_map(|p| f(p))
        .filter(|v| v.is_finite())
        .collect()
}

/// Natural history: no patient has an event in this measure's results (then the whole-course
/// rates are summarised and compared between groups; there is no pre vs post).
fn natural_history(by_group: &[Vec<&PatientResult>]) -> bool {
    by_group.iter().flatten().all(|p| p.first_event.is_none())
}

/// One measure's results, group by group.
fn by_group<'r>(
    m: Measure,
    groups: &[String],
    results: &'r [PatientResult],
) -> Vec<Vec<&'r PatientResult>> {
    groups
        .iter()
        .map(|g| {
            results
                .iter()
                .filter(|r| r.measure == m && *r.group == **g)
                .collect()
        })
        .collect()
}

/// The three independent parts of one measure's group statistics.
#[derive(Clone, Copy)]
pub enum Part {
    /// Summaries and responder counts, group by group.
    Summaries,
    /// Tests within each group: pre vs post, % improvement vs interval length.
    Within,
    /// Tests between every pair of groups.
    Between,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Summaries, Part::Within, Part::Between];
}

/// One part of the group statistics of one measure.
pub fn group_stats(
    m: Measure,
    part: Part,
    groups: &[String],
    results: &[PatientResult],
    s: &Settings,
) -> (Vec<Summary>, Vec<ResponderCount>, Vec<TestEntry>) {
    match part {
        Part::Summaries => {
            let (sums, resp) = summaries(m, groups, results, s);
            (sums, resp, Vec::new())
        }
        Part::Within => (Vec::new(), Vec::new(), within_groups(m, groups, results)),
        Part::Between => (
            Vec::new(),
            Vec::new(),
            between_groups(m, groups, results, s.max_pairwise_groups),
        ),
    }
}

/// Summaries of pre, post, change and % improvement, and responder counts, in each group.
fn summaries(
    m: Measure,
    groups: &[String],
    results: &[PatientResult],
    s: &Settings,
) -> (Vec<Summary>, Vec<ResponderCount>) {
    let mut sums = Vec::new();
    let mut resp = Vec::new();
    let by_group = by_group(m, groups, results);
    let natural = natural_history(&by_group);
    for (g, ps) in groups.iter().zip(&by_group) {
        if ps.is_empty() {
            continue;
        }
        use SummaryVariable::*;
        sums.push(summary(m, g, PreRate, &values(ps, |p| p.pre_rate)));
        sums.push(summary(m, g, PostRate, &values(ps, |p| p.post_rate)));
        sums.push(summary(m, g, Change, &values(ps, |p| p.change)));
        sums.push(summary(
            m,
            g,
            ImprovementPct,
            &values(ps, |p| p.improvement_pct),
        ));
        if natural {
            sums.push(summary(m, g, CourseRate, &values(ps, |p| p.course_rate)));
        }

        let evaluable = ps.iter().filter(|p| p.responder.is_some()).count();
        let responders = ps.iter().filter(|p| p.responder == Some(true)).count();
        let unreliable = ps
            .iter()
            .filter(|p| p.improvement_unreliable && p.improvement_pct.is_some())
            .count();
        resp.push(ResponderCount {
            measure: m,
            group: g.clone(),
            n_evaluable: evaluable,
            n_unreliable: unreliable,
            responders,
            proportion: (evaluable > 0).then(|| responders as f64 / evaluable as f64),
            threshold_pct: s.responder_pct,
            threshold_abs: s.responder_abs,
        });
    }
    (sums, resp)
}

/// Tests within each group: pre vs post rates, and each interval's % improvement vs its length.
fn within_groups(m: Measure, groups: &[String], results: &[PatientResult]) -> Vec<TestEntry> {
    let mut tests = Vec::new();
    for (g, ps) in groups.iter().zip(&by_group(m, groups, results)) {
        if ps.is_empty() {
            continue;
        }

        // Pre vs post, paired.
        let (pre, post): (Vec<f64>, Vec<f64>) = ps
            .iter()
            .filter_map(|p| match (p.pre_rate, p.post_rate) {
                (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Some((a, b)),
                _ => None,
            })
            .unzip();
        let diff: Vec<f64> = pre.iter().zip(&post).map(|(a, b)| a - b).collect();
        tests.push(describe(
            entry(
                TestKind::WilcoxonSignedRank,
                m,
                g,
                TestVariable::PreVsPost,
                pre.len(),
                stats::wilcoxon_signed_rank(&pre, &post),
            ),
            Samples::Paired(&diff),
        ));
        tests.push(describe(
            entry(
                TestKind::PairedT,
                m,
                g,
                TestVariable::PreVsPost,
                pre.len(),
                stats::paired_t(&pre, &post),
            ),
            Samples::Paired(&diff),
        ));

        // % improvement of each interval after the first vs its length in months.
        let (imp, len): (Vec<f64>, Vec<f64>) = ps
            .iter()
            .flat_map(|p| {
                p.period_improvement_pct
                    .iter()
                    .zip(p.periods.iter().skip(1))
                    .filter_map(|(ip, pd)| {
                        // Rounded to 1e-6 months so that equal intervals tie exactly despite
                        // floating-point noise from the time origin (ranks depend on exact ties).
                        let l = ((pd.end - pd.start) * 1e6).round() / 1e6;
                        match ip {
                            Some(v) if v.is_finite() && l.is_finite() && l > 0.0 => Some((*v, l)),
                            _ => None,
                        }
                    })
            })
            .unzip();
        if !imp.is_empty() {
            tests.push(describe(
                entry(
                    TestKind::Spearman,
                    m,
                    g,
                    TestVariable::ImprovementVsInterval,
                    imp.len(),
                    stats::spearman(&imp, &len),
                ),
                Samples::Correlation(imp.len()),
            ));
        }
    }

    tests
}

type Variable = (TestVariable, fn(&PatientResult) -> Option<f64>);

/// The between-group variables: post-rate and change; in natural history (no events) the
/// whole-course rate.
const BETWEEN: [Variable; 2] = [
    (TestVariable::PostRate, |p| p.post_rate),
    (TestVariable::Change, |p| p.change),
];
const BETWEEN_NATURAL: [Variable; 1] = [(TestVariable::CourseRate, |p| p.course_rate)];

/// The `group` of a test of all groups at once.
pub const ALL_GROUPS: &str = "all groups";

/// Tests between groups, for one measure: every pair, the first named group as x, when at most
/// `max_pairwise` groups have results of this measure; beyond that one Kruskal-Wallis test of all
/// groups per variable (R: `kruskal.test`), with a note (k groups make k(k − 1)/2 pairs: 1,000
/// groups would make 2 million tests). The variables: post-rate and change, or in natural history
/// (no patient with an event) the whole-course rate.
fn between_groups(
    m: Measure,
    groups: &[String],
    results: &[PatientResult],
    max_pairwise: usize,
) -> Vec<TestEntry> {
    let mut tests = Vec::new();
    let by_group = by_group(m, groups, results);
    let k = by_group.iter().filter(|g| !g.is_empty()).count();
    let variables: &[Variable] = if natural_history(&by_group) {
        &BETWEEN_NATURAL
    } else {
        &BETWEEN
    };
    if k > max_pairwise {
        for &(var, f) in variables {
            let samples: Vec<Vec<f64>> = by_group.iter().map(|ps| values(ps, f)).collect();
            let n = samples.iter().map(|x| x.len()).sum();
            let mut t = describe(
                entry(
                    TestKind::KruskalWallis,
                    m,
                    ALL_GROUPS,
                    var,
                    n,
                    stats::kruskal_wallis(&samples),
                ),
                Samples::Many,
            );
            let bound = format!(
                "{k} groups, more than the {max_pairwise} compared pairwise (setting max_pairwise_groups): one test of all groups instead of the pairwise tests"
            );
            t.note = Some(match t.note.take() {
                Some(n) => format!("{n}; {bound}"),
                None => bound,
            });
            tests.push(t);
        }
        return tests;
    }
    for i in 0..groups.len() {
        for j in i + 1..groups.len() {
            let (a, b) = (&by_group[i], &by_group[j]);
            if a.is_empty() || b.is_empty() {
                continue;
            }
            let name = format!("{} vs {}", groups[i], groups[j]);
            for &(var, f) in variables {
                let (x, y) = (values(a, f), values(b, f));
                let n = x.len() + y.len();
                let two = Samples::Two((&groups[i], &x), (&groups[j], &y));
                tests.push(describe(
                    entry(
                        TestKind::MannWhitney,
                        m,
                        &name,
                        var,
                        n,
                        stats::mann_whitney(&x, &y),
                    ),
                    two,
                ));
                tests.push(describe(
                    entry(TestKind::WelchT, m, &name, var, n, stats::welch_t(&x, &y)),
                    two,
                ));
            }
        }
    }
    tests
}
