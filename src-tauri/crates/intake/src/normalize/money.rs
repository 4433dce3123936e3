//! Money in 万元 as exact yuan; another unit (元, 亿元 …) converted exactly
//! with a warning.

use rust_decimal::Decimal;

use super::clean::{shown, trim};
use super::numbers::{parse_decimal, prepare, strip_unit};
use super::{NormError, NormWarning, Normalised};
use crate::grid::CellValue;

/// Largest amount accepted, in yuan (10^16, far above any real figure).
fn max_yuan() -> Decimal {
    Decimal::from(10_000_000_000_000_000i64)
}

pub(super) const MONEY_ZH: &str = "不小于 0 的金额（单位万元，最多 6 位小数，如 120.35）";
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
