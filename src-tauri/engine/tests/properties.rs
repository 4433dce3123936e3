//! Property tests over the functions every input passes through: the value
//! normalisers, the credit-code validator, the guide parser, the zip
//! pre-flight check, and money (award parts and totals, amounts in capitals).
//!
//! Long on purpose: one property per input path, with its generators
//! beside it; splitting would separate a property from its generator.
//!
//! Each property states what must hold for *every* input of its kind; the
//! fuzz command (`scripts/fuzz.sh`) runs the same functions much longer.
//! Case counts stay at proptest's default (256) except where a case is slow
//! (zip inflation, whole evaluations), where they are capped so `cargo test`
//! stays quick.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use reviewdesk_engine::applications::samples::SAMPLES;
use reviewdesk_engine::guide::{load_guide, Guide, BUILTIN_2026};
use reviewdesk_engine::intake::extract::{extract, Extraction, Value};
use reviewdesk_engine::intake::grid::CellValue;
use reviewdesk_engine::intake::normalize;
use reviewdesk_engine::intake::reader;
use reviewdesk_engine::money::{amount_in_words, format_yuan_grouped, RoundingMode};
use reviewdesk_engine::rules::evaluate::{evaluate, Inputs, PanelScore};
use reviewdesk_engine::uscc;
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------
// Ways a person writes a number

/// Integer digits grouped by thousands: "1234567" → "1,234,567".
fn grouped(int_digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (int_digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// ASCII → full-width forms (U+FF01–U+FF5E), as a Chinese input method types them.
fn to_full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            _ => c,
        })
        .collect()
}

/// One way of writing a decimal: plain or grouped, half- or full-width,
/// with padding around it.
#[derive(Debug, Clone, Copy)]
struct Style {
    group: bool,
    wide: bool,
    pad: u8,
}

fn style() -> impl Strategy<Value = Style> {
    (any::<bool>(), any::<bool>(), 0u8..4).prop_map(|(group, wide, pad)| Style { group, wide, pad })
}

fn write_decimal(d: Decimal, s: Style) -> String {
    let plain = d.to_string();
    let mut text = match plain.split_once('.') {
        Some((i, f)) if s.group => format!("{}.{f}", grouped(i)),
        None if s.group => grouped(&plain),
        _ => plain,
    };
    if s.wide {
        text = to_full_width(&text);
    }
    let pad = ["", " ", "\u{3000}", "\n "][usize::from(s.pad)];
    format!("{pad}{text}{pad}")
}

/// Yuan with at most two decimals, up to 10^13, many with runs of zeros.
fn yuan() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0i64..=1_000_000_000_000_000).prop_map(|fen| Decimal::new(fen, 2)),
        (0i64..=99_999, 0u32..=10).prop_map(|(m, zeros)| Decimal::new(m * 10i64.pow(zeros), 2)),
    ]
}

/// The units a 万元 column accepts, with their size in yuan.
const UNITS: &[(&str, i64)] = &[
    ("万元", 10_000),
    ("万", 10_000),
    ("", 10_000),
    ("元", 1),
    ("千元", 1_000),
    ("亿元", 100_000_000),
];

