//! Scoring: pure, exact functions over the guide's rules. A factor's value
//! becomes points ([`score_factor`]); a total score becomes a share of the
//! clause's cap ([`tier_share`]). Nothing here rounds: the caller rounds
//! points and totals with the guide's `score_rounding` before applying tiers,
//! and the final award with its `rounding`.

use rust_decimal::Decimal;

use crate::guide::{ScoringRule, Tier};

/// The points a factor value earns, exactly (not rounded).
///
/// - `Linear { floor, full, max_points }`: 0 at or below `floor`,
///   `max_points` at or above `full` (both edges inclusive), in between
///   `max_points × (value − floor) / (full − floor)`.
/// - `Bands`: the points of the band with `at_least ≤ value < below`
///   (`at_least` inclusive, `below` exclusive; a band without `below` has no
///   upper limit); 0 below the first band (or in a gap, which the guide
///   loader refuses).
pub fn score_factor(rule: &ScoringRule<'_>, value: Decimal) -> Decimal {
    match *rule {
        ScoringRule::Linear {
            floor,
            full,
            max_points,
        } => {
            if value <= floor {
                return Decimal::ZERO;
            }
            if value >= full {
                return max_points;
            }
            let span = full - floor;
            if span <= Decimal::ZERO {
                return max_points;
            }
            let above = value - floor;
            // Multiply first (exact more often: 15 × 1 / 3 = 5); if that
            // overflows for huge edges, divide first.
            match max_points.checked_mul(above) {
                Some(product) => product / span,
                None => max_points * (above / span),
            }
        }
        ScoringRule::Bands(bands) => bands
            .iter()
            .rev()
            .find(|b| value >= b.at_least && b.below.is_none_or(|below| value < below))
            .map_or(Decimal::ZERO, |b| b.points),
    }
}

