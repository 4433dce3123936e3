//! After a letter is issued: its delivery (送达) is recorded once, with the
//! date and the method, and the remedy deadlines count from that date; a
//! letter issued in error is voided with a written reason. A voided number is
//! never reused (the register only grows; `issue` takes the next sequence
//! number after the highest ever issued).
//!
//! The deadlines are statutory, not annual policy: 60 days for an
//! administrative reconsideration (《行政复议法》第二十条) and 6 months for an
//! administrative lawsuit (《行政诉讼法》第四十六条), both from the day the
//! decision was received.

use chrono::{Months, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::store::{Actor, Store};

/// Days to apply for administrative reconsideration after delivery.
pub const RECONSIDERATION_DAYS: u64 = 60;
/// Months to bring an administrative lawsuit after delivery.
pub const LAWSUIT_MONTHS: u32 = 6;

/// The ways a decision may be delivered (《民事诉讼法》送达方式, as
/// administrative bodies use them).
pub const METHODS: &[&str] = &[
    "直接送达",
    "邮寄送达",
    "电子送达",
    "留置送达",
    "委托送达",
    "公告送达",
];

/// A register entry with its delivery and voiding.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LetterRecord {
    pub number: String,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"approval\" | \"refusal\" | \"correction\" | \"amendment\" | \"revocation\"")
    )]
    pub kind: String,
    pub credit_code: Option<String>,
    pub signer: String,
    pub amount_yuan: Option<String>,
    pub issued_at: String,
    pub letter_sha256: String,
    pub delivered_on: Option<String>,
    pub delivery_method: Option<String>,
    /// Last day to apply for reconsideration (decisions only, once delivered).
    pub reconsideration_until: Option<String>,
    /// Last day to bring a lawsuit (decisions only, once delivered).
    pub lawsuit_until: Option<String>,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    pub voided_by: Option<String>,
    /// The letter that amended or revoked this one: no longer in force.
    pub replaced_by: Option<String>,
}

/// The remedy deadlines for a decision delivered on `on`.
pub fn deadlines(on: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let reconsider = on.checked_add_days(chrono::Days::new(RECONSIDERATION_DAYS))?;
    let lawsuit = on.checked_add_months(Months::new(LAWSUIT_MONTHS))?;
    Some((reconsider, lawsuit))
}

const SELECT: &str =
    "SELECT number, kind, credit_code, signer, amount_yuan, issued_at, letter_hash,
        delivered_on, delivery_method, voided_at, void_reason, voided_by, replaced_by FROM register";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LetterRecord> {
    let kind: String = r.get(1)?;
    let delivered_on: Option<String> = r.get(7)?;
    let (reconsideration_until, lawsuit_until) = match (&delivered_on, kind.as_str()) {
        // every decision states the remedy; a correction notice decides nothing
        (Some(d), "approval" | "refusal" | "amendment" | "revocation") => {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .and_then(deadlines)
                .map(|(a, b)| (Some(a.to_string()), Some(b.to_string())))
                .unwrap_or((None, None))
        }
        _ => (None, None),
    };
    Ok(LetterRecord {
        number: r.get(0)?,
        kind,
        credit_code: r.get(2)?,
        signer: r.get(3)?,
        amount_yuan: r.get(4)?,
        issued_at: r.get(5)?,
        letter_sha256: r.get(6)?,
        delivered_on,
        delivery_method: r.get(8)?,
        reconsideration_until,
        lawsuit_until,
        voided_at: r.get(9)?,
        void_reason: r.get(10)?,
        voided_by: r.get(11)?,
        replaced_by: r.get(12)?,
    })
}

/// Every letter in the register, oldest first.
pub fn list(store: &Store) -> Result<Vec<LetterRecord>> {
    let mut st = store
        .conn()
        .prepare(&format!("{SELECT} ORDER BY year, seq"))?;
    let rows = st.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One letter by its number.
pub fn find(store: &Store, number: &str) -> Result<LetterRecord> {
    store
        .conn()
        .query_row(&format!("{SELECT} WHERE number = ?1"), [number], row)
        .optional()?
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "登记簿中没有文号 {number} / no letter numbered {number} in the register"
            ))
        })
}

