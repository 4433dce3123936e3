//! The roster (名册): which certificate holds which roles, and the CAs the
//! store trusts. Both are changed only by an administrator's signed act,
//! and never lose a row (a removal is dated).
//!
//! `init` starts both on a store without a roster: it trusts the bureau's
//! CA and makes the acting person, whose certificate must chain to it, the
//! first administrator. From then on every person added must chain to a
//! trusted CA, and every act checks the actor's roles here.

use std::str::FromStr;

use der::{Decode, DecodePem, Encode};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use x509_cert::Certificate;

use super::identity::{fingerprint, holder, Identity};
use crate::error::{EngineError, Result};
use crate::letters::chain;
use crate::store::{now, Store};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 评审: imports, checks, scores, proposes.
    Reviewer,
    /// 审批: approves or returns what another proposed.
    Approver,
    /// 发文: the register office, holds the seal and issues letters.
    Register,
    /// 管理员: the roster, trust, the seal image, restores.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Register => "register",
            Role::Admin => "admin",
        }
    }

    /// The role's Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Reviewer => "评审",
            Role::Approver => "审批",
            Role::Register => "发文",
            Role::Admin => "管理员",
        }
    }
}

impl FromStr for Role {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reviewer" | "评审" => Ok(Role::Reviewer),
            "approver" | "审批" => Ok(Role::Approver),
            "register" | "发文" => Ok(Role::Register),
            "admin" | "administrator" | "管理员" => Ok(Role::Admin),
            other => Err(EngineError::coded(
                "invalid_role",
                format!("未知角色「{other}」：可选 reviewer（评审）、approver（审批）、register（发文）、admin（管理员）"),
                format!("unknown role “{other}”: use reviewer, approver, register or admin"),
            )),
        }
    }
}

/// One person on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    pub holder: String,
    pub fingerprint: String,
    pub roles: Vec<Role>,
    /// A test certificate (TEST ONLY).
    pub test: bool,
    /// SHA-256 of the person's encryption certificate, when the roster
    /// keeps one (a UKey's second certificate); `null` otherwise.
    pub encryption_fingerprint: Option<String>,
}

fn parse_roles(s: &str) -> Vec<Role> {
    let mut v: Vec<Role> = s.split(',').filter_map(|r| r.parse().ok()).collect();
    v.sort();
    v.dedup();
    v
}

