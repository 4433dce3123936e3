//! The round budget, pure: awards totalled per clause and for the round,
//! compared with the guide's `round.budget`; over budget is flagged, and
//! under the guide's optional pro-rata rule (`round.budget_overrun =
//! "pro_rata"`) the awards are reduced to fit the budget exactly.
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
//! [`budget_of`] and [`pro_rata`] are functions of a guide and evaluations;
//! reading a round from the store (and applying the reduction to one
//! applicant's figures) is the engine's `review::budget`.

use std::collections::BTreeMap;

use reviewdesk_domain::money::format_yuan_grouped;
use reviewdesk_domain::{DomainError, Result};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::evaluate::{same_key, Evaluation};
use crate::guide::{BudgetOverrun, Clause, Guide};

/// Serialise a Decimal yuan as "650000.00".
mod yuan {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&reviewdesk_domain::money::format_yuan(*d))
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
        DomainError::Invalid(format!(
            "预算须为不小于 0 的整分金额，而不是 {budget} / the budget must be whole fen ≥ 0, not {budget}"
        ))
    })?;
    let a: Vec<i128> = claims
        .iter()
        .map(|c| {
            to_fen(c.award).ok_or_else(|| {
                DomainError::Invalid(format!(
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClauseTotal {
    pub clause: Clause,
    /// Projects with an award above zero.
    pub projects: usize,
    #[serde(with = "yuan")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub total_yuan: Decimal,
    /// After the pro-rata reduction, when it applies.
    #[serde(with = "crate::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub reduced_yuan: Option<Decimal>,
}

/// One award under the pro-rata rule.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Allocation {
    pub credit_code: String,
    pub clause: Clause,
    pub project: String,
    /// Approved (frozen): not reduced.
    pub frozen: bool,
    #[serde(with = "yuan")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub award_yuan: Decimal,
    #[serde(with = "yuan")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub reduced_yuan: Decimal,
    #[serde(with = "yuan")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub reduction_yuan: Decimal,
}

/// A round's awards against its budget. Keys are a stable contract
/// (`reviewdesk budget --json`, the app).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BudgetReport {
    pub round: i32,
    pub guide: String,
    /// None: the guide sets no budget.
    #[serde(with = "crate::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub budget_yuan: Option<Decimal>,
    /// "flag" or "pro_rata" (the guide's `round.budget_overrun`).
    pub rule: BudgetOverrun,
    pub applicants: usize,
    /// Sum of the awards known so far (pending projects count nothing yet).
    #[serde(with = "yuan")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub total_yuan: Decimal,
    /// Of which approved (frozen).
    #[serde(with = "yuan")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub frozen_yuan: Decimal,
    /// Projects whose award waits for panel scores.
    pub pending: usize,
    pub per_clause: Vec<ClauseTotal>,
    /// The known total already exceeds the budget.
    pub over_budget: bool,
    #[serde(with = "crate::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub over_by_yuan: Option<Decimal>,
    #[serde(with = "crate::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub remaining_yuan: Option<Decimal>,
    /// The pro-rata reduction, when the rule is pro_rata, the round is over
    /// budget and nothing is pending: every award with its reduced amount.
    pub allocations: Option<Vec<Allocation>>,
    /// Sum of the reduced awards (equals the budget exactly).
    #[serde(with = "crate::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub reduced_total_yuan: Option<Decimal>,
    pub message: String,
    pub message_en: String,
}

/// The awards of a round as the budget counts them.
struct Tally {
    /// Every award above zero, with whether it is frozen (approved).
    claims: Vec<(Claim, bool)>,
    /// Per clause: projects with an award above zero, and the sum.
    per: BTreeMap<Clause, (usize, Decimal)>,
    /// Projects whose award waits for panel scores.
    pending: usize,
    total: Decimal,
    frozen_total: Decimal,
}

fn tally(evaluations: &[(&Evaluation, bool)]) -> Tally {
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
    Tally {
        claims,
        per,
        pending,
        total,
        frozen_total,
    }
}

/// What the report says (Chinese, English) and, when the pro-rata rule
/// reduces the awards, every award with its reduced amount.
type Assessment = (String, String, Option<Vec<Allocation>>);

/// The round within its budget, or without one.
fn assess(t: &Tally, budget: Option<Decimal>, rule: BudgetOverrun) -> Result<Assessment> {
    let (total, pending) = (format_yuan_grouped(t.total), t.pending);
    let Some(b) = budget else {
        return Ok((
            format!("本轮指南未设预算；扶持合计 {total} 元"),
            format!("the round's guide sets no budget; awards total {total} yuan"),
            None,
        ));
    };
    if t.total > b {
        return assess_over(t, b, rule);
    }
    let (pending_zh, pending_en) = if pending > 0 {
        (
            format!("（另有 {pending} 个项目待专家评分）"),
            format!(" ({pending} projects still await panel scores)"),
        )
    } else {
        (String::new(), String::new())
    };
    let b = format_yuan_grouped(b);
    Ok((
        format!("扶持合计 {total} 元，未超预算 {b} 元{pending_zh}"),
        format!("awards total {total} yuan, within the budget of {b} yuan{pending_en}"),
        None,
    ))
}

/// The round over its budget `b`: flagged for the approver, waiting for
/// panel scores, impossible to reduce (the frozen awards alone exceed it),
/// or reduced pro rata.
fn assess_over(t: &Tally, b: Decimal, rule: BudgetOverrun) -> Result<Assessment> {
    let (total, budget, pending) = (
        format_yuan_grouped(t.total),
        format_yuan_grouped(b),
        t.pending,
    );
    let over_by = format_yuan_grouped(t.total - b);
    Ok(match rule {
        BudgetOverrun::Flag => (
            format!("扶持合计 {total} 元超出预算 {budget} 元（超 {over_by} 元），请审批人处理"),
            format!(
                "awards total {total} yuan, over the budget of {budget} yuan by {over_by} yuan: for the approver to resolve"
            ),
            None,
        ),
        BudgetOverrun::ProRata if pending > 0 => (
            format!(
                "扶持合计 {total} 元超出预算 {budget} 元；尚有 {pending} 个项目待专家评分，评分完成后按比例核减"
            ),
            format!(
                "awards total {total} yuan, over the budget of {budget} yuan; {pending} projects await panel scores, the pro-rata reduction follows once they are scored"
            ),
            None,
        ),
        BudgetOverrun::ProRata if t.frozen_total > b => {
            let frozen = format_yuan_grouped(t.frozen_total);
            (
                format!("已审批的扶持 {frozen} 元已超出预算 {budget} 元，无法按比例核减，请审批人处理"),
                format!(
                    "approved awards of {frozen} yuan alone exceed the budget of {budget} yuan: no pro-rata reduction is possible; for the approver to resolve"
                ),
                None,
            )
        }
        BudgetOverrun::ProRata => (
            format!(
                "扶持合计 {total} 元超出预算 {budget} 元，按比例核减（最大余数法到分）后合计 {budget} 元"
            ),
            format!(
                "awards total {total} yuan, over the budget of {budget} yuan; reduced pro rata (largest remainder, to the fen) to {budget} yuan"
            ),
            Some(allocate(&t.claims, b - t.frozen_total)?),
        ),
    })
}

/// The open (not frozen) claims reduced pro rata into `left` (what the
/// budget leaves after the frozen awards); frozen claims keep their award.
fn allocate(claims: &[(Claim, bool)], left: Decimal) -> Result<Vec<Allocation>> {
    let open: Vec<Claim> = claims
        .iter()
        .filter(|(_, f)| !*f)
        .map(|(c, _)| c.clone())
        .collect();
    let mut reduced = pro_rata(&open, left)?.into_iter();
    Ok(claims
        .iter()
        .map(|(c, frozen)| {
            let r = if *frozen {
                c.award
            } else {
                reduced.next().unwrap_or(c.award)
            };
            Allocation {
                credit_code: c.credit_code.clone(),
                clause: c.clause,
                project: c.project.clone(),
                frozen: *frozen,
                award_yuan: c.award,
                reduced_yuan: r,
                reduction_yuan: c.award - r,
            }
        })
        .collect())
}

/// The budget report of a round from its evaluations; `frozen[i]` says
/// whether `evaluations[i]` is an approved decision's frozen figures.
pub fn budget_of(
    guide: &Guide,
    guide_hash: &str,
    evaluations: &[(&Evaluation, bool)],
) -> Result<BudgetReport> {
    let t = tally(evaluations);
    let budget = guide.round.budget;
    let rule = guide.round.budget_overrun;
    let over = budget.is_some_and(|b| t.total > b);
    let (message, message_en, allocations) = assess(&t, budget, rule)?;
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
        total_yuan: t.total,
        frozen_yuan: t.frozen_total,
        pending: t.pending,
        per_clause: t
            .per
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
        over_by_yuan: budget.filter(|_| over).map(|b| t.total - b),
        remaining_yuan: budget.filter(|_| !over).map(|b| b - t.total),
        allocations,
        reduced_total_yuan: reduced_total,
        message,
        message_en,
    })
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
