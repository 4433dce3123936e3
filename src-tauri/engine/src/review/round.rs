//! The round service: binds a round to one guide version, gathers a
//! reviewer's inputs (panel scores, certified values, overrules, conflicts),
//! evaluates applicants, stores evaluations, and runs the two-person decision
//! workflow (propose → approve / return; approved figures are frozen).
//! Every change goes through `Store::change`: the change and its audit entry
//! commit together.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::{self, Clause, Guide};
use crate::intake::extract::Extraction;
use crate::review::budget::{budget_of, BudgetReport};
use crate::rules::evaluate::{
    evaluate, same_key, Certified, Evaluation, Flag, Inputs, Overrule, PanelScore,
};
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

/// The guide a round is bound to: created from the shipped guide on first
/// use, then always read back from the store by its hash, so a new program
/// version never changes an existing round's rules.
pub fn ensure_round(conn: &Connection, year: i32) -> Result<(String, Guide)> {
    if let Some(found) = round_guide(conn, year)? {
        return Ok(found);
    }
    let (text, g) = guide::builtin(year).ok_or_else(|| {
        EngineError::NotFound(format!(
            "本程序没有 {year} 年度的申报指南 / no guide ships for round {year}"
        ))
    })?;
    let hash = guide::content_hash(text);
    conn.execute(
        "INSERT OR IGNORE INTO guides(hash, text, loaded_at) VALUES (?1, ?2, ?3)",
        params![hash, text, now()],
    )?;
    conn.execute(
        "INSERT INTO rounds(year, guide_hash, created_at) VALUES (?1, ?2, ?3)",
        params![year, hash, now()],
    )?;
    Ok((hash, g))
}

/// Whether the round of `year` exists (no guide is read).
pub fn round_exists(conn: &Connection, year: i32) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM rounds WHERE year = ?1")?
        .exists([year])?)
}

