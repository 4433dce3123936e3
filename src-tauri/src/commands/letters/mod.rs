//! Letters: the seal certificate, previews, issuing sealed letters from
//! approved decisions, the register, opening a letter with the system viewer
//! and verifying a letter (dialog or dropped on the window). The engine
//! builds, signs, records and verifies; these commands keep files and map
//! errors. The seal's password arrives with the command that needs it and
//! is dropped when the command ends.
//!
//! One file per concern: `certificate` (the seal certificate and the
//! bureau's seal image), `preview`, `register` (issue, batch issue, the
//! register, delivery, voiding), `viewer` (open and print), `verify`.
//! The helpers they share (the letter writer, where letter files go) are here.
//!
//! Letters live in the encrypted store; a file is written only when a person
//! opens, prints or verifies one, into this session's temporary folder
//! ([`SESSION`], 0700, files 0600), removed when the app closes; the folders
//! of earlier sessions whose process is gone are swept at start.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use reviewdesk_engine::letters::LetterWriter;
use reviewdesk_engine::register::files;
use reviewdesk_engine::register::seal::WriterCache;
use tauri::{AppHandle, Manager};

use crate::error::IpcError;
use crate::state::AppState;

mod certificate;
mod preview;
mod register;
mod verify;
mod viewer;

pub use certificate::*;
pub use preview::*;
pub use register::*;
pub use verify::*;
pub use viewer::*;

/// Fonts are parsed once per session (hundreds of ms per face), on first use;
/// the writer is made again only when the bureau's seal image changes.
static WRITERS: WriterCache = WriterCache::new();

/// The letter writer, with the bureau's seal image when one is configured
/// (else the demo seal, 测试样章): the engine's choice (`register::seal`).
pub(crate) fn writer(app: &AppHandle) -> Result<Arc<LetterWriter>, IpcError> {
    let seal = app
        .state::<AppState>()
        .with_store(|s| reviewdesk_engine::register::bureau_seal::get(s))?;
    Ok(WRITERS.get(seal)?)
}

/// The seal's PKCS#12 file chosen in the native dialog, waiting for its password.
static CHOSEN_P12: Mutex<Option<PathBuf>> = Mutex::new(None);

/// This session's temporary letters folder: made at first use, removed by
/// [`end_session`] when the app closes.
static SESSION: files::Session = files::Session::new();

/// Letter `number`'s bytes in its file in the session's folder (written
/// again when missing or different). Returns the file.
fn write_letter(number: &str, pdf: &[u8]) -> Result<PathBuf, IpcError> {
    Ok(files::write_letter_in(&SESSION.dir()?, number, pdf)?)
}

/// The session's temporary folder (print copies, the sample round's
/// workbooks on their way into the store).
pub(crate) fn session_dir() -> Result<PathBuf, IpcError> {
    Ok(SESSION.dir()?)
}

/// At start: remove the temporary letters folders of earlier sessions whose
/// process is gone (a crash or a kill left them).
pub fn sweep_sessions() {
    for d in files::sweep(&files::temp_base()) {
        eprintln!(
            "已删除上次会话的临时决定书文件夹 / removed an earlier session's letters folder: {}",
            d.display()
        );
    }
}

/// When the app closes: remove this session's temporary letters folder.
pub fn end_session() {
    if let Err(e) = SESSION.remove() {
        eprintln!("{e}");
    }
}

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
