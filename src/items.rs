//! One visit's item-level ALSFRS-R (Cedarbaum et al. 1999, J Neurol Sci 169:13–21): twelve items,
//! each an integer 0–4 (4 = normal function), grouped into four domains of three items each —
//! bulbar (1–3), fine motor (4–6), gross motor (7–9) and respiratory (10–12).
//!
//! Item 5 (cutting food and handling utensils) has two forms: **5a** for patients without a
//! gastrostomy and **5b** for patients with one. A visit answers one of them; which one is kept
//! ([`Q5Form`]), because King's staging reads a gastrostomy from 5b being answered.
//!
//! Any item may be missing (`None`). The total and the domain subscores are given only when all
//! their items are present: nothing is imputed.

use serde::{Deserialize, Serialize};
use std::fmt;

mod packed;
pub use packed::PackedItems;

/// An ALSFRS-R item by its number. [`Item::Q5`] is item 5 in whichever form (5a or 5b) was
/// answered. Serialised as `"q1"` … `"q12"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Item {
    Q1,
    Q2,
    Q3,
    Q4,
    Q5,
    Q6,
    Q7,
    Q8,
    Q9,
    Q10,
    Q11,
    Q12,
}

impl Item {
    /// Items 1 to 12 in order.
    pub const ALL: [Item; 12] = [
        Item::Q1,
        Item::Q2,
        Item::Q3,
        Item::Q4,
        Item::Q5,
        Item::Q6,
        Item::Q7,
        Item::Q8,
        Item::Q9,
        Item::Q10,
        Item::Q11,
        Item::Q12,
    ];

    /// The item's number, 1–12.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The item numbered `n` (1–12).
    pub fn from_number(n: u8) -> Option<Item> {
        (1..=12).contains(&n).then(|| Item::ALL[usize::from(n - 1)])
    }

    /// What the item rates, as in the ALSFRS-R form.
    pub fn name(self) -> &'static str {
        match self {
            Item::Q1 => "speech",
            Item::Q2 => "salivation",
            Item::Q3 => "swallowing",
            Item::Q4 => "handwriting",
            Item::Q5 => "cutting food and handling utensils",
            Item::Q6 => "dressing and hygiene",
            Item::Q7 => "turning in bed",
            Item::Q8 => "walking",
            Item::Q9 => "climbing stairs",
            Item::Q10 => "dyspnoea",
            Item::Q11 => "orthopnoea",
            Item::Q12 => "respiratory insufficiency",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Item {
    /// `item 12 (respiratory insufficiency)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item {} ({})", self.number(), self.name())
    }
}

/// Which form of item 5 a visit answered. Serialised as `"5a"` / `"5b"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Q5Form {
    /// 5a: cutting food and handling utensils, patients without gastrostomy.
    #[serde(rename = "5a")]
    A,
    /// 5b: cutting food and handling utensils, alternate scale for patients with gastrostomy.
    #[serde(rename = "5b")]
    B,
}

impl fmt::Display for Q5Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Q5Form::A => "5a",
            Q5Form::B => "5b",
        })
    }
}

/// One item's score: an integer 0–4. Serialised as the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    /// The best score of an item (normal function).
    pub const MAX: u8 = 4;

    /// `v` as a score; an error unless 0 ≤ v ≤ 4.
    pub fn new(v: u8) -> Result<Score, InvalidScore> {
        if v <= Self::MAX {
            Ok(Score(v))
        } else {
            Err(InvalidScore {
                value: f64::from(v),
            })
        }
    }

    /// A number read from a table as a score: an error unless it is one of 0, 1, 2, 3, 4
    /// (`3.0` is 3; `3.5`, `-1`, `NaN` are errors).
    pub fn from_f64(v: f64) -> Result<Score, InvalidScore> {
        if v.fract() == 0.0 && (0.0..=f64::from(Self::MAX)).contains(&v) {
            Ok(Score(v as u8))
        } else {
            Err(InvalidScore { value: v })
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = InvalidScore;
    fn try_from(v: u8) -> Result<Score, InvalidScore> {
        Score::new(v)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

/// A value that is not an item score (an integer 0–4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvalidScore {
    pub value: f64,
}

impl fmt::Display for InvalidScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not an ALSFRS-R item score (an integer 0–4)",
            self.value
        )
    }
}

impl std::error::Error for InvalidScore {}

/// Why a visit's items could not be built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ItemsError {
    /// An item's value is not an integer 0–4. `form` is set for item 5.
    InvalidScore {
        item: Item,
        form: Option<Q5Form>,
        value: f64,
    },
    /// Both 5a and 5b were answered at one visit; they exclude each other.
    BothQ5Forms,
}

impl fmt::Display for ItemsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemsError::InvalidScore {
                item,
                form: Some(form),
                value,
            } => write!(
                f,
                "item {form} ({}): {value} is not a score (an integer 0–4)",
                item.name()
            ),
            ItemsError::InvalidScore {
                item,
                form: None,
                value,
            } => write!(f, "{item}: {value} is not a score (an integer 0–4)"),
            ItemsError::BothQ5Forms => f.write_str(
                "both item 5a (without gastrostomy) and 5b (with gastrostomy) were answered",
            ),
        }
    }
}

