//! Verifies a signed letter from its bytes alone.
//!
//! The check does not trust the PDF's structure: it finds the last
//! signature dictionary's `/ByteRange` by scanning the bytes, requires the
//! range to start at 0, to leave out exactly the `/Contents` hex string and
//! to end at the end of the file (anything appended later is reported),
//! recomputes the digest, compares it with the CMS message-digest attribute
//! and checks the signer's RSA signature over the signed attributes. Any
//! changed byte inside the range, in the signature, or a truncation fails.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::OctetString;
use der::{Decode, Encode};
use rsa::pkcs8::DecodePublicKey;
use rsa::sha2::Sha256;
use rsa::signature::Verifier;
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use cms::content_info::CmsVersion;

use super::sign::{
    DigestAlgorithm, SigningCertificateV2, OID_DATA, OID_MESSAGE_DIGEST, OID_RSA, OID_SHA256_RSA,
    OID_SIGNED_DATA, OID_SIGNING_CERT_V2,
};
use super::x509::{common_name, issued_by};

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct VerifyReport {
    /// A signature dictionary was found.
    pub signed: bool,
    /// The digest of the signed bytes matches and the signer's signature
    /// over it is valid.
    pub signature_valid: bool,
    /// The signed range covers the whole file: nothing was changed or added
    /// after signing.
    pub unchanged_since_signing: bool,
    /// The signer's CN (or the full subject when there is no CN).
    pub signer: Option<String>,
    /// The full subject of the signing certificate.
    pub signer_subject: Option<String>,
    /// The claimed signing time, the dictionary's `/M` (e.g. D:20261126…).
    pub signed_at: Option<String>,
    /// `/SubFilter` (ETSI.CAdES.detached for PAdES).
    pub sub_filter: Option<String>,
    /// SHA-256 of the signing certificate (hex), to match against a register.
    pub certificate_sha256: Option<String>,
    /// SHA-256 of the whole file (hex).
    pub file_sha256: String,
    /// Whether the signer's certificate chains to one of the trusted
    /// certificates given to [`verify_with_trust`] (validity at the signing
    /// time, key usage, basicConstraints, key size: `chain::validate`);
    /// `None` when none was given.
    pub trusted: Option<bool>,
    /// Why the signer is not trusted: a stable code (`not_trusted`,
    /// `certificate_expired`, `no_signing_key_usage`, `issuer_not_ca`,
    /// `no_trust_anchor`, `sm2_unsupported`, …).
    #[serde(default)]
    pub trust_code: Option<String>,
    /// The same reason in words (Chinese / English).
    #[serde(default)]
    pub trust_reason: Option<String>,
    /// The chain ends at a test CA or the signer is a test certificate
    /// (TEST ONLY): a test letter.
    #[serde(default)]
    pub test: bool,
    /// Everything that failed, in words.
    pub problems: Vec<String>,
}

impl VerifyReport {
    /// Valid, complete and trusted: a signature is worth nothing unless
    /// its signer chains to a trusted CA, so without trust anchors nothing
    /// is valid.
    pub fn is_valid(&self) -> bool {
        self.signed
            && self.signature_valid
            && self.unchanged_since_signing
            && self.trusted == Some(true)
    }

    /// The signature and the bytes are intact (whoever signed them).
    pub fn is_intact(&self) -> bool {
        self.signed && self.signature_valid && self.unchanged_since_signing
    }
}

/// Verifies the last signature of `pdf`.
pub fn verify(pdf: &[u8]) -> VerifyReport {
    verify_with_trust(pdf, &[])
}

