//! The two-person decision workflow: a reviewer proposes (the current
//! evaluation, under the pro-rata rule reduced to the budget, becomes the
//! proposal), another identity approves (the figures are frozen from then
//! on) or returns it with a comment. Who approves is an [`Identity`]: a
//! person's certificate (`people::Identity`) everywhere an act counts;
//! four-eyes compares fingerprints, and only where an older decision was
//! made under a typed name does [`person_key`] compare the recorded names.

use rusqlite::params;

use crate::error::{EngineError, Result};
use crate::review::decisions::{decision_of, Decision};
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

/// Propose the decision: the current evaluation becomes the proposal.
pub fn propose(store: &mut Store, actor: &Actor, credit_code: &str) -> Result<Decision> {
    let code = credit_code.trim().to_ascii_uppercase();
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "decision.propose", &code, |tx| {
        if let Some(d) = decision_of(tx, id, year)? {
            if d.state != DecisionState::Returned {
                return Err(EngineError::Invalid(format!(
                    "{code} 已有状态为「{}」的决定 / {code} already has a {} decision",
                    d.state, d.state
                )));
            }
        }
        let (submission_id, hash, ev) = compute(tx, id, year, true)?;
        if ev.projects.iter().any(|p| p.award_yuan.is_none()) {
            return Err(EngineError::Invalid(
                "仍有项目待专家评分，不能提交决定 / some projects still await panel scores".into(),
            ));
        }
        let json = serde_json::to_string(&ev)
            .map_err(|e| EngineError::Store(format!("serialise: {e}")))?;
        tx.execute(
            "INSERT INTO decisions(applicant_id, round_year, submission_id, guide_hash, state, figures,
               proposed_by, proposed_at, proposer_fp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                year,
                submission_id,
                hash,
                DecisionState::Proposed,
                json,
                actor.0,
                now(),
                actor.fingerprint()
            ],
        )?;
        let d = decision_of(tx, id, year)?
            .ok_or_else(|| EngineError::Store("decision vanished".into()))?;
        let detail = serde_json::json!({ "decision": d.id, "total_yuan": ev.total_yuan.map(crate::money::format_yuan), "guide": hash });
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
