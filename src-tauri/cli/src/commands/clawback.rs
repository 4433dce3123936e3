//! `reviewdesk clawback find|notify|respond|revoke|letter|record|list`: a
//! clawback (追回) case from the finding to the money back in the ledger.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use reviewdesk_engine::operations::clawback::{self, Case, CaseLetter};
use reviewdesk_engine::EngineError;
use rust_decimal::Decimal;

use super::notice::date;
use crate::print_json;

#[derive(Subcommand)]
pub(crate) enum ClawbackCommand {
    /// Record a finding (the register office or an administrator): why, the
    /// amount to recover (at most what the ledger says was paid), evidence.
    Find {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// Yuan, e.g. 120000 or 120000.50.
        #[arg(long, value_name = "YUAN")]
        amount: String,
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
    },
    /// Issue the prior notice (追回事先告知书) under the seal: the right to
    /// state one's case (陈述申辩) until DATE.
    Notify {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "DATE")]
        deadline: String,
        /// The seal certificate (电子印章): a .p12 or a pkcs11: URI.
        #[arg(long, value_name = "SEAL.p12|pkcs11:…")]
        seal: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Record the applicant's response (陈述申辩), as received.
    Respond {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "DATE")]
        received: String,
        #[arg(long, value_name = "TEXT")]
        text: String,
    },
    /// Propose revoking the case's decision (a reviewer; then `decide
    /// approve` by another person and `letter issue` by the register office).
    Revoke {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Issue the recovery decision (追回决定) under the seal, after the
    /// revocation: the amount, the due date, the remedy.
    Letter {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "DATE")]
        due: String,
        #[arg(long, value_name = "SEAL.p12|pkcs11:…")]
        seal: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Record money recovered (the register office), against the ledger.
    Record {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "YUAN")]
        amount: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, value_name = "VOUCHER")]
        voucher: String,
    },
    /// The round's clawback cases and their steps.
    List {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
}

fn yuan(s: &str, what: &str) -> Result<Decimal, EngineError> {
    s.trim().replace(',', "").parse::<Decimal>().map_err(|_| {
        EngineError::Invalid(format!(
            "{what}“{s}”不是金额（元） / {what} is not an amount in yuan"
        ))
    })
}

fn show(c: &Case, json: bool) -> Result<ExitCode, EngineError> {
    if json {
        print_json(c)?;
    }
    eprintln!(
        "追回案件 {}（{}）：{}，应追回 {} 元，已追回 {} 元 / clawback case {}: {}",
        c.id, c.credit_code, c.state, c.amount_yuan, c.recovered_yuan, c.id, c.state
    );
    Ok(ExitCode::SUCCESS)
}

fn written(l: &CaseLetter, output: &Path, json: bool) -> Result<ExitCode, EngineError> {
    reviewdesk_engine::store::write_atomic(output, &l.pdf)?;
    if json {
        print_json(l)?;
    }
    eprintln!(
        "已出具 / issued {}（{}）→ {}",
        l.number,
        l.kind,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Something the register office issues under the seal (a clawback letter,
/// a 公示): the issuer, the seal and the writer set up, then `f`.
pub(crate) fn sealed<T>(
    db: &Path,
    identity_flag: Option<&str>,
    seal: &str,
    what: &str,
    f: impl FnOnce(
        &mut reviewdesk_engine::store::Store,
        &reviewdesk_engine::letters::LetterWriter,
        &reviewdesk_engine::register::sealed::SealedIssue<'_>,
    ) -> Result<T, EngineError>,
) -> Result<T, EngineError> {
    use reviewdesk_engine::register::{seal as writer_seal, sealed};
    let issuer = crate::identity::person(identity_flag, what)?;
    let seal = crate::identity::open_seal(seal)?;
    let mut store = crate::unlock::open_existing(db)?;
    let writer = writer_seal::writer_for_seal(&store, seal.is_test())
        .map_err(|e| EngineError::coded_bilingual(e.code(), &e.to_string()))?;
    let by = sealed::SealedIssue {
        issuer: &issuer,
        seal: seal.signer(),
    };
    f(&mut store, &writer, &by)
}

/// `clawback …`.
pub(crate) fn run(
    db: &Path,
    identity_flag: Option<&str>,
    command: &ClawbackCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let today = chrono::Local::now().date_naive();
    let actor = || crate::identity::actor(identity_flag, "clawback ");
    match command {
        ClawbackCommand::Find {
            round,
            credit_code,
            reason,
            amount,
            evidence,
        } => {
            let actor = actor()?;
            let amount = yuan(amount, "追回金额 / --amount")?;
            let file = evidence
                .as_deref()
                .map(super::operations::read)
                .transpose()?;
            let mut store = crate::unlock::open_existing(db)?;
            let f = clawback::Finding {
                round: *round,
                credit_code,
                reason,
                amount,
                evidence: file.as_ref().map(|(b, n)| (n.as_str(), b.as_slice())),
            };
            show(&clawback::find(&mut store, &actor, &f)?, json)
        }
        ClawbackCommand::Notify {
            id,
            deadline,
            seal,
            output,
        } => {
            let deadline = date(deadline, "陈述申辩期限 / --deadline")?;
            let l = sealed(db, identity_flag, seal, "clawback notify ", |s, w, by| {
                clawback::notify(s, w, by, *id, deadline, today)
            })?;
            written(&l, output, json)
        }
        ClawbackCommand::Respond { id, received, text } => {
            let actor = actor()?;
            let received = date(received, "收到日期 / --received")?;
            let mut store = crate::unlock::open_existing(db)?;
            show(
                &clawback::respond(&mut store, &actor, *id, received, text, today)?,
                json,
            )
        }
        ClawbackCommand::Revoke { id } => {
            let actor = actor()?;
            let mut store = crate::unlock::open_existing(db)?;
            let d = clawback::propose_revocation(&mut store, &actor, *id, today)?;
            if json {
                print_json(&d)?;
            }
            eprintln!(
                "已提出撤销 {} 的决定（{}），待另一人审批（decide approve）/ revocation proposed, to be approved by another person",
                d.credit_code, d.state
            );
            Ok(ExitCode::SUCCESS)
        }
        ClawbackCommand::Letter {
            id,
            due,
            seal,
            output,
        } => {
            let due = date(due, "退回期限 / --due")?;
            let l = sealed(db, identity_flag, seal, "clawback letter ", |s, w, by| {
                clawback::letter(s, w, by, *id, due, today)
            })?;
            written(&l, output, json)
        }
        ClawbackCommand::Record {
            id,
            amount,
            date: on,
            voucher,
        } => {
            let actor = actor()?;
            let r = clawback::Received {
                amount: yuan(amount, "追回金额 / --amount")?,
                on: date(on, "到账日期 / --date")?,
                voucher,
            };
            let mut store = crate::unlock::open_existing(db)?;
            show(&clawback::record(&mut store, &actor, *id, &r, today)?, json)
        }
        ClawbackCommand::List { round } => {
            let store = crate::unlock::open_existing(db)?;
            let cases = clawback::list(store.conn(), *round)?;
            if json {
                print_json(&serde_json::json!({ "cases": cases }))?;
            } else {
                for c in &cases {
                    println!(
                        "{}  {}  {}  {}  {}  {}",
                        c.id, c.credit_code, c.state, c.amount_yuan, c.recovered_yuan, c.reason
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
