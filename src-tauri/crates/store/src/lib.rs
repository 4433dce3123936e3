//! The local store: one SQLite file, opened in exactly one place
//! ([`Store::open_inner`]), encrypted at rest with SQLCipher ([`crypt`]: a
//! random data key wrapped by an Argon2id key from the passphrase), with WAL,
//! synchronous=FULL, foreign keys, an exclusive lock (a second window gets a
//! clear message), versioned migrations (backed up first; a newer database is
//! refused) and the hash-linked, append-only audit trail. Every change a user
//! makes goes through [`Store::change`]: the change and its audit entry commit
//! in one transaction.

pub mod audit;
pub mod crypt;
pub mod error;
mod migrations;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

pub use crate::error::{EngineError, ErrorBody, Result};

pub use audit::{AuditEntry, AuditReport};
pub use crypt::{key_path, write_atomic, DataKey, RecoveryKey, Secret, StoreKind};
pub use migrations::SCHEMA_VERSION;

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

/// Filesystems the live store may not live on: network shares lose
/// SQLite's locks and fsync guarantees (a second laptop could write at the
/// same time; a dropped connection tears pages).
const NETWORK_FILESYSTEMS: &[(i64, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x0102_1997, "9P"),
    (0x5346_414F, "AFS"),
    (0x7375_7245, "Coda"),
    (0x564C, "NCP"),
    (0x0BD0_0BD0, "Lustre"),
    (0x4750_4653, "GPFS"),
    (0x1973_0508, "CephFS (legacy)"),
    (0x00C3_6400, "CephFS"),
];

/// The name of the network filesystem magic `f_type` stands for, if any.
fn network_filesystem(f_type: i64) -> Option<&'static str> {
    NETWORK_FILESYSTEMS
        .iter()
        .find(|(m, _)| *m == f_type)
        .map(|(_, n)| *n)
}

/// Refuse a live store on a network share. Returns a warning to show for a
/// removable drive (a lost USB stick is a lost store: keep backups).
pub fn check_location(db: &Path) -> Result<Option<String>> {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The nearest existing ancestor tells where the file will be.
    let mut probe = dir.to_path_buf();
    while !probe.exists() {
        if !probe.pop() {
            return Ok(None);
        }
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(probe.as_os_str().as_bytes())
            .map_err(|_| EngineError::Invalid(format!("{}: NUL in path", probe.display())))?;
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `c` is a valid NUL-terminated path and `st` a writable
        // statfs the call fills in.
        if unsafe { libc::statfs(c.as_ptr(), &mut st) } == 0 {
            #[allow(clippy::unnecessary_cast)]
            if let Some(fs) = network_filesystem(st.f_type as i64) {
                return Err(EngineError::Invalid(format!(
                    "数据库不能放在网络共享（{fs}）上：{}。请放在本机磁盘，备份可以放在网络共享上 / the live store may not be on a network share ({fs}); keep it on a local disk (backups may go to a share)",
                    db.display()
                )));
            }
        }
    }
    let s = dir.to_string_lossy();
    if s.starts_with("/media/") || s.starts_with("/run/media/") {
        return Ok(Some(format!(
            "数据库位于可移动磁盘上（{}）：拔出或丢失即无法使用，请定期备份到本机以外 / the store is on a removable drive: back it up elsewhere regularly",
            db.display()
        )));
    }
    Ok(None)
}

/// The folder that keeps the generations of backups of the store at `db`.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// Open the store at `db` with `secret`, whatever is there:
/// - an encrypted store: unwrap its key and open it;
/// - nothing yet: make a new data key and key file (the passphrase becomes
///   the store's passphrase) and return the recovery key to show once;
/// - a plain store: encrypt it (see [`migrate_plain`]), then open it.
pub fn unlock(db: &Path, secret: &Secret) -> Result<Unlocked> {
    let location_warning = check_location(db)?;
    let mut u = unlock_here(db, secret)?;
    u.location_warning = location_warning;
    Ok(u)
}

