//! Crash and fault tests over the real `reviewdesk` binary.
//!
//! - `sigkill_at_random_moments_loses_nothing`: batch imports (folders of
//!   sample-workbook variants, two commit batches each), scoring, backups and
//!   `demo` (signed letters from the register) are SIGKILLed at random
//!   moments, together with their parser worker, like a power cut. After
//!   every kill the store is checked with `reviewdesk check` (integrity,
//!   foreign keys, audit chain) and `reviewdesk audit verify`, and queried:
//!   every submission has its blob and its audit entry (and every import
//!   entry its submission), every register number its letter and audit
//!   entry, and the numbers of each year run 1..n without a gap. Completed
//!   backups must pass the same checks. At least 50 kills; set
//!   `REVIEWDESK_SOAK_KILLS=500` for a longer soak. The summary line is
//!   printed to stderr (`cargo test --test crash -- --nocapture`).
//! - `disk_full_fails_clearly_and_changes_nothing`: an import and a backup
//!   under RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail with EFBIG, as on a
//!   full disk) fail with a clear message and leave the store as it was.
//!
//! Every child gets `REVIEWDESK_PASSPHRASE=crash-test`, so these tests keep
//! working once the store is encrypted.

mod common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reviewdesk_engine::store::{unlock, Secret, Store};

const PASSPHRASE: &str = "crash-test";

/// Open a store (or backup) the children made: they are encrypted with
/// PASSPHRASE; the key file sits beside each one.
fn open_store(db: &Path) -> reviewdesk_engine::Result<Store> {
    unlock(db, &Secret::passphrase(PASSPHRASE)).map(|u| u.store)
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "崩溃测试");
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
// Killing

