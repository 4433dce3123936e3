//! `reviewdesk guide diff`: what binding a round to an edited guide would
//! change, key by key, checked first, changing nothing.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(db: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    common::act_as(&mut c, "张审核");
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", "guide-test")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

/// `guide diff --json` of `file` against the round in `db`: must succeed.
fn diff_json(db: &Path, file: &Path) -> Value {
    let o = run(
        db,
        &[
            "--json",
            "guide",
            "diff",
            "--round",
            "2026",
            &file.display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json")
}

fn shipped() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/guides/2026.toml");
    std::fs::read_to_string(root).expect("shipped guide")
}

#[test]
fn diff_names_each_changed_key_and_binds_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("g.db");
    let edited = dir.path().join("2026-edited.toml");
    let text = shipped().replacen(
        "title = \"2026年度渝中区促进算力经济高质量发展政策申报指南\"",
        "title = \"2026年度渝中区促进算力经济高质量发展政策申报指南（修订）\"",
        1,
    );
    std::fs::write(&edited, &text).expect("write");

    let p = diff_json(&db, &edited);
    assert_eq!(p["can_change"], true);
    assert_eq!(p["changes"].as_array().map(Vec::len), Some(1), "{p}");
    assert_eq!(p["changes"][0]["path"], "title");
    assert!(p["changes"][0]["new"]
        .as_str()
        .is_some_and(|t| t.ends_with("（修订）")));
    assert!(!db.exists(), "a diff without a store must not create one");

    // A broken file: every problem with its key path, exit 2, nothing made.
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        text.replacen("year = 2026", "year = \"二〇二六\"", 1),
    )
    .expect("write");
    let o = run(
        &db,
        &[
            "guide",
            "diff",
            "--round",
            "2026",
            &broken.display().to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("round.year"), "{err}");

    // Once the round has a decision its guide is fixed: the diff says so and
    // `guide use` is refused.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples");
    let o = run(&db, &["import", &samples.display().to_string()]);
    assert_eq!(o.status.code(), Some(1), "06-errors needs correction");
    assert!(run(&db, &["score", "--round", "2026"]).status.success());
    let o = run(&db, &["decide", "propose", "91500103MA61QX3D6W"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = diff_json(&db, &edited);
    assert_eq!(p["can_change"], false, "{p}");
    let o = run(
        &db,
        &[
            "guide",
            "use",
            "--round",
            "2026",
            &edited.display().to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}
