//! Import benchmark: prints figures, asserts nothing about time.
//!
//! ```text
//! cargo run --release -p reviewdesk-cli --example import_bench -- [N]
//! ```
//!
//! Generates N (default 1000) filled application workbooks from the round's
//! template (all five clause sheets in use, varied values, ~20 KB each) in a
//! temporary folder, then measures in one run:
//! 1. the full import into a fresh encrypted store, as users have it
//!    (`import_paths`: isolated parser worker, extraction, validation,
//!    commit; the key derived before the clock starts), files/s, CPU time
//!    of this process and of the worker, and peak memory of both; then the
//!    same into a fresh plain store, for the encryption's cost;
//! 2. the same files read by calamine alone, in-process (`reader::read_bytes`);
//! 3. Python openpyxl (`load_workbook`, every cell touched), if installed;
//! 4. with `IMPORT_BENCH_CLI=1`, the CLI `reviewdesk import` of the same
//!    files into a new encrypted and a new plain store (a training reviewer
//!    signs), wall time and peak RSS (needs the `reviewdesk` binary built
//!    beside the example: `--bins --examples`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use reviewdesk_engine::applications::import::ImportReport;
use reviewdesk_engine::applications::import::{import_paths, FileStatus};
use reviewdesk_engine::intake::reader::read_bytes;
use reviewdesk_engine::intake::worker::{maybe_run_worker, ParserPool, WorkerCommand};
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::SHIPPED_ROUNDS;

#[path = "bench_common/mod.rs"]
mod bench_common;
use bench_common::*;

const OPENPYXL_SCRIPT: &str = r#"
import sys, time
import openpyxl
files = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
t = time.perf_counter()
cells = 0
for f in files:
    wb = openpyxl.load_workbook(f, read_only=False)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells += 1
    wb.close()
print(time.perf_counter() - t, cells)
"#;

/// openpyxl over the files: Some((seconds inside Python, cells)) or a note.
fn openpyxl(files: &[PathBuf], dir: &Path) -> Result<(f64, u64), String> {
    let probe = Command::new("python3")
        .args(["-c", "import openpyxl; print(openpyxl.__version__)"])
        .output()
        .map_err(|e| format!("python3 not runnable: {e}"))?;
    if !probe.status.success() {
        return Err("openpyxl is not installed (pip install openpyxl)".into());
    }
    let version = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    eprintln!("openpyxl {version} …");
    let list = dir.join("files.txt");
    let text: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    std::fs::write(&list, text.join("\n")).map_err(|e| e.to_string())?;
    let out = Command::new("python3")
        .args(["-c", OPENPYXL_SCRIPT])
        .arg(&list)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "openpyxl run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let s = String::from_utf8_lossy(&out.stdout);
    let mut it = s.split_whitespace();
    let secs = it.next().and_then(|x| x.parse::<f64>().ok());
    let cells = it.next().and_then(|x| x.parse::<u64>().ok());
    match (secs, cells) {
        (Some(s), Some(c)) => Ok((s, c)),
        _ => Err(format!("unexpected openpyxl output: {s}")),
    }
}

/// One import run's figures.
struct Run {
    time: Duration,
    /// CPU seconds of this process and of the (reaped) worker.
    cpu: (f64, f64),
    worker_hwm_kb: u64,
    report: ImportReport,
    db_size: u64,
}

