//! Issuing letters: a document number from the gapless register, content
//! from the approved decision's frozen figures (never recomputed, built in
//! `content`), rendered, signed by the bureau's seal certificate (`sealed`: only the
//! register office issues, what someone else approved) and recorded —
//! number, file hash, signer and audit entry in one transaction, so a crash
//! never leaves a used number without its letter or the same number twice.
//! The previews build the same content with the next free number and write
//! nothing. The register lookups for `verify` are `lookup`'s, re-exported
//! here under the paths the shells have always used.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::Guide;
use crate::intake::extract::{Extraction, Severity};
use crate::letters::content::{correction, CorrectionInput, FieldError};
use crate::letters::{LetterWriter, RenderOptions, SignOptions, Signer};
use crate::register::content::{change_draft, drafts, head, letters_needed, Draft, InForce, Party};
use crate::register::outcome::LetterProject;
use crate::review::decisions::ChangeKind;
use crate::review::rounds::{ensure_round, round_guide};
use crate::review::{decisions, DecisionState};
use crate::rules::evaluate::Evaluation;
use crate::store::{audit, now, Actor, Store};

pub use crate::register::lookup::{
    register_entry, register_matches_decision, trust_anchor_from_pem, RegisterEntry,
};

/// One issued letter.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedLetter {
    pub number: String,
    pub kind: String,
    pub credit_code: Option<String>,
    pub applicant: Option<String>,
    pub project: Option<String>,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub amount_yuan: Option<Decimal>,
    /// What this letter decides, project by project (empty for a
    /// correction notice).
    pub projects: Vec<LetterProject>,
    pub sha256: String,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

/// Next number in the year's register, inside the caller's transaction.
pub(crate) fn next_number(conn: &Connection, g: &Guide, year: i32) -> Result<(i64, String)> {
    // above every number ever issued: the register's own, and the floor a
    // restore from an older backup left (store::restore_checked)
    let seq: i64 = conn.query_row(
        "SELECT MAX(
            (SELECT COALESCE(MAX(seq), 0) FROM register WHERE year = ?1),
            COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'register_floor:' || ?1), 0)
         ) + 1",
        [year],
        |r| r.get(0),
    )?;
    Ok((seq, format_number(g, year, seq)))
}

fn format_number(g: &Guide, year: i32, seq: i64) -> String {
    format!("{}〔{year}〕{seq}号", g.wording.doc_number_prefix)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    conn: &Connection,
    actor: &Actor,
    year: i32,
    seq: i64,
    number: &str,
    kind: &str,
    applicant_id: Option<i64>,
    credit_code: Option<&str>,
    decision_id: Option<i64>,
    submission_id: Option<i64>,
    pdf: &[u8],
    content: &crate::letters::LetterContent,
    signer: &str,
    amount: Option<Decimal>,
) -> Result<String> {
    let hash = crate::store::put_blob(conn, pdf)?;
    // What the letter says, kept to print it again (without the seal, for a
    // wet seal) exactly as issued.
    let content_json =
        serde_json::to_string(content).map_err(|e| EngineError::Store(e.to_string()))?;
    conn.execute(
        "INSERT INTO register(year, seq, number, kind, applicant_id, credit_code, decision_id,
           submission_id, letter_hash, signer, amount_yuan, issued_at, content)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            year,
            seq,
            number,
            kind,
            applicant_id,
            credit_code,
            decision_id,
            submission_id,
            hash,
            signer,
            amount.map(crate::money::format_yuan),
            now(),
            content_json
        ],
    )?;
    audit::append(
        conn,
        actor,
        "letter.issue",
        credit_code.unwrap_or(if kind == "notice" {
            number
        } else {
            "provisional"
        }),
        &serde_json::json!({ "number": number, "kind": kind, "sha256": hash, "signer": signer,
            "amount_yuan": amount.map(crate::money::format_yuan) }),
    )?;
    Ok(hash)
}

