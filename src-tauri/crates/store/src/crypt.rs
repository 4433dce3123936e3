//! Encryption at rest. The store is a SQLCipher database keyed with a random
//! 256-bit **data key**. The data key never touches the disk in clear: it is
//! kept in `<store>.key` twice, wrapped (XChaCha20-Poly1305) by a key derived
//! with Argon2id from
//!  - the user's passphrase, and
//!  - a random recovery key shown once at creation, to be printed and handed
//!    to the bureau.
//!
//! Changing the passphrase re-wraps the data key only; the database is not
//! rewritten. Every key in memory is zeroised when dropped.
//!
//! Key file states, and what [`inspect`] reports:
//!  - no store, no key file: [`StoreKind::Missing`] (first start);
//!  - a plain SQLite file, no key file: [`StoreKind::Plain`] (made by an older
//!    version, or with the CLI without a passphrase): encrypted on first
//!    unlock with a passphrase ([`migrate_plain`]);
//!  - a key file: [`StoreKind::Encrypted`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{EngineError, Result};
use crate::files::write_atomic;

/// The format tag of the key file.
pub const KEY_FILE_FORMAT: &str = "reviewdesk-key/1";

/// Shortest passphrase accepted for a new store.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Set this environment variable (to anything) to use [`KdfParams::TEST`] for
/// NEW key files: the test suite's one switch to keep CI fast. Unlocking
/// always uses the parameters stored in the key file, so a store made this way
/// stays cheap to attack: never set it for real data.
pub const TEST_KDF_ENV: &str = "REVIEWDESK_TEST_CHEAP_KDF";

/// How long deriving a key from a passphrase should take on this machine.
pub const KDF_TARGET: Duration = Duration::from_millis(500);

/// Argon2id cost parameters (memory in KiB, iterations, lanes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl KdfParams {
    /// Cheap parameters, for tests only (see [`TEST_KDF_ENV`]).
    pub const TEST: KdfParams = KdfParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };
    /// The product's memory cost: 64 MiB.
    pub const MEMORY_KIB: u32 = 64 * 1024;

    /// Parameters for a new key file: calibrated so one derivation takes
    /// about [`KDF_TARGET`] here (at least 64 MiB and 2 passes), unless the
    /// test switch is set.
    pub fn for_new_store() -> Result<KdfParams> {
        if std::env::var_os(TEST_KDF_ENV).is_some() {
            return Ok(KdfParams::TEST);
        }
        Self::calibrate(KDF_TARGET)
    }

    /// Time one pass at 64 MiB and choose the number of passes that takes
    /// about `target` (2 to 32).
    pub fn calibrate(target: Duration) -> Result<KdfParams> {
        let probe = KdfParams {
            m_kib: Self::MEMORY_KIB,
            t: 1,
            p: 1,
        };
        let mut out = Zeroizing::new([0u8; 32]);
        let started = Instant::now();
        derive(&probe, b"calibration", &[0u8; 16], &mut out)?;
        let one = started.elapsed().max(Duration::from_millis(1));
        let t = (target.as_secs_f64() / one.as_secs_f64()).round() as u32;
        Ok(KdfParams {
            t: t.clamp(2, 32),
            ..probe
        })
    }

    fn check(&self) -> Result<()> {
        // A damaged or hostile key file must not make us allocate gigabytes.
        if self.m_kib < 8 * self.p.max(1) || self.m_kib > 4 * 1024 * 1024 {
            return Err(key_file_damaged("kdf.m_kib"));
        }
        if self.t == 0 || self.t > 1000 || self.p == 0 || self.p > 16 {
            return Err(key_file_damaged("kdf.t/p"));
        }
        Ok(())
    }
}

fn derive(params: &KdfParams, secret: &[u8], salt: &[u8], out: &mut [u8; 32]) -> Result<()> {
    params.check()?;
    let p = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|e| EngineError::Store(format!("Argon2id: {e}")))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(secret, salt, out)
        .map_err(|e| EngineError::Store(format!("Argon2id: {e}")))
}

