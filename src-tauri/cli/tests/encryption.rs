//! Encryption at rest through the real `reviewdesk` binary: a stolen copy of
//! the data folder (store, WAL, backups, key file) reveals no applicant name,
//! credit code or amount; the passphrase, the recovery key and a changed
//! passphrase open it; a wrong or missing one gets a clear error.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PASSPHRASE: &str = "encryption-test-passphrase";

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn bin(passphrase: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_PASSPHRASE")
        .env_remove("REVIEWDESK_RECOVERY_KEY")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "张审核");
    if let Some(p) = passphrase {
        c.env("REVIEWDESK_PASSPHRASE", p);
    }
    c
}

fn run(c: &mut Command, db: &Path, args: &[&str]) -> Output {
    c.arg("--db").arg(db).args(args).output().expect("run")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What a thief must not find: every applicant name, credit code and amount
/// the sample round's import shows.
fn secrets(db: &Path) -> Vec<String> {
    let o = run(&mut bin(Some(PASSPHRASE)), db, &["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list: Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut found = Vec::new();
    for a in list["applications"].as_array().expect("applications") {
        for k in ["applicant", "credit_code"] {
            if let Some(s) = a[k].as_str().filter(|s| s.len() > 6) {
                found.push(s.to_string());
            }
        }
    }
    found.push("6500000.00".into());
    found.push("国产算力".into());
    assert!(found.len() > 6, "{found:?}");
    found
}

fn grep_folder(dir: &Path, needles: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).expect("read");
            if bytes.starts_with(b"SQLite format 3\0") {
                hits.push(format!("{}: plain SQLite header", p.display()));
            }
            for n in needles {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    hits.push(format!("{}: {n}", p.display()));
                }
            }
        }
    }
    hits
}

#[test]
fn a_stolen_data_folder_reveals_no_name_code_or_amount() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let db = data.join("reviewdesk.db");
    let o = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["import", samples_dir().to_str().expect("utf8")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("恢复密钥"),
        "a new store shows its recovery key once: {}",
        stderr(&o)
    );
    let o = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["score", "--round", "2026"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["backup"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let needles = secrets(&db);
    let hits = grep_folder(&data, &needles);
    assert!(hits.is_empty(), "plaintext in the data folder: {hits:#?}");
    assert!(data.join("reviewdesk.db.key").exists());
    assert!(data.join("backups").read_dir().expect("backups").count() >= 2);
}

#[test]
fn no_wrong_or_changed_passphrase_and_the_recovery_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let recovery = err
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 64 && l.matches('-').count() == 12)
        .unwrap_or_else(|| panic!("no recovery key in: {err}"))
        .to_string();

    let o = run(&mut bin(None), &db, &["list", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("REVIEWDESK_PASSPHRASE"),
        "{}",
        stderr(&o)
    );

    let o = run(&mut bin(Some("not the passphrase")), &db, &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("口令不正确"), "{}", stderr(&o));

    let o = run(
        bin(None)
            .env("REVIEWDESK_RECOVERY_KEY", recovery.to_lowercase())
            .env("REVIEWDESK_NEW_PASSPHRASE", "a brand new passphrase"),
        &db,
        &["passphrase"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the old passphrase no longer opens it"
    );
    let o = run(
        &mut bin(Some("a brand new passphrase")),
        &db,
        &["check", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let check: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(check["encrypted"], true);
    assert_eq!(check["cipher_problems"], 0);
}

#[test]
fn a_plain_store_is_encrypted_on_first_use_with_a_passphrase_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(
        &mut bin(None),
        &db,
        &["import", samples_dir().to_str().expect("utf8")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("未加密"),
        "a plain store is never silent"
    );
    let before = run(&mut bin(None), &db, &["list", "--json"]);
    assert!(before.status.success());

    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已加密"), "{}", stderr(&o));
    assert_eq!(
        o.stdout, before.stdout,
        "the same applications after encryption"
    );
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hits = grep_folder(dir.path(), &secrets(&db));
    assert!(hits.is_empty(), "{hits:#?}");
}

#[test]
fn restore_drill_through_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["import", samples_dir().to_str().expect("utf8")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["backup", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b: Value = serde_json::from_slice(&o.stdout).expect("json");
    let backup = b["backup"].as_str().expect("path").to_string();
    let listed = run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]).stdout;
    let head = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["audit", "verify", "--json"],
    );
    let head: Value = serde_json::from_slice(&head.stdout).expect("json");

    // Damage the live store.
    std::fs::write(&db, vec![0x5au8; 8192]).expect("damage");
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list"]);
    assert_eq!(o.status.code(), Some(2));

    let o = run(
        &mut bin(Some("wrong passphrase")),
        &db,
        &["restore", &backup],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a wrong passphrase restores nothing"
    );
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["restore", &backup]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]).stdout,
        listed
    );
    let after = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["audit", "verify", "--json"],
    );
    assert!(after.status.success());
    let after: Value = serde_json::from_slice(&after.stdout).expect("json");
    assert_eq!(after["ok"], true);
    // the chain is back, entry for entry, plus the restore itself
    assert_ne!(after["head"], head["head"], "the restore is audited");
    assert_eq!(
        after["entries"].as_u64(),
        head["entries"].as_u64().map(|n| n + 1),
        "the backup's chain and one entry: the restore"
    );
}
