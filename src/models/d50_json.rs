//! The JSON (and binary) form of a [`D50Entry`]: its boxed curve written flat (`d50`, `dx`, `rmse`,
//! `phases`; null and empty when not fitted), as docs/schema.json lists a D50 entry's fields.

use super::{D50Curve, D50Entry, D50Phase};
use crate::data::Name;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A D50 entry as written.
#[derive(Serialize, Deserialize)]
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

impl From<D50Entry> for D50Json {
    fn from(e: D50Entry) -> D50Json {
        let (d50, dx, rmse, phases) = match e.curve {
            Some(c) => (Some(c.d50), Some(c.dx), Some(c.rmse), c.phases),
            None => (None, None, None, Vec::new()),
        };
        D50Json {
            id: e.id,
            group: e.group,
            n_visits: e.n_visits,
            d50,
            dx,
            rmse,
            phases,
            note: e.note,
        }
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
