//! The local store: one SQLite file, opened in exactly one place
//! ([`Store::open_inner`]), encrypted at rest with SQLCipher ([`crypt`]: a
//! random data key wrapped by an Argon2id key from the passphrase), with WAL,
//! synchronous=FULL, foreign keys, an exclusive lock (a second window gets a
//! clear message), versioned migrations (backed up first; a newer database is
//! refused) and the hash-linked, append-only audit trail. Every change a user
//! makes goes through [`Store::change`]: the change and its audit entry commit
//! in one transaction.
//!
//! One file per concern: `location` (where a store may live), `unlock`
//! (opening with a secret, a plain store encrypted crash-safely), `check`
//! (integrity, foreign keys, cipher pages, the audit chain), `backups`
//! (generations, restore), `damage` (a damaged store's way back: the newest
//! good backup and the command that restores it), `blobs` (content-addressed
//! files), `files` (every file written 0600 and whole, every folder 0700);
//! `crypt`,
//! `migrations`, `audit` and `error` as before.

pub mod audit;
mod backups;
mod blobs;
mod check;
pub mod crypt;
pub mod damage;
pub mod error;
mod files;
mod location;
mod migrations;
mod unlock;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use crate::error::{EngineError, ErrorBody, Result};

pub use audit::{AuditEntry, AuditReport};
pub use backups::{backups_dir, restore, restore_checked};
pub use blobs::{get_blob, put_blob, put_blob_hashed};
pub use check::CheckReport;
pub use crypt::{key_path, DataKey, RecoveryKey, Secret, StoreKind};
pub use files::{create_private_dir, make_private, private_dir, write_atomic};
pub use location::check_location;
pub use migrations::SCHEMA_VERSION;
pub(crate) use unlock::finish_interrupted_encryption;
pub use unlock::{migrate_plain, unlock};

/// What a file is opened as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// The live store: migrations run; damage is named with the way back
    /// (the newest good backup and the command that restores it).
    Live,
    /// A copy being checked or replaced (a backup just written, a backup
    /// being restored, the store a restore replaces): migrations run,
    /// damage is reported as it is.
    Copy,
    /// A backup looked at to name the way back: no migration, nothing
    /// written, damage reported as it is.
    Inspect,
}

/// An open, locked store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The SQLCipher data key; `None` for an unencrypted store.
    key: Option<DataKey>,
}

/// Who acts, as the audit trail records it: a name, and for a person with
/// an unlocked identity the key that signs each entry (`Actor::signed`).
/// An actor made from a name alone ([`Actor::new`]) is for what the
/// workstation does by itself (migrations, backups, the sample round).
#[derive(Clone)]
pub struct Actor(pub String, Option<std::sync::Arc<dyn ActSigner>>);

/// A person's key as the store sees it: a fingerprint and a signature.
pub trait ActSigner: Send + Sync {
    /// SHA-256 (hex) of the person's certificate.
    fn fingerprint(&self) -> String;
    /// Signs `message` (RSA PKCS#1 v1.5 SHA-256 or what the key does).
    fn sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, String>;
    /// The certificate (DER), kept once per fingerprint in `signers` so
    /// every signed act can be checked later.
    fn certificate_der(&self) -> Vec<u8>;
}

impl std::fmt::Debug for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Actor")
            .field(&self.0)
            .field(&self.fingerprint())
            .finish()
    }
}

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Actor(name.into(), None)
    }

    /// A person who signs every entry they make.
    pub fn signed(name: impl Into<String>, key: std::sync::Arc<dyn ActSigner>) -> Self {
        Actor(name.into(), Some(key))
    }

    /// The fingerprint of the person's certificate, when signed.
    pub fn fingerprint(&self) -> Option<String> {
        self.1.as_ref().map(|k| k.fingerprint())
    }

    pub(crate) fn key(&self) -> Option<&dyn ActSigner> {
        self.1.as_deref()
    }
}

/// A store opened with a secret, and what happened on the way.
pub struct Unlocked {
    pub store: Store,
    /// Shown once to the user when a key file was made just now (a new store,
    /// or a plain store encrypted): print it and hand it to the bureau.
    pub recovery_key: Option<RecoveryKey>,
    /// A plain store was encrypted during this unlock.
    pub encrypted_now: bool,
    /// Plain copies (backups taken before encryption) encrypted in place.
    pub backups_encrypted: usize,
    /// Where the store lives deserves a warning (a removable drive).
    pub location_warning: Option<String>,
}

impl std::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unlocked")
            .field("path", &self.store.path)
            .field("encrypted_now", &self.encrypted_now)
            .finish()
    }
}

fn ensure_parent(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            create_private_dir(dir)?;
        }
    }
    Ok(())
}

/// `path` with `suffix` appended to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn io_err(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