proptest! {
    /// An amount written in any accepted way (unit, grouping, full width,
    /// padding, a number cell) reads back as exactly the same yuan.
    #[test]
    fn money_written_any_accepted_way_reads_back(
        amount in yuan(),
        unit in 0..UNITS.len(),
        st in style(),
        as_number_cell: bool,
        unit_wide: bool,
    ) {
        let (name, factor) = UNITS[unit];
        let in_unit = (amount / Decimal::from(factor)).normalize();
        let cell = if as_number_cell && factor == 10_000 {
            CellValue::Number(in_unit.to_string())
        } else {
            let unit_text = if unit_wide { to_full_width(name) } else { name.to_string() };
            CellValue::Text(format!("{}{unit_text}", write_decimal(in_unit, st)))
        };
        let got = normalize::money_wan(&cell);
        prop_assert!(got.is_ok(), "{:?} → {:?}", cell, got);
        let got = got.map(|n| n.value).unwrap_or_default();
        prop_assert_eq!(got, amount, "{:?}", cell);
    }

    /// Whole numbers with the column's unit, grouping and full width.
    #[test]
    fn integers_written_any_accepted_way_read_back(n in 0i64..=10_000_000_000, st in style(), with_unit: bool) {
        let unit = if with_unit { "人" } else { "" };
        let cell = CellValue::Text(format!("{}{unit}", write_decimal(Decimal::from(n), st)));
        prop_assert_eq!(normalize::integer(&cell, Some("人")), Ok(n), "{:?}", cell);
    }

    /// Quantities (not money) keep every digit.
    #[test]
    fn quantities_read_back(m in 0i64..=1_000_000_000_000, scale in 0u32..=8, st in style()) {
        let q = Decimal::new(m, scale).normalize();
        let cell = CellValue::Text(format!("{}PFLOPS", write_decimal(q, st)));
        prop_assert_eq!(normalize::quantity(&cell, Some("PFLOPS")), Ok(q), "{:?}", cell);
    }

    /// A date written in any accepted text form, half- or full-width, with
    /// or without a time of day, reads back as the same date.
    #[test]
    fn dates_written_any_accepted_way_read_back(
        days in 0i64..(300 * 366),
        form in 0u8..6,
        wide: bool,
        time in 0u8..3,
    ) {
        let base = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
        let day = base + chrono::Duration::days(days);
        prop_assume!(day.year() <= 2200);
        let (y, m, d) = (day.year(), day.month(), day.day());
        let mut text = match form {
            0 => format!("{y}-{m:02}-{d:02}"),
            1 => format!("{y}/{m}/{d}"),
            2 => format!("{y}.{m}.{d}"),
            3 => format!("{y}年{m}月{d}日"),
            4 => format!("{y} 年 {m} 月 {d} 号"),
            _ => format!("{y}{m:02}{d:02}"),
        };
        text.push_str(["", " 08:30", "T00:00:00"][usize::from(time)]);
        if wide {
            text = to_full_width(&text);
        }
        let cell = CellValue::Text(text);
        prop_assert_eq!(normalize::date(&cell), Ok(day), "{:?}", cell);
    }

    /// An Excel serial day number (1900 system) reads as its date, except
    /// where it would look like a year (1900–2200), which is refused.
    #[test]
    fn excel_serials_read_as_dates(days in 61i64..2_958_465) {
        let day = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default() + chrono::Duration::days(days);
        let got = normalize::date(&CellValue::Number(days.to_string()));
        if (1900..=2200).contains(&days) {
            prop_assert!(got.is_err());
        } else {
            prop_assert_eq!(got, Ok(day));
        }
    }

    /// Full-width letters, lower case and spaces in a valid credit code are
    /// folded away; choices match whatever the width.
    #[test]
    fn full_width_text_is_folded(code in valid_code(), wide: bool, lower: bool, spaced: bool, pick in 0usize..3) {
        let mut typed = if lower { code.to_lowercase() } else { code.clone() };
        if spaced {
            typed = format!(" {} {} ", &typed[..8], &typed[8..]);
        }
        if wide {
            typed = to_full_width(&typed);
        }
        prop_assert_eq!(normalize::credit_code(&CellValue::Text(typed)), Ok(code));
        let options = ["A类", "国家级", "AI+制造"];
        let shown = if wide { to_full_width(options[pick]) } else { options[pick].to_string() };
        prop_assert_eq!(normalize::choice(&CellValue::Text(shown), &options), Ok(options[pick]));
    }

    /// Every normaliser is total: any text, in any kind of cell, gives a
    /// value or an error, never a panic.
    #[test]
    fn normalisers_never_panic(s in any::<String>(), kind in 0u8..4) {
        exercise_normalisers(&s, kind);
    }

    /// Text built from the characters numbers, units and dates are made of
    /// reaches the deep branches that arbitrary strings rarely do.
    #[test]
    fn normalisers_never_panic_on_number_like_text(
        s in "[-+0-9０-９.,，．eE万元亿千年月日号/: T\u{3000}\u{200B}]{0,48}",
        kind in 0u8..4,
    ) {
        exercise_normalisers(&s, kind);
    }
}

