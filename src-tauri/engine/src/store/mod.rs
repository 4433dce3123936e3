//! The local store: one SQLite file, opened in exactly one place
//! ([`Store::open`]), with WAL, synchronous=FULL, foreign keys, an exclusive
//! lock (a second window gets a clear message), versioned migrations (backed
//! up first; a newer database is refused) and the hash-linked, append-only
//! audit trail. Every change a user makes goes through [`Store::change`]:
//! the change and its audit entry commit in one transaction.

pub mod audit;
mod migrations;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{EngineError, Result};

pub use audit::{AuditEntry, AuditReport};
pub use migrations::SCHEMA_VERSION;

/// An open, locked store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What the acting person is called in the audit trail.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Actor(name.into())
    }
}

impl Store {
    /// Open (creating if needed) the store at `path`. This is the only place
    /// in the code that opens the database.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| EngineError::Io {
                    path: dir.display().to_string(),
                    reason: e.to_string(),
                })?;
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| EngineError::Store(format!("{}: {e}", path.display())))?;
        let locked = |e: rusqlite::Error| -> EngineError {
            if is_busy(&e) {
                EngineError::StoreLocked {
                    path: path.display().to_string(),
                }
            } else if let rusqlite::Error::SqliteFailure(f, _) = &e {
                if f.code == rusqlite::ErrorCode::NotADatabase {
                    EngineError::Store(format!(
                        "{} 不是评审工作台的数据库，或已损坏 / is not a ReviewDesk database or is damaged",
                        path.display()
                    ))
                } else {
                    EngineError::from(e)
                }
            } else {
                EngineError::from(e)
            }
        };
        conn.busy_timeout(Duration::from_millis(300))
            .map_err(locked)?;
        // Exclusive locking: the first write takes the lock and keeps it until
        // the connection closes (the OS releases it after a crash).
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(locked)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(locked)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(locked)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(locked)?;
        // Take the lock now, so a second copy fails at open, not mid-work.
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
            .map_err(locked)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        migrations::migrate(&mut store)?;
        Ok(store)
    }

    /// Where this store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read-only access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run `f` and record `audit` in ONE immediate transaction: either both
    /// commit or neither does.
    pub fn change<T>(
        &mut self,
        actor: &Actor,
        action: &str,
        subject: &str,
        f: impl FnOnce(&Transaction<'_>) -> Result<(T, serde_json::Value)>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (value, detail) = f(&tx)?;
        audit::append(&tx, actor, action, subject, &detail)?;
        tx.commit()?;
        Ok(value)
    }

    /// Start a batch transaction (several changes, each its own savepoint,
    /// one fsync). The caller appends audit entries with [`audit::append`].
    pub fn batch(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Recompute the audit chain.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        audit::verify(&self.conn)
    }

    /// Copy the live store into `dest` with SQLite's online backup API.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let tmp = dest.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        {
            let mut out = Connection::open(&tmp)?;
            let b = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(0), None)?;
        }
        let f = std::fs::File::open(&tmp).map_err(|e| EngineError::Io {
            path: tmp.display().to_string(),
            reason: e.to_string(),
        })?;
        f.sync_all().map_err(|e| EngineError::Io {
            path: tmp.display().to_string(),
            reason: e.to_string(),
        })?;
        std::fs::rename(&tmp, dest).map_err(|e| EngineError::Io {
            path: dest.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(())
    }
}

/// Result of checking a store file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub integrity: String,
    pub foreign_key_problems: u64,
    pub audit: AuditReport,
}

impl Store {
    /// `PRAGMA integrity_check`, `foreign_key_check` and the audit chain.
    pub fn check(&self) -> Result<CheckReport> {
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fk = st.query_map([], |_| Ok(()))?.count() as u64;
        let audit = self.verify_audit()?;
        Ok(CheckReport {
            ok: integrity == "ok" && fk == 0 && audit.ok,
            integrity,
            foreign_key_problems: fk,
            audit,
        })
    }

