//! Decisions that are right in law, over the real binary on the demo's
//! store: every project gets its outcome in writing (an approval and, beside
//! it, a refusal with its true reason), every letter names the credit code
//! and the remedy, and an issued decision is amended (变更) or revoked (撤销)
//! by two people with a new letter that cites the old one, which then no
//! longer verifies.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The demo's applicant with a supported C3 project and a refused one.
const CODE: &str = "52500103MB1C9W4EX0";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_IDENTITY")
        .env("REVIEWDESK_PASSPHRASE", "decisions-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    c
}

/// `args` on the demo's store in `out`, as its test person `stem`.
fn as_(out: &Path, stem: &str, args: &[&str]) -> Output {
    let mut c = bin();
    common::act_as_demo(&mut c, out, stem);
    c.arg("--db")
        .arg(out.join("demo.db"))
        .args(args)
        .output()
        .expect("run")
}

fn ok(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    common::json(o)
}

fn text(pdf: &Path) -> String {
    common::pdf_text(pdf)
}

fn issue(out: &Path, dir: &Path) -> Output {
    let seal = out.join("people").join("测试-TEST-seal.p12");
    let seal = seal.to_str().expect("path");
    let dir = dir.to_str().expect("path");
    as_(
        out,
        "register",
        &[
            "--json", "letter", "issue", CODE, "--seal", seal, "--out", dir,
        ],
    )
}

/// `certify` the C3 project's 算力费用 as the reviewer.
fn certify(out: &Path, reason: &str) -> Output {
    as_(
        out,
        "reviewer",
        &[
            "--json",
            "certify",
            CODE,
            "--clause",
            "C3",
            "--project",
            "渝中政务大模型研发",
            "--field",
            "算力费用",
            "--value",
            "4000000",
            "--reason",
            reason,
        ],
    )
}

fn demo(dir: &Path) -> (PathBuf, Value) {
    let out = dir.join("demo");
    let o = bin()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    (out, ok(&o))
}

#[test]
fn a_refused_project_beside_a_supported_one_gets_its_own_letter() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, demo) = demo(dir.path());
    let mine: Vec<&Value> = demo["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["credit_code"] == CODE)
        .collect();
    let kinds: Vec<&str> = mine.iter().filter_map(|l| l["kind"].as_str()).collect();
    assert_eq!(kinds, ["approval", "refusal"], "{demo:#}");
    let (approval, refusal) = (mine[0], mine[1]);
    let (a_no, r_no) = (
        approval["number"].as_str().expect("number"),
        refusal["number"].as_str().expect("number"),
    );
    let a = text(Path::new(approval["path"].as_str().expect("path")));
    let r = text(Path::new(refusal["path"].as_str().expect("path")));
    for t in [&a, &r] {
        assert!(t.contains(&format!("统一社会信用代码：{CODE}")), "{t}");
        assert!(
            t.contains(
                "如不服本决定，可以自收到本决定书之日起六十日内向重庆市渝中区人民政府申请行政复议"
            ),
            "every decision states the remedy: {t}"
        );
        assert!(t.contains("六个月内依法向人民法院提起行政诉讼"), "{t}");
        // the 2026 guide has no policy number yet: a visible marker on a test letter
        assert!(t.contains("（文号待局方填写）"), "{t}");
    }
    // the true reason of the refused project, and each letter cites the other
    assert!(
        r.contains("“渝中政务大模型推理服务”项目（第三条（算力消纳））：不符合扶持条件"),
        "{r}"
    );
    assert!(r.contains("山城云算力平台不在清单内"), "{r}");
    assert!(
        r.contains(&format!("“渝中政务大模型研发”项目给予扶持，见{a_no}决定")),
        "{r}"
    );
    assert!(
        a.contains(&format!(
            "“渝中政务大模型推理服务”项目不予扶持，见{r_no}决定"
        )),
        "{a}"
    );
    // grouped amounts with their unit
    assert!(a.contains("人民币600,000.00元"), "{a}");
    assert!(a.contains("4,200,000.00元"), "{a}");
    assert!(!a.contains("4200000"), "{a}");
}

