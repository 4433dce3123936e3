//! The round budget in the store. The arithmetic (pro rata on whole fen by
//! largest remainder, ties by credit code; `budget_of`, `BudgetReport`) is
//! the pure `reviewdesk_policy::budget`, re-exported here under the path the
//! shells have always used; this module reads a round from the store for
//! it: [`round_budget`] (stored evaluations, frozen figures of approved
//! decisions) and [`apply_pro_rata`] (under the pro-rata rule `explain` and
//! `propose` show and freeze the reduced award: the round as stored, this
//! applicant computed afresh, so the letter states the amount actually
//! paid). Under pro rata a proposal waits for the round's scoring to
//! close (`closing`); a closed round shares the budget over its whole set
//! as scored, none taken off first, so no award depends on the order of
//! approvals.
//!
//! Architecture note: this module reads rounds (`rounds`) and decisions
//! (`decisions`) and nothing of the workflow; `evaluations` calls it, never
//! the other way round.

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;

use crate::error::{EngineError, Result};
use crate::guide::{BudgetOverrun, Guide};
use crate::money::format_yuan;
use crate::review::decisions::frozen_figures;
use crate::review::rounds::round_guide;
use crate::rules::evaluate::{Evaluation, Line, ProjectResult};
use crate::store::Store;

pub use reviewdesk_policy::budget::{
    budget_of, pro_rata, Allocation, BudgetReport, Claim, ClauseTotal,
};

/// Every applicant's evaluation in a stored round: the frozen figures of an
/// approved decision (true), else the stored evaluation as of the last
/// `score` (false).
fn stored_evaluations(conn: &Connection, year: i32) -> Result<Vec<(i64, Evaluation, bool)>> {
    let mut st = conn.prepare_cached(
        "SELECT applicant_id FROM evaluations WHERE round_year = ?1
         UNION SELECT applicant_id FROM decisions WHERE round_year = ?1 ORDER BY 1",
    )?;
    let ids = st
        .query_map([year], |r| r.get::<_, i64>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(figures) = frozen_figures(conn, id, year)? {
            out.push((id, figures, true));
            continue;
        }
        if let Some(ev) = stored_evaluation(conn, id, year)? {
            out.push((id, ev, false));
        }
    }
    Ok(out)
}

/// The applicant's evaluation as of the last `score`, if stored.
fn stored_evaluation(conn: &Connection, id: i64, year: i32) -> Result<Option<Evaluation>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT result FROM evaluations WHERE applicant_id = ?1 AND round_year = ?2",
            params![id, year],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|json| {
        serde_json::from_str(&json).map_err(|e| {
            EngineError::Store(format!("evaluation of applicant {id} unreadable: {e}"))
        })
    })
    .transpose()
}

/// The budget report of a stored round: each applicant's stored evaluation
/// (as of the last `score`), or the frozen figures of its approved decision.
pub fn round_budget(store: &Store, year: i32) -> Result<BudgetReport> {
    let conn = store.conn();
    let (hash, guide) = round_guide(conn, year)?.ok_or_else(|| {
        EngineError::NotFound(format!(
            "{year} 年度尚无申报轮次（先导入申报表并评分）/ no round {year} yet: import and score first"
        ))
    })?;
    let evs = stored_evaluations(conn, year)?;
    let refs: Vec<(&Evaluation, bool)> = evs.iter().map(|(_, e, f)| (e, *f)).collect();
    Ok(budget_of(&guide, &hash, &refs)?)
}

