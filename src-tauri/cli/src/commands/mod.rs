//! One module per group of commands; `main`'s `inner` parses nothing and
//! decides nothing, it hands each command to its function here.

pub(crate) mod applications;
pub(crate) mod audit;
pub(crate) mod clawback;
pub(crate) mod demo;
pub(crate) mod desk;
pub(crate) mod guide;
pub(crate) mod letter;
pub(crate) mod notice;
pub(crate) mod operations;
pub(crate) mod package;
pub(crate) mod people;
pub(crate) mod review;
pub(crate) mod rules;
pub(crate) mod store;
pub(crate) mod verify;
