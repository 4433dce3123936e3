//! Closing a round's scoring (评审结束) and reopening it. Closing takes two
//! people: one asks (a reviewer or an approver), another person — an
//! approver — confirms. A closed round takes no new or changed inputs
//! (panel scores, certified values, overrules, conflicts) until it is
//! reopened with a reason; under the pro-rata rule the budget is shared
//! over the closed round's whole set, so no award depends on the order of
//! approvals, and no proposal is made before the round is closed.
//!
//! Every act is a row of `round_closing` (kept as recorded) and an audit
//! entry; the last act says where the round stands.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::people::{roster, Role};
use crate::review::rounds::ensure_round;
use crate::store::{now, Actor, Store};

/// Where a round's scoring stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Scoring goes on.
    Open,
    /// One person asked to close; another must confirm.
    Closing,
    /// Scoring has ended (评审结束).
    Closed,
}

/// A round's closing state and who did what last.
#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub round: i32,
    pub state: Standing,
    /// Who asked to close (while closing or closed).
    pub requested_by: Option<String>,
    /// Who confirmed (closed).
    pub closed_by: Option<String>,
    /// The reason of the last reopening.
    pub reason: Option<String>,
}

struct Act {
    act: String,
    by: String,
    fp: Option<String>,
    reason: Option<String>,
}

fn last_acts(conn: &Connection, year: i32) -> Result<Vec<Act>> {
    let mut st = conn.prepare_cached(
        "SELECT act, by_name, by_fp, reason FROM round_closing WHERE round_year = ?1
         ORDER BY id DESC LIMIT 2",
    )?;
    let rows = st.query_map([year], |r| {
        Ok(Act {
            act: r.get(0)?,
            by: r.get(1)?,
            fp: r.get(2)?,
            reason: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Where round `year` stands.
pub fn closing(conn: &Connection, year: i32) -> Result<Closing> {
    let acts = last_acts(conn, year)?;
    let mut c = Closing {
        round: year,
        state: Standing::Open,
        requested_by: None,
        closed_by: None,
        reason: None,
    };
    match acts.first().map(|a| a.act.as_str()) {
        Some("request") => {
            c.state = Standing::Closing;
            c.requested_by = acts.first().map(|a| a.by.clone());
        }
        Some("close") => {
            c.state = Standing::Closed;
            c.closed_by = acts.first().map(|a| a.by.clone());
            c.requested_by = acts.get(1).map(|a| a.by.clone());
        }
        Some(_) => c.reason = acts.first().and_then(|a| a.reason.clone()),
        None => {}
    }
    Ok(c)
}

/// Whether round `year`'s scoring is closed.
pub fn is_closed(conn: &Connection, year: i32) -> Result<bool> {
    let closed: Option<String> = conn
        .query_row(
            "SELECT act FROM round_closing WHERE round_year = ?1 ORDER BY id DESC LIMIT 1",
            [year],
            |r| r.get(0),
        )
        .optional()?;
    Ok(closed.as_deref() == Some("close"))
}

/// Refuse a new or changed input while round `year` is closed.
pub(crate) fn not_closed(conn: &Connection, year: i32) -> Result<()> {
    if is_closed(conn, year)? {
        return Err(EngineError::coded(
            "round_closed",
            format!("{year} 年度评审已结束，不能再改动评分依据；如需改动，先重新开启（round reopen --round {year} --reason …）"),
            format!("round {year}'s scoring is closed: nothing it rests on can change until it is reopened (round reopen --round {year} --reason …)"),
        ));
    }
    Ok(())
}

fn record(
    tx: &Connection,
    actor: &Actor,
    year: i32,
    act: &str,
    reason: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO round_closing(round_year, act, by_name, by_fp, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![year, act, actor.0, actor.fingerprint(), reason, now()],
    )?;
    Ok(())
}

/// The same person, by certificate when both acted with one, else by name.
fn same_person(a: &Act, actor: &Actor) -> bool {
    match (a.fp.as_deref(), actor.fingerprint()) {
        (Some(x), Some(y)) => x == y,
        _ => {
            crate::review::workflow::person_key(&a.by)
                == crate::review::workflow::person_key(&actor.0)
        }
    }
}

/// `round close`: the first call asks to close round `year` (a reviewer or
/// an approver), a second by another person, an approver, closes it. Asking
/// twice, or confirming one's own request, is refused (`same_person`).
pub fn close(store: &mut Store, actor: &Actor, year: i32) -> Result<Closing> {
    let conn = store.conn();
    if roster::check_actor(conn, actor, Role::Approver).is_err() {
        roster::check_actor(conn, actor, Role::Reviewer)?;
    }
    let now_state = closing(conn, year)?;
    let acts = last_acts(conn, year)?;
    let action = match now_state.state {
        Standing::Closed => {
            return Err(EngineError::coded(
                "round_closed",
                format!("{year} 年度评审已经结束"),
                format!("round {year}'s scoring is already closed"),
            ))
        }
        Standing::Open => "request",
        Standing::Closing => {
            if acts.first().is_some_and(|a| same_person(a, actor)) {
                return Err(EngineError::coded(
                    "same_person",
                    format!("{} 已提出结束评审，须由另一位审批人确认", actor.0),
                    format!(
                        "{} asked to close the round: another person, an approver, confirms",
                        actor.0
                    ),
                ));
            }
            roster::check_actor(conn, actor, Role::Approver)?;
            "close"
        }
    };
    store.change(
        actor,
        &format!("round.{action}"),
        &format!("round:{year}"),
        |tx| {
            ensure_round(tx, year)?;
            record(tx, actor, year, action, None)?;
            let c = closing(tx, year)?;
            Ok((c, serde_json::json!({ "round": year, "act": action })))
        },
    )
}

/// `round reopen --reason`: an approver reopens a closed round (or
/// withdraws a request to close it); the reason is required.
pub fn reopen(store: &mut Store, actor: &Actor, year: i32, reason: &str) -> Result<Closing> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(EngineError::coded(
            "reason_required",
            "重新开启评审须写明理由（--reason）",
            "reopening a round needs its reason (--reason)",
        ));
    }
    roster::check_actor(store.conn(), actor, Role::Approver)?;
    if closing(store.conn(), year)?.state == Standing::Open {
        return Err(EngineError::coded(
            "round_open",
            format!("{year} 年度评审尚未结束，无需重新开启"),
            format!("round {year}'s scoring is not closed"),
        ));
    }
    store.change(actor, "round.reopen", &format!("round:{year}"), |tx| {
        record(tx, actor, year, "reopen", Some(reason))?;
        let c = closing(tx, year)?;
        Ok((c, serde_json::json!({ "round": year, "reason": reason })))
    })
}
