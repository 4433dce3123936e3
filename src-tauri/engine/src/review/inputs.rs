//! The reviewers' inputs to an evaluation: panel scores (a reviewer with a
//! declared conflict of interest is refused, and the refusal is audited),
//! conflicts, certified values (核定值, with a reason and optional evidence)
//! and overrules of failed eligibility rules (with a written reason). Each
//! is recorded through `Store::change` with its audit entry and refused once
//! the decision is approved; `gather_round` reads them back for evaluating.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;

use crate::error::{EngineError, Result};
use crate::guide::{Clause, Guide};
use crate::intake::extract::Extraction;
use crate::review::decisions::not_frozen;
use crate::review::rounds::{applicant, ensure_round, latest_submission};
use crate::rules::evaluate::{
    evaluate, same_key, Certified, Evaluation, Inputs, Overrule, PanelScore, RoundLists,
};
use crate::store::{now, Actor, Store};

fn parse_clause(s: &str) -> Result<Clause> {
    Clause::ALL
        .into_iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            EngineError::Invalid(format!(
                "条款应为 C1、C2a、C2b、C3 或 C4，而不是「{s}」/ clause must be C1, C2a, C2b, C3 or C4, not '{s}'"
            ))
        })
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

/// One applicant's reviewer inputs, as `evaluate` takes them.
#[derive(Default)]
pub(super) struct Gathered {
    pub(super) certified: Vec<Certified>,
    pub(super) panel: Vec<PanelScore>,
    pub(super) overrules: Vec<Overrule>,
    /// Projects with an approved C1 award in an earlier round (C1 is one-time).
    pub(super) earlier_c1: Vec<String>,
}

impl Gathered {
    /// The pure evaluation of `extraction` (received on `received`, when
    /// recorded) with these inputs.
    pub(super) fn evaluate(
        &self,
        guide: &Guide,
        guide_hash: &str,
        extraction: &Extraction,
        received: Option<chrono::NaiveDate>,
        lists: &RoundLists,
    ) -> Evaluation {
        evaluate(&Inputs {
            guide,
            guide_hash,
            extraction,
            certified: &self.certified,
            panel: &self.panel,
            overrules: &self.overrules,
            earlier_c1: &self.earlier_c1,
            received,
            lists,
        })
    }
}

/// The reviewers' inputs of one applicant (`Some(id)`) or of every applicant
/// of the round (`None`, one query per kind for a whole re-score), by
/// applicant id.
pub(super) fn gather_round(
    conn: &Connection,
    year: i32,
    applicant: Option<i64>,
) -> Result<HashMap<i64, Gathered>> {
    let mut out: HashMap<i64, Gathered> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT applicant_id, clause, project, field, value, reason, by FROM certified_values
         WHERE round_year = ?1 AND (?2 IS NULL OR applicant_id = ?2) ORDER BY id",
    )?;
    let rows = st.query_map(params![year, applicant], |r| {
        let clause: Option<String> = r.get(1)?;
        Ok((
            r.get::<_, i64>(0)?,
            Certified {
                clause: clause.and_then(|c| parse_clause(&c).ok()),
                project: r.get(2)?,
                field: r.get(3)?,
                value: dec(&r.get::<_, String>(4)?),
                reason: r.get(5)?,
                by: r.get(6)?,
            },
        ))
    })?;
    for row in rows {
        let (id, c) = row?;
        out.entry(id).or_default().certified.push(c);
    }
    let panel_sql =
        "SELECT applicant_id, clause, project, factor, reviewer, points FROM panel_scores
         WHERE round_year = ?1 AND (?2 IS NULL OR applicant_id = ?2) ORDER BY id";
    for (id, c, project, factor, reviewer, points) in rows6(conn, panel_sql, year, applicant)? {
        if let Ok(clause) = parse_clause(&c) {
            out.entry(id).or_default().panel.push(PanelScore {
                clause,
                project,
                factor,
                reviewer,
                points: dec(&points),
            });
        }
    }
    let overrule_sql = "SELECT applicant_id, clause, project, rule, reason, by FROM overrules
         WHERE round_year = ?1 AND (?2 IS NULL OR applicant_id = ?2) ORDER BY id";
    for (id, c, project, rule, reason, by) in rows6(conn, overrule_sql, year, applicant)? {
        if let Ok(clause) = parse_clause(&c) {
            out.entry(id).or_default().overrules.push(Overrule {
                clause,
                project,
                rule,
                reason,
                by,
            });
        }
    }
    earlier_c1(conn, year, applicant, &mut out)?;
    Ok(out)
}

