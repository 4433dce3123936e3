//! The payment ledger (资金拨付台账) of a round: every approved award of an
//! issued decision with its letter number, applicant, credit code, project,
//! the bank and account as imported (开户银行 / 银行账号), the amount, the
//! state (待拨付 / 已拨付 / 部分追回 / 已追回), finance's payment date,
//! voucher and paid amount, and the letter's SHA-256. `export` writes it
//! for the finance office (.xlsx, text as string cells, formula-like text
//! quote-prefixed, amounts as numbers); `import` takes finance's payment
//! columns back, refusing any row whose letter, account or amount differs
//! from the ledger. Clawback (追回, `clawback::record`) sets a paid row's
//! state to 部分追回 / 已追回 with what came back (已追回金额); such a row
//! keeps its state when finance's file comes back.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use super::lists::{day_of, read_grid, Table};
use crate::error::{EngineError, Result};
use crate::intake::extract::Extraction;
use crate::money::format_yuan;
use crate::rules::evaluate::Evaluation;
use crate::store::{Actor, Store};

const LETTER: &str = "决定书文号";
const APPLICANT: &str = "申报单位";
const CODE: &str = "统一社会信用代码";
const CLAUSE: &str = "条款";
const PROJECT: &str = "项目名称";
const BANK: &str = "开户银行";
const ACCOUNT: &str = "银行账号";
const AMOUNT: &str = "扶持金额（元）";
const STATE: &str = "状态";
const PAID_ON: &str = "拨付日期";
const VOUCHER: &str = "凭证号";
const PAID: &str = "实拨金额（元）";
const SHA: &str = "决定书SHA-256";
const RECOVERED: &str = "已追回金额（元）";
const PAID_BEFORE: &str = "原文书已拨付（元）";
const DUE: &str = "应拨差额（元）";

/// The ledger sheet's columns, in order.
pub const HEADERS: [&str; 16] = [
    LETTER,
    APPLICANT,
    CODE,
    CLAUSE,
    PROJECT,
    BANK,
    ACCOUNT,
    AMOUNT,
    STATE,
    PAID_ON,
    VOUCHER,
    PAID,
    SHA,
    RECOVERED,
    PAID_BEFORE,
    DUE,
];

/// An amendment's row whose project was paid under the letter it replaced:
/// the difference is paid (待补拨), nothing more is (已按原文书拨付), or the
/// excess is recovered (应追回差额, by the clawback path).
pub const TOP_UP: &str = "待补拨";
pub const SETTLED_BEFORE: &str = "已按原文书拨付";
pub const EXCESS: &str = "应追回差额";

/// One row of the ledger.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerRow {
    pub letter_number: String,
    pub applicant: String,
    pub credit_code: String,
    pub clause: String,
    pub project: String,
    pub bank: String,
    pub account: String,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub amount_yuan: Decimal,
    pub state: String,
    pub paid_on: Option<String>,
    pub voucher: Option<String>,
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub paid_yuan: Option<Decimal>,
    pub letter_sha256: String,
    /// What a clawback recovered of this row's payment.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub recovered_yuan: Option<Decimal>,
    /// Paid for this project under the letters this one replaced (an
    /// amendment's predecessors), net of what was recovered of it; None when
    /// nothing was.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub paid_before_yuan: Option<Decimal>,
    /// What is still to pay on this row: the award less what was paid under
    /// it and under the letters it replaced; negative when more was paid
    /// than the letter in force awards (the excess to recover). Zero for a
    /// row of a letter no longer in force.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub due_yuan: Decimal,
}

fn store_err(what: &str, e: impl std::fmt::Display) -> EngineError {
    EngineError::Store(format!("{what}: {e}"))
}

/// A workbook field as imported (its text), or "" when not filled in.
fn field_text(ex: &Extraction, key: &str) -> String {
    ex.field(key)
        .map(|f| f.raw.trim().to_string())
        .unwrap_or_default()
}

