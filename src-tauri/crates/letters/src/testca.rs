//! Certificates: a clearly marked test certificate authority for trying the
//! workstation out, and import of the bureau's real certificate from a
//! PKCS#12 (.p12/.pfx) file.
//!
//! Every test subject carries 测试 / TEST: “ReviewDesk 测试CA（TEST ONLY）”
//! and “测试签章（TEST ONLY）…”. The CA's certificate can be exported as
//! PEM so a PDF reader (or poppler's NSS database) can be told to trust it.
//!
//! PKCS#12 goes through `p12-keystore` (pure Rust; PBES2/AES and the legacy
//! PBES1 3DES/RC2 encryptions, SHA-1/SHA-256 MACs). The password is used
//! once and never stored.

use std::str::FromStr;
use std::time::Duration;

use der::asn1::OctetString;
use der::{Decode, Encode, EncodePem};
use rsa::pkcs1v15::SigningKey;
use rsa::sha2::Sha256;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::Validity;
use x509_cert::Certificate;

use super::sign::{DigestAlgorithm, RsaSoftwareSigner};
use super::{LetterError, Result};

/// RSA modulus size of generated test keys.
pub const TEST_KEY_BITS: usize = 2048;

fn cert_err(e: impl std::fmt::Display) -> LetterError {
    LetterError::Certificate(e.to_string())
}

/// A key identifier: the first 20 bytes of SHA-256 over the public key bits.
fn key_id(spk: SubjectPublicKeyInfoRef<'_>) -> der::Result<OctetString> {
    let bits = spk.subject_public_key.raw_bytes();
    let d = DigestAlgorithm::Sha256.digest(&[bits]);
    OctetString::new(&d[..20])
}

/// Builder profile for the test CA and its signing certificates.
struct TestProfile {
    subject: Name,
    issuer: Name,
    ca: bool,
}

impl BuilderProfile for TestProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut exts: Vec<Extension> = Vec::new();
        let ski = SubjectKeyIdentifier(key_id(spk)?);
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(key_id(issuer_spk)?),
            ..Default::default()
        };
        let bc = BasicConstraints {
            ca: self.ca,
            path_len_constraint: if self.ca { Some(0) } else { None },
        };
        let ku = if self.ca {
            KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
        } else {
            KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation)
        };
        exts.push((&bc).to_extension(tbs.subject(), &exts)?);
        exts.push((&ku).to_extension(tbs.subject(), &exts)?);
        exts.push((&ski).to_extension(tbs.subject(), &exts)?);
        exts.push((&aki).to_extension(tbs.subject(), &exts)?);
        Ok(exts)
    }
}

fn random_serial() -> Result<SerialNumber> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(cert_err)?;
    b[0] &= 0x7f; // positive
    b[0] |= 0x10; // no leading zero byte
    SerialNumber::new(&b).map_err(cert_err)
}

fn new_key() -> Result<rsa::PrivateKey> {
    rsa::PrivateKey::new(&mut getrandom::SysRng, TEST_KEY_BITS).map_err(cert_err)
}

fn spki_of(key: &rsa::PrivateKey) -> Result<SubjectPublicKeyInfoOwned> {
    use rsa::pkcs8::EncodePublicKey;
    let der = key.to_public_key().to_public_key_der().map_err(cert_err)?;
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(cert_err)
}

/// A test certificate authority (key in memory).
pub struct TestAuthority {
    cert: Certificate,
    key: SigningKey<Sha256>,
}

impl std::fmt::Debug for TestAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestAuthority")
            .field(
                "subject",
                &self.cert.tbs_certificate().subject().to_string(),
            )
            .finish_non_exhaustive()
    }
}

