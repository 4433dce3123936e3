//! Encryption at rest through the real `reviewdesk` binary: a stolen copy of
//! the data folder (store, WAL, backups, key files), after a whole session
//! with letters issued, reveals no applicant name, credit code, amount,
//! letter number or PDF, and holds only 0600 files in 0700 folders; the
//! passphrase, the recovery key and a changed passphrase open it; a wrong or
//! missing one gets a clear error.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PASSPHRASE: &str = "encryption-test-passphrase";

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn bin(passphrase: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_PASSPHRASE")
        .env_remove("REVIEWDESK_RECOVERY_KEY")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    common::act_as(&mut c, "张审核");
    if let Some(p) = passphrase {
        c.env("REVIEWDESK_PASSPHRASE", p);
    }
    c
}

fn run(c: &mut Command, db: &Path, args: &[&str]) -> Output {
    c.arg("--db").arg(db).args(args).output().expect("run")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What a thief must not find: every applicant name, credit code and amount
/// the sample round's import shows.
fn secrets(db: &Path) -> Vec<String> {
    let o = run(&mut bin(Some(PASSPHRASE)), db, &["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list: Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut found = Vec::new();
    for a in list["applications"].as_array().expect("applications") {
        for k in ["applicant", "credit_code"] {
            if let Some(s) = a[k].as_str().filter(|s| s.len() > 6) {
                found.push(s.to_string());
            }
        }
    }
    found.push("6500000.00".into());
    found.push("国产算力".into());
    assert!(found.len() > 6, "{found:?}");
    found
}

fn grep_folder(dir: &Path, needles: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).expect("read");
            if bytes.starts_with(b"SQLite format 3\0") {
                hits.push(format!("{}: plain SQLite header", p.display()));
            }
            for n in needles {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    hits.push(format!("{}: {n}", p.display()));
                }
            }
        }
    }
    hits
}

/// `bin` acting as the test person `name`.
fn as_person(name: &str) -> Command {
    let mut c = bin(Some(PASSPHRASE));
    common::act_as(&mut c, name);
    c
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {o:?}"))
}

/// Every file under `dir` (recursively) and every folder, `dir` included.
fn walk(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut files, mut dirs) = (Vec::new(), vec![dir.to_path_buf()]);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p.clone());
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    (files, dirs)
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

