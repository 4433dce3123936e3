//! Notes and labels per application: the reviewers' internal working
//! material (复核要点, 待补材料, 重点关注 …). Internal: never read by the
//! letters or the notice, never in a package to the applicant. Each note
//! is kept as written (the store refuses to change or delete one) and each
//! act — a note, a label put on or taken off — is a signed, audited act of
//! a reviewer, an approver or an administrator.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::people::{roster, Role};
use crate::store::{now, Actor, Store};

/// Longest note and label kept (characters).
const NOTE_MAX: usize = 4000;
const LABEL_MAX: usize = 32;

/// One internal note.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Note {
    pub text: String,
    pub by: String,
    pub at: String,
}

/// An application's notes (oldest first) and labels (by name).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotesAndLabels {
    pub notes: Vec<Note>,
    pub labels: Vec<String>,
}

fn may_write(conn: &Connection, actor: &Actor) -> Result<()> {
    for role in [Role::Reviewer, Role::Approver, Role::Admin] {
        if roster::check_actor(conn, actor, role).is_ok() {
            return Ok(());
        }
    }
    roster::check_actor(conn, actor, Role::Reviewer)
}

fn applicant_id(conn: &Connection, credit_code: &str) -> Result<(i64, String)> {
    let code = credit_code.trim().to_ascii_uppercase();
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM applicants WHERE credit_code = ?1",
            [&code],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| (id, code.clone())).ok_or_else(|| {
        EngineError::coded(
            "unknown_application",
            format!("没有统一社会信用代码为 {code} 的申报单位"),
            format!("no applicant with credit code {code}"),
        )
    })
}

fn checked_text(text: &str, max: usize, what: (&str, &str)) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(EngineError::coded(
            "empty_text",
            format!("{}不能为空", what.0),
            format!("the {} is empty", what.1),
        ));
    }
    let n = t.chars().count();
    if n > max {
        return Err(EngineError::coded(
            "text_too_long",
            format!("{}最多 {max} 个字，这里有 {n} 个", what.0),
            format!(
                "the {} may have at most {max} characters; this one has {n}",
                what.1
            ),
        ));
    }
    Ok(t.to_string())
}

/// `note add CODE --text T`: an internal note on the application, kept as written.
pub fn add_note(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    text: &str,
) -> Result<NotesAndLabels> {
    may_write(store.conn(), actor)?;
    let (id, code) = applicant_id(store.conn(), credit_code)?;
    let text = checked_text(text, NOTE_MAX, ("备注", "note"))?;
    store.change(actor, "note.add", &code, |tx| {
        tx.execute(
            "INSERT INTO application_notes(applicant_id, text, by_name, by_fp, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, text, actor.0, actor.fingerprint(), now()],
        )?;
        Ok(((), serde_json::json!({ "text": text })))
    })?;
    of(store.conn(), id)
}

/// `label set CODE --label L` (or `--remove`): a label on the application.
/// Putting on a label it has, or taking off one it lacks, changes nothing
/// and records nothing.
pub fn set_label(
    store: &mut Store,
    actor: &Actor,
    credit_code: &str,
    label: &str,
    remove: bool,
) -> Result<NotesAndLabels> {
    may_write(store.conn(), actor)?;
    let (id, code) = applicant_id(store.conn(), credit_code)?;
    let label = checked_text(label, LABEL_MAX, ("标签", "label"))?;
    let has: bool = store
        .conn()
        .query_row(
            "SELECT 1 FROM application_labels WHERE applicant_id = ?1 AND label = ?2",
            params![id, label],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if has != remove {
        return of(store.conn(), id);
    }
    let action = if remove { "label.remove" } else { "label.set" };
    store.change(actor, action, &code, |tx| {
        if remove {
            tx.execute(
                "DELETE FROM application_labels WHERE applicant_id = ?1 AND label = ?2",
                params![id, label],
            )?;
        } else {
            tx.execute(
                "INSERT INTO application_labels(applicant_id, label, by_name, by_fp, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, label, actor.0, actor.fingerprint(), now()],
            )?;
        }
        Ok(((), serde_json::json!({ "label": label })))
    })?;
    of(store.conn(), id)
}

/// Applicant `id`'s notes and labels.
pub fn of(conn: &Connection, id: i64) -> Result<NotesAndLabels> {
    let mut st = conn.prepare_cached(
        "SELECT text, by_name, at FROM application_notes WHERE applicant_id = ?1 ORDER BY id",
    )?;
    let notes = st
        .query_map([id], |r| {
            Ok(Note {
                text: r.get(0)?,
                by: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT label FROM application_labels WHERE applicant_id = ?1 ORDER BY label",
    )?;
    let labels = st
        .query_map([id], |r| r.get(0))?
        .collect::<std::result::Result<Vec<String>, _>>()?;
    Ok(NotesAndLabels { notes, labels })
}

/// The notes and labels of the applicant with `credit_code`.
pub fn of_code(conn: &Connection, credit_code: &str) -> Result<NotesAndLabels> {
    let (id, _) = applicant_id(conn, credit_code)?;
    of(conn, id)
}

/// Every labelled applicant's labels, by credit code (the list's filter).
pub fn all_labels(conn: &Connection) -> Result<HashMap<String, Vec<String>>> {
    let mut st = conn.prepare_cached(
        "SELECT a.credit_code, l.label FROM application_labels l JOIN applicants a ON a.id = l.applicant_id
         WHERE a.credit_code IS NOT NULL ORDER BY a.credit_code, l.label",
    )?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (code, label) = row?;
        out.entry(code).or_default().push(label);
    }
    Ok(out)
}
