//! What a decision's letters say, from the approved decision's frozen
//! figures (never recomputed): the letterhead (number, issuer, date, the
//! audit chain's head), one approval per supported project with its
//! calculation lines and 就高不重复 note, or one refusal listing every
//! reason. Issuing and previewing both build letters here, so a preview
//! shows exactly what would be signed.

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::error::Result;
use crate::guide::{Clause, Guide};
use crate::letters::content::{approval, refusal, ApprovalInput, Letterhead, RefusalInput};
use crate::rules::evaluate::{Evaluation, ProjectResult};
use crate::store::audit;

fn clause_name(g: &Guide, c: Clause) -> String {
    g.clauses
        .get(&c)
        .map(|r| format!("{}（{}）", r.article, r.name))
        .unwrap_or_else(|| c.as_str().to_string())
}

pub(super) fn head(
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
fn remedy_parts(g: &Guide) -> (String, String) {
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

fn line_text(p: &ProjectResult) -> Vec<String> {
    p.lines
        .iter()
        .filter(|l| !l.label.contains("就高不重复"))
        .map(|l| format!("{}：{}", l.label, l.value))
        .collect()
}

/// The projects of an evaluation that get money: one approval letter each.
pub(super) fn supported(ev: &Evaluation) -> Vec<&ProjectResult> {
    ev.projects
        .iter()
        .filter(|p| p.award_yuan.is_some_and(|a| a > Decimal::ZERO))
        .collect()
}

/// The refusal letter of a decision that supports nothing: every reason, per project.
pub(super) fn refusal_content(
    g: &Guide,
    ev: &Evaluation,
    applicant_name: &str,
    head: Letterhead,
) -> Result<crate::letters::LetterContent> {
    let mut reasons = Vec::new();
    for p in &ev.projects {
        let failed: Vec<String> = p
            .eligibility
            .iter()
            .filter(|r| !r.pass && r.overruled.is_none())
            .map(|r| format!("{}（{}）", r.rule, r.reason))
            .collect();
        if !failed.is_empty() {
            reasons.push(format!(
                "“{}”项目申报{}，不符合扶持条件：{}。",
                p.name,
                clause_name(g, p.clause),
                failed.join("；")
            ));
        } else if let Some(s) = p.score {
            reasons.push(format!(
                "“{}”项目申报{}，综合评定得分{}分，未达到扶持分数线。",
                p.name,
                clause_name(g, p.clause),
                s.normalize()
            ));
        } else {
            reasons.push(format!(
                "“{}”项目申报{}，经审核不予扶持。",
                p.name,
                clause_name(g, p.clause)
            ));
        }
    }
    let first = ev.projects.first();
    let (recon, lit) = remedy_parts(g);
    refusal(&RefusalInput {
        head,
        applicant: applicant_name.to_string(),
        project: first.map(|p| p.name.clone()).unwrap_or_default(),
        policy_name: g.wording.policy_name.clone(),
        policy_number: g.wording.policy_doc_number.clone(),
        guide_name: format!("《{}》", g.title),
        clause: first.map(|p| clause_name(g, p.clause)).unwrap_or_default(),
        reasons,
        reconsideration: recon,
        litigation: lit,
    })
    .map_err(crate::letter_error)
}

/// The approval letter of one supported project, from the frozen figures.
pub(super) fn approval_content(
    g: &Guide,
    ev: &Evaluation,
    p: &ProjectResult,
    applicant_name: &str,
    head: Letterhead,
) -> Result<crate::letters::LetterContent> {
    let evaluation = match p.score {
        Some(s) => format!("经综合评定，该项目得分{}分，符合扶持条件。", s.normalize()),
        None => "经审核，该项目符合扶持条件。".to_string(),
    };
    let highest: Vec<String> = ev
        .projects
        .iter()
        .filter(|o| o.superseded_by == Some(p.clause) && o.name == p.name)
        .map(|o| {
            format!(
                "该项目同时申报{}，依照就高不重复原则，按{}给予扶持，不再重复支持。",
                clause_name(g, o.clause),
                clause_name(g, p.clause)
            )
        })
        .collect();
    approval(&ApprovalInput {
        head,
        applicant: applicant_name.to_string(),
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
        remedy: vec![],
    })
    .map_err(crate::letter_error)
}
