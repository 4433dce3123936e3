//! `reviewdesk`: the command line over the review engine, for scripting and
//! for the bureau's IT. JSON goes to stdout, messages to stderr. Exit codes:
//! 0 ok, 1 the input had problems (reported), 2 usage or environment.
//! The JSON keys are a contract: shared spec/cli.md.
//!
//! `args` is the grammar, `commands/` one module per group of commands,
//! `unlock` opens the store; `inner` only dispatches.

mod args;
mod commands;
mod unlock;

use std::process::ExitCode;

use clap::Parser;
use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::intake::worker::maybe_run_worker;
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::{paths, EngineError};

use args::{Cli, Command, GuideCommand};
use commands::{applications, audit as audit_cmd, demo, guide as guide_cmd, letter as letter_cmd};
use commands::{review, rules as rules_cmd, store as store_cmd, verify};

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
    // Long on purpose: one arm per command, each only unpacking the
    // arguments for its function in `commands/`; nothing is decided here.
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    let actor = actor(&cli);
    let json = cli.json;
    match &cli.command {
        Command::Import { paths: inputs } => applications::import(db, actor, inputs, json),
        Command::List => applications::list(db, json),
        Command::Show { credit_code } => applications::show(db, credit_code, json),
        Command::Score { round: year } => review::score(db, actor, year, json),
        Command::Explain { credit_code } => review::explain(db, credit_code, json),
        Command::Decide { command } => review::decide(db, actor, command, json),
        Command::Panel {
            credit_code,
            clause,
            project,
            factor,
            points,
        } => review::panel(db, actor, credit_code, clause, project, factor, points),
        Command::Conflict {
            credit_code,
            reason,
        } => review::conflict(db, actor, credit_code, reason),
        Command::Certify {
            credit_code,
            clause,
            project,
            field,
            value,
            reason,
            evidence,
        } => review::certify(
            db,
            actor,
            credit_code,
            clause.as_deref(),
            project.as_deref(),
            field,
            value,
            reason,
            evidence.as_deref(),
        ),
        Command::Overrule {
            credit_code,
            clause,
            project,
            rule,
            reason,
        } => review::overrule(db, actor, credit_code, clause, project, rule, reason),
        Command::Guide {
            command: GuideCommand::Check { file },
        } => guide_cmd::check(file, json),
        Command::Guide {
            command: GuideCommand::Show { round: year },
        } => guide_cmd::show(db, year, json),
        Command::Template {
            round: year,
            output,
        } => applications::template(year, output, json),
        Command::Demo { out } => demo::demo(out, json),
        Command::Verify { letter, ca } => {
            verify::verify(db, cli.db.as_deref(), letter, ca.as_deref(), json)
        }
        Command::Backup { dir, keep } => store_cmd::backup(db, actor, dir.as_deref(), keep, json),
        Command::Restore { backup } => store_cmd::restore(db, backup, json),
        Command::Passphrase => store_cmd::passphrase(db),
        Command::Check => store_cmd::check(db, json),
        Command::Audit { command } => audit_cmd::run(&db, command, json),
        Command::Letter { command } => letter_cmd::run(&db, command, &actor, json),
        Command::Budget { round: year } => rules_cmd::budget(&db, *year, json),
        Command::Guide {
            command: GuideCommand::Use { round: year, file },
        } => rules_cmd::guide_use(&db, &actor, *year, file, json),
        Command::Guide {
            command: GuideCommand::Diff { round: year, file },
        } => rules_cmd::guide_diff(&db, *year, file, json),
        Command::Diff {
            credit_code,
            from,
            to,
        } => rules_cmd::diff(&db, credit_code, *from, *to, json),
        Command::Link {
            provisional_key,
            credit_code,
        } => rules_cmd::link(
            &db,
            &actor,
            provisional_key.as_deref(),
            credit_code.as_deref(),
            json,
        ),
        Command::Export {
            round: year,
            output,
        } => applications::export(db, year, output, json),
    }
}
