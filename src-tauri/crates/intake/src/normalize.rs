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

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::grid::CellValue;

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

// ---------------------------------------------------------------------------
// Text clean-up

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

/// Characters that count as blank at the edges of a cell: Unicode white space
/// (spaces, tabs, line breaks, NBSP, ideographic space) plus zero-width
/// characters and the byte-order mark that copy-paste leaves behind.
fn is_blank_char(c: char) -> bool {
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
fn shown(cell: &CellValue) -> String {
    trim(&cell.raw_text()).to_string()
}

// ---------------------------------------------------------------------------
// Numbers

/// A decimal number taken apart: sign, significant digit string (no leading
/// zeros required) and the position of the decimal point within it (may be
/// negative or beyond the digits, after applying an exponent).
struct Parts {
    negative: bool,
    digits: String,
    point: i64,
}

/// Parse ASCII number text: optional sign, digits with optional comma
/// thousands grouping (1–3 digits, then groups of exactly 3), optional
/// fraction, optional exponent (`e`/`E`). Nothing else is allowed.
fn decompose(s: &str) -> Option<Parts> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    // Integer part, possibly grouped.
    let mut int_digits = String::new();
    let mut group_len = 0usize;
    let mut grouped = false;
    while i < b.len() {
        match b[i] {
            d @ b'0'..=b'9' => {
                int_digits.push(d as char);
                group_len += 1;
                i += 1;
            }
            b',' => {
                // A separator needs 1–3 digits before it (first group) or
                // exactly 3 (later groups), and 3 digits after it.
                if group_len == 0 || group_len > 3 || (grouped && group_len != 3) {
                    return None;
                }
                grouped = true;
                group_len = 0;
                i += 1;
            }
            _ => break,
        }
    }
    if grouped && group_len != 3 {
        return None;
    }
    let mut frac_digits = String::new();
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            frac_digits.push(b[i] as char);
            i += 1;
        }
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let mut exp: i64 = 0;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let mut exp_neg = false;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            exp_neg = b[i] == b'-';
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            // Bounded: a longer exponent is out of any range we accept.
            if i - start >= 4 {
                return None;
            }
            exp = exp * 10 + i64::from(b[i] - b'0');
            i += 1;
        }
        if i == start {
            return None;
        }
        if exp_neg {
            exp = -exp;
        }
    }
    if i != b.len() {
        return None;
    }
    let point = int_digits.len() as i64 + exp;
    let mut digits = int_digits;
    digits.push_str(&frac_digits);
    Some(Parts {
        negative,
        digits,
        point,
    })
}

/// Build an exact Decimal from parts; None when out of Decimal's range or
/// when it would need rounding.
fn parts_to_decimal(p: &Parts) -> Option<Decimal> {
    // Drop leading zeros (moving the point) and trailing zeros after it.
    let lead = p.digits.bytes().take_while(|&c| c == b'0').count();
    let digits = &p.digits[lead..];
    let point = p.point - lead as i64;
    if digits.is_empty() {
        return Some(Decimal::ZERO);
    }
    let len = digits.len() as i64;
    // Decimal holds at most 28–29 significant digits and scale 28.
    if !(-28..=29).contains(&point) || len > 60 {
        return None;
    }
    let text = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point >= len {
        format!("{}{}", digits, "0".repeat((point - len) as usize))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    let d = Decimal::from_str_exact(&text).ok()?;
    Some(if p.negative { -d } else { d })
}

/// Parse number text exactly (ASCII, already folded and trimmed). Accepts
/// thousands separators and an exponent; rejects everything else.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    parts_to_decimal(&decompose(s)?).map(|d| d.normalize())
}

/// Show a number cell the way Excel's General format does in a normal-width
/// column: integers up to 11 digits as they are, larger magnitudes in
/// scientific notation with at most 6 significant digits ("9.15001E+17").
/// Text that is not a number is returned trimmed.
pub fn excel_general(number_text: &str) -> String {
    let t = trim(number_text);
    let Some(p) = decompose(t) else {
        return t.to_string();
    };
    let lead = p.digits.bytes().take_while(|&c| c == b'0').count();
    let digits = p.digits[lead..].trim_end_matches('0');
    let point = p.point - lead as i64;
    if digits.is_empty() {
        return "0".to_string();
    }
    let sign = if p.negative { "-" } else { "" };
    // Magnitude below 1e11 and not tiny: show the plain decimal.
    if (-4..=11).contains(&point) {
        if let Some(d) = parts_to_decimal(&p) {
            return d.normalize().to_string();
        }
    }
    // Scientific: round the mantissa to 6 significant digits, half up.
    let mut exp = point - 1;
    let mut sig: Vec<u8> = digits.bytes().take(6).map(|c| c - b'0').collect();
    while sig.len() < 6 {
        sig.push(0);
    }
    if digits.len() > 6 && digits.as_bytes()[6] >= b'5' {
        let mut k = 5usize;
        loop {
            if sig[k] == 9 {
                sig[k] = 0;
                if k == 0 {
                    sig.insert(0, 1);
                    sig.truncate(6);
                    exp += 1;
                    break;
                }
                k -= 1;
            } else {
                sig[k] += 1;
                break;
            }
        }
    }
    let mut mantissa = String::new();
    mantissa.push((b'0' + sig[0]) as char);
    let frac: String = sig[1..].iter().map(|d| (b'0' + d) as char).collect();
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        mantissa.push('.');
        mantissa.push_str(frac);
    }
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}E{esign}{:02}", exp.abs())
}

