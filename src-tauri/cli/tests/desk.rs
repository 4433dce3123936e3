//! The reviewer's desk over the real binary (issue 17): the lead assigns
//! applications (or a clause) to reviewers on the roster, each person's
//! progress follows their panel points, the comparison shows the spread of
//! the reviewers' points against the guide's threshold, independent
//! scoring hides the others' points until one's own are in, and internal
//! notes and labels are kept and audited.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// 04: one C4 project scored by the panel (leading_role 0–40, industry_fit 0–30).
const C4: &str = "91500103MA7HJ2LT5M";
const C4_PROJECT: &str = "AI+智慧物流调度";
/// 01: C1 only, no panel factor.
const C1: &str = "91500103MA5U7K2P39";
const PASS: &str = "desk-test";

const ADMIN: &str = "管理员";
const ZHANG: &str = "张审核";
const QIAN: &str = "钱评审";
const APPROVER: &str = "李审批";

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

/// A store with a roster (an administrator, two reviewers, an approver),
/// the samples imported and scored; `guide_edit` applied to the 2026 guide
/// first when given.
fn store(dir: &Path, guide_edit: Option<(&str, &str)>) -> PathBuf {
    let db = dir.join("desk.db");
    ok(run(
        &db,
        ADMIN,
        &["roster", "init", "--ca", s(&common::ca_pem()), "--json"],
    ));
    for (who, role) in [
        (ZHANG, "reviewer"),
        (QIAN, "reviewer"),
        (APPROVER, "approver"),
    ] {
        let p = common::identity(who);
        common::succeeded(run(&db, ADMIN, &["roster", "add", s(&p), "--role", role]));
    }
    let samples = assets().join("samples");
    let mut import = vec!["import", s(&samples)];
    import.extend(common::IN_WINDOW);
    let o = run(&db, ZHANG, &import);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    if let Some((from, to)) = guide_edit {
        let guide = std::fs::read_to_string(assets().join("guides/2026.toml")).expect("guide");
        let edited = guide.replacen(from, to, 1);
        assert_ne!(guide, edited);
        let file = dir.join("guide.toml");
        std::fs::write(&file, edited).expect("write guide");
        common::succeeded(run(
            &db,
            ADMIN,
            &["guide", "use", "--round", "2026", s(&file)],
        ));
    }
    common::succeeded(run(&db, ZHANG, &["score", "--round", "2026"]));
    db
}

fn panel(db: &Path, who: &str, factor: &str, points: &str) {
    common::succeeded(run(
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
            points,
        ],
    ));
}

fn fingerprint(db: &Path, holder: &str) -> String {
    let roster = ok(run(db, ADMIN, &["roster", "list", "--json"]));
    let people = roster
        .as_array()
        .or_else(|| roster["people"].as_array())
        .cloned()
        .unwrap_or_default();
    people
        .iter()
        .find(|p| p["holder"] == holder)
        .and_then(|p| p["fingerprint"].as_str())
        .unwrap_or_else(|| panic!("{holder} not on the roster: {roster:#}"))
        .to_string()
}

fn person<'a>(a: &'a Value, holder: &str) -> &'a Value {
    a["people"]
        .as_array()
        .and_then(|p| p.iter().find(|x| x["holder"] == holder))
        .unwrap_or_else(|| panic!("{holder} has no assignments: {a:#}"))
}

