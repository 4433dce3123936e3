//! Versions of a re-submitted workbook compared field by field.
//!
//! An applicant (credit code) may send several workbooks for one round; each
//! is kept as a version (`intake::import`). [`compare_versions`] lines two
//! versions up — the applicant form by label, projects by clause and "the
//! same project" (name after trimming and full-width folding, as the guide
//! defines it), other-support rows by project and policy name — and returns
//! every value that differs, with the old and the new raw text, normalised
//! value and source cell. A value that was unreadable in one version (an
//! error, so not among the stored values) shows its raw text and cell from
//! that version's issue, with a null value. A workbook kept under a
//! provisional identity and linked to the code counts as version 0 (−1, …
//! for older ones), so the workbook that lost its code compares with the
//! corrected one.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};

use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::Clause;
use crate::intake::extract::{Extraction, FieldValue, Issue};
use crate::rules::evaluate::{field_en, same_key};
use crate::store::Store;

/// One stored version.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionInfo {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub version: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub submission_id: i64,
    pub file_name: String,
    pub file_hash: String,
    pub imported_at: String,
    pub status: String,
}

/// One side of a difference: the value as stored (null when the cell could
/// not be read), the cell's original text and its source cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Side {
    #[cfg_attr(feature = "ts", ts(type = "string | number | boolean | null"))]
    pub value: serde_json::Value,
    pub raw: String,
    pub cell: String,
}

/// What happened to a value between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Change {
    Changed,
    Added,
    Removed,
}

/// Where a value sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Scope {
    Applicant,
    Project,
    OtherSupport,
}

/// One value that differs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Difference {
    pub scope: Scope,
    /// The project's clause (projects only).
    pub clause: Option<Clause>,
    /// The project's name (projects and other-support rows).
    pub project: Option<String>,
    /// The label or column header (the field key).
    pub label: String,
    pub label_en: String,
    pub change: Change,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

/// Two versions compared.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionDiff {
    pub credit_code: String,
    pub applicant: Option<String>,
    pub round: i32,
    pub from: VersionInfo,
    pub to: VersionInfo,
    pub differences: Vec<Difference>,
}

/// The round (latest) and the version numbers of an applicant's workbooks.
/// Workbooks kept under a provisional identity that a reviewer linked to
/// this credit code (`intake::import::link_provisional`) follow its history
/// as versions 0, −1, … (the latest provisional one is 0), so the workbook
/// that lost its code can be compared with the corrected one.
pub fn versions(store: &Store, credit_code: &str) -> Result<(i64, i32, Vec<i64>)> {
    let (id, year) = crate::review::rounds::applicant(store.conn(), credit_code)?;
    let vs = numbered(store, id, year)?
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    Ok((id, year, vs))
}

