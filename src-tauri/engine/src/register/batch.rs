//! Issuing every approved decision with one signer: each decision in its
//! own transaction (a failure on one never loses the others), the signed
//! letters kept in the store only (no file is written: `files`), progress
//! reported before each decision,
//! a cancel flag checked between decisions, and every failure collected
//! with the decision it belongs to.
//!
//! The store is reached through [`StoreAccess`] once per decision, so a
//! shell that shares its store (the app) lets other commands in between.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::Serialize;

use crate::applications::queries;
use crate::error::ErrorBody;
use crate::letters::LetterWriter;
use crate::review::DecisionState;
use crate::store::Store;
use crate::Result;

/// How a shell lends its store for one decision at a time.
pub trait StoreAccess {
    /// Run `f` with the store; a store that cannot be had (locked, lost)
    /// is an error in the shell's words.
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T, ErrorBody>;
}

impl StoreAccess for Mutex<Store> {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T, ErrorBody> {
        let mut store = self.lock().map_err(|_| ErrorBody {
            code: "internal".into(),
            message: "数据库访问中断 / store access interrupted".into(),
        })?;
        f(&mut store).map_err(|e| ErrorBody::from(&e))
    }
}

/// An approved decision waiting for its letters.
#[derive(Debug, Clone, Serialize)]
pub struct Approved {
    pub credit_code: String,
    pub applicant: Option<String>,
}

/// Every approved decision, in the order an approver works through them.
pub fn approved(store: &Store) -> Result<Vec<Approved>> {
    Ok(queries::list_decisions(store)?
        .into_iter()
        .filter(|r| r.decision.state == DecisionState::Approved)
        .map(|r| Approved {
            credit_code: r.decision.credit_code,
            applicant: r.applicant,
        })
        .collect())
}

/// Where the batch is: `done` decisions of `total`, working on `applicant`
/// (`None` in the last report, when the batch has ended).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub applicant: Option<String>,
}

/// A decision whose letters were not issued, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Failure {
    pub credit_code: String,
    pub applicant: Option<String>,
    pub code: String,
    pub message: String,
}

/// How a batch ended.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The register numbers issued, in order.
    pub numbers: Vec<String>,
    pub failed: Vec<Failure>,
    pub total: usize,
    pub cancelled: bool,
}

/// What a batch signs with.
pub struct Job<'a> {
    /// The letter writer, or why there is none (then every decision fails
    /// with that reason: the report still names each one).
    pub writer: std::result::Result<&'a LetterWriter, ErrorBody>,
    /// Who issues (the register office's person) and the seal that signs.
    pub by: &'a super::sealed::SealedIssue<'a>,
    /// The date the letters carry.
    pub date: NaiveDate,
}

/// Issue the letters of each of `decisions`. `progress` hears before each
/// decision and once at the end; `cancel` stops the batch before the next
/// decision (the one in hand is finished).
pub fn issue_all(
    access: &impl StoreAccess,
    job: &Job<'_>,
    decisions: &[Approved],
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Outcome {
    let total = decisions.len();
    let mut numbers = Vec::new();
    let mut failed = Vec::new();
    let mut cancelled = false;
    for (i, d) in decisions.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            cancelled = true;
            break;
        }
        progress(Progress {
            done: i,
            total,
            applicant: d.applicant.clone(),
        });
        let result = job.writer.clone().and_then(|w| {
            let issued = access.with_store(|s| {
                super::sealed::issue_sealed(s, w, job.by, &d.credit_code, job.date)
            })?;
            numbers.extend(issued.into_iter().map(|l| l.number));
            Ok(())
        });
        if let Err(e) = result {
            failed.push(Failure {
                credit_code: d.credit_code.clone(),
                applicant: d.applicant.clone(),
                code: e.code,
                message: e.message,
            });
        }
    }
    let done = if cancelled { numbers.len() } else { total };
    progress(Progress {
        done,
        total,
        applicant: None,
    });
    Outcome {
        numbers,
        failed,
        total,
        cancelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::TestAuthority;

    fn decision(code: &str) -> Approved {
        Approved {
            credit_code: code.into(),
            applicant: Some(format!("{code} 公司")),
        }
    }

    /// Decisions the store does not have fail one by one, each named, and
    /// the batch goes on to the end; the cancel flag stops it before the next.
    #[test]
    fn every_failure_is_collected_and_cancel_stops_before_the_next() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Mutex::new(Store::open(&dir.path().join("s.db")).expect("open"));
        assert!(store.with_store(|s| approved(s)).expect("list").is_empty());
        let ca = TestAuthority::generate("测试机构").expect("ca");
        let signer = ca.issue_signer("王发文").expect("signer");
        let seal = ca.issue_signer("印章").expect("seal");
        let issuer =
            crate::people::Identity::from_signer(std::sync::Arc::new(signer), "test".into())
                .expect("identity");
        let by = super::super::sealed::SealedIssue {
            issuer: &issuer,
            seal: &seal,
        };
        let job = Job {
            writer: Err(ErrorBody {
                code: "letters".into(),
                message: "no fonts".into(),
            }),
            by: &by,
            date: NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
        };
        let decisions = [decision("A"), decision("B")];
        let mut seen = Vec::new();
        let cancel = AtomicBool::new(false);
        let out = issue_all(&store, &job, &decisions, &mut |p| seen.push(p), &cancel);
        assert_eq!(out.total, 2);
        assert!(!out.cancelled && out.numbers.is_empty());
        let codes: Vec<_> = out.failed.iter().map(|f| f.credit_code.as_str()).collect();
        assert_eq!(codes, ["A", "B"]);
        assert!(out.failed.iter().all(|f| f.code == "letters"));
        assert_eq!(
            seen.iter().map(|p| p.done).collect::<Vec<_>>(),
            [0, 1, 2],
            "{seen:?}"
        );
        assert_eq!(seen[2].applicant, None);

        let cancel = AtomicBool::new(true);
        let mut seen = Vec::new();
        let out = issue_all(&store, &job, &decisions, &mut |p| seen.push(p), &cancel);
        assert!(out.cancelled && out.failed.is_empty());
        assert_eq!(seen.len(), 1, "only the final report: {seen:?}");
    }
}
