//! Crash and fault tests over the real `reviewdesk` binary.
//!
//! - `sigkill_at_random_moments_loses_nothing`: batch imports (folders of
//!   sample-workbook variants, two commit batches each), scoring, backups,
//!   `demo` (signed letters from the register), `letter issue --all` by
//!   the register office under the bureau's seal, and `restore` of a
//!   checked backup by an administrator are SIGKILLed at random moments,
//!   together with their parser worker, like a power cut. The moment is
//!   drawn up to 1.25 × about the longest the operation recently took to
//!   the end, so kills land in every phase and some runs finish. A review
//!   package (a laptop's conflict declarations, made once from the
//!   template's round package) is imported into the home as a seventh kind of work: after a
//!   kill the package is applied whole or not at all (every applied act has
//!   its package row and that row its `exchange.apply` entry). After every
//!   run the store is checked with `reviewdesk check` (integrity, foreign
//!   keys, cipher pages, audit chain) and `reviewdesk audit verify`, and
//!   queried: every submission has its blob and its audit entry (and every
//!   import entry its submission), every register number its letter and
//!   audit entry, the numbers of each year run without a gap above the
//!   floor a restore left, and no number ever comes back with another
//!   letter. Every backup that reached its final name (from a finished or
//!   a killed run) is checked the same way; a run that checked none fails.
//!   A run that finished by itself must have succeeded; every child has a
//!   deadline, so a hang fails the test instead of stalling it.
//!
//!   The cost per kill stays flat: a fresh store (a copy of one set up
//!   once: roster, the bureau's CA, a first round imported, scored,
//!   proposed and approved) every EPOCH_KILLS kills, and checks whose
//!   queries scan each table once. Progress every 50 kills with the time
//!   per kill. At least 56 kills; `REVIEWDESK_SOAK_KILLS=500` for a longer
//!   soak, `REVIEWDESK_CRASH_SEED` replays one. The summary line is printed
//!   to stderr (`cargo test --test crash -- --nocapture`).
//! - `disk_full_fails_clearly_and_changes_nothing`: an import and a backup
//!   under RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail with EFBIG, as on a
//!   full disk) fail with a clear message and leave the store as it was.
//!
//! Every child gets `REVIEWDESK_PASSPHRASE=crash-test`, so these tests keep
//! working once the store is encrypted.
//!
//! Long on purpose: one kill loop over seven kinds of work, with the stores
//! and workbook variants both tests share; running children and inspecting
//! a store are in `soak/mod.rs`.

mod common;
mod soak;

use std::collections::HashSet;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use soak::{count, inspect, open_store, End, Findings, Ledger, Runner, PASSPHRASE};

/// The people of the soak's stores (test certificates of common's CA).
const REVIEWER: &str = "崩溃测试";
const APPROVER: &str = "崩溃审批";
const REGISTER: &str = "崩溃发文";
const ADMIN: &str = "崩溃管理员";

/// The template's laptop: it received the round by a round package and
/// its reviewer's panel points come back to the home in a review package.
fn make_review_package(runner: &Runner, root: &Path, home: &Path) -> PathBuf {
    let round = root.join("round.rdpkg");
    let mut c = bin();
    c.arg("--db")
        .arg(home)
        .args(["package", "export", "--round", "2026", "--to"]);
    c.arg(common::identity(REVIEWER)).arg("-o").arg(&round);
    must(runner, c, "package export (round)", &[0]);
    let laptop = root.join("laptop.db");
    let mut c = bin();
    c.arg("--db")
        .arg(&laptop)
        .args(["package", "import"])
        .arg(&round);
    c.arg("--ca").arg(common::ca_pem());
    must(runner, c, "package import (round)", &[0]);
    // the laptop's reviewer declares conflicts of interest (signed acts
    // that need no open decision: every decision of the template is approved)
    for code in ["91500103MA7HJ2LT5M", "91500103MA5U7K2P39"] {
        let mut c = bin();
        c.arg("--db").arg(&laptop).args([
            "conflict",
            code,
            "--reason",
            "崩溃测试：曾为该单位提供咨询",
        ]);
        must(runner, c, "conflict", &[0]);
    }
    let review = root.join("review.rdpkg");
    let mut c = bin();
    c.arg("--db")
        .arg(&laptop)
        .args(["package", "export", "--round", "2026", "-o"]);
    c.arg(&review);
    must(runner, c, "package export (review)", &[0]);
    review
}

