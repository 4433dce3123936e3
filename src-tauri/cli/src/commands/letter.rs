//! `reviewdesk letter list|deliver|void`: the register of issued letters,
//! their delivery (送达, from which the remedy deadlines run) and voiding.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use reviewdesk_engine::register::delivery::{self, LetterRecord};
use reviewdesk_engine::store::{Actor, Store};
use reviewdesk_engine::EngineError;

use crate::print_json;

#[derive(Subcommand)]
pub enum LetterCommand {
    /// Issue the letters of approved decisions under the bureau's seal
    /// (the register office; the seal's password is $REVIEWDESK_SEAL_PASSWORD,
    /// else the identity password, else a prompt).
    Issue {
        /// Credit codes; none with --all.
        #[arg(value_name = "CREDIT_CODE")]
        codes: Vec<String>,
        /// Every approved decision not yet issued.
        #[arg(long)]
        all: bool,
        /// The seal certificate (电子印章): a .p12 or a pkcs11: URI.
        #[arg(long, value_name = "SEAL.p12|pkcs11:…")]
        seal: String,
        /// Where the signed letters go. Default: the current folder (never
        /// the data folder: the store keeps the signed letters).
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
    /// Every issued letter: number, kind, applicant, delivery, deadlines, void.
    List,
    /// Record the delivery of a letter (once): the date it was received and
    /// how (直接送达, 邮寄送达, 电子送达, 留置送达, 委托送达, 公告送达).
    Deliver {
        #[arg(value_name = "NUMBER")]
        number: String,
        /// The day the applicant received it (YYYY-MM-DD).
        #[arg(long = "on", value_name = "DATE")]
        on: String,
        #[arg(long, value_name = "METHOD")]
        method: String,
    },
    /// Write letters as ONE PDF to print (A4, 100%): rendered again exactly as
    /// issued, WITHOUT the seal image (for a wet seal) unless --with-seal.
    Print {
        /// Letter numbers; none with --all.
        #[arg(value_name = "NUMBER")]
        numbers: Vec<String>,
        /// Every issued letter that is not void.
        #[arg(long)]
        all: bool,
        /// Keep the seal image on the copies.
        #[arg(long)]
        with_seal: bool,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: std::path::PathBuf,
    },
    /// Void a letter issued in error. Its number is never reused.
    Void {
        #[arg(value_name = "NUMBER")]
        number: String,
        /// Why (kept in the register and the audit trail).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

fn line(r: &LetterRecord) -> String {
    let mut s = format!(
        "{}  {}  {}",
        r.number,
        r.kind,
        r.credit_code.as_deref().unwrap_or("—")
    );
    if let Some(a) = &r.amount_yuan {
        s.push_str(&format!("  {a} 元"));
    }
    match (&r.delivered_on, &r.delivery_method) {
        (Some(d), Some(m)) => s.push_str(&format!("  {m} {d}")),
        _ => s.push_str("  未送达 not delivered"),
    }
    if let (Some(a), Some(b)) = (&r.reconsideration_until, &r.lawsuit_until) {
        s.push_str(&format!("  复议至 {a} / 诉讼至 {b}"));
    }
    if let Some(v) = &r.voided_at {
        s.push_str(&format!(
            "  已作废 VOID {v}：{}",
            r.void_reason.as_deref().unwrap_or("")
        ));
    }
    s
}

pub fn run(
    db: &Path,
    command: &LetterCommand,
    identity_flag: Option<&str>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    if let LetterCommand::Issue {
        codes,
        all,
        seal,
        out,
    } = command
    {
        return issue(db, identity_flag, codes, *all, seal, out.as_deref(), json);
    }
    let acting = !matches!(command, LetterCommand::List | LetterCommand::Print { .. });
    let actor: Actor = if acting {
        crate::identity::actor(identity_flag, "letter ")?
    } else {
        Actor::new("cli")
    };
    let actor = &actor;
    let mut store = crate::unlock::open_store(db)?;
    match command {
        LetterCommand::Issue { .. } => {}
        LetterCommand::List => {
            let all = delivery::list(&store)?;
            if json {
                print_json(&serde_json::json!({ "letters": all }))?;
            } else {
                for r in &all {
                    println!("{}", line(r));
                }
            }
        }
        LetterCommand::Deliver { number, on, method } => {
            let date = chrono::NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d").map_err(|_| {
                EngineError::Invalid(format!(
                    "送达日期“{on}”应为 YYYY-MM-DD / the date must be YYYY-MM-DD"
                ))
            })?;
            let today = chrono::Local::now().date_naive();
            let r = delivery::record_delivery(&mut store, actor, number, date, method, today)?;
            if json {
                print_json(&r)?;
            }
            eprintln!("已登记送达 / delivery recorded: {}", line(&r));
        }
        LetterCommand::Print {
            numbers,
            all,
            with_seal,
            output,
        } => print(&store, numbers, *all, *with_seal, output, json)?,
        LetterCommand::Void { number, reason } => {
            let r = delivery::void_letter(&mut store, actor, number, reason)?;
            if json {
                print_json(&r)?;
            }
            eprintln!("已作废 / voided: {}", line(&r));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `letter print`: the letters (or every letter not voided) rendered again
/// as one PDF to print, written through a temporary file.
fn print(
    store: &Store,
    numbers: &[String],
    all: bool,
    with_seal: bool,
    output: &Path,
    json: bool,
) -> Result<(), EngineError> {
    let numbers: Vec<String> = if all {
        delivery::list(store)?
            .into_iter()
            .filter(|r| r.voided_at.is_none())
            .map(|r| r.number)
            .collect()
    } else {
        numbers.to_vec()
    };
    // The app's writer: the bureau's seal image when the store has one.
    let mut writer = reviewdesk_engine::register::seal::writer(store)?;
    if numbers.len() > 20 {
        writer = writer.for_batch();
    }
    let r = delivery::print_copies(store, &writer, &numbers, with_seal)?;
    reviewdesk_engine::store::write_atomic(output, &r.pdf)?;
    if json {
        print_json(&serde_json::json!({
            "path": output.display().to_string(),
            "letters": numbers,
            "pages": r.pages,
            "seal": with_seal,
        }))?;
    }
    eprintln!(
        "已写出 {} 份决定书、共 {} 页供打印{}：{} / written for printing",
        numbers.len(),
        r.pages,
        if with_seal {
            "（含印章图像）"
        } else {
            "（不含印章，加盖实体印章）"
        },
        output.display()
    );
    Ok(())
}

/// `reviewdesk letter issue CODE…|--all --seal SEAL`.
fn issue(
    db: &Path,
    identity_flag: Option<&str>,
    codes: &[String],
    all: bool,
    seal: &str,
    out: Option<&Path>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    use crate::identity;
    use reviewdesk_engine::register::{batch, files, seal as writer_seal, sealed};
    if codes.is_empty() != all {
        return Err(EngineError::coded(
            "usage",
            "请给出统一社会信用代码，或用 --all（二者选一）",
            "give credit codes or --all (one of the two)",
        ));
    }
    let issuer = identity::person(identity_flag, "letter issue ")?;
    let seal = identity::open_seal(seal)?;
    let mut store = crate::unlock::open_existing(db)?;
    let targets: Vec<String> = if all {
        batch::approved(&store)?
            .into_iter()
            .map(|a| a.credit_code)
            .collect()
    } else {
        codes.to_vec()
    };
    let writer = writer_seal::writer_for_seal(&store, seal.is_test())
        .map_err(|e| EngineError::coded_bilingual(e.code(), &e.to_string()))?;
    // the letters go where the person says, else the current folder: never
    // the data folder (the signed bytes are in the encrypted store)
    let dir = match out {
        Some(d) => d.to_path_buf(),
        None => std::env::current_dir().map_err(|e| EngineError::Io {
            path: ".".into(),
            reason: format!("当前文件夹不可用，请用 --out 指定 / the current folder is not available, give --out: {e}"),
        })?,
    };
    let today = chrono::Local::now().date_naive();
    let by = sealed::SealedIssue {
        issuer: &issuer,
        seal: seal.signer(),
    };
    let mut letters = Vec::new();
    for code in &targets {
        let issued = sealed::issue_sealed(&mut store, &writer, &by, code, today)?;
        for l in issued {
            let path = files::write_letter_in(&dir, &l.number, &l.pdf)
                .map_err(|e| EngineError::coded_bilingual(e.code(), &e.to_string()))?;
            eprintln!("已出具 / issued {} → {}", l.number, path.display());
            letters.push(serde_json::json!({
                "number": l.number, "kind": l.kind, "credit_code": l.credit_code,
                "amount_yuan": l.amount_yuan.map(reviewdesk_engine::money::format_yuan),
                "projects": l.projects, "path": path.display().to_string(),
            }));
        }
    }
    if json {
        print_json(&serde_json::json!({ "letters": letters }))?;
    }
    Ok(ExitCode::SUCCESS)
}
