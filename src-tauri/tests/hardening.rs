//! Hardening checks over the shipped configuration: this test fails if the
//! content security policy is missing or weakened, if the web view's
//! capabilities grant anything beyond the app's own commands and the two
//! event permissions it needs, if devtools are compiled into release builds,
//! or if the main window loses its navigation guard. The command list is
//! declared once (`src/commands/list.rs`): the capabilities and the UI's
//! `api.ts` (the commands it calls, the argument keys it sends) are checked
//! against it.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

// The command table the app is built from (build.rs and commands/mod.rs
// expand the same file).
include!("../src/commands/list.rs");

/// The table's commands with their argument keys.
macro_rules! command_table {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)*) => {
        vec![$((stringify!($name), vec![$(stringify!($arg)),*])),*]
    };
}

fn table() -> Vec<(&'static str, Vec<&'static str>)> {
    app_commands!(command_table)
}

/// The commands declared in the app manifest: build.rs expands the table.
fn declared_commands() -> BTreeSet<String> {
    let build = read("build.rs");
    assert!(
        build.contains("include!(\"src/commands/list.rs\")")
            && build.contains(".commands(app_commands!(command_names))"),
        "build.rs declares the commands of src/commands/list.rs"
    );
    table().iter().map(|(c, _)| c.to_string()).collect()
}

#[test]
fn the_csp_is_strict_and_local() {
    let conf = json("tauri.conf.json");
    let sec = &conf["app"]["security"];
    let csp = sec["csp"].as_object().expect("a CSP is set (object form)");
    let get = |k: &str| csp.get(k).and_then(Value::as_str).unwrap_or_default();
    assert_eq!(get("default-src"), "'self'");
    assert_eq!(get("script-src"), "'self'", "no inline or eval script");
    assert_eq!(get("object-src"), "'none'");
    assert_eq!(get("base-uri"), "'none'");
    assert_eq!(get("frame-ancestors"), "'none'");
    assert_eq!(get("form-action"), "'none'");
    assert_eq!(get("connect-src"), "ipc: http://ipc.localhost");
    for (k, v) in csp {
        let v = v.as_str().unwrap_or_default();
        for word in v.split_whitespace() {
            let remote = (word.starts_with("http://") || word.starts_with("https://"))
                && !word.ends_with(".localhost");
            assert!(!remote, "{k} allows a remote origin: {word}");
            assert!(
                !matches!(word, "*" | "'unsafe-eval'" | "https:" | "http:" | "blob:"),
                "{k} allows {word}"
            );
        }
        if k != "style-src" {
            assert!(!v.contains("unsafe-inline"), "{k}: {v}");
        }
    }
    assert_eq!(sec["freezePrototype"], true);
    assert!(
        sec.get("dangerousDisableAssetCspModification").is_none(),
        "Tauri's CSP nonces must stay on"
    );
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    assert!(
        conf["build"].get("devUrl").is_none(),
        "no remote dev server in the shipped config"
    );
    assert_eq!(conf["build"]["frontendDist"], "../ui/dist");
}

#[test]
fn capabilities_grant_only_the_apps_own_commands() {
    let cap = json("capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(
        cap.get("remote").is_none(),
        "no remote origin may call commands"
    );
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("plain permission names").to_string())
        .collect();
    let commands = declared_commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let mut allowed: BTreeSet<String> = commands
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    allowed.insert("core:event:allow-listen".into());
    allowed.insert("core:event:allow-unlisten".into());
    let extra: Vec<_> = granted.difference(&allowed).collect();
    assert!(
        extra.is_empty(),
        "capabilities grant more than the app's own commands: {extra:?}"
    );
    let uncallable: Vec<_> = allowed.difference(&granted).collect();
    assert!(
        uncallable.is_empty(),
        "declared but not granted: {uncallable:?}"
    );
    // Every declared command is registered with the invoke handler and has
    // its argument keys checked: both are expanded from the same table.
    let handlers = read("src/commands/mod.rs");
    for expansion in [
        "include!(\"list.rs\")",
        "Box::new(app_commands!(command_handler))",
        "COMMAND_ARGS: &[(&str, &[&str])] = app_commands!(command_args)",
    ] {
        assert!(handlers.contains(expansion), "mod.rs lost {expansion}");
    }
    let mut seen = BTreeSet::new();
    for (c, _) in table() {
        assert!(seen.insert(c), "{c} is listed twice in list.rs");
    }
}

/// The calls `ui/src/api.ts` makes: `call('name'` or `call('name', { a, b })`,
/// with the keys of an object written in place (None for a variable).
fn api_calls() -> Vec<(String, Option<BTreeSet<String>>)> {
    let api = read("../ui/src/api.ts");
    let mut calls = Vec::new();
    for piece in api.split("call('").skip(1) {
        let Some((name, rest)) = piece.split_once('\'') else {
            continue;
        };
        let rest = rest.trim_start();
        let keys = rest
            .strip_prefix(',')
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('{'))
            .and_then(|r| r.split_once('}'))
            .map(|(inside, _)| {
                inside
                    .split(',')
                    .map(|k| k.split(':').next().unwrap_or_default().trim().to_string())
                    .filter(|k| !k.is_empty())
                    .collect()
            });
        calls.push((name.to_string(), keys));
    }
    calls
}

#[test]
fn the_ui_calls_exactly_the_declared_commands_with_their_argument_keys() {
    let table = table();
    let calls = api_calls();
    assert!(calls.len() >= table.len(), "{calls:?}");
    let called: BTreeSet<&str> = calls.iter().map(|(c, _)| c.as_str()).collect();
    let declared: BTreeSet<&str> = table.iter().map(|(c, _)| *c).collect();
    let unknown: Vec<_> = called.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "api.ts calls undeclared commands: {unknown:?}"
    );
    let unwrapped: Vec<_> = declared.difference(&called).collect();
    assert!(
        unwrapped.is_empty(),
        "api.ts has no wrapper for: {unwrapped:?}"
    );
    for (name, keys) in &calls {
        let Some(keys) = keys else { continue };
        let (_, args) = table
            .iter()
            .find(|(c, _)| c == name)
            .expect("declared, checked above");
        let args: BTreeSet<String> = args.iter().map(|a| a.to_string()).collect();
        assert_eq!(
            keys, &args,
            "api.ts sends {name} other keys than list.rs declares"
        );
    }
}

#[test]
fn no_devtools_in_release_and_the_window_has_its_navigation_guard() {
    let cargo = read("Cargo.toml");
    let tauri_line = cargo
        .lines()
        .find(|l| l.trim_start().starts_with("tauri ="))
        .expect("tauri dependency");
    assert!(!tauri_line.contains("devtools"), "{tauri_line}");
    let conf = json("tauri.conf.json");
    let main = conf["app"]["windows"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["label"] == "main"))
        .expect("main window");
    assert_eq!(
        main["create"], false,
        "the main window is built in code, with on_navigation"
    );
    assert!(main.get("url").is_none_or(|u| u == "index.html"), "{main}");
    let setup = read("src/commands/mod.rs");
    assert!(
        setup.contains(".on_navigation("),
        "the navigation guard is gone"
    );
}
