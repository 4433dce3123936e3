//! Is this signer one of the bureau's? Certificate path validation for the
//! certificates that sign letters, approvals and statements.
//!
//! The path is built and checked by `rustls-webpki` (the Web PKI validator
//! rustls uses): chain to one of the given trust anchors through the
//! embedded intermediates, every certificate within its validity at the
//! signing time, every issuer a CA by basicConstraints (a trusted leaf
//! cannot act as a CA), path-length constraints, signatures with RSA keys
//! of 2048 bits or more or ECDSA P-256/P-384. On top of it this module
//! checks what a document signer needs and Web PKI does not ask: the
//! signer's own key (RSA ≥ 2048 or P-256/P-384), its key usage
//! (digitalSignature or nonRepudiation), an extended key usage fit for
//! documents when one is present, and SM2 (国密) refused by name until it is
//! supported.
//!
//! A person's encryption certificate (the second certificate of a Chinese
//! UKey) goes through the same path validation ([`validate_encryption`])
//! with keyEncipherment or keyAgreement in place of the signing usages.
//!
//! A chain whose anchor or signer is marked TEST ONLY (the workstation's
//! test CA) is valid but `test`: letters it signs are test letters.

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::Encode;
use rustls_pki_types::{CertificateDer, UnixTime};
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeId, KeyPurposeIdIter};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::Certificate;

use super::x509::{common_name, OID_RSA};

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// SM2 curve (GM/T 0006) and SM2-with-SM3 signatures.
const OID_SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
const OID_SM2_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");
const OID_SM2_PREFIX: &str = "1.2.156.10197.";

/// Minimum RSA modulus size of a signer's key.
pub const MIN_RSA_BITS: usize = 2048;

/// The marking every test certificate's subject carries.
pub const TEST_MARK: &str = "TEST ONLY";

/// Why a signer is not trusted. Each has a stable code and a message in
/// Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// No trust anchor was given: the signature may be intact, but nobody
    /// said whom to trust.
    NoTrustAnchor,
    /// The chain does not lead to any trusted CA.
    UnknownIssuer,
    /// A certificate of the chain had expired at the signing time.
    Expired { subject: String, not_after: String },
    /// A certificate of the chain was not yet valid at the signing time.
    NotYetValid { subject: String, not_before: String },
    /// The signer's key usage does not allow signing documents.
    NoSigningKeyUsage,
    /// An encryption certificate's key usage allows neither
    /// keyEncipherment nor keyAgreement.
    NoEncryptionKeyUsage,
    /// The signer's extended key usage is for something else (e.g. TLS).
    WrongExtendedKeyUsage,
    /// A certificate that is not a CA (basicConstraints) issued another.
    IssuerNotCa,
    /// A CA certificate signed the document itself.
    CaAsSigner,
    /// The key is too small or of an unsupported kind.
    WeakKey(String),
    /// SM2 (国密) certificates are not supported yet.
    Sm2Unsupported,
    /// The certificate could not be read or the path failed otherwise.
    Invalid(String),
}

