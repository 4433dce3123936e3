//! Review: the engine's evaluation of an application (eligibility, scores,
//! awards and their explanation lines), panel scores and two-person
//! decisions. The UI renders what these return; it never recomputes them.

use reviewdesk_engine::applications::queries::{self, DecisionRow};
use reviewdesk_engine::register::issue::CertIdentity;
use reviewdesk_engine::review::round::{self, Decision, RoundScore};
use reviewdesk_engine::rules::evaluate::Evaluation;
use reviewdesk_engine::store::Actor;
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

fn reviewer(name: &str) -> Result<Actor, IpcError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(IpcError::new(
            "invalid",
            "请先填写评审人姓名 / enter the reviewer's name first",
        ));
    }
    check_len("评审人姓名", name, 40)?;
    Ok(Actor::new(name))
}

/// The evaluation and decision of one application.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Review {
    evaluation: Option<Evaluation>,
    decision: Option<Decision>,
    /// Why there is no evaluation (e.g. no valid credit code yet).
    unavailable: Option<String>,
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
                });
            };
            let ev = match round::explain(s, &code) {
                Ok(ev) => Some(ev),
                Err(reviewdesk_engine::EngineError::Invalid(m)) => {
                    return Ok(Review {
                        evaluation: None,
                        decision: None,
                        unavailable: Some(m),
                    })
                }
                Err(e) => return Err(e),
            };
            Ok(Review {
                evaluation: ev,
                decision: round::decision(s, &code)?,
                unavailable: None,
            })
        })
    })
    .await
}

#[tauri::command]
pub async fn score_round(
    app: AppHandle,
    year: i32,
    reviewer_name: String,
) -> Result<RoundScore, IpcError> {
    let actor = reviewer(&reviewer_name)?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| round::score_round(s, year, &actor))
    })
    .await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn record_panel_score(
    app: AppHandle,
    reviewer_name: String,
    credit_code: String,
    clause: String,
    project: String,
    factor: String,
    points: String,
) -> Result<(), IpcError> {
    let actor = reviewer(&reviewer_name)?;
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
pub async fn propose_decision(
    app: AppHandle,
    reviewer_name: String,
    credit_code: String,
) -> Result<Decision, IpcError> {
    let actor = reviewer(&reviewer_name)?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| round::propose(s, &actor, &credit_code))
    })
    .await
}

/// Approve with the signing certificate: its holder is the approver the
/// engine records (and the only one who may later sign the letters), so the
/// password unlocks the certificate here too; it is not kept.
#[tauri::command]
pub async fn approve_decision(
    app: AppHandle,
    credit_code: String,
    password: String,
) -> Result<Decision, IpcError> {
    blocking(move || {
        let signer = crate::keystore::unlock(&password)?;
        drop(password);
        app.state::<AppState>()
            .with_store(|s| round::approve(s, &CertIdentity(&signer), &credit_code))
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
    reviewer_name: String,
    credit_code: String,
    comment: String,
) -> Result<Decision, IpcError> {
    let actor = reviewer(&reviewer_name)?;
    check_len("退回意见", &comment, 2000)?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| round::return_decision(s, &actor, &credit_code, &comment))
    })
    .await
}
