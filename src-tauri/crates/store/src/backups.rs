//! Backups: the online backup API into a checked copy, generations kept in
//! `backups/`, and restoring one after it passes its checks.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::crypt::{self, key_path, DataKey, Secret};
use crate::{io_err, sibling, Actor, CheckReport, EngineError, How, Result, Store};

/// The folder that keeps the generations of backups of the store at `db`.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// The backup generations in `dir` (`reviewdesk-<time>.db`), oldest first
/// (the time in the name sorts as the time).
pub(crate) fn generations(dir: &Path) -> Vec<PathBuf> {
    let mut gens: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("reviewdesk-") && n.ends_with(".db"))
                })
                .collect()
        })
        .unwrap_or_default();
    gens.sort();
    gens
}

impl Store {
    /// Copy the live store into `dest` with SQLite's online backup API
    /// (an encrypted store into a copy encrypted with the same key), written
    /// to a temporary file, fsynced, renamed.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let tmp = sibling(dest, ".partial");
        let _ = std::fs::remove_file(&tmp);
        let written = (|| {
            let mut out = Connection::open(&tmp)?;
            if let Some(k) = &self.key {
                out.execute_batch(k.pragma(None).as_str())?;
            }
            let b = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(0), None)?;
            drop(b);
            drop(out);
            crate::files::make_private(&tmp)?;
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| io_err(&tmp, e))
        })();
        if let Err(e) = written {
            // Nothing half-written is left behind under any name.
            let _ = std::fs::remove_file(&tmp);
            let _ = std::fs::remove_file(sibling(&tmp, "-journal"));
            return Err(e);
        }
        // The copy opens with the same key file (the data key never changes).
        // The key file goes first, fsynced: a backup under its final name
        // always has its key beside it, even after a crash in between.
        if self.key.is_some() {
            let kf = key_path(&self.path);
            let bytes = std::fs::read(&kf).map_err(|e| io_err(&kf, e))?;
            crate::files::write_atomic(&sibling(dest, ".key"), &bytes)?;
        }
        std::fs::rename(&tmp, dest).map_err(|e| io_err(dest, e))?;
        crate::files::sync_dir(dest);
        Ok(())
    }

    /// Write the backup to `dest` and check the copy; a copy that fails its
    /// check, or cannot be written, is removed with its key file.
    fn copy_and_check(&self, dest: &Path) -> Result<()> {
        let result = self.backup_to(dest).and_then(|()| {
            let copy =
                Store::open_inner(dest, self.key.as_ref().map(DataKey::duplicate), How::Copy)?;
            let report = copy.check()?;
            drop(copy);
            let _ = std::fs::remove_file(sibling(dest, "-wal"));
            if report.ok {
                Ok(())
            } else {
                Err(EngineError::Store(format!(
                    "备份校验失败，已删除该备份：{} / the backup failed its check and was removed",
                    report.integrity
                )))
            }
        });
        if result.is_err() {
            let _ = std::fs::remove_file(dest);
            let _ = std::fs::remove_file(sibling(dest, "-wal"));
            let _ = std::fs::remove_file(sibling(dest, ".key"));
        }
        result
    }

    /// Back up into `dir` as `reviewdesk-<time>.db` (online backup API, temp
    /// file, fsync, rename), check the copy, and keep the newest `keep`
    /// generations. The backup is recorded in the audit trail first, so the
    /// copy contains its own entry; a backup that fails adds a
    /// `store.backup.failed` entry with the reason.
    pub fn backup_generation(&mut self, dir: &Path, actor: &Actor, keep: usize) -> Result<PathBuf> {
        crate::files::private_dir(dir)?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f").to_string();
        let dest = dir.join(format!("reviewdesk-{stamp}.db"));
        self.change(actor, "store.backup", "store", |_| {
            Ok((
                (),
                serde_json::json!({ "file": dest.display().to_string() }),
            ))
        })?;
        if let Err(e) = self.copy_and_check(&dest) {
            // The trail already says a backup was made to `dest`; say that it
            // failed and why, so it never claims a copy that does not exist.
            // Best effort: on a full disk this entry may not fit either, and
            // the first error is the one the user needs.
            let reason = e.to_string();
            let _ = self.change(actor, "store.backup.failed", "store", |_| {
                Ok((
                    (),
                    serde_json::json!({ "file": dest.display().to_string(), "reason": reason }),
                ))
            });
            return Err(e);
        }
        let mut gens = generations(dir);
        while gens.len() > keep.max(1) {
            let old = gens.remove(0);
            let _ = std::fs::remove_file(sibling(&old, ".key"));
            let _ = std::fs::remove_file(&old);
        }
        Ok(dest)
    }
}

