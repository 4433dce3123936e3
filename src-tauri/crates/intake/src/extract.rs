//! Grid → `Extraction`: find our sheets, the applicant form's labels and the
//! tables' header rows, normalise every value against the workbook contract
//! (`schema`), and report every problem in one pass.
//!
//! Pure: no I/O, no database, no panics on any grid. A value that fails
//! validation is left out of the extracted fields and reported as an issue;
//! everything else is kept, so a reviewer sees the whole workbook and a
//! correction notice can list every problem at once.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::grid::{cell_ref, CellValue, Grid, Merge, Sheet};
use super::normalize::{self, NormError, NormWarning};
pub use reviewdesk_domain::schema::Clause;
use reviewdesk_domain::schema::{self, keys, FieldDef, Kind, Layout, SheetDef, SheetRole};

/// At most this many issues are listed; the rest are counted in one final
/// issue (a hostile or badly broken workbook must not produce millions).
pub const MAX_ISSUES: usize = 1000;
/// At most this many data rows are read from one table.
pub const MAX_TABLE_ROWS: usize = 5000;
/// At most this many merged regions of a sheet are considered (lookups are
/// linear; a real workbook has a few dozen).
pub const MAX_MERGES: usize = 2000;
/// Header rows are looked for among the first this many rows of a table.
const HEADER_SCAN_ROWS: u32 = 30;
/// Columns considered when looking for headers.
const HEADER_SCAN_COLS: u32 = 256;

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

impl Project {
    pub fn field(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.key == key)
    }
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.field(key).map(|f| &f.value)
    }
}

/// One row of 其他政策支持.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportRow {
    pub project_name: String,
    pub sheet: String,
    pub row: u32,
    pub fields: Vec<FieldValue>,
}

impl SupportRow {
    pub fn field(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.key == key)
    }
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.field(key).map(|f| &f.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located as precisely as possible. `sheet`, `cell` and
/// `field` are None for workbook-level problems. `message` is Chinese,
/// `message_en` English; both name the place, the label, what was found and
/// what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

// ---------------------------------------------------------------------------
// Names, labels and headers

/// Compare key for a sheet name: trimmed, full-width folded, a numeric
/// prefix ("1.", "1、", "01 ") removed, blanks and dashes dropped, upper case.
fn sheet_key(name: &str) -> String {
    let s = normalize::fold_width(normalize::trim(name));
    let s = s.trim();
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.len() != s.len() {
        rest.trim_start_matches(['.', '、', ')', '-', '_', ' ', ':', '．', '。'])
    } else {
        s
    };
    let rest = if rest.is_empty() { s } else { rest };
    rest.chars()
        .filter(|&c| !c.is_whitespace() && !matches!(c, '-' | '_' | '—' | '–' | '‐' | '－'))
        .collect::<String>()
        .to_uppercase()
}

/// Split a label or header into its key and the unit in brackets:
/// "上年度营业收入（万元）*：" → ("上年度营业收入", Some("万元")). Blanks
/// (including line breaks inside headers) are dropped; leading and trailing
/// `*`/`＊` and trailing colons are ignored.
fn split_label(text: &str) -> (String, Option<String>) {
    // Called for every text cell of a table's first rows while the header
    // is looked for: one allocation for the folded text, then slices.
    let folded = normalize::fold_width_without_blanks(text);
    let mut s = folded.as_str();
    let mut unit: Option<String> = None;
    loop {
        let before = s.len();
        s = s.trim_start_matches('*').trim_end_matches(['*', ':', '※']);
        if s.ends_with(')') {
            if let Some(open) = s.rfind('(') {
                if unit.is_none() {
                    let u = s.get(open + 1..s.len() - 1).unwrap_or("");
                    let u = u.trim_start_matches("单位").trim_start_matches(':');
                    unit = Some(u.to_string());
                }
                s = s.get(..open).unwrap_or("");
            }
        }
        if s.len() == before {
            break;
        }
    }
    (s.to_string(), unit)
}

fn unit_matches(found: &str, def: &str) -> bool {
    normalize::fold_width(found).eq_ignore_ascii_case(def)
}

/// Cell lookup for one sheet that does not depend on the order of cells.
struct Cells<'a> {
    /// Merged regions considered (at most `MAX_MERGES`).
    merges: &'a [Merge],
    map: HashMap<(u32, u32), &'a CellValue>,
    rows: BTreeSet<u32>,
    max_col: u32,
}

impl<'a> Cells<'a> {
    fn new(sheet: &'a Sheet) -> Self {
        let mut map = HashMap::with_capacity(sheet.cells.len());
        let mut rows = BTreeSet::new();
        let mut max_col = 0;
        for c in &sheet.cells {
            map.entry((c.row, c.col)).or_insert(&c.value);
            rows.insert(c.row);
            max_col = max_col.max(c.col);
        }
        Cells {
            merges: sheet.merged.get(..MAX_MERGES).unwrap_or(&sheet.merged),
            map,
            rows,
            max_col,
        }
    }

    fn get(&self, row: u32, col: u32) -> Option<&'a CellValue> {
        self.map.get(&(row, col)).copied()
    }

    /// A cell that is neither missing nor blank text.
    fn filled(&self, row: u32, col: u32) -> Option<&'a CellValue> {
        self.get(row, col).filter(|v| !normalize::is_blank(v))
    }

    fn merge_at(&self, row: u32, col: u32) -> Option<&'a Merge> {
        self.merges.iter().find(|m| {
            m.first_row <= row && row <= m.last_row && m.first_col <= col && col <= m.last_col
        })
    }

    /// The text shown at (row, col), looking through merged regions to
    /// their top-left cell (used for headers).
    fn shown_text(&self, row: u32, col: u32) -> Option<&'a str> {
        let v = match self.get(row, col) {
            Some(v) => Some(v),
            None => self
                .merge_at(row, col)
                .and_then(|m| self.get(m.first_row, m.first_col)),
        }?;
        match v {
            CellValue::Text(s) => Some(s.as_str()),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// The run

struct Run {
    issues: Vec<Issue>,
    suppressed: usize,
}

/// Where a value sits: sheet name as in the file, and the cell.
#[derive(Clone, Copy)]
struct At<'a> {
    sheet: &'a str,
    row: u32,
    col: u32,
}

impl At<'_> {
    fn cell(&self) -> String {
        cell_ref(self.row, self.col)
    }
    fn full(&self) -> String {
        format!("{}!{}", self.sheet, self.cell())
    }
}

impl Run {
    fn push(&mut self, issue: Issue) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(issue);
        } else {
            self.suppressed += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn issue(
        &mut self,
        severity: Severity,
        sheet: Option<&str>,
        cell: Option<String>,
        field: Option<&str>,
        found: Option<String>,
        expected: Option<String>,
        message: String,
        message_en: String,
    ) {
        self.push(Issue {
            severity,
            sheet: sheet.map(str::to_string),
            cell,
            field: field.map(str::to_string),
            found,
            expected,
            message,
            message_en,
        });
    }

    fn workbook_error(&mut self, message: String, message_en: String) {
        self.issue(
            Severity::Error,
            None,
            None,
            None,
            None,
            None,
            message,
            message_en,
        );
    }

    fn workbook_warning(&mut self, message: String, message_en: String) {
        self.issue(
            Severity::Warning,
            None,
            None,
            None,
            None,
            None,
            message,
            message_en,
        );
    }

    fn value_error(&mut self, at: At, field: &FieldDef, cell: &CellValue, e: &NormError) {
        let key = field.key;
        let (message, message_en) = if field.kind == Kind::Uscc
            && normalize::code_lost_to_a_number(cell)
        {
            (
                format!(
                    "{}「{key}」被 Excel 存成了数字（显示为 {}），后几位已丢失，无法确定；请将该单元格设为文本格式后重新填写 18 位代码。",
                    at.full(),
                    e.found
                ),
                format!(
                    "{} {} ({key}): Excel stored the code as a number (shown as {}) and its last digits are lost; format the cell as text and type the 18-character code again.",
                    at.full(),
                    field.en,
                    e.found
                ),
            )
        } else {
            (
                format!(
                    "{}「{key}」：填写的是「{}」，应为{}。",
                    at.full(),
                    e.found,
                    e.expected_zh
                ),
                format!(
                    "{} {} ({key}): found \"{}\", expected {}.",
                    at.full(),
                    field.en,
                    e.found,
                    e.expected_en
                ),
            )
        };
        self.issue(
            Severity::Error,
            Some(at.sheet),
            Some(at.cell()),
            Some(key),
            Some(e.found.clone()),
            Some(e.expected_zh.clone()),
            message,
            message_en,
        );
    }

    fn value_warning(&mut self, at: At, field: &FieldDef, raw: &str, w: &NormWarning) {
        self.issue(
            Severity::Warning,
            Some(at.sheet),
            Some(at.cell()),
            Some(field.key),
            Some(raw.to_string()),
            None,
            format!("{}「{}」：{}。", at.full(), field.key, w.message_zh),
            format!(
                "{} {} ({}): {}.",
                at.full(),
                field.en,
                field.key,
                w.message_en
            ),
        );
    }

    fn missing_value(&mut self, at: At, field: &FieldDef) {
        self.issue(
            Severity::Error,
            Some(at.sheet),
            Some(at.cell()),
            Some(field.key),
            None,
            Some(expected_zh(field)),
            format!("{}「{}」为必填项，未填写。", at.full(), field.key),
            format!(
                "{} {} ({}) is required but empty.",
                at.full(),
                field.en,
                field.key
            ),
        );
    }
}

