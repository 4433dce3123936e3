//! Choices, free text, credit codes, and yes / no.

use super::clean::{fold_width, found_text, remove_blanks, shown};
use super::numbers::{parse_decimal, prepare};
use super::NormError;
use crate::grid::CellValue;

fn choice_key(s: &str) -> String {
    remove_blanks(&fold_width(s)).to_uppercase()
}

/// One of `options`, matched after trimming and full-width folding (inner
/// blanks and ASCII case are ignored). Returns the option as listed.
pub fn choice(cell: &CellValue, options: &[&'static str]) -> Result<&'static str, NormError> {
    let found = choice_key(&cell.raw_text());
    if !matches!(cell, CellValue::Error(_)) {
        if let Some(o) = options.iter().find(|o| choice_key(o) == found) {
            return Ok(*o);
        }
    }
    Err(NormError::new(
        shown(cell),
        format!("以下之一：{}", options.join(" / ")),
        format!("one of: {}", options.join(" / ")),
    ))
}

/// Non-empty text of at most `max` characters, trimmed. Numbers, dates and
/// booleans are taken as the text they show; an error value is an error.
pub fn text(cell: &CellValue, max: usize) -> Result<String, NormError> {
    let err = || {
        NormError::new(
            shown(cell),
            format!("不超过 {max} 个字的文字"),
            format!("text of at most {max} characters"),
        )
    };
    if matches!(cell, CellValue::Error(_)) {
        return Err(err());
    }
    let s = shown(cell);
    if s.is_empty() || s.chars().count() > max {
        return Err(err());
    }
    Ok(s)
}

/// What a credit-code cell must hold, in words.
pub const USCC_EXPECTED_ZH: &str = "18 位统一社会信用代码（文本）";
pub const USCC_EXPECTED_EN: &str = "the 18-character unified social credit code, entered as text";

/// True when a credit-code cell holds a number, or text in scientific
/// notation ("9.15001E+17", e.g. pasted from Excel): the code's digits are
/// lost and cannot be recovered.
pub fn code_lost_to_a_number(cell: &CellValue) -> bool {
    match cell {
        CellValue::Number(_) => true,
        CellValue::Text(t) => {
            let s = remove_blanks(&fold_width(t)).to_ascii_uppercase();
            // A valid code of digits and one E ("915001000009000E00") reads
            // as a number too, but it is the code, not what Excel made of it.
            s.contains('E') && parse_decimal(&s).is_some() && !reviewdesk_domain::uscc::is_valid(&s)
        }
        _ => false,
    }
}

/// A unified social credit code: text, folded to half-width, inner spaces
/// removed, upper-cased, then validated (GB 32100-2015). A number cell means
/// Excel has turned the code into a floating-point number and digits are
/// lost: an error whose `found` is what Excel shows ("9.15001E+17").
pub fn credit_code(cell: &CellValue) -> Result<String, NormError> {
    match cell {
        _ if code_lost_to_a_number(cell) => Err(NormError::new(
            found_text(cell),
            USCC_EXPECTED_ZH,
            format!("{USCC_EXPECTED_EN} (Excel stored it as a number and digits were lost)"),
        )),
        CellValue::Text(t) => {
            let code = remove_blanks(&fold_width(t)).to_ascii_uppercase();
            reviewdesk_domain::uscc::validate(&code)
                .map(|_| code)
                .map_err(|e| {
                    NormError::new(
                        shown(cell),
                        format!("{USCC_EXPECTED_ZH}：{}", e.message_zh()),
                        format!("{USCC_EXPECTED_EN}: {}", e.message_en()),
                    )
                })
        }
        _ => Err(NormError::new(
            shown(cell),
            USCC_EXPECTED_ZH,
            USCC_EXPECTED_EN,
        )),
    }
}

/// 是/否, Y/N, y/n, Yes/No, √/×, ✓/✗, TRUE/FALSE (text or a boolean cell).
pub fn yes_no(cell: &CellValue) -> Result<bool, NormError> {
    let err = || NormError::new(shown(cell), "「是」或「否」", "是 (yes) or 否 (no)");
    match cell {
        CellValue::Bool(b) => Ok(*b),
        CellValue::Text(t) => match prepare(t).to_ascii_uppercase().as_str() {
            "是" | "Y" | "YES" | "TRUE" | "√" | "✓" | "✔" => Ok(true),
            "否" | "N" | "NO" | "FALSE" | "×" | "✗" | "✘" => Ok(false),
            _ => Err(err()),
        },
        _ => Err(err()),
    }
}
