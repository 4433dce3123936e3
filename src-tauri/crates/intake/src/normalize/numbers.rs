//! Numbers from decimal text, never through `f64`: sign, comma grouping,
//! fraction and exponent; Excel's General display; units stripped.

use rust_decimal::Decimal;

use super::clean::{fold_width, remove_blanks, trim};

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
    // Long on purpose: a single left-to-right scanner (sign, grouped
    // digits, fraction, exponent) over one cursor; its states read best
    // together.
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
pub(super) fn prepare(s: &str) -> String {
    remove_blanks(&fold_width(trim(s)))
}

/// Strip `unit` from the end of `s` (ASCII case-insensitive). Returns the
/// rest when the unit was there.
pub(super) fn strip_unit<'a>(s: &'a str, unit: &str) -> Option<&'a str> {
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
