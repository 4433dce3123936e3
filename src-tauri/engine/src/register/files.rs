//! Letter files. The signed bytes in the (encrypted) store are the letter;
//! a file is written only when a person opens, prints or exports letters,
//! and never into the data folder:
//! - exported or issued from the command line: into the folder the person
//!   names ([`write_letter_in`]);
//! - opened or printed in the app: into this session's temporary folder
//!   ([`Session`]: `reviewdesk-session-<pid>-<n>` under `$XDG_RUNTIME_DIR`
//!   or the system's temporary folder, made 0700 at first use, removed when
//!   the app closes; folders left by sessions whose process is gone are
//!   swept at the next start, [`sweep`]).
//!
//! Every file is written whole and 0600 (`store::write_atomic`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{write_atomic, RegisterError};

/// Characters no file system takes in a file name.
const UNSAFE: &str = "/\\:*?\"<>|";

/// The start of every session folder's name.
const SESSION_PREFIX: &str = "reviewdesk-session-";

/// The file name of letter `number`: the number with characters no file
/// system accepts replaced by `_`, and `.pdf`.
pub fn file_name(number: &str) -> String {
    format!("{}.pdf", safe(number))
}

fn safe(number: &str) -> String {
    number
        .chars()
        .map(|c| if UNSAFE.contains(c) { '_' } else { c })
        .collect()
}

/// Write `pdf` as letter `number` in the folder `dir` (0600; written
/// atomically, and only when the file there is missing or differs).
/// Returns the file.
pub fn write_letter_in(dir: &Path, number: &str, pdf: &[u8]) -> Result<PathBuf, RegisterError> {
    let path = dir.join(file_name(number));
    if std::fs::read(&path).ok().as_deref() != Some(pdf) {
        write_atomic(&path, pdf)?;
    }
    Ok(path)
}

/// The file name of a print copy of `numbers` made at `stamp`
/// (e.g. `20261126-093000`): the number for one letter, the count for more.
pub fn print_file_name(numbers: &[String], stamp: &str) -> String {
    match numbers {
        [one] => format!("打印-{}-{stamp}.pdf", safe(one)),
        _ => format!("打印-{}份-{stamp}.pdf", numbers.len()),
    }
}

/// Write a print copy of `numbers` into the folder `dir` (0600). Returns
/// the file.
pub fn write_print_copy(
    dir: &Path,
    numbers: &[String],
    stamp: &str,
    pdf: &[u8],
) -> Result<PathBuf, RegisterError> {
    let path = dir.join(print_file_name(numbers, stamp));
    write_atomic(&path, pdf)?;
    Ok(path)
}

/// Where session folders are made: `$XDG_RUNTIME_DIR` (a per-user tmpfs,
/// 0700, emptied at logout) when it is set and a folder, else the system's
/// temporary folder.
pub fn temp_base() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute() && d.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

/// This process's temporary letters folder, made at first use.
pub struct Session {
    dir: Mutex<Option<PathBuf>>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub const fn new() -> Session {
        Session {
            dir: Mutex::new(None),
        }
    }

    /// The session's folder under `base`, made now if this session has none
    /// yet: a new folder (never one that existed: another user cannot hand
    /// us theirs), 0700.
    pub fn dir_in(&self, base: &Path) -> Result<PathBuf, RegisterError> {
        let mut dir = self.dir.lock().map_err(|_| RegisterError::Interrupted)?;
        if let Some(d) = dir.as_ref().filter(|d| d.is_dir()) {
            return Ok(d.clone());
        }
        let made = new_session_dir(base)?;
        *dir = Some(made.clone());
        Ok(made)
    }

    /// The session's folder under [`temp_base`].
    pub fn dir(&self) -> Result<PathBuf, RegisterError> {
        self.dir_in(&temp_base())
    }

    /// The folder, when this session has made one.
    pub fn current(&self) -> Option<PathBuf> {
        self.dir.lock().ok().and_then(|d| d.clone())
    }

    /// Remove the session's folder and every file in it (the app closes).
    pub fn remove(&self) -> Result<(), RegisterError> {
        let Ok(mut dir) = self.dir.lock() else {
            return Err(RegisterError::Interrupted);
        };
        if let Some(d) = dir.take() {
            match std::fs::remove_dir_all(&d) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(RegisterError::Write {
                        path: d.display().to_string(),
                        reason: format!(
                            "无法删除临时文件夹 / cannot remove the temporary folder: {e}"
                        ),
                    })
                }
            }
        }
        Ok(())
    }
}

