//! Workbook intake, pure: bytes → grid (parsed in an isolated worker
//! process, behind limits: `reader`, `worker`, `frame`) → extracted,
//! normalised and validated values with their source cells (`extract`,
//! `normalize`), and the blank workbook for applicants (`template`).
//!
//! Architecture Invariant: no store. This crate cannot reach rusqlite; the
//! engine's `applications` room stores what it extracts.

pub mod extract;
pub mod frame;
pub mod grid;
pub mod normalize;
pub mod reader;
pub mod template;
pub mod worker;

/// The workbook's vocabulary, from the domain crate (kept here under its old path).
pub use reviewdesk_domain::schema;
