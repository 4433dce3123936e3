//! The round's rules, pure: the annual guide as data (`guide`: one loader
//! that reports every problem with its key path; `guide_diff`: two versions
//! compared key by key), factor scoring (`scoring`) and one applicant's
//! evaluation: eligibility, scores, awards, 就高不重复 and the explanation
//! lines (`evaluate`).
//!
//! Architecture Invariant: pure functions of a guide and an extraction. No
//! store (this crate cannot reach rusqlite), no clock, no files.

pub mod budget;
pub mod evaluate;
pub mod guide;
pub mod guide_diff;
pub mod scoring;
