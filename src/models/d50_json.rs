//! The JSON (and binary) form of a [`D50Entry`]: its boxed curve written flat (`d50`, `dx`, `rmse`,
//! `phases`; null and empty when not fitted), as docs/schema.json lists a D50 entry's fields.

use super::{D50Curve, D50Entry, D50Phase};
use crate::data::Name;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A D50 entry as read.
#[derive(Deserialize)]
pub struct D50Json {
    id: Name,
    group: Name,
    n_visits: usize,
    d50: Option<f64>,
    dx: Option<f64>,
    rmse: Option<f64>,
    phases: Vec<D50Phase>,
    note: Option<Cow<'static, str>>,
}

/// A D50 entry as written, borrowed from the entry (no copy of it).
#[derive(Serialize)]
struct D50JsonRef<'a> {
    id: &'a Name,
    group: &'a Name,
    n_visits: usize,
    d50: Option<f64>,
    dx: Option<f64>,
    rmse: Option<f64>,
    phases: &'a [D50Phase],
    note: &'a Option<Cow<'static, str>>,
}

impl Serialize for D50Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        D50JsonRef {
            id: &self.id,
            group: &self.group,
            n_visits: self.n_visits,
            d50: self.d50(),
            dx: self.dx(),
            rmse: self.rmse(),
            phases: self.phases(),
            note: &self.note,
        }
        .serialize(serializer)
    }
}

impl From<D50Json> for D50Entry {
    /// A curve needs all three numbers (the page and the CLI never write one without the others).
    fn from(j: D50Json) -> D50Entry {
        let curve = match (j.d50, j.dx, j.rmse) {
            (Some(d50), Some(dx), Some(rmse)) => Some(Box::new(D50Curve {
                d50,
                dx,
                rmse,
                phases: j.phases,
            })),
            _ => None,
        };
        D50Entry {
            id: j.id,
            group: j.group,
            n_visits: j.n_visits,
            curve,
            note: j.note,
        }
    }
}
