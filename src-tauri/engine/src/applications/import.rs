//! Import: files → (isolated parse) → extraction → a stored submission
//! version, all-or-nothing per file with its audit entry. A batch groups
//! files into one transaction (each file its own savepoint) so many files do
//! not cost one fsync each; a crash loses at most the group in flight, never
//! part of a file, and re-importing is harmless (content hash).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::intake::extract::{extract, Extraction, Issue, Severity};
use crate::intake::grid::Grid;
use crate::intake::reader::ReadError;
use crate::intake::worker::ParserPool;
use crate::store::{audit, now, Actor, Store};
use std::collections::{HashSet, VecDeque};
use std::sync::{mpsc, Arc};

/// Files committed per transaction in a batch.
const GROUP: usize = 50;

/// File extensions picked up when a folder is imported (explicitly named
/// files are always tried, whatever their name: the bytes decide).
const FOLDER_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "et"];

/// The outcome for one file (keys are the CLI contract, spec/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FileStatus {
    Ok,
    NeedsCorrection,
    Rejected,
    Duplicate,
}

/// One file's result.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileResult {
    pub path: String,
    pub status: FileStatus,
    pub credit_code: Option<String>,
    pub applicant: Option<String>,
    pub issues: Vec<Issue>,
    /// The stored submission (new, or the existing one for a duplicate).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub submission_id: Option<i64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub version: Option<i64>,
}

/// A batch's results, in the order the files were given.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    pub files: Vec<FileResult>,
    /// True when the batch was cancelled before every file was seen.
    pub cancelled: bool,
}

impl ImportReport {
    pub fn count(&self, s: FileStatus) -> usize {
        self.files.iter().filter(|f| f.status == s).count()
    }
    /// True when any file was rejected or needs correction.
    pub fn has_problems(&self) -> bool {
        self.files
            .iter()
            .any(|f| matches!(f.status, FileStatus::Rejected | FileStatus::NeedsCorrection))
    }
}

/// Progress callback: (files done, total, current file).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize, &Path);

/// Expand folders (recursively, sorted) into the files to import.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| FOLDER_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// Import files (folders are expanded). Years a workbook may declare are
/// those the program ships a guide for.
pub fn import_paths(
    store: &mut Store,
    parser: &ParserPool,
    paths: &[PathBuf],
    accepted_years: &[i32],
    actor: &Actor,
    progress: Progress<'_>,
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    let files = expand(paths);
    let cache_before = raise_cache(store.conn())?;
    // Pipelined on two cores: a thread keeps the worker parsing up to AHEAD
    // files ahead, in order, while this thread extracts and stores (and
    // commits, which waits for fsync). Worker limits, timeout and restart
    // are those of `ParserPool::parse`, unchanged.
    let (requests, to_parse) = mpsc::channel::<Arc<Vec<u8>>>();
    let (answers, parsed) = mpsc::channel::<std::result::Result<Grid, ReadError>>();
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            for bytes in to_parse {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if answers.send(parser.parse(&bytes)).is_err() {
                    break;
                }
            }
        });
        let mut ahead = Ahead {
            requests,
            parsed,
            queue: VecDeque::new(),
            next: 0,
            bytes: 0,
            in_flight: HashSet::new(),
        };
        let result = import_files(
            store,
            parser,
            &files,
            &mut ahead,
            accepted_years,
            actor,
            progress,
            cancel,
        );
        // The parse thread ends after the file it is parsing, if any.
        stop.store(true, Ordering::Relaxed);
        drop(ahead);
        result
    });
    // back to the store's own cache size (a failure leaves the larger
    // cache for this connection: only memory, never the data)
    let _ = store.conn().pragma_update(None, "cache_size", cache_before);
    result
}

/// SQLite's page cache during an import, in KiB (`PRAGMA cache_size` of
/// −32768: up to 32 MiB of pages, used only as the store grows). With the
/// default 2 MiB, index and audit pages evicted between files are read
/// again, and on an encrypted store every such read is a page decrypted and
/// its HMAC checked: with it the host's CPU per file on an encrypted store
/// rose 0.5 ms over a plain one; with this cache the two were equal
/// (import_bench, README's Performance section). SQLCipher's settings
/// (AES-256, HMAC-SHA512 per page, 4 KiB pages) are untouched.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