fn join_roles(roles: &[Role]) -> String {
    let mut v = roles.to_vec();
    v.sort();
    v.dedup();
    v.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

/// Whether the store has a roster (any person, removed or not).
pub fn has_roster(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM roster LIMIT 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Everyone on the roster now, by holder.
pub fn list(conn: &Connection) -> Result<Vec<Person>> {
    let mut st = conn.prepare(
        "SELECT holder, fingerprint, roles, cert, enc_fingerprint FROM roster WHERE removed_at IS NULL ORDER BY holder, fingerprint",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Vec<u8>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (holder, fingerprint, roles, cert, encryption_fingerprint) = row?;
        let test = Certificate::from_der(&cert).is_ok_and(|c| chain::is_test(&c));
        out.push(Person {
            holder,
            fingerprint,
            roles: parse_roles(&roles),
            test,
            encryption_fingerprint,
        });
    }
    Ok(out)
}

/// The roster entry of `fingerprint`, when present and not removed.
pub fn person(conn: &Connection, fingerprint: &str) -> Result<Option<Person>> {
    Ok(list(conn)?
        .into_iter()
        .find(|p| p.fingerprint == fingerprint))
}

/// The certificate kept for `fingerprint` (to check a signed act).
pub fn certificate(conn: &Connection, fingerprint: &str) -> Result<Option<Certificate>> {
    let der: Option<Vec<u8>> = conn
        .query_row(
            "SELECT cert FROM roster WHERE fingerprint = ?1",
            [fingerprint],
            |r| r.get(0),
        )
        .optional()?;
    Ok(der.and_then(|d| Certificate::from_der(&d).ok()))
}

/// The certificate to encrypt to for the person of `fingerprint` (on the
/// roster now): their encryption certificate when the roster keeps one,
/// else their signing certificate. Round packages are encrypted to it.
pub fn recipient_certificate(conn: &Connection, fingerprint: &str) -> Result<Option<Certificate>> {
    let row: Option<(Vec<u8>, Option<Vec<u8>>)> = conn
        .query_row(
            "SELECT cert, enc_cert FROM roster WHERE fingerprint = ?1 AND removed_at IS NULL",
            [fingerprint],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((cert, enc)) = row else {
        return Ok(None);
    };
    let der = enc.unwrap_or(cert);
    Certificate::from_der(&der).map(Some).map_err(|e| {
        EngineError::Store(format!(
            "名册中 {fingerprint} 的证书无法读取 / the roster's certificate of {fingerprint} is unreadable: {e}"
        ))
    })
}

/// The trusted CAs now.
pub fn trusted_cas(conn: &Connection) -> Result<Vec<Certificate>> {
    let mut st = conn.prepare(
        "SELECT cert FROM trusted_cas WHERE removed_at IS NULL ORDER BY added_at, sha256",
    )?;
    let rows = st.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for der in rows {
        if let Ok(c) = Certificate::from_der(&der?) {
            out.push(c);
        }
    }
    Ok(out)
}

/// A certificate from PEM or DER bytes (a .pem/.cer/.crt file).
pub fn certificate_from_bytes(bytes: &[u8], what: &str) -> Result<Certificate> {
    let parsed = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        Certificate::from_pem(bytes).map_err(|e| e.to_string())
    } else {
        Certificate::from_der(bytes).map_err(|e| e.to_string())
    };
    let cert = parsed.map_err(|e| {
        EngineError::coded(
            "certificate_invalid",
            format!("{what} 不是证书（PEM 或 DER）：{e}"),
            format!("{what} is not a certificate (PEM or DER): {e}"),
        )
    })?;
    if chain::uses_sm2(&cert) {
        let p = chain::ChainProblem::Sm2Unsupported;
        return Err(EngineError::coded(p.code(), p.message_zh(), p.message_en()));
    }
    Ok(cert)
}

fn chain_err(p: chain::ChainProblem) -> EngineError {
    EngineError::coded(p.code(), p.message_zh(), p.message_en())
}

fn insert_ca(tx: &Connection, ca: &Certificate, by: &str) -> Result<String> {
    let der = ca
        .to_der()
        .map_err(|e| EngineError::coded("certificate_invalid", e.to_string(), e.to_string()))?;
    let sha = fingerprint(ca);
    tx.execute(
        "INSERT INTO trusted_cas(sha256, cert, subject, test, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(sha256) DO UPDATE SET removed_at = NULL",
        params![
            sha,
            der,
            ca.tbs_certificate().subject().to_string(),
            chain::is_test(ca),
            by,
            now()
        ],
    )?;
    Ok(sha)
}

fn require_ca(ca: &Certificate) -> Result<()> {
    if !chain::is_ca(ca) {
        return Err(EngineError::coded(
            "not_a_ca",
            "这不是证书机构（CA）的证书：只能信任 CA（基本约束 cA=TRUE）",
            "this is not a CA certificate: only a CA (basicConstraints cA=TRUE) can be trusted",
        ));
    }
    Ok(())
}

/// Starts the roster: trusts `ca` and makes `admin` (whose certificate must
/// chain to it) the first administrator. Only on a store without a roster.
pub fn init(store: &mut Store, admin: &Identity, ca: &Certificate) -> Result<Person> {
    if has_roster(store.conn())? {
        return Err(EngineError::coded(
            "roster_exists",
            "此数据库已有名册：请由管理员用 roster add 添加人员",
            "this store already has a roster: an administrator adds people with roster add",
        ));
    }
    require_ca(ca)?;
    chain::validate(
        admin.certificate(),
        admin.signer().chain(),
        std::slice::from_ref(ca),
        chrono::Utc::now(),
    )
    .map_err(chain_err)?;
    let actor = admin.actor();
    let fp = admin.fingerprint().to_string();
    let holder_name = admin.holder().to_string();
    let cert_der = admin
        .certificate()
        .to_der()
        .map_err(|e| EngineError::coded("certificate_invalid", e.to_string(), e.to_string()))?;
    store.change(&actor, "roster.init", &format!("person:{fp}"), |tx| {
        let ca_sha = insert_ca(tx, ca, &fp)?;
        tx.execute(
            "INSERT INTO roster(fingerprint, holder, cert, roles, added_by, added_at)
             VALUES (?1, ?2, ?3, 'admin', ?1, ?4)",
            params![fp, holder_name, cert_der, now()],
        )?;
        Ok((
            (),
            serde_json::json!({ "ca": ca_sha, "admin": fp, "holder": holder_name }),
        ))
    })?;
    Ok(Person {
        holder: admin.holder().to_string(),
        fingerprint: admin.fingerprint().to_string(),
        roles: vec![Role::Admin],
        test: admin.is_test(),
        encryption_fingerprint: None,
    })
}

/// The acting person's roster entry, which must hold `role`. Refuses a
/// person who is not on the roster (`not_in_roster`) or lacks the role
/// (`not_allowed`).
pub fn require(conn: &Connection, who: &Identity, role: Role) -> Result<Person> {
    let Some(p) = person(conn, who.fingerprint())? else {
        return Err(EngineError::coded(
            "not_in_roster",
            format!(
                "{} 的证书不在名册上：请管理员先用 roster add 添加",
                who.holder()
            ),
            format!(
                "{}'s certificate is not on the roster: an administrator adds it with roster add",
                who.holder()
            ),
        ));
    };
    if !p.roles.contains(&role) {
        return Err(EngineError::coded(
            "not_allowed",
            format!("{} 没有「{}」角色，不能做这件事", p.holder, role.zh()),
            format!("{} does not hold the {} role", p.holder, role.as_str()),
        ));
    }
    Ok(p)
}

/// Whether `who` may act with `role`: on a store with a roster, the roster
/// says; a store without one (training, a fresh workstation) checks no
/// roles, but the act is still signed by the person.
pub fn check(conn: &Connection, who: &Identity, role: Role) -> Result<()> {
    if has_roster(conn)? {
        require(conn, who, role)?;
    }
    Ok(())
}

/// The same check for a store actor (what the review and register
/// functions receive): on a store with a roster the actor must be a signed
/// person (`identity_required`) holding `role` (`not_allowed`); a store
/// without a roster checks nothing.
pub fn check_actor(conn: &Connection, actor: &crate::store::Actor, role: Role) -> Result<()> {
    if !has_roster(conn)? {
        return Ok(());
    }
    let Some(fp) = actor.fingerprint() else {
        return Err(EngineError::coded(
            "identity_required",
            format!(
                "此数据库有名册：{} 必须用自己的证书（--identity）操作",
                actor.0
            ),
            format!(
                "this store has a roster: {} must act with their own certificate (--identity)",
                actor.0
            ),
        ));
    };
    let Some(p) = person(conn, &fp)? else {
        return Err(EngineError::coded(
            "not_in_roster",
            format!("{} 的证书不在名册上", actor.0),
            format!("{}'s certificate is not on the roster", actor.0),
        ));
    };
    if !p.roles.contains(&role) {
        return Err(EngineError::coded(
            "not_allowed",
            format!("{} 没有「{}」角色，不能做这件事", p.holder, role.zh()),
            format!("{} does not hold the {} role", p.holder, role.as_str()),
        ));
    }
    Ok(())
}

/// Adds `cert` (or changes its roles) by an administrator. The certificate
/// must chain to a trusted CA and be able to sign.
pub fn add(store: &mut Store, by: &Identity, cert: &Certificate, roles: &[Role]) -> Result<Person> {
    add_with_encryption(store, by, cert, roles, None)
}

/// [`add`], with the person's encryption certificate (`encryption`: a
/// UKey's second certificate, same holder, chaining to a trusted CA, with
/// keyEncipherment or keyAgreement). Without one, a person already on the
/// roster keeps the encryption certificate recorded before.
pub fn add_with_encryption(
    store: &mut Store,
    by: &Identity,
    cert: &Certificate,
    roles: &[Role],
    encryption: Option<&Certificate>,
) -> Result<Person> {
    require(store.conn(), by, Role::Admin)?;
    if roles.is_empty() {
        return Err(EngineError::coded(
            "invalid_role",
            "请至少给出一个角色（--role）",
            "give at least one role (--role)",
        ));
    }
    let cas = trusted_cas(store.conn())?;
    let now_utc = chrono::Utc::now();
    chain::validate(cert, &[], &cas, now_utc).map_err(chain_err)?;
    let fp = fingerprint(cert);
    let name = holder(cert);
    let der = cert
        .to_der()
        .map_err(|e| EngineError::coded("certificate_invalid", e.to_string(), e.to_string()))?;
    let (enc_der, enc_fp) = match encryption {
        None => (None, None),
        Some(enc) => {
            chain::validate_encryption(enc, &[], &cas, now_utc).map_err(chain_err)?;
            if holder(enc) != name {
                return Err(EngineError::coded(
                    "encryption_other_person",
                    format!("加密证书属于「{}」，不是「{name}」：一个人的两张证书须是同一持有人", holder(enc)),
                    format!("the encryption certificate belongs to “{}”, not “{name}”: a person's two certificates name the same holder", holder(enc)),
                ));
            }
            let d = enc.to_der().map_err(|e| {
                EngineError::coded("certificate_invalid", e.to_string(), e.to_string())
            })?;
            (Some(d), Some(fingerprint(enc)))
        }
    };
    let joined = join_roles(roles);
    let actor = by.actor();
    let by_fp = by.fingerprint().to_string();
    store.change(&actor, "roster.add", &format!("person:{fp}"), |tx| {
        tx.execute(
            "INSERT INTO roster(fingerprint, holder, cert, roles, added_by, added_at, enc_cert, enc_fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(fingerprint) DO UPDATE SET roles = excluded.roles, removed_at = NULL,
                enc_cert = COALESCE(excluded.enc_cert, roster.enc_cert),
                enc_fingerprint = COALESCE(excluded.enc_fingerprint, roster.enc_fingerprint)",
            params![fp, name, der, joined, by_fp, now(), enc_der, enc_fp],
        )?;
        Ok((
            (),
            serde_json::json!({ "holder": name, "fingerprint": fp, "roles": joined, "encryption": enc_fp }),
        ))
    })?;
    person(store.conn(), &fp)?.ok_or_else(|| {
        EngineError::Store(format!(
            "刚加入名册的 {fp} 读不回来 / {fp} was added but cannot be read back"
        ))
    })
}

/// Takes a person off the roster, by an administrator; audited. The row
/// stays (dated `removed_at`): their signed acts still verify, but nothing
/// new of theirs counts — a package they sign is refused.
pub fn remove(store: &mut Store, by: &Identity, cert: &Certificate) -> Result<()> {
    require(store.conn(), by, Role::Admin)?;
    let fp = fingerprint(cert);
    if person(store.conn(), &fp)?.is_none() {
        return Err(EngineError::coded(
            "not_on_roster",
            format!("{} 不在名册上", holder(cert)),
            format!("{} is not on the roster", holder(cert)),
        ));
    }
    if fp == by.fingerprint() {
        return Err(EngineError::coded(
            "remove_self",
            "管理员不能把自己移出名册：请另一位管理员操作",
            "an administrator cannot remove themselves: another administrator must",
        ));
    }
    let name = holder(cert);
    store.change(
        &by.actor(),
        "roster.remove",
        &format!("person:{fp}"),
        |tx| {
            tx.execute(
                "UPDATE roster SET removed_at = ?2 WHERE fingerprint = ?1 AND removed_at IS NULL",
                params![fp, now()],
            )?;
            Ok(((), serde_json::json!({ "holder": name, "fingerprint": fp })))
        },
    )
}

/// Trusts another CA, by an administrator; audited.
pub fn trust_add(store: &mut Store, by: &Identity, ca: &Certificate) -> Result<String> {
    require(store.conn(), by, Role::Admin)?;
    require_ca(ca)?;
    let actor = by.actor();
    let by_fp = by.fingerprint().to_string();
    let subject = ca.tbs_certificate().subject().to_string();
    store.change(
        &actor,
        "trust.add",
        &format!("ca:{}", fingerprint(ca)),
        |tx| {
            let sha = insert_ca(tx, ca, &by_fp)?;
            Ok((
                sha.clone(),
                serde_json::json!({ "ca": sha, "subject": subject }),
            ))
        },
    )
}
