//! The one verdict on a letter file: both shells call [`verdict`] and only
//! map the [`Verdict`] to their own output (the app's `LetterCheck`, the
//! CLI's `verify --json` and exit code).
//!
//! A letter is valid when ALL of these hold:
//! - it is signed, the signature over its bytes is valid and nothing was
//!   changed or appended after signing;
//! - the signer chains to one of the trust anchors, when anchors are given
//!   (no anchors: trust is not judged, `trusted` is `None`);
//! - when a store is given: this exact file (by SHA-256) is in the register,
//!   the entry is not voided nor replaced by an amendment or revocation,
//!   and the entry agrees with the decision (or the
//!   workbook) it was issued from.

use serde::Serialize;
use x509_cert::Certificate;

use crate::letters::{verify_with_trust, VerifyReport};
use crate::register::issue::{self, RegisterEntry};
use crate::store::Store;
use crate::Result;

/// What the register says about the file.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterCheck {
    /// The register entry of this exact file; `None`: not issued from this store.
    pub entry: Option<RegisterEntry>,
    /// The entry agrees with the decision it was issued from; `None` when the
    /// file is not in the register.
    pub content_matches: Option<bool>,
}

/// One check that failed: a stable code and words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
}

/// Everything known about one letter file, and whether it is valid.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Every check below holds.
    pub valid: bool,
    /// The signature as the file alone shows it.
    pub signature: VerifyReport,
    /// `None` when no store was consulted.
    pub register: Option<RegisterCheck>,
    /// The checks that failed, in the order above (empty when valid).
    pub findings: Vec<Finding>,
}

impl Verdict {
    pub fn signed(&self) -> bool {
        self.signature.signed
    }
    pub fn signature_valid(&self) -> bool {
        self.signature.signature_valid
    }
    pub fn unchanged_since_signing(&self) -> bool {
        self.signature.unchanged_since_signing
    }
    /// Whether the signer chains to a trust anchor; `None` without anchors.
    pub fn trusted(&self) -> Option<bool> {
        self.signature.trusted
    }
    /// The register entry, when the store has this file.
    pub fn entry(&self) -> Option<&RegisterEntry> {
        self.register.as_ref().and_then(|r| r.entry.as_ref())
    }
    /// In the register (voided or not); `None` when no store was consulted.
    pub fn in_register(&self) -> Option<bool> {
        self.register.as_ref().map(|r| r.entry.is_some())
    }
    /// In the register and voided.
    pub fn voided(&self) -> bool {
        self.entry().is_some_and(|e| e.voided)
    }
    /// The register entry agrees with its decision; `None` when not in the
    /// register or no store was consulted.
    pub fn content_matches(&self) -> Option<bool> {
        self.register.as_ref().and_then(|r| r.content_matches)
    }
}