/// (version, submission id) of the applicant's workbooks in the round,
/// linked provisional ones first (numbered 0, −1, … back in time).
fn numbered(store: &Store, applicant_id: i64, year: i32) -> Result<Vec<(i64, i64)>> {
    let conn = store.conn();
    let mut st = conn.prepare(
        "SELECT s.id FROM submissions s JOIN applicants p ON p.id = s.applicant_id
         WHERE p.linked_to = ?1 AND p.credit_code IS NULL AND s.round_year = ?2
         ORDER BY s.id DESC",
    )?;
    let provisional = st
        .query_map(params![applicant_id, year], |r| r.get::<_, i64>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut out: Vec<(i64, i64)> = provisional
        .into_iter()
        .enumerate()
        .map(|(i, sid)| (-(i as i64), sid))
        .rev()
        .collect();
    let mut st = conn.prepare(
        "SELECT version, id FROM submissions WHERE applicant_id = ?1 AND round_year = ?2 ORDER BY version",
    )?;
    let own = st
        .query_map(params![applicant_id, year], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<Vec<(i64, i64)>, _>>()?;
    out.extend(own);
    Ok(out)
}

fn load(
    store: &Store,
    versions: &[(i64, i64)],
    version: i64,
    code: &str,
) -> Result<(VersionInfo, Extraction)> {
    let sid = versions
        .iter()
        .find(|(v, _)| *v == version)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "{code} 没有第 {version} 版申报表 / {code} has no version {version}"
            ))
        })?;
    let row = store
        .conn()
        .query_row(
            "SELECT id, file_name, file_hash, imported_at, status FROM submissions WHERE id = ?1",
            params![sid],
            |r| {
                Ok(VersionInfo {
                    version,
                    submission_id: r.get(0)?,
                    file_name: r.get(1)?,
                    file_hash: r.get(2)?,
                    imported_at: r.get(3)?,
                    status: r.get(4)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| EngineError::NotFound(format!("no submission {sid}")))?;
    let ex = crate::applications::queries::load_extraction(store, row.submission_id)?;
    Ok((row, ex))
}

fn side(f: &FieldValue) -> Side {
    Side {
        value: f.value.display_json(),
        raw: f.raw.clone(),
        cell: f.cell.clone(),
    }
}

/// The unreadable value of `key` on `sheet` (at `row` for tables), from the
/// version's issues.
fn from_issue(issues: &[Issue], sheet: &str, key: &str, row: Option<u32>) -> Option<Side> {
    issues
        .iter()
        .filter(|i| i.sheet.as_deref() == Some(sheet) && i.field.as_deref() == Some(key))
        .find(|i| {
            row.is_none_or(|r| {
                i.cell.as_deref().is_some_and(|c| {
                    c.trim_start_matches(|ch: char| ch.is_ascii_alphabetic()) == r.to_string()
                })
            })
        })
        .map(|i| Side {
            value: serde_json::Value::Null,
            raw: i.found.clone().unwrap_or_default(),
            cell: format!("{sheet}!{}", i.cell.as_deref().unwrap_or_default()),
        })
}

/// One group of values (the form, a project, a support row) on each side.
struct Group<'a> {
    fields: &'a [FieldValue],
    sheet: &'a str,
    row: Option<u32>,
    issues: &'a [Issue],
}

fn compare_group(
    out: &mut Vec<Difference>,
    scope: Scope,
    clause: Option<Clause>,
    project: Option<&str>,
    old: Option<Group<'_>>,
    new: Option<Group<'_>>,
) {
    let mut keys: Vec<&str> = Vec::new();
    for g in [&old, &new].into_iter().flatten() {
        for f in g.fields {
            if !keys.contains(&f.key.as_str()) {
                keys.push(&f.key);
            }
        }
    }
    let pick = |g: &Option<Group<'_>>, key: &str| -> Option<Side> {
        let g = g.as_ref()?;
        g.fields
            .iter()
            .find(|f| f.key == key)
            .map(side)
            .or_else(|| from_issue(g.issues, g.sheet, key, g.row))
    };
    for key in keys {
        let (a, b) = (pick(&old, key), pick(&new, key));
        let change = match (&a, &b) {
            (Some(x), Some(y)) if x.value == y.value && x.raw.trim() == y.raw.trim() => continue,
            (Some(_), Some(_)) => Change::Changed,
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (None, None) => continue,
        };
        out.push(Difference {
            scope,
            clause,
            project: project.map(str::to_string),
            label: key.to_string(),
            label_en: field_en(clause, key),
            change,
            old: a,
            new: b,
        });
    }
}

/// Compare two versions of the applicant's workbook in its latest round.
pub fn compare_versions(
    store: &Store,
    credit_code: &str,
    v_a: i64,
    v_b: i64,
) -> Result<VersionDiff> {
    let code = credit_code.trim().to_ascii_uppercase();
    let (id, year) = crate::review::rounds::applicant(store.conn(), &code)?;
    let all = numbered(store, id, year)?;
    let (from, a) = load(store, &all, v_a, &code)?;
    let (to, b) = load(store, &all, v_b, &code)?;
    Ok(VersionDiff {
        credit_code: code,
        applicant: b.applicant_name.clone().or(a.applicant_name.clone()),
        round: year,
        from,
        to,
        differences: diff_extractions(&a, &b),
    })
}

