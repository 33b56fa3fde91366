//! SVG documents of the charts: text written at the size it was laid out for, the physical size
//! of a fixed-size export, and what a reader of the file can hover (a `<title>` per bar or
//! point, the chart's title and description).
//!
//! plotters' SVG backend writes a text's font size as `size / 1.24` (its convention for its own
//! text measure); the charts lay text out at `size` CSS px, as the canvas draws it. So the SVG is
//! given `size × 1.24` ([`svg_text`]): the page's SVG export in `web_backend`, the command-line
//! tool's and the tests' through [`Svg`], which also measures text at that size (plotters' rough
//! estimate without fonts: ~0.56 em per character).

use super::context;
use super::marks::truncate;
use super::surface::Font;
use super::{ChartOptions, ChartOutput};
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle};
use plotters_backend::{DrawingErrorKind, FontTransform};

/// plotters' SVG backend writes font sizes divided by this.
pub const SVG_TEXT: f64 = 1.24;

/// A text style at `SVG_TEXT` times its size: what plotters' SVG backend writes at the size given.
pub fn svg_text<S: BackendTextStyle>(s: &S) -> Font {
    Font {
        size: s.size() * SVG_TEXT,
        color: s.color(),
        pos: s.anchor(),
        turned: matches!(s.transform(), FontTransform::Rotate270),
    }
}

/// plotters' SVG backend with text written (and measured) at the size the charts give it.
pub struct Svg<'a>(pub SVGBackend<'a>);

type E<'a> = DrawingErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Svg<'a> {
    type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), E<'a>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), E<'a>> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), E<'a>> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<(), E<'a>> {
        self.0.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<(), E<'a>> {
        self.0.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result<(), E<'a>> {
        self.0.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        at: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<(), E<'a>> {
        self.0.draw_circle(at, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Result<(), E<'a>> {
        self.0.fill_polygon(vert, s)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        s: &T,
        at: BackendCoord,
    ) -> Result<(), E<'a>> {
        self.0.draw_text(text, &svg_text(s), at)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), E<'a>> {
        self.0.estimate_text_size(text, &svg_text(s))
    }
}

/// Text for XML content or an attribute value.
fn escape(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not XML (the labels' `truncate` drops them too).
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Longest patient id or group in a hover title (characters).
const MAX_TITLE: usize = 64;

/// Most hover titles an SVG gets from the hit targets (a chart of every visit of 10,000 patients
/// gets none: its file would double).
const MAX_TITLES: usize = 2000;

/// Finishes an SVG document drawn by [`super::draw`] into `buf` with `opts`: its size in
/// millimetres when the options ask for a fixed size, a `<title>` (the chart's name) and a
/// `<desc>` (its text description) for the whole, and a hover `<title>` per hit target (the
/// patient, or the group of a group mean) over its area (a waterfall's bar) or around its point.
pub fn finish(buf: &mut String, kind: super::ChartKind, opts: &ChartOptions, out: &ChartOutput) {
    let Some(head_end) = buf.find('>') else {
        return;
    };
    let mut head = buf[..head_end].to_string();
    if let Some((wmm, hmm)) = context::size(opts).mm {
        let (w, h) = context::canvas_size(opts);
        let mm = super::fmt_mm;
        head = head.replacen(
            &format!("width=\"{w}\" height=\"{h}\""),
            &format!("width=\"{}mm\" height=\"{}mm\"", mm(wmm), mm(hmm)),
            1,
        );
    }
    let mut top = String::from("\n<title>");
    escape(kind.title(), &mut top);
    top.push_str("</title>\n<desc>");
    escape(&out.description, &mut top);
    top.push_str("</desc>");
    let mut tips = String::new();
    let mut tip = |rect: (i32, i32, i32, i32), text: &str| {
        let (x0, y0, x1, y1) = rect;
        tips.push_str(&format!(
            "<rect x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\"><title>",
            x1 - x0,
            y1 - y0
        ));
        escape(text, &mut tips);
        tips.push_str("</title></rect>\n");
    };
    let r = (6.0 * context::dpr(opts)).round() as i32;
    if out.hits.len() <= MAX_TITLES || out.areas.len() == out.hits.len() {
        for (i, h) in out.hits.iter().enumerate() {
            let (x, y) = (h.x.round() as i32, h.y.round() as i32);
            let area = out.areas.get(i).copied();
            tip(
                area.unwrap_or((x - r, y - r, x + r, y + r)),
                &truncate(&h.id, MAX_TITLE),
            );
        }
    }
    let Some(end) = buf.rfind("</svg>") else {
        return;
    };
    if !tips.is_empty() {
        buf.insert_str(
            end,
            &format!("<g fill=\"none\" stroke=\"none\" pointer-events=\"all\">\n{tips}</g>\n"),
        );
    }
    buf.insert_str(head_end + 1, &top);
    buf.replace_range(..head_end, &head);
}
