//! One applicant's evaluation: eligibility rule by rule, factor scores,
//! awards under caps and limits, 就高不重复 inside the policy and against other
//! Yuzhong support, final rounding — each project's result carrying the
//! explanation lines the CLI, the app and the letters all render.
//!
//! Pure: inputs in, [`Evaluation`] out. The store and the round service
//! (`rules::round`) feed it and keep what it returns.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::guide::{
    Award, Clause, Condition, Factor, Guide, ListName, OtherSupport, PanelMethod, WithinPolicy,
};
use crate::scoring::{score_factor, tier_share};
use reviewdesk_domain::money::format_yuan;
use reviewdesk_intake::extract::{Extraction, Project, Value};
use reviewdesk_intake::normalize::fold_width;

/// A reviewer's certified value (核定值) for one field of one project (or of
/// the applicant when `project` is None).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Certified {
    pub clause: Option<Clause>,
    pub project: Option<String>,
    pub field: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub reason: String,
    pub by: String,
}

/// One reviewer's points for one panel factor of one project.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PanelScore {
    pub clause: Clause,
    pub project: String,
    pub factor: String,
    pub reviewer: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub points: Decimal,
}

/// A reviewer's written overrule of one eligibility rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Overrule {
    pub clause: Clause,
    pub project: String,
    pub rule: String,
    pub reason: String,
    pub by: String,
}

/// Everything one evaluation reads.
pub struct Inputs<'a> {
    pub guide: &'a Guide,
    pub guide_hash: &'a str,
    pub extraction: &'a Extraction,
    pub certified: &'a [Certified],
    pub panel: &'a [PanelScore],
    pub overrules: &'a [Overrule],
    /// Project names (folded) supported under C1 in earlier rounds.
    pub earlier_c1: &'a [String],
}

/// One eligibility rule's outcome. `rule` and `reason` are Chinese;
/// `rule_en` and `reason_en` say the same in English (values quoted from the
/// workbook or the guide stay as written).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCheck {
    /// Stable id, used to overrule it (e.g. "district", "C1.conditions[0]").
    pub id: String,
    pub rule: String,
    #[serde(default)]
    pub rule_en: String,
    pub pass: bool,
    pub reason: String,
    #[serde(default)]
    pub reason_en: String,
    /// The written reason when a reviewer overruled a failed rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overruled: Option<String>,
}

/// One explanation line: a label and a value as shown, in Chinese
/// (`label`, `value`) and English (`label_en`, `value_en`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default)]
    pub value_en: String,
}

/// A line whose value reads the same in both languages (a figure).
fn line(label: impl Into<String>, label_en: impl Into<String>, value: impl Into<String>) -> Line {
    let value = value.into();
    Line {
        label: label.into(),
        label_en: label_en.into(),
        value_en: value.clone(),
        value,
    }
}

/// A line with a value in each language.
fn line2(
    label: impl Into<String>,
    label_en: impl Into<String>,
    value: impl Into<String>,
    value_en: impl Into<String>,
) -> Line {
    Line {
        label: label.into(),
        value: value.into(),
        label_en: label_en.into(),
        value_en: value_en.into(),
    }
}

/// An amount in yuan as shown: ("1,000.00 元", "1,000.00 yuan").
fn yuan2(d: Decimal) -> (String, String) {
    let f = format_yuan(d);
    (format!("{f} 元"), format!("{f} yuan"))
}

/// The English name of a workbook field (the schema's), else the key itself.
pub fn field_en(clause: Option<Clause>, key: &str) -> String {
    crate::guide::find_field(clause, key)
        .map(|(_, def)| def.en.to_string())
        .unwrap_or_else(|| key.to_string())
}

/// One reviewer's total over a project's factors (the automatic factors'
/// points plus this reviewer's panel points), for the disagreement check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerTotal {
    pub reviewer: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

