//! `reviewdesk ca|roster|trust`: a test CA and its people for training, the
//! store's roster (who holds which roles, by certificate) and the CAs it
//! trusts. Real certificates come from the bureau's CA.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use der::{DecodePem, EncodePem};
use reviewdesk_engine::letters::{export_pkcs12, IssueSpec, Signer, TestAuthority};
use reviewdesk_engine::people::{self, roster, Role};
use reviewdesk_engine::EngineError;
use x509_cert::Certificate;

use crate::identity::{self, PASSWORD_ENV};
use crate::{print_json, unlock};

#[derive(Subcommand)]
pub enum CaCommand {
    /// A TEST certificate authority in DIR (ca.pem, and ca.p12 whose key is
    /// protected by $REVIEWDESK_IDENTITY_PASSWORD), marked 测试 TEST ONLY.
    New {
        #[arg(long)]
        name: String,
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        out: PathBuf,
        /// Always on: this command only makes test CAs.
        #[arg(long)]
        test: bool,
    },
    /// A person's certificate from the test CA in DIR, or with --seal the
    /// organisation's seal certificate (电子印章), or with --encryption the
    /// person's encryption certificate (keyEncipherment, a UKey's second
    /// certificate); the .p12's password is $REVIEWDESK_IDENTITY_PASSWORD.
    Issue {
        #[arg(long, value_name = "DIR")]
        ca: PathBuf,
        #[arg(long)]
        name: String,
        #[arg(long)]
        seal: bool,
        #[arg(long, conflicts_with = "seal")]
        encryption: bool,
        #[arg(long, default_value_t = 730)]
        days: u64,
        #[arg(short = 'o', long = "output", value_name = "FILE.p12")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum RosterCommand {
    /// Start the roster of a store without one: trust CA.pem and make the
    /// acting identity (chaining to it) the first administrator.
    Init {
        #[arg(long, value_name = "CA.pem")]
        ca: PathBuf,
    },
    /// Add a person (their .p12 or certificate) with roles, or change their
    /// roles (an administrator).
    Add {
        #[arg(value_name = "PERSON.p12|CERT.pem")]
        person: PathBuf,
        #[arg(
            long = "role",
            required = true,
            value_name = "reviewer|approver|register|admin"
        )]
        roles: Vec<String>,
        /// The person's encryption certificate (.p12 or PEM/DER), when
        /// their UKey carries one beside the signing certificate.
        #[arg(long, value_name = "ENC.p12|ENC.pem")]
        encryption: Option<PathBuf>,
    },
    /// Everyone on the roster with their roles.
    List,
    /// Take a person off the roster (an administrator); their past signed
    /// acts still verify, a package they sign is refused.
    Remove {
        #[arg(value_name = "PERSON.p12|CERT.pem")]
        person: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum TrustCommand {
    /// Trust another CA (an administrator).
    Add {
        #[arg(value_name = "CA.pem")]
        ca: PathBuf,
    },
    /// The CAs the store trusts.
    List,
}

fn io(path: &Path, e: impl std::fmt::Display) -> EngineError {
    EngineError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn password() -> Result<zeroize::Zeroizing<String>, EngineError> {
    identity::secret(&[PASSWORD_ENV], "证书密码 / certificate password")
}

fn letter_err(e: reviewdesk_engine::letters::LetterError) -> EngineError {
    EngineError::coded_bilingual(e.code(), &e.to_string())
}

/// Key material (the CA's and people's .p12): 0600, written whole.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    reviewdesk_engine::store::write_atomic(path, bytes)
}

/// `reviewdesk ca new|issue`.
pub(crate) fn ca(command: &CaCommand, json: bool) -> Result<ExitCode, EngineError> {
    match command {
        CaCommand::New { name, out, .. } => {
            let pw = password()?;
            let ca = TestAuthority::named(name).map_err(letter_err)?;
            std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
            let pem = ca.certificate_pem().map_err(letter_err)?;
            let pem_path = out.join("ca.pem");
            std::fs::write(&pem_path, pem).map_err(|e| io(&pem_path, e))?;
            write_private(&out.join("ca.p12"), &ca.to_pkcs12(&pw).map_err(letter_err)?)?;
            let fp = people::fingerprint(ca.certificate());
            if json {
                print_json(&serde_json::json!({
                    "ca": pem_path.display().to_string(), "fingerprint": fp, "test": true
                }))?;
            }
            eprintln!(
                "测试 CA（TEST ONLY）：{} / test CA written",
                pem_path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        CaCommand::Issue {
            ca,
            name,
            seal,
            encryption,
            days,
            out,
        } => {
            let pw = password()?;
            let p12 = ca.join("ca.p12");
            let bytes = std::fs::read(&p12).map_err(|e| io(&p12, e))?;
            let authority = TestAuthority::from_pkcs12(&bytes, &pw).map_err(letter_err)?;
            let spec = if *seal {
                IssueSpec::seal(name, *days)
            } else if *encryption {
                IssueSpec::encryption(name, *days)
            } else {
                IssueSpec::person(name, *days)
            };
            let signer = authority.issue(&spec).map_err(letter_err)?;
            write_private(out, &export_pkcs12(&signer, &pw).map_err(letter_err)?)?;
            let cert = signer.certificate();
            if json {
                print_json(&serde_json::json!({
                    "p12": out.display().to_string(),
                    "fingerprint": people::fingerprint(cert),
                    "holder": people::holder(cert),
                }))?;
            }
            eprintln!(
                "已签发 {}：{} / issued",
                people::holder(cert),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A certificate from a .p12 (password from the environment or a prompt)
/// or a PEM/DER file.
pub(crate) fn certificate_of(path: &Path) -> Result<Certificate, EngineError> {
    let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
    let is_p12 = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("p12") || x.eq_ignore_ascii_case("pfx"));
    if is_p12 {
        let pw = password()?;
        let s = reviewdesk_engine::letters::import_pkcs12(&bytes, &pw).map_err(letter_err)?;
        return Ok(s.certificate().clone());
    }
    roster::certificate_from_bytes(&bytes, &path.display().to_string())
}

pub(crate) fn ca_file(path: &Path) -> Result<Certificate, EngineError> {
    let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
    if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        return Certificate::from_pem(&bytes).map_err(|e| {
            EngineError::coded(
                "certificate_invalid",
                format!("{} 不是证书：{e}", path.display()),
                format!("{} is not a certificate: {e}", path.display()),
            )
        });
    }
    roster::certificate_from_bytes(&bytes, &path.display().to_string())
}

fn people_json(list: &[roster::Person]) -> serde_json::Value {
    serde_json::json!({ "people": list })
}

/// `reviewdesk roster init|add|list`.
pub(crate) fn roster_cmd(
    db: &Path,
    identity_flag: Option<&str>,
    command: &RosterCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    match command {
        RosterCommand::List => {
            let store = unlock::open_existing(db)?;
            let list = roster::list(store.conn())?;
            if json {
                print_json(&people_json(&list))?;
            }
            for p in &list {
                let roles: Vec<&str> = p.roles.iter().map(|r| r.zh()).collect();
                let enc = p
                    .encryption_fingerprint
                    .as_deref()
                    .map(|e| format!("  加密证书 encryption {}", e.get(..16).unwrap_or(e)))
                    .unwrap_or_default();
                eprintln!(
                    "{}{}  {}  {}{enc}",
                    p.holder,
                    if p.test { "（测试 TEST ONLY）" } else { "" },
                    p.fingerprint.get(..16).unwrap_or(&p.fingerprint),
                    roles.join("、")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        RosterCommand::Remove { person } => {
            let by = identity::person(identity_flag, "roster remove ")?;
            let cert = certificate_of(person)?;
            let mut store = unlock::open_store(db)?;
            roster::remove(&mut store, &by, &cert)?;
            if json {
                print_json(
                    &serde_json::json!({ "removed": reviewdesk_engine::people::fingerprint(&cert) }),
                )?;
            }
            eprintln!("已移出名册 / removed from the roster");
            Ok(ExitCode::SUCCESS)
        }
        RosterCommand::Init { ca } => {
            let admin = identity::person(identity_flag, "roster init ")?;
            let ca = ca_file(ca)?;
            let mut store = unlock::open_store(db)?;
            let p = roster::init(&mut store, &admin, &ca)?;
            if json {
                print_json(&people_json(std::slice::from_ref(&p)))?;
            }
            eprintln!("名册已建立，管理员：{} / roster started", p.holder);
            Ok(ExitCode::SUCCESS)
        }
        RosterCommand::Add {
            person,
            roles,
            encryption,
        } => {
            let by = identity::person(identity_flag, "roster add ")?;
            let roles = roles
                .iter()
                .map(|r| r.parse::<Role>())
                .collect::<Result<Vec<_>, _>>()?;
            let cert = certificate_of(person)?;
            let enc = encryption.as_deref().map(certificate_of).transpose()?;
            let mut store = unlock::open_store(db)?;
            let p = roster::add_with_encryption(&mut store, &by, &cert, &roles, enc.as_ref())?;
            if json {
                print_json(&people_json(std::slice::from_ref(&p)))?;
            }
            eprintln!("已加入名册：{} / added", p.holder);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `reviewdesk trust add|list`.
pub(crate) fn trust_cmd(
    db: &Path,
    identity_flag: Option<&str>,
    command: &TrustCommand,
    json: bool,
) -> Result<ExitCode, EngineError> {
    match command {
        TrustCommand::Add { ca } => {
            let by = identity::person(identity_flag, "trust add ")?;
            let cert = ca_file(ca)?;
            let mut store = unlock::open_store(db)?;
            let sha = roster::trust_add(&mut store, &by, &cert)?;
            if json {
                print_json(&serde_json::json!({ "ca": sha }))?;
            }
            eprintln!("已信任 / trusted: {}", cert.tbs_certificate().subject());
            Ok(ExitCode::SUCCESS)
        }
        TrustCommand::List => {
            let store = unlock::open_existing(db)?;
            let cas = roster::trusted_cas(store.conn())?;
            let list: Vec<serde_json::Value> = cas
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "subject": c.tbs_certificate().subject().to_string(),
                        "fingerprint": people::fingerprint(c),
                        "test": reviewdesk_engine::letters::chain::is_test(c),
                        "pem": c.to_pem(der::pem::LineEnding::LF).unwrap_or_default(),
                    })
                })
                .collect();
            if json {
                print_json(&serde_json::json!({ "cas": list }))?;
            }
            for c in &cas {
                eprintln!("{}", c.tbs_certificate().subject());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