/// The store's data key (zeroised on drop).
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    fn random() -> Result<DataKey> {
        let mut k = Zeroizing::new([0u8; 32]);
        fill_random(&mut k[..])?;
        Ok(DataKey(k))
    }

    /// The SQLCipher `PRAGMA key` statement for this key (a raw key, so
    /// SQLCipher's own PBKDF2 is skipped). Zeroised on drop.
    pub(crate) fn pragma(&self, schema: Option<&str>) -> Zeroizing<String> {
        let hex = Zeroizing::new(hex::encode(&self.0[..]));
        Zeroizing::new(match schema {
            Some(s) => format!("PRAGMA {s}.key = \"x'{}'\";", hex.as_str()),
            None => format!("PRAGMA key = \"x'{}'\";", hex.as_str()),
        })
    }

    /// The ATTACH … KEY clause value for this key.
    pub(crate) fn attach_key(&self) -> Zeroizing<String> {
        let hex = Zeroizing::new(hex::encode(&self.0[..]));
        Zeroizing::new(format!("\"x'{}'\"", hex.as_str()))
    }

    pub(crate) fn duplicate(&self) -> DataKey {
        DataKey(Zeroizing::new(*self.0))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// What unlocks a store: the passphrase, or the recovery key.
pub enum Secret {
    Passphrase(Zeroizing<String>),
    RecoveryKey(Zeroizing<String>),
}

impl Secret {
    pub fn passphrase(s: impl Into<String>) -> Secret {
        Secret::Passphrase(Zeroizing::new(s.into()))
    }
    pub fn recovery_key(s: impl Into<String>) -> Secret {
        Secret::RecoveryKey(Zeroizing::new(s.into()))
    }
}

/// The recovery key, as shown to the user once: 52 characters of Crockford
/// base32 in groups of four.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

const B32: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn encode_recovery(bytes: &[u8; 32]) -> RecoveryKey {
    let mut out = Zeroizing::new(String::with_capacity(70));
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    let mut push = |c: u8, out: &mut String| {
        if n > 0 && n % 4 == 0 {
            out.push('-');
        }
        out.push(c as char);
        n += 1;
    };
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            push(B32[((acc >> bits) & 31) as usize], &mut out);
        }
    }
    if bits > 0 {
        push(B32[((acc << (5 - bits)) & 31) as usize], &mut out);
    }
    acc.zeroize();
    RecoveryKey(out)
}

/// Read a recovery key as typed: case, spaces and dashes do not matter, and
/// O/I/L read as 0/1/1.
fn decode_recovery(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 32]);
    let (mut acc, mut bits, mut i) = (0u32, 0u32, 0usize);
    for c in text.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let v = B32.iter().position(|&b| b as char == c)? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            if i >= 32 {
                return None;
            }
            out[i] = (acc >> bits) as u8;
            i += 1;
        }
    }
    acc.zeroize();
    (i == 32).then_some(out)
}

#[derive(Serialize, Deserialize)]
struct Wrapped {
    salt: String,
    nonce: String,
    key: String,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    kdf: KdfParams,
    passphrase: Wrapped,
    recovery: Wrapped,
    created: String,
}

/// Where the wrapped keys of the store at `db` live.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_owned()).unwrap_or_default();
    name.push(".key");
    db.with_file_name(name)
}

fn key_file_damaged(what: &str) -> EngineError {
    EngineError::Store(format!(
        "密钥文件已损坏（{what}），请用备份中的密钥文件替换 / the key file is damaged ({what}); replace it with the copy kept beside a backup"
    ))
}

fn aad(kdf: &KdfParams, which: &str) -> Vec<u8> {
    format!(
        "{KEY_FILE_FORMAT}|{which}|{}|{}|{}",
        kdf.m_kib, kdf.t, kdf.p
    )
    .into_bytes()
}

fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| EngineError::Store(format!("random: {e}")))
}

fn wrap(kdf: &KdfParams, which: &str, secret: &[u8], data: &DataKey) -> Result<Wrapped> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    fill_random(&mut salt)?;
    fill_random(&mut nonce)?;
    let mut kek = Zeroizing::new([0u8; 32]);
    derive(kdf, secret, &salt, &mut kek)?;
    let cipher = XChaCha20Poly1305::new_from_slice(&kek[..])
        .map_err(|e| EngineError::Store(format!("cipher: {e}")))?;
    let aad = aad(kdf, which);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &data.0[..],
                aad: &aad,
            },
        )
        .map_err(|e| EngineError::Store(format!("cipher: {e}")))?;
    Ok(Wrapped {
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        key: hex::encode(ct),
    })
}

/// `None` when the secret is wrong (authentication failed).
fn unwrap(kdf: &KdfParams, which: &str, secret: &[u8], w: &Wrapped) -> Result<Option<DataKey>> {
    let salt = hex::decode(&w.salt).map_err(|_| key_file_damaged("salt"))?;
    let nonce = hex::decode(&w.nonce).map_err(|_| key_file_damaged("nonce"))?;
    let ct = hex::decode(&w.key).map_err(|_| key_file_damaged("key"))?;
    if nonce.len() != 24 || salt.len() < 8 {
        return Err(key_file_damaged("nonce/salt"));
    }
    let mut kek = Zeroizing::new([0u8; 32]);
    derive(kdf, secret, &salt, &mut kek)?;
    let cipher = XChaCha20Poly1305::new_from_slice(&kek[..])
        .map_err(|e| EngineError::Store(format!("cipher: {e}")))?;
    let aad = aad(kdf, which);
    let Ok(plain) = cipher.decrypt(
        XNonce::from_slice(&nonce),
        Payload {
            msg: &ct,
            aad: &aad,
        },
    ) else {
        return Ok(None);
    };
    let plain = Zeroizing::new(plain);
    if plain.len() != 32 {
        return Err(key_file_damaged("key length"));
    }
    let mut k = Zeroizing::new([0u8; 32]);
    k.copy_from_slice(&plain);
    Ok(Some(DataKey(k)))
}