fn unlock_here(db: &Path, secret: &Secret) -> Result<Unlocked> {
    match crypt::inspect(db)? {
        StoreKind::Encrypted => {
            let key = crypt::unwrap_key(&key_path(db), secret)?;
            Ok(Unlocked {
                store: Store::open_encrypted(db, key)?,
                recovery_key: None,
                encrypted_now: false,
                backups_encrypted: 0,
                location_warning: None,
            })
        }
        StoreKind::Missing => {
            let passphrase = new_passphrase(secret)?;
            ensure_parent(db)?;
            let (key, recovery) = crypt::new_key_file(
                &key_path(db),
                passphrase,
                crypt::KdfParams::for_new_store()?,
            )?;
            Ok(Unlocked {
                store: Store::open_encrypted(db, key)?,
                recovery_key: Some(recovery),
                encrypted_now: false,
                backups_encrypted: 0,
                location_warning: None,
            })
        }
        StoreKind::Plain => migrate_plain(db, new_passphrase(secret)?),
    }
}

fn new_passphrase(secret: &Secret) -> Result<&str> {
    match secret {
        Secret::Passphrase(p) => Ok(p.as_str()),
        Secret::RecoveryKey(_) => Err(EngineError::Invalid(
            "恢复密钥只能打开已加密的数据库；请设置一个新口令 / a recovery key only opens an encrypted store; set a new passphrase"
                .into(),
        )),
    }
}

fn ensure_parent(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| EngineError::Io {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
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

/// Encrypt the plain store at `db` under a new key file, crash-safely:
/// 1. open it (migrations run, the lock is held) and leave WAL mode, so the
///    whole store is in the one file;
/// 2. write the new key file as `<db>.key.new` and export every table into
///    `<db>.encrypting` with `sqlcipher_export`; check that copy;
/// 3. keep that checked copy as a backup generation first (with its key file);
/// 4. rename the encrypted copy over the store, then the key file into place
///    (an interruption between the two is finished by [`crypt::inspect`]);
/// 5. overwrite the old plain bytes with zeros, and encrypt in place every
///    plain backup in the backups folder and every pre-migration copy.
pub fn migrate_plain(db: &Path, passphrase: &str) -> Result<Unlocked> {
    let kdf = crypt::KdfParams::for_new_store()?;
    let plain = Store::open(db)?;
    plain
        .conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
    let enc = sibling(db, ".encrypting");
    let key_new = sibling(&key_path(db), ".new");
    for stale in [&enc, &key_new] {
        let _ = std::fs::remove_file(stale);
    }
    let (key, recovery) = crypt::new_key_file(&key_new, passphrase, kdf)?;
    let fail = |e: EngineError| {
        let _ = std::fs::remove_file(&enc);
        let _ = std::fs::remove_file(&key_new);
        e
    };
    export_encrypted(&plain.conn, &enc, &key).map_err(fail)?;
    let report = Store::open_inner(&enc, Some(key.duplicate()))
        .and_then(|s| s.check())
        .map_err(fail)?;
    if !report.ok {
        return Err(fail(EngineError::Store(format!(
            "加密后的副本未通过校验，原数据库未改动：{} / the encrypted copy failed its check; the store is unchanged",
            report.integrity
        ))));
    }
    // The backup first: a checked, encrypted copy of the store as it was.
    let backups = backups_dir(db);
    std::fs::create_dir_all(&backups).map_err(|e| fail(io_err(&backups, e)))?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f").to_string();
    let kept = backups.join(format!("reviewdesk-{stamp}.db"));
    std::fs::copy(&enc, &kept)
        .and_then(|_| std::fs::copy(&key_new, sibling(&kept, ".key")))
        .map_err(|e| fail(io_err(&kept, e)))?;
    crypt::sync_dir(&kept);
    // Swap: the old plain inode stays reachable as `.plain-old` to be wiped.
    let old = sibling(db, ".plain-old");
    let _ = std::fs::remove_file(&old);
    std::fs::hard_link(db, &old).map_err(|e| fail(io_err(&old, e)))?;
    std::fs::rename(&enc, db).map_err(|e| io_err(db, e))?;
    crypt::sync_dir(db);
    drop(plain);
    std::fs::rename(&key_new, key_path(db)).map_err(|e| io_err(&key_new, e))?;
    crypt::sync_dir(db);
    wipe(&old)?;
    let mut backups_encrypted = 0;
    for copy in plain_copies(db) {
        encrypt_in_place(&copy, &key)?;
        std::fs::copy(key_path(db), sibling(&copy, ".key")).map_err(|e| io_err(&copy, e))?;
        backups_encrypted += 1;
    }
    Ok(Unlocked {
        store: Store::open_encrypted(db, key)?,
        recovery_key: Some(recovery),
        encrypted_now: true,
        backups_encrypted,
        location_warning: None,
    })
}

/// Finish what an interrupted [`migrate_plain`] left behind (called by
/// [`crypt::inspect`] before it looks).
pub(crate) fn finish_interrupted_encryption(db: &Path) -> Result<()> {
    let key = key_path(db);
    let key_new = sibling(&key, ".new");
    let enc = sibling(db, ".encrypting");
    let old = sibling(db, ".plain-old");
    if key_new.exists() && !key.exists() {
        if db.exists() && !crypt::has_plain_header(db) {
            // The encrypted store is in place; its key file was not yet.
            std::fs::rename(&key_new, &key).map_err(|e| io_err(&key, e))?;
            crypt::sync_dir(&key);
        } else {
            // Interrupted before the swap: the plain store is intact.
            let _ = std::fs::remove_file(&key_new);
            let _ = std::fs::remove_file(&enc);
        }
    }
    if key.exists() {
        let _ = std::fs::remove_file(&enc);
        if old.exists() {
            wipe(&old)?;
        }
    }
    Ok(())
}

/// Overwrite a file's bytes with zeros, fsync, and remove it.
fn wipe(path: &Path) -> Result<()> {
    use std::io::Write;
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
        let zeros = vec![0u8; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            f.write_all(&zeros[..n]).map_err(|e| io_err(path, e))?;
            left -= n as u64;
        }
        f.sync_all().map_err(|e| io_err(path, e))?;
    }
    std::fs::remove_file(path).map_err(|e| io_err(path, e))
}

/// Plain SQLite copies of the store at `db`: backup generations and
/// pre-migration copies.
fn plain_copies(db: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut look = |dir: &Path, keep: &dyn Fn(&str) -> bool| {
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let p = e.path();
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if keep(&name) && crypt::has_plain_header(&p) {
                    found.push(p);
                }
            }
        }
    };
    look(dir, &|n: &str| {
        n.starts_with(&format!("{stem}.pre-migration-")) && n.ends_with(".db")
    });
    look(&backups_dir(db), &|n: &str| {
        n.starts_with("reviewdesk-") && n.ends_with(".db")
    });
    found.sort();
    found
}

