//! X.509 helpers the letters' signing, verification and test CA share: a
//! certificate's common name, whether one certificate was issued by another,
//! and the RSA algorithm identifiers. Nothing here knows PDF or CMS.

use der::asn1::ObjectIdentifier;
use der::Encode;
use rsa::sha2::Sha256;
use x509_cert::Certificate;

pub const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub const OID_SHA256_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

/// The CN of a certificate's subject.
pub fn common_name(cert: &Certificate) -> Option<String> {
    use der::asn1::{PrintableStringRef, Utf8StringRef};
    const CN: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");
    cert.tbs_certificate()
        .subject()
        .iter()
        .find(|atv| atv.oid == CN)
        .and_then(|atv| {
            Utf8StringRef::try_from(&atv.value)
                .map(|s| s.as_str().to_string())
                .or_else(|_| {
                    PrintableStringRef::try_from(&atv.value).map(|s| s.as_str().to_string())
                })
                .ok()
        })
}

/// Whether `cert` was signed by `issuer`'s key (RSA PKCS#1 v1.5 SHA-256)
/// and names it as issuer.
pub fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    if cert.signature_algorithm().oid != OID_SHA256_RSA {
        return false;
    }
    let Ok(spki) = issuer.tbs_certificate().subject_public_key_info().to_der() else {
        return false;
    };
    let Ok(pk) = rsa::PublicKey::from_public_key_der(&spki) else {
        return false;
    };
    let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(pk);
    let Ok(tbs) = cert.tbs_certificate().to_der() else {
        return false;
    };
    let Some(sig_bytes) = cert.signature().as_bytes() else {
        return false;
    };
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig_bytes) else {
        return false;
    };
    vk.verify(&tbs, &sig).is_ok()
}

/// Whether `sig` is `cert`'s RSA PKCS#1 v1.5 SHA-256 signature over
/// `message` (a person's signed act in the audit trail).
pub fn verify_rsa_sha256(cert: &Certificate, message: &[u8], sig: &[u8]) -> bool {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    let Ok(spki) = cert.tbs_certificate().subject_public_key_info().to_der() else {
        return false;
    };
    let Ok(pk) = rsa::PublicKey::from_public_key_der(&spki) else {
        return false;
    };
    let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(pk);
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig) else {
        return false;
    };
    vk.verify(message, &sig).is_ok()
}
