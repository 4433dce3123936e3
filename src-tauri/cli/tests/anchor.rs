//! Audit anchoring over the real binary: `audit head`, `audit head --sign`
//! (a signed statement that pdfsig accepts too) and `audit verify --against`
//! (the log extends the statement; a rolled-back or rewritten log, another
//! store or a changed statement are refused).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reviewdesk_engine::letters::{export_pkcs12, TestAuthority};
use serde_json::Value;

fn run(db: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    common::act_as(&mut c, "张审核");
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_P12_PASSWORD", "p12-test")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/samples")
        .display()
        .to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A test CA's certificate (PEM) and a signer's PKCS#12 file.
fn signer_files(dir: &Path) -> (PathBuf, PathBuf) {
    let ca = TestAuthority::generate("锚定测试CA").expect("ca");
    let signer = ca.issue_signer("区大数据局（测试）").expect("signer");
    let p12 = dir.join("signer.p12");
    std::fs::write(&p12, export_pkcs12(&signer, "p12-test").expect("p12")).expect("write p12");
    let pem = dir.join("ca.pem");
    std::fs::write(&pem, ca.certificate_pem().expect("pem")).expect("write pem");
    (p12, pem)
}

#[test]
fn head_statement_is_signed_and_the_log_must_extend_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let (p12, ca) = signer_files(dir.path());
    assert!(run(&db, &["import", &samples()])
        .status
        .code()
        .is_some_and(|c| c <= 1));
    let backup_dir = dir.path().join("bk");
    let o = run(&db, &["backup", "--dir", s(&backup_dir), "--json"]);
    assert!(o.status.success(), "{o:?}");
    let early_backup = json(&o)["backup"]
        .as_str()
        .expect("backup path")
        .to_string();
    assert!(run(&db, &["score", "--round", "2026"]).status.success());

    let head = json(&run(&db, &["audit", "head", "--json"]));
    let seq = head["seq"].as_i64().expect("seq");
    assert!(seq > 1);
    assert_eq!(head["hash"].as_str().map(str::len), Some(64));

    let statement = dir.path().join("head.pdf");
    let o = run(
        &db,
        &[
            "audit",
            "head",
            "--sign",
            "--p12",
            s(&p12),
            "-o",
            s(&statement),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["statement"]["seq"].as_i64(), Some(seq));
    // poppler agrees the statement is signed and unchanged
    if let Ok(p) = Command::new("pdfsig").arg(&statement).output() {
        let out = String::from_utf8_lossy(&p.stdout);
        assert!(out.contains("Signature is Valid"), "pdfsig: {out}");
    }

    // more work after the statement: the log still extends it
    assert!(run(&db, &["score", "--round", "2026"]).status.success());
    let o = run(
        &db,
        &[
            "audit",
            "verify",
            "--against",
            s(&statement),
            "--ca",
            s(&ca),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&o);
    assert_eq!(v["ok"], true);
    assert!(v["anchor"]["entries_since"].as_i64().expect("since") >= 1);

    // a statement signed under another CA is not trusted
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    let (_, other_ca) = signer_files(&elsewhere);
    let o = run(
        &db,
        &[
            "audit",
            "verify",
            "--against",
            s(&statement),
            "--ca",
            s(&other_ca),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{o:?}");

    // one changed byte in the statement: refused
    let mut bytes = std::fs::read(&statement).expect("read");
    let at = bytes.windows(4).position(|w| w == b"/Rev").expect("key") + 30;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    let changed = dir.path().join("changed.pdf");
    std::fs::write(&changed, bytes).expect("write");
    assert_eq!(
        run(&db, &["audit", "verify", "--against", s(&changed)])
            .status
            .code(),
        Some(2)
    );

    // the store rolled back to a backup older than the statement: refused
    let rolled = dir.path().join("rolled.db");
    std::fs::copy(&early_backup, &rolled).expect("copy backup");
    let o = run(
        &rolled,
        &[
            "audit",
            "verify",
            "--against",
            s(&statement),
            "--ca",
            s(&ca),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("shorter"));
    // ... and then grown past the statement with other entries: rewritten
    // (a second later, so the re-scoring's entries differ from the
    // originals even in their time)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for _ in 0..3 {
        let o = run(&rolled, &["score", "--round", "2026"]);
        assert!(o.status.success());
    }
    let o = run(
        &rolled,
        &[
            "audit",
            "verify",
            "--against",
            s(&statement),
            "--ca",
            s(&ca),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("rewritten"));

    // another store entirely
    let other = dir.path().join("other.db");
    assert!(run(&other, &["import", &samples()])
        .status
        .code()
        .is_some_and(|c| c <= 1));
    let o = run(
        &other,
        &[
            "audit",
            "verify",
            "--against",
            s(&statement),
            "--ca",
            s(&ca),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another store"));
}
