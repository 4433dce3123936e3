//! Clawback (追回) of support paid under a decision that must be revoked,
//! step by step, each a person's signed act in one transaction:
//!
//! 1. [`find`]: the finding (reason, evidence kept as a blob, the amount to
//!    recover, at most what the ledger says was paid), by the register
//!    office or an administrator;
//! 2. [`notify`]: the prior notice (追回事先告知书, register kind
//!    `recovery_notice`, signed under the seal) with the applicant's right to
//!    state its case (陈述申辩) and the deadline;
//! 3. [`respond`]: the applicant's response, as received;
//! 4. [`propose_revocation`]: once the response is in or the deadline has
//!    passed, the revocation proposed through the two-person path
//!    (`review::workflow::propose_change`; approved and issued as every
//!    change: `decide approve`, `letter issue`);
//! 5. [`letter`]: after the revocation is issued, the recovery decision
//!    (register kind `recovery`) with the amount, the due date and the
//!    remedy, citing the revoked letters, the notice and the revocation;
//! 6. [`record`]: the money coming back, against the payment ledger
//!    (部分追回 / 已追回).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::letters::content::{recovery, recovery_notice, RecoveryInput, RecoveryNoticeInput};
use crate::letters::LetterWriter;
use crate::money::format_yuan;
use crate::people::{roster, Role};
use crate::register::issue::{next_number, record as record_letter, sign};
use crate::register::sealed::{seal_of, SealedIssue};
use crate::review::decisions::{decision_of, ChangeKind};
use crate::review::rounds::{applicant, round_guide};
use crate::review::DecisionState;
use crate::store::{now, Actor, Store};

/// A file kept as evidence: its name and the SHA-256 of its bytes (a blob).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    pub name: String,
    pub sha256: String,
}

/// One recovery recorded against a case.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Recovery {
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub amount_yuan: Decimal,
    pub received_on: String,
    pub voucher: String,
    pub recorded_by: String,
}

/// A clawback case and how far it has come.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Case {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub round: i32,
    pub credit_code: String,
    pub applicant: String,
    pub reason: String,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub amount_yuan: Decimal,
    pub evidence: Option<Evidence>,
    pub found_by: String,
    pub found_at: String,
    pub notice_number: Option<String>,
    pub notice_deadline: Option<String>,
    pub response_received: Option<String>,
    pub response_text: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub revocation_decision: Option<i64>,
    pub letter_number: Option<String>,
    pub letter_due: Option<String>,
    pub recoveries: Vec<Recovery>,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub recovered_yuan: Decimal,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub outstanding_yuan: Decimal,
    /// `found`, `notified`, `responded`, `letter_issued`,
    /// `partly_recovered`, `recovered`.
    pub state: String,
}

fn coded(code: &'static str, zh: String, en: String) -> EngineError {
    EngineError::coded(code, zh, en)
}

fn required(v: &str, zh: &str, en: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(coded(
            "invalid",
            format!("{zh}不能为空"),
            format!("{en} is required"),
        ));
    }
    Ok(())
}

