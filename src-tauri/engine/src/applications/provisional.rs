//! Provisional identities: a workbook stored without a valid credit code
//! is kept under a provisional key (`provisional:<name>#<hash>`); once the
//! corrected workbook is imported, the reviewer links the two
//! (`link_provisional`, audited under both names, in one transaction) and
//! the provisional workbook follows the code's history as its version 0.
//! `link_suggestions` offers the links whose names agree.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::store::{audit, Actor, Store};

/// A provisional applicant linked to the credit code of its corrected
/// workbook.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkOutcome {
    pub provisional_key: String,
    pub credit_code: String,
    /// The name on the provisional workbook and on the corrected one.
    pub provisional_name: Option<String>,
    pub applicant: Option<String>,
    /// The names agree after trimming and full-width folding.
    pub name_matches: bool,
    /// The credit code it was linked to before (a re-link), if any.
    pub previous: Option<String>,
    /// The provisional applicant's submissions (ids), which now follow the code.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub submissions: Vec<i64>,
}

/// A provisional applicant whose name matches an applicant with a valid
/// credit code: the link the reviewer is offered.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkSuggestion {
    pub provisional_key: String,
    pub name: Option<String>,
    pub credit_code: String,
    /// Already linked to this code.
    pub linked: bool,
}

/// A name folded for comparing (trimmed, full-width folded); none is "".
fn fold(name: &Option<String>) -> String {
    name.as_deref()
        .map(crate::rules::evaluate::same_key)
        .unwrap_or_default()
}

/// Find a provisional applicant by its key: exact, without the
/// "provisional:" prefix, or by the 12-hex file-hash suffix alone.
fn find_provisional(
    conn: &rusqlite::Connection,
    key: &str,
) -> Result<(i64, String, Option<String>, Option<i64>)> {
    let key = key.trim();
    let mut st = conn.prepare(
        "SELECT id, provisional_key, name, linked_to FROM applicants WHERE provisional_key IS NOT NULL",
    )?;
    let all = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<Vec<(i64, String, Option<String>, Option<i64>)>, _>>()?;
    let exact: Vec<_> = all
        .iter()
        .filter(|(_, k, _, _)| {
            k == key
                || k.strip_prefix("provisional:") == Some(key)
                || k.rsplit_once('#').is_some_and(|(_, h)| h == key)
        })
        .cloned()
        .collect();
    match exact.len() {
        1 => Ok(exact.into_iter().next().ok_or_else(|| {
            crate::error::EngineError::NotFound("provisional applicant vanished".into())
        })?),
        0 => Err(crate::error::EngineError::NotFound(format!(
            "没有临时身份「{key}」（见 reviewdesk link 的建议列表或 list）/ no provisional identity '{key}' (see the suggestions of 'reviewdesk link')"
        ))),
        n => Err(crate::error::EngineError::Invalid(format!(
            "「{key}」对应 {n} 个临时身份，请写完整 / '{key}' matches {n} provisional identities: give the whole key"
        ))),
    }
}

/// Link a provisional applicant (a workbook kept without a valid credit
/// code) to the applicant with `credit_code` (its corrected workbook must be
/// imported). Audited under both the code and the provisional key, in one
/// transaction. A link is changed only by another link (audited, naming the
/// previous one); there is no silent unlink.
pub fn link_provisional(
    store: &mut Store,
    actor: &Actor,
    provisional_key: &str,
    credit_code: &str,
) -> Result<LinkOutcome> {
    use crate::error::EngineError;
    let code = credit_code.trim().to_ascii_uppercase();
    if !crate::uscc::is_valid(&code) {
        return Err(EngineError::Invalid(format!(
            "「{code}」不是有效的统一社会信用代码 / '{code}' is not a valid credit code"
        )));
    }
    let (pid, key, pname, linked_to) = find_provisional(store.conn(), provisional_key)?;
    let target: Option<(i64, Option<String>)> = store
        .conn()
        .query_row(
            "SELECT id, name FROM applicants WHERE credit_code = ?1",
            [&code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (tid, tname) = target.ok_or_else(|| {
        EngineError::NotFound(format!(
            "没有统一社会信用代码为 {code} 的申报单位：请先导入更正后的申报表 / no applicant with credit code {code}: import the corrected workbook first"
        ))
    })?;
    let previous: Option<String> = match linked_to {
        Some(l) => store
            .conn()
            .query_row(
                "SELECT credit_code FROM applicants WHERE id = ?1",
                [l],
                |r| r.get(0),
            )
            .optional()?
            .flatten(),
        None => None,
    };
    if linked_to == Some(tid) {
        return Err(EngineError::Invalid(format!(
            "{key} 已关联到 {code} / {key} is already linked to {code}"
        )));
    }
    let name_matches = !fold(&pname).is_empty() && fold(&pname) == fold(&tname);
    let mut sst = store
        .conn()
        .prepare("SELECT id FROM submissions WHERE applicant_id = ?1 ORDER BY id")?;
    let submissions = sst
        .query_map([pid], |r| r.get::<_, i64>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    drop(sst);
    let outcome = LinkOutcome {
        provisional_key: key.clone(),
        credit_code: code.clone(),
        provisional_name: pname,
        applicant: tname,
        name_matches,
        previous,
        submissions,
    };
    let detail = serde_json::json!({
        "provisional_key": key,
        "credit_code": code,
        "previous": outcome.previous,
        "name_matches": name_matches,
        "submissions": outcome.submissions,
    });
    store.change(actor, "applicant.link", &code, |tx| {
        tx.execute(
            "UPDATE applicants SET linked_to = ?2 WHERE id = ?1",
            params![pid, tid],
        )?;
        audit::append(tx, actor, "applicant.link", &key, &detail)?;
        Ok((outcome.clone(), detail.clone()))
    })
}

/// Provisional applicants and the applicants with a valid code whose name
/// matches (trimmed, full-width folded): the links to offer the reviewer.
pub fn link_suggestions(store: &Store) -> Result<Vec<LinkSuggestion>> {
    let conn = store.conn();
    let mut st = conn.prepare(
        "SELECT p.provisional_key, p.name, p.linked_to, a.id, a.credit_code, a.name
         FROM applicants p, applicants a
         WHERE p.provisional_key IS NOT NULL AND a.credit_code IS NOT NULL
         ORDER BY p.id, a.id",
    )?;
    type Row = (
        String,
        Option<String>,
        Option<i64>,
        i64,
        String,
        Option<String>,
    );
    let rows = st
        .query_map([], |r| r.try_into())?
        .collect::<std::result::Result<Vec<Row>, _>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, pn, linked, aid, _, an)| {
            *linked == Some(*aid) || (!fold(pn).is_empty() && fold(pn) == fold(an))
        })
        .map(|(key, name, linked, aid, code, _)| LinkSuggestion {
            provisional_key: key,
            name,
            credit_code: code,
            linked: linked == Some(aid),
        })
        .collect())
}
