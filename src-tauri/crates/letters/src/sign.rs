//! PAdES baseline B-B signatures (ETSI EN 319 142-1: SubFilter
//! ETSI.CAdES.detached, SHA-256) added to a letter by an incremental update.
//!
//! A little over 600 lines on purpose: the incremental update, the CMS and
//! the PDF serialisation it needs are one ordered security procedure.
//!
//! The original PDF bytes are kept unchanged; appended are a signature
//! dictionary with a `/ByteRange` and a zero-filled `/Contents` placeholder,
//! a signature field (invisible widget on page 1), the catalog with its
//! `/AcroForm`, page 1 with the widget in `/Annots`, a cross-reference
//! section and a trailer pointing back with `/Prev`. The CMS SignedData is
//! computed over every byte except the `/Contents` hex string and written
//! into it.
//!
//! CMS signed attributes, as B-B requires: content-type (id-data),
//! message-digest, and signing-certificate-v2 (ESS). No signing-time: in
//! PAdES the claimed time is the dictionary's `/M`.
//!
//! The [`Signer`] trait keeps the key behind an interface, so a hardware
//! token or an SM2/SM3 signer (GB/T 38540) can be added beside the RSA
//! software signer.

use chrono::{DateTime, FixedOffset};
use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use lopdf::{Dictionary, Object, ObjectId};
use rsa::pkcs1v15::SigningKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer as _};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

pub use super::x509::{OID_RSA, OID_SHA256_RSA};
use super::{LetterError, Result};

pub const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub const OID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub const OID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub const OID_SIGNING_CERT_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// Digest algorithms a signer can use. SM3 comes with an SM2 signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DigestAlgorithm {
    Sha256,
}

impl DigestAlgorithm {
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha256 => OID_SHA256,
        }
    }
    /// Hashes the concatenation of `parts`.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Sha256 => {
                let mut h = sha2::Sha256::new();
                for p in parts {
                    h.update(p);
                }
                h.finalize().to_vec()
            }
        }
    }
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        (*oid == OID_SHA256).then_some(DigestAlgorithm::Sha256)
    }
}

/// Something that can sign: a key with its certificate.
pub trait Signer: Send + Sync {
    /// The signing certificate.
    fn certificate(&self) -> &Certificate;
    /// Further certificates to embed (intermediates; the root is optional).
    fn chain(&self) -> &[Certificate];
    /// Digest for the document and the signed attributes.
    fn digest_algorithm(&self) -> DigestAlgorithm;
    /// The SignerInfo's signatureAlgorithm.
    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned;
    /// Signs `message` (the DER of the signed attributes); the signer
    /// hashes it with its digest algorithm.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// An RSA key held in memory (PKCS#1 v1.5 with SHA-256).
pub struct RsaSoftwareSigner {
    key: SigningKey<Sha256>,
    cert: Certificate,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for RsaSoftwareSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaSoftwareSigner")
            .field(
                "subject",
                &self.cert.tbs_certificate().subject().to_string(),
            )
            .finish_non_exhaustive()
    }
}

impl RsaSoftwareSigner {
    /// A signer from an RSA private key and its certificate. Fails when
    /// the certificate's public key is not the key's.
    pub fn new(key: rsa::PrivateKey, cert: Certificate, chain: Vec<Certificate>) -> Result<Self> {
        use rsa::pkcs8::EncodePublicKey;
        let spki_key = key
            .to_public_key()
            .to_public_key_der()
            .map_err(|e| LetterError::Certificate(e.to_string()))?;
        let spki_cert = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| LetterError::Certificate(e.to_string()))?;
        if spki_key.as_bytes() != spki_cert.as_slice() {
            return Err(LetterError::Certificate(
                "私钥与证书不匹配 / the private key does not belong to the certificate".into(),
            ));
        }
        Ok(RsaSoftwareSigner {
            key: SigningKey::<Sha256>::new(key),
            cert,
            chain,
        })
    }

    /// From a PKCS#8 DER private key.
    pub fn from_pkcs8_der(
        key_der: &[u8],
        cert: Certificate,
        chain: Vec<Certificate>,
    ) -> Result<Self> {
        use rsa::pkcs8::DecodePrivateKey;
        let key = rsa::PrivateKey::from_pkcs8_der(key_der).map_err(|e| {
            LetterError::Certificate(format!("不是 RSA 私钥 / not an RSA key: {e}"))
        })?;
        Self::new(key, cert, chain)
    }

    /// The private key (for a test CA read back from its file).
    pub fn private_key(&self) -> Result<rsa::PrivateKey> {
        Ok(self.key.as_ref().clone())
    }

    /// The private key as PKCS#8 DER (for exporting a test signer).
    pub fn private_key_pkcs8_der(&self) -> Result<Vec<u8>> {
        use rsa::pkcs8::EncodePrivateKey;
        self.key
            .as_ref()
            .to_pkcs8_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| LetterError::Certificate(e.to_string()))
    }
}

