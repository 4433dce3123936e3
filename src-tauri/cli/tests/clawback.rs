//! Clawback (追回) over the real binary on the demo's store (issued
//! decisions, a roster, a test seal): the award is paid through the ledger,
//! a finding is recorded with its evidence, the prior notice gives the
//! applicant its right to state its case until a deadline, the response is
//! recorded, the decision is revoked by two people, the signed recovery
//! letter states the amount, the due date and the remedy and cites the
//! revoked letter, and the money comes back in two parts: the ledger says
//! 部分追回 then 已追回, and the round overview lists what is outstanding.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use reviewdesk_engine::applications::queries::round_overview;
use reviewdesk_engine::money::format_yuan;
use reviewdesk_engine::store::{unlock, Secret};
use rust_decimal::Decimal;
use serde_json::Value;

/// The demo's applicant with a supported C3 project.
const CODE: &str = "52500103MB1C9W4EX0";
const PASSPHRASE: &str = "clawback-test";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_IDENTITY")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    c
}

fn as_(out: &Path, stem: &str, args: &[&str]) -> Output {
    let mut c = bin();
    common::act_as_demo(&mut c, out, stem);
    c.arg("--db")
        .arg(out.join("demo.db"))
        .args(args)
        .output()
        .expect("run")
}

fn ok(o: Output) -> Value {
    common::json(&common::succeeded(o))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("path")
}

fn seal(out: &Path) -> PathBuf {
    out.join("people").join("测试-TEST-seal.p12")
}

fn ledger_rows(path: &Path) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(path).expect("read"))).expect("xlsx");
    let range = wb.worksheet_range("资金拨付台账").expect("sheet");
    range.rows().map(|r| r.to_vec()).collect()
}

/// The ledger exported now: its rows of `CODE`.
fn export(out: &Path, dir: &Path) -> Vec<Vec<Data>> {
    let x = dir.join("台账.xlsx");
    ok(as_(
        out,
        "register",
        &["--json", "ledger", "export", "--round", "2026", "-o", s(&x)],
    ));
    ledger_rows(&x)
        .into_iter()
        .filter(|r| r[2] == Data::String(CODE.into()))
        .collect()
}

/// Finance pays every row of the ledger.
fn pay_all(out: &Path, dir: &Path) {
    let x = dir.join("台账.xlsx");
    ok(as_(
        out,
        "register",
        &["--json", "ledger", "export", "--round", "2026", "-o", s(&x)],
    ));
    let rows = ledger_rows(&x);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("资金拨付台账").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                Data::String(t) => ws.write_string(r, c, t).map(|_| ()),
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                _ => Ok(()),
            }
            .expect("cell");
        }
        if r > 0 {
            ws.write_string(r as u32, 9, "2026-11-20").expect("date");
            ws.write_string(r as u32, 10, format!("记-{r:03}"))
                .expect("voucher");
        }
    }
    let back = dir.join("财务回填.xlsx");
    wb.save(&back).expect("save");
    let taken = ok(as_(
        out,
        "register",
        &["--json", "ledger", "import", s(&back)],
    ));
    assert_eq!(taken["refused"], serde_json::json!([]), "{taken:#}");
}

/// An amount cell of the ledger (a number) as exact yuan.
fn yuan(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => format!("{f:.2}").parse().expect("yuan"),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("not an amount: {other:?}"),
    }
}

fn day(offset: i64) -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Duration::days(offset)
}

