//! A clause's award rule: tiers, proportional or rate, with its limits.

use rust_decimal::Decimal;
use toml::Value;

use super::fields::{check_field, is_money};
use super::model::{Award, Limit, Tier};
use super::reader::{at, dec, join, show, Walker, AWARD_METHODS};
use super::Clause;

pub(super) fn parse_award(w: &mut Walker, path: &str, v: &Value, clause: Clause) -> Option<Award> {
    let (t, method) = w.tagged(path, v, "method", "计算方式", AWARD_METHODS)?;
    let cap = w.req_in(path, t, "cap", Decimal::ZERO, false, None);
    let limits = w.opt_tables(path, t, "limits", |w, p, v| parse_limit(w, p, v, clause));
    match method.as_str() {
        "tiers" => {
            let tiers = w.req(path, t, "tiers", parse_tiers);
            Some(Award::Tiers {
                cap: cap?,
                tiers: tiers?,
                limits: limits?,
            })
        }
        "proportional" => {
            let pass_mark = w.req_in(path, t, "pass_mark", Decimal::ZERO, true, Some(dec(100)));
            Some(Award::Proportional {
                cap: cap?,
                pass_mark: pass_mark?,
                limits: limits?,
            })
        }
        _ => {
            let rate = w.req_in(path, t, "rate", Decimal::ZERO, false, Some(Decimal::ONE));
            let base = w.req(path, t, "base", Walker::string);
            let base_ok = money_field_ok(w, &join(path, "base"), clause, base.as_deref());
            let award = Award::Rate {
                rate: rate?,
                base: base?,
                cap: cap?,
                limits: limits?,
            };
            base_ok.then_some(award)
        }
    }
}

/// True when `name` is a money field of the clause (or the applicant sheet);
/// reported otherwise. `None` (not read) is false, reported already.
fn money_field_ok(w: &mut Walker, path: &str, clause: Clause, name: Option<&str>) -> bool {
    name.is_some_and(|name| {
        check_field(w, path, Some(clause), name, is_money, "金额", "money").is_some()
    })
}

/// The award never exceeds `share` (0 < share ≤ 1) × a money field.
fn parse_limit(w: &mut Walker, path: &str, v: &Value, clause: Clause) -> Option<Limit> {
    let t = w.table(path, v, &["field", "share"])?;
    let field = w.req(path, t, "field", Walker::string);
    let field_ok = money_field_ok(w, &join(path, "field"), clause, field.as_deref());
    let share = w.req_in(path, t, "share", Decimal::ZERO, false, Some(Decimal::ONE));
    let limit = Limit {
        field: field?,
        share: share?,
    };
    field_ok.then_some(limit)
}

pub(super) fn parse_tiers(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<Tier>> {
    let tiers = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["min_score", "share"])?;
        let min_score = w.req_in(p, t, "min_score", Decimal::ZERO, true, Some(dec(100)));
        let share = w.req_in(p, t, "share", Decimal::ZERO, true, Some(Decimal::ONE));
        Some(Tier {
            min_score: min_score?,
            share: share?,
        })
    })?;
    if tiers.is_empty() {
        w.report(path, "至少需要一档 / at least one tier is needed");
        return None;
    }
    let mut ok = true;
    for (i, pair) in tiers.windows(2).enumerate() {
        ok &= tier_follows(w, &at(path, i + 1), &pair[0], &pair[1]);
    }
    ok.then_some(tiers)
}

/// A tier (at `path`) is below the previous one, and its share no higher.
fn tier_follows(w: &mut Walker, path: &str, prev: &Tier, tier: &Tier) -> bool {
    if tier.min_score >= prev.min_score {
        let (score, before) = (show(tier.min_score), show(prev.min_score));
        w.report(
            path,
            format!(
                "各档应从高分到低分排列：min_score {score} 不低于上一档的 {before} / tiers must go from the highest score down: min_score {score} is not below the previous tier's {before}"
            ),
        );
        return false;
    }
    if tier.share > prev.share {
        let (share, before) = (show(tier.share), show(prev.share));
        w.report(
            &join(path, "share"),
            format!(
                "低分档的比例 {share} 高于上一档的 {before} / a lower tier's share ({share}) is above the previous tier's ({before})"
            ),
        );
        return false;
    }
    true
}
