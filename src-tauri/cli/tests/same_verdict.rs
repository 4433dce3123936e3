//! The app and the command line give the same verdict on the same letter:
//! a valid one, a voided one, one with one byte changed, and one signed by
//! an unrelated self-made certificate. The command line is the real
//! `reviewdesk verify --json`; the app is its own mapping
//! (`src-tauri/src/commands/letter_check.rs`, compiled here as it is) over
//! the engine verdict its `check_file` computes, against the CAs the store
//! trusts, as the app verifies.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::TimeZone;
use reviewdesk_engine::letters::{demo, sign_pdf, RenderOptions, SignOptions, TestAuthority};
use reviewdesk_engine::register::{self, seal};
use reviewdesk_engine::store::{self, Secret};
use serde_json::Value;

#[path = "../../src/commands/letter_check.rs"]
mod app_check;

const PASSPHRASE: &str = "same-verdict";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "王核验");
    c
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// `reviewdesk --db DB verify FILE [--ca CA] --json`: exit code and JSON.
fn cli_verify(db: &Path, ca: Option<&Path>, file: &Path) -> (Option<i32>, Value) {
    let mut c = bin();
    c.arg("--db").arg(db).arg("verify").arg(file).arg("--json");
    if let Some(ca) = ca {
        c.arg("--ca").arg(ca);
    }
    let o = c.output().expect("run verify");
    (o.status.code(), json(&o))
}

/// A letter that looks like the bureau's but is signed by a certificate of
/// an authority nobody trusts.
fn foreign_letter() -> Vec<u8> {
    let w = seal::build_writer(None).expect("letter writer");
    let content = demo::sample_approval(1, "650000.00").expect("content");
    let pdf = w
        .render(&content, RenderOptions::default())
        .expect("render")
        .pdf;
    let ca = TestAuthority::generate("无关机构（自制证书）").expect("foreign CA");
    let signer = ca.issue_signer("冒名审批人").expect("foreign signer");
    let t = chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|o| o.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).single())
        .expect("time");
    sign_pdf(&pdf, &signer, &SignOptions::new(t, "签发")).expect("sign")
}