/// The register office, or an administrator.
fn register_or_admin(conn: &Connection, actor: &Actor) -> Result<()> {
    match roster::check_actor(conn, actor, Role::Register) {
        Err(EngineError::Coded {
            code: "not_allowed",
            ..
        }) => roster::check_actor(conn, actor, Role::Admin),
        other => other,
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

const CASE_COLUMNS: &str = "c.id, c.round_year, c.credit_code, COALESCE(a.name, ''), c.reason,
     c.amount_yuan, c.evidence_name, c.evidence_hash, c.found_by, c.found_at, c.notice_number,
     c.notice_deadline, c.response_received, c.response_text, c.revocation_decision,
     c.letter_number, c.letter_due";

fn case_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    let evidence = match (
        r.get::<_, Option<String>>(6)?,
        r.get::<_, Option<String>>(7)?,
    ) {
        (Some(name), Some(sha256)) => Some(Evidence { name, sha256 }),
        _ => None,
    };
    Ok(Case {
        id: r.get(0)?,
        round: r.get(1)?,
        credit_code: r.get(2)?,
        applicant: r.get(3)?,
        reason: r.get(4)?,
        amount_yuan: dec(&r.get::<_, String>(5)?),
        evidence,
        found_by: r.get(8)?,
        found_at: r.get(9)?,
        notice_number: r.get(10)?,
        notice_deadline: r.get(11)?,
        response_received: r.get(12)?,
        response_text: r.get(13)?,
        revocation_decision: r.get(14)?,
        letter_number: r.get(15)?,
        letter_due: r.get(16)?,
        recoveries: Vec::new(),
        recovered_yuan: Decimal::ZERO,
        outstanding_yuan: Decimal::ZERO,
        state: String::new(),
    })
}

/// Fill in a case's recoveries, totals and state.
fn complete(conn: &Connection, mut c: Case) -> Result<Case> {
    let mut st = conn.prepare_cached(
        "SELECT amount_yuan, received_on, voucher, recorded_by FROM clawback_recoveries
         WHERE clawback_id = ?1 ORDER BY id",
    )?;
    c.recoveries = st
        .query_map([c.id], |r| {
            Ok(Recovery {
                amount_yuan: dec(&r.get::<_, String>(0)?),
                received_on: r.get(1)?,
                voucher: r.get(2)?,
                recorded_by: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    c.recovered_yuan = c.recoveries.iter().map(|r| r.amount_yuan).sum();
    c.outstanding_yuan = c.amount_yuan - c.recovered_yuan;
    c.state = if c.outstanding_yuan <= Decimal::ZERO {
        "recovered"
    } else if c.recovered_yuan > Decimal::ZERO {
        "partly_recovered"
    } else if c.letter_number.is_some() {
        "letter_issued"
    } else if c.response_text.is_some() {
        "responded"
    } else if c.notice_number.is_some() {
        "notified"
    } else {
        "found"
    }
    .to_string();
    Ok(c)
}

/// One case by id (`not_found` when there is none).
pub fn case(conn: &Connection, id: i64) -> Result<Case> {
    let c = conn
        .query_row(
            &format!(
                "SELECT {CASE_COLUMNS} FROM clawbacks c
                 LEFT JOIN applicants a ON a.id = c.applicant_id WHERE c.id = ?1"
            ),
            [id],
            case_of,
        )
        .optional()?
        .ok_or_else(|| {
            coded(
                "not_found",
                format!("没有编号为 {id} 的追回案件"),
                format!("there is no clawback case {id}"),
            )
        })?;
    complete(conn, c)
}

/// Every case of the round, in the order found.
pub fn list(conn: &Connection, year: i32) -> Result<Vec<Case>> {
    let mut st = conn.prepare(&format!(
        "SELECT {CASE_COLUMNS} FROM clawbacks c
         LEFT JOIN applicants a ON a.id = c.applicant_id WHERE c.round_year = ?1 ORDER BY c.id"
    ))?;
    let cases = st
        .query_map([year], case_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    cases.into_iter().map(|c| complete(conn, c)).collect()
}

/// A case still owed money after its recovery letter (the overview's
/// outstanding recoveries).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutstandingRecovery {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub case: i64,
    pub credit_code: String,
    pub applicant: String,
    pub letter_number: Option<String>,
    pub due: Option<String>,
    /// Yuan, as text (0.00).
    pub amount_yuan: String,
    pub recovered_yuan: String,
    pub outstanding_yuan: String,
}

/// The round's cases with money still to recover.
pub fn outstanding(conn: &Connection, year: i32) -> Result<Vec<OutstandingRecovery>> {
    Ok(list(conn, year)?
        .into_iter()
        .filter(|c| c.outstanding_yuan > Decimal::ZERO)
        .map(|c| OutstandingRecovery {
            case: c.id,
            credit_code: c.credit_code,
            applicant: c.applicant,
            letter_number: c.letter_number,
            due: c.letter_due,
            amount_yuan: format_yuan(c.amount_yuan),
            recovered_yuan: format_yuan(c.recovered_yuan),
            outstanding_yuan: format_yuan(c.outstanding_yuan),
        })
        .collect())
}

/// What a finding says.
pub struct Finding<'a> {
    pub round: i32,
    pub credit_code: &'a str,
    pub reason: &'a str,
    pub amount: Decimal,
    /// The evidence file's name and bytes.
    pub evidence: Option<(&'a str, &'a [u8])>,
}

/// What the ledger says was paid to the applicant in the round, over its
/// letters in force (or, once revoked, the letters the revocation replaced).
fn paid(conn: &Connection, year: i32, code: &str) -> Result<Decimal> {
    let mut st = conn.prepare(
        "SELECT paid_yuan FROM payment_ledger
         WHERE round_year = ?1 AND credit_code = ?2 AND paid_on IS NOT NULL",
    )?;
    let sum = st
        .query_map(params![year, code], |r| r.get::<_, Option<String>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .map(|s| dec(&s))
        .sum();
    Ok(sum)
}

/// Record a finding (the register office or an administrator): the
/// applicant must have been paid in the round, the amount is at most what
/// was paid, and an applicant has one open case at a time.
pub fn find(store: &mut Store, actor: &Actor, f: &Finding<'_>) -> Result<Case> {
    register_or_admin(store.conn(), actor)?;
    required(f.reason, "追回理由", "the reason (--reason)")?;
    let code = f.credit_code.trim().to_ascii_uppercase();
    let (applicant_id, _) = applicant(store.conn(), &code)?;
    if f.amount <= Decimal::ZERO || f.amount.normalize().scale() > 2 {
        return Err(coded(
            "invalid",
            format!("追回金额 {} 应为正数，精确到分", f.amount),
            format!(
                "the amount {} must be positive, to the fen at most",
                f.amount
            ),
        ));
    }
    let paid = paid(store.conn(), f.round, &code)?;
    if paid <= Decimal::ZERO {
        return Err(coded(
            "not_paid",
            format!("资金拨付台账中 {code} 在{}年度尚无拨付记录：未拨付的扶持无需追回（撤销决定即可：decide revoke）", f.round),
            format!("the payment ledger has no payment to {code} in the {} round: nothing paid, nothing to recover (revoke the decision: decide revoke)", f.round),
        ));
    }
    if f.amount > paid {
        return Err(coded(
            "amount_above_paid",
            format!(
                "追回金额 {} 元超过已拨付金额 {} 元",
                format_yuan(f.amount),
                format_yuan(paid)
            ),
            format!(
                "the amount {} yuan is above what was paid ({} yuan)",
                format_yuan(f.amount),
                format_yuan(paid)
            ),
        ));
    }
    let open = list(store.conn(), f.round)?
        .into_iter()
        .find(|c| c.credit_code == code && c.outstanding_yuan > Decimal::ZERO);
    if let Some(c) = open {
        return Err(coded(
            "case_open",
            format!("{code} 已有未结的追回案件 {}", c.id),
            format!("{code} already has an open clawback case ({})", c.id),
        ));
    }
    let reason = f.reason.trim().to_string();
    let id = store.change(actor, "clawback.find", &code, |tx| {
        let evidence = match f.evidence {
            Some((name, bytes)) => Some((name, crate::store::put_blob(tx, bytes)?)),
            None => None,
        };
        tx.execute(
            "INSERT INTO clawbacks(round_year, applicant_id, credit_code, reason, amount_yuan,
               evidence_hash, evidence_name, found_by, found_fp, found_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                f.round,
                applicant_id,
                code,
                reason,
                format_yuan(f.amount),
                evidence.as_ref().map(|e| e.1.clone()),
                evidence.as_ref().map(|e| e.0),
                actor.0,
                actor.fingerprint(),
                now()
            ],
        )?;
        let id = tx.last_insert_rowid();
        Ok((
            id,
            serde_json::json!({ "clawback": id, "round": f.round, "reason": reason,
                "amount_yuan": format_yuan(f.amount), "paid_yuan": format_yuan(paid),
                "evidence": evidence.map(|e| serde_json::json!({"name": e.0, "sha256": e.1})) }),
        ))
    })?;
    case(store.conn(), id)
}

/// A signed letter of a case: its number and the PDF to hand over.
#[derive(Debug, Clone, Serialize)]
pub struct CaseLetter {
    pub case: i64,
    pub number: String,
    pub kind: String,
    pub sha256: String,
    pub amount_yuan: String,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

/// Letters of the applicant's round kept in the register, cited in full:
/// 2026年11月2日以《关于给予……的决定》（渝中大数据发〔2026〕1号）. `filter`
/// is the SQL condition on `register` (parameters ?1 year, ?2 code, ?3).
fn cited(
    conn: &Connection,
    filter: &str,
    year: i32,
    code: &str,
    third: &str,
) -> Result<Vec<String>> {
    let mut st = conn.prepare(&format!(
        "SELECT r.number, r.issued_at, r.content, r.amount_yuan FROM register r
         JOIN decisions d ON d.id = r.decision_id
         WHERE d.round_year = ?1 AND r.credit_code = ?2 AND r.voided_at IS NULL AND {filter}
         ORDER BY r.year, r.seq"
    ))?;
    let rows = st
        .query_map(params![year, code, third], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, a)| a.as_deref().map(dec).unwrap_or_default() > Decimal::ZERO)
        .map(|(number, at, content, _)| cite(&number, &at, content.as_deref()))
        .collect())
}

/// One register letter cited in full, from its number, issue time and
/// kept content.
fn cite(number: &str, issued_at: &str, content: Option<&str>) -> String {
    let day = NaiveDate::parse_from_str(issued_at.get(..10).unwrap_or(""), "%Y-%m-%d")
        .map(crate::letters::format_date)
        .unwrap_or_else(|_| issued_at.to_string());
    let title = content
        .and_then(|c| serde_json::from_str::<crate::letters::LetterContent>(c).ok())
        .map(|c| c.title)
        .unwrap_or_else(|| "决定书".to_string());
    format!("{day}以《{title}》（{number}）")
}

/// A register letter cited in full by its number.
fn cite_number(conn: &Connection, number: &str) -> Result<String> {
    let (at, content): (String, Option<String>) = conn.query_row(
        "SELECT issued_at, content FROM register WHERE number = ?1",
        [number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(cite(number, &at, content.as_deref()))
}

fn guide(conn: &Connection, year: i32) -> Result<crate::guide::Guide> {
    round_guide(conn, year)?.map(|(_, g)| g).ok_or_else(|| {
        coded(
            "no_round",
            format!("{year}年度尚无评审轮次"),
            format!("there is no {year} round"),
        )
    })
}

/// What a sealed letter of a case needs besides its content.
struct Issuing<'a> {
    actor: Actor,
    signer_name: String,
    writer: &'a LetterWriter,
    by: &'a SealedIssue<'a>,
}

impl<'a> Issuing<'a> {
    /// The register office issuing under the bureau's seal on the round's
    /// home store.
    fn new(
        store: &Store,
        writer: &'a LetterWriter,
        by: &'a SealedIssue<'a>,
        year: i32,
    ) -> Result<Self> {
        let actor = by.issuer.actor();
        roster::check_actor(store.conn(), &actor, Role::Register)?;
        crate::exchange::home::ensure_home(store.conn(), year)?;
        let (signer_name, _) = seal_of(store, by)?;
        Ok(Issuing {
            actor,
            signer_name,
            writer,
            by,
        })
    }
}

/// Issue the prior notice (追回事先告知书) of case `id` under the seal: the
/// finding, the amount, the letters that gave the support, and the right
/// to state one's case by `deadline` (after `today`). Once per case.
pub fn notify(
    store: &mut Store,
    writer: &LetterWriter,
    by: &SealedIssue<'_>,
    id: i64,
    deadline: NaiveDate,
    today: NaiveDate,
) -> Result<CaseLetter> {
    let c = case(store.conn(), id)?;
    let issuing = Issuing::new(store, writer, by, c.round)?;
    if let Some(n) = &c.notice_number {
        return Err(coded(
            "already_notified",
            format!("追回案件 {id} 已送达事先告知书（{n}）"),
            format!("case {id} already has its prior notice ({n})"),
        ));
    }
    if deadline <= today {
        return Err(coded(
            "invalid",
            format!("陈述申辩期限 {deadline} 应晚于今天（{today}）"),
            format!("the deadline {deadline} must be after today ({today})"),
        ));
    }
    let g = guide(store.conn(), c.round)?;
    let awarded_by = cited(
        store.conn(),
        "r.kind IN ('approval', 'amendment') AND r.replaced_by IS NULL AND ?3 = ?3",
        c.round,
        &c.credit_code,
        "",
    )?;
    if awarded_by.is_empty() {
        return Err(coded(
            "nothing_in_force",
            format!("{} 没有有效的给予扶持决定书，无可追回", c.credit_code),
            format!(
                "{} has no approval letter in force to recover from",
                c.credit_code
            ),
        ));
    }
    store.change(&issuing.actor, "clawback.notify", &c.credit_code, |tx| {
        let (seq, number) = next_number(tx, &g, c.round)?;
        let head = crate::register::content::head(tx, &g, &number, today)?;
        let content = recovery_notice(&RecoveryNoticeInput {
            head,
            applicant: c.applicant.clone(),
            credit_code: Some(c.credit_code.clone()),
            awarded_by,
            finding: c.reason.clone(),
            amount: c.amount_yuan,
            deadline,
        })
        .map_err(crate::letter_error)?;
        let issued = issuing.issue(tx, &c, seq, &number, "recovery_notice", &content)?;
        tx.execute(
            "UPDATE clawbacks SET notice_number = ?2, notice_deadline = ?3, notified_at = ?4
             WHERE id = ?1",
            params![id, number, deadline.to_string(), now()],
        )?;
        let detail = serde_json::json!({ "clawback": id, "number": number,
            "deadline": deadline.to_string(), "sha256": issued.sha256 });
        Ok((issued, detail))
    })
}

impl Issuing<'_> {
    /// Sign `content` and keep it in the register as `kind`, numbered `seq`.
    fn issue(
        &self,
        tx: &Connection,
        c: &Case,
        seq: i64,
        number: &str,
        kind: &str,
        content: &crate::letters::LetterContent,
    ) -> Result<CaseLetter> {
        let pdf = sign(self.writer, self.by.seal, content, number)?;
        let decision = decision_of(tx, applicant_id(tx, c.id)?, c.round)?.map(|d| d.id);
        let sha256 = record_letter(
            tx,
            &self.actor,
            c.round,
            seq,
            number,
            kind,
            Some(applicant_id(tx, c.id)?),
            Some(c.credit_code.as_str()),
            decision,
            None,
            &pdf,
            content,
            &self.signer_name,
            Some(c.amount_yuan),
        )?;
        Ok(CaseLetter {
            case: c.id,
            number: number.to_string(),
            kind: kind.to_string(),
            sha256,
            amount_yuan: format_yuan(c.amount_yuan),
            pdf,
        })
    }
}

fn applicant_id(conn: &Connection, case: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT applicant_id FROM clawbacks WHERE id = ?1",
        [case],
        |r| r.get(0),
    )?)
}

/// Record the applicant's response (陈述申辩) to the prior notice, as
/// received on `received` (not after `today`); by the register office or an
/// administrator, once.
pub fn respond(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    received: NaiveDate,
    text: &str,
    today: NaiveDate,
) -> Result<Case> {
    register_or_admin(store.conn(), actor)?;
    required(text, "陈述申辩内容", "the response's text (--text)")?;
    let c = case(store.conn(), id)?;
    if c.notice_number.is_none() {
        return Err(coded(
            "not_notified",
            format!("追回案件 {id} 尚未送达事先告知书（clawback notify）"),
            format!("case {id} has no prior notice yet (clawback notify)"),
        ));
    }
    if c.response_text.is_some() {
        return Err(coded(
            "already_responded",
            format!("追回案件 {id} 已登记陈述申辩意见"),
            format!("case {id} already has the applicant's response"),
        ));
    }
    if received > today {
        return Err(coded(
            "invalid",
            format!("收到日期 {received} 晚于今天"),
            format!("the received date {received} is after today"),
        ));
    }
    let text = text.trim().to_string();
    store.change(actor, "clawback.respond", &c.credit_code, |tx| {
        tx.execute(
            "UPDATE clawbacks SET response_received = ?2, response_text = ?3, responded_by = ?4,
               responded_at = ?5 WHERE id = ?1",
            params![id, received.to_string(), text, actor.0, now()],
        )?;
        Ok((
            (),
            serde_json::json!({ "clawback": id, "received": received.to_string(),
            "text": text }),
        ))
    })?;
    case(store.conn(), id)
}

/// Propose the revocation of the case's decision (a reviewer; approved by
/// another person, then issued by the register office like every change):
/// only once the applicant has stated its case or its deadline has passed.
pub fn propose_revocation(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> Result<crate::review::decisions::Decision> {
    let c = case(store.conn(), id)?;
    let Some(deadline) = c.notice_deadline.clone() else {
        return Err(coded(
            "not_notified",
            format!("追回案件 {id} 尚未送达事先告知书（clawback notify）：须先告知陈述申辩权利"),
            format!("case {id} has no prior notice yet (clawback notify): the right to state its case comes first"),
        ));
    };
    if c.response_text.is_none() && today.to_string() <= deadline {
        return Err(coded(
            "right_to_state_case",
            format!("陈述申辩期限（{deadline}）未届满且尚未收到陈述申辩意见，不能撤销"),
            format!("the applicant may still state its case until {deadline}: no revocation before its response or the deadline"),
        ));
    }
    crate::review::workflow::propose_change(
        store,
        actor,
        &c.credit_code,
        ChangeKind::Revocation,
        &format!("{}（追回案件 {id}）", c.reason),
    )
}

/// The issued revocation of the case's applicant, if any: (decision id,
/// its register number).
fn issued_revocation(conn: &Connection, c: &Case) -> Result<Option<(i64, String)>> {
    let aid = applicant_id(conn, c.id)?;
    let Some(d) = decision_of(conn, aid, c.round)? else {
        return Ok(None);
    };
    if d.state != DecisionState::Issued
        || !d
            .change
            .as_ref()
            .is_some_and(|ch| ch.kind == ChangeKind::Revocation)
    {
        return Ok(None);
    }
    let number: Option<String> = conn
        .query_row(
            "SELECT number FROM register WHERE decision_id = ?1 AND kind = 'revocation'
             AND voided_at IS NULL ORDER BY seq DESC LIMIT 1",
            [d.id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(number.map(|n| (d.id, n)))
}

/// Issue the recovery decision (追回决定) of case `id` under the seal, once
/// the revocation is issued: the amount, `due` (after `today`), the revoked
/// letters by number, the notice and the response, and the remedy.
pub fn letter(
    store: &mut Store,
    writer: &LetterWriter,
    by: &SealedIssue<'_>,
    id: i64,
    due: NaiveDate,
    today: NaiveDate,
) -> Result<CaseLetter> {
    let c = case(store.conn(), id)?;
    let issuing = Issuing::new(store, writer, by, c.round)?;
    if let Some(n) = &c.letter_number {
        return Err(coded(
            "already_issued",
            format!("追回案件 {id} 的追回决定已出具（{n}）"),
            format!("case {id}'s recovery letter is already issued ({n})"),
        ));
    }
    let Some(notice) = c.notice_number.clone() else {
        return Err(coded(
            "not_notified",
            format!("追回案件 {id} 尚未送达事先告知书（clawback notify）"),
            format!("case {id} has no prior notice yet (clawback notify)"),
        ));
    };
    let Some((decision, revocation)) = issued_revocation(store.conn(), &c)? else {
        return Err(coded(
            "not_revoked",
            format!("{} 的决定尚未撤销：先撤销（clawback revoke → decide approve → letter issue），再出具追回决定", c.credit_code),
            format!("{}'s decision is not revoked yet: revoke it first (clawback revoke → decide approve → letter issue)", c.credit_code),
        ));
    };
    if due <= today {
        return Err(coded(
            "invalid",
            format!("退回期限 {due} 应晚于今天（{today}）"),
            format!("the due date {due} must be after today ({today})"),
        ));
    }
    let g = guide(store.conn(), c.round)?;
    let conn = store.conn();
    let awarded_by = cited(
        conn,
        "r.kind IN ('approval', 'amendment') AND r.replaced_by = ?3",
        c.round,
        &c.credit_code,
        &revocation,
    )?;
    let notice_cited = cite_number(conn, &notice)?;
    let revocation_cited = cite_number(conn, &revocation)?;
    let response = match (&c.response_received, &c.response_text) {
        (Some(on), Some(t)) => NaiveDate::parse_from_str(on, "%Y-%m-%d")
            .ok()
            .map(|d| (d, t.clone())),
        _ => None,
    };
    let (recon, lit) = crate::register::content::remedy_parts(&g);
    store.change(&issuing.actor, "clawback.letter", &c.credit_code, |tx| {
        let (seq, number) = next_number(tx, &g, c.round)?;
        let head = crate::register::content::head(tx, &g, &number, today)?;
        let content = recovery(&RecoveryInput {
            head,
            applicant: c.applicant.clone(),
            credit_code: Some(c.credit_code.clone()),
            awarded_by,
            finding: c.reason.clone(),
            notice: notice_cited,
            response,
            revocation: revocation_cited,
            amount: c.amount_yuan,
            due,
            reconsideration: recon,
            litigation: lit,
        })
        .map_err(crate::letter_error)?;
        let issued = issuing.issue(tx, &c, seq, &number, "recovery", &content)?;
        tx.execute(
            "UPDATE clawbacks SET revocation_decision = ?2, letter_number = ?3, letter_due = ?4,
               lettered_at = ?5 WHERE id = ?1",
            params![id, decision, number, due.to_string(), now()],
        )?;
        let detail = serde_json::json!({ "clawback": id, "number": number,
            "due": due.to_string(), "revocation": revocation, "sha256": issued.sha256,
            "amount_yuan": format_yuan(c.amount_yuan) });
        Ok((issued, detail))
    })
}

/// A recovery as finance saw the money come back.
pub struct Received<'a> {
    pub amount: Decimal,
    pub on: NaiveDate,
    pub voucher: &'a str,
}

/// Record money recovered on case `id` (the register office): at most what
/// is outstanding, after the recovery letter; the ledger rows of the
/// revoked letters then say 部分追回 or, once all is back, 已追回, with
/// what came back spread over them in ledger order.
pub fn record(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    r: &Received<'_>,
    today: NaiveDate,
) -> Result<Case> {
    roster::check_actor(store.conn(), actor, Role::Register)?;
    required(r.voucher, "凭证号", "the voucher number (--voucher)")?;
    let c = case(store.conn(), id)?;
    let Some(letter) = c.letter_number.clone() else {
        return Err(coded(
            "no_recovery_letter",
            format!("追回案件 {id} 尚未出具追回决定（clawback letter）"),
            format!("case {id} has no recovery letter yet (clawback letter)"),
        ));
    };
    if r.amount <= Decimal::ZERO || r.amount > c.outstanding_yuan {
        return Err(coded(
            "invalid",
            format!(
                "追回金额 {} 元应为正数且不超过未追回的 {} 元",
                format_yuan(r.amount),
                format_yuan(c.outstanding_yuan)
            ),
            format!(
                "the amount {} yuan must be positive and at most the {} yuan outstanding",
                format_yuan(r.amount),
                format_yuan(c.outstanding_yuan)
            ),
        ));
    }
    if r.on > today {
        return Err(coded(
            "invalid",
            format!("到账日期 {} 晚于今天", r.on),
            format!("the date {} is after today", r.on),
        ));
    }
    let revocation: String = store.conn().query_row(
        "SELECT number FROM register WHERE decision_id = ?1 AND kind = 'revocation'
         ORDER BY seq DESC LIMIT 1",
        [c.revocation_decision],
        |row| row.get(0),
    )?;
    let voucher = r.voucher.trim().to_string();
    store.change(actor, "clawback.record", &c.credit_code, |tx| {
        tx.execute(
            "INSERT INTO clawback_recoveries(clawback_id, amount_yuan, received_on, voucher,
               recorded_by, recorded_fp, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                format_yuan(r.amount),
                r.on.to_string(),
                voucher,
                actor.0,
                actor.fingerprint(),
                now()
            ],
        )?;
        let total = c.recovered_yuan + r.amount;
        let state = if total >= c.amount_yuan {
            "已追回"
        } else {
            "部分追回"
        };
        let mut st = tx.prepare(
            "SELECT id, paid_yuan FROM payment_ledger
             WHERE round_year = ?1 AND credit_code = ?2 AND paid_on IS NOT NULL
               AND letter_number IN (SELECT number FROM register WHERE replaced_by = ?3)
             ORDER BY id",
        )?;
        let rows = st
            .query_map(params![c.round, c.credit_code, revocation], |x| {
                Ok((x.get::<_, i64>(0)?, x.get::<_, Option<String>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut left = total;
        for (row, paid) in rows {
            let paid = paid.as_deref().map(dec).unwrap_or_default();
            let share = left.min(paid);
            left -= share;
            tx.execute(
                "UPDATE payment_ledger SET state = ?2, recovered_yuan = ?3 WHERE id = ?1",
                params![row, state, format_yuan(share)],
            )?;
        }
        Ok((
            (),
            serde_json::json!({ "clawback": id, "letter": letter,
            "amount_yuan": format_yuan(r.amount), "on": r.on.to_string(), "voucher": voucher,
            "recovered_yuan": format_yuan(total), "ledger_state": state }),
        ))
    })?;
    case(store.conn(), id)
}

/// Whether the signed file with hash `sha256` is a clawback letter (prior
/// notice or recovery decision) of a case in this store (what `verify`
/// asks of a register entry of those kinds).
pub fn is_case_letter(conn: &Connection, sha256: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM register r JOIN clawbacks c
           ON (r.kind = 'recovery_notice' AND c.notice_number = r.number)
           OR (r.kind = 'recovery' AND c.letter_number = r.number)
         WHERE r.letter_hash = ?1 AND r.credit_code = c.credit_code",
        [sha256],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
