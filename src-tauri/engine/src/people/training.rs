//! Training in one step: a TEST bureau CA, four test people (an
//! administrator, a reviewer, an approver, a register officer) and a test
//! seal certificate, written as password-protected PKCS#12 files, and the
//! store's roster started with them. Everything made here says 测试 TEST
//! ONLY in its certificate, so a letter it signs is a test letter and never
//! carries the bureau's seal image (the chain check marks it `test`).
//!
//! The demo (`reviewdesk demo`), the window's first start (创建培训用测试人员)
//! and the end-to-end tests use this; real bureaus start the roster with
//! their own CA (`roster::init`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::identity::{fingerprint, holder, Identity};
use super::roster::{self, Role};
use crate::error::{EngineError, Result};
use crate::letters::{IssueSpec, RsaSoftwareSigner, Signer, TestAuthority};
use crate::store::Store;

/// The test bureau's name (its CA and its seal).
pub const TEST_BUREAU: &str = "渝中区大数据应用发展管理局（测试）";

/// The test people: (file stem, holder, roles). The holders are the names
/// the README's walkthrough uses; the two experts make, with the reviewer,
/// the panel of three the 2026 guide needs before a panel-scored project
/// can be proposed (`panel.min_scores`).
pub const TEST_PEOPLE: [(&str, &str, &[Role]); 6] = [
    ("admin", "赵管理", &[Role::Admin]),
    ("reviewer", "张审核", &[Role::Reviewer]),
    ("approver", "李审批", &[Role::Approver]),
    ("register", "王发文", &[Role::Register]),
    ("expert1", "钱评审", &[Role::Reviewer]),
    ("expert2", "孙评审", &[Role::Reviewer]),
];

/// One person's file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TestPerson {
    /// The certificate's holder (CN), as the roster shows it.
    pub holder: String,
    pub roles: Vec<Role>,
    /// The PKCS#12 file (password: the one given to [`create`]).
    pub file: String,
    pub fingerprint: String,
}

/// What [`create`] wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TestBureau {
    /// The test CA's certificate (give it to a PDF reader to trust test letters).
    pub ca_pem: String,
    pub people: Vec<TestPerson>,
    /// The test seal certificate (电子印章, TEST ONLY).
    pub seal: TestPerson,
}

fn letter_err(e: crate::letters::LetterError) -> EngineError {
    EngineError::coded_bilingual(e.code(), &e.to_string())
}

fn io(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// `bytes` in `path`, readable by the owner only (0600).
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| io(path, e))?;
    f.write_all(bytes).map_err(|e| io(path, e))?;
    f.sync_all().map_err(|e| io(path, e))
}

/// `dir` and its parents, the last one 0700.
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io(dir, e))
}

/// Where [`create`] writes the person `stem` of [`TEST_PEOPLE`] (or `seal`).
pub fn person_file(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("测试-TEST-{stem}.p12"))
}

/// The people and the seal in `dir` (made 0700 if new; files 0600, each
/// PKCS#12 under `password`). An existing set in `dir` is replaced.
pub fn create(dir: &Path, password: &str) -> Result<TestBureau> {
    if password.chars().count() < 4 {
        return Err(EngineError::coded(
            "weak_password",
            "测试证书的密码至少 4 个字符",
            "the test certificates' password needs at least 4 characters",
        ));
    }
    create_private_dir(dir)?;
    let ca = TestAuthority::named(TEST_BUREAU).map_err(letter_err)?;
    let ca_pem = dir.join("测试CA-TEST-ca.pem");
    let pem = ca.certificate_pem().map_err(letter_err)?;
    write_private(&ca_pem, pem.as_bytes())?;
    let save = |stem: &str, signer: &RsaSoftwareSigner, roles: Vec<Role>| -> Result<TestPerson> {
        let file = person_file(dir, stem);
        let p12 = crate::letters::export_pkcs12(signer, password).map_err(letter_err)?;
        write_private(&file, &p12)?;
        Ok(TestPerson {
            holder: holder(signer.certificate()),
            roles,
            file: file.display().to_string(),
            fingerprint: fingerprint(signer.certificate()),
        })
    };
    let mut people = Vec::new();
    for (stem, name, roles) in TEST_PEOPLE {
        let signer = ca
            .issue(&IssueSpec::person(name, 730))
            .map_err(letter_err)?;
        people.push(save(stem, &signer, roles.to_vec())?);
    }
    let seal = ca
        .issue(&IssueSpec::seal(TEST_BUREAU, 730))
        .map_err(letter_err)?;
    let seal = save("seal", &seal, Vec::new())?;
    Ok(TestBureau {
        ca_pem: ca_pem.display().to_string(),
        people,
        seal,
    })
}

