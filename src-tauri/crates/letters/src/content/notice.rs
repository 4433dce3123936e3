//! The 公示 (public notice) of a round's proposed awards: a red-header
//! notice with the period, the list (applicant, credit code, project,
//! clause, amount; nothing private), how to object and the contact. The
//! PDF and the website's .xlsx are both written from the [`LetterContent`]
//! this builds, so they cannot say different things.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{format_date, letter, non_empty, LetterContent, LetterKind, Letterhead, Paragraph};
use super::{Result, TableRow};
use reviewdesk_domain::money;

/// One line of the 公示 list. There is deliberately no field for a bank
/// account or contact data: the list is public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub applicant: String,
    /// As published (masked when the guide says so).
    pub credit_code: String,
    pub project: String,
    /// e.g. 第一条（算力供给）.
    pub clause: String,
    pub amount: Decimal,
}

/// What a 公示 needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeInput {
    pub head: Letterhead,
    pub round_year: i32,
    /// The policy's full name with its book-title marks.
    pub policy_name: String,
    pub guide_name: String,
    /// The period's first and last working days, and how many.
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub working_days: u32,
    pub rows: Vec<NoticeRow>,
}

/// The list's column headings in the .xlsx (amounts in yuan, as numbers).
pub const NOTICE_COLUMNS: [&str; 6] = [
    "序号",
    "申报单位",
    "统一社会信用代码",
    "项目名称",
    "条款",
    "扶持金额（元）",
];

/// The printed list's headings: on A4 at 3号 an 18-character credit code
/// needs twelve grid characters to stay whole (searchable), so the clause
/// shares the project's cell, amounts print in 万元 (exact, no rounding)
/// and the row number is left out.
const PRINTED_COLUMNS: [&str; 4] = ["申报单位", "统一社会信用代码", "项目（条款）", "万元"];

/// An amount in 万元, exact: 650000.00 → 65, 12345.67 → 1.234567.
pub fn wan(amount: Decimal) -> String {
    (amount / Decimal::new(10000, 0)).normalize().to_string()
}

/// The period as printed: 2026年9月28日至2026年10月9日（5个工作日）.
pub fn notice_period(from: NaiveDate, until: NaiveDate, working_days: u32) -> String {
    format!(
        "{}至{}（{working_days}个工作日）",
        format_date(from),
        format_date(until)
    )
}

/// Composes the 公示: title, opening, the period, the list as a table, how
/// to object (real-name, in writing, within the period) and the contact.
pub fn notice(input: &NoticeInput) -> Result<LetterContent> {
    non_empty("guide / 申报指南", &input.guide_name)?;
    for r in &input.rows {
        non_empty("applicant / 申报单位", &r.applicant)?;
        non_empty("project / 项目", &r.project)?;
    }
    let period = notice_period(input.from, input.until, input.working_days);
    let total: Decimal = input.rows.iter().map(|r| r.amount).sum();
    let mut ps = vec![Paragraph::text(format!(
        "根据{}和{}，经审核和综合评定，现将{}年度拟给予算力经济发展扶持资金的{}个项目（扶持资金合计人民币{}元）予以公示。",
        input.policy_name,
        input.guide_name,
        input.round_year,
        input.rows.len(),
        money::format_yuan_grouped(total),
    ))];
    ps.push(Paragraph::text(format!("公示期：{period}。")));
    ps.push(Paragraph::text("拟支持项目名单如下："));
    let mut rows = vec![TableRow(
        PRINTED_COLUMNS.iter().map(|c| c.to_string()).collect(),
    )];
    for r in &input.rows {
        rows.push(TableRow(vec![
            r.applicant.clone(),
            r.credit_code.clone(),
            format!("{}；{}", r.project, r.clause),
            wan(r.amount),
        ]));
    }
    ps.push(Paragraph::Table {
        widths: vec![6, 12, 7, 3],
        rows,
    });
    ps.push(Paragraph::text(format!(
        "公示期间，任何单位或个人对公示内容有异议的，请于{}前以书面形式实名向本局反映，写明异议的申报单位、项目和理由，并附相关证明材料。以单位名义反映的，须加盖单位公章；以个人名义反映的，须签署真实姓名并注明联系方式。匿名或逾期反映的，不予受理。",
        format_date(input.until)
    )));
    ps.push(Paragraph::text("特此公示。"));
    letter(
        LetterKind::Notice,
        &input.head,
        format!(
            "关于{}年度算力经济发展扶持资金拟支持项目的公示",
            input.round_year
        ),
        "各有关单位",
        ps,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NoticeInput {
        NoticeInput {
            head: Letterhead {
                number: "渝中大数据发〔2026〕9号".into(),
                issuer: "重庆市渝中区大数据应用发展管理局".into(),
                date: NaiveDate::from_ymd_opt(2026, 9, 28).expect("date"),
                contact: "联系电话：023-63768099".into(),
                audit_head: None,
            },
            round_year: 2026,
            policy_name: "《算力政策》".into(),
            guide_name: "《申报指南》".into(),
            from: NaiveDate::from_ymd_opt(2026, 9, 28).expect("date"),
            until: NaiveDate::from_ymd_opt(2026, 10, 9).expect("date"),
            working_days: 5,
            rows: vec![NoticeRow {
                applicant: "重庆甲公司".into(),
                credit_code: "91500103MA5U7K2P39".into(),
                project: "智算中心".into(),
                clause: "第一条（算力供给）".into(),
                amount: Decimal::new(60000000, 2),
            }],
        }
    }

    #[test]
    fn the_notice_states_its_period_its_list_and_how_to_object() {
        let c = notice(&input()).expect("notice");
        assert_eq!(c.kind, LetterKind::Notice);
        let text: String = c
            .paragraphs
            .iter()
            .filter_map(|p| match p {
                Paragraph::Text { text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert!(text.contains("公示期：2026年9月28日至2026年10月9日（5个工作日）"));
        assert!(text.contains("实名"), "{text}");
        assert!(text.contains("合计人民币600,000.00元"), "{text}");
        let table = c.paragraphs.iter().find_map(|p| match p {
            Paragraph::Table { rows, .. } => Some(rows.clone()),
            _ => None,
        });
        let rows = table.expect("a table");
        assert_eq!(rows[1].0[1], "91500103MA5U7K2P39");
        assert_eq!(rows[1].0[2], "智算中心；第一条（算力供给）");
        assert_eq!(rows[1].0[3], "60");
        assert_eq!(wan(Decimal::new(1234567, 2)), "1.234567");
    }
}
