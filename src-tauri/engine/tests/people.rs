//! The roster: started once by an administrator of the bureau's CA, people
//! added only by an administrator and only from a trusted CA, roles checked
//! by certificate, and every act signed by the person who made it.

use std::sync::Arc;

use reviewdesk_engine::letters::{IssueSpec, TestAuthority};
use reviewdesk_engine::people::{acts, roster, Identity, Role};
use reviewdesk_engine::store::Store;

fn person(ca: &TestAuthority, name: &str) -> Identity {
    let s = ca.issue(&IssueSpec::person(name, 365)).expect("issue");
    Identity::from_signer(Arc::new(s), format!("test:{name}")).expect("identity")
}

#[test]
fn the_roster_is_the_bureaus_and_every_act_is_signed() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open(&dir.path().join("s.db")).expect("open");
    let ca = TestAuthority::named("渝中区大数据局").expect("ca");
    let foreign = TestAuthority::named("别处").expect("ca");
    let admin = person(&ca, "管理员");
    let zhang = person(&ca, "张审核");
    let stranger = person(&foreign, "王某");

    // the first administrator must chain to the CA that init names
    let e = roster::init(&mut store, &stranger, ca.certificate()).expect_err("foreign admin");
    assert_eq!(e.code(), "not_trusted", "{e}");
    assert!(
        !roster::has_roster(store.conn()).expect("q"),
        "nothing written"
    );
    // a person's certificate is not a CA
    let e = roster::init(&mut store, &admin, zhang.certificate()).expect_err("leaf as CA");
    assert_eq!(e.code(), "not_a_ca", "{e}");

    roster::init(&mut store, &admin, ca.certificate()).expect("init");
    let e = roster::init(&mut store, &admin, ca.certificate()).expect_err("twice");
    assert_eq!(e.code(), "roster_exists");

    // only an administrator adds, only people of a trusted CA
    let e = roster::add(&mut store, &zhang, zhang.certificate(), &[Role::Reviewer])
        .expect_err("not admin");
    assert_eq!(e.code(), "not_in_roster", "{e}");
    let e = roster::add(
        &mut store,
        &admin,
        stranger.certificate(),
        &[Role::Approver],
    )
    .expect_err("foreign person");
    assert_eq!(e.code(), "not_trusted", "{e}");
    roster::add(&mut store, &admin, zhang.certificate(), &[Role::Reviewer]).expect("add");

    let people = roster::list(store.conn()).expect("list");
    assert_eq!(people.len(), 2);
    let z = people.iter().find(|p| p.holder == "张审核").expect("zhang");
    assert_eq!(z.roles, vec![Role::Reviewer]);
    assert!(z.test);

    roster::require(store.conn(), &zhang, Role::Reviewer).expect("reviewer");
    let e = roster::require(store.conn(), &zhang, Role::Approver).expect_err("no approver role");
    assert_eq!(e.code(), "not_allowed");

    // every act above is signed by its author and checks
    let report = acts::verify(store.conn()).expect("acts");
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.signed, 2, "init and add: {report:?}");
    assert!(store.verify_audit().expect("chain").ok);
}
