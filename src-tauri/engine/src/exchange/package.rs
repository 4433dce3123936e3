//! Round packages (home → laptop) and review packages (laptop → home).
//!
//! A package's payload is JSON: the round, the sender's store identity
//! and export counter, and what the kind carries. A round package carries
//! the round's guide text, the roster and trusted CAs, the home's identity
//! and exchange certificate (the exporter's), every workbook version's
//! original bytes with its receipt date, and the home's signed review acts
//! (panel points, certified values, conflict declarations) so the laptop
//! evaluates as the home does. A review package carries the signed acts
//! the laptop's people made since its last export. Every act keeps its
//! audit entry's fields and its author's signature; the receiver checks
//! each one against the roster before it writes anything, then writes the
//! rows and one signed `exchange.apply` entry (carrying the acts) in one
//! transaction.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use der::{Decode, Encode};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::envelope;
use super::home::{home_of, store_identity};
use crate::error::{EngineError, Result};
use crate::letters::chain;
use crate::letters::x509::verify_rsa_sha256;
use crate::people::{fingerprint, holder, roster, Identity};
use crate::store::audit::act_message;
use crate::store::{now, Store};

/// The payload format this program writes and reads.
pub const FORMAT: &str = "reviewdesk-package/1";

/// The acts a package carries and a receiver replays.
pub const REPLAYED: &[&str] = &[
    "panel.score",
    "value.certify",
    "conflict.declare",
    "eligibility.overrule",
    "decision.propose",
    "decision.approve",
    "decision.return",
    "decision.amend",
    "decision.revoke",
];

/// The role the author of a replayed act must hold on the receiver's roster.
fn role_for(action: &str) -> crate::people::Role {
    match action {
        "decision.approve" | "decision.return" => crate::people::Role::Approver,
        _ => crate::people::Role::Reviewer,
    }
}

/// One signed audit entry, as its author's store wrote it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Act {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub fingerprint: String,
    pub signature: String,
    /// What the entry's detail does not name (a certified value's clause
    /// and project): covered by the package's signature.
    #[serde(default)]
    pub extra: serde_json::Value,
    /// The store where the act was made, when not the package's sender
    /// (the home forwarding a laptop's acts in a round package).
    #[serde(default)]
    pub origin: Option<String>,
}

/// One roster row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RosterRow {
    pub holder: String,
    pub fingerprint: String,
    pub cert: String,
    pub roles: String,
    pub enc_cert: Option<String>,
}

/// One workbook version's original bytes and receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Workbook {
    pub name: String,
    pub bytes: String,
    pub received: Option<String>,
    pub reason: Option<String>,
}

/// What a package holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub format: String,
    pub kind: String,
    pub round: i32,
    pub schema: i64,
    /// The sender's store identity.
    pub store: String,
    /// The sender's export counter.
    pub serial: i64,
    pub created_at: String,
    /// The round's home store identity.
    pub home_store: String,
    /// The home's exchange certificate (DER, hex): review packages are
    /// encrypted to it.
    pub home_cert: String,
    #[serde(default)]
    pub guide: Option<String>,
    #[serde(default)]
    pub cas: Vec<String>,
    #[serde(default)]
    pub roster: Vec<RosterRow>,
    #[serde(default)]
    pub workbooks: Vec<Workbook>,
    #[serde(default)]
    pub acts: Vec<Act>,
    /// The stores that were this round's home before the sender (a home
    /// moved by hand-over): a laptop that got the round from one of them
    /// takes the sender as its home now.
    #[serde(default)]
    pub succeeds: Vec<String>,
    /// A hand-over: the decisions already issued (by credit code and
    /// proposal), and the register's highest number per year, so the new
    /// home neither issues them again nor reuses a number.
    #[serde(default)]
    pub issued: Vec<serde_json::Value>,
    #[serde(default)]
    pub floors: BTreeMap<String, i64>,
    /// Every guide version the round has used (exact texts): a decision
    /// proposed under an earlier version applies on the receiver too.
    #[serde(default)]
    pub guides: Vec<String>,
    /// A hand-over: the register's rows and the letters' signed PDFs, so
    /// the new home shows, verifies and amends what the old one issued.
    #[serde(default)]
    pub register: Vec<crate::register::handover::RegisterRow>,
}

/// What `package export` reports.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackageExport {
    pub kind: String,
    pub changes: usize,
    pub path: String,
}

/// Who signed a package.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Sender {
    pub holder: String,
    pub fingerprint: String,
}

/// A change that met a different change to the same thing: not applied.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    pub what: String,
    pub ours: String,
    pub theirs: String,
}

/// What `package import` reports.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackageReport {
    pub kind: String,
    pub from: Option<Sender>,
    pub applied: usize,
    pub conflicts: Vec<Conflict>,
    /// Why the package was refused whole (nothing changed), else `null`.
    pub refused: Option<String>,
}

fn refusal(kind: &str, from: Option<Sender>, why: String) -> PackageReport {
    PackageReport {
        kind: kind.to_string(),
        from,
        applied: 0,
        conflicts: Vec::new(),
        refused: Some(why),
    }
}

fn cert_hex(c: &Certificate) -> Result<String> {
    c.to_der()
        .map(hex::encode)
        .map_err(|e| EngineError::coded("certificate_invalid", e.to_string(), e.to_string()))
}

fn cert_of_hex(h: &str) -> Option<Certificate> {
    hex::decode(h)
        .ok()
        .and_then(|d| Certificate::from_der(&d).ok())
}

fn next_serial(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(serial), 0) + 1 FROM exchange_exports",
        [],
        |r| r.get(0),
    )?)
}

