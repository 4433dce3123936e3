//! Checking a store: `integrity_check`, `foreign_key_check`,
//! `cipher_integrity_check` and the audit chain; the weekly full check.

use rusqlite::OptionalExtension;

use crate::{now, Actor, AuditReport, Result, Store};

/// Result of checking a store file.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    pub ok: bool,
    pub integrity: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub foreign_key_problems: u64,
    /// Pages failing SQLCipher's HMAC check (`cipher_integrity_check`);
    /// always 0 for an unencrypted store.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cipher_problems: u64,
    pub encrypted: bool,
    pub audit: AuditReport,
}

impl Store {
    /// `PRAGMA integrity_check`, `foreign_key_check`,
    /// `cipher_integrity_check` (encrypted stores) and the audit chain.
    pub fn check(&self) -> Result<CheckReport> {
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fk = st.query_map([], |_| Ok(()))?.count() as u64;
        let cipher = if self.key.is_some() {
            let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
            let n = st.query_map([], |_| Ok(()))?.count() as u64;
            n
        } else {
            0
        };
        let audit = self.verify_audit()?;
        Ok(CheckReport {
            ok: integrity == "ok" && fk == 0 && cipher == 0 && audit.ok,
            integrity,
            foreign_key_problems: fk,
            cipher_problems: cipher,
            encrypted: self.key.is_some(),
            audit,
        })
    }

    /// Whether the full check (integrity, foreign keys, cipher pages, audit
    /// chain) has not run for `days` days on this store.
    pub fn full_check_due(&self, days: i64) -> Result<bool> {
        let last: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'last_full_check'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(last) = last else { return Ok(true) };
        let Ok(at) = chrono::DateTime::parse_from_rfc3339(&last) else {
            return Ok(true);
        };
        Ok(chrono::Utc::now().signed_duration_since(at) >= chrono::Duration::days(days))
    }

    /// Run [`Store::check`] and record that it ran (and its verdict) in the
    /// audit trail, so the weekly schedule and every result can be seen.
    pub fn run_full_check(&mut self, actor: &Actor) -> Result<CheckReport> {
        let report = self.check()?;
        let now = now();
        self.change(actor, "store.check", "store", |tx| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('last_full_check', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&now],
            )?;
            Ok((
                (),
                serde_json::json!({
                    "ok": report.ok,
                    "integrity": report.integrity,
                    "foreign_key_problems": report.foreign_key_problems,
                    "cipher_problems": report.cipher_problems,
                    "audit_ok": report.audit.ok,
                }),
            ))
        })?;
        Ok(report)
    }

    /// `PRAGMA quick_check`: the fast check run at every start.
    pub fn quick_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?)
    }
}
