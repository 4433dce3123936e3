//! The run: every problem of one workbook collected (capped at
//! `MAX_ISSUES`), each located and worded in Chinese and English, and one
//! cell normalised against its field's kind.

use reviewdesk_domain::schema::{FieldDef, Kind};

use super::{FieldValue, Issue, Severity, Value, MAX_ISSUES, MAX_MERGES};
use crate::grid::{cell_ref, CellValue, Sheet};
use crate::normalize::{self, NormError, NormWarning};

pub(super) struct Run {
    pub(super) issues: Vec<Issue>,
    pub(super) suppressed: usize,
}

/// Where a value sits: sheet name as in the file, and the cell.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub(super) sheet: &'a str,
    pub(super) row: u32,
    pub(super) col: u32,
}

impl At<'_> {
    pub(super) fn cell(&self) -> String {
        cell_ref(self.row, self.col)
    }
    pub(super) fn full(&self) -> String {
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
    pub(super) fn issue(
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

    pub(super) fn workbook_error(&mut self, message: String, message_en: String) {
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

    pub(super) fn workbook_warning(&mut self, message: String, message_en: String) {
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

    /// A label or header met twice (`found` as typed): it is not certain
    /// which one counts.
    pub(super) fn duplicate(
        &mut self,
        at: At,
        field: &FieldDef,
        found: &str,
        message: String,
        message_en: String,
    ) {
        self.issue(
            Severity::Error,
            Some(at.sheet),
            Some(at.cell()),
            Some(field.key),
            Some(normalize::trim(found).to_string()),
            None,
            message,
            message_en,
        );
    }

    pub(super) fn missing_value(&mut self, at: At, field: &FieldDef) {
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
pub(super) fn expected_zh(field: &FieldDef) -> String {
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
    pub(super) fn check_merges(&mut self, sheet: &Sheet) {
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
    pub(super) fn read_value(
        &mut self,
        at: At,
        field: &FieldDef,
        cell: &CellValue,
    ) -> Option<FieldValue> {
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
    pub(super) fn unit_mismatch(&mut self, at: At, field: &FieldDef, found: &str) {
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

impl Run {
    /// The issues, with one more saying how many were not listed.
    pub(super) fn finish(mut self) -> Vec<Issue> {
        if self.suppressed > 0 {
            let n = self.suppressed;
            self.issues.push(Issue {
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
        self.issues
    }
}
