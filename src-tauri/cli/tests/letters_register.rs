//! After issue: delivery (送达) recorded once with the remedy deadlines, a
//! letter voided with a reason stays in the register with its number, and
//! `verify` no longer accepts it.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", "register-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "王登记");
    c
}

/// On the demo's store, as its register officer (the demo starts a roster).
fn run(db: &Path, args: &[&str]) -> Output {
    let mut c = bin();
    if let Some(out) = db.parent() {
        common::act_as_demo(&mut c, out, "register");
    }
    c.arg("--db").arg(db).args(args).output().expect("run")
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
    let ca = out.join("test-ca.pem").display().to_string();
    let ok = run(&db, &["verify", &path, "--ca", &ca]);
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
    assert_eq!(
        r["voided_by"], "王发文",
        "the demo's register officer voids"
    );
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
    let refused = run(&db, &["verify", &path, "--ca", &ca]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a void letter no longer verifies as issued"
    );
    let audit = run(&db, &["audit", "verify"]);
    assert!(audit.status.success());

    // Print: every letter that is not void, in one PDF; without the seal for
    // a wet seal, with it on request.
    let plain = dir.path().join("print.pdf");
    let o = run(
        &db,
        &[
            "letter",
            "print",
            "--all",
            "--json",
            "-o",
            plain.to_str().expect("utf8"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    let printed: Vec<&str> = r["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(printed.len(), before - 1, "the void letter is not printed");
    assert!(!printed.contains(&number.as_str()));
    let sealed = dir.path().join("print-sealed.pdf");
    let o = run(
        &db,
        &[
            "letter",
            "print",
            printed[0],
            "--with-seal",
            "-o",
            sealed.to_str().expect("utf8"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let void = run(
        &db,
        &[
            "letter",
            "print",
            &number,
            "-o",
            dir.path().join("v.pdf").to_str().expect("utf8"),
        ],
    );
    assert_eq!(void.status.code(), Some(2));
    if !have("pdftotext") {
        return;
    }
    let text = String::from_utf8_lossy(
        &Command::new("pdftotext")
            .arg(&plain)
            .arg("-")
            .output()
            .expect("pdftotext")
            .stdout,
    )
    .into_owned();
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for n in &printed {
        assert!(flat.contains(n), "{n} missing from the print file");
    }
    // The letterhead is red too: compare one letter with and without its seal.
    let one = dir.path().join("print-one.pdf");
    let o = run(
        &db,
        &[
            "letter",
            "print",
            printed[0],
            "-o",
            one.to_str().expect("utf8"),
        ],
    );
    assert!(o.status.success());
    let (without, with) = (red_pixels(&one), red_pixels(&sealed));
    eprintln!("red pixels at 60 dpi: without seal {without}, with seal {with}");
    assert!(
        with > without + 1000,
        "the seal must be missing from wet-seal copies: {without} vs {with}"
    );
}

fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    assert!(
        ok || std::env::var_os("REVIEWDESK_REQUIRE_TOOLS").is_none(),
        "{tool} is required (REVIEWDESK_REQUIRE_TOOLS is set)"
    );
    ok
}

/// Strongly red pixels on every page of `pdf` at 30 dpi (the seal is red,
/// the text black).
fn red_pixels(pdf: &Path) -> usize {
    let dir = tempfile::tempdir().expect("tmp");
    let prefix = dir.path().join("p");
    let o = Command::new("pdftoppm")
        .args(["-r", "60"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm");
    assert!(o.status.success());
    let mut red = 0;
    for e in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        let bytes = std::fs::read(e.path()).expect("ppm");
        // P6 header: magic, width, height, maxval, then RGB bytes.
        let mut fields = 0;
        let mut i = 0;
        while fields < 4 && i < bytes.len() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            fields += 1;
        }
        red += bytes[i + 1..]
            .chunks_exact(3)
            .filter(|p| p[0] > 170 && p[1] < 110 && p[2] < 110)
            .count();
    }
    red
}
