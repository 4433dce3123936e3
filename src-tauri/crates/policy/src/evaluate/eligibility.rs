//! Eligibility, rule by rule: the district, the workbook's errors, the
//! guide's common conditions, then the clause's applicant types, required
//! fields and conditions; a reviewer's written overrule kept beside a failed
//! rule.

use reviewdesk_intake::extract::{Project, Value};

use super::values::{field_en, lookup, same_key, text_of};
use super::{Condition, Inputs, ListName, RuleCheck};

/// A rule's wording and a reason's wording, each (Chinese, English).
type Said = (String, String);

fn rule(id: impl Into<String>, (rule, rule_en): Said, pass: bool, reason: Said) -> RuleCheck {
    RuleCheck {
        id: id.into(),
        rule,
        rule_en,
        pass,
        reason: reason.0,
        reason_en: reason.1,
        overruled: None,
    }
}

/// What the workbook says for a field (`zh` / `en` its name): "X为v" /
/// "X: v", or that it was not filled in.
fn declared(value: Option<&str>, zh: &str, en: &str) -> Said {
    match value {
        Some(v) => (format!("{zh}为{v}"), format!("{en}: {v}")),
        None => (format!("未填写{zh}"), format!("{en} not filled in")),
    }
}

/// Every eligibility rule for project `p`, overrules applied.
pub(super) fn eligibility(inp: &Inputs<'_>, p: &Project) -> Vec<RuleCheck> {
    let g = inp.guide;
    let ex = inp.extraction;
    let mut out = Vec::new();
    let district = ex
        .value("注册区县")
        .map(text_of)
        .map(|s| same_key(&s))
        .unwrap_or_default();
    let want = &g.eligibility.registered_district;
    out.push(rule(
        "district",
        (format!("注册地在{want}"), format!("registered in {want}")),
        district == *want,
        declared(
            Some(district.as_str()).filter(|d| !d.is_empty()),
            "注册区县",
            "registered district",
        ),
    ));
    if ex.has_errors() {
        let n = ex.errors().count();
        out.push(rule(
            "workbook",
            (
                "申报表无待补正错误".into(),
                "the workbook has no errors awaiting correction".into(),
            ),
            false,
            (
                format!("申报表有 {n} 处错误待补正"),
                format!("the workbook has {n} errors awaiting correction"),
            ),
        ));
    }
    for (i, c) in g.eligibility.conditions.iter().enumerate() {
        out.push(check(inp, p, c, format!("common[{i}]")));
    }
    clause_rules(inp, p, &mut out);
    for r in out.iter_mut() {
        if !r.pass {
            if let Some(o) = inp.overrules.iter().rev().find(|o| {
                o.clause == p.clause && same_key(&o.project) == same_key(&p.name) && o.rule == r.id
            }) {
                r.overruled = Some(format!("{}（{}）", o.reason, o.by));
            }
        }
    }
    out
}

/// The clause's own rules: applicant type, required fields, conditions.
fn clause_rules(inp: &Inputs<'_>, p: &Project, out: &mut Vec<RuleCheck>) {
    let ex = inp.extraction;
    let Some(rules) = inp.guide.clauses.get(&p.clause) else {
        return;
    };
    let kind = ex.value("单位类型").map(text_of).unwrap_or_default();
    let types = &rules.eligibility.applicant_types;
    out.push(rule(
        "applicant_type",
        (
            format!("单位类型为{}", types.join("、")),
            format!("organisation type is one of {}", types.join(", ")),
        ),
        types.contains(&kind),
        declared(
            Some(kind.as_str()).filter(|k| !k.is_empty()),
            "单位类型",
            "organisation type",
        ),
    ));
    for f in &rules.eligibility.required_fields {
        let present = lookup(ex, p, f).is_some();
        let en = field_en(Some(p.clause), f);
        let reason = if present {
            ("已填写".into(), "filled in".into())
        } else {
            (format!("未填写{f}"), format!("{en} not filled in"))
        };
        out.push(rule(
            format!("required.{f}"),
            (format!("已填写{f}"), format!("{en} filled in")),
            present,
            reason,
        ));
    }
    for (i, c) in rules.eligibility.conditions.iter().enumerate() {
        out.push(check(
            inp,
            p,
            c,
            format!("{}.conditions[{i}]", p.clause.as_str()),
        ));
    }
}

