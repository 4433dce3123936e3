//! Applications: import workbooks, list and show them, write the blank
//! workbook, export the round.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use reviewdesk_engine::applications::import::{import_paths, FileStatus};
use reviewdesk_engine::applications::queries;
use reviewdesk_engine::intake::worker::{ParserPool, WorkerCommand};
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::{EngineError, SHIPPED_ROUNDS};

use crate::{print_json, unlock};

/// `reviewdesk import FILE|DIR…`: every file imported, each with its status
/// and issues on stderr; exit 1 when any needs correction or was rejected.
pub(crate) fn import(
    db: PathBuf,
    actor: Actor,
    inputs: &[PathBuf],
    receipt: &reviewdesk_engine::applications::receipt::Receipt,
    json: bool,
) -> Result<ExitCode, EngineError> {
    for p in inputs {
        if !p.exists() {
            return Err(EngineError::Io {
                path: p.display().to_string(),
                reason: "文件或文件夹不存在 / no such file or folder".into(),
            });
        }
    }
    let mut store = unlock::open_store(&db)?;
    let cmd = WorkerCommand::current_exe().map_err(|e| EngineError::Io {
        path: "current executable".into(),
        reason: e.to_string(),
    })?;
    let parser = ParserPool::new(cmd);
    let cancel = AtomicBool::new(false);
    let mut progress = |_done: usize, _total: usize, _p: &std::path::Path| {};
    let report = import_paths(
        &mut store,
        &parser,
        inputs,
        SHIPPED_ROUNDS,
        &actor,
        &mut progress,
        &cancel,
    )?;
    reviewdesk_engine::applications::receipt::record_imported(
        &mut store, &actor, &report, receipt,
    )?;
    if json {
        print_json(&serde_json::json!({ "files": report.files }))?;
    }
    for f in &report.files {
        let status = match f.status {
            FileStatus::Ok => "已导入 ok",
            FileStatus::NeedsCorrection => "待补正 needs_correction",
            FileStatus::Rejected => "已拒收 rejected",
            FileStatus::Duplicate => "重复 duplicate",
        };
        eprintln!(
            "{status:<24} {}  {}",
            f.path,
            f.applicant.as_deref().unwrap_or("")
        );
        for i in &f.issues {
            let at = match (&i.sheet, &i.cell) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.clone(),
                _ => String::new(),
            };
            eprintln!("    {:?} {at} {}", i.severity, i.message);
        }
    }
    eprintln!(
        "导入 {} 个文件：正常 {}，待补正 {}，拒收 {}，重复 {} / {} files: {} ok, {} need correction, {} rejected, {} duplicate",
        report.files.len(),
        report.count(FileStatus::Ok),
        report.count(FileStatus::NeedsCorrection),
        report.count(FileStatus::Rejected),
        report.count(FileStatus::Duplicate),
        report.files.len(),
        report.count(FileStatus::Ok),
        report.count(FileStatus::NeedsCorrection),
        report.count(FileStatus::Rejected),
        report.count(FileStatus::Duplicate),
    );
    Ok(if report.has_problems() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `reviewdesk list`: the latest version of each application.
pub(crate) fn list(db: PathBuf, json: bool) -> Result<ExitCode, EngineError> {
    let store = unlock::open_store(&db)?;
    let rows = queries::list_applications(&store)?;
    if json {
        print_json(&serde_json::json!({ "applications": rows }))?;
    } else {
        for r in &rows {
            println!(
                "{:<20} {:<18} v{} {:<6} {}",
                r.credit_code.as_deref().unwrap_or("（无有效代码）"),
                r.status,
                r.version,
                r.clauses.join(","),
                r.applicant.as_deref().unwrap_or("")
            );
        }
        eprintln!("{} 个申报 / applications", rows.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk show CODE`: one application's values with raw text and cells.
pub(crate) fn show(db: PathBuf, credit_code: &str, json: bool) -> Result<ExitCode, EngineError> {
    let store = unlock::open_existing(&db)?;
    let id = queries::latest_submission_id(&store, credit_code)?;
    let d = queries::show_application(&store, id)?;
    let receipt = reviewdesk_engine::applications::receipt::receipt_of(store.conn(), id)?;
    if json {
        // the receipt date (受理日期) joins the application's keys
        let mut v = serde_json::to_value(&d)
            .map_err(|e| EngineError::Invalid(format!("JSON output: {e}")))?;
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "received_on".into(),
                serde_json::json!(receipt.as_ref().map(|r| r.received_on.clone())),
            );
            o.insert(
                "received_reason".into(),
                serde_json::json!(receipt.as_ref().and_then(|r| r.reason.clone())),
            );
            // internal notes and labels (never in letters)
            if let Some(code) = d.credit_code.as_deref() {
                let n = reviewdesk_engine::review::notes::of_code(store.conn(), code)?;
                o.insert("notes".into(), serde_json::json!(n.notes));
                o.insert("labels".into(), serde_json::json!(n.labels));
            }
        }
        print_json(&v)?;
    } else {
        if let Some(r) = &receipt {
            println!("受理日期 / received: {}", r.received_on);
        }
        println!(
            "{} {} （{}，第 {} 版）",
            d.credit_code.as_deref().unwrap_or(""),
            d.applicant.as_deref().unwrap_or(""),
            d.status,
            d.version
        );
        for (k, v) in &d.fields {
            println!("  {k}: {}   [{}]", value_text(&v.value), v.cell);
        }
        for p in &d.projects {
            println!("  [{}] {}", p.clause, p.name);
            for (k, v) in &p.fields {
                println!("      {k}: {}   [{}]", value_text(&v.value), v.cell);
            }
        }
        for i in &d.issues {
            println!(
                "  ! {}!{} {}",
                i.sheet.as_deref().unwrap_or(""),
                i.cell.as_deref().unwrap_or(""),
                i.message
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk template --round Y -o FILE.xlsx`: the blank workbook.
pub(crate) fn template(year: &i32, output: &Path, json: bool) -> Result<ExitCode, EngineError> {
    if !SHIPPED_ROUNDS.contains(year) {
        eprintln!(
            "注意：本程序没有 {year} 年度的指南，导入时该年度的申报表将不被接受 / note: no guide ships for {year}; workbooks for it will not import"
        );
    }
    let bytes = reviewdesk_engine::intake::template::write_template(*year)?;
    std::fs::write(output, &bytes).map_err(|e| EngineError::Io {
        path: output.display().to_string(),
        reason: e.to_string(),
    })?;
    if json {
        print_json(&serde_json::json!({
            "round": year,
            "file": output.display().to_string(),
            "bytes": bytes.len(),
        }))?;
    }
    eprintln!(
        "已生成 {year} 年度申报表模板 / blank workbook written: {}",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk export --round Y -o FILE`: the round to .xlsx or .csv.
pub(crate) fn export(
    db: PathBuf,
    year: &i32,
    output: &Path,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let store = unlock::open_store(&db)?;
    let s = reviewdesk_engine::applications::export::export(&store, *year, output)?;
    if json {
        print_json(&s)?;
    }
    eprintln!(
        "已导出 {} 行到 {}（审计链头 {}）/ exported",
        s.rows,
        s.file,
        s.audit_head.short()
    );
    Ok(ExitCode::SUCCESS)
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
