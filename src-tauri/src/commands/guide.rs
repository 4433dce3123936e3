//! The round's guide in Settings: view it, load a new version from a file
//! chosen in the native dialog, see what it changes, then bind it (audited,
//! only until the round's first decision). The web view never sends a path
//! or the guide's text: the file chosen here is kept until it is used.

use std::sync::Mutex;

use reviewdesk_engine::review::round::{self, GuidePreview, RoundGuide};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

/// A guide file is a few dozen KB; anything much larger is not one.
const GUIDE_MAX_BYTES: u64 = 1024 * 1024;

/// The version chosen in the dialog, waiting for "use this version".
struct Chosen {
    year: i32,
    hash: String,
    text: String,
}

static CHOSEN: Mutex<Option<Chosen>> = Mutex::new(None);

fn chosen() -> Result<std::sync::MutexGuard<'static, Option<Chosen>>, IpcError> {
    CHOSEN
        .lock()
        .map_err(|_| IpcError::new("internal", "指南选择状态不可用 / guide choice unavailable"))
}

/// Every round with the guide it is bound to (text included, for viewing).
#[tauri::command]
pub async fn round_guides(app: AppHandle) -> Result<Vec<RoundGuide>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| round::round_guides(s.conn()))
    })
    .await
}

/// Choose a guide file in the native dialog, check it and compare it with
/// the round's guide. `None`: the dialog was closed. A file with problems is
/// an error listing each with its key path; nothing is kept then.
#[tauri::command]
pub async fn choose_guide_file(
    app: AppHandle,
    year: i32,
) -> Result<Option<GuidePreview>, IpcError> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择申报指南文件 / Choose a guide file")
            .add_filter("TOML", &["toml"])
            .blocking_pick_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        let io = |e: std::io::Error| IpcError::new("io", format!("{}: {e}", path.display()));
        if std::fs::metadata(&path).map_err(io)?.len() > GUIDE_MAX_BYTES {
            return Err(IpcError::new(
                "invalid",
                "该文件超过 1 MB，不是申报指南 / the file is larger than 1 MB: not a guide",
            ));
        }
        let bytes = std::fs::read(&path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            IpcError::new(
                "invalid",
                "申报指南须为 UTF-8 文本 / a guide file must be UTF-8 text",
            )
        })?;
        *chosen()? = None;
        let preview = app
            .state::<AppState>()
            .with_store(|s| round::preview_guide(s.conn(), year, &text))?;
        *chosen()? = Some(Chosen {
            year,
            hash: preview.to.clone(),
            text,
        });
        Ok(Some(preview))
    })
    .await
}

/// Bind the round to the version chosen and shown (`hash` must be the one
/// the reviewer saw); signed by the person signed in (an administrator on a
/// store with a roster). Stored scores of
/// the round are cleared: the round is to be scored again.
#[tauri::command]
pub async fn use_chosen_guide(
    app: AppHandle,
    year: i32,
    hash: String,
) -> Result<Vec<RoundGuide>, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    blocking(move || {
        let text = {
            let guard = chosen()?;
            match &*guard {
                Some(c) if c.year == year && c.hash == hash => c.text.clone(),
                _ => {
                    return Err(IpcError::new(
                        "invalid",
                        "请重新选择指南文件 / choose the guide file again",
                    ))
                }
            }
        };
        let state = app.state::<AppState>();
        state.with_store(|s| round::bind_guide(s, &actor, year, &text))?;
        *chosen()? = None;
        state.with_store(|s| round::round_guides(s.conn()))
    })
    .await
}
