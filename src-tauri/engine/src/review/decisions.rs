//! Decisions as stored: the latest decision on an applicant in a round,
//! read back with its [`DecisionState`] and its figures (an evaluation,
//! frozen once approved), and the check every reviewer input makes first
//! (nothing changes once the figures are frozen). The workflow that writes
//! decisions (propose, approve, return) is `workflow`; issuing is the
//! register's.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::review::rounds::applicant;
use crate::review::DecisionState;
use crate::rules::evaluate::Evaluation;
use crate::store::Store;

/// The decision on an applicant in a round, if any (latest).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Decision {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub credit_code: String,
    pub round: i32,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"proposed\" | \"approved\" | \"returned\" | \"issued\"")
    )]
    pub state: DecisionState,
    pub proposed_by: String,
    pub proposed_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub comment: Option<String>,
    pub figures: Evaluation,
    /// The proposer's certificate fingerprint (proposed with an identity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub proposer_fp: Option<String>,
    /// The approver's credential (`cert-sha256:<fingerprint>` for an
    /// identity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub approver_id: Option<String>,
    /// An amendment or revocation of an issued decision (变更 / 撤销).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub change: Option<DecisionChange>,
}

/// What kind of change a decision makes to an issued one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ChangeKind {
    /// 变更: a new decision replaces the issued one.
    Amendment,
    /// 撤销: the issued decision is revoked.
    Revocation,
}

impl ChangeKind {
    /// The word stored (`decisions.change_kind`) and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Amendment => "amendment",
            ChangeKind::Revocation => "revocation",
        }
    }
    fn from_stored(word: &str, decision_id: i64) -> Result<Self> {
        match word {
            "amendment" => Ok(ChangeKind::Amendment),
            "revocation" => Ok(ChangeKind::Revocation),
            other => Err(EngineError::Store(format!(
                "决定 {decision_id} 的变更类型「{other}」无法识别 / decision {decision_id} has an unknown change kind '{other}'"
            ))),
        }
    }
}

/// The issued decision a decision changes, how, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionChange {
    pub kind: ChangeKind,
    pub reason: String,
    /// The id of the issued decision it changes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amends: i64,
}

/// The latest decision on an applicant in a round; a state or figures this
/// program cannot read are a store error naming the decision.
pub(crate) fn decision_of(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
) -> Result<Option<Decision>> {
    let row = conn
        .query_row(
            "SELECT d.id, a.credit_code, d.round_year, d.state, d.proposed_by, d.proposed_at,
                    d.approved_by, d.approved_at, d.comment, d.figures, d.proposer_fp, d.approver_id,
                    d.amends, d.change_kind, d.change_reason
             FROM decisions d JOIN applicants a ON a.id = d.applicant_id
             WHERE d.applicant_id = ?1 AND d.round_year = ?2 ORDER BY d.id DESC LIMIT 1",
            params![applicant_id, year],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, Option<String>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    (
                        r.get::<_, Option<i64>>(12)?,
                        r.get::<_, Option<String>>(13)?,
                        r.get::<_, Option<String>>(14)?,
                    ),
                ))
            },
        )
        .optional()?;
    let Some(r) = row else { return Ok(None) };
    let change = match r.12 {
        (Some(amends), Some(kind), reason) => Some(DecisionChange {
            kind: ChangeKind::from_stored(&kind, r.0)?,
            reason: reason.unwrap_or_default(),
            amends,
        }),
        _ => None,
    };
    let state = DecisionState::from_stored(&r.3, r.0)?;
    let figures = serde_json::from_str(&r.9)
        .map_err(|e| EngineError::Store(format!("decision {} unreadable: {e}", r.0)))?;
    Ok(Some(Decision {
        id: r.0,
        credit_code: r.1.unwrap_or_default(),
        round: r.2,
        state,
        proposed_by: r.4,
        proposed_at: r.5,
        approved_by: r.6,
        approved_at: r.7,
        comment: r.8,
        figures,
        proposer_fp: r.10,
        approver_id: r.11,
        change,
    }))
}

/// The decision on an applicant, if any.
pub fn decision(store: &Store, credit_code: &str) -> Result<Option<Decision>> {
    let (id, year) = applicant(store.conn(), credit_code)?;
    decision_of(store.conn(), id, year)
}

/// The frozen figures of the applicant's approved (or issued) decision in
/// the round, if it has one: what every later step reads instead of
/// evaluating again.
pub(crate) fn frozen_figures(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
) -> Result<Option<Evaluation>> {
    Ok(decision_of(conn, applicant_id, year)?
        .filter(|d| d.state.is_frozen())
        .map(|d| d.figures))
}

/// Refuse any change to an applicant whose decision is approved: its
/// figures are frozen.
pub(crate) fn not_frozen(conn: &Connection, applicant_id: i64, year: i32) -> Result<()> {
    match decision_of(conn, applicant_id, year)?.map(|d| d.state) {
        Some(DecisionState::Issued) => Err(EngineError::coded(
            "frozen",
            "该申报的决定书已出具，数据已冻结；如需更正，先提出变更（decide amend CODE --reason …）",
            "the decision's letters are issued and its figures frozen; to correct them, propose an amendment first (decide amend CODE --reason …)",
        )),
        Some(DecisionState::Approved) => Err(EngineError::coded(
            "frozen",
            "该申报的决定已审批，数据已冻结",
            "the decision is approved; its figures are frozen",
        )),
        _ => Ok(()),
    }
}

/// The latest issued decision on an applicant in a round, if any: what an
/// amendment or a revocation changes.
pub(crate) fn latest_issued(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM decisions WHERE applicant_id = ?1 AND round_year = ?2 AND state = 'issued'
             ORDER BY id DESC LIMIT 1",
            params![applicant_id, year],
            |r| r.get(0),
        )
        .optional()?)
}
