//! Rules: eligibility, scores and awards computed from a submission and the
//! round's guide (`crate::guide`): `scoring` (pure factor scoring),
//! `evaluate` (one applicant, pure), `round` (the store side: rounds, inputs,
//! stored evaluations, decisions), `budget` (the round against its budget,
//! pro rata to the fen).

pub mod budget;
pub mod evaluate;
pub mod round;
pub mod scoring;