fn printed(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn outstanding(out: &Path) -> Vec<(String, String)> {
    let store = unlock(&out.join("demo.db"), &Secret::passphrase(PASSPHRASE))
        .expect("unlock")
        .store;
    round_overview(&store, Some(2026))
        .expect("overview")
        .recoveries
        .into_iter()
        .map(|r| (r.credit_code, r.outstanding_yuan))
        .collect()
}

#[test]
fn a_paid_award_is_clawed_back_from_finding_to_the_money_back_in_the_ledger() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    let o = bin()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    let demo = ok(o);
    let old: Vec<String> = demo["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["credit_code"] == CODE && l["kind"] == "approval")
        .filter_map(|l| l["number"].as_str().map(str::to_string))
        .collect();
    assert_eq!(old.len(), 1, "{demo:#}");

    // not paid yet: nothing to claw back
    let find = |amount: &str, who: &str| {
        let evidence = dir.path().join("审计报告.pdf");
        std::fs::write(&evidence, b"%PDF-1.4 evidence").expect("evidence");
        as_(
            &out,
            who,
            &[
                "--json",
                "clawback",
                "find",
                CODE,
                "--reason",
                "经审计，申报的算力费用发票系重复使用",
                "--amount",
                amount,
                "--evidence",
                s(&evidence),
            ],
        )
    };
    assert_eq!(
        common::refusal(&find("1000", "register")),
        (Some(1), "not_paid".into())
    );

    pay_all(&out, dir.path());
    let rows = export(&out, dir.path());
    assert!(!rows.is_empty());
    let paid: Decimal = rows.iter().map(|r| yuan(&r[7])).sum();
    let paid_text = format_yuan(paid);
    let half = (paid / Decimal::TWO).round_dp(2);
    let half_text = format_yuan(half);

    // who may find, and at most what was paid
    assert_eq!(
        common::refusal(&find(&paid_text, "reviewer")),
        (Some(1), "not_allowed".into())
    );
    let above = format_yuan(paid + Decimal::ONE);
    assert_eq!(
        common::refusal(&find(&above, "register")),
        (Some(1), "amount_above_paid".into())
    );
    let case = ok(find(&paid_text, "register"));
    let id = case["id"].as_i64().expect("id").to_string();
    assert_eq!(case["state"], "found");
    assert_eq!(case["evidence"]["name"], "审计报告.pdf");
    assert_eq!(case["evidence"]["sha256"].as_str().map(str::len), Some(64));

    // no revocation before the applicant was told and could answer
    let revoke = || as_(&out, "reviewer", &["--json", "clawback", "revoke", &id]);
    assert_eq!(common::refusal(&revoke()), (Some(1), "not_notified".into()));
    let deadline = day(10);
    let notice = dir.path().join("事先告知书.pdf");
    let n = ok(as_(
        &out,
        "register",
        &[
            "--json",
            "clawback",
            "notify",
            &id,
            "--deadline",
            &deadline.to_string(),
            "--seal",
            s(&seal(&out)),
            "-o",
            s(&notice),
        ],
    ));
    assert_eq!(n["kind"], "recovery_notice");
    let t = common::pdf_text(&notice);
    assert!(t.contains("事先告知书"), "{t}");
    assert!(t.contains("陈述、申辩的权利"), "{t}");
    assert!(t.contains(&format!("请于{}前", printed(deadline))), "{t}");
    assert!(t.contains(&old[0]), "the notice cites the award: {t}");
    assert_eq!(
        common::refusal(&revoke()),
        (Some(1), "right_to_state_case".into())
    );

    // the response, then the revocation by two people
    let r = ok(as_(
        &out,
        "register",
        &[
            "--json",
            "clawback",
            "respond",
            &id,
            "--received",
            &day(0).to_string(),
            "--text",
            "发票系供应商开具错误，已补开",
        ],
    ));
    assert_eq!(r["state"], "responded");
    // the recovery letter needs the revocation issued first
    let letter = dir.path().join("追回决定.pdf");
    let due = day(30);
    let issue_letter = || {
        as_(
            &out,
            "register",
            &[
                "--json",
                "clawback",
                "letter",
                &id,
                "--due",
                &due.to_string(),
                "--seal",
                s(&seal(&out)),
                "-o",
                s(&letter),
            ],
        )
    };
    assert_eq!(
        common::refusal(&issue_letter()),
        (Some(1), "not_revoked".into())
    );
    let d = ok(revoke());
    assert_eq!(d["state"], "proposed");
    ok(as_(
        &out,
        "approver",
        &["--json", "decide", "approve", CODE],
    ));
    let letters = dir.path().join("letters");
    let revoked = ok(as_(
        &out,
        "register",
        &[
            "--json",
            "letter",
            "issue",
            CODE,
            "--seal",
            s(&seal(&out)),
            "--out",
            s(&letters),
        ],
    ));
    let revocation = revoked["letters"][0]["number"]
        .as_str()
        .expect("number")
        .to_string();
    assert_eq!(revoked["letters"][0]["kind"], "revocation");

    // the recovery letter: amount, due date, remedy, the old number
    let l = ok(issue_letter());
    assert_eq!(l["kind"], "recovery");
    let t = common::pdf_text(&letter);
    let grouped = reviewdesk_engine::money::format_yuan_grouped(paid);
    assert!(t.contains(&format!("人民币{grouped}元")), "{t}");
    assert!(t.contains("大写：人民币"), "{t}");
    assert!(t.contains(&format!("请你单位于{}前", printed(due))), "{t}");
    assert!(
        t.contains("六十日内向重庆市渝中区人民政府申请行政复议"),
        "{t}"
    );
    assert!(t.contains("六个月内依法向人民法院提起行政诉讼"), "{t}");
    assert!(t.contains(&old[0]), "cites the revoked letter: {t}");
    assert!(t.contains(&revocation), "cites the revocation: {t}");
    assert!(t.contains("陈述、申辩意见"), "{t}");
    let v = ok(as_(&out, "register", &["--json", "verify", s(&letter)]));
    assert_eq!(v["valid"], true, "{v:#}");
    let sig = Command::new("pdfsig")
        .arg(&letter)
        .output()
        .expect("pdfsig");
    assert!(
        String::from_utf8_lossy(&sig.stdout).contains("Signature is Valid"),
        "{}",
        String::from_utf8_lossy(&sig.stdout)
    );
    assert_eq!(
        common::refusal(&issue_letter()),
        (Some(1), "already_issued".into())
    );
    assert_eq!(
        outstanding(&out),
        vec![(CODE.to_string(), paid_text.clone())]
    );

    // half comes back, then the rest; never more than is owed
    let record = |amount: &str, voucher: &str| {
        as_(
            &out,
            "register",
            &[
                "--json",
                "clawback",
                "record",
                &id,
                "--amount",
                amount,
                "--date",
                &day(0).to_string(),
                "--voucher",
                voucher,
            ],
        )
    };
    let c = ok(record(&half_text, "缴-001"));
    assert_eq!(c["state"], "partly_recovered");
    for r in export(&out, dir.path()) {
        assert_eq!(r[8], Data::String("部分追回".into()), "{r:?}");
    }
    let rest = format_yuan(paid - half);
    assert_eq!(outstanding(&out), vec![(CODE.to_string(), rest.clone())]);
    let too_much = format_yuan(paid);
    assert_eq!(
        common::refusal(&record(&too_much, "缴-002")),
        (Some(1), "invalid".into())
    );
    let c = ok(record(&rest, "缴-002"));
    assert_eq!(c["state"], "recovered");
    let rows = export(&out, dir.path());
    let recovered: Decimal = rows
        .iter()
        .map(|r| {
            assert_eq!(r[8], Data::String("已追回".into()), "{r:?}");
            yuan(&r[13])
        })
        .sum();
    assert_eq!(recovered, paid);
    assert!(outstanding(&out).is_empty());

    let list = ok(as_(&out, "register", &["--json", "clawback", "list"]));
    assert_eq!(
        list["cases"][0]["recoveries"].as_array().map(Vec::len),
        Some(2)
    );
    ok(as_(&out, "register", &["--json", "audit", "verify"]));
    // CLAWBACK_KEEP=DIR keeps the two letters to look at
    if let Ok(keep) = std::env::var("CLAWBACK_KEEP") {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).expect("keep");
        std::fs::copy(&notice, keep.join("recovery-notice.pdf")).expect("copy");
        std::fs::copy(&letter, keep.join("recovery.pdf")).expect("copy");
    }
}