impl std::error::Error for ItemsError {}

/// A set of items (e.g. the missing items a stage depends on). Serialised as a list of items in
/// order: `["q3", "q12"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ItemSet(u16);

impl ItemSet {
    pub const EMPTY: ItemSet = ItemSet(0);

    pub fn insert(&mut self, item: Item) {
        self.0 |= 1 << item.index();
    }

    pub fn contains(self, item: Item) -> bool {
        self.0 & (1 << item.index()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The items in order of their numbers.
    pub fn iter(self) -> impl Iterator<Item = Item> {
        Item::ALL.into_iter().filter(move |&i| self.contains(i))
    }
}

impl FromIterator<Item> for ItemSet {
    fn from_iter<T: IntoIterator<Item = Item>>(iter: T) -> ItemSet {
        let mut s = ItemSet::EMPTY;
        for i in iter {
            s.insert(i);
        }
        s
    }
}

impl fmt::Display for ItemSet {
    /// `item 3 (swallowing), item 12 (respiratory insufficiency)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, i) in self.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{i}")?;
        }
        Ok(())
    }
}

impl Serialize for ItemSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ItemSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ItemSet, D::Error> {
        Ok(Vec::<Item>::deserialize(d)?.into_iter().collect())
    }
}

/// One visit's ALSFRS-R items. Fields are public; their type ([`Score`]) keeps every value in
/// 0–4. Serialised flat: `{"q1": 4, …, "q5a": 3, "q5b": null, …, "q12": 4}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(into = "ItemsRepr", try_from = "ItemsRepr")]
pub struct AlsfrsItems {
    pub q1: Option<Score>,
    pub q2: Option<Score>,
    pub q3: Option<Score>,
    pub q4: Option<Score>,
    /// Item 5 with the form that was answered.
    pub q5: Option<(Q5Form, Score)>,
    pub q6: Option<Score>,
    pub q7: Option<Score>,
    pub q8: Option<Score>,
    pub q9: Option<Score>,
    pub q10: Option<Score>,
    pub q11: Option<Score>,
    pub q12: Option<Score>,
}

impl AlsfrsItems {
    /// Every item missing.
    pub const EMPTY: AlsfrsItems = AlsfrsItems {
        q1: None,
        q2: None,
        q3: None,
        q4: None,
        q5: None,
        q6: None,
        q7: None,
        q8: None,
        q9: None,
        q10: None,
        q11: None,
        q12: None,
    };

    /// Items 1–12 in order (`q[0]` is item 1); `q[4]`, item 5, was answered in form `q5_form`.
    /// An error names the first item that is not an integer 0–4.
    pub fn from_scores(q: [Option<u8>; 12], q5_form: Q5Form) -> Result<Self, ItemsError> {
        let mut out = AlsfrsItems::EMPTY;
        for (item, v) in Item::ALL.into_iter().zip(q) {
            let Some(v) = v else { continue };
            let form = (item == Item::Q5).then_some(q5_form);
            let s = Score::new(v).map_err(|e| ItemsError::InvalidScore {
                item,
                form,
                value: e.value,
            })?;
            out.set(item, form, s);
        }
        Ok(out)
    }

    /// Numbers read from a table: items 1–12 except 5 (`q[4]` is ignored), and item 5 as the
    /// 5a and 5b columns. An error names the first value that is not an integer 0–4, or says
    /// that both 5a and 5b were answered.
    pub fn from_f64(
        q: [Option<f64>; 12],
        q5a: Option<f64>,
        q5b: Option<f64>,
    ) -> Result<Self, ItemsError> {
        let mut out = AlsfrsItems::EMPTY;
        let score = |item, form, v: f64| {
            Score::from_f64(v).map_err(|e| ItemsError::InvalidScore {
                item,
                form,
                value: e.value,
            })
        };
        for (item, v) in Item::ALL.into_iter().zip(q) {
            if item == Item::Q5 {
                continue;
            }
            if let Some(v) = v {
                out.set(item, None, score(item, None, v)?);
            }
        }
        out.q5 = match (q5a, q5b) {
            (Some(_), Some(_)) => return Err(ItemsError::BothQ5Forms),
            (Some(a), None) => Some((Q5Form::A, score(Item::Q5, Some(Q5Form::A), a)?)),
            (None, Some(b)) => Some((Q5Form::B, score(Item::Q5, Some(Q5Form::B), b)?)),
            (None, None) => None,
        };
        Ok(out)
    }

    fn set(&mut self, item: Item, form: Option<Q5Form>, s: Score) {
        let slot = match item {
            Item::Q1 => &mut self.q1,
            Item::Q2 => &mut self.q2,
            Item::Q3 => &mut self.q3,
            Item::Q4 => &mut self.q4,
            Item::Q5 => {
                self.q5 = Some((form.unwrap_or(Q5Form::A), s));
                return;
            }
            Item::Q6 => &mut self.q6,
            Item::Q7 => &mut self.q7,
            Item::Q8 => &mut self.q8,
            Item::Q9 => &mut self.q9,
            Item::Q10 => &mut self.q10,
            Item::Q11 => &mut self.q11,
            Item::Q12 => &mut self.q12,
        };
        *slot = Some(s);
    }

