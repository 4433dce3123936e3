//! One project's award under its clause: eligibility first, then the
//! factor scores, the amount by the clause's method (rate, tiers or
//! proportional), the cap and the limits.

use rust_decimal::Decimal;

use reviewdesk_intake::extract::Project;

use super::eligibility::eligibility;
use super::factors::score_project;
use super::lines::{amount_line, below_pass_mark_line, line2, score_line, yuan2};
use super::values::{field_en, numeric};
use super::{Award, ClauseRules, Inputs, ProjectResult};
use crate::scoring::tier_share;

/// One project under its clause, before 就高不重复 and other support.
pub(super) fn evaluate_project(inp: &Inputs<'_>, p: &Project) -> ProjectResult {
    let g = inp.guide;
    let checks = eligibility(inp, p);
    let eligible = checks.iter().all(|c| c.pass || c.overruled.is_some());
    let mut r = ProjectResult {
        clause: p.clause,
        name: p.name.clone(),
        eligible,
        eligibility: checks,
        factors: vec![],
        score: None,
        computed_yuan: None,
        award_yuan: Some(Decimal::ZERO),
        superseded_by: None,
        lines: vec![],
        panel_totals: vec![],
        disagreement: false,
    };
    let Some(rules) = g.clauses.get(&p.clause) else {
        r.eligible = false;
        r.lines.push(line2(
            "本年度指南未设此条款",
            "This year's guide has no such clause",
            "不予扶持",
            "not supported",
        ));
        return r;
    };
    if !eligible {
        r.lines.push(not_eligible_line(&r));
        return r;
    }
    score_project(inp, p, &rules.factors, &mut r);
    r.score = if rules.award.is_scored() {
        let pts: Option<Vec<Decimal>> = r.factors.iter().map(|f| f.points).collect();
        pts.map(|v| g.score_rounding.apply(v.into_iter().sum()))
    } else {
        None
    };
    let Some(amount) = base_amount(inp, p, rules, &mut r) else {
        r.award_yuan = None;
        r.lines.push(line2(
            "扶持金额",
            "Award",
            "待专家评分后计算",
            "computed once the panel has scored",
        ));
        return r;
    };
    let amount = capped_and_limited(inp, p, rules, amount, &mut r);
    r.computed_yuan = Some(amount);
    r.award_yuan = Some(amount);
    r
}

/// 资格审查未通过 / Eligibility not met, naming every failed rule.
fn not_eligible_line(r: &ProjectResult) -> super::Line {
    let failed = |en: bool| -> Vec<String> {
        r.eligibility
            .iter()
            .filter(|c| !c.pass && c.overruled.is_none())
            .map(|c| {
                if en {
                    format!("{} ({})", c.rule_en, c.reason_en)
                } else {
                    format!("{}（{}）", c.rule, c.reason)
                }
            })
            .collect()
    };
    let (zh, en) = (failed(false).join("；"), failed(true).join("; "));
    line2("资格审查未通过", "Eligibility not met", zh, en)
}

/// The amount by the clause's method, before cap and limits, with its
/// lines; `None` while the panel has yet to score.
fn base_amount(
    inp: &Inputs<'_>,
    p: &Project,
    rules: &ClauseRules,
    r: &mut ProjectResult,
) -> Option<Decimal> {
    match &rules.award {
        Award::Rate { rate, base, .. } => Some(rate_amount(inp, p, *rate, base, r)),
        Award::Tiers { cap, tiers, .. } => {
            let s = r.score?;
            r.lines.push(score_line(s));
            match tier_share(tiers, s) {
                Some(share) => {
                    let a = *cap * share;
                    let pct = (share * Decimal::ONE_HUNDRED).normalize();
                    let (cap_zh, cap_en) = yuan2(*cap);
                    r.lines.push(amount_line(
                        format!("档次：上限 {cap_zh} × {pct}%"),
                        format!("Tier: cap {cap_en} × {pct}%"),
                        a,
                    ));
                    Some(a)
                }
                None => {
                    let pass_mark = rules.award.pass_mark().unwrap_or_default();
                    r.lines.push(below_pass_mark_line(pass_mark));
                    Some(Decimal::ZERO)
                }
            }
        }
        Award::Proportional { cap, pass_mark, .. } => {
            let s = r.score?;
            r.lines.push(score_line(s));
            if s < *pass_mark {
                r.lines.push(below_pass_mark_line(*pass_mark));
                return Some(Decimal::ZERO);
            }
            let a = *cap * s / Decimal::ONE_HUNDRED;
            let (cap_zh, cap_en) = yuan2(*cap);
            r.lines.push(amount_line(
                format!("上限 {cap_zh} × {} / 100", s.normalize()),
                format!("Cap {cap_en} × {} / 100", s.normalize()),
                a,
            ));
            Some(a)
        }
    }
}

/// rate × the base field (certified if any); zero when it is not filled in.
fn rate_amount(
    inp: &Inputs<'_>,
    p: &Project,
    rate: Decimal,
    base: &str,
    r: &mut ProjectResult,
) -> Decimal {
    let base_en = field_en(Some(p.clause), base);
    let Some((v, _, cert)) = numeric(inp, p, base) else {
        r.lines
            .push(line2(base, base_en, "未填写", "not filled in"));
        return Decimal::ZERO;
    };
    r.lines.push(if cert {
        amount_line(
            format!("{base}［核定值］"),
            format!("{base_en} [certified]"),
            v,
        )
    } else {
        amount_line(base, base_en, v)
    });
    let a = v * rate;
    let pct = format!("× {}%", (rate * Decimal::ONE_HUNDRED).normalize());
    r.lines.push(amount_line(pct.clone(), pct, a));
    a
}

/// `amount` under the clause's cap, then under each limit (share × a money
/// field), each reduction with its line.
fn capped_and_limited(
    inp: &Inputs<'_>,
    p: &Project,
    rules: &ClauseRules,
    mut amount: Decimal,
    r: &mut ProjectResult,
) -> Decimal {
    let cap = rules.award.cap();
    if amount > cap {
        amount = cap;
        let (cap_zh, cap_en) = yuan2(cap);
        r.lines.push(amount_line(
            format!("不超过上限 {cap_zh}"),
            format!("Capped at {cap_en}"),
            amount,
        ));
    }
    for l in rules.award.limits() {
        let Some((v, _, cert)) = numeric(inp, p, &l.field) else {
            continue;
        };
        let limit = v * l.share;
        if amount > limit {
            amount = limit;
            let pct = (l.share * Decimal::ONE_HUNDRED).normalize();
            r.lines.push(amount_line(
                format!(
                    "不超过{}{}的 {pct}%",
                    l.field,
                    if cert { "［核定值］" } else { "" },
                ),
                format!(
                    "At most {pct}% of {}{}",
                    field_en(Some(p.clause), &l.field),
                    if cert { " [certified]" } else { "" },
                ),
                amount,
            ));
        }
    }
    amount
}

/// The most a pending project could get under its clause (cap and limits).
pub(super) fn upper_bound(inp: &Inputs<'_>, p: &Project) -> Decimal {
    let Some(rules) = inp.guide.clauses.get(&p.clause) else {
        return Decimal::ZERO;
    };
    let mut ub = rules.award.cap();
    for l in rules.award.limits() {
        if let Some((v, _, _)) = numeric(inp, p, &l.field) {
            ub = ub.min(v * l.share);
        }
    }
    ub
}
