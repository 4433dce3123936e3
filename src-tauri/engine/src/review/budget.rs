//! The round budget: awards totalled per clause and for the round, compared
//! with the guide's `round.budget`; over budget is flagged, and under the
//! guide's optional pro-rata rule (`round.budget_overrun = "pro_rata"`) the
//! awards are reduced to fit the budget exactly.
//!
//! Pro rata, exactly. Amounts are whole fen (i128), never floats and never a
//! rounded quotient: each award a gets ⌊a × B / T⌋ fen (B the budget, T the
//! total, both in fen) and the fen left over (fewer than the number of
//! awards) go one each to the largest remainders (a × B mod T) — the largest
//! remainder (Hamilton) method — ties broken by credit code, then clause,
//! then project name. So the reduced awards sum to B exactly, the result
//! does not depend on input order, and no award rises above its unreduced
//! amount (⌊a × B / T⌋ < a when B < T, so one extra fen never passes a).
//! Approved decisions are frozen: their awards are not reduced and come off
//! the budget first.
//!
//! [`round_budget`] reads a round from the store (stored evaluations, frozen
//! figures of approved decisions); [`budget_of`] and [`pro_rata`] are pure.
//! Under the pro-rata rule `explain` and `propose` show and freeze the
//! reduced award (`apply_pro_rata`: the round as stored, this applicant
//! computed afresh), so the letter states the amount actually paid.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::{BudgetOverrun, Clause, Guide};
use crate::money::format_yuan;
use crate::rules::evaluate::{same_key, Evaluation};
use crate::store::Store;

/// Serialise a Decimal yuan as "650000.00".
mod yuan {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::money::format_yuan(*d))
    }
}

/// One award that counts against the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub credit_code: String,
    pub clause: Clause,
    pub project: String,
    /// The award in yuan, whole fen, ≥ 0.
    pub award: Decimal,
}

fn to_fen(d: Decimal) -> Option<i128> {
    let f = d.checked_mul(Decimal::ONE_HUNDRED)?.normalize();
    (f.scale() == 0 && !f.is_sign_negative()).then(|| f.mantissa())
}

fn from_fen(f: i128) -> Decimal {
    Decimal::from_i128_with_scale(f, 2)
}

/// Reduce `claims` pro rata so they sum to `budget` exactly (largest
/// remainder, ties by credit code, clause, project name). Returns the
/// reduced amounts in the order of `claims`; unchanged when the claims fit.
/// Errors when an amount or the budget is not whole fen or is negative.
pub fn pro_rata(claims: &[Claim], budget: Decimal) -> Result<Vec<Decimal>> {
    let b = to_fen(budget).ok_or_else(|| {
        EngineError::Invalid(format!(
            "预算须为不小于 0 的整分金额，而不是 {budget} / the budget must be whole fen ≥ 0, not {budget}"
        ))
    })?;
    let a: Vec<i128> = claims
        .iter()
        .map(|c| {
            to_fen(c.award).ok_or_else(|| {
                EngineError::Invalid(format!(
                    "{} {}「{}」的金额 {} 不是整分 / award {} is not whole fen",
                    c.credit_code,
                    c.clause.as_str(),
                    c.project,
                    c.award,
                    c.award
                ))
            })
        })
        .collect::<Result<_>>()?;
    let total: i128 = a.iter().sum();
    if total <= b {
        return Ok(claims.iter().map(|c| c.award).collect());
    }
    // total > b ≥ 0, so total > 0; products stay far inside i128.
    let mut reduced: Vec<i128> = a.iter().map(|x| x * b / total).collect();
    let rem: Vec<i128> = a.iter().map(|x| x * b % total).collect();
    let left = b - reduced.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&i, &j| {
        rem[j]
            .cmp(&rem[i])
            .then_with(|| claims[i].credit_code.cmp(&claims[j].credit_code))
            .then_with(|| claims[i].clause.cmp(&claims[j].clause))
            .then_with(|| same_key(&claims[i].project).cmp(&same_key(&claims[j].project)))
            // The same project may claim twice under one clause (flagged
            // elsewhere); the larger claim takes the fen, so the order the
            // rows come in never decides who is paid. Only identical claims
            // fall through to their position, and they get the same amount
            // either way.
            .then_with(|| a[j].cmp(&a[i]))
            .then_with(|| i.cmp(&j))
    });
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        reduced[i] += 1;
    }
    Ok(reduced.into_iter().map(from_fen).collect())
}

