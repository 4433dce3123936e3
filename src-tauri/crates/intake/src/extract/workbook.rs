//! The whole workbook: sheets matched to the contract by name, each read
//! by its layout (the applicant form, clause tables, other support), then
//! the checks that need the whole workbook.

use reviewdesk_domain::schema::{self, Clause, Layout, SheetDef, SheetRole};

use super::form::read_applicant;
use super::issues::Run;
use super::locate::sheet_key;
use super::projects::{check_support_declared, read_projects, read_support};
use super::Extraction;
use crate::grid::{Grid, Sheet};

pub(super) fn extract(grid: &Grid, accepted_years: &[i32]) -> Extraction {
    let mut run = Run {
        issues: Vec::new(),
        suppressed: 0,
    };
    let defs = schema::template_sheets();
    let (found_list, found_list_en) = sheet_lists(grid);
    let chosen = choose_sheets(&mut run, grid, defs);

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
                read_applicant(&mut run, &mut ex, sheet, def, accepted_years);
            }
            (Layout::Table, SheetRole::Clause(clause), Some(sheet)) => {
                read_projects(&mut run, &mut ex, sheet, def, clause);
            }
            (Layout::Table, _, Some(sheet)) => {
                read_support(&mut run, &mut ex, sheet, def, &mut support_name_cells);
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

    check_sheets(&mut run, &ex, &chosen, defs, &found_list, &found_list_en);
    check_support_declared(&mut run, &ex, support_name_cells);
    ex.issues = run.finish();
    ex
}

/// The workbook's sheet names, listed for messages (Chinese, English).
fn sheet_lists(grid: &Grid) -> (String, String) {
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
    (found_list, found_list_en)
}

/// The sheet read for each definition (the first that matches by name; more
/// than one is an error).
fn choose_sheets<'g>(run: &mut Run, grid: &'g Grid, defs: &[SheetDef]) -> Vec<Option<&'g Sheet>> {
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
    chosen
}

/// No clause sheet, no project at all, no other-support sheet.
fn check_sheets(
    run: &mut Run,
    ex: &Extraction,
    chosen: &[Option<&Sheet>],
    defs: &[SheetDef],
    found_list: &str,
    found_list_en: &str,
) {
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
}
