//! Tests of the extraction: helpers that build grids here, the cases by
//! concern in the files beside.

use super::*;
use crate::grid::{Cell, CellValue, Merge, Sheet};
use proptest::prelude::*;
use reviewdesk_domain::schema::{self, SheetDef};
use std::collections::BTreeSet;
use std::str::FromStr;

use super::locate::{sheet_key, split_label};

mod form;
mod samples;
mod tables;

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
        t("是"),
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

/// Overwrite the cell at (row, col) of the sheet called `name`.
fn set_cell(g: &mut Grid, name: &str, row: u32, col: u32, v: CellValue) {
    let s = g.sheets.iter_mut().find(|s| s.name == name).unwrap();
    s.cells
        .iter_mut()
        .find(|c| (c.row, c.col) == (row, col))
        .unwrap()
        .value = v;
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