/// One clause's total.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseTotal {
    pub clause: Clause,
    /// Projects with an award above zero.
    pub projects: usize,
    #[serde(with = "yuan")]
    pub total_yuan: Decimal,
    /// After the pro-rata reduction, when it applies.
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub reduced_yuan: Option<Decimal>,
}

/// One award under the pro-rata rule.
#[derive(Debug, Clone, Serialize)]
pub struct Allocation {
    pub credit_code: String,
    pub clause: Clause,
    pub project: String,
    /// Approved (frozen): not reduced.
    pub frozen: bool,
    #[serde(with = "yuan")]
    pub award_yuan: Decimal,
    #[serde(with = "yuan")]
    pub reduced_yuan: Decimal,
    #[serde(with = "yuan")]
    pub reduction_yuan: Decimal,
}

/// A round's awards against its budget. Keys are a stable contract
/// (`reviewdesk budget --json`, the app).
#[derive(Debug, Clone, Serialize)]
pub struct BudgetReport {
    pub round: i32,
    pub guide: String,
    /// None: the guide sets no budget.
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub budget_yuan: Option<Decimal>,
    /// "flag" or "pro_rata" (the guide's `round.budget_overrun`).
    pub rule: BudgetOverrun,
    pub applicants: usize,
    /// Sum of the awards known so far (pending projects count nothing yet).
    #[serde(with = "yuan")]
    pub total_yuan: Decimal,
    /// Of which approved (frozen).
    #[serde(with = "yuan")]
    pub frozen_yuan: Decimal,
    /// Projects whose award waits for panel scores.
    pub pending: usize,
    pub per_clause: Vec<ClauseTotal>,
    /// The known total already exceeds the budget.
    pub over_budget: bool,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub over_by_yuan: Option<Decimal>,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub remaining_yuan: Option<Decimal>,
    /// The pro-rata reduction, when the rule is pro_rata, the round is over
    /// budget and nothing is pending: every award with its reduced amount.
    pub allocations: Option<Vec<Allocation>>,
    /// Sum of the reduced awards (equals the budget exactly).
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub reduced_total_yuan: Option<Decimal>,
    pub message: String,
    pub message_en: String,
}