/// A fresh store every this many kills: the cost per kill does not grow
/// with the length of the soak.
const EPOCH_KILLS: u64 = 25;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, REVIEWER);
    c
}

/// `bin()` acting as `name` (the flag wins over the environment).
fn bin_as(name: &str) -> Command {
    let mut c = bin();
    c.arg("--identity").arg(common::identity(name));
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Small deterministic generator (the seed is printed, so a failure can be
/// replayed with REVIEWDESK_CRASH_SEED).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

// ---------------------------------------------------------------------------
// Workbook variants

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

/// The zip-based samples (xlsx, ods): their bytes can be varied through the
/// archive comment without touching any content.
fn zip_samples() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(samples_dir())
        .expect("samples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx" || x == "ods"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().to_string();
            (name, std::fs::read(&p).expect("read sample"))
        })
        .collect();
    out.sort();
    out
}

/// The same workbook with a different zip comment: other bytes (so another
/// file hash, a re-submission), same content.
fn variant(zip: &[u8], tag: &str) -> Vec<u8> {
    let eocd = zip
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("end of central directory");
    let mut out = zip[..eocd + 20].to_vec();
    let comment = tag.as_bytes();
    out.extend_from_slice(&(comment.len() as u16).to_le_bytes());
    out.extend_from_slice(comment);
    out
}

/// A folder of `n` distinct workbook files (cycling through the samples).
fn write_batch(root: &Path, batch: u64, n: usize) -> PathBuf {
    let dir = root.join(format!("batch-{batch:04}"));
    std::fs::create_dir_all(&dir).expect("batch dir");
    let samples = zip_samples();
    for i in 0..n {
        let (name, bytes) = &samples[i % samples.len()];
        let tag = format!("reviewdesk crash test {batch}/{i}");
        std::fs::write(dir.join(format!("{i:03}-{name}")), variant(bytes, &tag))
            .expect("write variant");
    }
    dir
}

// ---------------------------------------------------------------------------
// The stores

/// Run a set-up step to its end; it must succeed (exit 0, or 1 for an
/// import with workbooks that need correction).
fn must(runner: &Runner, c: Command, what: &str, ok_codes: &[i32]) -> String {
    match runner.run(c) {
        End::Exited {
            code: Some(code),
            stdout,
            ..
        } if ok_codes.contains(&code) => stdout,
        other => panic!("set-up `{what}` failed: {other:?}"),
    }
}

/// The store every epoch starts from, made once: a roster (an admin, a
/// reviewer, an approver, the register office) under common's test CA,
/// the first round imported and scored, and every decision that can be
/// proposed proposed and approved, so `letter issue --all` has work. Its
/// `live.db` and key file are copied, closed, into each epoch.
fn make_template(runner: &Runner, root: &Path) -> (PathBuf, usize) {
    let dir = root.join("template");
    std::fs::create_dir_all(&dir).expect("template dir");
    let db = dir.join("live.db");
    let ca = common::ca_pem();
    let mut c = bin_as(ADMIN);
    c.arg("--db")
        .arg(&db)
        .args(["roster", "init", "--ca", s(&ca)]);
    must(runner, c, "roster init", &[0]);
    for (who, role) in [
        (REVIEWER, "reviewer"),
        (APPROVER, "approver"),
        (REGISTER, "register"),
    ] {
        let mut c = bin_as(ADMIN);
        c.arg("--db").arg(&db).args(["roster", "add"]);
        c.arg(common::identity(who)).args(["--role", role]);
        must(runner, c, "roster add", &[0]);
    }
    let first = write_batch(&dir, 0, 7);
    let mut c = bin();
    c.arg("--db").arg(&db).args(["import", s(&first), "--json"]);
    let out = must(runner, c, "import", &[0, 1]);
    let mut c = bin();
    c.arg("--db").arg(&db).args(["score", "--round", "2026"]);
    must(runner, c, "score", &[0]);
    let report: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("import --json is not JSON ({e}): {out}"));
    let mut codes: Vec<String> = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["status"] == "ok")
        .filter_map(|f| f["credit_code"].as_str().map(str::to_string))
        .collect();
    codes.sort();
    codes.dedup();
    let mut approved = 0;
    for code in &codes {
        let mut c = bin();
        c.arg("--db").arg(&db).args(["decide", "propose", code]);
        if !runner.run(c).ok() {
            continue;
        }
        let mut c = bin_as(APPROVER);
        c.arg("--db").arg(&db).args(["decide", "approve", code]);
        must(runner, c, "decide approve", &[0]);
        approved += 1;
    }
    assert!(
        approved > 0,
        "no decision could be approved in the template: {codes:?}"
    );
    (db, approved)
}

