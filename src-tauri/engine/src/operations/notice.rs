//! 公示 (public notice) of a round's approved decisions, real-name
//! objections (异议) and the lock they put on letters.
//!
//! - [`publish`]: the 公示 list (applicant, credit code, project, clause,
//!   amount; nothing private) with its period in working days from the
//!   calendar, as a signed PDF numbered in the letter register (kind
//!   `notice`) and as .xlsx, both from the letters crate's one builder;
//! - [`object`] / [`resolve`]: an objection recorded by a reviewer and
//!   resolved by an approver; upheld before any letter returns the
//!   decision to review, upheld after a letter needs an amendment or a
//!   revocation (`decide amend|revoke`), dismissed keeps the reason;
//! - [`check_letter_allowed`]: when the guide's `round.notice_before_letters`
//!   is true, a decision not yet published, still under notice or with an
//!   open objection has no letter issued (`under_notice`).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::Guide;
use crate::letters::content::{notice, NoticeInput, NoticeRow, NOTICE_COLUMNS};
use crate::letters::{LetterContent, LetterWriter, Paragraph};
use crate::register::issue::{next_number, record, sign};
use crate::register::sealed::{seal_of, SealedIssue};
use crate::review::decisions::{decision_of, Decision};
use crate::review::rounds::{applicant, round_guide};
use crate::review::DecisionState;
use crate::rules::evaluate::Evaluation;
use crate::store::{now, Actor, Store};

/// One line of a published 公示 list.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticeEntry {
    pub applicant: String,
    pub credit_code: String,
    pub project: String,
    pub clause: String,
    pub amount_yuan: String,
}

/// A published 公示: its register number, period and list; the signed PDF
/// and the .xlsx are handed to the shell to write.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PublishedNotice {
    pub number: String,
    pub from: String,
    pub until: String,
    pub working_days: u32,
    pub entries: Vec<NoticeEntry>,
    #[serde(skip)]
    pub pdf: Vec<u8>,
    #[serde(skip)]
    pub xlsx: Vec<u8>,
}

pub(super) fn guide_of(conn: &Connection, year: i32) -> Result<Guide> {
    round_guide(conn, year)?.map(|(_, g)| g).ok_or_else(|| {
        EngineError::coded(
            "no_round",
            format!("{year}年度尚无评审轮次"),
            format!("there is no {year} round"),
        )
    })
}

