//! One round, many laptops, over the real binary: a home store and two
//! laptops exchange round and review packages; only the home issues, its
//! numbers run without a gap, a conflicting change is reported and not
//! applied, a tampered package is refused whole and the home still
//! verifies.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{identity, json, run_on, succeeded, PASSWORD};
use reviewdesk_engine::exchange::envelope;
use reviewdesk_engine::people::Identity;
use serde_json::Value;

const PASS: &str = "exchange-store";
/// A C4 (AI+) applicant whose award waits for three panel scores.
const C4: &str = "91500103MA7HJ2LT5M";
const C4_PROJECT: &str = "AI+智慧物流调度";
/// A C3 applicant with a certifiable 算力费用.
const C3: &str = "52500103MB1C9W4EX0";
/// A C1 applicant, decided without panel scores.
const C1: &str = "91500103MA5U7K2P39";
/// A C2 applicant (two clauses), decided without panel scores.
const C2: &str = "91500103MA61QX3D6W";
/// An applicant registered outside Yuzhong (refused whole).
const NY: &str = "91500105MA5XR8N1XJ";

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

fn decide(db: &Path, who: &str, verb: &str, code: &str) -> Output {
    let mut args = vec!["--json", "decide", verb, code];
    if verb == "return" {
        args.extend(["--comment", "请复核 / please check again"]);
    }
    on(db, who, &args)
}

fn head(db: &Path) -> Value {
    json(&on(db, "张审核", &["--json", "audit", "head"]))
}

/// `file` imported on `db` is refused (exit 1) for a reason containing
/// `why`, and the store is unchanged and still checks and verifies.
fn refused_whole(db: &Path, file: &Path, why: &str) {
    let before = head(db);
    let o = import(db, "张审核", file, false);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let r = json(&o);
    assert_eq!(r["applied"], 0, "{r}");
    assert!(
        r["refused"].as_str().is_some_and(|w| w.contains(why)),
        "wanted “{why}”: {r}"
    );
    assert_eq!(head(db), before, "a refused package changes nothing");
    succeeded(on(db, "张审核", &["check"]));
    let v = json(&succeeded(on(db, "张审核", &["--json", "audit", "verify"])));
    assert_eq!(v["ok"], true, "{v}");
}

