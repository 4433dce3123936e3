//! What a letter says, as plain data, and the standard wording of the three
//! kinds of letter. Nothing here knows about pages or fonts.
//!
//! The year-dependent sentences (policy names and document numbers, the
//! remedy sentences naming the reconsideration body) come from the guide and
//! are passed in as strings; this module only arranges them.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{LetterError, Result};
use reviewdesk_domain::money;

/// The letters the bureau issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum LetterKind {
    /// 给予扶持的决定
    Approval,
    /// 不予扶持的决定
    Refusal,
    /// 补正告知书
    Correction,
    /// 变更决定: replaces an issued decision's letters with a new decision.
    Amendment,
    /// 撤销决定: revokes an issued decision.
    Revocation,
    /// 公示: the round's list of proposed awards, with its period.
    Notice,
    /// 追回事先告知书: the prior notice of a clawback, with the right to
    /// state one's case (陈述申辩) and its deadline.
    RecoveryNotice,
    /// 追回决定: the recovery of support paid under a revoked decision.
    Recovery,
}

impl LetterKind {
    /// The kind's name as printed in file names and logs.
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Approval => "给予扶持的决定",
            LetterKind::Refusal => "不予扶持的决定",
            LetterKind::Correction => "补正告知书",
            LetterKind::Amendment => "变更决定",
            LetterKind::Revocation => "撤销决定",
            LetterKind::Notice => "公示",
            LetterKind::RecoveryNotice => "追回事先告知书",
            LetterKind::Recovery => "追回决定",
        }
    }
}

/// One row of a simple table (cells are plain text, wrapped in their column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TableRow(pub Vec<String>);

/// A block of body text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Paragraph {
    /// A body paragraph: 3号仿宋, first line indented two characters.
    Text { text: String },
    /// A first-level heading (“一、……”): 3号黑体, indented two characters.
    Heading { text: String },
    /// A second-level heading (“（一）……”): 3号楷体, indented two characters.
    Subheading { text: String },
    /// A line set flush left without indent (e.g. a list continuation).
    Flush { text: String },
    /// A simple three-line table on the grid. `widths` are in grid
    /// characters and add up to at most 28; the first row is the header.
    Table {
        widths: Vec<u32>,
        rows: Vec<TableRow>,
    },
}

impl Paragraph {
    /// A body paragraph.
    pub fn text(s: impl Into<String>) -> Self {
        Paragraph::Text { text: s.into() }
    }
    /// A first-level heading.
    pub fn heading(s: impl Into<String>) -> Self {
        Paragraph::Heading { text: s.into() }
    }
    /// A second-level heading.
    pub fn subheading(s: impl Into<String>) -> Self {
        Paragraph::Subheading { text: s.into() }
    }
}

/// Everything printed on a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LetterContent {
    pub kind: LetterKind,
    /// 发文字号, e.g. 渝中大数据发〔2026〕12号 (from the register).
    pub number: String,
    /// 标题, e.g. 关于给予……算力经济发展扶持资金的决定.
    pub title: String,
    /// 主送机关: the applicant's full name (printed with a full-width colon).
    pub addressee: String,
    pub paragraphs: Vec<Paragraph>,
    /// 发文机关: printed in the letterhead and as the signature name.
    pub issuer: String,
    /// 成文日期.
    pub date: NaiveDate,
    /// 附注: e.g. 联系电话：023-63768099 (printed in parentheses).
    pub contact: String,
    /// Head of the audit chain when the letter was issued, printed small at
    /// the foot of every page.
    pub audit_head: Option<String>,
}