/// The files imported into `store` (fresh) through a fresh worker.
/// `IMPORT_BENCH_PRAGMAS="cache_size=-16384;wal_autocheckpoint=4000"` sets
/// connection pragmas first (to try the store's levers without a rebuild).
fn import_run(mut store: Store, db: &Path, files: &[PathBuf]) -> Run {
    let n = files.len();
    if let Ok(list) = std::env::var("IMPORT_BENCH_PRAGMAS") {
        for kv in list.split(';').filter(|s| !s.trim().is_empty()) {
            let (k, v) = kv.split_once('=').expect("name=value");
            store
                .conn()
                .pragma_update(None, k.trim(), v.trim())
                .expect("pragma");
            eprintln!("pragma {} = {}", k.trim(), v.trim());
        }
    }
    let parser = ParserPool::new(WorkerCommand::current_exe().expect("current exe"));
    let cancel = AtomicBool::new(false);
    let mut worker_hwm_kb = 0u64;
    let mut progress = |done: usize, _total: usize, _p: &Path| {
        if done.is_multiple_of(50) || done + 1 >= n {
            for c in children() {
                worker_hwm_kb = worker_hwm_kb.max(status_kb(c, "VmHWM:").unwrap_or(0));
            }
        }
    };
    let cpu_before = cpu_seconds();
    let t = Instant::now();
    let report = import_paths(
        &mut store,
        &parser,
        files,
        SHIPPED_ROUNDS,
        &Actor::new("bench"),
        &mut progress,
        &cancel,
    )
    .expect("import");
    let time = t.elapsed();
    drop(parser); // the worker is reaped: its CPU time counts as a child's
    drop(store);
    let cpu_after = cpu_seconds();
    let ok = report.count(FileStatus::Ok);
    if ok != n {
        for f in report
            .files
            .iter()
            .filter(|f| f.status != FileStatus::Ok)
            .take(3)
        {
            eprintln!("not ok: {} {:?}", f.path, f.status);
            for i in f.issues.iter().take(5) {
                eprintln!("    {}", i.message);
            }
        }
    }
    Run {
        time,
        cpu: (cpu_after.0 - cpu_before.0, cpu_after.1 - cpu_before.1),
        worker_hwm_kb,
        report,
        db_size: std::fs::metadata(db).map(|m| m.len()).unwrap_or(0),
    }
}

/// `reviewdesk import` of `dir` into new stores, encrypted and plain.
fn cli_import(tmp: &Path, dir: &Path, n: usize) {
    use reviewdesk_engine::people::training;
    let bin = cli_binary();
    let people = tmp.join("people");
    training::create(&people, "bench-pass").expect("training people");
    let reviewer = training::person_file(&people, "reviewer");
    println!();
    println!(
        "CLI `reviewdesk import` of the {n} files into a new store   seconds   peak RSS   load"
    );
    let mut figures = Vec::new();
    // interleaved, twice: encrypted, plain, encrypted, plain
    for round in 0..2 {
        for encrypted in [true, false] {
            let db = tmp.join(format!("cli-{round}-{encrypted}.db"));
            let mut env = vec![("REVIEWDESK_IDENTITY_PASSWORD", "bench-pass")];
            if encrypted {
                env.push(("REVIEWDESK_PASSPHRASE", PASSPHRASE));
            }
            let args: Vec<&std::ffi::OsStr> = vec![
                "--db".as_ref(),
                db.as_os_str(),
                "--identity".as_ref(),
                reviewer.as_os_str(),
                "import".as_ref(),
                dir.as_os_str(),
            ];
            let load = loadavg();
            let m = run_measured(&bin, &args, &env, tmp);
            assert!(
                m.out.status.success(),
                "import failed: {}",
                String::from_utf8_lossy(&m.out.stderr)
            );
            let label = if encrypted {
                "encrypted (one Argon2id derivation included)"
            } else {
                "plain"
            };
            println!(
                "  {label:<56} {:>7.2} {:>10}   {load}",
                m.wall.as_secs_f64(),
                mib(m.max_rss_kib)
            );
            figures.push((encrypted, m.wall.as_secs_f64()));
        }
    }
    let best = |e: bool| {
        figures
            .iter()
            .filter(|(x, _)| *x == e)
            .map(|(_, s)| *s)
            .fold(f64::INFINITY, f64::min)
    };
    println!(
        "  encrypted / plain (fastest of each): {:.2}× (goal: ≤ 1.10× beyond one key derivation)",
        best(true) / best(false)
    );
}

