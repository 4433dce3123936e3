//! What a decision's letters say, from the approved decision's frozen
//! figures (never recomputed): the letterhead (number, issuer, date, the
//! audit chain's head), one approval per supported project with its
//! calculation lines (amounts grouped) and 就高不重复 note, and one refusal
//! for every other project with its true reason (`outcome` plans which
//! letter decides which project). Every letter names the applicant's
//! credit code, cites the decision's other letters by number and ends with
//! the remedy. Issuing and previewing both build letters here, so a preview
//! shows exactly what would be signed.

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::error::Result;
use crate::guide::{Clause, Guide};
use crate::letters::content::{
    amendment, approval, refusal, revocation, ApprovalInput, ChangeInput, ChangedProject,
    Letterhead, RefusalInput, RefusedProject,
};
use crate::register::outcome::{plan, LetterProject, Outcome, Planned};
use crate::review::decisions::{ChangeKind, DecisionChange};
use crate::rules::evaluate::{same_key, Evaluation, ProjectResult};
use crate::store::audit;

pub(crate) fn clause_name(g: &Guide, c: Clause) -> String {
    g.clauses
        .get(&c)
        .map(|r| format!("{}（{}）", r.article, r.name))
        .unwrap_or_else(|| c.as_str().to_string())
}

pub(crate) fn head(
    conn: &Connection,
    g: &Guide,
    number: &str,
    date: NaiveDate,
) -> Result<Letterhead> {
    let report = audit::verify(conn)?;
    Ok(Letterhead {
        number: number.to_string(),
        issuer: g.wording.issuer.clone(),
        date,
        contact: format!("联系电话：{}", g.wording.contact_phone),
        audit_head: Some(format!(
            "审计链 {} · {}",
            report.entries,
            &report.head[..16.min(report.head.len())]
        )),
    })
}

/// Split the guide's remedy sentence into the reconsideration and litigation
/// parts the refusal template joins ("如不服本决定，" is the template's own).
pub(crate) fn remedy_parts(g: &Guide) -> (String, String) {
    let r = g.wording.remedy.trim();
    let r = r.strip_prefix("如不服本决定，").unwrap_or(r);
    match r.find("，或者") {
        Some(i) => (r[..i].to_string(), r[i + "，".len()..].to_string()),
        None => (
            r.to_string(),
            "或者依法向人民法院提起行政诉讼。".to_string(),
        ),
    }
}

/// Amounts in a line as the letter prints them: every figure of more than
/// three integer digits grouped (6500000.00 → 6,500,000.00), so figures
/// frozen before the explanation grouped them read the same.
fn grouped(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // a run of digits; one after a separator is part of a figure
        // already written (1,234 or .50) and stays
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let int: String = chars[start..i].iter().collect();
        let after_separator = start > 0 && matches!(chars[start - 1], ',' | '.');
        let digit = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_digit());
        let fen = chars.get(i) == Some(&'.') && digit(i + 1) && digit(i + 2) && !digit(i + 3);
        let amount = format!(
            "{int}.{}{}",
            chars.get(i + 1).copied().unwrap_or('0'),
            chars.get(i + 2).copied().unwrap_or('0')
        );
        match amount.parse::<Decimal>() {
            Ok(d) if fen && !after_separator && int.len() > 3 => {
                out.push_str(&crate::money::format_yuan_grouped(d));
                i += 3;
            }
            _ => out.push_str(&int),
        }
    }
    out
}

fn line_text(p: &ProjectResult) -> Vec<String> {
    p.lines
        .iter()
        .filter(|l| !l.label.contains("就高不重复"))
        .map(|l| grouped(&format!("{}：{}", l.label, l.value)))
        .collect()
}

/// The projects of an evaluation that get money: one approval letter each.
pub(super) fn supported(ev: &Evaluation) -> Vec<&ProjectResult> {
    ev.projects
        .iter()
        .filter(|p| Outcome::of(p) == Outcome::Approved)
        .collect()
}

fn yuan(d: Decimal) -> String {
    format!("{}元", crate::money::format_yuan_grouped(d))
}

/// The lines that took a computed award down after its clause's own
/// calculation: other support (就高不重复), the applicant cap, the budget.
const REDUCING: [&str; 5] = [
    "已获区内其他政策支持",
    "就高补差",
    "就高：",
    "申报单位扶持上限",
    "按预算比例核减",
];

