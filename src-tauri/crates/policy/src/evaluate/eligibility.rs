//! Eligibility, rule by rule: the district, the workbook's errors, the
//! guide's common conditions, then the clause's applicant types, required
//! fields and conditions; a reviewer's written overrule kept beside a failed
//! rule.

use chrono::{Datelike, NaiveDate};
use reviewdesk_intake::extract::{Project, Value};

use super::values::{district_key, field_en, lookup, same_key, text_of};
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
    let same = !district.is_empty() && district_key(&district) == district_key(want);
    let reason = if same && district != *want {
        (
            format!("注册区县为{district}，即{want}（比对时不计“重庆市”“重庆”前缀和“区”字）"),
            format!("registered district: {district}, that is {want} (a leading 重庆市 or 重庆 and the 区 suffix are not compared)"),
        )
    } else {
        declared(
            Some(district.as_str()).filter(|d| !d.is_empty()),
            "注册区县",
            "registered district",
        )
    };
    out.push(rule(
        "district",
        (format!("注册地在{want}"), format!("registered in {want}")),
        same,
        reason,
    ));
    out.push(late_filing(inp));
    out.extend(blacklist(inp));
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
    if rules.library_required {
        out.push(in_library(inp, p));
    }
}

/// C4 with `library_required`: the project is in the round's imported AI+
/// scenario library (names folded as for the same project); no library
/// imported yet: the rule fails and says so.
fn in_library(inp: &Inputs<'_>, p: &Project) -> RuleCheck {
    let said = (
        "已列入本轮“AI+”应用场景库".into(),
        "in the round's AI+ scenario library".into(),
    );
    let Some(lib) = &inp.lists.aiplus else {
        return rule(
            "ai_library",
            said,
            false,
            (
                "本轮“AI+”应用场景库尚未建立（尚未导入场景库清单），无法核验是否入库".into(),
                "the round's AI+ scenario library is not yet available (no library list imported): membership cannot be checked".into(),
            ),
        );
    };
    let key = same_key(&p.name);
    let named = lib.named();
    let found = lib.entries.iter().find(|e| same_key(&e.project) == key);
    let reason = match found {
        Some(e) => (
            format!("{key}在场景库（{named}）中，申报单位{}", e.owner),
            format!("{key} is in the library ({named}), owner {}", e.owner),
        ),
        None => (
            format!("{key}不在场景库（{named}）中"),
            format!("{key} is not in the library ({named})"),
        ),
    };
    rule("ai_library", said, found.is_some(), reason)
}

/// The applicant's credit code is not on the round's imported credit
/// blacklist (信用中国 / 信用重庆 serious-dishonesty list); no rule until a
/// list is imported.
fn blacklist(inp: &Inputs<'_>) -> Option<RuleCheck> {
    let list = inp.lists.blacklist.as_ref()?;
    let code = inp.extraction.credit_code.clone().unwrap_or_default();
    let named = list.named();
    let said = (
        "未列入失信名单（严重失信主体名单）".to_string(),
        "not on the credit blacklist (serious dishonesty list)".to_string(),
    );
    let hit = list
        .entries
        .iter()
        .find(|e| !code.is_empty() && same_key(&e.credit_code) == same_key(&code));
    Some(match hit {
        Some(e) => rule(
            "blacklist",
            said,
            false,
            (
                format!(
                    "统一社会信用代码{code}在导入的失信名单（{named}）第 {} 行：{}",
                    e.row, e.name
                ),
                format!(
                    "credit code {code} is on the imported blacklist ({named}) row {}: {}",
                    e.row, e.name
                ),
            ),
        ),
        None => rule(
            "blacklist",
            said,
            true,
            (
                format!("统一社会信用代码{code}不在导入的失信名单（{named}）中"),
                format!("credit code {code} is not on the imported blacklist ({named})"),
            ),
        ),
    })
}

/// A date as the Chinese and the English explanation write it.
fn dates(d: NaiveDate) -> (String, String) {
    (
        d.format("%Y年%-m月%-d日").to_string(),
        d.format("%Y-%m-%d").to_string(),
    )
}

