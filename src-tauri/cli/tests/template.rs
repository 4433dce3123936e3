//! `reviewdesk template`: the blank workbook written by the real binary
//! imports as "needs correction" for its empty required fields only: every
//! sheet, label and header is found.

mod common;

use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR");
    common::act_as(&mut c, "张审核");
    c
}

#[test]
fn template_writes_a_workbook_the_importer_understands() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("申报表-2026.xlsx");
    let o = bin()
        .args(["template", "--round", "2026", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));

    let db = dir.path().join("r.db");
    let o = bin()
        .arg("--db")
        .arg(&db)
        .args(["import", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["status"], "needs_correction", "{f}");
    let issues = f["issues"].as_array().unwrap();
    assert!(!issues.is_empty());
    for i in issues {
        let msg = i["message"].as_str().unwrap_or("");
        assert!(!msg.contains("找不到"), "{i}");
        if i["severity"] == "error" {
            assert_eq!(i["sheet"], "申报单位", "{i}");
            assert!(msg.contains("必填") || msg.contains("缺少"), "{i}");
        }
    }
}

#[test]
fn template_without_output_is_a_usage_error() {
    let o = bin()
        .args(["template", "--round", "2026"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
