//! `score --json` without holding the round: the round is scored as
//! [`score_round_totals`] does (each evaluation stored and dropped), then
//! the summary is written as `serde_json::to_string_pretty` would print
//! [`score_round`]'s, byte for byte, with the evaluations read back from the
//! store one applicant at a time (the stored JSON, or an approved decision's
//! frozen figures), so memory is bounded by one evaluation, not the round.
//!
//! [`score_round`]: super::evaluations::score_round

use std::io::Write;

use rusqlite::{params, OptionalExtension};

use super::decisions::decision_of;
use super::evaluations::{frozen_applicants, round_applicants, score_round_totals, RoundScore};
use crate::error::{EngineError, Result};
use crate::rules::evaluate::Evaluation;
use crate::store::{Actor, Store};

/// How the pretty summary with no evaluations ends; the streamed array
/// takes the place of its `[]`.
const EMPTY_TAIL: &str = "\"evaluations\": []\n}";

/// Score the round (stored as [`score_round_totals`] stores it) and write
/// its summary with every evaluation to `out` as pretty JSON and a newline,
/// the same bytes as `to_string_pretty(&score_round(..))` plus `\n`.
/// A write that fails (a closed pipe, `| head`) ends the output quietly:
/// the round is already stored. Returns the summary without evaluations.
pub fn score_round_json(
    store: &mut Store,
    year: i32,
    actor: &Actor,
    out: &mut dyn Write,
) -> Result<RoundScore> {
    let summary = score_round_totals(store, year, actor)?;
    let head = serde_json::to_string_pretty(&summary)
        .map_err(|e| EngineError::Invalid(format!("JSON output: {e}")))?;
    let Some(head) = head.strip_suffix(EMPTY_TAIL) else {
        return Err(EngineError::Invalid(
            "JSON output: the summary does not end with its evaluations".into(),
        ));
    };
    // one read transaction: the evaluations as the score just stored them
    let tx = store.conn().unchecked_transaction()?;
    let ids = round_applicants(&tx, year)?;
    let frozen = frozen_applicants(&tx, year)?;
    let mut stored =
        tx.prepare("SELECT result FROM evaluations WHERE applicant_id = ?1 AND round_year = ?2")?;
    let mut w = Quiet { out, failed: false };
    w.put(head.as_bytes());
    w.put(b"\"evaluations\": [");
    for (i, id) in ids.iter().enumerate() {
        if w.failed {
            break;
        }
        let ev: Evaluation = if frozen.contains(id) {
            decision_of(&tx, *id, year)?
                .ok_or_else(|| EngineError::Store("frozen decision vanished".into()))?
                .figures
        } else {
            let json: Option<String> = stored
                .query_row(params![id, year], |r| r.get(0))
                .optional()?;
            let json = json.ok_or_else(|| {
                EngineError::Store(format!("applicant {id}: no stored evaluation for {year}"))
            })?;
            serde_json::from_str(&json).map_err(|e| {
                EngineError::Store(format!("applicant {id}: stored evaluation unreadable: {e}"))
            })?
        };
        let one = serde_json::to_string_pretty(&ev)
            .map_err(|e| EngineError::Invalid(format!("JSON output: {e}")))?;
        w.put(if i == 0 { b"\n" } else { b",\n" });
        // the element sits two levels deep; JSON strings hold no raw
        // newline, so every line of it is indented alike
        for (n, line) in one.split('\n').enumerate() {
            if n > 0 {
                w.put(b"\n");
            }
            w.put(b"    ");
            w.put(line.as_bytes());
        }
    }
    w.put(if ids.is_empty() {
        b"]\n}\n"
    } else {
        b"\n  ]\n}\n"
    });
    if !w.failed {
        let _ = w.out.flush();
    }
    Ok(summary)
}

/// A writer that stops at its first failure instead of failing the score.
struct Quiet<'a> {
    out: &'a mut dyn Write,
    failed: bool,
}

impl Quiet<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if !self.failed && self.out.write_all(bytes).is_err() {
            self.failed = true;
        }
    }
}
