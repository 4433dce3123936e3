//! Who is acting: signing in with a personal certificate (a .p12 file or a
//! PKCS#11 token, like a UKey login) once per session, signing out, the
//! roster, starting it with the bureau's CA, and the training set-up (a
//! test bureau with four people and a seal in one step). Every decision
//! (who may sign in, what the roster says, chain checks) is the engine's.

use std::path::{Path, PathBuf};

use reviewdesk_engine::letters::chain;
use reviewdesk_engine::paths;
use reviewdesk_engine::people::training::{self, TestBureau};
use reviewdesk_engine::people::{roster, Identity, Person, Role};
use reviewdesk_engine::store::Store;
use reviewdesk_engine::EngineError;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::error::IpcError;
use crate::state::AppState;

/// The person signed in, as the header shows them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActingPerson {
    pub holder: String,
    pub fingerprint: String,
    /// Their roles on the roster (empty on a store without one).
    pub roles: Vec<Role>,
    /// A test certificate (测试 TEST ONLY).
    pub test: bool,
    /// Where the identity was opened from: a file path or a `pkcs11:` URI.
    pub source: String,
}

/// What the sign-in screen offers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SignInChoices {
    /// The store has a roster (else: create test people, or start it).
    pub roster: bool,
    /// Identity files on this workstation: the training people.
    pub files: Vec<KnownIdentity>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct KnownIdentity {
    /// The file (full path), as `sign_in` takes it.
    pub file: String,
    /// Its holder and roles when the roster knows the file's stem (training).
    pub holder: Option<String>,
    pub roles: Vec<Role>,
}

/// The training people's folder.
fn training_dir() -> PathBuf {
    paths::data_dir().join("training")
}

fn acting(store: &Store, who: &Identity) -> Result<ActingPerson, EngineError> {
    let roles = roster::person(store.conn(), who.fingerprint())?
        .map(|p| p.roles)
        .unwrap_or_default();
    Ok(ActingPerson {
        holder: who.holder().to_string(),
        fingerprint: who.fingerprint().to_string(),
        roles,
        test: who.is_test(),
        source: who.source().to_string(),
    })
}

/// The person signed in, if any.
#[tauri::command]
pub async fn current_person(app: AppHandle) -> Result<Option<ActingPerson>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let Some(who) = state.person_if_any() else {
            return Ok(None);
        };
        state.with_store(|s| acting(s, &who)).map(Some)
    })
    .await
}

/// The sign-in screen's choices: whether there is a roster, and the
/// identity files of the training people with their roster entries.
#[tauri::command]
pub async fn sign_in_choices(app: AppHandle) -> Result<SignInChoices, IpcError> {
    blocking(move || {
        let people = app
            .state::<AppState>()
            .with_store(|s| Ok((roster::has_roster(s.conn())?, roster::list(s.conn())?)))?;
        let (has, list) = people;
        let mut files = Vec::new();
        let dir = training_dir();
        for (stem, name, roles) in training::TEST_PEOPLE {
            let file = training::person_file(&dir, stem);
            if !file.is_file() {
                continue;
            }
            let on_roster = list.iter().find(|p: &&Person| p.holder.contains(name));
            files.push(KnownIdentity {
                file: file.display().to_string(),
                holder: on_roster.map(|p| p.holder.clone()),
                roles: on_roster.map(|p| p.roles.clone()).unwrap_or(roles.to_vec()),
            });
        }
        Ok(SignInChoices { roster: has, files })
    })
    .await
}

