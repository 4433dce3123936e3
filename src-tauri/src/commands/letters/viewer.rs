//! Opening a letter with the system's PDF viewer; print copies; exporting
//! the signed letters into a folder the person chooses.

use std::path::Path;

use reviewdesk_engine::applications::queries::{self};
use reviewdesk_engine::register::files;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

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
    // xdg-open and its kin hand the file on and exit at once, 0 when a
    // viewer took it; a non-zero exit means none did (xdg-open: 3 no tool,
    // 4 the action failed). One that is still running after a moment is a
    // viewer that stayed in the foreground: it opened the file.
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(1500) {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(path.display().to_string()),
            Ok(Some(status)) => {
                return Err(IpcError::new(
                    "no_viewer",
                    format!(
                        "没有 PDF 阅读器打开这份决定书（{status}）。文件已写入：{}，可在文件夹中打开 / no PDF viewer opened the letter ({status}); the file is at {}",
                        path.display(),
                        path.display()
                    ),
                ))
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(50)),
            Err(_) => break,
        }
    }
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

/// Letter numbers from the web view: at most 10,000, each at most 64
/// characters.
fn check_numbers(numbers: &[String]) -> Result<(), IpcError> {
    if numbers.len() > 10_000 || numbers.iter().any(|n| n.chars().count() > 64) {
        return Err(IpcError::new(
            "invalid",
            "文号列表无效 / invalid letter numbers",
        ));
    }
    Ok(())
}

/// `numbers`, or every issued letter that is not void when empty.
fn or_every_live_letter(
    s: &reviewdesk_engine::store::Store,
    numbers: Vec<String>,
) -> Result<Vec<String>, reviewdesk_engine::EngineError> {
    if !numbers.is_empty() {
        return Ok(numbers);
    }
    Ok(reviewdesk_engine::register::delivery::list(s)?
        .into_iter()
        .filter(|r| r.voided_at.is_none())
        .map(|r| r.number)
        .collect())
}

/// Export the signed letters `numbers` (every issued letter that is not
/// void when empty), exactly as issued, into a folder chosen in the native
/// dialog, one `<number>.pdf` each (0600). Returns the folder, or `None`
/// when the dialog was cancelled.
#[tauri::command]
pub async fn export_letters_with_dialog(
    app: AppHandle,
    numbers: Vec<String>,
) -> Result<Option<String>, IpcError> {
    check_numbers(&numbers)?;
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择导出决定书的文件夹 / Choose a folder for the letters")
            .blocking_pick_folder()
            .and_then(|f| f.into_path().ok());
        let Some(dir) = picked else {
            return Ok(None);
        };
        let letters = app.state::<AppState>().with_store(|s| {
            or_every_live_letter(s, numbers)?
                .into_iter()
                .map(|n| queries::letter_pdf(s, &n).map(|pdf| (n, pdf)))
                .collect::<Result<Vec<_>, _>>()
        })?;
        for (number, pdf) in &letters {
            files::write_letter_in(&dir, number, pdf)?;
        }
        Ok(Some(dir.display().to_string()))
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
    check_numbers(&numbers)?;
    blocking(move || {
        let w = writer(&app)?;
        let (numbers, rendered) = app.state::<AppState>().with_store(|s| {
            let numbers = or_every_live_letter(s, numbers)?;
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
