//! The two-person decision workflow: a reviewer proposes (the current
//! evaluation, under the pro-rata rule reduced to the budget, becomes the
//! proposal), another identity approves (the figures are frozen from then
//! on) or returns it with a comment. Who approves is an [`Identity`]: a
//! person's certificate (`people::Identity`) everywhere an act counts;
//! four-eyes compares fingerprints, and only where an older decision was
//! made under a typed name does [`person_key`] compare the recorded names.

use rusqlite::params;

use crate::error::{EngineError, Result};
use crate::review::decisions::{decision_of, latest_issued, ChangeKind, Decision, DecisionChange};
use crate::review::evaluations::compute;
use crate::review::rounds::applicant;
use crate::review::DecisionState;
use crate::store::{now, Actor, Store};

/// Who approves: the letters layer plugs in a certificate-backed identity
/// (the certificate's holder is the approver); a plain name serves tests and
/// the CLI until then.
pub trait Identity {
    /// The person, as recorded.
    fn name(&self) -> String;
    /// A stable identifier of the credential (certificate fingerprint …).
    fn credential_id(&self) -> String;
}

/// The person a recorded name stands for, for the four-eyes rule: test
/// certificates' markers (测试签章（TEST ONLY）…), spaces of any width and
/// full-width forms do not make a different person ("测试签章（TEST ONLY）张审核"
/// and " 张 审核 " are both 张审核).
pub fn person_key(name: &str) -> String {
    let mut s = name.to_string();
    for marker in [
        "测试签章（TEST ONLY）",
        "测试签章(TEST ONLY)",
        "（TEST ONLY）",
        "(TEST ONLY)",
        "TEST ONLY",
        "（测试）",
        "(测试)",
    ] {
        s = s.replace(marker, "");
    }
    s.chars()
        .filter_map(|c| {
            let c = match c as u32 {
                // full-width ASCII forms → ASCII
                0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                0x3000 => ' ',
                _ => c,
            };
            (!c.is_whitespace()).then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// An identity that is just a name (no credential).
pub struct NamedIdentity(pub String);

impl Identity for NamedIdentity {
    fn name(&self) -> String {
        self.0.clone()
    }
    fn credential_id(&self) -> String {
        format!("name:{}", self.0)
    }
}

/// Propose the decision: the current evaluation becomes the proposal. After
/// a returned amendment or revocation the new proposal is the same change
/// (it still cites the issued decision); an issued decision is changed
/// only by [`propose_change`].
pub fn propose(store: &mut Store, actor: &Actor, credit_code: &str) -> Result<Decision> {
    let code = credit_code.trim().to_ascii_uppercase();
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "decision.propose", &code, |tx| {
        let mut change = None;
        if let Some(d) = decision_of(tx, id, year)? {
            match d.state {
                DecisionState::Returned => change = d.change,
                DecisionState::Issued => {
                    return Err(EngineError::coded(
                        "already_issued",
                        format!("{code} 的决定书已出具；如需更正，提出变更或撤销（decide amend / decide revoke）"),
                        format!("{code}'s decision is issued; to correct it, propose an amendment or a revocation (decide amend / decide revoke)"),
                    ))
                }
                other => {
                    return Err(EngineError::Invalid(format!(
                        "{code} 已有状态为「{other}」的决定 / {code} already has a {other} decision"
                    )))
                }
            }
        }
        let (submission_id, hash, ev) = match change.as_ref().map(|c| c.kind) {
            Some(ChangeKind::Revocation) => revoked_figures(tx, change.as_ref(), &code)?,
            _ => proposal_figures(tx, id, year)?,
        };
        let d = insert_proposal(tx, actor, id, year, submission_id, &hash, &ev, change.as_ref())?;
        let detail = serde_json::json!({ "decision": d.id, "total_yuan": ev.total_yuan.map(crate::money::format_yuan), "guide": hash,
            "change": change.as_ref().map(|c| serde_json::json!({ "kind": c.kind.as_str(), "amends": c.amends, "reason": c.reason })) });
        Ok((d, detail))
    })
}

/// The figures a proposal freezes once approved: the current evaluation,
/// every award known.
fn proposal_figures(
    tx: &rusqlite::Connection,
    id: i64,
    year: i32,
) -> Result<(i64, String, crate::rules::evaluate::Evaluation)> {
    let (submission_id, hash, ev) = compute(tx, id, year, true)?;
    if ev.projects.iter().any(|p| p.award_yuan.is_none()) {
        return Err(EngineError::Invalid(
            "仍有项目待专家评分，不能提交决定 / some projects still await panel scores".into(),
        ));
    }
    Ok((submission_id, hash, ev))
}

/// The figures of a revocation: the revoked decision's, every award zero
/// (the round's budget then counts nothing for the applicant).
fn revoked_figures(
    tx: &rusqlite::Connection,
    change: Option<&DecisionChange>,
    code: &str,
) -> Result<(i64, String, crate::rules::evaluate::Evaluation)> {
    let amends = change
        .map(|c| c.amends)
        .ok_or_else(|| EngineError::Store(format!("{code}: a revocation without its decision")))?;
    let (submission_id, hash, figures): (i64, String, String) = tx.query_row(
        "SELECT submission_id, guide_hash, figures FROM decisions WHERE id = ?1",
        [amends],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut ev: crate::rules::evaluate::Evaluation = serde_json::from_str(&figures)
        .map_err(|e| EngineError::Store(format!("decision {amends} unreadable: {e}")))?;
    for p in ev.projects.iter_mut() {
        p.award_yuan = Some(rust_decimal::Decimal::ZERO);
        p.lines.push(crate::rules::evaluate::Line {
            label: "撤销".into(),
            value: "原决定已撤销，扶持金额 0.00 元".into(),
            label_en: "Revoked".into(),
            value_en: "the decision is revoked; award 0.00 yuan".into(),
        });
    }
    ev.total_yuan = Some(rust_decimal::Decimal::ZERO);
    Ok((submission_id, hash, ev))
}

/// A new proposed decision (a change when `change` is given).
#[allow(clippy::too_many_arguments)]
fn insert_proposal(
    tx: &rusqlite::Connection,
    actor: &Actor,
    id: i64,
    year: i32,
    submission_id: i64,
    hash: &str,
    ev: &crate::rules::evaluate::Evaluation,
    change: Option<&DecisionChange>,
) -> Result<Decision> {
    let json =
        serde_json::to_string(ev).map_err(|e| EngineError::Store(format!("serialise: {e}")))?;
    tx.execute(
        "INSERT INTO decisions(applicant_id, round_year, submission_id, guide_hash, state, figures,
           proposed_by, proposed_at, proposer_fp, amends, change_kind, change_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            year,
            submission_id,
            hash,
            DecisionState::Proposed,
            json,
            actor.0,
            now(),
            actor.fingerprint(),
            change.map(|c| c.amends),
            change.map(|c| c.kind.as_str()),
            change.map(|c| c.reason.as_str()),
        ],
    )?;
    decision_of(tx, id, year)?.ok_or_else(|| EngineError::Store("decision vanished".into()))
}

/// Propose changing an issued decision (`decide amend` / `decide revoke`):
/// a new decision, proposed by a reviewer and approved by someone else like
/// any other, whose letter takes a new number, cites the old letters and
/// marks them replaced. An amendment freezes the evaluation as it is now
/// (the inputs may change while it is proposed: amending again takes the
/// new figures); a revocation gives nothing. `reason` is required.
pub fn propose_change(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    kind: ChangeKind,
    reason: &str,
) -> Result<Decision> {
    let code = credit_code.trim().to_ascii_uppercase();
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(EngineError::coded(
            "reason_required",
            "变更或撤销决定须写明理由（--reason）",
            "an amendment or revocation needs its reason (--reason)",
        ));
    }
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let (id, year) = applicant(store.conn(), &code)?;
    let action = match kind {
        ChangeKind::Amendment => "decision.amend",
        ChangeKind::Revocation => "decision.revoke",
    };
    store.change(actor, action, &code, |tx| {
        let latest = decision_of(tx, id, year)?;
        let amends = match &latest {
            Some(d) if d.state == DecisionState::Issued => {
                if d.change.as_ref().is_some_and(|c| c.kind == ChangeKind::Revocation) {
                    return Err(EngineError::coded(
                        "revoked",
                        format!("{code} 的决定已撤销，不能再变更或撤销"),
                        format!("{code}'s decision is revoked: there is nothing left to change"),
                    ));
                }
                d.id
            }
            // the same change again: take the figures as they are now
            Some(d) if d.state == DecisionState::Proposed && d.change.as_ref().is_some_and(|c| c.kind == kind) => {
                let amends = d.change.as_ref().map(|c| c.amends).unwrap_or_default();
                tx.execute("DELETE FROM decisions WHERE id = ?1 AND state = 'proposed'", [d.id])?;
                amends
            }
            Some(d) if d.state == DecisionState::Returned && d.change.is_some() => {
                latest_issued(tx, id, year)?.ok_or_else(|| EngineError::Store(format!("{code}: the changed decision is missing")))?
            }
            _ => {
                return Err(EngineError::coded(
                    "not_issued",
                    format!("{code} 没有已出具的决定：只能变更或撤销已出具决定书的决定"),
                    format!("{code} has no issued decision: only a decision whose letters are issued can be amended or revoked"),
                ))
            }
        };
        let change = DecisionChange {
            kind,
            reason: reason.to_string(),
            amends,
        };
        let (submission_id, hash, ev) = match kind {
            ChangeKind::Revocation => revoked_figures(tx, Some(&change), &code)?,
            ChangeKind::Amendment => proposal_figures(tx, id, year)?,
        };
        let d = insert_proposal(tx, actor, id, year, submission_id, &hash, &ev, Some(&change))?;
        let detail = serde_json::json!({ "decision": d.id, "amends": amends, "reason": reason,
            "total_yuan": ev.total_yuan.map(crate::money::format_yuan), "guide": hash });
        Ok((d, detail))
    })
}

/// Approve a proposed decision. The approver must not be the proposer; the
/// figures are frozen from here on.
pub fn approve(store: &mut Store, approver: &dyn Identity, credit_code: &str) -> Result<Decision> {
    let actor = Actor::new(approver.name());
    approve_as(store, &actor, approver, credit_code)
}

/// Approve as `actor` (a person's signed actor, or a name): four-eyes
/// compares certificates when both sides acted with one (`same_person`),
/// names otherwise; on a store with a roster the approver needs the
/// approver role (`not_allowed`). The approval's audit entry holds the hash
/// of the frozen figures.
pub fn approve_as(
    store: &mut Store,
    actor: &Actor,
    approver: &dyn Identity,
    credit_code: &str,
) -> Result<Decision> {
    let code = credit_code.trim().to_ascii_uppercase();
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Approver)?;
    let (id, year) = applicant(store.conn(), &code)?;
    let name = approver.name();
    store.change(actor, "decision.approve", &code, |tx| {
        let d = decision_of(tx, id, year)?.ok_or_else(|| {
            EngineError::Invalid(format!("{code} 尚无待审批的决定 / {code} has no proposed decision"))
        })?;
        if d.state != DecisionState::Proposed {
            return Err(EngineError::Invalid(format!(
                "该决定的状态是「{}」，只能审批「proposed」的决定 / only a proposed decision can be approved (this one is {})",
                d.state, d.state
            )));
        }
        let same = match (d.proposer_fp.as_deref(), actor.fingerprint()) {
            (Some(p), Some(a)) => p == a,
            _ => person_key(&d.proposed_by) == person_key(&name),
        };
        if same {
            return Err(EngineError::coded(
                "same_person",
                format!("提出人 {name} 不能审批自己的提议：需要另一位审批人（另一张证书）"),
                format!("{name} proposed this decision and cannot approve it: another person (another certificate) must"),
            ));
        }
        tx.execute(
            "UPDATE decisions SET state = ?5, approved_by = ?2, approved_at = ?3, approver_id = ?4 WHERE id = ?1",
            params![d.id, name, now(), approver.credential_id(), DecisionState::Approved],
        )?;
        let d = decision_of(tx, id, year)?
            .ok_or_else(|| EngineError::Store("decision vanished".into()))?;
        let figures = serde_json::to_string(&d.figures)
            .map_err(|e| EngineError::Store(format!("serialise: {e}")))?;
        let figures_sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(figures.as_bytes()));
        let detail = serde_json::json!({ "decision": d.id, "credential": approver.credential_id(),
            "figures_sha256": figures_sha256, "proposer": d.proposed_by, "proposer_fp": d.proposer_fp });
        Ok((d, detail))
    })
}