/// The verdict on the letter file `pdf`: its signature checked against
/// `anchors`, and, when `store` is given, against the register.
/// Errors only when the store cannot be read.
pub fn verdict(store: Option<&Store>, pdf: &[u8], anchors: &[Certificate]) -> Result<Verdict> {
    let signature = verify_with_trust(pdf, anchors);
    let register = match store {
        Some(s) => Some(RegisterCheck {
            entry: issue::register_entry(s, &signature.file_sha256)?,
            content_matches: issue::register_matches_decision(s, &signature.file_sha256)?,
        }),
        None => None,
    };
    let mut findings = Vec::new();
    let mut fail = |code: &'static str, message: &str| {
        findings.push(Finding {
            code,
            message: message.to_string(),
        })
    };
    if !signature.signed {
        fail("unsigned", "文件没有签名 / the file is not signed");
    } else if !signature.signature_valid {
        fail("signature_invalid", "签名无效 / the signature is not valid");
    }
    if signature.signed && !signature.unchanged_since_signing {
        fail(
            "changed_after_signing",
            "签名后文件被改动 / the file was changed after signing",
        );
    }
    if signature.signed && signature.trusted != Some(true) {
        // the chain's own reason: not_trusted, certificate_expired,
        // no_signing_key_usage, issuer_not_ca, no_trust_anchor, …
        let code: &'static str = match signature.trust_code.as_deref() {
            Some("no_trust_anchor") => "no_trust_anchor",
            Some("certificate_expired") => "certificate_expired",
            Some("certificate_not_yet_valid") => "certificate_not_yet_valid",
            Some("no_signing_key_usage") => "no_signing_key_usage",
            Some("wrong_extended_key_usage") => "wrong_extended_key_usage",
            Some("issuer_not_ca") => "issuer_not_ca",
            Some("ca_as_signer") => "ca_as_signer",
            Some("weak_key") => "weak_key",
            Some("sm2_unsupported") => "sm2_unsupported",
            Some("certificate_invalid") => "certificate_invalid",
            _ => "untrusted_signer",
        };
        let message = signature.trust_reason.clone().unwrap_or_else(|| {
            "签名证书不是受信任的机构签发的 / the signer does not chain to a trusted certificate"
                .into()
        });
        fail(code, &message);
    }
    if let Some(r) = &register {
        match &r.entry {
            None => fail(
                "not_in_register",
                "登记簿中没有这份文件 / this file is not in the register",
            ),
            Some(e) if e.voided => fail("voided", "该文书已作废 / the letter is void"),
            Some(RegisterEntry {
                replaced_by: Some(n),
                ..
            }) => fail(
                "replaced",
                &format!("该决定已被{n}变更或撤销，不再执行 / the decision was amended or revoked by {n} and is no longer in force"),
            ),
            Some(_) => {}
        }
        if r.entry.is_some() && r.content_matches != Some(true) {
            fail(
                "content_mismatch",
                "登记簿与所依据的决定不符 / the register entry does not match its decision",
            );
        }
    }
    let register_ok = register.as_ref().is_none_or(|r| {
        r.entry
            .as_ref()
            .is_some_and(|e| !e.voided && e.replaced_by.is_none())
            && r.content_matches == Some(true)
    });
    let valid = signature.is_valid() && register_ok;
    debug_assert_eq!(valid, findings.is_empty(), "{findings:?}");
    Ok(Verdict {
        valid,
        signature,
        register,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::demo::sample_approval;
    use crate::letters::TestAuthority;
    use crate::letters::{sign_pdf, FontPolicy, LetterWriter, RenderOptions, SignOptions};
    use chrono::Timelike;

    fn codes(v: &Verdict) -> Vec<&'static str> {
        v.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn signature_trust_and_register_each_decide_and_say_why() {
        let w = match LetterWriter::new(FontPolicy::NotoOnly) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("SKIP: {e}");
                return;
            }
        };
        let ca = TestAuthority::generate("测试机构").expect("ca");
        let other = TestAuthority::generate("无关机构").expect("other ca");
        let signer = ca.issue_signer("李审批").expect("signer");
        let content = sample_approval(12, "650000.00").expect("content");
        let pdf = w
            .render(&content, RenderOptions::default())
            .expect("render")
            .pdf;
        // signed now: the certificate was issued a moment ago, and a
        // signature is judged by the certificate's validity when it was made
        let t = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("tz"))
            .with_nanosecond(0)
            .expect("time");
        let signed = sign_pdf(&pdf, &signer, &SignOptions::new(t, "签发")).expect("sign");

        let v = verdict(None, &signed, &[ca.certificate().clone()]).expect("verdict");
        assert!(v.valid && v.findings.is_empty(), "{v:?}");
        assert_eq!((v.trusted(), v.in_register()), (Some(true), None));

        let v = verdict(None, &signed, &[]).expect("verdict");
        assert!(
            !v.valid,
            "no anchors: intact, but nobody said whom to trust"
        );
        assert_eq!(v.trusted(), None);
        assert_eq!(codes(&v), ["no_trust_anchor"]);

        let v = verdict(None, &signed, &[other.certificate().clone()]).expect("verdict");
        assert!(!v.valid);
        assert_eq!(codes(&v), ["untrusted_signer"]);

        let mut tampered = signed.clone();
        let at = tampered.len() / 3;
        tampered[at] ^= 1;
        let v = verdict(None, &tampered, &[ca.certificate().clone()]).expect("verdict");
        assert!(!v.valid && !v.signature_valid(), "{v:?}");
        assert_eq!(codes(&v), ["signature_invalid"]);

        let v = verdict(None, &pdf, &[]).expect("verdict");
        assert_eq!(codes(&v), ["unsigned"]);

        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("s.db")).expect("store");
        let v = verdict(Some(&store), &signed, &[ca.certificate().clone()]).expect("verdict");
        assert!(
            !v.valid,
            "a valid signature alone is not a letter of this register"
        );
        assert_eq!(codes(&v), ["not_in_register"]);
        assert_eq!(
            (v.in_register(), v.voided(), v.content_matches()),
            (Some(false), false, None)
        );
    }
}