impl Store {
    /// Open (creating if needed) an UNENCRYPTED store at `path`: tests, and
    /// stores made by the command line without a passphrase. An encrypted
    /// store is refused with [`EngineError::PassphraseRequired`].
    pub fn open(path: &Path) -> Result<Store> {
        check_location(path)?;
        if crypt::inspect(path)? == StoreKind::Encrypted {
            return Err(EngineError::PassphraseRequired {
                path: path.display().to_string(),
            });
        }
        Store::open_inner(path, None, How::Live)
    }

    /// Open the encrypted store at `path` with its data key.
    pub fn open_encrypted(path: &Path, key: DataKey) -> Result<Store> {
        Store::open_inner(path, Some(key), How::Live)
    }

    /// The only place in the code that opens a store file: the live
    /// database ([`How::Live`]), a copy being checked ([`How::Copy`]) or a
    /// backup looked at to name the way back ([`How::Inspect`]).
    fn open_inner(path: &Path, key: Option<DataKey>, how: How) -> Result<Store> {
        ensure_parent(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| EngineError::Store(format!("{}: {e}", path.display())))?;
        let encrypted = key.is_some();
        let locked = |e: rusqlite::Error| -> EngineError {
            if is_busy(&e) {
                EngineError::StoreLocked {
                    path: path.display().to_string(),
                }
            } else if let rusqlite::Error::SqliteFailure(f, _) = &e {
                if f.code == rusqlite::ErrorCode::NotADatabase {
                    if encrypted {
                        EngineError::Damaged(format!(
                            "{} 无法用它的密钥解密：数据库已损坏，或密钥文件不属于它 / cannot be decrypted with its key: the store is damaged or the key file belongs to another store",
                            path.display()
                        ))
                    } else {
                        EngineError::Damaged(format!(
                            "{} 不是评审工作台的数据库，或已损坏 / is not a ReviewDesk database or is damaged",
                            path.display()
                        ))
                    }
                } else {
                    EngineError::from(e)
                }
            } else {
                EngineError::from(e)
            }
        };
        let opened = (|| {
            if let Some(k) = &key {
                conn.execute_batch(k.pragma(None).as_str())
                    .map_err(locked)?;
            }
            conn.busy_timeout(Duration::from_millis(300))
                .map_err(locked)?;
            // Temporary tables and sort files stay in memory: never a plain
            // temporary file on disk.
            conn.pragma_update(None, "temp_store", "MEMORY")
                .map_err(locked)?;
            // Exclusive locking: the first write takes the lock and keeps it
            // until the connection closes (the OS releases it after a crash).
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
                .map_err(locked)?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(locked)?;
            conn.pragma_update(None, "synchronous", "FULL")
                .map_err(locked)?;
            conn.pragma_update(None, "foreign_keys", "ON")
                .map_err(locked)?;
            // Take the lock now, so a second copy fails at open, not
            // mid-work. (SQLite reads the header here: a file shorter than
            // the header says is SQLITE_CORRUPT, a damaged store.)
            conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
                .map_err(locked)?;
            // SQLite makes its files with the umask's mode: the store and
            // its WAL are the owner's alone (a later -wal or -shm takes the
            // database's mode).
            for file in [
                path.to_path_buf(),
                sibling(path, "-wal"),
                sibling(path, "-shm"),
            ] {
                make_private(&file)?;
            }
            conn.busy_timeout(Duration::from_secs(5))?;
            Ok(())
        })();
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            key,
        };
        let ready = opened.and_then(|()| match how {
            How::Live | How::Copy => migrations::migrate(&mut store),
            // nothing written: a backup of an older schema is checked as it
            // is, one of a newer schema cannot be restored by this program
            How::Inspect => migrations::refuse_newer(&store),
        });
        match ready {
            Ok(()) => Ok(store),
            Err(EngineError::Damaged(cause)) if how == How::Live => {
                let key = store.key.take();
                drop(store);
                Err(damage::damaged(path, key.as_ref(), &cause))
            }
            Err(e) => Err(e),
        }
    }

    /// Close the store with every committed change in its main file: the
    /// WAL checkpointed into it and removed as the connection closes, so
    /// the file alone is the whole store, ready to be renamed (a restore's
    /// copy). The file stays in WAL mode: opening it later never needs a
    /// rollback journal (a stale one beside it would be replayed into it).
    pub(crate) fn close_into_one_file(self) -> Result<()> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            return Err(EngineError::Store(format!(
                "{}: 无法把预写日志并入数据库文件 / could not fold the write-ahead log into the file",
                self.path.display()
            )));
        }
        let path = self.path.clone();
        self.conn.close().map_err(|(_, e)| EngineError::from(e))?;
        let _ = std::fs::remove_file(sibling(&path, "-shm"));
        if sibling(&path, "-wal").exists() {
            return Err(EngineError::Store(format!(
                "{}: 预写日志仍在 / the write-ahead log is still there",
                path.display()
            )));
        }
        Ok(())
    }

    /// Whether the store is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
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
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::DatabaseBusy || f.code == rusqlite::ErrorCode::DatabaseLocked)
}

/// Now, as the store records it (UTC, RFC 3339, seconds).
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests;
