//! A damaged store and the way back: every message about a damaged store
//! names the newest backup that opens and passes its checks (integrity,
//! foreign keys, cipher pages, the audit chain) and the command that
//! restores it, or says that no backup does.
//!
//! SQLite finds the damage (a malformed page, a file shorter than its
//! header says, not a database, not one this key decrypts) and the store
//! reports it as [`EngineError::Damaged`]; opening the live store turns that
//! into the `store_damaged` refusal with the way back ([`damaged`]), and a
//! shell that meets the raw form later (a page found damaged mid-query)
//! calls [`damaged_at`]. Looking for the way back writes nothing: the
//! backups are opened without migrating them, the damaged store not at all.

use std::path::{Path, PathBuf};

use crate::backups::generations;
use crate::crypt::{self, key_path, DataKey, Secret};
use crate::error::split_bilingual;
use crate::{backups_dir, EngineError, How, Store};

/// What a person can do about a damaged store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WayBack {
    /// The damaged store.
    pub db: PathBuf,
    /// Its backups folder.
    pub backups: PathBuf,
    /// The newest backup that opens and passes its checks.
    pub backup: Option<PathBuf>,
    /// The backups are encrypted and no key was at hand to check them.
    pub unchecked: bool,
}

/// The newest generation in the backups folder of the store at `db` that
/// opens with `key` (the backups of an encrypted store share its data key)
/// and passes [`Store::check`]; `None` when none does.
pub fn newest_good_backup(db: &Path, key: Option<&DataKey>) -> Option<PathBuf> {
    generations(&backups_dir(db))
        .into_iter()
        .rev()
        .find(|b| passes(b, key))
}

fn passes(backup: &Path, key: Option<&DataKey>) -> bool {
    // an empty file would open as a new, empty store; a plain backup cannot
    // replace an encrypted store, nor an encrypted one a plain store
    let big_enough = std::fs::metadata(backup).is_ok_and(|m| m.is_file() && m.len() >= 512);
    if !big_enough || crypt::has_plain_header(backup) == key.is_some() {
        return false;
    }
    Store::open_inner(backup, key.map(DataKey::duplicate), How::Inspect)
        .and_then(|s| s.check())
        .is_ok_and(|r| r.ok)
}

impl WayBack {
    /// Looks for the way back for the store at `db`, whose data key is
    /// `key` (`None` for a plain store, or when the key could not be had).
    pub fn find(db: &Path, key: Option<&DataKey>) -> WayBack {
        let encrypted = key.is_some() || key_path(db).exists();
        let unchecked = encrypted && key.is_none();
        WayBack {
            db: db.to_path_buf(),
            backups: backups_dir(db),
            backup: if unchecked {
                None
            } else {
                newest_good_backup(db, key)
            },
            unchecked,
        }
    }

    /// The command that restores the backup, as the command line takes it.
    pub fn command(&self) -> Option<String> {
        self.backup.as_ref().map(|b| {
            format!(
                "reviewdesk --db {} --identity <you.p12> restore {} --reason \"…\"",
                shell_word(&self.db),
                shell_word(b)
            )
        })
    }

    /// What to do, in Chinese.
    pub fn advice_zh(&self) -> String {
        match (&self.backup, self.command()) {
            (Some(b), Some(cmd)) => format!(
                "最新的完好备份是 {}（能打开，并通过完整性和审计链校验）。由管理员恢复：{cmd}",
                b.display()
            ),
            _ if self.unchecked => format!(
                "没有口令，无法校验备份文件夹 {} 中的加密备份：请设置 REVIEWDESK_PASSPHRASE 后再运行一次，它会指出最新的完好备份；请保留损坏的文件",
                self.backups.display()
            ),
            _ => format!(
                "备份文件夹 {} 中没有能打开并通过校验的备份：请保留损坏的文件，并联系管理员",
                self.backups.display()
            ),
        }
    }

