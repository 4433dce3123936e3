//! Issuing letters: a document number from the gapless register, content
//! from the approved decision's frozen figures (never recomputed), rendered,
//! signed by the approver's certificate and recorded — number, file hash,
//! signer and audit entry in one transaction, so a crash never leaves a used
//! number without its letter or the same number twice.

use chrono::{Datelike, NaiveDate};
use der::Encode;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{EngineError, Result};
use crate::guide::{Clause, Guide};
use crate::intake::extract::{Extraction, Severity};
use crate::letters::content::{
    approval, correction, refusal, ApprovalInput, CorrectionInput, FieldError, Letterhead,
    RefusalInput,
};
use crate::letters::{x509::common_name, LetterWriter, RenderOptions, SignOptions, Signer};
use crate::review::round::{self, Identity};
use crate::rules::evaluate::{Evaluation, ProjectResult};
use crate::store::{audit, now, Actor, Store};

/// The approver as a signing certificate: the certificate's holder is the
/// person recorded, so one person cannot approve as another on one laptop.
pub struct CertIdentity<'a>(pub &'a dyn Signer);

impl Identity for CertIdentity<'_> {
    fn name(&self) -> String {
        common_name(self.0.certificate()).unwrap_or_else(|| "unknown signer".into())
    }
    fn credential_id(&self) -> String {
        let der = self.0.certificate().to_der().unwrap_or_default();
        format!("cert-sha256:{}", hex::encode(Sha256::digest(der)))
    }
}

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
    pub sha256: String,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

fn clause_name(g: &Guide, c: Clause) -> String {
    g.clauses
        .get(&c)
        .map(|r| format!("{}（{}）", r.article, r.name))
        .unwrap_or_else(|| c.as_str().to_string())
}

/// Next number in the year's register, inside the caller's transaction.
fn next_number(conn: &Connection, g: &Guide, year: i32) -> Result<(i64, String)> {
    let seq: i64 = conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM register WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    Ok((seq, format_number(g, year, seq)))
}

fn format_number(g: &Guide, year: i32, seq: i64) -> String {
    format!("{}〔{year}〕{seq}号", g.wording.doc_number_prefix)
}

fn head(conn: &Connection, g: &Guide, number: &str, date: NaiveDate) -> Result<Letterhead> {
    let report = audit::verify(conn)?;
    Ok(Letterhead {
        number: number.to_string(),
        issuer: g.wording.issuer.clone(),
        date,
        contact: format!("联系电话：{}", g.wording.contact_phone),
        audit_head: Some(format!(
            "审计链 {} · {}",
            report.entries,
            &report.head[..16.min(report.head.len())]
        )),
    })
}

/// Split the guide's remedy sentence into the reconsideration and litigation
/// parts the refusal template joins ("如不服本决定，" is the template's own).
fn remedy_parts(g: &Guide) -> (String, String) {
    let r = g.wording.remedy.trim();
    let r = r.strip_prefix("如不服本决定，").unwrap_or(r);
    match r.find("，或者") {
        Some(i) => (r[..i].to_string(), r[i + "，".len()..].to_string()),
        None => (
            r.to_string(),
            "或者依法向人民法院提起行政诉讼。".to_string(),
        ),
    }
}

fn line_text(p: &ProjectResult) -> Vec<String> {
    p.lines
        .iter()
        .filter(|l| !l.label.contains("就高不重复"))
        .map(|l| format!("{}：{}", l.label, l.value))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn record(
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
        credit_code.unwrap_or("provisional"),
        &serde_json::json!({ "number": number, "kind": kind, "sha256": hash, "signer": signer,
            "amount_yuan": amount.map(crate::money::format_yuan) }),
    )?;
    Ok(hash)
}

fn sign(
    writer: &LetterWriter,
    signer: &dyn Signer,
    content: &crate::letters::LetterContent,
    number: &str,
) -> Result<Vec<u8>> {
    let rendered = writer
        .render(content, RenderOptions::default())
        .map_err(|e| EngineError::Invalid(e.to_string()))?;
    let opts = SignOptions::new(
        chrono::Local::now().fixed_offset(),
        format!("签发 {number}"),
    );
    crate::letters::sign_pdf(&rendered.pdf, signer, &opts)
        .map_err(|e| EngineError::Invalid(e.to_string()))
}

/// The projects of an evaluation that get money: one approval letter each.
fn supported(ev: &Evaluation) -> Vec<&ProjectResult> {
    ev.projects
        .iter()
        .filter(|p| p.award_yuan.is_some_and(|a| a > Decimal::ZERO))
        .collect()
}

