//! The audit trail: append-only (triggers refuse updates and deletes) and
//! hash-chained — each entry's hash is SHA-256 over a canonical encoding of
//! its fields and the previous entry's hash, so editing any row breaks the
//! chain at that row.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Actor;
use crate::error::Result;

/// The hash the first entry links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub ok: bool,
    pub entries: u64,
    /// Sequence number of the first entry that does not verify.
    pub first_bad: Option<i64>,
    /// Hash of the last entry (the chain head).
    pub head: String,
    pub message: String,
}

/// Canonical encoding: each field length-prefixed, so no two different
/// entries encode alike.
fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    prev: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(b"reviewdesk-audit-v1");
    h.update(seq.to_be_bytes());
    for field in [at, actor, action, subject, detail, prev] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Append an entry inside the caller's transaction.
pub fn append(
    conn: &Connection,
    actor: &Actor,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = super::now();
    let detail = detail.to_string();
    let hash = entry_hash(seq, &at, &actor.0, action, subject, &detail, &prev);
    conn.execute(
        "INSERT INTO audit(seq, at, actor, action, subject, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![seq, at, actor.0, action, subject, detail, prev, hash],
    )?;
    Ok(seq)
}

/// Recompute every entry's hash and link; name the first bad entry.
pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let actor: String = r.get(2)?;
        let action: String = r.get(3)?;
        let subject: String = r.get(4)?;
        let detail: String = r.get(5)?;
        let prev_hash: String = r.get(6)?;
        let hash: String = r.get(7)?;
        let problem = if seq != expected_seq {
            Some(format!(
                "第 {expected_seq} 条缺失（下一条是 {seq}）/ entry {expected_seq} is missing (next is {seq})"
            ))
        } else if prev_hash != prev {
            Some(format!(
                "第 {seq} 条与前一条的链接不符 / entry {seq} does not link to the previous entry"
            ))
        } else if entry_hash(seq, &at, &actor, &action, &subject, &detail, &prev_hash) != hash {
            Some(format!(
                "第 {seq} 条内容已被改动（{action} {subject}）/ entry {seq} was altered ({action} {subject})"
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            return Ok(AuditReport {
                ok: false,
                entries: n,
                first_bad: Some(expected_seq.min(seq)),
                head: prev,
                message,
            });
        }
        prev = hash;
        expected_seq += 1;
        n += 1;
    }
    Ok(AuditReport {
        ok: true,
        entries: n,
        first_bad: None,
        message: format!("审计链完好，共 {n} 条 / audit chain intact, {n} entries"),
        head: prev,
    })
}

/// Entries about one subject (e.g. an applicant), oldest first.
pub fn history(conn: &Connection, subject: &str) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit
         WHERE subject = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([subject], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::super::{Actor, Store};

    #[test]
    fn updates_and_deletes_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let s = Store::open(&dir.path().join("s.db")).expect("open");
        assert!(s
            .conn()
            .execute("UPDATE audit SET actor = 'x' WHERE seq = 1", [])
            .is_err());
        assert!(s.conn().execute("DELETE FROM audit", []).is_err());
    }

    #[test]
    fn editing_a_row_behind_the_triggers_names_that_row() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("s.db");
        {
            let mut s = Store::open(&p).expect("open");
            for i in 0..5 {
                s.change(&Actor::new("alice"), "note", &format!("n{i}"), |_| {
                    Ok(((), serde_json::json!({ "i": i })))
                })
                .expect("change");
            }
            assert!(s.verify_audit().expect("verify").ok);
            // A tamperer drops the trigger and edits entry 4.
            s.conn()
                .execute_batch(
                    "DROP TRIGGER audit_no_update;
                     UPDATE audit SET actor = 'mallory' WHERE seq = 4;",
                )
                .expect("tamper");
        }
        let s = Store::open(&p).expect("reopen");
        let r = s.verify_audit().expect("verify");
        assert!(!r.ok);
        assert_eq!(r.first_bad, Some(4));
        assert!(r.message.contains('4'));
    }
}