/// The share of the cap a (rounded) total score earns: the share of the
/// first tier, tiers listed from the highest score down, whose `min_score`
/// the score reaches (inclusive). `None` below the lowest tier: nothing is
/// awarded.
pub fn tier_share(tiers: &[Tier], score: Decimal) -> Option<Decimal> {
    tiers.iter().find(|t| score >= t.min_score).map(|t| t.share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::{builtin, Band, Clause, Guide};

    fn d(s: &str) -> Decimal {
        match Decimal::from_str_exact(s) {
            Ok(x) => x,
            Err(e) => panic!("test literal {s}: {e}"),
        }
    }

    fn guide() -> Guide {
        match builtin(2026) {
            Some((_, g)) => g,
            None => panic!("no built-in guide"),
        }
    }

    /// The points of factor `id` of clause `clause` in the shipped guide.
    fn points(g: &Guide, clause: Clause, id: &str, value: &str) -> Decimal {
        let factor = g.clauses[&clause].factors.iter().find(|f| f.id == id);
        match factor.and_then(|f| f.rule()) {
            Some(rule) => score_factor(&rule, d(value)),
            None => panic!("no scored factor {clause} {id}"),
        }
    }

    #[test]
    fn band_edges_are_inclusive_below_exclusive_above() {
        let g = guide();
        let c1 = Clause::C1;
        // 项目总投资 bands: [0,1000万) 6, [1000万,3000万) 12, …, ≥1亿 30.
        for (value, want) in [
            ("0", "6"),
            ("9999999.99", "6"),
            ("10000000", "12"),
            ("29999999.99", "12"),
            ("30000000", "18"),
            ("50000000", "24"),
            ("99999999.99", "24"),
            ("100000000", "30"),
            ("100000000000", "30"),
        ] {
            assert_eq!(points(&g, c1, "investment", value), d(want), "{value}");
        }
        // 服务企业数 and 算力规模 (PFLOPS, with decimals).
        assert_eq!(points(&g, c1, "enterprises_served", "9"), d("3"));
        assert_eq!(points(&g, c1, "enterprises_served", "10"), d("6"));
        assert_eq!(points(&g, c1, "enterprises_served", "100"), d("15"));
        assert_eq!(points(&g, c1, "compute_scale", "49.999"), d("4"));
        assert_eq!(points(&g, c1, "compute_scale", "50"), d("8"));
        assert_eq!(points(&g, c1, "compute_scale", "500"), d("20"));
    }

    #[test]
    fn below_the_first_band_scores_nothing() {
        let bands = [
            Band {
                at_least: d("10"),
                below: Some(d("20")),
                points: d("5"),
            },
            Band {
                at_least: d("20"),
                below: None,
                points: d("10"),
            },
        ];
        let rule = ScoringRule::Bands(&bands);
        assert_eq!(score_factor(&rule, d("9.99")), Decimal::ZERO);
        assert_eq!(score_factor(&rule, d("10")), d("5"));
        assert_eq!(score_factor(&rule, d("19.99")), d("5"));
        assert_eq!(score_factor(&rule, d("20")), d("10"));
        assert_eq!(score_factor(&rule, d("-1")), Decimal::ZERO);
        assert_eq!(
            score_factor(&ScoringRule::Bands(&[]), d("5")),
            Decimal::ZERO
        );
    }

    #[test]
    fn linear_is_exact_between_floor_and_full() {
        let g = guide();
        let c1 = Clause::C1;
        // 新增就业: 0 → 0, 50 → 15 (the weight).
        assert_eq!(points(&g, c1, "jobs", "0"), d("0"));
        assert_eq!(points(&g, c1, "jobs", "25"), d("7.5"));
        assert_eq!(points(&g, c1, "jobs", "7"), d("2.1"));
        assert_eq!(points(&g, c1, "jobs", "50"), d("15"));
        assert_eq!(points(&g, c1, "jobs", "51"), d("15"));
        // 项目营业收入: 0 → 0, 5000万 → 20; 3200.5万 → 12.802.
        assert_eq!(points(&g, c1, "revenue", "32005000.00"), d("12.802"));
        let rule = ScoringRule::Linear {
            floor: d("10"),
            full: d("40"),
            max_points: d("15"),
        };
        assert_eq!(score_factor(&rule, d("10")), Decimal::ZERO);
        assert_eq!(score_factor(&rule, d("5")), Decimal::ZERO);
        assert_eq!(score_factor(&rule, d("20")), d("5"));
        assert_eq!(score_factor(&rule, d("40")), d("15"));
        // A third is not exact in decimal: kept to 28 digits, rounded later.
        let third = ScoringRule::Linear {
            floor: d("0"),
            full: d("3"),
            max_points: d("20"),
        };
        let p = score_factor(&third, d("1"));
        assert_eq!(p.round_dp(2), d("6.67"));
        // Huge edges do not overflow.
        let huge = ScoringRule::Linear {
            floor: Decimal::ZERO,
            full: Decimal::MAX,
            max_points: d("100"),
        };
        assert_eq!(
            score_factor(&huge, Decimal::MAX / d("2")).round_dp(6),
            d("50")
        );
    }

    #[test]
    fn tier_edges() {
        let g = guide();
        let tiers = match &g.clauses[&Clause::C1].award {
            crate::guide::Award::Tiers { tiers, .. } => tiers.clone(),
            other => panic!("C1 award {other:?}"),
        };
        for (score, want) in [
            ("100", Some("1")),
            ("90", Some("1")),
            ("89.99", Some("0.8")),
            ("80", Some("0.8")),
            ("79.99", Some("0.6")),
            ("70", Some("0.6")),
            ("69.99", Some("0.4")),
            ("60", Some("0.4")),
            ("59.99", None),
            ("0", None),
        ] {
            assert_eq!(tier_share(&tiers, d(score)), want.map(d), "score {score}");
        }
        assert_eq!(tier_share(&[], d("100")), None);
    }
}
