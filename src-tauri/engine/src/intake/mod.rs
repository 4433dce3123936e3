//! Workbook intake: bytes → grid (in an isolated worker) → extracted,
//! normalised, validated values → a stored submission version.

pub mod extract;
pub mod frame;
pub mod grid;
pub mod import;
pub mod normalize;
pub mod reader;
pub mod schema;
pub mod template;
pub mod worker;
