//! Money: exact yuan as `rust_decimal::Decimal`, from the cell to the letter.
//!
//! Three things live here and nowhere else:
//! - rounding with an explicit mode ([`round_yuan`]); `Decimal::round_dp`
//!   rounds half to even, which is *not* what the guide's "half-up" means;
//! - the two figure formats letters and ledgers print ([`format_yuan`],
//!   [`format_yuan_grouped`]);
//! - amounts in Chinese capitals (大写) for letters ([`amount_in_words`]).
//!
//! No float ever touches an amount in this module.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How a figure is rounded. Spelled in the guide as `half_up`, `half_even`
/// or `down`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 四舍五入: a half goes away from zero (2.345 → 2.35, −2.345 → −2.35).
    HalfUp,
    /// 银行家舍入: a half goes to the even neighbour (2.345 → 2.34, 2.355 → 2.36).
    HalfEven,
    /// 舍去: toward zero, the dropped digits are simply cut off (2.349 → 2.34).
    Down,
}

impl RoundingMode {
    /// The `rust_decimal` strategy that implements this mode.
    pub fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
        }
    }
}

/// Rounds `d` to `dp` decimal places with `mode` (2 = to the fen, 0 = to the
/// yuan). A value with fewer decimals is returned unchanged; a zero result is
/// never negative ("-0.00" cannot appear).
pub fn round_yuan(d: Decimal, dp: u32, mode: RoundingMode) -> Decimal {
    let mut r = d.round_dp_with_strategy(dp, mode.strategy());
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r
}

/// Splits a value rounded half-up to the fen into sign, integer digits and
/// exactly two fraction digits.
fn fen_parts(d: Decimal) -> (bool, String, String) {
    let r = round_yuan(d, 2, RoundingMode::HalfUp);
    let negative = r.is_sign_negative() && !r.is_zero();
    let text = r.abs().to_string();
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut frac = frac_part;
    while frac.len() < 2 {
        frac.push('0');
    }
    (negative, int_part, frac)
}

/// The amount in figures with exactly two decimals and no separators:
/// `650000` → `"650000.00"`, `0.5` → `"0.50"`, `-3` → `"-3.00"`.
/// A value with more than two decimals is rounded half-up to the fen first;
/// amounts that reach a letter are already rounded, so this never changes one.
pub fn format_yuan(d: Decimal) -> String {
    let (negative, int_part, frac) = fen_parts(d);
    let sign = if negative { "-" } else { "" };
    format!("{sign}{int_part}.{frac}")
}

/// Like [`format_yuan`] with the integer digits grouped by thousands:
/// `1234500` → `"1,234,500.00"`.
pub fn format_yuan_grouped(d: Decimal) -> String {
    let (negative, int_part, frac) = fen_parts(d);
    let digits: Vec<char> = int_part.chars().collect();
    let groups: Vec<String> = digits
        .rchunks(3)
        .rev()
        .map(|group| group.iter().collect())
        .collect();
    let grouped = groups.join(",");
    let sign = if negative { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

/// Why an amount cannot be written in capitals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Capitals are written for amounts ≥ 0 only.
    #[error("金额不能为负数：{0} / the amount must not be negative: {0}")]
    Negative(Decimal),
    /// The amount is at or above 10^16 yuan (beyond 仟万亿).
    #[error("金额超出大写范围（不超过 9999999999999999.99 元）：{0} / the amount is too large to write in words (at most 9999999999999999.99): {0}")]
    OutOfRange(Decimal),
    /// The amount has a part smaller than one fen; round it first.
    #[error(
        "金额须精确到分，请先舍入：{0} / the amount has digits below the fen; round it first: {0}"
    )]
    FractionOfFen(Decimal),
}

/// Capital digits 零 to 玖.
const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// Units inside a group of four digits.
const SMALL_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
/// Amounts in words are written up to 9999,9999,9999,9999.99 yuan.
const WORDS_INTEGER_DIGITS: u32 = 16;