/// Export every table of `src` into a new encrypted file `dest` (same schema
/// version), fsynced.
fn export_encrypted(src: &Connection, dest: &Path, key: &DataKey) -> Result<()> {
    let _ = std::fs::remove_file(dest);
    let dest_s = dest.to_string_lossy().into_owned();
    let attach = zeroize::Zeroizing::new(format!(
        "ATTACH DATABASE ?1 AS encrypted KEY {}",
        key.attach_key().as_str()
    ));
    src.execute(attach.as_str(), [dest_s])?;
    let run = || -> Result<()> {
        let version: i64 = src.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        src.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        src.execute_batch(&format!("PRAGMA encrypted.user_version = {version};"))?;
        Ok(())
    };
    let done = run();
    src.execute_batch("DETACH DATABASE encrypted")?;
    done?;
    std::fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_err(dest, e))
}

/// Replace the plain SQLite file at `path` by an encrypted copy (checked
/// first), wiping the plain bytes.
fn encrypt_in_place(path: &Path, key: &DataKey) -> Result<()> {
    let enc = sibling(path, ".encrypting");
    {
        let conn = Connection::open(path)?;
        export_encrypted(&conn, &enc, key)?;
    }
    let old = sibling(path, ".plain-old");
    let _ = std::fs::remove_file(&old);
    std::fs::hard_link(path, &old).map_err(|e| io_err(&old, e))?;
    std::fs::rename(&enc, path).map_err(|e| io_err(path, e))?;
    crypt::sync_dir(path);
    wipe(&old)
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
        Store::open_inner(path, None)
    }

    /// Open the encrypted store at `path` with its data key.
    pub fn open_encrypted(path: &Path, key: DataKey) -> Result<Store> {
        Store::open_inner(path, Some(key))
    }

    /// The only place in the code that opens the live database.
    fn open_inner(path: &Path, key: Option<DataKey>) -> Result<Store> {
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
                        EngineError::Store(format!(
                            "{} 无法用它的密钥解密：数据库已损坏，或密钥文件不属于它 / cannot be decrypted with its key: the store is damaged or the key file belongs to another store",
                            path.display()
                        ))
                    } else {
                        EngineError::Store(format!(
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
            key,
        };
        migrations::migrate(&mut store)?;
        Ok(store)
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
            crypt::write_atomic(&sibling(dest, ".key"), &bytes)?;
        }
        std::fs::rename(&tmp, dest).map_err(|e| io_err(dest, e))?;
        crypt::sync_dir(dest);
        Ok(())
    }
}

