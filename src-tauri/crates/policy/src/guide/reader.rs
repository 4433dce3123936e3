//! The reader's core: a walk over the TOML tree that collects every problem
//! with its key path instead of stopping at the first.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::{Table, Value};

use reviewdesk_domain::money::RoundingMode;

use super::model::{BudgetOverrun, ListName, OtherSupport, PanelMethod, PanelTrim, WithinPolicy};
use super::GuideProblem;

#[derive(Default)]
pub(super) struct Walker {
    pub(super) problems: Vec<GuideProblem>,
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn at(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

pub(super) fn type_name(v: &Value) -> &'static str {
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
pub(super) fn show(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Enums spelled by name in the file.
pub(super) trait Named: Copy + 'static {
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
impl Named for PanelTrim {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("per_total", PanelTrim::PerTotal),
        ("per_factor", PanelTrim::PerFactor),
    ];
}
impl Named for ListName {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("certified_platforms", ListName::CertifiedPlatforms),
        ("industry_groups", ListName::IndustryGroups),
    ];
}

/// The kinds of condition, as spelled in `test = "…"`, with the keys each takes.
pub(super) const CONDITION_TESTS: &[(&str, &[&str])] = &[
    ("equals", &["test", "field", "value"]),
    ("contains", &["test", "field", "value"]),
    ("one_of", &["test", "field", "values"]),
    ("in_data_year", &["test", "field"]),
    ("by_data_year", &["test", "field"]),
    ("on_list", &["test", "field", "list"]),
    ("one_time", &["test"]),
];

/// The award methods, as spelled in `method = "…"`, with the keys each takes.
pub(super) const AWARD_METHODS: &[(&str, &[&str])] = &[
    ("tiers", &["method", "cap", "tiers", "limits"]),
    ("proportional", &["method", "cap", "pass_mark", "limits"]),
    ("rate", &["method", "rate", "base", "cap", "limits"]),
];

impl Walker {
    pub(super) fn report(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(GuideProblem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    pub(super) fn unknown_keys(&mut self, path: &str, t: &Table, allowed: &[&str]) {
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
    pub(super) fn table<'a>(
        &mut self,
        path: &str,
        v: &'a Value,
        allowed: &[&str],
    ) -> Option<&'a Table> {
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
    pub(super) fn req<'a, T>(
        &mut self,
        path: &str,
        t: &'a Table,
        key: &str,
        conv: impl FnOnce(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<T> {
        if !t.contains_key(key) {
            self.report(&join(path, key), "缺少必填项 / missing required key");
        }
        self.opt(path, t, key, conv)
    }

    /// An optional key, converted with `conv` (`None` when absent or wrong;
    /// a wrong value is reported).
    pub(super) fn opt<'a, T>(
        &mut self,
        path: &str,
        t: &'a Table,
        key: &str,
        conv: impl FnOnce(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<T> {
        let p = join(path, key);
        t.get(key).and_then(|v| conv(self, &p, v))
    }

    pub(super) fn wrong_type(
        &mut self,
        path: &str,
        expected_zh: &str,
        expected_en: &str,
        v: &Value,
    ) {
        let found = type_name(v);
        self.report(
            path,
            format!("应为{expected_zh}，实为{found} / expected {expected_en}, found {found}"),
        );
    }

    /// A non-empty string without surrounding spaces.
    pub(super) fn string(&mut self, path: &str, v: &Value) -> Option<String> {
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
    pub(super) fn strings(&mut self, path: &str, v: &Value) -> Option<Vec<String>> {
        let mut seen = BTreeSet::new();
        self.items(
            path,
            v,
            ("字符串数组", "an array of strings"),
            |w, p, item| {
                let s = w.string(p, item)?;
                if seen.insert(s.clone()) {
                    return Some(s);
                }
                w.report(p, format!("重复的取值“{s}” / duplicate value \"{s}\""));
                None
            },
        )
    }

    /// An exact decimal: a quoted string or a bare integer, never a float.
    pub(super) fn decimal(&mut self, path: &str, v: &Value) -> Option<Decimal> {
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

    pub(super) fn integer(&mut self, path: &str, v: &Value) -> Option<i64> {
        match v {
            Value::Integer(i) => Some(*i),
            other => {
                self.wrong_type(path, "整数", "a whole number", other);
                None
            }
        }
    }

    /// A whole number within `lo..=hi`.
    pub(super) fn int_in(&mut self, path: &str, v: &Value, lo: i64, hi: i64) -> Option<i64> {
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
    pub(super) fn date(&mut self, path: &str, v: &Value) -> Option<NaiveDate> {
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

    pub(super) fn named<T: Named>(&mut self, path: &str, v: &Value) -> Option<T> {
        let names: Vec<&str> = T::NAMES.iter().map(|(n, _)| *n).collect();
        let Value::String(s) = v else {
            self.wrong_type(path, "字符串", "a string", v);
            return None;
        };
        let found = T::NAMES.iter().find(|(n, _)| *n == s.as_str());
        if found.is_none() {
            self.unknown_choice(path, ("取值", "value"), s, &names);
        }
        found.map(|(_, x)| *x)
    }

    /// Reports `value` as not one of `names`: 未知的取值“x”；可选：… / unknown
    /// value "x"; expected one of: … (`what` names the kind, zh and en).
    pub(super) fn unknown_choice(
        &mut self,
        path: &str,
        (what_zh, what_en): (&str, &str),
        value: &str,
        names: &[&str],
    ) {
        self.report(
            path,
            format!(
                "未知的{what_zh}“{value}”；可选：{} / unknown {what_en} \"{value}\"; expected one of: {}",
                names.join("、"),
                names.join(", ")
            ),
        );
    }

    /// A table whose key `tag` says which of `kinds` it is (a condition's
    /// `test`, an award's `method`): the table and the kind's name, with the
    /// keys that kind takes checked. `what` names the tag in messages.
    pub(super) fn tagged<'a>(
        &mut self,
        path: &str,
        v: &'a Value,
        tag: &str,
        what_zh: &str,
        kinds: &[(&str, &[&str])],
    ) -> Option<(&'a Table, String)> {
        let t = self.any_table(path, v)?;
        let kind = self.req(path, t, tag, Walker::string)?;
        let Some((_, keys)) = kinds.iter().find(|(n, _)| *n == kind) else {
            let names: Vec<&str> = kinds.iter().map(|(n, _)| *n).collect();
            self.unknown_choice(&join(path, tag), (what_zh, tag), &kind, &names);
            return None;
        };
        self.unknown_keys(path, t, keys);
        Some((t, kind))
    }

    /// A table at `path` whose keys the caller checks.
    pub(super) fn any_table<'a>(&mut self, path: &str, v: &'a Value) -> Option<&'a Table> {
        let Value::Table(t) = v else {
            self.wrong_type(path, "表", "a table", v);
            return None;
        };
        Some(t)
    }

    /// An array of tables, each converted with `conv`; `None` if any fails.
    pub(super) fn tables<'a, T>(
        &mut self,
        path: &str,
        v: &'a Value,
        conv: impl FnMut(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.items(path, v, ("数组", "an array"), conv)
    }

    /// An optional key converted with `conv`: `Some(None)` when absent,
    /// `None` when present but wrong (reported).
    pub(super) fn maybe<'a, T>(
        &mut self,
        path: &str,
        t: &'a Table,
        key: &str,
        conv: impl FnOnce(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<Option<T>> {
        match t.get(key) {
            Some(v) => conv(self, &join(path, key), v).map(Some),
            None => Some(None),
        }
    }

    /// An optional array of tables (absent = empty), as [`Walker::tables`].
    pub(super) fn opt_tables<'a, T>(
        &mut self,
        path: &str,
        t: &'a Table,
        key: &str,
        conv: impl FnMut(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.maybe(path, t, key, |w, p, v| w.tables(p, v, conv))
            .map(Option::unwrap_or_default)
    }

    /// An array (`expected` names it in a wrong-type message), each item
    /// converted with `conv`; every item is read, `None` if any fails.
    fn items<'a, T>(
        &mut self,
        path: &str,
        v: &'a Value,
        (expected_zh, expected_en): (&str, &str),
        mut conv: impl FnMut(&mut Walker, &str, &'a Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Array(items) = v else {
            self.wrong_type(path, expected_zh, expected_en, v);
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

    /// A required decimal key within a range (see [`Walker::check_range`]).
    pub(super) fn req_in(
        &mut self,
        path: &str,
        t: &Table,
        key: &str,
        lo: Decimal,
        lo_inclusive: bool,
        hi: Option<Decimal>,
    ) -> Option<Decimal> {
        let d = self.req(path, t, key, Walker::decimal)?;
        self.check_range(&join(path, key), d, lo, lo_inclusive, hi)
            .then_some(d)
    }

    /// A decimal within `lo..=hi` (bounds inclusive unless said otherwise).
    pub(super) fn check_range(
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
        let d = show(d);
        self.report(
            path,
            format!("应{range_zh}，实为 {d} / must be {range_en}, found {d}"),
        );
        false
    }
}

pub(super) fn dec(i: i64) -> Decimal {
    Decimal::from(i)
}
