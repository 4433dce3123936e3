//! The round overview (`queries::round_overview`, the app's 总览) over a
//! store the real `reviewdesk` binary filled with the sample round: counts
//! by status, what needs attention next, and the programme targets, as the
//! round moves from import to score, link, proposal and approval.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reviewdesk_engine::applications::queries::{round_overview, RoundOverview};
use reviewdesk_engine::store::{unlock, Secret};

const PASSPHRASE: &str = "overview-test";
const CODE_01: &str = "91500103MA5U7K2P39";
const CODE_02: &str = "91500103MA61QX3D6W";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn run_as(db: &Path, reviewer: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    common::act_as(&mut c, reviewer);
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn ok(o: Output) {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn overview(db: &Path) -> RoundOverview {
    let store = unlock(db, &Secret::passphrase(PASSPHRASE))
        .expect("unlock")
        .store;
    round_overview(&store, None).expect("overview")
}

fn attention(o: &RoundOverview, kind: &str) -> usize {
    o.attention
        .iter()
        .find(|a| a.kind == kind)
        .map(|a| a.count)
        .unwrap_or_else(|| panic!("no attention kind {kind}"))
}

#[test]
fn overview_follows_the_round_from_import_to_approval() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");

    // Before any import: no round, nothing waiting, targets at zero.
    let before = {
        // An empty store (the CLI makes it on first use).
        ok(run_as(&db, "张审核", &["list", "--json"]));
        overview(&db)
    };
    assert_eq!(before.round, None);
    assert_eq!(before.counts.imported, 0);
    assert!(before.attention.iter().all(|a| a.count == 0));
    assert_eq!(before.targets.len(), 2);
    assert_eq!(
        (before.targets[0].target, before.targets[1].target),
        (50, 3)
    );

    // Imported: 8 workbooks, 01/07 and 03/08 one applicant each, 06 kept
    // provisionally (needs correction); nothing scored yet.
    let o = run_as(
        &db,
        "张审核",
        &[
            &["import", "--json"][..],
            &common::IN_WINDOW,
            &[samples().display().to_string().as_str()],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(1), "06-errors needs correction");
    let ov = overview(&db);
    assert_eq!(ov.round, Some(2026));
    assert_eq!(ov.counts.imported, 6, "{ov:#?}");
    assert_eq!(ov.counts.needs_correction, 1);
    assert_eq!(ov.counts.eligible, 0);
    assert_eq!(attention(&ov, "correction_notice"), 1);
    assert_eq!(attention(&ov, "link_provisional"), 1);
    assert_eq!(attention(&ov, "not_scored"), 5);

    // Scored: the C4 project waits for panel scores; 05 is not eligible.
    ok(run_as(
        &db,
        "张审核",
        &["score", "--round", "2026", "--json"],
    ));
    let ov = overview(&db);
    assert_eq!(attention(&ov, "not_scored"), 0, "{ov:#?}");
    assert_eq!(ov.counts.eligible, 4, "{ov:#?}");
    assert!(attention(&ov, "panel_scores") >= 1, "{ov:#?}");
    assert_eq!(ov.counts.scored + attention(&ov, "panel_scores"), 5);

    // Linked: the provisional workbook follows 01's code and no longer waits.
    let key = ov
        .attention
        .iter()
        .find(|a| a.kind == "link_provisional")
        .and_then(|a| a.items[0].note.clone())
        .expect("provisional key");
    ok(run_as(&db, "张审核", &["link", &key, CODE_01]));
    let ov = overview(&db);
    assert_eq!(attention(&ov, "link_provisional"), 0);
    assert_eq!(ov.counts.imported, 5);
    assert_eq!(ov.counts.needs_correction, 0);
    // The queue agrees: the linked workbook is 01's history, not a row.
    let list = run_as(&db, "张审核", &["list", "--json"]);
    assert!(list.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).expect("list json");
    let rows = rows
        .as_array()
        .or_else(|| rows["applications"].as_array())
        .cloned()
        .unwrap_or_default();
    assert_eq!(rows.len(), 5, "{rows:#?}");
    assert!(
        rows.iter().all(|r| r["status"] != "needs_correction"),
        "{rows:#?}"
    );

    // Proposed, then approved by another person: 02 funds two C2a projects.
    ok(run_as(&db, "张审核", &["decide", "propose", CODE_02]));
    let ov = overview(&db);
    assert_eq!(ov.counts.proposed, 1);
    assert_eq!(attention(&ov, "awaiting_approval"), 1);
    assert_eq!(ov.targets[0].supported, 0);
    ok(run_as(&db, "李审批", &["decide", "approve", CODE_02]));
    let ov = overview(&db);
    assert_eq!((ov.counts.proposed, ov.counts.approved), (0, 1));
    assert_eq!(attention(&ov, "letter_to_issue"), 1);
    assert_eq!(ov.targets[0].key, "enterprises");
    assert_eq!(ov.targets[0].supported, 1);
    assert_eq!(ov.targets[1].key, "research");
    assert_eq!(ov.targets[1].supported, 1, "02's C2a projects are funded");
    assert!(ov.targets[0].eligible >= 4);
}

#[test]
fn a_decision_proposed_without_a_stored_score_counts_as_evaluated() {
    // The app proposes from a fresh evaluation (explain); the round need not
    // have been scored: the decision's figures stand for the evaluation.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    let o = run_as(
        &db,
        "张审核",
        &[
            &["import", "--json"][..],
            &common::IN_WINDOW,
            &[samples().display().to_string().as_str()],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(1));
    ok(run_as(&db, "张审核", &["decide", "propose", CODE_02]));
    ok(run_as(&db, "李审批", &["decide", "approve", CODE_02]));
    let ov = overview(&db);
    assert_eq!(ov.counts.eligible, 1, "{ov:#?}");
    assert_eq!(ov.counts.scored, 1);
    assert_eq!(ov.counts.approved, 1);
    assert_eq!(
        attention(&ov, "not_scored"),
        4,
        "02 has its decision; the other four wait"
    );
    assert_eq!(ov.targets[0].supported, 1);
}
