//! Where a live store may live: not on a network share (SQLite's locks and
//! fsync do not hold there); a removable drive gets a warning.

use std::path::Path;

use crate::{EngineError, Result};

/// Filesystems the live store may not live on: network shares lose
/// SQLite's locks and fsync guarantees (a second laptop could write at the
/// same time; a dropped connection tears pages).
const NETWORK_FILESYSTEMS: &[(i64, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x0102_1997, "9P"),
    (0x5346_414F, "AFS"),
    (0x7375_7245, "Coda"),
    (0x564C, "NCP"),
    (0x0BD0_0BD0, "Lustre"),
    (0x4750_4653, "GPFS"),
    (0x1973_0508, "CephFS (legacy)"),
    (0x00C3_6400, "CephFS"),
];

/// The name of the network filesystem magic `f_type` stands for, if any.
pub(crate) fn network_filesystem(f_type: i64) -> Option<&'static str> {
    NETWORK_FILESYSTEMS
        .iter()
        .find(|(m, _)| *m == f_type)
        .map(|(_, n)| *n)
}

/// Refuse a live store on a network share. Returns a warning to show for a
/// removable drive (a lost USB stick is a lost store: keep backups).
pub fn check_location(db: &Path) -> Result<Option<String>> {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The nearest existing ancestor tells where the file will be.
    let mut probe = dir.to_path_buf();
    while !probe.exists() {
        if !probe.pop() {
            return Ok(None);
        }
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(probe.as_os_str().as_bytes())
            .map_err(|_| EngineError::Invalid(format!("{}: NUL in path", probe.display())))?;
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `c` is a valid NUL-terminated path and `st` a writable
        // statfs the call fills in.
        if unsafe { libc::statfs(c.as_ptr(), &mut st) } == 0 {
            #[allow(clippy::unnecessary_cast)]
            if let Some(fs) = network_filesystem(st.f_type as i64) {
                return Err(EngineError::Invalid(format!(
                    "数据库不能放在网络共享（{fs}）上：{}。请放在本机磁盘，备份可以放在网络共享上 / the live store may not be on a network share ({fs}); keep it on a local disk (backups may go to a share)",
                    db.display()
                )));
            }
        }
    }
    let s = dir.to_string_lossy();
    if s.starts_with("/media/") || s.starts_with("/run/media/") {
        return Ok(Some(format!(
            "数据库位于可移动磁盘上（{}）：拔出或丢失即无法使用，请定期备份到本机以外 / the store is on a removable drive: back it up elsewhere regularly",
            db.display()
        )));
    }
    Ok(None)
}
