//! Package merge benchmark: prints figures, asserts nothing about time.
//!
//! ```text
//! cargo run --release -p reviewdesk-cli --example merge_bench -- [N]
//! ```
//!
//! One round across a home store and a laptop, both encrypted, through the
//! engine's exchange API (`exchange::package`), with the training bureau's
//! people: the home imports N (default 1000) workbooks of the import
//! benchmark and scores them, exports the round package to a panel expert;
//! the expert's laptop imports it (the workbooks parsed again by the
//! worker), records for every applicant two panel scores on its first C4
//! project and a certified 算力费用 on its first C3 project (each a signed
//! act), and exports its review package. Timed: the home opening that
//! package and merging it (every act's signature checked against the
//! roster, then applied in one transaction), and the re-score after it.
//! Proposals do not travel in a review package yet (another change), so
//! the acts measured are panel scores and certified values.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use reviewdesk_engine::applications::import::{import_paths, FileStatus};
use reviewdesk_engine::exchange::package;
use reviewdesk_engine::intake::extract::Extraction;
use reviewdesk_engine::intake::worker::{maybe_run_worker, ParserPool, WorkerCommand};
use reviewdesk_engine::people::{training, Identity};
use reviewdesk_engine::review::round;
use reviewdesk_engine::store::Store;
use reviewdesk_engine::{EngineError, SHIPPED_ROUNDS};
use rust_decimal::Decimal;

#[path = "bench_common/mod.rs"]
mod bench_common;
use bench_common::*;

const PASS: &str = "bench-pass";

/// A round package's workbooks imported by the worker, as the shells do.
fn import_workbooks(
    store: &mut Store,
    who: &Identity,
    files: &[(PathBuf, Option<String>, Option<String>)],
) -> Result<(), EngineError> {
    let parser = ParserPool::new(WorkerCommand::current_exe().expect("current exe"));
    let paths: Vec<PathBuf> = files.iter().map(|f| f.0.clone()).collect();
    import_paths(
        store,
        &parser,
        &paths,
        SHIPPED_ROUNDS,
        &who.actor(),
        &mut |_, _, _| {},
        &AtomicBool::new(false),
    )?;
    Ok(())
}

/// Each applicant's first C4 and first C3 project, from its extraction.
fn targets(store: &Store) -> Vec<(String, Option<String>, Option<String>)> {
    let mut st = store
        .conn()
        .prepare("SELECT s.extraction FROM submissions s ORDER BY s.id")
        .expect("query");
    let rows = st
        .query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect::<Vec<_>>();
    rows.iter()
        .filter_map(|json| {
            let ex: Extraction = serde_json::from_str(json).expect("extraction");
            let first = |c: &str| {
                ex.projects
                    .iter()
                    .find(|p| p.clause.as_str() == c)
                    .map(|p| p.name.clone())
            };
            Some((ex.credit_code.clone()?, first("C4"), first("C3")))
        })
        .collect()
}

/// The software signer of a .p12 (its private key opens packages).
fn signer_of(file: &Path) -> reviewdesk_engine::letters::sign::RsaSoftwareSigner {
    let bytes = std::fs::read(file).expect("p12");
    reviewdesk_engine::letters::import_pkcs12(&bytes, PASS).expect("p12")
}