/// Prepare number text typed by a person: trim, fold full-width forms, drop
/// inner spaces between the digits and the unit.
fn prepare(s: &str) -> String {
    remove_blanks(&fold_width(trim(s)))
}

/// Strip `unit` from the end of `s` (ASCII case-insensitive). Returns the
/// rest when the unit was there.
fn strip_unit<'a>(s: &'a str, unit: &str) -> Option<&'a str> {
    if unit.is_empty() || s.len() < unit.len() {
        return None;
    }
    let cut = s.len() - unit.len();
    if !s.is_char_boundary(cut) {
        return None;
    }
    let (head, tail) = s.split_at(cut);
    if tail.eq_ignore_ascii_case(unit) {
        Some(head)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Money

/// Largest amount accepted, in yuan (10^16, far above any real figure).
fn max_yuan() -> Decimal {
    Decimal::from(10_000_000_000_000_000i64)
}

const MONEY_ZH: &str = "不小于 0 的金额（单位万元，最多 6 位小数，如 120.35）";
const MONEY_EN: &str =
    "a non-negative amount in 万元 (10,000 yuan), at most 6 decimals, e.g. 120.35";

/// Units an applicant may type after an amount, with their value in yuan.
/// The column's own unit (万元, or 万 for short) comes first.
const MONEY_UNITS: &[(&str, i64)] = &[
    ("万元", 10_000),
    ("万", 10_000),
    ("亿元", 100_000_000),
    ("亿", 100_000_000),
    ("千元", 1_000),
    ("元", 1),
];

/// An amount in a 万元 column → exact yuan.
///
/// Accepts a number cell (its shortest round-trip text), or text with
/// full-width forms, thousands separators, spaces and a unit: "120万元" or
/// "120万" as is; "1,200,000元" (or 千元, 亿元) converted exactly with a
/// warning. Negative, non-numeric, over 6 decimals in 万元 (a fraction of a
/// fen) and absurdly large amounts are errors.
pub fn money_wan(cell: &CellValue) -> Result<Normalised<Decimal>, NormError> {
    let err = || NormError::new(shown(cell), MONEY_ZH, MONEY_EN);
    let (number, unit) = match cell {
        CellValue::Number(t) => (parse_decimal(trim(t)).ok_or_else(err)?, None),
        CellValue::Text(t) => {
            let s = prepare(t);
            let mut unit = None;
            let mut body = s.as_str();
            for &(u, factor) in MONEY_UNITS {
                if let Some(head) = strip_unit(&s, u) {
                    unit = Some((u, factor));
                    body = head;
                    break;
                }
            }
            (parse_decimal(body).ok_or_else(err)?, unit)
        }
        _ => return Err(err()),
    };
    if number.is_sign_negative() && !number.is_zero() {
        return Err(err());
    }
    let factor = unit.map(|(_, f)| f).unwrap_or(10_000);
    let yuan = number
        .checked_mul(Decimal::from(factor))
        .ok_or_else(err)?
        .normalize();
    // At most 6 decimals in 万元, i.e. whole fen.
    if yuan.scale() > 2 || yuan > max_yuan() {
        return Err(err());
    }
    let yuan = if yuan.is_zero() { Decimal::ZERO } else { yuan };
    let warning = match unit {
        Some((u, f)) if f != 10_000 => {
            let wan = (yuan / Decimal::from(10_000)).normalize();
            Some(NormWarning {
                message_zh: format!(
                    "金额单位应为万元，填写的是「{}」（单位{u}），已按 1 万元 = 10000 元换算为 {wan} 万元，请核对",
                    shown(cell)
                ),
                message_en: format!(
                    "the amount should be in 万元; \"{}\" (in {u}) was converted exactly to {wan} 万元, please check",
                    shown(cell)
                ),
            })
        }
        _ => None,
    };
    Ok(Normalised {
        value: yuan,
        warning,
    })
}

// ---------------------------------------------------------------------------
// Integers and decimals

fn unit_zh(unit: Option<&str>) -> String {
    unit.map(|u| format!("（单位{u}）")).unwrap_or_default()
}
fn unit_en(unit: Option<&str>) -> String {
    unit.map(|u| format!(" (in {u})")).unwrap_or_default()
}

/// Number text of a cell with the column's unit removed, or None.
fn number_of(cell: &CellValue, unit: Option<&str>) -> Option<Decimal> {
    match cell {
        CellValue::Number(t) => parse_decimal(trim(t)),
        CellValue::Text(t) => {
            let s = prepare(t);
            let body = unit.and_then(|u| strip_unit(&s, u)).unwrap_or(&s);
            parse_decimal(body)
        }
        _ => None,
    }
}

/// A whole number ≥ 0: "88", " 88 ", "８８", "1,200", "88人" (when `unit` is
/// the column's unit, e.g. "人"). Fractions, negatives and other units are
/// errors.
pub fn integer(cell: &CellValue, unit: Option<&str>) -> Result<i64, NormError> {
    let err = || {
        NormError::new(
            shown(cell),
            format!("不小于 0 的整数{}", unit_zh(unit)),
            format!("a whole number ≥ 0{}", unit_en(unit)),
        )
    };
    let d = number_of(cell, unit).ok_or_else(err)?;
    if (d.is_sign_negative() && !d.is_zero()) || !d.fract().is_zero() {
        return Err(err());
    }
    let v = i64::try_from(d.trunc()).map_err(|_| err())?;
    if v > 1_000_000_000_000_000 {
        return Err(err());
    }
    Ok(v)
}

/// A non-negative decimal quantity that is not money (算力规模 in PFLOPS,
/// 使用量 in 卡时), with the column's unit optionally typed after it.
pub fn quantity(cell: &CellValue, unit: Option<&str>) -> Result<Decimal, NormError> {
    let err = || {
        NormError::new(
            shown(cell),
            format!("不小于 0 的数值{}", unit_zh(unit)),
            format!("a number ≥ 0{}", unit_en(unit)),
        )
    };
    let d = number_of(cell, unit).ok_or_else(err)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(err());
    }
    if d.is_zero() {
        return Ok(Decimal::ZERO);
    }
    Ok(d.normalize())
}