/// Raise the page cache for an import; what it was, to put back.
fn raise_cache(conn: &rusqlite::Connection) -> Result<i64> {
    let before: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    // a negative size is in KiB, a positive one in pages (4 KiB)
    let kib = if before < 0 { -before } else { before * 4 };
    if kib < IMPORT_CACHE_KIB {
        conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
    }
    Ok(before)
}

/// Files parsed ahead of the one being stored, and at most this many
/// bytes of them held in memory (at least one file is always staged).
const AHEAD: usize = 4;
const AHEAD_BYTES: usize = 64 * 1024 * 1024;

/// The files read, hashed and (unless known duplicates) sent to the parse
/// thread, in file order.
struct Ahead {
    requests: mpsc::Sender<Arc<Vec<u8>>>,
    parsed: mpsc::Receiver<std::result::Result<Grid, ReadError>>,
    queue: VecDeque<Staged>,
    /// Index of the next file to stage.
    next: usize,
    /// Bytes of the staged files.
    bytes: usize,
    /// Hashes of the files sent and not yet stored: a later file with the
    /// same bytes will be their duplicate and is not parsed.
    in_flight: HashSet<String>,
}

#[allow(clippy::too_many_arguments)]
fn import_files(
    store: &mut Store,
    parser: &ParserPool,
    files: &[PathBuf],
    ahead: &mut Ahead,
    accepted_years: &[i32],
    actor: &Actor,
    progress: Progress<'_>,
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let total = files.len();
    let mut report = ImportReport::default();
    let mut i = 0;
    while i < files.len() {
        let mut tx = store.batch()?;
        let end = (i + GROUP).min(files.len());
        for path in &files[i..end] {
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            progress(report.files.len(), total, path);
            while ahead.next < files.len()
                && (ahead.queue.is_empty()
                    || (ahead.queue.len() <= AHEAD && ahead.bytes < AHEAD_BYTES))
            {
                let staged = stage(&tx, &files[ahead.next], &mut *ahead)?;
                ahead.queue.push_back(staged);
                ahead.next += 1;
            }
            let staged = ahead.queue.pop_front().ok_or_else(|| {
                crate::error::EngineError::Store("import queue out of step".into())
            })?;
            let begun = begin(&tx, parser, path, staged, ahead)?;
            let r = match begun {
                Begun::Done(r) => r,
                Begun::Parsed { bytes, hash, grid } => {
                    store_one(&mut tx, path, &bytes, hash, grid, accepted_years, actor)?
                }
            };
            report.files.push(r);
        }
        tx.commit()?;
        if report.cancelled {
            break;
        }
        i = end;
    }
    progress(report.files.len(), total, Path::new(""));
    Ok(report)
}

fn file_issue(message: String, message_en: String) -> Issue {
    Issue {
        severity: Severity::Error,
        sheet: None,
        cell: None,
        field: None,
        found: None,
        expected: None,
        message,
        message_en,
    }
}

fn rejected(path: &Path, message: String, message_en: String) -> FileResult {
    FileResult {
        path: path.display().to_string(),
        status: FileStatus::Rejected,
        credit_code: None,
        applicant: None,
        issues: vec![file_issue(message, message_en)],
        submission_id: None,
        version: None,
    }
}

/// A file read and hashed, its parse perhaps already under way.
struct Staged {
    /// The bytes and their hex SHA-256, or the result of an unreadable file.
    read: std::result::Result<(Arc<Vec<u8>>, String), FileResult>,
    /// Sent to the parse thread (not when the file is already known to be
    /// a duplicate: then it is never parsed).
    sent: bool,
}

/// Read and hash `path`, and send it to be parsed unless its bytes are
/// stored already or are those of a file sent before it.
fn stage(conn: &rusqlite::Connection, path: &Path, ahead: &mut Ahead) -> Result<Staged> {
    let bytes = match std::fs::read(path) {
        Ok(b) => Arc::new(b),
        Err(e) => {
            return Ok(Staged {
                read: Err(rejected(
                    path,
                    format!("无法读取文件：{e}"),
                    format!("Cannot read the file: {e}"),
                )),
                sent: false,
            })
        }
    };
    let hash = hex::encode(Sha256::digest(bytes.as_slice()));
    let known = ahead.in_flight.contains(&hash) || stored_by_hash(conn, &hash)?.is_some();
    // A closed channel (the parse thread gone) leaves the file to be parsed
    // here when its turn comes.
    let sent = !known && ahead.requests.send(Arc::clone(&bytes)).is_ok();
    if sent {
        ahead.in_flight.insert(hash.clone());
    }
    ahead.bytes += bytes.len();
    Ok(Staged {
        read: Ok((bytes, hash)),
        sent,
    })
}