impl ChainProblem {
    /// Stable code, e.g. `not_trusted`, `certificate_expired`.
    pub fn code(&self) -> &'static str {
        match self {
            ChainProblem::NoTrustAnchor => "no_trust_anchor",
            ChainProblem::UnknownIssuer => "not_trusted",
            ChainProblem::Expired { .. } => "certificate_expired",
            ChainProblem::NotYetValid { .. } => "certificate_not_yet_valid",
            ChainProblem::NoSigningKeyUsage => "no_signing_key_usage",
            ChainProblem::NoEncryptionKeyUsage => "no_encryption_key_usage",
            ChainProblem::WrongExtendedKeyUsage => "wrong_extended_key_usage",
            ChainProblem::IssuerNotCa => "issuer_not_ca",
            ChainProblem::CaAsSigner => "ca_as_signer",
            ChainProblem::WeakKey(_) => "weak_key",
            ChainProblem::Sm2Unsupported => "sm2_unsupported",
            ChainProblem::Invalid(_) => "certificate_invalid",
        }
    }

    /// The reason in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ChainProblem::NoTrustAnchor => {
                "签名完好，但未指定受信任的证书机构：签名者不受信任（用 --ca 或 --db 指定）".into()
            }
            ChainProblem::UnknownIssuer => "签名者不受信任：证书不是受信任的证书机构签发的".into(),
            ChainProblem::Expired { subject, not_after } => {
                format!("签名时证书已过期：{subject}（有效期至 {not_after}）")
            }
            ChainProblem::NotYetValid {
                subject,
                not_before,
            } => format!("签名时证书尚未生效：{subject}（{not_before} 起生效）"),
            ChainProblem::NoSigningKeyUsage => "签名证书的密钥用法不含数字签名或不可否认".into(),
            ChainProblem::NoEncryptionKeyUsage => {
                "加密证书的密钥用法不含密钥加密（keyEncipherment）或密钥协商（keyAgreement）".into()
            }
            ChainProblem::WrongExtendedKeyUsage => "签名证书的扩展密钥用法不允许签署文件".into(),
            ChainProblem::IssuerNotCa => "证书链中有非 CA 证书签发了其他证书（基本约束）".into(),
            ChainProblem::CaAsSigner => "CA 证书不能直接签署文件".into(),
            ChainProblem::WeakKey(what) => format!("签名密钥不符合要求：{what}"),
            ChainProblem::Sm2Unsupported => {
                "暂不支持 SM2（国密）证书：请使用 RSA（2048 位以上）或 ECDSA P-256 证书".into()
            }
            ChainProblem::Invalid(what) => format!("证书无法验证：{what}"),
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        match self {
            ChainProblem::NoTrustAnchor => {
                "signature intact, signer NOT trusted: no trusted CA given (use --ca or --db)"
                    .into()
            }
            ChainProblem::UnknownIssuer => {
                "signer not trusted: the certificate was not issued by a trusted CA".into()
            }
            ChainProblem::Expired { subject, not_after } => {
                format!("the certificate had expired at the signing time: {subject} (valid until {not_after})")
            }
            ChainProblem::NotYetValid {
                subject,
                not_before,
            } => format!(
                "the certificate was not yet valid at the signing time: {subject} (valid from {not_before})"
            ),
            ChainProblem::NoSigningKeyUsage => {
                "the certificate's key usage allows neither digitalSignature nor nonRepudiation"
                    .into()
            }
            ChainProblem::NoEncryptionKeyUsage => {
                "the encryption certificate's key usage allows neither keyEncipherment nor keyAgreement"
                    .into()
            }
            ChainProblem::WrongExtendedKeyUsage => {
                "the certificate's extended key usage does not allow signing documents".into()
            }
            ChainProblem::IssuerNotCa => {
                "a certificate that is not a CA (basicConstraints) issued another".into()
            }
            ChainProblem::CaAsSigner => "a CA certificate cannot sign documents itself".into(),
            ChainProblem::WeakKey(what) => format!("the signing key is not acceptable: {what}"),
            ChainProblem::Sm2Unsupported => {
                "SM2 (国密) certificates are not supported yet: use RSA (2048 bits or more) or ECDSA P-256"
                    .into()
            }
            ChainProblem::Invalid(what) => format!("the certificate cannot be validated: {what}"),
        }
    }

    /// `中文 / English`, for messages that are one string.
    pub fn message(&self) -> String {
        format!("{} / {}", self.message_zh(), self.message_en())
    }
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// A validated path: the signer chains to `anchor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedChain {
    /// The trust anchor the path ends at (its CN or subject).
    pub anchor: String,
    /// SHA-256 (hex) of the anchor's certificate.
    pub anchor_sha256: String,
    /// The anchor or the signer is marked TEST ONLY.
    pub test: bool,
}

/// Whether `cert` is a test certificate (its subject carries TEST ONLY).
pub fn is_test(cert: &Certificate) -> bool {
    cert.tbs_certificate()
        .subject()
        .to_string()
        .contains(TEST_MARK)
}

fn subject_of(cert: &Certificate) -> String {
    common_name(cert).unwrap_or_else(|| cert.tbs_certificate().subject().to_string())
}

