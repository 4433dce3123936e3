//! The signing certificate on this workstation, as files in the data
//! directory's `certificates/` folder:
//!
//! - `signing.json`: which PKCS#12 file signs, and what its certificate says
//!   (holder, issuer, validity, fingerprint, whether it is a test certificate);
//! - the PKCS#12 file itself (`signing-imported.p12`, or
//!   `测试签章-TEST-signing.p12` for a generated test certificate): the key
//!   stays encrypted under its password, which is asked for at each use and
//!   never stored;
//! - `测试CA-TEST-ca.pem`, the test CA to give a PDF reader.
//!
//! The trust anchors (`trusted/*.pem`: the certificates a letter's signer
//! must chain to) are the engine's `register::trust`: an import or a new
//! test CA adds to them there.
//!
//! Every certificate decision (parsing PKCS#12, generating the test CA,
//! chain checks) is the engine's; this module only keeps the files.

use std::path::{Path, PathBuf};

use der::Encode;
use reviewdesk_engine::letters::x509::common_name;
use reviewdesk_engine::letters::{
    export_pkcs12, import_pkcs12, RsaSoftwareSigner, Signer, TestAuthority,
};
use reviewdesk_engine::paths;
use reviewdesk_engine::register::trust;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use x509_cert::Certificate;

use crate::error::{letter_err, IpcError};

/// The organisation named in a generated test CA.
const TEST_ORG: &str = "评审工作台测试CA（仅供试用）";
const META: &str = "signing.json";
const IMPORTED_P12: &str = "signing-imported.p12";
const TEST_P12: &str = "测试签章-TEST-signing.p12";
const TEST_CA_PEM: &str = "测试CA-TEST-ca.pem";

/// What the window shows about the signing certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CertificateInfo {
    /// The certificate's holder (CN): the approver as recorded.
    pub holder: String,
    pub subject: String,
    pub issuer: String,
    /// Valid from / until, UTC dates (YYYY-MM-DD).
    pub valid_from: String,
    pub valid_until: String,
    /// SHA-256 of the certificate (hex).
    pub sha256: String,
    /// A test certificate (测试): never for real letters.
    pub test: bool,
    /// The PKCS#12 file in the certificates folder.
    pub file: String,
    /// The file it was imported from (imports only).
    pub imported_from: Option<String>,
}

pub fn dir() -> PathBuf {
    trust::certificates_dir(&paths::data_dir())
}

fn io_err(path: &Path, e: std::io::Error) -> IpcError {
    IpcError::new(
        "io",
        format!(
            "无法读写 {}：{e} / cannot read or write {}",
            path.display(),
            path.display()
        ),
    )
}

/// `bytes` in `path`, written whole and 0600, in a folder that is 0700 (the
/// store's one helper for files under the data folder).
fn write(path: &Path, bytes: &[u8]) -> Result<(), IpcError> {
    if let Some(parent) = path.parent() {
        reviewdesk_engine::store::private_dir(parent)?;
    }
    Ok(reviewdesk_engine::store::write_atomic(path, bytes)?)
}

fn der_of(cert: &Certificate) -> Result<Vec<u8>, IpcError> {
    cert.to_der()
        .map_err(|e| IpcError::new("certificate", format!("证书无法编码 / certificate: {e}")))
}

fn date_of(t: x509_cert::time::Time) -> String {
    let secs = t.to_unix_duration().as_secs() as i64;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn info_of(
    cert: &Certificate,
    file: &str,
    imported_from: Option<String>,
) -> Result<CertificateInfo, IpcError> {
    let tbs = cert.tbs_certificate();
    let subject = tbs.subject().to_string();
    let issuer = tbs.issuer().to_string();
    let test = [&subject, &issuer]
        .iter()
        .any(|s| s.contains("TEST ONLY") || s.contains("测试"));
    Ok(CertificateInfo {
        holder: common_name(cert).unwrap_or_else(|| subject.clone()),
        subject,
        issuer,
        valid_from: date_of(tbs.validity().not_before),
        valid_until: date_of(tbs.validity().not_after),
        sha256: hex::encode(sha2::Sha256::digest(der_of(cert)?)),
        test,
        file: file.to_string(),
        imported_from,
    })
}

/// Keep `cert` as a trust anchor for verification.
fn keep_anchor(cert: &Certificate) -> Result<(), IpcError> {
    trust::add(&paths::data_dir(), cert)?;
    Ok(())
}

/// The current signing certificate, if one was set up.
pub fn current() -> Result<Option<CertificateInfo>, IpcError> {
    let path = dir().join(META);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|_| {
            IpcError::new(
                "certificate",
                format!(
                    "证书记录 {} 已损坏，请重新导入证书 / the certificate record is damaged: import the certificate again",
                    path.display()
                ),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&path, e)),
    }
}

fn save(info: &CertificateInfo) -> Result<(), IpcError> {
    let json = serde_json::to_vec_pretty(info)
        .map_err(|e| IpcError::new("internal", format!("signing.json: {e}")))?;
    write(&dir().join(META), &json)
}

