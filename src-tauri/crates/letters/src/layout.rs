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

use super::content::{format_date, LetterContent, Paragraph};
use super::fonts::FontRole;
use super::{LetterError, Result};

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

// ---------------------------------------------------------------------------
// Line breaking
// ---------------------------------------------------------------------------

/// Characters that must not start a line (GB/T 15834 / common practice).
pub const NO_START: &str = "，。、；：？！）》”’」』】〕〉｝％‰…—·,.;:?!)]}%、";
/// Characters that must not end a line.
pub const NO_END: &str = "（《“‘「『【〔〈｛([{";

fn is_no_start(c: char) -> bool {
    NO_START.contains(c)
}
fn is_no_end(c: char) -> bool {
    NO_END.contains(c)
}

/// Characters that glue into an unbreakable ASCII run (numbers, codes,
/// cell references, phone numbers): 1,234,500.00 · 2026 · C2a · D5 ·
/// 023-63768099 · 表1!B7.
fn is_run_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".,%:/-_!+#@'".contains(c)
}

/// An unbreakable unit of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub chars: Vec<char>,
    /// Advance of each char, mm.
    pub widths: Vec<f32>,
}

impl Unit {
    fn width(&self) -> f32 {
        self.widths.iter().sum()
    }
    fn first(&self) -> char {
        self.chars.first().copied().unwrap_or(' ')
    }
    fn last(&self) -> char {
        self.chars.last().copied().unwrap_or(' ')
    }
}

/// Splits `text` into unbreakable units: each CJK character alone, ASCII
/// runs whole, doubled dashes and ellipses (——, ……) whole.
/// `em_mm` converts em to mm (the grid cell for body text).
pub fn units(text: &str, role: FontRole, em_mm: f32, m: &dyn Measure) -> Result<Vec<Unit>> {
    let chars: Vec<char> = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    let mut out: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut j = i + 1;
        if is_run_char(c) && c.is_ascii_alphanumeric() {
            while j < chars.len() && is_run_char(chars[j]) {
                j += 1;
            }
            // a trailing separator (“2026.” at a sentence end) is not glued
            while j > i + 1 && !chars[j - 1].is_ascii_alphanumeric() && chars[j - 1] != '%' {
                j -= 1;
            }
        } else if (c == '—' || c == '…') && chars.get(i + 1) == Some(&c) {
            j = i + 2;
        }
        let seg = &chars[i..j];
        let mut widths = Vec::with_capacity(seg.len());
        for &ch in seg {
            widths.push(m.advance_em(role, ch)? * em_mm);
        }
        out.push(Unit {
            chars: seg.to_vec(),
            widths,
        });
        i = j;
    }
    Ok(out)
}

/// A broken line: its units and whether it is justified to the full width.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub units: Vec<Unit>,
    pub justify: bool,
}

impl Line {
    pub fn text(&self) -> String {
        self.units.iter().flat_map(|u| u.chars.iter()).collect()
    }
    pub fn natural_width(&self) -> f32 {
        self.units.iter().map(Unit::width).sum()
    }
}

/// Breaks units into lines of `first` mm (first line) and `rest` mm.
///
/// Rules: no line starts with a closing punctuation mark ([`NO_START`]), no
/// line ends with an opening one ([`NO_END`]) — the offending unit takes the
/// one before it along to the next line (推出), and the shortened line is
/// justified; ASCII runs (numbers, years, codes) are never split unless a
/// single run is longer than a whole line.
pub fn break_lines(units: Vec<Unit>, first: f32, rest: f32) -> Vec<Line> {
    const EPS: f32 = 0.01;
    let mut lines: Vec<Line> = Vec::new();
    let mut cur: Vec<Unit> = Vec::new();
    let mut cur_w = 0.0f32;
    let avail = |lines: &Vec<Line>| if lines.is_empty() { first } else { rest };
    let mut queue: std::collections::VecDeque<Unit> = units.into();
    while let Some(u) = queue.pop_front() {
        let a = avail(&lines);
        if cur_w + u.width() <= a + EPS {
            cur_w += u.width();
            cur.push(u);
            continue;
        }
        if cur.is_empty() {
            // a single unit wider than the line: split it by characters
            let mut head = Unit {
                chars: vec![],
                widths: vec![],
            };
            let mut tail = u.clone();
            while !tail.chars.is_empty() && head.width() + tail.widths[0] <= a + EPS {
                head.chars.push(tail.chars.remove(0));
                head.widths.push(tail.widths.remove(0));
            }
            if head.chars.is_empty() {
                // not even one character fits: place it anyway
                head.chars.push(tail.chars.remove(0));
                head.widths.push(tail.widths.remove(0));
            }
            lines.push(Line {
                units: vec![head],
                justify: true,
            });
            if !tail.chars.is_empty() {
                queue.push_front(tail);
            }
            continue;
        }
        // `u` goes to the next line; fix the break.
        let mut carry: Vec<Unit> = Vec::new();
        // 1. the next line must not start with a closing mark: pull units
        //    back from this line until it does not (keep ≥ 1 unit here)
        let mut next_first = u.first();
        while is_no_start(next_first) && cur.len() > 1 {
            if let Some(last) = cur.pop() {
                next_first = last.first();
                carry.insert(0, last);
            }
        }
        // 2. this line must not end with an opening mark
        while cur.len() > 1 && cur.last().is_some_and(|l| is_no_end(l.last())) {
            if let Some(last) = cur.pop() {
                carry.insert(0, last);
            }
        }
        lines.push(Line {
            units: std::mem::take(&mut cur),
            justify: true,
        });
        cur_w = 0.0;
        queue.push_front(u);
        for c in carry.into_iter().rev() {
            queue.push_front(c);
        }
    }
    if !cur.is_empty() {
        lines.push(Line {
            units: cur,
            justify: false,
        });
    }
    lines
}

