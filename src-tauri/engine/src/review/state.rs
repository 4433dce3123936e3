//! Where a decision stands. `decisions.state` stores, and the JSON of the
//! CLI and the app sends, the same lowercase words as always (`proposed`,
//! `approved`, `returned`, `issued`: the store's CHECK constraint and
//! `ui/src/types.ts`' `DecisionState`); in Rust it is this enum, so a
//! misspelt state is a compile error, and a stored word this program does
//! not know is an [`EngineError`], never a panic.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{ToSql, ToSqlOutput};
use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// A decision's state: proposed → approved (by another person) → issued
/// (its letters are in the register), or proposed → returned (a new
/// proposal may follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionState {
    Proposed,
    Approved,
    Returned,
    Issued,
}

impl DecisionState {
    pub const ALL: [DecisionState; 4] = [
        DecisionState::Proposed,
        DecisionState::Approved,
        DecisionState::Returned,
        DecisionState::Issued,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionState::Proposed => "proposed",
            DecisionState::Approved => "approved",
            DecisionState::Returned => "returned",
            DecisionState::Issued => "issued",
        }
    }

    /// Approved or issued: the figures are frozen (trigger
    /// `decisions_frozen`) and count as decided.
    pub fn is_frozen(self) -> bool {
        matches!(self, DecisionState::Approved | DecisionState::Issued)
    }

    /// The state stored in decision `decision_id`; an unknown word is a
    /// store error naming the decision.
    pub(crate) fn from_stored(word: &str, decision_id: i64) -> Result<Self> {
        word.parse().map_err(|_| {
            EngineError::Store(format!(
                "决定 {decision_id} 的状态「{word}」无法识别 / decision {decision_id} has an unknown state '{word}'"
            ))
        })
    }
}

impl fmt::Display for DecisionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DecisionState {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self> {
        DecisionState::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                EngineError::Invalid(format!(
                    "决定状态应为 proposed、approved、returned 或 issued，而不是「{s}」/ a decision state is proposed, approved, returned or issued, not '{s}'"
                ))
            })
    }
}

/// Written as its word (`UPDATE decisions SET state = ?`).
impl ToSql for DecisionState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::DecisionState;

    #[test]
    fn words_round_trip_and_match_serde() {
        for s in DecisionState::ALL {
            assert_eq!(s.as_str().parse::<DecisionState>().ok(), Some(s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::String(s.as_str().into()))
            );
            assert_eq!(s.to_string(), s.as_str());
        }
    }

    #[test]
    fn an_unknown_stored_state_is_an_error_not_a_panic() {
        let e = DecisionState::from_stored("Approved", 7).err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some("store"));
        assert!(e.is_some_and(|e| e.to_string().contains("decision 7")));
        assert!("".parse::<DecisionState>().is_err());
    }

    #[test]
    fn only_approved_and_issued_are_frozen() {
        let frozen: Vec<_> = DecisionState::ALL
            .into_iter()
            .filter(|s| s.is_frozen())
            .collect();
        assert_eq!(frozen, [DecisionState::Approved, DecisionState::Issued]);
    }
}
