//! 公示 over the real binary: the period counted on the working-day
//! calendar (over the 2026 National Day holiday), a period into a year no
//! calendar covers refused, the signed notice read back (title, period,
//! entries, no bank account), an objection blocking the letter until it is
//! resolved, and an upheld objection returning the decision to review.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::Datelike;
use serde_json::Value;

/// 02: two supported C2a projects (650,000.00 and 500,000.00).
const CODE: &str = "91500103MA61QX3D6W";
/// 03: a supported C3 project (600,000.00) and a refused one.
const CODE2: &str = "52500103MB1C9W4EX0";
const PASS: &str = "notice-test";

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn run(db: &Path, who: &str, args: &[&str]) -> Output {
    common::run_on(db, who, PASS, args)
}

fn ok(o: Output) -> Value {
    common::json(&common::succeeded(o))
}

fn text(pdf: &Path) -> String {
    common::pdf_text(pdf)
}

const ADMIN: &str = "管理员";
const REVIEWER: &str = "张审核";
const APPROVER: &str = "李审批";
const REGISTER: &str = "王发文";

/// A store with a roster, the 2026 round bound to a guide with
/// `notice_before_letters = true`, the samples imported and scored, and
/// CODE and CODE2 proposed and approved.
fn store(dir: &Path) -> PathBuf {
    let db = dir.join("notice.db");
    ok(run(
        &db,
        ADMIN,
        &["roster", "init", "--ca", s(&common::ca_pem()), "--json"],
    ));
    for (who, role) in [
        (REVIEWER, "reviewer"),
        (APPROVER, "approver"),
        (REGISTER, "register"),
    ] {
        let p = common::identity(who);
        common::succeeded(run(&db, ADMIN, &["roster", "add", s(&p), "--role", role]));
    }
    let samples = assets().join("samples");
    let mut import = vec!["import", s(&samples)];
    import.extend(common::IN_WINDOW);
    let o = run(&db, REVIEWER, &import);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    let guide = std::fs::read_to_string(assets().join("guides/2026.toml")).expect("guide");
    let edited = guide.replacen(
        "notice_before_letters = false",
        "notice_before_letters = true",
        1,
    );
    assert_ne!(guide, edited);
    let file = dir.join("guide.toml");
    std::fs::write(&file, edited).expect("write guide");
    common::succeeded(run(
        &db,
        ADMIN,
        &["guide", "use", "--round", "2026", s(&file)],
    ));
    common::succeeded(run(&db, REVIEWER, &["score", "--round", "2026"]));
    for code in [CODE, CODE2] {
        common::succeeded(run(&db, REVIEWER, &["decide", "propose", code]));
        common::succeeded(run(&db, APPROVER, &["decide", "approve", code]));
    }
    db
}

fn publish(db: &Path, from: &str, out: &Path) -> Output {
    let pdf = out.join(format!("notice-{from}.pdf"));
    let xlsx = out.join(format!("notice-{from}.xlsx"));
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    common::act_as(&mut c, REGISTER);
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", PASS)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .arg("--db")
        .arg(db)
        .args([
            "--json", "notice", "publish", "--round", "2026", "--from", from,
        ])
        .arg("--seal")
        .arg(common::seal())
        .arg("-o")
        .arg(&pdf)
        .arg("--xlsx")
        .arg(&xlsx)
        .output()
        .expect("run")
}

fn issue(db: &Path, code: &str, out: &Path) -> Output {
    run(
        db,
        REGISTER,
        &[
            "--json",
            "letter",
            "issue",
            code,
            "--seal",
            s(&common::seal()),
            "--out",
            s(out),
        ],
    )
}

/// The evidence every test objection attaches.
const EVIDENCE: &[u8] = b"%PDF-1.4 bank statement";

fn object(db: &Path, code: &str) -> i64 {
    let evidence = db.with_file_name("异议材料.pdf");
    std::fs::write(&evidence, EVIDENCE).expect("evidence");
    let o = ok(run(
        db,
        REVIEWER,
        &[
            "--json",
            "notice",
            "object",
            "--round",
            "2026",
            code,
            "--by",
            "重庆某科技有限公司（实名）",
            "--received",
            "2026-09-29",
            "--text",
            "该项目到位资金与申报不符",
            "--evidence",
            evidence.to_str().expect("path"),
        ],
    ));
    o["id"].as_i64().expect("id")
}

fn resolve(db: &Path, id: i64, outcome: &str, reason: &str) -> Value {
    ok(run(
        db,
        APPROVER,
        &[
            "--json",
            "notice",
            "resolve",
            &id.to_string(),
            "--outcome",
            outcome,
            "--reason",
            reason,
        ],
    ))
}

