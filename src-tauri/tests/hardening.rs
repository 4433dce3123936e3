//! Hardening checks over the shipped configuration: this test fails if the
//! content security policy is missing or weakened, if the web view's
//! capabilities grant anything beyond the app's own commands and the two
//! event permissions it needs, if devtools are compiled into release builds,
//! or if the main window loses its navigation guard.

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

/// The commands declared in build.rs (the app manifest).
fn declared_commands() -> BTreeSet<String> {
    let src = read("build.rs");
    let start = src
        .find(".commands(&[")
        .expect("build.rs declares commands");
    let end = start + src[start..].find("])").expect("end of the list");
    src[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
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
    // Every declared command is really registered with the invoke handler.
    let handlers = read("src/commands/mod.rs");
    for c in &commands {
        assert!(
            handlers.contains(&format!("::{c},")),
            "{c} is declared but not registered"
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
