//! The round budget's pro-rata rule (rules::budget), for any input: the
//! reduced awards sum to the budget exactly, nobody gets more than their
//! unreduced award, each is within one fen of its exact share, and the
//! result does not depend on the order the awards come in (largest
//! remainder, ties by credit code). Plus hand-worked cases through
//! `budget_of` with the shipped guide: per-clause totals, frozen awards kept.

use proptest::prelude::*;
use reviewdesk_engine::guide::{builtin, BudgetOverrun, Clause, Guide};
use reviewdesk_engine::review::budget::{budget_of, pro_rata, Claim};
use reviewdesk_engine::rules::evaluate::{Evaluation, ProjectResult};
use rust_decimal::Decimal;

fn fen(f: i64) -> Decimal {
    Decimal::new(f, 2)
}

fn claims_strategy() -> impl Strategy<Value = Vec<Claim>> {
    // Few codes and few distinct amounts, so remainders and codes tie often.
    let one = (
        0usize..6,
        0usize..5,
        prop_oneof![
            1i64..1_000i64,
            1i64..10_000_000_000i64,
            Just(100_000_000i64)
        ],
    )
        .prop_map(|(code, clause, award)| Claim {
            credit_code: format!("91500103MA5U00000{code}"),
            clause: Clause::ALL[clause],
            project: format!("项目{}", award % 3),
            award: fen(award),
        });
    prop::collection::vec(one, 1..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pro_rata_sums_to_the_budget_exactly(claims in claims_strategy(), permille in 0i64..1000, seed in any::<u64>()) {
        let total: Decimal = claims.iter().map(|c| c.award).sum();
        // A budget below the total, whole fen.
        let budget = (total * Decimal::new(permille, 3)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
        prop_assume!(budget < total);
        let reduced = pro_rata(&claims, budget).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(reduced.len(), claims.len());
        prop_assert_eq!(reduced.iter().copied().sum::<Decimal>(), budget);
        for (c, r) in claims.iter().zip(&reduced) {
            prop_assert!(*r <= c.award, "{} above {}", r, c.award);
            prop_assert!(*r >= Decimal::ZERO);
            prop_assert!(r.scale() <= 2);
            // Within one fen of the exact share a × B / T.
            let exact = c.award * budget / total;
            prop_assert!((*r - exact).abs() < fen(1), "{} vs exact {}", r, exact);
        }
        // Order does not matter: a rotation and a reversal give each claim
        // the same amount.
        let n = claims.len();
        let k = (seed % n as u64) as usize;
        let mut order: Vec<usize> = (0..n).map(|i| (i + k) % n).collect();
        if seed % 2 == 0 {
            order.reverse();
        }
        let shuffled: Vec<Claim> = order.iter().map(|&i| claims[i].clone()).collect();
        let again = pro_rata(&shuffled, budget).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (j, &i) in order.iter().enumerate() {
            // Identical claims may swap their fen; compare as multisets per claim value.
            if claims.iter().filter(|c| **c == claims[i]).count() == 1 {
                prop_assert_eq!(again[j], reduced[i]);
            }
        }
        let mut a: Vec<Decimal> = again.clone();
        let mut b: Vec<Decimal> = order.iter().map(|&i| reduced[i]).collect();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn claims_that_fit_are_untouched(claims in claims_strategy(), extra in 0i64..1_000_000) {
        let total: Decimal = claims.iter().map(|c| c.award).sum();
        let reduced = pro_rata(&claims, total + fen(extra)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let awards: Vec<Decimal> = claims.iter().map(|c| c.award).collect();
        prop_assert_eq!(reduced, awards);
    }
}

fn guide(budget: Option<&str>, rule: BudgetOverrun) -> (String, Guide) {
    let (text, mut g) = builtin(2026).unwrap_or_else(|| panic!("no 2026 guide"));
    g.round.budget = budget.map(|b| b.parse().unwrap_or_else(|e| panic!("{b}: {e}")));
    g.round.budget_overrun = rule;
    (reviewdesk_engine::guide::content_hash(text), g)
}

fn project(clause: Clause, name: &str, award: Option<&str>) -> ProjectResult {
    ProjectResult {
        clause,
        name: name.into(),
        eligible: true,
        eligibility: vec![],
        factors: vec![],
        score: None,
        computed_yuan: None,
        award_yuan: award.map(|a| a.parse().unwrap_or_else(|e| panic!("{a}: {e}"))),
        superseded_by: None,
        lines: vec![],
        panel_totals: vec![],
        disagreement: false,
    }
}

fn ev(code: &str, projects: Vec<ProjectResult>) -> Evaluation {
    Evaluation {
        credit_code: Some(code.into()),
        round: 2026,
        guide: String::new(),
        projects,
        flags: vec![],
        total_yuan: None,
    }
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn three_applicants_over_budget_pro_rata_by_hand() {
    // Awards 1,000,000 (A, C1), 650,000 (B, C2a), 350,000.01 (C, C3), in fen:
    // T = 200,000,001, B = 100,000,000. a × B = q × T + r:
    //   A: 10^16           = 49,999,999 × T + 150,000,001
    //   B: 6.5 × 10^15     = 32,499,999 × T + 167,500,001
    //   C: 3,500,000,100,000,000 = 17,500,000 × T + 82,500,000
    // Floors sum to 99,999,998: 2 fen left, to the two largest remainders
    // (B, then A). Result: A 500,000.00, B 325,000.00, C 175,000.00.
    let (h, g) = guide(Some("1000000"), BudgetOverrun::ProRata);
    let a = ev("A", vec![project(Clause::C1, "一", Some("1000000"))]);
    let b = ev("B", vec![project(Clause::C2a, "二", Some("650000"))]);
    let c = ev(
        "C",
        vec![
            project(Clause::C3, "三", Some("350000.01")),
            project(Clause::C4, "四", Some("0")),
        ],
    );
    let r = budget_of(&g, &h, &[(&a, false), (&b, false), (&c, false)])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.over_budget);
    assert_eq!(r.over_by_yuan, Some(d("1000000.01")));
    let got: Vec<(String, Decimal)> = r
        .allocations
        .unwrap_or_default()
        .iter()
        .map(|a| (a.credit_code.clone(), a.reduced_yuan))
        .collect();
    assert_eq!(
        got,
        vec![
            ("A".to_string(), d("500000.00")),
            ("B".to_string(), d("325000.00")),
            ("C".to_string(), d("175000.00")),
        ]
    );
    assert_eq!(r.reduced_total_yuan, Some(d("1000000")));
    let per: Vec<(Clause, usize, Decimal, Option<Decimal>)> = r
        .per_clause
        .iter()
        .map(|c| (c.clause, c.projects, c.total_yuan, c.reduced_yuan))
        .collect();
    assert_eq!(
        per,
        vec![
            (Clause::C1, 1, d("1000000"), Some(d("500000"))),
            (Clause::C2a, 1, d("650000"), Some(d("325000"))),
            (Clause::C3, 1, d("350000.01"), Some(d("175000"))),
            (Clause::C4, 0, d("0"), Some(d("0"))),
        ]
    );
}

#[test]
fn frozen_awards_come_off_the_budget_first() {
    // A approved at 600,000 (frozen), B 300,000 and C 300,000 open; budget
    // 1,000,000 → 400,000 left for B and C: 200,000 each.
    let (h, g) = guide(Some("1000000"), BudgetOverrun::ProRata);
    let a = ev("A", vec![project(Clause::C1, "一", Some("600000"))]);
    let b = ev("B", vec![project(Clause::C3, "二", Some("300000"))]);
    let c = ev("C", vec![project(Clause::C3, "三", Some("300000"))]);
    let r = budget_of(&g, &h, &[(&a, true), (&b, false), (&c, false)])
        .unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<(bool, Decimal)> = r
        .allocations
        .unwrap_or_default()
        .iter()
        .map(|a| (a.frozen, a.reduced_yuan))
        .collect();
    assert_eq!(
        got,
        vec![
            (true, d("600000")),
            (false, d("200000")),
            (false, d("200000"))
        ]
    );
    assert_eq!(r.frozen_yuan, d("600000"));
}

#[test]
fn flag_rule_and_pending_projects_reduce_nothing() {
    let a = ev("A", vec![project(Clause::C1, "一", Some("1500000"))]);
    let b = ev("B", vec![project(Clause::C4, "二", None)]);
    // Flag: over budget, amounts kept, the approver is told.
    let (h, g) = guide(Some("1000000"), BudgetOverrun::Flag);
    let r = budget_of(&g, &h, &[(&a, false)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.over_budget && r.allocations.is_none());
    assert!(
        r.message_en.contains("for the approver"),
        "{}",
        r.message_en
    );
    // Pro rata waits for the panel.
    let (h, g) = guide(Some("1000000"), BudgetOverrun::ProRata);
    let r = budget_of(&g, &h, &[(&a, false), (&b, false)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.over_budget && r.allocations.is_none());
    assert_eq!(r.pending, 1);
    // No budget: totals only.
    let (h, g) = guide(None, BudgetOverrun::Flag);
    let r = budget_of(&g, &h, &[(&a, false)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.over_budget);
    assert_eq!((r.budget_yuan, r.total_yuan), (None, d("1500000")));
    // Under budget: what remains.
    let (h, g) = guide(Some("2000000"), BudgetOverrun::ProRata);
    let r = budget_of(&g, &h, &[(&a, false)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.remaining_yuan, Some(d("500000")));
}
