//! The letters' wording: every builder, the fields each one checks.

use super::*;
use std::str::FromStr;

/// What Excel made of a credit code, and a date, stay whole in the
/// correction table's 填写内容 column (laid out with the pinned fonts).
#[test]
fn mangled_numbers_stay_on_one_line_in_the_correction_table() {
    let w = match crate::pdf::LetterWriter::new(crate::fonts::FontPolicy::NotoOnly) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("SKIP: {e}");
            return;
        }
    };
    let err = |cell: &str, found: &str| FieldError {
        sheet: "申报单位".into(),
        cell: cell.into(),
        field: "统一社会信用代码".into(),
        found: found.into(),
        expected: "18 位统一社会信用代码（文本）".into(),
    };
    let c = correction(&CorrectionInput {
        head: head(),
        applicant: "重庆渝算智能科技有限公司".into(),
        round_year: 2026,
        file_name: "06-errors.xlsx".into(),
        received: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        errors: vec![err("B3", "9.15001E+17"), err("B9", "2024-12-31")],
        deadline: "请于2026年12月6日前补正后重新报送。".into(),
    })
    .unwrap();
    let layout = w.layout(&c, crate::pdf::RenderOptions::default()).unwrap();
    let texts: Vec<String> = layout
        .pages
        .iter()
        .flat_map(|p| p.runs.iter().map(|r| r.text()))
        .collect();
    for whole in ["9.15001E+17", "2024-12-31"] {
        assert!(
            texts.iter().any(|t| t.contains(whole)),
            "{whole} split across lines: {texts:?}"
        );
    }
}

fn head() -> Letterhead {
    Letterhead {
        number: "渝中大数据发〔2026〕12号".into(),
        issuer: "重庆市渝中区大数据应用发展管理局".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        contact: "联系电话：023-63768099".into(),
        audit_head: None,
    }
}

#[test]
fn ordinals() {
    assert_eq!(cn_ordinal(1), "一");
    assert_eq!(cn_ordinal(10), "十");
    assert_eq!(cn_ordinal(12), "十二");
    assert_eq!(cn_ordinal(20), "二十");
    assert_eq!(cn_ordinal(23), "二十三");
}

#[test]
fn date_style() {
    assert_eq!(
        format_date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
        "2026年1月5日"
    );
}

#[test]
fn approval_has_figures_and_words() {
    let input = ApprovalInput {
        head: head(),
        applicant: "重庆某某科技有限公司".into(),
        credit_code: Some("91500103MA5U7Y8K3R".into()),
        project: "智算中心".into(),
        policy_name: "《渝中区促进算力经济高质量发展若干政策（试行）》".into(),
        policy_number: None,
        guide_name: "《2026年度申报指南》".into(),
        clause: "第一条".into(),
        evaluation: "综合评定得分86.50分。".into(),
        amount: Decimal::from_str("1234500.00").unwrap(),
        amount_words: None,
        calculation: vec![],
        highest_only: None,
        conditions: vec![],
        other_projects: None,
        notice: None,
        reconsideration: "可以自收到本决定之日起60日内向重庆市渝中区人民政府申请行政复议".into(),
        litigation: "也可以自收到本决定之日起6个月内依法向人民法院提起行政诉讼。".into(),
    };
    let c = approval(&input).unwrap();
    let all: String = c
        .paragraphs
        .iter()
        .map(|p| match p {
            Paragraph::Text { text } => text.clone(),
            _ => String::new(),
        })
        .collect();
    assert!(all.contains("1,234,500.00元"));
    assert!(all.contains("人民币壹佰贰拾叁万肆仟伍佰元整"));
    assert!(c.title.starts_with("关于给予重庆某某科技有限公司"));
    // who it is addressed to, by credit code; the remedy, a favourable
    // decision too; never a blank where the policy's number belongs
    assert!(all.contains("你单位（统一社会信用代码：91500103MA5U7Y8K3R）申报的“智算中心”项目"));
    assert!(all.contains(
        "如不服本决定，可以自收到本决定之日起60日内向重庆市渝中区人民政府申请行政复议，也可以"
    ));
    assert!(all.contains("（试行）》（文号待局方填写）第一条"), "{all}");
    let numbered = ApprovalInput {
        policy_number: Some("渝中府发〔2025〕9号".into()),
        ..input.clone()
    };
    let n = text_of(&approval(&numbered).unwrap());
    assert!(n.contains("（试行）》（渝中府发〔2025〕9号）第一条"), "{n}");
    let no_remedy = ApprovalInput {
        reconsideration: " ".into(),
        ..input
    };
    assert!(
        approval(&no_remedy).is_err(),
        "a decision without the remedy"
    );
}

