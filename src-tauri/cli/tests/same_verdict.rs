//! The app and the command line give the same verdict on the same letter:
//! a valid one, a voided one, one with one byte changed, and one signed by
//! an unrelated self-made certificate. The command line is the real
//! `reviewdesk verify --json`; the app is its own mapping
//! (`src-tauri/src/commands/letter_check.rs`, compiled here as it is) over
//! the engine verdict its `check_file` computes, with the trust anchors kept
//! in a data directory the way the app keeps them.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::TimeZone;
use reviewdesk_engine::letters::{demo, sign_pdf, RenderOptions, SignOptions, TestAuthority};
use reviewdesk_engine::register::{self, seal, trust};
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
    let o = bin()
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

    // The app: the test CA kept as a trust anchor in its data directory, the
    // verdict over the unlocked store, mapped by the app's own code.
    let data = dir.path().join("data");
    let pem = std::fs::read_to_string(&ca).expect("ca pem");
    let anchor = reviewdesk_engine::register::issue::trust_anchor_from_pem(&pem).expect("anchor");
    trust::add(&data, &anchor).expect("keep anchor");
    let anchors = trust::load(&data);
    assert_eq!(anchors.len(), 1);
    let unlocked = store::unlock(&db, &Secret::passphrase(PASSPHRASE)).expect("unlock");
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

/// Without `--ca`, `verify` against the workstation's own store (the one in
/// the data directory) trusts what the app on that workstation trusts; any
/// other store keeps the old behaviour (trust not judged).
#[test]
fn without_ca_the_cli_uses_the_workstations_anchors_for_its_own_store() {
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
    // The demo store becomes a workstation's store.
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    for suffix in ["", ".key", "-wal", "-shm"] {
        let from = out.join(format!("demo.db{suffix}"));
        if from.exists() {
            std::fs::copy(&from, data.join(format!("reviewdesk.db{suffix}"))).expect("copy");
        }
    }
    let verify = |db: &Path| {
        let o = bin()
            .env("REVIEWDESK_DATA_DIR", &data)
            .arg("--db")
            .arg(db)
            .args(["verify", &letter, "--json"])
            .output()
            .expect("verify");
        let j = json(&o);
        (o.status.code(), j["signature"]["trusted"].clone())
    };
    let own = data.join("reviewdesk.db");
    // no anchors kept yet: intact, but trusted by nobody
    assert_eq!(verify(&own), (Some(1), Value::Null), "no anchors kept yet");
    let other = TestAuthority::generate("无关机构").expect("other CA");
    trust::add(&data, other.certificate()).expect("keep");
    assert_eq!(
        verify(&own),
        (Some(1), Value::Bool(false)),
        "not trusted here"
    );
    let pem = std::fs::read_to_string(out.join("test-ca.pem")).expect("ca pem");
    let anchor = reviewdesk_engine::register::issue::trust_anchor_from_pem(&pem).expect("anchor");
    trust::add(&data, &anchor).expect("keep");
    assert_eq!(verify(&own), (Some(0), Value::Bool(true)));
    assert_eq!(
        verify(&out.join("demo.db")),
        (Some(1), Value::Null),
        "another store: the workstation's anchors are not consulted"
    );
}
