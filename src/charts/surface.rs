//! The drawing surface: a `DrawingBackend` (SVG in the CLI and tests, the page's canvas) behind
//! the few primitives the charts draw with, in backend pixels; the charts' text style ([`Font`])
//! and error type.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, FontStyle, FontTransform};
use std::cell::RefCell;

/// A text style: size in backend pixels, colour, anchor, turned along a y axis or not. The
/// charts' own, not plotters' `TextStyle`: that one holds its font's family and style as two
/// `String`s, allocated, cloned and dropped with every style made or changed (inline code at
/// every label, in the page's wasm); this one is `Copy`. The family is always sans-serif.
#[derive(Clone, Copy)]
pub struct Font {
    pub size: f64,
    pub color: BackendColor,
    pub pos: Pos,
    /// Turned 270° (reading upwards, a y axis' title).
    pub turned: bool,
}

impl Font {
    /// Black text of `size` backend pixels, anchored at its top left.
    pub fn new(size: f64) -> Font {
        Font {
            size,
            color: BackendColor {
                alpha: 1.0,
                rgb: (0, 0, 0),
            },
            pos: Pos::new(HPos::Left, VPos::Top),
            turned: false,
        }
    }
    pub fn pos(self, h: HPos, v: VPos) -> Font {
        Font {
            pos: Pos::new(h, v),
            ..self
        }
    }
    pub fn anchored(self, pos: Pos) -> Font {
        Font { pos, ..self }
    }
    pub fn color(self, c: RGBAColor) -> Font {
        let RGBAColor(r, g, b, a) = c;
        Font {
            color: BackendColor {
                alpha: a,
                rgb: (r, g, b),
            },
            ..self
        }
    }
    pub fn turned(self) -> Font {
        Font {
            turned: true,
            ..self
        }
    }
}

impl BackendTextStyle for Font {
    type FontError = std::convert::Infallible;
    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        if self.turned {
            FontTransform::Rotate270
        } else {
            FontTransform::None
        }
    }
    fn style(&self) -> FontStyle {
        FontStyle::Normal
    }
    fn anchor(&self) -> Pos {
        self.pos
    }
    fn family(&self) -> plotters_backend::FontFamily<'_> {
        plotters_backend::FontFamily::SansSerif
    }
    /// plotters' estimate without fonts (a backend that measures text itself, as the page's
    /// canvas does, never asks): 0.7 em per byte, em = size / 1.24².
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let em = self.size / 1.24 / 1.24;
        Ok((
            (0, -em.round() as i32),
            (
                (em * 0.7 * text.len() as f64).round() as i32,
                (em * 0.24).round() as i32,
            ),
        ))
    }
    /// Text as pixels: for bitmap backends, which the charts do not draw on.
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        Ok(Ok(()))
    }
}

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
    pub fn text(&self, s: &str, at: (i32, i32), style: &Font) -> Res<()> {
        if s.is_empty() {
            return Ok(());
        }
        #[cfg(test)]
        {
            use super::labels::{trace, Rect};
            let (w, h) = self.text_size(s, style)?;
            let r = if style.turned {
                // Turned a quarter anticlockwise about its anchor: its top faces left.
                let (x, y) = at;
                match style.pos.v_pos {
                    VPos::Top => Rect::new((x, y - w / 2), (x + h, y + w / 2)),
                    VPos::Center => Rect::new((x - h / 2, y - w / 2), (x + h / 2, y + w / 2)),
                    VPos::Bottom => Rect::new((x - h, y - w / 2), (x, y + w / 2)),
                }
            } else {
                Rect::of_text(at, (w, h), style.pos)
            };
            trace::with(|t| t.texts.push((s.to_string(), r)));
        }
        let mut db = self.db.borrow_mut();
        db.draw_text(s, style, at).map_err(err)
    }
    pub fn text_size(&self, s: &str, style: &Font) -> Res<(i32, i32)> {
        let db = self.db.borrow();
        let (w, h) = db.estimate_text_size(s, style).map_err(err)?;
        Ok((w as i32, h as i32))
    }
}
