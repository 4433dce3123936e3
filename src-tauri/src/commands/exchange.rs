//! 设置 › 协作 / Collaboration: where this store stands in a round's
//! exchange, and packages exported (native save dialog) and imported (open
//! dialog). Every rule — who may export, what a package carries, the whole
//! check before anything is written, conflicts — is the engine's
//! (`exchange::package`); this file only asks the dialogs and the person.

use std::path::PathBuf;

use reviewdesk_engine::exchange::package::{self, ExchangeStatus, PackageExport, PackageReport};
use reviewdesk_engine::people::roster;
use reviewdesk_engine::EngineError;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

/// Where this store stands in round `year`'s exchange.
#[tauri::command]
pub async fn exchange_status(app: AppHandle, year: i32) -> Result<ExchangeStatus, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| package::status(s.conn(), year))
    })
    .await
}

/// Export a package of round `year` where the person chooses: at the
/// round's home, the round package for the roster people `to`
/// (fingerprints); elsewhere (`to` empty) the review package for the home.
#[tauri::command]
pub async fn export_package_with_dialog(
    app: AppHandle,
    year: i32,
    to: Vec<String>,
) -> Result<Option<PackageExport>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let who = state.person()?;
        let certs = state.with_store(|s| {
            to.iter()
                .map(|fp| {
                    roster::certificate(s.conn(), fp)?.ok_or_else(|| {
                        EngineError::coded(
                            "not_on_roster",
                            format!("名册上没有 {fp}"),
                            format!("{fp} is not on the roster"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
        let kind = if certs.is_empty() { "review" } else { "round" };
        let picked = app
            .dialog()
            .file()
            .set_title("保存评审包 / Save the package")
            .set_file_name(format!("{year}-{kind}.rdpkg"))
            .add_filter("评审包 Package (.rdpkg)", &["rdpkg"])
            .blocking_save_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        state
            .with_store(|s| {
                if certs.is_empty() {
                    package::export_review(s, &who, year, &path)
                } else {
                    package::export_round(s, &who, year, &certs, &path)
                }
            })
            .map(Some)
    })
    .await
}

/// Import a package chosen in the open dialog, opened with the signed-in
/// person's key (`password`: their certificate's, used once, not kept).
/// A refused package comes back with `refused` set and nothing changed.
#[tauri::command]
pub async fn import_package_with_dialog(
    app: AppHandle,
    password: String,
) -> Result<Option<PackageReport>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let who = state.person()?;
        let source = who.source().to_string();
        if source.starts_with("pkcs11:") {
            return Err(IpcError::new(
                "package_key_token",
                "用 UKey 解开评审包尚不支持：请用 .p12 证书登录 / opening a package with a token's key is not supported yet: sign in with a .p12",
            ));
        }
        let p12 = std::fs::read(&source).map_err(|e| {
            IpcError::new("io", format!("无法读取证书 {source}：{e} / cannot read the identity"))
        })?;
        let key = reviewdesk_engine::letters::import_pkcs12(&p12, &password)
            .and_then(|s| s.private_key())
            .map_err(|e| IpcError::from(reviewdesk_engine::letter_error(e)))?;
        drop(password);
        let picked = app
            .dialog()
            .file()
            .set_title("选择评审包 / Choose a package")
            .add_filter("评审包 Package (.rdpkg)", &["rdpkg"])
            .blocking_pick_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        let path: PathBuf = path;
        let bytes = std::fs::read(&path).map_err(|e| {
            IpcError::new("io", format!("无法读取 {}：{e} / cannot read the package", path.display()))
        })?;
        let actor = who.actor();
        let parser = &state.parser;
        state
            .with_store(|s| {
                let mut workbooks = |s: &mut reviewdesk_engine::store::Store,
                                     files: &[(PathBuf, Option<String>, Option<String>)]| {
                    package::import_received(s, parser, &actor, files)
                };
                package::import(s, &who, &key, &bytes, None, &mut workbooks)
            })
            .map(Some)
    })
    .await
}
