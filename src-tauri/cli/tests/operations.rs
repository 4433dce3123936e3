//! Round operations over the real binary (issue 16): the managed lists the
//! rules read — an applicant on an imported credit blacklist is ineligible
//! with the list named, support in another policy's ledger the applicant
//! did not declare is flagged, a bad list file is refused with its row and
//! nothing is stored — and the payment ledger: finance's file with a
//! changed bank account is refused for that row while the correct rows are
//! taken.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
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
    common::run_on(db, "王管理", "operations-test", args)
}

fn ok(o: Output) -> Value {
    common::json(&common::succeeded(o))
}

/// A one-sheet workbook: the header row then `rows`, all text.
fn sheet(path: &Path, header: &[&str], rows: &[Vec<&str>]) {
    titled(path, None, header, rows)
}

/// [`sheet`] with a title row above the header, as a downloaded list has.
fn titled(path: &Path, title: Option<&str>, header: &[&str], rows: &[Vec<&str>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("名单").expect("name");
    let top = u32::from(title.is_some());
    if let Some(t) = title {
        ws.write_string(0, 0, t).expect("title");
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(top, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(top + r as u32 + 1, c as u16, *v)
                .expect("cell");
        }
    }
    wb.save(path).expect("save");
}

/// A store with sample 01 imported inside the window.
fn store_with_01(dir: &Path) -> PathBuf {
    let db = dir.join("ops.db");
    let mut args = vec!["import", "--json"];
    args.extend(common::IN_WINDOW);
    let s = sample("01-supply-clean.xlsx");
    args.push(&s);
    ok(run(&db, &args));
    db
}

/// Sample 01's evaluation after scoring the round.
fn explain_01(db: &Path) -> Value {
    ok(run(db, &["score", "--round", "2026", "--json"]));
    ok(run(db, &["explain", CODE_01, "--json"]))
}

fn c1_of(ev: &Value) -> Value {
    ev["projects"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .find(|p| p["clause"] == "C1" && p["name"] == PROJECT_01)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no C1 project in {ev:#}"))
}

fn rule_of(p: &Value, id: &str) -> Option<Value> {
    p["eligibility"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .cloned()
}

fn import_list(db: &Path, kind: &str, file: &Path) -> Output {
    run(
        db,
        &[
            "--json",
            "lists",
            "import",
            "--round",
            "2026",
            "--kind",
            kind,
            file.to_str().expect("path"),
        ],
    )
}

#[test]
fn an_applicant_on_an_imported_blacklist_is_ineligible_with_the_list_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store_with_01(dir.path());
    let before = c1_of(&explain_01(&db));
    assert_eq!(before["eligible"], true, "{before:#}");
    assert!(rule_of(&before, "blacklist").is_none(), "{before:#}");

    let list = dir.path().join("信用重庆失信名单.xlsx");
    titled(
        &list,
        Some("严重失信主体名单（信用重庆，2026-11-20 下载）"),
        &["统一社会信用代码", "单位名称", "列入原因", "列入日期"],
        &[
            vec!["91500000MA5U0000XN", "别的公司", "拒不履行", "2025-01-02"],
            vec![CODE_01, "测试公司", "严重失信", "2025-06-30"],
        ],
    );
    let done = ok(import_list(&db, "blacklist", &list));
    assert_eq!(done["kind"], "blacklist");
    assert_eq!(done["entries"], 2);

    let after = c1_of(&explain_01(&db));
    assert_eq!(after["eligible"], false, "{after:#}");
    let r = rule_of(&after, "blacklist").expect("blacklist rule");
    assert_eq!(r["pass"], false, "{r:#}");
    let reason = r["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("信用重庆失信名单.xlsx") && reason.contains("第 4 行"),
        "the list and its row are named: {r:#}"
    );
    assert!(
        r["reason_en"]
            .as_str()
            .unwrap_or("")
            .contains("imported blacklist"),
        "{r:#}"
    );

    // overrulable like every rule, in writing (by a reviewer)
    let why = "已移出名单（信用重庆 2026-11-25 查询截图）";
    let rule = [
        ("--clause", "C1"),
        ("--project", PROJECT_01),
        ("--rule", "blacklist"),
    ];
    let mut args = vec!["overrule", CODE_01, "--reason", why];
    args.extend(rule.iter().flat_map(|(k, v)| [*k, *v]));
    common::succeeded(common::run_on(&db, "张审核", "operations-test", &args));
    let overruled = c1_of(&explain_01(&db));
    assert_eq!(overruled["eligible"], true, "{overruled:#}");
}

#[test]
fn undeclared_support_in_another_policys_ledger_is_flagged() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store_with_01(dir.path());
    let flagged = |ev: &Value| {
        ev["flags"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .filter(|f| f["code"] == "undeclared_other_support")
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert!(flagged(&explain_01(&db)).is_empty());

    let ledger = dir.path().join("软信十条拨付台账.xlsx");
    sheet(
        &ledger,
        &[
            "统一社会信用代码",
            "项目名称",
            "政策名称",
            "支持金额（万元）",
            "年度",
        ],
        &[
            vec![CODE_01, PROJECT_01, "软信十条", "50", "2025"],
            // another applicant's support is not this applicant's
            vec!["91500000MA5U0000XN", PROJECT_01, "软信十条", "20", "2025"],
        ],
    );
    let done = ok(import_list(&db, "other-policy", &ledger));
    assert_eq!(done["entries"], 2);

    let flags = flagged(&explain_01(&db));
    assert_eq!(flags.len(), 1, "{flags:#?}");
    let m = flags[0]["message"].as_str().unwrap_or("");
    assert!(
        m.contains("软信十条") && m.contains("2025") && m.contains("500,000.00"),
        "policy, year and amount named: {m}"
    );
    assert!(m.contains(PROJECT_01), "{m}");
}

#[test]
fn a_bad_list_file_is_refused_with_its_row_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store_with_01(dir.path());
    let list = dir.path().join("blacklist.xlsx");
    sheet(
        &list,
        &["统一社会信用代码", "单位名称"],
        &[
            vec![CODE_01, "测试公司"],
            vec!["91500103MA5U7K2P3X", "校验位错误的公司"],
        ],
    );
    let o = import_list(&db, "blacklist", &list);
    let (exit, code) = common::refusal(&o);
    assert_eq!((exit, code.as_str()), (Some(1), "bad_list"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("名单") && err.contains("第 3 行") && err.contains("A3"),
        "sheet, row and cell named: {err}"
    );
    // a missing column is named too
    sheet(&list, &["单位名称"], &[vec!["测试公司"]]);
    let o = import_list(&db, "blacklist", &list);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("统一社会信用代码"), "{err}");
    // nothing stored: sample 01 is not judged against any blacklist
    let p = c1_of(&explain_01(&db));
    assert!(rule_of(&p, "blacklist").is_none(), "{p:#}");
    assert_eq!(p["eligible"], true, "{p:#}");
}

#[test]
fn a_list_is_not_imported_while_the_rounds_scoring_is_closed() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store_with_01(dir.path());
    explain_01(&db);
    // asked by one person, confirmed by another
    ok(common::run_on(
        &db,
        "张审核",
        "operations-test",
        &["--json", "round", "close", "--round", "2026"],
    ));
    ok(common::run_on(
        &db,
        "李审批",
        "operations-test",
        &["--json", "round", "close", "--round", "2026"],
    ));
    let list = dir.path().join("blacklist.xlsx");
    sheet(
        &list,
        &["统一社会信用代码", "单位名称"],
        &[vec![CODE_01, "测试公司"]],
    );
    let o = import_list(&db, "blacklist", &list);
    assert_eq!(common::refusal(&o), (Some(1), "round_closed".to_string()));
}

// ---------------------------------------------------------------------------
// The payment ledger, on the demo's store (issued decisions, a roster)
// ---------------------------------------------------------------------------

fn demo_bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_IDENTITY")
        .env("REVIEWDESK_PASSPHRASE", "operations-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    c
}

fn as_demo(out: &Path, stem: &str, args: &[&str]) -> Output {
    let mut c = demo_bin();
    common::act_as_demo(&mut c, out, stem);
    c.arg("--db")
        .arg(out.join("demo.db"))
        .args(args)
        .output()
        .expect("run")
}

/// The demo's round (people, issued letters) in `dir`/demo.
fn demo_round(dir: &Path) -> PathBuf {
    let out = dir.join("demo");
    common::succeeded(
        demo_bin()
            .args(["demo", "--json", "--out"])
            .arg(&out)
            .output()
            .expect("demo"),
    );
    out
}

/// `ledger export` by the register office to `xlsx`, read back.
fn export_ledger(out: &Path, xlsx: &Path) -> Vec<Vec<Data>> {
    common::succeeded(as_demo(
        out,
        "register",
        &[
            "--json",
            "ledger",
            "export",
            "--round",
            "2026",
            "-o",
            xlsx.to_str().expect("path"),
        ],
    ));
    ledger_rows(xlsx)
}

/// A ledger row's credit code.
fn credit_code_of(r: &[Data]) -> String {
    match &r[2] {
        Data::String(c) => c.clone(),
        other => panic!("credit code {other:?}"),
    }
}

/// The ledger sheet's rows as calamine reads them.
fn ledger_rows(path: &Path) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(path).expect("read"))).expect("xlsx");
    let range = wb.worksheet_range("资金拨付台账").expect("sheet");
    range.rows().map(|r| r.to_vec()).collect()
}