/// Return a proposed decision to the reviewer with a comment.
pub fn return_decision(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    comment: &str,
) -> Result<Decision> {
    let code = credit_code.trim().to_ascii_uppercase();
    if comment.trim().is_empty() {
        return Err(EngineError::Invalid(
            "退回时请写明意见 / a return needs a comment".into(),
        ));
    }
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Approver)?;
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "decision.return", &code, |tx| {
        let d = decision_of(tx, id, year)?.ok_or_else(|| {
            EngineError::Invalid(format!(
                "{code} 尚无待审批的决定 / {code} has no proposed decision"
            ))
        })?;
        if d.state != DecisionState::Proposed {
            return Err(EngineError::Invalid(format!(
                "只能退回待审批的决定（当前：{}）/ only a proposed decision can be returned",
                d.state
            )));
        }
        tx.execute(
            "UPDATE decisions SET state = ?3, comment = ?2 WHERE id = ?1",
            params![d.id, comment, DecisionState::Returned],
        )?;
        let d = decision_of(tx, id, year)?
            .ok_or_else(|| EngineError::Store("decision vanished".into()))?;
        Ok((d, serde_json::json!({ "comment": comment })))
    })
}

#[cfg(test)]
mod person_tests {
    use super::person_key;

    #[test]
    fn a_test_certificate_or_spacing_does_not_make_another_person() {
        let k = person_key("张审核");
        assert_eq!(person_key("测试签章（TEST ONLY）张审核"), k);
        assert_eq!(person_key(" 张 审核\u{3000}"), k);
        assert_eq!(person_key("Ｌｉ Shen"), person_key("li shen"));
        assert_ne!(person_key("李审批"), k);
    }
}
