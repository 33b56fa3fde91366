//! One row's ALSFRS-R items: item 5 as 5a or 5b (whichever is answered; a plain item 5 in the
//! form a gastrostomy column tells), the original ALSFRS item 10 beside the revised items 10–12,
//! REDCap answer labels, and the totals and domain subscores the items give (a total column of
//! the table wins over the items' sum, and a difference is reported).

use super::cells::{is_code_word, is_sentinel, parse_number, CodeKind, Codes};
use super::columns::Role;
use super::tokenizer::Record;
use super::values::label_code;
use crate::data::{Measure, Scores};
use crate::diag::{DiagKind, Diagnostic, Severity};
use crate::items::{AlsfrsItems, PackedItems, Q5Form};

/// ALSFRS-R domains (items' indices from 0): bulbar q1–3, fine motor q4–6, gross motor q7–9,
/// respiratory q10–12.
const DOMAINS: [(Measure, [usize; 3]); 4] = [
    (Measure::AlsfrsRBulbar, [0, 1, 2]),
    (Measure::AlsfrsRFineMotor, [3, 4, 5]),
    (Measure::AlsfrsRGrossMotor, [6, 7, 8]),
    (Measure::AlsfrsRRespiratory, [9, 10, 11]),
];

/// A table's item columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemCols {
    /// Items 1–12 (`q[5]` is a plain item 5, form unknown).
    pub q: [Option<usize>; 13],
    pub q5a: Option<usize>,
    pub q5b: Option<usize>,
    /// The original ALSFRS item 10 (respiratory).
    pub q10_original: Option<usize>,
    /// The total columns, to compare with the items' sums.
    pub total_r: Option<usize>,
    pub total_original: Option<usize>,
}

impl ItemCols {
    /// The item columns of a table's roles; None when it has none.
    pub(crate) fn of(roles: &[Role]) -> Option<ItemCols> {
        let mut c = ItemCols::default();
        let mut any = false;
        for (i, r) in roles.iter().enumerate() {
            match r {
                Role::Item(k) => c.q[usize::from(*k)] = Some(i),
                Role::Item5a => c.q5a = Some(i),
                Role::Item5b => c.q5b = Some(i),
                Role::AlsfrsQ10 => c.q10_original = Some(i),
                Role::Measure(Measure::AlsfrsR) => c.total_r = Some(i),
                Role::Measure(Measure::Alsfrs) => c.total_original = Some(i),
                _ => continue,
            }
            any |= r.is_item();
        }
        any.then_some(c)
    }
}

/// What reading one item cell gave.
enum Cell {
    Empty,
    Score(u8),
    /// Reported (or counted as a code).
    Bad,
}

#[allow(clippy::too_many_arguments)]
fn item_cell<'a>(
    r: &Record<'a>,
    c: usize,
    name: &str,
    header: &[String],
    id: &str,
    line: usize,
    d: u8,
    diags: &mut Vec<Diagnostic>,
    codes: &mut Codes<'a>,
) -> Cell {
    let s = r.get(c);
    // The commonest cell: one digit 0–4.
    match s.as_bytes() {
        [] => return Cell::Empty,
        [c @ b'0'..=b'4'] => return Cell::Score(c - b'0'),
        _ => {}
    }
    let v = match parse_number(s, d).or_else(|| label_code(s)) {
        Some(v) => v,
        None if is_code_word(s) => {
            codes.add(c, s, line, CodeKind::of_word(s));
            return Cell::Bad;
        }
        None => {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagKind::BadNumber,
                    format!("item {name} \"{s}\" is not a number; cell skipped"),
                )
                .at(line)
                .col(&header[c])
                .patient(id),
            );
            return Cell::Bad;
        }
    };
    if v.fract() == 0.0 && (0.0..=4.0).contains(&v) {
        return Cell::Score(v as u8);
    }
    if is_sentinel(v) {
        codes.add(c, s, line, CodeKind::Sentinel);
        return Cell::Bad;
    }
    diags.push(
        Diagnostic::new(
            Severity::Error,
            DiagKind::OutOfRange,
            format!("item {name} = {v} is not an item score (an integer 0–4); cell skipped"),
        )
        .at(line)
        .col(&header[c])
        .patient(id),
    );
    Cell::Bad
}

