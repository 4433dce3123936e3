//! Contact details: phone numbers, e-mail addresses, bank accounts.

use super::clean::{fold_width, found_text, shown, trim};
use super::numbers::prepare;
use super::NormError;
use crate::grid::CellValue;

const PHONE_ZH: &str = "手机号（11 位，1 开头）或座机号（如 023-63768001，区号可省略）";
const PHONE_EN: &str = "a mobile number (11 digits starting 1[3-9]) or a landline such as 023-63768001 (area code optional)";

pub(super) fn all_digits(s: &str) -> bool {
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
