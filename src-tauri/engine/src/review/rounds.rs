//! Rounds and the guide each is bound to: a round is created from the
//! shipped guide on first use and from then on read back from the store by
//! the guide's content hash (`ensure_round`, `round_guide`); an edited guide
//! may replace it until the round's first decision (`preview_guide`,
//! `bind_guide`). Also the two lookups every review step starts from: an
//! applicant by credit code and its latest submission in a round.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::{self, Guide};
use crate::intake::extract::Extraction;
use crate::store::{now, Actor, Store};

/// The guide a round is bound to: created from the shipped guide on first
/// use, then always read back from the store by its hash, so a new program
/// version never changes an existing round's rules.
pub fn ensure_round(conn: &Connection, year: i32) -> Result<(String, Guide)> {
    if let Some(found) = round_guide(conn, year)? {
        return Ok(found);
    }
    let (text, g) = guide::builtin(year).ok_or_else(|| {
        EngineError::NotFound(format!(
            "本程序没有 {year} 年度的申报指南 / no guide ships for round {year}"
        ))
    })?;
    let hash = guide::content_hash(text);
    conn.execute(
        "INSERT OR IGNORE INTO guides(hash, text, loaded_at) VALUES (?1, ?2, ?3)",
        params![hash, text, now()],
    )?;
    conn.execute(
        "INSERT INTO rounds(year, guide_hash, created_at) VALUES (?1, ?2, ?3)",
        params![year, hash, now()],
    )?;
    Ok((hash, g))
}

/// Whether the round of `year` exists (no guide is read).
pub fn round_exists(conn: &Connection, year: i32) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM rounds WHERE year = ?1")?
        .exists([year])?)
}

/// The round's guide (hash and exact text), if the round exists.
fn round_guide_text(conn: &Connection, year: i32) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT g.hash, g.text FROM rounds r JOIN guides g ON g.hash = r.guide_hash WHERE r.year = ?1",
            [year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The round's guide, if the round exists.
pub fn round_guide(conn: &Connection, year: i32) -> Result<Option<(String, Guide)>> {
    match round_guide_text(conn, year)? {
        None => Ok(None),
        Some((hash, text)) => {
            let g = guide::load_guide(&text).map_err(|p| guide::problems_error(&p))?;
            Ok(Some((hash, g)))
        }
    }
}

/// An applicant's id and the round of its latest submission.
pub(crate) fn applicant(conn: &Connection, credit_code: &str) -> Result<(i64, i32)> {
    let code = credit_code.trim().to_ascii_uppercase();
    let row: Option<(i64, Option<i32>)> = conn
        .query_row(
            "SELECT a.id, s.round_year FROM applicants a JOIN submissions s ON s.applicant_id = a.id
             WHERE a.credit_code = ?1 ORDER BY s.round_year DESC, s.version DESC LIMIT 1",
            [&code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((id, Some(year))) => Ok((id, year)),
        Some((_, None)) => Err(EngineError::Invalid(format!(
            "{code} 的申报表没有有效的申报年度 / {code}'s workbook has no valid round year"
        ))),
        None => Err(EngineError::NotFound(format!(
            "没有统一社会信用代码为 {code} 的申报单位 / no applicant with credit code {code}"
        ))),
    }
}

pub(crate) fn latest_submission(
    conn: &Connection,
    applicant_id: i64,
    year: i32,
) -> Result<(i64, Extraction)> {
    let (id, json): (i64, String) = conn.query_row(
        "SELECT id, extraction FROM submissions WHERE applicant_id = ?1 AND round_year = ?2
         ORDER BY version DESC LIMIT 1",
        params![applicant_id, year],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let ex = serde_json::from_str(&json)
        .map_err(|e| EngineError::Store(format!("submission {id} unreadable: {e}")))?;
    Ok((id, ex))
}

/// A round and the guide it is bound to, for the reviewer's settings.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundGuide {
    pub year: i32,
    /// The guide's content hash.
    pub guide: String,
    pub title: String,
    /// When this version was first loaded into the store.
    pub loaded_at: String,
    /// Decisions recorded in the round; from the first one the guide is fixed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub decisions: i64,
    pub can_change: bool,
    /// The guide file's exact text, comments included.
    pub text: String,
}

/// Every round with its guide, newest round first.
pub fn round_guides(conn: &Connection) -> Result<Vec<RoundGuide>> {
    let mut st = conn.prepare(
        "SELECT r.year, g.hash, g.text, g.loaded_at,
                (SELECT COUNT(*) FROM decisions d WHERE d.round_year = r.year)
         FROM rounds r JOIN guides g ON g.hash = r.guide_hash ORDER BY r.year DESC",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(year, hash, text, loaded_at, decisions)| {
            let g = guide::load_guide(&text).map_err(|p| guide::problems_error(&p))?;
            Ok(RoundGuide {
                year,
                guide: hash,
                title: g.title,
                loaded_at,
                decisions,
                can_change: decisions == 0,
                text,
            })
        })
        .collect()
}

/// What binding `year` to the guide `text` would change: the guide is
/// checked first (every problem with its key path), then compared key by key
/// with the round's current guide (or the shipped one for a new round).
pub fn preview_guide(conn: &Connection, year: i32, text: &str) -> Result<GuidePreview> {
    let g = guide::load_guide(text).map_err(|p| guide::problems_error(&p))?;
    if g.round.year != year {
        return Err(EngineError::Invalid(format!(
            "该指南属于 {} 年度，不是 {year} 年度 / the guide is for round {}, not {year}",
            g.round.year, g.round.year
        )));
    }
    let (from, old_text) = match round_guide_text(conn, year)? {
        Some(c) => c,
        None => {
            let (t, _) = guide::builtin(year).ok_or_else(|| {
                EngineError::NotFound(format!(
                    "本程序没有 {year} 年度的申报指南 / no guide ships for round {year}"
                ))
            })?;
            (guide::content_hash(t), t.to_string())
        }
    };
    let decisions: i64 = conn.query_row(
        "SELECT COUNT(*) FROM decisions WHERE round_year = ?1",
        [year],
        |r| r.get(0),
    )?;
    Ok(GuidePreview {
        year,
        from,
        to: guide::content_hash(text),
        title: g.title,
        changes: crate::guide_diff::diff_guides(&old_text, text)?,
        can_change: decisions == 0,
    })
}

/// A guide version checked against a round, before it is bound.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GuidePreview {
    pub year: i32,
    /// Hash of the round's current guide.
    pub from: String,
    /// Hash of the new version.
    pub to: String,
    pub title: String,
    pub changes: Vec<crate::guide_diff::GuideChange>,
    /// False once the round has a decision: binding would be refused.
    pub can_change: bool,
}

