//! The store's lock: status, unlock (or create, or encrypt), passphrase
//! change and backups. Passphrases arrive as strings from the web view, are
//! wrapped for zeroising at once, and are never stored or logged.

use reviewdesk_engine::store::{self, crypt, Actor, Secret};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use zeroize::Zeroizing;

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

/// Longest passphrase or recovery key accepted over IPC.
const MAX_SECRET_CHARS: usize = 1024;
/// Backup generations kept by the app's automatic and manual backups.
pub const KEEP_BACKUPS: usize = 10;

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StoreStatus {
    /// "missing" (first start), "plain" (to be encrypted) or "encrypted".
    state: crypt::StoreKind,
    unlocked: bool,
    db_path: String,
    min_passphrase_chars: usize,
}

#[tauri::command]
pub async fn store_status(app: AppHandle) -> Result<StoreStatus, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        Ok(StoreStatus {
            state: crypt::inspect(&state.db_path)?,
            unlocked: state.is_unlocked(),
            db_path: state.db_path.display().to_string(),
            min_passphrase_chars: crypt::MIN_PASSPHRASE_CHARS,
        })
    })
    .await
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UnlockResult {
    /// Shown once (a new store, or a plain store just encrypted).
    recovery_key: Option<String>,
    encrypted_now: bool,
    backups_encrypted: usize,
    quick_check: String,
    /// Shown after unlocking: the store is on a removable drive.
    location_warning: Option<String>,
}

fn secret_arg(what: &str, s: String) -> Result<Zeroizing<String>, IpcError> {
    let s = Zeroizing::new(s);
    if s.is_empty() {
        return Err(IpcError::new(
            "invalid",
            format!("请输入{what} / enter the {what}"),
        ));
    }
    if s.chars().count() > MAX_SECRET_CHARS {
        return Err(IpcError::new(
            "invalid",
            format!("{what}过长 / the {what} is too long"),
        ));
    }
    Ok(s)
}

/// Unlock with the passphrase or the recovery key (exactly one). On a first
/// start the passphrase creates the store; a plain store is encrypted.
#[tauri::command]
pub async fn unlock_store(
    app: AppHandle,
    passphrase: Option<String>,
    recovery_key: Option<String>,
) -> Result<UnlockResult, IpcError> {
    let secret = match (passphrase, recovery_key) {
        (Some(p), None) => Secret::Passphrase(secret_arg("口令 passphrase", p)?),
        (None, Some(r)) => Secret::RecoveryKey(secret_arg("恢复密钥 recovery key", r)?),
        _ => {
            return Err(IpcError::new(
                "invalid",
                "请只输入口令或恢复密钥之一 / give either the passphrase or the recovery key",
            ))
        }
    };
    blocking(move || {
        let state = app.state::<AppState>();
        let info = state.unlock(&secret)?;
        Ok(match info {
            Some(i) => UnlockResult {
                recovery_key: i.recovery_key.map(|k| k.as_str().to_string()),
                encrypted_now: i.encrypted_now,
                backups_encrypted: i.backups_encrypted,
                quick_check: i.quick_check,
                location_warning: i.location_warning,
            },
            None => UnlockResult {
                recovery_key: None,
                encrypted_now: false,
                backups_encrypted: 0,
                quick_check: "ok".into(),
                location_warning: None,
            },
        })
    })
    .await
}

/// Re-wrap the data key under a new passphrase (the current one, or the
/// recovery key, proves the right).
#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: Option<String>,
    recovery_key: Option<String>,
    new_passphrase: String,
) -> Result<(), IpcError> {
    let proof =
        match (current, recovery_key) {
            (Some(p), None) => Secret::Passphrase(secret_arg("当前口令 current passphrase", p)?),
            (None, Some(r)) => Secret::RecoveryKey(secret_arg("恢复密钥 recovery key", r)?),
            _ => return Err(IpcError::new(
                "invalid",
                "请输入当前口令或恢复密钥之一 / give the current passphrase or the recovery key",
            )),
        };
    let new_passphrase = secret_arg("新口令 new passphrase", new_passphrase)?;
    let db = state.db_path.clone();
    tauri::async_runtime::spawn_blocking(move || {
        crypt::change_passphrase_with_backups(&db, &proof, &new_passphrase)
            .map(|_| ())
            .map_err(IpcError::from)
    })
    .await
    .map_err(|e| IpcError::new("internal", e.to_string()))?
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupResult {
    path: String,
}

/// Back up now: online backup, fsync, rename, checked; generations kept.
#[tauri::command]
pub async fn backup_now(app: AppHandle) -> Result<BackupResult, IpcError> {
    let actor = app.state::<AppState>().actor()?;
    blocking(move || {
        let state = app.state::<AppState>();
        let dir = store::backups_dir(&state.db_path);
        let path = state.with_store(|s| s.backup_generation(&dir, &actor, KEEP_BACKUPS))?;
        Ok(BackupResult {
            path: path.display().to_string(),
        })
    })
    .await
}

/// Days between full checks of the store.
pub const FULL_CHECK_EVERY_DAYS: i64 = 7;

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HealthResult {
    /// Whether the full check ran now (it runs weekly).
    ran: bool,
    report: Option<store::CheckReport>,
}

/// The weekly full check (integrity_check, foreign_key_check,
/// cipher_integrity_check, the audit chain), run in the background after
/// unlocking when a week has passed; its verdict goes into the audit trail.
#[tauri::command]
pub async fn store_health(app: AppHandle) -> Result<HealthResult, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        state.with_store(|s| {
            if !s.full_check_due(FULL_CHECK_EVERY_DAYS)? {
                return Ok(HealthResult {
                    ran: false,
                    report: None,
                });
            }
            let report = s.run_full_check(&Actor::new("评审工作台（每周检查）"))?;
            Ok(HealthResult {
                ran: true,
                report: Some(report),
            })
        })
    })
    .await
}