/// (submission id, version, credit code, applicant name)
type Existing = (i64, i64, Option<String>, Option<String>);

/// The first submission stored with these bytes.
fn stored_by_hash(conn: &rusqlite::Connection, hash: &str) -> Result<Option<Existing>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.id, s.version, a.credit_code, s.applicant_name
             FROM submissions s JOIN applicants a ON a.id = s.applicant_id
             WHERE s.file_hash = ?1 ORDER BY s.id LIMIT 1",
        )?
        .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?)
}

/// A file after its parse: either its final result (unreadable, duplicate,
/// rejected by the parser) or a grid to extract and store.
enum Begun {
    Done(FileResult),
    Parsed {
        bytes: Arc<Vec<u8>>,
        hash: String,
        grid: Grid,
    },
}

fn begin(
    conn: &rusqlite::Connection,
    parser: &ParserPool,
    path: &Path,
    staged: Staged,
    ahead: &mut Ahead,
) -> Result<Begun> {
    let (bytes, hash) = match staged.read {
        Ok(read) => read,
        Err(r) => return Ok(Begun::Done(r)),
    };
    ahead.bytes = ahead.bytes.saturating_sub(bytes.len());
    // Answers come in the order the files were sent: take this one's even
    // if it turns out not to be needed.
    let answer = if staged.sent {
        ahead.in_flight.remove(&hash);
        Some(ahead.parsed.recv().unwrap_or(Err(ReadError::ParserCrashed)))
    } else {
        None
    };
    // The very same file again changes nothing.
    if let Some((id, version, code, name)) = stored_by_hash(conn, &hash)? {
        return Ok(Begun::Done(FileResult {
            path: path.display().to_string(),
            status: FileStatus::Duplicate,
            credit_code: code,
            applicant: name,
            issues: vec![],
            submission_id: Some(id),
            version: Some(version),
        }));
    }
    // Not sent: a copy of a file that was then rejected; parse it now.
    let parsed = answer.unwrap_or_else(|| parser.parse(&bytes));
    Ok(match parsed {
        Ok(grid) => Begun::Parsed { bytes, hash, grid },
        Err(e) => Begun::Done(rejected(path, e.message_zh(), e.message_en())),
    })
}

/// Extract a parsed file and store it, all or nothing (one savepoint) with
/// its audit entry.
fn store_one(
    tx: &mut Transaction<'_>,
    path: &Path,
    bytes: &[u8],
    hash: String,
    grid: Grid,
    accepted_years: &[i32],
    actor: &Actor,
) -> Result<FileResult> {
    let display = path.display().to_string();
    let ex = extract(&grid, accepted_years);
    let status = if ex.has_errors() {
        FileStatus::NeedsCorrection
    } else {
        FileStatus::Ok
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| display.clone());
    let sp = tx.savepoint()?;
    let (submission_id, version) = store_submission(
        &sp,
        &ex,
        status,
        &hash,
        bytes,
        &file_name,
        &grid.format,
        actor,
    )?;
    let subject = subject_of(&ex, &hash);
    audit::append(
        &sp,
        actor,
        "submission.import",
        &subject,
        &serde_json::json!({
            "file": file_name,
            "sha256": hash,
            "status": status,
            "version": version,
            "submission": submission_id,
            "errors": ex.issues.iter().filter(|i| i.severity == Severity::Error).count(),
            "warnings": ex.issues.iter().filter(|i| i.severity == Severity::Warning).count(),
        }),
    )?;
    sp.commit()?;
    Ok(FileResult {
        path: display,
        status,
        credit_code: ex.credit_code.clone(),
        applicant: ex.applicant_name.clone(),
        issues: ex.issues,
        submission_id: Some(submission_id),
        version: Some(version),
    })
}

/// The audit subject of an applicant: its credit code, or its provisional key.
pub fn subject_of(ex: &Extraction, hash: &str) -> String {
    match &ex.credit_code {
        Some(c) => c.clone(),
        None => provisional_key(ex, hash),
    }
}