/// A year such as 2026: a number, "2026" or "2026年"; 1900–2200.
pub fn year(cell: &CellValue) -> Result<i32, NormError> {
    let err = || {
        NormError::new(
            shown(cell),
            "四位年份，如 2026",
            "a four-digit year such as 2026",
        )
    };
    let n = match cell {
        CellValue::Date(_) => return Err(err()),
        _ => integer(cell, Some("年")).map_err(|_| err())?,
    };
    if !(1900..=2200).contains(&n) {
        return Err(err());
    }
    i32::try_from(n).map_err(|_| err())
}

// ---------------------------------------------------------------------------
// Dates

const DATE_ZH: &str = "日期，如 2025-03-01、2025/3/1、2025.3.1、2025年3月1日 或 2025年3月";
const DATE_EN: &str = "a date such as 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日 or 2025年3月";

/// Excel serial day number in the 1900 date system → date. Serial 1 is
/// 1900-01-01; Excel counts a non-existent 1900-02-29 as serial 60 (the
/// Lotus 1-2-3 leap-year bug), so serial 60 is rejected and later serials are
/// shifted by one. A fraction (time of day) is ignored.
pub fn excel_serial_1900(serial: Decimal) -> Option<NaiveDate> {
    if serial < Decimal::ONE || serial >= Decimal::from(2_958_466) {
        return None;
    }
    let days = i64::try_from(serial.trunc()).ok()?;
    if days == 60 {
        return None;
    }
    let base = if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(Duration::try_days(days)?)
}

fn ymd(y: &str, m: &str, d: Option<&str>) -> Option<NaiveDate> {
    let ok = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
    };
    if !ok(y, 4, 4) || !ok(m, 1, 2) || !d.is_none_or(|d| ok(d, 1, 2)) {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    let m: u32 = m.parse().ok()?;
    let d: u32 = match d {
        Some(d) => d.parse().ok()?,
        None => 1,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Drop a trailing time of day ("…T00:00:00", "… 08:30") from folded,
/// trimmed date text.
fn strip_time(s: &str) -> &str {
    let is_time = |t: &str| {
        t.contains(':')
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
    };
    if let Some((i, sep)) = s
        .char_indices()
        .rev()
        .find(|&(_, c)| c == 'T' || is_blank_char(c))
    {
        let tail = s.get(i + sep.len_utf8()..).unwrap_or("");
        if is_time(tail) {
            return trim(s.get(..i).unwrap_or(""));
        }
    }
    s
}

/// Parse date text (already folded and trimmed).
fn date_text(s: &str) -> Option<NaiveDate> {
    let s = remove_blanks(strip_time(s));
    let s = s.as_str();
    if let Some((y, rest)) = s.split_once('年') {
        let (m, rest) = rest.split_once('月')?;
        if rest.is_empty() {
            return ymd(y, m, None);
        }
        let day = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))?;
        return ymd(y, m, Some(day));
    }
    for sep in ['-', '/', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() == 3 {
            return ymd(parts[0], parts[1], Some(parts[2]));
        }
    }
    if s.len() == 8 && all_digits(s) {
        return ymd(s.get(..4)?, s.get(4..6)?, s.get(6..8));
    }
    None
}

/// A date: a real date cell; an Excel serial number (1900 system) arriving
/// as a number; or text in the forms 2025-03-01, 2025/3/1, 2025.3.1,
/// 2025年3月1日 and 2025年3月 (first of the month), also 20250301. A whole
/// number between 1900 and 2200 looks like a year, not a date: an error.
pub fn date(cell: &CellValue) -> Result<NaiveDate, NormError> {
    let err = || NormError::new(shown(cell), DATE_ZH, DATE_EN);
    match cell {
        CellValue::Date(t) => {
            let t = trim(t);
            let day = t.get(..10).unwrap_or(t);
            let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| err())?;
            // The same years as typed dates (an ODS date cell can hold year 18).
            if !(1900..=2200).contains(&d.year()) {
                return Err(err());
            }
            Ok(d)
        }
        CellValue::Number(t) => {
            let n = parse_decimal(trim(t)).ok_or_else(err)?;
            if n.fract().is_zero() && n >= Decimal::from(1900) && n <= Decimal::from(2200) {
                return Err(err());
            }
            if n.fract().is_zero()
                && n >= Decimal::from(19_000_101)
                && n <= Decimal::from(22_001_231)
            {
                let v = i64::try_from(n).map_err(|_| err())?;
                return date_text(&v.to_string()).ok_or_else(err);
            }
            excel_serial_1900(n).ok_or_else(err)
        }
        CellValue::Text(t) => date_text(&fold_width(trim(t))).ok_or_else(err),
        _ => Err(err()),
    }
}