/// The refusal letter of a decision that supports nothing: every reason, per project.
fn refusal_content(
    g: &Guide,
    ev: &Evaluation,
    applicant_name: &str,
    head: Letterhead,
) -> Result<crate::letters::LetterContent> {
    let mut reasons = Vec::new();
    for p in &ev.projects {
        let failed: Vec<String> = p
            .eligibility
            .iter()
            .filter(|r| !r.pass && r.overruled.is_none())
            .map(|r| format!("{}（{}）", r.rule, r.reason))
            .collect();
        if !failed.is_empty() {
            reasons.push(format!(
                "“{}”项目申报{}，不符合扶持条件：{}。",
                p.name,
                clause_name(g, p.clause),
                failed.join("；")
            ));
        } else if let Some(s) = p.score {
            reasons.push(format!(
                "“{}”项目申报{}，综合评定得分{}分，未达到扶持分数线。",
                p.name,
                clause_name(g, p.clause),
                s.normalize()
            ));
        } else {
            reasons.push(format!(
                "“{}”项目申报{}，经审核不予扶持。",
                p.name,
                clause_name(g, p.clause)
            ));
        }
    }
    let first = ev.projects.first();
    let (recon, lit) = remedy_parts(g);
    refusal(&RefusalInput {
        head,
        applicant: applicant_name.to_string(),
        project: first.map(|p| p.name.clone()).unwrap_or_default(),
        policy_name: g.wording.policy_name.clone(),
        policy_number: g.wording.policy_doc_number.clone(),
        guide_name: format!("《{}》", g.title),
        clause: first.map(|p| clause_name(g, p.clause)).unwrap_or_default(),
        reasons,
        reconsideration: recon,
        litigation: lit,
    })
    .map_err(|e| EngineError::Invalid(e.to_string()))
}

