//! Integers, decimal quantities in a column's unit, and years.

use rust_decimal::Decimal;

use super::clean::{shown, trim};
use super::numbers::{parse_decimal, prepare, strip_unit};
use super::NormError;
use crate::grid::CellValue;

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