/// C1 is one-time: the projects of one applicant (`Some(id)`) or of every
/// applicant with an approved C1 award in a round before `year`.
fn earlier_c1(
    conn: &Connection,
    year: i32,
    applicant: Option<i64>,
    out: &mut HashMap<i64, Gathered>,
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT applicant_id, figures FROM decisions WHERE round_year < ?1
         AND (?2 IS NULL OR applicant_id = ?2) AND state IN ('approved', 'issued')",
    )?;
    let rows = st.query_map(params![year, applicant], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, figures) = row?;
        if let Ok(ev) = serde_json::from_str::<Evaluation>(&figures) {
            for p in ev.projects {
                if p.clause == Clause::C1 && p.award_yuan.is_some_and(|a| a > Decimal::ZERO) {
                    out.entry(id)
                        .or_default()
                        .earlier_c1
                        .push(same_key(&p.name));
                }
            }
        }
    }
    Ok(())
}

type Row6 = (i64, String, String, String, String, String);

/// Rows of an applicant id and five texts (`sql` takes the year and an
/// optional applicant id).
fn rows6(conn: &Connection, sql: &str, year: i32, applicant: Option<i64>) -> Result<Vec<Row6>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st
        .query_map(params![year, applicant], |r| r.try_into())?
        .collect::<std::result::Result<Vec<Row6>, _>>()?;
    Ok(rows)
}

pub(super) fn gather(conn: &Connection, applicant_id: i64, year: i32) -> Result<Gathered> {
    Ok(gather_round(conn, year, Some(applicant_id))?
        .remove(&applicant_id)
        .unwrap_or_default())
}

/// Check the conflict-of-interest declarations before a reviewer scores.
fn refuse_if_conflicted(conn: &Connection, reviewer: &str, credit_code: &str) -> Result<()> {
    let c: Option<String> = conn
        .query_row(
            "SELECT reason FROM conflicts WHERE reviewer = ?1 AND credit_code = ?2",
            params![reviewer, credit_code],
            |r| r.get(0),
        )
        .optional()?;
    match c {
        Some(reason) => Err(EngineError::Invalid(format!(
            "{reviewer} 已声明与 {credit_code} 存在利益冲突（{reason}），不能评分 / {reviewer} declared a conflict of interest with {credit_code} and cannot score it"
        ))),
        None => Ok(()),
    }
}

/// Declare a conflict of interest with an applicant (audited).
pub fn declare_conflict(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    reason: &str,
) -> Result<()> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let code = credit_code.trim().to_ascii_uppercase();
    if reason.trim().is_empty() {
        return Err(EngineError::Invalid(
            "请写明利益冲突的原因 / give the reason".into(),
        ));
    }
    store.change(actor, "conflict.declare", &code, |tx| {
        tx.execute(
            "INSERT OR REPLACE INTO conflicts(reviewer, credit_code, reason, declared_at) VALUES (?1, ?2, ?3, ?4)",
            params![actor.0, code, reason, now()],
        )?;
        Ok(((), serde_json::json!({ "reason": reason })))
    })
}

fn project_exists(ex: &Extraction, clause: Clause, project: &str) -> bool {
    ex.projects
        .iter()
        .any(|p| p.clause == clause && same_key(&p.name) == same_key(project))
}

