//! The clauses: each clause's eligibility, conditions and factor weights.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use toml::{Table, Value};

use reviewdesk_domain::schema::{self, FieldDef, Kind};

use super::awards::parse_award;
use super::factors::parse_factor;
use super::fields::{check_field, is_date, is_textual, YES_NO};
use super::model::{Award, ClauseEligibility, ClauseRules, Condition, ListName};
use super::reader::{at, dec, join, show, Walker, CONDITION_TESTS};
use super::Clause;

pub(super) fn parse_clauses(
    w: &mut Walker,
    path: &str,
    v: &Value,
) -> Option<BTreeMap<Clause, ClauseRules>> {
    let t = w.any_table(path, v)?;
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

const SCORED_NEEDS_FACTORS: &str =
    "评分条款至少需要一个评分因素 / a scored clause needs at least one factor";

pub(super) fn parse_clause(
    w: &mut Walker,
    path: &str,
    v: &Value,
    id: Clause,
) -> Option<ClauseRules> {
    let keys: &[&str] = if id == Clause::C4 {
        &[
            "article",
            "name",
            "eligibility",
            "factors",
            "award",
            "library_required",
        ]
    } else {
        &["article", "name", "eligibility", "factors", "award"]
    };
    let t = w.table(path, v, keys)?;
    let library_required = match t.get("library_required") {
        Some(Value::Boolean(b)) => Some(*b),
        Some(other) => {
            w.wrong_type(
                &join(path, "library_required"),
                "true 或 false",
                "true or false",
                other,
            );
            None
        }
        None => Some(false),
    };
    let article = w.req(path, t, "article", Walker::string);
    let name = w.req(path, t, "name", Walker::string);
    let eligibility = w.req(path, t, "eligibility", |w, p, v| {
        parse_clause_eligibility(w, p, v, id)
    });
    let award = w.req(path, t, "award", |w, p, v| parse_award(w, p, v, id));
    let factors = w.opt_tables(path, t, "factors", |w, p, v| parse_factor(w, p, v, id));
    let factors_path = join(path, "factors");
    if let Some(Value::Array(items)) = t.get("factors") {
        check_factor_ids_and_weights(w, &factors_path, t, items);
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
            w.report(&factors_path, SCORED_NEEDS_FACTORS);
        }
    }
    Some(ClauseRules {
        article: article?,
        name: name?,
        eligibility: eligibility?,
        factors: factors?,
        award: award?,
        library_required: library_required?,
    })
}

/// Who may apply under a clause: applicant types, conditions, fields that
/// must hold a value.
fn parse_clause_eligibility(
    w: &mut Walker,
    path: &str,
    v: &Value,
    id: Clause,
) -> Option<ClauseEligibility> {
    let t = w.table(
        path,
        v,
        &["applicant_types", "conditions", "required_fields"],
    )?;
    let types = w.req(path, t, "applicant_types", |w, p, v| {
        applicant_types(w, p, v)
    });
    let conditions = w.opt_tables(path, t, "conditions", |w, p, v| {
        parse_condition(w, p, v, Some(id))
    });
    let required_fields = match t.get("required_fields") {
        Some(v) => required_fields(w, &join(path, "required_fields"), v, id),
        None => Some(Vec::new()),
    };
    Some(ClauseEligibility {
        applicant_types: types?,
        conditions: conditions?,
        required_fields: required_fields?,
    })
}

/// A non-empty list of the workbook's 单位类型 values.
fn applicant_types(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<String>> {
    let types = w.strings(path, v)?;
    let mut ok = !types.is_empty();
    if types.is_empty() {
        w.report(path, "不能为空 / must not be empty");
    }
    for (i, ty) in types.iter().enumerate() {
        if !schema::ORG_TYPES.contains(&ty.as_str()) {
            w.report(
                &at(path, i),
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
}

/// Field names of the clause (or the applicant sheet), each one known.
fn required_fields(w: &mut Walker, path: &str, v: &Value, id: Clause) -> Option<Vec<String>> {
    let names = w.strings(path, v)?;
    let mut ok = true;
    for (i, name) in names.iter().enumerate() {
        ok &= check_field(w, &at(path, i), Some(id), name, |_| true, "", "known").is_some();
    }
    ok.then_some(names)
}

/// Factor ids distinct and weights summing to 100, checked on the factors
/// as written (`items`, at `path`); the sum only when every weight could be
/// read (otherwise it would mislead).
fn check_factor_ids_and_weights(w: &mut Walker, path: &str, clause: &Table, items: &[Value]) {
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
                    &join(&at(path, i), "id"),
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
        clause.get("award").and_then(|a| a.get("method")),
        Some(Value::String(m)) if m != "rate"
    );
    if scored && items.is_empty() {
        w.report(path, SCORED_NEEDS_FACTORS);
    } else if scored && all_weights && sum != dec(100) {
        let sum = show(sum);
        w.report(
            path,
            format!("权重合计 {sum}，应为 100 / weights sum to {sum}, expected 100"),
        );
    }
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
    let (t, test) = w.tagged(path, v, "test", "条件", CONDITION_TESTS)?;
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
            "in_data_year" | "by_data_year" => {
                check_field(w, &field_path, clause, name, is_date, "日期", "date")
            }
            _ => check_field(w, &field_path, clause, name, is_textual, "文本", "text"),
        },
        None => None,
    };
    let condition = condition_of(w, path, t, &test, field, def)?;
    def?;
    Some(condition)
}

/// The condition `test` on `field` (read already; `def` its definition),
/// with the keys that test takes.
fn condition_of(
    w: &mut Walker,
    path: &str,
    t: &Table,
    test: &str,
    field: Option<String>,
    def: Option<&FieldDef>,
) -> Option<Condition> {
    Some(match test {
        "equals" | "contains" => {
            let value = w.req(path, t, "value", Walker::string);
            let value = match value {
                Some(s) if test == "equals" => {
                    choice_ok(w, &join(path, "value"), def, &s).then_some(s)
                }
                other => other,
            };
            let (field, value) = (field?, value?);
            if test == "equals" {
                Condition::Equals { field, value }
            } else {
                Condition::Contains { field, value }
            }
        }
        "one_of" => {
            let values = w.req(path, t, "values", |w, p, v| {
                let vals = w.strings(p, v)?;
                if vals.is_empty() {
                    w.report(p, "不能为空 / must not be empty");
                    return None;
                }
                let mut ok = true;
                for (i, s) in vals.iter().enumerate() {
                    ok &= choice_ok(w, &at(p, i), def, s);
                }
                ok.then_some(vals)
            });
            Condition::OneOf {
                field: field?,
                values: values?,
            }
        }
        "in_data_year" => Condition::InDataYear { field: field? },
        "by_data_year" => Condition::ByDataYear { field: field? },
        _ => {
            let list = w.req(path, t, "list", Walker::named::<ListName>);
            Condition::OnList {
                field: field?,
                list: list?,
            }
        }
    })
}

/// False (and reported) when `value` is a value the field can never hold:
/// a typo.
fn choice_ok(w: &mut Walker, path: &str, def: Option<&FieldDef>, value: &str) -> bool {
    let choices: &[&str] = match def.map(|d| d.kind) {
        Some(Kind::Choice(c)) => c,
        Some(Kind::YesNo) => YES_NO,
        _ => return true,
    };
    if choices.contains(&value) {
        return true;
    }
    w.report(
        path,
        format!(
            "“{value}”不是该字段的可选值（{}） / \"{value}\" is not a choice of this field ({})",
            choices.join("、"),
            choices.join(", ")
        ),
    );
    false
}
