//! The annual guide (申报指南) as data: its types, the loader that validates a
//! guide file completely, its content hash, and the built-in 2026 guide.
//!
//! A guide is a TOML file (see `assets/guides/2026.toml`, commented in Chinese
//! and English). [`load_guide`] reads it and checks *everything* in one pass —
//! shape, unknown keys, numbers, cross references to workbook fields and
//! lists, weights, bands, tiers, wording — and returns every problem with the
//! key path where it sits (`clauses.C1.factors: …`), so the bureau fixes a
//! file in one round trip.
//!
//! Numbers. Every amount is exact yuan (`Decimal`); every `Decimal` of the
//! file (money, shares, weights, points, band edges) is written as a quoted
//! string (`cap = "2000000"`, `share = "0.8"`). A bare TOML integer is also
//! accepted, because it is exact; a bare TOML float (`0.8`) is refused,
//! because the TOML reader would pass it through an `f64`. The serde form of
//! the types (JSON for the UI and the store) writes every `Decimal` as a
//! string and every date as `YYYY-MM-DD`.
//!
//! Why a hand-written reader rather than `toml::from_str::<Guide>`: serde
//! stops at the first error and does not say where it was. The types still
//! derive `Deserialize` (with `deny_unknown_fields`), mirror the file key for
//! key, and a test checks that both readings of the shipped guide agree; use
//! `Deserialize` only to read back a guide that was validated before.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::{Table, Value};

use reviewdesk_domain::money::{round_yuan, RoundingMode};
use reviewdesk_domain::schema::{self, FieldDef, Kind};

/// The clauses (C1, C2a, C2b, C3, C4), as the workbook schema names them.
pub use reviewdesk_domain::schema::Clause;

/// The guide file format this program reads (`format = 1`).
pub const FORMAT: i64 = 1;

/// The text of the guide that ships with the program for 2026.
pub const BUILTIN_2026: &str = include_str!("../../../../assets/guides/2026.toml");

/// The value of `source` for a factor the reviewers score.
pub const PANEL: &str = "panel";

// ---------------------------------------------------------------------------
// Types (mirroring the file key for key)
// ---------------------------------------------------------------------------

/// One round's rules. Build it with [`load_guide`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub year: i32,
    /// Always `year - 1`: applicants report the previous year's figures.
    pub data_year: i32,
    #[serde(with = "date_serde")]
    pub window_open: NaiveDate,
    /// Inclusive.
    #[serde(with = "date_serde")]
    pub window_close: NaiveDate,
    /// Round budget in yuan; `None` = no budget.
    #[serde(
        default,
        with = "opt_dec_serde",
        skip_serializing_if = "Option::is_none"
    )]
    pub budget: Option<Decimal>,
    #[serde(default)]
    pub budget_overrun: BudgetOverrun,
    /// Per-applicant cap in yuan; `None` = none.
    #[serde(
        default,
        with = "opt_dec_serde",
        skip_serializing_if = "Option::is_none"
    )]
    pub applicant_cap: Option<Decimal>,
}

/// What happens when approved awards exceed the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetOverrun {
    /// Tell the approver (default).
    #[default]
    Flag,
    /// Reduce every award in proportion, to the fen.
    ProRata,
}

/// 就高不重复.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighestOnly {
    pub within_policy: WithinPolicy,
    pub other_support: OtherSupport,
}

/// Inside the policy: only the highest clause award counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithinPolicy {
    Highest,
}

/// Against other Yuzhong support declared in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherSupport {
    /// 就高补差: award − other support, never below zero.
    TopUp,
    /// Nothing when the other support is higher or equal, else the full award.
    ZeroIfOtherHigher,
}

/// Rounding of the final award: a unit of 1, 0.1 or 0.01 yuan and a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    #[serde(with = "dec_serde")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub method: PanelMethod,
    /// With this many scores or more, drop the highest and the lowest (mean
    /// only). `None` = never drop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_high_low_from: Option<u32>,
    /// Spread of the reviewers' totals (max − min) above which the reviewer is
    /// asked to look again.
    #[serde(with = "dec_serde")]
    pub disagreement_threshold: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelMethod {
    Mean,
    Median,
}

/// Eligibility common to every clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonEligibility {
    /// 注册区县 must be this (渝中区).
    pub registered_district: String,
    /// Conditions on applicant fields (信用承诺 是, …).
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

/// One eligibility condition, written `{ test = "…", … }` in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "test", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The field equals `value` (after trimming and full-width folding).
    Equals { field: String, value: String },
    /// The field contains `value`.
    Contains { field: String, value: String },
    /// The field is one of `values`.
    OneOf { field: String, values: Vec<String> },
    /// The date field falls inside the round's data year.
    InDataYear { field: String },
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
            | Condition::OnList { field, .. } => Some(field),
            Condition::OneTime => None,
        }
    }
}

/// A list held in the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListName {
    /// [`Guide::certified_platforms`].
    CertifiedPlatforms,
    /// Every member of [`Guide::industry_groups`].
    IndustryGroups,
}

/// An industry group and the 所属领域 values it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryGroup {
    pub name: String,
    pub members: Vec<String>,
}

/// One clause's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseRules {
    /// 第一条 …
    pub article: String,
    /// 算力供给 …
    pub name: String,
    pub eligibility: ClauseEligibility,
    /// Scoring factors, weights summing to 100; empty for a `rate` award.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<Factor>,
    pub award: Award,
}

/// Who may apply under a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseEligibility {
    /// 单位类型 values allowed.
    pub applicant_types: Vec<String>,
    /// Conditions on the clause's project fields (or applicant fields).
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Fields that must hold a value for a project to be eligible, beyond
    /// the workbook's own required columns (e.g. an optional column that a
    /// factor scores).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_fields: Vec<String>,
}

/// A scoring factor. `source` is a numeric workbook field (scored by
/// `linear` or `bands`) or [`PANEL`] (scored by reviewers, 0 to `weight`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub id: String,
    pub name: String,
    /// The factor's name in English, for the English interface (optional;
    /// without it the English explanation shows the Chinese name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The most points the factor gives.
    #[serde(with = "dec_serde")]
    pub weight: Decimal,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear: Option<Linear>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    #[serde(with = "dec_serde")]
    pub floor: Decimal,
    #[serde(with = "dec_serde")]
    pub full: Decimal,
}

/// A value `v` with `at_least <= v < below` earns `points`; no `below` = no
/// upper limit (last band only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    #[serde(with = "dec_serde")]
    pub at_least: Decimal,
    #[serde(
        default,
        with = "opt_dec_serde",
        skip_serializing_if = "Option::is_none"
    )]
    pub below: Option<Decimal>,
    #[serde(with = "dec_serde")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Award {
    /// A share of the cap by score tier; tiers highest first, the lowest tier
    /// is the pass mark.
    Tiers {
        #[serde(with = "dec_serde")]
        cap: Decimal,
        tiers: Vec<Tier>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        limits: Vec<Limit>,
    },
    /// cap × score / 100 when score ≥ pass_mark.
    Proportional {
        #[serde(with = "dec_serde")]
        cap: Decimal,
        #[serde(with = "dec_serde")]
        pass_mark: Decimal,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        limits: Vec<Limit>,
    },
    /// rate × the base field, capped; no scoring.
    Rate {
        #[serde(with = "dec_serde")]
        rate: Decimal,
        base: String,
        #[serde(with = "dec_serde")]
        cap: Decimal,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    #[serde(with = "dec_serde")]
    pub min_score: Decimal,
    #[serde(with = "dec_serde")]
    pub share: Decimal,
}

/// The award never exceeds `share` × the field (a money field, in yuan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub field: String,
    #[serde(with = "dec_serde")]
    pub share: Decimal,
}

/// The letters' wording that changes by year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// 重庆市渝中区大数据应用发展管理局
    pub issuer: String,
    /// 区大数据发展局
    pub issuer_short: String,
    /// 《渝中区促进算力经济高质量发展若干政策（试行）》, with 《》.
    pub policy_name: String,
    /// 《算力政策》
    pub policy_short_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_doc_number: Option<String>,
    /// The parent policy's names, with 《》.
    pub parent_policy_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

// ---------------------------------------------------------------------------
// The workbook fields a guide may name (spec/submission-workbook.md)
// ---------------------------------------------------------------------------

/// Where a field lives: the applicant sheet or the clause's project table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldScope {
    Applicant,
    Project,
}

/// How the guide may use a field of the workbook schema.
fn is_numeric(kind: Kind) -> bool {
    matches!(kind, Kind::MoneyWan | Kind::Integer | Kind::Number)
}
fn is_money(kind: Kind) -> bool {
    kind == Kind::MoneyWan
}
fn is_date(kind: Kind) -> bool {
    kind == Kind::Date
}
fn is_textual(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Text { .. }
            | Kind::Choice(_)
            | Kind::YesNo
            | Kind::Uscc
            | Kind::Phone
            | Kind::Email
            | Kind::BankAccount
    )
}
const YES_NO: &[&str] = &["是", "否"];

/// Finds a field a guide names, by its key in the workbook schema
/// (`intake::schema`): first among the clause's columns (when a clause is
/// given), then among the applicant sheet's labels.
pub fn find_field(clause: Option<Clause>, name: &str) -> Option<(FieldScope, &'static FieldDef)> {
    if let Some(c) = clause {
        if let Some(d) = schema::clause_sheet(c).field(name) {
            return Some((FieldScope::Project, d));
        }
    }
    schema::applicant_sheet()
        .field(name)
        .map(|d| (FieldScope::Applicant, d))
}

// ---------------------------------------------------------------------------
// Problems, hash, built-in guide
// ---------------------------------------------------------------------------

/// One thing wrong with a guide file: where (a key path such as
/// `clauses.C1.factors[0].bands[1]`; empty for the whole file) and what, in
/// Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideProblem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for GuideProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// All problems as one engine error (code `guide_invalid`), one per line.
pub fn problems_error(problems: &[GuideProblem]) -> reviewdesk_domain::DomainError {
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    reviewdesk_domain::DomainError::Guide(lines.join("\n"))
}