/// One factor's scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorScore {
    pub id: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    /// The value used (certified if any), as shown; None for panel factors.
    pub value: Option<String>,
    pub source_cell: Option<String>,
    pub certified: bool,
    /// Points after score rounding; None while a panel score is missing.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub points: Option<Decimal>,
    /// Panel scores that went into the points, and whether they disagree:
    /// the reviewers' points on this factor differ by more than the guide's
    /// `panel.disagreement_threshold` (points, as for the totals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub panel: Vec<String>,
    #[serde(default)]
    pub disagreement: bool,
    /// The factor's name in English (the guide's `name_en`, else `name`).
    #[serde(default)]
    pub name_en: String,
}

/// One project under one clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectResult {
    pub clause: Clause,
    pub name: String,
    pub eligible: bool,
    pub eligibility: Vec<RuleCheck>,
    pub factors: Vec<FactorScore>,
    /// Total score (rounded per the guide) for scored clauses.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub score: Option<Decimal>,
    /// This clause's award before 就高不重复 and other support (after caps,
    /// limits); None while a needed panel score is missing.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub computed_yuan: Option<Decimal>,
    /// Final award (0 when ineligible or superseded); None while pending.
    #[serde(with = "crate::evaluate::yuan_option")]
    pub award_yuan: Option<Decimal>,
    pub superseded_by: Option<Clause>,
    pub lines: Vec<Line>,
    /// Each reviewer's total (automatic points + their panel points), for
    /// reviewers who scored every panel factor of the project.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub panel_totals: Vec<ReviewerTotal>,
    /// The spread (highest − lowest) of `panel_totals` exceeds the guide's
    /// `panel.disagreement_threshold`: the reviewers should look again.
    #[serde(default)]
    pub disagreement: bool,
}

/// Something the reviewer should look at (possible double claim, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub message_en: String,
}

/// One applicant's evaluation in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub credit_code: Option<String>,
    pub round: i32,
    pub guide: String,
    pub projects: Vec<ProjectResult>,
    pub flags: Vec<Flag>,
    #[serde(with = "yuan_option")]
    pub total_yuan: Option<Decimal>,
}

/// Serialise `Option<Decimal>` yuan as "650000.00" (two decimals) or null.
pub mod yuan_option {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&reviewdesk_domain::money::format_yuan(*d)),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let o: Option<String> = Option::deserialize(d)?;
        match o {
            None => Ok(None),
            Some(s) => s
                .parse::<Decimal>()
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Fold a name for "the same project": trim and full-width folding.
pub fn same_key(name: &str) -> String {
    fold_width(name).trim().to_string()
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Money(d) | Value::Number(d) => d.normalize().to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Year(y) => y.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

fn number_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::Money(d) | Value::Number(d) => Some(*d),
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Year(y) => Some(Decimal::from(*y)),
        _ => None,
    }
}

/// A field's value for a project: the project's column first, then the
/// applicant form; with its source cell.
fn lookup<'a>(ex: &'a Extraction, p: &'a Project, field: &str) -> Option<(&'a Value, &'a str)> {
    p.field(field)
        .or_else(|| ex.field(field))
        .map(|f| (&f.value, f.cell.as_str()))
}

/// A numeric value: certified if any, else declared. Returns (value, cell, certified).
fn numeric(inp: &Inputs<'_>, p: &Project, field: &str) -> Option<(Decimal, Option<String>, bool)> {
    let key = same_key(&p.name);
    let cert = inp.certified.iter().rev().find(|c| {
        c.field == field
            && match (&c.clause, &c.project) {
                (Some(cl), Some(name)) => *cl == p.clause && same_key(name) == key,
                (None, None) => true,
                _ => false,
            }
    });
    let declared = lookup(inp.extraction, p, field);
    if let Some(c) = cert {
        return Some((c.value, declared.map(|d| d.1.to_string()), true));
    }
    declared.and_then(|(v, cell)| number_of(v).map(|n| (n, Some(cell.to_string()), false)))
}

