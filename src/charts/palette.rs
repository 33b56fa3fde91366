//! Colour-blind-safe palette (Okabe & Ito 2008) and marker shapes.

use plotters::style::RGBColor;

pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub const INK: RGBColor = RGBColor(0x00, 0x00, 0x00);
/// Neutral grey for reference lines and "not evaluable".
pub const GREY: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// Group colours, in order of `Analysis::groups`. Yellow last: weakest contrast on white.
pub const GROUP_COLORS: [RGBColor; 7] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    SKY_BLUE,
    YELLOW,
];

/// Responder status (waterfall).
pub const RESPONDER: RGBColor = BLUE;
pub const NON_RESPONDER: RGBColor = VERMILLION;
pub const NOT_EVALUABLE: RGBColor = GREY;

/// Model overlays (D50 curve).
pub const MODEL: RGBColor = REDDISH_PURPLE;

/// Marker shapes, so groups differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Triangle,
    Square,
    Diamond,
    Cross,
}

pub const GROUP_SHAPES: [Shape; 5] = [
    Shape::Circle,
    Shape::Triangle,
    Shape::Square,
    Shape::Diamond,
    Shape::Cross,
];

pub fn group_color(i: usize) -> RGBColor {
    GROUP_COLORS[i % GROUP_COLORS.len()]
}

pub fn group_shape(i: usize) -> Shape {
    GROUP_SHAPES[i % GROUP_SHAPES.len()]
}