    /// Back up into `dir` as `reviewdesk-<time>.db` (online backup API, temp
    /// file, fsync, rename), check the copy, and keep the newest `keep`
    /// generations. The backup is recorded in the audit trail first, so the
    /// copy contains its own entry.
    pub fn backup_generation(&mut self, dir: &Path, actor: &Actor, keep: usize) -> Result<PathBuf> {
        std::fs::create_dir_all(dir).map_err(|e| EngineError::Io {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f").to_string();
        let dest = dir.join(format!("reviewdesk-{stamp}.db"));
        self.change(actor, "store.backup", "store", |_| {
            Ok((
                (),
                serde_json::json!({ "file": dest.display().to_string() }),
            ))
        })?;
        self.backup_to(&dest)?;
        let copy = Store::open(&dest)?;
        let report = copy.check()?;
        drop(copy);
        let _ = std::fs::remove_file(dest.with_extension("db-wal"));
        if !report.ok {
            let _ = std::fs::remove_file(&dest);
            return Err(EngineError::Store(format!(
                "备份校验失败，已删除该备份：{} / the backup failed its check and was removed",
                report.integrity
            )));
        }
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
        while gens.len() > keep.max(1) {
            let old = gens.remove(0);
            let _ = std::fs::remove_file(&old);
        }
        Ok(dest)
    }
}

/// Replace the store at `live` with `backup` after the backup passes its
/// checks. Fails (and changes nothing) when the backup is damaged or the live
/// store is open elsewhere.
pub fn restore(backup: &Path, live: &Path) -> Result<CheckReport> {
    let report = {
        let b = Store::open(backup)?;
        b.check()?
    };
    if !report.ok {
        return Err(EngineError::Store(format!(
            "备份未通过校验，未恢复：{}；{} / the backup failed its check; nothing restored",
            report.integrity, report.audit.message
        )));
    }
    if live.exists() {
        // Nobody else may be using the live store; a damaged one is exactly
        // what a restore replaces.
        match Store::open(live) {
            Ok(s) => drop(s),
            Err(e @ EngineError::StoreLocked { .. }) => return Err(e),
            Err(_) => {}
        }
    }
    let tmp = live.with_extension("restoring");
    std::fs::copy(backup, &tmp).map_err(|e| EngineError::Io {
        path: tmp.display().to_string(),
        reason: e.to_string(),
    })?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| EngineError::Io {
            path: tmp.display().to_string(),
            reason: e.to_string(),
        })?;
    for suffix in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(live.with_extension(suffix));
    }
    std::fs::rename(&tmp, live).map_err(|e| EngineError::Io {
        path: live.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(report)
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::DatabaseBusy || f.code == rusqlite::ErrorCode::DatabaseLocked)
}

/// Keep `bytes` content-addressed in `blobs` (once per content) and return
/// their SHA-256 hex: original workbooks, evidence files, signed letters.
pub fn put_blob(conn: &Connection, bytes: &[u8]) -> Result<String> {
    use sha2::Digest;
    let hash = hex::encode(sha2::Sha256::digest(bytes));
    conn.execute(
        "INSERT OR IGNORE INTO blobs(hash, size, bytes) VALUES (?1, ?2, ?3)",
        rusqlite::params![hash, bytes.len() as i64, bytes],
    )?;
    Ok(hash)
}

/// Now, as the store records it (UTC, RFC 3339, seconds).
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_open_gets_the_clear_locked_message() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("store.db");
        let _first = Store::open(&p).expect("first open");
        match Store::open(&p) {
            Err(EngineError::StoreLocked { .. }) => {}
            Err(other) => panic!("expected StoreLocked, got {other}"),
            Ok(_) => panic!("second open must fail"),
        }
    }

    #[test]
    fn lock_is_released_when_the_store_closes() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("store.db");
        drop(Store::open(&p).expect("first"));
        Store::open(&p).expect("reopen after close");
    }

    #[test]
    fn a_failed_change_leaves_no_audit_entry() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(&dir.path().join("s.db")).expect("open");
        let before = s.verify_audit().expect("verify").entries;
        let r: Result<()> = s.change(&Actor::new("t"), "test", "x", |tx| {
            tx.execute("INSERT INTO meta(key, value) VALUES ('k', 'v')", [])?;
            Err(EngineError::Invalid("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(s.verify_audit().expect("verify").entries, before);
        let n: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM meta WHERE key='k'", [], |r| r.get(0))
            .expect("count");
        assert_eq!(n, 0, "the change rolled back with its audit entry");
    }

    #[test]
    fn restore_drill_brings_back_every_row_and_the_audit_chain() {
        let dir = tempfile::tempdir().expect("tmp");
        let live = dir.path().join("live.db");
        let backups = dir.path().join("backups");
        let (backup, head) = {
            let mut s = Store::open(&live).expect("open");
            for i in 0..3 {
                s.change(&Actor::new("a"), "note", &format!("n{i}"), |tx| {
                    tx.execute(
                        "INSERT INTO meta(key, value) VALUES (?1, 'v')",
                        [format!("k{i}")],
                    )?;
                    Ok(((), serde_json::json!({})))
                })
                .expect("change");
            }
            let b = s
                .backup_generation(&backups, &Actor::new("a"), 3)
                .expect("backup");
            (b, s.verify_audit().expect("verify").head)
        };
        // Damage the live store.
        std::fs::write(&live, b"garbage").expect("damage");
        let _ = std::fs::remove_file(live.with_extension("db-wal"));
        restore(&backup, &live).expect("restore");
        let s = Store::open(&live).expect("reopen");
        let n: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM meta WHERE key LIKE 'k%'", [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(n, 3);
        let r = s.verify_audit().expect("verify");
        assert!(r.ok);
        assert_eq!(r.head, head);
    }

    #[test]
    fn a_damaged_backup_is_refused_and_the_live_store_is_untouched() {
        let dir = tempfile::tempdir().expect("tmp");
        let live = dir.path().join("live.db");
        drop(Store::open(&live).expect("open"));
        let before = std::fs::read(&live).expect("read");
        let bad = dir.path().join("bad.db");
        std::fs::write(&bad, vec![7u8; 4096]).expect("write");
        assert!(restore(&bad, &live).is_err());
        assert_eq!(std::fs::read(&live).expect("read"), before);
    }

    #[test]
    fn not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("junk.db");
        std::fs::write(&p, vec![0x42u8; 8192]).expect("write");
        let err = Store::open(&p).err().expect("must fail");
        assert!(err.to_string().contains("不是评审工作台的数据库"), "{err}");
    }
}
