//! The round's home store: the store that holds the round's register.
//! A store that received the round from a round package is not its home:
//! it previews, but does not issue.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{EngineError, Result};

/// The home store a round came from, when this store received it by a
/// round package: `(home store identity, home certificate DER)`.
pub fn home_of(conn: &Connection, year: i32) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT home_store, home_cert FROM exchange_rounds WHERE round_year = ?1",
            [year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether this store is the home of round `year`: it is unless it got the
/// round from a round package.
pub fn is_home(conn: &Connection, year: i32) -> Result<bool> {
    Ok(home_of(conn, year)?.is_none())
}

/// Refuses (`not_register_store`) on a store that is not the home of round
/// `year`: only the home issues numbered letters and corrections.
pub fn ensure_home(conn: &Connection, year: i32) -> Result<()> {
    if is_home(conn, year)? {
        return Ok(());
    }
    Err(EngineError::coded(
        "not_register_store",
        format!("此数据库不是 {year} 年度评审的主库（发文库）：只有主库出具编号的决定书和补正告知书；请把评审包交回主库"),
        format!("this store is not the home of round {year} (the register store): only the home issues numbered letters and corrections; send a review package to the home"),
    ))
}

/// [`ensure_home`] for the round of a submission (a correction notice);
/// a submission without a round is judged by no round's home.
pub fn ensure_home_of_submission(conn: &Connection, submission_id: i64) -> Result<()> {
    let year: Option<i32> = conn
        .query_row(
            "SELECT round_year FROM submissions WHERE id = ?1",
            [submission_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    match year {
        Some(y) => ensure_home(conn, y),
        None => Ok(()),
    }
}

/// The identity of a store: the hash of its first audit entry.
pub fn store_identity(conn: &Connection) -> Result<String> {
    conn.query_row("SELECT hash FROM audit ORDER BY seq LIMIT 1", [], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| EngineError::Store("审计记录为空 / the audit trail is empty".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_that_received_the_round_is_not_its_home() {
        let dir = tempfile::tempdir().expect("tmp");
        let s = crate::store::Store::open(&dir.path().join("s.db")).expect("open");
        assert!(ensure_home(s.conn(), 2026).is_ok());
        s.conn()
            .execute(
                "INSERT INTO exchange_rounds(round_year, home_store, home_cert, received_at)
                 VALUES (2026, 'abc', x'00', 'now')",
                [],
            )
            .expect("insert");
        let e = ensure_home(s.conn(), 2026).expect_err("not home");
        assert_eq!(e.code(), "not_register_store");
        assert!(ensure_home(s.conn(), 2027).is_ok());
        assert!(!store_identity(s.conn()).expect("id").is_empty());
    }
}
