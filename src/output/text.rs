//! The plain-text report for a person (`to_text`) and a test in one line (`test_sentence`).

use super::{staging, survival};
use crate::analysis::{Analysis, PatientResult, TestEntry};
use crate::diag::Severity;
use crate::format::{escape_line as esc, number as report_number, p_value as report_p};
use std::fmt::Write;

/// One line of a test for people: "Wilcoxon signed-rank V = 152, p = 0.004 (Wilcoxon signed rank
/// exact test)".
pub fn test_sentence(t: &TestEntry) -> String {
    let (name, sym) = (t.kind.label(), t.kind.statistic_symbol());
    match t.statistic {
        Some(s) => format!(
            "{name} {sym} = {}, {} ({})",
            crate::format::statistic(Some(s), 3),
            crate::format::p_text(t.p_value),
            t.method
        ),
        None => format!(
            "{name}: not computed ({})",
            t.note.clone().unwrap_or_default()
        ),
    }
}

/// The whole-course rate and its 95% CI for the text report: "0.812 [0.61, 1.01]".
fn course(p: &PatientResult) -> String {
    match (p.course_rate, p.course_rate_ci_low, p.course_rate_ci_high) {
        (Some(r), Some(lo), Some(hi)) => format!(
            "{} [{}, {}]",
            report_number(Some(r), 3),
            report_number(Some(lo), 2),
            report_number(Some(hi), 2)
        ),
        (r, _, _) => report_number(r, 3),
    }
}

