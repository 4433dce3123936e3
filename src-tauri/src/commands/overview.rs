//! The round overview and an application's history: counts by status, the
//! round against its budget, what needs attention next, the programme's
//! targets; versions of a workbook compared, provisional workbooks linked to
//! the credit code of their corrected version. Thin: each command calls one
//! engine function.

use reviewdesk_engine::applications::import::{self, LinkOutcome, LinkSuggestion};
use reviewdesk_engine::applications::queries::{self, RoundOverview};
use reviewdesk_engine::applications::versions::{self, VersionDiff};
use reviewdesk_engine::review::budget::{self, BudgetReport};
use serde::Serialize;
use tauri::{AppHandle, Manager};

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

/// The overview of a round (default: the latest with workbooks).
#[tauri::command]
pub async fn round_overview(app: AppHandle, year: Option<i32>) -> Result<RoundOverview, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| queries::round_overview(s, year))
    })
    .await
}

/// The round against its budget; none while the round has no guide bound
/// yet (nothing imported and scored).
#[tauri::command]
pub async fn round_budget(app: AppHandle, year: i32) -> Result<Option<BudgetReport>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| match budget::round_budget(s, year) {
                Ok(r) => Ok(Some(r)),
                Err(reviewdesk_engine::EngineError::NotFound(_)) => Ok(None),
                Err(e) => Err(e),
            })
    })
    .await
}

/// The version numbers of an applicant's workbook in its latest round
/// (linked provisional workbooks as 0, −1, …).
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Versions {
    round: i32,
    #[cfg_attr(test, ts(type = "Array<number>"))]
    versions: Vec<i64>,
}

#[tauri::command]
pub async fn workbook_versions(app: AppHandle, credit_code: String) -> Result<Versions, IpcError> {
    blocking(move || {
        app.state::<AppState>().with_store(|s| {
            let (_, round, versions) = versions::versions(s, &credit_code)?;
            Ok(Versions { round, versions })
        })
    })
    .await
}

#[tauri::command]
pub async fn compare_versions(
    app: AppHandle,
    credit_code: String,
    from: i64,
    to: i64,
) -> Result<VersionDiff, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| versions::compare_versions(s, &credit_code, from, to))
    })
    .await
}

/// Provisional workbooks and the applicants whose name matches: the links
/// to offer.
#[tauri::command]
pub async fn link_suggestions(app: AppHandle) -> Result<Vec<LinkSuggestion>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| import::link_suggestions(s))
    })
    .await
}

#[tauri::command]
pub async fn link_provisional(
    app: AppHandle,
    provisional_key: String,
    credit_code: String,
) -> Result<LinkOutcome, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| import::link_provisional(s, &actor, &provisional_key, &credit_code))
    })
    .await
}
