//! A damaged store and the way back, over the real binary: every message
//! about a damaged store names the newest backup that passes its checks and
//! the command that restores it (the people-and-keys issue, finding 7), and
//! nothing is written to the damaged store.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{json, refusal};

const PASSPHRASE: &str = "restore-store";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_RECOVERY_KEY")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "张审核");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().expect("run")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/samples")
        .join(name)
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

fn backup(db: &Path) -> PathBuf {
    let o = run(db, &["backup", "--json"]);
    assert!(o.status.success(), "{o:?}");
    PathBuf::from(json(&o)["path"].as_str().expect("path"))
}

fn import(db: &Path, name: &str) {
    let o = run(db, &["import", s(&sample(name)), "--json"]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
}

#[test]
fn a_store_cut_in_half_names_the_newest_good_backup_and_how_to_restore_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("home.db");
    import(&db, "01-supply-clean.xlsx");
    let good = backup(&db);
    let listed = run(&db, &["list", "--json"]).stdout;
    import(&db, "02-rnd-two-clauses.xlsx");
    // a newer backup that no longer passes its checks: not the one named
    let bad = backup(&db);
    let bytes = std::fs::read(&bad).expect("read backup");
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).expect("damage the backup");
    import(&db, "03-consume-merged-header.xlsx");

    // the store cut in half
    let bytes = std::fs::read(&db).expect("read store");
    std::fs::write(&db, &bytes[..bytes.len() / 2]).expect("cut the store");
    let before = files(dir.path());

    let o = run(&db, &["list", "--json"]);
    let err = &json(&o)["error"];
    assert_eq!(
        (o.status.code(), err["code"].as_str()),
        (Some(2), Some("store_damaged")),
        "{o:?}"
    );
    let restore = format!(
        "reviewdesk --db {} --identity <you.p12> restore {} --reason",
        s(&db),
        s(&good)
    );
    for text in [&err["message_en"], &err["message_zh"]] {
        let text = text.as_str().expect("message");
        assert!(text.contains(&restore), "{text}");
        assert!(!text.contains(s(&bad)), "{text}");
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&restore), "{stderr}");
    // `check` says the same, and neither wrote anything
    let o = run(&db, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains(&restore));
    assert_eq!(files(dir.path()), before, "nothing is written");

    // the way back works as the message says
    let o = run(
        &db,
        &["restore", s(&good), "--reason", "数据库损坏", "--json"],
    );
    assert!(o.status.success(), "{o:?}");
    assert_eq!(run(&db, &["list", "--json"]).stdout, listed);
    assert!(run(&db, &["audit", "verify"]).status.success());
}

#[test]
fn a_damaged_store_without_a_good_backup_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("home.db");
    import(&db, "01-supply-clean.xlsx");
    std::fs::write(&db, vec![0x5au8; 16384]).expect("overwrite the store");
    let o = run(&db, &["list", "--json"]);
    let err = &json(&o)["error"];
    assert_eq!(err["code"], "store_damaged", "{o:?}");
    let en = err["message_en"].as_str().expect("message");
    assert!(
        en.contains("No backup in") && en.contains("passes its checks"),
        "{en}"
    );
    assert_eq!(o.status.code(), Some(2));
}

fn as_(db: &Path, who: &str, args: &[&str]) -> Output {
    let mut c = bin();
    common::act_as(&mut c, who);
    c.arg("--db").arg(db).args(args).output().expect("run")
}

#[test]
fn a_restore_is_an_administrators_signed_act() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("home.db");
    let ca = common::ca_pem();
    let o = as_(&db, "管理员", &["roster", "init", "--ca", s(&ca), "--json"]);
    assert!(o.status.success(), "{o:?}");
    let admin_fp = json(&o)["people"][0]["fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    let zhang = common::identity("张审核");
    let o = as_(
        &db,
        "管理员",
        &["roster", "add", s(&zhang), "--role", "reviewer"],
    );
    assert!(o.status.success(), "{o:?}");
    import(&db, "01-supply-clean.xlsx");
    let good = backup(&db);
    let listed = run(&db, &["list", "--json"]).stdout;
    import(&db, "02-rnd-two-clauses.xlsx");
    let before = files(dir.path());

    // nobody: refused before anything is read
    let o = bin()
        .env_remove("REVIEWDESK_IDENTITY")
        .arg("--db")
        .arg(&db)
        .args(["restore", s(&good), "--json"])
        .output()
        .expect("run");
    assert_eq!(refusal(&o), (Some(2), "identity_required".into()), "{o:?}");
    // a reviewer: not allowed, nothing changes
    let o = as_(&db, "张审核", &["restore", s(&good), "--json"]);
    assert_eq!(refusal(&o), (Some(1), "not_allowed".into()), "{o:?}");
    assert_eq!(
        files(dir.path()),
        before,
        "a refused restore changes nothing"
    );

    // the administrator: restored, the entry signed by them
    let o = as_(&db, "管理员", &["restore", s(&good), "--json"]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(json(&o)["restored_by"]["fingerprint"], admin_fp.as_str());
    assert_eq!(run(&db, &["list", "--json"]).stdout, listed);
    assert!(run(&db, &["audit", "verify"]).status.success());

    let secret = reviewdesk_engine::store::Secret::passphrase(PASSPHRASE);
    let store = reviewdesk_engine::store::unlock(&db, &secret)
        .expect("unlock")
        .store;
    let last = reviewdesk_engine::store::audit::history(store.conn(), "store")
        .expect("history")
        .pop()
        .expect("the restore's entry");
    assert_eq!(last.action, "store.restore");
    assert_eq!(last.actor_fp.as_deref(), Some(admin_fp.as_str()));
    let acts = reviewdesk_engine::people::acts::verify(store.conn()).expect("acts");
    assert!(acts.ok(), "{acts:?}");
}