/// Run every normaliser over `s` as a cell of the given kind (panics surface
/// as test failures).
fn exercise_normalisers(s: &str, kind: u8) {
    let cell = match kind {
        0 => CellValue::Text(s.to_string()),
        1 => CellValue::Number(s.to_string()),
        2 => CellValue::Date(s.to_string()),
        _ => CellValue::Error(s.to_string()),
    };
    let _ = normalize::parse_decimal(s);
    let _ = normalize::excel_general(s);
    let _ = normalize::found_text(&cell);
    let _ = normalize::money_wan(&cell);
    let _ = normalize::integer(&cell, Some("人"));
    let _ = normalize::quantity(&cell, Some("卡时"));
    let _ = normalize::year(&cell);
    let _ = normalize::date(&cell);
    let _ = normalize::yes_no(&cell);
    let _ = normalize::phone(&cell);
    let _ = normalize::email(&cell);
    let _ = normalize::bank_account(&cell);
    let _ = normalize::text(&cell, 50);
    let _ = normalize::credit_code(&cell);
}

// ---------------------------------------------------------------------------
// Credit codes

/// Registration authority + organisation type pairs that GB 32100 admits.
const KINDS: &[&str] = &[
    "91", "92", "93", "11", "12", "13", "19", "51", "52", "53", "N1", "Y1",
];

fn valid_code() -> impl Strategy<Value = String> {
    (
        prop::sample::select(KINDS),
        prop::collection::vec(0u8..10, 6),
        prop::collection::vec(0usize..31, 9),
    )
        .prop_map(|(kind, area, org)| {
            let mut body = kind.to_string();
            body.extend(area.iter().map(|d| char::from(b'0' + d)));
            body.extend(org.iter().map(|&i| char::from(uscc::CHARSET[i])));
            let check = uscc::check_char(&body).unwrap_or('?');
            format!("{body}{check}")
        })
}

proptest! {
    /// A code built with its computed check character passes; changing any
    /// one character to anything else (in the set or not) is caught.
    #[test]
    fn valid_codes_pass_and_any_single_change_is_caught(
        code in valid_code(),
        pos in 0usize..18,
        replacement in prop_oneof![
            4 => (0usize..31).prop_map(|i| char::from(uscc::CHARSET[i])),
            1 => any::<char>(),
        ],
    ) {
        prop_assert_eq!(uscc::validate(&code), Ok(()));
        let mut chars: Vec<char> = code.chars().collect();
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(uscc::validate(&changed).is_err(), "{} accepted after changing position {}", changed, pos + 1);
    }

    /// Codes of digits and one E look like scientific notation
    /// ("915001000009000E00", found by cargo-afl); a valid one is still read
    /// as the code, never as "digits lost to Excel".
    #[test]
    fn valid_codes_that_look_like_numbers_are_read(
        kind in prop::sample::select(vec!["91", "92", "93", "11", "12", "51"]),
        digits in prop::collection::vec(0u8..10, 14),
        e_at in 0usize..9,
    ) {
        let mut body = kind.to_string();
        body.extend(digits[..6].iter().map(|d| char::from(b'0' + d)));
        let mut org: Vec<char> = digits[6..].iter().map(|d| char::from(b'0' + d)).collect();
        org.insert(e_at.min(org.len()), 'E');
        body.extend(org);
        // About two in three check characters are digits, so most cases look
        // exactly like a number; the rest (a letter at the end) must read the
        // same way. Not rejected: a long run would exhaust proptest's rejects.
        let check = uscc::check_char(&body).unwrap_or('?');
        let code = format!("{body}{check}");
        prop_assert_eq!(uscc::validate(&code), Ok(()));
        prop_assert_eq!(normalize::credit_code(&CellValue::Text(code.clone())), Ok(code));
    }

    #[test]
    fn credit_code_functions_never_panic(s in any::<String>()) {
        let _ = uscc::validate(&s);
        let _ = uscc::check_char(&s);
        let _ = uscc::area_code(&s);
        let _ = uscc::is_yuzhong(&s);
        let _ = uscc::area_consistent_with_yuzhong(&s);
    }
}

