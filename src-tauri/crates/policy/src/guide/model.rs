//! The guide's types, mirroring the file key for key. Built only by
//! [`super::load_guide`]; their serde form (`Serialize` only: `guide show
//! --json`, the UI) writes every `Decimal` as a string and every date as
//! `YYYY-MM-DD`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use reviewdesk_domain::money::{round_yuan, RoundingMode};

use super::{Clause, PANEL};

/// One round's rules. Build it with [`load_guide`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guide {
    /// File format, always [`FORMAT`].
    pub format: i64,
    /// The guide's title, e.g. 2026年度…申报指南.
    pub title: String,
    /// Certified public compute platforms (clause 3), the bureau's list.
    pub certified_platforms: Vec<String>,
    pub round: Round,
    pub highest_only: HighestOnly,
    /// Rounding of the final award.
    pub rounding: Rounding,
    /// Rounding of factor points and panel scores before tiers apply.
    pub score_rounding: ScoreRounding,
    pub panel: Panel,
    /// Eligibility common to every clause.
    pub eligibility: CommonEligibility,
    /// The district's industry groups ("4311"), for clause 4's 所属领域.
    pub industry_groups: Vec<IndustryGroup>,
    /// The clauses open in this round.
    pub clauses: BTreeMap<Clause, ClauseRules>,
    /// The wording blocks of the letters that change by year.
    pub wording: Wording,
}

/// The round: its year, the year its figures describe, the window, money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    pub year: i32,
    /// Always `year - 1`: applicants report the previous year's figures.
    pub data_year: i32,
    #[serde(serialize_with = "ser::date")]
    pub window_open: NaiveDate,
    /// Inclusive.
    #[serde(serialize_with = "ser::date")]
    pub window_close: NaiveDate,
    /// Round budget in yuan; `None` = no budget.
    #[serde(
        serialize_with = "ser::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub budget: Option<Decimal>,
    pub budget_overrun: BudgetOverrun,
    /// Per-applicant cap in yuan; `None` = none.
    #[serde(
        serialize_with = "ser::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub applicant_cap: Option<Decimal>,
    /// The 年度 of 其他政策支持 rows that count for 就高不重复 (default: the
    /// data year and the round year); rows of other years are listed in the
    /// explanation as not counted.
    pub counted_support_years: Vec<i32>,
    /// The 公示 period in working days (default 5).
    pub notice_working_days: u32,
    /// 公示 comes before letters: a decision under notice, or with an open
    /// objection, has no letter issued (default false).
    pub notice_before_letters: bool,
    /// The 公示 list masks the middle of each credit code (default false).
    pub notice_mask_credit_code: bool,
}

/// What happens when approved awards exceed the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum BudgetOverrun {
    /// Tell the approver (default).
    #[default]
    Flag,
    /// Reduce every award in proportion, to the fen.
    ProRata,
}

/// 就高不重复.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HighestOnly {
    pub within_policy: WithinPolicy,
    pub other_support: OtherSupport,
}

/// Inside the policy: only the highest clause award counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WithinPolicy {
    Highest,
}

/// Against other Yuzhong support declared in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherSupport {
    /// 就高补差: award − other support, never below zero.
    TopUp,
    /// Nothing when the other support is higher or equal, else the full award.
    ZeroIfOtherHigher,
}

/// Rounding of the final award: a unit of 1, 0.1 or 0.01 yuan and a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rounding {
    #[serde(serialize_with = "ser::decimal")]
    pub unit: Decimal,
    pub mode: RoundingMode,
}

impl Rounding {
    /// Decimal places of the unit (0.01 → 2).
    pub fn dp(&self) -> u32 {
        self.unit.normalize().scale()
    }
    /// Rounds a final award.
    pub fn apply(&self, amount: Decimal) -> Decimal {
        round_yuan(amount, self.dp(), self.mode)
    }
}

/// Rounding of scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScoreRounding {
    pub dp: u32,
    pub mode: RoundingMode,
}

impl ScoreRounding {
    /// Rounds a score (a factor's points or an aggregated panel score).
    pub fn apply(&self, score: Decimal) -> Decimal {
        round_yuan(score, self.dp, self.mode)
    }
}

