//! What the window's 公示与拨付 screen reads of the round's operations, in
//! one place: the notices published (with whether their period is still
//! running), the period a notice published on a given day would have and
//! how many approved decisions wait for one, the latest managed list of
//! each kind (file, hash, date, who) and the calendar years imported.
//! Read-only; every act stays in its module (`notice`, `lists`, `ledger`,
//! `calendar`, `clawback`).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::lists::ListKind;
use super::notice::NoticeEntry;
use crate::error::{EngineError, Result};

/// A published 公示 as the window lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticeSummary {
    pub number: String,
    pub from: String,
    pub until: String,
    pub working_days: u32,
    pub entries: Vec<NoticeEntry>,
    pub published_by: String,
    pub published_at: String,
    /// `running` while `today` is within the period, `ended` after it,
    /// `upcoming` before it starts.
    pub state: String,
}

/// The round's notices, oldest first, each with its state on `today`.
pub fn notices(conn: &Connection, year: i32, today: NaiveDate) -> Result<Vec<NoticeSummary>> {
    let mut st = conn.prepare(
        "SELECT number, from_date, until_date, working_days, entries, published_by, published_at
         FROM notices WHERE round_year = ?1 ORDER BY id",
    )?;
    let rows = st
        .query_map([year], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(number, from, until, working_days, entries, by, at)| {
            let entries: Vec<NoticeEntry> = serde_json::from_str(&entries)
                .map_err(|e| EngineError::Store(format!("notice {number} unreadable: {e}")))?;
            let state = match (day(&from), day(&until)) {
                (Some(f), _) if today < f => "upcoming",
                (_, Some(u)) if today > u => "ended",
                _ => "running",
            };
            Ok(NoticeSummary {
                number,
                from,
                until,
                working_days,
                entries,
                published_by: by,
                published_at: at,
                state: state.to_string(),
            })
        })
        .collect()
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// What publishing from `from` would do: the period from the calendar
/// (or why there is none) and how many approved decisions wait.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticePlan {
    pub from: Option<String>,
    pub until: Option<String>,
    pub working_days: u32,
    /// Approved (or issued) decisions not yet on a notice.
    pub pending: usize,
    /// Why no period can be computed (e.g. `calendar_missing`), both languages.
    pub problem: Option<String>,
}

/// The period a notice published on `from` would have, before publishing.
pub fn notice_plan(conn: &Connection, year: i32, from: NaiveDate) -> Result<NoticePlan> {
    let n = super::notice::guide_of(conn, year)?
        .round
        .notice_working_days;

    let pending = super::notice::approved(conn, year)?.len();
    let (from, until, problem) = match super::calendar::load(conn)?.period(from, n) {
        Ok((f, u)) => (Some(f.to_string()), Some(u.to_string()), None),
        Err(e) => (None, None, Some(e.to_string())),
    };
    Ok(NoticePlan {
        from,
        until,
        working_days: n,
        pending,
        problem,
    })
}

/// The latest list of one kind: what the next evaluation reads.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListSummary {
    /// `platforms`, `aiplus`, `blacklist`, `other-policy`.
    pub kind: String,
    pub file: Option<String>,
    pub hash: Option<String>,
    pub entries: usize,
    pub imported_by: Option<String>,
    pub imported_at: Option<String>,
}

/// Every kind of managed list of the round, with its latest import if any.
pub fn lists(conn: &Connection, year: i32) -> Result<Vec<ListSummary>> {
    ListKind::ALL
        .iter()
        .map(|k| {
            let row: Option<(String, String, String, String, String)> = conn
                .query_row(
                    "SELECT file_name, content_hash, entries, imported_by, imported_at
                     FROM round_lists WHERE round_year = ?1 AND kind = ?2
                     ORDER BY id DESC LIMIT 1",
                    params![year, k.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            Ok(match row {
                None => ListSummary {
                    kind: k.as_str().to_string(),
                    file: None,
                    hash: None,
                    entries: 0,
                    imported_by: None,
                    imported_at: None,
                },
                Some((file, hash, entries, by, at)) => {
                    let n = serde_json::from_str::<Vec<serde_json::Value>>(&entries)
                        .map(|v| v.len())
                        .unwrap_or(0);
                    ListSummary {
                        kind: k.as_str().to_string(),
                        file: Some(file),
                        hash: Some(hash),
                        entries: n,
                        imported_by: Some(by),
                        imported_at: Some(at),
                    }
                }
            })
        })
        .collect()
}

/// A year of the working-day calendar as imported.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarYearInfo {
    pub year: i32,
    pub holidays: usize,
    pub workdays: usize,
    pub source: Option<String>,
    pub imported_by: String,
    pub imported_at: String,
}

/// The years the working-day calendar covers.
pub fn calendar_years(conn: &Connection) -> Result<Vec<CalendarYearInfo>> {
    let mut st = conn.prepare(
        "SELECT year, holidays, workdays, source, imported_by, imported_at
         FROM calendar_years ORDER BY year",
    )?;
    let count = |s: String| s.split(',').filter(|p| !p.is_empty()).count();
    let rows = st
        .query_map([], |r| {
            Ok(CalendarYearInfo {
                year: r.get(0)?,
                holidays: count(r.get(1)?),
                workdays: count(r.get(2)?),
                source: r.get(3)?,
                imported_by: r.get(4)?,
                imported_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