// ---------------------------------------------------------------------------
// Yes / no

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

// ---------------------------------------------------------------------------
// Contact details

const PHONE_ZH: &str = "手机号（11 位，1 开头）或座机号（如 023-63768001，区号可省略）";
const PHONE_EN: &str = "a mobile number (11 digits starting 1[3-9]) or a landline such as 023-63768001 (area code optional)";

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

fn is_mobile(s: &str) -> bool {
    s.len() == 11
        && all_digits(s)
        && s.as_bytes()[0] == b'1'
        && (b'3'..=b'9').contains(&s.as_bytes()[1])
}

/// Local landline number: 7–8 digits, not starting with 0 or 1.
fn is_local(s: &str) -> bool {
    (7..=8).contains(&s.len()) && all_digits(s) && !matches!(s.as_bytes()[0], b'0' | b'1')
}

/// Area code length for digits starting with '0': 3 for 010 and 02x, else 4.
fn area_len(s: &str) -> usize {
    match s.as_bytes().get(1) {
        Some(b'1') | Some(b'2') => 3,
        _ => 4,
    }
}

/// A phone number: a mobile number (1[3-9] and 9 more digits; spaces,
/// hyphens and a +86 prefix allowed) → its 11 digits; or a landline of 7–8
/// digits with an optional area code (023-63768001, (023)63768001,
/// 02363768001) and an optional extension (-801 or 转801) → "023-63768001".
pub fn phone(cell: &CellValue) -> Result<String, NormError> {
    let err = || NormError::new(shown(cell), PHONE_ZH, PHONE_EN);
    let s = match cell {
        CellValue::Text(t) => prepare(t),
        CellValue::Number(t) => trim(t).to_string(),
        _ => return Err(err()),
    };
    // Mobile.
    let mut m: String = s.chars().filter(|&c| c != '-').collect();
    for prefix in ["(+86)", "+86", "0086"] {
        if let Some(rest) = m.strip_prefix(prefix) {
            m = rest.to_string();
            break;
        }
    }
    if m.len() == 13 && m.starts_with("86") && is_mobile(&m[2..]) {
        m = m[2..].to_string();
    }
    if is_mobile(&m) {
        return Ok(m);
    }
    // Landline: split off an extension.
    let (main, ext) = match s.split_once('转') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (s.clone(), None),
    };
    // Area code in brackets, before a hyphen, or run together.
    let (area, rest): (Option<String>, String) = if let Some(r) = main.strip_prefix('(') {
        let (a, r) = r.split_once(')').ok_or_else(err)?;
        (Some(a.to_string()), r.trim_start_matches('-').to_string())
    } else if main.starts_with('0') {
        let n = area_len(&main);
        let a = main.get(..n).ok_or_else(err)?;
        let r = main.get(n..).ok_or_else(err)?;
        (
            Some(a.to_string()),
            r.strip_prefix('-').unwrap_or(r).to_string(),
        )
    } else {
        (None, main)
    };
    let (local, ext) = match (rest.split_once('-'), ext) {
        (Some((l, e)), None) => (l.to_string(), Some(e.to_string())),
        (None, e) => (rest.clone(), e),
        (Some(_), Some(_)) => return Err(err()),
    };
    if let Some(a) = &area {
        if !(all_digits(a) && a.starts_with('0') && a.len() == area_len(a)) {
            return Err(err());
        }
    }
    if !is_local(&local) {
        return Err(err());
    }
    if let Some(e) = &ext {
        if !(all_digits(e) && e.len() <= 6) {
            return Err(err());
        }
    }
    let mut out = match area {
        Some(a) => format!("{a}-{local}"),
        None => local,
    };
    if let Some(e) = ext {
        out.push('-');
        out.push_str(&e);
    }
    Ok(out)
}

/// An e-mail address: one '@', a plain local part, a domain of at least two
/// labels ending in a letters-only top-level domain. Full-width forms are
/// folded; a "mailto:" prefix is dropped.
pub fn email(cell: &CellValue) -> Result<String, NormError> {
    let err = || {
        NormError::new(
            shown(cell),
            "电子邮箱地址，如 name@example.cn",
            "an e-mail address such as name@example.cn",
        )
    };
    let CellValue::Text(t) = cell else {
        return Err(err());
    };
    let s = fold_width(trim(t));
    let s = s.strip_prefix("mailto:").unwrap_or(&s);
    let (local, domain) = s.split_once('@').ok_or_else(err)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._%+-".contains(&c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(s.to_string())
    } else {
        Err(err())
    }
}

/// A bank account number: digits only once spaces are removed, 8–30 digits.
/// A number cell with more than 15 digits has lost digits to Excel's
/// floating point and is an error.
pub fn bank_account(cell: &CellValue) -> Result<String, NormError> {
    let err = || {
        NormError::new(
            found_text(cell),
            "8–30 位数字的银行账号（文本格式）",
            "a bank account number of 8–30 digits, entered as text",
        )
    };
    let s = match cell {
        CellValue::Text(t) => prepare(t),
        CellValue::Number(t) => {
            let t = trim(t);
            if !all_digits(t) || t.len() > 15 {
                return Err(err());
            }
            t.to_string()
        }
        _ => return Err(err()),
    };
    if all_digits(&s) && (8..=30).contains(&s.len()) {
        Ok(s)
    } else {
        Err(err())
    }
}