/// Ends of organisation names: a title line may end after the applicant's
/// name (…有限公司 / 申报材料的补正告知书) without cutting a word.
const ORG_SUFFIXES: &[&str] = &[
    "公司",
    "研究院",
    "研究所",
    "研究中心",
    "中心",
    "大学",
    "学院",
    "协会",
    "合作社",
    "事务所",
];

/// Breaks a title (回行) into lines of about equal width, at most `max`
/// mm each, preferring breaks at quotation marks and brackets so that words
/// stay whole (§7.3.1: 词意完整，排列对称，长短适宜).
pub fn balance_lines(units: Vec<Unit>, max: f32, em: f32) -> Vec<Line> {
    let greedy = break_lines(units.clone(), max, max);
    let n = greedy.len();
    if n <= 1 {
        return greedy;
    }
    // n lines breaking at a quote or bracket; failing that, one line more
    balanced(&units, n, max, em, true)
        .or_else(|| balanced(&units, n + 1, max, em, true))
        .or_else(|| balanced(&units, n, max, em, false))
        .unwrap_or(greedy)
}

fn balanced(units: &[Unit], n: usize, max: f32, em: f32, need_good: bool) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    let mut rest: &[Unit] = units;
    let mut all_good = true;
    for k in 0..n - 1 {
        let remaining: f32 = rest.iter().map(Unit::width).sum();
        let target = remaining / (n - k) as f32;
        let mut best: Option<(f32, usize, bool)> = None;
        let mut w = 0.0;
        let mut head = String::new();
        for i in 0..rest.len().saturating_sub(1) {
            w += rest[i].width();
            head.extend(rest[i].chars.iter());
            if w > max + 0.01 {
                break;
            }
            if w < target - 5.0 * em {
                continue;
            }
            let (prev, next) = (rest[i].last(), rest[i + 1].first());
            if is_no_start(next) || is_no_end(prev) {
                continue;
            }
            let good = "”）》，、".contains(prev)
                || "“《（".contains(next)
                || ORG_SUFFIXES.iter().any(|x| head.ends_with(x));
            let cost = (w - target).abs() + if good { 0.0 } else { 4.0 * em };
            if best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, i + 1, good));
            }
        }
        let (_, at, good) = best?;
        all_good &= good;
        lines.push(Line {
            units: rest[..at].to_vec(),
            justify: false,
        });
        rest = &rest[at..];
    }
    let last_w: f32 = rest.iter().map(Unit::width).sum();
    if last_w > max + 0.01 || rest.is_empty() || (need_good && !all_good) {
        return None;
    }
    lines.push(Line {
        units: rest.to_vec(),
        justify: false,
    });
    Some(lines)
}

/// Positions the glyphs of `line` starting at `x0`; a justified line is
/// spread to exactly `width` mm by equal extra space between units.
pub fn place_line(line: &Line, x0: f32, width: f32) -> Vec<Glyph> {
    let gaps = line.units.len().saturating_sub(1);
    let slack = (width - line.natural_width()).max(0.0);
    let extra = if line.justify && gaps > 0 {
        slack / gaps as f32
    } else {
        0.0
    };
    let mut x = x0;
    let mut out = Vec::new();
    for u in &line.units {
        for (c, w) in u.chars.iter().zip(&u.widths) {
            out.push(Glyph { ch: *c, x });
            x += w;
        }
        x += extra;
    }
    out
}

// ---------------------------------------------------------------------------
// Page composition
// ---------------------------------------------------------------------------

struct Composer<'a> {
    m: &'a dyn Measure,
    pages: Vec<Page>,
    /// Current page index and next free grid line on it.
    page: usize,
    line: usize,
}

