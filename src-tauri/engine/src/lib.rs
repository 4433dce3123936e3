//! ReviewDesk review engine: the one crate the app and the CLI call. It joins
//! the crates below it — `reviewdesk-domain` (money, credit codes, the
//! workbook's vocabulary), `reviewdesk-intake` (workbook → extraction),
//! `reviewdesk-policy` (the guide, scoring, evaluation), `reviewdesk-letters`
//! (letters, PDF, signatures) and `reviewdesk-store` (SQLite, encryption,
//! audit chain) — into the rooms a reviewer works in: `applications`
//! (import, provisional links, versions, queries, export), `review` (rounds,
//! reviewer inputs, evaluations, decisions and their `DecisionState`, the
//! budget, the round overview) and `register` (numbers, letter content,
//! issue, delivery, voiding, the seal, the one letter verdict, register
//! lookups, trust anchors, where letter files go) and `operations` (the
//! working-day calendar, 公示 and objections). It never depends on
//! Tauri, so it builds and tests without webkit and the CLI runs on a
//! headless machine.
//!
//! The lower crates are re-exported under the module names the shells have
//! always used (`reviewdesk_engine::money`, `::guide`, `::letters`, `::store`,
//! `::intake::extract`, `::rules::evaluate`…), so a path names the same item
//! whichever crate now holds it.

pub mod applications;
pub mod audit_statement;
pub mod exchange;
pub mod intake;
pub mod operations;
pub mod paths;
pub mod people;
pub mod register;
pub mod review;
pub mod rules;

pub use reviewdesk_domain::{money, uscc};
pub use reviewdesk_letters as letters;
pub use reviewdesk_policy::{guide, guide_diff};
pub use reviewdesk_store as store;
pub use reviewdesk_store::error;

pub use error::{EngineError, Result};
pub use reviewdesk_domain::DomainError;

/// Rounds whose guide ships with this program; a workbook may declare one of these years.
pub const SHIPPED_ROUNDS: &[i32] = &[2026];

/// A letters error as an engine error that keeps its code (`letter_sign`,
/// `letter_font_missing`, …) and its two languages apart.
pub fn letter_error(e: letters::LetterError) -> EngineError {
    EngineError::coded_bilingual(e.code(), &e.to_string())
}
