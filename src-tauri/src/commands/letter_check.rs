//! The app's view of the engine's verdict on a letter file
//! (`register::verdict`), in the terms the window shows. Only a mapping: the
//! verdict itself is the engine's, the same the command line's `verify`
//! gives. Depends on nothing else in the app, so the CLI's test that both
//! shells agree (`cli/tests/same_verdict.rs`) compiles this very file.

use reviewdesk_engine::register::Verdict;
use serde::Serialize;

/// What the app's verification found, in the terms the window shows.
#[derive(Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LetterCheck {
    file_name: String,
    /// Everything below holds.
    valid: bool,
    signed: bool,
    signature_valid: bool,
    unchanged_since_signing: bool,
    /// Issued under a certificate this workstation trusts; none when no
    /// trust anchor is kept yet.
    trusted: Option<bool>,
    /// The signer chains to a TEST ONLY certificate authority: a test letter
    /// with no legal effect (测试证书 · 无法律效力), even when valid.
    test: bool,
    signer: Option<String>,
    signed_at: Option<String>,
    in_register: bool,
    voided: bool,
    /// The number of the amendment or revocation that replaced this letter.
    replaced_by: Option<String>,
    number: Option<String>,
    #[cfg_attr(
        test,
        ts(
            type = "\"approval\" | \"refusal\" | \"correction\" | \"amendment\" | \"revocation\" | null"
        )
    )]
    kind: Option<String>,
    credit_code: Option<String>,
    /// The register entry agrees with the decision it was issued from.
    content_matches: Option<bool>,
    sha256: String,
    problems: Vec<String>,
}

/// The window's check of the file `file_name` from the engine's verdict.
pub fn letter_check(file_name: String, v: Verdict) -> LetterCheck {
    let in_register = v.in_register() == Some(true);
    let voided = v.voided();
    let content_matches = v.content_matches();
    let entry = v.entry().cloned();
    let s = v.signature;
    LetterCheck {
        file_name,
        valid: v.valid,
        signed: s.signed,
        signature_valid: s.signature_valid,
        unchanged_since_signing: s.unchanged_since_signing,
        trusted: s.trusted,
        test: s.test,
        signer: s.signer,
        signed_at: s.signed_at,
        in_register,
        voided,
        replaced_by: entry.as_ref().and_then(|e| e.replaced_by.clone()),
        number: entry.as_ref().map(|e| e.number.clone()),
        kind: entry.as_ref().map(|e| e.kind.clone()),
        credit_code: entry.and_then(|e| e.credit_code),
        content_matches,
        sha256: s.file_sha256,
        problems: s.problems,
    }
}
