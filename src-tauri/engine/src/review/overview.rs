//! The round overview (the app's 总览): counts by status, what needs
//! attention next, and the programme's targets — read-only counts over what
//! the engine stored. Nothing here decides: eligibility, awards and pending
//! panel scores are read from the stored evaluations and decisions as
//! `score`, `propose`, `approve` and `issue` left them, and the letters from
//! the register. Also reachable as `applications::queries::round_overview`,
//! the path the shells have always used.

use std::collections::{BTreeSet, HashMap};

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::Clause;
use crate::review::decisions::decision_of;
use crate::review::DecisionState;
use crate::rules::evaluate::Evaluation;
use crate::store::Store;

/// Applications of a round by where they stand (latest workbook per
/// applicant; a provisional workbook linked to a code counts with the code).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCounts {
    /// Applicants with a workbook in the round.
    pub imported: usize,
    /// Their latest workbook needs correction.
    pub needs_correction: usize,
    /// The stored evaluation finds at least one project eligible.
    pub eligible: usize,
    /// Evaluated with no project still waiting for panel scores.
    pub scored: usize,
    /// A decision proposed, waiting for the second person.
    pub proposed: usize,
    /// Approved, letter not yet issued.
    pub approved: usize,
    /// The decision letter issued.
    pub letter_issued: usize,
}

/// One application (or letter) that needs someone's attention.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttentionItem {
    /// The application to open (latest workbook), when there is one.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub submission_id: Option<i64>,
    pub applicant: Option<String>,
    pub credit_code: Option<String>,
    /// What exactly: a project name, a letter number.
    pub note: Option<String>,
}

/// A kind of work waiting, with how many and the first few.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attention {
    /// `correction_notice`, `link_provisional`, `not_scored`,
    /// `panel_scores`, `disagreement`, `awaiting_approval`,
    /// `letter_to_issue`, `delivery`.
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "\"correction_notice\" | \"link_provisional\" | \"not_scored\" | \"panel_scores\" | \"disagreement\" | \"awaiting_approval\" | \"letter_to_issue\" | \"delivery\""
        )
    )]
    pub kind: String,
    pub count: usize,
    /// At most [`ATTENTION_ITEMS`], in the order to work through them.
    pub items: Vec<AttentionItem>,
}

/// How many items of each attention kind are listed.
pub const ATTENTION_ITEMS: usize = 6;

/// Progress towards one of the programme's three-year targets, counted over
/// every round in this store: distinct enterprises (credit codes).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgrammeTarget {
    /// `enterprises` (50 compute enterprises attracted and cultivated) or
    /// `research` (3 or more entities with national or municipal major
    /// research results).
    #[cfg_attr(feature = "ts", ts(type = "\"enterprises\" | \"research\""))]
    pub key: String,
    pub target: usize,
    /// With an approved (or issued) decision awarding funds; for `research`
    /// a funded 技术攻关 (C2a) project, whose eligibility is a national or
    /// municipal R&D task.
    pub supported: usize,
    /// Found eligible by the stored evaluations (not yet decided included).
    pub eligible: usize,
}

/// The round overview.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundOverview {
    /// The round shown (the latest with workbooks); none before any import.
    pub round: Option<i32>,
    pub counts: StatusCounts,
    pub attention: Vec<Attention>,
    pub targets: Vec<ProgrammeTarget>,
    /// Clawback cases of the round with money still to recover (追回).
    pub recoveries: Vec<crate::operations::clawback::OutstandingRecovery>,
}

fn parse_evaluation(applicant_id: i64, json: &str) -> Result<Evaluation> {
    serde_json::from_str(json).map_err(|e| {
        EngineError::Store(format!(
            "evaluation of applicant {applicant_id} unreadable: {e}"
        ))
    })
}

/// The attention kinds, in the order the overview lists them.
const ATTENTION_KINDS: [&str; 8] = [
    "correction_notice",
    "link_provisional",
    "not_scored",
    "panel_scores",
    "disagreement",
    "awaiting_approval",
    "letter_to_issue",
    "delivery",
];

/// The counts and the attention lists as they fill up.
struct Board {
    counts: StatusCounts,
    attention: Vec<Attention>,
}

impl Board {
    fn new() -> Board {
        Board {
            counts: StatusCounts::default(),
            attention: ATTENTION_KINDS
                .iter()
                .map(|k| Attention {
                    kind: (*k).to_string(),
                    count: 0,
                    items: Vec::new(),
                })
                .collect(),
        }
    }

    /// One more item of `kind` (the first [`ATTENTION_ITEMS`] are listed).
    fn push(&mut self, kind: &str, item: AttentionItem) {
        let i = ATTENTION_KINDS.iter().position(|x| *x == kind).unwrap_or(0);
        let a = &mut self.attention[i];
        a.count += 1;
        if a.items.len() < ATTENTION_ITEMS {
            a.items.push(item);
        }
    }
}

