//! Where the workstation keeps its data: `$REVIEWDESK_DATA_DIR` if set (tests,
//! portable installs), else the user's data directory
//! (`~/.local/share/reviewdesk` on Linux, `%APPDATA%\reviewdesk` on Windows).

use std::path::PathBuf;

/// The data directory.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("REVIEWDESK_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("reviewdesk")
}

/// The store inside the data directory.
pub fn default_db_path() -> PathBuf {
    data_dir().join("reviewdesk.db")
}
