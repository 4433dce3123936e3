//! The acting person on the command line: `--identity FILE.p12` or a
//! `pkcs11:` URI (or `REVIEWDESK_IDENTITY`), unlocked with
//! `REVIEWDESK_IDENTITY_PASSWORD` or a prompt at a terminal. A typed name
//! identifies nobody: `--reviewer` is refused.

use std::io::IsTerminal;

use reviewdesk_engine::people::Identity;
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::EngineError;
use zeroize::Zeroizing;

pub const IDENTITY_ENV: &str = "REVIEWDESK_IDENTITY";
pub const PASSWORD_ENV: &str = "REVIEWDESK_IDENTITY_PASSWORD";
pub const SEAL_PASSWORD_ENV: &str = "REVIEWDESK_SEAL_PASSWORD";

/// The codes that mean "usage or environment" (exit 2), not "the state does
/// not allow it" (exit 1).
pub const ENVIRONMENT_CODES: &[&str] = &[
    "identity_required",
    "identity_unreadable",
    "identity_password",
    "wrong_password",
    "token_module",
    "token_missing",
    "token_uri",
    "not_register_store",
    "no_store",
    "store_damaged",
    "usage",
    "letter_font_missing",
    "letter_font_load",
    "letter_pkcs12_password",
];

fn required(what: &str) -> EngineError {
    EngineError::coded(
        "identity_required",
        format!("{what}需要操作人的证书：用 --identity FILE.p12 或 pkcs11: 地址（或 REVIEWDESK_IDENTITY）"),
        format!("{} needs the acting person's certificate: --identity FILE.p12 or a pkcs11: URI (or REVIEWDESK_IDENTITY)", what.trim()),
    )
}

/// A secret from `env`, else a prompt at a terminal, else refused (exit 2).
pub fn secret(env: &[&str], label: &str) -> Result<Zeroizing<String>, EngineError> {
    for e in env {
        if let Some(v) = std::env::var_os(e).filter(|v| !v.is_empty()) {
            return Ok(Zeroizing::new(v.to_string_lossy().into_owned()));
        }
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(EngineError::coded(
            "identity_password",
            format!("没有终端可以输入{label}：请设置 {}", env.join(" 或 ")),
            format!(
                "no terminal to type the {label} at: set {}",
                env.join(" or ")
            ),
        ));
    }
    rpassword::prompt_password(format!("{label}: "))
        .map(Zeroizing::new)
        .map_err(|e| {
            EngineError::coded(
                "identity_password",
                format!("无法读取{label}：{e}"),
                format!("cannot read the {label}: {e}"),
            )
        })
}

/// The spec of the acting identity, from `--identity` or the environment.
pub fn spec(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| std::env::var(IDENTITY_ENV).ok())
        .filter(|s| !s.trim().is_empty())
}

/// Opens a person's identity from `spec` (a file or a URI).
/// The bureau's seal certificate named by `--seal` (a .p12 or a pkcs11:
/// URI); its password from `REVIEWDESK_SEAL_PASSWORD`, else the identity
/// password, else a prompt.
pub fn open_seal(spec: &str) -> Result<Identity, EngineError> {
    open_spec(
        spec,
        &[SEAL_PASSWORD_ENV, PASSWORD_ENV],
        "印章证书密码 / seal password",
    )
}

pub fn open_spec(spec: &str, env: &[&str], label: &str) -> Result<Identity, EngineError> {
    let password = secret(env, label)?;
    let id = Identity::open(spec, &password)?;
    if id.is_test() {
        eprintln!(
            "注意：{} 是测试证书（TEST ONLY）/ note: {} holds a TEST ONLY certificate",
            id.holder(),
            id.holder()
        );
    }
    Ok(id)
}

/// The acting person, required for `what` (an act that counts).
pub fn person(flag: Option<&str>, what: &str) -> Result<Identity, EngineError> {
    let spec = spec(flag).ok_or_else(|| required(what))?;
    open_spec(&spec, &[PASSWORD_ENV], "证书密码 / identity password")
}

/// The store actor of the acting person, required for `what`.
pub fn actor(flag: Option<&str>, what: &str) -> Result<Actor, EngineError> {
    person(flag, what).map(|p| p.actor())
}

/// `--reviewer NAME` names nobody.
pub fn refuse_typed_name() -> EngineError {
    EngineError::coded(
        "identity_required",
        "--reviewer（输入的姓名）已停用：输入的姓名不能证明是谁，请用 --identity 证书",
        "--reviewer (a typed name) is no longer accepted: a typed name identifies nobody; use --identity",
    )
}