/// 逾期申报: the submission was received by the window's closing date (a
/// receipt not recorded is said, not failed).
fn late_filing(inp: &Inputs<'_>) -> RuleCheck {
    let (close, close_en) = dates(inp.guide.round.window_close);
    let said = (
        format!("未逾期申报：于申报截止日{close}前受理"),
        format!("not filed late: received by the closing date {close_en}"),
    );
    match inp.received {
        Some(d) if d > inp.guide.round.window_close => {
            let (on, on_en) = dates(d);
            rule(
                "late_filing",
                said,
                false,
                (
                    format!("受理日期{on}晚于申报截止日{close}，属逾期申报"),
                    format!("received on {on_en}, after the closing date {close_en}: filed late"),
                ),
            )
        }
        Some(d) => {
            let (on, on_en) = dates(d);
            rule(
                "late_filing",
                said,
                true,
                (
                    format!("受理日期{on}，未晚于申报截止日{close}"),
                    format!("received on {on_en}, not after the closing date {close_en}"),
                ),
            )
        }
        None => rule(
            "late_filing",
            said,
            true,
            (
                format!("未记录受理日期，未核对是否逾期（申报截止日{close}）"),
                format!("no receipt date recorded: lateness not checked (closing date {close_en})"),
            ),
        ),
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
    let found = if value.is_none() && column_missing(inp, p, &field) {
        (
            format!("申报表缺少「{field}」列（按旧版模板填报），须评审人核实后确认"),
            format!("the workbook has no {fen} column (made from an older template): a reviewer must check and confirm it"),
        )
    } else {
        declared(shown.as_deref(), &field, &fen)
    };
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
        Condition::InDataYear { .. } => in_data_year(inp, value, &field, &fen, false),
        Condition::ByDataYear { .. } => in_data_year(inp, value, &field, &fen, true),
        Condition::OnList { list, .. } => on_list(inp, *list, shown, &field, &fen),
        Condition::OneTime => one_time(inp, p),
    };
    rule(id, said, pass, reason)
}

/// The sheet of project `p` lacks the column of `field` (a workbook made
/// from an older template: the importer warned about it).
fn column_missing(inp: &Inputs<'_>, p: &Project, field: &str) -> bool {
    inp.extraction.warnings().any(|i| {
        i.cell.is_none()
            && i.field.as_deref() == Some(field)
            && i.sheet.as_deref() == Some(p.sheet.as_str())
    })
}

/// The date field falls inside the round's data year (`or_before`: or
/// before it).
fn in_data_year(
    inp: &Inputs<'_>,
    value: Option<&Value>,
    field: &str,
    fen: &str,
    or_before: bool,
) -> (Said, bool, Said) {
    let y = inp.guide.round.data_year;
    let date = value.and_then(|v| match v {
        Value::Date(d) => Some(*d),
        _ => None,
    });
    let said = if or_before {
        (
            format!("{field}在{y}年或之前"),
            format!("{fen} in {y} or before"),
        )
    } else {
        (format!("{field}在{y}年内"), format!("{fen} within {y}"))
    };
    (
        said,
        date.is_some_and(|d| d.year() == y || (or_before && d.year() < y)),
        date.map(|d| {
            let (zh, en) = dates(d);
            (format!("{field}为{zh}"), format!("{fen}: {en}"))
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
    let imported = match list {
        ListName::CertifiedPlatforms => inp.lists.platforms.as_ref(),
        ListName::IndustryGroups => None,
    };
    let items: Vec<String> = match list {
        ListName::CertifiedPlatforms => match imported {
            Some(l) => l.entries.iter().map(|e| e.name.clone()).collect(),
            None => inp.guide.certified_platforms.clone(),
        },
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
    // an imported list is named with its content hash
    let (listname, listname_en) = match imported {
        Some(l) => (
            format!("{listname}（本轮导入清单 {}）", l.named()),
            format!("{listname_en} (the round's imported list {})", l.named()),
        ),
        None => (listname.to_string(), listname_en.to_string()),
    };
    let ok = shown
        .as_deref()
        .is_some_and(|s| items.iter().any(|i| same_key(i) == s));
    let lapsed = shown
        .as_deref()
        .filter(|_| ok)
        .and_then(|s| lapsed(inp, imported, s));
    let ok = ok && lapsed.is_none();
    let reason = match (shown, lapsed) {
        (_, Some(why)) => why,
        (Some(s), None) if ok => (format!("{s}在清单内"), format!("{s} is on the list")),
        (Some(s), None) => (
            format!("{s}不在清单内（清单：{}）", items.join("、")),
            format!("{s} is not on the list (list: {})", items.join(", ")),
        ),
        (None, None) => declared(None, field, fen),
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

/// An imported platform's certification that ended (有效期至) before the
/// usage period, the round's data year, began: the reason it fails.
fn lapsed(
    inp: &Inputs<'_>,
    imported: Option<&super::ManagedList<super::PlatformEntry>>,
    platform: &str,
) -> Option<Said> {
    let y = inp.guide.round.data_year;
    let start = NaiveDate::from_ymd_opt(y, 1, 1)?;
    let e = imported?
        .entries
        .iter()
        .find(|e| same_key(&e.name) == platform)?;
    let until = e.until.as_deref()?;
    let until = NaiveDate::parse_from_str(until, "%Y-%m-%d").ok()?;
    if until >= start {
        return None;
    }
    let (zh, en) = dates(until);
    Some((
        format!("{platform}的认定有效期至{zh}，早于算力使用期（{y}年度）开始，认定已失效"),
        format!("{platform}'s certification ended on {en}, before the usage period ({y}) began: it had lapsed"),
    ))
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
