//! Performance evaluation (绩效评价): a simple record per supported project
//! a year on — target met or not, the evidence (kept as a blob, its hash
//! recorded), a note — by a reviewer, audited under the applicant's credit
//! code so it stands in the applicant's history (`show`).

use rusqlite::{params, Connection};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::review::decisions::decision_of;
use crate::review::rounds::applicant;
use crate::review::DecisionState;
use crate::store::{now, Actor, Store};

/// One recorded evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct PerformanceRecord {
    pub id: i64,
    pub round: i32,
    pub credit_code: String,
    pub project: String,
    /// The performance target was met (yes) or not (no).
    pub met: bool,
    pub evidence_name: String,
    pub evidence_sha256: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// What a reviewer records.
pub struct PerformanceInput<'a> {
    pub round: i32,
    pub credit_code: &'a str,
    pub project: &'a str,
    pub met: bool,
    /// The evidence file's name and bytes.
    pub evidence: (&'a str, &'a [u8]),
    pub note: &'a str,
}

/// `yes` / `no` (是 / 否).
pub fn parse_met(s: &str) -> Result<bool> {
    match s.trim() {
        "yes" | "是" | "达标" => Ok(true),
        "no" | "否" | "未达标" => Ok(false),
        other => Err(EngineError::coded(
            "invalid",
            format!("绩效目标是否达成“{other}”无效：应为 yes 或 no"),
            format!("--met '{other}' is not yes or no"),
        )),
    }
}

/// Record a performance evaluation of a project the applicant's issued
/// decision supports in the round (a reviewer).
pub fn record(
    store: &mut Store,
    actor: &Actor,
    p: &PerformanceInput<'_>,
) -> Result<PerformanceRecord> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    if p.note.trim().is_empty() {
        return Err(EngineError::coded(
            "invalid",
            "评价说明不能为空（--note）",
            "the note is required (--note)",
        ));
    }
    let code = p.credit_code.trim().to_ascii_uppercase();
    let (applicant_id, _) = applicant(store.conn(), &code)?;
    let d = decision_of(store.conn(), applicant_id, p.round)?
        .filter(|d| d.state == DecisionState::Issued)
        .ok_or_else(|| {
            EngineError::coded(
                "no_decision",
                format!("{code} 在{}年度没有已出具的决定", p.round),
                format!("{code} has no issued decision in the {} round", p.round),
            )
        })?;
    let supported: Vec<&str> = d
        .figures
        .projects
        .iter()
        .filter(|x| x.award_yuan.is_some_and(|a| a > Decimal::ZERO))
        .map(|x| x.name.as_str())
        .collect();
    let project = p.project.trim();
    if !supported.contains(&project) {
        return Err(EngineError::coded(
            "invalid",
            format!(
                "{code} 没有获扶持的项目“{project}”（获扶持的：{}）",
                supported.join("、")
            ),
            format!(
                "{code} has no supported project named '{project}' (supported: {})",
                supported.join(", ")
            ),
        ));
    }
    let note = p.note.trim().to_string();
    let id = store.change(actor, "performance.record", &code, |tx| {
        let sha = crate::store::put_blob(tx, p.evidence.1)?;
        tx.execute(
            "INSERT INTO performance_evaluations(round_year, applicant_id, credit_code, project, met,
               evidence_hash, evidence_name, note, recorded_by, recorded_fp, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![p.round, applicant_id, code, project, p.met, sha, p.evidence.0, note,
                actor.0, actor.fingerprint(), now()],
        )?;
        let id = tx.last_insert_rowid();
        Ok((id, serde_json::json!({ "evaluation": id, "round": p.round, "project": project,
            "met": p.met, "evidence": { "name": p.evidence.0, "sha256": sha }, "note": note })))
    })?;
    let all = list(store.conn(), p.round)?;
    all.into_iter().find(|r| r.id == id).ok_or_else(|| {
        EngineError::Store(format!(
            "performance evaluation {id} not found after insert"
        ))
    })
}

/// Every performance evaluation of the round, in the order recorded.
pub fn list(conn: &Connection, year: i32) -> Result<Vec<PerformanceRecord>> {
    let mut st = conn.prepare(
        "SELECT id, round_year, credit_code, project, met, evidence_name, evidence_hash, note,
                recorded_by, recorded_at
         FROM performance_evaluations WHERE round_year = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([year], |r| {
        Ok(PerformanceRecord {
            id: r.get(0)?,
            round: r.get(1)?,
            credit_code: r.get(2)?,
            project: r.get(3)?,
            met: r.get(4)?,
            evidence_name: r.get(5)?,
            evidence_sha256: r.get(6)?,
            note: r.get(7)?,
            recorded_by: r.get(8)?,
            recorded_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