/// Add to the ledger every approved award of the round's issued decisions
/// not yet in it (rows already there keep their state and payments).
fn fill(conn: &Connection, year: i32) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT r.number, r.letter_hash, COALESCE(r.credit_code, ''), d.figures, s.extraction,
                COALESCE(a.name, ''), r.kind, COALESCE(json_extract(r.content, '$.title'), ''),
                r.amount_yuan
         FROM register r JOIN decisions d ON d.id = r.decision_id
              JOIN submissions s ON s.id = d.submission_id
              JOIN applicants a ON a.id = d.applicant_id
         WHERE d.round_year = ?1 AND d.state = 'issued'
           AND r.kind IN ('approval', 'amendment')
           AND r.voided_at IS NULL AND r.replaced_by IS NULL
         ORDER BY r.year, r.seq",
    )?;
    let letters = st
        .query_map([year], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut insert = conn.prepare(
        "INSERT INTO payment_ledger(round_year, letter_number, clause, project, applicant,
             credit_code, bank, account, amount_yuan, letter_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(letter_number, clause, project) DO NOTHING",
    )?;
    for (number, sha, code, figures, extraction, name, kind, title, amount) in letters {
        let ev: Evaluation = serde_json::from_str(&figures).map_err(|e| store_err(&number, e))?;
        let ex: Extraction =
            serde_json::from_str(&extraction).map_err(|e| store_err(&number, e))?;
        let applicant = ex.applicant_name.clone().unwrap_or(name);
        let (bank, account) = (field_text(&ex, BANK), field_text(&ex, ACCOUNT));
        let awarded: Vec<_> = ev
            .projects
            .iter()
            .filter(|p| p.eligible && p.award_yuan.is_some_and(|a| a > Decimal::ZERO))
            .collect();
        // an approval letter decides one project (the one its title names,
        // at the amount it states); an amendment decides them all, and so
        // does an approval from before letters were issued per project (its
        // title names none of them, or not exactly one)
        let stated = amount.as_deref().map(dec);
        let named: Vec<_> = awarded
            .iter()
            .copied()
            .filter(|p| title.contains(&format!("“{}”", p.name)) && p.award_yuan == stated)
            .collect();
        let decided = if kind == "approval" && named.len() == 1 {
            named
        } else {
            awarded
        };
        for p in decided {
            let Some(amount) = p.award_yuan else {
                continue;
            };
            insert.execute(params![
                year,
                number,
                p.clause.as_str(),
                p.name,
                applicant,
                code,
                bank,
                account,
                format_yuan(amount),
                sha
            ])?;
        }
    }
    // a project paid under a letter an amendment replaced, and awarded
    // nothing by the amendment in force (refused or zero): its row under the
    // amendment at 0.00, so the ledger shows what was overpaid (应追回差额)
    conn.execute(
        "WITH RECURSIVE chain(start, number) AS (
             SELECT number, replaced_by FROM register WHERE replaced_by IS NOT NULL
             UNION SELECT c.start, r.replaced_by FROM chain c JOIN register r ON r.number = c.number
               WHERE r.replaced_by IS NOT NULL)
         INSERT INTO payment_ledger(round_year, letter_number, clause, project, applicant,
             credit_code, bank, account, amount_yuan, letter_sha256)
         SELECT p.round_year, f.number, p.clause, p.project, p.applicant, p.credit_code, p.bank,
                p.account, ?2, f.letter_hash
         FROM payment_ledger p JOIN chain c ON c.start = p.letter_number
              JOIN register f ON f.number = c.number
         WHERE p.round_year = ?1 AND p.paid_on IS NOT NULL AND f.kind = 'amendment'
           AND f.voided_at IS NULL AND f.replaced_by IS NULL
         ORDER BY p.id
         ON CONFLICT(letter_number, clause, project) DO NOTHING",
        params![year, format_yuan(Decimal::ZERO)],
    )?;
    Ok(())
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

