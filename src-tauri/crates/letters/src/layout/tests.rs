//! Line breaking and composition against the standard's numbers.

use super::*;
use crate::content::{LetterContent, LetterKind, Paragraph, TableRow};
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
