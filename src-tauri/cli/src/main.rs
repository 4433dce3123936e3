//! `reviewdesk`: the command line over the review engine, for scripting and
//! for the bureau's IT. JSON goes to stdout, messages to stderr. Exit codes:
//! 0 ok, 1 the input had problems (reported), 2 usage or environment.
//! The JSON keys are a contract: shared spec/cli.md.

mod unlock;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use reviewdesk_engine::applications::import::{import_paths, FileStatus};
use reviewdesk_engine::applications::queries;
use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::intake::worker::{maybe_run_worker, ParserPool, WorkerCommand};
use reviewdesk_engine::review::round;
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::{guide, paths, EngineError, SHIPPED_ROUNDS};

mod audit_cmd;
mod letter_cmd;
mod rules_cmd;

#[derive(Parser)]
#[command(
    name = "reviewdesk",
    version,
    about = "评审工作台命令行 / ReviewDesk command line",
    long_about = "评审工作台命令行：导入申报表、查看申报、核验审计链。\nReviewDesk command line: import application workbooks, show applications, verify the audit trail.\n\nThe store defaults to $REVIEWDESK_DATA_DIR/reviewdesk.db or the user's data directory."
)]
struct Cli {
    /// The store (SQLite file). Default: the workstation's store in the user's data directory.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Acting reviewer's name (overrides $REVIEWDESK_REVIEWER).
    #[arg(long, global = true, value_name = "NAME")]
    reviewer: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import application workbooks (files or folders).
    Import {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
    },
    /// List applications (latest version of each).
    List,
    /// Show one application's values with their raw text and source cells.
    Show {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Audit trail commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Score every applicant of a round with its guide and store the results.
    Score {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// Explain an applicant's evaluation: eligibility, scores, awards, line by line.
    Explain {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Two-person decisions: propose, approve (another reviewer), return.
    Decide {
        #[command(subcommand)]
        command: DecideCommand,
    },
    /// Record a reviewer's points for a qualitative (panel) factor.
    Panel {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        clause: String,
        #[arg(long)]
        project: String,
        #[arg(long)]
        factor: String,
        #[arg(long)]
        points: String,
    },
    /// Declare a conflict of interest with an applicant (blocks scoring it).
    Conflict {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        reason: String,
    },
    /// Record a certified value (核定值) beside a declared figure.
    Certify {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        clause: Option<String>,
        #[arg(long)]
        project: Option<String>,
        #[arg(long)]
        field: String,
        /// The certified value; money in yuan.
        #[arg(long)]
        value: String,
        #[arg(long)]
        reason: String,
        /// Evidence file (PDF or image) kept in the store.
        #[arg(long)]
        evidence: Option<PathBuf>,
    },
    /// Overrule one failed eligibility rule, with a written reason.
    Overrule {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        clause: String,
        #[arg(long)]
        project: String,
        /// The rule id shown by `explain` (e.g. district, C1.conditions[0]).
        #[arg(long)]
        rule: String,
        #[arg(long)]
        reason: String,
    },
    /// Run the sample round end to end in a fresh store inside DIR: import,
    /// score, propose, approve with a test certificate, write signed letters.
    Demo {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Verify a signed letter: signature, integrity, register, content.
    Verify {
        #[arg(value_name = "LETTER.pdf")]
        letter: PathBuf,
        /// Trust anchor (the test CA's or the bureau's CA certificate, PEM).
        /// Without it: the workstation's trust anchors when --db is the
        /// workstation's own store, else none (trust is not judged).
        #[arg(long, value_name = "CA.pem")]
        ca: Option<PathBuf>,
    },
    /// Back up the store (online backup, checked; generations kept).
    Backup {
        /// Folder for backups. Default: `backups/` beside the store.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// How many backups to keep.
        #[arg(long, default_value_t = 10)]
        keep: usize,
    },
    /// Replace the store with a backup, after the backup passes its checks.
    Restore {
        #[arg(value_name = "BACKUP")]
        backup: PathBuf,
    },
    /// Check the store: integrity, foreign keys, cipher pages, audit chain.
    Check,
    /// Change the store's passphrase (re-wraps the data key; the database is
    /// not rewritten). The current passphrase or REVIEWDESK_RECOVERY_KEY
    /// proves the right; the new one is prompted twice, or taken from
    /// REVIEWDESK_NEW_PASSPHRASE.
    Passphrase,
    /// The annual guide: check a file, show a round's guide.
    Guide {
        #[command(subcommand)]
        command: GuideCommand,
    },
    /// Issued letters: the register, delivery (送达) and voiding.
    Letter {
        #[command(subcommand)]
        command: letter_cmd::LetterCommand,
    },
    /// Export the round's applications with evaluations and decisions
    /// (.xlsx or .csv by extension; formula-like text neutralised).
    Export {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// The .xlsx or .csv file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.xlsx|FILE.csv")]
        output: PathBuf,
    },
    /// The round's awards per clause and in total against the guide's budget
    /// (over budget flagged; the pro-rata reduction when the guide says so).
    Budget {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// Compare two versions of an applicant's workbook field by field
    /// (default: the last two).
    Diff {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "N")]
        from: Option<i64>,
        #[arg(long, value_name = "M")]
        to: Option<i64>,
    },
    /// Link a workbook kept under a provisional identity (no valid credit
    /// code) to its corrected version's credit code; without arguments, list
    /// the suggested links.
    Link {
        #[arg(value_name = "PROVISIONAL_KEY", requires = "credit_code")]
        provisional_key: Option<String>,
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: Option<String>,
    },
    /// Write the round's blank application workbook (申报表模板).
    Template {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// The .xlsx file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.xlsx")]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum DecideCommand {
    /// Propose the current evaluation as the decision.
    Propose {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Approve a proposed decision (must be another reviewer).
    Approve {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Return a proposed decision with a comment.
    Return {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        comment: String,
    },
}

#[derive(Subcommand)]
enum GuideCommand {
    /// Validate a guide file and report every problem with its key path.
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Show the guide a round is bound to (or the shipped one).
    Show {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// What binding a round to a guide file would change, key by key
    /// (the file is checked first); changes nothing.
    Diff {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Bind a round to a guide file (the bureau's edited copy), until the
    /// round's first decision; audited.
    Use {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain and name the first bad entry; with
    /// --against, also prove the log still extends a signed head statement.
    Verify {
        /// A signed head statement (from `audit head --sign`).
        #[arg(long, value_name = "STATEMENT.pdf")]
        against: Option<PathBuf>,
        /// Trust anchor for the statement's signature (CA certificate, PEM).
        #[arg(long, value_name = "CA.pem", requires = "against")]
        ca: Option<PathBuf>,
    },
    /// Print the chain head (sequence number and hash); with --sign, write a
    /// signed statement of it for the bureau to file.
    Head {
        #[arg(long, requires_all = ["p12", "output"])]
        sign: bool,
        /// The signer's PKCS#12 file (password in $REVIEWDESK_P12_PASSWORD).
        #[arg(long, value_name = "FILE.p12", requires = "sign")]
        p12: Option<PathBuf>,
        /// The statement to write (a signed PDF).
        #[arg(
            short = 'o',
            long = "output",
            value_name = "STATEMENT.pdf",
            requires = "sign"
        )]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    maybe_run_worker();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err((e, json)) => {
            if json {
                let body = ErrorBody::from(&e);
                println!(
                    "{}",
                    serde_json::json!({ "error": { "code": body.code, "message": body.message } })
                );
            }
            eprintln!("错误 / error: {e}");
            ExitCode::from(2)
        }
    }
}

fn actor(cli: &Cli) -> Actor {
    let name = cli
        .reviewer
        .clone()
        .or_else(|| std::env::var("REVIEWDESK_REVIEWER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| {
            let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            format!("cli:{user}")
        });
    Actor::new(name)
}

fn print_json(v: &impl serde::Serialize) -> Result<(), EngineError> {
    use std::io::Write;
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| EngineError::Invalid(format!("JSON output: {e}")))?;
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{s}");
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, (EngineError, bool)> {
    let json = cli.json;
    inner(cli).map_err(|e| (e, json))
}

fn inner(cli: Cli) -> Result<ExitCode, EngineError> {
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    let actor = actor(&cli);
    match &cli.command {
        Command::Import { paths: inputs } => {
            for p in inputs {
                if !p.exists() {
                    return Err(EngineError::Io {
                        path: p.display().to_string(),
                        reason: "文件或文件夹不存在 / no such file or folder".into(),
                    });
                }
            }
            let mut store = unlock::open_store(&db)?;
            let cmd = WorkerCommand::current_exe().map_err(|e| EngineError::Io {
                path: "current executable".into(),
                reason: e.to_string(),
            })?;
            let parser = ParserPool::new(cmd);
            let cancel = AtomicBool::new(false);
            let mut progress = |_done: usize, _total: usize, _p: &std::path::Path| {};
            let report = import_paths(
                &mut store,
                &parser,
                inputs,
                SHIPPED_ROUNDS,
                &actor,
                &mut progress,
                &cancel,
            )?;
            if cli.json {
                print_json(&serde_json::json!({ "files": report.files }))?;
            }
            for f in &report.files {
                let status = match f.status {
                    FileStatus::Ok => "已导入 ok",
                    FileStatus::NeedsCorrection => "待补正 needs_correction",
                    FileStatus::Rejected => "已拒收 rejected",
                    FileStatus::Duplicate => "重复 duplicate",
                };
                eprintln!(
                    "{status:<24} {}  {}",
                    f.path,
                    f.applicant.as_deref().unwrap_or("")
                );
                for i in &f.issues {
                    let at = match (&i.sheet, &i.cell) {
                        (Some(s), Some(c)) => format!("{s}!{c}"),
                        (Some(s), None) => s.clone(),
                        _ => String::new(),
                    };
                    eprintln!("    {:?} {at} {}", i.severity, i.message);
                }
            }
            eprintln!(
                "导入 {} 个文件：正常 {}，待补正 {}，拒收 {}，重复 {} / {} files: {} ok, {} need correction, {} rejected, {} duplicate",
                report.files.len(),
                report.count(FileStatus::Ok),
                report.count(FileStatus::NeedsCorrection),
                report.count(FileStatus::Rejected),
                report.count(FileStatus::Duplicate),
                report.files.len(),
                report.count(FileStatus::Ok),
                report.count(FileStatus::NeedsCorrection),
                report.count(FileStatus::Rejected),
                report.count(FileStatus::Duplicate),
            );
            Ok(if report.has_problems() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::List => {
            let store = unlock::open_store(&db)?;
            let rows = queries::list_applications(&store)?;
            if cli.json {
                print_json(&serde_json::json!({ "applications": rows }))?;
            } else {
                for r in &rows {
                    println!(
                        "{:<20} {:<18} v{} {:<6} {}",
                        r.credit_code.as_deref().unwrap_or("（无有效代码）"),
                        r.status,
                        r.version,
                        r.clauses.join(","),
                        r.applicant.as_deref().unwrap_or("")
                    );
                }
                eprintln!("{} 个申报 / applications", rows.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { credit_code } => {
            let store = unlock::open_store(&db)?;
            let id = queries::latest_submission_id(&store, credit_code)?;
            let d = queries::show_application(&store, id)?;
            if cli.json {
                print_json(&d)?;
            } else {
                println!(
                    "{} {} （{}，第 {} 版）",
                    d.credit_code.as_deref().unwrap_or(""),
                    d.applicant.as_deref().unwrap_or(""),
                    d.status,
                    d.version
                );
                for (k, v) in &d.fields {
                    println!("  {k}: {}   [{}]", value_text(&v.value), v.cell);
                }
                for p in &d.projects {
                    println!("  [{}] {}", p.clause, p.name);
                    for (k, v) in &p.fields {
                        println!("      {k}: {}   [{}]", value_text(&v.value), v.cell);
                    }
                }
                for i in &d.issues {
                    println!(
                        "  ! {}!{} {}",
                        i.sheet.as_deref().unwrap_or(""),
                        i.cell.as_deref().unwrap_or(""),
                        i.message
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Score { round: year } => {
            let mut store = unlock::open_store(&db)?;
            let r = round::score_round(&mut store, *year, &actor)?;
            if cli.json {
                print_json(&r)?;
            }
            eprintln!(
                "{} 年度：{} 个申报单位，{} 个项目（符合条件 {}，待专家评分 {}，已冻结 {}），拟扶持合计 {} / round scored",
                r.round,
                r.applicants,
                r.projects,
                r.eligible,
                r.pending_panel,
                r.frozen,
                r.total_yuan
                    .map(|t| format!("{} 元", reviewdesk_engine::money::format_yuan(t)))
                    .unwrap_or_else(|| "待评分".into())
            );
            if !r.budget.over_budget {
                eprintln!("  {}", r.budget.message);
            }
            for f in &r.flags {
                eprintln!("  ! {}", f.message);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { credit_code } => {
            let store = unlock::open_store(&db)?;
            let ev = round::explain(&store, credit_code)?;
            if cli.json {
                print_json(&ev)?;
            } else {
                print_evaluation(&ev);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Decide { command } => {
            let mut store = unlock::open_store(&db)?;
            let d = match command {
                DecideCommand::Propose { credit_code } => {
                    round::propose(&mut store, &actor, credit_code)?
                }
                DecideCommand::Approve { credit_code } => round::approve(
                    &mut store,
                    &round::NamedIdentity(actor.0.clone()),
                    credit_code,
                )?,
                DecideCommand::Return {
                    credit_code,
                    comment,
                } => round::return_decision(&mut store, &actor, credit_code, comment)?,
            };
            if cli.json {
                print_json(&d)?;
            }
            eprintln!(
                "{} 的决定：{}（提出 {}{}）",
                d.credit_code,
                d.state,
                d.proposed_by,
                d.approved_by
                    .as_ref()
                    .map(|a| format!("，审批 {a}"))
                    .unwrap_or_default()
            );
            rules_cmd::warn_over_budget(&store, d.round);
            Ok(ExitCode::SUCCESS)
        }
        Command::Panel {
            credit_code,
            clause,
            project,
            factor,
            points,
        } => {
            let points = decimal_arg(points, "分值 points")?;
            let mut store = unlock::open_store(&db)?;
            round::record_panel_score(
                &mut store,
                &actor,
                credit_code,
                clause,
                project,
                factor,
                points,
            )?;
            eprintln!("已记录 {} 的评分 / score recorded", actor.0);
            Ok(ExitCode::SUCCESS)
        }
        Command::Conflict {
            credit_code,
            reason,
        } => {
            let mut store = unlock::open_store(&db)?;
            round::declare_conflict(&mut store, &actor, credit_code, reason)?;
            eprintln!("已声明利益冲突 / conflict declared");
            Ok(ExitCode::SUCCESS)
        }
        Command::Certify {
            credit_code,
            clause,
            project,
            field,
            value,
            reason,
            evidence,
        } => {
            let value = decimal_arg(value, "核定值 value")?;
            let ev_bytes = match evidence {
                Some(p) => Some((
                    p.file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default(),
                    std::fs::read(p).map_err(|e| EngineError::Io {
                        path: p.display().to_string(),
                        reason: e.to_string(),
                    })?,
                )),
                None => None,
            };
            let mut store = unlock::open_store(&db)?;
            round::certify(
                &mut store,
                &actor,
                credit_code,
                clause.as_deref(),
                project.as_deref(),
                field,
                value,
                reason,
                ev_bytes.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            )?;
            eprintln!("已记录核定值 / certified value recorded");
            Ok(ExitCode::SUCCESS)
        }
        Command::Overrule {
            credit_code,
            clause,
            project,
            rule,
            reason,
        } => {
            let mut store = unlock::open_store(&db)?;
            round::overrule(
                &mut store,
                &actor,
                credit_code,
                clause,
                project,
                rule,
                reason,
            )?;
            eprintln!("已记录推翻理由 / overrule recorded");
            Ok(ExitCode::SUCCESS)
        }
        Command::Guide {
            command: GuideCommand::Check { file },
        } => {
            let text = std::fs::read_to_string(file).map_err(|e| EngineError::Io {
                path: file.display().to_string(),
                reason: e.to_string(),
            })?;
            match guide::load_guide(&text) {
                Ok(_) => {
                    if cli.json {
                        print_json(
                            &serde_json::json!({ "ok": true, "hash": guide::content_hash(&text), "problems": [] }),
                        )?;
                    }
                    eprintln!("指南有效 / guide is valid: {}", guide::content_hash(&text));
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    if cli.json {
                        print_json(&serde_json::json!({ "ok": false, "problems": problems }))?;
                    }
                    for p in &problems {
                        eprintln!("  {}: {}", p.path, p.message);
                    }
                    eprintln!("{} 个问题 / problems", problems.len());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Guide {
            command: GuideCommand::Show { round: year },
        } => {
            let bound = if db.exists() {
                let store = unlock::open_store(&db)?;
                round::round_guide(store.conn(), *year)?
            } else {
                None
            };
            let (hash, g) = match bound {
                Some(b) => b,
                None => {
                    let (text, g) = guide::builtin(*year).ok_or_else(|| {
                        EngineError::NotFound(format!(
                            "没有 {year} 年度的指南 / no guide for {year}"
                        ))
                    })?;
                    (guide::content_hash(text), g)
                }
            };
            if cli.json {
                print_json(&serde_json::json!({ "round": year, "hash": hash, "guide": g }))?;
            } else {
                println!("{}（{}）", g.title, hash);
                for (c, r) in &g.clauses {
                    println!(
                        "  {} {} {}：上限 {} 元",
                        c.as_str(),
                        r.article,
                        r.name,
                        reviewdesk_engine::money::format_yuan(r.award.cap())
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Template {
            round: year,
            output,
        } => {
            if !SHIPPED_ROUNDS.contains(year) {
                eprintln!(
                    "注意：本程序没有 {year} 年度的指南，导入时该年度的申报表将不被接受 / note: no guide ships for {year}; workbooks for it will not import"
                );
            }
            let bytes = reviewdesk_engine::intake::template::write_template(*year)?;
            std::fs::write(output, &bytes).map_err(|e| EngineError::Io {
                path: output.display().to_string(),
                reason: e.to_string(),
            })?;
            if cli.json {
                print_json(&serde_json::json!({
                    "round": year,
                    "file": output.display().to_string(),
                    "bytes": bytes.len(),
                }))?;
            }
            eprintln!(
                "已生成 {year} 年度申报表模板 / blank workbook written: {}",
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { out } => demo(out, cli.json),
        Command::Verify { letter, ca } => {
            use reviewdesk_engine::register::{self, trust};
            let bytes = std::fs::read(letter).map_err(|e| EngineError::Io {
                path: letter.display().to_string(),
                reason: e.to_string(),
            })?;
            // --ca when given; else the workstation's anchors when --db is
            // the workstation's own store (none for any other store).
            let anchors = match (ca, &cli.db) {
                (Some(p), _) => vec![trust::from_pem_file(p)?],
                (None, Some(db)) => trust::for_store(db),
                (None, None) => vec![],
            };
            // The register only when --db is given.
            let store = match &cli.db {
                Some(_) => Some(unlock::open_store(&db)?),
                None => None,
            };
            let v = register::verdict(store.as_ref(), &bytes, &anchors)?;
            if cli.json {
                print_json(&serde_json::json!({
                    "valid": v.valid, "signature": v.signature, "register": v.entry()
                }))?;
            }
            // The engine's verdict says what failed; the CLI only prints it.
            if v.valid {
                eprintln!("{}：有效 / valid", letter.display());
            } else {
                eprintln!("{}：无效 / not valid", letter.display());
            }
            for f in &v.findings {
                eprintln!("  ! {}", f.message);
            }
            for p in &v.signature.problems {
                eprintln!("  ! {p}");
            }
            Ok(if v.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Backup { dir, keep } => {
            let mut store = unlock::open_store(&db)?;
            let dir = dir
                .clone()
                .unwrap_or_else(|| reviewdesk_engine::store::backups_dir(&db));
            let dest = store.backup_generation(&dir, &actor, *keep)?;
            if cli.json {
                print_json(&serde_json::json!({ "backup": dest.display().to_string() }))?;
            }
            eprintln!("已备份并校验 / backed up and checked: {}", dest.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { backup } => {
            let secret = unlock::secret_for_backup(backup)?;
            let report = reviewdesk_engine::store::restore(backup, &db, secret.as_ref())?;
            if cli.json {
                print_json(&report)?;
            }
            eprintln!(
                "已从 {} 恢复；{} / restored",
                backup.display(),
                report.audit.message
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Passphrase => {
            unlock::change(&db)?;
            eprintln!("口令已更改 / passphrase changed: {}", db.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let store = unlock::open_store(&db)?;
            let r = store.check()?;
            if cli.json {
                print_json(&r)?;
            }
            eprintln!(
                "完整性 integrity: {}；外键问题 foreign-key problems: {}；{}；{}",
                r.integrity,
                r.foreign_key_problems,
                if r.encrypted {
                    format!(
                        "已加密，密文页校验问题 cipher problems: {}",
                        r.cipher_problems
                    )
                } else {
                    "未加密 NOT encrypted".to_string()
                },
                r.audit.message
            );
            Ok(if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Audit { command } => audit_cmd::run(&db, command, cli.json),
        Command::Letter { command } => letter_cmd::run(&db, command, &actor, cli.json),
        Command::Budget { round: year } => rules_cmd::budget(&db, *year, cli.json),
        Command::Guide {
            command: GuideCommand::Use { round: year, file },
        } => rules_cmd::guide_use(&db, &actor, *year, file, cli.json),
        Command::Guide {
            command: GuideCommand::Diff { round: year, file },
        } => rules_cmd::guide_diff(&db, *year, file, cli.json),
        Command::Diff {
            credit_code,
            from,
            to,
        } => rules_cmd::diff(&db, credit_code, *from, *to, cli.json),
        Command::Link {
            provisional_key,
            credit_code,
        } => rules_cmd::link(
            &db,
            &actor,
            provisional_key.as_deref(),
            credit_code.as_deref(),
            cli.json,
        ),
        Command::Export {
            round: year,
            output,
        } => {
            let store = unlock::open_store(&db)?;
            let s = reviewdesk_engine::applications::export::export(&store, *year, output)?;
            if cli.json {
                print_json(&s)?;
            }
            eprintln!(
                "已导出 {} 行到 {}（审计链头 {}）/ exported",
                s.rows,
                s.file,
                s.audit_head.short()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The sample round from import to signed letters, as a newcomer's first try.
fn demo(out: &std::path::Path, json: bool) -> Result<ExitCode, EngineError> {
    use reviewdesk_engine::letters::TestAuthority;
    use reviewdesk_engine::register::issue::{issue_correction, issue_decision, CertIdentity};
    let io = |p: &std::path::Path, e: std::io::Error| EngineError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let db = out.join("demo.db");
    for suffix in ["", "-wal", "-shm", ".key"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        let _ = std::fs::remove_file(p);
    }
    let letters_dir = out.join("letters");
    let _ = std::fs::remove_dir_all(&letters_dir);
    std::fs::create_dir_all(&letters_dir).map_err(|e| io(&letters_dir, e))?;
    let mut store = unlock::open_store_no_prompt(&db)?;
    let reviewer = Actor::new("张审核（演示评审员）");
    let files = reviewdesk_engine::applications::samples::write_samples(&out.join("samples"))?;
    let parser = ParserPool::new(WorkerCommand::current_exe().map_err(|e| io(out, e))?);
    let mut progress = |_: usize, _: usize, _: &std::path::Path| {};
    let report = import_paths(
        &mut store,
        &parser,
        &files,
        SHIPPED_ROUNDS,
        &reviewer,
        &mut progress,
        &AtomicBool::new(false),
    )?;
    eprintln!(
        "导入 {} 个示例申报表 / imported sample workbooks",
        report.files.len()
    );
    let scored = round::score_round(&mut store, 2026, &reviewer)?;
    // The demo reviewer gives every qualitative factor 85% of its weight.
    for ev in &scored.evaluations {
        let Some(code) = ev.credit_code.clone() else {
            continue;
        };
        for p in &ev.projects {
            for f in p
                .factors
                .iter()
                .filter(|f| f.value.is_none() && f.points.is_none())
            {
                let pts = f.weight * rust_decimal::Decimal::new(85, 2);
                round::record_panel_score(
                    &mut store,
                    &reviewer,
                    &code,
                    p.clause.as_str(),
                    &p.name,
                    &f.id,
                    pts,
                )?;
            }
        }
    }
    let scored = round::score_round(&mut store, 2026, &reviewer)?;
    let ca = TestAuthority::generate("评审工作台测试CA（仅供试用）")
        .map_err(|e| EngineError::Invalid(e.to_string()))?;
    let pem = ca
        .certificate_pem()
        .map_err(|e| EngineError::Invalid(e.to_string()))?;
    std::fs::write(out.join("test-ca.pem"), pem).map_err(|e| io(out, e))?;
    let signer = ca
        .issue_signer("李审批（测试证书）")
        .map_err(|e| EngineError::Invalid(e.to_string()))?;
    // The same writer the app draws with (a fresh store: the demo seal).
    let writer = reviewdesk_engine::register::seal::writer(&store)?;
    let today = chrono::Local::now().date_naive();
    let mut letters = Vec::new();
    let codes: Vec<String> = scored
        .evaluations
        .iter()
        .filter_map(|e| e.credit_code.clone())
        .collect();
    for code in &codes {
        round::propose(&mut store, &reviewer, code)?;
        round::approve(&mut store, &CertIdentity(&signer), code)?;
        letters.extend(issue_decision(&mut store, &writer, &signer, code, today)?);
    }
    for app in reviewdesk_engine::applications::queries::list_applications(&store)? {
        if app.status == "needs_correction" {
            letters.push(issue_correction(
                &mut store,
                &writer,
                &signer,
                app.submission_id,
                today,
            )?);
        }
    }
    let mut summary = Vec::new();
    for (i, l) in letters.iter().enumerate() {
        let name = format!(
            "{:02}-{}-{}.pdf",
            i + 1,
            l.kind,
            l.credit_code.as_deref().unwrap_or("provisional")
        );
        let path = letters_dir.join(name);
        std::fs::write(&path, &l.pdf).map_err(|e| io(&path, e))?;
        eprintln!(
            "  {} {} {} {}",
            l.number,
            l.kind,
            l.applicant.as_deref().unwrap_or(""),
            l.amount_yuan
                .map(|a| format!("{} 元", reviewdesk_engine::money::format_yuan(a)))
                .unwrap_or_default()
        );
        summary.push(serde_json::json!({
            "path": path.display().to_string(),
            "kind": l.kind,
            "credit_code": l.credit_code,
            "number": l.number,
            "amount_yuan": l.amount_yuan.map(reviewdesk_engine::money::format_yuan),
        }));
    }
    if json {
        print_json(&serde_json::json!({ "letters": summary }))?;
    }
    eprintln!(
        "演示完成：{} 份签名决定书在 {}；测试 CA 证书：{} / demo done",
        letters.len(),
        letters_dir.display(),
        out.join("test-ca.pem").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn decimal_arg(s: &str, what: &str) -> Result<rust_decimal::Decimal, EngineError> {
    s.trim().parse().map_err(|_| {
        EngineError::Invalid(format!(
            "{what} 应为数字，而不是「{s}」/ {what} must be a number, not '{s}'"
        ))
    })
}

fn print_evaluation(ev: &reviewdesk_engine::rules::evaluate::Evaluation) {
    println!(
        "{} · {} 年度 · 指南 {}",
        ev.credit_code.as_deref().unwrap_or(""),
        ev.round,
        &ev.guide[..12.min(ev.guide.len())]
    );
    for p in &ev.projects {
        println!(
            "  [{}] {}  {}  扶持 {}{}",
            p.clause.as_str(),
            p.name,
            if p.eligible {
                "符合条件"
            } else {
                "不符合条件"
            },
            p.award_yuan
                .map(|a| format!("{} 元", reviewdesk_engine::money::format_yuan(a)))
                .unwrap_or_else(|| "待评分".into()),
            p.superseded_by
                .map(|c| format!("（就高不重复：按 {} 扶持）", c.as_str()))
                .unwrap_or_default()
        );
        for r in p.eligibility.iter().filter(|r| !r.pass) {
            println!("      ✗ {}：{}", r.rule, r.reason);
        }
        for l in &p.lines {
            println!("      {}  {}", l.label, l.value);
        }
    }
    for f in &ev.flags {
        println!("  ! {}", f.message);
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
