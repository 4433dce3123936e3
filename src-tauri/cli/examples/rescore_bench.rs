//! Re-score benchmark: prints figures, asserts nothing about time.
//!
//! ```text
//! cargo run --release -p reviewdesk-cli --example rescore_bench -- [N]
//! ```
//!
//! Builds a store of N (default 10,000) synthetic applicants through the
//! real import path (`import_paths`: parser worker, extraction, commit):
//! each workbook is one of the shipped sample workbooks (01 C1; 02 C2a, C2b
//! and other support; 03 C3; 04 C4; 05 ineligible) with its own valid
//! credit code and name written into the sheet XML. Then it times
//! 1. the computation alone: `rules::evaluate` over every applicant's
//!    extraction already in memory (guide loaded once);
//! 2. `score_round` on the store, twice (first run inserts the stored
//!    evaluations, the second replaces them): one transaction that reads
//!    every submission and the reviewers' inputs, evaluates, stores the
//!    evaluation JSON with its explanation lines, totals the round against
//!    the budget and appends the audit entry;
//! 3. `round_budget` (the budget report read back from the store);
//!
//! and prints applicants/s, seconds and peak memory (VmHWM). The C4
//! applicants have no panel scores, so their awards stay pending (as in a
//! real round before the panel meets); the evaluation is still computed and
//! stored.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use reviewdesk_engine::applications::import::{import_paths, FileStatus};
use reviewdesk_engine::intake::worker::{maybe_run_worker, ParserPool, WorkerCommand};
use reviewdesk_engine::review::{budget, round};
use reviewdesk_engine::rules::evaluate::{evaluate, Inputs};
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::SHIPPED_ROUNDS;

const ROUND: i32 = 2026;

/// (sample file, its credit code, its applicant name)
const SAMPLES: &[(&str, &str, &str)] = &[
    (
        "01-supply-clean.xlsx",
        "91500103MA5U7K2P39",
        "重庆渝算智能科技有限公司",
    ),
    (
        "02-rnd-two-clauses.xlsx",
        "91500103MA61QX3D6W",
        "重庆山城数据技术有限公司",
    ),
    (
        "03-consume-merged-header.xlsx",
        "52500103MB1C9W4EX0",
        "重庆解放碑大模型研究院",
    ),
    (
        "04-aiplus-reordered.xlsx",
        "91500103MA7HJ2LT5M",
        "重庆朝天门智慧物流有限公司",
    ),
    (
        "05-not-yuzhong.xlsx",
        "91500105MA5XR8N1XJ",
        "重庆江北云计算有限公司",
    ),
];

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

/// A valid credit code with the sample's first 8 characters.
fn credit_code(prefix: &str, i: usize) -> String {
    let body = format!("{}{:09}", &prefix[..8], 100_000_000 + i);
    let check = reviewdesk_engine::uscc::check_char(&body).expect("valid body");
    format!("{body}{check}")
}

/// Text as openpyxl writes it into the sheet XML (numeric character references).
fn entities(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("&#{};", c as u32)
            }
        })
        .collect()
}

/// Sample `k` as applicant `i`: its code, name and 申报单位 values rewritten.
fn workbook(original: &[u8], k: usize, i: usize) -> Vec<u8> {
    let (_, code, name) = SAMPLES[k];
    let new_code = credit_code(code, i);
    let new_name = format!("{name}{i}");
    let mut zin = zip::ZipArchive::new(Cursor::new(original)).expect("zip");
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for e in 0..zin.len() {
        let mut f = zin.by_index(e).expect("entry");
        let entry = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read entry");
        if entry == "xl/worksheets/sheet2.xml" {
            let xml = String::from_utf8(data).expect("utf-8");
            let xml = xml
                .replace(code, &new_code)
                .replace(&entities(name), &entities(&new_name));
            data = xml.into_bytes();
        }
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zout.start_file(entry, opts).expect("start");
        zout.write_all(&data).expect("write");
    }
    zout.finish().expect("finish").into_inner()
}