impl LetterContent {
    /// Checks the fields every letter needs.
    pub fn validate(&self) -> Result<()> {
        let required = [
            ("number / 发文字号", &self.number),
            ("title / 标题", &self.title),
            ("addressee / 主送机关", &self.addressee),
            ("issuer / 发文机关", &self.issuer),
        ];
        for (name, value) in required {
            if value.trim().is_empty() {
                return Err(LetterError::Content(format!("{name} 为空 / is empty")));
            }
        }
        if self.paragraphs.is_empty() {
            return Err(LetterError::Content("正文为空 / the body is empty".into()));
        }
        for p in &self.paragraphs {
            if let Paragraph::Table { widths, rows } = p {
                let total: u32 = widths.iter().sum();
                if widths.is_empty() || widths.contains(&0) || total > 28 {
                    return Err(LetterError::Content(format!(
                        "表格列宽 {widths:?} 无效（每列至少 1 字，合计不超过 28 字）/ invalid table widths"
                    )));
                }
                if let Some(bad) = rows.iter().find(|r| r.0.len() != widths.len()) {
                    return Err(LetterError::Content(format!(
                        "表格行 {:?} 的列数与列宽不符 / a table row has the wrong number of cells",
                        bad.0
                    )));
                }
            }
        }
        Ok(())
    }
}

/// 成文日期 as printed: Arabic numerals, no leading zeros (GB/T 9704-2012
/// §7.3.5.4): 2026年11月26日.
pub fn format_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The fields every built letter shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letterhead {
    pub number: String,
    pub issuer: String,
    pub date: NaiveDate,
    /// Without parentheses, e.g. “联系电话：023-63768099”.
    pub contact: String,
    pub audit_head: Option<String>,
}

/// What an approval letter needs; every figure comes from the rules engine's
/// explanation, never recomputed here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalInput {
    pub head: Letterhead,
    /// 申报单位 (the addressee).
    pub applicant: String,
    /// The applicant's 统一社会信用代码, printed in the opening sentence.
    pub credit_code: Option<String>,
    /// 项目名称.
    pub project: String,
    /// The policy's full name with its book-title marks, from the guide,
    /// e.g. 《渝中区促进算力经济高质量发展若干政策（试行）》.
    pub policy_name: String,
    /// The policy's document number, from the guide; `None` or blank prints
    /// the visible marker [`POLICY_NUMBER_MISSING`] (only a test letter may
    /// be issued so: the register refuses a real one).
    pub policy_number: Option<String>,
    /// The guide's name, e.g. 《2026年度渝中区算力经济发展扶持资金申报指南》.
    pub guide_name: String,
    /// The clause, e.g. 第一条（算力供给）.
    pub clause: String,
    /// The evaluation result in one sentence, e.g. 综合评定得分86.50分，达到80分档。
    pub evaluation: String,
    /// The award, rounded as the guide says (to the fen).
    pub amount: Decimal,
    /// The amount in capitals; `None` computes it with
    /// [`money::amount_in_words`].
    pub amount_words: Option<String>,
    /// How the amount was calculated, one line per step of the explanation.
    pub calculation: Vec<String>,
    /// The 就高不重复 outcome (superseded clauses, other support deducted).
    pub highest_only: Option<String>,
    /// Conditions attached to the support (payment, use of funds…).
    pub conditions: Vec<String>,
    /// What became of the applicant's other projects in the same decision
    /// (the letters that decide them), when there are any.
    pub other_projects: Option<String>,
    /// The 公示 the award went through (its period, and 经公示无异议 or what
    /// became of the objections), when it was published first.
    #[serde(default)]
    pub notice: Option<String>,
    /// The administrative reconsideration sentence (every decision states
    /// the remedy, a favourable one too: the applicant may contest the amount).
    pub reconsideration: String,
    /// The litigation sentence.
    pub litigation: String,
}

/// One project a refusal decides: its name and its clause as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedProject {
    pub name: String,
    /// e.g. 第三条（算力消纳）.
    pub clause: String,
}