/// Bind a round to a guide text (the bureau's edited copy of the shipped
/// guide, or next year's): validated completely, kept in the store by its
/// content hash, audited. Allowed until the round's first decision is
/// proposed; evaluations computed with the previous guide are dropped (the
/// next `score` recomputes them). Returns the guide's hash.
pub fn bind_guide(store: &mut Store, actor: &Actor, year: i32, text: &str) -> Result<String> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Admin)?;
    let g = guide::load_guide(text).map_err(|p| guide::problems_error(&p))?;
    if g.round.year != year {
        return Err(EngineError::Invalid(format!(
            "该指南属于 {} 年度，不是 {year} 年度 / the guide is for round {}, not {year}",
            g.round.year, g.round.year
        )));
    }
    let hash = guide::content_hash(text);
    store.change(actor, "round.bind_guide", &format!("round:{year}"), |tx| {
        let previous: Option<String> = tx
            .query_row(
                "SELECT guide_hash FROM rounds WHERE year = ?1",
                [year],
                |r| r.get(0),
            )
            .optional()?;
        let decisions: i64 = tx.query_row(
            "SELECT COUNT(*) FROM decisions WHERE round_year = ?1",
            [year],
            |r| r.get(0),
        )?;
        if decisions > 0 && previous.as_deref() != Some(hash.as_str()) {
            return Err(EngineError::Invalid(format!(
                "{year} 年度已有 {decisions} 个决定，不能更换指南 / round {year} already has {decisions} decisions; its guide can no longer change"
            )));
        }
        tx.execute(
            "INSERT OR IGNORE INTO guides(hash, text, loaded_at) VALUES (?1, ?2, ?3)",
            params![hash, text, now()],
        )?;
        match &previous {
            None => {
                tx.execute(
                    "INSERT INTO rounds(year, guide_hash, created_at) VALUES (?1, ?2, ?3)",
                    params![year, hash, now()],
                )?;
            }
            Some(p) if *p != hash => {
                tx.execute(
                    "UPDATE rounds SET guide_hash = ?2 WHERE year = ?1",
                    params![year, hash],
                )?;
                tx.execute("DELETE FROM evaluations WHERE round_year = ?1", [year])?;
            }
            Some(_) => {}
        }
        Ok((
            hash.clone(),
            serde_json::json!({ "guide": hash, "previous": previous, "title": g.title }),
        ))
    })
}