    /// An item's score; for item 5, the score of whichever form was answered.
    pub fn get(&self, item: Item) -> Option<u8> {
        let s = match item {
            Item::Q1 => self.q1,
            Item::Q2 => self.q2,
            Item::Q3 => self.q3,
            Item::Q4 => self.q4,
            Item::Q5 => self.q5.map(|(_, s)| s),
            Item::Q6 => self.q6,
            Item::Q7 => self.q7,
            Item::Q8 => self.q8,
            Item::Q9 => self.q9,
            Item::Q10 => self.q10,
            Item::Q11 => self.q11,
            Item::Q12 => self.q12,
        };
        s.map(Score::get)
    }

    /// Item 5a's score (None when 5b was answered or item 5 is missing).
    pub fn q5a(&self) -> Option<u8> {
        match self.q5 {
            Some((Q5Form::A, s)) => Some(s.get()),
            _ => None,
        }
    }

    /// Item 5b's score (None when 5a was answered or item 5 is missing).
    pub fn q5b(&self) -> Option<u8> {
        match self.q5 {
            Some((Q5Form::B, s)) => Some(s.get()),
            _ => None,
        }
    }

    /// Whether the patient has a gastrostomy, as the form of item 5 tells: `Some(true)` when 5b
    /// was answered, `Some(false)` when 5a was, `None` when item 5 is missing (unknown).
    pub fn gastrostomy(&self) -> Option<bool> {
        self.q5.map(|(form, _)| form == Q5Form::B)
    }

    /// The missing items.
    pub fn missing(&self) -> ItemSet {
        Item::ALL
            .into_iter()
            .filter(|&i| self.get(i).is_none())
            .collect()
    }

    fn sum(&self, items: &[Item]) -> Option<u8> {
        items.iter().map(|&i| self.get(i)).sum()
    }

    /// The ALSFRS-R total, 0–48 (item 5 in whichever form was answered); None unless all 12
    /// items are present.
    pub fn total(&self) -> Option<u8> {
        self.sum(&Item::ALL)
    }

    /// Bulbar subscore (items 1–3), 0–12.
    pub fn bulbar(&self) -> Option<u8> {
        self.sum(&[Item::Q1, Item::Q2, Item::Q3])
    }

    /// Fine motor subscore (items 4–6, item 5 in either form), 0–12.
    pub fn fine_motor(&self) -> Option<u8> {
        self.sum(&[Item::Q4, Item::Q5, Item::Q6])
    }

    /// Gross motor subscore (items 7–9), 0–12.
    pub fn gross_motor(&self) -> Option<u8> {
        self.sum(&[Item::Q7, Item::Q8, Item::Q9])
    }

    /// Respiratory subscore (items 10–12), 0–12.
    pub fn respiratory(&self) -> Option<u8> {
        self.sum(&[Item::Q10, Item::Q11, Item::Q12])
    }
}

/// The serialised form of [`AlsfrsItems`]: flat, item 5 as two fields.
#[derive(Serialize, Deserialize)]
struct ItemsRepr {
    q1: Option<Score>,
    q2: Option<Score>,
    q3: Option<Score>,
    q4: Option<Score>,
    q5a: Option<Score>,
    q5b: Option<Score>,
    q6: Option<Score>,
    q7: Option<Score>,
    q8: Option<Score>,
    q9: Option<Score>,
    q10: Option<Score>,
    q11: Option<Score>,
    q12: Option<Score>,
}

impl From<AlsfrsItems> for ItemsRepr {
    fn from(a: AlsfrsItems) -> ItemsRepr {
        let form = |f| a.q5.filter(|&(g, _)| g == f).map(|(_, s)| s);
        ItemsRepr {
            q1: a.q1,
            q2: a.q2,
            q3: a.q3,
            q4: a.q4,
            q5a: form(Q5Form::A),
            q5b: form(Q5Form::B),
            q6: a.q6,
            q7: a.q7,
            q8: a.q8,
            q9: a.q9,
            q10: a.q10,
            q11: a.q11,
            q12: a.q12,
        }
    }
}

impl TryFrom<ItemsRepr> for AlsfrsItems {
    type Error = ItemsError;
    fn try_from(r: ItemsRepr) -> Result<AlsfrsItems, ItemsError> {
        let q5 = match (r.q5a, r.q5b) {
            (Some(_), Some(_)) => return Err(ItemsError::BothQ5Forms),
            (Some(a), None) => Some((Q5Form::A, a)),
            (None, Some(b)) => Some((Q5Form::B, b)),
            (None, None) => None,
        };
        Ok(AlsfrsItems {
            q1: r.q1,
            q2: r.q2,
            q3: r.q3,
            q4: r.q4,
            q5,
            q6: r.q6,
            q7: r.q7,
            q8: r.q8,
            q9: r.q9,
            q10: r.q10,
            q11: r.q11,
            q12: r.q12,
        })
    }
}

#[cfg(test)]
#[path = "items_tests.rs"]
mod tests;