pub(crate) fn sign(
    writer: &LetterWriter,
    signer: &dyn Signer,
    content: &crate::letters::LetterContent,
    number: &str,
) -> Result<Vec<u8>> {
    let rendered = writer
        .render(content, RenderOptions::default())
        .map_err(crate::letter_error)?;
    let opts = SignOptions::new(
        chrono::Local::now().fixed_offset(),
        format!("签发 {number}"),
    );
    crate::letters::sign_pdf(&rendered.pdf, signer, &opts).map_err(crate::letter_error)
}

/// The decision's applicant: (id, name, submission id).
fn decision_applicant(conn: &Connection, decision_id: i64) -> Result<(i64, Option<String>, i64)> {
    Ok(conn.query_row(
        "SELECT d.applicant_id, a.name, d.submission_id FROM decisions d
         JOIN applicants a ON a.id = d.applicant_id WHERE d.id = ?1",
        [decision_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// The letters of approved decision `d`, signed by `signer`, recorded by
/// `actor`; `extra` joins the issue's audit detail. Every project gets its
/// outcome in writing (`outcome::plan`): the numbers are taken together, so
/// each letter cites the decision's other letters by number. `test`: the
/// signer is a test certificate; only a test letter may be issued while the
/// guide lacks the policy's document number (`policy_number_missing`).
#[allow(clippy::too_many_arguments)]
pub(super) fn issue_approved(
    store: &mut Store,
    writer: &LetterWriter,
    signer: &dyn Signer,
    actor: &Actor,
    signer_name: String,
    d: &decisions::Decision,
    date: NaiveDate,
    test: bool,
    extra: serde_json::Value,
) -> Result<Vec<IssuedLetter>> {
    let ev: Evaluation = d.figures.clone();
    let (year, decision_id) = (d.round, d.id);
    store.change(actor, "decision.issue", &d.credit_code, |tx| {
        let (_, g) = round_guide(tx, year)?
            .ok_or_else(|| EngineError::Store(format!("round {year} missing")))?;
        if !test && g.wording.policy_doc_number.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(EngineError::coded(
                "policy_number_missing",
                "申报指南未载明政策文号（wording.policy_doc_number）：由局方填写后方可出具正式决定书；测试印章可出具测试件",
                "the guide does not give the policy's document number (wording.policy_doc_number): the bureau fills it in before real letters are issued; a test seal issues test letters",
            ));
        }
        let (applicant_id, applicant, submission_id) = decision_applicant(tx, decision_id)?;
        let applicant_name = applicant.clone().unwrap_or_default();
        let issuing = Issuing {
            conn: tx,
            writer,
            signer,
            actor,
            signer_name,
            year,
            applicant_id,
            credit_code: &d.credit_code,
            applicant,
            decision_id,
            submission_id,
        };
        let party = Party {
            name: &applicant_name,
            credit_code: &d.credit_code,
        };
        let (first, _) = next_number(tx, &g, year)?;
        let mut out = Vec::new();
        let in_force = match &d.change {
            Some(c) => letters_in_force(tx, c.amends)?,
            None => vec![],
        };
        match &d.change {
            // a change to letters in force: one letter that cites them,
            // and they are marked replaced by it
            Some(change) if !in_force.is_empty() => {
                let number = format_number(&g, year, first);
                let draft = change_draft(tx, &g, &ev, &party, change, &in_force, &number, date)?;
                out.push(issuing.letter(first, number.clone(), draft)?);
                tx.execute(
                    "UPDATE register SET replaced_by = ?1
                     WHERE decision_id = ?2 AND voided_at IS NULL AND replaced_by IS NULL",
                    params![number, change.amends],
                )?;
            }
            Some(change) if change.kind == ChangeKind::Revocation => {
                return Err(EngineError::coded(
                    "nothing_in_force",
                    "原决定书均已作废，没有需要撤销的决定书",
                    "every letter of the decision is void: there is no letter in force to revoke",
                ))
            }
            // a first decision, or an amendment of letters all voided: the
            // letters every project needs, numbered together
            _ => {
                let needed = letters_needed(&ev) as i64;
                let numbers: Vec<String> = (first..first + needed)
                    .map(|seq| format_number(&g, year, seq))
                    .collect();
                let notice = crate::operations::notice::notice_statement(tx, d)?;
                let drafts = drafts(tx, &g, &ev, &party, &numbers, date, notice.as_deref())?;
                for (seq, draft) in (first..).zip(drafts) {
                    out.push(issuing.letter(seq, format_number(&g, year, seq), draft)?);
                }
            }
        }
        tx.execute(
            "UPDATE decisions SET state = ?2 WHERE id = ?1",
            params![decision_id, DecisionState::Issued],
        )?;
        let numbers: Vec<String> = out.iter().map(|l| l.number.clone()).collect();
        let replaced: Vec<&str> = in_force.iter().map(|l| l.number.as_str()).collect();
        let mut detail = serde_json::json!({ "letters": numbers, "replaces": replaced });
        if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
            d.extend(e.clone());
        }
        Ok((out, detail))
    })
}

/// The letters of decision `decision_id` still in force (not voided, not
/// replaced), in register order, as a change cites them.
fn letters_in_force(conn: &Connection, decision_id: i64) -> Result<Vec<InForce>> {
    let mut st = conn.prepare(
        "SELECT number, issued_at, content, amount_yuan FROM register
         WHERE decision_id = ?1 AND voided_at IS NULL AND replaced_by IS NULL ORDER BY year, seq",
    )?;
    let rows = st.query_map([decision_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (number, issued_at, content, amount) = row?;
        let amount = amount
            .map(|a| a.parse::<Decimal>())
            .transpose()
            .map_err(|e| EngineError::Store(format!("letter {number}: amount: {e}")))?
            .unwrap_or_default();
        let issued_on = NaiveDate::parse_from_str(issued_at.get(..10).unwrap_or(""), "%Y-%m-%d")
            .map_err(|e| {
                EngineError::Store(format!("letter {number}: issue date {issued_at}: {e}"))
            })?;
        let title = content
            .and_then(|c| serde_json::from_str::<crate::letters::LetterContent>(&c).ok())
            .map(|c| c.title)
            .unwrap_or_else(|| "决定书".to_string());
        out.push(InForce {
            number,
            issued_on,
            title,
            amount,
        });
    }
    Ok(out)
}

/// The decision whose letters are being issued, as each of its letters is
/// recorded in the register.
struct Issuing<'a> {
    conn: &'a Connection,
    writer: &'a LetterWriter,
    signer: &'a dyn Signer,
    actor: &'a Actor,
    /// The certificate's holder, as the register names the signer.
    signer_name: String,
    year: i32,
    applicant_id: i64,
    credit_code: &'a str,
    applicant: Option<String>,
    decision_id: i64,
    submission_id: i64,
}

impl Issuing<'_> {
    /// Sign `draft` as letter `number` (`seq` in the year's register),
    /// record it with its audit entry, and return it.
    fn letter(&self, seq: i64, number: String, draft: Draft) -> Result<IssuedLetter> {
        let Draft {
            kind,
            project,
            amount,
            content,
            projects,
        } = draft;
        let content = &content;
        let pdf = sign(self.writer, self.signer, content, &number)?;
        let hash = record(
            self.conn,
            self.actor,
            self.year,
            seq,
            &number,
            kind,
            Some(self.applicant_id),
            Some(self.credit_code),
            Some(self.decision_id),
            Some(self.submission_id),
            &pdf,
            content,
            &self.signer_name,
            Some(amount),
        )?;
        Ok(IssuedLetter {
            number,
            kind: kind.into(),
            credit_code: Some(self.credit_code.to_string()),
            applicant: self.applicant.clone(),
            project,
            amount_yuan: Some(amount),
            projects,
            sha256: hash,
            pdf,
        })
    }
}

/// A correction notice as it would be issued on `date`: the next free
/// number and every error of the workbook. `create_round` lets issuing
/// create the round from the shipped guide; a preview never writes.
struct CorrectionDraft {
    year: i32,
    seq: i64,
    number: String,
    content: crate::letters::LetterContent,
    applicant_id: i64,
    code: Option<String>,
    applicant: Option<String>,
}

fn correction_draft(
    conn: &Connection,
    submission_id: i64,
    date: NaiveDate,
    create_round: bool,
) -> Result<CorrectionDraft> {
    let (json, file_name, imported_at, status, applicant_id, code): (
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
    ) = conn
        .query_row(
            "SELECT s.extraction, s.file_name, s.imported_at, s.status, s.applicant_id, a.credit_code
             FROM submissions s JOIN applicants a ON a.id = s.applicant_id WHERE s.id = ?1",
            [submission_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?
        .ok_or_else(|| EngineError::NotFound(format!("no submission {submission_id}")))?;
    if status != "needs_correction" {
        return Err(EngineError::Invalid(
            "该申报表没有待补正的错误 / this workbook needs no correction".into(),
        ));
    }
    let ex: Extraction = serde_json::from_str(&json)
        .map_err(|e| EngineError::Store(format!("submission {submission_id}: {e}")))?;
    let year = ex.year.unwrap_or(date.year());
    let g = correction_guide(conn, year, create_round)?;
    let (seq, number) = next_number(conn, &g, year)?;
    let received =
        NaiveDate::parse_from_str(imported_at.get(..10).unwrap_or(""), "%Y-%m-%d").unwrap_or(date);
    let deadline = date + chrono::Duration::days(10);
    let errors: Vec<FieldError> = ex
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| FieldError {
            sheet: i.sheet.clone().unwrap_or_else(|| "（整个文件）".into()),
            cell: i.cell.clone().unwrap_or_default(),
            field: i.field.clone().unwrap_or_default(),
            found: i.found.clone().unwrap_or_default(),
            expected: i.expected.clone().unwrap_or_else(|| i.message.clone()),
        })
        .collect();
    let content = correction(&CorrectionInput {
        head: head(conn, &g, &number, date)?,
        applicant: ex
            .applicant_name
            .clone()
            .unwrap_or_else(|| "申报单位".into()),
        round_year: year,
        file_name,
        received,
        errors,
        deadline: format!(
            "请于{}前补正后重新报送，逾期未补正的视为放弃申报。",
            crate::letters::content::format_date(deadline)
        ),
    })
    .map_err(crate::letter_error)?;
    Ok(CorrectionDraft {
        year,
        seq,
        number,
        content,
        applicant_id,
        code,
        applicant: ex.applicant_name,
    })
}

/// The guide a correction notice of round `year` is written with: the
/// round's (created from the shipped guide when `create_round`), else the
/// shipped one, so a preview never writes.
fn correction_guide(conn: &Connection, year: i32, create_round: bool) -> Result<Guide> {
    if create_round {
        return Ok(ensure_round(conn, year)?.1);
    }
    match round_guide(conn, year)? {
        Some((_, g)) => Ok(g),
        None => Ok(crate::guide::builtin(year)
            .ok_or_else(|| {
                EngineError::NotFound(format!(
                    "本程序没有 {year} 年度的申报指南 / no guide ships for round {year}"
                ))
            })?
            .1),
    }
}

/// The correction notice a workbook that needs correction would get if
/// issued on `date`, built by the same code that issues it. Nothing is
/// written: the number is the next free one and may be taken first.
pub fn preview_correction(
    store: &Store,
    submission_id: i64,
    date: NaiveDate,
) -> Result<LetterPreview> {
    let d = correction_draft(store.conn(), submission_id, date, false)?;
    Ok(LetterPreview {
        number: d.number,
        kind: "correction".into(),
        project: None,
        amount_yuan: None,
        content: d.content,
    })
}

/// The correction notice (补正告知书) of a submission that needs
/// correction (every error of the workbook, once), signed by `signer`,
/// recorded by `actor`; `extra` joins the audit detail.
#[allow(clippy::too_many_arguments)]
pub(super) fn issue_correction_as(
    store: &mut Store,
    writer: &LetterWriter,
    signer: &dyn Signer,
    actor: &Actor,
    signer_name: String,
    submission_id: i64,
    date: NaiveDate,
    extra: serde_json::Value,
) -> Result<IssuedLetter> {
    store.change(
        actor,
        "correction.issue",
        &format!("submission:{submission_id}"),
        |tx| {
            let CorrectionDraft {
                year,
                seq,
                number,
                content,
                applicant_id,
                code,
                applicant,
            } = correction_draft(tx, submission_id, date, true)?;
            let pdf = sign(writer, signer, &content, &number)?;
            let hash = record(
                tx,
                actor,
                year,
                seq,
                &number,
                "correction",
                Some(applicant_id),
                code.as_deref(),
                None,
                Some(submission_id),
                &pdf,
                &content,
                &signer_name,
                None,
            )?;
            let letter = IssuedLetter {
                number: number.clone(),
                kind: "correction".into(),
                credit_code: code,
                applicant,
                project: None,
                amount_yuan: None,
                projects: vec![],
                sha256: hash,
                pdf,
            };
            let mut detail = serde_json::json!({ "number": number });
            if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
                d.extend(e.clone());
            }
            Ok((letter, detail))
        },
    )
}

/// A letter as it would be issued now: the number it would take (not
/// reserved) and what it says.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LetterPreview {
    pub number: String,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"approval\" | \"refusal\" | \"correction\" | \"amendment\" | \"revocation\"")
    )]
    pub kind: String,
    pub project: Option<String>,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub amount_yuan: Option<Decimal>,
    pub content: crate::letters::LetterContent,
}

