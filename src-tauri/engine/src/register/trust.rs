//! A trust anchor named on the command line (`verify --ca CA.pem`). Every
//! other verification trusts exactly the CAs the store's administrator
//! configured (`people::roster::trusted_cas`): no anchor files in the data
//! folder, which anyone could write, count for anything.

use std::path::Path;

use x509_cert::Certificate;

use crate::{EngineError, Result};

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
