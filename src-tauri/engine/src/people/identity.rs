//! The acting person: a certificate and a key that can sign, unlocked once
//! (a .p12 file with its password, or a PKCS#11 token with its PIN).
//!
//! A typed name identifies nobody: every act that counts is made by an
//! [`Identity`], recorded with its certificate's fingerprint and signed
//! over the act's canonical content ([`Identity::actor`] hands the store an
//! actor that signs each audit entry it writes).

use std::path::Path;
use std::sync::Arc;

use der::Encode;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::token::{TokenError, TokenSigner, TokenUri};
use crate::error::{EngineError, Result};
use crate::letters::chain;
use crate::letters::sign::Signer;
use crate::letters::x509::common_name;
use crate::letters::LetterError;
use crate::store::{ActSigner, Actor};

/// SHA-256 of a certificate's DER, lowercase hex: how the roster, the audit
/// trail and the register name a certificate.
pub fn fingerprint(cert: &Certificate) -> String {
    let der = cert.to_der().unwrap_or_default();
    hex::encode(Sha256::digest(der))
}

/// The holder a certificate names (its CN, else the whole subject).
pub fn holder(cert: &Certificate) -> String {
    common_name(cert).unwrap_or_else(|| cert.tbs_certificate().subject().to_string())
}

/// An unlocked identity.
pub struct Identity {
    signer: Arc<dyn Signer>,
    holder: String,
    fingerprint: String,
    source: String,
    /// The encryption certificate a UKey carries beside the signing one.
    encryption: Option<Certificate>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("holder", &self.holder)
            .field("fingerprint", &self.fingerprint)
            .field("source", &self.source)
            .finish()
    }
}

fn token_err(e: TokenError) -> EngineError {
    EngineError::coded_bilingual(e.code(), &e.to_string())
}

fn letter_err(e: LetterError) -> EngineError {
    EngineError::coded_bilingual(e.code(), &e.to_string())
}

impl Identity {
    /// Unlocks `spec`: a `pkcs11:` URI (PIN = `password`) or a .p12/.pfx
    /// file (its password). SM2 certificates are refused by name.
    pub fn open(spec: &str, password: &str) -> Result<Identity> {
        let mut encryption = None;
        let (signer, source): (Arc<dyn Signer>, String) = if TokenUri::is_uri(spec) {
            let s = TokenSigner::open(spec, password).map_err(token_err)?;
            encryption = s.encryption_certificate().cloned();
            (Arc::new(s), spec.to_string())
        } else {
            let path = Path::new(spec);
            let bytes = std::fs::read(path).map_err(|e| {
                EngineError::coded(
                    "identity_unreadable",
                    format!("无法读取身份证书文件 {}：{e}", path.display()),
                    format!("cannot read the identity file {}: {e}", path.display()),
                )
            })?;
            let s = crate::letters::import_pkcs12(&bytes, password).map_err(letter_err)?;
            (Arc::new(s), path.display().to_string())
        };
        let id = Identity::from_signer(signer, source)?;
        match encryption {
            Some(enc) => id.with_encryption(enc),
            None => Ok(id),
        }
    }

    /// An identity around a signer already in hand (tests, the demo).
    pub fn from_signer(signer: Arc<dyn Signer>, source: String) -> Result<Identity> {
        let cert = signer.certificate();
        if chain::uses_sm2(cert) {
            let p = chain::ChainProblem::Sm2Unsupported;
            return Err(EngineError::coded(p.code(), p.message_zh(), p.message_en()));
        }
        Ok(Identity {
            holder: holder(cert),
            fingerprint: fingerprint(cert),
            signer,
            source,
            encryption: None,
        })
    }

    /// The same person with their encryption certificate (SM2 refused by
    /// name, as for signing).
    pub fn with_encryption(mut self, cert: Certificate) -> Result<Identity> {
        if chain::uses_sm2(&cert) {
            let p = chain::ChainProblem::Sm2Unsupported;
            return Err(EngineError::coded(p.code(), p.message_zh(), p.message_en()));
        }
        self.encryption = Some(cert);
        Ok(self)
    }

    /// The encryption certificate found beside the signing one (a UKey's
    /// second certificate), if any.
    pub fn encryption_certificate(&self) -> Option<&Certificate> {
        self.encryption.as_ref()
    }

    /// The certificate's holder (CN).
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// SHA-256 of the certificate (hex).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        self.signer.certificate()
    }

    /// Where it was opened from (file path or URI).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The signer (for letters and statements).
    pub fn signer(&self) -> &dyn Signer {
        self.signer.as_ref()
    }

    /// A test certificate (TEST ONLY).
    pub fn is_test(&self) -> bool {
        chain::is_test(self.certificate())
    }

    /// The store actor for this person: every audit entry written with it
    /// carries the fingerprint and a signature over the entry.
    pub fn actor(&self) -> Actor {
        Actor::signed(
            self.holder.clone(),
            Arc::new(ActKey {
                signer: self.signer.clone(),
                fingerprint: self.fingerprint.clone(),
            }),
        )
    }
}

struct ActKey {
    signer: Arc<dyn Signer>,
    fingerprint: String,
}

impl ActSigner for ActKey {
    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }
    fn sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, String> {
        self.signer.sign(message).map_err(|e| e.to_string())
    }
    fn certificate_der(&self) -> Vec<u8> {
        self.signer.certificate().to_der().unwrap_or_default()
    }
}
