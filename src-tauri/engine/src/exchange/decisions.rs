//! Decisions across stores: proposals, approvals and returns travel as
//! their signed acts. A decision is known across stores by its proposal —
//! the proposer's certificate fingerprint and the time the proposal was
//! recorded — since each store numbers its decisions itself.
//!
//! Replayed on the receiving store through the same rows the workflow
//! writes, never over a different change: a proposal that meets another
//! open decision, an approval or return of a proposal that is no longer
//! the current one (returned, proposed again, approved by someone else),
//! or an approval whose signed figures hash is not the figures the
//! receiver holds, is a [`Conflict`] listed and not applied. Four-eyes
//! holds across stores: an approval signed by the proposal's own
//! certificate is refused as a conflict (`same_person`).

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::package::{Act, Conflict};
use crate::error::{EngineError, Result};
use crate::review::DecisionState;
use crate::rules::evaluate::Evaluation;

/// The decision acts a package carries.
pub const DECISION_ACTS: &[&str] = &[
    "decision.propose",
    "decision.approve",
    "decision.return",
    "decision.amend",
    "decision.revoke",
];

/// One decision as a receiver compares it.
struct Row {
    id: i64,
    state: String,
    proposed_by: String,
    proposed_at: String,
    proposer_fp: Option<String>,
    approver_id: Option<String>,
    comment: Option<String>,
    figures: String,
}

fn latest(conn: &Connection, applicant_id: i64, year: i32) -> Result<Option<Row>> {
    Ok(conn
        .query_row(
            "SELECT id, state, proposed_by, proposed_at, proposer_fp, approver_id, comment, figures
             FROM decisions WHERE applicant_id = ?1 AND round_year = ?2 ORDER BY id DESC LIMIT 1",
            params![applicant_id, year],
            |r| {
                Ok(Row {
                    id: r.get(0)?,
                    state: r.get(1)?,
                    proposed_by: r.get(2)?,
                    proposed_at: r.get(3)?,
                    proposer_fp: r.get(4)?,
                    approver_id: r.get(5)?,
                    comment: r.get(6)?,
                    figures: r.get(7)?,
                })
            },
        )
        .optional()?)
}