/// Counts by status, what needs attention next, and the programme targets,
/// for `year` (default: the latest round with workbooks).
pub fn round_overview(store: &Store, year: Option<i32>) -> Result<RoundOverview> {
    let conn = store.conn();
    let year: Option<i32> = match year {
        Some(y) => Some(y),
        None => conn.query_row("SELECT MAX(round_year) FROM submissions", [], |r| r.get(0))?,
    };
    let mut board = Board::new();
    if let Some(year) = year {
        let corrected = corrected_submissions(conn)?;
        let evals = evaluations_of_round(conn, year)?;
        for w in latest_workbooks(conn, year)? {
            count_workbook(&mut board, conn, year, &w, &corrected, &evals)?;
        }
        undelivered_letters(&mut board, conn, year)?;
    }
    Ok(RoundOverview {
        round: year,
        counts: board.counts,
        attention: board.attention,
        targets: programme_targets(conn)?,
        recoveries: match year {
            Some(y) => crate::operations::clawback::outstanding(conn, y)?,
            None => Vec::new(),
        },
    })
}

/// The latest workbook of an applicant in the round.
struct Workbook {
    submission_id: i64,
    applicant_id: i64,
    credit_code: Option<String>,
    provisional_key: Option<String>,
    linked_to: Option<i64>,
    name: Option<String>,
    status: String,
}

impl Workbook {
    fn item(&self, note: Option<String>) -> AttentionItem {
        AttentionItem {
            submission_id: Some(self.submission_id),
            applicant: self.name.clone(),
            credit_code: self.credit_code.clone(),
            note,
        }
    }
}

