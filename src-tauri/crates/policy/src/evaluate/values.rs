//! Reading an applicant's values: a field of a project (or of the applicant
//! form), a reviewer's certified value over the declared one, names folded
//! for "the same project".

use rust_decimal::Decimal;

use reviewdesk_intake::extract::{Extraction, Project, Value};
use reviewdesk_intake::normalize::name_key;

use super::lines::yuan2;
use super::{Clause, Inputs};

/// Fold a name for "the same project": trim and full-width folding.
pub fn same_key(name: &str) -> String {
    name_key(name)
}

/// A district name reduced for comparing: folded, blanks removed, a leading
/// 重庆市 or 重庆 and a trailing 区 dropped, so "重庆市渝中区", "重庆渝中区",
/// "渝中" and "渝中区" are one district (and 江北区 another).
pub(super) fn district_key(name: &str) -> String {
    let s: String = same_key(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s
        .strip_prefix("重庆市")
        .or_else(|| s.strip_prefix("重庆"))
        .unwrap_or(&s);
    s.strip_suffix('区').unwrap_or(s).to_string()
}

/// The English name of a workbook field (the schema's), else the key itself.
pub fn field_en(clause: Option<Clause>, key: &str) -> String {
    crate::guide::find_field(clause, key)
        .map(|(_, def)| def.en.to_string())
        .unwrap_or_else(|| key.to_string())
}

pub(super) fn text_of(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Money(d) | Value::Number(d) => d.normalize().to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Year(y) => y.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

pub(super) fn number_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::Money(d) | Value::Number(d) => Some(*d),
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Year(y) => Some(Decimal::from(*y)),
        _ => None,
    }
}

/// A field's value for a project: the project's column first, then the
/// applicant form; with its source cell.
pub(super) fn lookup<'a>(
    ex: &'a Extraction,
    p: &'a Project,
    field: &str,
) -> Option<(&'a Value, &'a str)> {
    p.field(field)
        .or_else(|| ex.field(field))
        .map(|f| (&f.value, f.cell.as_str()))
}

/// A numeric value: certified if any, else declared. Returns (value, cell, certified).
pub(super) fn numeric(
    inp: &Inputs<'_>,
    p: &Project,
    field: &str,
) -> Option<(Decimal, Option<String>, bool)> {
    let key = same_key(&p.name);
    let cert = inp.certified.iter().rev().find(|c| {
        c.field == field
            && match (&c.clause, &c.project) {
                (Some(cl), Some(name)) => *cl == p.clause && same_key(name) == key,
                (None, None) => true,
                _ => false,
            }
    });
    let declared = lookup(inp.extraction, p, field);
    if let Some(c) = cert {
        return Some((c.value, declared.map(|d| d.1.to_string()), true));
    }
    declared.and_then(|(v, cell)| number_of(v).map(|n| (n, Some(cell.to_string()), false)))
}

/// A factor's value as shown: money as yuan, other numbers as written.
pub(super) fn show_value(field: &str, d: Decimal) -> (String, String) {
    let is_money = crate::guide::find_field(None, field)
        .map(|(_, def)| matches!(def.kind, reviewdesk_domain::schema::Kind::MoneyWan))
        .unwrap_or(false)
        || matches!(
            field,
            "项目总投资" | "项目营业收入" | "算力费用" | "资助到账金额" | "场景投资" | "支持金额"
        );
    if is_money {
        yuan2(d)
    } else {
        let s = d.normalize().to_string();
        (s.clone(), s)
    }
}
