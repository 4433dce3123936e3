//! `reviewdesk verify LETTER.pdf [--ca CA.pem]`: the engine's one verdict on
//! a letter file, printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reviewdesk_engine::EngineError;

use crate::{print_json, unlock};

/// Verify `letter` against `ca` (else the CAs the store `cli_db` trusts)
/// and the register when `cli_db` is given.
pub(crate) fn verify(
    db: PathBuf,
    cli_db: Option<&Path>,
    letter: &Path,
    ca: Option<&Path>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    use reviewdesk_engine::register::{self, trust};
    let bytes = std::fs::read(letter).map_err(|e| EngineError::Io {
        path: letter.display().to_string(),
        reason: e.to_string(),
    })?;
    // The register only when --db is given; verifying never creates or
    // changes a store.
    let store = match cli_db {
        Some(_) => Some(unlock::open_existing(&db)?),
        None => None,
    };
    // --ca when given; else exactly the CAs the store trusts (its
    // administrator configured them); without either, nobody is trusted.
    let anchors = match (ca, store.as_ref()) {
        (Some(p), _) => vec![trust::from_pem_file(p)?],
        (None, Some(s)) => reviewdesk_engine::people::roster::trusted_cas(s.conn())?,
        (None, None) => vec![],
    };
    let v = register::verdict(store.as_ref(), &bytes, &anchors)?;
    let intact = v.signature.is_intact();
    let reason = v.findings.first().map(|f| f.message.clone());
    if json {
        print_json(&serde_json::json!({
            "valid": v.valid, "intact": intact, "trusted": v.trusted() == Some(true),
            "test": v.signature.test, "in_register": v.in_register(), "reason": reason,
            "reason_code": v.findings.first().map(|f| f.code),
            "signer": v.signature.signer,
            "signature": v.signature, "register": v.entry()
        }))?;
    }
    if intact && v.trusted() != Some(true) {
        eprintln!("签名完好，但签名者不受信任 / signature intact, signer NOT trusted");
    }
    if v.signature.test {
        eprintln!("测试文书（TEST ONLY）：测试证书签发 / a TEST ONLY letter (test certificate)");
    }
    // The engine's verdict says what failed; the CLI only prints it.
    if v.valid {
        eprintln!("{}：有效 / valid", letter.display());
    } else {
        eprintln!("{}：无效 / not valid", letter.display());
    }
    for f in &v.findings {
        eprintln!("  ! {}", f.message);
    }
    for p in &v.signature.problems {
        if !v.findings.iter().any(|f| &f.message == p) {
            eprintln!("  ! {p}");
        }
    }
    Ok(if v.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
