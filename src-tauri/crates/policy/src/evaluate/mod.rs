//! One applicant's evaluation: eligibility rule by rule, factor scores,
//! awards under caps and limits, 就高不重复 inside the policy and against other
//! Yuzhong support, final rounding (never above a cap or limit that bound),
//! the applicant cap — each project's result carrying the
//! explanation lines the CLI, the app and the letters all render.
//!
//! Pure: inputs in, [`Evaluation`] out. The store and the round service
//! (`rules::round`) feed it and keep what it returns.
//!
//! Files: `model.rs` the inputs and the result; `eligibility.rs` the rules;
//! `factors.rs` the scores; `awards.rs` one project's award; `support.rs`
//! across projects (就高不重复, other support, rounding, flags); `cap.rs`
//! the applicant cap (`round.applicant_cap`, after rounding, before the
//! award lines); `lines.rs` the wording of the explanation lines (every
//! amount grouped with its unit: 6,500,000.00 元 / yuan); `values.rs`
//! reading the workbook's values.

mod awards;
mod cap;
mod eligibility;
mod factors;
mod lines;
mod model;
mod support;
mod values;

use rust_decimal::Decimal;

use crate::guide::{
    Award, Clause, ClauseRules, Condition, Factor, Guide, ListName, OtherSupport, PanelMethod,
    PanelTrim, WithinPolicy,
};

pub use cap::CAP_LABEL;
pub use model::*;
pub use values::{field_en, same_key};

/// Evaluate every project of one applicant.
pub fn evaluate(inp: &Inputs<'_>) -> Evaluation {
    let g = inp.guide;
    let ex = inp.extraction;
    let mut results: Vec<ProjectResult> = ex
        .projects
        .iter()
        .map(|p| awards::evaluate_project(inp, p))
        .collect();
    if g.highest_only.within_policy == WithinPolicy::Highest {
        support::highest_only(inp, &mut results);
    }
    support::other_support(g, ex, &mut results);
    support::round_awards(inp, &mut results);
    cap::applicant_cap(inp, &mut results);
    for r in results.iter_mut() {
        if let Some(a) = r.award_yuan {
            r.lines.push(lines::award_line(a));
        }
    }
    let mut flags = support::flags(inp);
    flags.extend(
        results
            .iter()
            .filter(|r| r.disagreement)
            .map(|r| support::disagreement_flag(g, r)),
    );
    let total = results
        .iter()
        .map(|r| r.award_yuan)
        .try_fold(Decimal::ZERO, |acc, a| a.map(|a| acc + a));
    Evaluation {
        credit_code: ex.credit_code.clone(),
        round: g.round.year,
        guide: inp.guide_hash.to_string(),
        projects: results,
        flags,
        total_yuan: total,
    }
}
