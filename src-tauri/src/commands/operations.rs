//! 公示与拨付 / Notice & payments: the round's stages after the review as
//! the window runs them — the 公示 notices and their objections, the
//! payment ledger, the managed lists and the calendar, clawback cases.
//! Thin: each command asks the dialog or the person signed in and calls one
//! engine function (`operations::{notice, ledger, lists, calendar,
//! clawback, views}`), which checks the role, audits and refuses.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reviewdesk_engine::operations::calendar;
use reviewdesk_engine::operations::clawback::{self, Case};
use reviewdesk_engine::operations::ledger::{self, Exported, LedgerRow, Taken};
use reviewdesk_engine::operations::lists::{self, Imported, ListKind};
use reviewdesk_engine::operations::notice::{self, Objection, PublishedNotice, Resolution};
use reviewdesk_engine::operations::views::{
    self, CalendarYearInfo, ListSummary, NoticePlan, NoticeSummary,
};
use reviewdesk_engine::register::seal_key;
use reviewdesk_engine::register::sealed::SealedIssue;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use super::letters::{today, writer};
use crate::error::IpcError;
use crate::state::AppState;

/// A day from the web view, YYYY-MM-DD.
fn day(s: &str, what: &str) -> Result<NaiveDate, IpcError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        IpcError::new(
            "invalid",
            format!("{what}“{s}”应为 YYYY-MM-DD / {what} must be YYYY-MM-DD"),
        )
    })
}

/// A file chosen in the native open dialog: its bytes and name, or None
/// when the person cancelled.
fn pick(
    app: &AppHandle,
    title: &str,
    filter: (&str, &[&str]),
) -> Result<Option<(Vec<u8>, String)>, IpcError> {
    let mut dialog = app.dialog().file().set_title(title);
    if !filter.1.is_empty() {
        dialog = dialog.add_filter(filter.0, filter.1);
    }
    let Some(path) = dialog.blocking_pick_file().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    read(&path).map(Some)
}

fn read(path: &Path) -> Result<(Vec<u8>, String), IpcError> {
    let bytes = std::fs::read(path).map_err(|e| {
        IpcError::new(
            "io",
            format!("无法读取 {}：{e} / cannot read the file", path.display()),
        )
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    Ok((bytes, name))
}

const XLSX: (&str, &[&str]) = ("表格 Spreadsheet (.xlsx)", &["xlsx", "xls", "csv"]);

// ---- 公示 -------------------------------------------------------------------

/// The round's published notices, each with its state today.
#[tauri::command]
pub async fn round_notices(app: AppHandle, year: i32) -> Result<Vec<NoticeSummary>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| views::notices(s.conn(), year, today()))
    })
    .await
}

/// The period a notice published on `from` would run for, from the
/// calendar, and how many approved decisions wait: shown before publishing.
#[tauri::command]
pub async fn notice_plan(app: AppHandle, year: i32, from: String) -> Result<NoticePlan, IpcError> {
    blocking(move || {
        let from = day(&from, "公示日期 / the first day")?;
        app.state::<AppState>()
            .with_store(|s| views::notice_plan(s.conn(), year, from))
    })
    .await
}

/// Publish the round's 公示 from `from` as the register office signed in,
/// under the bureau's seal unlocked with `password` (used once, not kept).
#[tauri::command]
pub async fn publish_notice(
    app: AppHandle,
    year: i32,
    from: String,
    password: String,
) -> Result<PublishedNotice, IpcError> {
    blocking(move || {
        let from = day(&from, "公示日期 / the first day")?;
        let state = app.state::<AppState>();
        let person = state.person()?;
        let seal = state.with_store(|s| seal_key::open(s, &password))?;
        drop(password);
        let w = writer(&app)?;
        let by = SealedIssue {
            issuer: &person,
            seal: seal.as_ref(),
        };
        state.with_store(|s| notice::publish(s, &w, &by, year, from))
    })
    .await
}

/// The round's objections, in the order received.
#[tauri::command]
pub async fn round_objections(app: AppHandle, year: i32) -> Result<Vec<Objection>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| notice::objections(s.conn(), year))
    })
    .await
}

