//! The isolated parser: workbooks are read in a separate, long-lived worker
//! process with an address-space limit, a CPU limit and a wall-clock timeout,
//! so a file that makes calamine abort or balloon cannot take down the app or
//! the batch. The worker is the host binary itself started with
//! [`WORKER_ARG`]: both the CLI and the app call [`maybe_run_worker`] first
//! thing in `main`.
//!
//! Protocol over the worker's stdin/stdout: frames of `u32 LE length + bytes`;
//! request = the workbook's bytes, response = `Result<Grid, ReadError>` in the
//! compact binary layout of `frame.rs`.

use std::io::{BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::frame;
use super::grid::Grid;
use super::reader::{self, ReadError};

/// First argument that turns a ReviewDesk binary into a parser worker.
pub const WORKER_ARG: &str = "__reviewdesk-parse-worker";

/// Address-space limit of a worker process.
pub const WORKER_MEMORY_BYTES: u64 = 1024 * 1024 * 1024;
/// Wall-clock limit for one workbook.
pub const WORKER_TIMEOUT: Duration = Duration::from_secs(15);

/// If this process was started as a parser worker, serve requests and exit.
/// Call at the very top of `main`.
pub fn maybe_run_worker() {
    let mut args = std::env::args();
    let _ = args.next();
    if args.next().as_deref() == Some(WORKER_ARG) {
        std::process::exit(run_worker());
    }
}

fn set_limits() {
    // SAFETY: setrlimit only reads the struct we pass.
    unsafe {
        let mem = libc::rlimit {
            rlim_cur: WORKER_MEMORY_BYTES as libc::rlim_t,
            rlim_max: WORKER_MEMORY_BYTES as libc::rlim_t,
        };
        libc::setrlimit(libc::RLIMIT_AS, &mem);
        // No core files from a deliberately contained crash.
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &zero);
    }
}

fn run_worker() -> i32 {
    set_limits();
    // Panics are answered as "damaged"; keep stderr quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut input = stdin.lock();
    let mut output = stdout.lock();
    loop {
        let Ok(request) = read_frame(&mut input) else {
            return 0; // parent closed the pipe: done
        };
        let result = std::panic::catch_unwind(|| reader::read_bytes(&request))
            .unwrap_or_else(|_| Err(ReadError::Damaged("解析器内部错误 / parser panic".into())));
        if write_frame(&mut output, &frame::encode(&result)).is_err() {
            return 0;
        }
    }
}

