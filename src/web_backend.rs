//! The page's drawing backend: a canvas (what the page shows) or an SVG string (its exports),
//! as one type. The charts are generic over plotters' `DrawingBackend`; instantiated for this one
//! type, the page's wasm holds one copy of every chart instead of one per backend.
//!
//! Text is measured with the canvas's `measureText`: its width, and the font's ascent plus descent
//! (`fontBoundingBox*`, the height of a line of that font without its line gap; plotters' own
//! web measure gives the line height). plotters' web measure adds a `<span>` to the document and
//! reads its size: a forced layout per label, slow on a page that has just laid out a new table
//! (~25 ms on this page's first drawing).
//!
//! On the canvas, lines, rectangles, paths, circles, polygons and text are drawn here rather than
//! by plotters-canvas, with the same calls, except that the context's state (colours, line width,
//! font, text alignment) is set only when it changes: plotters-canvas sets all of it for every
//! element, and each set is a call into JS that the canvas parses (a font string ~0.1 ms). The
//! example's six charts made 7,300 context calls, 142 of them font sets for 6 distinct fonts.
//! plotters-canvas's backend is not used at all (its drawing code was in the wasm, unreachable:
//! 4.5 KB); `tests/wasm.rs` keeps it as the reference the canvas drawing must match pixel for pixel.
//!
//! In the SVG, text is written at the size it is measured and drawn at on the canvas: plotters'
//! SVG backend writes a font size of `size / 1.24`, so it is given `size × 1.24`.

use plotters::prelude::DrawingBackend;
#[cfg(feature = "exports")]
use plotters::prelude::SVGBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

enum Target<'a> {
    Canvas(HtmlCanvasElement),
    /// SVG export: in the page's extras module only (feature `exports`).
    #[cfg(feature = "exports")]
    Svg(SVGBackend<'a>),
    /// Without SVG there is only the canvas (this variant cannot be made).
    #[cfg(not(feature = "exports"))]
    #[allow(dead_code)]
    NoSvg(
        std::convert::Infallible,
        std::marker::PhantomData<&'a mut String>,
    ),
}

pub(crate) struct PageBackend<'a> {
    target: Target<'a>,
    /// The canvas's 2D context (drawn on and measured with), or a detached canvas's (SVG: text is
    /// measured with it).
    ctx: CanvasRenderingContext2d,
    /// What was last set on `ctx`.
    pen: RefCell<Pen>,
}

/// A colour as the context holds it (alpha by its bits: only compared).
type Rgba = (u8, u8, u8, u64);

fn rgba(c: BackendColor) -> Rgba {
    (c.rgb.0, c.rgb.1, c.rgb.2, c.alpha.to_bits())
}

/// The CSS colour plotters-canvas gives the context.
fn css(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    format!("rgba({r},{g},{b},{})", c.alpha)
}

/// The CSS font of a text style (as plotters-canvas writes it).
fn css_font<T: BackendTextStyle>(style: &T) -> String {
    format!(
        "{} {}px {}",
        style.style().as_str(),
        style.size(),
        style.family().as_str()
    )
}

/// The state this backend last set on its context (None / empty: not set yet).
#[derive(Default)]
struct Pen {
    stroke: Option<Rgba>,
    line_width: Option<u32>,
    fill: Option<Rgba>,
    font: String,
    baseline: &'static str,
    align: &'static str,
}

#[derive(Debug)]
pub(crate) enum PageError {
    Canvas(String),
    #[cfg(feature = "exports")]
    Svg(std::io::Error),
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Canvas(e) => write!(f, "canvas: {e}"),
            #[cfg(feature = "exports")]
            PageError::Svg(e) => write!(f, "svg: {e}"),
        }
    }
}

impl std::error::Error for PageError {}

fn context_of(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

impl<'a> PageBackend<'a> {
    /// Drawing on a canvas (None when it has no 2D context).
    pub fn canvas(canvas: HtmlCanvasElement) -> Option<Self> {
        Some(PageBackend {
            ctx: context_of(&canvas)?,
            target: Target::Canvas(canvas),
            pen: RefCell::default(),
        })
    }

    /// Drawing into an SVG string of `size` pixels (None without a document to measure text in).
    #[cfg(feature = "exports")]
    pub fn svg(buf: &'a mut String, size: (u32, u32)) -> Option<Self> {
        let canvas: HtmlCanvasElement = web_sys::window()?
            .document()?
            .create_element("canvas")
            .ok()?
            .dyn_into()
            .ok()?;
        Some(PageBackend {
            ctx: context_of(&canvas)?,
            target: Target::Svg(SVGBackend::with_string(buf, size)),
            pen: RefCell::default(),
        })
    }
}

impl PageBackend<'_> {
    fn set_stroke(&self, style: &impl BackendStyle) {
        let mut pen = self.pen.borrow_mut();
        let color = style.color();
        let key = Some(rgba(color));
        if pen.stroke != key {
            self.ctx.set_stroke_style_str(&css(color));
            pen.stroke = key;
        }
        let width = style.stroke_width();
        if pen.line_width != Some(width) {
            self.ctx.set_line_width(f64::from(width));
            pen.line_width = Some(width);
        }
    }

    fn set_fill(&self, color: BackendColor) {
        let mut pen = self.pen.borrow_mut();
        let key = Some(rgba(color));
        if pen.fill != key {
            self.ctx.set_fill_style_str(&css(color));
            pen.fill = key;
        }
    }

    fn set_font(&self, font: &str) {
        let mut pen = self.pen.borrow_mut();
        if pen.font != font {
            self.ctx.set_font(font);
            pen.font.clear();
            pen.font.push_str(font);
        }
    }

    fn set_text_anchor(&self, baseline: &'static str, align: &'static str) {
        let mut pen = self.pen.borrow_mut();
        if pen.baseline != baseline {
            self.ctx.set_text_baseline(baseline);
            pen.baseline = baseline;
        }
        if pen.align != align {
            self.ctx.set_text_align(align);
            pen.align = align;
        }
    }

    /// Begins a new path with the subpath of `points` (moveTo, then lineTo…); false when there
    /// are no points.
    fn trace(&self, points: impl IntoIterator<Item = BackendCoord>) -> bool {
        self.ctx.begin_path();
        let mut points = points.into_iter();
        let Some((x, y)) = points.next() else {
            return false;
        };
        self.ctx.move_to(f64::from(x), f64::from(y));
        for (x, y) in points {
            self.ctx.line_to(f64::from(x), f64::from(y));
        }
        true
    }
}

