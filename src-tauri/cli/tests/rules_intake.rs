//! Acceptance tests over the real `reviewdesk` binary and the real sample
//! workbooks for the round budget (`guide use`, `score`, `budget`), the
//! English variants of reasons and explanation lines (`explain`), versions
//! compared field by field (`diff`) and provisional identities linked to
//! their corrected credit code (`link`).
//!
//! Long on purpose: the scenarios share one store set-up per test.

mod common;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_decimal::Decimal;
use serde_json::Value;

const CODE_01: &str = "91500103MA5U7K2P39";
const CODE_02: &str = "91500103MA61QX3D6W";
const CODE_04: &str = "91500103MA7HJ2LT5M";
const CODE_05: &str = "91500105MA5XR8N1XJ";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn shipped_guide() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/guides/2026.toml");
    std::fs::read_to_string(p).expect("shipped guide")
}

fn run(db: &Path, args: &[&str]) -> Output {
    run_as(db, "张审核", args)
}

fn run_as(db: &Path, reviewer: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    common::act_as(&mut c, reviewer);
    c.env_remove("REVIEWDESK_DATA_DIR")
        // Stores may be encrypted: unlock without a prompt, cheaply.
        .env("REVIEWDESK_PASSPHRASE", "rules-intake-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn ok_json(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a decimal string: {v}"))
}

fn import(db: &Path, paths: &[&Path]) -> Output {
    let mut args = vec!["import".to_string(), "--json".to_string()];
    args.extend(common::IN_WINDOW.map(String::from));
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(db, &refs)
}

