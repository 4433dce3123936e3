//! Dates in every listed form (text, Excel serials in the 1900 system).

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;

use super::clean::{fold_width, is_blank_char, remove_blanks, shown, trim};
use super::contact::all_digits;
use super::numbers::parse_decimal;
use super::NormError;
use crate::grid::CellValue;

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
