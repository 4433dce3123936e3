//! Page composition: the letter format of GB/T 9704 §10.1 on page 1, the
//! body on the 22 × 28 grid, tables, the signature block kept with the
//! body's last lines, 附注, page numbers and the audit line.

use super::super::content::{format_date, LetterContent, Paragraph};
use super::super::fonts::FontRole;
use super::super::{LetterError, Result};
use super::*;

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
    let number_top = k.letterhead(c)?;
    k.title(c, number_top)?;
    // The addressee, flush left.
    k.paragraph(
        &format!("{}：", c.addressee),
        FontRole::Body,
        0,
        RunKind::Addressee,
    )?;
    let (last_page, last_line) = k.body(c, keep_with)?;
    if !k.signature(c, opts, last_page, last_line)? {
        return Ok(Composed::Retry(2));
    }
    k.page_numbers_and_audit(c)?;
    Ok(Composed::Done(LetterLayout { pages: k.pages }))
}

impl Composer<'_> {
    /// Page 1's letterhead (§10.1): the issuer's name, the two red double
    /// lines and the document number; returns the number's top.
    fn letterhead(&mut self, c: &LetterContent) -> Result<f32> {
        let m = self.m;
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
            let p0 = self.page_mut(0);
            p0.runs.push(flag);
            p0.rules.extend(top_rules);
            p0.rules.extend(bottom_rules);
            p0.runs.push(number);
        }
        Ok(number_top)
    }

    /// The title, two blank lines below the number, in balanced centred lines.
    fn title(&mut self, c: &LetterContent, number_top: f32) -> Result<()> {
        let m = self.m;
        let want = number_top + 3.0 * pitch();
        let first = ((want - MARGIN_TOP) / pitch()).round().max(0.0) as usize;
        self.line = first;
        let title_em = TITLE_PT * MM_PER_PT;
        let tu = units(&c.title, FontRole::Title, title_em, m)?;
        // 回行: at most 22 title characters a line, centred
        let title_lines = balance_lines(tu, BLOCK_W, title_em);
        for l in &title_lines {
            let w = l.natural_width();
            let (p, ln) = self.take(1);
            let mut line = l.clone();
            line.justify = false;
            let glyphs = place_line(&line, MARGIN_LEFT + (BLOCK_W - w) / 2.0, w);
            self.page_mut(p).runs.push(TextRun {
                kind: RunKind::Title,
                role: FontRole::Title,
                size_pt: TITLE_PT,
                ink: Ink::Black,
                top: line_top(ln) - (title_em - char_h()) / 2.0,
                grid_line: Some(ln),
                glyphs,
            });
        }
        self.skip(1);
        Ok(())
    }

    /// The body's paragraphs (the last one's last `keep_with` lines moved
    /// to the next page with the signature); returns the last body line.
    fn body(&mut self, c: &LetterContent, keep_with: usize) -> Result<(usize, usize)> {
        let m = self.m;
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
                            if i == split && self.line > 0 {
                                self.page += 1;
                                self.line = 0;
                                self.page_mut(self.page);
                            }
                            let (x0, w) = if i == 0 {
                                (MARGIN_LEFT + ind, BLOCK_W - ind)
                            } else {
                                (MARGIN_LEFT, BLOCK_W)
                            };
                            let (pg, ln) = self.take(1);
                            let glyphs = place_line(l, x0, w);
                            self.push_grid_run(pg, ln, RunKind::Body, FontRole::Body, glyphs);
                        }
                    } else {
                        self.paragraph(text, FontRole::Body, 2, RunKind::Body)?;
                    }
                }
                Paragraph::Heading { text } | Paragraph::Subheading { text } => {
                    // a heading never ends a page: it stays with its first line
                    if self.line + 2 > LINES_PER_PAGE {
                        self.page += 1;
                        self.line = 0;
                        self.page_mut(self.page);
                    }
                    let role = if matches!(p, Paragraph::Heading { .. }) {
                        FontRole::Heading
                    } else {
                        FontRole::Kai
                    };
                    self.paragraph(text, role, 2, RunKind::Body)?;
                }
                Paragraph::Flush { text } => {
                    self.paragraph(text, FontRole::Body, 0, RunKind::Body)?;
                }
                Paragraph::Table { widths, rows } => {
                    if pi + 1 == n_paras && keep_with > 0 && self.line > 0 {
                        self.page += 1;
                        self.line = 0;
                        self.page_mut(self.page);
                    }
                    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.0.clone()).collect();
                    self.table(widths, &rows)?;
                }
            }
        }
        for (pi, page) in self.pages.iter().enumerate() {
            for r in &page.runs {
                if r.kind == RunKind::Body {
                    if let Some(g) = r.grid_line {
                        body_lines.push((pi, g));
                    }
                }
            }
        }
        let (last_page, last_line) = body_lines
            .iter()
            .copied()
            .max()
            .unwrap_or((self.page, self.line));
        Ok((last_page, last_line))
    }

    /// The signature block: name on L+3, date on L+4, 附注 on L+5, the seal
    /// over name and date. False when it does not fit on the body's page.
    fn signature(
        &mut self,
        c: &LetterContent,
        opts: LayoutOptions,
        last_page: usize,
        last_line: usize,
    ) -> Result<bool> {
        let m = self.m;
        let name_line = last_line + 3;
        let contact_lines = if c.contact.trim().is_empty() { 0 } else { 1 };
        if name_line + 1 + contact_lines >= LINES_PER_PAGE {
            return Ok(false);
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
        let page = self.page_mut(last_page);
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
            self.page = last_page;
            self.line = name_line + 2;
            self.paragraph(&text, FontRole::Body, 2, RunKind::Contact)?;
        }
        Ok(true)
    }

    /// Page numbers from page 2 (§7.5) and the audit line on every page.
    fn page_numbers_and_audit(&mut self, c: &LetterContent) -> Result<()> {
        let m = self.m;
        let n_pages = self.pages.len();
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
                self.page_mut(pi).runs.push(run);
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
                self.page_mut(pi).runs.push(run);
            }
        }
        Ok(())
    }
}