/// Finance's copy: `rows` written back (numbers as numbers), each data row
/// with its payment date and voucher filled in.
fn finance_copy(path: &Path, rows: &[Vec<Data>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("资金拨付台账").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                _ => Ok(()),
            }
            .expect("cell");
        }
        if r > 0 {
            ws.write_string(r as u32, 9, "2026-11-20").expect("date");
            ws.write_string(r as u32, 10, format!("记-2026-11-{r:03}"))
                .expect("voucher");
        }
    }
    wb.save(path).expect("save");
}

/// Finance's copy of `rows` (paid, see `finance_copy`) written to `path` and
/// imported by the register office: the import's JSON.
fn finance_import(out: &Path, path: &Path, rows: &[Vec<Data>]) -> Value {
    finance_copy(path, rows);
    ok(as_demo(
        out,
        "register",
        &["--json", "ledger", "import", path.to_str().expect("path")],
    ))
}

#[test]
fn a_finance_import_with_a_changed_account_is_refused_and_a_correct_one_is_taken() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    let o = demo_bin()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    common::succeeded(o);
    let xlsx = dir.path().join("台账.xlsx");
    let x = xlsx.to_str().expect("path");
    let exported = common::json(&common::succeeded(as_demo(
        &out,
        "register",
        &["--json", "ledger", "export", "--round", "2026", "-o", x],
    )));
    let rows = ledger_rows(&xlsx);
    let n = rows.len() - 1;
    assert!(n >= 2, "the demo has issued awards: {exported:#} {rows:?}");
    assert_eq!(exported["rows"], n);
    assert_eq!(rows[0][6], Data::String("银行账号".into()));
    for r in &rows[1..] {
        assert!(
            matches!(r[7], Data::Float(f) if f > 0.0),
            "the amount is a number: {r:?}"
        );
        assert_eq!(r[8], Data::String("待拨付".into()));
        assert!(
            matches!(&r[12], Data::String(h) if h.len() == 64),
            "the letter's SHA-256: {r:?}"
        );
        assert!(
            matches!(&r[6], Data::String(a) if !a.is_empty()),
            "the account as imported: {r:?}"
        );
    }

    // finance changed the first row's account and the last row's amount
    let mut changed = rows.clone();
    changed[1][6] = Data::String("6222000000000000000".into());
    changed[n][7] = Data::Float(1.0);
    let back = dir.path().join("财务回填-改账号.xlsx");
    finance_copy(&back, &changed);
    let taken = common::json(&common::succeeded(as_demo(
        &out,
        "register",
        &["--json", "ledger", "import", back.to_str().expect("path")],
    )));
    assert_eq!(taken["paid"], n - 2, "{taken:#}");
    let refused = taken["refused"].as_array().expect("refused");
    assert_eq!(refused.len(), 2, "{taken:#}");
    assert_eq!(refused[0]["row"], 2);
    let reason = |i: usize| refused[i]["reason"].as_str().unwrap_or("").to_string();
    assert!(reason(0).contains("银行账号与台账不符"), "{taken:#}");
    assert_eq!(refused[1]["row"], n + 1);
    assert!(reason(1).contains("扶持金额与台账不符"), "{taken:#}");

    // the correct file: the refused row is taken now, the others are not
    // entered twice
    let good = dir.path().join("财务回填.xlsx");
    finance_copy(&good, &rows);
    let taken = common::json(&common::succeeded(as_demo(
        &out,
        "register",
        &["--json", "ledger", "import", good.to_str().expect("path")],
    )));
    assert_eq!(taken["paid"], 2, "{taken:#}");
    assert_eq!(taken["refused"], serde_json::json!([]), "{taken:#}");

    // the ledger now says 已拨付 with finance's voucher
    common::succeeded(as_demo(
        &out,
        "register",
        &["--json", "ledger", "export", "--round", "2026", "-o", x],
    ));
    for r in &ledger_rows(&xlsx)[1..] {
        assert_eq!(r[8], Data::String("已拨付".into()), "{r:?}");
        assert!(matches!(&r[10], Data::String(v) if v.starts_with("记-2026-11-")));
    }
}