/// The budget report of a round from its evaluations; `frozen[i]` says
/// whether `evaluations[i]` is an approved decision's frozen figures.
pub fn budget_of(
    guide: &Guide,
    guide_hash: &str,
    evaluations: &[(&Evaluation, bool)],
) -> Result<BudgetReport> {
    let mut claims: Vec<(Claim, bool)> = Vec::new();
    let mut per: BTreeMap<Clause, (usize, Decimal)> = BTreeMap::new();
    let mut pending = 0;
    for (ev, frozen) in evaluations {
        for p in &ev.projects {
            match p.award_yuan {
                None => pending += 1,
                Some(a) => {
                    let e = per.entry(p.clause).or_default();
                    e.1 += a;
                    if a > Decimal::ZERO {
                        e.0 += 1;
                        claims.push((
                            Claim {
                                credit_code: ev.credit_code.clone().unwrap_or_default(),
                                clause: p.clause,
                                project: p.name.clone(),
                                award: a,
                            },
                            *frozen,
                        ));
                    }
                }
            }
        }
    }
    let total: Decimal = claims.iter().map(|(c, _)| c.award).sum();
    let frozen_total: Decimal = claims
        .iter()
        .filter(|(_, f)| *f)
        .map(|(c, _)| c.award)
        .sum();
    let budget = guide.round.budget;
    let rule = guide.round.budget_overrun;
    let over = budget.is_some_and(|b| total > b);
    let mut allocations = None;
    let (message, message_en);
    match budget {
        None => {
            message = format!("本轮指南未设预算；扶持合计 {} 元", format_yuan(total));
            message_en = format!(
                "the round's guide sets no budget; awards total {} yuan",
                format_yuan(total)
            );
        }
        Some(b) if !over => {
            message = format!(
                "扶持合计 {} 元，未超预算 {} 元{}",
                format_yuan(total),
                format_yuan(b),
                if pending > 0 {
                    format!("（另有 {pending} 个项目待专家评分）")
                } else {
                    String::new()
                }
            );
            message_en = format!(
                "awards total {} yuan, within the budget of {} yuan{}",
                format_yuan(total),
                format_yuan(b),
                if pending > 0 {
                    format!(" ({pending} projects still await panel scores)")
                } else {
                    String::new()
                }
            );
        }
        Some(b) => {
            let over_by = format_yuan(total - b);
            match rule {
                BudgetOverrun::Flag => {
                    message = format!(
                        "扶持合计 {} 元超出预算 {} 元（超 {over_by} 元），请审批人处理",
                        format_yuan(total),
                        format_yuan(b)
                    );
                    message_en = format!(
                        "awards total {} yuan, over the budget of {} yuan by {over_by} yuan: for the approver to resolve",
                        format_yuan(total),
                        format_yuan(b)
                    );
                }
                BudgetOverrun::ProRata if pending > 0 => {
                    message = format!(
                        "扶持合计 {} 元超出预算 {} 元；尚有 {pending} 个项目待专家评分，评分完成后按比例核减",
                        format_yuan(total),
                        format_yuan(b)
                    );
                    message_en = format!(
                        "awards total {} yuan, over the budget of {} yuan; {pending} projects await panel scores, the pro-rata reduction follows once they are scored",
                        format_yuan(total),
                        format_yuan(b)
                    );
                }
                BudgetOverrun::ProRata if frozen_total > b => {
                    message = format!(
                        "已审批的扶持 {} 元已超出预算 {} 元，无法按比例核减，请审批人处理",
                        format_yuan(frozen_total),
                        format_yuan(b)
                    );
                    message_en = format!(
                        "approved awards of {} yuan alone exceed the budget of {} yuan: no pro-rata reduction is possible; for the approver to resolve",
                        format_yuan(frozen_total),
                        format_yuan(b)
                    );
                }
                BudgetOverrun::ProRata => {
                    let open: Vec<Claim> = claims
                        .iter()
                        .filter(|(_, f)| !*f)
                        .map(|(c, _)| c.clone())
                        .collect();
                    let reduced = pro_rata(&open, b - frozen_total)?;
                    let mut it = reduced.into_iter();
                    let mut list = Vec::with_capacity(claims.len());
                    for (c, frozen) in &claims {
                        let r = if *frozen {
                            c.award
                        } else {
                            it.next().unwrap_or(c.award)
                        };
                        list.push(Allocation {
                            credit_code: c.credit_code.clone(),
                            clause: c.clause,
                            project: c.project.clone(),
                            frozen: *frozen,
                            award_yuan: c.award,
                            reduced_yuan: r,
                            reduction_yuan: c.award - r,
                        });
                    }
                    message = format!(
                        "扶持合计 {} 元超出预算 {} 元，按比例核减（最大余数法到分）后合计 {} 元",
                        format_yuan(total),
                        format_yuan(b),
                        format_yuan(b)
                    );
                    message_en = format!(
                        "awards total {} yuan, over the budget of {} yuan; reduced pro rata (largest remainder, to the fen) to {} yuan",
                        format_yuan(total),
                        format_yuan(b),
                        format_yuan(b)
                    );
                    allocations = Some(list);
                }
            }
        }
    }
    let reduced_by_clause = allocations.as_ref().map(|list| {
        let mut m: BTreeMap<Clause, Decimal> = BTreeMap::new();
        for a in list {
            *m.entry(a.clause).or_default() += a.reduced_yuan;
        }
        m
    });
    let reduced_total = allocations
        .as_ref()
        .map(|l| l.iter().map(|a| a.reduced_yuan).sum::<Decimal>());
    Ok(BudgetReport {
        round: guide.round.year,
        guide: guide_hash.to_string(),
        budget_yuan: budget,
        rule,
        applicants: evaluations.len(),
        total_yuan: total,
        frozen_yuan: frozen_total,
        pending,
        per_clause: per
            .into_iter()
            .map(|(clause, (projects, total_yuan))| ClauseTotal {
                clause,
                projects,
                total_yuan,
                reduced_yuan: reduced_by_clause
                    .as_ref()
                    .map(|m| m.get(&clause).copied().unwrap_or_default()),
            })
            .collect(),
        over_budget: over,
        over_by_yuan: budget.filter(|_| over).map(|b| total - b),
        remaining_yuan: budget.filter(|_| !over).map(|b| b - total),
        allocations,
        reduced_total_yuan: reduced_total,
        message,
        message_en,
    })
}

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
        if let Some(d) = crate::review::round::decision_of(conn, id, year)? {
            if d.state == "approved" || d.state == "issued" {
                out.push((id, d.figures, true));
                continue;
            }
        }
        let json: Option<String> = conn
            .query_row(
                "SELECT result FROM evaluations WHERE applicant_id = ?1 AND round_year = ?2",
                params![id, year],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(json) = json {
            let ev = serde_json::from_str(&json).map_err(|e| {
                EngineError::Store(format!("evaluation of applicant {id} unreadable: {e}"))
            })?;
            out.push((id, ev, false));
        }
    }
    Ok(out)
}