/// The letters a proposed or approved decision would produce if issued on
/// `date`, built by the same code that issues them. Nothing is written: the
/// numbers are the next free ones in the register and another letter may
/// take them first.
pub fn preview_decision(
    store: &Store,
    credit_code: &str,
    date: NaiveDate,
) -> Result<Vec<LetterPreview>> {
    let d = decisions::decision(store, credit_code)?
        .ok_or_else(|| EngineError::Invalid(format!("{credit_code} 尚无决定 / no decision yet")))?;
    if !matches!(d.state, DecisionState::Approved | DecisionState::Proposed) {
        return Err(EngineError::Invalid(format!(
            "只能预览待审批或已审批的决定（当前：{}）/ only a proposed or approved decision can be previewed",
            d.state
        )));
    }
    let conn = store.conn();
    let (_, g) = round_guide(conn, d.round)?
        .ok_or_else(|| EngineError::Store(format!("round {} missing", d.round)))?;
    let (_, applicant, _) = decision_applicant(conn, d.id)?;
    let name = applicant.unwrap_or_default();
    let (first, _) = next_number(conn, &g, d.round)?;
    if let Some(change) = &d.change {
        let in_force = letters_in_force(conn, change.amends)?;
        if !in_force.is_empty() {
            let number = format_number(&g, d.round, first);
            let party = Party {
                name: &name,
                credit_code: &d.credit_code,
            };
            let draft = change_draft(
                conn, &g, &d.figures, &party, change, &in_force, &number, date,
            )?;
            return Ok(vec![LetterPreview {
                number,
                kind: draft.kind.into(),
                project: draft.project,
                amount_yuan: Some(draft.amount),
                content: draft.content,
            }]);
        }
    }
    let needed = letters_needed(&d.figures) as i64;
    let numbers: Vec<String> = (first..first + needed)
        .map(|seq| format_number(&g, d.round, seq))
        .collect();
    let party = Party {
        name: &name,
        credit_code: &d.credit_code,
    };
    let notice = crate::operations::notice::notice_statement(conn, &d)?;
    Ok(drafts(
        conn,
        &g,
        &d.figures,
        &party,
        &numbers,
        date,
        notice.as_deref(),
    )?
    .into_iter()
    .zip(numbers)
    .map(|(draft, number)| LetterPreview {
        number,
        kind: draft.kind.into(),
        project: draft.project,
        amount_yuan: Some(draft.amount),
        content: draft.content,
    })
    .collect())
}
