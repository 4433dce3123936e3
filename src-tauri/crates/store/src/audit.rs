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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
    /// SHA-256 of the certificate of the person who made the act (signed
    /// entries only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub actor_fp: Option<String>,
    /// The person's signature over [`act_message`] (hex).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub act_sig: Option<String>,
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditReport {
    pub ok: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// Sequence number of the first entry that does not verify.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
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

/// What a person signs for an act: the entry's fields (as its hash
/// covers them) and their certificate's fingerprint, length-prefixed.
#[allow(clippy::too_many_arguments)]
pub fn act_message(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    prev: &str,
    fingerprint: &str,
) -> Vec<u8> {
    let mut m = Vec::with_capacity(64 + detail.len());
    m.extend_from_slice(b"reviewdesk-act-v1");
    m.extend_from_slice(&seq.to_be_bytes());
    for field in [at, actor, action, subject, detail, prev, fingerprint] {
        m.extend_from_slice(&(field.len() as u64).to_be_bytes());
        m.extend_from_slice(field.as_bytes());
    }
    m
}

/// The hash of a signed entry: v1's fields, the fingerprint and the
/// signature.
fn signed_entry_hash(v1: &str, fingerprint: &str, sig: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"reviewdesk-audit-v2");
    for field in [v1, fingerprint, sig] {
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
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = super::now();
    let detail = detail.to_string();
    let v1 = entry_hash(seq, &at, &actor.0, action, subject, &detail, &prev);
    let (hash, fp, sig) = match actor.key() {
        None => (v1, None, None),
        Some(key) => {
            let fp = key.fingerprint();
            let msg = act_message(seq, &at, &actor.0, action, subject, &detail, &prev, &fp);
            let sig = hex::encode(key.sign(&msg).map_err(|e| {
                crate::error::EngineError::coded(
                    "sign_failed",
                    format!("无法签署本次操作（{action}）：{e}"),
                    format!("cannot sign this act ({action}): {e}"),
                )
            })?);
            conn.prepare_cached(
                "INSERT INTO signers(fingerprint, cert) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?
            .execute(rusqlite::params![fp, key.certificate_der()])?;
            (signed_entry_hash(&v1, &fp, &sig), Some(fp), Some(sig))
        }
    };
    if fp.is_none() {
        // the columns of schema v1: what the first migrations write with
        conn.prepare_cached(
            "INSERT INTO audit(seq, at, actor, action, subject, detail, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(rusqlite::params![
            seq, at, actor.0, action, subject, detail, prev, hash
        ])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO audit(seq, at, actor, action, subject, detail, prev_hash, hash, actor_fp, act_sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(rusqlite::params![
            seq, at, actor.0, action, subject, detail, prev, hash, fp, sig
        ])?;
    }
    Ok(seq)
}

/// Recompute every entry's hash and link; name the first bad entry.
pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash, actor_fp, act_sig FROM audit ORDER BY seq",
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
        let fp: Option<String> = r.get(8)?;
        let sig: Option<String> = r.get(9)?;
        let v1 = entry_hash(seq, &at, &actor, &action, &subject, &detail, &prev_hash);
        let expected = match (&fp, &sig) {
            (Some(fp), Some(sig)) => signed_entry_hash(&v1, fp, sig),
            (None, None) => v1,
            _ => String::new(),
        };
        let problem = if seq != expected_seq {
            Some(format!(
                "第 {expected_seq} 条缺失（下一条是 {seq}）/ entry {expected_seq} is missing (next is {seq})"
            ))
        } else if prev_hash != prev {
            Some(format!(
                "第 {seq} 条与前一条的链接不符 / entry {seq} does not link to the previous entry"
            ))
        } else if expected != hash {
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
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash, actor_fp, act_sig FROM audit
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
            actor_fp: r.get(8)?,
            act_sig: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

// ---------------------------------------------------------------------------
// Anchoring: the chain head, signed statements of it, and proof that the log
// still extends a statement. A chain that lives only on the laptop can be
// rewritten by whoever holds the key; a head filed with the bureau cannot.

/// The chain head: the newest entry's sequence number and hash, and the
/// store's identity (the hash of its first entry, fixed at creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
    pub store_id: String,
}

impl ChainHead {
    /// "#42 3f9a0c1d2e4b" — what letters print: seq and 12 hex of the hash.
    pub fn short(&self) -> String {
        format!("#{} {}", self.seq, &self.hash[..self.hash.len().min(12)])
    }
}

/// The current head (seq 0 and the genesis hash for an empty trail).
pub fn head(conn: &Connection) -> Result<ChainHead> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let store_id: Option<String> = conn
        .query_row("SELECT hash FROM audit WHERE seq = 1", [], |r| r.get(0))
        .optional()?;
    let (seq, hash) = last.unwrap_or((0, GENESIS.to_string()));
    Ok(ChainHead {
        seq,
        hash,
        store_id: store_id.unwrap_or_else(|| GENESIS.to_string()),
    })
}

/// Format tag of a head statement.
pub const STATEMENT_FORMAT: &str = "reviewdesk-audit-head/1";

/// A statement of the chain head at a moment, for the bureau to file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct HeadStatement {
    pub format: String,
    pub store_id: String,
    pub seq: i64,
    pub hash: String,
    /// When the statement was made (UTC, RFC 3339).
    pub at: String,
}