/// The signed acts this store's people made on round `year`'s applicants
/// after audit entry `after`, of the kinds a receiver replays.
fn acts_since(conn: &Connection, year: i32, after: i64) -> Result<Vec<Act>> {
    let mut st = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, actor_fp, act_sig FROM audit
         WHERE seq > ?1 AND actor_fp IS NOT NULL AND act_sig IS NOT NULL
           AND subject IN (SELECT a.credit_code FROM applicants a JOIN submissions s ON s.applicant_id = a.id
                           WHERE s.round_year = ?2)
         ORDER BY seq",
    )?;
    let rows = st.query_map(params![after, year], act_of_row)?;
    let mut out = Vec::new();
    for a in rows {
        let mut a = a?;
        if !REPLAYED.contains(&a.action.as_str()) {
            continue;
        }
        if a.action == "value.certify" {
            a.extra = certified_row(conn, &a)?;
        } else if a.action.starts_with("decision.") {
            a.extra = super::decisions::extra(conn, &a)?;
        }
        out.push(a);
    }
    Ok(out)
}

/// An act from an audit row (seq, at, actor, action, subject, detail,
/// prev_hash, actor_fp, act_sig).
fn act_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Act> {
    Ok(Act {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        fingerprint: r.get(7)?,
        signature: r.get(8)?,
        extra: serde_json::Value::Null,
        origin: None,
    })
}

/// The clause and project of the certified value an act recorded (the row
/// written by that act: same person, same time, same field).
fn certified_row(conn: &Connection, a: &Act) -> Result<serde_json::Value> {
    let d: serde_json::Value = serde_json::from_str(&a.detail).unwrap_or_default();
    let field = d["field"].as_str().unwrap_or_default();
    let row: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT c.clause, c.project FROM certified_values c JOIN applicants p ON p.id = c.applicant_id
             WHERE p.credit_code = ?1 AND c.field = ?2 AND c.by = ?3 AND c.at <= ?4
             ORDER BY c.id DESC LIMIT 1",
            params![a.subject, field, a.actor, a.at],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (clause, project) = row.unwrap_or_default();
    Ok(serde_json::json!({ "clause": clause, "project": project }))
}

/// The review state a round package carries: the home's own signed acts
/// on the round and those it applied from laptops (each with its origin).
fn round_acts(conn: &Connection, year: i32) -> Result<Vec<Act>> {
    let mut acts = acts_since(conn, year, 0)?;
    let mut st = conn.prepare(
        "SELECT detail FROM audit WHERE action = 'exchange.apply' AND subject = ?1 ORDER BY seq",
    )?;
    let details = st
        .query_map([format!("round:{year}")], |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for d in details {
        let v: serde_json::Value = serde_json::from_str(&d).unwrap_or_default();
        let from = v["from_store"].as_str().map(str::to_string);
        let carried: Vec<Act> = serde_json::from_value(v["acts"].clone()).unwrap_or_default();
        for mut a in carried {
            if a.origin.is_none() {
                a.origin = from.clone();
            }
            acts.push(a);
        }
    }
    Ok(acts)
}

fn write_package(
    store: &mut Store,
    by: &Identity,
    payload: &Payload,
    recipients: &[Certificate],
    upto: i64,
    path: &Path,
) -> Result<PackageExport> {
    let json = serde_json::to_vec(payload)
        .map_err(|e| EngineError::Invalid(format!("package JSON: {e}")))?;
    let sealed = envelope::seal(&json, by.signer(), recipients)?;
    let sha = hex::encode(Sha256::digest(&sealed));
    let to: Vec<String> = recipients.iter().map(fingerprint).collect();
    let changes = payload.acts.len() + payload.workbooks.len();
    let actor = by.actor();
    let kind = payload.kind.clone();
    let (serial, year) = (payload.serial, payload.round);
    let handover = kind == "handover";
    let new_home = recipients
        .first()
        .map(|c| c.to_der())
        .transpose()
        .map_err(|e| EngineError::coded("certificate_invalid", e.to_string(), e.to_string()))?;
    store.change(
        &actor,
        if handover { "exchange.handover" } else { "exchange.export" },
        &format!("round:{year}"),
        |tx| {
            tx.execute(
                "INSERT INTO exchange_exports(serial, kind, round_year, upto_seq, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![serial, kind, year, upto, now()],
            )?;
            if handover {
                // from now on this store is not the round's home: it stops
                // issuing (`not_register_store`), and its review packages
                // go to the new home
                tx.execute(
                    "INSERT INTO exchange_rounds(round_year, home_store, home_cert, received_at) VALUES (?1, ?2, ?3, ?4)",
                    params![year, format!("handover:{sha}"), new_home, now()],
                )?;
            }
            crate::store::write_atomic(path, &sealed)?;
            Ok((
                (),
                serde_json::json!({ "kind": kind, "serial": serial, "to": to, "sha256": sha, "changes": changes }),
            ))
        },
    )?;
    Ok(PackageExport {
        kind: payload.kind.clone(),
        changes,
        path: path.display().to_string(),
    })
}

fn last_seq(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit", [], |r| r.get(0))?)
}

/// `package export --round Y --to PERSON.pem …` on the round's home: the
/// round package for `recipients`, signed by `by` (the home's exchange
/// certificate for this turn), encrypted to each recipient's encryption
/// certificate where the roster keeps one, else the certificate given.
pub fn export_round(
    store: &mut Store,
    by: &Identity,
    year: i32,
    recipients: &[Certificate],
    path: &Path,
) -> Result<PackageExport> {
    super::home::ensure_home(store.conn(), year)?;
    roster::check(store.conn(), by, crate::people::Role::Reviewer)
        .or_else(|_| roster::check(store.conn(), by, crate::people::Role::Admin))?;
    let to = recipients_of(store.conn(), recipients)?;
    let (payload, upto) = round_payload(store.conn(), by, year, "round")?;
    write_package(store, by, &payload, &to, upto, path)
}

fn recipients_of(conn: &Connection, recipients: &[Certificate]) -> Result<Vec<Certificate>> {
    let mut to = Vec::new();
    for r in recipients {
        to.push(roster::recipient_certificate(conn, &fingerprint(r))?.unwrap_or_else(|| r.clone()));
    }
    Ok(to)
}

/// `package handover --round Y --to PERSON.pem` on the round's home, by
/// the register office or an administrator: the round package for the
/// person whose store becomes the home, with the decisions already issued
/// and the register's highest numbers. In the same transaction as the
/// export's signed `exchange.handover` entry this store stops being the
/// home: it issues nothing more for the round.
pub fn export_handover(
    store: &mut Store,
    by: &Identity,
    year: i32,
    recipient: &Certificate,
    path: &Path,
) -> Result<PackageExport> {
    super::home::ensure_home(store.conn(), year)?;
    roster::check(store.conn(), by, crate::people::Role::Register)
        .or_else(|_| roster::check(store.conn(), by, crate::people::Role::Admin))?;
    if roster::person(store.conn(), &fingerprint(recipient))?.is_none() {
        return Err(EngineError::coded(
            "not_on_roster",
            format!("{} 不在名册上：主库只能交给名册上的人", holder(recipient)),
            format!(
                "{} is not on the roster: the home moves only to a person on it",
                holder(recipient)
            ),
        ));
    }
    let to = recipients_of(store.conn(), std::slice::from_ref(recipient))?;
    let conn = store.conn();
    let (mut payload, upto) = round_payload(conn, by, year, "handover")?;
    payload.register = crate::register::handover::export_rows(conn)?;
    let mut st = conn.prepare(
        "SELECT CAST(year AS TEXT), MAX(seq) FROM register GROUP BY year
         UNION ALL SELECT substr(key, 16), CAST(value AS INTEGER) FROM meta WHERE key LIKE 'register_floor:%'",
    )?;
    for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (y, n) = row?;
        let e = payload.floors.entry(y).or_insert(0);
        *e = (*e).max(n);
    }
    drop(st);
    write_package(store, by, &payload, &to, upto, path)
}

