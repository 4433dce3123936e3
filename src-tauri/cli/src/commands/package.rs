//! `package export` / `package import`: one round across laptops. The
//! round's home exports round packages for named people (`--to`); any
//! other store exports its review package for the home; `package import`
//! checks a package whole and applies it, or refuses it (exit 1).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reviewdesk_engine::exchange::package;
use reviewdesk_engine::intake::worker::{ParserPool, WorkerCommand};
use reviewdesk_engine::people::Identity;
use reviewdesk_engine::store::Store;
use reviewdesk_engine::EngineError;

use super::people::{ca_file, certificate_of};
use crate::args::PackageCommand;
use crate::identity::{self, PASSWORD_ENV};
use crate::{print_json, unlock};

pub(crate) fn run(
    db: &Path,
    id: Option<&str>,
    command: &PackageCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    match command {
        PackageCommand::Export { round, to, output } => {
            let who = identity::person(id, "package export ")?;
            let mut store = unlock::open_store(db)?;
            let summary = if to.is_empty() {
                package::export_review(&mut store, &who, *round, output)?
            } else {
                let certs = to
                    .iter()
                    .map(|p| certificate_of(p))
                    .collect::<Result<Vec<_>, _>>()?;
                package::export_round(&mut store, &who, *round, &certs, output)?
            };
            if json {
                print_json(&summary)?;
            }
            eprintln!(
                "已导出{}包（{} 项）：{} / exported a {} package ({} changes): {}",
                if summary.kind == "round" {
                    "评审轮次"
                } else {
                    "评审"
                },
                summary.changes,
                summary.path,
                summary.kind,
                summary.changes,
                summary.path
            );
            Ok(ExitCode::SUCCESS)
        }
        PackageCommand::Import { file, ca } => import(db, id, file, ca.as_deref(), json),
        PackageCommand::Handover { round, to, output } => {
            let who = identity::person(id, "package handover ")?;
            let cert = certificate_of(to)?;
            let mut store = unlock::open_store(db)?;
            let summary = package::export_handover(&mut store, &who, *round, &cert, output)?;
            if json {
                print_json(&summary)?;
            }
            eprintln!(
                "已交出 {round} 年度评审的主库（{} 项）：{}；此数据库不再出具编号的文书 / handed round {round}'s home over ({} changes): {}; this store issues no more numbered letters",
                summary.changes, summary.path, summary.changes, summary.path
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The private key to open a package addressed to the acting person: a
/// .p12 identity's key (a token's decryption is not supported yet).
fn decryption_key(
    spec: &str,
) -> Result<reviewdesk_engine::letters::sign::RsaSoftwareSigner, EngineError> {
    if spec.starts_with("pkcs11:") {
        return Err(EngineError::coded(
            "package_key_token",
            "用 UKey 解开评审包尚不支持：请用 .p12 身份导入",
            "opening a package with a token's key is not supported yet: import with a .p12 identity",
        ));
    }
    let bytes = std::fs::read(spec).map_err(|e| EngineError::Io {
        path: spec.to_string(),
        reason: e.to_string(),
    })?;
    let pw = identity::secret(&[PASSWORD_ENV], "证书密码 / identity password")?;
    reviewdesk_engine::letters::import_pkcs12(&bytes, &pw).map_err(reviewdesk_engine::letter_error)
}

fn import(
    db: &Path,
    id: Option<&str>,
    file: &Path,
    ca: Option<&Path>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let who: Identity = identity::person(id, "package import ")?;
    let spec = identity::spec(id).unwrap_or_default();
    let key = decryption_key(&spec)?
        .private_key()
        .map_err(reviewdesk_engine::letter_error)?;
    let ca = ca.map(ca_file).transpose()?;
    let bytes = std::fs::read(file).map_err(|e| EngineError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut store = unlock::open_store(db)?;
    let actor = who.actor();
    let mut workbooks = |store: &mut Store, files: &[(PathBuf, Option<String>, Option<String>)]| {
        import_workbooks(store, &actor, files)
    };
    let report = package::import(&mut store, &who, &key, &bytes, ca.as_ref(), &mut workbooks)?;
    if json {
        print_json(&report)?;
    }
    if let Some(why) = &report.refused {
        eprintln!("评审包被拒收 / package refused: {why}");
        return Ok(ExitCode::from(1));
    }
    eprintln!(
        "已应用 {} 项，冲突 {} 项（未应用）/ applied {}, {} conflicts (not applied)",
        report.applied,
        report.conflicts.len(),
        report.applied,
        report.conflicts.len()
    );
    for c in &report.conflicts {
        eprintln!(
            "  冲突 / conflict: {}: ours {} · theirs {}",
            c.what, c.ours, c.theirs
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A round package's workbooks imported from their bytes, each with the
/// receipt date the home recorded.
fn import_workbooks(
    store: &mut Store,
    actor: &reviewdesk_engine::store::Actor,
    files: &[(PathBuf, Option<String>, Option<String>)],
) -> Result<(), EngineError> {
    let cmd = WorkerCommand::current_exe().map_err(|e| EngineError::Io {
        path: "current executable".into(),
        reason: e.to_string(),
    })?;
    package::import_received(store, &ParserPool::new(cmd), actor, files)
}