/// Start in its own process group, so the kill takes the parser worker too.
fn spawn(mut c: Command) -> Child {
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setpgid is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            if libc::setpgid(0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c.spawn().expect("spawn reviewdesk")
}

/// SIGKILL the child's group after `delay` unless it has finished; true when
/// it was killed.
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let until = Instant::now() + delay;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if Instant::now() >= until {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let pgid = child.id() as libc::pid_t;
    // SAFETY: plain syscalls on our own child's process group.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
    let _ = child.wait();
    true
}

// ---------------------------------------------------------------------------
// Inspecting a store after a crash

#[derive(Default, Debug)]
struct Findings {
    corrupt: u64,
    partial: u64,
    number_gaps: u64,
}

fn count(store: &Store, sql: &str) -> u64 {
    store
        .conn()
        .query_row(sql, [], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Check one store the way a reviewer would after a crash, then look for
/// half-written work. Prints what it finds.
fn inspect(db: &Path, what: &str) -> Findings {
    let mut f = Findings::default();
    if !db.exists() {
        return f;
    }
    let check = run(db, &["check", "--json"]);
    let verify = run(db, &["audit", "verify"]);
    if !check.status.success() || !verify.status.success() {
        f.corrupt += 1;
        eprintln!(
            "crash: {what}: store {} fails its checks:\n{}\n{}",
            db.display(),
            String::from_utf8_lossy(&check.stderr),
            String::from_utf8_lossy(&verify.stderr)
        );
        return f;
    }
    let store = match open_store(db) {
        Ok(s) => s,
        Err(e) => {
            f.corrupt += 1;
            eprintln!("crash: {what}: cannot open {}: {e}", db.display());
            return f;
        }
    };
    let partial = [
        // a submission without its original bytes
        "SELECT count(*) FROM submissions s WHERE NOT EXISTS
           (SELECT 1 FROM blobs b WHERE b.hash = s.file_hash)",
        // a submission without its import entry
        "SELECT count(*) FROM submissions s WHERE NOT EXISTS
           (SELECT 1 FROM audit a WHERE a.action = 'submission.import'
              AND json_extract(a.detail, '$.submission') = s.id)",
        // an import entry without its submission
        "SELECT count(*) FROM audit a WHERE a.action = 'submission.import'
           AND NOT EXISTS (SELECT 1 FROM submissions s
              WHERE s.id = json_extract(a.detail, '$.submission'))",
        // a register number without its letter or its audit entry
        "SELECT count(*) FROM register r WHERE NOT EXISTS
           (SELECT 1 FROM blobs b WHERE b.hash = r.letter_hash)
           OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'letter.issue'
              AND json_extract(a.detail, '$.number') = r.number)",
    ];
    for sql in partial {
        let n = count(&store, sql);
        if n > 0 {
            eprintln!("crash: {what}: {n} partial rows: {sql}");
        }
        f.partial += n;
    }
    // numbers of each year: 1..n, none missing, none twice
    let gaps = count(
        &store,
        "SELECT coalesce(sum(gap), 0) FROM (
           SELECT (max(seq) - count(DISTINCT seq)) + (count(*) - count(DISTINCT number))
                  + (min(seq) - 1) AS gap
           FROM register GROUP BY year)",
    );
    if gaps > 0 {
        eprintln!("crash: {what}: {gaps} gaps or duplicates in the register");
    }
    f.number_gaps += gaps;
    f
}

// ---------------------------------------------------------------------------
// The kill loop

#[derive(Debug, Clone, Copy)]
enum Op {
    Import,
    Score,
    Backup,
    Demo,
}

#[test]
fn sigkill_at_random_moments_loses_nothing() {
    let want_kills: u64 = std::env::var("REVIEWDESK_SOAK_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(56);
    let seed: u64 = std::env::var("REVIEWDESK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64 | 1)
                .unwrap_or(88_172_645_463_325_252)
        });
    eprintln!("crash: seed {seed} (REVIEWDESK_CRASH_SEED), {want_kills} kills wanted");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let db = root.join("live.db");
    let backups = root.join("backups");
    let demo = root.join("demo");
    // A store with a first round in it, so scoring and backups have work.
    let first = write_batch(root, 0, 7);
    let o = run(&db, &["import", first.to_str().expect("utf-8 path")]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");

    let started = Instant::now();
    let (mut kills, mut completed) = (0u64, 0u64);
    let mut per_op = [0u64; 4];
    let mut total = Findings::default();
    let mut batch = 0u64;
    let mut retry: Option<PathBuf> = None;
    while kills < want_kills {
        let op = match rng.below(20) {
            0..=9 => Op::Import,
            10..=12 => Op::Score,
            13..=15 => Op::Backup,
            _ => Op::Demo,
        };
        let mut c = bin();
        let (max_delay_ms, inspect_db) = match op {
            Op::Import => {
                // A killed import is sometimes retried, as a reviewer would.
                let folder = match retry.take() {
                    Some(f) if rng.below(2) == 0 => f,
                    _ => {
                        batch += 1;
                        write_batch(root, batch, 60)
                    }
                };
                c.arg("--db").arg(&db).arg("import").arg(&folder);
                retry = Some(folder);
                (500, db.clone())
            }
            Op::Score => {
                c.arg("--db").arg(&db).args(["score", "--round", "2026"]);
                (80, db.clone())
            }
            Op::Backup => {
                c.arg("--db")
                    .arg(&db)
                    .arg("backup")
                    .arg("--dir")
                    .arg(&backups);
                c.args(["--keep", "3"]);
                (100, db.clone())
            }
            Op::Demo => {
                c.arg("demo").arg("--out").arg(&demo);
                (1100, demo.join("demo.db"))
            }
        };
        let delay = Duration::from_millis(rng.below(max_delay_ms));
        if kill_after(spawn(c), delay) {
            kills += 1;
            per_op[op as usize] += 1;
        } else {
            completed += 1;
        }
        let f = inspect(&inspect_db, &format!("after {op:?} at {delay:?}"));
        total.corrupt += f.corrupt;
        total.partial += f.partial;
        total.number_gaps += f.number_gaps;
    }
    // Every backup that made it to its final name must be whole.
    let mut backups_checked = 0;
    for e in std::fs::read_dir(&backups).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "db") {
            let f = inspect(&p, "completed backup");
            total.corrupt += f.corrupt;
            total.partial += f.partial;
            backups_checked += 1;
        }
    }
    let submissions = open_store(&db)
        .map(|s| count(&s, "SELECT count(*) FROM submissions"))
        .unwrap_or(0);
    eprintln!(
        "crash: {kills} kills ({} import, {} score, {} backup, {} demo), {completed} ran to the end, \
         {} corrupt, {} partial, {} number gaps; {submissions} submissions, {backups_checked} backups checked, {:.1} s",
        per_op[0],
        per_op[1],
        per_op[2],
        per_op[3],
        total.corrupt,
        total.partial,
        total.number_gaps,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(total.corrupt, 0, "corrupt stores");
    assert_eq!(total.partial, 0, "partial submissions or letters");
    assert_eq!(total.number_gaps, 0, "gaps or duplicates in the register");
    assert!(kills >= want_kills);
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