#[test]
fn the_lead_assigns_each_reviewer_sees_their_progress_and_the_spread() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store(dir.path(), None);

    // Only the lead assigns: a reviewer is refused by code, exit 1.
    let o = run(
        &db,
        ZHANG,
        &["--json", "assign", "--round", "2026", C4, "--to", ZHANG],
    );
    assert_eq!(common::refusal(&o), (Some(1), "not_lead".into()));

    // The administrator assigns two applications to 张审核 by name, and
    // the C4 clause of one to 钱评审 by certificate fingerprint (colons and
    // capitals as a certificate viewer shows it).
    let a = ok(run(
        &db,
        ADMIN,
        &["--json", "assign", "--round", "2026", C4, C1, "--to", ZHANG],
    ));
    assert_eq!(a["assignments"].as_array().map(Vec::len), Some(2), "{a:#}");
    let fp = fingerprint(&db, QIAN);
    let shown: String = fp
        .to_ascii_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(":");
    ok(run(
        &db,
        ADMIN,
        &[
            "--json", "assign", "--round", "2026", C4, "--to", &shown, "--clause", "C4",
        ],
    ));
    // The same again changes nothing.
    ok(run(
        &db,
        ADMIN,
        &["--json", "assign", "--round", "2026", C4, "--to", ZHANG],
    ));

    // Refusals name what is wrong, and nothing of the call is kept.
    let o = run(
        &db,
        ADMIN,
        &[
            "--json",
            "assign",
            "--round",
            "2026",
            C1,
            "91500103MA00000000",
            "--to",
            QIAN,
        ],
    );
    assert_eq!(common::refusal(&o), (Some(1), "unknown_application".into()));
    let o = run(
        &db,
        ADMIN,
        &["--json", "assign", "--round", "2026", C1, "--to", APPROVER],
    );
    assert_eq!(common::refusal(&o), (Some(1), "not_reviewer".into()));
    let o = run(
        &db,
        ADMIN,
        &["--json", "assign", "--round", "2026", C1, "--to", "赵无名"],
    );
    assert_eq!(common::refusal(&o), (Some(1), "unknown_person".into()));
    let o = run(
        &db,
        ADMIN,
        &[
            "--json", "assign", "--round", "2026", C1, "--to", QIAN, "--clause", "C4",
        ],
    );
    assert_eq!(common::refusal(&o), (Some(1), "no_such_clause".into()));

    let a = ok(run(
        &db,
        ZHANG,
        &["--json", "assignments", "--round", "2026"],
    ));
    assert_eq!(a["independent"], false);
    let zhang = person(&a, ZHANG);
    // C1 has nothing for the panel: done; C4 waits for two points.
    assert_eq!(
        (zhang["assigned"].as_u64(), zhang["done"].as_u64()),
        (Some(2), Some(1)),
        "{a:#}"
    );
    let qian = person(&a, QIAN);
    assert_eq!(
        (qian["assigned"].as_u64(), qian["done"].as_u64()),
        (Some(1), Some(0)),
        "{a:#}"
    );
    assert_eq!(qian["fingerprint"], fp.as_str());
    let rows = a["assignments"].as_array().cloned().unwrap_or_default();
    assert!(rows
        .iter()
        .any(|r| r["holder"] == QIAN && r["clause"] == "C4" && r["needed"] == 2));
    assert!(rows
        .iter()
        .any(|r| r["holder"] == ZHANG && r["credit_code"] == C1 && r["clause"].is_null()));
    // The plain text says it as a reviewer reads it.
    let text =
        String::from_utf8_lossy(&common::succeeded(run(&db, ZHANG, &["assignments"])).stdout)
            .into_owned();
    assert!(text.contains("1 / 2 评完"), "{text}");

    // Half of 钱评审's work, then all of both.
    panel(&db, QIAN, "leading_role", "10");
    let a = ok(run(&db, ZHANG, &["--json", "assignments"]));
    let row = a["assignments"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["holder"] == QIAN).cloned());
    assert_eq!(
        row.map(|r| (r["given"].clone(), r["done"].clone())),
        Some((1.into(), false.into()))
    );
    panel(&db, QIAN, "industry_fit", "5");
    panel(&db, ZHANG, "leading_role", "36");
    panel(&db, ZHANG, "industry_fit", "27");
    let a = ok(run(&db, ZHANG, &["--json", "assignments"]));
    assert_eq!(person(&a, ZHANG)["done"], 2);
    assert_eq!(person(&a, QIAN)["done"], 1);

    // The comparison: 36 + 27 = 63 against 10 + 5 = 15, a spread of 48
    // above the guide's threshold of 20.
    let c = ok(run(&db, ZHANG, &["--json", "compare", "--round", "2026"]));
    assert_eq!(c["threshold"], "20");
    let p = &c["projects"][0];
    assert_eq!(
        (p["credit_code"].as_str(), p["clause"].as_str()),
        (Some(C4), Some("C4")),
        "{c:#}"
    );
    assert_eq!(p["spread"], "48");
    assert_eq!(p["over_threshold"], true);
    let totals: Vec<(String, String)> = p["reviewers"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|x| {
                    (
                        x["reviewer"].as_str().unwrap_or("").into(),
                        x["total"].as_str().unwrap_or("").into(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        totals,
        vec![
            (ZHANG.to_string(), "63".to_string()),
            (QIAN.to_string(), "15".to_string())
        ]
    );
    let text = String::from_utf8_lossy(&common::succeeded(run(&db, ZHANG, &["compare"])).stdout)
        .into_owned();
    assert!(text.starts_with('!') && text.contains("极差 48"), "{text}");

    // Each assignment is a signed act in the application's 审计记录.
    let show = ok(run(&db, ZHANG, &["--json", "show", C4]));
    let assigned: Vec<&Value> = show["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter(|e| e["action"] == "review.assign")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(assigned.len(), 2, "{:#}", show["history"]);
    assert!(assigned.iter().all(|e| e["actor"] == ADMIN));
}

#[test]
fn independent_scoring_hides_the_others_points_until_ones_own_are_in() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store(
        dir.path(),
        Some(("independent = false", "independent = true")),
    );
    panel(&db, ZHANG, "leading_role", "36");
    panel(&db, ZHANG, "industry_fit", "27");

    // 钱评审 has given nothing: 张审核's points are not shown to them.
    let ev = ok(run(&db, QIAN, &["--json", "explain", C4]));
    let f = &ev["projects"][0]["factors"];
    let leading = f
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == "leading_role"))
        .cloned()
        .unwrap_or_default();
    assert!(leading.get("panel").is_none(), "{leading:#}");
    assert_eq!(leading["points"], Value::Null);
    assert_eq!(ev["projects"][0]["award_yuan"], Value::Null);
    // 张审核 sees their own.
    let ev = ok(run(&db, ZHANG, &["--json", "explain", C4]));
    assert!(ev.to_string().contains(&format!("{ZHANG} 36")), "{ev:#}");

    // Once 钱评审 has scored, they see both.
    panel(&db, QIAN, "leading_role", "30");
    panel(&db, QIAN, "industry_fit", "20");
    let ev = ok(run(&db, QIAN, &["--json", "explain", C4]));
    let s = ev.to_string();
    assert!(
        s.contains(&format!("{ZHANG} 36")) && s.contains(&format!("{QIAN} 30")),
        "{ev:#}"
    );
    let a = ok(run(&db, QIAN, &["--json", "assignments"]));
    assert_eq!(a["independent"], true);
}

#[test]
fn notes_and_labels_are_kept_audited_and_shown() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = store(dir.path(), None);
    ok(run(
        &db,
        ZHANG,
        &[
            "--json",
            "note",
            "add",
            C4,
            "--text",
            "场景投资发票待核对原件",
        ],
    ));
    ok(run(
        &db,
        QIAN,
        &["--json", "note", "add", C4, "--text", "已电话确认"],
    ));
    ok(run(
        &db,
        ZHANG,
        &["--json", "label", "set", C4, "--label", "重点关注"],
    ));
    let l = ok(run(
        &db,
        ZHANG,
        &["--json", "label", "set", C4, "--label", "待补材料"],
    ));
    assert_eq!(l["labels"], serde_json::json!(["待补材料", "重点关注"]));
    // The same label again records nothing.
    ok(run(
        &db,
        ZHANG,
        &["--json", "label", "set", C4, "--label", "重点关注"],
    ));

    let show = ok(run(&db, ZHANG, &["--json", "show", C4]));
    let notes: Vec<(String, String)> = show["notes"]
        .as_array()
        .map(|n| {
            n.iter()
                .map(|x| {
                    (
                        x["by"].as_str().unwrap_or("").into(),
                        x["text"].as_str().unwrap_or("").into(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        notes,
        vec![
            (ZHANG.into(), "场景投资发票待核对原件".into()),
            (QIAN.into(), "已电话确认".into())
        ]
    );
    assert_eq!(show["labels"], serde_json::json!(["待补材料", "重点关注"]));
    let actions: Vec<&str> = show["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|e| e["action"].as_str())
                .filter(|a| a.starts_with("note.") || a.starts_with("label."))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(actions.iter().filter(|a| **a == "note.add").count(), 2);
    assert_eq!(
        actions.iter().filter(|a| **a == "label.set").count(),
        2,
        "{actions:?}"
    );

    let l = ok(run(
        &db,
        ZHANG,
        &[
            "--json",
            "label",
            "set",
            C4,
            "--label",
            "待补材料",
            "--remove",
        ],
    ));
    assert_eq!(l["labels"], serde_json::json!(["重点关注"]));

    // An empty note, and a note on nobody, are refused by code.
    let o = run(&db, ZHANG, &["--json", "note", "add", C4, "--text", "  "]);
    assert_eq!(common::refusal(&o), (Some(1), "empty_text".into()));
    let o = run(
        &db,
        ZHANG,
        &["--json", "note", "add", "91500103MA00000000", "--text", "x"],
    );
    assert_eq!(common::refusal(&o), (Some(1), "unknown_application".into()));
}
