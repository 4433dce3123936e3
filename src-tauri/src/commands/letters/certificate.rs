//! The signing certificate (chosen in the native dialog, imported with its
//! password, or a test one made) and the bureau's seal image.

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::super::blocking;
use super::CHOSEN_P12;
use crate::error::IpcError;
use crate::keystore::{self, CertificateInfo};
use crate::state::AppState;

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
