//! The clauses: each clause's eligibility, conditions and factor weights.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use toml::Value;

use reviewdesk_domain::schema::{self, Kind};

use super::fields::*;
use super::model::*;
use super::reader::*;
use super::*;

pub(super) fn parse_clauses(
    w: &mut Walker,
    path: &str,
    v: &Value,
) -> Option<BTreeMap<Clause, ClauseRules>> {
    let Value::Table(t) = v else {
        w.wrong_type(path, "表", "a table", v);
        return None;
    };
    let known: Vec<&str> = Clause::ALL.iter().map(|c| c.as_str()).collect();
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (key, value) in t {
        let p = join(path, key);
        match Clause::from_id(key) {
            Some(id) => match parse_clause(w, &p, value, id) {
                Some(c) => {
                    out.insert(id, c);
                }
                None => ok = false,
            },
            None => {
                w.report(
                    &p,
                    format!(
                        "未知的条款；可用：{} / unknown clause; expected one of: {}",
                        known.join("、"),
                        known.join(", ")
                    ),
                );
                ok = false;
            }
        }
    }
    if t.is_empty() {
        w.report(path, "至少需要一个条款 / at least one clause is needed");
        ok = false;
    }
    ok.then_some(out)
}

pub(super) fn parse_clause(
    w: &mut Walker,
    path: &str,
    v: &Value,
    id: Clause,
) -> Option<ClauseRules> {
    let t = w.table(
        path,
        v,
        &["article", "name", "eligibility", "factors", "award"],
    )?;
    let article = w.req(path, t, "article", Walker::string);
    let name = w.req(path, t, "name", Walker::string);
    let eligibility = w.req(path, t, "eligibility", |w, p, v| {
        let t = w.table(p, v, &["applicant_types", "conditions", "required_fields"])?;
        let types = w.req(p, t, "applicant_types", Walker::strings);
        let types = types.and_then(|types| {
            let mut ok = !types.is_empty();
            if types.is_empty() {
                w.report(&join(p, "applicant_types"), "不能为空 / must not be empty");
            }
            for (i, ty) in types.iter().enumerate() {
                if !schema::ORG_TYPES.contains(&ty.as_str()) {
                    w.report(
                        &at(&join(p, "applicant_types"), i),
                        format!(
                            "“{ty}”不是申报表的单位类型；可选：{} / \"{ty}\" is not an applicant type of the workbook; expected one of: {}",
                            schema::ORG_TYPES.join("、"),
                            schema::ORG_TYPES.join(", ")
                        ),
                    );
                    ok = false;
                }
            }
            ok.then_some(types)
        });
        let conditions = match t.get("conditions") {
            Some(v) => w.tables(&join(p, "conditions"), v, |w, p, v| {
                parse_condition(w, p, v, Some(id))
            }),
            None => Some(Vec::new()),
        };
        let required_fields = match t.get("required_fields") {
            Some(v) => w.strings(&join(p, "required_fields"), v).and_then(|names| {
                let mut ok = true;
                for (i, name) in names.iter().enumerate() {
                    let rp = at(&join(p, "required_fields"), i);
                    ok &= check_field(w, &rp, Some(id), name, |_| true, "", "known").is_some();
                }
                ok.then_some(names)
            }),
            None => Some(Vec::new()),
        };
        let (applicant_types, conditions, required_fields) =
            all!(types, conditions, required_fields)?;
        Some(ClauseEligibility {
            applicant_types,
            conditions,
            required_fields,
        })
    });
    let award = w.req(path, t, "award", |w, p, v| parse_award(w, p, v, id));
    let factors_path = join(path, "factors");
    let factors = match t.get("factors") {
        Some(v) => w.tables(&factors_path, v, |w, p, v| parse_factor(w, p, v, id)),
        None => Some(Vec::new()),
    };
    // Weights and ids, checked on the factors that were read; the sum only
    // when every factor was read (otherwise it would mislead).
    if let Some(Value::Array(items)) = t.get("factors") {
        let mut ids = BTreeSet::new();
        let mut sum = Decimal::ZERO;
        let mut all_weights = true;
        for (i, item) in items.iter().enumerate() {
            let Value::Table(ft) = item else {
                all_weights = false;
                continue;
            };
            if let Some(Value::String(fid)) = ft.get("id") {
                if !ids.insert(fid.clone()) {
                    w.report(
                        &join(&at(&factors_path, i), "id"),
                        format!("重复的因素编号“{fid}” / duplicate factor id \"{fid}\""),
                    );
                }
            }
            match ft.get("weight").map(weight_value) {
                Some(Some(d)) => sum += d,
                _ => all_weights = false,
            }
        }
        let scored = matches!(
            t.get("award").and_then(|a| a.get("method")),
            Some(Value::String(m)) if m != "rate"
        );
        if scored && items.is_empty() {
            w.report(
                &factors_path,
                "评分条款至少需要一个评分因素 / a scored clause needs at least one factor",
            );
        } else if scored && all_weights && sum != dec(100) {
            w.report(
                &factors_path,
                format!(
                    "权重合计 {}，应为 100 / weights sum to {}, expected 100",
                    show(sum),
                    show(sum)
                ),
            );
        }
    }
    if let Some(Award::Rate { .. }) = &award {
        if factors.as_ref().is_some_and(|f| !f.is_empty()) {
            w.report(
                &factors_path,
                "按比例计算（method = \"rate\"）的条款不评分，不能有评分因素 / a clause with method \"rate\" is not scored and has no factors",
            );
        }
    }
    if let Some(a) = &award {
        if a.is_scored() && !t.contains_key("factors") {
            w.report(
                &factors_path,
                "评分条款至少需要一个评分因素 / a scored clause needs at least one factor",
            );
        }
    }
    let (article, name, eligibility, factors, award) =
        all!(article, name, eligibility, factors, award)?;
    Some(ClauseRules {
        article,
        name,
        eligibility,
        factors,
        award,
    })
}