#[test]
fn an_amended_award_follows_the_letter_in_force_and_a_revoked_one_is_not_payable() {
    const AMENDED: &str = "52500103MB1C9W4EX0";
    let dir = tempfile::tempdir().expect("tmp");
    let out = demo_round(dir.path());
    let xlsx = dir.path().join("台账.xlsx");
    let export = || export_ledger(&out, &xlsx);
    let before = export();
    let old_number = before[1..]
        .iter()
        .find(|r| credit_code_of(r) == AMENDED)
        .map(|r| r[0].clone())
        .expect("the amended applicant is in the ledger");
    let revoked = before[1..]
        .iter()
        .map(|r| credit_code_of(r))
        .find(|c| c != AMENDED)
        .expect("another applicant");
    let seal = out.join("people").join("测试-TEST-seal.p12");
    let letters = dir.path().join("letters");
    let act = |stem: &str, args: &[&str]| ok(as_demo(&out, stem, args));
    let change = |code: &str, kind: &str| {
        act(
            "reviewer",
            &["--json", "decide", kind, code, "--reason", "经核查重新核定"],
        );
        act("approver", &["--json", "decide", "approve", code]);
        act(
            "register",
            &[
                "--json",
                "letter",
                "issue",
                code,
                "--seal",
                seal.to_str().expect("path"),
                "--out",
                letters.to_str().expect("path"),
            ],
        )
    };
    let amended = change(AMENDED, "amend");
    let new_number = amended["letters"][0]["number"]
        .as_str()
        .expect("number")
        .to_string();
    change(&revoked, "revoke");

    let after = export();
    let mine: Vec<&Vec<Data>> = after[1..]
        .iter()
        .filter(|r| credit_code_of(r) == AMENDED)
        .collect();
    assert!(!mine.is_empty(), "{after:?}");
    for r in &mine {
        assert_eq!(r[0], Data::String(new_number.clone()), "{r:?}");
        assert_eq!(r[8], Data::String("待拨付".into()));
    }
    assert!(
        !after[1..].iter().any(|r| r[0] == old_number),
        "the replaced letter's unpaid row left the ledger: {after:?}"
    );
    assert!(
        !after[1..].iter().any(|r| credit_code_of(r) == revoked),
        "a revoked award is not payable: {after:?}"
    );

    // finance fills in the file from before the changes: the old letters'
    // rows are refused as not payable, the others taken
    let back = dir.path().join("财务回填-旧表.xlsx");
    let taken = finance_import(&out, &back, &before);
    let refused = taken["refused"].as_array().expect("refused");
    let stale = before[1..]
        .iter()
        .filter(|r| credit_code_of(r) == AMENDED || credit_code_of(r) == revoked)
        .count();
    assert_eq!(refused.len(), stale, "{taken:#}");
    for r in refused {
        assert!(
            r["reason"].as_str().unwrap_or("").contains("不予拨付"),
            "{taken:#}"
        );
    }
    assert_eq!(taken["paid"], before.len() - 1 - stale, "{taken:#}");
}