/// The hash an approval signs: SHA-256 of the figures as the workflow
/// serialises them (`approve_as`).
fn figures_sha256(figures: &str) -> Result<String> {
    let ev: Evaluation = serde_json::from_str(figures)
        .map_err(|e| EngineError::Store(format!("decision figures unreadable: {e}")))?;
    let s =
        serde_json::to_string(&ev).map_err(|e| EngineError::Store(format!("serialise: {e}")))?;
    Ok(hex::encode(Sha256::digest(s.as_bytes())))
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// What an exported decision act needs beside its signed detail (covered
/// by the package's signature): a proposal's figures and recorded time,
/// and for an approval or return the proposal it acts on.
pub(crate) fn extra(conn: &Connection, a: &Act) -> Result<serde_json::Value> {
    let d: serde_json::Value = serde_json::from_str(&a.detail).unwrap_or_default();
    let row: Option<(String, String, Option<String>)> = match a.action.as_str() {
        "decision.propose" | "decision.approve" | "decision.amend" | "decision.revoke" => conn
            .query_row(
                "SELECT figures, proposed_at, proposer_fp FROM decisions WHERE id = ?1",
                [d["decision"].as_i64().unwrap_or(-1)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?,
        // a return names no decision: the one it returned is the latest
        // proposal on the applicant recorded before it, with its comment
        _ => conn
            .query_row(
                "SELECT d.figures, d.proposed_at, d.proposer_fp FROM decisions d
                 JOIN applicants p ON p.id = d.applicant_id
                 WHERE p.credit_code = ?1 AND d.proposed_at <= ?2 AND d.comment IS ?3
                 ORDER BY d.id DESC LIMIT 1",
                params![a.subject, a.at, d["comment"].as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?,
    };
    let Some((figures, at, fp)) = row else {
        return Ok(serde_json::Value::Null);
    };
    let proposal = serde_json::json!({ "fp": fp, "at": at });
    if a.action == "decision.approve" || a.action == "decision.return" {
        return Ok(serde_json::json!({ "proposal": proposal }));
    }
    // a change names the issued decision it changes by that decision's
    // proposal, as every store knows it
    let amends = d["amends"]
        .as_i64()
        .or_else(|| d["change"]["amends"].as_i64());
    let amended: Option<(Option<String>, String)> = match amends {
        Some(id) => conn
            .query_row(
                "SELECT proposer_fp, proposed_at FROM decisions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    let amends = amended.map(|(fp, at)| serde_json::json!({ "fp": fp, "at": at }));
    Ok(serde_json::json!({ "proposal": proposal, "figures": figures, "amends": amends }))
}

/// The change a replayed act proposes: an amendment or a revocation and
/// its reason (`decide amend` / `decide revoke`, or `decide propose` after
/// a returned change, whose detail carries the change).
fn change_of(a: &Act, d: &serde_json::Value) -> Option<(&'static str, String)> {
    let reason = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    match a.action.as_str() {
        "decision.amend" => Some(("amendment", reason(&d["reason"]))),
        "decision.revoke" => Some(("revocation", reason(&d["reason"]))),
        _ if !d["change"].is_null() => {
            let kind = if d["change"]["kind"].as_str() == Some("revocation") {
                "revocation"
            } else {
                "amendment"
            };
            Some((kind, reason(&d["change"]["reason"])))
        }
        _ => None,
    }
}

/// The decision a store holds under a proposal's identity (fingerprint and
/// recorded time): `(id, state, submission)`.
fn held(
    tx: &Connection,
    id: i64,
    year: i32,
    who: &serde_json::Value,
) -> Result<Option<(i64, String, i64)>> {
    let at = who["at"].as_str().unwrap_or_default();
    if at.is_empty() {
        return Ok(None);
    }
    Ok(tx
        .query_row(
            "SELECT id, state, submission_id FROM decisions WHERE applicant_id = ?1 AND round_year = ?2
               AND proposer_fp IS ?3 AND proposed_at = ?4 ORDER BY id DESC LIMIT 1",
            params![id, year, who["fp"].as_str(), at],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

fn describe(r: &Row) -> Result<String> {
    Ok(format!(
        "{}：{} 于 {} 提出（数字 {}）/ {} proposed by {} at {} (figures {})",
        r.state,
        r.proposed_by,
        r.proposed_at,
        short(&figures_sha256(&r.figures)?),
        r.state,
        r.proposed_by,
        r.proposed_at,
        short(&figures_sha256(&r.figures)?),
    ))
}

/// Replays one decision act on applicant `id` in round `year`, or the
/// conflict that stops it.
pub(crate) fn replay(
    tx: &Connection,
    a: &Act,
    id: i64,
    year: i32,
    d: &serde_json::Value,
) -> Result<Option<Conflict>> {
    let ours = latest(tx, id, year)?;
    let want_fp = a.extra["proposal"]["fp"].as_str().map(str::to_string);
    let want_at = a.extra["proposal"]["at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let same_proposal =
        |r: &Row| r.proposer_fp == want_fp && r.proposed_at == want_at && !want_at.is_empty();
    let conflict = |what: &str, ours: String, theirs: String| -> Result<Option<Conflict>> {
        Ok(Some(Conflict {
            what: format!("{what} {}", a.subject),
            ours,
            theirs,
        }))
    };
    match a.action.as_str() {
        "decision.propose" | "decision.amend" | "decision.revoke" => {
            let theirs = format!(
                "{} 于 {} 提出 / proposed by {} at {}",
                a.actor, want_at, a.actor, want_at
            );
            let change = change_of(a, d);
            let figures = a.extra["figures"].as_str().unwrap_or_default();
            let ev: Option<Evaluation> = serde_json::from_str(figures).ok();
            let total = ev
                .as_ref()
                .and_then(|e| e.total_yuan)
                .map(crate::money::format_yuan);
            if ev.is_none() || total.as_deref() != d["total_yuan"].as_str() {
                return conflict(
                    "提议 / proposal",
                    "—".into(),
                    format!("{theirs}：数字与签名的总额不符 / the figures do not match the signed total"),
                );
            }
            if let Some(r) = &ours {
                if same_proposal(r) {
                    return Ok(None);
                }
            }
            // a change: the decision it changes must be here, issued and
            // in force, with no other change open on it
            let mut amends = None;
            let mut submission = None;
            if let Some((kind, _)) = &change {
                let what = "变更提议 / proposed change";
                let Some((old, state, old_sub)) = held(tx, id, year, &a.extra["amends"])? else {
                    return conflict(
                        what,
                        "本库没有所变更的已出具决定 / this store does not hold the changed decision as issued".into(),
                        theirs,
                    );
                };
                if state != DecisionState::Issued.to_string() {
                    return conflict(
                        what,
                        format!("所变更的决定在本库是「{state}」，不是已出具 / the changed decision is {state} here, not issued"),
                        theirs,
                    );
                }
                if let Some(r) = &ours {
                    let open = r.state == DecisionState::Proposed.to_string()
                        || r.state == DecisionState::Approved.to_string();
                    let again: Option<(String, i64)> = tx
                        .query_row(
                            "SELECT change_kind, amends FROM decisions WHERE id = ?1 AND change_kind IS NOT NULL",
                            [r.id],
                            |x| Ok((x.get(0)?, x.get(1)?)),
                        )
                        .optional()?;
                    let same_change = again.as_ref().is_some_and(|(k, o)| k == kind && *o == old);
                    if open
                        && !(same_change
                            && r.state == DecisionState::Proposed.to_string()
                            && r.proposer_fp.as_deref() == Some(a.fingerprint.as_str()))
                    {
                        return conflict(
                            "变更遇到另一项未决的变更 / change meets another open change",
                            describe(r)?,
                            theirs,
                        );
                    }
                    if open {
                        // the proposer's change again, with the figures as
                        // they are now (as `propose_change` does)
                        tx.execute(
                            "DELETE FROM decisions WHERE id = ?1 AND state = 'proposed'",
                            [r.id],
                        )?;
                    } else if r.id != old && r.state != DecisionState::Returned.to_string() {
                        return conflict(
                            what,
                            format!("所变更的决定已不是现行决定：{}", describe(r)?),
                            theirs,
                        );
                    }
                }
                amends = Some(old);
                if *kind == "revocation" {
                    submission = Some(old_sub);
                }
            } else if let Some(r) = &ours {
                if r.state != DecisionState::Returned.to_string() {
                    return conflict("提议 / proposal", describe(r)?, theirs);
                }
            }
            // A proposal made under a guide version this store does not hold
            // (the round's guide was replaced since) cannot be recorded here.
            let guide = d["guide"].as_str().unwrap_or_default();
            let known: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM guides WHERE hash = ?1)",
                [guide],
                |r| r.get(0),
            )?;
            if !known {
                return conflict(
                    "提议 / proposal",
                    "本库没有该提议所依据的指南版本 / this store does not hold the guide version the proposal was made under".into(),
                    format!("{theirs}：指南 / guide {}", short(guide)),
                );
            }
            let submission: i64 = match submission {
                Some(s) => s,
                None => tx.query_row(
                    "SELECT id FROM submissions WHERE applicant_id = ?1 AND round_year = ?2 ORDER BY id DESC LIMIT 1",
                    params![id, year],
                    |r| r.get(0),
                )?,
            };
            let (kind, reason) = change.unzip();
            tx.execute(
                "INSERT INTO decisions(applicant_id, round_year, submission_id, guide_hash, state, figures,
                   proposed_by, proposed_at, proposer_fp, amends, change_kind, change_reason)
                 VALUES (?1, ?2, ?3, ?4, 'proposed', ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![id, year, submission, d["guide"].as_str().unwrap_or_default(), figures, a.actor, want_at, a.fingerprint,
                    amends, kind, reason],
            )?;
            Ok(None)
        }
        "decision.approve" | "decision.return" => {
            let approve = a.action == "decision.approve";
            let (what, verb) = if approve {
                ("审批 / approval", "审批 / approved")
            } else {
                ("退回 / return", "退回 / returned")
            };
            let signed = d["figures_sha256"].as_str().unwrap_or_default();
            let theirs = if approve {
                format!(
                    "{} {verb} {} 的提议（数字 {}）/ {} approved the proposal of {} (figures {})",
                    a.actor,
                    want_at,
                    short(signed),
                    a.actor,
                    want_at,
                    short(signed)
                )
            } else {
                format!(
                    "{} {verb} {} 的提议：{} / {} returned the proposal of {}",
                    a.actor,
                    want_at,
                    d["comment"].as_str().unwrap_or_default(),
                    a.actor,
                    want_at
                )
            };
            let Some(r) = ours else {
                return conflict(what, "没有决定 / no decision".into(), theirs);
            };
            let credential = format!("cert-sha256:{}", a.fingerprint);
            if same_proposal(&r) {
                // already here (the act came back, or another copy of it)
                if approve
                    && r.state == "approved"
                    && r.approver_id.as_deref() == Some(credential.as_str())
                {
                    return Ok(None);
                }
                if !approve
                    && r.state == "returned"
                    && r.comment.as_deref() == d["comment"].as_str()
                {
                    return Ok(None);
                }
            }
            if !same_proposal(&r) || r.state != DecisionState::Proposed.to_string() {
                return conflict(what, describe(&r)?, theirs);
            }
            if approve {
                if figures_sha256(&r.figures)? != signed {
                    return conflict(
                        "审批的数字已变 / approved figures changed",
                        describe(&r)?,
                        theirs,
                    );
                }
                if r.proposer_fp.as_deref() == Some(a.fingerprint.as_str()) {
                    return conflict("同一人提出并审批 / same_person", describe(&r)?, theirs);
                }
                tx.execute(
                    "UPDATE decisions SET state = 'approved', approved_by = ?2, approved_at = ?3, approver_id = ?4 WHERE id = ?1",
                    params![r.id, a.actor, a.at, credential],
                )?;
            } else {
                tx.execute(
                    "UPDATE decisions SET state = 'returned', comment = ?2 WHERE id = ?1",
                    params![r.id, d["comment"].as_str().unwrap_or_default()],
                )?;
            }
            Ok(None)
        }
        _ => Ok(None),
    }
}
