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
    /// Key usage of a non-CA certificate (a CA always gets keyCertSign |
    /// cRLSign).
    usage: Usage,
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
        let ku = match (self.ca, self.usage) {
            (true, _) => KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
            (false, Usage::Signing) => {
                KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation)
            }
            (false, Usage::Encryption) => {
                KeyUsage(KeyUsages::KeyEncipherment | KeyUsages::DataEncipherment)
            }
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
    private: rsa::PrivateKey,
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
        TestAuthority::self_signed(key, subject)
    }

    /// A CA certificate for `subject`, self-signed with `key`, valid for
    /// ten years.
    fn self_signed(key: rsa::PrivateKey, subject: Name) -> Result<TestAuthority> {
        let profile = TestProfile {
            subject: subject.clone(),
            issuer: subject,
            ca: true,
            usage: Usage::Signing,
        };
        let validity =
            Validity::from_now(Duration::from_secs(10 * 365 * 86400)).map_err(cert_err)?;
        let signer = SigningKey::<Sha256>::new(key.clone());
        let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki_of(&key)?)
            .map_err(cert_err)?;
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&signer)
            .map_err(cert_err)?;
        Ok(TestAuthority {
            cert,
            key: signer,
            private: key,
        })
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
            usage: Usage::Signing,
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

/// What a certificate's key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// digitalSignature | nonRepudiation: signs acts and letters.
    Signing,
    /// keyEncipherment | dataEncipherment: the separate encryption
    /// certificate Chinese UKeys carry (it cannot sign).
    Encryption,
}

/// A certificate to issue from a test CA.
#[derive(Debug, Clone)]
pub struct IssueSpec {
    /// The person's name, or with `seal` the organisation's (the bureau).
    pub holder: String,
    /// The organisation's seal certificate (电子印章) instead of a person's.
    pub seal: bool,
    /// What the key is for.
    pub usage: Usage,
    /// A CA certificate (for tests of chains; a CA cannot sign letters).
    pub ca: bool,
    /// Start of validity.
    pub not_before: std::time::SystemTime,
    /// Length of validity.
    pub valid_for: Duration,
}

impl IssueSpec {
    /// A person's signing certificate valid from now for `days` days.
    pub fn person(holder: &str, days: u64) -> IssueSpec {
        IssueSpec {
            holder: holder.to_string(),
            seal: false,
            usage: Usage::Signing,
            ca: false,
            not_before: std::time::SystemTime::now(),
            valid_for: Duration::from_secs(days.saturating_mul(86400)),
        }
    }

    /// A person's encryption certificate (keyEncipherment, the second
    /// certificate of a UKey) valid from now for `days` days.
    pub fn encryption(holder: &str, days: u64) -> IssueSpec {
        IssueSpec {
            usage: Usage::Encryption,
            ..IssueSpec::person(holder, days)
        }
    }

    /// The bureau's seal certificate (电子印章), subject = the bureau.
    pub fn seal(bureau: &str, days: u64) -> IssueSpec {
        IssueSpec {
            seal: true,
            ..IssueSpec::person(bureau, days)
        }
    }
}

/// Subject names hold no commas from the user (they would split the RDN).
fn rdn_text(s: &str) -> String {
    s.replace([',', '+', '=', '\\', '"', '<', '>', ';'], " ")
        .trim()
        .to_string()
}

impl TestAuthority {
    /// A test CA named by the bureau: `CN=<name>（测试CA TEST ONLY）`.
    pub fn named(name: &str) -> Result<TestAuthority> {
        let name = rdn_text(name);
        let key = new_key()?;
        let subject = Name::from_str(&format!(
            "CN={name}（测试CA TEST ONLY）,O={name}（测试 TEST ONLY）,C=CN"
        ))
        .map_err(cert_err)?;
        TestAuthority::self_signed(key, subject)
    }

    /// Issues a certificate as `spec` says, with a fresh 2048-bit key. The
    /// subject carries TEST ONLY in its organisation: `CN=<holder>,
    /// OU=<人员 or 电子印章>, O=<the CA's organisation>`.
    pub fn issue(&self, spec: &IssueSpec) -> Result<RsaSoftwareSigner> {
        let key = new_key()?;
        let unit = match (spec.seal, spec.usage) {
            (true, _) => "电子印章 SEAL",
            (false, Usage::Encryption) => "加密证书 ENCRYPTION",
            (false, Usage::Signing) => "人员 PERSON",
        };
        let subject = Name::from_str(&format!(
            "CN={},OU={unit},O=ReviewDesk 测试（TEST ONLY）,C=CN",
            rdn_text(&spec.holder)
        ))
        .map_err(cert_err)?;
        let profile = TestProfile {
            subject,
            issuer: self.cert.tbs_certificate().subject().clone(),
            ca: spec.ca,
            usage: spec.usage,
        };
        let not_after = spec.not_before + spec.valid_for;
        let validity = Validity::new(
            x509_cert::time::Time::try_from(spec.not_before).map_err(cert_err)?,
            x509_cert::time::Time::try_from(not_after).map_err(cert_err)?,
        );
        let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki_of(&key)?)
            .map_err(cert_err)?;
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&self.key)
            .map_err(cert_err)?;
        RsaSoftwareSigner::new(key, cert, vec![self.cert.clone()])
    }

    /// The CA's key and certificate as a PKCS#12 protected by `password`
    /// (so `ca issue` can use the CA again).
    pub fn to_pkcs12(&self, password: &str) -> Result<Vec<u8>> {
        let me = RsaSoftwareSigner::new(self.private.clone(), self.cert.clone(), Vec::new())?;
        export_pkcs12(&me, password)
    }

    /// A test CA read back from [`TestAuthority::to_pkcs12`]'s file. Refuses a
    /// file whose certificate is not a CA.
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<TestAuthority> {
        let s = import_pkcs12(bytes, password)?;
        use super::sign::Signer;
        if !super::chain::is_ca(s.certificate()) {
            return Err(LetterError::Certificate(
                "这不是证书机构（CA）的文件 / this file does not hold a CA certificate".into(),
            ));
        }
        let private = s.private_key()?;
        Ok(TestAuthority {
            cert: s.certificate().clone(),
            key: SigningKey::<Sha256>::new(private.clone()),
            private,
        })
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

#[cfg(test)]
impl TestAuthority {
    /// Any signer as an issuer, to test that a leaf cannot act as a CA.
    pub(crate) fn from_parts_for_tests(s: &RsaSoftwareSigner) -> TestAuthority {
        use super::sign::Signer;
        let private = s.private_key().expect("key");
        TestAuthority {
            cert: s.certificate().clone(),
            key: SigningKey::<Sha256>::new(private.clone()),
            private,
        }
    }
}