impl Composer<'_> {
    fn page_mut(&mut self, i: usize) -> &mut Page {
        while self.pages.len() <= i {
            self.pages.push(Page::default());
        }
        &mut self.pages[i]
    }

    /// Reserves `n` consecutive grid lines (on a new page when they do not
    /// fit); returns (page, first line).
    fn take(&mut self, n: usize) -> (usize, usize) {
        if self.line + n > LINES_PER_PAGE {
            self.page += 1;
            self.line = 0;
            self.page_mut(self.page);
        }
        let at = (self.page, self.line);
        self.line += n;
        at
    }

    fn skip(&mut self, n: usize) {
        self.line += n;
        if self.line >= LINES_PER_PAGE {
            self.page += 1;
            self.line = 0;
            self.page_mut(self.page);
        }
    }

    fn push_grid_run(
        &mut self,
        page: usize,
        line: usize,
        kind: RunKind,
        role: FontRole,
        glyphs: Vec<Glyph>,
    ) {
        self.page_mut(page).runs.push(TextRun {
            kind,
            role,
            size_pt: BODY_PT,
            ink: Ink::Black,
            top: line_top(line),
            grid_line: Some(line),
            glyphs,
        });
    }

    /// Lays a paragraph onto the grid; returns the (page, line) of its
    /// last line.
    fn paragraph(
        &mut self,
        text: &str,
        role: FontRole,
        indent: usize,
        kind: RunKind,
    ) -> Result<(usize, usize)> {
        let us = units(text, role, cell_w(), self.m)?;
        let ind = indent as f32 * cell_w();
        let lines = break_lines(us, BLOCK_W - ind, BLOCK_W);
        let mut last = (self.page, self.line);
        for (i, l) in lines.iter().enumerate() {
            let (x0, w) = if i == 0 {
                (MARGIN_LEFT + ind, BLOCK_W - ind)
            } else {
                (MARGIN_LEFT, BLOCK_W)
            };
            let (p, ln) = self.take(1);
            let glyphs = place_line(l, x0, w);
            self.push_grid_run(p, ln, kind, role, glyphs);
            last = (p, ln);
        }
        Ok(last)
    }

    fn table(&mut self, widths: &[u32], rows: &[Vec<String>]) -> Result<()> {
        let cw = cell_w();
        let total: u32 = widths.iter().sum();
        let x_start = MARGIN_LEFT + (CHARS_PER_LINE as f32 - total as f32) * cw / 2.0;
        // each row: per-column broken lines
        let mut laid: Vec<Vec<Vec<Line>>> = Vec::new();
        for row in rows {
            let mut cols = Vec::new();
            for (cell, w) in row.iter().zip(widths) {
                let us = units(cell, FontRole::Body, cw, self.m)?;
                let avail = (*w as f32 - 0.5) * cw;
                let mut ls = break_lines(us, avail, avail);
                for l in &mut ls {
                    l.justify = false;
                }
                cols.push(ls);
            }
            laid.push(cols);
        }
        let row_h = |r: &Vec<Vec<Line>>| r.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let rule_y = |line: usize| line_top(line) - (pitch() - char_h()) / 2.0;
        let x_end = x_start + total as f32 * cw;
        let rule = |y: f32, width_pt: f32| Rule {
            x1: x_start,
            x2: x_end,
            y,
            width_pt,
            ink: Ink::Black,
        };
        let mut open_page: Option<usize> = None;
        let mut last_bottom: (usize, usize) = (self.page, self.line);
        for (ri, r) in laid.iter().enumerate() {
            let h = row_h(r);
            let header_h = if ri > 0 { row_h(&laid[0]) } else { 0 };
            let before = self.page;
            let (mut p, mut ln) = self.take(h);
            if ri > 0 && p != before {
                // continued on a new page: close the old one, repeat the header
                let (bp, bl) = last_bottom;
                self.page_mut(bp).rules.push(rule(rule_y(bl + 1), 1.0));
                self.line = 0;
                let (hp, hl) = self.take(header_h);
                self.table_row(&laid[0], widths, x_start, hp, hl);
                self.page_mut(hp).rules.push(rule(rule_y(hl), 1.0));
                self.page_mut(hp)
                    .rules
                    .push(rule(rule_y(hl + header_h), 0.5));
                let next = self.take(h);
                p = next.0;
                ln = next.1;
                open_page = Some(hp);
            }
            if open_page.is_none() {
                self.page_mut(p).rules.push(rule(rule_y(ln), 1.0));
                open_page = Some(p);
            }
            self.table_row(r, widths, x_start, p, ln);
            if ri == 0 {
                self.page_mut(p).rules.push(rule(rule_y(ln + h), 0.5));
            }
            last_bottom = (p, ln + h - 1);
        }
        let (bp, bl) = last_bottom;
        self.page_mut(bp).rules.push(rule(rule_y(bl + 1), 1.0));
        Ok(())
    }

    fn table_row(&mut self, r: &[Vec<Line>], widths: &[u32], x_start: f32, p: usize, ln: usize) {
        let cw = cell_w();
        let mut x = x_start;
        for (lines, w) in r.iter().zip(widths) {
            for (k, l) in lines.iter().enumerate() {
                let glyphs = place_line(l, x + 0.25 * cw, (*w as f32 - 0.5) * cw);
                self.push_grid_run(p, ln + k, RunKind::Body, FontRole::Body, glyphs);
            }
            x += *w as f32 * cw;
        }
    }
}