/// How the reviewers' scores are aggregated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Panel {
    pub method: PanelMethod,
    /// With this many scores or more, drop the highest and the lowest (mean
    /// only). `None` = never drop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop_high_low_from: Option<u32>,
    /// What "drop the highest and lowest" drops: the reviewers with the
    /// highest and the lowest totals (default), or the highest and lowest
    /// points of each factor.
    pub trim: PanelTrim,
    /// Fewer panel scores than this for a project: no proposal can be made.
    /// `None` = no minimum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_scores: Option<u32>,
    /// Spread of the reviewers' totals (max − min) above which the reviewer is
    /// asked to look again.
    #[serde(serialize_with = "ser::decimal")]
    pub disagreement_threshold: Decimal,
    /// Independent scoring: a reviewer does not see the others' points on a
    /// project until they have given their own (default false).
    pub independent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelMethod {
    Mean,
    Median,
}

/// What the panel's "drop the highest and the lowest" drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelTrim {
    /// The two reviewers with the highest and the lowest totals over the
    /// project's panel factors (default: what most bureaus do).
    #[default]
    PerTotal,
    /// The highest and the lowest points of each factor, reviewer by
    /// reviewer independently.
    PerFactor,
}

/// Eligibility common to every clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommonEligibility {
    /// 注册区县 must be this (渝中区).
    pub registered_district: String,
    /// Conditions on applicant fields (信用承诺 是, …).
    pub conditions: Vec<Condition>,
}

/// One eligibility condition, written `{ test = "…", … }` in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum Condition {
    /// The field equals `value` (after trimming and full-width folding).
    Equals { field: String, value: String },
    /// The field contains `value`.
    Contains { field: String, value: String },
    /// The field is one of `values`.
    OneOf { field: String, values: Vec<String> },
    /// The date field falls inside the round's data year.
    InDataYear { field: String },
    /// The date field falls inside the round's data year or before it.
    ByDataYear { field: String },
    /// The field is on one of the guide's lists.
    OnList { field: String, list: ListName },
    /// The project was not supported under this clause in an earlier round.
    OneTime,
}

impl Condition {
    /// The workbook field the condition reads, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Condition::Equals { field, .. }
            | Condition::Contains { field, .. }
            | Condition::OneOf { field, .. }
            | Condition::InDataYear { field }
            | Condition::ByDataYear { field }
            | Condition::OnList { field, .. } => Some(field),
            Condition::OneTime => None,
        }
    }
}

/// A list held in the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListName {
    /// [`Guide::certified_platforms`].
    CertifiedPlatforms,
    /// Every member of [`Guide::industry_groups`].
    IndustryGroups,
}

/// An industry group and the 所属领域 values it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndustryGroup {
    pub name: String,
    pub members: Vec<String>,
}

/// One clause's rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseRules {
    /// 第一条 …
    pub article: String,
    /// 算力供给 …
    pub name: String,
    pub eligibility: ClauseEligibility,
    /// Scoring factors, weights summing to 100; empty for a `rate` award.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<Factor>,
    pub award: Award,
    /// Clause 4 only (`clauses.C4.library_required`): only projects in the
    /// round's AI+ scenario library are eligible. The library is not yet
    /// kept by the workstation, so while this is true every C4 project fails
    /// the rule (a reviewer may overrule it with a reason).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub library_required: bool,
}

/// Who may apply under a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseEligibility {
    /// 单位类型 values allowed.
    pub applicant_types: Vec<String>,
    /// Conditions on the clause's project fields (or applicant fields).
    pub conditions: Vec<Condition>,
    /// Fields that must hold a value for a project to be eligible, beyond
    /// the workbook's own required columns (e.g. an optional column that a
    /// factor scores).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_fields: Vec<String>,
}

/// A scoring factor. `source` is a numeric workbook field (scored by
/// `linear` or `bands`) or [`PANEL`] (scored by reviewers, 0 to `weight`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Factor {
    pub id: String,
    pub name: String,
    /// The factor's name in English, for the English interface (optional;
    /// without it the English explanation shows the Chinese name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The most points the factor gives.
    #[serde(serialize_with = "ser::decimal")]
    pub weight: Decimal,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear: Option<Linear>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<Band>>,
}

impl Factor {
    /// True when the reviewers score this factor.
    pub fn is_panel(&self) -> bool {
        self.source == PANEL
    }
    /// How a field factor is scored; `None` for a panel factor.
    pub fn rule(&self) -> Option<ScoringRule<'_>> {
        if self.is_panel() {
            return None;
        }
        match (&self.linear, &self.bands) {
            (Some(l), None) => Some(ScoringRule::Linear {
                floor: l.floor,
                full: l.full,
                max_points: self.weight,
            }),
            (None, Some(b)) => Some(ScoringRule::Bands(b)),
            _ => None,
        }
    }
}

