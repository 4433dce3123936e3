//! Across an applicant's projects: 就高不重复 inside the policy (one project
//! under several clauses keeps its highest award), against other Yuzhong
//! support declared in the workbook, the final rounding, and the flags.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use reviewdesk_intake::extract::{Extraction, SupportRow};

use super::awards::upper_bound;
use reviewdesk_domain::money::{round_yuan, RoundingMode};

use super::lines::{
    amount_line, highest_only_line, line2, rounding_at_limit_label, rounding_label, yuan2,
};
use super::values::{number_of, same_key, text_of};
use super::{Flag, Guide, Inputs, Line, OtherSupport, ProjectResult};

/// 就高不重复 inside the policy: of the eligible projects with the same
/// name, only the highest computed award stands; while one of them awaits
/// scoring and could still be higher, none is decided.
pub(super) fn highest_only(inp: &Inputs<'_>, results: &mut [ProjectResult]) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if r.eligible {
            groups.entry(same_key(&r.name)).or_default().push(i);
        }
    }
    for idx in groups.values().filter(|v| v.len() > 1) {
        // Best computed amount; a pending project whose cap cannot beat it
        // is superseded already.
        let best = idx
            .iter()
            .filter_map(|&i| results[i].computed_yuan.map(|a| (a, i)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let undecided = idx.iter().any(|&i| {
            results[i].computed_yuan.is_none()
                && best.is_none_or(|(b, _)| upper_bound(inp, &inp.extraction.projects[i]) > b)
        });
        if undecided {
            for &i in idx {
                results[i].award_yuan = None;
                results[i].lines.push(highest_only_line(
                    "同一项目另有条款待评分，评分后取最高一项",
                    "another clause of the same project awaits scoring; the highest is taken once scored",
                ));
            }
            continue;
        }
        if let Some((best_amount, winner)) = best {
            supersede(results, idx, best_amount, winner);
        }
    }
}

/// The winner of a group keeps its award; every other project of the group
/// is superseded by the winner's clause and gets nothing.
fn supersede(results: &mut [ProjectResult], idx: &[usize], best_amount: Decimal, winner: usize) {
    let winner_clause = results[winner].clause;
    for &i in idx {
        if i == winner {
            let others: Vec<&str> = idx
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| results[j].clause.as_str())
                .collect();
            let line = highest_only_line(
                format!("同一项目亦申报{}，取最高的本项", others.join("、")),
                format!(
                    "the same project also applied under {}; this, the highest, is taken",
                    others.join(", ")
                ),
            );
            results[i].lines.push(line);
        } else {
            let r = &mut results[i];
            r.superseded_by = Some(winner_clause);
            r.award_yuan = Some(Decimal::ZERO);
            r.lines.retain(|l| l.label != "扶持金额");
            let (zh, en) = yuan2(best_amount);
            r.lines.push(highest_only_line(
                format!(
                    "同一项目按{}可获 {zh}（更高），本项不重复扶持",
                    winner_clause.as_str(),
                ),
                format!(
                    "under {} the same project gets {en} (higher); no second award here",
                    winner_clause.as_str(),
                ),
            ));
        }
    }
}

/// The 年度 of a row of other support, when readable.
fn support_year(s: &SupportRow) -> Option<i32> {
    s.value("年度").and_then(|v| v.as_year())
}

/// The rows of other support of the years the guide does not count, as
/// one explanation line: each row's policy, year and amount.
fn not_counted_line(g: &Guide, rows: &[&SupportRow]) -> Line {
    let years: Vec<String> = g
        .round
        .counted_support_years
        .iter()
        .map(i32::to_string)
        .collect();
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for s in rows {
        let policy = s.value("政策名称").map(text_of).unwrap_or_default();
        let (amount_zh, amount_en) = s
            .value("支持金额")
            .and_then(number_of)
            .map(yuan2)
            .unwrap_or_default();
        match support_year(s) {
            Some(y) => {
                zh.push(format!("{policy}（{y}年度，{amount_zh}）"));
                en.push(format!("{policy} ({y}, {amount_en})"));
            }
            None => {
                zh.push(format!("{policy}（未填年度，{amount_zh}）"));
                en.push(format!("{policy} (no year, {amount_en})"));
            }
        }
    }
    line2(
        format!("未计入的其他政策支持（只计 {} 年度）", years.join("、")),
        format!(
            "Other support not counted (only the years {} count)",
            years.join(", ")
        ),
        zh.join("；"),
        en.join("; "),
    )
}

