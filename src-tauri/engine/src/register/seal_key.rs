//! The bureau's seal certificate (电子印章) as the register office keeps it
//! on a workstation: either its PKCS#12 file, kept inside the encrypted
//! store (a blob, so no key file lies in the data folder), or the
//! `pkcs11:` URI of the UKey that holds it. Its password or PIN is asked
//! at each issue and never kept.
//!
//! Setting it is the register office's signed act (role `register` on a
//! store with a roster), refused unless the certificate chains to one of
//! the store's trusted CAs now.

use std::sync::Arc;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::letters::{chain, Signer};
use crate::people::{fingerprint, holder, roster, Role};
use crate::store::{get_blob, put_blob, Actor, Store};

const META_KEY: &str = "seal_certificate";

/// What the settings screen shows about the seal certificate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SealCertificate {
    /// The organisation it names (CN).
    pub holder: String,
    pub fingerprint: String,
    pub issuer: String,
    /// Valid until, UTC (YYYY-MM-DD).
    pub valid_until: String,
    /// A test certificate (测试 TEST ONLY): its letters are test letters.
    pub test: bool,
    /// `store` (the PKCS#12 kept in the store) or `token` (a UKey).
    pub kind: String,
    /// The token's URI (`token` only).
    pub uri: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    info: SealCertificate,
    /// The PKCS#12 blob's hash (`store` only).
    blob: Option<String>,
}

fn letter_err(e: crate::letters::LetterError) -> EngineError {
    match e {
        crate::letters::LetterError::Pkcs12Password => EngineError::coded(
            "wrong_password",
            "电子印章的密码不正确",
            "the seal certificate's password is wrong",
        ),
        e => EngineError::coded_bilingual(e.code(), &e.to_string()),
    }
}

fn date_of(t: x509_cert::time::Time) -> String {
    let secs = t.to_unix_duration().as_secs() as i64;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Check `signer` chains to a trusted CA now and describe it.
fn describe(
    store: &Store,
    signer: &dyn Signer,
    kind: &str,
    uri: Option<String>,
) -> Result<SealCertificate> {
    let cas = roster::trusted_cas(store.conn())?;
    let cert = signer.certificate();
    let path = chain::validate(cert, signer.chain(), &cas, chrono::Utc::now())
        .map_err(|p| EngineError::coded(p.code(), p.message_zh(), p.message_en()))?;
    let tbs = cert.tbs_certificate();
    Ok(SealCertificate {
        holder: holder(cert),
        fingerprint: fingerprint(cert),
        issuer: tbs.issuer().to_string(),
        valid_until: date_of(tbs.validity().not_after),
        test: path.test,
        kind: kind.to_string(),
        uri,
    })
}

fn save(
    store: &mut Store,
    actor: &Actor,
    info: SealCertificate,
    p12: Option<&[u8]>,
) -> Result<SealCertificate> {
    roster::check_actor(store.conn(), actor, Role::Register)?;
    store.change(actor, "seal_certificate.set", META_KEY, |tx| {
        let blob = p12.map(|b| put_blob(tx, b)).transpose()?;
        let stored = Stored {
            info: info.clone(),
            blob,
        };
        let json = serde_json::to_string(&stored)
            .map_err(|e| EngineError::Store(format!("serialise: {e}")))?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [META_KEY, &json],
        )?;
        let detail = serde_json::json!({
            "holder": info.holder, "fingerprint": info.fingerprint,
            "kind": info.kind, "test": info.test,
        });
        Ok((info, detail))
    })
}

/// Keep the seal's PKCS#12 `p12` (opened with `password` to check it, the
/// password not kept) in the store as the seal that signs letters.
pub fn set_p12(
    store: &mut Store,
    actor: &Actor,
    p12: &[u8],
    password: &str,
) -> Result<SealCertificate> {
    let signer = crate::letters::import_pkcs12(p12, password).map_err(letter_err)?;
    let info = describe(store, &signer, "store", None)?;
    save(store, actor, info, Some(p12))
}

/// Use the seal on the token at `uri` (opened with `pin` to check it).
pub fn set_token(
    store: &mut Store,
    actor: &Actor,
    uri: &str,
    pin: &str,
) -> Result<SealCertificate> {
    let signer = crate::people::token::TokenSigner::open(uri, pin)
        .map_err(|e| EngineError::coded_bilingual(e.code(), &e.to_string()))?;
    let info = describe(store, &signer, "token", Some(uri.to_string()))?;
    save(store, actor, info, None)
}