/// A package as `sender` would seal it, its payload changed by `edit`:
/// opened with the recipient's key, edited and sealed again (signed by the
/// sender's real certificate, so only the content tells).
fn resealed(pkg: &Path, recipient: &str, sender: &str, edit: impl Fn(&mut Value)) -> Vec<u8> {
    let to = Identity::open(&identity(recipient).display().to_string(), PASSWORD).expect("id");
    let key = reviewdesk_engine::letters::import_pkcs12(
        &std::fs::read(identity(recipient)).expect("p12"),
        PASSWORD,
    )
    .expect("p12")
    .private_key()
    .expect("key");
    let opened =
        envelope::open(&std::fs::read(pkg).expect("pkg"), to.certificate(), &key).expect("open");
    let mut payload: Value = serde_json::from_slice(&opened.payload).expect("json");
    edit(&mut payload);
    let by = Identity::open(&identity(sender).display().to_string(), PASSWORD).expect("id");
    envelope::seal(
        &serde_json::to_vec(&payload).expect("json"),
        by.signer(),
        &[to.certificate().clone()],
    )
    .expect("seal")
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
        ("赵离职", "reviewer"),
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
    // proposals made at home before the round goes out
    for code in [C2, C3, NY] {
        succeeded(decide(&home, "张审核", "propose", code));
    }

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
    assert!(e["changes"].as_u64().is_some_and(|n| n >= 9), "{e}");

    // a new laptop pins the bureau's CA on its first import
    let o = import(&lap_a, "钱评审", &round_pkg, false);
    assert_eq!(o.status.code(), Some(1), "no CA pinned yet");
    assert!(json(&o)["refused"].is_string());
    for (db, who) in [(&lap_a, "钱评审"), (&lap_b, "孙评审")] {
        let r = json(&succeeded(import(db, who, &round_pkg, true)));
        assert_eq!(r["kind"], "round");
        assert_eq!(r["from"]["holder"], "张审核");
        assert_eq!(r["refused"], Value::Null);
        assert!(r["applied"].as_u64().is_some_and(|n| n >= 9), "{r}");
        assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");
        succeeded(on(db, who, &["score"]));
    }
    // a package not addressed to you is not opened
    let o = import(&lap_a, "李审批", &round_pkg, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["refused"]
        .as_str()
        .is_some_and(|w| w.contains("not addressed")));

    // laptop A's reviewer scores and proposes
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
    succeeded(on(&lap_a, "钱评审", &["score"]));
    succeeded(decide(&lap_a, "钱评审", "propose", C1));
    // on laptop A the approver returns the home's C3 proposal and the
    // reviewer proposes it again; the approver approves the home's NY
    succeeded(decide(&lap_a, "李审批", "return", C3));
    succeeded(decide(&lap_a, "钱评审", "propose", C3));
    succeeded(decide(&lap_a, "李审批", "approve", NY));

    // laptop B's expert enters panel points and certifies a value; its
    // approver approves the home's C2 proposal and returns C3
    panel(&lap_b, "孙评审");
    succeeded(certify(&lap_b, "孙评审", "4000000"));
    succeeded(decide(&lap_b, "李审批", "approve", C2));
    succeeded(decide(&lap_b, "李审批", "return", C3));
    // a laptop does not issue, even an approved decision
    let laptop_out = dir.path().join("laptop-letters");
    let o = issue(&lap_b, C2, &laptop_out);
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

    // meanwhile at home: the same value certified differently, the
    // home's own points, and NY returned and proposed again
    succeeded(certify(&home, "张审核", "3000000"));
    panel(&home, "张审核");
    succeeded(decide(&home, "李审批", "return", NY));
    succeeded(decide(&home, "张审核", "propose", NY));

    // both laptops send review packages to the home
    let pkg_a = dir.path().join("review-a.rdpkg");
    let pkg_b = dir.path().join("review-b.rdpkg");
    for (db, who, pkg) in [(&lap_a, "钱评审", &pkg_a), (&lap_b, "孙评审", &pkg_b)] {
        let e = json(&succeeded(export(db, who, &[], pkg)));
        assert_eq!(e["kind"], "review");
        assert!(e["changes"].as_u64().is_some_and(|n| n >= 4), "{e}");
    }

    // bad packages are refused whole, the home unchanged and verifying:
    // one byte flipped …
    let bytes = std::fs::read(&pkg_a).expect("read");
    let flipped = dir.path().join("flipped.rdpkg");
    let mut f = bytes.clone();
    let n = f.len();
    f[n - 40] ^= 0x55;
    std::fs::write(&flipped, f).expect("write");
    refused_whole(&home, &flipped, "");
    // … cut short …
    let truncated = dir.path().join("truncated.rdpkg");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    refused_whole(&home, &truncated, "");
    // … built by a newer schema (signed by its real sender) …
    let newer_schema = dir.path().join("newer-schema.rdpkg");
    let b2 = resealed(&pkg_a, "张审核", "钱评审", |p| {
        p["schema"] = serde_json::json!(p["schema"].as_i64().unwrap_or(0) + 1)
    });
    std::fs::write(&newer_schema, b2).expect("write");
    refused_whole(&home, &newer_schema, "newer schema");
    // … one act's points changed after its author signed it …
    let forged = dir.path().join("forged.rdpkg");
    let b3 = resealed(&pkg_a, "张审核", "钱评审", |p| {
        let d = p["acts"][0]["detail"]
            .as_str()
            .unwrap_or_default()
            .replace("36", "40");
        p["acts"][0]["detail"] = Value::String(d);
    });
    std::fs::write(&forged, b3).expect("write");
    refused_whole(&home, &forged, "valid signature");
    // … signed by someone not on the home's roster …
    let stranger = dir.path().join("stranger.rdpkg");
    succeeded(export(&lap_a, "外人", &[], &stranger));
    refused_whole(&home, &stranger, "not on the roster");
    // … and signed by a person the home has since taken off its roster
    let left = dir.path().join("left.rdpkg");
    succeeded(export(&lap_a, "赵离职", &[], &left));
    let zhao = identity("赵离职");
    succeeded(on(&home, "管理员", &["roster", "remove", s(&zhao)]));
    refused_whole(&home, &left, "not on the roster");

    // laptop A: its points, overrule and proposal applied, its return of
    // C3 and new proposal applied; its approval of the NY proposal the
    // home has since returned and proposed again is a conflict
    let r = json(&succeeded(import(&home, "张审核", &pkg_a, false)));
    assert_eq!(r["kind"], "review");
    assert_eq!(r["from"]["holder"], "钱评审");
    assert_eq!(r["applied"], 6, "{r}");
    let conflicts = r["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{r}");
    assert!(
        conflicts[0]["what"]
            .as_str()
            .is_some_and(|w| w.contains(NY)),
        "{r}"
    );
    assert!(
        conflicts[0]["ours"]
            .as_str()
            .is_some_and(|o| o.contains("proposed")),
        "{r}"
    );
    assert!(
        conflicts[0]["theirs"]
            .as_str()
            .is_some_and(|t| t.contains("李审批")),
        "{r}"
    );
    let ny = json(&succeeded(on(&home, "张审核", &["--json", "show", NY])));
    assert!(
        !ny.to_string().contains("\"approved\""),
        "not applied: {ny}"
    );
    // the same package again changes nothing
    let again = json(&succeeded(import(&home, "张审核", &pkg_a, false)));
    assert_eq!(again["applied"], 0);
    // laptop B: its panel points and its approval of C2 applied; its
    // certified value and its return of C3 (proposed again on laptop A)
    // are conflicts, shown and not applied
    let r = json(&succeeded(import(&home, "张审核", &pkg_b, false)));
    assert_eq!(r["applied"], 3, "{r}");
    let conflicts = r["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 2, "{r}");
    let value = conflicts
        .iter()
        .find(|c| c["what"].as_str().is_some_and(|w| w.contains("certified")))
        .expect("value conflict");
    assert!(value["ours"]
        .as_str()
        .is_some_and(|o| o.contains("3000000")));
    assert!(value["theirs"]
        .as_str()
        .is_some_and(|t| t.contains("4000000")));
    let ret = conflicts
        .iter()
        .find(|c| c["what"].as_str().is_some_and(|w| w.contains("return")))
        .expect("return conflict");
    assert!(
        ret["ours"].as_str().is_some_and(|o| o.contains("钱评审")),
        "{r}"
    );
    assert!(
        ret["theirs"].as_str().is_some_and(|t| t.contains("return")),
        "{r}"
    );

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
    refused_whole(&home, &older, "out of order");

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

    // four-eyes across stores: laptop A's reviewer proposed C1 and cannot
    // approve it at home either (not an approver); the home's approver does
    succeeded(decide(&home, "张审核", "propose", C4));
    for code in [C1, C3, C4, NY] {
        succeeded(decide(&home, "李审批", "approve", code));
    }
    let all = numbers(&succeeded(issue_all(&home, &dir.path().join("letters"))));
    // C1, C2, C3, C4, NY: at least one letter each; numbers 1..n
    assert!(all.len() >= 5, "{all:?}");
    let mut got: Vec<u32> = all.iter().map(|n| seq_of(n)).collect();
    got.sort();
    let expected: Vec<u32> = (1..=all.len() as u32).collect();
    assert_eq!(got, expected, "no gap, no duplicate: {all:?}");

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

/// The home's roster and the samples, received and scored.
fn home_store(home: &Path) {
    let ca = common::ca_pem();
    succeeded(on(home, "管理员", &["roster", "init", "--ca", s(&ca)]));
    for (who, role) in [
        ("张审核", "reviewer"),
        ("钱评审", "reviewer"),
        ("李审批", "approver"),
        ("王发文", "register"),
    ] {
        let p = identity(who);
        succeeded(on(
            home,
            "管理员",
            &["roster", "add", s(&p), "--role", role],
        ));
    }
    let folder = samples();
    let mut imp = vec!["--json", "import", s(&folder)];
    imp.extend(common::IN_WINDOW);
    let o = on(home, "张审核", &imp);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    succeeded(on(home, "张审核", &["score"]));
}

fn issue_all(db: &Path, out: &Path) -> Output {
    let seal = common::seal();
    on(
        db,
        "王发文",
        &[
            "--json",
            "letter",
            "issue",
            "--all",
            "--seal",
            s(&seal),
            "--out",
            s(out),
        ],
    )
}

fn seq_of(number: &str) -> u32 {
    number
        .rsplit('〕')
        .next()
        .and_then(|t| t.trim_end_matches('号').parse().ok())
        .unwrap_or_default()
}

#[test]
fn the_home_is_handed_over_and_the_old_store_stops_issuing() {
    let dir = tempfile::tempdir().expect("tmp");
    let (home, laptop) = (dir.path().join("home.db"), dir.path().join("laptop.db"));
    home_store(&home);
    // the home issues C1's letters first
    succeeded(decide(&home, "张审核", "propose", C1));
    succeeded(decide(&home, "李审批", "approve", C1));
    let issued_first = succeeded(issue_all(&home, &dir.path().join("l1")));
    let first = numbers(&issued_first);
    assert!(!first.is_empty());
    let first_path = letters_of(&issued_first)[0]["path"]
        .as_str()
        .expect("path")
        .to_string();
    succeeded(decide(&home, "张审核", "propose", C2));

    // only the register office or an administrator hands the home over
    let pkg = dir.path().join("handover.rdpkg");
    let qian = identity("钱评审");
    let args = [
        "--json",
        "package",
        "handover",
        "--round",
        "2026",
        "--to",
        s(&qian),
        "-o",
        s(&pkg),
    ];
    let o = on(&home, "张审核", &args);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["error"]["code"], "not_allowed");
    let h = json(&succeeded(on(&home, "王发文", &args)));
    assert_eq!(h["kind"], "handover", "{h}");
    assert!(h["changes"].as_u64().is_some_and(|n| n >= 6), "{h}");

    // the old home issues nothing more, and cannot hand over again
    succeeded(decide(&home, "李审批", "approve", C2));
    let o = issue_all(&home, &dir.path().join("l2"));
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["error"]["code"], "not_register_store");
    let o = on(&home, "王发文", &args);
    assert_eq!(json(&o)["error"]["code"], "not_register_store");

    // a tampered hand-over is refused whole: the laptop stays as it was
    let tampered = dir.path().join("tampered.rdpkg");
    let mut t = std::fs::read(&pkg).expect("read");
    let n = t.len();
    t[n / 2] ^= 0x55;
    std::fs::write(&tampered, t).expect("write");
    let o = import(&laptop, "钱评审", &tampered, true);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(json(&o)["refused"].is_string(), "{}", json(&o));
    let o = on(&laptop, "钱评审", &["--json", "letter", "list"]);
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains(&first[0]),
        "nothing taken: {o:?}"
    );

    // the laptop takes the home over: the register continues above the
    // old home's numbers, and what it issued is not issued again
    let r = json(&succeeded(import(&laptop, "钱评审", &pkg, true)));
    assert_eq!(r["kind"], "handover", "{r}");
    assert_eq!(r["refused"], Value::Null, "{r}");
    // the same package again changes nothing
    assert_eq!(
        json(&succeeded(import(&laptop, "钱评审", &pkg, false)))["applied"],
        0
    );
    succeeded(on(&laptop, "钱评审", &["score"]));
    succeeded(decide(&laptop, "李审批", "approve", C2));
    let next = numbers(&succeeded(issue_all(&laptop, &dir.path().join("l3"))));
    assert!(!next.is_empty());
    let mut all: Vec<u32> = first.iter().chain(&next).map(|n| seq_of(n)).collect();
    all.sort();
    assert_eq!(
        all,
        (1..=all.len() as u32).collect::<Vec<_>>(),
        "{first:?} {next:?}"
    );
    assert!(
        next.iter().all(|n| seq_of(n) > first.len() as u32),
        "{next:?}"
    );
    // the register moved with the home: the old home's letters are listed,
    // verify in the new home's register, and can be amended there
    let list = String::from_utf8_lossy(
        &succeeded(on(&laptop, "钱评审", &["--json", "letter", "list"])).stdout,
    )
    .to_string();
    for n in first.iter().chain(&next) {
        assert!(list.contains(n.as_str()), "{n} listed: {list}");
    }
    let v = json(&succeeded(on(
        &laptop,
        "钱评审",
        &["--json", "verify", &first_path],
    )));
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["in_register"], true, "{v}");
    succeeded(change(&laptop, "钱评审", "amend", C1));
    succeeded(decide(&laptop, "李审批", "approve", C1));
    let amended = letters_of(&succeeded(issue(&laptop, C1, &dir.path().join("l4"))));
    assert_eq!(amended.len(), 1, "{amended:?}");
    assert_eq!(amended[0]["kind"], "amendment", "{amended:?}");
    let number = amended[0]["number"].as_str().expect("number");
    assert_eq!(
        seq_of(number) as usize,
        first.len() + next.len() + 1,
        "the next number: {number}"
    );
    let t = common::pdf_text(Path::new(amended[0]["path"].as_str().expect("path")));
    assert!(t.contains(first[0].as_str()), "cites {}: {t}", first[0]);
    let v = on(&laptop, "钱评审", &["--json", "verify", &first_path]);
    assert_eq!(v.status.code(), Some(1), "replaced: {v:?}");

    // audited on both sides; both chains verify
    for (db, action) in [(&home, "exchange.handover"), (&laptop, "exchange.apply")] {
        let v = json(&succeeded(on(db, "张审核", &["--json", "audit", "verify"])));
        assert_eq!(v["ok"], true, "{v}");
        succeeded(on(db, "张审核", &["check"]));
        let store = reviewdesk_engine::store::unlock(
            db,
            &reviewdesk_engine::store::Secret::passphrase(PASS),
        )
        .expect("unlock")
        .store;
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit WHERE action = ?1 AND actor_fp IS NOT NULL",
                [action],
                |r| r.get(0),
            )
            .expect("audit");
        assert!(n >= 1, "{action}: a signed entry on {}", db.display());
    }
}

