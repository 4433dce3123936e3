//! Evaluations: one applicant evaluated as it would be decided (`explain`,
//! and `compute` for a proposal: the pure `reviewdesk-policy` evaluation of
//! the latest submission with the reviewers' inputs, refused for a proposal
//! while a scored project has fewer panel scores than the guide's
//! `panel.min_scores`, then the budget's pro-rata share), and a whole round re-scored and stored (`score_round`:
//! every applicant whose decision is not frozen, in one transaction, the
//! guide loaded once, submissions read in chunks of applicants, parsed and
//! evaluated on every core; `score_round_totals` keeps of each stored
//! evaluation only what the round's totals read, so memory is bounded by a
//! chunk, not the round).
//!
//! Architecture note: this module calls `budget` (the pro-rata share and the
//! round's budget report); `budget` reads the store through `rounds` and
//! `decisions` only, so the dependency points one way.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, Connection, Statement};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::applications::receipt::receipt_of;
use crate::error::{EngineError, Result};
use crate::guide::Guide;
use crate::intake::extract::Extraction;
use crate::review::budget::{apply_pro_rata, budget_of, BudgetReport};
use crate::review::decisions::{decision_of, frozen_figures};
use crate::review::inputs::{gather, gather_round, Gathered};
use crate::review::rounds::{applicant, ensure_round, latest_submission, round_guide};
use crate::rules::evaluate::{same_key, Evaluation, Flag, RoundLists};
use crate::store::{now, Actor, Store};

/// One applicant's evaluation as it would be decided: computed with the
/// round's guide and, under the guide's pro-rata budget rule, reduced to the
/// round's budget (`budget::apply_pro_rata`; `for_decision` refuses while
/// the reduction cannot be known yet). Returns the submission evaluated and
/// the guide's hash with it.
pub(super) fn compute(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
    for_decision: bool,
) -> Result<(i64, String, Evaluation)> {
    let (hash, g) = ensure_round(conn, year)?;
    let (submission_id, ex) = latest_submission(conn, applicant_id, year)?;
    let received = receipt_of(conn, submission_id)?.and_then(|r| received_on(&r.received_on));
    let lists = crate::operations::lists::load(conn, year)?;
    let mut ev = gather(conn, applicant_id, year)?.evaluate(&g, &hash, &ex, received, &lists);
    if for_decision {
        enough_scores(&g, &ev)?;
    }
    apply_pro_rata(conn, year, &hash, &g, applicant_id, &mut ev, for_decision)?;
    Ok((submission_id, hash, ev))
}

/// A proposal needs the guide's `panel.min_scores` on every panel factor of
/// every project the panel has scored (a project still waiting for a
/// score is refused by the proposal itself, as pending).
fn enough_scores(g: &Guide, ev: &Evaluation) -> Result<()> {
    let Some(min) = g.panel.min_scores else {
        return Ok(());
    };
    for p in &ev.projects {
        let panel = p.factors.iter().filter(|f| f.value.is_none());
        let Some(fewest) = panel.clone().map(|f| f.panel.len()).min() else {
            continue;
        };
        if panel.clone().any(|f| f.points.is_none()) || fewest >= min as usize {
            continue;
        }
        let (clause, name) = (p.clause.as_str(), &p.name);
        return Err(EngineError::coded(
            "too_few_scores",
            format!(
                "{clause} 项目「{name}」只有 {fewest} 份专家评分，本轮指南要求至少 {min} 份（panel.min_scores），不能提交决定"
            ),
            format!(
                "{clause} project '{name}' has {fewest} panel scores; the round's guide needs at least {min} (panel.min_scores) before a decision can be proposed"
            ),
        ));
    }
    Ok(())
}

