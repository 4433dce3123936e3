//! Eligibility over the real binary (issue 15 item 9): a workbook received
//! after the round's window fails 逾期申报 until a reviewer overrules it with
//! a reason; one received inside the window passes, and a corrected version
//! keeps the first version's receipt date.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const CODE_01: &str = "91500103MA5U7K2P39";
const PROJECT_01: &str = "渝中智算中心一期";

fn sample(name: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/samples")
        .join(name);
    p.display().to_string()
}

fn run(db: &Path, args: &[&str]) -> Output {
    common::run_on(db, "张审核", "eligibility-test", args)
}

fn ok(o: Output) -> Output {
    common::succeeded(o)
}

/// Scores the round and returns sample 01's C1 project as `explain` shows it.
fn c1_of_01(db: &Path) -> Value {
    ok(run(db, &["score", "--round", "2026", "--json"]));
    let ev = common::json(&ok(run(db, &["explain", CODE_01, "--json"])));
    ev["projects"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .find(|p| p["clause"] == "C1" && p["name"] == PROJECT_01)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no C1 project in {ev:#}"))
}

fn late_rule(p: &Value) -> Value {
    p["eligibility"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == "late_filing"))
        .cloned()
        .unwrap_or_else(|| panic!("no late_filing rule in {p:#}"))
}

#[test]
fn received_today_after_the_window_is_late_until_overruled() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    // No --received: received today, after window_close 2026-04-30.
    ok(run(
        &db,
        &["import", "--json", &sample("01-supply-clean.xlsx")],
    ));
    let today = chrono::Local::now().date_naive();
    assert!(
        today > chrono::NaiveDate::from_ymd_opt(2026, 4, 30).expect("date"),
        "this test needs a clock past the 2026 window"
    );
    let p = c1_of_01(&db);
    assert_eq!(p["eligible"], false, "{p:#}");
    assert_eq!(p["award_yuan"], "0.00", "{p:#}");
    let late = late_rule(&p);
    assert_eq!(late["pass"], false, "{late:#}");
    let on = today.format("%Y年%-m月%-d日").to_string();
    let reason = late["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains(&on) && reason.contains("2026年4月30日") && reason.contains("逾期申报"),
        "{late:#}"
    );
    // The postmark was inside the window: the reviewer overrules, in writing.
    ok(run(
        &db,
        &[
            "overrule",
            CODE_01,
            "--clause",
            "C1",
            "--project",
            PROJECT_01,
            "--rule",
            "late_filing",
            "--reason",
            "邮寄申报，邮戳日期在申报期内",
        ],
    ));
    let p = c1_of_01(&db);
    assert_eq!(p["eligible"], true, "{p:#}");
    assert!(
        late_rule(&p)["overruled"]
            .as_str()
            .is_some_and(|o| o.contains("邮戳")),
        "{p:#}"
    );
}

#[test]
fn received_inside_the_window_passes_and_a_correction_keeps_the_date() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let first = sample("01-supply-clean.xlsx");
    let mut args = vec!["import", "--json", first.as_str()];
    args.extend(common::IN_WINDOW);
    ok(run(&db, &args));
    let p = c1_of_01(&db);
    assert_eq!(p["eligible"], true, "{p:#}");
    let late = late_rule(&p);
    assert_eq!(late["pass"], true, "{late:#}");
    assert!(
        late["reason"]
            .as_str()
            .is_some_and(|r| r.contains("2026年4月15日")),
        "{late:#}"
    );
    // The same applicant's workbook again (a corrected version), received
    // today: it keeps the first version's receipt date, so it is in time.
    ok(run(
        &db,
        &["import", "--json", &sample("07-supply-legacy.xls")],
    ));
    let shown = common::json(&ok(run(&db, &["show", CODE_01, "--json"])));
    assert_eq!(shown["version"], 2, "{shown:#}");
    let p = c1_of_01(&db);
    assert_eq!(p["eligible"], true, "{p:#}");
    assert!(
        late_rule(&p)["reason"]
            .as_str()
            .is_some_and(|r| r.contains("2026年4月15日")),
        "{p:#}"
    );
}
