//! The sample round shipped inside the program (assets/samples), so a
//! newcomer can try the whole path without any other files.

use std::path::{Path, PathBuf};

use crate::error::Result;

/// (file name, bytes) of each sample workbook.
pub const SAMPLES: &[(&str, &[u8])] = &[
    (
        "01-supply-clean.xlsx",
        include_bytes!("../../../../assets/samples/01-supply-clean.xlsx"),
    ),
    (
        "02-rnd-two-clauses.xlsx",
        include_bytes!("../../../../assets/samples/02-rnd-two-clauses.xlsx"),
    ),
    (
        "03-consume-merged-header.xlsx",
        include_bytes!("../../../../assets/samples/03-consume-merged-header.xlsx"),
    ),
    (
        "04-aiplus-reordered.xlsx",
        include_bytes!("../../../../assets/samples/04-aiplus-reordered.xlsx"),
    ),
    (
        "05-not-yuzhong.xlsx",
        include_bytes!("../../../../assets/samples/05-not-yuzhong.xlsx"),
    ),
    (
        "06-errors.xlsx",
        include_bytes!("../../../../assets/samples/06-errors.xlsx"),
    ),
    (
        "07-supply-legacy.xls",
        include_bytes!("../../../../assets/samples/07-supply-legacy.xls"),
    ),
    (
        "08-consume-libreoffice.ods",
        include_bytes!("../../../../assets/samples/08-consume-libreoffice.ods"),
    ),
];

/// Write the samples into `dir` (created 0700 if needed; each file 0600,
/// written whole) and return their paths, in order.
pub fn write_samples(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for (name, bytes) in SAMPLES {
        let p = dir.join(name);
        crate::store::write_atomic(&p, bytes)?;
        out.push(p);
    }
    Ok(out)
}