/// What a field expects, in Chinese, for "missing" issues.
fn expected_zh(field: &FieldDef) -> String {
    let unit = field
        .unit
        .map(|u| format!("（单位{u}）"))
        .unwrap_or_default();
    let what = match field.kind {
        Kind::Year => "年份".to_string(),
        Kind::Text { .. } => "文字".to_string(),
        Kind::Uscc => normalize::USCC_EXPECTED_ZH.to_string(),
        Kind::Choice(c) => format!("以下之一：{}", c.join(" / ")),
        Kind::Date => "日期".to_string(),
        Kind::Phone => "联系电话".to_string(),
        Kind::Email => "电子邮箱".to_string(),
        Kind::YesNo => "「是」或「否」".to_string(),
        Kind::MoneyWan => "金额".to_string(),
        Kind::Integer => "整数".to_string(),
        Kind::Number => "数值".to_string(),
        Kind::BankAccount => "银行账号".to_string(),
    };
    format!("{what}{unit}")
}

/// Normalise one non-blank cell against its field's kind.
fn normalise(
    field: &FieldDef,
    cell: &CellValue,
) -> Result<(Value, Option<NormWarning>), NormError> {
    use normalize as n;
    Ok(match field.kind {
        Kind::Year => (Value::Year(n::year(cell)?), None),
        Kind::Text { max } => (Value::Text(n::text(cell, max)?), None),
        Kind::Uscc => (Value::Text(n::credit_code(cell)?), None),
        Kind::Choice(options) => (Value::Text(n::choice(cell, options)?.to_string()), None),
        Kind::Date => (Value::Date(n::date(cell)?), None),
        Kind::Phone => (Value::Text(n::phone(cell)?), None),
        Kind::Email => (Value::Text(n::email(cell)?), None),
        Kind::YesNo => (Value::Bool(n::yes_no(cell)?), None),
        Kind::MoneyWan => {
            let r = n::money_wan(cell)?;
            (Value::Money(r.value), r.warning)
        }
        Kind::Integer => (Value::Integer(n::integer(cell, field.unit)?), None),
        Kind::Number => (Value::Number(n::quantity(cell, field.unit)?), None),
        Kind::BankAccount => (Value::Text(n::bank_account(cell)?), None),
    })
}

impl Run {
    /// More merged regions than we look at: the layout cannot be read with
    /// certainty.
    fn check_merges(&mut self, sheet: &Sheet) {
        let n = sheet.merged.len();
        if n > MAX_MERGES {
            let name = sheet.name.as_str();
            self.issue(
                Severity::Error,
                Some(name),
                None,
                None,
                Some(n.to_string()),
                Some(format!("不超过 {MAX_MERGES} 个合并单元格")),
                format!(
                    "工作表「{name}」有 {n} 个合并单元格，超过 {MAX_MERGES} 个，只按前 {MAX_MERGES} 个读取；请取消多余的合并。"
                ),
                format!(
                    "Sheet {name} has {n} merged regions, more than {MAX_MERGES}; only the first {MAX_MERGES} were considered. Please unmerge the rest."
                ),
            );
        }
    }

    /// Read one value; report and return None when it fails.
    fn read_value(&mut self, at: At, field: &FieldDef, cell: &CellValue) -> Option<FieldValue> {
        let raw = cell.raw_text();
        match normalise(field, cell) {
            Ok((value, warning)) => {
                if let Some(w) = warning {
                    self.value_warning(at, field, normalize::trim(&raw), &w);
                }
                Some(FieldValue {
                    key: field.key.to_string(),
                    value,
                    raw,
                    cell: at.full(),
                })
            }
            Err(e) => {
                self.value_error(at, field, cell, &e);
                None
            }
        }
    }

    /// A label or header whose bracketed unit differs from the template's:
    /// the whole value or column would be read in the wrong unit.
    fn unit_mismatch(&mut self, at: At, field: &FieldDef, found: &str) {
        let def = field.unit.unwrap_or("");
        self.issue(
            Severity::Error,
            Some(at.sheet),
            Some(at.cell()),
            Some(field.key),
            Some(found.to_string()),
            Some(format!("单位为「{def}」")),
            format!(
                "{}「{}」的单位写成了「{found}」，申报表规定单位为「{def}」；请按模板单位填写。",
                at.full(),
                field.key
            ),
            format!(
                "{} {} ({}): the unit is given as \"{found}\" but the workbook's unit is \"{def}\"; please use the template's unit.",
                at.full(),
                field.en,
                field.key
            ),
        );
    }
}

// ---------------------------------------------------------------------------
// The applicant form

struct FormResult {
    fields: Vec<FieldValue>,
    /// Row (0-based) of the credit code's value, for later warnings.
    credit_code_at: Option<(u32, u32)>,
    applicant_name: Option<String>,
}

