//! Managed lists per round (`lists import`): the credit blacklist, the
//! certified compute platforms (C3), the AI+ scenario library (C4) and other
//! policies' payment ledgers, each read from one sheet with a header row,
//! imported by an administrator, audited, stored with the file's content
//! hash (and the file itself, content-addressed). A bad file is refused
//! with its sheet, row, cell and why; nothing is stored. The evaluation
//! reads the latest list of each kind (`load`).

use std::collections::HashMap;

use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::intake::grid::{cell_ref, CellValue, Sheet};
use crate::rules::evaluate::{
    same_key, BlacklistEntry, LibraryEntry, ManagedList, OtherPolicyEntry, PlatformEntry,
    RoundLists,
};
use crate::store::{now, Actor, Store};

/// Which managed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Platforms,
    Aiplus,
    Blacklist,
    OtherPolicy,
}

impl ListKind {
    pub const ALL: [ListKind; 4] = [
        ListKind::Platforms,
        ListKind::Aiplus,
        ListKind::Blacklist,
        ListKind::OtherPolicy,
    ];

    /// The name the command line and the store use.
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Platforms => "platforms",
            ListKind::Aiplus => "aiplus",
            ListKind::Blacklist => "blacklist",
            ListKind::OtherPolicy => "other-policy",
        }
    }

    pub fn parse(s: &str) -> Result<ListKind> {
        ListKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                EngineError::Invalid(format!(
                    "名单类型应为 platforms、aiplus、blacklist 或 other-policy，而不是「{s}」 / the list kind must be platforms, aiplus, blacklist or other-policy, not '{s}'"
                ))
            })
    }

    /// The columns the file must have.
    fn required(self) -> &'static [&'static str] {
        match self {
            ListKind::Platforms => &["平台名称"],
            ListKind::Aiplus => &["项目名称", "申报单位"],
            ListKind::Blacklist => &["统一社会信用代码", "单位名称"],
            ListKind::OtherPolicy => &[
                "统一社会信用代码",
                "项目名称",
                "政策名称",
                "支持金额（万元）",
                "年度",
            ],
        }
    }
}

/// A refusal of a bad file: where (sheet, row, cell) and why, both languages.
pub(crate) fn bad_file(code: &'static str, zh: String, en: String) -> EngineError {
    EngineError::coded(code, zh, en)
}

/// One sheet read as a table: its header row (the first of the top rows
/// with every required column) and the data rows below it.
pub(crate) struct Table<'a> {
    pub sheet: &'a Sheet,
    /// Header text (trimmed) → 0-based column.
    pub columns: HashMap<String, u32>,
    /// Headers in column order.
    pub headers: Vec<(u32, String)>,
    /// The header row (0-based); data rows follow it.
    header_row: u32,
    code: &'static str,
}

/// How many rows from the top a header row is looked for in.
const HEADER_ROWS: u32 = 10;

