//! One round, many laptops, over the real binary: a home store and two
//! laptops exchange round and review packages; only the home issues, its
//! numbers run without a gap, a conflicting change is reported and not
//! applied, a tampered package is refused whole and the home still
//! verifies.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{identity, json, run_on, succeeded};
use serde_json::Value;

const PASS: &str = "exchange-store";
/// A C4 (AI+) applicant whose award waits for three panel scores.
const C4: &str = "91500103MA7HJ2LT5M";
const C4_PROJECT: &str = "AI+智慧物流调度";
/// A C3 applicant with a certifiable 算力费用.
const C3: &str = "52500103MB1C9W4EX0";
/// A C1 applicant, decided without panel scores.
const C1: &str = "91500103MA5U7K2P39";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn on(db: &Path, who: &str, args: &[&str]) -> Output {
    run_on(db, who, PASS, args)
}

fn panel(db: &Path, who: &str) {
    for (factor, pts) in [("leading_role", "36"), ("industry_fit", "27")] {
        succeeded(on(
            db,
            who,
            &[
                "panel",
                C4,
                "--clause",
                "C4",
                "--project",
                C4_PROJECT,
                "--factor",
                factor,
                "--points",
                pts,
            ],
        ));
    }
}

fn certify(db: &Path, who: &str, value: &str) -> Output {
    on(
        db,
        who,
        &[
            "--json",
            "certify",
            C3,
            "--clause",
            "C3",
            "--project",
            "渝中政务大模型研发",
            "--field",
            "算力费用",
            "--value",
            value,
            "--reason",
            "按发票核定 / per the invoices",
        ],
    )
}

fn import(db: &Path, who: &str, file: &Path, ca: bool) -> Output {
    let ca_pem = common::ca_pem();
    let mut args = vec!["--json", "package", "import", s(file)];
    if ca {
        args.extend(["--ca", s(&ca_pem)]);
    }
    on(db, who, &args)
}

/// `package export --round 2026 [--to P…] -o FILE --json` as `who`.
fn export(db: &Path, who: &str, to: &[&Path], file: &Path) -> Output {
    let mut args = vec!["--json", "package", "export", "--round", "2026"];
    for p in to {
        args.extend(["--to", s(p)]);
    }
    args.extend(["-o", s(file)]);
    on(db, who, &args)
}

fn issue(db: &Path, code: &str, out: &Path) -> Output {
    let seal = common::seal();
    on(
        db,
        "王发文",
        &[
            "--json",
            "letter",
            "issue",
            code,
            "--seal",
            s(&seal),
            "--out",
            s(out),
        ],
    )
}

