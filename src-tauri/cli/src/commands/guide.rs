//! The annual guide: check a file, show a round's guide (`guide diff` and
//! `guide use` are in `rules`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reviewdesk_engine::review::round;
use reviewdesk_engine::{guide, EngineError};

use crate::{print_json, unlock};

/// `reviewdesk guide check FILE`: every problem with its key path; exit 1 when any.
pub(crate) fn check(file: &Path, json: bool) -> Result<ExitCode, EngineError> {
    let text = std::fs::read_to_string(file).map_err(|e| EngineError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })?;
    match guide::load_guide(&text) {
        Ok(_) => {
            if json {
                print_json(
                    &serde_json::json!({ "ok": true, "hash": guide::content_hash(&text), "problems": [] }),
                )?;
            }
            eprintln!("指南有效 / guide is valid: {}", guide::content_hash(&text));
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            if json {
                print_json(&serde_json::json!({ "ok": false, "problems": problems }))?;
            }
            for p in &problems {
                eprintln!("  {}: {}", p.path, p.message);
            }
            eprintln!("{} 个问题 / problems", problems.len());
            Ok(ExitCode::from(1))
        }
    }
}

/// `reviewdesk guide show --round Y`: the guide the round is bound to, or the shipped one.
pub(crate) fn show(db: PathBuf, year: &i32, json: bool) -> Result<ExitCode, EngineError> {
    let bound = if db.exists() {
        let store = unlock::open_store(&db)?;
        round::round_guide(store.conn(), *year)?
    } else {
        None
    };
    let (hash, g) = match bound {
        Some(b) => b,
        None => {
            let (text, g) = guide::builtin(*year).ok_or_else(|| {
                EngineError::NotFound(format!("没有 {year} 年度的指南 / no guide for {year}"))
            })?;
            (guide::content_hash(text), g)
        }
    };
    if json {
        print_json(&serde_json::json!({ "round": year, "hash": hash, "guide": g }))?;
    } else {
        println!("{}（{}）", g.title, hash);
        for (c, r) in &g.clauses {
            println!(
                "  {} {} {}：上限 {} 元",
                c.as_str(),
                r.article,
                r.name,
                reviewdesk_engine::money::format_yuan_grouped(r.award.cap())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
