//! One round, many laptops: the round's home store (the one register of
//! the bureau) and the packages that carry a round between stores.
//!
//! - `home`: which store is a round's home; only it issues numbered
//!   letters and corrections ([`home::ensure_home`]).
//! - `envelope`: a package's bytes signed by the sender (CMS SignedData)
//!   and encrypted to the recipients (CMS EnvelopedData).
//! - `package`: the round package (home → laptop), the review package
//!   (laptop → home) and the hand-over of the home, exported and imported.
//! - `decisions`: proposals, approvals and returns replayed across stores,
//!   a decision known by its proposal; a change that meets another is a
//!   conflict, never applied over it.
//!
//! Architecture Invariant: a package is checked whole (its envelope, its
//! signer, every act's signature) before anything is written, and applied
//! in one transaction or not at all.

pub mod decisions;
pub mod envelope;
pub mod home;
pub mod package;
