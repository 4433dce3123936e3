//! The IPC contract as TypeScript: `ui/src/ipc.generated.ts` is rendered
//! here from the Rust types (ts-rs) and the command table (list.rs), and
//! this test fails when the checked-in file differs. Run it with
//! `UPDATE_IPC_TYPES=1` to rewrite the file.
//!
//! The file holds every type a command returns, with every type those
//! reach, by its Rust name, in alphabetical order, exactly as serde sends it
//! (snake_case keys, `Decimal` as a string, `Option` as `T | null`, a
//! `skip_serializing_if` field as `key?:`), and `CommandMap`: each command's
//! arguments (camelCase keys, as the web view sends them) and result.

use std::any::TypeId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use reviewdesk_engine::applications::import::{ImportReport, LinkOutcome, LinkSuggestion};
use reviewdesk_engine::applications::queries::{
    ApplicationDetail, ApplicationRow, DecisionRow, RoundOverview,
};
use reviewdesk_engine::applications::versions::VersionDiff;
use reviewdesk_engine::exchange::package::{ExchangeStatus, PackageExport, PackageReport};
use reviewdesk_engine::operations::clawback::Case;
use reviewdesk_engine::operations::ledger::{Exported, LedgerRow, Taken};
use reviewdesk_engine::operations::lists::Imported;
use reviewdesk_engine::operations::notice::{Objection, PublishedNotice, Resolution};
use reviewdesk_engine::operations::views::{
    CalendarYearInfo, ListSummary, NoticePlan, NoticeSummary,
};
use reviewdesk_engine::people::training::TestBureau;
use reviewdesk_engine::people::Person;
use reviewdesk_engine::register::bureau_seal::SealInfo;
use reviewdesk_engine::register::seal_key::SealCertificate;
use reviewdesk_engine::review::assignments::{Assignments, Comparison};
use reviewdesk_engine::review::budget::BudgetReport;
use reviewdesk_engine::review::notes::NotesAndLabels;
use reviewdesk_engine::review::round::{Decision, GuidePreview, RoundGuide, RoundScore};
use reviewdesk_engine::store::AuditReport;
use ts_rs::{TypeVisitor, TS};

use reviewdesk_engine::register::batch;

use super::intake::ProgressEvent;
use super::letter_check::LetterCheck;
use super::letters::{BatchReport, LetterRow, PreviewLetter};
use super::overview::Versions;
use super::people::{ActingPerson, SignInChoices};
use super::review::Review;
use super::store::{BackupResult, HealthResult, StoreStatus, UnlockResult};
use super::system::AppInfo;
use crate::error::IpcError;

/// The events the app emits (`app.emit(name, payload)`), with their
/// payloads: `EventMap` in the generated file. The test below checks that
/// these are the names the commands emit.
macro_rules! events {
    ($then:ident) => {
        $then! {
            "import-progress" => ProgressEvent,
            "import-finished" => ImportReport,
            "import-failed" => IpcError,
            "letter-verified" => LetterCheck,
            "letter-verify-failed" => IpcError,
            "letters-batch-progress" => batch::Progress,
            "letters-batch-finished" => BatchReport,
        }
    };
}

/// The event table as (name, payload's TypeScript), visiting each payload.
macro_rules! event_types {
    ($($name:literal => $ty:ty),* $(,)?) => {
        |decls: &mut Declarations| -> Vec<(&'static str, String)> {
            vec![$({
                decls.visit::<$ty>();
                ($name, <$ty as TS>::name())
            }),*]
        }
    };
}