impl HeadStatement {
    pub fn new(head: &ChainHead) -> Self {
        HeadStatement {
            format: STATEMENT_FORMAT.to_string(),
            store_id: head.store_id.clone(),
            seq: head.seq,
            hash: head.hash.clone(),
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

/// Whether the log still extends a statement.
#[derive(Debug, Clone, Serialize)]
pub struct AnchorReport {
    pub ok: bool,
    pub statement: HeadStatement,
    pub current: ChainHead,
    /// Entries appended since the statement (when it still holds).
    pub entries_since: i64,
    pub message: String,
}

/// The log extends `st` when it is the same store, the entry at `st.seq`
/// still has `st.hash`, and the whole chain verifies (each hash covers the
/// previous one, so entries 1..seq are exactly those stated).
pub fn verify_against(conn: &Connection, st: &HeadStatement) -> Result<AnchorReport> {
    let current = head(conn)?;
    let chain = verify(conn)?;
    let at_seq: Option<String> = conn
        .query_row("SELECT hash FROM audit WHERE seq = ?1", [st.seq], |r| {
            r.get(0)
        })
        .optional()?;
    let problem = if st.format != STATEMENT_FORMAT {
        Some(format!(
            "不是审计链头声明（格式 {}）/ not an audit head statement (format {})",
            st.format, st.format
        ))
    } else if st.store_id != current.store_id {
        Some("声明属于另一个数据库 / the statement is about another store".to_string())
    } else if at_seq.is_none() {
        Some(format!(
            "审计链比声明短：第 {} 条已不存在（当前共 {} 条），记录被删除 / the log is shorter than the statement: entry {} is gone (now {}), entries were removed",
            st.seq, current.seq, st.seq, current.seq
        ))
    } else if at_seq.as_deref() != Some(st.hash.as_str()) {
        Some(format!(
            "第 {} 条的哈希与声明不符：声明之后审计链被改写 / entry {} no longer has the stated hash: the log was rewritten after the statement",
            st.seq, st.seq
        ))
    } else if !chain.ok {
        Some(chain.message.clone())
    } else {
        None
    };
    let entries_since = current.seq - st.seq;
    Ok(match problem {
        Some(message) => AnchorReport {
            ok: false,
            statement: st.clone(),
            current,
            entries_since: 0,
            message,
        },
        None => AnchorReport {
            ok: true,
            message: format!(
                "审计链延续了声明（第 {} 条，{}），其后新增 {entries_since} 条 / the log extends the statement (entry {}, {}), {entries_since} entries since",
                st.seq, st.at, st.seq, st.at
            ),
            statement: st.clone(),
            current,
            entries_since,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::{ActSigner, Actor, Store};

    /// A key that "signs" by hashing (the store only needs bytes back).
    struct Key(&'static str);
    impl ActSigner for Key {
        fn fingerprint(&self) -> String {
            self.0.to_string()
        }
        fn sign(&self, m: &[u8]) -> Result<Vec<u8>, String> {
            use sha2::Digest;
            Ok(sha2::Sha256::digest([self.0.as_bytes(), m].concat()).to_vec())
        }
        fn certificate_der(&self) -> Vec<u8> {
            self.0.as_bytes().to_vec()
        }
    }

    #[test]
    fn a_person_signs_each_act_and_the_chain_covers_the_signature() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("s.db");
        let who = Actor::signed("张审核", std::sync::Arc::new(Key("fp-zhang")));
        {
            let mut s = Store::open(&p).expect("open");
            s.change(&who, "decision.propose", "X", |_| {
                Ok(((), serde_json::json!({ "n": 1 })))
            })
            .expect("change");
            let e = super::history(s.conn(), "X").expect("history");
            assert_eq!(e[0].actor_fp.as_deref(), Some("fp-zhang"));
            let msg = super::act_message(
                e[0].seq,
                &e[0].at,
                &e[0].actor,
                &e[0].action,
                &e[0].subject,
                &e[0].detail,
                &e[0].prev_hash,
                "fp-zhang",
            );
            assert_eq!(
                e[0].act_sig.as_deref(),
                Key("fp-zhang").sign(&msg).ok().map(hex::encode).as_deref()
            );
            assert!(s.verify_audit().expect("verify").ok);
        }
        // a changed signature (behind the triggers) breaks the chain there
        let c = rusqlite::Connection::open(&p).expect("raw");
        c.execute_batch("DROP TRIGGER audit_no_update")
            .expect("drop");
        c.execute("UPDATE audit SET act_sig = '00' WHERE subject = 'X'", [])
            .expect("edit");
        drop(c);
        let s = Store::open(&p).expect("reopen");
        let r = s.verify_audit().expect("verify");
        assert!(!r.ok, "{r:?}");
    }

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

    fn store_with_entries(n: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(&dir.path().join("s.db")).expect("open");
        for i in 0..n {
            s.change(&Actor::new("alice"), "note", &format!("n{i}"), |_| {
                Ok(((), serde_json::json!({ "i": i })))
            })
            .expect("change");
        }
        (dir, s)
    }

    #[test]
    fn the_log_extends_an_earlier_head_and_not_a_rewritten_one() {
        let (_dir, mut s) = store_with_entries(3);
        let h = super::head(s.conn()).expect("head");
        assert!(h.seq >= 3);
        assert_eq!(h.short().len(), 1 + h.seq.to_string().len() + 1 + 12);
        let st = super::HeadStatement::new(&h);
        s.change(&Actor::new("bob"), "note", "later", |_| {
            Ok(((), serde_json::json!({})))
        })
        .expect("change");
        let r = super::verify_against(s.conn(), &st).expect("verify");
        assert!(r.ok, "{}", r.message);
        assert_eq!(r.entries_since, 1);

        let mut forged = st.clone();
        forged.hash = super::GENESIS.to_string();
        assert!(!super::verify_against(s.conn(), &forged).expect("v").ok);
        let mut ahead = st.clone();
        ahead.seq += 100;
        let r = super::verify_against(s.conn(), &ahead).expect("v");
        assert!(!r.ok && r.message.contains("shorter"), "{}", r.message);
        let mut other = st;
        other.store_id = "ab".repeat(32);
        assert!(!super::verify_against(s.conn(), &other).expect("v").ok);
    }
}
