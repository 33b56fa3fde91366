//! One visit's ALSFRS-R items in 32 bits ([`PackedItems`]), the form the data model keeps per
//! visit (`data::Visit::items`): an [`AlsfrsItems`] takes 24 bytes and would make every visit 24
//! bytes larger; packed, a visit keeps its size (docs/performance.md has the figures).
//!
//! The encoding is mixed-radix: items 1–4 and 6–12 are eleven base-6 digits (0 = missing,
//! 1–5 = score 0–4), item 5 the top digit in 0–10 (0 = missing, 1–5 = 5a scored 0–4, 6–10 = 5b
//! scored 0–4). The largest code, 6^11 · 11 − 1 = 3,990,767,615, fits a u32 with room for the
//! `+ 1` that makes it non-zero (so `Option<PackedItems>` is 4 bytes too).

use super::{AlsfrsItems, Item, Q5Form, Score};
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// [`AlsfrsItems`] packed into a non-zero u32; [`PackedItems::unpack`] gives them back exactly.
/// Serialised as that number (the data model's binary copy; it is not part of the JSON output).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackedItems(NonZeroU32);

/// Items 1–4 and 6–12, the base-6 digits from the lowest.
const DIGIT_ITEMS: [Item; 11] = [
    Item::Q1,
    Item::Q2,
    Item::Q3,
    Item::Q4,
    Item::Q6,
    Item::Q7,
    Item::Q8,
    Item::Q9,
    Item::Q10,
    Item::Q11,
    Item::Q12,
];

/// 6^11: the place of item 5's digit.
const Q5_PLACE: u32 = 362_797_056;

/// The largest stored value: the largest code (6^11 · 11 − 1) plus one.
const MAX_STORED: u32 = Q5_PLACE * 11;

impl PackedItems {
    /// The items, packed.
    pub fn pack(a: &AlsfrsItems) -> PackedItems {
        let mut code = 0u32;
        let mut place = 1u32;
        for item in DIGIT_ITEMS {
            let d = a.get(item).map_or(0, |s| u32::from(s) + 1);
            code += d * place;
            place = place.wrapping_mul(6);
        }
        let d5 = match a.q5 {
            None => 0,
            Some((Q5Form::A, s)) => u32::from(s.get()) + 1,
            Some((Q5Form::B, s)) => u32::from(s.get()) + 6,
        };
        code += d5 * Q5_PLACE;
        // code ≤ MAX_STORED − 1, so code + 1 is non-zero and does not overflow.
        PackedItems(NonZeroU32::new(code + 1).unwrap_or(NonZeroU32::MIN))
    }

    /// The items back.
    pub fn unpack(self) -> AlsfrsItems {
        let mut code = self.0.get() - 1;
        let d5 = code / Q5_PLACE;
        code %= Q5_PLACE;
        let mut out = AlsfrsItems::EMPTY;
        let score = |d: u32| Score((d - 1) as u8);
        for item in DIGIT_ITEMS {
            let d = code % 6;
            code /= 6;
            if d > 0 {
                out.set(item, None, score(d));
            }
        }
        out.q5 = match d5 {
            0 => None,
            1..=5 => Some((Q5Form::A, score(d5))),
            _ => Some((Q5Form::B, score(d5 - 5))),
        };
        out
    }

    /// The stored number (1 ..= 3,990,767,616).
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// A stored number back; None unless it is one [`PackedItems::get`] can give.
    pub fn from_u32(v: u32) -> Option<PackedItems> {
        (v <= MAX_STORED).then_some(())?;
        NonZeroU32::new(v).map(PackedItems)
    }
}

impl From<AlsfrsItems> for PackedItems {
    fn from(a: AlsfrsItems) -> PackedItems {
        PackedItems::pack(&a)
    }
}

impl From<PackedItems> for AlsfrsItems {
    fn from(p: PackedItems) -> AlsfrsItems {
        p.unpack()
    }
}

impl std::fmt::Debug for PackedItems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.unpack().fmt(f)
    }
}

impl Serialize for PackedItems {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.get())
    }
}

impl<'de> Deserialize<'de> for PackedItems {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        PackedItems::from_u32(v)
            .ok_or_else(|| serde::de::Error::custom(format!("{v} is not a packed item record")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item alone at every score and missing, item 5 in both forms, and a sweep of mixed
    /// records: unpack(pack(a)) == a.
    #[test]
    fn packing_round_trips() {
        let mut cases = vec![AlsfrsItems::EMPTY];
        for item in Item::ALL {
            for v in 0..=4u8 {
                for form in [Q5Form::A, Q5Form::B] {
                    let mut a = AlsfrsItems::EMPTY;
                    a.set(item, Some(form), Score(v));
                    cases.push(a);
                }
            }
        }
        // A deterministic sweep over full and partial records.
        let mut x = 12345u64;
        for _ in 0..20_000 {
            let mut q = [None; 12];
            for slot in &mut q {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = (x >> 33) % 6;
                *slot = (r > 0).then(|| (r - 1) as u8);
            }
            let form = if x & 1 == 0 { Q5Form::A } else { Q5Form::B };
            cases.push(AlsfrsItems::from_scores(q, form).unwrap());
        }
        // The extremes: everything 4 with 5b (the largest code), everything missing.
        cases.push(AlsfrsItems::from_scores([Some(4); 12], Q5Form::B).unwrap());
        for a in cases {
            let p = PackedItems::pack(&a);
            assert_eq!(p.unpack(), a);
            assert!(p.get() <= MAX_STORED);
            assert_eq!(PackedItems::from_u32(p.get()), Some(p));
        }
        let top = PackedItems::pack(&AlsfrsItems::from_scores([Some(4); 12], Q5Form::B).unwrap());
        assert_eq!(top.get(), MAX_STORED);
        assert_eq!(PackedItems::from_u32(0), None);
        assert_eq!(PackedItems::from_u32(MAX_STORED + 1), None);
        assert_eq!(std::mem::size_of::<Option<PackedItems>>(), 4);
    }

    #[test]
    fn packed_serde_is_the_number_and_validated() {
        let a = AlsfrsItems::from_scores([Some(3); 12], Q5Form::B).unwrap();
        let p = PackedItems::pack(&a);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, p.get().to_string());
        assert_eq!(serde_json::from_str::<PackedItems>(&json).unwrap(), p);
        assert!(serde_json::from_str::<PackedItems>("0").is_err());
        assert!(serde_json::from_str::<PackedItems>("4000000000").is_err());
    }
}