/// What a refusal letter needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalInput {
    pub head: Letterhead,
    pub applicant: String,
    /// The applicant's 统一社会信用代码.
    pub credit_code: Option<String>,
    /// Every project this letter refuses (at least one).
    pub projects: Vec<RefusedProject>,
    pub policy_name: String,
    pub policy_number: Option<String>,
    pub guide_name: String,
    /// Each reason in one sentence, from the eligibility / evaluation record.
    pub reasons: Vec<String>,
    /// The applicant's projects of the same decision that are supported,
    /// and the letters that say so, when there are any.
    pub other_projects: Option<String>,
    /// The administrative reconsideration sentence from the guide (60 days,
    /// naming the body, e.g. 重庆市渝中区人民政府).
    pub reconsideration: String,
    /// The litigation sentence from the guide (6 months).
    pub litigation: String,
}

/// One error of a workbook that needs correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Sheet name.
    pub sheet: String,
    /// Cell reference, e.g. D5.
    pub cell: String,
    /// The field's label.
    pub field: String,
    /// What was found (as typed; empty = blank).
    pub found: String,
    /// What is expected.
    pub expected: String,
}

/// What a correction notice needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionInput {
    pub head: Letterhead,
    pub applicant: String,
    /// The round's year (申报年度).
    pub round_year: i32,
    /// The submitted file's name, as received.
    pub file_name: String,
    /// When the workbook was received.
    pub received: NaiveDate,
    pub errors: Vec<FieldError>,
    /// The deadline sentence, e.g. 请于2026年12月10日前补正后重新报送，逾期未补正的视为放弃申报。
    pub deadline: String,
}

/// Printed where the policy's document number belongs while the guide does
/// not give it: never a blank (only a test letter is issued so).
pub const POLICY_NUMBER_MISSING: &str = "文号待局方填写";

fn policy_ref(name: &str, number: &Option<String>) -> String {
    match number {
        Some(n) if !n.trim().is_empty() => format!("{name}（{}）", n.trim()),
        _ => format!("{name}（{POLICY_NUMBER_MISSING}）"),
    }
}

/// 你单位（统一社会信用代码：…）: who the decision is addressed to, by code.
fn you(credit_code: &Option<String>) -> String {
    match credit_code {
        Some(c) if !c.trim().is_empty() => format!("你单位（统一社会信用代码：{}）", c.trim()),
        _ => "你单位".to_string(),
    }
}

/// The remedy sentence every decision ends with: 如不服本决定，<复议>；<诉讼>.
fn remedy_sentence(reconsideration: &str, litigation: &str) -> Result<String> {
    non_empty("reconsideration / 行政复议", reconsideration)?;
    non_empty("litigation / 行政诉讼", litigation)?;
    Ok(format!(
        "如不服本决定，{}{}",
        reconsideration.trim_end_matches(['。', '；']),
        if litigation.starts_with('也') || litigation.starts_with('或') {
            format!("，{litigation}")
        } else {
            format!("；{litigation}")
        }
    ))
}

pub(crate) fn non_empty(name: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        Err(LetterError::Content(format!("{name} 为空 / is empty")))
    } else {
        Ok(())
    }
}