/// The weight of a factor as written, when it is a valid positive decimal
/// (used only for the sum; the factor reader reports the details).
fn weight_value(v: &Value) -> Option<Decimal> {
    let d = match v {
        Value::String(s) => Decimal::from_str_exact(s.trim()).ok()?,
        Value::Integer(i) => Decimal::from(*i),
        _ => return None,
    };
    (d > Decimal::ZERO && d <= dec(100)).then_some(d)
}

pub(super) fn parse_condition(
    w: &mut Walker,
    path: &str,
    v: &Value,
    clause: Option<Clause>,
) -> Option<Condition> {
    let Value::Table(t) = v else {
        w.wrong_type(path, "表", "a table", v);
        return None;
    };
    let test = w.req(path, t, "test", Walker::string)?;
    let Some((_, keys)) = CONDITION_TESTS.iter().find(|(n, _)| *n == test) else {
        let names: Vec<&str> = CONDITION_TESTS.iter().map(|(n, _)| *n).collect();
        w.report(
            &join(path, "test"),
            format!(
                "未知的条件“{test}”；可选：{} / unknown test \"{test}\"; expected one of: {}",
                names.join("、"),
                names.join(", ")
            ),
        );
        return None;
    };
    w.unknown_keys(path, t, keys);
    if test == "one_time" {
        if clause.is_none() {
            w.report(
                &join(path, "test"),
                "one_time 只能用于条款的资格条件 / one_time belongs to a clause's conditions",
            );
            return None;
        }
        return Some(Condition::OneTime);
    }
    let field = w.req(path, t, "field", Walker::string);
    let field_path = join(path, "field");
    let def = match &field {
        Some(name) => match test.as_str() {
            "in_data_year" => check_field(w, &field_path, clause, name, is_date, "日期", "date"),
            _ => check_field(w, &field_path, clause, name, is_textual, "文本", "text"),
        },
        None => None,
    };
    // A value the field can never hold is a typo.
    let check_choice = |w: &mut Walker, p: &str, value: &str| -> bool {
        let choices: &[&str] = match def.map(|d| d.kind) {
            Some(Kind::Choice(c)) => c,
            Some(Kind::YesNo) => YES_NO,
            _ => return true,
        };
        if choices.contains(&value) {
            return true;
        }
        w.report(
            p,
            format!(
                "“{value}”不是该字段的可选值（{}） / \"{value}\" is not a choice of this field ({})",
                choices.join("、"),
                choices.join(", ")
            ),
        );
        false
    };
    let condition = match test.as_str() {
        "equals" | "contains" => {
            let value = w.req(path, t, "value", Walker::string);
            let value = match value {
                Some(s) if test == "equals" => {
                    check_choice(w, &join(path, "value"), &s).then_some(s)
                }
                other => other,
            };
            let (field, value) = all!(field, value)?;
            if test == "equals" {
                Condition::Equals { field, value }
            } else {
                Condition::Contains { field, value }
            }
        }
        "one_of" => {
            let values = w.req(path, t, "values", Walker::strings);
            let values = values.and_then(|vals| {
                let p = join(path, "values");
                if vals.is_empty() {
                    w.report(&p, "不能为空 / must not be empty");
                    return None;
                }
                let mut ok = true;
                for (i, s) in vals.iter().enumerate() {
                    ok &= check_choice(w, &at(&p, i), s);
                }
                ok.then_some(vals)
            });
            let (field, values) = all!(field, values)?;
            Condition::OneOf { field, values }
        }
        "in_data_year" => Condition::InDataYear { field: field? },
        _ => {
            let list = w.req(path, t, "list", Walker::named::<ListName>);
            let (field, list) = all!(field, list)?;
            Condition::OnList { field, list }
        }
    };
    def?;
    Some(condition)
}