/// The round's guide (hash and exact text), if the round exists.
fn round_guide_text(conn: &Connection, year: i32) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT g.hash, g.text FROM rounds r JOIN guides g ON g.hash = r.guide_hash WHERE r.year = ?1",
            [year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The round's guide, if the round exists.
pub fn round_guide(conn: &Connection, year: i32) -> Result<Option<(String, Guide)>> {
    match round_guide_text(conn, year)? {
        None => Ok(None),
        Some((hash, text)) => {
            let g = guide::load_guide(&text).map_err(|p| guide::problems_error(&p))?;
            Ok(Some((hash, g)))
        }
    }
}

/// An applicant's id and the round of its latest submission.
pub(crate) fn applicant(conn: &Connection, credit_code: &str) -> Result<(i64, i32)> {
    let code = credit_code.trim().to_ascii_uppercase();
    let row: Option<(i64, Option<i32>)> = conn
        .query_row(
            "SELECT a.id, s.round_year FROM applicants a JOIN submissions s ON s.applicant_id = a.id
             WHERE a.credit_code = ?1 ORDER BY s.round_year DESC, s.version DESC LIMIT 1",
            [&code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((id, Some(year))) => Ok((id, year)),
        Some((_, None)) => Err(EngineError::Invalid(format!(
            "{code} 的申报表没有有效的申报年度 / {code}'s workbook has no valid round year"
        ))),
        None => Err(EngineError::NotFound(format!(
            "没有统一社会信用代码为 {code} 的申报单位 / no applicant with credit code {code}"
        ))),
    }
}

fn latest_submission(conn: &Connection, applicant_id: i64, year: i32) -> Result<(i64, Extraction)> {
    let (id, json): (i64, String) = conn.query_row(
        "SELECT id, extraction FROM submissions WHERE applicant_id = ?1 AND round_year = ?2
         ORDER BY version DESC LIMIT 1",
        params![applicant_id, year],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let ex = serde_json::from_str(&json)
        .map_err(|e| EngineError::Store(format!("submission {id} unreadable: {e}")))?;
    Ok((id, ex))
}

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

#[derive(Default)]
struct Gathered {
    certified: Vec<Certified>,
    panel: Vec<PanelScore>,
    overrules: Vec<Overrule>,
    earlier_c1: Vec<String>,
}

/// The reviewers' inputs of one applicant (`Some(id)`) or of every applicant
/// of the round (`None`, one query per kind for a whole re-score), by
/// applicant id.
fn gather_round(
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
    // C1 is one-time: projects with an approved C1 award in an earlier round.
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
    Ok(out)
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

fn gather(conn: &Connection, applicant_id: i64, year: i32) -> Result<Gathered> {
    Ok(gather_round(conn, year, Some(applicant_id))?
        .remove(&applicant_id)
        .unwrap_or_default())
}

/// One applicant's evaluation as it would be decided: computed with the
/// round's guide and, under the guide's pro-rata budget rule, reduced to the
/// round's budget (`budget::apply_pro_rata`; `for_decision` refuses while
/// the reduction cannot be known yet).
fn compute(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
    for_decision: bool,
) -> Result<(i64, String, Evaluation)> {
    let (hash, g) = ensure_round(conn, year)?;
    let (submission_id, _, mut ev) = compute_with(conn, applicant_id, year, &hash, &g)?;
    crate::review::budget::apply_pro_rata(
        conn,
        year,
        &hash,
        &g,
        applicant_id,
        &mut ev,
        for_decision,
    )?;
    Ok((submission_id, hash, ev))
}

/// One applicant's evaluation with the round's guide already loaded (a round
/// re-score loads and validates the guide once, not once per applicant).
fn compute_with(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
    hash: &str,
    g: &Guide,
) -> Result<(i64, Extraction, Evaluation)> {
    let (submission_id, ex) = latest_submission(conn, applicant_id, year)?;
    let got = gather(conn, applicant_id, year)?;
    let ev = evaluate(&Inputs {
        guide: g,
        guide_hash: hash,
        extraction: &ex,
        certified: &got.certified,
        panel: &got.panel,
        overrules: &got.overrules,
        earlier_c1: &got.earlier_c1,
    });
    Ok((submission_id, ex, ev))
}

/// The decision on an applicant in a round, if any (latest).
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: i64,
    pub credit_code: String,
    pub round: i32,
    pub state: String,
    pub proposed_by: String,
    pub proposed_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub comment: Option<String>,
    pub figures: Evaluation,
}

pub(crate) fn decision_of(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
) -> Result<Option<Decision>> {
    let row = conn
        .query_row(
            "SELECT d.id, a.credit_code, d.round_year, d.state, d.proposed_by, d.proposed_at,
                    d.approved_by, d.approved_at, d.comment, d.figures
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
                ))
            },
        )
        .optional()?;
    let Some(r) = row else { return Ok(None) };
    let figures = serde_json::from_str(&r.9)
        .map_err(|e| EngineError::Store(format!("decision {} unreadable: {e}", r.0)))?;
    Ok(Some(Decision {
        id: r.0,
        credit_code: r.1.unwrap_or_default(),
        round: r.2,
        state: r.3,
        proposed_by: r.4,
        proposed_at: r.5,
        approved_by: r.6,
        approved_at: r.7,
        comment: r.8,
        figures,
    }))
}

/// The decision on an applicant, if any.
pub fn decision(store: &Store, credit_code: &str) -> Result<Option<Decision>> {
    let (id, year) = applicant(store.conn(), credit_code)?;
    decision_of(store.conn(), id, year)
}

