//! The normalisers, kind by kind, and properties over any text.

use super::money::MONEY_ZH;
use super::*;
use crate::grid::CellValue;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
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
/// Every text in `bad` is refused by `normalise`.
fn refuses<T>(normalise: impl Fn(&CellValue) -> Result<T, NormError>, bad: &[&str]) {
    for bad in bad {
        assert!(normalise(&t(bad)).is_err(), "{bad}");
    }
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
    refuses(
        date,
        &[
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
        ],
    );
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
    refuses(yes_no, &["", "有", "无", "X", "1", "是否", "maybe"]);
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
    refuses(
        phone,
        &[
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
        ],
    );
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
    refuses(
        email,
        &[
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
        ],
    );
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
    refuses(
        bank_account,
        &[
            "1234567",
            "1234567890123456789012345678901",
            "6222-0210-0100",
            "账号",
            "",
        ],
    );
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
