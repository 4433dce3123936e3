//! Exports of a round's applications with their evaluations and decisions,
//! as .xlsx or .csv, for the bureau's ledgers.
//!
//! Formula injection is neutralised: text that a spreadsheet would run
//! (starting with `=`, `+`, `-`, `@`, tab or CR — an applicant can type
//! `=HYPERLINK(…)` as its name) is written as a string cell in .xlsx and with
//! a leading apostrophe in .csv. Amounts are never touched: numbers in .xlsx
//! (two decimals shown), plain `650000.00` in .csv. Every export names the
//! audit chain head it was made at.

use std::borrow::Cow;
use std::path::Path;

use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::applications::queries::list_applications;
use crate::error::{EngineError, Result};
use crate::money::format_yuan;
use crate::rules::evaluate::Evaluation;
use crate::store::audit::{self, ChainHead};
use crate::store::Store;

/// One application of the round, as exported.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub credit_code: Option<String>,
    pub applicant: Option<String>,
    pub status: String,
    pub version: i64,
    pub clauses: String,
    pub file_name: String,
    /// The stored evaluation's total (null while a panel score is missing
    /// or before scoring).
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub evaluated_yuan: Option<Decimal>,
    pub decision: Option<String>,
    /// The decision's (frozen, once approved) total.
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub decided_yuan: Option<Decimal>,
    pub approved_by: Option<String>,
    /// The newest valid register number of a letter to this applicant.
    pub letter_number: Option<String>,
}

/// Column headers, in order.
pub const HEADERS: [&str; 11] = [
    "统一社会信用代码",
    "单位名称",
    "申报状态",
    "版本",
    "申报条款",
    "申报文件",
    "拟扶持金额（元）",
    "决定状态",
    "决定金额（元）",
    "审批人",
    "发文字号",
];

/// The rows of a round: the latest version of every applicant's workbook.
pub fn rows(store: &Store, year: i32) -> Result<Vec<ExportRow>> {
    let conn = store.conn();
    let mut out = Vec::new();
    let mut apps = list_applications(store)?;
    apps.retain(|a| a.round == Some(year));
    apps.sort_by(|a, b| {
        a.credit_code
            .cmp(&b.credit_code)
            .then(a.submission_id.cmp(&b.submission_id))
    });
    for a in apps {
        let mut row = ExportRow {
            credit_code: a.credit_code.clone(),
            applicant: a.applicant.clone(),
            status: a.status.clone(),
            version: a.version,
            clauses: a.clauses.join("、"),
            file_name: a.file_name.clone(),
            evaluated_yuan: None,
            decision: None,
            decided_yuan: None,
            approved_by: None,
            letter_number: None,
        };
        if let Some(code) = &a.credit_code {
            let evaluation: Option<String> = conn
                .query_row(
                    "SELECT e.result FROM evaluations e JOIN applicants p ON p.id = e.applicant_id
                     WHERE p.credit_code = ?1 AND e.round_year = ?2",
                    params![code, year],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(json) = evaluation {
                let ev: Evaluation = serde_json::from_str(&json)
                    .map_err(|e| EngineError::Store(format!("stored evaluation of {code}: {e}")))?;
                row.evaluated_yuan = ev.total_yuan;
            }
            if let Some(d) = crate::review::decisions::decision(store, code)? {
                row.decided_yuan = d.figures.total_yuan;
                row.decision = Some(d.state.as_str().to_string());
                row.approved_by = d.approved_by;
            }
            row.letter_number = conn
                .query_row(
                    "SELECT number FROM register WHERE credit_code = ?1 AND year = ?2
                     AND voided_at IS NULL ORDER BY seq DESC LIMIT 1",
                    params![code, year],
                    |r| r.get(0),
                )
                .optional()?;
        }
        out.push(row);
    }
    Ok(out)
}

/// Text a spreadsheet could take for a formula (or a DDE command).
pub fn is_formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// CSV: a leading apostrophe makes formula-like text inert (OWASP).
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn csv_field(text: &str) -> String {
    let t = neutralise(text);
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.into_owned()
    }
}

/// The cells of a row: text (neutralised when written) or an amount.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Yuan(Option<Decimal>),
}

fn text(s: &Option<String>) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(s.as_deref().unwrap_or("")))
}

fn cells(r: &ExportRow) -> Vec<Cell<'_>> {
    let t = text;
    vec![
        t(&r.credit_code),
        t(&r.applicant),
        Cell::Text(Cow::Borrowed(&r.status)),
        Cell::Int(r.version),
        Cell::Text(Cow::Borrowed(&r.clauses)),
        Cell::Text(Cow::Borrowed(&r.file_name)),
        Cell::Yuan(r.evaluated_yuan),
        t(&r.decision),
        Cell::Yuan(r.decided_yuan),
        t(&r.approved_by),
        t(&r.letter_number),
    ]
}