/// 9150010****2P39: the middle of a credit code hidden.
fn masked(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() <= 8 {
        return code.to_string();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// The round's approved (or issued) decisions not yet on a notice, latest
/// per applicant: (decision id, applicant name, credit code, figures). A
/// second notice is a supplement: a decision approved again after an
/// upheld objection.
pub(super) fn approved(
    conn: &Connection,
    year: i32,
) -> Result<Vec<(i64, String, String, Evaluation)>> {
    let mut st = conn.prepare(
        "SELECT d.id, a.name, a.credit_code, d.figures FROM decisions d
         JOIN applicants a ON a.id = d.applicant_id
         WHERE d.round_year = ?1 AND d.state IN ('approved', 'issued')
           AND d.id = (SELECT MAX(d2.id) FROM decisions d2
                       WHERE d2.applicant_id = d.applicant_id AND d2.round_year = d.round_year)
           AND d.id NOT IN (SELECT decision_id FROM notice_decisions)
         ORDER BY a.credit_code",
    )?;
    let rows = st.query_map([year], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, code, figures) = row?;
        let ev: Evaluation = serde_json::from_str(&figures)
            .map_err(|e| EngineError::Store(format!("decision {id} unreadable: {e}")))?;
        out.push((id, name.unwrap_or_default(), code.unwrap_or_default(), ev));
    }
    Ok(out)
}

/// Publish the round's 公示 (of the approved awards not yet published) from `from` (the day it is, or was, first put
/// up) for the guide's `round.notice_working_days`, signed with the seal
/// by the register office and numbered in the register. `xlsx`: also the
/// website's spreadsheet.
pub fn publish(
    store: &mut Store,
    writer: &LetterWriter,
    by: &SealedIssue<'_>,
    year: i32,
    from: NaiveDate,
) -> Result<PublishedNotice> {
    use crate::people::{roster, Role};
    let actor = by.issuer.actor();
    roster::check_actor(store.conn(), &actor, Role::Register)?;
    // only the round's home store numbers (and so publishes) a notice
    crate::exchange::home::ensure_home(store.conn(), year)?;
    let (seal_holder, test) = seal_of(store, by)?;
    let g = guide_of(store.conn(), year)?;
    let n = g.round.notice_working_days;
    let (first, until) = super::calendar::load(store.conn())?.period(from, n)?;
    let decisions = approved(store.conn(), year)?;
    let mut rows = Vec::new();
    let mut listed = Vec::new();
    for (id, name, code, ev) in &decisions {
        let shown = if g.round.notice_mask_credit_code {
            masked(code)
        } else {
            code.clone()
        };
        for p in ev.projects.iter() {
            let Some(amount) = p.award_yuan.filter(|a| *a > Decimal::ZERO) else {
                continue;
            };
            rows.push(NoticeRow {
                applicant: name.clone(),
                credit_code: shown.clone(),
                project: p.name.clone(),
                clause: crate::register::content::clause_name(&g, p.clause),
                amount,
            });
            listed.push(*id);
        }
    }
    listed.dedup();
    if rows.is_empty() {
        return Err(EngineError::coded(
            "nothing_to_publish",
            format!("{year}年度没有尚未公示的已审批扶持决定，无可公示"),
            format!("the {year} round has no approved award not yet published"),
        ));
    }
    let signer_name = seal_holder.clone();
    store.change(&actor, "notice.publish", &format!("round {year}"), |tx| {
        let (seq, number) = next_number(tx, &g, year)?;
        let head = crate::register::content::head(tx, &g, &number, first)?;
        let content = notice(&NoticeInput {
            head,
            round_year: year,
            policy_name: g.wording.policy_name.clone(),
            guide_name: format!("《{}》", g.title),
            from: first,
            until,
            working_days: n,
            rows: rows.clone(),
        })
        .map_err(crate::letter_error)?;
        let pdf = sign(writer, by.seal, &content, &number)?;
        let total: Decimal = rows.iter().map(|r| r.amount).sum();
        let hash = record(
            tx,
            &actor,
            year,
            seq,
            &number,
            "notice",
            None,
            None,
            None,
            None,
            &pdf,
            &content,
            &signer_name,
            Some(total),
        )?;
        let entries: Vec<NoticeEntry> = rows
            .iter()
            .map(|r| NoticeEntry {
                applicant: r.applicant.clone(),
                credit_code: r.credit_code.clone(),
                project: r.project.clone(),
                clause: r.clause.clone(),
                amount_yuan: crate::money::format_yuan(r.amount),
            })
            .collect();
        let entries_json =
            serde_json::to_string(&entries).map_err(|e| EngineError::Store(e.to_string()))?;
        tx.execute(
            "INSERT INTO notices(round_year, number, from_date, until_date, working_days, entries,
               published_by, published_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                year,
                number,
                first.to_string(),
                until.to_string(),
                n,
                entries_json,
                actor.0,
                now()
            ],
        )?;
        let notice_id = tx.last_insert_rowid();
        for d in &listed {
            tx.execute(
                "INSERT OR IGNORE INTO notice_decisions(notice_id, decision_id) VALUES (?1, ?2)",
                params![notice_id, d],
            )?;
        }
        let xlsx = to_xlsx(&content, &rows)?;
        let detail = serde_json::json!({ "number": number, "from": first.to_string(),
            "until": until.to_string(), "working_days": n, "entries": entries.len(),
            "decisions": listed, "sha256": hash, "seal": seal_holder, "test": test });
        Ok((
            PublishedNotice {
                number,
                from: first.to_string(),
                until: until.to_string(),
                working_days: n,
                entries,
                pdf,
                xlsx,
            },
            detail,
        ))
    })
}

