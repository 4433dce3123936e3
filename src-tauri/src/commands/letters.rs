//! Letters: the signing certificate, previews, issuing signed letters from
//! approved decisions, the register, opening a letter with the system viewer
//! and verifying a letter (dialog or dropped on the window). The engine
//! builds, signs, records and verifies; these commands keep files and map
//! errors. The certificate password arrives with the command that needs it
//! and is dropped when the command ends.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reviewdesk_engine::applications::queries::{self, RegisterRow};
use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::letters::layout::{Ink, RunKind};
use reviewdesk_engine::letters::{FontRole, LetterWriter, RenderOptions};
use reviewdesk_engine::register::delivery::{self, LetterRecord};
use reviewdesk_engine::register::issue::{self, LetterPreview};
use reviewdesk_engine::register::seal::WriterCache;
use reviewdesk_engine::register::{batch, files, trust};
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::{paths, EngineError};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use super::letter_check::{letter_check, LetterCheck};
use crate::error::letter_err;
use crate::error::IpcError;
use crate::keystore::{self, CertificateInfo};
use crate::state::AppState;

/// Fonts are parsed once per session (hundreds of ms per face), on first use;
/// the writer is made again only when the bureau's seal image changes.
static WRITERS: WriterCache = WriterCache::new();

/// The letter writer, with the bureau's seal image when one is configured
/// (else the demo seal, 测试样章): the engine's choice (`register::seal`).
fn writer(app: &AppHandle) -> Result<Arc<LetterWriter>, IpcError> {
    let seal = app
        .state::<AppState>()
        .with_store(|s| reviewdesk_engine::register::bureau_seal::get(s))?;
    Ok(WRITERS.get(seal)?)
}

/// A PKCS#12 file chosen in the native dialog, waiting for its password.
static CHOSEN_P12: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The file a letter is kept in (`<data dir>/letters/<number>.pdf`).
fn letter_path(number: &str) -> PathBuf {
    files::letter_path(&paths::data_dir(), number)
}

fn write_letter(number: &str, pdf: &[u8]) -> Result<PathBuf, IpcError> {
    Ok(files::write_letter(&paths::data_dir(), number, pdf)?)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

// ---- the signing certificate -------------------------------------------

#[tauri::command]
pub async fn certificate_info() -> Result<Option<CertificateInfo>, IpcError> {
    blocking(keystore::current).await
}

/// Pick a .p12/.pfx file in the native dialog; its name is returned and the
/// path kept here until `import_certificate` brings the password.
#[tauri::command]
pub async fn choose_certificate_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择签章证书 / Choose the signing certificate")
            .add_filter("PKCS#12 (.p12 .pfx)", &["p12", "pfx"])
            .blocking_pick_file()
            .and_then(|f| f.into_path().ok());
        let name = picked
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string());
        if let Ok(mut chosen) = CHOSEN_P12.lock() {
            *chosen = picked;
        }
        Ok(name)
    })
    .await
}

#[tauri::command]
pub async fn import_certificate(password: String) -> Result<CertificateInfo, IpcError> {
    blocking(move || {
        let path = CHOSEN_P12
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .ok_or_else(|| {
                IpcError::new(
                    "invalid",
                    "请先选择证书文件 / choose the certificate file first",
                )
            })?;
        let info = keystore::import_file(&path, &password)?;
        if let Ok(mut chosen) = CHOSEN_P12.lock() {
            *chosen = None;
        }
        Ok(info)
    })
    .await
}

#[tauri::command]
pub async fn create_test_certificate(
    holder: String,
    password: String,
) -> Result<CertificateInfo, IpcError> {
    let holder = holder.trim().to_string();
    if holder.is_empty() || holder.chars().count() > 40 {
        return Err(IpcError::new(
            "invalid",
            "请填写证书持有人姓名（最多 40 字）/ enter the holder's name (up to 40 characters)",
        ));
    }
    blocking(move || keystore::create_test(&holder, &password)).await
}

// ---- preview ------------------------------------------------------------

