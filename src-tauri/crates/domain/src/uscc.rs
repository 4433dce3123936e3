//! Unified social credit codes (统一社会信用代码, GB 32100-2015).
//!
//! A code is 18 characters from a 31-character set (the digits and the
//! capital letters without I, O, Z, S, V):
//!
//! | position (1-based) | meaning |
//! |---|---|
//! | 1 | registration authority (登记管理部门), e.g. `9` market regulation |
//! | 2 | organisation type within that authority, e.g. `1` enterprise |
//! | 3–8 | administrative area of the registering authority (GB/T 2260), e.g. `500103` Yuzhong |
//! | 9–17 | organisation code body (GB 11714) |
//! | 18 | check character: weights 3^i mod 31 over positions 1–17 |
//!
//! Everything here is pure and never panics, whatever the input.

use std::fmt;

/// The 31 characters a credit code may contain, in the order of their values
/// (0–30) as used by the check-character computation.
pub const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17 (3^(i-1) mod 31).
pub const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Area code of the Yuzhong district registration authority (渝中区).
pub const AREA_YUZHONG: &str = "500103";
/// Area code of the Chongqing municipal registration authority (重庆市).
pub const AREA_CHONGQING_MUNICIPAL: &str = "500000";

/// Registration authority codes (position 1) with the organisation-type
/// codes (position 2) each admits, per GB 32100-2015 appendix A.
const AUTHORITIES: &[(u8, &[u8])] = &[
    (b'1', b"1239"),   // 机构编制: 机关, 事业单位, 群众团体, 其他
    (b'2', b"19"),     // 外交
    (b'3', b"123459"), // 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他
    (b'4', b"19"),     // 文化
    (b'5', b"1239"),   // 民政: 社会团体, 民办非企业单位, 基金会, 其他
    (b'6', b"129"),    // 旅游
    (b'7', b"129"),    // 宗教
    (b'8', b"19"),     // 工会
    (b'9', b"123"),    // 市场监管（工商）: 企业, 个体工商户, 农民专业合作社
    (b'A', b"19"),     // 中央军委改革和编制办公室
    (b'N', b"1239"),   // 农业: 组级/村级/乡镇级集体经济组织, 其他
    (b'Y', b"1"),      // 其他
];

/// Why a string is not a valid credit code. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters long.
    Length { found: usize },
    /// A character outside the 31-character set (I, O, Z, S, V, lower case,
    /// punctuation, …).
    InvalidChar { position: usize, found: char },
    /// Position 1 is not a registration authority code.
    RegistrationAuthority { found: char },
    /// Position 2 is not an organisation type of that authority.
    OrgType { authority: char, found: char },
    /// Positions 3–8 are not six digits.
    AreaCode { found: String },
    /// The check character does not match positions 1–17.
    CheckChar { expected: char, found: char },
}

impl UsccError {
    /// Chinese explanation for the reviewer and the applicant.
    pub fn message_zh(&self) -> String {
        match self {
            UsccError::Length { found } => {
                format!("统一社会信用代码应为 18 位，实际为 {found} 位")
            }
            UsccError::InvalidChar { position, found } => format!(
                "第 {position} 位字符「{found}」不合规（只能是数字和除 I、O、Z、S、V 外的大写字母）"
            ),
            UsccError::RegistrationAuthority { found } => {
                format!("第 1 位登记管理部门代码「{found}」不存在")
            }
            UsccError::OrgType { authority, found } => {
                format!("第 2 位机构类别代码「{found}」不属于登记管理部门「{authority}」")
            }
            UsccError::AreaCode { found } => {
                format!("第 3–8 位登记管理机关行政区划码「{found}」应为 6 位数字")
            }
            UsccError::CheckChar { expected, found } => {
                format!("校验位（第 18 位）应为「{expected}」，实际为「{found}」")
            }
        }
    }