#[cfg(test)]
thread_local! {
    /// Tests: `restore_checked` stops right after its rename, as a kill there
    /// would stop it.
    pub(crate) static KILL_AFTER_SWAP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Replace the store at `live` with `backup` after the backup passes its
/// checks. Fails (and changes nothing) when the backup is damaged, cannot be
/// unlocked, or the live store is open elsewhere.
///
/// An encrypted backup is unlocked with `secret` through the live store's key
/// file, or the key file kept beside the backup when the live one is lost (it
/// is then put back beside the live store).
///
/// Recorded as the workstation's act: a person's restore is
/// [`restore_checked`] with their signed actor and the roster's check
/// (the engine's `people::restore`).
pub fn restore(backup: &Path, live: &Path, secret: Option<&Secret>) -> Result<CheckReport> {
    restore_checked(
        backup,
        live,
        secret,
        None,
        &Actor::new("system"),
        &|_: &Connection| Ok(()),
    )
}

/// What a store knows of itself for a restore: its identity (the first
/// audit entry's hash) and the highest register number issued per year
/// (with the floor a previous restore left).
fn register_marks(conn: &rusqlite::Connection) -> Result<(String, Vec<(i64, i64)>)> {
    let id = super::audit::head(conn)?.store_id;
    let mut st = conn.prepare(
        "SELECT year, MAX(seq) FROM (
           SELECT year, seq FROM register
           UNION ALL
           SELECT CAST(substr(key, 16) AS INTEGER), CAST(value AS INTEGER) FROM meta
            WHERE key LIKE 'register_floor:%')
         GROUP BY year ORDER BY year",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    Ok((id, rows.collect::<std::result::Result<_, _>>()?))
}

/// A restore that knows the register: a backup of another store (another
/// identity) is refused (`other_store`); a backup that would put the
/// register behind numbers the live store has issued is refused
/// (`register_rollback`) unless `rollback_reason` says why, and then the
/// restored store keeps the live store's highest numbers as a floor, so no
/// number is ever issued twice. Every restore is audited in the restored
/// store, as `actor`'s act: a person signs the entry. The floors and the
/// entry are written into the copy (`<live>.restoring`, opened with the
/// store's key), which is folded into one file and fsynced, and the key
/// file is put back when the live one is lost, all before the copy is
/// renamed over the live store; nothing is written after that rename, so a
/// kill at any moment leaves the live store as it was or the restored
/// store whole, floors and entry included.
///
/// `allowed` says whether `actor` may restore, asked of the backup and of
/// the live store when it still opens (the engine asks the roster for the
/// admin role); a refusal changes nothing. So does a person's key that
/// cannot sign: it signs a probe before anything is copied.
pub fn restore_checked(
    backup: &Path,
    live: &Path,
    secret: Option<&Secret>,
    rollback_reason: Option<&str>,
    actor: &Actor,
    allowed: &dyn Fn(&Connection) -> Result<()>,
) -> Result<CheckReport> {
    // Never open (and so create) a backup that is not there: an empty new
    // store would pass its checks and replace the live one.
    if !backup.is_file() {
        return Err(EngineError::Io {
            path: backup.display().to_string(),
            reason: "备份文件不存在，未恢复 / no such backup file; nothing restored".into(),
        });
    }
    let backup_plain = crypt::has_plain_header(backup);
    let live_key = key_path(live);
    let key: Option<DataKey> = if backup_plain {
        if live_key.exists() {
            return Err(EngineError::Invalid(
                "这是未加密的备份，不能恢复到已加密的数据库 / this backup is not encrypted and cannot replace an encrypted store".into(),
            ));
        }
        None
    } else {
        let kf = if live_key.exists() {
            live_key.clone()
        } else {
            sibling(backup, ".key")
        };
        if !kf.exists() {
            return Err(EngineError::Store(format!(
                "找不到解开该备份的密钥文件（{}）/ no key file to open this backup",
                kf.display()
            )));
        }
        let secret = secret.ok_or_else(|| EngineError::PassphraseRequired {
            path: backup.display().to_string(),
        })?;
        Some(crypt::unwrap_key(&kf, secret)?)
    };
    // damage found in the backup is the backup's, not the live store's
    let backup_damage = |e: EngineError| match e {
        EngineError::Damaged(m) => EngineError::coded(
            "backup_damaged",
            format!("备份 {} 已损坏，未恢复（{m}）", backup.display()),
            format!(
                "the backup {} is damaged; nothing restored ({m})",
                backup.display()
            ),
        ),
        other => other,
    };
    let (report, backup_marks) = {
        let b = match Store::open_inner(backup, key.as_ref().map(DataKey::duplicate), How::Copy) {
            Ok(b) => b,
            // the live store's key does not open it: another store's backup
            Err(EngineError::Damaged(m) | EngineError::Store(m)) if live_key.exists() => {
                return Err(EngineError::coded(
                    "other_store",
                    format!("{} 不能用本数据库的密钥打开：它是另一个数据库的备份（或已损坏），未恢复（{m}）", backup.display()),
                    format!("{} does not open with this store's key: it is a backup of another store (or damaged); nothing restored ({m})", backup.display()),
                ))
            }
            Err(e) => return Err(backup_damage(e)),
        };
        allowed(b.conn())?;
        (
            b.check().map_err(backup_damage)?,
            register_marks(b.conn()).map_err(backup_damage)?,
        )
    };
    if !report.ok {
        return Err(EngineError::Store(format!(
            "备份未通过校验，未恢复：{}；{} / the backup failed its check; nothing restored",
            report.integrity, report.audit.message
        )));
    }
    let mut floors: Vec<(i64, i64)> = Vec::new();
    if live.exists() {
        // Nobody else may be using the live store; a damaged one is exactly
        // what a restore replaces.
        match Store::open_inner(live, key.as_ref().map(DataKey::duplicate), How::Copy) {
            Ok(s) => {
                allowed(s.conn())?;
                let (live_id, live_marks) = register_marks(s.conn())?;
                drop(s);
                if live_id != backup_marks.0 {
                    return Err(EngineError::coded(
                        "other_store",
                        format!(
                            "{} 是另一个数据库的备份（标识不同），未恢复",
                            backup.display()
                        ),
                        format!(
                            "{} is a backup of another store (another identity); nothing restored",
                            backup.display()
                        ),
                    ));
                }
                for (year, high) in live_marks {
                    let had = backup_marks
                        .1
                        .iter()
                        .find(|(y, _)| *y == year)
                        .map_or(0, |m| m.1);
                    if had < high {
                        floors.push((year, high));
                    }
                }
                if let (Some(&(year, high)), None) = (floors.first(), rollback_reason) {
                    return Err(EngineError::coded(
                        "register_rollback",
                        format!("该备份早于已出具的文号（{year} 年已出具到第 {high} 号）：恢复会使登记簿倒退，未恢复；确需恢复请由管理员写明原因（--reason）"),
                        format!("this backup predates letters already issued ({year}: up to number {high}); restoring would roll the register back; nothing restored (an administrator may give --reason)"),
                    ));
                }
            }
            Err(e @ EngineError::StoreLocked { .. }) => return Err(e),
            Err(_) => {}
        }
    }
    if let Some(key) = actor.key() {
        key.sign(b"reviewdesk-restore-probe").map_err(|e| {
            EngineError::coded(
                "sign_failed",
                format!("无法签署本次恢复（证书或 UKey 不可用），未恢复：{e}"),
                format!("cannot sign this restore (the certificate or token is not available); nothing restored: {e}"),
            )
        })?;
    }
    // Everything the restored store must hold goes into the copy before it
    // takes the live store's name: the floors that keep numbering above
    // every number ever issued and the restore's own (signed) entry, in one
    // transaction, folded into the one file and fsynced. A kill at any
    // moment leaves either the live store as it was or the restored store
    // whole; nothing is written after the swap.
    let tmp = sibling(live, ".restoring");
    let discard = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sibling(&tmp, suffix));
        }
    };
    // a killed restore's leftovers: a stale -wal or hot -journal beside the
    // name would be replayed into the new copy (pages of another backup)
    discard();
    let prepared = (|| -> Result<()> {
        std::fs::copy(backup, &tmp).map_err(|e| io_err(&tmp, e))?;
        crate::files::make_private(&tmp)?;
        // the copy opens with the store's data key (the backup's, the same
        // key: it never changes)
        let mut copy = Store::open_inner(&tmp, key.as_ref().map(DataKey::duplicate), How::Copy)?;
        let detail = serde_json::json!({
            "backup": backup.display().to_string(), "floors": floors, "reason": rollback_reason,
        });
        copy.change(actor, "store.restore", "store", |tx| {
            for (year, high) in &floors {
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), excluded.value)",
                    rusqlite::params![format!("register_floor:{year}"), high.to_string()],
                )?;
            }
            Ok(((), detail))
        })?;
        copy.close_into_one_file()?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_err(&tmp, e))?;
        // The key file before the store, fsynced (as `backup_to` does): the
        // restored store under its final name always has its key beside it.
        if key.is_some() && !live_key.exists() {
            let from = sibling(backup, ".key");
            let bytes = std::fs::read(&from).map_err(|e| io_err(&from, e))?;
            crate::files::write_atomic(&live_key, &bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = prepared {
        discard();
        return Err(e);
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(live, suffix));
    }
    std::fs::rename(&tmp, live).map_err(|e| io_err(live, e))?;
    crate::files::sync_dir(live);
    #[cfg(test)]
    if KILL_AFTER_SWAP.with(std::cell::Cell::get) {
        return Err(EngineError::Store(
            "killed right after the swap (test)".into(),
        ));
    }
    Ok(report)
}