/// Every value that differs between two extractions (pure).
pub fn diff_extractions(a: &Extraction, b: &Extraction) -> Vec<Difference> {
    let mut out = Vec::new();
    diff_applicant(&mut out, a, b);
    diff_projects(&mut out, a, b);
    diff_other_support(&mut out, a, b);
    out
}

/// The applicant's own fields (the form sheet).
fn diff_applicant(out: &mut Vec<Difference>, a: &Extraction, b: &Extraction) {
    let form_sheet = |ex: &Extraction| {
        ex.fields
            .first()
            .and_then(|f| f.cell.split_once('!').map(|(s, _)| s.to_string()))
            .unwrap_or_else(|| "申报单位".to_string())
    };
    let (sa, sb) = (form_sheet(a), form_sheet(b));
    compare_group(
        out,
        Scope::Applicant,
        None,
        None,
        Some(Group {
            fields: &a.fields,
            sheet: &sa,
            row: None,
            issues: &a.issues,
        }),
        Some(Group {
            fields: &b.fields,
            sheet: &sb,
            row: None,
            issues: &b.issues,
        }),
    );
}

/// Projects: by clause and the same project name.
fn diff_projects(out: &mut Vec<Difference>, a: &Extraction, b: &Extraction) {
    let mut projects: BTreeMap<(Clause, String), (Option<usize>, Option<usize>)> = BTreeMap::new();
    for (i, p) in a.projects.iter().enumerate() {
        projects
            .entry((p.clause, same_key(&p.name)))
            .or_default()
            .0
            .get_or_insert(i);
    }
    for (i, p) in b.projects.iter().enumerate() {
        projects
            .entry((p.clause, same_key(&p.name)))
            .or_default()
            .1
            .get_or_insert(i);
    }
    let mut order: Vec<_> = projects.into_iter().collect();
    // In the order of the new version, then the removed ones.
    order.sort_by_key(|(_, (ia, ib))| (ib.is_none(), ib.unwrap_or(0), ia.unwrap_or(0)));
    for ((clause, _), (ia, ib)) in order {
        let pa = ia.map(|i| &a.projects[i]);
        let pb = ib.map(|i| &b.projects[i]);
        let name = pb.or(pa).map(|p| p.name.as_str());
        compare_group(
            out,
            Scope::Project,
            Some(clause),
            name,
            pa.map(|p| Group {
                fields: &p.fields,
                sheet: &p.sheet,
                row: Some(p.row),
                issues: &a.issues,
            }),
            pb.map(|p| Group {
                fields: &p.fields,
                sheet: &p.sheet,
                row: Some(p.row),
                issues: &b.issues,
            }),
        );
    }
}

/// Other support: by project and policy name.
fn diff_other_support(out: &mut Vec<Difference>, a: &Extraction, b: &Extraction) {
    let support_key = |s: &crate::intake::extract::SupportRow| {
        let policy = s
            .field("政策名称")
            .map(|f| same_key(&f.raw))
            .unwrap_or_default();
        (same_key(&s.project_name), policy)
    };
    let mut rows: BTreeMap<(String, String), (Option<usize>, Option<usize>)> = BTreeMap::new();
    for (i, s) in a.other_support.iter().enumerate() {
        rows.entry(support_key(s)).or_default().0.get_or_insert(i);
    }
    for (i, s) in b.other_support.iter().enumerate() {
        rows.entry(support_key(s)).or_default().1.get_or_insert(i);
    }
    for ((_, _), (ia, ib)) in rows {
        let ra = ia.map(|i| &a.other_support[i]);
        let rb = ib.map(|i| &b.other_support[i]);
        let name = rb.or(ra).map(|r| r.project_name.as_str());
        compare_group(
            out,
            Scope::OtherSupport,
            None,
            name,
            ra.map(|r| Group {
                fields: &r.fields,
                sheet: &r.sheet,
                row: Some(r.row),
                issues: &a.issues,
            }),
            rb.map(|r| Group {
                fields: &r.fields,
                sheet: &r.sheet,
                row: Some(r.row),
                issues: &b.issues,
            }),
        );
    }
}
