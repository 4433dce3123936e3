//! Files and folders the store, the engine and the shells write: private to
//! the person running the program and written whole. Every folder made here
//! is 0700, every file 0600 (on Unix; elsewhere the folder's ACL decides),
//! whatever the umask; a file reaches its final name only complete.
//!
//! The one helper for it: the engine's letter files, trust anchors and the
//! app's temporary letters folder use these too.

use std::path::Path;

use crate::{EngineError, Result};

fn io(p: &Path, e: std::io::Error) -> EngineError {
    EngineError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    }
}

/// Make `dir` and any missing parent, each new folder 0700. A folder that
/// exists is left as it is (it may be the person's own, e.g. an export
/// folder): see [`private_dir`] for a folder the program owns.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| io(dir, e))
}

/// A folder the program owns (backups, letters, certificates, the session's
/// temporary folder): made as [`create_private_dir`] does, and made 0700
/// when it already exists with a wider mode.
pub fn private_dir(dir: &Path) -> Result<()> {
    create_private_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(dir)
            .map_err(|e| io(dir, e))?
            .permissions();
        if perms.mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io(dir, e))?;
        }
    }
    Ok(())
}

/// Make the file at `path` 0600 (a file SQLite or a copy created with the
/// umask's mode). A file that does not exist is not an error.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o777 != 0o600 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| io(path, e))?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(path, e)),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// `bytes` written to `path` through a temporary file beside it (0600),
/// fsynced, then renamed (and the folder fsynced): a crash never leaves half
/// a file under the final name. Missing folders are made 0700.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_private_dir(parent)?;
    }
    let mut tmp_name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp).map_err(|e| io(&tmp, e))?;
        // a temporary file left by a crash keeps its old mode: set it
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| io(&tmp, e))?;
        }
        f.write_all(bytes).map_err(|e| io(&tmp, e))?;
        f.sync_all().map_err(|e| io(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
    sync_dir(path);
    Ok(())
}

/// fsync the folder holding `path`, so a rename survives a power cut.
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
    }

    #[test]
    fn files_are_0600_and_new_folders_0700_whatever_was_there() {
        let tmp = tempfile::tempdir().expect("tmp");
        let f = tmp.path().join("a/b/c.key");
        write_atomic(&f, b"x").expect("write");
        assert_eq!(mode(&f), 0o600);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&tmp.path().join("a/b")), 0o700);
        // a stale temporary file with a wide mode is tightened
        let stale = tmp.path().join("a/b/c.key.tmp");
        std::fs::write(&stale, b"old").expect("stale");
        std::fs::set_permissions(&stale, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&f, b"y").expect("again");
        assert_eq!(
            (mode(&f), std::fs::read(&f).expect("read")),
            (0o600, b"y".to_vec())
        );

        let open = tmp.path().join("open");
        std::fs::create_dir(&open).expect("dir");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        create_private_dir(&open).expect("exists");
        assert_eq!(mode(&open), 0o755, "someone else's folder is left alone");
        private_dir(&open).expect("own");
        assert_eq!(mode(&open), 0o700);

        let loose = tmp.path().join("loose");
        std::fs::write(&loose, b"z").expect("write");
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        make_private(&loose).expect("private");
        assert_eq!(mode(&loose), 0o600);
        make_private(&tmp.path().join("missing")).expect("a missing file is fine");
    }
}