/// A report for a person.
pub fn to_text(a: &Analysis) -> String {
    let mut out = Vec::new();
    // Writing into a vector cannot fail; the report is UTF-8.
    let _ = write_text(a, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The report written to `w` as it is made ([`to_text`] without the whole text in memory: the
/// command line's output), a block of ~64 KB at a time.
pub fn write_text<W: std::io::Write>(a: &Analysis, w: W) -> std::io::Result<()> {
    let mut o = Blocks {
        buf: String::with_capacity(BLOCK + 1024),
        w,
        err: None,
    };
    report(a, &mut o);
    o.flush_block();
    match o.err {
        Some(e) => Err(e),
        None => o.w.flush(),
    }
}

const BLOCK: usize = 1 << 16;

/// The report's text on its way to a writer: gathered in a block, its characters made safe
/// (below) and written when the block is full.
struct Blocks<W: std::io::Write> {
    buf: String,
    w: W,
    /// The first write error (later writes are skipped).
    err: Option<std::io::Error>,
}

impl<W: std::io::Write> Blocks<W> {
    fn flush_block(&mut self) {
        if self.err.is_none() && !self.buf.is_empty() {
            // Ids, groups, headers and cells quoted in messages come from the input: their
            // control characters are escaped where they are written (`esc`); anything left, and
            // bidi overrides, are shown as spaces.
            let safe: String = self
                .buf
                .chars()
                .map(|c| {
                    if (c.is_control() && c != '\n')
                        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
                    {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            if let Err(e) = self.w.write_all(safe.as_bytes()) {
                self.err = Some(e);
            }
        }
        self.buf.clear();
    }
}

impl<W: std::io::Write> Write for Blocks<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.buf.push_str(s);
        if self.buf.len() >= BLOCK {
            self.flush_block();
        }
        Ok(())
    }
}

fn report(a: &Analysis, o: &mut impl Write) {
    let _ = writeln!(
        o,
        "Input: {} layout, {}-separated, {} rows, {} patients; time axis: {}{}",
        a.input.layout,
        a.input.delimiter,
        a.input.n_rows,
        a.counts.n_patients,
        a.input.time_axis,
        a.input
            .date_format
            .as_ref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default()
    );
    let c = &a.counts;
    if c.n_rows_with_errors > 0 {
        let _ = writeln!(
            o,
            "{} with errors (a cell or the row skipped; see the diagnostics); {} lost data",
            crate::format::count(c.n_rows_with_errors, "row", "rows"),
            crate::format::count(c.n_patients_with_lost_data, "patient", "patients")
        );
    }
    let _ = writeln!(
        o,
        "Rates are declines per month (month = {:.4} days); pre-rate source setting: {:?}; responder: > {}%{}",
        a.settings.month_len(),
        a.settings.pre_source,
        a.settings.responder_pct,
        a.settings.responder_abs.map(|x| format!(" and ≥ {x} units/month")).unwrap_or_default()
    );
    for &m in &a.measures {
        let _ = writeln!(o, "\n== {} ==", m.label());
        let _ = writeln!(
            o,
            "Rates (course, pre, post, change) in {}; course = over the whole course (lm of every visit) [95% CI]",
            m.rate_unit()
        );
        let _ = writeln!(
            o,
            "{:<14} {:<10} {:>4} {:>21} {:>8} {:>8} {:>8} {:>9} {:>9}  {:<8} notes",
            "patient",
            "group",
            "vis",
            "course [95% CI]",
            "pre",
            "post",
            "change",
            "improv%",
            "ΔFS",
            "pre from"
        );
        for p in a.patients.iter().filter(|p| p.measure == m) {
            let id: String = esc(&p.id).chars().take(14).collect();
            let g: String = esc(&p.group).chars().take(10).collect();
            let _ = writeln!(
                o,
                "{:<14} {:<10} {:>4} {:>21} {:>8} {:>8} {:>8} {:>9} {:>9}  {:<8} {}{}",
                id,
                g,
                p.n_visits,
                course(p),
                report_number(p.pre_rate, 3),
                report_number(p.post_rate, 3),
                report_number(p.change, 3),
                report_number(p.improvement_pct, 1),
                report_number(p.delta_fs, 3),
                p.pre_source.map_or("–", crate::settings::PreSource::as_str),
                match (p.responder == Some(true), p.lost_data) {
                    (true, true) => "[responder] [input skipped: see diagnostics] ",
                    (true, false) => "[responder] ",
                    (false, true) => "[input skipped: see diagnostics] ",
                    (false, false) => "",
                },
                esc(&p.notes.join("; "))
            );
        }
        for r in a.responders.iter().filter(|r| r.measure == m) {
            let _ = writeln!(
                o,
                "{}: {} of {} patients ({}) improved by more than {}%{}{}",
                esc(&r.group),
                r.responders,
                r.n_evaluable,
                r.proportion
                    .map(|p| format!("{:.0}%", p * 100.0))
                    .unwrap_or_else(|| "–".into()),
                r.threshold_pct,
                r.threshold_abs
                    .map(|x| format!(" and ≥ {x}/month"))
                    .unwrap_or_default(),
                if r.n_unreliable > 0 {
                    format!(
                        "; {} not counted (pre-rate below {} {}: % improvement unreliable)",
                        r.n_unreliable,
                        a.settings.improvement_floor,
                        m.rate_unit()
                    )
                } else {
                    String::new()
                }
            );
        }
        for s in a.summaries.iter().filter(|s| s.measure == m) {
            let _ = writeln!(
                o,
                "  {:<10} {:<16} n={:<4} mean {} sd {} median {} IQR {}–{}",
                esc(&s.group),
                s.variable,
                s.n,
                report_number(s.mean, 3),
                report_number(s.sd, 3),
                report_number(s.median, 3),
                report_number(s.q1, 3),
                report_number(s.q3, 3)
            );
        }
        for t in a.tests.iter().filter(|t| t.measure == m) {
            let mut line = match t.statistic {
                Some(x) => format!(
                    "  {}: {} = {}, {} ({})",
                    esc(&t.title),
                    t.kind.statistic_symbol(),
                    crate::format::statistic(Some(x), 3),
                    crate::format::p_text(t.p_value),
                    t.method
                ),
                None => format!(
                    "  {}: not computed ({})",
                    esc(&t.title),
                    esc(t.note.as_deref().unwrap_or_default())
                ),
            };
            for extra in [&t.direction, &t.power_note].into_iter().flatten() {
                line.push_str("; ");
                line.push_str(&esc(extra));
            }
            let _ = writeln!(o, "{line}");
        }
        for mm in a.mixed_models.iter().filter(|x| x.measure == m) {
            let _ = writeln!(
                o,
                "  Mixed model ({}, {}) {}: n_obs={} patients={}{}{}",
                esc(&mm.group),
                mm.method,
                mm.formula,
                mm.n_obs,
                mm.n_patients,
                if mm.singular {
                    " [boundary (singular) fit]"
                } else {
                    ""
                },
                mm.note
                    .as_ref()
                    .map(|n| format!(" — {}", esc(n)))
                    .unwrap_or_default()
            );
            for fe in &mm.fixed {
                let _ = writeln!(
                    o,
                    "    {:<16} {:>10.4} SE {:>8.4} df {:>8} p {}",
                    esc(&fe.term),
                    fe.estimate,
                    fe.se,
                    report_number(fe.df, 1),
                    report_p(fe.p_value)
                );
            }
            let _ = writeln!(
                o,
                "    SD intercept {} SD slope {} corr {} residual SD {} REML criterion {}",
                report_number(mm.sd_intercept, 4),
                report_number(mm.sd_slope, 4),
                report_number(mm.corr, 3),
                report_number(mm.sd_residual, 4),
                report_number(mm.reml_criterion, 3)
            );
        }
    }
    if !a.d50.is_empty() {
        let _ = writeln!(o, "\n== D50 model (ALSFRS-R) ==");
        for d in &a.d50 {
            let _ = writeln!(
                o,
                "{:<14} D50 {} dx {} RMSE {} {}",
                esc(&d.id).chars().take(14).collect::<String>(),
                report_number(d.d50(), 2),
                report_number(d.dx(), 2),
                report_number(d.rmse(), 2),
                esc(d.note.as_deref().unwrap_or_default())
            );
        }
    }
    let _ = o.write_str(&staging::text(a));
    if !a.model_notes.is_empty() {
        let _ = writeln!(o, "\n== Notes on the models ==");
        for n in &a.model_notes {
            let _ = writeln!(o, "{}", esc(n));
        }
    }
    let mut survival_text = String::new();
    survival::write_text(&mut survival_text, a);
    let _ = o.write_str(&survival_text);
    if !a.diagnostics.is_empty() {
        let _ = writeln!(o, "\n== Diagnostics ==");
        for d in &a.diagnostics {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = writeln!(
                o,
                "{}{}: {}{}",
                match (&d.file, d.line) {
                    (Some(f), Some(l)) => format!("{f} line {l}: "),
                    (Some(f), None) => format!("{f}: "),
                    (None, Some(l)) => format!("line {l}: "),
                    (None, None) => String::new(),
                },
                sev,
                d.column
                    .as_ref()
                    .map(|c| format!("[{}] ", esc(c)))
                    .unwrap_or_default(),
                esc(&d.message)
            );
        }
    }
}
