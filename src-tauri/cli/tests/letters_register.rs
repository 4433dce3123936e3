//! After issue: delivery (送达) recorded once with the remedy deadlines, a
//! letter voided with a reason stays in the register with its number, and
//! `verify` no longer accepts it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", "register-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .env("REVIEWDESK_REVIEWER", "王登记");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().expect("run")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&o.stderr));
    })
}

#[test]
fn delivery_once_with_deadlines_and_voiding_keeps_the_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    let o = bin()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let demo = json(&o);
    let db = out.join("demo.db");
    let approval = demo["letters"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["kind"] == "approval"))
        .expect("an approval letter")
        .clone();
    let number = approval["number"].as_str().expect("number").to_string();
    let path = approval["path"].as_str().expect("path").to_string();

    let list = json(&run(&db, &["letter", "list", "--json"]));
    let before = list["letters"].as_array().expect("letters").len();
    assert!(before >= 3, "{list}");

    // A delivery in the future, before issue, or by an unknown method is refused.
    let bad = run(
        &db,
        &[
            "letter",
            "deliver",
            &number,
            "--on",
            "2099-01-01",
            "--method",
            "邮寄送达",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let bad = run(
        &db,
        &[
            "letter",
            "deliver",
            &number,
            "--on",
            "2020-01-01",
            "--method",
            "邮寄送达",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let today = chrono::Local::now().date_naive();
    let on = today.to_string();
    let bad = run(
        &db,
        &[
            "letter",
            "deliver",
            &number,
            "--on",
            &on,
            "--method",
            "飞鸽传书",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("邮寄送达"));

    let o = run(
        &db,
        &[
            "letter",
            "deliver",
            &number,
            "--on",
            &on,
            "--method",
            "直接送达",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    assert_eq!(r["delivered_on"], on.as_str());
    let reconsider = today + chrono::Days::new(60);
    let lawsuit = today + chrono::Months::new(6);
    assert_eq!(r["reconsideration_until"], reconsider.to_string().as_str());
    assert_eq!(r["lawsuit_until"], lawsuit.to_string().as_str());
    // once only
    let again = run(
        &db,
        &[
            "letter",
            "deliver",
            &number,
            "--on",
            &on,
            "--method",
            "邮寄送达",
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已登记"));

    // verify accepts it now, then void it: the number stays, verify refuses.
    let ok = run(&db, &["verify", &path]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let short = run(&db, &["letter", "void", &number, "--reason", "错"]);
    assert_eq!(short.status.code(), Some(2), "a reason is required");
    let o = run(
        &db,
        &[
            "letter",
            "void",
            &number,
            "--reason",
            "金额录入错误，重新出具",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    assert_eq!(r["voided_by"], "王登记");
    let list = json(&run(&db, &["letter", "list", "--json"]));
    let letters = list["letters"].as_array().expect("letters");
    assert_eq!(
        letters.len(),
        before,
        "a voided number stays in the register"
    );
    assert!(letters
        .iter()
        .any(|l| l["number"] == number.as_str() && l["voided_at"].is_string()));
    let refused = run(&db, &["verify", &path]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a void letter no longer verifies as issued"
    );
    let audit = run(&db, &["audit", "verify"]);
    assert!(audit.status.success());
}