/// 0 points at or below `floor`, all the weight at or above `full`,
/// in proportion between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linear {
    #[serde(serialize_with = "ser::decimal")]
    pub floor: Decimal,
    #[serde(serialize_with = "ser::decimal")]
    pub full: Decimal,
}

/// A value `v` with `at_least <= v < below` earns `points`; no `below` = no
/// upper limit (last band only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    #[serde(serialize_with = "ser::decimal")]
    pub at_least: Decimal,
    #[serde(
        serialize_with = "ser::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub below: Option<Decimal>,
    #[serde(serialize_with = "ser::decimal")]
    pub points: Decimal,
}

/// A field factor's scoring rule, as the scoring functions take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoringRule<'a> {
    Linear {
        floor: Decimal,
        full: Decimal,
        max_points: Decimal,
    },
    Bands(&'a [Band]),
}

/// The award rule of a clause, written with `method = "…"` in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Award {
    /// A share of the cap by score tier; tiers highest first, the lowest tier
    /// is the pass mark.
    Tiers {
        #[serde(serialize_with = "ser::decimal")]
        cap: Decimal,
        tiers: Vec<Tier>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        limits: Vec<Limit>,
    },
    /// cap × score / 100 when score ≥ pass_mark.
    Proportional {
        #[serde(serialize_with = "ser::decimal")]
        cap: Decimal,
        #[serde(serialize_with = "ser::decimal")]
        pass_mark: Decimal,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        limits: Vec<Limit>,
    },
    /// rate × the base field, capped; no scoring.
    Rate {
        #[serde(serialize_with = "ser::decimal")]
        rate: Decimal,
        base: String,
        #[serde(serialize_with = "ser::decimal")]
        cap: Decimal,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        limits: Vec<Limit>,
    },
}

impl Award {
    pub fn cap(&self) -> Decimal {
        match self {
            Award::Tiers { cap, .. }
            | Award::Proportional { cap, .. }
            | Award::Rate { cap, .. } => *cap,
        }
    }
    pub fn limits(&self) -> &[Limit] {
        match self {
            Award::Tiers { limits, .. }
            | Award::Proportional { limits, .. }
            | Award::Rate { limits, .. } => limits,
        }
    }
    /// The score below which nothing is awarded; `None` for `rate`.
    pub fn pass_mark(&self) -> Option<Decimal> {
        match self {
            Award::Tiers { tiers, .. } => tiers.iter().map(|t| t.min_score).min(),
            Award::Proportional { pass_mark, .. } => Some(*pass_mark),
            Award::Rate { .. } => None,
        }
    }
    /// True when the clause is scored (tiers or proportional).
    pub fn is_scored(&self) -> bool {
        !matches!(self, Award::Rate { .. })
    }
}

/// Score ≥ `min_score` earns `share` of the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tier {
    #[serde(serialize_with = "ser::decimal")]
    pub min_score: Decimal,
    #[serde(serialize_with = "ser::decimal")]
    pub share: Decimal,
}

/// The award never exceeds `share` × the field (a money field, in yuan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limit {
    pub field: String,
    #[serde(serialize_with = "ser::decimal")]
    pub share: Decimal,
}

/// The letters' wording that changes by year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wording {
    /// 重庆市渝中区大数据应用发展管理局
    pub issuer: String,
    /// 区大数据发展局
    pub issuer_short: String,
    /// 《渝中区促进算力经济高质量发展若干政策（试行）》, with 《》.
    pub policy_name: String,
    /// 《算力政策》
    pub policy_short_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_doc_number: Option<String>,
    /// The parent policy's names, with 《》.
    pub parent_policy_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_policy_doc_number: Option<String>,
    /// 渝中大数据发; the register adds 〔year〕N号.
    pub doc_number_prefix: String,
    /// 重庆市渝中区人民政府
    pub reconsideration_body: String,
    /// The legal-remedy sentence (行政复议 / 行政诉讼).
    pub remedy: String,
    pub contact_phone: String,
    pub signatory: String,
}

/// How the guide's numbers and dates are written in its serde form.
mod ser {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use serde::Serializer;

    /// A `Decimal` as a string, exactly as held ("2000000", "0.8").
    pub fn decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    /// An optional `Decimal` as a string, or none.
    pub fn opt_decimal<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => decimal(d, s),
            None => s.serialize_none(),
        }
    }

    /// A date as `YYYY-MM-DD`.
    pub fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.format("%Y-%m-%d").to_string())
    }
}