/// `text` in column A of row `*r`, then the next row.
fn line(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: &mut u32,
    text: &str,
    f: Option<&rust_xlsxwriter::Format>,
) -> Result<()> {
    match f {
        Some(f) => ws.write_string_with_format(*r, 0, text, f).map(|_| ()),
        None => ws.write_string(*r, 0, text).map(|_| ()),
    }
    .map_err(xlsx_err)?;
    *r += 1;
    Ok(())
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> EngineError {
    EngineError::Invalid(format!("xlsx: {e}"))
}

/// The website's .xlsx of the notice, from the same content as its PDF:
/// title, number, every paragraph, the list with amounts as numbers (every
/// text a string cell, never a formula), issuer and date.
fn to_xlsx(content: &LetterContent, rows: &[NoticeRow]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet();
    ws.set_name("公示名单").map_err(xlsx_err)?;
    for (c, w) in [6.0, 36.0, 22.0, 36.0, 22.0, 16.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
    }
    let mut r: u32 = 0;
    line(ws, &mut r, &content.title, Some(&bold))?;
    line(ws, &mut r, &content.number, None)?;
    for p in &content.paragraphs {
        match p {
            Paragraph::Table { .. } => {
                for (c, h) in NOTICE_COLUMNS.iter().enumerate() {
                    ws.write_string_with_format(r, c as u16, *h, &bold)
                        .map_err(xlsx_err)?;
                }
                for (i, row) in rows.iter().enumerate() {
                    let x = r + 1 + i as u32;
                    ws.write_number(x, 0, (i + 1) as f64).map_err(xlsx_err)?;
                    for (c, t) in [&row.applicant, &row.credit_code, &row.project, &row.clause]
                        .iter()
                        .enumerate()
                    {
                        ws.write_string(x, c as u16 + 1, t.as_str())
                            .map_err(xlsx_err)?;
                    }
                    let v: f64 = crate::money::format_yuan(row.amount).parse().map_err(|_| {
                        EngineError::Invalid(format!("amount {} is not a number", row.amount))
                    })?;
                    ws.write_number_with_format(x, 5, v, &money)
                        .map_err(xlsx_err)?;
                }
                r += 1 + rows.len() as u32;
            }
            Paragraph::Text { text }
            | Paragraph::Heading { text }
            | Paragraph::Subheading { text }
            | Paragraph::Flush { text } => line(ws, &mut r, text, None)?,
        }
    }
    line(ws, &mut r, &content.issuer, None)?;
    line(ws, &mut r, &crate::letters::format_date(content.date), None)?;
    line(ws, &mut r, &content.contact, None)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// A recorded objection (异议) and, once resolved, its outcome.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Objection {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub round: i32,
    pub credit_code: String,
    pub project: Option<String>,
    pub by: String,
    pub received: String,
    pub text: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    /// The evidence attached (its file name and the SHA-256 of the bytes
    /// kept in the store), when there was any.
    pub evidence_name: Option<String>,
    pub evidence_sha256: Option<String>,
}

/// What someone objects to, and who, when and what they say.
pub struct ObjectionInput<'a> {
    pub round: i32,
    pub credit_code: &'a str,
    pub project: Option<&'a str>,
    /// The objector's real name (a unit or a person): anonymous objections
    /// are not accepted.
    pub by: &'a str,
    pub received: NaiveDate,
    pub text: &'a str,
    /// The evidence attached: file name and bytes (kept as a blob).
    pub evidence: Option<(&'a str, &'a [u8])>,
}

fn required(v: &str, zh: &str, en: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(EngineError::coded(
            "invalid",
            format!("{zh}不能为空"),
            format!("{en} is required"),
        ));
    }
    Ok(())
}

