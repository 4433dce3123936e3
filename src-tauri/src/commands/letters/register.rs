//! Issuing letters (one, a correction notice, every approved decision in the
//! background), the register with delivery records, delivery and voiding.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use reviewdesk_engine::applications::queries::{self, RegisterRow};
use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::letters::Signer;
use reviewdesk_engine::people::Identity;
use reviewdesk_engine::register::batch;
use reviewdesk_engine::register::delivery::{self, LetterRecord};
use reviewdesk_engine::register::files;
use reviewdesk_engine::register::seal_key;
use reviewdesk_engine::register::sealed::{self, SealedIssue};
use reviewdesk_engine::store::Store;
use reviewdesk_engine::EngineError;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use super::super::blocking;
use super::{today, writer};
use crate::error::IpcError;
use crate::state::AppState;

// ---- issue and the register ----------------------------------------------

/// A letter in the register, with the name its file gets when it is opened
/// or printed (the letter itself is kept in the store only).
#[derive(Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LetterRow {
    #[serde(flatten)]
    row: RegisterRow,
    path: String,
    /// Delivery (送达) and voiding, when the register has them.
    record: Option<LetterRecord>,
}

fn row_with_path(row: RegisterRow) -> LetterRow {
    LetterRow {
        path: files::file_name(&row.number),
        row,
        record: None,
    }
}

/// The register rows with their delivery records.
fn rows_with_records(store: &Store) -> Result<Vec<LetterRow>, EngineError> {
    let mut records: std::collections::HashMap<String, LetterRecord> = delivery::list(store)?
        .into_iter()
        .map(|r| (r.number.clone(), r))
        .collect();
    Ok(queries::list_register(store)?
        .into_iter()
        .map(|row| {
            let record = records.remove(&row.number);
            LetterRow {
                record,
                ..row_with_path(row)
            }
        })
        .collect())
}

/// The register office's person signed in and the bureau's seal unlocked
/// with its password (used once, not kept).
fn issuer_and_seal(
    state: &AppState,
    password: String,
) -> Result<(Arc<Identity>, Arc<dyn Signer>), IpcError> {
    let person = state.person()?;
    let seal = state.with_store(|s| seal_key::open(s, &password))?;
    drop(password);
    Ok((person, seal))
}

/// Issue the letters of an approved decision under the bureau's seal: the
/// person signed in needs the register role and must not be the approver;
/// the seal's password unlocks it for this letter (the engine checks all).
#[tauri::command]
pub async fn issue_letters(
    app: AppHandle,
    credit_code: String,
    password: String,
) -> Result<Vec<LetterRow>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let (person, seal) = issuer_and_seal(&state, password)?;
        let w = writer(&app)?;
        let by = SealedIssue {
            issuer: &person,
            seal: seal.as_ref(),
        };
        let issued =
            state.with_store(|s| sealed::issue_sealed(s, &w, &by, &credit_code, today()))?;
        let numbers: Vec<String> = issued.iter().map(|l| l.number.clone()).collect();
        let rows = state.with_store(|s| queries::list_register(s))?;
        Ok(rows
            .into_iter()
            .filter(|r| numbers.contains(&r.number))
            .map(row_with_path)
            .collect())
    })
    .await
}

/// Issue the correction notice (补正告知书) of a workbook that needs
/// correction under the bureau's seal: every error of the workbook, once.
#[tauri::command]
pub async fn issue_correction_notice(
    app: AppHandle,
    submission_id: i64,
    password: String,
) -> Result<LetterRow, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let (person, seal) = issuer_and_seal(&state, password)?;
        let w = writer(&app)?;
        let by = SealedIssue {
            issuer: &person,
            seal: seal.as_ref(),
        };
        let issued = state
            .with_store(|s| sealed::issue_correction_sealed(s, &w, &by, submission_id, today()))?;
        let row = state
            .with_store(|s| queries::list_register(s))?
            .into_iter()
            .find(|r| r.number == issued.number)
            .ok_or_else(|| {
                IpcError::new(
                    "internal",
                    "登记簿中找不到刚签发的文号 / the new number is missing from the register",
                )
            })?;
        Ok(row_with_path(row))
    })
    .await
}

/// Set to stop a running batch after the letter in hand.
static CANCEL_BATCH: AtomicBool = AtomicBool::new(false);
/// A batch is running (one at a time).
static BATCH_RUNNING: AtomicBool = AtomicBool::new(false);