/// Composes the standard approval letter (关于给予……扶持资金的决定).
pub fn approval(input: &ApprovalInput) -> Result<LetterContent> {
    non_empty("applicant / 申报单位", &input.applicant)?;
    non_empty("project / 项目", &input.project)?;
    if input.amount <= Decimal::ZERO {
        return Err(LetterError::Content(format!(
            "扶持金额 {} 不大于零，不能出具给予扶持的决定 / an approval needs a positive amount",
            input.amount
        )));
    }
    let words = match &input.amount_words {
        Some(w) => w.clone(),
        None => {
            money::amount_in_words(input.amount).map_err(|e| LetterError::Content(e.to_string()))?
        }
    };
    let figures = money::format_yuan_grouped(input.amount);
    let remedy = remedy_sentence(&input.reconsideration, &input.litigation)?;
    let mut ps = vec![Paragraph::text(format!(
        "{}申报的“{}”项目，经审核和综合评定，符合{}{}规定的扶持条件。根据{}，现决定如下：",
        you(&input.credit_code),
        input.project,
        policy_ref(&input.policy_name, &input.policy_number),
        input.clause,
        input.guide_name,
    ))];
    let mut n = 0;
    let mut head = |ps: &mut Vec<Paragraph>, t: &str| {
        n += 1;
        ps.push(Paragraph::heading(format!("{}、{}", cn_ordinal(n), t)));
    };
    head(&mut ps, "评定结果");
    ps.push(Paragraph::text(input.evaluation.clone()));
    if let Some(n) = &input.notice {
        ps.push(Paragraph::text(n.clone()));
    }
    head(&mut ps, "扶持金额");
    ps.push(Paragraph::text(format!(
        "给予你单位该项目扶持资金人民币{figures}元（大写：{words}）。"
    )));
    if !input.calculation.is_empty() {
        head(&mut ps, "计算依据");
        for line in &input.calculation {
            ps.push(Paragraph::text(line.clone()));
        }
    }
    if let Some(h) = &input.highest_only {
        head(&mut ps, "就高不重复");
        ps.push(Paragraph::text(h.clone()));
    }
    if let Some(o) = &input.other_projects {
        head(&mut ps, "其他申报项目");
        ps.push(Paragraph::text(o.clone()));
    }
    if !input.conditions.is_empty() {
        head(&mut ps, "有关要求");
        for c in &input.conditions {
            ps.push(Paragraph::text(c.clone()));
        }
    }
    ps.push(Paragraph::text(remedy));
    decision(
        LetterKind::Approval,
        &input.head,
        &input.applicant,
        &quoted(&input.project),
        ps,
    )
}

/// Composes the standard refusal letter (关于……不予扶持的决定): every
/// project it refuses, each with its reason, and the remedy.
pub fn refusal(input: &RefusalInput) -> Result<LetterContent> {
    non_empty("applicant / 申报单位", &input.applicant)?;
    let Some(first) = input.projects.first() else {
        return Err(LetterError::Content(
            "不予扶持的决定至少针对一个项目 / a refusal decides at least one project".into(),
        ));
    };
    for p in &input.projects {
        non_empty("project / 项目", &p.name)?;
    }
    if input.reasons.is_empty() {
        return Err(LetterError::Content(
            "不予扶持的决定必须写明理由 / a refusal must give its reasons".into(),
        ));
    }
    let remedy = remedy_sentence(&input.reconsideration, &input.litigation)?;
    let (what, subject) = if input.projects.len() == 1 {
        (
            format!("按{}申报的“{}”项目", first.clause, first.name),
            quoted(&first.name),
        )
    } else {
        let names: Vec<String> = input
            .projects
            .iter()
            .map(|p| format!("“{}”", p.name))
            .collect();
        (
            format!("申报的{}{}个项目", names.join(""), input.projects.len()),
            format!("“{}”等{}个项目", first.name, input.projects.len()),
        )
    };
    let mut ps = vec![Paragraph::text(format!(
        "{}依据{}及{}{}，经审核，现决定不予扶持。理由如下：",
        you(&input.credit_code),
        policy_ref(&input.policy_name, &input.policy_number),
        input.guide_name,
        what,
    ))];
    for (i, r) in input.reasons.iter().enumerate() {
        ps.push(Paragraph::text(format!("（{}）{}", cn_ordinal(i + 1), r)));
    }
    if let Some(o) = &input.other_projects {
        ps.push(Paragraph::text(o.clone()));
    }
    ps.push(Paragraph::text(remedy));
    decision(
        LetterKind::Refusal,
        &input.head,
        &input.applicant,
        &subject,
        ps,
    )
}

