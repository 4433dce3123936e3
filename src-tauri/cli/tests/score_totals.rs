//! `score` without `--json` keeps only the round's totals in memory (each
//! applicant's evaluation is stored and dropped): the same evaluations must
//! be stored, and the same summary printed, as by `score --json`, which
//! returns every evaluation.

mod common;

use std::path::{Path, PathBuf};

use common::{run_on, succeeded, IN_WINDOW};
use reviewdesk_engine::store::{unlock, Secret};

const PASS: &str = "score-totals";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

/// The sample round imported and one C4 project scored by the panel.
fn filled(db: &Path) {
    let s = samples();
    let mut args = vec!["import".to_string(), s.display().to_string()];
    args.extend(IN_WINDOW.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // some sample workbooks need correction: the import exits 1 for them
    let o = run_on(db, "张审核", PASS, &args);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
}

/// The stored evaluations, by credit code, as their JSON.
fn stored(db: &Path) -> Vec<(String, serde_json::Value)> {
    let store = unlock(db, &Secret::passphrase(PASS)).expect("unlock").store;
    let mut st = store
        .conn()
        .prepare(
            "SELECT a.credit_code, e.result FROM evaluations e
             JOIN applicants a ON a.id = e.applicant_id ORDER BY a.id",
        )
        .expect("query");
    st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("rows")
        .map(|r| {
            let (code, json) = r.expect("row");
            (code, serde_json::from_str(&json).expect("stored JSON"))
        })
        .collect()
}

/// The summary lines `score` prints on stderr (the store's own notices,
/// which name its path, left out).
fn summary(stderr: &[u8], db: &Path) -> String {
    let text = String::from_utf8_lossy(stderr);
    let path = db.display().to_string();
    text.lines()
        .filter(|l| !l.contains(&path))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn scoring_without_json_stores_and_prints_the_same_as_with_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let (whole, totals) = (dir.path().join("whole.db"), dir.path().join("totals.db"));
    filled(&whole);
    filled(&totals);

    let with_json = succeeded(run_on(
        &whole,
        "张审核",
        PASS,
        &["--json", "score", "--round", "2026"],
    ));
    let without = succeeded(run_on(
        &totals,
        "张审核",
        PASS,
        &["score", "--round", "2026"],
    ));
    assert!(without.stdout.is_empty(), "no JSON asked, none printed");

    let printed = summary(&without.stderr, &totals);
    assert!(printed.contains("round scored"), "{printed}");
    assert_eq!(summary(&with_json.stderr, &whole), printed);

    let a = stored(&whole);
    let b = stored(&totals);
    assert!(
        a.len() >= 4,
        "the sample applicants with a credit code: {a:?}"
    );
    assert_eq!(a, b, "the same evaluations stored either way");

    // and what `--json` returned is what both stored, in the same order
    let out = common::json(&with_json);
    let returned = out["evaluations"].as_array().expect("evaluations");
    let stored_only: Vec<&serde_json::Value> = b.iter().map(|(_, v)| v).collect();
    assert_eq!(returned.iter().collect::<Vec<_>>(), stored_only);
}

/// `score --json` prints the evaluations as it reads them back from the
/// store, one at a time, rather than holding the round: its output must be
/// byte for byte what the whole summary (`score_round`, every evaluation
/// held) prints for the same store — a frozen decision's figures included.
#[test]
fn streamed_json_is_the_same_bytes_as_the_whole_summary() {
    use reviewdesk_engine::people::Identity;
    use reviewdesk_engine::review::round;
    const CODE_02: &str = "91500103MA61QX3D6W";

    let dir = tempfile::tempdir().expect("tmp");
    let (streamed, whole) = (dir.path().join("streamed.db"), dir.path().join("whole.db"));
    for db in [&streamed, &whole] {
        filled(db);
        succeeded(run_on(db, "张审核", PASS, &["decide", "propose", CODE_02]));
        succeeded(run_on(db, "李审批", PASS, &["decide", "approve", CODE_02]));
    }

    let printed = succeeded(run_on(
        &streamed,
        "张审核",
        PASS,
        &["--json", "score", "--round", "2026"],
    ))
    .stdout;

    let mut store = unlock(&whole, &Secret::passphrase(PASS))
        .expect("unlock")
        .store;
    let person = common::identity("张审核");
    let actor = Identity::open(&person.display().to_string(), common::PASSWORD)
        .expect("identity")
        .actor();
    let held = round::score_round(&mut store, 2026, &actor).expect("score");
    assert_eq!(held.frozen, 1, "the approved decision is in the round");
    assert!(held.evaluations.len() >= 4, "{}", held.evaluations.len());
    let expected = format!("{}\n", serde_json::to_string_pretty(&held).expect("JSON"));
    assert_eq!(String::from_utf8_lossy(&printed), expected);
}