fn sha256_hex(der: &[u8]) -> String {
    hex::encode(super::sign::DigestAlgorithm::Sha256.digest(&[der]))
}

/// Whether a certificate uses SM2 anywhere (key or signature).
pub fn uses_sm2(cert: &Certificate) -> bool {
    let spki = cert.tbs_certificate().subject_public_key_info();
    let curve_is_sm2 = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .is_some_and(|o| o == OID_SM2_CURVE);
    let sig = cert.signature_algorithm().oid;
    curve_is_sm2
        || sig == OID_SM2_SM3
        || sig.to_string().starts_with(OID_SM2_PREFIX)
        || spki.algorithm.oid.to_string().starts_with(OID_SM2_PREFIX)
}

/// The signer's own key: RSA of [`MIN_RSA_BITS`] or more, or ECDSA on
/// P-256/P-384.
pub fn check_key(cert: &Certificate) -> Result<(), ChainProblem> {
    if uses_sm2(cert) {
        return Err(ChainProblem::Sm2Unsupported);
    }
    let spki = cert.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid == OID_RSA {
        use rsa::pkcs8::DecodePublicKey;
        use rsa::traits::PublicKeyParts;
        let der = spki
            .to_der()
            .map_err(|e| ChainProblem::Invalid(e.to_string()))?;
        let key = rsa::PublicKey::from_public_key_der(&der)
            .map_err(|e| ChainProblem::Invalid(format!("RSA: {e}")))?;
        let bits = key.size() * 8;
        if bits < MIN_RSA_BITS {
            return Err(ChainProblem::WeakKey(format!(
                "RSA {bits} < {MIN_RSA_BITS} bits"
            )));
        }
        return Ok(());
    }
    if spki.algorithm.oid == OID_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        return match curve {
            Some(c) if c == OID_P256 || c == OID_P384 => Ok(()),
            Some(c) => Err(ChainProblem::WeakKey(format!("EC curve {c}"))),
            None => Err(ChainProblem::WeakKey("EC key without a named curve".into())),
        };
    }
    Err(ChainProblem::WeakKey(format!(
        "key algorithm {}",
        spki.algorithm.oid
    )))
}

/// A leaf's key usage extension, refusing a CA (`CaAsSigner`).
fn leaf_key_usage(cert: &Certificate) -> Result<Option<KeyUsage>, ChainProblem> {
    let tbs = cert.tbs_certificate();
    let bc = tbs
        .get_extension::<BasicConstraints>()
        .map_err(|e| ChainProblem::Invalid(format!("basicConstraints: {e}")))?;
    if bc.is_some_and(|(_, bc)| bc.ca) {
        return Err(ChainProblem::CaAsSigner);
    }
    Ok(tbs
        .get_extension::<KeyUsage>()
        .map_err(|e| ChainProblem::Invalid(format!("keyUsage: {e}")))?
        .map(|(_, ku)| ku))
}

/// The signer's key usage: present, with digitalSignature or
/// nonRepudiation; and not a CA.
pub fn check_signing_usage(cert: &Certificate) -> Result<(), ChainProblem> {
    let ku = leaf_key_usage(cert)?;
    match ku {
        Some(ku) if ku.digital_signature() || ku.non_repudiation() => Ok(()),
        _ => Err(ChainProblem::NoSigningKeyUsage),
    }
}

/// An encryption certificate's key usage: present, with keyEncipherment or
/// keyAgreement; and not a CA.
pub fn check_encryption_usage(cert: &Certificate) -> Result<(), ChainProblem> {
    let ku = leaf_key_usage(cert)?;
    match ku {
        Some(ku) if ku.key_encipherment() || ku.key_agreement() => Ok(()),
        _ => Err(ChainProblem::NoEncryptionKeyUsage),
    }
}

/// Whether `cert` is an encryption certificate (keyEncipherment or
/// keyAgreement, not a CA): the second certificate a UKey carries.
pub fn is_encryption(cert: &Certificate) -> bool {
    check_encryption_usage(cert).is_ok()
}

/// Whether `cert` can sign acts and documents (digitalSignature or
/// nonRepudiation, not a CA).
pub fn is_signing(cert: &Certificate) -> bool {
    check_signing_usage(cert).is_ok()
}

