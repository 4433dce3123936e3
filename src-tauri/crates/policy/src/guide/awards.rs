//! A clause's award rule: tiers, proportional or rate, with its limits.

use rust_decimal::Decimal;
use toml::Value;

use super::fields::*;
use super::model::*;
use super::reader::*;
use super::*;

pub(super) fn parse_award(w: &mut Walker, path: &str, v: &Value, clause: Clause) -> Option<Award> {
    let Value::Table(t) = v else {
        w.wrong_type(path, "表", "a table", v);
        return None;
    };
    let method = w.req(path, t, "method", Walker::string)?;
    let Some((_, keys)) = AWARD_METHODS.iter().find(|(n, _)| *n == method) else {
        let names: Vec<&str> = AWARD_METHODS.iter().map(|(n, _)| *n).collect();
        w.report(
            &join(path, "method"),
            format!(
                "未知的计算方式“{method}”；可选：{} / unknown method \"{method}\"; expected one of: {}",
                names.join("、"),
                names.join(", ")
            ),
        );
        return None;
    };
    w.unknown_keys(path, t, keys);
    let cap = w
        .req(path, t, "cap", Walker::decimal)
        .filter(|d| w.check_range(&join(path, "cap"), *d, Decimal::ZERO, false, None));
    let limits = match t.get("limits") {
        Some(v) => w.tables(&join(path, "limits"), v, |w, p, v| {
            let lt = w.table(p, v, &["field", "share"])?;
            let field = w.req(p, lt, "field", Walker::string);
            let field_ok = field.as_ref().is_some_and(|name| {
                check_field(
                    w,
                    &join(p, "field"),
                    Some(clause),
                    name,
                    is_money,
                    "金额",
                    "money",
                )
                .is_some()
            });
            let share = w.req(p, lt, "share", Walker::decimal).filter(|d| {
                w.check_range(
                    &join(p, "share"),
                    *d,
                    Decimal::ZERO,
                    false,
                    Some(Decimal::ONE),
                )
            });
            let (field, share) = all!(field, share)?;
            field_ok.then_some(Limit { field, share })
        }),
        None => Some(Vec::new()),
    };
    match method.as_str() {
        "tiers" => {
            let tiers = w.req(path, t, "tiers", parse_tiers);
            let (cap, tiers, limits) = all!(cap, tiers, limits)?;
            Some(Award::Tiers { cap, tiers, limits })
        }
        "proportional" => {
            let pass_mark = w.req(path, t, "pass_mark", Walker::decimal).filter(|d| {
                w.check_range(
                    &join(path, "pass_mark"),
                    *d,
                    Decimal::ZERO,
                    true,
                    Some(dec(100)),
                )
            });
            let (cap, pass_mark, limits) = all!(cap, pass_mark, limits)?;
            Some(Award::Proportional {
                cap,
                pass_mark,
                limits,
            })
        }
        _ => {
            let rate = w.req(path, t, "rate", Walker::decimal).filter(|d| {
                w.check_range(
                    &join(path, "rate"),
                    *d,
                    Decimal::ZERO,
                    false,
                    Some(Decimal::ONE),
                )
            });
            let base = w.req(path, t, "base", Walker::string);
            let base_ok = base.as_ref().is_some_and(|name| {
                check_field(
                    w,
                    &join(path, "base"),
                    Some(clause),
                    name,
                    is_money,
                    "金额",
                    "money",
                )
                .is_some()
            });
            let (rate, base, cap, limits) = all!(rate, base, cap, limits)?;
            base_ok.then_some(Award::Rate {
                rate,
                base,
                cap,
                limits,
            })
        }
    }
}

pub(super) fn parse_tiers(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<Tier>> {
    let tiers = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["min_score", "share"])?;
        let min_score = w.req(p, t, "min_score", Walker::decimal).filter(|d| {
            w.check_range(
                &join(p, "min_score"),
                *d,
                Decimal::ZERO,
                true,
                Some(dec(100)),
            )
        });
        let share = w.req(p, t, "share", Walker::decimal).filter(|d| {
            w.check_range(
                &join(p, "share"),
                *d,
                Decimal::ZERO,
                true,
                Some(Decimal::ONE),
            )
        });
        let (min_score, share) = all!(min_score, share)?;
        Some(Tier { min_score, share })
    })?;
    if tiers.is_empty() {
        w.report(path, "至少需要一档 / at least one tier is needed");
        return None;
    }
    let mut ok = true;
    for (i, pair) in tiers.windows(2).enumerate() {
        let (prev, tier) = (&pair[0], &pair[1]);
        if tier.min_score >= prev.min_score {
            w.report(
                &at(path, i + 1),
                format!(
                    "各档应从高分到低分排列：min_score {} 不低于上一档的 {} / tiers must go from the highest score down: min_score {} is not below the previous tier's {}",
                    show(tier.min_score),
                    show(prev.min_score),
                    show(tier.min_score),
                    show(prev.min_score)
                ),
            );
            ok = false;
        } else if tier.share > prev.share {
            w.report(
                &join(&at(path, i + 1), "share"),
                format!(
                    "低分档的比例 {} 高于上一档的 {} / a lower tier's share ({}) is above the previous tier's ({})",
                    show(tier.share),
                    show(prev.share),
                    show(tier.share),
                    show(prev.share)
                ),
            );
            ok = false;
        }
    }
    ok.then_some(tiers)
}
