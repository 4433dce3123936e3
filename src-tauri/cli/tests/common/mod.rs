//! Test people: one test CA per test binary and a .p12 per name, so every
//! act the tests make is made by a person's certificate, as in the bureau
//! (`--identity`; a typed name identifies nobody).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use reviewdesk_engine::letters::{export_pkcs12, IssueSpec, TestAuthority};

/// The password of every test identity.
pub const PASSWORD: &str = "test-identity";

struct People {
    dir: PathBuf,
    ca: TestAuthority,
    files: HashMap<(String, bool), PathBuf>,
}

fn people() -> &'static Mutex<People> {
    static P: OnceLock<Mutex<People>> = OnceLock::new();
    P.get_or_init(|| {
        let dir = tempfile::tempdir().expect("people dir").keep();
        let ca = TestAuthority::named("渝中区大数据局").expect("test CA");
        std::fs::write(dir.join("ca.pem"), ca.certificate_pem().expect("pem")).expect("ca.pem");
        Mutex::new(People {
            dir,
            ca,
            files: HashMap::new(),
        })
    })
}

fn issue(name: &str, seal: bool) -> PathBuf {
    let mut p = people().lock().expect("people");
    if let Some(f) = p.files.get(&(name.to_string(), seal)) {
        return f.clone();
    }
    let spec = if seal {
        IssueSpec::seal(name, 365)
    } else {
        IssueSpec::person(name, 365)
    };
    let signer = p.ca.issue(&spec).expect("issue");
    let n = p.files.len();
    let file = p.dir.join(format!("person-{n}.p12"));
    std::fs::write(&file, export_pkcs12(&signer, PASSWORD).expect("p12")).expect("write p12");
    p.files.insert((name.to_string(), seal), file.clone());
    file
}

/// The .p12 of the test person `name`.
pub fn identity(name: &str) -> PathBuf {
    issue(name, false)
}

/// The bureau's test seal certificate.
pub fn seal() -> PathBuf {
    issue("重庆市渝中区大数据应用发展管理局", true)
}

/// The test CA's certificate (PEM).
pub fn ca_pem() -> PathBuf {
    let _ = identity("张审核");
    people().lock().expect("people").dir.join("ca.pem")
}

/// Act as `name`: the identity and its password in `c`'s environment.
pub fn act_as(c: &mut Command, name: &str) {
    c.env("REVIEWDESK_IDENTITY", identity(name))
        .env("REVIEWDESK_IDENTITY_PASSWORD", PASSWORD)
        .env_remove("REVIEWDESK_REVIEWER");
}

/// The password of the people `reviewdesk demo` makes (test certificates).
pub const DEMO_PASSWORD: &str = "demo-1234";

/// Act as one of the test people `reviewdesk demo --out DIR` put on its
/// store's roster (`stem`: admin, reviewer, approver or register).
pub fn act_as_demo(c: &mut Command, demo_out: &std::path::Path, stem: &str) {
    c.env(
        "REVIEWDESK_IDENTITY",
        demo_out
            .join("people")
            .join(format!("测试-TEST-{stem}.p12")),
    )
    .env("REVIEWDESK_IDENTITY_PASSWORD", DEMO_PASSWORD)
    .env_remove("REVIEWDESK_REVIEWER");
}

/// `args` with any `--reviewer NAME` turned into acting as NAME (else as
/// `default`).
pub fn args_as(c: &mut Command, default: &str, args: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut who = default.to_string();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--reviewer" && i + 1 < args.len() {
            who = args[i + 1].to_string();
            i += 2;
            continue;
        }
        out.push(args[i].to_string());
        i += 1;
    }
    act_as(c, &who);
    out
}

/// `import` arguments receiving the workbooks inside the 2026 window
/// (2026-03-01 to 2026-04-30): the real clock is past `window_close`, and a
/// workbook received today fails 逾期申报. A date before today needs its
/// reason.
pub const IN_WINDOW: [&str; 4] = [
    "--received",
    "2026-04-15",
    "--reason",
    "测试：申报期内受理 / test: received inside the window",
];

/// Runs the real binary on the store `db` (unlocked with `passphrase`,
/// cheaply) acting as the test person `who`.
pub fn run_on(db: &std::path::Path, who: &str, passphrase: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    act_as(&mut c, who);
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env("REVIEWDESK_PASSPHRASE", passphrase)
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

/// `o`, which must have succeeded (else the test fails with its stderr).
pub fn succeeded(o: Output) -> Output {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// `o`'s stdout as JSON (the test fails with both streams when it is not).
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// The exit code and the error code of a refused command (`--json`).
pub fn refusal(o: &Output) -> (Option<i32>, String) {
    (
        o.status.code(),
        json(o)["error"]["code"].as_str().unwrap_or("").to_string(),
    )
}

/// The text of a PDF letter as pdftotext reads it (poppler-utils), without
/// line breaks, page footers (number · page · audit head) or page numbers:
/// the letter's lines wrap anywhere, so tests compare it flattened.
#[allow(dead_code)]
pub fn pdf_text(pdf: &std::path::Path) -> String {
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(o.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.contains("审计链") && !l.trim().starts_with('—'))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}
