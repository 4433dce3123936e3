//! GB/T 9704-2012 page geometry, Chinese line breaking and page composition.
//!
//! Pure: text and a [`Measure`] in, positioned glyphs out (millimetres from
//! the page's top-left corner). No PDF here, so every rule is unit-tested.
//!
//! Numbers, checked against the standard's text:
//! - §5.1/§5.2.1: A4 210 × 297 mm; 天头 (top margin) 37 mm ± 1, 订口 (left
//!   margin) 28 mm ± 1, 版心 (text block) 156 × 225 mm.
//! - §5.2.2/§5.2.3: 3号 (16 pt) 仿宋; 22 lines of 28 characters that fill
//!   the block (撑满版心): the character cell is 156/28 = 5.571 mm and the
//!   line pitch (225 − h)/21 = 10.445 mm, h = 16 pt = 5.644 mm, so the first
//!   line's top is the block's top and the 22nd line's bottom its bottom.
//!   (§3.2's “一行” — a character's height plus 7/8 of a 3号 character — is
//!   10.58 mm; filling the block with 22 lines takes the slightly tighter
//!   10.445 mm, as Word's document grid does.)
//! - §7.3.1 title 2号 (22 pt) 小标宋, centred; §7.3.3 paragraphs indented two
//!   characters; §7.3.5.1 the date four characters in from the right, the
//!   issuer's name centred over it, the seal over both, its top within one
//!   line of the body; §7.3.6 附注 indented two characters in parentheses on
//!   the line after the date.
//! - §7.5 page numbers: 4号 (14 pt) half-width 宋体 digits between two
//!   一字线 (“— 2 —”), the dash line 7 mm below the block; odd pages right,
//!   even pages left, one character in.
//! - §10.1 letter format: issuer's name (发文机关标志) centred, top edge
//!   30 mm from the top, red 小标宋; a red double line (thick over thin)
//!   4 mm under it and another (thin over thick) 20 mm above the bottom edge,
//!   both 170 mm long and centred; the document number flush right under the
//!   first double line at 7/8 of a 3号 character's height; the title two
//!   lines below; no page number on page 1.
//!
//! `breaking` is the line breaking (units, 禁则, balanced titles, justified
//! lines), `compose` the page composition (the letter format, the body on
//! the grid, tables, signature, page numbers).

use super::fonts::FontRole;
use super::Result;

mod breaking;
mod compose;
#[cfg(test)]
mod tests;

pub use breaking::{balance_lines, break_lines, place_line, units, Line, Unit, NO_END, NO_START};
pub use compose::{compose, LayoutOptions};

/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;
pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN_TOP: f32 = 37.0;
pub const MARGIN_LEFT: f32 = 28.0;
pub const BLOCK_W: f32 = 156.0;
pub const BLOCK_H: f32 = 225.0;
pub const CHARS_PER_LINE: usize = 28;
pub const LINES_PER_PAGE: usize = 22;
/// 3号.
pub const BODY_PT: f32 = 16.0;
/// 2号.
pub const TITLE_PT: f32 = 22.0;
/// 4号.
pub const PAGE_NO_PT: f32 = 14.0;
/// The letterhead (发文机关标志): size at the bureau's discretion (§10.1).
pub const FLAG_PT: f32 = 26.0;
/// Audit line at the foot of each page.
pub const AUDIT_PT: f32 = 7.0;
/// The red double lines of the letter format.
pub const RULE_LEN: f32 = 170.0;
pub const RULE_THICK_PT: f32 = 2.0;
pub const RULE_THIN_PT: f32 = 0.6;
/// Centre-to-centre distance of the two lines of a double line.
pub const RULE_GAP: f32 = 1.2;
/// Demo seal diameter (a district bureau's seal is 42 mm).
pub const SEAL_DIAMETER: f32 = 42.0;
/// The em box's top is this far above the baseline (ideographic em box:
/// 880/1000 in Noto CJK and most CJK fonts).
pub const ASCENT_EM: f32 = 0.88;

/// 3号 character height (= width) in mm.
pub fn char_h() -> f32 {
    BODY_PT * MM_PER_PT
}
/// Grid cell width: 156 mm / 28.
pub fn cell_w() -> f32 {
    BLOCK_W / CHARS_PER_LINE as f32
}
/// Line pitch so that 22 lines fill the block.
pub fn pitch() -> f32 {
    (BLOCK_H - char_h()) / (LINES_PER_PAGE as f32 - 1.0)
}
/// Top of grid line `i` (0-based) on any page, mm from the page top.
pub fn line_top(i: usize) -> f32 {
    MARGIN_TOP + i as f32 * pitch()
}
pub fn block_right() -> f32 {
    MARGIN_LEFT + BLOCK_W
}
pub fn block_bottom() -> f32 {
    MARGIN_TOP + BLOCK_H
}

/// Advance widths of characters, in em, per font role.
pub trait Measure {
    /// The advance of `ch` in `role`'s font, in em; an error when the font
    /// has no glyph for it.
    fn advance_em(&self, role: FontRole, ch: char) -> Result<f32>;
}

/// A fixed-width measure for tests: CJK 1 em, ASCII ½ em.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixedMeasure;

impl Measure for FixedMeasure {
    fn advance_em(&self, _role: FontRole, ch: char) -> Result<f32> {
        Ok(if ch.is_ascii() { 0.5 } else { 1.0 })
    }
}

/// Colours used on a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Black,
    Red,
    Grey,
}

/// What a run of text is, for rendering choices and for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Flag,
    Number,
    Title,
    Addressee,
    /// A body line (text, heading or table cell line).
    Body,
    Signature,
    Date,
    Contact,
    PageNumber,
    Audit,
}

/// A glyph at an x position (mm from the page's left edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub ch: char,
    pub x: f32,
}

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub kind: RunKind,
    pub role: FontRole,
    pub size_pt: f32,
    pub ink: Ink,
    /// Top of the em box, mm from the page top.
    pub top: f32,
    /// Grid line index when the run sits on the body grid.
    pub grid_line: Option<usize>,
    pub glyphs: Vec<Glyph>,
}

impl TextRun {
    /// Baseline, mm from the page top.
    pub fn baseline(&self) -> f32 {
        self.top + ASCENT_EM * self.size_pt * MM_PER_PT
    }
    /// The run's text.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }
}

/// A horizontal line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub x2: f32,
    /// Centre line, mm from the page top.
    pub y: f32,
    pub width_pt: f32,
    pub ink: Ink,
}

/// Where the seal goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SealPlacement {
    pub cx: f32,
    pub cy: f32,
    pub diameter: f32,
}

/// One page of a laid-out letter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub runs: Vec<TextRun>,
    pub rules: Vec<Rule>,
    pub seal: Option<SealPlacement>,
}

/// A letter laid out on pages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LetterLayout {
    pub pages: Vec<Page>,
}