    /// What to do, in English.
    pub fn advice_en(&self) -> String {
        match (&self.backup, self.command()) {
            (Some(b), Some(cmd)) => format!(
                "The newest good backup is {} (it opens and passes its integrity and audit-chain checks); an administrator restores it with: {cmd}",
                b.display()
            ),
            _ if self.unchecked => format!(
                "The encrypted backups in {} cannot be checked without the passphrase: run again with REVIEWDESK_PASSPHRASE set to have the newest good one named; keep the damaged file",
                self.backups.display()
            ),
            _ => format!(
                "No backup in {} opens and passes its checks: keep the damaged file and ask the administrator",
                self.backups.display()
            ),
        }
    }

    /// The `store_damaged` refusal: what SQLite found (`cause`, one
    /// language or `中文 / English`) and the way back.
    pub fn error(&self, cause: &str) -> EngineError {
        let (zh, en) = split_bilingual(cause);
        EngineError::coded(
            "store_damaged",
            format!(
                "数据库 {} 已损坏（{zh}），本次没有写入任何内容。{}",
                self.db.display(),
                self.advice_zh()
            ),
            format!(
                "the store {} is damaged ({en}); nothing was written. {}",
                self.db.display(),
                self.advice_en()
            ),
        )
    }
}

/// The `store_damaged` refusal for the store at `db` with its data key in
/// hand (`None` for a plain store).
pub fn damaged(db: &Path, key: Option<&DataKey>, cause: &str) -> EngineError {
    WayBack::find(db, key).error(cause)
}

/// The same for a shell that holds no open store: the key is unwrapped
/// from the store's key file with `secret` when there is one.
pub fn damaged_at(db: &Path, secret: Option<&Secret>, cause: &str) -> EngineError {
    let key = secret.and_then(|s| crypt::unwrap_key(&key_path(db), s).ok());
    damaged(db, key.as_ref(), cause)
}

/// `e` with the way back named when it is the raw [`EngineError::Damaged`]
/// of the store at `db`; any other error as it is.
pub fn name_the_way_back(e: EngineError, db: &Path, secret: Option<&Secret>) -> EngineError {
    match e {
        EngineError::Damaged(cause) => damaged_at(db, secret, &cause),
        other => other,
    }
}

impl Store {
    /// The way back for this store (after a check that failed).
    pub fn way_back(&self) -> WayBack {
        WayBack::find(&self.path, self.key.as_ref())
    }
}

/// A path as one shell word: as it is when it holds only safe characters,
/// else single-quoted.
fn shell_word(p: &Path) -> String {
    let s = p.display().to_string();
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c));
    if safe {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Actor;

    #[test]
    fn a_store_cut_in_half_names_its_newest_good_backup() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("s.db");
        let backups = backups_dir(&db);
        let (older, newer) = {
            let mut s = Store::open(&db).expect("open");
            let older = s
                .backup_generation(&backups, &Actor::new("t"), 5)
                .expect("backup");
            let newer = s
                .backup_generation(&backups, &Actor::new("t"), 5)
                .expect("backup");
            for i in 0..200 {
                s.change(&Actor::new("t"), "t", "t", |tx| {
                    tx.execute(
                        "INSERT INTO blobs(hash, size, bytes) VALUES (?1, 4096, zeroblob(4096))",
                        [format!("h{i}")],
                    )?;
                    Ok(((), serde_json::json!({})))
                })
                .expect("change");
            }
            (older, newer)
        };
        // the newer backup is damaged too: the older one is named
        std::fs::write(&newer, vec![9u8; 8192]).expect("damage backup");
        let bytes = std::fs::read(&db).expect("read");
        std::fs::write(&db, &bytes[..bytes.len() / 2]).expect("cut");
        let cut = std::fs::read(&db).expect("read");
        let e = Store::open(&db).err().expect("a damaged store");
        assert_eq!(e.code(), "store_damaged", "{e}");
        let en = e.message_en();
        assert!(en.contains(&older.display().to_string()), "{en}");
        assert!(en.contains("restore"), "{en}");
        assert!(!en.contains(&newer.display().to_string()), "{en}");
        assert_eq!(std::fs::read(&db).expect("read"), cut, "nothing written");
    }

    #[test]
    fn paths_are_quoted_for_the_shell_when_they_must_be() {
        assert_eq!(shell_word(Path::new("/a/b.db")), "/a/b.db");
        assert_eq!(shell_word(Path::new("/a b/c'd.db")), "'/a b/c'\\''d.db'");
    }
}
