//! The letters' wording that changes by year.

use toml::Value;

use super::model::*;
use super::reader::*;

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
