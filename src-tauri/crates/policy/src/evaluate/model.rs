//! What an evaluation reads (reviewers' inputs, [`Inputs`]) and what it
//! returns ([`Evaluation`]: per project the rule checks, factor scores,
//! award and explanation lines). Stored as JSON: fields added later carry
//! serde defaults so older figures still read.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::guide::{Clause, Guide};
use reviewdesk_intake::extract::Extraction;

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
    /// The submission's receipt date (受理日期; a corrected version keeps
    /// the first version's), for the application window. None: not
    /// recorded (the rule says so and does not fail).
    pub received: Option<chrono::NaiveDate>,
    /// The round's managed lists an administrator imported (none: the
    /// guide's lists and the applicant's own declarations as before).
    pub lists: &'a RoundLists,
}

/// One managed list of a round as imported: the file's name, its content
/// hash (SHA-256 of the file's bytes, what the evaluation read) and rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ManagedList<T> {
    pub file: String,
    pub hash: String,
    pub entries: Vec<T>,
}

impl<T> ManagedList<T> {
    /// The list as an explanation names it: file and the hash's first 12
    /// hex digits.
    pub fn named(&self) -> String {
        let short: String = self.hash.chars().take(12).collect();
        format!("{} sha256:{short}", self.file)
    }
}

/// A row of the credit blacklist (失信名单); the file's other columns kept
/// as evidence (header → value).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BlacklistEntry {
    pub credit_code: String,
    pub name: String,
    /// Spreadsheet row (1-based) in the imported file.
    pub row: u32,
    #[serde(default)]
    pub evidence: Vec<(String, String)>,
}

/// A certified public compute platform (C3), with its certification when
/// the file gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlatformEntry {
    pub name: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
}

/// A project of the AI+ scenario library (C4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LibraryEntry {
    pub project: String,
    pub owner: String,
}

/// A row of another policy's payment ledger: support paid to `credit_code`
/// for `project` under `policy` in `year` (`amount_wan` 万元).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OtherPolicyEntry {
    pub credit_code: String,
    pub project: String,
    pub policy: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount_wan: Decimal,
    pub year: i32,
    pub row: u32,
}

/// The managed lists of a round (each absent until imported).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoundLists {
    pub blacklist: Option<ManagedList<BlacklistEntry>>,
    pub platforms: Option<ManagedList<PlatformEntry>>,
    pub aiplus: Option<ManagedList<LibraryEntry>>,
    pub other_policy: Option<ManagedList<OtherPolicyEntry>>,
}

impl RoundLists {
    /// Each imported list's kind and content hash, as the evaluation read
    /// them (stored beside the evaluation).
    pub fn hashes(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut add = |k, h: Option<&String>| {
            if let Some(h) = h {
                out.push((k, h.clone()));
            }
        };
        add("blacklist", self.blacklist.as_ref().map(|l| &l.hash));
        add("platforms", self.platforms.as_ref().map(|l| &l.hash));
        add("aiplus", self.aiplus.as_ref().map(|l| &l.hash));
        add("other-policy", self.other_policy.as_ref().map(|l| &l.hash));
        out
    }
}

/// One eligibility rule's outcome. `rule` and `reason` are Chinese;
/// `rule_en` and `reason_en` say the same in English (values quoted from the
/// workbook or the guide stay as written).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub overruled: Option<String>,
}

/// One explanation line: a label and a value as shown, in Chinese
/// (`label`, `value`) and English (`label_en`, `value_en`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Line {
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default)]
    pub value_en: String,
}

/// One reviewer's total over a project's factors (the automatic factors'
/// points plus this reviewer's panel points), for the disagreement check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewerTotal {
    pub reviewer: String,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub total: Decimal,
}

/// One factor's scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FactorScore {
    pub id: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub weight: Decimal,
    /// The value used (certified if any), as shown; None for panel factors.
    pub value: Option<String>,
    pub source_cell: Option<String>,
    pub certified: bool,
    /// Points after score rounding; None while a panel score is missing.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectResult {
    pub clause: Clause,
    pub name: String,
    pub eligible: bool,
    pub eligibility: Vec<RuleCheck>,
    pub factors: Vec<FactorScore>,
    /// Total score (rounded per the guide) for scored clauses.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub score: Option<Decimal>,
    /// This clause's award before 就高不重复 and other support (after caps,
    /// limits); None while a needed panel score is missing.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub computed_yuan: Option<Decimal>,
    /// Final award (0 when ineligible or superseded); None while pending.
    #[serde(with = "crate::evaluate::yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Flag {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub message_en: String,
}

/// One applicant's evaluation in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evaluation {
    pub credit_code: Option<String>,
    pub round: i32,
    pub guide: String,
    pub projects: Vec<ProjectResult>,
    pub flags: Vec<Flag>,
    #[serde(with = "yuan_option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
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