/// One line of text on a previewed page: glyph x positions (mm from the
/// left edge), the baseline (mm from the top), size and style, exactly as
/// the PDF places them.
#[derive(Serialize)]
pub struct PreviewRun {
    text: String,
    xs: Vec<f32>,
    baseline: f32,
    size_pt: f32,
    role: &'static str,
    ink: &'static str,
    kind: &'static str,
}

#[derive(Serialize)]
pub struct PreviewRule {
    x1: f32,
    x2: f32,
    y: f32,
    width_pt: f32,
    ink: &'static str,
}

#[derive(Serialize)]
pub struct PreviewSeal {
    cx: f32,
    cy: f32,
    diameter: f32,
}

#[derive(Serialize)]
pub struct PreviewPage {
    runs: Vec<PreviewRun>,
    rules: Vec<PreviewRule>,
    seal: Option<PreviewSeal>,
}

#[derive(Serialize)]
pub struct PreviewLetter {
    #[serde(flatten)]
    letter: LetterPreview,
    width_mm: f32,
    height_mm: f32,
    pages: Vec<PreviewPage>,
}

fn ink(i: Ink) -> &'static str {
    match i {
        Ink::Black => "black",
        Ink::Red => "red",
        Ink::Grey => "grey",
    }
}

fn role(r: FontRole) -> &'static str {
    match r {
        FontRole::Title => "title",
        FontRole::Body => "body",
        FontRole::Heading => "heading",
        FontRole::Kai => "kai",
        FontRole::PageNumber => "page_number",
    }
}

fn kind(k: RunKind) -> &'static str {
    match k {
        RunKind::Flag => "flag",
        RunKind::Number => "number",
        RunKind::Title => "title",
        RunKind::Addressee => "addressee",
        RunKind::Body => "body",
        RunKind::Signature => "signature",
        RunKind::Date => "date",
        RunKind::Contact => "contact",
        RunKind::PageNumber => "page_number",
        RunKind::Audit => "audit",
    }
}

/// The letters a proposed or approved decision would produce, laid out by
/// the letter writer (same line breaks and positions as the signed PDF).
#[tauri::command]
pub async fn preview_letters(
    app: AppHandle,
    credit_code: String,
) -> Result<Vec<PreviewLetter>, IpcError> {
    blocking(move || {
        let letters = app
            .state::<AppState>()
            .with_store(|s| issue::preview_decision(s, &credit_code, today()))?;
        let w = writer(&app)?;
        letters
            .into_iter()
            .map(|letter| laid_out(&w, letter))
            .collect()
    })
    .await
}

/// The correction notice (补正告知书) a workbook that needs correction
/// would get, laid out like the signed PDF.
#[tauri::command]
pub async fn preview_correction_notice(
    app: AppHandle,
    submission_id: i64,
) -> Result<Vec<PreviewLetter>, IpcError> {
    blocking(move || {
        let letter = app
            .state::<AppState>()
            .with_store(|s| issue::preview_correction(s, submission_id, today()))?;
        let w = writer(&app)?;
        Ok(vec![laid_out(&w, letter)?])
    })
    .await
}

/// A letter laid out by the letter writer: same line breaks and positions
/// as the signed PDF.
fn laid_out(w: &LetterWriter, letter: LetterPreview) -> Result<PreviewLetter, IpcError> {
    let layout = w
        .layout(&letter.content, RenderOptions::default())
        .map_err(letter_err)?;
    let pages = layout
        .pages
        .iter()
        .map(|p| PreviewPage {
            runs: p
                .runs
                .iter()
                .map(|r| PreviewRun {
                    text: r.text(),
                    xs: r.glyphs.iter().map(|g| g.x).collect(),
                    baseline: r.baseline(),
                    size_pt: r.size_pt,
                    role: role(r.role),
                    ink: ink(r.ink),
                    kind: kind(r.kind),
                })
                .collect(),
            rules: p
                .rules
                .iter()
                .map(|r| PreviewRule {
                    x1: r.x1,
                    x2: r.x2,
                    y: r.y,
                    width_pt: r.width_pt,
                    ink: ink(r.ink),
                })
                .collect(),
            seal: p.seal.map(|s| PreviewSeal {
                cx: s.cx,
                cy: s.cy,
                diameter: s.diameter,
            }),
        })
        .collect();
    Ok(PreviewLetter {
        letter,
        width_mm: reviewdesk_engine::letters::layout::PAGE_W,
        height_mm: reviewdesk_engine::letters::layout::PAGE_H,
        pages,
    })
}