impl<'a> Table<'a> {
    /// The file's first sheet as a table with `required` columns
    /// (refused with `code` when a column is missing or the sheet is empty).
    pub fn read(
        grid: &'a crate::intake::grid::Grid,
        required: &[&str],
        code: &'static str,
    ) -> Result<Table<'a>> {
        let Some(sheet) = grid.sheets.first() else {
            return Err(bad_file(
                code,
                "文件中没有工作表".into(),
                "the file has no sheet".into(),
            ));
        };
        // the header row: the first of the first rows with every required
        // column (a downloaded list often has a title row above it)
        let header_at = |row: u32| -> (Vec<(u32, String)>, Vec<&str>) {
            let headers: Vec<(u32, String)> = sheet
                .cells
                .iter()
                .filter(|c| c.row == row)
                .map(|c| (c.col, c.value.raw_text().trim().to_string()))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            let missing = required
                .iter()
                .copied()
                .filter(|r| !headers.iter().any(|(_, h)| same_key(h) == same_key(r)))
                .collect();
            (headers, missing)
        };
        let found = (0..HEADER_ROWS)
            .map(|row| (row, header_at(row)))
            .find(|(_, (_, missing))| missing.is_empty());
        let Some((header_row, (headers, _))) = found else {
            let (_, missing) = header_at(0);
            let name = &sheet.name;
            return Err(bad_file(
                code,
                format!(
                    "工作表「{name}」第 1 行（表头；前 {HEADER_ROWS} 行均不含全部所需列）缺少列：{}",
                    missing.join("、")
                ),
                format!(
                    "sheet '{name}' row 1 (the header row; none of the first {HEADER_ROWS} rows has every column needed) lacks the column(s): {}",
                    missing.join(", ")
                ),
            ));
        };
        let columns: HashMap<String, u32> =
            headers.iter().map(|(c, t)| (same_key(t), *c)).collect();
        Ok(Table {
            sheet,
            columns,
            headers,
            header_row,
            code,
        })
    }

    /// The data rows (0-based, after the header) that have any cell.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .sheet
            .cells
            .iter()
            .map(|c| c.row)
            .filter(|r| *r > self.header_row)
            .collect();
        rows.dedup();
        rows
    }

    /// The cell of `column` in `row`, if not empty.
    pub fn cell(&self, row: u32, column: &str) -> Option<&CellValue> {
        let col = *self.columns.get(&same_key(column))?;
        self.sheet
            .get(row, col)
            .filter(|v| !v.raw_text().trim().is_empty())
    }

    /// The text of `column` in `row` (trimmed), if not empty.
    pub fn text(&self, row: u32, column: &str) -> Option<String> {
        self.cell(row, column)
            .map(|v| v.raw_text().trim().to_string())
    }

    /// A1 reference of `column` in `row`.
    pub fn at(&self, row: u32, column: &str) -> String {
        let col = self.columns.get(&same_key(column)).copied().unwrap_or(0);
        cell_ref(row, col)
    }

    /// A refusal naming the sheet, the row (1-based), the cell and why.
    pub fn refuse(&self, row: u32, column: &str, why: (&str, &str)) -> EngineError {
        let (name, cell) = (&self.sheet.name, self.at(row, column));
        let n = row + 1;
        bad_file(
            self.code,
            format!(
                "工作表「{name}」第 {n} 行 {cell} 单元格（{column}）：{}",
                why.0
            ),
            format!("sheet '{name}' row {n} cell {cell} ({column}): {}", why.1),
        )
    }

    /// The text of a required `column` in `row`; refused when empty.
    pub fn required(&self, row: u32, column: &str) -> Result<String> {
        self.text(row, column)
            .ok_or_else(|| self.refuse(row, column, ("不能为空", "must not be empty")))
    }

    /// A number in `column` of `row` (a number cell, or text that is one).
    pub fn decimal(&self, row: u32, column: &str) -> Result<Decimal> {
        let t = self.required(row, column)?;
        t.replace(',', "").parse::<Decimal>().map_err(|_| {
            self.refuse(
                row,
                column,
                (
                    &format!("「{t}」不是数字"),
                    &format!("'{t}' is not a number"),
                ),
            )
        })
    }
}

/// What `lists import` stored.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Imported {
    pub kind: &'static str,
    pub entries: usize,
    pub hash: String,
}

/// A year in `column` of `row` (e.g. 2025 or "2025年").
fn year(t: &Table<'_>, row: u32, column: &str) -> Result<i32> {
    let s = t.required(row, column)?;
    let digits = s.trim_end_matches('年').trim_end_matches(".0");
    digits
        .parse::<i32>()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
        .ok_or_else(|| {
            t.refuse(
                row,
                column,
                (
                    &format!("「{s}」不是年度（如 2025）"),
                    &format!("'{s}' is not a year (e.g. 2025)"),
                ),
            )
        })
}

/// A day written YYYY-MM-DD or YYYY/MM/DD (a date cell's text, any time of
/// day after a 'T' ignored).
pub(crate) fn day_of(text: &str) -> Option<chrono::NaiveDate> {
    let day = text.trim().split('T').next().unwrap_or("");
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(day, "%Y/%m/%d"))
        .ok()
}

/// An optional date in `column` of `row` as YYYY-MM-DD (a date cell, or
/// text YYYY-MM-DD or YYYY/MM/DD).
fn date(t: &Table<'_>, row: u32, column: &str) -> Result<Option<String>> {
    let Some(s) = t.text(row, column) else {
        return Ok(None);
    };
    day_of(&s)
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .ok_or_else(|| {
            t.refuse(
                row,
                column,
                (
                    &format!("「{s}」不是日期（YYYY-MM-DD）"),
                    &format!("'{s}' is not a date (YYYY-MM-DD)"),
                ),
            )
        })
}

