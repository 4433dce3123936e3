//! The receipt date (受理日期) of a workbook: when the bureau received it,
//! which the application window applies to. Recorded for every file of an
//! import (default: today); a date before today needs a reason (e.g. 邮寄，
//! 以邮戳日期为准), a date after today is refused. A corrected version keeps
//! the first version's receipt date. Kept as recorded: never updated.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::store::{now, Actor, Store};

/// A receipt date as given on the command line, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub on: NaiveDate,
    pub reason: Option<String>,
}

impl Receipt {
    /// Checks `on` against `today`: not in the future; before today only
    /// with a reason.
    pub fn new(on: NaiveDate, reason: Option<&str>, today: NaiveDate) -> Result<Receipt> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if on > today {
            return Err(EngineError::coded(
                "received_in_future",
                format!("受理日期 {on} 晚于今天 {today}"),
                format!("the receipt date {on} is after today ({today})"),
            ));
        }
        if on < today && reason.is_none() {
            return Err(EngineError::coded(
                "reason_required",
                format!("受理日期 {on} 早于今天：请用 --reason 写明原因（如：邮寄，以邮戳日期为准）"),
                format!("the receipt date {on} is before today: give the reason with --reason (e.g. posted, the postmark's date)"),
            ));
        }
        Ok(Receipt {
            on,
            reason: reason.map(str::to_string),
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str, reason: Option<&str>, today: NaiveDate) -> Result<Receipt> {
        let on = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            EngineError::coded(
                "invalid_date",
                format!("受理日期「{text}」应为 YYYY-MM-DD"),
                format!("the receipt date “{text}” must be YYYY-MM-DD"),
            )
        })?;
        Receipt::new(on, reason, today)
    }
}

/// What the store keeps for a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptRecord {
    pub received_on: String,
    pub reason: Option<String>,
}

/// The first version of the submission's applicant in its round, if this is
/// a later one.
fn first_version(conn: &Connection, submission_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT f.id FROM submissions s JOIN submissions f
               ON f.applicant_id = s.applicant_id AND f.round_year = s.round_year
             WHERE s.id = ?1 AND f.id <> s.id ORDER BY f.version, f.id LIMIT 1",
            [submission_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The receipt of a submission, if recorded.
pub fn receipt_of(conn: &Connection, submission_id: i64) -> Result<Option<ReceiptRecord>> {
    Ok(conn
        .query_row(
            "SELECT received_on, reason FROM receipts WHERE submission_id = ?1",
            [submission_id],
            |r| {
                Ok(ReceiptRecord {
                    received_on: r.get(0)?,
                    reason: r.get(1)?,
                })
            },
        )
        .optional()?)
}

/// Records `receipt` for the submissions an import added (every file of
/// `report` but the duplicates): what the CLI, the window and the sample
/// round call after importing.
pub fn record_imported(
    store: &mut Store,
    actor: &Actor,
    report: &crate::applications::import::ImportReport,
    receipt: &Receipt,
) -> Result<usize> {
    use crate::applications::import::FileStatus;
    let ids: Vec<i64> = report
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Duplicate)
        .filter_map(|f| f.submission_id)
        .collect();
    record(store, actor, &ids, receipt)
}

/// Records `receipt` for the new submissions `ids` (one audited change): a
/// corrected version takes its first version's recorded date instead; a
/// submission that already has a receipt (a duplicate) keeps it.
pub fn record(store: &mut Store, actor: &Actor, ids: &[i64], receipt: &Receipt) -> Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let on = receipt.on.format("%Y-%m-%d").to_string();
    store.change(actor, "submission.receipt", "receipts", |tx| {
        let mut n = 0;
        for &id in ids {
            if receipt_of(tx, id)?.is_some() {
                continue;
            }
            let first = match first_version(tx, id)? {
                Some(f) => receipt_of(tx, f)?,
                None => None,
            };
            let (date, reason) = match first {
                Some(r) => (
                    r.received_on,
                    Some("同首次申报的受理日期 / the first version's receipt date".to_string()),
                ),
                None => (on.clone(), receipt.reason.clone()),
            };
            tx.execute(
                "INSERT INTO receipts(submission_id, received_on, reason, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, date, reason, actor.0, now()],
            )?;
            n += 1;
        }
        Ok((
            n,
            serde_json::json!({ "submissions": ids, "received_on": on, "reason": receipt.reason }),
        ))
    })
}
