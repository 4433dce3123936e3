//! Grid → `Extraction`: find our sheets, the applicant form's labels and the
//! tables' header rows, normalise every value against the workbook contract
//! (`schema`), and report every problem in one pass.
//!
//! Pure: no I/O, no database, no panics on any grid. A value that fails
//! validation is left out of the extracted fields and reported as an issue;
//! everything else is kept, so a reviewer sees the whole workbook and a
//! correction notice can list every problem at once.

//!
//! The room is split by concern: `locate` (sheet names, labels, headers,
//! the cell lookup), `issues` (the run that collects every problem and
//! normalises one value), `form` (the applicant form), `table` (a table's
//! header and rows), `workbook` (sheets matched to the contract, projects,
//! other support and the workbook-level checks).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::grid::Grid;
pub use reviewdesk_domain::schema::Clause;

mod form;
mod issues;
mod locate;
mod projects;
mod table;
#[cfg(test)]
mod tests;
mod workbook;

/// At most this many issues are listed; the rest are counted in one final
/// issue (a hostile or badly broken workbook must not produce millions).
pub const MAX_ISSUES: usize = 1000;
/// At most this many data rows are read from one table.
pub const MAX_TABLE_ROWS: usize = 5000;
/// At most this many merged regions of a sheet are considered (lookups are
/// linear; a real workbook has a few dozen).
pub const MAX_MERGES: usize = 2000;

/// Everything read from one workbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// 申报年度, when valid and one of the accepted years.
    pub year: Option<i32>,
    /// 统一社会信用代码, only when valid.
    pub credit_code: Option<String>,
    /// 单位名称 as typed (trimmed), when not empty.
    pub applicant_name: Option<String>,
    /// The applicant form's valid values, in sheet order.
    pub fields: Vec<FieldValue>,
    /// One per data row of a clause table.
    pub projects: Vec<Project>,
    /// Rows of 其他政策支持.
    pub other_support: Vec<SupportRow>,
    pub issues: Vec<Issue>,
}

impl Extraction {
    /// True when any issue is an error (the workbook needs correction).
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// An applicant-form field by key ("上年度营业收入").
    pub fn field(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// An applicant-form value by key.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.field(key).map(|f| &f.value)
    }

    /// The projects declared under one clause.
    pub fn projects_of(&self, clause: Clause) -> impl Iterator<Item = &Project> {
        self.projects.iter().filter(move |p| p.clause == clause)
    }
}

/// One extracted value with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldValue {
    /// The label or header without `*`, colon and bracketed unit.
    pub key: String,
    pub value: Value,
    /// The cell's original text.
    pub raw: String,
    /// "申报单位!B13" (the sheet name as in the file).
    pub cell: String,
}

/// A normalised value. Stored tagged (`{"t": "Money", "v": "120.35"}`) so a
/// stored submission reads back exactly; shown untagged through
/// [`Value::display_json`], as the CLI contract wants: money as a yuan string
/// with two decimals ("32005000.00"), quantities as decimal strings, dates as
/// "2025-04-18", integers and years as numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub enum Value {
    Text(String),
    /// Exact yuan.
    Money(#[serde(with = "yuan_2dp")] Decimal),
    Integer(i64),
    /// A non-money decimal (PFLOPS, 卡时).
    Number(#[serde(with = "rust_decimal::serde::str")] Decimal),
    Date(NaiveDate),
    Bool(bool),
    Year(i32),
}

impl Value {
    /// The value as the CLI and the app show it (untagged).
    pub fn display_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Text(s) => J::String(s.clone()),
            Value::Money(d) => J::String(reviewdesk_domain::money::format_yuan(*d)),
            Value::Integer(i) => J::from(*i),
            Value::Number(d) => J::String(d.normalize().to_string()),
            Value::Date(d) => J::String(d.format("%Y-%m-%d").to_string()),
            Value::Bool(b) => J::Bool(*b),
            Value::Year(y) => J::from(*y),
        }
    }

    /// Yuan, from `Money` or from its serialised text.
    pub fn as_money(&self) -> Option<Decimal> {
        match self {
            Value::Money(d) => Some(*d),
            Value::Text(s) => Decimal::from_str_exact(s).ok(),
            _ => None,
        }
    }

    /// A decimal quantity, from `Number`, `Integer` or text.
    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) | Value::Money(d) => Some(*d),
            Value::Integer(i) => Some(Decimal::from(*i)),
            Value::Text(s) => Decimal::from_str_exact(s).ok(),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            Value::Year(y) => Some(i64::from(*y)),
            _ => None,
        }
    }

    pub fn as_year(&self) -> Option<i32> {
        match self {
            Value::Year(y) => Some(*y),
            Value::Integer(i) => i32::try_from(*i).ok(),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            Value::Text(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Serialise yuan with exactly two decimals ("32005000.00").
mod yuan_2dp {
    use rust_decimal::{Decimal, RoundingStrategy};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        r.rescale(2);
        s.serialize_str(&r.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        rust_decimal::serde::str::deserialize(d)
    }
}

/// `field(key)` and `value(key)` for a row that keeps its `fields`.
macro_rules! field_lookup {
    ($row:ty) => {
        impl $row {
            pub fn field(&self, key: &str) -> Option<&FieldValue> {
                self.fields.iter().find(|f| f.key == key)
            }
            pub fn value(&self, key: &str) -> Option<&Value> {
                self.field(key).map(|f| &f.value)
            }
        }
    };
}

/// One project: one data row of a clause table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub clause: Clause,
    /// 项目名称 as typed (trimmed); empty when missing.
    pub name: String,
    /// The sheet name as in the file.
    pub sheet: String,
    /// 1-based row.
    pub row: u32,
    pub fields: Vec<FieldValue>,
}

field_lookup!(Project);

/// One row of 其他政策支持.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportRow {
    pub project_name: String,
    pub sheet: String,
    pub row: u32,
    pub fields: Vec<FieldValue>,
}

field_lookup!(SupportRow);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located as precisely as possible. `sheet`, `cell` and
/// `field` are None for workbook-level problems. `message` is Chinese,
/// `message_en` English; both name the place, the label, what was found and
/// what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Issue {
    pub severity: Severity,
    pub sheet: Option<String>,
    /// "B3"
    pub cell: Option<String>,
    pub field: Option<String>,
    pub found: Option<String>,
    pub expected: Option<String>,
    pub message: String,
    pub message_en: String,
}

/// Read a workbook grid against the workbook contract. `accepted_years` are
/// the rounds the workstation knows (an empty slice accepts any year).
/// Never fails: every problem is an issue in the result.
pub fn extract(grid: &Grid, accepted_years: &[i32]) -> Extraction {
    workbook::extract(grid, accepted_years)
}