// ---------------------------------------------------------------------------
// The guide parser

/// `load_guide` must return the guide or problems, each with a message and a
/// key path (empty only for a whole-file problem such as a syntax error).
fn guide_answer_is_well_formed(text: &str) -> Result<(), TestCaseError> {
    match load_guide(text) {
        Ok(_) => Ok(()),
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "Err with no problems");
            for p in &problems {
                prop_assert!(
                    !p.message.trim().is_empty(),
                    "problem without a message: {:?}",
                    p
                );
                prop_assert!(
                    !p.path.contains(char::is_whitespace) || p.path.contains('"'),
                    "path is not a key path: {:?}",
                    p.path
                );
            }
            Ok(())
        }
    }
}

/// One edit of a guide's text, applied line-wise or byte-wise.
#[derive(Debug, Clone)]
enum GuideEdit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Replace the value after `=` on a line.
    SetValue(usize, String),
    Truncate(usize),
    Insert(usize, String),
}

fn guide_edit() -> impl Strategy<Value = GuideEdit> {
    let value = prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("\"\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just("2026-13-45".to_string()),
        Just("\"C9\"".to_string()),
        Just("99999999999999999999".to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        "[0-9.\\-]{1,12}",
        "\"[^\"\\\\\\n]{0,12}\"",
    ];
    prop_oneof![
        any::<usize>().prop_map(GuideEdit::DeleteLine),
        any::<usize>().prop_map(GuideEdit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| GuideEdit::SwapLines(a, b)),
        (any::<usize>(), value).prop_map(|(l, v)| GuideEdit::SetValue(l, v)),
        any::<usize>().prop_map(GuideEdit::Truncate),
        (any::<usize>(), "[\\[\\]=\"{},.a-z0-9 \n]{0,16}")
            .prop_map(|(p, s)| GuideEdit::Insert(p, s)),
    ]
}

fn apply_edit(text: &str, edit: &GuideEdit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    match edit {
        GuideEdit::DeleteLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        GuideEdit::DuplicateLine(i) => {
            if let Some(l) = lines.get(i % n).cloned() {
                lines.insert(i % n, l);
            }
        }
        GuideEdit::SwapLines(a, b) => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
        }
        GuideEdit::SetValue(i, v) => {
            // the i-th line that has a value
            let with_value: Vec<usize> = (0..lines.len())
                .filter(|&k| lines[k].contains(" = "))
                .collect();
            if !with_value.is_empty() {
                let k = with_value[i % with_value.len()];
                if let Some((key, _)) = lines[k].split_once(" = ") {
                    lines[k] = format!("{key} = {v}");
                }
            }
        }
        GuideEdit::Truncate(at) => {
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return text[..cut].to_string();
        }
        GuideEdit::Insert(at, s) => {
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return format!("{}{s}{}", &text[..cut], &text[cut..]);
        }
    }
    lines.join("\n")
}