/// Result of checking a store file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub integrity: String,
    pub foreign_key_problems: u64,
    /// Pages failing SQLCipher's HMAC check (`cipher_integrity_check`);
    /// always 0 for an unencrypted store.
    pub cipher_problems: u64,
    pub encrypted: bool,
    pub audit: AuditReport,
}

impl Store {
    /// `PRAGMA integrity_check`, `foreign_key_check`,
    /// `cipher_integrity_check` (encrypted stores) and the audit chain.
    pub fn check(&self) -> Result<CheckReport> {
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fk = st.query_map([], |_| Ok(()))?.count() as u64;
        let cipher = if self.key.is_some() {
            let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
            let n = st.query_map([], |_| Ok(()))?.count() as u64;
            n
        } else {
            0
        };
        let audit = self.verify_audit()?;
        Ok(CheckReport {
            ok: integrity == "ok" && fk == 0 && cipher == 0 && audit.ok,
            integrity,
            foreign_key_problems: fk,
            cipher_problems: cipher,
            encrypted: self.key.is_some(),
            audit,
        })
    }

    /// Whether the full check (integrity, foreign keys, cipher pages, audit
    /// chain) has not run for `days` days on this store.
    pub fn full_check_due(&self, days: i64) -> Result<bool> {
        let last: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'last_full_check'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(last) = last else { return Ok(true) };
        let Ok(at) = chrono::DateTime::parse_from_rfc3339(&last) else {
            return Ok(true);
        };
        Ok(chrono::Utc::now().signed_duration_since(at) >= chrono::Duration::days(days))
    }

    /// Run [`Store::check`] and record that it ran (and its verdict) in the
    /// audit trail, so the weekly schedule and every result can be seen.
    pub fn run_full_check(&mut self, actor: &Actor) -> Result<CheckReport> {
        let report = self.check()?;
        let now = now();
        self.change(actor, "store.check", "store", |tx| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('last_full_check', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&now],
            )?;
            Ok((
                (),
                serde_json::json!({
                    "ok": report.ok,
                    "integrity": report.integrity,
                    "foreign_key_problems": report.foreign_key_problems,
                    "cipher_problems": report.cipher_problems,
                    "audit_ok": report.audit.ok,
                }),
            ))
        })?;
        Ok(report)
    }

    /// `PRAGMA quick_check`: the fast check run at every start.
    pub fn quick_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?)
    }

    /// Write the backup to `dest` and check the copy; a copy that fails its
    /// check, or cannot be written, is removed with its key file.
    fn copy_and_check(&self, dest: &Path) -> Result<()> {
        let result = self.backup_to(dest).and_then(|()| {
            let copy = Store::open_inner(dest, self.key.as_ref().map(DataKey::duplicate))?;
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
            let _ = std::fs::remove_file(sibling(&old, ".key"));
            let _ = std::fs::remove_file(&old);
        }
        Ok(dest)
    }
}

/// Replace the store at `live` with `backup` after the backup passes its
/// checks. Fails (and changes nothing) when the backup is damaged, cannot be
/// unlocked, or the live store is open elsewhere.
///
/// An encrypted backup is unlocked with `secret` through the live store's key
/// file, or the key file kept beside the backup when the live one is lost (it
/// is then put back beside the live store).
pub fn restore(backup: &Path, live: &Path, secret: Option<&Secret>) -> Result<CheckReport> {
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
    let report = {
        let b = Store::open_inner(backup, key.as_ref().map(DataKey::duplicate))?;
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
        match Store::open_inner(live, key.as_ref().map(DataKey::duplicate)) {
            Ok(s) => drop(s),
            Err(e @ EngineError::StoreLocked { .. }) => return Err(e),
            Err(_) => {}
        }
    }
    let tmp = sibling(live, ".restoring");
    std::fs::copy(backup, &tmp).map_err(|e| io_err(&tmp, e))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_err(&tmp, e))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(live, suffix));
    }
    std::fs::rename(&tmp, live).map_err(|e| io_err(live, e))?;
    crypt::sync_dir(live);
    if key.is_some() && !live_key.exists() {
        let from = sibling(backup, ".key");
        let bytes = std::fs::read(&from).map_err(|e| io_err(&from, e))?;
        crypt::write_atomic(&live_key, &bytes)?;
    }
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
    put_blob_hashed(conn, &hash, bytes)?;
    Ok(hash)
}

