//! The letters' wording that changes by year.

use toml::Value;

use super::model::Wording;
use super::reader::{at, join, Walker};

pub(super) fn parse_wording(w: &mut Walker, path: &str, v: &Value) -> Option<Wording> {
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
    let issuer = w.req(path, t, "issuer", Walker::string);
    let issuer_short = w.req(path, t, "issuer_short", Walker::string);
    let policy_name = w.req(path, t, "policy_name", book_title);
    let policy_short_name = w.req(path, t, "policy_short_name", book_title);
    let policy_doc_number = w.maybe(path, t, "policy_doc_number", Walker::string);
    let parent_policy_names = w.req(path, t, "parent_policy_names", book_titles);
    let parent_policy_doc_number = w.maybe(path, t, "parent_policy_doc_number", Walker::string);
    let doc_number_prefix = w.req(path, t, "doc_number_prefix", doc_number_prefix);
    let reconsideration_body = w.req(path, t, "reconsideration_body", Walker::string);
    let remedy = w.req(path, t, "remedy", Walker::string);
    let remedy_ok = remedy.as_deref().is_none_or(|r| {
        remedy_names_its_bodies(w, &join(path, "remedy"), r, reconsideration_body.as_deref())
    });
    let contact_phone = w.req(path, t, "contact_phone", telephone);
    let signatory = w.req(path, t, "signatory", Walker::string);
    let wording = Wording {
        issuer: issuer?,
        issuer_short: issuer_short?,
        policy_name: policy_name?,
        policy_short_name: policy_short_name?,
        policy_doc_number: policy_doc_number?,
        parent_policy_names: parent_policy_names?,
        parent_policy_doc_number: parent_policy_doc_number?,
        doc_number_prefix: doc_number_prefix?,
        reconsideration_body: reconsideration_body?,
        remedy: remedy?,
        contact_phone: contact_phone?,
        signatory: signatory?,
    };
    remedy_ok.then_some(wording)
}

/// A policy's name, written with 《》.
fn book_title(w: &mut Walker, path: &str, v: &Value) -> Option<String> {
    let s = w.string(path, v)?;
    if s.starts_with('《') && s.ends_with('》') {
        return Some(s);
    }
    w.report(
        path,
        format!("政策名称应带书名号，如《…》：“{s}” / a policy name is written with 《》: \"{s}\""),
    );
    None
}

/// A non-empty list of policy names, each with 《》.
fn book_titles(w: &mut Walker, path: &str, v: &Value) -> Option<Vec<String>> {
    let names = w.strings(path, v)?;
    if names.is_empty() {
        w.report(path, "不能为空 / must not be empty");
        return None;
    }
    let mut ok = true;
    for (i, n) in names.iter().enumerate() {
        let item = Value::String(n.clone());
        ok &= book_title(w, &at(path, i), &item).is_some();
    }
    ok.then_some(names)
}

/// The document number's prefix only: the register adds 〔year〕N号.
fn doc_number_prefix(w: &mut Walker, path: &str, v: &Value) -> Option<String> {
    let s = w.string(path, v)?;
    let bad = s.contains(['〔', '〕', '[', ']', '号']) || s.chars().any(|c| c.is_ascii_digit());
    if bad {
        w.report(
            path,
            "只写前缀（如 渝中大数据发），年份和序号由登记簿生成 / the prefix only (e.g. 渝中大数据发): the register adds 〔year〕N号",
        );
        return None;
    }
    Some(s)
}

/// The remedy sentence names 行政复议, 行政诉讼 and the reconsideration body
/// (when that was read); each one missing is reported.
fn remedy_names_its_bodies(w: &mut Walker, path: &str, remedy: &str, body: Option<&str>) -> bool {
    let mut ok = true;
    for must in ["行政复议", "行政诉讼"] {
        if !remedy.contains(must) {
            w.report(
                path,
                format!("救济途径告知应写明{must} / the remedy sentence must name {must}"),
            );
            ok = false;
        }
    }
    if let Some(body) = body {
        if !remedy.contains(body) {
            w.report(
                path,
                format!("救济途径告知应写明复议机关“{body}” / the remedy sentence must name the reconsideration body \"{body}\""),
            );
            ok = false;
        }
    }
    ok
}

/// Digits and hyphens, at least seven digits (023-63768099).
fn telephone(w: &mut Walker, path: &str, v: &Value) -> Option<String> {
    let s = w.string(path, v)?;
    let ok = s.chars().all(|c| c.is_ascii_digit() || c == '-')
        && s.chars().filter(char::is_ascii_digit).count() >= 7;
    if !ok {
        w.report(
            path,
            format!("“{s}”不是电话号码（如 023-63768099） / \"{s}\" is not a telephone number (e.g. 023-63768099)"),
        );
        return None;
    }
    Some(s)
}