/// TOML built from the guide's own vocabulary, so the parser's checks (not
/// just the TOML syntax) are exercised.
fn toml_from_guide_words() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "format",
        "title",
        "year",
        "cap",
        "tiers",
        "min",
        "share",
        "weight",
        "source",
        "method",
        "rate",
        "base",
        "pass_mark",
        "limits",
        "unit",
        "mode",
        "dp",
        "bands",
        "from",
        "points",
        "factors",
        "id",
        "name",
        "linear",
        "max",
        "opens",
        "closes",
        "budget",
        "other_support",
    ]);
    let table = prop::sample::select(vec![
        "[round]",
        "[rounding]",
        "[clauses.C1]",
        "[clauses.C1.award]",
        "[[clauses.C1.factors]]",
        "[clauses.C2a.award]",
        "[[clauses.C3.award.tiers]]",
        "[highest_only]",
        "[panel]",
        "[eligibility]",
        "[wording]",
        "[score_rounding]",
        "[clauses.C9]",
    ]);
    let value = prop_oneof![
        any::<i32>().prop_map(|i| i.to_string()),
        "\"[a-z_0-9.%]{0,8}\"",
        Just("\"tiers\"".to_string()),
        Just("\"half_up\"".to_string()),
        Just("\"0.01\"".to_string()),
        Just("[]".to_string()),
        Just("[{ min = \"60\", share = \"0.4\" }]".to_string()),
        Just("2026-01-01".to_string()),
    ];
    let line = prop_oneof![
        table.prop_map(str::to_string),
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    prop::collection::vec(line, 0..40).prop_map(|ls| ls.join("\n"))
}

proptest! {
    #[test]
    fn guide_parser_answers_arbitrary_text(text in any::<String>()) {
        guide_answer_is_well_formed(&text)?;
    }

    #[test]
    fn guide_parser_answers_guide_shaped_toml(text in toml_from_guide_words()) {
        guide_answer_is_well_formed(&text)?;
    }

    /// The shipped guide with up to four edits: Ok, or problems with paths.
    #[test]
    fn guide_parser_answers_mutated_shipped_guide(edits in prop::collection::vec(guide_edit(), 1..5)) {
        let mut text = BUILTIN_2026.to_string();
        for e in &edits {
            text = apply_edit(&text, e);
        }
        guide_answer_is_well_formed(&text)?;
    }
}

// ---------------------------------------------------------------------------
// The zip pre-flight check

/// A byte-level change to a real workbook.
#[derive(Debug, Clone)]
enum ByteEdit {
    Flip(usize, u8),
    Set(usize, u8),
    Truncate(usize),
    /// Copy a run of the file over another place (keeps zip structure bits).
    Splice {
        from: usize,
        to: usize,
        len: usize,
    },
    Insert(usize, Vec<u8>),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        4 => (any::<usize>(), 1u8..=255).prop_map(|(p, x)| ByteEdit::Flip(p, x)),
        2 => (any::<usize>(), prop::sample::select(vec![0u8, 0xff, 0x7f, 0x80, b'P', b'K'])).prop_map(|(p, x)| ByteEdit::Set(p, x)),
        1 => any::<usize>().prop_map(ByteEdit::Truncate),
        1 => (any::<usize>(), any::<usize>(), 1usize..64).prop_map(|(from, to, len)| ByteEdit::Splice { from, to, len }),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(p, b)| ByteEdit::Insert(p, b)),
    ]
}

