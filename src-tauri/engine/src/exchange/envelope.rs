//! A package's envelope: the payload signed by the sender (CMS SignedData
//! with the payload inside, the letters' SignedData builder) and then
//! encrypted to each recipient's certificate (CMS EnvelopedData: one
//! KeyTransRecipientInfo per recipient, RSA PKCS#1 v1.5 key transport of
//! a fresh AES-256-CBC content key). A lost USB stick reveals nothing; a
//! changed byte fails the signature.

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::enveloped_data::{
    EncryptedContentInfo, EnvelopedData, KeyTransRecipientInfo, RecipientIdentifier, RecipientInfo,
    RecipientInfos,
};
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::error::{EngineError, Result};
use crate::letters::sign::{build_cms, Signer, OID_DATA, OID_MESSAGE_DIGEST, OID_SIGNED_DATA};
use crate::letters::x509::verify_rsa_sha256;

const OID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_AES256_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.42");

/// A refusal of a package that cannot be opened or whose signature fails
/// (`package_tampered`), in both languages.
pub fn tampered(zh: &str, en: &str) -> EngineError {
    EngineError::coded(
        "package_tampered",
        format!("评审包已损坏或被改动：{zh}"),
        format!("the package is damaged or was changed: {en}"),
    )
}

fn der_err(e: der::Error) -> EngineError {
    tampered(&format!("DER：{e}"), &format!("DER: {e}"))
}

fn build_err(what: &str, e: impl std::fmt::Display) -> EngineError {
    EngineError::coded(
        "package_build",
        format!("无法生成评审包（{what}）：{e}"),
        format!("cannot build the package ({what}): {e}"),
    )
}

fn issuer_serial(cert: &Certificate) -> IssuerAndSerialNumber {
    let t = cert.tbs_certificate();
    IssuerAndSerialNumber {
        issuer: t.issuer().clone(),
        serial_number: t.serial_number().clone(),
    }
}

/// `payload` signed by `signer` (its certificate and chain inside) and
/// encrypted to every certificate of `recipients` (RSA keys).
pub fn seal(payload: &[u8], signer: &dyn Signer, recipients: &[Certificate]) -> Result<Vec<u8>> {
    use aes::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
    use rsa::pkcs8::DecodePublicKey;
    if recipients.is_empty() {
        return Err(EngineError::coded(
            "package_no_recipient",
            "评审包需要至少一个收件人（--to）",
            "a package needs at least one recipient (--to)",
        ));
    }
    // the letters' SignedData (detached, over the payload's digest), with
    // the payload put inside
    let detached = build_cms(signer, &Sha256::digest(payload)).map_err(|e| build_err("CMS", e))?;
    let ci = ContentInfo::from_der(&detached).map_err(|e| build_err("CMS", e))?;
    let mut sd: SignedData = ci.content.decode_as().map_err(|e| build_err("CMS", e))?;
    sd.encap_content_info.econtent = Some(
        Any::encode_from(&OctetString::new(payload).map_err(|e| build_err("CMS", e))?)
            .map_err(|e| build_err("CMS", e))?,
    );
    let signed = ContentInfo {
        content_type: OID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(|e| build_err("CMS", e))?,
    }
    .to_der()
    .map_err(|e| build_err("CMS", e))?;

    let mut key = [0u8; 32];
    let mut iv = [0u8; 16];
    getrandom::fill(&mut key).map_err(|e| build_err("random", e))?;
    getrandom::fill(&mut iv).map_err(|e| build_err("random", e))?;
    let ciphertext = cbc::Encryptor::<aes::Aes256>::new(&key.into(), &iv.into())
        .encrypt_padded_vec::<Pkcs7>(&signed);
    let mut infos = SetOfVec::new();
    for r in recipients {
        let spki = r
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| build_err("recipient", e))?;
        let pk = rsa::PublicKey::from_public_key_der(&spki).map_err(|e| {
            EngineError::coded(
                "package_recipient_key",
                format!(
                    "收件人 {} 的证书不是 RSA 证书：{e}",
                    crate::people::holder(r)
                ),
                format!(
                    "{}'s certificate is not an RSA certificate: {e}",
                    crate::people::holder(r)
                ),
            )
        })?;
        let enc = pk
            .encrypt(&mut getrandom::SysRng, rsa::Pkcs1v15Encrypt, &key)
            .map_err(|e| build_err("key transport", e))?;
        infos
            .insert(RecipientInfo::Ktri(KeyTransRecipientInfo {
                version: CmsVersion::V0,
                rid: RecipientIdentifier::IssuerAndSerialNumber(issuer_serial(r)),
                key_enc_alg: AlgorithmIdentifierOwned {
                    oid: OID_RSA_ENCRYPTION,
                    parameters: Some(Any::null()),
                },
                enc_key: OctetString::new(enc).map_err(|e| build_err("CMS", e))?,
            }))
            .map_err(|e| build_err("CMS", e))?;
    }
    let ed = EnvelopedData {
        version: CmsVersion::V0,
        originator_info: None,
        recip_infos: RecipientInfos(infos),
        encrypted_content: EncryptedContentInfo {
            content_type: OID_SIGNED_DATA,
            content_enc_alg: AlgorithmIdentifierOwned {
                oid: OID_AES256_CBC,
                parameters: Some(
                    Any::encode_from(&OctetString::new(iv).map_err(|e| build_err("CMS", e))?)
                        .map_err(|e| build_err("CMS", e))?,
                ),
            },
            encrypted_content: Some(OctetString::new(ciphertext).map_err(|e| build_err("CMS", e))?),
        },
        unprotected_attrs: None,
    };
    ContentInfo {
        content_type: OID_ENVELOPED_DATA,
        content: Any::encode_from(&ed).map_err(|e| build_err("CMS", e))?,
    }
    .to_der()
    .map_err(|e| build_err("CMS", e))
}