#[test]
fn an_issued_decision_is_amended_then_revoked_by_two_people_with_new_numbers() {
    let dir = tempfile::tempdir().expect("tmp");
    let (out, demo) = demo(dir.path());
    let old: Vec<String> = demo["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["credit_code"] == CODE)
        .filter_map(|l| l["number"].as_str().map(str::to_string))
        .collect();
    let old_path = demo["letters"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["credit_code"] == CODE))
        .and_then(|l| l["path"].as_str())
        .expect("path")
        .to_string();
    let letters = dir.path().join("issued");

    // no reason, nothing issued yet, the issued decision cannot be proposed again
    let bare = as_(
        &out,
        "reviewer",
        &["--json", "decide", "amend", CODE, "--reason", " "],
    );
    assert_eq!(common::refusal(&bare), (Some(1), "reason_required".into()));
    let again = as_(&out, "reviewer", &["--json", "decide", "propose", CODE]);
    assert_eq!(common::refusal(&again), (Some(1), "already_issued".into()));
    let frozen = certify(&out, "发票核减");
    assert_eq!(common::refusal(&frozen).1, "frozen");

    // 变更: proposed by the reviewer, approved by someone else, issued by the register office
    let d = ok(&as_(
        &out,
        "reviewer",
        &[
            "--json",
            "decide",
            "amend",
            CODE,
            "--reason",
            "算力费用录入错误，重新核定",
        ],
    ));
    assert_eq!(d["state"], "proposed");
    assert_eq!(d["change"]["kind"], "amendment");
    // while the amendment is proposed the value can be corrected, and
    // amending again takes the corrected figures
    let o = certify(&out, "以发票为准");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    ok(&as_(
        &out,
        "reviewer",
        &[
            "--json",
            "decide",
            "amend",
            CODE,
            "--reason",
            "算力费用录入错误，以发票为准重新核定",
        ],
    ));
    let same = as_(&out, "reviewer", &["--json", "decide", "approve", CODE]);
    assert_eq!(common::refusal(&same).0, Some(1), "four eyes");
    let d = ok(&as_(
        &out,
        "approver",
        &["--json", "decide", "approve", CODE],
    ));
    assert_eq!(d["state"], "approved");
    let issued = ok(&issue(&out, &letters));
    let list = issued["letters"].as_array().expect("letters");
    assert_eq!(list.len(), 1, "one amendment letter: {issued:#}");
    let amendment = &list[0];
    assert_eq!(amendment["kind"], "amendment");
    let new_no = amendment["number"].as_str().expect("number").to_string();
    assert!(!old.contains(&new_no), "a new number: {new_no} vs {old:?}");
    let outcomes: Vec<(&str, &str)> = amendment["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or(""),
                p["outcome"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("渝中政务大模型研发", "approved"),
            ("渝中政务大模型推理服务", "refused")
        ]
    );
    let t = text(Path::new(amendment["path"].as_str().expect("path")));
    for n in &old {
        assert!(t.contains(&format!("（{n}）")), "cites {n}: {t}");
    }
    assert!(
        t.contains("因算力费用录入错误，以发票为准重新核定，经重新审核，现决定予以变更"),
        "{t}"
    );
    assert!(t.contains("自本决定作出之日起不再执行"), "{t}");
    // the corrected value, certified while the amendment was proposed
    assert!(
        t.contains("算力消纳规模（权重40）［核定值］：4,000,000.00"),
        "{t}"
    );
    assert!(t.contains("如不服本决定"), "{t}");
    // issued once
    assert_eq!(
        common::refusal(&issue(&out, &letters)),
        (Some(1), "already_issued".into())
    );

    // the replaced letter no longer verifies; the register says by which
    let v = as_(&out, "register", &["--json", "verify", &old_path]);
    assert_eq!(v.status.code(), Some(1));
    let v = common::json(&v);
    assert!(
        v["reason"].as_str().is_some_and(|r| r.contains(&new_no)),
        "{v:#}"
    );
    let v = ok(&as_(
        &out,
        "register",
        &[
            "--json",
            "verify",
            amendment["path"].as_str().expect("path"),
        ],
    ));
    assert_eq!(v["valid"], true);

    // 撤销 the amended decision: its letter cites the amendment
    ok(&as_(
        &out,
        "reviewer",
        &[
            "--json",
            "decide",
            "revoke",
            CODE,
            "--reason",
            "经查申报材料弄虚作假",
        ],
    ));
    ok(&as_(
        &out,
        "approver",
        &["--json", "decide", "approve", CODE],
    ));
    let revoked = ok(&issue(&out, &letters));
    let r = &revoked["letters"][0];
    assert_eq!(r["kind"], "revocation");
    assert_eq!(r["amount_yuan"], "0.00");
    let t = text(Path::new(r["path"].as_str().expect("path")));
    assert!(t.contains(&format!("（{new_no}）")), "{t}");
    assert!(t.contains("现决定撤销上述决定"), "{t}");
    assert!(t.contains("已拨付的扶持资金，由本局依法予以追回"), "{t}");
    let gone = as_(
        &out,
        "reviewer",
        &["--json", "decide", "amend", CODE, "--reason", "再议"],
    );
    assert_eq!(common::refusal(&gone), (Some(1), "revoked".into()));
    // nothing decided twice, nothing lost: the chain holds
    ok(&as_(&out, "register", &["--json", "audit", "verify"]));
}