/// The amount in Chinese financial capitals (大写), as letters print it:
///
/// - `1234500.00` → `人民币壹佰贰拾叁万肆仟伍佰元整`
/// - `200000.50` → `人民币贰拾万元零伍角`
/// - `0` → `人民币零元整`, `0.05` → `人民币伍分`
///
/// The rules, those of 《支付结算办法》 and 《会计基础工作规范》, made
/// deterministic where they allow a choice:
/// 1. Digits are read from the highest down to the 分. Every run of zero
///    digits lying *between* two non-zero digits is written as one 零, wherever
///    it falls — inside a group (101 → 壹佰零壹), across 万/亿 (100010000 →
///    壹亿零壹万), across 元 (10.50 → 壹拾元零伍角, 1.05 → 壹元零伍分).
///    Leading and trailing zeros are never written (1234500 → …伍佰元整).
///    (Where the rules make the 零 optional — a zero 万位 or 元位 followed by a
///    non-zero 仟位 or 角位 — this function writes it, as the guide's example
///    200000.50 → 贰拾万元零伍角 does.)
/// 2. The tens digit is always written with its numeral: 10 → 壹拾元整.
/// 3. 万 and 亿 follow a group that holds a non-zero digit; amounts of
///    10^12 and more read 万亿 (10^12 → 壹万亿元整).
/// 4. 元 follows a non-zero integer part; below one yuan only 角/分 are written.
/// 5. 整 follows when there is neither 角 nor 分; after 角 it is not written
///    (200000.50 → 贰拾万元零伍角); after 分 never. Zero is 人民币零元整.
///
/// Errors: negative amounts, amounts of 10^16 yuan or more, and amounts with
/// digits below the fen (round with [`round_yuan`] first). Scale does not
/// matter: `1.500` is written like `1.5`.
pub fn amount_in_words(d: Decimal) -> Result<String, MoneyError> {
    if d.is_zero() {
        return Ok("人民币零元整".to_string());
    }
    if d.is_sign_negative() {
        return Err(MoneyError::Negative(d));
    }
    let limit = Decimal::from(10u64.pow(WORDS_INTEGER_DIGITS));
    if d >= limit {
        return Err(MoneyError::OutOfRange(d));
    }
    // Compared without arithmetic, so no digit can be lost on the way.
    if d.round_dp_with_strategy(2, RoundingStrategy::ToZero) != d {
        return Err(MoneyError::FractionOfFen(d));
    }
    // Below 10^16 with at most two decimals: exact, and fits a u64.
    let fen_decimal = d
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or(MoneyError::OutOfRange(d))?;
    let fen_total = fen_decimal.to_u64().ok_or(MoneyError::OutOfRange(d))?;
    let integer = fen_total / 100;
    let jiao = ((fen_total / 10) % 10) as usize;
    let fen = (fen_total % 10) as usize;

    let mut out = String::from("人民币");
    // `written`: a non-zero digit has been written; `pending_zero`: zeros were
    // passed since the last non-zero digit (written as one 零 before the next).
    let mut written = false;
    let mut pending_zero = false;
    let mut push_digit = |out: &mut String, digit: usize, unit: &str| {
        if digit == 0 {
            if written {
                pending_zero = true;
            }
        } else {
            if pending_zero {
                out.push('零');
                pending_zero = false;
            }
            out.push(DIGITS[digit]);
            out.push_str(unit);
            written = true;
        }
    };
    for k in (0..WORDS_INTEGER_DIGITS).rev() {
        let digit = ((integer / 10u64.pow(k)) % 10) as usize;
        push_digit(&mut out, digit, SMALL_UNITS[(k % 4) as usize]);
        match k {
            12 | 4 if (integer / 10u64.pow(k)) % 10_000 != 0 => out.push('万'),
            8 if integer / 10u64.pow(8) != 0 => out.push('亿'),
            _ => {}
        }
    }
    if integer != 0 {
        out.push('元');
    }
    push_digit(&mut out, jiao, "角");
    push_digit(&mut out, fen, "分");
    if jiao == 0 && fen == 0 {
        out.push('整');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        match Decimal::from_str_exact(s) {
            Ok(d) => d,
            Err(e) => panic!("test literal {s}: {e}"),
        }
    }

    /// Hand-checked against the rules in the doc comment of `amount_in_words`
    /// and the examples of 《支付结算办法》 (1409.50, 6007.14, 1680.32,
    /// 107000.53, 16409.02, 325.04).
    const WORDS: &[(&str, &str)] = &[
        ("0", "人民币零元整"),
        ("0.00", "人民币零元整"),
        ("1", "人民币壹元整"),
        ("10", "人民币壹拾元整"),
        ("20.00", "人民币贰拾元整"),
        ("100", "人民币壹佰元整"),
        ("101", "人民币壹佰零壹元整"),
        ("110", "人民币壹佰壹拾元整"),
        ("1001", "人民币壹仟零壹元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("10010", "人民币壹万零壹拾元整"),
        ("100000", "人民币壹拾万元整"),
        ("1000001", "人民币壹佰万零壹元整"),
        ("1000010", "人民币壹佰万零壹拾元整"),
        ("100000000", "人民币壹亿元整"),
        ("100000001", "人民币壹亿零壹元整"),
        ("100010000", "人民币壹亿零壹万元整"),
        ("0.05", "人民币伍分"),
        ("0.5", "人民币伍角"),
        ("0.55", "人民币伍角伍分"),
        ("1.05", "人民币壹元零伍分"),
        ("1.5", "人民币壹元伍角"),
        ("1.500", "人民币壹元伍角"),
        ("10.50", "人民币壹拾元零伍角"),
        ("10.05", "人民币壹拾元零伍分"),
        ("10000.01", "人民币壹万元零壹分"),
        ("1234567.89", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("1000000.00", "人民币壹佰万元整"),
        ("650000.00", "人民币陆拾伍万元整"),
        ("500000.00", "人民币伍拾万元整"),
        ("2000000", "人民币贰佰万元整"),
        ("1234500.00", "人民币壹佰贰拾叁万肆仟伍佰元整"),
        ("200000.50", "人民币贰拾万元零伍角"),
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "人民币壹拾万零柒仟元零伍角叁分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("12345678", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元整"),
        (
            "123456789012.34",
            "人民币壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分",
        ),
        ("1000000000000", "人民币壹万亿元整"),
        ("1000100000000", "人民币壹万零壹亿元整"),
        ("1000000010000", "人民币壹万亿零壹万元整"),
        (
            "9999999999999999.99",
            "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
    ];

    #[test]
    fn words_table() {
        assert!(WORDS.len() >= 30);
        for (amount, words) in WORDS {
            assert_eq!(
                amount_in_words(dec(amount)).as_deref(),
                Ok(*words),
                "amount {amount}"
            );
            // Every hand-checked case also reads back to its amount.
            assert_eq!(read_words(words), Ok(dec(amount)), "reading {words}");
        }
    }

    #[test]
    fn words_errors() {
        assert_eq!(
            amount_in_words(dec("-1")),
            Err(MoneyError::Negative(dec("-1")))
        );
        assert_eq!(
            amount_in_words(dec("-0.01")),
            Err(MoneyError::Negative(dec("-0.01")))
        );
        assert_eq!(
            amount_in_words(dec("0.001")),
            Err(MoneyError::FractionOfFen(dec("0.001")))
        );
        assert_eq!(
            amount_in_words(dec("1.0000000000000000000000000001")),
            Err(MoneyError::FractionOfFen(dec(
                "1.0000000000000000000000000001"
            )))
        );
        assert_eq!(
            amount_in_words(dec("12.345")),
            Err(MoneyError::FractionOfFen(dec("12.345")))
        );
        assert_eq!(
            amount_in_words(dec("10000000000000000")),
            Err(MoneyError::OutOfRange(dec("10000000000000000")))
        );
        assert_eq!(
            amount_in_words(Decimal::MAX),
            Err(MoneyError::OutOfRange(Decimal::MAX))
        );
        // A negative zero is zero.
        assert_eq!(amount_in_words(dec("-0")).as_deref(), Ok("人民币零元整"));
    }

    #[test]
    fn rounding_modes() {
        use RoundingMode::*;
        let cases: &[(&str, u32, RoundingMode, &str)] = &[
            ("2.345", 2, HalfUp, "2.35"),
            ("2.345", 2, HalfEven, "2.34"),
            ("2.355", 2, HalfEven, "2.36"),
            ("2.349", 2, Down, "2.34"),
            ("-2.345", 2, HalfUp, "-2.35"),
            ("-2.349", 2, Down, "-2.34"),
            ("0.125", 2, HalfUp, "0.13"),
            ("0.125", 2, HalfEven, "0.12"),
            ("1234567.005", 2, HalfUp, "1234567.01"),
            ("650000", 2, HalfUp, "650000"),
            ("0.5", 0, HalfUp, "1"),
            ("0.5", 0, HalfEven, "0"),
            ("1.5", 0, HalfEven, "2"),
            ("1.99", 0, Down, "1"),
            ("-0.001", 2, HalfUp, "0"),
            ("87.3333333333333333333333333", 2, HalfUp, "87.33"),
            ("66.666666666666666666666666667", 2, HalfUp, "66.67"),
        ];
        for (input, dp, mode, want) in cases {
            let got = round_yuan(dec(input), *dp, *mode);
            assert_eq!(got, dec(want), "{input} dp {dp} {mode:?}");
            assert!(!got.is_sign_negative() || !got.is_zero());
        }
    }

    #[test]
    fn figures() {
        let cases: &[(&str, &str, &str)] = &[
            ("650000", "650000.00", "650,000.00"),
            ("650000.00", "650000.00", "650,000.00"),
            ("1234500", "1234500.00", "1,234,500.00"),
            ("0", "0.00", "0.00"),
            ("0.5", "0.50", "0.50"),
            ("0.05", "0.05", "0.05"),
            ("999", "999.00", "999.00"),
            ("1000", "1000.00", "1,000.00"),
            ("100000", "100000.00", "100,000.00"),
            ("12345678.9", "12345678.90", "12,345,678.90"),
            ("200000.50", "200000.50", "200,000.50"),
            ("-1234.5", "-1234.50", "-1,234.50"),
            ("1.005", "1.01", "1.01"),
            ("-0.001", "0.00", "0.00"),
            ("1000000000000", "1000000000000.00", "1,000,000,000,000.00"),
        ];
        for (input, plain, grouped) in cases {
            assert_eq!(format_yuan(dec(input)), *plain, "{input}");
            assert_eq!(format_yuan_grouped(dec(input)), *grouped, "{input}");
        }
    }

    #[test]
    fn rounding_mode_names() {
        for (name, mode) in [
            ("\"half_up\"", RoundingMode::HalfUp),
            ("\"half_even\"", RoundingMode::HalfEven),
            ("\"down\"", RoundingMode::Down),
        ] {
            assert_eq!(serde_json::from_str::<RoundingMode>(name).ok(), Some(mode));
        }
        assert!(serde_json::from_str::<RoundingMode>("\"up\"").is_err());
    }

    /// An independent reader of capitals, used as the oracle for the
    /// property test: it parses the words back into an amount and refuses
    /// any text that breaks the writing rules (double 零, 零 before a unit
    /// or at the end, a missing or stray 整).
    fn read_words(words: &str) -> Result<Decimal, String> {
        let body = words
            .strip_prefix("人民币")
            .ok_or_else(|| format!("no 人民币 prefix: {words}"))?;
        if body == "零元整" {
            return Ok(Decimal::ZERO);
        }
        if body.contains("零零") {
            return Err(format!("double 零: {words}"));
        }
        let chars: Vec<char> = body.chars().collect();
        let mut yi_and_above = Decimal::ZERO; // everything multiplied by 亿
        let mut wan = Decimal::ZERO; // the current 万 group, times 10^4
        let mut section = Decimal::ZERO; // below 万 in the current 亿 block
        let mut pending: Option<Decimal> = None; // a digit waiting for its unit
        let mut integer: Option<Decimal> = None;
        let mut fraction = Decimal::ZERO;
        let mut ends_with_zheng = false;
        let mut seen_fen = false;
        for (i, c) in chars.iter().enumerate() {
            if ends_with_zheng {
                return Err(format!("text after 整: {words}"));
            }
            let next = chars.get(i + 1).copied();
            match c {
                '零' => {
                    match next {
                        Some(n) if DIGITS[1..].contains(&n) => {}
                        _ => return Err(format!("零 not followed by a digit: {words}")),
                    }
                    if i == 0 {
                        return Err(format!("leading 零: {words}"));
                    }
                }
                d if DIGITS[1..].contains(d) => {
                    if pending.is_some() {
                        return Err(format!("two digits in a row: {words}"));
                    }
                    let v = DIGITS.iter().position(|x| x == d).unwrap_or(0);
                    pending = Some(Decimal::from(v as u32));
                }
                '拾' | '佰' | '仟' => {
                    let p = pending
                        .take()
                        .ok_or_else(|| format!("unit without digit: {words}"))?;
                    let m = match c {
                        '拾' => 10u32,
                        '佰' => 100,
                        _ => 1000,
                    };
                    section += p * Decimal::from(m);
                }
                '万' => {
                    let s = section + pending.take().unwrap_or(Decimal::ZERO);
                    if s.is_zero() {
                        return Err(format!("empty 万 group: {words}"));
                    }
                    wan += s * Decimal::from(10_000u32);
                    section = Decimal::ZERO;
                }
                '亿' => {
                    let s = wan + section + pending.take().unwrap_or(Decimal::ZERO);
                    if s.is_zero() {
                        return Err(format!("empty 亿 group: {words}"));
                    }
                    yi_and_above += s * Decimal::from(100_000_000u32);
                    wan = Decimal::ZERO;
                    section = Decimal::ZERO;
                }
                '元' => {
                    let v = yi_and_above + wan + section + pending.take().unwrap_or(Decimal::ZERO);
                    if v.is_zero() {
                        return Err(format!("元 with a zero integer part: {words}"));
                    }
                    integer = Some(v);
                }
                '角' | '分' => {
                    let p = pending
                        .take()
                        .ok_or_else(|| format!("{c} without digit: {words}"))?;
                    let scale = if *c == '角' { 1 } else { 2 };
                    if seen_fen {
                        return Err(format!("{c} after 分: {words}"));
                    }
                    seen_fen = *c == '分';
                    fraction += Decimal::new(1, scale) * p;
                }
                '整' => ends_with_zheng = true,
                other => return Err(format!("unexpected {other}: {words}")),
            }
        }
        if pending.is_some() {
            return Err(format!("digit without unit: {words}"));
        }
        let integer_part = match integer {
            Some(v) => v,
            None => {
                if !(yi_and_above + wan + section).is_zero() {
                    return Err(format!("integer part without 元: {words}"));
                }
                Decimal::ZERO
            }
        };
        // 整 exactly when there is neither 角 nor 分.
        if ends_with_zheng != fraction.is_zero() {
            return Err(format!("整 rule broken: {words}"));
        }
        Ok(integer_part + fraction)
    }

    /// Amounts up to 10^12 yuan with two decimals; half of them built from
    /// digits that are mostly zero, where the 零 rules bite.
    fn amount_strategy() -> impl Strategy<Value = Decimal> {
        let uniform = (0u64..=100_000_000_000_000u64).prop_map(|fen| Decimal::new(fen as i64, 2));
        let zeroish =
            proptest::collection::vec(prop_oneof![6 => Just(0u64), 4 => 1u64..=9], 1..=14)
                .prop_map(|digits| {
                    let fen = digits.iter().fold(0u64, |acc, d| acc * 10 + d);
                    Decimal::new(fen as i64, 2)
                });
        prop_oneof![uniform, zeroish]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn words_read_back(amount in amount_strategy()) {
            let words = amount_in_words(amount);
            prop_assert!(words.is_ok(), "{}: {:?}", amount, words);
            let words = words.unwrap_or_default();
            prop_assert_eq!(read_words(&words), Ok(amount), "{}", words);
        }

        #[test]
        fn figures_read_back(amount in amount_strategy()) {
            let plain = format_yuan(amount);
            prop_assert_eq!(Decimal::from_str(&plain).ok(), Some(amount));
            let grouped = format_yuan_grouped(amount);
            prop_assert_eq!(grouped.replace(',', ""), plain);
        }
    }
}