/// Record a real-name objection as the person signed in (a reviewer);
/// with `withEvidence` the evidence file is chosen in the native dialog
/// first (cancelled: nothing recorded, false).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn record_objection(
    app: AppHandle,
    year: i32,
    credit_code: String,
    project: Option<String>,
    by: String,
    received: String,
    text: String,
    with_evidence: bool,
) -> Result<bool, IpcError> {
    blocking(move || {
        let received = day(&received, "收到日期 / the received date")?;
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        let evidence = if with_evidence {
            match pick(&app, "选择异议证据 / Choose the evidence", ("", &[]))? {
                Some(e) => Some(e),
                None => return Ok(false),
            }
        } else {
            None
        };
        let input = notice::ObjectionInput {
            round: year,
            credit_code: &credit_code,
            project: project.as_deref().filter(|p| !p.trim().is_empty()),
            by: &by,
            received,
            text: &text,
            evidence: evidence.as_ref().map(|(b, n)| (n.as_str(), b.as_slice())),
        };
        state
            .with_store(|s| notice::object(s, &actor, &input, today()))
            .map(|_| true)
    })
    .await
}

/// Resolve an objection (an approver): `upheld` or `dismissed`, with the reason.
#[tauri::command]
pub async fn resolve_objection(
    app: AppHandle,
    id: i64,
    outcome: String,
    reason: String,
) -> Result<Resolution, IpcError> {
    blocking(move || {
        let outcome = notice::Outcome::parse(&outcome)?;
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        state.with_store(|s| notice::resolve(s, &actor, id, outcome, &reason))
    })
    .await
}

// ---- 拨付台账 ---------------------------------------------------------------

/// The round's payment ledger, each row with its state.
#[tauri::command]
pub async fn ledger_rows(app: AppHandle, year: i32) -> Result<Vec<LedgerRow>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| ledger::rows(s.conn(), year))
    })
    .await
}

/// Bring the ledger up to date and save it for the finance office where
/// the person chooses (the register office).
#[tauri::command]
pub async fn export_ledger_with_dialog(
    app: AppHandle,
    year: i32,
) -> Result<Option<Exported>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        let picked = app
            .dialog()
            .file()
            .set_title("保存拨付台账 / Save the payment ledger")
            .set_file_name(format!("{year}-拨付台账.xlsx"))
            .add_filter("表格 Spreadsheet (.xlsx)", &["xlsx"])
            .blocking_save_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        let path: PathBuf = path;
        state
            .with_store(|s| ledger::export(s, &actor, year, &path))
            .map(Some)
    })
    .await
}

/// Take the finance office's filled-in ledger back: the rows paid, and
/// every row refused with its row and reason.
#[tauri::command]
pub async fn import_ledger_with_dialog(app: AppHandle) -> Result<Option<Taken>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        let Some((bytes, name)) = pick(&app, "选择财务回填的台账 / Choose finance's ledger", XLSX)?
        else {
            return Ok(None);
        };
        state
            .with_store(|s| ledger::import(s, &actor, &name, &bytes))
            .map(Some)
    })
    .await
}

// ---- 名单与工作日历 -----------------------------------------------------------

/// The latest list of each kind for the round.
#[tauri::command]
pub async fn managed_lists(app: AppHandle, year: i32) -> Result<Vec<ListSummary>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| views::lists(s.conn(), year))
    })
    .await
}

/// Import a managed list of `kind` from a file chosen in the dialog (an
/// administrator).
#[tauri::command]
pub async fn import_list_with_dialog(
    app: AppHandle,
    year: i32,
    kind: String,
) -> Result<Option<Imported>, IpcError> {
    blocking(move || {
        let kind = ListKind::parse(&kind)?;
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        let Some((bytes, name)) = pick(&app, "选择名单文件 / Choose the list", XLSX)? else {
            return Ok(None);
        };
        state
            .with_store(|s| lists::import(s, &actor, year, kind, &name, &bytes))
            .map(Some)
    })
    .await
}

/// The years the working-day calendar covers.
#[tauri::command]
pub async fn calendar_years(app: AppHandle) -> Result<Vec<CalendarYearInfo>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| views::calendar_years(s.conn()))
    })
    .await
}

/// Import a working-day calendar (.toml) chosen in the dialog (an
/// administrator). Returns the years it covers.
#[tauri::command]
pub async fn import_calendar_with_dialog(app: AppHandle) -> Result<Option<Vec<i32>>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        let Some((bytes, name)) = pick(
            &app,
            "选择工作日历 / Choose the calendar",
            ("工作日历 Calendar (.toml)", &["toml"]),
        )?
        else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| {
            IpcError::new(
                "invalid",
                format!("{name} 不是 UTF-8 文本 / {name} is not UTF-8 text"),
            )
        })?;
        state
            .with_store(|s| calendar::import(s, &actor, &text, &name))
            .map(Some)
    })
    .await
}

// ---- 追回 -------------------------------------------------------------------

/// The round's clawback cases with how far each has come.
#[tauri::command]
pub async fn clawback_cases(app: AppHandle, year: i32) -> Result<Vec<Case>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| clawback::list(s.conn(), year))
    })
    .await
}