/// Record a real-name objection (a reviewer), about an applicant (and
/// one of its projects) with a decision in the round. Returns its id.
pub fn object(
    store: &mut Store,
    actor: &Actor,
    o: &ObjectionInput<'_>,
    today: NaiveDate,
) -> Result<i64> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Reviewer)?;
    required(o.by, "异议人（实名）", "the objector's real name (--by)")?;
    required(o.text, "异议内容", "the objection's text (--text)")?;
    if o.received > today {
        return Err(EngineError::coded(
            "invalid",
            format!("收到日期 {} 晚于今天", o.received),
            format!("the received date {} is after today", o.received),
        ));
    }
    let code = o.credit_code.trim().to_ascii_uppercase();
    let (applicant_id, _) = applicant(store.conn(), &code)?;
    let d = decision_of(store.conn(), applicant_id, o.round)?.ok_or_else(|| {
        EngineError::coded(
            "no_decision",
            format!("{code} 在{}年度尚无决定", o.round),
            format!("{code} has no decision in the {} round", o.round),
        )
    })?;
    if let Some(p) = o.project {
        if !d.figures.projects.iter().any(|x| x.name == p.trim()) {
            let names: Vec<&str> = d.figures.projects.iter().map(|x| x.name.as_str()).collect();
            return Err(EngineError::coded(
                "invalid",
                format!("{code} 没有名为“{p}”的项目（有：{}）", names.join("、")),
                format!(
                    "{code} has no project named '{p}' (it has: {})",
                    names.join(", ")
                ),
            ));
        }
    }
    store.change(actor, "notice.object", &code, |tx| {
        let evidence = match o.evidence {
            Some((name, bytes)) => Some((name, crate::store::put_blob(tx, bytes)?)),
            None => None,
        };
        tx.execute(
            "INSERT INTO objections(round_year, applicant_id, credit_code, project, by_name, received,
               text, recorded_by, recorded_fp, recorded_at, evidence_name, evidence_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![o.round, applicant_id, code, o.project.map(str::trim), o.by.trim(),
                o.received.to_string(), o.text.trim(), actor.0, actor.fingerprint(), now(),
                evidence.as_ref().map(|e| e.0), evidence.as_ref().map(|e| e.1.clone())],
        )?;
        let id = tx.last_insert_rowid();
        Ok((id, serde_json::json!({ "objection": id, "round": o.round, "project": o.project,
            "by": o.by.trim(), "received": o.received.to_string(), "text": o.text.trim(),
            "decision": d.id,
            "evidence": evidence.map(|e| serde_json::json!({ "name": e.0, "sha256": e.1 })) })))
    })
}

/// An objection's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 异议成立.
    Upheld,
    /// 异议不成立.
    Dismissed,
}

impl Outcome {
    /// `upheld` or `dismissed`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "upheld" => Ok(Outcome::Upheld),
            "dismissed" => Ok(Outcome::Dismissed),
            other => Err(EngineError::coded(
                "invalid",
                format!("处理结果“{other}”无效：应为 upheld（成立）或 dismissed（不成立）"),
                format!("outcome '{other}' is not upheld or dismissed"),
            )),
        }
    }
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::Dismissed => "dismissed",
        }
    }
}

/// What resolving an objection did to the decision.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Resolution {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub credit_code: String,
    pub outcome: String,
    pub reason: String,
    /// `returned` (upheld before any letter: back to review, to be
    /// proposed and approved again), `amend_or_revoke` (upheld after a
    /// letter), `none` (dismissed, or nothing to return).
    pub action: String,
    /// The decision's state afterwards.
    pub decision_state: Option<String>,
    pub message_zh: String,
    pub message_en: String,
}