/// A stored receipt date (`YYYY-MM-DD`); a text that is not one reads as
/// not recorded (the eligibility rule then says so).
fn received_on(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// An applicant's evaluation: the frozen figures of an approved decision,
/// else computed now from the round's guide and the reviewers' inputs.
pub fn explain(store: &Store, credit_code: &str) -> Result<Evaluation> {
    let (id, year) = applicant(store.conn(), credit_code)?;
    if let Some(figures) = frozen_figures(store.conn(), id, year)? {
        return Ok(figures);
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundScore {
    pub round: i32,
    pub guide: String,
    pub applicants: usize,
    pub projects: usize,
    pub eligible: usize,
    pub pending_panel: usize,
    pub frozen: usize,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub total_yuan: Option<Decimal>,
    pub per_clause: BTreeMap<String, String>,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub budget_yuan: Option<Decimal>,
    pub over_budget: bool,
    /// The round against its budget (per clause, over budget, pro rata).
    pub budget: BudgetReport,
    pub flags: Vec<Flag>,
    pub evaluations: Vec<Evaluation>,
}

/// Applicants per chunk of a re-score: their submissions are read together
/// and evaluated in parallel, and their evaluations (with each one's JSON)
/// are held until the chunk is stored: this bounds the memory held at once
/// (an applicant of 17 projects is about 0.2 MB of evaluation and JSON, so
/// 128 of them some 25 MB; two threads still get 64 each).
const SCORE_CHUNK: usize = 128;

/// A latest submission as read for a re-score.
struct Row {
    applicant_id: i64,
    submission_id: i64,
    extraction: String,
    /// The submission's receipt date (受理日期), when recorded.
    received: Option<String>,
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
    /// The round's managed lists (the same for every applicant).
    lists: &'a RoundLists,
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
            let received = r.received.as_deref().and_then(received_on);
            let ev = got.evaluate(self.guide, self.hash, &ex, received, self.lists);
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

    /// `rows` scored on up to `threads` threads, in the order of `rows`.
    fn score_all(self, rows: &[Row], threads: usize) -> Vec<Result<Scored>> {
        let per = rows.len().div_ceil(threads).max(1);
        std::thread::scope(|sc| {
            let handles: Vec<_> = rows
                .chunks(per)
                .map(|part| {
                    sc.spawn(move || part.iter().map(|r| self.score(r)).collect::<Vec<_>>())
                })
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
        })
    }
}

/// What a re-score found, applicant by applicant in id order.
#[derive(Default)]
struct Rescored {
    evaluations: Vec<Evaluation>,
    /// Whether `evaluations[i]` is an approved decision's frozen figures.
    is_frozen: Vec<bool>,
    frozen: usize,
    /// One 立项文号 / 认定文号 and the credit codes that cite it.
    docs: BTreeMap<String, Vec<String>>,
}

/// Re-score every applicant of a round whose decision is not frozen, store
/// the evaluations, and total the round — in one transaction. The guide is
/// loaded once; each applicant's submission is read once.
pub fn score_round(store: &mut Store, year: i32, actor: &Actor) -> Result<RoundScore> {
    score_round_kept(store, year, actor, Keep::Whole)
}

/// As [`score_round`] — the same evaluations stored, the same totals,
/// budget and flags, the same audit entry — but the summary's
/// `evaluations` is left empty: each applicant's evaluation is written to
/// the store and dropped, keeping only what the totals read (clause, name,
/// eligibility, award of each project, and the flags), so memory stays
/// bounded by a chunk of applicants, not the round (the CLI's `score`
/// without `--json`).
pub fn score_round_totals(store: &mut Store, year: i32, actor: &Actor) -> Result<RoundScore> {
    score_round_kept(store, year, actor, Keep::Totals)
}

/// What a re-score keeps of each evaluation once it is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// The whole evaluation, returned in the summary.
    Whole,
    /// Only what the round's totals, budget and flags read.
    Totals,
}

impl Keep {
    fn apply(self, mut ev: Evaluation) -> Evaluation {
        if self == Keep::Totals {
            for p in &mut ev.projects {
                // the explanation, the rule checks and the factors are the
                // bulk of an evaluation; the totals read none of them
                p.lines = Vec::new();
                p.eligibility = Vec::new();
                p.factors = Vec::new();
                p.panel_totals = Vec::new();
            }
        }
        ev
    }
}

fn score_round_kept(store: &mut Store, year: i32, actor: &Actor, keep: Keep) -> Result<RoundScore> {
    store.change(actor, "round.score", &format!("round:{year}"), |tx| {
        let (hash, g) = ensure_round(tx, year)?;
        let done = rescore(tx, year, &hash, &g, keep)?;
        let mut summary = summarise(year, hash.clone(), &g, done)?;
        if keep == Keep::Totals {
            summary.evaluations = Vec::new();
        }
        let detail = serde_json::json!({
            "guide": hash,
            "applicants": summary.applicants,
            "total_yuan": summary.total_yuan.map(crate::money::format_yuan),
            "over_budget": summary.over_budget,
        });
        Ok((summary, detail))
    })
}

/// Every applicant of the round with a credit code, by id.
pub(super) fn round_applicants(conn: &Connection, year: i32) -> Result<Vec<i64>> {
    let mut st = conn.prepare(
        "SELECT DISTINCT a.id FROM applicants a JOIN submissions s ON s.applicant_id = a.id
         WHERE s.round_year = ?1 AND a.credit_code IS NOT NULL ORDER BY a.id",
    )?;
    let ids = st
        .query_map([year], |r| r.get::<_, i64>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(ids)
}

/// The applicants whose latest decision in the round is approved or issued.
pub(super) fn frozen_applicants(conn: &Connection, year: i32) -> Result<HashSet<i64>> {
    let mut st = conn.prepare(
        "SELECT d.applicant_id FROM decisions d WHERE d.round_year = ?1
           AND d.state IN ('approved', 'issued')
           AND d.id = (SELECT MAX(e.id) FROM decisions e
                       WHERE e.applicant_id = d.applicant_id AND e.round_year = ?1)",
    )?;
    let ids = st
        .query_map([year], |r| r.get::<_, i64>(0))?
        .collect::<std::result::Result<HashSet<i64>, _>>()?;
    Ok(ids)
}

/// The latest submissions of the applicants in `chunk` (ids in order).
fn latest_rows(latest: &mut Statement<'_>, year: i32, chunk: &[i64]) -> Result<Vec<Row>> {
    let (Some(lo), Some(hi)) = (chunk.first(), chunk.last()) else {
        return Ok(Vec::new());
    };
    Ok(latest
        .query_map(params![year, lo, hi], |r| {
            Ok(Row {
                applicant_id: r.get(0)?,
                submission_id: r.get(1)?,
                extraction: r.get(2)?,
                received: r.get(3)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|r| chunk.binary_search(&r.applicant_id).is_ok())
        .collect())
}

/// Evaluate every applicant of the round again and store the evaluations
/// (frozen decisions keep their figures and are not stored again).
fn rescore(conn: &Connection, year: i32, hash: &str, g: &Guide, keep: Keep) -> Result<Rescored> {
    let ids = round_applicants(conn, year)?;
    let mut done = Rescored {
        evaluations: Vec::with_capacity(ids.len()),
        is_frozen: Vec::with_capacity(ids.len()),
        ..Rescored::default()
    };
    // Everything the evaluations read, in a few queries for the round:
    // the reviewers' inputs, which decisions are frozen, and the latest
    // submissions in chunks of applicants (parsed and evaluated on every
    // core; stored in order on this one).
    let gathered = gather_round(conn, year, None)?;
    let frozen_ids = frozen_applicants(conn, year)?;
    // the managed lists and their content hashes, stored beside each evaluation
    let lists = crate::operations::lists::load(conn, year)?;
    let read: serde_json::Map<String, serde_json::Value> = lists
        .hashes()
        .into_iter()
        .map(|(k, h)| (k.to_string(), serde_json::Value::String(h)))
        .collect();
    let read = serde_json::Value::Object(read).to_string();
    let mut latest = conn.prepare(
        "SELECT s.applicant_id, s.id, s.extraction,
                (SELECT c.received_on FROM receipts c WHERE c.submission_id = s.id)
         FROM submissions s
         WHERE s.round_year = ?1 AND s.applicant_id BETWEEN ?2 AND ?3
           AND s.version = (SELECT MAX(t.version) FROM submissions t
                            WHERE t.applicant_id = s.applicant_id AND t.round_year = ?1)
         ORDER BY s.applicant_id",
    )?;
    let at = now();
    let mut upsert = conn.prepare_cached(
        "INSERT INTO evaluations(applicant_id, round_year, submission_id, guide_hash, result, computed_at, lists)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(applicant_id, round_year) DO UPDATE SET
           submission_id = excluded.submission_id, guide_hash = excluded.guide_hash,
           result = excluded.result, computed_at = excluded.computed_at, lists = excluded.lists",
    )?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let ctx = ScoreCtx {
        guide: g,
        hash,
        gathered: &gathered,
        frozen: &frozen_ids,
        lists: &lists,
    };
    for chunk in ids.chunks(SCORE_CHUNK) {
        let rows = latest_rows(&mut latest, year, chunk)?;
        for r in ctx.score_all(&rows, threads) {
            let one = r?;
            for doc in one.docs {
                let e = done.docs.entry(doc).or_default();
                if !e.contains(&one.credit_code) {
                    e.push(one.credit_code.clone());
                }
            }
            match one.evaluation {
                None => {
                    let d = decision_of(conn, one.applicant_id, year)?
                        .ok_or_else(|| EngineError::Store("frozen decision vanished".into()))?;
                    done.frozen += 1;
                    done.evaluations.push(keep.apply(d.figures));
                    done.is_frozen.push(true);
                }
                Some((ev, json)) => {
                    upsert.execute(params![
                        one.applicant_id,
                        year,
                        one.submission_id,
                        hash,
                        json,
                        at,
                        read
                    ])?;
                    done.evaluations.push(keep.apply(ev));
                    done.is_frozen.push(false);
                }
            }
        }
    }
    Ok(done)
}

/// One flag per 立项文号 / 认定文号 cited by more than one applicant.
fn shared_document_flags(docs: &BTreeMap<String, Vec<String>>) -> Vec<Flag> {
    docs.iter()
        .filter(|(_, codes)| codes.len() > 1)
        .map(|(doc, codes)| Flag {
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
        })
        .collect()
}

/// Projects counted over a round's evaluations.
#[derive(Default)]
struct Totals {
    per_clause: BTreeMap<String, Decimal>,
    /// None while any project waits for panel scores.
    total: Option<Decimal>,
    projects: usize,
    eligible: usize,
    pending: usize,
}

impl Totals {
    fn of(evaluations: &[Evaluation]) -> Totals {
        let mut t = Totals {
            total: Some(Decimal::ZERO),
            ..Totals::default()
        };
        for p in evaluations.iter().flat_map(|ev| &ev.projects) {
            t.projects += 1;
            if p.eligible {
                t.eligible += 1;
            }
            match p.award_yuan {
                Some(a) => {
                    *t.per_clause
                        .entry(p.clause.as_str().to_string())
                        .or_default() += a;
                    t.total = t.total.map(|x| x + a);
                }
                None => {
                    t.pending += 1;
                    t.total = None;
                }
            }
        }
        t
    }
}

/// The round's totals, flags and budget from what the re-score found.
fn summarise(year: i32, hash: String, g: &Guide, done: Rescored) -> Result<RoundScore> {
    let mut flags = shared_document_flags(&done.docs);
    for ev in &done.evaluations {
        flags.extend(ev.flags.iter().cloned());
    }
    let totals = Totals::of(&done.evaluations);
    let pairs: Vec<(&Evaluation, bool)> = done
        .evaluations
        .iter()
        .zip(done.is_frozen.iter().copied())
        .collect();
    let budget = budget_of(g, &hash, &pairs)?;
    if budget.over_budget {
        flags.push(Flag {
            code: "over_budget".into(),
            message: budget.message.clone(),
            message_en: budget.message_en.clone(),
        });
    }
    Ok(RoundScore {
        round: year,
        guide: hash,
        applicants: done.evaluations.len(),
        projects: totals.projects,
        eligible: totals.eligible,
        pending_panel: totals.pending,
        frozen: done.frozen,
        total_yuan: totals.total,
        per_clause: totals
            .per_clause
            .into_iter()
            .map(|(k, v)| (k, crate::money::format_yuan(v)))
            .collect(),
        budget_yuan: g.round.budget,
        over_budget: budget.over_budget,
        budget,
        flags,
        evaluations: done.evaluations,
    })
}
