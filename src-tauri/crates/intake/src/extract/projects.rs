//! Clause tables read into projects (a name used twice is a warning), the
//! other-support table into rows, and other support for a project that no
//! clause sheet declares.

use std::collections::{HashMap, HashSet};

use reviewdesk_domain::schema::{keys, Clause, SheetDef};

use super::issues::Run;
use super::table::read_table;
use super::{Extraction, Project, Severity, SupportRow};
use crate::grid::Sheet;

/// One clause table: its rows as projects of `clause`.
pub(super) fn read_projects(
    run: &mut Run,
    ex: &mut Extraction,
    sheet: &Sheet,
    def: &SheetDef,
    clause: Clause,
) {
    let rows = read_table(run, sheet, def);
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

/// The other-support table: its rows, and where each row's project name
/// sits (for the check that it is declared).
pub(super) fn read_support(
    run: &mut Run,
    ex: &mut Extraction,
    sheet: &Sheet,
    def: &SheetDef,
    support_name_cells: &mut Vec<String>,
) {
    for r in read_table(run, sheet, def) {
        support_name_cells.push(r.name_cell.clone());
        ex.other_support.push(SupportRow {
            project_name: r.name,
            sheet: sheet.name.clone(),
            row: r.row,
            fields: r.fields,
        });
    }
}

/// Other support for a project that is not declared anywhere (names
/// compared after folding, as the evaluation matches them).
pub(super) fn check_support_declared(
    run: &mut Run,
    ex: &Extraction,
    support_name_cells: Vec<String>,
) {
    let declared: HashSet<String> = ex
        .projects
        .iter()
        .map(|p| crate::normalize::name_key(&p.name))
        .collect();
    for (s, name_cell) in ex.other_support.iter().zip(support_name_cells) {
        if !s.project_name.is_empty()
            && !declared.contains(&crate::normalize::name_key(&s.project_name))
        {
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
}
