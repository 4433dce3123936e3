//! Factor scores: a field factor by its rule on the value used (certified
//! if any), a panel factor by the reviewers' points aggregated as the guide
//! says; each reviewer's total, and whether the reviewers disagree.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use reviewdesk_intake::extract::Project;

use super::lines::{factor_lines, totals_disagree_line};
use super::values::{numeric, same_key, show_value};
use super::{Factor, FactorScore, Inputs, PanelMethod, PanelScore, ProjectResult, ReviewerTotal};
use crate::scoring::score_factor;

/// Scores the clause's factors into `r`: the factor scores, the reviewers'
/// totals and disagreement, and a line for each factor.
pub(super) fn score_project(
    inp: &Inputs<'_>,
    p: &Project,
    factors: &[Factor],
    r: &mut ProjectResult,
) {
    r.factors = factors.iter().map(|f| score_factor_of(inp, p, f)).collect();
    r.panel_totals = reviewer_totals(inp, p, &r.factors);
    let threshold = inp.guide.panel.disagreement_threshold;
    let spread = spread(r.panel_totals.iter().map(|t| t.total));
    r.disagreement = spread > threshold;
    for f in &r.factors {
        r.lines.extend(factor_lines(f, threshold));
    }
    if r.disagreement {
        let each: Vec<String> = r
            .panel_totals
            .iter()
            .map(|t| format!("{} {}", t.reviewer, t.total.normalize()))
            .collect();
        r.lines.push(totals_disagree_line(spread, threshold, &each));
    }
}

/// Highest − lowest; zero for none.
fn spread(xs: impl Iterator<Item = Decimal> + Clone) -> Decimal {
    match (xs.clone().max(), xs.min()) {
        (Some(hi), Some(lo)) => hi - lo,
        _ => Decimal::ZERO,
    }
}

fn aggregate(method: PanelMethod, drop_from: Option<u32>, mut xs: Vec<Decimal>) -> Option<Decimal> {
    if xs.is_empty() {
        return None;
    }
    xs.sort();
    match method {
        PanelMethod::Median => {
            let n = xs.len();
            Some(if n % 2 == 1 {
                xs[n / 2]
            } else {
                (xs[n / 2 - 1] + xs[n / 2]) / Decimal::TWO
            })
        }
        PanelMethod::Mean => {
            if drop_from.is_some_and(|k| xs.len() as u32 >= k) && xs.len() >= 3 {
                xs.remove(0);
                xs.pop();
            }
            let n = Decimal::from(xs.len() as u64);
            Some(xs.iter().copied().sum::<Decimal>() / n)
        }
    }
}

fn score_factor_of(inp: &Inputs<'_>, p: &Project, f: &Factor) -> FactorScore {
    if f.is_panel() {
        return panel_factor(inp, p, f);
    }
    let g = inp.guide;
    let got = numeric(inp, p, &f.source);
    let points = match (f.rule(), &got) {
        (Some(rule), Some((v, _, _))) => score_factor(&rule, *v),
        _ => Decimal::ZERO,
    };
    FactorScore {
        id: f.id.clone(),
        name: f.name.clone(),
        name_en: f.name_en.clone().unwrap_or_else(|| f.name.clone()),
        weight: f.weight,
        value: Some(
            got.as_ref()
                .map(|(v, _, _)| show_value(&f.source, *v).0)
                .unwrap_or_else(|| "未填写".into()),
        ),
        source_cell: got.as_ref().and_then(|(_, c, _)| c.clone()),
        certified: got.as_ref().is_some_and(|(_, _, c)| *c),
        points: Some(g.score_rounding.apply(points)),
        panel: vec![],
        disagreement: false,
    }
}

fn panel_factor(inp: &Inputs<'_>, p: &Project, f: &Factor) -> FactorScore {
    let g = inp.guide;
    let scores: Vec<&PanelScore> = inp
        .panel
        .iter()
        .filter(|s| {
            s.clause == p.clause && same_key(&s.project) == same_key(&p.name) && s.factor == f.id
        })
        .collect();
    let pts: Vec<Decimal> = scores.iter().map(|s| s.points).collect();
    // The guide's threshold is in points, for the totals; a single
    // factor whose points differ by more than that is flagged too.
    let spread = spread(pts.iter().copied());
    let agg = aggregate(g.panel.method, g.panel.drop_high_low_from, pts);
    FactorScore {
        id: f.id.clone(),
        name: f.name.clone(),
        name_en: f.name_en.clone().unwrap_or_else(|| f.name.clone()),
        weight: f.weight,
        value: None,
        source_cell: None,
        certified: false,
        points: agg.map(|a| g.score_rounding.apply(a.min(f.weight))),
        panel: scores
            .iter()
            .map(|s| format!("{} {}", s.reviewer, s.points.normalize()))
            .collect(),
        disagreement: spread > g.panel.disagreement_threshold,
    }
}

/// Each reviewer's total for a project: the automatic factors' points plus
/// the reviewer's points on every panel factor (reviewers who left a panel
/// factor unscored are left out: a partial total would mislead).
fn reviewer_totals(inp: &Inputs<'_>, p: &Project, factors: &[FactorScore]) -> Vec<ReviewerTotal> {
    let auto: Decimal = factors
        .iter()
        .filter(|f| f.value.is_some())
        .filter_map(|f| f.points)
        .sum();
    let panel_ids: Vec<&str> = factors
        .iter()
        .filter(|f| f.value.is_none())
        .map(|f| f.id.as_str())
        .collect();
    if panel_ids.is_empty() {
        return vec![];
    }
    let key = same_key(&p.name);
    let mut by: BTreeMap<&str, BTreeMap<&str, Decimal>> = BTreeMap::new();
    for s in inp
        .panel
        .iter()
        .filter(|s| s.clause == p.clause && same_key(&s.project) == key)
    {
        if panel_ids.contains(&s.factor.as_str()) {
            by.entry(s.reviewer.as_str())
                .or_default()
                .insert(s.factor.as_str(), s.points);
        }
    }
    by.into_iter()
        .filter(|(_, pts)| pts.len() == panel_ids.len())
        .map(|(reviewer, pts)| ReviewerTotal {
            reviewer: reviewer.to_string(),
            total: auto + pts.values().copied().sum::<Decimal>(),
        })
        .collect()
}