/// The approval letter of one supported project, from the frozen figures.
fn approval_content(
    g: &Guide,
    ev: &Evaluation,
    p: &ProjectResult,
    applicant_name: &str,
    head: Letterhead,
) -> Result<crate::letters::LetterContent> {
    let evaluation = match p.score {
        Some(s) => format!("经综合评定，该项目得分{}分，符合扶持条件。", s.normalize()),
        None => "经审核，该项目符合扶持条件。".to_string(),
    };
    let highest: Vec<String> = ev
        .projects
        .iter()
        .filter(|o| o.superseded_by == Some(p.clause) && o.name == p.name)
        .map(|o| {
            format!(
                "该项目同时申报{}，依照就高不重复原则，按{}给予扶持，不再重复支持。",
                clause_name(g, o.clause),
                clause_name(g, p.clause)
            )
        })
        .collect();
    approval(&ApprovalInput {
        head,
        applicant: applicant_name.to_string(),
        project: p.name.clone(),
        policy_name: g.wording.policy_name.clone(),
        policy_number: g.wording.policy_doc_number.clone(),
        guide_name: format!("《{}》", g.title),
        clause: clause_name(g, p.clause),
        evaluation,
        amount: p.award_yuan.unwrap_or_default(),
        amount_words: None,
        calculation: line_text(p),
        highest_only: if highest.is_empty() {
            None
        } else {
            Some(highest.join(""))
        },
        conditions: vec![
            "扶持资金专项用于项目建设和运营，不得挪作他用，并接受审计和绩效评价。".into(),
            "如发现申报材料弄虚作假的，将收回已拨付资金，并依法依规追究相关责任。".into(),
        ],
        remedy: vec![],
    })
    .map_err(|e| EngineError::Invalid(e.to_string()))
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

/// Issue the letters of an approved decision: one approval per supported
/// project, or one refusal listing the reasons when nothing is supported.
/// Only the approver (the certificate's holder) may sign.
pub fn issue_decision(
    store: &mut Store,
    writer: &LetterWriter,
    signer: &dyn Signer,
    credit_code: &str,
    date: NaiveDate,
) -> Result<Vec<IssuedLetter>> {
    let who = CertIdentity(signer);
    let actor = Actor::new(who.name());
    let d = round::decision(store, credit_code)?
        .ok_or_else(|| EngineError::Invalid(format!("{credit_code} 尚无决定 / no decision yet")))?;
    if d.state != "approved" {
        return Err(EngineError::Invalid(format!(
            "只能为已审批的决定出具决定书（当前：{}）/ letters are issued only for approved decisions",
            d.state
        )));
    }
    if d.approved_by.as_deref() != Some(who.name().as_str()) {
        return Err(EngineError::Invalid(format!(
            "只有审批人 {} 可以签发 / only the approver can sign",
            d.approved_by.unwrap_or_default()
        )));
    }
    let ev: Evaluation = d.figures.clone();
    let (year, decision_id) = (d.round, d.id);
    store.change(&actor, "decision.issue", &d.credit_code, |tx| {
        let (_, g) = round::round_guide(tx, year)?
            .ok_or_else(|| EngineError::Store(format!("round {year} missing")))?;
        let (applicant_id, applicant, submission_id) = decision_applicant(tx, decision_id)?;
        let applicant_name = applicant.clone().unwrap_or_default();
        let mut out = Vec::new();
        let supported = supported(&ev);
        if supported.is_empty() {
            let (seq, number) = next_number(tx, &g, year)?;
            let first = ev.projects.first();
            let content = refusal_content(&g, &ev, &applicant_name, head(tx, &g, &number, date)?)?;
            let pdf = sign(writer, signer, &content, &number)?;
            let hash = record(
                tx,
                &actor,
                year,
                seq,
                &number,
                "refusal",
                Some(applicant_id),
                Some(&d.credit_code),
                Some(decision_id),
                Some(submission_id),
                &pdf,
                &content,
                &who.name(),
                Some(Decimal::ZERO),
            )?;
            out.push(IssuedLetter {
                number,
                kind: "refusal".into(),
                credit_code: Some(d.credit_code.clone()),
                applicant: applicant.clone(),
                project: first.map(|p| p.name.clone()),
                amount_yuan: Some(Decimal::ZERO),
                sha256: hash,
                pdf,
            });
        }
        for p in supported {
            let (seq, number) = next_number(tx, &g, year)?;
            let amount = p.award_yuan.unwrap_or_default();
            let content =
                approval_content(&g, &ev, p, &applicant_name, head(tx, &g, &number, date)?)?;
            let pdf = sign(writer, signer, &content, &number)?;
            let hash = record(
                tx,
                &actor,
                year,
                seq,
                &number,
                "approval",
                Some(applicant_id),
                Some(&d.credit_code),
                Some(decision_id),
                Some(submission_id),
                &pdf,
                &content,
                &who.name(),
                Some(amount),
            )?;
            out.push(IssuedLetter {
                number,
                kind: "approval".into(),
                credit_code: Some(d.credit_code.clone()),
                applicant: applicant.clone(),
                project: Some(p.name.clone()),
                amount_yuan: Some(amount),
                sha256: hash,
                pdf,
            });
        }
        tx.execute(
            "UPDATE decisions SET state = 'issued' WHERE id = ?1",
            [decision_id],
        )?;
        let numbers: Vec<String> = out.iter().map(|l| l.number.clone()).collect();
        Ok((out, serde_json::json!({ "letters": numbers })))
    })
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
    let g = if create_round {
        round::ensure_round(conn, year)?.1
    } else {
        match round::round_guide(conn, year)? {
            Some((_, g)) => g,
            None => {
                crate::guide::builtin(year)
                    .ok_or_else(|| {
                        EngineError::NotFound(format!(
                            "本程序没有 {year} 年度的申报指南 / no guide ships for round {year}"
                        ))
                    })?
                    .1
            }
        }
    };
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
    .map_err(|e| EngineError::Invalid(e.to_string()))?;
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

/// Issue the correction notice (补正告知书) of a submission that needs
/// correction: every error of the workbook, once.
pub fn issue_correction(
    store: &mut Store,
    writer: &LetterWriter,
    signer: &dyn Signer,
    submission_id: i64,
    date: NaiveDate,
) -> Result<IssuedLetter> {
    let actor = Actor::new(CertIdentity(signer).name());
    let signer_name = actor.0.clone();
    store.change(
        &actor,
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
                &actor,
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
                sha256: hash,
                pdf,
            };
            Ok((letter, serde_json::json!({ "number": number })))
        },
    )
}

/// A letter's entry in the register, found by the signed file's hash.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterEntry {
    pub number: String,
    pub kind: String,
    pub credit_code: Option<String>,
    pub signer: String,
    pub issued_at: String,
    pub voided: bool,
}

