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

/// The reviewer overrules `rule` of sample 01's C1 project, in writing.
fn overrule_c1(db: &Path, rule: &str, reason: &str) {
    let args = [
        "overrule",
        CODE_01,
        "--clause",
        "C1",
        "--project",
        PROJECT_01,
        "--rule",
        rule,
        "--reason",
        reason,
    ];
    ok(run(db, &args));
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
    overrule_c1(&db, "late_filing", "邮寄申报，邮戳日期在申报期内");
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

/// Sample 01's applicant and C1 project written into the 2026 template,
/// but as an older template had it: without the 是否自主投资 column (its
/// header cell holds an unrelated note).
fn older_template_workbook() -> Vec<u8> {
    use reviewdesk_engine::intake::schema::{self, Clause};
    use reviewdesk_engine::intake::template::{form_row, template_workbook};
    let mut wb = template_workbook(2026).expect("template");
    let form = wb.worksheet_from_name("申报单位").expect("form");
    for (key, value) in [
        ("单位名称", "重庆渝算智能科技有限公司"),
        ("统一社会信用代码", CODE_01),
        ("单位类型", "企业"),
        ("注册地址", "重庆市渝中区解放碑街道民族路188号"),
        ("注册区县", "渝中区"),
        ("联系人", "李娜"),
        ("联系电话", "13883012345"),
        ("信用承诺", "是"),
        ("近三年无严重失信记录", "是"),
    ] {
        let row = form_row(key).expect("form row");
        form.write_string(row, 1, value).expect("write");
    }
    for (key, value) in [
        ("申报年度", 2026.0),
        ("上年度营业收入", 3200.5),
        ("上年末从业人员", 85.0),
    ] {
        let row = form_row(key).expect("form row");
        form.write_number(row, 1, value).expect("write");
    }
    let def = schema::clause_sheet(Clause::C1);
    let c1 = wb.worksheet_from_name(def.name).expect("C1 sheet");
    for (col, f) in def.fields.iter().enumerate() {
        let col = u16::try_from(col).expect("column");
        let value = match f.key {
            "项目名称" => PROJECT_01,
            "项目类型" => "先进算力基础设施",
            "建设地址" => "重庆市渝中区化龙桥街道瑞天路56号",
            "项目总投资" => "8600",
            "新增就业" => "45",
            "项目营业收入" => "3200.5",
            "服务企业数" => "36",
            "算力规模" => "120",
            "投运日期" => "2025-06-30",
            "是否自主投资" => {
                c1.write_string(0, col, "备注").expect("write");
                continue;
            }
            _ => continue,
        };
        c1.write_string(1, col, value).expect("write");
    }
    wb.save_to_buffer().expect("save")
}

#[test]
fn an_older_template_without_self_investment_is_never_a_silent_pass() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let file = dir.path().join("申报表-旧版模板.xlsx");
    std::fs::write(&file, older_template_workbook()).expect("write workbook");
    let path = file.display().to_string();
    let mut args = vec!["import", "--json", path.as_str()];
    args.extend(common::IN_WINDOW);
    let report = common::json(&ok(run(&db, &args)));
    let f = &report["files"][0];
    assert_eq!(f["status"], "ok", "{f:#}");
    let warning = f["issues"]
        .as_array()
        .and_then(|is| is.iter().find(|i| i["field"] == "是否自主投资"))
        .cloned()
        .unwrap_or_else(|| panic!("no warning about the missing column: {f:#}"));
    assert_eq!(warning["severity"], "warning", "{warning:#}");
    assert!(
        warning["message"]
            .as_str()
            .is_some_and(|m| m.contains("旧版模板")),
        "{warning:#}"
    );
    // The rule 是否自主投资为是 fails, saying the reviewer must confirm.
    let p = c1_of_01(&db);
    assert_eq!(p["eligible"], false, "{p:#}");
    let rule = p["eligibility"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["rule"] == "是否自主投资为是"))
        .cloned()
        .unwrap_or_else(|| panic!("no 是否自主投资 rule: {p:#}"));
    assert_eq!(rule["pass"], false, "{rule:#}");
    assert!(
        rule["reason"]
            .as_str()
            .is_some_and(|r| r.contains("评审人核实")),
        "{rule:#}"
    );
    let id = rule["id"].as_str().expect("rule id").to_string();
    overrule_c1(&db, &id, "已核验投资协议：项目由申报单位自主投资");
    let p = c1_of_01(&db);
    assert_eq!(p["eligible"], true, "{p:#}");
}