#[test]
fn a_notice_over_national_day_is_counted_on_the_calendar_and_locks_the_letters() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out");

    // no calendar yet: never a guess
    let o = publish(&db, "2026-09-28", &out);
    let (code, err) = (common::refusal(&o), String::from_utf8_lossy(&o.stderr));
    assert_eq!(code, (Some(1), "calendar_missing".into()), "{err}");
    assert!(err.contains("2026"), "{err}");

    let cal = assets().join("calendars/2026.toml");
    let c = ok(run(&db, ADMIN, &["--json", "calendar", "import", s(&cal)]));
    assert_eq!(c["years"], serde_json::json!([2026]));

    // a period into 2027, which no calendar covers
    let o = publish(&db, "2026-12-28", &out);
    assert_eq!(common::refusal(&o), (Some(1), "calendar_missing".into()));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2027"));

    // 公示 comes first: no letter before the notice
    let o = issue(&db, CODE, &out);
    assert_eq!(common::refusal(&o), (Some(1), "under_notice".into()));

    // 9-28, 9-29, 9-30, (10-1 … 10-7 国庆), 10-8, 10-9
    let n = ok(publish(&db, "2026-09-28", &out));
    assert_eq!(n["from"], "2026-09-28");
    assert_eq!(n["until"], "2026-10-09");
    assert_eq!(n["working_days"], 5);
    let number = n["number"].as_str().expect("number").to_string();
    assert!(number.starts_with("渝中大数据发〔2026〕"), "{n:#}");
    let entries = n["entries"].as_array().expect("entries");
    let mine: Vec<&Value> = entries
        .iter()
        .filter(|e| e["credit_code"] == CODE)
        .collect();
    assert_eq!(mine.len(), 2, "{n:#}");
    assert!(mine.iter().any(|e| e["amount_yuan"] == "650000.00"));
    assert!(entries
        .iter()
        .any(|e| e["credit_code"] == CODE2 && e["amount_yuan"] == "600000.00"));
    for e in entries {
        let keys: Vec<&String> = e.as_object().expect("entry").keys().collect();
        assert_eq!(
            keys,
            [
                "amount_yuan",
                "applicant",
                "clause",
                "credit_code",
                "project"
            ],
            "nothing private: {e}"
        );
    }

    let t = text(&out.join("notice-2026-09-28.pdf"));
    assert!(
        t.contains("关于2026年度算力经济发展扶持资金拟支持项目的公示"),
        "{t}"
    );
    assert!(
        t.contains("公示期：2026年9月28日至2026年10月9日（5个工作日）"),
        "{t}"
    );
    assert!(t.contains(CODE) && t.contains(CODE2), "{t}");
    // amounts in 万元 in the printed list, the total in yuan
    assert!(t.contains("合计人民币1,750,000.00元"), "{t}");
    assert!(t.contains("65") && t.contains("60"), "{t}");
    assert!(t.contains("实名"), "how to object: {t}");
    assert!(t.contains("023-63768099"), "the contact: {t}");
    assert!(
        !t.contains("银行") && !t.contains("账号"),
        "no bank account: {t}"
    );
    let shown = ok(run(&db, REVIEWER, &["--json", "show", CODE]));
    let shown = shown.to_string();
    assert!(
        shown.contains("银行账号"),
        "the workbook has a bank account"
    );
    for digits in shown
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() >= 12)
    {
        assert!(
            !t.contains(digits),
            "{digits} (a bank account?) in the notice: {t}"
        );
    }
    // the website's .xlsx: the same list, amounts in yuan as numbers
    let bytes = std::fs::read(out.join("notice-2026-09-28.xlsx")).expect("xlsx");
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = wb.worksheet_range("公示名单").expect("sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(
        rows[0][0],
        Data::String("关于2026年度算力经济发展扶持资金拟支持项目的公示".into())
    );
    let listed: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|r| match (r.get(2), r.get(5)) {
            (Some(Data::String(c)), Some(Data::Float(v))) => Some((c.clone(), *v)),
            _ => None,
        })
        .collect();
    assert_eq!(
        listed,
        [
            (CODE2.to_string(), 600000.0),
            (CODE.to_string(), 650000.0),
            (CODE.to_string(), 500000.0)
        ]
    );

    // the notice is in the register with its number, and verifies
    let v = ok(run(
        &db,
        REGISTER,
        &["--json", "verify", s(&out.join("notice-2026-09-28.pdf"))],
    ));
    assert_eq!(v["valid"], true, "{v:#}");
    let list = ok(run(&db, REGISTER, &["--json", "letter", "list"]));
    assert!(
        list["letters"]
            .as_array()
            .expect("letters")
            .iter()
            .any(|l| l["number"] == number.as_str() && l["kind"] == "notice"),
        "{list:#}"
    );

    // an open objection blocks the letter until it is resolved
    let id = object(&db, CODE);
    let o = issue(&db, CODE, &out);
    assert_eq!(common::refusal(&o), (Some(1), "under_notice".into()));
    assert!(String::from_utf8_lossy(&o.stderr).contains("异议"));
    let list = ok(run(
        &db,
        REVIEWER,
        &["--json", "notice", "objections", "--round", "2026"],
    ));
    assert_eq!(list["objections"][0]["outcome"], Value::Null);
    // the evidence is kept, and the list names it with its hash
    assert_eq!(list["objections"][0]["evidence_name"], "异议材料.pdf");
    let sum = std::process::Command::new("sha256sum")
        .arg(db.with_file_name("异议材料.pdf"))
        .output()
        .expect("sha256sum");
    let sum = String::from_utf8_lossy(&sum.stdout);
    assert_eq!(
        list["objections"][0]["evidence_sha256"].as_str(),
        sum.split_whitespace().next(),
        "{list:#}"
    );
    let r = resolve(&db, id, "dismissed", "经核查，到位资金有银行回单为证");
    assert_eq!(r["action"], "none");
    let again = run(
        &db,
        APPROVER,
        &[
            "--json",
            "notice",
            "resolve",
            &id.to_string(),
            "--outcome",
            "upheld",
            "--reason",
            "再议",
        ],
    );
    assert_eq!(
        common::refusal(&again),
        (Some(1), "already_resolved".into())
    );
    // the period (to 2026-10-09) is over by the test's clock
    let letters = ok(issue(&db, CODE, &out));
    assert!(!letters["letters"].as_array().expect("letters").is_empty());
    // the approval states the 公示 it went through, and what became of the
    // objection: not 经公示无异议, since one was received
    let approval = letters["letters"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["kind"] == "approval"))
        .and_then(|l| l["path"].as_str())
        .expect("an approval");
    let t = text(Path::new(approval));
    assert!(
        t.contains("已于2026年9月28日至2026年10月9日在本局公示"),
        "{t}"
    );
    assert!(t.contains("公示期间收到异议1件，经核查，异议不成立"), "{t}");
    assert!(!t.contains("经公示无异议"), "{t}");

    // upheld before any letter: the decision goes back to review
    let id2 = object(&db, CODE2);
    let r = resolve(&db, id2, "upheld", "推理服务平台实为同一项目拆分申报");
    assert_eq!(r["action"], "returned", "{r:#}");
    assert_eq!(r["decision_state"], "returned");
    // proposed and approved again; the changed decision is published again
    common::succeeded(run(&db, REVIEWER, &["decide", "propose", CODE2]));
    let d = ok(run(&db, APPROVER, &["--json", "decide", "approve", CODE2]));
    assert_eq!(d["state"], "approved");
    let o = issue(&db, CODE2, &out);
    assert_eq!(common::refusal(&o), (Some(1), "under_notice".into()));
    assert!(String::from_utf8_lossy(&o.stderr).contains("尚未公示"));

    // a supplementary notice from today lists only it; within the period
    // the letter still waits (a calendar for the years around today that
    // the shipped one does not cover: weekdays only)
    let today = chrono::Local::now().date_naive();
    let years: Vec<String> = [today.year(), today.year() + 1]
        .into_iter()
        .filter(|y| *y != 2026)
        .map(|y| y.to_string())
        .collect();
    let cal = dir.path().join("around-today.toml");
    std::fs::write(&cal, format!("years = [{}]\n", years.join(", "))).expect("calendar");
    common::succeeded(run(&db, ADMIN, &["calendar", "import", s(&cal)]));
    let n = ok(publish(&db, &today.to_string(), &out));
    let codes: Vec<&str> = n["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["credit_code"].as_str())
        .collect();
    assert_eq!(codes, [CODE2], "{n:#}");
    assert_ne!(n["number"], number, "a new number");
    let o = issue(&db, CODE2, &out);
    assert_eq!(common::refusal(&o), (Some(1), "under_notice".into()));
    assert!(String::from_utf8_lossy(&o.stderr).contains("正在公示"));
    let list = ok(run(
        &db,
        REVIEWER,
        &["--json", "notice", "objections", "--round", "2026"],
    ));
    let outcomes: Vec<&str> = list["objections"]
        .as_array()
        .expect("objections")
        .iter()
        .filter_map(|o| o["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["dismissed", "upheld"]);
}
