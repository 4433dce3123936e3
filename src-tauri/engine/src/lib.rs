//! ReviewDesk review engine: everything a reviewer's decision rests on —
//! the domain model, the SQLite store with its audit chain, workbook intake,
//! the annual guide and its rules, and letters. It never depends on Tauri, so
//! it builds and tests without webkit and the CLI runs on a headless machine.

pub mod bureau_seal;
pub mod delivery;
pub mod error;
pub mod export;
pub mod guide;
pub mod guide_diff;
pub mod intake;
pub mod issue;
pub mod letters;
pub mod money;
pub mod paths;
pub mod queries;
pub mod register;
pub mod rules;
pub mod samples;
pub mod store;
pub mod uscc;
pub mod versions;

pub use error::{EngineError, Result};

/// Rounds whose guide ships with this program; a workbook may declare one of these years.
pub const SHIPPED_ROUNDS: &[i32] = &[2026];
