//! The two letters of a clawback (追回): the prior notice (追回事先告知书)
//! that tells the applicant what was found, how much is to be recovered and
//! its right to state its case (陈述申辩) by a deadline, and the recovery
//! decision (追回决定) after the award was revoked: the amount, the due
//! date, the letters it rests on by number and the remedy.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{format_date, letter, non_empty, remedy_sentence, you};
use super::{LetterContent, LetterKind, Letterhead, Paragraph, Result};
use crate::LetterError;
use reviewdesk_domain::money;

/// An amount as letters print it: 120,000.00元（大写：人民币壹拾贰万元整）.
fn amount_sentence(amount: Decimal) -> Result<String> {
    if amount <= Decimal::ZERO {
        return Err(LetterError::Content(
            "追回金额须为正数 / the amount to recover must be positive".into(),
        ));
    }
    let words = money::amount_in_words(amount)
        .map_err(|e| LetterError::Content(format!("追回金额 / amount: {e}")))?;
    Ok(format!(
        "人民币{}元（大写：{words}）",
        money::format_yuan_grouped(amount)
    ))
}

/// The opening both letters share: the letters that gave the support, cited
/// in full, and what was found.
fn opening(
    applicant: &str,
    credit_code: &Option<String>,
    awarded_by: &[String],
    finding: &str,
) -> Result<String> {
    non_empty("applicant / 申报单位", applicant)?;
    non_empty("finding / 查实情况", finding)?;
    if awarded_by.is_empty() {
        return Err(LetterError::Content(
            "追回文书须写明给予扶持的原决定 / a clawback letter cites the letters that gave the support"
                .into(),
        ));
    }
    Ok(format!(
        "本局于{}，给予{}算力经济发展扶持资金。经查，{}。",
        awarded_by.join("、"),
        you(credit_code),
        finding.trim().trim_end_matches('。')
    ))
}

/// What the prior notice (追回事先告知书) needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryNoticeInput {
    pub head: Letterhead,
    pub applicant: String,
    pub credit_code: Option<String>,
    /// The letters in force that gave the support, each cited in full, e.g.
    /// 2026年11月2日以《关于给予……的决定》（渝中大数据发〔2026〕1号）.
    pub awarded_by: Vec<String>,
    /// What was found (the finding's reason).
    pub finding: String,
    pub amount: Decimal,
    /// The last day to state one's case.
    pub deadline: NaiveDate,
}

/// Composes the prior notice of a clawback: the finding, the intended
/// revocation and recovery, and the right to state one's case by the
/// deadline (silence by then waives it).
pub fn recovery_notice(input: &RecoveryNoticeInput) -> Result<LetterContent> {
    let opening = opening(
        &input.applicant,
        &input.credit_code,
        &input.awarded_by,
        &input.finding,
    )?;
    let amount = amount_sentence(input.amount)?;
    let ps = vec![
        Paragraph::text(opening),
        Paragraph::text(format!(
            "根据上述事实，本局拟依法撤销上述决定，并追回已拨付的扶持资金{amount}。"
        )),
        Paragraph::text(format!(
            "你单位依法享有陈述、申辩的权利。如对上述事实、理由和拟作出的决定有异议，请于{}前向本局书面提出陈述、申辩意见，并附相关证明材料；逾期未提出的，视为放弃陈述、申辩的权利，本局将依法作出决定。",
            format_date(input.deadline)
        )),
        Paragraph::text("特此告知。"),
    ];
    letter(
        LetterKind::RecoveryNotice,
        &input.head,
        format!(
            "关于拟追回{}算力经济发展扶持资金的事先告知书",
            input.applicant
        ),
        &input.applicant,
        ps,
    )
}

/// What the recovery decision (追回决定) needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryInput {
    pub head: Letterhead,
    pub applicant: String,
    pub credit_code: Option<String>,
    /// The revoked letters that gave the support, each cited in full.
    pub awarded_by: Vec<String>,
    pub finding: String,
    /// The prior notice, cited in full, and the deadline it gave.
    pub notice: String,
    /// The applicant's response, as received: (date, text); `None` when it
    /// stated no case by the deadline.
    pub response: Option<(NaiveDate, String)>,
    /// The revocation, cited in full.
    pub revocation: String,
    pub amount: Decimal,
    /// The day by which the money is to be returned.
    pub due: NaiveDate,
    pub reconsideration: String,
    pub litigation: String,
}