    /// English explanation.
    pub fn message_en(&self) -> String {
        match self {
            UsccError::Length { found } => {
                format!("a credit code has 18 characters, this one has {found}")
            }
            UsccError::InvalidChar { position, found } => format!(
                "character {position} '{found}' is not allowed (digits and capital letters except I, O, Z, S, V)"
            ),
            UsccError::RegistrationAuthority { found } => {
                format!("character 1 '{found}' is not a registration authority code")
            }
            UsccError::OrgType { authority, found } => format!(
                "character 2 '{found}' is not an organisation type of authority '{authority}'"
            ),
            UsccError::AreaCode { found } => {
                format!("characters 3–8 '{found}' must be a six-digit area code")
            }
            UsccError::CheckChar { expected, found } => {
                format!("the check character (18th) should be '{expected}', found '{found}'")
            }
        }
    }
}

impl fmt::Display for UsccError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.message_zh(), self.message_en())
    }
}

impl std::error::Error for UsccError {}

/// Value (0–30) of a code character, or None if it is not in the set.
pub fn char_value(c: char) -> Option<u32> {
    if !c.is_ascii() {
        return None;
    }
    let b = c as u8;
    CHARSET.iter().position(|&x| x == b).map(|p| p as u32)
}

/// The check character for a 17-character body (positions 1–17), or None if
/// the body is not 17 characters of the code set.
pub fn check_char(body: &str) -> Option<char> {
    let mut sum: u32 = 0;
    let mut n = 0;
    for (i, c) in body.chars().enumerate() {
        if i >= 17 {
            return None;
        }
        sum += char_value(c)? * WEIGHTS[i];
        n += 1;
    }
    if n != 17 {
        return None;
    }
    let v = (31 - sum % 31) % 31;
    Some(CHARSET[v as usize] as char)
}