fn numbers(o: &Output) -> Vec<String> {
    json(o)["letters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|l| l["number"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn one_round_across_a_home_and_two_laptops() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home.db");
    let lap_a = dir.path().join("a.db");
    let lap_b = dir.path().join("b.db");
    let ca = common::ca_pem();

    // the home: its roster, the samples received inside the window, scored
    succeeded(on(&home, "管理员", &["roster", "init", "--ca", s(&ca)]));
    for (who, role) in [
        ("张审核", "reviewer"),
        ("钱评审", "reviewer"),
        ("孙评审", "reviewer"),
        ("李审批", "approver"),
        ("王发文", "register"),
    ] {
        let p = identity(who);
        succeeded(on(
            &home,
            "管理员",
            &["roster", "add", s(&p), "--role", role],
        ));
    }
    let folder = samples();
    let mut imp = vec!["--json", "import", s(&folder)];
    imp.extend(common::IN_WINDOW);
    let o = on(&home, "张审核", &imp);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    succeeded(on(&home, "张审核", &["score"]));

    // round packages for the two laptops' people
    let round_pkg = dir.path().join("round-2026.rdpkg");
    let (a, b) = (identity("钱评审"), identity("孙评审"));
    let o = succeeded(export(
        &home,
        "张审核",
        &[a.as_path(), b.as_path()],
        &round_pkg,
    ));
    let e = json(&o);
    assert_eq!(e["kind"], "round");
    assert!(e["changes"].as_u64().is_some_and(|n| n >= 6), "{e}");

    // a new laptop pins the bureau's CA on its first import
    let o = import(&lap_a, "钱评审", &round_pkg, false);
    assert_eq!(o.status.code(), Some(1), "no CA pinned yet");
    assert!(json(&o)["refused"].is_string());
    for (db, who) in [(&lap_a, "钱评审"), (&lap_b, "孙评审")] {
        let r = json(&succeeded(import(db, who, &round_pkg, true)));
        assert_eq!(r["kind"], "round");
        assert_eq!(r["from"]["holder"], "张审核");
        assert_eq!(r["refused"], Value::Null);
        assert!(r["applied"].as_u64().is_some_and(|n| n >= 6), "{r}");
        succeeded(on(db, who, &["score"]));
    }
    // a package not addressed to you is not opened
    let o = import(&lap_a, "李审批", &round_pkg, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["refused"]
        .as_str()
        .is_some_and(|w| w.contains("not addressed")));

    // laptop A's reviewer scores and proposes; the laptop does not issue
    panel(&lap_a, "钱评审");
    // … and overrules a rule of C1's project, in writing
    succeeded(on(
        &lap_a,
        "钱评审",
        &[
            "overrule",
            C1,
            "--clause",
            "C1",
            "--project",
            "渝中智算中心一期",
            "--rule",
            "late_filing",
            "--reason",
            "邮戳日期在申报期内",
        ],
    ));
    // laptop B's expert enters panel points and certifies a value
    panel(&lap_b, "孙评审");
    succeeded(certify(&lap_b, "孙评审", "4000000"));
    // meanwhile the home certifies the same value differently
    succeeded(certify(&home, "张审核", "3000000"));
    panel(&home, "张审核");

    let laptop_out = dir.path().join("laptop-letters");
    succeeded(on(&lap_a, "钱评审", &["score"]));
    let o = on(&lap_a, "钱评审", &["decide", "propose", C1]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = on(&lap_a, "李审批", &["decide", "approve", C1]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = issue(&lap_a, C1, &laptop_out);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["error"]["code"], "not_register_store");
    // nor does it publish the round's 公示 list (it would take a number)
    let seal = common::seal();
    let notice_pdf = dir.path().join("laptop-notice.pdf");
    let o = on(
        &lap_a,
        "王发文",
        &[
            "--json",
            "notice",
            "publish",
            "--round",
            "2026",
            "--from",
            "2026-09-28",
            "--seal",
            s(&seal),
            "-o",
            s(&notice_pdf),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["error"]["code"], "not_register_store");

    // both laptops send review packages to the home
    let pkg_a = dir.path().join("review-a.rdpkg");
    let pkg_b = dir.path().join("review-b.rdpkg");
    for (db, who, pkg) in [(&lap_a, "钱评审", &pkg_a), (&lap_b, "孙评审", &pkg_b)] {
        let e = json(&succeeded(export(db, who, &[], pkg)));
        assert_eq!(e["kind"], "review");
        assert!(e["changes"].as_u64().is_some_and(|n| n >= 2), "{e}");
    }

    // a tampered package is refused whole: nothing changes
    let tampered = dir.path().join("tampered.rdpkg");
    let mut bytes = std::fs::read(&pkg_a).expect("read");
    let n = bytes.len();
    bytes[n - 40] ^= 0x55;
    std::fs::write(&tampered, bytes).expect("write");
    let head_before = json(&on(&home, "张审核", &["--json", "audit", "head"]));
    let o = import(&home, "张审核", &tampered, false);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert!(r["refused"].is_string(), "{r}");
    assert_eq!(r["applied"], 0);
    assert_eq!(
        json(&on(&home, "张审核", &["--json", "audit", "head"])),
        head_before,
        "a refused package changes nothing"
    );

    // a package signed by someone not on the home's roster is refused
    let stranger = dir.path().join("stranger.rdpkg");
    succeeded(export(&lap_a, "外人", &[], &stranger));
    let o = import(&home, "张审核", &stranger, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        json(&o)["refused"]
            .as_str()
            .is_some_and(|w| w.contains("not on the roster")),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    let r = json(&succeeded(import(&home, "张审核", &pkg_a, false)));
    assert_eq!(r["kind"], "review");
    assert_eq!(r["from"]["holder"], "钱评审");
    assert_eq!(r["applied"], 3, "{r}");
    // the same package again changes nothing
    let again = json(&succeeded(import(&home, "张审核", &pkg_a, false)));
    assert_eq!(again["applied"], 0);
    // laptop B: its panel points applied, its certified value conflicts
    let r = json(&succeeded(import(&home, "张审核", &pkg_b, false)));
    assert_eq!(r["applied"], 2, "{r}");
    let conflicts = r["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{r}");
    assert!(conflicts[0]["ours"]
        .as_str()
        .is_some_and(|o| o.contains("3000000")));
    assert!(conflicts[0]["theirs"]
        .as_str()
        .is_some_and(|t| t.contains("4000000")));

    // a review package meant for the home is refused by a laptop (not its
    // home), and an older package from a laptop after a newer one
    let o = import(&lap_a, "张审核", &pkg_b, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["refused"].is_string());
    let (older, newer) = (dir.path().join("a2.rdpkg"), dir.path().join("a3.rdpkg"));
    for pkg in [&older, &newer] {
        succeeded(export(&lap_a, "钱评审", &[], pkg));
    }
    succeeded(import(&home, "张审核", &newer, false));
    let o = import(&home, "张审核", &older, false);
    assert_eq!(o.status.code(), Some(1), "out of order");
    let r = json(&o);
    assert!(
        r["refused"]
            .as_str()
            .is_some_and(|w| w.contains("out of order")),
        "{r}"
    );

    // a new round package brings laptop A's points to laptop B
    let round2 = dir.path().join("round-2026-2.rdpkg");
    succeeded(export(&home, "张审核", &[b.as_path()], &round2));
    let r = json(&succeeded(import(&lap_b, "孙评审", &round2, false)));
    assert!(r["applied"].as_u64().is_some_and(|n| n >= 4), "{r}");
    succeeded(on(&lap_b, "孙评审", &["score"]));
    let ev = json(&on(&lap_b, "孙评审", &["explain", C4, "--json"]));
    assert_eq!(ev["projects"][0]["award_yuan"], "450000.00", "{ev}");

    // three reviewers' points at the home: 36 + 27 + 27 = 90 → 450,000
    succeeded(on(&home, "张审核", &["score"]));
    let ev = json(&on(&home, "张审核", &["explain", C4, "--json"]));
    assert_eq!(ev["projects"][0]["award_yuan"], "450000.00", "{ev}");

    // the home's approver approves, the register office issues: 1..n
    let out = dir.path().join("letters");
    let mut all = Vec::new();
    for code in [C4, C1] {
        succeeded(on(&home, "张审核", &["decide", "propose", code]));
        succeeded(on(&home, "李审批", &["decide", "approve", code]));
        all.extend(numbers(&succeeded(issue(&home, code, &out))));
    }
    let expected: Vec<String> = (1..=all.len()).map(|i| format!("〔2026〕{i}号")).collect();
    for (got, want) in all.iter().zip(&expected) {
        assert!(got.ends_with(want.as_str()), "{all:?}");
    }
    assert!(!all.is_empty());

    // the merged home still verifies end to end
    succeeded(on(&home, "张审核", &["check"]));
    let v = succeeded(on(&home, "张审核", &["--json", "audit", "verify"]));
    assert_eq!(
        json(&v)["ok"],
        true,
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
}