impl TestAuthority {
    /// Creates a new test CA valid for ten years, subject
    /// `CN=ReviewDesk 测试CA（TEST ONLY）,O=<org>（测试）,C=CN`.
    pub fn generate(org: &str) -> Result<TestAuthority> {
        let key = new_key()?;
        let subject = Name::from_str(&format!(
            "CN=ReviewDesk 测试CA（TEST ONLY）,O={}（测试 TEST）,C=CN",
            org.replace(',', " ")
        ))
        .map_err(cert_err)?;
        let profile = TestProfile {
            subject: subject.clone(),
            issuer: subject,
            ca: true,
        };
        let validity =
            Validity::from_now(Duration::from_secs(10 * 365 * 86400)).map_err(cert_err)?;
        let signer = SigningKey::<Sha256>::new(key.clone());
        let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki_of(&key)?)
            .map_err(cert_err)?;
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&signer)
            .map_err(cert_err)?;
        Ok(TestAuthority { cert, key: signer })
    }

    /// The CA certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The CA certificate as PEM (to import into a PDF reader or NSS db).
    pub fn certificate_pem(&self) -> Result<String> {
        self.cert.to_pem(der::pem::LineEnding::LF).map_err(cert_err)
    }

    /// Issues a signing certificate (two years) for `holder`, subject
    /// `CN=测试签章（TEST ONLY）<holder>,O=<org of the CA>,C=CN`, and returns
    /// a signer holding its fresh key; the CA certificate rides along in the
    /// chain.
    pub fn issue_signer(&self, holder: &str) -> Result<RsaSoftwareSigner> {
        let key = new_key()?;
        let subject = Name::from_str(&format!(
            "CN=测试签章（TEST ONLY）{},O=ReviewDesk 测试（TEST）,C=CN",
            holder.replace(',', " ")
        ))
        .map_err(cert_err)?;
        let profile = TestProfile {
            subject,
            issuer: self.cert.tbs_certificate().subject().clone(),
            ca: false,
        };
        let validity =
            Validity::from_now(Duration::from_secs(2 * 365 * 86400)).map_err(cert_err)?;
        let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki_of(&key)?)
            .map_err(cert_err)?;
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&self.key)
            .map_err(cert_err)?;
        RsaSoftwareSigner::new(key, cert, vec![self.cert.clone()])
    }
}

/// Writes a signer's key and certificates to a PKCS#12 file protected by
/// `password` (AES-256 / SHA-256 MAC), e.g. to hand a test signer to
/// another workstation or to test [`import_pkcs12`].
pub fn export_pkcs12(signer: &RsaSoftwareSigner, password: &str) -> Result<Vec<u8>> {
    use super::sign::Signer;
    let key =
        p12_keystore::PrivateKey::from_der(&signer.private_key_pkcs8_der()?).map_err(cert_err)?;
    let mut certs = vec![p12_keystore::Certificate::from_der(
        &signer.certificate().to_der().map_err(cert_err)?,
    )
    .map_err(cert_err)?];
    for c in signer.chain() {
        certs.push(
            p12_keystore::Certificate::from_der(&c.to_der().map_err(cert_err)?)
                .map_err(cert_err)?,
        );
    }
    let chain = p12_keystore::PrivateKeyChain::new(vec![1u8; 20], key, certs);
    let mut ks = p12_keystore::KeyStore::new();
    ks.add_entry(
        "signer",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    ks.writer(password).write().map_err(cert_err)
}

/// Reads the bureau's certificate and RSA key from a PKCS#12 file. The
/// first key entry is used; its chain's first certificate must match the
/// key. The password is not kept.
pub fn import_pkcs12(bytes: &[u8], password: &str) -> Result<RsaSoftwareSigner> {
    let ks = p12_keystore::KeyStore::from_pkcs12(
        bytes,
        password,
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(|e| {
        let m = e.to_string().to_lowercase();
        if m.contains("mac") || m.contains("password") || m.contains("decrypt") {
            LetterError::Pkcs12Password
        } else {
            LetterError::Certificate(format!("PKCS#12: {e}"))
        }
    })?;
    let (_, chain) = ks.private_key_chain().ok_or_else(|| {
        LetterError::Certificate(
            "PKCS#12 文件中没有私钥 / no private key in the PKCS#12 file".into(),
        )
    })?;
    let mut certs = chain
        .certs()
        .iter()
        .map(|c| Certificate::from_der(c.as_der()).map_err(cert_err))
        .collect::<Result<Vec<_>>>()?;
    if certs.is_empty() {
        return Err(LetterError::Certificate(
            "PKCS#12 文件中没有证书 / no certificate in the PKCS#12 file".into(),
        ));
    }
    let key_der = chain.key().as_der();
    // the leaf is the certificate whose key matches; try each
    let mut last_err = None;
    for i in 0..certs.len() {
        let leaf = certs[i].clone();
        let rest: Vec<Certificate> = certs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c.clone())
            .collect();
        match RsaSoftwareSigner::from_pkcs8_der(key_der, leaf, rest) {
            Ok(s) => return Ok(s),
            Err(e) => last_err = Some(e),
        }
    }
    certs.clear();
    Err(last_err.unwrap_or_else(|| LetterError::Certificate("no matching certificate".into())))
}
