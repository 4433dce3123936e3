//! Identities on a PKCS#11 token: the UKey a bureau hands its staff (and
//! SoftHSM2 in the tests, a real PKCS#11 module).
//!
//! A token identity is named by an RFC 7512 URI, e.g.
//! `pkcs11:token=张审核;object=sign?module-path=/usr/lib/softhsm/libsofthsm2.so`.
//! The private key never leaves the token: [`TokenSigner`] asks the token to
//! sign (CKM_SHA256_RSA_PKCS) and reads the certificate stored beside the
//! key (same CKA_ID, or same label). The module comes from the URI's
//! `module-path`, else `REVIEWDESK_PKCS11_MODULE`, else the usual places.
//! The PIN is the identity password; it is used to log in and not kept.
//!
//! A Chinese UKey often carries two certificates, a signing one and an
//! encryption one, each beside its own key: the identity signs with the key
//! whose certificate can sign (digitalSignature or nonRepudiation), and the
//! encryption certificate (keyEncipherment or keyAgreement) is found too
//! ([`TokenSigner::encryption_certificate`]); the CA certificates on the
//! token are the chain.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::Decode;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::letters::chain;
use crate::letters::sign::{DigestAlgorithm, Signer};
use crate::letters::{LetterError, Result as LetterResult};

/// Where PKCS#11 modules usually are on Debian.
const DEFAULT_MODULES: &[&str] = &[
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so",
];

/// Why a token identity could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("PKCS#11 地址无效：{0} / invalid PKCS#11 URI: {0}")]
    Uri(String),
    #[error("找不到 PKCS#11 模块（UKey 驱动）：{0}；用 module-path= 或 REVIEWDESK_PKCS11_MODULE 指定 / no PKCS#11 module (UKey driver) found: {0}; name it with module-path= or REVIEWDESK_PKCS11_MODULE")]
    Module(String),
    #[error("找不到 UKey「{0}」：请插入 / token “{0}” not found: insert it")]
    NoToken(String),
    #[error("UKey 的 PIN 不正确 / wrong PIN for the token")]
    Pin,
    #[error(
        "UKey 的 PIN 已锁定：请找管理员解锁 / the token's PIN is locked: ask the administrator"
    )]
    PinLocked,
    #[error("UKey 上找不到签名密钥或证书：{0} / no signing key or certificate on the token: {0}")]
    NoKey(String),
    #[error("UKey 操作失败：{0} / token operation failed: {0}")]
    Token(String),
}

impl TokenError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Uri(_) => "token_uri",
            TokenError::Module(_) => "token_module",
            TokenError::NoToken(_) => "token_missing",
            TokenError::Pin => "wrong_password",
            TokenError::PinLocked => "token_locked",
            TokenError::NoKey(_) => "token_no_key",
            TokenError::Token(_) => "token_failed",
        }
    }
}

fn ck(e: CkError) -> TokenError {
    match e {
        CkError::Pkcs11(RvError::PinIncorrect, _) | CkError::Pkcs11(RvError::PinInvalid, _) => {
            TokenError::Pin
        }
        CkError::Pkcs11(RvError::PinLocked, _) => TokenError::PinLocked,
        other => TokenError::Token(other.to_string()),
    }
}

/// A parsed `pkcs11:` URI (the attributes ReviewDesk uses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenUri {
    /// `token=`: the token's label.
    pub token: Option<String>,
    /// `serial=`: the token's serial number.
    pub serial: Option<String>,
    /// `object=`: the key's (and certificate's) label.
    pub object: Option<String>,
    /// `id=`: the key's CKA_ID (percent-encoded bytes).
    pub id: Option<Vec<u8>>,
    /// `module-path=` (query).
    pub module_path: Option<PathBuf>,
}

fn percent_decode(s: &str) -> Result<Vec<u8>, TokenError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| TokenError::Uri(format!("bad escape in “{s}”")))?;
            let v = u8::from_str_radix(hex, 16)
                .map_err(|_| TokenError::Uri(format!("bad escape %{hex} in “{s}”")))?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn text(s: &str) -> Result<String, TokenError> {
    String::from_utf8(percent_decode(s)?)
        .map_err(|_| TokenError::Uri(format!("“{s}” is not UTF-8")))
}

impl TokenUri {
    /// Whether `s` names a token identity rather than a file.
    pub fn is_uri(s: &str) -> bool {
        s.trim_start().starts_with("pkcs11:")
    }