fn new_session_dir(base: &Path) -> Result<PathBuf, RegisterError> {
    let write_err = |p: &Path, e: std::io::Error| RegisterError::Write {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    crate::store::create_private_dir(base).map_err(|e| RegisterError::Write {
        path: base.display().to_string(),
        reason: e.to_string(),
    })?;
    let pid = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last = None;
    for n in 0..16u32 {
        let dir = base.join(format!("{SESSION_PREFIX}{pid}-{}", nanos.wrapping_add(n)));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        match b.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(write_err(&dir, e)),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::other("no free name"));
    Err(write_err(base, e))
}

/// The process id a session folder's name carries.
fn session_pid(name: &str) -> Option<u32> {
    name.strip_prefix(SESSION_PREFIX)?
        .split('-')
        .next()?
        .parse()
        .ok()
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing; it only asks whether the
    // process exists (EPERM: it does, and belongs to someone else).
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(unix)]
fn ours(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn ours(_meta: &std::fs::Metadata) -> bool {
    true
}

/// Remove the session folders under `base` left by processes that are gone
/// (a crash, a kill): only folders, only ours, never this process's.
/// Returns the folders removed; one that cannot be removed is skipped.
pub fn sweep(base: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let me = std::process::id();
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(session_pid) else {
            continue;
        };
        let path = e.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_dir() || !ours(&meta) || pid == me || process_alive(pid) {
            continue;
        }
        if std::fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
    }

    #[test]
    fn a_letter_file_is_named_by_its_number_and_written_whole() {
        let tmp = tempfile::tempdir().expect("tmp");
        assert_eq!(
            file_name("渝中大数据发〔2026〕12号"),
            "渝中大数据发〔2026〕12号.pdf"
        );
        assert_eq!(file_name("a/b\\c:d"), "a_b_c_d.pdf");
        let out = tmp.path().join("chosen");
        let written = write_letter_in(&out, "a/b", b"%PDF-1").expect("write");
        assert_eq!(written, out.join("a_b.pdf"));
        assert_eq!(std::fs::read(&written).expect("read"), b"%PDF-1");
        write_letter_in(&out, "a/b", b"%PDF-2").expect("again");
        assert_eq!(std::fs::read(&written).expect("read"), b"%PDF-2");
        #[cfg(unix)]
        assert_eq!(mode(&written), 0o600);
        let names: Vec<_> = std::fs::read_dir(&out)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");

        let one = ["渝中大数据发〔2026〕1号".to_string()];
        let p = write_print_copy(&out, &one, "20261126-093000", b"x").expect("print");
        assert_eq!(
            p,
            out.join("打印-渝中大数据发〔2026〕1号-20261126-093000.pdf")
        );
        assert_eq!(
            print_file_name(&[one[0].clone(), "b".into()], "s"),
            "打印-2份-s.pdf"
        );
    }

    #[test]
    fn a_write_that_cannot_happen_says_where() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("letters"), b"a file, not a folder").expect("write");
        let e =
            write_letter_in(&tmp.path().join("letters"), "n", b"x").expect_err("letters is a file");
        assert_eq!(e.code(), "io");
        assert!(e.to_string().contains("letters"), "{e}");
    }

    #[test]
    fn a_session_folder_is_private_new_and_removed_at_the_end() {
        let tmp = tempfile::tempdir().expect("tmp");
        let s = Session::new();
        assert_eq!(s.current(), None, "nothing is made before first use");
        let d = s.dir_in(tmp.path()).expect("dir");
        assert_eq!(s.dir_in(tmp.path()).expect("again"), d, "one per session");
        assert_eq!(
            session_pid(&d.file_name().expect("name").to_string_lossy()),
            Some(std::process::id())
        );
        let f = write_letter_in(&d, "1号", b"%PDF").expect("write");
        #[cfg(unix)]
        assert_eq!((mode(&d), mode(&f)), (0o700, 0o600));
        // a second session never takes the first one's folder
        let other = Session::new();
        assert_ne!(other.dir_in(tmp.path()).expect("other"), d);
        other.remove().expect("remove other");
        s.remove().expect("remove");
        assert!(!d.exists() && !f.exists());
        assert_eq!(s.current(), None);
        s.remove().expect("removing twice is fine");
    }

    #[cfg(unix)]
    #[test]
    fn folders_of_sessions_that_are_gone_are_swept_and_live_ones_kept() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let gone = child.id();
        child.wait().expect("wait");
        let dead = tmp.path().join(format!("{SESSION_PREFIX}{gone}-1"));
        std::fs::create_dir(&dead).expect("dead");
        std::fs::write(dead.join("x.pdf"), b"%PDF").expect("file");
        let live = Session::new();
        let mine = live.dir_in(tmp.path()).expect("mine");
        let unrelated = tmp.path().join("reviewdesk-other");
        std::fs::create_dir(&unrelated).expect("unrelated");
        let removed = sweep(tmp.path());
        assert_eq!(removed, vec![dead.clone()]);
        assert!(!dead.exists() && mine.exists() && unrelated.exists());
        live.remove().expect("remove");
    }
}
