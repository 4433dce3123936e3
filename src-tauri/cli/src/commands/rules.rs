//! Commands over the round's rules and intake identities: `budget`,
//! `guide use`, `diff` (versions compared field by field) and `link`
//! (a provisional identity to its corrected credit code).

use std::path::Path;
use std::process::ExitCode;

use reviewdesk_engine::applications::import::{link_provisional, link_suggestions};
use reviewdesk_engine::applications::versions::{self, Change};
use reviewdesk_engine::money::format_yuan_grouped as format_yuan;
use reviewdesk_engine::review::{budget, round};
use reviewdesk_engine::store::Actor;
use reviewdesk_engine::EngineError;

use crate::print_json;

/// `reviewdesk budget --round Y [--json]`: the round's awards per clause and
/// in total against the guide's budget (as of the last `score`).
pub fn budget(db: &Path, year: i32, json: bool) -> Result<ExitCode, EngineError> {
    let store = crate::unlock::open_store(db)?;
    let r = budget::round_budget(&store, year)?;
    if json {
        print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let show = |d: Option<rust_decimal::Decimal>| d.map(format_yuan).unwrap_or_else(|| "—".into());
    println!(
        "{} 年度预算 / budget: {}（{}）",
        r.round,
        show(r.budget_yuan),
        match r.rule {
            reviewdesk_engine::guide::BudgetOverrun::Flag => "超出时提示 flag",
            reviewdesk_engine::guide::BudgetOverrun::ProRata => "超出时按比例核减 pro_rata",
        }
    );
    for c in &r.per_clause {
        println!(
            "  {:<4} {:>3} 项 projects  {:>18}{}",
            c.clause.as_str(),
            c.projects,
            format_yuan(c.total_yuan),
            c.reduced_yuan
                .map(|x| format!("  → {}", format_yuan(x)))
                .unwrap_or_default()
        );
    }
    println!(
        "  合计 total          {:>18}{}",
        format_yuan(r.total_yuan),
        r.reduced_total_yuan
            .map(|x| format!("  → {}", format_yuan(x)))
            .unwrap_or_default()
    );
    if let Some(list) = &r.allocations {
        for a in list.iter().filter(|a| !a.reduction_yuan.is_zero()) {
            println!(
                "    {} [{}] {}: {} → {}",
                a.credit_code,
                a.clause.as_str(),
                a.project,
                format_yuan(a.award_yuan),
                format_yuan(a.reduced_yuan)
            );
        }
    }
    eprintln!("{}{}", if r.over_budget { "! " } else { "" }, r.message);
    eprintln!("{}{}", if r.over_budget { "! " } else { "" }, r.message_en);
    Ok(ExitCode::SUCCESS)
}

/// Tell the reviewer or approver on stderr when the round is over budget
/// (as of the last `score`); a round that cannot be read says nothing here.
pub fn warn_over_budget(store: &reviewdesk_engine::store::Store, year: i32) {
    if let Ok(r) = budget::round_budget(store, year) {
        if r.over_budget {
            eprintln!("! {}", r.message);
            eprintln!("! {}", r.message_en);
        }
    }
}

/// `reviewdesk guide diff --round Y FILE`: what binding the round to this
/// guide file would change (against the round's guide, or the shipped one
/// when there is no store or round yet). Changes nothing.
pub fn guide_diff(db: &Path, year: i32, file: &Path, json: bool) -> Result<ExitCode, EngineError> {
    let text = std::fs::read_to_string(file).map_err(|e| EngineError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })?;
    let p = if db.exists() {
        let store = crate::unlock::open_store(db)?;
        round::preview_guide(store.conn(), year, &text)?
    } else {
        let memory = reviewdesk_engine::store::Store::open(Path::new(":memory:"))?;
        round::preview_guide(memory.conn(), year, &text)?
    };
    if json {
        print_json(&p)?;
    } else {
        println!(
            "{} 年度指南 / round {} guide: {} → {}",
            p.year,
            p.year,
            short(&p.from),
            short(&p.to)
        );
        if p.changes.is_empty() {
            println!("  没有改动 / no changes");
        }
        for c in &p.changes {
            println!(
                "  {}: {} → {}",
                c.path,
                c.old.as_deref().unwrap_or("（无 none）"),
                c.new.as_deref().unwrap_or("（无 none）")
            );
        }
    }
    if !p.can_change {
        eprintln!(
            "! {} 年度已有决定，不能更换指南 / round {} already has decisions; its guide can no longer change",
            p.year, p.year
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// `reviewdesk guide use --round Y FILE`: bind the round to a guide file.
pub fn guide_use(
    db: &Path,
    actor: &Actor,
    year: i32,
    file: &Path,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let text = std::fs::read_to_string(file).map_err(|e| EngineError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut store = crate::unlock::open_store(db)?;
    let hash = round::bind_guide(&mut store, actor, year, &text)?;
    if json {
        print_json(&serde_json::json!({ "round": year, "guide": hash }))?;
    }
    eprintln!("{year} 年度已使用指南 {hash} / round {year} now uses guide {hash}");
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk diff CODE [--from N --to M] [--json]`: two versions of an
/// applicant's workbook compared field by field (default: the last two).
pub fn diff(
    db: &Path,
    code: &str,
    from: Option<i64>,
    to: Option<i64>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let store = crate::unlock::open_store(db)?;
    let (_, _, vs) = versions::versions(&store, code)?;
    let latest = vs.last().copied().unwrap_or(1);
    let to = to.unwrap_or(latest);
    let from = match from {
        Some(f) => f,
        None => vs.iter().copied().filter(|v| *v < to).max().ok_or_else(|| {
            EngineError::Invalid(format!(
                "{} 只有 {} 个版本，没有可比较的更早版本 / only {} version(s): nothing earlier to compare with",
                code.trim(),
                vs.len(),
                vs.len()
            ))
        })?,
    };
    let d = versions::compare_versions(&store, code, from, to)?;
    if json {
        print_json(&d)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {} · 第 {} 版（{}）→ 第 {} 版（{}）",
        d.credit_code,
        d.applicant.as_deref().unwrap_or(""),
        d.from.version,
        d.from.file_name,
        d.to.version,
        d.to.file_name
    );
    let side = |s: &Option<versions::Side>| match s {
        Some(s) => format!("「{}」 [{}]", s.raw, s.cell),
        None => "—".into(),
    };
    for x in &d.differences {
        let place = match (&x.clause, &x.project) {
            (Some(c), Some(p)) => format!("[{}] {p} · ", c.as_str()),
            (None, Some(p)) => format!("[其他政策支持] {p} · "),
            _ => String::new(),
        };
        let mark = match x.change {
            Change::Changed => "~",
            Change::Added => "+",
            Change::Removed => "-",
        };
        println!(
            "  {mark} {place}{}: {} → {}",
            x.label,
            side(&x.old),
            side(&x.new)
        );
    }
    eprintln!(
        "{} 处不同 / {} differences",
        d.differences.len(),
        d.differences.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `reviewdesk link PROVISIONAL_KEY CODE`, or without arguments the links
/// the store suggests (same applicant name).
pub fn link(
    db: &Path,
    actor: &Actor,
    key: Option<&str>,
    code: Option<&str>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    match (key, code) {
        (Some(key), Some(code)) => {
            let mut store = crate::unlock::open_store(db)?;
            let o = link_provisional(&mut store, actor, key, code)?;
            if json {
                print_json(&o)?;
            }
            eprintln!(
                "已将 {} 关联到 {} {}{} / linked",
                o.provisional_key,
                o.credit_code,
                o.applicant.as_deref().unwrap_or(""),
                o.previous
                    .as_ref()
                    .map(|p| format!("（原关联 {p}）"))
                    .unwrap_or_default()
            );
            if !o.name_matches {
                eprintln!(
                    "注意：单位名称不一致（{} / {}）/ note: the names differ",
                    o.provisional_name.as_deref().unwrap_or(""),
                    o.applicant.as_deref().unwrap_or("")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        (None, None) => {
            let store = crate::unlock::open_store(db)?;
            let s = link_suggestions(&store)?;
            if json {
                print_json(&serde_json::json!({ "suggestions": s }))?;
            } else {
                for x in &s {
                    println!(
                        "{}  →  {}  {}{}",
                        x.provisional_key,
                        x.credit_code,
                        x.name.as_deref().unwrap_or(""),
                        if x.linked { "（已关联 linked）" } else { "" }
                    );
                }
                eprintln!("{} 条建议 / suggestions", s.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(EngineError::Invalid(
            "用法：reviewdesk link 临时身份 统一社会信用代码（不带参数列出建议）/ usage: reviewdesk link PROVISIONAL_KEY CODE (no arguments: suggestions)".into(),
        )),
    }
}