/// Pick an identity file (.p12/.pfx) in the native dialog; its path, or
/// `None` when the dialog was closed.
#[tauri::command]
pub async fn choose_identity_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || {
        Ok(app
            .dialog()
            .file()
            .set_title("选择您的个人证书 / Choose your personal certificate")
            .add_filter("PKCS#12 (.p12 .pfx)", &["p12", "pfx"])
            .blocking_pick_file()
            .and_then(|f| f.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}

/// Sign in: unlock the identity at `spec` (a .p12 path or a `pkcs11:` URI)
/// with its password or PIN (used here, never kept). On a store with a
/// roster the certificate must be on it and chain to a trusted CA now.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    spec: String,
    password: String,
) -> Result<ActingPerson, IpcError> {
    blocking(move || {
        let spec = spec.trim().to_string();
        if spec.is_empty() {
            return Err(IpcError::new(
                "invalid",
                "请选择证书文件或填写 UKey 的 pkcs11: 地址 / choose a certificate file or enter the UKey's pkcs11: URI",
            ));
        }
        if password.is_empty() {
            return Err(IpcError::new(
                "wrong_password",
                "请输入证书密码或 PIN / enter the certificate's password or PIN",
            ));
        }
        let who = Identity::open(&spec, &password).map_err(|e| {
            // the password dialog says "wrong password" where it was typed
            let mut e = IpcError::from(e);
            if e.code == "letter_pkcs12_password" {
                e.code = "wrong_password".into();
            }
            e
        })?;
        drop(password);
        let state = app.state::<AppState>();
        let person = state.with_store(|s| {
            if roster::has_roster(s.conn())? {
                let p = roster::person(s.conn(), who.fingerprint())?;
                if p.is_none() {
                    return Err(EngineError::coded(
                        "not_in_roster",
                        format!("{} 的证书不在本工作台的人员名册上：请管理员添加", who.holder()),
                        format!(
                            "{}'s certificate is not on this workstation's roster: an administrator adds it",
                            who.holder()
                        ),
                    ));
                }
                let cas = roster::trusted_cas(s.conn())?;
                chain::validate(
                    who.certificate(),
                    who.signer().chain(),
                    &cas,
                    chrono::Utc::now(),
                )
                .map_err(|p| EngineError::coded(p.code(), p.message_zh(), p.message_en()))?;
            }
            acting(s, &who)
        })?;
        state.set_person(Some(who))?;
        Ok(person)
    })
    .await
}

/// Sign out: the next act needs a sign-in (another person, or the same).
#[tauri::command]
pub async fn sign_out(app: AppHandle) -> Result<(), IpcError> {
    blocking(move || app.state::<AppState>().set_person(None)).await
}

/// Everyone on the roster with their roles.
#[tauri::command]
pub async fn roster_people(app: AppHandle) -> Result<Vec<Person>, IpcError> {
    blocking(move || {
        app.state::<AppState>()
            .with_store(|s| roster::list(s.conn()))
    })
    .await
}

fn read_certificate(path: &Path) -> Result<x509_cert::Certificate, IpcError> {
    let bytes = crate::error::read_file(path)?;
    Ok(roster::certificate_from_bytes(
        &bytes,
        &path.display().to_string(),
    )?)
}

fn pick(app: &AppHandle, title: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .blocking_pick_file()
        .and_then(|f| f.into_path().ok())
}

/// Start the roster of a store without one: choose the bureau CA's
/// certificate in the native dialog; it becomes the trusted CA and the
/// person signed in (whose certificate must chain to it) the first
/// administrator. `None`: the dialog was closed.
#[tauri::command]
pub async fn start_roster_with_dialog(app: AppHandle) -> Result<Option<ActingPerson>, IpcError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let who = state.person()?;
        let Some(path) = pick(
            &app,
            "选择局 CA 证书 / Choose the bureau CA's certificate",
            ("CA (.pem .cer .crt)", &["pem", "cer", "crt"]),
        ) else {
            return Ok(None);
        };
        let ca = read_certificate(&path)?;
        let person = state.with_store(|s| {
            roster::init(s, &who, &ca)?;
            acting(s, &who)
        })?;
        Ok(Some(person))
    })
    .await
}

/// Add a person to the roster, or change their roles (an administrator):
/// their certificate (.pem/.cer/.crt: the public part; their key never
/// leaves them) chosen in the native dialog, with `roles`. `None`: the
/// dialog was closed.
#[tauri::command]
pub async fn add_person_with_dialog(
    app: AppHandle,
    roles: Vec<String>,
) -> Result<Option<Person>, IpcError> {
    blocking(move || {
        let roles = roles
            .iter()
            .map(|r| r.parse::<Role>())
            .collect::<Result<Vec<_>, _>>()?;
        if roles.is_empty() {
            return Err(IpcError::new(
                "invalid",
                "请至少选择一个角色 / choose at least one role",
            ));
        }
        let state = app.state::<AppState>();
        let by = state.person()?;
        let Some(path) = pick(
            &app,
            "选择人员的证书 / Choose the person's certificate",
            ("Certificate (.pem .cer .crt)", &["pem", "cer", "crt"]),
        ) else {
            return Ok(None);
        };
        let cert = read_certificate(&path)?;
        Ok(Some(
            state.with_store(|s| roster::add(s, &by, &cert, &roles))?,
        ))
    })
    .await
}

/// Training in one step, on a store without a roster: a test bureau CA,
/// four test people (赵管理 administrator, 张审核 reviewer, 李审批 approver,
/// 王发文 register office) as .p12 files under `password` in the data
/// folder's `training/`, the roster started with them and the test seal kept
/// in the store. Everything is marked 测试 TEST ONLY.
#[tauri::command]
pub async fn create_test_people(app: AppHandle, password: String) -> Result<TestBureau, IpcError> {
    blocking(move || {
        let dir = training_dir();
        app.state::<AppState>()
            .with_store(|s| training::set_up(s, &dir, &password))
    })
    .await
}