fn apply_byte_edit(bytes: &mut Vec<u8>, e: &ByteEdit) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match e {
        ByteEdit::Flip(p, x) => bytes[p % n] ^= x,
        ByteEdit::Set(p, x) => bytes[p % n] = *x,
        ByteEdit::Truncate(p) => bytes.truncate(p % n),
        ByteEdit::Splice { from, to, len } => {
            let (from, to) = (from % n, to % n);
            let len = (*len).min(n - from).min(n - to);
            let run = bytes[from..from + len].to_vec();
            bytes[to..to + len].copy_from_slice(&run);
        }
        ByteEdit::Insert(p, b) => {
            let p = p % n;
            bytes.splice(p..p, b.iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn preflight_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096), zip_magic: bool) {
        let mut bytes = bytes;
        if zip_magic {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let _ = reader::sniff(&bytes);
        let _ = reader::sniff_quick(&bytes);
    }

    /// Real workbooks (xlsx, xls, ods) with a few bytes changed: an answer,
    /// never a panic.
    #[test]
    fn preflight_never_panics_on_mutated_workbooks(which in 0..SAMPLES.len(), edits in prop::collection::vec(byte_edit(), 1..6)) {
        let mut bytes = SAMPLES[which].1.to_vec();
        for e in &edits {
            apply_byte_edit(&mut bytes, e);
        }
        let _ = reader::sniff(&bytes);
        let _ = reader::sniff_quick(&bytes);
    }
}

// ---------------------------------------------------------------------------
// Money: award parts and totals, amounts in capitals

/// Reads an amount in Chinese financial capitals back to a Decimal, checking
/// the writing rules on the way (no doubled 零, 整 only without 角/分,
/// units in descending order). Written independently of `money.rs`.
fn read_capitals(words: &str) -> Result<Decimal, String> {
    let body = words
        .strip_prefix("人民币")
        .ok_or_else(|| format!("no 人民币 prefix: {words}"))?;
    if body == "零元整" {
        return Ok(Decimal::ZERO);
    }
    if body.contains("零零") {
        return Err(format!("doubled 零: {words}"));
    }
    let (int_text, frac_text) = match body.split_once('元') {
        Some((i, f)) => (i, f),
        None => ("", body),
    };
    if body.contains('元') && int_text.is_empty() {
        return Err(format!("元 without an integer part: {words}"));
    }
    let integer = read_integer(int_text)?;
    let fen = match frac_text {
        "整" => {
            if int_text.is_empty() {
                return Err(format!("整 without 元: {words}"));
            }
            0
        }
        f => {
            let f = match f.strip_prefix('零') {
                Some(rest) if !int_text.is_empty() => rest,
                Some(_) => return Err(format!("leading 零 below one yuan: {words}")),
                None => f,
            };
            read_jiao_fen(f).ok_or_else(|| format!("bad 角/分 part {f:?}: {words}"))?
        }
    };
    Ok(Decimal::from(integer) + Decimal::new(fen, 2))
}

fn capital_digit(c: char) -> Option<i64> {
    "零壹贰叁肆伍陆柒捌玖"
        .chars()
        .position(|d| d == c)
        .map(|p| p as i64)
}

/// "伍角", "伍分", "伍角叁分" → fen (1–99); 零 may stand between 角 and 分 only
/// as "零" + digit + 分 when 角 is zero, which the caller strips.
fn read_jiao_fen(s: &str) -> Option<i64> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [j, '角'] => capital_digit(*j).filter(|&d| d > 0).map(|d| d * 10),
        [f, '分'] => capital_digit(*f).filter(|&d| d > 0),
        [j, '角', f, '分'] => {
            let (j, f) = (capital_digit(*j)?, capital_digit(*f)?);
            (j > 0 && f > 0).then_some(j * 10 + f)
        }
        _ => None,
    }
}

/// The integer part (before 元): sections split at the last 亿, then the last 万.
fn read_integer(s: &str) -> Result<i64, String> {
    if s.is_empty() {
        return Ok(0);
    }
    for (mark, size) in [('亿', 100_000_000i64), ('万', 10_000)] {
        if let Some(i) = s.rfind(mark) {
            let (high, low) = (&s[..i], &s[i + mark.len_utf8()..]);
            if high.is_empty() {
                return Err(format!("{mark} without digits before it: {s}"));
            }
            let low_value = read_integer(low.strip_prefix('零').unwrap_or(low))?;
            if low_value >= size {
                return Err(format!("section after {mark} too large: {s}"));
            }
            return Ok(read_integer(high)? * size + low_value);
        }
    }
    read_section(s)
}

