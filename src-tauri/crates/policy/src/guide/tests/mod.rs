//! The loader's tests: the shipped guide, its hash and serde form; the
//! checks one by one are in `checks.rs`.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use reviewdesk_domain::money::RoundingMode;
use reviewdesk_domain::schema::{self, Kind};

use super::reader::Named;
use super::*;

fn d(s: &str) -> Decimal {
    match Decimal::from_str_exact(s) {
        Ok(x) => x,
        Err(e) => panic!("test literal {s}: {e}"),
    }
}

fn shipped() -> Guide {
    match load_guide(BUILTIN_2026) {
        Ok(g) => g,
        Err(problems) => panic!(
            "the shipped guide has problems:\n{}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// The shipped guide with `from` replaced by `to` (which must occur).
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BUILTIN_2026.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "test edit target not found: {from}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn problems(text: &str) -> Vec<GuideProblem> {
    match load_guide(text) {
        Ok(_) => panic!("a broken guide loaded"),
        Err(p) => p,
    }
}

/// Exactly one problem, at `path`, whose message contains `needle`.
fn one_problem(edits: &[(&str, &str)], path: &str, needle: &str) {
    let found = problems(&edited(edits));
    assert_eq!(
        found.len(),
        1,
        "expected one problem at {path}, got {found:#?}"
    );
    assert_eq!(found[0].path, path, "{found:#?}");
    assert!(
        found[0].message.contains(needle),
        "message of {path} lacks {needle:?}: {}",
        found[0].message
    );
}

#[test]
fn shipped_guide_loads_with_its_numbers() {
    let g = shipped();
    assert_eq!(g.format, 1);
    assert_eq!((g.round.year, g.round.data_year), (2026, 2025));
    assert_eq!(g.round.budget, None);
    assert_eq!(g.round.budget_overrun, BudgetOverrun::Flag);
    assert_eq!(g.highest_only.other_support, OtherSupport::TopUp);
    assert_eq!(g.rounding.unit, d("0.01"));
    assert_eq!(g.rounding.dp(), 2);
    assert_eq!(g.rounding.mode, RoundingMode::HalfUp);
    assert_eq!(g.rounding.apply(d("12.345")), d("12.35"));
    assert_eq!(g.score_rounding.apply(d("87.125")), d("87.13"));
    assert_eq!(g.panel.method, PanelMethod::Mean);
    assert_eq!(g.panel.drop_high_low_from, Some(5));
    assert_eq!(g.panel.trim, PanelTrim::PerTotal);
    assert_eq!(g.panel.min_scores, Some(3));
    assert_eq!(g.eligibility.registered_district, "渝中区");
    assert_eq!(g.certified_platforms.len(), 3);
    assert_eq!(g.clauses.len(), 5);
    assert_eq!(g.clauses.keys().copied().collect::<Vec<_>>(), Clause::ALL);

    let c1 = &g.clauses[&Clause::C1];
    assert_eq!(c1.award.cap(), d("2000000"));
    assert_eq!(c1.award.pass_mark(), Some(d("60")));
    assert_eq!(c1.award.limits()[0].field, "项目总投资");
    assert_eq!(c1.award.limits()[0].share, d("0.1"));
    assert!(c1.eligibility.conditions.contains(&Condition::OneTime));
    let weights: Decimal = c1.factors.iter().map(|f| f.weight).sum();
    assert_eq!(weights, d("100"));
    let sources: Vec<&str> = c1.factors.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(
        sources,
        [
            "项目总投资",
            "新增就业",
            "项目营业收入",
            "服务企业数",
            "算力规模"
        ]
    );

    match &g.clauses[&Clause::C2a].award {
        Award::Rate {
            rate, base, cap, ..
        } => {
            assert_eq!(
                (*rate, base.as_str(), *cap),
                (d("0.1"), "资助到账金额", d("1000000"))
            );
        }
        other => panic!("C2a award {other:?}"),
    }
    assert!(g.clauses[&Clause::C2a].factors.is_empty());
    let c2b = &g.clauses[&Clause::C2b];
    assert_eq!(c2b.award.cap(), d("200000"));
    assert!(c2b.factors.iter().all(Factor::is_panel));
    let c3 = &g.clauses[&Clause::C3];
    assert_eq!(c3.award.cap(), d("1000000"));
    assert_eq!(c3.award.limits()[0].share, d("0.3"));
    let c4 = &g.clauses[&Clause::C4];
    assert_eq!(c4.award.cap(), d("500000"));
    assert_eq!(c4.award.pass_mark(), Some(d("80")));
    assert_eq!(
        c4.eligibility.applicant_types.len(),
        schema::ORG_TYPES.len()
    );

    for (id, clause) in &g.clauses {
        if clause.award.is_scored() {
            let sum: Decimal = clause.factors.iter().map(|f| f.weight).sum();
            assert_eq!(sum, d("100"), "{id}");
        }
        for f in &clause.factors {
            assert_eq!(f.is_panel(), f.rule().is_none(), "{id} {}", f.id);
        }
    }
    assert_eq!(g.wording.issuer, "重庆市渝中区大数据应用发展管理局");
    assert_eq!(g.wording.contact_phone, "023-63768099");
    assert!(g.wording.remedy.contains("重庆市渝中区人民政府"));
    assert_eq!(g.wording.doc_number_prefix, "渝中大数据发");
}

#[test]
fn builtin_and_hash() {
    let (text, guide) = match builtin(2026) {
        Some(b) => b,
        None => panic!("no built-in 2026 guide"),
    };
    assert_eq!(text, BUILTIN_2026);
    assert_eq!(guide, shipped());
    assert!(builtin(2025).is_none());
    assert!(builtin(2027).is_none());
    assert_eq!(
        content_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let h = content_hash(text);
    assert_eq!(h.len(), 64);
    assert!(h
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    // One byte more is another version.
    assert_ne!(content_hash(&format!("{text}\n")), h);
}

#[test]
fn serialized_form_reads_back_through_the_loader() {
    let g = shipped();
    // JSON (UI, `guide show --json`): amounts travel as strings.
    let json = match serde_json::to_string(&g) {
        Ok(j) => j,
        Err(e) => panic!("{e}"),
    };
    assert!(json.contains("\"cap\":\"2000000\""), "{json}");
    assert!(json.contains("\"window_open\":\"2026-03-01\""), "{json}");
    // Written back as TOML, it loads through the one reader to the same guide.
    let toml_text = match toml::to_string(&g) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(load_guide(&toml_text), Ok(g));
}

#[test]
fn named_values_match_serde() {
    fn check<T: Named + Serialize>() {
        for (name, value) in T::NAMES {
            assert_eq!(
                serde_json::to_value(value).ok(),
                Some(serde_json::json!(name))
            );
        }
    }
    check::<RoundingMode>();
    check::<BudgetOverrun>();
    check::<WithinPolicy>();
    check::<OtherSupport>();
    check::<PanelMethod>();
    check::<PanelTrim>();
    check::<ListName>();
}

mod checks;
