//! ReviewDesk review engine: everything a reviewer's decision rests on —
//! the domain model, the SQLite store with its audit chain, workbook intake,
//! the annual guide and its rules, and letters. It never depends on Tauri, so
//! it builds and tests without webkit and the CLI runs on a headless machine.

pub mod error;
pub mod guide;
pub mod intake;
pub mod money;
pub mod rules;
pub mod store;
pub mod uscc;

pub use error::{EngineError, Result};
