//! `reviewdesk`: the command line over the review engine, for scripting and
//! for the bureau's IT. JSON goes to stdout, messages to stderr. Exit codes:
//! 0 ok, 1 the input had problems (reported), 2 usage or environment.
//! The JSON keys are a contract: shared spec/cli.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::intake::import::{import_paths, FileStatus};
use reviewdesk_engine::intake::worker::{maybe_run_worker, ParserPool, WorkerCommand};
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::{paths, queries, EngineError, SHIPPED_ROUNDS};

#[derive(Parser)]
#[command(
    name = "reviewdesk",
    version,
    about = "评审工作台命令行 / ReviewDesk command line",
    long_about = "评审工作台命令行：导入申报表、查看申报、核验审计链。\nReviewDesk command line: import application workbooks, show applications, verify the audit trail.\n\nThe store defaults to $REVIEWDESK_DATA_DIR/reviewdesk.db or the user's data directory."
)]
struct Cli {
    /// The store (SQLite file). Default: the workstation's store in the user's data directory.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Acting reviewer's name (overrides $REVIEWDESK_REVIEWER).
    #[arg(long, global = true, value_name = "NAME")]
    reviewer: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import application workbooks (files or folders).
    Import {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
    },
    /// List applications (latest version of each).
    List,
    /// Show one application's values with their raw text and source cells.
    Show {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Audit trail commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain and name the first bad entry.
    Verify,
}

fn main() -> ExitCode {
    maybe_run_worker();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err((e, json)) => {
            if json {
                let body = ErrorBody::from(&e);
                println!(
                    "{}",
                    serde_json::json!({ "error": { "code": body.code, "message": body.message } })
                );
            }
            eprintln!("错误 / error: {e}");
            ExitCode::from(2)
        }
    }
}

fn actor(cli: &Cli) -> Actor {
    let name = cli
        .reviewer
        .clone()
        .or_else(|| std::env::var("REVIEWDESK_REVIEWER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| {
            let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            format!("cli:{user}")
        });
    Actor::new(name)
}

fn print_json(v: &impl serde::Serialize) -> Result<(), EngineError> {
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| EngineError::Invalid(format!("JSON output: {e}")))?;
    println!("{s}");
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, (EngineError, bool)> {
    let json = cli.json;
    inner(cli).map_err(|e| (e, json))
}

fn inner(cli: Cli) -> Result<ExitCode, EngineError> {
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    let actor = actor(&cli);
    match &cli.command {
        Command::Import { paths: inputs } => {
            for p in inputs {
                if !p.exists() {
                    return Err(EngineError::Io {
                        path: p.display().to_string(),
                        reason: "文件或文件夹不存在 / no such file or folder".into(),
                    });
                }
            }
            let mut store = Store::open(&db)?;
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
            if cli.json {
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
        Command::List => {
            let store = Store::open(&db)?;
            let rows = queries::list_applications(&store)?;
            if cli.json {
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
        Command::Show { credit_code } => {
            let store = Store::open(&db)?;
            let id = queries::latest_submission_id(&store, credit_code)?;
            let d = queries::show_application(&store, id)?;
            if cli.json {
                print_json(&d)?;
            } else {
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
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = Store::open(&db)?;
            let r = store.verify_audit()?;
            if cli.json {
                print_json(&r)?;
            }
            eprintln!("{}", r.message);
            Ok(if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