/// Latest workbook per applicant in the round, oldest first (the order
/// work arrived).
fn latest_workbooks(conn: &Connection, year: i32) -> Result<Vec<Workbook>> {
    let mut st = conn.prepare(
        "SELECT s.id, s.applicant_id, a.credit_code, a.provisional_key, a.linked_to,
                s.applicant_name, s.status
         FROM submissions s JOIN applicants a ON a.id = s.applicant_id
         WHERE s.round_year = ?1
           AND s.version = (SELECT MAX(version) FROM submissions t
                            WHERE t.applicant_id = s.applicant_id AND t.round_year = ?1)
         ORDER BY s.id",
    )?;
    let rows = st
        .query_map([year], |r| {
            Ok(Workbook {
                submission_id: r.get(0)?,
                applicant_id: r.get(1)?,
                credit_code: r.get(2)?,
                provisional_key: r.get(3)?,
                linked_to: r.get(4)?,
                name: r.get(5)?,
                status: r.get(6)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Submissions with a correction notice in the register (not voided).
fn corrected_submissions(conn: &Connection) -> Result<BTreeSet<i64>> {
    let mut corrected: BTreeSet<i64> = BTreeSet::new();
    let mut st = conn.prepare(
        "SELECT submission_id FROM register
         WHERE kind = 'correction' AND voided_at IS NULL AND submission_id IS NOT NULL",
    )?;
    for sid in st.query_map([], |r| r.get::<_, i64>(0))? {
        corrected.insert(sid?);
    }
    Ok(corrected)
}

/// The stored evaluations of the round by applicant: the submission each
/// was computed from, and the evaluation.
fn evaluations_of_round(conn: &Connection, year: i32) -> Result<HashMap<i64, (i64, Evaluation)>> {
    let mut evals: HashMap<i64, (i64, Evaluation)> = HashMap::new();
    let mut st = conn.prepare(
        "SELECT applicant_id, submission_id, result FROM evaluations WHERE round_year = ?1",
    )?;
    let rows = st
        .query_map([year], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for (aid, sid, json) in rows {
        let ev = parse_evaluation(aid, &json)?;
        evals.insert(aid, (sid, ev));
    }
    Ok(evals)
}

/// Where one applicant's latest workbook stands: counted, and listed where
/// it waits for someone.
fn count_workbook(
    board: &mut Board,
    conn: &Connection,
    year: i32,
    w: &Workbook,
    corrected: &BTreeSet<i64>,
    evals: &HashMap<i64, (i64, Evaluation)>,
) -> Result<()> {
    if w.credit_code.is_none() && w.linked_to.is_some() {
        return Ok(()); // follows its credit code's history
    }
    board.counts.imported += 1;
    if w.status == "needs_correction" {
        board.counts.needs_correction += 1;
        if !corrected.contains(&w.submission_id) {
            board.push("correction_notice", w.item(None));
        }
    }
    if w.credit_code.is_none() {
        board.push("link_provisional", w.item(w.provisional_key.clone()));
        return Ok(());
    }
    let decision = decision_of(conn, w.applicant_id, year)?;
    let state = decision.as_ref().map(|d| d.state);
    match state {
        Some(DecisionState::Proposed) => {
            board.counts.proposed += 1;
            board.push("awaiting_approval", w.item(None));
        }
        Some(DecisionState::Approved) => {
            board.counts.approved += 1;
            board.push("letter_to_issue", w.item(None));
        }
        Some(DecisionState::Issued) => board.counts.letter_issued += 1,
        Some(DecisionState::Returned) | None => {}
    }
    // The figures that stand: an approved decision's frozen ones (as
    // the budget counts them), else the last score, else the
    // figures a proposal was made on (proposing evaluates afresh).
    let frozen = state.is_some_and(DecisionState::is_frozen);
    let (ev, stale) = match (evals.get(&w.applicant_id), decision.as_ref()) {
        (_, Some(d)) if frozen => (&d.figures, false),
        (Some((ev_sid, ev)), _) => (ev, *ev_sid != w.submission_id),
        (None, Some(d)) => (&d.figures, false),
        (None, None) => {
            if w.status == "ok" {
                board.push("not_scored", w.item(None));
            }
            return Ok(());
        }
    };
    count_figures(board, w, ev, stale, frozen);
    Ok(())
}

/// The figures that stand for an applicant: eligible, scored, or waiting
/// for panel scores; a panel that disagrees; re-submitted since the last
/// score (`stale`).
fn count_figures(board: &mut Board, w: &Workbook, ev: &Evaluation, stale: bool, frozen: bool) {
    if ev.projects.iter().any(|p| p.eligible) {
        board.counts.eligible += 1;
    }
    if stale && w.status == "ok" {
        // Re-submitted since the last score.
        board.push("not_scored", w.item(None));
        return;
    }
    let pending: Vec<&str> = ev
        .projects
        .iter()
        .filter(|p| p.eligible && p.award_yuan.is_none())
        .map(|p| p.name.as_str())
        .collect();
    if pending.is_empty() {
        board.counts.scored += 1;
    } else if !frozen {
        board.push("panel_scores", w.item(Some(pending.join("、"))));
    }
    let split: Vec<&str> = ev
        .projects
        .iter()
        .filter(|p| p.disagreement)
        .map(|p| p.name.as_str())
        .collect();
    if !split.is_empty() {
        board.push("disagreement", w.item(Some(split.join("、"))));
    }
}

/// Issued letters of the round not yet delivered (any kind), oldest first.
fn undelivered_letters(board: &mut Board, conn: &Connection, year: i32) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT r.number, r.credit_code, a.name, r.submission_id,
                (SELECT MAX(s.id) FROM submissions s WHERE s.applicant_id = r.applicant_id)
         FROM register r LEFT JOIN applicants a ON a.id = r.applicant_id
         WHERE r.year = ?1 AND r.voided_at IS NULL AND r.delivered_on IS NULL
         ORDER BY r.seq",
    )?;
    let rows = st
        .query_map([year], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for (number, code, name, sid, latest_sid) in rows {
        board.push(
            "delivery",
            AttentionItem {
                submission_id: latest_sid.or(sid),
                applicant: name,
                credit_code: code,
                note: Some(number),
            },
        );
    }
    Ok(())
}

/// Applicants by id: any project at all, and a 技术攻关 (C2a) project.
#[derive(Default)]
struct Found {
    any: BTreeSet<i64>,
    research: BTreeSet<i64>,
}

/// Applicants with an approved (or issued) decision that funds a project,
/// over every round in the store.
fn funded_applicants(conn: &Connection) -> Result<Found> {
    let mut found = Found::default();
    let mut st = conn.prepare(
        "SELECT DISTINCT applicant_id, round_year FROM decisions WHERE state IN ('approved', 'issued')",
    )?;
    let decided = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i32>(1)?)))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for (aid, y) in decided {
        let Some(d) = decision_of(conn, aid, y)? else {
            continue;
        };
        if !d.state.is_frozen() {
            continue;
        }
        let funded_project = |c: Option<Clause>| {
            d.figures.projects.iter().any(|p| {
                (c.is_none() || Some(p.clause) == c)
                    && p.eligible
                    && p.award_yuan
                        .is_some_and(|a| a > rust_decimal::Decimal::ZERO)
            })
        };
        if funded_project(None) {
            found.any.insert(aid);
        }
        if funded_project(Some(Clause::C2a)) {
            found.research.insert(aid);
        }
    }
    Ok(found)
}

/// Applicants found eligible by a stored evaluation, over every round.
fn eligible_applicants(conn: &Connection) -> Result<Found> {
    let mut found = Found::default();
    let mut st = conn.prepare("SELECT applicant_id, result FROM evaluations")?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for (aid, json) in rows {
        let ev = parse_evaluation(aid, &json)?;
        if ev.projects.iter().any(|p| p.eligible) {
            found.any.insert(aid);
        }
        if ev
            .projects
            .iter()
            .any(|p| p.eligible && p.clause == Clause::C2a)
        {
            found.research.insert(aid);
        }
    }
    Ok(found)
}

/// The programme's three-year targets, over every round in the store.
fn programme_targets(conn: &Connection) -> Result<Vec<ProgrammeTarget>> {
    let funded = funded_applicants(conn)?;
    let mut eligible = eligible_applicants(conn)?;
    eligible.any.extend(funded.any.iter().copied());
    eligible.research.extend(funded.research.iter().copied());
    Ok(vec![
        ProgrammeTarget {
            key: "enterprises".into(),
            target: 50,
            supported: funded.any.len(),
            eligible: eligible.any.len(),
        },
        ProgrammeTarget {
            key: "research".into(),
            target: 3,
            supported: funded.research.len(),
            eligible: eligible.research.len(),
        },
    ])
}