#[derive(Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub(crate) struct BatchReport {
    issued: Vec<LetterRow>,
    failed: Vec<batch::Failure>,
    total: usize,
    cancelled: bool,
}

/// Issue the letters of every approved decision under the bureau's seal,
/// unlocked once with its password, by the register office's person signed
/// in. The password is checked first (an error comes back at once); the letters
/// are then issued in the background, each decision in its own transaction,
/// so a failure on one never loses the others. Progress arrives as
/// `letters-batch-progress` events and the report as `letters-batch-finished`.
/// Returns how many decisions will be issued.
#[tauri::command]
pub async fn issue_all_letters(app: AppHandle, password: String) -> Result<usize, IpcError> {
    blocking(move || {
        let (person, seal) = issuer_and_seal(&app.state::<AppState>(), password)?;
        let ready = app.state::<AppState>().with_store(|s| batch::approved(s))?;
        if BATCH_RUNNING.swap(true, Ordering::SeqCst) {
            return Err(IpcError::new(
                "busy",
                "已有一批决定书正在签发 / a batch of letters is already being issued",
            ));
        }
        CANCEL_BATCH.store(false, Ordering::SeqCst);
        let total = ready.len();
        tauri::async_runtime::spawn_blocking(move || {
            let state = app.state::<AppState>();
            let w = writer(&app);
            let by = SealedIssue {
                issuer: &person,
                seal: seal.as_ref(),
            };
            let job = batch::Job {
                writer: w.as_deref().map_err(|e| ErrorBody {
                    code: e.code.clone(),
                    message: e.message.clone(),
                }),
                by: &by,
                date: today(),
            };
            let outcome = batch::issue_all(
                &*state,
                &job,
                &ready,
                &mut |p| {
                    let _ = app.emit("letters-batch-progress", p);
                },
                &CANCEL_BATCH,
            );
            let issued = state
                .with_store(|s| queries::list_register(s))
                .map(|rows| {
                    rows.into_iter()
                        .filter(|r| outcome.numbers.contains(&r.number))
                        .map(row_with_path)
                        .collect()
                })
                .unwrap_or_default();
            BATCH_RUNNING.store(false, Ordering::SeqCst);
            let _ = app.emit(
                "letters-batch-finished",
                BatchReport {
                    issued,
                    failed: outcome.failed,
                    total: outcome.total,
                    cancelled: outcome.cancelled,
                },
            );
        });
        Ok(total)
    })
    .await
}

/// Stop a running batch after the letter being signed.
#[tauri::command]
pub fn cancel_issue_all() {
    CANCEL_BATCH.store(true, Ordering::SeqCst);
}

#[tauri::command]
pub async fn list_letters(app: AppHandle) -> Result<Vec<LetterRow>, IpcError> {
    blocking(move || app.state::<AppState>().with_store(|s| rows_with_records(s))).await
}

/// The delivery (送达) methods the engine accepts.
#[tauri::command]
pub fn delivery_methods() -> Vec<&'static str> {
    delivery::METHODS.to_vec()
}

/// Record, once, the day and the way letter `number` was delivered; the
/// remedy deadlines count from that day.
#[tauri::command]
pub async fn record_delivery(
    app: AppHandle,
    number: String,
    on: String,
    method: String,
) -> Result<(), IpcError> {
    let actor = app.state::<AppState>().actor()?;
    let on = chrono::NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d").map_err(|_| {
        IpcError::new(
            "invalid",
            format!("送达日期应为 年-月-日：{on} / the delivery date must be YYYY-MM-DD"),
        )
    })?;
    blocking(move || {
        app.state::<AppState>().with_store(|s| {
            delivery::record_delivery(s, &actor, &number, on, &method, today()).map(|_| ())
        })
    })
    .await
}

/// Void letter `number` with a written reason; its number is never reused.
#[tauri::command]
pub async fn void_letter(app: AppHandle, number: String, reason: String) -> Result<(), IpcError> {
    let actor = app.state::<AppState>().actor()?;
    if reason.chars().count() > 2000 {
        return Err(IpcError::new(
            "invalid",
            "作废理由过长（最多 2000 字）/ the reason is too long",
        ));
    }
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| delivery::void_letter(s, &actor, &number, &reason).map(|_| ()))
    })
    .await
}