fn read_key_file(path: &Path) -> Result<KeyFile> {
    let text = std::fs::read_to_string(path).map_err(|e| EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let kf: KeyFile = serde_json::from_str(&text).map_err(|e| key_file_damaged(&e.to_string()))?;
    if kf.format != KEY_FILE_FORMAT {
        return Err(EngineError::Store(format!(
            "密钥文件格式 {} 不受支持 / key file format {} is not supported",
            kf.format, kf.format
        )));
    }
    kf.kdf.check()?;
    Ok(kf)
}

fn check_new_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(EngineError::Invalid(format!(
            "口令至少 {MIN_PASSPHRASE_CHARS} 个字符 / the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"
        )));
    }
    Ok(())
}

/// Make a new data key, wrap it under `passphrase` and a new recovery key,
/// and write `key_file` (it must not exist). Returns the data key and the
/// recovery key to show the user once.
pub(crate) fn new_key_file(
    key_file: &Path,
    passphrase: &str,
    kdf: KdfParams,
) -> Result<(DataKey, RecoveryKey)> {
    check_new_passphrase(passphrase)?;
    if key_file.exists() {
        return Err(EngineError::Invalid(format!(
            "密钥文件已存在，不会覆盖：{} / the key file exists and is never overwritten",
            key_file.display()
        )));
    }
    let data = DataKey::random()?;
    let mut rk = Zeroizing::new([0u8; 32]);
    fill_random(&mut rk[..])?;
    let recovery = encode_recovery(&rk);
    let kf = KeyFile {
        format: KEY_FILE_FORMAT.into(),
        kdf,
        passphrase: wrap(&kdf, "passphrase", passphrase.as_bytes(), &data)?,
        recovery: wrap(&kdf, "recovery", &rk[..], &data)?,
        created: super::now(),
    };
    let json = serde_json::to_vec_pretty(&kf).map_err(|e| EngineError::Store(e.to_string()))?;
    write_atomic(key_file, &json)?;
    Ok((data, recovery))
}

/// Unwrap the data key kept in `key_file` with the passphrase or recovery key.
pub fn unwrap_key(key_file: &Path, secret: &Secret) -> Result<DataKey> {
    let kf = read_key_file(key_file)?;
    let found = match secret {
        Secret::Passphrase(p) => unwrap(&kf.kdf, "passphrase", p.as_bytes(), &kf.passphrase)?,
        Secret::RecoveryKey(r) => match decode_recovery(r) {
            Some(bytes) => unwrap(&kf.kdf, "recovery", &bytes[..], &kf.recovery)?,
            None => None,
        },
    };
    found.ok_or_else(|| match secret {
        Secret::Passphrase(_) => {
            EngineError::WrongPassphrase("口令不正确 / the passphrase is not correct".into())
        }
        Secret::RecoveryKey(_) => {
            EngineError::WrongPassphrase("恢复密钥不正确 / the recovery key is not correct".into())
        }
    })
}

/// Re-wrap the data key under a new passphrase (the old passphrase or the
/// recovery key proves the right to do so). The database is not touched.
pub fn change_passphrase(key_file: &Path, proof: &Secret, new_passphrase: &str) -> Result<()> {
    check_new_passphrase(new_passphrase)?;
    let data = unwrap_key(key_file, proof)?;
    let mut kf = read_key_file(key_file)?;
    kf.passphrase = wrap(&kf.kdf, "passphrase", new_passphrase.as_bytes(), &data)?;
    let json = serde_json::to_vec_pretty(&kf).map_err(|e| EngineError::Store(e.to_string()))?;
    write_atomic(key_file, &json)
}

