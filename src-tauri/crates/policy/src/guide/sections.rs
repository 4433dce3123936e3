//! The guide's top level and its round, rounding, panel, eligibility and
//! industry-group sections.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use toml::{Table, Value};

use reviewdesk_domain::money::RoundingMode;

use super::clauses::{parse_clauses, parse_condition};
use super::model::{
    BudgetOverrun, CommonEligibility, Guide, HighestOnly, IndustryGroup, OtherSupport, Panel,
    PanelMethod, PanelTrim, Round, Rounding, ScoreRounding, WithinPolicy,
};
use super::reader::{at, dec, join, show, Walker};
use super::wording::parse_wording;
use super::FORMAT;

pub(super) fn parse_guide(w: &mut Walker, root: &Table) -> Option<Guide> {
    const KEYS: &[&str] = &[
        "format",
        "title",
        "certified_platforms",
        "round",
        "highest_only",
        "rounding",
        "score_rounding",
        "panel",
        "eligibility",
        "industry_groups",
        "clauses",
        "wording",
    ];
    w.unknown_keys("", root, KEYS);
    let format = w.req("", root, "format", Walker::integer);
    if let Some(found) = format {
        if found != FORMAT {
            w.report(
                "format",
                format!("本程序读取格式 {FORMAT}，文件为格式 {found} / this program reads format {FORMAT}, the file is format {found}"),
            );
        }
    }
    let title = w.req("", root, "title", Walker::string);
    let certified_platforms = w.req("", root, "certified_platforms", Walker::strings);
    if certified_platforms.as_ref().is_some_and(|l| l.is_empty()) {
        w.report(
            "certified_platforms",
            "清单不能为空 / the list must not be empty",
        );
    }
    let round = w.req("", root, "round", parse_round);
    let highest_only = w.req("", root, "highest_only", parse_highest_only);
    let rounding = w.req("", root, "rounding", parse_rounding);
    let score_rounding = w.req("", root, "score_rounding", parse_score_rounding);
    let panel = w.req("", root, "panel", parse_panel);
    let eligibility = w.req("", root, "eligibility", parse_common_eligibility);
    let industry_groups = w.req("", root, "industry_groups", parse_industry_groups);
    let clauses = w.req("", root, "clauses", parse_clauses);
    let wording = w.req("", root, "wording", parse_wording);
    Some(Guide {
        format: format?,
        title: title?,
        certified_platforms: certified_platforms?,
        round: round?,
        highest_only: highest_only?,
        rounding: rounding?,
        score_rounding: score_rounding?,
        panel: panel?,
        eligibility: eligibility?,
        industry_groups: industry_groups?,
        clauses: clauses?,
        wording: wording?,
    })
}

pub(super) fn parse_round(w: &mut Walker, path: &str, v: &Value) -> Option<Round> {
    let t = w.table(
        path,
        v,
        &[
            "year",
            "data_year",
            "window_open",
            "window_close",
            "budget",
            "budget_overrun",
            "applicant_cap",
            "counted_support_years",
            "notice_working_days",
            "notice_before_letters",
            "notice_mask_credit_code",
        ],
    )?;
    let year = w.req(path, t, "year", |w, p, v| w.int_in(p, v, 2000, 2100));
    let data_year = w.req(path, t, "data_year", |w, p, v| w.int_in(p, v, 1999, 2099));
    if let (Some(y), Some(d)) = (year, data_year) {
        let want = y - 1;
        if d != want {
            w.report(
                &join(path, "data_year"),
                format!(
                    "数据年度应为申报年度的上一年 {want}，实为 {d} / the data year must be the year before the round ({want}), found {d}"
                ),
            );
        }
    }
    let window_open = w.req(path, t, "window_open", Walker::date);
    let window_close = w.req(path, t, "window_close", Walker::date);
    if let (Some(o), Some(c)) = (window_open, window_close) {
        if o > c {
            w.report(
                &join(path, "window_close"),
                format!(
                    "申报截止日 {c} 早于开始日 {o} / the window closes ({c}) before it opens ({o})"
                ),
            );
        }
    }
    let budget = w.opt(path, t, "budget", Walker::decimal);
    if let Some(b) = budget {
        whole_fen(w, &join(path, "budget"), b, ("预算", "the budget"));
    }
    let budget_overrun = if t.contains_key("budget_overrun") {
        w.opt(path, t, "budget_overrun", Walker::named::<BudgetOverrun>)
    } else {
        Some(BudgetOverrun::Flag)
    };
    if budget_overrun == Some(BudgetOverrun::ProRata) && !t.contains_key("budget") {
        w.report(
            &join(path, "budget_overrun"),
            "按比例核减（pro_rata）需要设定预算 budget / \"pro_rata\" needs a budget: set round.budget",
        );
    }
    let applicant_cap = w.opt(path, t, "applicant_cap", Walker::decimal);
    if let Some(b) = applicant_cap {
        let what = ("申报单位扶持上限", "the applicant cap");
        whole_fen(w, &join(path, "applicant_cap"), b, what);
    }
    let counted_support_years = match t.get("counted_support_years") {
        Some(v) => support_years(w, &join(path, "counted_support_years"), v),
        None => year
            .zip(data_year)
            .and_then(|(y, d)| Some(vec![i32::try_from(d).ok()?, i32::try_from(y).ok()?])),
    };
    let notice_working_days = match t.get("notice_working_days") {
        Some(v) => w
            .int_in(&join(path, "notice_working_days"), v, 1, 60)
            .and_then(|i| u32::try_from(i).ok()),
        None => Some(5),
    };
    let notice_before_letters = flag(w, path, t, "notice_before_letters");
    let notice_mask_credit_code = flag(w, path, t, "notice_mask_credit_code");
    Some(Round {
        year: i32::try_from(year?).ok()?,
        data_year: i32::try_from(data_year?).ok()?,
        window_open: window_open?,
        window_close: window_close?,
        budget,
        budget_overrun: budget_overrun?,
        applicant_cap,
        counted_support_years: counted_support_years?,
        notice_working_days: notice_working_days?,
        notice_before_letters: notice_before_letters?,
        notice_mask_credit_code: notice_mask_credit_code?,
    })
}

