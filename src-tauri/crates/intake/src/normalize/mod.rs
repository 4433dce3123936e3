//! Value normalisers: one cell as the applicant typed it → one exact, typed
//! value, or a `NormError` saying what was found and what was expected.
//!
//! Every function here is pure and total: no I/O, no panics, whatever the
//! input. Numbers are built from decimal text (a number cell arrives as its
//! shortest round-trip text), never through `f64`, so 120.35 万元 is exactly
//! 1,203,500 yuan.
//!
//! Applicants type full-width digits and punctuation (１，２０５．５), units
//! ("120万元"), thousands separators, surrounding spaces and line breaks;
//! all of that is accepted when it can be read with certainty. A different
//! unit than the column's (元 in a 万元 column) is converted exactly and
//! reported as a warning. Anything else is an error, never a guess.
//!
//! One file per kind of value: `clean` (blanks and full-width forms),
//! `numbers` (decimal text), `money`, `integers` (and quantities, years),
//! `dates`, `contact` (phone, e-mail, bank account), `text` (choices, free
//! text, credit codes, yes / no).

use serde::{Deserialize, Serialize};

mod clean;
mod contact;
mod dates;
mod integers;
mod money;
mod numbers;
#[cfg(test)]
mod tests;
mod text;

pub use clean::{
    fold_width, fold_width_without_blanks, found_text, is_blank, name_key, remove_blanks, trim,
};
pub use contact::{bank_account, email, phone};
pub use dates::{date, excel_serial_1900};
pub use integers::{integer, quantity, year};
pub use money::money_wan;
pub use numbers::{excel_general, parse_decimal};
pub use text::{
    choice, code_lost_to_a_number, credit_code, text, yes_no, USCC_EXPECTED_EN, USCC_EXPECTED_ZH,
};

/// A value that could not be read. `found` is what the cell shows (trimmed);
/// `expected_*` says what the column wants, in words for the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormError {
    pub found: String,
    pub expected_zh: String,
    pub expected_en: String,
}

impl NormError {
    fn new(found: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        NormError {
            found: found.into(),
            expected_zh: zh.into(),
            expected_en: en.into(),
        }
    }
}

impl std::fmt::Display for NormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "「{}」应为{} / \"{}\": expected {}",
            self.found, self.expected_zh, self.found, self.expected_en
        )
    }
}

impl std::error::Error for NormError {}

/// Something the reviewer should know about a value that was read: it was
/// converted (e.g. from 元 to 万元), not guessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormWarning {
    pub message_zh: String,
    pub message_en: String,
}

/// A normalised value with an optional warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised<T> {
    pub value: T,
    pub warning: Option<NormWarning>,
}
