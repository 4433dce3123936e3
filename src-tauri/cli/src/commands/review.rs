//! The review: score a round, explain an evaluation, the two-person
//! decisions, and the reviewers' inputs (panel points, conflicts, certified
//! values, overrules).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reviewdesk_engine::review::round;
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::EngineError;

use super::rules as rules_cmd;
use crate::args::{DecideCommand, RoundCommand};
use crate::{print_json, unlock};
use reviewdesk_engine::review::decisions::ChangeKind;
use reviewdesk_engine::review::workflow;

/// `reviewdesk score --round Y`: every applicant evaluated and stored.
pub(crate) fn score(
    db: PathBuf,
    actor: Actor,
    year: &i32,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let mut store = unlock::open_store(&db)?;
    // the evaluations are stored and dropped one chunk at a time, and with
    // --json read back from the store and printed one at a time: memory
    // does not grow with the round either way
    let r = if json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        round::score_round_json(&mut store, *year, &actor, &mut out)?
    } else {
        round::score_round_totals(&mut store, *year, &actor)?
    };
    eprintln!(
        "{} 年度：{} 个申报单位，{} 个项目（符合条件 {}，待专家评分 {}，已冻结 {}），拟扶持合计 {} / round scored",
        r.round,
        r.applicants,
        r.projects,
        r.eligible,
        r.pending_panel,
        r.frozen,
        r.total_yuan
            .map(|t| format!("{} 元", reviewdesk_engine::money::format_yuan_grouped(t)))
            .unwrap_or_else(|| "待评分".into())
    );
    if !r.budget.over_budget {
        eprintln!("  {}", r.budget.message);
    }
    for f in &r.flags {
        eprintln!("  ! {}", f.message);
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk explain CODE`: eligibility, scores and awards line by line.
/// With `--identity`, as that person may see it: under independent scoring
/// (`panel.independent`) without the others' points until they gave their own.
pub(crate) fn explain(
    db: PathBuf,
    credit_code: &str,
    identity_flag: Option<&str>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let viewer = match crate::identity::spec(identity_flag) {
        Some(_) => Some(crate::identity::actor(identity_flag, "explain ")?),
        None => None,
    };
    let store = unlock::open_store(&db)?;
    let ev = match &viewer {
        Some(v) => reviewdesk_engine::review::assignments::explain_for(&store, credit_code, &v.0)?,
        None => round::explain(&store, credit_code)?,
    };
    if json {
        print_json(&ev)?;
    } else {
        print_evaluation(&ev);
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk decide propose|approve|return CODE`.
pub(crate) fn decide(
    db: PathBuf,
    person: reviewdesk_engine::people::Identity,
    command: &DecideCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let actor = person.actor();
    let mut store = unlock::open_existing(&db)?;
    let d = match command {
        DecideCommand::Propose { credit_code } => round::propose(&mut store, &actor, credit_code)?,
        DecideCommand::Approve { credit_code } => {
            workflow::approve_as(&mut store, &actor, &person, credit_code)?
        }
        DecideCommand::Return {
            credit_code,
            comment,
        } => round::return_decision(&mut store, &actor, credit_code, comment)?,
        DecideCommand::Amend {
            credit_code,
            reason,
        } => workflow::propose_change(
            &mut store,
            &actor,
            credit_code,
            ChangeKind::Amendment,
            reason,
        )?,
        DecideCommand::Revoke {
            credit_code,
            reason,
        } => workflow::propose_change(
            &mut store,
            &actor,
            credit_code,
            ChangeKind::Revocation,
            reason,
        )?,
    };
    if json {
        print_json(&d)?;
    }
    let change = match &d.change {
        Some(c) if c.kind == ChangeKind::Amendment => "变更",
        Some(_) => "撤销",
        None => "",
    };
    eprintln!(
        "{} 的{change}决定：{}（提出 {}{}）",
        d.credit_code,
        d.state,
        d.proposed_by,
        d.approved_by
            .as_ref()
            .map(|a| format!("，审批 {a}"))
            .unwrap_or_default()
    );
    rules_cmd::warn_over_budget(&store, d.round);
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk round close|reopen --round Y`.
pub(crate) fn round(
    db: PathBuf,
    actor: Actor,
    command: &RoundCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    use reviewdesk_engine::review::closing::{self, Standing};
    let mut store = unlock::open_existing(&db)?;
    let c = match command {
        RoundCommand::Close { round } => closing::close(&mut store, &actor, *round)?,
        RoundCommand::Reopen { round, reason } => {
            closing::reopen(&mut store, &actor, *round, reason)?
        }
    };
    if json {
        print_json(&c)?;
    }
    match c.state {
        Standing::Closing => eprintln!(
            "{} 年度：{} 提出结束评审，待另一位审批人确认 / closing asked; another person, an approver, confirms",
            c.round,
            c.requested_by.as_deref().unwrap_or("")
        ),
        Standing::Closed => eprintln!(
            "{} 年度评审已结束（{} 提出，{} 确认）/ scoring closed",
            c.round,
            c.requested_by.as_deref().unwrap_or(""),
            c.closed_by.as_deref().unwrap_or("")
        ),
        Standing::Open => eprintln!("{} 年度评审已重新开启 / scoring reopened", c.round),
    }
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk panel CODE --clause --project --factor --points`.
pub(crate) fn panel(
    db: PathBuf,
    actor: Actor,
    credit_code: &str,
    clause: &str,
    project: &str,
    factor: &str,
    points: &str,
) -> Result<ExitCode, EngineError> {
    let points = decimal_arg(points, "分值 points")?;
    let mut store = unlock::open_store(&db)?;
    round::record_panel_score(
        &mut store,
        &actor,
        credit_code,
        clause,
        project,
        factor,
        points,
    )?;
    eprintln!("已记录 {} 的评分 / score recorded", actor.0);
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk conflict CODE --reason`.
pub(crate) fn conflict(
    db: PathBuf,
    actor: Actor,
    credit_code: &str,
    reason: &str,
) -> Result<ExitCode, EngineError> {
    let mut store = unlock::open_store(&db)?;
    round::declare_conflict(&mut store, &actor, credit_code, reason)?;
    eprintln!("已声明利益冲突 / conflict declared");
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk certify CODE --field --value --reason [--evidence FILE]`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn certify(
    db: PathBuf,
    actor: Actor,
    credit_code: &str,
    clause: Option<&str>,
    project: Option<&str>,
    field: &str,
    value: &str,
    reason: &str,
    evidence: Option<&Path>,
) -> Result<ExitCode, EngineError> {
    let value = decimal_arg(value, "核定值 value")?;
    let ev_bytes = match evidence {
        Some(p) => Some((
            p.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::fs::read(p).map_err(|e| EngineError::Io {
                path: p.display().to_string(),
                reason: e.to_string(),
            })?,
        )),
        None => None,
    };
    let mut store = unlock::open_store(&db)?;
    round::certify(
        &mut store,
        &actor,
        credit_code,
        clause,
        project,
        field,
        value,
        reason,
        ev_bytes.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
    )?;
    eprintln!("已记录核定值 / certified value recorded");
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk overrule CODE --clause --project --rule --reason`.
pub(crate) fn overrule(
    db: PathBuf,
    actor: Actor,
    credit_code: &str,
    clause: &str,
    project: &str,
    rule: &str,
    reason: &str,
) -> Result<ExitCode, EngineError> {
    let mut store = unlock::open_store(&db)?;
    round::overrule(
        &mut store,
        &actor,
        credit_code,
        clause,
        project,
        rule,
        reason,
    )?;
    eprintln!("已记录推翻理由 / overrule recorded");
    Ok(ExitCode::SUCCESS)
}

fn decimal_arg(s: &str, what: &str) -> Result<rust_decimal::Decimal, EngineError> {
    s.trim().parse().map_err(|_| {
        EngineError::Invalid(format!(
            "{what} 应为数字，而不是「{s}」/ {what} must be a number, not '{s}'"
        ))
    })
}

fn print_evaluation(ev: &reviewdesk_engine::rules::evaluate::Evaluation) {
    println!(
        "{} · {} 年度 · 指南 {}",
        ev.credit_code.as_deref().unwrap_or(""),
        ev.round,
        &ev.guide[..12.min(ev.guide.len())]
    );
    for p in &ev.projects {
        println!(
            "  [{}] {}  {}  扶持 {}{}",
            p.clause.as_str(),
            p.name,
            if p.eligible {
                "符合条件"
            } else {
                "不符合条件"
            },
            p.award_yuan
                .map(|a| format!("{} 元", reviewdesk_engine::money::format_yuan_grouped(a)))
                .unwrap_or_else(|| "待评分".into()),
            p.superseded_by
                .map(|c| format!("（就高不重复：按 {} 扶持）", c.as_str()))
                .unwrap_or_default()
        );
        for r in p.eligibility.iter().filter(|r| !r.pass) {
            println!("      ✗ {}：{}", r.rule, r.reason);
        }
        for l in &p.lines {
            println!("      {}  {}", l.label, l.value);
        }
    }
    for f in &ev.flags {
        println!("  ! {}", f.message);
    }
}
