//! Import and the application list. Work runs off the UI thread; progress is
//! streamed as `import-progress` events and the result as `import-finished`.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use reviewdesk_engine::applications::import::{import_paths, ImportReport};
use reviewdesk_engine::applications::queries::{self, ApplicationDetail, ApplicationRow};
use reviewdesk_engine::applications::receipt::{self, Receipt};
use reviewdesk_engine::applications::samples;
use reviewdesk_engine::SHIPPED_ROUNDS;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

#[derive(Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub(crate) struct ProgressEvent {
    done: usize,
    total: usize,
    file: String,
}

/// Import `files` as the person signed in; `received`: the receipt date
/// (受理日期) the new submissions get — today for what a reviewer imports
/// (`received_today`), the sample round records its own.
fn run_import(
    app: &AppHandle,
    files: Vec<PathBuf>,
    received: Option<&Receipt>,
) -> Result<ImportReport, IpcError> {
    let state = app.state::<AppState>();
    let actor = state.actor()?;
    state.import_cancel.store(false, Ordering::SeqCst);
    let emitter = app.clone();
    let mut progress = move |done: usize, total: usize, file: &std::path::Path| {
        let _ = emitter.emit(
            "import-progress",
            ProgressEvent {
                done,
                total,
                file: file
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
            },
        );
    };
    let report = state.with_store(|store| {
        let report = import_paths(
            store,
            &state.parser,
            &files,
            SHIPPED_ROUNDS,
            &actor,
            &mut progress,
            &state.import_cancel,
        )?;
        if let Some(r) = received {
            receipt::record_imported(store, &actor, &report, r)?;
        }
        Ok(report)
    })?;
    let _ = app.emit("import-finished", &report);
    Ok(report)
}

#[tauri::command]
pub async fn list_applications(app: AppHandle) -> Result<Vec<ApplicationRow>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| queries::list_applications(s))
    })
    .await
}

#[tauri::command]
pub async fn show_application(
    app: AppHandle,
    submission_id: i64,
) -> Result<ApplicationDetail, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| queries::show_application(s, submission_id))
    })
    .await
}

/// What a reviewer imports in the window is received today (the CLI's
/// `--received` records an earlier date with a reason).
fn received_today() -> Result<Receipt, IpcError> {
    let today = chrono::Local::now().date_naive();
    Ok(Receipt::new(today, None, today)?)
}

/// Import the sample round that ships inside the program. The workbooks go
/// through the session's temporary folder (never the data folder: the store
/// keeps their bytes) and are removed after the import.
#[tauri::command]
pub async fn load_sample_round(app: AppHandle) -> Result<ImportReport, IpcError> {
    blocking(move || {
        let dir = super::letters::session_dir()?.join("sample-round");
        let files = samples::write_samples(&dir).map_err(IpcError::from)?;
        let report = run_import(&app, files, None).and_then(|report| {
            // received inside the round's window (sample dates, said so)
            let state = app.state::<AppState>();
            let actor = state.actor()?;
            state.with_store(|s| samples::record_receipts(s, &actor, &report))?;
            Ok(report)
        });
        let _ = std::fs::remove_dir_all(&dir);
        report
    })
    .await
}

/// Ask for workbooks with the native dialog (the web view never passes paths).
#[tauri::command]
pub async fn import_with_dialog(app: AppHandle) -> Result<Option<ImportReport>, IpcError> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择申报表 / Choose application workbooks")
            .add_filter(
                "申报表 Workbooks",
                &["xlsx", "xlsm", "xls", "xlsb", "ods", "et"],
            )
            .blocking_pick_files();
        let Some(picked) = picked else {
            return Ok(None);
        };
        let files: Vec<PathBuf> = picked
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect();
        run_import(&app, files, Some(&received_today()?)).map(Some)
    })
    .await
}

/// Files or folders dropped on the window (paths come from the OS, not the
/// web view).
pub fn import_dropped(app: AppHandle, paths: Vec<PathBuf>) {
    tauri::async_runtime::spawn_blocking(move || {
        if let Err(e) = received_today().and_then(|r| run_import(&app, paths, Some(&r))) {
            let _ = app.emit("import-failed", e);
        }
    });
}

/// Stop the running import after the file it is on; what was imported stays,
/// the report says the batch was cancelled.
#[tauri::command]
pub fn cancel_import(state: tauri::State<'_, AppState>) {
    state.import_cancel.store(true, Ordering::SeqCst);
}

/// Write the round's blank application workbook where the reviewer chooses
/// (native save dialog), to send to applicants. Returns the path, or `None`
/// when the dialog was closed.
#[tauri::command]
pub async fn save_template_with_dialog(
    app: AppHandle,
    year: i32,
) -> Result<Option<String>, IpcError> {
    if !SHIPPED_ROUNDS.contains(&year) {
        return Err(IpcError::new(
            "invalid",
            format!("没有 {year} 年度的申报指南 / no guide for round {year}"),
        ));
    }
    blocking(move || {
        let bytes = reviewdesk_engine::intake::template::write_template(year)?;
        let picked = app
            .dialog()
            .file()
            .set_title("保存空白申报表 / Save the blank application workbook")
            .set_file_name(format!("{year}年度算力经济扶持资金申报表.xlsx"))
            .add_filter("Excel 工作簿", &["xlsx"])
            .blocking_save_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        let tmp = path.with_extension("xlsx.partial");
        std::fs::write(&tmp, &bytes)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| {
                IpcError::new(
                    "io",
                    format!("无法写入 {}：{e} / cannot write the file", path.display()),
                )
            })?;
        Ok(Some(path.display().to_string()))
    })
    .await
}
