//! Engine errors: a stable machine code plus a message written for the person
//! who reads it (Chinese first, English beside it).

use serde::Serialize;

/// Every error the engine returns. `code()` is stable and is what the UI and
/// scripts branch on; the message says where and why in plain words.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store is held by another process (another window or a CLI run).
    #[error("数据库已在另一个窗口中打开（{path}）。请先关闭那个窗口。/ The database is already open in another window ({path}).")]
    StoreLocked { path: String },
    /// The database was written by a newer version of ReviewDesk.
    #[error("数据库版本 {found} 比本程序支持的版本 {supported} 新，请升级评审工作台。/ Database schema {found} is newer than this app supports ({supported}); please upgrade.")]
    StoreTooNew { found: i64, supported: i64 },
    /// The store is encrypted and no passphrase was given.
    #[error("数据库已加密（{path}）：请输入口令，或为脚本设置 REVIEWDESK_PASSPHRASE / The database is encrypted ({path}): enter the passphrase, or set REVIEWDESK_PASSPHRASE for scripts.")]
    PassphraseRequired { path: String },
    /// The passphrase or recovery key does not unwrap the store's key.
    #[error("{0}")]
    WrongPassphrase(String),
    /// Any other problem opening or using the store.
    #[error("数据库错误：{0} / Database error: {0}")]
    Store(String),
    /// The store's file is damaged (malformed, not a database, cut short),
    /// as SQLite found it: the message does not yet name the way back.
    /// [`crate::damage`] turns it into the `store_damaged` refusal that
    /// names the newest good backup and the command that restores it; the
    /// code is the same either way.
    #[error("数据库已损坏：{0} / the store is damaged: {0}")]
    Damaged(String),
    /// SQLite could not write (disk full, file size limit, failing disk);
    /// the transaction was rolled back.
    #[error("无法写入磁盘（磁盘已满、文件大小受限或磁盘故障），本次操作没有保存，数据库保持原样（{0}）/ Cannot write to disk (the disk is full, a file size limit was reached, or the disk failed): this operation was not saved and the database is unchanged ({0})")]
    DiskFull(String),
    /// A file could not be read from disk.
    #[error("无法读取文件 {path}：{reason} / Cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    /// The request itself was wrong (unknown applicant, bad argument…).
    #[error("{0}")]
    Invalid(String),
    /// Something was looked up that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The annual guide failed validation.
    #[error("申报指南有误 / The guide is invalid:\n{0}")]
    Guide(String),
    /// A refusal with its own stable code and its message in Chinese and
    /// English as separate fields (people, keys, the register).
    #[error("{zh} / {en}")]
    Coded {
        code: &'static str,
        zh: String,
        en: String,
    },
}

impl EngineError {
    /// Stable code for scripts and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::StoreLocked { .. } => "store_locked",
            EngineError::StoreTooNew { .. } => "store_too_new",
            EngineError::PassphraseRequired { .. } => "passphrase_required",
            EngineError::WrongPassphrase(_) => "wrong_passphrase",
            EngineError::Store(_) => "store",
            EngineError::Damaged(_) => "store_damaged",
            EngineError::DiskFull(_) => "disk_full",
            EngineError::Io { .. } => "io",
            EngineError::Invalid(_) => "invalid",
            EngineError::NotFound(_) => "not_found",
            EngineError::Guide(_) => "guide_invalid",
            EngineError::Coded { code, .. } => code,
        }
    }

    /// A refusal with a stable code, in Chinese and English.
    pub fn coded(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> EngineError {
        EngineError::Coded {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A refusal with a stable code from a message written `中文 / English`
    /// (what the lower crates' errors display): split once, here.
    pub fn coded_bilingual(code: &'static str, message: &str) -> EngineError {
        let (zh, en) = split_bilingual(message);
        EngineError::Coded { code, zh, en }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            EngineError::Coded { zh, .. } => zh.clone(),
            other => split_bilingual(&other.to_string()).0,
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            EngineError::Coded { en, .. } => en.clone(),
            other => split_bilingual(&other.to_string()).1,
        }
    }
}

/// `中文 / English` → (中文, English): at the first " / " with Chinese
/// before it and English after it (as the UI's `localText` did); a message
/// without one is the same in both.
pub fn split_bilingual(message: &str) -> (String, String) {
    let cjk = |s: &str| {
        s.chars().any(|c| {
            ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
        })
    };
    let mut from = 0;
    while let Some(i) = message[from..].find(" / ") {
        let at = from + i;
        let (left, right) = (&message[..at], &message[at + 3..]);
        // English follows: it starts with a letter, digit, quote or
        // bracket, and has no Chinese near its start (else the " / " was
        // inside the Chinese, e.g. a path)
        let head: String = right.trim_start().chars().take(12).collect();
        let latin_start = right
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "\"'(".contains(c));
        if cjk(left) && latin_start && !cjk(&head) {
            return (left.trim().to_string(), right.trim().to_string());
        }
        from = at + 3;
    }
    (message.to_string(), message.to_string())
}

impl From<reviewdesk_domain::DomainError> for EngineError {
    fn from(e: reviewdesk_domain::DomainError) -> Self {
        match e {
            reviewdesk_domain::DomainError::Invalid(m) => EngineError::Invalid(m),
            reviewdesk_domain::DomainError::Guide(m) => EngineError::Guide(m),
        }
    }
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        if cannot_write(&e) {
            return EngineError::DiskFull(e.to_string());
        }
        if is_damage(&e) {
            return EngineError::Damaged(e.to_string());
        }
        EngineError::Store(e.to_string())
    }
}

/// SQLite could not write: SQLITE_FULL (no space left) or a failed write,
/// which is what a file size limit (EFBIG) or a failing disk gives. The
/// transaction in progress is rolled back.
fn cannot_write(e: &rusqlite::Error) -> bool {
    const SQLITE_IOERR_WRITE: i32 = 778;
    const SQLITE_IOERR_FSYNC: i32 = 1034;
    const SQLITE_IOERR_TRUNCATE: i32 = 1546;
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::DiskFull
            || [SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE].contains(&f.extended_code))
}

/// SQLite found the file damaged: SQLITE_CORRUPT (a malformed page, a file
/// shorter than its header says) or SQLITE_NOTADB (not a database, or not
/// one this key decrypts).
pub(crate) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::DatabaseCorrupt || f.code == rusqlite::ErrorCode::NotADatabase)
}

/// Serialisable `{code, message}` form used across IPC and in JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

impl From<&EngineError> for ErrorBody {
    fn from(e: &EngineError) -> Self {
        ErrorBody {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_apart_in_their_two_languages() {
        let e = EngineError::coded(
            "same_person",
            "提出人不能审批",
            "the proposer cannot approve",
        );
        assert_eq!(
            (e.code(), e.message_zh().as_str()),
            ("same_person", "提出人不能审批")
        );
        assert_eq!(e.message_en(), "the proposer cannot approve");
        // older messages are split once, here: at the " / " after Chinese
        let old = EngineError::Invalid("路径 a / b 不对 / the path a / b is wrong".into());
        assert_eq!(old.message_zh(), "路径 a / b 不对");
        assert_eq!(old.message_en(), "the path a / b is wrong");
        let plain = EngineError::Invalid("no Chinese here".into());
        assert_eq!(plain.message_zh(), plain.message_en());
    }
}