/// An applicant's evaluation: the frozen figures of an approved decision,
/// else computed now from the round's guide and the reviewers' inputs.
pub fn explain(store: &Store, credit_code: &str) -> Result<Evaluation> {
    let (id, year) = applicant(store.conn(), credit_code)?;
    if let Some(d) = decision_of(store.conn(), id, year)? {
        if d.state == "approved" || d.state == "issued" {
            return Ok(d.figures);
        }
    }
    // ensure_round may insert: reads that create the round are harmless,
    // but keep them in a transaction with nothing else.
    let conn = store.conn();
    if round_guide(conn, year)?.is_none() {
        return Err(EngineError::Invalid(format!(
            "{year} 年度尚未评分，请先运行 score / round {year} has not been scored yet: run score first"
        )));
    }
    Ok(compute(conn, id, year, false)?.2)
}

/// Totals of a scored round.
#[derive(Debug, Clone, Serialize)]
pub struct RoundScore {
    pub round: i32,
    pub guide: String,
    pub applicants: usize,
    pub projects: usize,
    pub eligible: usize,
    pub pending_panel: usize,
    pub frozen: usize,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub total_yuan: Option<Decimal>,
    pub per_clause: BTreeMap<String, String>,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub budget_yuan: Option<Decimal>,
    pub over_budget: bool,
    /// The round against its budget (per clause, over budget, pro rata).
    pub budget: BudgetReport,
    pub flags: Vec<Flag>,
    pub evaluations: Vec<Evaluation>,
}

/// Applicants per chunk of a re-score: their submissions are read together
/// and evaluated in parallel (bounds the memory held at once).
const SCORE_CHUNK: usize = 512;

/// A latest submission as read for a re-score.
struct Row {
    applicant_id: i64,
    submission_id: i64,
    extraction: String,
}

/// One applicant re-scored off the store's thread.
struct Scored {
    applicant_id: i64,
    submission_id: i64,
    credit_code: String,
    /// Its 立项文号 / 认定文号 (folded), for the cross-applicant check.
    docs: Vec<String>,
    /// The evaluation and its JSON; None when the decision is frozen.
    evaluation: Option<(Evaluation, String)>,
}

/// What every scoring thread reads (shared, read-only).
#[derive(Clone, Copy)]
struct ScoreCtx<'a> {
    guide: &'a Guide,
    hash: &'a str,
    gathered: &'a HashMap<i64, Gathered>,
    frozen: &'a HashSet<i64>,
}

impl ScoreCtx<'_> {
    fn score(&self, r: &Row) -> Result<Scored> {
        let ex: Extraction = serde_json::from_str(&r.extraction).map_err(|e| {
            EngineError::Store(format!("submission {} unreadable: {e}", r.submission_id))
        })?;
        let mut docs = Vec::new();
        for p in &ex.projects {
            for key in ["立项文号", "认定文号"] {
                if let Some(crate::intake::extract::Value::Text(t)) = p.value(key) {
                    docs.push(same_key(t));
                }
            }
        }
        let evaluation = if self.frozen.contains(&r.applicant_id) {
            None
        } else {
            let empty = Gathered::default();
            let got = self.gathered.get(&r.applicant_id).unwrap_or(&empty);
            let ev = evaluate(&Inputs {
                guide: self.guide,
                guide_hash: self.hash,
                extraction: &ex,
                certified: &got.certified,
                panel: &got.panel,
                overrules: &got.overrules,
                earlier_c1: &got.earlier_c1,
            });
            let json = serde_json::to_string(&ev)
                .map_err(|e| EngineError::Store(format!("serialise evaluation: {e}")))?;
            Some((ev, json))
        };
        Ok(Scored {
            applicant_id: r.applicant_id,
            submission_id: r.submission_id,
            credit_code: ex.credit_code.clone().unwrap_or_default(),
            docs,
            evaluation,
        })
    }
}