/// A true/false setting at `path.key`, false when absent.
fn flag(w: &mut Walker, path: &str, t: &Table, key: &str) -> Option<bool> {
    match t.get(key) {
        None => Some(false),
        Some(Value::Boolean(b)) => Some(*b),
        Some(other) => {
            w.wrong_type(&join(path, key), "true 或 false", "true or false", other);
            None
        }
    }
}

/// An amount of money at `path` that must be ≥ 0 and whole fen (`what`:
/// its name in Chinese and English, for the message).
fn whole_fen(w: &mut Walker, path: &str, b: Decimal, what: (&str, &str)) {
    if w.check_range(path, b, Decimal::ZERO, false, None) && b.normalize().scale() > 2 {
        let b = show(b);
        let (zh, en) = what;
        w.report(
            path,
            format!(
                "{zh}须精确到分（最多 2 位小数），实为 {b} / {en} must be whole fen (at most 2 decimals), found {b}"
            ),
        );
    }
}

/// `round.counted_support_years`: the 年度 of the 其他政策支持 rows that count
/// for 就高不重复, each a year, none twice, at least one.
fn support_years(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<i32>> {
    let Value::Array(items) = v else {
        w.wrong_type(
            path,
            "年度数组（如 [2025, 2026]）",
            "an array of years such as [2025, 2026]",
            v,
        );
        return None;
    };
    if items.is_empty() {
        w.report(path, "至少需要一个年度 / at least one year is needed");
        return None;
    }
    let mut out: Vec<i32> = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = at(path, i);
        match w
            .int_in(&p, item, 2000, 2100)
            .and_then(|y| i32::try_from(y).ok())
        {
            Some(y) if out.contains(&y) => {
                w.report(&p, format!("重复的年度 {y} / duplicate year {y}"));
                ok = false;
            }
            Some(y) => out.push(y),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

pub(super) fn parse_highest_only(w: &mut Walker, path: &str, v: &Value) -> Option<HighestOnly> {
    let t = w.table(path, v, &["within_policy", "other_support"])?;
    let within_policy = w.req(path, t, "within_policy", Walker::named::<WithinPolicy>);
    let other_support = w.req(path, t, "other_support", Walker::named::<OtherSupport>);
    Some(HighestOnly {
        within_policy: within_policy?,
        other_support: other_support?,
    })
}

pub(super) fn parse_rounding(w: &mut Walker, path: &str, v: &Value) -> Option<Rounding> {
    let t = w.table(path, v, &["unit", "mode"])?;
    let unit = w.req(path, t, "unit", Walker::decimal);
    let allowed = [Decimal::ONE, Decimal::new(1, 1), Decimal::new(1, 2)];
    let unit = match unit {
        Some(u) if allowed.contains(&u) => Some(u),
        Some(u) => {
            let u = show(u);
            w.report(
                &join(path, "unit"),
                format!(
                    "舍入单位只能是 \"1\"（元）、\"0.1\"（角）或 \"0.01\"（分），实为 {u} / the unit must be \"1\", \"0.1\" or \"0.01\" yuan, found {u}"
                ),
            );
            None
        }
        None => None,
    };
    let mode = w.req(path, t, "mode", Walker::named::<RoundingMode>);
    Some(Rounding {
        unit: unit?,
        mode: mode?,
    })
}

pub(super) fn parse_score_rounding(w: &mut Walker, path: &str, v: &Value) -> Option<ScoreRounding> {
    let t = w.table(path, v, &["dp", "mode"])?;
    let dp = w.req(path, t, "dp", |w, p, v| w.int_in(p, v, 0, 6));
    let mode = w.req(path, t, "mode", Walker::named::<RoundingMode>);
    Some(ScoreRounding {
        dp: u32::try_from(dp?).ok()?,
        mode: mode?,
    })
}

pub(super) fn parse_panel(w: &mut Walker, path: &str, v: &Value) -> Option<Panel> {
    let t = w.table(
        path,
        v,
        &[
            "method",
            "drop_high_low_from",
            "trim",
            "min_scores",
            "disagreement_threshold",
            "independent",
        ],
    )?;
    let method = w.req(path, t, "method", Walker::named::<PanelMethod>);
    let drop_high_low_from = w.maybe(path, t, "drop_high_low_from", |w, p, v| {
        w.int_in(p, v, 3, 100)
    });
    if method == Some(PanelMethod::Median) && drop_high_low_from.flatten().is_some() {
        w.report(
            &join(path, "drop_high_low_from"),
            "去掉最高分和最低分只适用于 mean（算术平均） / dropping the highest and lowest applies to method \"mean\" only",
        );
    }
    let trim = if t.contains_key("trim") {
        w.opt(path, t, "trim", Walker::named::<PanelTrim>)
    } else {
        Some(PanelTrim::default())
    };
    let min_scores = w.maybe(path, t, "min_scores", |w, p, v| w.int_in(p, v, 1, 100));
    let independent = flag(w, path, t, "independent");
    let threshold = w.req_in(
        path,
        t,
        "disagreement_threshold",
        Decimal::ZERO,
        false,
        Some(dec(100)),
    );
    Some(Panel {
        method: method?,
        drop_high_low_from: drop_high_low_from?.and_then(|d| u32::try_from(d).ok()),
        trim: trim?,
        min_scores: min_scores?.and_then(|m| u32::try_from(m).ok()),
        disagreement_threshold: threshold?,
        independent: independent?,
    })
}

pub(super) fn parse_common_eligibility(
    w: &mut Walker,
    path: &str,
    v: &Value,
) -> Option<CommonEligibility> {
    let t = w.table(path, v, &["registered_district", "conditions"])?;
    let registered_district = w.req(path, t, "registered_district", Walker::string);
    let conditions = w.opt_tables(path, t, "conditions", |w, p, v| {
        parse_condition(w, p, v, None)
    });
    Some(CommonEligibility {
        registered_district: registered_district?,
        conditions: conditions?,
    })
}

pub(super) fn parse_industry_groups(
    w: &mut Walker,
    path: &str,
    v: &Value,
) -> Option<Vec<IndustryGroup>> {
    let groups = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["name", "members"])?;
        let name = w.req(p, t, "name", Walker::string);
        let members = w.req(p, t, "members", Walker::strings);
        if members.as_ref().is_some_and(|m| m.is_empty()) {
            w.report(&join(p, "members"), "不能为空 / must not be empty");
        }
        Some(IndustryGroup {
            name: name?,
            members: members?,
        })
    })?;
    if groups.is_empty() {
        w.report(path, "至少需要一个产业组 / at least one group is needed");
    }
    let mut names = BTreeSet::new();
    let mut members: BTreeMap<&str, &str> = BTreeMap::new();
    let mut ok = true;
    for (i, g) in groups.iter().enumerate() {
        if !names.insert(g.name.as_str()) {
            w.report(
                &join(&at(path, i), "name"),
                format!("重复的产业组“{0}” / duplicate group \"{0}\"", g.name),
            );
            ok = false;
        }
        for (j, m) in g.members.iter().enumerate() {
            if let Some(other) = members.insert(m.as_str(), g.name.as_str()) {
                if other != g.name {
                    w.report(
                        &at(&join(&at(path, i), "members"), j),
                        format!("“{m}”已列在产业组“{other}”中 / \"{m}\" is already in group \"{other}\""),
                    );
                    ok = false;
                }
            }
        }
    }
    ok.then_some(groups)
}