fn stored(store: &Store) -> Result<Option<Stored>> {
    let json: Option<String> = store
        .conn()
        .query_row("SELECT value FROM meta WHERE key = ?1", [META_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    json.map(|j| {
        serde_json::from_str(&j).map_err(|e| {
            EngineError::Store(format!(
                "印章证书记录已损坏 / the seal certificate record is damaged: {e}"
            ))
        })
    })
    .transpose()
}

/// The seal certificate this workstation signs with, if one is set.
pub fn info(store: &Store) -> Result<Option<SealCertificate>> {
    Ok(stored(store)?.map(|s| s.info))
}

/// Unlock the seal with its password (PKCS#12) or PIN (token), for one issue.
pub fn open(store: &Store, password: &str) -> Result<Arc<dyn Signer>> {
    let Some(s) = stored(store)? else {
        return Err(EngineError::coded(
            "no_seal_certificate",
            "尚未设置电子印章证书：请发文人员在「设置 › 电子印章」中导入",
            "no seal certificate yet: the register office imports it in Settings › Seal certificate",
        ));
    };
    if password.is_empty() {
        return Err(EngineError::coded(
            "wrong_password",
            "请输入电子印章的密码",
            "enter the seal certificate's password",
        ));
    }
    match (s.info.kind.as_str(), s.blob, s.info.uri) {
        ("token", _, Some(uri)) => Ok(Arc::new(
            crate::people::token::TokenSigner::open(&uri, password)
                .map_err(|e| EngineError::coded_bilingual(e.code(), &e.to_string()))?,
        )),
        (_, Some(hash), _) => {
            let bytes = get_blob(store.conn(), &hash)?.ok_or_else(|| {
                EngineError::Store(format!(
                    "印章证书 {hash} 不在库中 / seal certificate missing"
                ))
            })?;
            Ok(Arc::new(
                crate::letters::import_pkcs12(&bytes, password).map_err(letter_err)?,
            ))
        }
        _ => Err(EngineError::Store(
            "印章证书记录不完整 / the seal certificate record is incomplete".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{training, Identity};

    #[test]
    fn the_register_office_keeps_the_seal_in_the_store_and_opens_it_with_its_password() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&tmp.path().join("t.db")).expect("store");
        let bureau =
            training::set_up(&mut store, &tmp.path().join("p"), "pw-1234").expect("set up");
        let p12 = std::fs::read(&bureau.seal.file).expect("seal");
        let by = |i: usize| {
            Identity::open(&bureau.people[i].file, "pw-1234")
                .expect("person")
                .actor()
        };
        // a reviewer may not set the seal
        let err = set_p12(&mut store, &by(1), &p12, "pw-1234").expect_err("reviewer");
        assert_eq!(err.code(), "not_allowed");
        let info = set_p12(&mut store, &by(3), &p12, "pw-1234").expect("register office");
        assert!(info.test);
        assert_eq!(self::info(&store).expect("info"), Some(info.clone()));
        assert_eq!(
            open(&store, "wrong").err().map(|e| e.code()),
            Some("wrong_password")
        );
        let seal = open(&store, "pw-1234").expect("open");
        assert_eq!(fingerprint(seal.certificate()), info.fingerprint);
    }

    #[test]
    fn a_seal_from_a_foreign_ca_is_refused() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&tmp.path().join("t.db")).expect("store");
        let bureau =
            training::set_up(&mut store, &tmp.path().join("p"), "pw-1234").expect("set up");
        let other = crate::letters::TestAuthority::named("别的机构").expect("ca");
        let seal = other
            .issue(&crate::letters::IssueSpec::seal("别的机构", 30))
            .expect("seal");
        let foreign = crate::letters::export_pkcs12(&seal, "pw-1234").expect("p12");
        let by = Identity::open(&bureau.people[3].file, "pw-1234")
            .expect("person")
            .actor();
        let err = set_p12(&mut store, &by, &foreign, "pw-1234").expect_err("foreign");
        assert_eq!(err.code(), "not_trusted");
        // the bureau's (test) seal stays the one that signs
        let kept = info(&store).expect("info").expect("seal");
        assert_eq!(kept.fingerprint, bureau.seal.fingerprint);
    }
}