/// The ledger's columns as `row_of` reads them.
const COLUMNS: &str = "letter_number, applicant, credit_code, clause, project, bank, account,
     amount_yuan, state, paid_on, voucher, paid_yuan, letter_sha256, id, recovered_yuan";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, LedgerRow)> {
    Ok((
        r.get(13)?,
        LedgerRow {
            letter_number: r.get(0)?,
            applicant: r.get(1)?,
            credit_code: r.get(2)?,
            clause: r.get(3)?,
            project: r.get(4)?,
            bank: r.get(5)?,
            account: r.get(6)?,
            amount_yuan: dec(&r.get::<_, String>(7)?),
            state: r.get(8)?,
            paid_on: r.get(9)?,
            voucher: r.get(10)?,
            paid_yuan: r.get::<_, Option<String>>(11)?.map(|s| dec(&s)),
            letter_sha256: r.get(12)?,
            recovered_yuan: r.get::<_, Option<String>>(14)?.map(|s| dec(&s)),
            paid_before_yuan: None,
            due_yuan: Decimal::ZERO,
        },
    ))
}

/// Letters no longer in force: voided, or replaced by an amendment or a
/// revocation. Their unpaid rows leave the ledger (not payable); their paid
/// rows stay, for the clawback.
const NOT_IN_FORCE: &str = "SELECT number FROM register
     WHERE replaced_by IS NOT NULL OR voided_at IS NOT NULL";

/// What was paid for `clause`/`project` under the letters `letter`
/// replaced, followed back through every amendment, net of recoveries.
fn paid_before(conn: &Connection, letter: &str, clause: &str, project: &str) -> Result<Decimal> {
    let mut st = conn.prepare_cached(
        "WITH RECURSIVE earlier(number) AS (
             SELECT number FROM register WHERE replaced_by = ?1
             UNION SELECT r.number FROM register r JOIN earlier e ON r.replaced_by = e.number)
         SELECT paid_yuan, recovered_yuan FROM payment_ledger
         WHERE letter_number IN (SELECT number FROM earlier) AND clause = ?2 AND project = ?3
           AND paid_yuan IS NOT NULL",
    )?;
    let paid = st
        .query_map(params![letter, clause, project], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(paid
        .iter()
        .map(|(p, rec)| dec(p) - rec.as_deref().map(dec).unwrap_or_default())
        .sum())
}

/// Whether `letter` is voided or replaced.
fn in_force(conn: &Connection, letter: &str) -> Result<bool> {
    let gone: Option<i64> = conn
        .prepare_cached(
            "SELECT 1 FROM register WHERE number = ?1
               AND (replaced_by IS NOT NULL OR voided_at IS NOT NULL)",
        )?
        .query_row([letter], |r| r.get(0))
        .optional()?;
    Ok(gone.is_none())
}

/// Net a row against what was paid under the letters it replaced: its
/// `paid_before_yuan`, `due_yuan`, and for an unpaid amendment row already
/// (partly) paid before, the state that says what finance does now.
fn settle(conn: &Connection, row: &mut LedgerRow) -> Result<()> {
    if !in_force(conn, &row.letter_number)? {
        return Ok(());
    }
    let before = paid_before(conn, &row.letter_number, &row.clause, &row.project)?;
    let paid = row.paid_yuan.unwrap_or_default();
    row.due_yuan = row.amount_yuan - before - paid;
    if before != Decimal::ZERO {
        row.paid_before_yuan = Some(before);
        if row.paid_on.is_none() {
            row.state = match row.due_yuan.cmp(&Decimal::ZERO) {
                std::cmp::Ordering::Greater => TOP_UP,
                std::cmp::Ordering::Equal => SETTLED_BEFORE,
                std::cmp::Ordering::Less => EXCESS,
            }
            .to_string();
        }
    }
    Ok(())
}

/// The round's ledger, in the order rows were added: the rows of the letters
/// in force, and every row already paid; each row netted against what was
/// paid under the letters it replaced (an amended award is not paid twice).
pub fn rows(conn: &Connection, year: i32) -> Result<Vec<LedgerRow>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM payment_ledger WHERE round_year = ?1
           AND (paid_on IS NOT NULL OR letter_number NOT IN ({NOT_IN_FORCE}))
         ORDER BY id"
    ))?;
    let mut rows = st
        .query_map([year], row_of)?
        .map(|r| r.map(|(_, row)| row))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for row in &mut rows {
        settle(conn, row)?;
    }
    Ok(rows)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> EngineError {
    EngineError::Invalid(format!("xlsx: {e}"))
}

