//! The bureau's seal: its certificate (电子印章, chosen in the native dialog
//! and kept in the encrypted store with the register office's signed act)
//! and its image.

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::super::blocking;
use super::CHOSEN_P12;
use reviewdesk_engine::register::seal_key::{self, SealCertificate};

use crate::error::IpcError;
use crate::state::AppState;

// ---- the seal certificate (电子印章) -----------------------------------------

/// The seal certificate letters are signed with, if the register office
/// has set one.
#[tauri::command]
pub async fn seal_certificate_info(app: AppHandle) -> Result<Option<SealCertificate>, IpcError> {
    blocking(move || app.state::<AppState>().with_store(|s| seal_key::info(s))).await
}

/// Pick the seal's .p12/.pfx file in the native dialog; its name is
/// returned and the path kept here until `import_seal_certificate` brings
/// the password.
#[tauri::command]
pub async fn choose_seal_certificate_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择电子印章证书 / Choose the seal certificate")
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

/// Keep the chosen seal certificate in the store (checked with its
/// password, which is not kept): the register office's signed act; the
/// certificate must chain to a CA the store trusts.
#[tauri::command]
pub async fn import_seal_certificate(
    app: AppHandle,
    password: String,
) -> Result<SealCertificate, IpcError> {
    blocking(move || {
        let path = CHOSEN_P12
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .ok_or_else(|| {
                IpcError::new(
                    "invalid",
                    "请先选择印章证书文件 / choose the seal certificate file first",
                )
            })?;
        let bytes = crate::error::read_file(&path)?;
        let state = app.state::<AppState>();
        let actor = state.actor()?;
        let info = state.with_store(|s| seal_key::set_p12(s, &actor, &bytes, &password))?;
        if let Ok(mut chosen) = CHOSEN_P12.lock() {
            *chosen = None;
        }
        Ok(info)
    })
    .await
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
) -> Result<Option<reviewdesk_engine::register::bureau_seal::SealInfo>, IpcError> {
    let actor = app.state::<AppState>().actor()?;
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
