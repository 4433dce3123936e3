//! The sample round shipped inside the program (assets/samples), so a
//! newcomer can try the whole path without any other files. Imported, the
//! samples are recorded as received inside the round's application window
//! (sample dates, said so in the receipt's reason): the real clock may be
//! long past the window, and a receipt after it fails 逾期申报.

use std::path::{Path, PathBuf};

use crate::applications::import::ImportReport;
use crate::applications::receipt::{self, Receipt};
use crate::error::{EngineError, Result};
use crate::store::{Actor, Store};

/// The round the sample workbooks apply for.
pub const SAMPLE_ROUND: i32 = 2026;

/// Why the samples' receipt date is what it is.
pub const SAMPLE_RECEIPT_REASON: &str =
    "示例申报表：受理日期为示例日期（申报期首日） / sample workbooks: a sample receipt date (the day the window opens)";

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

/// The receipt of the sample round: the day the window of the round's
/// guide opens (the round's bound guide, else the shipped one).
pub fn sample_receipt(store: &Store) -> Result<Receipt> {
    let g = match crate::review::rounds::round_guide(store.conn(), SAMPLE_ROUND)? {
        Some((_, g)) => g,
        None => {
            crate::guide::builtin(SAMPLE_ROUND)
                .ok_or_else(|| {
                    EngineError::NotFound(format!(
                        "本程序没有 {SAMPLE_ROUND} 年度的申报指南 / no guide ships for round {SAMPLE_ROUND}"
                    ))
                })?
                .1
        }
    };
    Ok(Receipt {
        on: g.round.window_open,
        reason: Some(SAMPLE_RECEIPT_REASON.to_string()),
    })
}

/// Records the sample receipt date ([`sample_receipt`]) for the new
/// submissions of an import of the samples; returns how many were recorded.
pub fn record_receipts(store: &mut Store, actor: &Actor, report: &ImportReport) -> Result<usize> {
    let on = sample_receipt(store)?;
    receipt::record_imported(store, actor, report, &on)
}