/// The true reason one project of a refusal is not supported, from its
/// frozen explanation: the failed rules; the score and the pass mark; the
/// support, cap or budget that took a computed award to zero; the clause
/// that superseded it.
fn refusal_reason(g: &Guide, ev: &Evaluation, i: usize) -> String {
    let p = &ev.projects[i];
    format!("{}：{}", project_heading(g, p), reason_body(g, p))
}

/// “name”项目（第一条（算力供给））.
fn project_heading(g: &Guide, p: &ProjectResult) -> String {
    format!("“{}”项目（{}）", p.name, clause_name(g, p.clause))
}

/// Why project `p` gets nothing, without naming it.
fn reason_body(g: &Guide, p: &ProjectResult) -> String {
    match Outcome::of(p) {
        Outcome::Superseded => {
            let by = p
                .superseded_by
                .map(|c| clause_name(g, c))
                .unwrap_or_default();
            format!(
                "该项目同时按{by}申报，依照就高不重复原则，同一项目只按金额最高的{by}审核，不再按{}重复扶持。",
                clause_name(g, p.clause)
            )
        }
        Outcome::Zeroed => {
            let computed = p.computed_yuan.unwrap_or_default();
            let steps: Vec<String> = p
                .lines
                .iter()
                .filter(|l| REDUCING.iter().any(|m| l.label.starts_with(m)))
                .map(|l| grouped(&format!("{}：{}", l.label, l.value)))
                .collect();
            let other_support = p
                .lines
                .iter()
                .any(|l| l.label.starts_with("已获区内其他政策支持"));
            format!(
                "经审核符合扶持条件，按规定计算的扶持资金为{}；{}{}，核定扶持资金为0元。",
                yuan(computed),
                steps.join("；"),
                if other_support {
                    "。依照就高不重复原则，同一项目已获区内其他政策支持不低于本项扶持资金的，不再重复扶持"
                } else {
                    ""
                }
            )
        }
        _ if !p.eligible => {
            let failed: Vec<String> = p
                .eligibility
                .iter()
                .filter(|r| !r.pass && r.overruled.is_none())
                .map(|r| format!("{}（{}）", r.rule, r.reason))
                .collect();
            if failed.is_empty() {
                "本年度申报指南未设此条款，不予扶持。".to_string()
            } else {
                format!("不符合扶持条件：{}。", failed.join("；"))
            }
        }
        _ => {
            let pass_mark = g.clauses.get(&p.clause).and_then(|r| r.award.pass_mark());
            match (p.score, pass_mark) {
                (Some(s), Some(m)) if s < m => format!(
                    "经综合评定得分{}分，低于{}分的扶持分数线。",
                    s.normalize(),
                    m.normalize()
                ),
                _ => format!(
                    "经审核符合申报条件，但按规定计算的扶持资金为0元（{}）。",
                    line_text(p).join("；")
                ),
            }
        }
    }
}

/// The applicant's other letters of the same decision, as one sentence:
/// which projects they support or refuse, by number.
fn others_sentence(
    ev: &Evaluation,
    plan: &[Planned],
    numbers: &[String],
    this: usize,
) -> Option<String> {
    let parts: Vec<String> = plan
        .iter()
        .zip(numbers)
        .enumerate()
        .filter(|(k, _)| *k != this)
        .map(|(_, (letter, number))| {
            let names: Vec<String> = letter
                .projects()
                .iter()
                .filter(|&&j| Outcome::of(&ev.projects[j]) != Outcome::Superseded)
                .map(|&j| format!("“{}”", ev.projects[j].name))
                .collect();
            let verb = match letter {
                Planned::Approval { .. } => "给予扶持",
                Planned::Refusal { .. } => "不予扶持",
            };
            format!("{}项目{verb}，见{number}决定", names.join(""))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("你单位本次申报的其他项目：{}。", parts.join("；")))
}

/// The letters of a decision on `ev` to `party`, numbered `numbers` (one
/// per letter of the plan, in its order), dated `date`: one approval per
/// supported project, one refusal for the rest.
pub(super) fn drafts(
    conn: &Connection,
    g: &Guide,
    ev: &Evaluation,
    party: &Party<'_>,
    numbers: &[String],
    date: NaiveDate,
    notice: Option<&str>,
) -> Result<Vec<Draft>> {
    let plan = plan(ev);
    if numbers.len() != plan.len() {
        return Err(crate::EngineError::Store(format!(
            "{} letters need {} numbers, got {}",
            plan.len(),
            plan.len(),
            numbers.len()
        )));
    }
    let mut out = Vec::with_capacity(plan.len());
    for (k, (letter, number)) in plan.iter().zip(numbers).enumerate() {
        let head = head(conn, g, number, date)?;
        let others = others_sentence(ev, &plan, numbers, k);
        let projects: Vec<LetterProject> = letter
            .projects()
            .iter()
            .map(|&j| LetterProject::of(&ev.projects[j]))
            .collect();
        let draft = match letter {
            Planned::Approval { project, .. } => {
                let p = &ev.projects[*project];
                Draft {
                    kind: "approval",
                    project: Some(p.name.clone()),
                    amount: p.award_yuan.unwrap_or_default(),
                    content: approval_content(g, ev, p, party, others, notice, head)?,
                    projects,
                }
            }
            Planned::Refusal { projects: idx } => Draft {
                kind: "refusal",
                project: idx.first().map(|&j| ev.projects[j].name.clone()),
                amount: Decimal::ZERO,
                content: refusal_content(g, ev, idx, party, others, head)?,
                projects,
            },
        };
        out.push(draft);
    }
    Ok(out)
}

/// How many letters a decision on `ev` needs (numbers to reserve).
pub(super) fn letters_needed(ev: &Evaluation) -> usize {
    plan(ev).len()
}

/// Who a decision's letters are addressed to.
pub(super) struct Party<'a> {
    pub name: &'a str,
    pub credit_code: &'a str,
}

