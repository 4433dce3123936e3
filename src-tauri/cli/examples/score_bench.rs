//! Scoring benchmark: prints figures, asserts nothing about time.
//!
//! ```text
//! cargo build --release -p reviewdesk-cli --bins --examples
//! target/release/examples/score_bench [N]
//! ```
//!
//! Imports N (default 5000) filled workbooks of the import benchmark (all
//! five clause sheets, about 17.5 projects an applicant) into a new
//! encrypted store, then runs the CLI's `reviewdesk score --round 2026` on
//! it twice (the first run inserts the evaluations, the second replaces
//! them) and prints each run's wall time (the store's key derivation
//! included) and peak resident memory (GNU time's maximum RSS).
//! `SCORE_BENCH_KEEP=DIR` keeps the store as `DIR/score.db` (passphrase
//! `bench_common::PASSPHRASE`) for paired runs of two builds on it.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use reviewdesk_engine::applications::import::{import_paths, FileStatus};
use reviewdesk_engine::intake::worker::{maybe_run_worker, ParserPool, WorkerCommand};
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::SHIPPED_ROUNDS;

#[path = "bench_common/mod.rs"]
mod bench_common;
use bench_common::*;

fn main() {
    maybe_run_worker();
    let n = count_arg(5000);
    let bin = cli_binary();
    let tmp = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let (files, _) = write_workbooks(&tmp.path().join("workbooks"), n);
    // SCORE_BENCH_KEEP=DIR keeps the store in DIR (for paired runs of two
    // builds on the same store afterwards)
    let db = match std::env::var_os("SCORE_BENCH_KEEP") {
        Some(dir) => std::path::PathBuf::from(dir).join("score.db"),
        None => tmp.path().join("score.db"),
    };
    let (mut store, _) = new_encrypted(&db);
    let parser = ParserPool::new(WorkerCommand::current_exe().expect("current exe"));
    let report = import_paths(
        &mut store,
        &parser,
        &files,
        SHIPPED_ROUNDS,
        &Actor::new("bench"),
        &mut |_, _, _| {},
        &AtomicBool::new(false),
    )
    .expect("import");
    drop(parser);
    drop(store);
    let ok = report.count(FileStatus::Ok);
    let set_up = t.elapsed();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!();
    println!(
        "ReviewDesk scoring benchmark: {n} applicants ({ok} imported ok), encrypted store {:.1} MiB (made in {:.1} s, not counted)",
        size as f64 / 1024.0 / 1024.0,
        set_up.as_secs_f64()
    );
    println!("{:<52} seconds   peak RSS   load", "");
    let args: Vec<&std::ffi::OsStr> = vec![
        "--db".as_ref(),
        db.as_os_str(),
        "score".as_ref(),
        "--round".as_ref(),
        "2026".as_ref(),
    ];
    let mut json_args = vec!["--json".as_ref()];
    json_args.extend(args.iter().copied());
    for (label, args) in [
        ("reviewdesk score, first run (evaluations inserted)", &args),
        ("reviewdesk score, again (evaluations replaced)", &args),
        (
            "reviewdesk --json score (every evaluation returned)",
            &json_args,
        ),
    ] {
        let load = loadavg();
        let m = run_measured(
            &bin,
            args,
            &[("REVIEWDESK_PASSPHRASE", PASSPHRASE)],
            tmp.path(),
        );
        assert!(
            m.out.status.success(),
            "score failed: {}",
            String::from_utf8_lossy(&m.out.stderr)
        );
        println!(
            "{label:<52} {:>7.2} {:>10}   {load}",
            m.wall.as_secs_f64(),
            mib(m.max_rss_kib)
        );
    }
    println!("(times include opening the encrypted store: one Argon2id derivation, about 0.35 s)");
}