impl Signer for RsaSoftwareSigner {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }
    fn digest_algorithm(&self) -> DigestAlgorithm {
        DigestAlgorithm::Sha256
    }
    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: OID_SHA256_RSA,
            parameters: Some(Any::null()),
        }
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig = self
            .key
            .try_sign(message)
            .map_err(|e| LetterError::Sign(e.to_string()))?;
        Ok(sig.to_vec())
    }
}

/// What goes into the signature dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOptions {
    /// Claimed signing time (`/M`).
    pub time: DateTime<FixedOffset>,
    /// `/Reason`, e.g. 签发 渝中大数据发〔2026〕12号.
    pub reason: String,
    /// `/Location`.
    pub location: String,
    /// `/Name` (defaults to the certificate's CN).
    pub name: Option<String>,
    /// Bytes reserved for the CMS blob; `None` sizes it from the
    /// certificates (their DER plus 2 KB for the signature and attributes).
    pub signature_space: Option<usize>,
}

impl SignOptions {
    pub fn new(time: DateTime<FixedOffset>, reason: impl Into<String>) -> Self {
        SignOptions {
            time,
            reason: reason.into(),
            location: "重庆市渝中区".into(),
            name: None,
            signature_space: None,
        }
    }
}

// ---- ESS signing-certificate-v2 (RFC 5035) -----------------------------

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// ESSCertIDv2 with hashAlgorithm left at its DEFAULT (SHA-256).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EssCertIdV2 {
    pub(crate) cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub(crate) certs: Vec<EssCertIdV2>,
}

fn attr(oid: ObjectIdentifier, value: Any) -> Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(der_err)?;
    Ok(Attribute { oid, values })
}

fn der_err(e: der::Error) -> LetterError {
    LetterError::Sign(format!("DER: {e}"))
}

/// The CMS SignedData (DER) for a document digest.
pub fn build_cms(signer: &dyn Signer, digest: &[u8]) -> Result<Vec<u8>> {
    // Long on purpose: the SignedData built field by field in the order
    // RFC 5652 and PAdES B-B lay it out; `verify::check` reads it back in
    // the same order.
    let cert = signer.certificate();
    let alg = signer.digest_algorithm();
    let tbs = cert.tbs_certificate();
    // ESS signing-certificate-v2: the signing certificate first, then every
    // other embedded certificate, so that all of them are covered by the
    // signature (RFC 5035 §5.4)
    let mut ess_ids = Vec::new();
    for c in std::iter::once(cert).chain(signer.chain()) {
        let t = c.tbs_certificate();
        ess_ids.push(EssCertIdV2 {
            cert_hash: OctetString::new(
                DigestAlgorithm::Sha256.digest(&[&c.to_der().map_err(der_err)?]),
            )
            .map_err(der_err)?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(t.issuer().clone())],
                serial_number: t.serial_number().clone(),
            },
        });
    }
    let ess = SigningCertificateV2 { certs: ess_ids };
    let mut signed_attrs: SetOfVec<Attribute> = SetOfVec::new();
    signed_attrs
        .insert(attr(
            OID_CONTENT_TYPE,
            Any::encode_from(&OID_DATA).map_err(der_err)?,
        )?)
        .map_err(der_err)?;
    signed_attrs
        .insert(attr(
            OID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest).map_err(der_err)?).map_err(der_err)?,
        )?)
        .map_err(der_err)?;
    signed_attrs
        .insert(attr(
            OID_SIGNING_CERT_V2,
            Any::encode_from(&ess).map_err(der_err)?,
        )?)
        .map_err(der_err)?;
    let to_sign = signed_attrs.to_der().map_err(der_err)?;
    let signature = signer.sign(&to_sign)?;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: alg.identifier(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signer.signature_algorithm(),
        signature: OctetString::new(signature).map_err(der_err)?,
        unsigned_attrs: None,
    };
    let mut certs = SetOfVec::new();
    certs
        .insert(cms::cert::CertificateChoices::Certificate(cert.clone()))
        .map_err(der_err)?;
    for c in signer.chain() {
        certs
            .insert(cms::cert::CertificateChoices::Certificate(c.clone()))
            .map_err(der_err)?;
    }
    let mut digest_algs = SetOfVec::new();
    digest_algs.insert(alg.identifier()).map_err(der_err)?;
    let mut infos = SetOfVec::new();
    infos.insert(signer_info).map_err(der_err)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: digest_algs,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: OID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    let ci = ContentInfo {
        content_type: OID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(der_err)?,
    };
    ci.to_der().map_err(der_err)
}