/// Verifies the last signature of `pdf` and whether its certificate was
/// issued by one of `trusted` (or is one of them).
pub fn verify_with_trust(pdf: &[u8], trusted: &[Certificate]) -> VerifyReport {
    let mut r = VerifyReport {
        file_sha256: hex::encode(DigestAlgorithm::Sha256.digest(&[pdf])),
        ..Default::default()
    };
    if let Err(p) = check(pdf, trusted, &mut r) {
        r.problems.push(p);
    }
    if r.signature_valid && !r.unchanged_since_signing {
        r.problems
            .push("签名后文件被追加或截断 / the file was changed after signing".into());
    }
    r
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn parse_ints(s: &[u8], n: usize) -> Option<Vec<usize>> {
    let text = std::str::from_utf8(s).ok()?;
    let v: Vec<usize> = text
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .take(n)
        .map(|t| t.parse().ok())
        .collect::<Option<Vec<_>>>()?;
    (v.len() == n).then_some(v)
}

/// The value of `/Key` in the dictionary text `dict`: a literal `(…)` or
/// hex `<…>` string, or a name.
fn dict_value(dict: &[u8], key: &[u8]) -> Option<String> {
    let pos = dict.windows(key.len()).position(|w| w == key)?;
    let rest = &dict[pos + key.len()..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &rest[start..];
    match rest.first()? {
        b'(' => {
            let mut out = Vec::new();
            let mut esc = false;
            for &b in &rest[1..] {
                if esc {
                    out.push(b);
                    esc = false;
                } else if b == b'\\' {
                    esc = true;
                } else if b == b')' {
                    break;
                } else {
                    out.push(b);
                }
            }
            Some(String::from_utf8_lossy(&out).into_owned())
        }
        b'<' => {
            let end = rest.iter().position(|b| *b == b'>')?;
            let bytes = hex::decode(&rest[1..end]).ok()?;
            if bytes.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = bytes[2..]
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                Some(String::from_utf16_lossy(&units))
            } else {
                Some(String::from_utf8_lossy(&bytes).into_owned())
            }
        }
        b'/' => {
            let end = rest[1..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || b"/<>[]()".contains(b))
                .map(|e| e + 1)
                .unwrap_or(rest.len());
            Some(String::from_utf8_lossy(&rest[1..end]).into_owned())
        }
        _ => None,
    }
}

fn check(pdf: &[u8], trusted: &[Certificate], r: &mut VerifyReport) -> Result<(), String> {
    // Long on purpose: one pass over the signature in the order a verifier
    // must check it (byte range, gap, CMS structure, certificates, signed
    // attributes, digest, signature value); each step needs the previous
    // ones' values and each early return is the verdict, so the order of
    // the checks stays readable in one place.
    let br_pos = find_last(pdf, b"/ByteRange").ok_or("未找到签名 / no signature found")?;
    r.signed = true;
    let open = pdf[br_pos..]
        .iter()
        .position(|b| *b == b'[')
        .map(|p| br_pos + p)
        .ok_or("ByteRange 格式错误 / malformed /ByteRange")?;
    let close = pdf[open..]
        .iter()
        .position(|b| *b == b']')
        .map(|p| open + p)
        .ok_or("ByteRange 格式错误 / malformed /ByteRange")?;
    let br =
        parse_ints(&pdf[open + 1..close], 4).ok_or("ByteRange 格式错误 / malformed /ByteRange")?;
    let (a, b, c, d) = (br[0], br[1], br[2], br[3]);
    if a != 0 || b >= c {
        return Err("ByteRange 不从文件开头开始 / /ByteRange does not start at 0".into());
    }
    let end = c.checked_add(d).ok_or("ByteRange overflow")?;
    if end > pdf.len() {
        return Err(format!(
            "文件被截断：签名覆盖 {end} 字节，文件只有 {} 字节 / truncated: the signature covers {end} bytes, the file has {}",
            pdf.len(),
            pdf.len()
        ));
    }
    r.unchanged_since_signing = end == pdf.len();
    let gap = &pdf[b..c];
    if gap.len() < 2
        || gap[0] != b'<'
        || gap[gap.len() - 1] != b'>'
        || !gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit)
    {
        return Err("签名范围之外有非签名数据 / the unsigned gap is not exactly /Contents".into());
    }
    // the signature dictionary (for /M, /SubFilter): from “obj” before the
    // ByteRange to “endobj” after the gap
    let dict_start = find_last(&pdf[..br_pos], b" obj").unwrap_or(0);
    let dict_end = pdf[c..]
        .windows(6)
        .position(|w| w == b"endobj")
        .map(|p| c + p)
        .unwrap_or(pdf.len().min(c + 4096));
    let dict = &pdf[dict_start..dict_end];
    r.signed_at = dict_value(dict, b"/M");
    r.sub_filter = dict_value(dict, b"/SubFilter");

    let hex_text: Vec<u8> = gap[1..gap.len() - 1].to_vec();
    let mut cms_der = hex::decode(&hex_text).map_err(|e| format!("/Contents: {e}"))?;
    // strip the zero padding after the DER
    let der_len = der_total_len(&cms_der).ok_or("签名数据损坏 / malformed CMS")?;
    if der_len > cms_der.len() {
        return Err("签名数据损坏 / malformed CMS".into());
    }
    // the padding after the DER is not signed: it must be as written (zeros)
    if hex_text[2 * der_len..].iter().any(|b| *b != b'0') {
        return Err("签名数据后的填充被改动 / the padding after the signature was changed".into());
    }
    cms_der.truncate(der_len);
    let ci = ContentInfo::from_der(&cms_der).map_err(|e| format!("CMS: {e}"))?;
    if ci.content_type != OID_SIGNED_DATA {
        return Err("不是 CMS SignedData / not a CMS SignedData".into());
    }
    if ci.to_der().map_err(|e| e.to_string())? != cms_der {
        return Err("签名数据编码不规范 / the CMS is not in canonical DER".into());
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|e| format!("SignedData: {e}"))?;
    // the parts of the CMS that the signature does not cover must still be
    // exactly what a PAdES B-B signer writes
    if sd.version != CmsVersion::V1 || sd.crls.is_some() {
        return Err(malformed("version/crls"));
    }
    if sd.encap_content_info.econtent_type != OID_DATA || sd.encap_content_info.econtent.is_some() {
        return Err(malformed("encapsulated content"));
    }
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or("没有签名者 / no signer")?;
    let certs: Vec<Certificate> = sd
        .certificates
        .as_ref()
        .map(|cs| {
            cs.0.iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let cert = match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => certs.iter().find(|c| {
            c.tbs_certificate().issuer() == &ias.issuer
                && c.tbs_certificate().serial_number() == &ias.serial_number
        }),
        SignerIdentifier::SubjectKeyIdentifier(_) => certs.first(),
    }
    .ok_or("签名证书缺失 / the signing certificate is not embedded")?;
    r.signer_subject = Some(cert.tbs_certificate().subject().to_string());
    r.signer = common_name(cert).or_else(|| r.signer_subject.clone());
    let cert_der = cert.to_der().map_err(|e| e.to_string())?;
    r.certificate_sha256 = Some(hex::encode(DigestAlgorithm::Sha256.digest(&[&cert_der])));
    let at = r
        .signed_at
        .as_deref()
        .and_then(parse_pdf_date)
        .unwrap_or_else(chrono::Utc::now);
    match super::chain::validate(cert, &certs, trusted, at) {
        Ok(path) => {
            r.trusted = Some(true);
            r.test = path.test;
        }
        Err(problem) => {
            r.test = super::chain::is_test(cert);
            r.trusted = match problem {
                super::chain::ChainProblem::NoTrustAnchor => None,
                _ => Some(false),
            };
            r.trust_code = Some(problem.code().to_string());
            r.trust_reason = Some(problem.message());
            r.problems.push(problem.message());
        }
    }

    if si.version != CmsVersion::V1
        || si.unsigned_attrs.is_some()
        || !sd
            .digest_algorithms
            .iter()
            .any(|a| a.oid == si.digest_alg.oid)
        || !(si.signature_algorithm.oid == OID_RSA || si.signature_algorithm.oid == OID_SHA256_RSA)
    {
        return Err(malformed("signer info"));
    }
    // every embedded certificate must carry a valid signature from an
    // issuer in the set (or itself); at most one may have its issuer
    // outside the set (the top of a chain sent without its root)
    let mut tops = 0;
    for c in &certs {
        let issuer = certs
            .iter()
            .find(|i| i.tbs_certificate().subject() == c.tbs_certificate().issuer());
        match issuer {
            Some(i) if issued_by(c, i) => {}
            Some(_) => return Err("内嵌证书已损坏 / an embedded certificate was altered".into()),
            None => tops += 1,
        }
    }
    if tops > 1 {
        return Err("内嵌证书链不完整或已损坏 / the embedded certificate chain is broken".into());
    }
    let alg = DigestAlgorithm::from_oid(&si.digest_alg.oid).ok_or_else(|| {
        format!(
            "不支持的摘要算法 / unsupported digest {}",
            si.digest_alg.oid
        )
    })?;
    let digest = alg.digest(&[&pdf[..b], &pdf[c..end]]);
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or("缺少签名属性 / no signed attributes")?;
    let md = attrs
        .iter()
        .find(|a| a.oid == OID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or("缺少 message-digest / no message-digest attribute")?;
    // ESS signing-certificate-v2 binds the signer's certificate (and, as
    // this module writes it, every embedded certificate)
    let ess: SigningCertificateV2 = attrs
        .iter()
        .find(|a| a.oid == OID_SIGNING_CERT_V2)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as().ok())
        .ok_or("缺少 signing-certificate-v2 / no signing-certificate-v2 attribute")?;
    let hashes: Vec<Vec<u8>> = ess
        .certs
        .iter()
        .map(|c| c.cert_hash.as_bytes().to_vec())
        .collect();
    let listed = |c: &Certificate| {
        c.to_der()
            .is_ok_and(|d| hashes.contains(&DigestAlgorithm::Sha256.digest(&[&d])))
    };
    if hashes.first() != Some(&DigestAlgorithm::Sha256.digest(&[&cert_der])) {
        return Err(
            "签名证书与签名属性不符 / signing-certificate-v2 does not match the certificate".into(),
        );
    }
    if hashes.len() > 1 && !certs.iter().all(listed) {
        return Err("内嵌证书已被改动 / an embedded certificate was altered".into());
    }
    if md.as_bytes() != digest.as_slice() {
        return Err(
            "摘要不符：签名后内容被修改 / digest mismatch: the document was changed after signing"
                .into(),
        );
    }
    let signed = attrs.to_der().map_err(|e| e.to_string())?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| e.to_string())?;
    let pk = rsa::PublicKey::from_public_key_der(&spki)
        .map_err(|e| format!("不支持的公钥 / unsupported key: {e}"))?;
    let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(pk);
    let sig = rsa::pkcs1v15::Signature::try_from(si.signature.as_bytes())
        .map_err(|e| format!("signature: {e}"))?;
    vk.verify(&signed, &sig)
        .map_err(|_| "签名值无效 / the signature value does not verify".to_string())?;
    r.signature_valid = true;
    Ok(())
}

/// A PDF date `D:YYYYMMDDHHmmSS+HH'mm'` (as `/M` holds it) in UTC.
pub fn parse_pdf_date(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take(14).collect();
    if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let naive = chrono::NaiveDateTime::parse_from_str(&digits, "%Y%m%d%H%M%S").ok()?;
    let rest = &s[14..];
    let offset_secs = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let t: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let h: i32 = t.get(0..2)?.parse().ok()?;
            let m: i32 = t.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let v = h * 3600 + m * 60;
            if sign == '-' {
                -v
            } else {
                v
            }
        }
        _ => 0,
    };
    let off = chrono::FixedOffset::east_opt(offset_secs)?;
    naive
        .and_local_timezone(off)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn malformed(what: &str) -> String {
    format!("签名数据结构有误 / unexpected CMS structure: {what}")
}

/// Length of the DER element at the start of `b` (tag + length + value).
fn der_total_len(b: &[u8]) -> Option<usize> {
    let first = *b.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | usize::from(*b.get(2 + i)?);
    }
    Some(2 + n + len)
}
