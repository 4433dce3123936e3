//! A person's two certificates, over the real binary: Chinese UKeys carry a
//! signing and a separate encryption certificate, and the roster accepts
//! both per person (`ca issue --encryption`, `roster add --encryption`,
//! `roster list --json`'s `encryption_fingerprint`), the encryption one
//! checked like the signing one (chain to a trusted CA, key usage, SM2
//! refused by name).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{json, refusal};
use reviewdesk_engine::letters::{self, chain, Signer};
use reviewdesk_engine::people::roster;
use serde_json::Value;

const PW: &str = "two-certificates";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    c.env_remove("REVIEWDESK_DATA_DIR")
        .env_remove("REVIEWDESK_IDENTITY")
        .env_remove("REVIEWDESK_REVIEWER")
        .env("REVIEWDESK_IDENTITY_PASSWORD", PW)
        .env("REVIEWDESK_PASSPHRASE", "two-certificates-store")
        .env("REVIEWDESK_TEST_CHEAP_KDF", "1");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run reviewdesk")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// `ca issue` from the CA in `ca` into `dir/file`; its fingerprint.
fn issue(ca: &Path, dir: &Path, file: &str, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let out = dir.join(file);
    let mut args = vec!["ca", "issue", "--ca", s(ca), "--name", name];
    args.extend_from_slice(extra);
    args.extend(["-o", s(&out), "--json"]);
    let o = run(&args);
    assert!(o.status.success(), "{o:?}");
    let fp = json(&o)["fingerprint"].as_str().expect("fp").to_string();
    (out, fp)
}

#[test]
fn the_roster_keeps_a_persons_encryption_certificate_checked_like_the_signing_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let ca = d.join("ca");
    let foreign = d.join("foreign");
    for (out, name) in [(&ca, "渝中区大数据局"), (&foreign, "别的机构")] {
        assert!(run(&["ca", "new", "--name", name, "-o", s(out)])
            .status
            .success());
    }
    let (admin, admin_fp) = issue(&ca, d, "admin.p12", "管理员", &[]);
    let (zhang, _) = issue(&ca, d, "zhang.p12", "张审核", &[]);
    let (zhang_enc, enc_fp) = issue(&ca, d, "zhang-enc.p12", "张审核", &["--encryption"]);
    let (li_enc, _) = issue(&ca, d, "li-enc.p12", "李审批", &["--encryption"]);
    let (stranger_enc, _) = issue(&foreign, d, "x-enc.p12", "张审核", &["--encryption"]);
    // `--encryption` makes an encryption certificate: keyEncipherment, no signing
    let p12 = std::fs::read(&zhang_enc).expect("p12");
    let enc = letters::import_pkcs12(&p12, PW).expect("open p12");
    assert!(chain::is_encryption(enc.certificate()));
    assert!(!chain::is_signing(enc.certificate()));
    // … exported as PEM too, the way a bureau hands certificates out
    let enc_pem = d.join("zhang-enc.pem");
    std::fs::write(
        &enc_pem,
        der::EncodePem::to_pem(enc.certificate(), der::pem::LineEnding::LF).expect("pem"),
    )
    .expect("write pem");

    let db = d.join("home.db");
    let as_admin = |args: &[&str]| {
        bin()
            .arg("--db")
            .arg(&db)
            .arg("--identity")
            .arg(&admin)
            .args(args)
            .output()
            .expect("run")
    };
    let o = as_admin(&["roster", "init", "--ca", s(&ca.join("ca.pem")), "--json"]);
    assert!(o.status.success(), "{o:?}");
    let listed = || json(&as_admin(&["roster", "list", "--json"]));
    let add_zhang = |enc: &Path| {
        as_admin(&[
            "roster",
            "add",
            s(&zhang),
            "--role",
            "reviewer",
            "--encryption",
            s(enc),
            "--json",
        ])
    };
    let before = listed();

    // refused, each by name, and the roster unchanged
    let sm2 =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/letters/testdata/sm2-selfsigned.pem");
    for (enc, code) in [
        (zhang.as_path(), "no_encryption_key_usage"),
        (stranger_enc.as_path(), "not_trusted"),
        (li_enc.as_path(), "encryption_other_person"),
        (sm2.as_path(), "sm2_unsupported"),
    ] {
        let o = add_zhang(enc);
        assert_eq!(refusal(&o), (Some(1), code.to_string()), "{o:?}");
    }
    assert_eq!(listed(), before, "a refused addition changes nothing");

    // accepted from the .p12 or from PEM
    let o = add_zhang(&enc_pem);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        json(&o)["people"][0]["encryption_fingerprint"],
        enc_fp.as_str()
    );
    // new roles without --encryption keep the certificate recorded before
    let o = as_admin(&[
        "roster",
        "add",
        s(&zhang),
        "--role",
        "reviewer",
        "--role",
        "approver",
    ]);
    assert!(o.status.success(), "{o:?}");
    let people = listed()["people"].as_array().expect("people").clone();
    let by = |holder: &str| {
        people
            .iter()
            .find(|p| p["holder"] == holder)
            .unwrap_or_else(|| panic!("{holder} in {people:?}"))
            .clone()
    };
    let z = by("张审核");
    assert_eq!(z["encryption_fingerprint"], enc_fp.as_str());
    assert_eq!(z["roles"], serde_json::json!(["reviewer", "approver"]));
    for key in ["holder", "fingerprint", "roles", "test"] {
        assert!(z.get(key).is_some(), "{key} kept in {z}");
    }
    let a = by("管理员");
    assert_eq!(a["encryption_fingerprint"], Value::Null);
    let zhang_fp = z["fingerprint"].as_str().expect("fp").to_string();

    // what round packages will be encrypted to: the encryption certificate,
    // else the signing one
    let secret = reviewdesk_engine::store::Secret::passphrase("two-certificates-store");
    let store = reviewdesk_engine::store::unlock(&db, &secret)
        .expect("unlock")
        .store;
    let to = |fp: &str| {
        reviewdesk_engine::people::fingerprint(
            &roster::recipient_certificate(store.conn(), fp)
                .expect("read")
                .expect("on the roster"),
        )
    };
    assert_eq!(to(&zhang_fp), enc_fp);
    assert_eq!(to(&admin_fp), admin_fp);
    assert!(roster::recipient_certificate(store.conn(), "00")
        .expect("read")
        .is_none());
    let _ = li_enc;
}
