//! Trust anchors: the CA certificates a letter's signer must chain to for
//! verification to call it trusted (a test CA, or an imported certificate
//! and its chain). They live in `<data dir>/certificates/trusted/*.pem`,
//! one file per certificate named by its SHA-256, beside the signing
//! certificate the app keeps in `<data dir>/certificates/`.
//!
//! The app adds anchors when a certificate is imported or a test CA made,
//! and verifies with all of them. The command line verifies with `--ca`
//! when given; without it, with the workstation's anchors when `--db` is the
//! workstation's own store (the store in the same data directory), so both
//! shells judge the same letter the same way on the same workstation.

use std::path::{Path, PathBuf};

use der::{Encode, EncodePem};
use sha2::Digest;
use x509_cert::Certificate;

use super::{write_atomic, RegisterError};
use crate::{paths, EngineError, Result};

/// The folder of the signing certificate and the trust anchors.
pub fn certificates_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("certificates")
}

/// The folder of the trust anchors.
pub fn anchors_dir(data_dir: &Path) -> PathBuf {
    certificates_dir(data_dir).join("trusted")
}

/// The trust anchors kept in `data_dir`, in file-name order. A missing
/// folder means none; unreadable or damaged files are skipped (a damaged
/// anchor can only make fewer letters trusted, never more).
pub fn load(data_dir: &Path) -> Vec<Certificate> {
    let Ok(entries) = std::fs::read_dir(anchors_dir(data_dir)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|pem| crate::register::issue::trust_anchor_from_pem(&pem).ok())
        .collect()
}

/// Keep `cert` as a trust anchor in `data_dir` (again is harmless: the file
/// is named by the certificate's hash). Returns the file.
pub fn add(data_dir: &Path, cert: &Certificate) -> std::result::Result<PathBuf, RegisterError> {
    let der = cert
        .to_der()
        .map_err(|e| RegisterError::Certificate(e.to_string()))?;
    let hash = hex::encode(sha2::Sha256::digest(&der));
    let pem = cert
        .to_pem(der::pem::LineEnding::LF)
        .map_err(|e| RegisterError::Certificate(format!("PEM: {e}")))?;
    let path = anchors_dir(data_dir).join(format!("{}.pem", &hash[..16]));
    write_atomic(&path, pem.as_bytes())?;
    Ok(path)
}

/// A trust anchor from a PEM file (`verify --ca`).
pub fn from_pem_file(path: &Path) -> Result<Certificate> {
    let pem = std::fs::read_to_string(path).map_err(|e| EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    crate::register::issue::trust_anchor_from_pem(&pem).map_err(|e| match e {
        EngineError::Invalid(m) => EngineError::Invalid(format!("{}：{m}", path.display())),
        other => other,
    })
}

/// The anchors to verify with against the store `db`: the workstation's
/// when `db` is the workstation's own store (`paths::default_db_path`),
/// none for any other store (a copy, a demo store), whose trust this
/// workstation does not know.
pub fn for_store(db: &Path) -> Vec<Certificate> {
    if same_file(db, &paths::default_db_path()) {
        load(&paths::data_dir())
    } else {
        Vec::new()
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::TestAuthority;

    #[test]
    fn anchors_are_kept_once_by_hash_and_damaged_files_are_skipped() {
        let tmp = tempfile::tempdir().expect("tmp");
        assert!(load(tmp.path()).is_empty(), "no folder: no anchors");
        let ca = TestAuthority::generate("测试机构").expect("ca");
        let p = add(tmp.path(), ca.certificate()).expect("add");
        assert_eq!(add(tmp.path(), ca.certificate()).expect("again"), p);
        assert!(p.starts_with(anchors_dir(tmp.path())));
        std::fs::write(anchors_dir(tmp.path()).join("broken.pem"), "not pem").expect("write");
        std::fs::write(anchors_dir(tmp.path()).join("note.txt"), "x").expect("write");
        let loaded = load(tmp.path());
        assert_eq!(loaded.len(), 1);
        assert_eq!(&loaded[0], ca.certificate());
        let from_file = from_pem_file(&p).expect("pem file");
        assert_eq!(&from_file, ca.certificate());
        assert_eq!(
            from_pem_file(&tmp.path().join("missing.pem"))
                .err()
                .map(|e| e.code()),
            Some("io")
        );
        // another store than the workstation's gets no anchors
        assert!(for_store(&tmp.path().join("copy.db")).is_empty());
    }
}