fn check_password(password: &str) -> Result<(), IpcError> {
    if password.is_empty() {
        return Err(IpcError::new(
            "wrong_password",
            "请输入证书密码 / enter the certificate password",
        ));
    }
    Ok(())
}

/// Unlock the signing certificate with its password (used once, not kept).
pub fn unlock(password: &str) -> Result<RsaSoftwareSigner, IpcError> {
    check_password(password)?;
    let info = current()?.ok_or_else(|| {
        IpcError::new(
            "no_certificate",
            "尚未设置签章证书：请在「设置」中导入证书或创建测试证书 / no signing certificate yet: import one or create a test certificate in Settings",
        )
    })?;
    let path = dir().join(&info.file);
    let bytes = std::fs::read(&path).map_err(|e| io_err(&path, e))?;
    import_pkcs12(&bytes, password).map_err(letter_err)
}

/// Check a PKCS#12 file with its password and make it the signing
/// certificate; its certificate and chain become trust anchors.
pub fn import_file(source: &Path, password: &str) -> Result<CertificateInfo, IpcError> {
    check_password(password)?;
    let bytes = std::fs::read(source).map_err(|e| io_err(source, e))?;
    let signer = import_pkcs12(&bytes, password).map_err(letter_err)?;
    write(&dir().join(IMPORTED_P12), &bytes)?;
    keep_anchor(signer.certificate())?;
    for c in signer.chain() {
        keep_anchor(c)?;
    }
    let from = source.file_name().map(|n| n.to_string_lossy().to_string());
    let info = info_of(signer.certificate(), IMPORTED_P12, from)?;
    save(&info)?;
    Ok(info)
}

/// Create a test CA (测试) and a signing certificate for `holder`, kept as a
/// PKCS#12 file under `password`; the test CA becomes a trust anchor.
pub fn create_test(holder: &str, password: &str) -> Result<CertificateInfo, IpcError> {
    check_password(password)?;
    let ca = TestAuthority::generate(TEST_ORG).map_err(letter_err)?;
    let signer = ca.issue_signer(holder).map_err(letter_err)?;
    let p12 = export_pkcs12(&signer, password).map_err(letter_err)?;
    write(&dir().join(TEST_P12), &p12)?;
    let pem = ca.certificate_pem().map_err(letter_err)?;
    write(&dir().join(TEST_CA_PEM), pem.as_bytes())?;
    keep_anchor(ca.certificate())?;
    let info = info_of(signer.certificate(), TEST_P12, None)?;
    save(&info)?;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test owns REVIEWDESK_DATA_DIR for the whole round trip (the
    /// variable is process-wide).
    #[test]
    fn test_certificate_round_trip_import_and_wrong_password() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::env::set_var("REVIEWDESK_DATA_DIR", tmp.path());
        assert!(current().expect("read").is_none());
        assert_eq!(
            unlock("x").err().map(|e| e.code),
            Some("no_certificate".to_string())
        );

        let info = create_test("李审批", "pw-1").expect("create");
        assert!(info.test);
        assert!(info.holder.contains("李审批") && info.holder.contains("TEST ONLY"));
        assert_eq!(
            current().expect("read").map(|c| c.sha256),
            Some(info.sha256.clone())
        );
        assert!(dir().join(TEST_CA_PEM).is_file());
        // the test CA is trusted; the password is nowhere on disk
        assert_eq!(trust::load(&paths::data_dir()).len(), 1);
        for entry in std::fs::read_dir(dir()).expect("dir").flatten() {
            if entry.path().is_file() {
                let bytes = std::fs::read(entry.path()).expect("read");
                assert!(
                    !bytes.windows(4).any(|w| w == b"pw-1"),
                    "{:?}",
                    entry.path()
                );
            }
        }

        let signer = unlock("pw-1").expect("right password");
        assert_eq!(common_name(signer.certificate()), Some(info.holder.clone()));
        assert_eq!(
            unlock("wrong").err().map(|e| e.code),
            Some("wrong_password".to_string())
        );
        assert_eq!(
            unlock("").err().map(|e| e.code),
            Some("wrong_password".to_string())
        );

        // a PKCS#12 from elsewhere replaces it; its chain joins the anchors
        let p12 = tmp.path().join("bureau.p12");
        std::fs::write(&p12, export_pkcs12(&signer, "other").expect("export")).expect("write");
        assert_eq!(
            import_file(&p12, "nope").err().map(|e| e.code),
            Some("wrong_password".to_string())
        );
        let imported = import_file(&p12, "other").expect("import");
        assert_eq!(imported.file, IMPORTED_P12);
        assert_eq!(imported.imported_from.as_deref(), Some("bureau.p12"));
        assert!(unlock("other").is_ok());
        assert!(trust::load(&paths::data_dir()).len() >= 2);

        // a damaged record is reported, not a crash
        std::fs::write(dir().join(META), b"{not json").expect("write");
        assert_eq!(
            current().err().map(|e| e.code),
            Some("certificate".to_string())
        );
    }
}
