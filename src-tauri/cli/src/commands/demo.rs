//! `reviewdesk demo --out DIR`: the sample round from import to signed
//! letters in a fresh store.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use reviewdesk_engine::applications::import::import_paths;
use reviewdesk_engine::intake::worker::{ParserPool, WorkerCommand};
use reviewdesk_engine::people::{training, Identity};
use reviewdesk_engine::register::issue::IssuedLetter;
use reviewdesk_engine::register::sealed::{issue_correction_sealed, issue_sealed, SealedIssue};
use reviewdesk_engine::review::round;
use reviewdesk_engine::review::round::RoundScore;
use reviewdesk_engine::review::workflow;
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::{EngineError, SHIPPED_ROUNDS};

use crate::{print_json, unlock};

/// The sample round from import to signed letters, as a newcomer's first try.
pub(crate) fn demo(out: &Path, json: bool) -> Result<ExitCode, EngineError> {
    let (mut store, letters_dir) = fresh_store(out)?;
    let people = TestPeople::set_up(&mut store, out)?;
    let scored = import_and_score(&mut store, out, &people)?;
    let letters = issue_letters(&mut store, &people, &scored)?;
    let summary = write_letters(&letters_dir, &letters)?;
    if json {
        print_json(&serde_json::json!({ "letters": summary }))?;
    }
    eprintln!(
        "演示完成：{} 份签名决定书在 {}；测试 CA 证书：{}；测试人员（密码 {}）在 {} / demo done",
        letters.len(),
        letters_dir.display(),
        out.join("test-ca.pem").display(),
        DEMO_PASSWORD,
        out.join("people").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The demo people's certificate password (test certificates only).
const DEMO_PASSWORD: &str = "demo-1234";

/// The test bureau of the demo: its reviewer, approver and register
/// officer unlocked, and its test seal.
struct TestPeople {
    reviewer: Identity,
    /// The two test experts who score the panel with the reviewer (the
    /// 2026 guide needs three panel scores before a proposal).
    experts: [Identity; 2],
    approver: Identity,
    register: Identity,
    /// The test seal the register office keeps in the store.
    seal: std::sync::Arc<dyn reviewdesk_engine::letters::Signer>,
}

impl TestPeople {
    /// The training set-up (test CA, four people on the roster, a test
    /// seal) in `out/people/`, the test CA also as `out/test-ca.pem`.
    fn set_up(store: &mut Store, out: &Path) -> Result<TestPeople, EngineError> {
        let dir = out.join("people");
        let _ = std::fs::remove_dir_all(&dir);
        let bureau = training::set_up(store, &dir, DEMO_PASSWORD)?;
        let ca = PathBuf::from(&bureau.ca_pem);
        std::fs::copy(&ca, out.join("test-ca.pem")).map_err(|e| io(&ca, e))?;
        let open = |role: usize| Identity::open(&bureau.people[role].file, DEMO_PASSWORD);
        Ok(TestPeople {
            reviewer: open(1)?,
            experts: [open(4)?, open(5)?],
            approver: open(2)?,
            register: open(3)?,
            seal: reviewdesk_engine::register::seal_key::open(store, DEMO_PASSWORD)?,
        })
    }
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

/// The samples imported and scored; the demo reviewer and the two test
/// experts (a panel of three, the 2026 guide's `panel.min_scores`) give
/// every qualitative factor 85% of its weight, then the round is scored
/// again.
fn import_and_score(
    store: &mut Store,
    out: &Path,
    people: &TestPeople,
) -> Result<RoundScore, EngineError> {
    let reviewer = &people.reviewer.actor();
    let panel = [
        reviewer.clone(),
        people.experts[0].actor(),
        people.experts[1].actor(),
    ];
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
    // received inside the round's window (sample dates): today is no guide
    reviewdesk_engine::applications::samples::record_receipts(store, reviewer, &report)?;
    eprintln!(
        "导入 {} 个示例申报表 / imported sample workbooks",
        report.files.len()
    );
    let scored = round::score_round(store, 2026, reviewer)?;
    // Each of the panel gives every qualitative factor 85% of its weight.
    for (ev, scorer) in scored
        .evaluations
        .iter()
        .flat_map(|ev| panel.iter().map(move |a| (ev, a)))
    {
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
                    scorer,
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

/// Every decision proposed by the reviewer, approved by the approver and
/// issued by the register office under the test seal, and a correction
/// notice for every workbook that needs one: each act signed by its person.
fn issue_letters(
    store: &mut Store,
    people: &TestPeople,
    scored: &RoundScore,
) -> Result<Vec<IssuedLetter>, EngineError> {
    // The same writer the app draws with (a fresh store: the demo seal).
    let writer = reviewdesk_engine::register::seal::writer(store)?;
    let today = chrono::Local::now().date_naive();
    let by = SealedIssue {
        issuer: &people.register,
        seal: people.seal.as_ref(),
    };
    let mut letters = Vec::new();
    let codes: Vec<String> = scored
        .evaluations
        .iter()
        .filter_map(|e| e.credit_code.clone())
        .collect();
    let reviewer: Actor = people.reviewer.actor();
    for code in &codes {
        round::propose(store, &reviewer, code)?;
        workflow::approve_as(store, &people.approver.actor(), &people.approver, code)?;
        letters.extend(issue_sealed(store, &writer, &by, code, today)?);
    }
    for app in reviewdesk_engine::applications::queries::list_applications(store)? {
        if app.status == "needs_correction" {
            letters.push(issue_correction_sealed(
                store,
                &writer,
                &by,
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
                .map(|a| format!("{} 元", reviewdesk_engine::money::format_yuan_grouped(a)))
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