    /// Parses `pkcs11:attr=value;…?query=value&…` (RFC 7512).
    pub fn parse(s: &str) -> Result<TokenUri, TokenError> {
        let rest = s
            .trim()
            .strip_prefix("pkcs11:")
            .ok_or_else(|| TokenError::Uri(format!("“{s}” does not start with pkcs11:")))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut u = TokenUri::default();
        for part in path.split(';').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| TokenError::Uri(format!("“{part}” has no value")))?;
            match k {
                "token" => u.token = Some(text(v)?),
                "serial" => u.serial = Some(text(v)?),
                "object" => u.object = Some(text(v)?),
                "id" => u.id = Some(percent_decode(v)?),
                // manufacturer, model, library-*, slot-*: accepted, not needed
                _ => {}
            }
        }
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| TokenError::Uri(format!("“{part}” has no value")))?;
            match k {
                "module-path" => u.module_path = Some(PathBuf::from(text(v)?)),
                "pin-value" | "pin-source" => {
                    return Err(TokenError::Uri(
                        "PIN 不能写在地址里 / the PIN does not go in the URI (use REVIEWDESK_IDENTITY_PASSWORD or the prompt)"
                            .into(),
                    ))
                }
                _ => {}
            }
        }
        if u.token.is_none() && u.serial.is_none() {
            return Err(TokenError::Uri(format!(
                "“{s}” names no token (token= or serial=)"
            )));
        }
        Ok(u)
    }

    fn module(&self) -> Result<PathBuf, TokenError> {
        if let Some(p) = &self.module_path {
            return if p.exists() {
                Ok(p.clone())
            } else {
                Err(TokenError::Module(p.display().to_string()))
            };
        }
        if let Some(p) = std::env::var_os("REVIEWDESK_PKCS11_MODULE") {
            let p = PathBuf::from(p);
            return if p.exists() {
                Ok(p)
            } else {
                Err(TokenError::Module(p.display().to_string()))
            };
        }
        DEFAULT_MODULES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .ok_or_else(|| TokenError::Module(DEFAULT_MODULES.join(", ")))
    }

    /// The token's name for messages.
    pub fn token_name(&self) -> String {
        self.token
            .clone()
            .or_else(|| self.serial.clone())
            .unwrap_or_default()
    }
}

/// One initialised context per module for the whole process (a second
/// C_Initialize of the same module fails, and a C_Finalize would close the
/// other identity's session).
fn context(module: &Path) -> Result<Pkcs11, TokenError> {
    static CONTEXTS: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let map = CONTEXTS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = map
        .lock()
        .map_err(|_| TokenError::Token("context lock poisoned".into()))?;
    if let Some(c) = map.get(module) {
        return Ok(c.clone());
    }
    let ctx = Pkcs11::new(module)
        .map_err(|e| TokenError::Module(format!("{}: {e}", module.display())))?;
    match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(ck(e)),
    }
    map.insert(module.to_path_buf(), ctx.clone());
    Ok(ctx)
}

