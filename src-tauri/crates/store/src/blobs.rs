//! Content-addressed blobs: workbooks, evidence files, signed letters.

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// Keep `bytes` content-addressed in `blobs` (once per content) and return
/// their SHA-256 hex: original workbooks, evidence files, signed letters.
pub fn put_blob(conn: &Connection, bytes: &[u8]) -> Result<String> {
    use sha2::Digest;
    let hash = hex::encode(sha2::Sha256::digest(bytes));
    put_blob_hashed(conn, &hash, bytes)?;
    Ok(hash)
}

/// [`put_blob`] for a caller that has just computed `hash` = hex SHA-256 of
/// `bytes` itself (the import hashes every file once, for the duplicate
/// check, and must not pay for it twice).
pub fn put_blob_hashed(conn: &Connection, hash: &str, bytes: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO blobs(hash, size, bytes) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![hash, bytes.len() as i64, bytes])?;
    Ok(())
}

/// The bytes kept under `hash`, if any.
pub fn get_blob(conn: &Connection, hash: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT bytes FROM blobs WHERE hash = ?1", [hash], |r| {
            r.get(0)
        })
        .optional()?)
}