/// Against other Yuzhong support declared for the same project (the same
/// name after folding) in the years the guide counts: top up to the award,
/// or nothing when the support is at least the award. Rows of other years
/// are listed as not counted.
pub(super) fn other_support(g: &Guide, ex: &Extraction, results: &mut [ProjectResult]) {
    for r in results.iter_mut() {
        let Some(award) = r.award_yuan else { continue };
        if r.superseded_by.is_some() || award.is_zero() {
            continue;
        }
        let key = same_key(&r.name);
        let (counted, not_counted): (Vec<&SupportRow>, Vec<&SupportRow>) = ex
            .other_support
            .iter()
            .filter(|s| same_key(&s.project_name) == key)
            .partition(|s| {
                support_year(s).is_some_and(|y| g.round.counted_support_years.contains(&y))
            });
        if !not_counted.is_empty() {
            r.lines.push(not_counted_line(g, &not_counted));
        }
        let other: Decimal = counted
            .iter()
            .filter_map(|s| s.value("支持金额").and_then(number_of))
            .sum();
        if other.is_zero() {
            continue;
        }
        let names: Vec<String> = counted
            .iter()
            .filter_map(|s| s.value("政策名称").map(text_of))
            .collect();
        let (after, label, label_en) = match g.highest_only.other_support {
            OtherSupport::TopUp => (
                (award - other).max(Decimal::ZERO),
                "就高补差：本项 − 已获支持",
                "Top-up: this award − support received",
            ),
            OtherSupport::ZeroIfOtherHigher => (
                if other >= award { Decimal::ZERO } else { award },
                "就高：已获支持不低于本项则不再扶持",
                "Highest: nothing when the support received is at least this award",
            ),
        };
        let (other_zh, other_en) = yuan2(other);
        r.lines.push(line2(
            format!("已获区内其他政策支持（{}）", names.join("、")),
            format!("Other Yuzhong support received ({})", names.join(", ")),
            other_zh,
            other_en,
        ));
        let (after_zh, after_en) = yuan2(after);
        r.lines.push(line2(label, label_en, after_zh, after_en));
        r.award_yuan = Some(after);
    }
}

/// Rounding, once, on the final award, with the guide's unit and mode;
/// where the project's cap or a limit bound (its computed award is the
/// lowest of them), rounded down instead whenever the guide's mode would go
/// up, so the award paid never exceeds the cap or limit (a limit of
/// 999,999.999 pays 999,999.99, not 1,000,000.00). The award line follows
/// once the applicant cap has been applied (`cap.rs`).
pub(super) fn round_awards(inp: &Inputs<'_>, results: &mut [ProjectResult]) {
    let g = inp.guide;
    for (r, p) in results.iter_mut().zip(&inp.extraction.projects) {
        let Some(a) = r.award_yuan else { continue };
        let bound = r
            .computed_yuan
            .is_some_and(|c| c > Decimal::ZERO && c >= upper_bound(inp, p));
        let mut rounded = g.rounding.apply(a);
        let (mut label, mut label_en) = rounding_label(g);
        if bound && rounded > a {
            rounded = round_yuan(a, g.rounding.dp(), RoundingMode::Down);
            (label, label_en) = rounding_at_limit_label(g);
        }
        if rounded != a {
            r.lines.push(amount_line(label, label_en, rounded));
        }
        r.award_yuan = Some(rounded);
    }
}

/// The reviewers' totals of a project disagree.
pub(super) fn disagreement_flag(g: &Guide, r: &ProjectResult) -> Flag {
    Flag {
        code: "panel_disagreement".into(),
        message: format!(
            "{} 项目「{}」各专家总分相差超过 {} 分，请复核",
            r.clause.as_str(),
            r.name,
            g.panel.disagreement_threshold.normalize()
        ),
        message_en: format!(
            "{} project '{}': the reviewers' totals differ by more than {} points; please look again",
            r.clause.as_str(),
            r.name,
            g.panel.disagreement_threshold.normalize()
        ),
    }
}