/// The guide version: SHA-256 of the file's exact bytes, lowercase hex.
pub fn content_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The guide shipped with the program for `year`: its text (hash it with
/// [`content_hash`] to get its version) and the loaded guide. `None` for a
/// year without a shipped guide. (A test guarantees the shipped file loads.)
pub fn builtin(year: i32) -> Option<(&'static str, Guide)> {
    let text = match year {
        2026 => BUILTIN_2026,
        _ => return None,
    };
    load_guide(text).ok().map(|g| (text, g))
}

/// Reads and validates a guide file. Returns the guide, or every problem
/// found (never just the first), each with its key path.
pub fn load_guide(text: &str) -> Result<Guide, Vec<GuideProblem>> {
    let root: Table = match text.parse::<Table>() {
        Ok(t) => t,
        Err(e) => {
            let position = e
                .span()
                .map(|s| line_col(text, s.start))
                .map(|(l, c)| format!("第 {l} 行第 {c} 列 / line {l}, column {c}"))
                .unwrap_or_default();
            return Err(vec![GuideProblem {
                path: String::new(),
                message: format!(
                    "TOML 语法错误 / TOML syntax error ({position}): {}",
                    e.message().trim()
                ),
            }]);
        }
    };
    let mut w = Walker::default();
    let guide = parse_guide(&mut w, &root);
    match (guide, w.problems.is_empty()) {
        (Some(g), true) => Ok(g),
        (None, true) => Err(vec![GuideProblem {
            path: String::new(),
            message: "申报指南无法读取 / the guide could not be read".to_string(),
        }]),
        (_, false) => Err(w.problems),
    }
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = text.get(..byte).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

// ---------------------------------------------------------------------------
// The reader: walks the TOML tree, collects every problem
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Walker {
    problems: Vec<GuideProblem>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn at(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "字符串 string",
        Value::Integer(_) => "整数 integer",
        Value::Float(_) => "小数 float",
        Value::Boolean(_) => "布尔值 boolean",
        Value::Datetime(_) => "日期时间 datetime",
        Value::Array(_) => "数组 array",
        Value::Table(_) => "表 table",
    }
}

/// `d` without trailing zeros, for messages.
fn show(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Enums spelled by name in the file.
trait Named: Copy + 'static {
    const NAMES: &'static [(&'static str, Self)];
}

impl Named for RoundingMode {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("half_up", RoundingMode::HalfUp),
        ("half_even", RoundingMode::HalfEven),
        ("down", RoundingMode::Down),
    ];
}
impl Named for BudgetOverrun {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("flag", BudgetOverrun::Flag),
        ("pro_rata", BudgetOverrun::ProRata),
    ];
}
impl Named for WithinPolicy {
    const NAMES: &'static [(&'static str, Self)] = &[("highest", WithinPolicy::Highest)];
}
impl Named for OtherSupport {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("top_up", OtherSupport::TopUp),
        ("zero_if_other_higher", OtherSupport::ZeroIfOtherHigher),
    ];
}
impl Named for PanelMethod {
    const NAMES: &'static [(&'static str, Self)] =
        &[("mean", PanelMethod::Mean), ("median", PanelMethod::Median)];
}
impl Named for ListName {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("certified_platforms", ListName::CertifiedPlatforms),
        ("industry_groups", ListName::IndustryGroups),
    ];
}

/// The kinds of condition, as spelled in `test = "…"`, with the keys each takes.
const CONDITION_TESTS: &[(&str, &[&str])] = &[
    ("equals", &["test", "field", "value"]),
    ("contains", &["test", "field", "value"]),
    ("one_of", &["test", "field", "values"]),
    ("in_data_year", &["test", "field"]),
    ("on_list", &["test", "field", "list"]),
    ("one_time", &["test"]),
];

/// The award methods, as spelled in `method = "…"`, with the keys each takes.
const AWARD_METHODS: &[(&str, &[&str])] = &[
    ("tiers", &["method", "cap", "tiers", "limits"]),
    ("proportional", &["method", "cap", "pass_mark", "limits"]),
    ("rate", &["method", "rate", "base", "cap", "limits"]),
];