/// Composes the recovery decision: the award and its revocation by number,
/// the finding, the notice and the response, the amount and the due date,
/// and the remedy.
pub fn recovery(input: &RecoveryInput) -> Result<LetterContent> {
    let opening = opening(
        &input.applicant,
        &input.credit_code,
        &input.awarded_by,
        &input.finding,
    )?;
    non_empty("notice / 事先告知书", &input.notice)?;
    non_empty("revocation / 撤销决定", &input.revocation)?;
    let amount = amount_sentence(input.amount)?;
    let remedy = remedy_sentence(&input.reconsideration, &input.litigation)?;
    let response = match &input.response {
        Some((on, _)) => format!(
            "你单位于{}提出陈述、申辩意见，本局已依法复核，所提意见不足以改变上述事实",
            format_date(*on)
        ),
        None => "你单位在规定期限内未提出陈述、申辩意见".to_string(),
    };
    let ps = vec![
        Paragraph::text(opening),
        Paragraph::text(format!(
            "本局已于{}告知你单位拟作出的决定及依法享有的陈述、申辩权利，{response}。本局已于{}撤销上述决定。",
            input.notice, input.revocation
        )),
        Paragraph::text(format!(
            "现决定追回已拨付的扶持资金{amount}。请你单位于{}前将上述资金退回本局指定账户；逾期未退回的，本局将依法追缴。",
            format_date(input.due)
        )),
        Paragraph::text(remedy),
        Paragraph::text("特此决定。"),
    ];
    letter(
        LetterKind::Recovery,
        &input.head,
        format!("关于追回{}算力经济发展扶持资金的决定", input.applicant),
        &input.applicant,
        ps,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Letterhead {
        Letterhead {
            number: "渝中大数据发〔2026〕9号".into(),
            issuer: "重庆市渝中区大数据应用发展管理局".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            contact: "联系电话：023-63768099".into(),
            audit_head: None,
        }
    }

    #[test]
    fn a_recovery_states_the_amount_in_capitals_the_due_date_and_the_letters_it_rests_on() {
        let c = recovery(&RecoveryInput {
            head: head(),
            applicant: "重庆测试科技有限公司".into(),
            credit_code: Some("91500103MA5U7K2P39".into()),
            awarded_by: vec![
                "2026年11月2日作出的《关于给予……的决定》（渝中大数据发〔2026〕1号）".into(),
            ],
            finding: "申报的算力费用发票系重复使用".into(),
            notice: "2026年11月20日以《事先告知书》（渝中大数据发〔2026〕7号）".into(),
            response: None,
            revocation: "2026年11月30日以《撤销决定》（渝中大数据发〔2026〕8号）".into(),
            amount: Decimal::new(12_000_000, 2),
            due: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
            reconsideration: "可以自收到本决定书之日起六十日内向重庆市渝中区人民政府申请行政复议"
                .into(),
            litigation: "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。".into(),
        })
        .expect("content");
        let all: String = c
            .paragraphs
            .iter()
            .map(|p| match p {
                Paragraph::Text { text } => text.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(c.kind, LetterKind::Recovery);
        assert!(
            all.contains("人民币120,000.00元（大写：人民币壹拾贰万元整）"),
            "{all}"
        );
        assert!(all.contains("2026年12月31日前"), "{all}");
        assert!(all.contains("渝中大数据发〔2026〕1号"), "{all}");
        assert!(all.contains("未提出陈述、申辩意见"), "{all}");
        assert!(
            all.contains("六十日内向重庆市渝中区人民政府申请行政复议"),
            "{all}"
        );
    }

    #[test]
    fn nothing_to_recover_is_refused() {
        let e = recovery_notice(&RecoveryNoticeInput {
            head: head(),
            applicant: "重庆测试科技有限公司".into(),
            credit_code: None,
            awarded_by: vec!["某决定".into()],
            finding: "查实".into(),
            amount: Decimal::ZERO,
            deadline: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
        });
        assert!(e.is_err());
    }
}