/// A /proc/self/status memory line in MiB ("VmHWM:", "VmRSS:").
fn status_mib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))?
                .split_whitespace()
                .nth(1)?
                .parse::<f64>()
                .ok()
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    maybe_run_worker();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let files_dir = tmp.path().join("workbooks");
    std::fs::create_dir_all(&files_dir).expect("mkdir");
    let originals: Vec<Vec<u8>> = SAMPLES
        .iter()
        .map(|(f, _, _)| std::fs::read(samples_dir().join(f)).expect("sample"))
        .collect();

    eprintln!("generating {n} workbooks …");
    let t = Instant::now();
    let mut files = Vec::with_capacity(n);
    for i in 0..n {
        let k = i % SAMPLES.len();
        let p = files_dir.join(format!("{i:05}-{}", SAMPLES[k].0));
        std::fs::write(&p, workbook(&originals[k], k, i)).expect("write workbook");
        files.push(p);
    }
    let gen_s = t.elapsed().as_secs_f64();

    eprintln!("importing …");
    let db = tmp.path().join("bench.db");
    let mut store = Store::open(&db).expect("store");
    let parser = ParserPool::new(WorkerCommand::current_exe().expect("exe"));
    let actor = Actor::new("bench");
    let t = Instant::now();
    let report = import_paths(
        &mut store,
        &parser,
        &files,
        SHIPPED_ROUNDS,
        &actor,
        &mut |_, _, _| {},
        &AtomicBool::new(false),
    )
    .expect("import");
    let import_s = t.elapsed().as_secs_f64();
    let ok = report.count(FileStatus::Ok);
    assert_eq!(ok, n, "every generated workbook imports cleanly");
    drop(files);
    std::fs::remove_dir_all(&files_dir).ok();

    // 1. The computation alone, extractions in memory.
    let (hash, guide) = round::ensure_round(store.conn(), ROUND).expect("round");
    let extractions: Vec<_> = report
        .files
        .iter()
        .filter_map(|f| f.submission_id)
        .map(|id| {
            reviewdesk_engine::applications::queries::load_extraction(&store, id)
                .expect("extraction")
        })
        .collect();
    let t = Instant::now();
    let mut awarded = 0usize;
    for ex in &extractions {
        let ev = evaluate(&Inputs {
            guide: &guide,
            guide_hash: &hash,
            extraction: ex,
            certified: &[],
            panel: &[],
            overrules: &[],
            earlier_c1: &[],
            received: None,
            lists: &reviewdesk_engine::rules::evaluate::RoundLists::default(),
        });
        awarded += ev
            .projects
            .iter()
            .filter(|p| p.award_yuan.is_some())
            .count();
    }
    let compute_s = t.elapsed().as_secs_f64();
    drop(extractions);

    // 2. score_round, twice.
    let t = Instant::now();
    let first = round::score_round(&mut store, ROUND, &actor).expect("score");
    let score1_s = t.elapsed().as_secs_f64();
    let projects = first.projects;
    let pending = first.pending_panel;
    drop(first);
    let t = Instant::now();
    let second = round::score_round(&mut store, ROUND, &actor).expect("score");
    let score2_s = t.elapsed().as_secs_f64();
    let total = second.total_yuan;
    let known = second.budget.total_yuan;
    drop(second);

    // 3. The budget report from the store.
    let t = Instant::now();
    let b = budget::round_budget(&store, ROUND).expect("budget");
    let budget_s = t.elapsed().as_secs_f64();
    let store_mib = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;

    println!(
        "ReviewDesk re-score benchmark: {n} applicants, {projects} projects ({pending} awaiting panel scores), store {store_mib:.1} MiB"
    );
    println!("(workbooks generated in {gen_s:.1} s and imported in {import_s:.1} s, not counted)");
    println!();
    println!("{:<58}{:>9}{:>15}", "", "seconds", "applicants/s");
    let row = |label: &str, s: f64| {
        println!("{label:<58}{s:>9.3}{:>15.0}", n as f64 / s);
    };
    row("evaluate() alone, extractions in memory", compute_s);
    row("score_round, first run (evaluations inserted)", score1_s);
    row("score_round, re-score (evaluations replaced)", score2_s);
    row("round_budget (read back from the store)", budget_s);
    println!();
    println!(
        "round total {} yuan ({} known, {} projects with an amount in the in-memory pass); budget: {}",
        total
            .map(reviewdesk_engine::money::format_yuan)
            .unwrap_or_else(|| "pending".into()),
        reviewdesk_engine::money::format_yuan(known),
        awarded,
        b.message_en
    );
    println!(
        "peak memory (VmHWM) {:.1} MiB, now (VmRSS) {:.1} MiB",
        status_mib("VmHWM:"),
        status_mib("VmRSS:")
    );
}