/// Projects that cite the same document number: a possible split or double
/// claim.
pub(super) fn flags(inp: &Inputs<'_>) -> Vec<Flag> {
    let ex = inp.extraction;
    let mut out = undeclared_support(inp);
    let mut seen: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in &ex.projects {
        for key in ["立项文号", "认定文号"] {
            if let Some(v) = p.value(key) {
                let t = same_key(&text_of(v));
                if !t.is_empty() {
                    seen.entry(t).or_default().push(&p.name);
                }
            }
        }
    }
    out.extend(near_matches(ex));
    for (doc, names) in seen {
        let mut distinct = names.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > 1 {
            out.push(Flag {
                code: "same_document_number".into(),
                message: format!(
                    "{} 个项目引用同一文号 {doc}（{}），可能拆分或重复申报，请核实",
                    distinct.len(),
                    distinct.join("、")
                ),
                message_en: format!(
                    "{} projects cite the same document number {doc} ({}): a possible split or double claim; please check",
                    distinct.len(),
                    distinct.join(", ")
                ),
            });
        }
    }
    out
}

/// Support the round's imported ledgers of other policies record for this
/// credit code and one of its projects that the workbook's other support
/// does not declare (same project, policy and year, names folded): one flag
/// per ledger row, naming the policy, the year and the amount.
fn undeclared_support(inp: &Inputs<'_>) -> Vec<Flag> {
    let ex = inp.extraction;
    let (Some(list), Some(code)) = (&inp.lists.other_policy, &ex.credit_code) else {
        return Vec::new();
    };
    let projects: Vec<String> = ex.projects.iter().map(|p| same_key(&p.name)).collect();
    // declared: a row of the same project and policy, of the same year
    // (or of no readable year)
    let declared = |project: &str, policy: &str, year: i32| {
        ex.other_support.iter().any(|s| {
            same_key(&s.project_name) == project
                && s.value("政策名称")
                    .is_some_and(|v| same_key(&text_of(v)) == policy)
                && support_year(s).is_none_or(|y| y == year)
        })
    };
    let named = list.named();
    list.entries
        .iter()
        .filter(|e| same_key(&e.credit_code) == same_key(code))
        .filter(|e| projects.contains(&same_key(&e.project)))
        .filter(|e| !declared(&same_key(&e.project), &same_key(&e.policy), e.year))
        .map(|e| {
            let (zh, en) = yuan2(e.amount_wan * Decimal::from(10_000));
            Flag {
                code: "undeclared_other_support".into(),
                message: format!(
                    "其他政策台账（{named}）第 {} 行：项目「{}」于{}年度获{}支持 {zh}，申报表未申报，请核实是否重复享受",
                    e.row, e.project, e.year, e.policy
                ),
                message_en: format!(
                    "another policy's ledger ({named}) row {}: project '{}' received {en} under {} in {}, not declared in the workbook; please check for double support",
                    e.row, e.project, e.policy, e.year
                ),
            }
        })
        .collect()
}

/// Edit distance (Levenshtein, by character) between two names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let swap = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = swap.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// At most this many characters apart (and at most a third of the longer
/// name) is a near match.
const NEAR_MATCH_EDITS: usize = 2;

/// Rows of other support whose project name is not one of the applicant's
/// projects after folding but within a small edit distance of one: not
/// deducted (only the same project is), flagged for the reviewer to check
/// whether it is the same project written differently.
fn near_matches(ex: &Extraction) -> Vec<Flag> {
    let mut projects: Vec<String> = ex.projects.iter().map(|p| same_key(&p.name)).collect();
    projects.sort_unstable();
    projects.dedup();
    let mut out = Vec::new();
    for s in &ex.other_support {
        let name = same_key(&s.project_name);
        if name.is_empty() || projects.contains(&name) {
            continue;
        }
        let near = projects.iter().find(|p| {
            let d = edit_distance(&name, p);
            let longer = name.chars().count().max(p.chars().count());
            d <= NEAR_MATCH_EDITS && d * 3 <= longer
        });
        if let Some(p) = near {
            out.push(Flag {
                code: "other_support_near_match".into(),
                message: format!(
                    "{}第 {} 行的项目「{name}」与申报项目「{p}」名称相近但不相同，未按同一项目扣减，请核实是否为同一项目",
                    s.sheet, s.row
                ),
                message_en: format!(
                    "{} row {}: project '{name}' is close to, but not the same as, the declared project '{p}'; it was not deducted as the same project; please check whether it is",
                    s.sheet, s.row
                ),
            });
        }
    }
    out
}