/// A credit code in `column` of `row`, checked (check digit included).
fn credit_code(t: &Table<'_>, row: u32, column: &str) -> Result<String> {
    let code = t.required(row, column)?.to_uppercase();
    crate::uscc::validate(&code).map_err(|e| {
        t.refuse(
            row,
            column,
            (
                &format!("「{code}」不是有效的统一社会信用代码：{}", e.message_zh()),
                &format!("'{code}' is not a valid credit code: {}", e.message_en()),
            ),
        )
    })?;
    Ok(code)
}

/// The file's rows as the list's entries (JSON, as stored), and how many.
fn entries(kind: ListKind, t: &Table<'_>) -> Result<(serde_json::Value, usize)> {
    let rows = t.rows();
    let n = rows.len();
    let json = |v: std::result::Result<serde_json::Value, serde_json::Error>| {
        v.map_err(|e| EngineError::Store(format!("list entries: {e}")))
    };
    let v = match kind {
        ListKind::Blacklist => {
            let mut out = Vec::with_capacity(n);
            for r in rows {
                let evidence = t
                    .headers
                    .iter()
                    .filter(|(_, h)| !ListKind::Blacklist.required().contains(&h.as_str()))
                    .filter_map(|(c, h)| {
                        t.sheet
                            .get(r, *c)
                            .map(|v| (h.clone(), v.raw_text().trim().to_string()))
                    })
                    .collect();
                out.push(BlacklistEntry {
                    credit_code: credit_code(t, r, "统一社会信用代码")?,
                    name: t.required(r, "单位名称")?,
                    row: r + 1,
                    evidence,
                });
            }
            json(serde_json::to_value(out))?
        }
        ListKind::Platforms => {
            let mut out = Vec::with_capacity(n);
            for r in rows {
                out.push(PlatformEntry {
                    name: t.required(r, "平台名称")?,
                    number: t.text(r, "认定文号"),
                    from: date(t, r, "认定日期")?,
                    until: date(t, r, "有效期至")?,
                });
            }
            json(serde_json::to_value(out))?
        }
        ListKind::Aiplus => {
            let mut out = Vec::with_capacity(n);
            for r in rows {
                out.push(LibraryEntry {
                    project: t.required(r, "项目名称")?,
                    owner: t.required(r, "申报单位")?,
                });
            }
            json(serde_json::to_value(out))?
        }
        ListKind::OtherPolicy => {
            let mut out = Vec::with_capacity(n);
            for r in rows {
                out.push(OtherPolicyEntry {
                    credit_code: credit_code(t, r, "统一社会信用代码")?,
                    project: t.required(r, "项目名称")?,
                    policy: t.required(r, "政策名称")?,
                    amount_wan: t.decimal(r, "支持金额（万元）")?,
                    year: year(t, r, "年度")?,
                    row: r + 1,
                });
            }
            json(serde_json::to_value(out))?
        }
    };
    Ok((v, n))
}

/// The spreadsheet in `bytes` read as a grid; a file that is not one is
/// refused with `code`.
pub(crate) fn read_grid(
    bytes: &[u8],
    file: &str,
    code: &'static str,
) -> Result<crate::intake::grid::Grid> {
    crate::intake::reader::read_bytes(bytes).map_err(|e| {
        bad_file(
            code,
            format!("{file}：{}", e.message_zh()),
            format!("{file}: {}", e.message_en()),
        )
    })
}

/// Import `bytes` (the file `file`) as the round's `kind` list, replacing
/// the previous one for later evaluations; by an administrator, audited;
/// refused while the round's scoring is closed (`round_closed`).
pub fn import(
    store: &mut Store,
    actor: &Actor,
    year: i32,
    kind: ListKind,
    file: &str,
    bytes: &[u8],
) -> Result<Imported> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Admin)?;
    let grid = read_grid(bytes, file, "bad_list")?;
    let table = Table::read(&grid, kind.required(), "bad_list")?;
    let (entries, n) = entries(kind, &table)?;
    let text = serde_json::to_string(&entries)
        .map_err(|e| EngineError::Store(format!("list entries: {e}")))?;
    let subject = format!("round:{year}");
    store.change(actor, "lists.import", &subject, |tx| {
        // the lists are what the awards rest on, as the reviewers' inputs
        crate::review::closing::not_closed(tx, year)?;
        let hash = crate::store::put_blob(tx, bytes)?;
        tx.execute(
            "INSERT INTO round_lists(round_year, kind, file_name, content_hash, entries, imported_by, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![year, kind.as_str(), file, hash, text, actor.0, now()],
        )?;
        let detail = serde_json::json!({
            "kind": kind.as_str(), "file": file, "hash": hash, "entries": n,
        });
        Ok((
            Imported {
                kind: kind.as_str(),
                entries: n,
                hash,
            },
            detail,
        ))
    })
}