/// Extended key usages fit for signing documents: any, e-mail protection,
/// client authentication (what personal UKey certificates carry), document
/// signing (RFC 9336), Microsoft and Adobe document signing.
struct DocumentSigning;

const EKU_DOCUMENT: &[&[u8]] = &[
    // 2.5.29.37.0 anyExtendedKeyUsage
    &[0x55, 0x1d, 0x25, 0x00],
    // 1.3.6.1.5.5.7.3.4 emailProtection
    &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04],
    // 1.3.6.1.5.5.7.3.2 clientAuth
    &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02],
    // 1.3.6.1.5.5.7.3.36 documentSigning
    &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x24],
    // 1.3.6.1.4.1.311.10.3.12 Microsoft document signing
    &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x03, 0x0c],
    // 1.2.840.113583.1.1.5 Adobe authentic documents
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x2f, 0x01, 0x01, 0x05],
];

impl ExtendedKeyUsageValidator for DocumentSigning {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let mut empty = true;
        for id in iter {
            empty = false;
            let id = id?;
            if EKU_DOCUMENT.iter().any(|o| id == KeyPurposeId::new(o)) {
                return Ok(());
            }
        }
        if empty {
            Ok(())
        } else {
            // the context variant's fields are private to webpki; the unit
            // variant says the same thing
            #[allow(deprecated)]
            Err(webpki::Error::RequiredEkuNotFound)
        }
    }
}

fn unix(t: DateTime<Utc>) -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        u64::try_from(t.timestamp()).unwrap_or(0),
    ))
}

fn fmt_time(t: x509_cert::time::Time) -> String {
    let d = t.to_date_time();
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Which certificate of the chain is outside its validity at `at`.
fn validity_problem(chain: &[&Certificate], at: DateTime<Utc>) -> Option<ChainProblem> {
    let at = std::time::UNIX_EPOCH
        + std::time::Duration::from_secs(u64::try_from(at.timestamp()).unwrap_or(0));
    for c in chain {
        let v = c.tbs_certificate().validity();
        if at > v.not_after.to_system_time() {
            return Some(ChainProblem::Expired {
                subject: subject_of(c),
                not_after: fmt_time(v.not_after),
            });
        }
        if at < v.not_before.to_system_time() {
            return Some(ChainProblem::NotYetValid {
                subject: subject_of(c),
                not_before: fmt_time(v.not_before),
            });
        }
    }
    None
}

/// Validates `signer` (with the `intermediates` that came with it) against
/// `anchors` at the signing time `at`. The first problem found is the
/// reason; SM2 and the signer's own key and usage are checked before the
/// path, so their reason is named even when the issuer is unknown too.
pub fn validate(
    signer: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    at: DateTime<Utc>,
) -> Result<TrustedChain, ChainProblem> {
    validate_for(signer, intermediates, anchors, at, check_signing_usage)
}

/// Validates a person's encryption certificate (the second certificate of
/// a UKey, what packages are encrypted to) as [`validate`] does a signer,
/// but its key usage must allow keyEncipherment or keyAgreement: the same
/// path to a trusted CA, validity at `at`, key size, SM2 refused by name.
pub fn validate_encryption(
    cert: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    at: DateTime<Utc>,
) -> Result<TrustedChain, ChainProblem> {
    validate_for(cert, intermediates, anchors, at, check_encryption_usage)
}

fn validate_for(
    signer: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    at: DateTime<Utc>,
    usage: fn(&Certificate) -> Result<(), ChainProblem>,
) -> Result<TrustedChain, ChainProblem> {
    if uses_sm2(signer) || intermediates.iter().chain(anchors).any(uses_sm2) {
        return Err(ChainProblem::Sm2Unsupported);
    }
    check_key(signer)?;
    usage(signer)?;
    if anchors.is_empty() {
        return Err(ChainProblem::NoTrustAnchor);
    }
    let to_der = |c: &Certificate| {
        c.to_der()
            .map(CertificateDer::from)
            .map_err(|e| ChainProblem::Invalid(e.to_string()))
    };
    let leaf_der = to_der(signer)?;
    // webpki takes an anchor as a name and a key, whatever its
    // basicConstraints say: only CA certificates may anchor a path here, so
    // a trusted leaf cannot issue (map_error names that case)
    let anchors_ca: Vec<&Certificate> = anchors.iter().filter(|a| is_ca(a)).collect();
    let anchor_ders = anchors_ca
        .iter()
        .map(|a| to_der(a))
        .collect::<Result<Vec<_>, _>>()?;
    let mut trust = Vec::with_capacity(anchor_ders.len());
    let mut trust_of = Vec::with_capacity(anchor_ders.len());
    for (i, d) in anchor_ders.iter().enumerate() {
        // a damaged anchor is skipped, not fatal: the others may still do
        if let Ok(t) = webpki::anchor_from_trusted_cert(d) {
            trust.push(t);
            trust_of.push(i);
        }
    }
    let inter_ders = intermediates
        .iter()
        .filter(|c| *c != signer)
        .map(to_der)
        .collect::<Result<Vec<_>, _>>()?;
    let ee =
        EndEntityCert::try_from(&leaf_der).map_err(|e| ChainProblem::Invalid(format!("{e:?}")))?;
    let path = ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &trust,
        &inter_ders,
        unix(at),
        DocumentSigning,
        None,
        None,
    );
    let path = match path {
        Ok(p) => p,
        Err(e) => return Err(map_error(e, signer, intermediates, anchors, at)),
    };
    // the anchor the path ends at
    let reached = path.anchor();
    let anchor = trust
        .iter()
        .position(|t| {
            t.subject == reached.subject
                && t.subject_public_key_info == reached.subject_public_key_info
        })
        .and_then(|i| trust_of.get(i))
        .and_then(|&i| anchors_ca.get(i).copied());
    let (name, sha, anchor_test) = match anchor {
        Some(a) => (
            subject_of(a),
            a.to_der().map(|d| sha256_hex(&d)).unwrap_or_default(),
            is_test(a),
        ),
        None => (String::new(), String::new(), false),
    };
    Ok(TrustedChain {
        anchor: name,
        anchor_sha256: sha,
        test: anchor_test || is_test(signer),
    })
}