fn main() {
    maybe_run_worker();
    let n = count_arg(1000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let files_dir = tmp.path().join("workbooks");

    eprintln!("generating {n} workbooks in {} …", files_dir.display());
    let t = Instant::now();
    let (files, total_bytes) = write_workbooks(&files_dir, n);
    let gen = t.elapsed();
    eprintln!("generated in {:.1} s", gen.as_secs_f64());
    let load_start = loadavg();

    // 1. Full import into a fresh encrypted store (the key derived first,
    // not timed), then into a fresh plain store.
    let enc_db = tmp.path().join("bench-encrypted.db");
    let (store, kdf) = new_encrypted(&enc_db);
    let enc = import_run(store, &enc_db, &files);
    let parent_hwm_import = status_kb(std::process::id(), "VmHWM:").unwrap_or(0);
    let plain_db = tmp.path().join("bench-plain.db");
    let plain = import_run(Store::open(&plain_db).expect("store"), &plain_db, &files);

    // 2. calamine alone, in-process (file read + parse into the grid).
    let t = Instant::now();
    let mut sheets = 0usize;
    for p in &files {
        let bytes = std::fs::read(p).expect("read");
        let g = read_bytes(&bytes).expect("calamine read");
        sheets += g.sheets.len();
    }
    let calamine_time = t.elapsed();
    let parent_hwm_all = status_kb(std::process::id(), "VmHWM:").unwrap_or(0);

    // 3. openpyxl.
    let py = openpyxl(&files, tmp.path());
    let load_end = loadavg();

    let report = &enc.report;
    let ok = report.count(FileStatus::Ok);
    println!();
    println!(
        "ReviewDesk import benchmark: {n} workbooks, {:.1} KB average, all five clause sheets in use",
        total_bytes as f64 / n as f64 / 1024.0
    );
    println!(
        "({ok} imported ok, {} need correction, {} rejected; encrypted store {:.1} MiB, plain {:.1} MiB; {sheets} sheets read by calamine)",
        report.count(FileStatus::NeedsCorrection),
        report.count(FileStatus::Rejected),
        enc.db_size as f64 / 1024.0 / 1024.0,
        plain.db_size as f64 / 1024.0 / 1024.0,
    );
    println!("load average: {load_start} at the start, {load_end} at the end");
    println!();
    println!("{}    seconds     files/s    ms/file", " ".repeat(46));
    let line = |label: &str, secs: f64| {
        println!(
            "{label:<46} {secs:>10.2} {:>11.1} {:>10.2}",
            n as f64 / secs,
            secs * 1000.0 / n as f64
        );
    };
    line("ReviewDesk import, encrypted store", enc.time.as_secs_f64());
    line("ReviewDesk import, plain store", plain.time.as_secs_f64());
    line("calamine alone, in-process", calamine_time.as_secs_f64());
    match &py {
        Ok((secs, _)) => line("Python openpyxl (load_workbook, every cell)", *secs),
        Err(note) => println!("{:<46} skipped: {note}", "Python openpyxl"),
    }
    println!();
    println!(
        "(the encrypted store's key derivation and opening, before the clock: {:.3} s)",
        kdf.as_secs_f64()
    );
    println!(
        "import (encrypted) / calamine: {:.2}× the raw calamine time (goal ≤ 1.3×)",
        enc.time.as_secs_f64() / calamine_time.as_secs_f64()
    );
    println!(
        "import encrypted / plain: {:.2}× (goal ≤ 1.10×)",
        enc.time.as_secs_f64() / plain.time.as_secs_f64()
    );
    if let Ok((secs, _)) = &py {
        println!(
            "openpyxl / import (encrypted): import is {:.1}× faster than openpyxl (goal ≥ 20×)",
            secs / enc.time.as_secs_f64()
        );
    }
    for (label, r) in [("encrypted", &enc), ("plain", &plain)] {
        println!(
            "CPU per file, {label}: host {:.2} ms, parser worker {:.2} ms (pipelined: on two free cores the import takes about the larger)",
            r.cpu.0 * 1000.0 / n as f64,
            r.cpu.1 * 1000.0 / n as f64,
        );
    }
    println!(
        "peak memory (VmHWM): this process {} after the encrypted import ({} after all passes), parser worker {}",
        mib(parent_hwm_import),
        mib(parent_hwm_all),
        if enc.worker_hwm_kb > 0 {
            mib(enc.worker_hwm_kb)
        } else {
            "not measured (no /proc)".into()
        }
    );
    println!(
        "(workbooks generated in {:.1} s, not counted)",
        gen.as_secs_f64()
    );
    if std::env::var("IMPORT_BENCH_CLI").is_ok_and(|v| v == "1") {
        cli_import(tmp.path(), &files_dir, n);
    }
}