fn change(db: &Path, who: &str, verb: &str, code: &str) -> Output {
    on(
        db,
        who,
        &[
            "--json",
            "decide",
            verb,
            code,
            "--reason",
            "复核后更正 / corrected on review",
        ],
    )
}

fn letters_of(o: &Output) -> Vec<Value> {
    json(o)["letters"].as_array().cloned().unwrap_or_default()
}

#[test]
fn an_amendment_proposed_on_one_laptop_and_approved_on_another_is_issued_at_home() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home.db");
    let (lap_a, lap_b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    home_store(&home);
    succeeded(on(
        &home,
        "管理员",
        &[
            "roster",
            "add",
            s(&identity("孙评审")),
            "--role",
            "reviewer",
        ],
    ));
    // the home decides and issues C1 and C2
    for code in [C1, C2] {
        succeeded(decide(&home, "张审核", "propose", code));
        succeeded(decide(&home, "李审批", "approve", code));
    }
    let old = letters_of(&succeeded(issue_all(&home, &dir.path().join("l1"))));
    let old_c1: Vec<String> = old
        .iter()
        .filter(|l| l["credit_code"] == C1)
        .filter_map(|l| l["number"].as_str().map(str::to_string))
        .collect();
    assert!(!old_c1.is_empty(), "{old:?}");

    // the round goes out with the decisions issued
    let (a, b) = (identity("钱评审"), identity("孙评审"));
    let round = dir.path().join("round.rdpkg");
    succeeded(export(&home, "张审核", &[a.as_path(), b.as_path()], &round));
    for (db, who) in [(&lap_a, "钱评审"), (&lap_b, "孙评审")] {
        let r = json(&succeeded(import(db, who, &round, true)));
        assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");
        succeeded(on(db, who, &["score"]));
    }
    // laptop A proposes C1's amendment and C2's revocation; meanwhile the
    // home itself proposes an amendment of C2
    succeeded(change(&lap_a, "钱评审", "amend", C1));
    succeeded(change(&lap_a, "钱评审", "revoke", C2));
    succeeded(change(&home, "张审核", "amend", C2));
    let pkg_a = dir.path().join("a.rdpkg");
    succeeded(export(&lap_a, "钱评审", &[], &pkg_a));
    let r = json(&succeeded(import(&home, "张审核", &pkg_a, false)));
    assert_eq!(r["applied"], 1, "{r}");
    let conflicts = r["conflicts"].as_array().cloned().unwrap_or_default();
    assert_eq!(conflicts.len(), 1, "{r}");
    assert!(
        conflicts[0]["what"]
            .as_str()
            .is_some_and(|w| w.contains("open change") && w.contains(C2)),
        "{r}"
    );

    // laptop B gets the amendment by the next round package and approves it
    let round2 = dir.path().join("round2.rdpkg");
    succeeded(export(&home, "张审核", &[b.as_path()], &round2));
    let r = json(&succeeded(import(&lap_b, "孙评审", &round2, false)));
    assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");
    // its proposer cannot approve it on laptop B either (not an approver)
    succeeded(decide(&lap_b, "李审批", "approve", C1));
    let pkg_b = dir.path().join("b.rdpkg");
    succeeded(export(&lap_b, "孙评审", &[], &pkg_b));
    let r = json(&succeeded(import(&home, "张审核", &pkg_b, false)));
    assert_eq!(r["applied"], 1, "{r}");
    assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");

    // the home issues the amendment: a new number citing the old letter
    let new = letters_of(&succeeded(issue(&home, C1, &dir.path().join("l2"))));
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["kind"], "amendment", "{new:?}");
    let number = new[0]["number"].as_str().expect("number").to_string();
    assert!(seq_of(&number) > old.len() as u32, "{number} after {old:?}");
    let path = new[0]["path"].as_str().expect("path").to_string();
    let t = common::pdf_text(Path::new(&path));
    assert!(t.contains(&number), "{t}");
    for n in &old_c1 {
        assert!(t.contains(n.as_str()), "cites {n}: {t}");
    }
    let v = json(&succeeded(on(
        &home,
        "王发文",
        &["--json", "verify", &path],
    )));
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["in_register"], true, "{v}");
    let v = json(&succeeded(on(
        &home,
        "张审核",
        &["--json", "audit", "verify"],
    )));
    assert_eq!(v["ok"], true, "{v}");
}

