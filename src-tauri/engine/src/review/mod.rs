//! Review: the round's work on the applications. `round` holds rounds bound
//! to a guide version, the reviewers' inputs (panel scores, conflicts,
//! certified values, overrules), stored evaluations (computed by the pure
//! `reviewdesk-policy`) and the decisions (propose, approve by another
//! identity, return; figures frozen once approved); `budget` totals the
//! round against its budget, pro rata to the fen.

pub mod budget;
pub mod round;
