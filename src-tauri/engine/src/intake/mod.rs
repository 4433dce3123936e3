//! Workbook intake, pure: bytes → grid (in an isolated worker) → extracted,
//! normalised, validated values (the `reviewdesk-intake` crate, re-exported
//! under the path the shells use). Storing a submission is
//! [`crate::applications::import`].

pub use reviewdesk_domain::schema;
pub use reviewdesk_intake::{extract, frame, grid, normalize, reader, template, worker};
