//! What each project of a decision comes to, and which letter tells the
//! applicant: every project an applicant applied for gets its outcome in
//! writing. A decision's letters are
//!
//! - one approval (给予扶持的决定) per supported project, which also decides
//!   the same project's other clauses that 就高不重复 superseded;
//! - one refusal (不予扶持的决定) for every other project — refused
//!   (ineligible, below the pass mark, an amount of zero by the rules),
//!   zeroed (it qualified, but other support, the applicant cap or the
//!   budget took its award to zero) and superseded by a clause that was not
//!   supported either — each with its true reason.
//!
//! Pure: the figures in, the plan out; `content` words the letters and
//! `issue` numbers, signs and records them.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::rules::evaluate::{same_key, Evaluation, ProjectResult};

/// What one project came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// An award above zero.
    Approved,
    /// Ineligible, below the pass mark, or an amount of zero by the rules.
    Refused,
    /// The same project under another clause got the higher award (就高不重复).
    Superseded,
    /// It qualified and an amount was computed, but other support, a cap
    /// over the applicant or the budget took it to zero.
    Zeroed,
}

impl Outcome {
    /// The outcome of one project in frozen figures.
    pub fn of(p: &ProjectResult) -> Outcome {
        if p.superseded_by.is_some() {
            Outcome::Superseded
        } else if p.award_yuan.is_some_and(|a| a > Decimal::ZERO) {
            Outcome::Approved
        } else if p.eligible && p.computed_yuan.is_some_and(|c| c > Decimal::ZERO) {
            Outcome::Zeroed
        } else {
            Outcome::Refused
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Refused => "refused",
            Outcome::Superseded => "superseded",
            Outcome::Zeroed => "zeroed",
        }
    }
}

/// One project as a letter decides it (`letter issue --json`'s `projects`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterProject {
    pub clause: String,
    pub name: String,
    #[serde(with = "crate::rules::evaluate::yuan_option")]
    pub award_yuan: Option<Decimal>,
    pub outcome: Outcome,
}

impl LetterProject {
    pub(super) fn of(p: &ProjectResult) -> Self {
        LetterProject {
            clause: p.clause.as_str().to_string(),
            name: p.name.clone(),
            award_yuan: p.award_yuan,
            outcome: Outcome::of(p),
        }
    }
}

/// One letter a decision needs; indexes are into `Evaluation::projects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Planned {
    /// The supported project `project`, and the same project's clauses it
    /// superseded.
    Approval {
        project: usize,
        superseded: Vec<usize>,
    },
    /// Every project no approval decides, in the figures' order.
    Refusal { projects: Vec<usize> },
}

impl Planned {
    /// The projects this letter decides, the supported one first.
    pub(super) fn projects(&self) -> Vec<usize> {
        match self {
            Planned::Approval {
                project,
                superseded,
            } => std::iter::once(*project)
                .chain(superseded.iter().copied())
                .collect(),
            Planned::Refusal { projects } => projects.clone(),
        }
    }
}

/// The index of the project that superseded project `i` (same project by
/// name, the clause it names).
pub(super) fn winner_of(ev: &Evaluation, i: usize) -> Option<usize> {
    let p = ev.projects.get(i)?;
    let clause = p.superseded_by?;
    let key = same_key(&p.name);
    ev.projects
        .iter()
        .position(|o| o.clause == clause && o.superseded_by.is_none() && same_key(&o.name) == key)
}

/// The letters of a decision on `ev`: approvals first, in the figures'
/// order, then at most one refusal. Every project is decided by exactly
/// one letter.
pub(super) fn plan(ev: &Evaluation) -> Vec<Planned> {
    let mut decided = vec![false; ev.projects.len()];
    let mut out = Vec::new();
    for (i, p) in ev.projects.iter().enumerate() {
        if Outcome::of(p) != Outcome::Approved {
            continue;
        }
        let superseded: Vec<usize> = (0..ev.projects.len())
            .filter(|&j| {
                Outcome::of(&ev.projects[j]) == Outcome::Superseded && winner_of(ev, j) == Some(i)
            })
            .collect();
        decided[i] = true;
        for &j in &superseded {
            decided[j] = true;
        }
        out.push(Planned::Approval {
            project: i,
            superseded,
        });
    }
    let rest: Vec<usize> = (0..ev.projects.len()).filter(|&i| !decided[i]).collect();
    if !rest.is_empty() {
        out.push(Planned::Refusal { projects: rest });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Clause;

    fn project(clause: Clause, name: &str, award: &str, computed: Option<&str>) -> ProjectResult {
        ProjectResult {
            clause,
            name: name.into(),
            eligible: true,
            eligibility: vec![],
            factors: vec![],
            score: None,
            computed_yuan: computed.map(|c| c.parse().expect("computed")),
            award_yuan: Some(award.parse().expect("award")),
            superseded_by: None,
            lines: vec![],
            panel_totals: vec![],
            disagreement: false,
        }
    }

    fn ev(projects: Vec<ProjectResult>) -> Evaluation {
        Evaluation {
            credit_code: None,
            round: 2026,
            guide: String::new(),
            projects,
            flags: vec![],
            total_yuan: None,
        }
    }

    #[test]
    fn every_project_is_decided_by_exactly_one_letter() {
        let mut refused = project(Clause::C2a, "乙", "0", None);
        refused.eligible = false;
        let zeroed = project(Clause::C3, "丙", "0", Some("50000"));
        let mut superseded = project(Clause::C3, "甲", "0", Some("100"));
        superseded.superseded_by = Some(Clause::C1);
        let e = ev(vec![
            project(Clause::C1, "甲", "650000", Some("650000")),
            refused,
            superseded,
            zeroed,
        ]);
        let p = plan(&e);
        assert_eq!(
            p,
            vec![
                Planned::Approval {
                    project: 0,
                    superseded: vec![2]
                },
                Planned::Refusal {
                    projects: vec![1, 3]
                },
            ]
        );
        let outcomes: Vec<&str> = e.projects.iter().map(|p| Outcome::of(p).as_str()).collect();
        assert_eq!(outcomes, ["approved", "refused", "superseded", "zeroed"]);
    }

    #[test]
    fn a_project_superseded_by_a_clause_that_got_nothing_is_refused_with_it() {
        let winner = project(Clause::C1, "甲", "0", Some("650000"));
        let mut superseded = project(Clause::C3, "甲", "0", Some("100"));
        superseded.superseded_by = Some(Clause::C1);
        let e = ev(vec![winner, superseded]);
        assert_eq!(
            plan(&e),
            vec![Planned::Refusal {
                projects: vec![0, 1]
            }]
        );
    }
}