fn show_value(field: &str, d: Decimal) -> (String, String) {
    let is_money = crate::guide::find_field(None, field)
        .map(|(_, def)| matches!(def.kind, reviewdesk_domain::schema::Kind::MoneyWan))
        .unwrap_or(false)
        || matches!(
            field,
            "项目总投资" | "项目营业收入" | "算力费用" | "资助到账金额" | "场景投资" | "支持金额"
        );
    if is_money {
        yuan2(d)
    } else {
        let s = d.normalize().to_string();
        (s.clone(), s)
    }
}

fn eligibility(inp: &Inputs<'_>, p: &Project) -> Vec<RuleCheck> {
    let g = inp.guide;
    let ex = inp.extraction;
    let mut out = Vec::new();
    let district = ex
        .value("注册区县")
        .map(text_of)
        .map(|s| same_key(&s))
        .unwrap_or_default();
    let want = &g.eligibility.registered_district;
    out.push(RuleCheck {
        id: "district".into(),
        rule: format!("注册地在{want}"),
        rule_en: format!("registered in {want}"),
        pass: district == *want,
        reason: if district.is_empty() {
            "未填写注册区县".into()
        } else {
            format!("注册区县为{district}")
        },
        reason_en: if district.is_empty() {
            "registered district not filled in".into()
        } else {
            format!("registered district: {district}")
        },
        overruled: None,
    });
    if ex.has_errors() {
        let n = ex.errors().count();
        out.push(RuleCheck {
            id: "workbook".into(),
            rule: "申报表无待补正错误".into(),
            rule_en: "the workbook has no errors awaiting correction".into(),
            pass: false,
            reason: format!("申报表有 {n} 处错误待补正"),
            reason_en: format!("the workbook has {n} errors awaiting correction"),
            overruled: None,
        });
    }
    for (i, c) in g.eligibility.conditions.iter().enumerate() {
        out.push(check(inp, p, c, format!("common[{i}]")));
    }
    if let Some(rules) = g.clauses.get(&p.clause) {
        let kind = ex.value("单位类型").map(text_of).unwrap_or_default();
        let types = &rules.eligibility.applicant_types;
        out.push(RuleCheck {
            id: "applicant_type".into(),
            rule: format!("单位类型为{}", types.join("、")),
            rule_en: format!("organisation type is one of {}", types.join(", ")),
            pass: types.contains(&kind),
            reason: if kind.is_empty() {
                "未填写单位类型".into()
            } else {
                format!("单位类型为{kind}")
            },
            reason_en: if kind.is_empty() {
                "organisation type not filled in".into()
            } else {
                format!("organisation type: {kind}")
            },
            overruled: None,
        });
        for f in &rules.eligibility.required_fields {
            let present = lookup(ex, p, f).is_some();
            let en = field_en(Some(p.clause), f);
            out.push(RuleCheck {
                id: format!("required.{f}"),
                rule: format!("已填写{f}"),
                rule_en: format!("{en} filled in"),
                pass: present,
                reason: if present {
                    "已填写".into()
                } else {
                    format!("未填写{f}")
                },
                reason_en: if present {
                    "filled in".into()
                } else {
                    format!("{en} not filled in")
                },
                overruled: None,
            });
        }
        for (i, c) in rules.eligibility.conditions.iter().enumerate() {
            out.push(check(
                inp,
                p,
                c,
                format!("{}.conditions[{i}]", p.clause.as_str()),
            ));
        }
    }
    for r in out.iter_mut() {
        if !r.pass {
            if let Some(o) = inp.overrules.iter().rev().find(|o| {
                o.clause == p.clause && same_key(&o.project) == same_key(&p.name) && o.rule == r.id
            }) {
                r.overruled = Some(format!("{}（{}）", o.reason, o.by));
            }
        }
    }
    out
}