fn read_form(run: &mut Run, sheet: &Sheet, def: &SheetDef, accepted_years: &[i32]) -> FormResult {
    let cells = Cells::new(sheet);
    let name = sheet.name.as_str();
    run.check_merges(sheet);
    let mut out = FormResult {
        fields: Vec::new(),
        credit_code_at: None,
        applicant_name: None,
    };
    let mut seen: HashMap<&'static str, u32> = HashMap::new();
    for &row in &cells.rows {
        let Some(CellValue::Text(label)) = cells.get(row, 0) else {
            continue;
        };
        let (key, unit) = split_label(label);
        let Some(field) = def.fields.iter().find(|f| f.key == key) else {
            continue;
        };
        let label_at = At {
            sheet: name,
            row,
            col: 0,
        };
        if let Some(first) = seen.get(field.key) {
            run.issue(
                Severity::Error,
                Some(name),
                Some(label_at.cell()),
                Some(field.key),
                Some(normalize::trim(label).to_string()),
                None,
                format!(
                    "{}「{}」重复出现（第一次在 A{}），无法确定以哪一行为准。",
                    label_at.full(),
                    field.key,
                    first + 1
                ),
                format!(
                    "{} {} ({}) appears twice (first in A{}); it is not certain which row counts.",
                    label_at.full(),
                    field.en,
                    field.key,
                    first + 1
                ),
            );
            continue;
        }
        seen.insert(field.key, row);
        if let (Some(u), Some(d)) = (&unit, field.unit) {
            if !unit_matches(u, d) {
                run.unit_mismatch(label_at, field, u);
                continue;
            }
        }
        let at = At {
            sheet: name,
            row,
            col: 1,
        };
        // A label merged over column B leaves no value cell.
        let covered = cells
            .merge_at(row, 1)
            .is_some_and(|m| (m.first_row, m.first_col) != (row, 1));
        let value = if covered { None } else { cells.filled(row, 1) };
        let Some(value) = value else {
            if field.required {
                run.missing_value(at, field);
            }
            continue;
        };
        if field.key == keys::APPLICANT_NAME {
            let t = normalize::trim(&value.raw_text()).to_string();
            if !t.is_empty() {
                out.applicant_name = Some(t);
            }
        }
        let Some(fv) = run.read_value(at, field, value) else {
            continue;
        };
        if field.key == keys::YEAR {
            if let Value::Year(y) = fv.value {
                if !accepted_years.is_empty() && !accepted_years.contains(&y) {
                    let years: Vec<String> = accepted_years.iter().map(|y| y.to_string()).collect();
                    let years = years.join(" / ");
                    run.issue(
                        Severity::Error,
                        Some(name),
                        Some(at.cell()),
                        Some(field.key),
                        Some(y.to_string()),
                        Some(years.clone()),
                        format!(
                            "{}「申报年度」填写的是 {y}，本轮申报年度为 {years}。",
                            at.full()
                        ),
                        format!(
                            "{} Application year (申报年度) is {y}; this round's year is {years}.",
                            at.full()
                        ),
                    );
                    continue;
                }
            }
        }
        if field.kind == Kind::Uscc {
            out.credit_code_at = Some((row, 1));
        }
        out.fields.push(fv);
    }
    for field in def.fields {
        if field.required && !seen.contains_key(field.key) {
            run.issue(
                Severity::Error,
                Some(name),
                None,
                Some(field.key),
                None,
                Some(expected_zh(field)),
                format!(
                    "工作表「{name}」缺少必填项「{}」：A 列找不到标签「{}」。",
                    field.key,
                    field.form_label()
                ),
                format!(
                    "Sheet {name} lacks the required field {} ({}): no label \"{}\" in column A.",
                    field.en,
                    field.key,
                    field.form_label()
                ),
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Tables

struct Column {
    field: &'static FieldDef,
    col: u32,
    /// The header states another unit: values are not read.
    skip: bool,
}

struct Header {
    columns: Vec<Column>,
    /// Last header row (0-based); data starts below it.
    bottom: u32,
}

/// Match header text against the table's fields.
fn header_field(def: &SheetDef, text: &str) -> Option<(&'static FieldDef, Option<String>)> {
    let (key, unit) = split_label(text);
    def.fields.iter().find(|f| f.key == key).map(|f| (f, unit))
}

/// Find the header row: the row among the first rows with the most cells
/// that match the table's headers (looking through merged cells). Headers
/// merged over two rows (a group header above, real headers below, other
/// headers merged vertically over both) are read as one band.
fn find_header(run: &mut Run, cells: &Cells, def: &SheetDef, name: &str) -> Option<Header> {
    let last_row = cells.rows.iter().next_back().copied()?;
    let max_col = cells.max_col.min(HEADER_SCAN_COLS);
    let mut best: Option<(usize, u32)> = None;
    for row in 0..=last_row.min(HEADER_SCAN_ROWS) {
        let mut found: HashSet<&str> = HashSet::new();
        for col in 0..=max_col {
            if let Some((f, _)) = cells
                .shown_text(row, col)
                .and_then(|t| header_field(def, t))
            {
                found.insert(f.key);
            }
        }
        let n = found.len();
        let plausible = n >= 2 || (n == 1 && found.contains(keys::PROJECT_NAME));
        if plausible && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, row));
        }
    }
    let (_, row) = best?;
    // The band: rows covered by merged header cells on the header row.
    let (mut top, mut bottom) = (row, row);
    for col in 0..=max_col {
        if let Some(m) = cells.merge_at(row, col) {
            top = top.min(m.first_row);
            bottom = bottom.max(m.last_row.min(row + 3));
        }
    }
    let mut columns: Vec<Column> = Vec::new();
    let scan = |run: &mut Run, r: u32, columns: &mut Vec<Column>| {
        for col in 0..=max_col {
            if columns.iter().any(|c| c.col == col) {
                continue;
            }
            let Some(text) = cells.shown_text(r, col) else {
                continue;
            };
            let Some((field, unit)) = header_field(def, text) else {
                continue;
            };
            let at = At {
                sheet: name,
                row: r,
                col,
            };
            if let Some(first) = columns.iter().find(|c| c.field.key == field.key) {
                // The same header in a merged region seen from another row
                // is not a duplicate.
                let same_merge = cells
                    .merge_at(r, col)
                    .is_some_and(|m| m.first_col <= first.col && first.col <= m.last_col);
                if !same_merge {
                    run.issue(
                        Severity::Error,
                        Some(name),
                        Some(at.cell()),
                        Some(field.key),
                        Some(normalize::trim(text).to_string()),
                        None,
                        format!(
                            "{}列标题「{}」重复（已在 {} 列），无法确定以哪一列为准。",
                            at.full(),
                            field.key,
                            cell_ref(r, first.col).trim_end_matches(|c: char| c.is_ascii_digit())
                        ),
                        format!(
                            "{} the column header {} ({}) appears twice; it is not certain which column counts.",
                            at.full(),
                            field.en,
                            field.key
                        ),
                    );
                }
                continue;
            }
            let mut skip = false;
            if let (Some(u), Some(d)) = (&unit, field.unit) {
                if !unit_matches(u, d) {
                    run.unit_mismatch(at, field, u);
                    skip = true;
                }
            }
            columns.push(Column { field, col, skip });
        }
    };
    for r in top..=bottom {
        scan(run, r, &mut columns);
    }
    // Headers split over two rows without merging: look one row up.
    if top > 0 {
        scan(run, top - 1, &mut columns);
    }
    Some(Header { columns, bottom })
}

struct TableRow {
    row: u32,
    /// Where the project name sits ("A5"), for warnings about it.
    name_cell: String,
    name: String,
    fields: Vec<FieldValue>,
}

fn is_total_row(text: &str) -> bool {
    let t = normalize::remove_blanks(text);
    let t = t.trim_end_matches([':', '：']);
    matches!(t, "合计" | "小计" | "总计" | "合计数")
}

fn is_note_row(text: &str) -> bool {
    let t = normalize::fold_width(normalize::trim(text));
    [
        "注:",
        "注1",
        "注2",
        "注3",
        "注释",
        "说明:",
        "备注:",
        "填表说明",
        "填报说明",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// Read one table: header, then one item per non-empty row.
fn read_table(run: &mut Run, sheet: &Sheet, def: &SheetDef) -> Vec<TableRow> {
    let cells = Cells::new(sheet);
    let name = sheet.name.as_str();
    run.check_merges(sheet);
    let mut out = Vec::new();
    if cells.rows.is_empty() {
        return out; // An emptied sheet: no rows, nothing to say.
    }
    let Some(header) = find_header(run, &cells, def, name) else {
        let expected: Vec<String> = def.fields.iter().map(|f| f.column_header()).collect();
        run.issue(
            Severity::Error,
            Some(name),
            None,
            None,
            None,
            Some(expected.join("、")),
            format!(
                "工作表「{name}」找不到表头行（应包含 {}）。",
                expected.join("、")
            ),
            format!(
                "Sheet {name}: no header row found (expected {}).",
                expected.join(", ")
            ),
        );
        return out;
    };
    let data_rows: Vec<u32> = cells.rows.range(header.bottom + 1..).copied().collect();
    let name_col = header
        .columns
        .iter()
        .find(|c| c.field.key == keys::PROJECT_NAME)
        .map(|c| c.col);
    let mut read = 0usize;
    let mut missing_reported = false;
    for row in data_rows {
        // Empty unless one of our columns holds something in this row itself.
        let own: Vec<&CellValue> = header
            .columns
            .iter()
            .filter_map(|c| cells.filled(row, c.col))
            .collect();
        if own.is_empty() {
            continue;
        }
        let first_text = own[0].raw_text();
        let name_text = name_col
            .and_then(|c| cells.filled(row, c))
            .map(|v| v.raw_text())
            .unwrap_or_default();
        if is_total_row(&name_text)
            || (own.len() == 1 && (is_total_row(&first_text) || is_note_row(&first_text)))
        {
            let at = At {
                sheet: name,
                row,
                col: 0,
            };
            let shown = normalize::trim(&first_text).to_string();
            run.issue(
                Severity::Warning,
                Some(name),
                Some(at.cell()),
                None,
                Some(shown.clone()),
                None,
                format!(
                    "{}第 {} 行「{shown}」是合计或说明行，未作为项目读取。",
                    at.full(),
                    row + 1
                ),
                format!(
                    "{} row {} (\"{shown}\") is a total or a note and was not read as an item.",
                    at.full(),
                    row + 1
                ),
            );
            continue;
        }
        if !missing_reported {
            missing_reported = true;
            for field in def.fields.iter().filter(|f| f.required) {
                if !header.columns.iter().any(|c| c.field.key == field.key) {
                    run.issue(
                        Severity::Error,
                        Some(name),
                        None,
                        Some(field.key),
                        None,
                        Some(field.column_header()),
                        format!("工作表「{name}」缺少必填列「{}」。", field.column_header()),
                        format!(
                            "Sheet {name} lacks the required column {} ({}).",
                            field.en,
                            field.column_header()
                        ),
                    );
                }
            }
        }
        read += 1;
        if read > MAX_TABLE_ROWS {
            run.issue(
                Severity::Error,
                Some(name),
                Some(cell_ref(row, 0)),
                None,
                None,
                Some(format!("不超过 {MAX_TABLE_ROWS} 行")),
                format!("工作表「{name}」超过 {MAX_TABLE_ROWS} 行，第 {} 行起未读取。", row + 1),
                format!("Sheet {name} has more than {MAX_TABLE_ROWS} rows; rows from {} on were not read.", row + 1),
            );
            break;
        }
        let mut item = TableRow {
            row: row + 1,
            name_cell: cell_ref(row, name_col.unwrap_or(0)),
            name: normalize::trim(&name_text).to_string(),
            fields: Vec::new(),
        };
        for field in def.fields {
            let Some(column) = header.columns.iter().find(|c| c.field.key == field.key) else {
                continue;
            };
            if column.skip {
                continue;
            }
            let col = column.col;
            // A value merged down over several rows of the same column
            // (e.g. one project name for several support rows) belongs to
            // each of them.
            let (vrow, value) = match cells.filled(row, col) {
                Some(v) => (row, Some(v)),
                None => match cells.merge_at(row, col) {
                    Some(m)
                        if m.first_col == col
                            && m.first_row > header.bottom
                            && m.first_row < row =>
                    {
                        (m.first_row, cells.filled(m.first_row, col))
                    }
                    _ => (row, None),
                },
            };
            let at = At {
                sheet: name,
                row: vrow,
                col,
            };
            let Some(value) = value else {
                if field.required {
                    run.missing_value(
                        At {
                            sheet: name,
                            row,
                            col,
                        },
                        field,
                    );
                }
                continue;
            };
            if field.key == keys::PROJECT_NAME && item.name.is_empty() {
                item.name = normalize::trim(&value.raw_text()).to_string();
            }
            if let Some(fv) = run.read_value(at, field, value) {
                item.fields.push(fv);
            }
        }
        out.push(item);
    }
    out
}

// ---------------------------------------------------------------------------
// The whole workbook

fn is_yuzhong_district(text: &str) -> bool {
    let t = normalize::remove_blanks(&normalize::fold_width(text));
    t == "渝中" || t.ends_with(schema::YUZHONG)
}

/// Read a workbook grid against the workbook contract. `accepted_years` are
/// the rounds the workstation knows (an empty slice accepts any year).
/// Never fails: every problem is an issue in the result.
pub fn extract(grid: &Grid, accepted_years: &[i32]) -> Extraction {
    let mut run = Run {
        issues: Vec::new(),
        suppressed: 0,
    };
    let defs = schema::template_sheets();
    let names: Vec<&str> = grid.sheets.iter().map(|s| s.name.as_str()).collect();
    let found_list = if names.is_empty() {
        "（无）".to_string()
    } else {
        names
            .iter()
            .map(|n| format!("「{n}」"))
            .collect::<Vec<_>>()
            .join("、")
    };
    let found_list_en = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");

    // Match sheets to definitions.
    let mut matched: Vec<Vec<&Sheet>> = vec![Vec::new(); defs.len()];
    for sheet in &grid.sheets {
        let key = sheet_key(&sheet.name);
        if let Some(i) = defs.iter().position(|d| sheet_key(d.name) == key) {
            matched[i].push(sheet);
        }
    }
    let mut chosen: Vec<Option<&Sheet>> = Vec::with_capacity(defs.len());
    for (def, sheets) in defs.iter().zip(&matched) {
        if sheets.len() > 1 {
            let list = sheets
                .iter()
                .map(|s| format!("「{}」", s.name))
                .collect::<Vec<_>>()
                .join("、");
            let list_en = sheets
                .iter()
                .map(|s| format!("\"{}\"", s.name))
                .collect::<Vec<_>>()
                .join(", ");
            run.workbook_error(
                format!(
                    "工作簿中有多个工作表对应「{}」：{list}；已读取第一个，请只保留一个。",
                    def.name
                ),
                format!(
                    "Several sheets correspond to \"{}\": {list_en}; the first was read, please keep only one.",
                    def.name
                ),
            );
        }
        chosen.push(sheets.first().copied());
    }

    let mut support_name_cells: Vec<String> = Vec::new();
    let mut ex = Extraction {
        year: None,
        credit_code: None,
        applicant_name: None,
        fields: Vec::new(),
        projects: Vec::new(),
        other_support: Vec::new(),
        issues: Vec::new(),
    };

    for (def, sheet) in defs.iter().zip(&chosen) {
        match (def.layout, def.role, sheet) {
            (Layout::Form, _, Some(sheet)) => {
                let form = read_form(&mut run, sheet, def, accepted_years);
                ex.applicant_name = form.applicant_name;
                ex.fields = form.fields;
                ex.year = ex.value(keys::YEAR).and_then(Value::as_year);
                ex.credit_code = ex
                    .value(keys::CREDIT_CODE)
                    .and_then(Value::as_text)
                    .map(str::to_string);
                // A credit code registered in another district beside
                // 注册区县 = 渝中区: a warning for the reviewer.
                if let (Some(code), Some((row, col))) = (&ex.credit_code, form.credit_code_at) {
                    let district = ex
                        .value(keys::DISTRICT)
                        .and_then(Value::as_text)
                        .unwrap_or("");
                    if is_yuzhong_district(district)
                        && !reviewdesk_domain::uscc::area_consistent_with_yuzhong(code)
                    {
                        let area = reviewdesk_domain::uscc::area_code(code);
                        let at = At {
                            sheet: &sheet.name,
                            row,
                            col,
                        };
                        run.issue(
                            Severity::Warning,
                            Some(&sheet.name),
                            Some(at.cell()),
                            Some(keys::CREDIT_CODE),
                            Some(code.clone()),
                            Some("第 3–8 位为 500103（渝中区）或 500000（重庆市）".to_string()),
                            format!(
                                "{}「统一社会信用代码」第 3–8 位为 {area}，不是渝中区（500103）或重庆市（500000）登记机关，而注册区县填写为渝中区；请核实注册地。",
                                at.full()
                            ),
                            format!(
                                "{} the credit code's area (characters 3–8) is {area}, not Yuzhong (500103) or the municipal authority (500000), while the registered district is 渝中区; please verify the registration.",
                                at.full()
                            ),
                        );
                    }
                }
            }
            (Layout::Table, SheetRole::Clause(clause), Some(sheet)) => {
                let rows = read_table(&mut run, sheet, def);
                let mut names_seen: HashMap<String, u32> = HashMap::new();
                for r in rows {
                    if !r.name.is_empty() {
                        if let Some(first) = names_seen.get(&r.name) {
                            run.issue(
                                Severity::Warning,
                                Some(&sheet.name),
                                Some(r.name_cell.clone()),
                                Some(keys::PROJECT_NAME),
                                Some(r.name.clone()),
                                None,
                                format!(
                                    "{}!第 {} 行的项目「{}」与第 {first} 行同名，请核实是否重复申报。",
                                    sheet.name, r.row, r.name
                                ),
                                format!(
                                    "{} row {}: project \"{}\" has the same name as row {first}; please check for a duplicate.",
                                    sheet.name, r.row, r.name
                                ),
                            );
                        } else {
                            names_seen.insert(r.name.clone(), r.row);
                        }
                    }
                    ex.projects.push(Project {
                        clause,
                        name: r.name,
                        sheet: sheet.name.clone(),
                        row: r.row,
                        fields: r.fields,
                    });
                }
            }
            (Layout::Table, _, Some(sheet)) => {
                for r in read_table(&mut run, sheet, def) {
                    support_name_cells.push(r.name_cell.clone());
                    ex.other_support.push(SupportRow {
                        project_name: r.name,
                        sheet: sheet.name.clone(),
                        row: r.row,
                        fields: r.fields,
                    });
                }
            }
            (_, _, None) if def.required => {
                run.workbook_error(
                    format!(
                        "缺少工作表「{}」。工作簿中的工作表：{found_list}。",
                        def.name
                    ),
                    format!(
                        "The sheet \"{}\" ({}) is missing. Sheets found: {found_list_en}.",
                        def.name, def.en
                    ),
                );
            }
            _ => {}
        }
    }

    let clause_sheets = chosen
        .iter()
        .zip(defs)
        .filter(|(s, d)| s.is_some() && matches!(d.role, SheetRole::Clause(_)))
        .count();
    if clause_sheets == 0 {
        let wanted = Clause::ALL
            .map(|c| format!("「{}」", c.sheet_name()))
            .join("、");
        run.workbook_error(
            format!("未找到任何条款工作表（{wanted}）。工作簿中的工作表：{found_list}。"),
            format!(
                "No clause sheet ({}) was found. Sheets found: {found_list_en}.",
                Clause::ALL.map(|c| c.sheet_name()).join(", ")
            ),
        );
    } else if ex.projects.is_empty() {
        run.workbook_warning(
            "各条款工作表中均未填写项目。".to_string(),
            "No project is declared in any clause sheet.".to_string(),
        );
    }
    let other = schema::other_support_sheet();
    if chosen
        .iter()
        .zip(defs)
        .any(|(s, d)| s.is_none() && d.role == SheetRole::OtherSupport)
    {
        run.workbook_warning(
            format!(
                "缺少工作表「{}」，无法核对项目已获得的其他政策支持。",
                other.name
            ),
            format!(
                "The sheet \"{}\" is missing; other support the projects received cannot be checked.",
                other.name
            ),
        );
    }
    // Other support for a project that is not declared anywhere.
    let declared: HashSet<&str> = ex.projects.iter().map(|p| p.name.as_str()).collect();
    for (s, name_cell) in ex.other_support.iter().zip(support_name_cells) {
        if !s.project_name.is_empty() && !declared.contains(s.project_name.as_str()) {
            run.issue(
                Severity::Warning,
                Some(&s.sheet),
                Some(name_cell),
                Some(keys::PROJECT_NAME),
                Some(s.project_name.clone()),
                None,
                format!(
                    "{}!第 {} 行的项目「{}」未在任何条款工作表中申报，请核对项目名称。",
                    s.sheet, s.row, s.project_name
                ),
                format!(
                    "{} row {}: project \"{}\" is not declared in any clause sheet; please check the name.",
                    s.sheet, s.row, s.project_name
                ),
            );
        }
    }

    if run.suppressed > 0 {
        let n = run.suppressed;
        run.issues.push(Issue {
            severity: Severity::Error,
            sheet: None,
            cell: None,
            field: None,
            found: None,
            expected: None,
            message: format!("另有 {n} 个问题未列出（只列出前 {MAX_ISSUES} 个）。"),
            message_en: format!(
                "{n} more problems are not listed (only the first {MAX_ISSUES} are)."
            ),
        });
    }
    ex.issues = run.issues;
    ex
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Cell;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.to_string())
    }
    fn n(s: &str) -> CellValue {
        CellValue::Number(s.to_string())
    }
    fn dt(s: &str) -> CellValue {
        CellValue::Date(s.to_string())
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// "B3" → (2, 1)
    fn parse_ref(r: &str) -> (u32, u32) {
        let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let col = letters
            .bytes()
            .fold(0u32, |a, b| a * 26 + u32::from(b - b'A' + 1))
            - 1;
        let row: u32 = r[letters.len()..].parse().unwrap();
        (row - 1, col)
    }

    fn sheet(name: &str, cells: Vec<(u32, u32, CellValue)>) -> Sheet {
        let mut cells: Vec<Cell> = cells
            .into_iter()
            .map(|(row, col, value)| Cell { row, col, value })
            .collect();
        cells.sort_by_key(|c| (c.row, c.col));
        Sheet {
            name: name.to_string(),
            visible: true,
            cells,
            merged: Vec::new(),
        }
    }

    fn at(r: &str, v: CellValue) -> (u32, u32, CellValue) {
        let (row, col) = parse_ref(r);
        (row, col, v)
    }

    fn merge(range: &str) -> Merge {
        let (a, b) = range.split_once(':').unwrap();
        let (first_row, first_col) = parse_ref(a);
        let (last_row, last_col) = parse_ref(b);
        Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        }
    }

    /// The applicant form of sample 01, as (label, value) rows.
    fn applicant_rows() -> Vec<(String, CellValue)> {
        vec![
            ("申报年度*", n("2026")),
            ("单位名称*", t("重庆渝算智能科技有限公司")),
            ("统一社会信用代码*", t("91500103MA5U7K2P39")),
            ("单位类型*", t("企业")),
            ("注册地址*", t("重庆市渝中区解放碑街道民族路188号")),
            ("注册区县*", t("渝中区")),
            ("成立日期", dt("2018-05-20")),
            ("法定代表人", t("王建国")),
            ("联系人*", t("李娜")),
            ("联系电话*", t("13883012345")),
            ("电子邮箱", t("contact@example.cn")),
            ("是否总部企业", t("否")),
            ("上年度营业收入（万元）*", n("3200.5")),
            ("上年度纳税总额（万元）", n("186.42")),
            ("上年末从业人员（人）*", n("85")),
            ("开户银行", t("中国建设银行重庆渝中支行")),
            ("银行账号", t("50001083600050212345")),
            ("信用承诺*", t("是")),
            ("近三年无严重失信记录*", t("是")),
        ]
        .into_iter()
        .map(|(l, v)| (l.to_string(), v))
        .collect()
    }

    fn form(name: &str, rows: &[(String, CellValue)]) -> Sheet {
        let mut cells = Vec::new();
        for (i, (label, value)) in rows.iter().enumerate() {
            cells.push((i as u32, 0, t(label)));
            cells.push((i as u32, 1, value.clone()));
        }
        sheet(name, cells)
    }

    /// A table with its header in row `header_row` (0-based) and data below.
    fn table(name: &str, header_row: u32, headers: &[&str], rows: &[Vec<CellValue>]) -> Sheet {
        let mut cells = Vec::new();
        for (c, h) in headers.iter().enumerate() {
            cells.push((header_row, c as u32, t(h)));
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !matches!(v, CellValue::Text(s) if s.is_empty()) {
                    cells.push((header_row + 1 + r as u32, c as u32, v.clone()));
                }
            }
        }
        sheet(name, cells)
    }

    fn headers(def: &SheetDef) -> Vec<String> {
        def.fields.iter().map(|f| f.column_header()).collect()
    }

    fn empty_table(def: &SheetDef) -> Sheet {
        let h = headers(def);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        table(def.name, 0, &h, &[])
    }

    fn c1_row() -> Vec<CellValue> {
        vec![
            t("渝中智算中心一期"),
            t("先进算力基础设施"),
            t("重庆市渝中区化龙桥街道瑞天路56号"),
            n("8600"),
            n("45"),
            n("3200.5"),
            n("36"),
            n("120"),
            dt("2025-06-30"),
            t("建设国产化智算集群。"),
        ]
    }

    /// A workbook like sample 01: applicant, one C1 project, other tables empty.
    fn workbook(rows: &[(String, CellValue)], c1_rows: &[Vec<CellValue>]) -> Grid {
        let c1 = schema::clause_sheet(Clause::C1);
        let h = headers(c1);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let mut sheets = vec![
            sheet("填表说明", vec![at("A1", t("请按各工作表要求如实填写"))]),
            form("申报单位", rows),
            table(c1.name, 0, &h, c1_rows),
        ];
        for c in [Clause::C2a, Clause::C2b, Clause::C3, Clause::C4] {
            sheets.push(empty_table(schema::clause_sheet(c)));
        }
        sheets.push(empty_table(schema::other_support_sheet()));
        Grid {
            format: "xlsx".into(),
            sheets,
        }
    }

    fn clean() -> Grid {
        workbook(&applicant_rows(), &[c1_row()])
    }

    fn set(rows: &mut [(String, CellValue)], label_start: &str, v: CellValue) {
        let r = rows
            .iter_mut()
            .find(|(l, _)| l.starts_with(label_start))
            .unwrap();
        r.1 = v;
    }

    fn errors_at(x: &Extraction) -> Vec<String> {
        x.errors()
            .map(|i| {
                format!(
                    "{}!{}",
                    i.sheet.clone().unwrap_or_default(),
                    i.cell.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    fn issue_for<'a>(x: &'a Extraction, field: &str) -> &'a Issue {
        x.issues
            .iter()
            .find(|i| i.field.as_deref() == Some(field))
            .unwrap_or_else(|| panic!("no issue for {field}: {:#?}", x.issues))
    }

    #[test]
    fn clean_workbook_extracts_everything() {
        let x = extract(&clean(), &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        assert!(!x.has_errors());
        assert_eq!(x.year, Some(2026));
        assert_eq!(x.credit_code.as_deref(), Some("91500103MA5U7K2P39"));
        assert_eq!(
            x.applicant_name.as_deref(),
            Some("重庆渝算智能科技有限公司")
        );
        assert_eq!(x.fields.len(), 19);
        let revenue = x.field("上年度营业收入").unwrap();
        assert_eq!(revenue.value, Value::Money(dec("32005000")));
        assert_eq!(revenue.raw, "3200.5");
        assert_eq!(revenue.cell, "申报单位!B13");
        assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(85)));
        assert_eq!(
            x.value("成立日期").and_then(Value::as_date),
            NaiveDate::from_ymd_opt(2018, 5, 20)
        );
        assert_eq!(x.value("是否总部企业"), Some(&Value::Bool(false)));
        assert_eq!(x.value("信用承诺"), Some(&Value::Bool(true)));
        assert_eq!(x.value("申报年度"), Some(&Value::Year(2026)));
        assert_eq!(x.projects.len(), 1);
        let p = &x.projects[0];
        assert_eq!(
            (p.clause, p.name.as_str(), p.sheet.as_str(), p.row),
            (Clause::C1, "渝中智算中心一期", "C1-算力供给", 2)
        );
        assert_eq!(p.fields.len(), 10);
        assert_eq!(p.value("项目总投资"), Some(&Value::Money(dec("86000000"))));
        assert_eq!(p.value("算力规模"), Some(&Value::Number(dec("120"))));
        assert_eq!(p.value("服务企业数"), Some(&Value::Integer(36)));
        assert_eq!(
            p.value("项目类型"),
            Some(&Value::Text("先进算力基础设施".into()))
        );
        assert_eq!(p.field("投运日期").unwrap().cell, "C1-算力供给!I2");
        assert!(x.other_support.is_empty());
    }

    #[test]
    fn json_shapes_follow_the_cli_contract() {
        let x = extract(&clean(), &[2026]);
        let f = x.field("上年度营业收入").unwrap();
        assert_eq!(f.value.display_json(), serde_json::json!("32005000.00"));
        assert_eq!(
            (f.raw.as_str(), f.cell.as_str()),
            ("3200.5", "申报单位!B13")
        );
        assert_eq!(
            x.value("上年末从业人员").unwrap().display_json(),
            serde_json::json!(85)
        );
        assert_eq!(
            x.value("成立日期").unwrap().display_json(),
            serde_json::json!("2018-05-20")
        );
        assert_eq!(
            x.value("信用承诺").unwrap().display_json(),
            serde_json::json!(true)
        );
        assert_eq!(
            x.value("申报年度").unwrap().display_json(),
            serde_json::json!(2026)
        );
        assert_eq!(
            x.projects[0].value("算力规模").unwrap().display_json(),
            serde_json::json!("120")
        );
        assert_eq!(
            Value::Money(dec("650000")).display_json(),
            serde_json::json!("650000.00")
        );
        assert_eq!(
            Value::Money(dec("0.5")).display_json(),
            serde_json::json!("0.50")
        );
        assert_eq!(
            serde_json::to_value(x.projects[0].clause).unwrap(),
            serde_json::json!("C1")
        );
        // Issues: severity in lower case, nulls for workbook-level fields.
        let mut rows = applicant_rows();
        rows.retain(|(l, _)| !l.starts_with("申报单位"));
        let g = Grid {
            format: "xlsx".into(),
            sheets: vec![],
        };
        let e = extract(&g, &[2026]);
        let j = serde_json::to_value(&e.issues[0]).unwrap();
        assert_eq!(j["severity"], "error");
        assert_eq!(j["sheet"], serde_json::Value::Null);
        assert_eq!(j["cell"], serde_json::Value::Null);
        // The whole extraction round-trips through JSON exactly (the store
        // keeps it as JSON).
        let s = serde_json::to_string(&x).unwrap();
        let back: Extraction = serde_json::from_str(&s).unwrap();
        assert_eq!(back.fields, x.fields);
        assert_eq!(back.projects, x.projects);
        assert_eq!(back.credit_code, x.credit_code);
        assert_eq!(
            back.value("上年度营业收入").and_then(Value::as_money),
            Some(dec("32005000"))
        );
        assert_eq!(
            back.value("成立日期").and_then(Value::as_date),
            NaiveDate::from_ymd_opt(2018, 5, 20)
        );
        assert_eq!(
            back.value("上年末从业人员").and_then(Value::as_integer),
            Some(85)
        );
        assert_eq!(back.value("申报年度").and_then(Value::as_year), Some(2026));
    }

    #[test]
    fn credit_code_as_number_and_words_for_money_like_sample_06() {
        let mut rows = applicant_rows();
        set(&mut rows, "统一社会信用代码", n("915001000000000000"));
        set(&mut rows, "上年度营业收入", t("约三千万"));
        let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
        assert_eq!(errors_at(&x), ["申报单位!B3", "申报单位!B13"]);
        assert_eq!(x.warnings().count(), 0, "{:#?}", x.issues);
        let code = issue_for(&x, "统一社会信用代码");
        assert_eq!(code.found.as_deref(), Some("9.15001E+17"));
        assert_eq!(
            code.expected.as_deref(),
            Some("18 位统一社会信用代码（文本）")
        );
        assert!(code.message.contains("申报单位!B3"), "{}", code.message);
        assert!(code.message.contains("9.15001E+17"));
        assert!(code.message_en.contains("as a number"));
        let money = issue_for(&x, "上年度营业收入");
        assert_eq!(money.found.as_deref(), Some("约三千万"));
        assert!(money.expected.as_deref().unwrap().contains("万元"));
        assert!(money.message.contains("约三千万"));
        assert!(money.message_en.contains("expected"));
        assert_eq!(x.credit_code, None);
        assert_eq!(
            x.applicant_name.as_deref(),
            Some("重庆渝算智能科技有限公司")
        );
        assert!(x.field("统一社会信用代码").is_none());
        assert!(x.field("上年度营业收入").is_none());
        assert_eq!(x.fields.len(), 17);
        assert_eq!(x.projects.len(), 1, "the rest is kept");
    }

    #[test]
    fn every_problem_is_reported_in_one_pass() {
        let mut rows = applicant_rows();
        set(&mut rows, "申报年度", n("2025"));
        set(&mut rows, "统一社会信用代码", t("91500103MA5U7K2P38"));
        set(&mut rows, "单位类型", t("民营企业"));
        set(&mut rows, "联系人", t("  "));
        set(&mut rows, "上年度纳税总额", t("-12"));
        rows.retain(|(l, _)| !l.starts_with("信用承诺"));
        let mut bad = c1_row();
        bad[1] = t("数据中心");
        bad[3] = t("约八千万");
        bad[4] = n("-3");
        bad[2] = t("");
        let x = extract(&workbook(&rows, &[c1_row(), bad]), &[2026]);
        let errs = errors_at(&x);
        for cell in [
            "申报单位!B1",
            "申报单位!B3",
            "申报单位!B4",
            "申报单位!B9",
            "申报单位!B14",
            "申报单位!",
            "C1-算力供给!B3",
            "C1-算力供给!C3",
            "C1-算力供给!D3",
            "C1-算力供给!E3",
        ] {
            assert!(
                errs.contains(&cell.to_string()),
                "{cell} missing from {errs:?}"
            );
        }
        assert_eq!(errs.len(), 10, "{:#?}", x.issues);
        let year = issue_for(&x, "申报年度");
        assert_eq!(
            (year.found.as_deref(), year.expected.as_deref()),
            (Some("2025"), Some("2026"))
        );
        assert_eq!(x.year, None);
        assert!(issue_for(&x, "统一社会信用代码")
            .expected
            .as_deref()
            .unwrap()
            .contains("校验位"));
        assert_eq!(x.credit_code, None);
        let choice = issue_for(&x, "单位类型");
        assert_eq!(choice.found.as_deref(), Some("民营企业"));
        assert!(choice.expected.as_deref().unwrap().contains("其他市场主体"));
        let missing_label = issue_for(&x, "信用承诺");
        assert_eq!(missing_label.cell, None);
        assert!(missing_label.message.contains("信用承诺"));
        let missing = issue_for(&x, "联系人");
        assert_eq!(missing.cell.as_deref(), Some("B9"));
        assert!(missing.message.contains("必填"));
        // The bad project is kept with its valid values only.
        assert_eq!(x.projects.len(), 2);
        let p = &x.projects[1];
        assert_eq!(p.row, 3);
        assert!(p.field("项目类型").is_none());
        assert!(p.field("建设地址").is_none());
        assert!(p.field("项目总投资").is_none());
        assert!(p.field("新增就业").is_none());
        assert_eq!(
            p.value("项目营业收入"),
            Some(&Value::Money(dec("32005000")))
        );
        assert_eq!(p.fields.len(), 6);
        assert!(x.has_errors());
    }

    #[test]
    fn missing_sheets_name_the_sheets_found() {
        let g = Grid {
            format: "xlsx".into(),
            sheets: vec![
                sheet("Sheet1", vec![at("A1", t("x"))]),
                sheet("申报表", vec![]),
            ],
        };
        let x = extract(&g, &[2026]);
        let msgs: Vec<&str> = x.errors().map(|i| i.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("缺少工作表「申报单位」"));
        assert!(msgs[0].contains("「Sheet1」、「申报表」"), "{}", msgs[0]);
        assert!(msgs[1].contains("条款工作表"));
        assert!(x
            .issues
            .iter()
            .all(|i| i.sheet.is_none() && i.cell.is_none()));
        // No other-support sheet: a warning only.
        let mut g = clean();
        g.sheets.retain(|s| s.name != "其他政策支持");
        let x = extract(&g, &[2026]);
        assert!(!x.has_errors());
        assert_eq!(x.warnings().count(), 1);
    }

    #[test]
    fn area_code_outside_yuzhong_is_a_warning_beside_yuzhong_only() {
        let code = |area: &str| {
            let body = format!("91{area}MA5U7K2P3");
            format!(
                "{body}{}",
                reviewdesk_domain::uscc::check_char(&body).unwrap()
            )
        };
        let mut rows = applicant_rows();
        set(&mut rows, "统一社会信用代码", t(&code("500105")));
        let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
        assert!(!x.has_errors());
        let w: Vec<&Issue> = x.warnings().collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].cell.as_deref(), Some("B3"));
        assert!(w[0].message.contains("500105"));
        assert_eq!(x.credit_code, Some(code("500105")));

        set(&mut rows, "统一社会信用代码", t(&code("500000")));
        assert!(extract(&workbook(&rows, &[c1_row()]), &[2026])
            .issues
            .is_empty());

        set(&mut rows, "统一社会信用代码", t(&code("500105")));
        set(&mut rows, "注册区县", t("江北区"));
        assert!(extract(&workbook(&rows, &[c1_row()]), &[2026])
            .issues
            .is_empty());
    }

    #[test]
    fn sheet_names_with_prefixes_spaces_and_hidden_sheets() {
        let mut g = clean();
        for s in &mut g.sheets {
            match s.name.as_str() {
                "申报单位" => s.name = " 1.申报单位 ".into(),
                "C1-算力供给" => {
                    s.name = "2、C1-算力供给".into();
                    s.visible = false;
                }
                "C4-AI+应用" => s.name = "5.C4－AI＋应用".into(),
                "其他政策支持" => s.name = "07 其他政策支持".into(),
                _ => {}
            }
        }
        g.sheets
            .push(sheet("辅助数据", vec![at("A1", t("国家级"))]));
        let x = extract(&g, &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        assert_eq!(x.field("上年度营业收入").unwrap().cell, " 1.申报单位 !B13");
        assert_eq!(x.projects[0].sheet, "2、C1-算力供给");

        // Two sheets for the same table: an error, the first is read.
        let mut g = clean();
        let mut copy = g.sheets[1].clone();
        copy.name = "1.申报单位".into();
        g.sheets.push(copy);
        let x = extract(&g, &[2026]);
        assert_eq!(x.errors().count(), 1);
        assert!(x.issues[0].message.contains("「申报单位」、「1.申报单位」"));
        assert_eq!(x.credit_code.as_deref(), Some("91500103MA5U7K2P39"));
    }

    #[test]
    fn labels_are_matched_loosely_and_rows_may_move() {
        let mut rows: Vec<(String, CellValue)> = applicant_rows()
            .into_iter()
            .map(|(l, v)| {
                let l = match l.as_str() {
                    "单位名称*" => "＊单 位 名 称：".to_string(),
                    "上年度营业收入（万元）*" => " 上年度营业收入(万元)* : ".to_string(),
                    "上年末从业人员（人）*" => "上年末从业人员\n（人）＊".to_string(),
                    "联系电话*" => "联系电话：".to_string(),
                    _ => l,
                };
                (l, v)
            })
            .collect();
        rows.reverse();
        rows.insert(0, ("申报单位基本信息".into(), t("")));
        rows.insert(5, ("".into(), t("")));
        rows.insert(7, ("备注".into(), t("无")));
        let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        assert_eq!(x.fields.len(), 19);
        assert_eq!(
            x.applicant_name.as_deref(),
            Some("重庆渝算智能科技有限公司")
        );
        assert_eq!(
            x.value("上年度营业收入"),
            Some(&Value::Money(dec("32005000")))
        );
        assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(85)));
    }

    #[test]
    fn typed_values_are_normalised() {
        let mut rows = applicant_rows();
        set(&mut rows, "上年度营业收入", t("１，２３４．５６万元"));
        set(&mut rows, "上年末从业人员", t(" 88 "));
        set(&mut rows, "成立日期", t("2019年3月8日"));
        set(&mut rows, "是否总部企业", CellValue::Bool(true));
        set(&mut rows, "联系电话", t("（023）6376 8001"));
        set(
            &mut rows,
            "统一社会信用代码",
            t(" ９１５００１０３ＭＡ５Ｕ７Ｋ２Ｐ３９\n"),
        );
        let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        let r = x.field("上年度营业收入").unwrap();
        assert_eq!(r.value.display_json(), "12345600.00");
        assert_eq!(r.raw, "１，２３４．５６万元");
        assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(88)));
        assert_eq!(x.field("上年末从业人员").unwrap().raw, " 88 ");
        assert_eq!(x.value("成立日期").unwrap().display_json(), "2019-03-08");
        assert_eq!(x.value("是否总部企业"), Some(&Value::Bool(true)));
        assert_eq!(
            x.value("联系电话"),
            Some(&Value::Text("023-63768001".into()))
        );
        assert_eq!(x.credit_code.as_deref(), Some("91500103MA5U7K2P39"));
    }

    #[test]
    fn yuan_in_a_wan_column_is_converted_with_a_warning() {
        let mut rows = applicant_rows();
        set(&mut rows, "上年度纳税总额", t("1,200,000元"));
        let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
        assert!(!x.has_errors());
        let w: Vec<&Issue> = x.warnings().collect();
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].cell.as_deref(), w[0].field.as_deref()),
            (Some("B14"), Some("上年度纳税总额"))
        );
        assert!(w[0].message.contains("120 万元"));
        assert_eq!(
            x.value("上年度纳税总额"),
            Some(&Value::Money(dec("1200000")))
        );
    }

    #[test]
    fn a_unit_changed_in_a_label_or_header_is_an_error() {
        let mut rows = applicant_rows();
        rows.iter_mut()
            .find(|(l, _)| l.starts_with("上年度营业收入"))
            .unwrap()
            .0 = "上年度营业收入（元）*".into();
        let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
        assert_eq!(errors_at(&x), ["申报单位!A13"]);
        assert!(x.field("上年度营业收入").is_none());

        let mut g = clean();
        let c1 = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "C1-算力供给")
            .unwrap();
        c1.cells
            .iter_mut()
            .find(|c| (c.row, c.col) == (0, 3))
            .unwrap()
            .value = t("项目总投资（元）*");
        let x = extract(&g, &[2026]);
        assert_eq!(errors_at(&x), ["C1-算力供给!D1"]);
        assert!(x.projects[0].field("项目总投资").is_none());
        assert_eq!(x.projects[0].fields.len(), 9);
    }

    #[test]
    fn merged_two_row_headers_below_a_title_like_sample_03() {
        let c3 = schema::clause_sheet(Clause::C3);
        let mut cells = vec![
            at("A1", t("C3-算力消纳 项目明细表")),
            at("A2", t("项目名称 *")),
            at("B2", t("项目信息")),
        ];
        let h = headers(c3);
        for (i, h) in h.iter().enumerate().skip(1) {
            cells.push((2, i as u32, t(h)));
        }
        let row = [
            t("渝中政务大模型研发"),
            t("渝中区公共算力服务平台"),
            t("智算"),
            t("大模型开发"),
            n("420"),
            n("180000"),
            n("1500"),
            n("20"),
            t("使用公共智算平台训练行业大模型。"),
        ];
        for (i, v) in row.iter().enumerate() {
            cells.push((3, i as u32, v.clone()));
        }
        let mut s = sheet(c3.name, cells);
        s.merged = vec![merge("A1:I1"), merge("B2:I2"), merge("A2:A3")];
        let mut g = workbook(&applicant_rows(), &[]);
        *g.sheets.iter_mut().find(|s| s.name == c3.name).unwrap() = s;
        let x = extract(&g, &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        assert_eq!(x.projects.len(), 1);
        let p = &x.projects[0];
        assert_eq!(
            (p.clause, p.name.as_str(), p.row),
            (Clause::C3, "渝中政务大模型研发", 4)
        );
        assert_eq!(p.fields.len(), 9);
        assert_eq!(p.value("算力费用"), Some(&Value::Money(dec("4200000"))));
        assert_eq!(p.value("使用量"), Some(&Value::Number(dec("180000"))));
        assert_eq!(p.field("算力费用").unwrap().cell, "C3-算力消纳!E4");
    }

    #[test]
    fn reordered_columns_like_sample_04() {
        let c4 = schema::clause_sheet(Clause::C4);
        let s = table(
            "5.C4-AI+应用",
            0,
            &[
                "引领作用说明 *",
                "应用场景名称 *",
                "项目名称 *",
                "所属领域 *",
                "项目简介",
                "场景投资（万元）",
            ],
            &[vec![
                t("覆盖区内三百家商户，可复制推广。"),
                t("朝天门商贸物流智能调度"),
                t("AI+智慧物流调度"),
                t("现代物流"),
                t("AI+物流标杆场景。"),
                n("900"),
            ]],
        );
        let mut g = workbook(&applicant_rows(), &[]);
        *g.sheets.iter_mut().find(|s| s.name == c4.name).unwrap() = s;
        let x = extract(&g, &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        let p = x.projects_of(Clause::C4).next().unwrap();
        assert_eq!(p.name, "AI+智慧物流调度");
        assert_eq!(p.value("所属领域"), Some(&Value::Text("现代物流".into())));
        assert_eq!(p.value("场景投资"), Some(&Value::Money(dec("9000000"))));
        assert_eq!(p.field("所属领域").unwrap().cell, "5.C4-AI+应用!D2");
        // A domain outside the list is an error.
        let mut g2 = g.clone();
        let s = g2
            .sheets
            .iter_mut()
            .find(|s| s.name == "5.C4-AI+应用")
            .unwrap();
        s.cells
            .iter_mut()
            .find(|c| (c.row, c.col) == (1, 3))
            .unwrap()
            .value = t("智慧物流");
        let x = extract(&g2, &[2026]);
        assert_eq!(errors_at(&x), ["5.C4-AI+应用!D2"]);
    }

    #[test]
    fn empty_rows_totals_and_notes_are_skipped() {
        let mut second = c1_row();
        second[0] = t("渝中智算中心二期");
        let blank: Vec<CellValue> = vec![t(" "), t(""), t("\n")];
        let mut total = vec![t("合计"), t(""), t(""), n("17200")];
        total.resize(4, t(""));
        let note = vec![t("注：金额单位为万元。")];
        let x = extract(
            &workbook(&applicant_rows(), &[c1_row(), blank, second, total, note]),
            &[2026],
        );
        assert!(!x.has_errors(), "{:#?}", x.issues);
        assert_eq!(x.projects.len(), 2);
        assert_eq!(x.projects[1].row, 4);
        let w: Vec<&str> = x.warnings().map(|i| i.cell.as_deref().unwrap()).collect();
        assert_eq!(w, ["A5", "A6"]);
    }

    #[test]
    fn empty_tables_are_fine_but_a_missing_column_is_not() {
        // Header only, or an emptied sheet: no projects, no issue.
        let mut g = clean();
        let c2 = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "C2-技术攻关")
            .unwrap();
        c2.cells.clear();
        let x = extract(&g, &[2026]);
        assert!(x.issues.is_empty(), "{:#?}", x.issues);

        // A required column removed: an error once there are rows.
        let mut g = clean();
        let c1 = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "C1-算力供给")
            .unwrap();
        c1.cells.retain(|c| c.col != 6);
        let x = extract(&g, &[2026]);
        let e: Vec<&Issue> = x.errors().collect();
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(
            (e[0].field.as_deref(), e[0].cell.as_deref()),
            (Some("服务企业数"), None)
        );
        // …but not when the table has no rows.
        let mut g = workbook(&applicant_rows(), &[]);
        let c1 = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "C1-算力供给")
            .unwrap();
        c1.cells.retain(|c| c.col != 6);
        let x = extract(&g, &[2026]);
        assert!(!x.has_errors());
        assert_eq!(x.warnings().count(), 1, "no project anywhere");

        // Content without any header: an error.
        let mut g = clean();
        let c2 = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "C2-技术攻关")
            .unwrap();
        *c2 = sheet(
            "C2-技术攻关",
            vec![at("A1", t("随便写的")), at("B2", n("5"))],
        );
        let x = extract(&g, &[2026]);
        assert_eq!(errors_at(&x), ["C2-技术攻关!"]);
    }

    #[test]
    fn other_support_rows_and_merged_project_names() {
        let mut g = clean();
        let s = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "其他政策支持")
            .unwrap();
        *s = table(
            "其他政策支持",
            0,
            &["项目名称 *", "政策名称 *", "支持金额（万元） *", "年度 *"],
            &[
                vec![t("渝中智算中心一期"), t("软信十条"), n("50"), n("2025")],
                vec![t(""), t("楼宇经济政策"), t("12.5万元"), t("2024年")],
                vec![t("别的项目"), t("软信十条"), n("1"), n("2025")],
            ],
        );
        s.merged = vec![merge("A2:A3")];
        let x = extract(&g, &[2026]);
        assert!(!x.has_errors(), "{:#?}", x.issues);
        assert_eq!(x.other_support.len(), 3);
        let r = &x.other_support[1];
        assert_eq!((r.project_name.as_str(), r.row), ("渝中智算中心一期", 3));
        assert_eq!(r.value("支持金额"), Some(&Value::Money(dec("125000"))));
        assert_eq!(r.value("年度"), Some(&Value::Year(2024)));
        assert_eq!(r.field("项目名称").unwrap().cell, "其他政策支持!A2");
        // Support for a project that is declared nowhere: a warning.
        let w: Vec<&Issue> = x.warnings().collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].cell.as_deref(), Some("A4"));
    }

    #[test]
    fn duplicate_project_names_are_flagged() {
        let x = extract(&workbook(&applicant_rows(), &[c1_row(), c1_row()]), &[2026]);
        assert!(!x.has_errors());
        let w: Vec<&Issue> = x.warnings().collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].cell.as_deref(), Some("A3"));
        assert_eq!(x.projects.len(), 2);
    }

    #[test]
    fn accepted_years() {
        let x = extract(&clean(), &[]);
        assert_eq!(x.year, Some(2026));
        assert!(x.issues.is_empty());
        let x = extract(&clean(), &[2025, 2027]);
        assert_eq!(x.year, None);
        assert_eq!(
            issue_for(&x, "申报年度").expected.as_deref(),
            Some("2025 / 2027")
        );
    }

    #[test]
    fn issues_are_capped() {
        let rows: Vec<Vec<CellValue>> = (0..600)
            .map(|_| vec![t("x"), t("坏"), t(""), t("坏")])
            .collect();
        let x = extract(&workbook(&applicant_rows(), &rows), &[2026]);
        assert_eq!(x.issues.len(), MAX_ISSUES + 1);
        assert!(x.issues.last().unwrap().message.contains("未列出"));
    }

    #[test]
    fn too_many_merged_regions_is_an_error_not_a_hang() {
        let mut g = clean();
        let c1 = g
            .sheets
            .iter_mut()
            .find(|s| s.name == "C1-算力供给")
            .unwrap();
        c1.merged = (0..100_000u32)
            .map(|i| Merge {
                first_row: 10 + i,
                first_col: 0,
                last_row: 10 + i,
                last_col: 1,
            })
            .collect();
        let x = extract(&g, &[2026]);
        assert_eq!(errors_at(&x), ["C1-算力供给!"]);
        assert_eq!(x.projects.len(), 1);
    }

    #[test]
    fn sheet_keys_and_labels() {
        assert_eq!(sheet_key(" 1.申报单位 "), "申报单位");
        assert_eq!(sheet_key("1、申报单位"), "申报单位");
        assert_eq!(sheet_key("01 申报单位"), "申报单位");
        assert_eq!(sheet_key("5.C4-AI+应用"), sheet_key("C4-AI+应用"));
        assert_eq!(sheet_key("c4－ai＋应用"), sheet_key("C4-AI+应用"));
        assert_ne!(sheet_key("C2-技术攻关"), sheet_key("C2-国产化算力"));
        assert_eq!(sheet_key("2026"), "2026");
        assert_eq!(
            split_label("上年度营业收入（万元）*"),
            ("上年度营业收入".into(), Some("万元".into()))
        );
        assert_eq!(
            split_label("*上年度营业收入 (单位：万元)："),
            ("上年度营业收入".into(), Some("万元".into()))
        );
        assert_eq!(split_label("项目名称 *"), ("项目名称".into(), None));
        assert_eq!(
            split_label("算力规模\n（PFLOPS） *"),
            ("算力规模".into(), Some("PFLOPS".into()))
        );
        assert_eq!(split_label("*"), ("".into(), None));
    }

    fn arb_cell() -> impl Strategy<Value = CellValue> {
        let labels: Vec<String> = schema::template_sheets()
            .iter()
            .flat_map(|s| {
                s.fields
                    .iter()
                    .flat_map(|f| [f.form_label(), f.column_header()])
            })
            .collect();
        prop_oneof![
            prop::sample::select(labels).prop_map(CellValue::Text),
            "\\PC{0,12}".prop_map(CellValue::Text),
            "[-0-9.e]{1,20}".prop_map(CellValue::Number),
            any::<bool>().prop_map(CellValue::Bool),
            "[0-9T:-]{0,20}".prop_map(CellValue::Date),
            Just(CellValue::Error("#N/A".into())),
        ]
    }

    fn arb_sheet() -> impl Strategy<Value = Sheet> {
        let mut names: Vec<String> = schema::template_sheets()
            .iter()
            .map(|s| s.name.to_string())
            .collect();
        names.extend([
            "1.申报单位".to_string(),
            "Sheet1".to_string(),
            "".to_string(),
        ]);
        (
            prop::sample::select(names),
            prop::collection::vec((0u32..12, 0u32..12, arb_cell()), 0..80),
            prop::collection::vec((0u32..12, 0u32..12, 0u32..4, 0u32..4), 0..4),
        )
            .prop_map(|(name, cells, merges)| {
                let mut s = sheet(&name, cells);
                s.cells.dedup_by_key(|c| (c.row, c.col));
                s.merged = merges
                    .into_iter()
                    .map(|(r, c, h, w)| Merge {
                        first_row: r,
                        first_col: c,
                        last_row: r + h,
                        last_col: c + w,
                    })
                    .collect();
                s
            })
    }

    proptest! {
        #[test]
        fn never_panics_on_any_grid(sheets in prop::collection::vec(arb_sheet(), 0..6)) {
            let x = extract(&Grid { format: "xlsx".into(), sheets }, &[2026]);
            let _ = serde_json::to_string(&x).unwrap();
        }
    }

    // -- The shipped sample workbooks, read by the real reader -------------

    fn samples_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/samples")
    }

    fn sample(name: &str) -> Extraction {
        let bytes = std::fs::read(samples_dir().join(name)).unwrap();
        let grid = crate::reader::read_bytes(&bytes).unwrap();
        extract(&grid, &[2026])
    }

    #[test]
    fn samples_match_expected_json() {
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(samples_dir().join("expected.json")).unwrap())
                .unwrap();
        for (file, facts) in expected.as_object().unwrap() {
            let x = sample(file);
            let ok = facts["status"] == "ok";
            assert_eq!(!x.has_errors(), ok, "{file}: {:#?}", x.issues);
            if let Some(code) = facts.get("uscc").and_then(|c| c.as_str()) {
                assert_eq!(x.credit_code.as_deref(), Some(code), "{file}");
            }
            if let Some(clauses) = facts.get("clauses").and_then(|c| c.as_array()) {
                let want: BTreeSet<&str> = clauses.iter().filter_map(|c| c.as_str()).collect();
                let got: BTreeSet<&str> = x.projects.iter().map(|p| p.clause.as_str()).collect();
                assert_eq!(got, want, "{file}");
            }
            if let Some(values) = facts.get("values").and_then(|v| v.as_object()) {
                for (key, want) in values {
                    let got = x.value(key).unwrap().display_json();
                    assert_eq!(&got, want, "{file} {key}");
                }
            }
            if let Some(cells) = facts.get("error_cells").and_then(|c| c.as_array()) {
                let want: Vec<&str> = cells.iter().filter_map(|c| c.as_str()).collect();
                assert_eq!(errors_at(&x), want, "{file}");
            }
            if ok {
                assert_eq!(x.year, Some(2026), "{file}");
                assert!(x.issues.is_empty(), "{file}: {:#?}", x.issues);
            }
        }
    }

    #[test]
    fn sample_01_supply() {
        let x = sample("01-supply-clean.xlsx");
        assert_eq!(
            x.value("上年度营业收入").unwrap().display_json(),
            "32005000.00"
        );
        assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(85)));
        assert_eq!(x.projects.len(), 1);
        let p = &x.projects[0];
        assert_eq!(
            (p.clause, p.name.as_str(), p.row),
            (Clause::C1, "渝中智算中心一期", 2)
        );
        assert_eq!(p.fields.len(), 10);
        assert_eq!(
            p.value("投运日期").and_then(Value::as_date),
            NaiveDate::from_ymd_opt(2025, 6, 30)
        );
        assert_eq!(
            x.value("成立日期").and_then(Value::as_date),
            NaiveDate::from_ymd_opt(2018, 5, 20)
        );
    }

    #[test]
    fn sample_02_two_clauses_and_other_support() {
        let x = sample("02-rnd-two-clauses.xlsx");
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        let c2a: Vec<&Project> = x.projects_of(Clause::C2a).collect();
        assert_eq!(c2a.len(), 2);
        assert_eq!(
            c2a[0].value("资助到账金额"),
            Some(&Value::Money(dec("6500000")))
        );
        assert_eq!(
            c2a[1].value("资助到账金额"),
            Some(&Value::Money(dec("123456780")))
        );
        assert_eq!(
            c2a[0].value("到账日期").and_then(Value::as_date),
            NaiveDate::from_ymd_opt(2025, 4, 18)
        );
        assert_eq!(x.projects_of(Clause::C2b).count(), 1);
        assert_eq!(x.projects.len(), 3);
        assert_eq!(x.other_support.len(), 1);
        let s = &x.other_support[0];
        assert_eq!(s.project_name, "山城政务大模型训练平台");
        assert_eq!(s.value("支持金额"), Some(&Value::Money(dec("500000"))));
        assert_eq!(s.value("年度"), Some(&Value::Year(2025)));
        assert_eq!(
            x.value("联系电话"),
            Some(&Value::Text("023-63768001".into()))
        );
    }

    #[test]
    fn sample_03_merged_header_and_08_ods() {
        for file in [
            "03-consume-merged-header.xlsx",
            "08-consume-libreoffice.ods",
        ] {
            let x = sample(file);
            assert!(x.issues.is_empty(), "{file}: {:#?}", x.issues);
            assert_eq!(x.projects.len(), 1, "{file}");
            let p = &x.projects[0];
            assert_eq!(p.clause, Clause::C3);
            assert_eq!(p.name, "渝中政务大模型研发");
            assert_eq!(
                p.value("算力费用"),
                Some(&Value::Money(dec("4200000"))),
                "{file}"
            );
            assert_eq!(
                p.value("使用量"),
                Some(&Value::Number(dec("180000"))),
                "{file}"
            );
            assert_eq!(x.value("单位类型"), Some(&Value::Text("科研机构".into())));
        }
        let a = sample("03-consume-merged-header.xlsx");
        let b = sample("08-consume-libreoffice.ods");
        assert_eq!(values(&a), values(&b));
    }

    #[test]
    fn sample_04_reordered() {
        let x = sample("04-aiplus-reordered.xlsx");
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        assert_eq!(x.projects.len(), 1);
        let p = &x.projects[0];
        assert_eq!(
            (p.clause, p.name.as_str(), p.sheet.as_str()),
            (Clause::C4, "AI+智慧物流调度", "5.C4-AI+应用")
        );
        assert_eq!(p.value("所属领域"), Some(&Value::Text("现代物流".into())));
        assert_eq!(p.value("场景投资"), Some(&Value::Money(dec("9000000"))));
        assert_eq!(x.field("上年度营业收入").unwrap().cell, "1.申报单位!B13");
    }

    #[test]
    fn sample_05_imports_cleanly_outside_yuzhong() {
        let x = sample("05-not-yuzhong.xlsx");
        assert!(x.issues.is_empty(), "{:#?}", x.issues);
        assert_eq!(x.credit_code.as_deref(), Some("91500105MA5XR8N1XJ"));
        assert_eq!(x.value("注册区县"), Some(&Value::Text("江北区".into())));
    }

    #[test]
    fn sample_06_errors_exactly_where_expected() {
        let x = sample("06-errors.xlsx");
        assert_eq!(errors_at(&x), ["申报单位!B3", "申报单位!B13"]);
        assert_eq!(x.warnings().count(), 0);
        let code = issue_for(&x, "统一社会信用代码");
        assert_eq!(code.found.as_deref(), Some("9.15001E+17"));
        assert_eq!(
            code.expected.as_deref(),
            Some("18 位统一社会信用代码（文本）")
        );
        assert_eq!(
            issue_for(&x, "上年度营业收入").found.as_deref(),
            Some("约三千万")
        );
        assert_eq!(x.credit_code, None);
        assert_eq!(
            x.applicant_name.as_deref(),
            Some("重庆渝算智能科技有限公司")
        );
    }

    /// Values by place, without raw text (which differs between formats).
    fn values(x: &Extraction) -> Vec<(String, String, Value)> {
        let mut v: Vec<(String, String, Value)> = x
            .fields
            .iter()
            .map(|f| ("form".to_string(), f.key.clone(), f.value.clone()))
            .collect();
        for (i, p) in x.projects.iter().enumerate() {
            for f in &p.fields {
                v.push((format!("{}#{i}", p.clause), f.key.clone(), f.value.clone()));
            }
        }
        v
    }

    #[test]
    fn sample_07_xls_reads_like_01() {
        let a = sample("01-supply-clean.xlsx");
        let b = sample("07-supply-legacy.xls");
        assert!(b.issues.is_empty(), "{:#?}", b.issues);
        assert_eq!(values(&a), values(&b));
        assert_eq!(b.credit_code, a.credit_code);
        assert_eq!(b.projects.len(), 1);
    }
}
