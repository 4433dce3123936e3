//! Review: the engine's evaluation of an application (eligibility, scores,
//! awards and their explanation lines), panel scores and two-person
//! decisions. The UI renders what these return; it never recomputes them.

use reviewdesk_engine::applications::queries::{self, DecisionRow};
use reviewdesk_engine::review::assignments::{self, Assignments, Comparison};
use reviewdesk_engine::review::notes::{self, NotesAndLabels};
use reviewdesk_engine::review::round::{self, Decision, RoundScore};
use reviewdesk_engine::review::workflow;
use reviewdesk_engine::rules::evaluate::Evaluation;
use serde::Serialize;
use tauri::{AppHandle, Manager};

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

fn check_len(what: &str, s: &str, max: usize) -> Result<(), IpcError> {
    if s.chars().count() > max {
        return Err(IpcError::new(
            "invalid",
            format!("{what}过长（最多 {max} 字）/ {what} is too long (max {max})"),
        ));
    }
    Ok(())
}

/// The evaluation and decision of one application.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Review {
    evaluation: Option<Evaluation>,
    decision: Option<Decision>,
    /// Why there is no evaluation (e.g. no valid credit code yet).
    unavailable: Option<String>,
    /// The round guide's `panel.min_scores`: panel scores a project needs
    /// before a decision can be proposed (shown before proposing).
    min_scores: Option<u32>,
}

#[tauri::command]
pub async fn explain_application(app: AppHandle, submission_id: i64) -> Result<Review, IpcError> {
    blocking(move || {
        app.state::<AppState>().with_store(|s| {
            let d = queries::show_application(s, submission_id)?;
            let Some(code) = d.credit_code else {
                return Ok(Review {
                    evaluation: None,
                    decision: None,
                    unavailable: Some(
                        "申报表没有有效的统一社会信用代码，补正后才能评审 / no valid credit code: review after correction".into(),
                    ),
                    min_scores: None,
                });
            };
            // under independent scoring, without the others' points until the
            // person signed in gave their own (panel.independent)
            let viewer = app.state::<AppState>().person_if_any().map(|p| p.holder().to_string());
            let explained = match &viewer {
                Some(v) => assignments::explain_for(s, &code, v),
                None => round::explain(s, &code),
            };
            let ev = match explained {
                Ok(ev) => Some(ev),
                Err(reviewdesk_engine::EngineError::Invalid(m)) => {
                    return Ok(Review {
                        evaluation: None,
                        decision: None,
                        unavailable: Some(m),
                        min_scores: None,
                    })
                }
                Err(e) => return Err(e),
            };
            let min_scores = match &ev {
                Some(e) => reviewdesk_engine::review::rounds::round_guide(s.conn(), e.round)?
                    .and_then(|(_, g)| g.panel.min_scores),
                None => None,
            };
            Ok(Review {
                evaluation: ev,
                decision: round::decision(s, &code)?,
                unavailable: None,
                min_scores,
            })
        })
    })
    .await
}

#[tauri::command]
pub async fn score_round(app: AppHandle, year: i32) -> Result<RoundScore, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    blocking(move || {
        app.state::<AppState>()
            // the window reads only that the round was scored (it reloads
            // what it shows): the totals, not every evaluation held at once
            .with_store(|s| round::score_round_totals(s, year, &actor))
    })
    .await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn record_panel_score(
    app: AppHandle,
    credit_code: String,
    clause: String,
    project: String,
    factor: String,
    points: String,
) -> Result<(), IpcError> {
    let actor = app.state::<AppState>().actor()?;
    check_len("项目名称", &project, 200)?;
    check_len("评分项", &factor, 64)?;
    let points: rust_decimal::Decimal = points.trim().parse().map_err(|_| {
        IpcError::new(
            "invalid",
            format!("分值应为数字：{points} / points must be a number"),
        )
    })?;
    blocking(move || {
        app.state::<AppState>().with_store(|s| {
            round::record_panel_score(s, &actor, &credit_code, &clause, &project, &factor, points)
        })
    })
    .await
}

#[tauri::command]
pub async fn propose_decision(app: AppHandle, credit_code: String) -> Result<Decision, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| round::propose(s, &actor, &credit_code))
    })
    .await
}