/// Resolve an open objection (an approver) with a reason.
pub fn resolve(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    outcome: Outcome,
    reason: &str,
) -> Result<Resolution> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Approver)?;
    required(reason, "处理理由", "the reason (--reason)")?;
    let row: Option<(i64, i32, String, Option<String>)> = store
        .conn()
        .query_row(
            "SELECT applicant_id, round_year, credit_code, outcome FROM objections WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((applicant_id, year, code, done)) = row else {
        return Err(EngineError::coded(
            "not_found",
            format!("没有编号为 {id} 的异议"),
            format!("there is no objection {id}"),
        ));
    };
    if let Some(o) = done {
        return Err(EngineError::coded(
            "already_resolved",
            format!("异议 {id} 已办结（{o}）"),
            format!("objection {id} is already resolved ({o})"),
        ));
    }
    let reason = reason.trim().to_string();
    store.change(actor, "notice.resolve", &code, |tx| {
        tx.execute(
            "UPDATE objections SET outcome = ?2, reason = ?3, resolved_by = ?4, resolved_fp = ?5,
               resolved_at = ?6 WHERE id = ?1",
            params![id, outcome.as_str(), reason, actor.0, actor.fingerprint(), now()],
        )?;
        let d = decision_of(tx, applicant_id, year)?;
        let (action, zh, en) = match (outcome, d.as_ref().map(|d| d.state)) {
            (Outcome::Dismissed, _) => (
                "none",
                format!("异议 {id} 不成立：{reason}"),
                format!("objection {id} dismissed: {reason}"),
            ),
            (Outcome::Upheld, Some(DecisionState::Approved | DecisionState::Proposed)) => {
                let d = d.as_ref().map(|d| d.id).unwrap_or_default();
                tx.execute(
                    "UPDATE decisions SET state = ?2, comment = ?3 WHERE id = ?1",
                    params![d, DecisionState::Returned, format!("异议成立 / objection upheld: {reason}")],
                )?;
                (
                    "returned",
                    format!("异议 {id} 成立：{code} 的决定已退回重审，须重新提出并审批"),
                    format!("objection {id} upheld: {code}'s decision is returned to review, to be proposed and approved again"),
                )
            }
            (Outcome::Upheld, Some(DecisionState::Issued)) => (
                "amend_or_revoke",
                format!("异议 {id} 成立：{code} 的决定书已出具，须提出变更或撤销（decide amend / decide revoke）"),
                format!("objection {id} upheld: {code}'s letters are issued; propose an amendment or a revocation (decide amend / decide revoke)"),
            ),
            (Outcome::Upheld, _) => (
                "none",
                format!("异议 {id} 成立：{code} 尚无待审或已审批的决定"),
                format!("objection {id} upheld: {code} has no proposed or approved decision to return"),
            ),
        };
        let state = decision_of(tx, applicant_id, year)?.map(|d| d.state.to_string());
        let r = Resolution {
            id,
            credit_code: code.clone(),
            outcome: outcome.as_str().to_string(),
            reason: reason.clone(),
            action: action.to_string(),
            decision_state: state,
            message_zh: zh,
            message_en: en,
        };
        let detail = serde_json::json!({ "objection": id, "outcome": r.outcome, "reason": reason,
            "action": action, "decision_state": r.decision_state });
        Ok((r, detail))
    })
}

