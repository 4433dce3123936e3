//! Round operations: `lists import` (the managed lists the rules read) and
//! `ledger export` / `ledger import` (the payment ledger and finance's
//! payment columns taken back).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use reviewdesk_engine::operations::{ledger, lists};
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::EngineError;

use crate::print_json;

#[derive(Subcommand)]
pub(crate) enum ListsCommand {
    /// Import a round's list from .xlsx (one sheet, header row), replacing
    /// the previous one of its kind for later scoring; by an administrator.
    Import {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// platforms | aiplus | blacklist | other-policy
        #[arg(long)]
        kind: String,
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum LedgerCommand {
    /// Write the round's payment ledger (every approved award of an issued
    /// decision) for the finance office.
    Export {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(short = 'o', long = "output", value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// Take finance's filled-in payment columns (date, voucher, paid amount)
    /// back; a row whose letter, account or amount changed is refused.
    Import {
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
    },
}

/// The file's bytes and its name (as the audit and the explanations name it).
pub(crate) fn read(path: &Path) -> Result<(Vec<u8>, String), EngineError> {
    let bytes = std::fs::read(path).map_err(|e| EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok((bytes, name))
}

/// `reviewdesk lists import --round Y --kind K FILE.xlsx [--json]`.
pub fn lists(
    db: &Path,
    actor: &Actor,
    command: &ListsCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let ListsCommand::Import { round, kind, file } = command;
    let kind = lists::ListKind::parse(kind)?;
    let (bytes, name) = read(file)?;
    let mut store = crate::unlock::open_store(db)?;
    let done = lists::import(&mut store, actor, *round, kind, &name, &bytes)?;
    if json {
        print_json(&done)?;
    }
    eprintln!(
        "已导入 {} 名单 {} 条（{}，sha256 {}）；重新评分（score）后生效 / imported {} entries; they count from the next score",
        done.kind, done.entries, name, done.hash, done.entries
    );
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk ledger export|import …`.
pub fn ledger(
    db: &Path,
    actor: &Actor,
    command: &LedgerCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let mut store = crate::unlock::open_store(db)?;
    match command {
        LedgerCommand::Export { round, output } => {
            let done = ledger::export(&mut store, actor, *round, output)?;
            if json {
                print_json(&done)?;
            }
            eprintln!(
                "已导出资金拨付台账 {} 行到 {} / exported {} ledger rows",
                done.rows, done.file, done.rows
            );
        }
        LedgerCommand::Import { file } => {
            let (bytes, name) = read(file)?;
            let done = ledger::import(&mut store, actor, &name, &bytes)?;
            if json {
                print_json(&done)?;
            }
            eprintln!(
                "已录入拨付 {} 笔，拒收 {} 行 / {} payments taken, {} rows refused",
                done.paid,
                done.refused.len(),
                done.paid,
                done.refused.len()
            );
            for r in &done.refused {
                eprintln!("  第 {} 行 / row {}: {}", r.row, r.row, r.reason);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub(crate) enum EvaluationCommand {
    /// Record a supported project's performance evaluation (绩效评价) a
    /// year on (a reviewer): target met or not, the evidence, a note.
    Record {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "NAME")]
        project: String,
        /// yes | no
        #[arg(long, value_name = "yes|no")]
        met: String,
        #[arg(long, value_name = "FILE")]
        evidence: PathBuf,
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
    /// The round's performance evaluations.
    List {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
}

/// `reviewdesk evaluation record|list`.
pub fn evaluation(
    db: &Path,
    identity_flag: Option<&str>,
    command: &EvaluationCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    use reviewdesk_engine::operations::performance;
    match command {
        EvaluationCommand::Record {
            round,
            credit_code,
            project,
            met,
            evidence,
            note,
        } => {
            let met = performance::parse_met(met)?;
            let actor = crate::identity::actor(identity_flag, "evaluation record ")?;
            let (bytes, name) = read(evidence)?;
            let mut store = crate::unlock::open_existing(db)?;
            let input = performance::PerformanceInput {
                round: *round,
                credit_code,
                project,
                met,
                evidence: (&name, &bytes),
                note,
            };
            let r = performance::record(&mut store, &actor, &input)?;
            if json {
                print_json(&r)?;
            }
            eprintln!(
                "已记录绩效评价 {}：{} {}（{}） / performance evaluation recorded",
                r.id,
                r.credit_code,
                r.project,
                if r.met {
                    "达标 met"
                } else {
                    "未达标 not met"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        EvaluationCommand::List { round } => {
            let store = crate::unlock::open_existing(db)?;
            let all = performance::list(store.conn(), *round)?;
            if json {
                print_json(&serde_json::json!({ "evaluations": all }))?;
            } else {
                for r in &all {
                    println!(
                        "{}  {}  {}  {}  {}",
                        r.id,
                        r.credit_code,
                        r.project,
                        if r.met { "达标" } else { "未达标" },
                        r.note
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
