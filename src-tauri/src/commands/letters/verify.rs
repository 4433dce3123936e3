//! Verifying a letter file (dialog, the register's copy, or dropped on the
//! window) with the engine's one verdict.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;

use super::super::blocking;
use super::super::letter_check::{letter_check, LetterCheck};
use super::write_letter;
use crate::error::IpcError;
use crate::state::AppState;

// ---- verification ------------------------------------------------------------

/// Verify the file at `path` with the engine's verdict (against the CAs
/// the store trusts and the register) and show it.
fn check_file(app: &AppHandle, path: &Path) -> Result<LetterCheck, IpcError> {
    let bytes = crate::error::read_file(path)?;
    // Trust is exactly the CAs the store's administrator configured.
    let verdict = app.state::<AppState>().with_store(|s| {
        let anchors = reviewdesk_engine::people::roster::trusted_cas(s.conn())?;
        reviewdesk_engine::register::verdict(Some(s), &bytes, &anchors)
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    Ok(letter_check(file_name, verdict))
}

/// Choose a letter in the native dialog and verify it.
#[tauri::command]
pub async fn verify_letter_with_dialog(app: AppHandle) -> Result<Option<LetterCheck>, IpcError> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择要核验的决定书 / Choose a letter to verify")
            .add_filter("PDF", &["pdf"])
            .blocking_pick_file()
            .and_then(|f| f.into_path().ok());
        match picked {
            Some(path) => check_file(&app, &path).map(Some),
            None => Ok(None),
        }
    })
    .await
}

/// Verify the copy of a registered letter opened in this session (the file
/// that is printed or handed out; written from the store first when there is
/// none): a changed or damaged copy fails.
#[tauri::command]
pub async fn verify_issued_letter(app: AppHandle, number: String) -> Result<LetterCheck, IpcError> {
    blocking(move || {
        let copy = super::SESSION
            .current()
            .map(|d| d.join(reviewdesk_engine::register::files::file_name(&number)))
            .filter(|p| p.is_file());
        let path = match copy {
            Some(p) => p,
            None => {
                let pdf = app.state::<AppState>().with_store(|s| {
                    reviewdesk_engine::applications::queries::letter_pdf(s, &number)
                })?;
                write_letter(&number, &pdf)?
            }
        };
        check_file(&app, &path)
    })
    .await
}

/// PDFs dropped on the window: each is verified and reported as a
/// `letter-verified` event (or `letter-verify-failed` when it cannot be read).
pub fn verify_dropped(app: AppHandle, paths: Vec<PathBuf>) {
    tauri::async_runtime::spawn_blocking(move || {
        for path in paths {
            match check_file(&app, &path) {
                Ok(check) => {
                    let _ = app.emit("letter-verified", check);
                }
                Err(e) => {
                    let _ = app.emit("letter-verify-failed", e);
                }
            }
        }
    });
}

/// Whether a dropped file is a letter to verify rather than a workbook.
pub fn is_letter(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pdfs_are_letters() {
        assert!(is_letter(Path::new("/x/y.PDF")));
        assert!(!is_letter(Path::new("/x/y.xlsx")));
        assert!(!is_letter(Path::new("/x/pdf")));
    }
}
