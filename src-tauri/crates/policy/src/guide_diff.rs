//! What changed between two versions of a guide, key by key, for the
//! reviewer who is about to bind a round to a new version (and for
//! `reviewdesk guide diff`). Comments and layout are not changes; values are
//! compared as the guide parser reads them.
//!
//! Paths name keys as the file does (`clauses.C2a.cap`); entries of a list of
//! tables are named by their `id` (factors), `clause` or `name` (industry
//! groups) when they have one, by position otherwise, so that inserting a
//! factor does not make every later one look changed.

use serde::Serialize;
use toml::Value;

use reviewdesk_domain::{DomainError, Result};

/// One changed key: the value before and after (`None`: absent on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GuideChange {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The changes from `old` to `new` (both guide files as text), in key order
/// within each table (removed keys after the kept ones).
pub fn diff_guides(old: &str, new: &str) -> Result<Vec<GuideChange>> {
    let parse = |which: &str, text: &str| -> Result<Value> {
        toml::from_str::<Value>(text).map_err(|e| {
            DomainError::Invalid(format!(
                "{which}不是有效的 TOML：{e} / the {which_en} guide is not valid TOML: {e}",
                which_en = if which == "原指南" { "old" } else { "new" }
            ))
        })
    };
    let a = parse("原指南", old)?;
    let b = parse("新指南", new)?;
    let mut out = Vec::new();
    walk("", Some(&a), Some(&b), &mut out);
    Ok(out)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<GuideChange>) {
    match (a, b) {
        (Some(Value::Table(x)), Some(Value::Table(y))) => {
            for (k, vb) in y {
                walk(&join(path, k), x.get(k), Some(vb), out);
            }
            for (k, va) in x {
                if !y.contains_key(k) {
                    walk(&join(path, k), Some(va), None, out);
                }
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) if keyed(x) && keyed(y) => {
            for vb in y {
                let k = key_of(vb).unwrap_or_default();
                let va = x.iter().find(|v| key_of(v).as_deref() == Some(k.as_str()));
                walk(&format!("{path}[{k}]"), va, Some(vb), out);
            }
            for va in x {
                let k = key_of(va).unwrap_or_default();
                if !y.iter().any(|v| key_of(v).as_deref() == Some(k.as_str())) {
                    walk(&format!("{path}[{k}]"), Some(va), None, out);
                }
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y)))
            if x.len() == y.len() && x.iter().chain(y).all(Value::is_table) =>
        {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                walk(&format!("{path}[{}]", i + 1), Some(va), Some(vb), out);
            }
        }
        (Some(x), Some(y)) if x == y => {}
        (None, None) => {}
        (x, y) => out.push(GuideChange {
            path: path.to_string(),
            old: x.map(show),
            new: y.map(show),
        }),
    }
}

/// A list of tables whose entries all carry a distinct name.
fn keyed(list: &[Value]) -> bool {
    let keys: Vec<String> = list.iter().filter_map(key_of).collect();
    !list.is_empty() && keys.len() == list.len() && {
        let mut k = keys.clone();
        k.sort();
        k.dedup();
        k.len() == keys.len()
    }
}

fn key_of(v: &Value) -> Option<String> {
    let t = v.as_table()?;
    ["id", "clause", "name"]
        .iter()
        .find_map(|k| t.get(*k).and_then(Value::as_str).map(str::to_string))
}

/// A value as the reviewer reads it: strings without quotes, lists and
/// tables in TOML's inline form.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::Table(t) => format!(
            "{{ {} }}",
            t.iter()
                .map(|(k, v)| format!("{k} = {}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> &'static str {
        crate::guide::builtin(2026).expect("2026 guide").0
    }

    #[test]
    fn comments_and_layout_are_not_changes() {
        let text = shipped();
        let reflowed: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(diff_guides(text, &reflowed).unwrap(), vec![]);
    }

    #[test]
    fn a_changed_cap_an_added_platform_and_a_changed_factor_are_named_by_path() {
        let old = shipped();
        let new = old
            .replacen(
                "\"渝中区公共算力服务平台\",",
                "\"渝中区公共算力服务平台\",\n  \"解放碑算力中心\",",
                1,
            )
            .replacen(
                "weight = \"30\"\nsource = \"项目总投资\"",
                "weight = \"25\"\nsource = \"项目总投资\"",
                1,
            );
        let changes = diff_guides(old, &new).unwrap();
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "certified_platforms",
                "clauses.C1.factors[investment].weight"
            ],
            "{changes:#?}"
        );
        let w = &changes[1];
        assert_eq!(
            (w.old.as_deref(), w.new.as_deref()),
            (Some("30"), Some("25"))
        );
        assert!(changes[0]
            .new
            .as_deref()
            .is_some_and(|n| n.contains("解放碑算力中心")));
    }

    #[test]
    fn removed_and_added_keys_show_the_missing_side_as_absent() {
        let changes = diff_guides("a = 1\nb = \"x\"\n", "a = 1\nc = 2\n").unwrap();
        assert_eq!(
            changes,
            vec![
                GuideChange {
                    path: "c".into(),
                    old: None,
                    new: Some("2".into())
                },
                GuideChange {
                    path: "b".into(),
                    old: Some("x".into()),
                    new: None
                },
            ]
        );
    }

    #[test]
    fn not_toml_is_an_error_that_says_which_side() {
        let e = diff_guides("a = 1", "a = ").unwrap_err().to_string();
        assert!(e.contains("新指南"), "{e}");
    }
}