fn main() {
    maybe_run_worker();
    let n = count_arg(1000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let t0 = Instant::now();
    let people = dir.join("people");
    let bureau = training::create(&people, PASS).expect("training people");
    let file = |stem: &str| training::person_file(&people, stem);
    let reviewer = Identity::open(&file("reviewer").display().to_string(), PASS).expect("reviewer");
    let expert = Identity::open(&file("expert1").display().to_string(), PASS).expect("expert");
    let ca = reviewdesk_engine::people::roster::certificate_from_bytes(
        &std::fs::read(&bureau.ca_pem).expect("ca"),
        &bureau.ca_pem,
    )
    .expect("ca");

    // the home: roster, N workbooks, scored, a round package for the expert
    let (files, _) = write_workbooks(&dir.join("workbooks"), n);
    let home_db = dir.join("home.db");
    let (mut home, _) = new_encrypted(&home_db);
    training::enrol(&mut home, &bureau, PASS).expect("roster");
    let home_files: Vec<_> = files.iter().map(|p| (p.clone(), None, None)).collect();
    import_workbooks(&mut home, &reviewer, &home_files).expect("home import");
    round::score_round_totals(&mut home, 2026, &reviewer.actor()).expect("score");
    let round_pkg = dir.join("round.pkg");
    package::export_round(
        &mut home,
        &reviewer,
        2026,
        std::slice::from_ref(expert.certificate()),
        &round_pkg,
    )
    .expect("export round");

    // the laptop: the round package, the expert's acts, the review package
    let lap_db = dir.join("laptop.db");
    let (mut lap, _) = new_encrypted(&lap_db);
    let expert_key = signer_of(&file("expert1")).private_key().expect("key");
    let bytes = std::fs::read(&round_pkg).expect("read");
    let mut wb = |s: &mut Store, f: &[(PathBuf, Option<String>, Option<String>)]| {
        import_workbooks(s, &expert, f)
    };
    let r = package::import(&mut lap, &expert, &expert_key, &bytes, Some(&ca), &mut wb)
        .expect("laptop import");
    assert!(
        r.refused.is_none(),
        "round package refused: {:?}",
        r.refused
    );
    let actor = expert.actor();
    let (mut panel, mut certified) = (0usize, 0usize);
    for (code, c4, c3) in targets(&lap) {
        if let Some(p) = c4 {
            for (factor, pts) in [("leading_role", 36), ("industry_fit", 27)] {
                round::record_panel_score(
                    &mut lap,
                    &actor,
                    &code,
                    "C4",
                    &p,
                    factor,
                    Decimal::from(pts),
                )
                .expect("panel");
                panel += 1;
            }
        }
        if let Some(p) = c3 {
            round::certify(
                &mut lap,
                &actor,
                &code,
                Some("C3"),
                Some(&p),
                "算力费用",
                Decimal::from(800_000),
                "按发票核定 / per the invoices",
                None,
            )
            .expect("certify");
            certified += 1;
        }
    }
    let review_pkg = dir.join("review.pkg");
    let summary =
        package::export_review(&mut lap, &expert, 2026, &review_pkg).expect("export review");
    drop(lap);
    let pkg_size = std::fs::metadata(&review_pkg).map(|m| m.len()).unwrap_or(0);
    let set_up = t0.elapsed();

    // the merge on the home (already open: its key derived once, above)
    let reviewer_key = signer_of(&file("reviewer")).private_key().expect("key");
    let load = loadavg();
    let t = Instant::now();
    let bytes = std::fs::read(&review_pkg).expect("read");
    let mut none = |_: &mut Store, _: &[(PathBuf, Option<String>, Option<String>)]| Ok(());
    let merged = package::import(&mut home, &reviewer, &reviewer_key, &bytes, None, &mut none)
        .expect("merge");
    let merge = t.elapsed();
    assert!(
        merged.refused.is_none(),
        "review package refused: {:?}",
        merged.refused
    );
    let t = Instant::now();
    let scored = round::score_round_totals(&mut home, 2026, &reviewer.actor()).expect("re-score");
    let rescore = t.elapsed();
    let load_end = loadavg();
    let ok = files.len();
    let _ = FileStatus::Ok;

    println!();
    println!(
        "ReviewDesk package merge benchmark: {ok} applicants; review package of {} acts ({panel} panel scores, {certified} certified values), {:.1} KiB",
        summary.changes,
        pkg_size as f64 / 1024.0
    );
    println!(
        "(home and laptop encrypted; set up in {:.1} s, not counted)",
        set_up.as_secs_f64()
    );
    println!("load average: {load} at the start, {load_end} at the end");
    println!();
    println!("{:<60} seconds", "");
    println!(
        "{:<60} {:>7.2}   (goal ≤ 2 s)",
        format!(
            "package import + merge on the home ({} applied, {} conflicts)",
            merged.applied,
            merged.conflicts.len()
        ),
        merge.as_secs_f64()
    );
    println!(
        "{:<60} {:>7.2}   ({} applicants, {} pending panel)",
        "score after the merge",
        rescore.as_secs_f64(),
        scored.applicants,
        scored.pending_panel
    );
}