impl Walker {
    fn report(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(GuideProblem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn unknown_keys(&mut self, path: &str, t: &Table, allowed: &[&str]) {
        for key in t.keys() {
            if !allowed.contains(&key.as_str()) {
                self.report(
                    &join(path, key),
                    format!(
                        "未知的键；此处可用：{} / unknown key; expected one of: {}",
                        allowed.join("、"),
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    /// A table at `path`, its unknown keys reported.
    fn table<'a>(&mut self, path: &str, v: &'a Value, allowed: &[&str]) -> Option<&'a Table> {
        match v {
            Value::Table(t) => {
                self.unknown_keys(path, t, allowed);
                Some(t)
            }
            other => {
                self.report(
                    path,
                    format!(
                        "应为表，实为{0} / expected a table, found {0}",
                        type_name(other)
                    ),
                );
                None
            }
        }
    }

    /// A required key, converted with `conv`.
    fn req<'a, T>(
        &mut self,
        path: &str,
        t: &'a Table,
        key: &str,
        conv: impl FnOnce(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<T> {
        let p = join(path, key);
        match t.get(key) {
            Some(v) => conv(self, &p, v),
            None => {
                self.report(&p, "缺少必填项 / missing required key");
                None
            }
        }
    }

    /// An optional key, converted with `conv` (`None` when absent or wrong;
    /// a wrong value is reported).
    fn opt<'a, T>(
        &mut self,
        path: &str,
        t: &'a Table,
        key: &str,
        conv: impl FnOnce(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<T> {
        let p = join(path, key);
        t.get(key).and_then(|v| conv(self, &p, v))
    }

    fn wrong_type(&mut self, path: &str, expected_zh: &str, expected_en: &str, v: &Value) {
        let found = type_name(v);
        self.report(
            path,
            format!("应为{expected_zh}，实为{found} / expected {expected_en}, found {found}"),
        );
    }

    /// A non-empty string without surrounding spaces.
    fn string(&mut self, path: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) if s.trim().is_empty() => {
                self.report(path, "不能为空 / must not be empty");
                None
            }
            Value::String(s) if s.trim() != s => {
                self.report(path, "首尾不能有空白 / must not start or end with spaces");
                None
            }
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(path, "字符串", "a string", other);
                None
            }
        }
    }

    /// A list of distinct non-empty strings (may be empty).
    fn strings(&mut self, path: &str, v: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = v else {
            self.wrong_type(path, "字符串数组", "an array of strings", v);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        let mut seen = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            match self.string(&at(path, i), item) {
                Some(s) => {
                    if !seen.insert(s.clone()) {
                        self.report(
                            &at(path, i),
                            format!("重复的取值“{s}” / duplicate value \"{s}\""),
                        );
                        ok = false;
                    }
                    out.push(s);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// An exact decimal: a quoted string or a bare integer, never a float.
    fn decimal(&mut self, path: &str, v: &Value) -> Option<Decimal> {
        match v {
            Value::String(s) => {
                let t = s.trim();
                let plain = !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
                match Decimal::from_str_exact(t) {
                    Ok(d) if plain => Some(d),
                    _ => {
                        self.report(
                            path,
                            format!(
                                "“{s}”不是数字（应写成如 \"2000000\" 或 \"0.8\"，不加千位分隔符和单位） / \"{s}\" is not a number (write e.g. \"2000000\" or \"0.8\", without separators or units)"
                            ),
                        );
                        None
                    }
                }
            }
            Value::Integer(i) => Some(Decimal::from(*i)),
            Value::Float(_) => {
                self.report(
                    path,
                    "小数须加引号书写（如 \"0.8\"），不带引号的小数会被读成二进制浮点数 / write decimals in quotes (e.g. \"0.8\"): an unquoted decimal would be read as a binary float",
                );
                None
            }
            other => {
                self.wrong_type(path, "数字（加引号的字符串）", "a number in quotes", other);
                None
            }
        }
    }

    fn integer(&mut self, path: &str, v: &Value) -> Option<i64> {
        match v {
            Value::Integer(i) => Some(*i),
            other => {
                self.wrong_type(path, "整数", "a whole number", other);
                None
            }
        }
    }

    /// A whole number within `lo..=hi`.
    fn int_in(&mut self, path: &str, v: &Value, lo: i64, hi: i64) -> Option<i64> {
        let i = self.integer(path, v)?;
        if i < lo || i > hi {
            self.report(
                path,
                format!(
                    "应在 {lo} 至 {hi} 之间，实为 {i} / must be between {lo} and {hi}, found {i}"
                ),
            );
            return None;
        }
        Some(i)
    }

    /// A date: a TOML date (2026-03-01) or the same as a string.
    fn date(&mut self, path: &str, v: &Value) -> Option<NaiveDate> {
        let parsed = match v {
            Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                }
                _ => None,
            },
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            other => {
                self.wrong_type(
                    path,
                    "日期（如 2026-03-01）",
                    "a date such as 2026-03-01",
                    other,
                );
                return None;
            }
        };
        if parsed.is_none() {
            self.report(
                path,
                "应为日期，如 2026-03-01（不含时间） / expected a date such as 2026-03-01 (no time)",
            );
        }
        parsed
    }

    fn named<T: Named>(&mut self, path: &str, v: &Value) -> Option<T> {
        let names: Vec<&str> = T::NAMES.iter().map(|(n, _)| *n).collect();
        let Value::String(s) = v else {
            self.wrong_type(path, "字符串", "a string", v);
            return None;
        };
        match T::NAMES.iter().find(|(n, _)| *n == s.as_str()) {
            Some((_, x)) => Some(*x),
            None => {
                self.report(
                    path,
                    format!(
                        "未知的取值“{s}”；可选：{} / unknown value \"{s}\"; expected one of: {}",
                        names.join("、"),
                        names.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// An array of tables, each converted with `conv`; `None` if any fails.
    fn tables<'a, T>(
        &mut self,
        path: &str,
        v: &'a Value,
        mut conv: impl FnMut(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Array(items) = v else {
            self.wrong_type(path, "数组", "an array", v);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match conv(self, &at(path, i), item) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A decimal within `lo..=hi` (bounds inclusive unless said otherwise).
    fn check_range(
        &mut self,
        path: &str,
        d: Decimal,
        lo: Decimal,
        lo_inclusive: bool,
        hi: Option<Decimal>,
    ) -> bool {
        let low_ok = if lo_inclusive { d >= lo } else { d > lo };
        let high_ok = hi.is_none_or(|h| d <= h);
        if low_ok && high_ok {
            return true;
        }
        let (lo_zh, lo_en) = if lo_inclusive {
            ("不小于", "at least")
        } else {
            ("大于", "greater than")
        };
        let range_zh = match hi {
            Some(h) => format!("{lo_zh} {} 且不大于 {}", show(lo), show(h)),
            None => format!("{lo_zh} {}", show(lo)),
        };
        let range_en = match hi {
            Some(h) => format!("{lo_en} {} and at most {}", show(lo), show(h)),
            None => format!("{lo_en} {}", show(lo)),
        };
        self.report(
            path,
            format!(
                "应{range_zh}，实为 {} / must be {range_en}, found {}",
                show(d),
                show(d)
            ),
        );
        false
    }
}

fn dec(i: i64) -> Decimal {
    Decimal::from(i)
}

/// `Some(x)` when every part was read.
macro_rules! all {
    ($($x:ident),+ $(,)?) => {
        match ($($x,)+) {
            ($(Some($x),)+) => Some(($($x,)+)),
            _ => None,
        }
    };
}

fn parse_guide(w: &mut Walker, root: &Table) -> Option<Guide> {
    const KEYS: &[&str] = &[
        "format",
        "title",
        "certified_platforms",
        "round",
        "highest_only",
        "rounding",
        "score_rounding",
        "panel",
        "eligibility",
        "industry_groups",
        "clauses",
        "wording",
    ];
    w.unknown_keys("", root, KEYS);
    let format = w.req("", root, "format", Walker::integer);
    if let Some(found) = format {
        if found != FORMAT {
            w.report(
                "format",
                format!("本程序读取格式 {FORMAT}，文件为格式 {found} / this program reads format {FORMAT}, the file is format {found}"),
            );
        }
    }
    let title = w.req("", root, "title", Walker::string);
    let certified_platforms = w.req("", root, "certified_platforms", Walker::strings);
    if certified_platforms.as_ref().is_some_and(|l| l.is_empty()) {
        w.report(
            "certified_platforms",
            "清单不能为空 / the list must not be empty",
        );
    }
    let round = w.req("", root, "round", parse_round);
    let highest_only = w.req("", root, "highest_only", parse_highest_only);
    let rounding = w.req("", root, "rounding", parse_rounding);
    let score_rounding = w.req("", root, "score_rounding", parse_score_rounding);
    let panel = w.req("", root, "panel", parse_panel);
    let eligibility = w.req("", root, "eligibility", parse_common_eligibility);
    let industry_groups = w.req("", root, "industry_groups", parse_industry_groups);
    let clauses = w.req("", root, "clauses", parse_clauses);
    let wording = w.req("", root, "wording", parse_wording);
    let (
        format,
        title,
        certified_platforms,
        round,
        highest_only,
        rounding,
        score_rounding,
        panel,
        eligibility,
        industry_groups,
        clauses,
        wording,
    ) = all!(
        format,
        title,
        certified_platforms,
        round,
        highest_only,
        rounding,
        score_rounding,
        panel,
        eligibility,
        industry_groups,
        clauses,
        wording
    )?;
    Some(Guide {
        format,
        title,
        certified_platforms,
        round,
        highest_only,
        rounding,
        score_rounding,
        panel,
        eligibility,
        industry_groups,
        clauses,
        wording,
    })
}

fn parse_round(w: &mut Walker, path: &str, v: &Value) -> Option<Round> {
    let t = w.table(
        path,
        v,
        &[
            "year",
            "data_year",
            "window_open",
            "window_close",
            "budget",
            "budget_overrun",
            "applicant_cap",
        ],
    )?;
    let year = w.req(path, t, "year", |w, p, v| w.int_in(p, v, 2000, 2100));
    let data_year = w.req(path, t, "data_year", |w, p, v| w.int_in(p, v, 1999, 2099));
    if let (Some(y), Some(d)) = (year, data_year) {
        if d != y - 1 {
            w.report(
                &join(path, "data_year"),
                format!(
                    "数据年度应为申报年度的上一年 {}，实为 {d} / the data year must be the year before the round ({}), found {d}",
                    y - 1,
                    y - 1
                ),
            );
        }
    }
    let window_open = w.req(path, t, "window_open", Walker::date);
    let window_close = w.req(path, t, "window_close", Walker::date);
    if let (Some(o), Some(c)) = (window_open, window_close) {
        if o > c {
            w.report(
                &join(path, "window_close"),
                format!(
                    "申报截止日 {c} 早于开始日 {o} / the window closes ({c}) before it opens ({o})"
                ),
            );
        }
    }
    let budget = w.opt(path, t, "budget", Walker::decimal);
    if let Some(b) = budget {
        if w.check_range(&join(path, "budget"), b, Decimal::ZERO, false, None)
            && b.normalize().scale() > 2
        {
            w.report(
                &join(path, "budget"),
                format!(
                    "预算须精确到分（最多 2 位小数），实为 {} / the budget must be whole fen (at most 2 decimals), found {}",
                    show(b),
                    show(b)
                ),
            );
        }
    }
    let budget_overrun = if t.contains_key("budget_overrun") {
        w.opt(path, t, "budget_overrun", Walker::named::<BudgetOverrun>)
    } else {
        Some(BudgetOverrun::Flag)
    };
    if budget_overrun == Some(BudgetOverrun::ProRata) && !t.contains_key("budget") {
        w.report(
            &join(path, "budget_overrun"),
            "按比例核减（pro_rata）需要设定预算 budget / \"pro_rata\" needs a budget: set round.budget",
        );
    }
    let applicant_cap = w.opt(path, t, "applicant_cap", Walker::decimal);
    if let Some(b) = applicant_cap {
        w.check_range(&join(path, "applicant_cap"), b, Decimal::ZERO, false, None);
    }
    let (year, data_year, window_open, window_close, budget_overrun) =
        all!(year, data_year, window_open, window_close, budget_overrun)?;
    Some(Round {
        year: i32::try_from(year).ok()?,
        data_year: i32::try_from(data_year).ok()?,
        window_open,
        window_close,
        budget,
        budget_overrun,
        applicant_cap,
    })
}

fn parse_highest_only(w: &mut Walker, path: &str, v: &Value) -> Option<HighestOnly> {
    let t = w.table(path, v, &["within_policy", "other_support"])?;
    let within_policy = w.req(path, t, "within_policy", Walker::named::<WithinPolicy>);
    let other_support = w.req(path, t, "other_support", Walker::named::<OtherSupport>);
    let (within_policy, other_support) = all!(within_policy, other_support)?;
    Some(HighestOnly {
        within_policy,
        other_support,
    })
}

fn parse_rounding(w: &mut Walker, path: &str, v: &Value) -> Option<Rounding> {
    let t = w.table(path, v, &["unit", "mode"])?;
    let unit = w.req(path, t, "unit", Walker::decimal);
    let allowed = [Decimal::ONE, Decimal::new(1, 1), Decimal::new(1, 2)];
    let unit = match unit {
        Some(u) if allowed.contains(&u) => Some(u),
        Some(u) => {
            w.report(
                &join(path, "unit"),
                format!(
                    "舍入单位只能是 \"1\"（元）、\"0.1\"（角）或 \"0.01\"（分），实为 {} / the unit must be \"1\", \"0.1\" or \"0.01\" yuan, found {}",
                    show(u),
                    show(u)
                ),
            );
            None
        }
        None => None,
    };
    let mode = w.req(path, t, "mode", Walker::named::<RoundingMode>);
    let (unit, mode) = all!(unit, mode)?;
    Some(Rounding { unit, mode })
}

fn parse_score_rounding(w: &mut Walker, path: &str, v: &Value) -> Option<ScoreRounding> {
    let t = w.table(path, v, &["dp", "mode"])?;
    let dp = w.req(path, t, "dp", |w, p, v| w.int_in(p, v, 0, 6));
    let mode = w.req(path, t, "mode", Walker::named::<RoundingMode>);
    let (dp, mode) = all!(dp, mode)?;
    Some(ScoreRounding {
        dp: u32::try_from(dp).ok()?,
        mode,
    })
}

fn parse_panel(w: &mut Walker, path: &str, v: &Value) -> Option<Panel> {
    let t = w.table(
        path,
        v,
        &["method", "drop_high_low_from", "disagreement_threshold"],
    )?;
    let method = w.req(path, t, "method", Walker::named::<PanelMethod>);
    let drop_high_low_from = w.opt(path, t, "drop_high_low_from", |w, p, v| {
        w.int_in(p, v, 3, 100)
    });
    let drop_ok = !t.contains_key("drop_high_low_from") || drop_high_low_from.is_some();
    if method == Some(PanelMethod::Median) && drop_high_low_from.is_some() {
        w.report(
            &join(path, "drop_high_low_from"),
            "去掉最高分和最低分只适用于 mean（算术平均） / dropping the highest and lowest applies to method \"mean\" only",
        );
    }
    let threshold = w.req(path, t, "disagreement_threshold", Walker::decimal);
    let threshold = threshold.filter(|d| {
        w.check_range(
            &join(path, "disagreement_threshold"),
            *d,
            Decimal::ZERO,
            false,
            Some(dec(100)),
        )
    });
    let (method, disagreement_threshold) = all!(method, threshold)?;
    if !drop_ok {
        return None;
    }
    Some(Panel {
        method,
        drop_high_low_from: drop_high_low_from.and_then(|d| u32::try_from(d).ok()),
        disagreement_threshold,
    })
}

fn parse_common_eligibility(w: &mut Walker, path: &str, v: &Value) -> Option<CommonEligibility> {
    let t = w.table(path, v, &["registered_district", "conditions"])?;
    let registered_district = w.req(path, t, "registered_district", Walker::string);
    let conditions = match t.get("conditions") {
        Some(v) => w.tables(&join(path, "conditions"), v, |w, p, v| {
            parse_condition(w, p, v, None)
        }),
        None => Some(Vec::new()),
    };
    let (registered_district, conditions) = all!(registered_district, conditions)?;
    Some(CommonEligibility {
        registered_district,
        conditions,
    })
}

fn parse_industry_groups(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<IndustryGroup>> {
    let groups = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["name", "members"])?;
        let name = w.req(p, t, "name", Walker::string);
        let members = w.req(p, t, "members", Walker::strings);
        if members.as_ref().is_some_and(|m| m.is_empty()) {
            w.report(&join(p, "members"), "不能为空 / must not be empty");
        }
        let (name, members) = all!(name, members)?;
        Some(IndustryGroup { name, members })
    })?;
    if groups.is_empty() {
        w.report(path, "至少需要一个产业组 / at least one group is needed");
    }
    let mut names = BTreeSet::new();
    let mut members: BTreeMap<&str, &str> = BTreeMap::new();
    let mut ok = true;
    for (i, g) in groups.iter().enumerate() {
        if !names.insert(g.name.as_str()) {
            w.report(
                &join(&at(path, i), "name"),
                format!("重复的产业组“{0}” / duplicate group \"{0}\"", g.name),
            );
            ok = false;
        }
        for (j, m) in g.members.iter().enumerate() {
            if let Some(other) = members.insert(m.as_str(), g.name.as_str()) {
                if other != g.name {
                    w.report(
                        &at(&join(&at(path, i), "members"), j),
                        format!("“{m}”已列在产业组“{other}”中 / \"{m}\" is already in group \"{other}\""),
                    );
                    ok = false;
                }
            }
        }
    }
    ok.then_some(groups)
}

fn parse_clauses(w: &mut Walker, path: &str, v: &Value) -> Option<BTreeMap<Clause, ClauseRules>> {
    let Value::Table(t) = v else {
        w.wrong_type(path, "表", "a table", v);
        return None;
    };
    let known: Vec<&str> = Clause::ALL.iter().map(|c| c.as_str()).collect();
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (key, value) in t {
        let p = join(path, key);
        match Clause::from_id(key) {
            Some(id) => match parse_clause(w, &p, value, id) {
                Some(c) => {
                    out.insert(id, c);
                }
                None => ok = false,
            },
            None => {
                w.report(
                    &p,
                    format!(
                        "未知的条款；可用：{} / unknown clause; expected one of: {}",
                        known.join("、"),
                        known.join(", ")
                    ),
                );
                ok = false;
            }
        }
    }
    if t.is_empty() {
        w.report(path, "至少需要一个条款 / at least one clause is needed");
        ok = false;
    }
    ok.then_some(out)
}

fn parse_clause(w: &mut Walker, path: &str, v: &Value, id: Clause) -> Option<ClauseRules> {
    let t = w.table(
        path,
        v,
        &["article", "name", "eligibility", "factors", "award"],
    )?;
    let article = w.req(path, t, "article", Walker::string);
    let name = w.req(path, t, "name", Walker::string);
    let eligibility = w.req(path, t, "eligibility", |w, p, v| {
        let t = w.table(p, v, &["applicant_types", "conditions", "required_fields"])?;
        let types = w.req(p, t, "applicant_types", Walker::strings);
        let types = types.and_then(|types| {
            let mut ok = !types.is_empty();
            if types.is_empty() {
                w.report(&join(p, "applicant_types"), "不能为空 / must not be empty");
            }
            for (i, ty) in types.iter().enumerate() {
                if !schema::ORG_TYPES.contains(&ty.as_str()) {
                    w.report(
                        &at(&join(p, "applicant_types"), i),
                        format!(
                            "“{ty}”不是申报表的单位类型；可选：{} / \"{ty}\" is not an applicant type of the workbook; expected one of: {}",
                            schema::ORG_TYPES.join("、"),
                            schema::ORG_TYPES.join(", ")
                        ),
                    );
                    ok = false;
                }
            }
            ok.then_some(types)
        });
        let conditions = match t.get("conditions") {
            Some(v) => w.tables(&join(p, "conditions"), v, |w, p, v| {
                parse_condition(w, p, v, Some(id))
            }),
            None => Some(Vec::new()),
        };
        let required_fields = match t.get("required_fields") {
            Some(v) => w.strings(&join(p, "required_fields"), v).and_then(|names| {
                let mut ok = true;
                for (i, name) in names.iter().enumerate() {
                    let rp = at(&join(p, "required_fields"), i);
                    ok &= check_field(w, &rp, Some(id), name, |_| true, "", "known").is_some();
                }
                ok.then_some(names)
            }),
            None => Some(Vec::new()),
        };
        let (applicant_types, conditions, required_fields) =
            all!(types, conditions, required_fields)?;
        Some(ClauseEligibility {
            applicant_types,
            conditions,
            required_fields,
        })
    });
    let award = w.req(path, t, "award", |w, p, v| parse_award(w, p, v, id));
    let factors_path = join(path, "factors");
    let factors = match t.get("factors") {
        Some(v) => w.tables(&factors_path, v, |w, p, v| parse_factor(w, p, v, id)),
        None => Some(Vec::new()),
    };
    // Weights and ids, checked on the factors that were read; the sum only
    // when every factor was read (otherwise it would mislead).
    if let Some(Value::Array(items)) = t.get("factors") {
        let mut ids = BTreeSet::new();
        let mut sum = Decimal::ZERO;
        let mut all_weights = true;
        for (i, item) in items.iter().enumerate() {
            let Value::Table(ft) = item else {
                all_weights = false;
                continue;
            };
            if let Some(Value::String(fid)) = ft.get("id") {
                if !ids.insert(fid.clone()) {
                    w.report(
                        &join(&at(&factors_path, i), "id"),
                        format!("重复的因素编号“{fid}” / duplicate factor id \"{fid}\""),
                    );
                }
            }
            match ft.get("weight").map(weight_value) {
                Some(Some(d)) => sum += d,
                _ => all_weights = false,
            }
        }
        let scored = matches!(
            t.get("award").and_then(|a| a.get("method")),
            Some(Value::String(m)) if m != "rate"
        );
        if scored && items.is_empty() {
            w.report(
                &factors_path,
                "评分条款至少需要一个评分因素 / a scored clause needs at least one factor",
            );
        } else if scored && all_weights && sum != dec(100) {
            w.report(
                &factors_path,
                format!(
                    "权重合计 {}，应为 100 / weights sum to {}, expected 100",
                    show(sum),
                    show(sum)
                ),
            );
        }
    }
    if let Some(Award::Rate { .. }) = &award {
        if factors.as_ref().is_some_and(|f| !f.is_empty()) {
            w.report(
                &factors_path,
                "按比例计算（method = \"rate\"）的条款不评分，不能有评分因素 / a clause with method \"rate\" is not scored and has no factors",
            );
        }
    }
    if let Some(a) = &award {
        if a.is_scored() && !t.contains_key("factors") {
            w.report(
                &factors_path,
                "评分条款至少需要一个评分因素 / a scored clause needs at least one factor",
            );
        }
    }
    let (article, name, eligibility, factors, award) =
        all!(article, name, eligibility, factors, award)?;
    Some(ClauseRules {
        article,
        name,
        eligibility,
        factors,
        award,
    })
}

/// The weight of a factor as written, when it is a valid positive decimal
/// (used only for the sum; the factor reader reports the details).
fn weight_value(v: &Value) -> Option<Decimal> {
    let d = match v {
        Value::String(s) => Decimal::from_str_exact(s.trim()).ok()?,
        Value::Integer(i) => Decimal::from(*i),
        _ => return None,
    };
    (d > Decimal::ZERO && d <= dec(100)).then_some(d)
}

/// Describes the fields of `clause` (and the applicant sheet) that fit `want`.
fn field_names(clause: Option<Clause>, want: impl Fn(Kind) -> bool) -> String {
    let mut names: Vec<&str> = Vec::new();
    if let Some(c) = clause {
        names.extend(
            schema::clause_sheet(c)
                .fields
                .iter()
                .filter(|d| want(d.kind))
                .map(|d| d.key),
        );
    }
    names.extend(
        schema::applicant_sheet()
            .fields
            .iter()
            .filter(|d| want(d.kind))
            .map(|d| d.key),
    );
    names.join("、")
}

/// Checks that `name` is a field of the clause (or the applicant sheet) of a
/// kind `want` accepts; reports otherwise.
fn check_field(
    w: &mut Walker,
    path: &str,
    clause: Option<Clause>,
    name: &str,
    want: impl Fn(Kind) -> bool + Copy,
    want_zh: &str,
    want_en: &str,
) -> Option<&'static FieldDef> {
    let where_zh = match clause {
        Some(c) => format!("条款 {c} 的申报表和申报单位表"),
        None => "申报单位表".to_string(),
    };
    let where_en = match clause {
        Some(c) => format!("the {c} sheet or the applicant sheet"),
        None => "the applicant sheet".to_string(),
    };
    match find_field(clause, name) {
        None => {
            w.report(
                path,
                format!(
                    "未知字段“{name}”：{where_zh}中没有此字段；可用的{want_zh}字段：{} / unknown field \"{name}\": not in {where_en}; {want_en} fields: {}",
                    field_names(clause, want),
                    field_names(clause, want)
                ),
            );
            None
        }
        Some((_, def)) if !want(def.kind) => {
            w.report(
                path,
                format!(
                    "字段“{name}”不是{want_zh}字段；可用：{} / field \"{name}\" is not a {want_en} field; {want_en} fields: {}",
                    field_names(clause, want),
                    field_names(clause, want)
                ),
            );
            None
        }
        Some((_, def)) => Some(def),
    }
}

fn parse_condition(
    w: &mut Walker,
    path: &str,
    v: &Value,
    clause: Option<Clause>,
) -> Option<Condition> {
    let Value::Table(t) = v else {
        w.wrong_type(path, "表", "a table", v);
        return None;
    };
    let test = w.req(path, t, "test", Walker::string)?;
    let Some((_, keys)) = CONDITION_TESTS.iter().find(|(n, _)| *n == test) else {
        let names: Vec<&str> = CONDITION_TESTS.iter().map(|(n, _)| *n).collect();
        w.report(
            &join(path, "test"),
            format!(
                "未知的条件“{test}”；可选：{} / unknown test \"{test}\"; expected one of: {}",
                names.join("、"),
                names.join(", ")
            ),
        );
        return None;
    };
    w.unknown_keys(path, t, keys);
    if test == "one_time" {
        if clause.is_none() {
            w.report(
                &join(path, "test"),
                "one_time 只能用于条款的资格条件 / one_time belongs to a clause's conditions",
            );
            return None;
        }
        return Some(Condition::OneTime);
    }
    let field = w.req(path, t, "field", Walker::string);
    let field_path = join(path, "field");
    let def = match &field {
        Some(name) => match test.as_str() {
            "in_data_year" => check_field(w, &field_path, clause, name, is_date, "日期", "date"),
            _ => check_field(w, &field_path, clause, name, is_textual, "文本", "text"),
        },
        None => None,
    };
    // A value the field can never hold is a typo.
    let check_choice = |w: &mut Walker, p: &str, value: &str| -> bool {
        let choices: &[&str] = match def.map(|d| d.kind) {
            Some(Kind::Choice(c)) => c,
            Some(Kind::YesNo) => YES_NO,
            _ => return true,
        };
        if choices.contains(&value) {
            return true;
        }
        w.report(
            p,
            format!(
                "“{value}”不是该字段的可选值（{}） / \"{value}\" is not a choice of this field ({})",
                choices.join("、"),
                choices.join(", ")
            ),
        );
        false
    };
    let condition = match test.as_str() {
        "equals" | "contains" => {
            let value = w.req(path, t, "value", Walker::string);
            let value = match value {
                Some(s) if test == "equals" => {
                    check_choice(w, &join(path, "value"), &s).then_some(s)
                }
                other => other,
            };
            let (field, value) = all!(field, value)?;
            if test == "equals" {
                Condition::Equals { field, value }
            } else {
                Condition::Contains { field, value }
            }
        }
        "one_of" => {
            let values = w.req(path, t, "values", Walker::strings);
            let values = values.and_then(|vals| {
                let p = join(path, "values");
                if vals.is_empty() {
                    w.report(&p, "不能为空 / must not be empty");
                    return None;
                }
                let mut ok = true;
                for (i, s) in vals.iter().enumerate() {
                    ok &= check_choice(w, &at(&p, i), s);
                }
                ok.then_some(vals)
            });
            let (field, values) = all!(field, values)?;
            Condition::OneOf { field, values }
        }
        "in_data_year" => Condition::InDataYear { field: field? },
        _ => {
            let list = w.req(path, t, "list", Walker::named::<ListName>);
            let (field, list) = all!(field, list)?;
            Condition::OnList { field, list }
        }
    };
    def?;
    Some(condition)
}

fn parse_factor(w: &mut Walker, path: &str, v: &Value, clause: Clause) -> Option<Factor> {
    let t = w.table(
        path,
        v,
        &[
            "id", "name", "name_en", "weight", "source", "linear", "bands",
        ],
    )?;
    let id = w.req(path, t, "id", Walker::string);
    let name = w.req(path, t, "name", Walker::string);
    let name_en = w.opt(path, t, "name_en", Walker::string);
    let name_en_ok = !t.contains_key("name_en") || name_en.is_some();
    let weight = w.req(path, t, "weight", Walker::decimal).filter(|d| {
        w.check_range(
            &join(path, "weight"),
            *d,
            Decimal::ZERO,
            false,
            Some(dec(100)),
        )
    });
    let source = w.req(path, t, "source", Walker::string);
    let source_ok = match &source {
        Some(s) if s == PANEL => true,
        Some(s) => check_field(
            w,
            &join(path, "source"),
            Some(clause),
            s,
            is_numeric,
            "数值",
            "numeric",
        )
        .is_some(),
        None => false,
    };
    let is_panel = source.as_deref() == Some(PANEL);
    let (has_linear, has_bands) = (t.contains_key("linear"), t.contains_key("bands"));
    let mut rule_ok = true;
    if source.is_some() {
        if is_panel && (has_linear || has_bands) {
            w.report(
                path,
                "专家打分的因素（source = \"panel\"）不能有 linear 或 bands / a panel factor (source = \"panel\") has no linear or bands",
            );
            rule_ok = false;
        } else if !is_panel && has_linear == has_bands {
            w.report(
                path,
                "按字段评分的因素须有且只有 linear 或 bands 之一 / a field factor needs exactly one of linear or bands",
            );
            rule_ok = false;
        }
    }
    let linear = w.opt(path, t, "linear", |w, p, v| {
        let lt = w.table(p, v, &["floor", "full"])?;
        let floor = w.req(p, lt, "floor", Walker::decimal);
        let full = w.req(p, lt, "full", Walker::decimal);
        let (floor, full) = all!(floor, full)?;
        if full <= floor {
            w.report(
                &join(p, "full"),
                format!(
                    "满分值 {} 应大于零分值 {} / full ({}) must be greater than floor ({})",
                    show(full),
                    show(floor),
                    show(full),
                    show(floor)
                ),
            );
            return None;
        }
        Some(Linear { floor, full })
    });
    let linear_ok = !has_linear || linear.is_some();
    let bands = w.opt(path, t, "bands", |w, p, v| parse_bands(w, p, v, weight));
    let bands_ok = !has_bands || bands.is_some();
    let (id, name, weight, source) = all!(id, name, weight, source)?;
    if !(source_ok && rule_ok && linear_ok && bands_ok && name_en_ok) {
        return None;
    }
    Some(Factor {
        id,
        name,
        name_en,
        weight,
        source,
        linear,
        bands,
    })
}

fn parse_bands(
    w: &mut Walker,
    path: &str,
    v: &Value,
    weight: Option<Decimal>,
) -> Option<Vec<Band>> {
    let bands = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["at_least", "below", "points"])?;
        let at_least = w.req(p, t, "at_least", Walker::decimal);
        let below = w.opt(p, t, "below", Walker::decimal);
        let below_ok = !t.contains_key("below") || below.is_some();
        let points = w.req(p, t, "points", Walker::decimal);
        let points = points.filter(|pts| {
            w.check_range(&join(p, "points"), *pts, Decimal::ZERO, true, weight)
        });
        let (at_least, points) = all!(at_least, points)?;
        if let Some(b) = below {
            if b <= at_least {
                w.report(
                    &join(p, "below"),
                    format!(
                        "below {} 应大于 at_least {} / below ({}) must be greater than at_least ({})",
                        show(b),
                        show(at_least),
                        show(b),
                        show(at_least)
                    ),
                );
                return None;
            }
        }
        below_ok.then_some(Band {
            at_least,
            below,
            points,
        })
    })?;
    if bands.is_empty() {
        w.report(path, "至少需要一档 / at least one band is needed");
        return None;
    }
    let mut ok = true;
    for (i, pair) in bands.windows(2).enumerate() {
        let (prev, band) = (&pair[0], &pair[1]);
        let p = at(path, i + 1);
        if band.at_least <= prev.at_least {
            w.report(
                &p,
                format!(
                    "各档应从低到高排列：at_least {} 不大于上一档的 {} / bands must go from low to high: at_least {} is not above the previous band's {}",
                    show(band.at_least),
                    show(prev.at_least),
                    show(band.at_least),
                    show(prev.at_least)
                ),
            );
            ok = false;
            continue;
        }
        match prev.below {
            None => {
                w.report(
                    &at(path, i),
                    "只有最后一档可以不写 below / only the last band may leave out below",
                );
                ok = false;
            }
            Some(b) if band.at_least < b => {
                w.report(
                    &p,
                    format!(
                        "与上一档重叠：上一档到 {} 为止，本档从 {} 开始 / overlaps the previous band: it ends below {}, this one starts at {}",
                        show(b),
                        show(band.at_least),
                        show(b),
                        show(band.at_least)
                    ),
                );
                ok = false;
            }
            Some(b) if band.at_least > b => {
                w.report(
                    &p,
                    format!(
                        "与上一档之间有空档：{} 至 {} 的取值不在任何一档 / gap after the previous band: values from {} up to {} fall in no band",
                        show(b),
                        show(band.at_least),
                        show(b),
                        show(band.at_least)
                    ),
                );
                ok = false;
            }
            Some(_) => {}
        }
    }
    ok.then_some(bands)
}

fn parse_award(w: &mut Walker, path: &str, v: &Value, clause: Clause) -> Option<Award> {
    let Value::Table(t) = v else {
        w.wrong_type(path, "表", "a table", v);
        return None;
    };
    let method = w.req(path, t, "method", Walker::string)?;
    let Some((_, keys)) = AWARD_METHODS.iter().find(|(n, _)| *n == method) else {
        let names: Vec<&str> = AWARD_METHODS.iter().map(|(n, _)| *n).collect();
        w.report(
            &join(path, "method"),
            format!(
                "未知的计算方式“{method}”；可选：{} / unknown method \"{method}\"; expected one of: {}",
                names.join("、"),
                names.join(", ")
            ),
        );
        return None;
    };
    w.unknown_keys(path, t, keys);
    let cap = w
        .req(path, t, "cap", Walker::decimal)
        .filter(|d| w.check_range(&join(path, "cap"), *d, Decimal::ZERO, false, None));
    let limits = match t.get("limits") {
        Some(v) => w.tables(&join(path, "limits"), v, |w, p, v| {
            let lt = w.table(p, v, &["field", "share"])?;
            let field = w.req(p, lt, "field", Walker::string);
            let field_ok = field.as_ref().is_some_and(|name| {
                check_field(
                    w,
                    &join(p, "field"),
                    Some(clause),
                    name,
                    is_money,
                    "金额",
                    "money",
                )
                .is_some()
            });
            let share = w.req(p, lt, "share", Walker::decimal).filter(|d| {
                w.check_range(
                    &join(p, "share"),
                    *d,
                    Decimal::ZERO,
                    false,
                    Some(Decimal::ONE),
                )
            });
            let (field, share) = all!(field, share)?;
            field_ok.then_some(Limit { field, share })
        }),
        None => Some(Vec::new()),
    };
    match method.as_str() {
        "tiers" => {
            let tiers = w.req(path, t, "tiers", parse_tiers);
            let (cap, tiers, limits) = all!(cap, tiers, limits)?;
            Some(Award::Tiers { cap, tiers, limits })
        }
        "proportional" => {
            let pass_mark = w.req(path, t, "pass_mark", Walker::decimal).filter(|d| {
                w.check_range(
                    &join(path, "pass_mark"),
                    *d,
                    Decimal::ZERO,
                    true,
                    Some(dec(100)),
                )
            });
            let (cap, pass_mark, limits) = all!(cap, pass_mark, limits)?;
            Some(Award::Proportional {
                cap,
                pass_mark,
                limits,
            })
        }
        _ => {
            let rate = w.req(path, t, "rate", Walker::decimal).filter(|d| {
                w.check_range(
                    &join(path, "rate"),
                    *d,
                    Decimal::ZERO,
                    false,
                    Some(Decimal::ONE),
                )
            });
            let base = w.req(path, t, "base", Walker::string);
            let base_ok = base.as_ref().is_some_and(|name| {
                check_field(
                    w,
                    &join(path, "base"),
                    Some(clause),
                    name,
                    is_money,
                    "金额",
                    "money",
                )
                .is_some()
            });
            let (rate, base, cap, limits) = all!(rate, base, cap, limits)?;
            base_ok.then_some(Award::Rate {
                rate,
                base,
                cap,
                limits,
            })
        }
    }
}

fn parse_tiers(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<Tier>> {
    let tiers = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["min_score", "share"])?;
        let min_score = w.req(p, t, "min_score", Walker::decimal).filter(|d| {
            w.check_range(
                &join(p, "min_score"),
                *d,
                Decimal::ZERO,
                true,
                Some(dec(100)),
            )
        });
        let share = w.req(p, t, "share", Walker::decimal).filter(|d| {
            w.check_range(
                &join(p, "share"),
                *d,
                Decimal::ZERO,
                true,
                Some(Decimal::ONE),
            )
        });
        let (min_score, share) = all!(min_score, share)?;
        Some(Tier { min_score, share })
    })?;
    if tiers.is_empty() {
        w.report(path, "至少需要一档 / at least one tier is needed");
        return None;
    }
    let mut ok = true;
    for (i, pair) in tiers.windows(2).enumerate() {
        let (prev, tier) = (&pair[0], &pair[1]);
        if tier.min_score >= prev.min_score {
            w.report(
                &at(path, i + 1),
                format!(
                    "各档应从高分到低分排列：min_score {} 不低于上一档的 {} / tiers must go from the highest score down: min_score {} is not below the previous tier's {}",
                    show(tier.min_score),
                    show(prev.min_score),
                    show(tier.min_score),
                    show(prev.min_score)
                ),
            );
            ok = false;
        } else if tier.share > prev.share {
            w.report(
                &join(&at(path, i + 1), "share"),
                format!(
                    "低分档的比例 {} 高于上一档的 {} / a lower tier's share ({}) is above the previous tier's ({})",
                    show(tier.share),
                    show(prev.share),
                    show(tier.share),
                    show(prev.share)
                ),
            );
            ok = false;
        }
    }
    ok.then_some(tiers)
}

fn parse_wording(w: &mut Walker, path: &str, v: &Value) -> Option<Wording> {
    let t = w.table(
        path,
        v,
        &[
            "issuer",
            "issuer_short",
            "policy_name",
            "policy_short_name",
            "policy_doc_number",
            "parent_policy_names",
            "parent_policy_doc_number",
            "doc_number_prefix",
            "reconsideration_body",
            "remedy",
            "contact_phone",
            "signatory",
        ],
    )?;
    let book_title = |w: &mut Walker, p: &str, v: &Value| -> Option<String> {
        let s = w.string(p, v)?;
        if s.starts_with('《') && s.ends_with('》') {
            Some(s)
        } else {
            w.report(
                p,
                format!("政策名称应带书名号，如《…》：“{s}” / a policy name is written with 《》: \"{s}\""),
            );
            None
        }
    };
    let issuer = w.req(path, t, "issuer", Walker::string);
    let issuer_short = w.req(path, t, "issuer_short", Walker::string);
    let policy_name = w.req(path, t, "policy_name", book_title);
    let policy_short_name = w.req(path, t, "policy_short_name", book_title);
    let policy_doc_number = w.opt(path, t, "policy_doc_number", Walker::string);
    let policy_doc_ok = !t.contains_key("policy_doc_number") || policy_doc_number.is_some();
    let parent_policy_names = w.req(path, t, "parent_policy_names", |w, p, v| {
        let names = w.strings(p, v)?;
        if names.is_empty() {
            w.report(p, "不能为空 / must not be empty");
            return None;
        }
        let mut ok = true;
        for (i, n) in names.iter().enumerate() {
            let item = Value::String(n.clone());
            ok &= book_title(w, &at(p, i), &item).is_some();
        }
        ok.then_some(names)
    });
    let parent_policy_doc_number = w.opt(path, t, "parent_policy_doc_number", Walker::string);
    let parent_doc_ok =
        !t.contains_key("parent_policy_doc_number") || parent_policy_doc_number.is_some();
    let doc_number_prefix = w.req(path, t, "doc_number_prefix", Walker::string).filter(|s| {
        let bad = s.contains(['〔', '〕', '[', ']', '号']) || s.chars().any(|c| c.is_ascii_digit());
        if bad {
            w.report(
                &join(path, "doc_number_prefix"),
                "只写前缀（如 渝中大数据发），年份和序号由登记簿生成 / the prefix only (e.g. 渝中大数据发): the register adds 〔year〕N号",
            );
        }
        !bad
    });
    let reconsideration_body = w.req(path, t, "reconsideration_body", Walker::string);
    let remedy = w.req(path, t, "remedy", Walker::string);
    let mut remedy_ok = true;
    if let Some(r) = &remedy {
        let p = join(path, "remedy");
        for must in ["行政复议", "行政诉讼"] {
            if !r.contains(must) {
                w.report(
                    &p,
                    format!("救济途径告知应写明{must} / the remedy sentence must name {must}"),
                );
                remedy_ok = false;
            }
        }
        if let Some(body) = &reconsideration_body {
            if !r.contains(body.as_str()) {
                w.report(
                    &p,
                    format!("救济途径告知应写明复议机关“{body}” / the remedy sentence must name the reconsideration body \"{body}\""),
                );
                remedy_ok = false;
            }
        }
    }
    let contact_phone = w.req(path, t, "contact_phone", Walker::string).filter(|s| {
        let ok = s.chars().all(|c| c.is_ascii_digit() || c == '-')
            && s.chars().filter(char::is_ascii_digit).count() >= 7;
        if !ok {
            w.report(
                &join(path, "contact_phone"),
                format!("“{s}”不是电话号码（如 023-63768099） / \"{s}\" is not a telephone number (e.g. 023-63768099)"),
            );
        }
        ok
    });
    let signatory = w.req(path, t, "signatory", Walker::string);
    let (
        issuer,
        issuer_short,
        policy_name,
        policy_short_name,
        parent_policy_names,
        doc_number_prefix,
        reconsideration_body,
        remedy,
        contact_phone,
        signatory,
    ) = all!(
        issuer,
        issuer_short,
        policy_name,
        policy_short_name,
        parent_policy_names,
        doc_number_prefix,
        reconsideration_body,
        remedy,
        contact_phone,
        signatory
    )?;
    if !(policy_doc_ok && parent_doc_ok && remedy_ok) {
        return None;
    }
    Some(Wording {
        issuer,
        issuer_short,
        policy_name,
        policy_short_name,
        policy_doc_number,
        parent_policy_names,
        parent_policy_doc_number,
        doc_number_prefix,
        reconsideration_body,
        remedy,
        contact_phone,
        signatory,
    })
}

// ---------------------------------------------------------------------------
// serde helpers: Decimal as a string (integers accepted, floats refused),
// dates as YYYY-MM-DD (TOML dates accepted)
// ---------------------------------------------------------------------------

mod dec_serde {
    use rust_decimal::Decimal;
    use serde::de::{self, Unexpected, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecVisitor)
    }

    pub(super) struct DecVisitor;

    impl Visitor<'_> for DecVisitor {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number written as a string, or a whole number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            Decimal::from_str_exact(v.trim())
                .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::invalid_type(Unexpected::Float(v), &self))
        }
    }
}

mod opt_dec_serde {
    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptVisitor)
    }

    struct OptVisitor;

    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an optional decimal number written as a string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(super::dec_serde::DecVisitor).map(Some)
        }
    }
}

