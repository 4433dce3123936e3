//! A UKey with two certificates on a real PKCS#11 token (SoftHSM2): its
//! own test binary, since SoftHSM2 reads its token folder once per process
//! (`SOFTHSM2_CONF`) and `pkcs11_token.rs` has a token of its own.

use reviewdesk_engine::letters::{self, chain, IssueSpec, TestAuthority};
use reviewdesk_engine::people::softhsm::SoftToken;
use reviewdesk_engine::people::Identity;

/// A UKey with two certificates, each beside its own key: the identity
/// signs with the signing one (whichever the token lists first), finds the
/// encryption one too, and the roster keeps it as what to encrypt to.
#[test]
fn a_token_with_two_certificates_signs_with_the_signing_one() {
    use reviewdesk_engine::people::fingerprint;
    use reviewdesk_engine::people::roster::{self, Role};
    let dir = tempfile::tempdir().expect("tempdir");
    let token = SoftToken::create(dir.path(), "ukey", "1234")
        .expect("SoftHSM2 token (install softhsm2: scripts/setup.sh --test)");
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let sign = ca.issue(&IssueSpec::person("张审核", 365)).expect("sign");
    let enc = ca
        .issue(&IssueSpec::encryption("张审核", 365))
        .expect("encryption");
    // the encryption key goes on first
    token
        .put(&enc, "enc", 2)
        .expect("encryption key on the token");
    token
        .put(&sign, "sign", 1)
        .expect("signing key on the token");
    let sign_fp = fingerprint(letters::Signer::certificate(&sign));
    let enc_fp = fingerprint(letters::Signer::certificate(&enc));

    // the URI names the token only
    let uri = format!("pkcs11:token=ukey?module-path={}", token.module.display());
    let id = Identity::open(&uri, "1234").expect("identity on the token");
    assert_eq!(
        id.fingerprint(),
        sign_fp,
        "signs with the signing certificate"
    );
    let found = id
        .encryption_certificate()
        .expect("the encryption certificate");
    assert_eq!(fingerprint(found), enc_fp);
    assert!(
        id.signer().chain().iter().all(chain::is_ca),
        "the chain is the CAs"
    );
    chain::validate(
        id.certificate(),
        id.signer().chain(),
        &[ca.certificate().clone()],
        chrono::Utc::now(),
    )
    .expect("the signing certificate chains to the CA");
    // naming the encryption key is refused: it cannot sign
    let e = Identity::open(&token.uri("enc"), "1234").expect_err("an encryption key");
    assert_eq!(e.code(), "token_no_key", "{e}");

    // the roster keeps both; packages go to the encryption certificate
    let admin = Identity::from_signer(
        std::sync::Arc::new(ca.issue(&IssueSpec::person("管理员", 365)).expect("admin")),
        "admin".into(),
    )
    .expect("admin");
    let mut store = reviewdesk_engine::store::Store::open(&dir.path().join("s.db")).expect("store");
    roster::init(&mut store, &admin, ca.certificate()).expect("init");
    let p = roster::add_with_encryption(
        &mut store,
        &admin,
        id.certificate(),
        &[Role::Reviewer],
        id.encryption_certificate(),
    )
    .expect("add with both certificates");
    assert_eq!(p.encryption_fingerprint.as_deref(), Some(enc_fp.as_str()));
    let to = roster::recipient_certificate(store.conn(), &sign_fp)
        .expect("read")
        .expect("on the roster");
    assert_eq!(fingerprint(&to), enc_fp);
    let admin_to = roster::recipient_certificate(store.conn(), admin.fingerprint())
        .expect("read")
        .expect("on the roster");
    assert_eq!(
        fingerprint(&admin_to),
        admin.fingerprint(),
        "no encryption certificate: the signing one"
    );
}