/// One letter of a decision, worded, before it is signed.
pub(super) struct Draft {
    pub kind: &'static str,
    /// The supported project (approval), or the first refused one.
    pub project: Option<String>,
    pub amount: Decimal,
    pub content: crate::letters::LetterContent,
    pub projects: Vec<LetterProject>,
}

/// The refusal of the projects `idx` of a decision, every reason from the
/// explanation.
fn refusal_content(
    g: &Guide,
    ev: &Evaluation,
    idx: &[usize],
    party: &Party<'_>,
    others: Option<String>,
    head: Letterhead,
) -> Result<crate::letters::LetterContent> {
    let reasons: Vec<String> = idx.iter().map(|&i| refusal_reason(g, ev, i)).collect();
    let projects: Vec<RefusedProject> = idx
        .iter()
        .map(|&i| RefusedProject {
            name: ev.projects[i].name.clone(),
            clause: clause_name(g, ev.projects[i].clause),
        })
        .collect();
    let (recon, lit) = remedy_parts(g);
    refusal(&RefusalInput {
        head,
        applicant: party.name.to_string(),
        credit_code: Some(party.credit_code.to_string()),
        projects,
        policy_name: g.wording.policy_name.clone(),
        policy_number: g.wording.policy_doc_number.clone(),
        guide_name: format!("《{}》", g.title),
        reasons,
        other_projects: others,
        reconsideration: recon,
        litigation: lit,
    })
    .map_err(crate::letter_error)
}

/// The approval letter of one supported project, from the frozen figures.
fn approval_content(
    g: &Guide,
    ev: &Evaluation,
    p: &ProjectResult,
    party: &Party<'_>,
    others: Option<String>,
    notice: Option<&str>,
    head: Letterhead,
) -> Result<crate::letters::LetterContent> {
    let evaluation = match p.score {
        Some(s) => format!("经综合评定，该项目得分{}分，符合扶持条件。", s.normalize()),
        None => "经审核，该项目符合扶持条件。".to_string(),
    };
    let key = same_key(&p.name);
    let highest: Vec<String> = ev
        .projects
        .iter()
        .filter(|o| o.superseded_by == Some(p.clause) && same_key(&o.name) == key)
        .map(|o| {
            format!(
                "该项目同时申报{}，依照就高不重复原则，按{}给予扶持，不再按{}重复支持。",
                clause_name(g, o.clause),
                clause_name(g, p.clause),
                clause_name(g, o.clause)
            )
        })
        .collect();
    let (recon, lit) = remedy_parts(g);
    approval(&ApprovalInput {
        head,
        applicant: party.name.to_string(),
        credit_code: Some(party.credit_code.to_string()),
        project: p.name.clone(),
        policy_name: g.wording.policy_name.clone(),
        policy_number: g.wording.policy_doc_number.clone(),
        guide_name: format!("《{}》", g.title),
        clause: clause_name(g, p.clause),
        evaluation,
        amount: p.award_yuan.unwrap_or_default(),
        amount_words: None,
        calculation: line_text(p),
        highest_only: if highest.is_empty() {
            None
        } else {
            Some(highest.join(""))
        },
        conditions: vec![
            "扶持资金专项用于项目建设和运营，不得挪作他用，并接受审计和绩效评价。".into(),
            "如发现申报材料弄虚作假的，将收回已拨付资金，并依法依规追究相关责任。".into(),
        ],
        other_projects: others,
        notice: notice.map(str::to_string),
        reconsideration: recon,
        litigation: lit,
    })
    .map_err(crate::letter_error)
}

