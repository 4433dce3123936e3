//! `reviewdesk audit …`: verify the chain (optionally against a signed head
//! statement), print the head, write a signed statement of it.

use std::path::Path;
use std::process::ExitCode;

use reviewdesk_engine::store::{audit, Store};
use reviewdesk_engine::EngineError;

use crate::args::AuditCommand;
use crate::print_json;

fn read(p: &Path) -> Result<Vec<u8>, EngineError> {
    std::fs::read(p).map_err(|e| EngineError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    })
}

pub(crate) fn run(db: &Path, command: &AuditCommand, json: bool) -> Result<ExitCode, EngineError> {
    let store = crate::unlock::open_store(db)?;
    match command {
        AuditCommand::Verify { against: None, .. } => {
            let r = store.verify_audit()?;
            if json {
                print_json(&r)?;
            }
            eprintln!("{}", r.message);
            Ok(exit(r.ok))
        }
        AuditCommand::Verify {
            against: Some(statement),
            ca,
        } => {
            let mut trust = Vec::new();
            if let Some(p) = ca {
                let pem = String::from_utf8_lossy(&read(p)?).to_string();
                trust.push(reviewdesk_engine::register::issue::trust_anchor_from_pem(
                    &pem,
                )?);
            }
            let (st, sig) = reviewdesk_engine::audit_statement::read_signed_statement(
                &read(statement)?,
                &trust,
            )?;
            let r = audit::verify_against(store.conn(), &st)?;
            if json {
                print_json(&serde_json::json!({
                    "ok": r.ok, "anchor": r, "signer": sig.signer, "signed_at": sig.signed_at,
                }))?;
            }
            eprintln!(
                "声明签名有效（{}）/ statement signed by {}",
                sig.signer.as_deref().unwrap_or("?"),
                sig.signer.as_deref().unwrap_or("?")
            );
            eprintln!("{}", r.message);
            Ok(exit(r.ok))
        }
        AuditCommand::Head { sign: false, .. } => {
            let h = audit::head(store.conn())?;
            if json {
                print_json(&h)?;
            } else {
                println!("{} {}", h.seq, h.hash);
            }
            eprintln!(
                "审计链头 / audit chain head: 第 {} 条 entry {}，{}",
                h.seq,
                h.seq,
                h.short()
            );
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Head {
            sign: true,
            p12,
            output,
        } => sign_head(&store, p12.as_deref(), output.as_deref(), json),
    }
}

/// `audit head --sign --p12 FILE -o STATEMENT.pdf`: the chain head as a
/// signed statement for the bureau to file.
fn sign_head(
    store: &Store,
    p12: Option<&Path>,
    output: Option<&Path>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let (Some(p12), Some(output)) = (p12, output) else {
        return Err(EngineError::Invalid(
            "--sign 需要 --p12 和 -o / --sign needs --p12 and -o".into(),
        ));
    };
    let password = std::env::var("REVIEWDESK_P12_PASSWORD").unwrap_or_default();
    let signer = reviewdesk_engine::letters::import_pkcs12(&read(p12)?, &password)
        .map_err(reviewdesk_engine::letter_error)?;
    let st = audit::HeadStatement::new(&audit::head(store.conn())?);
    let pdf = reviewdesk_engine::audit_statement::signed_statement(&st, &signer)?;
    std::fs::write(output, &pdf).map_err(|e| EngineError::Io {
        path: output.display().to_string(),
        reason: e.to_string(),
    })?;
    if json {
        print_json(&serde_json::json!({
            "statement": st, "file": output.display().to_string(),
        }))?;
    }
    eprintln!(
        "已写入签名的审计链头声明 / signed head statement written: {} (entry {}, {})",
        output.display(),
        st.seq,
        &st.hash[..st.hash.len().min(12)]
    );
    Ok(ExitCode::SUCCESS)
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
