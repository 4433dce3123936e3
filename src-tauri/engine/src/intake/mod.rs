//! Workbook intake: bytes → grid (in an isolated worker) → extracted,
//! normalised, validated values (the `reviewdesk-intake` crate, re-exported
//! here) → a stored submission version (`import`, the store side).

pub use reviewdesk_domain::schema;
pub use reviewdesk_intake::{extract, frame, grid, normalize, reader, template, worker};

pub mod import;
