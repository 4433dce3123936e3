//! A SoftHSM2 token made in a folder: a real PKCS#11 module holding a test
//! person's key, for the tests and for training without a UKey.
//!
//! SoftHSM2 (the Debian package `softhsm2`, installed by `scripts/setup.sh
//! --test`) reads its configuration from `SOFTHSM2_CONF`; every process
//! that opens the token — this one, or a `reviewdesk` child — needs that
//! variable set to [`SoftToken::conf`] before it first loads the module.

use std::path::{Path, PathBuf};
use std::process::Command;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::object::{Attribute, CertificateType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use der::Encode;

use crate::error::{EngineError, Result};
use crate::letters::sign::Signer;
use crate::letters::RsaSoftwareSigner;

/// Where Debian puts the SoftHSM2 module.
pub fn module() -> Option<PathBuf> {
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn fail(what: &str, e: impl std::fmt::Display) -> EngineError {
    EngineError::coded(
        "token_failed",
        format!("SoftHSM2：{what}：{e}"),
        format!("SoftHSM2: {what}: {e}"),
    )
}

/// An initialised SoftHSM2 token.
#[derive(Debug, Clone)]
pub struct SoftToken {
    /// `softhsm2.conf` (set `SOFTHSM2_CONF` to it).
    pub conf: PathBuf,
    /// The module.
    pub module: PathBuf,
    /// The token's label (ASCII).
    pub label: String,
    /// The user PIN.
    pub pin: String,
}

impl SoftToken {
    /// Creates a token labelled `label` (ASCII) in `dir` with user PIN `pin`.
    pub fn create(dir: &Path, label: &str, pin: &str) -> Result<SoftToken> {
        let module = module().ok_or_else(|| {
            fail(
                "module not found",
                "install softhsm2 (scripts/setup.sh --test)",
            )
        })?;
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).map_err(|e| fail("token folder", e))?;
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .map_err(|e| fail("softhsm2.conf", e))?;
        let out = Command::new("softhsm2-util")
            .env("SOFTHSM2_CONF", &conf)
            .args(["--init-token", "--free", "--label", label])
            .args(["--so-pin", "12345678", "--pin", pin])
            .output()
            .map_err(|e| fail("softhsm2-util", e))?;
        if !out.status.success() {
            return Err(fail(
                "init-token",
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        Ok(SoftToken {
            conf,
            module,
            label: label.to_string(),
            pin: pin.to_string(),
        })
    }

    /// The URI of `object` on this token.
    pub fn uri(&self, object: &str) -> String {
        format!(
            "pkcs11:token={};object={object}?module-path={}",
            self.label,
            self.module.display()
        )
    }

    /// Puts `signer`'s key (through `softhsm2-util --import`) and its
    /// certificate (a CKO_CERTIFICATE with the same CKA_ID and label) and
    /// chain on the token as `object` (ASCII); returns the URI. The key is
    /// then only on the token and in the caller's memory.
    pub fn put(&self, signer: &RsaSoftwareSigner, object: &str, id: u8) -> Result<String> {
        let key_der = signer.private_key_pkcs8_der().map_err(|e| fail("key", e))?;
        let pem = der::pem::encode_string("PRIVATE KEY", der::pem::LineEnding::LF, &key_der)
            .map_err(|e| fail("key", e))?;
        let tmp = key_file(&self.conf, object, &pem)?;
        let out = Command::new("softhsm2-util")
            .env("SOFTHSM2_CONF", &self.conf)
            .arg("--import")
            .arg(&tmp)
            .args(["--token", &self.label, "--label", object])
            .args(["--id", &format!("{id:02x}"), "--pin", &self.pin])
            .output();
        let _ = std::fs::remove_file(&tmp);
        let out = out.map_err(|e| fail("softhsm2-util", e))?;
        if !out.status.success() {
            return Err(fail(
                "import",
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        // the certificates go in through PKCS#11 itself, from this process
        // (SOFTHSM2_CONF must be set for it, as the module reads it on load)
        std::env::set_var("SOFTHSM2_CONF", &self.conf);
        let ctx = Pkcs11::new(&self.module).map_err(|e| fail("module", e))?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) => {}
            Err(cryptoki::error::Error::Pkcs11(
                cryptoki::error::RvError::CryptokiAlreadyInitialized,
                _,
            )) => {}
            Err(e) => return Err(fail("initialize", e)),
        }
        let slot = ctx
            .get_slots_with_token()
            .map_err(|e| fail("slots", e))?
            .into_iter()
            .find(|s| {
                ctx.get_token_info(*s)
                    .is_ok_and(|t| t.label().trim() == self.label)
            })
            .ok_or_else(|| fail("token", "not found after init"))?;
        let session = ctx.open_rw_session(slot).map_err(|e| fail("session", e))?;
        let pin = AuthPin::new(self.pin.clone().into());
        session
            .login(UserType::User, Some(&pin))
            .map_err(|e| fail("login", e))?;
        let mut certs = vec![(signer.certificate().clone(), vec![id], object.to_string())];
        for (i, c) in signer.chain().iter().enumerate() {
            certs.push((c.clone(), vec![0xc0 + i as u8], format!("{object}-ca{i}")));
        }
        for (cert, cka_id, label) in certs {
            let der = cert.to_der().map_err(|e| fail("certificate", e))?;
            let subject = cert
                .tbs_certificate()
                .subject()
                .to_der()
                .map_err(|e| fail("subject", e))?;
            session
                .create_object(&[
                    Attribute::Class(ObjectClass::CERTIFICATE),
                    Attribute::CertificateType(CertificateType::X_509),
                    Attribute::Token(true),
                    Attribute::Private(false),
                    Attribute::Id(cka_id),
                    Attribute::Label(label.into_bytes()),
                    Attribute::Subject(subject),
                    Attribute::Value(der),
                ])
                .map_err(|e| fail("certificate object", e))?;
        }
        session.logout().map_err(|e| fail("logout", e))?;
        Ok(self.uri(object))
    }
}

/// The key's PEM goes through a file only for `softhsm2-util`: owner-only,
/// beside the token's configuration, removed at once.
fn key_file(conf: &Path, object: &str, pem: &str) -> Result<PathBuf> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = conf.parent().unwrap_or(Path::new("."));
    let path = dir.join(format!("import-{object}-{}.pem", std::process::id()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| fail("key file", e))?;
    f.write_all(pem.as_bytes())
        .map_err(|e| fail("key file", e))?;
    Ok(path)
}
