//! Errors as they cross IPC: `{code, message}`, a stable code the UI branches
//! on and a message in the user's language. Never a raw Rust error or a trace.

use reviewdesk_engine::letters::LetterError;
use reviewdesk_engine::{DomainError, EngineError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    pub code: String,
    /// The whole message, `中文 / English`.
    pub message: String,
    /// The message in Chinese alone, for the Chinese interface.
    pub message_zh: String,
    /// The message in English alone, for the English interface.
    pub message_en: String,
}

impl IpcError {
    /// An error whose message is written `中文 / English`: the two halves
    /// are separated here, once, on the Rust side.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let (message_zh, message_en) = reviewdesk_engine::error::split_bilingual(&message);
        IpcError {
            code: code.to_string(),
            message,
            message_zh,
            message_en,
        }
    }
}

impl From<EngineError> for IpcError {
    fn from(e: EngineError) -> Self {
        IpcError {
            code: e.code().to_string(),
            message: e.to_string(),
            message_zh: e.message_zh(),
            message_en: e.message_en(),
        }
    }
}

impl From<DomainError> for IpcError {
    fn from(e: DomainError) -> Self {
        EngineError::from(e).into()
    }
}

/// The register module's errors keep the codes the app used before it
/// existed (`io`, `certificate`, the letters codes of [`letter_err`]).
impl From<reviewdesk_engine::register::RegisterError> for IpcError {
    fn from(e: reviewdesk_engine::register::RegisterError) -> Self {
        use reviewdesk_engine::register::RegisterError;
        match e {
            RegisterError::Engine(e) => e.into(),
            RegisterError::Letter(e) => letter_err(e),
            other => IpcError::new(other.code(), other.to_string()),
        }
    }
}

/// A letters-layer error in the user's words; a wrong password gets its own
/// code so the password dialog can say so where it was typed.
pub fn letter_err(e: LetterError) -> IpcError {
    match e {
        LetterError::Pkcs12Password => IpcError::new("wrong_password", e.to_string()),
        LetterError::Certificate(_) => IpcError::new("certificate", e.to_string()),
        other => IpcError::new("letters", other.to_string()),
    }
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        IpcError::new("internal", format!("内部错误 / internal error: {e}"))
    }
}

/// The bytes of a file the person chose (or dropped), or an `io` error that
/// names it.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, IpcError> {
    std::fs::read(path).map_err(|e| {
        IpcError::new(
            "io",
            format!(
                "无法读取 {}：{e} / cannot read {}",
                path.display(),
                path.display()
            ),
        )
    })
}