#[test]
fn an_amended_award_is_netted_against_what_the_replaced_letter_already_paid() {
    const AMENDED: &str = "52500103MB1C9W4EX0";
    let dir = tempfile::tempdir().expect("tmp");
    let out = demo_round(dir.path());
    let xlsx = dir.path().join("台账.xlsx");
    let export = || export_ledger(&out, &xlsx);
    let yuan = |d: &Data| match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("amount {other:?}"),
    };
    // finance pays every row of the ledger as issued
    let before = export();
    // one row per project: an applicant with two supported projects has two
    // approval letters, one project each (never both projects under both)
    let mut seen = std::collections::BTreeSet::new();
    for r in &before[1..] {
        let key = (
            credit_code_of(r),
            format!("{:?}", r[3]),
            format!("{:?}", r[4]),
        );
        assert!(
            seen.insert(key.clone()),
            "{key:?} twice in the ledger: {before:?}"
        );
    }
    let paid = dir.path().join("财务回填.xlsx");
    let taken = finance_import(&out, &paid, &before);
    assert_eq!(taken["paid"], before.len() - 1, "{taken:#}");
    let old = before[1..]
        .iter()
        .find(|r| credit_code_of(r) == AMENDED)
        .expect("the applicant's paid row")
        .clone();

    // the award is then amended down to nothing: the cost certified lower
    // takes the project below the clause's threshold (refused)
    let seal = out.join("people").join("测试-TEST-seal.p12");
    let letters = dir.path().join("letters");
    let act = |stem: &str, args: &[&str]| ok(as_demo(&out, stem, args));
    act(
        "reviewer",
        &[
            "--json",
            "decide",
            "amend",
            AMENDED,
            "--reason",
            "算力费用核减",
        ],
    );
    common::succeeded(as_demo(
        &out,
        "reviewer",
        &[
            "--json",
            "certify",
            AMENDED,
            "--clause",
            "C3",
            "--project",
            "渝中政务大模型研发",
            "--field",
            "算力费用",
            "--value",
            "2000000",
            "--reason",
            "以发票为准",
        ],
    ));
    act(
        "reviewer",
        &[
            "--json",
            "decide",
            "amend",
            AMENDED,
            "--reason",
            "算力费用核减，以发票为准",
        ],
    );
    act("approver", &["--json", "decide", "approve", AMENDED]);
    let issued = act(
        "register",
        &[
            "--json",
            "letter",
            "issue",
            AMENDED,
            "--seal",
            seal.to_str().expect("path"),
            "--out",
            letters.to_str().expect("path"),
        ],
    );
    let new_number = issued["letters"][0]["number"].as_str().expect("number");

    let after = export();
    assert_eq!(after[0].len(), 16, "{:?}", after[0]);
    assert_eq!(after[0][14], Data::String("原文书已拨付（元）".into()));
    assert_eq!(after[0][15], Data::String("应拨差额（元）".into()));
    let new = after[1..]
        .iter()
        .find(|r| r[0] == Data::String(new_number.into()) && r[4] == old[4])
        .unwrap_or_else(|| panic!("the amendment's row for the same project: {after:?}"));
    let (award, paid_before, due) = (yuan(&new[7]), yuan(&new[14]), yuan(&new[15]));
    assert_eq!(
        paid_before,
        yuan(&old[7]),
        "paid under the old letter: {new:?}"
    );
    assert_eq!(award, 0.0, "refused by the amendment: {issued:#}");
    assert!((due - (award - paid_before)).abs() < 0.005, "{new:?}");
    assert_eq!(new[8], Data::String("应追回差额".into()), "{new:?}");
    // the old letter's paid row stays, for the clawback
    assert!(after[1..]
        .iter()
        .any(|r| r[0] == old[0] && r[8] == Data::String("已拨付".into())));

    // finance cannot pay the amended award again in full
    let again = dir.path().join("财务回填-变更后.xlsx");
    finance_copy(&again, &[after[0].clone(), new.clone()]);
    let taken = ok(as_demo(
        &out,
        "register",
        &["--json", "ledger", "import", again.to_str().expect("path")],
    ));
    assert_eq!(taken["paid"], 0, "{taken:#}");
    let refused = taken["refused"].as_array().expect("refused");
    assert_eq!(refused.len(), 1, "{taken:#}");
    assert!(
        refused[0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("已按原决定书拨付"),
        "{taken:#}"
    );
}

