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
                    d.approved_by, d.approved_at, d.comment, d.figures, d.proposer_fp, d.approver_id
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
                ))
            },
        )
        .optional()?;
    let Some(r) = row else { return Ok(None) };
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
    if frozen_figures(conn, applicant_id, year)?.is_some() {
        return Err(EngineError::Invalid(
            "该申报的决定已审批，数据已冻结 / the decision is approved; its figures are frozen"
                .into(),
        ));
    }
    Ok(())
}