// ---- PDF incremental update --------------------------------------------

/// A PDF text string: PDFDocEncoding-safe ASCII literally, anything else
/// UTF-16BE with a byte-order mark, in hex.
pub fn pdf_text_string(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        let mut out = String::from("(");
        for c in s.chars() {
            if matches!(c, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push(')');
        out
    } else {
        let mut out = String::from("<FEFF");
        for u in s.encode_utf16() {
            out.push_str(&format!("{u:04X}"));
        }
        out.push('>');
        out
    }
}

/// `D:YYYYMMDDHHmmSS+HH'mm'`.
pub fn pdf_date(t: &DateTime<FixedOffset>) -> String {
    let off = t.offset().local_minus_utc();
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.abs();
    format!(
        "D:{}{}{:02}'{:02}'",
        t.format("%Y%m%d%H%M%S"),
        sign,
        off / 3600,
        (off % 3600) / 60
    )
}

/// Serialises a lopdf object (no streams) in PDF syntax.
pub fn write_object(o: &Object, out: &mut String) {
    match o {
        Object::Null => out.push_str("null"),
        Object::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Object::Integer(i) => out.push_str(&i.to_string()),
        Object::Real(r) => out.push_str(&format!("{r}")),
        Object::Name(n) => {
            out.push('/');
            for b in n {
                if b.is_ascii_alphanumeric() || b"-_.+*".contains(b) {
                    out.push(*b as char);
                } else {
                    out.push_str(&format!("#{b:02X}"));
                }
            }
        }
        Object::String(bytes, _) => {
            out.push('<');
            for b in bytes {
                out.push_str(&format!("{b:02X}"));
            }
            out.push('>');
        }
        Object::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_object(x, out);
            }
            out.push(']');
        }
        Object::Dictionary(d) => write_dict(d, out),
        Object::Stream(s) => write_dict(&s.dict, out),
        Object::Reference((n, g)) => out.push_str(&format!("{n} {g} R")),
    }
}

fn write_dict(d: &Dictionary, out: &mut String) {
    out.push_str("<<");
    for (k, v) in d.iter() {
        write_object(&Object::Name(k.clone()), out);
        out.push(' ');
        write_object(v, out);
        out.push(' ');
    }
    out.push_str(">>");
}

fn pdf_err(e: impl std::fmt::Display) -> LetterError {
    LetterError::Sign(format!("PDF: {e}"))
}

/// Where the last `startxref` points.
fn last_startxref(pdf: &[u8]) -> Result<usize> {
    let tail_start = pdf.len().saturating_sub(1024);
    let tail = &pdf[tail_start..];
    let pos = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or_else(|| pdf_err("no startxref"))?;
    let rest = &tail[pos + 9..];
    let digits: String = rest
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|b| *b as char)
        .collect();
    digits.parse().map_err(|_| pdf_err("bad startxref"))
}

const BYTE_RANGE_PLACEHOLDER: &str = "/ByteRange [0 ********** ********** **********]";

