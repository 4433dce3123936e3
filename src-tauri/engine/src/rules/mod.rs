//! Rules: eligibility, scores and awards computed from a submission and the
//! round's guide (`crate::guide`). Only the pure scoring functions live here
//! so far; the rest of the engine is designed around their inputs.

pub mod evaluate;
pub mod round;
pub mod scoring;
