//! Tables: the header row found among the first rows (through merged
//! cells), then one item per non-empty data row; totals and notes skipped.

use std::collections::HashSet;

use reviewdesk_domain::schema::{keys, FieldDef, SheetDef};

use super::issues::{At, Run};
use super::locate::{split_label, unit_matches, Cells};
use super::{FieldValue, Severity, MAX_TABLE_ROWS};
use crate::grid::{cell_ref, CellValue, Sheet};
use crate::normalize;

/// Header rows are looked for among the first this many rows of a table.
const HEADER_SCAN_ROWS: u32 = 30;
/// Columns considered when looking for headers.
const HEADER_SCAN_COLS: u32 = 256;

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
    for r in top..=bottom {
        scan_headers(run, cells, def, name, max_col, r, &mut columns);
    }
    // Headers split over two rows without merging: look one row up.
    if top > 0 {
        scan_headers(run, cells, def, name, max_col, top - 1, &mut columns);
    }
    Some(Header { columns, bottom })
}

/// The columns whose header text in row `r` matches one of the table's
/// fields, added to `columns` (a header seen twice is an error, except the
/// same merged cell seen from another row).
fn scan_headers(
    run: &mut Run,
    cells: &Cells,
    def: &SheetDef,
    name: &str,
    max_col: u32,
    r: u32,
    columns: &mut Vec<Column>,
) {
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
                duplicate_header(run, at, field, text, first.col);
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
}

/// A column header seen twice: which column counts is not certain.
fn duplicate_header(run: &mut Run, at: At, field: &FieldDef, text: &str, first_col: u32) {
    run.duplicate(
        at,
        field,
        text,
        format!(
            "{}列标题「{}」重复（已在 {} 列），无法确定以哪一列为准。",
            at.full(),
            field.key,
            cell_ref(at.row, first_col).trim_end_matches(|c: char| c.is_ascii_digit())
        ),
        format!(
            "{} the column header {} ({}) appears twice; it is not certain which column counts.",
            at.full(),
            field.en,
            field.key
        ),
    );
}

pub(super) struct TableRow {
    pub(super) row: u32,
    /// Where the project name sits ("A5"), for warnings about it.
    pub(super) name_cell: String,
    pub(super) name: String,
    pub(super) fields: Vec<FieldValue>,
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
pub(super) fn read_table(run: &mut Run, sheet: &Sheet, def: &SheetDef) -> Vec<TableRow> {
    let cells = Cells::new(sheet);
    let name = sheet.name.as_str();
    run.check_merges(sheet);
    let mut out = Vec::new();
    if cells.rows.is_empty() {
        return out; // An emptied sheet: no rows, nothing to say.
    }
    let Some(header) = find_header(run, &cells, def, name) else {
        no_header(run, def, name);
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
            total_or_note(run, name, row, &first_text);
            continue;
        }
        if !missing_reported {
            missing_reported = true;
            missing_columns(run, def, &header, name);
        }
        read += 1;
        if read > MAX_TABLE_ROWS {
            too_many_rows(run, name, row);
            break;
        }
        out.push(read_row(
            run, &cells, &header, def, name, row, name_col, &name_text,
        ));
    }
    out
}

/// The issue for a table without a header row.
fn no_header(run: &mut Run, def: &SheetDef, name: &str) {
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
}

/// The warning for a total or note row, which is not read as an item.
fn total_or_note(run: &mut Run, name: &str, row: u32, first_text: &str) {
    let at = At {
        sheet: name,
        row,
        col: 0,
    };
    let shown = normalize::trim(first_text).to_string();
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
}

/// Required columns added to the template after workbooks of an earlier
/// template were handed out (是否自主投资, 2026). A workbook without one is
/// still read, with a warning; the eligibility rule that needs the value
/// then fails until a reviewer confirms it (never a silent pass).
const ADDED_COLUMNS: &[&str] = &["是否自主投资"];

/// Required columns the header lacks (said once, at the first data row).
fn missing_columns(run: &mut Run, def: &SheetDef, header: &Header, name: &str) {
    for field in def.fields.iter().filter(|f| f.required) {
        if header.columns.iter().any(|c| c.field.key == field.key) {
            continue;
        }
        if ADDED_COLUMNS.contains(&field.key) {
            run.issue(
                Severity::Warning,
                Some(name),
                None,
                Some(field.key),
                None,
                Some(field.column_header()),
                format!(
                    "工作表「{name}」缺少「{}」列（按旧版模板填报）：该项须由评审人核实确认。",
                    field.column_header()
                ),
                format!(
                    "Sheet {name} lacks the column {} ({}): the workbook was made from an older template; a reviewer must check and confirm it.",
                    field.en,
                    field.column_header()
                ),
            );
        } else {
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

/// The error for a table longer than `MAX_TABLE_ROWS`.
fn too_many_rows(run: &mut Run, name: &str, row: u32) {
    run.issue(
        Severity::Error,
        Some(name),
        Some(cell_ref(row, 0)),
        None,
        None,
        Some(format!("不超过 {MAX_TABLE_ROWS} 行")),
        format!(
            "工作表「{name}」超过 {MAX_TABLE_ROWS} 行，第 {} 行起未读取。",
            row + 1
        ),
        format!(
            "Sheet {name} has more than {MAX_TABLE_ROWS} rows; rows from {} on were not read.",
            row + 1
        ),
    );
}

/// One data row: each column's value read against its field, a value merged
/// down from a row above counted for this row too.
#[allow(clippy::too_many_arguments)]
fn read_row(
    run: &mut Run,
    cells: &Cells,
    header: &Header,
    def: &SheetDef,
    name: &str,
    row: u32,
    name_col: Option<u32>,
    name_text: &str,
) -> TableRow {
    let mut item = TableRow {
        row: row + 1,
        name_cell: cell_ref(row, name_col.unwrap_or(0)),
        name: normalize::trim(name_text).to_string(),
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
                    if m.first_col == col && m.first_row > header.bottom && m.first_row < row =>
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
    item
}
