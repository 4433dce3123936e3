//! Chinese line breaking: text cut into unbreakable units (a character,
//! or a run of digits and Latin letters), lines broken under 禁则 (no
//! closing mark at a line's start, no opening mark at its end), titles
//! broken into balanced lines, a line's glyphs placed justified.

use super::super::fonts::FontRole;
use super::super::Result;
use super::{Glyph, Measure};

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
