//! People and keys over the real binary: a test CA and its people from
//! `ca`, the roster, four-eyes by certificate, letters issued by the
//! register office under the bureau's seal, and `verify` trusting exactly
//! the bureau's CA (the people-and-keys issue's findings 1-3 and 7).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reviewdesk_engine::letters::{
    self, sign_pdf, FontPolicy, IssueSpec, LetterWriter, RenderOptions, SignOptions, TestAuthority,
    Usage,
};
use serde_json::Value;

const PW: &str = "people-test";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_IDENTITY")
        .env_remove("REVIEWDESK_REVIEWER")
        .env("REVIEWDESK_IDENTITY_PASSWORD", PW)
        .env("REVIEWDESK_PASSPHRASE", "people-store")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run reviewdesk")
}

fn as_(db: &Path, who: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .arg("--identity")
        .arg(who)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

struct Bureau {
    dir: tempfile::TempDir,
    db: PathBuf,
    ca: PathBuf,
}

impl Bureau {
    fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A test CA, its people and seal, a roster with their roles, the
    /// samples imported and scored.
    fn new() -> Bureau {
        let dir = tempfile::tempdir().expect("tmp");
        let cadir = dir.path().join("ca");
        let o = run(&[
            "ca",
            "new",
            "--name",
            "渝中区大数据局",
            "-o",
            s(&cadir),
            "--json",
        ]);
        assert!(o.status.success(), "{o:?}");
        assert_eq!(json(&o)["test"], true);
        let b = Bureau {
            db: dir.path().join("home.db"),
            ca: cadir.join("ca.pem"),
            dir,
        };
        for (file, name, seal) in [
            ("admin.p12", "管理员", false),
            ("zhang.p12", "张审核", false),
            ("li.p12", "李审批", false),
            ("wang.p12", "王发文", false),
            ("both.p12", "赵两岗", false),
            ("seal.p12", "重庆市渝中区大数据应用发展管理局", true),
        ] {
            let mut args = vec!["ca", "issue", "--ca", s(&cadir), "--name", name];
            if seal {
                args.push("--seal");
            }
            let out = b.p(file);
            args.extend(["-o", s(&out), "--json"]);
            let o = run(&args);
            assert!(o.status.success(), "{o:?}");
            assert_eq!(json(&o)["holder"], name);
        }
        let o = as_(
            &b.db,
            &b.p("admin.p12"),
            &["roster", "init", "--ca", s(&b.ca), "--json"],
        );
        assert!(o.status.success(), "{o:?}");
        for (file, roles) in [
            ("zhang.p12", vec!["reviewer"]),
            ("li.p12", vec!["approver"]),
            ("wang.p12", vec!["register"]),
            ("both.p12", vec!["reviewer", "approver"]),
        ] {
            let p = b.p(file);
            let mut args = vec!["roster", "add", s(&p)];
            for r in &roles {
                args.extend(["--role", r]);
            }
            let o = as_(&b.db, &b.p("admin.p12"), &args);
            assert!(o.status.success(), "{o:?}");
        }
        let folder = samples();
        let mut import = vec!["import", s(&folder), "--json"];
        import.extend(common::IN_WINDOW);
        let o = as_(&b.db, &b.p("zhang.p12"), &import);
        assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
        assert!(run(&["--db", s(&b.db), "score"]).status.success());
        b
    }
}

const CODE: &str = "91500103MA5U7K2P39";
const CODE2: &str = "91500105MA5XR8N1XJ";

fn code_of(o: &Output) -> String {
    json(o)["error"]["code"].as_str().unwrap_or("").to_string()
}

#[test]
fn four_eyes_on_certificates_and_letters_under_the_seal() {
    let b = Bureau::new();
    let db = &b.db;
    // a typed name identifies nobody
    let o = run(&["--db", s(db), "import", s(&samples()), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(code_of(&o), "identity_required");

    // every act checks the roster: an approver scores nothing, imports nothing
    let o = as_(db, &b.p("li.p12"), &["import", s(&samples()), "--json"]);
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "not_allowed")
    );
    let o = as_(
        db,
        &b.p("li.p12"),
        &["conflict", CODE, "--reason", "亲属", "--json"],
    );
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "not_allowed")
    );

    let roster = json(&run(&["--db", s(db), "roster", "list", "--json"]));
    assert_eq!(roster["people"].as_array().map(Vec::len), Some(5));

    // one person with both roles still cannot approve their own proposal
    assert!(as_(db, &b.p("both.p12"), &["decide", "propose", CODE])
        .status
        .success());
    let own = as_(db, &b.p("both.p12"), &["decide", "approve", CODE, "--json"]);
    assert_eq!(own.status.code(), Some(1));
    assert_eq!(code_of(&own), "same_person");
    // a reviewer without the approver role cannot approve
    let o = as_(
        db,
        &b.p("zhang.p12"),
        &["decide", "approve", CODE, "--json"],
    );
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "not_allowed")
    );
    let ok = as_(db, &b.p("li.p12"), &["decide", "approve", CODE, "--json"]);
    assert!(ok.status.success(), "{ok:?}");

    // only the register office issues, under a seal from the trusted CA
    let seal = b.p("seal.p12");
    let issue = |who: &str, seal: &Path| {
        as_(
            db,
            &b.p(who),
            &[
                "letter",
                "issue",
                CODE,
                "--seal",
                s(seal),
                "--out",
                s(&b.p("out")),
                "--json",
            ],
        )
    };
    let o = issue("li.p12", &seal);
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "not_allowed")
    );
    let foreign_dir = b.p("foreign");
    assert!(run(&["ca", "new", "--name", "别处", "-o", s(&foreign_dir)])
        .status
        .success());
    let foreign_seal = b.p("foreign-seal.p12");
    assert!(run(&[
        "ca",
        "issue",
        "--ca",
        s(&foreign_dir),
        "--name",
        "重庆市渝中区大数据应用发展管理局",
        "--seal",
        "-o",
        s(&foreign_seal)
    ])
    .status
    .success());
    let o = issue("wang.p12", &foreign_seal);
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "not_trusted")
    );

    let o = issue("wang.p12", &seal);
    assert!(o.status.success(), "{o:?}");
    let letters = json(&o)["letters"].as_array().cloned().unwrap_or_default();
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0]["kind"], "approval");
    assert_eq!(letters[0]["projects"][0]["outcome"], "approved");
    let path = PathBuf::from(letters[0]["path"].as_str().expect("path"));
    let again = issue("wang.p12", &seal);
    assert_eq!(
        (again.status.code(), code_of(&again).as_str()),
        (Some(1), "already_issued")
    );

    // the letter verifies against the bureau's CA, with the register
    let v = run(&["verify", s(&path), "--db", s(db), "--json"]);
    assert!(v.status.success(), "{v:?}");
    let j = json(&v);
    assert_eq!(
        (j["valid"].clone(), j["trusted"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
    assert_eq!(
        (j["test"].clone(), j["in_register"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
    // without any trust anchor: intact, signer NOT trusted, exit 1
    let v = run(&["verify", s(&path), "--json"]);
    assert_eq!(v.status.code(), Some(1));
    let j = json(&v);
    assert_eq!(
        (j["intact"].clone(), j["trusted"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    assert!(String::from_utf8_lossy(&v.stderr).contains("NOT trusted"));
    // a read-only command never creates a store
    let nowhere = b.p("nowhere/x.db");
    let v = run(&["verify", s(&path), "--db", s(&nowhere), "--json"]);
    assert_eq!(v.status.code(), Some(2));
    assert!(!nowhere.exists() && !b.p("nowhere").exists());

    // every act above is signed; the chain holds
    assert!(run(&["--db", s(db), "audit", "verify"]).status.success());
    let _ = CODE2;
}

/// A test CA in `dir` and one person of it (张审核), on a store without a
/// roster: the person's .p12.
fn one_reviewer(dir: &Path) -> PathBuf {
    let cadir = dir.join("ca");
    assert!(
        run(&["ca", "new", "--name", "渝中区大数据局", "-o", s(&cadir)])
            .status
            .success()
    );
    let zhang = dir.join("zhang.p12");
    assert!(run(&[
        "ca",
        "issue",
        "--ca",
        s(&cadir),
        "--name",
        "张审核",
        "-o",
        s(&zhang)
    ])
    .status
    .success());
    zhang
}

/// A letter signed by `signer` now.
fn letter_signed_by(signer: &letters::RsaSoftwareSigner) -> Option<Vec<u8>> {
    let w = LetterWriter::new(FontPolicy::NotoOnly).ok()?;
    let c = letters::demo::sample_approval(3, "650000.00").ok()?;
    let pdf = w.render(&c, RenderOptions::default()).ok()?.pdf;
    let t = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600)?);
    sign_pdf(&pdf, signer, &SignOptions::new(t, "签发")).ok()
}

#[test]
fn verify_names_why_a_signer_is_not_trusted() {
    let dir = tempfile::tempdir().expect("tmp");
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let ca_pem = dir.path().join("ca.pem");
    std::fs::write(&ca_pem, ca.certificate_pem().expect("pem")).expect("write");
    let foreign = TestAuthority::named("自签").expect("ca");
    let cases: Vec<(&str, letters::RsaSoftwareSigner)> = vec![
        (
            "untrusted_signer",
            foreign.issue(&IssueSpec::person("王某", 365)).expect("p"),
        ),
        (
            "certificate_expired",
            ca.issue(&IssueSpec {
                not_before: std::time::SystemTime::now()
                    - std::time::Duration::from_secs(5 * 86400),
                valid_for: std::time::Duration::from_secs(86400),
                ..IssueSpec::person("旧证书", 1)
            })
            .expect("p"),
        ),
        (
            "no_signing_key_usage",
            ca.issue(&IssueSpec {
                usage: Usage::Encryption,
                ..IssueSpec::person("加密证书", 365)
            })
            .expect("p"),
        ),
    ];
    for (want, signer) in &cases {
        let Some(pdf) = letter_signed_by(signer) else {
            panic!("no fonts to write a letter (scripts/setup.sh installs them)");
        };
        let f = dir.path().join(format!("{want}.pdf"));
        std::fs::write(&f, pdf).expect("write");
        let o = run(&["verify", s(&f), "--ca", s(&ca_pem), "--json"]);
        assert_eq!(o.status.code(), Some(1), "{want}: {o:?}");
        let j = json(&o);
        assert_eq!(j["reason_code"], *want, "{j}");
        assert_eq!(j["intact"], true);
        assert!(j["reason"].as_str().is_some_and(|r| !r.is_empty()));
    }
}

#[test]
fn the_receipt_date_is_recorded_checked_and_kept_by_a_correction() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let zhang = one_reviewer(dir.path());
    let file = samples().join("02-rnd-two-clauses.xlsx");
    let today = chrono::Local::now().date_naive();
    let past = (today - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let future = (today + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    // in the future: refused before anything is stored
    let o = as_(
        &db,
        &zhang,
        &["import", s(&file), "--received", &future, "--json"],
    );
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "received_in_future")
    );
    // before today without a reason: refused
    let o = as_(
        &db,
        &zhang,
        &["import", s(&file), "--received", &past, "--json"],
    );
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "reason_required")
    );
    let o = as_(
        &db,
        &zhang,
        &[
            "import",
            s(&file),
            "--received",
            &past,
            "--reason",
            "邮寄，以邮戳日期为准",
            "--json",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    let code = json(&o)["files"][0]["credit_code"]
        .as_str()
        .expect("code")
        .to_string();
    let shown = json(&run(&["--db", s(&db), "show", &code, "--json"]));
    assert_eq!(shown["received_on"], past.as_str());
    assert_eq!(shown["received_reason"], "邮寄，以邮戳日期为准");
}

#[test]
fn a_restore_never_lets_a_number_be_issued_twice() {
    let b = Bureau::new();
    let db = &b.db;
    assert!(as_(db, &b.p("zhang.p12"), &["decide", "propose", CODE])
        .status
        .success());
    assert!(as_(db, &b.p("li.p12"), &["decide", "approve", CODE])
        .status
        .success());
    // a backup taken before the letter was issued
    let o = run(&["--db", s(db), "backup", "--json"]);
    assert!(o.status.success(), "{o:?}");
    let backup = PathBuf::from(json(&o)["path"].as_str().expect("path"));
    let seal = b.p("seal.p12");
    let issue = || {
        as_(
            db,
            &b.p("wang.p12"),
            &[
                "letter",
                "issue",
                CODE,
                "--seal",
                s(&seal),
                "--out",
                s(&b.p("out")),
                "--json",
            ],
        )
    };
    let first = issue();
    assert!(first.status.success(), "{first:?}");
    let number = json(&first)["letters"][0]["number"]
        .as_str()
        .expect("n")
        .to_string();
    assert!(number.contains("1号"), "{number}");

    // restoring it would roll the register back: refused, store unchanged
    let o = as_(db, &b.p("admin.p12"), &["restore", s(&backup), "--json"]);
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "register_rollback")
    );
    let again = issue();
    assert_eq!(
        code_of(&again),
        "already_issued",
        "the live store is unchanged"
    );

    // with a reason it is restored, and numbering continues above 1号
    let o = as_(
        db,
        &b.p("admin.p12"),
        &[
            "restore",
            s(&backup),
            "--reason",
            "数据库损坏，恢复到备份",
            "--json",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    let re = issue();
    assert!(re.status.success(), "{re:?}");
    let renumbered = json(&re)["letters"][0]["number"]
        .as_str()
        .expect("n")
        .to_string();
    assert!(
        renumbered.contains("2号"),
        "{renumbered} must not reuse {number}"
    );

    // a backup of another store is refused
    let other = b.p("other.db");
    assert!(as_(
        &other,
        &b.p("zhang.p12"),
        &["import", s(&samples().join("01-supply-clean.xlsx"))]
    )
    .status
    .success());
    let o = run(&["--db", s(&other), "backup", "--json"]);
    let other_backup = json(&o)["path"].as_str().expect("path").to_string();
    let o = as_(db, &b.p("admin.p12"), &["restore", &other_backup, "--json"]);
    assert_eq!(
        (o.status.code(), code_of(&o).as_str()),
        (Some(1), "other_store")
    );
}

#[test]
fn a_person_acts_with_a_key_on_a_pkcs11_token() {
    use reviewdesk_engine::people::softhsm::SoftToken;
    let b = Bureau::new();
    let token = SoftToken::create(&b.p("hsm"), "zhang", "4321")
        .expect("SoftHSM2 token (install softhsm2: scripts/setup.sh --test)");
    // 张审核's certificate and key, moved onto the token
    let p12 = std::fs::read(b.p("zhang.p12")).expect("p12");
    let signer = reviewdesk_engine::letters::import_pkcs12(&p12, PW).expect("open p12");
    let uri = token.put(&signer, "sign", 1).expect("on the token");
    let on_token = |args: &[&str], pin: &str| {
        bin()
            .env("SOFTHSM2_CONF", &token.conf)
            .env("REVIEWDESK_IDENTITY_PASSWORD", pin)
            .arg("--db")
            .arg(&b.db)
            .arg("--identity")
            .arg(&uri)
            .args(args)
            .output()
            .expect("run")
    };
    let wrong = on_token(&["decide", "propose", CODE, "--json"], "0000");
    assert_eq!(
        (wrong.status.code(), code_of(&wrong).as_str()),
        (Some(2), "wrong_password")
    );
    let o = on_token(&["decide", "propose", CODE, "--json"], "4321");
    assert!(o.status.success(), "{o:?}");
    // the token's person is the same person as the .p12: same certificate
    let own = as_(
        &b.db,
        &b.p("zhang.p12"),
        &["decide", "approve", CODE, "--json"],
    );
    assert_eq!(code_of(&own), "not_allowed", "a reviewer, and the proposer");
    assert!(as_(&b.db, &b.p("li.p12"), &["decide", "approve", CODE])
        .status
        .success());
    assert!(run(&["--db", s(&b.db), "audit", "verify"]).status.success());
}

#[test]
fn a_corrected_version_keeps_the_first_versions_receipt_date() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let zhang = one_reviewer(dir.path());
    let today = chrono::Local::now().date_naive();
    let first_day = (today - chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let v1 = samples().join("01-supply-clean.xlsx");
    let o = as_(
        &db,
        &zhang,
        &[
            "import",
            s(&v1),
            "--received",
            &first_day,
            "--reason",
            "邮寄，以邮戳日期为准",
            "--json",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    // the same applicant's corrected workbook, received today
    let v2 = samples().join("07-supply-legacy.xls");
    let o = as_(&db, &zhang, &["import", s(&v2), "--json"]);
    assert!(o.status.success(), "{o:?}");
    let shown = json(&run(&[
        "--db",
        s(&db),
        "show",
        "91500103MA5U7K2P39",
        "--json",
    ]));
    assert_eq!(shown["version"], 2);
    assert_eq!(shown["received_on"], first_day.as_str(), "{shown}");
}