/// An amount as an xlsx number (its own shortest decimal text).
fn number(a: Decimal) -> Result<f64> {
    format_yuan(a)
        .parse()
        .map_err(|_| EngineError::Invalid(format!("amount {a} is not a number")))
}

/// The ledger as the finance office's workbook (sheet 资金拨付台账).
pub fn to_xlsx(rows: &[LedgerRow]) -> Result<Vec<u8>> {
    use crate::applications::export::is_formula_like;
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    // text that a spreadsheet would take for a formula stays text when edited
    let quoted = Format::new().set_quote_prefix();
    let ws = wb.add_worksheet();
    ws.set_name("资金拨付台账").map_err(xlsx_err)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
        ws.set_column_width(c as u16, if c == 1 || c == 4 { 32 } else { 20 })
            .map_err(xlsx_err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        let texts = [
            (0, r.letter_number.as_str()),
            (1, &r.applicant),
            (2, &r.credit_code),
            (3, &r.clause),
            (4, &r.project),
            (5, &r.bank),
            (6, &r.account),
            (8, &r.state),
            (9, r.paid_on.as_deref().unwrap_or("")),
            (10, r.voucher.as_deref().unwrap_or("")),
            (12, &r.letter_sha256),
        ];
        for (c, t) in texts {
            if t.is_empty() {
                continue;
            }
            if is_formula_like(t) {
                ws.write_string_with_format(row, c, t, &quoted)
            } else {
                ws.write_string(row, c, t)
            }
            .map_err(xlsx_err)?;
        }
        ws.write_number_with_format(row, 7, number(r.amount_yuan)?, &money)
            .map_err(xlsx_err)?;
        if let Some(p) = r.paid_yuan {
            ws.write_number_with_format(row, 11, number(p)?, &money)
                .map_err(xlsx_err)?;
        }
        if let Some(p) = r.recovered_yuan {
            ws.write_number_with_format(row, 13, number(p)?, &money)
                .map_err(xlsx_err)?;
        }
        if let Some(p) = r.paid_before_yuan {
            ws.write_number_with_format(row, 14, number(p)?, &money)
                .map_err(xlsx_err)?;
        }
        ws.write_number_with_format(row, 15, number(r.due_yuan)?, &money)
            .map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// What `ledger export` wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Exported {
    pub file: String,
    pub round: i32,
    pub rows: usize,
}

/// Bring the ledger up to date with the round's issued decisions and write
/// it to `path` (.xlsx); by the register office, audited.
pub fn export(store: &mut Store, actor: &Actor, year: i32, path: &Path) -> Result<Exported> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Register)?;
    let file = path.display().to_string();
    let rows = store.change(actor, "ledger.export", &format!("round:{year}"), |tx| {
        fill(tx, year)?;
        let rows = rows(tx, year)?;
        let detail = serde_json::json!({ "file": file, "rows": rows.len() });
        Ok((rows, detail))
    })?;
    crate::store::write_atomic(path, &to_xlsx(&rows)?)?;
    Ok(Exported {
        file,
        round: year,
        rows: rows.len(),
    })
}

/// A row finance's file gave back that was not taken, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refused {
    /// The spreadsheet row (1-based; the header is row 1).
    pub row: u32,
    pub reason: String,
}

/// What `ledger import` took.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Taken {
    pub paid: usize,
    pub refused: Vec<Refused>,
}

/// One ledger row as the store keeps it, by letter, clause and project.
fn stored(
    conn: &Connection,
    letter: &str,
    clause: &str,
    project: &str,
) -> Result<Option<(i64, LedgerRow)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM payment_ledger
             WHERE letter_number = ?1 AND clause = ?2 AND project = ?3"
        ))?
        .query_row(params![letter, clause, project], row_of)
        .optional()?)
}

/// A payment a row of finance's file records: (date, voucher, amount).
type Payment = (String, String, Decimal);