/// The latest list of `kind` of the round, if any: (file, hash, entries JSON).
fn latest(
    conn: &Connection,
    year: i32,
    kind: ListKind,
) -> Result<Option<(String, String, String)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT file_name, content_hash, entries FROM round_lists
             WHERE round_year = ?1 AND kind = ?2 ORDER BY id DESC LIMIT 1",
            rusqlite::params![year, kind.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

fn one<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    year: i32,
    kind: ListKind,
) -> Result<Option<ManagedList<T>>> {
    let Some((file, hash, text)) = latest(conn, year, kind)? else {
        return Ok(None);
    };
    let entries = serde_json::from_str(&text).map_err(|e| {
        EngineError::Store(format!(
            "round {year} list {} unreadable: {e}",
            kind.as_str()
        ))
    })?;
    Ok(Some(ManagedList {
        file,
        hash,
        entries,
    }))
}

/// The round's managed lists as the evaluation reads them.
pub fn load(conn: &Connection, year: i32) -> Result<RoundLists> {
    Ok(RoundLists {
        blacklist: one(conn, year, ListKind::Blacklist)?,
        platforms: one(conn, year, ListKind::Platforms)?,
        aiplus: one(conn, year, ListKind::Aiplus)?,
        other_policy: one(conn, year, ListKind::OtherPolicy)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    /// A one-sheet workbook of text cells.
    fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
        wb.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn an_import_is_kept_with_its_hash_audited_and_the_latest_counts() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut store = Store::open(&dir.path().join("s.db")).expect("open");
        let actor = Actor::new("管理员");
        let first = xlsx(&[&["项目名称", "申报单位"], &["智慧医疗", "甲公司"]]);
        let second = xlsx(&[
            &["项目名称", "申报单位"],
            &["智慧医疗", "甲公司"],
            &["智慧物流", "乙公司"],
        ]);
        let a =
            import(&mut store, &actor, 2026, ListKind::Aiplus, "a.xlsx", &first).expect("first");
        assert_eq!((a.kind, a.entries), ("aiplus", 1));
        let b = import(
            &mut store,
            &actor,
            2026,
            ListKind::Aiplus,
            "b.xlsx",
            &second,
        )
        .expect("second");
        use sha2::Digest;
        assert_eq!(b.hash, hex::encode(sha2::Sha256::digest(&second)));
        let lists = load(store.conn(), 2026).expect("load");
        let lib = lists.aiplus.as_ref().expect("library");
        assert_eq!((lib.file.as_str(), lib.entries.len()), ("b.xlsx", 2));
        assert_eq!(lists.hashes(), vec![("aiplus", b.hash.clone())]);
        assert!(
            lists.blacklist.is_none() && load(store.conn(), 2025).expect("2025").aiplus.is_none()
        );
        let audited = count(
            &store,
            "SELECT COUNT(*) FROM audit WHERE action = 'lists.import'",
        );
        assert_eq!(audited, 2);
    }

    #[test]
    fn a_bad_amount_names_its_cell_and_stores_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut store = Store::open(&dir.path().join("s.db")).expect("open");
        let bad = xlsx(&[
            &[
                "统一社会信用代码",
                "项目名称",
                "政策名称",
                "支持金额（万元）",
                "年度",
            ],
            &[
                "91500103MA5U7K2P39",
                "渝中智算中心一期",
                "软信十条",
                "五十",
                "2025",
            ],
        ]);
        let e = import(
            &mut store,
            &Actor::new("管理员"),
            2026,
            ListKind::OtherPolicy,
            "l.xlsx",
            &bad,
        )
        .expect_err("refused");
        assert_eq!(e.code(), "bad_list");
        let m = e.to_string();
        assert!(m.contains("第 2 行 D2") && m.contains("五十"), "{m}");
        let n = count(&store, "SELECT COUNT(*) FROM round_lists");
        assert_eq!(n, 0);
    }
}