/// What an opened package holds: the payload and who signed it.
#[derive(Debug)]
pub struct Opened {
    pub payload: Vec<u8>,
    /// The signer's certificate (its signature over the payload verified).
    pub signer: Certificate,
    /// Further certificates the signer embedded.
    pub chain: Vec<Certificate>,
}

/// Opens a package encrypted to `me` (with its private key `key`) and
/// checks its signature. Refused `package_not_for_you` when no recipient
/// is `me`, `package_tampered` when anything fails to decode, decrypt or
/// verify.
pub fn open(bytes: &[u8], me: &Certificate, key: &rsa::PrivateKey) -> Result<Opened> {
    use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
    let ci = ContentInfo::from_der(bytes).map_err(der_err)?;
    if ci.content_type != OID_ENVELOPED_DATA {
        return Err(tampered("不是加密的评审包", "not an encrypted package"));
    }
    let ed: EnvelopedData = ci.content.decode_as().map_err(der_err)?;
    let mine = issuer_serial(me);
    let enc_key = ed
        .recip_infos
        .0
        .iter()
        .find_map(|ri| match ri {
            RecipientInfo::Ktri(k) => match &k.rid {
                RecipientIdentifier::IssuerAndSerialNumber(ias) if *ias == mine => {
                    Some(k.enc_key.as_bytes().to_vec())
                }
                _ => None,
            },
            _ => None,
        })
        .ok_or_else(|| {
            EngineError::coded(
                "package_not_for_you",
                format!("此评审包不是发给 {} 的", crate::people::holder(me)),
                format!(
                    "this package is not addressed to {}",
                    crate::people::holder(me)
                ),
            )
        })?;
    let cek = key
        .decrypt(rsa::Pkcs1v15Encrypt, &enc_key)
        .map_err(|_| tampered("内容密钥无法解开", "the content key does not decrypt"))?;
    let alg = &ed.encrypted_content.content_enc_alg;
    if alg.oid != OID_AES256_CBC || cek.len() != 32 {
        return Err(tampered(
            "加密算法不是 AES-256-CBC",
            "the cipher is not AES-256-CBC",
        ));
    }
    let iv: OctetString = alg
        .parameters
        .as_ref()
        .ok_or_else(|| tampered("缺少 IV", "no IV"))?
        .decode_as()
        .map_err(der_err)?;
    let iv: [u8; 16] = iv
        .as_bytes()
        .try_into()
        .map_err(|_| tampered("IV 长度不对", "the IV has the wrong length"))?;
    let key_arr: [u8; 32] = cek
        .as_slice()
        .try_into()
        .map_err(|_| tampered("内容密钥长度不对", "the content key has the wrong length"))?;
    let ct = ed
        .encrypted_content
        .encrypted_content
        .as_ref()
        .ok_or_else(|| tampered("没有内容", "no content"))?;
    let signed = cbc::Decryptor::<aes::Aes256>::new(&key_arr.into(), &iv.into())
        .decrypt_padded_vec::<Pkcs7>(ct.as_bytes())
        .map_err(|_| tampered("内容无法解密", "the content does not decrypt"))?;
    verify_signed(&signed)
}

