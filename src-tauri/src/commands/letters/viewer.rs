//! Opening a letter with the system's PDF viewer; print copies.

use std::path::Path;

use reviewdesk_engine::applications::queries::{self};
use reviewdesk_engine::register::files;
use tauri::{AppHandle, Manager};

use super::super::blocking;
use super::{session_dir, write_letter, writer};
use crate::error::IpcError;
use crate::state::AppState;

/// The system's command that opens a file with its default application.
/// Hand `path` to the system's PDF viewer and return it as text; the opener
/// is reaped when it ends so it never lingers as a zombie.
fn open_in_viewer(path: &Path) -> Result<String, IpcError> {
    let mut child = opener(path).spawn().map_err(|e| {
        IpcError::new(
            "no_viewer",
            format!(
                "无法打开 PDF 阅读器（{e}）。文件在：{} / cannot start a PDF viewer; the file is at {}",
                path.display(),
                path.display()
            ),
        )
    })?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(path.display().to_string())
}

fn opener(path: &Path) -> std::process::Command {
    #[cfg(target_os = "windows")]
    {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]).arg(path);
        c
    }
    #[cfg(target_os = "macos")]
    {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    }
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    }
}

/// Open a registered letter in the system's PDF viewer (to read or print):
/// its signed bytes from the store written into the session's temporary
/// folder (again when the copy there is gone or differs). Returns the
/// file's path.
#[tauri::command]
pub async fn open_letter(app: AppHandle, number: String) -> Result<String, IpcError> {
    blocking(move || {
        let pdf = app
            .state::<AppState>()
            .with_store(|s| queries::letter_pdf(s, &number))?;
        let path = write_letter(&number, &pdf)?;
        open_in_viewer(&path)
    })
    .await
}

/// Copies to print: the letters `numbers` (every issued letter that is not
/// void when empty) rendered again exactly as issued into ONE PDF, without
/// the seal image unless `with_seal` (paper copies get the bureau's wet
/// seal), written to the session's temporary folder and opened in the system
/// viewer to print at 100% on A4. Returns the file's path.
#[tauri::command]
pub async fn print_letters(
    app: AppHandle,
    numbers: Vec<String>,
    with_seal: bool,
) -> Result<String, IpcError> {
    if numbers.len() > 10_000 || numbers.iter().any(|n| n.chars().count() > 64) {
        return Err(IpcError::new(
            "invalid",
            "文号列表无效 / invalid letter numbers",
        ));
    }
    blocking(move || {
        let w = writer(&app)?;
        let (numbers, rendered) = app.state::<AppState>().with_store(|s| {
            let numbers = if numbers.is_empty() {
                reviewdesk_engine::register::delivery::list(s)?
                    .into_iter()
                    .filter(|r| r.voided_at.is_none())
                    .map(|r| r.number)
                    .collect()
            } else {
                numbers
            };
            let r =
                reviewdesk_engine::register::delivery::print_copies(s, &w, &numbers, with_seal)?;
            Ok((numbers, r))
        })?;
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
        let path = files::write_print_copy(&session_dir()?, &numbers, &stamp, &rendered.pdf)?;
        open_in_viewer(&path)
    })
    .await
}
