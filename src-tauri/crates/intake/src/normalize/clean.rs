//! Text clean-up: full-width forms folded, blanks (including odd spaces and
//! line breaks) trimmed or removed, what a cell shows.

use super::numbers::excel_general;
use crate::grid::CellValue;

/// Fold full-width ASCII forms (U+FF01–U+FF5E: digits, letters, punctuation)
/// to their half-width forms and the ideographic space (U+3000) to a space.
/// "１，２０５．５" → "1,205.5". Chinese characters and CJK punctuation such as
/// 、 and 。 are left alone.
pub fn fold_width(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A name as "the same project" compares it: full-width forms folded,
/// trimmed (the importer's other-support check and the evaluation's
/// 就高不重复 both use it).
pub fn name_key(s: &str) -> String {
    fold_width(s).trim().to_string()
}

/// Characters that count as blank at the edges of a cell: Unicode white space
/// (spaces, tabs, line breaks, NBSP, ideographic space) plus zero-width
/// characters and the byte-order mark that copy-paste leaves behind.
pub(super) fn is_blank_char(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Trim surrounding white space including line breaks, ideographic spaces
/// and zero-width characters.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_blank_char)
}

/// Remove every blank character (used for labels, codes and numbers, where
/// inner spaces carry no meaning).
pub fn remove_blanks(s: &str) -> String {
    s.chars().filter(|&c| !is_blank_char(c)).collect()
}

/// `remove_blanks(&fold_width(s))` in one pass (one allocation).
pub fn fold_width_without_blanks(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|&c| !is_blank_char(c))
        .collect()
}

/// True when the cell holds nothing but blanks (an empty text).
pub fn is_blank(cell: &CellValue) -> bool {
    match cell {
        CellValue::Text(s) => trim(s).is_empty(),
        _ => false,
    }
}

/// What a reviewer would see in the cell, trimmed; numbers as Excel's General
/// format shows them (so a credit code typed as a number reads "9.15001E+17").
pub fn found_text(cell: &CellValue) -> String {
    match cell {
        CellValue::Number(n) => excel_general(n),
        other => trim(&other.raw_text()).to_string(),
    }
}

/// `found_text` for text, raw for numbers (used where the exact digits matter).
pub(super) fn shown(cell: &CellValue) -> String {
    trim(&cell.raw_text()).to_string()
}
