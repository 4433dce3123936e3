//! `reviewdesk verify LETTER.pdf [--ca CA.pem]`: the engine's one verdict on
//! a letter file, printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reviewdesk_engine::EngineError;

use crate::{print_json, unlock};

/// Verify `letter` against `ca` (else the workstation's anchors when
/// `cli_db` is the workstation's store) and the register when `cli_db` is given.
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
    // --ca when given; else the workstation's anchors when --db is
    // the workstation's own store (none for any other store).
    let anchors = match (ca, cli_db) {
        (Some(p), _) => vec![trust::from_pem_file(p)?],
        (None, Some(db)) => trust::for_store(db),
        (None, None) => vec![],
    };
    // The register only when --db is given.
    let store = match cli_db {
        Some(_) => Some(unlock::open_store(&db)?),
        None => None,
    };
    let v = register::verdict(store.as_ref(), &bytes, &anchors)?;
    if json {
        print_json(&serde_json::json!({
            "valid": v.valid, "signature": v.signature, "register": v.entry()
        }))?;
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
        eprintln!("  ! {p}");
    }
    Ok(if v.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
