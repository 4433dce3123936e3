//! The crash soak's two tools: children run under a deadline in their own
//! process group (so a kill takes the parser worker too, and a hang is a
//! reported failure, never a silent wait), and a store inspected after a
//! crash (its checks through the CLI, then half-written rows and the
//! register's numbers, queried so the cost grows with the store, not with
//! its square).
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reviewdesk_engine::store::{unlock, Secret, Store};

/// The passphrase of every store the children make.
pub const PASSPHRASE: &str = "crash-test";

/// No child runs longer than this (a debug build on a busy 2-core machine
/// checks a soak-sized store in well under a second).
pub const DEADLINE: Duration = Duration::from_secs(120);

/// Open a store (or backup) the children made: encrypted with PASSPHRASE,
/// the key file beside each one.
pub fn open_store(db: &Path) -> reviewdesk_engine::Result<Store> {
    unlock(db, &Secret::passphrase(PASSPHRASE)).map(|u| u.store)
}

/// How a child ended.
#[derive(Debug)]
pub enum End {
    /// It exited by itself: its exit code (None when a signal ended it),
    /// stdout and stderr.
    Exited {
        code: Option<i32>,
        stdout: String,
        stderr: String,
    },
    /// We killed it at the moment we chose.
    Killed,
    /// It was still running at DEADLINE and was killed; what it had said.
    Hung { stderr: String },
}

impl End {
    pub fn ok(&self) -> bool {
        matches!(self, End::Exited { code: Some(0), .. })
    }
    pub fn code(&self) -> Option<i32> {
        match self {
            End::Exited { code, .. } => *code,
            _ => None,
        }
    }
    pub fn stdout(&self) -> &str {
        match self {
            End::Exited { stdout, .. } => stdout,
            _ => "",
        }
    }
    pub fn stderr(&self) -> &str {
        match self {
            End::Exited { stderr, .. } | End::Hung { stderr } => stderr,
            End::Killed => "",
        }
    }
}

/// Runs children; their output goes to two files in `io` (no pipe a
/// leftover grandchild could hold open).
pub struct Runner {
    io: PathBuf,
}

fn kill_group(child: &Child) {
    let pgid = child.id() as libc::pid_t;
    // SAFETY: a plain syscall on our own child's process group.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

fn read_lossy(p: &Path) -> String {
    std::fs::read(p)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| format!("(cannot read {}: {e})", p.display()))
}

impl Runner {
    pub fn new(io: &Path) -> Runner {
        std::fs::create_dir_all(io).expect("folder for children's output");
        Runner {
            io: io.to_path_buf(),
        }
    }

    /// Run `c` in its own process group; SIGKILL the group at `kill_at`
    /// (if it is still running), or at DEADLINE. The group is killed after
    /// a normal exit too, so no parser worker outlives its host.
    pub fn launch(&self, mut c: Command, kill_at: Option<Duration>) -> (End, Duration) {
        let out_path = self.io.join("stdout");
        let err_path = self.io.join("stderr");
        let out = File::create(&out_path).expect("child stdout file");
        let err = File::create(&err_path).expect("child stderr file");
        c.stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        // SAFETY: setpgid is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            c.pre_exec(|| {
                if libc::setpgid(0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let started = Instant::now();
        let mut child = c.spawn().expect("spawn reviewdesk");
        let kill_at = kill_at.map(|d| d.min(DEADLINE)).unwrap_or(DEADLINE);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => {
                    let took = started.elapsed();
                    kill_group(&child);
                    let end = End::Exited {
                        code: status.code(),
                        stdout: read_lossy(&out_path),
                        stderr: read_lossy(&err_path),
                    };
                    return (end, took);
                }
                Ok(None) => {}
                Err(e) => panic!("waiting for a child: {e}"),
            }
            let took = started.elapsed();
            if took >= kill_at {
                kill_group(&child);
                let _ = child.wait();
                let end = if kill_at >= DEADLINE {
                    End::Hung {
                        stderr: read_lossy(&err_path),
                    }
                } else {
                    End::Killed
                };
                return (end, took);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Run `c` to its end (within DEADLINE).
    pub fn run(&self, c: Command) -> End {
        self.launch(c, None).0
    }
}

// ---------------------------------------------------------------------------
// Inspecting a store after a crash

/// What the inspections found (all must stay 0).
#[derive(Default, Debug, Clone, Copy)]
pub struct Findings {
    pub corrupt: u64,
    pub partial: u64,
    pub number_gaps: u64,
    /// A number seen earlier with another letter: issued twice.
    pub reused: u64,
    pub hung: u64,
}

impl std::ops::AddAssign for Findings {
    fn add_assign(&mut self, o: Findings) {
        self.corrupt += o.corrupt;
        self.partial += o.partial;
        self.number_gaps += o.number_gaps;
        self.reused += o.reused;
        self.hung += o.hung;
    }
}

pub fn count(store: &Store, sql: &str) -> u64 {
    store
        .conn()
        .query_row(sql, [], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Half-written work. Each query scans its tables once (EXCEPT, or an
/// uncorrelated IN): a correlated `json_extract` over the whole audit
/// trail per submission made the soak's checks grow with the square of
/// the store.
const PARTIAL: [&str; 7] = [
    // a submission without its original bytes (blobs.hash is the key)
    "SELECT count(*) FROM submissions s WHERE NOT EXISTS
       (SELECT 1 FROM blobs b WHERE b.hash = s.file_hash)",
    // a submission without its import entry
    "SELECT count(*) FROM (SELECT id FROM submissions
       EXCEPT SELECT json_extract(detail, '$.submission') FROM audit
        WHERE action = 'submission.import')",
    // an import entry without its submission
    "SELECT count(*) FROM (SELECT json_extract(detail, '$.submission') FROM audit
        WHERE action = 'submission.import'
       EXCEPT SELECT id FROM submissions)",
    // a register number without its letter or its audit entry
    "SELECT count(*) FROM register r WHERE NOT EXISTS
       (SELECT 1 FROM blobs b WHERE b.hash = r.letter_hash)
       OR r.number NOT IN (SELECT json_extract(detail, '$.number') FROM audit
            WHERE action = 'letter.issue' AND json_extract(detail, '$.number') IS NOT NULL)",
    // an applied package without its signed `exchange.apply` entry
    "SELECT count(*) FROM (SELECT sha256 FROM exchange_packages
       EXCEPT SELECT json_extract(detail, '$.sha256') FROM audit WHERE action = 'exchange.apply')",
    // an `exchange.apply` entry without its package's row
    "SELECT count(*) FROM (SELECT json_extract(detail, '$.sha256') FROM audit
        WHERE action = 'exchange.apply'
       EXCEPT SELECT sha256 FROM exchange_packages)",
    // applied acts that no package row counts (or counted acts missing)
    "SELECT abs((SELECT count(*) FROM exchange_acts)
              - (SELECT COALESCE(sum(applied), 0) FROM exchange_packages))",
];

