//! Round trip of the blank workbook through other programs: `reviewdesk
//! template` writes it, openpyxl fills it in as an applicant would
//! (tests/roundtrip/fill_template.py), LibreOffice converts it to .xls and
//! .ods; every one of the three imports with no error.
//!
//! Needs Python with openpyxl (the e2e venv has it) and `soffice`
//! (libreoffice-calc-nogui), both installed by scripts/setup.sh --test.
//! Without them the test says SKIP, unless REVIEWDESK_REQUIRE_TOOLS=1 (set
//! by scripts/test.sh, so CI can never skip it silently).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", "roundtrip-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "张审核");
    c
}

fn python_with_openpyxl() -> Option<PathBuf> {
    let venv = repo().join("tests/e2e/.venv/bin/python");
    [venv, PathBuf::from("python3")].into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn have_soffice() -> bool {
    Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn missing(what: &str) {
    if std::env::var_os("REVIEWDESK_REQUIRE_TOOLS").is_some() {
        panic!("{what} is required (REVIEWDESK_REQUIRE_TOOLS is set): run scripts/setup.sh --test");
    }
    eprintln!("SKIP: {what} not installed (scripts/setup.sh --test installs it)");
}

fn import(file: &Path, dir: &Path) -> Value {
    let db = dir.join(format!(
        "{}.db",
        file.extension().and_then(|e| e.to_str()).unwrap_or("x")
    ));
    let o = bin()
        .arg("--db")
        .arg(&db)
        .args(["import", "--json"])
        .arg(file)
        .output()
        .expect("run reviewdesk");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&o.stderr));
    });
    v["files"][0].clone()
}

#[test]
fn a_template_filled_by_openpyxl_and_converted_by_libreoffice_imports_cleanly() {
    let Some(python) = python_with_openpyxl() else {
        return missing("Python with openpyxl");
    };
    if !have_soffice() {
        return missing("LibreOffice (soffice)");
    }
    let dir = tempfile::tempdir().expect("tmp");
    let blank = dir.path().join("blank.xlsx");
    let o = bin()
        .args(["template", "--round", "2026", "-o"])
        .arg(&blank)
        .output()
        .expect("template");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let filled = dir.path().join("filled.xlsx");
    let o = Command::new(&python)
        .arg(repo().join("tests/roundtrip/fill_template.py"))
        .arg(&blank)
        .arg(&filled)
        .output()
        .expect("python");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let profile = dir.path().join("lo-profile");
    let mut files = vec![filled.clone()];
    for fmt in ["xls", "ods"] {
        let o = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", fmt, "--outdir"])
            .arg(dir.path())
            .arg(&filled)
            .output()
            .expect("soffice");
        let out = dir.path().join(format!("filled.{fmt}"));
        assert!(
            out.is_file(),
            "soffice did not write {}: {}{}",
            out.display(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        files.push(out);
    }
    for f in &files {
        let r = import(f, dir.path());
        eprintln!("{}: {} {}", f.display(), r["status"], r["issues"]);
        assert_eq!(r["status"], "ok", "{}: {r}", f.display());
        assert_eq!(r["credit_code"], "91500103MA61QX3D6W");
        assert_eq!(r["applicant"], "重庆往返测试科技有限公司");
        let errors: Vec<&Value> = r["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|i| i["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
    // The values survive the trip exactly: amounts in yuan, the date, the code.
    let db = dir.path().join("ods.db");
    let o = bin()
        .arg("--db")
        .arg(&db)
        .args(["show", "91500103MA61QX3D6W", "--json"])
        .output()
        .expect("show");
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["fields"]["上年度营业收入"]["value"], "12345600.00", "{v}");
    assert_eq!(v["fields"]["成立日期"]["value"], "2019-03-08", "{v}");
    let p = &v["projects"][0];
    assert_eq!(p["clause"], "C2a", "{p}");
    assert_eq!(p["fields"]["资助到账金额"]["value"], "6500000.00", "{p}");
}