/// Width of `text` in `role` at `size_pt`, mm.
fn text_width(text: &str, role: FontRole, size_pt: f32, m: &dyn Measure) -> Result<f32> {
    let mut w = 0.0;
    for c in text.chars() {
        w += m.advance_em(role, c)? * size_pt * MM_PER_PT;
    }
    Ok(w)
}

#[allow(clippy::too_many_arguments)]
fn run_at(
    text: &str,
    role: FontRole,
    size_pt: f32,
    x: f32,
    top: f32,
    kind: RunKind,
    ink: Ink,
    m: &dyn Measure,
) -> Result<TextRun> {
    let mut glyphs = Vec::new();
    let mut cx = x;
    for c in text.chars() {
        glyphs.push(Glyph { ch: c, x: cx });
        cx += m.advance_em(role, c)? * size_pt * MM_PER_PT;
    }
    Ok(TextRun {
        kind,
        role,
        size_pt,
        ink,
        top,
        grid_line: None,
        glyphs,
    })
}

fn double_rule(y_first: f32, thick_first: bool) -> [Rule; 2] {
    let x1 = (PAGE_W - RULE_LEN) / 2.0;
    let x2 = x1 + RULE_LEN;
    let (a, b) = if thick_first {
        (RULE_THICK_PT, RULE_THIN_PT)
    } else {
        (RULE_THIN_PT, RULE_THICK_PT)
    };
    [
        Rule {
            x1,
            x2,
            y: y_first,
            width_pt: a,
            ink: Ink::Red,
        },
        Rule {
            x1,
            x2,
            y: y_first + RULE_GAP,
            width_pt: b,
            ink: Ink::Red,
        },
    ]
}

/// Options that change the layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutOptions {
    /// Place the seal (false for printing to be wet-sealed).
    pub seal: bool,
}

/// Lays out a letter: letterhead, number, title, addressee, body,
/// signature with date and seal, 附注, page numbers, audit line.
pub fn compose(c: &LetterContent, m: &dyn Measure, opts: LayoutOptions) -> Result<LetterLayout> {
    c.validate()?;
    // First pass; when the signature block does not fit after the body, the
    // last two body lines move to the next page with it (a page never holds
    // only a signature and seal, §7.3.5.5).
    let mut keep_with = 0usize;
    loop {
        let l = compose_once(c, m, opts, keep_with)?;
        match l {
            Composed::Done(layout) => return Ok(layout),
            Composed::Retry(n) if keep_with == 0 => keep_with = n,
            Composed::Retry(_) => return Err(LetterError::Layout(
                "署名、日期和印章无法与正文排在同一页 / cannot keep the signature with the body"
                    .into(),
            )),
        }
    }
}

enum Composed {
    Done(LetterLayout),
    Retry(usize),
}

