//! ReviewDesk's shared vocabulary: money in yuan (`money`), unified social
//! credit codes (`uscc`), the clauses and fields of the application workbook
//! (`schema`), and the error the pure crates report (`DomainError`).
//!
//! Architecture Invariant: this crate has no I/O and depends on no other
//! ReviewDesk crate; everything above it (intake, policy, letters, store, the
//! engine) speaks its types.

pub mod money;
pub mod schema;
pub mod uscc;

/// An error raised by a pure crate (intake, policy): a stable code and a
/// message that says where and why. The engine maps it onto `EngineError`
/// with the same code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The input itself was wrong (a value, an argument, a file's content).
    #[error("{0}")]
    Invalid(String),
    /// The annual guide failed validation; every problem with its key path, one per line.
    #[error("申报指南有误 / The guide is invalid:\n{0}")]
    Guide(String),
}

impl DomainError {
    /// Stable code for scripts and the UI (the same as the engine's).
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid(_) => "invalid",
            DomainError::Guide(_) => "guide_invalid",
        }
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;