/// Approve as the person signed in: the engine refuses the proposer's own
/// certificate (`same_person`) and a person without the approver role
/// (`not_allowed`); the approval is signed with their key.
#[tauri::command]
pub async fn approve_decision(app: AppHandle, credit_code: String) -> Result<Decision, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let person = state.person()?;
        state
            .with_store(|s| workflow::approve_as(s, &person.actor(), person.as_ref(), &credit_code))
    })
    .await
}

/// The approvers' queue: every applicant's latest decision.
#[tauri::command]
pub async fn list_decisions(app: AppHandle) -> Result<Vec<DecisionRow>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| queries::list_decisions(s))
    })
    .await
}

#[tauri::command]
pub async fn return_decision(
    app: AppHandle,
    credit_code: String,
    comment: String,
) -> Result<Decision, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    check_len("退回意见", &comment, 2000)?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| round::return_decision(s, &actor, &credit_code, &comment))
    })
    .await
}

/// Propose amending (`kind` "amendment") or revoking ("revocation") the
/// applicant's issued decision, as the person signed in, with a reason: a
/// new decision another person approves; its letter cites the old.
#[tauri::command]
pub async fn propose_change(
    app: AppHandle,
    credit_code: String,
    kind: String,
    reason: String,
) -> Result<Decision, IpcError> {
    use reviewdesk_engine::review::decisions::ChangeKind;
    let actor = app.state::<AppState>().actor()?;
    check_len("理由", &reason, 2000)?;
    let kind = match kind.as_str() {
        "amendment" => ChangeKind::Amendment,
        "revocation" => ChangeKind::Revocation,
        other => {
            return Err(IpcError::from(reviewdesk_engine::EngineError::Invalid(
                format!("未知的变更类型「{other}」/ unknown change kind '{other}'"),
            )))
        }
    };
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| workflow::propose_change(s, &actor, &credit_code, kind, &reason))
    })
    .await
}

/// The round's assignments with each person's progress (the queue's "8 / 12 评完").
#[tauri::command]
pub async fn round_assignments(app: AppHandle, year: i32) -> Result<Assignments, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| assignments::assignments(s.conn(), year))
    })
    .await
}

/// The lead (an administrator or an approver, signed in) assigns
/// applications, or one clause of them, to a reviewer on the roster.
#[tauri::command]
pub async fn assign_applications(
    app: AppHandle,
    year: i32,
    credit_codes: Vec<String>,
    to: String,
    clause: Option<String>,
) -> Result<Assignments, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    check_len("分配对象", &to, 200)?;
    blocking(move || {
        app.state::<AppState>().with_store(|s| {
            assignments::assign(s, &actor, year, &credit_codes, &to, clause.as_deref())
        })
    })
    .await
}

/// The reviewers' panel points side by side per project, the widest spread first.
#[tauri::command]
pub async fn panel_comparison(app: AppHandle, year: i32) -> Result<Comparison, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| assignments::comparison(s.conn(), year))
    })
    .await
}

/// An application's internal notes and labels.
#[tauri::command]
pub async fn application_notes(
    app: AppHandle,
    credit_code: String,
) -> Result<NotesAndLabels, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| notes::of_code(s.conn(), &credit_code))
    })
    .await
}

/// An internal note, signed by the person signed in (kept as written).
#[tauri::command]
pub async fn add_note(
    app: AppHandle,
    credit_code: String,
    text: String,
) -> Result<NotesAndLabels, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    check_len("备注", &text, 4000)?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| notes::add_note(s, &actor, &credit_code, &text))
    })
    .await
}

/// A label put on (or, with `remove`, taken off) an application.
#[tauri::command]
pub async fn set_label(
    app: AppHandle,
    credit_code: String,
    label: String,
    remove: bool,
) -> Result<NotesAndLabels, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    check_len("标签", &label, 32)?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| notes::set_label(s, &actor, &credit_code, &label, remove))
    })
    .await
}

/// Every labelled application's labels by credit code (the list's filter).
#[tauri::command]
pub async fn all_labels(
    app: AppHandle,
) -> Result<std::collections::HashMap<String, Vec<String>>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| notes::all_labels(s.conn()))
    })
    .await
}