mod date_serde {
    use chrono::NaiveDate;
    use serde::de::{self, MapAccess, Unexpected, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.format("%Y-%m-%d").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_any(DateVisitor)
    }

    struct DateVisitor;

    impl<'de> Visitor<'de> for DateVisitor {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date such as 2026-03-01")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
        }
        /// A TOML date arrives as a one-entry map holding its text.
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
            match map.next_entry::<String, String>()? {
                Some((_, text)) => self.visit_str(&text),
                None => Err(de::Error::invalid_length(0, &self)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn serde_mirrors_the_file() {
        let g = shipped();
        // The derived Deserialize reads the file itself to the same guide.
        let via_serde: Guide = match toml::from_str(BUILTIN_2026) {
            Ok(g) => g,
            Err(e) => panic!("serde reading of the shipped guide: {e}"),
        };
        assert_eq!(via_serde, g);
        // JSON round trip (UI, store): amounts travel as strings.
        let json = match serde_json::to_string(&g) {
            Ok(j) => j,
            Err(e) => panic!("{e}"),
        };
        assert!(json.contains("\"cap\":\"2000000\""), "{json}");
        assert!(json.contains("\"window_open\":\"2026-03-01\""), "{json}");
        let back: Guide = match serde_json::from_str(&json) {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(back, g);
        // Written back as TOML, it loads through the validating reader.
        let toml_text = match toml::to_string(&g) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(load_guide(&toml_text), Ok(g));
        // The derived Deserialize refuses unknown keys and floats too.
        let unknown = edited(&[("year = 2026 ", "year = 2026\ncolour = \"red\" ")]);
        assert!(toml::from_str::<Guide>(&unknown).is_err());
        let float = edited(&[("cap = \"2000000\"   #", "cap = 2000000.0   #")]);
        assert!(toml::from_str::<Guide>(&float).is_err());
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
        check::<ListName>();
    }

    #[test]
    fn weights_must_sum_to_100() {
        one_problem(
            &[(
                "weight = \"15\"\nsource = \"新增就业\"",
                "weight = \"10\"\nsource = \"新增就业\"",
            )],
            "clauses.C1.factors",
            "weights sum to 95, expected 100",
        );
    }

    #[test]
    fn overlapping_bands() {
        one_problem(
            &[(
                "{ at_least = \"10000000\",  below = \"30000000\",  points = \"12\" }",
                "{ at_least = \"9000000\",  below = \"30000000\",  points = \"12\" }",
            )],
            "clauses.C1.factors[0].bands[1]",
            "overlaps",
        );
    }

    #[test]
    fn gap_between_bands() {
        one_problem(
            &[(
                "{ at_least = \"10000000\",  below = \"30000000\",  points = \"12\" }",
                "{ at_least = \"11000000\",  below = \"30000000\",  points = \"12\" }",
            )],
            "clauses.C1.factors[0].bands[1]",
            "gap",
        );
    }

    #[test]
    fn unsorted_bands() {
        one_problem(
            &[(
                "{ at_least = \"30\",  below = \"50\",  points = \"9\" }",
                "{ at_least = \"5\",  below = \"50\",  points = \"9\" }",
            )],
            "clauses.C1.factors[3].bands[2]",
            "low to high",
        );
    }

    #[test]
    fn open_band_not_last() {
        let found = problems(&edited(&[(
            "{ at_least = \"0\",   below = \"50\",  points = \"4\" }",
            "{ at_least = \"0\",  points = \"4\" }",
        )]));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "clauses.C1.factors[4].bands[0]");
        assert!(found[0].message.contains("only the last band"));
    }

    #[test]
    fn band_points_above_weight() {
        one_problem(
            &[(
                "{ at_least = \"500\",                points = \"20\" }",
                "{ at_least = \"500\",                points = \"25\" }",
            )],
            "clauses.C1.factors[4].bands[4].points",
            "at most 20",
        );
    }

    #[test]
    fn cap_not_a_number() {
        one_problem(
            &[("cap = \"2000000\"   #", "cap = \"两百万\"   #")],
            "clauses.C1.award.cap",
            "is not a number",
        );
        one_problem(
            &[("cap = \"2000000\"   #", "cap = \"2,000,000\"   #")],
            "clauses.C1.award.cap",
            "is not a number",
        );
        one_problem(
            &[("cap = \"2000000\"   #", "cap = true   #")],
            "clauses.C1.award.cap",
            "found 布尔值 boolean",
        );
        one_problem(
            &[("cap = \"2000000\"   #", "cap = \"0\"   #")],
            "clauses.C1.award.cap",
            "greater than 0",
        );
    }

    #[test]
    fn floats_are_refused_integers_accepted() {
        one_problem(
            &[(
                "{ min_score = \"80\", share = \"0.8\" }",
                "{ min_score = \"80\", share = 0.8 }",
            )],
            "clauses.C1.award.tiers[1].share",
            "in quotes",
        );
        // A bare integer is exact, and accepted.
        let text = edited(&[("cap = \"2000000\"   #", "cap = 2000000   #")]);
        assert_eq!(load_guide(&text), Ok(shipped()));
    }

    #[test]
    fn unknown_clause() {
        let text = format!("{BUILTIN_2026}\n[clauses.C5]\narticle = \"第五条\"\nname = \"其他\"\n");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "clauses.C5");
        assert!(found[0].message.contains("unknown clause"));
    }

    #[test]
    fn tier_share_outside_0_1() {
        one_problem(
            &[(
                "{ min_score = \"90\", share = \"1\" }",
                "{ min_score = \"90\", share = \"1.2\" }",
            )],
            "clauses.C1.award.tiers[0].share",
            "at most 1",
        );
        one_problem(
            &[(
                "{ min_score = \"90\", share = \"1\" }",
                "{ min_score = \"90\", share = \"-0.1\" }",
            )],
            "clauses.C1.award.tiers[0].share",
            "at least 0",
        );
    }

    #[test]
    fn tiers_out_of_order() {
        one_problem(
            &[(
                "{ min_score = \"70\", share = \"0.6\" }",
                "{ min_score = \"85\", share = \"0.6\" }",
            )],
            "clauses.C1.award.tiers[2]",
            "highest score down",
        );
        one_problem(
            &[(
                "{ min_score = \"70\", share = \"0.6\" }",
                "{ min_score = \"70\", share = \"0.9\" }",
            )],
            "clauses.C1.award.tiers[2].share",
            "lower tier",
        );
    }

    #[test]
    fn unknown_field_names() {
        one_problem(
            &[("source = \"项目总投资\"", "source = \"项目总额\"")],
            "clauses.C1.factors[0].source",
            "unknown field \"项目总额\"",
        );
        // A field of another clause is unknown here.
        one_problem(
            &[("source = \"项目总投资\"", "source = \"算力费用\"")],
            "clauses.C1.factors[0].source",
            "unknown field",
        );
        // A text field cannot be scored.
        one_problem(
            &[("source = \"项目总投资\"", "source = \"建设地址\"")],
            "clauses.C1.factors[0].source",
            "not a numeric field",
        );
        one_problem(
            &[(
                "{ field = \"项目总投资\", share = \"0.1\" }",
                "{ field = \"总投资\", share = \"0.1\" }",
            )],
            "clauses.C1.award.limits[0].field",
            "unknown field",
        );
        one_problem(
            &[("base = \"资助到账金额\"", "base = \"到账日期\"")],
            "clauses.C2a.award.base",
            "not a money field",
        );
        one_problem(
            &[(
                "{ test = \"in_data_year\", field = \"到账日期\" }",
                "{ test = \"in_data_year\", field = \"立项文号\" }",
            )],
            "clauses.C2a.eligibility.conditions[1].field",
            "not a date field",
        );
        one_problem(
            &[(
                "{ test = \"equals\", field = \"信用承诺\", value = \"是\" }",
                "{ test = \"equals\", field = \"建设地址\", value = \"是\" }",
            )],
            "eligibility.conditions[0].field",
            "unknown field",
        );
    }

    #[test]
    fn required_fields() {
        let text = edited(&[(
            "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]",
            "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]\nrequired_fields = [\"项目总投资\", \"新增就业\"]",
        )]);
        let g = load_guide(&text);
        assert_eq!(
            g.map(|g| g.clauses[&Clause::C3].eligibility.required_fields.clone()),
            Ok(vec!["项目总投资".to_string(), "新增就业".to_string()])
        );
        one_problem(
            &[(
                "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]",
                "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]\nrequired_fields = [\"项目营业收入\"]",
            )],
            "clauses.C3.eligibility.required_fields[0]",
            "unknown field",
        );
    }

    #[test]
    fn condition_values_must_be_choices() {
        one_problem(
            &[(
                "values = [\"国家级\", \"市级\"]",
                "values = [\"国家级\", \"省级\"]",
            )],
            "clauses.C2a.eligibility.conditions[0].values[1]",
            "not a choice",
        );
        one_problem(
            &[(
                "{ test = \"equals\", field = \"信用承诺\", value = \"是\" }",
                "{ test = \"equals\", field = \"信用承诺\", value = \"yes\" }",
            )],
            "eligibility.conditions[0].value",
            "not a choice",
        );
        one_problem(
            &[("{ test = \"one_time\" },", "{ test = \"once\" },")],
            "clauses.C1.eligibility.conditions[1].test",
            "unknown test",
        );
        one_problem(
            &[(
                "{ test = \"one_time\" },",
                "{ test = \"one_time\", field = \"建设地址\" },",
            )],
            "clauses.C1.eligibility.conditions[1].field",
            "unknown key",
        );
        one_problem(
            &[(
                "list = \"certified_platforms\" },",
                "list = \"platforms\" },",
            )],
            "clauses.C3.eligibility.conditions[0].list",
            "unknown value",
        );
        one_problem(
            &[(
                "applicant_types = [\"企业\", \"国有企业\"]",
                "applicant_types = [\"企业\", \"公司\"]",
            )],
            "clauses.C1.eligibility.applicant_types[1]",
            "not an applicant type",
        );
    }

    #[test]
    fn missing_wording_blocks() {
        let remedy_line = BUILTIN_2026
            .lines()
            .find(|l| l.starts_with("remedy = "))
            .unwrap_or("remedy = ");
        one_problem(
            &[(remedy_line, "")],
            "wording.remedy",
            "missing required key",
        );
        one_problem(
            &[("contact_phone = \"023-63768099\"", "")],
            "wording.contact_phone",
            "missing",
        );
        one_problem(
            &[(
                "policy_name = \"《渝中区促进算力经济高质量发展若干政策（试行）》\"",
                "policy_name = \"渝中区促进算力经济高质量发展若干政策（试行）\"",
            )],
            "wording.policy_name",
            "《》",
        );
        one_problem(
            &[(
                "向重庆市渝中区人民政府申请行政复议",
                "向上级机关申请行政复议",
            )],
            "wording.remedy",
            "重庆市渝中区人民政府",
        );
        one_problem(
            &[(
                "signatory = \"重庆市渝中区大数据应用发展管理局\"",
                "signatory = \"\"",
            )],
            "wording.signatory",
            "must not be empty",
        );
        one_problem(
            &[(
                "doc_number_prefix = \"渝中大数据发\"",
                "doc_number_prefix = \"渝中大数据发〔2026〕\"",
            )],
            "wording.doc_number_prefix",
            "prefix only",
        );
    }

    #[test]
    fn unknown_keys_refused() {
        one_problem(
            &[("year = 2026 ", "year = 2026\ncolour = \"red\" ")],
            "round.colour",
            "unknown key",
        );
        one_problem(
            &[("format = 1\n", "format = 1\nedition = 2\n")],
            "edition",
            "unknown key",
        );
        // A misspelt key is unknown, and the key it should have been is missing.
        let found = problems(&edited(&[(
            "id = \"jobs\"\nname = \"就业贡献\"\nname_en = \"New jobs\"\nweight = \"15\"",
            "id = \"jobs\"\nname = \"就业贡献\"\nname_en = \"New jobs\"\nwieght = \"15\"",
        )]));
        let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "clauses.C1.factors[1].wieght",
                "clauses.C1.factors[1].weight"
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn round_checks() {
        one_problem(
            &[("data_year = 2025", "data_year = 2024")],
            "round.data_year",
            "year before the round",
        );
        one_problem(
            &[("window_close = 2026-04-30", "window_close = 2026-02-01")],
            "round.window_close",
            "closes",
        );
        one_problem(
            &[("window_open = 2026-03-01", "window_open = \"2026-02-30\"")],
            "round.window_open",
            "expected a date",
        );
        one_problem(
            &[("# budget = \"10000000\"", "budget = \"-5\"")],
            "round.budget",
            "greater than 0",
        );
        let with_budget = edited(&[("# budget = \"10000000\"", "budget = \"10000000\"")]);
        let g = load_guide(&with_budget);
        assert_eq!(g.map(|g| g.round.budget), Ok(Some(d("10000000"))));
    }

    #[test]
    fn budget_and_pro_rata() {
        one_problem(
            &[("# budget = \"10000000\"", "budget = \"10000000.005\"")],
            "round.budget",
            "whole fen",
        );
        one_problem(
            &[("budget_overrun = \"flag\"", "budget_overrun = \"pro_rata\"")],
            "round.budget_overrun",
            "needs a budget",
        );
        one_problem(
            &[("budget_overrun = \"flag\"", "budget_overrun = \"prorata\"")],
            "round.budget_overrun",
            "pro_rata",
        );
        let g = load_guide(&edited(&[
            ("# budget = \"10000000\"", "budget = \"10000000.50\""),
            ("budget_overrun = \"flag\"", "budget_overrun = \"pro_rata\""),
        ]));
        assert_eq!(
            g.map(|g| (g.round.budget, g.round.budget_overrun)),
            Ok((Some(d("10000000.50")), BudgetOverrun::ProRata))
        );
    }

    #[test]
    fn factor_english_names() {
        let g = load_guide(BUILTIN_2026);
        let names = g.map(|g| {
            g.clauses[&Clause::C1].factors[0]
                .name_en
                .clone()
                .unwrap_or_default()
        });
        assert_eq!(names.as_deref(), Ok("Investment scale"));
        one_problem(
            &[(
                "name_en = \"New jobs\"\nweight = \"15\"",
                "name_en = \"\"\nweight = \"15\"",
            )],
            "clauses.C1.factors[1].name_en",
            "must not be empty",
        );
    }

    #[test]
    fn factor_rule_shape() {
        one_problem(
            &[(
                "weight = \"30\"\nsource = \"panel\"",
                "weight = \"30\"\nsource = \"panel\"\nlinear = { floor = \"0\", full = \"10\" }",
            )],
            "clauses.C2b.factors[1]",
            "panel factor",
        );
        one_problem(
            &[("linear = { floor = \"0\", full = \"50\" }\n", "")],
            "clauses.C1.factors[1]",
            "exactly one of linear or bands",
        );
        one_problem(
            &[(
                "linear = { floor = \"0\", full = \"50\" }",
                "linear = { floor = \"50\", full = \"50\" }",
            )],
            "clauses.C1.factors[1].linear.full",
            "greater than floor",
        );
    }

    #[test]
    fn other_enums_and_settings() {
        one_problem(
            &[("other_support = \"top_up\"", "other_support = \"stack\"")],
            "highest_only.other_support",
            "zero_if_other_higher",
        );
        one_problem(
            &[("unit = \"0.01\"", "unit = \"0.05\"")],
            "rounding.unit",
            "0.01",
        );
        one_problem(
            &[("method = \"mean\"", "method = \"median\"")],
            "panel.drop_high_low_from",
            "mean",
        );
        one_problem(
            &[("dp = 2", "dp = 9")],
            "score_rounding.dp",
            "between 0 and 6",
        );
        let zero_if = edited(&[(
            "other_support = \"top_up\"",
            "other_support = \"zero_if_other_higher\"",
        )]);
        assert_eq!(
            load_guide(&zero_if).map(|g| g.highest_only.other_support),
            Ok(OtherSupport::ZeroIfOtherHigher)
        );
    }

    #[test]
    fn lists() {
        one_problem(
            &[(
                "\"西部数据交易中心算力服务平台\",",
                "\"渝中区公共算力服务平台\",",
            )],
            "certified_platforms[2]",
            "duplicate",
        );
        one_problem(
            &[(
                "members = [\"数字经济\", \"人工智能\", \"算力\"]",
                "members = [\"数字经济\", \"金融服务\", \"算力\"]",
            )],
            "industry_groups[3].members[1]",
            "already in group",
        );
    }

    #[test]
    fn rate_clause_has_no_factors_and_scored_clause_needs_them() {
        let text = format!(
            "{BUILTIN_2026}\n[[clauses.C2a.factors]]\nid = \"x\"\nname = \"x\"\nweight = \"100\"\nsource = \"panel\"\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "clauses.C2a.factors");
    }

    #[test]
    fn every_problem_in_one_pass() {
        // Three faults in different parts of the file: three problems.
        let found = problems(&edited(&[
            (
                "weight = \"15\"\nsource = \"新增就业\"",
                "weight = \"10\"\nsource = \"新增就业\"",
            ),
            ("cap = \"1000000\"   #", "cap = \"一百万\"   #"),
            ("contact_phone = \"023-63768099\"", ""),
        ]));
        let paths: BTreeSet<&str> = found.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(
            paths,
            BTreeSet::from([
                "clauses.C1.factors",
                "clauses.C3.award.cap",
                "wording.contact_phone"
            ])
        );
        // Faults that hide nothing from each other: five more at once.
        let found = problems(&edited(&[
            ("year = 2026 ", "year = 2026\ncolour = \"red\" "),
            ("data_year = 2025", "data_year = 2020"),
            (
                "{ min_score = \"90\", share = \"1\" }",
                "{ min_score = \"90\", share = \"1.2\" }",
            ),
            ("source = \"项目总投资\"", "source = \"项目总额\""),
            ("mode = \"half_up\"", "mode = \"up\""),
        ]));
        assert_eq!(found.len(), 5, "{found:#?}");
    }

    #[test]
    fn syntax_error_names_the_line() {
        let text = edited(&[("title = ", "title == ")]);
        let line = text
            .lines()
            .position(|l| l.starts_with("title == "))
            .map_or(0, |i| i + 1);
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "");
        assert!(
            found[0].message.contains(&format!("line {line},")),
            "{}",
            found[0].message
        );
        let found = problems("");
        assert!(found
            .iter()
            .any(|p| p.path == "round" && p.message.contains("missing")));
    }

    #[test]
    fn windows_editors_files_load() {
        // Saved by Notepad: CRLF line ends and a byte-order mark.
        let crlf = BUILTIN_2026.replace('\n', "\r\n");
        assert_eq!(load_guide(&crlf), Ok(shipped()));
        let bom = format!("\u{feff}{BUILTIN_2026}");
        assert_eq!(load_guide(&bom), Ok(shipped()));
        // The version is still the hash of the exact bytes.
        assert_ne!(content_hash(&bom), content_hash(BUILTIN_2026));
    }

    #[test]
    fn problems_become_an_engine_error() {
        let found = problems(&edited(&[("data_year = 2025", "data_year = 2020")]));
        let err = problems_error(&found);
        assert_eq!(err.code(), "guide_invalid");
        assert!(err.to_string().contains("round.data_year: "));
    }

    #[test]
    fn field_catalogue() {
        assert_eq!(
            find_field(Some(Clause::C3), "上年度营业收入").map(|(s, d)| (s, d.kind)),
            Some((FieldScope::Applicant, Kind::MoneyWan))
        );
        assert_eq!(
            find_field(Some(Clause::C3), "算力费用").map(|(s, _)| s),
            Some(FieldScope::Project)
        );
        assert_eq!(find_field(Some(Clause::C1), "算力费用"), None);
        assert_eq!(find_field(None, "项目总投资"), None);
    }
}