fn canvas_error(e: JsValue) -> DrawingErrorKind<PageError> {
    DrawingErrorKind::DrawingError(PageError::Canvas(format!("{e:?}")))
}

/// A horizontal or vertical line moved by half a pixel onto the pixel grid (crisp, not blurred
/// over two pixels), as plotters-canvas does.
fn fine_hor_ver_lines(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let (mut from, mut to) = (
        (f64::from(from.0), f64::from(from.1)),
        (f64::from(to.0), f64::from(to.1)),
    );
    if from.0 == to.0 {
        from.0 -= 0.5;
        to.0 -= 0.5;
    }
    if from.1 == to.1 {
        from.1 -= 0.5;
        to.1 -= 0.5;
    }
    (from, to)
}

/// A backend's error as the page backend's.
#[cfg(feature = "exports")]
fn lift<T, E>(
    r: Result<T, DrawingErrorKind<E>>,
    f: impl FnOnce(E) -> PageError,
) -> Result<T, DrawingErrorKind<PageError>>
where
    E: std::error::Error + Send + Sync,
{
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(f(e)),
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// On the SVG target, return the SVG backend's `$call` (with `$b` the backend); on the canvas,
/// go on.
macro_rules! svg {
    ($self:ident, $b:ident => $call:expr) => {
        match &mut $self.target {
            Target::Canvas(_) => {}
            #[cfg(feature = "exports")]
            Target::Svg($b) => return lift($call, PageError::Svg),
            #[cfg(not(feature = "exports"))]
            Target::NoSvg(never, _) => match *never {},
        }
    };
}

impl DrawingBackend for PageBackend<'_> {
    type ErrorType = PageError;

    fn get_size(&self) -> (u32, u32) {
        match &self.target {
            Target::Canvas(c) => (c.width(), c.height()),
            #[cfg(feature = "exports")]
            Target::Svg(b) => b.get_size(),
            #[cfg(not(feature = "exports"))]
            Target::NoSvg(never, _) => match *never {},
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.ensure_prepared());
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.present());
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.draw_pixel(point, color));
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.set_fill(color);
        self.ctx
            .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.draw_line(from, to, style));
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (from, to) = fine_hor_ver_lines(from, to);
        self.set_stroke(style);
        self.ctx.begin_path();
        self.ctx.move_to(from.0, from.1);
        self.ctx.line_to(to.0, to.1);
        self.ctx.stroke();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.draw_rect(upper_left, bottom_right, style, fill));
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        if fill {
            self.set_fill(style.color());
            self.ctx.fill_rect(x, y, w, h);
        } else {
            self.set_stroke(style);
            self.ctx.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.draw_path(path, style));
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.set_stroke(style);
        self.trace(path);
        self.ctx.stroke();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.draw_circle(center, radius, style, fill));
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        if fill {
            self.set_fill(style.color());
        } else {
            self.set_stroke(style);
        }
        self.ctx.begin_path();
        self.ctx
            .arc(
                f64::from(center.0),
                f64::from(center.1),
                f64::from(radius),
                0.0,
                std::f64::consts::TAU,
            )
            .map_err(canvas_error)?;
        if fill {
            self.ctx.fill();
        } else {
            self.ctx.stroke();
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.fill_polygon(vert, style));
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.set_fill(style.color());
        if self.trace(vert) {
            self.ctx.close_path();
        }
        self.ctx.fill();
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        svg!(self, b => b.draw_text(text, &crate::charts::svg_text(style), pos));
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let anchor = style.anchor();
        let baseline = match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        // All set before a rotation's save(), so that its restore() leaves them as the pen has
        // them.
        self.set_text_anchor(baseline, align);
        self.set_fill(color);
        self.set_font(&css_font(style));
        let degrees = match style.transform() {
            FontTransform::None => 0.0_f64,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        if degrees == 0.0 {
            return self.ctx.fill_text(text, x, y).map_err(canvas_error);
        }
        self.ctx.save();
        let drawn = self
            .ctx
            .translate(x, y)
            .and_then(|()| self.ctx.rotate(degrees / 180.0 * std::f64::consts::PI))
            .and_then(|()| self.ctx.fill_text(text, 0.0, 0.0));
        self.ctx.restore();
        drawn.map_err(canvas_error)
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<PageError>> {
        if text.is_empty() {
            return Ok((0, 0));
        }
        self.set_font(&css_font(style));
        let metrics = self.ctx.measure_text(text).map_err(canvas_error)?;
        let height = (metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent())
            .ceil()
            .max(0.0) as u32;
        let width = metrics.width();
        Ok((width.round().max(0.0) as u32, height))
    }
}