/// Below 10,000: digit-unit pairs in strictly descending units, 零 only
/// between two non-zero digits, a digit before every unit (壹拾, never 拾).
fn read_section(s: &str) -> Result<i64, String> {
    let mut value = 0;
    let mut last_unit = 10_000;
    let mut digit: Option<i64> = None;
    let mut after_zero = false;
    for c in s.chars() {
        if c == '零' {
            if value == 0 || after_zero || digit.is_some() {
                return Err(format!("misplaced 零: {s}"));
            }
            after_zero = true;
            continue;
        }
        if let Some(d) = capital_digit(c) {
            if digit.is_some() {
                return Err(format!("two digits in a row: {s}"));
            }
            digit = Some(d);
            after_zero = false;
            continue;
        }
        let unit = match c {
            '拾' => 10,
            '佰' => 100,
            '仟' => 1_000,
            _ => return Err(format!("unexpected {c:?}: {s}")),
        };
        let d = digit
            .take()
            .ok_or_else(|| format!("unit without a digit: {s}"))?;
        if unit >= last_unit {
            return Err(format!("units out of order: {s}"));
        }
        last_unit = unit;
        value += d * unit;
    }
    if after_zero {
        return Err(format!("trailing 零: {s}"));
    }
    Ok(value + digit.unwrap_or(0))
}

/// The sample workbooks that pass intake, read in-process (trusted files).
fn sample_extractions() -> Vec<Extraction> {
    SAMPLES
        .iter()
        .filter_map(|(_, bytes)| reader::read_bytes(bytes).ok())
        .map(|grid| extract(&grid, &[2026]))
        .filter(|ex| ex.credit_code.is_some() && !ex.has_errors())
        .collect()
}

/// Scale every money value of an extraction by `factor` (kept to the fen).
fn scale_money(ex: &mut Extraction, factor: Decimal) {
    let fields = ex
        .fields
        .iter_mut()
        .chain(ex.projects.iter_mut().flat_map(|p| p.fields.iter_mut()))
        .chain(
            ex.other_support
                .iter_mut()
                .flat_map(|s| s.fields.iter_mut()),
        );
    for f in fields {
        if let Value::Money(m) = &mut f.value {
            *m = (*m * factor).round_dp(2);
        }
    }
}

fn rounding_mode() -> impl Strategy<Value = RoundingMode> {
    prop::sample::select(vec![
        RoundingMode::HalfUp,
        RoundingMode::HalfEven,
        RoundingMode::Down,
    ])
}

