//! chain::validate: each reason a signer is not trusted, by name.
use super::*;
use crate::sign::Signer;
use crate::testca::{IssueSpec, TestAuthority, Usage};
use std::time::{Duration, SystemTime};

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn code(r: Result<TrustedChain, ChainProblem>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(p) => p.code(),
    }
}

#[test]
fn a_person_of_the_trusted_ca_is_trusted_and_marked_test() {
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let p = ca.issue(&IssueSpec::person("张审核", 365)).expect("person");
    let got = validate(
        p.certificate(),
        p.chain(),
        &[ca.certificate().clone()],
        now(),
    );
    let chain = got.expect("trusted");
    assert!(chain.test, "a test CA's person signs test letters");
    assert!(chain.anchor.contains("渝中区大数据局"), "{chain:?}");
}

#[test]
fn each_failure_is_named() {
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let anchors = [ca.certificate().clone()];
    let foreign = TestAuthority::named("别的机构").expect("ca");
    let stranger = foreign.issue(&IssueSpec::person("王某", 365)).expect("p");
    assert_eq!(
        code(validate(
            stranger.certificate(),
            stranger.chain(),
            &anchors,
            now()
        )),
        "not_trusted"
    );
    // no anchors at all: intact perhaps, but trusted by nobody
    let p = ca.issue(&IssueSpec::person("张审核", 365)).expect("p");
    assert_eq!(
        code(validate(p.certificate(), p.chain(), &[], now())),
        "no_trust_anchor"
    );
    // expired: valid for a day, two days ago
    let old = ca
        .issue(&IssueSpec {
            not_before: SystemTime::now() - Duration::from_secs(3 * 86400),
            valid_for: Duration::from_secs(86400),
            ..IssueSpec::person("旧证书", 1)
        })
        .expect("p");
    assert_eq!(
        code(validate(old.certificate(), old.chain(), &anchors, now())),
        "certificate_expired"
    );
    // … but it was valid when it signed, two and a half days ago
    let then = now() - chrono::Duration::hours(60);
    assert_eq!(
        code(validate(old.certificate(), old.chain(), &anchors, then)),
        "ok"
    );
    // an encryption certificate cannot sign
    let enc = ca
        .issue(&IssueSpec {
            usage: Usage::Encryption,
            ..IssueSpec::person("张审核", 365)
        })
        .expect("p");
    assert_eq!(
        code(validate(enc.certificate(), enc.chain(), &anchors, now())),
        "no_signing_key_usage"
    );
    // a trusted leaf that issues a certificate is not a CA
    let leaf = ca.issue(&IssueSpec::person("李审批", 365)).expect("leaf");
    let leaf_ca =
        TestAuthority::from_pkcs12(&crate::export_pkcs12(&leaf, "pw").expect("p12"), "pw");
    assert!(leaf_ca.is_err(), "a leaf is not loaded as a CA");
    let fake = leaf_as_issuer(&leaf);
    let mut inter = fake.chain().to_vec();
    inter.push(leaf.certificate().clone());
    assert_eq!(
        code(validate(fake.certificate(), &inter, &anchors, now())),
        "issuer_not_ca"
    );
    // trusting the leaf itself does not make it a CA either
    let leaf_anchor = [leaf.certificate().clone()];
    assert_eq!(
        code(validate(fake.certificate(), &[], &leaf_anchor, now())),
        "issuer_not_ca"
    );
    // a CA certificate does not sign documents
    let sub = ca
        .issue(&IssueSpec {
            ca: true,
            ..IssueSpec::person("下级CA", 365)
        })
        .expect("sub");
    assert_eq!(
        code(validate(sub.certificate(), sub.chain(), &anchors, now())),
        "ca_as_signer"
    );
}

#[test]
fn sm2_is_refused_by_name() {
    use der::DecodePem;
    let pem = include_str!("../testdata/sm2-selfsigned.pem");
    let sm2 = Certificate::from_pem(pem.as_bytes()).expect("pem");
    assert!(uses_sm2(&sm2));
    let got = validate(&sm2, &[], std::slice::from_ref(&sm2), now());
    let p = got.expect_err("sm2");
    assert_eq!(p.code(), "sm2_unsupported");
    assert!(p.message().contains("SM2"), "{}", p.message());
}

/// A certificate signed by `leaf`'s key as if it were a CA.
fn leaf_as_issuer(leaf: &crate::RsaSoftwareSigner) -> crate::RsaSoftwareSigner {
    let authority = TestAuthority::from_parts_for_tests(leaf);
    authority
        .issue(&IssueSpec::person("伪造", 365))
        .expect("issued by a leaf")
}

#[test]
fn an_encryption_certificate_is_validated_as_one() {
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let anchors = [ca.certificate().clone()];
    let enc = ca
        .issue(&IssueSpec::encryption("张审核", 365))
        .expect("enc");
    let chain = validate_encryption(enc.certificate(), enc.chain(), &anchors, now())
        .expect("an encryption certificate of the trusted CA");
    assert!(chain.test);
    assert!(is_encryption(enc.certificate()) && !is_signing(enc.certificate()));
    // a signing certificate is not an encryption certificate
    let sign = ca.issue(&IssueSpec::person("张审核", 365)).expect("sign");
    assert_eq!(
        code(validate_encryption(
            sign.certificate(),
            sign.chain(),
            &anchors,
            now()
        )),
        "no_encryption_key_usage"
    );
    // the same path rules: a foreign CA's, an expired one, a CA
    let foreign = TestAuthority::named("别的机构").expect("ca");
    let theirs = foreign
        .issue(&IssueSpec::encryption("王某", 365))
        .expect("enc");
    assert_eq!(
        code(validate_encryption(
            theirs.certificate(),
            theirs.chain(),
            &anchors,
            now()
        )),
        "not_trusted"
    );
    let old = ca
        .issue(&IssueSpec {
            not_before: SystemTime::now() - Duration::from_secs(3 * 86400),
            valid_for: Duration::from_secs(86400),
            ..IssueSpec::encryption("旧证书", 1)
        })
        .expect("old");
    assert_eq!(
        code(validate_encryption(
            old.certificate(),
            old.chain(),
            &anchors,
            now()
        )),
        "certificate_expired"
    );
    assert_eq!(
        code(validate_encryption(ca.certificate(), &[], &anchors, now())),
        "ca_as_signer"
    );
    // SM2 by name
    use der::DecodePem;
    let sm2 = Certificate::from_pem(include_str!("../testdata/sm2-selfsigned.pem").as_bytes())
        .expect("pem");
    assert_eq!(
        code(validate_encryption(&sm2, &[], &anchors, now())),
        "sm2_unsupported"
    );
}