/// A whole session on an encrypted store with a roster, as the bureau works:
/// import, score, propose, approve, issue letters under the seal (into a
/// folder the person names, and with no `--out` into the current folder),
/// back up. Then the data folder is what a thief takes: no file in it holds
/// a name, a credit code, an amount, a letter number or a PDF, no file name
/// names a letter, and every file is 0600, every folder 0700.
#[test]
fn a_stolen_data_folder_reveals_no_name_code_or_amount() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let db = data.join("reviewdesk.db");
    let out = dir.path().join("chosen");
    let cwd = dir.path().join("cwd");
    std::fs::create_dir_all(&cwd).expect("cwd");
    let ca = common::ca_pem();
    let o = run(
        &mut as_person("管理员"),
        &db,
        &["roster", "init", "--ca", ca.to_str().expect("utf8")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("恢复密钥"),
        "a new store shows its recovery key once: {}",
        stderr(&o)
    );
    for (name, role) in [
        ("张审核", "reviewer"),
        ("李审批", "approver"),
        ("王发文", "register"),
    ] {
        let p = common::identity(name);
        let o = run(
            &mut as_person("管理员"),
            &db,
            &["roster", "add", p.to_str().expect("utf8"), "--role", role],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = run(
        &mut as_person("张审核"),
        &db,
        &["import", samples_dir().to_str().expect("utf8")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&mut as_person("张审核"), &db, &["score", "--round", "2026"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut approved = Vec::new();
    for code in ["91500103MA5U7K2P39", "91500105MA5XR8N1XJ"] {
        let o = run(&mut as_person("张审核"), &db, &["decide", "propose", code]);
        assert!(o.status.success(), "propose {code}: {}", stderr(&o));
        let o = run(&mut as_person("李审批"), &db, &["decide", "approve", code]);
        assert!(o.status.success(), "approve {code}: {}", stderr(&o));
        approved.push(code);
    }
    let seal = common::seal();
    let seal = seal.to_str().expect("utf8");
    // no --out: the letters go to the current folder, never the data folder
    let o = as_person("王发文")
        .current_dir(&cwd)
        .arg("--db")
        .arg(&db)
        .args(["letter", "issue", approved[0], "--seal", seal, "--json"])
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    let mut issued = json_of(&o)["letters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!issued.is_empty(), "{o:?}");
    for l in &issued {
        let path = PathBuf::from(l["path"].as_str().expect("path"));
        assert_eq!(
            path.parent().and_then(|p| p.canonicalize().ok()),
            cwd.canonicalize().ok(),
            "{path:?} is not in the current folder"
        );
    }
    let o = run(
        &mut as_person("王发文"),
        &db,
        &[
            "letter",
            "issue",
            "--all",
            "--seal",
            seal,
            "--out",
            out.to_str().expect("utf8"),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    issued.extend(
        json_of(&o)["letters"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    assert!(issued.len() >= 2, "{issued:?}");
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["backup"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let mut needles = secrets(&db);
    needles.push("%PDF".into());
    for l in &issued {
        needles.push(l["number"].as_str().expect("number").to_string());
    }
    let hits = grep_folder(&data, &needles);
    assert!(hits.is_empty(), "plaintext in the data folder: {hits:#?}");
    let (files, dirs) = walk(&data);
    for f in &files {
        let name = f.to_string_lossy();
        for n in &needles {
            assert!(!name.contains(n.as_str()), "a file name names {n}: {name}");
        }
    }
    #[cfg(unix)]
    {
        let loose: Vec<String> = files
            .iter()
            .filter(|f| mode(f) != 0o600)
            .map(|f| format!("{} {:o}", f.display(), mode(f)))
            .chain(
                dirs.iter()
                    .filter(|d| mode(d) != 0o700)
                    .map(|d| format!("{}/ {:o}", d.display(), mode(d))),
            )
            .collect();
        assert!(
            loose.is_empty(),
            "files not 0600 or folders not 0700 in the data folder: {loose:#?}"
        );
    }
    assert!(data.join("reviewdesk.db.key").exists());
    assert!(data.join("backups").read_dir().expect("backups").count() >= 2);
    // the letters themselves are where the person said
    assert!(out.read_dir().expect("out").count() >= 1);
}

#[test]
fn no_wrong_or_changed_passphrase_and_the_recovery_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let recovery = err
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 64 && l.matches('-').count() == 12)
        .unwrap_or_else(|| panic!("no recovery key in: {err}"))
        .to_string();

    let o = run(&mut bin(None), &db, &["list", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("REVIEWDESK_PASSPHRASE"),
        "{}",
        stderr(&o)
    );

    let o = run(&mut bin(Some("not the passphrase")), &db, &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("口令不正确"), "{}", stderr(&o));

    let o = run(
        bin(None)
            .env("REVIEWDESK_RECOVERY_KEY", recovery.to_lowercase())
            .env("REVIEWDESK_NEW_PASSPHRASE", "a brand new passphrase"),
        &db,
        &["passphrase"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the old passphrase no longer opens it"
    );
    let o = run(
        &mut bin(Some("a brand new passphrase")),
        &db,
        &["check", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let check: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(check["encrypted"], true);
    assert_eq!(check["cipher_problems"], 0);
}

#[test]
fn a_plain_store_is_encrypted_on_first_use_with_a_passphrase_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(
        &mut bin(None),
        &db,
        &["import", samples_dir().to_str().expect("utf8")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("未加密"),
        "a plain store is never silent"
    );
    let before = run(&mut bin(None), &db, &["list", "--json"]);
    assert!(before.status.success());

    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已加密"), "{}", stderr(&o));
    assert_eq!(
        o.stdout, before.stdout,
        "the same applications after encryption"
    );
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hits = grep_folder(dir.path(), &secrets(&db));
    assert!(hits.is_empty(), "{hits:#?}");
}

#[test]
fn restore_drill_through_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let o = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["import", samples_dir().to_str().expect("utf8")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["backup", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b: Value = serde_json::from_slice(&o.stdout).expect("json");
    let backup = b["backup"].as_str().expect("path").to_string();
    let listed = run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]).stdout;
    let head = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["audit", "verify", "--json"],
    );
    let head: Value = serde_json::from_slice(&head.stdout).expect("json");

    // Damage the live store.
    std::fs::write(&db, vec![0x5au8; 8192]).expect("damage");
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["list"]);
    assert_eq!(o.status.code(), Some(2));

    let o = run(
        &mut bin(Some("wrong passphrase")),
        &db,
        &["restore", &backup],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a wrong passphrase restores nothing"
    );
    let o = run(&mut bin(Some(PASSPHRASE)), &db, &["restore", &backup]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        run(&mut bin(Some(PASSPHRASE)), &db, &["list", "--json"]).stdout,
        listed
    );
    let after = run(
        &mut bin(Some(PASSPHRASE)),
        &db,
        &["audit", "verify", "--json"],
    );
    assert!(after.status.success());
    let after: Value = serde_json::from_slice(&after.stdout).expect("json");
    assert_eq!(after["ok"], true);
    // the chain is back, entry for entry, plus the restore itself
    assert_ne!(after["head"], head["head"], "the restore is audited");
    assert_eq!(
        after["entries"].as_u64(),
        head["entries"].as_u64().map(|n| n + 1),
        "the backup's chain and one entry: the restore"
    );
}