fn compose_once(
    c: &LetterContent,
    m: &dyn Measure,
    opts: LayoutOptions,
    keep_with: usize,
) -> Result<Composed> {
    let mut k = Composer {
        m,
        pages: vec![Page::default()],
        page: 0,
        line: 0,
    };

    // ---- letterhead (page 1) ------------------------------------------
    let mut flag_pt = FLAG_PT;
    let mut flag_w = text_width(&c.issuer, FontRole::Title, flag_pt, m)?;
    if flag_w > BLOCK_W {
        flag_pt *= BLOCK_W / flag_w;
        flag_w = BLOCK_W;
    }
    let flag_top = 30.0;
    let flag_bottom = flag_top + flag_pt * MM_PER_PT;
    let flag = run_at(
        &c.issuer,
        FontRole::Title,
        flag_pt,
        (PAGE_W - flag_w) / 2.0,
        flag_top,
        RunKind::Flag,
        Ink::Red,
        m,
    )?;
    let rule1_y = flag_bottom + 4.0 + RULE_THICK_PT * MM_PER_PT / 2.0;
    let top_rules = double_rule(rule1_y, true);
    let rule2_y = PAGE_H - 20.0 - RULE_THICK_PT * MM_PER_PT / 2.0 - RULE_GAP;
    let bottom_rules = double_rule(rule2_y, false);
    let number_top = rule1_y + RULE_GAP + RULE_THIN_PT * MM_PER_PT / 2.0 + char_h() * 7.0 / 8.0;
    let number_w = text_width(&c.number, FontRole::Body, BODY_PT, m)?;
    let number = run_at(
        &c.number,
        FontRole::Body,
        BODY_PT,
        block_right() - number_w,
        number_top,
        RunKind::Number,
        Ink::Black,
        m,
    )?;
    {
        let p0 = k.page_mut(0);
        p0.runs.push(flag);
        p0.rules.extend(top_rules);
        p0.rules.extend(bottom_rules);
        p0.runs.push(number);
    }

    // ---- title: two blank lines below the number ------------------------
    let want = number_top + 3.0 * pitch();
    let first = ((want - MARGIN_TOP) / pitch()).round().max(0.0) as usize;
    k.line = first;
    let title_em = TITLE_PT * MM_PER_PT;
    let tu = units(&c.title, FontRole::Title, title_em, m)?;
    // 回行: at most 22 title characters a line, centred
    let title_lines = balance_lines(tu, BLOCK_W, title_em);
    for l in &title_lines {
        let w = l.natural_width();
        let (p, ln) = k.take(1);
        let mut line = l.clone();
        line.justify = false;
        let glyphs = place_line(&line, MARGIN_LEFT + (BLOCK_W - w) / 2.0, w);
        k.page_mut(p).runs.push(TextRun {
            kind: RunKind::Title,
            role: FontRole::Title,
            size_pt: TITLE_PT,
            ink: Ink::Black,
            top: line_top(ln) - (title_em - char_h()) / 2.0,
            grid_line: Some(ln),
            glyphs,
        });
    }
    k.skip(1);

    // ---- addressee, flush left ----------------------------------------
    k.paragraph(
        &format!("{}：", c.addressee),
        FontRole::Body,
        0,
        RunKind::Addressee,
    )?;

    // ---- body ------------------------------------------------------------
    let mut body_lines: Vec<(usize, usize)> = Vec::new();
    let n_paras = c.paragraphs.len();
    for (pi, p) in c.paragraphs.iter().enumerate() {
        match p {
            Paragraph::Text { text } => {
                if pi + 1 == n_paras && keep_with > 0 {
                    // lay the last paragraph keeping its last `keep_with`
                    // lines together with the signature block
                    let us = units(text, FontRole::Body, cell_w(), m)?;
                    let ind = 2.0 * cell_w();
                    let lines = break_lines(us, BLOCK_W - ind, BLOCK_W);
                    let split = lines.len().saturating_sub(keep_with);
                    for (i, l) in lines.iter().enumerate() {
                        if i == split && k.line > 0 {
                            k.page += 1;
                            k.line = 0;
                            k.page_mut(k.page);
                        }
                        let (x0, w) = if i == 0 {
                            (MARGIN_LEFT + ind, BLOCK_W - ind)
                        } else {
                            (MARGIN_LEFT, BLOCK_W)
                        };
                        let (pg, ln) = k.take(1);
                        let glyphs = place_line(l, x0, w);
                        k.push_grid_run(pg, ln, RunKind::Body, FontRole::Body, glyphs);
                    }
                } else {
                    k.paragraph(text, FontRole::Body, 2, RunKind::Body)?;
                }
            }
            Paragraph::Heading { text } | Paragraph::Subheading { text } => {
                // a heading never ends a page: it stays with its first line
                if k.line + 2 > LINES_PER_PAGE {
                    k.page += 1;
                    k.line = 0;
                    k.page_mut(k.page);
                }
                let role = if matches!(p, Paragraph::Heading { .. }) {
                    FontRole::Heading
                } else {
                    FontRole::Kai
                };
                k.paragraph(text, role, 2, RunKind::Body)?;
            }
            Paragraph::Flush { text } => {
                k.paragraph(text, FontRole::Body, 0, RunKind::Body)?;
            }
            Paragraph::Table { widths, rows } => {
                if pi + 1 == n_paras && keep_with > 0 && k.line > 0 {
                    k.page += 1;
                    k.line = 0;
                    k.page_mut(k.page);
                }
                let rows: Vec<Vec<String>> = rows.iter().map(|r| r.0.clone()).collect();
                k.table(widths, &rows)?;
            }
        }
    }
    for (pi, page) in k.pages.iter().enumerate() {
        for r in &page.runs {
            if r.kind == RunKind::Body {
                if let Some(g) = r.grid_line {
                    body_lines.push((pi, g));
                }
            }
        }
    }
    let (last_page, last_line) = body_lines.iter().copied().max().unwrap_or((k.page, k.line));

    // ---- signature block: name on L+3, date on L+4, 附注 on L+5 ---------
    let name_line = last_line + 3;
    let contact_lines = if c.contact.trim().is_empty() { 0 } else { 1 };
    if name_line + 1 + contact_lines >= LINES_PER_PAGE {
        return Ok(Composed::Retry(2));
    }
    let date_text = format_date(c.date);
    let date_w = text_width(&date_text, FontRole::Body, BODY_PT, m)?;
    let date_x = block_right() - 4.0 * cell_w() - date_w;
    let date_cx = date_x + date_w / 2.0;
    let name_w = text_width(&c.issuer, FontRole::Body, BODY_PT, m)?;
    // centred over the date; a name too long for that keeps two characters
    // clear of the right edge
    let name_x = (date_cx - name_w / 2.0).min(block_right() - 2.0 * cell_w() - name_w);
    let name = run_at(
        &c.issuer,
        FontRole::Body,
        BODY_PT,
        name_x,
        line_top(name_line),
        RunKind::Signature,
        Ink::Black,
        m,
    )?;
    let date = run_at(
        &date_text,
        FontRole::Body,
        BODY_PT,
        date_x,
        line_top(name_line + 1),
        RunKind::Date,
        Ink::Black,
        m,
    )?;
    let page = k.page_mut(last_page);
    page.runs.push(TextRun {
        grid_line: Some(name_line),
        ..name
    });
    page.runs.push(TextRun {
        grid_line: Some(name_line + 1),
        ..date
    });
    if opts.seal {
        // name and date in the lower half of the seal; top within a line
        // of the body (§7.3.5.1)
        let cy = line_top(name_line) + char_h() / 2.0 - pitch() / 2.0;
        page.seal = Some(SealPlacement {
            cx: date_cx,
            cy,
            diameter: SEAL_DIAMETER,
        });
    }
    if contact_lines > 0 {
        let text = format!("（{}）", c.contact.trim());
        k.page = last_page;
        k.line = name_line + 2;
        k.paragraph(&text, FontRole::Body, 2, RunKind::Contact)?;
    }

    // ---- page numbers (from page 2) and the audit line ---------------------
    let n_pages = k.pages.len();
    for pi in 0..n_pages {
        if pi > 0 {
            let no = pi + 1;
            let text = format!("— {no} —");
            let w = text_width(&text, FontRole::PageNumber, PAGE_NO_PT, m)?;
            let one = PAGE_NO_PT * MM_PER_PT;
            let x = if no % 2 == 1 {
                block_right() - one - w
            } else {
                MARGIN_LEFT + one
            };
            // the dash sits about 0.37 em above the baseline; its top is
            // 7 mm below the block
            let baseline = block_bottom() + 7.0 + 0.37 * one;
            let top = baseline - ASCENT_EM * one;
            let run = run_at(
                &text,
                FontRole::PageNumber,
                PAGE_NO_PT,
                x,
                top,
                RunKind::PageNumber,
                Ink::Black,
                m,
            )?;
            k.page_mut(pi).runs.push(run);
        }
        if let Some(a) = &c.audit_head {
            let text = format!("{} · {}/{} · {}", c.number, pi + 1, n_pages, a);
            let w = text_width(&text, FontRole::Body, AUDIT_PT, m)?;
            let run = run_at(
                &text,
                FontRole::Body,
                AUDIT_PT,
                MARGIN_LEFT + (BLOCK_W - w) / 2.0,
                PAGE_H - 12.0,
                RunKind::Audit,
                Ink::Grey,
                m,
            )?;
            k.page_mut(pi).runs.push(run);
        }
    }
    Ok(Composed::Done(LetterLayout { pages: k.pages }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{LetterKind, TableRow};
    use chrono::NaiveDate;

    fn lines_of(text: &str, first_chars: f32) -> Vec<String> {
        let us = units(text, FontRole::Body, 1.0, &FixedMeasure).unwrap();
        break_lines(us, first_chars, 28.0)
            .iter()
            .map(Line::text)
            .collect()
    }

    #[test]
    fn grid_numbers() {
        assert!((cell_w() - 5.5714).abs() < 1e-3);
        assert!((char_h() - 5.6444).abs() < 1e-3);
        assert!((pitch() - 10.4455).abs() < 1e-3);
        assert!((line_top(0) - 37.0).abs() < 1e-6);
        // the 22nd line's bottom is the block's bottom
        assert!((line_top(21) + char_h() - block_bottom()).abs() < 1e-3);
    }

    #[test]
    fn full_lines_hold_28_characters() {
        let text = "字".repeat(60);
        let l = lines_of(&text, 28.0);
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].chars().count(), 28);
        assert_eq!(l[1].chars().count(), 28);
        assert_eq!(l[2].chars().count(), 4);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 28 characters, then a full stop that would start line 2
        let text = format!("{}。后续文字", "字".repeat(28));
        let l = lines_of(&text, 28.0);
        assert_eq!(l[0].chars().count(), 27, "{l:?}");
        assert!(l[1].starts_with("字。"), "{l:?}");
        for (i, s) in l.iter().enumerate().skip(1) {
            let c = s.chars().next().unwrap();
            assert!(!NO_START.contains(c), "line {i} starts with {c}: {l:?}");
        }
    }

    #[test]
    fn two_closing_marks_pull_back_one_character() {
        let text = format!("{}。”后续", "字".repeat(28));
        let l = lines_of(&text, 28.0);
        assert!(l[1].starts_with("字。”"), "{l:?}");
    }

    #[test]
    fn no_line_ends_with_opening_punctuation() {
        let text = format!("{}（括号内容）", "字".repeat(27));
        let l = lines_of(&text, 28.0);
        assert!(!l[0].ends_with('（'), "{l:?}");
        assert!(l[1].starts_with("（括号"), "{l:?}");
    }

    #[test]
    fn numbers_are_not_split() {
        // 25 characters, then a 12-character amount (6 em at ½ em)
        let text = format!("{}1,234,500.00元", "字".repeat(25));
        let l = lines_of(&text, 28.0);
        assert_eq!(l[0], "字".repeat(25));
        assert!(l[1].starts_with("1,234,500.00元"), "{l:?}");
        let text = format!("{}2026年", "字".repeat(27));
        let l = lines_of(&text, 28.0);
        assert!(l[1].starts_with("2026年"), "{l:?}");
    }

    #[test]
    fn titles_break_at_quotes_into_balanced_lines() {
        let t = "关于给予重庆渝算智能科技有限公司“渝中智算中心一期”项目算力经济发展扶持资金的决定";
        let us = units(t, FontRole::Title, 1.0, &FixedMeasure).unwrap();
        let l: Vec<String> = balance_lines(us, 20.0, 1.0)
            .iter()
            .map(Line::text)
            .collect();
        assert!(l.iter().all(|x| x.chars().count() <= 20), "{l:?}");
        assert!(
            l.iter().any(|x| x.ends_with('”') || x.starts_with('“')),
            "{l:?}"
        );
        assert_eq!(l.concat(), t);
    }

    #[test]
    fn titles_break_after_the_applicants_name_not_inside_it() {
        let t = "关于重庆解放碑数字科技有限公司申报材料的补正告知书";
        let us = units(t, FontRole::Title, 1.0, &FixedMeasure).unwrap();
        let l: Vec<String> = balance_lines(us, 22.0, 1.0)
            .iter()
            .map(Line::text)
            .collect();
        assert_eq!(
            l,
            ["关于重庆解放碑数字科技有限公司", "申报材料的补正告知书"]
        );
    }

    #[test]
    fn sentence_final_dot_is_not_glued() {
        let us = units("共12.", FontRole::Body, 1.0, &FixedMeasure).unwrap();
        let texts: Vec<String> = us.iter().map(|u| u.chars.iter().collect()).collect();
        assert_eq!(texts, ["共", "12", "."]);
    }

    #[test]
    fn justified_lines_fill_the_block() {
        let text = format!("{}1,234,500.00元整的文字内容继续", "字".repeat(25));
        let us = units(&text, FontRole::Body, cell_w(), &FixedMeasure).unwrap();
        let lines = break_lines(us, BLOCK_W, BLOCK_W);
        let g = place_line(&lines[0], MARGIN_LEFT, BLOCK_W);
        let last = g.last().unwrap();
        // last glyph's right edge lands on the block's right edge
        assert!((last.x + cell_w() - block_right()).abs() < 0.01);
        assert!((g[0].x - MARGIN_LEFT).abs() < 1e-6);
    }

    fn letter(paras: usize) -> LetterContent {
        LetterContent {
            kind: LetterKind::Approval,
            number: "渝中大数据发〔2026〕12号".into(),
            title: "关于给予重庆某某科技有限公司“智算中心”项目算力经济发展扶持资金的决定".into(),
            addressee: "重庆某某科技有限公司".into(),
            paragraphs: (0..paras)
                .map(|i| Paragraph::text(format!("第{i}段。{}", "正文内容".repeat(20))))
                .collect(),
            issuer: "重庆市渝中区大数据应用发展管理局".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            contact: "联系电话：023-63768099".into(),
            audit_head: Some("abcdef0123456789".into()),
        }
    }

    #[test]
    fn body_sits_on_the_grid() {
        let l = compose(&letter(2), &FixedMeasure, LayoutOptions { seal: true }).unwrap();
        let body: Vec<&TextRun> = l.pages[0]
            .runs
            .iter()
            .filter(|r| r.kind == RunKind::Body)
            .collect();
        // first body line indented two cells
        assert!((body[0].glyphs[0].x - (MARGIN_LEFT + 2.0 * cell_w())).abs() < 1e-3);
        // continuation lines flush left
        assert!((body[1].glyphs[0].x - MARGIN_LEFT).abs() < 1e-3);
        for r in &body {
            let g = r.grid_line.unwrap();
            assert!((r.top - line_top(g)).abs() < 1e-4);
        }
        // number flush right
        let num = l.pages[0]
            .runs
            .iter()
            .find(|r| r.kind == RunKind::Number)
            .unwrap();
        let w = 15.0 * char_h() + 6.0 * 0.5 * char_h(); // 12 CJK + 4 digits… approx
        assert!(num.glyphs[0].x > block_right() - w);
        assert!(l.pages[0].seal.is_some());
        // no page number on page 1
        assert!(l.pages[0]
            .runs
            .iter()
            .all(|r| r.kind != RunKind::PageNumber));
    }

    #[test]
    fn long_letters_flow_and_number_pages() {
        let l = compose(&letter(12), &FixedMeasure, LayoutOptions { seal: true }).unwrap();
        assert!(l.pages.len() >= 2);
        let p2 = &l.pages[1];
        let first = p2
            .runs
            .iter()
            .filter(|r| r.kind == RunKind::Body)
            .min_by(|a, b| a.top.total_cmp(&b.top))
            .unwrap();
        assert!((first.top - MARGIN_TOP).abs() < 1e-4);
        let no = p2
            .runs
            .iter()
            .find(|r| r.kind == RunKind::PageNumber)
            .unwrap();
        assert_eq!(no.text(), "— 2 —");
        // even page: left, one character in
        assert!((no.glyphs[0].x - (MARGIN_LEFT + PAGE_NO_PT * MM_PER_PT)).abs() < 1e-3);
        // max 22 lines per page
        for p in &l.pages {
            for r in &p.runs {
                if let Some(g) = r.grid_line {
                    assert!(g < LINES_PER_PAGE);
                }
            }
        }
        // the seal is on the last page, with the signature
        let last = l.pages.last().unwrap();
        assert!(last.seal.is_some());
        assert!(last.runs.iter().any(|r| r.kind == RunKind::Signature));
        assert!(last.runs.iter().any(|r| r.kind == RunKind::Body));
    }

    #[test]
    fn signature_never_alone_on_a_page() {
        for n in 1..20 {
            let l = compose(&letter(n), &FixedMeasure, LayoutOptions { seal: true }).unwrap();
            let last = l.pages.last().unwrap();
            assert!(
                last.runs.iter().any(|r| r.kind == RunKind::Body),
                "{n} paragraphs: the last page holds no body text"
            );
            let sig = last
                .runs
                .iter()
                .find(|r| r.kind == RunKind::Signature)
                .unwrap();
            let date = last.runs.iter().find(|r| r.kind == RunKind::Date).unwrap();
            // date: four characters in from the right
            let right = date.glyphs.last().unwrap().x + char_h() * 1.0;
            assert!((right - (block_right() - 4.0 * cell_w())).abs() < 0.6);
            // name centred over the date, or (too long) two characters in
            let c_date = (date.glyphs[0].x + right) / 2.0;
            let name_right = sig.glyphs.last().unwrap().x + char_h();
            let c_name = (sig.glyphs[0].x + name_right) / 2.0;
            let two_in = (name_right - (block_right() - 2.0 * cell_w())).abs() < 0.6;
            assert!((c_date - c_name).abs() < 0.6 || two_in, "{c_date} {c_name}");
        }
    }

    #[test]
    fn headings_are_kept_with_the_next_line() {
        for n in 0..30 {
            let mut c = letter(0);
            c.paragraphs = (0..n)
                .map(|_| Paragraph::text("正文"))
                .chain([Paragraph::heading("一、标题"), Paragraph::text("正文")])
                .collect();
            let l = compose(&c, &FixedMeasure, LayoutOptions { seal: true }).unwrap();
            for p in &l.pages {
                for r in &p.runs {
                    if r.role == FontRole::Heading && r.kind == RunKind::Body {
                        assert!(r.grid_line.unwrap() < LINES_PER_PAGE - 1, "{n}");
                    }
                }
            }
        }
    }

    #[test]
    fn tables_wrap_in_columns_and_repeat_header() {
        let mut c = letter(1);
        let mut rows = vec![TableRow(vec!["序号".into(), "位置".into(), "说明".into()])];
        for i in 0..30 {
            rows.push(TableRow(vec![
                i.to_string(),
                format!("C1算力供给!D{i}"),
                "应为大于零的数字金额".into(),
            ]));
        }
        c.paragraphs.push(Paragraph::Table {
            widths: vec![3, 10, 15],
            rows,
        });
        c.paragraphs.push(Paragraph::text("特此告知。"));
        let l = compose(&c, &FixedMeasure, LayoutOptions { seal: false }).unwrap();
        assert!(l.pages.len() >= 3);
        assert!(l.pages[1].runs.iter().any(|r| r.text() == "序号"));
        assert!(l.pages.iter().all(|p| p.seal.is_none()));
    }
}