// ---------------------------------------------------------------------------
// Choices, text, credit codes

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.to_string())
    }
    fn n(s: &str) -> CellValue {
        CellValue::Number(s.to_string())
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_valid_code_that_looks_like_a_number_is_kept() {
        // Found by cargo-afl (scripts/fuzz.sh --afl): digits with one E read
        // as scientific notation, so a valid code was refused as "turned
        // into a number by Excel".
        let code = "915001000009000E00";
        assert!(reviewdesk_domain::uscc::is_valid(code));
        assert!(!code_lost_to_a_number(&t(code)));
        assert_eq!(credit_code(&t(code)), Ok(code.to_string()));
        assert_eq!(
            credit_code(&t(" ９１５００１０００００９０００ｅ００ ")),
            Ok(code.to_string())
        );
        // still refused: what Excel shows for a code stored as a number
        assert!(code_lost_to_a_number(&t("9.15001E+17")));
        assert!(credit_code(&t("9.15001E+17")).is_err());
    }

    #[test]
    fn date_cells_outside_the_typed_years_are_refused() {
        // Found by the fuzzer (scripts/fuzz.sh): a date cell "018-05-20"
        // was read as the year 18, while typed dates allow 1900–2200.
        assert!(date(&CellValue::Date("018-05-20".into())).is_err());
        assert!(date(&CellValue::Date("2201-01-01".into())).is_err());
        assert_eq!(
            date(&CellValue::Date("2025-04-18T00:00:00".into())),
            Ok(d(2025, 4, 18))
        );
    }

    #[test]
    fn folds_full_width_forms() {
        assert_eq!(fold_width("１，２０５．５"), "1,205.5");
        assert_eq!(fold_width("ＡＢＣａｂｃ＠（）：＊－＋"), "ABCabc@():*-+");
        assert_eq!(fold_width("渝中区\u{3000}解放碑"), "渝中区 解放碑");
        assert_eq!(fold_width("国家级、市级。"), "国家级、市级。");
    }

    #[test]
    fn trims_line_breaks_and_odd_spaces() {
        assert_eq!(trim(" \r\n\t 88 \u{3000}\u{00A0}\u{200B}\u{FEFF}"), "88");
        assert_eq!(trim("a\nb"), "a\nb");
        assert!(is_blank(&t(" \n\u{3000}")));
        assert!(!is_blank(&n("0")));
    }

    #[test]
    fn parses_numbers_with_separators_and_exponents() {
        assert_eq!(parse_decimal("1,205.5"), Some(dec("1205.5")));
        assert_eq!(parse_decimal("1,234,567"), Some(dec("1234567")));
        assert_eq!(parse_decimal("0.5"), Some(dec("0.5")));
        assert_eq!(parse_decimal(".5"), Some(dec("0.5")));
        assert_eq!(parse_decimal("9.15001e17"), Some(dec("915001000000000000")));
        assert_eq!(parse_decimal("1.5E-3"), Some(dec("0.0015")));
        assert_eq!(parse_decimal("-3"), Some(dec("-3")));
        for bad in [
            "", "1,2", "12,34", "1,2345", ",123", "1.2.3", "1_000", "abc", "1e", "e5", "1e99999",
            "1e400", "--1", "1 000",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn shows_numbers_like_excel_general() {
        assert_eq!(excel_general("915001000000000000"), "9.15001E+17");
        assert_eq!(excel_general("9.15001e17"), "9.15001E+17");
        assert_eq!(excel_general("915001031234567000"), "9.15001E+17");
        assert_eq!(excel_general("915001061234567000"), "9.15001E+17");
        assert_eq!(excel_general("915001051234567000"), "9.15001E+17");
        assert_eq!(excel_general("915001951234567000"), "9.15002E+17");
        assert_eq!(excel_general("999999951234567000"), "1E+18");
        assert_eq!(excel_general("1000000000000000000"), "1E+18");
        assert_eq!(excel_general("3200.5"), "3200.5");
        assert_eq!(excel_general("13883012345"), "13883012345");
        assert_eq!(excel_general("138830123456"), "1.3883E+11");
        assert_eq!(excel_general("0"), "0");
        assert_eq!(excel_general("not a number"), "not a number");
    }

    #[test]
    fn money_in_wan_is_exact_yuan() {
        let yuan = |c: &CellValue| money_wan(c).unwrap().value;
        assert_eq!(yuan(&n("120.35")), dec("1203500"));
        assert_eq!(yuan(&n("3200.5")), dec("32005000"));
        assert_eq!(yuan(&n("12345.678")), dec("123456780"));
        assert_eq!(yuan(&n("0.000165")), dec("1.65"));
        assert_eq!(yuan(&n("0.000001")), dec("0.01"));
        assert_eq!(yuan(&n("0")), Decimal::ZERO);
        assert_eq!(yuan(&t("１，２０５．５")), dec("12055000"));
        assert_eq!(yuan(&t(" 1,234.56万元\n")), dec("12345600"));
        assert_eq!(yuan(&t("１，２３４．５６万元")), dec("12345600"));
        assert_eq!(yuan(&t("120万元")), dec("1200000"));
        assert_eq!(yuan(&t("120 万")), dec("1200000"));
        assert_eq!(yuan(&t("650")), dec("6500000"));
        assert!(money_wan(&t("120万元")).unwrap().warning.is_none());
        assert!(money_wan(&n("120.35")).unwrap().warning.is_none());
    }

    #[test]
    fn money_in_another_unit_is_converted_with_a_warning() {
        let r = money_wan(&t("1,200,000元")).unwrap();
        assert_eq!(r.value, dec("1200000"));
        let w = r.warning.unwrap();
        assert!(w.message_zh.contains("120 万元"), "{}", w.message_zh);
        assert!(w.message_en.contains("120 万元"));
        let r = money_wan(&t("1203500.50元")).unwrap();
        assert_eq!(r.value, dec("1203500.5"));
        assert!(r.warning.is_some());
        let r = money_wan(&t("1.5亿元")).unwrap();
        assert_eq!(r.value, dec("150000000"));
        assert!(r.warning.is_some());
        let r = money_wan(&t("500千元")).unwrap();
        assert_eq!(r.value, dec("500000"));
        assert!(r.warning.is_some());
    }

    #[test]
    fn bad_money_is_an_error() {
        for bad in [
            t("约三千万"),
            t("-5"),
            n("-0.5"),
            t("－５"),
            t("120美元"),
            t("1.5 million"),
            t(""),
            t("1,20"),
            n("0.0000001"),
            t("0.5元0"),
            t("1.001元"),
            n("1e30"),
            CellValue::Bool(true),
            CellValue::Date("2025-01-01".into()),
            CellValue::Error("#N/A".into()),
        ] {
            let e = money_wan(&bad).unwrap_err();
            assert_eq!(e.expected_zh, MONEY_ZH, "{bad:?}");
        }
        assert_eq!(money_wan(&t(" 约三千万 ")).unwrap_err().found, "约三千万");
    }

    #[test]
    fn integers() {
        assert_eq!(integer(&t("88"), Some("人")), Ok(88));
        assert_eq!(integer(&t(" 88 "), Some("人")), Ok(88));
        assert_eq!(integer(&t("88人"), Some("人")), Ok(88));
        assert_eq!(integer(&t("８８ 人"), Some("人")), Ok(88));
        assert_eq!(integer(&t("1,200"), None), Ok(1200));
        assert_eq!(integer(&n("85"), Some("人")), Ok(85));
        assert_eq!(integer(&n("36"), Some("家")), Ok(36));
        assert_eq!(integer(&t("36家"), Some("家")), Ok(36));
        assert!(integer(&t("36个"), Some("家")).is_err());
        assert!(integer(&t("88人"), None).is_err());
        assert!(integer(&n("85.5"), None).is_err());
        assert!(integer(&t("-1"), None).is_err());
        assert!(integer(&t("约80"), None).is_err());
        assert!(integer(&n("1e25"), None).is_err());
        let e = integer(&t("x"), Some("人")).unwrap_err();
        assert_eq!(e.expected_zh, "不小于 0 的整数（单位人）");
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity(&n("120"), Some("PFLOPS")), Ok(dec("120")));
        assert_eq!(quantity(&t("12.5 PFLOPS"), Some("PFLOPS")), Ok(dec("12.5")));
        assert_eq!(quantity(&t("12.5pflops"), Some("PFLOPS")), Ok(dec("12.5")));
        assert_eq!(quantity(&t("180,000卡时"), Some("卡时")), Ok(dec("180000")));
        assert_eq!(quantity(&t("0.50"), None), Ok(dec("0.5")));
        assert!(quantity(&t("-1"), None).is_err());
        assert!(quantity(&t("12P"), Some("PFLOPS")).is_err());
    }

    #[test]
    fn years() {
        assert_eq!(year(&n("2026")), Ok(2026));
        assert_eq!(year(&t(" 2026 ")), Ok(2026));
        assert_eq!(year(&t("２０２６年")), Ok(2026));
        assert!(year(&t("26")).is_err());
        assert!(year(&n("2026.5")).is_err());
        assert!(year(&t("二〇二六")).is_err());
        assert!(year(&CellValue::Date("1905-07-18".into())).is_err());
    }

    #[test]
    fn dates_in_every_listed_form() {
        assert_eq!(
            date(&CellValue::Date("2025-04-18".into())),
            Ok(d(2025, 4, 18))
        );
        assert_eq!(
            date(&CellValue::Date("2025-04-18T13:45:00".into())),
            Ok(d(2025, 4, 18))
        );
        assert_eq!(date(&t("2025-03-01")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025/3/1")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025.3.1")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025年3月1日")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025 年 3 月 1 日")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025年3月1号")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025年3月")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("２０２５－０３－０１")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("2025-03-01 00:00:00")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&t("20250301")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&n("20250301")), Ok(d(2025, 3, 1)));
        for bad in [
            "2025-02-30",
            "2025/13/1",
            "2025年",
            "25/3/1",
            "3/1/2025",
            "2025-3",
            "2025.3",
            "昨天",
            "2025年3月1",
            "2025-03-01-01",
            "2025/3-1",
        ] {
            assert!(date(&t(bad)).is_err(), "{bad}");
        }
        assert!(date(&CellValue::Bool(true)).is_err());
    }

    #[test]
    fn excel_serials_in_the_1900_system() {
        assert_eq!(date(&n("1")), Ok(d(1900, 1, 1)));
        assert_eq!(date(&n("59")), Ok(d(1900, 2, 28)));
        assert!(date(&n("60")).is_err(), "1900-02-29 does not exist");
        assert_eq!(date(&n("61")), Ok(d(1900, 3, 1)));
        assert_eq!(date(&n("45658")), Ok(d(2025, 1, 1)));
        assert_eq!(date(&n("45717")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&n("45717.75")), Ok(d(2025, 3, 1)));
        assert_eq!(date(&n("2958465")), Ok(d(9999, 12, 31)));
        assert!(date(&n("2958466")).is_err());
        assert!(date(&n("0")).is_err());
        assert!(date(&n("-5")).is_err());
        assert!(date(&n("2025")).is_err(), "a year is not a date");
    }

    #[test]
    fn yes_no_variants() {
        for yes in [
            "是", " 是 ", "Y", "y", "Yes", "YES", "ｙ", "TRUE", "true", "√", "✓", "✔",
        ] {
            assert_eq!(yes_no(&t(yes)), Ok(true), "{yes}");
        }
        for no in ["否", "N", "n", "No", "FALSE", "×", "✗", "✘"] {
            assert_eq!(yes_no(&t(no)), Ok(false), "{no}");
        }
        assert_eq!(yes_no(&CellValue::Bool(true)), Ok(true));
        assert_eq!(yes_no(&CellValue::Bool(false)), Ok(false));
        for bad in ["", "有", "无", "X", "1", "是否", "maybe"] {
            assert!(yes_no(&t(bad)).is_err(), "{bad}");
        }
        assert!(yes_no(&n("1")).is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(phone(&t("13883012345")).unwrap(), "13883012345");
        assert_eq!(phone(&t("138 8301 2345")).unwrap(), "13883012345");
        assert_eq!(phone(&t("138-8301-2345")).unwrap(), "13883012345");
        assert_eq!(phone(&t("+86 138 8301 2345")).unwrap(), "13883012345");
        assert_eq!(phone(&t("８６13883012345")).unwrap(), "13883012345");
        assert_eq!(phone(&n("13883012345")).unwrap(), "13883012345");
        assert_eq!(phone(&t("023-63768001")).unwrap(), "023-63768001");
        assert_eq!(
            phone(&t("０２３－６３７６８００１")).unwrap(),
            "023-63768001"
        );
        assert_eq!(phone(&t("(023)63768001")).unwrap(), "023-63768001");
        assert_eq!(phone(&t("（023）6376 8001")).unwrap(), "023-63768001");
        assert_eq!(phone(&t("02363768001")).unwrap(), "023-63768001");
        assert_eq!(phone(&t("63768001")).unwrap(), "63768001");
        assert_eq!(phone(&t("6376801")).unwrap(), "6376801");
        assert_eq!(phone(&t("023-63768001-801")).unwrap(), "023-63768001-801");
        assert_eq!(phone(&t("023-63768001转801")).unwrap(), "023-63768001-801");
        assert_eq!(phone(&t("010-12345678")).unwrap_err().found, "010-12345678");
        assert_eq!(phone(&t("0851-2345678")).unwrap(), "0851-2345678");
        for bad in [
            "12883012345",
            "1388301234",
            "138830123456",
            "023-123456",
            "023-03768001",
            "2363768001",
            "电话",
            "",
            "023-63768001-",
            "13883012345/13883012346",
        ] {
            assert!(phone(&t(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(&t(" contact@example.cn ")).unwrap(),
            "contact@example.cn"
        );
        assert_eq!(
            email(&t("ｌｉ．ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ．ｃｎ")).unwrap(),
            "li.na@example.com.cn"
        );
        assert_eq!(email(&t("mailto:a+b@x-y.org")).unwrap(), "a+b@x-y.org");
        for bad in [
            "contact",
            "a@b",
            "@example.cn",
            "a@@example.cn",
            "a b@example.cn",
            "a@example.c",
            "a@-x.cn",
            "a..b@example.cn",
            "a@example.123",
            "李娜@example.cn",
        ] {
            assert!(email(&t(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn bank_accounts() {
        assert_eq!(
            bank_account(&t("5000 1083 6000 5021 2345")).unwrap(),
            "50001083600050212345"
        );
        assert_eq!(bank_account(&t("５００１０８３６")).unwrap(), "50010836");
        assert_eq!(bank_account(&n("500108360005")).unwrap(), "500108360005");
        let e = bank_account(&n("50001083600050210000")).unwrap_err();
        assert_eq!(e.found, "5.00011E+19");
        for bad in [
            "1234567",
            "1234567890123456789012345678901",
            "6222-0210-0100",
            "账号",
            "",
        ] {
            assert!(bank_account(&t(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn choices() {
        const LEVELS: &[&str] = &["国家级", "市级", "区级", "其他"];
        assert_eq!(choice(&t(" 国家级\n"), LEVELS), Ok("国家级"));
        assert_eq!(choice(&t("国家 级"), LEVELS), Ok("国家级"));
        const TYPES: &[&str] = &["AI", "Ｂ类"];
        assert_eq!(choice(&t("ａｉ"), TYPES), Ok("AI"));
        assert_eq!(choice(&t("B类"), TYPES), Ok("Ｂ类"));
        let e = choice(&t("省级"), LEVELS).unwrap_err();
        assert_eq!(e.found, "省级");
        assert_eq!(e.expected_zh, "以下之一：国家级 / 市级 / 区级 / 其他");
        assert!(choice(&CellValue::Error("国家级".into()), LEVELS).is_err());
    }

    #[test]
    fn texts() {
        assert_eq!(
            text(&t("  重庆渝算智能科技有限公司\n"), 100).unwrap(),
            "重庆渝算智能科技有限公司"
        );
        assert_eq!(
            text(&t("（集团）"), 100).unwrap(),
            "（集团）",
            "full-width brackets in names are kept"
        );
        assert_eq!(text(&n("88"), 10).unwrap(), "88");
        assert!(text(&t(&"字".repeat(101)), 100).is_err());
        assert!(text(&t(&"字".repeat(100)), 100).is_ok());
        assert!(text(&t("  "), 100).is_err());
        assert!(text(&CellValue::Error("#REF!".into()), 100).is_err());
    }

    #[test]
    fn credit_codes() {
        assert_eq!(
            credit_code(&t("91500103MA5U7K2P39")).unwrap(),
            "91500103MA5U7K2P39"
        );
        assert_eq!(
            credit_code(&t(" ９１５００１０３ｍａ５ｕ７ｋ２ｐ３９ ")).unwrap(),
            "91500103MA5U7K2P39"
        );
        assert_eq!(
            credit_code(&t("9150 0103 MA5U 7K2P 39")).unwrap(),
            "91500103MA5U7K2P39"
        );
        let e = credit_code(&n("915001000000000000")).unwrap_err();
        assert_eq!(e.found, "9.15001E+17");
        let e = credit_code(&t(" 9.15001E+17")).unwrap_err();
        assert_eq!(e.found, "9.15001E+17");
        assert_eq!(e.expected_zh, USCC_EXPECTED_ZH);
        assert!(code_lost_to_a_number(&t("9.1500103E+17")));
        assert!(!code_lost_to_a_number(&t("91500103MA5U7K2P39")));
        assert!(!code_lost_to_a_number(&t("915001031234567890")));
        assert_eq!(e.expected_zh, USCC_EXPECTED_ZH);
        let e = credit_code(&t("91500103MA5U7K2P38")).unwrap_err();
        assert_eq!(e.found, "91500103MA5U7K2P38");
        assert!(e.expected_zh.starts_with(USCC_EXPECTED_ZH));
        assert!(e.expected_zh.contains("校验位"));
    }

    /// "1234567" → "1,234,567" (ASCII digits).
    fn thousands(int: &str) -> String {
        let first = match int.len() % 3 {
            0 => 3.min(int.len()),
            r => r,
        };
        let (head, mut rest) = int.split_at(first);
        let mut out = head.to_string();
        while rest.len() >= 3 {
            out.push(',');
            out.push_str(&rest[..3]);
            rest = &rest[3..];
        }
        out
    }

    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                _ => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn money_text_is_value_times_ten_thousand(
            mantissa in 0i64..1_000_000_000_000,
            scale in 0u32..=6,
            separators: bool,
            wide: bool,
            unit in prop::sample::select(vec!["", "万元", "万", " 万元 "]),
            as_number: bool,
        ) {
            let value = Decimal::new(mantissa, scale);
            let plain = value.to_string();
            let cell = if as_number {
                n(&plain)
            } else {
                let mut s = match plain.split_once('.') {
                    Some((i, f)) if separators => format!("{}.{f}", thousands(i)),
                    None if separators => thousands(&plain),
                    _ => plain.clone(),
                };
                if wide {
                    s = full_width(&s);
                }
                t(&format!("{s}{unit}"))
            };
            let r = money_wan(&cell).unwrap();
            prop_assert_eq!(r.value, value * Decimal::from(10_000));
            prop_assert!(r.warning.is_none());
        }

        #[test]
        fn money_in_yuan_converts_exactly(fen in 0i64..1_000_000_000_000_000) {
            let yuan = Decimal::new(fen, 2);
            let plain = yuan.to_string();
            let text = match plain.split_once('.') {
                Some((i, f)) => format!("{}.{f}元", thousands(i)),
                None => format!("{}元", thousands(&plain)),
            };
            let r = money_wan(&t(&text)).unwrap();
            prop_assert_eq!(r.value, yuan);
            prop_assert!(r.warning.is_some());
        }

        #[test]
        fn no_normaliser_panics(s in "\\PC*", kind in 0u8..4) {
            let cell = match kind {
                0 => CellValue::Text(s.clone()),
                1 => CellValue::Number(s.clone()),
                2 => CellValue::Date(s.clone()),
                _ => CellValue::Error(s.clone()),
            };
            let _ = fold_width(&s);
            let _ = parse_decimal(&s);
            let _ = excel_general(&s);
            let _ = found_text(&cell);
            let _ = money_wan(&cell);
            let _ = integer(&cell, Some("人"));
            let _ = quantity(&cell, Some("PFLOPS"));
            let _ = year(&cell);
            let _ = date(&cell);
            let _ = yes_no(&cell);
            let _ = phone(&cell);
            let _ = email(&cell);
            let _ = bank_account(&cell);
            let _ = choice(&cell, &["国家级", "市级"]);
            let _ = text(&cell, 100);
            let _ = credit_code(&cell);
        }

        #[test]
        fn numeric_looking_strings_never_panic(s in "[-+0-9.,eE万元亿千 ]{0,40}") {
            let _ = parse_decimal(&s);
            let _ = excel_general(&s);
            let _ = money_wan(&t(&s));
            let _ = money_wan(&n(&s));
            let _ = date(&n(&s));
            let _ = integer(&t(&s), None);
        }
    }
}
