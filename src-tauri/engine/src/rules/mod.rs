//! The pure rules of the `reviewdesk-policy` crate, under the path the
//! shells use: `scoring` (factor scoring) and `evaluate` (one applicant:
//! eligibility, scores, awards, 就高不重复, explanation lines). The store
//! side of a round lives in [`crate::review`].

pub use reviewdesk_policy::{evaluate, scoring};
