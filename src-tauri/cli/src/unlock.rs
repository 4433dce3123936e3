//! Opening the store from the command line: the passphrase comes from
//! `REVIEWDESK_PASSPHRASE` (scripts and tests; less safe: the environment of
//! a process can be read by the same user) or from a prompt without echo when
//! a person is at the terminal. `REVIEWDESK_RECOVERY_KEY` opens an encrypted
//! store with the recovery key instead.
//!
//! Without any passphrase and without a terminal, a new or plain store stays
//! unencrypted, with a warning on stderr; an encrypted store is refused with
//! `passphrase_required`.

use std::io::IsTerminal;
use std::path::Path;

use reviewdesk_engine::store::{self, crypt, Secret, Store, StoreKind, Unlocked};
use reviewdesk_engine::EngineError;
use zeroize::Zeroizing;

pub const PASSPHRASE_ENV: &str = "REVIEWDESK_PASSPHRASE";
pub const RECOVERY_ENV: &str = "REVIEWDESK_RECOVERY_KEY";
pub const NEW_PASSPHRASE_ENV: &str = "REVIEWDESK_NEW_PASSPHRASE";

fn env_secret() -> Option<Secret> {
    if let Some(p) = std::env::var_os(PASSPHRASE_ENV).filter(|p| !p.is_empty()) {
        return Some(Secret::Passphrase(Zeroizing::new(
            p.to_string_lossy().into_owned(),
        )));
    }
    std::env::var_os(RECOVERY_ENV)
        .filter(|p| !p.is_empty())
        .map(|r| Secret::RecoveryKey(Zeroizing::new(r.to_string_lossy().into_owned())))
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn prompt(label: &str) -> Result<Zeroizing<String>, EngineError> {
    rpassword::prompt_password(label)
        .map(Zeroizing::new)
        .map_err(|e| {
            EngineError::Invalid(format!("无法读取口令 / cannot read the passphrase: {e}"))
        })
}

/// Ask for a new passphrase twice.
pub fn prompt_new(label: &str) -> Result<Zeroizing<String>, EngineError> {
    let first = prompt(&format!("{label}: "))?;
    let again = prompt("再输入一次 / again: ")?;
    if *first != *again {
        return Err(EngineError::Invalid(
            "两次输入的口令不一致 / the two passphrases differ".into(),
        ));
    }
    Ok(first)
}

/// Open the store at `db` for a command that must not create one (read-only
/// commands, and acts on a round that must already exist): a missing file
/// is refused and nothing is created.
pub fn open_existing(db: &Path) -> Result<Store, EngineError> {
    if !db.exists() {
        return Err(EngineError::coded(
            "no_store",
            format!("没有数据库 {}：本命令不会新建数据库", db.display()),
            format!(
                "no store at {}: this command does not create one",
                db.display()
            ),
        ));
    }
    open(db, interactive())
}

/// Open the store at `db`, unlocking or creating it as described above.
pub fn open_store(db: &Path) -> Result<Store, EngineError> {
    open(db, interactive())
}

/// As [`open_store`], never prompting (the demo: one command, no questions).
pub fn open_store_no_prompt(db: &Path) -> Result<Store, EngineError> {
    open(db, false)
}

fn open(db: &Path, may_prompt: bool) -> Result<Store, EngineError> {
    let kind = crypt::inspect(db)?;
    let secret = match env_secret() {
        Some(s) => Some(s),
        None if may_prompt => Some(Secret::Passphrase(match kind {
            StoreKind::Encrypted => prompt(&format!("口令 / passphrase ({}): ", db.display()))?,
            StoreKind::Missing => prompt_new("为新数据库设置口令 / set a passphrase for the new store")?,
            StoreKind::Plain => prompt_new(
                "数据库未加密，设置口令后将加密 / the store is not encrypted: set a passphrase to encrypt it",
            )?,
        })),
        None => None,
    };
    match secret {
        Some(secret) => {
            let unlocked = store::unlock(db, &secret)?;
            Ok(announce(db, unlocked))
        }
        None if kind == StoreKind::Encrypted => Err(EngineError::PassphraseRequired {
            path: db.display().to_string(),
        }),
        None => {
            if kind == StoreKind::Missing {
                eprintln!(
                    "警告：未设置口令（{PASSPHRASE_ENV}），新数据库 {} 未加密 / warning: no passphrase given, the new store is NOT encrypted",
                    db.display()
                );
            }
            Store::open(db)
        }
    }
}

/// Tell the person what just happened to their store (the recovery key is
/// shown once, on stderr, never in JSON on stdout).
fn announce(db: &Path, u: Unlocked) -> Store {
    if let Some(w) = &u.location_warning {
        eprintln!("警告 warning: {w}");
    }
    if u.encrypted_now {
        eprintln!(
            "数据库已加密（先做了备份；{} 个旧备份也已加密）/ the store is now encrypted (backed up first; {} older backups encrypted too): {}",
            u.backups_encrypted,
            u.backups_encrypted,
            db.display()
        );
    }
    if let Some(rk) = &u.recovery_key {
        eprintln!(
            "\n恢复密钥（只显示这一次）：请打印并交单位保管；忘记口令时用它打开数据库。\nRECOVERY KEY (shown only now): print it and hand it to the bureau; it opens the store if the passphrase is forgotten.\n\n    {}\n",
            rk.as_str()
        );
    }
    u.store
}

/// `e` with the way back (the newest good backup, the command that
/// restores it) when it is damage SQLite found in the store at `db`.
pub fn name_the_way_back(e: EngineError, db: &Path) -> EngineError {
    store::damage::name_the_way_back(e, db, env_secret().as_ref())
}

/// The secret a command needs to open an encrypted backup (or `None`).
pub fn secret_for_backup(backup: &Path) -> Result<Option<Secret>, EngineError> {
    if crypt::has_plain_header(backup) {
        return Ok(None);
    }
    if let Some(s) = env_secret() {
        return Ok(Some(s));
    }
    if interactive() {
        return Ok(Some(Secret::Passphrase(prompt(
            "口令 / passphrase (备份 backup): ",
        )?)));
    }
    Ok(None)
}

/// `reviewdesk passphrase`: re-wrap the data key under a new passphrase.
pub fn change(db: &Path) -> Result<(), EngineError> {
    if crypt::inspect(db)? != StoreKind::Encrypted {
        return Err(EngineError::Invalid(
            "数据库未加密：先用口令打开它一次即加密 / the store is not encrypted: open it once with a passphrase to encrypt it".into(),
        ));
    }
    let proof = match env_secret() {
        Some(s) => s,
        None if interactive() => Secret::Passphrase(prompt("当前口令 / current passphrase: ")?),
        None => {
            return Err(EngineError::PassphraseRequired {
                path: db.display().to_string(),
            })
        }
    };
    let new = match std::env::var_os(NEW_PASSPHRASE_ENV).filter(|p| !p.is_empty()) {
        Some(p) => Zeroizing::new(p.to_string_lossy().into_owned()),
        None if interactive() => prompt_new("新口令 / new passphrase")?,
        None => {
            return Err(EngineError::Invalid(format!(
                "请输入新口令，或为脚本设置 {NEW_PASSPHRASE_ENV} / give the new passphrase"
            )))
        }
    };
    let backups = crypt::change_passphrase_with_backups(db, &proof, &new)?;
    if backups > 0 {
        eprintln!("备份的密钥文件也已改用新口令：{backups} 个 / {backups} backups re-wrapped too");
    }
    Ok(())
}