/// [`put_blob`] for a caller that has just computed `hash` = hex SHA-256 of
/// `bytes` itself (the import hashes every file once, for the duplicate
/// check, and must not pay for it twice).
pub fn put_blob_hashed(conn: &Connection, hash: &str, bytes: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO blobs(hash, size, bytes) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![hash, bytes.len() as i64, bytes])?;
    Ok(())
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
        restore(&backup, &live, None).expect("restore");
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
    fn a_missing_backup_is_refused_and_nothing_is_created() {
        let dir = tempfile::tempdir().expect("tmp");
        let live = dir.path().join("live.db");
        drop(Store::open(&live).expect("open"));
        let before = std::fs::read(&live).expect("read");
        let missing = dir.path().join("no-such-backup.db");
        let err = restore(&missing, &live, None).expect_err("refused");
        assert_eq!(err.code(), "io");
        assert!(
            !missing.exists(),
            "restore must not create the backup it looks for"
        );
        assert_eq!(std::fs::read(&live).expect("read"), before);
    }

    #[test]
    fn a_damaged_backup_is_refused_and_the_live_store_is_untouched() {
        let dir = tempfile::tempdir().expect("tmp");
        let live = dir.path().join("live.db");
        drop(Store::open(&live).expect("open"));
        let before = std::fs::read(&live).expect("read");
        let bad = dir.path().join("bad.db");
        std::fs::write(&bad, vec![7u8; 4096]).expect("write");
        assert!(restore(&bad, &live, None).is_err());
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

    #[test]
    fn the_full_check_runs_weekly_and_leaves_its_verdict_in_the_audit_trail() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(&dir.path().join("s.db")).expect("open");
        assert!(s.full_check_due(7).expect("due"), "never run: due");
        let r = s.run_full_check(&Actor::new("评审工作台")).expect("check");
        assert!(r.ok, "{r:?}");
        assert!(!s.full_check_due(7).expect("due"), "just ran");
        assert!(s.full_check_due(0).expect("due"));
        let n: i64 = s
            .conn()
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'store.check'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 1);
    }

    #[test]
    fn network_shares_are_named_and_local_disks_pass() {
        assert_eq!(network_filesystem(0x6969), Some("NFS"));
        assert_eq!(network_filesystem(0xFF53_4D42), Some("CIFS"));
        assert_eq!(network_filesystem(0xEF53), None, "ext4");
        assert_eq!(network_filesystem(0x0102_1994), None, "tmpfs");
        let dir = tempfile::tempdir().expect("tmp");
        assert!(check_location(&dir.path().join("a/b/reviewdesk.db"))
            .expect("local")
            .is_none());
        let w = check_location(Path::new("/media/usb/reviewdesk.db")).expect("removable");
        assert!(w.is_some_and(|w| w.contains("可移动磁盘")));
    }

    const MARK: &str = "重庆渝算智能科技有限公司|91500103MA5U7K2P39|6500000.00";

    fn cheap() {
        std::env::set_var(crypt::TEST_KDF_ENV, "1");
    }

    fn note(s: &mut Store, key: &str) {
        s.change(&Actor::new("a"), "note", key, |tx| {
            tx.execute("INSERT INTO meta(key, value) VALUES (?1, ?2)", [key, MARK])?;
            Ok(((), serde_json::json!({ "mark": MARK })))
        })
        .expect("change");
    }

    /// Every byte of every file under `dir`, searched for the marker and for
    /// a plain SQLite header.
    fn leaks(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let bytes = std::fs::read(&p).expect("read");
                for needle in ["重庆渝算", "91500103MA5U7K2P39", "6500000.00"] {
                    if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                        found.push(format!("{} contains {needle}", p.display()));
                    }
                }
                if bytes.starts_with(crypt::SQLITE_HEADER) {
                    found.push(format!("{} is a plain SQLite file", p.display()));
                }
            }
        }
        found
    }

    #[test]
    fn a_stolen_data_folder_reveals_nothing_and_the_passphrase_or_recovery_key_opens_it() {
        cheap();
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("reviewdesk.db");
        assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Missing);
        let recovery = {
            let mut u = unlock(&db, &Secret::passphrase("correct horse")).expect("create");
            assert!(u.store.is_encrypted());
            for i in 0..20 {
                note(&mut u.store, &format!("k{i}"));
            }
            u.store
                .backup_generation(&backups_dir(&db), &Actor::new("a"), 3)
                .expect("backup");
            // Look while the store is open too: the WAL is on disk now.
            assert_eq!(leaks(dir.path()), Vec::<String>::new());
            u.recovery_key.expect("a new store shows its recovery key")
        };
        assert_eq!(leaks(dir.path()), Vec::<String>::new());
        assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Encrypted);
        let err = Store::open(&db).err().expect("no key, no store");
        assert_eq!(err.code(), "passphrase_required");
        let err = unlock(&db, &Secret::passphrase("wrong horse")).expect_err("wrong");
        assert_eq!(err.code(), "wrong_passphrase");
        let u = unlock(&db, &Secret::recovery_key(recovery.as_str())).expect("recovery key");
        assert!(u.recovery_key.is_none());
        let n: i64 = u
            .store
            .conn()
            .query_row("SELECT count(*) FROM meta WHERE value = ?1", [MARK], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(n, 20);
        let report = u.store.check().expect("check");
        assert!(
            report.ok && report.encrypted && report.cipher_problems == 0,
            "{report:?}"
        );
    }

    #[test]
    fn a_plain_store_is_encrypted_on_first_unlock_with_its_backups_and_nothing_lost() {
        cheap();
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("reviewdesk.db");
        let head = {
            let mut s = Store::open(&db).expect("plain");
            note(&mut s, "before");
            s.backup_generation(&backups_dir(&db), &Actor::new("a"), 5)
                .expect("plain backup");
            note(&mut s, "after");
            s.verify_audit().expect("audit").head
        };
        assert!(
            !leaks(dir.path()).is_empty(),
            "the plain store shows the marker"
        );
        assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Plain);
        let u = unlock(&db, &Secret::passphrase("correct horse")).expect("migrate");
        assert!(u.encrypted_now && u.recovery_key.is_some());
        assert_eq!(
            u.backups_encrypted, 1,
            "the plain backup was encrypted in place"
        );
        let r = u.store.verify_audit().expect("audit");
        assert!(r.ok);
        assert_eq!(r.head, head, "every audit entry carried over");
        drop(u);
        assert_eq!(leaks(dir.path()), Vec::<String>::new());
        // Every backup (the plain one now encrypted, and the one taken before
        // the swap) restores with the passphrase.
        let gens: Vec<PathBuf> = std::fs::read_dir(backups_dir(&db))
            .expect("dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "db"))
            .collect();
        assert_eq!(gens.len(), 2, "{gens:?}");
        for g in gens {
            restore(&g, &db, Some(&Secret::passphrase("correct horse"))).expect("restore");
        }
    }

    #[test]
    fn an_interrupted_encryption_leaves_the_plain_store_usable() {
        cheap();
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("reviewdesk.db");
        drop(Store::open(&db).expect("plain"));
        // As if killed after writing the new key file, before the swap.
        std::fs::write(sibling(&key_path(&db), ".new"), b"{}").expect("write");
        std::fs::write(sibling(&db, ".encrypting"), b"partial").expect("write");
        assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Plain);
        assert!(!sibling(&db, ".encrypting").exists());
        let u = unlock(&db, &Secret::passphrase("correct horse")).expect("migrate");
        assert!(u.encrypted_now);
    }

    #[test]
    fn restore_drill_on_an_encrypted_store_even_with_the_key_file_lost() {
        cheap();
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("reviewdesk.db");
        let secret = Secret::passphrase("correct horse");
        let (backup, head) = {
            let mut u = unlock(&db, &secret).expect("create");
            note(&mut u.store, "one");
            let b = u
                .store
                .backup_generation(&backups_dir(&db), &Actor::new("a"), 3)
                .expect("backup");
            (b, u.store.verify_audit().expect("audit").head)
        };
        std::fs::remove_file(&db).expect("lose the store");
        std::fs::remove_file(key_path(&db)).expect("and its key file");
        let err = restore(&backup, &db, Some(&Secret::passphrase("wrong horse")));
        assert_eq!(err.err().map(|e| e.code()), Some("wrong_passphrase"));
        restore(&backup, &db, Some(&secret)).expect("restore");
        let u = unlock(&db, &secret).expect("unlock restored");
        let r = u.store.verify_audit().expect("audit");
        assert!(r.ok);
        assert_eq!(r.head, head);
    }
}
