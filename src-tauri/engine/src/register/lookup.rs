//! Looking letters up in the register for verification: a letter's entry
//! by the SHA-256 of its signed bytes, and whether the entry agrees with the
//! decision or workbook it was issued from; a trust anchor read from PEM.

use rusqlite::OptionalExtension;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::register::content::supported;
use crate::register::outcome::Outcome;
use crate::review::DecisionState;
use crate::rules::evaluate::Evaluation;
use crate::store::Store;

/// A letter's entry in the register, found by the signed file's hash.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterEntry {
    pub number: String,
    pub kind: String,
    pub credit_code: Option<String>,
    pub signer: String,
    pub issued_at: String,
    pub voided: bool,
    /// The number of the letter that amended or revoked this one (变更 /
    /// 撤销): it is no longer in force.
    pub replaced_by: Option<String>,
}

/// Look a letter up by the SHA-256 of its bytes: present only when this
/// exact file was issued from this store.
pub fn register_entry(store: &Store, sha256: &str) -> Result<Option<RegisterEntry>> {
    Ok(store
        .conn()
        .query_row(
            "SELECT number, kind, credit_code, signer, issued_at, voided_at IS NOT NULL, replaced_by
             FROM register WHERE letter_hash = ?1",
            [sha256],
            |r| {
                Ok(RegisterEntry {
                    number: r.get(0)?,
                    kind: r.get(1)?,
                    credit_code: r.get(2)?,
                    signer: r.get(3)?,
                    issued_at: r.get(4)?,
                    voided: r.get(5)?,
                    replaced_by: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Whether the register entry of the letter with this SHA-256 agrees with
/// what it was issued from: an approval's amount is the frozen award of one
/// project of its issued decision, a refusal's decision has a project it
/// does not support, a
/// correction notice belongs to a workbook that needed correction, and the
/// applicant is the decision's. `None` when the letter is not in the
/// register.
pub fn register_matches_decision(store: &Store, sha256: &str) -> Result<Option<bool>> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let row: Option<Row> = store
        .conn()
        .query_row(
            "SELECT r.kind, r.amount_yuan, r.credit_code, a.credit_code, d.state, d.figures, s.status,
                    r.decision_id
             FROM register r
             LEFT JOIN applicants a ON a.id = r.applicant_id
             LEFT JOIN decisions d ON d.id = r.decision_id
             LEFT JOIN submissions s ON s.id = r.submission_id
             WHERE r.letter_hash = ?1",
            [sha256],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((kind, amount, code, applicant_code, state, figures, status, decision_id)) = row
    else {
        return Ok(None);
    };
    if code != applicant_code {
        return Ok(Some(false));
    }
    if kind == "correction" {
        return Ok(Some(status.as_deref() == Some("needs_correction")));
    }
    if kind == "notice" {
        return crate::operations::notice::is_published(store.conn(), sha256).map(Some);
    }
    if kind == "recovery_notice" || kind == "recovery" {
        return crate::operations::clawback::is_case_letter(store.conn(), sha256).map(Some);
    }
    let (Some(state), Some(figures), Some(decision_id)) = (state, figures, decision_id) else {
        return Ok(Some(false));
    };
    let state = DecisionState::from_stored(&state, decision_id)?;
    let Ok(ev) = serde_json::from_str::<Evaluation>(&figures) else {
        return Ok(Some(false));
    };
    let amount: Option<Decimal> = amount.and_then(|a| a.parse().ok());
    let supported = supported(&ev);
    let agrees = match kind.as_str() {
        "approval" => supported.iter().any(|p| p.award_yuan == amount),
        // a refusal decides the projects no approval does
        "refusal" => {
            amount.is_none_or(|a| a.is_zero())
                && ev
                    .projects
                    .iter()
                    .any(|p| !matches!(Outcome::of(p), Outcome::Approved | Outcome::Superseded))
        }
        // a change's one letter: the new decision's total, or nothing
        "amendment" => ev.total_yuan == amount,
        "revocation" => amount.is_none_or(|a| a.is_zero()),
        _ => false,
    };
    Ok(Some(state == DecisionState::Issued && agrees))
}

/// A trust anchor (CA certificate) from PEM text, for `verify --ca`.
pub fn trust_anchor_from_pem(pem: &str) -> Result<x509_cert::Certificate> {
    use der::DecodePem;
    x509_cert::Certificate::from_pem(pem.as_bytes()).map_err(|e| {
        EngineError::Invalid(format!("不是 PEM 格式的证书 / not a PEM certificate: {e}"))
    })
}
