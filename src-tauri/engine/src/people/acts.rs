//! Signed acts: every audit entry a person made carries their certificate's
//! fingerprint and their signature over the act. The hash chain proves the
//! order and that nothing changed; the signatures prove who acted, even to
//! someone who holds the data key (they could rewrite the chain, but not
//! sign as another person).

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::letters::x509::verify_rsa_sha256;
use crate::store::audit::act_message;

/// What checking the signed acts found.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ActsReport {
    /// Entries signed by a person.
    pub signed: u64,
    /// Entries made by the workstation itself (migrations, backups…).
    pub unsigned: u64,
    /// Signed entries whose signature does not verify, or whose signer's
    /// certificate the store does not know: `(seq, reason)`.
    pub bad: Vec<(i64, String)>,
}

impl ActsReport {
    pub fn ok(&self) -> bool {
        self.bad.is_empty()
    }
}

/// Checks every signed entry's signature with the certificate the roster
/// keeps for its fingerprint (a person removed from the roster keeps their
/// certificate there, so their old acts still check).
pub fn verify(conn: &Connection) -> Result<ActsReport> {
    let mut st = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, actor_fp, act_sig FROM audit ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut report = ActsReport::default();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let fp: Option<String> = r.get(7)?;
        let sig: Option<String> = r.get(8)?;
        let (Some(fp), Some(sig)) = (fp, sig) else {
            report.unsigned += 1;
            continue;
        };
        report.signed += 1;
        let msg = act_message(
            seq,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            &r.get::<_, String>(6)?,
            &fp,
        );
        let Some(cert) = signer_certificate(conn, &fp)? else {
            report.bad.push((
                seq,
                format!("签名者证书未知 / unknown signer certificate {}", short(&fp)),
            ));
            continue;
        };
        let ok = hex::decode(&sig).is_ok_and(|s| verify_rsa_sha256(&cert, &msg, &s));
        if !ok {
            report.bad.push((
                seq,
                format!("第 {seq} 条的签名无效 / entry {seq}'s signature does not verify"),
            ));
        }
    }
    Ok(report)
}

/// The certificate kept for a fingerprint when its holder first signed.
pub fn signer_certificate(
    conn: &Connection,
    fingerprint: &str,
) -> Result<Option<x509_cert::Certificate>> {
    use der::Decode;
    use rusqlite::OptionalExtension;
    let der: Option<Vec<u8>> = conn
        .query_row(
            "SELECT cert FROM signers WHERE fingerprint = ?1",
            [fingerprint],
            |r| r.get(0),
        )
        .optional()?;
    Ok(der.and_then(|d| x509_cert::Certificate::from_der(&d).ok()))
}

fn short(fp: &str) -> &str {
    &fp[..fp.len().min(16)]
}
