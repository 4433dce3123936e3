//! `reviewdesk calendar import` and `reviewdesk notice publish|object|
//! resolve|objections`: the working-day calendar, the 公示 of a round's
//! approved awards (a signed PDF numbered in the register, and .xlsx),
//! real-name objections and their resolution.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use reviewdesk_engine::operations::{calendar, notice};
use reviewdesk_engine::EngineError;

use crate::print_json;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Import a year's working-day calendar (an administrator): `years`,
    /// `holidays` (放假日 on weekdays), `workdays` (调休 weekend days).
    Import {
        #[arg(value_name = "FILE.toml")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum NoticeCommand {
    /// Publish the round's 公示 (the register office; signed with the seal,
    /// numbered in the register): its approved awards, for the guide's
    /// round.notice_working_days working days from DATE.
    Publish {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// The day the list is (or was) first published, YYYY-MM-DD.
        #[arg(long = "from", value_name = "DATE")]
        from: String,
        /// The seal certificate (电子印章): a .p12 or a pkcs11: URI
        /// (password $REVIEWDESK_SEAL_PASSWORD, else the identity's).
        #[arg(long, value_name = "SEAL.p12|pkcs11:…")]
        seal: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
        /// Also the list as .xlsx for the website.
        #[arg(long, value_name = "FILE.xlsx")]
        xlsx: Option<PathBuf>,
    },
    /// Record a real-name objection (异议) to an applicant's award (a reviewer).
    Object {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "NAME")]
        project: Option<String>,
        /// Who objects (a unit or a person, by real name).
        #[arg(long, value_name = "NAME")]
        by: String,
        /// The day it was received, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        received: String,
        #[arg(long, value_name = "TEXT")]
        text: String,
        /// Evidence the objector attached (kept in the store, its hash listed).
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
    },
    /// Resolve an objection (an approver): upheld or dismissed, with the reason.
    Resolve {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "upheld|dismissed")]
        outcome: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// The round's objections, for the file.
    Objections {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
}

pub(crate) fn date(s: &str, what: &str) -> Result<chrono::NaiveDate, EngineError> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        EngineError::Invalid(format!(
            "{what}“{s}”应为 YYYY-MM-DD / {what} must be YYYY-MM-DD"
        ))
    })
}

/// `calendar import FILE.toml`.
pub fn calendar(
    db: &Path,
    identity_flag: Option<&str>,
    command: &CalendarCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let CalendarCommand::Import { file } = command;
    let actor = crate::identity::actor(identity_flag, "calendar import ")?;
    let text = std::fs::read_to_string(file).map_err(|e| EngineError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut store = crate::unlock::open_store(db)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let years = calendar::import(&mut store, &actor, &text, &name)?;
    if json {
        print_json(&serde_json::json!({ "years": years }))?;
    }
    eprintln!("已导入工作日历 / calendar imported: {years:?}");
    Ok(ExitCode::SUCCESS)
}

/// `notice publish|object|resolve|objections`.
pub fn run(
    db: &Path,
    identity_flag: Option<&str>,
    command: &NoticeCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let today = chrono::Local::now().date_naive();
    match command {
        NoticeCommand::Publish {
            round,
            from,
            seal,
            output,
            xlsx,
        } => publish(
            db,
            identity_flag,
            *round,
            from,
            seal,
            output,
            xlsx.as_deref(),
            json,
        ),
        NoticeCommand::Object {
            round,
            credit_code,
            project,
            by,
            received,
            text,
            evidence,
        } => {
            let actor = crate::identity::actor(identity_flag, "notice object ")?;
            let received = date(received, "收到日期 / --received")?;
            let file = evidence
                .as_deref()
                .map(super::operations::read)
                .transpose()?;
            let mut store = crate::unlock::open_existing(db)?;
            let input = notice::ObjectionInput {
                round: *round,
                credit_code,
                project: project.as_deref(),
                by,
                received,
                text,
                evidence: file.as_ref().map(|(b, n)| (n.as_str(), b.as_slice())),
            };
            let id = notice::object(&mut store, &actor, &input, today)?;
            if json {
                print_json(&serde_json::json!({ "id": id }))?;
            }
            eprintln!("已登记异议 / objection recorded: {id}");
            Ok(ExitCode::SUCCESS)
        }
        NoticeCommand::Resolve {
            id,
            outcome,
            reason,
        } => {
            let outcome = notice::Outcome::parse(outcome)?;
            let actor = crate::identity::actor(identity_flag, "notice resolve ")?;
            let mut store = crate::unlock::open_existing(db)?;
            let r = notice::resolve(&mut store, &actor, *id, outcome, reason)?;
            if json {
                print_json(&r)?;
            }
            eprintln!("{} / {}", r.message_zh, r.message_en);
            Ok(ExitCode::SUCCESS)
        }
        NoticeCommand::Objections { round } => {
            let store = crate::unlock::open_existing(db)?;
            let all = notice::objections(store.conn(), *round)?;
            if json {
                print_json(&serde_json::json!({ "objections": all }))?;
            } else {
                for o in &all {
                    println!(
                        "{}  {}  {}  {}  {}  {}",
                        o.id,
                        o.credit_code,
                        o.by,
                        o.received,
                        o.outcome.as_deref().unwrap_or("未办结 open"),
                        o.text
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `notice publish`: the signed PDF (and the .xlsx) written whole.
#[allow(clippy::too_many_arguments)]
fn publish(
    db: &Path,
    identity_flag: Option<&str>,
    round: i32,
    from: &str,
    seal: &str,
    output: &Path,
    xlsx: Option<&Path>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let from = date(from, "公示日期 / --from")?;
    let n = super::clawback::sealed(db, identity_flag, seal, "notice publish ", |s, w, by| {
        notice::publish(s, w, by, round, from)
    })?;
    reviewdesk_engine::store::write_atomic(output, &n.pdf)?;
    if let Some(x) = xlsx {
        reviewdesk_engine::store::write_atomic(x, &n.xlsx)?;
    }
    if json {
        print_json(&n)?;
    }
    eprintln!(
        "已公示 / published {}：{} 至 {}（{} 个工作日），{} 项 → {}",
        n.number,
        n.from,
        n.until,
        n.working_days,
        n.entries.len(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