/// A fresh store for one epoch: the template's files copied into `dir`.
fn fresh_store(template: &Path, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("epoch dir");
    let db = dir.join("live.db");
    for suffix in ["", ".key"] {
        let from = PathBuf::from(format!("{}{suffix}", template.display()));
        let to = PathBuf::from(format!("{}{suffix}", db.display()));
        std::fs::copy(&from, &to)
            .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
    }
    db
}

/// The backups in `dir` that reached their final name.
fn finished_backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reviewdesk-") && n.ends_with(".db"))
        })
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------
// The kill loop

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Import,
    Score,
    Backup,
    Demo,
    Letter,
    Restore,
    Package,
}

impl Op {
    /// What the run takes when it finishes, before any has been measured
    /// (seconds, debug build; an import of 60 new workbooks commits its
    /// first 50 after about a second, so kills reach both batches).
    const GUESS: [f64; 7] = [2.0, 0.15, 0.4, 1.5, 1.0, 0.5, 0.5];

    fn pick(rng: &mut Rng) -> Op {
        match rng.below(22) {
            0..=7 => Op::Import,
            8..=9 => Op::Score,
            10..=12 => Op::Backup,
            13..=14 => Op::Demo,
            15..=17 => Op::Letter,
            18..=19 => Op::Restore,
            _ => Op::Package,
        }
    }
}

/// One fresh store and what the soak knows of it.
struct Epoch {
    dir: PathBuf,
    db: PathBuf,
    backups: PathBuf,
    letters: PathBuf,
    ledger: Ledger,
    /// Backups already inspected, and those that passed (restore picks one).
    inspected: HashSet<PathBuf>,
    good: Vec<PathBuf>,
    batch: u64,
    retry: Option<PathBuf>,
    started_at_kill: u64,
    restores_killed: u64,
}

struct Soak {
    runner: Runner,
    rng: Rng,
    root: PathBuf,
    template: PathBuf,
    review_package: PathBuf,
    demo: PathBuf,
    /// Per operation: about the longest it took recently when it ran to
    /// the end (the kill moment is drawn below 1.25 × this), grown a little
    /// by each kill so an operation that never finishes gets more time.
    typical: [f64; 7],
    kills: u64,
    kills_by_op: [u64; 7],
    completed: u64,
    failed: u64,
    found: Findings,
    backups_checked: u64,
    backups_from_kills: u64,
    submissions: u64,
    letters: usize,
    epochs: u64,
    /// REVIEWDESK_SOAK_TRACE=1: one line per run.
    trace: bool,
}

impl Soak {
    fn new_epoch(&mut self) -> Epoch {
        self.epochs += 1;
        let dir = self.root.join(format!("epoch-{:03}", self.epochs));
        let db = fresh_store(&self.template, &dir);
        let mut e = Epoch {
            backups: dir.join("backups"),
            letters: dir.join("letters"),
            dir,
            db,
            ledger: Ledger::default(),
            inspected: HashSet::new(),
            good: Vec::new(),
            batch: 0,
            retry: None,
            started_at_kill: self.kills,
            restores_killed: 0,
        };
        // one backup that runs to its end, so every epoch has one to check
        // and to restore
        let mut c = bin();
        c.arg("--db").arg(&e.db).arg("backup").arg("--dir");
        c.arg(&e.backups).args(["--keep", "3"]);
        must(&self.runner, c, "backup", &[0]);
        self.check_backups(&mut e, false);
        e
    }

    fn end_epoch(&mut self, e: Epoch) {
        if let Ok(store) = open_store(&e.db) {
            self.submissions += count(&store, "SELECT count(*) FROM submissions");
        }
        self.letters += e.ledger.len();
        let _ = std::fs::remove_dir_all(&e.dir);
    }