/// Record that letter `number` was delivered on `on` by `method`. Once only:
/// a delivery already recorded is never overwritten (the deadlines run from
/// it). The date may not precede the letter's issue or lie in the future.
pub fn record_delivery(
    store: &mut Store,
    actor: &Actor,
    number: &str,
    on: NaiveDate,
    method: &str,
    today: NaiveDate,
) -> Result<LetterRecord> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Register)?;
    let before = find(store, number)?;
    if !METHODS.contains(&method) {
        return Err(EngineError::Invalid(format!(
            "送达方式“{method}”无效，应为：{} / unknown delivery method",
            METHODS.join("、")
        )));
    }
    if let Some(v) = &before.voided_at {
        return Err(EngineError::Invalid(format!(
            "{number} 已于 {v} 作废，不能登记送达 / the letter is void"
        )));
    }
    if let Some(d) = &before.delivered_on {
        return Err(EngineError::Invalid(format!(
            "{number} 已登记于 {d} 送达，不能更改 / delivery is already recorded"
        )));
    }
    let issued = before.issued_at.get(..10).unwrap_or("");
    if on.to_string().as_str() < issued {
        return Err(EngineError::Invalid(format!(
            "送达日期 {on} 早于发文日期 {issued} / delivery before issue"
        )));
    }
    if on > today {
        return Err(EngineError::Invalid(format!(
            "送达日期 {on} 晚于今天 / delivery date is in the future"
        )));
    }
    store.change(actor, "letter.deliver", number, |tx| {
        tx.execute(
            "UPDATE register SET delivered_on = ?2, delivery_method = ?3 WHERE number = ?1",
            rusqlite::params![number, on.to_string(), method],
        )?;
        Ok((
            (),
            serde_json::json!({ "number": number, "delivered_on": on.to_string(), "method": method }),
        ))
    })?;
    find(store, number)
}

/// Void letter `number` with a written reason. The number stays in the
/// register (never reused); `verify` reports the letter as void.
pub fn void_letter(
    store: &mut Store,
    actor: &Actor,
    number: &str,
    reason: &str,
) -> Result<LetterRecord> {
    // an act that counts: on a store with a roster, by a signed person with the role
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Register)?;
    let reason = reason.trim();
    if reason.chars().count() < 4 {
        return Err(EngineError::Invalid(
            "作废须写明理由（至少 4 个字）/ give a reason (at least 4 characters)".into(),
        ));
    }
    let before = find(store, number)?;
    if let Some(v) = &before.voided_at {
        return Err(EngineError::Invalid(format!(
            "{number} 已于 {v} 作废 / already void"
        )));
    }
    let now = crate::store::now();
    store.change(actor, "letter.void", number, |tx| {
        tx.execute(
            "UPDATE register SET voided_at = ?2, void_reason = ?3, voided_by = ?4 WHERE number = ?1",
            rusqlite::params![number, now, reason, actor.0],
        )?;
        Ok((
            (),
            serde_json::json!({ "number": number, "reason": reason }),
        ))
    })?;
    find(store, number)
}

/// The letters `numbers` (all issued, none void) as ONE PDF to print: each
/// rendered again from what it said when issued, with the seal only when
/// `seal` (a printed seal image invites forgery: copies for a wet seal go
/// without). Not signed: the signed files stay the originals.
pub fn print_copies(
    store: &Store,
    writer: &crate::letters::LetterWriter,
    numbers: &[String],
    seal: bool,
) -> Result<crate::letters::RenderedLetter> {
    if numbers.is_empty() {
        return Err(EngineError::Invalid(
            "请指定要打印的文号 / name the letters to print".into(),
        ));
    }
    let mut contents = Vec::with_capacity(numbers.len());
    for n in numbers {
        let r = find(store, n)?;
        if r.voided_at.is_some() {
            return Err(EngineError::Invalid(format!(
                "{n} 已作废，不能打印 / {n} is void and is not printed"
            )));
        }
        let json: Option<String> =
            store
                .conn()
                .query_row("SELECT content FROM register WHERE number = ?1", [n], |r| {
                    r.get(0)
                })?;
        let json = json.ok_or_else(|| {
            EngineError::Invalid(format!(
                "{n} 签发于本版本之前，没有保存正文，请打印签名文件 / issued before letters kept their text: print the signed file"
            ))
        })?;
        let c: crate::letters::LetterContent =
            serde_json::from_str(&json).map_err(|e| EngineError::Store(format!("{n}: {e}")))?;
        contents.push(c);
    }
    writer
        .render_batch(&contents, crate::letters::RenderOptions { seal })
        .map_err(crate::letter_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_count_sixty_days_and_six_months_from_delivery() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(
            deadlines(d("2026-11-27")),
            Some((d("2027-01-26"), d("2027-05-27")))
        );
        // month ends clamp: 31 August + 6 months is the last day of February
        assert_eq!(
            deadlines(d("2026-08-31")).map(|x| x.1),
            Some(d("2027-02-28"))
        );
    }
}