/// Every register number seen so far in one line of stores (a live store
/// and its backups): (year, seq) → the letter's hash. A number that comes
/// back with another letter was issued twice.
#[derive(Default)]
pub struct Ledger(HashMap<(i64, i64), String>);

impl Ledger {
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The register's numbers of one store: each year's numbers above the
/// floor a restore left (`meta.register_floor:<year>`, 0 when none) run
/// floor+1..max without a gap, no number twice, and none disagrees with
/// the ledger.
fn register_findings(store: &Store, what: &str, ledger: Option<&mut Ledger>) -> (u64, u64) {
    let rows: Vec<(i64, i64, String)> = {
        let mut st = store
            .conn()
            .prepare("SELECT year, seq, letter_hash FROM register ORDER BY year, seq")
            .expect("register query");
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("register rows");
        rows.collect::<Result<_, _>>().expect("register row")
    };
    let floors: HashMap<i64, i64> = {
        let mut st = store
            .conn()
            .prepare(
                "SELECT CAST(substr(key, 16) AS INTEGER), CAST(value AS INTEGER) FROM meta
                  WHERE key LIKE 'register_floor:%'",
            )
            .expect("floor query");
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("floor rows");
        rows.collect::<Result<_, _>>().expect("floor row")
    };
    let mut by_year: HashMap<i64, Vec<i64>> = HashMap::new();
    for (y, s, _) in &rows {
        by_year.entry(*y).or_default().push(*s);
    }
    let mut gaps = 0u64;
    for (year, seqs) in &by_year {
        let floor = floors.get(year).copied().unwrap_or(0);
        let mut distinct = seqs.clone();
        distinct.dedup();
        let twice = (seqs.len() - distinct.len()) as u64;
        let above: Vec<i64> = distinct.iter().copied().filter(|s| *s > floor).collect();
        let missing = match above.last() {
            Some(max) => (max - floor) as u64 - above.len() as u64,
            None => 0,
        };
        if twice + missing > 0 {
            eprintln!(
                "crash: {what}: {year}: {missing} numbers missing above the floor {floor}, \
                 {twice} twice: {seqs:?}"
            );
        }
        gaps += twice + missing;
    }
    let mut reused = 0u64;
    if let Some(ledger) = ledger {
        for (y, s, hash) in rows {
            match ledger.0.get(&(y, s)) {
                Some(h) if *h != hash => {
                    eprintln!("crash: {what}: number {y}/{s} issued twice ({h} and {hash})");
                    reused += 1;
                    // reported once: the later letter is the one now kept
                    ledger.0.insert((y, s), hash);
                }
                Some(_) => {}
                None => {
                    ledger.0.insert((y, s), hash);
                }
            }
        }
    }
    (gaps, reused)
}

/// Check one store the way a reviewer would after a crash (`check`, `audit
/// verify`, each under the deadline), then look for half-written work and
/// the register's numbers. Prints what it finds.
pub fn inspect(
    runner: &Runner,
    bin: impl Fn() -> Command,
    db: &Path,
    what: &str,
    ledger: Option<&mut Ledger>,
) -> Findings {
    let mut f = Findings::default();
    if !db.exists() {
        return f;
    }
    for args in [&["check", "--json"][..], &["audit", "verify"][..]] {
        let mut c = bin();
        c.arg("--db").arg(db).args(args);
        match runner.run(c) {
            End::Exited { code: Some(0), .. } => {}
            End::Hung { stderr } => {
                f.hung += 1;
                eprintln!(
                    "crash: {what}: `{}` on {} still running after {DEADLINE:?}, killed:\n{stderr}",
                    args.join(" "),
                    db.display()
                );
                return f;
            }
            other => {
                f.corrupt += 1;
                eprintln!(
                    "crash: {what}: store {} fails `{}` (exit {:?}):\n{}",
                    db.display(),
                    args.join(" "),
                    other.code(),
                    other.stderr()
                );
                return f;
            }
        }
    }
    let store = match open_store(db) {
        Ok(s) => s,
        Err(e) => {
            f.corrupt += 1;
            eprintln!("crash: {what}: cannot open {}: {e}", db.display());
            return f;
        }
    };
    for sql in PARTIAL {
        let n = count(&store, sql);
        if n > 0 {
            eprintln!("crash: {what}: {n} partial rows: {sql}");
        }
        f.partial += n;
    }
    let (gaps, reused) = register_findings(&store, what, ledger);
    f.number_gaps += gaps;
    f.reused += reused;
    f
}