/// Start the roster of `store` (which must have none) with `bureau`: its
/// CA trusted, its administrator the first administrator, the others added
/// with their roles, each step an administrator's signed act.
pub fn enrol(store: &mut Store, bureau: &TestBureau, password: &str) -> Result<()> {
    let ca = roster::certificate_from_bytes(
        &std::fs::read(&bureau.ca_pem).map_err(|e| EngineError::Io {
            path: bureau.ca_pem.clone(),
            reason: e.to_string(),
        })?,
        &bureau.ca_pem,
    )?;
    let mut people = bureau.people.iter();
    let first = people.next().ok_or_else(|| {
        EngineError::Invalid("测试人员为空 / the test bureau has no people".into())
    })?;
    let admin = Identity::open(&first.file, password)?;
    roster::init(store, &admin, &ca)?;
    for p in people {
        let who = Identity::open(&p.file, password)?;
        roster::add(store, &admin, who.certificate(), &p.roles)?;
    }
    Ok(())
}

/// [`create`] then [`enrol`], and the test seal kept in the store by the
/// register officer: the training set-up in one step. Refused on a
/// store that already has a roster (`roster_exists`) before any file is
/// written.
pub fn set_up(store: &mut Store, dir: &Path, password: &str) -> Result<TestBureau> {
    if roster::has_roster(store.conn())? {
        return Err(EngineError::coded(
            "roster_exists",
            "此数据库已有名册：测试人员只能在没有名册的数据库上创建",
            "this store already has a roster: test people are made only on a store without one",
        ));
    }
    let bureau = create(dir, password)?;
    enrol(store, &bureau, password)?;
    // The register office keeps the test seal in the store.
    let register = bureau
        .people
        .iter()
        .find(|p| p.roles.contains(&Role::Register))
        .ok_or_else(|| {
            EngineError::Invalid("测试人员中没有发文人员 / no register officer".into())
        })?;
    let officer = Identity::open(&register.file, password)?;
    let seal = std::fs::read(&bureau.seal.file).map_err(|e| io(Path::new(&bureau.seal.file), e))?;
    crate::register::seal_key::set_p12(store, &officer.actor(), &seal, password)?;
    Ok(bureau)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_step_makes_the_test_people_on_the_roster_and_a_test_seal() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&tmp.path().join("t.db")).expect("store");
        let bureau = set_up(&mut store, &tmp.path().join("people"), "test-pw").expect("set up");
        let roster = roster::list(store.conn()).expect("roster");
        assert_eq!(roster.len(), TEST_PEOPLE.len());
        let reviewers = roster.iter().filter(|p| p.roles == vec![Role::Reviewer]);
        assert_eq!(reviewers.count(), 3, "a panel of three");
        assert!(roster.iter().all(|p| p.test));
        let approver = roster
            .iter()
            .find(|p| p.holder.contains("李审批"))
            .expect("李审批");
        assert_eq!(approver.roles, vec![Role::Approver]);
        assert!(bureau.seal.holder.contains("测试"));
        let seal = crate::register::seal_key::info(&store)
            .expect("seal")
            .expect("kept");
        assert!(seal.test && seal.fingerprint == bureau.seal.fingerprint);
        for p in bureau.people.iter().chain([&bureau.seal]) {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p.file)
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{}", p.file);
        }
        // a second set-up is refused and writes nothing
        let again = tmp.path().join("again");
        let err = set_up(&mut store, &again, "test-pw").expect_err("roster exists");
        assert_eq!(err.code(), "roster_exists");
        assert!(!again.exists());
    }
}
