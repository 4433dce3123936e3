//! `reviewdesk`: the command line over the review engine, for scripting and
//! for the bureau's IT. JSON goes to stdout, messages to stderr. Exit codes:
//! 0 ok, 1 the input had problems (reported), 2 usage or environment.
//! The JSON keys are a contract: shared spec/cli.md.
//!
//! `args` is the grammar, `commands/` one module per group of commands,
//! `unlock` opens the store; `inner` only dispatches.

mod args;
mod commands;
mod identity;
mod unlock;

use std::process::ExitCode;

use clap::Parser;
use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::intake::worker::maybe_run_worker;
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::{paths, EngineError};

use args::{Cli, Command, GuideCommand};
use commands::operations;
use commands::{applications, audit as audit_cmd, demo, guide as guide_cmd, letter as letter_cmd};
use commands::{people as people_cmd, review, rules as rules_cmd, store as store_cmd, verify};

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
                    serde_json::json!({ "error": { "code": body.code, "message": body.message,
                        "message_zh": e.message_zh(), "message_en": e.message_en() } })
                );
            }
            eprintln!("错误 / error [{}]: {e}", e.code());
            exit_code(&e)
        }
    }
}

/// 2 for usage and environment, 1 when the state does not allow the act
/// (the refusals with their own code: same_person, not_allowed,
/// already_issued, not_trusted …); the older errors keep 2.
fn exit_code(e: &EngineError) -> ExitCode {
    match e {
        EngineError::Coded { code, .. } if !identity::ENVIRONMENT_CODES.contains(code) => {
            ExitCode::from(1)
        }
        _ => ExitCode::from(2),
    }
}

/// What the workstation does by itself (scoring, backups, links): not an
/// act of a person, recorded under the command line's name.
fn system_actor() -> Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Actor::new(format!("cli:{user}"))
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
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    // damage found after the store opened (a page read mid-command) is
    // named with the way back, as at opening
    inner(cli).map_err(|e| (unlock::name_the_way_back(e, &db), json))
}

fn inner(cli: Cli) -> Result<ExitCode, EngineError> {
    // Long on purpose: one arm per command, each only unpacking the
    // arguments for its function in `commands/`; nothing is decided here.
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    if cli.reviewer.is_some()
        || std::env::var_os("REVIEWDESK_REVIEWER").is_some_and(|v| !v.is_empty())
    {
        return Err(identity::refuse_typed_name());
    }
    let id = cli.identity.as_deref();
    let person = |what: &str| identity::actor(id, what);
    let actor = system_actor();
    let json = cli.json;
    match &cli.command {
        Command::Import {
            paths: inputs,
            received,
            reason,
        } => {
            use reviewdesk_engine::applications::receipt::Receipt;
            let today = chrono::Local::now().date_naive();
            // checked before anything is read or written
            let receipt = match received {
                Some(d) => Receipt::parse(d, reason.as_deref(), today)?,
                None => Receipt::new(today, reason.as_deref(), today)?,
            };
            applications::import(db, person("import ")?, inputs, &receipt, json)
        }
        Command::Ca { command } => people_cmd::ca(command, json),
        Command::Roster { command } => people_cmd::roster_cmd(&db, id, command, json),
        Command::Trust { command } => people_cmd::trust_cmd(&db, id, command, json),
        Command::List => applications::list(db, json),
        Command::Show { credit_code } => applications::show(db, credit_code, json),
        Command::Score { round: year } => review::score(db, actor, year, json),
        Command::Explain { credit_code } => review::explain(db, credit_code, id, json),
        Command::Decide { command } => {
            review::decide(db, identity::person(id, "decide ")?, command, json)
        }
        Command::Round { command } => review::round(db, person("round ")?, command, json),
        Command::Panel {
            credit_code,
            clause,
            project,
            factor,
            points,
        } => review::panel(
            db,
            person("panel ")?,
            credit_code,
            clause,
            project,
            factor,
            points,
        ),
        Command::Conflict {
            credit_code,
            reason,
        } => review::conflict(db, person("conflict ")?, credit_code, reason),
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
            person("certify ")?,
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
        } => review::overrule(
            db,
            person("overrule ")?,
            credit_code,
            clause,
            project,
            rule,
            reason,
        ),
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
        Command::Restore { backup, reason } => store_cmd::restore(
            db,
            identity::person(id, "restore ")?,
            backup,
            reason.as_deref(),
            json,
        ),
        Command::Passphrase => store_cmd::passphrase(db),
        Command::Check => store_cmd::check(db, json),
        Command::Audit { command } => audit_cmd::run(&db, command, json),
        Command::Letter { command } => letter_cmd::run(&db, command, id, json),
        Command::Budget { round: year } => rules_cmd::budget(&db, *year, json),
        Command::Guide {
            command: GuideCommand::Use { round: year, file },
        } => rules_cmd::guide_use(&db, &person("guide use ")?, *year, file, json),
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
        Command::Lists { command } => operations::lists(&db, &person("lists ")?, command, json),
        Command::Ledger { command } => operations::ledger(&db, &person("ledger ")?, command, json),
        Command::Calendar { command } => commands::notice::calendar(&db, id, command, json),
        Command::Notice { command } => commands::notice::run(&db, id, command, json),
        Command::Package { command } => commands::package::run(&db, id, command, json),
        Command::Clawback { command } => commands::clawback::run(&db, id, command, json),
        Command::Evaluation { command } => operations::evaluation(&db, id, command, json),
        Command::Assign {
            round: year,
            codes,
            to,
            clause,
        } => commands::desk::assign(
            &db,
            person("assign ")?,
            *year,
            codes,
            to,
            clause.as_deref(),
            json,
        ),
        Command::Assignments { round: year } => commands::desk::list(&db, *year, json),
        Command::Compare { round: year } => commands::desk::compare(&db, *year, json),
        Command::Note { command } => commands::desk::note(&db, person("note ")?, command, json),
        Command::Label { command } => commands::desk::label(&db, person("label ")?, command, json),
    }
}