#[test]
fn a_proposal_under_the_homes_edited_guide_applies_on_the_laptop() {
    let dir = tempfile::tempdir().expect("tmp");
    let (home, laptop) = (dir.path().join("home.db"), dir.path().join("laptop.db"));
    home_store(&home);
    // the home binds the round to the bureau's edited copy of the guide
    // (a version the laptop's program does not ship) and proposes under it
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/guides/2026.toml"),
    )
    .expect("guide");
    let edited = shipped.replacen('\n', "\n# 局方修订稿 / the bureau's edited copy\n", 1);
    let file = dir.path().join("guide.toml");
    std::fs::write(&file, &edited).expect("write");
    succeeded(on(
        &home,
        "管理员",
        &["guide", "use", "--round", "2026", s(&file)],
    ));
    succeeded(on(&home, "张审核", &["score"]));
    succeeded(decide(&home, "张审核", "propose", C2));
    let pkg = dir.path().join("round.rdpkg");
    succeeded(export(
        &home,
        "张审核",
        &[identity("钱评审").as_path()],
        &pkg,
    ));
    let r = json(&succeeded(import(&laptop, "钱评审", &pkg, true)));
    assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");
    // the proposal is on the laptop, and its approver can approve it there
    let d = json(&succeeded(decide(&laptop, "李审批", "approve", C2)));
    assert!(d.to_string().contains("\"approved\""), "{d}");
}