/// A letter of the decision a change replaces, still in force (not
/// voided, not replaced).
pub(super) struct InForce {
    pub number: String,
    pub issued_on: NaiveDate,
    pub title: String,
    /// The amount it gives (zero for a refusal).
    pub amount: Decimal,
}

/// The one letter of a change to an issued decision (变更 / 撤销), numbered
/// `number`: the letters in force it replaces, cited in full, the reason,
/// and (an amendment) the new decision for every project.
#[allow(clippy::too_many_arguments)]
pub(super) fn change_draft(
    conn: &Connection,
    g: &Guide,
    ev: &Evaluation,
    party: &Party<'_>,
    change: &DecisionChange,
    in_force: &[InForce],
    number: &str,
    date: NaiveDate,
) -> Result<Draft> {
    let head = head(conn, g, number, date)?;
    let replaces: Vec<String> = in_force
        .iter()
        .map(|l| {
            format!(
                "{}作出的《{}》（{}）",
                crate::letters::format_date(l.issued_on),
                l.title,
                l.number
            )
        })
        .collect();
    let (recon, lit) = remedy_parts(g);
    let mut input = ChangeInput {
        head,
        applicant: party.name.to_string(),
        credit_code: Some(party.credit_code.to_string()),
        replaces,
        reason: change.reason.clone(),
        projects: vec![],
        conditions: vec![],
        recover_paid: false,
        reconsideration: recon,
        litigation: lit,
    };
    match change.kind {
        ChangeKind::Amendment => {
            input.projects = ev
                .projects
                .iter()
                .map(|p| {
                    Ok(ChangedProject {
                        heading: project_heading(g, p),
                        paragraphs: changed_project(p, g)?,
                    })
                })
                .collect::<Result<_>>()?;
            if ev
                .projects
                .iter()
                .any(|p| Outcome::of(p) == Outcome::Approved)
            {
                input.conditions = vec![
                    "扶持资金专项用于项目建设和运营，不得挪作他用，并接受审计和绩效评价。".into(),
                ];
            }
            Ok(Draft {
                kind: "amendment",
                project: None,
                amount: ev.total_yuan.unwrap_or_default(),
                content: amendment(&input).map_err(crate::letter_error)?,
                projects: ev.projects.iter().map(LetterProject::of).collect(),
            })
        }
        ChangeKind::Revocation => {
            input.recover_paid = in_force.iter().any(|l| l.amount > Decimal::ZERO);
            Ok(Draft {
                kind: "revocation",
                project: None,
                amount: Decimal::ZERO,
                content: revocation(&input).map_err(crate::letter_error)?,
                projects: ev
                    .projects
                    .iter()
                    .map(|p| LetterProject {
                        award_yuan: Some(Decimal::ZERO),
                        outcome: Outcome::Refused,
                        ..LetterProject::of(p)
                    })
                    .collect(),
            })
        }
    }
}

/// What an amendment says of one project: the award with its calculation,
/// or that it is not supported and why.
fn changed_project(p: &ProjectResult, g: &Guide) -> Result<Vec<String>> {
    Ok(match (Outcome::of(p), p.award_yuan) {
        (Outcome::Approved, Some(a)) => {
            let words = crate::money::amount_in_words(a)
                .map_err(|e| crate::EngineError::Invalid(e.to_string()))?;
            let mut out = vec![format!("给予扶持资金人民币{}（大写：{words}）。", yuan(a))];
            let calc = line_text(p);
            if !calc.is_empty() {
                out.push(format!("计算依据：{}。", calc.join("；")));
            }
            out
        }
        _ => vec![format!("不予扶持。{}", reason_body(g, p))],
    })
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn amounts_in_the_calculation_are_grouped() {
        assert_eq!(
            grouped("不超过上限 6500000.00 元：6500000.00"),
            "不超过上限 6,500,000.00 元：6,500,000.00"
        );
        assert_eq!(grouped("× 10%：650000.00"), "× 10%：650,000.00");
        // already grouped, small, scores and percentages stay as they are
        assert_eq!(
            grouped("1,234,500.00 元；999.00；86.50 分；12.5%"),
            "1,234,500.00 元；999.00；86.50 分；12.5%"
        );
        assert_eq!(grouped("文号 2026001 号"), "文号 2026001 号");
    }
}
