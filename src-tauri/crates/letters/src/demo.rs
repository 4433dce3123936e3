//! Sample letters (an approval, a refusal, a two-page correction notice)
//! with the 2026 guide's wording, for previews, tests and the benchmark.
//! The names are invented.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::content::{
    approval, correction, refusal, ApprovalInput, CorrectionInput, FieldError, LetterContent,
    Letterhead, RefusalInput, RefusedProject,
};
use super::Result;

pub const ISSUER: &str = "重庆市渝中区大数据应用发展管理局";
pub const POLICY: &str = "《渝中区促进算力经济高质量发展若干政策（试行）》";
pub const GUIDE: &str = "《2026年度渝中区算力经济发展扶持资金申报指南》";
pub const RECONSIDERATION: &str =
    "可以自收到本决定书之日起60日内向重庆市渝中区人民政府申请行政复议";
pub const LITIGATION: &str = "也可以自收到本决定书之日起6个月内依法向人民法院提起行政诉讼。";

fn head(no: u32) -> Letterhead {
    Letterhead {
        number: format!("渝中大数据发〔2026〕{no}号"),
        issuer: ISSUER.into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        contact: "联系电话：023-63768099".into(),
        audit_head: Some("审计链 9f2c4e1a7b3d5f60".into()),
    }
}

/// An approval with a full explanation.
pub fn sample_approval(no: u32, amount: &str) -> Result<LetterContent> {
    let amount = Decimal::from_str(amount)
        .map_err(|e| super::LetterError::Content(format!("amount {amount}: {e}")))?;
    approval(&ApprovalInput {
        head: head(no),
        applicant: "重庆渝算智能科技有限公司".into(),
        credit_code: Some("91500103MA5UXXXX1K".into()),
        project: "渝中智算中心一期".into(),
        policy_name: POLICY.into(),
        policy_number: None,
        guide_name: GUIDE.into(),
        clause: "第一条（算力供给）".into(),
        evaluation: "经综合评定，该项目得分86.50分（投资规模27.00分、就业贡献12.00分、营收规模17.50分、服务企业数量13.00分、算力资源规模17.00分），达到80分档，按扶持上限的80%给予支持。".into(),
        amount,
        amount_words: None,
        calculation: vec![
            "扶持上限2,000,000.00元×80%＝1,600,000.00元；项目投资额15,000,000.00元的10%为1,500,000.00元，按两者较低者计1,500,000.00元。".into(),
            "扣除该项目已获渝中区其他政策支持265,500.00元（就高补差），核定扶持资金1,234,500.00元，四舍五入至分。".into(),
        ],
        highest_only: Some("该项目同时符合第三条（算力消纳）的扶持条件，按第三条计算的扶持资金为600,000.00元，低于按第一条计算的金额，依照就高不重复原则不再另行给予。".into()),
        conditions: vec![
            "扶持资金专项用于项目建设和运营，不得挪作他用。你单位应按规定接受审计和绩效评价。".into(),
            "如发现申报材料弄虚作假的，将收回已拨付资金，并依法依规追究相关责任。".into(),
        ],
        other_projects: None,
        notice: None,
        reconsideration: RECONSIDERATION.into(),
        litigation: LITIGATION.into(),
    })
}

/// A refusal with two reasons.
pub fn sample_refusal(no: u32) -> Result<LetterContent> {
    refusal(&RefusalInput {
        head: head(no),
        applicant: "重庆山城数据服务有限公司".into(),
        credit_code: Some("91500103MA6BXXXX2P".into()),
        projects: vec![RefusedProject {
            name: "山城大模型训练算力采购".into(),
            clause: "第三条（算力消纳）".into(),
        }],
        policy_name: POLICY.into(),
        policy_number: None,
        guide_name: GUIDE.into(),
        reasons: vec![
            "你单位填报的算力服务平台“山城云算力平台”不在2026年度经认定的公共算力服务平台名单（渝中区公共算力服务平台、重庆市人工智能算力公共服务平台、西部数据交易中心算力服务平台）内。".into(),
            "经综合评定，该项目得分52.00分，低于60分的扶持分数线。".into(),
        ],
        other_projects: None,
        reconsideration: RECONSIDERATION.into(),
        litigation: LITIGATION.into(),
    })
}

/// A correction notice listing `n` errors (16 make two pages).
pub fn sample_correction(no: u32, n: usize) -> Result<LetterContent> {
    let fields = [
        (
            "C1算力供给",
            "D",
            "项目总投资（元）",
            "一千五百万",
            "数字，单位为元",
        ),
        ("C1算力供给", "F", "新增就业人数", "", "大于或等于0的整数"),
        (
            "C1算力供给",
            "H",
            "建设地址",
            "重庆市江北区",
            "位于渝中区的地址",
        ),
        (
            "基本信息",
            "C",
            "统一社会信用代码",
            "9150010320287654X1",
            "18位有效代码（校验位不符）",
        ),
        (
            "C3算力消纳",
            "E",
            "算力服务平台",
            "山城云",
            "经认定的公共算力服务平台名称",
        ),
        (
            "C3算力消纳",
            "G",
            "算力支出（元）",
            "-20000",
            "大于零的金额",
        ),
        (
            "C2a技术攻关",
            "K",
            "到账日期",
            "2024-12-31",
            "2025年内的日期",
        ),
        ("承诺", "B", "信用承诺", "否", "是"),
    ];
    let errors = (0..n)
        .map(|i| {
            let f = fields[i % fields.len()];
            FieldError {
                sheet: f.0.into(),
                cell: format!("{}{}", f.1, 5 + i),
                field: f.2.into(),
                found: f.3.into(),
                expected: f.4.into(),
            }
        })
        .collect();
    correction(&CorrectionInput {
        head: head(no),
        applicant: "重庆解放碑数字科技有限公司".into(),
        round_year: 2026,
        file_name: "2026年度申报表-解放碑数字.xlsx".into(),
        received: NaiveDate::from_ymd_opt(2026, 3, 18).unwrap_or_default(),
        errors,
        deadline:
            "请你单位于2026年12月10日前按上述意见补正后重新报送。逾期未补正的，视为放弃本年度申报。"
                .into(),
    })
}
