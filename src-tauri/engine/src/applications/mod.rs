//! Applications: what came in and how to read it back. Workbook files become
//! stored submission versions (`import`, over the pure `reviewdesk-intake`);
//! provisional workbooks are linked to a credit code (`provisional`); two
//! versions are compared field by field (`versions`); the read models the
//! app and the CLI share (`queries`; the round overview it re-exports is
//! `review::overview`); a round's export to
//! .xlsx/.csv (`export`); the sample round embedded in the binary
//! (`samples`).

pub mod export;
pub mod import;
pub mod provisional;
pub mod queries;
pub mod receipt;
pub mod samples;
pub mod versions;