    /// Inspect every backup that reached its final name since the last
    /// look (`killed`: the run that made it was killed).
    fn check_backups(&mut self, e: &mut Epoch, killed: bool) {
        for b in finished_backups(&e.backups) {
            if !e.inspected.insert(b.clone()) {
                continue;
            }
            let what = format!("backup {}", b.display());
            let f = inspect(&self.runner, bin, &b, &what, Some(&mut e.ledger));
            let clean = f.corrupt + f.partial + f.number_gaps + f.reused + f.hung == 0;
            self.found += f;
            self.backups_checked += 1;
            if killed {
                self.backups_from_kills += 1;
            }
            if clean {
                e.good.push(b);
            }
        }
    }

    /// The command for `op` on this epoch's store (None: nothing to do).
    fn command(&mut self, op: Op, e: &mut Epoch) -> Option<Command> {
        let db = &e.db;
        Some(match op {
            Op::Import => {
                // A killed import is sometimes retried, as a reviewer would.
                let folder = match e.retry.take() {
                    Some(f) if self.rng.below(2) == 0 => f,
                    _ => {
                        e.batch += 1;
                        write_batch(&e.dir, e.batch, 60)
                    }
                };
                let mut c = bin();
                c.arg("--db").arg(db).arg("import").arg(&folder);
                e.retry = Some(folder);
                c
            }
            Op::Score => {
                let mut c = bin();
                c.arg("--db").arg(db).args(["score", "--round", "2026"]);
                c
            }
            Op::Backup => {
                let mut c = bin();
                c.arg("--db").arg(db).arg("backup").arg("--dir");
                c.arg(&e.backups).args(["--keep", "3", "--json"]);
                c
            }
            Op::Demo => {
                let mut c = bin();
                c.arg("demo").arg("--out").arg(&self.demo);
                c
            }
            Op::Letter => {
                let mut c = bin_as(REGISTER);
                c.arg("--db").arg(db).args(["letter", "issue", "--all"]);
                c.arg("--seal").arg(common::seal());
                c.arg("--out").arg(&e.letters).arg("--json");
                c
            }
            Op::Package => {
                // the home takes in the laptop's review package (once
                // applied, importing it again changes nothing)
                let mut c = bin();
                c.arg("--db").arg(db).args(["--json", "package", "import"]);
                c.arg(&self.review_package);
                c
            }
            Op::Restore => {
                e.good.retain(|b| b.exists());
                let pick = self.rng.below(e.good.len() as u64) as usize;
                let backup = e.good.get(pick)?;
                // the administrator restores (with the reason a rollback
                // of the register needs)
                let mut c = bin_as(ADMIN);
                c.arg("--db").arg(db).arg("restore").arg(backup);
                c.args(["--reason", "崩溃测试：恢复到备份", "--json"]);
                c
            }
        })
    }