/// The budget report of a stored round: each applicant's stored evaluation
/// (as of the last `score`), or the frozen figures of its approved decision.
pub fn round_budget(store: &Store, year: i32) -> Result<BudgetReport> {
    let conn = store.conn();
    let (hash, guide) = crate::review::round::round_guide(conn, year)?.ok_or_else(|| {
        EngineError::NotFound(format!(
            "{year} 年度尚无申报轮次（先导入申报表并评分）/ no round {year} yet: import and score first"
        ))
    })?;
    let evs = stored_evaluations(conn, year)?;
    let refs: Vec<(&Evaluation, bool)> = evs.iter().map(|(_, e, f)| (e, *f)).collect();
    budget_of(&guide, &hash, &refs)
}

/// Under the guide's pro-rata rule, reduce one applicant's fresh evaluation
/// to its share of the budget: the round as stored, with this applicant's
/// evaluation replaced by `ev`. Each reduced project gets the line
/// 按预算比例核减 before its final 扶持金额, and the total follows. Refused
/// while the round is over budget and some project still awaits panel
/// scores (the total, and so every share, is not known yet) when
/// `for_decision` (a proposal); `explain` then shows the unreduced figures.
/// Nothing happens
/// under the flag rule, without a budget, or within it.
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
    let mut evs = stored_evaluations(conn, year)?;
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
    for p in ev.projects.iter_mut() {
        let Some(a) = list.iter().find(|a| {
            !a.frozen && a.credit_code == code && a.clause == p.clause && a.project == p.name
        }) else {
            continue;
        };
        if a.reduction_yuan.is_zero() {
            continue;
        }
        p.lines.retain(|l| l.label != "扶持金额");
        let (b, t) = (
            format_yuan(guide.round.budget.unwrap_or_default()),
            format_yuan(r.total_yuan),
        );
        p.lines.push(crate::rules::evaluate::Line {
            label: format!("按预算比例核减（预算 {b} 元 ÷ 合计 {t} 元，最大余数法到分）"),
            value: format!("{} 元", format_yuan(a.reduced_yuan)),
            label_en: format!(
                "Reduced pro rata to the budget ({b} yuan ÷ total {t} yuan, largest remainder, to the fen)"
            ),
            value_en: format!("{} yuan", format_yuan(a.reduced_yuan)),
        });
        p.lines.push(crate::rules::evaluate::Line {
            label: "扶持金额".into(),
            value: format!("{} 元", format_yuan(a.reduced_yuan)),
            label_en: "Award".into(),
            value_en: format!("{} yuan", format_yuan(a.reduced_yuan)),
        });
        p.award_yuan = Some(a.reduced_yuan);
    }
    ev.total_yuan = ev
        .projects
        .iter()
        .map(|p| p.award_yuan)
        .try_fold(Decimal::ZERO, |acc, a| a.map(|a| acc + a));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn claim(code: &str, award: &str) -> Claim {
        Claim {
            credit_code: code.into(),
            clause: Clause::C1,
            project: "P".into(),
            award: d(award),
        }
    }

    #[test]
    fn fits_unchanged() {
        let c = [claim("A", "100"), claim("B", "50.50")];
        assert_eq!(
            pro_rata(&c, d("150.50")).ok(),
            Some(vec![d("100"), d("50.50")])
        );
    }

    #[test]
    fn three_equal_awards_share_the_odd_fen_by_credit_code() {
        // 3 × 1.00 into 2.00: each 0.666… → 0.66, 2 fen left, remainders
        // equal → A and B (credit code order) get one each.
        let c = [claim("C", "1"), claim("A", "1"), claim("B", "1")];
        assert_eq!(
            pro_rata(&c, d("2")).ok(),
            Some(vec![d("0.66"), d("0.67"), d("0.67")])
        );
    }

    #[test]
    fn largest_remainder_wins_over_credit_code() {
        // 1.00 and 2.00 into 2.00: 0.666… (rem 2) and 1.333… (rem 1) → the
        // fen goes to the first (larger remainder) although its code is later.
        let c = [claim("Z", "1"), claim("A", "2")];
        assert_eq!(pro_rata(&c, d("2")).ok(), Some(vec![d("0.67"), d("1.33")]));
    }

    #[test]
    fn not_whole_fen_is_refused() {
        assert!(pro_rata(&[claim("A", "1.005")], d("1")).is_err());
        assert!(pro_rata(&[claim("A", "1")], d("0.001")).is_err());
        assert!(pro_rata(&[claim("A", "-1")], d("0.5")).is_err());
    }
}