fn head_text(head: &ChainHead) -> String {
    format!("审计链头 / audit head {} ({})", head.short(), head.hash)
}

/// UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF lines,
/// RFC 4180 quoting; the last line names the audit chain head.
pub fn to_csv(rows: &[ExportRow], head: &ChainHead) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    let line = |fields: Vec<String>| fields.join(",") + "\r\n";
    out.push_str(&line(HEADERS.iter().map(|h| csv_field(h)).collect()));
    for r in rows {
        out.push_str(&line(
            cells(r)
                .into_iter()
                .map(|c| match c {
                    Cell::Text(t) => csv_field(&t),
                    Cell::Int(i) => i.to_string(),
                    Cell::Yuan(a) => a.map(format_yuan).unwrap_or_default(),
                })
                .collect(),
        ));
    }
    out.push_str(&line(vec![csv_field(&head_text(head))]));
    out.into_bytes()
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> EngineError {
    EngineError::Invalid(format!("xlsx: {e}"))
}

/// Sheet 申报汇总 (text as string cells, amounts as numbers) and sheet 说明
/// (round, time, audit chain head).
pub fn to_xlsx(rows: &[ExportRow], year: i32, head: &ChainHead) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet();
    ws.set_name("申报汇总").map_err(xlsx_err)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
        ws.set_column_width(c as u16, if c == 1 || c == 5 { 36 } else { 20 })
            .map_err(xlsx_err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        for (c, cell) in cells(r).into_iter().enumerate() {
            let col = c as u16;
            match cell {
                // A string cell is never evaluated, whatever it starts with.
                Cell::Text(t) => ws.write_string(row, col, t.as_ref()).map(|_| ()),
                Cell::Int(n) => ws.write_number(row, col, n as f64).map(|_| ()),
                Cell::Yuan(Some(a)) => {
                    // The shortest decimal text of the nearest double is the
                    // amount's own text (amounts have ≤ 15 significant digits).
                    let v: f64 = format_yuan(a)
                        .parse()
                        .map_err(|_| EngineError::Invalid(format!("amount {a} is not a number")))?;
                    ws.write_number_with_format(row, col, v, &money).map(|_| ())
                }
                Cell::Yuan(None) => Ok(()),
            }
            .map_err(xlsx_err)?;
        }
    }
    let about = wb.add_worksheet();
    about.set_name("说明").map_err(xlsx_err)?;
    about.set_column_width(0, 16).map_err(xlsx_err)?;
    about.set_column_width(1, 90).map_err(xlsx_err)?;
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let lines = [
        ("年度 / round", year.to_string()),
        ("导出时间 / exported", now),
        ("审计链头 / audit head", head_text(head)),
        ("数据库 / store id", head.store_id.clone()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        about
            .write_string_with_format(i as u32, 0, *k, &bold)
            .map_err(xlsx_err)?;
        about.write_string(i as u32, 1, v).map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub file: String,
    pub format: &'static str,
    pub round: i32,
    pub rows: usize,
    pub audit_head: ChainHead,
}

/// Export the round to `path`; the format follows the extension (.xlsx or
/// .csv). Written to a temporary file and renamed, so a failed export never
/// leaves half a file under the final name.
pub fn export(store: &Store, year: i32, path: &Path) -> Result<ExportSummary> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let head = audit::head(store.conn())?;
    let rows = rows(store, year)?;
    let (bytes, format) = match ext.as_deref() {
        Some("xlsx") => (to_xlsx(&rows, year, &head)?, "xlsx"),
        Some("csv") => (to_csv(&rows, &head), "csv"),
        _ => {
            return Err(EngineError::Invalid(format!(
                "导出文件须以 .xlsx 或 .csv 结尾：{} / the export file must end in .xlsx or .csv",
                path.display()
            )))
        }
    };
    let io = |e: std::io::Error| EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let tmp = path.with_extension(format!("{format}.partial"));
    std::fs::write(&tmp, &bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(ExportSummary {
        file: path.display().to_string(),
        format,
        round: year,
        rows: rows.len(),
        audit_head: head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_other_text_kept() {
        for bad in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://x\",\"y\")",
        ] {
            assert!(is_formula_like(bad), "{bad:?}");
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in [
            "重庆渝算智能科技有限公司",
            "91500103MA5U7K2P39",
            "650000.00",
            "",
        ] {
            assert_eq!(neutralise(ok), ok);
        }
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_field("=A1,B1"), "\"'=A1,B1\"");
    }
}