/// One project as an amendment decides it anew: a heading naming it and
/// what the new decision says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedProject {
    /// e.g. “渝中智算中心一期”项目（第一条（算力供给））.
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// What an amendment (变更决定) or a revocation (撤销决定) needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeInput {
    pub head: Letterhead,
    pub applicant: String,
    pub credit_code: Option<String>,
    /// The letters changed, each cited in full, e.g.
    /// 2026年11月2日作出的《关于给予……的决定》（渝中大数据发〔2026〕1号）.
    pub replaces: Vec<String>,
    /// Why the decision is changed (金额录入错误 …; an objection upheld; a
    /// reconsideration ruling).
    pub reason: String,
    /// The new decision, project by project (an amendment; empty for a
    /// revocation).
    pub projects: Vec<ChangedProject>,
    /// Conditions attached to any support the new decision gives.
    pub conditions: Vec<String>,
    /// A revocation of a decision that gave money: what was paid is recovered.
    pub recover_paid: bool,
    pub reconsideration: String,
    pub litigation: String,
}

fn change_opening(input: &ChangeInput) -> Result<String> {
    non_empty("applicant / 申报单位", &input.applicant)?;
    non_empty("reason / 理由", &input.reason)?;
    if input.replaces.is_empty() {
        return Err(LetterError::Content(
            "变更或撤销决定须写明所针对的原决定 / a change must cite the letters it changes".into(),
        ));
    }
    Ok(format!(
        "本局于{}，对{}申报的项目作出决定。",
        input.replaces.join("、"),
        you(&input.credit_code)
    ))
}

/// Composes the amendment (关于变更……决定的决定): the letters it replaces,
/// why, the new decision for every project, and the remedy.
pub fn amendment(input: &ChangeInput) -> Result<LetterContent> {
    let opening = change_opening(input)?;
    let remedy = remedy_sentence(&input.reconsideration, &input.litigation)?;
    if input.projects.is_empty() {
        return Err(LetterError::Content(
            "变更决定须写明变更后的决定 / an amendment states the new decision".into(),
        ));
    }
    let mut ps = vec![Paragraph::text(format!(
        "{opening}因{}，经重新审核，现决定予以变更。变更后的决定如下：",
        input.reason.trim().trim_end_matches('。')
    ))];
    for (i, p) in input.projects.iter().enumerate() {
        ps.push(Paragraph::heading(format!(
            "{}、{}",
            cn_ordinal(i + 1),
            p.heading
        )));
        for t in &p.paragraphs {
            ps.push(Paragraph::text(t.clone()));
        }
    }
    ps.push(Paragraph::text(format!(
        "原决定（{}）自本决定作出之日起不再执行，以本决定为准。",
        cited_numbers(&input.replaces)
    )));
    for c in &input.conditions {
        ps.push(Paragraph::text(c.clone()));
    }
    ps.push(Paragraph::text(remedy));
    ps.push(Paragraph::text("特此决定。"));
    letter(
        LetterKind::Amendment,
        &input.head,
        format!("关于变更{}算力经济发展扶持资金决定的决定", input.applicant),
        &input.applicant,
        ps,
    )
}

/// Composes the revocation (关于撤销……决定的决定): the letters it revokes,
/// why, what follows, and the remedy.
pub fn revocation(input: &ChangeInput) -> Result<LetterContent> {
    let opening = change_opening(input)?;
    let remedy = remedy_sentence(&input.reconsideration, &input.litigation)?;
    let mut ps = vec![Paragraph::text(format!(
        "{opening}因{}，现决定撤销上述决定（{}）。",
        input.reason.trim().trim_end_matches('。'),
        cited_numbers(&input.replaces)
    ))];
    if input.recover_paid {
        ps.push(Paragraph::text(
            "上述决定撤销后，你单位不再享受该决定给予的扶持；已拨付的扶持资金，由本局依法予以追回。",
        ));
    }
    ps.push(Paragraph::text(remedy));
    ps.push(Paragraph::text("特此决定。"));
    letter(
        LetterKind::Revocation,
        &input.head,
        format!("关于撤销{}算力经济发展扶持资金决定的决定", input.applicant),
        &input.applicant,
        ps,
    )
}

