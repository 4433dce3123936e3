//! Rules: eligibility, scores and awards computed from a submission and the
//! round's guide (`crate::guide`): `scoring` (pure factor scoring) and
//! `evaluate` (one applicant, pure) come from the `reviewdesk-policy` crate;
//! `round` (the store side: rounds, inputs, stored evaluations, decisions)
//! and `budget` (the round against its budget, pro rata to the fen) live here.

pub use reviewdesk_policy::{evaluate, scoring};

pub mod budget;
pub mod round;