/// Collects the declaration of every named type reached, by TypeScript name.
#[derive(Default)]
struct Declarations {
    seen: HashSet<TypeId>,
    /// name → (declaration, Rust type)
    decls: BTreeMap<String, (String, &'static str)>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives and wrappers (Vec, Option, maps) have no declaration of
        // their own; what they hold is visited through their dependencies.
        if T::output_path().is_some() && self.seen.insert(TypeId::of::<T>()) {
            let rust = std::any::type_name::<T>();
            let decl = format!("{}export {}", T::docs().unwrap_or_default(), T::decl());
            if let Some((_, other)) = self.decls.insert(T::ident(), (decl, rust)) {
                panic!(
                    "two Rust types are called {} in TypeScript ({other} and {rust}): \
                     give one a #[ts(rename = \"...\")]",
                    T::ident()
                );
            }
        }
        // A wrapper's dependencies are those of what it holds; what it holds
        // (`Vec<T>`'s `T`) is one of its generics.
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// One command of the table: its name, its arguments as a TypeScript object
/// type, and its result's TypeScript type.
struct Command {
    name: &'static str,
    args: Vec<String>,
    result: String,
}

/// `key: T` for an argument; an `Option` may also be left out (`key?:`).
/// An `i64` argument is read from a JSON number (ts-rs says `bigint`).
fn arg<T: TS + 'static>(key: &str) -> String {
    let optional = TypeId::of::<T>() != TypeId::of::<T::OptionInnerType>();
    let ty = T::name().replace("bigint", "number");
    format!("{key}{}: {ty}", if optional { "?" } else { "" })
}

/// The table's commands, visiting every result type for its declarations.
macro_rules! command_types {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)*) => {
        |decls: &mut Declarations| -> Vec<Command> {
            vec![$({
                decls.visit::<$ret>();
                $(decls.visit::<$ty>();)*
                Command {
                    name: stringify!($name),
                    args: vec![$(arg::<$ty>(stringify!($arg))),*],
                    result: <$ret as TS>::name(),
                }
            }),*]
        }
    };
}

fn render() -> String {
    let mut decls = Declarations::default();
    let collect = app_commands!(command_types);
    let commands = collect(&mut decls);
    let collect = events!(event_types);
    let events = collect(&mut decls);
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/commands/ipc_types.rs (ts-rs)\n\
         // and the command table src-tauri/src/commands/list.rs: do not edit.\n\
         // Regenerate: UPDATE_IPC_TYPES=1 cargo test -p reviewdesk-app ipc_types\n\
         //\n\
         // Keys are as serde sends them (snake_case); api.ts's fromWire turns them into\n\
         // camelCase, and types.ts names the UI's view of each type (`FromWire<T>`).\n\
         /* eslint-disable */\n",
    );
    for (decl, _) in decls.decls.values() {
        out.push('\n');
        out.push_str(decl);
        out.push('\n');
    }
    out.push_str(
        "\n/** Each command's arguments (camelCase keys, as sent) and result (as serde sends it). */\n\
         export type CommandMap = {\n",
    );
    for c in &commands {
        let args = if c.args.is_empty() {
            "undefined".to_string()
        } else {
            format!("{{ {} }}", c.args.join("; "))
        };
        let _ = writeln!(out, "  {}: [{args}, {}];", c.name, c.result);
    }
    out.push_str("};\n");
    out.push_str("\n/** The events the app emits, with their payloads (as serde sends them). */\nexport type EventMap = {\n");
    for (name, payload) in &events {
        let _ = writeln!(out, "  \"{name}\": {payload};");
    }
    out.push_str("};\n");
    out
}

/// The event names the app's sources pass to `emit(`.
fn emitted_events() -> std::collections::BTreeSet<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut names = std::collections::BTreeSet::new();
    let mut dirs = vec![dir];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let src = std::fs::read_to_string(&path).expect("source file");
                for piece in src.split(".emit(").skip(1) {
                    let name = piece
                        .trim_start()
                        .strip_prefix('"')
                        .and_then(|n| n.split_once('"'));
                    if let Some((name, _)) = name {
                        if name.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                            names.insert(name.to_string());
                        }
                    }
                }
            }
        }
    }
    names
}

#[test]
fn the_event_table_lists_every_emitted_event() {
    let collect = events!(event_types);
    let table: std::collections::BTreeSet<String> = collect(&mut Declarations::default())
        .into_iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(
        table,
        emitted_events(),
        "ipc_types.rs's events! table and the emit( calls differ"
    );
}

#[test]
fn ipc_types_generated_file_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc.generated.ts");
    let fresh = render();
    assert!(
        !fresh.contains("bigint"),
        "an i64/u64 would cross IPC as a JSON number, not a bigint: mark it \
         #[cfg_attr(feature = \"ts\", ts(type = \"number\"))]\n{fresh}"
    );
    if std::env::var_os("UPDATE_IPC_TYPES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "{} is stale (the Rust IPC types or the command table changed): \
         regenerate it with `UPDATE_IPC_TYPES=1 cargo test -p reviewdesk-app ipc_types` \
         and commit it",
        path.display()
    );
}
