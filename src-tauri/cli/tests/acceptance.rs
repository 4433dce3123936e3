//! Acceptance tests over the real `reviewdesk` binary, real sample workbooks
//! and a real SQLite file: the JSON contract of spec/cli.md, exit codes,
//! duplicates, the audit chain and the store lock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR");
    c
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn sample(name: &str) -> PathBuf {
    samples_dir().join(name)
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn import_all(db: &Path) -> Value {
    let o = bin()
        .arg("--db")
        .arg(db)
        .args(["import", "--json"])
        .arg(samples_dir())
        .output()
        .expect("run");
    // 06-errors needs correction, so the batch reports problems: exit 1.
    assert_eq!(
        o.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    json(&o)
}

fn by_file<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("{name} not in report"))
}

#[test]
fn samples_import_as_expected_json_says() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let report = import_all(&db);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(sample("expected.json")).expect("expected.json"),
    )
    .expect("parse expected");
    for (file, exp) in expected.as_object().expect("object") {
        let got = by_file(&report, file);
        assert_eq!(got["status"], exp["status"], "{file}: {got}");
        if let Some(code) = exp.get("uscc") {
            assert_eq!(&got["credit_code"], code, "{file}");
        }
        if let Some(cells) = exp.get("error_cells") {
            let mut want: Vec<String> = cells
                .as_array()
                .expect("cells")
                .iter()
                .map(|c| c.as_str().unwrap_or_default().to_string())
                .collect();
            let mut have: Vec<String> = got["issues"]
                .as_array()
                .expect("issues")
                .iter()
                .filter(|i| i["severity"] == "error")
                .map(|i| {
                    format!(
                        "{}!{}",
                        i["sheet"].as_str().unwrap_or(""),
                        i["cell"].as_str().unwrap_or("")
                    )
                })
                .collect();
            want.sort();
            have.sort();
            assert_eq!(have, want, "{file}: error cells");
        }
    }
    // The expected.json file itself is not a workbook and is not picked up
    // from a folder.
    assert!(report["files"]
        .as_array()
        .expect("files")
        .iter()
        .all(|f| !f["path"].as_str().unwrap_or("").ends_with(".json")));
}

#[test]
fn errors_name_sheet_cell_found_and_expected() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(
        &db,
        &[
            "import",
            "--json",
            sample("06-errors.xlsx").to_str().expect("utf8"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    let f = &r["files"][0];
    assert_eq!(f["status"], "needs_correction");
    let code_issue = f["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .find(|i| i["cell"] == "B3")
        .expect("B3 issue");
    assert_eq!(code_issue["sheet"], "申报单位");
    assert_eq!(code_issue["field"], "统一社会信用代码");
    assert_eq!(code_issue["severity"], "error");
    assert!(
        code_issue["found"].as_str().unwrap_or("").contains("E+17"),
        "found shows the scientific notation: {code_issue}"
    );
    assert!(code_issue["expected"].as_str().is_some());
    assert!(!code_issue["message"].as_str().unwrap_or("").is_empty());
}

#[test]
fn show_prints_values_in_yuan_with_raw_text_and_cell() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    import_all(&db);
    let o = run(&db, &["show", "91500103MA5U7K2P39", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d = json(&o);
    assert_eq!(d["credit_code"], "91500103MA5U7K2P39");
    assert_eq!(d["applicant"], "重庆渝算智能科技有限公司");
    assert_eq!(d["status"], "ok");
    assert_eq!(d["fields"]["上年度营业收入"]["value"], "32005000.00");
    assert_eq!(d["fields"]["上年度营业收入"]["cell"], "申报单位!B13");
    assert_eq!(d["fields"]["上年末从业人员"]["value"], 85);
    let projects = d["projects"].as_array().expect("projects");
    assert!(projects.iter().any(|p| p["clause"] == "C1"));

    let o = run(&db, &["show", "91500103MA61QX3D6W", "--json"]);
    let d = json(&o);
    let c2a = d["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .find(|p| p["clause"] == "C2a" && p["name"] == "国产算力异构调度关键技术")
        .expect("C2a project");
    assert_eq!(c2a["fields"]["资助到账金额"]["value"], "6500000.00");
    assert_eq!(c2a["fields"]["资助到账金额"]["cell"], "C2-技术攻关!D2");
}

#[test]
fn the_same_file_twice_changes_nothing_and_a_resubmission_is_a_new_version() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let f = sample("01-supply-clean.xlsx");
    let first = json(&run(&db, &["import", "--json", f.to_str().expect("utf8")]));
    assert_eq!(first["files"][0]["status"], "ok");
    let again = run(&db, &["import", "--json", f.to_str().expect("utf8")]);
    assert!(again.status.success());
    assert_eq!(json(&again)["files"][0]["status"], "duplicate");
    // The legacy .xls of the same applicant is a new version.
    let xls = sample("07-supply-legacy.xls");
    let v2 = json(&run(
        &db,
        &["import", "--json", xls.to_str().expect("utf8")],
    ));
    assert_eq!(v2["files"][0]["status"], "ok");
    let d = json(&run(&db, &["show", "91500103MA5U7K2P39", "--json"]));
    assert_eq!(d["version"], 2);
    let list = json(&run(&db, &["list", "--json"]));
    let rows = list["applications"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "one application, latest version");
}

#[test]
fn a_file_that_is_not_a_workbook_is_rejected_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let junk = dir.path().join("申报表.xlsx");
    std::fs::write(&junk, "单位名称,金额\n某公司,100\n").expect("write");
    let o = run(&db, &["import", "--json", junk.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(r["files"][0]["status"], "rejected");
    assert_eq!(r["files"][0]["issues"].as_array().map(|a| a.len()), Some(1));
    let list = json(&run(&db, &["list", "--json"]));
    assert_eq!(list["applications"].as_array().map(|a| a.len()), Some(0));
}

#[test]
fn audit_verify_passes_then_names_a_hand_edited_row() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    import_all(&db);
    let o = run(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Edit an import entry by hand, as someone with sqlite3 would.
    {
        let s = reviewdesk_engine::store::Store::open(&db).expect("open");
        s.conn()
            .execute_batch(
                "DROP TRIGGER audit_no_update;
                 UPDATE audit SET detail = replace(detail, 'needs_correction', 'ok')
                 WHERE seq = (SELECT min(seq) FROM audit WHERE detail LIKE '%needs_correction%');",
            )
            .expect("tamper");
    }
    let o = run(&db, &["audit", "verify", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(r["ok"], false);
    let bad = r["first_bad"].as_i64().expect("first bad");
    assert!(r["message"]
        .as_str()
        .unwrap_or("")
        .contains(&bad.to_string()));
}

#[test]
fn a_second_user_of_the_store_gets_the_clear_message() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let _held = reviewdesk_engine::store::Store::open(&db).expect("open");
    let o = run(&db, &["list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("另一个窗口"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let o = bin().args(["frobnicate"]).output().expect("run");
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("tmp");
    let o = run(&dir.path().join("r.db"), &["import", "/no/such/file.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
}