fn provisional_key(ex: &Extraction, hash: &str) -> String {
    format!(
        "provisional:{}#{}",
        ex.applicant_name.as_deref().unwrap_or("未具名"),
        &hash[..12]
    )
}

#[allow(clippy::too_many_arguments)]
fn store_submission(
    tx: &rusqlite::Connection,
    ex: &Extraction,
    status: FileStatus,
    hash: &str,
    bytes: &[u8],
    file_name: &str,
    format: &str,
    actor: &Actor,
) -> Result<(i64, i64)> {
    let at = now();
    crate::store::put_blob_hashed(tx, hash, bytes)?;
    let applicant_id = applicant_for(tx, ex, hash, &at)?;
    let version: i64 = tx
        .prepare_cached(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM submissions
             WHERE applicant_id = ?1 AND round_year IS ?2",
        )?
        .query_row(params![applicant_id, ex.year], |r| r.get(0))?;
    let mut clauses: Vec<&str> = ex.projects.iter().map(|p| p.clause.as_str()).collect();
    clauses.sort_unstable();
    clauses.dedup();
    let district = ex
        .fields
        .iter()
        .find(|f| f.key == "注册区县")
        .map(|f| f.raw.trim().to_string());
    let errors = ex
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count() as i64;
    let warnings = ex.issues.len() as i64 - errors;
    let status_text = match status {
        FileStatus::NeedsCorrection => "needs_correction",
        _ => "ok",
    };
    let extraction = serde_json::to_string(ex)
        .map_err(|e| crate::error::EngineError::Store(format!("serialise extraction: {e}")))?;
    let clauses_json = serde_json::to_string(&clauses)
        .map_err(|e| crate::error::EngineError::Store(format!("serialise clauses: {e}")))?;
    tx.prepare_cached(
        "INSERT INTO submissions(applicant_id, round_year, version, file_name, file_hash, format,
            status, applicant_name, district, clauses, error_count, warning_count, extraction,
            imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        applicant_id,
        ex.year,
        version,
        file_name,
        hash,
        format,
        status_text,
        ex.applicant_name,
        district,
        clauses_json,
        errors,
        warnings,
        extraction,
        at,
        actor.0
    ])?;
    let submission_id = tx.last_insert_rowid();
    // The round a workbook declares exists from its first import, bound to
    // the guide that ships for that year. Checked by a lookup: parsing the
    // guide (twice) for every file cost more than the rest of the import.
    if let Some(year) = ex.year {
        if !crate::review::rounds::round_exists(tx, year)? && crate::guide::builtin(year).is_some()
        {
            crate::review::rounds::ensure_round(tx, year)?;
        }
    }
    Ok((submission_id, version))
}

/// The applicant a workbook belongs to: found by its credit code (its name
/// updated to the workbook's), else created; a workbook without a valid
/// code gets a new provisional applicant.
fn applicant_for(tx: &rusqlite::Connection, ex: &Extraction, hash: &str, at: &str) -> Result<i64> {
    Ok(match &ex.credit_code {
        Some(code) => {
            let found: Option<i64> = tx
                .prepare_cached("SELECT id FROM applicants WHERE credit_code = ?1")?
                .query_row([code], |r| r.get(0))
                .optional()?;
            match found {
                Some(id) => {
                    tx.prepare_cached("UPDATE applicants SET name = ?2 WHERE id = ?1")?
                        .execute(params![id, ex.applicant_name])?;
                    id
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO applicants(credit_code, name, created_at) VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![code, ex.applicant_name, at])?;
                    tx.last_insert_rowid()
                }
            }
        }
        None => {
            tx.execute(
                "INSERT INTO applicants(provisional_key, name, created_at) VALUES (?1, ?2, ?3)",
                params![provisional_key(ex, hash), ex.applicant_name, at],
            )?;
            tx.last_insert_rowid()
        }
    })
}

/// Map a read error to the one issue a rejected file carries (for callers
/// that parse outside `import_paths`).
pub fn read_error_issue(e: &ReadError) -> Issue {
    file_issue(e.message_zh(), e.message_en())
}

/// Provisional identities moved to `provisional`; these are the paths the
/// shells have always used.
pub use crate::applications::provisional::{
    link_provisional, link_suggestions, LinkOutcome, LinkSuggestion,
};
