//! The reviewer's desk: `assign` / `assignments` (the lead's assignments and
//! each person's progress), `compare` (the reviewers' points side by side,
//! the spread against the guide's threshold), `note add` and `label set`
//! (internal notes and labels per application).

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use reviewdesk_engine::review::{assignments, notes};
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::EngineError;

use crate::{print_json, unlock};

#[derive(Subcommand)]
pub enum NoteCommand {
    /// Add an internal note to an application (audited, kept as written,
    /// never in letters).
    Add {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "TEXT")]
        text: String,
    },
}

#[derive(Subcommand)]
pub enum LabelCommand {
    /// Put a label on an application (or take it off with --remove).
    Set {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "LABEL")]
        label: String,
        #[arg(long)]
        remove: bool,
    },
}

fn done_text(a: &assignments::Assignment) -> String {
    if a.needed == 0 {
        "无需专家评分 / nothing to score".into()
    } else if a.done {
        format!("已评完 {}/{} / done", a.given, a.needed)
    } else {
        format!("已评 {}/{} / in progress", a.given, a.needed)
    }
}

fn print_assignments(a: &assignments::Assignments) {
    if a.people.is_empty() {
        println!(
            "{} 年度还没有分配评审任务 / nothing assigned in round {}",
            a.round, a.round
        );
        return;
    }
    for p in &a.people {
        println!(
            "{}  {} / {} 评完 / done  {}",
            p.holder,
            p.done,
            p.assigned,
            &p.fingerprint[..p.fingerprint.len().min(16)]
        );
        for x in a
            .assignments
            .iter()
            .filter(|x| x.fingerprint == p.fingerprint)
        {
            println!(
                "  {}  {}  {}  {}",
                x.credit_code,
                x.applicant.as_deref().unwrap_or("—"),
                x.clause.as_deref().unwrap_or("全部条款 / all clauses"),
                done_text(x)
            );
        }
    }
    if a.independent {
        println!("本轮独立评分：专家提交自己的评分前看不到他人的评分 / independent scoring");
    }
}

/// `reviewdesk assign --round Y CODE… --to FINGERPRINT|HOLDER [--clause C]`.
pub(crate) fn assign(
    db: &Path,
    actor: Actor,
    year: i32,
    codes: &[String],
    to: &str,
    clause: Option<&str>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let mut store = unlock::open_existing(db)?;
    let a = assignments::assign(&mut store, &actor, year, codes, to, clause)?;
    if json {
        print_json(&a)?;
    } else {
        print_assignments(&a);
    }
    eprintln!("已分配 {} 份申报 / assigned", codes.len());
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk assignments --round Y`.
pub(crate) fn list(db: &Path, year: i32, json: bool) -> Result<ExitCode, EngineError> {
    let store = unlock::open_existing(db)?;
    let a = assignments::assignments(store.conn(), year)?;
    if json {
        print_json(&a)?;
    } else {
        print_assignments(&a);
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk compare --round Y`: the widest spreads first.
pub(crate) fn compare(db: &Path, year: i32, json: bool) -> Result<ExitCode, EngineError> {
    let store = unlock::open_existing(db)?;
    let c = assignments::comparison(store.conn(), year)?;
    if json {
        print_json(&c)?;
        return Ok(ExitCode::SUCCESS);
    }
    if c.projects.is_empty() {
        println!("{year} 年度还没有专家评分 / no panel points yet");
    }
    for p in &c.projects {
        let mark = if p.over_threshold { "!" } else { " " };
        let who: Vec<String> = p
            .reviewers
            .iter()
            .map(|r| format!("{} {}", r.reviewer, r.total))
            .collect();
        println!(
            "{mark} {}  {}  {} 「{}」  极差 {}（阈值 {}）  {}",
            p.credit_code,
            p.applicant.as_deref().unwrap_or("—"),
            p.clause,
            p.project,
            p.spread,
            c.threshold,
            who.join("；")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk note add CODE --text T`.
pub(crate) fn note(
    db: &Path,
    actor: Actor,
    command: &NoteCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let NoteCommand::Add { credit_code, text } = command;
    let mut store = unlock::open_existing(db)?;
    let n = notes::add_note(&mut store, &actor, credit_code, text)?;
    if json {
        print_json(&n)?;
    }
    eprintln!("已添加备注（内部，不进入决定书）/ note added (internal, never in letters)");
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk label set CODE --label L [--remove]`.
pub(crate) fn label(
    db: &Path,
    actor: Actor,
    command: &LabelCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let LabelCommand::Set {
        credit_code,
        label,
        remove,
    } = command;
    let mut store = unlock::open_existing(db)?;
    let n = notes::set_label(&mut store, &actor, credit_code, label, *remove)?;
    if json {
        print_json(&n)?;
    } else {
        println!("{}", n.labels.join("、"));
    }
    Ok(ExitCode::SUCCESS)
}