#[test]
fn the_app_and_the_cli_agree_on_valid_voided_tampered_and_foreign_letters() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    let o = bin()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let letters = json(&o)["letters"].as_array().cloned().expect("letters");
    let db = out.join("demo.db");
    let ca = out.join("test-ca.pem");
    let path_of = |l: &Value| l["path"].as_str().expect("path").to_string();
    let approvals: Vec<&Value> = letters.iter().filter(|l| l["kind"] == "approval").collect();
    assert!(approvals.len() >= 2, "{letters:?}");
    let valid = path_of(approvals[0]);
    let voided = path_of(approvals[1]);
    let number = approvals[1]["number"].as_str().expect("number");
    let mut void = bin();
    common::act_as_demo(&mut void, &out, "register");
    let o = void
        .arg("--db")
        .arg(&db)
        .args(["letter", "void", number, "--reason", "签发错误（测试）"])
        .output()
        .expect("void");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut bytes = std::fs::read(&valid).expect("read");
    let at = bytes.len() / 3;
    bytes[at] ^= 0x01;
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &bytes).expect("write");
    let foreign = dir.path().join("foreign.pdf");
    std::fs::write(&foreign, foreign_letter()).expect("write");

    let cases = [
        ("valid", Path::new(&valid).to_path_buf(), true),
        ("voided", Path::new(&voided).to_path_buf(), false),
        ("tampered", tampered, false),
        ("foreign", foreign, false),
    ];
    let cli: Vec<(Option<i32>, Value)> = cases
        .iter()
        .map(|(_, p, _)| cli_verify(&db, Some(&ca), p))
        .collect();

    // The app: the verdict over the unlocked store against the CAs the
    // store trusts (its roster's: the demo's test CA), mapped by the app's
    // own code.
    let unlocked = store::unlock(&db, &Secret::passphrase(PASSPHRASE)).expect("unlock");
    let anchors =
        reviewdesk_engine::people::roster::trusted_cas(unlocked.store.conn()).expect("trusted CAs");
    assert_eq!(anchors.len(), 1);
    let app: Vec<Value> = cases
        .iter()
        .map(|(_, p, _)| {
            let bytes = std::fs::read(p).expect("read");
            let v = register::verdict(Some(&unlocked.store), &bytes, &anchors).expect("verdict");
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            serde_json::to_value(app_check::letter_check(name.unwrap_or_default(), v))
                .expect("json")
        })
        .collect();
    drop(unlocked);

    for (((case, _, expected), (code, c)), a) in cases.iter().zip(&cli).zip(&app) {
        let s = &c["signature"];
        let seen = format!("{case}: cli exit {code:?} {c:#} / app {a:#}");
        assert_eq!(a["valid"], *expected, "{seen}");
        assert_eq!(c["valid"], *expected, "{seen}");
        assert_eq!(*code, Some(if *expected { 0 } else { 1 }), "{seen}");
        for key in [
            "signed",
            "signature_valid",
            "unchanged_since_signing",
            "trusted",
            "signer",
        ] {
            assert_eq!(a[key], s[key], "{key}: {seen}");
        }
        assert_eq!(a["sha256"], s["file_sha256"], "{seen}");
        assert_eq!(a["in_register"], !c["register"].is_null(), "{seen}");
        assert_eq!(
            a["voided"],
            c["register"]["voided"].as_bool().unwrap_or(false),
            "{seen}"
        );
        assert_eq!(a["number"], c["register"]["number"], "{seen}");
    }
    // What each one is, in the app's words.
    let [v, void, tampered, foreign] = &app[..] else {
        panic!("four cases")
    };
    assert_eq!(
        (&v["trusted"], &v["content_matches"]),
        (&Value::Bool(true), &Value::Bool(true))
    );
    assert_eq!(
        (&void["in_register"], &void["voided"]),
        (&Value::Bool(true), &Value::Bool(true))
    );
    assert_eq!(tampered["signature_valid"], false, "{tampered}");
    assert_eq!(tampered["in_register"], false, "{tampered}");
    assert_eq!(foreign["signature_valid"], true, "{foreign}");
    assert_eq!(foreign["trusted"], false, "{foreign}");
    assert_eq!(foreign["in_register"], false, "{foreign}");
}

/// Without `--ca`, `verify --db` trusts exactly the CAs that store's
/// administrator configured (the demo's roster trusts its test CA), as the
/// app does; anchor files lying in a data folder count for nothing, and
/// without a store nothing is trusted.
#[test]
fn without_ca_the_cli_trusts_exactly_the_stores_cas() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    let o = bin()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let letters = json(&o)["letters"].as_array().cloned().expect("letters");
    let letter = letters
        .iter()
        .find(|l| l["kind"] == "approval")
        .and_then(|l| l["path"].as_str())
        .expect("an approval")
        .to_string();
    let verify = |db: Option<&Path>| {
        let mut c = bin();
        if let Some(db) = db {
            c.arg("--db").arg(db);
        }
        let o = c
            .args(["verify", &letter, "--json"])
            .output()
            .expect("verify");
        let j = json(&o);
        (o.status.code(), j["trusted"].clone())
    };
    assert_eq!(
        verify(Some(&out.join("demo.db"))),
        (Some(0), Value::Bool(true))
    );
    assert_eq!(
        verify(None),
        (Some(1), Value::Bool(false)),
        "no store, no --ca: trusted by nobody"
    );
    // A store that trusts another CA does not trust the demo's letters.
    let other = dir.path().join("other.db");
    let o = bin()
        .arg("--db")
        .arg(&other)
        .args(["roster", "init", "--ca"])
        .arg(common::ca_pem())
        .output()
        .expect("roster init");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (code, trusted) = verify(Some(&other));
    assert_eq!(
        (code, trusted),
        (Some(1), Value::Bool(false)),
        "another store's CA"
    );
}
