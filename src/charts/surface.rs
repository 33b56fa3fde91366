//! The drawing surface: a `DrawingBackend` (SVG in the CLI and tests, the page's canvas) behind
//! the few primitives the charts draw with, in backend pixels, and the charts' error type.

use plotters::prelude::*;
use std::cell::RefCell;

/// What can go wrong drawing a chart.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// The drawing backend failed (writing the SVG, the canvas, measuring text): its message.
    Backend(String),
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChartError::Backend(e) => write!(f, "chart drawing failed: {e}"),
        }
    }
}

impl std::error::Error for ChartError {}

/// The message, for callers that report errors as text (the command-line tool).
impl From<ChartError> for String {
    fn from(e: ChartError) -> String {
        e.to_string()
    }
}

pub type Res<T> = Result<T, ChartError>;

/// A backend error as a [`ChartError`].
pub fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Backend(e.to_string())
}

/// The backend a chart draws on, called directly: no plotters elements or chart context between
/// the charts and `DrawingBackend` (each element type and coordinate system is its own copy of
/// plotters' drawing code in the page's wasm; the charts need six primitives in pixels).
pub struct Surface<DB: DrawingBackend> {
    db: RefCell<DB>,
}

/// Backend pixel of a point already in pixels (rounded; a non-finite value goes to 0).
pub(super) fn px_of(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

impl<DB: DrawingBackend> Surface<DB> {
    pub fn new(db: DB) -> Self {
        Surface {
            db: RefCell::new(db),
        }
    }
    /// Prepares the backend (SVG: its header) and fills it white.
    pub fn begin(&self) -> Res<()> {
        let mut db = self.db.borrow_mut();
        db.ensure_prepared().map_err(err)?;
        let (w, h) = db.get_size();
        db.draw_rect((0, 0), (w as i32, h as i32), &WHITE, true)
            .map_err(err)
    }
    pub fn present(&self) -> Res<()> {
        self.db.borrow_mut().present().map_err(err)
    }
    pub fn dim_in_pixel(&self) -> (u32, u32) {
        self.db.borrow().get_size()
    }
    /// Polyline (stroked).
    pub fn path(&self, pts: &[(i32, i32)], style: &ShapeStyle) -> Res<()> {
        if pts.len() < 2 {
            return Ok(());
        }
        let mut db = self.db.borrow_mut();
        db.draw_path(pts.iter().copied(), style).map_err(err)
    }
    /// Rectangle between two corners, filled or stroked as the style says.
    pub fn rect(&self, a: (i32, i32), b: (i32, i32), style: &ShapeStyle) -> Res<()> {
        let ul = (a.0.min(b.0), a.1.min(b.1));
        let br = (a.0.max(b.0), a.1.max(b.1));
        let mut db = self.db.borrow_mut();
        db.draw_rect(ul, br, style, style.filled).map_err(err)
    }
    pub fn circle(&self, at: (i32, i32), r: i32, style: &ShapeStyle) -> Res<()> {
        let mut db = self.db.borrow_mut();
        db.draw_circle(at, r.max(0) as u32, style, style.filled)
            .map_err(err)
    }
    /// Filled polygon.
    pub fn polygon(&self, pts: &[(i32, i32)], style: &ShapeStyle) -> Res<()> {
        let mut db = self.db.borrow_mut();
        db.fill_polygon(pts.iter().copied(), style).map_err(err)
    }
    /// Text anchored at `at` as the style's position says.
    pub fn text(&self, s: &str, at: (i32, i32), style: &TextStyle) -> Res<()> {
        if s.is_empty() {
            return Ok(());
        }
        let mut db = self.db.borrow_mut();
        db.draw_text(s, style, at).map_err(err)
    }
    pub fn text_size(&self, s: &str, style: &TextStyle) -> Res<(i32, i32)> {
        let db = self.db.borrow();
        let (w, h) = db.estimate_text_size(s, style).map_err(err)?;
        Ok((w as i32, h as i32))
    }
}