/// Look a letter up by the SHA-256 of its bytes: present only when this
/// exact file was issued from this store.
pub fn register_entry(store: &Store, sha256: &str) -> Result<Option<RegisterEntry>> {
    Ok(store
        .conn()
        .query_row(
            "SELECT number, kind, credit_code, signer, issued_at, voided_at IS NOT NULL
             FROM register WHERE letter_hash = ?1",
            [sha256],
            |r| {
                Ok(RegisterEntry {
                    number: r.get(0)?,
                    kind: r.get(1)?,
                    credit_code: r.get(2)?,
                    signer: r.get(3)?,
                    issued_at: r.get(4)?,
                    voided: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// A letter as it would be issued now: the number it would take (not
/// reserved) and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct LetterPreview {
    pub number: String,
    pub kind: String,
    pub project: Option<String>,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
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
    let d = round::decision(store, credit_code)?
        .ok_or_else(|| EngineError::Invalid(format!("{credit_code} 尚无决定 / no decision yet")))?;
    if d.state != "approved" && d.state != "proposed" {
        return Err(EngineError::Invalid(format!(
            "只能预览待审批或已审批的决定（当前：{}）/ only a proposed or approved decision can be previewed",
            d.state
        )));
    }
    let conn = store.conn();
    let (_, g) = round::round_guide(conn, d.round)?
        .ok_or_else(|| EngineError::Store(format!("round {} missing", d.round)))?;
    let (_, applicant, _) = decision_applicant(conn, d.id)?;
    let name = applicant.unwrap_or_default();
    let (mut seq, _) = next_number(conn, &g, d.round)?;
    let ev = &d.figures;
    let supported = supported(ev);
    let mut out = Vec::new();
    if supported.is_empty() {
        let number = format_number(&g, d.round, seq);
        out.push(LetterPreview {
            content: refusal_content(&g, ev, &name, head(conn, &g, &number, date)?)?,
            number,
            kind: "refusal".into(),
            project: ev.projects.first().map(|p| p.name.clone()),
            amount_yuan: Some(Decimal::ZERO),
        });
    }
    for p in supported {
        let number = format_number(&g, d.round, seq);
        seq += 1;
        out.push(LetterPreview {
            content: approval_content(&g, ev, p, &name, head(conn, &g, &number, date)?)?,
            number,
            kind: "approval".into(),
            project: Some(p.name.clone()),
            amount_yuan: p.award_yuan,
        });
    }
    Ok(out)
}

/// Whether the register entry of the letter with this SHA-256 agrees with
/// what it was issued from: an approval's amount is the frozen award of one
/// project of its issued decision, a refusal's decision supports nothing, a
/// correction notice belongs to a workbook that needed correction, and the
/// applicant is the decision's. `None` when the letter is not in the
/// register.
pub fn register_matches_decision(store: &Store, sha256: &str) -> Result<Option<bool>> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = store
        .conn()
        .query_row(
            "SELECT r.kind, r.amount_yuan, r.credit_code, a.credit_code, d.state, d.figures, s.status
             FROM register r
             LEFT JOIN applicants a ON a.id = r.applicant_id
             LEFT JOIN decisions d ON d.id = r.decision_id
             LEFT JOIN submissions s ON s.id = r.submission_id
             WHERE r.letter_hash = ?1",
            [sha256],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((kind, amount, code, applicant_code, state, figures, status)) = row else {
        return Ok(None);
    };
    if code != applicant_code {
        return Ok(Some(false));
    }
    if kind == "correction" {
        return Ok(Some(status.as_deref() == Some("needs_correction")));
    }
    let (Some(state), Some(figures)) = (state, figures) else {
        return Ok(Some(false));
    };
    let Ok(ev) = serde_json::from_str::<Evaluation>(&figures) else {
        return Ok(Some(false));
    };
    let amount: Option<Decimal> = amount.and_then(|a| a.parse().ok());
    let supported = supported(&ev);
    let agrees = match kind.as_str() {
        "approval" => supported.iter().any(|p| p.award_yuan == amount),
        "refusal" => supported.is_empty(),
        _ => false,
    };
    Ok(Some(state == "issued" && agrees))
}

/// A trust anchor (CA certificate) from PEM text, for `verify --ca`.
pub fn trust_anchor_from_pem(pem: &str) -> Result<x509_cert::Certificate> {
    use der::DecodePem;
    x509_cert::Certificate::from_pem(pem.as_bytes()).map_err(|e| {
        EngineError::Invalid(format!("不是 PEM 格式的证书 / not a PEM certificate: {e}"))
    })
}
