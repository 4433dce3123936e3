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
    actor: &Actor,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let mut store = crate::unlock::open_store(db)?;
    match command {
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
    let tmp = output.with_extension("pdf.partial");
    std::fs::write(&tmp, &r.pdf)
        .and_then(|_| std::fs::rename(&tmp, output))
        .map_err(|e| EngineError::Io {
            path: output.display().to_string(),
            reason: e.to_string(),
        })?;
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