/// A key on a token with its certificate: signs without the key leaving
/// the token.
pub struct TokenSigner {
    session: Mutex<Session>,
    key: ObjectHandle,
    cert: Certificate,
    chain: Vec<Certificate>,
    encryption: Option<Certificate>,
    /// The URI it was opened from (for messages).
    pub uri: String,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// Opens the token `uri` names, logs in with `pin` and finds the
    /// signing key and its certificate. Other certificates on the token
    /// (the CA's) ride along as the chain.
    pub fn open(uri: &str, pin: &str) -> Result<TokenSigner, TokenError> {
        let u = TokenUri::parse(uri)?;
        let ctx = context(&u.module()?)?;
        let slot = ctx
            .get_slots_with_token()
            .map_err(ck)?
            .into_iter()
            .find(|s| {
                ctx.get_token_info(*s).is_ok_and(|t| {
                    u.token.as_deref().is_none_or(|l| t.label().trim() == l)
                        && u.serial
                            .as_deref()
                            .is_none_or(|n| t.serial_number().trim() == n)
                })
            })
            .ok_or_else(|| TokenError::NoToken(u.token_name()))?;
        let session = ctx.open_ro_session(slot).map_err(ck)?;
        let pin = AuthPin::new(pin.to_string().into());
        match session.login(UserType::User, Some(&pin)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
            Err(e) => return Err(ck(e)),
        }
        let mut want = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
        if let Some(id) = &u.id {
            want.push(Attribute::Id(id.clone()));
        }
        if let Some(label) = &u.object {
            want.push(Attribute::Label(label.as_bytes().to_vec()));
        }
        let keys = session.find_objects(&want).map_err(ck)?;
        if keys.is_empty() {
            return Err(TokenError::NoKey(format!("{uri}: no private key")));
        }
        // the key whose certificate can sign: a UKey's encryption key sits
        // beside the signing key, and either may come first
        let mut found = None;
        let mut beside = 0;
        for key in keys {
            let Some(c) = certificate_beside(&session, key, u.id.is_none())? else {
                continue;
            };
            beside += 1;
            if chain::is_signing(&c) {
                found = Some((key, c));
                break;
            }
        }
        let Some((key, cert)) = found else {
            return Err(TokenError::NoKey(if beside == 0 {
                format!("{uri}: no certificate beside the key")
            } else {
                format!("{uri}: no certificate beside a key can sign (digitalSignature or nonRepudiation); an encryption certificate cannot")
            }));
        };
        let others: Vec<Certificate> =
            read_certs(&session, &[Attribute::Class(ObjectClass::CERTIFICATE)])?
                .into_iter()
                .filter(|c| c != &cert)
                .collect();
        // the encryption certificate: the holder's own first
        let holder = super::identity::holder(&cert);
        let encryption = others
            .iter()
            .filter(|c| chain::is_encryption(c))
            .min_by_key(|c| super::identity::holder(c) != holder)
            .cloned();
        let chain = others.into_iter().filter(chain::is_ca).collect();
        Ok(TokenSigner {
            session: Mutex::new(session),
            key,
            cert,
            chain,
            encryption,
            uri: uri.to_string(),
        })
    }

    /// The token's encryption certificate (keyEncipherment or
    /// keyAgreement), when it carries one beside the signing certificate.
    pub fn encryption_certificate(&self) -> Option<&Certificate> {
        self.encryption.as_ref()
    }
}

/// The certificate stored beside `key`: same CKA_ID, else (when the URI
/// names no id) same label.
fn certificate_beside(
    session: &Session,
    key: ObjectHandle,
    by_label: bool,
) -> Result<Option<Certificate>, TokenError> {
    let key_attrs = session
        .get_attributes(key, &[AttributeType::Id, AttributeType::Label])
        .map_err(ck)?;
    let mut cert_want = vec![Attribute::Class(ObjectClass::CERTIFICATE)];
    for a in key_attrs {
        match a {
            Attribute::Id(id) if !id.is_empty() => cert_want.push(Attribute::Id(id)),
            Attribute::Label(l) if by_label && !l.is_empty() => cert_want.push(Attribute::Label(l)),
            _ => {}
        }
    }
    Ok(read_certs(session, &cert_want)?.into_iter().next())
}

fn read_certs(session: &Session, template: &[Attribute]) -> Result<Vec<Certificate>, TokenError> {
    let mut out = Vec::new();
    for h in session.find_objects(template).map_err(ck)? {
        for a in session
            .get_attributes(h, &[AttributeType::Value])
            .map_err(ck)?
        {
            if let Attribute::Value(der) = a {
                if let Ok(c) = Certificate::from_der(&der) {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

impl Signer for TokenSigner {
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
            oid: crate::letters::x509::OID_SHA256_RSA,
            parameters: Some(der::Any::null()),
        }
    }
    fn sign(&self, message: &[u8]) -> LetterResult<Vec<u8>> {
        let session = self
            .session
            .lock()
            .map_err(|_| LetterError::Sign("token session lock poisoned".into()))?;
        session
            .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
            .map_err(|e| LetterError::Sign(ck(e).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_read_as_rfc_7512_says() {
        let u = TokenUri::parse(
            "pkcs11:token=%E5%BC%A0%E5%AE%A1%E6%A0%B8;object=sign;id=%01%02?module-path=/x/lib.so",
        )
        .expect("uri");
        assert_eq!(u.token.as_deref(), Some("张审核"));
        assert_eq!(u.object.as_deref(), Some("sign"));
        assert_eq!(u.id.as_deref(), Some(&[1u8, 2][..]));
        assert_eq!(u.module_path, Some(PathBuf::from("/x/lib.so")));
        assert!(
            TokenUri::parse("pkcs11:object=sign").is_err(),
            "no token named"
        );
        assert!(
            TokenUri::parse("pkcs11:token=a?pin-value=1234").is_err(),
            "no PIN in URIs"
        );
        assert!(TokenUri::parse("file.p12").is_err());
    }
}
