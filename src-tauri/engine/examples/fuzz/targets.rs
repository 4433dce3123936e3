//! The fuzz targets: one function per engine entry point that untrusted
//! input reaches. Each runs one input, checks invariants (a broken one
//! panics) and returns an outcome signature. Shared by the stable mutation
//! fuzzer (`main.rs` beside this file) and the coverage-guided cargo-afl
//! harness (`fuzz/afl`), which includes this file by path.

use std::hash::{DefaultHasher, Hash, Hasher};

use reviewdesk_engine::guide::load_guide;
use reviewdesk_engine::intake::grid::CellValue;
use reviewdesk_engine::intake::{normalize, reader};
use reviewdesk_engine::uscc;

pub fn sig(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------------------
// Targets

pub fn run_normalise(input: &[u8]) -> u64 {
    let (kind, text) = input.split_first().unwrap_or((&0, &[]));
    let s = String::from_utf8_lossy(text);
    let cell = match kind % 4 {
        0 => CellValue::Text(s.to_string()),
        1 => CellValue::Number(s.to_string()),
        2 => CellValue::Date(s.to_string()),
        _ => CellValue::Error(s.to_string()),
    };
    let money = normalize::money_wan(&cell);
    if let Ok(m) = &money {
        assert!(
            m.value >= rust_decimal::Decimal::ZERO && m.value.scale() <= 2,
            "money_wan gave {} for {s:?}",
            m.value
        );
    }
    let date = normalize::date(&cell);
    if let Ok(d) = &date {
        use chrono::Datelike;
        assert!(
            (1900..=2200).contains(&d.year()) || matches!(cell, CellValue::Number(_)),
            "date {d} out of range for {s:?}"
        );
    }
    let integer = normalize::integer(&cell, Some("人"));
    if let Ok(i) = integer {
        assert!(i >= 0, "negative integer {i} for {s:?}");
    }
    let _ = normalize::parse_decimal(&s);
    let _ = normalize::excel_general(&s);
    let _ = normalize::found_text(&cell);
    let oks = [
        money.is_ok(),
        date.is_ok(),
        integer.is_ok(),
        normalize::quantity(&cell, Some("PFLOPS")).is_ok(),
        normalize::year(&cell).is_ok(),
        normalize::yes_no(&cell).is_ok(),
        normalize::phone(&cell).is_ok(),
        normalize::email(&cell).is_ok(),
        normalize::bank_account(&cell).is_ok(),
        normalize::text(&cell, 50).is_ok(),
        normalize::credit_code(&cell).is_ok(),
        normalize::choice(&cell, &["国家级", "市级"]).is_ok(),
        money.as_ref().is_ok_and(|m| m.warning.is_some()),
    ];
    sig((kind % 4, oks))
}

pub fn run_uscc(input: &[u8]) -> u64 {
    let s = String::from_utf8_lossy(input);
    let r = uscc::validate(&s);
    if r.is_ok() {
        let chars: Vec<char> = s.chars().collect();
        let body: String = chars[..17].iter().collect();
        assert_eq!(
            uscc::check_char(&body),
            Some(chars[17]),
            "accepted {s:?} with a wrong check character"
        );
        assert_eq!(
            normalize::credit_code(&CellValue::Text(s.to_string())).as_deref(),
            Ok(&*s),
            "validator and normaliser disagree on {s:?}"
        );
    }
    let _ = uscc::area_code(&s);
    let _ = uscc::is_yuzhong(&s);
    let _ = uscc::area_consistent_with_yuzhong(&s);
    let n = normalize::credit_code(&CellValue::Text(s.to_string()));
    let variant = match &r {
        Ok(()) => "ok".to_string(),
        Err(e) => format!("{e:?}")
            .split([' ', '{', '('])
            .next()
            .unwrap_or("")
            .to_string(),
    };
    sig((variant, n.is_ok(), s.chars().count().min(20)))
}

pub fn run_guide(input: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(input);
    match load_guide(&text) {
        Ok(_) => sig("ok"),
        Err(problems) => {
            assert!(!problems.is_empty(), "Err with no problems");
            // Signature: the first problem's path without indices, and how many.
            let first = problems
                .first()
                .map(|p| {
                    p.path
                        .chars()
                        .filter(|c| !c.is_ascii_digit())
                        .collect::<String>()
                })
                .unwrap_or_default();
            let msg: String = problems
                .first()
                .map(|p| p.message.chars().take(12).collect())
                .unwrap_or_default();
            sig((first, msg, problems.len().min(8)))
        }
    }
}

pub fn run_zip(input: &[u8]) -> u64 {
    let quick = reader::sniff_quick(input).map_err(|e| e.code());
    let full = reader::sniff(input);
    let outcome = match &full {
        Ok(f) => f.as_str().to_string(),
        Err(e) => {
            let m = e.message_en();
            format!("{}:{}", e.code(), m.chars().take(24).collect::<String>())
        }
    };
    sig((quick, outcome))
}