/// Check one row of finance's file against the ledger: Ok(None) when it
/// records no payment, Ok(Some) the payment to take, Err the reason (zh / en).
fn check_row(
    conn: &Connection,
    t: &Table<'_>,
    r: u32,
) -> Result<std::result::Result<Option<(i64, Payment)>, String>> {
    let text = |c: &str| t.text(r, c).unwrap_or_default();
    let (letter, clause, project) = (text(LETTER), text(CLAUSE), text(PROJECT));
    let Some((id, mut row)) = stored(conn, &letter, &clause, &project)? else {
        return Ok(Err(format!(
            "决定书文号「{letter}」的{clause}项目「{project}」不在台账中（文号或项目被改动） / letter '{letter}' {clause} project '{project}' is not in the ledger (the letter number or project was changed)"
        )));
    };
    if row.paid_on.is_none() {
        let gone: Option<(Option<String>, Option<String>)> = conn
            .prepare_cached("SELECT replaced_by, voided_at FROM register WHERE number = ?1")?
            .query_row([&letter], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match gone {
            Some((Some(by), _)) => {
                return Ok(Err(format!(
                    "决定书「{letter}」已由「{by}」变更或撤销，该行不予拨付 / letter '{letter}' was amended or revoked by '{by}': not payable"
                )))
            }
            Some((None, Some(_))) => {
                return Ok(Err(format!(
                    "决定书「{letter}」已作废，该行不予拨付 / letter '{letter}' is void: not payable"
                )))
            }
            _ => {}
        }
    }
    let sha = text(SHA);
    if sha != row.letter_sha256 {
        return Ok(Err(format!(
            "决定书SHA-256与台账不符（台账 {}，文件 {sha}） / the letter's SHA-256 differs from the ledger ({} in the ledger, {sha} in the file)",
            row.letter_sha256, row.letter_sha256
        )));
    }
    let account = text(ACCOUNT);
    if account != row.account {
        return Ok(Err(format!(
            "银行账号与台账不符（台账 {}，文件 {account}），未录入 / the bank account differs from the ledger ({} in the ledger, {account} in the file): not taken",
            row.account, row.account
        )));
    }
    let amount = t.text(r, AMOUNT).unwrap_or_default().replace(',', "");
    if amount.parse::<Decimal>().ok() != Some(row.amount_yuan) {
        let ledger = format_yuan(row.amount_yuan);
        return Ok(Err(format!(
            "扶持金额与台账不符（台账 {ledger} 元，文件 {amount}），未录入 / the amount differs from the ledger ({ledger} yuan in the ledger, {amount} in the file): not taken"
        )));
    }
    let Some(on) = t.cell(r, PAID_ON) else {
        return Ok(Ok(None));
    };
    // an amendment's award less what its predecessors already paid
    settle(conn, &mut row)?;
    let payable = row.amount_yuan - row.paid_before_yuan.unwrap_or_default();
    if row.paid_on.is_none() && payable <= Decimal::ZERO {
        let before = format_yuan(row.paid_before_yuan.unwrap_or_default());
        return Ok(Err(format!(
            "该项目已按原决定书拨付 {before} 元，不低于变更后的扶持金额，不再拨付（多拨部分走追回程序） / {before} yuan was already paid for this project under the letter this one replaced, not less than the amended award: nothing more is paid (any excess is recovered by the clawback path)"
        )));
    }
    let Some(on) = day_of(&on.raw_text()) else {
        return Ok(Err(format!(
            "拨付日期「{}」不是日期（YYYY-MM-DD） / the payment date '{}' is not a date (YYYY-MM-DD)",
            on.raw_text(),
            on.raw_text()
        )));
    };
    let Some(voucher) = t.text(r, VOUCHER) else {
        return Ok(Err(
            "已填拨付日期但未填凭证号 / a payment date without a voucher number".into(),
        ));
    };
    let paid = match t.text(r, PAID) {
        None => payable,
        Some(p) => match p.replace(',', "").parse::<Decimal>() {
            Ok(d) if d > Decimal::ZERO && d <= payable => d,
            _ if payable < row.amount_yuan => {
                let (cap, before) = (format_yuan(payable), format_yuan(row.amount_yuan - payable));
                return Ok(Err(format!(
                    "实拨金额「{p}」应为不超过应拨差额 {cap} 元的正数（原决定书已拨付 {before} 元） / the paid amount '{p}' must be positive and not above the {cap} yuan still due ({before} yuan was paid under the letter this one replaced)"
                )));
            }
            _ => {
                return Ok(Err(format!(
                    "实拨金额「{p}」应为不超过扶持金额的正数 / the paid amount '{p}' must be positive and not above the award"
                )))
            }
        },
    };
    let on = on.format("%Y-%m-%d").to_string();
    if let (Some(was_on), Some(was_v)) = (&row.paid_on, &row.voucher) {
        if *was_on == on && *was_v == voucher && row.paid_yuan == Some(paid) {
            return Ok(Ok(None));
        }
        return Ok(Err(format!(
            "该笔已于{was_on}拨付（凭证号 {was_v}），不重复录入 / already paid on {was_on} (voucher {was_v}): not entered again"
        )));
    }
    Ok(Ok(Some((id, (on, voucher, paid)))))
}

/// Take finance's filled-in payment columns from the ledger workbook in
/// `bytes`: rows whose letter, account or amount differ from the ledger are
/// refused with the reason; the others' payments are recorded (已拨付; a
/// row under clawback keeps its state). By the register office, audited.
pub fn import(store: &mut Store, actor: &Actor, file: &str, bytes: &[u8]) -> Result<Taken> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Register)?;
    let grid = read_grid(bytes, file, "bad_ledger")?;
    let need = [
        LETTER, CLAUSE, PROJECT, ACCOUNT, AMOUNT, PAID_ON, VOUCHER, PAID, SHA,
    ];
    let table = Table::read(&grid, &need, "bad_ledger")?;
    store.change(actor, "ledger.import", file, |tx| {
        let mut taken = Taken {
            paid: 0,
            refused: Vec::new(),
        };
        for r in table.rows() {
            match check_row(tx, &table, r)? {
                Ok(None) => {}
                Ok(Some((id, (on, voucher, paid)))) => {
                    tx.execute(
                        "UPDATE payment_ledger SET paid_on = ?2, voucher = ?3, paid_yuan = ?4,
                           state = CASE state WHEN '待拨付' THEN '已拨付' ELSE state END
                         WHERE id = ?1",
                        params![id, on, voucher, format_yuan(paid)],
                    )?;
                    taken.paid += 1;
                }
                Err(reason) => taken.refused.push(Refused { row: r + 1, reason }),
            }
        }
        let detail = serde_json::json!({ "file": file, "paid": taken.paid,
            "refused": taken.refused.len() });
        Ok((taken, detail))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(xlsx: &[u8], name: &str) -> String {
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
        let mut s = String::new();
        zin.by_name(name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    #[test]
    fn formula_like_text_is_written_as_quoted_text_and_amounts_as_numbers() {
        let row = LedgerRow {
            letter_number: "渝中数发〔2026〕1号".into(),
            applicant: "=HYPERLINK(\"http://x\",\"点我\")".into(),
            credit_code: "91500103MA5U7K2P39".into(),
            clause: "C1".into(),
            project: "@SUM(A1)".into(),
            bank: "+银行".into(),
            account: "-6222".into(),
            amount_yuan: Decimal::new(60_000_000, 2),
            state: "待拨付".into(),
            paid_on: None,
            voucher: None,
            paid_yuan: None,
            letter_sha256: "ab".repeat(32),
            recovered_yuan: None,
            paid_before_yuan: None,
            due_yuan: Decimal::new(60_000_000, 2),
        };
        let xlsx = to_xlsx(&[row]).expect("xlsx");
        let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
        assert!(!sheet.contains("<f>"), "no formula: {sheet}");
        // the amount is a number cell
        assert!(sheet.contains("<v>600000</v>"), "{sheet}");
        // formula-like text keeps a quote prefix, so editing it in a
        // spreadsheet keeps it text
        let styles = part(&xlsx, "xl/styles.xml");
        assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
        let strings = part(&xlsx, "xl/sharedStrings.xml");
        assert!(strings.contains("=HYPERLINK("), "{strings}");
    }
}