fn import_samples(db: &Path) {
    let o = import(db, &[&samples()]);
    // 06-errors needs correction: exit 1.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The shipped guide with a budget and an overrun rule.
fn guide_with_budget(dir: &Path, budget: &str, rule: &str) -> PathBuf {
    let text = shipped_guide()
        .replace("# budget = \"10000000\"", &format!("budget = \"{budget}\""))
        .replace(
            "budget_overrun = \"flag\"",
            &format!("budget_overrun = \"{rule}\""),
        );
    assert!(text.contains(&format!("budget = \"{budget}\"")));
    let p = dir.join(format!("guide-{budget}-{rule}.toml"));
    std::fs::write(&p, text).expect("write guide");
    p
}

fn score(db: &Path) -> Value {
    ok_json(&run(db, &["score", "--round", "2026", "--json"]))
}

/// Give the sample C4 project (04-aiplus-reordered) its panel scores.
fn score_c4_panel(db: &Path) {
    let ev = ok_json(&run(db, &["explain", CODE_04, "--json"]));
    let project = ev["projects"][0]["name"].as_str().expect("C4 project name");
    for (factor, points) in [("leading_role", "36"), ("industry_fit", "27")] {
        let o = run(
            db,
            &[
                "panel",
                CODE_04,
                "--clause",
                "C4",
                "--project",
                project,
                "--factor",
                factor,
                "--points",
                points,
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn budget_is_flagged_then_reduced_pro_rata_to_the_fen() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");

    // No budget in the shipped guide: totals, nothing flagged.
    import_samples(&db);
    let s = score(&db);
    assert_eq!(s["budget"]["budget_yuan"], Value::Null);
    assert_eq!(s["over_budget"], false);
    let b = ok_json(&run(&db, &["budget", "--round", "2026", "--json"]));
    assert_eq!(b["total_yuan"], "2950000.00", "{b:#}");
    assert_eq!(b["pending"], 1, "the C4 project awaits its panel: {b:#}");
    let clauses: Vec<(&str, &str)> = b["per_clause"]
        .as_array()
        .expect("per_clause")
        .iter()
        .map(|c| {
            (
                c["clause"].as_str().unwrap_or(""),
                c["total_yuan"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        clauses,
        [
            ("C1", "1200000.00"),
            ("C2a", "1150000.00"),
            ("C2b", "0.00"),
            ("C3", "600000.00")
        ]
    );

    // A budget of 2,000,000 with the default rule: flagged, amounts kept.
    let flag = guide_with_budget(dir.path(), "2000000", "flag");
    let o = run(
        &db,
        &["guide", "use", "--round", "2026", flag.to_str().expect("p")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = score(&db);
    assert_eq!(s["over_budget"], true, "{:#}", s["budget"]);
    assert!(s["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .any(|f| f["code"] == "over_budget" && f["message_en"].as_str().is_some()));
    let b = ok_json(&run(&db, &["budget", "--round", "2026", "--json"]));
    assert_eq!(b["budget_yuan"], "2000000.00");
    assert_eq!(b["rule"], "flag");
    assert_eq!(b["over_by_yuan"], "950000.00");
    assert_eq!(b["allocations"], Value::Null);

    // Pro rata: nothing is reduced while a panel score is missing …
    let pro = guide_with_budget(dir.path(), "2000000", "pro_rata");
    let o = run(
        &db,
        &["guide", "use", "--round", "2026", pro.to_str().expect("p")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    score(&db);
    let b = ok_json(&run(&db, &["budget", "--round", "2026", "--json"]));
    assert_eq!(b["rule"], "pro_rata");
    assert_eq!(b["allocations"], Value::Null, "{b:#}");

    // … and once every project is scored, the awards fit the budget exactly.
    score_c4_panel(&db);
    score(&db);
    let b = ok_json(&run(&db, &["budget", "--round", "2026", "--json"]));
    let list = b["allocations"].as_array().expect("allocations");
    assert!(list.len() >= 5, "{b:#}");
    let total: Decimal = list.iter().map(|a| dec(&a["award_yuan"])).sum();
    let reduced: Decimal = list.iter().map(|a| dec(&a["reduced_yuan"])).sum();
    assert_eq!(total, dec(&b["total_yuan"]));
    assert!(total > Decimal::from(2_000_000));
    assert_eq!(reduced, Decimal::from(2_000_000), "sum == budget exactly");
    assert_eq!(dec(&b["reduced_total_yuan"]), Decimal::from(2_000_000));
    for a in list {
        let (award, cut) = (dec(&a["award_yuan"]), dec(&a["reduced_yuan"]));
        assert!(cut <= award && cut >= Decimal::ZERO, "{a}");
        assert!(cut.scale() <= 2, "to the fen: {a}");
        assert_eq!(award - cut, dec(&a["reduction_yuan"]));
    }
    let per_clause: Decimal = b["per_clause"]
        .as_array()
        .expect("per_clause")
        .iter()
        .map(|c| dec(&c["reduced_yuan"]))
        .sum();
    assert_eq!(per_clause, Decimal::from(2_000_000));
    // Deterministic: the same report again, byte for byte.
    let again = run(&db, &["budget", "--round", "2026", "--json"]);
    assert_eq!(serde_json::to_string(&b).ok(), {
        let v: Value = serde_json::from_slice(&again.stdout).expect("json");
        serde_json::to_string(&v).ok()
    });
    // The text form names the reduction.
    let o = run(&db, &["budget", "--round", "2026"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("→ 2,000,000.00"));

    // explain shows, and a decision freezes, the reduced amounts.
    let reduced_of = |b: &Value, code: &str| -> Vec<(String, Decimal)> {
        b["allocations"]
            .as_array()
            .expect("allocations")
            .iter()
            .filter(|a| a["credit_code"] == code)
            .map(|a| {
                (
                    a["project"].as_str().unwrap_or("").to_string(),
                    dec(&a["reduced_yuan"]),
                )
            })
            .collect()
    };
    let want = reduced_of(&b, CODE_02);
    assert_eq!(want.len(), 2, "{b:#}");
    let ev = ok_json(&run(&db, &["explain", CODE_02, "--json"]));
    for (project, amount) in &want {
        let p = ev["projects"]
            .as_array()
            .expect("projects")
            .iter()
            .find(|p| p["name"] == project.as_str() && p["clause"] == "C2a")
            .expect("project");
        assert_eq!(dec(&p["award_yuan"]), *amount, "{p:#}");
        let lines = p["lines"].as_array().expect("lines");
        assert!(lines.iter().any(|l| l["label"]
            .as_str()
            .is_some_and(|s| s.starts_with("按预算比例核减"))
            && l["label_en"]
                .as_str()
                .is_some_and(|s| s.starts_with("Reduced pro rata"))));
        // Amounts in the lines are grouped with their unit.
        let shown = reviewdesk_engine::money::format_yuan_grouped(dec(&p["award_yuan"]));
        assert_eq!(
            lines.last().map(|l| l["value"].clone()),
            Some(Value::String(format!("{shown} 元")))
        );
        assert!(shown.contains(','), "{shown}");
    }
    // Pro rata is over the whole round: no proposal before scoring closes,
    // and closing takes two people.
    let early = run(&db, &["decide", "propose", CODE_02]);
    assert_eq!(early.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&early.stderr).contains("[round_not_closed]"));
    let asked = ok_json(&run(&db, &["--json", "round", "close", "--round", "2026"]));
    assert_eq!(asked["state"], "closing", "{asked:#}");
    let twice = run(&db, &["round", "close", "--round", "2026"]);
    assert!(String::from_utf8_lossy(&twice.stderr).contains("[same_person]"));
    let closed = ok_json(&run_as(
        &db,
        "李审批",
        &["--json", "round", "close", "--round", "2026"],
    ));
    assert_eq!(closed["state"], "closed", "{closed:#}");
    assert_eq!(closed["requested_by"], "张审核");
    assert_eq!(closed["closed_by"], "李审批");
    // a closed round takes no changed inputs
    let ev4 = ok_json(&run(&db, &["explain", CODE_04, "--json"]));
    let c4 = ev4["projects"][0]["name"]
        .as_str()
        .expect("C4 project")
        .to_string();
    let late = run(
        &db,
        &[
            "panel",
            CODE_04,
            "--clause",
            "C4",
            "--project",
            &c4,
            "--factor",
            "leading_role",
            "--points",
            "30",
        ],
    );
    assert!(
        String::from_utf8_lossy(&late.stderr).contains("[round_closed]"),
        "{}",
        String::from_utf8_lossy(&late.stderr)
    );
    assert!(run(&db, &["decide", "propose", CODE_02]).status.success());
    let o = run_as(&db, "李审批", &["decide", "approve", CODE_02]);
    assert!(o.status.success());
    // The approver is told the round is over budget.
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("over the budget of 2,000,000.00 yuan"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    score(&db);
    let b2 = ok_json(&run(&db, &["budget", "--round", "2026", "--json"]));
    assert_eq!(reduced_of(&b2, CODE_02), want, "frozen as approved");
    let list = b2["allocations"].as_array().expect("allocations");
    assert!(list
        .iter()
        .filter(|a| a["credit_code"] == CODE_02)
        .all(|a| a["frozen"] == true && a["reduction_yuan"] == "0.00"));
    let reduced: Decimal = list.iter().map(|a| dec(&a["reduced_yuan"])).sum();
    assert_eq!(
        reduced,
        Decimal::from(2_000_000),
        "still exactly the budget"
    );

    // Once a decision exists the round's guide can no longer change.
    let o = run(
        &db,
        &["guide", "use", "--round", "2026", flag.to_str().expect("p")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("can no longer change"));
    // Reopening takes a reason (and, on a store with a roster, an approver).
    let bare = run_as(
        &db,
        "李审批",
        &["round", "reopen", "--round", "2026", "--reason", " "],
    );
    assert!(String::from_utf8_lossy(&bare.stderr).contains("[reason_required]"));
    let open = ok_json(&run_as(
        &db,
        "李审批",
        &[
            "--json",
            "round",
            "reopen",
            "--round",
            "2026",
            "--reason",
            "专家补充评分",
        ],
    ));
    assert_eq!(open["state"], "open", "{open:#}");
    let head = ok_json(&run(&db, &["audit", "verify", "--json"]));
    assert_eq!(head["ok"], true, "{head:#}");
}

#[test]
fn guide_use_refuses_an_invalid_guide_with_key_paths() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        shipped_guide().replace("budget_overrun = \"flag\"", "budget_overrun = \"pro_rata\""),
    )
    .expect("write");
    let o = run(
        &db,
        &["guide", "use", "--round", "2026", bad.to_str().expect("p")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("round.budget_overrun"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&db, &["guide", "check", bad.to_str().expect("p"), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["problems"][0]["path"], "round.budget_overrun");
}

#[test]
fn explain_gives_english_beside_chinese_without_breaking_the_contract() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    import_samples(&db);
    score(&db);
    let ev = ok_json(&run(&db, &["explain", CODE_05, "--json"]));
    let p = &ev["projects"][0];
    // The contract's keys are all still there …
    for k in [
        "clause",
        "name",
        "eligible",
        "eligibility",
        "score",
        "award_yuan",
        "superseded_by",
        "lines",
    ] {
        assert!(p.get(k).is_some(), "missing {k}: {p:#}");
    }
    assert_eq!(p["eligible"], false);
    let district = p["eligibility"]
        .as_array()
        .expect("eligibility")
        .iter()
        .find(|r| r["id"] == "district")
        .expect("district rule");
    assert_eq!(district["rule"], "注册地在渝中区");
    assert_eq!(district["reason"], "注册区县为江北区");
    // … with the English beside them.
    assert_eq!(district["rule_en"], "registered in 渝中区");
    assert_eq!(district["reason_en"], "registered district: 江北区");
    let lines = p["lines"].as_array().expect("lines");
    assert!(lines
        .iter()
        .any(|l| l["label"] == "资格审查未通过" && l["label_en"] == "Eligibility not met"));
    // Every line of every applicant has both languages.
    let ev = ok_json(&run(&db, &["explain", CODE_02, "--json"]));
    for p in ev["projects"].as_array().expect("projects") {
        for l in p["lines"].as_array().expect("lines") {
            for k in ["label", "value", "label_en", "value_en"] {
                assert!(l[k].as_str().is_some_and(|s| !s.is_empty()), "{k} in {l}");
            }
            assert!(!l["value_en"].as_str().unwrap_or("").contains('元'), "{l}");
        }
    }
}

/// 01-supply-clean.xlsx re-submitted: 上年度营业收入 (申报单位!B13) 3200.5 →
/// 3300.75 万元 and the C1 project's 项目总投资 (C1-算力供给!D2) 8600 → 9100 万元.
fn corrected_01() -> Vec<u8> {
    let bytes = std::fs::read(samples().join("01-supply-clean.xlsx")).expect("sample");
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let entry = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read entry");
        let edit = |data: Vec<u8>, cell: &str, from: &str, to: &str| {
            let xml = String::from_utf8(data).expect("utf-8");
            let old = format!(r#"<c r="{cell}" t="n"><v>{from}</v></c>"#);
            assert!(xml.contains(&old), "{cell} not found");
            xml.replace(&old, &format!(r#"<c r="{cell}" t="n"><v>{to}</v></c>"#))
                .into_bytes()
        };
        if entry == "xl/worksheets/sheet2.xml" {
            data = edit(data, "B13", "3200.5", "3300.75");
        }
        if entry == "xl/worksheets/sheet3.xml" {
            data = edit(data, "D2", "8600", "9100");
        }
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zout.start_file(entry, opts).expect("start");
        zout.write_all(&data).expect("write");
    }
    zout.finish().expect("finish").into_inner()
}

#[test]
fn diff_compares_resubmitted_versions_field_by_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let v3 = dir.path().join("01-corrected.xlsx");
    std::fs::write(&v3, corrected_01()).expect("write");
    // v1 01-supply-clean.xlsx, v2 07-supply-legacy.xls (the same values as
    // .xls), v3 the corrected workbook.
    let o = import(
        &db,
        &[
            &samples().join("01-supply-clean.xlsx"),
            &samples().join("07-supply-legacy.xls"),
            &v3,
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // The same values in another format: no differences.
    let d = ok_json(&run(
        &db,
        &["diff", CODE_01, "--from", "1", "--to", "2", "--json"],
    ));
    assert_eq!(d["differences"], Value::Array(vec![]), "{d:#}");
    assert_eq!(d["from"]["file_name"], "01-supply-clean.xlsx");
    assert_eq!(d["to"]["file_name"], "07-supply-legacy.xls");

    // Default: the last two versions.
    let d = ok_json(&run(&db, &["diff", CODE_01, "--json"]));
    assert_eq!(
        (d["from"]["version"].as_i64(), d["to"]["version"].as_i64()),
        (Some(2), Some(3))
    );
    let diffs = d["differences"].as_array().expect("differences");
    assert_eq!(diffs.len(), 2, "{d:#}");
    let revenue = &diffs[0];
    assert_eq!(revenue["scope"], "applicant");
    assert_eq!(revenue["label"], "上年度营业收入");
    assert_eq!(revenue["label_en"], "Revenue last year");
    assert_eq!(revenue["change"], "changed");
    assert_eq!(revenue["old"]["value"], "32005000.00");
    assert_eq!(revenue["old"]["raw"], "3200.5");
    assert_eq!(revenue["old"]["cell"], "申报单位!B13");
    assert_eq!(revenue["new"]["value"], "33007500.00");
    assert_eq!(revenue["new"]["raw"], "3300.75");
    assert_eq!(revenue["new"]["cell"], "申报单位!B13");
    let invest = &diffs[1];
    assert_eq!(invest["scope"], "project");
    assert_eq!(invest["clause"], "C1");
    assert_eq!(invest["project"], "渝中智算中心一期");
    assert_eq!(invest["label"], "项目总投资");
    assert_eq!(invest["old"]["value"], "86000000.00");
    assert_eq!(invest["new"]["value"], "91000000.00");
    assert_eq!(invest["new"]["cell"], "C1-算力供给!D2");

    // v1 → v3 says the same; the text form too.
    let d13 = ok_json(&run(
        &db,
        &["diff", CODE_01, "--from", "1", "--to", "3", "--json"],
    ));
    assert_eq!(d13["differences"], d["differences"]);
    let o = run(&db, &["diff", CODE_01]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("上年度营业收入: 「3200.5」 [申报单位!B13] → 「3300.75」 [申报单位!B13]"),
        "{text}"
    );

    // No such version, or nothing earlier to compare with: usage errors.
    assert_eq!(
        run(&db, &["diff", CODE_01, "--from", "1", "--to", "9"])
            .status
            .code(),
        Some(2)
    );
    let one = dir.path().join("one.db");
    import(&one, &[&samples().join("02-rnd-two-clauses.xlsx")]);
    assert_eq!(run(&one, &["diff", CODE_02]).status.code(), Some(2));
}

#[test]
fn a_provisional_workbook_is_linked_to_its_corrected_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    import_samples(&db);

    // 06-errors.xlsx lost its credit code to Excel: kept provisionally, and
    // the applicant of the same name is suggested.
    let s = ok_json(&run(&db, &["link", "--json"]));
    let sug = s["suggestions"].as_array().expect("suggestions");
    assert_eq!(sug.len(), 1, "{s:#}");
    assert_eq!(sug[0]["credit_code"], CODE_01);
    assert_eq!(sug[0]["linked"], false);
    let key = sug[0]["provisional_key"].as_str().expect("key").to_string();
    assert!(
        key.starts_with("provisional:重庆渝算智能科技有限公司#"),
        "{key}"
    );

    // Invalid code, unknown key, half a command: refused, nothing written.
    assert_eq!(
        run(&db, &["link", &key, "91500103MA5U7K2P38"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&db, &["link", "provisional:nobody#000000000000", CODE_01])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&db, &["link", &key]).status.code(), Some(2));

    let l = ok_json(&run(&db, &["link", &key, CODE_01, "--json"]));
    assert_eq!(l["credit_code"], CODE_01);
    assert_eq!(l["provisional_key"], key.as_str());
    assert_eq!(l["name_matches"], true);
    assert_eq!(l["previous"], Value::Null);
    assert_eq!(l["submissions"].as_array().map(Vec::len), Some(1));
    // Linking again to the same code changes nothing and says so.
    assert_eq!(run(&db, &["link", &key, CODE_01]).status.code(), Some(2));
    let s = ok_json(&run(&db, &["link", "--json"]));
    assert_eq!(s["suggestions"][0]["linked"], true);

    // History follows the code: the provisional workbook is version 0, and
    // comparing it with the corrected one shows exactly its two errors fixed.
    let d = ok_json(&run(
        &db,
        &["diff", CODE_01, "--from", "0", "--to", "1", "--json"],
    ));
    assert_eq!(d["from"]["file_name"], "06-errors.xlsx");
    let diffs = d["differences"].as_array().expect("differences");
    let got: Vec<(&str, &str, Value, &str, &str)> = diffs
        .iter()
        .map(|x| {
            (
                x["label"].as_str().unwrap_or(""),
                x["old"]["raw"].as_str().unwrap_or(""),
                x["old"]["value"].clone(),
                x["old"]["cell"].as_str().unwrap_or(""),
                x["new"]["raw"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "统一社会信用代码",
                "9.15001E+17",
                Value::Null,
                "申报单位!B3",
                CODE_01
            ),
            (
                "上年度营业收入",
                "约三千万",
                Value::Null,
                "申报单位!B13",
                "3200.5"
            ),
        ],
        "{d:#}"
    );

    // The link is in the applicant's history (audited).
    let show = ok_json(&run(&db, &["show", CODE_01, "--json"]));
    let links: Vec<&Value> = show["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["action"] == "applicant.link")
        .collect();
    assert_eq!(links.len(), 1, "{:#}", show["history"]);

    // Reversed only by another link, which names the previous one; the
    // short form (the file-hash suffix) finds the same identity.
    let suffix = key.rsplit_once('#').map(|(_, h)| h).expect("hash suffix");
    let l = ok_json(&run(&db, &["link", suffix, CODE_02, "--json"]));
    assert_eq!(l["previous"], CODE_01);
    assert_eq!(l["name_matches"], false);
    let d = ok_json(&run(
        &db,
        &["diff", CODE_02, "--from", "0", "--to", "1", "--json"],
    ));
    assert_eq!(d["from"]["file_name"], "06-errors.xlsx");
    assert_eq!(
        run(&db, &["diff", CODE_01, "--from", "0", "--to", "1"])
            .status
            .code(),
        Some(2),
        "version 0 went with the link"
    );
    let l = ok_json(&run(&db, &["link", suffix, CODE_01, "--json"]));
    assert_eq!(l["previous"], CODE_02);
    let v = ok_json(&run(&db, &["audit", "verify", "--json"]));
    assert_eq!(v["ok"], true, "{v:#}");
}
