//! Factor scores: a field factor by its rule on the value used (certified
//! if any), a panel factor by the reviewers' points aggregated as the guide
//! says (with enough reviewers, the highest and the lowest dropped: by the
//! reviewers' totals under `panel.trim = "per_total"`, factor by factor
//! under "per_factor"); each reviewer's total, and whether the reviewers
//! disagree.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use reviewdesk_intake::extract::Project;

use super::lines::{factor_lines, totals_disagree_line, trimmed_totals_line};
use super::values::{numeric, same_key, show_value};
use super::{
    Factor, FactorScore, Inputs, PanelMethod, PanelScore, PanelTrim, ProjectResult, ReviewerTotal,
};
use crate::scoring::score_factor;

/// Scores the clause's factors into `r`: the factor scores, the reviewers'
/// totals and disagreement, and a line for each factor.
pub(super) fn score_project(
    inp: &Inputs<'_>,
    p: &Project,
    factors: &[Factor],
    r: &mut ProjectResult,
) {
    r.factors = factors
        .iter()
        .map(|f| score_factor_of(inp, p, f, &[]))
        .collect();
    r.panel_totals = reviewer_totals(inp, p, &r.factors);
    // Trimming by totals needs the reviewers' totals, which do not depend
    // on the aggregated panel points: the panel factors are scored again
    // without the two reviewers dropped.
    let dropped = dropped_by_total(inp, &r.panel_totals);
    if !dropped.is_empty() {
        let names: Vec<&str> = dropped.iter().map(|t| t.reviewer.as_str()).collect();
        r.factors = factors
            .iter()
            .map(|f| score_factor_of(inp, p, f, &names))
            .collect();
    }
    let threshold = inp.guide.panel.disagreement_threshold;
    let spread = spread(r.panel_totals.iter().map(|t| t.total));
    r.disagreement = spread > threshold;
    for f in &r.factors {
        r.lines.extend(factor_lines(f, threshold));
    }
    if let [low, high] = dropped.as_slice() {
        let kept = r.panel_totals.len() - 2;
        r.lines.push(trimmed_totals_line(low, high, kept));
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

/// Under `panel.trim = "per_total"` (mean, enough reviewers): the reviewers
/// with the lowest and the highest totals, in that order (ties by name);
/// empty when nothing is dropped. Only reviewers who scored every panel
/// factor have a total, so only they count towards `drop_high_low_from`.
fn dropped_by_total(inp: &Inputs<'_>, totals: &[ReviewerTotal]) -> Vec<ReviewerTotal> {
    let panel = &inp.guide.panel;
    if panel.trim != PanelTrim::PerTotal
        || !drops(panel.method, panel.drop_high_low_from, totals.len())
    {
        return vec![];
    }
    let mut sorted = totals.to_vec();
    sorted.sort_by(|a, b| {
        a.total
            .cmp(&b.total)
            .then_with(|| a.reviewer.cmp(&b.reviewer))
    });
    match (sorted.first(), sorted.last()) {
        (Some(low), Some(high)) => vec![low.clone(), high.clone()],
        _ => vec![],
    }
}

/// Whether `n` scores are enough to drop the highest and the lowest.
fn drops(method: PanelMethod, drop_from: Option<u32>, n: usize) -> bool {
    method == PanelMethod::Mean && drop_from.is_some_and(|k| n as u32 >= k) && n >= 3
}

/// Highest − lowest; zero for none.
fn spread(xs: impl Iterator<Item = Decimal> + Clone) -> Decimal {
    match (xs.clone().max(), xs.min()) {
        (Some(hi), Some(lo)) => hi - lo,
        _ => Decimal::ZERO,
    }
}

/// The panel's points on one factor aggregated; with `drop_from` (given
/// only under `panel.trim = "per_factor"`) and at least that many points,
/// the highest and the lowest of these points are dropped first.
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
            if drops(method, drop_from, xs.len()) {
                xs.remove(0);
                xs.pop();
            }
            let n = Decimal::from(xs.len() as u64);
            Some(xs.iter().copied().sum::<Decimal>() / n)
        }
    }
}

/// One factor's score; `dropped`: reviewers left out of the panel's points
/// (trimmed by their totals).
fn score_factor_of(inp: &Inputs<'_>, p: &Project, f: &Factor, dropped: &[&str]) -> FactorScore {
    if f.is_panel() {
        return panel_factor(inp, p, f, dropped);
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

fn panel_factor(inp: &Inputs<'_>, p: &Project, f: &Factor, dropped: &[&str]) -> FactorScore {
    let g = inp.guide;
    let scores: Vec<&PanelScore> = inp
        .panel
        .iter()
        .filter(|s| {
            s.clause == p.clause && same_key(&s.project) == same_key(&p.name) && s.factor == f.id
        })
        .collect();
    // The guide's threshold is in points, for the totals; a single
    // factor whose points differ by more than that is flagged too.
    let spread = spread(scores.iter().map(|s| s.points));
    let kept: Vec<Decimal> = scores
        .iter()
        .filter(|s| !dropped.contains(&s.reviewer.as_str()))
        .map(|s| s.points)
        .collect();
    let drop_from = match g.panel.trim {
        PanelTrim::PerFactor => g.panel.drop_high_low_from,
        PanelTrim::PerTotal => None,
    };
    let agg = aggregate(g.panel.method, drop_from, kept);
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