fn check(inp: &Inputs<'_>, p: &Project, c: &Condition, id: String) -> RuleCheck {
    let ex = inp.extraction;
    let value = c.field().and_then(|f| lookup(ex, p, f)).map(|(v, _)| v);
    let shown = value.map(text_of).map(|s| same_key(&s));
    let field = c.field().unwrap_or_default().to_string();
    let fen = field_en(Some(p.clause), &field);
    let missing = || (format!("未填写{field}"), format!("{fen} not filled in"));
    let as_found = |s: String| (format!("{field}为{s}"), format!("{fen}: {s}"));
    let ((rule, rule_en), pass, (reason, reason_en)) = match c {
        Condition::Equals { value: want, .. } => (
            (format!("{field}为{want}"), format!("{fen} is {want}")),
            shown.as_deref() == Some(want.as_str()),
            shown.map(as_found).unwrap_or_else(missing),
        ),
        Condition::Contains { value: want, .. } => (
            (format!("{field}在{want}"), format!("{fen} in {want}")),
            shown.as_deref().is_some_and(|s| s.contains(want.as_str())),
            shown.map(as_found).unwrap_or_else(missing),
        ),
        Condition::OneOf { values, .. } => (
            (
                format!("{field}为{}", values.join("或")),
                format!("{fen} is {}", values.join(" or ")),
            ),
            shown
                .as_deref()
                .is_some_and(|s| values.iter().any(|v| v == s)),
            shown.map(as_found).unwrap_or_else(missing),
        ),
        Condition::InDataYear { .. } => {
            let y = inp.guide.round.data_year;
            let date = value.and_then(|v| match v {
                Value::Date(d) => Some(*d),
                _ => None,
            });
            (
                (format!("{field}在{y}年内"), format!("{fen} within {y}")),
                date.is_some_and(|d| chrono::Datelike::year(&d) == y),
                date.map(|d| {
                    (
                        format!("{field}为{}", d.format("%Y年%-m月%-d日")),
                        format!("{fen}: {}", d.format("%Y-%m-%d")),
                    )
                })
                .unwrap_or_else(missing),
            )
        }
        Condition::OnList { list, .. } => {
            let items: Vec<String> = match list {
                ListName::CertifiedPlatforms => inp.guide.certified_platforms.clone(),
                ListName::IndustryGroups => inp
                    .guide
                    .industry_groups
                    .iter()
                    .flat_map(|g| g.members.iter().cloned())
                    .collect(),
            };
            let (listname, listname_en) = match list {
                ListName::CertifiedPlatforms => (
                    "经认定的公共算力服务平台",
                    "the certified public compute platforms",
                ),
                ListName::IndustryGroups => (
                    "全区产业体系（“4311”）",
                    "the district's industry groups (\"4311\")",
                ),
            };
            let ok = shown
                .as_deref()
                .is_some_and(|s| items.iter().any(|i| same_key(i) == s));
            (
                (
                    format!("{field}属于{listname}"),
                    format!("{fen} among {listname_en}"),
                ),
                ok,
                match shown {
                    Some(s) if ok => (format!("{s}在清单内"), format!("{s} is on the list")),
                    Some(s) => (
                        format!("{s}不在清单内（清单：{}）", items.join("、")),
                        format!("{s} is not on the list (list: {})", items.join(", ")),
                    ),
                    None => missing(),
                },
            )
        }
        Condition::OneTime => {
            let seen = inp.earlier_c1.iter().any(|n| *n == same_key(&p.name));
            (
                (
                    "以前年度未获本条扶持（一次性）".into(),
                    "not supported under this clause in an earlier round (one-time)".into(),
                ),
                !seen,
                if seen {
                    (
                        "该项目已在以前年度获第一条扶持".into(),
                        "this project was supported under clause 1 in an earlier round".into(),
                    )
                } else {
                    (
                        "以前年度未获本条扶持".into(),
                        "not supported under this clause before".into(),
                    )
                },
            )
        }
    };
    RuleCheck {
        id,
        rule,
        rule_en,
        pass,
        reason,
        reason_en,
        overruled: None,
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

fn score_factors(inp: &Inputs<'_>, p: &Project, factors: &[Factor]) -> Vec<FactorScore> {
    let g = inp.guide;
    factors
        .iter()
        .map(|f| {
            if f.is_panel() {
                let scores: Vec<&PanelScore> = inp
                    .panel
                    .iter()
                    .filter(|s| {
                        s.clause == p.clause
                            && same_key(&s.project) == same_key(&p.name)
                            && s.factor == f.id
                    })
                    .collect();
                let pts: Vec<Decimal> = scores.iter().map(|s| s.points).collect();
                // The guide's threshold is in points, for the totals; a single
                // factor whose points differ by more than that is flagged too.
                let spread = match (pts.iter().max(), pts.iter().min()) {
                    (Some(hi), Some(lo)) => *hi - *lo,
                    _ => Decimal::ZERO,
                };
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
            } else {
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
        })
        .collect()
}

/// Evaluate every project of one applicant.
pub fn evaluate(inp: &Inputs<'_>) -> Evaluation {
    let g = inp.guide;
    let ex = inp.extraction;
    let mut results: Vec<ProjectResult> = ex
        .projects
        .iter()
        .map(|p| evaluate_project(inp, p))
        .collect();

    // 就高不重复 inside the policy: one project under several clauses keeps
    // only its highest award.
    if g.highest_only.within_policy == WithinPolicy::Highest {
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
                    && best.is_none_or(|(b, _)| upper_bound(inp, &ex.projects[i]) > b)
            });
            if undecided {
                for &i in idx {
                    results[i].award_yuan = None;
                    results[i].lines.push(line2(
                        "就高不重复",
                        "Highest only",
                        "同一项目另有条款待评分，评分后取最高一项",
                        "another clause of the same project awaits scoring; the highest is taken once scored",
                    ));
                }
                continue;
            }
            if let Some((best_amount, winner)) = best {
                let winner_clause = results[winner].clause;
                for &i in idx {
                    if i == winner {
                        let others: Vec<&str> = idx
                            .iter()
                            .filter(|&&j| j != i)
                            .map(|&j| results[j].clause.as_str())
                            .collect();
                        results[i].lines.push(line2(
                            "就高不重复",
                            "Highest only",
                            format!("同一项目亦申报{}，取最高的本项", others.join("、")),
                            format!(
                                "the same project also applied under {}; this, the highest, is taken",
                                others.join(", ")
                            ),
                        ));
                    } else {
                        results[i].superseded_by = Some(winner_clause);
                        results[i].award_yuan = Some(Decimal::ZERO);
                        results[i].lines.retain(|l| l.label != "扶持金额");
                        let (zh, en) = yuan2(best_amount);
                        results[i].lines.push(line2(
                            "就高不重复",
                            "Highest only",
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
        }
    }

    // Against other Yuzhong support declared in the workbook.
    for r in results.iter_mut() {
        let Some(award) = r.award_yuan else { continue };
        if r.superseded_by.is_some() || award.is_zero() {
            continue;
        }
        let key = same_key(&r.name);
        let other: Decimal = ex
            .other_support
            .iter()
            .filter(|s| same_key(&s.project_name) == key)
            .filter_map(|s| s.value("支持金额").and_then(number_of))
            .sum();
        if other.is_zero() {
            continue;
        }
        let names: Vec<String> = ex
            .other_support
            .iter()
            .filter(|s| same_key(&s.project_name) == key)
            .filter_map(|s| s.value("政策名称").map(text_of))
            .collect();
        let after = match g.highest_only.other_support {
            OtherSupport::TopUp => (award - other).max(Decimal::ZERO),
            OtherSupport::ZeroIfOtherHigher => {
                if other >= award {
                    Decimal::ZERO
                } else {
                    award
                }
            }
        };
        let (other_zh, other_en) = yuan2(other);
        r.lines.push(line2(
            format!("已获区内其他政策支持（{}）", names.join("、")),
            format!("Other Yuzhong support received ({})", names.join(", ")),
            other_zh,
            other_en,
        ));
        let (after_zh, after_en) = yuan2(after);
        let (label, label_en) = match g.highest_only.other_support {
            OtherSupport::TopUp => (
                "就高补差：本项 − 已获支持",
                "Top-up: this award − support received",
            ),
            OtherSupport::ZeroIfOtherHigher => (
                "就高：已获支持不低于本项则不再扶持",
                "Highest: nothing when the support received is at least this award",
            ),
        };
        r.lines.push(line2(label, label_en, after_zh, after_en));
        r.award_yuan = Some(after);
    }

    // Rounding, once, on the final award, with the guide's unit and mode.
    let (round_zh, round_en) = rounding_label(g);
    for r in results.iter_mut() {
        if let Some(a) = r.award_yuan {
            let rounded = g.rounding.apply(a);
            if rounded != a {
                let (zh, en) = yuan2(rounded);
                r.lines
                    .push(line2(round_zh.clone(), round_en.clone(), zh, en));
            }
            r.award_yuan = Some(rounded);
        }
        if let Some(a) = r.award_yuan {
            let (zh, en) = yuan2(a);
            r.lines.push(line2("扶持金额", "Award", zh, en));
        }
    }

    let mut flags = flags(ex);
    for r in &results {
        if r.disagreement {
            flags.push(Flag {
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
            });
        }
    }
    let total = results
        .iter()
        .map(|r| r.award_yuan)
        .try_fold(Decimal::ZERO, |acc, a| a.map(|a| acc + a));
    Evaluation {
        credit_code: ex.credit_code.clone(),
        round: g.round.year,
        guide: inp.guide_hash.to_string(),
        projects: results,
        flags,
        total_yuan: total,
    }
}

/// The rounding line's label, naming the guide's unit and mode, e.g.
/// 取整（四舍五入到分） / Rounding (half up, to the fen).
fn rounding_label(g: &Guide) -> (String, String) {
    use reviewdesk_domain::money::RoundingMode;
    let (unit_zh, unit_en) = match g.rounding.dp() {
        0 => ("元", "yuan"),
        1 => ("角", "jiao"),
        _ => ("分", "fen"),
    };
    let (mode_zh, mode_en) = match g.rounding.mode {
        RoundingMode::HalfUp => ("四舍五入", "half up"),
        RoundingMode::HalfEven => ("四舍六入五成双", "half to even"),
        RoundingMode::Down => ("舍去", "rounded down"),
    };
    (
        format!("取整（{mode_zh}到{unit_zh}）"),
        format!("Rounding ({mode_en}, to the {unit_en})"),
    )
}

/// The most a pending project could get under its clause (cap and limits).
fn upper_bound(inp: &Inputs<'_>, p: &Project) -> Decimal {
    let Some(rules) = inp.guide.clauses.get(&p.clause) else {
        return Decimal::ZERO;
    };
    let mut ub = rules.award.cap();
    for l in rules.award.limits() {
        if let Some((v, _, _)) = numeric(inp, p, &l.field) {
            ub = ub.min(v * l.share);
        }
    }
    ub
}

/// A shown factor value in English ("1,000.00 元" → "1,000.00 yuan").
fn shown_en(v: &str) -> String {
    match v.strip_suffix(" 元") {
        Some(n) => format!("{n} yuan"),
        None if v == "未填写" => "not filled in".into(),
        None => v.to_string(),
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

fn evaluate_project(inp: &Inputs<'_>, p: &Project) -> ProjectResult {
    let g = inp.guide;
    let checks = eligibility(inp, p);
    let eligible = checks.iter().all(|c| c.pass || c.overruled.is_some());
    let mut r = ProjectResult {
        clause: p.clause,
        name: p.name.clone(),
        eligible,
        eligibility: checks,
        factors: vec![],
        score: None,
        computed_yuan: None,
        award_yuan: Some(Decimal::ZERO),
        superseded_by: None,
        lines: vec![],
        panel_totals: vec![],
        disagreement: false,
    };
    let Some(rules) = g.clauses.get(&p.clause) else {
        r.eligible = false;
        r.lines.push(line2(
            "本年度指南未设此条款",
            "This year's guide has no such clause",
            "不予扶持",
            "not supported",
        ));
        return r;
    };
    if !eligible {
        let failed = |en: bool| -> Vec<String> {
            r.eligibility
                .iter()
                .filter(|c| !c.pass && c.overruled.is_none())
                .map(|c| {
                    if en {
                        format!("{} ({})", c.rule_en, c.reason_en)
                    } else {
                        format!("{}（{}）", c.rule, c.reason)
                    }
                })
                .collect()
        };
        let (zh, en) = (failed(false).join("；"), failed(true).join("; "));
        r.lines
            .push(line2("资格审查未通过", "Eligibility not met", zh, en));
        return r;
    }
    r.factors = score_factors(inp, p, &rules.factors);
    r.panel_totals = reviewer_totals(inp, p, &r.factors);
    let threshold = g.panel.disagreement_threshold;
    let spread = match (
        r.panel_totals.iter().map(|t| t.total).max(),
        r.panel_totals.iter().map(|t| t.total).min(),
    ) {
        (Some(hi), Some(lo)) => hi - lo,
        _ => Decimal::ZERO,
    };
    r.disagreement = spread > threshold;
    for f in &r.factors {
        let w = f.weight.normalize();
        let mut label = format!("{}（权重 {w}）", f.name);
        let mut label_en = format!("{} (weight {w})", f.name_en);
        if f.certified {
            label.push_str("［核定值］");
            label_en.push_str(" [certified]");
        }
        let (value, value_en) = match (&f.value, f.points) {
            (Some(v), Some(pts)) => (
                format!("{v} → {} 分", pts.normalize()),
                format!("{} → {} points", shown_en(v), pts.normalize()),
            ),
            (None, Some(pts)) => (
                format!("专家评分 {} 分", pts.normalize()),
                format!("panel score {} points", pts.normalize()),
            ),
            (_, None) => ("待专家评分".into(), "awaiting panel scores".into()),
        };
        r.lines.push(line2(label, label_en, value, value_en));
        if f.disagreement {
            r.lines.push(line2(
                format!("专家分歧：{}", f.name),
                format!("Reviewers disagree: {}", f.name_en),
                format!(
                    "各专家分差超过 {} 分（{}），请复核",
                    threshold.normalize(),
                    f.panel.join("，")
                ),
                format!(
                    "the reviewers' points differ by more than {} ({}); please look again",
                    threshold.normalize(),
                    f.panel.join(", ")
                ),
            ));
        }
    }
    if r.disagreement {
        let each: Vec<String> = r
            .panel_totals
            .iter()
            .map(|t| format!("{} {}", t.reviewer, t.total.normalize()))
            .collect();
        r.lines.push(line2(
            "专家总分分歧",
            "Reviewers' totals disagree",
            format!(
                "总分相差 {} 分，超过 {} 分（{}），请复核",
                spread.normalize(),
                threshold.normalize(),
                each.join("，")
            ),
            format!(
                "totals differ by {} points, more than {} ({}); please look again",
                spread.normalize(),
                threshold.normalize(),
                each.join(", ")
            ),
        ));
    }
    let score = if rules.award.is_scored() {
        let pts: Option<Vec<Decimal>> = r.factors.iter().map(|f| f.points).collect();
        pts.map(|v| g.score_rounding.apply(v.into_iter().sum()))
    } else {
        None
    };
    r.score = score;
    let pass_mark_lines = |pm: Decimal| {
        line2(
            "未达及格线",
            "Below the pass mark",
            format!("低于 {} 分，不予扶持", pm.normalize()),
            format!("below {} points: not supported", pm.normalize()),
        )
    };
    let score_line = |s: Decimal| {
        line2(
            "综合评分",
            "Total score",
            format!("{} 分", s.normalize()),
            format!("{} points", s.normalize()),
        )
    };
    let base_amount = match &rules.award {
        Award::Rate { rate, base, .. } => {
            let base_en = field_en(Some(p.clause), base);
            match numeric(inp, p, base) {
                Some((v, _, cert)) => {
                    r.lines.push(if cert {
                        line(
                            format!("{base}［核定值］"),
                            format!("{base_en} [certified]"),
                            format_yuan(v),
                        )
                    } else {
                        line(base.clone(), base_en, format_yuan(v))
                    });
                    let a = v * *rate;
                    let pct = format!("× {}%", (*rate * Decimal::ONE_HUNDRED).normalize());
                    r.lines.push(line(pct.clone(), pct, format_yuan(a)));
                    Some(a)
                }
                None => {
                    r.lines
                        .push(line2(base.clone(), base_en, "未填写", "not filled in"));
                    Some(Decimal::ZERO)
                }
            }
        }
        Award::Tiers { cap, tiers, .. } => match score {
            None => None,
            Some(s) => {
                r.lines.push(score_line(s));
                match tier_share(tiers, s) {
                    Some(share) => {
                        let a = *cap * share;
                        let pct = (share * Decimal::ONE_HUNDRED).normalize();
                        r.lines.push(line(
                            format!("档次：上限 {} 元 × {pct}%", format_yuan(*cap)),
                            format!("Tier: cap {} yuan × {pct}%", format_yuan(*cap)),
                            format_yuan(a),
                        ));
                        Some(a)
                    }
                    None => {
                        r.lines
                            .push(pass_mark_lines(rules.award.pass_mark().unwrap_or_default()));
                        Some(Decimal::ZERO)
                    }
                }
            }
        },
        Award::Proportional { cap, pass_mark, .. } => match score {
            None => None,
            Some(s) => {
                r.lines.push(score_line(s));
                if s >= *pass_mark {
                    let a = *cap * s / Decimal::ONE_HUNDRED;
                    r.lines.push(line(
                        format!("上限 {} 元 × {} / 100", format_yuan(*cap), s.normalize()),
                        format!("Cap {} yuan × {} / 100", format_yuan(*cap), s.normalize()),
                        format_yuan(a),
                    ));
                    Some(a)
                } else {
                    r.lines.push(pass_mark_lines(*pass_mark));
                    Some(Decimal::ZERO)
                }
            }
        },
    };
    let Some(mut amount) = base_amount else {
        r.award_yuan = None;
        r.lines.push(line2(
            "扶持金额",
            "Award",
            "待专家评分后计算",
            "computed once the panel has scored",
        ));
        return r;
    };
    let cap = rules.award.cap();
    if amount > cap {
        amount = cap;
        r.lines.push(line(
            format!("不超过上限 {} 元", format_yuan(cap)),
            format!("Capped at {} yuan", format_yuan(cap)),
            format_yuan(amount),
        ));
    }
    for l in rules.award.limits() {
        if let Some((v, _, cert)) = numeric(inp, p, &l.field) {
            let limit = v * l.share;
            if amount > limit {
                amount = limit;
                let pct = (l.share * Decimal::ONE_HUNDRED).normalize();
                r.lines.push(line(
                    format!(
                        "不超过{}{}的 {pct}%",
                        l.field,
                        if cert { "［核定值］" } else { "" },
                    ),
                    format!(
                        "At most {pct}% of {}{}",
                        field_en(Some(p.clause), &l.field),
                        if cert { " [certified]" } else { "" },
                    ),
                    format_yuan(amount),
                ));
            }
        }
    }
    r.computed_yuan = Some(amount);
    r.award_yuan = Some(amount);
    r
}

fn flags(ex: &Extraction) -> Vec<Flag> {
    let mut out = Vec::new();
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
