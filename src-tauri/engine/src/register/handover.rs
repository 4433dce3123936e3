//! The register moved with the round's home: a hand-over package carries
//! the register's rows and the letters' signed PDFs, and the new home
//! takes them in the hand-over's one transaction, so it shows, verifies
//! (`in_register`), re-prints and amends the letters the old home issued.
//!
//! A row names its applicant by credit code, its decision by that
//! decision's proposal (proposer fingerprint and recorded time) and its
//! workbook by the workbook's hash: the ids of one store mean nothing in
//! another.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{EngineError, Result};

/// One register row as a hand-over carries it, with its letter's bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterRow {
    pub year: i32,
    pub seq: i64,
    pub number: String,
    pub kind: String,
    pub credit_code: Option<String>,
    /// The decision's proposal: `{fp, at}`, or `null`.
    pub decision: serde_json::Value,
    /// The workbook's hash (a correction's submission), or `null`.
    pub submission: Option<String>,
    pub letter_hash: String,
    /// The signed letter's bytes (hex).
    pub letter: String,
    pub signer: String,
    pub amount_yuan: Option<String>,
    pub issued_at: String,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    pub delivered_on: Option<String>,
    pub delivery_method: Option<String>,
    pub voided_by: Option<String>,
    pub content: Option<String>,
    pub replaced_by: Option<String>,
}

/// Every row of this store's register, oldest first, with its letter.
pub fn export_rows(conn: &Connection) -> Result<Vec<RegisterRow>> {
    let mut st = conn.prepare(
        "SELECT r.year, r.seq, r.number, r.kind, r.credit_code, d.proposer_fp, d.proposed_at,
                s.file_hash, r.letter_hash, b.bytes, r.signer, r.amount_yuan, r.issued_at,
                r.voided_at, r.void_reason, r.delivered_on, r.delivery_method, r.voided_by,
                r.content, r.replaced_by
         FROM register r JOIN blobs b ON b.hash = r.letter_hash
         LEFT JOIN decisions d ON d.id = r.decision_id
         LEFT JOIN submissions s ON s.id = r.submission_id
         ORDER BY r.year, r.seq",
    )?;
    let rows = st
        .query_map([], |r| {
            let at: Option<String> = r.get(6)?;
            Ok(RegisterRow {
                year: r.get(0)?,
                seq: r.get(1)?,
                number: r.get(2)?,
                kind: r.get(3)?,
                credit_code: r.get(4)?,
                decision: match at {
                    Some(at) => {
                        serde_json::json!({ "fp": r.get::<_, Option<String>>(5)?, "at": at })
                    }
                    None => serde_json::Value::Null,
                },
                submission: r.get(7)?,
                letter_hash: r.get(8)?,
                letter: hex::encode(r.get::<_, Vec<u8>>(9)?),
                signer: r.get(10)?,
                amount_yuan: r.get(11)?,
                issued_at: r.get(12)?,
                voided_at: r.get(13)?,
                void_reason: r.get(14)?,
                delivered_on: r.get(15)?,
                delivery_method: r.get(16)?,
                voided_by: r.get(17)?,
                content: r.get(18)?,
                replaced_by: r.get(19)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Takes the old home's register rows and letters into this store, inside
/// the caller's transaction. A number already here is kept as it is; a
/// letter whose bytes are not its hash stops the whole hand-over.
pub fn apply_rows(tx: &Connection, rows: &[RegisterRow]) -> Result<usize> {
    let mut taken = 0;
    for row in rows {
        let bytes = hex::decode(&row.letter)
            .ok()
            .filter(|b| hex::encode(Sha256::digest(b)) == row.letter_hash);
        let Some(bytes) = bytes else {
            return Err(EngineError::coded(
                "package_tampered",
                format!("交接包中 {} 的文书与其哈希不符，未作任何更改", row.number),
                format!(
                    "the hand-over's letter {} does not match its hash: nothing was changed",
                    row.number
                ),
            ));
        };
        crate::store::put_blob_hashed(tx, &row.letter_hash, &bytes)?;
        let applicant: Option<i64> = match &row.credit_code {
            Some(code) => tx
                .query_row(
                    "SELECT id FROM applicants WHERE credit_code = ?1",
                    [code],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        };
        let decision: Option<i64> = match (applicant, row.decision["at"].as_str()) {
            (Some(a), Some(at)) => tx
                .query_row(
                    "SELECT id FROM decisions WHERE applicant_id = ?1 AND proposer_fp IS ?2 AND proposed_at = ?3
                     ORDER BY id DESC LIMIT 1",
                    params![a, row.decision["fp"].as_str(), at],
                    |r| r.get(0),
                )
                .optional()?,
            _ => None,
        };
        let submission: Option<i64> = match &row.submission {
            Some(h) => tx
                .query_row(
                    "SELECT id FROM submissions WHERE file_hash = ?1 ORDER BY id DESC LIMIT 1",
                    [h],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        };
        taken += tx.execute(
            "INSERT INTO register(year, seq, number, kind, applicant_id, credit_code, decision_id,
               submission_id, letter_hash, signer, amount_yuan, issued_at, voided_at, void_reason,
               delivered_on, delivery_method, voided_by, content, replaced_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
             ON CONFLICT DO NOTHING",
            params![
                row.year,
                row.seq,
                row.number,
                row.kind,
                applicant,
                row.credit_code,
                decision,
                submission,
                row.letter_hash,
                row.signer,
                row.amount_yuan,
                row.issued_at,
                row.voided_at,
                row.void_reason,
                row.delivered_on,
                row.delivery_method,
                row.voided_by,
                row.content,
                row.replaced_by
            ],
        )?;
    }
    Ok(taken)
}
