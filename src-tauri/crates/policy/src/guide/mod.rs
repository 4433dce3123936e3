//! The annual guide (申报指南) as data: its types, the loader that validates a
//! guide file completely, its content hash, and the built-in 2026 guide.
//!
//! A guide is a TOML file (see `assets/guides/2026.toml`, commented in Chinese
//! and English). [`load_guide`] reads it and checks *everything* in one pass —
//! shape, unknown keys, numbers, cross references to workbook fields and
//! lists, weights, bands, tiers, wording — and returns every problem with the
//! key path where it sits (`clauses.C1.factors: …`), so the bureau fixes a
//! file in one round trip.
//!
//! Numbers. Every amount is exact yuan (`Decimal`); every `Decimal` of the
//! file (money, shares, weights, points, band edges) is written as a quoted
//! string (`cap = "2000000"`, `share = "0.8"`). A bare TOML integer is also
//! accepted, because it is exact; a bare TOML float (`0.8`) is refused,
//! because the TOML reader would pass it through an `f64`. The serde form of
//! the types (JSON for the UI and the store) writes every `Decimal` as a
//! string and every date as `YYYY-MM-DD`.
//!
//! One reader. [`load_guide`] is the only way from text to a [`Guide`]: a
//! walk over the TOML tree (`reader.rs`, with one file per part of the
//! guide) that reports every problem with its key path instead of stopping
//! at the first, as `toml::from_str::<Guide>` would. The types derive only
//! `Serialize` (`guide show --json`); nothing deserializes a `Guide`: a
//! round's guide is stored as its exact text and read back through
//! [`load_guide`].
//!
//! Files: `model.rs` the types; `reader.rs` the walker's core (types,
//! numbers, dates, names, ranges); `sections.rs` the top level and the small
//! sections; `clauses.rs`, `factors.rs`, `awards.rs` a clause and its parts;
//! `fields.rs` the workbook fields a guide may name; `wording.rs` the
//! letters' wording.

mod awards;
mod clauses;
mod factors;
mod fields;
mod model;
mod reader;
mod sections;
mod wording;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};
use toml::Table;

pub use fields::{find_field, FieldScope};
pub use model::*;

/// The clauses (C1, C2a, C2b, C3, C4), as the workbook schema names them.
pub use reviewdesk_domain::schema::Clause;

/// The guide file format this program reads (`format = 1`).
pub const FORMAT: i64 = 1;

/// The text of the guide that ships with the program for 2026.
pub const BUILTIN_2026: &str = include_str!("../../../../../assets/guides/2026.toml");

/// The value of `source` for a factor the reviewers score.
pub const PANEL: &str = "panel";

// ---------------------------------------------------------------------------
// Problems, hash, built-in guide
// ---------------------------------------------------------------------------

/// One thing wrong with a guide file: where (a key path such as
/// `clauses.C1.factors[0].bands[1]`; empty for the whole file) and what, in
/// Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideProblem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for GuideProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// All problems as one engine error (code `guide_invalid`), one per line.
pub fn problems_error(problems: &[GuideProblem]) -> reviewdesk_domain::DomainError {
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    reviewdesk_domain::DomainError::Guide(lines.join("\n"))
}

/// The guide version: SHA-256 of the file's exact bytes, lowercase hex.
pub fn content_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The guide shipped with the program for `year`: its text (hash it with
/// [`content_hash`] to get its version) and the loaded guide. `None` for a
/// year without a shipped guide. (A test guarantees the shipped file loads.)
pub fn builtin(year: i32) -> Option<(&'static str, Guide)> {
    let text = match year {
        2026 => BUILTIN_2026,
        _ => return None,
    };
    load_guide(text).ok().map(|g| (text, g))
}

/// Reads and validates a guide file. Returns the guide, or every problem
/// found (never just the first), each with its key path.
pub fn load_guide(text: &str) -> Result<Guide, Vec<GuideProblem>> {
    let root: Table = match text.parse::<Table>() {
        Ok(t) => t,
        Err(e) => {
            let position = e
                .span()
                .map(|s| line_col(text, s.start))
                .map(|(l, c)| format!("第 {l} 行第 {c} 列 / line {l}, column {c}"))
                .unwrap_or_default();
            return Err(vec![GuideProblem {
                path: String::new(),
                message: format!(
                    "TOML 语法错误 / TOML syntax error ({position}): {}",
                    e.message().trim()
                ),
            }]);
        }
    };
    let mut w = reader::Walker::default();
    let guide = sections::parse_guide(&mut w, &root);
    match (guide, w.problems.is_empty()) {
        (Some(g), true) => Ok(g),
        (None, true) => Err(vec![GuideProblem {
            path: String::new(),
            message: "申报指南无法读取 / the guide could not be read".to_string(),
        }]),
        (_, false) => Err(w.problems),
    }
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = text.get(..byte).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