proptest! {
    /// 大写 for any amount to the fen reads back to the same amount.
    #[test]
    fn capitals_read_back(amount in prop_oneof![
        yuan(),
        (0i64..=999_999_999_999_999_999).prop_map(|fen| Decimal::new(fen, 2)),
        prop::collection::vec(prop_oneof![3 => Just(0i64), 1 => 1i64..=9], 1..=18)
            .prop_map(|ds| Decimal::new(ds.iter().fold(0, |a, d| a * 10 + d), 2)),
    ]) {
        let words = amount_in_words(amount);
        prop_assert!(words.is_ok(), "{} → {:?}", amount, words);
        let words = words.unwrap_or_default();
        prop_assert_eq!(read_capitals(&words), Ok(amount), "{}", words);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For any sample applicant with its amounts scaled, any panel points
    /// and any rounding rule: every award is rounded to the rule's unit,
    /// never negative, never above its clause's cap, superseded projects get
    /// 0, the shown 扶持金额 line is the award, and the applicant's total is
    /// exactly the sum of its parts (and its 大写 reads back).
    #[test]
    fn award_parts_sum_to_totals_exactly(
        which in any::<prop::sample::Index>(),
        factor_cents in 0i64..=100_000,
        points in prop::collection::vec(0u32..=1000, 12),
        second_reviewer: bool,
        some_missing: bool,
        mode in rounding_mode(),
        unit in prop::sample::select(vec!["1", "0.1", "0.01"]),
    ) {
        let samples = sample_extractions();
        prop_assert!(!samples.is_empty());
        let mut ex = samples[which.index(samples.len())].clone();
        scale_money(&mut ex, Decimal::new(factor_cents, 2));
        let mut guide: Guide = load_guide(BUILTIN_2026).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        guide.rounding.mode = mode;
        guide.rounding.unit = unit.parse().unwrap_or(Decimal::ONE);
        let mut panel = Vec::new();
        let mut k = 0;
        for p in &ex.projects {
            let Some(rules) = guide.clauses.get(&p.clause) else { continue };
            for f in rules.factors.iter().filter(|f| f.is_panel()) {
                k += 1;
                if some_missing && k == 2 {
                    continue;
                }
                let reviewers: &[&str] = if second_reviewer { &["甲", "乙"] } else { &["甲"] };
                for (i, r) in reviewers.iter().enumerate() {
                    let per_mille = Decimal::from(points[(k + i) % points.len()]);
                    panel.push(PanelScore {
                        clause: p.clause,
                        project: p.name.clone(),
                        factor: f.id.clone(),
                        reviewer: (*r).to_string(),
                        points: (f.weight * per_mille / Decimal::from(1000)).round_dp(1),
                    });
                }
            }
        }
        let ev = evaluate(&Inputs {
            guide: &guide,
            guide_hash: "test",
            extraction: &ex,
            certified: &[],
            panel: &panel,
            overrules: &[],
            earlier_c1: &[],
            received: None,
            lists: &reviewdesk_engine::rules::evaluate::RoundLists::default(),
        });
        let mut sum = Some(Decimal::ZERO);
        for p in &ev.projects {
            match p.award_yuan {
                Some(a) => {
                    prop_assert!(a >= Decimal::ZERO, "{:?}", p);
                    prop_assert!(a.normalize().scale() <= guide.rounding.dp(), "{} not to the unit {}", a, unit);
                    let cap = guide.clauses.get(&p.clause).map(|r| r.award.cap()).unwrap_or_default();
                    prop_assert!(a <= cap, "{} above cap {}", a, cap);
                    if p.superseded_by.is_some() || !p.eligible {
                        prop_assert_eq!(a, Decimal::ZERO);
                    }
                    let shown = p.lines.iter().rev().find(|l| l.label == "扶持金额").map(|l| l.value.clone());
                    prop_assert_eq!(shown, Some(format!("{} 元", format_yuan_grouped(a))));
                    sum = sum.map(|s| s + a);
                }
                None => sum = None,
            }
        }
        prop_assert_eq!(ev.total_yuan, sum);
        if let Some(total) = ev.total_yuan {
            let words = amount_in_words(total).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(read_capitals(&words), Ok(total));
        }
    }
}

#[test]
fn capitals_reader_knows_the_guide_examples() {
    let d = |s: &str| s.parse::<Decimal>().expect("literal");
    assert_eq!(
        read_capitals("人民币壹佰贰拾叁万肆仟伍佰元整"),
        Ok(d("1234500"))
    );
    assert_eq!(read_capitals("人民币贰拾万元零伍角"), Ok(d("200000.5")));
    assert_eq!(read_capitals("人民币伍分"), Ok(d("0.05")));
    assert_eq!(read_capitals("人民币壹亿零壹万元整"), Ok(d("100010000")));
    assert_eq!(read_capitals("人民币壹万亿元整"), Ok(d("1000000000000")));
    assert!(read_capitals("人民币拾元整").is_err());
    assert!(read_capitals("人民币壹佰零零壹元整").is_err());
    assert!(read_capitals("人民币伍角整").is_err());
}

#[test]
fn samples_give_extractions_to_evaluate() {
    let samples = sample_extractions();
    assert!(samples.len() >= 3);
    assert!(samples.iter().map(|e| e.projects.len()).sum::<usize>() >= 3);
}
