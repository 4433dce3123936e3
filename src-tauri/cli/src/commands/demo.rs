//! `reviewdesk demo --out DIR`: the sample round from import to signed
//! letters in a fresh store.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use reviewdesk_engine::applications::import::import_paths;
use reviewdesk_engine::intake::worker::{ParserPool, WorkerCommand};
use reviewdesk_engine::letters::TestAuthority;
use reviewdesk_engine::register::issue::{
    issue_correction, issue_decision, CertIdentity, IssuedLetter,
};
use reviewdesk_engine::review::round;
use reviewdesk_engine::review::round::RoundScore;
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::{EngineError, SHIPPED_ROUNDS};

use crate::{print_json, unlock};

/// The sample round from import to signed letters, as a newcomer's first try.
pub(crate) fn demo(out: &Path, json: bool) -> Result<ExitCode, EngineError> {
    let (mut store, letters_dir) = fresh_store(out)?;
    let reviewer = Actor::new("张审核（演示评审员）");
    let scored = import_and_score(&mut store, out, &reviewer)?;
    let letters = issue_letters(&mut store, out, &reviewer, &scored)?;
    let summary = write_letters(&letters_dir, &letters)?;
    if json {
        print_json(&serde_json::json!({ "letters": summary }))?;
    }
    eprintln!(
        "演示完成：{} 份签名决定书在 {}；测试 CA 证书：{} / demo done",
        letters.len(),
        letters_dir.display(),
        out.join("test-ca.pem").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn io(p: &Path, e: std::io::Error) -> EngineError {
    EngineError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    }
}

/// A new store in `out` (an earlier demo's removed) and an empty letters
/// folder beside it.
fn fresh_store(out: &Path) -> Result<(Store, PathBuf), EngineError> {
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let db = out.join("demo.db");
    for suffix in ["", "-wal", "-shm", ".key"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        let _ = std::fs::remove_file(p);
    }
    let letters_dir = out.join("letters");
    let _ = std::fs::remove_dir_all(&letters_dir);
    std::fs::create_dir_all(&letters_dir).map_err(|e| io(&letters_dir, e))?;
    let store = unlock::open_store_no_prompt(&db)?;
    Ok((store, letters_dir))
}

/// The samples imported and scored; the demo reviewer gives every
/// qualitative factor 85% of its weight, then the round is scored again.
fn import_and_score(
    store: &mut Store,
    out: &Path,
    reviewer: &Actor,
) -> Result<RoundScore, EngineError> {
    let files = reviewdesk_engine::applications::samples::write_samples(&out.join("samples"))?;
    let parser = ParserPool::new(WorkerCommand::current_exe().map_err(|e| io(out, e))?);
    let mut progress = |_: usize, _: usize, _: &Path| {};
    let report = import_paths(
        store,
        &parser,
        &files,
        SHIPPED_ROUNDS,
        reviewer,
        &mut progress,
        &AtomicBool::new(false),
    )?;
    eprintln!(
        "导入 {} 个示例申报表 / imported sample workbooks",
        report.files.len()
    );
    let scored = round::score_round(store, 2026, reviewer)?;
    // The demo reviewer gives every qualitative factor 85% of its weight.
    for ev in &scored.evaluations {
        let Some(code) = ev.credit_code.clone() else {
            continue;
        };
        for p in &ev.projects {
            for f in p
                .factors
                .iter()
                .filter(|f| f.value.is_none() && f.points.is_none())
            {
                let pts = f.weight * rust_decimal::Decimal::new(85, 2);
                round::record_panel_score(
                    store,
                    reviewer,
                    &code,
                    p.clause.as_str(),
                    &p.name,
                    &f.id,
                    pts,
                )?;
            }
        }
    }
    round::score_round(store, 2026, reviewer)
}

/// A test CA (its certificate written to `out`), every decision proposed,
/// approved and issued with its certificate, and a correction notice for
/// every workbook that needs one.
fn issue_letters(
    store: &mut Store,
    out: &Path,
    reviewer: &Actor,
    scored: &RoundScore,
) -> Result<Vec<IssuedLetter>, EngineError> {
    let ca = TestAuthority::generate("评审工作台测试CA（仅供试用）")
        .map_err(reviewdesk_engine::letter_error)?;
    let pem = ca
        .certificate_pem()
        .map_err(reviewdesk_engine::letter_error)?;
    std::fs::write(out.join("test-ca.pem"), pem).map_err(|e| io(out, e))?;
    let signer = ca
        .issue_signer("李审批（测试证书）")
        .map_err(reviewdesk_engine::letter_error)?;
    // The same writer the app draws with (a fresh store: the demo seal).
    let writer = reviewdesk_engine::register::seal::writer(store)?;
    let today = chrono::Local::now().date_naive();
    let mut letters = Vec::new();
    let codes: Vec<String> = scored
        .evaluations
        .iter()
        .filter_map(|e| e.credit_code.clone())
        .collect();
    for code in &codes {
        round::propose(store, reviewer, code)?;
        round::approve(store, &CertIdentity(&signer), code)?;
        letters.extend(issue_decision(store, &writer, &signer, code, today)?);
    }
    for app in reviewdesk_engine::applications::queries::list_applications(store)? {
        if app.status == "needs_correction" {
            letters.push(issue_correction(
                store,
                &writer,
                &signer,
                app.submission_id,
                today,
            )?);
        }
    }
    Ok(letters)
}

/// The letters written to `letters_dir`, one line each on stderr; their
/// summary for `--json`.
fn write_letters(
    letters_dir: &Path,
    letters: &[IssuedLetter],
) -> Result<Vec<serde_json::Value>, EngineError> {
    let mut summary = Vec::new();
    for (i, l) in letters.iter().enumerate() {
        let name = format!(
            "{:02}-{}-{}.pdf",
            i + 1,
            l.kind,
            l.credit_code.as_deref().unwrap_or("provisional")
        );
        let path = letters_dir.join(name);
        reviewdesk_engine::store::write_atomic(&path, &l.pdf)?;
        eprintln!(
            "  {} {} {} {}",
            l.number,
            l.kind,
            l.applicant.as_deref().unwrap_or(""),
            l.amount_yuan
                .map(|a| format!("{} 元", reviewdesk_engine::money::format_yuan(a)))
                .unwrap_or_default()
        );
        summary.push(serde_json::json!({
            "path": path.display().to_string(),
            "kind": l.kind,
            "credit_code": l.credit_code,
            "number": l.number,
            "amount_yuan": l.amount_yuan.map(reviewdesk_engine::money::format_yuan),
        }));
    }
    Ok(summary)
}
