//! The correction notice's preview is the notice that gets issued: same
//! addressee, title and every paragraph (each error by sheet and cell), with
//! the next free number; previewing writes nothing.

use std::path::Path;
use std::process::Command;

use reviewdesk_engine::letters::LetterContent;
use reviewdesk_engine::register::issue::preview_correction;
use reviewdesk_engine::store::{unlock, Secret, Store};

const PASSPHRASE: &str = "preview-test";

fn open(db: &Path) -> Store {
    unlock(db, &Secret::passphrase(PASSPHRASE))
        .map(|u| u.store)
        .expect("unlock the demo store")
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn the_preview_is_the_issued_notice_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("demo");
    let o = Command::new(env!("CARGO_BIN_EXE_reviewdesk"))
        .env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", PASSPHRASE)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let db = out.join("demo.db");
    let store = open(&db);

    // The demo issued one correction notice; the register keeps what it said.
    let (submission, issued_json, next_seq): (i64, String, i64) = store
        .conn()
        .query_row(
            "SELECT submission_id, content, (SELECT max(seq) + 1 FROM register WHERE year = r.year)
             FROM register r WHERE kind = 'correction'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the demo's correction notice");
    let issued: LetterContent = serde_json::from_str(&issued_json).expect("stored content");

    let audit = count(&store, "SELECT count(*) FROM audit");
    let register = count(&store, "SELECT count(*) FROM register");
    let preview = preview_correction(&store, submission, issued.date).expect("preview");
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit"),
        audit,
        "preview wrote to the trail"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM register"),
        register,
        "preview took a number"
    );

    assert_eq!(preview.kind, "correction");
    assert!(
        preview.number.ends_with(&format!("〕{next_seq}号")),
        "the next free number, not {}",
        preview.number
    );
    let p = &preview.content;
    assert_eq!(p.title, issued.title);
    assert_eq!(p.addressee, issued.addressee);
    assert_eq!(
        p.paragraphs, issued.paragraphs,
        "the body differs from what was issued"
    );
    assert_eq!(
        (p.date, &p.issuer, &p.contact),
        (issued.date, &issued.issuer, &issued.contact)
    );
    let body = format!("{:?}", p.paragraphs);
    for cell in ["申报单位!B3", "申报单位!B13"] {
        assert!(body.contains(cell), "the notice names cell {cell}: {body}");
    }

    // A workbook that needs no correction has no notice to preview.
    let fine: i64 = count(
        &store,
        "SELECT min(id) FROM submissions WHERE status = 'ok'",
    );
    let e = preview_correction(&store, fine, issued.date).expect_err("no errors, no notice");
    assert!(e.to_string().contains("needs no correction"), "{e}");
}
