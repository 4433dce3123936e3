//! The letter register's rules, shared by both shells (the app and the
//! `reviewdesk` command line) so they cannot drift:
//!
//! - [`verdict`]: whether a letter file is a valid letter of this bureau
//!   (signature, integrity, trusted signer, register, voiding, content), one
//!   [`Verdict`] that both shells map to their own output;
//! - [`trust`]: a trust anchor named on the command line (`verify --ca`);
//!   everything else trusts exactly the store's CAs;
//! - [`files`]: where letter files go when a person opens, prints or
//!   exports letters (a folder they name, or the session's temporary
//!   folder; never the data folder), written whole and 0600;
//! - [`seal`]: the letter writer with the bureau's seal image when the store
//!   has one (else the demo seal), and a cache for long-running shells;
//! - [`seal_key`]: the bureau's seal certificate (电子印章): its PKCS#12 kept
//!   in the encrypted store, or the URI of the UKey holding it;
//! - [`batch`]: issuing every approved decision with one signer, with
//!   progress, cancelling and failures collected per decision;
//! - [`outcome`]: what each project of a decision came to (approved,
//!   refused, superseded, zeroed) and which letter decides it: every
//!   project an applicant applied for gets its outcome in writing.
//!
//! Everything here takes the data directory as an argument (shells pass
//! [`crate::paths::data_dir`]) so tests run without touching the real one.

pub mod batch;
pub mod bureau_seal;
pub(crate) mod content;
pub mod delivery;
pub mod files;
pub mod handover;
pub mod issue;
pub mod lookup;
pub mod outcome;
pub mod seal;
pub mod seal_key;
pub mod sealed;
pub mod trust;
pub mod verdict;

pub use verdict::{verdict, Verdict};

use crate::letters::LetterError;
use crate::EngineError;

/// What can go wrong in this module. `code()` is the stable code the shells
/// hand on (the same codes the app used before the module existed).
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// A file could not be written (letters, print copies).
    #[error("无法写入 {path}：{reason} / cannot write {path}")]
    Write { path: String, reason: String },
    /// Another thread panicked while holding the writer cache.
    #[error("字体加载中断 / font loading was interrupted")]
    Interrupted,
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Letter(#[from] LetterError),
}

impl RegisterError {
    /// Stable code for scripts and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            RegisterError::Write { .. } => "io",
            RegisterError::Interrupted => "internal",
            RegisterError::Engine(e) => e.code(),
            RegisterError::Letter(e) => e.code(),
        }
    }
}

/// The command line speaks [`EngineError`] only.
impl From<RegisterError> for EngineError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::Engine(e) => e,
            RegisterError::Write { path, reason } => EngineError::Io {
                path,
                reason: format!("无法写入 / cannot write: {reason}"),
            },
            other => EngineError::Invalid(other.to_string()),
        }
    }
}

/// `bytes` written to `path` atomically and 0600 (the store's
/// `write_atomic`: a temporary file beside it, fsynced, then renamed), its
/// missing folders made 0700.
pub(crate) fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), RegisterError> {
    crate::store::write_atomic(path, bytes).map_err(|e| match e {
        EngineError::Io { path, reason } => RegisterError::Write { path, reason },
        other => RegisterError::Write {
            path: path.display().to_string(),
            reason: other.to_string(),
        },
    })
}
