//! Read models for the CLI and the app: the application list and one
//! application's stored values, each with its raw text and source cell.
//! Shapes follow the CLI contract (spec/cli.md); the app shows the same.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::intake::extract::{Extraction, FieldValue, Issue};
use crate::store::{audit, AuditEntry, Store};

/// One row of the application list: the latest version of an applicant's
/// workbook in a round.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicationRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub submission_id: i64,
    pub credit_code: Option<String>,
    pub applicant: Option<String>,
    pub round: Option<i32>,
    #[cfg_attr(feature = "ts", ts(type = "\"ok\" | \"needs_correction\""))]
    pub status: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub version: i64,
    pub file_name: String,
    pub imported_at: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub error_count: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub warning_count: i64,
    pub clauses: Vec<String>,
    pub district: Option<String>,
    /// Where the application stands in the review: `needs_correction`,
    /// `imported` (not scored in this version), `ineligible` (no project
    /// eligible), `awaiting_panel`, `scored`, then the latest decision's
    /// `proposed`, `returned`, `approved`, `issued`.
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "\"needs_correction\" | \"imported\" | \"ineligible\" | \"awaiting_panel\" | \"scored\" | \"proposed\" | \"returned\" | \"approved\" | \"issued\""
        )
    )]
    pub stage: String,
    /// The award: the decision's figures once proposed, else the stored
    /// evaluation's total; none while unknown.
    pub award_yuan: Option<String>,
}

/// A stored value: normalised value, the original text, the source cell.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShownValue {
    #[cfg_attr(feature = "ts", ts(type = "string | number | boolean"))]
    pub value: serde_json::Value,
    pub raw: String,
    pub cell: String,
}

/// One project of an application.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShownProject {
    pub clause: String,
    pub name: String,
    pub fields: BTreeMap<String, ShownValue>,
}

/// One application as `reviewdesk show` prints it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicationDetail {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub submission_id: i64,
    pub credit_code: Option<String>,
    pub applicant: Option<String>,
    pub round: Option<i32>,
    #[cfg_attr(feature = "ts", ts(type = "\"ok\" | \"needs_correction\""))]
    pub status: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub version: i64,
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub versions: Vec<i64>,
    pub file_name: String,
    pub file_hash: String,
    pub imported_at: String,
    pub imported_by: String,
    pub fields: BTreeMap<String, ShownValue>,
    pub projects: Vec<ShownProject>,
    pub other_support: Vec<BTreeMap<String, ShownValue>>,
    pub issues: Vec<Issue>,
    pub history: Vec<AuditEntry>,
}