/// Checks a SignedData with the payload inside: one signer, the payload's
/// digest in its signed attributes, the signature by the embedded signer
/// certificate.
fn verify_signed(der_bytes: &[u8]) -> Result<Opened> {
    let ci = ContentInfo::from_der(der_bytes).map_err(der_err)?;
    if ci.content_type != OID_SIGNED_DATA {
        return Err(tampered("内容没有签名", "the content is not signed"));
    }
    let sd: SignedData = ci.content.decode_as().map_err(der_err)?;
    if sd.encap_content_info.econtent_type != OID_DATA {
        return Err(tampered("内容类型不对", "unexpected content type"));
    }
    let payload: OctetString = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| tampered("签名中没有内容", "the signature carries no content"))?
        .decode_as()
        .map_err(der_err)?;
    let payload = payload.as_bytes().to_vec();
    let mut infos = sd.signer_infos.0.iter();
    let (Some(si), None) = (infos.next(), infos.next()) else {
        return Err(tampered(
            "须恰有一个签名者",
            "exactly one signer is expected",
        ));
    };
    let certs: Vec<Certificate> = sd
        .certificates
        .as_ref()
        .map(|s| {
            s.0.iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &si.sid else {
        return Err(tampered(
            "签名者标识不支持",
            "unsupported signer identifier",
        ));
    };
    let signer = certs
        .iter()
        .find(|c| issuer_serial(c) == *sid)
        .cloned()
        .ok_or_else(|| tampered("签名者证书缺失", "the signer's certificate is missing"))?;
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or_else(|| tampered("没有签名属性", "no signed attributes"))?;
    let digest = Sha256::digest(&payload);
    let digest_ok = attrs.iter().any(|a| {
        a.oid == OID_MESSAGE_DIGEST
            && a.values.iter().any(|v| {
                v.decode_as::<OctetString>()
                    .is_ok_and(|o| o.as_bytes() == digest.as_slice())
            })
    });
    if !digest_ok {
        return Err(tampered(
            "内容摘要不符",
            "the content's digest does not match",
        ));
    }
    let to_verify = attrs.to_der().map_err(der_err)?;
    if !verify_rsa_sha256(&signer, &to_verify, si.signature.as_bytes()) {
        return Err(tampered("签名无效", "the signature does not verify"));
    }
    let chain = certs.into_iter().filter(|c| *c != signer).collect();
    Ok(Opened {
        payload,
        signer,
        chain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::{IssueSpec, TestAuthority};

    #[test]
    fn a_sealed_package_opens_for_its_recipient_only_and_a_changed_byte_is_refused() {
        let ca = TestAuthority::named("测试局").expect("ca");
        let alice = ca.issue(&IssueSpec::person("甲", 30)).expect("alice");
        let bob = ca.issue(&IssueSpec::person("乙", 30)).expect("bob");
        let carol = ca.issue(&IssueSpec::person("丙", 30)).expect("carol");
        let sealed = seal(b"round 2026", &alice, &[bob.certificate().clone()]).expect("seal");
        let opened =
            open(&sealed, bob.certificate(), &bob.private_key().expect("key")).expect("open");
        assert_eq!(opened.payload, b"round 2026");
        assert_eq!(opened.signer, *alice.certificate());
        let e = open(
            &sealed,
            carol.certificate(),
            &carol.private_key().expect("key"),
        )
        .expect_err("not carol's");
        assert_eq!(e.code(), "package_not_for_you");
        let mut bad = sealed.clone();
        let n = bad.len();
        bad[n - 20] ^= 1;
        let e =
            open(&bad, bob.certificate(), &bob.private_key().expect("key")).expect_err("tampered");
        assert_eq!(e.code(), "package_tampered");
    }
}