#[allow(deprecated)] // the unit variants webpki still returns in places
fn map_error(
    e: webpki::Error,
    signer: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    at: DateTime<Utc>,
) -> ChainProblem {
    use webpki::Error as E;
    match e {
        E::CertExpired { .. } | E::CertNotValidYet { .. } | E::InvalidCertValidity => {
            let mut all: Vec<&Certificate> = vec![signer];
            all.extend(intermediates.iter());
            all.extend(anchors.iter());
            validity_problem(&all, at).unwrap_or(ChainProblem::Invalid(format!("{e:?}")))
        }
        E::EndEntityUsedAsCa => ChainProblem::IssuerNotCa,
        E::CaUsedAsEndEntity => ChainProblem::CaAsSigner,
        E::UnknownIssuer => {
            // webpki reports a trusted leaf that issued the signer as an
            // unknown issuer; say what it really is
            let by_leaf = anchors
                .iter()
                .chain(intermediates)
                .any(|a| super::x509::issued_by(signer, a) && !is_ca(a));
            if by_leaf {
                ChainProblem::IssuerNotCa
            } else {
                ChainProblem::UnknownIssuer
            }
        }
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => {
            ChainProblem::WrongExtendedKeyUsage
        }
        E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
        | E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_) => ChainProblem::WeakKey(
            "an issuer's key or signature algorithm is not accepted (RSA ≥ 2048 or ECDSA P-256/P-384)"
                .into(),
        ),
        E::InvalidSignatureForPublicKey => {
            ChainProblem::Invalid("a certificate's signature does not verify".into())
        }
        other => ChainProblem::Invalid(format!("{other:?}")),
    }
}

/// Whether `cert` says it is a CA (basicConstraints cA = TRUE).
pub fn is_ca(cert: &Certificate) -> bool {
    matches!(
        cert.tbs_certificate().get_extension::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    )
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