fn read_frame(r: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let n = u32::from_le_bytes(len) as usize;
    let mut buf = vec![0u8; n];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

fn write_frame(w: &mut impl Write, data: &[u8]) -> std::io::Result<()> {
    let n = u32::try_from(data.len()).map_err(std::io::Error::other)?;
    w.write_all(&n.to_le_bytes())?;
    w.write_all(data)?;
    w.flush()
}

/// How to start a worker: normally the current executable with [`WORKER_ARG`].
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

impl WorkerCommand {
    /// The running binary as its own worker (it must call [`maybe_run_worker`]).
    pub fn current_exe() -> std::io::Result<Self> {
        Ok(WorkerCommand {
            program: std::env::current_exe()?,
            args: vec![WORKER_ARG.to_string()],
        })
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    responses: Receiver<std::io::Result<Vec<u8>>>,
}

impl Worker {
    fn spawn(cmd: &WorkerCommand) -> std::io::Result<Worker> {
        let mut child = Command::new(&cmd.program)
            .args(&cmd.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("worker stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("worker stdout"))?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let frame = read_frame(&mut r);
                let stop = frame.is_err();
                if tx.send(frame).is_err() || stop {
                    break;
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            responses: rx,
        })
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A reusable, isolated parser. One worker process is kept alive between
/// files (a process spawn per file would cost more than parsing it) and
/// replaced when a file kills it.
pub struct ParserPool {
    cmd: WorkerCommand,
    worker: Mutex<Option<Worker>>,
    timeout: Duration,
}

impl ParserPool {
    pub fn new(cmd: WorkerCommand) -> Self {
        ParserPool {
            cmd,
            worker: Mutex::new(None),
            timeout: WORKER_TIMEOUT,
        }
    }

    /// Parse one workbook in the worker. Never panics, never aborts the caller.
    pub fn parse(&self, bytes: &[u8]) -> Result<Grid, ReadError> {
        self.start(bytes).finish()
    }

    /// Hand one workbook to a worker and return at once: the worker parses
    /// while the caller does other work; [`ParseJob::finish`] waits for the
    /// grid (`parse` is the two in a row; the import calls `parse` from its
    /// own feeding thread).
    /// One job holds its worker until it finishes; a second job started
    /// meanwhile gets a worker of its own. A job dropped unfinished kills
    /// its worker (a fresh one is started for the next file).
    pub fn start(&self, bytes: &[u8]) -> ParseJob<'_> {
        let state = match self.send(bytes) {
            Ok(worker) => JobState::Waiting {
                worker,
                deadline: Instant::now() + self.timeout,
            },
            Err(e) => JobState::Done(Err(e)),
        };
        ParseJob { pool: self, state }
    }

    /// The quick in-process checks, then the bytes written to a worker.
    fn send(&self, bytes: &[u8]) -> Result<Worker, ReadError> {
        // Cheap checks first, in-process: they touch no parser.
        reader::sniff_quick(bytes)?;
        let idle = match self.worker.lock() {
            Ok(mut g) => g.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        let spawn = || {
            Worker::spawn(&self.cmd).map_err(|e| {
                ReadError::Damaged(format!("无法启动解析进程 / cannot start parser: {e}"))
            })
        };
        let mut worker = match idle {
            Some(w) => w,
            None => spawn()?,
        };
        if write_frame(&mut worker.stdin, bytes).is_err() {
            // The old worker died between files: start a fresh one once.
            worker.kill();
            worker = spawn()?;
            if write_frame(&mut worker.stdin, bytes).is_err() {
                worker.kill();
                return Err(ReadError::ParserCrashed);
            }
        }
        Ok(worker)
    }

    /// A worker that answered is kept for the next file (one is enough;
    /// a spare is stopped).
    fn keep(&self, worker: Worker) {
        let mut guard = match self.worker.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if guard.is_none() {
            *guard = Some(worker);
        } else {
            drop(guard);
            worker.kill();
        }
    }
}

/// A workbook being parsed by a worker (see [`ParserPool::start`]).
pub struct ParseJob<'a> {
    pool: &'a ParserPool,
    state: JobState,
}

enum JobState {
    Done(Result<Grid, ReadError>),
    Waiting { worker: Worker, deadline: Instant },
    Finished,
}

impl ParseJob<'_> {
    /// Wait for the worker's answer (at most the pool's timeout from
    /// [`ParserPool::start`]). Never panics, never aborts the caller.
    pub fn finish(mut self) -> Result<Grid, ReadError> {
        match std::mem::replace(&mut self.state, JobState::Finished) {
            JobState::Done(r) => r,
            JobState::Finished => Err(ReadError::ParserCrashed),
            JobState::Waiting { worker, deadline } => {
                let left = deadline.saturating_duration_since(Instant::now());
                match worker.responses.recv_timeout(left) {
                    Ok(Ok(answer)) => match frame::decode(&answer) {
                        Some(result) => {
                            self.pool.keep(worker);
                            result
                        }
                        None => {
                            // Not a frame this binary writes: do not trust that worker.
                            worker.kill();
                            Err(ReadError::ParserCrashed)
                        }
                    },
                    Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                        worker.kill();
                        Err(ReadError::ParserCrashed)
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        worker.kill();
                        Err(ReadError::Timeout)
                    }
                }
            }
        }
    }
}

impl Drop for ParseJob<'_> {
    fn drop(&mut self) {
        if let JobState::Waiting { worker, .. } =
            std::mem::replace(&mut self.state, JobState::Finished)
        {
            worker.kill();
        }
    }
}

impl Drop for ParserPool {
    fn drop(&mut self) {
        if let Ok(mut g) = self.worker.lock() {
            if let Some(w) = g.take() {
                w.kill();
            }
        }
    }
}
