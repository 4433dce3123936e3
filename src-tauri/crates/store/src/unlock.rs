//! Opening a store with a secret: an encrypted store unlocked, a new one
//! made with its key file, a plain one encrypted crash-safely (its plain
//! copies wiped or encrypted in place).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::crypt::{self, key_path, DataKey, Secret, StoreKind};
use crate::{
    backups_dir, check_location, ensure_parent, io_err, sibling, EngineError, How, Result, Store,
    Unlocked,
};

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
    let report = Store::open_inner(&enc, Some(key.duplicate()), How::Copy)
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
    crate::files::private_dir(&backups).map_err(fail)?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f").to_string();
    let kept = backups.join(format!("reviewdesk-{stamp}.db"));
    std::fs::copy(&enc, &kept)
        .and_then(|_| std::fs::copy(&key_new, sibling(&kept, ".key")))
        .map_err(|e| fail(io_err(&kept, e)))?;
    crate::files::sync_dir(&kept);
    // Swap: the old plain inode stays reachable as `.plain-old` to be wiped.
    let old = sibling(db, ".plain-old");
    let _ = std::fs::remove_file(&old);
    std::fs::hard_link(db, &old).map_err(|e| fail(io_err(&old, e)))?;
    std::fs::rename(&enc, db).map_err(|e| io_err(db, e))?;
    crate::files::sync_dir(db);
    drop(plain);
    std::fs::rename(&key_new, key_path(db)).map_err(|e| io_err(&key_new, e))?;
    crate::files::sync_dir(db);
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
            crate::files::sync_dir(&key);
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
    crate::files::make_private(dest)?;
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
    crate::files::sync_dir(path);
    wipe(&old)
}
