//! The applicant form: one label per row in column A, its value in B.

use std::collections::HashMap;

use reviewdesk_domain::schema::{self, keys, FieldDef, Kind, SheetDef};

use super::issues::{expected_zh, At, Run};
use super::locate::{split_label, unit_matches, Cells};
use super::{Extraction, FieldValue, Severity, Value};
use crate::grid::{CellValue, Sheet};
use crate::normalize;

pub(super) struct FormResult {
    pub(super) fields: Vec<FieldValue>,
    /// Row (0-based) of the credit code's value, for later warnings.
    pub(super) credit_code_at: Option<(u32, u32)>,
    pub(super) applicant_name: Option<String>,
}

pub(super) fn read_form(
    run: &mut Run,
    sheet: &Sheet,
    def: &SheetDef,
    accepted_years: &[i32],
) -> FormResult {
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
            duplicate_label(run, label_at, field, label, *first);
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
                    wrong_year(run, at, y, accepted_years);
                    continue;
                }
            }
        }
        if field.kind == Kind::Uscc {
            out.credit_code_at = Some((row, 1));
        }
        out.fields.push(fv);
    }
    missing_labels(run, def, &seen, name);
    out
}

/// The applicant form read into `ex`: its fields, year, credit code and
/// name, and a warning when the credit code was registered outside Yuzhong
/// while the form says 渝中区.
pub(super) fn read_applicant(
    run: &mut Run,
    ex: &mut Extraction,
    sheet: &Sheet,
    def: &SheetDef,
    accepted_years: &[i32],
) {
    let form = read_form(run, sheet, def, accepted_years);
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

fn is_yuzhong_district(text: &str) -> bool {
    let t = normalize::remove_blanks(&normalize::fold_width(text));
    t == "渝中" || t.ends_with(schema::YUZHONG)
}

/// A label seen twice: which row counts is not certain.
fn duplicate_label(run: &mut Run, label_at: At, field: &FieldDef, label: &str, first: u32) {
    run.duplicate(
        label_at,
        field,
        label,
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
}

/// 申报年度 outside the years this round accepts.
fn wrong_year(run: &mut Run, at: At, y: i32, accepted_years: &[i32]) {
    let years: Vec<String> = accepted_years.iter().map(|y| y.to_string()).collect();
    let years = years.join(" / ");
    run.issue(
        Severity::Error,
        Some(at.sheet),
        Some(at.cell()),
        Some(keys::YEAR),
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
}

/// Required fields whose label is nowhere in column A.
fn missing_labels(run: &mut Run, def: &SheetDef, seen: &HashMap<&'static str, u32>, name: &str) {
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
}