/// The document numbers of cited letters (the part in their last （）).
fn cited_numbers(replaces: &[String]) -> String {
    replaces
        .iter()
        .map(|c| {
            c.rsplit_once('（')
                .map(|(_, n)| n.trim_end_matches('）').to_string())
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Composes the one-time correction notice (补正告知书): every error, once.
pub fn correction(input: &CorrectionInput) -> Result<LetterContent> {
    non_empty("applicant / 申报单位", &input.applicant)?;
    if input.errors.is_empty() {
        return Err(LetterError::Content(
            "补正告知书至少列出一处错误 / a correction notice lists at least one error".into(),
        ));
    }
    let mut ps = vec![Paragraph::text(format!(
        "你单位于{}报送的{}年度算力经济发展扶持资金申报表（{}）经审查，有以下{}处内容需要补正。现一次性告知如下：",
        format_date(input.received),
        input.round_year,
        input.file_name,
        input.errors.len()
    ))];
    let mut rows = vec![TableRow(vec![
        "序号".into(),
        "位置".into(),
        "项目".into(),
        "填写内容".into(),
        "应为".into(),
    ])];
    for (i, e) in input.errors.iter().enumerate() {
        rows.push(TableRow(vec![
            (i + 1).to_string(),
            format!("{}!{}", e.sheet, e.cell),
            e.field.clone(),
            if e.found.trim().is_empty() {
                "（空）".to_string()
            } else {
                e.found.clone()
            },
            e.expected.clone(),
        ]));
    }
    // 填写内容 is what the applicant typed, often a number Excel mangled
    // (9.15001E+17): wide enough (6.5 characters inside the padding) that it
    // stays on one line; 应为 is prose and wraps.
    ps.push(Paragraph::Table {
        widths: vec![3, 7, 5, 7, 6],
        rows,
    });
    ps.push(Paragraph::text(input.deadline.clone()));
    ps.push(Paragraph::text("特此告知。"));
    letter(
        LetterKind::Correction,
        &input.head,
        format!("关于{}申报材料的补正告知书", input.applicant),
        &input.applicant,
        ps,
    )
}

/// A decision on `subject` (“…”项目, approval or refusal): its title, and
/// its paragraphs closed with 特此决定。
fn decision(
    kind: LetterKind,
    head: &Letterhead,
    applicant: &str,
    subject: &str,
    mut paragraphs: Vec<Paragraph>,
) -> Result<LetterContent> {
    let title = if kind == LetterKind::Approval {
        format!("关于给予{applicant}{subject}算力经济发展扶持资金的决定")
    } else {
        format!("关于对{applicant}{subject}不予扶持的决定")
    };
    paragraphs.push(Paragraph::text("特此决定。"));
    letter(kind, head, title, applicant, paragraphs)
}

/// A letter of `kind` to `addressee` under `head`, checked before it is
/// handed out.
pub(crate) fn letter(
    kind: LetterKind,
    head: &Letterhead,
    title: String,
    addressee: &str,
    paragraphs: Vec<Paragraph>,
) -> Result<LetterContent> {
    let content = LetterContent {
        kind,
        number: head.number.clone(),
        title,
        addressee: addressee.to_string(),
        paragraphs,
        issuer: head.issuer.clone(),
        date: head.date,
        contact: head.contact.clone(),
        audit_head: head.audit_head.clone(),
    };
    content.validate()?;
    Ok(content)
}

fn quoted(project: &str) -> String {
    format!("“{project}”项目")
}

/// 一, 二, … 十九, 二十 … (headings and reason numbers).
pub fn cn_ordinal(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 => {
            let tail = if n.is_multiple_of(10) { "" } else { D[n % 10] };
            format!("{}十{}", D[n / 10], tail)
        }
        _ => n.to_string(),
    }
}

pub mod notice;
pub use notice::{notice, notice_period, wan, NoticeInput, NoticeRow, NOTICE_COLUMNS};
pub mod recovery;
pub use recovery::{recovery, recovery_notice, RecoveryInput, RecoveryNoticeInput};

#[cfg(test)]
mod tests;