    fn step(&mut self, e: &mut Epoch) {
        let op = Op::pick(&mut self.rng);
        let Some(c) = self.command(op, e) else {
            return;
        };
        let i = op as usize;
        let delay = Duration::from_millis(self.rng.below((self.typical[i] * 1250.0) as u64));
        let (end, took) = self.runner.launch(c, Some(delay));
        let killed = matches!(end, End::Killed);
        match &end {
            End::Killed => {
                self.kills += 1;
                self.kills_by_op[i] += 1;
                self.typical[i] *= 1.1;
            }
            End::Hung { stderr } => {
                self.found.hung += 1;
                eprintln!("crash: {op:?} still running after {took:?}, killed:\n{stderr}");
            }
            End::Exited { code, stderr, .. } => {
                self.completed += 1;
                // up at once to a longer run (a new batch after a retried
                // one), down slowly, so the long runs stay covered
                let t = took.as_secs_f64();
                self.typical[i] = t.max(0.5 * self.typical[i] + 0.5 * t);
                // an import with workbooks that need correction exits 1
                let fine = *code == Some(0) || (op == Op::Import && *code == Some(1));
                if !fine {
                    self.failed += 1;
                    eprintln!("crash: {op:?} ran to the end but failed (exit {code:?}):\n{stderr}");
                }
            }
        }
        let what = format!("after {op:?} at {delay:?}");
        if self.trace {
            eprintln!(
                "crash: {what}: {}",
                if killed { "killed" } else { "ran to the end" }
            );
        }
        let f = if op == Op::Demo {
            inspect(&self.runner, bin, &self.demo.join("demo.db"), &what, None)
        } else {
            inspect(&self.runner, bin, &e.db, &what, Some(&mut e.ledger))
        };
        if op == Op::Restore && killed {
            e.restores_killed += 1;
        }
        if f.reused > 0 {
            eprintln!(
                "crash: {} restores were killed in this store before",
                e.restores_killed
            );
        }
        self.found += f;
        if op == Op::Backup {
            self.check_backups(e, killed);
            if end.ok() {
                // the backup it reports is one of those just checked
                let reported = serde_json::from_str::<serde_json::Value>(end.stdout())
                    .ok()
                    .and_then(|v| v["path"].as_str().map(PathBuf::from));
                if !reported.as_ref().is_some_and(|p| e.inspected.contains(p)) {
                    self.failed += 1;
                    eprintln!(
                        "crash: a finished backup reports {reported:?}, not a backup found in {}: {}",
                        e.backups.display(),
                        end.stdout()
                    );
                }
            }
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(
        v.trim()
            .parse()
            .unwrap_or_else(|e| panic!("{name}={v:?} is not a whole number: {e}")),
    )
}

#[test]
fn sigkill_at_random_moments_loses_nothing() {
    let want_kills = env_u64("REVIEWDESK_SOAK_KILLS").unwrap_or(56);
    let seed = env_u64("REVIEWDESK_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 | 1)
            .unwrap_or(88_172_645_463_325_252)
    });
    eprintln!("crash: seed {seed} (REVIEWDESK_CRASH_SEED), {want_kills} kills wanted");
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let runner = Runner::new(&root.join("io"));
    let started = Instant::now();
    let (template, approved) = make_template(&runner, root);
    let review_package = make_review_package(&runner, root, &template);
    eprintln!(
        "crash: template store with {approved} approved decisions, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut soak = Soak {
        runner,
        rng: Rng(seed),
        root: root.to_path_buf(),
        template,
        review_package,
        demo: root.join("demo"),
        typical: Op::GUESS,
        kills: 0,
        kills_by_op: [0; 7],
        completed: 0,
        failed: 0,
        found: Findings::default(),
        backups_checked: 0,
        backups_from_kills: 0,
        submissions: 0,
        letters: 0,
        epochs: 0,
        trace: std::env::var_os("REVIEWDESK_SOAK_TRACE").is_some(),
    };
    let mut epoch = soak.new_epoch();
    let mut window = (Instant::now(), 0u64);
    while soak.kills < want_kills {
        let before = soak.kills;
        soak.step(&mut epoch);
        if soak.kills > before && soak.kills.is_multiple_of(50) {
            let last = window.0.elapsed().as_secs_f64() / (soak.kills - window.1) as f64;
            eprintln!(
                "crash: {} kills, {} ran to the end, {:.2} s per kill over the last {}, {:.0} s in all",
                soak.kills,
                soak.completed,
                last,
                soak.kills - window.1,
                started.elapsed().as_secs_f64()
            );
            window = (Instant::now(), soak.kills);
        }
        if soak.kills >= epoch.started_at_kill + EPOCH_KILLS && soak.kills < want_kills {
            let next = soak.new_epoch();
            let done = std::mem::replace(&mut epoch, next);
            soak.end_epoch(done);
        }
    }
    soak.end_epoch(epoch);
    let secs = started.elapsed().as_secs_f64();
    let k = &soak.kills_by_op;
    let f = &soak.found;
    eprintln!(
        "crash: {} kills ({} import, {} score, {} backup, {} demo, {} letter issue, {} restore, {} package import), \
         {} ran to the end, {} failed, {} hung; {} corrupt, {} partial, {} number gaps, {} numbers reused; \
         {} stores, {} submissions, {} letters, {} backups checked ({} from killed runs); \
         {secs:.1} s, {:.2} s per kill",
        soak.kills,
        k[0],
        k[1],
        k[2],
        k[3],
        k[4],
        k[5],
        k[6],
        soak.completed,
        soak.failed,
        f.hung,
        f.corrupt,
        f.partial,
        f.number_gaps,
        f.reused,
        soak.epochs,
        soak.submissions,
        soak.letters,
        soak.backups_checked,
        soak.backups_from_kills,
        secs / soak.kills.max(1) as f64,
    );
    assert_eq!(f.hung, 0, "children still running at their deadline");
    assert_eq!(soak.failed, 0, "runs that finished but failed");
    assert_eq!(f.corrupt, 0, "corrupt stores");
    assert_eq!(f.partial, 0, "partial submissions or letters");
    assert_eq!(f.number_gaps, 0, "gaps or duplicates in the register");
    assert_eq!(f.reused, 0, "register numbers issued twice");
    assert!(soak.backups_checked > 0, "no finished backup was checked");
    assert!(soak.kills >= want_kills);
}

// ---------------------------------------------------------------------------
// Disk full

/// Row counts that must not change when an operation fails.
fn snapshot(db: &Path) -> Vec<(String, u64)> {
    let store = open_store(db).expect("open store");
    [
        "blobs",
        "applicants",
        "submissions",
        "evaluations",
        "decisions",
        "register",
        "audit",
    ]
    .iter()
    .map(|t| {
        (
            t.to_string(),
            count(&store, &format!("SELECT count(*) FROM {t}")),
        )
    })
    .collect()
}

/// Run with every file the process writes capped at `limit` bytes.
fn run_with_file_limit(db: &Path, args: &[&std::ffi::OsStr], limit: u64) -> Output {
    let mut c = bin();
    c.arg("--db").arg(db).args(args);
    // SAFETY: signal and setrlimit are async-signal-safe.
    unsafe {
        c.pre_exec(move || {
            // Ignored, SIGXFSZ does not kill: write() returns EFBIG instead.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c.output().expect("run reviewdesk")
}

fn says_disk_is_full(stderr: &str) -> bool {
    stderr.contains("磁盘已满")
        && stderr.contains("the disk is full")
        && stderr.contains("unchanged")
}

#[test]
fn disk_full_fails_clearly_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let db = root.join("live.db");
    let first = write_batch(root, 0, 7);
    let o = run(&db, &["import", first.to_str().expect("utf-8 path")]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    let before = snapshot(&db);
    let size = std::fs::metadata(&db).expect("db").len();

    // Import: 40 new workbooks (one commit batch) need far more room than
    // the limit leaves.
    let more = write_batch(root, 1, 40);
    let o = run_with_file_limit(&db, &["import".as_ref(), more.as_os_str()], size);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    eprintln!(
        "disk full, import: exit {:?}: {}",
        o.status.code(),
        stderr.trim()
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "import under a full disk must fail: {stderr}"
    );
    assert!(says_disk_is_full(&stderr), "unclear message: {stderr}");
    assert!(run(&db, &["audit", "verify"]).status.success());
    assert!(run(&db, &["check"]).status.success());
    assert_eq!(snapshot(&db), before, "the failed import changed the store");

    // Backup: the copy cannot be written.
    let backups = root.join("backups");
    let o = run_with_file_limit(
        &db,
        &["backup".as_ref(), "--dir".as_ref(), backups.as_os_str()],
        size / 2,
    );
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    eprintln!(
        "disk full, backup: exit {:?}: {}",
        o.status.code(),
        stderr.trim()
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "backup under a full disk must fail: {stderr}"
    );
    assert!(says_disk_is_full(&stderr), "unclear message: {stderr}");
    assert!(run(&db, &["audit", "verify"]).status.success());
    assert!(run(&db, &["check"]).status.success());
    let after = snapshot(&db);
    // The backup is recorded in the audit trail before the copy is made (so
    // the copy holds its own entry); when the copy then fails, a second entry
    // says so, so the trail never claims a backup that does not exist.
    let audit = |s: &[(String, u64)]| s.iter().find(|(t, _)| t == "audit").map(|(_, n)| *n);
    let data = |s: &[(String, u64)]| -> Vec<(String, u64)> {
        s.iter().filter(|(t, _)| t != "audit").cloned().collect()
    };
    assert_eq!(
        data(&after),
        data(&before),
        "the failed backup changed the store"
    );
    let new_entries = audit(&after).unwrap_or(0) - audit(&before).unwrap_or(0);
    eprintln!("disk full, backup: {new_entries} new audit entries");
    let store = open_store(&db).expect("open store");
    let claimed = count(
        &store,
        "SELECT count(*) FROM audit WHERE action = 'store.backup'",
    );
    let failed = count(
        &store,
        "SELECT count(*) FROM audit WHERE action = 'store.backup.failed' AND detail LIKE '%reason%'",
    );
    drop(store);
    assert!(new_entries <= 2, "{new_entries} new audit entries");
    assert_eq!(
        claimed, failed,
        "every backup the trail records must be followed by its failure: {claimed} recorded, {failed} failed"
    );
    let finished: Vec<_> = std::fs::read_dir(&backups)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "db"))
        .collect();
    assert!(
        finished.is_empty(),
        "a failed backup left a file that looks finished"
    );
}