/// Latest version per applicant and round, newest import first. A
/// provisional workbook linked to a credit code is part of that applicant's
/// history (its version 0), not a row of its own, as in the round overview.
pub fn list_applications(store: &Store) -> Result<Vec<ApplicationRow>> {
    let mut stmt = store.conn().prepare(
        "SELECT s.id, a.credit_code, s.applicant_name, s.round_year, s.status, s.version,
                s.file_name, s.imported_at, s.error_count, s.warning_count, s.clauses, s.district,
                d.state, json_extract(d.figures, '$.total_yuan'),
                e.applicant_id IS NOT NULL, json_extract(e.result, '$.total_yuan'),
                (SELECT COUNT(*) FROM json_each(e.result, '$.projects')
                  WHERE json_extract(value, '$.eligible'))
         FROM submissions s JOIN applicants a ON a.id = s.applicant_id
         LEFT JOIN decisions d ON d.id = (SELECT MAX(id) FROM decisions x
              WHERE x.applicant_id = s.applicant_id AND x.round_year IS s.round_year)
         LEFT JOIN evaluations e ON e.applicant_id = s.applicant_id
              AND e.round_year IS s.round_year AND e.submission_id = s.id
         WHERE a.linked_to IS NULL
           AND s.version = (SELECT MAX(version) FROM submissions t
                            WHERE t.applicant_id = s.applicant_id AND t.round_year IS s.round_year)
         ORDER BY s.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        let clauses: String = r.get(10)?;
        let status: String = r.get(4)?;
        let decided: Option<String> = r.get(12)?;
        let decided_total: Option<String> = r.get(13)?;
        let scored: bool = r.get(14)?;
        let total: Option<String> = r.get(15)?;
        let eligible: i64 = r.get(16)?;
        let (stage, award_yuan) = match (status.as_str(), decided) {
            ("needs_correction", _) => ("needs_correction".to_string(), None),
            (_, Some(state)) => (state, decided_total),
            _ if !scored => ("imported".to_string(), None),
            _ if eligible == 0 => ("ineligible".to_string(), None),
            _ if total.is_none() => ("awaiting_panel".to_string(), None),
            _ => ("scored".to_string(), total),
        };
        Ok(ApplicationRow {
            submission_id: r.get(0)?,
            credit_code: r.get(1)?,
            applicant: r.get(2)?,
            round: r.get(3)?,
            status,
            version: r.get(5)?,
            file_name: r.get(6)?,
            imported_at: r.get(7)?,
            error_count: r.get(8)?,
            warning_count: r.get(9)?,
            clauses: serde_json::from_str(&clauses).unwrap_or_default(),
            district: r.get(11)?,
            stage,
            award_yuan,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The latest submission of the applicant with this credit code.
pub fn latest_submission_id(store: &Store, credit_code: &str) -> Result<i64> {
    let code = credit_code.trim().to_ascii_uppercase();
    store
        .conn()
        .query_row(
            "SELECT s.id FROM submissions s JOIN applicants a ON a.id = s.applicant_id
             WHERE a.credit_code = ?1 ORDER BY s.round_year DESC, s.version DESC LIMIT 1",
            [&code],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "没有统一社会信用代码为 {code} 的申报单位 / no applicant with credit code {code}"
            ))
        })
}

fn shown(fields: &[FieldValue]) -> BTreeMap<String, ShownValue> {
    fields
        .iter()
        .map(|f| {
            (
                f.key.clone(),
                ShownValue {
                    value: f.value.display_json(),
                    raw: f.raw.clone(),
                    cell: f.cell.clone(),
                },
            )
        })
        .collect()
}

/// Load the stored extraction of a submission.
pub fn load_extraction(store: &Store, submission_id: i64) -> Result<Extraction> {
    let json: String = store
        .conn()
        .query_row(
            "SELECT extraction FROM submissions WHERE id = ?1",
            [submission_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "申报记录 {submission_id} 不存在 / no submission {submission_id}"
            ))
        })?;
    serde_json::from_str(&json).map_err(|e| {
        EngineError::Store(format!(
            "申报记录 {submission_id} 的数据无法解读 / stored submission {submission_id} is unreadable: {e}"
        ))
    })
}

/// One application by submission id.
pub fn show_application(store: &Store, submission_id: i64) -> Result<ApplicationDetail> {
    let row = store
        .conn()
        .query_row(
            "SELECT s.id, a.credit_code, s.applicant_name, s.round_year, s.status, s.version,
                    s.file_name, s.file_hash, s.imported_at, s.imported_by, s.applicant_id,
                    a.provisional_key
             FROM submissions s JOIN applicants a ON a.id = s.applicant_id WHERE s.id = ?1",
            [submission_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i32>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, i64>(10)?,
                    r.get::<_, Option<String>>(11)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "申报记录 {submission_id} 不存在 / no submission {submission_id}"
            ))
        })?;
    let ex = load_extraction(store, submission_id)?;
    let mut vstmt = store.conn().prepare(
        "SELECT version FROM submissions WHERE applicant_id = ?1 AND round_year IS ?2 ORDER BY version",
    )?;
    let versions = vstmt
        .query_map(params![row.10, row.3], |r| r.get(0))?
        .collect::<std::result::Result<Vec<i64>, _>>()?;
    let subject = row.1.clone().or(row.11.clone()).unwrap_or_default();
    Ok(ApplicationDetail {
        submission_id: row.0,
        credit_code: row.1,
        applicant: row.2,
        round: row.3,
        status: row.4,
        version: row.5,
        versions,
        file_name: row.6,
        file_hash: row.7,
        imported_at: row.8,
        imported_by: row.9,
        fields: shown(&ex.fields),
        projects: ex
            .projects
            .iter()
            .map(|p| ShownProject {
                clause: p.clause.as_str().to_string(),
                name: p.name.clone(),
                fields: shown(&p.fields),
            })
            .collect(),
        other_support: ex.other_support.iter().map(|s| shown(&s.fields)).collect(),
        issues: ex.issues,
        history: audit::history(store.conn(), &subject)?,
    })
}