/// Changes the passphrase of the store at `db` and of every backup in its
/// backups folder whose key file the same proof opens (they hold the same
/// data key), so no backup stays locked under a passphrase nobody uses any
/// more. Returns how many backups were re-wrapped; a backup key file the
/// proof does not open (wrapped under an older passphrase) is left as it is.
pub fn change_passphrase_with_backups(
    db: &Path,
    proof: &Secret,
    new_passphrase: &str,
) -> Result<usize> {
    change_passphrase(&key_path(db), proof, new_passphrase)?;
    let dir = crate::backups::backups_dir(db);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(0);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "key"))
        .collect();
    files.sort();
    let mut n = 0;
    for kf in files {
        if unwrap_key(&kf, proof).is_ok() {
            change_passphrase(&kf, proof, new_passphrase)?;
            n += 1;
        }
    }
    Ok(n)
}

/// What is at a store path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum StoreKind {
    /// Nothing yet: the first start.
    Missing,
    /// An unencrypted SQLite store (encrypted on first unlock).
    Plain,
    /// An encrypted store with its key file.
    Encrypted,
}

/// The first 16 bytes of every plain SQLite file.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` starts with the plain SQLite header (an unencrypted store).
pub fn has_plain_header(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == SQLITE_HEADER
}

/// Look at what is stored at `db` (finishing an interrupted encryption of a
/// plain store first, see [`migrate_plain`]).
pub fn inspect(db: &Path) -> Result<StoreKind> {
    super::finish_interrupted_encryption(db)?;
    let key = key_path(db);
    if key.exists() {
        return Ok(StoreKind::Encrypted);
    }
    if !db.exists() {
        return Ok(StoreKind::Missing);
    }
    let empty = std::fs::metadata(db).map(|m| m.len() == 0).unwrap_or(false);
    if empty || has_plain_header(db) {
        return Ok(StoreKind::Plain);
    }
    Err(EngineError::Store(format!(
        "{} 不是评审工作台的数据库，或已损坏；若它是加密的数据库，则缺少密钥文件 {}（可从备份文件夹复制）/ is not a ReviewDesk database or is damaged; if it is an encrypted store, its key file is missing (copy it back from the backups folder)",
        db.display(),
        key.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_keys_read_back_however_they_are_typed() {
        let bytes = [0xA5u8; 32];
        let rk = encode_recovery(&bytes);
        assert_eq!(rk.as_str().len(), 52 + 12, "{}", rk.as_str());
        let typed = rk.as_str().to_lowercase().replace('-', " ");
        assert_eq!(*decode_recovery(&typed).expect("decodes"), bytes);
        assert!(decode_recovery("not a key").is_none());
        assert!(decode_recovery(&rk.as_str()[5..]).is_none(), "too short");
    }

    #[test]
    fn the_key_unwraps_only_with_the_right_secret_and_survives_a_passphrase_change() {
        let dir = tempfile::tempdir().expect("tmp");
        let kf = dir.path().join("s.db.key");
        let (data, recovery) = new_key_file(&kf, "correct horse", KdfParams::TEST).expect("new");
        let same = |k: DataKey| *k.0 == *data.0;
        assert!(same(
            unwrap_key(&kf, &Secret::passphrase("correct horse")).expect("unwrap")
        ));
        assert!(same(
            unwrap_key(&kf, &Secret::recovery_key(recovery.as_str())).expect("recovery")
        ));
        let wrong = unwrap_key(&kf, &Secret::passphrase("wrong horse")).expect_err("wrong");
        assert_eq!(wrong.code(), "wrong_passphrase");
        change_passphrase(
            &kf,
            &Secret::recovery_key(recovery.as_str()),
            "battery staple",
        )
        .expect("change");
        assert!(unwrap_key(&kf, &Secret::passphrase("correct horse")).is_err());
        assert!(same(
            unwrap_key(&kf, &Secret::passphrase("battery staple")).expect("new passphrase")
        ));
        let short = change_passphrase(&kf, &Secret::passphrase("battery staple"), "short");
        assert!(short.is_err());
    }

    #[test]
    fn a_key_file_is_never_overwritten_and_tampered_parameters_fail() {
        let dir = tempfile::tempdir().expect("tmp");
        let kf = dir.path().join("s.db.key");
        new_key_file(&kf, "correct horse", KdfParams::TEST).expect("new");
        assert!(new_key_file(&kf, "correct horse", KdfParams::TEST).is_err());
        let text = std::fs::read_to_string(&kf).expect("read");
        let tampered = text.replacen("\"t\": 1", "\"t\": 2", 1);
        assert_ne!(text, tampered);
        std::fs::write(&kf, tampered).expect("write");
        assert!(unwrap_key(&kf, &Secret::passphrase("correct horse")).is_err());
    }

    #[test]
    fn calibration_keeps_the_product_minimums() {
        let p = KdfParams::calibrate(Duration::from_millis(40)).expect("calibrate");
        assert_eq!(p.m_kib, KdfParams::MEMORY_KIB);
        assert!(p.t >= 2, "{p:?}");
    }
}