/// A row's items, packed (None when no item is answered), with the totals and domain
/// subscores they give set in `scores` where the row has none. `gastrostomy`: the row's
/// gastrostomy column, which tells the form of a plain item 5.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_items<'a>(
    cols: &ItemCols,
    r: &Record<'a>,
    header: &[String],
    id: &str,
    line: usize,
    d: u8,
    gastrostomy: Option<bool>,
    scores: &mut Scores,
    diags: &mut Vec<Diagnostic>,
    codes: &mut Codes<'a>,
) -> Option<PackedItems> {
    let mut q: [Option<u8>; 12] = [None; 12];
    let mut any = false;
    let mut cell = |c: Option<usize>,
                    name: &str,
                    diags: &mut Vec<Diagnostic>,
                    codes: &mut Codes<'a>|
     -> Option<u8> {
        let c = c?;
        match item_cell(r, c, name, header, id, line, d, diags, codes) {
            Cell::Score(v) => {
                any = true;
                Some(v)
            }
            Cell::Empty | Cell::Bad => None,
        }
    };
    const NAMES: [&str; 13] = [
        "", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12",
    ];
    for k in 1..=12usize {
        if k != 5 {
            q[k - 1] = cell(cols.q[k], NAMES[k], diags, codes);
        }
    }
    let plain5 = cell(cols.q[5], "q5", diags, codes);
    let mut q5a = cell(cols.q5a, "q5a", diags, codes);
    let mut q5b = cell(cols.q5b, "q5b", diags, codes);
    let q10o = cell(cols.q10_original, "q10 (ALSFRS)", diags, codes);
    if let Some(v) = plain5 {
        if gastrostomy == Some(true) {
            q5b = q5b.or(Some(v));
        } else {
            q5a = q5a.or(Some(v));
        }
    }
    if !any {
        return None;
    }
    if q5a.is_some() && q5b.is_some() {
        diags.push(
            Diagnostic::new(
                Severity::Warning,
                DiagKind::ConflictingValue,
                "both item 5a (without gastrostomy) and 5b (with gastrostomy) are answered: item 5 is left out of this visit (no item total)",
            )
            .at(line)
            .patient(id),
        );
        q5a = None;
        q5b = None;
    }
    let form = if q5b.is_some() { Q5Form::B } else { Q5Form::A };
    q[4] = q5a.or(q5b);
    // Every value is an integer 0–4: this cannot fail.
    let items = AlsfrsItems::from_scores(q, form).ok()?;
    let sum = |ks: &[usize]| -> Option<u8> { ks.iter().map(|&k| q[k]).sum() };
    let revised = q[9].is_some() || q[10].is_some() || q[11].is_some();
    if let Some(total) = sum(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) {
        set_total(
            Measure::AlsfrsR,
            f64::from(total),
            cols.total_r,
            header,
            line,
            id,
            scores,
            diags,
        );
    } else if let (Some(o), false) = (q10o, revised) {
        // The original ALSFRS: items 1–9 and its item 10.
        match sum(&[0, 1, 2, 3, 4, 5, 6, 7, 8]) {
            Some(s) => set_total(
                Measure::Alsfrs,
                f64::from(s + o),
                cols.total_original,
                header,
                line,
                id,
                scores,
                diags,
            ),
            None => {
                let present = q[..9].iter().filter(|v| v.is_some()).count() + 1;
                incomplete(present, 10, "ALSFRS", line, id, diags)
            }
        }
    } else {
        let present = q.iter().filter(|v| v.is_some()).count();
        incomplete(present, 12, "ALSFRS-R", line, id, diags);
    }
    for (m, ks) in DOMAINS {
        if let (Some(s), None) = (sum(&ks), scores.get(m.index())) {
            scores.set(m.index(), f64::from(s));
        }
    }
    Some(PackedItems::pack(&items))
}

/// The items' total into `scores`, unless the row has a total of its own (then a difference
/// is reported).
#[allow(clippy::too_many_arguments)]
fn set_total(
    m: Measure,
    sum: f64,
    total_col: Option<usize>,
    header: &[String],
    line: usize,
    id: &str,
    scores: &mut Scores,
    diags: &mut Vec<Diagnostic>,
) {
    match scores.get(m.index()) {
        None => scores.set(m.index(), sum),
        Some(t) if t != sum => diags.push(
            Diagnostic::new(
                Severity::Warning,
                DiagKind::ConflictingValue,
                format!(
                    "the {} total {t} differs from the sum of the items, {sum}; the total column is used",
                    m.name()
                ),
            )
            .at(line)
            .col(total_col.map(|c| header[c].as_str()).unwrap_or(m.name()))
            .patient(id),
        ),
        Some(_) => {}
    }
}

fn incomplete(
    present: usize,
    of: usize,
    scale: &str,
    line: usize,
    id: &str,
    diags: &mut Vec<Diagnostic>,
) {
    diags.push(
        Diagnostic::new(
            Severity::Warning,
            DiagKind::ItemsIncomplete,
            format!(
                "{present} of {of} {scale} items present; no item total for this visit (complete domains still scored)"
            ),
        )
        .at(line)
        .patient(id),
    );
}