/// One decision in the approvers' queue: the latest decision per applicant
/// (any state), with the applicant's name and latest submission.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionRow {
    pub applicant: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub submission_id: i64,
    pub decision: crate::review::decisions::Decision,
}

/// Every applicant's latest decision, oldest proposal first (the order an
/// approver works through them).
pub fn list_decisions(store: &Store) -> Result<Vec<DecisionRow>> {
    let mut stmt = store.conn().prepare(
        "SELECT a.credit_code, a.name, MIN(d.proposed_at) FROM decisions d
         JOIN applicants a ON a.id = d.applicant_id
         WHERE a.credit_code IS NOT NULL
         GROUP BY a.id ORDER BY MIN(d.proposed_at), a.id",
    )?;
    let codes = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (code, applicant) in codes {
        if let Some(decision) = crate::review::decisions::decision(store, &code)? {
            out.push(DecisionRow {
                applicant,
                submission_id: latest_submission_id(store, &code)?,
                decision,
            });
        }
    }
    Ok(out)
}

/// One row of the letter register (发文登记簿).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RegisterRow {
    pub number: String,
    pub year: i32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "\"approval\" | \"refusal\" | \"correction\" | \"amendment\" | \"revocation\" | \"notice\""
        )
    )]
    pub kind: String,
    pub credit_code: Option<String>,
    pub applicant: Option<String>,
    /// The letter's title as issued (关于给予……“项目”……的决定): it names the
    /// project(s) the letter decides.
    pub title: Option<String>,
    /// The workbook version the letter answers (a correction notice's
    /// submission, a decision's evaluated submission).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub submission_id: Option<i64>,
    /// Exact yuan as stored ("650000.00"); none for a correction notice.
    pub amount_yuan: Option<String>,
    pub sha256: String,
    pub signer: String,
    pub issued_at: String,
    pub voided: bool,
}

/// The register, newest number first.
pub fn list_register(store: &Store) -> Result<Vec<RegisterRow>> {
    let mut stmt = store.conn().prepare(
        "SELECT r.number, r.year, r.seq, r.kind, r.credit_code, a.name, r.amount_yuan,
                r.letter_hash, r.signer, r.issued_at, r.voided_at IS NOT NULL, r.submission_id,
                json_extract(r.content, '$.title')
         FROM register r LEFT JOIN applicants a ON a.id = r.applicant_id
         ORDER BY r.year DESC, r.seq DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RegisterRow {
            number: r.get(0)?,
            year: r.get(1)?,
            seq: r.get(2)?,
            kind: r.get(3)?,
            credit_code: r.get(4)?,
            applicant: r.get(5)?,
            title: r.get(12)?,
            submission_id: r.get(11)?,
            amount_yuan: r.get(6)?,
            sha256: r.get(7)?,
            signer: r.get(8)?,
            issued_at: r.get(9)?,
            voided: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The signed PDF of a registered letter, exactly as issued (kept in the
/// store, so a deleted or changed copy on disk can be written again).
pub fn letter_pdf(store: &Store, number: &str) -> Result<Vec<u8>> {
    store
        .conn()
        .query_row(
            "SELECT b.bytes FROM register r JOIN blobs b ON b.hash = r.letter_hash
             WHERE r.number = ?1",
            [number],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "登记簿中没有文号 {number} / no letter numbered {number} in the register"
            ))
        })
}

/// The round overview lives with the review (`review::overview`); these are
/// the paths the shells have always used.
pub use crate::review::overview::{
    round_overview, Attention, AttentionItem, ProgrammeTarget, RoundOverview, StatusCounts,
    ATTENTION_ITEMS,
};