fn text_of(c: &LetterContent) -> String {
    c.paragraphs
        .iter()
        .map(|p| match p {
            Paragraph::Text { text } => text.clone(),
            Paragraph::Heading { text } => text.clone(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_refusal_decides_every_project_it_names() {
    let input = RefusalInput {
        head: head(),
        applicant: "重庆某某科技有限公司".into(),
        credit_code: Some("91500103MA5U7Y8K3R".into()),
        projects: vec![
            RefusedProject {
                name: "甲".into(),
                clause: "第一条（算力供给）".into(),
            },
            RefusedProject {
                name: "乙".into(),
                clause: "第三条（算力消纳）".into(),
            },
        ],
        policy_name: "《P》".into(),
        policy_number: None,
        guide_name: "《G》".into(),
        reasons: vec!["甲的理由。".into(), "乙的理由。".into()],
        other_projects: Some(
            "你单位申报的“丙”项目另行决定给予扶持（渝中大数据发〔2026〕3号）。".into(),
        ),
        reconsideration: "可以自收到本决定之日起60日内向重庆市渝中区人民政府申请行政复议".into(),
        litigation: "也可以自收到本决定之日起6个月内依法向人民法院提起行政诉讼。".into(),
    };
    let c = refusal(&input).unwrap();
    assert_eq!(
        c.title,
        "关于对重庆某某科技有限公司“甲”等2个项目不予扶持的决定"
    );
    let all = text_of(&c);
    assert!(
        all.contains("申报的“甲”“乙”2个项目，经审核，现决定不予扶持"),
        "{all}"
    );
    assert!(all.contains("（一）甲的理由。") && all.contains("（二）乙的理由。"));
    assert!(all.contains("“丙”项目另行决定给予扶持"));
    assert!(all.contains("如不服本决定"));
    let none = RefusalInput {
        projects: vec![],
        ..input
    };
    assert!(refusal(&none).is_err());
}

#[test]
fn refusal_needs_reasons() {
    let input = RefusalInput {
        head: head(),
        applicant: "A".into(),
        credit_code: None,
        projects: vec![RefusedProject {
            name: "B".into(),
            clause: "第三条".into(),
        }],
        policy_name: "《P》".into(),
        policy_number: None,
        guide_name: "《G》".into(),
        reasons: vec![],
        other_projects: None,
        reconsideration: "可以自收到本决定之日起60日内向重庆市渝中区人民政府申请行政复议".into(),
        litigation: "也可以自收到本决定之日起6个月内依法向人民法院提起行政诉讼。".into(),
    };
    assert!(refusal(&input).is_err());
}

#[test]
fn table_widths_checked() {
    let mut c = LetterContent {
        kind: LetterKind::Correction,
        number: "n".into(),
        title: "t".into(),
        addressee: "a".into(),
        paragraphs: vec![Paragraph::Table {
            widths: vec![20, 10],
            rows: vec![],
        }],
        issuer: "i".into(),
        date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        contact: String::new(),
        audit_head: None,
    };
    assert!(c.validate().is_err());
    c.paragraphs = vec![Paragraph::Table {
        widths: vec![14, 14],
        rows: vec![TableRow(vec!["x".into()])],
    }];
    assert!(c.validate().is_err());
}
