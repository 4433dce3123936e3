//! App information and the audit check.

use reviewdesk_engine::paths;
use reviewdesk_engine::store::AuditReport;
use serde::Serialize;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfo {
    version: String,
    db_path: String,
    data_dir: String,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: state.db_path.display().to_string(),
        data_dir: paths::data_dir().display().to_string(),
    }
}

/// Recompute the audit chain (off the UI thread).
#[tauri::command]
pub async fn audit_verify(app: tauri::AppHandle) -> Result<AuditReport, IpcError> {
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.with_store(|s| s.verify_audit())
    })
    .await
    .map_err(|e| IpcError::new("internal", e.to_string()))?
}