/// Signs `pdf` (a complete PDF) with `signer`; returns the signed PDF.
pub fn sign_pdf(pdf: &[u8], signer: &dyn Signer, opts: &SignOptions) -> Result<Vec<u8>> {
    // Long on purpose: one incremental update written in file order
    // (signature dictionary, annotation, catalog, xref, trailer), then the
    // placeholder filled; the byte offsets of each part feed the next.
    let doc = lopdf::Document::load_mem(pdf).map_err(pdf_err)?;
    let prev = last_startxref(pdf)?;
    let root_id: ObjectId = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(pdf_err)?;
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .map(|s| s as u32)
        .unwrap_or(doc.max_id + 1)
        .max(doc.max_id + 1);
    let page_id = *doc
        .get_pages()
        .get(&1)
        .ok_or_else(|| pdf_err("no page 1"))?;
    let mut catalog = doc.get_dictionary(root_id).map_err(pdf_err)?.clone();
    if catalog.has(b"AcroForm") {
        return Err(LetterError::Sign(
            "该文件已有表单或签名 / the PDF already has a form or signature".into(),
        ));
    }
    let mut page = doc.get_dictionary(page_id).map_err(pdf_err)?.clone();

    let sig_id = size;
    let widget_id = size + 1;
    let mut annots = match page.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(r)) => match doc.get_object(*r) {
            Ok(Object::Array(a)) => a.clone(),
            _ => vec![],
        },
        _ => vec![],
    };
    annots.push(Object::Reference((widget_id, 0)));
    page.set("Annots", Object::Array(annots));
    let mut acro = Dictionary::new();
    acro.set("Fields", vec![Object::Reference((widget_id, 0))]);
    acro.set("SigFlags", 3);
    catalog.set("AcroForm", Object::Dictionary(acro));

    let cert_cn = super::x509::common_name(signer.certificate());
    let name = opts.name.clone().or(cert_cn).unwrap_or_default();
    let space = match opts.signature_space {
        Some(s) => s,
        None => {
            let mut n = 2048;
            for c in std::iter::once(signer.certificate()).chain(signer.chain()) {
                n += c.to_der().map_err(der_err)?.len();
            }
            n
        }
    };
    let hex_len = space * 2;

    let mut out: Vec<u8> = pdf.to_vec();
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();

    // signature dictionary
    offsets.push((sig_id, out.len()));
    let head = format!(
        "{sig_id} 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached {BYTE_RANGE_PLACEHOLDER} /Contents <"
    );
    out.extend_from_slice(head.as_bytes());
    let contents_start = out.len() - 1;
    out.extend(std::iter::repeat_n(b'0', hex_len));
    out.push(b'>');
    let contents_end = out.len();
    let tail = format!(
        " /M {} /Name {} /Reason {} /Location {}>>\nendobj\n",
        pdf_text_string(&pdf_date(&opts.time)),
        pdf_text_string(&name),
        pdf_text_string(&opts.reason),
        pdf_text_string(&opts.location),
    );
    out.extend_from_slice(tail.as_bytes());

    // widget / signature field
    offsets.push((widget_id, out.len()));
    out.extend_from_slice(
        format!(
            "{widget_id} 0 obj\n<</Type /Annot /Subtype /Widget /FT /Sig /T {} /V {sig_id} 0 R /P {} {} R /Rect [0 0 0 0] /F 132>>\nendobj\n",
            pdf_text_string("Signature1"),
            page_id.0,
            page_id.1
        )
        .as_bytes(),
    );
    // catalog and page, rewritten
    for (id, dict) in [(root_id, &catalog), (page_id, &page)] {
        offsets.push((id.0, out.len()));
        let mut s = format!("{} {} obj\n", id.0, id.1);
        write_dict(dict, &mut s);
        s.push_str("\nendobj\n");
        out.extend_from_slice(s.as_bytes());
    }
    // xref
    let xref_at = out.len();
    offsets.sort();
    let mut xref = String::from("xref\n0 1\n0000000000 65535 f\r\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i;
        while j + 1 < offsets.len() && offsets[j + 1].0 == offsets[j].0 + 1 {
            j += 1;
        }
        xref.push_str(&format!("{} {}\n", offsets[i].0, j - i + 1));
        for (id, off) in &offsets[i..=j] {
            let gen = if *id == root_id.0 {
                root_id.1
            } else if *id == page_id.0 {
                page_id.1
            } else {
                0
            };
            xref.push_str(&format!("{off:010} {gen:05} n\r\n"));
        }
        i = j + 1;
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", i64::from(widget_id + 1));
    trailer.set("Root", Object::Reference(root_id));
    if let Ok(info) = doc.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    if let Ok(id) = doc.trailer.get(b"ID") {
        trailer.set("ID", id.clone());
    }
    trailer.set("Prev", prev as i64);
    xref.push_str("trailer\n");
    write_dict(&trailer, &mut xref);
    xref.push_str(&format!("\nstartxref\n{xref_at}\n%%EOF\n"));
    out.extend_from_slice(xref.as_bytes());

    // byte range
    let total = out.len();
    let br = [0, contents_start, contents_end, total - contents_end];
    let br_text = format!("/ByteRange [0 {:<10} {:<10} {:<10}]", br[1], br[2], br[3]);
    if br_text.len() != BYTE_RANGE_PLACEHOLDER.len() {
        return Err(pdf_err("document too large for the /ByteRange placeholder"));
    }
    let br_pos = out[..contents_start]
        .windows(BYTE_RANGE_PLACEHOLDER.len())
        .rposition(|w| w == BYTE_RANGE_PLACEHOLDER.as_bytes())
        .ok_or_else(|| pdf_err("placeholder lost"))?;
    out[br_pos..br_pos + br_text.len()].copy_from_slice(br_text.as_bytes());

    let digest = signer
        .digest_algorithm()
        .digest(&[&out[..contents_start], &out[contents_end..]]);
    let cms = build_cms(signer, &digest)?;
    if cms.len() * 2 > hex_len {
        return Err(LetterError::Sign(format!(
            "签名数据 {} 字节超过预留的 {} 字节 / CMS of {} bytes exceeds the reserved {}",
            cms.len(),
            space,
            cms.len(),
            space
        )));
    }
    let hex = hex::encode_upper(&cms);
    out[contents_start + 1..contents_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// Parses a DER certificate.
pub fn certificate_from_der(der: &[u8]) -> Result<Certificate> {
    Certificate::from_der(der).map_err(|e| LetterError::Certificate(e.to_string()))
}