#[test]
fn a_performance_evaluation_is_kept_with_the_applicants_history() {
    const CODE: &str = "52500103MB1C9W4EX0";
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    common::succeeded(
        demo_bin()
            .args(["demo", "--json", "--out"])
            .arg(&out)
            .output()
            .expect("demo"),
    );
    let evidence = dir.path().join("绩效自评报告.pdf");
    std::fs::write(&evidence, b"%PDF-1.4 self-assessment").expect("evidence");
    let record = |stem: &str, project: &str, met: &str| {
        as_demo(
            &out,
            stem,
            &[
                "--json",
                "evaluation",
                "record",
                CODE,
                "--project",
                project,
                "--met",
                met,
                "--evidence",
                evidence.to_str().expect("path"),
                "--note",
                "算力消纳规模达到申报目标的 104%",
            ],
        )
    };
    // a refused project has nothing to evaluate; --met is yes or no; a reviewer records
    let o = record("reviewer", "渝中政务大模型推理服务", "yes");
    assert_eq!(common::refusal(&o), (Some(1), "invalid".into()));
    assert!(String::from_utf8_lossy(&o.stderr).contains("渝中政务大模型研发"));
    let o = record("reviewer", "渝中政务大模型研发", "maybe");
    assert_eq!(common::refusal(&o).0, Some(1));
    let o = record("register", "渝中政务大模型研发", "yes");
    assert_eq!(common::refusal(&o), (Some(1), "not_allowed".into()));

    let r = ok(record("reviewer", "渝中政务大模型研发", "yes"));
    assert_eq!(r["met"], true);
    assert_eq!(r["evidence_name"], "绩效自评报告.pdf");
    let list = ok(as_demo(
        &out,
        "reviewer",
        &["--json", "evaluation", "list", "--round", "2026"],
    ));
    assert_eq!(list["evaluations"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["evaluations"][0]["project"], "渝中政务大模型研发");

    let show = ok(as_demo(&out, "reviewer", &["--json", "show", CODE]));
    let entry = show["history"]
        .as_array()
        .expect("history")
        .iter()
        .find(|e| e["action"] == "performance.record")
        .cloned()
        .unwrap_or_else(|| panic!("the evaluation is in the history: {show:#}"));
    let detail: Value =
        serde_json::from_str(entry["detail"].as_str().expect("detail")).expect("json");
    assert_eq!(detail["met"], true);
    assert_eq!(detail["evidence"]["sha256"], r["evidence_sha256"]);
}
