//! The applicant cap (`round.applicant_cap`): the most one applicant gets
//! in the round. Applied after 就高不重复 and other support and after each
//! award is rounded (the reduction works on whole fen), before the award
//! lines and before the budget's pro rata: where the applicant's awards
//! total more than the cap, they shrink in proportion to their amounts, to
//! the fen, by the budget's largest-remainder method
//! ([`crate::budget::pro_rata`]: ties by clause, then project name), so
//! they sum to the cap exactly and none rises above its amount. Each
//! reduced project says so in a line whose Chinese label begins with
//! [`CAP_LABEL`].

use rust_decimal::Decimal;

use super::lines::{amount_line, line2, yuan2};
use super::{Inputs, ProjectResult};
use crate::budget::{pro_rata, Claim};

/// How every line about the applicant cap begins (the letters look for it
/// to explain a project the cap reduced, possibly to zero).
pub const CAP_LABEL: &str = "申报单位扶持上限";

/// Reduce the applicant's awards to the guide's applicant cap, if it binds.
/// While a project awaits panel scores nothing is reduced yet; when the
/// awards known already exceed the cap, each says the reduction will come.
pub(super) fn applicant_cap(inp: &Inputs<'_>, results: &mut [ProjectResult]) {
    let Some(cap) = inp.guide.round.applicant_cap else {
        return;
    };
    let known: Decimal = results.iter().filter_map(|r| r.award_yuan).sum();
    if known <= cap {
        return;
    }
    let (cap_zh, cap_en) = yuan2(cap);
    let (total_zh, total_en) = yuan2(known);
    let paid = |r: &ProjectResult| r.award_yuan.is_some_and(|a| a > Decimal::ZERO);
    if results.iter().any(|r| r.award_yuan.is_none()) {
        for r in results.iter_mut().filter(|r| paid(r)) {
            r.lines.push(line2(
                format!("{CAP_LABEL} {cap_zh}"),
                format!("Applicant cap of {cap_en}"),
                format!("已定扶持合计 {total_zh}，超出上限；其余项目评分后按比例核减"),
                format!(
                    "the awards known total {total_en}, above the cap; reduced in proportion once every project is scored"
                ),
            ));
        }
        return;
    }
    let code = inp.extraction.credit_code.clone().unwrap_or_default();
    let idx: Vec<usize> = (0..results.len()).filter(|&i| paid(&results[i])).collect();
    let claims: Vec<Claim> = idx
        .iter()
        .map(|&i| Claim {
            credit_code: code.clone(),
            clause: results[i].clause,
            project: results[i].name.clone(),
            award: results[i].award_yuan.unwrap_or_default(),
        })
        .collect();
    let reduced = match pro_rata(&claims, cap) {
        Ok(v) => v,
        Err(e) => {
            // Not reachable with a guide that loaded (the cap and the
            // rounded awards are whole fen); said rather than hidden.
            for &i in &idx {
                results[i].lines.push(line2(
                    CAP_LABEL,
                    "Applicant cap",
                    format!("无法核减：{e}"),
                    format!("cannot be applied: {e}"),
                ));
            }
            return;
        }
    };
    for (&i, after) in idx.iter().zip(reduced) {
        let r = &mut results[i];
        let before = r.award_yuan.unwrap_or_default();
        if after == before {
            continue;
        }
        let (before_zh, before_en) = yuan2(before);
        r.lines.push(amount_line(
            format!(
                "{CAP_LABEL} {cap_zh}：本单位扶持合计 {total_zh}，按比例核减（本项 {before_zh} × 上限 ÷ 合计，最大余数法到分）"
            ),
            format!(
                "Applicant cap of {cap_en}: the applicant's awards total {total_en}, reduced in proportion (this award {before_en} × cap ÷ total, largest remainder, to the fen)"
            ),
            after,
        ));
        r.award_yuan = Some(after);
    }
}
