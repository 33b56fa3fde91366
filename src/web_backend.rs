//! The page's drawing backend: a canvas (what the page shows) or an SVG string (its exports),
//! as one type. The charts are generic over plotters' `DrawingBackend`; instantiated for this one
//! type, the page's wasm holds one copy of every chart instead of one per backend.
//!
//! Text is measured with the canvas's `measureText`: its width, and the font's ascent plus descent
//! (`fontBoundingBox*`, the height of a line of that font without its line gap; plotters' own
//! web measure gives the line height). plotters' web measure adds a `<span>` to the document and
//! reads its size: a forced layout per label, slow on a page that has just laid out a new table
//! (~25 ms on this page's first drawing).

use plotters::prelude::DrawingBackend;
#[cfg(feature = "exports")]
use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

enum Target<'a> {
    Canvas(CanvasBackend),
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
    /// A 2D context to measure text with (the canvas's own, or a detached canvas's for SVG).
    measure: CanvasRenderingContext2d,
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
        let measure = context_of(&canvas)?;
        Some(PageBackend {
            target: Target::Canvas(CanvasBackend::with_canvas_object(canvas)?),
            measure,
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
            measure: context_of(&canvas)?,
            target: Target::Svg(SVGBackend::with_string(buf, size)),
        })
    }
}

/// A backend's error as the page backend's.
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

/// The same call on whichever backend this is.
macro_rules! each {
    ($self:ident, $b:ident => $call:expr) => {
        match &mut $self.target {
            Target::Canvas($b) => lift($call, |e| PageError::Canvas(e.to_string())),
            #[cfg(feature = "exports")]
            Target::Svg($b) => lift($call, PageError::Svg),
            #[cfg(not(feature = "exports"))]
            Target::NoSvg(never, _) => match *never {},
        }
    };
}

impl DrawingBackend for PageBackend<'_> {
    type ErrorType = PageError;

    fn get_size(&self) -> (u32, u32) {
        match &self.target {
            Target::Canvas(b) => b.get_size(),
            #[cfg(feature = "exports")]
            Target::Svg(b) => b.get_size(),
            #[cfg(not(feature = "exports"))]
            Target::NoSvg(never, _) => match *never {},
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.present())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.fill_polygon(vert, style))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.draw_text(text, style, pos))
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<PageError>> {
        if text.is_empty() {
            return Ok((0, 0));
        }
        // The font string the canvas backend draws with.
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        self.measure.set_font(&font);
        let metrics = self
            .measure
            .measure_text(text)
            .map_err(|e| DrawingErrorKind::DrawingError(PageError::Canvas(format!("{e:?}"))))?;
        let height = (metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent())
            .ceil()
            .max(0.0) as u32;
        let width = metrics.width();
        Ok((width.round().max(0.0) as u32, height))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<PageError>> {
        each!(self, b => b.blit_bitmap(pos, size, src))
    }
}