/// Re-score every applicant of a round whose decision is not frozen, store
/// the evaluations, and total the round — in one transaction. The guide is
/// loaded once; each applicant's submission is read once.
pub fn score_round(store: &mut Store, year: i32, actor: &Actor) -> Result<RoundScore> {
    store.change(actor, "round.score", &format!("round:{year}"), |tx| {
        let (hash, g) = ensure_round(tx, year)?;
        let mut st = tx.prepare(
            "SELECT DISTINCT a.id FROM applicants a JOIN submissions s ON s.applicant_id = a.id
             WHERE s.round_year = ?1 AND a.credit_code IS NOT NULL ORDER BY a.id",
        )?;
        let ids = st
            .query_map([year], |r| r.get::<_, i64>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        drop(st);
        let mut evaluations = Vec::with_capacity(ids.len());
        let mut is_frozen = Vec::with_capacity(ids.len());
        let mut frozen = 0;
        // One 立项文号 / 认定文号 cited by two applicants.
        let mut docs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // Everything the evaluations read, in a few queries for the round:
        // the reviewers' inputs, which decisions are frozen, and the latest
        // submissions in chunks of applicants (parsed and evaluated on every
        // core; stored in order on this one).
        let gathered = gather_round(tx, year, None)?;
        let mut st = tx.prepare(
            "SELECT d.applicant_id FROM decisions d WHERE d.round_year = ?1
               AND d.state IN ('approved', 'issued')
               AND d.id = (SELECT MAX(e.id) FROM decisions e
                           WHERE e.applicant_id = d.applicant_id AND e.round_year = ?1)",
        )?;
        let frozen_ids = st
            .query_map([year], |r| r.get::<_, i64>(0))?
            .collect::<std::result::Result<HashSet<i64>, _>>()?;
        drop(st);
        let mut latest = tx.prepare(
            "SELECT s.applicant_id, s.id, s.extraction FROM submissions s
             WHERE s.round_year = ?1 AND s.applicant_id BETWEEN ?2 AND ?3
               AND s.version = (SELECT MAX(t.version) FROM submissions t
                                WHERE t.applicant_id = s.applicant_id AND t.round_year = ?1)
             ORDER BY s.applicant_id",
        )?;
        let at = now();
        let mut upsert = tx.prepare_cached(
            "INSERT INTO evaluations(applicant_id, round_year, submission_id, guide_hash, result, computed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(applicant_id, round_year) DO UPDATE SET
               submission_id = excluded.submission_id, guide_hash = excluded.guide_hash,
               result = excluded.result, computed_at = excluded.computed_at",
        )?;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        for chunk in ids.chunks(SCORE_CHUNK) {
            let (Some(lo), Some(hi)) = (chunk.first(), chunk.last()) else {
                continue;
            };
            let rows = latest
                .query_map(params![year, lo, hi], |r| {
                    Ok(Row {
                        applicant_id: r.get(0)?,
                        submission_id: r.get(1)?,
                        extraction: r.get(2)?,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|r| chunk.binary_search(&r.applicant_id).is_ok())
                .collect::<Vec<_>>();
            let per = rows.len().div_ceil(threads).max(1);
            let ctx = ScoreCtx {
                guide: &g,
                hash: &hash,
                gathered: &gathered,
                frozen: &frozen_ids,
            };
            let results: Vec<Result<Scored>> = std::thread::scope(|sc| {
                let handles: Vec<_> = rows
                    .chunks(per)
                    .map(|part| sc.spawn(move || part.iter().map(|r| ctx.score(r)).collect::<Vec<_>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join().unwrap_or_else(|_| {
                            vec![Err(EngineError::Store(
                                "评分线程异常退出 / a scoring thread panicked".into(),
                            ))]
                        })
                    })
                    .collect()
            });
            for r in results {
                let one = r?;
                for doc in one.docs {
                    let e = docs.entry(doc).or_default();
                    if !e.contains(&one.credit_code) {
                        e.push(one.credit_code.clone());
                    }
                }
                match one.evaluation {
                    None => {
                        let d = decision_of(tx, one.applicant_id, year)?.ok_or_else(|| {
                            EngineError::Store("frozen decision vanished".into())
                        })?;
                        frozen += 1;
                        evaluations.push(d.figures);
                        is_frozen.push(true);
                    }
                    Some((ev, json)) => {
                        upsert.execute(params![
                            one.applicant_id,
                            year,
                            one.submission_id,
                            hash,
                            json,
                            at
                        ])?;
                        evaluations.push(ev);
                        is_frozen.push(false);
                    }
                }
            }
        }
        drop(upsert);
        drop(latest);
        let mut flags = Vec::new();
        for (doc, codes) in docs {
            if codes.len() > 1 {
                flags.push(Flag {
                    code: "document_number_shared".into(),
                    message: format!(
                        "文号 {doc} 被 {} 个申报单位引用（{}），可能重复申报，请核实",
                        codes.len(),
                        codes.join("、")
                    ),
                    message_en: format!(
                        "document number {doc} is cited by {} applicants ({}): a possible double claim; please check",
                        codes.len(),
                        codes.join(", ")
                    ),
                });
            }
        }
        for ev in &evaluations {
            flags.extend(ev.flags.iter().cloned());
        }
        let mut per_clause: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut total = Some(Decimal::ZERO);
        let (mut projects, mut eligible, mut pending) = (0, 0, 0);
        for ev in &evaluations {
            for p in &ev.projects {
                projects += 1;
                if p.eligible {
                    eligible += 1;
                }
                match p.award_yuan {
                    Some(a) => {
                        *per_clause.entry(p.clause.as_str().to_string()).or_default() += a;
                        total = total.map(|t| t + a);
                    }
                    None => {
                        pending += 1;
                        total = None;
                    }
                }
            }
        }
        let pairs: Vec<(&Evaluation, bool)> = evaluations
            .iter()
            .zip(is_frozen.iter().copied())
            .collect();
        let budget = budget_of(&g, &hash, &pairs)?;
        if budget.over_budget {
            flags.push(Flag {
                code: "over_budget".into(),
                message: budget.message.clone(),
                message_en: budget.message_en.clone(),
            });
        }
        let summary = RoundScore {
            round: year,
            guide: hash.clone(),
            applicants: evaluations.len(),
            projects,
            eligible,
            pending_panel: pending,
            frozen,
            total_yuan: total,
            per_clause: per_clause
                .into_iter()
                .map(|(k, v)| (k, crate::money::format_yuan(v)))
                .collect(),
            budget_yuan: g.round.budget,
            over_budget: budget.over_budget,
            budget,
            flags,
            evaluations,
        };
        let detail = serde_json::json!({
            "guide": hash,
            "applicants": summary.applicants,
            "total_yuan": summary.total_yuan.map(crate::money::format_yuan),
            "over_budget": summary.over_budget,
        });
        Ok((summary, detail))
    })
}

/// Bind a round to a guide text (the bureau's edited copy of the shipped
/// guide, or next year's): validated completely, kept in the store by its
/// content hash, audited. Allowed until the round's first decision is
/// proposed; evaluations computed with the previous guide are dropped (the
/// next `score` recomputes them). Returns the guide's hash.
/// A round and the guide it is bound to, for the reviewer's settings.
#[derive(Debug, Clone, Serialize)]
pub struct RoundGuide {
    pub year: i32,
    /// The guide's content hash.
    pub guide: String,
    pub title: String,
    /// When this version was first loaded into the store.
    pub loaded_at: String,
    /// Decisions recorded in the round; from the first one the guide is fixed.
    pub decisions: i64,
    pub can_change: bool,
    /// The guide file's exact text, comments included.
    pub text: String,
}

/// Every round with its guide, newest round first.
pub fn round_guides(conn: &Connection) -> Result<Vec<RoundGuide>> {
    let mut st = conn.prepare(
        "SELECT r.year, g.hash, g.text, g.loaded_at,
                (SELECT COUNT(*) FROM decisions d WHERE d.round_year = r.year)
         FROM rounds r JOIN guides g ON g.hash = r.guide_hash ORDER BY r.year DESC",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(year, hash, text, loaded_at, decisions)| {
            let g = guide::load_guide(&text).map_err(|p| guide::problems_error(&p))?;
            Ok(RoundGuide {
                year,
                guide: hash,
                title: g.title,
                loaded_at,
                decisions,
                can_change: decisions == 0,
                text,
            })
        })
        .collect()
}

/// What binding `year` to the guide `text` would change: the guide is
/// checked first (every problem with its key path), then compared key by key
/// with the round's current guide (or the shipped one for a new round).
pub fn preview_guide(conn: &Connection, year: i32, text: &str) -> Result<GuidePreview> {
    let g = guide::load_guide(text).map_err(|p| guide::problems_error(&p))?;
    if g.round.year != year {
        return Err(EngineError::Invalid(format!(
            "该指南属于 {} 年度，不是 {year} 年度 / the guide is for round {}, not {year}",
            g.round.year, g.round.year
        )));
    }
    let (from, old_text) = match round_guide_text(conn, year)? {
        Some(c) => c,
        None => {
            let (t, _) = guide::builtin(year).ok_or_else(|| {
                EngineError::NotFound(format!(
                    "本程序没有 {year} 年度的申报指南 / no guide ships for round {year}"
                ))
            })?;
            (guide::content_hash(t), t.to_string())
        }
    };
    let decisions: i64 = conn.query_row(
        "SELECT COUNT(*) FROM decisions WHERE round_year = ?1",
        [year],
        |r| r.get(0),
    )?;
    Ok(GuidePreview {
        year,
        from,
        to: guide::content_hash(text),
        title: g.title,
        changes: crate::guide_diff::diff_guides(&old_text, text)?,
        can_change: decisions == 0,
    })
}

/// A guide version checked against a round, before it is bound.
#[derive(Debug, Clone, Serialize)]
pub struct GuidePreview {
    pub year: i32,
    /// Hash of the round's current guide.
    pub from: String,
    /// Hash of the new version.
    pub to: String,
    pub title: String,
    pub changes: Vec<crate::guide_diff::GuideChange>,
    /// False once the round has a decision: binding would be refused.
    pub can_change: bool,
}

pub fn bind_guide(store: &mut Store, actor: &Actor, year: i32, text: &str) -> Result<String> {
    let g = guide::load_guide(text).map_err(|p| guide::problems_error(&p))?;
    if g.round.year != year {
        return Err(EngineError::Invalid(format!(
            "该指南属于 {} 年度，不是 {year} 年度 / the guide is for round {}, not {year}",
            g.round.year, g.round.year
        )));
    }
    let hash = guide::content_hash(text);
    store.change(actor, "round.bind_guide", &format!("round:{year}"), |tx| {
        let previous: Option<String> = tx
            .query_row(
                "SELECT guide_hash FROM rounds WHERE year = ?1",
                [year],
                |r| r.get(0),
            )
            .optional()?;
        let decisions: i64 = tx.query_row(
            "SELECT COUNT(*) FROM decisions WHERE round_year = ?1",
            [year],
            |r| r.get(0),
        )?;
        if decisions > 0 && previous.as_deref() != Some(hash.as_str()) {
            return Err(EngineError::Invalid(format!(
                "{year} 年度已有 {decisions} 个决定，不能更换指南 / round {year} already has {decisions} decisions; its guide can no longer change"
            )));
        }
        tx.execute(
            "INSERT OR IGNORE INTO guides(hash, text, loaded_at) VALUES (?1, ?2, ?3)",
            params![hash, text, now()],
        )?;
        match &previous {
            None => {
                tx.execute(
                    "INSERT INTO rounds(year, guide_hash, created_at) VALUES (?1, ?2, ?3)",
                    params![year, hash, now()],
                )?;
            }
            Some(p) if *p != hash => {
                tx.execute(
                    "UPDATE rounds SET guide_hash = ?2 WHERE year = ?1",
                    params![year, hash],
                )?;
                tx.execute("DELETE FROM evaluations WHERE round_year = ?1", [year])?;
            }
            Some(_) => {}
        }
        Ok((
            hash.clone(),
            serde_json::json!({ "guide": hash, "previous": previous, "title": g.title }),
        ))
    })
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

fn not_frozen(conn: &Connection, applicant_id: i64, year: i32) -> Result<()> {
    if let Some(d) = decision_of(conn, applicant_id, year)? {
        if d.state == "approved" || d.state == "issued" {
            return Err(EngineError::Invalid(
                "该申报的决定已审批，数据已冻结 / the decision is approved; its figures are frozen"
                    .into(),
            ));
        }
    }
    Ok(())
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
        ensure_round(tx, year)?;
        tx.execute(
            "INSERT INTO overrules(applicant_id, round_year, clause, project, rule, reason, by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, year, clause.as_str(), project.trim(), rule, reason, actor.0, now()],
        )?;
        Ok(((), serde_json::json!({ "clause": clause.as_str(), "project": project, "rule": rule, "reason": reason })))
    })
}

/// Propose the decision: the current evaluation becomes the proposal.
pub fn propose(store: &mut Store, actor: &Actor, credit_code: &str) -> Result<Decision> {
    let code = credit_code.trim().to_ascii_uppercase();
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "decision.propose", &code, |tx| {
        if let Some(d) = decision_of(tx, id, year)? {
            if d.state != "returned" {
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
               proposed_by, proposed_at) VALUES (?1, ?2, ?3, ?4, 'proposed', ?5, ?6, ?7)",
            params![id, year, submission_id, hash, json, actor.0, now()],
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
    let code = credit_code.trim().to_ascii_uppercase();
    let (id, year) = applicant(store.conn(), &code)?;
    let name = approver.name();
    let actor = Actor::new(name.clone());
    store.change(&actor, "decision.approve", &code, |tx| {
        let d = decision_of(tx, id, year)?.ok_or_else(|| {
            EngineError::Invalid(format!("{code} 尚无待审批的决定 / {code} has no proposed decision"))
        })?;
        if d.state != "proposed" {
            return Err(EngineError::Invalid(format!(
                "该决定的状态是「{}」，只能审批「proposed」的决定 / only a proposed decision can be approved (this one is {})",
                d.state, d.state
            )));
        }
        if person_key(&d.proposed_by) == person_key(&name) {
            return Err(EngineError::Invalid(format!(
                "提出人 {name} 不能审批自己的提议：需要另一位审批人 / {name} proposed this decision and cannot approve it"
            )));
        }
        tx.execute(
            "UPDATE decisions SET state = 'approved', approved_by = ?2, approved_at = ?3, approver_id = ?4 WHERE id = ?1",
            params![d.id, name, now(), approver.credential_id()],
        )?;
        let d = decision_of(tx, id, year)?
            .ok_or_else(|| EngineError::Store("decision vanished".into()))?;
        let detail = serde_json::json!({ "decision": d.id, "credential": approver.credential_id() });
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
    let (id, year) = applicant(store.conn(), &code)?;
    store.change(actor, "decision.return", &code, |tx| {
        let d = decision_of(tx, id, year)?.ok_or_else(|| {
            EngineError::Invalid(format!(
                "{code} 尚无待审批的决定 / {code} has no proposed decision"
            ))
        })?;
        if d.state != "proposed" {
            return Err(EngineError::Invalid(format!(
                "只能退回待审批的决定（当前：{}）/ only a proposed decision can be returned",
                d.state
            )));
        }
        tx.execute(
            "UPDATE decisions SET state = 'returned', comment = ?2 WHERE id = ?1",
            params![d.id, comment],
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