/// Record one reviewer's points for a panel factor. A reviewer with a declared
/// conflict is refused, and the refusal is audited.
pub fn record_panel_score(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    clause: &str,
    project: &str,
    factor: &str,
    points: Decimal,
) -> Result<()> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let code = credit_code.trim().to_ascii_uppercase();
    let clause = parse_clause(clause)?;
    let (id, year) = applicant(store.conn(), &code)?;
    if let Err(e) = refuse_if_conflicted(store.conn(), &actor.0, &code) {
        store.change(actor, "panel.score_refused", &code, |_| {
            Ok(((), serde_json::json!({ "reason": "conflict_of_interest", "clause": clause.as_str(), "project": project })))
        })?;
        return Err(e);
    }
    store.change(actor, "panel.score", &code, |tx| {
        not_frozen(tx, id, year)?;
        crate::review::closing::not_closed(tx, year)?;
        let (_, g) = ensure_round(tx, year)?;
        let (_, ex) = latest_submission(tx, id, year)?;
        if !project_exists(&ex, clause, project) {
            return Err(EngineError::NotFound(format!(
                "{code} 没有 {} 项目「{project}」/ no {} project '{project}'",
                clause.as_str(),
                clause.as_str()
            )));
        }
        let f = g
            .clauses
            .get(&clause)
            .and_then(|r| r.factors.iter().find(|f| f.id == factor && f.is_panel()))
            .ok_or_else(|| {
                let ids: Vec<String> = g
                    .clauses
                    .get(&clause)
                    .map(|r| r.factors.iter().filter(|f| f.is_panel()).map(|f| f.id.clone()).collect())
                    .unwrap_or_default();
                EngineError::Invalid(format!(
                    "{} 没有专家评分项「{factor}」，可选：{} / no panel factor '{factor}'",
                    clause.as_str(),
                    ids.join(", ")
                ))
            })?;
        if points < Decimal::ZERO || points > f.weight {
            return Err(EngineError::Invalid(format!(
                "{} 的分值应在 0 到 {} 之间，而不是 {points} / points must be 0–{}",
                f.name, f.weight, f.weight
            )));
        }
        tx.execute(
            "INSERT INTO panel_scores(applicant_id, round_year, clause, project, factor, reviewer, points, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(applicant_id, round_year, clause, project, factor, reviewer)
             DO UPDATE SET points = excluded.points, at = excluded.at",
            params![id, year, clause.as_str(), project.trim(), factor, actor.0, points.to_string(), now()],
        )?;
        Ok(((), serde_json::json!({ "clause": clause.as_str(), "project": project, "factor": factor, "points": points.to_string() })))
    })
}

/// Record a certified value (核定值) with its reason and optional evidence file.
#[allow(clippy::too_many_arguments)]
pub fn certify(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    clause: Option<&str>,
    project: Option<&str>,
    field: &str,
    value: Decimal,
    reason: &str,
    evidence: Option<(&str, &[u8])>,
) -> Result<()> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let code = credit_code.trim().to_ascii_uppercase();
    if reason.trim().is_empty() {
        return Err(EngineError::Invalid(
            "核定值必须写明理由 / a certified value needs a reason".into(),
        ));
    }
    let clause = clause.map(parse_clause).transpose()?;
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "value.certify", &code, |tx| {
        not_frozen(tx, id, year)?;
        crate::review::closing::not_closed(tx, year)?;
        ensure_round(tx, year)?;
        let (_, ex) = latest_submission(tx, id, year)?;
        if let (Some(c), Some(p)) = (clause, project) {
            if !project_exists(&ex, c, p) {
                return Err(EngineError::NotFound(format!("没有 {} 项目「{p}」/ no such project", c.as_str())));
            }
        }
        let mut evidence_hash = None;
        if let Some((name, bytes)) = evidence {
            let h = crate::store::put_blob(tx, bytes)?;
            evidence_hash = Some((h, name.to_string()));
        }
        tx.execute(
            "INSERT INTO certified_values(applicant_id, round_year, clause, project, field, value, reason,
               evidence_hash, evidence_name, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                id,
                year,
                clause.map(|c| c.as_str()),
                project.map(str::trim),
                field,
                value.to_string(),
                reason,
                evidence_hash.as_ref().map(|e| e.0.clone()),
                evidence_hash.as_ref().map(|e| e.1.clone()),
                actor.0,
                now()
            ],
        )?;
        Ok(((), serde_json::json!({ "field": field, "value": value.to_string(), "reason": reason,
            "evidence": evidence_hash.map(|e| e.0) })))
    })
}

/// Overrule one failed eligibility rule, with a written reason (audited).
pub fn overrule(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    clause: &str,
    project: &str,
    rule: &str,
    reason: &str,
) -> Result<()> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let code = credit_code.trim().to_ascii_uppercase();
    if reason.trim().is_empty() {
        return Err(EngineError::Invalid(
            "推翻资格规则必须写明理由 / overruling needs a written reason".into(),
        ));
    }
    let clause = parse_clause(clause)?;
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "eligibility.overrule", &code, |tx| {
        not_frozen(tx, id, year)?;
        crate::review::closing::not_closed(tx, year)?;
        ensure_round(tx, year)?;
        tx.execute(
            "INSERT INTO overrules(applicant_id, round_year, clause, project, rule, reason, by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, year, clause.as_str(), project.trim(), rule, reason, actor.0, now()],
        )?;
        Ok(((), serde_json::json!({ "clause": clause.as_str(), "project": project, "rule": rule, "reason": reason })))
    })
}