/// One condition of the guide, checked on project `p`.
fn check(inp: &Inputs<'_>, p: &Project, c: &Condition, id: String) -> RuleCheck {
    let value = c
        .field()
        .and_then(|f| lookup(inp.extraction, p, f))
        .map(|(v, _)| v);
    let shown = value.map(text_of).map(|s| same_key(&s));
    let field = c.field().unwrap_or_default().to_string();
    let fen = field_en(Some(p.clause), &field);
    let found = declared(shown.as_deref(), &field, &fen);
    let (said, pass, reason) = match c {
        Condition::Equals { value: want, .. } => (
            (format!("{field}为{want}"), format!("{fen} is {want}")),
            shown.as_deref() == Some(want.as_str()),
            found,
        ),
        Condition::Contains { value: want, .. } => (
            (format!("{field}在{want}"), format!("{fen} in {want}")),
            shown.as_deref().is_some_and(|s| s.contains(want.as_str())),
            found,
        ),
        Condition::OneOf { values, .. } => (
            (
                format!("{field}为{}", values.join("或")),
                format!("{fen} is {}", values.join(" or ")),
            ),
            shown
                .as_deref()
                .is_some_and(|s| values.iter().any(|v| v == s)),
            found,
        ),
        Condition::InDataYear { .. } => in_data_year(inp, value, &field, &fen),
        Condition::OnList { list, .. } => on_list(inp, *list, shown, &field, &fen),
        Condition::OneTime => one_time(inp, p),
    };
    rule(id, said, pass, reason)
}

/// The date field falls inside the round's data year.
fn in_data_year(
    inp: &Inputs<'_>,
    value: Option<&Value>,
    field: &str,
    fen: &str,
) -> (Said, bool, Said) {
    let y = inp.guide.round.data_year;
    let date = value.and_then(|v| match v {
        Value::Date(d) => Some(*d),
        _ => None,
    });
    (
        (format!("{field}在{y}年内"), format!("{fen} within {y}")),
        date.is_some_and(|d| chrono::Datelike::year(&d) == y),
        date.map(|d| {
            (
                format!("{field}为{}", d.format("%Y年%-m月%-d日")),
                format!("{fen}: {}", d.format("%Y-%m-%d")),
            )
        })
        .unwrap_or_else(|| declared(None, field, fen)),
    )
}

/// The value (`shown`, folded) is on one of the guide's lists.
fn on_list(
    inp: &Inputs<'_>,
    list: ListName,
    shown: Option<String>,
    field: &str,
    fen: &str,
) -> (Said, bool, Said) {
    let items: Vec<String> = match list {
        ListName::CertifiedPlatforms => inp.guide.certified_platforms.clone(),
        ListName::IndustryGroups => inp
            .guide
            .industry_groups
            .iter()
            .flat_map(|g| g.members.iter().cloned())
            .collect(),
    };
    let (listname, listname_en) = match list {
        ListName::CertifiedPlatforms => (
            "经认定的公共算力服务平台",
            "the certified public compute platforms",
        ),
        ListName::IndustryGroups => (
            "全区产业体系（“4311”）",
            "the district's industry groups (\"4311\")",
        ),
    };
    let ok = shown
        .as_deref()
        .is_some_and(|s| items.iter().any(|i| same_key(i) == s));
    let reason = match shown {
        Some(s) if ok => (format!("{s}在清单内"), format!("{s} is on the list")),
        Some(s) => (
            format!("{s}不在清单内（清单：{}）", items.join("、")),
            format!("{s} is not on the list (list: {})", items.join(", ")),
        ),
        None => declared(None, field, fen),
    };
    (
        (
            format!("{field}属于{listname}"),
            format!("{fen} among {listname_en}"),
        ),
        ok,
        reason,
    )
}

/// The project was not supported under clause 1 in an earlier round.
fn one_time(inp: &Inputs<'_>, p: &Project) -> (Said, bool, Said) {
    let seen = inp.earlier_c1.iter().any(|n| *n == same_key(&p.name));
    let reason = if seen {
        (
            "该项目已在以前年度获第一条扶持".into(),
            "this project was supported under clause 1 in an earlier round".into(),
        )
    } else {
        (
            "以前年度未获本条扶持".into(),
            "not supported under this clause before".into(),
        )
    };
    (
        (
            "以前年度未获本条扶持（一次性）".into(),
            "not supported under this clause in an earlier round (one-time)".into(),
        ),
        !seen,
        reason,
    )
}
