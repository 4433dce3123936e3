//! People and keys: who acts, with which certificate, in which roles.
//!
//! - `identity`: an unlocked person (a .p12 file or a PKCS#11 token); its
//!   store actor signs every audit entry it makes.
//! - `roster`: the roster (名册: certificate → roles) and the trusted CAs,
//!   changed only by an administrator's signed act.
//! - `training`: a test bureau (CA, four people, a seal) and its roster in
//!   one step, for the demo, the first start and the tests.
//! - `token`: PKCS#11 (the UKey; SoftHSM2 in the tests) through `cryptoki`.
//! - `restore`: a backup restored as an administrator's signed act.
//!
//! Architecture Invariant: a typed name identifies nobody. Every act that
//! counts takes an [`Identity`]; four-eyes compares certificate
//! fingerprints, never names.

pub mod acts;
pub mod identity;
pub mod restore;
pub mod roster;
pub mod softhsm;
pub mod token;
pub mod training;

pub use identity::{fingerprint, holder, Identity};
pub use roster::{Person, Role};

impl crate::review::round::Identity for Identity {
    fn name(&self) -> String {
        self.holder().to_string()
    }
    fn credential_id(&self) -> String {
        format!("cert-sha256:{}", self.fingerprint())
    }
}