/// Under the guide's pro-rata rule, reduce one applicant's fresh evaluation
/// to its share of the budget: the round as stored, with this applicant's
/// evaluation replaced by `ev`. Each reduced project gets the line
/// 按预算比例核减 before its final 扶持金额, and the total follows. Refused
/// while the round is over budget and some project still awaits panel
/// scores (the total, and so every share, is not known yet) when
/// `for_decision` (a proposal); `explain` then shows the unreduced figures.
/// Nothing happens under the flag rule, without a budget, or within it.
pub(crate) fn apply_pro_rata(
    conn: &Connection,
    year: i32,
    hash: &str,
    guide: &Guide,
    applicant_id: i64,
    ev: &mut Evaluation,
    for_decision: bool,
) -> Result<()> {
    if guide.round.budget_overrun != BudgetOverrun::ProRata || guide.round.budget.is_none() {
        return Ok(());
    }
    let closed = crate::review::closing::is_closed(conn, year)?;
    if for_decision && !closed {
        return Err(EngineError::coded(
            "round_not_closed",
            format!("按比例核减须在评审结束后对全轮统一计算：请先结束 {year} 年度评审（round close --round {year}，两人办理）再提交决定"),
            format!("under pro rata the budget is shared over the whole round once scoring ends: close round {year} first (round close --round {year}, by two people), then propose"),
        ));
    }
    let mut evs = if closed {
        whole_round(conn, year)?
    } else {
        stored_evaluations(conn, year)?
    };
    evs.retain(|(id, _, _)| *id != applicant_id);
    let mut refs: Vec<(&Evaluation, bool)> = evs.iter().map(|(_, e, f)| (e, *f)).collect();
    refs.push((ev, false));
    let r = budget_of(guide, hash, &refs)?;
    if !r.over_budget {
        return Ok(());
    }
    let Some(list) = r.allocations else {
        if r.pending > 0 && for_decision {
            return Err(EngineError::Invalid(format!(
                "{} / {}",
                r.message, r.message_en
            )));
        }
        return Ok(());
    };
    let code = ev.credit_code.clone().unwrap_or_default();
    let (budget, total) = (
        format_yuan(guide.round.budget.unwrap_or_default()),
        format_yuan(r.total_yuan),
    );
    for p in ev.projects.iter_mut() {
        let Some(a) = list.iter().find(|a| {
            !a.frozen && a.credit_code == code && a.clause == p.clause && a.project == p.name
        }) else {
            continue;
        };
        if !a.reduction_yuan.is_zero() {
            reduce(p, a.reduced_yuan, &budget, &total);
        }
    }
    ev.total_yuan = ev
        .projects
        .iter()
        .map(|p| p.award_yuan)
        .try_fold(Decimal::ZERO, |acc, a| a.map(|a| acc + a));
    Ok(())
}

/// A closed round's whole set, as scored: every applicant's stored
/// evaluation (before any reduction), none taken off the budget first, so
/// an award does not depend on the order of approvals. An applicant never
/// scored but decided counts with its decision's figures.
fn whole_round(conn: &Connection, year: i32) -> Result<Vec<(i64, Evaluation, bool)>> {
    stored_evaluations(conn, year)?
        .into_iter()
        .map(|(id, ev, frozen)| {
            if !frozen {
                return Ok((id, ev, false));
            }
            Ok((id, stored_evaluation(conn, id, year)?.unwrap_or(ev), false))
        })
        .collect::<Result<Vec<_>>>()
}

/// One project's award reduced to `reduced`: its 扶持金额 line replaced by
/// the reduction (budget ÷ total, both as shown) and the new award.
fn reduce(p: &mut ProjectResult, reduced: Decimal, budget: &str, total: &str) {
    let amount = format_yuan(reduced);
    p.lines.retain(|l| l.label != "扶持金额");
    p.lines.push(Line {
        label: format!("按预算比例核减（预算 {budget} 元 ÷ 合计 {total} 元，最大余数法到分）"),
        value: format!("{amount} 元"),
        label_en: format!(
            "Reduced pro rata to the budget ({budget} yuan ÷ total {total} yuan, largest remainder, to the fen)"
        ),
        value_en: format!("{amount} yuan"),
    });
    p.lines.push(Line {
        label: "扶持金额".into(),
        value: format!("{amount} 元"),
        label_en: "Award".into(),
        value_en: format!("{amount} yuan"),
    });
    p.award_yuan = Some(reduced);
}
