//! The workbook fields a guide may name (spec/submission-workbook.md), and
//! the check that a name fits where the guide uses it.

use reviewdesk_domain::schema::{self, FieldDef, Kind};

use super::reader::Walker;
use super::Clause;

/// Where a field lives: the applicant sheet or the clause's project table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldScope {
    Applicant,
    Project,
}

/// How the guide may use a field of the workbook schema.
pub(super) fn is_numeric(kind: Kind) -> bool {
    matches!(kind, Kind::MoneyWan | Kind::Integer | Kind::Number)
}
pub(super) fn is_money(kind: Kind) -> bool {
    kind == Kind::MoneyWan
}
pub(super) fn is_date(kind: Kind) -> bool {
    kind == Kind::Date
}
pub(super) fn is_textual(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Text { .. }
            | Kind::Choice(_)
            | Kind::YesNo
            | Kind::Uscc
            | Kind::Phone
            | Kind::Email
            | Kind::BankAccount
    )
}
pub(super) const YES_NO: &[&str] = &["是", "否"];

/// Finds a field a guide names, by its key in the workbook schema
/// (`intake::schema`): first among the clause's columns (when a clause is
/// given), then among the applicant sheet's labels.
pub fn find_field(clause: Option<Clause>, name: &str) -> Option<(FieldScope, &'static FieldDef)> {
    if let Some(c) = clause {
        if let Some(d) = schema::clause_sheet(c).field(name) {
            return Some((FieldScope::Project, d));
        }
    }
    schema::applicant_sheet()
        .field(name)
        .map(|d| (FieldScope::Applicant, d))
}

/// Describes the fields of `clause` (and the applicant sheet) that fit `want`.
fn field_names(clause: Option<Clause>, want: impl Fn(Kind) -> bool) -> String {
    let mut names: Vec<&str> = Vec::new();
    if let Some(c) = clause {
        names.extend(
            schema::clause_sheet(c)
                .fields
                .iter()
                .filter(|d| want(d.kind))
                .map(|d| d.key),
        );
    }
    names.extend(
        schema::applicant_sheet()
            .fields
            .iter()
            .filter(|d| want(d.kind))
            .map(|d| d.key),
    );
    names.join("、")
}

/// Checks that `name` is a field of the clause (or the applicant sheet) of a
/// kind `want` accepts; reports otherwise.
pub(super) fn check_field(
    w: &mut Walker,
    path: &str,
    clause: Option<Clause>,
    name: &str,
    want: impl Fn(Kind) -> bool + Copy,
    want_zh: &str,
    want_en: &str,
) -> Option<&'static FieldDef> {
    let where_zh = match clause {
        Some(c) => format!("条款 {c} 的申报表和申报单位表"),
        None => "申报单位表".to_string(),
    };
    let where_en = match clause {
        Some(c) => format!("the {c} sheet or the applicant sheet"),
        None => "the applicant sheet".to_string(),
    };
    match find_field(clause, name) {
        None => {
            w.report(
                path,
                format!(
                    "未知字段“{name}”：{where_zh}中没有此字段；可用的{want_zh}字段：{} / unknown field \"{name}\": not in {where_en}; {want_en} fields: {}",
                    field_names(clause, want),
                    field_names(clause, want)
                ),
            );
            None
        }
        Some((_, def)) if !want(def.kind) => {
            w.report(
                path,
                format!(
                    "字段“{name}”不是{want_zh}字段；可用：{} / field \"{name}\" is not a {want_en} field; {want_en} fields: {}",
                    field_names(clause, want),
                    field_names(clause, want)
                ),
            );
            None
        }
        Some((_, def)) => Some(def),
    }
}