// ---- issue and the register ----------------------------------------------

/// A letter in the register, with where its file is kept.
#[derive(Clone, Serialize)]
pub struct LetterRow {
    #[serde(flatten)]
    row: RegisterRow,
    path: String,
    /// Delivery (送达) and voiding, when the register has them.
    record: Option<LetterRecord>,
}

fn row_with_path(row: RegisterRow) -> LetterRow {
    LetterRow {
        path: letter_path(&row.number).display().to_string(),
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

/// Sign and issue the letters of an approved decision with the signing
/// certificate (its holder must be the approver: the engine checks).
#[tauri::command]
pub async fn issue_letters(
    app: AppHandle,
    credit_code: String,
    password: String,
) -> Result<Vec<LetterRow>, IpcError> {
    blocking(move || {
        let signer = keystore::unlock(&password)?;
        drop(password);
        let w = writer(&app)?;
        let state = app.state::<AppState>();
        let issued =
            state.with_store(|s| issue::issue_decision(s, &w, &signer, &credit_code, today()))?;
        for l in &issued {
            write_letter(&l.number, &l.pdf)?;
        }
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

/// Sign and issue the correction notice (补正告知书) of a workbook that needs
/// correction: every error of the workbook, once.
#[tauri::command]
pub async fn issue_correction_notice(
    app: AppHandle,
    submission_id: i64,
    password: String,
) -> Result<LetterRow, IpcError> {
    blocking(move || {
        let signer = keystore::unlock(&password)?;
        drop(password);
        let w = writer(&app)?;
        let state = app.state::<AppState>();
        let issued = state
            .with_store(|s| issue::issue_correction(s, &w, &signer, submission_id, today()))?;
        write_letter(&issued.number, &issued.pdf)?;
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
struct BatchReport {
    issued: Vec<LetterRow>,
    failed: Vec<batch::Failure>,
    total: usize,
    cancelled: bool,
}

/// Sign and issue the letters of every approved decision with one password.
/// The password is checked first (an error comes back at once); the letters
/// are then issued in the background, each decision in its own transaction,
/// so a failure on one never loses the others. Progress arrives as
/// `letters-batch-progress` events and the report as `letters-batch-finished`.
/// Returns how many decisions will be issued.
#[tauri::command]
pub async fn issue_all_letters(app: AppHandle, password: String) -> Result<usize, IpcError> {
    blocking(move || {
        let signer = keystore::unlock(&password)?;
        drop(password);
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
            let data_dir = paths::data_dir();
            let job = batch::Job {
                writer: w.as_deref().map_err(|e| ErrorBody {
                    code: e.code.clone(),
                    message: e.message.clone(),
                }),
                signer: &signer,
                data_dir: &data_dir,
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

fn reviewer(name: &str) -> Result<Actor, IpcError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(IpcError::new(
            "invalid",
            "请先填写评审人姓名 / enter the reviewer's name first",
        ));
    }
    Ok(Actor::new(name))
}

/// Record, once, the day and the way letter `number` was delivered; the
/// remedy deadlines count from that day.
#[tauri::command]
pub async fn record_delivery(
    app: AppHandle,
    reviewer_name: String,
    number: String,
    on: String,
    method: String,
) -> Result<(), IpcError> {
    let actor = reviewer(&reviewer_name)?;
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
pub async fn void_letter(
    app: AppHandle,
    reviewer_name: String,
    number: String,
    reason: String,
) -> Result<(), IpcError> {
    let actor = reviewer(&reviewer_name)?;
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

/// Open a registered letter in the system's PDF viewer (to read or print).
/// The file is written again from the store when the copy on disk is gone
/// or differs. Returns the file's path.
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
/// seal), written to `<data dir>/letters/print/` and opened in the system
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
        let path = files::write_print_copy(&paths::data_dir(), &numbers, &stamp, &rendered.pdf)?;
        open_in_viewer(&path)
    })
    .await
}

// ---- verification ------------------------------------------------------------

/// Verify the file at `path` with the engine's verdict (against this
/// workstation's trust anchors and the register) and show it.
fn check_file(app: &AppHandle, path: &Path) -> Result<LetterCheck, IpcError> {
    let bytes = std::fs::read(path).map_err(|e| {
        IpcError::new(
            "io",
            format!(
                "无法读取 {}：{e} / cannot read {}",
                path.display(),
                path.display()
            ),
        )
    })?;
    let anchors = trust::load(&paths::data_dir());
    let verdict = app
        .state::<AppState>()
        .with_store(|s| reviewdesk_engine::register::verdict(Some(s), &bytes, &anchors))?;
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

/// Verify the copy of a registered letter kept in the letters folder (the
/// file that is printed or handed out): a changed or damaged copy fails.
#[tauri::command]
pub async fn verify_issued_letter(app: AppHandle, number: String) -> Result<LetterCheck, IpcError> {
    blocking(move || check_file(&app, &letter_path(&number))).await
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
    fn a_letter_file_is_named_by_its_number_and_only_pdfs_are_letters() {
        let p = letter_path("渝中大数据发〔2026〕12号");
        assert_eq!(
            p.file_name().and_then(|n| n.to_str()),
            Some("渝中大数据发〔2026〕12号.pdf")
        );
        assert!(p.starts_with(files::letters_dir(&paths::data_dir())));
        let odd = letter_path("a/b\\c:d");
        assert_eq!(
            odd.file_name().and_then(|n| n.to_str()),
            Some("a_b_c_d.pdf")
        );
        assert!(is_letter(Path::new("/x/y.PDF")));
        assert!(!is_letter(Path::new("/x/y.xlsx")));
        assert!(!is_letter(Path::new("/x/pdf")));
    }
}

/// The bureau's seal image as configured (none: letters carry the demo seal).
#[tauri::command]
pub async fn seal_info(
    app: AppHandle,
) -> Result<Option<reviewdesk_engine::register::bureau_seal::SealInfo>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| reviewdesk_engine::register::bureau_seal::info(s))
    })
    .await
}

/// Choose the bureau's seal image (PNG, transparent background) in the
/// native dialog and keep it in the store (audited). `None`: dialog closed.
#[tauri::command]
pub async fn choose_seal_image(
    app: AppHandle,
    reviewer_name: String,
) -> Result<Option<reviewdesk_engine::register::bureau_seal::SealInfo>, IpcError> {
    let who = reviewer_name.trim().chars().take(40).collect::<String>();
    let actor = reviewdesk_engine::store::Actor::new(if who.is_empty() {
        "评审工作台"
    } else {
        &who
    });
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择印章图像 / Choose the seal image")
            .add_filter("PNG", &["png"])
            .blocking_pick_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        let meta = std::fs::metadata(&path)
            .map_err(|e| IpcError::new("io", format!("{}: {e}", path.display())))?;
        if meta.len() > reviewdesk_engine::letters::pdf::SEAL_MAX_BYTES as u64 {
            return Err(IpcError::new(
                "invalid",
                "印章图像超过 2 MB / the seal image is larger than 2 MB",
            ));
        }
        let png = std::fs::read(&path)
            .map_err(|e| IpcError::new("io", format!("{}: {e}", path.display())))?;
        let info = app
            .state::<AppState>()
            .with_store(|s| reviewdesk_engine::register::bureau_seal::set(s, &actor, &png))?;
        Ok(Some(info))
    })
    .await
}
