//! The letter writer every letter is drawn with: official fonts preferred,
//! and the bureau's seal image when the store has one configured (else the
//! demo seal, 测试样章). Both shells build it here, so a letter printed from
//! the command line looks like the one the app issues.

use std::sync::{Arc, Mutex};

use super::RegisterError;
use crate::letters::{FontPolicy, LetterError, LetterWriter};
use crate::store::Store;

/// The fonts letters are drawn with.
pub const FONT_POLICY: FontPolicy = FontPolicy::PreferOfficial;

/// A writer drawing `seal_png` where the seal goes (`None`: the demo seal).
pub fn build_writer(seal_png: Option<&[u8]>) -> Result<LetterWriter, LetterError> {
    let w = LetterWriter::new(FONT_POLICY)?;
    match seal_png {
        Some(png) => w.with_seal_png(png),
        None => Ok(w),
    }
}

/// The writer for letters from `store`: with its bureau seal image if one
/// is configured.
pub fn writer(store: &Store) -> Result<LetterWriter, RegisterError> {
    let seal = crate::register::bureau_seal::get(store)?;
    Ok(build_writer(seal.as_ref().map(|(_, png)| png.as_slice()))?)
}

/// The writer for letters signed with a seal certificate: a TEST ONLY seal
/// makes a test letter, never drawn with the bureau's seal image (the demo
/// seal, 测试样章); a real seal gets the configured image.
pub fn writer_for_seal(store: &Store, test_seal: bool) -> Result<LetterWriter, RegisterError> {
    if test_seal {
        Ok(build_writer(None)?)
    } else {
        writer(store)
    }
}

/// The configured seal: its hash and PNG bytes (what [`WriterCache::get`] takes).
pub type Seal = Option<(String, Vec<u8>)>;

/// One writer kept for a whole session (fonts take hundreds of ms per face
/// to parse), made again only when the seal image changes.
pub struct WriterCache {
    slot: Mutex<Option<(Option<String>, Arc<LetterWriter>)>>,
}

impl Default for WriterCache {
    fn default() -> Self {
        Self::new()
    }
}

impl WriterCache {
    pub const fn new() -> Self {
        WriterCache {
            slot: Mutex::new(None),
        }
    }

    /// The writer for `seal` (from [`crate::register::bureau_seal::get`]): the kept one
    /// when the seal is the same, else a new one, kept.
    pub fn get(&self, seal: Seal) -> Result<Arc<LetterWriter>, RegisterError> {
        let hash = seal.as_ref().map(|(h, _)| h.clone());
        let mut slot = self.slot.lock().map_err(|_| RegisterError::Interrupted)?;
        if let Some((cached, w)) = slot.as_ref() {
            if *cached == hash {
                return Ok(w.clone());
            }
        }
        let w = Arc::new(build_writer(seal.as_ref().map(|(_, png)| png.as_slice()))?);
        *slot = Some((hash, w.clone()));
        Ok(w)
    }
}