/// Every objection of the round, in the order received, for the file.
pub fn objections(conn: &Connection, year: i32) -> Result<Vec<Objection>> {
    let mut st = conn.prepare(
        "SELECT id, round_year, credit_code, project, by_name, received, text, recorded_by,
                recorded_at, outcome, reason, resolved_by, resolved_at, evidence_name, evidence_hash
         FROM objections WHERE round_year = ?1 ORDER BY received, id",
    )?;
    let rows = st.query_map([year], |r| {
        Ok(Objection {
            id: r.get(0)?,
            round: r.get(1)?,
            credit_code: r.get(2)?,
            project: r.get(3)?,
            by: r.get(4)?,
            received: r.get(5)?,
            text: r.get(6)?,
            recorded_by: r.get(7)?,
            recorded_at: r.get(8)?,
            outcome: r.get(9)?,
            reason: r.get(10)?,
            resolved_by: r.get(11)?,
            resolved_at: r.get(12)?,
            evidence_name: r.get(13)?,
            evidence_sha256: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the signed file with hash `sha256` is a 公示 this store
/// published (what `verify` asks of a register entry of kind `notice`).
pub fn is_published(conn: &Connection, sha256: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM notices n JOIN register r ON r.number = n.number
         WHERE r.letter_hash = ?1 AND r.kind = 'notice'",
        [sha256],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

fn under_notice(zh: String, en: String) -> EngineError {
    EngineError::coded("under_notice", zh, en)
}

/// Whether decision `d`'s letters may be issued on `today`: when the
/// guide's `round.notice_before_letters` is true, not while it has an open
/// objection, nor before it was published, nor before its 公示 period has
/// ended (`under_notice`). A change of an issued decision (amend/revoke)
/// is not published again.
/// The period (first and last day, as stored) of the latest notice that
/// listed decision `decision_id`, if any.
fn latest_period(conn: &Connection, decision_id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT n.from_date, n.until_date FROM notices n
             JOIN notice_decisions nd ON nd.notice_id = n.id
             WHERE nd.decision_id = ?1 ORDER BY n.id DESC LIMIT 1",
            [decision_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// What an approval letter says of the 公示 of decision `d`, when it was on
/// a notice: the period, and 经公示无异议 only when no objection about the
/// applicant was received in the round (a dismissed one is said as such).
/// `None` when the decision was never published.
pub fn notice_statement(conn: &Connection, d: &Decision) -> Result<Option<String>> {
    let period = latest_period(conn, d.id)?;
    let Some((from, until)) = period else {
        return Ok(None);
    };
    let day = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(crate::letters::format_date)
            .unwrap_or_else(|_| s.to_string())
    };
    let (received, dismissed, upheld): (i64, i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(outcome = 'dismissed'), 0), COALESCE(SUM(outcome = 'upheld'), 0)
         FROM objections WHERE credit_code = ?1 AND round_year = ?2",
        params![d.credit_code, d.round],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let period = format!(
        "本决定所涉扶持事项已于{}至{}在本局公示",
        day(&from),
        day(&until)
    );
    Ok(Some(match (received, upheld) {
        (0, _) => format!("{period}，公示期间未收到异议（经公示无异议）。"),
        (_, 0) => format!(
            "{period}，公示期间收到异议{received}件，经核查，异议不成立（已驳回{dismissed}件）。"
        ),
        _ => {
            format!("{period}，公示期间收到异议{received}件，经核查，已依法重新审核并作出本决定。")
        }
    }))
}

pub fn check_letter_allowed(conn: &Connection, d: &Decision, today: NaiveDate) -> Result<()> {
    let g = guide_of(conn, d.round)?;
    if !g.round.notice_before_letters || d.change.is_some() {
        return Ok(());
    }
    let code = &d.credit_code;
    let open: i64 = conn.query_row(
        "SELECT COUNT(*) FROM objections WHERE credit_code = ?1 AND round_year = ?2 AND outcome IS NULL",
        params![code, d.round],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Err(under_notice(
            format!("{code} 有 {open} 件异议尚未办结（notice resolve），办结前不能出具决定书"),
            format!(
                "{code} has {open} open objection(s) (notice resolve): no letter until resolved"
            ),
        ));
    }
    let period = latest_period(conn, d.id)?;
    let Some((from, until)) = period else {
        return Err(under_notice(
            format!("{code} 的决定尚未公示（notice publish）：按申报指南，先公示后出具决定书"),
            format!("{code}'s decision has not been published (notice publish): the guide puts 公示 before letters"),
        ));
    };
    if today.to_string() <= until {
        return Err(under_notice(
            format!("{code} 的决定正在公示（{from} 至 {until}），公示期满后方可出具决定书"),
            format!("{code}'s decision is under notice ({from} to {until}): letters after the period ends"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn a_masked_credit_code_keeps_its_ends_only() {
        assert_eq!(masked("91500103MA61QX3D6W"), "915001********3D6W");
        assert_eq!(masked("short"), "short");
    }
}
