//! Round operations after the review and before the money leaves.

pub mod calendar;
pub mod notice;
