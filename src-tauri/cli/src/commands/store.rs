//! The store itself: backups, restore, the passphrase, the check.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reviewdesk_engine::people::Identity;
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::EngineError;

use crate::{print_json, unlock};

/// `reviewdesk backup [--dir DIR] [--keep N]`: a checked generation.
pub(crate) fn backup(
    db: PathBuf,
    actor: Actor,
    dir: Option<&Path>,
    keep: &usize,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let mut store = unlock::open_store(&db)?;
    let dir = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| reviewdesk_engine::store::backups_dir(&db));
    let dest = store.backup_generation(&dir, &actor, *keep)?;
    if json {
        print_json(
            &serde_json::json!({ "backup": dest.display().to_string(), "path": dest.display().to_string() }),
        )?;
    }
    eprintln!("已备份并校验 / backed up and checked: {}", dest.display());
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk restore BACKUP`: the backup replaces the store once it
/// passes its checks, as the acting person's signed act (an administrator
/// on a store with a roster).
pub(crate) fn restore(
    db: PathBuf,
    who: Identity,
    backup: &Path,
    reason: Option<&str>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let secret = unlock::secret_for_backup(backup)?;
    let report =
        reviewdesk_engine::people::restore::restore(backup, &db, secret.as_ref(), reason, &who)?;
    if json {
        let mut out = serde_json::to_value(&report)
            .map_err(|e| EngineError::Invalid(format!("JSON output: {e}")))?;
        out["restored_by"] = serde_json::json!({
            "holder": who.holder(), "fingerprint": who.fingerprint(),
        });
        print_json(&out)?;
    }
    eprintln!(
        "{} 已从 {} 恢复；{} / restored by {}",
        who.holder(),
        backup.display(),
        report.audit.message,
        who.holder()
    );
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk passphrase`: the data key re-wrapped under a new passphrase.
pub(crate) fn passphrase(db: PathBuf) -> Result<ExitCode, EngineError> {
    unlock::change(&db)?;
    eprintln!("口令已更改 / passphrase changed: {}", db.display());
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk check`: integrity, foreign keys, cipher pages, the audit chain.
pub(crate) fn check(db: PathBuf, json: bool) -> Result<ExitCode, EngineError> {
    let store = unlock::open_store(&db)?;
    let r = store.check()?;
    if json {
        print_json(&r)?;
    }
    eprintln!(
        "完整性 integrity: {}；外键问题 foreign-key problems: {}；{}；{}",
        r.integrity,
        r.foreign_key_problems,
        if r.encrypted {
            format!(
                "已加密，密文页校验问题 cipher problems: {}",
                r.cipher_problems
            )
        } else {
            "未加密 NOT encrypted".to_string()
        },
        r.audit.message
    );
    if !r.ok {
        let way = store.way_back();
        eprintln!("{} / {}", way.advice_zh(), way.advice_en());
    }
    Ok(if r.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
