//! Workbook intake: bytes → grid (in an isolated worker) → extracted,
//! normalised, validated values → a stored submission version.

pub mod grid;
pub mod reader;
pub mod worker;
pub mod import;
pub mod normalize;
pub mod schema;
pub mod extract;