/// The decisions of round `year` issued here, each by its credit code and
/// proposal: a round package carries them so a laptop can propose their
/// amendment or revocation, a hand-over so the new home issues none again.
fn issued_decisions(conn: &Connection, year: i32) -> Result<Vec<serde_json::Value>> {
    let mut st = conn.prepare(
        "SELECT a.credit_code, d.proposer_fp, d.proposed_at FROM decisions d
         JOIN applicants a ON a.id = d.applicant_id WHERE d.round_year = ?1 AND d.state = 'issued'",
    )?;
    let rows = st
        .query_map([year], |r| {
            Ok(serde_json::json!({ "code": r.get::<_, Option<String>>(0)?,
                "fp": r.get::<_, Option<String>>(1)?, "at": r.get::<_, String>(2)? }))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The texts of every guide version round `year` has used: its current
/// guide and those its decisions were proposed under.
fn round_guides(conn: &Connection, year: i32) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT text FROM guides WHERE hash IN (SELECT guide_hash FROM rounds WHERE year = ?1
           UNION SELECT guide_hash FROM decisions WHERE round_year = ?1) ORDER BY loaded_at, hash",
    )?;
    let texts = st
        .query_map([year], |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(texts)
}

/// A round package's guide versions kept here (each under the hash of its
/// exact text, computed here), and the round bound to the home's current
/// guide, so the laptop evaluates as the home does: `(versions, current)`.
fn take_guides(tx: &Connection, p: &Payload) -> Result<(usize, Option<String>)> {
    let mut added = 0;
    for text in &p.guides {
        let hash = crate::guide::content_hash(text);
        added += tx.execute(
            "INSERT OR IGNORE INTO guides(hash, text, loaded_at) VALUES (?1, ?2, ?3)",
            params![hash, text, now()],
        )?;
    }
    let Some(current) = p.guide.as_deref() else {
        return Ok((added, None));
    };
    let hash = crate::guide::content_hash(current);
    tx.execute(
        "INSERT OR IGNORE INTO guides(hash, text, loaded_at) VALUES (?1, ?2, ?3)",
        params![hash, current, now()],
    )?;
    tx.execute(
        "UPDATE rounds SET guide_hash = ?2 WHERE year = ?1 AND guide_hash <> ?2",
        params![p.round, hash],
    )?;
    Ok((added, Some(hash)))
}

/// Marks the decisions a round package or hand-over names as issued at
/// its home (only approved ones: the one step `decisions_frozen` admits).
fn mark_issued(tx: &Connection, p: &Payload) -> Result<()> {
    for d in &p.issued {
        tx.execute(
            "UPDATE decisions SET state = 'issued' WHERE state = 'approved' AND round_year = ?1
               AND proposer_fp IS ?3 AND proposed_at = ?4
               AND applicant_id = (SELECT id FROM applicants WHERE credit_code = ?2)",
            params![
                p.round,
                d["code"].as_str(),
                d["fp"].as_str(),
                d["at"].as_str()
            ],
        )?;
    }
    Ok(())
}

/// The former homes of round `year` this store succeeds (hand-overs it
/// received), oldest first.
pub fn succeeds(conn: &Connection, year: i32) -> Result<Vec<String>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [format!("exchange_succeeds:{year}")],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// What a round package (or a hand-over) of round `year` carries, and the
/// audit position it reaches.
fn round_payload(
    conn: &Connection,
    by: &Identity,
    year: i32,
    kind: &str,
) -> Result<(Payload, i64)> {
    let guide: Option<String> = conn
        .query_row(
            "SELECT g.text FROM rounds r JOIN guides g ON g.hash = r.guide_hash WHERE r.year = ?1",
            [year],
            |r| r.get(0),
        )
        .optional()?;
    let cas = roster::trusted_cas(conn)?
        .iter()
        .map(cert_hex)
        .collect::<Result<Vec<_>>>()?;
    let mut st = conn.prepare(
        "SELECT holder, fingerprint, cert, roles, enc_cert FROM roster WHERE removed_at IS NULL ORDER BY holder",
    )?;
    let roster_rows = st
        .query_map([], |r| {
            Ok(RosterRow {
                holder: r.get(0)?,
                fingerprint: r.get(1)?,
                cert: hex::encode(r.get::<_, Vec<u8>>(2)?),
                roles: r.get(3)?,
                enc_cert: r.get::<_, Option<Vec<u8>>>(4)?.map(hex::encode),
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    drop(st);
    let mut st = conn.prepare(
        "SELECT s.file_name, b.bytes, r.received_on, r.reason FROM submissions s
         JOIN blobs b ON b.hash = s.file_hash LEFT JOIN receipts r ON r.submission_id = s.id
         WHERE s.round_year = ?1 ORDER BY s.id",
    )?;
    let workbooks = st
        .query_map([year], |r| {
            Ok(Workbook {
                name: r.get(0)?,
                bytes: hex::encode(r.get::<_, Vec<u8>>(1)?),
                received: r.get(2)?,
                reason: r.get(3)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let upto = last_seq(conn)?;
    drop(st);
    let payload = Payload {
        format: FORMAT.into(),
        kind: kind.into(),
        round: year,
        schema: crate::store::SCHEMA_VERSION,
        store: store_identity(conn)?,
        serial: next_serial(conn)?,
        created_at: now(),
        home_store: store_identity(conn)?,
        home_cert: cert_hex(by.certificate())?,
        guide,
        cas,
        roster: roster_rows,
        workbooks,
        acts: round_acts(conn, year)?,
        succeeds: succeeds(conn, year)?,
        issued: issued_decisions(conn, year)?,
        floors: BTreeMap::new(),
        register: Vec::new(),
        guides: round_guides(conn, year)?,
    };
    Ok((payload, upto))
}

/// `package export --round Y` on a store that received the round: the
/// signed acts of its people since its last export, encrypted to the
/// home's exchange certificate.
pub fn export_review(
    store: &mut Store,
    by: &Identity,
    year: i32,
    path: &Path,
) -> Result<PackageExport> {
    let conn = store.conn();
    let Some((home_store, home_cert)) = home_of(conn, year)? else {
        return Err(EngineError::coded(
            "round_is_home",
            format!("此数据库是 {year} 年度评审的主库：用 --to 导出评审轮次包"),
            format!("this store is the home of round {year}: export a round package with --to"),
        ));
    };
    let home_cert = Certificate::from_der(&home_cert).map_err(|e| {
        EngineError::Store(format!(
            "主库证书无法读取 / the home's certificate is unreadable: {e}"
        ))
    })?;
    let after: i64 = conn.query_row(
        "SELECT COALESCE(MAX(upto_seq), 0) FROM exchange_exports WHERE kind = 'review' AND round_year = ?1",
        [year],
        |r| r.get(0),
    )?;
    // acts applied here from other stores are not this store's to send
    let acts: Vec<Act> = acts_since(conn, year, after)?;
    let upto = last_seq(conn)?;
    let payload = Payload {
        format: FORMAT.into(),
        kind: "review".into(),
        round: year,
        schema: crate::store::SCHEMA_VERSION,
        store: store_identity(conn)?,
        serial: next_serial(conn)?,
        created_at: now(),
        home_store,
        home_cert: cert_hex(&home_cert)?,
        guide: None,
        cas: Vec::new(),
        roster: Vec::new(),
        workbooks: Vec::new(),
        acts,
        succeeds: Vec::new(),
        issued: Vec::new(),
        floors: BTreeMap::new(),
        register: Vec::new(),
        guides: Vec::new(),
    };
    write_package(store, by, &payload, &[home_cert], upto, path)
}

/// A round package's workbooks imported from their bytes by `parser`,
/// each with the receipt date the home recorded (both shells call it).
pub fn import_received(
    store: &mut Store,
    parser: &crate::intake::worker::ParserPool,
    actor: &crate::store::Actor,
    files: &[(PathBuf, Option<String>, Option<String>)],
) -> Result<()> {
    use crate::applications::import::import_paths;
    use crate::applications::receipt::{record_imported, Receipt};
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let today = chrono::Local::now().date_naive();
    for (path, received, reason) in files {
        let mut progress = |_d: usize, _t: usize, _p: &Path| {};
        let report = import_paths(
            store,
            parser,
            std::slice::from_ref(path),
            crate::SHIPPED_ROUNDS,
            actor,
            &mut progress,
            &cancel,
        )?;
        if let Some(on) = received {
            let reason = reason
                .clone()
                .unwrap_or_else(|| "随评审轮次包收到 / received with the round package".into());
            let receipt = Receipt::parse(on, Some(&reason), today)?;
            record_imported(store, actor, &report, &receipt)?;
        }
    }
    Ok(())
}

/// Where a store stands in a round's exchange (设置 › 协作).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExchangeStatus {
    pub round: i32,
    /// This store is the round's home (the register store).
    pub is_home: bool,
    /// It handed the home over to another store.
    pub handed_over: bool,
    /// The home's store identity (short), when this store is not it.
    pub home_store: Option<String>,
    /// When this store last exported or applied a package of the round.
    pub last_exchange: Option<String>,
    /// Packages applied here, and exported from here.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub applied: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub exported: i64,
}

/// Where this store stands in round `year`'s exchange.
pub fn status(conn: &Connection, year: i32) -> Result<ExchangeStatus> {
    let home = home_of(conn, year)?.map(|(h, _)| h);
    let (applied, last_in): (i64, Option<String>) = conn.query_row(
        "SELECT count(*), MAX(applied_at) FROM exchange_packages WHERE round_year = ?1",
        [year],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (exported, last_out): (i64, Option<String>) = conn.query_row(
        "SELECT count(*), MAX(at) FROM exchange_exports WHERE round_year = ?1",
        [year],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(ExchangeStatus {
        round: year,
        is_home: home.is_none(),
        handed_over: home.as_deref().is_some_and(|h| h.starts_with("handover:")),
        home_store: home.map(|h| h.get(..16).unwrap_or(&h).to_string()),
        last_exchange: last_in.into_iter().chain(last_out).max(),
        applied,
        exported,
    })
}

/// Imports workbooks (the shell's parser): `(file, received, reason)`.
pub type ImportWorkbooks<'a> =
    &'a mut dyn FnMut(&mut Store, &[(PathBuf, Option<String>, Option<String>)]) -> Result<()>;

/// `package import FILE [--ca CA.pem]`: opens the package for `by` (with
/// its private key `key`), checks it whole, then applies it. A refusal
/// comes back in the report (`refused`), with nothing changed.
pub fn import(
    store: &mut Store,
    by: &Identity,
    key: &rsa::PrivateKey,
    bytes: &[u8],
    ca: Option<&Certificate>,
    import_workbooks: ImportWorkbooks<'_>,
) -> Result<PackageReport> {
    let opened = match envelope::open(bytes, by.certificate(), key) {
        Ok(o) => o,
        Err(e) if matches!(e.code(), "package_tampered" | "package_not_for_you") => {
            return Ok(refusal("unknown", None, e.to_string()))
        }
        Err(e) => return Err(e),
    };
    let from = Sender {
        holder: holder(&opened.signer),
        fingerprint: fingerprint(&opened.signer),
    };
    let payload: Payload = match serde_json::from_slice(&opened.payload) {
        Ok(p) => p,
        Err(e) => {
            return Ok(refusal(
                "unknown",
                Some(from),
                format!("评审包内容无法读取 / the package's content is unreadable: {e}"),
            ))
        }
    };
    let kind = payload.kind.clone();
    let sha = hex::encode(Sha256::digest(bytes));
    match check(store.conn(), &payload, &opened, ca, &sha)? {
        Check::Refused(why) => return Ok(refusal(&kind, Some(from), why)),
        Check::AlreadyApplied => {
            return Ok(PackageReport {
                kind,
                from: Some(from),
                applied: 0,
                conflicts: Vec::new(),
                refused: None,
            })
        }
        Check::Fresh => {}
    }
    let mut applied = 0;
    let me = store_identity(store.conn())?;
    let mut payload = payload;
    // this store's own acts coming back in a round package are already here
    payload
        .acts
        .retain(|a| a.origin.as_deref() != Some(me.as_str()));
    if kind == "round" || kind == "handover" {
        // the store is marked as having received the round before its
        // workbooks arrive, so a run stopped midway never leaves a store
        // that looks like the round's home; importing again completes it
        mark_received(store, by, &payload)?;
        applied += round_workbooks(store, &payload, import_workbooks)?;
    }
    let (n, conflicts) = apply(store, by, &payload, &from, &sha, ca)?;
    applied += n;
    Ok(PackageReport {
        kind,
        from: Some(from),
        applied,
        conflicts,
        refused: None,
    })
}

enum Check {
    Fresh,
    AlreadyApplied,
    Refused(String),
}

/// Everything checked before anything is written.
fn check(
    conn: &Connection,
    p: &Payload,
    opened: &envelope::Opened,
    ca: Option<&Certificate>,
    sha: &str,
) -> Result<Check> {
    if p.format != FORMAT || !matches!(p.kind.as_str(), "round" | "review" | "handover") {
        return Ok(Check::Refused(format!(
            "不认识的评审包格式「{}」/ unknown package format “{}”",
            p.format, p.format
        )));
    }
    if p.schema > crate::store::SCHEMA_VERSION {
        return Ok(Check::Refused(format!(
            "评审包由更新的程序生成（数据库版本 {}，本程序 {}）/ the package was built by a newer schema ({} > {})",
            p.schema,
            crate::store::SCHEMA_VERSION,
            p.schema,
            crate::store::SCHEMA_VERSION
        )));
    }
    let applied: Option<i64> = conn
        .query_row(
            "SELECT applied FROM exchange_packages WHERE sha256 = ?1",
            [sha],
            |r| r.get(0),
        )
        .optional()?;
    if applied.is_some() {
        return Ok(Check::AlreadyApplied);
    }
    let me = store_identity(conn)?;
    let year = p.round;
    // who may have sent it: the receiver's roster, or (a new laptop's first
    // round package) the package's roster under the CA pinned now
    let has_roster = roster::has_roster(conn)?;
    let cas = if has_roster {
        roster::trusted_cas(conn)?
    } else {
        let Some(ca) = ca else {
            return Ok(Check::Refused(
                "此数据库尚无信任的证书机构：首次导入请用 --ca 指定本局 CA / this store trusts no CA yet: pin the bureau's CA with --ca on the first import".into(),
            ));
        };
        if !p
            .cas
            .iter()
            .filter_map(|h| cert_of_hex(h))
            .any(|c| c == *ca)
        {
            return Ok(Check::Refused(
                "--ca 指定的证书机构不在评审包的信任列表中 / the CA given with --ca is not one the package trusts".into(),
            ));
        }
        vec![ca.clone()]
    };
    if let Err(e) = chain::validate(&opened.signer, &opened.chain, &cas, chrono::Utc::now()) {
        return Ok(Check::Refused(format!(
            "发送人的证书不受信任 / the sender's certificate is not trusted: {} / {}",
            e.message_zh(),
            e.message_en()
        )));
    }
    let sender = fingerprint(&opened.signer);
    type Known = BTreeMap<String, (String, Certificate, Vec<crate::people::Role>)>;
    let ours: Known = roster::list(conn)?
        .into_iter()
        .filter_map(|person| {
            roster::certificate(conn, &person.fingerprint)
                .ok()
                .flatten()
                .map(|c| {
                    (
                        person.fingerprint.clone(),
                        (person.holder.clone(), c, person.roles.clone()),
                    )
                })
        })
        .collect();
    let theirs: Known = p
        .roster
        .iter()
        .filter_map(|r| {
            let roles = r.roles.split(',').filter_map(|x| x.parse().ok()).collect();
            cert_of_hex(&r.cert).map(|c| (r.fingerprint.clone(), (r.holder.clone(), c, roles)))
        })
        .collect();
    // the sender must be on this store's roster (a new laptop: on the
    // package's, under the CA pinned now); a round package's acts are
    // checked against the roster it brings, signed by that sender
    let senders = if has_roster { &ours } else { &theirs };
    let roster_certs = if p.kind == "review" { &ours } else { &theirs };
    if !senders.contains_key(&sender) {
        return Ok(Check::Refused(format!(
            "发送人 {} 不在名册上 / the sender {} is not on the roster",
            holder(&opened.signer),
            holder(&opened.signer)
        )));
    }
    // every act's signature first: a forged act refuses the package whole
    for a in &p.acts {
        let Some((name, cert, roles)) = roster_certs.get(&a.fingerprint) else {
            return Ok(Check::Refused(format!(
                "第 {} 条操作的签名人不在名册上 / act {} was signed by someone not on the roster",
                a.seq, a.seq
            )));
        };
        let msg = act_message(
            a.seq,
            &a.at,
            &a.actor,
            &a.action,
            &a.subject,
            &a.detail,
            &a.prev_hash,
            &a.fingerprint,
        );
        let ok = hex::decode(&a.signature).is_ok_and(|s| verify_rsa_sha256(cert, &msg, &s));
        if !ok || *name != a.actor {
            return Ok(Check::Refused(format!(
                "第 {} 条操作（{}）的签名无效 / act {} ({}) does not carry its author's valid signature",
                a.seq, a.action, a.seq, a.action
            )));
        }
        let role = role_for(&a.action);
        if !roles.contains(&role) {
            return Ok(Check::Refused(format!(
                "第 {} 条操作（{}）的签名人 {} 没有「{}」角色 / act {} ({}) was signed by {}, who lacks the {} role",
                a.seq, a.action, a.actor, role.zh(), a.seq, a.action, a.actor, role.as_str()
            )));
        }
    }
    match p.kind.as_str() {
        "round" | "handover" => {
            if p.home_store == me {
                return Ok(Check::Refused(
                    "这是此轮次的主库自己导出的包 / this store is the round's home: it sent this package".into(),
                ));
            }
            if let Some((home, _)) = home_of(conn, year)? {
                if home.starts_with("handover:") {
                    return Ok(Check::Refused(format!(
                        "此数据库已把 {year} 年度评审的主库交出，不再接收评审轮次包 / this store handed round {year}'s home over: it takes no round package"
                    )));
                }
                if home != p.home_store && !p.succeeds.contains(&home) {
                    return Ok(Check::Refused(format!(
                        "此数据库的 {year} 年度评审来自另一个主库 / this store's round {year} came from another home store"
                    )));
                }
            } else if has_submissions(conn, year)? {
                return Ok(Check::Refused(format!(
                    "此数据库自己受理了 {year} 年度的申报（它是主库）/ this store took in round {year}'s workbooks itself (it is a home)"
                )));
            }
        }
        _ => {
            if (p.home_store != me && !succeeds(conn, year)?.contains(&p.home_store))
                || !super::home::is_home(conn, year)?
                || !has_submissions(conn, year)?
            {
                return Ok(Check::Refused(format!(
                    "评审包属于另一个轮次或另一个主库（{year} 年度）/ the package is for another round or another home (round {year})"
                )));
            }
        }
    }
    let last: Option<i64> = conn
        .query_row(
            "SELECT MAX(serial) FROM exchange_packages WHERE from_store = ?1",
            [&p.store],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if last.is_some_and(|l| p.serial <= l) {
        return Ok(Check::Refused(format!(
            "评审包过旧：已导入该库更新的包（第 {} 号，本包第 {} 号）/ out of order: a newer package from that store was applied (#{} , this is #{})",
            last.unwrap_or_default(),
            p.serial,
            last.unwrap_or_default(),
            p.serial
        )));
    }
    Ok(Check::Fresh)
}

fn has_submissions(conn: &Connection, year: i32) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM submissions WHERE round_year = ?1 LIMIT 1",
            [year],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Records that this store received round `p.round` from its home (its
/// `exchange_rounds` row): audited as `exchange.receive`.
fn mark_received(store: &mut Store, by: &Identity, p: &Payload) -> Result<()> {
    if home_of(store.conn(), p.round)?.is_some() {
        return Ok(());
    }
    let home_cert = hex::decode(&p.home_cert)
        .map_err(|e| EngineError::Invalid(format!("home certificate: {e}")))?;
    store.change(&by.actor(), "exchange.receive", &format!("round:{}", p.round), |tx| {
        tx.execute(
            "INSERT INTO exchange_rounds(round_year, home_store, home_cert, received_at) VALUES (?1, ?2, ?3, ?4)",
            params![p.round, p.home_store, home_cert, now()],
        )?;
        Ok(((), serde_json::json!({ "home_store": p.home_store, "round": p.round })))
    })
}

/// A round package's workbooks, imported from their bytes by the shell's
/// parser (each with its receipt), before the rest is applied.
fn round_workbooks(
    store: &mut Store,
    p: &Payload,
    import_workbooks: ImportWorkbooks<'_>,
) -> Result<usize> {
    let dir = std::env::temp_dir().join(format!(
        "reviewdesk-package-{}-{}",
        std::process::id(),
        &p.store[..p.store.len().min(12)]
    ));
    let mut files = Vec::new();
    for (i, w) in p.workbooks.iter().enumerate() {
        let bytes = hex::decode(&w.bytes)
            .map_err(|e| EngineError::Invalid(format!("workbook {}: {e}", w.name)))?;
        let sub = dir.join(i.to_string());
        std::fs::create_dir_all(&sub).map_err(|e| EngineError::Io {
            path: sub.display().to_string(),
            reason: e.to_string(),
        })?;
        let name = Path::new(&w.name)
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| format!("{i}.xlsx").into());
        let f = sub.join(name);
        std::fs::write(&f, &bytes).map_err(|e| EngineError::Io {
            path: f.display().to_string(),
            reason: e.to_string(),
        })?;
        files.push((f, w.received.clone(), w.reason.clone()));
    }
    let r = import_workbooks(store, &files);
    let _ = std::fs::remove_dir_all(&dir);
    r?;
    Ok(files.len())
}

/// Applies a checked package in one transaction: the roster and CAs (a
/// round package), the acts not applied before (rows + one signed
/// `exchange.apply` entry carrying them), the package's record.
fn apply(
    store: &mut Store,
    by: &Identity,
    p: &Payload,
    from: &Sender,
    sha: &str,
    ca: Option<&Certificate>,
) -> Result<(usize, Vec<Conflict>)> {
    let actor = by.actor();
    let year = p.round;
    store.change(&actor, "exchange.apply", &format!("round:{year}"), |tx| {
        let mut guide = serde_json::Value::Null;
        if p.kind != "review" {
            copy_roster(tx, p, &from.fingerprint, ca)?;
            let (versions, current) = take_guides(tx, p)?;
            guide = serde_json::json!({ "versions_added": versions, "current": current });
        }
        let mut applied = Vec::new();
        let mut conflicts = Vec::new();
        for a in &p.acts {
            let origin = a.origin.as_deref().unwrap_or(&p.store);
            let done = tx
                .query_row(
                    "SELECT 1 FROM exchange_acts WHERE origin_store = ?1 AND seq = ?2",
                    params![origin, a.seq],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if done {
                continue;
            }
            if p.kind != "review" && matches!(a.action.as_str(), "decision.amend" | "decision.revoke" | "decision.propose") {
                // a change needs the decision it changes issued here first
                mark_issued(tx, p)?;
            }
            match replay(tx, a)? {
                None => {
                    tx.execute(
                        "INSERT INTO exchange_acts(origin_store, seq, action, applied_at) VALUES (?1, ?2, ?3, ?4)",
                        params![origin, a.seq, a.action, now()],
                    )?;
                    let mut kept = a.clone();
                    kept.origin = Some(origin.to_string());
                    applied.push(kept);
                }
                Some(c) => conflicts.push(c),
            }
        }
        if p.kind != "review" {
            mark_issued(tx, p)?;
        }
        if p.kind == "handover" {
            take_over(tx, p)?;
        }
        // a hand-over is recorded as the round package it also is
        let recorded = if p.kind == "review" { "review" } else { "round" };
        tx.execute(
            "INSERT INTO exchange_packages(sha256, kind, round_year, from_store, serial, applied, applied_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![sha, recorded, year, p.store, p.serial, applied.len() as i64, now()],
        )?;
        let n = applied.len();
        let detail = serde_json::json!({
            "kind": p.kind, "from_store": p.store, "serial": p.serial, "sha256": sha, "guide": guide,
            "sender": from.holder, "sender_fp": from.fingerprint,
            "acts": applied, "conflicts": conflicts.iter().map(|c| serde_json::json!({"what": c.what, "ours": c.ours, "theirs": c.theirs})).collect::<Vec<_>>(),
        });
        Ok(((n, conflicts), detail))
    })
}

fn copy_roster(
    tx: &Transaction<'_>,
    p: &Payload,
    sender: &str,
    ca: Option<&Certificate>,
) -> Result<()> {
    let home_cert = hex::decode(&p.home_cert)
        .map_err(|e| EngineError::Invalid(format!("home certificate: {e}")))?;
    tx.execute(
        "INSERT INTO exchange_rounds(round_year, home_store, home_cert, received_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(round_year) DO UPDATE SET home_store = excluded.home_store, home_cert = excluded.home_cert",
        params![p.round, p.home_store, home_cert, now()],
    )?;
    let pinned = ca.map(fingerprint);
    for h in &p.cas {
        let Some(c) = cert_of_hex(h) else { continue };
        tx.execute(
            "INSERT INTO trusted_cas(sha256, cert, subject, test, added_by, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(sha256) DO NOTHING",
            params![
                fingerprint(&c),
                hex::decode(h).unwrap_or_default(),
                c.tbs_certificate().subject().to_string(),
                chain::is_test(&c),
                pinned.as_deref().unwrap_or(sender),
                now()
            ],
        )?;
    }
    // people the home removed are removed here too (dated, never deleted)
    let kept: Vec<&str> = p.roster.iter().map(|r| r.fingerprint.as_str()).collect();
    let mut st = tx.prepare("SELECT fingerprint FROM roster WHERE removed_at IS NULL")?;
    let present = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    drop(st);
    for fp in present.iter().filter(|f| !kept.contains(&f.as_str())) {
        tx.execute(
            "UPDATE roster SET removed_at = ?2 WHERE fingerprint = ?1",
            params![fp, now()],
        )?;
    }
    for r in &p.roster {
        let cert = hex::decode(&r.cert).unwrap_or_default();
        let enc = r.enc_cert.as_ref().and_then(|h| hex::decode(h).ok());
        let enc_fp = enc
            .as_ref()
            .and_then(|d| Certificate::from_der(d).ok())
            .map(|c| fingerprint(&c));
        tx.execute(
            "INSERT INTO roster(fingerprint, holder, cert, roles, added_by, added_at, enc_cert, enc_fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(fingerprint) DO UPDATE SET roles = excluded.roles, removed_at = NULL",
            params![r.fingerprint, r.holder, cert, r.roles, sender, now(), enc, enc_fp],
        )?;
    }
    Ok(())
}

/// A hand-over received: this store becomes the round's home. The
/// decisions the old home issued are issued here too, the register numbers
/// above the old home's highest, and the old home (and those before it)
/// are remembered, so review packages still naming it are taken.
fn take_over(tx: &Transaction<'_>, p: &Payload) -> Result<()> {
    crate::register::handover::apply_rows(tx, &p.register)?;
    for (year, floor) in &p.floors {
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = CAST(MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
            params![format!("register_floor:{year}"), floor.to_string()],
        )?;
    }
    let mut former = p.succeeds.clone();
    former.push(p.home_store.clone());
    tx.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![format!("exchange_succeeds:{}", p.round), serde_json::to_string(&former).unwrap_or_default()],
    )?;
    tx.execute(
        "DELETE FROM exchange_rounds WHERE round_year = ?1",
        [p.round],
    )?;
    Ok(())
}

fn applicant_of(tx: &Connection, code: &str) -> Result<Option<(i64, i32)>> {
    Ok(tx
        .query_row(
            "SELECT a.id, s.round_year FROM applicants a JOIN submissions s ON s.applicant_id = a.id
             WHERE a.credit_code = ?1 AND s.round_year IS NOT NULL ORDER BY s.id DESC LIMIT 1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Writes the rows of one act, or the conflict that stops it.
fn replay(tx: &Connection, a: &Act) -> Result<Option<Conflict>> {
    let d: serde_json::Value = serde_json::from_str(&a.detail)
        .map_err(|e| EngineError::Invalid(format!("act {}: {e}", a.seq)))?;
    let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    let Some((id, year)) = applicant_of(tx, &a.subject)? else {
        return Ok(Some(Conflict {
            what: format!("{} {}", a.action, a.subject),
            ours: "没有该申报 / no such application".into(),
            theirs: a.detail.clone(),
        }));
    };
    match a.action.as_str() {
        "decision.propose" | "decision.approve" | "decision.return" | "decision.amend"
        | "decision.revoke" => {
            return super::decisions::replay(tx, a, id, year, &d);
        }
        "panel.score" => {
            tx.execute(
                "INSERT INTO panel_scores(applicant_id, round_year, clause, project, factor, reviewer, points, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(applicant_id, round_year, clause, project, factor, reviewer)
                 DO UPDATE SET points = excluded.points, at = excluded.at WHERE excluded.at >= panel_scores.at",
                params![id, year, s("clause"), s("project").trim(), s("factor"), a.actor, s("points"), a.at],
            )?;
        }
        "conflict.declare" => {
            tx.execute(
                "INSERT OR REPLACE INTO conflicts(reviewer, credit_code, reason, declared_at) VALUES (?1, ?2, ?3, ?4)",
                params![a.actor, a.subject, s("reason"), a.at],
            )?;
        }
        "eligibility.overrule" => {
            tx.execute(
                "INSERT INTO overrules(applicant_id, round_year, clause, project, rule, reason, by, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, year, s("clause"), s("project").trim(), s("rule"), s("reason"), a.actor, a.at],
            )?;
        }
        "value.certify" => {
            let clause = a.extra["clause"].as_str().map(str::to_string);
            let project = a.extra["project"].as_str().map(str::to_string);
            let field = s("field");
            let ours: Option<(String, String)> = tx
                .query_row(
                    "SELECT value, by FROM certified_values WHERE applicant_id = ?1 AND round_year = ?2
                       AND clause IS ?3 AND project IS ?4 AND field = ?5 ORDER BY id DESC LIMIT 1",
                    params![id, year, clause, project, field],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let theirs = s("value");
            if let Some((v, who)) = ours {
                if v == theirs {
                    return Ok(None);
                }
                if who != a.actor {
                    return Ok(Some(Conflict {
                        what: format!("核定值 / certified value {} {field}", a.subject),
                        ours: format!("{v}（{who}）"),
                        theirs: format!("{theirs}（{}）", a.actor),
                    }));
                }
            }
            tx.execute(
                "INSERT INTO certified_values(applicant_id, round_year, clause, project, field, value, reason,
                   evidence_hash, evidence_name, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, ?8, ?9)",
                params![id, year, clause, project, field, theirs, s("reason"), a.actor, a.at],
            )?;
        }
        _ => {}
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::training;

    fn opened(dir: &Path, stem: &str) -> (Identity, rsa::PrivateKey) {
        let file = training::person_file(dir, stem);
        let id = Identity::open(&file.display().to_string(), "pw-1234").expect("identity");
        let bytes = std::fs::read(&file).expect("p12");
        let key = crate::letters::import_pkcs12(&bytes, "pw-1234")
            .expect("p12")
            .private_key()
            .expect("key");
        (id, key)
    }

    #[test]
    fn a_package_with_one_forged_act_is_refused_whole() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut home = Store::open(&dir.path().join("home.db")).expect("open");
        training::set_up(&mut home, dir.path(), "pw-1234").expect("bureau");
        let (reviewer, _) = opened(dir.path(), "reviewer");
        let (approver, approver_key) = opened(dir.path(), "approver");
        // a real signed act, as a laptop's audit trail holds it
        let detail =
            serde_json::json!({"clause": "C4", "project": "P", "factor": "f", "points": "30"});
        home.change(
            &reviewer.actor(),
            "panel.score",
            "91500103MA7HJ2LT5M",
            |_| Ok(((), detail)),
        )
        .expect("act");
        let acts: Vec<Act> = {
            let mut st = home
                .conn()
                .prepare("SELECT seq, at, actor, action, subject, detail, prev_hash, actor_fp, act_sig FROM audit WHERE action = 'panel.score'")
                .expect("prepare");
            st.query_map([], act_of_row)
                .expect("query")
                .collect::<std::result::Result<_, _>>()
                .expect("acts")
        };
        let me = store_identity(home.conn()).expect("id");
        let payload = |acts: Vec<Act>| Payload {
            format: FORMAT.into(),
            kind: "review".into(),
            round: 2026,
            schema: crate::store::SCHEMA_VERSION,
            store: "laptop".into(),
            serial: 1,
            created_at: now(),
            home_store: me.clone(),
            home_cert: cert_hex(approver.certificate()).expect("hex"),
            guide: None,
            cas: vec![],
            roster: vec![],
            workbooks: vec![],
            acts,
            succeeds: vec![],
            issued: vec![],
            floors: BTreeMap::new(),
            register: Vec::new(),
            guides: Vec::new(),
        };
        let sealed = |p: &Payload| {
            envelope::seal(
                &serde_json::to_vec(p).expect("json"),
                reviewer.signer(),
                &[approver.certificate().clone()],
            )
            .expect("seal")
        };
        let head = crate::store::audit::head(home.conn()).expect("head");
        let mut none = |_: &mut Store, _: &[(PathBuf, Option<String>, Option<String>)]| Ok(());
        let mut refused = |acts: Vec<Act>| {
            import(
                &mut home,
                &approver,
                &approver_key,
                &sealed(&payload(acts)),
                None,
                &mut none,
            )
            .expect("import")
            .refused
            .unwrap_or_default()
        };
        // the act as signed passes the signature check (and the package is
        // then refused for its round: this store has no submissions)
        let why = refused(acts.clone());
        assert!(why.contains("another round"), "{why}");
        // the same act with its points changed after signing
        let mut forged = acts.clone();
        forged[0].detail = forged[0].detail.replace("30", "40");
        let why = refused(forged);
        assert!(why.contains("valid signature"), "{why}");
        assert_eq!(
            crate::store::audit::head(home.conn()).expect("head"),
            head,
            "nothing written"
        );
    }
}
