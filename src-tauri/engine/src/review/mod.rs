//! Review: the round's work on the applications, one module per step and
//! the imports pointing one way (each line uses only those above it):
//!
//! - `state`: [`DecisionState`], where a decision stands;
//! - `rounds`: rounds bound to a guide version (`ensure_round`,
//!   `bind_guide` for an edited guide until the first decision), and the
//!   applicant / latest-submission lookups;
//! - `closing`: closing a round's scoring (评审结束, asked by one person and
//!   confirmed by another) and reopening it with a reason;
//! - `decisions`: a decision as stored (its state and its figures, frozen
//!   once approved);
//! - `budget`: the round against its budget per clause and in total, pro
//!   rata to the fen (the arithmetic is the pure `reviewdesk_policy::budget`;
//!   this module reads the round from the store);
//! - `inputs`: the reviewers' inputs (panel scores, conflicts, certified
//!   values, overrules);
//! - `evaluations`: one applicant evaluated as it would be decided, and a
//!   round re-scored and stored;
//! - `workflow`: propose, approve by another identity, return; amend or
//!   revoke an issued decision (a new decision that cites it);
//! - `assignments`: the lead's assignments of applications (or a clause)
//!   to reviewers, each person's progress, the comparison of the reviewers'
//!   points, and independent scoring;
//! - `notes`: internal notes and labels per application (audited, never in
//!   letters);
//! - `overview`: the round overview (the app's 总览), read-only counts over
//!   all of the above and the register.
//!
//! `round` keeps the paths the shells have always used
//! (`review::round::propose`, `::score_round`, `::Decision` …): it only
//! re-exports, and nothing in this folder imports through it.

pub mod assignments;
pub mod budget;
pub mod closing;
pub mod decisions;
pub mod evaluations;
pub mod inputs;
pub mod notes;
pub mod overview;
pub mod round;
pub mod rounds;
pub mod score_json;
mod state;
pub mod workflow;

pub use state::DecisionState;
