//! The paths callers have always used for the round service
//! (`review::round::score_round`, `::propose`, `::Decision`, `::Identity` …),
//! re-exported from the modules that now hold them: `rounds` (rounds and
//! their guide), `inputs` (the reviewers' inputs), `evaluations` (explain,
//! score), `decisions` and `workflow` (propose → approve / return). Nothing
//! in `review` imports through this module, so it adds no edge between
//! them.

pub use super::decisions::{decision, Decision};
pub use super::evaluations::{explain, score_round, score_round_totals, RoundScore};
pub use super::inputs::{certify, declare_conflict, overrule, record_panel_score};
pub use super::rounds::{
    bind_guide, ensure_round, preview_guide, round_exists, round_guide, round_guides, GuidePreview,
    RoundGuide,
};
pub use super::score_json::score_round_json;
pub use super::workflow::{approve, person_key, propose, return_decision, Identity, NamedIdentity};
pub use super::DecisionState;