/// Validate a credit code exactly as written (no trimming, no case folding:
/// the caller normalises first). Checks, in order: length, character set,
/// registration authority, organisation type, area code, check character.
pub fn validate(code: &str) -> Result<(), UsccError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(UsccError::Length { found: chars.len() });
    }
    for (i, &c) in chars.iter().enumerate() {
        if char_value(c).is_none() {
            return Err(UsccError::InvalidChar {
                position: i + 1,
                found: c,
            });
        }
    }
    let authority = chars[0];
    let types = AUTHORITIES
        .iter()
        .find(|(a, _)| *a as char == authority)
        .map(|(_, t)| *t)
        .ok_or(UsccError::RegistrationAuthority { found: authority })?;
    if !types.iter().any(|&t| t as char == chars[1]) {
        return Err(UsccError::OrgType {
            authority,
            found: chars[1],
        });
    }
    let area: String = chars[2..8].iter().collect();
    if !area.chars().all(|c| c.is_ascii_digit()) {
        return Err(UsccError::AreaCode { found: area });
    }
    let body: String = chars[..17].iter().collect();
    // The body is 17 characters of the set, so this is always Some.
    let expected = check_char(&body).unwrap_or('?');
    if expected != chars[17] {
        return Err(UsccError::CheckChar {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// True when `validate` accepts the code.
pub fn is_valid(code: &str) -> bool {
    validate(code).is_ok()
}

/// Characters 3–8 (the registering authority's area code), or "" when the
/// string is too short or not ASCII there. Meaningful on a valid code.
pub fn area_code(code: &str) -> &str {
    code.get(2..8).unwrap_or("")
}

/// True when the registering authority is Yuzhong (500103).
pub fn is_yuzhong(code: &str) -> bool {
    area_code(code) == AREA_YUZHONG
}

/// True when the area is Yuzhong or the municipal authority, which is neutral
/// about the district.
pub fn area_consistent_with_yuzhong(code: &str) -> bool {
    matches!(area_code(code), AREA_YUZHONG | AREA_CHONGQING_MUNICIPAL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLES: [&str; 4] = [
        "91500103MA5U7K2P39",
        "91500103MA61QX3D6W",
        "52500103MB1C9W4EX0",
        "91500103MA7HJ2LT5M",
    ];

    #[test]
    fn sample_codes_are_valid() {
        for c in SAMPLES {
            assert_eq!(validate(c), Ok(()), "{c}");
            assert!(is_valid(c));
            assert_eq!(area_code(c), "500103");
            assert!(is_yuzhong(c));
        }
        // 05-not-yuzhong's code: valid, registered in Jiangbei.
        assert!(is_valid("91500105MA5XR8N1XJ"));
        assert_eq!(area_code("91500105MA5XR8N1XJ"), "500105");
        assert!(!area_consistent_with_yuzhong("91500105MA5XR8N1XJ"));
    }

    #[test]
    fn wrong_check_char_is_invalid() {
        assert_eq!(
            validate("91500103MA5U7K2P38"),
            Err(UsccError::CheckChar {
                expected: '9',
                found: '8'
            })
        );
    }

    #[test]
    fn structural_errors() {
        assert_eq!(validate(""), Err(UsccError::Length { found: 0 }));
        assert_eq!(
            validate("91500103MA5U7K2P3"),
            Err(UsccError::Length { found: 17 })
        );
        assert_eq!(
            validate("91500103MA5U7K2PO9"),
            Err(UsccError::InvalidChar {
                position: 17,
                found: 'O'
            })
        );
        assert_eq!(
            validate("91500103ma5u7k2p39"),
            Err(UsccError::InvalidChar {
                position: 9,
                found: 'm'
            })
        );
        assert_eq!(
            validate("B1500103MA5U7K2P39"),
            Err(UsccError::RegistrationAuthority { found: 'B' })
        );
        assert_eq!(
            validate("97500103MA5U7K2P39"),
            Err(UsccError::OrgType {
                authority: '9',
                found: '7'
            })
        );
        assert_eq!(
            validate("9150A103MA5U7K2P39"),
            Err(UsccError::AreaCode {
                found: "50A103".into()
            })
        );
        // Multi-byte characters never panic.
        assert!(validate("９１５００１０３ＭＡ５Ｕ７Ｋ２Ｐ３９").is_err());
        assert_eq!(area_code("９１５００１０３"), "");
        assert_eq!(area_code("91"), "");
    }

    #[test]
    fn municipal_area_is_neutral() {
        let body = "91500000MA5U7K2P3";
        let code = format!("{body}{}", check_char(body).unwrap());
        assert!(is_valid(&code));
        assert!(area_consistent_with_yuzhong(&code));
        assert!(!is_yuzhong(&code));
    }

    #[test]
    fn check_char_rejects_bad_bodies() {
        assert_eq!(check_char("91500103MA5U7K2P"), None);
        assert_eq!(check_char("91500103MA5U7K2P39"), None);
        assert_eq!(check_char("91500103MA5U7K2PI"), None);
        assert_eq!(check_char("91500103MA5U7K2P3"), Some('9'));
    }

    fn valid_body() -> impl Strategy<Value = String> {
        let auth = prop::sample::select(
            AUTHORITIES
                .iter()
                .flat_map(|(a, ts)| ts.iter().map(move |t| (*a as char, *t as char)))
                .collect::<Vec<_>>(),
        );
        let area = prop::collection::vec(0u8..10, 6);
        let org = prop::collection::vec(0usize..31, 9);
        (auth, area, org).prop_map(|((a, t), area, org)| {
            let mut s = String::new();
            s.push(a);
            s.push(t);
            s.extend(area.iter().map(|d| (b'0' + d) as char));
            s.extend(org.iter().map(|&i| CHARSET[i] as char));
            s
        })
    }

    proptest! {
        #[test]
        fn computed_check_char_is_valid_and_unique(body in valid_body()) {
            let check = check_char(&body).unwrap();
            let code = format!("{body}{check}");
            prop_assert_eq!(validate(&code), Ok(()));
            for &c in CHARSET.iter() {
                let c = c as char;
                if c != check {
                    let other = format!("{body}{c}");
                    prop_assert!(
                        matches!(validate(&other), Err(UsccError::CheckChar { .. })),
                        "{} accepted", other
                    );
                }
            }
            for c in ['I', 'O', 'Z', 'S', 'V', 'a', ' ', '中'] {
                let bad = format!("{body}{c}");
                prop_assert!(validate(&bad).is_err());
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(s in ".*") {
            let _ = validate(&s);
            let _ = area_code(&s);
            let _ = check_char(&s);
        }
    }
}
